// Time-based one-time passwords (RFC 6238, on top of RFC 4226 HOTP) for
// second-factor login, plus the RFC 4648 base32 encoding authenticator apps
// use for the shared secret.
//
// Note on algorithms: authenticator apps (Google Authenticator, Microsoft
// Authenticator, 阿里云/腾讯身份验证器 ...) only interoperate reliably with
// HMAC-SHA1, 6 digits, 30 s, so verifyTotp and totpUri use exactly that.
// HMAC-SHA1 is still sound as a PRF here (HOTP does not rely on collision
// resistance). HMAC-SM3 TOTP would need a matching app/token and is not done.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DEFAULT_STEP = 30;
const DEFAULT_DIGITS = 6;
const MAX_WINDOW = 10;
const SECRET_BYTES = 20; // 160 bits, as RFC 4226 recommends for SHA-1

/** RFC 4648 section 6 base32 (with '=' padding), the encoding of TOTP secrets. */
export function base32Encode(buf: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = ((value << 8) | byte) & 0xfff; // never need more than 12 bits
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/**
 * Lenient on presentation, strict on content: users type or paste secrets,
 * so case, spaces and trailing '=' padding are ignored, but any other
 * character, '=' before the end, or an impossible length (1, 3 or 6 symbols
 * in the last group) throws, rather than silently yielding a different key.
 */
export function base32Decode(s: string): Buffer {
  if (typeof s !== 'string') throw new TypeError('base32Decode: expected a string');
  const cleaned = s.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  const rem = cleaned.length % 8;
  if (rem === 1 || rem === 3 || rem === 6) {
    throw new RangeError('base32Decode: invalid length');
  }
  const out = Buffer.alloc(Math.floor((cleaned.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const ch of cleaned) {
    const v = BASE32_ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`base32Decode: invalid character ${JSON.stringify(ch)}`);
    value = ((value << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out[index++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/** A new 160-bit random secret, base32 without padding, ready for enrolment (QR code via totpUri). */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

export type TotpOptions = {
  /** Code length, 6..10; default 6. */
  digits?: number;
  /** Time step in seconds; default 30. */
  step?: number;
  /** HMAC hash; default 'sha1'. */
  algorithm?: 'sha1' | 'sha256' | 'sha512';
};

/**
 * The code for a given instant (T0 = 0), exposed for tests, enrolment
 * confirmation screens and tooling; login should go through verifyTotp.
 */
export function totpAt(secret: Uint8Array, unixSeconds: number, opts: TotpOptions = {}): string {
  const step = opts.step ?? DEFAULT_STEP;
  if (!Number.isInteger(step) || step < 1) throw new RangeError('totp: step must be a positive integer');
  if (!Number.isFinite(unixSeconds) || unixSeconds < 0) {
    throw new RangeError('totp: unixSeconds must be a finite, non-negative number');
  }
  return hotp(secret, Math.floor(unixSeconds / step), opts.digits ?? DEFAULT_DIGITS, opts.algorithm ?? 'sha1');
}

export type TotpVerifyOptions = {
  /** Accepted clock drift in steps on each side; default 1 (i.e. +-30 s), max 10. */
  window?: number;
  /**
   * The counter returned by the last successful verification for this user.
   * Codes at or before it are rejected, so an observed code cannot be replayed
   * within its validity window. Persist the returned counter on success.
   */
  lastUsedCounter?: number | null;
};

export type TotpVerifyResult = { ok: true; counter: number } | { ok: false };

/**
 * Checks a user-entered 6-digit code (SHA-1, 30 s steps) with clock-drift
 * tolerance and replay protection. All candidate codes in the window are
 * compared in constant time, and non-6-digit input is rejected up front.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  unixSeconds: number,
  opts: TotpVerifyOptions = {},
): TotpVerifyResult {
  const window = opts.window ?? 1;
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`verifyTotp: window must be an integer in [0, ${MAX_WINDOW}]`);
  }
  const last = opts.lastUsedCounter ?? null;
  if (last !== null && !Number.isSafeInteger(last)) {
    throw new RangeError('verifyTotp: lastUsedCounter must be an integer or null');
  }
  if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) return { ok: false };
  const secret = base32Decode(secretBase32);
  if (secret.length === 0) throw new RangeError('verifyTotp: empty secret');
  if (!Number.isFinite(unixSeconds) || unixSeconds < 0) {
    throw new RangeError('verifyTotp: unixSeconds must be a finite, non-negative number');
  }

  const current = Math.floor(unixSeconds / DEFAULT_STEP);
  const given = Buffer.from(code, 'ascii');
  let matched: number | null = null;
  // Scan the whole window without early exit; prefer the earliest acceptable counter.
  for (let c = current - window; c <= current + window; c++) {
    if (c < 0) continue;
    const expected = Buffer.from(hotp(secret, c, DEFAULT_DIGITS, 'sha1'), 'ascii');
    const equal = timingSafeEqual(expected, given);
    if (equal && matched === null && (last === null || c > last)) matched = c;
  }
  secret.fill(0);
  return matched === null ? { ok: false } : { ok: true, counter: matched };
}

/**
 * otpauth:// URI (Google Authenticator key-URI format) to render as the
 * enrolment QR code. Issuer and account may not contain ':' because that
 * separates them in the label.
 */
export function totpUri(secretBase32: string, account: string, issuer: string = 'govproj'): string {
  if (!account || account.includes(':') || !issuer || issuer.includes(':')) {
    throw new RangeError('totpUri: account and issuer must be non-empty and must not contain ":"');
  }
  const secret = base32Encode(base32Decode(secretBase32)).replace(/=+$/, '');
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(DEFAULT_DIGITS),
    period: String(DEFAULT_STEP),
  });
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, '%20')}`;
}

/** RFC 4226 HOTP with dynamic truncation. */
function hotp(secret: Uint8Array, counter: number, digits: number, algorithm: string): string {
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) {
    throw new RangeError('totp: digits must be an integer in [6, 10]');
  }
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError('totp: counter out of range');
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new RangeError('totp: unsupported algorithm');
  }
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(msg).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}
