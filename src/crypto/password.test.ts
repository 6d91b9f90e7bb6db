import { scryptSync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  SCRYPT_LOG_N,
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyPassword,
  type PasswordViolation,
} from './password.ts';

// scrypt at ln=17 takes ~0.6 s per call here; give hashing tests room.
const SLOW = 60_000;

const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');

function makeStored(password: string, logN: number, r: number, p: number, salt: Buffer, keylen = 32): string {
  const hash = scryptSync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, keylen, {
    N: 2 ** logN, r, p, maxmem: 256 * 1024 * 1024,
  });
  return `$scrypt$ln=${logN},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;
}

describe('hashPassword / verifyPassword', () => {
  it('produces a PHC string with the current parameters and verifies it', async () => {
    const stored = await hashPassword('Correct-Horse-7-Battery');
    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(SCRYPT_LOG_N).toBe(17);
    expect(await verifyPassword('Correct-Horse-7-Battery', stored)).toBe(true);
    expect(await verifyPassword('correct-Horse-7-Battery', stored)).toBe(false);
    expect(await verifyPassword('Correct-Horse-7-Battery ', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  }, SLOW);

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('Same-Password-123'), hashPassword('Same-Password-123')]);
    expect(a).not.toBe(b);
  }, SLOW);

  it('NFKC-normalises: full-width and composed/decomposed forms verify alike', async () => {
    const stored = await hashPassword('Ｐａｓｓｗｏｒｄ－１２３－café');
    expect(await verifyPassword('Password-123-café', stored)).toBe(true); // half-width, NFC é
    expect(await verifyPassword('Password-123-cafe\u0301', stored)).toBe(true); // NFD é
    expect(await verifyPassword('Password-123-cafe', stored)).toBe(false);
  }, SLOW);

  it('round-trips Chinese and astral-plane passwords', async () => {
    const pw = '我的密码-Mima-2024-𠮷';
    const stored = await hashPassword(pw);
    expect(await verifyPassword(pw, stored)).toBe(true);
    expect(await verifyPassword('我的密码-Mima-2024-吉', stored)).toBe(false);
  }, SLOW);

  it('verifies the RFC 7914 section 12 scrypt vector given as a stored string (parameters are parsed)', async () => {
    // scrypt(P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1, dkLen=64)
    const expected =
      '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2' +
      'd5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887';
    const stored = `$scrypt$ln=14,r=8,p=1$${b64(Buffer.from('SodiumChloride'))}$${b64(Buffer.from(expected, 'hex'))}`;
    expect(await verifyPassword('pleaseletmein', stored)).toBe(true);
    expect(await verifyPassword('pleaseletmeiN', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
  }, SLOW);

  it('verifies hashes made with other (older or newer) parameters and flags them for rehash', async () => {
    const salt = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    const older = makeStored('Legacy-Password-1', 14, 8, 1, salt);
    const wider = makeStored('Legacy-Password-1', 12, 4, 2, salt, 48);
    for (const stored of [older, wider]) {
      expect(await verifyPassword('Legacy-Password-1', stored)).toBe(true);
      expect(await verifyPassword('Legacy-Password-2', stored)).toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
  }, SLOW);

  it('returns false (without hashing) for malformed or out-of-bounds stored strings', async () => {
    const salt = b64(Buffer.alloc(16, 1));
    const hash = b64(Buffer.alloc(32, 2));
    const malformed = [
      '',
      'plaintext-password',
      '$scrypt$',
      `$scrypt$ln=17,r=8,p=1$${salt}`,
      `$scrypt$ln=17,r=8,p=1$${salt}$`,
      `$scrypt$ln=17,r=8,p=1$${salt}$${hash}$`,
      `$argon2id$v=19$m=65536,t=3,p=4$${salt}$${hash}`,
      `$scrypt$ln=17,r=8$${salt}$${hash}`,
      `$scrypt$r=8,ln=17,p=1$${salt}$${hash}`,
      `$scrypt$ln=017,r=8,p=1$${salt}$${hash}`,
      `$scrypt$ln=07,r=8,p=1$${salt}$${hash}`,
      `$scrypt$ln=9,r=8,p=1$${salt}$${hash}`, // too weak to be ours
      `$scrypt$ln=21,r=8,p=1$${salt}$${hash}`, // would need 2 GiB
      `$scrypt$ln=20,r=16,p=1$${salt}$${hash}`, // 2 GiB
      `$scrypt$ln=17,r=0,p=1$${salt}$${hash}`,
      `$scrypt$ln=17,r=8,p=0$${salt}$${hash}`,
      `$scrypt$ln=17,r=8,p=17$${salt}$${hash}`,
      `$scrypt$ln=17,r=8,p=1$${salt}==$${hash}`, // padded
      `$scrypt$ln=17,r=8,p=1$${salt.replace(/./, '-')}$${hash}`, // base64url char
      `$scrypt$ln=17,r=8,p=1$${salt.slice(0, -1)}B$${hash}`, // non-canonical trailing bits
      `$scrypt$ln=17,r=8,p=1$${b64(Buffer.alloc(4))}$${hash}`, // salt too short
      `$scrypt$ln=17,r=8,p=1$${salt}$${b64(Buffer.alloc(8))}`, // hash too short
      `$scrypt$ln=17,r=8,p=1$${salt}$${b64(Buffer.alloc(65))}`, // hash too long
      ` $scrypt$ln=17,r=8,p=1$${salt}$${hash}`,
      `$scrypt$ln=17,r=8,p=1$${salt}$${hash}\n`,
    ];
    const started = performance.now();
    for (const s of malformed) {
      expect(await verifyPassword('Whatever-Password-1', s), s).toBe(false);
      expect(needsRehash(s), s).toBe(true);
    }
    // None of them reached scrypt (each ln=17 call alone would take ~0.6 s).
    expect(performance.now() - started).toBeLessThan(2000);
    for (const bad of [null, undefined, 42, {}]) {
      expect(await verifyPassword('x', bad as unknown as string)).toBe(false);
      expect(needsRehash(bad as unknown as string)).toBe(true);
    }
  });

  it('a well-formed string with the wrong hash is just a mismatch', async () => {
    const stored = `$scrypt$ln=10,r=8,p=1$${b64(Buffer.alloc(16, 1))}$${b64(Buffer.alloc(32, 2))}`;
    expect(await verifyPassword('Whatever-Password-1', stored)).toBe(false);
  });

  it('refuses absurdly long inputs', async () => {
    await expect(hashPassword('a'.repeat(5000))).rejects.toThrow(RangeError);
    const stored = `$scrypt$ln=10,r=8,p=1$${b64(Buffer.alloc(16, 1))}$${b64(Buffer.alloc(32, 2))}`;
    expect(await verifyPassword('a'.repeat(5000), stored)).toBe(false);
  });
});

describe('checkPasswordPolicy', () => {
  const check = (pw: string, username?: string): PasswordViolation[] =>
    checkPasswordPolicy(pw, username === undefined ? {} : { username });

  it('length boundaries: 11 too short, 12 ok, 128 ok, 129 too long', () => {
    const base = 'Aa1!'; // 4 classes
    const of = (n: number): string => base + 'x'.repeat(n - base.length);
    expect(of(11).length).toBe(11);
    expect(check(of(11))).toEqual(['too_short']);
    expect(check(of(12))).toEqual([]);
    expect(check(of(128))).toEqual([]);
    expect(check(of(129))).toEqual(['too_long']);
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    // '𠮷' is one code point but two UTF-16 units.
    const eleven = 'Aa1' + '𠮷'.repeat(8);
    expect(eleven.length).toBe(19);
    expect(check(eleven)).toEqual(['too_short']);
    expect(check('Aa1' + '𠮷'.repeat(9))).toEqual([]);
    expect(check('Aa1' + '𠮷'.repeat(125))).toEqual([]);
    expect(check('Aa1' + '𠮷'.repeat(126))).toEqual(['too_long']);
  });

  it('checks the NFKC form (the string that is hashed)', () => {
    // U+FB01 'ﬁ' is one code point that NFKC expands to 'fi' (two).
    expect(check('Aa1!' + 'ﬁ'.repeat(4))).toEqual([]); // 4 + 8 = 12 after NFKC
    expect(check('Aa1!' + 'ﬁ'.repeat(3))).toEqual(['too_short']); // 4 + 6 = 10
    // Full-width letters/digits count in their classes after NFKC.
    expect(check('ＡＢＣＤＥＦａｂｃｄｅｆ')).toEqual(['too_few_classes']);
    expect(check('ＡＢＣＤＥＦａｂｃｄｅ１')).toEqual([]);
  });

  it('requires at least 3 of the 4 character classes', () => {
    expect(check('abcdefghijkl')).toEqual(['too_few_classes']); // lower
    expect(check('ABCDEFGHIJKL')).toEqual(['too_few_classes']); // upper
    expect(check('123456789012')).toEqual(['too_few_classes']); // digit
    expect(check('!@#$%^&*()_+')).toEqual(['too_few_classes']); // other
    expect(check('abcdefABCDEF')).toEqual(['too_few_classes']); // 2
    expect(check('abcdef123456')).toEqual(['too_few_classes']); // 2
    expect(check('abcdef!@#$%^')).toEqual(['too_few_classes']); // 2
    expect(check('abcdefABC123')).toEqual([]); // lower+upper+digit
    expect(check('abcdefABC!@#')).toEqual([]); // lower+upper+other
    expect(check('abcdef123!@#')).toEqual([]); // lower+digit+other
    expect(check('ABCDEF123!@#')).toEqual([]); // upper+digit+other
    expect(check('abcDEF123!@#')).toEqual([]); // all 4
    // Spaces and CJK are "other"; non-ASCII letters use their Unicode case.
    expect(check('密码密码 abc 1234')).toEqual([]);
    expect(check('ÉCOLEécole123')).toEqual([]);
    expect(check('政务信息化项目管理平台账号')).toEqual(['too_few_classes']);
  });

  it('rejects passwords containing the username, case-insensitively', () => {
    expect(check('xxZhangSan2024!', 'zhangsan')).toEqual(['contains_username']);
    expect(check('xxzhangsan2024!', 'ZhangSan')).toEqual(['contains_username']);
    expect(check('xxＺｈａｎｇＳａｎ2024!', 'zhangsan')).toEqual(['contains_username']); // full-width
    expect(check('Zhang-San-2024!', 'zhangsan')).toEqual([]);
    expect(check('xx张三2024Abc!', '张三')).toEqual(['contains_username']);
    expect(check('Unrelated-Pass-2024', 'zhangsan')).toEqual([]);
    expect(check('Unrelated-Pass-2024', '')).toEqual([]);
    expect(check('Unrelated-Pass-2024', '   ')).toEqual([]);
  });

  it('reports every violation at once', () => {
    expect(check('admin', 'admin')).toEqual(['too_short', 'too_few_classes', 'contains_username']);
    expect(check('a'.repeat(200), 'aaa')).toEqual(['too_long', 'too_few_classes', 'contains_username']);
  });

  it('never reports too_short and too_long together, and is total on strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.option(fc.string(), { nil: undefined }), (pw, user) => {
        const v = check(pw, user);
        expect(v.includes('too_short') && v.includes('too_long')).toBe(false);
        expect(new Set(v).size).toBe(v.length);
      }),
    );
  });
});
