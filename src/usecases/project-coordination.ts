// Where a project stands among others (第十条): the framework plan whose part it is, and the
// national project a local sub-project coordinates with.
//
// - 框架方案确定后各部门按程序申报本部门分项: once NDRC has confirmed a plan, a participant's people
//   (framework:manage over that participant) link a project built by that participant (or a unit
//   below it) to the plan as that participant's part; the project then goes through its own
//   approval as any other.
// - 需地方协同建设的…衔接地方项目: the people who edit a local project (project:update) link it to the
//   national project it follows, named by its 项目代码 (a local unit does not see the national
//   project otherwise). Whoever sees the national project sees its local sub-projects by province.
import { sql, type Kysely } from 'kysely';
import { stateName, isLifecycleState, type LifecycleState } from '../domain/lifecycle.ts';
import { coordinationProblems, projectLinkProblems, STATUS_NAMES, type FrameworkStatus, type LocalizedText } from '../domain/frameworks.ts';
import { provinceOf } from '../domain/system-catalog.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { ancestorIds } from '../db/org-tree.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { getFramework, participantsInScope, visibleFramework, type Framework } from './frameworks.ts';
import { getProject } from './projects.ts';

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';
const inTx = (services: Services, trx: Tx): Services => ({ ...services, database: { ...services.database, db: trx } });

/** The plan, visible to the caller and locked, for a change to its project links. */
async function lockPlan(trx: Tx, actor: Actor, frameworkId: string) {
  const plan = await trx.selectFrom('framework_plans as f').select(['f.id', 'f.status'])
    .where('f.id', '=', frameworkId).where(visibleFramework(requireAccess(actor, 'project:read'))).forUpdate().executeTakeFirst();
  if (!plan) throw new AppError('resource.not_found');
  return plan;
}

/** 第十条: links a participant's project to the confirmed plan as that participant's part. */
export async function linkProject(services: Services, actor: Actor, frameworkId: string, input: { projectId: string; organizationId: string }): Promise<Framework> {
  const manage = requireAccess(actor, 'framework:manage');
  try {
    return await services.database.db.transaction().execute(async (trx) => {
      const plan = await lockPlan(trx, actor, frameworkId);
      // 框架方案确定后: not before NDRC has confirmed the plan.
      if (plan.status !== 'confirmed') throw new AppError('framework.not_confirmed');
      const participant = await trx.selectFrom('framework_participants').select('organization_id')
        .where('framework_id', '=', frameworkId).where('organization_id', '=', input.organizationId).executeTakeFirst();
      if (!participant) throw new AppError('validation.failed', { fields: [{ path: 'organizationId', code: 'framework.not_participant' }] });
      if (!(await participantsInScope(trx, frameworkId, manage)).has(input.organizationId)) throw new AppError('auth.forbidden');
      const project = await getProject(inTx(services, trx), actor, input.projectId);
      // 本部门分项: a project built by that participant or a unit below it.
      const problems = projectLinkProblems(input.organizationId, [project.constructionUnitId, ...await ancestorIds(trx, project.constructionUnitId)]);
      if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
      await trx.insertInto('framework_projects').values({
        framework_id: frameworkId, project_id: project.id, organization_id: input.organizationId, linked_by: actor.userId, created_at: services.now(),
      }).execute();
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, 'framework:manage'), action: 'framework.project.link', objectType: 'framework', objectId: frameworkId,
        outcome: 'success', ...requestFacts(actor),
        diff: { after: { projectId: project.id, projectCode: project.code, organizationId: input.organizationId } },
      });
      return getFramework(services, actor, frameworkId, trx);
    });
  } catch (err) {
    // A project is the part of one plan at most.
    if (isUniqueViolation(err)) throw new AppError('conflict.duplicate', { params: { field: '关联项目' }, fields: [{ path: 'projectId', code: 'duplicate' }] });
    throw err;
  }
}

/** Takes a project's link to the plan back (the people of the participant it was linked for). */
export async function unlinkProject(services: Services, actor: Actor, frameworkId: string, projectId: string): Promise<Framework> {
  const manage = requireAccess(actor, 'framework:manage');
  return services.database.db.transaction().execute(async (trx) => {
    await lockPlan(trx, actor, frameworkId);
    const link = await trx.selectFrom('framework_projects').select(['organization_id'])
      .where('framework_id', '=', frameworkId).where('project_id', '=', projectId).executeTakeFirst();
    if (!link) throw new AppError('resource.not_found');
    if (!(await participantsInScope(trx, frameworkId, manage)).has(link.organization_id)) throw new AppError('auth.forbidden');
    await trx.deleteFrom('framework_projects').where('framework_id', '=', frameworkId).where('project_id', '=', projectId).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'framework:manage'), action: 'framework.project.unlink', objectType: 'framework', objectId: frameworkId,
      outcome: 'success', ...requestFacts(actor), diff: { before: { projectId, organizationId: link.organization_id } },
    });
    return getFramework(services, actor, frameworkId, trx);
  });
}

/** An organization's 行政区划代码, else its nearest ancestor's (null for central organs). */
async function effectiveDivisionCode(db: Executor, organizationId: string): Promise<string | null> {
  const r = await sql<{ division_code: string }>`
    with recursive a(id, parent_id, division_code, depth) as (
      select id, parent_id, division_code, 0 from organizations where id = ${organizationId}::uuid
      union all select o.id, o.parent_id, o.division_code, a.depth + 1 from organizations o join a on o.id = a.parent_id
        where a.division_code is null and a.depth < 100)
    select division_code from a where division_code is not null order by depth limit 1`.execute(db);
  return r.rows[0]?.division_code ?? null;
}

export interface ProjectRef {
  id: string;
  code: string;
  name: string;
  constructionUnitName: string;
}

/** A project's place among others: its framework plan, its national project, how many local sub-projects follow it. */
export interface ProjectCoordination {
  projectId: string;
  framework: { id: string; name: string; status: FrameworkStatus; statusName: LocalizedText; organizationId: string; organizationName: string } | null;
  nationalProject: (ProjectRef & { linkedAt: string }) | null;
  localProjectCount: number;
}

/** project:read on the project (404 otherwise). */
export async function projectCoordination(services: Services, actor: Actor, projectId: string, db: Executor = services.database.db): Promise<ProjectCoordination> {
  await getProject({ ...services, database: { ...services.database, db: db as Kysely<DB> } }, actor, projectId);
  const [framework, national, locals] = await Promise.all([
    db.selectFrom('framework_projects as l').innerJoin('framework_plans as f', 'f.id', 'l.framework_id').innerJoin('organizations as o', 'o.id', 'l.organization_id')
      .select(['f.id', 'f.name', 'f.status', 'l.organization_id', 'o.name as org_name']).where('l.project_id', '=', projectId).executeTakeFirst(),
    db.selectFrom('project_coordination as c').innerJoin('projects as p', 'p.id', 'c.national_project_id').innerJoin('organizations as u', 'u.id', 'p.construction_unit_id')
      .select(['p.id', 'p.code', 'p.name', 'u.name as unit_name', 'c.created_at']).where('c.local_project_id', '=', projectId).executeTakeFirst(),
    db.selectFrom('project_coordination').select(sql<string>`count(*)`.as('n')).where('national_project_id', '=', projectId).executeTakeFirstOrThrow(),
  ]);
  return {
    projectId,
    framework: framework ? {
      id: framework.id, name: framework.name, status: framework.status, statusName: STATUS_NAMES[framework.status],
      organizationId: framework.organization_id, organizationName: framework.org_name,
    } : null,
    nationalProject: national ? { id: national.id, code: national.code, name: national.name, constructionUnitName: national.unit_name, linkedAt: national.created_at.toISOString() } : null,
    localProjectCount: Number(locals.n),
  };
}

/**
 * 第十条 需地方协同建设的: links a local project (its editors: project:update) to the national
 * project whose 项目代码 is given; a project follows one national project, so this replaces any
 * earlier link.
 */
export async function setNationalProject(services: Services, actor: Actor, localProjectId: string, nationalProjectCode: string): Promise<ProjectCoordination> {
  return services.database.db.transaction().execute(async (trx) => {
    const local = await getProject(inTx(services, trx), actor, localProjectId, 'project:update');
    const national = await trx.selectFrom('projects').select(['id', 'code', 'construction_unit_id']).where('code', '=', nationalProjectCode.trim()).executeTakeFirst();
    if (!national) throw new AppError('validation.failed', { fields: [{ path: 'nationalProjectCode', code: 'unknown_reference' }] });
    const problems = coordinationProblems({
      localProjectId: local.id, nationalProjectId: national.id,
      localDivisionCode: await effectiveDivisionCode(trx, local.constructionUnitId),
      nationalDivisionCode: await effectiveDivisionCode(trx, national.construction_unit_id),
    });
    if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
    const before = await trx.selectFrom('project_coordination').select('national_project_id').where('local_project_id', '=', local.id).executeTakeFirst();
    const now = services.now();
    await trx.insertInto('project_coordination').values({ local_project_id: local.id, national_project_id: national.id, linked_by: actor.userId, created_at: now })
      .onConflict((oc) => oc.column('local_project_id').doUpdateSet({ national_project_id: national.id, linked_by: actor.userId, created_at: now })).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'project.coordination.link', objectType: 'project', objectId: local.id,
      outcome: 'success', ...requestFacts(actor),
      diff: { before: { nationalProjectId: before?.national_project_id ?? null }, after: { nationalProjectId: national.id, nationalProjectCode: national.code } },
    });
    return projectCoordination(services, actor, local.id, trx);
  });
}

/** Ends a local project's coordination link (its editors). */
export async function removeNationalProject(services: Services, actor: Actor, localProjectId: string): Promise<ProjectCoordination> {
  await getProject(services, actor, localProjectId, 'project:update');
  return services.database.db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('project_coordination').where('local_project_id', '=', localProjectId).returning('national_project_id').executeTakeFirst();
    if (!removed) throw new AppError('resource.not_found');
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'project.coordination.unlink', objectType: 'project', objectId: localProjectId,
      outcome: 'success', ...requestFacts(actor), diff: { before: { nationalProjectId: removed.national_project_id } },
    });
    return projectCoordination(services, actor, localProjectId, trx);
  });
}

export interface LocalProject extends ProjectRef {
  constructionUnitId: string;
  /** The construction unit's effective 行政区划代码. */
  divisionCode: string;
  stage: string;
  status: string;
  stateName: LocalizedText;
  linkedAt: string;
}

export interface Region {
  /** The province: the first two digits of the 行政区划代码 (GB/T 2260), with its name. */
  province: { code: string; name: LocalizedText };
  projects: LocalProject[];
}

/**
 * The local sub-projects of a national project by province (project:read on the national
 * project). They are shown to whoever sees the national project, since coordinating them is its
 * business; only their identity and state are shown.
 */
export async function localProjectsByRegion(services: Services, actor: Actor, nationalProjectId: string, filter: { province?: string | undefined } = {}) {
  const national = await getProject(services, actor, nationalProjectId);
  const rows = (await sql<{
    id: string; code: string; name: string; track: string; stage: string; status: string; construction_unit_id: string; unit_name: string;
    division_code: string | null; created_at: Date;
  }>`
    with recursive lineage(project_id, parent_id, division_code, depth) as (
      select c.local_project_id, o.parent_id, o.division_code, 0
        from project_coordination c join projects p on p.id = c.local_project_id join organizations o on o.id = p.construction_unit_id
        where c.national_project_id = ${nationalProjectId}::uuid
      union all select l.project_id, o.parent_id, o.division_code, l.depth + 1
        from lineage l join organizations o on o.id = l.parent_id where l.division_code is null and l.depth < 100),
    effective as (
      select distinct on (project_id) project_id, division_code from lineage where division_code is not null order by project_id, depth)
    select p.id, p.code, p.name, p.track, p.stage, p.status, p.construction_unit_id, u.name as unit_name, e.division_code, c.created_at
      from project_coordination c join projects p on p.id = c.local_project_id join organizations u on u.id = p.construction_unit_id
      left join effective e on e.project_id = p.id
      where c.national_project_id = ${nationalProjectId}::uuid`.execute(services.database.db)).rows;
  const regions = new Map<string, Region>();
  for (const r of rows) {
    const province = provinceOf(r.division_code);
    if (filter.province && province.code !== filter.province) continue;
    const state = { track: r.track, stage: r.stage, status: r.status };
    if (!regions.has(province.code)) regions.set(province.code, { province, projects: [] });
    regions.get(province.code)!.projects.push({
      id: r.id, code: r.code, name: r.name, constructionUnitId: r.construction_unit_id, constructionUnitName: r.unit_name,
      divisionCode: r.division_code ?? '', stage: r.stage, status: r.status,
      stateName: isLifecycleState(state) ? stateName(state as LifecycleState) : { zh: r.status, en: r.status },
      linkedAt: r.created_at.toISOString(),
    });
  }
  const items = [...regions.values()].sort((a, b) => (a.province.code < b.province.code ? -1 : 1));
  for (const region of items) region.projects.sort((a, b) => a.divisionCode.localeCompare(b.divisionCode) || a.code.localeCompare(b.code));
  return {
    nationalProject: { id: national.id, code: national.code, name: national.name, constructionUnitName: national.constructionUnitName },
    regions: items,
    total: items.reduce((n, r) => n + r.projects.length, 0),
  };
}
