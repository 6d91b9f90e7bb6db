import { describe, expect, it } from 'vitest';
import { projectObligations, systemObligations, type ObligationRules, type ProjectFacts } from './obligations.ts';

const RULES: ObligationRules = {
  acceptanceMonths: 6, selfEvaluationStartMonths: 12, selfEvaluationEndMonths: 24, annualReportDueMonthDay: '12-31', remindDays: 30,
  security: { mlpsTestingMonths: { 2: 24, 3: 12, 4: 6, 5: 6 }, classifiedTestingMonths: 24, cryptoAssessmentMonths: 12 },
};
const facts = (f: Partial<ProjectFacts>): ProjectFacts => ({
  constructionStart: '2025-03-01', completedOn: null, acceptedOn: null, inOperationOn: null, acceptanceAppliedOn: null,
  annualReports: [], selfEvaluationOn: null, ...f,
});
const find = (list: ReturnType<typeof projectObligations>, kind: string, period = '') => list.find((o) => o.kind === kind && o.period === period);

describe('obligations of a project', () => {
  it('第二十五条: completed 2026-08-31 → apply by 2027-02-28; the last day is dueToday, the next day overdue', () => {
    const on = (today: string) => find(projectObligations(facts({ completedOn: '2026-08-31' }), RULES, today), 'acceptanceApplication')!;
    expect(on('2027-01-28')).toMatchObject({ dueOn: '2027-02-28', status: 'notDue' });
    expect(on('2027-01-29').status).toBe('dueSoon');
    expect(on('2027-02-28').status).toBe('dueToday');
    expect(on('2027-03-01').status).toBe('overdue');
  });

  it('第二十五条: an accepted project’s application is done (I-57)', () => {
    const o = find(projectObligations(facts({ completedOn: '2026-08-31', acceptedOn: '2027-03-05' }), RULES, '2027-04-01'), 'acceptanceApplication')!;
    expect(o).toMatchObject({ status: 'done', doneOn: '2027-03-05' });
  });

  it('第二十条: a report for each year end within construction; 12-31 is on time, 01-01 overdue', () => {
    const list = projectObligations(facts({ constructionStart: '2025-03-01' }), RULES, '2026-12-31');
    expect(list.filter((o) => o.kind === 'annualReport').map((o) => [o.period, o.status])).toEqual([['2025', 'overdue'], ['2026', 'dueToday']]);
    // Completed on 12-30: that year owes none.
    const ended = projectObligations(facts({ constructionStart: '2025-03-01', completedOn: '2026-12-30' }), RULES, '2027-01-01');
    expect(ended.filter((o) => o.kind === 'annualReport').map((o) => o.period)).toEqual(['2025']);
    // A submitted year is done.
    expect(find(projectObligations(facts({ annualReports: [{ year: 2025, submittedOn: '2026-01-03' }] }), RULES, '2026-01-05'), 'annualReport', '2025')).toMatchObject({ status: 'done', doneOn: '2026-01-03' });
    // Nothing before construction starts.
    expect(projectObligations(facts({ constructionStart: '2026-12-01' }), RULES, '2026-11-30').filter((o) => o.kind === 'annualReport')).toEqual([]);
  });

  it('第二十七条: the self-evaluation window counts from the later of acceptance and go-live; dueSoon from a month before it opens', () => {
    const on = (today: string) => find(projectObligations(facts({ completedOn: '2026-01-31', acceptedOn: '2026-03-31', inOperationOn: '2026-02-15' }), RULES, today), 'selfEvaluation')!;
    expect(on('2027-02-27')).toMatchObject({ opensOn: '2027-03-31', dueOn: '2028-03-31', status: 'notDue' });
    expect(on('2027-02-28').status).toBe('dueSoon');
    expect(on('2027-04-01').status).toBe('notDue');
    expect(on('2028-03-31').status).toBe('dueToday');
    expect(on('2028-04-01').status).toBe('overdue');
  });
});

describe('obligations of a system', () => {
  it('第十四条, 第十五条: level 1 owes nothing; level 2 a test; level 3 a test and 密评; 分级保护 a test only (I-41)', () => {
    const kinds = (profile: Parameters<typeof systemObligations>[0]['profile']) =>
      systemObligations({ profile, inOperationOn: '2026-05-01', lastTestedOn: null, lastCryptoAssessedOn: null }, RULES, '2026-05-01').map((o) => o.kind);
    expect(kinds({ scheme: 'mlps', level: 1 })).toEqual([]);
    expect(kinds({ scheme: 'mlps', level: 2 })).toEqual(['securityTest']);
    expect(kinds({ scheme: 'mlps', level: 3 })).toEqual(['securityTest', 'cryptoAssessment']);
    expect(kinds({ scheme: 'classified' })).toEqual(['securityTest']);
  });

  it('第十四条: the next test is due the period after the last one (08-31 + 6 months = 02-28)', () => {
    const [test] = systemObligations({ profile: { scheme: 'mlps', level: 4 }, inOperationOn: '2020-01-01', lastTestedOn: '2026-08-31', lastCryptoAssessedOn: '2026-08-31' }, RULES, '2027-02-28');
    expect(test).toMatchObject({ dueOn: '2027-02-28', status: 'dueToday' });
  });
});
