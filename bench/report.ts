// Turning one benchmark run into a console table and a section of docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One measured case: an HTTP load (autocannon) or an in-process loop. */
export interface Row {
  key: string;
  section: 'read' | 'write' | 'portfolio';
  title: string;
  via: 'HTTP' | 'in-process';
  perSec: number;
  p50: number;
  p97_5: number;
  p99: number;
  count: number;
  /** SQL statements one operation sends (BEGIN/COMMIT included), counted outside the timed phases. */
  statements?: number | undefined;
  /** What the case ran against (response size, rows in the table, ...). */
  note: string;
  /** HTTP cases: percentiles over every response time of the measured window, in ms (with p95). */
  exact?: { p50: number; p95: number; p99: number } | undefined;
}

/** Latency and throughput of sequential iterations (the submit → decide path). */
export interface Timing {
  perSec: number;
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

/** The project-portfolio part of a run (bench/portfolio.ts). */
export interface PortfolioFigures {
  /** Projects in the table while the HTTP cases ran. */
  projects: number;
  seeded: number;
  seedSeconds: number;
  organizationsCreated: number;
  /** The p95 latency the list and detail must stay under, in ms. */
  targetP95: number;
  decide: {
    /** SQL statements one iteration sends (four actions, BEGIN/COMMIT included). */
    statements: number;
    useCase: Timing;
    raw: Timing;
    /** How the raw side was driven (driver, what it leaves out). */
    rawVia: string;
    rounds: number;
  } | null;
}

export interface AuditFigures {
  /** Events appended by the benchmark (the log also holds the demo's own). */
  appended: number;
  events: number;
  chains: number;
  appendPerSec: number;
  verifyPerSec: number;
  verifyMs: number;
  fetchOnlyPerSec: number;
  sm3PerSec: number;
  sm3MBPerSec: number;
  bytes: number;
  checkpoints: number;
  /** The integrity check after all writes: events covered and status. */
  finalEvents: number;
  finalStatus: string;
  finalMs: number;
}

export interface Ratio {
  label: string;
  value: number;
  /** How to read it, e.g. "bare is 8.1× faster". */
  reading: string;
}

export interface RunReport {
  backend: 'pglite' | 'postgresql';
  backendDetail: string;
  date: string;
  machine: { nproc: number; cpu: string; memory: string; kernel: string; loadavg: string };
  node: string;
  versions: string;
  settings: string;
  rows: Row[];
  audit: AuditFigures;
  portfolio?: PortfolioFigures | undefined;
  ratios: { read: Ratio[]; write: Ratio[]; audit: Ratio[]; portfolio?: Ratio[] | undefined };
  totalSeconds: number;
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
const ms = (n: number) => (n >= 100 ? fmt(n, 0) : n >= 10 ? fmt(n, 1) : fmt(n, 2));

export function ratioLine(r: Ratio): string {
  return `${r.label}: ${fmt(r.value, 3)} (${r.reading})`;
}

/** Mean req/s of the bare-route runs of the process. */
function bareMean(report: RunReport): number {
  const bare = report.rows.filter((r) => r.key.startsWith('bare'));
  return bare.reduce((s, r) => s + r.perSec, 0) / Math.max(bare.length, 1);
}

function tableCells(report: RunReport): string[][] {
  const bare = bareMean(report);
  return report.rows.filter((r) => r.section !== 'portfolio').map((r) => [
    r.title, r.via, r.statements === undefined ? '' : String(r.statements), fmt(r.perSec, 0), ms(r.p50), ms(r.p97_5), ms(r.p99), fmt(r.count),
    r.via === 'HTTP' ? fmt(r.perSec / bare, 3) : '', r.note,
  ]);
}

const PORTFOLIO_HEADER = ['case', 'SQL/op', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', '÷ bare', 'p95 under target', 'notes'];

function portfolioCells(report: RunReport): string[][] {
  const bare = bareMean(report);
  const target = report.portfolio?.targetP95 ?? 100;
  return report.rows.filter((r) => r.section === 'portfolio').map((r) => {
    const t = r.exact ?? { p50: r.p50, p95: NaN, p99: r.p99 };
    const reference = r.key === 'bare3';
    return [
      r.title, r.statements === undefined ? '' : String(r.statements), fmt(r.perSec, 0), ms(t.p50), ms(t.p95), ms(t.p99), fmt(r.count),
      fmt(r.perSec / bare, 3), reference ? '' : t.p95 < target ? `yes (< ${target})` : `**NO** (≥ ${target})`, r.note,
    ];
  });
}

function decideCells(report: RunReport): string[][] {
  const d = report.portfolio?.decide;
  if (!d) return [];
  const row = (title: string, t: Timing, note: string) => [title, String(d.statements), fmt(t.perSec, 1), ms(t.p50), ms(t.p95), ms(t.p99), fmt(t.count), note];
  return [
    row('takeAction() × 4: submit → sign → accept → approve', d.useCase, 'use case: scope, state machine, TOTP, SM2 signatures, audit, notifications'),
    row('the same statements, raw', d.raw, d.rawVia),
  ];
}
const DECIDE_HEADER = ['path (sequential, one project per iteration)', 'SQL/iteration', 'iterations/s', 'p50 ms', 'p95 ms', 'p99 ms', 'iterations', 'notes'];

function markdownRows(header: string[], cells: string[][], numeric: (i: number) => boolean): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (numeric(i) ? ' ---: ' : ' --- ')).join('|')}|`, ...cells.map((c) => `| ${c.map(esc).join(' | ')} |`)].join('\n');
}

const HEADER = ['case', 'via', 'SQL/op', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'requests', '÷ bare', 'notes'];

/** Fixed-width table for the terminal. */
export function consoleTable(report: RunReport): string {
  const rows = [HEADER, ...tableCells(report)];
  const width = HEADER.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8]);
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric.has(i) ? c.padStart(width[i]! - displayWidth(c) + c.length) : c.padEnd(width[i]! - displayWidth(c) + c.length))).join('  ');
  return [line(rows[0]!), width.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** CJK characters take two columns in a terminal. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export function consoleSummary(report: RunReport): string {
  const a = report.audit;
  return [
    consoleTable(report),
    '',
    'Audit chain verification',
    `  ${fmt(a.events)} events in ${fmt(a.chains)} chains (+${a.checkpoints} signed checkpoint); ${fmt(a.appended)} of them appended at ${fmt(a.appendPerSec)} events/s`,
    `  verifyAuditLog        ${fmt(a.verifyPerSec).padStart(10)} events/s  (${fmt(a.verifyMs)} ms)`,
    `  row fetch only        ${fmt(a.fetchOnlyPerSec).padStart(10)} events/s  (the verifier's own keyset query, no hashing)`,
    `  raw SM3 of JSON rows  ${fmt(a.sm3PerSec).padStart(10)} events/s  (${fmt(a.sm3MBPerSec, 1)} MB/s, ${fmt(a.bytes / a.events, 0)} B/event)`,
    `  after all writes: ${fmt(a.finalEvents)} events verified, ${a.finalStatus} (${fmt(a.finalMs)} ms)`,
    '',
    'Ratios',
    ...[...report.ratios.read, ...report.ratios.write, ...report.ratios.audit].map((r) => `  ${ratioLine(r)}`),
    ...(report.portfolio ? ['', ...consolePortfolio(report)] : []),
  ].join('\n');
}

function consolePortfolio(report: RunReport): string[] {
  const p = report.portfolio!;
  const fixed = (header: string[], cells: string[][], numeric: (i: number) => boolean) => {
    const rows = [header, ...cells];
    const width = header.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
    const line = (c: string[]) => c.map((x, i) => (numeric(i) ? x.padStart(width[i]! - displayWidth(x) + x.length) : x.padEnd(width[i]! - displayWidth(x) + x.length))).join('  ');
    return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  };
  return [
    `Project portfolio: ${fmt(p.projects)} projects (${fmt(p.seeded)} seeded in ${fmt(p.seedSeconds, 1)} s)`,
    ...fixed(PORTFOLIO_HEADER, portfolioCells(report), (i) => i >= 1 && i <= 7),
    ...(p.decide ? ['', ...fixed(DECIDE_HEADER, decideCells(report), (i) => i >= 1 && i <= 6)] : []),
    ...(report.ratios.portfolio ?? []).map((r) => `  ${ratioLine(r)}`),
  ];
}

function markdownTable(report: RunReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, i) => (i >= 2 && i <= 8 ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const cells of tableCells(report)) lines.push(`| ${cells.map(esc).join(' | ')} |`);
  return lines.join('\n');
}

/** The generated section of one backend (between its markers in docs/benchmarks.md). */
export function markdownSection(report: RunReport): string {
  const a = report.audit;
  const title = report.backend === 'pglite' ? 'PGlite (embedded, the default)' : 'PostgreSQL';
  return [
    `### ${title}`,
    '',
    `- Date: ${report.date}; total run time ${fmt(report.totalSeconds)} s`,
    `- Machine: ${report.machine.nproc} CPUs (${report.machine.cpu}), ${report.machine.memory} RAM, Linux ${report.machine.kernel}; load average (1/5/15 min) ${report.machine.loadavg}`,
    `- Node ${report.node}; ${report.versions}`,
    `- Backend: ${report.backendDetail}`,
    `- Settings: ${report.settings}`,
    '',
    markdownTable(report),
    '',
    '"SQL/op" is the number of SQL statements one request or call sends (BEGIN and COMMIT included), counted once outside the timed phases. "÷ bare" is the case\'s req/s divided by the mean of the bare-route runs of the same process (two; three with the project portfolio). autocannon reports latency in whole milliseconds.',
    '',
    '**Ratios (same run)**',
    '',
    ...report.ratios.read.map((r) => `- ${ratioLine(r)}`),
    ...report.ratios.write.map((r) => `- ${ratioLine(r)}`),
    '',
    '**Audit chain verification**',
    '',
    '| measurement | events/s | notes |',
    '| --- | ---: | --- |',
    `| appendAuditEvent (4 writers, 500 events per transaction) | ${fmt(a.appendPerSec)} | ${fmt(a.appended)} events over ${fmt(a.chains)} chains (the log has ${fmt(a.events)} with the demo's), then ${a.checkpoints} signed checkpoint |`,
    `| verifyAuditLog (median of 3, interleaved with the next two) | ${fmt(a.verifyPerSec)} | ${fmt(a.verifyMs)} ms for ${fmt(a.events)} events |`,
    `| the verifier's row query alone | ${fmt(a.fetchOnlyPerSec)} | same keyset SQL, batches of 5,000, no hashing |`,
    `| raw SM3 over JSON of the same rows (median of 3) | ${fmt(a.sm3PerSec)} | ${fmt(a.sm3MBPerSec, 1)} MB/s, ${fmt(a.bytes / a.events, 0)} bytes/event, createHash('sm3') per event |`,
    `| integrity check after all benchmark writes | — | ${fmt(a.finalEvents)} events, ${a.finalStatus}, ${fmt(a.finalMs)} ms |`,
    '',
    ...report.ratios.audit.map((r) => `- ${ratioLine(r)}`),
    ...(report.portfolio ? ['', ...markdownPortfolio(report)] : []),
  ].join('\n');
}

function markdownPortfolio(report: RunReport): string[] {
  const p = report.portfolio!;
  return [
    `**Project portfolio: ${fmt(p.projects)} projects**`,
    '',
    `${fmt(p.seeded)} synthetic projects seeded by \`seedSynthetic\` (as \`govproj seed --synthetic ${p.seeded}\`) in ${fmt(p.seedSeconds, 1)} s ` +
      `(${fmt(p.seeded / p.seedSeconds)} projects/s, ${fmt(p.organizationsCreated)} new organizations, VACUUM ANALYZE included). ` +
      `Latencies below are exact percentiles over every response of the measured window; the target is p95 < ${p.targetP95} ms.`,
    '',
    markdownRows(PORTFOLIO_HEADER, portfolioCells(report), (i) => i >= 1 && i <= 7),
    ...(p.decide ? [
      '',
      `Submit → decide, in-process, ${p.decide.rounds} interleaved rounds:`,
      '',
      markdownRows(DECIDE_HEADER, decideCells(report), (i) => i >= 1 && i <= 6),
    ] : []),
    '',
    ...(report.ratios.portfolio ?? []).map((r) => `- ${ratioLine(r)}`),
  ];
}

const marker = (backend: string) => [`<!-- bench:${backend}:begin (generated by npm run bench) -->`, `<!-- bench:${backend}:end -->`] as const;

/**
 * Replaces this backend's section of the document (between its markers), leaving the
 * hand-written text and the other backend's section alone. Creates the document when missing.
 */
export function writeDocSection(path: string, report: RunReport, skeleton: string): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : skeleton;
  const [begin, end] = marker(report.backend);
  const body = `${begin}\n${markdownSection(report)}\n${end}`;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  const next = from >= 0 && to > from ? doc.slice(0, from) + body + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${body}\n`;
  writeFileSync(path, next);
}

/** The document before any run filled it in (the hand-written parts live outside the markers). */
export function docSkeleton(): string {
  const [pb, pe] = marker('pglite');
  const [qb, qe] = marker('postgresql');
  return [
    '# Benchmarks',
    '',
    'Run `npm run bench` (PGlite) and `npm run bench -- --postgres` (PostgreSQL); each run rewrites its own section below.',
    '',
    '## Results',
    '',
    pb, '_not run yet_', pe,
    '',
    qb, '_not run yet_', qe,
    '',
  ].join('\n');
}

// ——— the catalog at scale (bench/catalog.ts) ———

/** Sequential timings in ms. */
export interface SqlTiming { p50: number; p95: number; p99: number; mean: number; count: number }

interface TrgmRun extends SqlTiming {
  threshold: number;
  queries: number;
  /** Mean over the queries of |our top-10 systems ∩ pg_trgm's top-10|, and of each list's length. */
  meanCommon: number;
  meanOurs: number;
  meanTheirs: number;
  /** Queries where both engines returned something. */
  bothNonEmpty: number;
}

interface HttpFigures { perSec: number; p50: number; p95: number; p99: number; count: number }

export interface CatalogFigures {
  requested: number;
  seeded: number;
  seedSeconds: number;
  seededDataItems: number;
  nearDuplicates: number;
  projectsSeeded: number;
  table: { systems: number; projects: number; resources: number; dataItems: number };
  targetP95: number;
  index: { documents: number; buildSeconds: number; rssBefore: number; rssAfter: number };
  queries: number;
  shownPerQuery: number;
  hiddenPerQuery: number;
  statements: number;
  bare: HttpFigures;
  /** With the worker-thread replicas (src/usecases/similarity-pool.ts). */
  check: HttpFigures;
  /** The same route with the search on the event loop, same index, same run. */
  /** Connections of the HTTP cases other than `checkOne`. */
  connections: number;
  /** The check one request at a time (1 connection, search on the event loop). */
  checkOne: HttpFigures;
  checkEventLoop: HttpFigures;
  pool: { replicas: number; servedByReplicas: number; failedOver: number; loadEventLoop: number; loadPool: number };
  engine: { candidates: SqlTiming; top10: SqlTiming; unpruned: SqlTiming; exhaustive: SqlTiming };
  trgm: { indexMs: number; indexBytes: number; plan: string; default: TrgmRun; best: TrgmRun };
  exports: Array<{
    filter: string; rows: number; seconds: number; bytes: number; rssBefore: number; rssPeak: number; rssAfter: number;
    /** heapUsed after a full GC: before, the largest of the samples taken every second during, after. */
    heapBefore: number; heapPeakAfterGc: number; heapAfter: number; gcSamples: number;
  }>;
  import: { rows: number; bytes: number; seconds: number; written: number };
  /** Filled in by bench/run.ts. */
  date?: string;
  machine?: string;
  settings?: string;
  totalSeconds?: number;
}

const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024, 0)} MiB`;

function catalogLines(c: CatalogFigures): string[] {
  const under = (p95: number) => (p95 < c.targetP95 ? `yes (< ${c.targetP95})` : `**NO** (≥ ${c.targetP95})`);
  const t = c.trgm;
  const trgmRow = (r: TrgmRun, note: string) => [
    `pg_trgm \`%\` at ${r.threshold}, top-10 by similarity()`, 'SQL, sequential', fmt(1000 / r.mean, 1), ms(r.p50), ms(r.p95), ms(r.p99), fmt(r.count), '', under(r.p95),
    `${note}; ${fmt(r.meanTheirs, 1)} hits/query; overlap with ours ${fmt(r.meanCommon, 2)} of 10 (${fmt(r.bothNonEmpty)} of ${fmt(r.queries)} queries had hits from both)`,
  ];
  const engineRow = (title: string, s: SqlTiming, note: string) => [title, 'in-process, sequential', fmt(1000 / s.mean, 0), ms(s.p50), ms(s.p95), ms(s.p99), fmt(s.count), '', under(s.p95), note];
  const rows = [
    ['GET /bench/bare (reference, same instance)', 'HTTP', fmt(c.bare.perSec), ms(c.bare.p50), ms(c.bare.p95), ms(c.bare.p99), fmt(c.bare.count), '1.000', '', 'no database'],
    ['POST /api/v1/similarity/check (NDRC), 1 connection (one check at a time)', 'HTTP', fmt(c.checkOne.perSec), ms(c.checkOne.p50), ms(c.checkOne.p95), ms(c.checkOne.p99),
      fmt(c.checkOne.count), fmt(c.checkOne.perSec / c.bare.perSec, 3), under(c.checkOne.p95),
      'the latency of one check: search on the event loop, the candidates re-read with the caller\'s scope, the best 10 shown'],
    [`POST /api/v1/similarity/check (NDRC), search on the event loop, ${c.connections} connections`, 'HTTP', fmt(c.checkEventLoop.perSec), ms(c.checkEventLoop.p50), ms(c.checkEventLoop.p95), ms(c.checkEventLoop.p99),
      fmt(c.checkEventLoop.count), fmt(c.checkEventLoop.perSec / c.bare.perSec, 3), under(c.checkEventLoop.p95),
      `${c.queries} project descriptions in rotation; ${c.statements} SQL statements/request; ${fmt(c.shownPerQuery, 1)} items shown + ${fmt(c.hiddenPerQuery, 1)} hidden per query; 1-min load average after: ${fmt(c.pool.loadEventLoop, 2)}`],
    [c.pool.replicas === 0 ? 'POST /api/v1/similarity/check (NDRC), the same again (no worker replica: GOVPROJ_SIMILARITY_WORKERS is 0 below 4 cores)'
      : `POST /api/v1/similarity/check (NDRC), search by ${c.pool.replicas} worker replica(s)`, 'HTTP', fmt(c.check.perSec), ms(c.check.p50), ms(c.check.p95), ms(c.check.p99), fmt(c.check.count),
      fmt(c.check.perSec / c.bare.perSec, 3), under(c.check.p95),
      `the same; ${fmt(c.pool.servedByReplicas)} searches answered by replicas, ${fmt(c.pool.failedOver)} failed over; ${fmt(c.check.perSec / c.checkEventLoop.perSec, 2)}× the event loop's req/s, p95 ${fmt(c.check.p95 / c.checkEventLoop.p95, 2)}×; 1-min load average after: ${fmt(c.pool.loadPool, 2)}`],
    engineRow('index.search: top 200 candidates ≥ 0.33 (what the route asks)', c.engine.candidates, 'projects and systems, top-k pruning (MaxScore + Cauchy–Schwarz bound)'),
    engineRow('index.search: the same top 200, exhaustive (prune: false)', c.engine.exhaustive, 'every document sharing a query term scored; identical hits (checked for every query)'),
    engineRow('index.search: top-10 systems ≥ 0.33', c.engine.top10, 'the list compared with pg_trgm'),
    engineRow('index.search: top-10 systems, no minimum', c.engine.unpruned, 'pruned by the top-10 alone'),
    trgmRow(t.default, 'the default threshold'),
    trgmRow(t.best, "pg_trgm's best-F1 threshold on the evaluation set"),
  ];
  const header = ['case', 'via', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', '÷ bare', 'p95 under target', 'notes'];
  const exportRows = c.exports.map((e) => [
    `GET /api/v1/systems/export?${e.filter}`, fmt(e.rows), `${fmt(e.seconds, 1)} s`, fmt(e.rows / e.seconds), `${fmt(e.bytes / 1e6, 1)} MB`,
    mib(e.rssBefore), mib(e.rssPeak), `+${mib(e.rssPeak - e.rssBefore)}`,
    mib(e.heapBefore), mib(e.heapPeakAfterGc), `+${mib(e.heapPeakAfterGc - e.heapBefore)}`, fmt(e.gcSamples),
  ]);
  const [small, large] = c.exports;
  return [
    `- Date: ${c.date ?? ''}; catalog part ${fmt(c.totalSeconds ?? 0)} s; ${c.machine ?? ''}`,
    `- Settings: ${c.settings ?? ''}`,
    `- Data: ${fmt(c.seeded)} systems seeded by \`seedSyntheticSystems\` (as \`govproj seed --synthetic-systems ${c.requested}\`) in ${fmt(c.seedSeconds, 1)} s ` +
      `(${fmt(c.seeded / c.seedSeconds)} systems/s with their resources and links, VACUUM ANALYZE included; ${fmt(c.nearDuplicates)} planted cross-department near-duplicates` +
      `${c.projectsSeeded ? `; ${fmt(c.projectsSeeded)} synthetic projects added first` : ''}). Tables: ${fmt(c.table.systems)} systems, ` +
      `${fmt(c.table.resources)} information resources holding **${fmt(c.table.dataItems)} data items**, ${fmt(c.table.projects)} projects.`,
    `- Similarity index (in-memory, per process): ${fmt(c.index.documents)} documents (systems + projects) built from the database by the first sync in ${fmt(c.index.buildSeconds, 1)} s; ` +
      `server RSS ${mib(c.index.rssBefore)} → ${mib(c.index.rssAfter)} (+${mib(c.index.rssAfter - c.index.rssBefore)}).`,
    '',
    markdownRows(header, rows, (i) => i >= 2 && i <= 8),
    '',
    `- Ratios in this run: the check with replicas ${fmt(c.check.perSec / c.bare.perSec, 3)} of the bare route's req/s (event loop ${fmt(c.checkEventLoop.perSec / c.bare.perSec, 3)}); ` +
      `its p50 ${fmt(c.check.p50, 1)} ms against pg_trgm's sequential p50 ${fmt(t.default.p50, 1)} ms at 0.3 (no hits) and ${fmt(t.best.p50, 0)} ms at 0.07 (${fmt(t.best.p50 / c.check.p50, 1)}×).`,
    '',
    `pg_trgm: GIN index \`gin ((name || ' ' || purpose) gin_trgm_ops)\` created by the bench in ${fmt(t.indexMs / 1000, 1)} s (${mib(t.indexBytes)}), dropped afterwards; plan: ${t.plan}.`,
    '',
    'Export (streamed .xlsx with backpressure, downloaded by the load process; RSS of the server process sampled every 50 ms, heap used after a full GC every second):',
    '',
    markdownRows(['export', 'rows', 'wall time', 'rows/s', 'size', 'RSS before', 'RSS peak', 'peak − before', 'heap (GC) before', 'heap (GC) peak', 'peak − before', 'GC samples'], exportRows, (i) => i >= 1),
    '',
    ...(small && large ? [`- Peak RSS growth: ${mib(small.rssPeak - small.rssBefore)} for ${fmt(small.rows)} rows vs ${mib(large.rssPeak - large.rssBefore)} for ${fmt(large.rows)} rows ` +
      `(${fmt(large.rows / small.rows, 1)}× the rows); heap after GC +${mib(small.heapPeakAfterGc - small.heapBefore)} vs +${mib(large.heapPeakAfterGc - large.heapBefore)}.`] : []),
    `- Import: ${fmt(c.import.rows)} system rows (${fmt(c.import.bytes / 1e6, 2)} MB .xlsx, \`POST /api/v1/imports/systems?mode=all-or-nothing\`, in the request: staging, SM3, validation of every cell, ` +
      `then one transaction of INSERTs of ${500} rows with an audit event each) in **${fmt(c.import.seconds, 2)} s** ` +
      `(${c.import.seconds < 10 ? 'under' : '**NOT** under'} the 10 s target; ${fmt(c.import.rows / c.import.seconds)} rows/s; ${fmt(c.import.written)} written).`,
  ];
}

export function consoleCatalog(c: CatalogFigures): string {
  return ['Catalog at scale', ...catalogLines(c)].join('\n');
}

const CATALOG_MARKERS = ['<!-- bench:catalog:begin (generated by npm run bench -- --postgres) -->', '<!-- bench:catalog:end -->'] as const;

/** Replaces the catalog section of the document (between its markers; appended when missing). */
export function writeCatalogSection(path: string, figures: CatalogFigures): void {
  const doc = readFileSync(path, 'utf8');
  const [begin, end] = CATALOG_MARKERS;
  const body = `${begin}\n${catalogLines(figures).join('\n')}\n${end}`;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  const next = from >= 0 && to > from ? doc.slice(0, from) + body + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n## Catalog at scale (PostgreSQL)\n\n${body}\n`;
  writeFileSync(path, next);
}
