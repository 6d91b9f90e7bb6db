// 第二十九条 资料调阅: 建设单位应接受审批部门和有关部门的监督管理，配合绩效评价、审计等工作，如实提供
// 有关资料和情况，不得拒绝、隐匿、瞒报. A supervisory body requests materials about a project or a
// system by a deadline; the construction unit answers (files, or that an item does not exist and
// why); the requester accepts the answer or returns it as incomplete, and the unit answers again.
// Pure: no I/O, no clock (today is passed in as 'YYYY-MM-DD', Asia/Shanghai).
import { isCalendarDate } from './deadlines.ts';
import type { LocalizedText } from './lifecycle.ts';
import { addDays } from './worklist.ts';

/** Why the materials are wanted (第二十九条: 绩效评价、审计等). */
export const REQUEST_PURPOSES = ['performanceEvaluation', 'audit', 'inspection', 'other'] as const;
export type RequestPurpose = (typeof REQUEST_PURPOSES)[number];

export const PURPOSE_NAMES: Readonly<Record<RequestPurpose, LocalizedText>> = {
  performanceEvaluation: { zh: '绩效评价', en: 'Performance evaluation' },
  audit: { zh: '审计', en: 'Audit' },
  inspection: { zh: '监督检查', en: 'Supervisory inspection' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * open: waiting for the unit's first answer; answered: waiting for the requester's review;
 * returned: the last answer was returned as incomplete, waiting for a new answer; accepted: closed.
 */
export const REQUEST_STATUSES = ['open', 'answered', 'returned', 'accepted'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const STATUS_NAMES: Readonly<Record<RequestStatus, LocalizedText>> = {
  open: { zh: '待答复', en: 'Awaiting answer' },
  answered: { zh: '待确认', en: 'Awaiting review' },
  returned: { zh: '退回补充', en: 'Returned as incomplete' },
  accepted: { zh: '已办结', en: 'Accepted' },
};

export type RequestEvent = 'answer' | 'accept' | 'return';

/**
 * The status after an event, or null when the event is not allowed: the unit answers an open or
 * returned request; the requester accepts or returns an answered one. Accepted is final.
 */
export function nextRequestStatus(status: RequestStatus, event: RequestEvent): RequestStatus | null {
  if (event === 'answer') return status === 'open' || status === 'returned' ? 'answered' : null;
  if (status !== 'answered') return null;
  return event === 'accept' ? 'accepted' : 'returned';
}

/**
 * The default deadline (I-90): `responseDays` calendar days after the day of the request
 * (documentRequest.responseDays, 第三十四条 rule setting).
 */
export function defaultDueOn(requestedOn: string, responseDays: number): string {
  return addDays(requestedOn, responseDays);
}

/** An explicit deadline: a real calendar date, not before the day of the request. */
export function validDueOn(dueOn: string, today: string): boolean {
  return isCalendarDate(dueOn) && dueOn >= today;
}

/**
 * Overdue (不得拒绝): the unit owes an answer (open or returned) and today is after the deadline.
 * The deadline day itself is not overdue; the next day is. An answer waiting for review is not
 * overdue (the unit has done its part), nor is an accepted request.
 */
export function isOverdue(r: { status: RequestStatus; dueOn: string }, today: string): boolean {
  return (r.status === 'open' || r.status === 'returned') && today > r.dueOn;
}

/**
 * 第三十条 from 第二十九条 (I-92): the requester may open a supervision finding from a request that is
 * overdue, or whose answer it returned as incomplete (拒绝、隐匿、瞒报 suspected), once per request.
 */
export function findingAllowed(r: { status: RequestStatus; dueOn: string; findingId: string | null }, today: string): 'overdue' | 'returned' | null {
  if (r.findingId !== null) return null;
  if (isOverdue(r, today)) return 'overdue';
  if (r.status === 'returned') return 'returned';
  return null;
}

/** An item the unit states does not exist, with its reason (如实提供: never silently left out). */
export interface MissingItem {
  /** Index into the request's items, from 0. */
  readonly index: number;
  readonly reason: string;
}

export type AnswerProblem =
  | { code: 'document_request.answer_empty'; params: Record<string, string> }
  | { code: 'document_request.item_unknown'; params: { item: string } }
  | { code: 'document_request.item_twice'; params: { item: string } }
  | { code: 'document_request.reason_required'; params: { item: string } };

/**
 * An answer is well formed: every item marked missing exists once and has a reason, and the answer
 * provides something (a file, or an item stated as not existing). Whether it is complete (every
 * item covered, by this answer or an earlier one, by the right files) is the requester's judgement
 * (accept or return), not a rule: a second answer after a return may only explain one item.
 */
export function checkAnswer(itemCount: number, missing: readonly MissingItem[], fileCount: number): AnswerProblem | null {
  const seen = new Set<number>();
  for (const m of missing) {
    if (!Number.isInteger(m.index) || m.index < 0 || m.index >= itemCount) return { code: 'document_request.item_unknown', params: { item: String(m.index + 1) } };
    if (seen.has(m.index)) return { code: 'document_request.item_twice', params: { item: String(m.index + 1) } };
    if (m.reason.trim().length === 0) return { code: 'document_request.reason_required', params: { item: String(m.index + 1) } };
    seen.add(m.index);
  }
  if (fileCount === 0 && seen.size === 0) return { code: 'document_request.answer_empty', params: {} };
  return null;
}
