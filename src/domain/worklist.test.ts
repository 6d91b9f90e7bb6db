import { describe, expect, it } from 'vitest';
import { ROLE_CODES } from './authz.ts';
import { LIFECYCLE_STATES } from './lifecycle.ts';
import { addDays, daysBetween, deadlineRule, deadlineStatuses, dueDate, reminderKind, workActions, workStatuses } from './worklist.ts';

describe('我的待办 (SPEC §11)', () => {
  it('第七条: each waiting state waits on the roles of its transitions, never on withdrawing or reassigning', () => {
    const at = (stage: string, status: string) => LIFECYCLE_STATES.find((s) => s.stage === stage && s.status === status)!;
    expect(workActions(at('proposal', 'draft'), 'preparer')).toEqual(['submit']);
    expect(workActions(at('proposal', 'awaiting_signature'), 'unit_lead').sort()).toEqual(['declineSignature', 'sign']);
    expect(workActions(at('proposal', 'awaiting_signature'), 'preparer')).toEqual([]);
    expect(workActions(at('proposal', 'submitted'), 'reviewer')).toContain('accept');
    expect(workActions(at('proposal', 'submitted'), 'reviewer')).not.toContain('reassignReviewer');
    expect(workActions(at('feasibilityStudy', 'assessing'), 'assessor')).toEqual(['completeAssessment']);
    expect(workActions(at('proposal', 'under_review'), 'approver').sort()).toEqual(['approve', 'reject']);
    expect(workActions(at('filing', 'submitted'), 'ndrc').sort()).toEqual(['file', 'returnForCompletion']);
  });

  it('terminal states wait on nobody', () => {
    for (const state of LIFECYCLE_STATES.filter((s) => s.status === 'approved' || s.status === 'rejected' || s.status === 'filed')) {
      for (const role of ROLE_CODES) expect(workActions(state, role)).toEqual([]);
    }
  });

  it('the roles with work are exactly the lifecycle’s business roles', () => {
    const withWork = ROLE_CODES.filter((r) => workStatuses(r).length > 0).sort();
    expect(withWork).toEqual(['approver', 'assessor', 'ndrc', 'preparer', 'reviewer', 'unit_lead']);
    expect(workStatuses('ndrc')).toEqual([{ track: 'filing', status: 'submitted' }]);
  });

  it('第三十四条: each waiting status has the handling period of its rule setting; drafts have none', () => {
    expect(deadlineRule({ track: 'approval', status: 'draft' })).toBeNull();
    expect(deadlineRule({ track: 'approval', status: 'submitted' })).toBe('deadline.acceptDays');
    expect(deadlineRule({ track: 'filing', status: 'submitted' })).toBe('deadline.filingDays');
    expect(deadlineRule({ track: 'approval', status: 'under_review' })).toBe('deadline.reviewDays');
    expect(deadlineRule({ track: 'filing', status: 'returned' })).toBe('deadline.revisionDays');
  });

  it('due dates are Asia/Shanghai calendar dates: 23:59 UTC is already the next day in Beijing', () => {
    expect(dueDate(new Date('2026-11-25T15:59:59Z'), 5)).toBe('2026-11-30');
    expect(dueDate(new Date('2026-11-25T16:00:00Z'), 5)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('the last day of a deadline has 0 days left and is not overdue; the day after is -1', () => {
    expect(daysBetween('2026-11-30', '2026-11-30')).toBe(0);
    expect(daysBetween('2026-12-01', '2026-11-30')).toBe(-1);
    expect(daysBetween('2026-11-26', '2026-12-01')).toBe(5);
    // Across the DST-free Shanghai calendar and a leap day, whole days only.
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('SPEC §11 reminders: the day before the due date, and every day once it has passed; never without a due date', () => {
    expect(reminderKind('2026-11-29', '2026-11-30')).toBe('dueSoon');
    expect(reminderKind('2026-11-30', '2026-11-30')).toBeNull();
    expect(reminderKind('2026-11-28', '2026-11-30')).toBeNull();
    expect(reminderKind('2026-12-01', '2026-11-30')).toBe('overdue');
    expect(reminderKind('2027-01-15', '2026-11-30')).toBe('overdue');
    expect(reminderKind('2026-12-31', '2027-01-01')).toBe('dueSoon');
    expect(reminderKind('2026-11-29', null)).toBeNull();
  });

  it('第三十四条: reminders cover exactly the statuses that have a handling period', () => {
    const statuses = deadlineStatuses();
    expect(statuses.every((s) => deadlineRule(s) !== null)).toBe(true);
    expect(statuses.map((s) => `${s.track}.${s.status}`).sort()).toEqual([
      'approval.assessing', 'approval.awaiting_signature', 'approval.returned', 'approval.submitted', 'approval.under_review',
      'filing.returned', 'filing.submitted',
    ]);
  });
});
