import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUNDING_RECOMMENDATIONS, recommendationOf, SCORING, scoreDepartment, scoreProject, type FundingInput } from './funding.ts';

const input = (f: Partial<FundingInput>): FundingInput => ({
  phase: 'construction', report: null, postEvaluation: null, openRectifications: 0, overdueRectifications: 0, riskBand: null, ...f,
});
const codes = (f: Partial<FundingInput>) => scoreProject(input(f)).reasons.map((r) => r.code);

describe('第三十二条 scoring model (docs/scoring-model.md)', () => {
  it('bands at their boundaries: 110 优先安排, 90 正常安排, 70 压减, below 暂缓', () => {
    expect(recommendationOf(110)).toBe('prioritize');
    expect(recommendationOf(109)).toBe('normal');
    expect(recommendationOf(90)).toBe('normal');
    expect(recommendationOf(89)).toBe('reduce');
    expect(recommendationOf(70)).toBe('reduce');
    expect(recommendationOf(69)).toBe('defer');
    // A mean, exactly: 179/2 = 89.5 is below 90.
    expect(recommendationOf(179, 2)).toBe('reduce');
    expect(recommendationOf(180, 2)).toBe('normal');
  });
  it('a project with nothing on record scores the base and is funded normally, with the reason', () => {
    const r = scoreProject(input({}));
    expect(r).toMatchObject({ score: 100, recommendation: 'normal', investment: 'normal', operations: 'notApplicable' });
    expect(r.reasons.map((x) => x.code)).toEqual(['base', 'noReport']);
  });
  it('第二十条 indicators: all met +10, ≥80% 0, ≥50% −15, below −30 (boundaries exact)', () => {
    const score = (met: number, of: number) => scoreProject(input({ report: { year: 2026, indicators: of, met } })).score;
    expect(score(5, 5)).toBe(110);
    expect(score(4, 5)).toBe(100); // exactly 80%
    expect(score(79, 100)).toBe(85);
    expect(score(1, 2)).toBe(85); // exactly 50%
    expect(score(49, 100)).toBe(70);
    expect(score(0, 3)).toBe(70);
    expect(codes({ report: { year: 2026, indicators: 0, met: 0 } })).toEqual(['base', 'noIndicators']);
    expect(scoreProject(input({ report: { year: 2026, indicators: 5, met: 5 } })).recommendation).toBe('prioritize');
  });
  it('第二十七条 post-evaluation conclusions, and 停止运行 defers whatever the points', () => {
    for (const [c, points] of Object.entries(SCORING.postEvaluation)) {
      expect(scoreProject(input({ postEvaluation: c as FundingInput['postEvaluation'], phase: 'operation' })).score).toBe(100 + points);
    }
    const retire = scoreProject(input({ phase: 'operation', postEvaluation: 'retire', report: { year: 2026, indicators: 2, met: 2 } }));
    expect(retire).toMatchObject({ recommendation: 'defer', operations: 'defer', investment: 'notApplicable' });
    expect(retire.reasons.map((x) => x.code)).toContain('cap.retire');
  });
  it('第二十一条/第三十条 rectifications: −10 each (floor −30), −10 more each overdue (floor −20), overdue caps at 压减', () => {
    expect(scoreProject(input({ openRectifications: 1 })).score).toBe(90);
    expect(scoreProject(input({ openRectifications: 5 })).score).toBe(70);
    expect(scoreProject(input({ openRectifications: 3, overdueRectifications: 3 })).score).toBe(50);
    const capped = scoreProject(input({ report: { year: 2026, indicators: 1, met: 1 }, postEvaluation: 'continue', openRectifications: 1, overdueRectifications: 1 }));
    expect(capped.score).toBe(100);
    expect(capped.recommendation).toBe('reduce');
    expect(capped.reasons.map((x) => x.code)).toEqual(['base', 'indicatorsAllMet', 'postEvaluation.continue', 'openRectifications', 'overdueRectifications', 'cap.overdueRectification']);
  });
  it('risk rating: amber −10, red −25, green no reason', () => {
    expect(scoreProject(input({ riskBand: 'amber' })).score).toBe(90);
    expect(scoreProject(input({ riskBand: 'red' })).recommendation).toBe('reduce');
    expect(codes({ riskBand: 'green' })).toEqual(['base', 'noReport']);
  });
  it('property: the score is the sum of the reasons, and every points-bearing input is listed', () => {
    const arb = fc.record({
      phase: fc.constantFrom<'construction' | 'operation'>('construction', 'operation'),
      report: fc.option(fc.nat(10).chain((n) => fc.record({ year: fc.constant(2026), indicators: fc.constant(n), met: fc.nat(n) }))),
      postEvaluation: fc.option(fc.constantFrom<'continue' | 'remediate' | 'innovate' | 'retire'>('continue', 'remediate', 'innovate', 'retire')),
      openRectifications: fc.nat(5),
      riskBand: fc.option(fc.constantFrom<'green' | 'amber' | 'red'>('green', 'amber', 'red')),
    }).chain((x) => fc.nat(x.openRectifications).map((o) => ({ ...x, overdueRectifications: o })));
    fc.assert(fc.property(arb, (x) => {
      const r = scoreProject(x);
      expect(r.reasons.reduce((s, y) => s + y.points, 0)).toBe(r.score);
      expect(FUNDING_RECOMMENDATIONS).toContain(r.recommendation);
      if (x.postEvaluation) expect(r.reasons.some((y) => y.code.startsWith('postEvaluation.'))).toBe(true);
      if (x.openRectifications > 0) expect(r.reasons.some((y) => y.code === 'openRectifications')).toBe(true);
      if (x.riskBand === 'amber' || x.riskBand === 'red') expect(r.reasons.some((y) => y.code === `risk.${x.riskBand}`)).toBe(true);
      // Never better than the points say; only caps make it worse.
      const order = ['prioritize', 'normal', 'reduce', 'defer'];
      expect(order.indexOf(r.recommendation)).toBeGreaterThanOrEqual(order.indexOf(recommendationOf(r.score)));
    }));
  });
});

describe('第三十二条 a department from its projects', () => {
  const p = (f: Partial<FundingInput>) => scoreProject(input(f));
  it('none: no recommendation', () => expect(scoreDepartment([])).toBeNull());
  it('the band of the exact mean, with counts as reasons', () => {
    const d = scoreDepartment([p({ report: { year: 2026, indicators: 1, met: 1 } }), p({ openRectifications: 1 })])!;
    expect(d).toMatchObject({ projects: 2, meanScore: '100.0', recommendation: 'normal', counts: { prioritize: 1, normal: 1, reduce: 0, defer: 0 } });
    expect(d.reasons.map((r) => r.code)).toEqual(['mean', 'counts']);
  });
  it('a third or more deferred caps the department at 压减', () => {
    const good = p({ report: { year: 2026, indicators: 1, met: 1 }, postEvaluation: 'continue' });
    const bad = p({ postEvaluation: 'retire', phase: 'operation' });
    const d = scoreDepartment([good, good, bad])!;
    expect(d.recommendation).toBe('reduce');
    expect(d.reasons.map((r) => r.code)).toContain('cap.deferShare');
    // One in four deferred: no cap; (3 × 120 + 60) / 4 = 105 is 正常安排.
    expect(scoreDepartment([good, good, good, bad])!.recommendation).toBe('normal');
  });
  it('a negative mean is formatted with its sign', () => {
    const worst = p({ report: { year: 2026, indicators: 2, met: 0 }, postEvaluation: 'retire', openRectifications: 3, overdueRectifications: 3, riskBand: 'red' });
    expect(worst.score).toBe(-45);
    expect(scoreDepartment([worst])!.meanScore).toBe('-45.0');
  });
});
