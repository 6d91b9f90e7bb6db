// 第十三条, 第十九条–第二十二条: construction records, annual performance reports, major problems
// (整改, 暂停) and completion, through the HTTP stack on both databases: every refusal writes
// nothing, every write commits with its audit event, scope (404) and role (403) are enforced,
// a suspension blocks every construction write until it is lifted, completion needs a 监理单位
// and closes construction.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILING_CONTENTS } from '../../src/domain/lifecycle.ts';
import { addMaterialRow, bearer, copyDemoCatalog, demoTotp, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};
const HITECH = '国家发展和改革委员会创新和高技术发展司';

/** Moves the clock and signs everyone in again (sessions time out after 30 idle minutes). */
async function setClock(iso: string) {
  demo.services.clock.now = new Date(iso);
  for (const u of ['preparer', 'ndrc', 'reviewer', 'approver', 'supervisor', 'auditor']) s[u] = await signIn(demo.app, demo.services, u);
}

beforeAll(async () => {
  demo = await openDemoApp();
  // A fixed Shanghai day: 2026-11-20 10:00.
  await setClock('2026-11-20T02:00:00Z');
});
afterAll(async () => demo.close());

const db = () => demo.t.database.db;
const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: bearer(s[who]!) });
const send = (who: string, method: 'POST' | 'PUT', url: string, payload: Record<string, unknown> = {}) =>
  demo.app.inject({ method, url, headers: bearer(s[who]!), payload });
function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}
const c = (id: string) => `/api/v1/projects/${id}/construction`;

/** A filing project of the demo unit routed to `department`, filed by NDRC when `file`. */
async function project(name: string, department = HITECH, file = true): Promise<string> {
  const res = await send('preparer', 'POST', '/api/v1/projects', {
    name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get(department),
    track: 'filing', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2027-12-31',
    totalInvestment: '900.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
    performanceIndicators: [
      { indicator: '业务网办率', category: 'effect', unit: '%', baseline: '60', targets: [{ year: 2026, value: '80' }, { year: 2027, value: '90' }], direction: 'higher' },
      { indicator: '平均办理时长', category: 'effect', unit: '工作日', baseline: '10', targets: [{ year: 2026, value: '5' }], direction: 'lower' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  if (!file) return id;
  await copyDemoCatalog(db(), id);
  for (const code of FILING_CONTENTS) if (code !== 'informationResourceCatalog') await addMaterialRow(db(), id, 'filing', code);
  expect((await send('preparer', 'POST', `/api/v1/projects/${id}/actions/submit`)).statusCode).toBe(200);
  const filed = await send('ndrc', 'POST', `/api/v1/projects/${id}/actions/file`, { totp: freshTotp() });
  expect(filed.statusCode, filed.body).toBe(200);
  return id;
}

/** Rows of every construction table of a project and its audit events: a refusal leaves them as they were. */
async function footprint(id: string) {
  const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where project_id = ${id}`.execute(db())).rows[0]!.n);
  const phase = await db().selectFrom('project_construction').select(['suspended_since', 'completed_on']).where('project_id', '=', id).executeTakeFirst();
  return {
    records: await count('construction_records'), procurements: await count('construction_procurements'), contracts: await count('construction_contracts'),
    reports: await count('annual_performance_reports'), problems: await count('construction_problems'), orders: await count('construction_orders'),
    completions: await count('construction_completions'), phase: phase ? { suspended: phase.suspended_since !== null, completedOn: phase.completed_on } : null,
    rectified: Number((await sql<{ n: string }>`select count(*) as n from construction_orders where project_id = ${id} and (rectified_on is not null or lifted_at is not null)`.execute(db())).rows[0]!.n),
    audit: Number((await sql<{ n: string }>`select count(*) as n from audit_events where object_id = ${id} and action like 'construction.%'`.execute(db())).rows[0]!.n),
  };
}

async function refusedWithoutWrite(id: string, request: () => Promise<{ statusCode: number; json: () => { code: string } }>, status: number, code: string) {
  const before = await footprint(id);
  const res = await request();
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(res.json().code).toBe(code);
  expect(await footprint(id)).toEqual(before);
  return res;
}

const procurement = { subject: '平台软件开发', method: 'public_tender', procuredOn: '2026-10-10', winner: '某软件有限公司', amount: '420.00' };

describe('建设实施记录 (第十三条, 第十九条)', () => {
  it('第十九条: records need an approved or filed project; each write commits with its audit event', async () => {
    const draft = await project('未备案的项目', HITECH, false);
    await refusedWithoutWrite(draft, () => send('preparer', 'PUT', `${c(draft)}/record`, { implementingAgency: '信息中心' }), 409, 'construction.not_started');

    const id = await project('社保卡应用平台建设项目');
    const put = await send('preparer', 'PUT', `${c(id)}/record`, { implementingAgency: '人社部信息中心应用开发处', projectLead: '王建国' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().record).toMatchObject({ implementingAgency: '人社部信息中心应用开发处', projectLead: '王建国', supervisorName: null, version: 1 });
    const events = await db().selectFrom('audit_events').select(['action', 'diff', 'role']).where('object_id', '=', id).where('action', '=', 'construction.record.update').execute();
    expect(events).toEqual([expect.objectContaining({ role: 'preparer', diff: expect.objectContaining({ after: expect.objectContaining({ projectLead: '王建国' }) }) })]);

    // 第十九条 (I-48): a secret-related procurement cannot be announced openly; nothing is written.
    const secret = await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/procurements`, { ...procurement, secretRelated: true }), 422, 'construction.blocked');
    expect((secret.json() as unknown as { problems: unknown[] }).problems).toEqual([expect.objectContaining({ code: 'procurement.secret_public_method', article: '第十九条' })]);
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/procurements`, { ...procurement, procuredOn: '2026-11-21' }), 422, 'construction.blocked');
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/procurements`, { ...procurement, amount: '1.234' }), 400, 'validation.failed');
    const ok = await send('preparer', 'POST', `${c(id)}/procurements`, { ...procurement, method: 'single_source', secretRelated: true, subject: '涉密密码设备' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ secretRelated: true, method: 'single_source', methodName: { zh: '单一来源采购' }, amount: '420.00' });

    // A contract links a procurement of the same project only.
    const other = await project('另一个备案项目');
    const foreign = await send('preparer', 'POST', `${c(other)}/procurements`, procurement);
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/contracts`, {
      procurementId: foreign.json().id, title: '开发合同', counterparty: '某软件有限公司', amount: '420.00', signedOn: '2026-10-20',
    }), 400, 'validation.failed');
    const contract = await send('preparer', 'POST', `${c(id)}/contracts`, {
      procurementId: ok.json().id, title: '密码设备采购合同', counterparty: '某软件有限公司', amount: '420.00', signedOn: '2026-10-20',
    });
    expect(contract.statusCode, contract.body).toBe(201);
    expect(contract.json()).toMatchObject({ procurementSubject: '涉密密码设备', amount: '420.00' });

    // The lists export to .xlsx.
    for (const list of ['procurements', 'contracts', 'annual-reports', 'orders']) {
      const x = await get('auditor', `${c(id)}/${list}.xlsx`);
      expect(x.statusCode).toBe(200);
      expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
  });

  it('第十八条 (I-94): how the project is built and run is recorded; building and running it oneself needs the note', async () => {
    const id = await project('劳动就业信息系统建设项目');
    const selfBoth = { implementingAgency: '人社部信息中心', buildModel: 'self', omModel: 'self' };
    const refused = await refusedWithoutWrite(id, () => send('preparer', 'PUT', `${c(id)}/record`, selfBoth), 422, 'construction.blocked');
    expect((refused.json() as unknown as { problems: unknown[] }).problems).toEqual([expect.objectContaining({ code: 'delivery.note_required', article: '第十八条' })]);
    await refusedWithoutWrite(id, () => send('preparer', 'PUT', `${c(id)}/record`, { ...selfBoth, deliveryNote: '   ' }), 422, 'construction.blocked');
    await refusedWithoutWrite(id, () => send('preparer', 'PUT', `${c(id)}/record`, { buildModel: 'inhouse' }), 400, 'validation.failed');
    const note = '信息中心有同类系统自主开发与运维团队 40 人，具备建设和运维能力。';
    const put = await send('preparer', 'PUT', `${c(id)}/record`, { ...selfBoth, deliveryNote: note });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().record).toMatchObject({ buildModel: 'self', omModel: 'self', deliveryNote: note });
    const changed = await send('preparer', 'PUT', `${c(id)}/record`, { ...selfBoth, omModel: 'service' });
    expect(changed.json().record).toMatchObject({ buildModel: 'self', omModel: 'service', deliveryNote: null, version: 2 });
    const last = await db().selectFrom('audit_events').select('diff').where('object_id', '=', id).where('action', '=', 'construction.record.update')
      .orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last.diff).toMatchObject({ before: { omModel: 'self', deliveryNote: note }, after: { omModel: 'service', deliveryNote: null } });
  });

  it('第十九条: wrong role 403, outside the scope 404, and neither writes', async () => {
    const id = await project('权限测试项目');
    const outside = await project('他审批部门的项目', '人力资源和社会保障部');
    await refusedWithoutWrite(id, () => send('reviewer', 'POST', `${c(id)}/procurements`, procurement), 403, 'auth.forbidden');
    await refusedWithoutWrite(id, () => send('approver', 'PUT', `${c(id)}/record`, { projectLead: '某人' }), 403, 'auth.forbidden');
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/orders`, { kind: 'suspension', opinion: '暂停', totp: freshTotp() }), 403, 'auth.forbidden');
    // The approver's department is not the approval department of `outside`: not found.
    await refusedWithoutWrite(outside, () => send('approver', 'POST', `${c(outside)}/orders`, { kind: 'suspension', opinion: '暂停', totp: freshTotp() }), 404, 'resource.not_found');
    expect((await get('supervisor', c(id))).statusCode).toBe(404);
    expect((await get('approver', c(outside))).statusCode).toBe(404);
    expect((await get('auditor', c(id))).statusCode).toBe(200);
  });
});

describe('年度绩效评估报告 (第二十条)', () => {
  const report = {
    year: 2026, progress: '完成需求分析和总体设计，开发进度 45%', investmentExecution: '年度投资计划执行正常',
    plannedInvestment: '500.00', completedInvestment: '430.50',
    indicatorActuals: [{ indicator: '业务网办率', actual: '80' }, { indicator: '平均办理时长', actual: '5.5' }],
    trialOperation: true, trialEffects: '试点地区运行平稳', problems: '部分地市数据接入滞后',
  };

  it('第二十条: one report per construction year, indicators met or not by direction, once', async () => {
    const id = await project('年度报告测试项目');
    const status = (await get('preparer', c(id))).json().annualReports;
    // Filed on 2026-11-20 (I-47): the construction year 2026 is owed by 12-31, not overdue yet.
    expect(status.constructionStartedOn).toBe('2026-11-20');
    expect(status.years).toEqual([expect.objectContaining({ year: 2026, dueOn: '2026-12-31', submitted: false, state: expect.objectContaining({ status: 'notDue', daysLeft: 41 }) })]);

    const notDue = await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/annual-reports`, { ...report, year: 2025 }), 422, 'construction.blocked');
    expect((notDue.json() as unknown as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual(['report.year_not_due']);
    const missing = await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/annual-reports`, { ...report, indicatorActuals: [{ indicator: '不存在的指标', actual: '1' }] }), 422, 'construction.blocked');
    expect((missing.json() as unknown as { problems: Array<{ code: string }> }).problems.map((p) => p.code).sort())
      .toEqual(['report.indicator_missing', 'report.indicator_missing', 'report.indicator_unknown']);

    const res = await send('preparer', 'POST', `${c(id)}/annual-reports`, report);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json().annualReports;
    expect(body.years).toEqual([expect.objectContaining({ year: 2026, submitted: true, state: null })]);
    // 80 ≥ 80 (higher is better): met, exactly at the target; 5.5 > 5 (lower is better): not met.
    expect(body.reports[0]).toMatchObject({ year: 2026, late: false, submittedOn: '2026-11-20', completedInvestment: '430.50', indicatorActuals: [
      { indicator: '业务网办率', target: '80', actual: '80', met: true },
      { indicator: '平均办理时长', target: '5', actual: '5.5', met: false },
    ] });
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/annual-reports`, report), 409, 'construction.report_exists');
    // The approval department is told in the same transaction.
    const approver = await db().selectFrom('users').select('id').where('username', '=', 'approver').executeTakeFirstOrThrow();
    expect(await db().selectFrom('notifications').select('title_zh').where('user_id', '=', approver.id).where('project_id', '=', id).execute())
      .toEqual([{ title_zh: '【年度绩效评估报告】年度报告测试项目' }]);
  });
});

describe('重大问题、整改与暂停 (第二十一条)', () => {
  it('第二十一条: a reported problem, a signed rectification order, overdue when not done in time', async () => {
    const id = await project('整改测试项目');
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/problems`, { kind: 'serious_delay', description: '进度滞后' }), 400, 'validation.failed');
    const reported = await send('preparer', 'POST', `${c(id)}/problems`, { kind: 'serious_delay', description: '核心系统开发进度滞后', delayDays: 120 });
    expect(reported.statusCode, reported.body).toBe(201);
    const problemId = reported.json().problems[0].id as string;
    const approver = await db().selectFrom('users').select('id').where('username', '=', 'approver').executeTakeFirstOrThrow();
    expect(await db().selectFrom('notifications').select('kind').where('user_id', '=', approver.id).where('project_id', '=', id).execute()).toEqual([{ kind: 'constructionProblem' }]);

    const order = { kind: 'rectification', problemId, opinion: '限期整改，报送整改方案', dueOn: '2026-11-21' };
    await refusedWithoutWrite(id, () => send('approver', 'POST', `${c(id)}/orders`, order), 401, 'auth.totp_required');
    await refusedWithoutWrite(id, () => send('approver', 'POST', `${c(id)}/orders`, { ...order, dueOn: '2026-11-20', totp: freshTotp() }), 422, 'construction.blocked');
    await refusedWithoutWrite(id, () => send('approver', 'POST', `${c(id)}/orders`, { ...order, dueOn: null, totp: freshTotp() }), 400, 'validation.failed');
    const ordered = await send('approver', 'POST', `${c(id)}/orders`, { ...order, totp: freshTotp() });
    expect(ordered.statusCode, ordered.body).toBe(201);
    expect(ordered.json().orders).toEqual([expect.objectContaining({ kind: 'rectification', dueOn: '2026-11-21', rectificationStatus: 'open', signatureValid: true })]);
    const preparer = await db().selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow();
    expect(await db().selectFrom('notifications').select('kind').where('user_id', '=', preparer.id).where('project_id', '=', id)
      .where('kind', 'like', 'construction%').execute()).toEqual([{ kind: 'constructionOrder' }]);
    // The deadline's last day is on time; the next day it is overdue.
    await setClock('2026-11-21T15:50:00Z'); // 23:50 in Shanghai (signing in moves it a few minutes)
    expect((await get('preparer', c(id))).json().orders[0].rectificationStatus).toBe('open');
    await setClock('2026-11-21T16:00:00Z');
    expect((await get('preparer', c(id))).json().orders[0].rectificationStatus).toBe('overdue');
    const orderId = ordered.json().orders[0].id as string;
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/orders/${orderId}/rectification`, { rectifiedOn: '2026-11-23', report: '已整改' }), 422, 'construction.blocked');
    const done = await send('preparer', 'POST', `${c(id)}/orders/${orderId}/rectification`, { rectifiedOn: '2026-11-22', report: '已调整开发计划并增加人员' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().orders[0]).toMatchObject({ rectificationStatus: 'doneLate', rectifiedOn: '2026-11-22' });
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/orders/${orderId}/rectification`, { rectifiedOn: '2026-11-22', report: '再次' }), 409, 'construction.order_closed');
  });

  it('第二十一条: a suspension refuses every construction write until the department lifts it', async () => {
    const id = await project('暂停测试项目');
    const suspended = await send('approver', 'POST', `${c(id)}/orders`, { kind: 'suspension', opinion: '存在重大投资损失风险，暂停建设', totp: freshTotp() });
    expect(suspended.statusCode, suspended.body).toBe(201);
    expect(suspended.json().suspendedSince).not.toBeNull();
    const orderId = suspended.json().orders[0].id as string;
    const writes: Array<[string, 'POST' | 'PUT', string, Record<string, unknown>]> = [
      ['preparer', 'PUT', `${c(id)}/record`, { projectLead: '王建国' }],
      ['preparer', 'POST', `${c(id)}/procurements`, procurement],
      ['preparer', 'POST', `${c(id)}/contracts`, { title: '合同', counterparty: '某公司', amount: '1.00', signedOn: '2026-11-01' }],
      ['preparer', 'POST', `${c(id)}/annual-reports`, { year: 2026, progress: '进度', investmentExecution: '执行', plannedInvestment: '1.00', completedInvestment: '1.00', indicatorActuals: [{ indicator: '业务网办率', actual: '81' }, { indicator: '平均办理时长', actual: '4' }] }],
      ['preparer', 'POST', `${c(id)}/problems`, { kind: 'investment_loss', description: '损失', lossAmount: '10.00' }],
      ['preparer', 'POST', `${c(id)}/completion`, { completedOn: '2026-11-20', finalAccountsAmount: '800.00' }],
    ];
    for (const [who, method, url, body] of writes) await refusedWithoutWrite(id, () => send(who, method, url, body), 409, 'construction.suspended');
    await refusedWithoutWrite(id, () => send('approver', 'POST', `${c(id)}/orders`, { kind: 'suspension', opinion: '再次暂停', totp: freshTotp() }), 409, 'construction.suspended');
    // Lifting needs a reason and a fresh code; then every write goes through again.
    await refusedWithoutWrite(id, () => send('approver', 'POST', `${c(id)}/orders/${orderId}/lift`, { reason: '' , totp: freshTotp() }), 400, 'validation.failed');
    const lifted = await send('approver', 'POST', `${c(id)}/orders/${orderId}/lift`, { reason: '已落实整改措施，恢复建设', totp: freshTotp() });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toMatchObject({ suspendedSince: null, orders: [expect.objectContaining({ standing: false, liftReason: '已落实整改措施，恢复建设' })] });
    await refusedWithoutWrite(id, () => send('approver', 'POST', `${c(id)}/orders/${orderId}/lift`, { reason: '再次', totp: freshTotp() }), 409, 'construction.order_closed');
    for (const [who, method, url, body] of writes.slice(0, 5)) {
      const res = await send(who, method, url, body);
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    const actions = (await db().selectFrom('audit_events').select('action').where('object_id', '=', id).where('action', 'like', 'construction.order.%').orderBy('id').execute()).map((e) => e.action);
    expect(actions).toEqual(['construction.order.suspension', 'construction.order.lift']);
  });
});

describe('建成 (第二十二条)', () => {
  it('第二十二条: completion needs a 监理单位 and no open rectification, and closes construction', async () => {
    await setClock('2026-11-25T02:00:00Z');
    const id = await project('建成测试项目');
    const completion = { completedOn: '2026-11-25', finalAccountsAmount: '860.00', surplusAmount: '40.00', surplusReturnedOn: '2026-11-25' };
    const noSupervisor = await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/completion`, completion), 422, 'construction.supervisor_required');
    expect((noSupervisor.json() as unknown as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual(['completion.no_supervisor']);
    expect((await send('preparer', 'PUT', `${c(id)}/record`, {
      implementingAgency: '信息中心', projectLead: '王建国', supervisorName: '北京国信安达信息工程监理有限公司',
      supervisorContractNo: 'JL-2026-018', supervisorContractAmount: '18.60', supervisorContractSignedOn: '2026-11-21',
    })).statusCode).toBe(200);
    // Not in the future (Asia/Shanghai), a surplus has its date.
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/completion`, { ...completion, completedOn: '2026-11-26' }), 422, 'construction.blocked');
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/completion`, { ...completion, surplusReturnedOn: null }), 422, 'construction.blocked');
    // I-49: an open rectification holds completion back.
    const ordered = await send('approver', 'POST', `${c(id)}/orders`, { kind: 'rectification', opinion: '补充验收材料', dueOn: '2026-12-10', totp: freshTotp() });
    const open = await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/completion`, completion), 422, 'construction.blocked');
    expect((open.json() as unknown as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual(['completion.open_rectification']);
    await send('preparer', 'POST', `${c(id)}/orders/${ordered.json().orders[0].id}/rectification`, { rectifiedOn: '2026-11-25', report: '已补充' });

    const done = await send('preparer', 'POST', `${c(id)}/completion`, completion);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ completedOn: '2026-11-25', completion: { finalAccountsAmount: '860.00', surplusAmount: '40.00', surplusReturnedOn: '2026-11-25' } });
    expect(await db().selectFrom('audit_events').select('action').where('object_id', '=', id).where('action', '=', 'construction.complete').execute()).toHaveLength(1);
    // Construction is closed: the unit's writes and the department's orders are refused.
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/procurements`, procurement), 409, 'construction.completed');
    await refusedWithoutWrite(id, () => send('preparer', 'POST', `${c(id)}/completion`, completion), 409, 'construction.completed');
    await refusedWithoutWrite(id, () => send('approver', 'POST', `${c(id)}/orders`, { kind: 'suspension', opinion: '暂停', totp: freshTotp() }), 409, 'construction.completed');
  });
});
