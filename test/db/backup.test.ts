// SPEC §10 (第三十一条): the online logical backup restores every row, so the restored audit log
// still verifies with the installation's checkpoint key; a restore never mixes with existing
// data and refuses a damaged file before it writes anything. Runs on PGlite and PostgreSQL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpoint } from '../../src/audit/checkpoint.ts';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { appendAuditEvent } from '../../src/audit/writer.ts';
import { backupDatabase, logicalDump, restoreDatabase, RestoreError } from '../../src/db/backup.ts';
import { openPglite, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { deriveKeys } from '../../src/services.ts';
import { login } from '../../src/usecases/auth.ts';
import { adjustPlan, listPlans } from '../../src/usecases/plans.ts';
import { uploadMaterial } from '../../src/usecases/materials.ts';
import { answerDocumentRequest, createDocumentRequest, reviewDocumentRequest, uploadDocumentRequestFile } from '../../src/usecases/document-requests.ts';
import { takeAction } from '../../src/usecases/lifecycle-actions.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import {
  createServerDatabase, openTestDatabase, TEST_DB_KIND, TEST_MASTER_KEY, testServices, type TestDatabase,
} from '../support/db.ts';
import { assignAssessor } from '../../src/usecases/assignments.ts';
import { updateRuleSetting } from '../../src/usecases/rule-settings.ts';
import { sweepAllIn } from '../../src/usecases/obligations.ts';
import { startBackgroundJob } from '../../src/usecases/background-jobs.ts';
import { takeFrameworkAction } from '../../src/usecases/framework-actions.ts';
import { linkProject, setNationalProject } from '../../src/usecases/project-coordination.ts';
import { createProject } from '../../src/usecases/projects.ts';
import { applyForAcceptance, decideAcceptance, recordArchiveAcceptance, requestExtension } from '../../src/usecases/acceptance.ts';
import { commissionPostEvaluation, submitSelfEvaluation } from '../../src/usecases/post-evaluation.ts';
import { DEMO_ACCEPTANCE_PROJECT } from '../../src/usecases/seed-demo-acceptance.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { createUser } from '../../src/usecases/users.ts';
import { systemActor } from '../../src/usecases/actor.ts';
import { declareCompletion, reportRectified } from '../../src/usecases/construction-records.ts';
import { DEMO_CONSTRUCTION_PROJECT, seedDemoConstruction } from '../../src/usecases/seed-demo-construction.ts';
import { DEMO_PASSWORD, DEMO_TOTP, demoActor, demoTotp, seedTestDemo } from '../support/fixtures.ts';
import { killAllChildren, removeDir, runCli, tempDir, verifyAuditCli, randomMasterKey, type Installation } from '../support/server-process.ts';

// Above the suite's 60 s: on PGlite each CLI run opens a data directory on disk anew.
// populate() seeds every feature's demo data and rows in every table: minutes on a loaded 2-core machine.
const TIMEOUT_MS = 300_000;
const CLI_TIMEOUT_MS = 180_000;

const actor = { id: null, username: 'backup-test', organizationId: null, role: 'admin' };

async function writeEvents(database: Database, chains: number, perChain: number, tag: string) {
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < perChain; i++) {
      await database.db.transaction().execute((trx) =>
        appendAuditEvent(trx, {
          actor, action: 'thing.update', objectType: 'thing', objectId: `${tag}${c}`, outcome: 'success',
          // Text that JSON and SQL each treat specially, and deep nesting.
          diff: { before: { n: i }, after: { n: i + 1, 名称: '测试 "引号" \\ 反斜杠\n换行', nested: { b: 1, a: [1, 'x', null, 1.5e-7] } } },
          requestId: `r-${tag}-${c}-${i}`, clientAddress: '127.0.0.1',
        }),
      );
    }
  }
}

/** 第六条: one adjustment of the demo department plan by NDRC, so every plan table has rows. */
async function adjustDemoPlan(services: ReturnType<typeof testServices>) {
  const actor = await demoActor(services, 'ndrc');
  const [plan] = await listPlans(services, actor, { level: 'department' });
  await adjustPlan(services, actor, plan!.id, plan!.version, {
    reasonCategory: 'other', evaluation: '备份测试：评估论证', description: '新增一项任务', approvedOn: '2024-01-01',
    addTasks: [{ code: '3', title: '备份测试任务' }],
  });
}

/** SPEC §10: one material version, so project_materials has rows (its file goes to a scratch store). */
async function uploadDemoMaterial(database: Database) {
  const filesDir = tempDir('govproj-backup-files-');
  try {
    const services = testServices(database, { dataDir: filesDir });
    const db = services.database.db;
    const actor = await demoActor(services, 'preparer');
    // A draft of the preparer's own unit (the demo has drafts of other units too).
    const project = await db.selectFrom('projects').select('id').where('stage', '=', 'proposal').where('status', '=', 'draft')
      .where('construction_unit_id', 'in', actor.organizationIds).orderBy('created_at').orderBy('id').limit(1).executeTakeFirstOrThrow();
    await uploadMaterial(services, actor, project.id, {
      stage: 'proposal', materialCode: 'proposal', fileName: '项目建议书.pdf', contentType: 'application/pdf', content: Readable.from([samplePdf()]),
    });
  } finally {
    removeDir(filesDir);
  }
}

/** 第七条: the preparer submits that project with an Idempotency-Key, so project_actions and idempotency_keys have rows. */
async function submitDemoProject(database: Database) {
  const services = testServices(database);
  const db = services.database.db;
  const actor = await demoActor(services, 'preparer');
  // The draft whose 项目建议书 was uploaded (the demo's completed project keeps acceptance materials too).
  const project = await db.selectFrom('project_materials').select('project_id').where('material_code', '=', 'proposal').limit(1).executeTakeFirstOrThrow();
  await takeAction(services, actor, project.project_id, 'submit', {}, { dryRun: false, expectedVersion: null, idempotencyKey: 'backup-test' });
}

/**
 * 第七条, 第三十四条: the unit lead signs, the reviewer entrusts the demo assessor and NDRC changes a
 * rule setting, so project_assignments, rule_settings and notifications have rows.
 */
async function entrustAndChangeRules(database: Database) {
  const services = testServices(database);
  const project = await services.database.db.selectFrom('project_actions').select('project_id').where('action', '=', 'submit').limit(1).executeTakeFirstOrThrow();
  await takeAction(services, await demoActor(services, 'unitlead'), project.project_id, 'sign', {}, { dryRun: false, expectedVersion: null, idempotencyKey: null });
  const ciecc = await services.database.db.selectFrom('organizations').select('id').where('kind', '=', 'assessor').executeTakeFirstOrThrow();
  await assignAssessor(services, await demoActor(services, 'reviewer'), project.project_id, { organizationId: ciecc.id, reason: '委托评估' });
  await updateRuleSetting(services, await demoActor(services, 'secadmin'), 'deadline.reviewDays', { organizationId: null, value: 15, reason: '备份测试' });
  // SPEC §11: an email reminder queued (SMTP configured, an address), so email_outbox has rows; the
  // demo seed's sweep already filled obligations and obligation_reminders.
  await sql`update users set email = 'liuyang@example.gov.cn' where username = 'preparer'`.execute(services.database.db);
  await services.database.db.transaction().execute((trx) => sweepAllIn(trx, {
    now: () => new Date(Date.now() + 40 * 86_400_000),
    config: { ...services.config, smtp: { host: '127.0.0.1', port: 25, secure: false, user: null, password: null, from: 'govproj@example.gov.cn' } },
  }));
  // 第三十条: the demo seed escalated one rectification to 通报批评, which sets no sanction; a
  // standing 暂缓 row (its rules are tested in supervision.test.ts) so project_sanctions has rows.
  await sql`insert into project_sanctions (project_id, investment_deferred_by, updated_at)
    select d.project_id, d.id, now() from escalation_decisions d where d.project_id is not null limit 1`.execute(services.database.db);
  // 第九条 上一期项目: a link between two demo projects (the rules of linking are tested in predecessors.test.ts).
  await sql`insert into project_predecessors (project_id, previous_project_id, linked_by, linked_at)
    select p1.id, p2.id, p1.created_by, now() from projects p1, projects p2 where p1.id <> p2.id limit 1`.execute(services.database.db);
}

/**
 * 第十条: NDRC confirms the demo framework plan, the lead links the demo cross-department project to
 * it, and a local project of 江苏省数据局 follows that national project, so framework_projects and
 * project_coordination have rows.
 */
async function confirmDemoFramework(database: Database) {
  const services = testServices(database);
  const db = services.database.db;
  const plan = await db.selectFrom('framework_plans').select(['id', 'lead_organization_id']).executeTakeFirstOrThrow();
  await takeFrameworkAction(services, await demoActor(services, 'ndrc'), plan.id, 'confirm', { totp: demoTotp(services.now()) }, { dryRun: false, expectedVersion: null });
  const national = await db.selectFrom('projects').select(['id', 'code', 'approval_department_id']).where('cross_department', '=', true).executeTakeFirstOrThrow();
  await linkProject(services, await demoActor(services, 'preparer'), plan.id, { projectId: national.id, organizationId: plan.lead_organization_id });
  const unit = await db.selectFrom('organizations').select('id').where('name', '=', '江苏省数据局').executeTakeFirstOrThrow();
  await createUser(services, systemActor(), { username: 'jspreparer', displayName: '蒋华', password: DEMO_PASSWORD, organizationIds: [unit.id], roleCodes: ['preparer'] });
  const js = await demoActor(services, 'jspreparer');
  const local = await createProject(services, js, {
    name: '江苏省社会保障卡一卡通应用项目', constructionUnitId: unit.id, approvalDepartmentId: national.approval_department_id, track: 'approval', kind: 'new',
    planTaskId: null, involvesSecrets: false, crossDepartment: null, constructionStart: '2027-01-01', constructionEnd: '2027-12-31',
    totalInvestment: '500.00', oAndMFunds: '0.00', fundingChannel: 'local_fiscal', performanceIndicators: [], systems: [],
    security: { scheme: 'mlps', mlpsLevel: 2, cryptoPlan: 'drafted', cryptoAssessment: 'planned' },
    newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
  });
  await setNationalProject(services, js, local.id, national.code);
  // A justified overlap of a content with a master-catalog system (第十条, I-13): the demo plan was
  // submitted without catalog hits, so the row is written here for the backup to carry.
  const content = await db.selectFrom('framework_contents').select('id').where('framework_id', '=', plan.id).executeTakeFirstOrThrow();
  const system = await db.selectFrom('government_systems').select('id').executeTakeFirstOrThrow();
  await db.insertInto('framework_catalog_overlap_justifications').values({
    framework_id: plan.id, content_id: content.id, system_id: system.id, reason: '备份测试：建设内容与已有系统不重复', similarity: '0.4100',
    justified_by: (await demoActor(services, 'preparer')).userId, created_at: services.now(),
  }).execute();
}

/** A background job a user started, so background_jobs has rows (the job runner itself is not needed). */
async function startDemoBackgroundJob(database: Database) {
  const services = testServices(database);
  const queued = { ...services, jobs: { send: async () => null } };
  await startBackgroundJob(queued, await demoActor(services, 'preparer'), 'test.backup', { note: '备份测试' });
}

/**
 * The demo's construction records (第十三条–第二十二条), as `govproj serve --demo` seeds them, then
 * the rectification reported done and completion declared, so every construction table has rows.
 */
async function completeDemoConstruction(database: Database) {
  const services = testServices(database);
  // NDRC signed the framework confirmation with this period's code; each code is accepted once.
  services.clock.now = new Date(services.clock.now.getTime() + 60_000);
  await seedDemoConstruction(services, DEMO_TOTP);
  const preparer = await demoActor(services, 'preparer');
  const project = await database.db.selectFrom('projects').select('id').where('name', '=', DEMO_CONSTRUCTION_PROJECT).executeTakeFirstOrThrow();
  const today = shanghaiDate(services.now());
  for (const order of await database.db.selectFrom('construction_orders').select('id').where('project_id', '=', project.id).execute()) {
    await reportRectified(services, preparer, project.id, order.id, { rectifiedOn: today, report: '已统一接口标准并调整开发计划。' });
  }
  await declareCompletion(services, preparer, project.id, { completedOn: today, finalAccountsAmount: '1790.00', surplusAmount: '0.00', surplusReturnedOn: null });
}

/**
 * 第二十五条–第二十七条: the demo's completed project asks for an extension, applies, passes the
 * archive acceptance and the signed acceptance; 13 months on its self-evaluation is submitted and
 * a third-party post-evaluation commissioned, so every acceptance table has rows.
 */
async function acceptDemoProject(database: Database) {
  const services = testServices(database);
  const db = services.database.db;
  const project = await db.selectFrom('projects').select('id').where('name', '=', DEMO_ACCEPTANCE_PROJECT).executeTakeFirstOrThrow();
  const preparer = await demoActor(services, 'preparer');
  const row = async (code: string) => sql`insert into project_materials (project_id, stage, material_code, version_no, file_name, media_type, size_bytes, sm3, storage_key, uploaded_by)
    values (${project.id}, 'preliminaryDesign', ${code}, 1, ${code + '.pdf'}, 'application/pdf', 1024, ${'d'.repeat(64)}, ${'d'.repeat(64)}, ${preparer.userId})`.execute(db);
  await row('acceptanceCryptoAssessment');
  await requestExtension(services, preparer, project.id, { reason: '备份测试：延期', proposedDueOn: '2027-05-31' });
  await applyForAcceptance(services, preparer, project.id, { dryRun: false });
  await recordArchiveAcceptance(services, await demoActor(services, 'reviewer'), project.id, { acceptedOn: shanghaiDate(services.now()), result: 'pass', opinion: '合格' });
  services.clock.now = new Date(services.clock.now.getTime() + 90_000);
  await decideAcceptance(services, await demoActor(services, 'approver'), project.id, { result: 'pass', opinion: '同意', totp: demoTotp(services.now()) });
  services.clock.now = new Date(services.clock.now.getTime() + 400 * 86_400_000);
  await row('selfEvaluationReport');
  await submitSelfEvaluation(services, preparer, project.id);
  const evaluator = await db.selectFrom('organizations').select('id').where('kind', '=', 'evaluator').executeTakeFirstOrThrow();
  await commissionPostEvaluation(services, await demoActor(services, 'reviewer'), project.id, { organizationId: evaluator.id, reason: '备份测试' });
}

/** 第二十九条: NDRC requests documents, the unit uploads a file and answers, NDRC accepts (the four 资料调阅 tables). */
async function requestDemoDocuments(database: Database) {
  const filesDir = tempDir('govproj-backup-docreq-');
  try {
    const services = testServices(database, { dataDir: filesDir });
    const preparer = await demoActor(services, 'preparer');
    const ndrc = await demoActor(services, 'ndrc');
    const project = await services.database.db.selectFrom('projects').select('id').where('construction_unit_id', 'in', preparer.organizationIds)
      .orderBy('created_at').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const request = await createDocumentRequest(services, ndrc, { projectId: project.id, purpose: 'audit', title: '备份测试资料调阅', items: ['合同'] });
    const file = await uploadDocumentRequestFile(services, preparer, request.id, {
      fileName: '合同.pdf', contentType: 'application/pdf', content: Readable.from([samplePdf()]),
    });
    await answerDocumentRequest(services, preparer, request.id, { statement: '报送合同。', fileIds: [file.id], missingItems: [] });
    await reviewDocumentRequest(services, ndrc, request.id, { result: 'accepted', reasons: '收到。' });
  } finally {
    removeDir(filesDir);
  }
}

/** A populated source database: the demo, a session, audit events before and after a checkpoint. */
async function populate(database: Database) {
  const services = testServices(database);
  await seedTestDemo(services);
  await adjustDemoPlan(services);
  await uploadDemoMaterial(database);
  await submitDemoProject(database);
  await entrustAndChangeRules(database);
  await startDemoBackgroundJob(database);
  await confirmDemoFramework(database);
  await completeDemoConstruction(database);
  await acceptDemoProject(database);
  await requestDemoDocuments(database);
  await login(services, { username: 'auditor', password: DEMO_PASSWORD, kind: 'bearer' },
    { requestId: 'req-1', clientAddress: '127.0.0.1', userAgent: 'vitest' });
  await writeEvents(database, 3, 4, 'a');
  expect(await createCheckpoint(database, services.keys.checkpoint)).not.toBeNull();
  await writeEvents(database, 2, 2, 'b'); // some events are newer than the last checkpoint
  return services;
}

/** Table name → rows, from a logicalDump. */
function tablesOf(dump: string[]): Map<string, number> {
  const tables = new Map<string, number>();
  let current = '';
  for (const line of dump) {
    if (line.startsWith('{"table":')) tables.set((current = (JSON.parse(line) as { table: string }).table), 0);
    else tables.set(current, tables.get(current)! + 1);
  }
  return tables;
}

let dir: string;
let source: TestDatabase;
let services: ReturnType<typeof testServices>;
let file: string;
let backupRows: number;
let sourceDump: string[];
const targets: TestDatabase[] = [];

beforeAll(async () => {
  dir = tempDir('govproj-backup-');
  source = await openTestDatabase();
  services = await populate(source.database);
  file = join(dir, 'backup.jsonl.gz');
  backupRows = (await backupDatabase(source.database, file)).rows;
  sourceDump = await logicalDump(source.database);
}, TIMEOUT_MS);

afterEach(async () => {
  for (const t of targets.splice(0)) await t.drop();
}, TIMEOUT_MS);

afterAll(async () => {
  await killAllChildren();
  if (restored) await (await restored.catch(() => null))?.target.drop();
  await source?.drop();
  removeDir(dir);
}, TIMEOUT_MS);

async function freshTarget(kind = TEST_DB_KIND): Promise<TestDatabase> {
  const t = await openTestDatabase(kind);
  targets.push(t);
  return t;
}

// One restored copy serves the first two tests (a fresh PGlite costs seconds on a busy
// machine); the second one grows it, so it comes after the comparison of the rows.
let restored: Promise<{ target: TestDatabase; rows: number }> | null = null;
function restoredCopy() {
  restored ??= openTestDatabase().then(async (target) => ({ target, rows: (await restoreDatabase(target.database, file)).rows }));
  return restored;
}

describe(`backup and restore (${TEST_DB_KIND})`, () => {
  it('SPEC §10: a backup restored into an empty database holds exactly the same rows', async () => {
    const { target, rows } = await restoredCopy();
    expect(rows).toBe(backupRows);
    expect(backupRows).toBe(sourceDump.length - tablesOf(sourceDump).size);
    const targetDump = await logicalDump(target.database);
    expect(targetDump).toEqual(sourceDump);

    // Every table of the schema is in the backup (a new table must not be silently left
    // out), and every one of them had rows here, so each was really exercised.
    const schemaTables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'`.execute(source.database.db);
    const tables = tablesOf(sourceDump);
    expect([...tables.keys()].sort()).toEqual(schemaTables.rows.map((r) => r.table_name).sort());
    expect([...tables].filter(([, n]) => n === 0)).toEqual([]);
  }, TIMEOUT_MS);

  it('第三十一条: the restored audit log verifies intact with the same checkpoint key, and keeps growing', async () => {
    const { target } = await restoredCopy();
    const before = await verifyAuditLog(source.database.db, services.keys.checkpoint.publicKey);
    const after = await verifyAuditLog(target.database.db, services.keys.checkpoint.publicKey);
    expect(after.problems).toEqual([]);
    expect(after.status).toBe('intact');
    expect({ ...after, durationMs: 0 }).toEqual({ ...before, durationMs: 0 });
    expect(after.checkpointsChecked).toBe(1);

    // The identity sequence of audit_events continues after the restored ids, and the chains
    // and checkpoints continue from the restored heads.
    await writeEvents(target.database, 2, 2, 'b');
    await writeEvents(target.database, 1, 1, 'c');
    expect((await createCheckpoint(target.database, services.keys.checkpoint))?.entryCount).toBe(3);
    const grown = await verifyAuditLog(target.database.db, services.keys.checkpoint.publicKey);
    expect(grown.problems).toEqual([]);
    expect(grown).toMatchObject({ status: 'intact', eventsChecked: before.eventsChecked + 5, checkpointsChecked: 2 });

    // Another installation's key does not verify the restored checkpoints.
    const foreign = deriveKeys(Buffer.from(randomMasterKey(), 'hex')).checkpoint.publicKey;
    const forged = await verifyAuditLog(target.database.db, foreign);
    expect(forged.status).toBe('broken');
    expect(forged.problems.some((p) => p.kind === 'checkpoint_forged')).toBe(true);
  }, TIMEOUT_MS);

  it('SPEC §10: restore into a non-empty database is refused and writes nothing', async () => {
    // A database with a single row in the last table the restore would fill.
    const target = await freshTarget();
    await target.database.db.insertInto('system_state').values({ key: 'occupied', value: JSON.stringify({ by: 'test' }) as never }).execute();
    const targetBefore = await logicalDump(target.database);
    await expect(restoreDatabase(target.database, file)).rejects.toThrow(RestoreError);
    await expect(restoreDatabase(target.database, file)).rejects.toThrow(/not empty.*system_state/);
    expect(await logicalDump(target.database)).toEqual(targetBefore);

    // And the source itself, full of rows.
    await expect(restoreDatabase(source.database, file)).rejects.toThrow(RestoreError);
    expect(await logicalDump(source.database)).toEqual(sourceDump);
  }, TIMEOUT_MS);

  it('SPEC §10: a truncated or altered backup file is refused before anything is written', async () => {
    const target = await freshTarget();
    const empty = await logicalDump(target.database);
    const gz = readFileSync(file);
    const lines = gunzipSync(gz).toString('utf8').split('\n').filter((l) => l !== '');
    const write = (name: string, data: Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    };
    const flipped = Buffer.from(gz);
    flipped[Math.floor(gz.length / 2)]! ^= 0x04;
    const badCrc = Buffer.from(gz);
    badCrc[gz.length - 8]! ^= 0x01; // the CRC-32 in the gzip footer
    const rowIndex = lines.findIndex((l) => l.includes('"action":"thing.update"'));
    expect(rowIndex).toBeGreaterThan(0);
    const altered = lines.map((l, i) => (i === rowIndex ? l.replace('"outcome":"success"', '"outcome":"failure"') : l));
    expect(altered[rowIndex]).not.toBe(lines[rowIndex]);

    // Damage the compression layer sees (zlib refuses these; the error is not a RestoreError).
    // The footer cases need the whole file to be read, trailer line or not.
    const compressed: Array<[string, Buffer]> = [
      ['truncated gzip', gz.subarray(0, Math.floor(gz.length * 0.6))],
      ['truncated gzip footer', gz.subarray(0, gz.length - 4)],
      ['bit-flipped gzip', flipped],
      ['bit-flipped gzip CRC', badCrc],
    ];
    for (const [name, data] of compressed) {
      await expect(restoreDatabase(target.database, write(`${name}.gz`, data)), name).rejects.toThrow();
    }
    // Damage inside well-formed gzip: only the SM3 digest and the trailer can catch it.
    const gzLines = (ls: string[]) => gzipSync(ls.map((l) => l + '\n').join(''));
    const content: Array<[string, Buffer, RegExp]> = [
      ['no trailer (cut at a line)', gzLines(lines.slice(0, -1)), /incomplete or damaged/],
      ['cut before the last tables', gzLines([...lines.slice(0, rowIndex), lines.at(-1)!]), /incomplete or damaged/],
      ['one row altered', gzLines(altered), /incomplete or damaged/],
      ['one row dropped', gzLines(lines.filter((_, i) => i !== rowIndex)), /incomplete or damaged/],
      ['not a govproj backup', gzLines(['{"format":"other"}', ...lines.slice(1)]), /not a govproj backup/],
      ['empty file', gzLines([]), /not a govproj backup/],
    ];
    for (const [name, data, message] of content) {
      const attempt = restoreDatabase(target.database, write(`${name}.gz`, data));
      await expect(attempt, name).rejects.toThrow(RestoreError);
      await expect(restoreDatabase(target.database, join(dir, `${name}.gz`)), name).rejects.toThrow(message);
    }
    expect(await logicalDump(target.database)).toEqual(empty);

    // The intact file still restores into the same database afterwards.
    await restoreDatabase(target.database, file);
    expect(await logicalDump(target.database)).toEqual(sourceDump);
  }, TIMEOUT_MS);

  it.todo('SPEC §10: a numeric value with many digits survives backup and restore (no numeric column exists yet)');

  it.runIf(TEST_DB_KIND === 'postgresql')('SPEC §10: a backup moves between PostgreSQL and PGlite in both directions', async () => {
    const embedded = await freshTarget('pglite');
    await restoreDatabase(embedded.database, file);
    expect(await logicalDump(embedded.database)).toEqual(sourceDump);
    const back = join(dir, 'from-pglite.jsonl.gz');
    await backupDatabase(embedded.database, back);
    const server = await freshTarget('postgresql');
    await restoreDatabase(server.database, back);
    expect(await logicalDump(server.database)).toEqual(sourceDump);
    expect((await verifyAuditLog(server.database.db, services.keys.checkpoint.publicKey)).status).toBe('intact');
  }, TIMEOUT_MS);
});

describe(`govproj backup / restore (${TEST_DB_KIND})`, () => {
  it(`SPEC §10: govproj backup, restore into a fresh installation, audit verify → intact (CLI, ${TEST_DB_KIND})`, async () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    try {
      const dirA = tempDir('govproj-cli-a-');
      const dirB = tempDir('govproj-cli-b-');
      cleanups.push(() => removeDir(dirA), () => removeDir(dirB));
      let a: Installation;
      let b: Installation;
      // The source installation is prepared in-process (demo, session, events, a checkpoint)
      // with the key the CLI is given, and closed before the CLI opens it.
      if (TEST_DB_KIND === 'pglite') {
        a = { dataDir: dirA, masterKey: TEST_MASTER_KEY };
        b = { dataDir: dirB, masterKey: TEST_MASTER_KEY };
        const database = await openPglite(join(dirA, 'pglite'));
        try {
          await migrate(database);
          await populate(database);
        } finally {
          await database.close();
        }
      } else {
        const serverA = await openTestDatabase('postgresql');
        cleanups.push(serverA.drop);
        await populate(serverA.database);
        const serverB = await createServerDatabase(); // not even migrated: restore migrates first
        cleanups.push(serverB.drop);
        a = { dataDir: dirA, masterKey: TEST_MASTER_KEY, databaseUrl: serverA.url! };
        b = { dataDir: dirB, masterKey: TEST_MASTER_KEY, databaseUrl: serverB.url };
      }
      const backupFile = join(dirA, 'govproj.backup.gz');

      const backup = await runCli(a, ['backup', backupFile]);
      expect(backup.code, backup.stderr).toBe(0);
      const written = /backup written to .*: (\d+) rows/.exec(backup.stdout);
      expect(written, backup.stdout).not.toBeNull();

      const restore = await runCli(b, ['restore', backupFile]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toContain(`restored ${written![1]} rows`);

      const verify = await verifyAuditCli(b);
      expect(verify.code, verify.stderr + verify.stdout).toBe(0);
      expect(verify.report).toMatchObject({ status: 'intact', checkpointsChecked: 1, problems: [] });
      expect(verify.report!.eventsChecked).toBeGreaterThan(16);

      // With another installation's key the same log does not verify: exit 3. (The exit code
      // does not depend on the engine; checked on PostgreSQL only, where a CLI run is cheap:
      // on PGlite each one opens the data directory anew, several seconds here.)
      if (TEST_DB_KIND === 'postgresql') {
        const foreign = await verifyAuditCli({ ...b, masterKey: randomMasterKey() });
        expect(foreign.code, foreign.stderr).toBe(3);
        expect(foreign.report?.status).toBe('broken');
      }
    } finally {
      await killAllChildren();
      for (const c of cleanups.reverse()) await c();
    }
  }, CLI_TIMEOUT_MS);
});
