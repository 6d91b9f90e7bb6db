import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PERMISSIONS, PERMISSION_CODES, ROLES, ROLE_CODES, isEmptyScope, permissionsOf, requiresTotp, resolveAccess, scopeContains,
  type Principal, type RoleAssignment, type RoleCode,
} from './authz.ts';

const principal = (roles: RoleCode[], orgs: string[] = ['org-a'], custom: string[] = []): Principal => ({
  userId: 'u1',
  organizationIds: orgs,
  roles: roles.map((role) => ({ role, customOrganizationIds: custom })),
});

describe('roles and permissions (SPEC §1)', () => {
  it('every grant names a known permission and a known scope', () => {
    for (const role of ROLE_CODES) {
      for (const [permission, scope] of Object.entries(ROLES[role].grants)) {
        expect(PERMISSION_CODES).toContain(permission);
        expect(['all', 'custom', 'own', 'subtree', 'self']).toContain(scope);
      }
    }
  });

  it('三员分立: the three administrator duties are distinct roles and none may decide a project', () => {
    const duties = ROLE_CODES.map((r) => ROLES[r].duty).filter((d) => d !== 'business');
    expect(duties.sort()).toEqual(['audit_admin', 'security_admin', 'system_admin']);
    const decisions = PERMISSION_CODES.filter((p) => (PERMISSIONS[p] as { decision?: true }).decision);
    expect(decisions.length).toBeGreaterThan(0);
    for (const admin of ['admin', 'security_admin', 'audit_admin'] as const) {
      for (const d of decisions) expect(resolveAccess(principal([admin]), d).allowed).toBe(false);
    }
    // Not even all three together.
    for (const d of decisions) expect(resolveAccess(principal(['admin', 'security_admin', 'audit_admin']), d).allowed).toBe(false);
  });

  it('第三十一条: the auditor reads everything and changes nothing', () => {
    for (const [permission, scope] of Object.entries(ROLES.auditor.grants)) {
      expect(permission).toMatch(/:(read|export|verify)$/);
      expect(scope).toBe('all');
    }
    expect(resolveAccess(principal(['auditor']), 'audit:verify').allowed).toBe(true);
  });

  it('decision makers and administrators need a second factor; preparers do not', () => {
    expect(requiresTotp(['approver'])).toBe(true);
    expect(requiresTotp(['unit_lead'])).toBe(true);
    expect(requiresTotp(['admin'])).toBe(true);
    expect(requiresTotp(['preparer'])).toBe(false);
    expect(requiresTotp(['preparer', 'security_admin'])).toBe(true);
    expect(requiresTotp([])).toBe(false);
  });
});

describe('resolveAccess: data scope per action', () => {
  it('resolves each of the five scope kinds', () => {
    expect(resolveAccess(principal(['ndrc']), 'project:read')).toEqual({
      allowed: true, scope: { all: true, organizationIds: [], subtreeRootIds: [], selfUserId: null },
    });
    expect(resolveAccess(principal(['preparer'], ['o2', 'o1']), 'project:update')).toEqual({
      allowed: true, scope: { all: false, organizationIds: ['o1', 'o2'], subtreeRootIds: [], selfUserId: null },
    });
    expect(resolveAccess(principal(['unit_lead'], ['o1']), 'project:sign')).toEqual({
      allowed: true, scope: { all: false, organizationIds: [], subtreeRootIds: ['o1'], selfUserId: null },
    });
    expect(resolveAccess(principal(['reviewer'], ['ndrc'], ['m1', 'm2']), 'project:review')).toEqual({
      allowed: true, scope: { all: false, organizationIds: ['m1', 'm2'], subtreeRootIds: [], selfUserId: null },
    });
  });

  it('a permission no role grants is denied', () => {
    expect(resolveAccess(principal(['preparer']), 'project:decide')).toEqual({ allowed: false });
    expect(resolveAccess(principal([]), 'system:org:read')).toEqual({ allowed: false });
  });

  it('several roles: a role that reads everything does not widen what another role may write', () => {
    const p = principal(['preparer', 'auditor'], ['o1']);
    expect(resolveAccess(p, 'project:read')).toMatchObject({ allowed: true, scope: { all: true } });
    expect(resolveAccess(p, 'project:update')).toEqual({
      allowed: true, scope: { all: false, organizationIds: ['o1'], subtreeRootIds: [], selfUserId: null },
    });
  });

  it('a user with no organization gets an empty scope, not an unfiltered one', () => {
    const access = resolveAccess(principal(['preparer'], []), 'project:read');
    expect(access.allowed).toBe(true);
    expect(access.allowed && isEmptyScope(access.scope)).toBe(true);
  });

  it('property: the scope of an action is exactly the union over the roles that grant it', () => {
    const roleArb = fc.constantFrom(...ROLE_CODES);
    fc.assert(
      fc.property(fc.uniqueArray(roleArb, { maxLength: 5 }), fc.constantFrom(...PERMISSION_CODES),
        fc.uniqueArray(fc.constantFrom('o1', 'o2', 'o3'), { maxLength: 3 }), (roles, permission, orgs) => {
          const p = principal(roles, orgs, ['c1']);
          const granting = roles.filter((r) => ROLES[r].grants[permission] !== undefined);
          const access = resolveAccess(p, permission);
          expect(access.allowed).toBe(granting.length > 0);
          if (!access.allowed) return;
          const kinds = new Set(granting.map((r) => ROLES[r].grants[permission]));
          expect(access.scope.all).toBe(kinds.has('all'));
          if (access.scope.all) return;
          const expectedOrgs = new Set([...(kinds.has('own') ? orgs : []), ...(kinds.has('custom') ? ['c1'] : [])]);
          expect(new Set(access.scope.organizationIds)).toEqual(expectedOrgs);
          expect(new Set(access.scope.subtreeRootIds)).toEqual(new Set(kinds.has('subtree') ? orgs : []));
          expect(access.scope.selfUserId).toBe(kinds.has('self') ? 'u1' : null);
        }),
    );
  });

  it('permissionsOf lists what any role holds, in catalog order', () => {
    const roles: RoleAssignment[] = [{ role: 'audit_admin', customOrganizationIds: [] }];
    expect(permissionsOf(roles)).toEqual(PERMISSION_CODES.filter((p) => p in ROLES.audit_admin.grants));
    expect(permissionsOf([])).toEqual([]);
  });
});

describe('scopeContains', () => {
  const none = { all: false, organizationIds: [], subtreeRootIds: [], selfUserId: null };
  it('matches own organizations, subtrees through every ancestor, and the owner', () => {
    expect(scopeContains({ ...none, all: true }, { organizationId: null, ancestorIds: [], ownerUserId: null })).toBe(true);
    expect(scopeContains({ ...none, organizationIds: ['a'] }, { organizationId: 'a', ancestorIds: [], ownerUserId: null })).toBe(true);
    expect(scopeContains({ ...none, organizationIds: ['a'] }, { organizationId: 'b', ancestorIds: ['a'], ownerUserId: null })).toBe(false);
    expect(scopeContains({ ...none, subtreeRootIds: ['a'] }, { organizationId: 'a', ancestorIds: [], ownerUserId: null })).toBe(true);
    expect(scopeContains({ ...none, subtreeRootIds: ['a'] }, { organizationId: 'c', ancestorIds: ['b', 'a'], ownerUserId: null })).toBe(true);
    expect(scopeContains({ ...none, subtreeRootIds: ['c'] }, { organizationId: 'a', ancestorIds: [], ownerUserId: null })).toBe(false);
    expect(scopeContains({ ...none, selfUserId: 'u' }, { organizationId: 'x', ancestorIds: [], ownerUserId: 'u' })).toBe(true);
    expect(scopeContains({ ...none, selfUserId: 'u' }, { organizationId: 'x', ancestorIds: [], ownerUserId: 'v' })).toBe(false);
    expect(scopeContains(none, { organizationId: null, ancestorIds: [], ownerUserId: null })).toBe(false);
  });
});
