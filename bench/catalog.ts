// The catalog-at-scale part of `npm run bench -- --postgres` (issue 4; `--only catalog` runs it
// alone): N synthetic 政务信息系统 (300,000 by default) with ~3.5 data items each, then
//
//   1. a server started on the seeded database (a second app instance on its own Services copy,
//      hence its own similarity index, as a fresh process would have): the index built from the
//      database, its time and the RSS it adds;
//   2. POST /api/v1/similarity/check with 200 rotating project descriptions through the forked
//      autocannon process (exact p50/p95/p99, ÷ the bare route of the same instance), and the
//      in-memory engine alone (top-200 candidates as the route asks, top-10 systems, and top-10
//      without pruning) over the same queries;
//   3. the same queries answered by pg_trgm — `(name || ' ' || purpose) % $1 order by
//      similarity desc limit 10` with a GIN trigram index the bench creates — sequential through
//      node-postgres, at the default threshold 0.3 and at 0.07 (pg_trgm's best F1 on the
//      evaluation set), and the overlap of the two engines' top-10;
//   4. GET /api/v1/systems/export for a filter of about 20,000 and one of about 100,000 systems,
//      downloaded by the load process, with the server process's RSS sampled every 50 ms.
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { IMPORT_DEFINITIONS } from '../src/domain/imports/kinds.ts';
import { buildApp } from '../src/http/app.ts';
import { loadavg } from 'node:os';
import { SIMILARITY_THRESHOLD } from '../src/domain/similarity/index.ts';
import { PROVINCES, Rng } from '../src/domain/synthetic-portfolio.ts';
import { syntheticProjectQueries } from '../src/domain/synthetic-systems.ts';
import type { Services } from '../src/services.ts';
import { seedSyntheticSystems } from '../src/usecases/seed-synthetic-systems.ts';
import { CANDIDATE_LIMIT, similarityCatalogFor, warmSimilarityCatalog } from '../src/usecases/similarity.ts';
import type { LoadResult, LoadSpec } from './protocol.ts';
import type { CatalogFigures, SqlTiming } from './report.ts';

export interface CatalogContext {
  services: Services;
  databaseUrl: string;
  common: { duration: number; warmup: number; connections: number };
  systems: number;
  targetP95: number;
  log(message: string): void;
  fail(message: string): never;
  /** Runs one case in the load process; fails the run on any non-2xx. */
  load(spec: LoadSpec): Promise<LoadResult>;
  login(username: string, totp: boolean): Promise<string>;
  countStatements(fn: () => Promise<unknown>): Promise<number>;
}

const QUERIES = 200;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const timingOf = (ms: number[]): SqlTiming => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), count: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const mb = (bytes: number) => bytes / 1024 / 1024;
/** A full, synchronous GC (the flag set at run time, as `node --expose-gc` would). */
const collect = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => { gc(); gc(); };
})();
const IMPORT_ROWS = 10_000;

export async function catalogSection(ctx: CatalogContext): Promise<CatalogFigures> {
  const { services, log, fail } = ctx;
  const db = services.database.db;

  // ——— the catalog ———
  log(`catalog: seeding ${ctx.systems} synthetic systems (seedSyntheticSystems, as govproj seed --synthetic-systems)`);
  let lastReport = 0;
  const seeded = await seedSyntheticSystems(services, {
    count: ctx.systems, seed: 'bench-systems',
    onProgress: ({ done, total, elapsedMs }) => {
      if (done < total && elapsedMs - lastReport < 15_000) return;
      lastReport = elapsedMs;
      log(`  ${done} / ${total} systems (${(elapsedMs / 1000).toFixed(1)} s)`);
    },
  });
  const count = async (q: string) => Number((await sql<{ n: string }>`${sql.raw(q)}`.execute(db)).rows[0]!.n);
  const table = {
    systems: await count('select count(*) as n from government_systems'),
    projects: await count('select count(*) as n from projects'),
    resources: await count('select count(*) as n from information_resources'),
    dataItems: await count('select coalesce(sum(jsonb_array_length(data_items)), 0) as n from information_resources'),
  };
  log(`catalog: ${seeded.created} systems, ${seeded.dataItems} data items in ${(seeded.elapsedMs / 1000).toFixed(1)} s; ` +
    `tables: ${table.systems} systems, ${table.resources} resources, ${table.dataItems} data items, ${table.projects} projects`);

  // ——— 1. a server started on the seeded database ———
  // A copy of Services with its own configuration object is, for similarityCatalogFor, another
  // process: its index starts empty and its first sync reads the whole catalog.
  const fresh: Services = { ...services, config: { ...services.config } };
  const app = await buildApp(fresh, { logger: false });
  app.get('/bench/bare', async () => ({ ok: true, service: 'govproj', bench: 'bare' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const address = app.server.address();
    if (!address || typeof address === 'string') return fail('the catalog server has no TCP address');
    const origin = `http://127.0.0.1:${address.port}`;
    const rssBefore = process.memoryUsage().rss;
    let t0 = performance.now();
    await warmSimilarityCatalog(fresh);
    const buildMs = performance.now() - t0;
    const rssAfter = process.memoryUsage().rss;
    const catalog = similarityCatalogFor(fresh);
    await catalog.poolReady();
    const replicas = catalog.replicas;
    log(`catalog: ${replicas} worker-thread replica(s) of the index ready (GOVPROJ_SIMILARITY_WORKERS ${fresh.config.similarityWorkers ?? 0}), RSS ${mb(process.memoryUsage().rss).toFixed(0)} MiB`);
    log(`catalog: similarity index of ${catalog.index.size} documents built in ${(buildMs / 1000).toFixed(1)} s, RSS ${mb(rssBefore).toFixed(0)} → ${mb(rssAfter).toFixed(0)} MiB`);

    // ——— 2. the similarity check ———
    const places = ['全国', ...PROVINCES.map((p) => p.name), ...PROVINCES.flatMap((p) => p.cities.map((c) => c[1]))];
    const queries = syntheticProjectQueries(new Rng('bench-queries'), places, QUERIES);
    const token = await ctx.login('ndrc', true);
    const headers = { authorization: `Bearer ${token}` };
    const inject = (q: { name: string; description: string }) => app.inject({ method: 'POST', url: '/api/v1/similarity/check', headers, payload: q });
    let shown = 0;
    let hidden = 0;
    for (const q of queries) {
      const res = await inject(q);
      if (res.statusCode !== 200) fail(`similarity check: HTTP ${res.statusCode} ${res.body}`);
      const body = res.json() as { items: unknown[]; hiddenCount: number };
      shown += body.items.length;
      hidden += body.hiddenCount;
    }
    const statements = await ctx.countStatements(() => inject(queries[0]!));
    const common = { ...ctx.common, origin };
    log(`catalog: HTTP bare route and POST /api/v1/similarity/check (${QUERIES} descriptions in rotation)`);
    const bare = await ctx.load({ ...common, kind: 'get', title: 'GET /bench/bare (reference, same instance)', path: '/bench/bare', headers: {} });
    // The same route twice on the same index: searched on the event loop, then by the replicas.
    const checkSpec = {
      ...common, kind: 'post-rotate' as const, path: '/api/v1/similarity/check', bodies: queries.map((q) => JSON.stringify(q)), headers,
    };
    catalog.pooled = false;
    // One check at a time: the latency a preparer sees when nobody else is checking at that moment.
    const checkOne = await ctx.load({ ...checkSpec, connections: 1, title: 'POST /api/v1/similarity/check (NDRC), one connection' });
    const checkEventLoop = await ctx.load({ ...checkSpec, title: 'POST /api/v1/similarity/check (NDRC), search on the event loop' });
    const loadEventLoop = loadavg()[0]!;
    catalog.pooled = true;
    const servedBefore = catalog.poolStats.replica;
    const check = await ctx.load({ ...checkSpec, title: 'POST /api/v1/similarity/check (NDRC), search by the worker replicas' });
    const loadPool = loadavg()[0]!;
    const servedByReplicas = catalog.poolStats.replica - servedBefore;
    log(`  event loop: ${checkEventLoop.requestsPerSec.toFixed(0)} req/s, p95 ${checkEventLoop.exact.p95.toFixed(1)} ms (load ${loadEventLoop.toFixed(2)})`);
    log(`  replicas: ${servedByReplicas} searches answered by replicas, ${catalog.poolStats.failedOver} failed over (load ${loadPool.toFixed(2)})`);
    log(`  bare ${bare.requestsPerSec.toFixed(0)} req/s; check ${check.requestsPerSec.toFixed(0)} req/s, p50 ${check.exact.p50.toFixed(1)} ms, p95 ${check.exact.p95.toFixed(1)} ms`);

    // The engine alone, sequential over the same queries (after one pass to warm up).
    const engine = (opts: Parameters<typeof catalog.index.search>[1]) => {
      for (const q of queries.slice(0, 20)) catalog.index.search(q, opts);
      const ms: number[] = [];
      const hits: string[][] = [];
      for (const q of queries) {
        const t = performance.now();
        const h = catalog.index.search(q, opts);
        ms.push(performance.now() - t);
        hits.push(h.map((x) => x.id.slice(x.id.indexOf(':') + 1)));
      }
      return { timing: timingOf(ms), hits };
    };
    const candidates = engine({ limit: CANDIDATE_LIMIT, minSimilarity: SIMILARITY_THRESHOLD });
    const top10 = engine({ limit: 10, kinds: ['system'], minSimilarity: SIMILARITY_THRESHOLD });
    const unpruned = engine({ limit: 10, kinds: ['system'] });
    // The same top-200 with every document sharing a query term scored (prune: false): the
    // ranking the pruned search must equal, and what each search cost before top-k pruning.
    const exhaustive = engine({ limit: CANDIDATE_LIMIT, minSimilarity: SIMILARITY_THRESHOLD, prune: false });
    const mismatched = queries.filter((_, i) => candidates.hits[i]!.join() !== exhaustive.hits[i]!.join()).length;
    if (mismatched > 0) fail(`pruned top-${CANDIDATE_LIMIT} differs from the exhaustive ranking for ${mismatched} queries`);

    // ——— 3. pg_trgm on the same queries ———
    const client = new pg.Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    let trgm: CatalogFigures['trgm'];
    try {
      await client.query('create extension if not exists pg_trgm');
      t0 = performance.now();
      await client.query(`create index government_systems_bench_trgm on government_systems using gin ((name || ' ' || purpose) gin_trgm_ops)`);
      const indexMs = performance.now() - t0;
      await client.query('analyze government_systems');
      const indexBytes = Number((await client.query<{ n: string }>(`select pg_relation_size('government_systems_bench_trgm') as n`)).rows[0]!.n);
      const text = (q: { name: string; description: string }) => `${q.name} ${q.description}`;
      const statement = `select id, similarity(name || ' ' || purpose, $1) s from government_systems where (name || ' ' || purpose) % $1 order by s desc limit 10`;
      const plan = (await client.query<{ 'QUERY PLAN': string }>(`explain ${statement.replace('$1', '$1::text')}`, [text(queries[0]!)])).rows
        .map((r) => r['QUERY PLAN'].trim().replace(/^->\s*/, '')).filter((l) => /^(Limit|Sort|Bitmap|Seq|Index)/.test(l) && !/^Sort Key/.test(l))
        .map((l) => l.replace(/\s+\(cost.*$/, '')).join(' → ');
      const run = async (limit: number, budgetMs: number) => {
        await client.query('select set_limit($1)', [limit]);
        for (const q of queries.slice(0, 3)) await client.query(statement, [text(q)]);
        const ms: number[] = [];
        const hits: string[][] = [];
        const until = performance.now() + budgetMs;
        for (const q of queries) {
          if (performance.now() > until && ms.length >= 10) break;
          const t = performance.now();
          const r = await client.query<{ id: string }>(statement, [text(q)]);
          ms.push(performance.now() - t);
          hits.push(r.rows.map((x) => x.id));
        }
        return { timing: timingOf(ms), hits };
      };
      log('catalog: pg_trgm at 0.3 (default) and 0.07');
      const at30 = await run(0.3, 120_000);
      const at07 = await run(0.07, 60_000);
      const overlap = (theirs: string[][]) => {
        let common = 0;
        let ours = 0;
        let them = 0;
        let both = 0;
        for (const [i, t] of theirs.entries()) {
          const o = new Set(top10.hits[i]!);
          common += t.filter((id) => o.has(id)).length;
          ours += o.size;
          them += t.length;
          if (o.size > 0 && t.length > 0) both++;
        }
        const n = theirs.length;
        return { queries: n, meanCommon: common / n, meanOurs: ours / n, meanTheirs: them / n, bothNonEmpty: both };
      };
      trgm = {
        indexMs, indexBytes, plan,
        default: { ...at30.timing, ...overlap(at30.hits), threshold: 0.3 },
        best: { ...at07.timing, ...overlap(at07.hits), threshold: 0.07 },
      };
      await client.query('drop index government_systems_bench_trgm');
    } finally {
      await client.end();
    }

    // ——— 4. the export ———
    const groups = (await sql<{ key: string; n: string }>`
      select 'status=' || status as key, count(*) as n from government_systems group by status
      union all select 'networkType=' || network_type, count(*) from government_systems group by network_type
      union all select 'mlpsLevel=' || mlps_level, count(*) from government_systems where mlps_level is not null group by mlps_level
      union all select 'businessArea=' || business_area, count(*) from government_systems group by business_area
      union all select 'status=' || status || '&networkType=' || network_type, count(*) from government_systems group by status, network_type
      union all select 'status=' || status || '&mlpsLevel=' || mlps_level, count(*) from government_systems where mlps_level is not null group by status, mlps_level`
      .execute(db)).rows.map((r) => ({ key: r.key, n: Number(r.n) }));
    const nearest = (target: number) => groups.reduce((best, g) => (Math.abs(g.n - target) < Math.abs(best.n - target) ? g : best));
    const exports: CatalogFigures['exports'] = [];
    for (const target of [20_000, 100_000]) {
      const g = nearest(target);
      const query = g.key.split('&').map((kv) => { const [k, v] = kv.split('='); return `${k}=${encodeURIComponent(v!)}`; }).join('&');
      const path = `/api/v1/systems/export?${query}`;
      collect();
      const before = process.memoryUsage().rss;
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = before;
      let heapPeak = heapBefore;
      let ticks = 0;
      // RSS every 50 ms; every 20th tick (1 s) a full GC, then the heap still in use: what the
      // export retains, apart from garbage not yet collected.
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
        if (++ticks % 20 === 0) {
          collect();
          heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        }
      }, 50);
      log(`catalog: export ${g.key} (${g.n} systems)`);
      let r: LoadResult;
      try {
        r = await ctx.load({ ...common, kind: 'download', title: `GET ${path}`, path, headers });
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      collect();
      exports.push({
        filter: g.key, rows: g.n, seconds: r.durationSec, bytes: r.bytes ?? 0, rssBefore: before, rssPeak: peak, rssAfter: process.memoryUsage().rss,
        heapBefore, heapPeakAfterGc: heapPeak, heapAfter: process.memoryUsage().heapUsed, gcSamples: Math.floor(ticks / 20),
      });
      log(`  ${(r.durationSec).toFixed(1)} s, ${((r.bytes ?? 0) / 1e6).toFixed(1)} MB; RSS ${mb(before).toFixed(0)} → peak ${mb(peak).toFixed(0)} MiB; ` +
        `heap after GC ${mb(heapBefore).toFixed(0)} → peak ${mb(heapPeak).toFixed(0)} MiB`);
    }

    // ——— 5. the import ———
    // 10,000 system rows in the template's columns (as a department fills it), uploaded by the
    // demo's preparer (catalog:manage over 人力资源和社会保障部信息中心), all-or-nothing. The file
    // is larger than INLINE_IMPORT_BYTES, but no job runner is attached here, so the request runs
    // the import itself and its wall time is the import's: staging + validation + the write.
    const headers10k = IMPORT_DEFINITIONS.systems.columns.map((c) => c.header);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('政务信息系统');
    ws.addRow(headers10k);
    const runTag = randomBytes(3).toString('hex');
    const objects = ['社会保险', '就业服务', '职业技能', '劳动关系', '人事考试', '社保卡', '养老保险', '工伤保险'];
    const functions = ['登记', '查询', '审核', '统计分析', '监管', '公共服务'];
    for (let i = 0; i < IMPORT_ROWS; i++) {
      const object = objects[i % objects.length]!;
      const fn = functions[Math.floor(i / objects.length) % functions.length]!;
      const level = 2 + (i % 2);
      ws.addRow([`${object}${fn}系统（导入基准 ${runTag}-${i}）`, '人力资源和社会保障部信息中心', `为参保单位和个人提供${object}${fn}等业务办理`,
        '社会保障', '电子政务外网', '否', '等级保护', level, `110000${String(13001 + (i % 80000)).padStart(5, '0')}-${String(20000 + (i % 70000)).padStart(5, '0')}`,
        1000 + i, '运行']);
    }
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const boundary = `----govprojBench${randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="import-10000.xlsx"\r\n` +
        'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n'),
      file, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const preparer = await ctx.login('preparer', false);
    const systemsBefore = await count('select count(*) as n from government_systems');
    log(`catalog: import of ${IMPORT_ROWS} system rows (${(file.length / 1e6).toFixed(2)} MB .xlsx), all-or-nothing`);
    t0 = performance.now();
    const imported = await app.inject({
      method: 'POST', url: '/api/v1/imports/systems?mode=all-or-nothing',
      headers: { authorization: `Bearer ${preparer}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload,
    });
    const importMs = performance.now() - t0;
    const importBody = imported.json() as { report?: { outcome: string; writtenRows: number; problemCount: number } };
    if (imported.statusCode >= 300 || importBody.report?.outcome !== 'written') fail(`import: HTTP ${imported.statusCode} ${imported.body.slice(0, 2000)}`);
    const systemsAfter = await count('select count(*) as n from government_systems');
    if (systemsAfter - systemsBefore !== IMPORT_ROWS) fail(`import: ${systemsAfter - systemsBefore} systems written, expected ${IMPORT_ROWS}`);
    log(`  ${(importMs / 1000).toFixed(2)} s, ${importBody.report!.writtenRows} rows written`);
    const importFigures = { rows: IMPORT_ROWS, bytes: file.length, seconds: importMs / 1000, written: importBody.report!.writtenRows };

    return {
      requested: ctx.systems, seeded: seeded.created, seedSeconds: seeded.elapsedMs / 1000, seededDataItems: seeded.dataItems,
      nearDuplicates: seeded.nearDuplicates, projectsSeeded: seeded.projectsSeeded, table, targetP95: ctx.targetP95,
      index: { documents: catalog.index.size, buildSeconds: buildMs / 1000, rssBefore, rssAfter },
      queries: QUERIES, shownPerQuery: shown / QUERIES, hiddenPerQuery: hidden / QUERIES, statements,
      bare: { perSec: bare.requestsPerSec, p50: bare.exact.p50, p95: bare.exact.p95, p99: bare.exact.p99, count: bare.total },
      check: { perSec: check.requestsPerSec, p50: check.exact.p50, p95: check.exact.p95, p99: check.exact.p99, count: check.total },
      connections: ctx.common.connections,
      checkOne: { perSec: checkOne.requestsPerSec, p50: checkOne.exact.p50, p95: checkOne.exact.p95, p99: checkOne.exact.p99, count: checkOne.total },
      checkEventLoop: { perSec: checkEventLoop.requestsPerSec, p50: checkEventLoop.exact.p50, p95: checkEventLoop.exact.p95, p99: checkEventLoop.exact.p99, count: checkEventLoop.total },
      pool: { replicas, servedByReplicas, failedOver: catalog.poolStats.failedOver, loadEventLoop, loadPool },
      engine: { candidates: candidates.timing, top10: top10.timing, unpruned: unpruned.timing, exhaustive: exhaustive.timing },
      trgm, exports, import: importFigures,
    };
  } finally {
    await app.close();
  }
}
