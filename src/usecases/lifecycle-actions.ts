// Taking a lifecycle action on a project (第七条–第九条, 第十一条): submit, sign, accept,
// return, approve, reject, file… The state machine in src/domain/lifecycle.ts decides what is
// allowed; this use case gathers its context from the database, checks the caller's role and
// scope, asks for a fresh TOTP code for decisions, signs what must be signed with the user's
// SM2 key, and writes the new state, the action row and the audit event in one transaction.
// A dry run returns every problem and writes nothing.
import { refuseIfSanctioned } from './supervision.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ROLES, resolveAccess, type Permission, type RoleCode } from '../domain/authz.ts';
import {
  ACTION_NAMES, apply, availableActions, check, findTransition, isLifecycleState, stageChecklist, stateName,
  type DecisionInput, type LifecycleAction, type LifecycleContext, type LifecycleProblem, type LifecycleState,
  type MaterialCode, type ProjectKind, type UrgentDeclaration,
} from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { requestFacts, type Actor } from './actor.ts';
import { assignReviewer, routing } from './assignments.ts';
import { currentAssignment, notifyAfterAction } from './notifications.ts';
import { linkedReport } from './predecessors.ts';
import { getProject, type Project } from './projects.ts';
import { catalogSummaryOf } from './resource-catalog.ts';
import { assessmentRule } from './rule-settings.ts';
import { similarityWarnings, type SimilarityWarning } from './similarity.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';

/** Actions that are decisions: they need a fresh second factor and carry a signature. */
const DECISIONS: ReadonlySet<LifecycleAction> = new Set(['approve', 'reject', 'file', 'returnForCompletion']);
/** Actions signed with the acting user's SM2 key (SPEC §10): decisions and the unit lead's signature. */
const SIGNED: ReadonlySet<LifecycleAction> = new Set([...DECISIONS, 'sign']);

export interface ActionInput extends DecisionInput {
  /** A fresh TOTP code: required for decisions. */
  totp?: string | undefined;
  /** 改派审核人: the reviewer who takes the project over. */
  reviewerId?: string | undefined;
}

export interface ActionOptions {
  dryRun: boolean;
  /** The version the caller saw (If-Match); a changed project answers 412. */
  expectedVersion: number | null;
  idempotencyKey: string | null;
}

export interface ActionRecord {
  id: string;
  action: LifecycleAction;
  actionName: { zh: string; en: string };
  from: { stage: string; status: string };
  to: { stage: string; status: string };
  actorId: string;
  actorName: string;
  role: string;
  payload: string;
  signature: string | null;
  publicKey: string | null;
  /** Whether the signature verifies against the stored payload and key (null: unsigned). */
  signatureValid: boolean | null;
  createdAt: string;
}

export type ActionResult =
  | { dryRun: true; ok: boolean; problems: LifecycleProblem[]; next: LifecycleState | null; warnings: SimilarityWarning[] }
  | { dryRun: false; project: Project; record: ActionRecord };

/**
 * The stage's materials, catalog and assessment as the state machine sees them. The
 * assessment report (第七条, 第十一条) is the assessor's uploaded file together with the sharing
 * opinions it enters when completing the assessment.
 */
async function contextFor(db: Executor, project: Project, input: ActionInput, settings: { assessmentRequired: boolean }): Promise<LifecycleContext> {
  const materials = await sql<{ material_code: string }>`
    select distinct material_code from project_materials where project_id = ${project.id} and stage = ${project.lifecycle.stage}`
    .execute(db).then((r) => r.rows.map((x) => x.material_code as MaterialCode));
  // 第九条: the linked earlier project's post-evaluation report stands for an uploaded one.
  if (project.lifecycle.stage === 'filing' && await linkedReport(db, project.id)) materials.push('thirdPartyPostEvaluation');
  return {
    track: project.track,
    projectKind: project.kind as ProjectKind,
    inPlan: project.inPlan,
    urgent: project.urgent as UrgentDeclaration | null,
    newCivilConstruction: project.newCivilConstruction,
    highEnergyConsumption: project.highEnergyConsumption,
    classified: project.involvesSecrets,
    materials,
    // 第十一条: the sharing-analysis chapter is a material of its own in the checklist.
    sharingAnalysisPresent: materials.includes('sharingAnalysis'),
    catalog: await catalogSummaryOf(db, project.id),
    assessmentRequired: settings.assessmentRequired,
    assessmentReport: materials.includes('assessmentReport') ? { sharingOpinions: input.sharingOpinions ?? '' } : null,
    decision: input,
  };
}

/**
 * 改派审核人 and 委托咨询评估单位 (第七条): once a reviewer is assigned, reviewer actions are
 * theirs alone (any reviewer of the department may still reassign); assessor actions belong to
 * the entrusted organization.
 */
async function checkAssignee(db: Executor, actor: Actor, projectId: string, role: RoleCode, action: LifecycleAction) {
  if (role === 'reviewer' && action !== 'reassignReviewer') {
    const assigned = (await currentAssignment(db, projectId, 'reviewer'))?.user_id ?? null;
    if (assigned !== null && assigned !== actor.userId) throw new AppError('lifecycle.not_assignee', { params: { role: ROLES.reviewer.name } });
  }
  if (role === 'assessor') {
    const org = (await currentAssignment(db, projectId, 'assessor'))?.organization_id ?? null;
    if (org === null || !actor.organizationIds.includes(org)) throw new AppError('lifecycle.not_assignee', { params: { role: ROLES.assessor.name } });
  }
}

/** The role the caller acts in: one that the transition allows and whose scope holds the project. */
function actingRole(actor: Actor, action: LifecycleAction, state: LifecycleState): RoleCode | null {
  const transition = findTransition(state, action);
  if (!transition) return actor.roles[0]?.role ?? null;
  const eligible = actor.roles.filter((r) => transition.roles.includes(r.role) && ROLES[r.role].grants[transition.permission] !== undefined);
  return eligible[0]?.role ?? actor.roles[0]?.role ?? null;
}

/** What identifies a request for Idempotency-Key (the one-time code is not part of it). */
function requestHash(action: string, projectId: string, input: ActionInput): string {
  const body = { reasons: input.reasons, sharingOpinions: input.sharingOpinions, returnTo: input.returnTo, reviewerId: input.reviewerId };
  return createHash('sm3').update(canonicalJson({ action, projectId, input: body })).digest('hex');
}

/** Takes (or, with dryRun, checks) `action` on a project for the calling user. */
export async function takeAction(
  services: Services, actor: Actor, projectId: string, action: LifecycleAction, input: ActionInput, options: ActionOptions,
): Promise<ActionResult> {
  const db = services.database.db;
  // Visibility first (404 outside every scope), then the transition's own permission.
  const seen = await getProject(services, actor, projectId);

  if (options.dryRun) {
    const role = actingRole(actor, action, seen.lifecycle);
    const transition = findTransition(seen.lifecycle, action);
    // Seeing a project is not acting on it: the action's own permission must cover it too.
    // (A real action checks this inside its transaction, against the locked row.)
    if (transition) await getProject(services, actor, projectId, transition.permission).catch(notFoundAsForbidden);
    if (role) await checkAssignee(db, actor, projectId, role, action);
    const ctx = await contextFor(db, seen, input, { assessmentRequired: (await assessmentRule(db, seen, shanghaiDate(services.now()))).required });
    const problems = role ? check(seen.lifecycle, action, ctx, role) : [];
    const result = role && problems.length === 0 ? apply(seen.lifecycle, action, ctx, role) : null;
    // 第二十八条 (I-13, I-20): possible duplicate construction is shown before submitting, never blocks it.
    const warnings = action === 'submit' ? await similarityWarnings(services, actor, projectId) : [];
    return { dryRun: true, ok: problems.length === 0, problems, next: result?.ok ? result.state : null, warnings };
  }

  if (options.idempotencyKey) {
    const previous = await db.selectFrom('idempotency_keys').select(['request_hash', 'response'])
      .where('user_id', '=', actor.userId).where('key', '=', options.idempotencyKey).executeTakeFirst();
    if (previous) {
      if (previous.request_hash.trim() !== requestHash(action, projectId, input)) throw new AppError('idempotency.mismatch');
      return previous.response as ActionResult;
    }
  }

  return db.transaction().execute(async (trx) => {
    // The row lock makes concurrent decisions on one project take turns: the second sees the
    // state the first left and is refused (409), so exactly one decision lands.
    await trx.selectFrom('projects').select('id').where('id', '=', projectId).forUpdate().execute();
    const project = await getProjectIn(services, trx, actor, projectId);
    const current = findTransition(project.lifecycle, action);
    if (current) await getProjectIn(services, trx, actor, projectId, current.permission).catch(notFoundAsForbidden);
    // 第三十条: a terminated project takes no further action.
    await refuseIfSanctioned(trx, projectId, 'any');
    if (options.expectedVersion !== null && project.version !== options.expectedVersion) throw new AppError('conflict.stale');
    if (!findTransition(project.lifecycle, action) || !isLifecycleState(project.lifecycle)) {
      throw new AppError('lifecycle.conflict', { params: { state: project.lifecycle.name.zh } });
    }
    const rules = await assessmentRule(trx, project, shanghaiDate(services.now()));
    const ctx = await contextFor(trx, project, input, { assessmentRequired: rules.required });
    const actingAs = actingRole(actor, action, project.lifecycle);
    if (!actingAs) throw new AppError('auth.forbidden');
    await checkAssignee(trx, actor, projectId, actingAs, action);
    const result = apply(project.lifecycle, action, ctx, actingAs);
    if (!result.ok) {
      if (result.problems.some((p) => p.code === 'role.not_permitted')) throw new AppError('auth.forbidden');
      throw new AppError('lifecycle.blocked', { params: { count: result.problems.length }, problems: result.problems });
    }
    if (DECISIONS.has(action)) await verifyStepUp(services, trx, actor, input.totp);

    const now = services.now();
    const materials = (await sql<{ material_code: string; version_no: number; sm3: string }>`
      select material_code, version_no, sm3 from project_materials where project_id = ${projectId} and stage = ${project.lifecycle.stage}
      order by material_code, version_no`.execute(trx)).rows;
    const linked = project.lifecycle.stage === 'filing' ? await linkedReport(trx, projectId) : null;
    // What is signed: the project, the stage, the outcome, the amounts and the exact materials
    // decided on (by SM3 digest, with a linked earlier project's report), the opinions, who and
    // when (SPEC §10, issue #3 item 7).
    const payload = canonicalJson({
      type: 'govproj.lifecycle-action.v1',
      projectId: project.id, projectCode: project.code, projectName: project.name,
      action, from: { stage: project.lifecycle.stage, status: project.lifecycle.status },
      to: { stage: result.state.stage, status: result.state.status },
      totalInvestment: project.totalInvestment, oAndMFunds: project.oAndMFunds,
      materials: materials.map((m) => ({ code: m.material_code, version: m.version_no, sm3: m.sm3.trim() })),
      ...(linked ? { linkedReport: { code: 'postEvaluationReport', projectId: linked.projectId, version: linked.versionNo, sm3: linked.sm3 } } : {}),
      reasons: input.reasons?.trim() || null, sharingOpinions: input.sharingOpinions?.trim() || null,
      returnTo: input.returnTo ?? null,
      // 第三十四条: the rule settings that decided the path, so a later change rewrites nothing.
      ...(action === 'accept' ? { rules: rules.settings } : {}),
      ...(action === 'reassignReviewer' ? { reviewerId: input.reviewerId ?? null } : {}),
      actorId: actor.userId, actorUsername: actor.username, role: actingAs, at: now.toISOString(),
    });
    const signed = SIGNED.has(action) ? await signAsUser(services, trx, actor.userId, payload) : null;
    const record = await trx.insertInto('project_actions').values({
      project_id: projectId, action, from_stage: project.lifecycle.stage, from_status: project.lifecycle.status,
      to_stage: result.state.stage, to_status: result.state.status, actor_id: actor.userId, role: actingAs,
      payload, signature: signed?.signature ?? null, public_key: signed?.publicKey ?? null, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('projects').set({
      stage: result.state.stage, status: result.state.status, version: project.version + 1, updated_at: now,
    }).where('id', '=', projectId).execute();
    if (action === 'reassignReviewer') await assignReviewer(trx, services, actor, project, input.reviewerId, input.reasons?.trim() || null);
    await notifyAfterAction(trx, now, {
      actor, project: routing(project), action, actionName: ACTION_NAMES[action], from: project.lifecycle, to: result.state,
      actionId: record.id, reasons: input.reasons?.trim() || null,
    });
    await appendAuditEvent(trx, {
      actor: { id: actor.userId, username: actor.username, organizationId: actor.organizationIds[0] ?? null, role: actingAs },
      action: `project.${action}`, objectType: 'project', objectId: projectId, outcome: 'success',
      diff: {
        before: { stage: project.lifecycle.stage, status: project.lifecycle.status },
        after: { stage: result.state.stage, status: result.state.status, actionId: record.id, signed: signed !== null },
      },
      ...requestFacts(actor),
    });
    const response: ActionResult = {
      dryRun: false,
      project: await getProjectIn(services, trx, actor, projectId),
      record: (await listActionsIn(trx, projectId)).find((r) => r.id === record.id)!,
    };
    if (options.idempotencyKey) {
      await trx.insertInto('idempotency_keys').values({
        user_id: actor.userId, key: options.idempotencyKey, request_hash: requestHash(action, projectId, input),
        status_code: 200, response: JSON.stringify(response),
      }).execute();
    }
    return response;
  });
}

/** Visible but outside the action's scope: a refused action (403), not a hidden object. */
function notFoundAsForbidden(err: unknown): never {
  if (err instanceof AppError && err.code === 'resource.not_found') throw new AppError('auth.forbidden');
  throw err;
}

async function getProjectIn(services: Services, trx: Tx, actor: Actor, projectId: string, permission?: Permission): Promise<Project> {
  return getProject({ ...services, database: { ...services.database, db: trx } }, actor, projectId, permission);
}

async function listActionsIn(db: Executor, projectId: string): Promise<ActionRecord[]> {
  const rows = await db.selectFrom('project_actions as a').innerJoin('users as u', 'u.id', 'a.actor_id')
    .selectAll('a').select('u.display_name').where('a.project_id', '=', projectId).orderBy('a.seq').execute();
  return rows.map((r) => ({
    id: r.id, action: r.action as LifecycleAction, actionName: ACTION_NAMES[r.action as LifecycleAction] ?? { zh: r.action, en: r.action },
    from: { stage: r.from_stage, status: r.from_status }, to: { stage: r.to_stage, status: r.to_status },
    actorId: r.actor_id, actorName: r.display_name, role: r.role, payload: r.payload,
    signature: r.signature, publicKey: r.public_key,
    signatureValid: r.signature && r.public_key ? sm2Verify(r.payload, r.signature, r.public_key) : null,
    createdAt: r.created_at.toISOString(),
  }));
}

/** The project's history of actions with each signature verified (project:read). */
export async function listActions(services: Services, actor: Actor, projectId: string): Promise<ActionRecord[]> {
  await getProject(services, actor, projectId);
  return listActionsIn(services.database.db, projectId);
}

/**
 * What the caller may do next, each with the problems that still stand in the way, and the
 * current stage's checklist. Actions another reviewer or assessor has been assigned are left out.
 */
export async function nextActions(services: Services, actor: Actor, projectId: string) {
  const project = await getProject(services, actor, projectId);
  const ctx = await contextFor(services.database.db, project, {}, { assessmentRequired: (await assessmentRule(services.database.db, project, shanghaiDate(services.now()))).required });
  const seen = new Set<LifecycleAction>();
  const out: Array<{ action: LifecycleAction; name: { zh: string; en: string }; role: RoleCode; needsTotp: boolean; problems: readonly LifecycleProblem[] }> = [];
  for (const { role } of actor.roles) {
    for (const a of availableActions(project.lifecycle, role, ctx)) {
      if (seen.has(a.action) || !resolveAccess(actor, a.transition.permission).allowed) continue;
      if (!await checkAssignee(services.database.db, actor, projectId, role, a.action).then(() => true, () => false)) continue;
      seen.add(a.action);
      out.push({ action: a.action, name: ACTION_NAMES[a.action], role, needsTotp: DECISIONS.has(a.action), problems: a.problems });
    }
  }
  const checklist = project.lifecycle.status === 'approved' || project.lifecycle.status === 'rejected' || project.lifecycle.status === 'filed'
    ? [] : stageChecklist(project.lifecycle.stage, ctx);
  // 第二十八条: possible duplicates, as warnings apart from the problems (they block nothing).
  const warnings = await similarityWarnings(services, actor, projectId);
  return { state: { ...project.lifecycle, name: stateName(project.lifecycle) }, actions: out, checklist, warnings };
}
