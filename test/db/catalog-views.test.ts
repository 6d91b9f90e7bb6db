// 第二十八条 重复采集 and 第十一条 信息资源目录 views through the HTTP stack on both databases: the
// data items collected by systems of different owners, grouped by normalized item (身份证号 ≡
// 公民身份号码), scoped (a department sees only the groups of its own systems, the other parties
// as 其他部门, 涉密 ones not at all), filtered and exported; the national and department views
// of the per-project catalogs with their filters, trees and export, each resource visible
// exactly when its project is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { systemActor } from '../../src/usecases/actor.ts';
import { createUser } from '../../src/usecases/users.ts';
import { bearer, DEMO_PASSWORD, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let app: DemoApp['app'];
let services: DemoApp['services'];
let org: DemoApp['org'];
const sessions = new Map<string, Session>();

const MOHRSS_IC = '人力资源和社会保障部信息中心';
const MNR_IC = '自然资源部信息中心';
const SAMR_IC = '国家市场监督管理总局信息中心';
const DEPARTMENT = '国家发展和改革委员会创新和高技术发展司';

const as = (username: string) => bearer(sessions.get(username)!);
const get = (username: string, url: string) => app.inject({ method: 'GET', url, headers: as(username) });

let projectNo = 0;
async function newProject(username: string, unit: string) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/projects', headers: as(username), payload: {
      name: `目录视图测试项目 ${++projectNo}`, constructionUnitId: org.get(unit), approvalDepartmentId: org.get(DEPARTMENT),
      track: 'approval', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '500.00',
      fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string };
}

type ResourceFields = { name: string; code: string; provider: string; kind: 'base' | 'theme' | 'department'; base?: string; items: string[] };
async function newResource(username: string, projectId: string, r: ResourceFields) {
  const res = await app.inject({
    method: 'POST', url: `/api/v1/projects/${projectId}/resources`, headers: as(username), payload: {
      name: r.name, code: r.code, classification: { kind: r.kind, baseCategory: r.base ?? null }, providerOrganizationId: org.get(r.provider),
      format: 'database', updateCycle: r.kind === 'base' ? 'daily' : 'monthly', sharingType: r.kind === 'base' ? 'unconditional' : 'conditional',
      sharingBasis: r.kind === 'base' ? null : '依法履职需要', openType: 'none', openBasis: '含个人信息', involvesSecrets: false,
      dataItems: r.items.map((name) => ({ name, type: 'string' })),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string; name: string };
}

async function newSystem(username: string, owner: string, name: string, collects: string[], secret = false) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/systems', headers: as(username), payload: {
      name, ownerOrganizationId: org.get(owner), purpose: `${name}的业务办理`, businessArea: '测试',
      networkType: secret ? 'intranet' : 'extranet', involvesSecrets: secret,
      security: secret ? { scheme: 'classified', mlpsLevel: null, filingNumber: null } : { scheme: 'mlps', mlpsLevel: 2, filingNumber: null },
      userCount: 10, status: 'under_construction', projects: [], resources: collects.map((resourceId) => ({ resourceId, relation: 'collects' })),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}

async function xlsxRows(payload: Buffer): Promise<{ header: unknown[]; rows: Array<Record<string, unknown>> }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  const rows = [];
  for (let i = 2; i <= sheet.rowCount; i++) {
    const row = sheet.getRow(i);
    rows.push(Object.fromEntries(header.map((h, j) => [String(h), row.getCell(j + 1).value ?? null])));
  }
  return { header, rows };
}

const fx = {} as {
  p1: { id: string }; p2: { id: string }; p3: { id: string };
  r1: { id: string }; r1b: { id: string }; r2: { id: string }; r2b: { id: string }; r3: { id: string };
  s1: { id: string; name: string }; s2: { id: string; name: string }; s2secret: { id: string; name: string }; s3: { id: string; name: string };
};

beforeAll(async () => {
  demo = await openDemoApp();
  ({ app, services, org } = demo);
  for (const [username, unit] of [['mnrpreparer', MNR_IC], ['samrpreparer', SAMR_IC]] as const) {
    await createUser(services, systemActor(), { username, displayName: username, password: DEMO_PASSWORD, organizationIds: [org.get(unit)!], roleCodes: ['preparer'] });
  }
  for (const u of ['preparer', 'mnrpreparer', 'samrpreparer', 'ndrc', 'auditor']) sessions.set(u, await signIn(app, services, u));

  fx.p1 = await newProject('preparer', MOHRSS_IC);
  fx.r1 = await newResource('preparer', fx.p1.id, { name: '劳动就业人员信息', code: '2-03-010/000001', provider: '人力资源和社会保障部', kind: 'theme', items: ['身份证号', '姓名', '手机号'] });
  fx.r1b = await newResource('preparer', fx.p1.id, { name: '江苏省户籍人口信息', code: '1-01-001/000009', provider: '江苏省数据局', kind: 'base', base: 'population', items: ['出生日期'] });
  fx.p2 = await newProject('mnrpreparer', MNR_IC);
  fx.r2 = await newResource('mnrpreparer', fx.p2.id, { name: '不动产权利人信息', code: '3-05-001/000001', provider: '自然资源部', kind: 'department', items: ['公民身份号码', '不动产单元号'] });
  fx.r2b = await newResource('mnrpreparer', fx.p2.id, { name: '不动产企业权利人信息', code: '3-05-002/000001', provider: '自然资源部', kind: 'department', items: ['统一社会信用代码'] });
  fx.p3 = await newProject('samrpreparer', SAMR_IC);
  fx.r3 = await newResource('samrpreparer', fx.p3.id, { name: '市场主体登记信息', code: '1-02-001/000001', provider: '国家市场监督管理总局', kind: 'base', base: 'legal_entity', items: ['统一社会信用代码', '企业名称'] });

  fx.s1 = await newSystem('preparer', MOHRSS_IC, '就业失业登记管理系统', [fx.r1.id]);
  fx.s2 = await newSystem('mnrpreparer', MNR_IC, '不动产登记业务系统', [fx.r2.id, fx.r2b.id]);
  fx.s2secret = await newSystem('mnrpreparer', MNR_IC, '不动产涉密档案系统', [fx.r2.id], true);
  fx.s3 = await newSystem('samrpreparer', SAMR_IC, '市场主体登记注册系统', [fx.r3.id]);
});
afterAll(async () => demo.close());

type Group = {
  key: string; dataItem: string; names: Array<{ name: string; similarity: number }>; ownerCount: number; systemCount: number;
  systems: Array<{ visible: boolean; systemId: string | null; systemName: string | null; ownerOrganizationName: string; province: { code: string } | null; items: Array<{ dataItemName: string; resource: { id: string } | null }> }>;
};
const groupsOf = async (username: string, query = '') => {
  const res = await get(username, `/api/v1/system-catalog/duplicate-collection${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return { body: res.body, ...(res.json() as { items: Group[]; total: number }) };
};
const idGroup = (groups: Group[]) => groups.find((g) => g.names.some((n) => n.name === '公民身份号码'));
const creditGroup = (groups: Group[]) => groups.find((g) => g.dataItem === '统一社会信用代码');

describe('重复采集 (第二十八条)', () => {
  it('第二十八条: a data item collected by systems of different owners is one group across its spellings (身份证号 ≡ 公民身份号码)', async () => {
    const { items } = await groupsOf('ndrc');
    const id = idGroup(items)!;
    expect(id, JSON.stringify(items)).toBeDefined();
    expect(id.names.map((n) => n.name).sort()).toEqual(['公民身份号码', '身份证号']);
    for (const n of id.names) expect(n.similarity).toBeCloseTo(1, 6);
    expect(id).toMatchObject({ ownerCount: 2, systemCount: 3 });
    expect(id.systems.map((s) => s.systemName).sort()).toEqual([fx.s2secret.name, fx.s2.name, fx.s1.name].sort());
    const s1 = id.systems.find((s) => s.systemId === fx.s1.id)!;
    expect(s1).toMatchObject({ visible: true, ownerOrganizationName: MOHRSS_IC, province: { code: '00' } });
    expect(s1.items).toEqual([{ dataItemName: '身份证号', resource: expect.objectContaining({ id: fx.r1.id, code: '2-03-010/000001' }) }]);
    expect(creditGroup(items)).toMatchObject({ ownerCount: 2, systemCount: 2 });
    // 姓名 and 手机号 are collected by one owner only (the demo's and this test's 人社 systems): no group.
    expect(items.find((g) => g.dataItem === '手机号')).toBeUndefined();
    // The supervisory bodies all see the same.
    expect((await groupsOf('auditor')).total).toBe((await groupsOf('ndrc')).total);
  });

  it('第二十八条 (SPEC §1): a department sees only the groups of its own systems; the others are 其他部门, 涉密 ones are left out', async () => {
    const { items, body } = await groupsOf('preparer');
    const id = idGroup(items)!;
    expect(id.systemCount).toBe(2);
    expect(id.ownerCount).toBe(2);
    expect(id.systems[0]).toMatchObject({ visible: true, systemId: fx.s1.id });
    expect(id.systems[1]).toEqual({
      visible: false, systemId: null, systemName: null, ownerOrganizationId: null, ownerOrganizationName: '其他部门', province: null,
      items: [{ dataItemName: '公民身份号码', resource: null }],
    });
    expect(creditGroup(items)).toBeUndefined();
    for (const leak of [fx.s2.name, fx.s2.id, fx.s2secret.name, fx.s2secret.id, MNR_IC, fx.r2.id, '不动产权利人信息']) expect(body).not.toContain(leak);

    // The other party reads its own systems, 涉密 one included, and not the preparer's.
    const mnr = await groupsOf('mnrpreparer');
    const theirs = idGroup(mnr.items)!;
    expect(theirs.systems.filter((s) => s.visible).map((s) => s.systemId).sort()).toEqual([fx.s2.id, fx.s2secret.id].sort());
    expect(theirs.systems.find((s) => !s.visible)!.ownerOrganizationName).toBe('其他部门');
    expect(mnr.body).not.toContain(fx.s1.name);
    expect(creditGroup(mnr.items)!.systems.find((s) => !s.visible)).toBeDefined();
    expect(mnr.body).not.toContain(fx.s3.name);
  });

  it('第二十八条: filters by province, by organization (the caller\'s readable systems only) and by item', async () => {
    const all = await groupsOf('ndrc');
    expect((await groupsOf('ndrc', '?province=00')).total).toBe(all.total);
    expect(idGroup((await groupsOf('ndrc', '?province=32')).items)).toBeUndefined();
    const samr = await groupsOf('ndrc', `?organizationId=${org.get('国家市场监督管理总局')}`);
    expect(creditGroup(samr.items)).toBeDefined();
    expect(idGroup(samr.items)).toBeUndefined();
    const byItem = await groupsOf('ndrc', `?q=${encodeURIComponent('身份证')}`);
    expect(byItem.items.map((g) => g.key)).toEqual([idGroup(all.items)!.key]);
    // A department cannot find where another department's systems are by filtering.
    expect((await groupsOf('preparer', `?organizationId=${org.get('自然资源部')}`)).total).toBe(0);
    expect((await groupsOf('preparer', '?pageSize=1')).items).toHaveLength(1);
  });

  it('第二十八条: exports to .xlsx, one row per system and spelling, within the caller\'s view', async () => {
    const ndrc = await get('ndrc', '/api/v1/system-catalog/duplicate-collection/export');
    expect(ndrc.statusCode).toBe(200);
    expect(ndrc.headers['content-type']).toContain('spreadsheetml');
    const sheet = await xlsxRows(ndrc.rawPayload);
    expect(sheet.header).toEqual(['数据项', '采集单位数', '采集系统数', '系统名称', '所属单位', '所在省份', '数据项写法', '信息资源代码', '信息资源名称']);
    const label = idGroup((await groupsOf('ndrc')).items)!.dataItem;
    expect(sheet.rows.filter((r) => r['数据项'] === label).map((r) => r['系统名称']).sort())
      .toEqual([fx.s1.name, fx.s2.name, fx.s2secret.name].sort());

    const preparer = await xlsxRows((await get('preparer', '/api/v1/system-catalog/duplicate-collection/export')).rawPayload);
    expect(preparer.rows.some((r) => r['所属单位'] === '其他部门' && r['系统名称'] === null)).toBe(true);
    const text = JSON.stringify(preparer.rows);
    for (const leak of [fx.s2.name, fx.s2secret.name, MNR_IC]) expect(text).not.toContain(leak);
  });
});

type Entry = { id: string; code: string; name: string; project: { id: string }; providerOrganizationName: string; providerProvince: { code: string } };
const listOf = async (username: string, query = '') => {
  const res = await get(username, `/api/v1/resource-catalog${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Entry[]; total: number };
};
const count = async (where = sql`true`) =>
  Number((await sql<{ n: string }>`select count(*) as n from information_resources r where ${where}`.execute(demo.t.database.db)).rows[0]!.n);

describe('信息资源目录 of departments and of the nation (第十一条)', () => {
  it('第十一条: the national view lists every project\'s catalog, in code order, with its project and the provider\'s province', async () => {
    const all = await listOf('ndrc', '?pageSize=200');
    expect(all.total).toBe(await count());
    expect(all.items.map((i) => i.code)).toEqual([...all.items.map((i) => i.code)].sort());
    const r1b = all.items.find((i) => i.id === fx.r1b.id)!;
    expect(r1b).toMatchObject({ project: { id: fx.p1.id }, providerOrganizationName: '江苏省数据局', providerProvince: { code: '32' } });
    expect(all.items.find((i) => i.id === fx.r3.id)!.providerProvince.code).toBe('00');
    expect((await listOf('auditor')).total).toBe(all.total);
  });

  it('第十一条 (SPEC §1): a department sees the catalogs of the projects it may see, and no other', async () => {
    const preparer = await listOf('preparer', '?pageSize=200');
    const ids = preparer.items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([fx.r1.id, fx.r1b.id]));
    for (const hidden of [fx.r2.id, fx.r2b.id, fx.r3.id]) expect(ids).not.toContain(hidden);
    const visibleProjects = (await get('preparer', '/api/v1/projects?pageSize=200')).json().items.map((p: { id: string }) => p.id);
    for (const item of preparer.items) expect(visibleProjects).toContain(item.project.id);
    const mnr = await listOf('mnrpreparer');
    expect(mnr.items.map((i) => i.id).sort()).toEqual([fx.r2.id, fx.r2b.id].sort());
    expect((await get('preparer', `/api/v1/resource-catalog?projectId=${fx.p2.id}`)).json().total).toBe(0);
  });

  it('第十一条: filters by text, provider subtree, province, 类, base resource, sharing, opening, update cycle and code prefix', async () => {
    const ids = async (query: string) => (await listOf('ndrc', `${query}&pageSize=200`)).items.map((i) => i.id);
    expect(await ids(`?q=${encodeURIComponent('不动产权利人')}`)).toEqual([fx.r2.id]);
    expect(await ids('?q=2-03-010')).toEqual([fx.r1.id]);
    expect(await ids('?province=32')).toEqual([fx.r1b.id]);
    expect(await ids(`?organizationId=${org.get('自然资源部')}`)).toEqual([fx.r2.id, fx.r2b.id]);
    expect((await ids('?classification=base')).length).toBe(await count(sql`classification_kind = 'base'`));
    expect(await ids('?baseCategory=legal_entity')).toEqual(expect.arrayContaining([fx.r3.id]));
    expect((await ids('?baseCategory=legal_entity')).length).toBe(await count(sql`base_category = 'legal_entity'`));
    expect((await ids('?sharingType=unconditional')).length).toBe(await count(sql`sharing_type = 'unconditional'`));
    expect((await ids('?openType=none&updateCycle=monthly')).length).toBe(await count(sql`open_type = 'none' and update_cycle = 'monthly'`));
    expect(await ids('?codePrefix=1-01')).toEqual(expect.arrayContaining([fx.r1b.id]));
    expect((await ids('?codePrefix=1-01')).length).toBe(await count(sql`code like '1-01-%'`));
    expect(await ids('?codePrefix=3-05-002')).toEqual([fx.r2b.id]);
    expect((await get('ndrc', '/api/v1/resource-catalog?codePrefix=1-0')).statusCode).toBe(400);
  });

  it('第十一条: the classification tree counts 类 → 项 → 目 of the code, and the department tree counts by provider', async () => {
    const res = await get('ndrc', '/api/v1/resource-catalog/tree');
    expect(res.statusCode, res.body).toBe(200);
    type Node = { code: string; level: string; name: { zh: string } | null; count: number; children: Node[] };
    const tree = res.json() as { by: string; nodes: Node[]; total: number };
    expect(tree.by).toBe('classification');
    expect(tree.total).toBe(await count());
    expect(tree.nodes.reduce((s, n) => s + n.count, 0)).toBe(tree.total);
    for (const category of tree.nodes) {
      expect(category.level).toBe('category');
      expect(category.children.reduce((s, n) => s + n.count, 0)).toBe(category.count);
      expect(category.count).toBe(await count(sql`code like ${`${category.code}-%`}`));
      for (const item of category.children) expect(item.children.reduce((s, n) => s + n.count, 0)).toBe(item.count);
    }
    const base = tree.nodes.find((n) => n.code === '1')!;
    expect(base.name!.zh).toBe('基础信息资源');
    expect(base.children.find((n) => n.code === '1-02')).toMatchObject({ level: 'item', name: { zh: '法人' } });
    expect(base.children.find((n) => n.code === '1-02')!.children.find((n) => n.code === '1-02-001')).toMatchObject({ level: 'entry', name: null });
    // The tree's node is the list's codePrefix: the same count.
    expect((await listOf('ndrc', '?codePrefix=1-02')).total).toBe(base.children.find((n) => n.code === '1-02')!.count);

    type Dept = { organizationId: string; name: string; count: number; total: number; children: Dept[] };
    const depts = (await get('ndrc', '/api/v1/resource-catalog/tree?by=department')).json() as { by: string; nodes: Dept[]; total: number };
    expect(depts.by).toBe('department');
    expect(depts.total).toBe(tree.total);
    const walk = (nodes: Dept[]): Dept[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
    for (const n of walk(depts.nodes)) expect(n.total).toBe(n.count + n.children.reduce((s, c) => s + c.total, 0));
    expect(walk(depts.nodes).find((n) => n.name === '自然资源部')).toMatchObject({ count: 2, total: 2 });
    expect(walk(depts.nodes).find((n) => n.name === '江苏省人民政府')).toMatchObject({ count: 0, total: 1 });
    const mine = (await get('preparer', '/api/v1/resource-catalog/tree?by=department')).json() as { nodes: Dept[]; total: number };
    expect(walk(mine.nodes).find((n) => n.name === '自然资源部')).toBeUndefined();
    expect(mine.total).toBe((await listOf('preparer')).total);
  });

  it('第十一条: exports the view as .xlsx, within the caller\'s scope and filters', async () => {
    const res = await get('ndrc', '/api/v1/resource-catalog/export');
    expect(res.statusCode).toBe(200);
    const sheet = await xlsxRows(res.rawPayload);
    expect(sheet.header.slice(0, 7)).toEqual(['信息资源代码', '信息资源名称', '资源分类', '信息资源提供方', '所在省份', '项目代码', '项目名称']);
    expect(sheet.rows).toHaveLength(await count());
    expect(sheet.rows.find((r) => r['信息资源代码'] === '1-01-001/000009')).toMatchObject({ '所在省份': '江苏省', '资源分类': '基础信息资源·人口' });
    const mine = await xlsxRows((await get('preparer', '/api/v1/resource-catalog/export?classification=theme')).rawPayload);
    expect(mine.rows).toHaveLength((await listOf('preparer', '?classification=theme')).total);
    expect(JSON.stringify(mine.rows)).not.toContain('不动产权利人信息');
  });
});
