import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  FIELD_TAMPERED_CODE,
  FieldDecryptError,
  blindIndex,
  decryptField,
  encryptField,
  fieldKeysFromMaster,
  type FieldKeys,
} from './sm4.ts';
import { deriveKey, hmacSm3 } from './sm3.ts';
import { openssl } from './test-support.ts';

const MASTER = Buffer.from('8f3a1c0e5d7b2a4968f1e0d3c2b5a4978f6e5d4c3b2a19087f6e5d4c3b2a1908', 'hex');
const KEYS = fieldKeysFromMaster(MASTER);
const OTHER_KEYS = fieldKeysFromMaster(randomBytes(32));

type TokenParts = { iv: Buffer; ct: Buffer; mac: Buffer };

function splitToken(token: string): TokenParts {
  const [v, iv, ct, mac] = token.split('.');
  expect(v).toBe('v1');
  return {
    iv: Buffer.from(iv ?? '', 'base64url'),
    ct: Buffer.from(ct ?? '', 'base64url'),
    mac: Buffer.from(mac ?? '', 'base64url'),
  };
}

function joinToken(p: TokenParts): string {
  return `v1.${p.iv.toString('base64url')}.${p.ct.toString('base64url')}.${p.mac.toString('base64url')}`;
}

function expectTampered(token: string, keys: FieldKeys = KEYS): void {
  let caught: unknown;
  try {
    decryptField(token, keys);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(FieldDecryptError);
  expect((caught as FieldDecryptError).code).toBe('crypto.field_tampered');
}

// 18-character PRC resident ID number shape: 17 digits + check digit (0-9 or X).
const idNumber = fc
  .tuple(fc.stringMatching(/^\d{17}$/), fc.constantFrom(...'0123456789X'))
  .map(([body, check]) => body + check);

describe('SM4 block cipher (Node/OpenSSL)', () => {
  const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');

  it('matches the GB/T 32907-2016 Appendix A example 1 (single block)', () => {
    const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    const ct = Buffer.concat([c.update(key), c.final()]);
    expect(ct.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('matches the GB/T 32907-2016 Appendix A example 2 (1,000,000 encryptions)', () => {
    const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    let block: Buffer = key;
    for (let i = 0; i < 1_000_000; i++) block = c.update(block);
    expect(block.toString('hex')).toBe('595298c7c6fd271f0402f804c33d3f66');
  }, 60_000);
});

describe('fieldKeysFromMaster', () => {
  it('derives three distinct keys of the documented sizes via deriveKey', () => {
    expect(KEYS.encKey.length).toBe(16);
    expect(KEYS.macKey.length).toBe(32);
    expect(KEYS.indexKey.length).toBe(32);
    expect(KEYS.encKey).toEqual(deriveKey(MASTER, 'govproj/field-enc/v1', 16));
    expect(KEYS.macKey).toEqual(deriveKey(MASTER, 'govproj/field-mac/v1', 32));
    expect(KEYS.indexKey).toEqual(deriveKey(MASTER, 'govproj/field-index/v1', 32));
    expect(KEYS.macKey).not.toEqual(KEYS.indexKey);
    expect(fieldKeysFromMaster(MASTER)).toEqual(KEYS);
  });

  it('rejects a short master key', () => {
    expect(() => fieldKeysFromMaster(Buffer.alloc(8))).toThrow(RangeError);
  });
});

describe('encryptField / decryptField', () => {
  it('produces the compact v1 token format', () => {
    const token = encryptField('13800138000', KEYS);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const { iv, ct, mac } = splitToken(token);
    expect(iv.length).toBe(16);
    expect(ct.length).toBe(16); // 11 bytes + PKCS#7 padding
    expect(mac.length).toBe(32);
  });

  it('round-trips fixed examples: empty, phone, ID number, Chinese, emoji', () => {
    for (const s of ['', '13800138000', '11010519491231002X', '张三，北京市东城区', '😀 𠮷野家', 'a'.repeat(10_000)]) {
      expect(decryptField(encryptField(s, KEYS), KEYS)).toBe(s);
    }
  });

  it('round-trips arbitrary strings (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 50 }),
          fc.string({ unit: fc.constantFrom(...'政务信息化项目全生命周期管理平台身份证号码手机'), maxLength: 40 }),
          idNumber,
          fc.stringMatching(/^1[3-9]\d{9}$/),
        ),
        (s) => {
          expect(decryptField(encryptField(s, KEYS), KEYS)).toBe(s);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('encrypts the same plaintext to different tokens each time', () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 50; i++) tokens.add(encryptField('11010519491231002X', KEYS));
    expect(tokens.size).toBe(50);
  });

  it('rejects every single-bit flip of iv, ciphertext and MAC', () => {
    const token = encryptField('11010519491231002X', KEYS);
    const parts = splitToken(token);
    let flips = 0;
    for (const field of ['iv', 'ct', 'mac'] as const) {
      const bytes = parts[field];
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expectTampered(joinToken({ ...parts, [field]: flipped }));
        flips++;
      }
    }
    expect(flips).toBe((16 + 32 + 32) * 8);
    // Sanity: the untouched token still decrypts.
    expect(decryptField(joinToken(parts), KEYS)).toBe('11010519491231002X');
  });

  it('rejects swapped or truncated components', () => {
    const a = splitToken(encryptField('13800138000', KEYS));
    const b = splitToken(encryptField('13900139000', KEYS));
    expectTampered(joinToken({ ...a, iv: b.iv }));
    expectTampered(joinToken({ ...a, ct: b.ct }));
    expectTampered(joinToken({ ...a, mac: b.mac }));
    expectTampered(joinToken({ ...a, mac: a.mac.subarray(0, 16) }));
    // Dropping a ciphertext block with a recomputed-looking length still fails the MAC.
    const long = splitToken(encryptField('x'.repeat(40), KEYS));
    expectTampered(joinToken({ ...long, ct: long.ct.subarray(0, 32) }));
  });

  it('rejects a wrong key', () => {
    const token = encryptField('13800138000', KEYS);
    expectTampered(token, OTHER_KEYS);
    // Right MAC key, wrong encryption key: still a typed error, never garbage.
    expectTampered(token, { ...KEYS, macKey: OTHER_KEYS.macKey });
  });

  it('rejects malformed tokens', () => {
    const good = encryptField('13800138000', KEYS);
    const [, iv, ct, mac] = good.split('.') as [string, string, string, string];
    // Same 16 bytes, but with non-zero unused trailing bits: Node would decode
    // it to the identical IV, so only the canonical-encoding check rejects it.
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const ivWithTail = iv.slice(0, -1) + B64URL[B64URL.indexOf(iv.slice(-1)) + 1];
    expect(Buffer.from(ivWithTail, 'base64url')).toEqual(Buffer.from(iv, 'base64url'));
    const malformed = [
      '',
      'v1',
      'v1...',
      `v2.${iv}.${ct}.${mac}`,
      `V1.${iv}.${ct}.${mac}`,
      `v1.${iv}.${ct}`,
      `v1.${iv}.${ct}.${mac}.`,
      `v1.${iv}.${ct}.${mac}.x`,
      `v1.${iv}==.${ct}.${mac}`,
      `v1.${iv}.${ct}.${mac}=`,
      `v1.${iv}.${ct.replace(/.$/, '+')}.${mac}`,
      `v1.${iv}.${ct.replace(/.$/, '/')}.${mac}`,
      `v1.${iv} .${ct}.${mac}`,
      `v1.${ivWithTail}.${ct}.${mac}`,
      `v1.${iv}..${mac}`,
      `v1.${iv.slice(2)}.${ct}.${mac}`,
      `v1.${iv}.${ct.slice(0, -4)}.${mac}`,
      ` ${good}`,
      `${good}\n`,
    ];
    for (const t of malformed) expectTampered(t);
    expectTampered(42 as unknown as string);
  });

  it('FieldDecryptError is a typed Error', () => {
    const e = new FieldDecryptError();
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FieldDecryptError');
    expect(e.code).toBe('crypto.field_tampered');
    expect(FIELD_TAMPERED_CODE).toBe('crypto.field_tampered');
  });

  it('refuses strings that cannot round-trip through UTF-8', () => {
    expect(() => encryptField('abc\ud800', KEYS)).toThrow(TypeError);
  });

  it('refuses wrongly sized keys', () => {
    expect(() => encryptField('x', { ...KEYS, encKey: Buffer.alloc(32) })).toThrow(TypeError);
    expect(() => decryptField('x', { ...KEYS, macKey: Buffer.alloc(16) })).toThrow(TypeError);
  });

  it('uses the MAC over "v1" || iv || ct with the derived MAC key', () => {
    const token = encryptField('13800138000', KEYS);
    const { iv, ct, mac } = splitToken(token);
    expect(mac).toEqual(hmacSm3(KEYS.macKey, Buffer.concat([Buffer.from('v1'), iv, ct])));
  });

  it('produces SM4-CBC ciphertext identical to `openssl enc -sm4-cbc`', () => {
    for (const s of ['', '13800138000', '11010519491231002X', '张三，北京市东城区政务服务中心', 'x'.repeat(33)]) {
      const { iv, ct } = splitToken(encryptField(s, KEYS));
      const args = ['enc', '-sm4-cbc', '-K', KEYS.encKey.toString('hex'), '-iv', iv.toString('hex')];
      expect(openssl(args, Buffer.from(s, 'utf8')).toString('hex'), s).toBe(ct.toString('hex'));
      expect(openssl([...args, '-d'], ct).toString('utf8')).toBe(s);
    }
  });
});

describe('blindIndex', () => {
  it('is deterministic HMAC-SM3 hex under the index key', () => {
    const idx = blindIndex('13800138000', KEYS);
    expect(idx).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndex('13800138000', KEYS)).toBe(idx);
    expect(idx).toBe(hmacSm3(KEYS.indexKey, '13800138000').toString('hex'));
  });

  it('separates values and keys', () => {
    expect(blindIndex('13800138000', KEYS)).not.toBe(blindIndex('13800138001', KEYS));
    expect(blindIndex('13800138000', KEYS)).not.toBe(blindIndex('13800138000', OTHER_KEYS));
    // Not the same as the token MAC key's output (keys are separated).
    expect(blindIndex('x', KEYS)).not.toBe(hmacSm3(KEYS.macKey, 'x').toString('hex'));
  });

  it('allows equality lookups across independent encryptions', () => {
    fc.assert(
      fc.property(idNumber, idNumber, (a, b) => {
        const rowA = { token: encryptField(a, KEYS), idx: blindIndex(a, KEYS) };
        expect(rowA.idx === blindIndex(b, KEYS)).toBe(a === b);
        expect(rowA.idx).toBe(blindIndex(decryptField(rowA.token, KEYS), KEYS));
      }),
      { numRuns: 100 },
    );
  });
});
