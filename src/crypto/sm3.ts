// SM3 hashing, HMAC-SM3 and a counter-mode KDF, all backed by Node's
// OpenSSL (node:crypto) rather than a JavaScript implementation.
import { createHash, createHmac } from 'node:crypto';

/** Bytes in, bytes out; strings are UTF-8 encoded. Node's OpenSSL build is used because it is fast and audited. */
export function sm3(data: Uint8Array | string): Buffer {
  return createHash('sm3').update(toBytes(data)).digest();
}

/** Hex form for logs, fingerprints and database columns where text is handier than bytes. */
export function sm3Hex(data: Uint8Array | string): string {
  return createHash('sm3').update(toBytes(data)).digest('hex');
}

/** Keyed SM3 (RFC 2104 construction) for integrity tags and blind indexes under a secret key. */
export function hmacSm3(key: Uint8Array, data: Uint8Array | string): Buffer {
  return createHmac('sm3', key).update(toBytes(data)).digest();
}

/** Minimum master key size accepted by deriveKey: anything shorter is not a key. */
const MIN_MASTER_KEY_BYTES = 16;
/** Upper bound on one derivation; this KDF makes keys, not keystreams. */
const MAX_DERIVED_BYTES = 65_536;
const SM3_OUTPUT_BYTES = 32;
const ZERO_BYTE = Buffer.of(0);

/**
 * Derives an independent sub-key per purpose from one master key, so a single
 * configured secret can feed encryption, MAC and index keys without reusing a
 * key across algorithms. This is the NIST SP 800-108r1 KDF in counter mode
 * with HMAC-SM3 as the PRF:
 *
 *   K(i) = HMAC-SM3(master, [i]_32 || label || 0x00 || [L]_32),  i = 1, 2, ...
 *
 * where [x]_32 is a 32-bit big-endian integer and L is the output length in
 * BITS (as SP 800-108 specifies), and the context field is empty. Output is
 * identical to OpenSSL's KBKDF (`openssl kdf -kdfopt mac:HMAC -kdfopt digest:SM3
 * -kdfopt salt:<label> KBKDF`), which the tests use as a cross-check. Because
 * L is an input, asking for a different length yields unrelated bytes, not a
 * prefix/extension of another derivation.
 */
export function deriveKey(master: Uint8Array, label: string, length: number): Buffer {
  if (!(master instanceof Uint8Array) || master.length < MIN_MASTER_KEY_BYTES) {
    throw new RangeError(`deriveKey: master key must be at least ${MIN_MASTER_KEY_BYTES} bytes`);
  }
  if (!Number.isInteger(length) || length < 1 || length > MAX_DERIVED_BYTES) {
    throw new RangeError(`deriveKey: length must be an integer in [1, ${MAX_DERIVED_BYTES}]`);
  }
  if (label.length === 0 || label.includes('\u0000') || !label.isWellFormed()) {
    // The 0x00 separator is what keeps "label || context" unambiguous, so the
    // label itself must not contain it.
    throw new TypeError('deriveKey: label must be a non-empty, well-formed string without NUL');
  }
  const labelBytes = Buffer.from(label, 'utf8');
  const lengthBits = Buffer.alloc(4);
  lengthBits.writeUInt32BE(length * 8);
  const blocks = Math.ceil(length / SM3_OUTPUT_BYTES);
  const out = Buffer.alloc(blocks * SM3_OUTPUT_BYTES);
  const counter = Buffer.alloc(4);
  for (let i = 1; i <= blocks; i++) {
    counter.writeUInt32BE(i);
    createHmac('sm3', master)
      .update(counter)
      .update(labelBytes)
      .update(ZERO_BYTE)
      .update(lengthBits)
      .digest()
      .copy(out, (i - 1) * SM3_OUTPUT_BYTES);
  }
  // Copy so callers never hold a view onto the discarded tail bytes.
  const key = Buffer.from(out.subarray(0, length));
  out.fill(0);
  return key;
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}
