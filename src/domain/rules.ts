// 规则设置 (第三十四条, SPEC §12): thresholds and deadlines are settings with central defaults;
// a province or ministry may run its own. Pure: the definitions, validation of a new value and
// the resolution of the value in force for an organization. The history lives in the database
// (rule_settings); a decision records the values it used in its signed payload, so a later
// change never rewrites it.
import { formatWan, parseWan, wanDecimals } from './money.ts';

/**
 * wan: 万元 with two places ("3000.00"); days: 1–365; months: calendar months 1–120; percent: a
 * share with two places, 0.00–100.00 ("15.00"); monthDay: a date of every year, "MM-DD" (not 02-29).
 */
export type RuleUnit = 'wan' | 'days' | 'boolean' | 'months' | 'percent' | 'monthDay' | 'steps';
export type RuleValue = string | number | boolean;

export interface RuleDefinition {
  readonly key: RuleKey;
  readonly name: { readonly zh: string; readonly en: string };
  readonly description: { readonly zh: string; readonly en: string };
  /** The article the setting implements or the SPEC section that asks for it. */
  readonly article: string;
  readonly unit: RuleUnit;
  readonly defaultValue: RuleValue;
}

export const RULE_KEYS = [
  'assessment.enabled', 'assessment.thresholdWan',
  'deadline.signatureDays', 'deadline.acceptDays', 'deadline.assessmentDays', 'deadline.reviewDays',
  'deadline.filingDays', 'deadline.revisionDays', 'catalog.confirmationDays',
  'adjustment.thresholdPercent', 'acceptance.applicationMonths', 'selfEvaluation.windowStartMonths',
  'selfEvaluation.windowEndMonths', 'selfEvaluation.refuseEarly', 'annualReport.dueMonthDay',
  'security.mlpsTestingMonths.level2', 'security.mlpsTestingMonths.level3', 'security.mlpsTestingMonths.level4',
  'security.mlpsTestingMonths.level5', 'security.classifiedTestingMonths', 'security.cryptoAssessmentMonths',
  'obligation.remindDays',
  'escalation.steps',
  // Risk ratings (issue 6; SPEC §8, §9): the colour bands of schedule and cost variance.
  'risk.amberPercent', 'risk.redPercent',
  // 资料调阅 (第二十九条, I-90): the default response period of a document request.
  'documentRequest.responseDays',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

const days = (key: RuleKey, zh: string, en: string, value: number, descZh: string, descEn: string): RuleDefinition => ({
  key, name: { zh, en }, description: { zh: descZh, en: descEn }, article: 'SPEC §11', unit: 'days', defaultValue: value,
});

const setting = (
  key: RuleKey, article: string, unit: RuleUnit, defaultValue: RuleValue, zh: string, en: string, descZh: string, descEn: string,
): RuleDefinition => ({ key, article, unit, defaultValue, name: { zh, en }, description: { zh: descZh, en: descEn } });

const mlpsTesting = (level: 2 | 3 | 4 | 5, months: number, levelZh: string): RuleDefinition => setting(
  `security.mlpsTestingMonths.level${level}`, '第十四条', 'months', months,
  `等级保护第${levelZh}级系统测评周期（月）`, `MLPS level ${level} testing period (months)`,
  `第${levelZh}级系统自上次等级测评之日起，应在该期限内再次测评；逾期或测评不合格的系统不安排运维经费（第二十八条）`,
  `A level ${level} system is tested again within this period; overdue or failed testing bars O&M funding (第二十八条)`,
);

/**
 * The settings and their central defaults. 第七条 lets the approval department entrust a
 * 咨询评估单位 without fixing when; the default requires it for approval-track projects of at
 * least 3000万元 (interpretation I-35 in docs/compliance.md). The handling periods are not set by
 * the 办法 at all: they are the platform's service levels for the worklist (interpretation I-36).
 */
export const RULES: Readonly<Record<RuleKey, RuleDefinition>> = {
  'assessment.enabled': {
    key: 'assessment.enabled', article: '第七条', unit: 'boolean', defaultValue: true,
    name: { zh: '审批类项目须咨询评估', en: 'Assessment of approval-track projects' },
    description: {
      zh: '开启后，达到金额门槛的审批类项目受理后须经咨询评估单位评估',
      en: 'When on, approval-track projects at or above the threshold are assessed by a consulting assessor after acceptance',
    },
  },
  'assessment.thresholdWan': {
    key: 'assessment.thresholdWan', article: '第七条', unit: 'wan', defaultValue: '3000.00',
    name: { zh: '咨询评估金额门槛（万元）', en: 'Assessment threshold (10k yuan)' },
    description: {
      zh: '项目总投资不低于该金额时须咨询评估',
      en: 'Projects whose total investment is at least this amount are assessed',
    },
  },
  'deadline.signatureDays': days('deadline.signatureDays', '单位负责人签章时限（日）', 'Days to sign', 5,
    '经办人提交后，单位负责人签章的期限', 'Days the unit lead has to sign a submission'),
  'deadline.acceptDays': days('deadline.acceptDays', '受理时限（日）', 'Days to accept', 5,
    '申报材料提交后，审批部门受理的期限', 'Days the approval department has to accept a submission'),
  'deadline.assessmentDays': days('deadline.assessmentDays', '咨询评估时限（日）', 'Days to assess', 30,
    '委托咨询评估后，评估单位提交评估报告的期限', 'Days the assessor has to deliver the report'),
  'deadline.reviewDays': days('deadline.reviewDays', '审核批复时限（日）', 'Days to decide', 20,
    '进入审核后，审批部门作出批复决定的期限', 'Days the approval department has to decide once under review'),
  'deadline.filingDays': days('deadline.filingDays', '备案办理时限（日）', 'Days to file', 20,
    '备案材料提交后，国家发展改革委办理备案的期限', 'Days NDRC has to file or return a filing'),
  'deadline.revisionDays': days('deadline.revisionDays', '退回修改时限（日）', 'Days to revise', 30,
    '退回修改或补正后，建设单位重新提交的期限', 'Days the construction unit has to resubmit after a return'),
  // 第十二条 asks departments to keep their system lists current (及时更新) without a period; the
  // platform flags a list not confirmed for a year (interpretation in docs/compliance.md).
  'catalog.confirmationDays': {
    key: 'catalog.confirmationDays', article: '第十二条', unit: 'days', defaultValue: 365,
    name: { zh: '系统目录确认周期（日）', en: 'System list confirmation period (days)' },
    description: {
      zh: '各部门应在该期限内重新确认本单位政务信息系统目录，逾期未确认的部门在总目录中标出',
      en: 'Departments confirm their system list again within this period; those that do not are flagged in the national catalog',
    },
  },
  // 第二十三条: 调整投资额不超过概算总投资 15% (不超过: exactly the threshold is allowed), I-16.
  'adjustment.thresholdPercent': setting('adjustment.thresholdPercent', '第二十三条', 'percent', '15.00',
    '自行调整累计比例上限（%）', 'Self-adjustment cumulative limit (%)',
    '自最近一次概算批复以来累计调整投资额占概算总投资的比例不超过该值（含本数）的，建设单位可自行调整并报备案；超过须重新报批',
    'While the cumulative adjusted amount since the last approved budget is at most this share of it (inclusive), the unit may adjust and file; beyond it, re-approval'),
  // 第二十五条: 建成后半年内申请验收 (I-2, I-38).
  'acceptance.applicationMonths': setting('acceptance.applicationMonths', '第二十五条', 'months', 6,
    '验收申请期限（月）', 'Months to apply for acceptance',
    '项目建成之日起，建设单位应在该期限内申请验收；不能按期申请的应在期限届满前申请延期',
    'Months from completion within which the unit applies for acceptance, or for an extension before the deadline'),
  // 第二十七条: 验收投产后 12 至 24 个月内自评价 (I-4).
  'selfEvaluation.windowStartMonths': setting('selfEvaluation.windowStartMonths', '第二十七条', 'months', 12,
    '自评价窗口开始（月）', 'Self-evaluation window opens (months)',
    '验收通过并投入运行之日起满该月数，方可提交自评价报告',
    'Months after acceptance and go-live before a self-evaluation report may be submitted'),
  'selfEvaluation.windowEndMonths': setting('selfEvaluation.windowEndMonths', '第二十七条', 'months', 24,
    '自评价窗口结束（月）', 'Self-evaluation window closes (months)',
    '验收通过并投入运行之日起该月数内应提交自评价报告，之后为逾期',
    'Months after acceptance and go-live by which the self-evaluation report is due; later is overdue'),
  'selfEvaluation.refuseEarly': setting('selfEvaluation.refuseEarly', '第二十七条', 'boolean', true,
    '窗口开启前的自评价报告不予受理', 'Refuse self-evaluations before the window',
    '开启时，窗口开启前提交的自评价报告不予受理并告知开启日期；关闭时受理并提示',
    'When on, a report before the window opens is refused with the opening date; when off, it is accepted with a notice'),
  // 第二十条: 建设期内每年年底前报送年度绩效评估报告 (I-5).
  'annualReport.dueMonthDay': setting('annualReport.dueMonthDay', '第二十条', 'monthDay', '12-31',
    '年度绩效评估报告截止日（月-日）', 'Annual performance report due (MM-DD)',
    '建设期内每年该日（含）前报送年度绩效评估报告',
    'In each year of construction the annual performance report is due on this day (inclusive)'),
  // 第十四条: 定期开展网络安全检测 (I-41): 等级测评 periods by level, 分级保护 测评, 密评 (第十五条).
  'security.mlpsTestingMonths.level2': mlpsTesting(2, 24, '二'),
  'security.mlpsTestingMonths.level3': mlpsTesting(3, 12, '三'),
  'security.mlpsTestingMonths.level4': mlpsTesting(4, 6, '四'),
  'security.mlpsTestingMonths.level5': mlpsTesting(5, 6, '五'),
  'security.classifiedTestingMonths': setting('security.classifiedTestingMonths', '第十四条', 'months', 24,
    '分级保护系统测评周期（月）', 'Classified system testing period (months)',
    '涉密信息系统自上次安全保密测评之日起，应在该期限内再次测评',
    'A classified system is tested again within this period'),
  'security.cryptoAssessmentMonths': setting('security.cryptoAssessmentMonths', '第十五条', 'months', 12,
    '密码应用安全性评估周期（月）', 'Cryptography assessment period (months)',
    '第三级及以上系统自上次密评之日起，应在该期限内再次开展密码应用安全性评估',
    'A level 3 or higher system has its cryptography assessed again within this period'),
  'obligation.remindDays': setting('obligation.remindDays', 'SPEC §11', 'days', 30,
    '期限义务提前提醒（日）', 'Obligation reminder lead (days)',
    '年度报告、验收申请、自评价、测评等义务在到期前该天数内显示为即将到期',
    'Annual reports, acceptance applications, self-evaluations and tests show as due soon within this many days of the due date'),
  // 第三十条: 逾期整改或者整改后仍不达标的…可以通报批评，暂停投资计划安排，暂停项目建设，直至项目终止 (I-68).
  'escalation.steps': setting('escalation.steps', '第三十条', 'steps', 'criticism,deferInvestment,suspendConstruction,terminate',
    '整改逾期升级步骤', 'Escalation steps',
    '逾期整改或整改后仍不达标时依次采取的措施（通报批评、暂缓安排投资计划、暂停项目建设、终止项目），按此顺序逐级采取，不得跳过或重复',
    'What is done, in this order, when rectification is overdue or fails (circulated criticism, deferral of investment plans, suspension of construction, termination); no step is skipped or taken twice'),
  // Risk ratings (SPEC §8 监督管理, §9 统计分析; I-73): a variance at or above amber is amber, at or
  // above red is red (exactly 10.00 is amber, exactly 30.00 red).
  'risk.amberPercent': setting('risk.amberPercent', 'SPEC §8', 'percent', '10.00',
    '风险评级黄色阈值（%）', 'Risk rating amber threshold (%)',
    '进度或投资偏差（超期或超支）达到该比例（含本数）的项目评为黄色',
    'A project whose schedule or cost overrun reaches this share (inclusive) is rated amber'),
  'risk.redPercent': setting('risk.redPercent', 'SPEC §8', 'percent', '30.00',
    '风险评级红色阈值（%）', 'Risk rating red threshold (%)',
    '进度或投资偏差（超期或超支）达到该比例（含本数）的项目评为红色',
    'A project whose schedule or cost overrun reaches this share (inclusive) is rated red'),
  // 第二十九条 如实提供有关资料 (I-90): the 办法 sets no period; the requester may name a later or
  // earlier date (not before the day of the request) in the request itself.
  'documentRequest.responseDays': setting('documentRequest.responseDays', '第二十九条', 'days', 15,
    '资料调阅答复期限（日）', 'Document request response period (days)',
    '监督方调阅资料时，建设单位答复的默认期限（自调阅之日起的日历日数，期限当日仍为按期）；调阅时可另行指定',
    'Default calendar days, counted from the day of the request, the construction unit has to answer a document request (the last day is still on time); a request may name its own date'),
};

/**
 * 第三十条 (I-68): the steps of the escalation ladder in force, in order, as a comma-separated
 * list of codes. Every step is a known one, none twice, 终止项目 (terminate) only last; the
 * canonical order (通报批评 → 暂缓安排投资计划 → 暂停项目建设 → 终止项目) is kept.
 */
export const ESCALATION_STEP_CODES = ['criticism', 'deferInvestment', 'suspendConstruction', 'terminate'] as const;
export type EscalationStep = (typeof ESCALATION_STEP_CODES)[number];

/** The steps of a stored "escalation steps" value, or null when it is not a valid ladder. */
export function parseEscalationSteps(value: unknown): EscalationStep[] | null {
  if (typeof value !== 'string') return null;
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !(ESCALATION_STEP_CODES as readonly string[]).includes(p))) return null;
  const steps = parts as EscalationStep[];
  if (new Set(steps).size !== steps.length) return null;
  // The canonical order is kept: a ladder may leave steps out, never turn them around.
  for (let i = 1; i < steps.length; i += 1) {
    if (ESCALATION_STEP_CODES.indexOf(steps[i]!) <= ESCALATION_STEP_CODES.indexOf(steps[i - 1]!)) return null;
  }
  return steps;
}

/** A stored value as the setting's type, or null when it is not valid for the setting. */
export function normalizeRuleValue(key: RuleKey, value: unknown): RuleValue | null {
  switch (RULES[key].unit) {
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'days':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 365 ? value : null;
    case 'wan': {
      // Project amounts are 万元 with two places (SPEC §2); so is the threshold they meet.
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
      const fen = wanDecimals(text) <= 2 ? parseWan(text) : null;
      return fen === null || fen < 0n ? null : formatWan(fen);
    }
    case 'months':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 120 ? value : null;
    case 'percent': {
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
      const hundredths = percentHundredths(text);
      return hundredths === null ? null : formatHundredths(hundredths);
    }
    case 'monthDay':
      return typeof value === 'string' && isMonthDay(value) ? value : null;
    case 'steps': {
      const steps = parseEscalationSteps(value);
      return steps === null ? null : steps.join(',');
    }
  }
}

const PERCENT_PATTERN = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/**
 * A percent setting ("15", "15.5", "15.00") as hundredths of a percent (1500n), exactly; null
 * for anything else or outside 0–100. Threshold rules compare with it in integers, never floats.
 */
export function percentHundredths(text: string): bigint | null {
  const m = PERCENT_PATTERN.exec(text.trim());
  if (!m) return null;
  const value = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  return value <= 10_000n ? value : null;
}

/** Hundredths of a percent as the two-place string ("15.00"). */
export function formatHundredths(hundredths: bigint): string {
  const s = hundredths.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** "MM-DD" that exists in every year: 02-29 is refused, a yearly due date must fall every year. */
function isMonthDay(text: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

export function isRuleKey(value: string): value is RuleKey {
  return (RULE_KEYS as readonly string[]).includes(value);
}

/** The effective date of rows written before settings were versioned: in force from the beginning. */
export const FROM_THE_BEGINNING = '0001-01-01';

/**
 * One stored version of a key for an organization (null: central), in force from `effectiveFrom`
 * (第三十四条, I-57: a change takes effect on a date, today or later, and never rewrites what came
 * before it; an open obligation follows the version in force on the day it is swept, a done one and a
 * decision keep the values they were made under).
 */
export interface RuleRow {
  readonly key: RuleKey;
  readonly organizationId: string | null;
  /** null on an organization's row: its override is removed from `effectiveFrom` on. */
  readonly value: RuleValue | null;
  /** 'YYYY-MM-DD', Asia/Shanghai: the first day the version is in force. */
  readonly effectiveFrom: string;
}

/** Where a value in force comes from. */
export type RuleSource =
  | { kind: 'default' }
  | { kind: 'central'; effectiveFrom: string }
  | { kind: 'organization'; organizationId: string; effectiveFrom: string };

/**
 * The version of (key, organization) in force on `on`: the latest one effective on or before that
 * day; of two effective the same day, the later in `rows` (callers pass rows in the order they were
 * written). undefined when none is in force yet.
 */
export function versionInForce(key: RuleKey, rows: readonly RuleRow[], organizationId: string | null, on: string): RuleRow | undefined {
  let best: RuleRow | undefined;
  for (const r of rows) {
    if (r.key !== key || r.organizationId !== organizationId || r.effectiveFrom > on) continue;
    if (!best || r.effectiveFrom >= best.effectiveFrom) best = r;
  }
  return best;
}

/**
 * 第三十四条: the value in force on the day `on` for an organization: the version in force of the
 * nearest organization on its path to the root (`path`: the organization first, then its
 * ancestors) that has one with a value, else the central version in force, else the default.
 */
export function ruleInForce(key: RuleKey, rows: readonly RuleRow[], path: readonly string[], on: string): { value: RuleValue; source: RuleSource } {
  for (const organizationId of path) {
    const row = versionInForce(key, rows, organizationId, on);
    if (row && row.value !== null) return { value: row.value, source: { kind: 'organization', organizationId, effectiveFrom: row.effectiveFrom } };
  }
  const central = versionInForce(key, rows, null, on);
  if (central && central.value !== null) return { value: central.value, source: { kind: 'central', effectiveFrom: central.effectiveFrom } };
  return { value: RULES[key].defaultValue, source: { kind: 'default' } };
}
