// 我的待办 (SPEC §11): which states wait on which role, and by when. Pure.
//
// A state waits on a role when the role can take one of the state's transitions that moves the
// work on; withdrawing and reassigning are things a role may do, not work it owes. The due date
// is the calendar date (Asia/Shanghai) the state began plus the handling period of the rule
// settings (第三十四条); a draft nobody has submitted yet has no due date.
import type { RoleCode } from './authz.ts';
import { TRANSITIONS, type LifecycleAction, type LifecycleState, type Track } from './lifecycle.ts';
import { shanghaiDate } from './plan.ts';
import type { RuleKey } from './rules.ts';

const NOT_WORK: ReadonlySet<LifecycleAction> = new Set(['withdraw', 'reassignReviewer']);

/** The actions `role` owes in `state` (empty: the state does not wait on the role). */
export function workActions(state: LifecycleState, role: RoleCode): LifecycleAction[] {
  return TRANSITIONS
    .filter((t) => t.from.track === state.track && t.from.stage === state.stage && t.from.status === state.status)
    .filter((t) => !NOT_WORK.has(t.action) && t.roles.includes(role))
    .map((t) => t.action);
}

/** The statuses (of any stage) that wait on `role`, per track. */
export function workStatuses(role: RoleCode): Array<{ track: Track; status: string }> {
  const seen = new Map<string, { track: Track; status: string }>();
  for (const t of TRANSITIONS) {
    if (NOT_WORK.has(t.action) || !t.roles.includes(role)) continue;
    seen.set(`${t.from.track}.${t.from.status}`, { track: t.from.track, status: t.from.status });
  }
  return [...seen.values()];
}

/** The rule setting holding the handling period of a state; null when it has no deadline. */
export function deadlineRule(state: Pick<LifecycleState, 'track' | 'status'>): RuleKey | null {
  switch (state.status) {
    case 'awaiting_signature': return 'deadline.signatureDays';
    case 'submitted': return state.track === 'filing' ? 'deadline.filingDays' : 'deadline.acceptDays';
    case 'assessing': return 'deadline.assessmentDays';
    case 'under_review': return 'deadline.reviewDays';
    case 'returned': return 'deadline.revisionDays';
    default: return null;
  }
}

/** The statuses (per track) that have a handling period: the states a reminder can be about. */
export function deadlineStatuses(): Array<Pick<LifecycleState, 'track' | 'status'>> {
  const seen = new Map<string, Pick<LifecycleState, 'track' | 'status'>>();
  for (const t of TRANSITIONS) {
    if (deadlineRule(t.from) !== null) seen.set(`${t.from.track}.${t.from.status}`, { track: t.from.track, status: t.from.status });
  }
  return [...seen.values()];
}

export type ReminderKind = 'dueSoon' | 'overdue';

/**
 * SPEC §11 reminders (in-app): the day before the due date (dueSoon), and every day once it has
 * passed (overdue); null on other days and for work without a due date. The due day itself is
 * the worklist's own (0 days left) and gets no reminder.
 */
export function reminderKind(today: string, due: string | null): ReminderKind | null {
  if (due === null) return null;
  const left = daysBetween(today, due);
  return left === 1 ? 'dueSoon' : left < 0 ? 'overdue' : null;
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from `today` to `due` (both YYYY-MM-DD); negative once overdue, 0 on the last day. */
export function daysBetween(today: string, due: string): number {
  const at = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((at(due) - at(today)) / 86_400_000);
}

/** The due date of work that began at `since` with a handling period of `days`. */
export function dueDate(since: Date, days: number): string {
  return addDays(shanghaiDate(since), days);
}
