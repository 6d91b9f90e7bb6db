import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costVariance, DEFAULT_THRESHOLDS, formatPercent, raisedBand, rateRisk, scheduleVariance, varianceLevel, type Baseline, type RiskInput, type RiskLevel } from './risk.ts';

const W = 1_000_000n; // fen per 万元
// 2026-01-01 → 2026-11-28: 331 days; 1000 万元.
const ORIGINAL: Baseline = { plannedStart: '2026-01-01', plannedEnd: '2026-04-11', plannedCost: 1000n * W }; // 100 days
const input = (f: Partial<RiskInput>): RiskInput => ({
  original: ORIGINAL, rebaseline: null, projectedEnd: ORIGINAL.plannedEnd, projectedCost: ORIGINAL.plannedCost,
  actualEnd: null, actualCost: 0n, overdueObligations: 0, openRectifications: 0, thresholds: DEFAULT_THRESHOLDS, ...f,
});

describe('variance (SPEC §8 risk ratings)', () => {
  it('schedule variance: days late over the planned duration, exactly', () => {
    expect(scheduleVariance(ORIGINAL, '2026-04-21')).toEqual({ num: 10n, den: 100n });
    expect(formatPercent(scheduleVariance(ORIGINAL, '2026-04-21'))).toBe('10.00');
    expect(formatPercent(scheduleVariance(ORIGINAL, '2026-04-01'))).toBe('-10.00');
    // A one-day plan still divides by one day.
    expect(scheduleVariance({ ...ORIGINAL, plannedEnd: ORIGINAL.plannedStart }, '2026-01-03')).toEqual({ num: 2n, den: 1n });
  });
  it('cost variance: exact in fen, never a float', () => {
    expect(formatPercent(costVariance(ORIGINAL, 1100n * W))).toBe('10.00');
    expect(formatPercent(costVariance(ORIGINAL, 1000n * W + 1n))).toBe('0.00');
    expect(formatPercent({ num: 1n, den: 3n })).toBe('33.33');
    expect(formatPercent({ num: 2n, den: 3n })).toBe('66.67');
    expect(formatPercent({ num: -1n, den: 200_000n })).toBe('0.00');
    expect(() => costVariance({ ...ORIGINAL, plannedCost: 0n }, 1n)).toThrow(RangeError);
  });
});

describe('bands at the boundaries (default < 10% green, 10–30% amber, ≥ 30% red)', () => {
  const level = (num: bigint, den: bigint) => varianceLevel({ num, den }, DEFAULT_THRESHOLDS);
  it('exactly 10% is amber; a hair below is green', () => {
    expect(level(10n, 100n)).toBe(1);
    expect(level(999_999n, 10_000_000n)).toBe(0);
    expect(level(1n, 10n)).toBe(1);
  });
  it('exactly 30% is red; a hair below is amber', () => {
    expect(level(30n, 100n)).toBe(2);
    expect(level(2_999_999n, 10_000_000n)).toBe(1);
  });
  it('early or under budget is green however large', () => {
    expect(level(-90n, 100n)).toBe(0);
    expect(level(0n, 100n)).toBe(0);
  });
  it('the thresholds come from the rule settings (第三十四条)', () => {
    expect(varianceLevel({ num: 10n, den: 100n }, { amberHundredths: 1500n, redHundredths: 4000n })).toBe(0);
    expect(varianceLevel({ num: 40n, den: 100n }, { amberHundredths: 1500n, redHundredths: 4000n })).toBe(2);
    // A red threshold set below amber reads as equal to it.
    expect(varianceLevel({ num: 20n, den: 100n }, { amberHundredths: 2000n, redHundredths: 500n })).toBe(2);
  });
  it('rateRisk: 10 days late on 100 is amber, 30 days red, 9 days green', () => {
    expect(rateRisk(input({ projectedEnd: '2026-04-20' })).band).toBe('green');
    expect(rateRisk(input({ projectedEnd: '2026-04-21' })).band).toBe('amber');
    expect(rateRisk(input({ projectedEnd: '2026-05-11' })).band).toBe('red');
    expect(rateRisk(input({ projectedCost: 1300n * W })).band).toBe('red');
    expect(rateRisk(input({ projectedCost: 1300n * W - 1n })).band).toBe('amber');
  });
  it('property: the level is monotone in the overrun', () => {
    fc.assert(fc.property(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n }), (a, d, den) => {
      expect(level(a + d, den)).toBeGreaterThanOrEqual(level(a, den));
    }));
  });
});

describe('the planned / projected / actual triple', () => {
  it('the actual end, once known, replaces the projection', () => {
    const r = rateRisk(input({ projectedEnd: '2026-04-11', actualEnd: '2026-05-11' }));
    expect(r).toMatchObject({ endMeasured: '2026-05-11', scheduleVariance: '30.00', band: 'red' });
  });
  it('spending beyond the projection counts, not the projection', () => {
    const r = rateRisk(input({ projectedCost: 900n * W, actualCost: 1150n * W }));
    expect(r).toMatchObject({ costMeasured: '1150.00', costVariance: '15.00', band: 'amber' });
  });
  it('within the thresholds says so', () => {
    expect(rateRisk(input({})).reasons.map((x) => x.code)).toEqual(['withinThresholds']);
  });
});

describe('overdue obligations and open rectifications raise the rating', () => {
  it('one level each, up to red', () => {
    expect(rateRisk(input({ overdueObligations: 1 })).band).toBe('amber');
    expect(rateRisk(input({ openRectifications: 2 })).band).toBe('amber');
    expect(rateRisk(input({ overdueObligations: 1, openRectifications: 1 })).band).toBe('red');
    expect(rateRisk(input({ projectedEnd: '2026-05-11', overdueObligations: 3 })).band).toBe('red');
    const r = rateRisk(input({ projectedEnd: '2026-04-21', overdueObligations: 1 }));
    expect(r).toMatchObject({ band: 'red', varianceLevel: 1 });
    expect(r.reasons.map((x) => x.code)).toEqual(['scheduleVariance', 'overdueObligations']);
  });
  it('raisedBand restates the raise of rateRisk for every level and count', () => {
    fc.assert(fc.property(fc.constantFrom<RiskLevel>(0, 1, 2), fc.nat(3), fc.nat(3), (lv, o, r) => {
      const end = lv === 0 ? '2026-04-11' : lv === 1 ? '2026-04-21' : '2026-05-11';
      expect(rateRisk(input({ projectedEnd: end, overdueObligations: o, openRectifications: r })).band).toBe(raisedBand(lv, o, r));
    }));
  });
});

describe('a re-baseline cannot hide variance (I-73)', () => {
  const REBASE: Baseline = { plannedStart: '2026-01-01', plannedEnd: '2026-06-09', plannedCost: 1500n * W };
  it('keeps the original variance on the rating and the band at least one below the original', () => {
    const r = rateRisk(input({ rebaseline: REBASE, projectedEnd: '2026-06-09', projectedCost: 1500n * W }));
    expect(r).toMatchObject({ scheduleVariance: '0.00', costVariance: '0.00', originalScheduleVariance: '59.00', originalCostVariance: '50.00', rebaselined: true, band: 'amber', varianceLevel: 1 });
    expect(r.reasons.map((x) => x.code)).toEqual(['originalBaseline']);
  });
  it('an original amber re-baselined may become green; the original variance is still reported', () => {
    const r = rateRisk(input({ rebaseline: { ...REBASE, plannedEnd: '2026-04-25', plannedCost: 1000n * W }, projectedEnd: '2026-04-25' }));
    expect(r).toMatchObject({ band: 'green', originalScheduleVariance: '14.00' });
  });
  it('property: a re-baseline never lowers the band by more than one level', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), (late, newDays, cost, newCost) => {
      const projectedEnd = `2026-${String(4 + Math.floor(late / 31)).padStart(2, '0')}-11`;
      const without = rateRisk(input({ projectedEnd, projectedCost: BigInt(cost) * W }));
      const rb: Baseline = { plannedStart: '2026-01-01', plannedEnd: `2026-${String(4 + Math.floor(newDays / 31)).padStart(2, '0')}-11`, plannedCost: BigInt(newCost) * W };
      const withRb = rateRisk(input({ rebaseline: rb, projectedEnd, projectedCost: BigInt(cost) * W }));
      expect(withRb.varianceLevel).toBeGreaterThanOrEqual(without.varianceLevel - 1);
      expect(withRb.originalScheduleVariance).toBe(without.scheduleVariance);
      expect(withRb.originalCostVariance).toBe(without.costVariance);
    }));
  });
});
