import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ADJUSTMENT_REASONS, adjustmentAmount, evaluateAdjustment, sharePercentUp, withinThreshold,
  type AdjustmentBaseline, type AdjustmentDecision, type ProposedAdjustment,
} from './adjustments.ts';
import { parseWan, type Fen } from './money.ts';
import { RULES } from './rules.ts';

const W = (wan: string): Fen => parseWan(wan)!;
const T = RULES['adjustment.thresholdPercent'].defaultValue as string;
const TOTAL = W('1000.00');
const BASE: AdjustmentBaseline = { approvedTotalFen: TOTAL, currentTotalFen: TOTAL, priorAmountsFen: [] };

/** Moves `wan` from one content to another: total unchanged, amount = wan. */
const move = (wan: string | Fen, reason: ProposedAdjustment['reason'] = 'technicalOptimization'): ProposedAdjustment => {
  const fen = typeof wan === 'string' ? W(wan) : wan;
  return { lines: [{ content: '数据共享交换平台', changeFen: fen }, { content: '机房改造', changeFen: -fen }], reason, goalsUnchanged: true };
};

describe('第二十三条: self-adjust and file, or re-approval', () => {
  it('第二十三条: 15.00% self-files, 15.01% goes to re-approval', () => {
    const at15 = evaluateAdjustment(BASE, move('150.00'), T);
    expect(at15.route).toBe('selfFile');
    expect(at15.figures).toMatchObject({ sharePercent: '15.00', shareExact: true, thresholdPercent: '15.00', limitFen: W('150.00'), headroomFen: 0n });
    const at1501 = evaluateAdjustment(BASE, move('150.10'), T);
    expect(at1501.route).toBe('reapproval');
    expect(at1501.figures).toMatchObject({ sharePercent: '15.01', headroomFen: -W('0.10') });
    expect(at1501.reapprovalReasons.map((r) => [r.code, r.article])).toEqual([['adjustment.exceeds_threshold', '第二十三条']]);
    expect(at1501.reapprovalReasons[0]!.message.zh).toBe('累计调整投资额 150.10 万元占概算总投资 15.01%，超过 15.00%（超出 0.10 万元），须重新报批');
  });

  it('第二十三条 (I-16, I-39): one fen over 15% is re-approval, and the share shown rounds up to 15.01, never 15.00', () => {
    const d = evaluateAdjustment(BASE, move(W('150.00') + 1n), T);
    expect(d.route).toBe('reapproval');
    expect(d.figures).toMatchObject({ sharePercent: '15.01', shareExact: false, headroomFen: -1n });
    expect(d.reapprovalReasons[0]!.params.overByWan).toBe('0.000001');
  });

  it('第二十三条 (I-16): a series of adjustments each under 15% whose sum crosses it goes to re-approval', () => {
    const first = evaluateAdjustment(BASE, move('100.00'), T);
    expect(first.route).toBe('selfFile');
    expect(first.figures).toMatchObject({ cumulativeFen: W('100.00'), sharePercent: '10.00', headroomFen: W('50.00') });
    const second = evaluateAdjustment({ ...BASE, priorAmountsFen: [W('100.00')] }, move('60.00'), T);
    expect(second.route).toBe('reapproval');
    expect(second.figures).toMatchObject({ priorCumulativeFen: W('100.00'), amountFen: W('60.00'), cumulativeFen: W('160.00'), sharePercent: '16.00', headroomFen: -W('10.00') });
    // Exactly reaching 15% cumulatively still self-files.
    expect(evaluateAdjustment({ ...BASE, priorAmountsFen: [W('100.00')] }, move('50.00'), T).route).toBe('selfFile');
  });

  it('第二十三条 (I-16): an adjustment’s amount is the larger of its increases and decreases; moving money back counts again', () => {
    expect(adjustmentAmount([{ content: 'a', changeFen: W('30') }, { content: 'b', changeFen: W('20') }, { content: 'c', changeFen: -W('45') }])).toBe(W('50'));
    expect(adjustmentAmount([{ content: 'a', changeFen: -W('30') }, { content: 'b', changeFen: W('10') }])).toBe(W('30'));
    const back = evaluateAdjustment({ ...BASE, priorAmountsFen: [W('80.00')] }, move('-80.00'), T);
    expect(back.figures!.cumulativeFen).toBe(W('160.00'));
    expect(back.route).toBe('reapproval');
  });

  it('第二十三条: the total may not exceed the approved 概算 even within 15%', () => {
    const d = evaluateAdjustment({ ...BASE, currentTotalFen: W('990.00') }, { lines: [{ content: '新增移动端', changeFen: W('10.01') }], reason: 'businessNeeds', goalsUnchanged: true }, T);
    expect(d.route).toBe('reapproval');
    expect(d.reapprovalReasons.map((r) => r.code)).toEqual(['adjustment.exceeds_budget']);
    expect(d.reapprovalReasons[0]!.params).toEqual({ totalAfterWan: '1000.01', approvedTotalWan: '1000.00', overByWan: '0.01' });
    const exact = evaluateAdjustment({ ...BASE, currentTotalFen: W('990.00') }, { lines: [{ content: '新增移动端', changeFen: W('10.00') }], reason: 'businessNeeds', goalsUnchanged: true }, T);
    expect(exact.route).toBe('selfFile');
    expect(exact.figures!.totalAfterFen).toBe(TOTAL);
  });

  it('第二十三条: each of the three reasons self-files; another reason or none, or changed goals, goes to re-approval', () => {
    for (const reason of ADJUSTMENT_REASONS) expect(evaluateAdjustment(BASE, move('10', reason), T).route, reason).toBe('selfFile');
    expect(evaluateAdjustment(BASE, move('10', 'other'), T).reapprovalReasons.map((r) => r.code)).toEqual(['adjustment.reason_not_listed']);
    expect(evaluateAdjustment(BASE, move('10', null), T).route).toBe('reapproval');
    expect(evaluateAdjustment(BASE, { ...move('10'), goalsUnchanged: false }, T).reapprovalReasons.map((r) => r.code)).toEqual(['adjustment.goals_changed']);
  });

  it('第二十三条: every reason for re-approval is given at once', () => {
    const d = evaluateAdjustment(BASE, { lines: [{ content: '扩容', changeFen: W('200') }], reason: 'other', goalsUnchanged: false }, T);
    expect(d.reapprovalReasons.map((r) => r.code)).toEqual([
      'adjustment.exceeds_budget', 'adjustment.goals_changed', 'adjustment.reason_not_listed', 'adjustment.exceeds_threshold',
    ]);
  });

  it('第二十三条: an adjustment without lines, with a blank or zero line, or without an approved total cannot be recorded', () => {
    expect(evaluateAdjustment(BASE, { lines: [], reason: 'businessNeeds', goalsUnchanged: true }, T)).toMatchObject({ route: 'invalid' });
    const d = evaluateAdjustment(BASE, { lines: [{ content: ' \u3000', changeFen: W('1') }, { content: '机房', changeFen: 0n }], reason: 'businessNeeds', goalsUnchanged: true }, T);
    expect(d.problems.map((p) => [p.code, p.params.line])).toEqual([['adjustment.line_content_missing', '1'], ['adjustment.line_zero', '2']]);
    const none = evaluateAdjustment({ approvedTotalFen: 0n, currentTotalFen: 0n, priorAmountsFen: [] }, move('1'), T);
    expect(none).toMatchObject({ route: 'invalid', figures: null });
    expect(none.problems.map((p) => p.code)).toEqual(['adjustment.approved_total_invalid']);
  });

  it('第三十四条: the threshold is the rule setting in force, with two places', () => {
    expect(evaluateAdjustment(BASE, move('100.00'), '10.00').route).toBe('selfFile');
    expect(evaluateAdjustment(BASE, move('100.10'), '10.01').route).toBe('selfFile');
    expect(evaluateAdjustment(BASE, move('100.11'), '10.01').route).toBe('reapproval');
    expect(evaluateAdjustment(BASE, move('0.000001'), '0.00').route).toBe('reapproval');
    expect(() => evaluateAdjustment(BASE, move('1'), '15%')).toThrow(RangeError);
  });

  it('I-39: the share rounds up to two places and says when it is exact', () => {
    expect(sharePercentUp(1n, 3n)).toEqual({ percent: '33.34', exact: false });
    expect(sharePercentUp(W('150'), TOTAL)).toEqual({ percent: '15.00', exact: true });
    expect(sharePercentUp(0n, TOTAL)).toEqual({ percent: '0.00', exact: true });
    expect(() => sharePercentUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('第二十三条: properties', () => {
  const total = fc.bigInt({ min: 1n, max: W('100000000') });
  const threshold = fc.integer({ min: 0, max: 10_000 }).map((h) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`);

  /** Runs a series, each adjustment after the ones self-filed before it (re-approved ones reset nothing here). */
  const run = (approved: Fen, amounts: readonly Fen[], t: string): AdjustmentDecision[] => {
    const filed: Fen[] = [];
    return amounts.map((a) => {
      const d = evaluateAdjustment({ approvedTotalFen: approved, currentTotalFen: approved, priorAmountsFen: [...filed] }, move(a), t);
      if (d.route === 'selfFile') filed.push(d.figures!.amountFen);
      return d;
    });
  };

  it('property 第二十三条: never self-files past the threshold, and the share shown agrees with the route', () => {
    fc.assert(fc.property(total, fc.array(fc.bigInt({ min: 1n, max: W('50000000') }), { minLength: 1, maxLength: 8 }), threshold, (approved, amounts, t) => {
      const h = BigInt(t.replace('.', ''));
      for (const d of run(approved, amounts, t)) {
        const f = d.figures!;
        const within = f.cumulativeFen * 10_000n <= approved * h;
        expect(d.route === 'selfFile').toBe(within);
        expect(f.headroomFen >= 0n).toBe(within);
        // The two-place share shown is ≤ the threshold exactly when the exact share is.
        expect(BigInt(f.sharePercent.replace('.', '')) <= h).toBe(within);
      }
    }));
  });

  it('property 第二十三条: crossing the threshold cumulatively always routes to re-approval, even when each step is under it', () => {
    fc.assert(fc.property(total, fc.array(fc.bigInt({ min: 1n, max: W('1000') }), { minLength: 2, maxLength: 10 }), (approved, amounts) => {
      const decisions = run(approved, amounts, T);
      const filedSum = decisions.filter((d) => d.route === 'selfFile').reduce((s, d) => s + d.figures!.amountFen, 0n);
      expect(withinThreshold(filedSum, approved, 1500n)).toBe(true);
      const all = amounts.reduce((a, b) => a + b, 0n);
      if (!withinThreshold(all, approved, 1500n)) expect(decisions.some((d) => d.route === 'reapproval')).toBe(true);
    }));
  });

  it('property 第二十三条: the cumulative share does not depend on the order of the adjustments', () => {
    fc.assert(fc.property(total, fc.array(fc.bigInt({ min: -W('1000'), max: W('1000') }).filter((a) => a !== 0n), { minLength: 1, maxLength: 8 }), fc.integer(), (approved, amounts, seed) => {
      const shuffled = [...amounts].sort((a, b) => Number(((a ^ BigInt(seed)) % 7n) - ((b ^ BigInt(seed)) % 7n)));
      const evaluateLast = (list: readonly Fen[]) => evaluateAdjustment(
        { approvedTotalFen: approved, currentTotalFen: approved, priorAmountsFen: list.slice(0, -1).map((a) => (a < 0n ? -a : a)) },
        move(list.at(-1)!), T,
      ).figures!;
      const [a, b] = [evaluateLast(amounts), evaluateLast(shuffled)];
      expect(b.cumulativeFen).toBe(a.cumulativeFen);
      expect(b.sharePercent).toBe(a.sharePercent);
      expect(b.headroomFen).toBe(a.headroomFen);
    }));
  });
});
