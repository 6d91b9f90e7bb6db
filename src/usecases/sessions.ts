// Active sessions for the security administrator: list and revoke (SPEC §10).
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

export interface SessionView {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  kind: 'cookie' | 'bearer';
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  clientAddress: string;
  userAgent: string;
  current: boolean;
}

/** Sessions that are neither revoked nor expired nor idle past the timeout. */
export async function listSessions(services: Services, actor: Actor): Promise<SessionView[]> {
  requireAccess(actor, 'system:session:read');
  const now = services.now();
  const rows = await services.database.db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 'u.username', 'u.display_name', 's.kind', 's.created_at', 's.last_seen_at', 's.expires_at', 's.client_address', 's.user_agent'])
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('s.last_seen_at', '>', new Date(now.getTime() - services.config.sessionIdleMs))
    .orderBy('s.last_seen_at', 'desc')
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    id: r.id, userId: r.user_id, username: r.username, displayName: r.display_name, kind: r.kind,
    createdAt: r.created_at.toISOString(), lastSeenAt: r.last_seen_at.toISOString(), expiresAt: r.expires_at.toISOString(),
    clientAddress: r.client_address, userAgent: r.user_agent, current: r.id === actor.sessionId,
  }));
}

export async function revokeSession(services: Services, actor: Actor, id: string): Promise<void> {
  requireAccess(actor, 'system:session:revoke');
  if (id === actor.sessionId) throw new AppError('session.current');
  await services.database.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('sessions').set({ revoked_at: services.now(), revoked_by: actor.userId })
      .where('id', '=', id).where('revoked_at', 'is', null).returning(['user_id']).executeTakeFirst();
    if (!row) throw new AppError('resource.not_found');
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'system:session:revoke'), action: 'session.revoke', objectType: 'session', objectId: id,
      outcome: 'success', diff: { after: { userId: row.user_id, revoked: true } }, ...requestFacts(actor),
    });
  });
}
