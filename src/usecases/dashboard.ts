// 统计分析 dashboards (issue 6 item 7; SPEC §9, and §8 for the risk and overdue charts): the
// portfolio by stage, department, year and region; investment approved vs released vs spent; overdue
// obligations; the risk distribution — each one set-based SQL statement over the projects the caller
// may read (visible(), src/db/scope.ts), and the list behind every figure (the drill-down), paged and
// exportable. "Department" is the construction unit's parent organization (the 部门 whose unit it
// is; a unit without one stands for itself); "region" the province of the unit's 行政区划代码, or
// 中央 for central units (I-74).
import { sql, type RawBuilder } from 'kysely';
import type { DataScope } from '../domain/authz.ts';
import { formatWan, parseWan } from '../domain/money.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { bandOfLevel, type RiskLevel } from '../domain/risk.ts';
import { OBLIGATION_KIND_NAMES } from '../domain/obligations.ts';
import { PROVINCES } from '../domain/synthetic-portfolio.ts';
import type { Executor } from '../db/database.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';
import { visible } from './projects.ts';
import { openRectificationsByProject, overdueObligationsByProject } from './risk-ratings.ts';

export const DASHBOARD_CHARTS = ['stage', 'department', 'year', 'region', 'investment', 'overdue', 'risk'] as const;
export type DashboardChart = (typeof DASHBOARD_CHARTS)[number];

/** One bar (or slice) of a chart: its key (what the drill-down filters on), label and figures. */
export interface ChartPoint {
  key: string;
  label: { zh: string; en: string };
  /** Projects (or obligations, on the overdue chart). */
  count: number;
  /** 万元, exact: total investment of the projects (approved, released, spent on the investment chart). */
  amount?: string;
  released?: string;
  spent?: string;
}

export interface ChartData {
  chart: DashboardChart;
  points: ChartPoint[];
  /** The drill-down filter a point's key goes into. */
  drill: keyof DrillFilter;
}

/** In construction: approved (approval track) or filed (filing track), as the obligations sweep counts it. */
const IN_CONSTRUCTION = sql<boolean>`((p.track = 'approval' and p.status = 'approved') or (p.track = 'filing' and p.status = 'filed'))`;
const REGION = sql<string>`coalesce(substr(u.division_code, 1, 2) || '0000', 'central')`;
const REGION_NAMES = new Map(PROVINCES.map((p) => [p.code, { zh: p.name, en: p.nameEn }]));
const regionLabel = (code: string) => (code === 'central' ? { zh: '中央', en: 'Central' } : REGION_NAMES.get(code) ?? { zh: code, en: code });

const STAGE_NAMES: Record<string, { zh: string; en: string }> = {
  proposal: { zh: '项目建议书', en: 'Proposal' }, feasibilityStudy: { zh: '可行性研究报告', en: 'Feasibility study' },
  preliminaryDesign: { zh: '初步设计', en: 'Preliminary design' }, combinedStage: { zh: '合并阶段', en: 'Combined stage' }, filing: { zh: '备案', en: 'Filing' },
};
const BAND_NAMES: Record<string, { zh: string; en: string }> = { green: { zh: '绿色', en: 'Green' }, amber: { zh: '黄色', en: 'Amber' }, red: { zh: '红色', en: 'Red' } };

/** How many departments the department chart shows (the largest; the drill-down has the rest). */
export const TOP_DEPARTMENTS = 15;

/** The risk level of project p now: stored variance level raised by overdue obligations and open rectifications (raisedBand). */
const LEVEL = sql<number>`least(2, coalesce(rc.variance_level, 0) + (case when ob.n > 0 then 1 else 0 end) + (case when rr.open > 0 then 1 else 0 end))`;

function riskJoins(today: string): RawBuilder<unknown> {
  return sql`left join risk_current rc on rc.project_id = p.id
    left join ${overdueObligationsByProject()} ob on ob.project_id = p.id
    left join ${openRectificationsByProject(today)} rr on rr.project_id = p.id`;
}

const n = (v: unknown) => Number(v);
const wan = (v: string | null) => formatWan(parseWan(v ?? '0')!);

/** One chart's figures over the projects the caller may read. */
export async function dashboardChart(services: Services, actor: Actor, chart: DashboardChart): Promise<ChartData> {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  return { chart, drill: DRILL_OF[chart], points: await CHARTS[chart](db, scope, today) };
}

const DRILL_OF: Record<DashboardChart, keyof DrillFilter> = {
  stage: 'stage', department: 'departmentId', year: 'year', region: 'region', investment: 'year', overdue: 'overdueKind', risk: 'band',
};

type ChartQuery = (db: Executor, scope: DataScope, today: string) => Promise<ChartPoint[]>;

const CHARTS: Record<DashboardChart, ChartQuery> = {
  async stage(db, scope) {
    const r = await sql<{ k: string; n: string; amount: string }>`
      select p.stage as k, count(*) as n, sum(p.total_investment)::text as amount from projects p
      where ${visible(scope)} group by p.stage order by p.stage`.execute(db);
    return r.rows.map((x) => ({ key: x.k, label: STAGE_NAMES[x.k] ?? { zh: x.k, en: x.k }, count: n(x.n), amount: wan(x.amount) }));
  },
  async department(db, scope) {
    const r = await sql<{ k: string; name: string; name_en: string; n: string; amount: string }>`
      select g.k, d.name, d.name_en, g.n, g.amount from (
        select coalesce(u.parent_id, u.id) as k, count(*) as n, sum(p.total_investment)::text as amount
        from projects p join organizations u on u.id = p.construction_unit_id
        where ${visible(scope)} group by 1 order by count(*) desc, 1 limit ${TOP_DEPARTMENTS}) g
      join organizations d on d.id = g.k order by g.n desc, g.k`.execute(db);
    return r.rows.map((x) => ({ key: x.k, label: { zh: x.name, en: x.name_en || x.name }, count: n(x.n), amount: wan(x.amount) }));
  },
  async year(db, scope) {
    const r = await sql<{ k: number; n: string; amount: string }>`
      select extract(year from p.construction_start)::int as k, count(*) as n, sum(p.total_investment)::text as amount
      from projects p where ${visible(scope)} group by 1 order by 1`.execute(db);
    return r.rows.map((x) => ({ key: String(x.k), label: { zh: `${x.k}年`, en: String(x.k) }, count: n(x.n), amount: wan(x.amount) }));
  },
  async region(db, scope) {
    const r = await sql<{ k: string; n: string; amount: string }>`
      select ${REGION} as k, count(*) as n, sum(p.total_investment)::text as amount
      from projects p join organizations u on u.id = p.construction_unit_id
      where ${visible(scope)} group by 1 order by count(*) desc, 1`.execute(db);
    return r.rows.map((x) => ({ key: x.k, label: regionLabel(x.k), count: n(x.n), amount: wan(x.amount) }));
  },
  /**
   * By year: approved = total investment of projects in construction whose construction starts that
   * year; released = investment plans of that plan year; spent = payments made that year.
   *
   * Three independent aggregates, each over its own table joined to projects only when the scope
   * needs it: the former common table expression of the visible projects was read three times, so
   * PostgreSQL materialized it (a scan of every project, then two hash joins over it). The approved
   * sum is an index-only scan of projects_in_construction_investment_idx (migration
   * 20261127T0301). The figures stay exact NUMERIC sums of the rows.
   */
  async investment(db, scope) {
    const releases = scope.all ? sql`investment_releases r` : sql`investment_releases r join projects p on p.id = r.project_id and ${visible(scope)}`;
    const spending = scope.all ? sql`investment_spending x` : sql`investment_spending x join projects p on p.id = x.project_id and ${visible(scope)}`;
    const r = await sql<{ k: number; n: string; approved: string | null; released: string | null; spent: string | null }>`
      with a as (select extract(year from p.construction_start)::int as k, count(*) as n, sum(p.total_investment) as s from projects p
        where ${IN_CONSTRUCTION} and ${visible(scope)} group by 1),
      r as (select r.plan_year as k, sum(r.amount) as s from ${releases} group by 1),
      s as (select extract(year from x.spent_on)::int as k, sum(x.amount) as s from ${spending} group by 1)
      select k, coalesce(a.n, 0) as n, a.s::text as approved, r.s::text as released, s.s::text as spent
      from a full join r using (k) full join s using (k) order by k`.execute(db);
    return r.rows.map((x) => ({ key: String(x.k), label: { zh: `${x.k}年`, en: String(x.k) }, count: n(x.n), amount: wan(x.approved), released: wan(x.released), spent: wan(x.spent) }));
  },
  async overdue(db, scope) {
    const r = await sql<{ k: string; n: string; projects: string }>`
      select o.kind as k, count(*) as n, count(distinct o.project_id) as projects from obligations o join projects p on p.id = o.project_id
      where o.status = 'overdue' and ${visible(scope)} group by 1 order by 1`.execute(db);
    return r.rows.map((x) => {
      const names = OBLIGATION_KIND_NAMES[x.k as keyof typeof OBLIGATION_KIND_NAMES];
      return { key: x.k, label: names ? { zh: names.zh, en: names.en } : { zh: x.k, en: x.k }, count: n(x.n), amount: undefined, projects: n(x.projects) };
    });
  },
  async risk(db, scope, today) {
    const r = await sql<{ k: number; n: string; amount: string }>`
      select ${LEVEL} as k, count(*) as n, sum(p.total_investment)::text as amount from projects p ${riskJoins(today)}
      where ${IN_CONSTRUCTION} and ${visible(scope)} group by 1 order by 1`.execute(db);
    const by = new Map(r.rows.map((x) => [n(x.k), x]));
    return ([0, 1, 2] as RiskLevel[]).map((lv) => {
      const band = bandOfLevel(lv);
      const x = by.get(lv);
      return { key: band, label: BAND_NAMES[band]!, count: x ? n(x.n) : 0, amount: wan(x?.amount ?? null) };
    });
  },
};

// ---------------------------------------------------------------------------------------------
// The list behind a figure

export interface DrillFilter {
  stage?: string | undefined;
  departmentId?: string | undefined;
  year?: number | undefined;
  region?: string | undefined;
  band?: 'green' | 'amber' | 'red' | undefined;
  overdueKind?: string | undefined;
  /** Only projects in construction (the investment and risk charts). */
  inConstruction?: boolean | undefined;
}

export interface DrillRow {
  id: string;
  code: string;
  name: string;
  unitName: string;
  departmentName: string;
  region: { zh: string; en: string };
  stage: string;
  status: string;
  track: string;
  constructionStart: string;
  totalInvestment: string;
  inConstruction: boolean;
  /** Null before construction (no rating). */
  band: string | null;
  overdueObligations: number;
  openRectifications: number;
}

function drillQuery(scope: DataScope, f: DrillFilter, today: string, after: string | null, limit: number | null, offset: number) {
  const where: RawBuilder<boolean>[] = [visible(scope)];
  if (f.stage) where.push(sql<boolean>`p.stage = ${f.stage}`);
  if (f.departmentId) where.push(sql<boolean>`coalesce(u.parent_id, u.id) = ${f.departmentId}::uuid`);
  if (f.year !== undefined) {
    where.push(sql<boolean>`p.construction_start >= ${`${f.year}-01-01`}::date and p.construction_start < ${`${f.year + 1}-01-01`}::date`);
  }
  if (f.region) where.push(sql<boolean>`${REGION} = ${f.region}`);
  if (f.band || f.inConstruction) where.push(IN_CONSTRUCTION);
  if (f.band) where.push(sql<boolean>`${LEVEL} = ${['green', 'amber', 'red'].indexOf(f.band)}`);
  if (f.overdueKind) where.push(sql<boolean>`exists (select 1 from obligations o where o.project_id = p.id and o.status = 'overdue' and o.kind = ${f.overdueKind})`);
  if (after) where.push(sql<boolean>`p.code > ${after}`);
  return sql<{
    id: string; code: string; name: string; unit_name: string; department_name: string; region: string; stage: string; status: string; track: string;
    construction_start: string; total: string; ic: boolean; level: number; overdue: number | null; open: number | null; total_count: string;
  }>`
    select p.id, p.code, p.name, u.name as unit_name, d.name as department_name, ${REGION} as region, p.stage, p.status, p.track,
      p.construction_start::text as construction_start, p.total_investment::text as total, ${IN_CONSTRUCTION} as ic, ${LEVEL} as level,
      ob.n as overdue, rr.open as open, count(*) over () as total_count
    from projects p join organizations u on u.id = p.construction_unit_id join organizations d on d.id = coalesce(u.parent_id, u.id)
    ${riskJoins(today)}
    where ${sql.join(where, sql` and `)}
    order by p.code ${limit === null ? sql`` : sql`limit ${limit} offset ${offset}`}`;
}

function presentDrill(r: {
  id: string; code: string; name: string; unit_name: string; department_name: string; region: string; stage: string; status: string; track: string;
  construction_start: string; total: string; ic: boolean; level: number; overdue: number | null; open: number | null;
}): DrillRow {
  return {
    id: r.id, code: r.code, name: r.name, unitName: r.unit_name, departmentName: r.department_name, region: regionLabel(r.region),
    stage: r.stage, status: r.status, track: r.track, constructionStart: r.construction_start, totalInvestment: wan(r.total),
    inConstruction: r.ic, band: r.ic ? bandOfLevel(n(r.level) as RiskLevel) : null, overdueObligations: r.overdue ?? 0, openRectifications: r.open ?? 0,
  };
}

/** A page of the projects behind a figure, by project code. */
export async function drillProjects(services: Services, actor: Actor, f: DrillFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'project:read');
  const today = shanghaiDate(services.now());
  const r = await drillQuery(scope, f, today, null, pageSize, (page - 1) * pageSize).execute(services.database.db);
  const total = r.rows[0] ? n(r.rows[0].total_count) : 0;
  return { items: r.rows.map(presentDrill), total };
}

/** Every project behind a figure, in keyset batches of 1000 (the .xlsx export). */
export async function* exportDrillProjects(services: Services, actor: Actor, f: DrillFilter): AsyncGenerator<DrillRow[]> {
  const scope = requireAccess(actor, 'project:read');
  const today = shanghaiDate(services.now());
  let after: string | null = null;
  for (;;) {
    const r = await drillQuery(scope, f, today, after, 1000, 0).execute(services.database.db);
    if (r.rows.length === 0) return;
    yield r.rows.map(presentDrill);
    after = r.rows[r.rows.length - 1]!.code;
  }
}
