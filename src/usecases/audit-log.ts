// Reading the audit trail (operation and login logs), verifying it, and signing checkpoints.
import { sql } from 'kysely';
import type { CheckpointSummary } from '../audit/checkpoint.ts';
import { signCheckpoint } from '../audit/checkpoint-file.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { verifyAuditLog, type VerificationReport } from '../audit/verifier.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actorUsername: string | null;
  actorDisplayName: string | null;
  organizationName: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'denied' | 'failure';
  diff: unknown;
  requestId: string | null;
  clientAddress: string | null;
}

export interface AuditFilter {
  category?: 'operation' | 'login' | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  outcome?: 'success' | 'denied' | 'failure' | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  /** Calendar dates in Asia/Shanghai, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** Free text (第三十一条 audit search): matched, case-insensitively, in the action, the object, the actor and the before/after diff. */
  q?: string | undefined;
}

/** `text` as a literal LIKE pattern: its % _ and \\ match themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filtered(services: Services, f: AuditFilter) {
  let q = services.database.db.selectFrom('audit_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .leftJoin('organizations as o', 'o.id', 'e.organization_id');
  if (f.category === 'login') q = q.where('e.action', 'like', 'auth.%');
  if (f.category === 'operation') q = q.where('e.action', 'not like', 'auth.%');
  if (f.actor) q = q.where('e.actor_username', '=', f.actor.toLowerCase());
  if (f.action) q = q.where('e.action', '=', f.action);
  if (f.outcome) q = q.where('e.outcome', '=', f.outcome);
  if (f.objectType) q = q.where('e.object_type', '=', f.objectType);
  if (f.objectId) q = q.where('e.object_id', '=', f.objectId);
  if (f.from) q = q.where('e.occurred_at', '>=', sql<Date>`(${f.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
  if (f.to) q = q.where('e.occurred_at', '<', sql<Date>`(${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`);
  if (f.q) {
    const pattern = likePattern(f.q);
    q = q.where((eb) => eb.or([
      eb('e.action', 'ilike', pattern), eb('e.object_type', 'ilike', pattern), eb('e.object_id', 'ilike', pattern),
      eb('e.actor_username', 'ilike', pattern), eb(sql<string>`e.diff::text`, 'ilike', pattern),
    ]));
  }
  return q;
}

const COLUMNS = [
  'e.id', 'e.occurred_at', 'e.actor_username', 'u.display_name', 'o.name as organization_name', 'e.role', 'e.action',
  'e.object_type', 'e.object_id', 'e.outcome', 'e.diff', 'e.request_id', 'e.client_address',
] as const;

function present(r: {
  id: string; occurred_at: Date; actor_username: string | null; display_name: string | null; organization_name: string | null;
  role: string | null; action: string; object_type: string | null; object_id: string | null; outcome: 'success' | 'denied' | 'failure';
  diff: unknown; request_id: string | null; client_address: string | null;
}): AuditEventView {
  return {
    id: r.id, occurredAt: r.occurred_at.toISOString(), actorUsername: r.actor_username, actorDisplayName: r.display_name,
    organizationName: r.organization_name, role: r.role, action: r.action, objectType: r.object_type, objectId: r.object_id,
    outcome: r.outcome, diff: r.diff, requestId: r.request_id, clientAddress: r.client_address,
  };
}

/** A page of events, newest first. */
export async function listAuditEvents(services: Services, actor: Actor, f: AuditFilter, page: number, pageSize: number) {
  requireAccess(actor, 'audit:log:read');
  const base = filtered(services, f);
  const [rows, count] = await Promise.all([
    base.select(COLUMNS).orderBy('e.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(present), total: Number(count.n) };
}

/** Every matching event, newest first, in keyset batches for streaming exports. */
export async function* iterateAuditEvents(services: Services, actor: Actor, f: AuditFilter, batch = 2000): AsyncGenerator<AuditEventView[]> {
  requireAccess(actor, 'audit:log:export');
  let before: string | null = null;
  for (;;) {
    let q = filtered(services, f).select(COLUMNS);
    if (before !== null) q = q.where('e.id', '<', before);
    const rows = await q.orderBy('e.id', 'desc').limit(batch).execute();
    if (rows.length === 0) return;
    yield rows.map(present);
    before = rows[rows.length - 1]!.id;
  }
}

/** Verifies the whole log against the installation's checkpoint key; the check is audited. */
export async function verifyLog(services: Services, actor: Actor): Promise<VerificationReport> {
  requireAccess(actor, 'audit:verify');
  const report = await verifyAuditLog(services.database.db, services.keys.checkpoint.publicKey);
  await services.database.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'audit:verify'), action: 'audit.verify', objectType: null, objectId: null, outcome: 'success',
      diff: { after: { status: report.status, eventsChecked: report.eventsChecked, problems: report.problems.length } },
      ...requestFacts(actor),
    }),
  );
  return report;
}

export async function checkpointNow(services: Services, actor: Actor): Promise<CheckpointSummary | null> {
  requireAccess(actor, 'audit:checkpoint:create');
  await services.database.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'audit:checkpoint:create'), action: 'audit.checkpoint', objectType: null, objectId: null,
      outcome: 'success', ...requestFacts(actor),
    }),
  );
  return signCheckpoint(services);
}
