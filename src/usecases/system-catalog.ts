// 政务信息系统目录 (第十二条: 各部门应当及时更新本单位管理平台上的政务信息系统目录): a department's
// systems, registered, edited and removed within its scope (catalog:manage: a preparer its own
// unit, a unit lead its unit and the units below), read within catalog:read (the supervisory
// bodies read all). Every representation carries the 第二十八条 flag: a system on an isolated
// network without a standing exception decision (src/usecases/isolation-exceptions.ts).
import { sql } from 'kysely';
import { resolveAccess, scopeContains, type DataScope } from '../domain/authz.ts';
import {
  CATALOG_ORG_KINDS, normalizeSystem, provinceOf, systemProblems,
  type GovernmentSystemInput, type NetworkType, type ProjectRelation, type ProtectionScheme, type ResourceRelation, type SystemStatus,
} from '../domain/system-catalog.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent, type AuditActor } from '../audit/writer.ts';
import { changedFields } from '../audit/diff.ts';
import { ancestorIds, effectiveDivisionSql, inSubtreeSql } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { visible as projectVisible } from './projects.ts';
import { assertMayRebuild } from './eligibility.ts';
import type { SecurityProfile } from '../domain/deadlines.ts';

/** The standing 孤网 exception of a system, as every representation shows it. */
export interface StandingIsolationException {
  decisionId: string;
  approvalDocumentNumber: string;
  approvedOn: string;
  decidedBy: string;
  decidedByName: string;
  decidedAt: string;
}

/** A system as the API presents it. */
export interface GovernmentSystem extends Omit<GovernmentSystemInput, 'projects' | 'resources'> {
  id: string;
  ownerOrganizationName: string;
  /** The owner's 行政区划代码, or its nearest ancestor's; null for central organs. */
  divisionCode: string | null;
  province: { code: string; name: { zh: string; en: string } };
  projects: Array<{ projectId: string; relation: ProjectRelation; projectCode: string; projectName: string }>;
  resources: Array<{ resourceId: string; relation: ResourceRelation; resourceCode: string; resourceName: string; projectId: string }>;
  /** 第二十八条: on an isolated network without a standing exception decision. */
  isolatedWithoutException: boolean;
  isolationException: StandingIsolationException | null;
  version: number;
  /** Null for rows the platform wrote itself (demo seed, import). */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** List filters; every one is optional and they combine with AND. */
export interface SystemFilter {
  /** Name or purpose contains. */
  q?: string | undefined;
  /** Owned by exactly this organization. */
  ownerOrganizationId?: string | undefined;
  /** Owned by this organization or one below it (drill-down). */
  organizationId?: string | undefined;
  /** First two digits of the owner's 行政区划代码; '00' for central organs. */
  province?: string | undefined;
  networkType?: NetworkType | undefined;
  status?: SystemStatus | undefined;
  protectionScheme?: ProtectionScheme | undefined;
  mlpsLevel?: number | undefined;
  businessArea?: string | undefined;
  /** 第二十八条: only the flagged systems (true) or only the others (false). */
  isolatedWithoutException?: boolean | undefined;
  /** Linked to this project. */
  projectId?: string | undefined;
}

/**
 * The owner's effective 行政区划代码: its own, else the nearest ancestor's (a 司局 of a province
 * without a code of its own belongs to that province). SQL over the alias `s`.
 */
export const ownerDivisionSql = effectiveDivisionSql('s.owner_organization_id');

/** 第二十八条: the latest decision on the system `s` is a grant. */
export const standingGrantSql = sql<boolean>`coalesce((select e.decision = 'grant' from isolation_exceptions e
  where e.system_id = s.id order by e.seq desc limit 1), false)`;

/** 第二十八条: `s` is on an isolated network without a standing exception. */
export const isolatedWithoutExceptionSql = sql<boolean>`(s.network_type = 'isolated' and not ${standingGrantSql})`;

/** Systems `s` with their owner `o` and their latest exception decision `x`. */
function systemsFrom(db: Executor) {
  return db.selectFrom('government_systems as s')
    .innerJoin('organizations as o', 'o.id', 's.owner_organization_id')
    .leftJoinLateral((eb) => eb.selectFrom('isolation_exceptions as e')
      .innerJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.id', 'e.decision', 'e.approval_document_number', 'e.approved_on', 'e.actor_id', 'u.display_name', 'e.created_at'])
      .whereRef('e.system_id', '=', 's.id').orderBy('e.seq', 'desc').limit(1).as('x'), (join) => join.onTrue());
}

type SystemsQuery = ReturnType<typeof systemsFrom>;

function withColumns(q: SystemsQuery) {
  return q.selectAll('s').select([
    'o.name as owner_name', 'x.id as x_id', 'x.decision as x_decision', 'x.approval_document_number as x_document',
    'x.approved_on as x_approved_on', 'x.actor_id as x_actor_id', 'x.display_name as x_actor_name', 'x.created_at as x_at',
    ownerDivisionSql.as('division_code'),
  ]);
}

type SystemRow = Awaited<ReturnType<ReturnType<typeof withColumns>['executeTakeFirstOrThrow']>>;

async function present(db: Executor, rows: readonly SystemRow[]): Promise<GovernmentSystem[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [projects, resources] = await Promise.all([
    db.selectFrom('government_system_projects as l').innerJoin('projects as p', 'p.id', 'l.project_id')
      .select(['l.system_id', 'l.project_id', 'l.relation', 'p.code', 'p.name'])
      .where('l.system_id', 'in', ids).orderBy('p.code').execute(),
    db.selectFrom('government_system_resources as l').innerJoin('information_resources as r', 'r.id', 'l.resource_id')
      .select(['l.system_id', 'l.resource_id', 'l.relation', 'r.code', 'r.name', 'r.project_id'])
      .where('l.system_id', 'in', ids).orderBy('r.code').orderBy('r.id').orderBy('l.relation').execute(),
  ]);
  return rows.map((r) => {
    const standing = r.x_decision === 'grant' ? {
      decisionId: r.x_id!, approvalDocumentNumber: r.x_document!, approvedOn: r.x_approved_on!, decidedBy: r.x_actor_id!,
      decidedByName: r.x_actor_name!, decidedAt: r.x_at!.toISOString(),
    } : null;
    return {
      id: r.id, name: r.name, ownerOrganizationId: r.owner_organization_id, ownerOrganizationName: r.owner_name,
      divisionCode: r.division_code, province: provinceOf(r.division_code),
      purpose: r.purpose, businessArea: r.business_area, networkType: r.network_type, involvesSecrets: r.involves_secrets,
      security: { scheme: r.protection_scheme, mlpsLevel: r.mlps_level, filingNumber: r.mlps_filing_number },
      userCount: r.user_count, status: r.status,
      projects: projects.filter((p) => p.system_id === r.id)
        .map((p) => ({ projectId: p.project_id, relation: p.relation, projectCode: p.code, projectName: p.name })),
      resources: resources.filter((x) => x.system_id === r.id)
        .map((x) => ({ resourceId: x.resource_id, relation: x.relation, resourceCode: x.code, resourceName: x.name, projectId: x.project_id })),
      isolatedWithoutException: r.network_type === 'isolated' && standing === null,
      isolationException: standing,
      version: r.version, createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    };
  });
}

/** One system by id, whatever the scope (callers have checked it); null when there is none. */
export async function loadSystem(db: Executor, id: string): Promise<GovernmentSystem | null> {
  const row = await withColumns(systemsFrom(db)).where('s.id', '=', id).executeTakeFirst();
  return row ? (await present(db, [row]))[0]! : null;
}

const subtreeOf = (orgId: string) => inSubtreeSql('s.owner_organization_id', orgId);

function filtered(db: Executor, scope: DataScope, f: SystemFilter) {
  let q = systemsFrom(db).where(scopePredicate(scope, 's.owner_organization_id'));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where((eb) => eb.or([eb('s.name', 'ilike', like), eb('s.purpose', 'ilike', like)]));
  }
  if (f.ownerOrganizationId) q = q.where('s.owner_organization_id', '=', f.ownerOrganizationId);
  if (f.organizationId) q = q.where(subtreeOf(f.organizationId));
  if (f.province) {
    q = q.where(f.province === '00'
      ? sql<boolean>`coalesce(${ownerDivisionSql}, '100000') = '100000'`
      : sql<boolean>`substr(${ownerDivisionSql}, 1, 2) = ${f.province} and ${ownerDivisionSql} <> '100000'`);
  }
  if (f.networkType) q = q.where('s.network_type', '=', f.networkType);
  if (f.status) q = q.where('s.status', '=', f.status);
  if (f.protectionScheme) q = q.where('s.protection_scheme', '=', f.protectionScheme);
  if (f.mlpsLevel !== undefined) q = q.where('s.mlps_level', '=', f.mlpsLevel);
  if (f.businessArea) q = q.where('s.business_area', '=', f.businessArea);
  if (f.isolatedWithoutException !== undefined) {
    q = q.where(f.isolatedWithoutException ? isolatedWithoutExceptionSql : sql<boolean>`not ${isolatedWithoutExceptionSql}`);
  }
  if (f.projectId) {
    const projectId = f.projectId;
    q = q.where((eb) => eb.exists(eb.selectFrom('government_system_projects as l').select('l.system_id')
      .whereRef('l.system_id', '=', 's.id').where('l.project_id', '=', projectId)));
  }
  return q;
}

/** A page of the systems the caller may see, by owner then name. */
export async function listSystems(services: Services, actor: Actor, f: SystemFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'catalog:read');
  const db = services.database.db;
  const [rows, count] = await Promise.all([
    withColumns(filtered(db, scope, f)).orderBy('o.name').orderBy('s.name').orderBy('s.id')
      .limit(pageSize).offset((page - 1) * pageSize).execute(),
    filtered(db, scope, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await present(db, rows), total: count.n };
}

/** Every matching system in keyset batches (the list's order), for the streamed export. */
export async function* iterateSystems(services: Services, actor: Actor, f: SystemFilter, batch = 500): AsyncGenerator<GovernmentSystem[]> {
  const scope = requireAccess(actor, 'catalog:read');
  const db = services.database.db;
  let after: SystemRow | null = null;
  for (;;) {
    let q = filtered(db, scope, f);
    if (after !== null) q = q.where(sql<boolean>`(o.name, s.name, s.id) > (${after.owner_name}, ${after.name}, ${after.id}::uuid)`);
    const rows: SystemRow[] = await withColumns(q).orderBy('o.name').orderBy('s.name').orderBy('s.id').limit(batch).execute();
    if (rows.length === 0) return;
    yield await present(db, rows);
    after = rows[rows.length - 1]!;
  }
}

/** One system; 404 when it does not exist or is outside the caller's catalog:read scope (SPEC §1). */
export async function getSystem(services: Services, actor: Actor, id: string): Promise<GovernmentSystem> {
  const scope = requireAccess(actor, 'catalog:read');
  const db = services.database.db;
  const row = await withColumns(systemsFrom(db)).where('s.id', '=', id).where(scopePredicate(scope, 's.owner_organization_id')).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  return (await present(db, [row]))[0]!;
}

/** Every field problem at once (400), before anything is read or written. */
function validated(input: GovernmentSystemInput): GovernmentSystemInput {
  const problems = systemProblems(input);
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
  return normalizeSystem(input);
}

const inScope = async (db: Executor, scope: DataScope, organizationId: string) =>
  scopeContains(scope, { organizationId, ancestorIds: await ancestorIds(db, organizationId), ownerUserId: null });

/**
 * The owner must exist and be a government organization, and the caller must manage it (403
 * otherwise: the body names it, so hiding it would hide nothing); linked projects and resources
 * must be ones the caller can see (unknown otherwise, so no existence leaks). Every reference
 * problem at once.
 */
async function checkReferences(trx: Tx, actor: Actor, manage: DataScope, value: GovernmentSystemInput) {
  const problems: Array<{ path: string; code: string }> = [];
  const owner = await trx.selectFrom('organizations').select(['id', 'kind']).where('id', '=', value.ownerOrganizationId).executeTakeFirst();
  if (!owner) problems.push({ path: 'ownerOrganizationId', code: 'unknown_reference' });
  else if (!(CATALOG_ORG_KINDS as readonly string[]).includes(owner.kind)) problems.push({ path: 'ownerOrganizationId', code: 'system.owner_not_government' });
  else if (!(await inScope(trx, manage, owner.id))) throw new AppError('auth.forbidden');

  const read = resolveAccess(actor, 'project:read');
  const projectScope: DataScope = read.allowed ? read.scope : { all: false, organizationIds: [], subtreeRootIds: [], selfUserId: null };
  const projectIds = value.projects.map((p) => p.projectId);
  const seenProjects = new Set(projectIds.length === 0 ? [] : (await trx.selectFrom('projects as p').select('p.id')
    .where('p.id', 'in', projectIds).where(projectVisible(projectScope)).execute()).map((p) => p.id));
  value.projects.forEach((p, i) => {
    if (!seenProjects.has(p.projectId)) problems.push({ path: `projects.${i}.projectId`, code: 'unknown_reference' });
  });
  const resourceIds = value.resources.map((r) => r.resourceId);
  const seenResources = new Set(resourceIds.length === 0 ? [] : (await trx.selectFrom('information_resources as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id').select('r.id')
    .where('r.id', 'in', resourceIds).where(projectVisible(projectScope)).execute()).map((r) => r.id));
  value.resources.forEach((r, i) => {
    if (!seenResources.has(r.resourceId)) problems.push({ path: `resources.${i}.resourceId`, code: 'unknown_reference' });
  });
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
}

/** The row of a valid system (also the import's batched insert). */
export function columns(value: GovernmentSystemInput) {
  return {
    owner_organization_id: value.ownerOrganizationId,
    name: value.name,
    purpose: value.purpose,
    business_area: value.businessArea,
    network_type: value.networkType,
    involves_secrets: value.involvesSecrets,
    protection_scheme: value.security.scheme,
    mlps_level: value.security.mlpsLevel,
    mlps_filing_number: value.security.filingNumber,
    user_count: value.userCount,
    status: value.status,
  };
}

async function replaceLinks(trx: Tx, systemId: string, value: GovernmentSystemInput) {
  await trx.deleteFrom('government_system_projects').where('system_id', '=', systemId).execute();
  await trx.deleteFrom('government_system_resources').where('system_id', '=', systemId).execute();
  if (value.projects.length > 0) {
    await trx.insertInto('government_system_projects')
      .values(value.projects.map((p) => ({ system_id: systemId, project_id: p.projectId, relation: p.relation }))).execute();
  }
  if (value.resources.length > 0) {
    await trx.insertInto('government_system_resources')
      .values(value.resources.map((r) => ({ system_id: systemId, resource_id: r.resourceId, relation: r.relation }))).execute();
  }
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

/** The system's protection as the 第二十八条 rule reads it. */
const profileOf = (value: GovernmentSystemInput): SecurityProfile => value.security.scheme === 'classified'
  ? { scheme: 'classified' } : { scheme: 'mlps', level: (value.security.mlpsLevel ?? 1) as 1 | 2 | 3 | 4 | 5 };
const upgradeIds = (value: GovernmentSystemInput) => value.projects.filter((p) => p.relation === 'upgrade').map((p) => p.projectId);

/** Runs `work` in a transaction; a second system of the same name in one organization is 409. */
async function write<T>(services: Services, work: (trx: Tx) => Promise<T>): Promise<T> {
  try {
    return await services.database.db.transaction().execute(work);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict.duplicate', { params: { field: '系统名称' }, fields: [{ path: 'name', code: 'duplicate' }] });
    throw err;
  }
}

/**
 * Writes a valid, checked system and its audit event (the seed calls this directly, with a null
 * creator and the platform as the actor).
 */
export async function insertSystem(
  trx: Tx, value: GovernmentSystemInput, createdBy: string | null, audit: { actor: AuditActor; requestId: string | null; clientAddress: string | null },
): Promise<GovernmentSystem> {
  const row = await trx.insertInto('government_systems').values({ ...columns(value), created_by: createdBy }).returning('id').executeTakeFirstOrThrow();
  await replaceLinks(trx, row.id, value);
  const created = (await loadSystem(trx, row.id))!;
  await appendAuditEvent(trx, {
    ...audit, action: 'system.create', objectType: 'system', objectId: row.id, outcome: 'success', diff: { after: { ...created } },
  });
  return created;
}

/** Registers a system in its owner's list (catalog:manage over the owner). */
export async function createSystem(services: Services, actor: Actor, input: GovernmentSystemInput): Promise<GovernmentSystem> {
  const manage = requireAccess(actor, 'catalog:manage');
  const value = validated(input);
  return write(services, async (trx) => {
    await checkReferences(trx, actor, manage, value);
    // 第二十八条: a 改建/扩建 project may not upgrade a system that may not be rebuilt.
    await assertMayRebuild(trx, services.now(), null, value.networkType, profileOf(value), upgradeIds(value));
    return insertSystem(trx, value, actor.userId, { actor: auditActorFor(actor, 'catalog:manage'), ...requestFacts(actor) });
  });
}

/**
 * The system, locked, for a change: 404 outside catalog:read, 403 when readable but not the
 * caller's to manage, 412 when `expectedVersion` is stale.
 */
async function lockForChange(trx: Tx, actor: Actor, manage: DataScope, id: string, expectedVersion: number): Promise<GovernmentSystem> {
  const read = requireAccess(actor, 'catalog:read');
  const row = await trx.selectFrom('government_systems as s').select(['s.id', 's.owner_organization_id', 's.version'])
    .where('s.id', '=', id).where(scopePredicate(read, 's.owner_organization_id')).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  if (!(await inScope(trx, manage, row.owner_organization_id))) throw new AppError('auth.forbidden');
  if (row.version !== expectedVersion) throw new AppError('conflict.stale');
  return (await loadSystem(trx, id))!;
}

/** Replaces a system (its fields and links); If-Match version (412 when stale). */
export async function updateSystem(services: Services, actor: Actor, id: string, expectedVersion: number, input: GovernmentSystemInput): Promise<GovernmentSystem> {
  const manage = requireAccess(actor, 'catalog:manage');
  const value = validated(input);
  return write(services, async (trx) => {
    const before = await lockForChange(trx, actor, manage, id, expectedVersion);
    await checkReferences(trx, actor, manage, value);
    // 第二十八条: a newly named 改建/扩建 project may not upgrade a system that may not be rebuilt.
    const linked = new Set(before.projects.filter((p) => p.relation === 'upgrade').map((p) => p.projectId));
    await assertMayRebuild(trx, services.now(), id, value.networkType, profileOf(value), upgradeIds(value).filter((p) => !linked.has(p)));
    await trx.updateTable('government_systems').set({ ...columns(value), version: before.version + 1, updated_at: services.now() })
      .where('id', '=', id).execute();
    await replaceLinks(trx, id, value);
    const after = (await loadSystem(trx, id))!;
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'catalog:manage'), action: 'system.update', objectType: 'system', objectId: id,
      outcome: 'success', diff: changedFields(before, after), ...requestFacts(actor),
    });
    return after;
  });
}

/**
 * Removes a system registered by mistake; If-Match version. A system with exception decisions
 * is evidence of them and stays (409): a system no longer in use is set to 下线 instead.
 */
export async function deleteSystem(services: Services, actor: Actor, id: string, expectedVersion: number): Promise<void> {
  const manage = requireAccess(actor, 'catalog:manage');
  await write(services, async (trx) => {
    const before = await lockForChange(trx, actor, manage, id, expectedVersion);
    const decided = await trx.selectFrom('isolation_exceptions').select('id').where('system_id', '=', id).limit(1).executeTakeFirst();
    if (decided) throw new AppError('system.has_decisions');
    // Security records and sharing findings (第十四条–第十七条, 第二十八条) are evidence too.
    const recorded = await trx.selectFrom('security_records').select('id').where('system_id', '=', id).limit(1).executeTakeFirst()
      ?? await trx.selectFrom('sharing_findings').select('id').where('system_id', '=', id).limit(1).executeTakeFirst();
    if (recorded) throw new AppError('system.has_records');
    await trx.deleteFrom('government_systems').where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'catalog:manage'), action: 'system.delete', objectType: 'system', objectId: id,
      outcome: 'success', diff: { before: { ...before } }, ...requestFacts(actor),
    });
  });
}

/**
 * The systems a project built or upgraded, read with the project (project:read and the project's
 * own visibility), so a reviewer sees them without reading the whole catalog.
 */
export async function listProjectSystems(services: Services, actor: Actor, projectId: string) {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  const project = await db.selectFrom('projects as p').select('p.id').where('p.id', '=', projectId).where(projectVisible(scope)).executeTakeFirst();
  if (!project) throw new AppError('resource.not_found');
  const rows = await withColumns(systemsFrom(db)).where((eb) => eb.exists(eb.selectFrom('government_system_projects as l')
    .select('l.system_id').whereRef('l.system_id', '=', 's.id').where('l.project_id', '=', projectId)))
    .orderBy('o.name').orderBy('s.name').execute();
  const items = await present(db, rows);
  return { items, total: items.length };
}
