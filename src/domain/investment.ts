// Money of a project under construction (第二十二条, 第二十四条): when investment may be released,
// what an early investment may be for, and spending against what was released. Pure: amounts are
// Fen (bigint) so every sum is exact to the fen; the stage facts (可研 approved, 初设/概算
// approved) are inputs the use case reads from the lifecycle.
import { formatWan, type Fen } from './money.ts';
import { problemOf, type ProblemTable, type RuleProblem } from './rule-problem.ts';
import type { LocalizedText } from './lifecycle.ts';

/** What the lifecycle says about the project (第七条 stages). */
export interface StageFacts {
  /** 可行性研究报告 approved (or the combined stage, which includes it). */
  readonly feasibilityApproved: boolean;
  /** 初步设计方案和投资概算 approved (or the combined stage). */
  readonly designApproved: boolean;
}

/** 第二十四条: the purposes an early investment may serve, a closed list (I-17). */
export const EARLY_INVESTMENT_PURPOSES = ['requirementsAnalysis', 'feasibilityAndDesignPreparation', 'landPurchase', 'demolition'] as const;
export type EarlyInvestmentPurpose = (typeof EARLY_INVESTMENT_PURPOSES)[number];

export const EARLY_INVESTMENT_PURPOSE_NAMES: Readonly<Record<EarlyInvestmentPurpose, LocalizedText>> = {
  requirementsAnalysis: { zh: '需求分析', en: 'Requirements analysis' },
  feasibilityAndDesignPreparation: { zh: '编制可行性研究报告和初步设计', en: 'Preparing the feasibility study and preliminary design' },
  landPurchase: { zh: '土地购置', en: 'Land purchase' },
  demolition: { zh: '拆迁', en: 'Demolition' },
};

export type InvestmentProblemCode =
  | 'investment.amount_not_positive' | 'investment.design_not_approved' | 'investment.exceeds_budget'
  | 'earlyInvestment.feasibility_not_approved' | 'earlyInvestment.design_already_approved' | 'earlyInvestment.no_purpose'
  | 'earlyInvestment.purpose_not_allowed' | 'earlyInvestment.amount_not_positive'
  | 'spending.amount_not_positive' | 'spending.exceeds_released';

export type InvestmentProblem = RuleProblem<InvestmentProblemCode>;

const PROBLEMS: ProblemTable<InvestmentProblemCode> = {
  'investment.amount_not_positive': {
    article: '第二十四条', message: () => ({ zh: '下达投资金额须大于零', en: 'The amount released must be positive' }),
  },
  'investment.design_not_approved': {
    article: '第二十四条',
    message: () => ({
      zh: '初步设计方案和投资概算批复前不得安排建设投资；确需提前安排的，可在可研批复后申请提前安排投资',
      en: 'No investment is released before the preliminary design and budget are approved; an early investment may be applied for after the feasibility study is approved',
    }),
  },
  'investment.exceeds_budget': {
    article: '第二十二条',
    message: (p) => ({
      zh: `累计下达投资 ${p.releasedAfterWan} 万元将超过核定概算 ${p.approvedBudgetWan} 万元（已下达 ${p.releasedWan} 万元，本次 ${p.amountWan} 万元，超出 ${p.overByWan} 万元）`,
      en: `Releases would total ${p.releasedAfterWan} (10k yuan), above the approved budget ${p.approvedBudgetWan} (released ${p.releasedWan}, this ${p.amountWan}, over by ${p.overByWan})`,
    }),
  },
  'earlyInvestment.feasibility_not_approved': {
    article: '第二十四条',
    message: () => ({ zh: '可行性研究报告批复后方可申请提前安排投资', en: 'An early investment may be applied for only after the feasibility study is approved' }),
  },
  'earlyInvestment.design_already_approved': {
    article: '第二十四条',
    message: () => ({ zh: '初步设计方案和投资概算已批复，按正常程序下达投资，无需申请提前安排', en: 'The design and budget are approved: release investment normally, not as an early investment' }),
  },
  'earlyInvestment.no_purpose': {
    article: '第二十四条', message: () => ({ zh: '须列明提前安排投资的用途和金额', en: 'List the purposes and amounts of the early investment' }),
  },
  'earlyInvestment.purpose_not_allowed': {
    article: '第二十四条',
    message: (p) => ({
      zh: `第 ${p.line} 项用途「${p.purpose}」不在可提前安排投资的范围内（需求分析、编制可研和初设、土地购置、拆迁）`,
      en: `Line ${p.line}: “${p.purpose}” is not a purpose early investment may serve (requirements analysis, feasibility study and design preparation, land purchase, demolition)`,
    }),
  },
  'earlyInvestment.amount_not_positive': {
    article: '第二十四条', message: (p) => ({ zh: `第 ${p.line} 项金额须大于零`, en: `Line ${p.line}: the amount must be positive` }),
  },
  'spending.amount_not_positive': {
    article: '第二十二条', message: () => ({ zh: '支出金额须大于零', en: 'The amount spent must be positive' }),
  },
  'spending.exceeds_released': {
    article: '第二十二条',
    message: (p) => ({
      zh: `支出超出已下达投资：已下达 ${p.releasedWan} 万元，已支出 ${p.spentWan} 万元，本次 ${p.amountWan} 万元，超出 ${p.overByWan} 万元`,
      en: `Spending beyond the investment released: released ${p.releasedWan} (10k yuan), spent ${p.spentWan}, this ${p.amountWan}, over by ${p.overByWan}`,
    }),
  },
};

export interface InvestmentRelease {
  readonly stages: StageFacts;
  /** 核定概算总投资; null before the 概算 is approved. */
  readonly approvedBudgetFen: Fen | null;
  /** Released so far, early investments included. */
  readonly releasedFen: Fen;
  readonly amountFen: Fen;
}

export interface ReleaseFigures {
  readonly releasedFen: Fen;
  readonly amountFen: Fen;
  readonly releasedAfterFen: Fen;
  readonly approvedBudgetFen: Fen | null;
  /** approved budget − released after; negative by how much it would be passed; null without a budget. */
  readonly remainingFen: Fen | null;
}

/**
 * 第二十四条: no investment plan is released before the 初设/概算 approval; 第二十二条 (I-43): the
 * releases, early investments included, stay within the approved 概算. Every problem at once.
 */
export function checkInvestmentRelease(input: InvestmentRelease): { ok: boolean; problems: InvestmentProblem[]; figures: ReleaseFigures } {
  const problems: InvestmentProblem[] = [];
  if (input.amountFen <= 0n) problems.push(problemOf(PROBLEMS, 'investment.amount_not_positive'));
  if (!input.stages.designApproved) problems.push(problemOf(PROBLEMS, 'investment.design_not_approved'));
  const releasedAfterFen = input.releasedFen + input.amountFen;
  const budget = input.approvedBudgetFen;
  const remainingFen = budget === null ? null : budget - releasedAfterFen;
  if (budget !== null && releasedAfterFen > budget) {
    problems.push(problemOf(PROBLEMS, 'investment.exceeds_budget', {
      releasedAfterWan: formatWan(releasedAfterFen), approvedBudgetWan: formatWan(budget), releasedWan: formatWan(input.releasedFen),
      amountWan: formatWan(input.amountFen), overByWan: formatWan(releasedAfterFen - budget),
    }));
  }
  return {
    ok: problems.length === 0, problems,
    figures: { releasedFen: input.releasedFen, amountFen: input.amountFen, releasedAfterFen, approvedBudgetFen: budget, remainingFen },
  };
}

export interface EarlyInvestmentLine {
  /** One of EARLY_INVESTMENT_PURPOSES; anything else is refused by name. */
  readonly purpose: string;
  readonly amountFen: Fen;
}

/**
 * 第二十四条: an early investment (提前安排投资) is applied for after the 可研 approval and before the
 * 初设/概算 approval, only for the four purposes (I-17). Returns every problem and the amount per
 * purpose, summed exactly.
 */
export function checkEarlyInvestment(stages: StageFacts, lines: readonly EarlyInvestmentLine[]): {
  ok: boolean; problems: InvestmentProblem[]; totalFen: Fen; byPurpose: Partial<Record<EarlyInvestmentPurpose, Fen>>;
} {
  const problems: InvestmentProblem[] = [];
  if (!stages.feasibilityApproved) problems.push(problemOf(PROBLEMS, 'earlyInvestment.feasibility_not_approved'));
  if (stages.designApproved) problems.push(problemOf(PROBLEMS, 'earlyInvestment.design_already_approved'));
  if (lines.length === 0) problems.push(problemOf(PROBLEMS, 'earlyInvestment.no_purpose'));
  const byPurpose: Partial<Record<EarlyInvestmentPurpose, Fen>> = {};
  let totalFen = 0n;
  lines.forEach((l, i) => {
    const line = String(i + 1);
    const allowed = (EARLY_INVESTMENT_PURPOSES as readonly string[]).includes(l.purpose);
    if (!allowed) problems.push(problemOf(PROBLEMS, 'earlyInvestment.purpose_not_allowed', { line, purpose: l.purpose }));
    if (l.amountFen <= 0n) problems.push(problemOf(PROBLEMS, 'earlyInvestment.amount_not_positive', { line }));
    totalFen += l.amountFen;
    if (allowed) {
      const p = l.purpose as EarlyInvestmentPurpose;
      byPurpose[p] = (byPurpose[p] ?? 0n) + l.amountFen;
    }
  });
  return { ok: problems.length === 0, problems, totalFen, byPurpose };
}

export interface SpendingFigures {
  readonly releasedFen: Fen;
  readonly spentFen: Fen;
  readonly amountFen: Fen;
  readonly spentAfterFen: Fen;
  /** released − spent after; negative by the amount over. */
  readonly remainingFen: Fen;
}

/**
 * 第二十二条 (I-43): spending stays within the investment released; a payment beyond it is refused
 * with the figures (released, spent, this amount, over by).
 */
export function checkSpending(releasedFen: Fen, spentFen: Fen, amountFen: Fen): { ok: boolean; problems: InvestmentProblem[]; figures: SpendingFigures } {
  const problems: InvestmentProblem[] = [];
  if (amountFen <= 0n) problems.push(problemOf(PROBLEMS, 'spending.amount_not_positive'));
  const spentAfterFen = spentFen + amountFen;
  const remainingFen = releasedFen - spentAfterFen;
  if (remainingFen < 0n) {
    problems.push(problemOf(PROBLEMS, 'spending.exceeds_released', {
      releasedWan: formatWan(releasedFen), spentWan: formatWan(spentFen), amountWan: formatWan(amountFen), overByWan: formatWan(-remainingFen),
    }));
  }
  return { ok: problems.length === 0, problems, figures: { releasedFen, spentFen, amountFen, spentAfterFen, remainingFen } };
}

/** 第二十二条: what is left of the released investment once construction ends, to be returned (never negative). */
export function surplusToReturn(releasedFen: Fen, spentFen: Fen): Fen {
  return releasedFen > spentFen ? releasedFen - spentFen : 0n;
}
