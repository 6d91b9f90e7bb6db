// `npm run bench`: throughput and latency ratios of the API on this machine, measured within
// one run (absolute numbers on a shared 2-core machine are noise; ratios within a run are not).
//
//   npm run bench                    PGlite in a temporary data directory (the default install)
//   npm run bench -- --postgres      a fresh database on DATABASE_URL's server, or on
//                                    postgres://postgres@127.0.0.1:5432/postgres
//   options: --duration 10 --warmup 1 --connections 10 --events N (20000; 10000 on PGlite)
//            --chains 1000 --in-process-seconds 3 --pglite (even with DATABASE_URL) --no-doc
//            --projects N (synthetic portfolio: 100000 on PostgreSQL, 0 = none; PGlite only when given)
//            --decisions N (submit → decide iterations per side: 150)
//            --systems N (the catalog at scale, bench/catalog.ts: 300000 on PostgreSQL, 0 = none)
//            --only catalog (PostgreSQL: only the catalog part; rewrites only its section of the doc)
//            --only obligations (PostgreSQL: only the compliance sweep, bench/obligations.ts, on the
//            synthetic portfolio and catalog, seeded first when missing; rewrites only its section)
//            --only dashboard (PostgreSQL: only the dashboard charts, bench/dashboard.ts, on the synthetic
//            portfolio seeded first when missing, vs the bare route in the same run; --connections
//            defaults to 1 here: a dashboard's latency, not a crowd's; rewrites only its section)
//            --database NAME (PostgreSQL: this database on the server, created when missing and kept
//            afterwards, so a re-run with --only skips the seeding; default a fresh one, dropped)
// This process runs the platform (buildApp + listen on 127.0.0.1); a forked bench/load.ts
// runs autocannon against it, so the load generator never shares the server's event loop.
// Any non-2xx response, connection error or timeout fails the run: a benchmark of errors is
// worthless. Results go to the terminal and to this backend's section of docs/benchmarks.md.
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createCheckpoint } from '../src/audit/checkpoint.ts';
import { verifyAuditLog } from '../src/audit/verifier.ts';
import { appendAuditEvent } from '../src/audit/writer.ts';
import { loadConfig } from '../src/config.ts';
import { base32Decode, totpAt } from '../src/crypto/totp.ts';
import { migrate } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { openServices } from '../src/server.ts';
import type { Services } from '../src/services.ts';
import type { Actor } from '../src/usecases/actor.ts';
import { resolveSession } from '../src/usecases/auth.ts';
import { createOrganization, updateOrganization } from '../src/usecases/organizations.ts';
import { seedDemo } from '../src/usecases/seed-demo.ts';
import { benchCreditCode, httpJson, type FromLoad, type LoadResult, type LoadSpec } from './protocol.ts';
import { catalogSection } from './catalog.ts';
import { obligationsSection, writeObligationsSection } from './obligations.ts';
import { dashboardSection, writeDashboardSection } from './dashboard.ts';
import { portfolioSection } from './portfolio.ts';
import {
  consoleCatalog, consoleSummary, docSkeleton, writeCatalogSection, writeDocSection,
  type AuditFigures, type CatalogFigures, type PortfolioFigures, type Ratio, type Row, type RunReport,
} from './report.ts';

const DEMO_PASSWORD = 'Bench-Passw0rd-2026';
const DEMO_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const DEFAULT_PG_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
/** Columns the organization use cases return; the raw statements return the same. */
const ORG_COLUMNS = ['id', 'parent_id', 'name', 'name_en', 'kind', 'credit_code', 'division_code', 'version', 'created_at'] as const;

class BenchFailure extends Error {
  override name = 'BenchFailure';
}

// ——— options ———

const { values: opts } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    pglite: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string' },
    events: { type: 'string' },
    chains: { type: 'string', default: '1000' },
    'in-process-seconds': { type: 'string', default: '3' },
    projects: { type: 'string' },
    decisions: { type: 'string', default: '150' },
    systems: { type: 'string' },
    only: { type: 'string' },
    database: { type: 'string' },
    'no-doc': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 19).join('\n').replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}
const positiveInt = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BenchFailure(`--${name} must be a positive integer, got ${value}`);
  return n;
};
const DURATION = positiveInt('duration', opts.duration);
const WARMUP = Number(opts.warmup);
const CONNECTIONS = positiveInt('connections', opts.connections ?? (opts.only === 'dashboard' ? '1' : '10'));

const CHAINS = positiveInt('chains', opts.chains);
const IN_PROCESS_SECONDS = Number(opts['in-process-seconds']);
/** Organizations in the table for the large-table probe. */
const BIG_TABLE = 5000;
const BACKEND: 'pglite' | 'postgresql' = opts.pglite ? 'pglite' : opts.postgres || process.env.DATABASE_URL ? 'postgresql' : 'pglite';
// PGlite appends only a few hundred audit events per second here (one connection, every
// statement parsed and planned anew), so its default N keeps the run under three minutes.
const EVENTS = positiveInt('events', opts.events ?? (BACKEND === 'pglite' ? '10000' : '20000'));
/** The synthetic portfolio (bench/portfolio.ts): on PostgreSQL by default; on PGlite only when asked for. */
const PROJECTS = opts.projects === '0' ? 0 : opts.projects !== undefined ? positiveInt('projects', opts.projects) : BACKEND === 'postgresql' ? 100_000 : 0;
const DECISIONS = opts.decisions === '0' ? 0 : positiveInt('decisions', opts.decisions);
/** The catalog at scale (bench/catalog.ts): PostgreSQL only. */
const SYSTEMS = opts.systems === '0' ? 0 : opts.systems !== undefined ? positiveInt('systems', opts.systems) : 300_000;
if (opts.only !== undefined && opts.only !== 'catalog' && opts.only !== 'obligations' && opts.only !== 'dashboard') {
  throw new BenchFailure(`--only takes "catalog", "obligations" or "dashboard", got ${opts.only}`);
}
/** p95 latency the project list and detail must stay under (issue 3). */
const TARGET_P95_MS = 100;

// ——— helpers ———

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function machine(): RunReport['machine'] {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const models = [...cpuinfo.matchAll(/^model name\s*:\s*(.+)$/gm)].map((m) => m[1]!.trim());
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo)?.[1];
  const memKb = Number(/^MemTotal:\s*(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return {
    nproc: os.availableParallelism(),
    cpu: `${models[0] ?? os.cpus()[0]?.model ?? 'unknown'}${mhz ? ` @ ${Math.round(Number(mhz))} MHz` : ''}`,
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    kernel: os.release(),
    loadavg: os.loadavg().map((l) => l.toFixed(2)).join(' / '),
  };
}

function packageVersion(name: string): string {
  const file = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

interface InProcessCase {
  /** Called from `workers` concurrent loops; each call is one timed operation. */
  op: (worker: number) => Promise<void>;
  /** Untimed housekeeping after each slice (e.g. deleting rows a raw INSERT made). */
  after?: () => Promise<void>;
}

interface Measured { perSec: number; count: number; p50: number; p97_5: number; p99: number }

/**
 * Times in-process cases from `workers` concurrent loops. Cases that are compared with each
 * other run interleaved, in `rounds` slices of `seconds / rounds` each (after a 0.5 s warm-up
 * of each), so that a burst of load from elsewhere on the machine hits all of them alike.
 */
async function inProcess(workers: number, seconds: number, rounds: number, cases: InProcessCase[]): Promise<Measured[]> {
  const loop = async (op: InProcessCase['op'], worker: number, until: number, latencies: number[] | null) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      await op(worker);
      latencies?.push(performance.now() - t0);
    }
  };
  const slice = async (c: InProcessCase, ms: number, latencies: number[] | null) => {
    const started = performance.now();
    await Promise.all(Array.from({ length: workers }, (_, w) => loop(c.op, w, started + ms, latencies)));
    const elapsed = performance.now() - started;
    await c.after?.();
    return elapsed;
  };
  for (const c of cases) await slice(c, 500, null);
  const latencies = cases.map(() => [] as number[]);
  const elapsed = cases.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of cases.entries()) elapsed[i]! += await slice(c, (seconds * 1000) / rounds, latencies[i]!);
  }
  return cases.map((_, i) => {
    const l = latencies[i]!.sort((a, b) => a - b);
    return { perSec: l.length / (elapsed[i]! / 1000), count: l.length, p50: percentile(l, 50), p97_5: percentile(l, 97.5), p99: percentile(l, 99) };
  });
}

/**
 * The SQL statements `fn` sends to the database (BEGIN and COMMIT included), counted by
 * wrapping the drivers' query methods (node-postgres, PGlite) while it runs. Used once per case,
 * outside every timed phase.
 */
async function countStatements(fn: () => Promise<unknown>): Promise<number> {
  type Method = (...args: unknown[]) => unknown;
  const patched: Array<{ owner: Record<string, Method>; name: string; original: Method }> = [];
  let count = 0;
  for (const [proto, names] of [[pg.Client.prototype, ['query']], [PGlite.prototype, ['query', 'exec']]] as const) {
    for (const name of names) {
      let owner: object | null = proto;
      while (owner && !Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner) as object | null;
      if (!owner) continue;
      const o = owner as Record<string, Method>;
      const original = o[name]!;
      o[name] = function (this: unknown, ...args: unknown[]) {
        count++;
        return original.apply(this, args);
      };
      patched.push({ owner: o, name, original });
    }
  }
  try {
    await fn();
  } finally {
    for (const p of patched) p.owner[p.name] = p.original;
  }
  return count;
}

// ——— the load generator process ———

class LoadGenerator {
  #child: ChildProcess;
  #pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  ready: Promise<void>;

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => ((markReady = resolve), (failReady = reject)));
    this.#child.on('message', (m: FromLoad) => {
      if ('ready' in m) return markReady();
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if ('error' in m) p?.reject(new BenchFailure(`load generator failed: ${m.error}`));
      else p?.resolve(m.result);
    });
    this.#child.on('exit', (code, signal) => {
      const err = new BenchFailure(`load generator exited (code ${code}, signal ${signal})`);
      failReady(err);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    });
  }

  run(spec: LoadSpec): Promise<LoadResult> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, spec });
    });
  }

  /** Closes the channel; the child then has nothing left and exits. */
  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.#child.once('exit', () => r()));
    if (this.#child.connected) this.#child.disconnect();
    const timer = setTimeout(() => this.#child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** A load result that contains anything but 2xx responses is a failed benchmark. */
function assertClean(r: LoadResult) {
  if (r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && r.total > 0) return;
  const codes = Object.entries(r.statusCodes).map(([c, n]) => `${c}×${n}`).join(', ') || 'none';
  throw new BenchFailure(
    `"${r.title}": ${r.non2xx} non-2xx responses (warm-up included), ${r.errors} errors, ${r.timeouts} timeouts; ` +
      `the measured window had ${r.total} responses (status codes: ${codes})` +
      (r.firstFailure ? `\n  first failure: HTTP ${r.firstFailure.status} ${r.firstFailure.body}` : ''),
  );
}

// ——— the platform under test ———

interface Platform {
  services: Services;
  origin: string;
  backendDetail: string;
  /** The benchmark database's connection string (PostgreSQL); null on PGlite. */
  databaseUrl: string | null;
  close(): Promise<void>;
}

function masterKeyForKeptDatabase(): string {
  const key = process.env.GOVPROJ_MASTER_KEY;
  if (!key) throw new BenchFailure('--database needs GOVPROJ_MASTER_KEY: the kept database is read again by later runs under the same key');
  return key;
}

async function startPlatform(): Promise<Platform & { app: Awaited<ReturnType<typeof buildApp>> }> {
  let dropDatabase: (() => Promise<void>) | null = null;
  let databaseUrl: string | undefined;
  let backendDetail: string;
  if (BACKEND === 'postgresql') {
    // A fresh database on the server, as test/support/db.ts does; never the one DATABASE_URL names.
    const server = process.env.DATABASE_URL ?? DEFAULT_PG_SERVER;
    const keep = opts.database !== undefined;
    if (keep && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.database!)) throw new BenchFailure(`--database must be a plain lower-case identifier, got ${opts.database}`);
    const name = opts.database ?? `govproj_bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect().catch((err: unknown) => {
      const where = new URL(server);
      throw new BenchFailure(`cannot reach the PostgreSQL server at ${where.host} (${(err as Error).message}); start it, or set DATABASE_URL`);
    });
    const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    if (!exists) await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    if (!keep) dropDatabase = async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
    url.password = '';
    backendDetail = `PostgreSQL ${version} at ${url.host} (${keep ? `database ${name}, ${exists ? 'reused' : 'created'} and kept` : `fresh database ${name}, dropped afterwards`}), node-postgres pool of 10`;
  } else {
    backendDetail = `PGlite ${packageVersion('@electric-sql/pglite')} (PostgreSQL compiled to WASM, in the server process) on disk in a temporary data directory`;
  }
  const dataDir = mkdtempSync(join(os.tmpdir(), 'govproj-bench-'));
  // The configuration of test/support/db.ts: scrypt cost 14, no checkpoint timer, a fixed demo.
  const config = loadConfig({
    // A kept database stays readable by the next run only under the same key (encrypted fields).
    GOVPROJ_MASTER_KEY: opts.database ? masterKeyForKeptDatabase() : randomBytes(32).toString('hex'),
    GOVPROJ_DATA_DIR: dataDir,
    GOVPROJ_PASSWORD_COST: '14',
    GOVPROJ_CHECKPOINT_SECONDS: '0',
    GOVPROJ_DEMO_PASSWORD: DEMO_PASSWORD,
    GOVPROJ_DEMO_TOTP_SECRET: DEMO_TOTP,
    GOVPROJ_LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  let services: Services | null = null;
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  const close = async () => {
    await app?.close().catch((e: unknown) => console.error('closing the app:', e));
    await services?.database.close().catch((e: unknown) => console.error('closing the database:', e));
    await dropDatabase?.().catch((e: unknown) => console.error('dropping the benchmark database:', e));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    services = await openServices(config);
    await migrate(services.database);
    if (!(await seedDemo(services)) && !opts.database) throw new BenchFailure('the fresh database was already seeded');
    app = await buildApp(services, { logger: false });
    // The reference: a route of the same app instance (same hooks: security headers etc.), no database.
    app.get('/bench/bare', async () => ({ ok: true, service: 'govproj', bench: 'bare' }));
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new BenchFailure('the server has no TCP address');
    return { services, app, origin: `http://127.0.0.1:${address.port}`, backendDetail, databaseUrl: databaseUrl ?? null, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function login(origin: string, username: string, totp: boolean): Promise<string> {
  const res = await httpJson(origin, 'POST', '/api/v1/auth/login', {}, {
    username, password: DEMO_PASSWORD,
    ...(totp ? { totp: totpAt(base32Decode(DEMO_TOTP), Math.floor(Date.now() / 1000)) } : {}),
  });
  if (res.status !== 200) throw new BenchFailure(`sign-in as ${username} failed: HTTP ${res.status} ${res.text}`);
  return (JSON.parse(res.text) as { token: string }).token;
}

async function api<T>(origin: string, token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; bytes: number; json: T }> {
  const res = await httpJson(origin, method, path, token ? { authorization: `Bearer ${token}` } : {}, body);
  if (res.status < 200 || res.status >= 300) throw new BenchFailure(`${method} ${path}: HTTP ${res.status} ${res.text}`);
  return { status: res.status, bytes: Buffer.byteLength(res.text), json: JSON.parse(res.text) as T };
}

async function countOrganizations(services: Services): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from organizations`.execute(services.database.db);
  return Number(r.rows[0]!.n);
}

// ——— 3. the audit chain ———

async function auditSection(services: Services, adminActor: Actor) {
  const { db } = services.database;
  // Events like those of an organization edit, interleaved over CHAINS chains; four writers,
  // 500 events per transaction.
  const objectIds = Array.from({ length: CHAINS }, () => randomUUID());
  const writers = 4;
  const perTx = 500;
  const started = performance.now();
  // Chain c belongs to writer c % writers: a transaction holds the head rows of the chains it
  // appended to until it commits, so writers sharing chains would deadlock each other.
  const byWriter = Array.from({ length: writers }, () => [] as number[]);
  for (let i = 0; i < EVENTS; i++) byWriter[(i % CHAINS) % writers]!.push(i);
  await Promise.all(byWriter.map(async (mine) => {
    for (let b = 0; b < mine.length; b += perTx) {
      await db.transaction().execute(async (trx) => {
        for (const i of mine.slice(b, b + perTx)) {
          const chain = i % CHAINS;
          await appendAuditEvent(trx, {
            actor: { id: adminActor.userId, username: adminActor.username, organizationId: adminActor.organizationIds[0] ?? null, role: 'admin' },
            action: 'organization.update', objectType: 'organization', objectId: objectIds[chain]!, outcome: 'success',
            diff: { before: { name: `基准测试机构 ${chain} 第${i}版`, version: i }, after: { name: `基准测试机构 ${chain} 第${i + 1}版`, version: i + 1 } },
            requestId: randomUUID(), clientAddress: '127.0.0.1',
          });
        }
      });
    }
  }));
  const appendPerSec = EVENTS / ((performance.now() - started) / 1000);
  const checkpoint = await createCheckpoint(services.database, services.keys.checkpoint);
  const checkpoints = checkpoint ? 1 : 0;

  // The verifier's own row query (same SQL, same batches), without any checking.
  type Fetched = Record<string, unknown> & { chain_id: string; seq: string };
  const fetchAll = async (each: (rows: Fetched[]) => void) => {
    let after: { chain: string; seq: string } | null = null;
    let count = 0;
    for (;;) {
      const batch: Fetched[] = (await sql<Fetched>`
        select id, chain_id, seq, prev_hash, hash, occurred_at, actor_id, actor_username, organization_id, role, action,
               object_type, object_id, outcome, diff, request_id, client_address
        from audit_events
        where ${after === null ? sql`true` : sql`(chain_id, seq) > (${after.chain}, ${after.seq}::bigint)`}
        order by chain_id, seq limit 5000`.execute(db)).rows;
      if (batch.length === 0) return count;
      count += batch.length;
      each(batch);
      const last: Fetched = batch[batch.length - 1]!;
      after = { chain: last.chain_id, seq: last.seq };
    }
  };
  // Raw SM3 over (approximately) the bytes the verifier hashes: the JSON of each row.
  const texts: string[] = [];
  await fetchAll((batch) => { for (const r of batch) texts.push(JSON.stringify(r)); });
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);

  // Interleaved rounds, so that load from elsewhere on the machine hits all three alike.
  const verifyMs: number[] = [];
  const fetchMs: number[] = [];
  const sm3Ms: number[] = [];
  let verified = { events: 0, chains: 0 };
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    let t0 = performance.now();
    const report = await verifyAuditLog(db, services.keys.checkpoint.publicKey);
    verifyMs.push(performance.now() - t0);
    if (report.status !== 'intact') throw new BenchFailure(`the audit log does not verify: ${JSON.stringify(report.problems.slice(0, 3))}`);
    verified = { events: report.eventsChecked, chains: report.chainsChecked };
    t0 = performance.now();
    await fetchAll(() => {});
    fetchMs.push(performance.now() - t0);
    t0 = performance.now();
    for (const t of texts) sink ^= createHash('sm3').update(t, 'utf8').digest().readUInt8(0);
    sm3Ms.push(performance.now() - t0);
  }
  if (sink < 0) console.log(sink); // keeps the hashing observable
  const verify = { ...verified, ms: median(verifyMs) };
  if (verify.events !== texts.length) throw new BenchFailure(`the verifier checked ${verify.events} events, the row query returned ${texts.length}`);

  const figures: Omit<AuditFigures, 'finalEvents' | 'finalStatus' | 'finalMs'> = {
    appended: EVENTS,
    events: verify.events,
    chains: verify.chains,
    appendPerSec,
    verifyPerSec: verify.events / (verify.ms / 1000),
    verifyMs: verify.ms,
    fetchOnlyPerSec: texts.length / (median(fetchMs) / 1000),
    sm3PerSec: texts.length / (median(sm3Ms) / 1000),
    sm3MBPerSec: bytes / 1e6 / (median(sm3Ms) / 1000),
    bytes,
    checkpoints,
  };
  return figures;
}

/** The portfolio's list and detail ÷ the bare route, and the submit → decide use case ÷ its raw statements. */
function portfolioRatios(rows: Row[], bare: number, figures: PortfolioFigures): Ratio[] {
  const out: Ratio[] = rows.filter((r) => r.section === 'portfolio' && r.key !== 'bare3').map((r) => ({
    label: `${r.title} ÷ bare`, value: r.perSec / bare,
    reading: `bare route is ${(bare / r.perSec).toFixed(1)}× the req/s; p95 ${r.exact?.p95.toFixed(1)} ms`,
  }));
  const d = figures.decide;
  if (d) {
    out.push({
      label: 'submit → sign → accept → approve: takeAction() ÷ the same statements raw (iterations/s)', value: d.useCase.perSec / d.raw.perSec,
      reading: `the raw statements have ${(d.raw.perSec / d.useCase.perSec).toFixed(1)}× the throughput; p50 ${d.useCase.p50.toFixed(1)} ms vs ${d.raw.p50.toFixed(1)} ms per iteration of ${d.statements} statements`,
    });
  }
  return out;
}

// ——— main ———

async function main(): Promise<number> {
  const t0 = performance.now();
  const date = new Date().toISOString();
  const host = machine();
  log(`backend ${BACKEND}; ${host.nproc} CPUs (${host.cpu}); Node ${process.versions.node}`);
  const platform = await startPlatform();
  const { services, origin } = platform;
  const load = new LoadGenerator();
  const rows: Row[] = [];
  try {
    await load.ready;
    const adminToken = await login(origin, 'admin', true);
    const auditorToken = await login(origin, 'auditor', false);
    const adminActor = await resolveSession(services, adminToken, { requestId: null, clientAddress: '127.0.0.1', userAgent: 'bench' });
    if (!adminActor) throw new BenchFailure('the admin session does not resolve');
    log(`server at ${origin}; signed in as admin (TOTP) and auditor`);

    const runCatalog = async (): Promise<CatalogFigures | null> => {
      if (BACKEND !== 'postgresql' || SYSTEMS === 0 || !platform.databaseUrl) return null;
      const c0 = performance.now();
      const figures = await catalogSection({
        services, databaseUrl: platform.databaseUrl, common: { duration: DURATION, warmup: WARMUP, connections: CONNECTIONS }, systems: SYSTEMS,
        targetP95: TARGET_P95_MS, log, fail: (message) => { throw new BenchFailure(message); },
        load: async (spec) => {
          const r = await load.run(spec);
          assertClean(r);
          await sleep(500);
          return r;
        },
        login: (u, totp) => login(origin, u, totp), countStatements,
      });
      figures.date = new Date().toISOString();
      figures.totalSeconds = (performance.now() - c0) / 1000;
      figures.machine = `${host.nproc} CPUs (${host.cpu}), ${host.memory} RAM; load average ${host.loadavg} at start of the run, ${machine().loadavg} at end; Node ${process.versions.node}; ${platform.backendDetail}`;
      figures.settings = `autocannon in a forked process, ${CONNECTIONS} connections, pipelining 1, ${WARMUP} s warm-up + ${DURATION} s per HTTP case; in-process and SQL cases sequential, one query at a time`;
      console.log(`\n${consoleCatalog(figures)}\n`);
      if (!opts['no-doc']) {
        writeCatalogSection(DOC, figures);
        log('wrote the catalog section of docs/benchmarks.md');
      }
      return figures;
    };
    // The compliance sweep (bench/obligations.ts): PostgreSQL, 100,000 projects and 300,000 systems.
    const runObligations = async () => {
      if (BACKEND !== 'postgresql') return null;
      const figures = await obligationsSection({ services, projects: PROJECTS || 100_000, systems: SYSTEMS || 300_000, log });
      figures.machine = `${host.nproc} CPUs (${host.cpu}), ${host.memory} RAM; load average ${machine().loadavg}; Node ${process.versions.node}; ${platform.backendDetail}`;
      if (!opts['no-doc']) {
        writeObligationsSection(DOC, figures);
        log('wrote the compliance sweep section of docs/benchmarks.md');
      }
      return figures;
    };
    // The dashboard charts (bench/dashboard.ts): PostgreSQL, 100,000 projects, vs the bare route.
    if (opts.only === 'dashboard') {
      if (BACKEND !== 'postgresql') throw new BenchFailure('--only dashboard needs PostgreSQL (--postgres)');
      const figures = await dashboardSection({
        services, projects: PROJECTS || 100_000, origin, log,
        tokens: { all: await login(origin, 'ndrc', true), scoped: await login(origin, 'approver', true) },
        common: { duration: DURATION, warmup: WARMUP, connections: CONNECTIONS },
        load: async (spec) => {
          const r = await load.run(spec);
          assertClean(r);
          await sleep(500);
          return r;
        },
      });
      figures.machine = `${host.nproc} CPUs (${host.cpu}), ${host.memory} RAM; load average ${host.loadavg} at start of the run, ${machine().loadavg} at end; Node ${process.versions.node}; ${platform.backendDetail}`;
      if (!opts['no-doc']) {
        writeDashboardSection(DOC, figures);
        log('wrote the dashboard section of docs/benchmarks.md');
      }
      return 0;
    }
    if (opts.only === 'obligations') {
      if (BACKEND !== 'postgresql') throw new BenchFailure('--only obligations needs PostgreSQL (--postgres)');
      await runObligations();
      return 0;
    }
    if (opts.only === 'catalog') {
      if (BACKEND !== 'postgresql') throw new BenchFailure('--only catalog needs PostgreSQL (--postgres)');
      await runCatalog();
      return 0;
    }

    // Part 3 (the audit chain) first, so that the log holds exactly the events asked for plus the demo's.
    log(`audit: appending ${EVENTS} events over ${CHAINS} chains, then verifying`);
    const audit = await auditSection(services, adminActor);
    log(`audit: verifyAuditLog ${Math.round(audit.verifyPerSec)} events/s, raw SM3 ${Math.round(audit.sm3PerSec)} events/s`);

    const common = { origin, duration: DURATION, warmup: WARMUP, connections: CONNECTIONS };
    const http = async (key: string, section: Row['section'], spec: LoadSpec, note: string) => {
      log(`HTTP ${spec.title}: ${WARMUP} s warm-up + ${DURATION} s, ${CONNECTIONS} connections`);
      const r = await load.run(spec);
      assertClean(r);
      rows.push({
        key, section, title: spec.title, via: 'HTTP', perSec: r.requestsPerSec, p50: r.latencyMs.p50, p97_5: r.latencyMs.p97_5, p99: r.latencyMs.p99,
        count: r.total, note, exact: { p50: r.exact.p50, p95: r.exact.p95, p99: r.exact.p99 },
      });
      log(`  ${Math.round(r.requestsPerSec)} req/s, p50 ${r.exact.p50.toFixed(1)} ms, p95 ${r.exact.p95.toFixed(1)} ms, p99 ${r.exact.p99.toFixed(1)} ms`);
      await sleep(500); // let requests still in flight finish before the next case
      return r;
    };
    const local = async (pairs: Array<{ key: string; title: string; note: string } & InProcessCase>) => {
      log(`in-process ${pairs.map((p) => p.title).join(' | ')}: ${IN_PROCESS_SECONDS} s each, interleaved in 3 rounds, ${CONNECTIONS} concurrent callers`);
      const measured = await inProcess(CONNECTIONS, IN_PROCESS_SECONDS, pairs.length > 1 ? 3 : 1, pairs);
      return measured.map((m, i) => {
        const p = pairs[i]!;
        rows.push({ key: p.key, section: 'write', title: p.title, via: 'in-process', ...m, note: p.note });
        log(`  ${p.title}: ${Math.round(m.perSec)} ops/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms`);
        return m;
      });
    };

    // ——— 1. reads vs the bare route ———
    const bareProbe = await api(origin, null, 'GET', '/bench/bare');
    const orgsProbe = await api<{ items: unknown[] }>(origin, auditorToken, 'GET', '/api/v1/organizations');
    const usersProbe = await api<{ items: unknown[]; total: number }>(origin, auditorToken, 'GET', '/api/v1/users?page=1&pageSize=20');
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    await http('bare1', 'read', { ...common, kind: 'get', title: 'GET /bench/bare', path: '/bench/bare', headers: {} },
      `no database; ${bareProbe.bytes} B`);
    await http('orgs', 'read', { ...common, kind: 'get', title: 'GET /api/v1/organizations (auditor)', path: '/api/v1/organizations', headers: bearer(auditorToken) },
      `${orgsProbe.json.items.length} organizations, ${(orgsProbe.bytes / 1024).toFixed(1)} KiB`);
    await http('users', 'read', { ...common, kind: 'get', title: 'GET /api/v1/users?page=1&pageSize=20 (auditor)', path: '/api/v1/users?page=1&pageSize=20', headers: bearer(auditorToken) },
      `${usersProbe.json.items.length} of ${usersProbe.json.total} users, ${(usersProbe.bytes / 1024).toFixed(1)} KiB`);

    // ——— 2. writes: HTTP vs bare, and vs the same statement sent raw ———
    // Organizations that only the benchmark edits: a root and 2 per connection.
    const { db } = services.database;
    const root = await api<{ id: string }>(origin, adminToken, 'POST', '/api/v1/organizations', {
      parentId: null, name: '基准测试根机构', nameEn: 'Benchmark root', kind: 'construction_unit', creditCode: benchCreditCode('E', 0), divisionCode: '110108',
    });
    const targets: Array<{ id: string; version: number }> = [];
    for (let i = 1; i <= 2 * CONNECTIONS; i++) {
      const o = await api<{ id: string; version: number }>(origin, adminToken, 'POST', '/api/v1/organizations', {
        parentId: root.json.id, name: `基准测试机构 ${i}`, nameEn: `Benchmark organization ${i}`, kind: 'construction_unit',
        creditCode: benchCreditCode('E', i), divisionCode: '110108',
      });
      targets.push({ id: o.json.id, version: o.json.version });
    }
    const orgCount = async () => `${await countOrganizations(services)} organizations in the table`;

    // How many SQL statements one operation of each case sends (the second of two, so that a
    // once-a-minute session touch does not count), on an organization outside the rotation.
    const probe = await api<{ id: string; version: number }>(origin, adminToken, 'POST', '/api/v1/organizations', {
      parentId: root.json.id, name: '基准测试计数机构', nameEn: 'Benchmark statement counting', kind: 'construction_unit',
      creditCode: benchCreditCode('H', 0), divisionCode: '110108',
    });
    let probeVersion = probe.json.version;
    let probeSeq = 1;
    const inject = async (method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, payload?: object, headers: Record<string, string> = {}) => {
      const res = await platform.app.inject({ method, url, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new BenchFailure(`counting statements: ${method} ${url}: HTTP ${res.statusCode} ${res.body}`);
      return res;
    };
    const probeInput = () => ({
      parentId: root.json.id, name: `基准测试计数新建 ${probeSeq}`, nameEn: '', kind: 'construction_unit' as const,
      creditCode: benchCreditCode('H', probeSeq++), divisionCode: '110108',
    });
    const counted: Record<string, () => Promise<unknown>> = {
      bare: () => inject('GET', '/bench/bare', null),
      orgs: () => inject('GET', '/api/v1/organizations', auditorToken),
      users: () => inject('GET', '/api/v1/users?page=1&pageSize=20', auditorToken),
      patch: async () => {
        const res = await inject('PATCH', `/api/v1/organizations/${probe.json.id}`, adminToken, { name: `基准测试计数机构 ${probeVersion}` }, { 'if-match': `"${probeVersion}"` });
        probeVersion = (res.json() as { version: number }).version;
      },
      post: () => inject('POST', '/api/v1/organizations', adminToken, probeInput()),
      'raw-update': async () => {
        await db.updateTable('organizations').set({ name: `基准测试计数机构 ${probeVersion}`, version: probeVersion + 1, updated_at: new Date() })
          .where('id', '=', probe.json.id).where('version', '=', probeVersion).returning(ORG_COLUMNS).executeTakeFirstOrThrow();
        probeVersion++;
      },
      'usecase-update': async () => {
        probeVersion = (await updateOrganization(services, adminActor, probe.json.id, probeVersion, { name: `基准测试计数机构 ${probeVersion}` })).version;
      },
      'raw-insert': async () => {
        const i = probeInput();
        await db.insertInto('organizations').values({ parent_id: i.parentId, name: i.name, name_en: i.nameEn, kind: i.kind, credit_code: i.creditCode, division_code: i.divisionCode })
          .returning(ORG_COLUMNS).executeTakeFirstOrThrow();
      },
      'usecase-create': () => createOrganization(services, adminActor, probeInput()),
    };
    const statements: Record<string, number> = {};
    for (const [key, fn] of Object.entries(counted)) {
      await fn();
      statements[key] = await countStatements(fn);
    }
    if (statements['raw-update'] !== 1 || statements.bare !== 0) {
      throw new BenchFailure(`statement counting is off: raw UPDATE counted ${statements['raw-update']}, bare route ${statements.bare}`);
    }
    log(`SQL statements per operation: ${Object.entries(statements).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const patchNote = await orgCount();
    const patch = await http('patch', 'write', { ...common, kind: 'patch-orgs', title: 'PATCH /api/v1/organizations/:id (admin, If-Match)', token: adminToken, orgs: targets },
      `${targets.length} organizations in rotation; ${patchNote}`);
    const patched = Object.values(patch.versions ?? {}).reduce((s, v) => s + v - 1, 0);

    // Each caller owns one organization; versions are read back from the database.
    const current = await db.selectFrom('organizations').select(['id', 'version']).where('id', 'in', targets.map((t) => t.id)).execute();
    const versionOf = new Map(current.map((r) => [r.id, r.version]));
    const owned = (w: number) => targets[w % targets.length]!.id;
    let rev = 0;
    const updateOp = (label: string) => async (w: number) => {
      const id = owned(w);
      rev++;
      const org = await updateOrganization(services, { ...adminActor, requestId: randomUUID() }, id, versionOf.get(id)!,
        { name: `基准测试机构 ${id.slice(0, 8)} ${label}${rev}`, nameEn: `Benchmark organization ${label} ${rev}` });
      versionOf.set(id, org.version);
    };
    const rawUpdateOp = async (w: number) => {
      const id = owned(w);
      const v = versionOf.get(id)!;
      rev++;
      await db.updateTable('organizations')
        .set({ name: `基准测试机构 ${id.slice(0, 8)} 直改${rev}`, name_en: `Benchmark organization raw ${rev}`, version: v + 1, updated_at: new Date() })
        .where('id', '=', id).where('version', '=', v).returning(ORG_COLUMNS).executeTakeFirstOrThrow();
      versionOf.set(id, v + 1);
    };
    const smallTable = await orgCount();
    const [rawUpdate, useCaseUpdate] = await local([
      { key: 'raw-update', title: 'raw UPDATE organizations … RETURNING (same row)', note: smallTable, op: rawUpdateOp },
      { key: 'usecase-update', title: 'updateOrganization() use case (validation + audit)', note: smallTable, op: updateOp('用例') },
    ]) as [Measured, Measured];

    let n = 0;
    const createInput = (series: string) => {
      n++;
      return { parentId: root.json.id, name: `基准测试新建机构 ${series}${n}`, nameEn: `Benchmark org ${series}${n}`, kind: 'construction_unit' as const, creditCode: benchCreditCode(series, n), divisionCode: '110108' };
    };
    const [rawInsert, useCaseCreate] = await local([
      {
        key: 'raw-insert', title: 'raw INSERT INTO organizations … RETURNING (same row)', note: `${smallTable} (raw rows deleted after each slice)`,
        op: async () => {
          const i = createInput('D');
          await db.insertInto('organizations').values({
            parent_id: i.parentId, name: i.name, name_en: i.nameEn, kind: i.kind, credit_code: i.creditCode, division_code: i.divisionCode,
          }).returning(ORG_COLUMNS).executeTakeFirstOrThrow();
        },
        // Raw rows have no audit trail and would only inflate the table for what follows.
        after: async () => void (await db.deleteFrom('organizations').where('credit_code', 'like', '91110108D%').execute()),
      },
      {
        key: 'usecase-create', title: 'createOrganization() use case (validation + audit)', note: `${smallTable} at start, growing`,
        op: async () => void (await createOrganization(services, { ...adminActor, requestId: randomUUID() }, createInput('C'))),
      },
    ]) as [Measured, Measured];
    rows.at(-1)!.note = `${smallTable.replace(' in the table', '')} at start, ${await countOrganizations(services)} at end`;
    const postStart = await countOrganizations(services);
    await http('post', 'write', { ...common, kind: 'post-orgs', title: 'POST /api/v1/organizations (admin)', token: adminToken, parentId: root.json.id, series: 'B' }, '');
    rows.at(-1)!.note = `${postStart} organizations in the table at start, ${await countOrganizations(services)} at end (warm-up included)`;
    await http('bare2', 'read', { ...common, kind: 'get', title: 'GET /bench/bare (again, drift check)', path: '/bench/bare', headers: {} }, 'same as the first run');
    // The same pair once the table is large: every organization write reads the whole table
    // (parentMap). The raw UPDATE, which does not, is the yardstick for machine noise.
    const have = await countOrganizations(services);
    for (let i = 0; i < BIG_TABLE - have; i += 1000) {
      await db.insertInto('organizations').values(Array.from({ length: Math.min(1000, BIG_TABLE - have - i) }, (_, k) => ({
        parent_id: root.json.id, name: `基准测试填充机构 ${i + k}`, name_en: `Benchmark filler ${i + k}`, kind: 'construction_unit' as const,
        credit_code: benchCreditCode('G', i + k), division_code: '110108',
      }))).execute();
    }
    const bigTable = await orgCount();
    const [rawUpdateBig, useCaseUpdateBig] = await local([
      { key: 'raw-update-big', title: 'raw UPDATE, large table', note: bigTable, op: rawUpdateOp },
      { key: 'usecase-update-big', title: 'updateOrganization() use case, large table', note: bigTable, op: updateOp('大表') },
    ]) as [Measured, Measured];

    // ——— 4. the project portfolio (bench/portfolio.ts) ———
    const portfolio = PROJECTS > 0
      ? await portfolioSection({
        services, databaseUrl: platform.databaseUrl, common, projects: PROJECTS, decisions: DECISIONS, password: DEMO_PASSWORD, totpSecret: DEMO_TOTP,
        targetP95: TARGET_P95_MS, log, fail: (message) => { throw new BenchFailure(message); }, http, login: (u, totp) => login(origin, u, totp), countStatements,
        inject: async (url, token) => {
          const res = await platform.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
          return { statusCode: res.statusCode, body: res.body };
        },
      })
      : null;

    // ——— 5. the catalog at scale (bench/catalog.ts) ———
    await runCatalog();
    // ——— 6. the compliance sweep over the same portfolio and catalog (bench/obligations.ts) ———
    await runObligations();

    // Every write must have left a verifiable trail.
    log('verifying the whole audit log after the writes');
    const f0 = performance.now();
    const final = await verifyAuditLog(db, services.keys.checkpoint.publicKey);
    const finalMs = performance.now() - f0;
    if (final.status !== 'intact') throw new BenchFailure(`the audit log is broken after the benchmark: ${JSON.stringify(final.problems.slice(0, 3))}`);

    for (const r of rows) r.statements = r.section === 'portfolio' ? portfolio?.statements[r.key] : statements[r.key.replace(/-big$/, '').replace(/\d$/, '')];

    // ——— ratios ———
    const byKey = (k: string) => rows.find((r) => r.key === k)!;
    const bareRuns = rows.filter((r) => r.key.startsWith('bare'));
    const bare = bareRuns.reduce((s, r) => s + r.perSec, 0) / bareRuns.length;
    const vsBare = (k: string, label: string): Ratio => {
      const r = byKey(k);
      return { label, value: r.perSec / bare, reading: `bare route is ${(bare / r.perSec).toFixed(1)}× the req/s; p50 ${r.p50} ms vs ${byKey('bare1').p50} ms` };
    };
    const slower = (a: { perSec: number }, b: { perSec: number }, what: string) => `${what} ${(b.perSec / a.perSec).toFixed(1)}× the throughput`;
    const report: RunReport = {
      backend: BACKEND,
      backendDetail: platform.backendDetail,
      date,
      machine: host,
      node: process.versions.node,
      versions: `Fastify ${packageVersion('fastify')}, Kysely ${packageVersion('kysely')}, autocannon ${packageVersion('autocannon')}`,
      settings: `autocannon in a forked process, ${CONNECTIONS} connections, pipelining 1, ${WARMUP} s warm-up + ${DURATION} s per HTTP case; ` +
        `in-process cases ${CONNECTIONS} concurrent callers, 0.5 s warm-up + ${IN_PROCESS_SECONDS} s, compared pairs interleaved in 3 rounds; scrypt cost 14; bare-route drift ${(byKey('bare2').perSec / byKey('bare1').perSec).toFixed(3)} (second ÷ first)`,
      rows,
      audit: { ...audit, finalEvents: final.eventsChecked, finalStatus: final.status, finalMs },
      ratios: {
        read: [
          vsBare('orgs', 'GET /api/v1/organizations ÷ bare'),
          vsBare('users', 'GET /api/v1/users ÷ bare'),
        ],
        write: [
          vsBare('patch', 'PATCH /api/v1/organizations/:id ÷ bare'),
          vsBare('post', 'POST /api/v1/organizations ÷ bare'),
          { label: 'HTTP PATCH ÷ raw UPDATE', value: byKey('patch').perSec / rawUpdate.perSec, reading: slower(byKey('patch'), rawUpdate, 'the raw statement has') },
          { label: 'updateOrganization() ÷ raw UPDATE (cost of validation + transaction + audit, no HTTP)', value: useCaseUpdate.perSec / rawUpdate.perSec, reading: slower(useCaseUpdate, rawUpdate, 'the raw statement has') },
          { label: 'HTTP PATCH ÷ updateOrganization() (cost of HTTP + session lookup + zod)', value: byKey('patch').perSec / useCaseUpdate.perSec, reading: slower(byKey('patch'), useCaseUpdate, 'the in-process use case has') },
          { label: 'HTTP POST ÷ raw INSERT', value: byKey('post').perSec / rawInsert.perSec, reading: slower(byKey('post'), rawInsert, 'the raw statement has') },
          { label: 'createOrganization() ÷ raw INSERT (cost of validation + transaction + audit, no HTTP)', value: useCaseCreate.perSec / rawInsert.perSec, reading: slower(useCaseCreate, rawInsert, 'the raw statement has') },
          { label: 'HTTP POST ÷ createOrganization()', value: byKey('post').perSec / useCaseCreate.perSec, reading: slower(byKey('post'), useCaseCreate, 'the in-process use case has') },
          {
            label: `updateOrganization() ÷ raw UPDATE with ${BIG_TABLE} organizations`, value: useCaseUpdateBig.perSec / rawUpdateBig.perSec,
            reading: `vs ${(useCaseUpdate.perSec / rawUpdate.perSec).toFixed(3)} with ${smallTable.replace(' in the table', '')}: the use case keeps ` +
              `${((useCaseUpdateBig.perSec / rawUpdateBig.perSec) / (useCaseUpdate.perSec / rawUpdate.perSec) * 100).toFixed(0)}% of its relative throughput`,
          },
        ],
        audit: [
          { label: 'verifyAuditLog ÷ raw SM3 (events/s)', value: audit.verifyPerSec / audit.sm3PerSec, reading: `raw SM3 is ${(audit.sm3PerSec / audit.verifyPerSec).toFixed(1)}× faster` },
          { label: 'verifyAuditLog ÷ its row query alone (events/s)', value: audit.verifyPerSec / audit.fetchOnlyPerSec, reading: `fetching is ${((audit.verifyPerSec / audit.fetchOnlyPerSec) * 100).toFixed(0)}% of the verifier's time` },
        ],
        portfolio: portfolio ? portfolioRatios(rows, bare, portfolio.figures) : undefined,
      },
      portfolio: portfolio?.figures,
      totalSeconds: 0,
    };
    if (patched < byKey('patch').count) {
      throw new BenchFailure(`the PATCH load counted ${byKey('patch').count} successes but versions grew by only ${patched}`);
    }
    report.totalSeconds = (performance.now() - t0) / 1000;
    report.machine.loadavg = `${host.loadavg} at start, ${machine().loadavg} at end`;
    console.log(`\n${consoleSummary(report)}\n`);
    if (!opts['no-doc']) {
      writeDocSection(DOC, report, docSkeleton());
      log(`wrote the ${BACKEND} section of docs/benchmarks.md`);
    }
    return 0;
  } finally {
    await load.close();
    await platform.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const cause = err instanceof Error && err.cause ? `\n  cause: ${String((err.cause as Error).stack ?? err.cause)}` : '';
    console.error(`\nBENCHMARK FAILED: ${err instanceof BenchFailure ? err.message : err instanceof Error ? err.stack : String(err)}${cause}`);
    process.exitCode = 1;
  },
);
