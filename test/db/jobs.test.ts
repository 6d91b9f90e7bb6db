// The job runner (pg-boss) on both databases: SPEC §11 reminders with a movable clock, the audit
// checkpoint job, user-started background jobs with their progress, and on PGlite the one shared
// connection under app traffic and jobs at once.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../src/audit/writer.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { addDays } from '../../src/domain/worklist.ts';
import { platformJobs } from '../../src/jobs/definitions.ts';
import { startJobs, type JobRunner } from '../../src/jobs/runner.ts';
import { BACKGROUND_QUEUE, getBackgroundJob, startBackgroundJob, type BackgroundKind } from '../../src/usecases/background-jobs.ts';
import { sendReminders } from '../../src/usecases/reminders.ts';
import { TEST_DB_KIND } from '../support/db.ts';
import { demoActor, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

const HITECH = '国家发展和改革委员会创新和高技术发展司';
let demo: DemoApp;
const s: Record<string, Session> = {};

const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const send = (who: string, method: 'POST' | 'PUT', url: string, payload: unknown = {}) =>
  demo.app.inject({ method, url, headers: auth(who), payload: payload as Record<string, unknown> });
const act = async (who: string, id: string, action: string) => {
  const res = await send(who, 'POST', `/api/v1/projects/${id}/actions/${action}`);
  expect(res.statusCode, res.body).toBe(200);
};

/** Moves the test clock and signs the users in again (sessions time out). */
async function jumpTo(at: Date, users: string[]) {
  demo.services.clock.now = at;
  for (const u of users) s[u] = await signIn(demo.app, demo.services, u);
}

/** A draft approval-track project of the demo construction unit, ready to submit. */
async function draft(name: string): Promise<string> {
  const res = await send('preparer', 'POST', '/api/v1/projects', {
    name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get(HITECH),
    track: 'approval', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2027-12-31',
    totalInvestment: '300.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const db = demo.t.database.db;
  await sql`insert into information_resources (project_id, code, name, classification_kind, base_category, provider_organization_id,
      format, update_cycle, sharing_type, sharing_basis, open_type, open_basis, involves_secrets, data_items, created_by)
    select ${id}::uuid, code, name, classification_kind, base_category, provider_organization_id, format, update_cycle,
      sharing_type, sharing_basis, open_type, open_basis, involves_secrets, data_items, created_by
    from information_resources where project_id = (select id from projects where name = '全国社会保险公共服务平台升级改造项目（演示）')`.execute(db);
  const user = await db.selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow();
  await sql`insert into project_materials (project_id, stage, material_code, version_no, file_name, media_type, size_bytes, sm3, storage_key, uploaded_by)
    values (${id}, 'proposal', 'proposal', 1, 'proposal.pdf', 'application/pdf', 1024, ${'b'.repeat(64)}, 'test/proposal', ${user.id})`.execute(db);
  return id;
}

async function remindersOf(projectId: string) {
  return demo.t.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id')
    .select(['u.username', 'n.kind', 'n.reminder_state', 'n.reminder_on', 'n.title_zh'])
    .where('n.project_id', '=', projectId).where('n.kind', 'in', ['dueSoon', 'overdue']).orderBy('n.reminder_on').orderBy('u.username').execute();
}

/** Polls pg-boss until the job has finished. */
async function finished(runner: JobRunner, name: string, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [job] = await runner.boss.findJobs(name, { id });
    if (job && (job.state === 'completed' || job.state === 'failed')) return job;
    if (Date.now() > deadline) throw new Error(`job ${name} ${id} still ${job?.state ?? 'missing'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function backgroundDone(id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await demo.t.database.db.selectFrom('background_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (row.status === 'succeeded' || row.status === 'failed') return row;
    if (Date.now() > deadline) throw new Error(`background job ${id} still ${row.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  demo = await openDemoApp();
});
afterAll(async () => demo?.close());

describe(`worklist reminders (SPEC §11, ${TEST_DB_KIND})`, () => {
  let a: string; // submitted on day D: awaiting the unit lead's signature, due D+5
  let b: string; // submitted and signed on day D+2: awaiting acceptance, due D+7
  let c: string; // a draft: no due date
  let day: string;
  const at = (offset: number, time = '08:30:00') => new Date(`${addDays(day, offset)}T${time}+08:00`);

  beforeAll(async () => {
    day = addDays(shanghaiDate(demo.services.now()), 1);
    await jumpTo(at(0, '12:00:00'), ['preparer', 'unitlead']);
    a = await draft('提醒测试项目甲');
    await act('preparer', a, 'submit');
    c = await draft('提醒测试项目丙');
    await jumpTo(at(2, '12:00:00'), ['preparer', 'unitlead']);
    b = await draft('提醒测试项目乙');
    await act('preparer', b, 'submit');
    await act('unitlead', b, 'sign');
  });

  it('SPEC §11: the day before the due date the people the project waits on are reminded, once a day however often the job runs', async () => {
    demo.services.clock.now = at(4);
    const first = await sendReminders(demo.services);
    expect(first.day).toBe(addDays(day, 4));
    expect(await remindersOf(a)).toEqual([
      { username: 'unitlead', kind: 'dueSoon', reminder_state: 'approval.proposal.awaiting_signature', reminder_on: addDays(day, 4), title_zh: '【明日到期】提醒测试项目甲' },
    ]);
    expect(await remindersOf(b)).toEqual([]); // due in three days
    expect(await remindersOf(c)).toEqual([]); // a draft has no due date
    expect(first.dueSoonProjects).toBeGreaterThanOrEqual(1);
    expect(first.notificationsWritten).toBeGreaterThanOrEqual(1);

    // A second run the same day (a retry, a second server, a catch-up) writes nothing more.
    demo.services.clock.now = at(4, '17:00:00');
    const again = await sendReminders(demo.services);
    expect(again.notificationsWritten).toBe(0);
    expect(again.dueSoonProjects).toBe(first.dueSoonProjects);
    expect(await remindersOf(a)).toHaveLength(1);

    // On the due day itself there is no reminder (the worklist shows 0 days left).
    demo.services.clock.now = at(5);
    await sendReminders(demo.services);
    expect(await remindersOf(a)).toHaveLength(1);
  });

  it('SPEC §11: once overdue, a reminder every day until it is done; each run is one audit event with its counts', async () => {
    demo.services.clock.now = at(8);
    const run = await sendReminders(demo.services, 'run-8');
    const reminders = (await remindersOf(a)).filter((r) => r.kind === 'overdue');
    expect(reminders).toEqual([expect.objectContaining({ username: 'unitlead', reminder_on: addDays(day, 8), title_zh: '【已逾期】提醒测试项目甲' })]);
    // B waits on the approval department's reviewers (acceptance), due D+7.
    expect(await remindersOf(b)).toEqual([
      expect.objectContaining({ username: 'reviewer', kind: 'overdue', reminder_state: 'approval.proposal.submitted', reminder_on: addDays(day, 8) }),
    ]);
    expect((await sendReminders(demo.services)).notificationsWritten).toBe(0);

    demo.services.clock.now = at(9);
    await sendReminders(demo.services);
    expect((await remindersOf(a)).filter((r) => r.kind === 'overdue').map((r) => r.reminder_on)).toEqual([addDays(day, 8), addDays(day, 9)]);

    // Done (signed): no more reminders for that state; the next state is not overdue yet.
    await jumpTo(at(10, '09:00:00'), ['unitlead']);
    await act('unitlead', a, 'sign');
    demo.services.clock.now = at(10, '10:00:00');
    await sendReminders(demo.services);
    expect((await remindersOf(a)).filter((r) => r.reminder_on === addDays(day, 10))).toEqual([]);

    const events = await demo.t.database.db.selectFrom('audit_events').select(['action', 'actor_username', 'object_id', 'diff', 'request_id', 'client_address'])
      .where('action', '=', 'worklist.reminders').orderBy('id').execute();
    expect(events.length).toBeGreaterThanOrEqual(7);
    expect(events.find((e) => e.request_id === 'run-8')).toMatchObject({
      actor_username: 'system', object_id: 'worklist.reminders', client_address: 'job',
      diff: { after: { day: addDays(day, 8), dueSoonProjects: run.dueSoonProjects, overdueProjects: run.overdueProjects, notificationsWritten: run.notificationsWritten } },
    });
  });
});

describe(`the job runner (pg-boss, ${TEST_DB_KIND})`, () => {
  let runner: JobRunner;
  const warnings: unknown[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const kinds: BackgroundKind[] = [
    {
      kind: 'test.count',
      async run(_services, job) {
        const n = (job.input as { n: number }).n;
        await job.progress(2, n);
        await gate;
        await job.progress(n, n);
        return { counted: n, by: job.createdBy };
      },
    },
    { kind: 'test.fail', async run() { throw new Error('the input file has no sheet named 项目'); } },
    {
      // Work that uses the app's database the way imports will: its own transactions.
      kind: 'test.write',
      async run(services, job) {
        await services.database.db.transaction().execute((trx) => appendAuditEvent(trx, {
          actor: { id: job.createdBy, username: 'job', organizationId: null, role: null }, action: 'thing.update',
          objectType: 'thing', objectId: job.id, outcome: 'success', requestId: null, clientAddress: 'job',
        }));
        return null;
      },
    },
  ];

  beforeAll(async () => {
    demo.services.clock.now = new Date();
    runner = await startJobs(demo.services, platformJobs(demo.services.config, kinds), {
      debug: () => {}, warn: (obj) => warnings.push(obj),
    });
    demo.services.jobs = runner;
    for (const u of ['preparer', 'reviewer']) s[u] = await signIn(demo.app, demo.services, u);
  });
  afterAll(async () => {
    delete demo.services.jobs;
    await runner?.stop(5_000);
  });

  it('第三十一条: the audit.checkpoint job signs a checkpoint over the chains that grew; it is a singleton', async () => {
    await demo.t.database.db.transaction().execute((trx) => appendAuditEvent(trx, {
      actor: { id: null, username: 'jobs-test', organizationId: null, role: null }, action: 'thing.update',
      objectType: 'thing', objectId: 'checkpoint-job', outcome: 'success', requestId: null, clientAddress: null,
    }));
    const before = await demo.t.database.db.selectFrom('audit_checkpoints').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    // Two sends at once: the queue holds at most one queued or running checkpoint job.
    const ids = await Promise.all([runner.send('audit.checkpoint', {}), runner.send('audit.checkpoint', {})]);
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    const job = await finished(runner, 'audit.checkpoint', ids.find((id) => id !== null)!);
    expect(job.state).toBe('completed');
    expect(job.output).toMatchObject({ checkpointId: expect.any(String) });
    expect((job.output as { entryCount: number }).entryCount).toBeGreaterThanOrEqual(1);
    const after = await demo.t.database.db.selectFrom('audit_checkpoints').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });

  it('SPEC §11: worklist.reminders is scheduled daily at 08:30 Beijing time and runs as a job', async () => {
    const schedules = await runner.boss.getSchedules();
    expect(schedules.map((x) => [x.name, x.cron, x.timezone])).toEqual(expect.arrayContaining([['worklist.reminders', '30 8 * * *', 'Asia/Shanghai']]));
    // GOVPROJ_CHECKPOINT_SECONDS=0 in the test configuration: no checkpoint schedule.
    expect(schedules.map((x) => x.name)).not.toContain('audit.checkpoint');
    const id = (await runner.send('worklist.reminders', {}))!;
    const job = await finished(runner, 'worklist.reminders', id);
    expect(job.state).toBe('completed');
    expect(job.output).toMatchObject({ day: shanghaiDate(demo.services.now()), notificationsWritten: expect.any(Number) });
    const event = await demo.t.database.db.selectFrom('audit_events').select('request_id').where('action', '=', 'worklist.reminders')
      .where('request_id', '=', id).executeTakeFirst();
    expect(event).toBeDefined();
  });

  it('a background job reports its progress to its creator only, and its result or its error', async () => {
    const preparer = await demoActor(demo.services, 'preparer');
    const started = await startBackgroundJob(demo.services, preparer, 'test.count', { n: 5 });
    expect(started).toMatchObject({ kind: 'test.count', status: 'queued', progress: 0, done: 0, total: null });
    const url = `/api/v1/jobs/${started.id}`;
    const get = (who: string) => demo.app.inject({ method: 'GET', url, headers: auth(who) });

    // Held at 2 of 5 until the gate opens.
    const deadline = Date.now() + 30_000;
    let body = (await get('preparer')).json();
    while (!(body.status === 'running' && body.done === 2) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      body = (await get('preparer')).json();
    }
    expect(body).toMatchObject({ status: 'running', progress: 40, done: 2, total: 5, result: null, finishedAt: null });
    // Another user, even one who may see the same projects, gets 404; so does an id that does not exist.
    expect((await get('reviewer')).statusCode).toBe(404);
    expect((await demo.app.inject({ method: 'GET', url: '/api/v1/jobs/00000000-0000-4000-8000-000000000000', headers: auth('preparer') })).statusCode).toBe(404);
    expect((await demo.app.inject({ method: 'GET', url })).statusCode).toBe(401);

    release();
    await backgroundDone(started.id);
    const done = await get('preparer');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'succeeded', progress: 100, done: 5, total: 5, result: { counted: 5, by: preparer.userId }, error: null });
    expect(done.json().finishedAt).not.toBeNull();
    await expect(getBackgroundJob(demo.services, await demoActor(demo.services, 'reviewer'), started.id)).rejects.toMatchObject({ code: 'resource.not_found' });

    // A task that fails by itself is recorded as failed and not retried.
    const failing = await startBackgroundJob(demo.services, preparer, 'test.fail', {});
    const failed = await backgroundDone(failing.id);
    expect(failed).toMatchObject({ status: 'failed', error: 'the input file has no sheet named 项目', result: null });
    // Starting a task is audited.
    const audited = await demo.t.database.db.selectFrom('audit_events').select('object_id').where('action', '=', 'background_job.start').execute();
    expect(audited.map((e) => e.object_id)).toEqual(expect.arrayContaining([started.id, failing.id]));
  });

  it('a background job started in a transaction that rolls back never runs', async () => {
    const preparer = await demoActor(demo.services, 'preparer');
    let id = '';
    await expect(demo.t.database.db.transaction().execute(async (trx) => {
      id = (await startBackgroundJob(demo.services, preparer, 'test.write', {}, trx)).id;
      throw new Error('the surrounding change failed');
    })).rejects.toThrow('the surrounding change failed');
    expect(await demo.t.database.db.selectFrom('background_jobs').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    const jobs = await runner.boss.findJobs('background.run', { data: { id } });
    expect(jobs).toEqual([]);
  });

  it('a job sent while an app transaction is open is never part of it (PGlite: one connection, taken in turns)', async () => {
    const db = demo.t.database.db;
    let sent: Promise<string | null> | null = null;
    await expect(db.transaction().execute(async (trx) => {
      await appendAuditEvent(trx, {
        actor: { id: null, username: 'jobs-test', organizationId: null, role: null }, action: 'thing.update',
        objectType: 'thing', objectId: 'rolled-back', outcome: 'success', requestId: null, clientAddress: null,
      });
      // Sent outside the transaction while it holds the connection; pg-boss polls meanwhile too.
      sent = runner.send(BACKGROUND_QUEUE, { id: randomUUID() });
      await new Promise((r) => setTimeout(r, 1500));
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    const id = await sent!;
    expect(id).not.toBeNull();
    expect(await runner.boss.findJobs(BACKGROUND_QUEUE, { id: id! })).toHaveLength(1);
    expect(await db.selectFrom('audit_events').select('id').where('object_id', '=', 'rolled-back').executeTakeFirst()).toBeUndefined();
  });

  it('app transactions, jobs started inside them and running jobs share the database without deadlock', async () => {
    const preparer = await demoActor(demo.services, 'preparer');
    const db = demo.t.database.db;
    const started = Date.now();
    // Concurrent requests' worth of transactions, each starting a job that itself writes, while
    // checkpoint jobs run and pg-boss polls, maintains and settles jobs on the same database.
    const work = Array.from({ length: 16 }, async (_, i) => {
      if (i % 5 === 0) await runner.send('audit.checkpoint', {});
      const job = await db.transaction().execute(async (trx) => {
        await appendAuditEvent(trx, {
          actor: { id: null, username: 'jobs-test', organizationId: null, role: null }, action: 'thing.update',
          objectType: 'thing', objectId: `load-${i % 5}`, outcome: 'success', requestId: null, clientAddress: null,
        });
        return startBackgroundJob(demo.services, preparer, 'test.write', {}, trx);
      });
      await db.selectFrom('projects').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return job.id;
    });
    const ids = await Promise.all(work);
    const rows = await Promise.all(ids.map((id) => backgroundDone(id, 60_000)));
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(warnings).toEqual([]);
  }, 120_000);
});
