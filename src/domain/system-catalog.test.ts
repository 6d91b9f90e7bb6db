import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIELD_MESSAGES } from '../errors.ts';
import { DEMO_ORGS } from './demo-data.ts';
import { DEMO_CATALOG, DEMO_CATALOG_PROJECT } from './demo-catalog.ts';
import { DEMO_CONFIRMATION, DEMO_ISOLATION_EXCEPTION, DEMO_SYSTEMS } from './demo-systems.ts';
import { isDivisionCode } from './identifiers.ts';
import {
  CATALOG_ORG_KINDS, MLPS_FILING_NUMBER_PATTERN, NETWORK_TYPES, PROVINCE_NAMES, SYSTEM_LIMITS, SYSTEM_PROBLEM_CODES, confirmationStatus,
  isIsolatedWithoutException, normalizeSystem, provinceOf, standingException, systemProblems, type GovernmentSystemInput,
} from './system-catalog.ts';

const OWNER = '7f1c6a2e-3b7d-4c1e-9a55-0d2b8e9f1a10';
const P1 = '0b4d2c8e-6a51-4f3b-8e2d-1c9a7b5e3f01';
const P2 = '0b4d2c8e-6a51-4f3b-8e2d-1c9a7b5e3f02';
const R1 = '5e8a1f3c-2d4b-4c6e-9f70-8a1b2c3d4e01';

function system(overrides: Partial<GovernmentSystemInput> | Record<string, unknown> = {}): GovernmentSystemInput {
  return {
    name: '社会保险公共服务平台',
    ownerOrganizationId: OWNER,
    purpose: '面向参保人提供社保查询和待遇资格认证',
    businessArea: '社会保障',
    networkType: 'internet',
    involvesSecrets: false,
    security: { scheme: 'mlps', mlpsLevel: 3, filingNumber: '11000013001-21001' },
    userCount: 120_000_000,
    status: 'operating',
    projects: [{ projectId: P1, relation: 'upgrade' }],
    resources: [{ resourceId: R1, relation: 'holds' }],
    ...overrides,
  } as GovernmentSystemInput;
}
const problems = (overrides: Partial<GovernmentSystemInput> | Record<string, unknown>) => systemProblems(system(overrides));
const security = (scheme: 'mlps' | 'classified', mlpsLevel: number | null, filingNumber: string | null) => ({ scheme, mlpsLevel, filingNumber });

describe('等保备案编号 (11 digits, or 11 digits-5 digits)', () => {
  it('第十二条: accepts the 备案表编号 and the per-system 备案证明 form', () => {
    for (const ok of ['11010843001', '11010843001-20001', '00000000000-00000', '99999999999']) {
      expect(MLPS_FILING_NUMBER_PATTERN.test(ok), ok).toBe(true);
      expect(problems({ security: security('mlps', 3, ok) }), ok).toEqual([]);
    }
  });

  it('第十二条: refuses other lengths, separators, letters, full-width digits and surrounding text', () => {
    for (const bad of [
      '1101084300', '110108430012', '11010843001-2000', '11010843001-200011', '11010843001-', '-20001', '11010843001 20001',
      '11010843001–20001', '11010843001_20001', '1101084300A', '１1010843001', 'No.11010843001', '11010843001-20001-1',
    ]) {
      expect(MLPS_FILING_NUMBER_PATTERN.test(bad), JSON.stringify(bad)).toBe(false);
      expect(problems({ security: security('mlps', 3, bad) }), JSON.stringify(bad)).toEqual([{ path: 'security.filingNumber', code: 'system.filing_number_format' }]);
    }
  });

  it('property: eleven digits with an optional dash and five digits, nothing else', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{11}(-[0-9]{5})?$/), (n) => {
      expect(MLPS_FILING_NUMBER_PATTERN.test(n)).toBe(true);
    }));
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (n) => {
      if (/[^0-9-]/.test(n) || n.length !== 11 && n.length !== 17) expect(MLPS_FILING_NUMBER_PATTERN.test(n)).toBe(false);
    }));
  });

  it('surrounding spaces are trimmed; a blank number is no number', () => {
    expect(MLPS_FILING_NUMBER_PATTERN.test('11010843001-20001\n')).toBe(false);
    expect(problems({ security: security('mlps', 3, ' 11010843001-20001 ') })).toEqual([]);
    expect(problems({ security: security('mlps', 3, '11010843001-20001\n') })).toEqual([]);
    expect(normalizeSystem(system({ security: security('mlps', 3, ' 11010843001-20001 ') })).security.filingNumber).toBe('11010843001-20001');
    expect(normalizeSystem(system({ status: 'under_construction', security: security('mlps', 3, ' \u3000') })).security.filingNumber).toBeNull();
  });
});

describe('systemProblems: 等级保护 vs 分级保护 (第十二条, SPEC §2, §14)', () => {
  it('a complete system has no problems', () => {
    expect(systemProblems(system())).toEqual([]);
    expect(problems({ involvesSecrets: true, networkType: 'intranet', security: security('classified', null, null) })).toEqual([]);
    expect(problems({ projects: [], resources: [] })).toEqual([]);
  });

  it('第十二条: a 涉密 system is under 分级保护 and any other under 等级保护, like projects', () => {
    expect(problems({ involvesSecrets: true, networkType: 'intranet' })).toEqual([{ path: 'security.scheme', code: 'system.protection_scheme' }]);
    expect(problems({ security: security('classified', null, null) })).toEqual([{ path: 'security.scheme', code: 'system.protection_scheme' }]);
  });

  it('第十二条: 等级保护 needs a level 1–5; 分级保护 has none', () => {
    expect(problems({ security: security('mlps', null, null), status: 'under_construction' })).toEqual([{ path: 'security.mlpsLevel', code: 'system.mlps_level' }]);
    expect(problems({ involvesSecrets: true, networkType: 'intranet', security: security('classified', 3, null) }))
      .toEqual([{ path: 'security.mlpsLevel', code: 'system.mlps_level' }]);
    for (const level of [1, 2, 3, 4, 5]) expect(problems({ security: security('mlps', level, level === 1 ? null : '11010843001-20001') }), String(level)).toEqual([]);
    for (const level of [0, 6, -1, 2.5]) expect(problems({ security: security('mlps', level, null) }), String(level)).toEqual([{ path: 'security.mlpsLevel', code: 'invalid_value' }]);
    expect(problems({ security: { scheme: 'mlps', mlpsLevel: '3', filingNumber: null } })).toEqual([{ path: 'security.mlpsLevel', code: 'invalid_type' }]);
    expect(problems({ security: { scheme: 'gm', mlpsLevel: 3, filingNumber: null } })).toEqual([{ path: 'security.scheme', code: 'invalid_value' }]);
  });

  it('第十二条: a 第二级 or higher system in operation has its 备案编号; under construction or retired it may not yet', () => {
    for (const level of [2, 3, 4, 5]) {
      expect(problems({ security: security('mlps', level, null) }), String(level)).toEqual([{ path: 'security.filingNumber', code: 'system.filing_number_required' }]);
      expect(problems({ security: security('mlps', level, null), status: 'under_construction' }), String(level)).toEqual([]);
      expect(problems({ security: security('mlps', level, null), status: 'retired' }), String(level)).toEqual([]);
    }
    expect(problems({ security: security('mlps', 1, null) })).toEqual([]);
  });

  it('第十二条: a 第一级 or 分级保护 system carries no 等保备案编号', () => {
    expect(problems({ security: security('mlps', 1, '11010843001-20001') })).toEqual([{ path: 'security.filingNumber', code: 'system.filing_number_not_applicable' }]);
    expect(problems({ involvesSecrets: true, networkType: 'isolated', security: security('classified', null, '11010843001-20001') }))
      .toEqual([{ path: 'security.filingNumber', code: 'system.filing_number_not_applicable' }]);
  });

  it('第十二条: a 涉密 system is only on the 电子政务内网 or an isolated network', () => {
    for (const networkType of NETWORK_TYPES) {
      const found = problems({ involvesSecrets: true, networkType, security: security('classified', null, null) });
      expect(found, networkType).toEqual(networkType === 'internet' || networkType === 'extranet' ? [{ path: 'networkType', code: 'system.secret_network' }] : []);
    }
  });
});

describe('systemProblems: fields and links', () => {
  it('every problem at once, in field order, even on values of the wrong type', () => {
    expect(systemProblems({
      name: ' ', ownerOrganizationId: '', purpose: 7, businessArea: 'x'.repeat(SYSTEM_LIMITS.businessArea + 1), networkType: 'lan',
      status: null, involvesSecrets: 'no', security: null, userCount: '10',
      projects: [{ projectId: P1, relation: 'new' }, { projectId: P1, relation: 'new' }, { relation: 'rebuild' }],
      resources: [{ resourceId: R1, relation: 'holds' }, { resourceId: R1, relation: 'holds' }, { resourceId: R1, relation: 'collects' }, {}],
    } as unknown as GovernmentSystemInput)).toEqual([
      { path: 'name', code: 'required' },
      { path: 'ownerOrganizationId', code: 'required' },
      { path: 'purpose', code: 'invalid_type' },
      { path: 'businessArea', code: 'too_big' },
      { path: 'networkType', code: 'invalid_value' },
      { path: 'status', code: 'required' },
      { path: 'involvesSecrets', code: 'invalid_type' },
      { path: 'security.scheme', code: 'required' },
      { path: 'userCount', code: 'invalid_type' },
      { path: 'projects.1.projectId', code: 'system.duplicate_project' },
      { path: 'projects.1.relation', code: 'system.several_new_projects' },
      { path: 'projects.2.projectId', code: 'required' },
      { path: 'projects.2.relation', code: 'invalid_value' },
      { path: 'resources.1.resourceId', code: 'system.duplicate_resource' },
      { path: 'resources.3.resourceId', code: 'required' },
      { path: 'resources.3.relation', code: 'required' },
    ]);
  });

  it('用户规模: a whole number from 0', () => {
    expect(problems({ userCount: 0 })).toEqual([]);
    expect(problems({ userCount: SYSTEM_LIMITS.userCount })).toEqual([]);
    expect(problems({ userCount: -1 })).toEqual([{ path: 'userCount', code: 'too_small' }]);
    expect(problems({ userCount: SYSTEM_LIMITS.userCount + 1 })).toEqual([{ path: 'userCount', code: 'too_big' }]);
    expect(problems({ userCount: 1.5 })).toEqual([{ path: 'userCount', code: 'invalid_type' }]);
    expect(problems({ userCount: null })).toEqual([{ path: 'userCount', code: 'required' }]);
  });

  it('a project links once, and at most one built the system; a resource may be both held and collected', () => {
    expect(problems({ projects: [{ projectId: P1, relation: 'new' }, { projectId: P2, relation: 'upgrade' }] })).toEqual([]);
    expect(problems({ projects: [{ projectId: P1, relation: 'new' }, { projectId: P2, relation: 'new' }] }))
      .toEqual([{ path: 'projects.1.relation', code: 'system.several_new_projects' }]);
    expect(problems({ resources: [{ resourceId: R1, relation: 'holds' }, { resourceId: R1, relation: 'collects' }] })).toEqual([]);
    expect(problems({ projects: 'all' })).toEqual([{ path: 'projects', code: 'invalid_type' }]);
    expect(problems({ projects: Array.from({ length: SYSTEM_LIMITS.projects + 1 }, () => ({ projectId: P1, relation: 'upgrade' })) }))
      .toEqual([{ path: 'projects', code: 'too_big' }]);
  });

  it('every problem code has a zh-CN and en-US field message', () => {
    for (const code of [...SYSTEM_PROBLEM_CODES, 'system.owner_not_government', 'unknown_reference', 'not_in_future']) {
      const m = (FIELD_MESSAGES as Record<string, { zh: string; en: string }>)[code];
      expect(m?.zh, code).toBeTruthy();
      expect(m?.en, code).toBeTruthy();
    }
  });

  it('normalizeSystem trims text and keeps the links', () => {
    expect(normalizeSystem(system({ name: ' 平台 ', purpose: ' 目的 ', businessArea: ' 领域 ' }))).toMatchObject({
      name: '平台', purpose: '目的', businessArea: '领域', projects: [{ projectId: P1, relation: 'upgrade' }], resources: [{ resourceId: R1, relation: 'holds' }],
    });
  });
});

describe('孤网 (第二十八条: 联网为原则, 孤网为例外)', () => {
  it('第二十八条: a 孤网 system without an exception decision is flagged; with one, or on any other network, it is not', () => {
    expect(isIsolatedWithoutException('isolated', false)).toBe(true);
    expect(isIsolatedWithoutException('isolated', true)).toBe(false);
    for (const n of NETWORK_TYPES.filter((n) => n !== 'isolated')) expect(isIsolatedWithoutException(n, false), n).toBe(false);
  });

  it('第二十八条: the standing exception is the latest decision when it is a grant; a revocation ends it', () => {
    expect(standingException([])).toBeNull();
    expect(standingException([{ decision: 'grant', id: 'a' }])).toEqual({ decision: 'grant', id: 'a' });
    expect(standingException([{ decision: 'grant', id: 'a' }, { decision: 'revoke', id: 'b' }])).toBeNull();
    expect(standingException([{ decision: 'grant', id: 'a' }, { decision: 'revoke', id: 'b' }, { decision: 'grant', id: 'c' }])).toEqual({ decision: 'grant', id: 'c' });
  });
});

describe('确认目录 (第十二条: 及时更新)', () => {
  // 2025-01-01 00:30 in Shanghai is still 2024-12-31 in UTC.
  const confirmed = new Date('2024-12-31T16:30:00Z');
  it('第十二条: a list never confirmed is stale', () => {
    expect(confirmationStatus(null, new Date(), 365)).toEqual({ dueOn: null, stale: true });
  });

  it('第十二条: confirmed on D (Shanghai) with a period of N days, the list is current through D + N and stale the day after', () => {
    expect(confirmationStatus(confirmed, new Date('2026-01-01T15:59:59Z'), 365)).toEqual({ dueOn: '2026-01-01', stale: false });
    expect(confirmationStatus(confirmed, new Date('2026-01-01T16:00:00Z'), 365)).toEqual({ dueOn: '2026-01-01', stale: true });
    expect(confirmationStatus(confirmed, confirmed, 1)).toEqual({ dueOn: '2025-01-02', stale: false });
    // Across a leap day.
    expect(confirmationStatus(new Date('2028-02-28T04:00:00Z'), new Date('2028-03-01T04:00:00Z'), 1).stale).toBe(true);
  });
});

describe('行政区划 → province (SPEC §14, GB/T 2260)', () => {
  it('第十二条: the first two digits name the province; no code (central organs) or 100000 is 中央本级', () => {
    expect(provinceOf('320100')).toEqual({ code: '32', name: { zh: '江苏省', en: 'Jiangsu' } });
    expect(provinceOf('510107').code).toBe('51');
    expect(provinceOf('110108').name.zh).toBe('北京市');
    expect(provinceOf(null)).toEqual({ code: '00', name: { zh: '中央本级', en: 'Central' } });
    expect(provinceOf('100000').code).toBe('00');
    expect(provinceOf('990000').code).toBe('00'); // not a GB/T 2260 code
  });

  it('every province-level prefix of GB/T 2260 has a name', () => {
    expect(Object.keys(PROVINCE_NAMES)).toHaveLength(34);
    for (const prefix of Object.keys(PROVINCE_NAMES)) expect(isDivisionCode(`${prefix}0000`), prefix).toBe(true);
    for (let p = 11; p <= 99; p++) {
      if (!Object.hasOwn(PROVINCE_NAMES, String(p))) expect(isDivisionCode(`${p}0000`), String(p)).toBe(false);
    }
  });
});

describe('demo systems (src/domain/demo-systems.ts)', () => {
  const orgs = new Map(DEMO_ORGS.map((o) => [o.key, o]));
  const input = (s: (typeof DEMO_SYSTEMS)[number]): GovernmentSystemInput => ({
    ...s, ownerOrganizationId: s.ownerKey,
    projects: s.projects.map((p, i) => ({ projectId: `${p.projectName}#${i}`, relation: p.relation })),
    resources: s.resources.map((r) => ({ resourceId: r.resourceCode, relation: r.relation })),
  });

  it('a dozen or more valid systems of government organizations, unique by name within each', () => {
    expect(DEMO_SYSTEMS.length).toBeGreaterThanOrEqual(12);
    for (const s of DEMO_SYSTEMS) {
      expect(systemProblems(input(s)), s.name).toEqual([]);
      expect(CATALOG_ORG_KINDS, s.name).toContain(orgs.get(s.ownerKey)?.kind);
    }
    expect(new Set(DEMO_SYSTEMS.map((s) => `${s.ownerKey}/${s.name}`)).size).toBe(DEMO_SYSTEMS.length);
  });

  it('第二十八条: two 孤网 systems, one of them with the exception, and the other flagged', () => {
    const isolated = DEMO_SYSTEMS.filter((s) => s.networkType === 'isolated').map((s) => s.name);
    expect(isolated).toHaveLength(2);
    expect(isolated).toContain(DEMO_ISOLATION_EXCEPTION.systemName);
    expect(DEMO_ISOLATION_EXCEPTION.approvedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('links only the demo catalog project\'s resources, and a confirmation by a demo organization', () => {
    const codes = new Set(DEMO_CATALOG.map((r) => r.code));
    for (const s of DEMO_SYSTEMS) for (const r of s.resources) expect(codes, `${s.name} ${r.resourceCode}`).toContain(r.resourceCode);
    expect(DEMO_SYSTEMS.some((s) => s.projects.some((p) => p.projectName === DEMO_CATALOG_PROJECT))).toBe(true);
    expect(orgs.has(DEMO_CONFIRMATION.orgKey)).toBe(true);
  });
});
