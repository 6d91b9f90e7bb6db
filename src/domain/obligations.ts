// The obligations of one project or one system on one day (第十四条, 第十五条, 第二十条, 第二十五条,
// 第二十七条; SPEC §11): the reference the set-based SQL sweep (src/usecases/obligations.ts) is
// tested against. Pure: it only combines the rules of deadlines.ts with the facts and settings.
import {
  acceptanceApplicationDue, annualReportsDue, cryptoAssessmentMonths, obligationStatus, periodicDue, securityTestingMonths,
  selfEvaluationStatus, selfEvaluationWindow, type SecurityPeriods, type SecurityProfile,
} from './deadlines.ts';

export const OBLIGATION_KINDS = ['acceptanceApplication', 'annualReport', 'selfEvaluation', 'securityTest', 'cryptoAssessment', 'rectification'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

/** notDue … overdue as in deadlines.ts, and done once discharged (kept as it was then). */
export const OBLIGATION_STATUSES = ['notDue', 'dueSoon', 'dueToday', 'overdue', 'done'] as const;
export type ObligationRowStatus = (typeof OBLIGATION_STATUSES)[number];

/** What each kind is, with its article, for the calendar, the reminders and the export. */
export const OBLIGATION_KIND_NAMES: Readonly<Record<ObligationKind, { zh: string; en: string; article: string }>> = {
  acceptanceApplication: { zh: '申请竣工验收', en: 'Apply for acceptance', article: '第二十五条' },
  annualReport: { zh: '年度绩效评估报告', en: 'Annual performance report', article: '第二十条' },
  selfEvaluation: { zh: '项目自评价报告', en: 'Self-evaluation report', article: '第二十七条' },
  securityTest: { zh: '网络安全等级测评（分级保护测评）', en: 'Security testing (MLPS / classified)', article: '第十四条' },
  cryptoAssessment: { zh: '密码应用安全性评估（密评）', en: 'Cryptography assessment', article: '第十五条' },
  rectification: { zh: '限期整改', en: 'Rectification ordered', article: '第二十一条' },
};

/** The settings an obligation's dates come from (rules.ts keys, resolved for one organization on one day). */
export interface ObligationRules {
  readonly acceptanceMonths: number;
  readonly selfEvaluationStartMonths: number;
  readonly selfEvaluationEndMonths: number;
  readonly annualReportDueMonthDay: string;
  readonly remindDays: number;
  readonly security: SecurityPeriods;
}

export interface ComputedObligation {
  readonly kind: ObligationKind;
  /** The year of an annual report; '' for the others. */
  readonly period: string;
  /** 第二十七条: the first day the self-evaluation is taken; null for other kinds. */
  readonly opensOn: string | null;
  readonly dueOn: string;
  readonly status: ObligationRowStatus;
  readonly doneOn: string | null;
}

/** What the platform knows of a project in construction (approved or filed). */
export interface ProjectFacts {
  /** 第二十条 (I-47): the later of the approval (filing) decision and the planned start. */
  readonly constructionStart: string;
  readonly completedOn: string | null;
  readonly acceptedOn: string | null;
  readonly inOperationOn: string | null;
  /**
   * 第二十五条: the day of the latest application unless it failed (I-54: then a new one is owed);
   * with none, the acceptance date discharges it (I-57).
   */
  readonly acceptanceAppliedOn: string | null;
  /** 第二十五条 (I-3): the deadline of the latest approved extension. */
  readonly acceptanceExtendedTo?: string | null;
  /** 第二十一条: the rectifications ordered, each due by its date, done when reported. */
  readonly rectifications?: ReadonlyArray<{ readonly orderId: string; readonly dueOn: string; readonly rectifiedOn: string | null }>;
  /** 第二十条: the annual reports submitted, by year. */
  readonly annualReports: ReadonlyArray<{ readonly year: number; readonly submittedOn: string }>;
  readonly selfEvaluationOn: string | null;
}

const status = (dueOn: string, today: string, remindDays: number, doneOn: string | null): ObligationRowStatus =>
  doneOn !== null ? 'done' : obligationStatus(dueOn, today, remindDays).status;

/** 第二十条, 第二十五条, 第二十七条: a project's obligations on `today`. */
export function projectObligations(facts: ProjectFacts, rules: ObligationRules, today: string): ComputedObligation[] {
  const out: ComputedObligation[] = [];
  if (facts.completedOn !== null) {
    const due = acceptanceApplicationDue(facts.completedOn, rules.acceptanceMonths, facts.acceptanceExtendedTo ?? null);
    const doneOn = facts.acceptanceAppliedOn ?? facts.acceptedOn;
    out.push({ kind: 'acceptanceApplication', period: '', opensOn: null, dueOn: due.dueOn, doneOn, status: status(due.dueOn, today, rules.remindDays, doneOn) });
  }
  // 第二十条: nothing is owed before construction starts (as the 建设实施 tab counts them).
  const reports = today < facts.constructionStart ? [] : annualReportsDue(facts.constructionStart, facts.completedOn, today, rules.annualReportDueMonthDay);
  for (const d of reports) {
    const doneOn = facts.annualReports.find((r) => r.year === d.year)?.submittedOn ?? null;
    out.push({ kind: 'annualReport', period: String(d.year), opensOn: null, dueOn: d.dueOn, doneOn, status: status(d.dueOn, today, rules.remindDays, doneOn) });
  }
  for (const r of facts.rectifications ?? []) {
    out.push({ kind: 'rectification', period: r.orderId, opensOn: null, dueOn: r.dueOn, doneOn: r.rectifiedOn, status: status(r.dueOn, today, rules.remindDays, r.rectifiedOn) });
  }
  if (facts.acceptedOn !== null && facts.inOperationOn !== null) {
    const w = selfEvaluationWindow(facts.acceptedOn, facts.inOperationOn, rules.selfEvaluationStartMonths, rules.selfEvaluationEndMonths);
    const doneOn = facts.selfEvaluationOn;
    out.push({
      kind: 'selfEvaluation', period: '', opensOn: w.opensOn, dueOn: w.dueOn, doneOn,
      status: doneOn !== null ? 'done' : selfEvaluationStatus(w, today, rules.remindDays).status,
    });
  }
  return out;
}

/** What the platform knows of a system in operation. */
export interface SystemFacts {
  readonly profile: SecurityProfile;
  /** I-57: the go-live of the project that built it, else the day it was listed in the catalog. */
  readonly inOperationOn: string;
  readonly lastTestedOn: string | null;
  readonly lastCryptoAssessedOn: string | null;
}

/** 第十四条, 第十五条: a system's next periodic test and 密评 on `today` (never done: periodic). */
export function systemObligations(facts: SystemFacts, rules: ObligationRules, today: string): ComputedObligation[] {
  const out: ComputedObligation[] = [];
  const test = periodicDue(facts.lastTestedOn, facts.inOperationOn, securityTestingMonths(facts.profile, rules.security));
  if (test !== null) out.push({ kind: 'securityTest', period: '', opensOn: null, dueOn: test, doneOn: null, status: status(test, today, rules.remindDays, null) });
  const crypto = periodicDue(facts.lastCryptoAssessedOn, facts.inOperationOn, cryptoAssessmentMonths(facts.profile, rules.security));
  if (crypto !== null) out.push({ kind: 'cryptoAssessment', period: '', opensOn: null, dueOn: crypto, doneOn: null, status: status(crypto, today, rules.remindDays, null) });
  return out;
}

/** The reminders an obligation in a status earns (I-58): due soon and due today once, overdue every 30 days. */
export const OVERDUE_REMINDER_EVERY_DAYS = 30;
