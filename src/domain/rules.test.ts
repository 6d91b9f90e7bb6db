import { describe, expect, it } from 'vitest';
import { normalizeRuleValue, RULE_KEYS, RULES, ruleInForce, type RuleRow } from './rules.ts';

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

  it('第十二条: departments confirm their system list every catalog.confirmationDays, 365 by default', () => {
    expect(RULES['catalog.confirmationDays']).toMatchObject({ article: '第十二条', unit: 'days', defaultValue: 365 });
  });

  it('第三十四条: the nearest organization’s own value wins, then the central value, then the default', () => {
    const rows: RuleRow[] = [
      { key: 'deadline.reviewDays', organizationId: null, value: 15 },
      { key: 'deadline.reviewDays', organizationId: 'province', value: 25 },
      { key: 'deadline.reviewDays', organizationId: 'city', value: null },
    ];
    expect(ruleInForce('deadline.reviewDays', rows, ['bureau', 'province'])).toEqual({ value: 25, source: { kind: 'organization', organizationId: 'province' } });
    // A removed override (null) falls through to the ancestors.
    expect(ruleInForce('deadline.reviewDays', rows, ['city', 'province'])).toEqual({ value: 25, source: { kind: 'organization', organizationId: 'province' } });
    expect(ruleInForce('deadline.reviewDays', rows, ['elsewhere'])).toEqual({ value: 15, source: { kind: 'central' } });
    expect(ruleInForce('deadline.acceptDays', rows, ['province'])).toEqual({ value: 5, source: { kind: 'default' } });
  });
});
