// Field-level encryption at rest for personal data (phone numbers, ID card
// numbers, ...) with SM4. Node's OpenSSL has no SM4-GCM, so this is a
// classic encrypt-then-MAC composition:
//
//   ct  = SM4-CBC(encKey, iv, PKCS#7(utf8(plaintext)))   iv: 16 random bytes
//   mac = HMAC-SM3(macKey, "v1" || iv || ct)             32 bytes, not truncated
//   token = "v1." b64url(iv) "." b64url(ct) "." b64url(mac)
//
// The MAC is checked (in constant time) before any decryption, so padding
// oracles are not reachable. The version prefix is covered by the MAC so a
// future v2 format cannot be confused with v1.
//
// Not covered: the token is not bound to the row/column it is stored in, so
// someone able to write to the database can move a valid token between rows.
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey, hmacSm3 } from './sm3.ts';

/** Independent keys for one field-encryption domain, all derived from one master key. */
export type FieldKeys = {
  /** SM4 key, 16 bytes. */
  encKey: Buffer;
  /** HMAC-SM3 key for the token MAC, 32 bytes. */
  macKey: Buffer;
  /** HMAC-SM3 key for blind indexes, 32 bytes. */
  indexKey: Buffer;
};

/** Error code stable enough for API error mapping and logs. */
export const FIELD_TAMPERED_CODE = 'crypto.field_tampered';

/**
 * One error type for every way a stored token can be unusable (malformed,
 * modified, wrong key), so callers cannot build an oracle from error details
 * and can map it to a single API error.
 */
export class FieldDecryptError extends Error {
  readonly code = FIELD_TAMPERED_CODE;
  constructor(message = 'encrypted field is malformed or has been tampered with') {
    super(message);
    this.name = 'FieldDecryptError';
  }
}

const VERSION = 'v1';
const VERSION_BYTES = Buffer.from(VERSION, 'ascii');
const IV_BYTES = 16;
const BLOCK_BYTES = 16;
const MAC_BYTES = 32;
const ENC_KEY_BYTES = 16;
const MAC_KEY_BYTES = 32;
const INDEX_KEY_BYTES = 32;
const CIPHER = 'sm4-cbc';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Splits one master secret into purpose-bound keys (SP 800-108 KDF) so the
 * cipher, the MAC and the blind index never share key material.
 */
export function fieldKeysFromMaster(master: Uint8Array): FieldKeys {
  return {
    encKey: deriveKey(master, 'govproj/field-enc/v1', ENC_KEY_BYTES),
    macKey: deriveKey(master, 'govproj/field-mac/v1', MAC_KEY_BYTES),
    indexKey: deriveKey(master, 'govproj/field-index/v1', INDEX_KEY_BYTES),
  };
}

/**
 * Encrypts a personal field for storage. A fresh random IV makes equal
 * plaintexts produce different tokens; use blindIndex for equality lookups.
 * Throws TypeError for strings that are not well-formed UTF-16 (lone
 * surrogates), which could not round-trip through UTF-8 unchanged.
 */
export function encryptField(plaintext: string, keys: FieldKeys): string {
  assertKeys(keys);
  if (typeof plaintext !== 'string' || !plaintext.isWellFormed()) {
    throw new TypeError('encryptField: plaintext must be a well-formed string');
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, keys.encKey, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const mac = computeMac(keys.macKey, iv, ct);
  return `${VERSION}.${iv.toString('base64url')}.${ct.toString('base64url')}.${mac.toString('base64url')}`;
}

/**
 * Reverses encryptField. Any defect in the token, including a wrong key,
 * surfaces as FieldDecryptError and never as partial or garbled plaintext.
 */
export function decryptField(token: string, keys: FieldKeys): string {
  assertKeys(keys);
  if (typeof token !== 'string') throw new FieldDecryptError();
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new FieldDecryptError();
  const iv = decodeB64url(parts[1]);
  const ct = decodeB64url(parts[2]);
  const mac = decodeB64url(parts[3]);
  if (
    iv === null || ct === null || mac === null ||
    iv.length !== IV_BYTES || mac.length !== MAC_BYTES ||
    ct.length === 0 || ct.length % BLOCK_BYTES !== 0
  ) {
    throw new FieldDecryptError();
  }
  const expected = computeMac(keys.macKey, iv, ct);
  if (!timingSafeEqual(expected, mac)) throw new FieldDecryptError();

  let pt: Buffer;
  try {
    const decipher = createDecipheriv(CIPHER, keys.encKey, iv);
    pt = Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    // Only reachable if the MAC key is right but the encryption key is not.
    throw new FieldDecryptError();
  }
  try {
    return UTF8_STRICT.decode(pt);
  } catch {
    throw new FieldDecryptError();
  }
}

/**
 * Deterministic keyed fingerprint of a field value, stored next to the
 * ciphertext so "find user by phone number" can be an indexed equality query
 * without decrypting every row. Keyed (HMAC-SM3) so it cannot be brute-forced
 * offline from the database alone, but equal values do reveal equality.
 * The value is hashed exactly as given: canonicalise first (trim, strip
 * spaces, uppercase the ID-card check digit 'x', ...) or lookups will miss.
 */
export function blindIndex(value: string, keys: FieldKeys): string {
  assertKeys(keys);
  if (typeof value !== 'string' || !value.isWellFormed()) {
    throw new TypeError('blindIndex: value must be a well-formed string');
  }
  return hmacSm3(keys.indexKey, value).toString('hex');
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function computeMac(macKey: Buffer, iv: Buffer, ct: Buffer): Buffer {
  // Version and IV have fixed lengths, so plain concatenation is unambiguous.
  return hmacSm3(macKey, Buffer.concat([VERSION_BYTES, iv, ct]));
}

/** Strict base64url: only the URL-safe alphabet, no padding, canonical trailing bits. */
function decodeB64url(s: string | undefined): Buffer | null {
  if (s === undefined || !BASE64URL.test(s) || s.length % 4 === 1) return null;
  const buf = Buffer.from(s, 'base64url');
  // Node silently ignores non-zero trailing bits; re-encoding catches that,
  // so each byte string has exactly one accepted token form.
  return buf.toString('base64url') === s ? buf : null;
}

function assertKeys(keys: FieldKeys): void {
  if (
    keys?.encKey?.length !== ENC_KEY_BYTES ||
    keys.macKey?.length !== MAC_KEY_BYTES ||
    keys.indexKey?.length !== INDEX_KEY_BYTES
  ) {
    throw new TypeError('FieldKeys: expected encKey 16 bytes, macKey 32 bytes, indexKey 32 bytes');
  }
}
