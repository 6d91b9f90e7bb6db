// 第二十九条 资料调阅 through the HTTP stack on both databases, with an injected clock: a supervisory
// body requests materials (deadline from the rule setting, I-90); the unit uploads a file and
// answers; the requester returns the answer as incomplete; the unit answers again (a file, an item
// that does not exist and why); the requester accepts. 403 outside the remit; the auditor reads and
// changes nothing; overdue at the boundary (the deadline day is on time, the next day is overdue);
// a 第三十条 finding from an overdue request (I-92); every refusal writes nothing; append-only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import { buildApp } from '../../src/http/app.ts';
import { fileStoreFor, type LocalFileStore } from '../../src/storage/file-store.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { seedTestDemo, signIn, type DemoApp, type Session } from '../support/fixtures.ts';
import { newMoneyProject, setState } from '../support/money.ts';
import { removeDir, tempDir } from '../support/server-process.ts';

vi.setConfig({ testTimeout: 300_000 });

let t: TestDatabase;
let app: FastifyInstance;
let services: ReturnType<typeof testServices>;
let dataDir: string;
const org = new Map<string, string>();
const s: Record<string, Session> = {};

beforeAll(async () => {
  t = await openTestDatabase();
  dataDir = tempDir('govproj-docreq-');
  services = testServices(t.database, { dataDir });
  services.clock.now = new Date('2026-11-20T02:00:00Z');
  await seedTestDemo(services);
  app = await buildApp(services);
  for (const o of await t.database.db.selectFrom('organizations').select(['id', 'name']).execute()) org.set(o.name, o.id);
  for (const u of ['preparer', 'unitlead', 'approver', 'ndrc', 'mof', 'cac', 'auditor', 'secadmin']) s[u] = await signIn(app, services, u);
}, 600_000);
afterAll(async () => {
  await app?.close();
  await t?.drop();
  if (dataDir) removeDir(dataDir);
});

const db = () => t.database.db;
const demo = () => ({ t, services, app, org, close: async () => {} }) as DemoApp;
const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const post = (who: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: auth(who), payload: payload as object });
const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: auth(who) });

async function setClock(iso: string) {
  services.clock.now = new Date(iso);
  const now = new Date(iso);
  await db().updateTable('sessions').set({ last_seen_at: now, expires_at: new Date(now.getTime() + 8 * 3600_000) }).where('revoked_at', 'is', null).execute();
}

async function footprint() {
  const r = await sql<Record<string, string>>`select
    (select count(*) from document_requests) as requests, (select count(*) from document_request_files) as files,
    (select count(*) from document_request_answers) as answers, (select count(*) from document_request_reviews) as reviews,
    (select count(*) from supervision_findings) as findings,
    (select string_agg(status || due_on::text || version || coalesce(finding_id::text, ''), ',' order by seq) from document_requests) as states,
    (select count(*) from audit_events where outcome = 'success' and action not like 'auth.%') as events`.execute(db());
  return r.rows[0]!;
}

async function refused(request: () => Promise<{ statusCode: number; body: string; json: () => { code: string; detail?: string } }>, status: number, code: string) {
  const before = await footprint();
  const res = await request();
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code).toBe(code);
  expect(await footprint()).toEqual(before);
  return res.json();
}

async function approvedProject(name: string, department?: string): Promise<string> {
  const id = await newMoneyProject(demo(), auth('preparer'), name, '1000.00', department);
  await setState(demo(), id, 'preliminaryDesign', 'approved');
  return id;
}

const request = (projectId: string, extra: Record<string, unknown> = {}) => ({
  projectId, purpose: 'performanceEvaluation', title: '2026 年度绩效评价资料调阅',
  items: ['项目资金支出明细账', '年度绩效自评报告'], ...extra,
});

function uploadFile(who: string, requestId: string, fileName = '资金支出明细.pdf', data = samplePdf()) {
  const boundary = '----govproj' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({ method: 'POST', url: `/api/v1/document-requests/${requestId}/files`, payload, headers: { ...auth(who), 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

describe('第二十九条: document requests', () => {
  it('403 outside the remit, the unit and the auditor cannot request, and nothing is written', async () => {
    const own = await approvedProject('资料调阅权限测试项目');
    const other = await approvedProject('他审批部门的资料调阅项目', '人力资源和社会保障部规划财务司');
    // The approval department: only the projects in its remit (I-66).
    const body = await refused(() => post('approver', '/api/v1/document-requests', request(other)), 403, 'supervision.outside_remit');
    expect(body.detail).toContain('不在数据权限范围内');
    await refused(() => post('preparer', '/api/v1/document-requests', request(own)), 403, 'auth.forbidden');
    // The 审计机关 reads and changes nothing on the platform (I-80, I-91).
    await refused(() => post('auditor', '/api/v1/document-requests', request(own)), 403, 'auth.forbidden');
    await refused(() => post('ndrc', '/api/v1/document-requests', request('00000000-0000-4000-8000-000000000000')), 404, 'resource.not_found');
    // A deadline before today, no item, a blank item, both subjects: 400.
    await refused(() => post('ndrc', '/api/v1/document-requests', request(own, { dueOn: '2026-11-19' })), 400, 'validation.failed');
    await refused(() => post('ndrc', '/api/v1/document-requests', request(own, { items: [] })), 400, 'validation.failed');
    await refused(() => post('ndrc', '/api/v1/document-requests', request(own, { items: ['  '] })), 400, 'validation.failed');
    await refused(() => post('ndrc', '/api/v1/document-requests', request(own, { systemId: own })), 400, 'validation.failed');
    // In the remit: the approval department on its own project, and every supervisory body.
    for (const who of ['approver', 'mof', 'cac']) {
      const ok = await post(who, '/api/v1/document-requests', request(own));
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ requesterRole: who, status: 'open', overdue: false });
    }
    // The requester of another body cannot review; the unit outside another's remit cannot read.
    const list = await get('approver', `/api/v1/document-requests?projectId=${own}`);
    expect(list.json().total).toBe(3);
  });

  it('end to end: request → file → answer → returned as incomplete → answered again → accepted; append-only, audited', async () => {
    await setClock('2026-11-20T02:00:00Z');
    const projectId = await approvedProject('资料调阅全流程项目');
    const created = await post('ndrc', '/api/v1/document-requests', request(projectId));
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json();
    // I-90: the default deadline is documentRequest.responseDays (15) calendar days after today.
    expect(r).toMatchObject({
      status: 'open', requestedOn: '2026-11-20', dueOn: '2026-12-05', purposeName: { zh: '绩效评价' }, overdue: false,
      dueRule: { kind: 'rule', key: 'documentRequest.responseDays', value: 15, source: { kind: 'default' } }, can: { answer: false, review: false },
    });
    const id = r.id as string;

    // The unit sees it (received box, its work); the requester sees it in its sent box.
    expect((await get('preparer', '/api/v1/document-requests?box=received')).json().items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await get('ndrc', '/api/v1/document-requests?box=sent')).json().items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await get('preparer', '/api/v1/document-requests/work')).json().items).toContainEqual(expect.objectContaining({ requestId: id, kind: 'answer' }));
    expect((await get('preparer', `/api/v1/document-requests/${id}`)).json().can).toEqual({ answer: true, review: false, openFinding: false });

    // An answer with nothing in it, or naming an unknown item, is refused; so is one by the requester.
    await refused(() => post('preparer', `/api/v1/document-requests/${id}/answers`, { statement: '随后报送。' }), 422, 'document_request.answer_empty');
    await refused(() => post('preparer', `/api/v1/document-requests/${id}/answers`, { statement: '说明', missingItems: [{ index: 5, reason: '无' }] }), 422, 'document_request.item_unknown');
    await refused(() => post('ndrc', `/api/v1/document-requests/${id}/answers`, { statement: '说明', missingItems: [{ index: 0, reason: '无' }, { index: 1, reason: '无' }] }), 403, 'auth.forbidden');
    // Nothing to review yet.
    await refused(() => post('ndrc', `/api/v1/document-requests/${id}/review`, { result: 'accepted', reasons: '收到' }), 409, 'document_request.not_reviewable');
    // The auditor cannot upload.
    await refused(() => uploadFile('auditor', id), 403, 'auth.forbidden');

    // The unit uploads a file and answers with it.
    const up = await uploadFile('preparer', id);
    expect(up.statusCode, up.body).toBe(201);
    const file1 = up.json();
    expect(file1).toMatchObject({ fileName: '资金支出明细.pdf', mediaType: 'application/pdf', answerId: null });
    const a1 = await post('preparer', `/api/v1/document-requests/${id}/answers`, { statement: '报送资金支出明细账。', fileIds: [file1.id], expectedVersion: 1 });
    expect(a1.statusCode, a1.body).toBe(201);
    expect(a1.json()).toMatchObject({ status: 'answered', version: 2, can: { answer: false } });
    // Answered: nothing more to answer; a stale version is refused.
    await refused(() => post('preparer', `/api/v1/document-requests/${id}/answers`, { statement: '补充', fileIds: [file1.id] }), 409, 'document_request.not_answerable');
    expect((await get('ndrc', '/api/v1/document-requests/work')).json().items).toContainEqual(expect.objectContaining({ requestId: id, kind: 'review' }));
    // Only the requesting body reviews: MoF reads it but is not the requester.
    await refused(() => post('mof', `/api/v1/document-requests/${id}/review`, { result: 'accepted', reasons: '收到' }), 403, 'document_request.not_requester');
    await refused(() => post('ndrc', `/api/v1/document-requests/${id}/review`, { result: 'returned', reasons: '缺绩效自评报告', expectedVersion: 1 }), 412, 'conflict.stale');

    // Returned as incomplete.
    const ret = await post('ndrc', `/api/v1/document-requests/${id}/review`, { result: 'returned', reasons: '未报送年度绩效自评报告，请补充。', expectedVersion: 2 });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json()).toMatchObject({ status: 'returned', dueOn: '2026-12-05', answers: [{ review: { result: 'returned', reasons: '未报送年度绩效自评报告，请补充。' } }] });
    // I-92: a returned request may become a 第三十条 finding (the requester only).
    expect(ret.json()).toMatchObject({ findingAllowed: 'returned', can: { openFinding: true } });

    // The unit answers again: the file of the first answer cannot be submitted twice.
    await refused(() => post('preparer', `/api/v1/document-requests/${id}/answers`, { statement: '补充', fileIds: [file1.id] }), 409, 'document_request.file_used');
    const up2 = await uploadFile('preparer', id, '补充说明.pdf', samplePdf(64));
    expect(up2.statusCode, up2.body).toBe(201);
    const a2 = await post('preparer', `/api/v1/document-requests/${id}/answers`, {
      statement: '补充说明。', fileIds: [up2.json().id], missingItems: [{ index: 1, reason: '本年度自评尚未开展，按计划于 12 月完成。' }],
    });
    expect(a2.statusCode, a2.body).toBe(201);
    expect(a2.json().answers[1]).toMatchObject({ missingItems: [{ index: 1, reason: '本年度自评尚未开展，按计划于 12 月完成。' }], review: null });

    const acc = await post('ndrc', `/api/v1/document-requests/${id}/review`, { result: 'accepted', reasons: '资料齐全。' });
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json()).toMatchObject({ status: 'accepted', overdue: false, findingAllowed: null, can: { answer: false, review: false, openFinding: false } });
    expect(acc.json().files.map((f: { answerId: string }) => f.answerId)).toEqual([acc.json().answers[0].id, acc.json().answers[1].id]);
    expect(acc.json().closedAt).not.toBeNull();

    // The auditor reads it all, and the files download intact.
    const seen = await get('auditor', `/api/v1/document-requests/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ status: 'accepted', can: { answer: false, review: false, openFinding: false } });
    const dl = await get('auditor', `/api/v1/document-requests/${id}/files/${file1.id}/download`);
    expect(dl.statusCode).toBe(200);
    expect(Buffer.compare(dl.rawPayload, samplePdf())).toBe(0);
    // A stored file whose bytes were altered is never served whole (its SM3 is checked on the way out).
    const up3 = await uploadFile('preparer', (await post('ndrc', '/api/v1/document-requests', request(projectId))).json().id, '篡改测试.pdf', samplePdf(99));
    expect(up3.statusCode, up3.body).toBe(201);
    const path = (fileStoreFor(services.config) as LocalFileStore).pathOf(up3.json().sm3);
    const altered = readFileSync(path);
    altered[altered.length - 3]! ^= 0x01;
    writeFileSync(path, altered);
    const requestOf3 = (await db().selectFrom('document_request_files').select('request_id').where('id', '=', up3.json().id).executeTakeFirstOrThrow()).request_id;
    const broken = await get('auditor', `/api/v1/document-requests/${requestOf3}/files/${up3.json().id}/download`)
      .then((res) => ({ status: res.statusCode }), (err: Error) => ({ error: err.message }));
    expect(broken).toEqual({ error: 'response destroyed before completion' });
    // The export lists it.
    const xlsx = await get('ndrc', '/api/v1/document-requests/export?box=sent');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');

    // Answers, reviews and files are append-only.
    await expect(sql`update document_request_answers set statement = 'x' where request_id = ${id}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from document_request_files where request_id = ${id}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`update document_request_reviews set reasons = 'x' where request_id = ${id}`.execute(db())).rejects.toThrow(/append-only/);
    // Every change is in the audit log, and the log verifies.
    const actions = await db().selectFrom('audit_events').select('action').where('object_id', '=', id).where('outcome', '=', 'success').orderBy('seq').execute();
    expect(actions.map((a) => a.action).filter((a) => !a.endsWith('download'))).toEqual([
      'document_request.create', 'document_request.file_upload', 'document_request.answer', 'document_request.return',
      'document_request.file_upload', 'document_request.answer', 'document_request.accept',
    ]);
    expect((await verifyAuditLog(db(), services.keys.checkpoint.publicKey)).status).toBe('intact');
  });

  it('overdue at the boundary: the deadline day is on time, the next day is overdue; then a 第三十条 finding', async () => {
    await setClock('2026-11-20T02:00:00Z');
    const projectId = await approvedProject('资料调阅逾期项目');
    const created = await post('ndrc', '/api/v1/document-requests', request(projectId, { purpose: 'audit', dueOn: '2026-12-01' }));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json().dueRule).toEqual({ kind: 'explicit' });
    const overdueIds = async (who: string) => (await get(who, '/api/v1/document-requests?overdue=true')).json().items.map((x: { id: string }) => x.id);

    // 2026-12-01 23:00 in Shanghai: the last day, on time; no finding yet.
    await setClock('2026-12-01T15:00:00Z');
    expect((await get('ndrc', `/api/v1/document-requests/${id}`)).json()).toMatchObject({ overdue: false, findingAllowed: null });
    expect(await overdueIds('ndrc')).not.toContain(id);
    const finding = { category: 'useOfFunds', title: '逾期未提供调阅资料', description: '建设单位逾期未按要求提供资金支出资料。', requirements: '立即报送并说明原因。', dueOn: '2026-12-20' };
    await refused(() => post('ndrc', `/api/v1/document-requests/${id}/finding`, finding), 409, 'document_request.finding_not_allowed');

    // 2026-12-02 00:30 in Shanghai (still 12-01 in UTC): overdue, for the requester and the unit.
    await setClock('2026-12-01T16:30:00Z');
    expect((await get('ndrc', `/api/v1/document-requests/${id}`)).json()).toMatchObject({ overdue: true, findingAllowed: 'overdue', can: { openFinding: true } });
    expect(await overdueIds('ndrc')).toContain(id);
    expect(await overdueIds('preparer')).toContain(id);
    expect((await get('preparer', '/api/v1/document-requests/work')).json().items).toContainEqual(expect.objectContaining({ requestId: id, kind: 'answer', overdue: true }));

    // Only the requester opens the finding, within its own 职责分工 (CAC: not funds).
    await refused(() => post('mof', `/api/v1/document-requests/${id}/finding`, finding), 403, 'document_request.not_requester');
    await refused(() => post('preparer', `/api/v1/document-requests/${id}/finding`, finding), 403, 'auth.forbidden');
    const opened = await post('ndrc', `/api/v1/document-requests/${id}/finding`, finding);
    expect(opened.statusCode, opened.body).toBe(201);
    const findingId = opened.json().findingId as string;
    expect(findingId).toBeTruthy();
    const order = await db().selectFrom('rectification_orders').select(['status', 'due_on', 'issuer_role']).where('finding_id', '=', findingId).executeTakeFirstOrThrow();
    expect(order).toMatchObject({ status: 'open', issuer_role: 'ndrc' });
    // Once per request.
    await refused(() => post('ndrc', `/api/v1/document-requests/${id}/finding`, finding), 409, 'document_request.finding_not_allowed');

    // A late answer is still taken (and recorded as late); waiting for review is not overdue.
    const late = await post('preparer', `/api/v1/document-requests/${id}/answers`, { statement: '两项资料均未形成。', missingItems: [{ index: 0, reason: '尚未建账' }, { index: 1, reason: '尚未开展' }] });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json()).toMatchObject({ status: 'answered', overdue: false });
    const event = await db().selectFrom('audit_events').select('diff').where('object_id', '=', id).where('action', '=', 'document_request.answer').executeTakeFirstOrThrow();
    expect(JSON.stringify(event.diff)).toContain('"onTime":false');
    // A return with a new deadline: owed again, on time until then.
    const ret = await post('ndrc', `/api/v1/document-requests/${id}/review`, { result: 'returned', reasons: '请说明未建账的原因。', dueOn: '2026-12-10' });
    expect(ret.json()).toMatchObject({ status: 'returned', dueOn: '2026-12-10', overdue: false });
    await refused(() => post('ndrc', `/api/v1/document-requests/${id}/review`, { result: 'accepted', reasons: '好', dueOn: '2026-12-11' }), 400, 'validation.failed');
  });

  it('第三十四条: the default deadline follows the rule setting in force for the unit', async () => {
    await setClock('2026-11-20T02:00:00Z');
    const setting = await app.inject({
      method: 'PUT', url: '/api/v1/rule-settings/documentRequest.responseDays', headers: auth('secadmin'),
      payload: { organizationId: null, value: 7, reason: '从严掌握资料调阅答复期限。' },
    });
    expect(setting.statusCode, setting.body).toBe(200);
    const projectId = await approvedProject('资料调阅规则设置项目');
    const created = await post('cac', '/api/v1/document-requests', request(projectId, { purpose: 'inspection' }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ dueOn: '2026-11-27', dueRule: { value: 7, source: { kind: 'central' } } });
  });
});
