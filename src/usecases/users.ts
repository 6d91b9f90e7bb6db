// People (SPEC §1, §10): accounts, their organizations and roles, passwords, locks, TOTP.
// 三员分立: the system administrator manages accounts and organizations; assigning roles,
// resetting passwords and locking accounts are the security administrator's.
import { sql } from 'kysely';
import { isRoleCode, requiresTotp, type RoleCode } from '../domain/authz.ts';
import { AppError } from '../errors.ts';
import { checkPasswordPolicy, hashPassword } from '../crypto/password.ts';
import { generateSm2KeyPair } from '../crypto/sm2.ts';
import { blindIndex, decryptField, encryptField } from '../crypto/sm4.ts';
import { generateTotpSecret, totpUri } from '../crypto/totp.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { changedFields } from '../audit/diff.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import type { Permission } from '../domain/authz.ts';

export type UserStatus = 'active' | 'locked' | 'disabled';

export interface User {
  id: string;
  username: string;
  displayName: string;
  phoneMasked: string | null;
  organizations: Array<{ id: string; name: string }>;
  roles: RoleCode[];
  status: UserStatus;
  lockedUntil: string | null;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  version: number;
  createdAt: string;
}

/** 139****0001: enough to recognise a number without disclosing it. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4) : '*'.repeat(phone.length);
}

const USER_COLUMNS = [
  'u.id', 'u.username', 'u.display_name', 'u.phone_enc', 'u.status', 'u.locked_until', 'u.totp_secret_enc',
  'u.last_login_at', 'u.version', 'u.created_at',
] as const;

type UserRow = {
  id: string; username: string; display_name: string; phone_enc: string | null; status: 'active' | 'disabled';
  locked_until: Date | null; totp_secret_enc: string | null; last_login_at: Date | null; version: number; created_at: Date;
};

async function presentUsers(services: Services, db: Executor, rows: UserRow[]): Promise<User[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [orgs, roles] = await Promise.all([
    db.selectFrom('user_organizations as uo').innerJoin('organizations as o', 'o.id', 'uo.organization_id')
      .select(['uo.user_id', 'o.id', 'o.name']).where('uo.user_id', 'in', ids).orderBy('o.name').execute(),
    db.selectFrom('user_roles').select(['user_id', 'role_code']).where('user_id', 'in', ids).execute(),
  ]);
  const now = services.now();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    phoneMasked: r.phone_enc ? maskPhone(decryptField(r.phone_enc, services.keys.field)) : null,
    organizations: orgs.filter((o) => o.user_id === r.id).map((o) => ({ id: o.id, name: o.name })),
    roles: roles.filter((x) => x.user_id === r.id).map((x) => x.role_code).filter(isRoleCode),
    status: r.status === 'disabled' ? 'disabled' : r.locked_until && r.locked_until > now ? 'locked' : 'active',
    lockedUntil: r.locked_until && r.locked_until > now ? r.locked_until.toISOString() : null,
    totpEnabled: r.totp_secret_enc !== null,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  }));
}

export interface UserFilter {
  q?: string | undefined;
  organizationId?: string | undefined;
}

function filteredUsers(db: Executor, actor: Actor, permission: Permission, filter: UserFilter) {
  const scope = requireAccess(actor, permission);
  let query = db.selectFrom('users as u')
    .where(({ exists, selectFrom }) => exists(
      selectFrom('user_organizations as so').select(sql`1`.as('one'))
        .whereRef('so.user_id', '=', 'u.id').where(scopePredicate(scope, 'so.organization_id')),
    ).or(scope.all ? sql<boolean>`true` : scope.selfUserId ? sql<boolean>`u.id = ${scope.selfUserId}::uuid` : sql<boolean>`false`));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  if (filter.organizationId) {
    const orgId = filter.organizationId;
    query = query.where(({ exists, selectFrom }) => exists(
      selectFrom('user_organizations as fo').select(sql`1`.as('one')).whereRef('fo.user_id', '=', 'u.id').where('fo.organization_id', '=', orgId),
    ));
  }
  return query;
}

/** Users the actor may see, a page at a time. */
export async function listUsers(services: Services, actor: Actor, filter: UserFilter, page: number, pageSize: number): Promise<{ items: User[]; total: number }> {
  const base = filteredUsers(services.database.db, actor, 'system:user:read', filter);
  const [rows, count] = await Promise.all([
    base.select(USER_COLUMNS).orderBy('u.username').limit(pageSize).offset((page - 1) * pageSize).execute(),
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await presentUsers(services, services.database.db, rows), total: Number(count.n) };
}

/** Every user matching the filter, in batches, for the export (never all in memory at once). */
export async function* iterateUsers(services: Services, actor: Actor, filter: UserFilter, batch = 500): AsyncGenerator<User[]> {
  const base = filteredUsers(services.database.db, actor, 'system:user:export', filter);
  let after = '';
  for (;;) {
    const rows = await base.select(USER_COLUMNS).where('u.username', '>', after).orderBy('u.username').limit(batch).execute();
    if (rows.length === 0) return;
    yield await presentUsers(services, services.database.db, rows);
    after = rows[rows.length - 1]!.username;
  }
}

async function loadUserInScope(services: Services, trx: Tx, actor: Actor, permission: Permission, id: string): Promise<UserRow> {
  const row = await filteredUsers(trx, actor, permission, {}).select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  // Lock the row for the rest of the transaction so concurrent edits serialize.
  await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().execute();
  return row;
}

async function assertOrganizationsExist(trx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return;
  const found = await trx.selectFrom('organizations').select('id').where('id', 'in', [...ids]).execute();
  if (found.length !== new Set(ids).size) throw new AppError('validation.failed', { fields: [{ path: 'organizationIds', code: 'unknown_reference' }] });
}

function assertPassword(password: string, username: string) {
  if (checkPasswordPolicy(password, { username }).length > 0) {
    throw new AppError('auth.password_policy', { fields: [{ path: 'password', code: 'password_policy' }] });
  }
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  phone?: string | undefined;
  organizationIds: string[];
  roleCodes: RoleCode[];
}

export interface CreatedUser {
  user: User;
  /** Shown once: the second factor of a user whose roles require it. */
  totpSecret?: string;
  totpUri?: string;
}

/** Creates an account. Granting roles at the same time needs the grant permission too. */
export async function createUser(services: Services, actor: Actor, input: CreateUserInput, tx?: Tx): Promise<CreatedUser> {
  requireAccess(actor, 'system:user:create');
  if (input.roleCodes.length > 0) requireAccess(actor, 'system:user:grant');
  assertPassword(input.password, input.username);
  const passwordHash = await hashPassword(input.password, services.config.passwordCost);
  const keyPair = generateSm2KeyPair();
  const totpSecret = requiresTotp(input.roleCodes) ? generateTotpSecret() : undefined;
  const run = async (trx: Tx): Promise<CreatedUser> => {
    await assertOrganizationsExist(trx, input.organizationIds);
    const taken = await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (taken) throw new AppError('conflict.duplicate', { params: { field: '用户名' }, fields: [{ path: 'username', code: 'duplicate' }] });
    const { id } = await trx.insertInto('users').values({
      username: input.username,
      display_name: input.displayName,
      password_hash: passwordHash,
      phone_enc: input.phone ? encryptField(input.phone, services.keys.field) : null,
      phone_index: input.phone ? blindIndex(input.phone, services.keys.field) : null,
      totp_secret_enc: totpSecret ? encryptField(totpSecret, services.keys.field) : null,
      sm2_public_key: keyPair.publicKey,
      sm2_private_key_enc: encryptField(keyPair.privateKey, services.keys.field),
    }).returning('id').executeTakeFirstOrThrow();
    if (input.organizationIds.length > 0) {
      await trx.insertInto('user_organizations').values([...new Set(input.organizationIds)].map((o) => ({ user_id: id, organization_id: o }))).execute();
    }
    if (input.roleCodes.length > 0) {
      await trx.insertInto('user_roles').values([...new Set(input.roleCodes)].map((r) => ({ user_id: id, role_code: r }))).execute();
    }
    const [user] = await presentUsers(services, trx, [await trx.selectFrom('users as u').select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirstOrThrow()]);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'system:user:create'), action: 'user.create', objectType: 'user', objectId: id, outcome: 'success',
      diff: { after: { ...user!, phoneMasked: user!.phoneMasked } }, ...requestFacts(actor),
    });
    return { user: user!, ...(totpSecret ? { totpSecret, totpUri: totpUri(totpSecret, input.username) } : {}) };
  };
  return tx ? run(tx) : services.database.db.transaction().execute(run);
}

export interface UpdateUserInput {
  displayName?: string | undefined;
  phone?: string | null | undefined;
  organizationIds?: string[] | undefined;
  roleCodes?: RoleCode[] | undefined;
}

/** Edits an account; roles need the grant permission, the rest the update permission. */
export async function updateUser(services: Services, actor: Actor, id: string, expectedVersion: number, patch: UpdateUserInput): Promise<User & { totpSecret?: string; totpUri?: string }> {
  const profile = patch.displayName !== undefined || patch.phone !== undefined || patch.organizationIds !== undefined;
  const permission: Permission = profile ? 'system:user:update' : 'system:user:grant';
  requireAccess(actor, permission);
  if (patch.roleCodes !== undefined) requireAccess(actor, 'system:user:grant');
  return services.database.db.transaction().execute(async (trx) => {
    const current = await loadUserInScope(services, trx, actor, permission, id);
    if (current.version !== expectedVersion) throw new AppError('conflict.stale');
    const [before] = await presentUsers(services, trx, [current]);
    if (patch.organizationIds) await assertOrganizationsExist(trx, patch.organizationIds);
    let newTotp: string | undefined;
    if (patch.roleCodes && requiresTotp(patch.roleCodes) && !current.totp_secret_enc) newTotp = generateTotpSecret();
    const updated = await trx.updateTable('users').set({
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.phone !== undefined
        ? { phone_enc: patch.phone ? encryptField(patch.phone, services.keys.field) : null, phone_index: patch.phone ? blindIndex(patch.phone, services.keys.field) : null }
        : {}),
      ...(newTotp ? { totp_secret_enc: encryptField(newTotp, services.keys.field), totp_last_counter: null } : {}),
      version: current.version + 1,
      updated_at: services.now(),
    }).where('id', '=', id).where('version', '=', expectedVersion).returning('id').executeTakeFirst();
    if (!updated) throw new AppError('conflict.stale');
    if (patch.organizationIds) {
      await trx.deleteFrom('user_organizations').where('user_id', '=', id).execute();
      if (patch.organizationIds.length > 0) {
        await trx.insertInto('user_organizations').values([...new Set(patch.organizationIds)].map((o) => ({ user_id: id, organization_id: o }))).execute();
      }
    }
    if (patch.roleCodes) {
      await trx.deleteFrom('user_roles').where('user_id', '=', id).execute();
      if (patch.roleCodes.length > 0) {
        await trx.insertInto('user_roles').values([...new Set(patch.roleCodes)].map((r) => ({ user_id: id, role_code: r }))).execute();
      }
    }
    const [after] = await presentUsers(services, trx, [await trx.selectFrom('users as u').select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirstOrThrow()]);
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, permission), action: patch.roleCodes && !profile ? 'user.grant' : 'user.update',
      objectType: 'user', objectId: id, outcome: 'success', diff: changedFields(before!, after!), ...requestFacts(actor),
    });
    return { ...after!, ...(newTotp ? { totpSecret: newTotp, totpUri: totpUri(newTotp, after!.username) } : {}) };
  });
}

async function securityAction(
  services: Services, actor: Actor, id: string, permission: Permission, action: string,
  apply: (trx: Tx, row: UserRow) => Promise<Record<string, unknown>>,
): Promise<User> {
  requireAccess(actor, permission);
  return services.database.db.transaction().execute(async (trx) => {
    const row = await loadUserInScope(services, trx, actor, permission, id);
    const detail = await apply(trx, row);
    await trx.updateTable('users').set({ version: row.version + 1, updated_at: services.now() }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, permission), action, objectType: 'user', objectId: id, outcome: 'success',
      diff: { after: detail }, ...requestFacts(actor),
    });
    const [user] = await presentUsers(services, trx, [await trx.selectFrom('users as u').select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirstOrThrow()]);
    return user!;
  });
}

/** Sets a new password chosen by the security administrator; the user's sessions end. */
export async function resetPassword(services: Services, actor: Actor, id: string, password: string): Promise<void> {
  requireAccess(actor, 'system:user:reset-password');
  await securityAction(services, actor, id, 'system:user:reset-password', 'user.reset_password', async (trx, row) => {
    assertPassword(password, row.username);
    await trx.updateTable('users').set({ password_hash: await hashPassword(password, services.config.passwordCost), failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    const revoked = await trx.updateTable('sessions').set({ revoked_at: services.now(), revoked_by: actor.userId })
      .where('user_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return { passwordChanged: true, sessionsRevoked: Number(revoked.numUpdatedRows) };
  });
}

/** Locks an account until unlocked and ends its sessions. */
export function lockUser(services: Services, actor: Actor, id: string): Promise<User> {
  return securityAction(services, actor, id, 'system:user:lock', 'user.lock', async (trx) => {
    await trx.updateTable('users').set({ status: 'disabled' }).where('id', '=', id).execute();
    await trx.updateTable('sessions').set({ revoked_at: services.now(), revoked_by: actor.userId })
      .where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    return { status: 'disabled' };
  });
}

/** Unlocks an account, whether locked by an administrator or by failed sign-ins. */
export function unlockUser(services: Services, actor: Actor, id: string): Promise<User> {
  return securityAction(services, actor, id, 'system:user:lock', 'user.unlock', async (trx) => {
    await trx.updateTable('users').set({ status: 'active', failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    return { status: 'active' };
  });
}

/** Issues a new TOTP secret (lost device); returned once. */
export async function resetTotp(services: Services, actor: Actor, id: string): Promise<{ totpSecret: string; totpUri: string }> {
  const secret = generateTotpSecret();
  const user = await securityAction(services, actor, id, 'system:user:reset-password', 'user.reset_totp', async (trx) => {
    await trx.updateTable('users').set({ totp_secret_enc: encryptField(secret, services.keys.field), totp_last_counter: null }).where('id', '=', id).execute();
    return { totpReset: true };
  });
  return { totpSecret: secret, totpUri: totpUri(secret, user.username) };
}
