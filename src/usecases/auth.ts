// Sign-in, sessions and sign-out (SPEC §10; 等保 2.0 三级 identity checks).
// Lockout after 5 failures for 15 minutes; idle and absolute session timeouts; a TOTP second
// factor for decision makers and administrators. Every outcome is an audit event.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { isRoleCode, requiresTotp, type RoleAssignment } from '../domain/authz.ts';
import { AppError } from '../errors.ts';
import { hmacSm3, sm3Hex } from '../crypto/sm3.ts';
import { decryptField } from '../crypto/sm4.ts';
import { hashPassword, verifyPassword } from '../crypto/password.ts';
import { verifyTotp } from '../crypto/totp.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ClientInfo {
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string;
  /** A background poll (the UI's unread count): it must not keep an idle session alive. */
  background?: boolean;
}

export interface LoginInput {
  username: string;
  password: string;
  totp?: string | undefined;
  kind: 'cookie' | 'bearer';
}

export interface LoginResult {
  token: string;
  sessionId: string;
  csrfToken: string;
  userId: string;
}

// A fixed scrypt hash verified for unknown usernames, so timing does not reveal which exist.
let dummyHash: Promise<string> | null = null;
async function burnPasswordCheck(services: Services, password: string): Promise<void> {
  dummyHash ??= hashPassword('govproj-dummy-password-Aa1!', services.config.passwordCost);
  await verifyPassword(password, await dummyHash);
}

/** Verifies credentials and opens a session; throws AppError with the reason otherwise. */
export async function login(services: Services, input: LoginInput, client: ClientInfo): Promise<LoginResult> {
  const { db } = services.database;
  const now = services.now();
  const username = input.username.trim().toLowerCase();
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'status', 'failed_logins', 'locked_until', 'totp_secret_enc', 'totp_last_counter'])
    .where('username', '=', username)
    .executeTakeFirst();
  const audit = async (outcome: 'success' | 'failure', reason: string, userId: string | null) => {
    await db.transaction().execute((trx) =>
      appendAuditEvent(trx, {
        actor: { id: userId, username, organizationId: null, role: null },
        action: outcome === 'success' ? 'auth.login' : 'auth.login_failed',
        objectType: 'user',
        objectId: userId ?? username,
        outcome,
        diff: { after: { reason, kind: input.kind } },
        requestId: client.requestId,
        clientAddress: client.clientAddress,
        chainId: `login:${username}`,
        occurredAt: now,
      }),
    );
  };
  if (!user || user.status !== 'active') {
    await burnPasswordCheck(services, input.password);
    await audit('failure', user ? 'disabled' : 'unknown_user', user?.id ?? null);
    throw new AppError('auth.invalid_credentials');
  }
  if (user.locked_until && user.locked_until > now) {
    await audit('failure', 'locked', user.id);
    throw new AppError('auth.locked', { params: { until: formatShanghai(user.locked_until) } });
  }
  const roles = await db.selectFrom('user_roles').select('role_code').where('user_id', '=', user.id).execute();
  const roleCodes = roles.map((r) => r.role_code).filter(isRoleCode);

  const fail = async (reason: string, code: 'auth.invalid_credentials' | 'auth.totp_invalid'): Promise<never> => {
    const failures = user.failed_logins + 1;
    const lock = failures >= MAX_FAILED_LOGINS;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? new Date(now.getTime() + LOCKOUT_MS) : user.locked_until,
      }).where('id', '=', user.id).execute();
      await appendAuditEvent(trx, {
        actor: { id: user.id, username, organizationId: null, role: null },
        action: 'auth.login_failed', objectType: 'user', objectId: user.id, outcome: 'failure',
        diff: { after: { reason, failedLogins: failures, locked: lock } },
        requestId: client.requestId, clientAddress: client.clientAddress, chainId: `login:${username}`, occurredAt: now,
      });
    });
    if (lock) throw new AppError('auth.locked', { params: { until: formatShanghai(new Date(now.getTime() + LOCKOUT_MS)) } });
    throw new AppError(code);
  };

  if (!(await verifyPassword(input.password, user.password_hash))) return fail('bad_password', 'auth.invalid_credentials');

  let totpCounter: number | null = null;
  if (requiresTotp(roleCodes) || user.totp_secret_enc) {
    if (!input.totp) throw new AppError('auth.totp_required');
    if (!user.totp_secret_enc) return fail('totp_not_enrolled', 'auth.totp_invalid');
    const secret = decryptField(user.totp_secret_enc, services.keys.field);
    const lastUsed = user.totp_last_counter === null ? null : Number(user.totp_last_counter);
    const check = verifyTotp(secret, input.totp, Math.floor(now.getTime() / 1000), { lastUsedCounter: lastUsed });
    if (!check.ok) return fail('bad_totp', 'auth.totp_invalid');
    totpCounter = check.counter;
  }

  const token = randomBytes(32).toString('base64url');
  const session = await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({
      failed_logins: 0,
      locked_until: null,
      last_login_at: now,
      ...(totpCounter !== null ? { totp_last_counter: String(totpCounter) } : {}),
    }).where('id', '=', user.id).execute();
    const row = await trx.insertInto('sessions').values({
      token_hash: sm3Hex(token),
      user_id: user.id,
      kind: input.kind,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + services.config.sessionAbsoluteMs),
      client_address: client.clientAddress ?? '',
      user_agent: client.userAgent.slice(0, 500),
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: { id: user.id, username, organizationId: null, role: roleCodes[0] ?? null },
      action: 'auth.login', objectType: 'user', objectId: user.id, outcome: 'success',
      diff: { after: { sessionId: row.id, kind: input.kind, secondFactor: totpCounter !== null } },
      requestId: client.requestId, clientAddress: client.clientAddress, chainId: `login:${username}`, occurredAt: now,
    });
    return row;
  });
  return { token, sessionId: session.id, csrfToken: csrfTokenFor(services, session.id), userId: user.id };
}

/** The CSRF token of a session: an HMAC of its id, so nothing extra is stored. */
export function csrfTokenFor(services: Services, sessionId: string): string {
  return hmacSm3(services.keys.csrf, sessionId).toString('base64url');
}

export function csrfTokenMatches(services: Services, sessionId: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(services, sessionId));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The actor behind a session token, or null when the token is unknown, revoked, past its
 * absolute lifetime or idle for too long.
 */
export async function resolveSession(services: Services, token: string, client: ClientInfo): Promise<(Actor & { sessionKind: 'cookie' | 'bearer' }) | null> {
  const { db } = services.database;
  const now = services.now();
  // One statement per request: the session, its user, and the user's organizations and roles.
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.kind', 's.last_seen_at', 's.expires_at', 's.revoked_at', 'u.id as user_id', 'u.username', 'u.display_name', 'u.status'])
    .select([
      sql<string[] | null>`(select json_agg(organization_id order by organization_id) from user_organizations where user_id = u.id)`.as('org_ids'),
      sql<Array<{ role: string; custom: string[] }> | null>`(select json_agg(json_build_object('role', role_code, 'custom', custom_organization_ids))
        from user_roles where user_id = u.id)`.as('roles'),
    ])
    .where('s.token_hash', '=', sm3Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.status !== 'active') return null;
  if (row.expires_at <= now) return null;
  if (row.last_seen_at.getTime() + services.config.sessionIdleMs <= now.getTime()) return null;
  if (!client.background && now.getTime() - row.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
  }
  const orgs = row.org_ids ?? [];
  const roles = row.roles ?? [];
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    organizationIds: orgs,
    roles: roles.filter((r) => isRoleCode(r.role)).map((r): RoleAssignment => ({
      role: r.role as RoleAssignment['role'],
      customOrganizationIds: r.custom,
    })),
    sessionId: row.id,
    sessionKind: row.kind,
    requestId: client.requestId,
    clientAddress: client.clientAddress,
  };
}

/** Ends the caller's own session. */
export async function logout(services: Services, actor: Actor): Promise<void> {
  if (!actor.sessionId) return;
  const sessionId = actor.sessionId;
  await services.database.db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ revoked_at: services.now(), revoked_by: actor.userId })
      .where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
    await appendAuditEvent(trx, {
      actor: { id: actor.userId, username: actor.username, organizationId: actor.organizationIds[0] ?? null, role: null },
      action: 'auth.logout', objectType: 'session', objectId: sessionId, outcome: 'success',
      requestId: actor.requestId, clientAddress: actor.clientAddress, chainId: `login:${actor.username}`,
    });
  });
}

/** Records a refused action: the caller lacked the permission or the object was out of scope. */
export async function recordDenied(services: Services, actor: Actor | null, action: string, target: { objectType: string | null; objectId: string | null }, client: ClientInfo): Promise<void> {
  await services.database.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      actor: {
        id: actor?.userId ?? null,
        username: actor?.username ?? null,
        organizationId: actor?.organizationIds[0] ?? null,
        role: actor?.roles[0]?.role ?? null,
      },
      action, objectType: target.objectType, objectId: target.objectId, outcome: 'denied',
      requestId: client.requestId, clientAddress: client.clientAddress,
      chainId: `denied:${actor?.userId ?? 'anonymous'}`,
    }),
  );
}

/** Formats an instant as a Shanghai wall-clock time for messages. */
export function formatShanghai(d: Date): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
}
