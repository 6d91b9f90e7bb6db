// Appends audit events inside the caller's transaction, so a state change and its audit
// event commit together or not at all. Only the head row of the event's own chain is
// locked, so writers of different objects never wait for each other.
import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { GENESIS_HASH, hashAuditEvent, type AuditEventContent } from './chain.ts';

/** Who acted, as recorded in the log. */
export interface AuditActor {
  id: string | null;
  username: string | null;
  organizationId: string | null;
  /** The role whose grant allowed (or would have allowed) the action. */
  role: string | null;
}

export interface AuditEventInput {
  actor: AuditActor;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'denied' | 'failure';
  /** Before/after of the fields that changed; secrets and encrypted fields are left out. */
  diff?: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null } | null;
  requestId: string | null;
  clientAddress: string | null;
  /** Defaults to the object (`type:id`); events without an object chain on their actor. */
  chainId?: string;
  occurredAt?: Date;
}

export function chainIdFor(input: Pick<AuditEventInput, 'chainId' | 'objectType' | 'objectId' | 'actor'>): string {
  if (input.chainId) return input.chainId;
  if (input.objectType && input.objectId) return `${input.objectType}:${input.objectId}`;
  return `actor:${input.actor.id ?? input.actor.username ?? 'anonymous'}`;
}

/** Appends one event to its chain. Must run inside a transaction. */
export async function appendAuditEvent(trx: Tx, input: AuditEventInput): Promise<{ chainId: string; seq: string; hash: string }> {
  const chainId = chainIdFor(input);
  // Upsert-and-return locks the head row of this chain only (until commit).
  const head = await sql<{ seq: string; hash: string }>`
    insert into audit_chain_heads (chain_id, seq, hash) values (${chainId}, 0, ${GENESIS_HASH})
    on conflict (chain_id) do update set chain_id = excluded.chain_id
    returning seq, hash`.execute(trx);
  const prev = head.rows[0]!;
  const content: AuditEventContent = {
    chainId,
    seq: (BigInt(prev.seq) + 1n).toString(),
    prevHash: prev.hash.trim(),
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    actorId: input.actor.id,
    actorUsername: input.actor.username,
    organizationId: input.actor.organizationId,
    role: input.actor.role,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    outcome: input.outcome,
    diff: input.diff ? JSON.parse(JSON.stringify(input.diff)) : null,
    requestId: input.requestId,
    clientAddress: input.clientAddress,
  };
  const hash = hashAuditEvent(content);
  await sql`
    with e as (
      insert into audit_events (chain_id, seq, prev_hash, hash, occurred_at, actor_id, actor_username,
        organization_id, role, action, object_type, object_id, outcome, diff, request_id, client_address)
      values (${chainId}, ${content.seq}, ${content.prevHash}, ${hash}, ${content.occurredAt}, ${content.actorId},
        ${content.actorUsername}, ${content.organizationId}, ${content.role}, ${content.action}, ${content.objectType},
        ${content.objectId}, ${content.outcome}, ${content.diff === null ? null : JSON.stringify(content.diff)}::jsonb,
        ${content.requestId}, ${content.clientAddress})
      returning 1)
    update audit_chain_heads set seq = ${content.seq}, hash = ${hash} where chain_id = ${chainId}`.execute(trx);
  return { chainId, seq: content.seq, hash };
}
