import { describe, expect, it } from 'vitest';
import { evaluateAdjustment } from './adjustments.ts';
import { checkEarlyRelease, checkStatedFigures, stageFacts } from './construction-money.ts';
import { parseWan, type Fen } from './money.ts';

const W = (wan: string): Fen => parseWan(wan)!;

describe('第二十四条: stage facts from the lifecycle', () => {
  it('第二十四条: 可研 approved from the 初设 stage on; 初设/概算 approved only when the project is; a filing counts once filed', () => {
    expect(stageFacts({ track: 'approval', stage: 'feasibilityStudy', status: 'under_review' })).toEqual({ feasibilityApproved: false, designApproved: false });
    expect(stageFacts({ track: 'approval', stage: 'preliminaryDesign', status: 'draft' })).toEqual({ feasibilityApproved: true, designApproved: false });
    expect(stageFacts({ track: 'approval', stage: 'preliminaryDesign', status: 'approved' })).toEqual({ feasibilityApproved: true, designApproved: true });
    expect(stageFacts({ track: 'approval', stage: 'combinedStage', status: 'under_review' })).toEqual({ feasibilityApproved: false, designApproved: false });
    expect(stageFacts({ track: 'approval', stage: 'combinedStage', status: 'approved' })).toEqual({ feasibilityApproved: true, designApproved: true });
    expect(stageFacts({ track: 'filing', stage: 'filing', status: 'submitted' })).toEqual({ feasibilityApproved: false, designApproved: false });
    expect(stageFacts({ track: 'filing', stage: 'filing', status: 'filed' })).toEqual({ feasibilityApproved: true, designApproved: true });
  });
});

describe('第二十四条 (I-46): releases under an early investment', () => {
  it('第二十四条: only an approved application, and within its amount to the fen', () => {
    expect(checkEarlyRelease('approved', W('100'), W('60'), W('40'))).toEqual([]);
    expect(checkEarlyRelease('pending', W('100'), 0n, W('1')).map((p) => p.code)).toEqual(['earlyRelease.not_approved']);
    expect(checkEarlyRelease('refused', W('100'), 0n, W('1')).map((p) => p.article)).toEqual(['第二十四条']);
    const over = checkEarlyRelease('approved', W('100'), W('60'), W('40.000001'));
    expect(over.map((p) => p.code)).toEqual(['earlyRelease.exceeds_approved']);
    expect(over[0]!.params).toEqual({ approvedWan: '100.00', releasedWan: '60.00', amountWan: '40.000001', overByWan: '0.000001' });
  });
});

describe('第二十三条: stated figures', () => {
  const d = evaluateAdjustment({ approvedTotalFen: W('1000'), currentTotalFen: W('1000'), priorAmountsFen: [] },
    { lines: [{ content: 'A', changeFen: W('100') }, { content: 'B', changeFen: W('-120') }], reason: 'businessNeeds', goalsUnchanged: true }, '15.00');
  it('第二十三条: the amount and the new total must be the ones the lines give', () => {
    expect(checkStatedFigures(d.figures!, W('1000'), { amountFen: W('120'), totalAfterFen: W('980') })).toEqual([]);
    const wrong = checkStatedFigures(d.figures!, W('1000'), { amountFen: W('100'), totalAfterFen: W('1000') });
    expect(wrong.map((p) => [p.code, p.article])).toEqual([['adjustment.amount_mismatch', '第二十三条'], ['adjustment.total_mismatch', '第二十三条']]);
    expect(wrong[1]!.params).toEqual({ statedWan: '1000.00', computedWan: '980.00', beforeWan: '1000.00' });
  });
});
