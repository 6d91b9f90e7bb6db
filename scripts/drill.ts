// `npm run drill`: a backup-and-restore drill against PostgreSQL, with the recovery point and the
// recovery time measured (issue 7 item 5; figures in docs/operations.md).
//
//   1. a fresh database on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres);
//      a real `govproj serve` on it (demo data, job runner on, a checkpoint every second, the
//      checkpoints also appended to a directory outside the database: GOVPROJ_CHECKPOINT_DIR);
//   2. writers create organizations through the API the whole time (every acknowledged write is noted);
//   3. `govproj backup FILE` while the load runs (online: one REPEATABLE READ snapshot);
//   4. the load goes on, then the "disaster": kill -9 of the server (the database is given up);
//   5. recovery: a new empty database, `govproj restore FILE`, `govproj audit verify --checkpoint-dir`
//      (the log and the external checkpoints, before anything writes), `govproj serve` until healthy;
//   6. the recovery point: acknowledged writes missing after the restore, and the time between the
//      last one the restore kept and the disaster; the recovery time: restore + start + verify.
//
// Options: --writers 4 --before 5 --after 5 (seconds of load before the backup and after it).
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { uniformSocialCreditCodeCheckChar } from '../src/domain/identifiers.ts';
import {
  killAllChildren, randomMasterKey, removeDir, runCli, signInHttp, startServer, tempDir, type Installation,
} from '../test/support/server-process.ts';

const { values } = parseArgs({
  options: { writers: { type: 'string', default: '4' }, before: { type: 'string', default: '5' }, after: { type: 'string', default: '5' } },
});
const WRITERS = Number(values.writers);
const BEFORE_MS = Number(values.before) * 1000;
const AFTER_MS = Number(values.after) * 1000;
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}
async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

const stamp = Date.now().toString(36);
const sourceName = `govproj_drill_src_${stamp}`;
const targetName = `govproj_drill_dst_${stamp}`;
const dataDir = tempDir('govproj-drill-');
const checkpointDir = join(dataDir, 'checkpoints-outside');
mkdirSync(checkpointDir);
const backupFile = join(dataDir, 'online.backup');
const masterKey = randomMasterKey();
const env = { GOVPROJ_JOBS: 'on', GOVPROJ_CHECKPOINT_DIR: checkpointDir };

try {
  const source: Installation = { dataDir, masterKey, databaseUrl: await createDatabase(sourceName) };
  console.log('starting govproj serve on a fresh database (seeding the demo)…');
  const app = await startServer(source, { demo: true, checkpointSeconds: 1, env, startTimeoutMs: 300_000 });
  const token = await signInHttp(app.url, 'admin');

  // Writers: every acknowledged creation, with the time the answer came.
  const acked: Array<{ creditCode: string; at: number }> = [];
  let stop = false;
  let errors = 0;
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const prefix = `12100000D${w}${String(i).padStart(7, '0')}`;
      const creditCode = prefix + uniformSocialCreditCodeCheckChar(prefix);
      try {
        const res = await fetch(`${app.url}/api/v1/organizations`, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ parentId: null, name: `演练单位 ${w}-${i}`, kind: 'construction_unit', creditCode }),
        });
        await res.arrayBuffer();
        if (res.status === 201) acked.push({ creditCode, at: Date.now() });
        else errors++;
      } catch {
        if (!stop) errors++;
        return;
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  await sleep(BEFORE_MS);

  console.log('online backup while the writers run…');
  const backupStarted = Date.now();
  const ackedBeforeBackup = acked.length;
  const backup = await runCli({ ...source, dataDir }, ['backup', backupFile], 600_000);
  if (backup.code !== 0) throw new Error(`backup failed: ${backup.stderr}`);
  const backupMs = Date.now() - backupStarted;
  const ackedDuringBackup = acked.length - ackedBeforeBackup;
  await sleep(AFTER_MS);

  // The disaster: the server dies and its database is given up.
  const disasterAt = Date.now();
  stop = true; // what is cut off by the kill is not an error of the platform
  await app.kill9();
  await Promise.all(writers);
  console.log(`disaster: kill -9 after ${acked.length} acknowledged writes (${errors} failed requests before it)`);

  // Recovery.
  const recoveryStarted = Date.now();
  const target: Installation = { dataDir, masterKey, databaseUrl: await createDatabase(targetName) };
  const restore = await runCli(target, ['restore', backupFile], 600_000);
  if (restore.code !== 0) throw new Error(`restore failed: ${restore.stderr}`);
  const restoreMs = Date.now() - recoveryStarted;
  // Verify before anything writes to the restored database (operations.md §4): its next checkpoint
  // would reuse an id the checkpoint file already holds.
  const verifyStarted = Date.now();
  const verify = await runCli(target, ['audit', 'verify', '--json', '--checkpoint-dir', checkpointDir], 600_000);
  const verifyMs = Date.now() - verifyStarted;
  const startStarted = Date.now();
  // The witness file is the record of what the restore lost; the restored installation starts a new one.
  const restored = await startServer(target, { demo: false, checkpointSeconds: 0, env: { GOVPROJ_JOBS: 'off', GOVPROJ_CHECKPOINT_DIR: join(dataDir, 'checkpoints-after-restore') }, startTimeoutMs: 300_000 });
  const startMs = Date.now() - startStarted;
  const rtoMs = Date.now() - recoveryStarted; // restore + verify + start
  await restored.stop();
  const report = JSON.parse(verify.stdout) as {
    status: string; eventsChecked: number; checkpointsChecked: number;
    checkpointFile: { status: string; fileCheckpoints: number; matched: number; missingCheckpoints: number; eventsBehind: number; lastMatchedAt: string | null; lastFileAt: string | null; problems: string[] };
  };

  // The recovery point.
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  const present = new Set((await client.query<{ credit_code: string }>(`select credit_code from organizations where credit_code like '12100000D%'`)).rows.map((r) => r.credit_code));
  await client.end();
  const kept = acked.filter((a) => present.has(a.creditCode));
  const lost = acked.filter((a) => !present.has(a.creditCode));
  const lastKept = kept.reduce((m, a) => Math.max(m, a.at), 0);
  const rpoMs = disasterAt - lastKept;
  const backupBytes = statSync(backupFile).size;

  const figures = {
    date: new Date().toISOString(), writers: WRITERS, acknowledgedWrites: acked.length,
    backup: { ms: backupMs, bytes: backupBytes, writesAcknowledgedDuringBackup: ackedDuringBackup },
    recoveryPoint: { lostAcknowledgedWrites: lost.length, keptAcknowledgedWrites: kept.length, secondsBeforeDisaster: +(rpoMs / 1000).toFixed(1) },
    recoveryTime: { restoreMs, startMs, totalMs: rtoMs, verifyMs },
    auditVerify: { exit: verify.code, status: report.status, events: report.eventsChecked, checkpoints: report.checkpointsChecked },
    checkpointFile: report.checkpointFile,
  };
  console.log(JSON.stringify(figures, null, 2));
  const ok = verify.code === 0 && report.status === 'intact' && report.checkpointFile.status === 'intact'
    && lost.every((l) => l.at >= backupStarted);
  if (!ok) {
    console.error('DRILL FAILED: the restored log does not verify, or a write acknowledged before the backup began was lost');
    process.exitCode = 1;
  } else {
    console.log(`drill passed: RPO ${figures.recoveryPoint.secondsBeforeDisaster} s (${lost.length} acknowledged writes after the backup lost), RTO ${(rtoMs / 1000).toFixed(1)} s (restore, ${(verifyMs / 1000).toFixed(1)} s of verification, start)`);
  }
} finally {
  await killAllChildren();
  await dropDatabase(sourceName).catch(() => undefined);
  await dropDatabase(targetName).catch(() => undefined);
  removeDir(dataDir);
}
