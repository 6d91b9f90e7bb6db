// Public API of the crypto module. Everything the rest of govproj needs
// should be imported from here, not from the individual files.
export { sm3, sm3Hex, hmacSm3, deriveKey } from './sm3.ts';
export {
  type FieldKeys,
  FieldDecryptError,
  FIELD_TAMPERED_CODE,
  fieldKeysFromMaster,
  encryptField,
  decryptField,
  blindIndex,
} from './sm4.ts';
export {
  DEFAULT_SM2_USER_ID,
  type Sm2KeyPair,
  generateSm2KeyPair,
  sm2KeyPairFromSeed,
  sm2PublicKeyFromPrivateKey,
  sm2Sign,
  sm2Verify,
  sm2PublicKeyToPem,
  sm2PrivateKeyToPem,
} from './sm2.ts';
export {
  base32Encode,
  base32Decode,
  generateTotpSecret,
  totpAt,
  verifyTotp,
  totpUri,
  type TotpOptions,
  type TotpVerifyOptions,
  type TotpVerifyResult,
} from './totp.ts';
export {
  SCRYPT_LOG_N,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  hashPassword,
  verifyPassword,
  needsRehash,
  checkPasswordPolicy,
  type PasswordViolation,
} from './password.ts';
