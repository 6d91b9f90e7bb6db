// 第十条 (跨部门项目框架方案) through the HTTP stack on both databases: the lead and the participants
// draw up one plan, each participant confirms its part (any change to it clears the
// confirmation), suspected overlaps between participants' contents are resolved or justified
// (I-13), the lead submits — refused with every unconfirmed participant and unhandled overlap
// listed, nothing written — and NDRC confirms (fresh TOTP, SM2 signature that verifies) or
// returns it with reasons. Parties see the plan, an unrelated department gets 404. Participants'
// projects link to the confirmed plan; local sub-projects link to a national project and are
// shown by province; the data flows export to .xlsx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { sm2Verify } from '../../src/crypto/sm2.ts';
import { DEMO_FRAMEWORK } from '../../src/domain/demo-frameworks.ts';
import { SIMILARITY_THRESHOLD } from '../../src/domain/similarity/index.ts';
import { systemActor, type Actor } from '../../src/usecases/actor.ts';
import { confirmPart, createContent } from '../../src/usecases/frameworks.ts';
import { linkProject } from '../../src/usecases/project-coordination.ts';
import { createUser } from '../../src/usecases/users.ts';
import { bearer, DEMO_PASSWORD, demoTotp, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let t: DemoApp['t'];
let services: DemoApp['services'];
let app: DemoApp['app'];
let org: DemoApp['org'];
const sessions = new Map<string, Session>();

const MOHRSS_IC = '人力资源和社会保障部信息中心';
const SAMR_IC = '国家市场监督管理总局信息中心';
const MNR_IC = '自然资源部信息中心';

beforeAll(async () => {
  demo = await openDemoApp();
  ({ t, services, app, org } = demo);
  // A preparer of the participating department, one of an unrelated department, and two local ones.
  const extra: Array<[string, string, string]> = [
    ['samrpreparer', '郑凯', SAMR_IC], ['mnrpreparer', '钱进', MNR_IC], ['jspreparer', '蒋华', '江苏省数据局'], ['scpreparer', '邓丽', '四川省大数据中心'],
  ];
  for (const [username, displayName, orgName] of extra) {
    await createUser(services, systemActor(), { username, displayName, password: DEMO_PASSWORD, organizationIds: [org.get(orgName)!], roleCodes: ['preparer'] });
  }
  for (const u of ['preparer', 'unitlead', 'ndrc', 'mof', 'auditor', 'reviewer', ...extra.map((e) => e[0])]) sessions.set(u, await signIn(app, services, u));
});
afterAll(async () => demo.close());

const as = (username: string) => bearer(sessions.get(username)!);
const get = (username: string, url: string) => app.inject({ method: 'GET', url, headers: as(username) });
const send = (username: string, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, version?: number | null) =>
  app.inject({
    method, url, headers: { ...as(username), ...(version === undefined || version === null ? {} : { 'if-match': `"${version}"` }) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
/** A fresh TOTP period, so the next code has not been used by this user yet. */
const nextTotp = () => {
  services.clock.now = new Date(services.clock.now.getTime() + 30_000);
  return demoTotp(services.now());
};

type Framework = {
  id: string; status: string; version: number;
  participants: Array<{ organizationId: string; organizationName: string; version: number; confirmation: null | { confirmedBy: string | null }; contents: Array<{ id: string; title: string; version: number }> }>;
  dataFlows: Array<{ id: string; version: number; from: { organizationName: string; system: string | null }; to: { organizationName: string; system: string | null }; dataItems: string[] }>;
  overlaps: Array<{ a: { contentId: string; title: string }; b: { contentId: string; title: string }; similarity: number; terms: Array<{ term: string }>; justification: null | { reason: string } }>;
  catalogOverlaps: Array<{ content: { contentId: string }; system: { systemId: string; name: string }; justification: null | { reason: string } }>;
  submissionProblems: Array<{ code: string; article: string; params: Record<string, string> }>;
  caller: { leads: boolean; ownOrganizationIds: string[]; actions: Array<{ action: string; needsTotp: boolean }> };
  projects: Array<{ projectId: string; organizationId: string }>;
};

const part = (f: Framework, orgName: string) => f.participants.find((p) => p.organizationName === orgName)!;
const url = (id: string, rest = '') => `/api/v1/frameworks/${id}${rest}`;

/** Rows of the plan tables, notifications and successful audit events: what "nothing written" is checked against. */
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['framework_plans', 'framework_participants', 'framework_contents', 'framework_actions', 'framework_overlap_justifications', 'framework_projects', 'project_coordination', 'notifications']) {
    out[table] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);
  }
  out.audit = Number((await sql<{ n: string }>`select count(*) as n from audit_events where outcome = 'success'`.execute(t.database.db)).rows[0]!.n);
  out.confirmed = Number((await sql<{ n: string }>`select count(*) as n from framework_participants where confirmed_at is not null`.execute(t.database.db)).rows[0]!.n);
  return out;
}
const auditOf = async (frameworkId: string) => (await sql<{ action: string; role: string | null; diff: { before?: Record<string, unknown>; after?: Record<string, unknown> } }>`
  select action, role, diff from audit_events where object_type = 'framework' and object_id = ${frameworkId} and outcome = 'success' order by id`.execute(t.database.db)).rows;

// 社会保障卡“一卡通”: the lead and the participant both describe a card platform (a suspected overlap).
const LEAD_CONTENT = { title: '社会保障卡居民服务一卡通平台', description: '建设社会保障卡签发、应用和跨省通用服务，支撑居民凭卡办理社保、就医、乘车等业务。' };
const SAMR_CONTENT = { title: '居民服务一卡通社会保障卡应用平台', description: '建设社会保障卡跨省通用和应用服务，支撑居民凭卡办理社保和乘车等业务。' };
const SAMR_DISTINCT = { title: '电子营业执照在线核验服务', description: '提供电子营业执照下载、亮照和在线核验接口，面向企业开办和涉企审批。' };

/** A draft project of `orgName` created by `user` through the API. */
async function newProject(user: string, orgName: string, name: string): Promise<{ id: string; code: string }> {
  const res = await send(user, 'POST', '/api/v1/projects', {
    name, constructionUnitId: org.get(orgName), approvalDepartmentId: org.get('国家发展和改革委员会创新和高技术发展司'),
    track: 'approval', kind: 'new', constructionStart: '2027-01-01', constructionEnd: '2028-06-30', totalInvestment: '860.00', fundingChannel: 'central_budget',
    security: { scheme: 'mlps', mlpsLevel: 2 },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

let planNo = 0;
/** A plan of the demo preparer's unit with 市场监管总局信息中心 taking part: contents, a flow, a data flow and a catalog entry, nothing confirmed. */
async function newPlan(options: { overlap?: boolean } = {}): Promise<Framework> {
  const created = await send('preparer', 'POST', '/api/v1/frameworks', {
    name: `社会保障卡一卡通协同框架方案 ${++planNo}`, leadOrganizationId: org.get(MOHRSS_IC), participantIds: [org.get(SAMR_IC)],
    goals: '实现社会保障卡在各部门业务中的一卡通用。',
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as Framework).id;
  expect((await send('preparer', 'POST', url(id, `/participants/${org.get(MOHRSS_IC)}/contents`), LEAD_CONTENT)).statusCode).toBe(201);
  const samr = await send('samrpreparer', 'POST', url(id, `/participants/${org.get(SAMR_IC)}/contents`), options.overlap === false ? SAMR_DISTINCT : SAMR_CONTENT);
  expect(samr.statusCode, samr.body).toBe(201);
  expect((await send('preparer', 'POST', url(id, '/business-flows'), {
    name: '凭卡办事', steps: [{ organizationId: org.get(MOHRSS_IC), activity: '签发社会保障卡' }, { organizationId: org.get(SAMR_IC), activity: '核验持卡人身份' }],
  })).statusCode).toBe(201);
  expect((await send('samrpreparer', 'POST', url(id, '/data-flows'), {
    from: { organizationId: org.get(SAMR_IC), system: '全国市场主体登记注册系统' }, to: { organizationId: org.get(MOHRSS_IC), system: null },
    dataItems: ['统一社会信用代码', '企业名称'], frequency: 'daily', interfaceMethod: 'exchange_platform',
  })).statusCode).toBe(201);
  const last = await send('preparer', 'POST', url(id, '/catalog'), {
    name: '社会保障卡基础信息', providerOrganizationId: org.get(MOHRSS_IC), dataItems: ['社会保障号码', '发卡日期'],
    sharingType: 'conditional', sharingBasis: '依据《社会保险法》向政务部门共享',
  });
  expect(last.statusCode, last.body).toBe(201);
  // I-13: the card contents also look like the demo catalog's 电子社保卡服务系统; those overlaps
  // are justified here (test/db/framework-catalog-overlaps.test.ts covers them), so the tests
  // below see only the overlap between the two participants.
  return justifyCatalogOverlaps(last.json());
}

/** Justifies every unhandled overlap of the plan's contents with master-catalog systems, as the lead. */
async function justifyCatalogOverlaps(plan: Framework): Promise<Framework> {
  let f = plan;
  for (const o of f.catalogOverlaps.filter((x) => x.justification === null)) {
    const res = await send('preparer', 'PUT', url(f.id, `/catalog-overlaps/${o.content.contentId}/${o.system.systemId}`), { reason: '框架方案在现有系统上扩展，不另建同类系统。' });
    expect(res.statusCode, res.body).toBe(200);
    f = res.json();
  }
  return f;
}

/** Confirms each named participant's part as its own people (If-Match: the participant's version). */
async function confirmAll(plan: Framework): Promise<Framework> {
  let f = plan;
  for (const [user, orgName] of [['preparer', MOHRSS_IC], ['samrpreparer', SAMR_IC]] as const) {
    const res = await send(user, 'POST', url(f.id, `/participants/${org.get(orgName)}/confirmation`), undefined, part(f, orgName).version);
    expect(res.statusCode, res.body).toBe(200);
    f = res.json();
  }
  return f;
}

async function justify(f: Framework, user = 'preparer', reason = '人社部门负责社保卡签发，市场监管部门仅在涉企业务中核验卡面信息，不重复建设。') {
  const o = f.overlaps[0]!;
  return send(user, 'PUT', url(f.id, `/overlaps/${o.a.contentId}/${o.b.contentId}`), { reason });
}

async function submittedPlan(): Promise<Framework> {
  let f = await newPlan();
  const justified = await justify(f);
  expect(justified.statusCode, justified.body).toBe(200);
  f = await confirmAll(justified.json());
  const res = await send('preparer', 'POST', url(f.id, '/actions/submit'), {});
  expect(res.statusCode, res.body).toBe(200);
  return res.json().framework;
}

describe('跨部门项目框架方案 (第十条)', () => {
  it('第十条: the demo plan is with NDRC — both parts confirmed, its one suspected overlap justified, NDRC may confirm or return it', async () => {
    const list = await get('ndrc', '/api/v1/frameworks');
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json().items.find((i: { name: string }) => i.name === DEMO_FRAMEWORK.name);
    expect(item).toMatchObject({ status: 'submitted', participantCount: 2, confirmedCount: 2, leadOrganizationName: MOHRSS_IC });
    const f = (await get('ndrc', url(item.id))).json() as Framework & { dataFlows: unknown[] };
    expect(f.overlaps).toHaveLength(1);
    expect(f.overlaps[0]!.justification?.reason).toBe(DEMO_FRAMEWORK.justifications[0]!.reason);
    expect(f.dataFlows).toHaveLength(DEMO_FRAMEWORK.dataFlows.length);
    expect(f.caller).toEqual({
      leads: false, ownOrganizationIds: [],
      actions: [expect.objectContaining({ action: 'confirm', needsTotp: true, problems: [] }), expect.objectContaining({ action: 'return', needsTotp: true, problems: [] })],
    });
    const history = (await get('preparer', url(item.id, '/history'))).json().items;
    expect(history).toEqual([expect.objectContaining({ action: 'submit', from: 'draft', to: 'submitted', signature: null, signatureValid: null })]);
    // The lead's people see it too, and may withdraw it.
    expect((await get('preparer', url(item.id))).json().caller.actions.map((a: { action: string }) => a.action)).toEqual(['withdraw']);
  });

  it('第十条: submission is refused while participants have not confirmed and an overlap is unhandled — all listed at once, nothing written', async () => {
    const f = await newPlan();
    expect(f.overlaps).toHaveLength(1);
    expect(f.overlaps[0]!.similarity).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(f.overlaps[0]!.terms.map((x) => x.term)).toContain('社会保障卡');
    const before = await counts();
    const refused = await send('preparer', 'POST', url(f.id, '/actions/submit'), {});
    expect(refused.statusCode, refused.body).toBe(422);
    const body = refused.json();
    expect(body.code).toBe('framework.blocked');
    expect(body.problems.map((p: { code: string; params: Record<string, string> }) => `${p.code}:${p.params.organizationName ?? p.params.aTitle ?? p.params.bTitle}`).sort()).toEqual([
      `framework.overlap_unresolved:${f.overlaps[0]!.a.title}`,
      `framework.participant_unconfirmed:${MOHRSS_IC}`,
      `framework.participant_unconfirmed:${SAMR_IC}`,
    ].sort());
    expect(body.problems.every((p: { article: string }) => p.article === '第十条')).toBe(true);
    const overlap = body.problems.find((p: { code: string }) => p.code === 'framework.overlap_unresolved');
    expect(overlap.params).toMatchObject({ aContentId: f.overlaps[0]!.a.contentId, bContentId: f.overlaps[0]!.b.contentId });
    expect(overlap.message).toContain('重叠词');
    expect(await counts()).toEqual(before);
    expect((await get('preparer', url(f.id))).json()).toMatchObject({ status: 'draft', version: f.version });
    // The detail and the dry run say the same, before anyone tries.
    expect(f.submissionProblems.map((p) => p.code).sort()).toEqual(body.problems.map((p: { code: string }) => p.code).sort());
    const dry = await send('preparer', 'POST', `${url(f.id, '/actions/submit')}?dryRun=true`, {});
    expect(dry.json()).toMatchObject({ dryRun: true, ok: false, next: null });
    expect(dry.json().problems).toHaveLength(3);
    // In English on request.
    const en = await app.inject({ method: 'POST', url: url(f.id, '/actions/submit'), headers: { ...as('preparer'), 'accept-language': 'en-US' }, payload: {} });
    expect(en.json().problems.map((p: { message: string }) => p.message)).toContain(`${SAMR_IC} has not confirmed its part`);
    expect(await counts()).toEqual(before);
  });

  it('第十条: a participant\'s confirmation is cleared by any change to its part, and only its part', async () => {
    let f = await confirmAll(await newPlan({ overlap: false }));
    expect(f.participants.every((p) => p.confirmation !== null)).toBe(true);
    expect(part(f, SAMR_IC).confirmation?.confirmedBy).toBe(sessions.get('samrpreparer')!.userId);
    expect(f.submissionProblems).toEqual([]);

    // The participant edits its own content: its confirmation goes, the lead's stays.
    const content = part(f, SAMR_IC).contents[0]!;
    const edited = await send('samrpreparer', 'PUT', url(f.id, `/contents/${content.id}`), { ...SAMR_DISTINCT, description: `${SAMR_DISTINCT.description}（修订）` }, content.version);
    expect(edited.statusCode, edited.body).toBe(200);
    f = edited.json();
    expect(part(f, SAMR_IC).confirmation).toBeNull();
    expect(part(f, MOHRSS_IC).confirmation).not.toBeNull();
    expect(f.submissionProblems.map((p) => `${p.code}:${p.params.organizationName}`)).toEqual([`framework.participant_unconfirmed:${SAMR_IC}`]);
    const audit = await auditOf(f.id);
    expect(audit.at(-1)).toMatchObject({ action: 'framework.content.update', role: 'preparer' });
    expect(audit.at(-1)!.diff.after).toMatchObject({ confirmationsCleared: [org.get(SAMR_IC)] });

    // A confirmation of what was read: a stale participant version is 412, none at all 428.
    const stale = await send('samrpreparer', 'POST', url(f.id, `/participants/${org.get(SAMR_IC)}/confirmation`), undefined, part(f, SAMR_IC).version - 1);
    expect(stale.statusCode).toBe(412);
    expect((await send('samrpreparer', 'POST', url(f.id, `/participants/${org.get(SAMR_IC)}/confirmation`))).statusCode).toBe(428);
    f = (await send('samrpreparer', 'POST', url(f.id, `/participants/${org.get(SAMR_IC)}/confirmation`), undefined, part(f, SAMR_IC).version)).json();
    expect(f.submissionProblems).toEqual([]);

    // A data flow concerns both its ends: editing it clears both.
    const flow = f.dataFlows[0]!;
    const flowEdit = await send('samrpreparer', 'PUT', url(f.id, `/data-flows/${flow.id}`), {
      from: { organizationId: org.get(SAMR_IC), system: '全国市场主体登记注册系统' }, to: { organizationId: org.get(MOHRSS_IC), system: '社会保险经办管理信息系统' },
      dataItems: [...flow.dataItems, '登记状态'], frequency: 'realtime', interfaceMethod: 'api',
    }, flow.version);
    expect(flowEdit.statusCode, flowEdit.body).toBe(200);
    f = flowEdit.json();
    expect(f.participants.map((p) => p.confirmation)).toEqual([null, null]);

    // The goals are everyone's: changing them clears every confirmation; renaming alone does not.
    f = await confirmAll(f);
    const renamed = await send('preparer', 'PUT', url(f.id), { name: `${planNo} 号框架方案（更名）`, goals: '实现社会保障卡在各部门业务中的一卡通用。' }, f.version);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((renamed.json() as Framework).participants.every((p) => p.confirmation !== null)).toBe(true);
    const regoaled = await send('preparer', 'PUT', url(f.id), { name: '一卡通框架方案', goals: '新的建设目标。' }, (renamed.json() as Framework).version);
    expect((regoaled.json() as Framework).participants.map((p) => p.confirmation)).toEqual([null, null]);
    // A stale plan version is refused.
    expect((await send('preparer', 'PUT', url(f.id), { name: 'x', goals: 'y' }, f.version)).statusCode).toBe(412);
  });

  it('I-13: a written justification handles an overlap (and clears both sides\' confirmations); editing a content drops its justification', async () => {
    let f = await confirmAll(await newPlan());
    // Not an overlap: two contents of one side, or a pair below the threshold.
    const lead = part(f, MOHRSS_IC).contents[0]!;
    const extra = await send('preparer', 'POST', url(f.id, `/participants/${org.get(MOHRSS_IC)}/contents`), { title: '持卡人员基础信息库', description: '汇聚持卡人员基础信息。' });
    const extraId = (extra.json() as Framework).participants[0]!.contents.find((c) => c.title === '持卡人员基础信息库')!.id;
    const notOverlap = await send('preparer', 'PUT', url(f.id, `/overlaps/${lead.id}/${extraId}`), { reason: '同一部门' });
    expect(notOverlap.statusCode).toBe(400);
    expect(notOverlap.json().errors).toEqual([expect.objectContaining({ code: 'framework.not_an_overlap' })]);

    // 持卡人员基础信息库 also restates a demo catalog system (I-13): justified, as newPlan does.
    f = await justifyCatalogOverlaps((await get('preparer', url(f.id))).json());
    f = await confirmAll(f);
    const res = await justify(f, 'samrpreparer');
    expect(res.statusCode, res.body).toBe(200);
    f = res.json();
    expect(f.overlaps[0]!.justification).toMatchObject({ reason: expect.stringContaining('不重复建设') });
    expect(f.participants.map((p) => p.confirmation)).toEqual([null, null]);
    expect(f.submissionProblems.map((p) => p.code)).toEqual(['framework.participant_unconfirmed', 'framework.participant_unconfirmed']);
    f = await confirmAll(f);
    expect(f.submissionProblems).toEqual([]);

    // The lead rewrites its content but it still overlaps: the justification was about the old text.
    const c = part(f, MOHRSS_IC).contents.find((x) => x.title === LEAD_CONTENT.title)!;
    f = (await send('preparer', 'PUT', url(f.id, `/contents/${c.id}`), { ...LEAD_CONTENT, description: `${LEAD_CONTENT.description}二期。` }, c.version)).json();
    expect(f.overlaps).toHaveLength(1);
    expect(f.overlaps[0]!.justification).toBeNull();
    // Resolved by changing the content instead: the pair falls below the threshold.
    const c2 = part(f, MOHRSS_IC).contents.find((x) => x.title === LEAD_CONTENT.title)!;
    f = (await send('preparer', 'PUT', url(f.id, `/contents/${c2.id}`), { title: '养老保险待遇资格认证', description: '利用人脸识别开展养老保险待遇领取资格认证。' }, c2.version)).json();
    expect(f.overlaps).toEqual([]);
    // The new text is checked against the master catalog afresh (I-13): its own hits there, if
    // any, are unhandled; between the participants nothing remains.
    expect(f.submissionProblems.map((p) => p.code).filter((code) => code !== 'framework.catalog_overlap_unresolved')).toEqual(['framework.participant_unconfirmed']);
    expect(f.submissionProblems.filter((p) => p.code === 'framework.catalog_overlap_unresolved').every((p) => p.params.title === '养老保险待遇资格认证')).toBe(true);
  });

  it('第十条: the lead submits, the parties and NDRC are told; NDRC\'s 确定 needs a fresh TOTP code and its SM2 signature verifies', async () => {
    const before = await counts();
    const f = await submittedPlan();
    expect(f.status).toBe('submitted');
    // Submitted: nobody edits it any more.
    const frozen = await send('preparer', 'POST', url(f.id, `/participants/${org.get(MOHRSS_IC)}/contents`), { title: '新增', description: '新增内容' });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().code).toBe('framework.not_editable');
    const inbox = async (user: string) => (await get(user, '/api/v1/notifications')).json().items.filter((n: { frameworkId: string | null }) => n.frameworkId === f.id);
    expect((await inbox('ndrc')).map((n: { kind: string }) => n.kind)).toEqual(['frameworkSubmitted']);
    expect((await inbox('samrpreparer')).map((n: { kind: string }) => n.kind)).toEqual(['frameworkSubmitted']);
    expect((await inbox('unitlead'))).toHaveLength(1);
    expect(await inbox('preparer')).toEqual([]); // the actor knows
    expect((await inbox('ndrc'))[0]).toMatchObject({ projectId: null, frameworkName: expect.stringContaining('一卡通') });

    const confirm = url(f.id, '/actions/confirm');
    expect((await send('preparer', 'POST', confirm, {})).statusCode).toBe(403); // not NDRC
    const noCode = await send('ndrc', 'POST', confirm, {});
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('auth.totp_required');
    const wrong = await send('ndrc', 'POST', confirm, { totp: demoTotp(services.now()) === '000000' ? '111111' : '000000' });
    expect(wrong.json().code).toBe('auth.totp_invalid');
    expect((await get('ndrc', url(f.id))).json().status).toBe('submitted');

    const confirmed = await send('ndrc', 'POST', confirm, { totp: nextTotp() });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const { framework, record } = confirmed.json();
    expect(framework.status).toBe('confirmed');
    expect(record).toMatchObject({ action: 'confirm', from: 'submitted', to: 'confirmed', role: 'ndrc', signatureValid: true });
    // Anyone with the public key can check it: the ndrc user's key over the stored canonical JSON.
    const key = await t.database.db.selectFrom('users').select('sm2_public_key').where('id', '=', sessions.get('ndrc')!.userId).executeTakeFirstOrThrow();
    expect(record.publicKey).toBe(key.sm2_public_key);
    expect(sm2Verify(record.payload, record.signature, record.publicKey)).toBe(true);
    expect(sm2Verify(record.payload.replace('"confirm"', '"return"'), record.signature, record.publicKey)).toBe(false);
    const payload = JSON.parse(record.payload);
    expect(payload).toMatchObject({ type: 'govproj.framework-action.v1', frameworkId: f.id, action: 'confirm', from: 'submitted', to: 'confirmed' });
    expect(payload.framework.participants.map((p: { contents: Array<{ title: string }> }) => p.contents.map((c) => c.title)).flat()).toEqual([LEAD_CONTENT.title, SAMR_CONTENT.title]);
    expect(payload.framework.overlaps[0].justification).toContain('不重复建设');
    // The signed history verifies through the shared endpoint too.
    const verified = await send('mof', 'POST', '/api/v1/signatures/verify', { payload: record.payload, signature: record.signature, publicKey: record.publicKey });
    expect(verified.json()).toEqual({ valid: true });
    // One decision only: a second is a conflict.
    const again = await send('ndrc', 'POST', confirm, { totp: nextTotp() });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('framework.conflict');
    expect((await inbox('samrpreparer')).map((n: { kind: string }) => n.kind).sort()).toEqual(['frameworkConfirmed', 'frameworkSubmitted']);
    const history = (await get('samrpreparer', url(f.id, '/history'))).json().items;
    expect(history.map((h: { action: string; signatureValid: boolean | null }) => `${h.action}:${h.signatureValid}`)).toEqual(['submit:null', 'confirm:true']);
    const after = await counts();
    expect(after.framework_actions! - before.framework_actions!).toBe(2);
    expect((await auditOf(f.id)).map((e) => e.action).slice(-2)).toEqual(['framework.submit', 'framework.confirm']);
  });

  it('第十条: NDRC returns a plan only with its reasons (signed too); the returned plan is edited and submitted again', async () => {
    const f = await submittedPlan();
    const ret = url(f.id, '/actions/return');
    const before = await counts();
    const noReasons = await send('ndrc', 'POST', ret, { totp: nextTotp() });
    expect(noReasons.statusCode).toBe(422);
    expect(noReasons.json().problems).toEqual([expect.objectContaining({ code: 'framework.reasons_missing', article: '第十条' })]);
    expect(await counts()).toEqual(before);
    const returned = await send('ndrc', 'POST', ret, { reasons: '数据流缺少接口方式说明，请补充后重新报送。', totp: nextTotp() });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().framework.status).toBe('returned');
    expect(returned.json().record).toMatchObject({ action: 'return', reasons: '数据流缺少接口方式说明，请补充后重新报送。', signatureValid: true });
    const told = (await get('samrpreparer', '/api/v1/notifications')).json().items.find((n: { frameworkId: string; kind: string }) => n.frameworkId === f.id && n.kind === 'frameworkReturned');
    expect(told.body.zh).toContain('数据流缺少接口方式说明');

    // Returned: editable again; the confirmations stand until something changes.
    let g = (await get('preparer', url(f.id))).json() as Framework;
    expect(g.submissionProblems).toEqual([]);
    const flow = g.dataFlows[0]!;
    g = (await send('preparer', 'PUT', url(f.id, `/data-flows/${flow.id}`), {
      from: { organizationId: org.get(SAMR_IC), system: '全国市场主体登记注册系统' }, to: { organizationId: org.get(MOHRSS_IC), system: null },
      dataItems: flow.dataItems, frequency: 'daily', interfaceMethod: 'api', description: '按日通过接口调用获取',
    }, flow.version)).json();
    expect(g.submissionProblems.map((p) => p.code)).toEqual(['framework.participant_unconfirmed', 'framework.participant_unconfirmed']);
    g = await confirmAll(g);
    const resubmitted = await send('preparer', 'POST', url(f.id, '/actions/submit'), {});
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    expect(resubmitted.json().record).toMatchObject({ action: 'submit', from: 'returned', to: 'submitted', actionNo: 3 });
    // The lead may withdraw it while NDRC has not decided.
    const withdrawn = await send('preparer', 'POST', url(f.id, '/actions/withdraw'), {});
    expect(withdrawn.json().framework.status).toBe('draft');
  });

  it('第十条: a plan is seen by its parties and the supervisory bodies; an unrelated department gets 404, a party 403 outside its part', async () => {
    const f = await newPlan();
    for (const user of ['preparer', 'unitlead', 'samrpreparer', 'ndrc', 'mof', 'auditor']) expect((await get(user, url(f.id))).statusCode, user).toBe(200);
    const before = await counts();
    // 自然资源部信息中心 takes no part; 发展改革委高技术司's reviewer does not either.
    for (const user of ['mnrpreparer', 'reviewer']) {
      expect((await get(user, url(f.id))).statusCode, user).toBe(404);
      expect((await get(user, '/api/v1/frameworks')).json().items.map((i: { id: string }) => i.id), user).not.toContain(f.id);
      expect((await get(user, url(f.id, '/data-flows/export'))).statusCode, user).toBe(404);
      expect((await get(user, url(f.id, '/history'))).statusCode, user).toBe(404);
    }
    expect((await send('mnrpreparer', 'POST', url(f.id, `/participants/${org.get(MNR_IC)}/contents`), LEAD_CONTENT)).statusCode).toBe(404);
    expect((await send('mnrpreparer', 'POST', url(f.id, '/actions/submit'), {})).statusCode).toBe(404);
    // Reading is not editing: a supervisory body may not touch it (403 at the route).
    expect((await send('mof', 'POST', url(f.id, `/participants/${org.get(MOHRSS_IC)}/contents`), LEAD_CONTENT)).statusCode).toBe(403);
    // The participant edits its own part only: not the lead's contents, business flows or participants, nor submit.
    const lead = part(f, MOHRSS_IC);
    expect((await send('samrpreparer', 'PUT', url(f.id, `/contents/${lead.contents[0]!.id}`), LEAD_CONTENT, lead.contents[0]!.version)).statusCode).toBe(403);
    expect((await send('samrpreparer', 'POST', url(f.id, '/business-flows'), { name: 'x', steps: [{ organizationId: org.get(SAMR_IC), activity: 'y' }] })).statusCode).toBe(403);
    expect((await send('samrpreparer', 'POST', url(f.id, '/participants'), { organizationId: org.get(MNR_IC) })).statusCode).toBe(403);
    expect((await send('samrpreparer', 'POST', url(f.id, `/participants/${org.get(MOHRSS_IC)}/confirmation`), undefined, lead.version)).statusCode).toBe(403);
    expect((await send('samrpreparer', 'POST', url(f.id, '/actions/submit'), {})).statusCode).toBe(403);
    // The lead edits every part but confirms only its own.
    const samr = part(f, SAMR_IC);
    expect((await send('preparer', 'POST', url(f.id, `/participants/${org.get(SAMR_IC)}/confirmation`), undefined, samr.version)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    const leadEdit = await send('preparer', 'PUT', url(f.id, `/contents/${samr.contents[0]!.id}`), SAMR_DISTINCT, samr.contents[0]!.version);
    expect(leadEdit.statusCode, leadEdit.body).toBe(200);
    // What each caller may do, as the detail says.
    expect((await get('samrpreparer', url(f.id))).json().caller).toMatchObject({ leads: false, ownOrganizationIds: [org.get(SAMR_IC)], actions: [] });
    expect((await get('preparer', url(f.id))).json().caller).toMatchObject({ leads: true, ownOrganizationIds: [org.get(MOHRSS_IC)] });
    expect((await get('unitlead', url(f.id))).json().caller.leads).toBe(true); // subtree of its unit
    expect((await get('mof', url(f.id))).json().caller).toEqual({ leads: false, ownOrganizationIds: [], actions: [] });
  });

  it('第十条: bad input names every field at fault and writes nothing; participants are government departments, listed once, removable only when nothing names them', async () => {
    const f = await newPlan({ overlap: false });
    const before = await counts();
    const bad = await send('preparer', 'POST', url(f.id, '/data-flows'), {
      from: { organizationId: org.get(MNR_IC), system: ' ' }, to: { organizationId: org.get(MNR_IC), system: null },
      dataItems: ['姓名', '姓名'], frequency: 'hourly', interfaceMethod: 'api', extra: 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual([
      'dataItems.1:resource.duplicate_data_item', 'extra:unrecognized_key', 'frequency:invalid_value', 'to:framework.same_endpoint',
    ]);
    // Membership needs the plan: the use case names it.
    const outsider = await send('preparer', 'POST', url(f.id, '/data-flows'), {
      from: { organizationId: org.get(MNR_IC), system: null }, to: { organizationId: org.get(MOHRSS_IC), system: null },
      dataItems: ['宗地代码'], frequency: 'daily', interfaceMethod: 'api',
    });
    expect(outsider.json().errors).toEqual([expect.objectContaining({ path: 'from.organizationId', code: 'framework.not_participant' })]);
    const catalog = await send('preparer', 'POST', url(f.id, '/catalog'), {
      name: '持卡信息', providerOrganizationId: org.get(MOHRSS_IC), dataItems: ['社会保障号码'], sharingType: 'none', sharingBasis: null,
    });
    expect(catalog.json().errors).toEqual([expect.objectContaining({ path: 'sharingBasis', code: 'resource.sharing_basis_required' })]);
    const firm = await send('preparer', 'POST', url(f.id, '/participants'), { organizationId: org.get('中国国际工程咨询有限公司') });
    expect(firm.json().errors).toEqual([expect.objectContaining({ path: 'organizationId', code: 'framework.not_government' })]);
    const twice = await send('preparer', 'POST', url(f.id, '/participants'), { organizationId: org.get(SAMR_IC) });
    expect(twice.statusCode).toBe(409);
    const leadAgain = await send('preparer', 'POST', '/api/v1/frameworks', {
      name: 'x', goals: 'y', leadOrganizationId: org.get(MOHRSS_IC), participantIds: [org.get(MOHRSS_IC), org.get(SAMR_IC), org.get(SAMR_IC)],
    });
    expect(leadAgain.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).toEqual([
      'participantIds.0:project.lead_in_participants', 'participantIds.2:framework.duplicate_participant',
    ]);
    // Leading for another unit: 403.
    expect((await send('preparer', 'POST', '/api/v1/frameworks', { name: 'x', goals: 'y', leadOrganizationId: org.get(SAMR_IC), participantIds: [] })).statusCode).toBe(403);
    // 市场监管总局信息中心 is still named by a data flow and a business flow; the lead can never go.
    const referenced = await send('preparer', 'DELETE', url(f.id, `/participants/${org.get(SAMR_IC)}`));
    expect(referenced.statusCode).toBe(409);
    expect(referenced.json().code).toBe('framework.participant_referenced');
    const leadGone = await send('preparer', 'DELETE', url(f.id, `/participants/${org.get(MOHRSS_IC)}`));
    expect(leadGone.json().errors).toEqual([expect.objectContaining({ code: 'framework.lead_fixed' })]);
    expect(await counts()).toEqual(before);
    // A third department joins and leaves again, its contents with it.
    let g = (await send('preparer', 'POST', url(f.id, '/participants'), { organizationId: org.get(MNR_IC) })).json() as Framework;
    expect(g.participants.map((p) => p.organizationName)).toEqual([MOHRSS_IC, SAMR_IC, MNR_IC]);
    g = (await send('mnrpreparer', 'POST', url(f.id, `/participants/${org.get(MNR_IC)}/contents`), { title: '不动产登记信息共享', description: '共享不动产登记信息。' })).json();
    g = (await send('preparer', 'DELETE', url(f.id, `/participants/${org.get(MNR_IC)}`))).json();
    expect(g.participants.map((p) => p.organizationName)).toEqual([MOHRSS_IC, SAMR_IC]);
    expect((await get('mnrpreparer', url(f.id))).statusCode).toBe(404);

    // A draft never submitted may be deleted by the lead; one with history may not.
    expect((await send('samrpreparer', 'DELETE', url(g.id), undefined, g.version)).statusCode).toBe(403);
    expect((await send('preparer', 'DELETE', url(g.id), undefined, g.version - 1)).statusCode).toBe(412);
    expect((await send('preparer', 'DELETE', url(g.id), undefined, g.version)).statusCode).toBe(204);
    expect((await get('preparer', url(g.id))).statusCode).toBe(404);
    expect((await auditOf(g.id)).at(-1)!.action).toBe('framework.delete');
    const withHistory = await submittedPlan();
    const back = (await send('preparer', 'POST', url(withHistory.id, '/actions/withdraw'), {})).json().framework;
    expect((await send('preparer', 'DELETE', url(back.id), undefined, back.version)).json().code).toBe('framework.has_history');
  });

  it('第十条: a participant\'s project links to the plan once NDRC has confirmed it — only a project of that participant, once', async () => {
    const draft = await newPlan({ overlap: false });
    const demoProject = await t.database.db.selectFrom('projects').select(['id', 'code']).where('name', '=', '全国统一电子证照社保卡应用项目（演示）').executeTakeFirstOrThrow();
    const link = (user: string, frameworkId: string, projectId: string, orgName: string) =>
      send(user, 'POST', url(frameworkId, '/projects'), { projectId, organizationId: org.get(orgName) });
    const early = await link('preparer', draft.id, demoProject.id, MOHRSS_IC);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('framework.not_confirmed');

    const f = await submittedPlan();
    expect((await send('ndrc', 'POST', url(f.id, '/actions/confirm'), { totp: nextTotp() })).statusCode).toBe(200);
    const samrProject = (await newProject('samrpreparer', SAMR_IC, '电子营业执照一卡通核验项目')).id;
    const before = await counts();
    // 市场监管总局信息中心 sees the demo project (it takes part in it) but did not build it: not its part.
    const notItsOwn = await link('samrpreparer', f.id, demoProject.id, SAMR_IC);
    expect(notItsOwn.statusCode).toBe(400);
    expect(notItsOwn.json().errors).toEqual([expect.objectContaining({ path: 'projectId', code: 'framework.project_not_participant' })]);
    // Each participant links for itself only; an organization outside the plan is no participant.
    expect((await link('preparer', f.id, demoProject.id, SAMR_IC)).statusCode).toBe(403);
    expect((await link('samrpreparer', f.id, samrProject, MOHRSS_IC)).statusCode).toBe(403);
    expect((await link('preparer', f.id, demoProject.id, MNR_IC)).json().errors).toEqual([expect.objectContaining({ path: 'organizationId', code: 'framework.not_participant' })]);
    // A project the caller does not see is not found.
    expect((await link('preparer', f.id, samrProject, MOHRSS_IC)).statusCode).toBe(404);
    expect(await counts()).toEqual(before);

    expect((await link('preparer', f.id, demoProject.id, MOHRSS_IC)).statusCode).toBe(200);
    expect((await link('samrpreparer', f.id, samrProject, SAMR_IC)).statusCode).toBe(200);
    const g = (await get('mof', url(f.id))).json() as Framework;
    expect(g.projects.map((p) => `${p.projectId}:${p.organizationId}`).sort()).toEqual([`${demoProject.id}:${org.get(MOHRSS_IC)}`, `${samrProject}:${org.get(SAMR_IC)}`].sort());
    // A project is the part of one plan at most: not twice, not in another plan.
    expect((await link('preparer', f.id, demoProject.id, MOHRSS_IC)).statusCode).toBe(409);
    const other = await submittedPlan();
    expect((await send('ndrc', 'POST', url(other.id, '/actions/confirm'), { totp: nextTotp() })).statusCode).toBe(200);
    expect((await link('preparer', other.id, demoProject.id, MOHRSS_IC)).json().code).toBe('conflict.duplicate');
    // The project shows its plan.
    expect((await get('preparer', `/api/v1/projects/${demoProject.id}/coordination`)).json().framework)
      .toMatchObject({ id: f.id, status: 'confirmed', organizationId: org.get(MOHRSS_IC), organizationName: MOHRSS_IC });
    // Unlinking: the people of the participant it was linked for.
    expect((await send('samrpreparer', 'DELETE', url(f.id, `/projects/${demoProject.id}`))).statusCode).toBe(403);
    expect((await send('preparer', 'DELETE', url(f.id, `/projects/${demoProject.id}`))).statusCode).toBe(200);
    expect((await get('preparer', `/api/v1/projects/${demoProject.id}/coordination`)).json().framework).toBeNull();
    expect((await auditOf(f.id)).map((e) => e.action).slice(-3)).toEqual(['framework.project.link', 'framework.project.link', 'framework.project.unlink']);
  });

  it('第十条: when a ministry takes part, a project built by a unit below it is its part', async () => {
    // 国家市场监督管理总局 itself takes part; its unit lead (scope: the ministry and below) acts for it.
    const SAMR = '国家市场监督管理总局';
    const samrLead: Actor = {
      userId: sessions.get('samrpreparer')!.userId, username: 'samrpreparer', displayName: '郑凯', organizationIds: [org.get(SAMR)!],
      roles: [{ role: 'unit_lead', customOrganizationIds: [] }], sessionId: null, requestId: 'req-samr-lead', clientAddress: '127.0.0.1',
    };
    const created = await send('preparer', 'POST', '/api/v1/frameworks', {
      name: '电子证照互认框架方案（部委参与）', leadOrganizationId: org.get(MOHRSS_IC), participantIds: [org.get(SAMR)], goals: '电子证照互认。',
    });
    const id = (created.json() as Framework).id;
    await send('preparer', 'POST', url(id, `/participants/${org.get(MOHRSS_IC)}/contents`), LEAD_CONTENT);
    await createContent(services, samrLead, id, org.get(SAMR)!, SAMR_DISTINCT);
    await send('preparer', 'POST', url(id, '/business-flows'), { name: '亮证', steps: [{ organizationId: org.get(SAMR), activity: '核验' }] });
    await send('preparer', 'POST', url(id, '/data-flows'), {
      from: { organizationId: org.get(SAMR), system: null }, to: { organizationId: org.get(MOHRSS_IC), system: null }, dataItems: ['统一社会信用代码'], frequency: 'daily', interfaceMethod: 'api',
    });
    let f = await justifyCatalogOverlaps((await send('preparer', 'POST', url(id, '/catalog'), {
      name: '企业登记信息', providerOrganizationId: org.get(SAMR), dataItems: ['统一社会信用代码'], sharingType: 'unconditional',
    })).json() as Framework);
    f = (await send('preparer', 'POST', url(id, `/participants/${org.get(MOHRSS_IC)}/confirmation`), undefined, part(f, MOHRSS_IC).version)).json();
    await confirmPart(services, samrLead, id, org.get(SAMR)!, part(f, SAMR).version);
    expect((await send('preparer', 'POST', url(id, '/actions/submit'), {})).statusCode).toBe(200);
    expect((await send('ndrc', 'POST', url(id, '/actions/confirm'), { totp: nextTotp() })).statusCode).toBe(200);
    // 市场监管总局信息中心 is below the ministry: its project is the ministry's part.
    const project = (await newProject('samrpreparer', SAMR_IC, '电子证照互认核验项目')).id;
    const linked = await linkProject(services, samrLead, id, { projectId: project, organizationId: org.get(SAMR)! });
    expect(linked.projects).toEqual([expect.objectContaining({ projectId: project, organizationId: org.get(SAMR), constructionUnitName: SAMR_IC })]);
  });

  it('第十条 地方协同: local sub-projects link to the national project by its code and are shown by province', async () => {
    const national = await t.database.db.selectFrom('projects').select(['id', 'code']).where('name', '=', '全国统一电子证照社保卡应用项目（演示）').executeTakeFirstOrThrow();
    const local = async (user: string, orgName: string, approval: string, name: string) => {
      const res = await send(user, 'POST', '/api/v1/projects', {
        name, constructionUnitId: org.get(orgName), approvalDepartmentId: org.get(approval), track: 'approval', kind: 'new',
        constructionStart: '2027-01-01', constructionEnd: '2027-12-31', totalInvestment: '500.00', fundingChannel: 'local_fiscal',
        security: { scheme: 'mlps', mlpsLevel: 2 },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; code: string };
    };
    const js = await local('jspreparer', '江苏省数据局', '江苏省人民政府', '江苏省社会保障卡一卡通应用项目');
    const sc = await local('scpreparer', '四川省大数据中心', '四川省人民政府', '四川省社会保障卡一卡通应用项目');
    const link = (user: string, projectId: string, code: string) => send(user, 'PUT', `/api/v1/projects/${projectId}/national-project`, { nationalProjectCode: code });

    const before = await counts();
    // Only the local project's editors; the national project must be central, the local one local; codes must exist.
    expect((await link('scpreparer', js.id, national.code)).statusCode).toBe(404);
    expect((await link('jspreparer', js.id, sc.code)).json().errors).toEqual([expect.objectContaining({ path: 'nationalProjectCode', code: 'coordination.not_national' })]);
    expect((await link('jspreparer', js.id, '2099-000000-00-00-000000')).json().errors).toEqual([expect.objectContaining({ code: 'unknown_reference' })]);
    expect((await link('jspreparer', js.id, js.code)).json().errors).toEqual([expect.objectContaining({ code: 'coordination.self' })]);
    const demoOther = await t.database.db.selectFrom('projects').select('id').where('name', '=', '全国社会保险公共服务平台升级改造项目（演示）').executeTakeFirstOrThrow();
    expect((await link('preparer', demoOther.id, national.code)).json().errors).toEqual([expect.objectContaining({ path: 'projectId', code: 'coordination.not_local' })]);
    expect(await counts()).toEqual(before);

    const linked = await link('jspreparer', js.id, national.code);
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ projectId: js.id, nationalProject: { id: national.id, code: national.code, name: '全国统一电子证照社保卡应用项目（演示）' } });
    expect((await link('scpreparer', sc.id, national.code)).statusCode).toBe(200);
    // The local unit does not see the national project itself, only its identity through the link.
    expect((await get('jspreparer', `/api/v1/projects/${national.id}`)).statusCode).toBe(404);
    expect((await get('jspreparer', `/api/v1/projects/${national.id}/local-projects`)).statusCode).toBe(404);

    const byRegion = await get('preparer', `/api/v1/projects/${national.id}/local-projects`);
    expect(byRegion.statusCode, byRegion.body).toBe(200);
    const view = byRegion.json();
    expect(view.total).toBe(2);
    expect(view.regions.map((r: { province: { code: string; name: { zh: string } }; projects: Array<{ id: string; divisionCode: string }> }) =>
      [r.province.code, r.province.name.zh, r.projects.map((p) => `${p.id}:${p.divisionCode}`)])).toEqual([
      ['32', '江苏省', [`${js.id}:320000`]],
      ['51', '四川省', [`${sc.id}:510000`]],
    ]);
    expect(view.regions[0].projects[0]).toMatchObject({ code: js.code, constructionUnitName: '江苏省数据局', stateName: { zh: expect.any(String) } });
    expect((await get('ndrc', `/api/v1/projects/${national.id}/local-projects?province=51`)).json().regions.map((r: { province: { code: string } }) => r.province.code)).toEqual(['51']);
    expect((await get('preparer', `/api/v1/projects/${national.id}/coordination`)).json().localProjectCount).toBe(2);

    // Linked again to the same national project: replaced, not doubled; then ended.
    expect((await link('jspreparer', js.id, national.code)).statusCode).toBe(200);
    const ended = await send('jspreparer', 'DELETE', `/api/v1/projects/${js.id}/national-project`);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().nationalProject).toBeNull();
    expect((await send('jspreparer', 'DELETE', `/api/v1/projects/${js.id}/national-project`)).statusCode).toBe(404);
    expect((await get('preparer', `/api/v1/projects/${national.id}/local-projects`)).json().total).toBe(1);
    const audit = (await sql<{ action: string }>`select action from audit_events where object_type = 'project' and object_id = ${js.id} and action like 'project.coordination.%' order by id`.execute(t.database.db)).rows;
    expect(audit.map((a) => a.action)).toEqual(['project.coordination.link', 'project.coordination.link', 'project.coordination.unlink']);
  });

  it('第十条: the data flows and system interfaces export to .xlsx, row for row', async () => {
    const id = (await get('preparer', '/api/v1/frameworks')).json().items.find((i: { name: string }) => i.name === DEMO_FRAMEWORK.name).id;
    const f = (await get('preparer', url(id))).json() as Framework;
    const xlsx = await get('samrpreparer', url(id, '/data-flows/export'));
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain(`数据流与系统接口-${DEMO_FRAMEWORK.name}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['提供方部门', '提供方系统', '接收方部门', '接收方系统', '数据项', '交换频度', '接口方式', '说明']);
    const rows = [];
    for (let i = 2; i <= sheet.rowCount; i++) rows.push((sheet.getRow(i).values as unknown[]).slice(1, 6));
    expect(rows).toEqual(f.dataFlows.map((d) => [d.from.organizationName, d.from.system, d.to.organizationName, d.to.system, d.dataItems.join('、')]));
    expect(rows[0]).toEqual([SAMR_IC, '全国市场主体登记注册系统', MOHRSS_IC, '社会保险经办管理信息系统', '统一社会信用代码、企业名称、法定代表人、住所、成立日期、登记状态']);
    expect((sheet.getRow(2).values as unknown[])[6]).toBe('实时');
    expect((sheet.getRow(2).values as unknown[])[7]).toBe('数据共享交换平台');
  });
});
