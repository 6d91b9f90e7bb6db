// 国家政务信息系统总目录 (第十二条: 各部门应当及时更新本单位…政务信息系统目录; 管理平台汇总并形成国家
// 政务信息系统总目录): the aggregation of the departments' lists, with drill-down by organization
// subtree and by province (first two digits of the 行政区划代码), each department's confirmation of
// its list (确认目录: who, when, what) and the departments whose last confirmation is older than
// the rule setting catalog.confirmationDays (第三十四条: a province or ministry may set its own).
// Counts cover only the systems in the caller's catalog:read scope.
import { shanghaiDate } from '../domain/plan.ts';
import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent, type AuditActor } from '../audit/writer.ts';
import { scopeContains, type DataScope } from '../domain/authz.ts';
import { CATALOG_ORG_KINDS, confirmationStatus, provinceOf, PROVINCE_NAMES, CENTRAL_PROVINCE } from '../domain/system-catalog.ts';
import { AppError } from '../errors.ts';
import { ancestorIds, effectiveDivisionSql, inSubtreeSql } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { ruleBook } from './rule-settings.ts';
import { isolatedWithoutExceptionSql } from './system-catalog.ts';

/** How many systems, by status, network, protection and the 第二十八条 flag. */
export interface CatalogCounts {
  systems: number;
  underConstruction: number;
  operating: number;
  retired: number;
  extranet: number;
  intranet: number;
  internet: number;
  isolated: number;
  /** 第二十八条: on an isolated network without a standing exception. */
  isolatedWithoutException: number;
  /** 分级保护 (涉密). */
  classified: number;
  mlpsLevel1: number;
  mlpsLevel2: number;
  mlpsLevel3: number;
  mlpsLevel4: number;
  mlpsLevel5: number;
}

const COUNT_KEYS = [
  'systems', 'underConstruction', 'operating', 'retired', 'extranet', 'intranet', 'internet', 'isolated',
  'isolatedWithoutException', 'classified', 'mlpsLevel1', 'mlpsLevel2', 'mlpsLevel3', 'mlpsLevel4', 'mlpsLevel5',
] as const satisfies ReadonlyArray<keyof CatalogCounts>;

const ZERO: CatalogCounts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as CatalogCounts;

/** The column of catalog_counts (migration 20261127T1200) that keeps each count. */
const COUNT_COLUMNS: Readonly<Record<keyof CatalogCounts, string>> = {
  systems: 'systems', underConstruction: 'under_construction', operating: 'operating', retired: 'retired',
  extranet: 'extranet', intranet: 'intranet', internet: 'internet', isolated: 'isolated',
  isolatedWithoutException: 'isolated_without_exception', classified: 'classified',
  mlpsLevel1: 'mlps_level1', mlpsLevel2: 'mlps_level2', mlpsLevel3: 'mlps_level3', mlpsLevel4: 'mlps_level4', mlpsLevel5: 'mlps_level5',
};

/** The same counts summed over the per-organization rows `c` of catalog_counts. */
const summedColumns = sql.join(COUNT_KEYS.map((k) => sql`coalesce(sum(${sql.ref(`c.${COUNT_COLUMNS[k]}`)}), 0)::int as ${sql.ref(k)}`));

function counts(row: Record<string, unknown> | undefined): CatalogCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, Number(row?.[k] ?? 0)])) as unknown as CatalogCounts;
}

function add(a: CatalogCounts, b: CatalogCounts): CatalogCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, a[k] + b[k]])) as unknown as CatalogCounts;
}

const catalogKinds = sql`${sql.val([...CATALOG_ORG_KINDS])}::text[]`;

/** One organization of a drill-down level with the counts of its whole subtree. */
export interface OrganizationSummary {
  organizationId: string;
  name: string;
  kind: string;
  divisionCode: string | null;
  /** Whether it has organizations below it to drill into. */
  hasChildren: boolean;
  counts: CatalogCounts;
}

export interface CatalogSummary {
  /** The organization drilled into; null at the top (the roots of the tree). */
  parent: { id: string; name: string } | null;
  /** The systems the parent owns itself (本级); null at the top. */
  own: CatalogCounts | null;
  items: OrganizationSummary[];
  /** Everything under the parent (or the whole catalog at the top). */
  total: CatalogCounts;
}

/**
 * 第十二条: the national catalog at one level of the organization tree: each organization below
 * `parentId` (the roots when null) with the counts of its subtree. With a scope narrower than
 * all, only the organizations in the scope and those above a visible system are shown (an
 * organization outside them is 404 as a parent), so the drill-down leads to the caller's own.
 */
export async function catalogSummary(services: Services, actor: Actor, parentId: string | null): Promise<CatalogSummary> {
  const scope = requireAccess(actor, 'catalog:read');
  const db = services.database.db;
  let parent: { id: string; name: string } | null = null;
  if (parentId !== null) {
    parent = (await db.selectFrom('organizations').select(['id', 'name']).where('id', '=', parentId).executeTakeFirst()) ?? null;
    if (!parent) throw new AppError('resource.not_found');
  }
  const level = parentId === null ? sql`o.parent_id is null` : sql`o.parent_id = ${parentId}::uuid`;
  // Summed from the per-organization counts the triggers of migration 20261127T1200 keep exact,
  // not counted from the systems (a few hundred rows instead of 300,000, docs/benchmarks.md).
  // A catalog:read scope is a set of organizations (scopePredicate without an owner column), so
  // the rows of the organizations in scope are exactly the counts of the systems in scope.
  const visible = scopePredicate(scope, 'c.organization_id');
  const rows = (await sql<Record<string, unknown> & { root_id: string; name: string; kind: string; division_code: string | null; in_scope: boolean; has_children: boolean }>`
    with recursive tree(root_id, id) as (
      select o.id, o.id from organizations o where ${level} and o.kind = any(${catalogKinds})
      union all select t.root_id, o.id from organizations o join tree t on o.parent_id = t.id),
    sums as (select t.root_id as summed_root, ${summedColumns} from tree t join catalog_counts c on c.organization_id = t.id
      where ${visible} group by t.root_id)
    select r.id as root_id, r.name, r.kind, r.division_code, ${scopePredicate(scope, 'r.id')} as in_scope,
      exists (select 1 from organizations c where c.parent_id = r.id and c.kind = any(${catalogKinds})) as has_children, sums.*
    from organizations r left join sums on sums.summed_root = r.id
    where r.id in (select root_id from tree)
    order by r.name, r.id`.execute(db)).rows;
  const items = rows.filter((r) => scope.all || r.in_scope || counts(r).systems > 0).map((r) => ({
    organizationId: r.root_id, name: r.name, kind: r.kind, divisionCode: r.division_code?.trim() ?? null, hasChildren: r.has_children, counts: counts(r),
  }));
  let own: CatalogCounts | null = null;
  if (parentId !== null) {
    own = counts((await sql<Record<string, unknown>>`select ${summedColumns} from catalog_counts c
      where c.organization_id = ${parentId}::uuid and ${visible}`.execute(db)).rows[0]);
  }
  const total = items.reduce((sum, i) => add(sum, i.counts), own ?? ZERO);
  if (parentId !== null && !scope.all && total.systems === 0
    && !scopeContains(scope, { organizationId: parentId, ancestorIds: await ancestorIds(db, parentId), ownerUserId: null })) {
    throw new AppError('resource.not_found');
  }
  return { parent, own, items, total };
}

/** One province-level division with its counts. */
export interface ProvinceSummary {
  /** First two digits of the 行政区划代码; '00' for central organs (中央本级). */
  province: string;
  name: { zh: string; en: string };
  counts: CatalogCounts;
}

/**
 * 第十二条: the national catalog by province (the owner's effective 行政区划代码), summed from the
 * per-organization counts like the summary.
 */
export async function catalogByProvince(services: Services, actor: Actor): Promise<{ items: ProvinceSummary[]; total: CatalogCounts }> {
  const scope = requireAccess(actor, 'catalog:read');
  const rows = (await sql<Record<string, unknown> & { province: string }>`
    select case when d.division_code is null or d.division_code = '100000' then ${CENTRAL_PROVINCE.code}
      else substr(d.division_code, 1, 2) end as province, ${summedColumns}
    from catalog_counts c cross join lateral (select ${effectiveDivisionSql('c.organization_id')} as division_code) d
    where ${scopePredicate(scope, 'c.organization_id')}
    group by 1 having sum(c.systems) > 0 order by 1`.execute(services.database.db)).rows;
  const items = rows.map((r) => ({
    province: r.province,
    name: r.province === CENTRAL_PROVINCE.code ? { ...CENTRAL_PROVINCE.name } : PROVINCE_NAMES[r.province] ?? { zh: r.province, en: r.province },
    counts: counts(r),
  }));
  return { items, total: items.reduce((sum, i) => add(sum, i.counts), ZERO) };
}

/** The text a confirmation's digest covers: the organization's systems with their versions. */
function listDigest(systems: ReadonlyArray<{ id: string; version: number }>): string {
  const list = [...systems].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((s) => [s.id, s.version]);
  return createHash('sm3').update('govproj-catalog-confirmation-v1\n' + canonicalJson(list)).digest('hex');
}

/** A department's list and where its confirmation stands (第十二条). */
export interface DepartmentCatalogStatus {
  organizationId: string;
  name: string;
  kind: string;
  parentId: string | null;
  province: { code: string; name: { zh: string; en: string } };
  /** The systems it owns itself. */
  systemCount: number;
  isolatedWithoutException: number;
  /** SM3 over its systems and their versions now; send it back when confirming. */
  digest: string;
  lastConfirmation: { id: string; at: string; by: string; byName: string; systemCount: number; digest: string } | null;
  /** The list changed (a system added, edited or removed) since the last confirmation. */
  changedSinceConfirmation: boolean;
  /** catalog.confirmationDays in force for it. */
  confirmationDays: number;
  dueOn: string | null;
  /** Never confirmed, or confirmed longer ago than the period. */
  stale: boolean;
}

export interface DepartmentFilter {
  q?: string | undefined;
  /** This organization and the ones below it. */
  organizationId?: string | undefined;
  stale?: boolean | undefined;
}

async function departmentStatuses(services: Services, db: Executor, where: RawBuilder<boolean>): Promise<DepartmentCatalogStatus[]> {
  const rows = (await sql<{
    id: string; name: string; kind: string; parent_id: string | null; division_code: string | null;
    c_id: string | null; c_at: Date | null; c_by: string | null; c_by_name: string | null; c_count: number | null; c_digest: string | null;
  }>`
    select o.id, o.name, o.kind, o.parent_id,
      ${effectiveDivisionSql('o.id')} as division_code,
      c.id as c_id, c.created_at as c_at, c.confirmed_by as c_by, c.display_name as c_by_name, c.system_count as c_count, c.digest as c_digest
    from organizations o
    left join lateral (select c.id, c.created_at, c.confirmed_by, u.display_name, c.system_count, c.digest
      from catalog_confirmations c join users u on u.id = c.confirmed_by
      where c.organization_id = o.id order by c.seq desc limit 1) c on true
    where o.kind = any(${catalogKinds}) and ${where}
    order by o.name, o.id`.execute(db)).rows;
  if (rows.length === 0) return [];
  const systems = await db.selectFrom('government_systems as s')
    .select(['s.id', 's.version', 's.owner_organization_id', isolatedWithoutExceptionSql.as('flagged')])
    .where('s.owner_organization_id', 'in', rows.map((r) => r.id)).execute();
  const byOwner = new Map<string, typeof systems>();
  for (const s of systems) byOwner.set(s.owner_organization_id, [...(byOwner.get(s.owner_organization_id) ?? []), s]);
  const now = services.now();
  const book = await ruleBook(db, shanghaiDate(now));
  const out: DepartmentCatalogStatus[] = [];
  for (const r of rows) {
    const own = byOwner.get(r.id) ?? [];
    const digest = listDigest(own);
    const days = Number((await book.valueFor('catalog.confirmationDays', r.id)).value);
    const status = confirmationStatus(r.c_at, now, days);
    out.push({
      organizationId: r.id, name: r.name, kind: r.kind, parentId: r.parent_id, province: provinceOf(r.division_code?.trim() ?? null),
      systemCount: own.length, isolatedWithoutException: own.filter((s) => s.flagged).length, digest,
      lastConfirmation: r.c_id === null ? null : {
        id: r.c_id, at: r.c_at!.toISOString(), by: r.c_by!, byName: r.c_by_name!, systemCount: r.c_count!, digest: r.c_digest!.trim(),
      },
      changedSinceConfirmation: r.c_digest !== null && r.c_digest.trim() !== digest,
      confirmationDays: days, dueOn: status.dueOn, stale: status.stale,
    });
  }
  return out;
}

function departmentWhere(scope: DataScope, f: DepartmentFilter): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [scopePredicate(scope, 'o.id')];
  if (f.q) parts.push(sql<boolean>`o.name ilike ${`%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`}`);
  if (f.organizationId) {
    parts.push(inSubtreeSql('o.id', f.organizationId));
  }
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * 第十二条: every organization that keeps a system list (in the caller's scope), with its count,
 * its last confirmation and whether that confirmation is stale. `stale` filters after the rule
 * in force for each organization is applied; the page is cut in memory (organizations number in
 * the thousands, not millions).
 */
export async function listDepartments(services: Services, actor: Actor, f: DepartmentFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'catalog:read');
  let items = await departmentStatuses(services, services.database.db, departmentWhere(scope, f));
  if (f.stale !== undefined) items = items.filter((d) => d.stale === f.stale);
  return { items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length };
}

/** The same list in batches, for the streamed export. */
export async function* iterateDepartments(services: Services, actor: Actor, f: DepartmentFilter, batch = 500): AsyncGenerator<DepartmentCatalogStatus[]> {
  const scope = requireAccess(actor, 'catalog:read');
  let items = await departmentStatuses(services, services.database.db, departmentWhere(scope, f));
  if (f.stale !== undefined) items = items.filter((d) => d.stale === f.stale);
  for (let i = 0; i < items.length; i += batch) yield items.slice(i, i + batch);
}

/** One department's status; 404 outside the caller's catalog:read scope. */
export async function getDepartment(services: Services, actor: Actor, organizationId: string): Promise<DepartmentCatalogStatus> {
  const scope = requireAccess(actor, 'catalog:read');
  const [item] = await departmentStatuses(services, services.database.db,
    sql<boolean>`(o.id = ${organizationId}::uuid and ${scopePredicate(scope, 'o.id')})`);
  if (!item) throw new AppError('resource.not_found');
  return item;
}

export interface ConfirmationInput {
  organizationId: string;
  /** The digest the caller saw (GET …/departments/:id); a list that changed since is 412. */
  expectedDigest?: string | undefined;
  note?: string | undefined;
}

/**
 * 确认目录 (第十二条): the department states that its list is current. Who may: catalog:manage over
 * the organization (403 otherwise). Records who, when, how many systems and the digest of the
 * list confirmed; audited in the same transaction.
 */
export async function confirmCatalog(services: Services, actor: Actor, input: ConfirmationInput): Promise<DepartmentCatalogStatus> {
  const manage = requireAccess(actor, 'catalog:manage');
  return services.database.db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organizations').select(['id', 'kind']).where('id', '=', input.organizationId).forUpdate().executeTakeFirst();
    if (!org) throw new AppError('validation.failed', { fields: [{ path: 'organizationId', code: 'unknown_reference' }] });
    if (!scopeContains(manage, { organizationId: org.id, ancestorIds: await ancestorIds(trx, org.id), ownerUserId: null })) {
      throw new AppError('auth.forbidden');
    }
    if (!(CATALOG_ORG_KINDS as readonly string[]).includes(org.kind)) {
      throw new AppError('validation.failed', { fields: [{ path: 'organizationId', code: 'system.owner_not_government' }] });
    }
    await writeConfirmation(trx, { userId: actor.userId, audit: auditActorFor(actor, 'catalog:manage'), ...requestFacts(actor) }, org.id, {
      expectedDigest: input.expectedDigest, note: input.note?.trim() ?? '', at: services.now(),
    });
    const [status] = await departmentStatuses(services, trx, sql<boolean>`o.id = ${org.id}::uuid`);
    return status!;
  });
}

/**
 * Writes one confirmation of `organizationId`'s list as it stands in `trx`, with its audit event
 * (the demo seed calls this directly). A differing `expectedDigest` is 412.
 */
export async function writeConfirmation(
  trx: Tx, who: { userId: string; audit: AuditActor; requestId: string | null; clientAddress: string | null }, organizationId: string,
  options: { expectedDigest?: string | undefined; note: string; at: Date },
): Promise<string> {
  // The caller holds the organization row lock, which serializes confirmations; the systems are
  // read in this transaction, so the digest is that of the list the confirmation commits with.
  const systems = await trx.selectFrom('government_systems').select(['id', 'version']).where('owner_organization_id', '=', organizationId).execute();
  const digest = listDigest(systems);
  if (options.expectedDigest !== undefined && options.expectedDigest !== digest) throw new AppError('conflict.stale');
  const row = await trx.insertInto('catalog_confirmations').values({
    organization_id: organizationId, confirmed_by: who.userId, role: who.audit.role ?? '', system_count: systems.length, digest,
    note: options.note, created_at: options.at,
  }).returning('id').executeTakeFirstOrThrow();
  await appendAuditEvent(trx, {
    actor: who.audit, action: 'catalog.confirm', objectType: 'system_catalog', objectId: organizationId, outcome: 'success',
    diff: { after: { confirmationId: row.id, systemCount: systems.length, digest, note: options.note, at: options.at.toISOString() } },
    requestId: who.requestId, clientAddress: who.clientAddress,
  });
  return row.id;
}

/** A department's confirmations, newest first (catalog:read over the organization; 404 outside). */
export async function listConfirmations(services: Services, actor: Actor, organizationId: string) {
  const scope = requireAccess(actor, 'catalog:read');
  const db = services.database.db;
  const org = await db.selectFrom('organizations as o').select('o.id').where('o.id', '=', organizationId)
    .where(scopePredicate(scope, 'o.id')).executeTakeFirst();
  if (!org) throw new AppError('resource.not_found');
  const rows = await db.selectFrom('catalog_confirmations as c').innerJoin('users as u', 'u.id', 'c.confirmed_by')
    .select(['c.id', 'c.created_at', 'c.confirmed_by', 'u.display_name', 'c.role', 'c.system_count', 'c.digest', 'c.note'])
    .where('c.organization_id', '=', organizationId).orderBy('c.seq', 'desc').limit(1000).execute();
  return {
    items: rows.map((r) => ({
      id: r.id, at: r.created_at.toISOString(), by: r.confirmed_by, byName: r.display_name, role: r.role,
      systemCount: r.system_count, digest: r.digest.trim(), note: r.note,
    })),
    total: rows.length,
  };
}
