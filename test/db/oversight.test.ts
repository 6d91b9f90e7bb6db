// Dashboards, risk ratings and funding recommendations (issue 6 items 4, 6, 7) through the HTTP
// stack on both databases: every chart equals a naive count over the same rows; a scoped caller's
// charts equal what its own project list says; every figure's drill-down lists exactly its count;
// a rating is raised by an overdue obligation; a re-baseline keeps the original variance; the
// funding recommendations are NDRC's and MoF's only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { bandOfLevel, type RiskLevel } from '../../src/domain/risk.ts';
import { openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';
import { newMoneyProject, setState } from '../support/money.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'approver', 'ndrc', 'mof', 'reviewer', 'auditor', 'unitlead']) s[u] = await signIn(demo.app, demo.services, u);
}, 300_000);
afterAll(async () => demo.close());

const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: auth(who) });
const post = (who: string, url: string, payload: unknown) => demo.app.inject({ method: 'POST', url, headers: auth(who), payload: payload as object });
type Point = { key: string; count: number; amount?: string; released?: string; spent?: string };
const chart = async (who: string, name: string): Promise<Point[]> => {
  const res = await get(who, `/api/v1/dashboard/charts/${name}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().points;
};
const asMap = (points: Point[]) => Object.fromEntries(points.map((p) => [p.key, p.count]));
const db = () => demo.t.database.db;

/** Sums 万元 strings exactly (fen as bigint). */
const fen = (v: string) => {
  const [w, f = ''] = v.split('.');
  return BigInt(w!) * 1_000_000n + BigInt(f.padEnd(6, '0'));
};

describe('dashboard aggregates equal a naive count (SPEC §9)', () => {
  it('stage, year, region, department: every project counted once, with its amount, for NDRC (all)', async () => {
    const projects = (await sql<{ stage: string; year: number; division: string | null; department: string; total: string }>`
      select p.stage, extract(year from p.construction_start)::int as year, u.division_code as division,
        coalesce(u.parent_id, u.id)::text as department, p.total_investment::text as total
      from projects p join organizations u on u.id = p.construction_unit_id`.execute(db())).rows;
    expect(projects.length).toBeGreaterThan(15);
    const naive = (key: (p: (typeof projects)[number]) => string) => {
      const out: Record<string, number> = {};
      for (const p of projects) out[key(p)] = (out[key(p)] ?? 0) + 1;
      return out;
    };
    expect(asMap(await chart('ndrc', 'stage'))).toEqual(naive((p) => p.stage));
    expect(asMap(await chart('ndrc', 'year'))).toEqual(naive((p) => String(p.year)));
    expect(asMap(await chart('ndrc', 'region'))).toEqual(naive((p) => (p.division ? `${p.division.slice(0, 2)}0000` : 'central')));
    // The department chart shows the largest TOP_DEPARTMENTS; the demo has fewer.
    expect(asMap(await chart('ndrc', 'department'))).toEqual(naive((p) => p.department));
    // Amounts exact to the fen.
    const stage = await chart('ndrc', 'stage');
    for (const point of stage) {
      const sum = projects.filter((p) => p.stage === point.key).reduce((a, p) => a + fen(p.total), 0n);
      expect(fen(point.amount!)).toBe(sum);
    }
  });

  it('investment approved vs released vs spent by year equals the sums of the rows', async () => {
    const points = await chart('ndrc', 'investment');
    const rel = (await sql<{ y: number; s: string }>`select plan_year as y, sum(amount)::text as s from investment_releases group by 1`.execute(db())).rows;
    const spent = (await sql<{ y: number; s: string }>`select extract(year from spent_on)::int as y, sum(amount)::text as s from investment_spending group by 1`.execute(db())).rows;
    expect(rel.length).toBeGreaterThan(0);
    for (const r of rel) expect(fen(points.find((p) => p.key === String(r.y))!.released!)).toBe(fen(r.s));
    for (const r of spent) expect(fen(points.find((p) => p.key === String(r.y))!.spent!)).toBe(fen(r.s));
  });

  it('investment chart: every figure (count, approved, released, spent) equals a plain recomputation over the caller’s own project list', async () => {
    const rows = {
      projects: (await sql<{ id: string; track: string; status: string; year: number; total: string }>`
        select id, track, status, extract(year from construction_start)::int as year, total_investment::text as total from projects`.execute(db())).rows,
      releases: (await sql<{ project_id: string; year: number; amount: string }>`select project_id, plan_year as year, amount::text as amount from investment_releases`.execute(db())).rows,
      spending: (await sql<{ project_id: string; year: number; amount: string }>`
        select project_id, extract(year from spent_on)::int as year, amount::text as amount from investment_spending`.execute(db())).rows,
    };
    const checked: Record<string, number> = {};
    for (const who of ['ndrc', 'approver', 'preparer']) {
      const ids = new Set<string>();
      for (let page = 1; ; page += 1) {
        const res = (await get(who, `/api/v1/projects?page=${page}&pageSize=200`)).json() as { items: Array<{ id: string }>; total: number };
        for (const p of res.items) ids.add(p.id);
        if (page * 200 >= res.total) break;
      }
      const naive = new Map<string, { count: number; approved: bigint; released: bigint; spent: bigint }>();
      const at = (y: number) => naive.get(String(y)) ?? naive.set(String(y), { count: 0, approved: 0n, released: 0n, spent: 0n }).get(String(y))!;
      for (const p of rows.projects) {
        if (!ids.has(p.id) || !((p.track === 'approval' && p.status === 'approved') || (p.track === 'filing' && p.status === 'filed'))) continue;
        at(p.year).count += 1;
        at(p.year).approved += fen(p.total);
      }
      for (const r of rows.releases) if (ids.has(r.project_id)) at(r.year).released += fen(r.amount);
      for (const x of rows.spending) if (ids.has(x.project_id)) at(x.year).spent += fen(x.amount);
      const points = await chart(who, 'investment');
      expect(points.map((p) => p.key), who).toEqual([...naive.keys()].sort());
      for (const p of points) {
        const want = naive.get(p.key)!;
        expect({ count: p.count, approved: fen(p.amount!), released: fen(p.released!), spent: fen(p.spent!) }, `${who} ${p.key}`).toEqual(want);
      }
      checked[who] = ids.size;
      checked[`${who} releases`] = rows.releases.filter((r) => ids.has(r.project_id)).length;
    }
    // A scoped caller sees fewer projects than NDRC, with releases among them: the join to its projects was exercised.
    expect(checked.preparer).toBeLessThan(checked.ndrc!);
    expect(checked['approver releases']! + checked['preparer releases']!).toBeGreaterThan(0);
  });

  it('overdue obligations by kind, and the risk distribution, equal naive counts', async () => {
    const overdue = (await sql<{ kind: string }>`select kind from obligations where status = 'overdue' and project_id is not null`.execute(db())).rows;
    const naive: Record<string, number> = {};
    for (const o of overdue) naive[o.kind] = (naive[o.kind] ?? 0) + 1;
    expect(asMap(await chart('ndrc', 'overdue'))).toEqual(naive);

    // Naively: every project in construction, its latest assessment's level, raised per the rule.
    const rows = (await sql<{ id: string; level: number | null; overdue: string; open: string }>`
      select p.id,
        (select a.variance_level from risk_assessments a where a.project_id = p.id order by a.seq desc limit 1) as level,
        (select count(*) from obligations o where o.project_id = p.id and o.status = 'overdue') as overdue,
        (select count(*) from construction_orders c where c.project_id = p.id and c.kind = 'rectification' and c.rectified_on is null)
          + (select count(*) from rectification_orders r where r.project_id = p.id and r.status <> 'passed') as open
      from projects p where (p.track = 'approval' and p.status = 'approved') or (p.track = 'filing' and p.status = 'filed')`.execute(db())).rows;
    const bands: Record<string, number> = { green: 0, amber: 0, red: 0 };
    for (const r of rows) {
      const level = Math.min(2, (r.level ?? 0) + (Number(r.overdue) > 0 ? 1 : 0) + (Number(r.open) > 0 ? 1 : 0)) as RiskLevel;
      bands[bandOfLevel(level)]! += 1;
    }
    expect(asMap(await chart('ndrc', 'risk'))).toEqual(bands);
    // The demo has all three bands.
    expect(Object.values(bands).every((n) => n > 0)).toBe(true);
  });

  it('every figure drills down to exactly its projects', async () => {
    for (const name of ['stage', 'department', 'year', 'region', 'risk', 'overdue']) {
      const res = await get('ndrc', `/api/v1/dashboard/charts/${name}`);
      const { points, drill } = res.json() as { points: Point[]; drill: string };
      for (const p of points) {
        const list = await get('ndrc', `/api/v1/dashboard/projects?${drill}=${encodeURIComponent(p.key)}&pageSize=200`);
        expect(list.statusCode, list.body).toBe(200);
        if (name === 'overdue') {
          // Obligations per kind ≥ projects with one of that kind (a project may owe several).
          expect(list.json().total).toBeGreaterThan(0);
          expect(list.json().total).toBeLessThanOrEqual(p.count);
        } else {
          expect(list.json().total, `${name}=${p.key}`).toBe(p.count);
        }
        if (name === 'risk') for (const item of list.json().items) expect(item.band).toBe(p.key);
      }
    }
  });
});

describe('data scope (SPEC §1)', () => {
  it('a scoped caller’s charts count only the projects it may read, as its own project list does', async () => {
    for (const who of ['preparer', 'approver', 'unitlead']) {
      const stages = await chart(who, 'stage');
      const total = stages.reduce((a, p) => a + p.count, 0);
      const list = await get(who, '/api/v1/projects?page=1&pageSize=1');
      expect(total, who).toBe(list.json().total);
      for (const p of stages) {
        const byStage = await get(who, `/api/v1/projects?page=1&pageSize=1&stage=${p.key}`);
        expect(p.count, `${who} ${p.key}`).toBe(byStage.json().total);
      }
      const drill = await get(who, '/api/v1/dashboard/projects?pageSize=200');
      expect(drill.json().total).toBe(total);
    }
    // The preparer's unit is one of several: it sees fewer than NDRC.
    const all = (await chart('ndrc', 'stage')).reduce((a, p) => a + p.count, 0);
    expect((await chart('preparer', 'stage')).reduce((a, p) => a + p.count, 0)).toBeLessThan(all);
  });

  it('chart data and the list behind a figure export as .xlsx', async () => {
    const res = await get('ndrc', '/api/v1/dashboard/charts/investment/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const list = await get('approver', '/api/v1/dashboard/projects/export?band=red');
    expect(list.statusCode).toBe(200);
    expect(list.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await get('ndrc', '/api/v1/dashboard/charts/nope')).statusCode).toBe(400);
  });
});

describe('risk ratings (SPEC §8)', () => {
  it('a projection is rated from the rule settings: exactly 10% over is amber; history keeps date and narrative', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '风险评级测试项目', '1000.00');
    // Before approval: no rating is recorded.
    const early = await post('preparer', `/api/v1/projects/${id}/risk/assessments`, { projectedEnd: '2027-12-31', projectedCost: '1100.00', narrative: '预测' });
    expect(early.statusCode).toBe(409);
    await setState(demo, id, 'preliminaryDesign', 'approved');
    const ok = await post('preparer', `/api/v1/projects/${id}/risk/assessments`, { projectedEnd: '2027-12-31', projectedCost: '1100.00', narrative: '采购价格上涨' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().rating).toMatchObject({ band: 'amber', costVariance: '10.00', scheduleVariance: '0.00' });
    const risk = (await get('approver', `/api/v1/projects/${id}/risk`)).json();
    expect(risk).toMatchObject({ rated: true, planned: { plannedCost: '1000.00', rebaselined: false }, projected: { cost: '1100.00' }, rating: { band: 'amber' }, thresholds: { 'risk.amberPercent': '10.00', 'risk.redPercent': '30.00' } });
    expect(risk.history).toEqual([expect.objectContaining({ narrative: '采购价格上涨', band: 'amber', assessedOn: risk.today })]);
    // Outside the unit's scope: 404; wrong role: 403; bad body: 400.
    expect((await get('preparer', `/api/v1/projects/${(await newMoneyProject(demo, auth('preparer'), '另一项目', '10.00'))}/risk`)).statusCode).toBe(200);
    expect((await post('approver', `/api/v1/projects/${id}/risk/assessments`, { projectedEnd: '2027-12-31', projectedCost: '1.00', narrative: 'x' })).statusCode).toBe(403);
    expect((await post('preparer', `/api/v1/projects/${id}/risk/assessments`, { projectedEnd: '2027-02-30', projectedCost: '1.00', narrative: 'x' })).statusCode).toBe(400);
    const events = await sql<{ action: string }>`select action from audit_events where object_id = ${id} and action like 'risk.%'`.execute(db());
    expect(events.rows.map((e) => e.action)).toEqual(['risk.assess']);
  });

  it('an overdue obligation raises the rating, on the project and on the dashboard', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '逾期义务上调评级测试项目', '1000.00');
    await setState(demo, id, 'preliminaryDesign', 'approved');
    expect((await post('preparer', `/api/v1/projects/${id}/risk/assessments`, { projectedEnd: '2027-12-31', projectedCost: '1000.00', narrative: '按计划' })).json().rating.band).toBe('green');
    const before = asMap(await chart('ndrc', 'risk'));
    const p = await db().selectFrom('projects').select(['construction_unit_id', 'approval_department_id']).where('id', '=', id).executeTakeFirstOrThrow();
    await db().insertInto('obligations').values({
      subject_type: 'project', subject_id: id, project_id: id, system_id: null, kind: 'annualReport', period: '2025', organization_id: p.construction_unit_id,
      approval_department_id: p.approval_department_id, opens_on: null, due_on: '2025-12-31', status: 'overdue', done_on: null, rule_values: '{}',
      swept_on: '2026-01-01', created_at: new Date(), updated_at: new Date(),
    }).execute();
    const risk = (await get('preparer', `/api/v1/projects/${id}/risk`)).json();
    expect(risk).toMatchObject({ overdueObligations: 1, rating: { band: 'amber', varianceLevel: 0 } });
    expect(risk.rating.reasons.map((r: { code: string }) => r.code)).toEqual(['overdueObligations']);
    const after = asMap(await chart('ndrc', 'risk'));
    expect(after).toEqual({ ...before, green: before.green! - 1, amber: before.amber! + 1 });
    const drill = (await get('ndrc', '/api/v1/dashboard/projects?band=amber&pageSize=200')).json();
    expect(drill.items.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('an open 第三十条 rectification order raises the rating, and a passed one no longer does', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '整改上调评级测试项目', '1000.00');
    await setState(demo, id, 'preliminaryDesign', 'approved');
    const p = await db().selectFrom('projects').select(['construction_unit_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const ndrcUser = await db().selectFrom('users').select('id').where('username', '=', 'ndrc').executeTakeFirstOrThrow();
    const ndrcOrg = demo.org.get('国家发展和改革委员会')!;
    const finding = await db().insertInto('supervision_findings').values({
      project_id: id, system_id: null, unit_organization_id: p.construction_unit_id, category: 'useOfFunds', title: '资金使用不规范', description: '超范围支出',
      issuer_role: 'ndrc', issuer_organization_id: ndrcOrg, issued_by: ndrcUser.id, found_on: '2026-01-10', created_at: new Date(),
    } as never).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('rectification_orders').values({
      finding_id: finding.id, project_id: id, system_id: null, unit_organization_id: p.construction_unit_id, issuer_role: 'ndrc', issuer_organization_id: ndrcOrg,
      category: 'useOfFunds', requirements: '退回超范围支出', due_on: '2026-02-10', status: 'open', escalation_step: null,
      answered_at: null, verified_at: null, closed_at: null, created_at: new Date(), updated_at: new Date(),
    } as never).execute();
    const risk = (await get('ndrc', `/api/v1/projects/${id}/risk`)).json();
    expect(risk).toMatchObject({ openRectifications: 1, rating: { band: 'amber' } });
    const drill = (await get('ndrc', '/api/v1/dashboard/projects?band=amber&pageSize=200')).json();
    expect(drill.items.find((x: { id: string }) => x.id === id)).toMatchObject({ openRectifications: 1, band: 'amber' });
    const funding = (await get('mof', '/api/v1/funding-recommendations/projects?q=整改上调评级测试项目')).json();
    expect(funding.items[0].reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['openRectifications', 'overdueRectifications', 'risk.amber']));
    await sql`update rectification_orders set status = 'passed', closed_at = now() where project_id = ${id}`.execute(db());
    expect((await get('ndrc', `/api/v1/projects/${id}/risk`)).json()).toMatchObject({ openRectifications: 0, rating: { band: 'green' } });
  });

  it('a re-baseline is recorded and shown; the original baseline’s variance stays (I-73)', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '重新设定基线测试项目', '1000.00');
    await setState(demo, id, 'preliminaryDesign', 'approved');
    expect((await post('preparer', `/api/v1/projects/${id}/risk/assessments`, { projectedEnd: '2027-12-31', projectedCost: '1400.00', narrative: '需求扩大' })).json().rating.band).toBe('red');
    expect((await post('preparer', `/api/v1/projects/${id}/risk/baselines`, { plannedStart: '2026-01-01', plannedEnd: '2027-12-31', plannedCost: '1400.00', reason: 'x' })).statusCode).toBe(403);
    const rb = await post('approver', `/api/v1/projects/${id}/risk/baselines`, { plannedStart: '2026-01-01', plannedEnd: '2027-12-31', plannedCost: '1400.00', reason: '扩大建设内容已重新批复' });
    expect(rb.statusCode, rb.body).toBe(201);
    expect(rb.json().rating).toMatchObject({ band: 'amber', costVariance: '0.00', originalCostVariance: '40.00', rebaselined: true });
    const risk = (await get('ndrc', `/api/v1/projects/${id}/risk`)).json();
    expect(risk).toMatchObject({ planned: { plannedCost: '1400.00', rebaselined: true }, original: { plannedCost: '1000.00' } });
    expect(risk.baselines).toEqual([expect.objectContaining({ reason: '扩大建设内容已重新批复', plannedCost: '1400.00' })]);
    expect(risk.history.map((h: { band: string; rebaselined: boolean; originalCostVariance: string }) => [h.band, h.rebaselined, h.originalCostVariance]))
      .toEqual([['amber', true, '40.00'], ['red', false, '40.00']]);
    // The baseline and the history are append-only.
    await expect(sql`update risk_baselines set reason = 'y' where project_id = ${id}`.execute(db())).rejects.toThrow();
    await expect(sql`delete from risk_assessments where project_id = ${id}`.execute(db())).rejects.toThrow();
    expect((await verifyAuditLog(demo.t.database.db, demo.services.keys.checkpoint.publicKey)).status).toBe('intact');
  });
});

describe('第三十二条 funding recommendations', () => {
  it('NDRC and MoF see each project and department with reasons; others are refused', async () => {
    for (const who of ['ndrc', 'mof']) {
      const res = await get(who, '/api/v1/funding-recommendations/projects');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeGreaterThan(5);
      for (const item of body.items) {
        expect(item.reasons.reduce((a: number, r: { points: number }) => a + r.points, 0)).toBe(item.score);
        expect(['prioritize', 'normal', 'reduce', 'defer']).toContain(item.recommendation);
      }
      // The demo's red, badly performing project is not funded as usual.
      const bad = body.items.find((x: { name: string }) => x.name === '就业信息监测分析平台（演示）');
      expect(bad).toMatchObject({ riskBand: 'red', investment: expect.stringMatching(/reduce|defer/), operations: 'notApplicable' });
      expect(bad.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['indicatorsMostlyMissed', 'risk.red']));
      const depts = (await get(who, '/api/v1/funding-recommendations/departments')).json();
      expect(depts.items.reduce((a: number, d: { projects: number }) => a + d.projects, 0)).toBe(body.items.length);
    }
    for (const who of ['preparer', 'approver', 'reviewer']) expect((await get(who, '/api/v1/funding-recommendations/projects')).statusCode).toBe(403);
    const x = await get('mof', '/api/v1/funding-recommendations/departments/export?recommendation=normal');
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
