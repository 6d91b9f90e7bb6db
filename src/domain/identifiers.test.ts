import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CREDIT_CODE_ALPHABET,
  PROJECT_CODE_PATTERN,
  divisionLevel,
  isDivisionCode,
  isProjectCodeShape,
  isUniformSocialCreditCode,
  parentDivisionCode,
  uniformSocialCreditCodeCheckChar,
  validateUniformSocialCreditCode,
} from './identifiers.ts';

const alphabet = [...CREDIT_CODE_ALPHABET];
const digits = [...'0123456789'];

/** Random 17-character prefix whose division segment (chars 3–8) is six digits. */
const creditPrefix = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...alphabet), minLength: 2, maxLength: 2 }),
    fc.string({ unit: fc.constantFrom(...digits), minLength: 6, maxLength: 6 }),
    fc.string({ unit: fc.constantFrom(...alphabet), minLength: 9, maxLength: 9 }),
  )
  .map(([a, b, c]) => a + b + c);

// The commonly cited example of GB 32100 (a 福州 company, 登记管理部门 9 / 机构类别 1).
const PUBLISHED = '91350100M000100Y43';
// Codes computed with the check function from hand-written prefixes (fictitious entities);
// each is asserted against its full literal so a change to the algorithm shows up here.
const COMPUTED: readonly [prefix: string, code: string][] = [
  ['11100000000013020', '111000000000130202'], // 机关, 中央 (check char 2)
  ['12100000400008626', '12100000400008626D'], // 事业单位, 中央
  ['11510107009023452', '11510107009023452T'], // 机关, 成都市武侯区
  ['91110102MA01C7K26', '91110102MA01C7K266'], // 企业, 北京市西城区, post-2015 MA 主体标识码
  ['91110105MA04D9R67', '91110105MA04D9R67Q'], // check char Q
  ['11100000000010014', '11100000000010014P'], // check char P
];

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts the published example 91350100M000100Y43', () => {
    expect(uniformSocialCreditCodeCheckChar(PUBLISHED.slice(0, 17))).toBe('3');
    expect(validateUniformSocialCreditCode(PUBLISHED)).toEqual({ ok: true });
    expect(isUniformSocialCreditCode(PUBLISHED)).toBe(true);
  });

  it.each(COMPUTED)('computes the check character of %s → %s', (prefix, code) => {
    expect(prefix + uniformSocialCreditCodeCheckChar(prefix)).toBe(code);
    expect(isUniformSocialCreditCode(code)).toBe(true);
  });

  it('produces check value 0 when the weighted sum is a multiple of 31', () => {
    // All zeros: Σ = 0 → (31 − 0) mod 31 = 0, the edge of the outer mod.
    expect(uniformSocialCreditCodeCheckChar('0'.repeat(17))).toBe('0');
    expect(isUniformSocialCreditCode('0'.repeat(18))).toBe(true);
  });

  it('can produce the highest check value Y (30)', () => {
    // Σ ≡ 1 (mod 31) → check 30 = Y; '1' in position 1 has weight 1.
    expect(uniformSocialCreditCodeCheckChar('1' + '0'.repeat(16))).toBe('Y');
  });

  it.each([PUBLISHED, ...COMPUTED.map(([, code]) => code)])(
    'rejects every single-character substitution of %s',
    (valid) => {
      let tried = 0;
      for (let pos = 0; pos < valid.length; pos++) {
        for (const ch of alphabet) {
          if (ch === valid[pos]) continue;
          const mutated = valid.slice(0, pos) + ch + valid.slice(pos + 1);
          const result = validateUniformSocialCreditCode(mutated);
          // A letter in the division segment is caught before the check character is.
          const expected = pos >= 2 && pos < 8 && !/\d/.test(ch) ? 'division' : 'check';
          expect(result, `${mutated} (position ${pos + 1})`).toEqual({ ok: false, reason: expected });
          tried++;
        }
      }
      expect(tried).toBe(18 * 30);
    },
  );

  it('rejects lower case as a charset error instead of normalising it', () => {
    expect(validateUniformSocialCreditCode(PUBLISHED.toLowerCase())).toEqual({ ok: false, reason: 'charset' });
    expect(validateUniformSocialCreditCode('91350100m000100y43')).toEqual({ ok: false, reason: 'charset' });
  });

  it.each(['I', 'O', 'S', 'V', 'Z', '-', ' ', '０', '中'])('rejects the excluded or foreign character %j', (ch) => {
    const code = PUBLISHED.slice(0, 10) + ch + PUBLISHED.slice(11);
    expect(validateUniformSocialCreditCode(code)).toEqual({ ok: false, reason: 'charset' });
  });

  it.each([
    ['', 'empty'],
    [PUBLISHED.slice(0, 17), '17 characters'],
    [PUBLISHED + '0', '19 characters'],
    [` ${PUBLISHED}`, 'leading space'],
    ['9135 0100 M000 100Y 43', 'grouped with spaces'],
  ])('rejects %j (%s) as a length error', (code) => {
    expect(validateUniformSocialCreditCode(code)).toEqual({ ok: false, reason: 'length' });
  });

  it('checks length before charset and charset before division', () => {
    expect(validateUniformSocialCreditCode('i'.repeat(17))).toEqual({ ok: false, reason: 'length' });
    expect(validateUniformSocialCreditCode('91A50100M000100Y4i')).toEqual({ ok: false, reason: 'charset' });
  });

  it('rejects a non-digit division segment even when the check character fits', () => {
    const prefix = '91A50100M000100Y4';
    const code = prefix + uniformSocialCreditCodeCheckChar(prefix);
    expect(validateUniformSocialCreditCode(code)).toEqual({ ok: false, reason: 'division' });
  });

  it('does not validate the inner GB 11714 check of the 主体标识码', () => {
    // "M000100Y4" → "M000100Y5": the inner check no longer matches; only the outer one counts.
    const prefix = '91350100M000100Y5';
    expect(isUniformSocialCreditCode(prefix + uniformSocialCreditCodeCheckChar(prefix))).toBe(true);
  });

  it('throws a RangeError when asked for the check character of an invalid prefix', () => {
    expect(() => uniformSocialCreditCodeCheckChar('9135010')).toThrow(RangeError);
    expect(() => uniformSocialCreditCodeCheckChar(PUBLISHED)).toThrow(RangeError);
    expect(() => uniformSocialCreditCodeCheckChar('91350100M000100I4')).toThrow(RangeError);
  });

  it('property: appending the computed check character to any valid prefix validates', () => {
    fc.assert(
      fc.property(creditPrefix, (prefix) => {
        const check = uniformSocialCreditCodeCheckChar(prefix);
        expect(CREDIT_CODE_ALPHABET).toContain(check);
        expect(validateUniformSocialCreditCode(prefix + check)).toEqual({ ok: true });
      }),
    );
  });

  it('property: any other check character is rejected', () => {
    fc.assert(
      fc.property(creditPrefix, fc.constantFrom(...alphabet), (prefix, ch) => {
        fc.pre(ch !== uniformSocialCreditCodeCheckChar(prefix));
        expect(validateUniformSocialCreditCode(prefix + ch)).toEqual({ ok: false, reason: 'check' });
      }),
    );
  });
});

describe('行政区划代码 (GB/T 2260)', () => {
  const validProvinces = [11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82];
  const invalidProvinces = [0, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 99];

  it.each(validProvinces)('accepts province-level prefix %i at each level', (p) => {
    expect(isDivisionCode(`${p}0000`)).toBe(true);
    expect(isDivisionCode(`${p}0100`)).toBe(true);
    expect(isDivisionCode(`${p}0101`)).toBe(true);
  });

  it.each(invalidProvinces)('rejects prefix %i just outside the province ranges', (p) => {
    const prefix = String(p).padStart(2, '0');
    expect(isDivisionCode(`${prefix}0000`)).toBe(false);
    expect(isDivisionCode(`${prefix}0101`)).toBe(false);
  });

  it('accepts the national code 100000 but no other code with prefix 10', () => {
    expect(isDivisionCode('100000')).toBe(true);
    expect(isDivisionCode('100100')).toBe(false);
    expect(isDivisionCode('100001')).toBe(false);
  });

  it.each(['', '32010', '3201000', '32010a', '３２０１００', ' 320100', '32-100', '320100\n'])(
    'rejects %j (not exactly six ASCII digits)',
    (s) => {
      expect(isDivisionCode(s)).toBe(false);
    },
  );

  it('rejects a county segment under a missing prefecture segment (xx00yy)', () => {
    expect(isDivisionCode('320001')).toBe(false);
    expect(isDivisionCode('320099')).toBe(false);
  });

  it.each([
    ['100000', 'national'],
    ['110000', 'province'],
    ['320000', 'province'],
    ['820000', 'province'],
    ['320100', 'city'],
    ['329900', 'city'],
    ['320500', 'city'],
    ['320102', 'county'],
    ['510107', 'county'],
    ['429004', 'county'],
    ['659001', 'county'],
  ] as const)('divisionLevel(%s) is %s', (code, level) => {
    expect(divisionLevel(code)).toBe(level);
  });

  it.each([
    ['510107', '510100'],
    ['429004', '429000'],
    ['510100', '510000'],
    ['320500', '320000'],
    ['510000', '100000'],
    ['820000', '100000'],
    ['100000', null],
  ] as const)('parentDivisionCode(%s) is %s', (code, parent) => {
    expect(parentDivisionCode(code)).toBe(parent);
  });

  it('walks from a county to the national level in three steps', () => {
    const chain: string[] = [];
    for (let c: string | null = '320583'; c !== null; c = parentDivisionCode(c)) chain.push(c);
    expect(chain).toEqual(['320583', '320500', '320000', '100000']);
  });

  it.each(['', '320001', '990000', '12345'])('divisionLevel and parentDivisionCode throw on invalid %j', (code) => {
    expect(() => divisionLevel(code)).toThrow(RangeError);
    expect(() => parentDivisionCode(code)).toThrow(RangeError);
  });
});

describe('投资项目统一代码 shape (GB/T 40058-2021)', () => {
  it.each(['2509-320193-89-01-544060', '2001-100000-00-00-000000', '9912-510107-99-99-999999'])(
    'accepts %s',
    (s) => {
      expect(isProjectCodeShape(s)).toBe(true);
      expect(PROJECT_CODE_PATTERN.test(s)).toBe(true);
    },
  );

  it.each([
    '',
    '250932019389014544060', // no hyphens
    '2509-320193-89-01-54406', // last segment 5 digits
    '2509-320193-89-01-5440600',
    '250-320193-89-01-544060',
    '2509-32019-89-01-544060',
    '2509-320193-8-01-544060',
    '2509-320193-89-1-544060',
    '2509_320193_89_01_544060',
    '2509-320193-89-01-54406X', // no letter check character
    ' 2509-320193-89-01-544060',
    '2509-320193-89-01-544060 ',
    '2509-320193-89-01-544060\n',
    '２５０９-320193-89-01-544060', // full-width digits
  ])('rejects %j', (s) => {
    expect(isProjectCodeShape(s)).toBe(false);
  });

  it('validates the shape only: any last segment of six digits passes', () => {
    // No check algorithm is public to us, so none is applied (see isProjectCodeShape).
    for (let d = 0; d <= 9; d++) {
      expect(isProjectCodeShape(`2509-320193-89-01-54406${d}`)).toBe(true);
    }
  });
});
