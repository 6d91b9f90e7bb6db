// The department directory for pickers (issue 4): who may be named where, searched by name or
// code, a page at a time, instead of each page gathering names from whatever lists it can read.
//
// - `participant` — 参与部门 of a framework plan (第十条: 牵头部门会同参与部门): any government
//   department of the country, since a lead department must be able to name departments outside
//   its own scope. Needs framework:manage. The consulting, supervision and evaluation firms are
//   never listed (isGovernmentKind, which createFramework/addParticipant also enforce).
// - `lead` — the lead department of a new plan: a government department inside the caller's
//   framework:manage scope (the plan's editors are the lead's people).
// - `system-owner` — the owner of a master-catalog system (第十二条: each department keeps its
//   own list): an organization that keeps a system list (CATALOG_ORG_KINDS) inside the caller's
//   catalog:manage scope, as registerSystem requires.
//
// What is shown is directory information every signed-in official may know — name, kind, 行政区划
// and the parent's name, to tell 信息中心 of different ministries apart — never users, projects
// or systems.
import { sql } from 'kysely';
import type { OrgKind } from '../domain/organization.ts';
import { CATALOG_ORG_KINDS } from '../domain/system-catalog.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';

export const DEPARTMENT_PURPOSES = ['participant', 'lead', 'system-owner'] as const;
export type DepartmentPurpose = (typeof DEPARTMENT_PURPOSES)[number];

const FIRMS: readonly OrgKind[] = ['assessor', 'supervisor', 'evaluator'];

export interface Department {
  id: string;
  name: string;
  nameEn: string;
  kind: OrgKind;
  divisionCode: string | null;
  parentId: string | null;
  parentName: string | null;
}

export interface DepartmentQuery {
  purpose: DepartmentPurpose;
  /** Part of the name (Chinese or English), a 统一社会信用代码, or the start of a 行政区划代码. */
  q?: string | undefined;
  /** Only these (a picker resolving the labels of values already chosen). */
  ids?: readonly string[] | undefined;
  page: number;
  pageSize: number;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of the departments `purpose` allows the caller to name, by name. */
export async function listDepartments(services: Services, actor: Actor, query: DepartmentQuery): Promise<{ items: Department[]; total: number }> {
  const db = services.database.db;
  let q = db.selectFrom('organizations as o').leftJoin('organizations as p', 'p.id', 'o.parent_id');
  if (query.purpose === 'participant') {
    requireAccess(actor, 'framework:manage');
    q = q.where('o.kind', 'not in', FIRMS);
  } else if (query.purpose === 'lead') {
    const scope = requireAccess(actor, 'framework:manage');
    q = q.where('o.kind', 'not in', FIRMS).where(scopePredicate(scope, 'o.id'));
  } else {
    const scope = requireAccess(actor, 'catalog:manage');
    q = q.where('o.kind', 'in', CATALOG_ORG_KINDS).where(scopePredicate(scope, 'o.id'));
  }
  const text = query.q?.trim();
  if (text) {
    const pattern = likePattern(text);
    q = q.where((eb) => eb.or([
      eb('o.name', 'like', pattern),
      eb(sql`lower(o.name_en)`, 'like', pattern.toLowerCase()),
      eb('o.credit_code', '=', text.toUpperCase()),
      ...(/^\d{1,6}$/.test(text) ? [eb('o.division_code', 'like', `${text}%`)] : []),
    ]));
  }
  if (query.ids) q = query.ids.length === 0 ? q.where(sql<boolean>`false`) : q.where('o.id', 'in', [...query.ids]);
  const [rows, count] = await Promise.all([
    q.select(['o.id', 'o.name', 'o.name_en', 'o.kind', 'o.division_code', 'o.parent_id', 'p.name as parent_name'])
      .orderBy('o.name').orderBy('o.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id, name: r.name, nameEn: r.name_en, kind: r.kind as OrgKind, divisionCode: r.division_code, parentId: r.parent_id, parentName: r.parent_name,
    })),
    total: Number(count.n),
  };
}
