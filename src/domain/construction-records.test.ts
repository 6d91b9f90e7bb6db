// 第十九条–第二十二条: the pure rules of construction records, at their boundaries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessIndicators, completionProblems, constructionStartedOn, contractProblems, decimalMicros, DELIVERY_MODELS, deliveryProblems,
  indicatorMet, orderProblems, PROCUREMENT_METHODS, procurementProblems, rectificationProblems, rectificationStatus, reportYearProblems,
} from './construction-records.ts';

const codes = (ps: ReadonlyArray<{ code: string }>) => ps.map((p) => p.code);

describe('建设运维方式 (第十八条, I-94)', () => {
  it('第十八条: only building and running the project oneself needs the note; a blank note is none', () => {
    for (const buildModel of [...DELIVERY_MODELS, null]) {
      for (const omModel of [...DELIVERY_MODELS, null]) {
        const both = buildModel === 'self' && omModel === 'self';
        expect(codes(deliveryProblems({ buildModel, omModel, deliveryNote: null }))).toEqual(both ? ['delivery.note_required'] : []);
        expect(codes(deliveryProblems({ buildModel, omModel, deliveryNote: ' \n ' }))).toEqual(both ? ['delivery.note_required'] : []);
        expect(deliveryProblems({ buildModel, omModel, deliveryNote: '具备自主运维团队' })).toEqual([]);
      }
    }
  });
});

describe('招标采购 (第十九条, I-48)', () => {
  it('第十九条: a secret-related procurement may not use an openly announced method', () => {
    for (const method of PROCUREMENT_METHODS) {
      const open = method === 'public_tender' || method === 'framework_agreement';
      expect(codes(procurementProblems({ method, secretRelated: true, procuredOn: '2026-05-01' }, '2026-05-01')))
        .toEqual(open ? ['procurement.secret_public_method'] : []);
      expect(procurementProblems({ method, secretRelated: false, procuredOn: '2026-05-01' }, '2026-05-01')).toEqual([]);
    }
    const p = procurementProblems({ method: 'public_tender', secretRelated: true, procuredOn: '2026-05-01' }, '2026-05-01')[0]!;
    expect(p).toMatchObject({ article: '第十九条', message: { zh: expect.stringContaining('公开招标') } });
  });
  it('第十九条: dates up to today are accepted, tomorrow is not', () => {
    expect(codes(procurementProblems({ method: 'inquiry', secretRelated: false, procuredOn: '2026-05-02' }, '2026-05-01'))).toEqual(['procurement.in_future']);
    expect(contractProblems('2026-05-01', '2026-05-01')).toEqual([]);
    expect(codes(contractProblems('2026-05-02', '2026-05-01'))).toEqual(['contract.in_future']);
    expect(() => contractProblems('2026-02-30', '2026-05-01')).toThrow(RangeError);
  });
});

describe('绩效指标达成 (第二十条, SPEC §11)', () => {
  it('第二十条: exactly at the target is met in both directions; one millionth off is not', () => {
    expect(indicatorMet('higher', '80', '80')).toBe(true);
    expect(indicatorMet('higher', '80', '79.999999')).toBe(false);
    expect(indicatorMet('higher', '80', '80.000001')).toBe(true);
    expect(indicatorMet('lower', '5', '5.0')).toBe(true);
    expect(indicatorMet('lower', '5', '5.000001')).toBe(false);
    expect(indicatorMet('lower', '-1', '-2')).toBe(true);
    expect(() => indicatorMet('higher', '1e3', '1')).toThrow(RangeError);
  });
  it('第二十条: decimals compare exactly (no float rounding), consistent with the order of the numbers', () => {
    const dec = fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 999_999 }))
      .map(([w, f]) => `${w}.${String(f).padStart(6, '0')}`);
    fc.assert(fc.property(dec, dec, (t, a) => {
      const cmp = decimalMicros(a)! >= decimalMicros(t)!;
      expect(indicatorMet('higher', t, a)).toBe(cmp);
      expect(indicatorMet('lower', t, a)).toBe(decimalMicros(a)! <= decimalMicros(t)!);
    }));
    expect(indicatorMet('higher', '0.3', '0.30')).toBe(true); // 0.1 + 0.2 style pitfalls do not arise
  });
  it('第二十条: every indicator with a target that year needs an actual; unknown ones are refused; no target, no verdict', () => {
    const indicators = [
      { indicator: 'A', unit: '%', direction: 'higher' as const, targets: [{ year: 2026, value: '80' }] },
      { indicator: 'B', unit: '日', direction: 'lower' as const, targets: [{ year: 2027, value: '5' }] },
    ];
    expect(codes(assessIndicators(indicators, 2026, []).problems)).toEqual(['report.indicator_missing']);
    expect(codes(assessIndicators(indicators, 2026, [{ indicator: 'C', actual: '1' }, { indicator: 'A', actual: '1' }]).problems)).toEqual(['report.indicator_unknown']);
    const { results, problems } = assessIndicators(indicators, 2026, [{ indicator: 'A', actual: '81' }, { indicator: 'B', actual: '6' }]);
    expect(problems).toEqual([]);
    expect(results).toEqual([
      { indicator: 'A', unit: '%', direction: 'higher', target: '80', actual: '81', met: true },
      { indicator: 'B', unit: '日', direction: 'lower', target: null, actual: '6', met: null },
    ]);
  });
  it('第二十条 (I-5, I-47): only construction years take a report; construction counts from the later of decision and planned start', () => {
    expect(reportYearProblems(2026, [2026, 2027])).toEqual([]);
    expect(codes(reportYearProblems(2025, [2026]))).toEqual(['report.year_not_due']);
    expect(constructionStartedOn('2026-11-20', '2026-01-01')).toBe('2026-11-20');
    expect(constructionStartedOn('2026-01-01', '2026-03-01')).toBe('2026-03-01');
    expect(constructionStartedOn('2026-03-01', '2026-03-01')).toBe('2026-03-01');
  });
});

describe('整改 (第二十一条)', () => {
  it('第二十一条: the deadline is on time on its last day and overdue the next', () => {
    expect(rectificationStatus('2026-06-30', null, '2026-06-30')).toBe('open');
    expect(rectificationStatus('2026-06-30', null, '2026-07-01')).toBe('overdue');
    expect(rectificationStatus('2026-06-30', '2026-06-30', '2026-09-01')).toBe('done');
    expect(rectificationStatus('2026-06-30', '2026-07-01', '2026-09-01')).toBe('doneLate');
  });
  it('第二十一条: a deadline lies after the order day; a rectification is not reported ahead of time', () => {
    expect(codes(orderProblems('2026-06-30', '2026-06-30'))).toEqual(['order.due_not_after_today']);
    expect(orderProblems('2026-07-01', '2026-06-30')).toEqual([]);
    expect(rectificationProblems('2026-06-30', '2026-06-30')).toEqual([]);
    expect(codes(rectificationProblems('2026-07-01', '2026-06-30'))).toEqual(['rectification.in_future']);
  });
});

describe('建成 (第二十二条, 第十九条)', () => {
  const ok = { completedOn: '2026-06-30', finalAccountsAmount: '100.00', surplusAmount: '0', surplusReturnedOn: null };
  const ctx = { today: '2026-06-30', supervisorRecorded: true, openRectifications: 0, released: 0n, spent: 0n };
  it('第二十二条: completion today with a 监理单位 and nothing open is accepted', () => {
    expect(completionProblems(ok, ctx)).toEqual([]);
  });
  it('第十九条: no 监理单位, no completion; every problem is reported at once', () => {
    expect(codes(completionProblems({ ...ok, completedOn: '2026-07-01' }, { ...ctx, supervisorRecorded: false, openRectifications: 2 })))
      .toEqual(['completion.no_supervisor', 'completion.in_future', 'completion.open_rectification']);
  });
  it('第二十二条: a returned surplus has its date, on or after completion and not in the future; none has none', () => {
    expect(codes(completionProblems({ ...ok, surplusAmount: '0.01' }, ctx))).toEqual(['completion.surplus_date_required']);
    expect(codes(completionProblems({ ...ok, surplusReturnedOn: '2026-06-30' }, ctx))).toEqual(['completion.surplus_date_not_allowed']);
    expect(codes(completionProblems({ ...ok, surplusAmount: '5', surplusReturnedOn: '2026-06-29' }, ctx))).toEqual(['completion.surplus_before_completion']);
    expect(codes(completionProblems({ ...ok, surplusAmount: '5', surplusReturnedOn: '2026-07-01' }, ctx))).toEqual(['completion.surplus_in_future']);
    expect(completionProblems({ ...ok, surplusAmount: '5', surplusReturnedOn: '2026-06-30' }, ctx)).toEqual([]);
  });
  it('第二十二条 (I-71): once investment is released, the surplus is released − spent to the fen', () => {
    const money = { ...ctx, released: 100_000_00n, spent: 99_995_00n }; // 10.0000 万元 released, 9.9995 spent: 5 元 left
    const returned = { ...ok, surplusReturnedOn: '2026-06-30' };
    expect(completionProblems({ ...returned, surplusAmount: '0.0005' }, money)).toEqual([]);
    const short = completionProblems({ ...returned, surplusAmount: '0.0004' }, money);
    expect(codes(short)).toEqual(['completion.surplus_mismatch']);
    expect(short[0]!.message.zh).toContain('已下达投资 10.00 万元减已支出 9.9995 万元之差 0.0005 万元');
    expect(codes(completionProblems({ ...returned, surplusAmount: '0.0006' }, money))).toEqual(['completion.surplus_mismatch']);
    // Everything spent: nothing to return, and a return date would be wrong too.
    expect(completionProblems(ok, { ...ctx, released: 100_000_00n, spent: 100_000_00n })).toEqual([]);
    expect(codes(completionProblems({ ...ok, surplusAmount: '0.01', surplusReturnedOn: '2026-06-30' }, { ...ctx, released: 100_000_00n, spent: 100_000_00n })))
      .toEqual(['completion.surplus_mismatch']);
    // Nothing released on the platform (funded before it, I-71): the surplus is taken as declared.
    expect(completionProblems({ ...returned, surplusAmount: '3' }, ctx)).toEqual([]);
  });
});
