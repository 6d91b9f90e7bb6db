// 第十四条–第十七条, 第二十八条(三): the problems of one security or resources record, and of a
// hazard's resolution, at their boundaries.
import { describe, expect, it } from 'vitest';
import { DEMO_SECURITY_RECORDS } from './demo-security.ts';
import { normalizeDetails, recordProblems, resolutionProblems, SECURITY_RECORD_KINDS, type SecurityRecordInput } from './security-records.ts';

const TODAY = '2026-11-27';
const base = (over: Partial<SecurityRecordInput>): SecurityRecordInput => ({
  kind: 'securityTest', projectId: null, systemId: 'sys', occurredOn: TODAY, passed: true, reference: null, details: { agency: '测评机构' }, ...over,
});
const codes = (input: SecurityRecordInput) => recordProblems(input, TODAY).map((p) => `${p.path}:${p.code}`);

describe('第十四条: tests, assessments and filings', () => {
  it('第十四条: a test on today is accepted; tomorrow is in the future', () => {
    expect(codes(base({}))).toEqual([]);
    expect(codes(base({ occurredOn: '2026-11-28' }))).toEqual(['occurredOn:security.future_date']);
    expect(codes(base({ occurredOn: '2026-02-30' }))).toEqual(['occurredOn:invalid_value']);
  });
  it('第十四条: a test, a risk assessment and a 密评 need a conclusion and an agency; other kinds take no conclusion', () => {
    for (const kind of ['securityTest', 'riskAssessment', 'cryptoAssessment'] as const) {
      expect(codes(base({ kind, passed: null, details: {} }))).toEqual(['passed:required', 'details.agency:required']);
    }
    expect(codes(base({ kind: 'cloud', passed: false, details: { provider: '国家政务云' } }))).toEqual(['passed:not_applicable']);
  });
  it('第二十八条: filings, tests, 密评 and hazards name the system; others may be project-wide; something is named', () => {
    for (const kind of ['filing', 'securityTest', 'cryptoAssessment', 'hazard'] as const) {
      expect(codes(base({ kind, systemId: null, projectId: 'p' }))).toContain('systemId:security.system_required');
    }
    expect(codes(base({ kind: 'product', systemId: null, projectId: 'p', passed: null, details: { product: 'x', vendor: 'y', category: 'software' } }))).toEqual([]);
    expect(codes(base({ systemId: null, projectId: null }))).toContain('systemId:required');
  });
  it('第十四条: an 等保 filing is 第二级 to 第五级 with a number of the 公安机关\'s form; 分级保护 takes no level', () => {
    const filing = (level: number | null, reference: string | null, scheme: 'mlps' | 'classified' = 'mlps') =>
      codes(base({ kind: 'filing', passed: null, reference, details: { scheme, level } }));
    expect(filing(2, '11000013001')).toEqual([]);
    expect(filing(5, '11000013001-21001')).toEqual([]);
    expect(filing(1, '11000013001')).toEqual(['details.level:security.mlps_level']);
    expect(filing(6, '11000013001')).toEqual(['details.level:security.mlps_level']);
    expect(filing(3, '1100001300')).toEqual(['reference:security.filing_number_format']);
    expect(filing(3, null)).toEqual(['reference:required']);
    expect(filing(null, '分保备字〔2024〕1号', 'classified')).toEqual([]);
    expect(filing(3, '分保备字〔2024〕1号', 'classified')).toEqual(['details.level:not_applicable']);
  });
});

describe('第十五条–第十七条: 密评 score, PUE, cloud', () => {
  it('第十五条: a 密评 score is 0–100 with at most four decimals', () => {
    const score = (s: string) => codes(base({ kind: 'cryptoAssessment', details: { agency: 'x', score: s } }));
    expect(score('0')).toEqual([]);
    expect(score('100')).toEqual([]);
    expect(score('100.0001')).toEqual(['details.score:invalid_value']);
    expect(score('-1')).toEqual(['details.score:invalid_value']);
    expect(score('8e1')).toEqual(['details.score:invalid_value']);
  });
  it('第十六条: PUE is at least 1 (total over IT energy) and is only recorded', () => {
    const pue = (v: string) => codes(base({ kind: 'energy', passed: null, details: { dataCentre: 'x', pue: v } }));
    expect(pue('1')).toEqual([]);
    expect(pue('2.5')).toEqual([]);
    expect(pue('0.99')).toEqual(['details.pue:invalid_value']);
    expect(pue('1.2.3')).toEqual(['details.pue:invalid_value']);
  });
  it('第十七条: cloud use names the 政务云; vCPU is a whole number', () => {
    expect(codes(base({ kind: 'cloud', passed: null, details: { provider: '国家政务云', vcpu: 8, storageTb: '1.5' } }))).toEqual([]);
    expect(codes(base({ kind: 'cloud', passed: null, details: { vcpu: 1.5 } }))).toEqual(['details.provider:required', 'details.vcpu:invalid_value']);
  });
  it('a field of another kind is not applicable; normalizing keeps only the kind\'s own', () => {
    expect(codes(base({ details: { agency: 'x', pue: '1.2' } }))).toEqual(['details.pue:not_applicable']);
    expect(normalizeDetails('energy', { dataCentre: ' 数据中心 ', pue: '1.3', agency: 'x' })).toEqual({ dataCentre: '数据中心', pue: '1.3' });
  });
});

describe('第二十八条(三): resolving a hazard', () => {
  it('第二十八条(三): resolved on the day found or later, not in the future, with what was done', () => {
    expect(resolutionProblems('2026-11-01', '2026-11-01', '已修复', TODAY)).toEqual([]);
    expect(resolutionProblems('2026-11-01', '2026-10-31', '已修复', TODAY).map((p) => p.code)).toEqual(['invalid_value']);
    expect(resolutionProblems('2026-11-01', '2026-11-28', '已修复', TODAY).map((p) => p.code)).toEqual(['security.future_date']);
    expect(resolutionProblems('2026-11-01', TODAY, '  ', TODAY).map((p) => p.code)).toEqual(['required']);
  });
});

describe('demo records', () => {
  it('every demo record is valid and every kind appears', () => {
    for (const r of DEMO_SECURITY_RECORDS) {
      expect(codes({ kind: r.kind, projectId: null, systemId: 's', occurredOn: '2026-01-01', passed: r.passed ?? null, reference: r.reference ?? null, details: r.details })).toEqual([]);
    }
    expect(new Set(DEMO_SECURITY_RECORDS.map((r) => r.kind))).toEqual(new Set(SECURITY_RECORD_KINDS));
  });
});
