// 孤网例外决定 (第二十八条: 坚持"联网为原则, 孤网为例外"; a department that cannot share but must build
// or keep a system goes through NDRC to the State Council, and only with its approval may the
// system be built or kept). The platform records that outcome (I-22): NDRC (catalog:exception)
// grants an exception for a system on an isolated network, citing the approval's document number
// and date with its reason, and may revoke it. Both are decisions: a fresh TOTP code, an SM2
// signature of the deciding user over the canonical JSON stored beside it, append-only rows and
// an audit event, all in one transaction. A system on an isolated network without a standing
// grant is flagged everywhere it appears (src/usecases/system-catalog.ts).
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent, type AuditActor } from '../audit/writer.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { standingException } from '../domain/system-catalog.ts';
import { AppError } from '../errors.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';
import { loadSystem, type GovernmentSystem } from './system-catalog.ts';

/** One recorded decision, with its signature verified against the stored payload and key. */
export interface IsolationDecision {
  id: string;
  systemId: string;
  decision: 'grant' | 'revoke';
  reason: string;
  /** The State Council approval's document number and date (grants only). */
  approvalDocumentNumber: string | null;
  approvedOn: string | null;
  /** The grant a revocation ended. */
  revokesId: string | null;
  actorId: string;
  actorName: string;
  role: string;
  payload: string;
  signature: string;
  publicKey: string;
  signatureValid: boolean;
  createdAt: string;
}

export interface GrantInput {
  reason: string;
  approvalDocumentNumber: string;
  /** YYYY-MM-DD, not after today (Asia/Shanghai). */
  approvedOn: string;
  totp?: string | undefined;
}

export interface RevokeInput {
  reason: string;
  totp?: string | undefined;
}

async function decisionsOf(db: Executor, systemId: string): Promise<IsolationDecision[]> {
  const rows = await db.selectFrom('isolation_exceptions as e').innerJoin('users as u', 'u.id', 'e.actor_id')
    .selectAll('e').select('u.display_name').where('e.system_id', '=', systemId).orderBy('e.seq').execute();
  return rows.map((r) => ({
    id: r.id, systemId: r.system_id, decision: r.decision, reason: r.reason,
    approvalDocumentNumber: r.approval_document_number, approvedOn: r.approved_on, revokesId: r.revokes_id,
    actorId: r.actor_id, actorName: r.display_name, role: r.role, payload: r.payload, signature: r.signature, publicKey: r.public_key,
    signatureValid: sm2Verify(r.payload, r.signature, r.public_key), createdAt: r.created_at.toISOString(),
  }));
}

/** The decisions on a system, oldest first, each signature verified (catalog:read, the system's scope). */
export async function listIsolationDecisions(services: Services, actor: Actor, systemId: string): Promise<IsolationDecision[]> {
  const scope = requireAccess(actor, 'catalog:read');
  const db = services.database.db;
  const seen = await db.selectFrom('government_systems as s').select('s.id').where('s.id', '=', systemId)
    .where(scopePredicate(scope, 's.owner_organization_id')).executeTakeFirst();
  if (!seen) throw new AppError('resource.not_found');
  return decisionsOf(db, systemId);
}

interface Decision {
  decision: 'grant' | 'revoke';
  reason: string;
  approvalDocumentNumber: string | null;
  approvedOn: string | null;
}

/**
 * Signs and writes one decision on a locked system whose state allows it, with its audit event.
 * The step-up is the caller's (the demo seed records its decision without one: nobody is there
 * to type a code).
 */
export async function recordIsolationDecision(
  services: Services, trx: Tx, actor: { userId: string; username: string; role: string; audit: AuditActor; requestId: string | null; clientAddress: string | null },
  system: GovernmentSystem, decision: Decision,
): Promise<IsolationDecision> {
  const standing = standingException(await decisionsOf(trx, system.id));
  const now = services.now();
  // What is signed: the system as it reads now, the decision with its reason and the State
  // Council approval it rests on, who and when (SPEC §10).
  const payload = canonicalJson({
    type: 'govproj.isolation-exception.v1', decision: decision.decision,
    systemId: system.id, systemName: system.name, ownerOrganizationId: system.ownerOrganizationId,
    ownerOrganizationName: system.ownerOrganizationName, networkType: system.networkType,
    reason: decision.reason, approvalDocumentNumber: decision.approvalDocumentNumber, approvedOn: decision.approvedOn,
    revokes: decision.decision === 'revoke' ? standing!.id : null,
    actorId: actor.userId, actorUsername: actor.username, role: actor.role, at: now.toISOString(),
  });
  const { signature, publicKey } = await signAsUser(services, trx, actor.userId, payload);
  const row = await trx.insertInto('isolation_exceptions').values({
    system_id: system.id, decision: decision.decision, reason: decision.reason,
    approval_document_number: decision.approvalDocumentNumber, approved_on: decision.approvedOn,
    revokes_id: decision.decision === 'revoke' ? standing!.id : null,
    actor_id: actor.userId, role: actor.role, payload, signature, public_key: publicKey, created_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await appendAuditEvent(trx, {
    actor: actor.audit, action: `system.isolation_exception.${decision.decision}`, objectType: 'system', objectId: system.id,
    outcome: 'success', requestId: actor.requestId, clientAddress: actor.clientAddress,
    diff: {
      before: { isolatedWithoutException: system.isolatedWithoutException, standingExceptionId: standing?.id ?? null },
      after: {
        isolatedWithoutException: decision.decision === 'revoke', standingExceptionId: decision.decision === 'grant' ? row.id : null,
        decisionId: row.id, reason: decision.reason, approvalDocumentNumber: decision.approvalDocumentNumber, approvedOn: decision.approvedOn,
      },
    },
  });
  return (await decisionsOf(trx, system.id)).find((d) => d.id === row.id)!;
}

/** The system locked for a decision, within the caller's catalog:exception scope (404 outside it). */
async function lockSystem(trx: Tx, actor: Actor, systemId: string): Promise<GovernmentSystem> {
  const scope = requireAccess(actor, 'catalog:exception');
  const row = await trx.selectFrom('government_systems as s').select('s.id').where('s.id', '=', systemId)
    .where(scopePredicate(scope, 's.owner_organization_id')).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  return (await loadSystem(trx, systemId))!;
}

function decider(actor: Actor) {
  const audit = auditActorFor(actor, 'catalog:exception');
  return { userId: actor.userId, username: actor.username, role: audit.role!, audit, ...requestFacts(actor) };
}

function fieldProblems(fields: Record<string, string | undefined>, services: Services) {
  const problems: Array<{ path: string; code: string }> = [];
  for (const [path, value] of Object.entries(fields)) if (!value || value.trim() === '') problems.push({ path, code: 'required' });
  if (fields.approvedOn && fields.approvedOn > shanghaiDate(services.now())) problems.push({ path: 'approvedOn', code: 'not_in_future' });
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
}

/**
 * 第二十八条: records the State Council's approval to build or keep a system on an isolated
 * network. The system must be on one (409 otherwise) without a standing exception (409); then a
 * fresh TOTP code (401).
 */
export async function grantIsolationException(
  services: Services, actor: Actor, systemId: string, input: GrantInput,
): Promise<{ decision: IsolationDecision; system: GovernmentSystem }> {
  requireAccess(actor, 'catalog:exception');
  fieldProblems({ reason: input.reason, approvalDocumentNumber: input.approvalDocumentNumber, approvedOn: input.approvedOn }, services);
  return services.database.db.transaction().execute(async (trx) => {
    const system = await lockSystem(trx, actor, systemId);
    if (system.networkType !== 'isolated') throw new AppError('system.not_isolated');
    if (system.isolationException !== null) throw new AppError('system.exception_exists');
    await verifyStepUp(services, trx, actor, input.totp);
    const decision = await recordIsolationDecision(services, trx, decider(actor), system, {
      decision: 'grant', reason: input.reason.trim(), approvalDocumentNumber: input.approvalDocumentNumber.trim(), approvedOn: input.approvedOn,
    });
    return { decision, system: (await loadSystem(trx, systemId))! };
  });
}

/** 第二十八条: ends a standing exception (409 when there is none); a fresh TOTP code (401). */
export async function revokeIsolationException(
  services: Services, actor: Actor, systemId: string, input: RevokeInput,
): Promise<{ decision: IsolationDecision; system: GovernmentSystem }> {
  requireAccess(actor, 'catalog:exception');
  fieldProblems({ reason: input.reason }, services);
  return services.database.db.transaction().execute(async (trx) => {
    const system = await lockSystem(trx, actor, systemId);
    if (system.isolationException === null) throw new AppError('system.no_exception');
    await verifyStepUp(services, trx, actor, input.totp);
    const decision = await recordIsolationDecision(services, trx, decider(actor), system, {
      decision: 'revoke', reason: input.reason.trim(), approvalDocumentNumber: null, approvedOn: null,
    });
    return { decision, system: (await loadSystem(trx, systemId))! };
  });
}
