// 第七条 咨询评估 and 改派审核人, 第三十四条 rule settings, SPEC §11 worklist and notifications,
// through the HTTP stack on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { addDays } from '../../src/domain/worklist.ts';
import { systemActor } from '../../src/usecases/actor.ts';
import { createUser } from '../../src/usecases/users.ts';
import { addMaterialRow, copyDemoCatalog, demoTotp, openDemoApp, signIn, uploadPdf, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};
const HITECH = '国家发展和改革委员会创新和高技术发展司';

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'unitlead', 'reviewer', 'approver', 'ndrc', 'assessor', 'mof', 'secadmin']) s[u] = await signIn(demo.app, demo.services, u);
});
afterAll(async () => demo.close());

const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: auth(who) });
const send = (who: string, method: 'POST' | 'PUT', url: string, payload: unknown = {}) =>
  demo.app.inject({ method, url, headers: auth(who), payload: payload as Record<string, unknown> });
const act = (who: string, id: string, action: string, body: Record<string, unknown> = {}) =>
  send(who, 'POST', `/api/v1/projects/${id}/actions/${action}`, body);
function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}

async function newProject(name: string, totalInvestment: string): Promise<string> {
  const res = await send('preparer', 'POST', '/api/v1/projects', {
    name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get(HITECH),
    track: 'approval', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2027-12-31',
    totalInvestment, fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  await copyDemoCatalog(demo.t.database.db, id);
  return id;
}

const addMaterial = (projectId: string, stage: string, code: string) => addMaterialRow(demo.t.database.db, projectId, stage, code);

const upload = (who: string, projectId: string, stage: string, materialCode: string) =>
  uploadPdf(demo.app, s[who]!, projectId, stage, materialCode, '评估报告.pdf');

/** Draft → submitted (the preparer submits, the unit lead signs). */
async function submitted(name: string, amount: string): Promise<string> {
  const id = await newProject(name, amount);
  await addMaterial(id, 'proposal', 'proposal');
  expect((await act('preparer', id, 'submit')).statusCode).toBe(200);
  expect((await act('unitlead', id, 'sign')).statusCode).toBe(200);
  return id;
}

async function worklistOf(who: string): Promise<Array<Record<string, unknown>>> {
  const res = await get(who, '/api/v1/worklist');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe('规则设置 (第三十四条)', () => {
  it('第三十四条: settings start at the central defaults', async () => {
    const res = await get('preparer', '/api/v1/rule-settings');
    expect(res.statusCode).toBe(200);
    const byKey = new Map(res.json().items.map((i: { key: string }) => [i.key, i]));
    expect(byKey.get('assessment.thresholdWan')).toMatchObject({ value: '3000.00', defaultValue: '3000.00', overrides: [], changedAt: null });
    expect(byKey.get('deadline.signatureDays')).toMatchObject({ value: 5, unit: 'days' });
  });

  it('第三十四条: only the security administrator changes settings, central or an approval department’s own (I-56); a reason is required; all audited', async () => {
    expect((await send('reviewer', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: null, value: 10, reason: '试' })).statusCode).toBe(403);
    expect((await send('approver', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: null, value: 10, reason: '试' })).statusCode).toBe(403);
    expect((await send('approver', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: demo.org.get(HITECH), value: 10, reason: '试' })).statusCode).toBe(403);
    expect((await send('ndrc', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: null, value: 10, reason: '试' })).statusCode).toBe(403);
    const noReason = await send('secadmin', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: null, value: 10, reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const badValue = await send('secadmin', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: null, value: 0, reason: '调整' });
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json().errors).toEqual([expect.objectContaining({ path: 'value', code: 'rule.invalid_days' })]);

    const central = await send('secadmin', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: null, value: 15, reason: '压缩审批时限' });
    expect(central.statusCode, central.body).toBe(200);
    expect(central.json()).toMatchObject({ value: 15, reason: '压缩审批时限' });
    const own = await send('secadmin', 'PUT', '/api/v1/rule-settings/deadline.reviewDays', { organizationId: demo.org.get(HITECH), value: 12, reason: '本司时限' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().overrides).toEqual([expect.objectContaining({ organizationName: HITECH, value: 12, reason: '本司时限' })]);

    const history = (await get('mof', '/api/v1/rule-settings/history?key=deadline.reviewDays')).json().items;
    expect(history.map((h: { value: unknown }) => h.value)).toEqual([12, 15]);
    const audit = await sql<{ n: string }>`select count(*) as n from audit_events where action = 'rule.update'`.execute(demo.t.database.db);
    expect(Number(audit.rows[0]!.n)).toBe(2);
  });
});

describe('咨询评估 and 改派 (第七条, 第十一条)', () => {
  it('第七条: at or above the threshold, acceptance opens an assessment by the entrusted 咨询评估单位', async () => {
    const id = await submitted('咨询评估测试项目', '3000.00');
    // The assessor sees nothing before it is entrusted.
    expect((await get('assessor', `/api/v1/projects/${id}`)).statusCode).toBe(404);
    const accepted = await act('reviewer', id, 'accept');
    expect(accepted.json().project.lifecycle.status).toBe('assessing');
    // 第三十四条: the acceptance records the settings that decided the path.
    expect(JSON.parse(accepted.json().record.payload).rules).toEqual({ 'assessment.enabled': true, 'assessment.thresholdWan': '3000.00' });

    const ciecc = (await demo.t.database.db.selectFrom('organizations').select('id').where('kind', '=', 'assessor').executeTakeFirstOrThrow()).id;
    expect((await send('reviewer', 'PUT', `/api/v1/projects/${id}/assessor`, { organizationId: demo.org.get(HITECH) })).statusCode).toBe(400);
    expect((await send('preparer', 'PUT', `/api/v1/projects/${id}/assessor`, { organizationId: ciecc })).statusCode).toBe(403);
    const entrusted = await send('reviewer', 'PUT', `/api/v1/projects/${id}/assessor`, { organizationId: ciecc, reason: '委托中咨公司评估' });
    expect(entrusted.statusCode, entrusted.body).toBe(200);
    expect(entrusted.json().assessor).toMatchObject({ organizationName: '中国国际工程咨询有限公司', reason: '委托中咨公司评估' });

    // The assessor now sees it, has it on the worklist and was notified.
    expect((await get('assessor', `/api/v1/projects/${id}`)).statusCode).toBe(200);
    expect((await worklistOf('assessor')).map((w) => w.projectId)).toContain(id);
    const inbox = (await get('assessor', '/api/v1/notifications?unreadOnly=true')).json();
    expect(inbox.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'assessmentAssigned', projectId: id })]));

    // 第十一条: the report must be uploaded and carry sharing opinions.
    const noReport = await act('assessor', id, 'completeAssessment', { sharingOpinions: '同意' });
    expect(noReport.statusCode).toBe(422);
    expect(noReport.json().problems.map((p: { code: string }) => p.code)).toContain('assessment.report_missing');
    expect((await upload('preparer', id, 'proposal', 'assessmentReport')).statusCode).toBe(403);
    const uploaded = await upload('assessor', id, 'proposal', 'assessmentReport');
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const noOpinions = await act('assessor', id, 'completeAssessment', {});
    expect(noOpinions.json().problems.map((p: { code: string }) => p.code)).toEqual(['assessment.sharing_opinions_missing']);
    const done = await act('assessor', id, 'completeAssessment', { sharingOpinions: '信息资源共享分析充分，建议按目录共享。' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().project.lifecycle.status).toBe('under_review');
    // The approval department hears that the assessment is in.
    const approverInbox = (await get('approver', '/api/v1/notifications')).json().items;
    expect(approverInbox).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'assessed', projectId: id })]));
    const approved = await act('approver', id, 'approve', { sharingOpinions: '同意。', totp: freshTotp() });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await verifyAuditLog(demo.t.database.db, demo.services.keys.checkpoint.publicKey)).status).toBe('intact');
  });

  it('第三十四条: a department’s own threshold decides later acceptances and rewrites no earlier one', async () => {
    const earlier = await sql<{ payload: string }>`select payload from project_actions where action = 'accept' order by seq`.execute(demo.t.database.db);
    const put = await send('secadmin', 'PUT', '/api/v1/rule-settings/assessment.thresholdWan', { organizationId: demo.org.get(HITECH), value: '5000', reason: '本司门槛' });
    expect(put.statusCode, put.body).toBe(200);
    const id = await submitted('门槛调整后项目', '4000.00');
    const accepted = await act('reviewer', id, 'accept');
    expect(accepted.json().project.lifecycle.status).toBe('under_review');
    expect(JSON.parse(accepted.json().record.payload).rules['assessment.thresholdWan']).toBe('5000.00');
    const again = await sql<{ payload: string }>`select payload from project_actions where action = 'accept' and project_id <> ${id} order by seq`.execute(demo.t.database.db);
    expect(again.rows).toEqual(earlier.rows);
  });

  it('第七条: a reassigned submission is the new reviewer’s alone', async () => {
    // A second reviewer of the same bureau, created by the system administrator.
    const created = await createUser(demo.services, systemActor(), {
      username: 'reviewer2', displayName: '郑华', password: 'Review-Passw0rd-2026', organizationIds: [demo.org.get(HITECH)!], roleCodes: ['reviewer'],
    });
    const reviewer2 = created.user.id;
    await demo.t.database.db.updateTable('user_roles').set({ custom_organization_ids: [demo.org.get(HITECH)!] }).where('user_id', '=', reviewer2).execute();

    const id = await submitted('改派测试项目', '500.00');
    expect((await worklistOf('reviewer')).map((w) => w.projectId)).toContain(id);
    const candidates = (await get('reviewer', `/api/v1/projects/${id}/reviewer-candidates`)).json().items.map((c: { id: string }) => c.id);
    expect(candidates).toContain(reviewer2);
    expect((await act('reviewer', id, 'reassignReviewer', { reviewerId: s.preparer!.userId })).statusCode).toBe(400);
    const reassigned = await act('reviewer', id, 'reassignReviewer', { reviewerId: reviewer2, reasons: '工作调整' });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
    expect((await get('mof', `/api/v1/projects/${id}/assignments`)).json().reviewer).toMatchObject({ userName: '郑华', reason: '工作调整' });
    // The first reviewer no longer has it to do, is not offered it, and may not take it.
    expect((await worklistOf('reviewer')).map((w) => w.projectId)).not.toContain(id);
    const offered = (await get('reviewer', `/api/v1/projects/${id}/actions`)).json().actions.map((a: { action: string }) => a.action);
    expect(offered).toEqual(['reassignReviewer']);
    const refused = await act('reviewer', id, 'accept');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('lifecycle.not_assignee');
    const r2 = await signIn(demo.app, demo.services, 'reviewer2', 'Review-Passw0rd-2026');
    const items = (await demo.app.inject({ method: 'GET', url: '/api/v1/worklist', headers: { authorization: `Bearer ${r2.token}` } })).json().items;
    expect(items.map((w: { projectId: string }) => w.projectId)).toContain(id);
    const theirs = (await demo.app.inject({ method: 'GET', url: `/api/v1/projects/${id}/actions`, headers: { authorization: `Bearer ${r2.token}` } })).json();
    expect(theirs.actions.map((a: { action: string }) => a.action)).toContain('accept');
  });
});

describe('我的待办 and 通知 (SPEC §11)', () => {
  /** Moves the clock (forward only) and signs the users in again: sessions time out. */
  async function jumpTo(at: Date, users: string[]) {
    demo.services.clock.now = at;
    for (const u of users) s[u] = await signIn(demo.app, demo.services, u);
  }

  it('第七条: each step lands on the worklist of whoever acts next, due by the rule settings', async () => {
    // Noon in Beijing on the next day, so no step of the test straddles midnight there.
    const noon = new Date(`${addDays(shanghaiDate(demo.services.now()), 1)}T12:00:00+08:00`);
    await jumpTo(noon, ['preparer', 'unitlead', 'reviewer', 'approver']);
    const id = await newProject('待办测试项目', '300.00');
    expect((await worklistOf('preparer')).find((w) => w.projectId === id)).toMatchObject({ status: 'draft', dueDate: null, overdue: false });
    // 第七条: the stage's checklist comes with what the preparer may do.
    const checklist = async () => (await get('preparer', `/api/v1/projects/${id}/actions`)).json().checklist;
    expect(await checklist()).toEqual([expect.objectContaining({ code: 'proposal', article: '第七条', present: false })]);
    await addMaterial(id, 'proposal', 'proposal');
    expect(await checklist()).toEqual([expect.objectContaining({ code: 'proposal', present: true })]);
    expect((await act('preparer', id, 'submit')).statusCode).toBe(200);
    const today = shanghaiDate(demo.services.now());
    const lead = (await worklistOf('unitlead')).find((w) => w.projectId === id);
    expect(lead).toMatchObject({ role: 'unit_lead', dueDate: addDays(today, 5), daysLeft: 5, overdue: false });
    expect(lead!.actions).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'sign' })]));
    expect((await worklistOf('preparer')).find((w) => w.projectId === id)).toBeUndefined();

    // The unit lead was told; the notification is theirs alone.
    const inbox = (await get('unitlead', '/api/v1/notifications?unreadOnly=true')).json();
    const note = inbox.items.find((n: { projectId: string }) => n.projectId === id);
    expect(note).toMatchObject({ kind: 'signatureRequested', readAt: null });
    expect((await send('preparer', 'POST', `/api/v1/notifications/${note.id}/read`)).statusCode).toBe(404);
    expect((await send('unitlead', 'POST', `/api/v1/notifications/${note.id}/read`)).statusCode).toBe(204);
    const after = (await get('unitlead', '/api/v1/notifications?unreadOnly=true')).json();
    expect(after.unread).toBe(inbox.unread - 1);

    expect((await act('unitlead', id, 'sign')).statusCode).toBe(200);
    // The department's own review period (12 days, set above) applies once under review.
    expect((await act('reviewer', id, 'accept')).json().project.lifecycle.status).toBe('under_review');
    const approverItem = (await worklistOf('approver')).find((w) => w.projectId === id);
    expect(approverItem).toMatchObject({ dueDate: addDays(today, 12) });

    // Time passes: on the last day it is not overdue; the day after it is.
    await jumpTo(new Date(noon.getTime() + 12 * 86_400_000), ['approver']);
    expect((await worklistOf('approver')).find((w) => w.projectId === id)).toMatchObject({ daysLeft: 0, overdue: false });
    await jumpTo(new Date(noon.getTime() + 13 * 86_400_000), ['approver', 'reviewer', 'preparer']);
    expect((await worklistOf('approver')).find((w) => w.projectId === id)).toMatchObject({ daysLeft: -1, overdue: true });

    const returned = await act('reviewer', id, 'returnForRevision', { reasons: '请补充需求分析。' });
    expect(returned.statusCode, returned.body).toBe(200);
    const told = (await get('preparer', '/api/v1/notifications')).json().items.find((n: { projectId: string; kind: string }) => n.projectId === id && n.kind === 'returned');
    expect(told.body.zh).toContain('请补充需求分析。');
    expect((await worklistOf('preparer')).find((w) => w.projectId === id)).toMatchObject({ status: 'returned' });

    expect((await send('preparer', 'POST', '/api/v1/notifications/read-all')).statusCode).toBe(204);
    expect((await get('preparer', '/api/v1/notifications')).json().unread).toBe(0);

    const xlsx = await get('preparer', '/api/v1/worklist/export');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
