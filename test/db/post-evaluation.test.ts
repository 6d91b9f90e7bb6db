// 第二十七条: the self-evaluation window (12–24 months after the later of acceptance and go-live),
// the report sent to the approval department and MoF, and the third-party post-evaluation the
// approval department commissions, through the HTTP stack on both databases. Projects here are
// put into the accepted state directly with SQL (acceptance itself: test/db/acceptance.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { bearer, openDemoApp, signIn, uploadPdf, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};
const USERS = ['preparer', 'reviewer', 'approver', 'evaluator', 'mof'];

async function signInAll() {
  for (const u of USERS) s[u] = await signIn(demo.app, demo.services, u);
}

beforeAll(async () => {
  demo = await openDemoApp();
  await signInAll();
});
afterAll(async () => demo.close());

const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: bearer(s[who]!) });
const post = (who: string, url: string, payload: Record<string, unknown> = {}) =>
  demo.app.inject({ method: 'POST', url, headers: bearer(s[who]!), payload });
const count = async (table: string, id: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where project_id = ${id}`.execute(demo.t.database.db)).rows[0]!.n);
const audits = async (action: string, id: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from audit_events where action = ${action} and object_id = ${id}`.execute(demo.t.database.db)).rows[0]!.n);

/** Moves the test clock (sessions then expire: everyone signs in again). */
async function setClock(iso: string) {
  demo.services.clock.now = new Date(iso);
  await signInAll();
}

/** An approved project of the demo unit, accepted and in operation on the given dates (SQL). */
async function acceptedProject(name: string, acceptedOn: string, inOperationOn: string): Promise<string> {
  const res = await post('preparer', '/api/v1/projects', {
    name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get('国家发展和改革委员会创新和高技术发展司'),
    track: 'approval', kind: 'new', constructionStart: '2025-01-01', constructionEnd: '2026-06-30',
    totalInvestment: '900.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const db = demo.t.database.db;
  await db.updateTable('projects').set({ stage: 'preliminaryDesign', status: 'approved' }).where('id', '=', id).execute();
  await db.insertInto('project_construction').values({
    project_id: id, completed_on: '2026-06-30', accepted_on: acceptedOn, in_operation_on: inOperationOn, created_at: new Date(), updated_at: new Date(),
  }).execute();
  return id;
}

// The clock only moves forward (a TOTP code once used is never taken again), so every project is
// created first, at today's date, and the tests then walk through the years in order.
let id: string;
let lateId: string;
let earlyId: string;
let thirdPartyId: string;

describe('自评价 (第二十七条)', () => {
  it('第二十七条: the window counts from the later of acceptance and go-live: opens +12 months, closes +24 months', async () => {
    id = await acceptedProject('自评价测试项目', '2026-11-20', '2026-12-01');
    lateId = await acceptedProject('逾期自评价项目', '2026-11-20', '2026-11-20');
    earlyId = await acceptedProject('提前自评价项目', '2026-11-20', '2026-11-20');
    thirdPartyId = await acceptedProject('后评价测试项目', '2026-11-20', '2026-11-20');
    const view = (await get('preparer', `/api/v1/projects/${id}/post-evaluation`)).json();
    expect(view.window).toMatchObject({ countsFrom: '2026-12-01', opensOn: '2027-12-01', dueOn: '2028-12-01' });
    expect(view.status).toMatchObject({ phase: 'beforeWindow', status: 'notDue' });
    expect(view.rules).toEqual({ startMonths: 12, endMonths: 24, refuseEarly: true, remindDays: 30 });
  });

  it('第二十七条: a submission needs an uploaded report; before the window it is refused with the opening date and writes nothing', async () => {
    const url = `/api/v1/projects/${id}/post-evaluation/self-evaluations`;
    expect((await post('preparer', url)).json().code).toBe('selfEvaluation.report_missing');
    expect((await uploadPdf(demo.app, s.preparer!, id, 'preliminaryDesign', 'selfEvaluationReport', '项目自评价报告.pdf')).statusCode).toBe(201);
    const notesBefore = await count('notifications', id);
    const early = await post('preparer', url);
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'selfEvaluation.refused' });
    expect(early.json().detail).toContain('2027-12-01');
    expect(early.json().problems).toEqual([expect.objectContaining({ code: 'selfEvaluation.before_window', article: '第二十七条', params: expect.objectContaining({ opensOn: '2027-12-01' }) })]);
    expect(await count('self_evaluations', id)).toBe(0);
    expect(await audits('postEvaluation.selfEvaluation', id)).toBe(0);
    expect(await count('notifications', id)).toBe(notesBefore);
  });

  it('第二十七条 (第三十四条): with selfEvaluation.refuseEarly off an early report is taken with a notice', async () => {
    // I-56: only the security administrator changes rule settings.
    const secadmin = await signIn(demo.app, demo.services, 'secadmin');
    const changed = await demo.app.inject({
      method: 'PUT', url: '/api/v1/rule-settings/selfEvaluation.refuseEarly', headers: bearer(secadmin),
      payload: { organizationId: null, value: false, reason: '试点：窗口前受理' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const early = earlyId;
    expect((await uploadPdf(demo.app, s.preparer!, early, 'preliminaryDesign', 'selfEvaluationReport')).statusCode).toBe(201);
    const res = await post('preparer', `/api/v1/projects/${early}/post-evaluation/self-evaluations`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().notices.map((n: { code: string }) => n.code)).toEqual(['selfEvaluation.early_accepted']);
    const payload = JSON.parse((await demo.t.database.db.selectFrom('self_evaluations').select('payload').where('project_id', '=', early).executeTakeFirstOrThrow()).payload);
    expect(payload.rules).toEqual({ 'selfEvaluation.windowStartMonths': 12, 'selfEvaluation.windowEndMonths': 24, 'selfEvaluation.refuseEarly': false });
    await demo.app.inject({
      method: 'PUT', url: '/api/v1/rule-settings/selfEvaluation.refuseEarly', headers: bearer(secadmin),
      payload: { organizationId: null, value: true, reason: '恢复默认' },
    });
  });

  it('第二十七条: on the opening day it is taken, sent to the approval department and MoF, audited in the same transaction', async () => {
    // The day before the window (Beijing time; signing in moves the clock a few 30 s steps) it is still refused.
    await setClock('2027-11-30T15:40:00Z');
    expect((await post('preparer', `/api/v1/projects/${id}/post-evaluation/self-evaluations`)).statusCode).toBe(422);
    await setClock('2027-11-30T16:00:00Z'); // 2027-12-01 00:00 Beijing time
    const res = await post('preparer', `/api/v1/projects/${id}/post-evaluation/self-evaluations`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().postEvaluation.selfEvaluations).toEqual([expect.objectContaining({ submittedOn: '2027-12-01', timing: 'inWindow', fileName: '项目自评价报告.pdf' })]);
    expect(res.json().postEvaluation.status).toBeNull();
    expect(await audits('postEvaluation.selfEvaluation', id)).toBe(1);
    const told = await demo.t.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id')
      .select('u.username').where('n.project_id', '=', id).where('n.kind', '=', 'selfEvaluationSubmitted').execute();
    expect(told.map((t) => t.username).sort()).toEqual(['approver', 'mof', 'reviewer']);
    // MoF reads it (all projects).
    expect((await get('mof', `/api/v1/projects/${id}/post-evaluation`)).json().selfEvaluations).toHaveLength(1);
  });

  it('第二十七条: before acceptance there is no window and no submission', async () => {
    const res = await post('preparer', '/api/v1/projects', {
      name: '未验收项目', constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get('国家发展和改革委员会创新和高技术发展司'),
      track: 'approval', kind: 'new', constructionStart: '2025-01-01', constructionEnd: '2026-06-30',
      totalInvestment: '900.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
    });
    const pid = res.json().id as string;
    expect((await get('preparer', `/api/v1/projects/${pid}/post-evaluation`)).json()).toMatchObject({ window: null, status: null });
    expect((await post('preparer', `/api/v1/projects/${pid}/post-evaluation/self-evaluations`)).json().code).toBe('acceptance.not_accepted');
  });
});

describe('第三方后评价 (第二十七条)', () => {
  it('第二十七条 (I-55): the approval department commissions an evaluator only on a submitted self-evaluation', async () => {
    await setClock('2027-12-10T02:00:00Z');
    const id = thirdPartyId;
    const evaluatorOrg = demo.org.get('北京中评智信绩效评价咨询有限公司')!;
    const url = `/api/v1/projects/${id}/post-evaluation/commissions`;
    const tooSoon = await post('reviewer', url, { organizationId: evaluatorOrg, reason: '年度后评价' });
    expect(tooSoon.statusCode).toBe(422);
    expect(tooSoon.json().problems.map((p: { code: string }) => p.code)).toEqual(['postEvaluation.no_self_evaluation']);
    expect(await count('post_evaluations', id)).toBe(0);
    expect((await uploadPdf(demo.app, s.preparer!, id, 'preliminaryDesign', 'selfEvaluationReport')).statusCode).toBe(201);
    expect((await post('preparer', `/api/v1/projects/${id}/post-evaluation/self-evaluations`)).statusCode).toBe(201);
    // Not an evaluator organization: 400; not the approval department: 403.
    const wrongOrg = await post('reviewer', url, { organizationId: demo.org.get('中国国际工程咨询有限公司'), reason: '年度后评价' });
    expect(wrongOrg.json().errors).toEqual([expect.objectContaining({ path: 'organizationId', code: 'postEvaluation.not_evaluator' })]);
    expect((await post('preparer', url, { organizationId: evaluatorOrg, reason: '年度后评价' })).statusCode).toBe(403);
    // Before the commission the evaluator does not see the project at all.
    expect((await get('evaluator', `/api/v1/projects/${id}/post-evaluation`)).statusCode).toBe(404);
    const ok = await post('reviewer', url, { organizationId: evaluatorOrg, reason: '根据自评情况开展事后评价' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().commissions).toEqual([expect.objectContaining({ evaluatorOrganizationName: '北京中评智信绩效评价咨询有限公司', conclusion: null })]);
    expect(await audits('postEvaluation.commission', id)).toBe(1);
    const told = await demo.t.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id')
      .select('u.username').where('n.project_id', '=', id).where('n.kind', '=', 'postEvaluationCommissioned').execute();
    expect(told.map((t) => t.username)).toEqual(['evaluator']);
    const again = await post('reviewer', url, { organizationId: evaluatorOrg, reason: '再次' });
    expect(again.json().problems.map((p: { code: string }) => p.code)).toEqual(['postEvaluation.open']);
  });

  it('第二十七条 (I-55): the evaluator uploads its report and concludes (整改) with an opinion; 第九条 can link the report', async () => {
    const id = thirdPartyId;
    const view = (await get('evaluator', `/api/v1/projects/${id}/post-evaluation`));
    expect(view.statusCode).toBe(200);
    expect(view.json().can).toMatchObject({ conclude: true, commission: false, submit: false });
    const url = `/api/v1/projects/${id}/post-evaluation/conclusion`;
    const noReport = await post('evaluator', url, { conclusion: 'remediate', opinion: '共享接口调用量偏低，建议整改' });
    expect(noReport.statusCode).toBe(422);
    expect(noReport.json().problems.map((p: { code: string }) => p.code)).toEqual(['postEvaluation.report_missing']);
    expect((await post('reviewer', url, { conclusion: 'remediate', opinion: 'x' })).statusCode).toBe(403);
    const upload = await uploadPdf(demo.app, s.evaluator!, id, 'preliminaryDesign', 'postEvaluationReport', '第三方后评价报告.pdf');
    expect(upload.statusCode, upload.body).toBe(201);
    const res = await post('evaluator', url, { conclusion: 'remediate', opinion: '共享接口调用量偏低，建议整改' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().commissions[0]).toMatchObject({
      conclusion: 'remediate', conclusionName: { zh: '整改', en: 'Remediate' }, opinion: '共享接口调用量偏低，建议整改',
      report: { materialId: upload.json().id, sm3: upload.json().sm3 },
    });
    expect(await audits('postEvaluation.conclude', id)).toBe(1);
    const told = await demo.t.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id')
      .select('u.username').where('n.project_id', '=', id).where('n.kind', '=', 'postEvaluationConcluded').execute();
    expect(told.map((t) => t.username).sort()).toEqual(['approver', 'mof', 'preparer', 'reviewer']);
    // Concluded: no open commission, so no further upload by the evaluator and no second conclusion.
    expect((await uploadPdf(demo.app, s.evaluator!, id, 'preliminaryDesign', 'postEvaluationReport')).json().code).toBe('postEvaluation.not_commissioned');
    expect((await post('evaluator', url, { conclusion: 'continue', opinion: '改判' })).json().code).toBe('postEvaluation.not_commissioned');
  });
});

describe('自评价逾期 (第二十七条)', () => {
  it('第二十七条: after month 24 an unsubmitted report is shown overdue; a late one is taken and marked late', async () => {
    const late = lateId;
    await setClock('2028-11-21T02:00:00Z');
    const view = (await get('preparer', `/api/v1/projects/${late}/post-evaluation`)).json();
    expect(view.window.dueOn).toBe('2028-11-20');
    expect(view.status).toMatchObject({ phase: 'afterWindow', status: 'overdue', daysLeft: -1 });
    expect((await uploadPdf(demo.app, s.preparer!, late, 'preliminaryDesign', 'selfEvaluationReport')).statusCode).toBe(201);
    const res = await post('preparer', `/api/v1/projects/${late}/post-evaluation/self-evaluations`);
    expect(res.statusCode).toBe(201);
    expect(res.json().notices).toEqual([expect.objectContaining({ code: 'selfEvaluation.late', params: expect.objectContaining({ daysLate: '1' }) })]);
    expect(res.json().postEvaluation.selfEvaluations[0].timing).toBe('late');
  });

});
