// 第三十条: the ladder rules, exhaustively: due on the day after the deadline (not on it), every
// step in order, skipped and twice refused, ladders from the rule setting, lifting.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allowedStep, checkLift, checkStep, ESCALATION_STEP_CODES, escalationDue, escalationReason, inRemit, FINDING_CATEGORIES,
  ISSUER_ROLES, nextStatus, nextStep, validDeadline, type EscalationStep, type OrderStatus, type StepContext,
} from './supervision.ts';
import { normalizeRuleValue, parseEscalationSteps, RULES } from './rules.ts';

const FULL: EscalationStep[] = ['criticism', 'deferInvestment', 'suspendConstruction', 'terminate'];
const ctx = (over: Partial<StepContext> = {}): StepContext => ({
  order: { status: 'open', dueOn: '2026-06-30' }, today: '2026-07-01', ladder: FULL, taken: [], hasProject: true, projectTerminated: false, ...over,
});

describe('escalation due (逾期整改或者整改后仍不达标)', () => {
  it('the deadline day is not late; the next day is', () => {
    expect(escalationDue({ status: 'open', dueOn: '2026-06-30' }, '2026-06-30')).toBe(false);
    expect(escalationDue({ status: 'open', dueOn: '2026-06-30' }, '2026-07-01')).toBe(true);
    expect(escalationReason({ status: 'answered', dueOn: '2026-06-30' }, '2026-07-01')).toBe('overdue');
  });
  it('a failed verification is due at once, a passed one never', () => {
    expect(escalationReason({ status: 'failed', dueOn: '2099-01-01' }, '2026-01-01')).toBe('failed');
    expect(escalationDue({ status: 'passed', dueOn: '2000-01-01' }, '2026-01-01')).toBe(false);
    expect(escalationReason({ status: 'passed', dueOn: '2000-01-01' }, '2026-01-01')).toBeNull();
  });
  it('year end and leap day', () => {
    expect(escalationDue({ status: 'open', dueOn: '2026-12-31' }, '2027-01-01')).toBe(true);
    expect(escalationDue({ status: 'open', dueOn: '2028-02-29' }, '2028-02-29')).toBe(false);
    expect(escalationDue({ status: 'open', dueOn: '2028-02-29' }, '2028-03-01')).toBe(true);
  });
});

describe('the ladder (通报批评 → 暂缓安排投资计划 → 暂停项目建设 → 终止项目)', () => {
  it('takes every step in order, then none', () => {
    const taken: EscalationStep[] = [];
    for (const step of FULL) {
      expect(allowedStep(ctx({ taken }))).toBe(step);
      expect(checkStep(step, ctx({ taken }))).toBeNull();
      taken.push(step);
    }
    expect(nextStep(FULL, taken)).toBeNull();
    expect(allowedStep(ctx({ taken }))).toBeNull();
  });
  it('refuses a skipped step naming the one expected', () => {
    expect(checkStep('deferInvestment', ctx())).toEqual({ code: 'escalation.step_skipped', params: { step: '暂缓安排投资计划', expected: '通报批评' } });
    expect(checkStep('terminate', ctx({ taken: ['criticism', 'deferInvestment'] }))?.code).toBe('escalation.step_skipped');
  });
  it('refuses a step taken twice', () => {
    expect(checkStep('criticism', ctx({ taken: ['criticism'] }))).toEqual({ code: 'escalation.step_taken', params: { step: '通报批评' } });
  });
  it('refuses before the order is due', () => {
    expect(checkStep('criticism', ctx({ today: '2026-06-30' }))).toEqual({ code: 'escalation.not_due', params: { dueOn: '2026-06-30' } });
    expect(allowedStep(ctx({ today: '2026-06-30' }))).toBeNull();
    expect(checkStep('criticism', ctx({ order: { status: 'passed', dueOn: '2026-06-30' } }))?.code).toBe('escalation.not_due');
  });
  it('follows the ladder in force: a step left out is refused, the next one follows the last taken', () => {
    const short: EscalationStep[] = ['criticism', 'suspendConstruction', 'terminate'];
    expect(checkStep('deferInvestment', ctx({ ladder: short, taken: ['criticism'] }))?.code).toBe('escalation.not_in_ladder');
    expect(checkStep('suspendConstruction', ctx({ ladder: short, taken: ['criticism'] }))).toBeNull();
    // A step taken under an earlier ladder still counts.
    expect(allowedStep(ctx({ ladder: ['criticism', 'terminate'], taken: ['criticism', 'deferInvestment'] }))).toBe('terminate');
  });
  it('a system order can be criticised but not deferred, suspended or terminated', () => {
    expect(checkStep('criticism', ctx({ hasProject: false }))).toBeNull();
    expect(checkStep('deferInvestment', ctx({ hasProject: false, taken: ['criticism'] }))?.code).toBe('escalation.needs_project');
  });
  it('nothing after termination', () => {
    for (const step of FULL) expect(checkStep(step, ctx({ projectTerminated: true }))?.code).toBe('escalation.project_terminated');
  });
  it('property: at most one step is allowed, and it is always the next of the ladder', () => {
    const sub = fc.subarray(FULL, { minLength: 1 });
    fc.assert(fc.property(sub, fc.subarray(FULL), fc.constantFrom<OrderStatus>('open', 'answered', 'passed', 'failed'), fc.boolean(), (ladder, taken, status, late) => {
      const c = ctx({ ladder, taken, order: { status, dueOn: '2026-06-30' }, today: late ? '2026-07-01' : '2026-06-30' });
      const allowed = FULL.filter((s) => checkStep(s, c) === null);
      expect(allowed.length).toBeLessThanOrEqual(1);
      if (allowed.length === 1) {
        expect(allowed[0]).toBe(nextStep(ladder, taken));
        expect(escalationDue(c.order, c.today)).toBe(true);
      }
    }));
  });
});

describe('lifting 暂缓/暂停', () => {
  it('only those two, only standing, only after verified rectification', () => {
    expect(checkLift('deferInvestment', ['deferInvestment'], 'passed')).toBeNull();
    expect(checkLift('suspendConstruction', ['suspendConstruction'], 'passed')).toBeNull();
    expect(checkLift('suspendConstruction', ['suspendConstruction'], 'answered')?.code).toBe('escalation.not_rectified');
    expect(checkLift('suspendConstruction', [], 'passed')?.code).toBe('escalation.not_standing');
    expect(checkLift('terminate', ['terminate'], 'passed')?.code).toBe('escalation.not_liftable');
    expect(checkLift('criticism', ['criticism'], 'passed')?.code).toBe('escalation.not_liftable');
  });
});

describe('rectification order status', () => {
  it('answer, verify, answer again after a failure', () => {
    expect(nextStatus('open', 'answer')).toBe('answered');
    expect(nextStatus('answered', 'answer')).toBeNull();
    expect(nextStatus('answered', 'fail')).toBe('failed');
    expect(nextStatus('failed', 'answer')).toBe('answered');
    expect(nextStatus('answered', 'pass')).toBe('passed');
    expect(nextStatus('passed', 'answer')).toBeNull();
    expect(nextStatus('open', 'pass')).toBeNull();
    expect(nextStatus('failed', 'pass')).toBeNull();
  });
  it('a deadline is today or later', () => {
    expect(validDeadline('2026-07-01', '2026-07-01')).toBe(true);
    expect(validDeadline('2026-06-30', '2026-07-01')).toBe(false);
    expect(validDeadline('2026-7-1', '2026-01-01')).toBe(false);
  });
});

describe('remit (按照职责分工, I-66)', () => {
  it('each body its categories, the approval department all', () => {
    expect(inRemit('cac', 'cybersecurity')).toBe(true);
    expect(inRemit('cac', 'useOfFunds')).toBe(false);
    expect(inRemit('mof', 'useOfFunds')).toBe(true);
    expect(inRemit('go', 'cryptography')).toBe(false);
    for (const c of FINDING_CATEGORIES) expect(inRemit('approver', c)).toBe(true);
    // Every category is someone's besides the approval department's.
    for (const c of FINDING_CATEGORIES) expect(ISSUER_ROLES.filter((r) => r !== 'approver' && inRemit(r, c)).length).toBeGreaterThan(0);
  });
});

describe('the "escalation steps" rule setting (第三十四条)', () => {
  it('defaults to the full ladder', () => {
    expect(parseEscalationSteps(RULES['escalation.steps'].defaultValue)).toEqual(FULL);
    expect(ESCALATION_STEP_CODES).toEqual(FULL);
  });
  it('accepts a sub-ladder in order, refuses unknown, repeated or reordered steps', () => {
    expect(normalizeRuleValue('escalation.steps', 'criticism, terminate')).toBe('criticism,terminate');
    expect(normalizeRuleValue('escalation.steps', 'criticism,criticism')).toBeNull();
    expect(normalizeRuleValue('escalation.steps', 'terminate,criticism')).toBeNull();
    expect(normalizeRuleValue('escalation.steps', 'criticism,fine')).toBeNull();
    expect(normalizeRuleValue('escalation.steps', '')).toBeNull();
    expect(normalizeRuleValue('escalation.steps', 3)).toBeNull();
  });
});
