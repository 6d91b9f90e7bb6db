// 第六条 through the real HTTP stack on a real database: the national plan (NDRC, approved by
// the State Council), departments' plans that link to it, tasks, versions and adjustments with
// their evaluation. Runs on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { seedTestDemo, signIn, type Session } from '../support/fixtures.ts';

let t: TestDatabase;
let services: ReturnType<typeof testServices>;
let app: FastifyInstance;
let ndrc: Session;
let unitLead: Session;
let preparer: Session;
let orgIds: Map<string, string>;

beforeAll(async () => {
  t = await openTestDatabase();
  services = testServices(t.database);
  await seedTestDemo(services);
  app = await buildApp(services);
  ndrc = await signIn(app, services, 'ndrc');
  unitLead = await signIn(app, services, 'unitlead');
  preparer = await signIn(app, services, 'preparer');
  const orgs = (await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: bearer(ndrc) })).json().items as Array<{ id: string; name: string }>;
  orgIds = new Map(orgs.map((o) => [o.name, o.id]));
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

const bearer = (s: Session) => ({ authorization: `Bearer ${s.token}` });
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

interface TaskJson { id: string; code: string; title: string; parentTaskId: string | null; withdrawnInVersion: number | null; version: number }
interface PlanJson {
  id: string; level: string; parentPlanId: string | null; organizationName: string; name: string; status: string;
  approvedOn: string | null; approvalDocumentNumber: string | null; currentVersion: number; version: number; tasks: TaskJson[];
}

async function count(table: 'plans' | 'plan_tasks' | 'plan_versions' | 'plan_adjustments' | 'audit_events'): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db);
  return Number(r.rows[0]!.n);
}
async function counts() {
  return {
    plans: await count('plans'), tasks: await count('plan_tasks'), versions: await count('plan_versions'),
    adjustments: await count('plan_adjustments'), audit: await count('audit_events'),
  };
}

async function getPlan(id: string, s = ndrc): Promise<PlanJson> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/plans/${id}`, headers: bearer(s) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function demoNational(): Promise<PlanJson> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/plans?level=national', headers: bearer(ndrc) });
  return (res.json().items as PlanJson[]).find((p) => p.name === '“十四五”推进国家政务信息化规划')!;
}

let serial = 0;
/** A national plan created and approved by NDRC through the API, with tasks '1' and '2'. */
async function approvedNationalPlan(): Promise<PlanJson> {
  const n = ++serial;
  const created = await app.inject({
    method: 'POST', url: '/api/v1/plans', headers: bearer(ndrc),
    payload: {
      level: 'national', organizationId: orgIds.get('国家发展和改革委员会'), name: `测试国家规划 ${n}`, periodStartYear: 2026, periodEndYear: 2030,
      tasks: [{ code: '1', title: '统一电子政务网络' }, { code: '2', title: '一体化政务服务平台', description: '说明' }],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const plan = created.json() as PlanJson;
  const approved = await app.inject({
    method: 'POST', url: `/api/v1/plans/${plan.id}/approve`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
    payload: { approvedOn: '2025-12-01', approvalDocumentNumber: `国函〔2025〕${n}号` },
  });
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json();
}

function adjustment(overrides: Record<string, unknown> = {}) {
  return {
    reasonCategory: 'circumstances_changed',
    evaluation: '评估论证：外部环境发生重大变化，原任务 2 的目标已由其他工程实现，需调整。',
    description: '修改任务 1 名称，撤销任务 2，新增任务 3。',
    approvedOn: '2026-03-01',
    approvalDocumentNumber: '国函〔2026〕12号',
    ...overrides,
  };
}

describe('第六条 plans: the demo', () => {
  it('第六条: the demo has the national 14th Five-Year plan, approved, with the six priorities as tasks', async () => {
    const plan = await demoNational();
    expect(plan).toMatchObject({
      level: 'national', parentPlanId: null, organizationName: '国家发展和改革委员会', status: 'approved',
      approvalDocumentNumber: '发改高技〔2021〕1898号', approvedOn: '2021-11-17', currentVersion: 1,
    });
    expect(plan.tasks.map((x) => x.code)).toEqual(['1', '2', '3', '4', '5', '6']);
    const titles = plan.tasks.map((x) => x.title);
    for (const [i, words] of [['电子政务网络'], ['一体化政务服务平台', '电子证照库'], ['人口', '法人', '自然资源', '基础信息数据库'],
      ['政务数据对外开放'], ['市场监管信息化'], ['网络安全保障']].entries()) {
      for (const w of words) expect(titles[i]).toContain(w);
    }
    const v1 = await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions/1`, headers: bearer(preparer) });
    expect(v1.statusCode).toBe(200);
    expect(v1.json().snapshot.tasks).toHaveLength(6);
    expect(v1.json().snapshot.approval).toEqual({ approvedOn: '2021-11-17', approvalDocumentNumber: '发改高技〔2021〕1898号' });
  });

  it('第六条: the demo department plan of 人力资源和社会保障部 links to the national plan, its tasks to national tasks 2 and 3', async () => {
    const national = await demoNational();
    const res = await app.inject({ method: 'GET', url: '/api/v1/plans?level=department', headers: bearer(unitLead) });
    const dept = (res.json().items as PlanJson[]).find((p) => p.organizationName === '人力资源和社会保障部')!;
    expect(dept).toMatchObject({ parentPlanId: national.id, status: 'approved', currentVersion: 1 });
    const byId = new Map(national.tasks.map((x) => [x.id, x.code]));
    expect(dept.tasks.map((x) => byId.get(x.parentTaskId!))).toEqual(['2', '3']);
  });
});

describe('第六条 plans: compile, approve, adjust', () => {
  it('第六条: NDRC compiles a national plan, edits the draft and its tasks, and records the State Council approval (version 1)', async () => {
    const before = await counts();
    const created = await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(ndrc),
      payload: { level: 'national', organizationId: orgIds.get('国家发展和改革委员会'), name: '国家政务信息化建设规划（草稿）', periodStartYear: 2026, periodEndYear: 2030 },
    });
    expect(created.statusCode, created.body).toBe(201);
    let plan = created.json() as PlanJson;
    expect(plan).toMatchObject({ status: 'draft', currentVersion: 0, tasks: [] });
    expect(created.headers.etag).toBe(`"${plan.version}"`);

    // An empty plan cannot be approved.
    const empty = await app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/approve`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
      payload: { approvedOn: '2025-12-01', approvalDocumentNumber: '国函〔2025〕1号' },
    });
    expect(empty.json().code).toBe('plan.no_tasks');

    const task = await app.inject({ method: 'POST', url: `/api/v1/plans/${plan.id}/tasks`, headers: bearer(ndrc), payload: { code: '1', title: '电子政务网络' } });
    expect(task.statusCode, task.body).toBe(201);
    const duplicate = await app.inject({ method: 'POST', url: `/api/v1/plans/${plan.id}/tasks`, headers: bearer(ndrc), payload: { code: '1', title: '重复' } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('conflict.duplicate');
    const edited = await app.inject({
      method: 'PATCH', url: `/api/v1/plans/${plan.id}/tasks/${task.json().id}`, headers: { ...bearer(ndrc), ...ifMatch(task.json().version) },
      payload: { title: '构建全国统一的电子政务网络', description: '打破信息孤岛' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: '构建全国统一的电子政务网络', version: 2 });

    plan = await getPlan(plan.id);
    const renamed = await app.inject({
      method: 'PATCH', url: `/api/v1/plans/${plan.id}`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
      payload: { name: '国家政务信息化建设规划' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    plan = renamed.json();

    // The State Council approves the national plan: the document number is required, the date not in the future.
    const noNumber = await app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/approve`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
      payload: { approvedOn: '2025-12-01' },
    });
    expect(noNumber.statusCode).toBe(400);
    expect(noNumber.json().code).toBe('plan.approval_document_required');
    const future = await app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/approve`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
      payload: { approvedOn: '2999-01-01', approvalDocumentNumber: '国函〔2025〕1号' },
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([expect.objectContaining({ path: 'approvedOn', code: 'not_in_future' })]);
    const approved = await app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/approve`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
      payload: { approvedOn: '2025-12-01', approvalDocumentNumber: '国函〔2025〕1号' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', currentVersion: 1, approvedOn: '2025-12-01', approvalDocumentNumber: '国函〔2025〕1号' });

    const versions = await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions`, headers: bearer(ndrc) });
    expect(versions.json().items).toEqual([expect.objectContaining({ versionNo: 1, source: 'approval', createdByName: '黄勇', adjustmentId: null })]);

    // Once approved, the plan changes only by adjustment.
    const current = approved.json() as PlanJson;
    const edit = await app.inject({ method: 'PATCH', url: `/api/v1/plans/${plan.id}`, headers: { ...bearer(ndrc), ...ifMatch(current.version) }, payload: { name: 'x' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('plan.not_draft');
    const add = await app.inject({ method: 'POST', url: `/api/v1/plans/${plan.id}/tasks`, headers: bearer(ndrc), payload: { code: '9', title: 'x' } });
    expect(add.json().code).toBe('plan.not_draft');

    // Every write is audited, in the plan's and the task's chains.
    const events = await sql<{ action: string; object_type: string }>`
      select action, object_type from audit_events where object_id in (${plan.id}, ${task.json().id}) and outcome = 'success' order by id`.execute(t.database.db);
    expect(events.rows.map((e) => e.action)).toEqual(['plan.create', 'plan_task.create', 'plan_task.update', 'plan.update', 'plan.approve']);
    const after = await counts();
    expect(after.plans).toBe(before.plans + 1);
    expect(after.versions).toBe(before.versions + 1);
  });

  it('第六条: an adjustment with its evaluation makes the next version and records the adjustment; the earlier version is unchanged', async () => {
    const plan = await approvedNationalPlan();
    const [t1, t2] = plan.tasks;
    const v1Before = (await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions/1`, headers: bearer(ndrc) })).json();

    const res = await app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/adjustments`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
      payload: adjustment({
        plan: { periodEndYear: 2031 },
        updateTasks: [{ id: t1!.id, title: '构建全国统一的电子政务网络体系' }],
        withdrawTaskIds: [t2!.id],
        addTasks: [{ code: '3', title: '完善基础信息数据库' }],
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { adjustment: adj, plan: adjusted } = res.json() as { adjustment: Record<string, unknown>; plan: PlanJson };
    expect(res.headers.etag).toBe(`"${adjusted.version}"`);
    expect(adjusted.currentVersion).toBe(2);
    expect(adjusted.status).toBe('approved');
    expect(adjusted.tasks.find((x) => x.id === t2!.id)!.withdrawnInVersion).toBe(2);
    expect(adj).toMatchObject({ reasonCategory: 'circumstances_changed', versionNo: 2, approvalDocumentNumber: '国函〔2026〕12号', createdByName: '黄勇' });
    expect(adj.changes).toMatchObject({
      plan: { before: { periodEndYear: 2030 }, after: { periodEndYear: 2031 } },
      added: [expect.objectContaining({ code: '3' })],
      withdrawn: [expect.objectContaining({ id: t2!.id })],
      changed: [{ id: t1!.id, code: '1', before: { title: '统一电子政务网络' }, after: { title: '构建全国统一的电子政务网络体系' } }],
    });

    // Versions: both listed; version 1 reads exactly as before; version 2 holds the new state.
    const versions = (await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions`, headers: bearer(preparer) })).json().items;
    expect(versions.map((v: { versionNo: number; source: string }) => [v.versionNo, v.source])).toEqual([[1, 'approval'], [2, 'adjustment']]);
    expect(versions[1].adjustmentId).toBe(adj.id);
    const v1After = (await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions/1`, headers: bearer(ndrc) })).json();
    expect(v1After).toEqual(v1Before);
    const v2 = (await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions/2`, headers: bearer(ndrc) })).json();
    expect(v2.snapshot.tasks.map((x: { code: string; title: string }) => [x.code, x.title])).toEqual([
      ['1', '构建全国统一的电子政务网络体系'], ['3', '完善基础信息数据库'],
    ]);
    expect(v2.snapshot.plan.periodEndYear).toBe(2031);
    expect(v2.snapshot.approval).toEqual({ approvedOn: '2026-03-01', approvalDocumentNumber: '国函〔2026〕12号' });
    expect((await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions/3`, headers: bearer(ndrc) })).statusCode).toBe(404);

    const adjustments = (await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/adjustments`, headers: bearer(ndrc) })).json().items;
    expect(adjustments).toHaveLength(1);
    expect(adjustments[0].evaluation).toContain('评估论证');

    // The audit event carries the before/after and the evaluation.
    const event = await sql<{ diff: { before: Record<string, unknown>; after: Record<string, unknown> } }>`
      select diff from audit_events where object_id = ${plan.id} and action = 'plan.adjust'`.execute(t.database.db);
    expect(event.rows).toHaveLength(1);
    expect(event.rows[0]!.diff.before).toMatchObject({ currentVersion: 1, periodEndYear: 2030 });
    expect(event.rows[0]!.diff.after).toMatchObject({ currentVersion: 2, periodEndYear: 2031, withdrawnTaskIds: [t2!.id] });
    expect((event.rows[0]!.diff.after.adjustment as { evaluation: string }).evaluation).toContain('评估论证');

    // A second adjustment makes version 3 and leaves versions 1 and 2 as they were.
    const second = await app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/adjustments`, headers: { ...bearer(ndrc), ...ifMatch(adjusted.version) },
      payload: adjustment({ reasonCategory: 'central_deployment', approvalDocumentNumber: '国函〔2026〕30号', plan: { name: '测试国家规划（调整后）' } }),
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().plan.currentVersion).toBe(3);
    expect((await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions/2`, headers: bearer(ndrc) })).json()).toEqual(v2);
  });

  it('第六条: an adjustment without an evaluation is refused (400) and nothing is written', async () => {
    const plan = await approvedNationalPlan();
    const before = await counts();
    const url = `/api/v1/plans/${plan.id}/adjustments`;
    const headers = { ...bearer(ndrc), ...ifMatch(plan.version) };
    const changes = { addTasks: [{ code: '3', title: '新增任务' }] };

    const { evaluation: _omitted, ...withoutEvaluation } = adjustment(changes);
    const missing = await app.inject({ method: 'POST', url, headers, payload: withoutEvaluation });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'evaluation', code: 'required' })]);

    for (const blank of ['', '   ', '\u3000\n\t']) {
      const res = await app.inject({ method: 'POST', url, headers, payload: adjustment({ ...changes, evaluation: blank }) });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'plan.evaluation_required', errors: [expect.objectContaining({ path: 'evaluation', code: 'required' })] });
    }
    const english = await app.inject({
      method: 'POST', url, headers: { ...headers, 'accept-language': 'en-US' }, payload: adjustment({ ...changes, evaluation: ' ' }),
    });
    expect(english.json().title).toBe('An adjustment needs an evaluation of the changed circumstances');

    // Nor without the State Council's approval number (national plan), nor without any change.
    const noNumber = await app.inject({ method: 'POST', url, headers, payload: adjustment({ ...changes, approvalDocumentNumber: null }) });
    expect(noNumber.json().code).toBe('plan.approval_document_required');
    const nothing = await app.inject({ method: 'POST', url, headers, payload: adjustment() });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().code).toBe('plan.adjustment_empty');
    const sameTitle = await app.inject({ method: 'POST', url, headers, payload: adjustment({ updateTasks: [{ id: plan.tasks[0]!.id, title: plan.tasks[0]!.title }] }) });
    expect(sameTitle.json().code).toBe('plan.adjustment_empty');

    expect(await counts()).toEqual(before);
    const unchanged = await getPlan(plan.id);
    expect(unchanged).toMatchObject({ currentVersion: 1, version: plan.version });
    expect(unchanged.tasks).toHaveLength(2);
  });

  it('第六条: a draft plan cannot be adjusted, and an approved plan\'s adjustment needs the current If-Match (412, 428)', async () => {
    const draft = (await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(ndrc),
      payload: { level: 'national', organizationId: orgIds.get('国家发展和改革委员会'), name: '草稿规划', periodStartYear: 2026, periodEndYear: 2030, tasks: [{ code: '1', title: '任务' }] },
    })).json() as PlanJson;
    const notApproved = await app.inject({
      method: 'POST', url: `/api/v1/plans/${draft.id}/adjustments`, headers: { ...bearer(ndrc), ...ifMatch(draft.version) },
      payload: adjustment({ addTasks: [{ code: '2', title: '新增' }] }),
    });
    expect(notApproved.statusCode).toBe(409);
    expect(notApproved.json().code).toBe('plan.not_approved');

    // Stale If-Match on a draft edit: 412.
    const first = await app.inject({ method: 'PATCH', url: `/api/v1/plans/${draft.id}`, headers: { ...bearer(ndrc), ...ifMatch(draft.version) }, payload: { name: '草稿规划 A' } });
    expect(first.statusCode).toBe(200);
    const stale = await app.inject({ method: 'PATCH', url: `/api/v1/plans/${draft.id}`, headers: { ...bearer(ndrc), ...ifMatch(draft.version) }, payload: { name: '草稿规划 B' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('conflict.stale');
    // Adding a task moves the plan's version too, so an approval prepared before it is stale.
    const current = first.json() as PlanJson;
    await app.inject({ method: 'POST', url: `/api/v1/plans/${draft.id}/tasks`, headers: bearer(ndrc), payload: { code: '2', title: '后加的任务' } });
    const staleApproval = await app.inject({
      method: 'POST', url: `/api/v1/plans/${draft.id}/approve`, headers: { ...bearer(ndrc), ...ifMatch(current.version) },
      payload: { approvedOn: '2025-12-01', approvalDocumentNumber: '国函〔2025〕9号' },
    });
    expect(staleApproval.statusCode).toBe(412);

    const plan = await approvedNationalPlan();
    const before = await counts();
    const adjust = (headers: Record<string, string>) => app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/adjustments`, headers: { ...bearer(ndrc), ...headers },
      payload: adjustment({ addTasks: [{ code: '3', title: '新增' }] }),
    });
    expect((await adjust(ifMatch(plan.version - 1))).statusCode).toBe(412);
    const none = await adjust({});
    expect(none.statusCode).toBe(428);
    expect(none.json().code).toBe('conflict.precondition_required');
    expect(await counts()).toEqual(before);
    expect((await adjust(ifMatch(plan.version))).statusCode).toBe(201);
    // The same If-Match again is now stale: two people cannot both make version 2.
    expect((await adjust(ifMatch(plan.version))).statusCode).toBe(412);
  });

  it('第六条: versions and adjustments are immutable: the database refuses to change or delete them', async () => {
    const plan = await approvedNationalPlan();
    await app.inject({
      method: 'POST', url: `/api/v1/plans/${plan.id}/adjustments`, headers: { ...bearer(ndrc), ...ifMatch(plan.version) },
      payload: adjustment({ addTasks: [{ code: '3', title: '新增' }] }),
    });
    const db = t.database.db;
    await expect(sql`update plan_versions set snapshot = '{}'::jsonb where plan_id = ${plan.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from plan_versions where plan_id = ${plan.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`update plan_adjustments set evaluation = '改写' where plan_id = ${plan.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from plan_adjustments where plan_id = ${plan.id}`.execute(db)).rejects.toThrow(/append-only/);
    const versions = (await app.inject({ method: 'GET', url: `/api/v1/plans/${plan.id}/versions`, headers: bearer(ndrc) })).json().items;
    expect(versions).toHaveLength(2);
  });
});

describe('第六条 plans: department plans link to the national plan', () => {
  it('第六条: a department plan must link to an approved national plan', async () => {
    const ic = orgIds.get('人力资源和社会保障部信息中心')!;
    const base = { level: 'department', organizationId: ic, name: '信息中心信息化规划', periodStartYear: 2026, periodEndYear: 2030 };
    const before = await counts();

    const unlinked = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead), payload: base });
    expect(unlinked.statusCode).toBe(400);
    expect(unlinked.json()).toMatchObject({ code: 'plan.link_required', errors: [expect.objectContaining({ path: 'parentPlanId', code: 'required' })] });

    const draft = (await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(ndrc),
      payload: { level: 'national', organizationId: orgIds.get('国家发展和改革委员会'), name: '未批准的国家规划', periodStartYear: 2026, periodEndYear: 2030 },
    })).json() as PlanJson;
    const toDraft = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead), payload: { ...base, parentPlanId: draft.id } });
    expect(toDraft.statusCode).toBe(400);
    expect(toDraft.json().code).toBe('plan.link_required');

    const demoDept = ((await app.inject({ method: 'GET', url: '/api/v1/plans?level=department', headers: bearer(unitLead) })).json().items as PlanJson[])[0]!;
    const toDepartment = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead), payload: { ...base, parentPlanId: demoDept.id } });
    expect(toDepartment.json().code).toBe('plan.link_required');
    const toNothing = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead), payload: { ...base, parentPlanId: '00000000-0000-4000-8000-000000000000' } });
    expect(toNothing.json()).toMatchObject({ code: 'plan.link_required', errors: [expect.objectContaining({ code: 'unknown_reference' })] });
    expect((await counts()).plans).toBe(before.plans + 1); // only NDRC's draft

    // Linked to the approved national plan: its tasks may implement that plan's current tasks only.
    const national = await demoNational();
    const other = await approvedNationalPlan();
    const wrongTask = await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead),
      payload: { ...base, parentPlanId: national.id, tasks: [{ code: '1', title: '任务', parentTaskId: other.tasks[0]!.id }] },
    });
    expect(wrongTask.statusCode).toBe(400);
    expect(wrongTask.json()).toMatchObject({ code: 'plan.task_link_invalid', errors: [expect.objectContaining({ path: 'tasks.0.parentTaskId' })] });

    const created = await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead),
      payload: { ...base, parentPlanId: national.id, tasks: [{ code: '1', title: '社保服务接入一体化平台', parentTaskId: national.tasks[1]!.id }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const dept = created.json() as PlanJson;
    expect(dept).toMatchObject({ level: 'department', parentPlanId: national.id, organizationName: '人力资源和社会保障部信息中心' });
    expect(dept.tasks[0]!.parentTaskId).toBe(national.tasks[1]!.id);

    // A national task links to nothing.
    const nationalLink = await app.inject({
      method: 'POST', url: `/api/v1/plans/${draft.id}/tasks`, headers: bearer(ndrc),
      payload: { code: '1', title: '任务', parentTaskId: national.tasks[0]!.id },
    });
    expect(nationalLink.json().code).toBe('plan.task_link_invalid');

    // The department approves its own plan (no State Council number needed) and later adjusts it.
    const approved = await app.inject({
      method: 'POST', url: `/api/v1/plans/${dept.id}/approve`, headers: { ...bearer(unitLead), ...ifMatch(dept.version) },
      payload: { approvedOn: '2026-01-10' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const adjusted = await app.inject({
      method: 'POST', url: `/api/v1/plans/${dept.id}/adjustments`, headers: { ...bearer(unitLead), ...ifMatch(approved.json().version) },
      payload: adjustment({
        approvalDocumentNumber: null, reasonCategory: 'central_deployment',
        addTasks: [{ code: '2', title: '基础信息库共享', parentTaskId: national.tasks[2]!.id }],
      }),
    });
    expect(adjusted.statusCode, adjusted.body).toBe(201);
    expect(adjusted.json().plan.currentVersion).toBe(2);
  });

  it('第六条: a unit lead manages only its own unit\'s plans; the national plan needs NDRC', async () => {
    const national = await demoNational();
    const national403 = await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead),
      payload: { level: 'national', organizationId: orgIds.get('人力资源和社会保障部信息中心'), name: '越权', periodStartYear: 2026, periodEndYear: 2030 },
    });
    expect(national403.statusCode).toBe(403);
    const ministry403 = await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(unitLead),
      payload: { level: 'department', parentPlanId: national.id, organizationId: orgIds.get('人力资源和社会保障部'), name: '越权', periodStartYear: 2026, periodEndYear: 2030 },
    });
    expect(ministry403.statusCode).toBe(403);
    // The unit lead reads the national plan, but may not adjust it.
    const adjust = await app.inject({
      method: 'POST', url: `/api/v1/plans/${national.id}/adjustments`, headers: { ...bearer(unitLead), ...ifMatch(national.version) },
      payload: adjustment({ addTasks: [{ code: '7', title: '越权' }] }),
    });
    expect(adjust.statusCode).toBe(403);
    expect(adjust.json().code).toBe('auth.forbidden');
    expect((await demoNational()).currentVersion).toBe(1);
  });

  it('第六条: a preparer reads plans but cannot manage them (403, audited)', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/v1/plans', headers: bearer(preparer) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThanOrEqual(2);
    const national = await demoNational();
    const before = await counts();
    const create = await app.inject({
      method: 'POST', url: '/api/v1/plans', headers: bearer(preparer),
      payload: { level: 'department', parentPlanId: national.id, organizationId: orgIds.get('人力资源和社会保障部信息中心'), name: '经办人规划', periodStartYear: 2026, periodEndYear: 2030 },
    });
    expect(create.statusCode).toBe(403);
    expect(create.json().code).toBe('auth.forbidden');
    const adjust = await app.inject({
      method: 'POST', url: `/api/v1/plans/${national.id}/adjustments`, headers: { ...bearer(preparer), ...ifMatch(national.version) },
      payload: adjustment({ addTasks: [{ code: '7', title: '越权' }] }),
    });
    expect(adjust.statusCode).toBe(403);
    const after = await counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    expect(after.audit).toBe(before.audit + 2); // the two denials
    const denied = await sql<{ action: string; outcome: string }>`select action, outcome from audit_events order by id desc limit 1`.execute(t.database.db);
    expect(denied.rows[0]).toEqual({ action: 'plan:manage', outcome: 'denied' });
  });

  it('第六条: an unknown plan or version answers 404', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    expect((await app.inject({ method: 'GET', url: `/api/v1/plans/${none}`, headers: bearer(ndrc) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/v1/plans/${none}/versions`, headers: bearer(ndrc) })).statusCode).toBe(404);
    const national = await demoNational();
    expect((await app.inject({ method: 'GET', url: `/api/v1/plans/${national.id}/versions/0`, headers: bearer(ndrc) })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/v1/plans/${national.id}/versions/9`, headers: bearer(ndrc) })).statusCode).toBe(404);
  });
});
