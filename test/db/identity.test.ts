// SPEC §1 and §10 through the real HTTP stack on a real database: sign-in, lockout, TOTP,
// session timeouts, CSRF, data scopes, 三员分立, optimistic concurrency and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { uniformSocialCreditCodeCheckChar } from '../../src/domain/identifiers.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { DEMO_PASSWORD, demoTotp, seedTestDemo, signIn, type Session } from '../support/fixtures.ts';

let t: TestDatabase;
let services: ReturnType<typeof testServices>;
let app: FastifyInstance;

beforeAll(async () => {
  t = await openTestDatabase();
  services = testServices(t.database);
  await seedTestDemo(services);
  app = await buildApp(services);
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

const bearer = (s: Session) => ({ authorization: `Bearer ${s.token}` });
const cookieAuth = (s: Session, csrf = true) => ({ cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrfToken } : {}) });

async function auditCount(): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from audit_events`.execute(t.database.db);
  return Number(r.rows[0]!.n);
}
async function orgCount(): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from organizations`.execute(t.database.db);
  return Number(r.rows[0]!.n);
}
let serial = 0;
function creditCode(): string {
  const prefix = `121000004${String(++serial).padStart(8, '0')}`;
  return prefix + uniformSocialCreditCodeCheckChar(prefix);
}
async function login(payload: Record<string, unknown>, lang = 'zh-CN') {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'accept-language': lang } });
}

describe('sign-in (SPEC §10)', () => {
  it('a user without a second factor signs in with the password and gets a Bearer token', async () => {
    const res = await login({ username: 'preparer', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.username).toBe('preparer');
    expect(body.user.permissions).toContain('project:create');
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.json().user.displayName).toBe('刘洋');
  });

  it('sign-in attempts are rate limited per client address', async () => {
    const limited = await buildApp({ ...services, config: { ...services.config, loginRateLimit: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await limited.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('the session cookie is HttpOnly and SameSite=Strict', async () => {
    const res = await login({ username: 'auditor', password: DEMO_PASSWORD });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('a wrong password is refused in the caller\'s language and audited', async () => {
    const before = await auditCount();
    const zh = await login({ username: 'reviewer', password: 'wrong-password-1A!' });
    expect(zh.statusCode).toBe(401);
    expect(zh.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(zh.json()).toMatchObject({ code: 'auth.invalid_credentials', title: '用户名或密码错误' });
    const en = await login({ username: 'nobody', password: 'x' }, 'en-US');
    expect(en.json()).toMatchObject({ code: 'auth.invalid_credentials', title: 'Wrong username or password' });
    expect(await auditCount()).toBe(before + 2);
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'reviewer', password: DEMO_PASSWORD } });
  });

  it('decision makers and administrators need TOTP (RFC 6238), and a code is accepted once', async () => {
    const first = await login({ username: 'approver', password: DEMO_PASSWORD });
    expect(first.json().code).toBe('auth.totp_required');
    const bad = await login({ username: 'approver', password: DEMO_PASSWORD, totp: '000000' });
    expect(bad.json().code).toBe('auth.totp_invalid');
    const code = demoTotp(services.now());
    expect((await login({ username: 'approver', password: DEMO_PASSWORD, totp: code })).statusCode).toBe(200);
    expect((await login({ username: 'approver', password: DEMO_PASSWORD, totp: code })).json().code).toBe('auth.totp_invalid');
  });

  it('five failures lock the account for 15 minutes, even for the right password; then it opens again', async () => {
    const start = services.clock.now;
    for (let i = 0; i < 4; i++) expect((await login({ username: 'assessor', password: `Wrong-pass-${i}-xyz` })).statusCode).toBe(401);
    const fifth = await login({ username: 'assessor', password: 'Wrong-pass-5-xyz' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('auth.locked');
    expect((await login({ username: 'assessor', password: DEMO_PASSWORD })).statusCode).toBe(423);
    services.clock.now = new Date(start.getTime() + 14 * 60_000 + 59_000);
    expect((await login({ username: 'assessor', password: DEMO_PASSWORD })).statusCode).toBe(423);
    services.clock.now = new Date(start.getTime() + 15 * 60_000 + 1000);
    expect((await login({ username: 'assessor', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('a session ends after 30 idle minutes and after 12 hours in any case', async () => {
    const s = await signIn(app, services, 'supervisor');
    const me = () => app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(s) });
    services.clock.now = new Date(services.clock.now.getTime() + 29 * 60_000);
    expect((await me()).statusCode).toBe(200);
    services.clock.now = new Date(services.clock.now.getTime() + 30 * 60_000 + 1000);
    expect((await me()).statusCode).toBe(401);

    const s2 = await signIn(app, services, 'evaluator');
    const me2 = () => app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(s2) });
    for (let h = 0; h < 12 * 4 - 1; h++) {
      services.clock.now = new Date(services.clock.now.getTime() + 15 * 60_000);
      expect((await me2()).statusCode).toBe(200);
    }
    services.clock.now = new Date(services.clock.now.getTime() + 15 * 60_000);
    expect((await me2()).statusCode).toBe(401);
  });

  it('the UI’s background polls do not keep an unattended session alive', async () => {
    const s = await signIn(app, services, 'auditor');
    const poll = () => app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { ...bearer(s), 'x-govproj-background': '1' } });
    // A poll every 10 minutes answers while the session lives, but does not extend it.
    for (let m = 10; m < 30; m += 10) {
      services.clock.now = new Date(services.clock.now.getTime() + 10 * 60_000);
      expect((await poll()).statusCode).toBe(200);
    }
    services.clock.now = new Date(services.clock.now.getTime() + 10 * 60_000);
    expect((await poll()).statusCode).toBe(401);
  });
});

describe('CSRF and sessions', () => {
  it('a cookie-authenticated write without the CSRF token is refused; a Bearer write needs none', async () => {
    const admin = await signIn(app, services, 'admin');
    const payload = { parentId: null, name: 'CSRF 测试单位', kind: 'construction_unit', creditCode: creditCode() };
    const noToken = await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: cookieAuth(admin, false), payload });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('auth.csrf');
    const withToken = await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: cookieAuth(admin), payload });
    expect(withToken.statusCode).toBe(201);
    const viaBearer = await app.inject({
      method: 'POST', url: '/api/v1/organizations', headers: bearer(admin),
      payload: { ...payload, creditCode: creditCode() },
    });
    expect(viaBearer.statusCode).toBe(201);
  });

  it('the security administrator lists and revokes sessions; a revoked token stops working', async () => {
    const sec = await signIn(app, services, 'secadmin');
    const victim = await signIn(app, services, 'gooffice');
    const list = await app.inject({ method: 'GET', url: '/api/v1/sessions', headers: bearer(sec) });
    const session = list.json().items.find((x: { username: string }) => x.username === 'gooffice');
    expect(session).toBeTruthy();
    const own = list.json().items.find((x: { current: boolean }) => x.current);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/sessions/${own.id}`, headers: bearer(sec) })).statusCode).toBe(409);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/sessions/${session.id}`, headers: bearer(sec) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(victim) })).statusCode).toBe(401);
  });

  it('sign-out ends the session', async () => {
    const s = await signIn(app, services, 'cac');
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(s) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(s) })).statusCode).toBe(401);
  });
});

describe('authorization and data scope (SPEC §1)', () => {
  it('三员分立: no administrator role can make a project decision, and each lacks the others\' duties', async () => {
    const { ROLES } = await import('../../src/domain/authz.ts');
    for (const code of ['admin', 'security_admin', 'audit_admin'] as const) {
      const grants = Object.keys(ROLES[code].grants);
      expect(grants).not.toContain('project:decide');
      expect(grants).not.toContain('filing:decide');
    }
    expect(Object.keys(ROLES.admin.grants)).not.toContain('system:user:grant');
    expect(Object.keys(ROLES.admin.grants)).not.toContain('audit:log:read');
    expect(Object.keys(ROLES.security_admin.grants)).not.toContain('system:user:create');
    expect(Object.keys(ROLES.audit_admin.grants).filter((p) => !p.endsWith(':read') && !p.startsWith('audit:'))).toEqual([]);
    // The system administrator cannot give anyone a role (that is the security administrator's).
    const admin = await signIn(app, services, 'admin');
    const res = await app.inject({
      method: 'POST', url: '/api/v1/users', headers: bearer(admin),
      payload: { username: 'sneaky', displayName: '越权', password: 'Sneaky-Passw0rd!', organizationIds: [], roleCodes: ['approver'] },
    });
    expect(res.statusCode).toBe(403);
  });

  it('a denied action answers 403 and is audited', async () => {
    const preparer = await signIn(app, services, 'preparer');
    const before = await auditCount();
    const res = await app.inject({ method: 'GET', url: '/api/v1/audit/events', headers: bearer(preparer) });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
    const denied = await sql<{ action: string; outcome: string }>`select action, outcome from audit_events order by id desc limit 1`.execute(t.database.db);
    expect(denied.rows[0]).toEqual({ action: 'audit:log:read', outcome: 'denied' });
    expect(await auditCount()).toBe(before + 1);
  });

  it('a unit sees only its own organization; a supervisory body sees all', async () => {
    const preparer = await signIn(app, services, 'preparer');
    const mine = await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: bearer(preparer) });
    expect(mine.json().items.map((o: { name: string }) => o.name)).toEqual(['人力资源和社会保障部信息中心']);
    const ndrc = await signIn(app, services, 'ndrc');
    const all = await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: bearer(ndrc) });
    expect(all.json().items.length).toBe(await orgCount());
  });

  it('the unit lead sees its organization and everything below it', async () => {
    const lead = await signIn(app, services, 'unitlead');
    const res = await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: bearer(lead) });
    expect(res.json().items).toHaveLength(1);
  });

  it('a user with no organization can sign in and sees nothing', async () => {
    const sec = await signIn(app, services, 'secadmin');
    const admin = await signIn(app, services, 'admin');
    const created = await app.inject({
      method: 'POST', url: '/api/v1/users', headers: bearer(admin),
      payload: { username: 'orphan', displayName: '无机构用户', password: 'Lonely-Passw0rd!', organizationIds: [] },
    });
    expect(created.statusCode).toBe(201);
    const { user } = created.json();
    const granted = await app.inject({
      method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: { ...bearer(sec), 'if-match': `"${user.version}"` },
      payload: { roleCodes: ['preparer'] },
    });
    expect(granted.statusCode).toBe(200);
    const res = await login({ username: 'orphan', password: 'Lonely-Passw0rd!' });
    expect(res.statusCode).toBe(200);
    const orgs = await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: { authorization: `Bearer ${res.json().token}` } });
    expect(orgs.statusCode).toBe(200);
    expect(orgs.json().items).toEqual([]);
  });

  it('several roles: each action gets the scope of the roles that grant it, never the widest', async () => {
    // preparer (own organization) + auditor (reads everything, changes nothing).
    const sec = await signIn(app, services, 'secadmin');
    const admin = await signIn(app, services, 'admin');
    const ic = (await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: bearer(admin) })).json().items
      .find((o: { name: string }) => o.name === '人力资源和社会保障部信息中心');
    const created = (await app.inject({
      method: 'POST', url: '/api/v1/users', headers: bearer(admin),
      payload: { username: 'twohats', displayName: '双角色', password: 'Two-Hats-Passw0rd', organizationIds: [ic.id] },
    })).json().user;
    await app.inject({
      method: 'PATCH', url: `/api/v1/users/${created.id}`, headers: { ...bearer(sec), 'if-match': `"${created.version}"` },
      payload: { roleCodes: ['preparer', 'auditor'] },
    });
    const token = (await login({ username: 'twohats', password: 'Two-Hats-Passw0rd' })).json().token;
    const { resolveAccess } = await import('../../src/domain/authz.ts');
    const principal = { userId: created.id, organizationIds: [ic.id], roles: [
      { role: 'preparer' as const, customOrganizationIds: [] }, { role: 'auditor' as const, customOrganizationIds: [] }] };
    expect(resolveAccess(principal, 'project:read')).toMatchObject({ allowed: true, scope: { all: true } });
    expect(resolveAccess(principal, 'project:update')).toEqual({
      allowed: true, scope: { all: false, organizationIds: [ic.id], subtreeRootIds: [], selfUserId: null },
    });
    // Reading organizations: the auditor grant (all) applies. Creating one: no role grants it.
    const orgs = await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: { authorization: `Bearer ${token}` } });
    expect(orgs.json().items.length).toBe(await orgCount());
    const create = await app.inject({
      method: 'POST', url: '/api/v1/organizations', headers: { authorization: `Bearer ${token}` },
      payload: { parentId: null, name: '越权机构', kind: 'construction_unit', creditCode: creditCode() },
    });
    expect(create.statusCode).toBe(403);
  });
});

describe('organizations, optimistic concurrency and bad input', () => {
  it('an invalid 统一社会信用代码 is refused naming the field, and nothing is written', async () => {
    const admin = await signIn(app, services, 'admin');
    const [orgs, audits] = [await orgCount(), await auditCount()];
    const good = creditCode();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await app.inject({
      method: 'POST', url: '/api/v1/organizations', headers: bearer(admin),
      payload: { parentId: null, name: '校验位错误单位', kind: 'construction_unit', creditCode: bad },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation.failed', errors: [{ path: 'creditCode', code: 'invalid_credit_code' }] });
    expect(await orgCount()).toBe(orgs);
    expect(await auditCount()).toBe(audits);
  });

  it('a stale If-Match gets 412 and changes nothing; a missing one gets 428', async () => {
    const admin = await signIn(app, services, 'admin');
    const created = (await app.inject({
      method: 'POST', url: '/api/v1/organizations', headers: bearer(admin),
      payload: { parentId: null, name: '版本测试单位', kind: 'construction_unit', creditCode: creditCode() },
    })).json();
    const patch = (version: string | null, name: string) => app.inject({
      method: 'PATCH', url: `/api/v1/organizations/${created.id}`,
      headers: { ...bearer(admin), ...(version === null ? {} : { 'if-match': version }) }, payload: { name },
    });
    const first = await patch(`"${created.version}"`, '版本测试单位（改）');
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe(`"${created.version + 1}"`);
    const audits = await auditCount();
    const stale = await patch(`"${created.version}"`, '过期的修改');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('conflict.stale');
    expect((await patch(null, '无版本')).statusCode).toBe(428);
    const row = await t.database.db.selectFrom('organizations').select(['name', 'version']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: '版本测试单位（改）', version: created.version + 1 });
    expect(await auditCount()).toBe(audits);
  });

  it('an organization cannot be moved under its own descendant', async () => {
    const admin = await signIn(app, services, 'admin');
    const mk = async (parentId: string | null, name: string) => (await app.inject({
      method: 'POST', url: '/api/v1/organizations', headers: bearer(admin),
      payload: { parentId, name, kind: 'bureau', creditCode: creditCode() },
    })).json();
    const a = await mk(null, '上级');
    const b = await mk(a.id, '下级');
    const res = await app.inject({
      method: 'PATCH', url: `/api/v1/organizations/${a.id}`, headers: { ...bearer(admin), 'if-match': `"${a.version}"` },
      payload: { parentId: b.id },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('org.cycle');
  });

  it('two concurrent moves cannot close a ring in the tree', async () => {
    const admin = await signIn(app, services, 'admin');
    const mk = async (parentId: string | null, name: string) => (await app.inject({
      method: 'POST', url: '/api/v1/organizations', headers: bearer(admin),
      payload: { parentId, name, kind: 'bureau', creditCode: creditCode() },
    })).json();
    for (let trial = 0; trial < 3; trial++) {
      const a = await mk(null, `甲${trial}`);
      const b = await mk(null, `乙${trial}`);
      const c = await mk(a.id, `丙${trial}`);
      const move = (org: { id: string; version: number }, parentId: string) => app.inject({
        method: 'PATCH', url: `/api/v1/organizations/${org.id}`, headers: { ...bearer(admin), 'if-match': `"${org.version}"` },
        payload: { parentId },
      });
      const results = await Promise.all([move(a, b.id), move(b, c.id)]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 409]);
      const { ancestorIds } = await import('../../src/db/org-tree.ts');
      for (const id of [a.id, b.id, c.id]) expect(await ancestorIds(t.database.db, id)).not.toContain(id);
    }
  });

  it('malformed JSON, wrong types, unknown fields, oversized bodies and duplicates are 4xx problem+json', async () => {
    const admin = await signIn(app, services, 'admin');
    const before = [await orgCount(), await auditCount()];
    const post = (payload: string, url = '/api/v1/organizations') =>
      app.inject({ method: 'POST', url, headers: { ...bearer(admin), 'content-type': 'application/json' }, payload });
    const malformed = await post('{"name": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('validation.invalid_json');
    const wrongType = await post(JSON.stringify({ parentId: null, name: 42, kind: 'bureau', creditCode: creditCode() }));
    expect(wrongType.json().errors).toEqual([expect.objectContaining({ path: 'name', code: 'invalid_type' })]);
    const unknown = await post(JSON.stringify({ parentId: null, name: 'x', kind: 'bureau', creditCode: creditCode(), extra: 1 }));
    expect(unknown.json().errors).toEqual([expect.objectContaining({ path: 'extra', code: 'unrecognized_key' })]);
    const missing = await post(JSON.stringify({ parentId: null, kind: 'bureau', creditCode: creditCode() }));
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'name', code: 'required' })]);
    const huge = await post(JSON.stringify({ parentId: null, name: 'x'.repeat(2 * 1024 * 1024), kind: 'bureau', creditCode: creditCode() }));
    expect(huge.statusCode).toBe(413);
    const dupUser = await post(JSON.stringify({ username: 'preparer', displayName: '重复', password: 'Duplicate-Passw0rd', organizationIds: [] }), '/api/v1/users');
    expect(dupUser.statusCode).toBe(409);
    expect(dupUser.json()).toMatchObject({ code: 'conflict.duplicate', errors: [{ path: 'username' }] });
    const weak = await post(JSON.stringify({ username: 'weakling', displayName: '弱密码', password: 'short', organizationIds: [] }), '/api/v1/users');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('auth.password_policy');
    for (const res of [malformed, wrongType, unknown, missing, huge, dupUser, weak]) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect([await orgCount(), await auditCount()]).toEqual(before);
  });

  it('every response carries the security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.json()).toEqual({ status: 'ok', database: t.database.kind, version: '0.1.0' });
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('the OpenAPI 3.1 document lists every route with its permission', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/organizations'].post['x-permission']).toBe('system:org:create');
  });

  it('personal fields are SM4-encrypted at rest and masked in the API', async () => {
    const row = await t.database.db.selectFrom('users').select(['phone_enc']).where('username', '=', 'preparer').executeTakeFirstOrThrow();
    expect(row.phone_enc).toMatch(/^v1\./);
    expect(row.phone_enc).not.toContain('13900000004');
    const auditor = await signIn(app, services, 'auditor');
    const list = await app.inject({ method: 'GET', url: '/api/v1/users?q=preparer', headers: bearer(auditor) });
    expect(list.json().items[0].phoneMasked).toBe('139****0004');
  });
});
