// 第二十三条: adjusting the main construction contents. The unit may adjust by itself and file the
// adjustment (自行调整并报备案) only when the total investment stays within the approved 概算, the
// goals are unchanged, the adjusted amount is at most 15% of the approved total (不超过: exactly
// 15.00% is allowed) counted cumulatively since the last approved budget, and the reason is one of
// the three of the article; anything else goes to formal re-approval (按照国家有关规定办理相应手续,
// I-16). Pure: amounts are Fen (bigint), the share is compared exactly in integers, never floats.
import { formatWan, type Fen } from './money.ts';
import { problemOf, type ProblemTable, type RuleProblem } from './rule-problem.ts';
import { formatHundredths, percentHundredths } from './rules.ts';
import type { LocalizedText } from './lifecycle.ts';

/** 调整情形 (第二十三条 (一)(二)(三)). */
export const ADJUSTMENT_REASONS = ['centralDeployment', 'technicalOptimization', 'businessNeeds'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export const ADJUSTMENT_REASON_NAMES: Readonly<Record<AdjustmentReason, LocalizedText>> = {
  centralDeployment: { zh: '（一）确需按照党中央、国务院的部署改变建设内容', en: '(1) A change required by the Central Committee and State Council' },
  technicalOptimization: { zh: '（二）确需完善优化原技术方案', en: '(2) Improving or optimizing the original technical plan' },
  businessNeeds: { zh: '（三）根据业务发展需要，在批复的建设方案框架内调整相关建设内容和进度', en: '(3) Business needs within the approved framework' },
};

/** One line of an adjustment: the content whose investment changes, and by how much (+ more, − less). */
export interface AdjustmentLine {
  readonly content: string;
  readonly changeFen: Fen;
}

export interface ProposedAdjustment {
  readonly lines: readonly AdjustmentLine[];
  /** One of the three reasons; null or 'other' when it fits none (then re-approval). */
  readonly reason: AdjustmentReason | 'other' | null;
  readonly goalsUnchanged: boolean;
}

export interface AdjustmentBaseline {
  /** 概算总投资 of the latest (re-)approval: the denominator and the ceiling. */
  readonly approvedTotalFen: Fen;
  /** The total investment as planned now, after the adjustments already filed. */
  readonly currentTotalFen: Fen;
  /** The amounts of the adjustments self-filed since that approval (I-16: cumulative). */
  readonly priorAmountsFen: readonly Fen[];
}

export type AdjustmentRoute = 'selfFile' | 'reapproval' | 'invalid';

/** The figures behind the decision, shown to the unit and the approval department. */
export interface AdjustmentFigures {
  readonly increasesFen: Fen;
  readonly decreasesFen: Fen;
  /** This adjustment's amount: the larger of its increases and its decreases (I-16). */
  readonly amountFen: Fen;
  readonly priorCumulativeFen: Fen;
  /** The running total including this adjustment. */
  readonly cumulativeFen: Fen;
  readonly approvedTotalFen: Fen;
  readonly totalAfterFen: Fen;
  /** cumulative / approved total in percent, two places rounded up (I-39): never shows ≤ the threshold when it is over. */
  readonly sharePercent: string;
  /** Whether sharePercent is the exact share (no rounding happened). */
  readonly shareExact: boolean;
  readonly thresholdPercent: string;
  /** The largest cumulative amount that may be self-filed: ⌊approved total × threshold⌋ to the fen. */
  readonly limitFen: Fen;
  /** limit − cumulative: what may still be adjusted; negative by how much the limit is passed. */
  readonly headroomFen: Fen;
}

export interface AdjustmentDecision {
  readonly route: AdjustmentRoute;
  /** Why the adjustment cannot be recorded at all (route 'invalid'). */
  readonly problems: AdjustmentProblem[];
  /** Every reason it needs re-approval (route 'reapproval'). */
  readonly reapprovalReasons: AdjustmentProblem[];
  /** null only when the approved total is not positive. */
  readonly figures: AdjustmentFigures | null;
}

export type AdjustmentProblemCode =
  | 'adjustment.no_lines' | 'adjustment.line_content_missing' | 'adjustment.line_zero' | 'adjustment.approved_total_invalid'
  | 'adjustment.exceeds_budget' | 'adjustment.goals_changed' | 'adjustment.reason_not_listed' | 'adjustment.exceeds_threshold';

export type AdjustmentProblem = RuleProblem<AdjustmentProblemCode>;

const PROBLEMS: ProblemTable<AdjustmentProblemCode> = {
  'adjustment.no_lines': {
    article: '第二十三条', message: () => ({ zh: '调整须列明调整的建设内容及金额', en: 'An adjustment lists the contents it moves and the amounts' }),
  },
  'adjustment.line_content_missing': {
    article: '第二十三条', message: (p) => ({ zh: `第 ${p.line} 项未填写调整的建设内容`, en: `Line ${p.line} does not name the content` }),
  },
  'adjustment.line_zero': {
    article: '第二十三条', message: (p) => ({ zh: `第 ${p.line} 项调整金额为零`, en: `Line ${p.line} changes nothing` }),
  },
  'adjustment.approved_total_invalid': {
    article: '第二十三条', message: () => ({ zh: '尚无有效的核定概算总投资，不能判定调整比例', en: 'There is no approved budget total to measure the adjustment against' }),
  },
  'adjustment.exceeds_budget': {
    article: '第二十三条',
    message: (p) => ({
      zh: `调整后总投资 ${p.totalAfterWan} 万元超过核定概算 ${p.approvedTotalWan} 万元（超出 ${p.overByWan} 万元），须重新报批`,
      en: `The total after adjustment, ${p.totalAfterWan} (10k yuan), exceeds the approved budget ${p.approvedTotalWan} by ${p.overByWan}; re-approval needed`,
    }),
  },
  'adjustment.goals_changed': {
    article: '第二十三条', message: () => ({ zh: '建设目标发生变化，须重新报批', en: 'The construction goals change; re-approval needed' }),
  },
  'adjustment.reason_not_listed': {
    article: '第二十三条',
    message: () => ({ zh: '调整理由不属于第二十三条所列三种情形之一，须重新报批', en: 'The reason is none of the three of 第二十三条; re-approval needed' }),
  },
  'adjustment.exceeds_threshold': {
    article: '第二十三条',
    message: (p) => ({
      zh: `累计调整投资额 ${p.cumulativeWan} 万元占概算总投资 ${p.sharePercent}%，超过 ${p.thresholdPercent}%（超出 ${p.overByWan} 万元），须重新报批`,
      en: `The cumulative adjusted amount ${p.cumulativeWan} (10k yuan) is ${p.sharePercent}% of the budget, above ${p.thresholdPercent}% by ${p.overByWan}; re-approval needed`,
    }),
  },
};

const sum = (values: readonly Fen[]) => values.reduce((a, b) => a + b, 0n);
const blank = (text: string) => text.replace(/[\s\u3000]/g, '') === '';

function lineTotals(lines: readonly AdjustmentLine[]): { increasesFen: Fen; decreasesFen: Fen; amountFen: Fen } {
  const increasesFen = sum(lines.map((l) => (l.changeFen > 0n ? l.changeFen : 0n)));
  const decreasesFen = sum(lines.map((l) => (l.changeFen < 0n ? -l.changeFen : 0n)));
  return { increasesFen, decreasesFen, amountFen: increasesFen > decreasesFen ? increasesFen : decreasesFen };
}

/** I-16: an adjustment's amount is the larger of its total increases and its total decreases. */
export function adjustmentAmount(lines: readonly AdjustmentLine[]): Fen {
  return lineTotals(lines).amountFen;
}

/**
 * part / whole in percent with two places, rounded up (I-39), and whether that is exact.
 * Rounding up keeps the shown share on the same side of any two-place threshold as the exact one.
 */
export function sharePercentUp(part: Fen, whole: Fen): { percent: string; exact: boolean } {
  if (whole <= 0n) throw new RangeError('share of a non-positive whole');
  const num = part * 10_000n;
  const q = num / whole + (num % whole > 0n ? 1n : 0n);
  return { percent: formatHundredths(q), exact: num % whole === 0n };
}

/** Whether a cumulative amount may be self-filed: cumulative / total ≤ threshold, exactly (第二十三条). */
export function withinThreshold(cumulativeFen: Fen, approvedTotalFen: Fen, thresholdHundredths: bigint): boolean {
  return cumulativeFen * 10_000n <= approvedTotalFen * thresholdHundredths;
}

/**
 * 第二十三条: whether a proposed adjustment may be self-filed or needs re-approval, with every
 * reason and the figures. `thresholdPercent` is the rule setting adjustment.thresholdPercent
 * ("15.00"). Invalid input (no lines, a blank or zero line, no approved total) is route 'invalid'
 * with its problems; the re-approval reasons are still computed where they can be.
 */
export function evaluateAdjustment(baseline: AdjustmentBaseline, proposed: ProposedAdjustment, thresholdPercent: string): AdjustmentDecision {
  const threshold = percentHundredths(thresholdPercent);
  if (threshold === null) throw new RangeError(`not a percent setting: ${thresholdPercent}`);

  const problems: AdjustmentProblem[] = [];
  if (proposed.lines.length === 0) problems.push(problemOf(PROBLEMS, 'adjustment.no_lines'));
  proposed.lines.forEach((line, i) => {
    if (blank(line.content)) problems.push(problemOf(PROBLEMS, 'adjustment.line_content_missing', { line: String(i + 1) }));
    if (line.changeFen === 0n) problems.push(problemOf(PROBLEMS, 'adjustment.line_zero', { line: String(i + 1) }));
  });
  if (baseline.approvedTotalFen <= 0n) problems.push(problemOf(PROBLEMS, 'adjustment.approved_total_invalid'));

  const { increasesFen, decreasesFen, amountFen } = lineTotals(proposed.lines);
  const priorCumulativeFen = sum(baseline.priorAmountsFen);
  const cumulativeFen = priorCumulativeFen + amountFen;
  const totalAfterFen = baseline.currentTotalFen + increasesFen - decreasesFen;

  const reasons: AdjustmentProblem[] = [];
  if (totalAfterFen > baseline.approvedTotalFen) {
    reasons.push(problemOf(PROBLEMS, 'adjustment.exceeds_budget', {
      totalAfterWan: formatWan(totalAfterFen), approvedTotalWan: formatWan(baseline.approvedTotalFen),
      overByWan: formatWan(totalAfterFen - baseline.approvedTotalFen),
    }));
  }
  if (!proposed.goalsUnchanged) reasons.push(problemOf(PROBLEMS, 'adjustment.goals_changed'));
  if (proposed.reason === null || !(ADJUSTMENT_REASONS as readonly string[]).includes(proposed.reason)) {
    reasons.push(problemOf(PROBLEMS, 'adjustment.reason_not_listed'));
  }

  let figures: AdjustmentFigures | null = null;
  if (baseline.approvedTotalFen > 0n) {
    const limitFen = (baseline.approvedTotalFen * threshold) / 10_000n;
    const share = sharePercentUp(cumulativeFen, baseline.approvedTotalFen);
    figures = {
      increasesFen, decreasesFen, amountFen, priorCumulativeFen, cumulativeFen, approvedTotalFen: baseline.approvedTotalFen,
      totalAfterFen, sharePercent: share.percent, shareExact: share.exact, thresholdPercent: formatHundredths(threshold),
      limitFen, headroomFen: limitFen - cumulativeFen,
    };
    if (!withinThreshold(cumulativeFen, baseline.approvedTotalFen, threshold)) {
      reasons.push(problemOf(PROBLEMS, 'adjustment.exceeds_threshold', {
        cumulativeWan: formatWan(cumulativeFen), sharePercent: share.percent, thresholdPercent: figures.thresholdPercent,
        overByWan: formatWan(cumulativeFen - limitFen),
      }));
    }
  }

  const route: AdjustmentRoute = problems.length > 0 ? 'invalid' : reasons.length > 0 ? 'reapproval' : 'selfFile';
  return { route, problems, reapprovalReasons: reasons, figures };
}
