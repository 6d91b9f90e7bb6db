import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { securityPeriods } from './deadlines.ts';
import { clauseOf, mayRebuild, omEligibility, type SystemFundingFacts } from './eligibility.ts';
import { RULES } from './rules.ts';

const P = securityPeriods((key) => RULES[key].defaultValue);
const TODAY = '2027-06-30';

/** A level-3 system on the extranet, listed, tested and assessed this year: eligible. */
const GOOD: SystemFundingFacts = {
  findings: [], duplicateCollectionHits: 0, inMasterCatalog: true, catalogConfirmationStale: false,
  security: { scheme: 'mlps', level: 3 }, inOperationOn: '2025-01-10',
  lastSecurityTest: { on: '2026-07-01', passed: true }, lastCryptoAssessment: { on: '2026-07-01', passed: true },
  unresolvedMajorHazards: 0, networkType: 'extranet', hasIsolationException: false,
};

const codes = (facts: SystemFundingFacts, today = TODAY) => omEligibility(facts, today, P).reasons.map((r) => r.code);

describe('第二十八条: O&M funding eligibility', () => {
  it('第二十八条: a listed, sharing, tested and assessed system is eligible', () => {
    expect(omEligibility(GOOD, TODAY, P)).toEqual({ eligible: true, reasons: [], warnings: [] });
  });

  it('第二十八条（一） (I-20): a confirmed finding of not sharing or of duplicate collection makes it ineligible', () => {
    const facts: SystemFundingFacts = { ...GOOD, findings: [
      { kind: 'notSharing', confirmedBy: '国务院办公厅', resolved: false, reference: '国办督〔2027〕3号' },
      { kind: 'duplicateCollection', confirmedBy: '国家发展改革委', resolved: false, reference: '发改高技〔2027〕12号' },
    ] };
    const r = omEligibility(facts, TODAY, P);
    expect(r.eligible).toBe(false);
    expect(r.reasons.map((x) => [x.code, x.article, clauseOf(x.code)])).toEqual([
      ['eligibility.not_sharing', '第二十八条', '一'], ['eligibility.duplicate_collection', '第二十八条', '一'],
    ]);
    expect(r.reasons[0]!.message.zh).toBe('（一）经认定未按要求共享数据资源（国办督〔2027〕3号）');
  });

  it('第二十八条（一） (I-20): a similarity hit or an unconfirmed report alone is a warning, never a reason; a resolved finding counts for nothing', () => {
    const r = omEligibility({ ...GOOD, duplicateCollectionHits: 3, findings: [
      { kind: 'duplicateCollection', confirmedBy: null, resolved: false, reference: '线索 17' },
      { kind: 'notSharing', confirmedBy: '国务院办公厅', resolved: true, reference: '国办督〔2026〕9号' },
    ] }, TODAY, P);
    expect(r.eligible).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['eligibility.unconfirmed_finding', 'eligibility.duplicate_collection_suspected']);
    expect(r.warnings.every((w) => clauseOf(w.code) === null)).toBe(true);
  });

  it('第二十八条（二） (I-40): not in the master catalog is ineligible; a stale list confirmation is only a warning', () => {
    expect(codes({ ...GOOD, inMasterCatalog: false })).toEqual(['eligibility.not_in_catalog']);
    const stale = omEligibility({ ...GOOD, catalogConfirmationStale: true }, TODAY, P);
    expect(stale.eligible).toBe(true);
    expect(stale.warnings.map((w) => [w.code, w.article])).toEqual([['eligibility.catalog_confirmation_stale', '第十二条']]);
  });

  it('第二十八条（三）: a failed 密评 or a failed security test makes it ineligible', () => {
    expect(codes({ ...GOOD, lastCryptoAssessment: { on: '2027-03-01', passed: false } })).toEqual(['eligibility.crypto_failed']);
    expect(codes({ ...GOOD, lastSecurityTest: { on: '2027-03-01', passed: false } })).toEqual(['eligibility.security_test_failed']);
  });

  it('第二十八条（三） (I-41): level 3 testing a year after the last: the last day is fine, the next day overdue', () => {
    const facts: SystemFundingFacts = { ...GOOD, lastSecurityTest: { on: '2026-06-30', passed: true }, lastCryptoAssessment: { on: '2026-06-30', passed: true } };
    expect(codes(facts, '2027-06-30')).toEqual([]);
    expect(codes(facts, '2027-07-01')).toEqual(['eligibility.crypto_overdue', 'eligibility.security_test_overdue']);
    expect(omEligibility(facts, '2027-07-01', P).reasons[1]!.params.dueOn).toBe('2027-06-30');
  });

  it('第二十八条（三） (I-41): a system in operation never tested or assessed is overdue from the day after go-live', () => {
    const never: SystemFundingFacts = { ...GOOD, inOperationOn: '2027-06-29', lastSecurityTest: null, lastCryptoAssessment: null };
    expect(codes(never, '2027-06-29')).toEqual([]);
    expect(codes(never, '2027-06-30')).toEqual(['eligibility.crypto_missing', 'eligibility.security_test_overdue']);
    // Not yet in operation: nothing is owed yet.
    expect(codes({ ...never, inOperationOn: null })).toEqual([]);
  });

  it('第二十八条（三） (I-41): levels and schemes set the periods — level 4 every 6 months, level 1 and 2 owe no 密评, level 1 no test', () => {
    const l4: SystemFundingFacts = { ...GOOD, security: { scheme: 'mlps', level: 4 }, lastSecurityTest: { on: '2026-12-30', passed: true } };
    expect(codes(l4, '2027-06-30')).toEqual([]);
    expect(codes(l4, '2027-07-01')).toEqual(['eligibility.security_test_overdue']);
    const l2: SystemFundingFacts = { ...GOOD, security: { scheme: 'mlps', level: 2 }, lastCryptoAssessment: null, lastSecurityTest: { on: '2025-07-01', passed: true } };
    expect(codes(l2, '2027-07-01')).toEqual([]);
    expect(codes(l2, '2027-07-02')).toEqual(['eligibility.security_test_overdue']);
    expect(codes({ ...GOOD, security: { scheme: 'mlps', level: 1 }, lastSecurityTest: null, lastCryptoAssessment: null })).toEqual([]);
    const classified: SystemFundingFacts = { ...GOOD, security: { scheme: 'classified' }, lastCryptoAssessment: null, networkType: 'intranet', lastSecurityTest: { on: '2025-06-30', passed: true } };
    expect(codes(classified, '2027-06-30')).toEqual([]);
    expect(codes(classified, '2027-07-01')).toEqual(['eligibility.security_test_overdue']);
  });

  it('第二十八条（三）: a major unresolved hazard makes it ineligible', () => {
    const r = omEligibility({ ...GOOD, unresolvedMajorHazards: 2 }, TODAY, P);
    expect(r.reasons.map((x) => [x.code, x.params.count])).toEqual([['eligibility.major_hazard', '2']]);
  });

  it('第二十八条 (I-22): 孤网 without an exception decision is ineligible; with one it is not', () => {
    expect(codes({ ...GOOD, networkType: 'isolated' })).toEqual(['eligibility.isolated_without_exception']);
    expect(codes({ ...GOOD, networkType: 'isolated', hasIsolationException: true })).toEqual([]);
    expect(codes({ ...GOOD, hasIsolationException: false, networkType: 'internet' })).toEqual([]);
  });

  it('第二十八条: every reason at once', () => {
    const worst: SystemFundingFacts = {
      ...GOOD, inMasterCatalog: false, networkType: 'isolated', unresolvedMajorHazards: 1,
      findings: [{ kind: 'notSharing', confirmedBy: '国务院办公厅', resolved: false, reference: 'X' }],
      lastSecurityTest: { on: '2027-01-01', passed: false }, lastCryptoAssessment: { on: '2027-01-01', passed: false },
    };
    expect(codes(worst)).toEqual([
      'eligibility.not_sharing', 'eligibility.not_in_catalog', 'eligibility.crypto_failed', 'eligibility.security_test_failed',
      'eligibility.major_hazard', 'eligibility.isolated_without_exception',
    ]);
  });
});

describe('第二十八条: rebuilding and expansion', () => {
  it('第二十八条 (I-21): (一) and (三) block rebuilding; (二) alone does not', () => {
    expect(mayRebuild(GOOD, TODAY, P)).toEqual({ allowed: true, reasons: [] });
    expect(mayRebuild({ ...GOOD, inMasterCatalog: false }, TODAY, P)).toEqual({ allowed: true, reasons: [] });
    const notSharing = mayRebuild({ ...GOOD, findings: [{ kind: 'notSharing', confirmedBy: '国务院办公厅', resolved: false, reference: 'X' }] }, TODAY, P);
    expect(notSharing.allowed).toBe(false);
    expect(mayRebuild({ ...GOOD, unresolvedMajorHazards: 1 }, TODAY, P).allowed).toBe(false);
    expect(mayRebuild({ ...GOOD, lastCryptoAssessment: { on: '2027-01-01', passed: false } }, TODAY, P).allowed).toBe(false);
  });

  it('第二十八条 (I-42): 孤网 without an exception blocks rebuilding too; a similarity hit does not', () => {
    expect(mayRebuild({ ...GOOD, networkType: 'isolated' }, TODAY, P).reasons.map((r) => r.code)).toEqual(['eligibility.isolated_without_exception']);
    expect(mayRebuild({ ...GOOD, duplicateCollectionHits: 5 }, TODAY, P).allowed).toBe(true);
  });

  it('property 第二十八条: eligible exactly when there is no reason; rebuild blocked exactly by the reasons outside (二)', () => {
    const facts = fc.record({
      findings: fc.array(fc.record({
        kind: fc.constantFrom('notSharing' as const, 'duplicateCollection' as const), confirmedBy: fc.option(fc.constant('国务院办公厅'), { nil: null }),
        resolved: fc.boolean(), reference: fc.constant('R'),
      }), { maxLength: 3 }),
      duplicateCollectionHits: fc.nat(3), inMasterCatalog: fc.boolean(), catalogConfirmationStale: fc.boolean(),
      security: fc.constantFrom<SystemFundingFacts['security']>({ scheme: 'mlps', level: 1 }, { scheme: 'mlps', level: 3 }, { scheme: 'mlps', level: 4 }, { scheme: 'classified' }),
      inOperationOn: fc.option(fc.constant('2025-01-10'), { nil: null }),
      lastSecurityTest: fc.option(fc.record({ on: fc.constantFrom('2026-01-01', '2027-06-01'), passed: fc.boolean() }), { nil: null }),
      lastCryptoAssessment: fc.option(fc.record({ on: fc.constantFrom('2026-01-01', '2027-06-01'), passed: fc.boolean() }), { nil: null }),
      unresolvedMajorHazards: fc.nat(2), networkType: fc.constantFrom('extranet' as const, 'isolated' as const), hasIsolationException: fc.boolean(),
    });
    fc.assert(fc.property(facts, (f) => {
      const r = omEligibility(f, TODAY, P);
      expect(r.eligible).toBe(r.reasons.length === 0);
      expect(r.reasons.every((x) => clauseOf(x.code) !== null && x.article === '第二十八条')).toBe(true);
      // Warnings never decide: a system with only warnings is eligible.
      const rb = mayRebuild(f, TODAY, P);
      expect(rb.reasons).toEqual(r.reasons.filter((x) => clauseOf(x.code) !== '二'));
      expect(rb.allowed).toBe(rb.reasons.length === 0);
      if (r.eligible) expect(rb.allowed).toBe(true);
      // Removing the similarity hits changes nothing but the warnings (I-20).
      expect(omEligibility({ ...f, duplicateCollectionHits: 0 }, TODAY, P).reasons).toEqual(r.reasons);
    }));
  });
});
