// Risk ratings (issue 6; SPEC §8 监督管理, §9 统计分析): planned / projected / actual triples of a
// project's end date and cost, the schedule and cost variance computed from them, a colour band from
// the rule settings (risk.amberPercent, risk.redPercent; 第三十四条), raised by overdue obligations
// (第二十条, 第二十五条, 第二十七条, 第十四条, 第十五条) and open rectifications (第二十一条, 第三十条).
// Pure: exact rationals, calendar dates, no I/O.
import { formatWan, type Fen } from './money.ts';
import { daysBetween } from './worklist.ts';

export const RISK_BANDS = ['green', 'amber', 'red'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];
export type RiskLevel = 0 | 1 | 2;

export const RISK_BAND_NAMES: Readonly<Record<RiskBand, { zh: string; en: string }>> = {
  green: { zh: '绿色', en: 'Green' },
  amber: { zh: '黄色', en: 'Amber' },
  red: { zh: '红色', en: 'Red' },
};

export const bandOfLevel = (level: RiskLevel): RiskBand => RISK_BANDS[level];

/** A signed exact ratio num/den (den > 0): the variance as a share of the planned figure. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

/** A baseline: planned start and end (calendar dates) and planned cost (fen). */
export interface Baseline {
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly plannedCost: Fen;
}

/**
 * Schedule variance: the days the end (actual when known, else projected) falls after the planned
 * end, as a share of the planned duration in days (at least one day). Positive is late.
 */
export function scheduleVariance(baseline: Baseline, end: string): Ratio {
  const duration = Math.max(1, daysBetween(baseline.plannedStart, baseline.plannedEnd));
  return { num: BigInt(daysBetween(baseline.plannedEnd, end)), den: BigInt(duration) };
}

/** Cost variance: (cost − planned cost) / planned cost, exactly. Positive is over budget. */
export function costVariance(baseline: Baseline, cost: Fen): Ratio {
  if (baseline.plannedCost <= 0n) throw new RangeError('a baseline has a positive planned cost');
  return { num: cost - baseline.plannedCost, den: baseline.plannedCost };
}

/** A ratio as a signed percent with two places, rounded half away from zero ("12.50", "-3.33"). */
export function formatPercent(r: Ratio): string {
  const negative = r.num < 0n;
  const abs = negative ? -r.num : r.num;
  let q = (abs * 10_000n) / r.den;
  if (((abs * 10_000n) % r.den) * 2n >= r.den) q += 1n;
  const s = q.toString().padStart(3, '0');
  return `${negative && q !== 0n ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** The band thresholds in hundredths of a percent (1000n = 10.00%), from the rule settings. */
export interface RiskThresholds {
  readonly amberHundredths: bigint;
  readonly redHundredths: bigint;
}

export const DEFAULT_THRESHOLDS: RiskThresholds = { amberHundredths: 1000n, redHundredths: 3000n };

/**
 * The band of one variance, exactly: an overrun at or above red is red, at or above amber is amber
 * (exactly 10.00% is amber, exactly 30.00% red with the defaults). Running early or under budget is
 * no risk (level 0). A red threshold below the amber one is read as equal to it.
 */
export function varianceLevel(r: Ratio, t: RiskThresholds): RiskLevel {
  if (r.num <= 0n) return 0;
  // num/den ≥ h/10000 ⇔ num·10000 ≥ h·den (den > 0).
  const atLeast = (h: bigint) => r.num * 10_000n >= h * r.den;
  const red = t.redHundredths < t.amberHundredths ? t.amberHundredths : t.redHundredths;
  if (atLeast(red)) return 2;
  if (atLeast(t.amberHundredths)) return 1;
  return 0;
}

export interface RiskReason {
  readonly code: 'scheduleVariance' | 'costVariance' | 'originalBaseline' | 'overdueObligations' | 'openRectifications' | 'withinThresholds';
  readonly zh: string;
  readonly en: string;
}

export interface RiskInput {
  /** The project's own construction period and total investment: never rewritten. */
  readonly original: Baseline;
  /** The latest re-baseline, if any. */
  readonly rebaseline: Baseline | null;
  readonly projectedEnd: string;
  readonly projectedCost: Fen;
  /** The completion date once declared (建成, 第二十二条). */
  readonly actualEnd: string | null;
  /** Spent so far (Σ 支出), or the 竣工决算 once complete. */
  readonly actualCost: Fen;
  readonly overdueObligations: number;
  readonly openRectifications: number;
  readonly thresholds: RiskThresholds;
}

export interface RiskRating {
  readonly scheduleVariance: string;
  readonly costVariance: string;
  readonly originalScheduleVariance: string;
  readonly originalCostVariance: string;
  /** The end date and cost the variances were measured on: actual when known, else projected. */
  readonly endMeasured: string;
  readonly costMeasured: string;
  readonly varianceLevel: RiskLevel;
  readonly band: RiskBand;
  readonly rebaselined: boolean;
  readonly reasons: readonly RiskReason[];
}

/**
 * The rating of a project (SPEC §8; I-73):
 *   1. the end is the actual end once known, else the projection; the cost is the larger of the
 *      projection and what is already spent (a projection below the spending is no projection);
 *   2. the variance level is the higher of the schedule and cost levels against the baseline in force;
 *   3. a re-baseline cannot hide variance: the level is at least the level against the original
 *      baseline less one (a project red on its original plan stays at least amber after a
 *      re-baseline), and both variances are reported on every rating;
 *   4. any overdue obligation raises the band one level, any open rectification one more, up to red.
 */
export function rateRisk(input: RiskInput): RiskRating {
  const baseline = input.rebaseline ?? input.original;
  const end = input.actualEnd ?? input.projectedEnd;
  const cost = input.projectedCost > input.actualCost ? input.projectedCost : input.actualCost;
  const sv = scheduleVariance(baseline, end);
  const cv = costVariance(baseline, cost);
  const osv = scheduleVariance(input.original, end);
  const ocv = costVariance(input.original, cost);
  const reasons: RiskReason[] = [];
  const svl = varianceLevel(sv, input.thresholds);
  const cvl = varianceLevel(cv, input.thresholds);
  const current = Math.max(svl, cvl) as RiskLevel;
  if (svl > 0) reasons.push({ code: 'scheduleVariance', zh: `进度偏差 ${formatPercent(sv)}%（${RISK_BAND_NAMES[bandOfLevel(svl)].zh}）`, en: `Schedule variance ${formatPercent(sv)}% (${RISK_BAND_NAMES[bandOfLevel(svl)].en})` });
  if (cvl > 0) reasons.push({ code: 'costVariance', zh: `投资偏差 ${formatPercent(cv)}%（${RISK_BAND_NAMES[bandOfLevel(cvl)].zh}）`, en: `Cost variance ${formatPercent(cv)}% (${RISK_BAND_NAMES[bandOfLevel(cvl)].en})` });
  let level: RiskLevel = current;
  if (input.rebaseline) {
    const original = Math.max(varianceLevel(osv, input.thresholds), varianceLevel(ocv, input.thresholds));
    const floor = Math.max(0, original - 1) as RiskLevel;
    if (floor > level) {
      level = floor;
      reasons.push({
        code: 'originalBaseline',
        zh: `已重新设定基线，但相对原始基线进度偏差 ${formatPercent(osv)}%、投资偏差 ${formatPercent(ocv)}%，评级不低于${RISK_BAND_NAMES[bandOfLevel(floor)].zh}`,
        en: `Re-baselined, but against the original baseline schedule variance is ${formatPercent(osv)}% and cost variance ${formatPercent(ocv)}%: at least ${RISK_BAND_NAMES[bandOfLevel(floor)].en}`,
      });
    }
  }
  const varianceLevelResult = level;
  if (input.overdueObligations > 0) {
    level = Math.min(2, level + 1) as RiskLevel;
    reasons.push({ code: 'overdueObligations', zh: `逾期未履行义务 ${input.overdueObligations} 项，评级上调一级`, en: `${input.overdueObligations} overdue obligation(s): raised one level` });
  }
  if (input.openRectifications > 0) {
    level = Math.min(2, level + 1) as RiskLevel;
    reasons.push({ code: 'openRectifications', zh: `未完成整改 ${input.openRectifications} 项，评级上调一级`, en: `${input.openRectifications} open rectification(s): raised one level` });
  }
  if (reasons.length === 0) reasons.push({ code: 'withinThresholds', zh: '进度和投资偏差均在阈值内', en: 'Schedule and cost variance within the thresholds' });
  return {
    scheduleVariance: formatPercent(sv), costVariance: formatPercent(cv),
    originalScheduleVariance: formatPercent(osv), originalCostVariance: formatPercent(ocv),
    endMeasured: end, costMeasured: formatWan(cost),
    varianceLevel: varianceLevelResult, band: bandOfLevel(level), rebaselined: input.rebaseline !== null, reasons,
  };
}

/**
 * The band when read later from the stored variance level and today's counts: the same raise as
 * rateRisk step 4 (the dashboard's SQL restates it; test/db/dashboard.test.ts checks they agree).
 */
export function raisedBand(varianceLevel: RiskLevel, overdueObligations: number, openRectifications: number): RiskBand {
  const level = Math.min(2, varianceLevel + (overdueObligations > 0 ? 1 : 0) + (openRectifications > 0 ? 1 : 0)) as RiskLevel;
  return bandOfLevel(level);
}
