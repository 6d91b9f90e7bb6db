import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  acceptanceApplicationDue, addMonths, annualReportObligations, annualReportsDue, checkSelfEvaluationSubmission,
  cryptoAssessmentMonths, extensionRequestProblems, isCalendarDate, obligationStatus, periodicDue, securityPeriods,
  securityTestingMonths, selfEvaluationStatus, selfEvaluationWindow,
} from './deadlines.ts';
import { RULES } from './rules.ts';
import { addDays, daysBetween } from './worklist.ts';

const DEFAULTS = securityPeriods((key) => RULES[key].defaultValue);

/** Any calendar date 1990–2099. */
const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('calendar months (I-1, I-38)', () => {
  it('I-38: the same day of the month, clamped to the month’s last day', () => {
    expect(addMonths('2026-03-15', 6)).toBe('2026-09-15');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-12-31', 6)).toBe('2027-06-30');
    expect(addMonths('2026-07-31', 2)).toBe('2026-09-30');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-10-15', 3)).toBe('2027-01-15');
    expect(addMonths('2027-01-31', -1)).toBe('2026-12-31');
    expect(addMonths('2027-03-31', -1)).toBe('2027-02-28');
    expect(addMonths('2026-05-20', 0)).toBe('2026-05-20');
  });

  it('refuses what is not a calendar date or a whole number of months', () => {
    for (const bad of ['2027-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '20260101', '']) expect(isCalendarDate(bad), bad).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(() => addMonths('2027-02-29', 1)).toThrow(RangeError);
    expect(() => addMonths('2026-01-01', 1.5)).toThrow(RangeError);
  });

  it('property: month addition lands on a real date in the right month, never past the day of the start', () => {
    fc.assert(fc.property(date, fc.integer({ min: -240, max: 240 }), (d, n) => {
      const r = addMonths(d, n);
      expect(isCalendarDate(r)).toBe(true);
      const months = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7));
      expect(months(r) - months(d)).toBe(n);
      expect(Number(r.slice(8))).toBeLessThanOrEqual(Number(d.slice(8)));
      // Clamping only ever happens at a month's end.
      if (Number(r.slice(8)) < Number(d.slice(8))) expect(addDays(r, 1).slice(8)).toBe('01');
    }));
  });

  it('property: a later start never gives an earlier end (monotone)', () => {
    fc.assert(fc.property(date, date, fc.integer({ min: 0, max: 60 }), (a, b, n) => {
      const [x, y] = a <= b ? [a, b] : [b, a];
      expect(addMonths(x, n) <= addMonths(y, n)).toBe(true);
    }));
  });
});

describe('obligations (SPEC §11)', () => {
  it('I-1: notDue, dueSoon within the lead, dueToday on the last day, overdue from the next day', () => {
    expect(obligationStatus('2026-12-31', '2026-11-30', 30)).toEqual({ status: 'notDue', dueOn: '2026-12-31', daysLeft: 31 });
    expect(obligationStatus('2026-12-31', '2026-12-01', 30)).toEqual({ status: 'dueSoon', dueOn: '2026-12-31', daysLeft: 30 });
    expect(obligationStatus('2026-12-31', '2026-12-30', 30)).toMatchObject({ status: 'dueSoon', daysLeft: 1 });
    expect(obligationStatus('2026-12-31', '2026-12-31', 30)).toMatchObject({ status: 'dueToday', daysLeft: 0 });
    expect(obligationStatus('2026-12-31', '2027-01-01', 30)).toMatchObject({ status: 'overdue', daysLeft: -1 });
    expect(obligationStatus('2026-12-31', '2026-12-30', 0)).toMatchObject({ status: 'notDue', daysLeft: 1 });
    expect(() => obligationStatus('2026-12-32', '2026-12-30', 0)).toThrow(RangeError);
  });

  it('property: the status follows the days left, and the days left follow the calendar', () => {
    fc.assert(fc.property(date, fc.integer({ min: -800, max: 800 }), fc.integer({ min: 0, max: 365 }), (due, offset, lead) => {
      const today = addDays(due, -offset);
      const s = obligationStatus(due, today, lead);
      expect(s.daysLeft).toBe(offset);
      expect(s.status).toBe(offset < 0 ? 'overdue' : offset === 0 ? 'dueToday' : offset <= lead ? 'dueSoon' : 'notDue');
    }));
  });
});

describe('第二十五条: acceptance within six months of completion', () => {
  const months = RULES['acceptance.applicationMonths'].defaultValue as number;

  it('第二十五条: completed 2026-08-31 → due 2027-02-28; 2027-08-31 → 2028-02-29 (leap year)', () => {
    expect(acceptanceApplicationDue('2026-08-31', months).dueOn).toBe('2027-02-28');
    expect(acceptanceApplicationDue('2027-08-31', months).dueOn).toBe('2028-02-29');
  });

  it('第二十五条 (I-38): the same day-of-month six months on is the last day; the day after is overdue', () => {
    const { dueOn } = acceptanceApplicationDue('2026-03-15', months);
    expect(dueOn).toBe('2026-09-15');
    expect(obligationStatus(dueOn, '2026-09-15', 30)).toMatchObject({ status: 'dueToday', daysLeft: 0 });
    expect(obligationStatus(dueOn, '2026-09-16', 30)).toMatchObject({ status: 'overdue', daysLeft: -1 });
    expect(obligationStatus(dueOn, '2026-08-16', 30)).toMatchObject({ status: 'dueSoon', daysLeft: 30 });
    const leap = acceptanceApplicationDue('2027-08-31', months).dueOn;
    expect(obligationStatus(leap, '2028-02-29', 30).status).toBe('dueToday');
    expect(obligationStatus(leap, '2028-03-01', 30).status).toBe('overdue');
  });

  it('第二十五条 (I-3): an approved extension replaces the deadline; the original stays known', () => {
    expect(acceptanceApplicationDue('2026-03-15', months, '2026-12-31')).toEqual({ originalDueOn: '2026-09-15', dueOn: '2026-12-31', extended: true });
    expect(acceptanceApplicationDue('2026-03-15', months)).toEqual({ originalDueOn: '2026-09-15', dueOn: '2026-09-15', extended: false });
    expect(acceptanceApplicationDue('2026-03-15', 3).dueOn).toBe('2026-06-15');
  });

  it('第二十五条 (I-3): an extension is requested by the deadline (the last day included), for a later one, with a reason', () => {
    const ok = { dueOn: '2026-09-15', requestedOn: '2026-09-15', proposedDueOn: '2026-12-15', reason: '审计报告尚未出具' };
    expect(extensionRequestProblems(ok)).toEqual([]);
    const bad = extensionRequestProblems({ dueOn: '2026-09-15', requestedOn: '2026-09-16', proposedDueOn: '2026-09-15', reason: ' \u3000' });
    expect(bad.map((p) => p.code)).toEqual(['extension.requested_after_deadline', 'extension.not_later', 'extension.reason_missing']);
    expect(bad.every((p) => p.article === '第二十五条')).toBe(true);
    expect(bad[0]!.message.zh).toContain('2026-09-15');
  });
});

describe('第二十七条: self-evaluation 12–24 months after acceptance and operation', () => {
  const w = selfEvaluationWindow('2026-03-31', '2026-04-30', 12, 24);

  it('第二十七条 (I-4): the window counts from the later of acceptance and go-live, both ends inclusive', () => {
    expect(w).toEqual({ countsFrom: '2026-04-30', opensOn: '2027-04-30', dueOn: '2028-04-30', remindFrom: '2027-03-30', startMonths: 12, endMonths: 24 });
    expect(selfEvaluationWindow('2026-05-01', '2026-04-30', 12, 24).countsFrom).toBe('2026-05-01');
    expect(selfEvaluationWindow('2027-02-28', '2027-02-28', 12, 24).dueOn).toBe('2029-02-28');
    expect(selfEvaluationWindow('2028-02-29', '2028-02-29', 12, 24)).toMatchObject({ opensOn: '2029-02-28', dueOn: '2030-02-28' });
  });

  it('第二十七条: a report the day before the window opens is refused with the opening date; on the opening day it is taken', () => {
    const early = checkSelfEvaluationSubmission(w, '2027-04-29', true);
    expect(early).toMatchObject({ accepted: false, timing: 'early', notices: [] });
    expect(early.problems.map((p) => [p.code, p.article, p.params.opensOn])).toEqual([['selfEvaluation.before_window', '第二十七条', '2027-04-30']]);
    expect(early.problems[0]!.message.zh).toContain('2027-04-30 起方可提交');
    expect(checkSelfEvaluationSubmission(w, '2027-04-30', true)).toEqual({ accepted: true, timing: 'inWindow', problems: [], notices: [] });
  });

  it('第二十七条: on the last day of month 24 it is on time; the next day it is late, but still taken', () => {
    expect(checkSelfEvaluationSubmission(w, '2028-04-30', true).timing).toBe('inWindow');
    const late = checkSelfEvaluationSubmission(w, '2028-05-01', true);
    expect(late).toMatchObject({ accepted: true, timing: 'late', problems: [] });
    expect(late.notices.map((n) => [n.code, n.params.daysLate])).toEqual([['selfEvaluation.late', '1']]);
  });

  it('第三十四条: with selfEvaluation.refuseEarly off an early report is taken with a notice', () => {
    const early = checkSelfEvaluationSubmission(w, '2026-12-01', false);
    expect(early).toMatchObject({ accepted: true, timing: 'early', problems: [] });
    expect(early.notices.map((n) => n.code)).toEqual(['selfEvaluation.early_accepted']);
  });

  it('第二十七条: an unsubmitted report is notDue, dueSoon from a month before the window, then tracked to month 24', () => {
    expect(selfEvaluationStatus(w, '2027-03-29', 30)).toMatchObject({ status: 'notDue', phase: 'beforeWindow' });
    expect(selfEvaluationStatus(w, '2027-03-30', 30)).toMatchObject({ status: 'dueSoon', phase: 'beforeWindow' });
    expect(selfEvaluationStatus(w, '2027-04-30', 30)).toMatchObject({ status: 'notDue', phase: 'inWindow', daysLeft: 366 });
    expect(selfEvaluationStatus(w, '2028-04-30', 30)).toMatchObject({ status: 'dueToday', phase: 'inWindow' });
    expect(selfEvaluationStatus(w, '2028-05-01', 30)).toMatchObject({ status: 'overdue', phase: 'afterWindow', daysLeft: -1 });
  });

  it('第三十四条: settings whose end precedes their start still give a window (its opening day)', () => {
    const odd = selfEvaluationWindow('2026-01-10', '2026-01-10', 24, 12);
    expect(odd).toMatchObject({ opensOn: '2028-01-10', dueOn: '2028-01-10' });
  });

  it('property: a submission is exactly one of early, in the window, late', () => {
    fc.assert(fc.property(date, date, fc.integer({ min: 1, max: 36 }), fc.integer({ min: 0, max: 36 }), (start, submitted, a, b) => {
      const win = selfEvaluationWindow(start, start, a, a + b);
      const r = checkSelfEvaluationSubmission(win, submitted, true);
      expect(r.timing).toBe(submitted < win.opensOn ? 'early' : submitted > win.dueOn ? 'late' : 'inWindow');
      expect(r.accepted).toBe(r.timing !== 'early');
    }));
  });
});

describe('第二十条: annual performance reports', () => {
  const YE = RULES['annualReport.dueMonthDay'].defaultValue as string;

  it('第二十条 (I-5): one report per 31 December within construction, this year’s included while it goes on', () => {
    expect(annualReportsDue('2025-03-01', null, '2027-06-01', YE)).toEqual([
      { year: 2025, dueOn: '2025-12-31' }, { year: 2026, dueOn: '2026-12-31' }, { year: 2027, dueOn: '2027-12-31' },
    ]);
  });

  it('第二十条 (I-5): a December start owes that year; completion before 31 December owes none that year', () => {
    expect(annualReportsDue('2025-12-31', '2026-12-30', '2027-06-01', YE)).toEqual([{ year: 2025, dueOn: '2025-12-31' }]);
    expect(annualReportsDue('2025-12-31', '2026-12-31', '2027-06-01', YE).map((d) => d.year)).toEqual([2025, 2026]);
    expect(annualReportsDue('2026-02-01', '2026-11-30', '2027-06-01', YE)).toEqual([]);
  });

  it('第三十四条: the year-end date is a rule setting', () => {
    expect(annualReportsDue('2025-07-01', '2027-03-01', '2027-06-01', '06-30').map((d) => d.dueOn)).toEqual(['2026-06-30']);
    expect(() => annualReportsDue('2025-07-01', null, '2027-06-01', '02-29')).toThrow(RangeError);
  });

  it('第二十条: missing reports are overdue obligations; submitted ones owe nothing', () => {
    const due = annualReportsDue('2025-03-01', null, '2027-01-01', YE);
    expect(annualReportObligations(due, [2025], '2027-01-01', 30)).toEqual([
      { year: 2025, dueOn: '2025-12-31', submitted: true, state: null },
      { year: 2026, dueOn: '2026-12-31', submitted: false, state: { status: 'overdue', dueOn: '2026-12-31', daysLeft: -1 } },
      { year: 2027, dueOn: '2027-12-31', submitted: false, state: { status: 'notDue', dueOn: '2027-12-31', daysLeft: 364 } },
    ]);
    expect(annualReportObligations(due, [], '2026-12-31', 30)[1]!.state!.status).toBe('dueToday');
  });

  it('property: every due date lies within construction and there is one per year at most', () => {
    fc.assert(fc.property(date, fc.integer({ min: 0, max: 3000 }), (start, length) => {
      const end = addDays(start, length);
      const due = annualReportsDue(start, end, end, YE);
      for (const d of due) expect(d.dueOn >= start && d.dueOn <= end).toBe(true);
      expect(new Set(due.map((d) => d.year)).size).toBe(due.length);
      expect(due.length).toBe(Number(end.slice(0, 4)) - Number(start.slice(0, 4)) + (end.slice(5) === '12-31' ? 1 : 0));
    }));
  });
});

describe('第十四条, 第十五条: periodic security testing and 密评', () => {
  it('第十四条 (I-41): 等级测评 every 24/12/6/6 months for levels 2–5, none for level 1; 分级保护 every 24', () => {
    expect([1, 2, 3, 4, 5].map((level) => securityTestingMonths({ scheme: 'mlps', level: level as 1 }, DEFAULTS))).toEqual([null, 24, 12, 6, 6]);
    expect(securityTestingMonths({ scheme: 'classified' }, DEFAULTS)).toBe(24);
  });

  it('第十五条 (I-41): 密评 every 12 months from level 3; none below and for 分级保护 systems', () => {
    expect([1, 2, 3, 4, 5].map((level) => cryptoAssessmentMonths({ scheme: 'mlps', level: level as 1 }, DEFAULTS))).toEqual([null, null, 12, 12, 12]);
    expect(cryptoAssessmentMonths({ scheme: 'classified' }, DEFAULTS)).toBeNull();
  });

  it('第十四条: the next test is due a period after the last; never tested, it was due at go-live', () => {
    expect(periodicDue('2026-01-31', '2025-06-01', 12)).toBe('2027-01-31');
    expect(periodicDue('2026-08-31', '2025-06-01', 6)).toBe('2027-02-28');
    expect(periodicDue(null, '2025-06-01', 12)).toBe('2025-06-01');
    expect(periodicDue(null, '2025-06-01', null)).toBeNull();
    expect(obligationStatus(periodicDue('2026-01-31', '2025-06-01', 12)!, '2027-02-01', 30).status).toBe('overdue');
  });

  it('第三十四条: the periods come from the settings in force', () => {
    const custom = securityPeriods((key) => (key === 'security.mlpsTestingMonths.level3' ? 6 : RULES[key].defaultValue));
    expect(securityTestingMonths({ scheme: 'mlps', level: 3 }, custom)).toBe(6);
    expect(daysBetween('2026-01-01', periodicDue('2026-01-01', '2025-01-01', 6)!)).toBe(181);
  });
});
