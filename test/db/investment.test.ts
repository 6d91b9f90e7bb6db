// 第二十二条 / 第二十四条 through the HTTP stack on both databases: no release before the 概算
// approval (422, nothing written), early investments after the 可研 approval for the four purposes
// only, decided by the approval department (signed, TOTP), releases within the 概算 (I-43),
// spending within what was released, suspension, audit events, scope (404) and roles (403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sm2Verify } from '../../src/crypto/sm2.ts';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { demoTotp, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';
import { moneyCounts, newMoneyProject, setState } from '../support/money.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'approver', 'ndrc', 'mof', 'reviewer']) s[u] = await signIn(demo.app, demo.services, u);
});
afterAll(async () => demo.close());

const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const post = (who: string, url: string, payload: unknown) => demo.app.inject({ method: 'POST', url, headers: auth(who), payload: payload as object });
const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: auth(who) });
function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}
const release = (projectId: string, amount: string, extra: Record<string, unknown> = {}, who = 'approver') =>
  post(who, `/api/v1/projects/${projectId}/investment/releases`, { planYear: 2026, amount, source: 'central_budget', releasedOn: '2026-05-01', ...extra });
const spend = (projectId: string, amount: string) =>
  post('preparer', `/api/v1/projects/${projectId}/investment/spending`, { spentOn: '2026-06-01', amount, payee: '某软件公司', purpose: '系统开发' });

describe('investment (第二十二条, 第二十四条)', () => {
  it('第二十四条: no release before the 初设/概算 approval — 422 citing the article, nothing written', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '投资下达闸口测试项目', '1000.00');
    for (const [stage, status] of [['proposal', 'draft'], ['feasibilityStudy', 'under_review'], ['preliminaryDesign', 'under_review']] as const) {
      await setState(demo, id, stage, status);
      const before = await moneyCounts(demo);
      const res = await release(id, '100.00');
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('investment.blocked');
      expect(res.json().problems.map((p: { code: string; article: string }) => [p.code, p.article])).toEqual([['investment.design_not_approved', '第二十四条']]);
      expect(await moneyCounts(demo)).toEqual(before);
    }
    await setState(demo, id, 'preliminaryDesign', 'approved');
    const before = await moneyCounts(demo);
    const ok = await release(id, '400.00', { documentNo: '发改投资〔2026〕1号' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ approvedBudget: '1000.00', released: '400.00', releasable: '600.00', spendable: '400.00' });
    // The release and its audit event, together.
    expect(await moneyCounts(demo)).toMatchObject({ releases: String(Number(before.releases) + 1), events: String(Number(before.events) + 1) });
    const ev = await sql<{ action: string; role: string; diff: { after: { amount: string } } }>`
      select action, role, diff from audit_events where object_id = ${id} and action = 'investment.release'`.execute(demo.t.database.db);
    expect(ev.rows).toEqual([expect.objectContaining({ action: 'investment.release', role: 'approver', diff: expect.objectContaining({ after: expect.objectContaining({ amount: '400.00' }) }) })]);
  });

  it('第二十二条 (I-43): cumulative releases never pass the approved 概算, to the fen; NDRC releases too', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '概算上限测试项目', '1000.00');
    await setState(demo, id, 'preliminaryDesign', 'approved');
    expect((await release(id, '700.00')).statusCode).toBe(201);
    const over = await release(id, '300.000001', {}, 'ndrc');
    expect(over.statusCode).toBe(422);
    expect(over.json().problems[0]).toMatchObject({ code: 'investment.exceeds_budget', article: '第二十二条',
      params: { releasedWan: '700.00', amountWan: '300.000001', approvedBudgetWan: '1000.00', overByWan: '0.000001' } });
    const exact = await release(id, '300.00', {}, 'ndrc');
    expect(exact.statusCode, exact.body).toBe(201);
    expect(exact.json()).toMatchObject({ released: '1000.00', releasable: '0.00' });
  });

  it('第二十二条 (I-43): spending beyond the released investment is refused with the figures', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '支出控制测试项目', '1000.00');
    await setState(demo, id, 'preliminaryDesign', 'approved');
    // Nothing released yet: any payment is beyond it.
    expect((await spend(id, '0.01')).json().problems[0]).toMatchObject({ code: 'spending.exceeds_released', params: { releasedWan: '0.00' } });
    await release(id, '200.00');
    expect((await spend(id, '150.00')).statusCode).toBe(201);
    const before = await moneyCounts(demo);
    const over = await spend(id, '50.000001');
    expect(over.statusCode).toBe(422);
    expect(over.json().problems).toEqual([expect.objectContaining({
      code: 'spending.exceeds_released', article: '第二十二条',
      params: { releasedWan: '200.00', spentWan: '150.00', amountWan: '50.000001', overByWan: '0.000001' },
    })]);
    expect(over.json().problems[0].message).toContain('已下达 200.00 万元，已支出 150.00 万元，本次 50.000001 万元');
    expect(await moneyCounts(demo)).toEqual(before);
    const last = await spend(id, '50.00');
    expect(last.json()).toMatchObject({ released: '200.00', spent: '200.00', spendable: '0.00' });
    const overview = await get('mof', `/api/v1/projects/${id}/investment`);
    expect(overview.json().spending.map((x: { amount: string }) => x.amount)).toEqual(['150.00', '50.00']);
  });

  it('第二十四条 (I-17, I-46): early investment after the 可研 approval, four purposes, decided (signed) and then released within its amount', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '提前安排投资测试项目', '2000.00');
    const apply = (lines: Array<{ purpose: string; amount: string }>) =>
      post('preparer', `/api/v1/projects/${id}/investment/early`, { lines, justification: '需提前开展需求分析和初步设计编制。' });
    await setState(demo, id, 'feasibilityStudy', 'under_review');
    const early = await apply([{ purpose: 'requirementsAnalysis', amount: '50.00' }]);
    expect(early.statusCode).toBe(422);
    expect(early.json().problems.map((p: { code: string }) => p.code)).toEqual(['earlyInvestment.feasibility_not_approved']);

    await setState(demo, id, 'preliminaryDesign', 'draft');
    const bad = await apply([{ purpose: 'requirementsAnalysis', amount: '50.00' }, { purpose: '购置服务器', amount: '80.00' }]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().problems).toEqual([expect.objectContaining({ code: 'earlyInvestment.purpose_not_allowed', article: '第二十四条', params: { line: '2', purpose: '购置服务器' } })]);

    const applied = await apply([{ purpose: 'requirementsAnalysis', amount: '50.00' }, { purpose: 'feasibilityAndDesignPreparation', amount: '70.00' },
      { purpose: 'landPurchase', amount: '0.50' }, { purpose: 'demolition', amount: '0.50' }]);
    expect(applied.statusCode, applied.body).toBe(201);
    const app = applied.json().earlyInvestments[0];
    expect(app).toMatchObject({ total: '121.00', status: 'pending' });

    // Not yet approved: no release under it.
    const early1 = await release(id, '10.00', { earlyInvestmentId: app.id });
    expect(early1.json().problems.map((p: { code: string }) => p.code)).toEqual(['investment.design_not_approved', 'earlyRelease.not_approved']);
    // The unit cannot decide its own application; the decision needs a fresh TOTP code.
    expect((await post('preparer', `/api/v1/projects/${id}/investment/early/${app.id}/decision`, { outcome: 'approve', opinion: '同意' })).statusCode).toBe(403);
    expect((await post('approver', `/api/v1/projects/${id}/investment/early/${app.id}/decision`, { outcome: 'approve', opinion: '同意' })).json().code).toBe('auth.totp_required');
    const decided = await post('approver', `/api/v1/projects/${id}/investment/early/${app.id}/decision`, { outcome: 'approve', opinion: '同意提前安排。', totp: freshTotp() });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().earlyInvestments[0]).toMatchObject({ status: 'approved', signed: true, opinion: '同意提前安排。' });
    const row = await demo.t.database.db.selectFrom('early_investments').selectAll().where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(sm2Verify(row.decision_payload!, row.signature!, row.public_key!)).toBe(true);
    expect(JSON.parse(row.decision_payload!)).toMatchObject({ outcome: 'approved', total: '121.00' });
    expect((await post('approver', `/api/v1/projects/${id}/investment/early/${app.id}/decision`, { outcome: 'refuse', opinion: '再议', totp: freshTotp() })).json().code)
      .toBe('earlyInvestment.not_pending');

    expect((await release(id, '100.00', { earlyInvestmentId: app.id })).statusCode).toBe(201);
    const past = await release(id, '21.000001', { earlyInvestmentId: app.id });
    expect(past.json().problems).toEqual([expect.objectContaining({ code: 'earlyRelease.exceeds_approved', params: expect.objectContaining({ overByWan: '0.000001' }) })]);
    // Without it, still nothing before the 概算 approval.
    expect((await release(id, '1.00')).json().problems.map((p: { code: string }) => p.code)).toEqual(['investment.design_not_approved']);
    // Spending against the early release is possible before the approval.
    expect((await spend(id, '60.00')).statusCode).toBe(201);

    // After the 概算 approval: no more early applications; early releases count within the 概算.
    await setState(demo, id, 'preliminaryDesign', 'approved');
    expect((await apply([{ purpose: 'landPurchase', amount: '1.00' }])).json().problems.map((p: { code: string }) => p.code)).toEqual(['earlyInvestment.design_already_approved']);
    expect((await release(id, '1900.000001')).json().problems.map((p: { code: string }) => p.code)).toEqual(['investment.exceeds_budget']);
    expect((await release(id, '1900.00')).json()).toMatchObject({ released: '2000.00', releasable: '0.00' });
  });

  it('第二十一条: a suspended project takes no investment record', async () => {
    const id = await newMoneyProject(demo, auth('preparer'), '暂停建设投资测试项目', '500.00');
    await setState(demo, id, 'preliminaryDesign', 'approved');
    await release(id, '100.00');
    await sql`update project_construction set suspended_since = now() where project_id = ${id}`.execute(demo.t.database.db);
    const before = await moneyCounts(demo);
    for (const res of [await release(id, '10.00'), await spend(id, '10.00')]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('construction.suspended');
    }
    expect(await moneyCounts(demo)).toEqual(before);
  });

  it('SPEC §1: outside the scope 404, the wrong role 403; each list exports to .xlsx', async () => {
    const other = await newMoneyProject(demo, auth('preparer'), '他部门审批投资测试项目', '500.00', '自然资源部国土空间规划局');
    await setState(demo, other, 'preliminaryDesign', 'approved');
    // The demo approver's department is not this project's: it does not even see it.
    expect((await release(other, '10.00')).statusCode).toBe(404);
    expect((await get('approver', `/api/v1/projects/${other}/investment`)).statusCode).toBe(404);
    // Roles without the permission are refused at the route.
    expect((await release(other, '10.00', {}, 'preparer')).statusCode).toBe(403);
    expect((await release(other, '10.00', {}, 'mof')).statusCode).toBe(403);
    expect((await post('reviewer', `/api/v1/projects/${other}/investment/spending`, { spentOn: '2026-06-01', amount: '1', payee: 'x', purpose: 'y' })).statusCode).toBe(403);
    // NDRC (all) releases it; MoF reads it.
    expect((await release(other, '10.00', {}, 'ndrc')).statusCode).toBe(201);
    for (const list of ['releases', 'spending', 'early']) {
      const x = await get('mof', `/api/v1/projects/${other}/investment/${list}/export`);
      expect(x.statusCode).toBe(200);
      expect(x.headers['content-type']).toContain('spreadsheetml');
      expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
    expect((await verifyAuditLog(demo.t.database.db, demo.services.keys.checkpoint.publicKey)).status).toBe('intact');
  });

  it('the demo project under construction shows its releases, spending and remaining', async () => {
    const p = await demo.t.database.db.selectFrom('projects').select('id').where('name', '=', '全国技能人才评价监管系统建设项目（演示）').executeTakeFirstOrThrow();
    const o = (await get('preparer', `/api/v1/projects/${p.id}/investment`)).json();
    expect(o).toMatchObject({ approvedBudget: '3000.00', released: '1880.00', spent: '901.50', releasable: '1120.00', spendable: '978.50' });
    expect(o.earlyInvestments).toEqual([expect.objectContaining({ total: '80.00', status: 'approved', released: '80.00', signed: true })]);
  });
});
