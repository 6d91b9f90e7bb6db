// The construction phase of a project (第十三条–第二十八条): the one row every construction write
// locks first. Locking it serializes the writes to one project, so a rule that reads what is
// already recorded (the cumulative adjusted share, the investment released so far) sees every
// earlier write (第二十三条: two concurrent adjustments cannot together slip past the threshold).
import { shanghaiDate } from '../domain/plan.ts';
import { isLifecycleState, isProjectApproved, stateName, type LifecycleState } from '../domain/lifecycle.ts';
import type { Executor, Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { refuseIfSanctioned } from './supervision.ts';

export interface ConstructionPhase {
  projectId: string;
  lifecycle: LifecycleState;
  suspendedSince: Date | null;
  completedOn: string | null;
  acceptedOn: string | null;
  inOperationOn: string | null;
}

/**
 * What the caller is about to do:
 * - `construction`: a construction action (investment, procurement, contracts, adjustments,
 *   annual reports…): the project must be approved or filed, not suspended (第二十一条) and not
 *   completed (第二十二条);
 * - `anyStage`: a write allowed before approval too (an early-investment application after 可研,
 *   第二十四条), still refused while suspended;
 * - `afterCompletion`: acceptance and post-evaluation (第二十五–二十七条): needs no open
 *   construction, so neither suspension nor completion refuses it here (the caller checks the
 *   dates it needs).
 */
export type ConstructionActivity = 'construction' | 'anyStage' | 'afterCompletion';

/**
 * Locks the project's construction row for the rest of the transaction (creating it on first
 * use) and refuses what `activity` may not do in the project's current phase. The project must
 * exist; the caller has already checked that the actor may act on it.
 */
export async function lockConstruction(trx: Tx, projectId: string, activity: ConstructionActivity, now: Date): Promise<ConstructionPhase> {
  const project = await trx.selectFrom('projects').select(['track', 'stage', 'status']).where('id', '=', projectId).forUpdate().executeTakeFirst();
  if (!project || !isLifecycleState(project)) throw new AppError('resource.not_found');
  await trx.insertInto('project_construction')
    .values({ project_id: projectId, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('project_id').doNothing())
    .execute();
  const row = await trx.selectFrom('project_construction').selectAll().where('project_id', '=', projectId).forUpdate().executeTakeFirstOrThrow();
  const phase: ConstructionPhase = {
    projectId,
    lifecycle: project,
    suspendedSince: row.suspended_since,
    completedOn: row.completed_on,
    acceptedOn: row.accepted_on,
    inOperationOn: row.in_operation_on,
  };
  // 第三十条: 暂停项目建设 refuses every construction write, 终止项目 every write at all.
  await refuseIfSanctioned(trx, projectId, 'construction');
  if (activity === 'afterCompletion') return phase;
  if (phase.suspendedSince) throw new AppError('construction.suspended', { params: { since: shanghaiDate(phase.suspendedSince) } });
  if (activity === 'anyStage') return phase;
  if (!isProjectApproved(project) && project.status !== 'filed') {
    throw new AppError('construction.not_started', { params: { state: stateName(project).zh } });
  }
  if (phase.completedOn) throw new AppError('construction.completed', { params: { completedOn: phase.completedOn } });
  return phase;
}

/** The phase without locking, for reads (null: no construction record yet). */
export async function constructionPhase(db: Executor, projectId: string) {
  return (await db.selectFrom('project_construction').selectAll().where('project_id', '=', projectId).executeTakeFirst()) ?? null;
}
