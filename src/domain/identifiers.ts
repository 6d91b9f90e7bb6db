// National identifier formats used across the platform: 统一社会信用代码 (GB 32100-2015),
// 行政区划代码 (GB/T 2260) and the shape of the 投资项目统一代码 (GB/T 40058-2021).
// Pure functions only: no I/O, no framework imports.

/**
 * The 31-character alphabet of GB 32100-2015; a character's value is its index (0–30).
 * I, O, S, V and Z are excluded to avoid confusion with 1, 0, 5, U and 2.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const CREDIT_CODE_LENGTH = 18;

/** W_i = 3^(i−1) mod 31 for i = 1…17 (GB 32100-2015 §4.3). */
const CREDIT_CODE_WEIGHTS: readonly number[] = Array.from({ length: CREDIT_CODE_LENGTH - 1 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

function creditCharValue(ch: string): number {
  return CREDIT_CODE_ALPHABET.indexOf(ch);
}

function isInCreditAlphabet(s: string): boolean {
  for (const ch of s) if (creditCharValue(ch) < 0) return false;
  return true;
}

/**
 * The check character (18th) of a 统一社会信用代码, computed from its first 17 characters:
 * C18 = (31 − Σ C_i·W_i mod 31) mod 31.
 *
 * Input is case-sensitive (upper case only), as the standard writes it; callers that accept
 * user input normalise it first. Throws a RangeError on a wrong length or a character
 * outside the alphabet, since a check character of an invalid prefix is meaningless.
 */
export function uniformSocialCreditCodeCheckChar(first17: string): string {
  if (first17.length !== CREDIT_CODE_LENGTH - 1) {
    throw new RangeError(`统一社会信用代码前17位长度应为17,实际为${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < first17.length; i++) {
    const v = creditCharValue(first17.charAt(i));
    if (v < 0) throw new RangeError(`统一社会信用代码含非法字符: ${first17.charAt(i)}`);
    sum += v * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Why a string is not a 统一社会信用代码, in the order the checks are made. */
export type CreditCodeError = 'length' | 'charset' | 'division' | 'check';

/**
 * Validates a 统一社会信用代码 (GB 32100-2015): 18 characters = 登记管理部门代码 (1),
 * 机构类别代码 (1), 登记管理机关行政区划码 (6 digits), 主体标识码 (9) and 校验码 (1).
 *
 * The 主体标识码 is a GB 11714 organization code with its own check character; only its
 * alphabet is checked here, deliberately: the outer check character already covers the
 * whole code, and this function answers "is this a valid credit code", not "is the
 * embedded organization code valid". The 行政区划码 is
 * only required to be six digits: codes keep the division of the registering authority as
 * it was at registration, which may since have been abolished.
 *
 * Lower case is rejected ('charset'), not silently accepted.
 */
export function validateUniformSocialCreditCode(
  code: string,
): { ok: true } | { ok: false; reason: CreditCodeError } {
  if (code.length !== CREDIT_CODE_LENGTH) return { ok: false, reason: 'length' };
  if (!isInCreditAlphabet(code)) return { ok: false, reason: 'charset' };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, reason: 'division' };
  if (uniformSocialCreditCodeCheckChar(code.slice(0, 17)) !== code.charAt(17)) {
    return { ok: false, reason: 'check' };
  }
  return { ok: true };
}

/** True when `code` is a well-formed 统一社会信用代码 with a correct check character. */
export function isUniformSocialCreditCode(code: string): boolean {
  return validateUniformSocialCreditCode(code).ok;
}

// ——— 行政区划代码 (GB/T 2260) ———

/** The national-level code used where a whole-country division is meant (全国). */
export const NATIONAL_DIVISION_CODE = '100000';

/**
 * Province-level prefixes of GB/T 2260: 11–15 华北, 21–23 东北, 31–37 华东, 41–46 中南,
 * 50–54 西南, 61–65 西北, 71 台湾, 81 香港, 82 澳门.
 */
const PROVINCE_PREFIXES: ReadonlySet<number> = new Set([
  11, 12, 13, 14, 15,
  21, 22, 23,
  31, 32, 33, 34, 35, 36, 37,
  41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54,
  61, 62, 63, 64, 65,
  71, 81, 82,
]);

/**
 * True for a structurally valid GB/T 2260 code: six digits under a real province-level
 * prefix, or the national code 100000. A county-level code needs a prefecture-level
 * segment (digits 3–4 ≠ 00): no code of the form xx00yy exists in GB/T 2260.
 *
 * This is a structural check, not a lookup in the current code list: it accepts codes
 * that do not (or no longer) exist, e.g. 329999.
 */
export function isDivisionCode(s: string): boolean {
  if (!/^\d{6}$/.test(s)) return false;
  if (s === NATIONAL_DIVISION_CODE) return true;
  if (!PROVINCE_PREFIXES.has(Number(s.slice(0, 2)))) return false;
  return !(s.slice(2, 4) === '00' && s.slice(4, 6) !== '00');
}

/** Administrative level of a division code. */
export type DivisionLevel = 'national' | 'province' | 'city' | 'county';

/**
 * Level of a valid division code: 100000 national, xx0000 province-level, xxxx00
 * prefecture-level (city), anything else county-level. Throws a RangeError on an invalid
 * code so that a typo never silently becomes a "county".
 */
export function divisionLevel(code: string): DivisionLevel {
  if (!isDivisionCode(code)) throw new RangeError(`无效的行政区划代码: ${code}`);
  if (code === NATIONAL_DIVISION_CODE) return 'national';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/**
 * The structural parent of a division code: county → its prefecture (xxxx00), city → its
 * province (xx0000), province → 100000, national → null. The parent of a county under a
 * 省直辖县级行政区划 grouping (e.g. 429004 → 429000) is that grouping code, as in the
 * standard's own hierarchy. Throws a RangeError on an invalid code.
 */
export function parentDivisionCode(code: string): string | null {
  switch (divisionLevel(code)) {
    case 'national':
      return null;
    case 'province':
      return NATIONAL_DIVISION_CODE;
    case 'city':
      return `${code.slice(0, 2)}0000`;
    case 'county':
      return `${code.slice(0, 4)}00`;
  }
}

// ——— 投资项目统一代码 (GB/T 40058-2021) ———

/**
 * Shape of a 投资项目统一代码 as written with hyphens: 时间代码 (4, YYMM) - 地区代码 (6,
 * GB/T 2260) - 中央业务指导部门代码 (2) - 项目类型代码 (2) - 随机码+校验码 (6), e.g.
 * `2509-320193-89-01-544060`.
 */
export const PROJECT_CODE_PATTERN = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/;

/**
 * True when `s` has the shape of a 投资项目统一代码.
 *
 * Only the shape is validated. The algorithm behind the check digit in the last segment
 * (发改投资〔2020〕1439号, GB/T 40058-2021) is not public to us, so no check is computed
 * and none is claimed: a code with the right shape but a wrong check digit is accepted.
 * Whether an imported code really exists is for the national online approval platform
 * (全国投资项目在线审批监管平台) to answer, not for this function.
 */
export function isProjectCodeShape(s: string): boolean {
  return PROJECT_CODE_PATTERN.test(s);
}
