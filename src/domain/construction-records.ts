// Construction records as pure rules (no I/O): 第十三条 and 第十九条 (implementing agency, project
// lead, tendering and procurement, contracts, the 监理单位), 第二十条 (indicator actuals in the annual
// performance report), 第二十一条 (rectification deadlines), 第二十二条 (the declaration of
// completion). Dates are Asia/Shanghai calendar dates 'YYYY-MM-DD'; amounts are 万元 strings.
import { isCalendarDate } from './deadlines.ts';
import { surplusToReturn } from './investment.ts';
import { formatWan, parseWan, type Fen } from './money.ts';
import { problemOf, type ProblemTable, type RuleProblem } from './rule-problem.ts';

export type Localized = { readonly zh: string; readonly en: string };

// ---------------------------------------------------------------------------------------------
// 第十九条: procurement methods (政府采购法 第二十六条, 政府采购框架协议采购方式管理暂行办法)

export const PROCUREMENT_METHODS = [
  'public_tender', 'invited_tender', 'competitive_negotiation', 'competitive_consultation', 'single_source', 'inquiry',
  'framework_agreement', 'other',
] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];

export const PROCUREMENT_METHOD_NAMES: Readonly<Record<ProcurementMethod, Localized>> = {
  public_tender: { zh: '公开招标', en: 'Open tender' },
  invited_tender: { zh: '邀请招标', en: 'Invited tender' },
  competitive_negotiation: { zh: '竞争性谈判', en: 'Competitive negotiation' },
  competitive_consultation: { zh: '竞争性磋商', en: 'Competitive consultation' },
  single_source: { zh: '单一来源采购', en: 'Single source' },
  inquiry: { zh: '询价', en: 'Request for quotation' },
  framework_agreement: { zh: '框架协议采购', en: 'Framework agreement' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * I-48: methods that publish an open announcement to all suppliers (公开招标, 框架协议采购的公开征集).
 * A 涉密采购 (政府采购法 第八十五条: 涉及国家安全和秘密的采购不适用本法; it follows the 涉密政府采购
 * procedures) must not use them.
 */
export const PUBLIC_ANNOUNCEMENT_METHODS: ReadonlySet<ProcurementMethod> = new Set(['public_tender', 'framework_agreement']);

// ---------------------------------------------------------------------------------------------
// 第十八条: who builds and who runs

export const DELIVERY_MODELS = ['self', 'professional', 'outsourced', 'service'] as const;
export type DeliveryModel = (typeof DELIVERY_MODELS)[number];

/** How a project is built (建设方式) or its systems run (运维方式). */
export const DELIVERY_MODEL_NAMES: Readonly<Record<DeliveryModel, { build: Localized; om: Localized }>> = {
  self: { build: { zh: '自建', en: 'Built by the unit' }, om: { zh: '自行运维', en: 'Run by the unit' } },
  professional: { build: { zh: '委托专业机构建设', en: 'Built by a professional institution' }, om: { zh: '委托专业机构运维', en: 'Run by a professional institution' } },
  outsourced: { build: { zh: '外包建设', en: 'Outsourced build' }, om: { zh: '外包运维', en: 'Outsourced operation' } },
  service: { build: { zh: '购买服务', en: 'Bought as a service' }, om: { zh: '购买运维服务', en: 'Operation bought as a service' } },
};

export interface DeliveryInput {
  readonly buildModel: DeliveryModel | null;
  readonly omModel: DeliveryModel | null;
  readonly deliveryNote: string | null;
}

/**
 * 第十八条 (I-94): the article asks large projects of units without the capability to use
 * professional institutions and to reduce 自建自管自用自维; it sets no threshold, so the platform
 * decides nothing automatically. What it does require: a unit that both builds and runs the
 * project itself states why it has the capability (the note), so the choice is on record for the
 * approval department and the auditors.
 */
export function deliveryProblems(input: DeliveryInput): RecordProblem[] {
  if (input.buildModel === 'self' && input.omModel === 'self' && (input.deliveryNote ?? '').trim() === '') {
    return [problem('delivery.note_required')];
  }
  return [];
}

export type RecordProblemCode =
  | 'delivery.note_required'
  | 'procurement.secret_public_method' | 'procurement.in_future' | 'contract.in_future' | 'contract.procurement_other_project'
  | 'completion.no_supervisor' | 'completion.in_future' | 'completion.surplus_date_required' | 'completion.surplus_date_not_allowed'
  | 'completion.surplus_before_completion' | 'completion.surplus_in_future' | 'completion.open_rectification'
  | 'completion.surplus_mismatch'
  | 'report.year_not_due' | 'report.indicator_unknown' | 'report.indicator_missing'
  | 'order.due_not_after_today' | 'rectification.in_future';

const RECORD_PROBLEMS: ProblemTable<RecordProblemCode> = {
  'delivery.note_required': {
    article: '第十八条',
    message: () => ({
      zh: '自建且自行运维的，请说明建设单位具备建设和运维能力的情况（第十八条：减少自建自管自用自维）',
      en: 'A unit that builds and runs the project itself states why it has the capability (Article 18: fewer self-built, self-run systems)',
    }),
  },
  'procurement.secret_public_method': {
    article: '第十九条',
    message: (p) => ({
      zh: `涉密采购应按涉密政府采购程序办理，不得采用${p.method}等公开征集方式（I-48）`,
      en: `A secret-related procurement follows the classified procurement procedure and cannot use ${p.methodEn}, which is announced publicly (I-48)`,
    }),
  },
  'procurement.in_future': { article: '第十九条', message: (p) => ({ zh: `采购日期 ${p.date} 不能晚于今天`, en: `The procurement date ${p.date} is in the future` }) },
  'contract.in_future': { article: '第十九条', message: (p) => ({ zh: `合同签订日期 ${p.date} 不能晚于今天`, en: `The contract date ${p.date} is in the future` }) },
  'contract.procurement_other_project': {
    article: '第十九条', message: () => ({ zh: '关联的采购记录不属于本项目', en: 'The linked procurement belongs to another project' }),
  },
  'completion.no_supervisor': {
    article: '第十九条',
    message: () => ({ zh: '尚未登记监理单位，项目不能申报建成（第十九条）', en: 'No supervision company (监理单位) is recorded; the project cannot be declared complete (Article 19)' }),
  },
  'completion.in_future': { article: '第二十二条', message: (p) => ({ zh: `建成日期 ${p.date} 不能晚于今天（${p.today}）`, en: `The completion date ${p.date} is after today (${p.today})` }) },
  'completion.surplus_date_required': {
    article: '第二十二条', message: () => ({ zh: '有结余资金的，须填写结余资金交回日期', en: 'Give the date the surplus was returned' }),
  },
  'completion.surplus_date_not_allowed': {
    article: '第二十二条', message: () => ({ zh: '无结余资金交回的，不填写交回日期', en: 'No surplus was returned, so no return date' }),
  },
  'completion.surplus_before_completion': {
    article: '第二十二条', message: (p) => ({ zh: `结余资金交回日期 ${p.date} 不能早于建成日期 ${p.completedOn}`, en: `The surplus return date ${p.date} is before the completion ${p.completedOn}` }),
  },
  'completion.surplus_in_future': { article: '第二十二条', message: (p) => ({ zh: `结余资金交回日期 ${p.date} 不能晚于今天`, en: `The surplus return date ${p.date} is in the future` }) },
  'completion.surplus_mismatch': {
    article: '第二十二条',
    message: (p) => ({
      zh: `交回结余资金 ${p.surplus} 万元与已下达投资 ${p.released} 万元减已支出 ${p.spent} 万元之差 ${p.expected} 万元不符（I-71）`,
      en: `The surplus returned, ${p.surplus}, is not the investment released, ${p.released}, less the spending, ${p.spent}: ${p.expected} (10k CNY; I-71)`,
    }),
  },
  'completion.open_rectification': {
    article: '第二十一条',
    message: (p) => ({ zh: `尚有 ${p.count} 项整改未完成，整改完成后方可申报建成（I-49）`, en: `${p.count} rectification order(s) are still open; complete them first (I-49)` }),
  },
  'report.year_not_due': {
    article: '第二十条',
    message: (p) => ({ zh: `${p.year} 年不在建设期内，无需提交年度绩效评估报告（应报年度：${p.years}）`, en: `${p.year} is not a construction year; reports are owed for: ${p.years}` }),
  },
  'report.indicator_unknown': { article: '第二十条', message: (p) => ({ zh: `绩效指标“${p.indicator}”不是本项目的指标`, en: `“${p.indicator}” is not an indicator of this project` }) },
  'report.indicator_missing': { article: '第二十条', message: (p) => ({ zh: `须填写绩效指标“${p.indicator}”的实际值`, en: `Give the actual value of “${p.indicator}”` }) },
  'order.due_not_after_today': { article: '第二十一条', message: (p) => ({ zh: `整改期限 ${p.date} 应晚于今天`, en: `The rectification deadline ${p.date} must be after today` }) },
  'rectification.in_future': { article: '第二十一条', message: (p) => ({ zh: `整改完成日期 ${p.date} 不能晚于今天`, en: `The rectification date ${p.date} is in the future` }) },
};

export type RecordProblem = RuleProblem<RecordProblemCode>;
const problem = (code: RecordProblemCode, params: Record<string, string> = {}) => problemOf(RECORD_PROBLEMS, code, params);

function requireDate(date: string): void {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
}

export interface ProcurementInput {
  readonly method: ProcurementMethod;
  readonly secretRelated: boolean;
  readonly procuredOn: string;
}

/** 第十九条 (I-48): every problem of a procurement record seen on `today`. */
export function procurementProblems(input: ProcurementInput, today: string): RecordProblem[] {
  requireDate(input.procuredOn);
  requireDate(today);
  const problems: RecordProblem[] = [];
  if (input.secretRelated && PUBLIC_ANNOUNCEMENT_METHODS.has(input.method)) {
    const name = PROCUREMENT_METHOD_NAMES[input.method];
    problems.push(problem('procurement.secret_public_method', { method: name.zh, methodEn: name.en }));
  }
  if (input.procuredOn > today) problems.push(problem('procurement.in_future', { date: input.procuredOn }));
  return problems;
}

/** 第十九条: a contract is signed on or before today. */
export function contractProblems(signedOn: string, today: string): RecordProblem[] {
  requireDate(signedOn);
  requireDate(today);
  return signedOn > today ? [problem('contract.in_future', { date: signedOn })] : [];
}

// ---------------------------------------------------------------------------------------------
// 第二十条: indicator actuals against the year's targets (SPEC §11: met / not met by direction)

const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,6}))?$/;

/** A decimal text as an integer count of millionths (exact; no float). null if it is not one. */
export function decimalMicros(text: string): bigint | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const v = BigInt(m[2]!) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -v : v;
}

export type IndicatorDirection = 'higher' | 'lower';

/**
 * SPEC §11, 第二十条: an actual meets its target when it is at least the target (higher is
 * better) or at most the target (lower is better); reaching the target exactly is met.
 */
export function indicatorMet(direction: IndicatorDirection, target: string, actual: string): boolean {
  const t = decimalMicros(target);
  const a = decimalMicros(actual);
  if (t === null || a === null) throw new RangeError(`not decimals: ${target}, ${actual}`);
  return direction === 'higher' ? a >= t : a <= t;
}

export interface IndicatorDefinition {
  readonly indicator: string;
  readonly unit: string;
  readonly direction: IndicatorDirection;
  readonly targets: ReadonlyArray<{ readonly year: number; readonly value: string }>;
}

export interface IndicatorActual {
  readonly indicator: string;
  readonly unit: string;
  readonly direction: IndicatorDirection;
  /** The target for the report's year; null when the project set none for that year. */
  readonly target: string | null;
  readonly actual: string;
  /** null: no target that year, nothing to meet. */
  readonly met: boolean | null;
}

/**
 * 第二十条: the report's indicator actuals against the project's targets for `year`. Every
 * indicator with a target that year needs an actual; one that is not the project's is refused.
 */
export function assessIndicators(
  indicators: readonly IndicatorDefinition[], year: number, actuals: ReadonlyArray<{ indicator: string; actual: string }>,
): { results: IndicatorActual[]; problems: RecordProblem[] } {
  const problems: RecordProblem[] = [];
  const byName = new Map(indicators.map((i) => [i.indicator, i]));
  for (const a of actuals) if (!byName.has(a.indicator)) problems.push(problem('report.indicator_unknown', { indicator: a.indicator }));
  const results: IndicatorActual[] = [];
  for (const def of indicators) {
    const target = def.targets.find((t) => t.year === year)?.value ?? null;
    const given = actuals.find((a) => a.indicator === def.indicator);
    if (!given) {
      if (target !== null) problems.push(problem('report.indicator_missing', { indicator: def.indicator }));
      continue;
    }
    results.push({
      indicator: def.indicator, unit: def.unit, direction: def.direction, target, actual: given.actual,
      met: target === null ? null : indicatorMet(def.direction, target, given.actual),
    });
  }
  return { results, problems };
}

/** 第二十条 (I-5): a report is owed only for a year whose due date falls within construction. */
export function reportYearProblems(year: number, dueYears: readonly number[]): RecordProblem[] {
  return dueYears.includes(year) ? [] : [problem('report.year_not_due', { year: String(year), years: dueYears.join('、') || '—' })];
}

/**
 * I-47: construction counts from the later of the approval (or filing) decision and the planned
 * construction start — nothing is built before the decision, nor before the planned start.
 */
export function constructionStartedOn(decidedOn: string, plannedStart: string): string {
  requireDate(decidedOn);
  requireDate(plannedStart);
  return decidedOn >= plannedStart ? decidedOn : plannedStart;
}

// ---------------------------------------------------------------------------------------------
// 第二十一条: rectification with a deadline

export type RectificationStatus = 'open' | 'overdue' | 'done' | 'doneLate';

/** 第二十一条: the deadline's last day is on time (I-1); a rectification reported after it is late. */
export function rectificationStatus(dueOn: string, rectifiedOn: string | null, today: string): RectificationStatus {
  requireDate(dueOn);
  requireDate(today);
  if (rectifiedOn !== null) {
    requireDate(rectifiedOn);
    return rectifiedOn > dueOn ? 'doneLate' : 'done';
  }
  return today > dueOn ? 'overdue' : 'open';
}

/** 第二十一条: a rectification deadline lies after the day it is ordered. */
export function orderProblems(dueOn: string, today: string): RecordProblem[] {
  requireDate(dueOn);
  requireDate(today);
  return dueOn <= today ? [problem('order.due_not_after_today', { date: dueOn })] : [];
}

/** 第二十一条: the unit reports a rectification done on or before today. */
export function rectificationProblems(rectifiedOn: string, today: string): RecordProblem[] {
  requireDate(rectifiedOn);
  requireDate(today);
  return rectifiedOn > today ? [problem('rectification.in_future', { date: rectifiedOn })] : [];
}

// ---------------------------------------------------------------------------------------------
// 第二十二条: completion

export interface CompletionInput {
  readonly completedOn: string;
  readonly finalAccountsAmount: string;
  readonly surplusAmount: string;
  readonly surplusReturnedOn: string | null;
}

export interface CompletionContext {
  readonly today: string;
  /** 第十九条: a 监理单位 is recorded. */
  readonly supervisorRecorded: boolean;
  /** 第二十一条 (I-49): rectification orders not yet reported done. */
  readonly openRectifications: number;
  /** 第二十四条: the investment released to the project and the spending recorded against it. */
  readonly released: Fen;
  readonly spent: Fen;
}

/**
 * 第二十二条 with 第十九条 and 第二十一条: every problem of a declaration of completion. The date
 * is not after today (Asia/Shanghai); a 监理单位 must be recorded; a surplus returned has its date,
 * on or after completion and not in the future, and no surplus has none; once investment is
 * released on the platform, the surplus is exactly released − spent, to the fen (I-71); open
 * rectification orders hold completion back (I-49).
 */
export function completionProblems(input: CompletionInput, ctx: CompletionContext): RecordProblem[] {
  requireDate(input.completedOn);
  requireDate(ctx.today);
  const problems: RecordProblem[] = [];
  if (!ctx.supervisorRecorded) problems.push(problem('completion.no_supervisor'));
  if (input.completedOn > ctx.today) problems.push(problem('completion.in_future', { date: input.completedOn, today: ctx.today }));
  if (ctx.openRectifications > 0) problems.push(problem('completion.open_rectification', { count: String(ctx.openRectifications) }));
  const surplus = parseWan(input.surplusAmount);
  if (surplus === null || surplus < 0n) throw new RangeError(`not an amount: ${input.surplusAmount}`);
  if (surplus > 0n && input.surplusReturnedOn === null) problems.push(problem('completion.surplus_date_required'));
  if (surplus === 0n && input.surplusReturnedOn !== null) problems.push(problem('completion.surplus_date_not_allowed'));
  if (surplus > 0n && input.surplusReturnedOn !== null) {
    requireDate(input.surplusReturnedOn);
    if (input.surplusReturnedOn < input.completedOn) problems.push(problem('completion.surplus_before_completion', { date: input.surplusReturnedOn, completedOn: input.completedOn }));
    if (input.surplusReturnedOn > ctx.today) problems.push(problem('completion.surplus_in_future', { date: input.surplusReturnedOn }));
  }
  const expected = surplusToReturn(ctx.released, ctx.spent);
  if (ctx.released > 0n && surplus !== expected) {
    problems.push(problem('completion.surplus_mismatch', {
      surplus: formatWan(surplus), released: formatWan(ctx.released), spent: formatWan(ctx.spent), expected: formatWan(expected),
    }));
  }
  return problems;
}

export const PROBLEM_KIND_NAMES: Readonly<Record<'serious_delay' | 'investment_loss', Localized>> = {
  serious_delay: { zh: '建设进度严重滞后', en: 'Serious delay' },
  investment_loss: { zh: '重大投资损失', en: 'Major investment loss' },
};
