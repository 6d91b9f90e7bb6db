import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkEarlyInvestment, checkInvestmentRelease, checkSpending, EARLY_INVESTMENT_PURPOSES, surplusToReturn, type StageFacts } from './investment.ts';
import { parseWan, type Fen } from './money.ts';

const W = (wan: string): Fen => parseWan(wan)!;
const NONE: StageFacts = { feasibilityApproved: false, designApproved: false };
const FEAS: StageFacts = { feasibilityApproved: true, designApproved: false };
const DESIGN: StageFacts = { feasibilityApproved: true, designApproved: true };

describe('第二十四条: investment release', () => {
  it('第二十四条: no investment is released before the 初设/概算 approval', () => {
    for (const stages of [NONE, FEAS]) {
      const r = checkInvestmentRelease({ stages, approvedBudgetFen: null, releasedFen: 0n, amountFen: W('100') });
      expect(r.ok).toBe(false);
      expect(r.problems.map((p) => [p.code, p.article])).toEqual([['investment.design_not_approved', '第二十四条']]);
    }
    const ok = checkInvestmentRelease({ stages: DESIGN, approvedBudgetFen: W('1000'), releasedFen: W('200'), amountFen: W('300') });
    expect(ok).toMatchObject({ ok: true, problems: [], figures: { releasedAfterFen: W('500'), remainingFen: W('500') } });
  });

  it('第二十二条 (I-43): releases stay within the approved 概算, to the fen', () => {
    expect(checkInvestmentRelease({ stages: DESIGN, approvedBudgetFen: W('1000'), releasedFen: W('700'), amountFen: W('300') }).ok).toBe(true);
    const over = checkInvestmentRelease({ stages: DESIGN, approvedBudgetFen: W('1000'), releasedFen: W('700'), amountFen: W('300.000001') });
    expect(over.problems.map((p) => p.code)).toEqual(['investment.exceeds_budget']);
    expect(over.problems[0]!.params).toEqual({ releasedAfterWan: '1000.000001', approvedBudgetWan: '1000.00', releasedWan: '700.00', amountWan: '300.000001', overByWan: '0.000001' });
    expect(over.figures.remainingFen).toBe(-1n);
  });

  it('第二十四条: every problem at once', () => {
    const r = checkInvestmentRelease({ stages: FEAS, approvedBudgetFen: null, releasedFen: 0n, amountFen: 0n });
    expect(r.problems.map((p) => p.code)).toEqual(['investment.amount_not_positive', 'investment.design_not_approved']);
  });
});

describe('第二十四条: early investment', () => {
  it('第二十四条 (I-17): after the 可研 approval, each of the four purposes may be applied for; amounts summed per purpose', () => {
    const lines = EARLY_INVESTMENT_PURPOSES.map((purpose) => ({ purpose, amountFen: W('10.01') }));
    const r = checkEarlyInvestment(FEAS, [...lines, { purpose: 'landPurchase', amountFen: W('0.99') }]);
    expect(r).toMatchObject({ ok: true, problems: [], totalFen: W('41.03') });
    expect(r.byPurpose.landPurchase).toBe(W('11.00'));
  });

  it('第二十四条: before the 可研 approval it is refused', () => {
    const r = checkEarlyInvestment(NONE, [{ purpose: 'demolition', amountFen: W('5') }]);
    expect(r.problems.map((p) => p.code)).toEqual(['earlyInvestment.feasibility_not_approved']);
  });

  it('第二十四条 (I-17): any other purpose is refused by name — the list is closed', () => {
    const r = checkEarlyInvestment(FEAS, [{ purpose: 'hardwarePurchase', amountFen: W('5') }, { purpose: 'requirementsAnalysis', amountFen: 0n }]);
    expect(r.problems.map((p) => [p.code, p.params.line])).toEqual([['earlyInvestment.purpose_not_allowed', '1'], ['earlyInvestment.amount_not_positive', '2']]);
    expect(r.problems[0]!.message.zh).toContain('hardwarePurchase');
  });

  it('第二十四条: once the design is approved there is nothing early about it; no lines is refused', () => {
    expect(checkEarlyInvestment(DESIGN, [{ purpose: 'demolition', amountFen: 1n }]).problems.map((p) => p.code)).toEqual(['earlyInvestment.design_already_approved']);
    expect(checkEarlyInvestment(FEAS, []).problems.map((p) => p.code)).toEqual(['earlyInvestment.no_purpose']);
  });
});

describe('第二十二条: spending within the investment released', () => {
  it('第二十二条: spending up to the released amount is allowed; one fen more is refused with the figures', () => {
    expect(checkSpending(W('500'), W('400'), W('100'))).toMatchObject({ ok: true, figures: { spentAfterFen: W('500'), remainingFen: 0n } });
    const r = checkSpending(W('500'), W('400'), W('100.000001'));
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.code, p.article])).toEqual([['spending.exceeds_released', '第二十二条']]);
    expect(r.problems[0]!.params).toEqual({ releasedWan: '500.00', spentWan: '400.00', amountWan: '100.000001', overByWan: '0.000001' });
    expect(r.problems[0]!.message.zh).toBe('支出超出已下达投资：已下达 500.00 万元，已支出 400.00 万元，本次 100.000001 万元，超出 0.000001 万元');
    expect(checkSpending(W('500'), 0n, 0n).problems.map((p) => p.code)).toEqual(['spending.amount_not_positive']);
  });

  it('第二十二条: the unspent release is the surplus to return', () => {
    expect(surplusToReturn(W('500'), W('480.5'))).toBe(W('19.5'));
    expect(surplusToReturn(W('500'), W('500'))).toBe(0n);
  });

  it('property 第二十二条: a series of payments, each checked against the running total, never spends past the release', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: W('100000') }), fc.array(fc.bigInt({ min: 1n, max: W('5000') }), { maxLength: 30 }), (released, payments) => {
      let spent = 0n;
      for (const p of payments) {
        const r = checkSpending(released, spent, p);
        expect(r.ok).toBe(spent + p <= released);
        if (r.ok) spent += p;
        expect(r.figures.remainingFen).toBe(released - r.figures.spentAfterFen);
      }
      expect(spent <= released).toBe(true);
      expect(surplusToReturn(released, spent)).toBe(released - spent);
    }));
  });
});
