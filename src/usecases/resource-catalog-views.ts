// 信息资源目录 of departments and of the nation (第十一条; issue 4 item 2): the per-project
// catalogs read together — a filtered list, two trees (by 分类码 类→项→目 and by 提供方), and a
// streamed export. A resource is visible exactly when its project is (project:read, the
// projects' own `visible()`): a department sees the catalogs of the projects it builds, routes
// or takes part in; the supervisory bodies see all.
//
// "Department" here is the 信息资源提供方 (provider organization): the catalog guideline
// organizes a department's catalog by the resources it provides, and the provider is who a
// sharing request goes to. The organization filter and the department tree use it.
import { sql } from 'kysely';
import {
  BASE_CATEGORIES, BASE_CATEGORY_ITEMS, BASE_CATEGORY_NAMES, CLASSIFICATION_KINDS, CLASSIFICATION_NAMES, CATEGORY_DIGITS,
  type BaseCategory, type ClassificationKind, type OpenType, type SharingType, type UpdateCycle,
} from '../domain/resource-catalog.ts';
import { provinceOf } from '../domain/system-catalog.ts';
import type { DataScope } from '../domain/authz.ts';
import { effectiveDivisionSql, inProvinceSql, inSubtreeSql } from '../db/org-tree.ts';
import type { Executor } from '../db/database.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';
import { visible } from './projects.ts';
import { present, selectResources, type InformationResource, type ResourceRow } from './resource-catalog.ts';

/** Filters of the national view; every one optional, combined with AND. */
export interface ResourceCatalogFilter {
  /** 信息资源名称 or 信息资源代码 contains. */
  q?: string | undefined;
  /** Provided by this organization or one below it. */
  organizationId?: string | undefined;
  /** First two digits of the provider's 行政区划代码; '00' for central organs. */
  province?: string | undefined;
  /** 资源属性分类: 类 1 基础 / 2 主题 / 3 部门. */
  classification?: ClassificationKind | undefined;
  /** 基础信息资源: 人口 / 法人 / 自然资源和空间地理 / 社会信用 / 电子证照. */
  baseCategory?: BaseCategory | undefined;
  sharingType?: SharingType | undefined;
  openType?: OpenType | undefined;
  updateCycle?: UpdateCycle | undefined;
  /** A node of the classification tree: 类 (`1`), 类-项 (`1-05`) or 类-项-目 (`1-05-001`). */
  codePrefix?: string | undefined;
  /** The catalog of one project. */
  projectId?: string | undefined;
}

/** Accepted form of `codePrefix`. */
export const CODE_PREFIX_PATTERN = /^[1-3](-[0-9]{2}(-[0-9]{3}(-[0-9]{1,8}){0,4})?)?$/;

/** A resource of the national view: the resource, its project and its provider's province. */
export interface CatalogEntry extends InformationResource {
  project: { id: string; code: string; name: string };
  /** The provider's 行政区划代码 (its own or its nearest ancestor's); null for central organs. */
  providerDivisionCode: string | null;
  providerProvince: { code: string; name: { zh: string; en: string } };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

function filtered(db: Executor, scope: DataScope, f: ResourceCatalogFilter) {
  let q = selectResources(db).innerJoin('projects as p', 'p.id', 'r.project_id').where(visible(scope));
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    q = q.where((eb) => eb.or([eb('r.name', 'ilike', like), eb('r.code', 'ilike', like)]));
  }
  if (f.organizationId) q = q.where(inSubtreeSql('r.provider_organization_id', f.organizationId));
  if (f.province) q = q.where(inProvinceSql('r.provider_organization_id', f.province));
  if (f.classification) q = q.where('r.classification_kind', '=', f.classification);
  if (f.baseCategory) q = q.where('r.base_category', '=', f.baseCategory);
  if (f.sharingType) q = q.where('r.sharing_type', '=', f.sharingType);
  if (f.openType) q = q.where('r.open_type', '=', f.openType);
  if (f.updateCycle) q = q.where('r.update_cycle', '=', f.updateCycle);
  if (f.codePrefix) {
    // A whole level of the code: 1-05 is 1-05-…, never 1-050….
    const prefix = escapeLike(f.codePrefix);
    q = q.where((eb) => eb.or([eb('r.code', 'like', `${prefix}-%`), eb('r.code', 'like', `${prefix}/%`)]));
  }
  if (f.projectId) q = q.where('r.project_id', '=', f.projectId);
  return q;
}

type EntryRow = ResourceRow & { project_code: string; project_name: string; division_code: string | null };

function withEntryColumns(q: ReturnType<typeof filtered>) {
  return q.select(['p.code as project_code', 'p.name as project_name', effectiveDivisionSql('r.provider_organization_id').as('division_code')]);
}

function presentEntry(r: EntryRow): CatalogEntry {
  return {
    ...present(r),
    project: { id: r.project_id, code: r.project_code, name: r.project_name },
    providerDivisionCode: r.division_code,
    providerProvince: provinceOf(r.division_code),
  };
}

/** 第十一条: a page of the resources of the projects the caller may see, in 信息资源代码 order. */
export async function listCatalog(services: Services, actor: Actor, f: ResourceCatalogFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  const [rows, count] = await Promise.all([
    withEntryColumns(filtered(db, scope, f)).orderBy('r.code').orderBy('r.id').limit(pageSize).offset((page - 1) * pageSize).execute(),
    filtered(db, scope, f).clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: (rows as EntryRow[]).map(presentEntry), total: count.n };
}

/** Every matching resource in keyset batches (code, id), for the streamed export. */
export async function* iterateCatalog(services: Services, actor: Actor, f: ResourceCatalogFilter, batch = 1000): AsyncGenerator<CatalogEntry[]> {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  let after: { code: string; id: string } | null = null;
  for (;;) {
    let q = filtered(db, scope, f);
    if (after !== null) q = q.where(sql<boolean>`(r.code, r.id) > (${after.code}, ${after.id}::uuid)`);
    const rows = await withEntryColumns(q).orderBy('r.code').orderBy('r.id').limit(batch).execute() as EntryRow[];
    if (rows.length === 0) return;
    yield rows.map(presentEntry);
    const last = rows[rows.length - 1]!;
    after = { code: last.code, id: last.id };
  }
}

/** A node of the classification tree: 类, 项 or 目, with the resources under it. */
export interface ClassificationNode {
  /** The 分类码 up to this level: `1`, `1-05`, `1-05-001` (the list's codePrefix). */
  code: string;
  level: 'category' | 'item' | 'entry';
  /** 类 names and, under 类 1, the base resources; null where the guideline gives no name. */
  name: { zh: string; en: string } | null;
  count: number;
  children: ClassificationNode[];
}

const CATEGORY_NAMES: Readonly<Record<string, { zh: string; en: string }>> = Object.fromEntries(
  CLASSIFICATION_KINDS.map((kind) => [CATEGORY_DIGITS[kind], CLASSIFICATION_NAMES[kind]]),
);
const BASE_ITEM_NAMES: Readonly<Record<string, { zh: string; en: string }>> = Object.fromEntries(
  BASE_CATEGORIES.map((category) => [BASE_CATEGORY_ITEMS[category], BASE_CATEGORY_NAMES[category]]),
);

/** 第十一条: the visible resources counted by 类 → 项 → 目 of their 信息资源代码. */
export async function classificationTree(services: Services, actor: Actor, f: ResourceCatalogFilter) {
  const scope = requireAccess(actor, 'project:read');
  const rows = await filtered(services.database.db, scope, f).clearSelect()
    .select([
      sql<string>`substr(r.code, 1, 1)`.as('category'), sql<string>`substr(r.code, 3, 2)`.as('item'),
      sql<string>`substr(r.code, 6, 3)`.as('entry'), sql<number>`count(*)::int`.as('n'),
    ])
    .groupBy([sql`substr(r.code, 1, 1)`, sql`substr(r.code, 3, 2)`, sql`substr(r.code, 6, 3)`])
    .orderBy(sql`substr(r.code, 1, 1)`).orderBy(sql`substr(r.code, 3, 2)`).orderBy(sql`substr(r.code, 6, 3)`)
    .execute();
  const nodes: ClassificationNode[] = [];
  let total = 0;
  for (const r of rows) {
    let category = nodes.find((n) => n.code === r.category);
    if (!category) nodes.push(category = { code: r.category, level: 'category', name: CATEGORY_NAMES[r.category] ?? null, count: 0, children: [] });
    const itemCode = `${r.category}-${r.item}`;
    let item = category.children.find((n) => n.code === itemCode);
    if (!item) {
      category.children.push(item = {
        code: itemCode, level: 'item', name: r.category === '1' ? BASE_ITEM_NAMES[r.item] ?? null : null, count: 0, children: [],
      });
    }
    item.children.push({ code: `${itemCode}-${r.entry}`, level: 'entry', name: null, count: r.n, children: [] });
    item.count += r.n;
    category.count += r.n;
    total += r.n;
  }
  return { by: 'classification' as const, nodes, total };
}

/** A provider organization in the department tree. */
export interface DepartmentNode {
  organizationId: string;
  name: string;
  kind: string;
  /** Resources it provides itself. */
  count: number;
  /** Resources provided by it and every organization below it. */
  total: number;
  children: DepartmentNode[];
}

/**
 * 第十一条: the visible resources counted by provider, arranged in the organization tree: the
 * providers and their ancestors only (an ancestor providing nothing itself has count 0).
 */
export async function departmentTree(services: Services, actor: Actor, f: ResourceCatalogFilter) {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  const counts = await filtered(db, scope, f).clearSelect()
    .select(['r.provider_organization_id as id', sql<number>`count(*)::int`.as('n')])
    .groupBy('r.provider_organization_id').execute();
  if (counts.length === 0) return { by: 'department' as const, nodes: [] as DepartmentNode[], total: 0 };
  const orgs = (await sql<{ id: string; parent_id: string | null; name: string; kind: string }>`
    with recursive a(id, depth) as (
      select id, 0 from organizations where id = any(${counts.map((c) => c.id)}::uuid[])
      union select o.parent_id, a.depth + 1 from organizations o join a on o.id = a.id where o.parent_id is not null and a.depth < 100)
    select distinct o.id, o.parent_id, o.name, o.kind from a join organizations o on o.id = a.id`.execute(db)).rows;
  const byId = new Map<string, DepartmentNode & { parentId: string | null }>();
  for (const o of orgs) byId.set(o.id, { organizationId: o.id, name: o.name, kind: o.kind, count: 0, total: 0, children: [], parentId: o.parent_id });
  for (const c of counts) byId.get(c.id)!.count = c.n;
  const roots: DepartmentNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const finish = (node: DepartmentNode & { parentId?: string | null }): DepartmentNode => {
    const children = node.children.map(finish).sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { organizationId: node.organizationId, name: node.name, kind: node.kind, count: node.count, total: node.count + children.reduce((s, c) => s + c.total, 0), children };
  };
  const nodes = roots.map(finish).sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { by: 'department' as const, nodes, total: nodes.reduce((s, n) => s + n.total, 0) };
}
