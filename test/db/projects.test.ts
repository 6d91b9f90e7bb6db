// SPEC §2 projects through the HTTP stack on both databases: every field, exact money, the
// issued 项目代码, where a project starts (第七条, 第九条), data scope, edits and exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { hasPlatformCheckDigit } from '../../src/domain/project-code.ts';
import { signIn, type Session, bearer, openDemoApp, type DemoApp } from '../support/fixtures.ts';

let demo: DemoApp;
let t: DemoApp['t'];
let services: DemoApp['services'];
let app: DemoApp['app'];
let preparer: Session;
let org: DemoApp['org'];

beforeAll(async () => {
  demo = await openDemoApp();
  ({ t, services, app, org } = demo);
  preparer = await signIn(app, services, 'preparer');
});
afterAll(async () => demo.close());

const UNIT = '人力资源和社会保障部信息中心';
const DEPARTMENT = '国家发展和改革委员会创新和高技术发展司';

function body(overrides: Record<string, unknown> = {}) {
  return {
    name: '全国社会保险公共服务平台（二期）',
    constructionUnitId: org.get(UNIT),
    approvalDepartmentId: org.get(DEPARTMENT),
    track: 'approval',
    kind: 'new',
    constructionStart: '2026-01-01',
    constructionEnd: '2027-12-31',
    totalInvestment: '12345678.91',
    oAndMFunds: '0.10',
    fundingChannel: 'central_budget',
    performanceIndicators: [{
      indicator: '社保业务网上办理率', category: 'effect', unit: '%', baseline: '62.5',
      targets: [{ year: 2026, value: '80' }, { year: 2027, value: '95' }], direction: 'higher',
    }],
    systems: [{ name: '社会保险公共服务系统', action: 'upgrade' }],
    security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'drafted', cryptoAssessment: 'planned' },
    ...overrides,
  };
}

async function create(session: Session, overrides: Record<string, unknown> = {}) {
  return app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(session), payload: body(overrides) });
}
async function count(table: 'projects' | 'audit_events'): Promise<number> {
  return Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);
}

describe('projects (SPEC §2)', () => {
  it('第七条: a new approval-track project starts at 项目建议书, with an issued code and exact amounts', async () => {
    const res = await create(preparer);
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p.code).toMatch(/^\d{4}-\d{6}-00-01-\d{6}$/);
    expect(hasPlatformCheckDigit(p.code)).toBe(true);
    expect(p.lifecycle).toMatchObject({ track: 'approval', stage: 'proposal', status: 'draft', editable: true });
    expect(p.totalInvestment).toBe('12345678.91');
    expect(p.oAndMFunds).toBe('0.10');
    expect(p.performanceIndicators[0].targets).toEqual([{ year: 2026, value: '80' }, { year: 2027, value: '95' }]);
    const row = await sql<{ total: string }>`select total_investment::text as total from projects where id = ${p.id}`.execute(t.database.db);
    expect(row.rows[0]!.total).toBe('12345678.910000');
    const audit = await sql<{ action: string }>`select action from audit_events where object_type = 'project' and object_id = ${p.id}`.execute(t.database.db);
    expect(audit.rows).toEqual([{ action: 'project.create' }]);
  });

  it('第七条: a project linked to a task of the national plan starts at the feasibility study', async () => {
    const task = (level: 'national' | 'department') => t.database.db.selectFrom('plan_tasks as t').innerJoin('plans as p', 'p.id', 't.plan_id')
      .select('t.id').where('p.level', '=', level).limit(1).executeTakeFirstOrThrow();
    const res = await create(preparer, { planTaskId: (await task('national')).id });
    expect(res.json()).toMatchObject({ inPlan: true, lifecycle: { stage: 'feasibilityStudy', status: 'draft' } });
    // I-7: a department plan's task does not put a project "in the plan".
    const departmental = await create(preparer, { planTaskId: (await task('department')).id });
    expect(departmental.statusCode).toBe(400);
    expect(departmental.json().errors).toEqual([expect.objectContaining({ path: 'planTaskId', code: 'project.plan_task_not_national' })]);
  });

  it('第七条: an urgent project starts at the combined stage; the claim needs category, conditions and justification', async () => {
    const urgent = { reasonCategory: 'central_requirement', justification: '党中央明确要求于年内上线，前期工作已完成可研深度。', situationUrgent: true, preparationAdequate: true };
    const ok = await create(preparer, { urgent });
    expect(ok.json().lifecycle).toMatchObject({ stage: 'combinedStage', status: 'draft' });
    const before = await count('projects');
    const bad = await create(preparer, { urgent: { ...urgent, reasonCategory: null, justification: '  ' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('lifecycle.blocked');
    expect(bad.json().problems.length).toBeGreaterThanOrEqual(2);
    expect(bad.json().problems.every((p: { article: string }) => p.article === '第七条')).toBe(true);
    expect(await count('projects')).toBe(before);
  });

  it('第九条: a filing-track project starts as a filing draft, with type code 03', async () => {
    const res = await create(preparer, { track: 'filing', kind: 'rebuild' });
    expect(res.json().lifecycle).toMatchObject({ track: 'filing', stage: 'filing', status: 'draft' });
    expect(res.json().code).toMatch(/-03-\d{6}$/);
  });

  it('accepts an existing code on import, and refuses a duplicate one', async () => {
    const code = '2509-320193-89-01-544060';
    expect((await create(preparer, { code })).json().code).toBe(code);
    const dup = await create(preparer, { code });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].path).toBe('code');
  });

  it('bad input names every field and writes nothing', async () => {
    const [projects, audits] = [await count('projects'), await count('audit_events')];
    const res = await create(preparer, {
      totalInvestment: '1.234', constructionEnd: '2025-12-31', involvesSecrets: true,
      security: { scheme: 'mlps', mlpsLevel: 3 },
    });
    expect(res.statusCode).toBe(400);
    const amount = await create(preparer, { totalInvestment: '1.234' });
    expect(amount.json().errors).toEqual([expect.objectContaining({ path: 'totalInvestment', code: 'project.amount_places' })]);
    const paths = res.json().errors?.map((e: { path: string }) => e.path) ?? [];
    expect(paths).toContain('totalInvestment');
    const cross = await create(preparer, { constructionEnd: '2025-12-31', involvesSecrets: true, security: { scheme: 'mlps', mlpsLevel: 3 } });
    expect(cross.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['constructionEnd', 'security.scheme']);
    expect([await count('projects'), await count('audit_events')]).toEqual([projects, audits]);
  });

  it('a preparer cannot create a project for another unit', async () => {
    const res = await create(preparer, { constructionUnitId: org.get('自然资源部信息中心') });
    expect(res.statusCode).toBe(403);
  });

  it('data scope: the unit, the approval department and supervisory bodies see a project; others get 404', async () => {
    const p = (await create(preparer, { name: '范围测试项目' })).json();
    const get = async (s: Session) => app.inject({ method: 'GET', url: `/api/v1/projects/${p.id}`, headers: bearer(s) });
    expect((await get(preparer)).statusCode).toBe(200);
    expect((await get(await signIn(app, services, 'reviewer'))).statusCode).toBe(200);
    expect((await get(await signIn(app, services, 'mof'))).statusCode).toBe(200);
    expect((await get(await signIn(app, services, 'assessor'))).statusCode).toBe(404);
    const list = await app.inject({ method: 'GET', url: '/api/v1/projects?q=范围测试', headers: bearer(await signIn(app, services, 'assessor')) });
    expect(list.json()).toEqual({ items: [], total: 0 });
  });

  it('edits need If-Match; a stale version changes nothing', async () => {
    const p = (await create(preparer, { name: '编辑测试项目' })).json();
    const put = (version: number, name: string) => app.inject({
      method: 'PUT', url: `/api/v1/projects/${p.id}`, headers: { ...bearer(preparer), 'if-match': `"${version}"` },
      payload: { ...body({ name }), code: undefined },
    });
    const ok = await put(p.version, '编辑测试项目（修订）');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().name).toBe('编辑测试项目（修订）');
    expect((await put(p.version, '过期修改')).statusCode).toBe(412);
    const again = await app.inject({ method: 'GET', url: `/api/v1/projects/${p.id}`, headers: bearer(preparer) });
    expect(again.json()).toMatchObject({ name: '编辑测试项目（修订）', version: p.version + 1 });
  });

  it('lists filter by track, amount range and year, and export the same rows to Excel', async () => {
    const list = await app.inject({
      method: 'GET', url: '/api/v1/projects?track=approval&minInvestment=12345678.91&maxInvestment=12345678.91&year=2026&pageSize=100',
      headers: bearer(preparer),
    });
    const items = list.json().items as Array<{ code: string; totalInvestment: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((p) => p.totalInvestment === '12345678.91')).toBe(true);
    const xlsx = await app.inject({
      method: 'GET', url: '/api/v1/projects/export?track=approval&minInvestment=12345678.91&maxInvestment=12345678.91&year=2026',
      headers: bearer(preparer),
    });
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('项目代码');
    const codes = [];
    for (let r = 2; r <= sheet.rowCount; r++) codes.push(String(sheet.getRow(r).getCell(1).value));
    expect(codes.sort()).toEqual(items.map((p) => p.code).sort());
  });
});
