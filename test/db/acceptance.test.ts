// 第二十五条, 第二十六条: applying for acceptance with the article's materials (refused, writing
// nothing, until complete), the extension, the archive acceptance gate and the signed acceptance
// decision, through the HTTP stack on both databases. The completed demo project is seeded with
// completed_on set (src/usecases/seed-demo-acceptance.ts); other projects here are put into the
// approved and completed state directly with SQL (the completion use case is another's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sm2Verify } from '../../src/crypto/sm2.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { DEMO_ACCEPTANCE_PROJECT } from '../../src/usecases/seed-demo-acceptance.ts';
import { bearer, demoTotp, openDemoApp, signIn, uploadPdf, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};
let projectId: string;

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'reviewer', 'approver', 'assessor', 'evaluator', 'auditor']) s[u] = await signIn(demo.app, demo.services, u);
  projectId = (await demo.t.database.db.selectFrom('projects').select('id').where('name', '=', DEMO_ACCEPTANCE_PROJECT).executeTakeFirstOrThrow()).id;
});
afterAll(async () => demo.close());

const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: bearer(s[who]!) });
const post = (who: string, url: string, payload: Record<string, unknown> = {}) =>
  demo.app.inject({ method: 'POST', url, headers: bearer(s[who]!), payload });
function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}
const count = async (table: string, id = projectId) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where project_id = ${id}`.execute(demo.t.database.db)).rows[0]!.n);
const audits = async (action: string, id = projectId) =>
  Number((await sql<{ n: string }>`select count(*) as n from audit_events where action = ${action} and object_id = ${id}`.execute(demo.t.database.db)).rows[0]!.n);

/** A fresh approved project of the demo unit, completed on `completedOn` (set directly with SQL). */
async function completedProject(name: string, completedOn: string | null): Promise<string> {
  const res = await post('preparer', '/api/v1/projects', {
    name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get('国家发展和改革委员会创新和高技术发展司'),
    track: 'approval', kind: 'new', constructionStart: '2025-01-01', constructionEnd: '2026-06-30',
    totalInvestment: '900.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const db = demo.t.database.db;
  await db.updateTable('projects').set({ stage: 'preliminaryDesign', status: 'approved' }).where('id', '=', id).execute();
  if (completedOn) {
    await db.insertInto('project_construction').values({ project_id: id, completed_on: completedOn, created_at: new Date(), updated_at: new Date() }).execute();
  }
  return id;
}

describe('验收申请 (第二十五条)', () => {
  it('第二十五条: completion 2026-08-31 → due 2027-02-28; the live checklist shows the one line still missing', async () => {
    const res = await get('preparer', `/api/v1/projects/${projectId}/acceptance`);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({
      completedOn: '2026-08-31', acceptedOn: null, rules: { applicationMonths: 6 },
      deadline: { originalDueOn: '2027-02-28', dueOn: '2027-02-28', extended: false },
      can: { apply: true, decide: false },
    });
    expect(view.checklist.map((i: { key: string; satisfied: boolean }) => [i.key, i.satisfied])).toEqual([
      ['constructionSummary', true], ['financialReport', true], ['auditReport', true], ['securityRiskAssessment', true], ['cryptoAssessment', false],
    ]);
    expect(view.obligation).toMatchObject({ dueOn: '2027-02-28' });
  });

  it('第二十五条: an application missing a material is refused (422, the missing line named) and writes nothing', async () => {
    const before = await Promise.all([count('acceptance_applications'), audits('acceptance.apply'), count('notifications')]);
    const res = await post('preparer', `/api/v1/projects/${projectId}/acceptance/application`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'acceptance.blocked' });
    expect(res.json().problems).toEqual([
      expect.objectContaining({ code: 'acceptance.material_missing', article: '第二十五条', params: expect.objectContaining({ key: 'cryptoAssessment' }) }),
    ]);
    expect(await Promise.all([count('acceptance_applications'), audits('acceptance.apply'), count('notifications')])).toEqual(before);
    // The dry run says the same and writes nothing either.
    const dry = await post('preparer', `/api/v1/projects/${projectId}/acceptance/application?dryRun=true`);
    expect(dry.json()).toMatchObject({ dryRun: true, ok: false });
  });

  it('第二十五条: the acceptance report cannot be filed before acceptance', async () => {
    const res = await uploadPdf(demo.app, s.preparer!, projectId, 'preliminaryDesign', 'acceptanceReport');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('acceptance.not_accepted');
  });

  it('第二十五条: complete, the application goes to the approval department with its materials by SM3, audited and notified in one transaction', async () => {
    const upload = await uploadPdf(demo.app, s.preparer!, projectId, 'preliminaryDesign', 'acceptanceCryptoAssessment', '密码应用安全性评估报告.pdf');
    expect(upload.statusCode, upload.body).toBe(201);
    const res = await post('preparer', `/api/v1/projects/${projectId}/acceptance/application`);
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json().acceptance;
    expect(view.applications).toHaveLength(1);
    expect(view.applications[0]).toMatchObject({ dueOn: '2027-02-28', onTime: true, decision: null });
    expect(view.applications[0].materials.map((m: { code: string }) => m.code).sort()).toEqual(
      ['acceptanceCryptoAssessment', 'auditReport', 'constructionSummary', 'financialReport', 'mlpsTestReport']);
    expect(view.applications[0].materials.find((m: { code: string }) => m.code === 'acceptanceCryptoAssessment').sm3).toBe(upload.json().sm3);
    expect(view.obligation).toBeNull();
    expect(await audits('acceptance.apply')).toBe(1);
    const told = await demo.t.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id')
      .select('u.username').where('n.project_id', '=', projectId).where('n.kind', '=', 'acceptanceApplied').execute();
    expect(told.map((t) => t.username).sort()).toEqual(['approver', 'reviewer']);
    // A second application while this one waits is refused.
    const again = await post('preparer', `/api/v1/projects/${projectId}/acceptance/application`);
    expect(again.statusCode).toBe(422);
    expect(again.json().problems.map((p: { code: string }) => p.code)).toEqual(['acceptance.application_pending']);
  });
});

describe('档案验收 gates the decision (第二十六条)', () => {
  it('第二十六条: without an archive acceptance a pass is refused and nothing is written', async () => {
    const res = await post('approver', `/api/v1/projects/${projectId}/acceptance/decision`, { result: 'pass', opinion: '同意通过验收', totp: freshTotp() });
    expect(res.statusCode).toBe(422);
    expect(res.json().problems).toEqual([expect.objectContaining({ code: 'acceptance.archive_missing', article: '第二十六条' })]);
    expect(await count('acceptance_decisions')).toBe(0);
    expect(await audits('acceptance.decide')).toBe(0);
  });

  it('第二十六条: a failed archive acceptance blocks the pass; the reviewer records it, audited', async () => {
    const today = shanghaiDate(demo.services.now());
    const fail = await post('reviewer', `/api/v1/projects/${projectId}/acceptance/archive`, { acceptedOn: today, result: 'fail', opinion: '竣工图纸未归档' });
    expect(fail.statusCode, fail.body).toBe(201);
    expect(await audits('acceptance.archive')).toBe(1);
    const res = await post('approver', `/api/v1/projects/${projectId}/acceptance/decision`, { result: 'pass', opinion: '同意通过验收', totp: freshTotp() });
    expect(res.statusCode).toBe(422);
    expect(res.json().problems).toEqual([expect.objectContaining({ code: 'acceptance.archive_failed', params: expect.objectContaining({ acceptedOn: today }) })]);
    // A date in the future or before completion is refused.
    const future = await post('reviewer', `/api/v1/projects/${projectId}/acceptance/archive`, { acceptedOn: '2099-01-01', result: 'pass', opinion: '合格' });
    expect(future.statusCode).toBe(400);
    const early = await post('reviewer', `/api/v1/projects/${projectId}/acceptance/archive`, { acceptedOn: '2026-08-30', result: 'pass', opinion: '合格' });
    expect(early.json().errors).toEqual([expect.objectContaining({ path: 'acceptedOn', code: 'acceptance.before_completion' })]);
  });

  it('第二十五条: only the approval department decides (403), others outside the project get 404', async () => {
    expect((await post('preparer', `/api/v1/projects/${projectId}/acceptance/decision`, { result: 'pass', opinion: 'x' })).statusCode).toBe(403);
    expect((await post('reviewer', `/api/v1/projects/${projectId}/acceptance/decision`, { result: 'pass', opinion: 'x' })).statusCode).toBe(403);
    expect((await post('approver', `/api/v1/projects/${projectId}/acceptance/application`)).statusCode).toBe(403);
    expect((await post('preparer', `/api/v1/projects/${projectId}/acceptance/archive`, { acceptedOn: '2026-11-01', result: 'pass', opinion: 'x' })).statusCode).toBe(403);
    expect((await get('assessor', `/api/v1/projects/${projectId}/acceptance`)).statusCode).toBe(404);
    expect((await get('evaluator', `/api/v1/projects/${projectId}/acceptance`)).statusCode).toBe(404);
    expect((await get('auditor', `/api/v1/projects/${projectId}/acceptance`)).statusCode).toBe(200);
  });

  it('第二十五条: with the archives accepted the approver signs the pass (TOTP); accepted_on and in_operation_on are set; the signature verifies', async () => {
    const today = shanghaiDate(demo.services.now());
    expect((await post('reviewer', `/api/v1/projects/${projectId}/acceptance/archive`, { acceptedOn: today, result: 'pass', opinion: '档案齐全，验收合格' })).statusCode).toBe(201);
    const noCode = await post('approver', `/api/v1/projects/${projectId}/acceptance/decision`, { result: 'pass', opinion: '同意通过验收' });
    expect(noCode.statusCode).toBe(401);
    expect(await count('acceptance_decisions')).toBe(0);
    const res = await post('approver', `/api/v1/projects/${projectId}/acceptance/decision`, {
      result: 'pass', opinion: '项目按批复完成建设内容，同意通过验收。', inOperationOn: '2026-09-15', totp: freshTotp(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const decided = shanghaiDate(demo.services.now());
    const view = res.json().acceptance;
    expect(view).toMatchObject({ acceptedOn: decided, inOperationOn: '2026-09-15', pendingApplicationId: null });
    const decision = view.applications[0].decision;
    expect(decision).toMatchObject({ result: 'pass', signatureValid: true, acceptedOn: decided, inOperationOn: '2026-09-15' });
    expect(sm2Verify(decision.payload, decision.signature, decision.publicKey)).toBe(true);
    expect(sm2Verify(decision.payload.replace('同意通过验收', '不同意通过验收'), decision.signature, decision.publicKey)).toBe(false);
    const payload = JSON.parse(decision.payload);
    expect(payload).toMatchObject({
      type: 'govproj.acceptance-decision.v1', result: 'pass', archiveAcceptance: { acceptedOn: today, result: 'pass' },
      rules: { 'acceptance.applicationMonths': 6 }, completedOn: '2026-08-31',
    });
    expect(payload.materials).toHaveLength(5);
    const row = await demo.t.database.db.selectFrom('project_construction').select(['accepted_on', 'in_operation_on']).where('project_id', '=', projectId).executeTakeFirstOrThrow();
    expect(row).toEqual({ accepted_on: decided, in_operation_on: '2026-09-15' });
    expect(await audits('acceptance.decide')).toBe(1);
    // A second decision finds the project accepted.
    const again = await post('approver', `/api/v1/projects/${projectId}/acceptance/decision`, { result: 'pass', opinion: '再次', totp: freshTotp() });
    expect(again.statusCode).toBe(409);
  });

  it('第二十五条: the 验收意见 .docx is built from the signed decision; the acceptance report is then filed', async () => {
    const view = (await get('preparer', `/api/v1/projects/${projectId}/acceptance`)).json();
    const doc = await get('preparer', `/api/v1/projects/${projectId}/acceptance/decisions/${view.applications[0].decision.id}/document`);
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    expect(doc.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const filed = await uploadPdf(demo.app, s.preparer!, projectId, 'preliminaryDesign', 'acceptanceReport', '项目验收报告.pdf');
    expect(filed.statusCode, filed.body).toBe(201);
    expect((await get('preparer', `/api/v1/projects/${projectId}/acceptance`)).json().report).toMatchObject({ code: 'acceptanceReport', fileName: '项目验收报告.pdf' });
    // The application's materials are closed once accepted.
    expect((await uploadPdf(demo.app, s.preparer!, projectId, 'preliminaryDesign', 'auditReport')).statusCode).toBe(409);
  });
});

describe('延期验收 (第二十五条, I-3)', () => {
  it('第二十五条: an extension for a later date with a reason; its signed approval replaces the deadline', async () => {
    const id = await completedProject('延期验收测试项目', '2026-08-31');
    const url = `/api/v1/projects/${id}/acceptance/extensions`;
    const notLater = await post('preparer', url, { reason: '第三方测评机构排期', proposedDueOn: '2027-02-28' });
    expect(notLater.statusCode).toBe(422);
    expect(notLater.json().problems.map((p: { code: string }) => p.code)).toEqual(['extension.not_later']);
    expect(await count('acceptance_extensions', id)).toBe(0);
    const ok = await post('preparer', url, { reason: '第三方测评机构排期', proposedDueOn: '2027-05-31' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await post('preparer', url, { reason: '再次申请', proposedDueOn: '2027-06-30' })).json().problems.map((p: { code: string }) => p.code))
      .toEqual(['acceptance.extension_pending']);
    const extensionId = ok.json().extensions[0].id as string;
    expect((await post('preparer', `${url}/${extensionId}/decision`, { decision: 'approved', opinion: '同意' })).statusCode).toBe(403);
    const decided = await post('approver', `${url}/${extensionId}/decision`, { decision: 'approved', opinion: '同意延期', totp: freshTotp() });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ deadline: { originalDueOn: '2027-02-28', dueOn: '2027-05-31', extended: true } });
    expect(decided.json().extensions[0]).toMatchObject({ decision: 'approved', signatureValid: true });
    expect((await post('approver', `${url}/${extensionId}/decision`, { decision: 'rejected', opinion: '改判', totp: freshTotp() })).statusCode).toBe(409);
    expect(await audits('acceptance.extension.request', id)).toBe(1);
    expect(await audits('acceptance.extension.decide', id)).toBe(1);
  });

  it('第二十五条: nothing opens before completion', async () => {
    const id = await completedProject('尚未建成的项目', null);
    const view = (await get('preparer', `/api/v1/projects/${id}/acceptance`)).json();
    expect(view).toMatchObject({ completedOn: null, deadline: null, obligation: null, can: { apply: false } });
    const res = await post('preparer', `/api/v1/projects/${id}/acceptance/application`);
    expect(res.json().problems.map((p: { code: string }) => p.code)).toEqual(['acceptance.not_completed']);
    const upload = await uploadPdf(demo.app, s.preparer!, id, 'preliminaryDesign', 'constructionSummary');
    expect(upload.json().code).toBe('acceptance.not_open');
  });

  it('第十六条 (I-93): the review lines show the project’s and its systems’ records, and do not block the application', async () => {
    const id = await completedProject('第十六条审查内容测试项目', '2026-09-30');
    const lines = async () => Object.fromEntries((await get('preparer', `/api/v1/projects/${id}/acceptance`)).json().reviewItems
      .map((i: { key: string; status: string; summary: { zh: string } }) => [i.key, `${i.status}: ${i.summary.zh}`]));
    expect(await lines()).toEqual({
      secureProducts: 'missing: 未登记安全可靠产品',
      cryptography: 'missing: 未登记密码应用方案；未登记密评',
      energy: 'missing: 未登记能效（PUE）记录；新建数据中心的须登记',
    });
    const today = shanghaiDate(demo.services.now());
    for (const body of [
      { kind: 'product', projectId: id, details: { product: '服务器', vendor: '某国产服务器企业', category: 'hardware' } },
      { kind: 'product', projectId: id, details: { product: '数据库管理系统', vendor: '某国产数据库企业', category: 'software' } },
      { kind: 'energy', projectId: id, details: { dataCentre: '人社部北京数据中心', pue: '1.30' } },
      { kind: 'cryptoPlan', projectId: id, details: { reviewed: true } },
    ]) expect((await post('preparer', '/api/v1/security-records', { occurredOn: today, ...body })).statusCode).toBe(201);
    // A 密评 recorded on a system the project upgraded counts for the project.
    const system = await demo.t.database.db.selectFrom('government_systems').select('id').where('name', '=', '电子社保卡服务系统').executeTakeFirstOrThrow();
    await demo.t.database.db.insertInto('government_system_projects').values({ system_id: system.id, project_id: id, relation: 'upgrade' }).execute();
    expect((await post('preparer', '/api/v1/security-records', {
      kind: 'cryptoAssessment', systemId: system.id, occurredOn: today, passed: false, details: { agency: '商用密码检测中心' },
    })).statusCode).toBe(201);
    expect(await lines()).toEqual({
      secureProducts: 'recorded: 已登记安全可靠产品 2 项（硬件 1、软件 1、密码产品 0）',
      cryptography: `failed: 已有密码应用方案；最近一次密评 ${today}未通过`,
      energy: `recorded: 人社部北京数据中心 PUE 1.30（${today}）`,
    });
    // The application's problems are 第二十五条's materials only.
    const problems = (await get('preparer', `/api/v1/projects/${id}/acceptance`)).json().applyProblems.map((p: { code: string }) => p.code);
    expect(new Set(problems)).toEqual(new Set(['acceptance.material_missing']));
  });

  it('第二十五条: a 涉密 project’s security line takes 风险评估报告', async () => {
    const id = await completedProject('涉密验收测试项目', '2026-09-30');
    await demo.t.database.db.updateTable('projects').set({ involves_secrets: true, protection_scheme: 'classified', mlps_level: null }).where('id', '=', id).execute();
    expect((await uploadPdf(demo.app, s.preparer!, id, 'preliminaryDesign', 'riskAssessmentReport')).statusCode).toBe(201);
    const view = (await get('preparer', `/api/v1/projects/${id}/acceptance`)).json();
    expect(view.checklist.find((i: { key: string }) => i.key === 'securityRiskAssessment')).toMatchObject({
      satisfied: true, anyOf: ['classifiedSecurityTestReport', 'riskAssessmentReport'],
    });
    expect(view.deadline.dueOn).toBe('2027-03-30');
  });
});
