// The status of a framework plan (第十条): the lead submits it to NDRC (联合报国家发展改革委) once
// every participant has confirmed its part and every suspected overlap is resolved or justified
// (I-13), or withdraws it; NDRC confirms it (确定) or returns it with reasons. NDRC's actions are
// decisions (SPEC §10): a fresh TOTP code, and an SM2 signature with the decider's key over the
// canonical JSON stored beside it, which holds the whole plan as decided on. Every action writes
// the new status, its framework_actions row, the notifications and the audit event in one
// transaction; a dry run returns every problem and writes nothing.
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import { resolveAccess } from '../domain/authz.ts';
import {
  ACTION_NAMES, STATUS_NAMES, actionProblems, nextStatus, transitionOf,
  type FrameworkAction, type FrameworkProblem, type FrameworkStatus, type LocalizedText,
} from '../domain/frameworks.ts';
import { AppError } from '../errors.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { requestFacts, requireAccess, type Actor } from './actor.ts';
import {
  getFramework, loadFramework, participantsInScope, submissionFacts, visibleFramework, type Framework, type FrameworkData,
} from './frameworks.ts';
import { usersInRole } from './notifications.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';
import { syncSimilarity } from './similarity.ts';

export interface FrameworkActionInput {
  /** Required to return a plan (第十条: NDRC says what to change); recorded with any action. */
  reasons?: string | undefined;
  /** A fresh TOTP code: required for NDRC's decisions. */
  totp?: string | undefined;
}

export interface FrameworkActionRecord {
  id: string;
  actionNo: number;
  action: FrameworkAction;
  actionName: LocalizedText;
  from: FrameworkStatus;
  to: FrameworkStatus;
  actorId: string;
  actorName: string;
  role: string;
  reasons: string | null;
  /** The canonical JSON that was signed (or, unsigned, recorded): the plan as acted on. */
  payload: string;
  signature: string | null;
  publicKey: string | null;
  /** Whether the signature verifies against the stored payload and key (null: unsigned). */
  signatureValid: boolean | null;
  createdAt: string;
}

export type FrameworkActionResult =
  | { dryRun: true; ok: boolean; problems: FrameworkProblem[]; next: FrameworkStatus | null }
  | { dryRun: false; framework: Framework; record: FrameworkActionRecord };

/**
 * The role the caller acts in, checked against the plan: the lead's people (framework:manage
 * covering the lead) submit and withdraw; NDRC (framework:decide) confirms and returns.
 */
async function actingRole(db: Executor, actor: Actor, plan: { id: string; leadOrganizationId: string }, action: FrameworkAction): Promise<string> {
  const transition = transitionOf(action);
  const scope = requireAccess(actor, transition.permission);
  if (transition.permission === 'framework:manage' && !(await participantsInScope(db, plan.id, scope)).has(plan.leadOrganizationId)) {
    throw new AppError('auth.forbidden');
  }
  return actor.roles.find((r) => resolveAccess({ ...actor, roles: [r] }, transition.permission).allowed)?.role ?? actor.roles[0]!.role;
}

/** The plan as the action's payload records it: everything 第十条 names, in a stable order. */
export function frameworkSnapshot(data: FrameworkData) {
  return {
    id: data.id, name: data.name, goals: data.goals,
    lead: { organizationId: data.leadOrganizationId, name: data.leadOrganizationName },
    participants: data.participants.map((p) => ({
      organizationId: p.organizationId, name: p.organizationName, version: p.version,
      confirmedAt: p.confirmation?.confirmedAt ?? null, confirmedBy: p.confirmation?.confirmedBy ?? null,
      contents: p.contents.map((c) => ({ id: c.id, title: c.title, description: c.description, version: c.version })),
    })),
    businessFlows: data.businessFlows.map((f) => ({
      id: f.id, name: f.name, description: f.description, steps: f.steps.map((s) => ({ organizationId: s.organizationId, activity: s.activity })),
    })),
    dataFlows: data.dataFlows.map((f) => ({
      id: f.id, from: { organizationId: f.from.organizationId, system: f.from.system }, to: { organizationId: f.to.organizationId, system: f.to.system },
      dataItems: f.dataItems, frequency: f.frequency, interfaceMethod: f.interfaceMethod, description: f.description,
    })),
    catalogEntries: data.catalogEntries.map((e) => ({
      id: e.id, name: e.name, providerOrganizationId: e.providerOrganizationId, dataItems: e.dataItems, sharingType: e.sharingType, sharingBasis: e.sharingBasis,
    })),
    // I-13: each suspected overlap with its evidence and how it was handled.
    overlapThreshold: data.overlapThreshold,
    overlaps: data.overlaps.map((o) => ({
      contentAId: o.a.contentId, contentBId: o.b.contentId, similarity: Number(o.similarity.toFixed(4)),
      terms: o.terms.slice(0, 10).map((t) => t.term), justification: o.justification?.reason ?? null,
    })),
  };
}

/** Takes (or, with dryRun, checks) a status action on a plan for the calling user. */
export async function takeFrameworkAction(
  services: Services, actor: Actor, frameworkId: string, action: FrameworkAction, input: FrameworkActionInput,
  options: { dryRun: boolean; expectedVersion: number | null },
): Promise<FrameworkActionResult> {
  const db = services.database.db;
  if (options.dryRun) {
    // Visibility first (404), then the action's own permission and role (403).
    const seen = await getFramework(services, actor, frameworkId);
    await actingRole(db, actor, { id: seen.id, leadOrganizationId: seen.leadOrganizationId }, action);
    const problems = actionProblems(seen.status, action, submissionFacts(seen), input);
    return { dryRun: true, ok: problems.length === 0, problems, next: problems.length === 0 ? nextStatus(seen.status, action) : null };
  }
  // The master-catalog index catches up before the transaction (I-13: the submission is checked
  // against it inside, where it cannot sync on PGlite's one connection).
  await syncSimilarity(services);
  return db.transaction().execute(async (trx) => {
    const record = await applyFrameworkAction(services, trx, actor, frameworkId, action, input, { expectedVersion: options.expectedVersion, notify: true });
    return { dryRun: false, framework: await getFramework(services, actor, frameworkId, trx), record };
  });
}

/**
 * The action inside the caller's transaction (the demo seed records its submission with it,
 * without telling anyone). The plan row is locked, so two decisions on one plan take turns: the
 * second finds the status moved and is refused (409).
 */
export async function applyFrameworkAction(
  services: Services, trx: Tx, actor: Actor, frameworkId: string, action: FrameworkAction, input: FrameworkActionInput,
  options: { expectedVersion: number | null; notify: boolean },
): Promise<FrameworkActionRecord> {
  const readScope = requireAccess(actor, 'project:read');
  const plan = await trx.selectFrom('framework_plans as f').select(['f.id', 'f.status', 'f.version', 'f.lead_organization_id', 'f.created_by'])
    .where('f.id', '=', frameworkId).where(visibleFramework(readScope)).forUpdate().executeTakeFirst();
  if (!plan) throw new AppError('resource.not_found');
  const role = await actingRole(trx, actor, { id: plan.id, leadOrganizationId: plan.lead_organization_id }, action);
  if (options.expectedVersion !== null && plan.version !== options.expectedVersion) throw new AppError('conflict.stale');
  const to = nextStatus(plan.status, action);
  if (to === null) throw new AppError('framework.conflict', { params: { state: STATUS_NAMES[plan.status].zh } });
  const data = (await loadFramework(trx, frameworkId, services))!;
  const problems = actionProblems(plan.status, action, submissionFacts(data), input);
  if (problems.length > 0) throw new AppError('framework.blocked', { params: { count: problems.length }, problems });
  const decision = transitionOf(action).decision;
  if (decision) await verifyStepUp(services, trx, actor, input.totp);

  const now = services.now();
  const reasons = input.reasons?.trim() || null;
  const payload = canonicalJson({
    type: 'govproj.framework-action.v1',
    frameworkId, action, from: plan.status, to, framework: frameworkSnapshot(data), reasons,
    actorId: actor.userId, actorUsername: actor.username, role, at: now.toISOString(),
  });
  const signed = decision ? await signAsUser(services, trx, actor.userId, payload) : null;
  const last = await trx.selectFrom('framework_actions').select(({ fn }) => fn.max('action_no').as('n')).where('framework_id', '=', frameworkId).executeTakeFirst();
  const actionNo = Number(last?.n ?? 0) + 1;
  const row = await trx.insertInto('framework_actions').values({
    framework_id: frameworkId, action_no: actionNo, action, from_status: plan.status, to_status: to, actor_id: actor.userId, role,
    reasons, payload, signature: signed?.signature ?? null, public_key: signed?.publicKey ?? null, created_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.updateTable('framework_plans').set({ status: to, version: plan.version + 1, updated_at: now }).where('id', '=', frameworkId).execute();
  if (options.notify) await notifyParties(trx, now, actor, data, plan.created_by, action, reasons);
  await appendAuditEvent(trx, {
    actor: { id: actor.userId, username: actor.username, organizationId: actor.organizationIds[0] ?? null, role },
    action: `framework.${action}`, objectType: 'framework', objectId: frameworkId, outcome: 'success', ...requestFacts(actor),
    diff: { before: { status: plan.status }, after: { status: to, actionId: row.id, signed: signed !== null, ...(reasons ? { reasons } : {}) } },
  });
  return (await listActionsIn(trx, frameworkId)).find((r) => r.id === row.id)!;
}

const NOTICE: Partial<Record<FrameworkAction, { kind: string; zh: string; en: string }>> = {
  submit: { kind: 'frameworkSubmitted', zh: '已联合报送国家发展改革委', en: 'was submitted to NDRC' },
  confirm: { kind: 'frameworkConfirmed', zh: '已经国家发展改革委确定，各部门可按程序申报本部门分项', en: 'was confirmed by NDRC; each department may now submit its own part' },
  return: { kind: 'frameworkReturned', zh: '被国家发展改革委退回', en: 'was returned by NDRC' },
};

/**
 * Who hears of a submission, confirmation or return: every participant's preparers and unit
 * leads and the plan's creator; NDRC too when the plan is submitted (it waits on them). Written
 * here rather than with notify(), whose ProjectRouting is about a project; the rows are the same
 * notifications, about the plan instead of a project.
 */
async function notifyParties(trx: Tx, now: Date, actor: Actor, data: FrameworkData, createdBy: string | null, action: FrameworkAction, reasons: string | null) {
  const notice = NOTICE[action];
  if (!notice) return;
  const told = new Set<string>(createdBy ? [createdBy] : []);
  for (const p of data.participants) {
    for (const role of ['preparer', 'unit_lead'] as const) for (const id of await usersInRole(trx, role, p.organizationId)) told.add(id);
  }
  if (action === 'submit') for (const id of await usersInRole(trx, 'ndrc', null)) told.add(id);
  told.delete(actor.userId);
  if (told.size === 0) return;
  const why = reasons ? { zh: `意见：${reasons}`, en: `Reasons: ${reasons}` } : { zh: '', en: '' };
  await trx.insertInto('notifications').values([...told].map((user_id) => ({
    user_id, project_id: null, framework_id: data.id, kind: notice.kind, action_id: null,
    title_zh: `【框架方案】${data.name}`, title_en: `[Framework plan] ${data.name}`,
    body_zh: `框架方案${notice.zh}（${actor.displayName}，${ACTION_NAMES[action].zh}）。${why.zh}`.trim(),
    body_en: `The framework plan ${notice.en} (${actor.displayName}: ${ACTION_NAMES[action].en}). ${why.en}`.trim(),
    created_at: now,
  }))).execute();
}

async function listActionsIn(db: Executor, frameworkId: string): Promise<FrameworkActionRecord[]> {
  const rows = await db.selectFrom('framework_actions as a').innerJoin('users as u', 'u.id', 'a.actor_id')
    .selectAll('a').select('u.display_name').where('a.framework_id', '=', frameworkId).orderBy('a.action_no').execute();
  return rows.map((r) => ({
    id: r.id, actionNo: r.action_no, action: r.action, actionName: ACTION_NAMES[r.action],
    from: r.from_status as FrameworkStatus, to: r.to_status as FrameworkStatus,
    actorId: r.actor_id, actorName: r.display_name, role: r.role, reasons: r.reasons, payload: r.payload,
    signature: r.signature, publicKey: r.public_key,
    signatureValid: r.signature && r.public_key ? sm2Verify(r.payload, r.signature, r.public_key) : null,
    createdAt: r.created_at.toISOString(),
  }));
}

/** The plan's actions with each signature verified (project:read within the plan's visibility). */
export async function listFrameworkActions(services: Services, actor: Actor, frameworkId: string): Promise<FrameworkActionRecord[]> {
  await getFramework(services, actor, frameworkId);
  return listActionsIn(services.database.db, frameworkId);
}
