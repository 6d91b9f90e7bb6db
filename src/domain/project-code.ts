// 项目代码 issued by the platform in the shape of the 投资项目统一代码 (GB/T 40058-2021,
// 发改投资〔2020〕1439号): 时间代码-地区代码-中央业务指导部门代码-项目类型代码-随机码+校验码,
// e.g. 2611-320100-00-01-483920.
//
// What we put in each segment, and what we do NOT claim:
// - 时间代码: YYMM of the issuing day in Asia/Shanghai.
// - 地区代码: the construction unit's 行政区划代码; 000000 for central organs without one.
// - 中央业务指导部门代码: the national table of these codes is not available to the platform, so
//   it issues 00; an imported code keeps whatever it carries.
// - 项目类型代码: 01 for the approval track (审批), 03 for the filing track (备案).
// - 随机码+校验码: five random digits and ONE PLATFORM-INTERNAL check digit, the Luhn (mod 10)
//   digit over all 21 preceding digits. The standard's own check algorithm is not public to us;
//   this digit is not it and is only used to catch typing errors in platform-issued codes.
//   Codes imported from elsewhere are accepted on their shape alone.
import { PROJECT_CODE_PATTERN } from './identifiers.ts';

export type ProjectTrack = 'approval' | 'filing';

/** The Luhn check digit of a digit string. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const shanghaiYearMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: '2-digit', month: '2-digit' });

/** Issues a code; `random5` is five random digits chosen by the caller (so this stays pure). */
export function issueProjectCode(input: { issuedAt: Date; divisionCode: string | null; track: ProjectTrack; random5: string }): string {
  if (!/^\d{5}$/.test(input.random5)) throw new RangeError('random5 must be five digits');
  if (input.divisionCode !== null && !/^\d{6}$/.test(input.divisionCode)) throw new RangeError('divisionCode must be six digits');
  const parts = shanghaiYearMonth.formatToParts(input.issuedAt);
  const yy = parts.find((p) => p.type === 'year')!.value;
  const mm = parts.find((p) => p.type === 'month')!.value;
  const head = `${yy}${mm}-${input.divisionCode ?? '000000'}-00-${input.track === 'approval' ? '01' : '03'}-${input.random5}`;
  return head + luhnCheckDigit(head.replace(/-/g, ''));
}

/** True for a code this platform issued and that was copied without a typing error. */
export function hasPlatformCheckDigit(code: string): boolean {
  if (!PROJECT_CODE_PATTERN.test(code)) return false;
  const digits = code.replace(/-/g, '');
  return luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}
