// What the investment and adjustment records add to the pure rules of investment.ts and
// adjustments.ts (第二十二条–第二十四条): the stage facts a lifecycle state gives, a release that
// carries out an approved early investment (I-46), and an adjustment's stated figures checked
// against the ones its lines give (第二十三条). Pure: amounts are Fen.
import type { LifecycleState } from './lifecycle.ts';
import { formatWan, type Fen } from './money.ts';
import type { AdjustmentFigures } from './adjustments.ts';
import type { StageFacts } from './investment.ts';
import { problemOf, type ProblemTable, type RuleProblem } from './rule-problem.ts';

/**
 * 第七条 stages as 第二十四条 reads them: the 可研 is approved once the project reached the 初设
 * stage (or the whole project is approved); the 初设/概算 once the project is approved. A filed
 * project (第九条) was approved by another department: it counts as approved at both.
 */
export function stageFacts(state: LifecycleState): StageFacts {
  if (state.track === 'filing') return { feasibilityApproved: state.status === 'filed', designApproved: state.status === 'filed' };
  const approved = state.status === 'approved';
  return { feasibilityApproved: approved || state.stage === 'preliminaryDesign', designApproved: approved };
}

export type MoneyRecordProblemCode =
  | 'earlyRelease.not_approved' | 'earlyRelease.exceeds_approved' | 'adjustment.amount_mismatch' | 'adjustment.total_mismatch';

export type MoneyRecordProblem = RuleProblem<MoneyRecordProblemCode>;

const PROBLEMS: ProblemTable<MoneyRecordProblemCode> = {
  'earlyRelease.not_approved': {
    article: '第二十四条',
    message: () => ({ zh: '该提前安排投资申请尚未经审批部门同意，不能据此下达投资', en: 'The early investment has not been approved by the approval department; nothing may be released under it' }),
  },
  'earlyRelease.exceeds_approved': {
    article: '第二十四条',
    message: (p) => ({
      zh: `按提前安排投资下达的金额将超过同意的 ${p.approvedWan} 万元（已下达 ${p.releasedWan} 万元，本次 ${p.amountWan} 万元，超出 ${p.overByWan} 万元）`,
      en: `Releases under the early investment would pass the ${p.approvedWan} (10k yuan) approved (released ${p.releasedWan}, this ${p.amountWan}, over by ${p.overByWan})`,
    }),
  },
  'adjustment.amount_mismatch': {
    article: '第二十三条',
    message: (p) => ({
      zh: `填报的调整投资额 ${p.statedWan} 万元与各调整事项计算的 ${p.computedWan} 万元不一致（增加额之和与减少额之和的较大者）`,
      en: `The stated adjusted amount ${p.statedWan} (10k yuan) differs from ${p.computedWan} computed from the lines (the larger of increases and decreases)`,
    }),
  },
  'adjustment.total_mismatch': {
    article: '第二十三条',
    message: (p) => ({
      zh: `填报的调整后总投资 ${p.statedWan} 万元与计算的 ${p.computedWan} 万元不一致（调整前 ${p.beforeWan} 万元加各事项增减）`,
      en: `The stated total after adjustment ${p.statedWan} (10k yuan) differs from ${p.computedWan} computed (${p.beforeWan} before, plus the lines)`,
    }),
  },
};

/**
 * 第二十四条 (I-46): a release under an early investment needs that application approved, and the
 * releases under it stay within the amount approved. Every problem at once.
 */
export function checkEarlyRelease(status: 'pending' | 'approved' | 'refused', approvedFen: Fen, releasedUnderFen: Fen, amountFen: Fen): MoneyRecordProblem[] {
  const problems: MoneyRecordProblem[] = [];
  if (status !== 'approved') problems.push(problemOf(PROBLEMS, 'earlyRelease.not_approved'));
  const after = releasedUnderFen + amountFen;
  if (after > approvedFen) {
    problems.push(problemOf(PROBLEMS, 'earlyRelease.exceeds_approved', {
      approvedWan: formatWan(approvedFen), releasedWan: formatWan(releasedUnderFen), amountWan: formatWan(amountFen), overByWan: formatWan(after - approvedFen),
    }));
  }
  return problems;
}

/**
 * 第二十三条: the unit states the adjusted amount and the new total; both must be the ones its lines
 * give (I-16), so what is filed and what the rule judged are the same figures.
 */
export function checkStatedFigures(figures: AdjustmentFigures, totalBeforeFen: Fen, stated: { amountFen: Fen; totalAfterFen: Fen }): MoneyRecordProblem[] {
  const problems: MoneyRecordProblem[] = [];
  if (stated.amountFen !== figures.amountFen) {
    problems.push(problemOf(PROBLEMS, 'adjustment.amount_mismatch', { statedWan: formatWan(stated.amountFen), computedWan: formatWan(figures.amountFen) }));
  }
  if (stated.totalAfterFen !== figures.totalAfterFen) {
    problems.push(problemOf(PROBLEMS, 'adjustment.total_mismatch', {
      statedWan: formatWan(stated.totalAfterFen), computedWan: formatWan(figures.totalAfterFen), beforeWan: formatWan(totalBeforeFen),
    }));
  }
  return problems;
}
