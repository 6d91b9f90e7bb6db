// 第二十八条 重复建设 (I-13, I-20) through the HTTP stack on both databases: a project being
// written or submitted is warned about similar projects and master-catalog systems, with the
// shared terms, and never refused; hits outside the caller's scope never show their names
// (only a count, and 涉密 ones not even that); a deleted system is never returned; and an
// edit made by another process (another Services object, with its own index) is found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMILARITY_THRESHOLD } from '../../src/domain/similarity/index.ts';
import { systemActor } from '../../src/usecases/actor.ts';
import { createProject, updateProject, getProject } from '../../src/usecases/projects.ts';
import { checkSimilarity, similarityCatalogFor } from '../../src/usecases/similarity.ts';
import { getSystem, updateSystem } from '../../src/usecases/system-catalog.ts';
import { createUser } from '../../src/usecases/users.ts';
import { testServices } from '../support/db.ts';
import { bearer, DEMO_PASSWORD, demoActor, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let app: DemoApp['app'];
let services: DemoApp['services'];
let org: DemoApp['org'];
const sessions = new Map<string, Session>();

const MOHRSS_IC = '人力资源和社会保障部信息中心';
const MNR_IC = '自然资源部信息中心';
const DEPARTMENT = '国家发展和改革委员会创新和高技术发展司';

beforeAll(async () => {
  demo = await openDemoApp();
  ({ app, services, org } = demo);
  // A preparer of another department, besides the demo accounts.
  await createUser(services, systemActor(), {
    username: 'mnrpreparer', displayName: '钱进', password: DEMO_PASSWORD, organizationIds: [org.get(MNR_IC)!], roleCodes: ['preparer'],
  });
  for (const u of ['preparer', 'mnrpreparer', 'ndrc', 'reviewer']) sessions.set(u, await signIn(app, services, u));
});
afterAll(async () => demo.close());

const as = (username: string) => bearer(sessions.get(username)!);
const check = (username: string, payload: { name: string; description?: string; projectId?: string }) =>
  app.inject({ method: 'POST', url: '/api/v1/similarity/check', headers: as(username), payload });
const similarOf = (username: string, projectId: string) =>
  app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/similar`, headers: as(username) });

type Item = { kind: string; id: string; code: string | null; name: string; similarity: number; overlap: Array<{ term: string; contribution: number }>; reason: { zh: string } };
type Result = { threshold: number; items: Item[]; hiddenCount: number };

const indicator = (name: string) => ({
  indicator: name, category: 'output', unit: '%', baseline: '0', targets: [{ year: 2027, value: '90' }], direction: 'higher',
});

async function newProject(username: string, unit: string, fields: { name: string; systems?: string[]; indicators?: string[]; secret?: boolean }) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/projects', headers: as(username), payload: {
      name: fields.name, constructionUnitId: org.get(unit), approvalDepartmentId: org.get(DEPARTMENT), track: 'approval', kind: 'new',
      constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '800.00', fundingChannel: 'central_budget',
      involvesSecrets: fields.secret ?? false,
      security: fields.secret ? { scheme: 'classified', mlpsLevel: null } : { scheme: 'mlps', mlpsLevel: 3 },
      systems: (fields.systems ?? []).map((name) => ({ name, action: 'new' })),
      performanceIndicators: (fields.indicators ?? []).map(indicator),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string; name: string; version: number };
}

async function newSystem(username: string, owner: string, fields: { name: string; purpose: string; secret?: boolean; projectId?: string }) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/systems', headers: as(username), payload: {
      name: fields.name, ownerOrganizationId: org.get(owner), purpose: fields.purpose, businessArea: '测试',
      networkType: fields.secret ? 'intranet' : 'extranet', involvesSecrets: fields.secret ?? false,
      security: fields.secret ? { scheme: 'classified', mlpsLevel: null, filingNumber: null } : { scheme: 'mlps', mlpsLevel: 2, filingNumber: null },
      userCount: 100, status: 'under_construction',
      projects: fields.projectId ? [{ projectId: fields.projectId, relation: 'new' }] : [], resources: [],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; version: number };
}

let registration: { id: string; code: string; name: string };

describe('重复建设提示 (第二十八条, I-13, I-20)', () => {
  beforeAll(async () => {
    registration = await newProject('preparer', MOHRSS_IC, {
      name: '劳动人事争议仲裁信息化建设项目', systems: ['劳动人事争议仲裁办案系统'], indicators: ['仲裁案件网上受理率'],
    });
  });

  it('第二十八条: a near-duplicate project is warned about, with the overlapping terms and why', async () => {
    const res = await check('preparer', { name: '劳动人事争议调解仲裁平台建设项目', description: '劳动人事争议仲裁案件网上办理系统' });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as Result;
    expect(result.threshold).toBe(SIMILARITY_THRESHOLD);
    const hit = result.items.find((i) => i.id === registration.id);
    expect(hit, res.body).toMatchObject({ kind: 'project', code: registration.code, name: registration.name });
    expect(hit!.similarity).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(hit!.overlap.map((t) => t.term)).toEqual(expect.arrayContaining(['劳动人事争议', '仲裁']));
    expect(hit!.reason.zh).toContain('劳动人事争议');
    for (let i = 1; i < result.items.length; i++) expect(result.items[i]!.similarity).toBeLessThanOrEqual(result.items[i - 1]!.similarity);
    expect(result.items.length).toBeLessThanOrEqual(10);
  });

  it('第二十八条: an unrelated project is not warned about', async () => {
    const result = (await check('preparer', { name: '森林草原防火视频监测系统', description: '林区火情识别与预警' })).json() as Result;
    expect(result.items.map((i) => i.id)).not.toContain(registration.id);
    for (const item of result.items) expect(item.similarity).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
  });

  it('第二十八条: similar catalog systems are found too, and a project is not its own duplicate nor its systems\'', async () => {
    const own = await newSystem('preparer', MOHRSS_IC, { name: '劳动人事争议仲裁办案系统', purpose: '仲裁案件受理、审理和结案', projectId: registration.id });
    const fromCheck = (await check('preparer', { name: '劳动人事争议仲裁办案系统' })).json() as Result;
    expect(fromCheck.items.find((i) => i.id === own.id)).toMatchObject({ kind: 'system', code: null, name: own.name });

    const res = await similarOf('preparer', registration.id);
    expect(res.statusCode, res.body).toBe(200);
    const ids = (res.json() as Result).items.map((i) => i.id);
    expect(ids).not.toContain(registration.id);
    expect(ids).not.toContain(own.id);
    // The wizard editing the project leaves it (and the systems it builds) out the same way.
    const editing = (await check('preparer', { name: registration.name, description: '劳动人事争议仲裁办案系统', projectId: registration.id })).json() as Result;
    expect(editing.items.map((i) => i.id)).not.toContain(registration.id);
    expect(editing.items.map((i) => i.id)).not.toContain(own.id);
  });

  it('第二十八条 (SPEC §1): a hidden project or system never leaks its name — only a count, and 涉密 ones not even that', async () => {
    const hidden = await newProject('mnrpreparer', MNR_IC, {
      name: '地质灾害隐患点监测预警平台建设项目', systems: ['地质灾害监测预警系统'], indicators: ['隐患点监测覆盖率'],
    });
    const secret = await newProject('mnrpreparer', MNR_IC, {
      name: '地质灾害隐患监测预警涉密平台项目', systems: ['地质灾害监测预警系统'], secret: true,
    });
    const hiddenSystem = await newSystem('mnrpreparer', MNR_IC, { name: '地质灾害监测预警系统', purpose: '地质灾害隐患点监测和预警信息发布' });
    const query = { name: '地质灾害监测预警平台', description: '地质灾害隐患点监测预警' };

    const ndrc = (await check('ndrc', query)).json() as Result;
    const ndrcIds = ndrc.items.map((i) => i.id);
    expect(ndrcIds).toEqual(expect.arrayContaining([hidden.id, secret.id, hiddenSystem.id]));
    expect(ndrc.hiddenCount).toBe(0);

    const res = await check('preparer', query);
    const preparer = res.json() as Result;
    expect(preparer.items.map((i) => i.id)).toEqual([]);
    // The hidden project and system are counted; the 涉密 project is not.
    expect(preparer.hiddenCount).toBe(2);
    for (const leak of [hidden.name, hidden.id, hidden.code, secret.name, secret.id, hiddenSystem.name, hiddenSystem.id, '自然资源部']) {
      expect(res.body).not.toContain(leak);
    }
    // A reviewer reads projects routed to its department but not the catalog: the project shows, the system is a count.
    const reviewer = (await check('reviewer', query)).json() as Result;
    expect(reviewer.items.map((i) => i.id)).not.toContain(hiddenSystem.id);
    expect(reviewer.hiddenCount).toBeGreaterThanOrEqual(1);

    // Its own detail page is not the preparer's to read at all.
    expect((await similarOf('preparer', hidden.id)).statusCode).toBe(404);
  });

  it('第二十八条: a deleted system disappears from the results (each hit is re-read before it is shown)', async () => {
    const doomed = await newSystem('preparer', MOHRSS_IC, { name: '技工院校学籍管理系统', purpose: '技工院校学生学籍注册、变动和毕业管理' });
    const query = { name: '技工院校学籍管理平台', description: '技工院校学籍注册和毕业管理' };
    expect(((await check('preparer', query)).json() as Result).items.map((i) => i.id)).toContain(doomed.id);
    const catalog = similarityCatalogFor(services);
    expect(catalog.index.has(`system:${doomed.id}`)).toBe(true);

    const del = await app.inject({ method: 'DELETE', url: `/api/v1/systems/${doomed.id}`, headers: { ...as('preparer'), 'if-match': `"${doomed.version}"` } });
    expect(del.statusCode, del.body).toBe(204);
    const after = await check('preparer', query);
    expect((after.json() as Result).items.map((i) => i.id)).not.toContain(doomed.id);
    expect(after.body).not.toContain(doomed.name);
    expect(catalog.index.has(`system:${doomed.id}`)).toBe(false);
  });

  it('第二十八条: an edit made through another process (another Services, its own index) is picked up by the next search', async () => {
    // Warm this process's index, then change the database through another one.
    await check('preparer', { name: '热身' });
    const other = testServices(demo.t.database);
    other.clock.now = new Date(services.clock.now);
    expect(similarityCatalogFor(other)).not.toBe(similarityCatalogFor(services));
    const otherPreparer = await demoActor(other, 'preparer');

    const query = { name: '职业技能等级认定管理系统', description: '职业技能等级认定考核和证书核发' };
    const renamed = await newSystem('preparer', MOHRSS_IC, { name: '机关后勤车辆调度系统', purpose: '公务用车申请和派车' });
    const before = (await check('preparer', query)).json() as Result;
    expect(before.items.map((i) => i.id)).not.toContain(renamed.id);

    const system = await getSystem(other, otherPreparer, renamed.id);
    await updateSystem(other, otherPreparer, renamed.id, system.version, {
      ...system, name: '职业技能等级认定管理系统', purpose: '职业技能等级认定考核、证书核发和查询',
      projects: [], resources: [],
    });
    const project = await createProject(other, otherPreparer, {
      ...(await getProject(other, otherPreparer, registration.id)), code: undefined, planTaskId: null,
      name: '职业技能等级认定信息化项目', systems: [{ name: '职业技能等级认定管理系统', action: 'new' }], performanceIndicators: [],
    });

    const after = (await check('preparer', query)).json() as Result;
    expect(after.items.find((i) => i.id === renamed.id)).toMatchObject({ kind: 'system', name: '职业技能等级认定管理系统' });
    expect(after.items.find((i) => i.id === project.id)).toMatchObject({ kind: 'project', name: '职业技能等级认定信息化项目' });

    // A project renamed elsewhere is compared by its new text.
    const fresh = await getProject(other, otherPreparer, project.id);
    await updateProject(other, otherPreparer, project.id, fresh.version, { ...fresh, code: undefined, name: '机关食堂餐饮管理项目', systems: [] });
    const later = (await check('preparer', query)).json() as Result;
    expect(later.items.map((i) => i.id)).not.toContain(project.id);
  });

  it('第二十八条: the submit dry run and GET …/actions carry the warnings apart from the problems; they block nothing', async () => {
    const twin = await newProject('preparer', MOHRSS_IC, {
      name: '劳动人事争议仲裁信息化项目', systems: ['劳动人事争议仲裁办案系统'], indicators: ['仲裁案件网上受理率'],
    });
    const dry = await app.inject({ method: 'POST', url: `/api/v1/projects/${twin.id}/actions/submit?dryRun=true`, headers: as('preparer'), payload: {} });
    expect(dry.statusCode, dry.body).toBe(200);
    const body = dry.json() as { ok: boolean; problems: Array<{ code: string }>; warnings: Array<{ code: string; article: string; params: Record<string, string>; message: { zh: string } }> };
    const warning = body.warnings.find((w) => w.params.id === registration.id);
    expect(warning).toMatchObject({
      code: 'similarity.possible_duplicate', article: '第二十八条',
      params: { kind: 'project', name: registration.name, code: registration.code },
    });
    expect(Number(warning!.params.similarity)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(warning!.message.zh).toContain(registration.name);
    expect(body.problems.map((p) => p.code).filter((c) => c.startsWith('similarity'))).toEqual([]);

    const actions = await app.inject({ method: 'GET', url: `/api/v1/projects/${twin.id}/actions`, headers: as('preparer') });
    expect(actions.statusCode, actions.body).toBe(200);
    const listed = actions.json() as { actions: Array<{ action: string }>; warnings: Array<{ code: string; params: Record<string, string> }> };
    expect(listed.warnings.some((w) => w.code === 'similarity.possible_duplicate' && w.params.id === registration.id)).toBe(true);
    expect(listed.actions.map((a) => a.action)).toContain('submit');
  });

  it('第二十八条: a process searching by worker-thread replicas (GOVPROJ_SIMILARITY_WORKERS) answers exactly as one searching on its event loop, edits included', async () => {
    const pooled = testServices(demo.t.database);
    pooled.config.similarityWorkers = 2;
    pooled.config.similarityPoolMinDocuments = 1;
    pooled.clock.now = new Date(services.clock.now);
    const plain = testServices(demo.t.database);
    plain.config.similarityWorkers = 0;
    plain.clock.now = new Date(services.clock.now);
    const catalog = similarityCatalogFor(pooled);
    try {
      const pooledActor = await demoActor(pooled, 'preparer');
      const plainActor = await demoActor(plain, 'preparer');
      const queries = [
        { name: '社会保险公共服务平台', description: '社保查询和待遇资格认证' },
        { name: '技工院校学籍管理平台', description: '技工院校学籍注册和毕业管理' },
        { name: '职业技能等级认定管理系统', description: '职业技能等级认定考核和证书核发' },
        { name: '劳动人事争议仲裁办案系统' },
      ];
      const both = async () => {
        for (const q of queries) {
          const a = await checkSimilarity(pooled, pooledActor, q);
          const b = await checkSimilarity(plain, plainActor, q);
          expect(a).toEqual(b);
        }
      };
      await checkSimilarity(pooled, pooledActor, { name: '热身' });
      await catalog.poolReady();
      expect(catalog.replicas).toBe(2);
      await both();
      // An edit is seen by the replicas through the primary's sync.
      const added = await newSystem('preparer', MOHRSS_IC, { name: '社会保险待遇资格认证系统', purpose: '社保待遇资格认证和社保查询' });
      await both();
      expect((await checkSimilarity(pooled, pooledActor, queries[0]!)).items.map((i) => i.id)).toContain(added.id);
      expect(catalog.poolStats.replica).toBeGreaterThanOrEqual(2 * queries.length + 1);
      expect(catalog.poolStats.failedOver).toBe(0);
    } finally {
      await catalog.close();
    }
  });
});
