// The national dataset of `npm run loadtest` (bench/loadtest.ts), kept in a named PostgreSQL
// database (govproj_load by default) so that re-runs reuse it: each step below checks what is
// already there and adds only what is missing.
//
//   1. migrations and the demo (fixed password and TOTP secret, as bench/run.ts);
//   2. 100,000 synthetic projects (`seedSynthetic`, the code path of `govproj seed --synthetic`);
//   3. 300,000 synthetic 政务信息系统 (`seedSyntheticSystems`, `govproj seed --synthetic-systems`);
//   4. 10,000,000 audit events, generated set-based in SQL: 100 events on the chain
//      `project:<id>` of each of 100,000 synthetic projects. They are REAL chain members, not a
//      separate synthetic set: each event's SM3 hash is computed inside PostgreSQL (pgcrypto's
//      digest(…, 'sm3'), OpenSSL's SM3) over exactly the canonical text src/audit/chain.ts hashes,
//      linked to its predecessor, and audit_chain_heads ends at each chain's last event, so the
//      platform's own writer appends after them and `verifyAuditLog` checks them like any other.
//      One INSERT … SELECT per sequence number (100 statements of 100,000 rows each): the chain's
//      next hash needs the previous one, so the chains advance together one step at a time; ids
//      therefore grow with seq inside every chain, as the verifier requires.
//
// The master key is fixed (derived from a public string): the dataset is synthetic and lives
// only on this benchmark server; a fixed key is what lets a re-run read the encrypted fields
// (TOTP secrets) it wrote before.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { GENESIS_HASH, hashAuditEvent, type AuditEventContent } from '../src/audit/chain.ts';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { openServices } from '../src/server.ts';
import type { Services } from '../src/services.ts';
import { SYNTHETIC_IMPORT_USERNAME, seedSynthetic } from '../src/usecases/seed-synthetic.ts';
import { seedSyntheticSystems } from '../src/usecases/seed-synthetic-systems.ts';
import { seedDemo } from '../src/usecases/seed-demo.ts';

export const LOAD_PASSWORD = 'Load-Passw0rd-2026';
export const LOAD_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const LOAD_MASTER_KEY = createHash('sha256').update('govproj loadtest dataset (synthetic, not a secret)').digest('hex');
export const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface DatasetTargets {
  projects: number;
  systems: number;
  /** Audit events generated on the synthetic projects' chains (on top of those the seeds write). */
  events: number;
  /** Events per project chain (events / eventsPerChain chains). */
  eventsPerChain: number;
}

export const FULL_DATASET: DatasetTargets = { projects: 100_000, systems: 300_000, events: 10_000_000, eventsPerChain: 100 };

export function databaseUrlFor(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the database when it is missing (with pgcrypto, for SM3 in SQL). */
export async function ensureDatabase(server: string, name: string, log: (m: string) => void): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name ${name} is not a plain identifier`);
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      log(`creating database ${name}`);
      await admin.query(`create database ${name}`);
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(server, name);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create extension if not exists pgcrypto');
  } finally {
    await c.end();
  }
  return url;
}

export function loadConfigFor(databaseUrl: string, extra: Record<string, string> = {}) {
  const dataDir = join(os.tmpdir(), 'govproj-loadtest-data');
  mkdirSync(dataDir, { recursive: true });
  return loadConfig({
    DATABASE_URL: databaseUrl,
    GOVPROJ_MASTER_KEY: LOAD_MASTER_KEY,
    GOVPROJ_DATA_DIR: dataDir,
    GOVPROJ_PASSWORD_COST: '14',
    GOVPROJ_CHECKPOINT_SECONDS: '0',
    GOVPROJ_DEMO_PASSWORD: LOAD_PASSWORD,
    GOVPROJ_DEMO_TOTP_SECRET: LOAD_TOTP,
    GOVPROJ_LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    ...extra,
  });
}

const count = async (services: Services, query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(services.database.db)).rows[0]!.n);

export async function syntheticProjectCount(services: Services): Promise<number> {
  return count(services, sql<{ n: string }>`select count(*) as n from projects p join users u on u.id = p.created_by where u.username = ${SYNTHETIC_IMPORT_USERNAME}`);
}

/** Brings the database to the targets; returns what it holds afterwards. */
export async function ensureDataset(services: Services, targets: DatasetTargets, log: (m: string) => void) {
  await migrate(services.database);
  if (await seedDemo(services)) log('seeded the demo');

  const haveProjects = await syntheticProjectCount(services);
  if (haveProjects < targets.projects) {
    log(`seeding ${targets.projects - haveProjects} synthetic projects (have ${haveProjects})`);
    let last = 0;
    const r = await seedSynthetic(services, {
      count: targets.projects - haveProjects, seed: 'loadtest',
      onProgress: ({ done, total, elapsedMs }) => {
        if (done < total && elapsedMs - last < 15_000) return;
        last = elapsedMs;
        log(`  projects ${done} / ${total} (${(elapsedMs / 1000).toFixed(0)} s)`);
      },
    });
    log(`  ${r.created} projects in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  }

  const haveSystems = await count(services, sql<{ n: string }>`select count(*) as n from government_systems`);
  if (haveSystems < targets.systems) {
    log(`seeding ${targets.systems - haveSystems} synthetic systems (have ${haveSystems})`);
    let last = 0;
    const r = await seedSyntheticSystems(services, {
      count: targets.systems - haveSystems, seed: 'loadtest',
      onProgress: ({ done, total, elapsedMs }) => {
        if (done < total && elapsedMs - last < 30_000) return;
        last = elapsedMs;
        log(`  systems ${done} / ${total} (${(elapsedMs / 1000).toFixed(0)} s)`);
      },
    });
    log(`  ${r.created} systems in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  }

  await generateAuditEvents(services, targets, log);
  return datasetCounts(services);
}

/**
 * Re-hashes every event of `chains` randomly chosen generated chains with the writer's own
 * function (src/audit/chain.ts) and checks the links, sequence numbers and id order: a quick
 * proof that the SQL generator wrote real chain members (`govproj audit verify` checks all).
 */
export async function spotCheckChains(services: Services, chains = 300): Promise<{ chains: number; events: number; mismatches: number }> {
  const db = services.database.db;
  const ids = (await sql<{ chain_id: string }>`select chain_id from audit_chain_heads where chain_id like 'project:%' and seq >= 2
    order by random() limit ${chains}`.execute(db)).rows.map((r) => r.chain_id);
  let events = 0;
  let mismatches = 0;
  for (const chain of ids) {
    const rows = await db.selectFrom('audit_events').selectAll().where('chain_id', '=', chain).orderBy('seq').execute();
    let prev = GENESIS_HASH;
    let prevId = -1n;
    for (const [i, r] of rows.entries()) {
      events++;
      const hash = hashAuditEvent({
        chainId: r.chain_id, seq: String(r.seq), prevHash: r.prev_hash.trim(), occurredAt: new Date(r.occurred_at).toISOString(),
        actorId: r.actor_id, actorUsername: r.actor_username, organizationId: r.organization_id, role: r.role, action: r.action,
        objectType: r.object_type, objectId: r.object_id, outcome: r.outcome as AuditEventContent['outcome'], diff: r.diff,
        requestId: r.request_id, clientAddress: r.client_address,
      });
      if (hash !== r.hash.trim() || r.prev_hash.trim() !== prev || String(r.seq) !== String(i + 1) || BigInt(r.id) <= prevId) mismatches++;
      prev = r.hash.trim();
      prevId = BigInt(r.id);
    }
  }
  return { chains: ids.length, events, mismatches };
}

/** What the database holds. */
export async function datasetCounts(services: Services) {
  const db = services.database.db;
  const totals = (await sql<{ projects: string; systems: string; events: string; chains: string }>`select
      (select count(*) from projects) as projects, (select count(*) from government_systems) as systems,
      (select count(*) from audit_events) as events, (select count(*) from audit_chain_heads) as chains`.execute(db)).rows[0]!;
  return { projects: Number(totals.projects), systems: Number(totals.systems), events: Number(totals.events), chains: Number(totals.chains) };
}

/** What generated events record as their action, by sequence number (the first is the creation). */
const ACTIONS = ['project.update', 'material.upload', 'project.update', 'material.download', 'project.document_download'];

/**
 * The generated events: `eventsPerChain` on each of the first events/eventsPerChain synthetic
 * projects' chains (ordered by id), advanced one sequence number at a time for all chains at once.
 * Resumable: a step only extends the chains whose head is at the previous number.
 */
async function generateAuditEvents(services: Services, targets: DatasetTargets, log: (m: string) => void) {
  const chains = Math.floor(targets.events / targets.eventsPerChain);
  if (chains === 0) return;
  const db = services.database.db;
  const run = (q: ReturnType<typeof sql>) => q.execute(db);
  // The chains: synthetic projects, first `chains` by id, with the project's construction unit.
  // Plain unlogged work tables (not temporary ones), so that several connections can share them.
  await run(sql`drop table if exists loadtest_chains, loadtest_actors`);
  await run(sql`create unlogged table loadtest_chains (n integer primary key, chain_id text not null unique, project_id uuid not null, organization_id uuid not null)`);
  await run(sql`insert into loadtest_chains
    select row_number() over (order by p.id), 'project:' || p.id, p.id, p.construction_unit_id
    from projects p join users u on u.id = p.created_by where u.username = ${SYNTHETIC_IMPORT_USERNAME}
    order by p.id limit ${chains}`);
  const have = Number((await sql<{ n: string }>`select count(*) as n from loadtest_chains`.execute(db)).rows[0]!.n);
  if (have < chains) throw new Error(`only ${have} synthetic projects for ${chains} generated audit chains`);
  // Who acts: the accounts that hold a role, each with one of its roles and organizations.
  await run(sql`create unlogged table loadtest_actors (n integer primary key, id uuid, username text, organization_id uuid, role text)`);
  await run(sql`insert into loadtest_actors
    select row_number() over (order by u.username) - 1, u.id, u.username,
      (select uo.organization_id from user_organizations uo where uo.user_id = u.id order by uo.organization_id limit 1),
      (select r.role_code from user_roles r where r.user_id = u.id order by r.role_code limit 1)
    from users u where exists (select 1 from user_roles r where r.user_id = u.id)`);
  const actors = Number((await sql<{ n: string }>`select count(*) as n from loadtest_actors`.execute(db)).rows[0]!.n);
  const done = Number((await sql<{ n: string }>`select count(*) as n from audit_chain_heads h join loadtest_chains c using (chain_id)
    where h.seq >= ${targets.eventsPerChain}`.execute(db)).rows[0]!.n);
  if (done < chains) {
    log(`generating ${targets.events.toLocaleString('en-US')} audit events in SQL: ${chains} project chains × ${targets.eventsPerChain} (SM3 in pgcrypto)`);
    // Bulk-load practice: the four secondary indexes of audit_events are dropped while the rows go
    // in and rebuilt by sort afterwards (minutes instead of an hour of scattered index inserts
    // with 128 MB of shared buffers). Their definitions are read from the migration, so a re-run
    // after an interruption rebuilds them too.
    for (const name of secondaryAuditIndexes().map((i) => i.name)) await run(sql`drop index if exists ${sql.id(name)}`);
    // Chains without a head start at the genesis, as the writer's upsert does.
    await run(sql`insert into audit_chain_heads (chain_id, seq, hash) select chain_id, 0, repeat('0', 64) from loadtest_chains on conflict (chain_id) do nothing`);
    const started = performance.now();
    // WORKERS connections, each advancing its own share of the chains (n % WORKERS).
    const WORKERS = 3;
    let events = 0;
    await Promise.all(Array.from({ length: WORKERS }, async (_, w) => {
      for (let k = 1; k <= targets.eventsPerChain; k++) {
        events += await generateStep(db, k, w, WORKERS, actors);
        if (w === 0 && (k % 5 === 0 || k === 1)) {
          log(`  step ${k} / ${targets.eventsPerChain} (${(events / ((performance.now() - started) / 1000)).toFixed(0)} events/s overall)`);
        }
      }
    }));
  }
  await run(sql`drop table loadtest_chains, loadtest_actors`);
  await rebuildAuditIndexes(db, log);
  if (done < chains) {
    log('  vacuum analyze audit_events, audit_chain_heads');
    await run(sql`vacuum (analyze) audit_events, audit_chain_heads`);
  }
}

/** Sequence number k on the chains n ≡ w (mod workers) whose head is at k − 1; returns the events written. */
async function generateStep(db: Kysely<DB>, k: number, w: number, workers: number, actors: number): Promise<number> {
  const action = (i: number) => ACTIONS[i % ACTIONS.length]!;
  // The event's fields, then its canonical text exactly as hashAuditEvent builds it:
  // 'govproj-audit-event-v1\n' + JSON.stringify([chainId, seq, prevHash, occurredAt, actorId,
  // actorUsername, organizationId, role, action, objectType, objectId, outcome, diff,
  // requestId, clientAddress]) with the diff's keys sorted and no spaces.
  const r = await sql<{ n: string }>`
    with src as (
      select c.chain_id, c.project_id, c.n as chain_n, h.seq + 1 as seq, btrim(h.hash) as prev_hash,
        date_trunc('milliseconds', timestamptz '2025-01-01 00:00:00+08' + (${k} - 1) * interval '3 days'
          + ((c.n * 7919) % 86400000) * interval '1 millisecond') as occurred_at,
        a.id as actor_id, a.username as actor_username, a.organization_id, a.role,
        case when ${k} = 1 then 'project.create'
          else (array[${sql.join(ACTIONS.map((_, i) => sql`${action(i)}::text`))}])[1 + ((c.n + ${k}) % ${ACTIONS.length})] end as action,
        md5(c.chain_id || ':' || ${k})::uuid::text as request_id,
        '10.' || (c.n % 250) || '.' || (${k} % 250) || '.' || (1 + (c.n + ${k}) % 250) as client_address
      from loadtest_chains c
      join audit_chain_heads h on h.chain_id = c.chain_id and h.seq = ${k - 1}
      join loadtest_actors a on a.n = (c.n + ${k}) % ${actors}
      where c.n % ${workers} = ${w}
    ),
    ev as (
      select s.*,
        case when s.action = 'project.update' then '{"after":{"remark":' || to_json('第' || s.seq || '次修改：年度绩效与进度更新')::text || '}}' end as diff_text
      from src s
    ),
    hashed as (
      select e.*, encode(digest(convert_to('govproj-audit-event-v1' || chr(10) || '[' || concat_ws(',',
        to_json(e.chain_id)::text, to_json(e.seq::text)::text, to_json(e.prev_hash)::text,
        to_json(to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text,
        coalesce(to_json(e.actor_id::text)::text, 'null'), coalesce(to_json(e.actor_username)::text, 'null'),
        coalesce(to_json(e.organization_id::text)::text, 'null'), coalesce(to_json(e.role)::text, 'null'),
        to_json(e.action)::text, '"project"', to_json(e.project_id::text)::text, '"success"',
        coalesce(e.diff_text, 'null'), to_json(e.request_id)::text, to_json(e.client_address)::text) || ']', 'UTF8'), 'sm3'), 'hex') as hash
      from ev e
    ),
    ins as (
      insert into audit_events (chain_id, seq, prev_hash, hash, occurred_at, actor_id, actor_username, organization_id, role,
        action, object_type, object_id, outcome, diff, request_id, client_address)
      select chain_id, seq, prev_hash, hash, occurred_at, actor_id, actor_username, organization_id, role,
        action, 'project', project_id::text, 'success', diff_text::jsonb, request_id, client_address
      from hashed order by chain_n
      returning chain_id, seq, hash
    )
    update audit_chain_heads h set seq = ins.seq, hash = ins.hash from ins where h.chain_id = ins.chain_id
    returning 1 as n`.execute(db);
  return r.rows.length;
}

/** The non-unique indexes of audit_events, as the foundation migration creates them. */
function secondaryAuditIndexes(): Array<{ name: string; statement: string }> {
  const text = readFileSync(fileURLToPath(new URL('../src/db/migrations/20261126T1900_foundation.sql', import.meta.url)), 'utf8');
  const found = [...text.matchAll(/create index (audit_events_\w+) on audit_events \([^;]*\);/g)].map((m) => ({ name: m[1]!, statement: m[0] }));
  if (found.length !== 4) throw new Error(`expected the 4 secondary indexes of audit_events in the foundation migration, found ${found.length}`);
  return found;
}

async function rebuildAuditIndexes(conn: Kysely<DB>, log: (m: string) => void) {
  const present = new Set((await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'audit_events'`.execute(conn)).rows.map((r) => r.indexname));
  const missing = secondaryAuditIndexes().filter((i) => !present.has(i.name));
  if (missing.length === 0) return;
  await sql`set maintenance_work_mem = '512MB'`.execute(conn);
  for (const i of missing) {
    const t0 = performance.now();
    await sql.raw(i.statement.replace('create index', 'create index if not exists')).execute(conn);
    log(`  rebuilt ${i.name} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  await sql`reset maintenance_work_mem`.execute(conn);
}

/** Standalone: `node bench/loadtest-data.ts [--database govproj_load]` prepares the dataset only. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { database: { type: 'string', default: 'govproj_load' }, small: { type: 'boolean', default: false } } });
  const log = (m: string) => console.log(`[data ${new Date().toISOString().slice(11, 19)}] ${m}`);
  const url = await ensureDatabase(process.env.DATABASE_URL ?? DEFAULT_SERVER, values.database!, log);
  const services = await openServices(loadConfigFor(url));
  try {
    const targets = values.small ? { projects: 2000, systems: 3000, events: 20_000, eventsPerChain: 10 } : FULL_DATASET;
    log(JSON.stringify(await ensureDataset(services, targets, log)));
  } finally {
    await services.database.close();
  }
}
