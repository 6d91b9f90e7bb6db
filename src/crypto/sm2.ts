// SM2 digital signatures (GB/T 32918.2 / GM/T 0003.2) on top of sm-crypto-v2.
//
// Node's built-in SM2 support cannot set the signer's distinguishing ID
// (user ID), which enters the signed hash through Z_A, so it cannot
// interoperate reliably; sm-crypto-v2 is used instead, always with
// { hash: true, der: true, userId }, i.e. e = SM3(Z_A || M) and ASN.1 DER
// signatures (GB/T 35276 / GM/T 0009), which is what OpenSSL, GmSSL and
// Chinese CA tooling produce and expect.
//
// Messages are bytes. Strings are UTF-8 encoded here, and sm-crypto-v2 is
// always handed a Uint8Array so that its own string handling never matters.
import { randomBytes } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { deriveKey } from './sm3.ts';

/** Default SM2 user ID from GB/T 35276-2017 (ASCII "1234567812345678"). */
export const DEFAULT_SM2_USER_ID = '1234567812345678';

/** Hex-encoded SM2 key pair, the format sm-crypto-v2 and most Chinese front-end SDKs exchange. */
export type Sm2KeyPair = {
  /** 64 lowercase hex digits (32-byte big-endian scalar d, 1 <= d <= n-2). */
  privateKey: string;
  /** 130 lowercase hex digits: uncompressed point 04 || X || Y. */
  publicKey: string;
};

// Order of the SM2 recommended curve's base point (GB/T 32918.5).
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const PRIVATE_KEY_RE = /^[0-9a-fA-F]{64}$/;
const PUBLIC_KEY_RE = /^04[0-9a-fA-F]{128}$/;
// ENTL is a 16-bit bit-length, so at most 8191 whole bytes of user ID.
const MAX_USER_ID_BYTES = 8191;
// 30 len 02 len r(<=33) 02 len s(<=33)
const MAX_DER_SIGNATURE_BYTES = 72;
const KEY_DERIVATION_LABEL = 'govproj/sm2-signing-key/v1';
// 256-bit order + 128 extra bits: reducing this mod (n-2) has bias < 2^-128
// (the "extra random bits" method of FIPS 186-5 A.2.1).
const SCALAR_SOURCE_BYTES = 48;

/** Fresh random key pair from the OS CSPRNG (node:crypto), for new signing identities. */
export function generateSm2KeyPair(): Sm2KeyPair {
  const source = randomBytes(SCALAR_SOURCE_BYTES);
  try {
    return keyPairFromScalar(scalarFromBytes(source));
  } finally {
    source.fill(0);
  }
}

/**
 * Deterministic key pair from secret seed material (e.g. a master key), so a
 * service signing key can be re-derived instead of stored separately. The
 * private key is d = (KDF(seed) mod (n-2)) + 1, with KDF = deriveKey (HMAC-SM3,
 * SP 800-108) under a fixed label, which guarantees d in [1, n-2] as SM2
 * requires. The seed must be at least 16 bytes of secret entropy.
 */
export function sm2KeyPairFromSeed(seed: Uint8Array): Sm2KeyPair {
  const source = deriveKey(seed, KEY_DERIVATION_LABEL, SCALAR_SOURCE_BYTES);
  try {
    return keyPairFromScalar(scalarFromBytes(source));
  } finally {
    source.fill(0);
  }
}

/** Recovers the public key for a stored private key, e.g. to publish it or build a PEM. */
export function sm2PublicKeyFromPrivateKey(privateKey: string): string {
  return sm2.getPublicKeyFromPrivateKey(normalizePrivateKey(privateKey)).toLowerCase();
}

/**
 * Signs with the GB/T 32918 "hash with Z_A" construction and returns a DER
 * signature in hex, the interoperable form (OpenSSL `pkeyutl -digest sm3`,
 * GmSSL, CA SDKs). The verifier must use the same user ID.
 * Throws on an invalid private key, user ID or ill-formed message string.
 */
export function sm2Sign(
  message: Uint8Array | string,
  privateKey: string,
  userId: string = DEFAULT_SM2_USER_ID,
): string {
  return signImpl(message, privateKey, userId, undefined);
}

/**
 * Verifies a DER-hex SM2 signature. Returns false (never throws) for any bad
 * input, because signatures and keys usually arrive from outside. Only
 * strict, minimal DER with 1 <= r, s <= n-1 is accepted, so one signature has
 * exactly one accepted encoding. The public key must be the uncompressed
 * 130-hex-digit form.
 */
export function sm2Verify(
  message: Uint8Array | string,
  signatureHex: string,
  publicKey: string,
  userId: string = DEFAULT_SM2_USER_ID,
): boolean {
  try {
    const msg = messageBytes(message);
    if (msg === null || !isValidUserId(userId)) return false;
    if (!isValidPublicKey(publicKey)) return false;
    const pub = publicKey.toLowerCase();
    if (parseDerSignature(signatureHex) === null) return false;
    return sm2.doVerifySignature(msg, signatureHex.toLowerCase(), pub, { hash: true, der: true, userId }) === true;
  } catch {
    return false;
  }
}

/**
 * PEM SubjectPublicKeyInfo (id-ecPublicKey + SM2 curve OID), the form OpenSSL
 * (`-pubin`), Java and CA tooling read, for publishing a verification key.
 */
export function sm2PublicKeyToPem(publicKey: string): string {
  const point = publicKeyBytes(publicKey);
  const spki = derSequence(ALGORITHM_IDENTIFIER, derBitString(point));
  return toPem('PUBLIC KEY', spki);
}

/**
 * PKCS#8 PEM ("BEGIN PRIVATE KEY") wrapping a SEC1 ECPrivateKey, byte-for-byte
 * the layout `openssl genpkey -algorithm SM2` writes, for handing a key to
 * OpenSSL-based tooling. Throws if publicKey does not belong to privateKey.
 */
export function sm2PrivateKeyToPem(privateKey: string, publicKey: string): string {
  const d = normalizePrivateKey(privateKey);
  const point = publicKeyBytes(publicKey);
  if (sm2PublicKeyFromPrivateKey(d) !== point.toString('hex')) {
    throw new Error('sm2PrivateKeyToPem: public key does not match private key');
  }
  const ecPrivateKey = derSequence(
    derInteger(Buffer.of(1)), // ecPrivkeyVer1
    derOctetString(Buffer.from(d, 'hex')),
    derTlv(0xa1, derBitString(point)), // [1] publicKey
  );
  const pkcs8 = derSequence(derInteger(Buffer.of(0)), ALGORITHM_IDENTIFIER, derOctetString(ecPrivateKey));
  return toPem('PRIVATE KEY', pkcs8);
}

/**
 * Signs with a caller-chosen nonce k. Only for reproducing the published
 * known-answer vector in tests: reusing or predicting k reveals the private
 * key. Deliberately not re-exported from index.ts.
 * @internal
 */
export function _sm2SignWithFixedNonceForTests(
  message: Uint8Array | string,
  privateKey: string,
  kHex: string,
  userId: string = DEFAULT_SM2_USER_ID,
): string {
  const k = BigInt('0x' + normalizePrivateKey(kHex));
  const kG = sm2.getPublicKeyFromPrivateKey(kHex.toLowerCase());
  const x1 = BigInt('0x' + kG.slice(2, 66));
  return signImpl(message, privateKey, userId, [{ k, x1 }]);
}

// ---------------------------------------------------------------------------

function signImpl(
  message: Uint8Array | string,
  privateKey: string,
  userId: string,
  pointPool: { k: bigint; x1: bigint }[] | undefined,
): string {
  const d = normalizePrivateKey(privateKey);
  const msg = messageBytes(message);
  if (msg === null) throw new TypeError('sm2Sign: message must be bytes or a well-formed string');
  if (!isValidUserId(userId)) {
    throw new TypeError(`sm2Sign: userId must be a well-formed string of 1..${MAX_USER_ID_BYTES} UTF-8 bytes`);
  }
  const publicKey = sm2.getPublicKeyFromPrivateKey(d);
  const options = { hash: true, der: true, userId, publicKey, ...(pointPool ? { pointPool } : {}) };
  return sm2.doSignature(msg, d, options).toLowerCase();
}

function keyPairFromScalar(d: bigint): Sm2KeyPair {
  const privateKey = d.toString(16).padStart(64, '0');
  return { privateKey, publicKey: sm2.getPublicKeyFromPrivateKey(privateKey).toLowerCase() };
}

function scalarFromBytes(bytes: Uint8Array): bigint {
  const x = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  return (x % (N - 2n)) + 1n;
}

/** Validates hex shape and range [1, n-2] (SM2 needs 1 + d invertible mod n). */
function normalizePrivateKey(privateKey: string): string {
  if (typeof privateKey !== 'string' || !PRIVATE_KEY_RE.test(privateKey)) {
    throw new TypeError('SM2 private key must be 64 hex digits');
  }
  const d = BigInt('0x' + privateKey);
  if (d < 1n || d > N - 2n) throw new RangeError('SM2 private key out of range [1, n-2]');
  return privateKey.toLowerCase();
}

function isValidPublicKey(publicKey: string): boolean {
  if (typeof publicKey !== 'string' || !PUBLIC_KEY_RE.test(publicKey)) return false;
  try {
    return sm2.verifyPublicKey(publicKey.toLowerCase());
  } catch {
    return false; // noble throws for points not on the curve
  }
}

function publicKeyBytes(publicKey: string): Buffer {
  if (!isValidPublicKey(publicKey)) {
    throw new TypeError('SM2 public key must be an uncompressed point (130 hex digits, 04...) on the curve');
  }
  return Buffer.from(publicKey, 'hex');
}

/** UTF-8 bytes as a plain Uint8Array, or null for strings that are not well-formed UTF-16. */
function messageBytes(message: Uint8Array | string): Uint8Array | null {
  if (typeof message === 'string') {
    return message.isWellFormed() ? new Uint8Array(Buffer.from(message, 'utf8')) : null;
  }
  return message instanceof Uint8Array ? new Uint8Array(message) : null;
}

function isValidUserId(userId: string): boolean {
  return (
    typeof userId === 'string' &&
    userId.length > 0 &&
    userId.isWellFormed() &&
    Buffer.byteLength(userId, 'utf8') <= MAX_USER_ID_BYTES
  );
}

/**
 * Strict DER for SEQUENCE { INTEGER r, INTEGER s }: short-form lengths,
 * minimal positive integers, no trailing bytes, 1 <= r, s <= n-1.
 * (sm-crypto-v2's own decoder is lenient, so this runs first.)
 */
function parseDerSignature(hex: string): { r: bigint; s: bigint } | null {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const b = Buffer.from(hex, 'hex');
  if (b.length < 8 || b.length > MAX_DER_SIGNATURE_BYTES) return null;
  if (b[0] !== 0x30 || b[1] !== b.length - 2) return null;
  let pos = 2;
  const readInt = (): bigint | null => {
    if (b[pos] !== 0x02) return null;
    const len = b[pos + 1];
    if (len === undefined || len < 1 || len > 33 || pos + 2 + len > b.length) return null;
    const v = b.subarray(pos + 2, pos + 2 + len);
    const first = v[0] ?? 0;
    const second = v[1] ?? 0;
    if (first & 0x80) return null; // negative
    if (len > 1 && first === 0 && (second & 0x80) === 0) return null; // non-minimal
    pos += 2 + len;
    return BigInt('0x' + v.toString('hex'));
  };
  const r = readInt();
  if (r === null) return null;
  const s = readInt();
  if (s === null || pos !== b.length) return null;
  if (r < 1n || r >= N || s < 1n || s >= N) return null;
  return { r, s };
}

// --- minimal DER encoder (just what SPKI / PKCS#8 / SEC1 need) -------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(tag), derLength(content.length), content]);
}

function derSequence(...items: Uint8Array[]): Buffer {
  return derTlv(0x30, Buffer.concat(items));
}

/** Non-negative INTEGER from big-endian magnitude bytes. */
function derInteger(magnitude: Uint8Array): Buffer {
  let m = Buffer.from(magnitude);
  let i = 0;
  while (i < m.length - 1 && m[i] === 0) i++;
  m = m.subarray(i);
  if ((m[0] ?? 0) & 0x80) m = Buffer.concat([Buffer.of(0), m]);
  return derTlv(0x02, m);
}

function derOctetString(content: Uint8Array): Buffer {
  return derTlv(0x04, content);
}

function derBitString(content: Uint8Array): Buffer {
  return derTlv(0x03, Buffer.concat([Buffer.of(0), content])); // 0 unused bits
}

function derOid(oid: string): Buffer {
  const arcs = oid.split('.').map((a) => BigInt(a));
  const [a0, a1, ...rest] = arcs;
  if (a0 === undefined || a1 === undefined) throw new Error(`bad OID ${oid}`);
  const body: number[] = [];
  for (const arc of [a0 * 40n + a1, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    body.push(...chunk);
  }
  return derTlv(0x06, Buffer.from(body));
}

/** id-ecPublicKey (RFC 5480) and the SM2 curve (GM/T 0006 / GB/T 33560). */
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_SM2_CURVE = '1.2.156.10197.1.301';
const ALGORITHM_IDENTIFIER = derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(OID_SM2_CURVE));

function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
