import { randomBytes } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { sm2 as smCryptoV2 } from 'sm-crypto-v2';
import {
  DEFAULT_SM2_USER_ID,
  _sm2SignWithFixedNonceForTests,
  generateSm2KeyPair,
  sm2KeyPairFromSeed,
  sm2PrivateKeyToPem,
  sm2PublicKeyFromPrivateKey,
  sm2PublicKeyToPem,
  sm2Sign,
  sm2Verify,
  type Sm2KeyPair,
} from './sm2.ts';
import { sm3Hex } from './sm3.ts';
import { legacySmCrypto, openssl, runOpenssl, withTempDir } from './test-support.ts';

const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

// ---------------------------------------------------------------------------
// Known-answer vector: GM/T 0003.5-2012 Annex A.2 / GB/T 32918.5-2017 Annex A
// ("SM2 digital signature" example on the recommended 256-bit curve).
// The same numbers are used by OpenSSL's test/sm2_internal_test.c.
// ---------------------------------------------------------------------------
const ANNEX_A = {
  message: 'message digest',
  userId: '1234567812345678', // ID_A; ENTL_A = 0x0080
  dA: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  xA: '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
  yA: 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  zA: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  k: '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21',
  x1: '04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
} as const;
const ANNEX_A_PUB = '04' + ANNEX_A.xA + ANNEX_A.yA;
// Both r and s have the high bit set, so each INTEGER gets a 0x00 prefix.
const ANNEX_A_DER = '3046' + '022100' + ANNEX_A.r + '022100' + ANNEX_A.s;

// Recommended curve parameters (GB/T 32918.5), as they enter Z_A.
const CURVE = {
  a: 'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc',
  b: '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93',
  gx: '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7',
  gy: 'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
};

function derSig(r: bigint, s: bigint): string {
  const int = (v: bigint): string => {
    let h = v.toString(16);
    if (h.length % 2) h = '0' + h;
    if (parseInt(h.slice(0, 2), 16) & 0x80) h = '00' + h;
    return '02' + (h.length / 2).toString(16).padStart(2, '0') + h;
  };
  const body = int(r) + int(s);
  return '30' + (body.length / 2).toString(16).padStart(2, '0') + body;
}

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const out = Buffer.from(bytes);
  out[bit >> 3] = (out[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return out;
}

// --- openssl CLI helpers ------------------------------------------------------

function opensslVerify(publicKey: string, message: Uint8Array, sigHex: string, userId = DEFAULT_SM2_USER_ID): boolean {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'pub.pem'), sm2PublicKeyToPem(publicKey));
    writeFileSync(join(dir, 'msg.bin'), message);
    writeFileSync(join(dir, 'sig.der'), Buffer.from(sigHex, 'hex'));
    const r = runOpenssl([
      'pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin',
      '-in', join(dir, 'msg.bin'), '-sigfile', join(dir, 'sig.der'),
      '-digest', 'sm3', '-pkeyopt', `distid:${userId}`,
    ]);
    const ok = r.stdout.toString('utf8').includes('Signature Verified Successfully');
    expect(ok, `exit status ${r.status} disagrees with output`).toBe(r.status === 0);
    return ok;
  });
}

function opensslSign(kp: Sm2KeyPair, message: Uint8Array, userId = DEFAULT_SM2_USER_ID): string {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'priv.pem'), sm2PrivateKeyToPem(kp.privateKey, kp.publicKey), { mode: 0o600 });
    writeFileSync(join(dir, 'msg.bin'), message);
    openssl([
      'pkeyutl', '-sign', '-inkey', join(dir, 'priv.pem'), '-rawin',
      '-in', join(dir, 'msg.bin'), '-out', join(dir, 'sig.der'),
      '-digest', 'sm3', '-pkeyopt', `distid:${userId}`,
    ]);
    return readFileSync(join(dir, 'sig.der')).toString('hex');
  });
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

// Messages exercising the string/bytes boundary: empty, ASCII, CJK, astral
// plane, a lone 0xff byte (not valid UTF-8) and bytes that look like hex.
const SAMPLE_MESSAGES: (string | Uint8Array)[] = [
  '',
  'message digest',
  '关于政务信息化项目立项的批复（2024年第3号）',
  '𠮷野家 😀',
  Buffer.from([0xff]),
  utf8('00ff'),
  randomBytes(1000),
];

// ---------------------------------------------------------------------------

describe('SM2 GM/T 0003.5 Annex A known-answer vector', () => {
  it('derives the standard public key from dA', () => {
    expect(sm2PublicKeyFromPrivateKey(ANNEX_A.dA)).toBe(ANNEX_A_PUB);
    expect(sm2PublicKeyFromPrivateKey(ANNEX_A.dA.toUpperCase())).toBe(ANNEX_A_PUB);
  });

  it('reproduces the intermediate Z_A and e with our SM3', () => {
    const idBytes = utf8(ANNEX_A.userId);
    const entl = (idBytes.length * 8).toString(16).padStart(4, '0');
    expect(entl).toBe('0080');
    const zA = sm3Hex(
      Buffer.from(entl + idBytes.toString('hex') + CURVE.a + CURVE.b + CURVE.gx + CURVE.gy + ANNEX_A.xA + ANNEX_A.yA, 'hex'),
    );
    expect(zA).toBe(ANNEX_A.zA);
    expect(sm3Hex(Buffer.concat([Buffer.from(zA, 'hex'), utf8(ANNEX_A.message)]))).toBe(ANNEX_A.e);
    // And sm-crypto-v2 computes the same Z_A.
    expect(Buffer.from(smCryptoV2.getZ(ANNEX_A_PUB, ANNEX_A.userId)).toString('hex')).toBe(ANNEX_A.zA);
  });

  it('has x1 = (kG).x and r = (e + x1) mod n', () => {
    expect(sm2PublicKeyFromPrivateKey(ANNEX_A.k).slice(2, 66)).toBe(ANNEX_A.x1);
    expect((BigInt('0x' + ANNEX_A.e) + BigInt('0x' + ANNEX_A.x1)) % N).toBe(BigInt('0x' + ANNEX_A.r));
  });

  it('reproduces the published signature (r, s) exactly with the standard k', () => {
    const sig = _sm2SignWithFixedNonceForTests(ANNEX_A.message, ANNEX_A.dA, ANNEX_A.k, ANNEX_A.userId);
    expect(sig).toBe(ANNEX_A_DER);
    // The same bytes given as a Uint8Array sign identically.
    expect(_sm2SignWithFixedNonceForTests(utf8(ANNEX_A.message), ANNEX_A.dA, ANNEX_A.k)).toBe(ANNEX_A_DER);
  });

  it('verifies the published signature with sm2Verify, sm-crypto and openssl', () => {
    expect(sm2Verify(ANNEX_A.message, ANNEX_A_DER, ANNEX_A_PUB, ANNEX_A.userId)).toBe(true);
    expect(sm2Verify(ANNEX_A.message, ANNEX_A_DER, ANNEX_A_PUB)).toBe(true); // default ID is the same
    expect(
      legacySmCrypto.sm2.doVerifySignature(ANNEX_A.message, ANNEX_A_DER, ANNEX_A_PUB, {
        hash: true, der: true, userId: ANNEX_A.userId,
      }),
    ).toBe(true);
    expect(opensslVerify(ANNEX_A_PUB, utf8(ANNEX_A.message), ANNEX_A_DER, ANNEX_A.userId)).toBe(true);
    expect(sm2Verify('message digesT', ANNEX_A_DER, ANNEX_A_PUB)).toBe(false);
    expect(sm2Verify(ANNEX_A.message, ANNEX_A_DER, ANNEX_A_PUB, 'ALICE123@YAHOO.COM')).toBe(false);
  });
});

describe('SM2 key pairs', () => {
  it('generates well-formed, distinct key pairs whose public key matches the private key', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const kp = generateSm2KeyPair();
      expect(kp.privateKey).toMatch(/^[0-9a-f]{64}$/);
      expect(kp.publicKey).toMatch(/^04[0-9a-f]{128}$/);
      expect(sm2PublicKeyFromPrivateKey(kp.privateKey)).toBe(kp.publicKey);
      const d = BigInt('0x' + kp.privateKey);
      expect(d >= 1n && d <= N - 2n).toBe(true);
      seen.add(kp.privateKey);
    }
    expect(seen.size).toBe(20);
  });

  it('derives the same key pair from the same seed, and different ones from different seeds', () => {
    const seed = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
    const a = sm2KeyPairFromSeed(seed);
    expect(sm2KeyPairFromSeed(Buffer.from(seed))).toEqual(a);
    expect(sm2PublicKeyFromPrivateKey(a.privateKey)).toBe(a.publicKey);
    expect(sm2KeyPairFromSeed(flipBit(seed, 0))).not.toEqual(a);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (s) => {
        const kp = sm2KeyPairFromSeed(s);
        const d = BigInt('0x' + kp.privateKey);
        expect(d >= 1n && d <= N - 2n).toBe(true);
        expect(kp.publicKey).toMatch(/^04[0-9a-f]{128}$/);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects seeds shorter than 16 bytes', () => {
    expect(() => sm2KeyPairFromSeed(Buffer.alloc(15))).toThrow(RangeError);
  });

  it('enforces the private key range [1, n-2]', () => {
    const hex = (v: bigint): string => v.toString(16).padStart(64, '0');
    // d = 1 gives the base point G.
    expect(sm2PublicKeyFromPrivateKey(hex(1n))).toBe('04' + CURVE.gx + CURVE.gy);
    expect(() => sm2PublicKeyFromPrivateKey(hex(N - 2n))).not.toThrow();
    for (const bad of [0n, N - 1n, N, 2n ** 256n - 1n]) {
      expect(() => sm2Sign('x', hex(bad))).toThrow(RangeError);
    }
    for (const bad of ['', 'zz'.repeat(32), '01', hex(1n) + '00', ` ${hex(1n).slice(1)}`]) {
      expect(() => sm2Sign('x', bad)).toThrow(TypeError);
    }
  });
});

describe('SM2 PEM export', () => {
  it('writes the same bytes OpenSSL writes for the same key', () => {
    const kp = generateSm2KeyPair();
    const privPem = sm2PrivateKeyToPem(kp.privateKey, kp.publicKey);
    const pubPem = sm2PublicKeyToPem(kp.publicKey);
    expect(privPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/);
    expect(pubPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    withTempDir((dir) => {
      const privPath = join(dir, 'priv.pem');
      const pubPath = join(dir, 'pub.pem');
      writeFileSync(privPath, privPem, { mode: 0o600 });
      writeFileSync(pubPath, pubPem);
      // OpenSSL re-encodes our files to identical bytes ...
      expect(openssl(['pkey', '-in', privPath]).toString('utf8')).toBe(privPem);
      expect(openssl(['pkey', '-pubin', '-in', pubPath]).toString('utf8')).toBe(pubPem);
      // ... derives the same public key from our private key ...
      expect(openssl(['pkey', '-in', privPath, '-pubout']).toString('utf8')).toBe(pubPem);
      // ... and recognises the curve as SM2.
      const text = openssl(['pkey', '-in', privPath, '-text', '-noout']).toString('utf8');
      expect(text).toContain('ASN1 OID: SM2');
      // OpenSSL prints the scalar like an INTEGER: a leading 00 when its high bit is set.
      expect(text.replace(/[\s:]/g, '')).toMatch(new RegExp('priv(00)*' + kp.privateKey.replace(/^(00)+/, '')));
    });
  });

  it('writes keys generated by `openssl genpkey -algorithm SM2` identically', () => {
    withTempDir((dir) => {
      const path = join(dir, 'k.pem');
      openssl(['genpkey', '-algorithm', 'SM2', '-out', path]);
      const theirs = readFileSync(path, 'utf8');
      const der = Buffer.from(theirs.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      // Fixed PKCS#8 layout for a 256-bit key: d at offset 36, the 65-byte point at 73.
      const d = der.subarray(36, 68).toString('hex');
      const pub = der.subarray(73, 138).toString('hex');
      expect(sm2PublicKeyFromPrivateKey(d)).toBe(pub);
      expect(sm2PrivateKeyToPem(d, pub)).toBe(theirs);
    });
  });

  it('refuses mismatched or invalid keys', () => {
    const a = generateSm2KeyPair();
    const b = generateSm2KeyPair();
    expect(() => sm2PrivateKeyToPem(a.privateKey, b.publicKey)).toThrow(/does not match/);
    expect(() => sm2PublicKeyToPem('04' + '00'.repeat(64))).toThrow(TypeError);
    expect(() => sm2PublicKeyToPem(smCryptoV2.compressPublicKeyHex(a.publicKey))).toThrow(TypeError);
  });
});

describe('sm2Sign / sm2Verify', () => {
  const kp = generateSm2KeyPair();

  it('round-trips and produces lowercase DER hex', () => {
    for (const m of SAMPLE_MESSAGES) {
      const sig = sm2Sign(m, kp.privateKey);
      expect(sig).toMatch(/^30[0-9a-f]{2}02[0-9a-f]+$/);
      expect(sm2Verify(m, sig, kp.publicKey)).toBe(true);
      expect(sm2Verify(m, sig.toUpperCase(), kp.publicKey.toUpperCase())).toBe(true);
    }
  });

  it('is randomised: two signatures of the same message differ and both verify', () => {
    const s1 = sm2Sign('同一消息', kp.privateKey);
    const s2 = sm2Sign('同一消息', kp.privateKey);
    expect(s1).not.toBe(s2);
    expect(sm2Verify('同一消息', s1, kp.publicKey) && sm2Verify('同一消息', s2, kp.publicKey)).toBe(true);
  });

  it('treats a string message as its UTF-8 bytes', () => {
    const text = '政务 ✓ 𠮷 — message';
    const sig = sm2Sign(text, kp.privateKey);
    expect(sm2Verify(utf8(text), sig, kp.publicKey)).toBe(true);
    expect(sm2Verify(text, sm2Sign(utf8(text), kp.privateKey), kp.publicKey)).toBe(true);
    // Not confused with Latin-1 / UTF-16 encodings or with a hex interpretation.
    expect(sm2Verify(Buffer.from(text, 'latin1'), sig, kp.publicKey)).toBe(false);
    expect(sm2Verify(Buffer.from(text, 'utf16le'), sig, kp.publicKey)).toBe(false);
    const hexLooking = 'abcdef';
    expect(sm2Verify(Buffer.from(hexLooking, 'hex'), sm2Sign(hexLooking, kp.privateKey), kp.publicKey)).toBe(false);
  });

  it('binds the user ID', () => {
    const sig = sm2Sign('m', kp.privateKey, '张三@example.gov.cn');
    expect(sm2Verify('m', sig, kp.publicKey, '张三@example.gov.cn')).toBe(true);
    expect(sm2Verify('m', sig, kp.publicKey)).toBe(false);
    expect(sm2Verify('m', sm2Sign('m', kp.privateKey), kp.publicKey, '张三@example.gov.cn')).toBe(false);
  });

  it('rejects invalid user IDs and ill-formed strings when signing', () => {
    expect(() => sm2Sign('m', kp.privateKey, '')).toThrow(TypeError);
    expect(() => sm2Sign('m', kp.privateKey, 'a'.repeat(8192))).toThrow(TypeError);
    expect(() => sm2Sign('m', kp.privateKey, 'a'.repeat(8191))).not.toThrow();
    expect(() => sm2Sign('\ud800', kp.privateKey)).toThrow(TypeError);
  });
});

describe('cross-implementation: legacy sm-crypto', () => {
  const kp = generateSm2KeyPair();
  const opts = (userId: string) => ({ hash: true, der: true, userId });

  it('our signatures verify with sm-crypto, and theirs with ours (fixed messages)', () => {
    for (const userId of [DEFAULT_SM2_USER_ID, 'ALICE123@YAHOO.COM', '张三@example.gov.cn']) {
      for (const m of SAMPLE_MESSAGES) {
        const bytes = typeof m === 'string' ? utf8(m) : m;
        const ours = sm2Sign(m, kp.privateKey, userId);
        expect(legacySmCrypto.sm2.doVerifySignature(bytes, ours, kp.publicKey, opts(userId))).toBe(true);
        if (typeof m === 'string') {
          expect(legacySmCrypto.sm2.doVerifySignature(m, ours, kp.publicKey, opts(userId))).toBe(true);
        }
        const theirs = legacySmCrypto.sm2.doSignature(bytes, kp.privateKey, opts(userId));
        expect(sm2Verify(m, theirs, kp.publicKey, userId)).toBe(true);
        expect(sm2Verify(m, theirs, kp.publicKey, userId + 'x')).toBe(false);
      }
    }
  }, 60_000);

  it('agrees on random messages (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 })),
        (m) => {
          const bytes = typeof m === 'string' ? utf8(m) : m;
          const ours = sm2Sign(m, kp.privateKey);
          expect(legacySmCrypto.sm2.doVerifySignature(bytes, ours, kp.publicKey, opts(DEFAULT_SM2_USER_ID))).toBe(true);
          const theirs = legacySmCrypto.sm2.doSignature(bytes, kp.privateKey, opts(DEFAULT_SM2_USER_ID));
          expect(sm2Verify(m, theirs, kp.publicKey)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);
});

describe('cross-implementation: openssl CLI (pkeyutl -rawin -digest sm3 -pkeyopt distid)', () => {
  const kp = sm2KeyPairFromSeed(randomBytes(32));

  it('openssl verifies our signatures', () => {
    for (const m of SAMPLE_MESSAGES) {
      const bytes = typeof m === 'string' ? utf8(m) : m;
      expect(opensslVerify(kp.publicKey, bytes, sm2Sign(m, kp.privateKey))).toBe(true);
    }
    const sig = sm2Sign('带用户ID', kp.privateKey, 'user@example.gov.cn');
    expect(opensslVerify(kp.publicKey, utf8('带用户ID'), sig, 'user@example.gov.cn')).toBe(true);
  });

  it('openssl rejects our signature under a wrong ID, message or key', () => {
    const sig = sm2Sign('hello', kp.privateKey);
    expect(opensslVerify(kp.publicKey, utf8('hello'), sig, '1234567812345679')).toBe(false);
    expect(opensslVerify(kp.publicKey, utf8('hellO'), sig)).toBe(false);
    expect(opensslVerify(generateSm2KeyPair().publicKey, utf8('hello'), sig)).toBe(false);
  });

  it('we verify signatures made by openssl with our private key PEM', () => {
    for (const m of SAMPLE_MESSAGES) {
      const bytes = typeof m === 'string' ? utf8(m) : m;
      const sig = opensslSign(kp, bytes);
      expect(sm2Verify(m, sig, kp.publicKey)).toBe(true);
      expect(sm2Verify(bytes, sig, kp.publicKey, 'other-id')).toBe(false);
    }
    const sig = opensslSign(kp, utf8('带用户ID'), 'user@example.gov.cn');
    expect(sm2Verify('带用户ID', sig, kp.publicKey, 'user@example.gov.cn')).toBe(true);
    expect(sm2Verify('带用户ID', sig, kp.publicKey)).toBe(false);
  });
});

describe('sm2Verify rejects bad input without throwing', () => {
  const kp = generateSm2KeyPair();
  const msg = utf8('审批通过');
  const sig = sm2Sign(msg, kp.privateKey);
  const sigBytes = Buffer.from(sig, 'hex');
  const { r, s } = (() => {
    const b = sigBytes;
    const rLen = b[3] ?? 0;
    const rv = BigInt('0x' + b.subarray(4, 4 + rLen).toString('hex'));
    const sLen = b[5 + rLen] ?? 0;
    const sv = BigInt('0x' + b.subarray(6 + rLen, 6 + rLen + sLen).toString('hex'));
    return { r: rv, s: sv };
  })();

  it('sanity: the untouched signature verifies and re-encodes identically', () => {
    expect(sm2Verify(msg, sig, kp.publicKey)).toBe(true);
    expect(derSig(r, s)).toBe(sig);
  });

  it('rejects every single-bit flip of the signature', () => {
    for (let bit = 0; bit < sigBytes.length * 8; bit++) {
      expect(sm2Verify(msg, flipBit(sigBytes, bit).toString('hex'), kp.publicKey), `bit ${bit}`).toBe(false);
    }
  }, 60_000);

  it('rejects every single-bit flip of the message', () => {
    for (let bit = 0; bit < msg.length * 8; bit++) {
      expect(sm2Verify(flipBit(msg, bit), sig, kp.publicKey), `bit ${bit}`).toBe(false);
    }
    expect(sm2Verify(Buffer.concat([msg, Buffer.of(0)]), sig, kp.publicKey)).toBe(false);
  }, 60_000);

  it('rejects a wrong or invalid public key', () => {
    expect(sm2Verify(msg, sig, generateSm2KeyPair().publicKey)).toBe(false);
    const pub = Buffer.from(kp.publicKey, 'hex');
    expect(sm2Verify(msg, sig, flipBit(pub, 8 * 64 + 1).toString('hex'))).toBe(false); // off the curve
    expect(sm2Verify(msg, sig, smCryptoV2.compressPublicKeyHex(kp.publicKey))).toBe(false); // compressed form
    expect(sm2Verify(msg, sig, kp.publicKey.slice(2))).toBe(false); // missing 04
    expect(sm2Verify(msg, sig, '04' + '00'.repeat(64))).toBe(false);
    expect(sm2Verify(msg, sig, '')).toBe(false);
  });

  it('rejects out-of-range and non-canonical encodings of an otherwise valid (r, s)', () => {
    const rawR = r.toString(16).padStart(64, '0');
    const rawS = s.toString(16).padStart(64, '0');
    const bad = [
      derSig(0n, s),
      derSig(r, 0n),
      derSig(r + N, s),
      derSig(r, s + N),
      derSig(N, s),
      derSig(r, N),
      rawR + rawS, // raw r||s instead of DER
      sig + '00', // trailing byte
      sig.slice(0, -2), // truncated
      '31' + sig.slice(2), // wrong outer tag
      sig.slice(0, 4) + '03' + sig.slice(6), // wrong inner tag
    ];
    for (const b of bad) {
      expect(sm2Verify(msg, b, kp.publicKey), b).toBe(false);
    }
  });

  it('accepts only the minimal DER encoding of the Annex A signature', () => {
    const { r: ar, s: as } = ANNEX_A;
    expect(sm2Verify(ANNEX_A.message, ANNEX_A_DER, ANNEX_A_PUB)).toBe(true);
    const variants = [
      '3044' + '0220' + ar + '0220' + as, // missing 0x00 pads: negative integers
      '3046' + '0220' + ar + '022100' + as, // inconsistent lengths
      '3047' + '02220000' + ar + '022100' + as, // non-minimal r
      '3047' + '022100' + ar + '02220000' + as, // non-minimal s
      '308146' + ANNEX_A_DER.slice(4), // long-form length
      '3048' + ANNEX_A_DER.slice(4) + '0000', // trailing element
      ANNEX_A_DER + '00', // trailing byte outside the SEQUENCE
    ];
    for (const v of variants) expect(sm2Verify(ANNEX_A.message, v, ANNEX_A_PUB), v).toBe(false);
    // sm-crypto-v2's own decoder accepts trailing garbage; the strict parser is what rejects it.
    expect(
      smCryptoV2.doVerifySignature(utf8(ANNEX_A.message), ANNEX_A_DER + '00', ANNEX_A_PUB, {
        hash: true, der: true, userId: ANNEX_A.userId,
      }),
    ).toBe(true);
  });

  it('returns false for garbage of any shape', () => {
    const garbage: unknown[] = [
      '', '00', '30', '3000', '300602010102010', 'zz', 'not hex at all', '30'.repeat(1000),
      null, undefined, 42, {}, [], Buffer.from(sig, 'hex'),
    ];
    for (const g of garbage) {
      expect(sm2Verify(msg, g as string, kp.publicKey)).toBe(false);
      expect(sm2Verify(msg, sig, g as string)).toBe(false);
      expect(sm2Verify(g as string, sig, kp.publicKey)).toBe(false);
      // (undefined as user ID means "use the default", which is legitimately valid)
      if (g !== undefined) expect(sm2Verify(msg, sig, kp.publicKey, g as string)).toBe(false);
    }
    expect(sm2Verify('\ud800', sig, kp.publicKey)).toBe(false);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('hex'))), (g) => {
        expect(sm2Verify(msg, g, kp.publicKey)).toBe(false);
        expect(() => sm2Verify(msg, sig, g)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
