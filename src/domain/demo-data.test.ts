import { describe, expect, it } from 'vitest';
import { ROLE_CODES, ROLES, requiresTotp } from './authz.ts';
import { DEMO_ORGS, DEMO_USERS } from './demo-data.ts';
import { divisionLevel, isDivisionCode, validateUniformSocialCreditCode } from './identifiers.ts';
import { ORG_KINDS, type OrgKind } from './organization.ts';

const CENTRAL_KINDS: readonly OrgKind[] = ['state_council_office', 'ndrc', 'mof', 'cac', 'audit_office', 'ministry'];
const FIRM_KINDS: readonly OrgKind[] = ['assessor', 'supervisor', 'evaluator'];
const orgByKey = new Map(DEMO_ORGS.map((o) => [o.key, o]));

describe('demo organizations', () => {
  it('have unique keys, names and credit codes', () => {
    expect(new Set(DEMO_ORGS.map((o) => o.key)).size).toBe(DEMO_ORGS.length);
    expect(new Set(DEMO_ORGS.map((o) => o.name)).size).toBe(DEMO_ORGS.length);
    expect(new Set(DEMO_ORGS.map((o) => o.creditCode)).size).toBe(DEMO_ORGS.length);
  });

  it.each(DEMO_ORGS.map((o) => [o.name, o.creditCode] as const))('%s has a valid 统一社会信用代码 %s', (_, code) => {
    expect(validateUniformSocialCreditCode(code)).toEqual({ ok: true });
  });

  it('central organs carry division 100000 in their code and have no division of their own', () => {
    for (const o of DEMO_ORGS.filter((o) => o.divisionCode === null)) {
      expect(o.creditCode.slice(2, 8), o.name).toBe('100000');
    }
  });

  it('credit codes use 登记管理部门 1 (机构编制) for organs and 9 (市场监管) for firms', () => {
    for (const o of DEMO_ORGS) {
      expect(o.creditCode[0], o.name).toBe(FIRM_KINDS.includes(o.kind) ? '9' : '1');
    }
  });

  it('local organizations have a valid division code matching their credit code and level', () => {
    const expectedLevel: Partial<Record<OrgKind, string>> = { province: 'province', city: 'city', county: 'county' };
    for (const o of DEMO_ORGS.filter((o) => o.divisionCode !== null)) {
      const division = o.divisionCode!;
      expect(isDivisionCode(division), o.name).toBe(true);
      const level = expectedLevel[o.kind];
      if (level) {
        expect(divisionLevel(division), o.name).toBe(level);
        expect(o.creditCode.slice(2, 8), o.name).toBe(division);
      }
    }
  });

  it('central organs and ministries have no division code', () => {
    for (const o of DEMO_ORGS.filter((o) => CENTRAL_KINDS.includes(o.kind))) {
      expect(o.divisionCode, o.name).toBeNull();
    }
  });

  it('parents exist and the parent links form a forest (no cycles)', () => {
    for (const o of DEMO_ORGS) {
      if (o.parentKey !== null) expect(orgByKey.has(o.parentKey), `${o.key} → ${o.parentKey}`).toBe(true);
      const seen = new Set<string>();
      for (let k: string | null = o.key; k !== null; k = orgByKey.get(k)!.parentKey) {
        expect(seen.has(k), `cycle through ${k}`).toBe(false);
        seen.add(k);
      }
    }
  });

  it('a local child lies within its parent division', () => {
    for (const o of DEMO_ORGS) {
      const parent = o.parentKey === null ? undefined : orgByKey.get(o.parentKey);
      if (!parent || parent.divisionCode === null || o.divisionCode === null) continue;
      const significant = parent.divisionCode.replace(/(00)+$/, '');
      expect(o.divisionCode.startsWith(significant), `${o.name} under ${parent.name}`).toBe(true);
    }
  });

  it('covers every organization kind', () => {
    const kinds = new Set(DEMO_ORGS.map((o) => o.kind));
    for (const k of ORG_KINDS) expect(kinds.has(k), k).toBe(true);
  });
});

describe('demo users', () => {
  it('have unique usernames', () => {
    expect(new Set(DEMO_USERS.map((u) => u.username)).size).toBe(DEMO_USERS.length);
  });

  it('belong to existing organizations', () => {
    for (const u of DEMO_USERS) {
      expect(u.orgKeys.length, u.username).toBeGreaterThan(0);
      for (const k of u.orgKeys) expect(orgByKey.has(k), `${u.username} → ${k}`).toBe(true);
    }
  });

  it('cover each role at least once', () => {
    const roles = new Set(DEMO_USERS.flatMap((u) => u.roles));
    for (const r of ROLE_CODES) expect(roles.has(r), r).toBe(true);
  });

  it('enrol TOTP exactly for decision makers and the three admins (the roles that require it)', () => {
    for (const u of DEMO_USERS) expect(u.totp, u.username).toBe(requiresTotp(u.roles));
    const withTotp = DEMO_USERS.filter((u) => u.totp).map((u) => u.username).sort();
    expect(withTotp).toEqual(
      ['admin', 'approver', 'auditadmin', 'cac', 'gooffice', 'mof', 'ndrc', 'secadmin', 'unitlead'],
    );
  });

  it('keep the three admin duties (三员分立) on separate accounts with no project role', () => {
    for (const u of DEMO_USERS.filter((u) => u.roles.some((r) => ROLES[r].duty !== 'business'))) {
      expect(u.roles, u.username).toHaveLength(1);
    }
  });

  it('have fictitious, unique 1390000xxxx phone numbers', () => {
    for (const u of DEMO_USERS) expect(u.phone, u.username).toMatch(/^1390000\d{4}$/);
    expect(new Set(DEMO_USERS.map((u) => u.phone)).size).toBe(DEMO_USERS.length);
  });

  it('put preparer and unit lead in the same construction unit, reviewer and approver in the same bureau', () => {
    const org = (name: string) => DEMO_USERS.find((u) => u.username === name)!.orgKeys[0];
    expect(org('preparer')).toBe(org('unitlead'));
    expect(orgByKey.get(org('preparer')!)!.kind).toBe('construction_unit');
    expect(org('reviewer')).toBe(org('approver'));
    expect(orgByKey.get(org('reviewer')!)!.kind).toBe('bureau');
  });
});
