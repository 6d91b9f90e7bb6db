// The dashboard aggregates at scale (issue 6 item 7; `npm run bench -- --postgres --only dashboard`):
// on the synthetic portfolio (100,000 projects, seeded first when missing) with deterministic
// activity on the approved or filed ones — investment released and spent (two thirds of them),
// risk ratings (one in five, levels from a hash of the code), overdue annual reports (one in ten)
// and open rectification orders (one in fifty) — each chart endpoint is loaded over HTTP as NDRC
// (data scope: all, so every row counts) and as the demo approver (a custom scope), and the bare
// Fastify route in the same run, one after another. Target: p95 < 150 ms for every chart. The
// result is the `## Dashboard (PostgreSQL)` section of docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Services } from '../src/services.ts';
import { DASHBOARD_CHARTS } from '../src/usecases/dashboard.ts';
import { seedSynthetic } from '../src/usecases/seed-synthetic.ts';
import type { LoadResult, LoadSpec } from './protocol.ts';

export interface DashboardContext {
  services: Services;
  projects: number;
  origin: string;
  tokens: { all: string; scoped: string };
  common: { duration: number; warmup: number; connections: number };
  load(spec: LoadSpec): Promise<LoadResult>;
  log(message: string): void;
}

export interface DashboardRow {
  title: string;
  scope: 'bare' | 'all' | 'custom';
  perSec: number;
  p50: number;
  p95: number;
  p99: number;
  count: number;
  points: number;
}

export interface DashboardFigures {
  date: string;
  machine: string;
  settings: string;
  table: { projects: number; inConstruction: number; releases: number; spending: number; rated: number; overdue: number; rectifications: number };
  rows: DashboardRow[];
  targetP95: number;
}

const MARKERS = ['<!-- bench:dashboard:begin -->', '<!-- bench:dashboard:end -->'] as const;
export const DASHBOARD_TARGET_P95_MS = 150;

export async function dashboardSection(ctx: DashboardContext): Promise<DashboardFigures> {
  const { services, log } = ctx;
  const db = services.database.db;
  const count = async (q: string) => Number((await sql<{ n: string }>`${sql.raw(q)}`.execute(db)).rows[0]!.n);

  const have = await count('select count(*) as n from projects');
  if (have < ctx.projects) {
    log(`dashboard: seeding ${ctx.projects - have} synthetic projects`);
    await seedSynthetic(services, { count: ctx.projects - have, seed: 'bench-dashboard' });
  }
  const activity = await count(`select count(*) as n from investment_releases where document_no = 'bench-dashboard'`);
  if (activity === 0) {
    log('dashboard: investment, ratings, overdue obligations and rectifications for the approved and filed projects');
    const user = (await sql<{ id: string }>`select id from users where username = 'approver'`.execute(db)).rows[0]!.id;
    // h: a hash of the project code (the synthetic codes come from a seeded PRNG), so the same
    // portfolio always gets the same activity.
    const hashed = sql`select p.id, p.code, p.construction_start, p.construction_end, p.total_investment, p.construction_unit_id, p.approval_department_id,
        (abs(('x' || substr(md5(p.code), 1, 8))::bit(32)::int::bigint) % 1000)::int as h
      from projects p where (p.track = 'approval' and p.status = 'approved') or (p.track = 'filing' and p.status = 'filed')`;
    await sql`insert into investment_releases (project_id, plan_year, amount, source, document_no, released_on, released_by, role, created_at)
      select id, extract(year from construction_start)::int, round(total_investment * (40 + h % 50) / 100, 2), 'central_budget', 'bench-dashboard',
        construction_start, ${user}::uuid, 'approver', now()
      from (${hashed}) x where h % 3 <> 0 and total_investment > 0`.execute(db);
    await sql`insert into investment_spending (project_id, spent_on, amount, payee, purpose, recorded_by, created_at)
      select id, least(construction_start + 60, current_date), round(total_investment * (20 + h % 30) / 100, 2), 'bench', 'bench', ${user}::uuid, now()
      from (${hashed}) x where h % 3 <> 0 and total_investment > 0`.execute(db);
    await sql`with a as (
        insert into risk_assessments (project_id, assessed_on, planned_start, planned_end, planned_cost, projected_end, projected_cost, actual_cost,
          schedule_variance, cost_variance, original_schedule_variance, original_cost_variance, overdue_obligations, open_rectifications,
          variance_level, band, reasons, rule_values, narrative, recorded_by, role, recorded_at)
        select id, current_date, construction_start, construction_end, greatest(total_investment, 0.01), construction_end, total_investment, 0,
          '0.00', '0.00', '0.00', '0.00', 0, 0, (h % 7) % 3, (array['green', 'amber', 'red'])[(h % 7) % 3 + 1], '[]', '{}', 'bench', ${user}::uuid, 'approver', now()
        from (${hashed}) x where h % 5 = 0
        returning id, project_id, variance_level, assessed_on)
      insert into risk_current (project_id, assessment_id, variance_level, assessed_on) select project_id, id, variance_level, assessed_on from a
      on conflict (project_id) do nothing`.execute(db);
    await sql`insert into obligations (subject_type, subject_id, project_id, kind, period, organization_id, approval_department_id, due_on, status, rule_values, swept_on, created_at, updated_at)
      select 'project', id, id, 'annualReport', 'bench', construction_unit_id, approval_department_id, current_date - 30, 'overdue', '{}', current_date, now(), now()
      from (${hashed}) x where h % 10 = 1 on conflict (subject_id, kind, period) do nothing`.execute(db);
    await sql`insert into construction_orders (project_id, kind, opinion, due_on, ordered_by, ordered_at, payload, signature, public_key)
      select id, 'rectification', 'bench', current_date + 30, ${user}::uuid, now(), '{}', 'bench', 'bench' from (${hashed}) x where h % 50 = 7`.execute(db);
    await sql`analyze`.execute(db);
  }
  const table = {
    projects: await count('select count(*) as n from projects'),
    inConstruction: await count(`select count(*) as n from projects where (track = 'approval' and status = 'approved') or (track = 'filing' and status = 'filed')`),
    releases: await count('select count(*) as n from investment_releases'),
    spending: await count('select count(*) as n from investment_spending'),
    rated: await count('select count(*) as n from risk_current'),
    overdue: await count(`select count(*) as n from obligations where status = 'overdue'`),
    rectifications: await count(`select count(*) as n from construction_orders where kind = 'rectification' and rectified_on is null`),
  };
  log(`dashboard: ${table.projects} projects, ${table.inConstruction} in construction, ${table.releases} releases, ${table.spending} payments, ${table.rated} rated, ${table.overdue} overdue obligations, ${table.rectifications} open rectifications`);

  const rows: DashboardRow[] = [];
  const run = async (title: string, scope: DashboardRow['scope'], path: string, token: string | null) => {
    let points = 0;
    if (token) {
      const probe = await fetch(`${ctx.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!probe.ok) throw new Error(`${path}: HTTP ${probe.status} ${await probe.text()}`);
      points = ((await probe.json()) as { points: unknown[] }).points.length;
    }
    ctx.log(`dashboard: ${title}`);
    const r = await ctx.load({ ...ctx.common, origin: ctx.origin, kind: 'get', title, path, headers: token ? { authorization: `Bearer ${token}` } : {} });
    rows.push({ title, scope, perSec: r.requestsPerSec, p50: r.exact.p50, p95: r.exact.p95, p99: r.exact.p99, count: r.total, points });
    ctx.log(`  ${Math.round(r.requestsPerSec)} req/s, p50 ${r.exact.p50.toFixed(1)} ms, p95 ${r.exact.p95.toFixed(1)} ms`);
  };
  await run('GET /bench/bare', 'bare', '/bench/bare', null);
  for (const chart of DASHBOARD_CHARTS) await run(`GET /api/v1/dashboard/charts/${chart} (NDRC, all)`, 'all', `/api/v1/dashboard/charts/${chart}`, ctx.tokens.all);
  for (const chart of ['stage', 'risk'] as const) await run(`GET /api/v1/dashboard/charts/${chart} (approver, custom scope)`, 'custom', `/api/v1/dashboard/charts/${chart}`, ctx.tokens.scoped);
  await run('GET /bench/bare (again, end of run)', 'bare', '/bench/bare', null);
  return {
    date: new Date().toISOString(), machine: '',
    settings: `autocannon in a forked process, ${ctx.common.connections} connection(s), pipelining 1, ${ctx.common.warmup} s warm-up + ${ctx.common.duration} s per case, one case after another`,
    table, rows, targetP95: DASHBOARD_TARGET_P95_MS,
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function dashboardLines(f: DashboardFigures): string[] {
  const bare = f.rows.filter((r) => r.scope === 'bare');
  const barePerSec = bare.reduce((a, r) => a + r.perSec, 0) / Math.max(1, bare.length);
  const bareP95 = bare.reduce((a, r) => a + r.p95, 0) / Math.max(1, bare.length);
  const charts = f.rows.filter((r) => r.scope !== 'bare');
  const worst = Math.max(...charts.map((r) => r.p95));
  const t = f.table;
  return [
    `Run ${f.date.slice(0, 16).replace('T', ' ')} UTC on ${f.machine}.`,
    `Settings: ${f.settings}.`,
    '',
    `- Data: ${fmt(t.projects)} projects (${fmt(t.inConstruction)} approved or filed), ${fmt(t.releases)} investment releases, ${fmt(t.spending)} payments, ` +
      `${fmt(t.rated)} rated projects, ${fmt(t.overdue)} overdue obligations, ${fmt(t.rectifications)} open rectification orders (activity given deterministically from a hash of the project code).`,
    '- Each chart is one set-based statement over the projects the caller may read (`visible()` of src/usecases/projects.ts); the risk chart reads `risk_current` ' +
      '(the latest rating\'s variance level per project, a summary table written with each rating) and raises it from the overdue obligations and open rectifications ' +
      'grouped once per request, using the partial indexes `obligations_overdue_project_idx` and `construction_orders_open_rectification_idx` (migration 20261127T0210).',
    '',
    '| case | req/s | ÷ bare | p50 ms | p95 ms | p99 ms | points |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...f.rows.map((r) => `| ${r.title} | ${Math.round(r.perSec)} | ${r.scope === 'bare' ? '—' : (r.perSec / barePerSec).toFixed(3)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.scope === 'bare' ? '' : r.points} |`),
    '',
    `Bare route (mean of the two runs): ${Math.round(barePerSec)} req/s, p95 ${bareP95.toFixed(1)} ms. ` +
      `Target: every chart at p95 < ${f.targetP95} ms — ${worst < f.targetP95 ? `met (worst ${worst.toFixed(1)} ms)` : `NOT met (worst ${worst.toFixed(1)} ms)`}.`,
  ];
}

export function writeDashboardSection(path: string, figures: DashboardFigures): void {
  const doc = readFileSync(path, 'utf8');
  const [begin, end] = MARKERS;
  const body = `${begin}\n${dashboardLines(figures).join('\n')}\n${end}`;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  const next = from >= 0 && to > from ? doc.slice(0, from) + body + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n## Dashboard (PostgreSQL)\n\n${body}\n`;
  writeFileSync(path, next);
}
