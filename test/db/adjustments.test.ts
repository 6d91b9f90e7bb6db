// 第二十三条 through the HTTP stack on both databases: 15.00% self-files, 15.01% and 15% + 1 fen go
// to re-approval; the count is cumulative; two adjustments sent at the same moment take turns on the
// construction row (exactly one self-files); re-approval waits for the approval department's
// signed decision; the threshold in force is recorded; the dry run writes nothing; suspension,
// audit events, scope (404) and roles (403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sm2Verify } from '../../src/crypto/sm2.ts';
import { demoTotp, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';
import { moneyCounts, newMoneyProject, setState } from '../support/money.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'approver', 'ndrc', 'mof', 'secadmin']) s[u] = await signIn(demo.app, demo.services, u);
});
afterAll(async () => demo.close());

const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const post = (who: string, url: string, payload: unknown) => demo.app.inject({ method: 'POST', url, headers: auth(who), payload: payload as object });
function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}

/** An adjustment moving `amount` from one content to another (total unchanged). */
function moving(amount: string, extra: Record<string, unknown> = {}) {
  return {
    lines: [{ content: '新增数据治理模块', change: amount }, { content: '压减机房改造', change: `-${amount}` }],
    reason: 'technicalOptimization', goalsUnchanged: true, description: '优化技术方案。', ...extra,
  };
}
async function file(projectId: string, amount: string, totalAfter: string, extra: Record<string, unknown> = {}) {
  return post('preparer', `/api/v1/projects/${projectId}/adjustments`, { ...moving(amount, extra), amount, totalAfter });
}
async function approvedProject(name: string, total = '1000.00'): Promise<string> {
  const id = await newMoneyProject(demo, auth('preparer'), name, total);
  await setState(demo, id, 'preliminaryDesign', 'approved');
  return id;
}

describe('adjustments (第二十三条)', () => {
  it('第二十三条: exactly 15.00% self-files; 15.01% and 15% + 1 fen go to re-approval', async () => {
    const a = await approvedProject('调整边界测试项目甲');
    const exact = await file(a, '150.00', '1000.00');
    expect(exact.statusCode, exact.body).toBe(201);
    expect(exact.json()).toMatchObject({ route: 'selfFile', status: 'filed', sharePercent: '15.00', thresholdPercent: '15.00', cumulative: '150.00' });

    const b = await approvedProject('调整边界测试项目乙');
    const over = await file(b, '150.10', '1000.00');
    expect(over.json()).toMatchObject({ route: 'reapproval', status: 'pending', sharePercent: '15.01' });
    expect(over.json().reapprovalReasons.map((r: { code: string; article: string }) => [r.code, r.article])).toEqual([['adjustment.exceeds_threshold', '第二十三条']]);

    const c = await approvedProject('调整边界测试项目丙');
    const fen = await file(c, '150.000001', '1000.00');
    expect(fen.json()).toMatchObject({ route: 'reapproval', status: 'pending', sharePercent: '15.01', cumulative: '150.000001' });
  });

  it('第二十三条 (I-16): cumulative over the self-filed adjustments; the dry run shows the running total and writes nothing', async () => {
    const id = await approvedProject('累计调整测试项目');
    expect((await file(id, '100.00', '1000.00')).json()).toMatchObject({ route: 'selfFile', sharePercent: '10.00' });
    const before = await moneyCounts(demo);
    const dry = await post('preparer', `/api/v1/projects/${id}/adjustments/evaluate`, moving('50.000001'));
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({
      route: 'reapproval', figures: { approvedTotal: '1000.00', priorCumulative: '100.00', amount: '50.000001', cumulative: '150.000001',
        sharePercent: '15.01', shareExact: false, thresholdPercent: '15.00', headroom: '-0.000001', totalAfter: '1000.00' },
      thresholdSource: { kind: 'default' },
    });
    expect(await moneyCounts(demo)).toEqual(before);
    expect((await file(id, '50.00', '1000.00')).json()).toMatchObject({ route: 'selfFile', sharePercent: '15.00', priorCumulative: '100.00' });
    expect((await file(id, '0.000001', '1000.00')).json()).toMatchObject({ route: 'reapproval', sharePercent: '15.01' });
    const list = (await demo.app.inject({ method: 'GET', url: `/api/v1/projects/${id}/adjustments`, headers: auth('mof') })).json();
    expect(list).toMatchObject({ approvedTotal: '1000.00', cumulative: '150.00', sharePercent: '15.00', thresholdPercent: '15.00' });
    expect(list.items.map((x: { status: string }) => x.status)).toEqual(['filed', 'filed', 'pending']);
  });

  it('第二十三条: the other conditions — over the 概算, changed goals, an unlisted reason — each go to re-approval; bad input is refused with nothing written', async () => {
    const id = await approvedProject('调整条件测试项目');
    const grow = await post('preparer', `/api/v1/projects/${id}/adjustments`, {
      lines: [{ content: '新增移动端', change: '10.00' }], reason: 'other', goalsUnchanged: false, description: '', amount: '10.00', totalAfter: '1010.00',
    });
    expect(grow.json().reapprovalReasons.map((r: { code: string }) => r.code)).toEqual(['adjustment.exceeds_budget', 'adjustment.goals_changed', 'adjustment.reason_not_listed']);
    const before = await moneyCounts(demo);
    expect((await file(id, '10.00', '1000.00', { lines: [{ content: ' ', change: '10' }] })).statusCode).toBe(400);
    const wrong = await file(id, '0', '1000.00', { lines: [{ content: '系统集成', change: '0' }] });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('adjustment.invalid');
    expect(wrong.json().problems.map((p: { code: string; article: string }) => [p.code, p.article])).toEqual([['adjustment.line_zero', '第二十三条']]);
    const mismatch = await file(id, '10.00', '990.00');
    expect(mismatch.json().problems.map((p: { code: string }) => p.code)).toEqual(['adjustment.total_mismatch']);
    expect(await moneyCounts(demo)).toEqual(before);
  });

  it('第二十三条: two adjustments sent at the same moment take turns — exactly one self-files, the other goes to re-approval', async () => {
    const id = await approvedProject('并发调整测试项目');
    const [x, y] = await Promise.all([file(id, '80.00', '1000.00'), file(id, '80.00', '1000.00')]);
    expect([x.statusCode, y.statusCode]).toEqual([201, 201]);
    const routes = [x.json(), y.json()].map((r) => [r.route, r.cumulative, r.sharePercent]).sort();
    expect(routes).toEqual([['reapproval', '160.00', '16.00'], ['selfFile', '80.00', '8.00']]);
    // Again with different amounts: each request has its own pooled connection (PostgreSQL: truly concurrent).
    const id2 = await approvedProject('并发调整测试项目二');
    const results = await Promise.all([file(id2, '100.00', '1000.00'), file(id2, '60.00', '1000.00')]);
    const rows = await demo.t.database.db.selectFrom('project_adjustments').select(['route', 'prior_cumulative']).where('project_id', '=', id2).orderBy('seq').execute();
    expect(rows.map((r) => r.route)).toEqual(['selfFile', 'reapproval']);
    expect(rows[1]!.prior_cumulative).not.toBe('0.000000');
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
  });

  it('第二十三条, 第三十四条: re-approval is the approval department\'s signed decision; approval is the new baseline; the threshold used is kept', async () => {
    const id = await approvedProject('重新报批测试项目');
    const pending = (await file(id, '200.00', '1000.00')).json();
    expect(pending.status).toBe('pending');
    const url = `/api/v1/projects/${id}/adjustments/${pending.id}/decision`;
    expect((await post('preparer', url, { outcome: 'approve', opinion: '同意' })).statusCode).toBe(403);
    expect((await post('approver', url, { outcome: 'approve', opinion: '同意' })).json().code).toBe('auth.totp_required');
    const decided = await post('approver', url, { outcome: 'approve', opinion: '同意调整，按调整后方案实施。', totp: freshTotp() });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'approved', signed: true });
    const row = await demo.t.database.db.selectFrom('project_adjustments').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
    expect(sm2Verify(row.decision_payload!, row.signature!, row.public_key!)).toBe(true);
    expect(JSON.parse(row.decision_payload!)).toMatchObject({ outcome: 'approved', sharePercent: '20.00', thresholdPercent: '15.00' });
    expect((await post('approver', url, { outcome: 'refuse', opinion: '再议', totp: freshTotp() })).json().code).toBe('adjustment.not_pending');
    // I-16: the cumulative count restarts from the re-approved total.
    expect((await file(id, '150.00', '1000.00')).json()).toMatchObject({ route: 'selfFile', priorCumulative: '0.00', sharePercent: '15.00' });

    // The department's threshold is lowered to 10% (by the security administrator, I-56): what was
    // filed keeps 15.00; the next uses 10.00.
    const setting = await demo.app.inject({
      method: 'PUT', url: `/api/v1/rule-settings/adjustment.thresholdPercent`, headers: auth('secadmin'),
      payload: { organizationId: demo.org.get('国家发展和改革委员会创新和高技术发展司'), value: '10.00', reason: '本部门从严掌握调整比例。' },
    });
    expect(setting.statusCode, setting.body).toBe(200);
    const id2 = await approvedProject('阈值变更测试项目');
    const next = (await file(id2, '100.01', '1000.00')).json();
    expect(next).toMatchObject({ route: 'reapproval', thresholdPercent: '10.00' });
    const kept = await demo.app.inject({ method: 'GET', url: `/api/v1/projects/${id}/adjustments`, headers: auth('mof') });
    expect(kept.json().items.map((x: { thresholdPercent: string }) => x.thresholdPercent)).toEqual(['15.00', '15.00']);
    expect(kept.json().thresholdPercent).toBe('10.00');
    // A refusal leaves the baseline as it was.
    const refusedUrl = `/api/v1/projects/${id2}/adjustments/${next.id}/decision`;
    expect((await post('approver', refusedUrl, { outcome: 'refuse', opinion: '调整理由不充分。', totp: freshTotp() })).json()).toMatchObject({ status: 'refused' });
    expect((await file(id2, '100.00', '1000.00')).json()).toMatchObject({ route: 'selfFile', priorCumulative: '0.00' });
  });

  it('第二十一条: a suspended project takes no adjustment; an unapproved one neither', async () => {
    const id = await approvedProject('暂停建设调整测试项目');
    await sql`insert into project_construction (project_id, suspended_since, created_at, updated_at) values (${id}, now(), now(), now())
      on conflict (project_id) do update set suspended_since = now()`.execute(demo.t.database.db);
    const before = await moneyCounts(demo);
    const res = await file(id, '10.00', '1000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('construction.suspended');
    const draft = await newMoneyProject(demo, auth('preparer'), '未批复调整测试项目', '1000.00');
    expect((await file(draft, '10.00', '1000.00')).json().code).toBe('construction.not_started');
    expect(await moneyCounts(demo)).toEqual(before);
  });

  it('SPEC §1: audit events with each write; outside the scope 404; the wrong role 403; export', async () => {
    const id = await approvedProject('调整审计测试项目');
    const before = await moneyCounts(demo);
    const filed = (await file(id, '10.00', '1000.00')).json();
    expect(await moneyCounts(demo)).toMatchObject({ adjustments: String(Number(before.adjustments) + 1), events: String(Number(before.events) + 1) });
    const ev = await sql<{ action: string; diff: { after: { adjustmentId: string; thresholdPercent: string } } }>`
      select action, diff from audit_events where object_id = ${id} and action like 'adjustment.%'`.execute(demo.t.database.db);
    expect(ev.rows).toEqual([expect.objectContaining({ action: 'adjustment.selfFile', diff: { after: expect.objectContaining({ adjustmentId: filed.id, thresholdPercent: filed.thresholdPercent, sharePercent: '1.00' }) } })]);

    const other = await newMoneyProject(demo, auth('preparer'), '他部门调整测试项目', '500.00', '自然资源部国土空间规划局');
    await setState(demo, other, 'preliminaryDesign', 'approved');
    const pending = (await file(other, '100.00', '500.00')).json();
    expect((await post('approver', `/api/v1/projects/${other}/adjustments/${pending.id}/decision`, { outcome: 'approve', opinion: '同意', totp: freshTotp() })).statusCode).toBe(404);
    expect((await post('mof', `/api/v1/projects/${id}/adjustments`, { ...moving('1.00'), amount: '1.00', totalAfter: '1000.00' })).statusCode).toBe(403);
    expect((await post('ndrc', `/api/v1/projects/${id}/adjustments/evaluate`, moving('1.00'))).statusCode).toBe(403);
    const x = await demo.app.inject({ method: 'GET', url: `/api/v1/projects/${id}/adjustments/export`, headers: auth('mof') });
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
