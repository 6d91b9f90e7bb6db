// 信息资源目录 of a project (第十一条: 项目建设单位应当编制信息资源目录; 信息资源目录是审批政务
// 信息化项目的前提条件). Read with the project (project:read, the project's own visibility);
// edited by whoever may edit the project (project:update), and only while its current stage is
// editable (draft or returned), so a catalog cannot change under a submission being reviewed.
import type { Selectable } from 'kysely';
import { isEditable, isLifecycleState, stateName, type CatalogSummary } from '../domain/lifecycle.ts';
import type { DataScope } from '../domain/authz.ts';
import {
  catalogSummary, normalizeResource, resourceProblems, type DataItem, type InformationResourceInput,
} from '../domain/resource-catalog.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { changedFields } from '../audit/diff.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { InformationResourcesTable } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { visible } from './projects.ts';

/** A registered resource as the API presents it. */
export interface InformationResource extends InformationResourceInput {
  id: string;
  projectId: string;
  providerOrganizationName: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The catalog of one project, in code order, with what the approve guard will read. */
export interface ResourceCatalog {
  items: InformationResource[];
  total: number;
  summary: CatalogSummary;
}

export type ResourceRow = Selectable<InformationResourcesTable> & { provider_name: string };

/** Resources `r` with their provider's name (also the national catalog's views, resource-catalog-views.ts). */
export function selectResources(db: Executor) {
  return db.selectFrom('information_resources as r')
    .innerJoin('organizations as o', 'o.id', 'r.provider_organization_id')
    .selectAll('r')
    .select('o.name as provider_name');
}

/** A resource row as the API presents it. */
export function present(r: ResourceRow): InformationResource {
  return {
    id: r.id, projectId: r.project_id, code: r.code, name: r.name,
    classification: { kind: r.classification_kind, baseCategory: r.base_category },
    providerOrganizationId: r.provider_organization_id, providerOrganizationName: r.provider_name,
    format: r.format, updateCycle: r.update_cycle,
    sharingType: r.sharing_type, sharingBasis: r.sharing_basis,
    openType: r.open_type, openBasis: r.open_basis,
    involvesSecrets: r.involves_secrets,
    dataItems: (r.data_items as DataItem[]).map((d) => ({ name: d.name, type: d.type, description: d.description ?? null })),
    version: r.version, createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

/** The row of a valid resource (also the import's batched insert). */
export function columns(input: InformationResourceInput) {
  return {
    code: input.code,
    name: input.name,
    classification_kind: input.classification.kind,
    base_category: input.classification.baseCategory,
    provider_organization_id: input.providerOrganizationId,
    format: input.format,
    update_cycle: input.updateCycle,
    sharing_type: input.sharingType,
    sharing_basis: input.sharingBasis,
    open_type: input.openType,
    open_basis: input.openBasis,
    involves_secrets: input.involvesSecrets,
    data_items: JSON.stringify(input.dataItems),
  };
}

/** Every field problem at once (400), before anything is read or written. */
function validated(input: InformationResourceInput): InformationResourceInput {
  const problems = resourceProblems(input);
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
  return normalizeResource(input);
}

/** The project, if the scope sees it; 404 otherwise (SPEC §1: a denied read answers 404). */
async function findProject(db: Executor, scope: DataScope, projectId: string, lock: boolean) {
  let q = db.selectFrom('projects as p').select(['p.id', 'p.code', 'p.name', 'p.track', 'p.stage', 'p.status'])
    .where('p.id', '=', projectId).where(visible(scope));
  // The lock serializes catalog edits with the project's lifecycle actions, so the state read
  // here is still the state when the edit commits.
  if (lock) q = q.forUpdate();
  const project = await q.executeTakeFirst();
  if (!project) throw new AppError('resource.not_found');
  return project;
}

/** 第十一条: the catalog is part of what a stage submits, so it changes only while the stage is editable. */
function assertEditable(project: { track: string; stage: string; status: string }) {
  const state = { track: project.track, stage: project.stage, status: project.status };
  if (!isLifecycleState(state)) throw new Error(`project holds an undeclared lifecycle state ${state.stage}.${state.status}`);
  if (!isEditable(state)) throw new AppError('project.not_editable', { params: { state: stateName(state).zh } });
}

async function assertProvider(trx: Tx, input: InformationResourceInput) {
  const found = await trx.selectFrom('organizations').select('id').where('id', '=', input.providerOrganizationId).executeTakeFirst();
  if (!found) throw new AppError('validation.failed', { fields: [{ path: 'providerOrganizationId', code: 'unknown_reference' }] });
}

async function loadResource(db: Executor, projectId: string, resourceId: string): Promise<InformationResource | null> {
  const row = await selectResources(db).where('r.id', '=', resourceId).where('r.project_id', '=', projectId).executeTakeFirst();
  return row ? present(row as ResourceRow) : null;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

/** Runs `work` in its own transaction (or the caller's); a second resource with the same code in the project is 409. */
async function write<T>(services: Services, tx: Tx | undefined, work: (trx: Tx) => Promise<T>): Promise<T> {
  try {
    return tx ? await work(tx) : await services.database.db.transaction().execute(work);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict.duplicate', { params: { field: '信息资源代码' }, fields: [{ path: 'code', code: 'duplicate' }] });
    throw err;
  }
}

/** The project's catalog; 404 when the project is outside the caller's scope. */
export async function listResources(services: Services, actor: Actor, projectId: string): Promise<ResourceCatalog> {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  await findProject(db, scope, projectId, false);
  const items = (await selectResources(db).where('r.project_id', '=', projectId).orderBy('r.code').execute() as ResourceRow[]).map(present);
  return { items, total: items.length, summary: catalogSummary(items) };
}

/**
 * The project's catalog in keyset batches, for the streamed export. The project is checked
 * before the first byte is sent, so an invisible project is a 404 and not a broken download.
 */
export async function exportResources(services: Services, actor: Actor, projectId: string, batch = 1000) {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  const project = await findProject(db, scope, projectId, false);
  async function* batches(): AsyncGenerator<InformationResource[]> {
    let after: string | null = null;
    for (;;) {
      let q = selectResources(db).where('r.project_id', '=', projectId);
      if (after !== null) q = q.where('r.code', '>', after);
      const rows = await q.orderBy('r.code').limit(batch).execute() as ResourceRow[];
      if (rows.length === 0) return;
      yield rows.map(present);
      after = rows[rows.length - 1]!.code;
    }
  }
  return { project: { code: project.code, name: project.name }, batches: batches() };
}

/** Registers a resource in the catalog of an editable project. */
export async function createResource(services: Services, actor: Actor, projectId: string, input: InformationResourceInput, tx?: Tx): Promise<InformationResource> {
  const scope = requireAccess(actor, 'project:update');
  const value = validated(input);
  return write(services, tx, async (trx) => {
    assertEditable(await findProject(trx, scope, projectId, true));
    await assertProvider(trx, value);
    const row = await trx.insertInto('information_resources').values({
      ...columns(value), project_id: projectId, created_by: actor.userId,
    }).returning('id').executeTakeFirstOrThrow();
    const created = (await loadResource(trx, projectId, row.id))!;
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'information_resource.create', objectType: 'information_resource',
      objectId: row.id, outcome: 'success', diff: { after: { ...created } }, ...requestFacts(actor),
    });
    return created;
  });
}

/** Replaces a resource of an editable project; If-Match version (412 when stale). */
export async function updateResource(
  services: Services, actor: Actor, projectId: string, resourceId: string, expectedVersion: number, input: InformationResourceInput,
): Promise<InformationResource> {
  const scope = requireAccess(actor, 'project:update');
  const value = validated(input);
  return write(services, undefined, async (trx) => {
    const project = await findProject(trx, scope, projectId, true);
    const before = await loadResource(trx, projectId, resourceId);
    if (!before) throw new AppError('resource.not_found');
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    assertEditable(project);
    await assertProvider(trx, value);
    const updated = await trx.updateTable('information_resources').set({
      ...columns(value), version: before.version + 1, updated_at: services.now(),
    }).where('id', '=', resourceId).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
    if (!updated) throw new AppError('conflict.stale');
    const after = (await loadResource(trx, projectId, resourceId))!;
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'information_resource.update', objectType: 'information_resource',
      objectId: resourceId, outcome: 'success', diff: changedFields(before, after), ...requestFacts(actor),
    });
    return after;
  });
}

/** Removes a resource from an editable project's catalog; If-Match version (412 when stale). */
export async function deleteResource(services: Services, actor: Actor, projectId: string, resourceId: string, expectedVersion: number): Promise<void> {
  const scope = requireAccess(actor, 'project:update');
  await write(services, undefined, async (trx) => {
    const project = await findProject(trx, scope, projectId, true);
    const before = await loadResource(trx, projectId, resourceId);
    if (!before) throw new AppError('resource.not_found');
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    assertEditable(project);
    const deleted = await trx.deleteFrom('information_resources')
      .where('id', '=', resourceId).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
    if (!deleted) throw new AppError('conflict.stale');
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'information_resource.delete', objectType: 'information_resource',
      objectId: resourceId, outcome: 'success', diff: { before: { ...before } }, ...requestFacts(actor),
    });
  });
}

/**
 * The project's catalog as the lifecycle's approve guard reads it (第十一条, I-14); null when
 * the project has no resources at all. No access check: the caller has already loaded the
 * project within its scope. Inside a transaction pass the transaction.
 */
export async function catalogSummaryOf(db: Executor, projectId: string): Promise<CatalogSummary | null> {
  const rows = await db.selectFrom('information_resources').select(['sharing_type', 'sharing_basis'])
    .where('project_id', '=', projectId).execute();
  if (rows.length === 0) return null;
  return catalogSummary(rows.map((r) => ({ sharingType: r.sharing_type, sharingBasis: r.sharing_basis })));
}
