// The scope oracle of the fuzzer: what each caller may see, computed here from the organization
// tree, the users' organizations and role assignments and the grant table of SPEC §1
// (`ROLES` in src/domain/authz.ts, data only): none of the platform's scope code
// (resolveAccess, scopePredicate, visible…) is called, so a mistake there shows up as a leak.
//
// Semantics (docs/architecture.md, Authorization): a permission's scope is the union of the
// scopes of the caller's roles that grant it — all; custom (the organizations listed on that
// role assignment); own (the user's organizations); subtree (those and every descendant).
import { sql } from 'kysely';
import { ROLES, type Permission, type RoleCode } from '../../src/domain/authz.ts';
import type { Executor } from '../../src/db/database.ts';

/** The scoped kinds of object, the table holding them and the permission that reads them. */
export const SCOPED_KINDS = {
  project: { table: 'projects', permission: 'project:read' },
  organization: { table: 'organizations', permission: 'system:org:read' },
  system: { table: 'government_systems', permission: 'catalog:read' },
  framework: { table: 'framework_plans', permission: 'project:read' },
  plan: { table: 'plans', permission: 'plan:read' },
} as const satisfies Record<string, { table: string; permission: Permission }>;

export type ScopedKind = keyof typeof SCOPED_KINDS;

export const KIND_OF_TABLE = new Map<string, ScopedKind>(
  Object.entries(SCOPED_KINDS).map(([k, v]) => [v.table, k as ScopedKind]),
);

interface UserFacts {
  orgIds: string[];
  roles: Array<{ role: string; custom: string[] }>;
}

interface Scope {
  all: boolean;
  orgs: ReadonlySet<string>;
}

export class ScopeOracle {
  private children = new Map<string, string[]>();
  private users = new Map<string, UserFacts>();
  private projects = new Map<string, { unit: string; dept: string; others: string[] }>();
  private systems = new Map<string, string>();
  private frameworks = new Map<string, string[]>();
  private plans = new Map<string, string>();
  private projectSystems = new Set<string>();
  /** Projects and systems the open-data portal may publish: neither 涉密 nor built by a 涉密 project (I-63). */
  private publicIds = new Set<string>();
  private cache = new Map<string, Scope>();
  /** Every id of a scoped kind, to recognise ids in responses. */
  readonly kindOfId = new Map<string, ScopedKind>();

  async load(db: Executor): Promise<void> {
    this.cache.clear();
    this.kindOfId.clear();
    this.children.clear();
    for (const o of (await sql<{ id: string; parent_id: string | null }>`select id, parent_id from organizations`.execute(db)).rows) {
      this.kindOfId.set(o.id, 'organization');
      if (o.parent_id) this.children.set(o.parent_id, [...(this.children.get(o.parent_id) ?? []), o.id]);
    }
    this.users.clear();
    const users = await sql<{ id: string; orgs: string[] | null; roles: Array<{ role: string; custom: string[] | null }> | null }>`
      select u.id,
        (select array_agg(organization_id::text) from user_organizations where user_id = u.id) as orgs,
        (select json_agg(json_build_object('role', role_code, 'custom', custom_organization_ids)) from user_roles where user_id = u.id) as roles
      from users u`.execute(db);
    for (const u of users.rows) {
      this.users.set(u.id, { orgIds: u.orgs ?? [], roles: (u.roles ?? []).map((r) => ({ role: r.role, custom: r.custom ?? [] })) });
    }
    // A project's organizations: its construction unit, its approval department, its
    // participating departments and every 咨询评估单位 it was entrusted to (第七条).
    this.projects.clear();
    const projects = await sql<{ id: string; unit: string; dept: string; others: string[] | null }>`
      select p.id, p.construction_unit_id as unit, p.approval_department_id as dept,
        array(select organization_id::text from project_participants where project_id = p.id
              union select organization_id::text from project_assignments where project_id = p.id and kind = 'assessor' and organization_id is not null) as others
      from projects p`.execute(db);
    for (const p of projects.rows) {
      this.projects.set(p.id, { unit: p.unit, dept: p.dept, others: p.others ?? [] });
      this.kindOfId.set(p.id, 'project');
    }
    this.systems.clear();
    for (const s of (await sql<{ id: string; owner: string }>`select id, owner_organization_id as owner from government_systems`.execute(db)).rows) {
      this.systems.set(s.id, s.owner);
      this.kindOfId.set(s.id, 'system');
    }
    this.frameworks.clear();
    for (const f of (await sql<{ id: string; orgs: string[] }>`
      select f.id, array(select organization_id::text from framework_participants where framework_id = f.id) as orgs from framework_plans f`.execute(db)).rows) {
      this.frameworks.set(f.id, f.orgs);
      this.kindOfId.set(f.id, 'framework');
    }
    this.projectSystems = new Set((await sql<{ k: string }>`select system_id::text || ' ' || project_id::text as k
      from government_system_projects`.execute(db)).rows.map((r) => r.k));
    this.publicIds = new Set((await sql<{ id: string }>`
      select id::text from projects where not involves_secrets
      union all
      select s.id::text from government_systems s where not s.involves_secrets and not exists (
        select 1 from government_system_projects gp join projects p on p.id = gp.project_id where gp.system_id = s.id and p.involves_secrets)`.execute(db)).rows.map((r) => r.id));
    this.plans.clear();
    for (const p of (await sql<{ id: string; org: string }>`select id, organization_id as org from plans`.execute(db)).rows) {
      this.plans.set(p.id, p.org);
      this.kindOfId.set(p.id, 'plan');
    }
  }

  private subtree(roots: readonly string[], into: Set<string>) {
    const stack = [...roots];
    while (stack.length) {
      const id = stack.pop()!;
      if (into.has(id)) continue;
      into.add(id);
      stack.push(...(this.children.get(id) ?? []));
    }
  }

  /** The organizations `userId` reaches with `permission` (null when no role grants it). */
  scope(userId: string | null, permission: Permission): Scope | null {
    if (!userId) return null;
    const key = `${userId} ${permission}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    const user = this.users.get(userId);
    let granted = false;
    let all = false;
    const orgs = new Set<string>();
    for (const assignment of user?.roles ?? []) {
      const kind = ROLES[assignment.role as RoleCode]?.grants[permission];
      if (kind === undefined) continue;
      granted = true;
      if (kind === 'all') all = true;
      else if (kind === 'custom') for (const id of assignment.custom) orgs.add(id);
      else if (kind === 'own') for (const id of user!.orgIds) orgs.add(id);
      else if (kind === 'subtree') this.subtree(user!.orgIds, orgs);
      // 'self' reaches the caller's own records only; no role holds it for a scoped kind.
    }
    const scope = granted ? { all, orgs } : null;
    this.cache.set(key, scope!);
    return scope;
  }

  /** Whether the system is recorded as built or upgraded by the project. */
  /** Whether the open-data portal may name this project or system to anyone (I-63). */
  isPublic(kind: ScopedKind, id: string): boolean {
    return (kind === 'project' || kind === 'system') && this.publicIds.has(id);
  }

  systemOfProject(systemId: string, projectId: string): boolean {
    return this.projectSystems.has(`${systemId} ${projectId}`);
  }

  /** Whether `userId` may see object `id` of `kind`. */
  visible(userId: string | null, kind: ScopedKind, id: string): boolean {
    const scope = this.scope(userId, SCOPED_KINDS[kind].permission);
    if (!scope) return false;
    if (scope.all) return true;
    const any = (orgs: readonly (string | undefined)[]) => orgs.some((o) => o !== undefined && scope.orgs.has(o));
    switch (kind) {
      case 'organization': return scope.orgs.has(id);
      case 'project': {
        const p = this.projects.get(id);
        return p !== undefined && any([p.unit, p.dept, ...p.others]);
      }
      case 'system': return any([this.systems.get(id)]);
      case 'framework': return any(this.frameworks.get(id) ?? []);
      case 'plan': return any([this.plans.get(id)]);
    }
  }
}
