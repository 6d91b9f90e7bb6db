// 第三十二条: 项目建设和运维情况作为安排下一年度投资计划和运维经费的重要依据. The scoring model
// (docs/scoring-model.md) turns a project's annual performance report (indicators met, 第二十条),
// its post-evaluation conclusion (第二十七条), its rectifications (第二十一条, 第三十条) and its risk
// rating into a recommendation for next year's investment and O&M funding, with every reason; a
// department's recommendation follows from its projects'. Pure: integers only.
import type { RiskBand } from './risk.ts';

export const FUNDING_RECOMMENDATIONS = ['prioritize', 'normal', 'reduce', 'defer'] as const;
export type FundingRecommendation = (typeof FUNDING_RECOMMENDATIONS)[number];

export const FUNDING_RECOMMENDATION_NAMES: Readonly<Record<FundingRecommendation | 'notApplicable', { zh: string; en: string }>> = {
  prioritize: { zh: '优先安排', en: 'Prioritize' },
  normal: { zh: '正常安排', en: 'Normal' },
  reduce: { zh: '压减', en: 'Reduce' },
  defer: { zh: '暂缓', en: 'Defer' },
  notApplicable: { zh: '不适用', en: 'Not applicable' },
};

export type PostEvaluationConclusion = 'continue' | 'remediate' | 'innovate' | 'retire';

/** Where the project is: investment is for projects being built, O&M for those built. */
export type FundingPhase = 'construction' | 'operation';

export interface FundingInput {
  readonly phase: FundingPhase;
  /** The latest 年度绩效评估报告: how many indicators it reports and how many were met. */
  readonly report: { readonly year: number; readonly indicators: number; readonly met: number } | null;
  readonly postEvaluation: PostEvaluationConclusion | null;
  readonly openRectifications: number;
  /** Open rectifications past their deadline (a subset of the open ones). */
  readonly overdueRectifications: number;
  /** The current risk band; null when the project is not rated. */
  readonly riskBand: RiskBand | null;
}

export interface FundingReason {
  readonly code: string;
  /** Points added (negative: taken off); 0 for a reason that changes nothing or caps. */
  readonly points: number;
  readonly zh: string;
  readonly en: string;
}

export interface FundingResult {
  readonly score: number;
  readonly recommendation: FundingRecommendation;
  /** The recommendation for next year's investment (projects being built) or 不适用. */
  readonly investment: FundingRecommendation | 'notApplicable';
  /** The recommendation for next year's O&M funding (projects built) or 不适用. */
  readonly operations: FundingRecommendation | 'notApplicable';
  readonly reasons: readonly FundingReason[];
}

/** The weights and bands of the model, as docs/scoring-model.md states them. */
export const SCORING = {
  base: 100,
  indicators: { allMet: 10, atLeast80: 0, atLeast50: -15, below50: -30 },
  postEvaluation: { continue: 10, innovate: 5, remediate: -20, retire: -40 } satisfies Record<PostEvaluationConclusion, number>,
  rectification: { perOpen: -10, openFloor: -30, perOverdue: -10, overdueFloor: -20 },
  risk: { green: 0, amber: -10, red: -25 } satisfies Record<RiskBand, number>,
  /** score ≥ prioritize → 优先安排; ≥ normal → 正常安排; ≥ reduce → 压减; below → 暂缓. */
  bands: { prioritize: 110, normal: 90, reduce: 70 },
} as const;

const ORDER: Record<FundingRecommendation, number> = { prioritize: 0, normal: 1, reduce: 2, defer: 3 };
const worse = (a: FundingRecommendation, b: FundingRecommendation) => (ORDER[a] >= ORDER[b] ? a : b);

/** The band of a score (or of a mean given as sum/count, compared exactly). */
export function recommendationOf(sum: number, count = 1): FundingRecommendation {
  if (sum >= SCORING.bands.prioritize * count) return 'prioritize';
  if (sum >= SCORING.bands.normal * count) return 'normal';
  if (sum >= SCORING.bands.reduce * count) return 'reduce';
  return 'defer';
}

const CONCLUSION_ZH: Record<PostEvaluationConclusion, string> = { continue: '继续运行', innovate: '创新提升', remediate: '整改完善', retire: '停止运行' };
const BAND_ZH: Record<RiskBand, string> = { green: '绿色', amber: '黄色', red: '红色' };

/** 第三十二条: one project's score, recommendation and reasons (docs/scoring-model.md). */
export function scoreProject(input: FundingInput): FundingResult {
  const reasons: FundingReason[] = [];
  const add = (code: string, points: number, zh: string, en: string) => reasons.push({ code, points, zh, en });
  add('base', SCORING.base, `基础分 ${SCORING.base}`, `Base score ${SCORING.base}`);

  // 第二十条: the indicators of the latest annual performance report.
  const r = input.report;
  if (r === null) add('noReport', 0, '无年度绩效评估报告，不计绩效分', 'No annual performance report: no indicator points');
  else if (r.indicators === 0) add('noIndicators', 0, `${r.year}年度报告未列绩效指标，不计绩效分`, `The ${r.year} report lists no indicators: no indicator points`);
  else {
    const share = `${r.met}/${r.indicators}`;
    // met/indicators ≥ 80% ⇔ met·100 ≥ 80·indicators, exactly.
    if (r.met === r.indicators) add('indicatorsAllMet', SCORING.indicators.allMet, `${r.year}年度绩效指标全部达成（${share}）`, `All ${r.year} indicators met (${share})`);
    else if (r.met * 100 >= 80 * r.indicators) add('indicatorsMostlyMet', SCORING.indicators.atLeast80, `${r.year}年度绩效指标达成 ${share}（不低于80%）`, `${r.year} indicators met ${share} (at least 80%)`);
    else if (r.met * 100 >= 50 * r.indicators) add('indicatorsPartlyMet', SCORING.indicators.atLeast50, `${r.year}年度绩效指标达成 ${share}（50%至80%）`, `${r.year} indicators met ${share} (50% to 80%)`);
    else add('indicatorsMostlyMissed', SCORING.indicators.below50, `${r.year}年度绩效指标达成 ${share}（低于50%）`, `${r.year} indicators met ${share} (below 50%)`);
  }

  // 第二十七条: the post-evaluation's conclusion.
  if (input.postEvaluation) {
    const c = input.postEvaluation;
    add(`postEvaluation.${c}`, SCORING.postEvaluation[c], `后评价结论：${CONCLUSION_ZH[c]}`, `Post-evaluation conclusion: ${c}`);
  }

  // 第二十一条, 第三十条: rectifications still open, and those past their deadline.
  if (input.openRectifications > 0) {
    const points = Math.max(SCORING.rectification.openFloor, SCORING.rectification.perOpen * input.openRectifications);
    add('openRectifications', points, `未完成整改 ${input.openRectifications} 项`, `${input.openRectifications} open rectification(s)`);
  }
  if (input.overdueRectifications > 0) {
    const points = Math.max(SCORING.rectification.overdueFloor, SCORING.rectification.perOverdue * input.overdueRectifications);
    add('overdueRectifications', points, `逾期未整改 ${input.overdueRectifications} 项`, `${input.overdueRectifications} rectification(s) overdue`);
  }

  // The risk rating (SPEC §8).
  if (input.riskBand && input.riskBand !== 'green') {
    add(`risk.${input.riskBand}`, SCORING.risk[input.riskBand], `风险评级${BAND_ZH[input.riskBand]}`, `Risk rating ${input.riskBand}`);
  }

  const score = reasons.reduce((s, x) => s + x.points, 0);
  let recommendation = recommendationOf(score);
  // Caps that no points can outweigh.
  if (input.postEvaluation === 'retire') {
    recommendation = worse(recommendation, 'defer');
    add('cap.retire', 0, '后评价结论为停止运行：暂缓安排', 'Post-evaluation says retire: defer');
  } else if (input.overdueRectifications > 0 && ORDER[recommendation] < ORDER.reduce) {
    recommendation = 'reduce';
    add('cap.overdueRectification', 0, '存在逾期未整改事项：至多压减安排', 'A rectification is overdue: at most reduce');
  }
  return {
    score, recommendation, reasons,
    investment: input.phase === 'construction' ? recommendation : 'notApplicable',
    operations: input.phase === 'operation' ? recommendation : 'notApplicable',
  };
}

export interface DepartmentResult {
  readonly projects: number;
  /** The mean score, to one decimal place (display); the band is decided on the exact sum. */
  readonly meanScore: string;
  readonly recommendation: FundingRecommendation;
  readonly counts: Readonly<Record<FundingRecommendation, number>>;
  readonly reasons: readonly FundingReason[];
}

/**
 * 第三十二条: a department's recommendation from its projects': the band of their mean score, but no
 * better than 压减 when a third or more of them are 暂缓 (a department whose projects are failing is
 * not funded as usual on the strength of a few good ones). Null for a department with no project.
 */
export function scoreDepartment(results: readonly FundingResult[]): DepartmentResult | null {
  if (results.length === 0) return null;
  const n = results.length;
  const sum = results.reduce((s, r) => s + r.score, 0);
  const counts: Record<FundingRecommendation, number> = { prioritize: 0, normal: 0, reduce: 0, defer: 0 };
  for (const r of results) counts[r.recommendation] += 1;
  const tenths = Math.round((sum * 10) / n);
  const abs = Math.abs(tenths);
  const meanScore = `${tenths < 0 ? '-' : ''}${Math.floor(abs / 10)}.${abs % 10}`;
  const reasons: FundingReason[] = [
    { code: 'mean', points: 0, zh: `${n} 个项目平均得分 ${meanScore}`, en: `Mean score ${meanScore} over ${n} project(s)` },
    {
      code: 'counts', points: 0,
      zh: `优先安排 ${counts.prioritize}、正常安排 ${counts.normal}、压减 ${counts.reduce}、暂缓 ${counts.defer}`,
      en: `prioritize ${counts.prioritize}, normal ${counts.normal}, reduce ${counts.reduce}, defer ${counts.defer}`,
    },
  ];
  let recommendation = recommendationOf(sum, n);
  if (counts.defer * 3 >= n && ORDER[recommendation] < ORDER.reduce) {
    recommendation = 'reduce';
    reasons.push({ code: 'cap.deferShare', points: 0, zh: '三分之一及以上项目暂缓：部门至多压减安排', en: 'A third or more of the projects are deferred: at most reduce' });
  }
  return { projects: n, meanScore, recommendation, counts, reasons };
}
