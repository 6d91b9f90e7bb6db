import { describe, expect, it } from 'vitest';
import { FROM_THE_BEGINNING, formatHundredths, normalizeRuleValue, percentHundredths, RULE_KEYS, RULES, ruleInForce, type RuleRow } from './rules.ts';

describe('rule settings (第三十四条)', () => {
  it('every setting has a name, an article and a default of its own type', () => {
    for (const key of RULE_KEYS) {
      const def = RULES[key];
      expect(def.key).toBe(key);
      expect(def.name.zh.length).toBeGreaterThan(0);
      expect(normalizeRuleValue(key, def.defaultValue)).toEqual(def.defaultValue);
    }
  });

  it('第三十四条: amounts are exact 万元 with two places; days 1–365; booleans only booleans', () => {
    expect(normalizeRuleValue('assessment.thresholdWan', '5000')).toBe('5000.00');
    expect(normalizeRuleValue('assessment.thresholdWan', '0')).toBe('0.00');
    expect(normalizeRuleValue('assessment.thresholdWan', '0.01')).toBe('0.01');
    expect(normalizeRuleValue('assessment.thresholdWan', '1.005')).toBeNull();
    expect(normalizeRuleValue('assessment.thresholdWan', '-1')).toBeNull();
    expect(normalizeRuleValue('assessment.thresholdWan', 'abc')).toBeNull();
    expect(normalizeRuleValue('deadline.reviewDays', 1)).toBe(1);
    expect(normalizeRuleValue('deadline.reviewDays', 365)).toBe(365);
    expect(normalizeRuleValue('deadline.reviewDays', 0)).toBeNull();
    expect(normalizeRuleValue('deadline.reviewDays', 366)).toBeNull();
    expect(normalizeRuleValue('deadline.reviewDays', 1.5)).toBeNull();
    expect(normalizeRuleValue('deadline.reviewDays', '20')).toBeNull();
    expect(normalizeRuleValue('assessment.enabled', false)).toBe(false);
    expect(normalizeRuleValue('assessment.enabled', 'false')).toBeNull();
  });

  it('第三十四条: months are whole calendar months 1–120', () => {
    expect(normalizeRuleValue('acceptance.applicationMonths', 1)).toBe(1);
    expect(normalizeRuleValue('acceptance.applicationMonths', 120)).toBe(120);
    for (const bad of [0, 121, 6.5, -6, '6', null, true]) expect(normalizeRuleValue('acceptance.applicationMonths', bad), String(bad)).toBeNull();
  });

  it('第二十三条: the threshold is a percent with at most two places, 0.00–100.00, kept as "15.00"', () => {
    expect(normalizeRuleValue('adjustment.thresholdPercent', '15')).toBe('15.00');
    expect(normalizeRuleValue('adjustment.thresholdPercent', 15)).toBe('15.00');
    expect(normalizeRuleValue('adjustment.thresholdPercent', '15.5')).toBe('15.50');
    expect(normalizeRuleValue('adjustment.thresholdPercent', '0')).toBe('0.00');
    expect(normalizeRuleValue('adjustment.thresholdPercent', '100.00')).toBe('100.00');
    expect(normalizeRuleValue('adjustment.thresholdPercent', ' 9.99 ')).toBe('9.99');
    for (const bad of ['100.01', '15.001', '-1', '1e1', '15%', '', 'abc', 0.1 + 0.2, true]) {
      expect(normalizeRuleValue('adjustment.thresholdPercent', bad), String(bad)).toBeNull();
    }
    expect(percentHundredths('15.01')).toBe(1501n);
    expect(formatHundredths(5n)).toBe('0.05');
    expect(formatHundredths(10_000n)).toBe('100.00');
  });

  it('第二十条: the year-end date is an MM-DD that exists every year', () => {
    expect(normalizeRuleValue('annualReport.dueMonthDay', '12-31')).toBe('12-31');
    expect(normalizeRuleValue('annualReport.dueMonthDay', '02-28')).toBe('02-28');
    expect(normalizeRuleValue('annualReport.dueMonthDay', '06-30')).toBe('06-30');
    for (const bad of ['02-29', '06-31', '13-01', '00-10', '12-00', '1231', '12-31 ', 1231, '2026-12-31']) {
      expect(normalizeRuleValue('annualReport.dueMonthDay', bad), String(bad)).toBeNull();
    }
  });

  it('第二十条–第二十七条: the central defaults are six months, 12–24 months, 31 December and 15.00%', () => {
    expect(RULES['acceptance.applicationMonths']).toMatchObject({ article: '第二十五条', unit: 'months', defaultValue: 6 });
    expect(RULES['selfEvaluation.windowStartMonths'].defaultValue).toBe(12);
    expect(RULES['selfEvaluation.windowEndMonths'].defaultValue).toBe(24);
    expect(RULES['selfEvaluation.refuseEarly'].defaultValue).toBe(true);
    expect(RULES['annualReport.dueMonthDay']).toMatchObject({ article: '第二十条', defaultValue: '12-31' });
    expect(RULES['adjustment.thresholdPercent']).toMatchObject({ article: '第二十三条', unit: 'percent', defaultValue: '15.00' });
    expect(RULES['security.mlpsTestingMonths.level3'].defaultValue).toBe(12);
    expect(RULES['security.mlpsTestingMonths.level4'].defaultValue).toBe(6);
    expect(RULES['security.cryptoAssessmentMonths'].defaultValue).toBe(12);
  });

  it('第十二条: departments confirm their system list every catalog.confirmationDays, 365 by default', () => {
    expect(RULES['catalog.confirmationDays']).toMatchObject({ article: '第十二条', unit: 'days', defaultValue: 365 });
  });

  it('第三十四条: the nearest organization’s own value wins, then the central value, then the default', () => {
    const B = FROM_THE_BEGINNING;
    const rows: RuleRow[] = [
      { key: 'deadline.reviewDays', organizationId: null, value: 15, effectiveFrom: B },
      { key: 'deadline.reviewDays', organizationId: 'province', value: 25, effectiveFrom: B },
      { key: 'deadline.reviewDays', organizationId: 'city', value: null, effectiveFrom: B },
    ];
    const on = '2026-11-27';
    expect(ruleInForce('deadline.reviewDays', rows, ['bureau', 'province'], on)).toEqual({ value: 25, source: { kind: 'organization', organizationId: 'province', effectiveFrom: B } });
    // A removed override (null) falls through to the ancestors.
    expect(ruleInForce('deadline.reviewDays', rows, ['city', 'province'], on)).toEqual({ value: 25, source: { kind: 'organization', organizationId: 'province', effectiveFrom: B } });
    expect(ruleInForce('deadline.reviewDays', rows, ['elsewhere'], on)).toEqual({ value: 15, source: { kind: 'central', effectiveFrom: B } });
    expect(ruleInForce('deadline.acceptDays', rows, ['province'], on)).toEqual({ value: 5, source: { kind: 'default' } });
  });

  describe('第三十四条: versions take effect on their date', () => {
    const rows: RuleRow[] = [
      { key: 'acceptance.applicationMonths', organizationId: null, value: 6, effectiveFrom: FROM_THE_BEGINNING },
      { key: 'acceptance.applicationMonths', organizationId: null, value: 4, effectiveFrom: '2027-01-01' },
      { key: 'acceptance.applicationMonths', organizationId: 'province', value: 9, effectiveFrom: '2027-03-01' },
      { key: 'acceptance.applicationMonths', organizationId: 'province', value: null, effectiveFrom: '2027-06-01' },
      // Two versions effective the same day: the later written wins.
      { key: 'acceptance.applicationMonths', organizationId: null, value: 5, effectiveFrom: '2027-09-01' },
      { key: 'acceptance.applicationMonths', organizationId: null, value: 7, effectiveFrom: '2027-09-01' },
    ];
    const at = (on: string, path: string[] = ['province']) => ruleInForce('acceptance.applicationMonths', rows, path, on).value;
    it('第三十四条: the day before a version takes effect, the earlier value; on the effective day itself, the new one', () => {
      expect(at('2026-12-31')).toBe(6);
      expect(at('2027-01-01')).toBe(4);
      expect(at('2027-02-28')).toBe(4);
      expect(at('2027-03-01')).toBe(9);
      expect(at('2027-05-31')).toBe(9);
      // The province's override removed from 06-01: the central value again.
      expect(at('2027-06-01')).toBe(4);
      expect(at('2027-08-31')).toBe(4);
      expect(at('2027-09-01')).toBe(7);
    });
    it('第三十四条: a later version never changes the value in force on an earlier day', () => {
      const more: RuleRow[] = [...rows, { key: 'acceptance.applicationMonths', organizationId: null, value: 3, effectiveFrom: '2028-01-01' }];
      for (const on of ['2026-12-31', '2027-01-01', '2027-03-01', '2027-09-01', '2027-12-31']) {
        expect(ruleInForce('acceptance.applicationMonths', more, ['province'], on)).toEqual(ruleInForce('acceptance.applicationMonths', rows, ['province'], on));
      }
      expect(ruleInForce('acceptance.applicationMonths', more, ['province'], '2028-01-01')).toEqual({ value: 3, source: { kind: 'central', effectiveFrom: '2028-01-01' } });
    });
    it('第三十四条: before any version is in force, the default', () => {
      const future: RuleRow[] = [{ key: 'obligation.remindDays', organizationId: null, value: 10, effectiveFrom: '2030-01-01' }];
      expect(ruleInForce('obligation.remindDays', future, [], '2029-12-31')).toEqual({ value: 30, source: { kind: 'default' } });
      expect(ruleInForce('obligation.remindDays', future, [], '2030-01-01').value).toBe(10);
    });
  });
});
