// 第三十条 监督管理: findings, rectification orders and the escalation ladder, as pure rules.
//
// 国务院办公厅、国家发展改革委、财政部、中央网信办…按照职责分工…实施监督管理 (information sharing,
// tendering and procurement, use of funds, cryptography, cybersecurity). 发现违反…应当责成项目建设单位
// 限期整改。逾期整改或者整改后仍不达标的…可以通报批评，暂停投资计划安排，暂停项目建设，直至项目终止。
// Pure: no I/O, no clock (today is passed in as 'YYYY-MM-DD', Asia/Shanghai).
import type { LocalizedText } from './lifecycle.ts';
import { ESCALATION_STEP_CODES, type EscalationStep } from './rules.ts';

export { ESCALATION_STEP_CODES, type EscalationStep };

export const FINDING_CATEGORIES = ['informationSharing', 'tenderingProcurement', 'useOfFunds', 'cryptography', 'cybersecurity'] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

export const CATEGORY_NAMES: Readonly<Record<FindingCategory, LocalizedText>> = {
  informationSharing: { zh: '政务信息共享', en: 'Information sharing' },
  tenderingProcurement: { zh: '招标采购', en: 'Tendering and procurement' },
  useOfFunds: { zh: '资金使用', en: 'Use of funds' },
  cryptography: { zh: '密码应用', en: 'Cryptography' },
  cybersecurity: { zh: '网络安全', en: 'Cybersecurity' },
};

export const STEP_NAMES: Readonly<Record<EscalationStep, LocalizedText>> = {
  criticism: { zh: '通报批评', en: 'Circulated criticism' },
  deferInvestment: { zh: '暂缓安排投资计划', en: 'Investment plans deferred' },
  suspendConstruction: { zh: '暂停项目建设', en: 'Construction suspended' },
  terminate: { zh: '终止项目', en: 'Project terminated' },
};

/** The roles that record findings. `approver`: the 项目审批部门, for the projects in its remit (I-66). */
export const ISSUER_ROLES = ['go', 'ndrc', 'mof', 'cac', 'approver'] as const;
export type IssuerRole = (typeof ISSUER_ROLES)[number];

/**
 * 按照职责分工 (I-66): the categories each supervisory body oversees. 国务院办公厅: information
 * sharing (it also decides sharing findings, 第二十八条); 国家发展改革委: sharing, tendering and funds
 * (it approves and releases the investment); 财政部: funds and (government) procurement; 中央网信办:
 * cryptography and cybersecurity. The approval department oversees every category of its projects.
 */
export const ISSUER_REMIT: Readonly<Record<IssuerRole, readonly FindingCategory[]>> = {
  go: ['informationSharing'],
  ndrc: ['informationSharing', 'tenderingProcurement', 'useOfFunds'],
  mof: ['useOfFunds', 'tenderingProcurement'],
  cac: ['cryptography', 'cybersecurity'],
  approver: FINDING_CATEGORIES,
};

export function inRemit(role: IssuerRole, category: FindingCategory): boolean {
  return ISSUER_REMIT[role].includes(category);
}

/** The step effects that act on a project (the first, 通报批评, needs none). */
export const PROJECT_STEPS: readonly EscalationStep[] = ['deferInvestment', 'suspendConstruction', 'terminate'];
/** The steps lifted by a signed decision after verified rectification; 终止 is final. */
export const LIFTABLE_STEPS: readonly EscalationStep[] = ['deferInvestment', 'suspendConstruction'];

export type OrderStatus = 'open' | 'answered' | 'passed' | 'failed';

export interface OrderFacts {
  readonly status: OrderStatus;
  /** 'YYYY-MM-DD', the last day to rectify (inclusive). */
  readonly dueOn: string;
}

/**
 * Escalation due (逾期整改或者整改后仍不达标): the last answer failed verification, or the deadline has
 * passed (today is after due_on) without a passed verification. The deadline day itself is not late.
 */
export function escalationDue(order: OrderFacts, today: string): boolean {
  if (order.status === 'passed') return false;
  if (order.status === 'failed') return true;
  return today > order.dueOn;
}

/** Why the order is escalation due, or null. */
export function escalationReason(order: OrderFacts, today: string): 'failed' | 'overdue' | null {
  if (!escalationDue(order, today)) return null;
  return order.status === 'failed' ? 'failed' : 'overdue';
}

/** The first step of `ladder` not yet taken, or null when every step was taken. */
export function nextStep(ladder: readonly EscalationStep[], taken: readonly EscalationStep[]): EscalationStep | null {
  return ladder.find((s) => !taken.includes(s)) ?? null;
}

export type StepRefusal =
  | { code: 'escalation.not_due'; params: Record<string, string> }
  | { code: 'escalation.step_taken'; params: { step: string } }
  | { code: 'escalation.step_skipped'; params: { step: string; expected: string } }
  | { code: 'escalation.not_in_ladder'; params: { step: string; ladder: string } }
  | { code: 'escalation.needs_project'; params: { step: string } }
  | { code: 'escalation.ladder_complete'; params: { step: string } }
  | { code: 'escalation.project_terminated'; params: Record<string, string> };

export interface StepContext {
  readonly order: OrderFacts;
  readonly today: string;
  /** The ladder in force (rule setting "escalation steps"). */
  readonly ladder: readonly EscalationStep[];
  /** Steps already imposed on this order, whatever ladder they were taken under. */
  readonly taken: readonly EscalationStep[];
  /** Whether the order is against a project (a system order can only be criticised). */
  readonly hasProject: boolean;
  /** Whether the project is terminated already (by this or another order). */
  readonly projectTerminated: boolean;
}

const ladderText = (ladder: readonly EscalationStep[]) => ladder.map((s) => STEP_NAMES[s].zh).join(' → ');

/**
 * Whether `step` may be imposed now; null when it may. The checks, in order: the project is not
 * ended; the step was not taken on this order (twice: refused); the step belongs to the ladder
 * in force; the order is escalation due; every earlier step of the ladder was taken (skipped:
 * refused, naming the step expected); a project step needs a project.
 */
export function checkStep(step: EscalationStep, c: StepContext): StepRefusal | null {
  if (c.projectTerminated) return { code: 'escalation.project_terminated', params: {} };
  if (c.taken.includes(step)) return { code: 'escalation.step_taken', params: { step: STEP_NAMES[step].zh } };
  if (!c.ladder.includes(step)) return { code: 'escalation.not_in_ladder', params: { step: STEP_NAMES[step].zh, ladder: ladderText(c.ladder) } };
  if (!escalationDue(c.order, c.today)) {
    return { code: 'escalation.not_due', params: { dueOn: c.order.dueOn } };
  }
  const expected = nextStep(c.ladder, c.taken);
  if (expected === null) return { code: 'escalation.ladder_complete', params: { step: STEP_NAMES[step].zh } };
  if (expected !== step) return { code: 'escalation.step_skipped', params: { step: STEP_NAMES[step].zh, expected: STEP_NAMES[expected].zh } };
  if (!c.hasProject && PROJECT_STEPS.includes(step)) return { code: 'escalation.needs_project', params: { step: STEP_NAMES[step].zh } };
  return null;
}

/** The step the issuer may take next (null: none now), for the escalation panel. */
export function allowedStep(c: StepContext): EscalationStep | null {
  const step = nextStep(c.ladder, c.taken);
  if (step === null) return null;
  return checkStep(step, c) === null ? step : null;
}

export type LiftRefusal =
  | { code: 'escalation.not_liftable'; params: { step: string } }
  | { code: 'escalation.not_standing'; params: { step: string } }
  | { code: 'escalation.not_rectified'; params: Record<string, string> };

/**
 * Lifting 暂缓/暂停 (a signed decision): only those two, only while the order's own decision
 * stands, and only after the rectification was verified as passed.
 */
export function checkLift(step: EscalationStep, standing: readonly EscalationStep[], status: OrderStatus): LiftRefusal | null {
  if (!LIFTABLE_STEPS.includes(step)) return { code: 'escalation.not_liftable', params: { step: STEP_NAMES[step].zh } };
  if (!standing.includes(step)) return { code: 'escalation.not_standing', params: { step: STEP_NAMES[step].zh } };
  if (status !== 'passed') return { code: 'escalation.not_rectified', params: {} };
  return null;
}

/**
 * The order's status after an event. answer: open/failed → answered (a passed order is closed;
 * an answered one waits for verification). verify: answered → passed/failed. null: not allowed.
 */
export function nextStatus(status: OrderStatus, event: 'answer' | 'pass' | 'fail'): OrderStatus | null {
  if (event === 'answer') return status === 'open' || status === 'failed' ? 'answered' : null;
  if (status !== 'answered') return null;
  return event === 'pass' ? 'passed' : 'failed';
}

/** A rectification deadline: a date not before the day the finding is recorded. */
export function validDeadline(dueOn: string, today: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(dueOn) && dueOn >= today;
}
