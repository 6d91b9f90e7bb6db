// 上一期项目 (第九条): a 改建 or 扩建 project files the previous project's third-party
// post-evaluation report. The construction unit uploads it with the filing, or links the
// earlier project on the platform whose report (material postEvaluationReport, 第二十七条) is
// kept there; the link then satisfies the checklist item and the report's SM3 is signed with
// the decision like any material.
import { sql } from 'kysely';
import { isEditable, isLifecycleState, stateName } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { getProject } from './projects.ts';

/** The latest version of the earlier project's post-evaluation report, as the filing uses it. */
export interface LinkedReport {
  projectId: string;
  materialId: string;
  versionNo: number;
  fileName: string;
  sm3: string;
}

/** The linked earlier project's report, or null when there is no link or it has no report yet. */
export async function linkedReport(db: Executor, projectId: string): Promise<LinkedReport | null> {
  const r = await sql<{ project_id: string; id: string; version_no: number; file_name: string; sm3: string }>`
    select m.project_id, m.id, m.version_no, m.file_name, m.sm3 from project_predecessors pp
    join project_materials m on m.project_id = pp.previous_project_id and m.material_code = 'postEvaluationReport'
    where pp.project_id = ${projectId} order by m.version_no desc, m.uploaded_at desc limit 1`.execute(db);
  const row = r.rows[0];
  return row ? { projectId: row.project_id, materialId: row.id, versionNo: row.version_no, fileName: row.file_name, sm3: row.sm3.trim() } : null;
}

/** The project's link to its predecessor (project:read), with the report it brings, if any. */
export async function getPredecessor(services: Services, actor: Actor, projectId: string) {
  await getProject(services, actor, projectId);
  const db = services.database.db;
  const link = await db.selectFrom('project_predecessors').select(['previous_project_id', 'linked_at']).where('project_id', '=', projectId).executeTakeFirst();
  if (!link) return { previousProject: null, report: null };
  // The earlier project is shown only as far as the caller may see it.
  const previous = await getProject(services, actor, link.previous_project_id).catch(() => null);
  return {
    previousProject: previous
      ? { id: previous.id, code: previous.code, name: previous.name, state: stateName(previous.lifecycle), linkedAt: link.linked_at.toISOString() }
      : null,
    report: previous ? await linkedReport(db, projectId) : null,
  };
}

/**
 * Links (or with null unlinks) the earlier project: only a 改建/扩建 project, while its current
 * stage may be edited; the earlier project must be one the caller can see and already approved
 * or filed. Audited in the same transaction.
 */
export async function setPredecessor(services: Services, actor: Actor, projectId: string, previousProjectId: string | null) {
  const project = await getProject(services, actor, projectId, 'project:update');
  if (project.kind !== 'rebuild' && project.kind !== 'expansion') {
    throw new AppError('validation.failed', { fields: [{ path: 'previousProjectId', code: 'predecessor.not_rebuild' }] });
  }
  if (previousProjectId !== null) {
    if (previousProjectId === projectId) throw new AppError('validation.failed', { fields: [{ path: 'previousProjectId', code: 'invalid_value' }] });
    const previous = await getProject(services, actor, previousProjectId).catch(() => null);
    if (!previous) throw new AppError('validation.failed', { fields: [{ path: 'previousProjectId', code: 'unknown_reference' }] });
    if (previous.lifecycle.status !== 'approved' && previous.lifecycle.status !== 'filed') {
      throw new AppError('validation.failed', { fields: [{ path: 'previousProjectId', code: 'predecessor.not_finished' }] });
    }
  }
  await services.database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('projects').select(['track', 'stage', 'status']).where('id', '=', projectId).forUpdate().executeTakeFirstOrThrow();
    if (!isLifecycleState(row) || !isEditable(row)) throw new AppError('project.not_editable', { params: { state: isLifecycleState(row) ? stateName(row).zh : row.status } });
    const before = await trx.selectFrom('project_predecessors').select('previous_project_id').where('project_id', '=', projectId).executeTakeFirst();
    if (previousProjectId === null) {
      await trx.deleteFrom('project_predecessors').where('project_id', '=', projectId).execute();
    } else {
      await trx.insertInto('project_predecessors')
        .values({ project_id: projectId, previous_project_id: previousProjectId, linked_by: actor.userId, linked_at: services.now() })
        .onConflict((oc) => oc.column('project_id').doUpdateSet({ previous_project_id: previousProjectId, linked_by: actor.userId, linked_at: services.now() }))
        .execute();
    }
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'project.linkPredecessor', objectType: 'project', objectId: projectId,
      outcome: 'success', ...requestFacts(actor),
      diff: { before: { previousProjectId: before?.previous_project_id ?? null }, after: { previousProjectId } },
    });
  });
  return getPredecessor(services, actor, projectId);
}
