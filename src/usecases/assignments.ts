// 委托咨询评估单位 and 改派审核人 (第七条): who works on a submission. Each assignment is a row
// (the latest of a kind is current), written with its audit event and the assignee's
// notification in one transaction.
import { isLifecycleState, STAGE_NAMES, stateName } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { notify, usersInRole } from './notifications.ts';
import { getProject, type Project } from './projects.ts';

export interface AssignmentView {
  organizationId: string;
  organizationName: string;
  userId: string | null;
  userName: string | null;
  reason: string;
  assignedBy: string;
  assignedAt: string;
}

async function current(db: Executor, projectId: string, kind: 'reviewer' | 'assessor'): Promise<AssignmentView | null> {
  const r = await db.selectFrom('project_assignments as a')
    .innerJoin('organizations as o', 'o.id', 'a.organization_id')
    .innerJoin('users as by', 'by.id', 'a.assigned_by')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.organization_id', 'o.name as org_name', 'a.user_id', 'u.display_name as user_name', 'a.reason', 'by.display_name as by_name', 'a.created_at'])
    .where('a.project_id', '=', projectId).where('a.kind', '=', kind).orderBy('a.seq', 'desc').limit(1).executeTakeFirst();
  return r ? {
    organizationId: r.organization_id, organizationName: r.org_name, userId: r.user_id, userName: r.user_name,
    reason: r.reason, assignedBy: r.by_name, assignedAt: r.created_at.toISOString(),
  } : null;
}

/** The current reviewer and assessor of a project (project:read). */
export async function getAssignments(services: Services, actor: Actor, projectId: string) {
  await getProject(services, actor, projectId);
  const db = services.database.db;
  return { reviewer: await current(db, projectId, 'reviewer'), assessor: await current(db, projectId, 'assessor') };
}

/**
 * The reviewers who may take over a project: active users holding the reviewer role whose
 * scope covers its approval department (project:review on the project).
 */
export async function reviewerCandidates(services: Services, actor: Actor, projectId: string) {
  const project = await getProject(services, actor, projectId, 'project:review');
  const ids = await usersInRole(services.database.db, 'reviewer', project.approvalDepartmentId);
  if (ids.length === 0) return [];
  return services.database.db.selectFrom('users').select(['id', 'display_name as displayName'])
    .where('id', 'in', ids).orderBy('display_name').execute();
}

/** Records the reviewer a 改派审核人 action hands the project to (inside that action's transaction). */
export async function assignReviewer(trx: Tx, services: Services, actor: Actor, project: Project, reviewerId: string | undefined, reason: string | null) {
  const candidates = await usersInRole(trx, 'reviewer', project.approvalDepartmentId);
  if (!reviewerId || !candidates.includes(reviewerId)) {
    throw new AppError('validation.failed', { fields: [{ path: 'reviewerId', code: reviewerId ? 'assignment.not_reviewer' : 'required' }] });
  }
  const now = services.now();
  await trx.insertInto('project_assignments').values({
    project_id: project.id, kind: 'reviewer', organization_id: project.approvalDepartmentId, user_id: reviewerId,
    reason: reason ?? '', assigned_by: actor.userId, created_at: now,
  }).execute();
  await notify(trx, now, actor.userId, [reviewerId], {
    kind: 'reviewerAssigned', project: routing(project), actionId: null,
    title: { zh: `【改派】${project.name}`, en: `[Assigned] ${project.name}` },
    body: { zh: `${actor.displayName}将该项目改派由您审核。`, en: `${actor.displayName} assigned this project to you for review.` },
  });
}

export function routing(project: Project) {
  return {
    id: project.id, name: project.name, constructionUnitId: project.constructionUnitId,
    approvalDepartmentId: project.approvalDepartmentId, createdBy: project.createdBy,
  };
}

/**
 * 第七条: the approval department entrusts a 咨询评估单位 (project:review) while the submission is
 * with it and not yet decided: submitted (before acceptance) or under assessment (a change of
 * assessor). The organization must be of the assessor kind.
 */
export async function assignAssessor(services: Services, actor: Actor, projectId: string, input: { organizationId: string; reason: string }) {
  await getProject(services, actor, projectId, 'project:review');
  return services.database.db.transaction().execute(async (trx) => {
    await trx.selectFrom('projects').select('id').where('id', '=', projectId).forUpdate().execute();
    const project = await getProject({ ...services, database: { ...services.database, db: trx } }, actor, projectId, 'project:review');
    if (!isLifecycleState(project.lifecycle) || project.track !== 'approval' || !['submitted', 'assessing'].includes(project.lifecycle.status)) {
      throw new AppError('assignment.not_open', { params: { state: stateName(project.lifecycle).zh } });
    }
    const org = await trx.selectFrom('organizations').select(['id', 'kind', 'name']).where('id', '=', input.organizationId).executeTakeFirst();
    if (!org || org.kind !== 'assessor') {
      throw new AppError('validation.failed', { fields: [{ path: 'organizationId', code: 'assignment.not_assessor' }] });
    }
    const before = await current(trx, projectId, 'assessor');
    const now = services.now();
    await trx.insertInto('project_assignments').values({
      project_id: projectId, kind: 'assessor', organization_id: org.id, user_id: null,
      reason: input.reason.trim(), assigned_by: actor.userId, created_at: now,
    }).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:review'), action: 'project.assignAssessor', objectType: 'project', objectId: projectId,
      outcome: 'success', ...requestFacts(actor),
      diff: { before: { assessorOrganizationId: before?.organizationId ?? null }, after: { assessorOrganizationId: org.id, reason: input.reason.trim() } },
    });
    await notify(trx, now, actor.userId, await usersInRole(trx, 'assessor', org.id), {
      kind: 'assessmentAssigned', project: routing(project), actionId: null,
      title: { zh: `【委托评估】${project.name}`, en: `[Assessment] ${project.name}` },
      body: {
        zh: `${project.approvalDepartmentName}委托贵单位对该项目的${STAGE_NAMES[project.lifecycle.stage].zh}开展咨询评估。`,
        en: `${project.approvalDepartmentName} entrusted your organization with assessing this project.`,
      },
    });
    return { reviewer: await current(trx, projectId, 'reviewer'), assessor: await current(trx, projectId, 'assessor') };
  });
}
