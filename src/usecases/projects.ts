// Projects (SPEC §2): create, edit, list and read, within the caller's data scope. A project
// is visible to the roles whose scope holds its construction unit, its approval department
// or one of its participating departments (a department sees what is routed to it).
import { refuseIfSanctioned } from './supervision.ts';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { scopeContains, type DataScope, type Permission } from '../domain/authz.ts';
import {
  checkStart, initialState, isEditable, isLifecycleState, stateName, type LifecycleContext, type LifecycleState, type ProjectKind,
  type UrgentDeclaration,
} from '../domain/lifecycle.ts';
import { formatWan, parseWan } from '../domain/money.ts';
import { issueProjectCode } from '../domain/project-code.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { changedFields } from '../audit/diff.ts';
import { ancestorIds } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { findPlanTask } from './plans.ts';

export const FUNDING_CHANNELS = ['central_budget', 'central_fiscal', 'local_fiscal', 'self_raised', 'other'] as const;
export type FundingChannel = (typeof FUNDING_CHANNELS)[number];

/** 绩效指标 (SPEC §11): structured, with a target per year. */
export interface PerformanceIndicator {
  indicator: string;
  category: 'output' | 'effect' | 'satisfaction' | 'cost';
  unit: string;
  /** Decimal text, so no float ever rounds a target. */
  baseline: string;
  targets: Array<{ year: number; value: string }>;
  direction: 'higher' | 'lower';
}

/** A system the project builds or upgrades (linked to the master catalog in issue #4). */
export interface ProjectSystem {
  name: string;
  action: 'new' | 'upgrade';
}

export interface SecurityProfile {
  /** 等级保护 (mlps) with a level 1–5, or 分级保护 (classified) for 涉密 systems. */
  scheme: 'mlps' | 'classified';
  mlpsLevel: number | null;
  cryptoPlan: 'none' | 'drafted' | 'approved';
  cryptoAssessment: 'not_started' | 'planned' | 'passed' | 'failed';
}

export interface ProjectInput {
  name: string;
  code?: string | undefined;
  constructionUnitId: string;
  approvalDepartmentId: string;
  track: 'approval' | 'filing';
  kind: ProjectKind;
  planTaskId: string | null;
  involvesSecrets: boolean;
  crossDepartment: { leadOrganizationId: string; participantIds: string[] } | null;
  constructionStart: string;
  constructionEnd: string;
  /** 万元, at most two decimals. */
  totalInvestment: string;
  oAndMFunds: string;
  fundingChannel: FundingChannel;
  performanceIndicators: PerformanceIndicator[];
  systems: ProjectSystem[];
  security: SecurityProfile;
  newCivilConstruction: boolean;
  highEnergyConsumption: boolean;
  urgent: UrgentDeclaration | null;
}

export interface Project extends Omit<ProjectInput, 'code' | 'crossDepartment'> {
  id: string;
  code: string;
  constructionUnitName: string;
  approvalDepartmentName: string;
  crossDepartment: { leadOrganizationId: string; participantIds: string[] } | null;
  inPlan: boolean;
  lifecycle: LifecycleState & { name: { zh: string; en: string }; editable: boolean };
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type ProjectRow = {
  id: string; code: string; name: string; construction_unit_id: string; approval_department_id: string;
  track: 'approval' | 'filing'; kind: ProjectKind; plan_task_id: string | null; involves_secrets: boolean;
  cross_department: boolean; lead_organization_id: string | null; construction_start: string; construction_end: string;
  total_investment: string; o_and_m_funds: string; funding_channel: string; performance_indicators: unknown; systems: unknown;
  protection_scheme: 'mlps' | 'classified'; mlps_level: number | null; crypto_plan: string; crypto_assessment: string;
  new_civil_construction: boolean; high_energy_consumption: boolean; urgent: unknown; stage: string; status: string;
  created_by: string; version: number; created_at: Date; updated_at: Date;
  unit_name: string; department_name: string;
  /** A cross-department project's participating organizations, ordered; null otherwise. */
  participant_ids: string[] | null;
};

/**
 * Visible: the construction unit, the approval department, a participant, the entrusted
 * 咨询评估单位 (第七条) or a commissioned 第三方评价机构 (第二十七条) is in scope. A predicate over the alias `p` (projects), shared by the
 * resources that belong to a project.
 *
 * The participant and assessor arms are uncorrelated `id = any(array(…))` rather than
 * `exists (…)`: the same rows, but PostgreSQL can then answer the whole OR from indexes (a
 * BitmapOr over the unit, department and primary-key indexes) instead of testing every project
 * (docs/benchmarks.md: a provincial reviewer's count at 100,000 projects, 181 ms → 5 ms).
 */
export function visible(scope: DataScope) {
  if (scope.all) return sql<boolean>`true`;
  return sql<boolean>`(${scopePredicate(scope, 'p.construction_unit_id')} or ${scopePredicate(scope, 'p.approval_department_id')}
    or p.id = any(array(select pp.project_id from project_participants pp where ${scopePredicate(scope, 'pp.organization_id')}))
    or p.id = any(array(select pa.project_id from project_assignments pa where pa.kind = 'assessor'
      and ${scopePredicate(scope, 'pa.organization_id')}))
    or p.id = any(array(select pe.project_id from post_evaluations pe where ${scopePredicate(scope, 'pe.evaluator_organization_id')}))
    or ${scope.selfUserId ? sql<boolean>`p.created_by = ${scope.selfUserId}::uuid` : sql<boolean>`false`})`;
}

const projectsFrom = (db: Executor) => db.selectFrom('projects as p');

/**
 * A project row with the names of its unit and department and (cross-department projects
 * only) its participants, over a query of `projects as p`: one statement for a page or a project.
 */
function withNames(q: ReturnType<typeof projectsFrom>) {
  return q
    .innerJoin('organizations as u', 'u.id', 'p.construction_unit_id')
    .innerJoin('organizations as d', 'd.id', 'p.approval_department_id')
    .selectAll('p')
    .select(['u.name as unit_name', 'd.name as department_name'])
    .select(sql<string[] | null>`(select array_agg(pp.organization_id order by pp.organization_id) from project_participants pp
      where pp.project_id = p.id and p.cross_department)`.as('participant_ids'));
}

function selectProjects(db: Executor) {
  return withNames(projectsFrom(db));
}

function present(rows: ProjectRow[]): Project[] {
  return rows.map((r) => {
    const state = { track: r.track, stage: r.stage, status: r.status };
    if (!isLifecycleState(state)) throw new Error(`project ${r.id} holds an undeclared lifecycle state ${r.stage}.${r.status}`);
    return {
      id: r.id, code: r.code, name: r.name,
      constructionUnitId: r.construction_unit_id, constructionUnitName: r.unit_name,
      approvalDepartmentId: r.approval_department_id, approvalDepartmentName: r.department_name,
      track: r.track, kind: r.kind, planTaskId: r.plan_task_id, inPlan: r.plan_task_id !== null,
      involvesSecrets: r.involves_secrets,
      crossDepartment: r.cross_department
        ? { leadOrganizationId: r.lead_organization_id!, participantIds: r.participant_ids ?? [] }
        : null,
      constructionStart: r.construction_start, constructionEnd: r.construction_end,
      totalInvestment: formatWan(parseWan(r.total_investment)!), oAndMFunds: formatWan(parseWan(r.o_and_m_funds)!),
      fundingChannel: r.funding_channel as FundingChannel,
      performanceIndicators: r.performance_indicators as PerformanceIndicator[],
      systems: r.systems as ProjectSystem[],
      security: {
        scheme: r.protection_scheme, mlpsLevel: r.mlps_level,
        cryptoPlan: r.crypto_plan as SecurityProfile['cryptoPlan'], cryptoAssessment: r.crypto_assessment as SecurityProfile['cryptoAssessment'],
      },
      newCivilConstruction: r.new_civil_construction, highEnergyConsumption: r.high_energy_consumption,
      urgent: (r.urgent as UrgentDeclaration | null) ?? null,
      lifecycle: { ...state, name: stateName(state), editable: isEditable(state) },
      createdBy: r.created_by, version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    };
  });
}

/** Rules across fields that a schema cannot state; every problem at once, with its field. */
function fieldProblems(input: ProjectInput): Array<{ path: string; code: string }> {
  const problems: Array<{ path: string; code: string }> = [];
  if (input.constructionEnd < input.constructionStart) problems.push({ path: 'constructionEnd', code: 'project.end_before_start' });
  // 涉密 systems are protected by 分级保护; all others by 等级保护 with a level (SPEC §2).
  if (input.involvesSecrets !== (input.security.scheme === 'classified')) problems.push({ path: 'security.scheme', code: 'project.protection_scheme' });
  if ((input.security.scheme === 'mlps') !== (input.security.mlpsLevel !== null)) problems.push({ path: 'security.mlpsLevel', code: 'project.mlps_level' });
  if (input.crossDepartment) {
    const { leadOrganizationId, participantIds } = input.crossDepartment;
    if (participantIds.length === 0) problems.push({ path: 'crossDepartment.participantIds', code: 'required' });
    if (participantIds.includes(leadOrganizationId)) problems.push({ path: 'crossDepartment.participantIds', code: 'project.lead_in_participants' });
  }
  for (const [i, indicator] of input.performanceIndicators.entries()) {
    const years = indicator.targets.map((t) => t.year);
    if (new Set(years).size !== years.length) problems.push({ path: `performanceIndicators.${i}.targets`, code: 'project.duplicate_year' });
  }
  return problems;
}

async function assertReferences(trx: Tx, input: ProjectInput) {
  const orgIds = [input.constructionUnitId, input.approvalDepartmentId,
    ...(input.crossDepartment ? [input.crossDepartment.leadOrganizationId, ...input.crossDepartment.participantIds] : [])];
  const found = new Set((await trx.selectFrom('organizations').select('id').where('id', 'in', orgIds).execute()).map((o) => o.id));
  const problems: Array<{ path: string; code: string }> = [];
  if (!found.has(input.constructionUnitId)) problems.push({ path: 'constructionUnitId', code: 'unknown_reference' });
  if (!found.has(input.approvalDepartmentId)) problems.push({ path: 'approvalDepartmentId', code: 'unknown_reference' });
  if (input.crossDepartment && orgIds.slice(2).some((id) => !found.has(id))) problems.push({ path: 'crossDepartment', code: 'unknown_reference' });
  if (input.planTaskId) {
    // I-7: 列入规划 means a current task of the approved national plan, not a department plan.
    const task = await findPlanTask(trx, input.planTaskId);
    if (!task) problems.push({ path: 'planTaskId', code: 'unknown_reference' });
    else if (task.planLevel !== 'national' || task.planStatus !== 'approved' || !task.current) {
      problems.push({ path: 'planTaskId', code: 'project.plan_task_not_national' });
    }
  }
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
}

/** The lifecycle context known when a project is created (第七条, 第九条). */
function startContext(input: Pick<ProjectInput, 'track' | 'kind' | 'planTaskId' | 'urgent' | 'newCivilConstruction' | 'highEnergyConsumption' | 'involvesSecrets'>): LifecycleContext {
  return {
    track: input.track, projectKind: input.kind, inPlan: input.planTaskId !== null, urgent: input.urgent,
    newCivilConstruction: input.newCivilConstruction, highEnergyConsumption: input.highEnergyConsumption,
    classified: input.involvesSecrets, materials: [], sharingAnalysisPresent: false, catalog: null,
    assessmentRequired: false, assessmentReport: null,
  };
}

function columns(input: ProjectInput) {
  return {
    name: input.name,
    construction_unit_id: input.constructionUnitId,
    approval_department_id: input.approvalDepartmentId,
    track: input.track,
    kind: input.kind,
    plan_task_id: input.planTaskId,
    involves_secrets: input.involvesSecrets,
    cross_department: input.crossDepartment !== null,
    lead_organization_id: input.crossDepartment?.leadOrganizationId ?? null,
    construction_start: input.constructionStart,
    construction_end: input.constructionEnd,
    total_investment: input.totalInvestment,
    o_and_m_funds: input.oAndMFunds,
    funding_channel: input.fundingChannel,
    performance_indicators: JSON.stringify(input.performanceIndicators),
    systems: JSON.stringify(input.systems),
    protection_scheme: input.security.scheme,
    mlps_level: input.security.mlpsLevel,
    crypto_plan: input.security.cryptoPlan,
    crypto_assessment: input.security.cryptoAssessment,
    new_civil_construction: input.newCivilConstruction,
    high_energy_consumption: input.highEnergyConsumption,
    urgent: input.urgent === null ? null : JSON.stringify(input.urgent),
  };
}

async function replaceParticipants(trx: Tx, projectId: string, input: ProjectInput) {
  await trx.deleteFrom('project_participants').where('project_id', '=', projectId).execute();
  const ids = [...new Set(input.crossDepartment?.participantIds ?? [])];
  if (ids.length > 0) await trx.insertInto('project_participants').values(ids.map((o) => ({ project_id: projectId, organization_id: o }))).execute();
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

/** Creates a project in its starting stage; the platform issues its 项目代码 unless one is given. */
export async function createProject(services: Services, actor: Actor, input: ProjectInput, tx?: Tx): Promise<Project> {
  const scope = requireAccess(actor, 'project:create');
  const problems = fieldProblems(input);
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
  // 第七条: an urgent claim needs its category, the affirmed conditions and a justification.
  const startProblems = checkStart(startContext(input));
  if (startProblems.length > 0) throw new AppError('lifecycle.blocked', { params: { count: startProblems.length }, problems: startProblems });
  const state = initialState(startContext(input));
  const run = async (trx: Tx): Promise<Project> => {
    await assertReferences(trx, input);
    const unit = await trx.selectFrom('organizations').select(['division_code']).where('id', '=', input.constructionUnitId).executeTakeFirstOrThrow();
    // The preparer creates projects of its own unit only.
    if (!scopeContains(scope, { organizationId: input.constructionUnitId, ancestorIds: await ancestorIds(trx, input.constructionUnitId), ownerUserId: actor.userId })) {
      throw new AppError('auth.forbidden');
    }
    // Five random digits collide now and then (the demo seeds a score of central projects a
    // month): a drawn code already taken is drawn again here, since inside the caller's
    // transaction a unique violation would abort it; a concurrent transaction taking the same code
    // is still caught by the unique constraint and the retry below.
    let code = input.code;
    for (let draw = 0; code === undefined || (input.code === undefined && draw < 20); draw++) {
      code = issueProjectCode({
        issuedAt: services.now(), divisionCode: unit.division_code, track: input.track,
        random5: String(randomInt(0, 100_000)).padStart(5, '0'),
      });
      if (!(await trx.selectFrom('projects').select('id').where('code', '=', code).executeTakeFirst())) break;
    }
    const row = await trx.insertInto('projects').values({
      ...columns(input), code, stage: state.stage, status: state.status, created_by: actor.userId,
    }).returning('id').executeTakeFirstOrThrow();
    await replaceParticipants(trx, row.id, input);
    const [project] = present([await selectProjects(trx).where('p.id', '=', row.id).executeTakeFirstOrThrow() as ProjectRow]);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:create'), action: 'project.create', objectType: 'project', objectId: row.id,
      outcome: 'success', diff: { after: { ...project!, lifecycle: state } }, ...requestFacts(actor),
    });
    return project!;
  };
  // Inside the caller's transaction (the demo seed) the code was checked free before the insert.
  if (tx) return run(tx);
  for (let attempt = 0; ; attempt++) {
    try {
      return await services.database.db.transaction().execute(run);
    } catch (err) {
      // A freshly issued code may collide with an existing one: issue another (an imported
      // code that collides is the caller's duplicate).
      if (isUniqueViolation(err) && input.code === undefined && attempt < 5) continue;
      if (isUniqueViolation(err)) throw new AppError('conflict.duplicate', { params: { field: '项目代码' }, fields: [{ path: 'code', code: 'duplicate' }] });
      throw err;
    }
  }
}

/** Edits a project while its current stage is a draft or was returned; If-Match version. */
export async function updateProject(services: Services, actor: Actor, id: string, expectedVersion: number, input: ProjectInput): Promise<Project> {
  const scope = requireAccess(actor, 'project:update');
  const problems = fieldProblems(input);
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
  return services.database.db.transaction().execute(async (trx) => {
    const row = await selectProjects(trx).where('p.id', '=', id).where(visible(scope)).executeTakeFirst() as ProjectRow | undefined;
    if (!row) throw new AppError('resource.not_found');
    await trx.selectFrom('projects').select('id').where('id', '=', id).forUpdate().execute();
    if (row.version !== expectedVersion) throw new AppError('conflict.stale');
    // 第三十条: a terminated project is not edited.
    await refuseIfSanctioned(trx, id, 'any');
    const [before] = present([row]);
    if (!before!.lifecycle.editable) throw new AppError('project.not_editable', { params: { state: before!.lifecycle.name.zh } });
    if (input.track !== row.track) throw new AppError('validation.failed', { fields: [{ path: 'track', code: 'project.track_fixed' }] });
    await assertReferences(trx, input);
    // While the project has not left its starting draft, an edit of the plan link or of the
    // urgent claim moves its starting stage (第七条); afterwards the stage is the lifecycle's.
    const startProblems = checkStart(startContext(input));
    if (startProblems.length > 0) throw new AppError('lifecycle.blocked', { params: { count: startProblems.length }, problems: startProblems });
    const oldStart = initialState(startContext(before!));
    const stillAtStart = row.status === 'draft' && row.stage === oldStart.stage;
    const state = stillAtStart ? initialState(startContext(input)) : { stage: row.stage, status: row.status };
    const updated = await trx.updateTable('projects').set({
      ...columns(input), stage: state.stage, status: state.status, version: row.version + 1, updated_at: services.now(),
    }).where('id', '=', id).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
    if (!updated) throw new AppError('conflict.stale');
    await replaceParticipants(trx, id, input);
    const [after] = present([await selectProjects(trx).where('p.id', '=', id).executeTakeFirstOrThrow() as ProjectRow]);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'project.update', objectType: 'project', objectId: id,
      outcome: 'success', diff: changedFields(before!, after!), ...requestFacts(actor),
    });
    return after!;
  });
}

/** One project; 404 when it does not exist or is outside the caller's scope for `permission` (SPEC §1). */
export async function getProject(services: Services, actor: Actor, id: string, permission: Permission = 'project:read'): Promise<Project> {
  const scope = requireAccess(actor, permission);
  const row = await selectProjects(services.database.db).where('p.id', '=', id).where(visible(scope)).executeTakeFirst() as ProjectRow | undefined;
  if (!row) throw new AppError('resource.not_found');
  const [project] = present([row]);
  return project!;
}

export interface ProjectFilter {
  q?: string | undefined;
  track?: 'approval' | 'filing' | undefined;
  kind?: ProjectKind | undefined;
  stage?: string | undefined;
  status?: string | undefined;
  /** Year the construction period starts. */
  year?: number | undefined;
  organizationId?: string | undefined;
  minInvestment?: string | undefined;
  maxInvestment?: string | undefined;
}

/** The matching projects, without the joins (a count needs none: both are NOT NULL foreign keys). */
function filtered(db: Executor, scope: DataScope, f: ProjectFilter) {
  let q = projectsFrom(db).where(visible(scope));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where((eb) => eb.or([eb('p.name', 'ilike', like), eb('p.code', 'ilike', like)]));
  }
  if (f.track) q = q.where('p.track', '=', f.track);
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  if (f.stage) q = q.where('p.stage', '=', f.stage);
  if (f.status) q = q.where('p.status', '=', f.status);
  // The year construction starts, said twice in equivalent forms: as a date range, which the
  // count answers index-only from (construction_start, total_investment), and as the year
  // expression, which the page reads in list order from (extract(year …), created_at desc, id).
  // With the range alone PostgreSQL pages through the newest projects of every year (migration
  // 20261126T2060; docs/benchmarks.md).
  if (f.year !== undefined) {
    q = q.where(sql<boolean>`p.construction_start >= ${`${f.year}-01-01`}::date and p.construction_start < ${`${f.year + 1}-01-01`}::date
      and extract(year from p.construction_start) = ${f.year}`);
  }
  if (f.organizationId) {
    const org = f.organizationId;
    q = q.where((eb) => eb.or([eb('p.construction_unit_id', '=', org), eb('p.approval_department_id', '=', org)]));
  }
  if (f.minInvestment) q = q.where(sql<boolean>`p.total_investment >= ${f.minInvestment}::numeric`);
  if (f.maxInvestment) q = q.where(sql<boolean>`p.total_investment <= ${f.maxInvestment}::numeric`);
  return q;
}

/** A page of the projects the caller may see, newest first. */
export async function listProjects(services: Services, actor: Actor, f: ProjectFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  const count = () => filtered(db, scope, f).select(sql<string>`count(*)`.as('n'));
  // One statement: the page, and the total as an uncorrelated subquery that runs once. A page
  // past the end has no row to carry the total, so only then is it asked for on its own.
  const rows = await withNames(filtered(db, scope, f)).select(count().as('total'))
    .orderBy('p.created_at', 'desc').orderBy('p.id').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = rows[0] ? rows[0].total : page === 1 ? '0' : (await count().executeTakeFirstOrThrow()).n;
  return { items: present(rows as ProjectRow[]), total: Number(total) };
}

/** Every matching project in keyset batches, for the streamed export. */
export async function* iterateProjects(services: Services, actor: Actor, f: ProjectFilter, batch = 1000): AsyncGenerator<Project[]> {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  let after: string | null = null;
  for (;;) {
    let q = filtered(db, scope, f);
    if (after !== null) q = q.where('p.code', '>', after);
    const rows = await withNames(q).orderBy('p.code').limit(batch).execute();
    if (rows.length === 0) return;
    yield present(rows as ProjectRow[]);
    after = rows[rows.length - 1]!.code;
  }
}
