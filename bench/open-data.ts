// `node bench/open-data.ts [--projects N] [--duration S] [--connections C] [--postgres]`: the
// open-data API's throughput as a ratio of a bare route of the same app (issue 6), on PGlite by
// default (a fresh PostgreSQL database with --postgres). Like bench/run.ts, the server runs here
// and a forked bench/load.ts drives it, so the load generator never shares the event loop; any
// non-2xx fails the run. The open-data rate limit is raised for the run (it would cap the
// measurement at GOVPROJ_OPEN_DATA_RATE_LIMIT a minute per client, which is its point).
//
// The same URL over and over is answered from the in-process body cache after its first request
// (src/usecases/open-data-cache.ts), so the cases that rotate through 2,000 different pages (more
// than the cache holds, so every request builds its page) measure the query path itself: keyset
// cursors against the deprecated page numbers (offset). The conditional GET must answer 304.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { openServices } from '../src/server.ts';
import { seedSynthetic } from '../src/usecases/seed-synthetic.ts';
import { encodeCursor } from '../src/usecases/open-data-cache.ts';
import { sql } from 'kysely';
import type { FromLoad, GetRotateSpec, GetSpec, LoadResult, LoadSpec } from './protocol.ts';

type LoadSpecBody = Pick<GetSpec, 'kind' | 'path' | 'headers'> | Pick<GetRotateSpec, 'kind' | 'paths' | 'headers'>;

const { values: opts } = parseArgs({
  options: {
    projects: { type: 'string', default: '10000' }, duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' }, postgres: { type: 'boolean', default: false },
  },
  strict: true,
});

async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `govproj_bench_open_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const dataDir = mkdtempSync(join(os.tmpdir(), 'govproj-bench-open-'));
const pgdb = opts.postgres ? await freshPostgres() : null;
const config = loadConfig({
  GOVPROJ_MASTER_KEY: randomBytes(32).toString('hex'), GOVPROJ_DATA_DIR: dataDir, GOVPROJ_PASSWORD_COST: '14', GOVPROJ_CHECKPOINT_SECONDS: '0',
  GOVPROJ_LOG_LEVEL: 'silent', GOVPROJ_OPEN_DATA_RATE_LIMIT: '1000000', HOST: '127.0.0.1', PORT: '0', ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
});
const services = await openServices(config);
const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
try {
  await migrate(services.database);
  const started = performance.now();
  await seedSynthetic(services, { count: Number(opts.projects) });
  console.log(`seeded ${opts.projects} synthetic projects in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const app = await buildApp(services, { logger: false });
  app.get('/bench/bare', async () => ({ ok: true, service: 'govproj', bench: 'bare' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  const pending = new Map<number, (m: FromLoad) => void>();
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  child.on('message', (m: FromLoad) => ('ready' in m ? ready() : pending.get(m.id)?.(m)));
  await isReady;
  let nextId = 1;
  const run = (spec: LoadSpec) => new Promise<LoadResult>((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (m) => ('error' in m ? reject(new Error(m.error)) : 'result' in m ? resolve(m.result) : undefined));
    child.send({ id, spec });
  });
  console.log(`load average before the run: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const common = { origin, duration: Number(opts.duration), warmup: Number(opts.warmup), connections: Number(opts.connections) };
  // 2,000 pages of 50 spread over the whole list: their cursors (the code before each) and page numbers.
  const codes = (await sql<{ code: string }>`select code from projects where not involves_secrets order by code`.execute(services.database.db)).rows.map((r) => r.code);
  const pages = Math.min(2000, Math.floor(codes.length / 50));
  const step = Math.max(1, Math.floor(codes.length / 50 / pages));
  const pageNumbers = Array.from({ length: pages }, (_, i) => 2 + i * step).filter((n) => (n - 1) * 50 - 1 < codes.length);
  const cursorPaths = pageNumbers.map((n) => `/api/open/v1/projects?pageSize=50&cursor=${encodeCursor('projects', [codes[(n - 1) * 50 - 1]!])}`);
  const pagePaths = pageNumbers.map((n) => `/api/open/v1/projects?pageSize=50&page=${n}`);
  const first = await fetch(`${origin}/api/open/v1/projects?pageSize=50`, { headers: { 'accept-language': 'zh-CN' } });
  const etag = first.headers.get('etag') ?? '';
  const cases: Array<{ title: string; spec: LoadSpecBody; expect?: number }> = [
    { title: 'bare route (no database)', spec: { kind: 'get', path: '/bench/bare', headers: {} } },
    { title: '/api/open/v1/projects (50 per page, JSON)', spec: { kind: 'get', path: '/api/open/v1/projects?pageSize=50', headers: {} } },
    { title: '/api/open/v1/projects (50 per page, page 100)', spec: { kind: 'get', path: '/api/open/v1/projects?pageSize=50&page=100', headers: {} } },
    { title: '/api/open/v1/projects?format=csv (200 rows)', spec: { kind: 'get', path: '/api/open/v1/projects?pageSize=200&format=csv', headers: {} } },
    { title: '/api/open/v1/systems (50 per page)', spec: { kind: 'get', path: '/api/open/v1/systems?pageSize=50', headers: {} } },
    { title: '/api/open/v1/spot-checks (demo)', spec: { kind: 'get', path: '/api/open/v1/spot-checks', headers: {} } },
    { title: '/api/open/v1/projects, If-None-Match → 304', spec: { kind: 'get', path: '/api/open/v1/projects?pageSize=50', headers: { 'if-none-match': etag, 'accept-language': 'zh-CN' } }, expect: 304 },
    { title: `/api/open/v1/projects, ${pageNumbers.length} cursor pages rotated (each built)`, spec: { kind: 'get-rotate', paths: cursorPaths, headers: {} } },
    { title: `/api/open/v1/projects, ${pageNumbers.length} page numbers rotated (offset, each built)`, spec: { kind: 'get-rotate', paths: pagePaths, headers: {} } },
  ];
  const results: Array<{ title: string; r: LoadResult }> = [];
  for (const { title, spec, expect } of cases) {
    const r = await run({ ...spec, title, ...common } as LoadSpec);
    const wanted = expect === undefined ? r.non2xx === 0 : Object.keys(r.statusCodes).join() === String(expect);
    if (!wanted || r.errors || r.timeouts) throw new Error(`${title}: ${JSON.stringify(r.statusCodes)}, ${r.errors} errors, ${r.timeouts} timeouts ${JSON.stringify(r.firstFailure)}`);
    results.push({ title, r });
    console.log(`  ${title}: ${r.requestsPerSec.toFixed(0)} req/s, p95 ${r.exact.p95.toFixed(1)} ms, load average ${os.loadavg()[0]!.toFixed(2)}`);
  }
  console.log(`load average after the run: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const bare = results[0]!.r.requestsPerSec;
  console.log(`\n| case | req/s | ratio to bare | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|`);
  for (const { title, r } of results) {
    console.log(`| ${title} | ${r.requestsPerSec.toFixed(0)} | ${(r.requestsPerSec / bare).toFixed(3)} | ${r.exact.p50.toFixed(1)} | ${r.exact.p95.toFixed(1)} | ${r.exact.p99.toFixed(1)} |`);
  }
  await app.close();
} finally {
  child.kill();
  await services.database.close();
  await pgdb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
