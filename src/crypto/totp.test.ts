import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { base32Decode, base32Encode, generateTotpSecret, totpAt, totpUri, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B: the seeds are the ASCII strings below (20, 32 and 64
// bytes for SHA-1, SHA-256 and SHA-512), T0 = 0, X = 30 s, 8 digits.
const SEED_SHA1 = Buffer.from('12345678901234567890', 'ascii');
const SEED_SHA256 = Buffer.from('12345678901234567890123456789012', 'ascii');
const SEED_SHA512 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii');

const RFC6238_VECTORS: { time: number; counterHex: string; sha1: string; sha256: string; sha512: string }[] = [
  { time: 59, counterHex: '0000000000000001', sha1: '94287082', sha256: '46119246', sha512: '90693936' },
  { time: 1111111109, counterHex: '00000000023523EC', sha1: '07081804', sha256: '68084774', sha512: '25091201' },
  { time: 1111111111, counterHex: '00000000023523ED', sha1: '14050471', sha256: '67062674', sha512: '99943326' },
  { time: 1234567890, counterHex: '000000000273EF07', sha1: '89005924', sha256: '91819424', sha512: '93441116' },
  { time: 2000000000, counterHex: '0000000003F940AA', sha1: '69279037', sha256: '90698825', sha512: '38618901' },
  { time: 20000000000, counterHex: '0000000027BC86AA', sha1: '65353130', sha256: '77737706', sha512: '47863826' },
];

// RFC 4226 Appendix D: HOTP values for the same SHA-1 secret, counters 0..9.
const RFC4226_HOTP = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

// RFC 4648 section 10.
const RFC4648_BASE32: [string, string][] = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('base32', () => {
  it('matches the RFC 4648 test vectors both ways', () => {
    for (const [plain, encoded] of RFC4648_BASE32) {
      expect(base32Encode(Buffer.from(plain, 'ascii'))).toBe(encoded);
      expect(base32Decode(encoded).toString('ascii')).toBe(plain);
    }
  });

  it('decodes case-insensitively and ignores spaces and padding', () => {
    expect(base32Decode('mzxw6ytboi').toString()).toBe('foobar');
    expect(base32Decode('MZXW 6YTB OI==  ====').toString()).toBe('foobar');
    expect(base32Decode(' mzxw\t6ytb\noi ').toString()).toBe('foobar');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode('').length).toBe(0);
  });

  it('throws on invalid characters, misplaced padding and impossible lengths', () => {
    for (const bad of ['MZXW6YT1', 'MZXW6YT0', 'MZXW6YT8', 'MZXW6YT9', 'MZ=XW6YT', 'MZXW-6YT', 'MZXW6YTÉ', 'MZXW6YTB!']) {
      expect(() => base32Decode(bad), bad).toThrow(RangeError);
    }
    for (const bad of ['M', 'MZX', 'MZXW6Y', 'MZXW6YTBO']) {
      expect(() => base32Decode(bad), bad).toThrow(RangeError);
    }
  });

  it('round-trips arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const enc = base32Encode(bytes);
        expect(enc).toMatch(/^[A-Z2-7]*=*$/);
        expect(enc.length % 8).toBe(0);
        expect(base32Decode(enc)).toEqual(Buffer.from(bytes));
        expect(base32Decode(enc.toLowerCase().replace(/=/g, ''))).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('totpAt', () => {
  it('reproduces every RFC 6238 Appendix B test vector (SHA1/SHA256/SHA512, 8 digits)', () => {
    let checked = 0;
    for (const v of RFC6238_VECTORS) {
      expect(Math.floor(v.time / 30)).toBe(parseInt(v.counterHex, 16));
      expect(totpAt(SEED_SHA1, v.time, { digits: 8, algorithm: 'sha1' }), `sha1 @${v.time}`).toBe(v.sha1);
      expect(totpAt(SEED_SHA256, v.time, { digits: 8, algorithm: 'sha256' }), `sha256 @${v.time}`).toBe(v.sha256);
      expect(totpAt(SEED_SHA512, v.time, { digits: 8, algorithm: 'sha512' }), `sha512 @${v.time}`).toBe(v.sha512);
      checked += 3;
    }
    expect(checked).toBe(18);
  });

  it('is HOTP over floor(t / step): RFC 4226 Appendix D values with step = 1', () => {
    RFC4226_HOTP.forEach((code, counter) => {
      expect(totpAt(SEED_SHA1, counter, { step: 1 })).toBe(code);
    });
  });

  it('defaults to SHA-1, 6 digits, 30 s (last 6 digits of the 8-digit code here)', () => {
    expect(totpAt(SEED_SHA1, 59)).toBe('287082');
    expect(totpAt(SEED_SHA1, 1111111109)).toBe('081804');
    expect(totpAt(SEED_SHA1, 30)).toBe(totpAt(SEED_SHA1, 59));
    expect(totpAt(SEED_SHA1, 29)).not.toBe(totpAt(SEED_SHA1, 30));
  });

  it('rejects invalid options and times', () => {
    expect(() => totpAt(SEED_SHA1, 59, { digits: 5 })).toThrow(RangeError);
    expect(() => totpAt(SEED_SHA1, 59, { digits: 11 })).toThrow(RangeError);
    expect(() => totpAt(SEED_SHA1, 59, { step: 0 })).toThrow(RangeError);
    expect(() => totpAt(SEED_SHA1, 59, { step: 1.5 })).toThrow(RangeError);
    expect(() => totpAt(SEED_SHA1, -1)).toThrow(RangeError);
    expect(() => totpAt(SEED_SHA1, Number.NaN)).toThrow(RangeError);
    expect(() => totpAt(SEED_SHA1, 59, { algorithm: 'md5' as 'sha1' })).toThrow(RangeError);
  });
});

describe('verifyTotp', () => {
  const secretB32 = base32Encode(SEED_SHA1);
  const T = 1_700_000_000; // an arbitrary instant; counter below
  const C = Math.floor(T / 30);
  const codeAt = (counter: number): string => totpAt(SEED_SHA1, counter * 30);

  it('accepts the current code and returns its counter', () => {
    expect(verifyTotp(secretB32, codeAt(C), T)).toEqual({ ok: true, counter: C });
    // Secret may be given lowercase, spaced, padded.
    const messy = secretB32.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect(verifyTotp(messy, codeAt(C), T)).toEqual({ ok: true, counter: C });
  });

  it('accepts exactly one step of drift each side by default', () => {
    expect(verifyTotp(secretB32, codeAt(C - 1), T)).toEqual({ ok: true, counter: C - 1 });
    expect(verifyTotp(secretB32, codeAt(C + 1), T)).toEqual({ ok: true, counter: C + 1 });
    expect(verifyTotp(secretB32, codeAt(C - 2), T)).toEqual({ ok: false });
    expect(verifyTotp(secretB32, codeAt(C + 2), T)).toEqual({ ok: false });
  });

  it('window boundaries are step boundaries of the current time', () => {
    const start = C * 30; // first second of step C
    const end = C * 30 + 29; // last second of step C
    // At the first second of C, C-1 is inside the window but C-2 is not.
    expect(verifyTotp(secretB32, codeAt(C - 1), start).ok).toBe(true);
    expect(verifyTotp(secretB32, codeAt(C - 2), start).ok).toBe(false);
    // One second earlier the current step is C-1, so C-2 is back in and C+1 is out.
    expect(verifyTotp(secretB32, codeAt(C - 2), start - 1).ok).toBe(true);
    expect(verifyTotp(secretB32, codeAt(C + 1), start - 1).ok).toBe(false);
    // At the last second of C, C+1 is in, C+2 is out; a second later C+2 is in.
    expect(verifyTotp(secretB32, codeAt(C + 1), end).ok).toBe(true);
    expect(verifyTotp(secretB32, codeAt(C + 2), end).ok).toBe(false);
    expect(verifyTotp(secretB32, codeAt(C + 2), end + 1).ok).toBe(true);
  });

  it('honours custom windows', () => {
    expect(verifyTotp(secretB32, codeAt(C - 1), T, { window: 0 }).ok).toBe(false);
    expect(verifyTotp(secretB32, codeAt(C), T, { window: 0 }).ok).toBe(true);
    expect(verifyTotp(secretB32, codeAt(C - 3), T, { window: 3 }).ok).toBe(true);
    expect(verifyTotp(secretB32, codeAt(C + 3), T, { window: 3 }).ok).toBe(true);
    expect(verifyTotp(secretB32, codeAt(C + 4), T, { window: 3 }).ok).toBe(false);
    expect(() => verifyTotp(secretB32, codeAt(C), T, { window: -1 })).toThrow(RangeError);
    expect(() => verifyTotp(secretB32, codeAt(C), T, { window: 11 })).toThrow(RangeError);
    expect(() => verifyTotp(secretB32, codeAt(C), T, { window: 1.5 })).toThrow(RangeError);
  });

  it('rejects replays: counters at or before lastUsedCounter', () => {
    const first = verifyTotp(secretB32, codeAt(C), T, { lastUsedCounter: null });
    expect(first).toEqual({ ok: true, counter: C });
    // Same code again, same step or a few seconds later: replay.
    expect(verifyTotp(secretB32, codeAt(C), T, { lastUsedCounter: C })).toEqual({ ok: false });
    expect(verifyTotp(secretB32, codeAt(C), T + 20, { lastUsedCounter: C })).toEqual({ ok: false });
    // An older code still inside the drift window is also refused.
    expect(verifyTotp(secretB32, codeAt(C - 1), T, { lastUsedCounter: C })).toEqual({ ok: false });
    // The next step's code is fine.
    expect(verifyTotp(secretB32, codeAt(C + 1), T + 30, { lastUsedCounter: C })).toEqual({ ok: true, counter: C + 1 });
    // A code accepted early (clock ahead) blocks the current step afterwards.
    expect(verifyTotp(secretB32, codeAt(C), T, { lastUsedCounter: C + 1 })).toEqual({ ok: false });
  });

  it('rejects anything that is not exactly six ASCII digits', () => {
    const code = codeAt(C);
    for (const bad of [
      '', code.slice(0, 5), code + '0', ` ${code}`, `${code} `, `${code.slice(0, 3)} ${code.slice(3)}`,
      '12345a', '１２３４５６', totpAt(SEED_SHA1, T, { digits: 8 }), '-12345', '+12345', '1e5000',
    ]) {
      expect(verifyTotp(secretB32, bad, T), JSON.stringify(bad)).toEqual({ ok: false });
    }
    expect(verifyTotp(secretB32, 123456 as unknown as string, T)).toEqual({ ok: false });
  });

  it('rejects wrong codes and wrong secrets', () => {
    const code = codeAt(C);
    const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
    expect(verifyTotp(secretB32, wrong, T).ok).toBe(false);
    expect(verifyTotp(generateTotpSecret(), code, T).ok).toBe(false);
  });

  it('handles times near the epoch (no negative counters)', () => {
    expect(verifyTotp(secretB32, RFC4226_HOTP[0] ?? '', 0)).toEqual({ ok: true, counter: 0 });
    expect(verifyTotp(secretB32, RFC4226_HOTP[1] ?? '', 0)).toEqual({ ok: true, counter: 1 });
  });

  it('throws on a corrupt stored secret or invalid time (server-side errors)', () => {
    expect(() => verifyTotp('not base32!', '123456', T)).toThrow(RangeError);
    expect(() => verifyTotp('', '123456', T)).toThrow(RangeError);
    expect(() => verifyTotp(secretB32, '123456', -5)).toThrow(RangeError);
  });
});

describe('generateTotpSecret / totpUri', () => {
  it('generates 160-bit base32 secrets without padding', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const s = generateTotpSecret();
      expect(s).toMatch(/^[A-Z2-7]{32}$/);
      expect(base32Decode(s).length).toBe(20);
      seen.add(s);
    }
    expect(seen.size).toBe(100);
  });

  it('round-trips: a code made from the generated secret verifies', () => {
    const s = generateTotpSecret();
    const now = 1_750_000_000;
    expect(verifyTotp(s, totpAt(base32Decode(s), now), now).ok).toBe(true);
  });

  it('builds an otpauth URI authenticator apps accept', () => {
    const secret = 'JBSWY3DPEHPK3PXP';
    const uri = totpUri(secret, 'zhang.san@example.gov.cn');
    expect(uri).toBe(
      'otpauth://totp/govproj:zhang.san%40example.gov.cn?secret=JBSWY3DPEHPK3PXP&issuer=govproj&algorithm=SHA1&digits=6&period=30',
    );
    const u = new URL(totpUri(secret.toLowerCase(), '张三', '某市 政务云'));
    expect(u.protocol).toBe('otpauth:');
    expect(u.host).toBe('totp');
    expect(decodeURIComponent(u.pathname)).toBe('/某市 政务云:张三');
    expect(u.searchParams.get('secret')).toBe(secret);
    expect(u.searchParams.get('issuer')).toBe('某市 政务云');
    expect(u.search).not.toContain('+');
  });

  it('strips padding and normalises the secret, and rejects ":" in label parts', () => {
    expect(totpUri('mzxw 6ytb oi======', 'a')).toContain('secret=MZXW6YTBOI&');
    expect(() => totpUri('MZXW6YTB', 'a:b')).toThrow(RangeError);
    expect(() => totpUri('MZXW6YTB', 'a', 'x:y')).toThrow(RangeError);
    expect(() => totpUri('MZXW6YTB', '')).toThrow(RangeError);
    expect(() => totpUri('MZXW6YT1', 'a')).toThrow(RangeError);
  });
});
