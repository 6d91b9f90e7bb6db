import { describe, it, expect } from 'vitest';
import * as api from './index.ts';

describe('crypto public API', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'sm3', 'sm3Hex', 'hmacSm3', 'deriveKey',
        'FieldDecryptError', 'FIELD_TAMPERED_CODE', 'fieldKeysFromMaster', 'encryptField', 'decryptField', 'blindIndex',
        'DEFAULT_SM2_USER_ID', 'generateSm2KeyPair', 'sm2KeyPairFromSeed', 'sm2PublicKeyFromPrivateKey',
        'sm2Sign', 'sm2Verify', 'sm2PublicKeyToPem', 'sm2PrivateKeyToPem',
        'base32Encode', 'base32Decode', 'generateTotpSecret', 'totpAt', 'verifyTotp', 'totpUri',
        'SCRYPT_LOG_N', 'PASSWORD_MIN_LENGTH', 'PASSWORD_MAX_LENGTH',
        'hashPassword', 'verifyPassword', 'needsRehash', 'checkPasswordPolicy',
      ].sort(),
    );
  });

  it('does not expose the fixed-nonce signing hook', () => {
    expect('_sm2SignWithFixedNonceForTests' in api).toBe(false);
  });

  it('wires the pieces together: one master key for fields and a signing key', () => {
    const master = Buffer.alloc(32, 7);
    const keys = api.fieldKeysFromMaster(master);
    expect(api.decryptField(api.encryptField('13800138000', keys), keys)).toBe('13800138000');
    const kp = api.sm2KeyPairFromSeed(master);
    expect(api.sm2Verify('审批', api.sm2Sign('审批', kp.privateKey), kp.publicKey)).toBe(true);
    expect(api.DEFAULT_SM2_USER_ID).toBe('1234567812345678');
  });
});
