import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { deriveKey, hmacSm3, sm3, sm3Hex } from './sm3.ts';
import { legacySmCrypto, openssl } from './test-support.ts';

// GB/T 32905-2016 Appendix A (examples 1 and 2).
const ABC_DIGEST = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
const ABCD16_DIGEST = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';

function opensslSm3Hex(data: Uint8Array): string {
  // Output format: "SM3(stdin)= <hex>"
  const out = openssl(['dgst', '-sm3', '-r'], data).toString('utf8');
  return out.trim().split(/\s+/)[0] ?? '';
}

function opensslHmacSm3Hex(key: Uint8Array, data: Uint8Array): string {
  const out = openssl(
    ['mac', '-digest', 'SM3', '-macopt', `hexkey:${Buffer.from(key).toString('hex')}`, 'HMAC'],
    data,
  );
  return out.toString('utf8').trim().toLowerCase();
}

describe('sm3', () => {
  it('matches the GB/T 32905 known answers', () => {
    expect(sm3Hex('abc')).toBe(ABC_DIGEST);
    expect(sm3Hex('abcd'.repeat(16))).toBe(ABCD16_DIGEST);
    expect(sm3(Buffer.from('abc')).toString('hex')).toBe(ABC_DIGEST);
    // Empty input (cross-checked with `openssl dgst -sm3 </dev/null`).
    expect(sm3Hex('')).toBe('1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b');
  });

  it('returns a 32-byte Buffer', () => {
    const d = sm3('abc');
    expect(Buffer.isBuffer(d)).toBe(true);
    expect(d.length).toBe(32);
  });

  it('hashes strings as UTF-8', () => {
    const s = '政务项目 ✓ 𠮷';
    expect(sm3Hex(s)).toBe(sm3Hex(Buffer.from(s, 'utf8')));
    expect(sm3Hex(s)).toBe(legacySmCrypto.sm3(s));
  });

  it('agrees with the legacy sm-crypto implementation on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(sm3Hex(bytes)).toBe(legacySmCrypto.sm3(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with the openssl CLI on random inputs (block boundaries included)', () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 4097]) {
      const data = randomBytes(len);
      expect(sm3Hex(data), `length ${len}`).toBe(opensslSm3Hex(data));
    }
  });
});

describe('hmacSm3', () => {
  it('agrees with `openssl dgst -sm3 -hmac` for a text key', () => {
    const out = openssl(['dgst', '-sm3', '-hmac', 'key', '-r'], 'abc').toString('utf8');
    expect(hmacSm3(Buffer.from('key'), 'abc').toString('hex')).toBe(out.trim().split(/\s+/)[0]);
  });

  it('agrees with `openssl mac HMAC` for random binary keys, including keys longer than a block', () => {
    for (const keyLen of [1, 16, 32, 63, 64, 65, 100]) {
      const key = randomBytes(keyLen);
      const data = randomBytes(keyLen * 3);
      expect(hmacSm3(key, data).toString('hex'), `key length ${keyLen}`).toBe(opensslHmacSm3Hex(key, data));
    }
  });

  it('agrees with the legacy sm-crypto HMAC on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.uint8Array({ maxLength: 200 }), (key, data) => {
        expect(hmacSm3(key, data).toString('hex')).toBe(legacySmCrypto.sm3(data, { key }));
      }),
      { numRuns: 100 },
    );
  });
});

describe('deriveKey', () => {
  const master = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

  function opensslKbkdf(key: Uint8Array, label: string, length: number): string {
    const out = openssl([
      'kdf', '-keylen', String(length), '-binary',
      '-kdfopt', 'mac:HMAC', '-kdfopt', 'digest:SM3', '-kdfopt', 'mode:COUNTER',
      '-kdfopt', `hexkey:${Buffer.from(key).toString('hex')}`,
      '-kdfopt', `hexsalt:${Buffer.from(label, 'utf8').toString('hex')}`,
      'KBKDF',
    ]);
    return out.toString('hex');
  }

  it('equals OpenSSL KBKDF (SP 800-108 counter mode, HMAC-SM3, empty context)', () => {
    for (const [label, length] of [
      ['govproj/field-enc/v1', 16],
      ['govproj/field-mac/v1', 32],
      ['govproj/field-index/v1', 32],
      ['x', 33],
      ['政务/标签', 64],
      ['long-output', 100],
    ] as const) {
      expect(deriveKey(master, label, length).toString('hex'), `${label}/${length}`).toBe(
        opensslKbkdf(master, label, length),
      );
    }
    const randomMaster = randomBytes(48);
    expect(deriveKey(randomMaster, 'r', 40).toString('hex')).toBe(opensslKbkdf(randomMaster, 'r', 40));
  });

  it('is a deterministic function of (master, label, length)', () => {
    expect(deriveKey(master, 'a', 32)).toEqual(deriveKey(master, 'a', 32));
    expect(deriveKey(master, 'a', 32)).not.toEqual(deriveKey(master, 'b', 32));
    const other = Buffer.from(master);
    other[0] = (other[0] ?? 0) ^ 1;
    expect(deriveKey(master, 'a', 32)).not.toEqual(deriveKey(other, 'a', 32));
  });

  it('binds the output length, so a shorter key is not a prefix of a longer one', () => {
    const k16 = deriveKey(master, 'a', 16);
    const k32 = deriveKey(master, 'a', 32);
    expect(k16.length).toBe(16);
    expect(k32.subarray(0, 16)).not.toEqual(k16);
  });

  it('rejects bad arguments', () => {
    expect(() => deriveKey(Buffer.alloc(15), 'a', 32)).toThrow(RangeError);
    expect(() => deriveKey(master, 'a', 0)).toThrow(RangeError);
    expect(() => deriveKey(master, 'a', 1.5)).toThrow(RangeError);
    expect(() => deriveKey(master, 'a', 65_537)).toThrow(RangeError);
    expect(() => deriveKey(master, '', 32)).toThrow(TypeError);
    expect(() => deriveKey(master, 'a\u0000b', 32)).toThrow(TypeError);
    expect(() => deriveKey(master, '\ud800', 32)).toThrow(TypeError);
  });
});
