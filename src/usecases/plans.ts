// 第六条 plans: the national government-informatization construction plan (NDRC, approved by the
// State Council) and the departments' plans that link to it; tasks; approval; adjustments with
// an evaluation of the changed circumstances. Every approved state is an immutable version.
//
// A draft is edited freely. Approval makes version 1. After that the plan changes only by an
// adjustment, which makes the next version and never rewrites an earlier one. The plan row's
// `version` (If-Match) covers the plan and its tasks: any task change moves it too.
import { sql } from 'kysely';
import {
  diffSnapshots, isBlank, isEmptyDiff, shanghaiDate, type AdjustmentReason, type PlanLevel, type PlanSnapshot,
  type PlanStatus, type PlanVersionSource, type SnapshotDiff,
} from '../domain/plan.ts';
import { resolveAccess, type DataScope } from '../domain/authz.ts';
import { DEMO_DEPARTMENT_PLAN, DEMO_NATIONAL_PLAN } from '../domain/demo-plans.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent, type AuditActor } from '../audit/writer.ts';
import { changedFields } from '../audit/diff.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

export interface PlanTask {
  id: string;
  planId: string;
  code: string;
  title: string;
  description: string;
  parentTaskId: string | null;
  sortOrder: number;
  /** The version from which an adjustment took the task out of the plan; null while current. */
  withdrawnInVersion: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Plan {
  id: string;
  level: PlanLevel;
  parentPlanId: string | null;
  organizationId: string;
  organizationName: string;
  name: string;
  periodStartYear: number;
  periodEndYear: number;
  status: PlanStatus;
  approvedOn: string | null;
  approvalDocumentNumber: string | null;
  currentVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  tasks: PlanTask[];
}

export interface PlanVersionSummary {
  planId: string;
  versionNo: number;
  source: PlanVersionSource;
  adjustmentId: string | null;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
}

export interface PlanVersion extends PlanVersionSummary {
  snapshot: PlanSnapshot;
}

export interface PlanAdjustment {
  id: string;
  planId: string;
  reasonCategory: AdjustmentReason;
  evaluation: string;
  description: string;
  changes: SnapshotDiff;
  approvedOn: string;
  approvalDocumentNumber: string | null;
  versionNo: number;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
}

const PLAN_COLUMNS = [
  'p.id', 'p.level', 'p.parent_plan_id', 'p.organization_id', 'o.name as organization_name', 'p.name', 'p.period_start_year',
  'p.period_end_year', 'p.status', 'p.approved_on', 'p.approval_document_number', 'p.current_version', 'p.version',
  'p.created_at', 'p.updated_at',
] as const;
const TASK_COLUMNS = [
  'id', 'plan_id', 'code', 'title', 'description', 'parent_task_id', 'sort_order', 'withdrawn_in_version', 'version',
  'created_at', 'updated_at',
] as const;

interface PlanRow {
  id: string; level: PlanLevel; parent_plan_id: string | null; organization_id: string; organization_name: string; name: string;
  period_start_year: number; period_end_year: number; status: PlanStatus; approved_on: string | null;
  approval_document_number: string | null; current_version: number; version: number; created_at: Date; updated_at: Date;
}
interface TaskRow {
  id: string; plan_id: string; code: string; title: string; description: string; parent_task_id: string | null;
  sort_order: number; withdrawn_in_version: number | null; version: number; created_at: Date; updated_at: Date;
}

function presentTask(r: TaskRow): PlanTask {
  return {
    id: r.id, planId: r.plan_id, code: r.code, title: r.title, description: r.description, parentTaskId: r.parent_task_id,
    sortOrder: r.sort_order, withdrawnInVersion: r.withdrawn_in_version, version: r.version,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

function presentPlan(r: PlanRow, tasks: PlanTask[]): Plan {
  return {
    id: r.id, level: r.level, parentPlanId: r.parent_plan_id, organizationId: r.organization_id, organizationName: r.organization_name,
    name: r.name, periodStartYear: r.period_start_year, periodEndYear: r.period_end_year, status: r.status,
    approvedOn: r.approved_on, approvalDocumentNumber: r.approval_document_number, currentVersion: r.current_version,
    version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), tasks,
  };
}

/** The plan fields an audit event records (the tasks have their own events). */
function auditFields(p: Plan): Omit<Plan, 'tasks' | 'createdAt' | 'updatedAt'> {
  const { tasks: _t, createdAt: _c, updatedAt: _u, ...rest } = p;
  return rest;
}

function auditTask(t: PlanTask): Omit<PlanTask, 'createdAt' | 'updatedAt'> {
  const { createdAt: _c, updatedAt: _u, ...rest } = t;
  return rest;
}

function plansQuery(db: Executor) {
  return db.selectFrom('plans as p').innerJoin('organizations as o', 'o.id', 'p.organization_id').select(PLAN_COLUMNS);
}

async function tasksOf(db: Executor, planIds: readonly string[]): Promise<Map<string, PlanTask[]>> {
  const out = new Map<string, PlanTask[]>(planIds.map((id) => [id, []]));
  if (planIds.length === 0) return out;
  const rows = await db.selectFrom('plan_tasks').select(TASK_COLUMNS).where('plan_id', 'in', [...planIds])
    .orderBy('sort_order').orderBy('code').execute();
  for (const r of rows) out.get(r.plan_id)!.push(presentTask(r));
  return out;
}

async function loadPlan(db: Executor, id: string): Promise<Plan> {
  const row = await plansQuery(db).where('p.id', '=', id).executeTakeFirstOrThrow();
  return presentPlan(row, (await tasksOf(db, [id])).get(id)!);
}

/** The plan scope of `permission`, or null when the actor does not hold it. */
function scopeOf(actor: Actor, permission: 'plan:read' | 'plan:manage'): DataScope | null {
  const access = resolveAccess(actor, permission);
  return access.allowed ? access.scope : null;
}

/**
 * Locks plan `id` for a write by `actor`. Not found, or not even readable: 404; readable but
 * outside the actor's plan:manage scope: 403; stale If-Match: 412.
 */
async function lockPlanForWrite(trx: Tx, actor: Actor, manageScope: DataScope, id: string, expectedVersion: number | null): Promise<PlanRow> {
  const readScope = scopeOf(actor, 'plan:read');
  const row = await trx.selectFrom('plans as p').innerJoin('organizations as o', 'o.id', 'p.organization_id')
    .select(PLAN_COLUMNS)
    .select([
      scopePredicate(manageScope, 'p.organization_id').as('manageable'),
      (readScope ? scopePredicate(readScope, 'p.organization_id') : sql<boolean>`false`).as('readable'),
    ])
    .where('p.id', '=', id).forUpdate('p').executeTakeFirst();
  if (!row || (!row.manageable && !row.readable)) throw new AppError('resource.not_found');
  if (!row.manageable) throw new AppError('auth.forbidden', { params: { permission: 'plan:manage' } });
  if (expectedVersion !== null && row.version !== expectedVersion) throw new AppError('conflict.stale');
  return row;
}

async function readablePlanExists(db: Executor, actor: Actor, id: string): Promise<void> {
  const scope = requireAccess(actor, 'plan:read');
  const row = await db.selectFrom('plans').select('id').where('id', '=', id)
    .where(scopePredicate(scope, 'plans.organization_id')).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
}

function assertPeriod(start: number, end: number, path = 'periodEndYear') {
  if (start > end) throw new AppError('validation.failed', { fields: [{ path, code: 'too_small' }] });
}

function assertNotFuture(services: Services, date: string, path: string) {
  if (date > shanghaiDate(services.now())) throw new AppError('validation.failed', { fields: [{ path, code: 'not_in_future' }] });
}

// ——— Reading ———

export interface PlanFilter {
  level?: PlanLevel | undefined;
  status?: PlanStatus | undefined;
}

/** The plans the actor may see, with their tasks: the national plans first, newest first. */
export async function listPlans(services: Services, actor: Actor, filter: PlanFilter = {}): Promise<Plan[]> {
  const scope = requireAccess(actor, 'plan:read');
  let q = plansQuery(services.database.db).where(scopePredicate(scope, 'p.organization_id'));
  if (filter.level) q = q.where('p.level', '=', filter.level);
  if (filter.status) q = q.where('p.status', '=', filter.status);
  const rows = await q.orderBy('p.level', 'desc').orderBy('p.period_start_year', 'desc').orderBy('p.name').orderBy('p.id').execute();
  const tasks = await tasksOf(services.database.db, rows.map((r) => r.id));
  return rows.map((r) => presentPlan(r, tasks.get(r.id)!));
}

export async function getPlan(services: Services, actor: Actor, id: string): Promise<Plan> {
  await readablePlanExists(services.database.db, actor, id);
  return loadPlan(services.database.db, id);
}

// ——— Tasks (shared by creation, task edits and adjustments) ———

export interface PlanTaskInput {
  code: string;
  title: string;
  description?: string | undefined;
  /** A department task: the national task it implements. */
  parentTaskId?: string | null | undefined;
  sortOrder?: number | undefined;
}

export type PlanTaskPatch = Partial<PlanTaskInput>;

/** A department task may link only to a current task of the national plan its plan links to. */
async function assertTaskLink(trx: Tx, plan: Pick<PlanRow, 'level' | 'parent_plan_id'>, parentTaskId: string | null | undefined, path: string) {
  if (parentTaskId === null || parentTaskId === undefined) return;
  const ok = plan.level === 'department' && plan.parent_plan_id !== null && await trx.selectFrom('plan_tasks').select('id')
    .where('id', '=', parentTaskId).where('plan_id', '=', plan.parent_plan_id).where('withdrawn_in_version', 'is', null)
    .executeTakeFirst() !== undefined;
  if (!ok) throw new AppError('plan.task_link_invalid', { fields: [{ path, code: 'unknown_reference' }] });
}

async function assertCodeFree(trx: Tx, planId: string, code: string, path: string, exceptTaskId: string | null = null) {
  let q = trx.selectFrom('plan_tasks').select('id').where('plan_id', '=', planId).where('code', '=', code);
  if (exceptTaskId) q = q.where('id', '<>', exceptTaskId);
  if (await q.executeTakeFirst()) {
    throw new AppError('conflict.duplicate', { params: { field: `任务编号 ${code}` }, fields: [{ path, code: 'duplicate' }] });
  }
}

async function insertTask(trx: Tx, plan: PlanRow, input: PlanTaskInput, path: string): Promise<PlanTask> {
  await assertTaskLink(trx, plan, input.parentTaskId, `${path}parentTaskId`);
  await assertCodeFree(trx, plan.id, input.code, `${path}code`);
  let sortOrder = input.sortOrder;
  if (sortOrder === undefined) {
    const max = await trx.selectFrom('plan_tasks').select((eb) => eb.fn.max('sort_order').as('m')).where('plan_id', '=', plan.id).executeTakeFirst();
    sortOrder = (max?.m ?? 0) + 1;
  }
  const row = await trx.insertInto('plan_tasks').values({
    plan_id: plan.id, code: input.code, title: input.title, description: input.description ?? '',
    parent_task_id: input.parentTaskId ?? null, sort_order: sortOrder,
  }).returning(TASK_COLUMNS).executeTakeFirstOrThrow();
  return presentTask(row);
}

async function bumpPlan(services: Services, trx: Tx, plan: PlanRow) {
  await trx.updateTable('plans').set({ version: plan.version + 1, updated_at: services.now() }).where('id', '=', plan.id).execute();
}

// ——— Versions ———

/** The plan and its current tasks as they stand in `db` now, with the approval of this version. */
async function snapshotOf(db: Executor, planId: string, approval: PlanSnapshot['approval']): Promise<PlanSnapshot> {
  const p = await plansQuery(db).where('p.id', '=', planId).executeTakeFirstOrThrow();
  const tasks = await db.selectFrom('plan_tasks').select(['id', 'code', 'title', 'description', 'parent_task_id', 'sort_order'])
    .where('plan_id', '=', planId).where('withdrawn_in_version', 'is', null).orderBy('sort_order').orderBy('code').execute();
  return {
    plan: {
      id: p.id, level: p.level, parentPlanId: p.parent_plan_id, organizationId: p.organization_id, organizationName: p.organization_name,
      name: p.name, periodStartYear: p.period_start_year, periodEndYear: p.period_end_year,
    },
    approval,
    tasks: tasks.map((t) => ({ id: t.id, code: t.code, title: t.title, description: t.description, parentTaskId: t.parent_task_id, sortOrder: t.sort_order })),
  };
}

/** Writes version `versionNo` of the plan: a snapshot of what is in force now. Never rewritten. */
export async function writePlanVersion(
  trx: Tx, planId: string, versionNo: number, source: PlanVersionSource, approval: PlanSnapshot['approval'], createdBy: string | null,
): Promise<PlanSnapshot> {
  const snapshot = await snapshotOf(trx, planId, approval);
  await trx.insertInto('plan_versions').values({
    plan_id: planId, version_no: versionNo, source, snapshot: JSON.stringify(snapshot), created_by: createdBy,
  }).execute();
  return snapshot;
}

/** The snapshot of the version in force (the latest), for the "before" of an adjustment. */
async function currentSnapshot(trx: Tx, planId: string, versionNo: number): Promise<PlanSnapshot> {
  const row = await trx.selectFrom('plan_versions').select('snapshot').where('plan_id', '=', planId).where('version_no', '=', versionNo)
    .executeTakeFirstOrThrow();
  return row.snapshot as PlanSnapshot;
}

export async function listPlanVersions(services: Services, actor: Actor, planId: string): Promise<PlanVersionSummary[]> {
  const db = services.database.db;
  await readablePlanExists(db, actor, planId);
  const rows = await db.selectFrom('plan_versions as v')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .leftJoin('plan_adjustments as a', (j) => j.onRef('a.plan_id', '=', 'v.plan_id').onRef('a.version_no', '=', 'v.version_no'))
    .select(['v.plan_id', 'v.version_no', 'v.source', 'v.created_by', 'u.display_name', 'v.created_at', 'a.id as adjustment_id'])
    .where('v.plan_id', '=', planId).orderBy('v.version_no').execute();
  return rows.map((r) => ({
    planId: r.plan_id, versionNo: r.version_no, source: r.source, adjustmentId: r.adjustment_id, createdBy: r.created_by,
    createdByName: r.display_name, createdAt: r.created_at.toISOString(),
  }));
}

export async function getPlanVersion(services: Services, actor: Actor, planId: string, versionNo: number): Promise<PlanVersion> {
  const db = services.database.db;
  await readablePlanExists(db, actor, planId);
  const r = await db.selectFrom('plan_versions as v')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .leftJoin('plan_adjustments as a', (j) => j.onRef('a.plan_id', '=', 'v.plan_id').onRef('a.version_no', '=', 'v.version_no'))
    .select(['v.plan_id', 'v.version_no', 'v.source', 'v.snapshot', 'v.created_by', 'u.display_name', 'v.created_at', 'a.id as adjustment_id'])
    .where('v.plan_id', '=', planId).where('v.version_no', '=', versionNo).executeTakeFirst();
  if (!r) throw new AppError('resource.not_found');
  return {
    planId: r.plan_id, versionNo: r.version_no, source: r.source, adjustmentId: r.adjustment_id, createdBy: r.created_by,
    createdByName: r.display_name, createdAt: r.created_at.toISOString(), snapshot: r.snapshot as PlanSnapshot,
  };
}

export async function listPlanAdjustments(services: Services, actor: Actor, planId: string): Promise<PlanAdjustment[]> {
  await readablePlanExists(services.database.db, actor, planId);
  return listAdjustmentsIn(services.database.db, planId);
}

// ——— Writing ———

export interface CreatePlanInput {
  level: PlanLevel;
  /** Required for a department plan: the approved national plan it links to (衔接). */
  parentPlanId?: string | null | undefined;
  organizationId: string;
  name: string;
  periodStartYear: number;
  periodEndYear: number;
  tasks?: PlanTaskInput[] | undefined;
}

/**
 * Creates a draft plan. The national plan needs the plan:manage scope `all` (NDRC); a
 * department plan belongs to an organization inside the actor's scope and links to an approved
 * national plan.
 */
export async function createPlan(services: Services, actor: Actor, input: CreatePlanInput): Promise<Plan> {
  const scope = requireAccess(actor, 'plan:manage');
  assertPeriod(input.periodStartYear, input.periodEndYear);
  if (input.level === 'national' && !scope.all) throw new AppError('auth.forbidden', { params: { permission: 'plan:manage' } });
  return services.database.db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organizations').select([scopePredicate(scope, 'organizations.id').as('inScope')])
      .where('id', '=', input.organizationId).executeTakeFirst();
    if (!org) throw new AppError('validation.failed', { fields: [{ path: 'organizationId', code: 'unknown_reference' }] });
    if (!org.inScope) throw new AppError('auth.forbidden', { params: { permission: 'plan:manage' } });
    let parentPlanId: string | null = null;
    if (input.level === 'national') {
      if (input.parentPlanId) throw new AppError('validation.failed', { fields: [{ path: 'parentPlanId', code: 'invalid' }] });
    } else {
      if (!input.parentPlanId) throw new AppError('plan.link_required', { fields: [{ path: 'parentPlanId', code: 'required' }] });
      const parent = await trx.selectFrom('plans').select(['level', 'status']).where('id', '=', input.parentPlanId).executeTakeFirst();
      if (!parent || parent.level !== 'national' || parent.status !== 'approved') {
        throw new AppError('plan.link_required', { fields: [{ path: 'parentPlanId', code: parent ? 'invalid' : 'unknown_reference' }] });
      }
      parentPlanId = input.parentPlanId;
    }
    const { id } = await trx.insertInto('plans').values({
      level: input.level, parent_plan_id: parentPlanId, organization_id: input.organizationId, name: input.name,
      period_start_year: input.periodStartYear, period_end_year: input.periodEndYear, created_by: actor.userId,
    }).returning('id').executeTakeFirstOrThrow();
    const row = await plansQuery(trx).where('p.id', '=', id).executeTakeFirstOrThrow();
    for (const [i, t] of (input.tasks ?? []).entries()) await insertTask(trx, row, t, `tasks.${i}.`);
    const plan = await loadPlan(trx, id);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'plan:manage'), action: 'plan.create', objectType: 'plan', objectId: id, outcome: 'success',
      diff: { after: { ...auditFields(plan), tasks: plan.tasks.map(auditTask) } }, ...requestFacts(actor),
    });
    return plan;
  });
}

export interface UpdatePlanInput {
  name?: string | undefined;
  periodStartYear?: number | undefined;
  periodEndYear?: number | undefined;
}

/** Edits a draft plan (If-Match). An approved plan changes only by adjustment. */
export async function updatePlan(services: Services, actor: Actor, id: string, expectedVersion: number, patch: UpdatePlanInput): Promise<Plan> {
  const scope = requireAccess(actor, 'plan:manage');
  return services.database.db.transaction().execute(async (trx) => {
    const current = await lockPlanForWrite(trx, actor, scope, id, expectedVersion);
    if (current.status !== 'draft') throw new AppError('plan.not_draft');
    assertPeriod(patch.periodStartYear ?? current.period_start_year, patch.periodEndYear ?? current.period_end_year);
    const before = await loadPlan(trx, id);
    await trx.updateTable('plans').set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.periodStartYear !== undefined ? { period_start_year: patch.periodStartYear } : {}),
      ...(patch.periodEndYear !== undefined ? { period_end_year: patch.periodEndYear } : {}),
      version: current.version + 1, updated_at: services.now(),
    }).where('id', '=', id).execute();
    const after = await loadPlan(trx, id);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'plan:manage'), action: 'plan.update', objectType: 'plan', objectId: id, outcome: 'success',
      diff: changedFields(auditFields(before), auditFields(after)), ...requestFacts(actor),
    });
    return after;
  });
}

/** Adds a task to a draft plan. */
export async function addPlanTask(services: Services, actor: Actor, planId: string, input: PlanTaskInput): Promise<PlanTask> {
  const scope = requireAccess(actor, 'plan:manage');
  return services.database.db.transaction().execute(async (trx) => {
    const plan = await lockPlanForWrite(trx, actor, scope, planId, null);
    if (plan.status !== 'draft') throw new AppError('plan.not_draft');
    const task = await insertTask(trx, plan, input, '');
    await bumpPlan(services, trx, plan);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'plan:manage'), action: 'plan_task.create', objectType: 'plan_task', objectId: task.id, outcome: 'success',
      diff: { after: auditTask(task) }, ...requestFacts(actor),
    });
    return task;
  });
}

/** Edits a task of a draft plan (If-Match: the task's version). */
export async function updatePlanTask(
  services: Services, actor: Actor, planId: string, taskId: string, expectedVersion: number, patch: PlanTaskPatch,
): Promise<PlanTask> {
  const scope = requireAccess(actor, 'plan:manage');
  return services.database.db.transaction().execute(async (trx) => {
    const plan = await lockPlanForWrite(trx, actor, scope, planId, null);
    const current = await trx.selectFrom('plan_tasks').select(TASK_COLUMNS).where('id', '=', taskId).where('plan_id', '=', planId)
      .forUpdate().executeTakeFirst();
    if (!current) throw new AppError('resource.not_found');
    if (current.version !== expectedVersion) throw new AppError('conflict.stale');
    if (plan.status !== 'draft') throw new AppError('plan.not_draft');
    if (patch.parentTaskId !== undefined) await assertTaskLink(trx, plan, patch.parentTaskId, 'parentTaskId');
    if (patch.code !== undefined) await assertCodeFree(trx, planId, patch.code, 'code', taskId);
    const row = await trx.updateTable('plan_tasks').set({
      ...taskChanges(patch), version: current.version + 1, updated_at: services.now(),
    }).where('id', '=', taskId).returning(TASK_COLUMNS).executeTakeFirstOrThrow();
    await bumpPlan(services, trx, plan);
    const after = presentTask(row);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'plan:manage'), action: 'plan_task.update', objectType: 'plan_task', objectId: taskId, outcome: 'success',
      diff: changedFields(auditTask(presentTask(current)), auditTask(after)), ...requestFacts(actor),
    });
    return after;
  });
}

function taskChanges(patch: PlanTaskPatch) {
  return {
    ...(patch.code !== undefined ? { code: patch.code } : {}),
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.parentTaskId !== undefined ? { parent_task_id: patch.parentTaskId } : {}),
    ...(patch.sortOrder !== undefined ? { sort_order: patch.sortOrder } : {}),
  };
}

export interface ApprovePlanInput {
  /** 批准日期 (Asia/Shanghai calendar date), not in the future. */
  approvedOn: string;
  /** 批准文号: required for the national plan (approved by the State Council). */
  approvalDocumentNumber?: string | null | undefined;
}

/** Records the approval of a draft plan (If-Match) and writes version 1. */
export async function approvePlan(services: Services, actor: Actor, id: string, expectedVersion: number, input: ApprovePlanInput): Promise<Plan> {
  const scope = requireAccess(actor, 'plan:manage');
  assertNotFuture(services, input.approvedOn, 'approvedOn');
  return services.database.db.transaction().execute(async (trx) => {
    const current = await lockPlanForWrite(trx, actor, scope, id, expectedVersion);
    if (current.status !== 'draft') throw new AppError('plan.not_draft');
    const documentNumber = isBlank(input.approvalDocumentNumber) ? null : input.approvalDocumentNumber!.trim();
    if (current.level === 'national' && documentNumber === null) {
      throw new AppError('plan.approval_document_required', { fields: [{ path: 'approvalDocumentNumber', code: 'required' }] });
    }
    const tasks = await trx.selectFrom('plan_tasks').select('id').where('plan_id', '=', id).where('withdrawn_in_version', 'is', null).execute();
    if (tasks.length === 0) throw new AppError('plan.no_tasks');
    const before = await loadPlan(trx, id);
    await trx.updateTable('plans').set({
      status: 'approved', approved_on: input.approvedOn, approval_document_number: documentNumber, current_version: 1,
      version: current.version + 1, updated_at: services.now(),
    }).where('id', '=', id).execute();
    await writePlanVersion(trx, id, 1, 'approval', { approvedOn: input.approvedOn, approvalDocumentNumber: documentNumber }, actor.userId);
    const after = await loadPlan(trx, id);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'plan:manage'), action: 'plan.approve', objectType: 'plan', objectId: id, outcome: 'success',
      diff: changedFields(auditFields(before), auditFields(after)), ...requestFacts(actor),
    });
    return after;
  });
}

export interface AdjustPlanInput {
  reasonCategory: AdjustmentReason;
  /** 评估论证 of the changed circumstances: required, not blank. */
  evaluation: string;
  /** 调整意见: what is changed and why, in words. */
  description: string;
  /** The approval of the adjustment (the State Council's, for the national plan). */
  approvedOn: string;
  approvalDocumentNumber?: string | null | undefined;
  plan?: UpdatePlanInput | undefined;
  addTasks?: PlanTaskInput[] | undefined;
  updateTasks?: Array<PlanTaskPatch & { id: string }> | undefined;
  withdrawTaskIds?: string[] | undefined;
}

/**
 * 第六条: adjusts an approved plan (If-Match). The evaluation is required; the result is the
 * next version, and the adjustment records the reason, the evaluation, the approval and what
 * changed. Earlier versions are never touched.
 */
export async function adjustPlan(
  services: Services, actor: Actor, id: string, expectedVersion: number, input: AdjustPlanInput,
): Promise<{ adjustment: PlanAdjustment; plan: Plan }> {
  const scope = requireAccess(actor, 'plan:manage');
  if (isBlank(input.evaluation)) throw new AppError('plan.evaluation_required', { fields: [{ path: 'evaluation', code: 'required' }] });
  if (isBlank(input.description)) throw new AppError('validation.failed', { fields: [{ path: 'description', code: 'required' }] });
  assertNotFuture(services, input.approvedOn, 'approvedOn');
  const planPatch = input.plan ?? {};
  const updates = input.updateTasks ?? [];
  const withdrawals = input.withdrawTaskIds ?? [];
  const additions = input.addTasks ?? [];
  const touched = [...updates.map((u) => u.id), ...withdrawals];
  if (new Set(touched).size !== touched.length) {
    throw new AppError('validation.failed', { fields: [{ path: 'withdrawTaskIds', code: 'duplicate' }] });
  }
  return services.database.db.transaction().execute(async (trx) => {
    const current = await lockPlanForWrite(trx, actor, scope, id, expectedVersion);
    if (current.status !== 'approved') throw new AppError('plan.not_approved');
    const documentNumber = isBlank(input.approvalDocumentNumber) ? null : input.approvalDocumentNumber!.trim();
    if (current.level === 'national' && documentNumber === null) {
      throw new AppError('plan.approval_document_required', { fields: [{ path: 'approvalDocumentNumber', code: 'required' }] });
    }
    assertPeriod(planPatch.periodStartYear ?? current.period_start_year, planPatch.periodEndYear ?? current.period_end_year, 'plan.periodEndYear');
    const versionNo = current.current_version + 1;
    const before = await currentSnapshot(trx, id, current.current_version);
    const now = services.now();

    const activeIds = new Set((await trx.selectFrom('plan_tasks').select('id').where('plan_id', '=', id)
      .where('withdrawn_in_version', 'is', null).execute()).map((t) => t.id));
    for (const [i, taskId] of withdrawals.entries()) {
      if (!activeIds.has(taskId)) throw new AppError('validation.failed', { fields: [{ path: `withdrawTaskIds.${i}`, code: 'unknown_reference' }] });
      await trx.updateTable('plan_tasks').set({ withdrawn_in_version: versionNo, updated_at: now }).where('id', '=', taskId).execute();
    }
    for (const [i, { id: taskId, ...patch }] of updates.entries()) {
      if (!activeIds.has(taskId)) throw new AppError('validation.failed', { fields: [{ path: `updateTasks.${i}.id`, code: 'unknown_reference' }] });
      if (patch.parentTaskId !== undefined) await assertTaskLink(trx, current, patch.parentTaskId, `updateTasks.${i}.parentTaskId`);
      if (patch.code !== undefined) await assertCodeFree(trx, id, patch.code, `updateTasks.${i}.code`, taskId);
      await trx.updateTable('plan_tasks').set({ ...taskChanges(patch), version: sql<number>`version + 1`, updated_at: now })
        .where('id', '=', taskId).execute();
    }
    for (const [i, t] of additions.entries()) await insertTask(trx, current, t, `addTasks.${i}.`);

    const remaining = await trx.selectFrom('plan_tasks').select('id').where('plan_id', '=', id).where('withdrawn_in_version', 'is', null).execute();
    if (remaining.length === 0) throw new AppError('plan.no_tasks');
    await trx.updateTable('plans').set({
      ...(planPatch.name !== undefined ? { name: planPatch.name } : {}),
      ...(planPatch.periodStartYear !== undefined ? { period_start_year: planPatch.periodStartYear } : {}),
      ...(planPatch.periodEndYear !== undefined ? { period_end_year: planPatch.periodEndYear } : {}),
      current_version: versionNo, version: current.version + 1, updated_at: now,
    }).where('id', '=', id).execute();
    const approval = { approvedOn: input.approvedOn, approvalDocumentNumber: documentNumber };
    const after = await snapshotOf(trx, id, approval);
    const changes = diffSnapshots(before, after);
    if (isEmptyDiff(changes)) throw new AppError('plan.adjustment_empty');
    await trx.insertInto('plan_versions').values({
      plan_id: id, version_no: versionNo, source: 'adjustment', snapshot: JSON.stringify(after), created_by: actor.userId,
    }).execute();
    const { id: adjustmentId } = await trx.insertInto('plan_adjustments').values({
      plan_id: id, reason_category: input.reasonCategory, evaluation: input.evaluation.trim(), description: input.description.trim(),
      changes: JSON.stringify(changes), approved_on: input.approvedOn, approval_document_number: documentNumber,
      version_no: versionNo, created_by: actor.userId,
    }).returning('id').executeTakeFirstOrThrow();
    const plan = await loadPlan(trx, id);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'plan:manage'), action: 'plan.adjust', objectType: 'plan', objectId: id, outcome: 'success',
      diff: {
        before: {
          ...changes.plan.before, currentVersion: current.current_version, version: current.version,
          tasks: [...changes.changed.map((c) => ({ id: c.id, code: c.code, ...c.before })), ...changes.withdrawn],
        },
        after: {
          ...changes.plan.after, currentVersion: plan.currentVersion, version: plan.version,
          tasks: [...changes.changed.map((c) => ({ id: c.id, code: c.code, ...c.after })), ...changes.added],
          withdrawnTaskIds: changes.withdrawn.map((t) => t.id),
          adjustment: {
            id: adjustmentId, reasonCategory: input.reasonCategory, evaluation: input.evaluation.trim(), description: input.description.trim(),
            approvedOn: input.approvedOn, approvalDocumentNumber: documentNumber, versionNo,
          },
        },
      },
      ...requestFacts(actor),
    });
    const [adjustment] = (await listAdjustmentsIn(trx, id)).filter((a) => a.id === adjustmentId);
    return { adjustment: adjustment!, plan };
  });
}

async function listAdjustmentsIn(db: Executor, planId: string): Promise<PlanAdjustment[]> {
  const rows = await db.selectFrom('plan_adjustments as a').leftJoin('users as u', 'u.id', 'a.created_by')
    .select([
      'a.id', 'a.plan_id', 'a.reason_category', 'a.evaluation', 'a.description', 'a.changes', 'a.approved_on',
      'a.approval_document_number', 'a.version_no', 'a.created_by', 'u.display_name', 'a.created_at',
    ])
    .where('a.plan_id', '=', planId).orderBy('a.version_no').execute();
  return rows.map((r) => ({
    id: r.id, planId: r.plan_id, reasonCategory: r.reason_category, evaluation: r.evaluation, description: r.description,
    changes: r.changes as SnapshotDiff, approvedOn: r.approved_on, approvalDocumentNumber: r.approval_document_number,
    versionNo: r.version_no, createdBy: r.created_by, createdByName: r.display_name, createdAt: r.created_at.toISOString(),
  }));
}

// ——— For other resources ———

/**
 * A plan task as a project links to it (列入规划): found, the plan's level and status, and
 * whether the task is still current. Null when there is no such task.
 */
export async function findPlanTask(db: Executor, taskId: string): Promise<
  { taskId: string; planId: string; planLevel: PlanLevel; planStatus: PlanStatus; current: boolean } | null
> {
  const r = await db.selectFrom('plan_tasks as t').innerJoin('plans as p', 'p.id', 't.plan_id')
    .select(['t.id', 't.plan_id', 'p.level', 'p.status', 't.withdrawn_in_version']).where('t.id', '=', taskId).executeTakeFirst();
  return r ? { taskId: r.id, planId: r.plan_id, planLevel: r.level, planStatus: r.status, current: r.withdrawn_in_version === null } : null;
}

// ——— Demo ———

export interface SeedPlanInput {
  level: PlanLevel;
  parentPlanId: string | null;
  organizationId: string;
  name: string;
  periodStartYear: number;
  periodEndYear: number;
  approvedOn: string;
  approvalDocumentNumber: string | null;
  tasks: Array<{ code: string; title: string; description: string; parentTaskId: string | null }>;
}

/**
 * Writes an approved plan with its tasks and version 1 inside the seed's transaction, audited
 * as the seeding operator did it. Returns the plan id and its task ids by code.
 */
export async function seedApprovedPlan(trx: Tx, auditActor: AuditActor, input: SeedPlanInput): Promise<{ id: string; taskIds: Map<string, string> }> {
  const { id } = await trx.insertInto('plans').values({
    level: input.level, parent_plan_id: input.parentPlanId, organization_id: input.organizationId, name: input.name,
    period_start_year: input.periodStartYear, period_end_year: input.periodEndYear, status: 'approved',
    approved_on: input.approvedOn, approval_document_number: input.approvalDocumentNumber, current_version: 1,
  }).returning('id').executeTakeFirstOrThrow();
  const taskIds = new Map<string, string>();
  for (const [i, t] of input.tasks.entries()) {
    const row = await trx.insertInto('plan_tasks').values({
      plan_id: id, code: t.code, title: t.title, description: t.description, parent_task_id: t.parentTaskId, sort_order: i + 1,
    }).returning('id').executeTakeFirstOrThrow();
    taskIds.set(t.code, row.id);
  }
  const snapshot = await writePlanVersion(trx, id, 1, 'approval',
    { approvedOn: input.approvedOn, approvalDocumentNumber: input.approvalDocumentNumber }, null);
  await appendAuditEvent(trx, {
    actor: auditActor, action: 'plan.create', objectType: 'plan', objectId: id, outcome: 'success',
    diff: { after: { ...snapshot.plan, status: 'approved', ...snapshot.approval, currentVersion: 1, tasks: snapshot.tasks, demo: true } },
    requestId: null, clientAddress: 'seed',
  });
  return { id, taskIds };
}

/**
 * The demo plans (src/domain/demo-plans.ts) inside the seed's transaction: the national plan
 * and the department plan whose tasks link to national tasks 2 and 3. `orgIds` maps DemoOrg
 * keys to organization ids.
 */
export async function seedDemoPlans(trx: Tx, auditActor: AuditActor, orgIds: ReadonlyMap<string, string>): Promise<void> {
  const national = await seedApprovedPlan(trx, auditActor, {
    ...DEMO_NATIONAL_PLAN, level: 'national', parentPlanId: null, organizationId: orgIds.get(DEMO_NATIONAL_PLAN.orgKey)!,
    tasks: DEMO_NATIONAL_PLAN.tasks.map((t) => ({ code: t.code, title: t.title, description: t.description, parentTaskId: null })),
  });
  await seedApprovedPlan(trx, auditActor, {
    ...DEMO_DEPARTMENT_PLAN, level: 'department', parentPlanId: national.id, organizationId: orgIds.get(DEMO_DEPARTMENT_PLAN.orgKey)!,
    tasks: DEMO_DEPARTMENT_PLAN.tasks.map((t) => ({
      code: t.code, title: t.title, description: t.description,
      parentTaskId: t.nationalTaskCode === null ? null : national.taskIds.get(t.nationalTaskCode)!,
    })),
  });
}
