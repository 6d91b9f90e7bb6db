// `npm run bench:soak`: memory of one app process under sustained load (issue 7 item 7: RSS per
// app process < 300 MB and flat over a bounded soak). Not part of `npm test`.
//
// 1. A PostgreSQL database (govproj_soak by default, reused by re-runs) with the demo and N
//    synthetic systems (`seedSyntheticSystems`, as `govproj seed --synthetic-systems N`), and a
//    soak account (a preparer of 国家发展和改革委员会, no second factor).
// 2. The platform as production runs it: `node bin/govproj.js serve` in a child process (jobs on,
//    checkpoint timer off), optionally with NODE_OPTIONS (--node-options) and a worker count.
// 3. The server builds its duplicate-detection index at start; the soak begins once a similarity
//    check returns. Then for S seconds, C concurrent loops (in this process; the server has its
//    own) send, in turn, a similarity check (POST /api/v1/similarity/check, project descriptions in
//    rotation), a project list and a catalog list (GET /api/v1/projects, /api/v1/systems, pages in
//    rotation). Every non-2xx response fails the run.
// 4. The server's VmRSS (/proc/<pid>/status) every --interval seconds, with the load average;
//    then per-kind latencies, the RSS table, its maximum, and its slope over the second half
//    (MiB per minute, least squares): flat means no growth while the load goes on.
// --similarity-service: the index lives in a shared service (`govproj similarity serve`, started
//    first in its own child process) and the app gets GOVPROJ_SIMILARITY_URL; both RSS are sampled.
//    --service-node-options: the service's NODE_OPTIONS, when not the app's (--node-options).
//
//   npm run bench:soak -- [--database govproj_soak] [--systems 300000] [--seconds 300] [--interval 5]
//                         [--connections 8] [--workers N] [--node-options=--max-semi-space-size=16]
//                         [--similarity-service [--service-node-options=…]] [--server-root DIR] [--json FILE]
// GOVPROJ_MASTER_KEY from the environment when the database was made with another key.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrate } from '../src/db/migrate.ts';
import { openServices } from '../src/server.ts';
import { seedDemo } from '../src/usecases/seed-demo.ts';
import { seedSyntheticSystems } from '../src/usecases/seed-synthetic-systems.ts';
import { DEFAULT_SERVER, ensureDatabase, LOAD_MASTER_KEY, loadConfigFor } from './loadtest-data.ts';

const { values: opts } = parseArgs({
  options: {
    database: { type: 'string', default: 'govproj_soak' },
    systems: { type: 'string', default: '300000' },
    seconds: { type: 'string', default: '300' },
    interval: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    workers: { type: 'string' },
    'node-options': { type: 'string' },
    'similarity-service': { type: 'boolean', default: false },
    'service-node-options': { type: 'string' },
    'server-root': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 20).join('\n').replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}
const SYSTEMS = Number(opts.systems);
const SECONDS = Number(opts.seconds);
const INTERVAL = Number(opts.interval);
const CONNECTIONS = Number(opts.connections);
const USERNAME = 'soak-preparer';
const PASSWORD = 'Soak-Passw0rd-2026';
const NDRC_CREDIT_CODE = '111000000000130202';

class SoakFailure extends Error { override name = 'SoakFailure'; }
const log = (message: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
/** Whether jieba's native module is mapped into the process (an app with the shared service must not load it). */
const jiebaLoaded = (pid: number) => readFileSync(`/proc/${pid}/maps`, 'utf8').includes('jieba');
const rssMiB = (pid: number) => Number(/^VmRSS:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const root = opts['server-root'] ?? fileURLToPath(new URL('..', import.meta.url));
const url = await ensureDatabase(process.env.DATABASE_URL ?? DEFAULT_SERVER, opts.database, log);
const config = loadConfigFor(url, process.env.GOVPROJ_MASTER_KEY ? { GOVPROJ_MASTER_KEY: process.env.GOVPROJ_MASTER_KEY } : {});
const serverEnv = {
  ...process.env, DATABASE_URL: url, GOVPROJ_MASTER_KEY: process.env.GOVPROJ_MASTER_KEY ?? LOAD_MASTER_KEY, GOVPROJ_DATA_DIR: config.dataDir,
  GOVPROJ_PASSWORD_COST: '14', GOVPROJ_CHECKPOINT_SECONDS: '0', GOVPROJ_LOG_LEVEL: 'warn', GOVPROJ_LOGIN_RATE_LIMIT: '100000',
  HOST: '127.0.0.1', PORT: '0',
  ...(opts.workers !== undefined ? { GOVPROJ_SIMILARITY_WORKERS: opts.workers } : {}),
  ...(opts['node-options'] !== undefined ? { NODE_OPTIONS: opts['node-options'] } : {}),
};

// ——— 1. the dataset and the account ———
const services = await openServices(config);
let queries: Array<{ name: string; description: string }>;
try {
  await migrate(services.database);
  if (await seedDemo(services)) log('seeded the demo');
  const db = services.database.db;
  const have = Number((await sql<{ n: string }>`select count(*) as n from government_systems`.execute(db)).rows[0]!.n);
  if (have < SYSTEMS) {
    log(`seeding ${SYSTEMS - have} synthetic systems (have ${have})`);
    const r = await seedSyntheticSystems(services, { count: SYSTEMS - have, seed: 'soak' });
    log(`  ${r.created} systems in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  }
  const projects = await db.selectFrom('projects').select(['name', 'systems']).orderBy('id').limit(200).execute();
  queries = projects.map((p) => ({
    name: p.name, description: (Array.isArray(p.systems) ? (p.systems as Array<{ name: string }>) : []).map((s) => s.name).join('、'),
  }));
  const user = await db.selectFrom('users').select('id').where('username', '=', USERNAME).executeTakeFirst();
  if (!user) {
    const r = spawnSync(process.execPath, [`${root}/bin/govproj.js`, 'user', 'create', '--username', USERNAME, '--name', '压测申报人',
      '--password', PASSWORD, '--org', NDRC_CREDIT_CODE, '--role', 'preparer'], { env: { ...serverEnv, NODE_OPTIONS: '' }, encoding: 'utf8' });
    if (r.status !== 0) throw new SoakFailure(`govproj user create: ${r.stderr}`);
  }
} finally {
  await services.database.close();
}

// ——— 2. the server (and the similarity service) ———
const children: ChildProcess[] = [];
/** Starts `govproj <args>` and resolves with the URL it prints once it listens. */
function start(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, [`${root}/bin/govproj.js`, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const m = /is running at (http:\/\/[^\s/]+)/.exec(buffer);
      if (!m) return;
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({ child, origin: m[1]! });
    });
    child.once('exit', (code) => reject(new SoakFailure(`govproj ${args.join(' ')} exited before listening (code ${code})`)));
  });
}
const stopServer = async () => {
  for (const child of children.reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
};
try {
  let servicePid: number | null = null;
  if (opts['similarity-service']) {
    const service = await start(['similarity', 'serve'], {
      ...serverEnv, GOVPROJ_SIMILARITY_PORT: '0', ...(opts['service-node-options'] !== undefined ? { NODE_OPTIONS: opts['service-node-options'] } : {}),
    });
    servicePid = service.child.pid!;
    Object.assign(serverEnv, { GOVPROJ_SIMILARITY_URL: service.origin });
    log(`similarity service pid ${servicePid} at ${service.origin}; RSS ${rssMiB(servicePid).toFixed(0)} MiB`);
  }
  const { child, origin } = await start(['serve'], serverEnv);
  const pid = child.pid!;
  log(`server pid ${pid} at ${origin} from ${root}; NODE_OPTIONS ${serverEnv.NODE_OPTIONS ?? '(none)'}; workers ${opts.workers ?? 'default'}; RSS ${rssMiB(pid).toFixed(0)} MiB`);

  const signIn = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
  });
  if (signIn.status !== 200) throw new SoakFailure(`sign-in: HTTP ${signIn.status} ${await signIn.text()}`);
  const { token } = (await signIn.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  type Kind = 'similarity' | 'projects' | 'systems';
  const request = async (kind: Kind, i: number): Promise<number> => {
    const t0 = performance.now();
    const res = kind === 'similarity'
      ? await fetch(`${origin}/api/v1/similarity/check`, { method: 'POST', headers, body: JSON.stringify(queries[i % queries.length]) })
      : await fetch(`${origin}/api/v1/${kind}?pageSize=20&page=${(i % 50) + 1}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new SoakFailure(`${kind}: HTTP ${res.status}`);
    return performance.now() - t0;
  };

  // ——— 3. warm-up: the index is built when a check returns ———
  const warm0 = performance.now();
  // The shared service answers 503 until it has built its index: the check is retried.
  for (;;) {
    try {
      await request('similarity', 0);
      break;
    } catch (err) {
      if (!servicePid || !(err instanceof SoakFailure) || !err.message.includes('503')) throw err;
      await sleep(2000);
    }
  }
  log(`index ready ${((performance.now() - warm0) / 1000).toFixed(0)} s after sign-in; RSS ${rssMiB(pid).toFixed(0)} MiB` +
    `${servicePid ? `, service ${rssMiB(servicePid).toFixed(0)} MiB` : ''}; load average ${loadavg()}`);
  await sleep(INTERVAL * 1000);

  // ——— 4. the soak ———
  const samples: Array<{ t: number; rss: number; serviceRss: number | null; loadavg: string }> = [];
  const latencies: Record<Kind, number[]> = { similarity: [], projects: [], systems: [] };
  const started = performance.now();
  const until = started + SECONDS * 1000;
  const sample = () => samples.push({ t: (performance.now() - started) / 1000, rss: rssMiB(pid), serviceRss: servicePid ? rssMiB(servicePid) : null, loadavg: loadavg() });
  sample();
  const sampler = setInterval(sample, INTERVAL * 1000);
  const kinds: Kind[] = ['similarity', 'projects', 'systems'];
  let counter = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < until) {
      const i = counter++;
      const kind = kinds[i % kinds.length]!;
      latencies[kind].push(await request(kind, Math.floor(i / kinds.length)));
    }
  }));
  clearInterval(sampler);
  sample();
  await sleep(INTERVAL * 1000);
  const idle = rssMiB(pid);
  const serviceIdle = servicePid ? rssMiB(servicePid) : null;
  const jieba = { app: jiebaLoaded(pid), service: servicePid ? jiebaLoaded(servicePid) : null };

  // ——— 5. report ———
  const half = samples.filter((s) => s.t >= SECONDS / 2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const tMean = mean(half.map((s) => s.t));
  const rMean = mean(half.map((s) => s.rss));
  const slope = half.reduce((a, s) => a + (s.t - tMean) * (s.rss - rMean), 0) / half.reduce((a, s) => a + (s.t - tMean) ** 2, 0) * 60;
  const rss = samples.map((s) => s.rss);
  const perKind = kinds.map((kind) => {
    const l = [...latencies[kind]].sort((a, b) => a - b);
    return { kind, requests: l.length, p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99) };
  });
  console.log(`\nSoak ${SECONDS} s, ${CONNECTIONS} connections, ${os.availableParallelism()} CPUs, Node ${process.versions.node}`);
  console.log('| kind | requests | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|');
  for (const k of perKind) console.log(`| ${k.kind} | ${k.requests} | ${k.p50.toFixed(0)} | ${k.p95.toFixed(0)} | ${k.p99.toFixed(0)} |`);
  console.log(`\n| t (s) | ${samples.map((s) => s.t.toFixed(0)).join(' | ')} |\n|---|${samples.map(() => '---:').join('|')}|`);
  console.log(`| RSS MiB | ${rss.map((r) => r.toFixed(0)).join(' | ')} |`);
  if (servicePid) console.log(`| service RSS MiB | ${samples.map((s) => s.serviceRss!.toFixed(0)).join(' | ')} |`);
  console.log(`\nRSS min ${Math.min(...rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)} MiB; slope over the second half ${slope.toFixed(1)} MiB/min; ` +
    `${INTERVAL} s after the load ${idle.toFixed(0)} MiB` +
    `${servicePid ? `; service RSS max ${Math.max(...samples.map((s) => s.serviceRss!)).toFixed(0)} MiB, ${serviceIdle!.toFixed(0)} MiB after the load` : ''}; jieba loaded in the app: ${jieba.app ? 'yes' : 'no'}` +
    `${servicePid ? `, in the service: ${jieba.service ? 'yes' : 'no'}` : ''}; load average ${samples[0]!.loadavg} at start, ${samples[samples.length - 1]!.loadavg} at end`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, nodeOptions: serverEnv.NODE_OPTIONS ?? null, workers: opts.workers ?? null, similarityService: opts['similarity-service'], jieba, perKind, samples, slope, idle, serviceIdle }, null, 2));
} finally {
  await stopServer();
}
