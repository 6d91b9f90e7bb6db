// 第十二条 (政务信息系统目录, 国家政务信息系统总目录) and 第二十八条 (联网为原则, 孤网为例外) through the
// HTTP stack on both databases: departments keep their own lists within their scope, with
// If-Match and an audit event for every change; they confirm their lists, and a confirmation older
// than catalog.confirmationDays is flagged; the platform aggregates by organization subtree and by
// province; every list exports to .xlsx; a 孤网 system needs a signed exception decision, without
// which it is flagged everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { sm2Verify } from '../../src/crypto/sm2.ts';
import { DEMO_ORGS } from '../../src/domain/demo-data.ts';
import { DEMO_CONFIRMATION, DEMO_ISOLATION_EXCEPTION, DEMO_SYSTEMS } from '../../src/domain/demo-systems.ts';
import { provinceOf } from '../../src/domain/system-catalog.ts';
import { systemActor } from '../../src/usecases/actor.ts';
import { createUser } from '../../src/usecases/users.ts';
import { bearer, DEMO_PASSWORD, demoTotp, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let t: DemoApp['t'];
let services: DemoApp['services'];
let app: DemoApp['app'];
let org: DemoApp['org'];
const sessions = new Map<string, Session>();

const MOHRSS_IC = '人力资源和社会保障部信息中心';
const MNR_IC = '自然资源部信息中心';
const FLAGGED = '计量检测数据采集分析系统';
const EXCEPTED = DEMO_ISOLATION_EXCEPTION.systemName;

beforeAll(async () => {
  demo = await openDemoApp();
  ({ t, services, app, org } = demo);
  // A preparer of another department (自然资源部信息中心), besides the demo accounts.
  await createUser(services, systemActor(), {
    username: 'mnrpreparer', displayName: '钱进', password: DEMO_PASSWORD,
    organizationIds: [org.get(MNR_IC)!], roleCodes: ['preparer'],
  });
  for (const u of ['preparer', 'unitlead', 'ndrc', 'mof', 'auditor', 'reviewer', 'admin', 'mnrpreparer']) sessions.set(u, await signIn(app, services, u));
});
afterAll(async () => demo.close());

const as = (username: string) => bearer(sessions.get(username)!);
const get = (username: string, url: string) => app.inject({ method: 'GET', url, headers: as(username) });
const send = (username: string, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, version?: number | null) =>
  app.inject({
    method, url, headers: { ...as(username), ...(version === undefined || version === null ? {} : { 'if-match': `"${version}"` }) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

let counter = 0;
function body(overrides: Record<string, unknown> = {}) {
  return {
    name: `就业创业服务系统 ${++counter}`,
    ownerOrganizationId: org.get(MOHRSS_IC),
    purpose: '就业登记、失业登记和职业培训补贴申领',
    businessArea: '就业服务',
    networkType: 'extranet',
    involvesSecrets: false,
    security: { scheme: 'mlps', mlpsLevel: 3, filingNumber: '11000013001-21009' },
    userCount: 35_000,
    status: 'operating',
    projects: [],
    resources: [],
    ...overrides,
  };
}

/**
 * Rows of the catalog tables and the successful audit events: what "nothing written" is checked
 * against (refusals are audited as denied, which is no change).
 */
async function counts(): Promise<number[]> {
  const tables = ['government_systems', 'government_system_projects', 'government_system_resources', 'isolation_exceptions', 'catalog_confirmations'];
  const out = [];
  for (const table of tables) out.push(Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n));
  out.push(Number((await sql<{ n: string }>`select count(*) as n from audit_events where outcome = 'success'`.execute(t.database.db)).rows[0]!.n));
  return out;
}
const auditOf = async (objectType: string, objectId: string) => (await sql<{ action: string; role: string | null; diff: { before?: Record<string, unknown>; after?: Record<string, unknown> } }>`
  select action, role, diff from audit_events where object_type = ${objectType} and object_id = ${objectId} order by id`.execute(t.database.db)).rows;

type SystemView = { id: string; name: string; version: number; isolatedWithoutException: boolean; isolationException: { approvalDocumentNumber: string } | null } & Record<string, unknown>;
const byName = async (name: string, username = 'ndrc'): Promise<SystemView> => {
  const res = await get(username, `/api/v1/systems?q=${encodeURIComponent(name)}`);
  return (res.json().items as SystemView[]).find((s) => s.name === name)!;
};
/** A fresh TOTP period, so the next code has not been used by this user yet. */
const nextTotp = () => {
  services.clock.now = new Date(services.clock.now.getTime() + 30_000);
  return demoTotp(services.now());
};

async function xlsxRows(res: { rawPayload: Buffer }): Promise<{ header: unknown[]; rows: Array<Record<string, unknown>> }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  const rows = [];
  for (let i = 2; i <= sheet.rowCount; i++) {
    const row = sheet.getRow(i);
    rows.push(Object.fromEntries(header.map((h, j) => [String(h), row.getCell(j + 1).value ?? null])));
  }
  return { header, rows };
}

const orgKey = new Map(DEMO_ORGS.map((o) => [o.key, o]));
/** The demo systems under an organization key (itself and below), from the demo data. */
const demoUnder = (key: string) => DEMO_SYSTEMS.filter((s) => {
  for (let k: string | null = s.ownerKey; k !== null; k = orgKey.get(k)!.parentKey) if (k === key) return true;
  return false;
});
const divisionOf = (key: string): string | null => {
  for (let k: string | null = key; k !== null; k = orgKey.get(k)!.parentKey) if (orgKey.get(k)!.divisionCode) return orgKey.get(k)!.divisionCode;
  return null;
};

describe('国家政务信息系统总目录 (第十二条)', () => {
  it('第十二条: the platform aggregates the departments\' lists by organization subtree, with drill-down', async () => {
    const top = await get('ndrc', '/api/v1/system-catalog/summary');
    expect(top.statusCode, top.body).toBe(200);
    const summary = top.json();
    expect(summary.parent).toBeNull();
    expect(summary.total.systems).toBe(DEMO_SYSTEMS.length);
    const item = (name: string) => summary.items.find((i: { name: string }) => i.name === name);
    for (const key of ['mohrss', 'mnr', 'samr', 'js', 'sc']) {
      expect(item(orgKey.get(key)!.name).counts.systems, key).toBe(demoUnder(key).length);
    }
    // The national view lists every government organization, with or without systems, but no firms.
    expect(item('国家发展和改革委员会').counts.systems).toBe(0);
    expect(item('中国国际工程咨询有限公司')).toBeUndefined();
    expect(item('自然资源部').counts).toMatchObject({ isolated: 1, isolatedWithoutException: 0, operating: 2 });
    expect(item('国家市场监督管理总局').counts).toMatchObject({ isolated: 1, isolatedWithoutException: 1, retired: 1 });
    expect(summary.total.isolatedWithoutException).toBe(1);
    expect(item('江苏省人民政府').hasChildren).toBe(true);

    // Drill into 江苏省人民政府: its own systems (本级) and each child's subtree.
    const js = (await get('ndrc', `/api/v1/system-catalog/summary?parentId=${org.get('江苏省人民政府')}`)).json();
    expect(js.parent).toEqual({ id: org.get('江苏省人民政府'), name: '江苏省人民政府' });
    expect(js.own.systems).toBe(0);
    const pairs = (rows: Array<[string, number]>) => rows.sort(([a], [b]) => (a < b ? -1 : 1));
    expect(pairs(js.items.map((i: { name: string; counts: { systems: number } }) => [i.name, i.counts.systems]))).toEqual(
      pairs(DEMO_ORGS.filter((o) => o.parentKey === 'js').map((o) => [o.name, demoUnder(o.key).length])),
    );
    expect(js.total.systems).toBe(demoUnder('js').length);
    // The counts agree with the list's drill-down filter.
    const listed = (await get('ndrc', `/api/v1/systems?organizationId=${org.get('江苏省人民政府')}`)).json();
    expect(listed.total).toBe(js.total.systems);
    expect((await get('ndrc', '/api/v1/system-catalog/summary?parentId=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    // A unit lead sees its own subtree only; organizations without a visible system are left out.
    const lead = (await get('unitlead', '/api/v1/system-catalog/summary')).json();
    expect(lead.items.map((i: { name: string }) => i.name)).toEqual(['人力资源和社会保障部']);
    expect(lead.total.systems).toBe(demoUnder('mohrss_ic').length);
    const down = (await get('unitlead', `/api/v1/system-catalog/summary?parentId=${org.get('人力资源和社会保障部')}`)).json();
    expect(down.items.map((i: { name: string }) => i.name)).toEqual([MOHRSS_IC]);
    // Another province's tree is not the preparer's to look into.
    expect((await get('preparer', `/api/v1/system-catalog/summary?parentId=${org.get('江苏省人民政府')}`)).statusCode).toBe(404);
  });

  it('第十二条: the platform aggregates the catalog by province (first two digits of the 行政区划代码, inherited from ancestors)', async () => {
    const res = await get('mof', '/api/v1/system-catalog/provinces');
    expect(res.statusCode, res.body).toBe(200);
    const expected = new Map<string, number>();
    for (const s of DEMO_SYSTEMS) {
      const p = provinceOf(divisionOf(s.ownerKey)).code;
      expected.set(p, (expected.get(p) ?? 0) + 1);
    }
    const got = res.json();
    expect(new Map(got.items.map((i: { province: string; counts: { systems: number } }) => [i.province, i.counts.systems]))).toEqual(expected);
    expect(got.items.find((i: { province: string }) => i.province === '32').name).toEqual({ zh: '江苏省', en: 'Jiangsu' });
    expect(got.items.find((i: { province: string }) => i.province === '00').name.zh).toBe('中央本级');
    expect(got.total.systems).toBe(DEMO_SYSTEMS.length);
    // The list filters by the same province.
    for (const [province, n] of expected) {
      expect((await get('mof', `/api/v1/systems?province=${province}`)).json().total, province).toBe(n);
    }
    // The preparer's scope: its own unit's systems, all central.
    expect((await get('preparer', '/api/v1/system-catalog/provinces')).json().items)
      .toEqual([expect.objectContaining({ province: '00', counts: expect.objectContaining({ systems: demoUnder('mohrss_ic').length }) })]);
  });

  it('第二十八条: a 孤网 system without an exception decision is flagged in every representation and list filter', async () => {
    const flagged = await byName(FLAGGED);
    expect(flagged).toMatchObject({ networkType: 'isolated', isolatedWithoutException: true, isolationException: null });
    const excepted = await byName(EXCEPTED);
    expect(excepted).toMatchObject({
      networkType: 'isolated', isolatedWithoutException: false,
      isolationException: { approvalDocumentNumber: DEMO_ISOLATION_EXCEPTION.approvalDocumentNumber, approvedOn: DEMO_ISOLATION_EXCEPTION.approvedOn, decidedByName: '黄勇' },
    });
    expect((await get('ndrc', `/api/v1/systems/${flagged.id}`)).json().isolatedWithoutException).toBe(true);
    const only = (await get('ndrc', '/api/v1/systems?isolatedWithoutException=true')).json();
    expect(only.items.map((s: SystemView) => s.name)).toEqual([FLAGGED]);
    const others = (await get('ndrc', '/api/v1/systems?isolatedWithoutException=false&pageSize=200')).json();
    expect(others.total).toBe(DEMO_SYSTEMS.length - 1);
    expect(others.items.every((s: SystemView) => !s.isolatedWithoutException)).toBe(true);
    // The department list counts it against its owner.
    const samr = (await get('ndrc', `/api/v1/system-catalog/departments/${org.get('国家市场监督管理总局信息中心')}`)).json();
    expect(samr.isolatedWithoutException).toBe(1);
    // And the export marks it.
    const xlsx = await xlsxRows(await get('ndrc', '/api/v1/systems/export?isolatedWithoutException=true'));
    expect(xlsx.rows).toEqual([expect.objectContaining({ 系统名称: FLAGGED, 孤网例外: '未经例外决定（第二十八条）' })]);
  });

  it('第十二条: a preparer registers, edits and removes its unit\'s system with its links; each change is audited', async () => {
    const project = await t.database.db.selectFrom('projects').select(['id', 'code', 'name']).where('name', '=', '全国统一电子证照社保卡应用项目（演示）').executeTakeFirstOrThrow();
    const resource = await t.database.db.selectFrom('information_resources').select(['id', 'code']).where('code', '=', '2-03-001/000001').executeTakeFirstOrThrow();
    const created = await send('preparer', 'POST', '/api/v1/systems', body({
      projects: [{ projectId: project.id, relation: 'upgrade' }], resources: [{ resourceId: resource.id, relation: 'collects' }],
    }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const s = created.json();
    expect(s).toMatchObject({
      ownerOrganizationId: org.get(MOHRSS_IC), ownerOrganizationName: MOHRSS_IC, divisionCode: null, province: { code: '00' },
      security: { scheme: 'mlps', mlpsLevel: 3, filingNumber: '11000013001-21009' }, version: 1, isolatedWithoutException: false,
      projects: [{ projectId: project.id, relation: 'upgrade', projectCode: project.code, projectName: project.name }],
      resources: [{ resourceId: resource.id, relation: 'collects', resourceCode: '2-03-001/000001' }],
      createdBy: sessions.get('preparer')!.userId,
    });
    // The project lists it too.
    expect((await get('reviewer', `/api/v1/projects/${project.id}/systems`)).json().items.map((x: SystemView) => x.id)).toContain(s.id);

    // Edit: onto an isolated network, with a blank 备案编号 while it is rebuilt; the links replaced.
    const edited = await send('preparer', 'PUT', `/api/v1/systems/${s.id}`, body({
      name: s.name, networkType: 'isolated', status: 'under_construction', security: { scheme: 'mlps', mlpsLevel: 3, filingNumber: '  ' },
      projects: [{ projectId: project.id, relation: 'new' }],
    }), 1);
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.json()).toMatchObject({
      version: 2, networkType: 'isolated', isolatedWithoutException: true, security: { filingNumber: null }, resources: [],
      projects: [{ projectId: project.id, relation: 'new' }],
    });
    // The unit lead of the unit edits it too (its subtree).
    const byLead = await send('unitlead', 'PUT', `/api/v1/systems/${s.id}`, body({ name: s.name, userCount: 40_000 }), 2);
    expect(byLead.statusCode, byLead.body).toBe(200);

    const removed = await send('preparer', 'DELETE', `/api/v1/systems/${s.id}`, undefined, 3);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await get('preparer', `/api/v1/systems/${s.id}`)).statusCode).toBe(404);
    expect(await t.database.db.selectFrom('government_system_projects').select('project_id').where('system_id', '=', s.id).execute()).toEqual([]);

    const audit = await auditOf('system', s.id);
    expect(audit.map((e) => e.action)).toEqual(['system.create', 'system.update', 'system.update', 'system.delete']);
    expect(audit.map((e) => e.role)).toEqual(['preparer', 'preparer', 'unit_lead', 'preparer']);
    expect(audit[0]!.diff.after).toMatchObject({ name: s.name, networkType: 'extranet' });
    expect(audit[1]!.diff.before).toMatchObject({ networkType: 'extranet', isolatedWithoutException: false, version: 1 });
    expect(audit[1]!.diff.after).toMatchObject({ networkType: 'isolated', isolatedWithoutException: true, version: 2 });
    expect(audit[1]!.diff.after).not.toHaveProperty('name'); // only what changed
    expect(audit[3]!.diff.before).toMatchObject({ id: s.id, version: 3, userCount: 40_000 });
  });

  it('第十二条: a stale If-Match is refused with 412 and a missing one with 428; a second system of the same name is 409; nothing changes', async () => {
    const s = (await send('preparer', 'POST', '/api/v1/systems', body())).json();
    expect((await send('preparer', 'PUT', `/api/v1/systems/${s.id}`, body({ name: s.name, userCount: 1 }), 1)).statusCode).toBe(200);
    const before = await counts();
    const stale = await send('unitlead', 'PUT', `/api/v1/systems/${s.id}`, body({ name: s.name, userCount: 2 }), 1);
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('conflict.stale');
    expect((await send('preparer', 'DELETE', `/api/v1/systems/${s.id}`, undefined, 1)).statusCode).toBe(412);
    expect((await send('preparer', 'PUT', `/api/v1/systems/${s.id}`, body({ name: s.name }))).statusCode).toBe(428);
    expect((await send('preparer', 'DELETE', `/api/v1/systems/${s.id}`)).statusCode).toBe(428);
    const dup = await send('preparer', 'POST', '/api/v1/systems', body({ name: s.name }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'conflict.duplicate', errors: [{ path: 'name', code: 'duplicate' }] });
    expect(await counts()).toEqual(before);
    const now = await get('preparer', `/api/v1/systems/${s.id}`);
    expect(now.json()).toMatchObject({ userCount: 1, version: 2 });
    expect(now.headers.etag).toBe('"2"');
  });

  it('第十二条: scope — another department\'s preparer gets 404 for reads and writes and 403 registering for others; supervisory bodies read all, change nothing; the 三员 see nothing', async () => {
    const mine = (await send('preparer', 'POST', '/api/v1/systems', body())).json();
    const before = await counts();
    // 自然资源部信息中心's preparer: its own list only.
    const list = (await get('mnrpreparer', '/api/v1/systems?pageSize=200')).json();
    expect(list.items.map((s: SystemView) => s.name).sort()).toEqual(demoUnder('mnr_ic').map((s) => s.name).sort());
    expect((await get('mnrpreparer', `/api/v1/systems/${mine.id}`)).statusCode).toBe(404);
    expect((await get('mnrpreparer', `/api/v1/systems/${mine.id}/isolation-decisions`)).statusCode).toBe(404);
    expect((await send('mnrpreparer', 'PUT', `/api/v1/systems/${mine.id}`, body({ name: mine.name, ownerOrganizationId: org.get(MNR_IC) }), 1)).statusCode).toBe(404);
    expect((await send('mnrpreparer', 'DELETE', `/api/v1/systems/${mine.id}`, undefined, 1)).statusCode).toBe(404);
    const forOthers = await send('mnrpreparer', 'POST', '/api/v1/systems', body());
    expect(forOthers.statusCode).toBe(403);
    expect(forOthers.json().code).toBe('auth.forbidden');
    // Nor may the preparer move its own system to another organization.
    expect((await send('preparer', 'PUT', `/api/v1/systems/${mine.id}`, body({ name: mine.name, ownerOrganizationId: org.get(MNR_IC) }), 1)).statusCode).toBe(403);
    expect((await get('mnrpreparer', `/api/v1/system-catalog/departments/${org.get(MOHRSS_IC)}`)).statusCode).toBe(404);
    expect((await get('mnrpreparer', `/api/v1/system-catalog/departments/${org.get(MOHRSS_IC)}/confirmations`)).statusCode).toBe(404);
    expect((await send('mnrpreparer', 'POST', '/api/v1/system-catalog/confirmations', { organizationId: org.get(MOHRSS_IC) })).statusCode).toBe(403);

    // NDRC, MoF and the auditor read every department's systems; none of them edits.
    for (const u of ['ndrc', 'mof', 'auditor']) {
      expect((await get(u, `/api/v1/systems/${mine.id}`)).statusCode, u).toBe(200);
      expect((await get(u, '/api/v1/systems')).json().total, u).toBe(DEMO_SYSTEMS.length + await extraSystems());
      expect((await send(u, 'POST', '/api/v1/systems', body())).statusCode, u).toBe(403);
      expect((await send(u, 'PUT', `/api/v1/systems/${mine.id}`, body({ name: mine.name }), 1)).statusCode, u).toBe(403);
    }
    // The 三员 are kept out of business data; a reviewer reads systems only through a project.
    for (const u of ['admin', 'reviewer']) {
      expect((await get(u, '/api/v1/systems')).statusCode, u).toBe(403);
      expect((await get(u, '/api/v1/system-catalog/summary')).statusCode, u).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it('第十二条: bad input names every field at fault at once (400, field codes) and writes nothing', async () => {
    const before = await counts();
    const res = await send('preparer', 'POST', '/api/v1/systems', body({
      name: ' ',
      purpose: '',
      networkType: 'lan',
      involvesSecrets: true, // 涉密 but 等级保护: wrong scheme
      security: { scheme: 'mlps', mlpsLevel: 3, filingNumber: '1100001300121001' },
      userCount: -1,
      status: 'running',
      projects: [{ projectId: '00000000-0000-4000-8000-000000000001', relation: 'new' }, { projectId: '00000000-0000-4000-8000-000000000001', relation: 'build' }],
      extra: true,
    }));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const errors = res.json().errors as Array<{ path: string; code: string; message: string }>;
    expect(errors.map((e) => `${e.path}:${e.code}`).sort()).toEqual([
      'extra:unrecognized_key',
      'name:too_small',
      'networkType:invalid_value',
      'projects.1.projectId:system.duplicate_project',
      'projects.1.relation:invalid_value',
      'purpose:too_small',
      'security.filingNumber:system.filing_number_format',
      'security.scheme:system.protection_scheme',
      'status:invalid_value',
      'userCount:too_small',
    ].sort());
    expect(errors.find((e) => e.path === 'security.scheme')!.message).toBe('涉密系统应采用分级保护，非涉密系统应采用等级保护');

    // The rules across fields: 等保 level and its 备案编号, 涉密 networks, one 新建 project.
    const rules = await send('preparer', 'POST', '/api/v1/systems', body({
      networkType: 'internet', involvesSecrets: true, security: { scheme: 'classified', mlpsLevel: 2, filingNumber: '11000013001-21001' },
      projects: [{ projectId: '00000000-0000-4000-8000-000000000001', relation: 'new' }, { projectId: '00000000-0000-4000-8000-000000000002', relation: 'new' }],
    }));
    expect(rules.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual([
      'networkType:system.secret_network',
      'projects.1.relation:system.several_new_projects',
      'security.filingNumber:system.filing_number_not_applicable',
      'security.mlpsLevel:system.mlps_level',
    ]);
    const unfiled = await send('preparer', 'POST', '/api/v1/systems', body({ security: { scheme: 'mlps', mlpsLevel: 2, filingNumber: null } }));
    expect(unfiled.json().errors).toEqual([expect.objectContaining({ path: 'security.filingNumber', code: 'system.filing_number_required' })]);
    const levelOne = await send('preparer', 'POST', '/api/v1/systems', body({ security: { scheme: 'mlps', mlpsLevel: 1, filingNumber: '11000013001' } }));
    expect(levelOne.json().errors).toEqual([expect.objectContaining({ path: 'security.filingNumber', code: 'system.filing_number_not_applicable' })]);

    // References: an owner that does not exist, a firm, projects and resources the caller cannot see.
    const hidden = await t.database.db.selectFrom('projects').select('id').where('name', '=', '人社系统数据中心运维服务项目（演示）').executeTakeFirstOrThrow();
    await sql`update projects set construction_unit_id = ${org.get(MNR_IC)} where id = ${hidden.id}`.execute(t.database.db);
    try {
      const refs = await send('preparer', 'POST', '/api/v1/systems', body({
        projects: [{ projectId: hidden.id, relation: 'upgrade' }, { projectId: '00000000-0000-4000-8000-000000000003', relation: 'upgrade' }],
        resources: [{ resourceId: '00000000-0000-4000-8000-000000000004', relation: 'holds' }],
      }));
      expect(refs.statusCode).toBe(400);
      expect(refs.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).toEqual([
        'projects.0.projectId:unknown_reference', 'projects.1.projectId:unknown_reference', 'resources.0.resourceId:unknown_reference',
      ]);
    } finally {
      await sql`update projects set construction_unit_id = ${org.get(MOHRSS_IC)} where id = ${hidden.id}`.execute(t.database.db);
    }
    const unknownOwner = await send('preparer', 'POST', '/api/v1/systems', body({ ownerOrganizationId: '00000000-0000-4000-8000-000000000005' }));
    expect(unknownOwner.json().errors).toEqual([expect.objectContaining({ path: 'ownerOrganizationId', code: 'unknown_reference' })]);
    const firm = await send('preparer', 'POST', '/api/v1/systems', body({ ownerOrganizationId: org.get('中国国际工程咨询有限公司') }));
    expect(firm.json().errors).toEqual([expect.objectContaining({ path: 'ownerOrganizationId', code: 'system.owner_not_government' })]);
    // English messages on request.
    const en = await app.inject({
      method: 'POST', url: '/api/v1/systems', headers: { ...as('preparer'), 'accept-language': 'en-US' },
      payload: body({ security: { scheme: 'mlps', mlpsLevel: 3, filingNumber: 'A1' } }),
    });
    expect(en.json().errors).toEqual([expect.objectContaining({ path: 'security.filingNumber', message: 'must be 11 digits, optionally followed by “-” and 5 digits (e.g. 11010843001-20001)' })]);
    expect(await counts()).toEqual(before);
  });

  it('第十二条: every list exports to .xlsx with the rows of the list, in the same order', async () => {
    const listed = (await get('auditor', '/api/v1/systems?pageSize=200')).json();
    const systems = await xlsxRows(await get('auditor', '/api/v1/systems/export'));
    expect(systems.header.slice(0, 3)).toEqual(['系统名称', '所属单位', '省份']);
    expect(systems.rows.map((r) => [r['系统名称'], r['所属单位']])).toEqual(listed.items.map((s: SystemView) => [s.name, s.ownerOrganizationName]));
    const filtered = await xlsxRows(await get('auditor', '/api/v1/systems/export?networkType=internet&status=operating'));
    expect(filtered.rows.length).toBe((await get('auditor', '/api/v1/systems?networkType=internet&status=operating')).json().total);
    expect(filtered.rows.every((r) => r['所在网络'] === '互联网' && r['状态'] === '运行')).toBe(true);

    const res = await get('auditor', '/api/v1/system-catalog/summary/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('政务信息系统总目录汇总.xlsx');
    const summary = (await get('auditor', '/api/v1/system-catalog/summary')).json();
    const sheet = await xlsxRows(res);
    expect(sheet.rows.map((r) => [r['单位'], r['系统数']])).toEqual([
      ...summary.items.map((i: { name: string; counts: { systems: number } }) => [i.name, i.counts.systems]), ['合计', summary.total.systems],
    ]);
    const provinces = await xlsxRows(await get('auditor', '/api/v1/system-catalog/provinces/export'));
    expect(provinces.rows.at(-1)).toMatchObject({ 省份: '合计', 系统数: listed.total });
    const departments = (await get('auditor', '/api/v1/system-catalog/departments?pageSize=200')).json();
    const departmentSheet = await xlsxRows(await get('auditor', '/api/v1/system-catalog/departments/export'));
    expect(departmentSheet.rows.map((r) => [r['单位'], r['系统数'], r['逾期未确认']]))
      .toEqual(departments.items.map((d: { name: string; systemCount: number; stale: boolean }) => [d.name, d.systemCount, d.stale ? '是' : '否']));
  });

  it('第二十八条: NDRC records a signed exception with a fresh TOTP code; the SM2 signature verifies; revoking is a signed decision too', async () => {
    const flagged = await byName(FLAGGED);
    const url = `/api/v1/systems/${flagged.id}/isolation-exception`;
    const grant = { reason: '检测设备厂商协议要求检测数据离线处理，确需保留孤网', approvalDocumentNumber: '国函〔2026〕演示2号', approvedOn: '2026-01-05' };
    const before = await counts();
    // No code, a wrong code, an approval dated in the future: refused, nothing written.
    const noCode = await send('ndrc', 'POST', url, grant);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('auth.totp_required');
    const wrong = await send('ndrc', 'POST', url, { ...grant, totp: '000000' === demoTotp(services.now()) ? '111111' : '000000' });
    expect(wrong.json().code).toBe('auth.totp_invalid');
    const future = await send('ndrc', 'POST', url, { ...grant, approvedOn: '2999-01-01', totp: nextTotp() });
    expect(future.json().errors).toEqual([expect.objectContaining({ path: 'approvedOn', code: 'not_in_future' })]);
    // Others may not decide: the unit that owns it, another supervisory body.
    for (const u of ['preparer', 'unitlead', 'mof', 'auditor']) expect((await send(u, 'POST', url, { ...grant, totp: '123456' })).statusCode, u).toBe(403);
    expect(await counts()).toEqual(before);

    const granted = await send('ndrc', 'POST', url, { ...grant, totp: nextTotp() });
    expect(granted.statusCode, granted.body).toBe(201);
    const { decision, system } = granted.json();
    expect(system).toMatchObject({ id: flagged.id, isolatedWithoutException: false, isolationException: { decisionId: decision.id, approvalDocumentNumber: grant.approvalDocumentNumber } });
    expect(decision).toMatchObject({ decision: 'grant', reason: grant.reason, approvedOn: grant.approvedOn, role: 'ndrc', signatureValid: true, revokesId: null });
    const ndrcKey = await t.database.db.selectFrom('users').select('sm2_public_key').where('username', '=', 'ndrc').executeTakeFirstOrThrow();
    expect(decision.publicKey).toBe(ndrcKey.sm2_public_key);
    expect(sm2Verify(decision.payload, decision.signature, decision.publicKey)).toBe(true);
    expect(sm2Verify(decision.payload.replace(grant.reason, '无理由'), decision.signature, decision.publicKey)).toBe(false);
    expect(JSON.parse(decision.payload)).toMatchObject({
      type: 'govproj.isolation-exception.v1', decision: 'grant', systemId: flagged.id, systemName: FLAGGED, networkType: 'isolated',
      reason: grant.reason, approvalDocumentNumber: grant.approvalDocumentNumber, approvedOn: grant.approvedOn, actorUsername: 'ndrc', role: 'ndrc',
    });
    const verified = await send('preparer', 'POST', '/api/v1/signatures/verify', { payload: decision.payload, signature: decision.signature, publicKey: decision.publicKey });
    expect(verified.json()).toEqual({ valid: true });
    expect((await get('ndrc', '/api/v1/systems?isolatedWithoutException=true')).json().total).toBe(0);
    // A second grant while one stands; a grant for a system that is not on an isolated network.
    expect((await send('ndrc', 'POST', url, { ...grant, totp: nextTotp() })).json().code).toBe('system.exception_exists');
    const networked = await byName('国家企业信用信息公示系统');
    expect((await send('ndrc', 'POST', `/api/v1/systems/${networked.id}/isolation-exception`, { ...grant, totp: nextTotp() })).json().code).toBe('system.not_isolated');

    // Revoking: also a fresh code and a signature; the flag is back.
    expect((await send('ndrc', 'POST', `${url}/revoke`, { reason: '厂商协议已变更' })).json().code).toBe('auth.totp_required');
    const revoked = await send('ndrc', 'POST', `${url}/revoke`, { reason: '厂商协议已变更，检测数据可接入电子政务外网共享', totp: nextTotp() });
    expect(revoked.statusCode, revoked.body).toBe(201);
    expect(revoked.json().system.isolatedWithoutException).toBe(true);
    expect(revoked.json().decision).toMatchObject({ decision: 'revoke', revokesId: decision.id, signatureValid: true, approvalDocumentNumber: null });
    expect(JSON.parse(revoked.json().decision.payload)).toMatchObject({ decision: 'revoke', revokes: decision.id });
    expect((await send('ndrc', 'POST', `${url}/revoke`, { reason: '再次撤销', totp: nextTotp() })).json().code).toBe('system.no_exception');

    const history = (await get('preparer', `/api/v1/systems/${flagged.id}/isolation-decisions`));
    expect(history.statusCode).toBe(404); // another unit's system
    const decisions = (await get('auditor', `/api/v1/systems/${flagged.id}/isolation-decisions`)).json().items;
    expect(decisions.map((d: { decision: string; signatureValid: boolean }) => [d.decision, d.signatureValid])).toEqual([['grant', true], ['revoke', true]]);
    expect((await auditOf('system', flagged.id)).map((e) => e.action).slice(-2)).toEqual(['system.isolation_exception.grant', 'system.isolation_exception.revoke']);

    // Decisions are append-only in the database itself, and a system with decisions stays.
    await expect(sql`update isolation_exceptions set reason = 'x' where id = ${decision.id}`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from isolation_exceptions where id = ${decision.id}`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate isolation_exceptions`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('第二十八条: a system with exception decisions cannot be removed (409); it is set to 下线 instead', async () => {
    const excepted = await byName(EXCEPTED);
    // The demo's excepted system belongs to 自然资源部信息中心: its own preparer removes nothing with decisions.
    const res = await send('mnrpreparer', 'DELETE', `/api/v1/systems/${excepted.id}`, undefined, excepted.version);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('system.has_decisions');
    const retired = await send('mnrpreparer', 'PUT', `/api/v1/systems/${excepted.id}`, {
      ...body({ name: excepted.name, ownerOrganizationId: org.get(MNR_IC), networkType: 'isolated', status: 'retired' }),
      purpose: excepted.purpose, businessArea: excepted.businessArea,
    }, excepted.version);
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ status: 'retired', isolatedWithoutException: false });
  });

  it('第十二条: a department confirms its list (who, when, what); a changed list and a confirmation older than catalog.confirmationDays are flagged', async () => {
    const id = org.get(MOHRSS_IC)!;
    const seeded = (await get('unitlead', `/api/v1/system-catalog/departments/${id}`)).json();
    expect(seeded).toMatchObject({
      organizationId: id, stale: false, confirmationDays: 365, lastConfirmation: { byName: '陈静', systemCount: demoUnder('mohrss_ic').length },
    });
    // Systems were added to the list in earlier tests: the confirmation no longer covers it.
    expect(seeded.changedSinceConfirmation).toBe(true);
    // A department that never confirmed is stale.
    const samr = (await get('ndrc', `/api/v1/system-catalog/departments/${org.get('国家市场监督管理总局信息中心')}`)).json();
    expect(samr).toMatchObject({ lastConfirmation: null, stale: true, dueOn: null });

    // Confirming what one saw; a list that changed since is 412 and writes nothing.
    const stale = await send('unitlead', 'POST', '/api/v1/system-catalog/confirmations', { organizationId: id, expectedDigest: '0'.repeat(64) });
    expect(stale.statusCode).toBe(412);
    const confirmed = await send('unitlead', 'POST', '/api/v1/system-catalog/confirmations', { organizationId: id, expectedDigest: seeded.digest, note: '年度核对' });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json()).toMatchObject({
      stale: false, changedSinceConfirmation: false, digest: seeded.digest,
      lastConfirmation: { byName: '陈静', systemCount: seeded.systemCount, by: sessions.get('unitlead')!.userId },
    });
    const history = (await get('mof', `/api/v1/system-catalog/departments/${id}/confirmations`)).json();
    expect(history.items.map((c: { byName: string; note: string; role: string }) => [c.byName, c.note, c.role])).toEqual([
      ['陈静', '年度核对', 'unit_lead'], ['陈静', DEMO_CONFIRMATION.note, 'unit_lead'],
    ]);
    const audit = await auditOf('system_catalog', id);
    expect(audit.at(-1)).toMatchObject({ action: 'catalog.confirm', role: 'unit_lead', diff: { after: { systemCount: seeded.systemCount, digest: seeded.digest } } });
    await expect(sql`update catalog_confirmations set note = 'x'`.execute(t.database.db)).rejects.toThrow(/append-only/);

    // The clock moves forward only (each sign-in uses a later TOTP period); sessions expire on the way.
    const saved = services.clock.now;
    const at = async (days: number) => {
      services.clock.now = new Date(saved.getTime() + days * 86_400_000);
      sessions.set('ndrc', await signIn(app, services, 'ndrc'));
      sessions.set('secadmin', await signIn(app, services, 'secadmin'));
    };
    const status = async (orgId: string) => (await get('ndrc', `/api/v1/system-catalog/departments/${orgId}`)).json();
    try {
      // 300 days on, the list is current: the only department whose list is.
      await at(300);
      expect(await status(id)).toMatchObject({ stale: false, confirmationDays: 365 });
      const current = (await get('ndrc', '/api/v1/system-catalog/departments?stale=false&pageSize=200')).json();
      expect(current.items.map((d: { organizationId: string }) => d.organizationId)).toEqual([id]);
      // 第三十四条: the ministry's own, shorter period (set on the parent organization) applies below it.
      const rule = (value: number | null) => send('secadmin', 'PUT', '/api/v1/rule-settings/catalog.confirmationDays', {
        organizationId: org.get('人力资源和社会保障部'), value, reason: '本部门目录确认周期',
      });
      expect((await rule(200)).statusCode).toBe(200);
      expect(await status(id)).toMatchObject({ stale: true, confirmationDays: 200 });
      expect((await status(org.get(MNR_IC)!)).confirmationDays).toBe(365);
      expect((await rule(null)).statusCode).toBe(200);
      expect((await status(id)).stale).toBe(false);
      // 366 days on, older than the default period: flagged, and listed by stale=true.
      await at(366);
      expect(await status(id)).toMatchObject({ stale: true, confirmationDays: 365 });
      const overdue = (await get('ndrc', '/api/v1/system-catalog/departments?stale=true&pageSize=200')).json();
      expect(overdue.items.map((d: { organizationId: string }) => d.organizationId)).toContain(id);
      expect(overdue.items.every((d: { stale: boolean }) => d.stale)).toBe(true);
      expect(overdue.total).toBe((await get('ndrc', '/api/v1/system-catalog/departments?pageSize=200')).json().total);
    } finally {
      services.clock.now = saved;
    }
  });
});

/** Systems the tests above added to the catalog (beyond the demo's). */
async function extraSystems(): Promise<number> {
  const n = await sql<{ n: string }>`select count(*) as n from government_systems`.execute(t.database.db);
  return Number(n.rows[0]!.n) - DEMO_SYSTEMS.length;
}
