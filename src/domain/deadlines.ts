// The deadline engine of construction, acceptance and operation (第十四条, 第十五条, 第二十条,
// 第二十五条, 第二十七条): when each obligation falls due and where it stands today. Pure: dates
// are Asia/Shanghai calendar dates 'YYYY-MM-DD' (the callers turn instants into them with
// shanghaiDate); every period is a rule setting (rules.ts) passed in as a number.
//
// Month arithmetic follows I-1 and I-38: a period of N months from day D ends on the day of the
// N-th following month that has D's number (民法典 第二百零一条: counted from the next day, the
// period ends on the corresponding day of the last month), clamped to that month's last day when
// it has none (08-31 + 6 months = 02-28, or 02-29 in a leap year). The last day is inclusive:
// acting on it is on time, the next day is overdue.
import { daysBetween } from './worklist.ts';
import { problemOf, type ProblemTable, type RuleProblem } from './rule-problem.ts';
import type { RuleKey, RuleValue } from './rules.ts';

// ---------------------------------------------------------------------------------------------
// Calendar dates

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `text` is a real calendar date written 'YYYY-MM-DD' (2027-02-29 is not). */
export function isCalendarDate(text: string): boolean {
  const m = DATE_PATTERN.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parts(date: string): [number, number, number] {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `date` plus `months` calendar months (negative: minus), on the same day of the month or the
 * month's last day when it has no such day (I-38): 2026-08-31 + 6 = 2027-02-28.
 */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`not a whole number of months: ${months}`);
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${pad(y, 4)}-${pad(m)}-${pad(Math.min(day, daysInMonth(y, m)))}`;
}

const later = (a: string, b: string) => (a >= b ? a : b);

// ---------------------------------------------------------------------------------------------
// Obligations

/** Where an obligation stands: not yet due, within the reminder lead, on its last day, or late. */
export type ObligationStatus = 'notDue' | 'dueSoon' | 'dueToday' | 'overdue';

export interface ObligationState {
  readonly status: ObligationStatus;
  readonly dueOn: string;
  /** Whole days from today to the due date: 0 on the last day, negative once overdue. */
  readonly daysLeft: number;
}

/**
 * SPEC §11: the status of an obligation due on `due` (inclusive, I-1) seen on `today`.
 * `remindDays` (rule setting obligation.remindDays) is the lead within which it is dueSoon;
 * 0 means no lead.
 */
export function obligationStatus(due: string, today: string, remindDays: number): ObligationState {
  parts(due);
  parts(today);
  const daysLeft = daysBetween(today, due);
  const status: ObligationStatus = daysLeft < 0 ? 'overdue' : daysLeft === 0 ? 'dueToday' : daysLeft <= remindDays ? 'dueSoon' : 'notDue';
  return { status, dueOn: due, daysLeft };
}

// ---------------------------------------------------------------------------------------------
// Problems

export type DeadlineProblemCode =
  | 'extension.requested_after_deadline' | 'extension.not_later' | 'extension.reason_missing'
  | 'selfEvaluation.before_window' | 'selfEvaluation.early_accepted' | 'selfEvaluation.late';

const DEADLINE_PROBLEMS: ProblemTable<DeadlineProblemCode> = {
  'extension.requested_after_deadline': {
    article: '第二十五条',
    message: (p) => ({
      zh: `延期验收申请应在验收申请期限（${p.dueOn}）届满前提出，本申请提出于 ${p.requestedOn}`,
      en: `An extension must be requested by the acceptance deadline ${p.dueOn}; this one was made on ${p.requestedOn}`,
    }),
  },
  'extension.not_later': {
    article: '第二十五条',
    message: (p) => ({
      zh: `延期后的期限（${p.proposedDueOn}）须晚于现期限 ${p.dueOn}`,
      en: `The extended deadline ${p.proposedDueOn} must be later than the current one, ${p.dueOn}`,
    }),
  },
  'extension.reason_missing': {
    article: '第二十五条',
    message: () => ({ zh: '须说明不能按期申请验收的原因', en: 'Give the reason acceptance cannot be applied for in time' }),
  },
  'selfEvaluation.before_window': {
    article: '第二十七条',
    message: (p) => ({
      zh: `自评价应在验收投产后 ${p.startMonths} 至 ${p.endMonths} 个月内开展，${p.opensOn} 起方可提交`,
      en: `The self-evaluation is made ${p.startMonths}–${p.endMonths} months after acceptance and go-live; it can be submitted from ${p.opensOn}`,
    }),
  },
  'selfEvaluation.early_accepted': {
    article: '第二十七条',
    message: (p) => ({
      zh: `提交早于自评价窗口（${p.opensOn} 起），已受理`,
      en: `Submitted before the self-evaluation window opens (${p.opensOn}); accepted`,
    }),
  },
  'selfEvaluation.late': {
    article: '第二十七条',
    message: (p) => ({
      zh: `自评价报告应于 ${p.dueOn} 前提交，已逾期 ${p.daysLate} 日`,
      en: `The self-evaluation report was due by ${p.dueOn}; ${p.daysLate} days late`,
    }),
  },
};

export type DeadlineProblem = RuleProblem<DeadlineProblemCode>;

// ---------------------------------------------------------------------------------------------
// 第二十五条: acceptance within six months of completion

export interface AcceptanceDeadline {
  /** The deadline of 第二十五条: completion + acceptance.applicationMonths (I-2, I-38). */
  readonly originalDueOn: string;
  /** The deadline in force: the approved extension when there is one (I-3). */
  readonly dueOn: string;
  readonly extended: boolean;
}

/**
 * 第二十五条: the unit applies for acceptance within `months` (rule setting
 * acceptance.applicationMonths, 6) of the completion (建成) date, the last day inclusive; an
 * approved extension replaces the deadline (I-3).
 */
export function acceptanceApplicationDue(completedOn: string, months: number, approvedExtensionTo: string | null = null): AcceptanceDeadline {
  const originalDueOn = addMonths(completedOn, months);
  if (approvedExtensionTo !== null) parts(approvedExtensionTo);
  return { originalDueOn, dueOn: approvedExtensionTo ?? originalDueOn, extended: approvedExtensionTo !== null };
}

export interface ExtensionRequest {
  /** The deadline in force when the request is made. */
  readonly dueOn: string;
  readonly requestedOn: string;
  readonly proposedDueOn: string;
  readonly reason: string;
}

/**
 * 第二十五条 (I-3): a request for an extension of acceptance is made on or before the deadline in
 * force, proposes a later one and says why. Every problem at once; empty: it may go to the
 * approval department, whose decision it remains.
 */
export function extensionRequestProblems(request: ExtensionRequest): DeadlineProblem[] {
  const { dueOn, requestedOn, proposedDueOn } = request;
  parts(dueOn);
  parts(requestedOn);
  parts(proposedDueOn);
  const problems: DeadlineProblem[] = [];
  if (requestedOn > dueOn) problems.push(problemOf(DEADLINE_PROBLEMS, 'extension.requested_after_deadline', { dueOn, requestedOn }));
  if (proposedDueOn <= dueOn) problems.push(problemOf(DEADLINE_PROBLEMS, 'extension.not_later', { dueOn, proposedDueOn }));
  if (request.reason.replace(/[\s\u3000]/g, '') === '') problems.push(problemOf(DEADLINE_PROBLEMS, 'extension.reason_missing'));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// 第二十七条: self-evaluation 12–24 months after acceptance and going into operation

export interface SelfEvaluationWindow {
  /** The later of acceptance and go-live: the window counts from it (I-4). */
  readonly countsFrom: string;
  /** First day a report is taken: countsFrom + windowStartMonths. */
  readonly opensOn: string;
  /** Last day on time: countsFrom + windowEndMonths; overdue from the next day. */
  readonly dueOn: string;
  /** Reminders start one month before the window opens (I-4). */
  readonly remindFrom: string;
  readonly startMonths: number;
  readonly endMonths: number;
}

/**
 * 第二十七条 (I-4): the window [countsFrom + startMonths, countsFrom + endMonths], both ends
 * inclusive, countsFrom the later of the acceptance date and the date the system went into
 * operation. Settings whose end precedes their start give a window of the single opening day
 * rather than none.
 */
export function selfEvaluationWindow(acceptedOn: string, inOperationOn: string, startMonths: number, endMonths: number): SelfEvaluationWindow {
  const countsFrom = later(acceptedOn, inOperationOn);
  parts(acceptedOn);
  parts(inOperationOn);
  const opensOn = addMonths(countsFrom, startMonths);
  return {
    countsFrom, opensOn, dueOn: later(opensOn, addMonths(countsFrom, endMonths)), remindFrom: addMonths(opensOn, -1),
    startMonths, endMonths,
  };
}

export type SelfEvaluationTiming = 'early' | 'inWindow' | 'late';

export interface SelfEvaluationSubmission {
  readonly accepted: boolean;
  readonly timing: SelfEvaluationTiming;
  /** Why it is refused (empty when accepted). */
  readonly problems: DeadlineProblem[];
  /** What the unit is told although it is accepted: early (when allowed) or late. */
  readonly notices: DeadlineProblem[];
}

/**
 * 第二十七条 (I-4): a report before the window is refused with the date it opens (rule setting
 * selfEvaluation.refuseEarly; when off, accepted with a notice); in the window it is on time;
 * after it, accepted but late, with the days late (a late report is still owed).
 */
export function checkSelfEvaluationSubmission(window: SelfEvaluationWindow, submittedOn: string, refuseEarly: boolean): SelfEvaluationSubmission {
  parts(submittedOn);
  if (submittedOn < window.opensOn) {
    const params = { opensOn: window.opensOn, startMonths: String(window.startMonths), endMonths: String(window.endMonths) };
    return refuseEarly
      ? { accepted: false, timing: 'early', problems: [problemOf(DEADLINE_PROBLEMS, 'selfEvaluation.before_window', params)], notices: [] }
      : { accepted: true, timing: 'early', problems: [], notices: [problemOf(DEADLINE_PROBLEMS, 'selfEvaluation.early_accepted', params)] };
  }
  if (submittedOn > window.dueOn) {
    const daysLate = String(daysBetween(window.dueOn, submittedOn));
    return { accepted: true, timing: 'late', problems: [], notices: [problemOf(DEADLINE_PROBLEMS, 'selfEvaluation.late', { dueOn: window.dueOn, daysLate })] };
  }
  return { accepted: true, timing: 'inWindow', problems: [], notices: [] };
}

export type SelfEvaluationPhase = 'beforeWindow' | 'inWindow' | 'afterWindow';

/**
 * 第二十七条: where an unsubmitted self-evaluation stands today: the phase of the window, and the
 * obligation against its last day. Before the window it is notDue, except from `remindFrom`
 * (one month before it opens), when it is dueSoon.
 */
export function selfEvaluationStatus(window: SelfEvaluationWindow, today: string, remindDays: number): ObligationState & { phase: SelfEvaluationPhase } {
  const state = obligationStatus(window.dueOn, today, remindDays);
  if (today < window.opensOn) return { ...state, status: today >= window.remindFrom ? 'dueSoon' : 'notDue', phase: 'beforeWindow' };
  return { ...state, phase: today > window.dueOn ? 'afterWindow' : 'inWindow' };
}

// ---------------------------------------------------------------------------------------------
// 第二十条: an annual performance report by each year end during construction

export interface AnnualReportDue {
  readonly year: number;
  readonly dueOn: string;
}

/**
 * 第二十条 (I-5): one report for each yearly due date (rule setting annualReport.dueMonthDay,
 * '12-31') that falls within construction, from the investment release (inclusive) to the
 * completion (inclusive; a year whose construction ends before the due date owes none). While
 * construction goes on, the due dates through the current year are listed, this year's too.
 */
export function annualReportsDue(constructionStartedOn: string, completedOn: string | null, today: string, dueMonthDay: string): AnnualReportDue[] {
  const [startYear] = parts(constructionStartedOn);
  const endYear = completedOn === null ? parts(today)[0] : parts(completedOn)[0];
  const due: AnnualReportDue[] = [];
  for (let year = startYear; year <= endYear; year++) {
    const dueOn = `${pad(year, 4)}-${dueMonthDay}`;
    if (!isCalendarDate(dueOn)) throw new RangeError(`not a month and day of every year: ${dueMonthDay}`);
    if (dueOn < constructionStartedOn || (completedOn !== null && dueOn > completedOn)) continue;
    due.push({ year, dueOn });
  }
  return due;
}

/** 第二十条: the annual reports owed, each with whether it was submitted and, if not, its status. */
export function annualReportObligations(
  due: readonly AnnualReportDue[], submittedYears: readonly number[], today: string, remindDays: number,
): Array<AnnualReportDue & { submitted: boolean; state: ObligationState | null }> {
  return due.map((d) => {
    const submitted = submittedYears.includes(d.year);
    return { ...d, submitted, state: submitted ? null : obligationStatus(d.dueOn, today, remindDays) };
  });
}

// ---------------------------------------------------------------------------------------------
// 第十四条, 第十五条: periodic security testing and 密评

/** A system's protection: 等级保护 with its level, or 分级保护 (涉密). */
export type SecurityProfile = { readonly scheme: 'mlps'; readonly level: 1 | 2 | 3 | 4 | 5 } | { readonly scheme: 'classified' };

/** The testing periods in months (rule settings security.*). */
export interface SecurityPeriods {
  readonly mlpsTestingMonths: Readonly<Record<2 | 3 | 4 | 5, number>>;
  readonly classifiedTestingMonths: number;
  readonly cryptoAssessmentMonths: number;
}

/** The security periods from the settings in force (`value` reads one, e.g. via ruleInForce). */
export function securityPeriods(value: (key: RuleKey) => RuleValue): SecurityPeriods {
  const months = (key: RuleKey) => Number(value(key));
  return {
    mlpsTestingMonths: {
      2: months('security.mlpsTestingMonths.level2'), 3: months('security.mlpsTestingMonths.level3'),
      4: months('security.mlpsTestingMonths.level4'), 5: months('security.mlpsTestingMonths.level5'),
    },
    classifiedTestingMonths: months('security.classifiedTestingMonths'),
    cryptoAssessmentMonths: months('security.cryptoAssessmentMonths'),
  };
}

/** The lowest 等保 level whose cryptography is assessed periodically (I-41). */
export const PERIODIC_CRYPTO_FROM_LEVEL = 3;

/**
 * 第十四条 (I-41): months between security tests (等级测评, or 安全保密测评 for 分级保护); null for
 * 第一级, which is 自主保护 and owes no periodic testing.
 */
export function securityTestingMonths(profile: SecurityProfile, periods: SecurityPeriods): number | null {
  if (profile.scheme === 'classified') return periods.classifiedTestingMonths;
  return profile.level === 1 ? null : periods.mlpsTestingMonths[profile.level];
}

/** 第十五条 (I-41): months between 密评; null for systems below 第三级 and for 分级保护 systems. */
export function cryptoAssessmentMonths(profile: SecurityProfile, periods: SecurityPeriods): number | null {
  return profile.scheme === 'mlps' && profile.level >= PERIODIC_CRYPTO_FROM_LEVEL ? periods.cryptoAssessmentMonths : null;
}

/**
 * The next due date of a periodic test: `months` after the last one; a system never tested owed
 * it by the day it went into operation (I-41). null when `months` is null (no periodic test).
 */
export function periodicDue(lastDoneOn: string | null, inOperationOn: string, months: number | null): string | null {
  if (months === null) return null;
  if (lastDoneOn !== null) return addMonths(lastDoneOn, months);
  parts(inOperationOn);
  return inOperationOn;
}
