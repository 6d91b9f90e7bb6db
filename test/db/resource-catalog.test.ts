// 第十一条 (信息资源目录是审批政务信息化项目的前提条件) through the HTTP stack on both databases:
// a project's information-resource catalog is registered, edited, removed and exported within
// the project's data scope and only while the project is editable; bad input writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { DEMO_CATALOG, DEMO_CATALOG_PROJECT } from '../../src/domain/demo-catalog.ts';
import { DEMO_OPEN_RESOURCES } from '../../src/domain/demo-spot-checks.ts';
import { catalogSummaryOf } from '../../src/usecases/resource-catalog.ts';
import { signIn, type Session, bearer, openDemoApp, type DemoApp } from '../support/fixtures.ts';

let demo: DemoApp;
let t: DemoApp['t'];
let services: DemoApp['services'];
let app: DemoApp['app'];
let preparer: Session;
let org: DemoApp['org'];

beforeAll(async () => {
  demo = await openDemoApp();
  ({ t, services, app, org } = demo);
  preparer = await signIn(app, services, 'preparer');
});
afterAll(async () => demo.close());

const PROVIDER = '人力资源和社会保障部';

let projectNo = 0;
/** A fresh approval-track project of the preparer's unit, in draft. */
async function newProject(): Promise<{ id: string; code: string }> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/projects', headers: bearer(preparer), payload: {
      name: `信息资源目录测试项目 ${++projectNo}`, constructionUnitId: org.get('人力资源和社会保障部信息中心'),
      approvalDepartmentId: org.get('国家发展和改革委员会创新和高技术发展司'), track: 'approval', kind: 'new',
      constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '1200.00', fundingChannel: 'central_budget',
      security: { scheme: 'mlps', mlpsLevel: 3 },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function body(overrides: Record<string, unknown> = {}) {
  return {
    name: '就业登记信息',
    code: '2-03-002/000001',
    classification: { kind: 'theme', baseCategory: null },
    providerOrganizationId: org.get(PROVIDER),
    format: 'database',
    updateCycle: 'daily',
    sharingType: 'conditional',
    sharingBasis: '依据《就业服务与就业管理规定》，向依法履职需要的政务部门共享',
    openType: 'none',
    openBasis: '含个人信息，不予开放',
    involvesSecrets: false,
    dataItems: [{ name: '社会保障号码', type: 'string' }, { name: '就业登记日期', type: 'date', description: '首次登记' }],
    ...overrides,
  };
}

const post = (projectId: string, payload: unknown, session = preparer) =>
  app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/resources`, headers: bearer(session), payload: payload as object });
const put = (projectId: string, resourceId: string, version: number | null, payload: unknown, session = preparer) =>
  app.inject({
    method: 'PUT', url: `/api/v1/projects/${projectId}/resources/${resourceId}`,
    headers: { ...bearer(session), ...(version === null ? {} : { 'if-match': `"${version}"` }) }, payload: payload as object,
  });
const del = (projectId: string, resourceId: string, version: number | null, session = preparer) =>
  app.inject({
    method: 'DELETE', url: `/api/v1/projects/${projectId}/resources/${resourceId}`,
    headers: { ...bearer(session), ...(version === null ? {} : { 'if-match': `"${version}"` }) },
  });
const list = (projectId: string, session = preparer) =>
  app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/resources`, headers: bearer(session) });

/** Rows of the catalog table and of the audit log: what "nothing written" is checked against. */
async function counts(): Promise<[number, number]> {
  const n = async (table: 'information_resources' | 'audit_events') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);
  return [await n('information_resources'), await n('audit_events')];
}
const auditOf = async (resourceId: string) => (await sql<{ action: string; diff: { before?: Record<string, unknown>; after?: Record<string, unknown> } }>`
  select action, diff from audit_events where object_type = 'information_resource' and object_id = ${resourceId} order by id`.execute(t.database.db)).rows;

describe('信息资源目录 (第十一条)', () => {
  it('第十一条: the demo project has its catalog, and the approve guard reads it through catalogSummaryOf', async () => {
    const project = await t.database.db.selectFrom('projects').select('id').where('name', '=', DEMO_CATALOG_PROJECT).executeTakeFirstOrThrow();
    const res = await list(project.id);
    expect(res.statusCode, res.body).toBe(200);
    const catalog = res.json();
    // The demo catalog and the two resources open to the public (the open-data portal's).
    const seeded = [...DEMO_CATALOG, ...DEMO_OPEN_RESOURCES];
    expect(catalog.items.map((r: { code: string }) => r.code)).toEqual(seeded.map((r) => r.code).sort());
    expect(catalog.summary).toEqual({ resourceCount: seeded.length, resourcesWithoutSharingType: 0 });
    expect(catalog.items[0]).toMatchObject({ projectId: project.id, providerOrganizationName: PROVIDER, version: 1 });
    expect(await catalogSummaryOf(t.database.db, project.id)).toEqual(catalog.summary);
    // A project without resources has no catalog at all (the guard's catalog.missing).
    expect(await catalogSummaryOf(t.database.db, (await newProject()).id)).toBeNull();
  });

  it('第十一条: the preparer registers, edits and removes a resource; each write is audited with before/after', async () => {
    const project = await newProject();
    const created = await post(project.id, body());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const r = created.json();
    expect(r).toMatchObject({
      projectId: project.id, code: '2-03-002/000001', classification: { kind: 'theme', baseCategory: null }, sharingType: 'conditional',
      providerOrganizationName: PROVIDER, version: 1,
      dataItems: [{ name: '社会保障号码', type: 'string', description: null }, { name: '就业登记日期', type: 'date', description: '首次登记' }],
    });
    expect((await list(project.id)).json()).toMatchObject({ total: 1, summary: { resourceCount: 1, resourcesWithoutSharingType: 0 } });

    // Edit: now 无条件共享 (its basis dropped), with a third data item; blank text is stored as null.
    const edited = await put(project.id, r.id, 1, body({
      sharingType: 'unconditional', sharingBasis: '   ', dataItems: [...body().dataItems, { name: '就业状态', type: 'string', description: ' ' }],
    }));
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.json()).toMatchObject({ version: 2, sharingType: 'unconditional', sharingBasis: null });
    expect(edited.json().dataItems[2]).toEqual({ name: '就业状态', type: 'string', description: null });

    const removed = await del(project.id, r.id, 2);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await list(project.id)).json()).toMatchObject({ items: [], total: 0, summary: { resourceCount: 0 } });
    expect(await catalogSummaryOf(t.database.db, project.id)).toBeNull();

    const audit = await auditOf(r.id);
    expect(audit.map((e) => e.action)).toEqual(['information_resource.create', 'information_resource.update', 'information_resource.delete']);
    expect(audit[0]!.diff.after).toMatchObject({ code: '2-03-002/000001', projectId: project.id });
    expect(audit[1]!.diff.before).toMatchObject({ sharingType: 'conditional', version: 1 });
    expect(audit[1]!.diff.after).toMatchObject({ sharingType: 'unconditional', sharingBasis: null, version: 2 });
    expect(audit[1]!.diff.after).not.toHaveProperty('name'); // only what changed
    expect(audit[2]!.diff.before).toMatchObject({ id: r.id, code: '2-03-002/000001', version: 2 });
  });

  it('第十一条: a stale If-Match is refused with 412 and a missing one with 428; nothing changes', async () => {
    const project = await newProject();
    const r = (await post(project.id, body())).json();
    expect((await put(project.id, r.id, 1, body({ name: '就业登记信息（修订）' }))).statusCode).toBe(200);
    const before = await counts();
    const stale = await put(project.id, r.id, 1, body({ name: '过期修改' }));
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('conflict.stale');
    expect((await del(project.id, r.id, 1)).statusCode).toBe(412);
    expect((await put(project.id, r.id, null, body())).statusCode).toBe(428);
    expect((await del(project.id, r.id, null)).statusCode).toBe(428);
    expect(await counts()).toEqual(before);
    expect((await list(project.id)).json().items[0]).toMatchObject({ name: '就业登记信息（修订）', version: 2 });
  });

  it('第十一条: a code is unique within the project (409), not across projects', async () => {
    const [a, b] = [await newProject(), await newProject()];
    expect((await post(a.id, body())).statusCode).toBe(201);
    const before = await counts();
    const dup = await post(a.id, body({ name: '另一项资源' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'conflict.duplicate', errors: [{ path: 'code', code: 'duplicate' }] });
    expect(await counts()).toEqual(before);
    expect((await post(b.id, body())).statusCode).toBe(201);
    // Renaming another resource's code onto an existing one is the same conflict.
    const other = (await post(a.id, body({ code: '2-03-002/000002' }))).json();
    expect((await put(a.id, other.id, 1, body())).statusCode).toBe(409);
  });

  it('第十一条: bad input names every field at fault and writes nothing', async () => {
    const project = await newProject();
    const before = await counts();
    const res = await post(project.id, body({
      name: '  ',
      code: '2-3-002/1',
      classification: { kind: 'base', baseCategory: null },
      format: 'pdf',
      sharingType: 'conditional', sharingBasis: ' \u3000 ',
      openType: 'unconditional', openBasis: null, involvesSecrets: true,
      dataItems: [],
      extra: 1,
    }));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const errors = res.json().errors as Array<{ path: string; code: string; message: string }>;
    const found = errors.map((e) => `${e.path}:${e.code}`).sort();
    expect(found).toEqual([
      'classification.baseCategory:resource.base_category',
      'code:resource.code_format',
      'dataItems:resource.data_items_required',
      'extra:unrecognized_key',
      'format:invalid_value',
      'name:too_small',
      'openType:resource.secret_open',
      'sharingBasis:resource.sharing_basis_required',
    ].sort());
    expect(errors.find((e) => e.path === 'openType')!.message).toBe('涉密信息资源只能为不予开放');

    // 不予共享 without a basis, a 分类码 that contradicts the classification, a data item named twice.
    const second = await post(project.id, body({
      sharingType: 'none', sharingBasis: null, code: '1-05-001/000009',
      dataItems: [{ name: '姓名', type: 'string' }, { name: '姓名', type: 'string' }],
    }));
    expect(second.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual([
      'code:resource.code_classification', 'dataItems.1.name:resource.duplicate_data_item', 'sharingBasis:resource.sharing_basis_required',
    ]);
    // A provider that does not exist.
    const unknown = await post(project.id, body({ providerOrganizationId: '00000000-0000-4000-8000-000000000000' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ path: 'providerOrganizationId', code: 'unknown_reference' })]);
    // English messages on request.
    const en = await app.inject({
      method: 'POST', url: `/api/v1/projects/${project.id}/resources`, headers: { ...bearer(preparer), 'accept-language': 'en-US' },
      payload: body({ dataItems: [] }),
    });
    expect(en.json().errors).toEqual([expect.objectContaining({ path: 'dataItems', message: 'needs at least one data item' })]);
    expect(await counts()).toEqual(before);
  });

  it('第十一条: the catalog is edited only while the project is editable (409 once it is under review)', async () => {
    const project = await newProject();
    const r = (await post(project.id, body())).json();
    await sql`update projects set status = 'under_review' where id = ${project.id}`.execute(t.database.db);
    const before = await counts();
    for (const res of [
      await post(project.id, body({ code: '2-03-002/000002' })),
      await put(project.id, r.id, 1, body({ name: '审核中修改' })),
      await del(project.id, r.id, 1),
    ]) {
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().code).toBe('project.not_editable');
    }
    expect(await counts()).toEqual(before);
    // Still readable while under review.
    expect((await list(project.id)).json().total).toBe(1);
    // 退回修改 makes it editable again.
    await sql`update projects set status = 'returned' where id = ${project.id}`.execute(t.database.db);
    expect((await put(project.id, r.id, 1, body({ name: '退回后修改' }))).statusCode).toBe(200);
  });

  it('第十一条: the catalog has the project\'s visibility: outside the scope it is 404, for reads and writes', async () => {
    const project = await newProject();
    const r = (await post(project.id, body())).json();
    const [reviewer, mof, assessor] = [await signIn(app, services, 'reviewer'), await signIn(app, services, 'mof'), await signIn(app, services, 'assessor')];
    expect((await list(project.id, reviewer)).statusCode).toBe(200); // the approval department
    expect((await list(project.id, mof)).statusCode).toBe(200); // a supervisory body
    expect((await list(project.id, assessor)).statusCode).toBe(404); // nothing assigned to it
    const exported = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/resources/export`, headers: bearer(assessor) });
    expect(exported.statusCode).toBe(404);
    expect(exported.json().code).toBe('resource.not_found');
    // Reading is not editing: the reviewer may not register resources (403 at the route).
    expect((await post(project.id, body({ code: '2-03-002/000003' }), reviewer)).statusCode).toBe(403);

    // The project moves to another unit: for the preparer it no longer exists.
    await sql`update projects set construction_unit_id = ${org.get('自然资源部信息中心')} where id = ${project.id}`.execute(t.database.db);
    const before = await counts();
    expect((await list(project.id)).statusCode).toBe(404);
    expect((await post(project.id, body({ code: '2-03-002/000004' }))).statusCode).toBe(404);
    expect((await put(project.id, r.id, 1, body())).statusCode).toBe(404);
    expect((await del(project.id, r.id, 1)).statusCode).toBe(404);
    const [resources] = await counts();
    expect(resources).toBe(before[0]);
    // A resource is addressed through its own project only.
    const mine = await newProject();
    expect((await put(mine.id, r.id, 1, body())).statusCode).toBe(404);
    expect((await del(mine.id, r.id, 1)).statusCode).toBe(404);
    // A project that does not exist.
    expect((await list('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('第十一条: the Excel export has exactly the rows of the list, in the same order', async () => {
    const project = await newProject();
    await post(project.id, body());
    await post(project.id, body({
      name: '电子证照：就业创业证', code: '1-05-003/000001', classification: { kind: 'base', baseCategory: 'e_certificate' },
      sharingType: 'unconditional', sharingBasis: null,
    }));
    await post(project.id, body({
      name: '人力资源市场供求信息', code: '3-03-027-01/000002', classification: { kind: 'department', baseCategory: null },
      sharingType: 'unconditional', sharingBasis: null, openType: 'unconditional', openBasis: null, format: 'spreadsheet', updateCycle: 'quarterly',
    }));
    const items = (await list(project.id)).json().items as Array<{ code: string; name: string; sharingBasis: string | null; dataItems: Array<{ name: string }> }>;
    expect(items).toHaveLength(3);

    const xlsx = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/resources/export`, headers: bearer(preparer) });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain(`信息资源目录-${project.code}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['信息资源代码', '信息资源名称', '资源分类']);
    const rows = [];
    for (let i = 2; i <= sheet.rowCount; i++) {
      const row = sheet.getRow(i);
      const cell = (name: string) => row.getCell(header.indexOf(name) + 1).value;
      rows.push({ code: cell('信息资源代码'), name: cell('信息资源名称'), sharingBasis: cell('共享条件或依据') ?? null, dataItems: cell('信息项') });
    }
    expect(rows).toEqual(items.map((r) => ({ code: r.code, name: r.name, sharingBasis: r.sharingBasis, dataItems: r.dataItems.map((d) => d.name).join('、') })));
    const kinds = [];
    for (let i = 2; i <= sheet.rowCount; i++) kinds.push(sheet.getRow(i).getCell(3).value);
    expect(kinds).toEqual(['基础信息资源·电子证照', '主题信息资源', '部门信息资源']);
  });
});
