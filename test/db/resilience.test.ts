// Issue 7 (faults, backup and recovery) on both databases, through the real components:
// - SMTP away for longer than the attempt limit: reminders stay queued and go out once when it is back (I-85);
// - the upload store full (a real 256 KiB tmpfs) or read-only (the same tmpfs remounted ro): 503
//   problem+json, no material row, no audit event, nothing left in the store (I-87);
// - audit checkpoints appended to a file outside the database; after a restore of an older backup
//   the log is verified against that file, which names the recovery point and detects tampering (I-86).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, CheckpointFileDivergedError, exportCheckpoints, readCheckpointFile, signCheckpoint, verifyCheckpointFile } from '../../src/audit/checkpoint-file.ts';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { appendAuditEvent } from '../../src/audit/writer.ts';
import { backupDatabase, restoreDatabase } from '../../src/db/backup.ts';
import { uniformSocialCreditCodeCheckChar } from '../../src/domain/identifiers.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import { buildApp } from '../../src/http/app.ts';
import { deliverEmails, EMAIL_MAX_ATTEMPTS } from '../../src/usecases/email-outbox.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { bearer, seedTestDemo, signIn, type Session } from '../support/fixtures.ts';
import { freePort, removeDir, tempDir } from '../support/server-process.ts';
import { startSmtpServer } from '../support/smtp-server.ts';

let t: TestDatabase;
let dataDir: string;
let services: ReturnType<typeof testServices>;
let app: FastifyInstance;
let admin: Session;
let preparer: Session;
const org = new Map<string, string>();

beforeAll(async () => {
  t = await openTestDatabase();
  dataDir = tempDir('govproj-resilience-');
  services = testServices(t.database, { dataDir });
  await seedTestDemo(services);
  app = await buildApp(services);
  for (const o of await t.database.db.selectFrom('organizations').select(['id', 'name']).execute()) org.set(o.name, o.id);
  admin = await signIn(app, services, 'admin');
  preparer = await signIn(app, services, 'preparer');
}, 300_000); // the demo seed on PGlite takes minutes on a loaded machine
afterAll(async () => {
  await app?.close();
  await t?.drop();
  removeDir(dataDir);
});

const count = async (table: 'audit_events' | 'project_materials' | 'email_outbox') =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);

let orgSerial = 0;
/** One audited write: a new organization. */
async function newOrganization(): Promise<void> {
  const prefix = `12100000R${String(++orgSerial).padStart(8, '0')}`;
  const res = await app.inject({
    method: 'POST', url: '/api/v1/organizations', headers: bearer(admin),
    payload: { parentId: null, name: `韧性测试单位 ${orgSerial}`, kind: 'construction_unit', creditCode: prefix + uniformSocialCreditCodeCheckChar(prefix) },
  });
  expect(res.statusCode, res.body).toBe(201);
}

/** One audited write straight into another database (the restored one). */
async function newOrganizationIn(target: TestDatabase): Promise<void> {
  await target.database.db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: { id: null, username: 'system', organizationId: null, role: null }, action: 'test.write', objectType: 'test', objectId: 'restored',
    outcome: 'success', diff: null, requestId: null, clientAddress: null,
  }));
}

describe('SMTP down (I-85)', () => {
  it('SPEC §11: reminders queued while the SMTP server is away for longer than the attempt limit are all sent, once each, when it is back', async () => {
    const port = await freePort(); // nothing listens there yet
    services.config.smtp = { host: '127.0.0.1', port, secure: false, user: null, password: null, from: 'govproj@example.gov.cn' };
    const now = services.now();
    const subjects = Array.from({ length: 7 }, (_, i) => `【已逾期】韧性测试 ${i} ${randomBytes(3).toString('hex')}`);
    await t.database.db.insertInto('email_outbox')
      .values(subjects.map((subject) => ({ to_address: 'preparer@example.gov.cn', subject, body: '请及时办理。', created_at: now }))).execute();
    try {
      // Twice the attempt limit of deliveries, a minute apart as the email.deliver job runs them.
      for (let i = 0; i < 2 * EMAIL_MAX_ATTEMPTS; i++) {
        services.clock.now = new Date(services.clock.now.getTime() + 60_000);
        const run = await deliverEmails(services, 5);
        expect(run.sent).toBe(0);
        expect(run.failed).toBeGreaterThan(0);
      }
      const waiting = await t.database.db.selectFrom('email_outbox').select(['attempts', 'lease_until', 'last_error', 'sent_at'])
        .where('subject', 'in', subjects).execute();
      expect(waiting).toHaveLength(subjects.length);
      for (const w of waiting) {
        expect(w.sent_at).toBeNull();
        expect(w.attempts).toBe(0); // an unreachable server costs no attempt
        expect(w.lease_until).toBeNull(); // and holds no lease: the next delivery takes it
      }
      // Those tried carry the reason (the batch of five is tried first, again and again).
      expect(waiting.filter((w) => w.last_error !== null).length).toBeGreaterThanOrEqual(5);
      for (const w of waiting) if (w.last_error !== null) expect(w.last_error).toMatch(/ECONNREFUSED|connect/);
      // The server comes back on the same port: every message goes out exactly once.
      const smtp = await startSmtpServer({ port });
      try {
        services.clock.now = new Date(services.clock.now.getTime() + 60_000);
        const run = await deliverEmails(services, 5);
        expect(run.failed).toBe(0);
        expect(run.sent).toBeGreaterThanOrEqual(subjects.length);
        expect((await deliverEmails(services)).sent).toBe(0);
        const got = smtp.received.map((m) => m.subject).filter((s) => subjects.includes(s));
        expect(got.sort()).toEqual([...subjects].sort());
        const sent = await t.database.db.selectFrom('email_outbox').select(['sent_at', 'attempts']).where('subject', 'in', subjects).execute();
        expect(sent.every((s) => s.sent_at !== null && s.attempts === 1)).toBe(true);
      } finally {
        await smtp.close();
      }
    } finally {
      services.config.smtp = null;
    }
  });
});

describe('upload storage full or read-only (I-87)', () => {
  let storeDir: string;
  let mounted = false;
  let faultApp: FastifyInstance;
  let faultPreparer: Session;
  beforeAll(async () => {
    storeDir = tempDir('govproj-store-fault-');
    mkdirSync(join(storeDir, 'files'));
    // A real file system of 256 KiB: writes past it fail with ENOSPC from the kernel (needs root, as CI runs).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0755', 'tmpfs', join(storeDir, 'files')]);
    mounted = true;
    const faulty = testServices(t.database, { dataDir: storeDir });
    faulty.clock.now = services.clock.now;
    faultApp = await buildApp(faulty);
    faultPreparer = await signIn(faultApp, faulty, 'preparer');
  });
  afterAll(async () => {
    await faultApp?.close();
    if (mounted) execFileSync('umount', [join(storeDir, 'files')]);
    removeDir(storeDir);
  });

  async function newProject(): Promise<string> {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/projects', headers: bearer(preparer),
      payload: {
        name: '存储故障测试项目', constructionUnitId: org.get('人力资源和社会保障部信息中心'),
        approvalDepartmentId: org.get('国家发展和改革委员会创新和高技术发展司'), track: 'approval', kind: 'new',
        constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '1200.00', fundingChannel: 'central_budget',
        security: { scheme: 'mlps', mlpsLevel: 3 },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  async function upload(projectId: string, data: Buffer) {
    const boundary = `----govproj${randomBytes(8).toString('hex')}`;
    const field = (k: string, v: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    const payload = Buffer.concat([
      Buffer.from(field('stage', 'proposal') + field('materialCode', 'proposal')),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="项目建议书.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      data, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return faultApp.inject({
      method: 'POST', url: `/api/v1/projects/${projectId}/materials`,
      headers: { ...bearer(faultPreparer), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload,
    });
  }

  /** Every file under the store, staging included. */
  const filesIn = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

  it('SPEC §10: a full disk answers 503 problem+json with Retry-After; no row, no event, no file is left', async () => {
    const projectId = await newProject();
    // A small file fits: the store works.
    const small = await upload(projectId, samplePdf(10 * 1024));
    expect(small.statusCode, small.body).toBe(201);
    const before = { events: await count('audit_events'), materials: await count('project_materials'), files: filesIn(join(storeDir, 'files')) };
    const res = await upload(projectId, samplePdf(600 * 1024));
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(await count('audit_events')).toBe(before.events);
    expect(await count('project_materials')).toBe(before.materials);
    expect(filesIn(join(storeDir, 'files'))).toEqual(before.files);
  });

  it('SPEC §10: a read-only store answers 503 the same way and stores nothing', async () => {
    const projectId = await newProject();
    execFileSync('mount', ['-o', 'remount,ro', join(storeDir, 'files')]);
    try {
      const before = { events: await count('audit_events'), materials: await count('project_materials'), files: filesIn(join(storeDir, 'files')) };
      const res = await upload(projectId, samplePdf(1024));
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({ code: 'service_unavailable' });
      expect(res.headers['retry-after']).toBe('5');
      expect(await count('audit_events')).toBe(before.events);
      expect(await count('project_materials')).toBe(before.materials);
      expect(filesIn(join(storeDir, 'files'))).toEqual(before.files);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', join(storeDir, 'files')]);
    }
    // Writable again: the same upload is stored.
    const again = await upload(projectId, samplePdf(1024));
    expect(again.statusCode, again.body).toBe(201);
  });
});

describe('audit checkpoints outside the database, verified after a restore (I-86)', () => {
  it('第三十一条: the file is appended and fsync\'d per checkpoint; a restore of an older backup verifies against it and shows its recovery point; tampering is found', async () => {
    const dir = join(dataDir, 'checkpoints');
    services.config.checkpointDir = dir;
    try {
      await newOrganization();
      const first = await signCheckpoint(services);
      expect(first).not.toBeNull();
      const afterFirst = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8');
      const { records } = await readCheckpointFile(dir);
      expect(records.at(-1)!.id).toBe(first!.id);
      // Nothing new: no new line.
      expect(await signCheckpoint(services)).toBeNull();
      expect(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8')).toBe(afterFirst);

      // The online backup, then more writes and checkpoints the backup will not have.
      const backup = join(dataDir, 'drill.backup');
      await backupDatabase(t.database, backup);
      for (let i = 0; i < 3; i++) {
        await newOrganization();
        await signCheckpoint(services);
      }
      const live = await verifyCheckpointFile(t.database.db, dir, services.keys.checkpoint.publicKey);
      expect(live).toMatchObject({ status: 'intact', missingCheckpoints: 0, eventsBehind: 0, tornLines: 0 });
      expect(live.matched).toBe(live.fileCheckpoints);
      // The file grew by appending: the earlier bytes are unchanged.
      expect(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8').startsWith(afterFirst)).toBe(true);

      // A crash mid-append leaves a torn line: it is skipped, and the next export starts a new line.
      appendFileSync(join(dir, CHECKPOINT_FILE), '{"id":"99999","createdAt":"2');
      await newOrganization();
      await signCheckpoint(services);
      const torn = await verifyCheckpointFile(t.database.db, dir, services.keys.checkpoint.publicKey);
      expect(torn).toMatchObject({ status: 'intact', tornLines: 1, missingCheckpoints: 0 });
      expect(await exportCheckpoints(t.database.db, dir)).toBe(0); // caught up

      // Restore the older backup into an empty database: intact, and the file names what was lost.
      const target = await openTestDatabase();
      try {
        await restoreDatabase(target.database, backup);
        expect((await verifyAuditLog(target.database.db, services.keys.checkpoint.publicKey)).status).toBe('intact');
        const restored = await verifyCheckpointFile(target.database.db, dir, services.keys.checkpoint.publicKey);
        expect(restored.problems).toEqual([]);
        expect(restored.status).toBe('intact');
        expect(restored.missingCheckpoints).toBe(4);
        expect(restored.matched).toBe(restored.fileCheckpoints - 4);
        expect(restored.eventsBehind).toBeGreaterThanOrEqual(4); // at least the four organizations
        expect(restored.lastMatchedAt).toBe(records.at(-1)!.createdAt);
        // The restored database would sign its next checkpoints with ids the file already holds:
        // the export refuses (the file stays the record of what the restore lost) until it is moved aside.
        await newOrganizationIn(target);
        const restoredServices = { ...services, database: target.database };
        await expect(signCheckpoint(restoredServices)).rejects.toThrow(CheckpointFileDivergedError);
        expect((await verifyCheckpointFile(target.database.db, dir, services.keys.checkpoint.publicKey)).problems.join('\n'))
          .toMatch(/the database holds another checkpoint/);

        // An event the file witnessed, altered in the restored database (by someone who got past
        // the append-only triggers): broken.
        for (const table of ['audit_events', 'audit_checkpoints']) await sql`alter table ${sql.table(table)} disable trigger user`.execute(target.database.db);
        const witnessed = records.at(-1)!.entries[0]!;
        await sql`update audit_events set hash = ${'f'.repeat(64)} where chain_id = ${witnessed.chainId} and seq = ${witnessed.seq}`.execute(target.database.db);
        const tampered = await verifyCheckpointFile(target.database.db, dir, services.keys.checkpoint.publicKey);
        expect(tampered.status).toBe('broken');
        expect(tampered.problems.join('\n')).toContain(`chain ${witnessed.chainId} event ${witnessed.seq}`);
        // A checkpoint swapped for another one: broken.
        await sql`update audit_checkpoints set hash = ${'e'.repeat(64)} where id = ${first!.id}`.execute(target.database.db);
        expect((await verifyCheckpointFile(target.database.db, dir, services.keys.checkpoint.publicKey)).problems.join('\n'))
          .toContain(`checkpoint ${first!.id}: the database holds another checkpoint`);
      } finally {
        await target.drop();
      }
      // A file signed by another key is not the installation's.
      const other = await verifyCheckpointFile(t.database.db, dir, '04' + 'ab'.repeat(64));
      expect(other.status).toBe('broken');
    } finally {
      services.config.checkpointDir = null;
    }
  }, 300_000); // a backup and a restore into a second PGlite: minutes on a loaded machine
});
