// Issue 7 item 2: several app processes on one PostgreSQL database. Two real `govproj serve`
// processes (each with its job runner) share a fresh database and are hit directly (a proxy in
// front would add nothing the test could see: the processes keep no state of their own):
// - a session signed in on one is valid on the other, and a sign-out on the other ends it on both;
// - optimistic concurrency (If-Match) holds across processes: of two edits of one version, one wins;
// - a job sent to both (the audit checkpoint every second, from a timer in each process) never runs
//   twice at once, and a schedule both processes wrote is stored once;
// - queued reminder emails delivered by two deliveries at once (one per queue, picked by whichever
//   process polls first) reach the SMTP server exactly once each;
// - the audit log verifies afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { uniformSocialCreditCodeCheckChar } from '../../src/domain/identifiers.ts';
import { createServerDatabase } from '../support/db.ts';
import {
  apiRequest, killAllChildren, randomMasterKey, removeDir, signInHttp, startServer, tempDir, verifyAuditCli,
  type Installation,
} from '../support/server-process.ts';
import { startSmtpServer } from '../support/smtp-server.ts';

const TIMEOUT_MS = 600_000;
// A start seeds the demo on PostgreSQL: minutes when the machine is loaded.
const START_TIMEOUT_MS = 240_000;
const EMAILS = 120;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await killAllChildren();
  for (const c of cleanups.splice(0).reverse()) await c();
}, 60_000);

describe('two app processes on one PostgreSQL', () => {
  it('SPEC §10: sessions, If-Match, singleton jobs and email delivery hold across two processes; the audit log verifies', async () => {
    const database = await createServerDatabase();
    cleanups.push(database.drop);
    const dataDir = tempDir();
    cleanups.push(() => removeDir(dataDir));
    const smtp = await startSmtpServer({ delayMs: 5 });
    cleanups.push(() => smtp.close());
    const inst: Installation = { dataDir, masterKey: randomMasterKey(), databaseUrl: database.url };
    const env = { GOVPROJ_JOBS: 'on', GOVPROJ_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, GOVPROJ_SMTP_FROM: 'govproj@example.gov.cn' };
    // The first seeds the demo; the second starts on the seeded database (a --demo start seeds once).
    const a = await startServer(inst, { demo: true, checkpointSeconds: 1, env, startTimeoutMs: START_TIMEOUT_MS });
    const b = await startServer(inst, { demo: true, checkpointSeconds: 1, env, startTimeoutMs: START_TIMEOUT_MS });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());

    // 1. A session made on A is valid on B; signing out on B ends it on A too.
    const auditorToken = await signInHttp(a.url, 'auditor');
    const meOnB = await apiRequest<{ username: string }>(b.url, auditorToken, 'GET', '/api/v1/auth/me');
    expect(meOnB.status).toBe(200);
    expect((meOnB.body as unknown as { user: { username: string } }).user.username).toBe('auditor');
    expect((await apiRequest(b.url, auditorToken, 'POST', '/api/v1/auth/logout')).status).toBeLessThan(300);
    expect((await apiRequest(a.url, auditorToken, 'GET', '/api/v1/auth/me')).status).toBe(401);

    // 2. If-Match across processes: two edits of the same version, one on each process, at once.
    const admin = await signInHttp(b.url, 'admin');
    const prefix = `12100000M${randomBytes(2).toString('hex').toUpperCase()}0001`;
    const created = await apiRequest<{ id: string; version: number }>(a.url, admin, 'POST', '/api/v1/organizations', {
      parentId: null, name: '多进程并发测试单位', kind: 'construction_unit', creditCode: prefix + uniformSocialCreditCodeCheckChar(prefix),
    });
    expect(created.status).toBe(201);
    for (let round = 0; round < 5; round++) {
      const current = await apiRequest<{ items: Array<{ id: string; version: number; name: string }> }>(a.url, admin, 'GET', '/api/v1/organizations');
      const version = current.body.items.find((o) => o.id === created.body.id)!.version;
      const edit = (url: string, name: string) => fetch(`${url}/api/v1/organizations/${created.body.id}`, {
        method: 'PATCH', body: JSON.stringify({ name }),
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'if-match': `"${version}"` },
      }).then(async (r) => ({ status: r.status, body: await r.json() as { code?: string; name?: string } }));
      const [ra, rb] = await Promise.all([edit(a.url, `多进程并发测试单位 A${round}`), edit(b.url, `多进程并发测试单位 B${round}`)]);
      const statuses = [ra.status, rb.status].sort();
      expect(statuses, JSON.stringify([ra, rb])).toEqual([200, 412]);
      const loser = ra.status === 412 ? ra : rb;
      expect(loser.body.code).toBe('conflict.stale');
      const winner = ra.status === 200 ? ra : rb;
      const after = await client.query<{ name: string; version: number }>('select name, version from organizations where id = $1', [created.body.id]);
      expect(after.rows[0]).toEqual({ name: winner.body.name, version: version + 1 });
    }

    // 3. Reminder emails: EMAILS queued; two deliveries at once (email.deliver and the sweep, which
    // ends with a delivery), each on whichever process polls its queue first.
    const subjects = Array.from({ length: EMAILS }, (_, i) => `【已逾期】多进程提醒 ${i}`);
    await client.query(`insert into email_outbox (to_address, subject, body, created_at)
      select 'preparer@example.gov.cn', s, '请及时办理。', now() from unnest($1::text[]) as s`, [subjects]);
    const boss = new PgBoss({ connectionString: database.url, schema: 'pgboss', max: 2, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    cleanups.push(() => boss.stop({ graceful: false, close: true }));
    const sent = await Promise.all([boss.send('email.deliver', {}), boss.send('obligations.sweep', {})]);
    expect(sent.every((id) => id !== null)).toBe(true);
    const deadline = Date.now() + 60_000;
    let pending = EMAILS;
    while (Date.now() < deadline) {
      pending = Number((await client.query<{ n: string }>('select count(*) as n from email_outbox where sent_at is null and subject = any($1)', [subjects])).rows[0]!.n);
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(pending).toBe(0);
    const received = smtp.received.map((m) => m.subject).filter((s) => s.startsWith('【已逾期】多进程提醒'));
    expect(received.length).toBe(EMAILS);
    expect(new Set(received).size).toBe(EMAILS);

    // 4. Singleton jobs: every process sends audit.checkpoint each second; no two ever ran at once.
    await new Promise((r) => setTimeout(r, 5_000));
    const runs = (await client.query<{ started_on: Date; completed_on: Date | null }>(`select started_on, completed_on from pgboss.job
      where name = 'audit.checkpoint' and started_on is not null order by started_on`)).rows;
    expect(runs.length).toBeGreaterThan(2);
    for (let i = 1; i < runs.length; i++) {
      const prev = runs[i - 1]!;
      expect(prev.completed_on, 'a checkpoint job still running when the next started').not.toBeNull();
      expect(prev.completed_on!.getTime()).toBeLessThanOrEqual(runs[i]!.started_on.getTime());
    }
    const schedules = (await client.query<{ name: string; n: string }>('select name, count(*) as n from pgboss.schedule group by name')).rows;
    expect(schedules.length).toBeGreaterThan(0);
    expect(schedules.every((s) => s.n === '1')).toBe(true);
    // Checkpoints form one chain (the advisory lock and the singleton queue): ids 1..n, no gap.
    const cps = (await client.query<{ id: string }>('select id::text from audit_checkpoints order by id')).rows.map((r) => Number(r.id));
    expect(cps).toEqual(cps.map((_, i) => i + 1));

    // 5. Both stop cleanly; the log verifies.
    expect((await a.stop()).code, a.stderr()).toBe(0);
    expect((await b.stop()).code, b.stderr()).toBe(0);
    for (const s of [a, b]) expect(s.stderr()).not.toMatch(/unhandled error|job failed/);
    const verify = await verifyAuditCli(inst);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.report?.status).toBe('intact');
    expect(verify.report!.checkpointsChecked).toBeGreaterThan(2);
  }, TIMEOUT_MS);
});
