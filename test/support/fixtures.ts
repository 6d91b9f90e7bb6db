// Demo data as a test fixture, and signing in through the real HTTP stack.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Executor } from '../../src/db/database.ts';
import { buildApp } from '../../src/http/app.ts';
import { openTestDatabase, testServices, type TestDatabase } from './db.ts';
import { totpAt, base32Decode } from '../../src/crypto/totp.ts';
import { seedDemo, type DemoCredentials } from '../../src/usecases/seed-demo.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import type { Services } from '../../src/services.ts';
import type { RoleCode } from '../../src/domain/authz.ts';
import type { Actor } from '../../src/usecases/actor.ts';

export const DEMO_PASSWORD = 'Demo-Passw0rd-2026';
export const DEMO_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export async function seedTestDemo(services: Services): Promise<DemoCredentials> {
  services.config.demoPassword = DEMO_PASSWORD;
  services.config.demoTotpSecret = DEMO_TOTP;
  const demo = await seedDemo(services);
  if (!demo) throw new Error('demo already seeded');
  return demo;
}

/** The current TOTP code of the demo secret, at `now`, shifted by `steps` periods. */
export function demoTotp(now: Date, steps = 0): string {
  return totpAt(base32Decode(DEMO_TOTP), Math.floor(now.getTime() / 1000) + steps * 30);
}

export interface Session {
  token: string;
  csrfToken: string;
  cookie: string;
  userId: string;
}

/** Signs in as `username` (with TOTP when its role needs it); returns Bearer and cookie credentials. */
export async function signIn(app: FastifyInstance, services: Services & { clock: { now: Date } }, username: string, password = DEMO_PASSWORD): Promise<Session> {
  // Each TOTP code is accepted once per user: a second sign-in of the same user moves the
  // test clock to the next 30-second period.
  if (signIn.used.has(username)) services.clock.now = new Date(services.clock.now.getTime() + 30_000);
  signIn.used.add(username);
  const res = await app.inject({
    method: 'POST', url: '/api/v1/auth/login', headers: { 'sec-fetch-mode': 'cors' },
    payload: { username, password, totp: demoTotp(services.now()) },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { token: string; csrfToken: string; user: { id: string } };
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  return { token: body.token, csrfToken: body.csrfToken, cookie, userId: body.user.id };
}
signIn.used = new Set<string>();

/** A migrated test database with the demo seeded and the app built on it, for HTTP-level tests. */
export interface DemoApp {
  t: TestDatabase;
  services: ReturnType<typeof testServices>;
  app: FastifyInstance;
  /** Organization name → id. */
  org: Map<string, string>;
  close(): Promise<void>;
}

export async function openDemoApp(): Promise<DemoApp> {
  const t = await openTestDatabase();
  const services = testServices(t.database);
  await seedTestDemo(services);
  const app = await buildApp(services);
  const org = new Map<string, string>();
  for (const o of await t.database.db.selectFrom('organizations').select(['id', 'name']).execute()) org.set(o.name, o.id);
  return {
    t, services, app, org,
    async close() {
      await app.close();
      await t.drop();
    },
  };
}

export const bearer = (s: Session) => ({ authorization: `Bearer ${s.token}` });

/** A demo user as use cases see it (organizations and roles from the database), for tests below HTTP. */
export async function demoActor(services: Services, username: string): Promise<Actor> {
  const db = services.database.db;
  const user = await db.selectFrom('users').select(['id', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
  const orgs = await db.selectFrom('user_organizations').select('organization_id').where('user_id', '=', user.id).execute();
  const roles = await db.selectFrom('user_roles').select(['role_code', 'custom_organization_ids']).where('user_id', '=', user.id).execute();
  return {
    userId: user.id, username, displayName: user.display_name, organizationIds: orgs.map((o) => o.organization_id),
    roles: roles.map((r) => ({ role: r.role_code as RoleCode, customOrganizationIds: r.custom_organization_ids })),
    sessionId: null, requestId: `req-${username}`, clientAddress: '127.0.0.1',
  };
}

/** 第十一条: gives a project the demo project's information-resource catalog (approval needs one). */
export async function copyDemoCatalog(db: Executor, projectId: string): Promise<void> {
  await sql`insert into information_resources (project_id, code, name, classification_kind, base_category, provider_organization_id,
      format, update_cycle, sharing_type, sharing_basis, open_type, open_basis, involves_secrets, data_items, created_by)
    select ${projectId}::uuid, code, name, classification_kind, base_category, provider_organization_id, format, update_cycle,
      sharing_type, sharing_basis, open_type, open_basis, involves_secrets, data_items, created_by
    from information_resources where project_id = (select id from projects where name = '全国社会保险公共服务平台升级改造项目（演示）')`
    .execute(db);
}

/**
 * The next version of a material as an upload would leave its row (uploads themselves are tested
 * in materials.test.ts), uploaded by the demo preparer unless `uploadedBy` says otherwise.
 */
export async function addMaterialRow(db: Executor, projectId: string, stage: string, code: string, uploadedBy?: string): Promise<void> {
  const by = uploadedBy ?? (await db.selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow()).id;
  await sql`insert into project_materials (project_id, stage, material_code, version_no, file_name, media_type, size_bytes, sm3, storage_key, uploaded_by)
    values (${projectId}, ${stage}, ${code},
      (select coalesce(max(version_no), 0) + 1 from project_materials where project_id = ${projectId} and stage = ${stage} and material_code = ${code}),
      ${code + '.pdf'}, 'application/pdf', 1024, ${'c'.repeat(64)}, ${'test/' + code}, ${by})`.execute(db);
}

/** Uploads a PDF material through the real multipart route, as the browser does. */
export function uploadPdf(app: FastifyInstance, session: Session, projectId: string, stage: string, materialCode: string, fileName = '材料.pdf') {
  const boundary = '----govproj' + Math.random().toString(16).slice(2);
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload = Buffer.concat([
    Buffer.from(field('stage', stage) + field('materialCode', materialCode)),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`),
    samplePdf(), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({
    method: 'POST', url: `/api/v1/projects/${projectId}/materials`, payload,
    headers: { ...bearer(session), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}
