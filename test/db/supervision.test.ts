// 第三十条 and 第三十三条 through the HTTP stack on both databases, with an injected clock: a finding
// opens a rectification order; the deadline passes → escalation due (in the issuer's work) → 通报
// → 暂缓 (a release refused) → 暂停 (a construction write refused) → 终止 (every write refused);
// a skipped or repeated step refused; 403 outside the remit; a refusal writes nothing; lifting
// after verified rectification; signatures verify; the rule setting decides the ladder.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { sm2Verify } from '../../src/crypto/sm2.ts';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { demoTotp, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';
import { newMoneyProject, setState } from '../support/money.ts';

// Many signed decisions per test on a shared, loaded machine.
vi.setConfig({ testTimeout: 300_000 });

let demo: DemoApp;
const s: Record<string, Session> = {};

/**
 * Moves the injected clock. The signed-in sessions are carried along (as if their users had just
 * been active) and the TOTP replay counters reset, so the tests can travel both ways in time.
 */
async function setClock(iso: string) {
  demo.services.clock.now = new Date(iso);
  const now = new Date(iso);
  await db().updateTable('sessions').set({ last_seen_at: now, expires_at: new Date(now.getTime() + 8 * 3600_000) }).where('revoked_at', 'is', null).execute();
  await db().updateTable('users').set({ totp_last_counter: null }).execute();
}

beforeAll(async () => {
  demo = await openDemoApp();
  demo.services.clock.now = new Date('2026-11-20T02:00:00Z');
  for (const u of ['preparer', 'approver', 'ndrc', 'mof', 'cac', 'auditor', 'reviewer', 'secadmin']) s[u] = await signIn(demo.app, demo.services, u);
}, 600_000);
afterAll(async () => demo.close());

const db = () => demo.t.database.db;
const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const post = (who: string, url: string, payload: unknown, method: 'POST' | 'PUT' = 'POST') => demo.app.inject({ method, url, headers: auth(who), payload: payload as object });
const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: auth(who) });
function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}

async function footprint() {
  const r = await sql<Record<string, string>>`select
    (select count(*) from supervision_findings) as findings, (select count(*) from rectification_orders) as orders,
    (select count(*) from rectification_answers) as answers, (select count(*) from escalation_decisions) as decisions,
    (select count(*) from project_sanctions) as sanctions, (select count(*) from accountability_records) as accountability,
    (select count(*) from investment_releases) as releases, (select count(*) from construction_records) as records,
    (select string_agg(status || coalesce(escalation_step, '') || version, ',' order by seq) from rectification_orders) as states,
    (select count(*) from audit_events where outcome = 'success' and action not like 'auth.%') as events`.execute(db());
  return r.rows[0]!;
}

async function refused(request: () => Promise<{ statusCode: number; body: string; json: () => { code: string; detail?: string } }>, status: number, code: string) {
  const before = await footprint();
  const res = await request();
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code).toBe(code);
  expect(await footprint()).toEqual(before);
  return res.json();
}

async function approvedProject(name: string, department?: string): Promise<string> {
  const id = await newMoneyProject(demo, auth('preparer'), name, '1000.00', department);
  await setState(demo, id, 'preliminaryDesign', 'approved');
  return id;
}

const finding = (projectId: string, extra: Record<string, unknown> = {}) => ({
  projectId, category: 'useOfFunds', title: '资金未按概算使用', description: '抽查发现部分资金用于概算外的办公设备购置。',
  requirements: '退回违规使用资金并提交整改报告。', dueOn: '2026-12-10', ...extra,
});
/** `withTotp` false: without a step-up code. */
const escalate = (who: string, id: string, step: string, withTotp = true) =>
  post(who, `/api/v1/rectifications/${id}/escalations`, { step, reason: `整改逾期，决定${step}。`, ...(withTotp ? { totp: freshTotp() } : {}) });
const lift = (who: string, id: string, step: string) =>
  post(who, `/api/v1/rectifications/${id}/lifts`, { step, reason: '整改已核查合格，予以解除。', totp: freshTotp() });
const release = (projectId: string) =>
  post('approver', `/api/v1/projects/${projectId}/investment/releases`, { planYear: 2026, amount: '100.00', source: 'central_budget', releasedOn: '2026-12-01' });
const constructionWrite = (projectId: string) =>
  post('preparer', `/api/v1/projects/${projectId}/construction/record`, { projectLead: '王强' }, 'PUT');

describe('第三十条: findings, rectification and the escalation ladder', () => {
  it('403 outside the remit (category or data scope), 404 for nothing, and nothing written', async () => {
    const id = await approvedProject('监督检查权限测试项目');
    const other = await approvedProject('他审批部门的监督项目', '人力资源和社会保障部规划财务司');
    // CAC oversees cryptography and cybersecurity, not funds (按照职责分工, I-66).
    const body = await refused(() => post('cac', '/api/v1/rectifications', finding(id)), 403, 'supervision.outside_remit');
    expect(body.detail).toContain('资金使用');
    // The approval department: only its own projects.
    await refused(() => post('approver', '/api/v1/rectifications', finding(other)), 403, 'supervision.outside_remit');
    // A unit cannot record findings at all.
    await refused(() => post('preparer', '/api/v1/rectifications', finding(id)), 403, 'auth.forbidden');
    await refused(() => post('ndrc', '/api/v1/rectifications', finding('00000000-0000-4000-8000-000000000000')), 404, 'resource.not_found');
    // A deadline in the past, both subjects, none: 400.
    await refused(() => post('ndrc', '/api/v1/rectifications', finding(id, { dueOn: '2026-11-19' })), 400, 'validation.failed');
    await refused(() => post('ndrc', '/api/v1/rectifications', finding(id, { systemId: id })), 400, 'validation.failed');
    // In the remit: CAC on cybersecurity, the approver on its own project.
    const ok = await post('cac', '/api/v1/rectifications', finding(id, { category: 'cybersecurity', title: '未开展等级测评' }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ issuerRole: 'cac', status: 'open', escalationDue: null, categoryName: { zh: '网络安全' } });
    const own = await post('approver', '/api/v1/rectifications', finding(id));
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().issuerRole).toBe('approver');
  });

  it('the ladder end to end: overdue → 通报 → 暂缓 (release refused) → 暂停 (construction refused) → 终止 (all refused)', async () => {
    await setClock('2026-11-20T02:00:00Z');
    const id = await approvedProject('整改升级全流程项目');
    expect((await release(id)).statusCode).toBe(201);
    const created = await post('ndrc', '/api/v1/rectifications', finding(id));
    expect(created.statusCode, created.body).toBe(201);
    const order = created.json().id as string;
    expect(created.json()).toMatchObject({ ladder: ['criticism', 'deferInvestment', 'suspendConstruction', 'terminate'], nextStep: null, nextStepBlockedBy: 'escalation.not_due' });
    // The unit sees it in its work and answers.
    expect((await get('preparer', '/api/v1/rectifications/work')).json().items).toContainEqual(expect.objectContaining({ orderId: order, kind: 'answer' }));

    // Not due on the deadline day itself: refused, nothing written, no TOTP spent.
    await setClock('2026-12-10T15:00:00Z'); // 2026-12-10 23:00 in Shanghai
    await refused(() => escalate('ndrc', order, 'criticism'), 409, 'escalation.not_due');

    // The first overdue day: escalation due, in the issuer's work.
    await setClock('2026-12-11T01:00:00Z');
    const due = await get('ndrc', `/api/v1/rectifications/${order}`);
    expect(due.json()).toMatchObject({ escalationDue: 'overdue', nextStep: 'criticism', can: { escalate: true } });
    expect((await get('ndrc', '/api/v1/rectifications/work')).json().items).toContainEqual(expect.objectContaining({ orderId: order, kind: 'escalate' }));
    expect((await get('ndrc', '/api/v1/rectifications?escalationDue=true')).json().items.map((r: { id: string }) => r.id)).toContain(order);

    // Skipped: refused naming the step expected; without a TOTP code: 401; the unit may not decide.
    const skipped = await refused(() => escalate('ndrc', order, 'deferInvestment'), 422, 'escalation.step_skipped');
    expect(skipped.detail).toContain('通报批评');
    await refused(() => escalate('ndrc', order, 'criticism', false), 401, 'auth.totp_required');
    await refused(() => escalate('preparer', order, 'criticism'), 403, 'auth.forbidden');
    // MoF is not the issuer (and not the approval department): outside the remit.
    await refused(() => escalate('mof', order, 'criticism'), 403, 'supervision.outside_remit');

    // 通报批评.
    const c1 = await escalate('ndrc', order, 'criticism');
    expect(c1.statusCode, c1.body).toBe(201);
    expect(c1.json()).toMatchObject({ escalationStep: 'criticism', taken: ['criticism'], nextStep: 'deferInvestment' });
    // Twice: refused.
    await refused(() => escalate('ndrc', order, 'criticism'), 409, 'escalation.step_taken');

    // 暂缓安排投资计划: a release is refused citing 第三十条, nothing written.
    expect((await escalate('ndrc', order, 'deferInvestment')).statusCode).toBe(201);
    const deferred = await refused(() => release(id), 409, 'investment.deferred');
    expect(deferred.detail).toContain('第三十条');
    // Construction itself goes on while only investment is deferred.
    expect((await constructionWrite(id)).statusCode).toBe(200);

    // 暂停项目建设: every construction write refused with the article.
    const suspended = await escalate('ndrc', order, 'suspendConstruction');
    expect(suspended.json().projectSanctions).toMatchObject({ investmentDeferredSince: '2026-12-11', constructionSuspendedSince: '2026-12-11', terminatedSince: null });
    const refusedWrite = await refused(() => constructionWrite(id), 409, 'construction.suspended_supervision');
    expect(refusedWrite.detail).toContain('第三十条');
    await refused(() => post('preparer', `/api/v1/projects/${id}/investment/spending`, { spentOn: '2026-12-01', amount: '1.00', payee: '某公司', purpose: '开发' }), 409, 'construction.suspended_supervision');
    // The unit's pages read the standing decisions (the banners, and no construction or release button).
    const sanctions = { investmentDeferredSince: '2026-12-11', constructionSuspendedSince: '2026-12-11', terminatedSince: null };
    expect((await get('preparer', `/api/v1/projects/${id}/construction`)).json().sanctions).toEqual(sanctions);
    expect((await get('preparer', `/api/v1/projects/${id}/investment`)).json().sanctions).toEqual(sanctions);

    // 终止项目: the project ends; every write refused, including lifecycle actions and edits.
    const ended = await escalate('ndrc', order, 'terminate');
    expect(ended.statusCode, ended.body).toBe(201);
    expect(ended.json()).toMatchObject({ taken: ['criticism', 'deferInvestment', 'suspendConstruction', 'terminate'], nextStep: null });
    await refused(() => constructionWrite(id), 409, 'project.terminated');
    await refused(() => release(id), 409, 'project.terminated');
    await refused(() => post('ndrc', '/api/v1/rectifications', finding(id, { dueOn: '2027-01-31' })), 409, 'project.terminated');
    await refused(() => post('preparer', `/api/v1/rectifications/${order}/answers`, { evidence: '已整改' }), 409, 'project.terminated');
    await refused(() => escalate('ndrc', order, 'terminate'), 409, 'escalation.project_terminated');
    // 终止 is final: no lifting.
    await refused(() => lift('ndrc', order, 'terminate'), 422, 'escalation.not_liftable');

    // Each step a signed decision over the stored canonical text, with the settings it was made under.
    const decisions = await db().selectFrom('escalation_decisions').selectAll().where('order_id', '=', order).orderBy('seq').execute();
    expect(decisions.map((d) => d.step)).toEqual(['criticism', 'deferInvestment', 'suspendConstruction', 'terminate']);
    for (const d of decisions) {
      expect(sm2Verify(d.payload, d.signature, d.public_key)).toBe(true);
      expect(JSON.parse(d.payload)).toMatchObject({ type: 'govproj.escalation-decision.v1', step: d.step, article: '第三十条', orderId: order });
      expect(d.rule_values).toMatchObject({ 'escalation.steps': 'criticism,deferInvestment,suspendConstruction,terminate', source: { kind: 'default' } });
    }
    // Every decision has its audit event and the chain verifies.
    const events = await sql<{ action: string }>`select action from audit_events where object_id = ${id} and action like 'supervision.%' order by occurred_at`.execute(db());
    expect(events.rows.map((e) => e.action)).toEqual(['supervision.finding.record', ...Array(4).fill('supervision.escalation.impose')]);
    expect((await verifyAuditLog(db(), demo.services.keys.checkpoint.publicKey)).status).toBe('intact');
  });

  it('answer, failed verification (escalation due at once), passed verification, then 暂缓/暂停 lifted by signed decisions', async () => {
    await setClock('2026-11-20T02:00:00Z');
    const id = await approvedProject('整改合格解除项目');
    const order = (await post('ndrc', '/api/v1/rectifications', finding(id, { dueOn: '2027-01-31' }))).json().id as string;
    // Only the unit answers; evidence must be a material of the project.
    await refused(() => post('approver', `/api/v1/rectifications/${order}/answers`, { evidence: '已整改' }), 403, 'auth.forbidden');
    await refused(() => post('preparer', `/api/v1/rectifications/${order}/answers`, { evidence: '已整改', materialIds: ['00000000-0000-4000-8000-000000000001'] }), 422, 'rectification.evidence_not_found');
    // Verifying before an answer: 409.
    await refused(() => post('ndrc', `/api/v1/rectifications/${order}/verification`, { result: 'passed', opinion: '合格' }), 409, 'rectification.not_verifiable');
    const a1 = await post('preparer', `/api/v1/rectifications/${order}/answers`, { evidence: '已退回部分资金。' });
    expect(a1.statusCode, a1.body).toBe(201);
    expect(a1.json().status).toBe('answered');
    await refused(() => post('preparer', `/api/v1/rectifications/${order}/answers`, { evidence: '再次报告' }), 409, 'rectification.not_answerable');
    // Another body may not verify the NDRC's order.
    await refused(() => post('mof', `/api/v1/rectifications/${order}/verification`, { result: 'failed', opinion: '不合格' }), 403, 'supervision.outside_remit');
    const failed = await post('ndrc', `/api/v1/rectifications/${order}/verification`, { result: 'failed', opinion: '资金未全部退回。' });
    expect(failed.json()).toMatchObject({ status: 'failed', escalationDue: 'failed', nextStep: 'criticism' });
    // Failed before the deadline: escalation due all the same (整改后仍不达标).
    for (const step of ['criticism', 'deferInvestment', 'suspendConstruction']) expect((await escalate('ndrc', order, step)).statusCode).toBe(201);
    // Lifting before a passed verification: refused.
    await refused(() => lift('ndrc', order, 'suspendConstruction'), 409, 'escalation.not_rectified');
    // The unit answers again; NDRC verifies it passed.
    expect((await post('preparer', `/api/v1/rectifications/${order}/answers`, { evidence: '违规资金已全部退回，附退款凭证。' })).statusCode).toBe(201);
    const passed = await post('ndrc', `/api/v1/rectifications/${order}/verification`, { result: 'passed', opinion: '整改到位。' });
    expect(passed.json()).toMatchObject({ status: 'passed', escalationDue: null, nextStep: null });
    expect(passed.json().closedAt).not.toBeNull();
    expect(passed.json().answers.map((a: { result: string }) => a.result)).toEqual(['failed', 'passed']);
    // Still suspended until lifted.
    await refused(() => constructionWrite(id), 409, 'construction.suspended_supervision');
    await refused(() => lift('ndrc', order, 'criticism'), 422, 'escalation.not_liftable');
    const l1 = await lift('ndrc', order, 'suspendConstruction');
    expect(l1.statusCode, l1.body).toBe(201);
    expect(l1.json().standing).toEqual(['deferInvestment']);
    await refused(() => lift('ndrc', order, 'suspendConstruction'), 409, 'escalation.not_standing');
    expect((await constructionWrite(id)).statusCode).toBe(200);
    await refused(() => release(id), 409, 'investment.deferred');
    expect((await lift('ndrc', order, 'deferInvestment')).statusCode).toBe(201);
    expect((await release(id)).statusCode).toBe(201);
    expect((await get('ndrc', `/api/v1/rectifications/${order}`)).json().projectSanctions).toBeNull();
  });

  it('第三十四条: the ladder comes from the rule setting in force; decisions keep the version they were made under', async () => {
    await setClock('2026-11-20T02:00:00Z');
    // A bad ladder is refused by the settings themselves.
    const bad = await post('secadmin', '/api/v1/rule-settings/escalation.steps', { organizationId: null, value: 'terminate,criticism', reason: '测试' }, 'PUT');
    expect(bad.statusCode).toBe(400);
    const changed = await post('secadmin', '/api/v1/rule-settings/escalation.steps', { organizationId: null, value: 'criticism,suspendConstruction,terminate', reason: '本地区不采取暂缓安排投资计划' }, 'PUT');
    expect(changed.statusCode, changed.body).toBe(200);
    const id = await approvedProject('规则设置升级项目');
    const order = (await post('ndrc', '/api/v1/rectifications', finding(id))).json().id as string;
    await setClock('2026-12-11T01:00:00Z');
    expect((await escalate('ndrc', order, 'criticism')).statusCode).toBe(201);
    await refused(() => escalate('ndrc', order, 'deferInvestment'), 422, 'escalation.not_in_ladder');
    const s2 = await escalate('ndrc', order, 'suspendConstruction');
    expect(s2.statusCode, s2.body).toBe(201);
    const d = s2.json().decisions.at(-1);
    expect(d.ruleValues['escalation.steps']).toBe('criticism,suspendConstruction,terminate');
    expect(d.signatureValid).toBe(true);
    // Back to the full ladder (for the other tests); the stored decision is unchanged.
    await setClock('2026-11-20T02:00:00Z');
    expect((await post('secadmin', '/api/v1/rule-settings/escalation.steps', { organizationId: null, value: 'criticism,deferInvestment,suspendConstruction,terminate', reason: '恢复' }, 'PUT')).statusCode).toBe(200);
    const again = await get('ndrc', `/api/v1/rectifications/${order}`);
    expect(again.json().decisions.at(-1).ruleValues['escalation.steps']).toBe('criticism,suspendConstruction,terminate');
  });

  it('lists and exports within scope; the auditor reads everything and changes nothing', async () => {
    const all = await get('auditor', '/api/v1/rectifications?pageSize=200');
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBeGreaterThan(0);
    const unit = await get('preparer', '/api/v1/rectifications?pageSize=200');
    expect(unit.json().total).toBe(all.json().total); // every test project is the demo unit's
    const x = await demo.app.inject({ method: 'GET', url: '/api/v1/rectifications/export', headers: auth('auditor') });
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const reviewer = await get('reviewer', '/api/v1/rectifications');
    expect(reviewer.statusCode).toBe(403);
    const order = all.json().items[0].id as string;
    await refused(() => post('auditor', `/api/v1/rectifications/${order}/verification`, { result: 'passed', opinion: '合格' }), 403, 'auth.forbidden');
  });
});

describe('第三十三条: accountability records', () => {
  it('recorded against a unit and a project, listed, exported, audited; bad input writes nothing', async () => {
    await setClock('2026-11-20T02:00:00Z');
    const id = await approvedProject('责任追究测试项目');
    const unit = demo.org.get('人力资源和社会保障部信息中心')!;
    const body = { unitOrganizationId: unit, projectId: id, subject: '项目负责人 王某', violation: '弄虚作假，虚报工程量造成损失浪费。', basisArticle: '第三十三条', decision: '给予警告处分，并通报批评。', decidedOn: '2026-11-19' };
    await refused(() => post('preparer', '/api/v1/accountability', body), 403, 'auth.forbidden');
    await refused(() => post('ndrc', '/api/v1/accountability', { ...body, decidedOn: '2026-11-21' }), 400, 'validation.failed');
    await refused(() => post('ndrc', '/api/v1/accountability', { ...body, projectId: '00000000-0000-4000-8000-000000000000' }), 400, 'validation.failed');
    const ok = await post('ndrc', '/api/v1/accountability', body);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ unitName: '人力资源和社会保障部信息中心', projectId: id, basisArticle: '第三十三条', decidedOn: '2026-11-19', role: 'ndrc' });
    const listed = await get('preparer', `/api/v1/accountability?projectId=${id}`);
    expect(listed.json().items).toEqual([expect.objectContaining({ id: ok.json().id, subject: '项目负责人 王某' })]);
    const x = await demo.app.inject({ method: 'GET', url: '/api/v1/accountability/export', headers: auth('auditor') });
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const ev = await sql<{ outcome: string; diff: { after: { recordId: string } } }>`select outcome, diff from audit_events
      where object_id = ${unit} and action = 'supervision.accountability.record' and outcome = 'success'`.execute(db());
    expect(ev.rows.map((e) => e.diff.after.recordId)).toContain(ok.json().id);
  });
});

describe('第三十条 documents: 整改通知 and 通报 as .docx and PDF', () => {
  it('the notice and the decision documents download in both formats; others 404', async () => {
    await setClock('2026-11-20T02:00:00Z');
    const id = await approvedProject('公文下载测试项目');
    const order = (await post('ndrc', '/api/v1/rectifications', finding(id))).json().id as string;
    const docx = await get('preparer', `/api/v1/rectifications/${order}/notice`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await get('preparer', `/api/v1/rectifications/${order}/notice?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    await setClock('2026-12-11T01:00:00Z');
    const decided = await escalate('ndrc', order, 'criticism');
    const decisionId = decided.json().decisions[0].id as string;
    const notice = await get('auditor', `/api/v1/rectifications/${order}/decisions/${decisionId}/document?format=pdf`);
    expect(notice.statusCode).toBe(200);
    expect(notice.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get('auditor', `/api/v1/rectifications/${order}/decisions/${order}/document`)).statusCode).toBe(404);
    expect((await get('reviewer', `/api/v1/rectifications/${order}/notice`)).statusCode).toBe(403);
    const audited = await sql<{ n: string }>`select count(*) as n from audit_events where object_id = ${order} and action = 'supervision.document_download'`.execute(db());
    expect(Number(audited.rows[0]!.n)).toBe(3);
  });
});
