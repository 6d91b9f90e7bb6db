// SPEC §10 materials through the HTTP stack on both databases: every material is a versioned
// file with its SM3 digest (第七条–第九条, 第十一条 checklists), checked by magic bytes, size
// limited, stored on local disk; a refused upload leaves no row, no file and no audit event.
// Multipart bodies are built by hand, byte for byte, as a browser sends them.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { sampleDocx, sampleJpeg, sampleOfd, samplePdf, samplePng, sampleXlsx, zip } from '../../src/domain/test-files.ts';
import { buildApp } from '../../src/http/app.ts';
import { fileStoreFor, type LocalFileStore } from '../../src/storage/file-store.ts';
import { createProject } from '../../src/usecases/projects.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { seedTestDemo, signIn, type Session } from '../support/fixtures.ts';
import { removeDir, tempDir } from '../support/server-process.ts';

const MiB = 1024 * 1024;
let t: TestDatabase;
let dataDir: string;
let services: ReturnType<typeof testServices>;
let app: FastifyInstance;
/** The same installation with GOVPROJ_UPLOAD_LIMIT_MB=1. */
let smallApp: FastifyInstance;
let preparer: Session;
let reviewer: Session;
let assessor: Session;
const org = new Map<string, string>();

beforeAll(async () => {
  t = await openTestDatabase();
  dataDir = tempDir('govproj-materials-');
  services = testServices(t.database, { dataDir });
  await seedTestDemo(services);
  app = await buildApp(services);
  smallApp = await buildApp(testServices(t.database, { dataDir, uploadLimitBytes: 1 * MiB }));
  for (const o of await t.database.db.selectFrom('organizations').select(['id', 'name']).execute()) org.set(o.name, o.id);
  preparer = await signIn(app, services, 'preparer');
  reviewer = await signIn(app, services, 'reviewer');
  assessor = await signIn(app, services, 'assessor');
});
afterAll(async () => {
  await app?.close();
  await smallApp?.close();
  await t?.drop();
  removeDir(dataDir);
});

const bearer = (s: Session) => ({ authorization: `Bearer ${s.token}` });
const sm3 = (data: Uint8Array) => createHash('sm3').update(data).digest('hex');
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface FilePart {
  name: string;
  type: string;
  data: Buffer;
}
type Part = [field: string, value: string] | FilePart;

/** A multipart/form-data body, in the given order of parts. */
function multipart(parts: Part[]) {
  const boundary = `----govprojBoundary${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (Array.isArray(part)) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part[0]}"\r\n\r\n${part[1]}\r\n`));
    } else {
      const quoted = part.name.replace(/["\\]/g, (c) => `\\${c}`);
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted}"\r\nContent-Type: ${part.type}\r\n\r\n`));
      chunks.push(part.data, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(projectId: string, stage: string, materialCode: string, file: FilePart, options: { session?: Session; via?: FastifyInstance; parts?: Part[] } = {}) {
  const body = multipart(options.parts ?? [['stage', stage], ['materialCode', materialCode], file]);
  return (options.via ?? app).inject({
    method: 'POST', url: `/api/v1/projects/${projectId}/materials`,
    headers: { ...bearer(options.session ?? preparer), ...body.headers }, payload: body.payload,
  });
}

const UNIT = '人力资源和社会保障部信息中心';
const DEPARTMENT = '国家发展和改革委员会创新和高技术发展司';

async function newProject(overrides: Record<string, unknown> = {}): Promise<{ id: string; lifecycle: { stage: string } }> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/projects', headers: bearer(preparer),
    payload: {
      name: '材料测试项目', constructionUnitId: org.get(UNIT), approvalDepartmentId: org.get(DEPARTMENT), track: 'approval', kind: 'new',
      constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '1200.00', fundingChannel: 'central_budget',
      security: { scheme: 'mlps', mlpsLevel: 3 }, ...overrides,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function nationalTask(): Promise<string> {
  return (await t.database.db.selectFrom('plan_tasks as t').innerJoin('plans as p', 'p.id', 't.plan_id')
    .select('t.id').where('p.level', '=', 'national').limit(1).executeTakeFirstOrThrow()).id;
}

/** Rows, stored files (staging included) and audit events: what a refused upload must not change. */
async function footprint() {
  const count = async (table: 'project_materials' | 'audit_events') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);
  return { rows: await count('project_materials'), files: storedFiles().length, audit: await count('audit_events') };
}

function storedFiles(dir = join(dataDir, 'files')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? storedFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('materials (SPEC §10)', () => {
  it('SPEC §10 / 第七条: PDF, DOCX, PNG, OFD, XLSX, JPEG and ZIP upload with the SM3 of their bytes, stored on disk', async () => {
    const project = await newProject({ planTaskId: await nationalTask(), newCivilConstruction: true });
    expect(project.lifecycle.stage).toBe('feasibilityStudy');
    const cases: Array<[code: string, file: FilePart, mediaType: string]> = [
      ['feasibilityStudy', { name: '可行性研究报告.docx', type: DOCX, data: sampleDocx() }, DOCX],
      ['sharingAnalysis', { name: '信息资源共享分析篇.pdf', type: 'application/pdf', data: samplePdf() }, 'application/pdf'],
      ['energyReview', { name: '节能审查意见.png', type: 'image/png', data: samplePng() }, 'image/png'],
      ['siteSelection', { name: '规划选址意见.ofd', type: 'application/octet-stream', data: sampleOfd() }, 'application/ofd'],
      ['landPreReview', { name: '用地预审意见.JPG', type: 'image/jpeg', data: sampleJpeg() }, 'image/jpeg'],
      ['environmentalImpactAssessment', { name: '环评批复附件.zip', type: 'application/x-zip-compressed', data: zip([['批复.txt', '同意']]) }, 'application/zip'],
    ];
    for (const [code, file, mediaType] of cases) {
      const res = await upload(project.id, 'feasibilityStudy', code, file);
      expect(res.statusCode, res.body).toBe(201);
      const m = res.json();
      expect(m).toMatchObject({
        projectId: project.id, stage: 'feasibilityStudy', materialCode: code, versionNo: 1, latest: true, fileName: file.name,
        mediaType, sizeBytes: file.data.length, sm3: sm3(file.data), uploadedBy: { displayName: '刘洋' },
      });
      expect(await fileStoreFor(services.config).exists(m.sm3)).toBe(true);
      const row = await t.database.db.selectFrom('project_materials').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
      expect({ sm3: row.sm3, key: row.storage_key, size: row.size_bytes, media: row.media_type }).toEqual({ sm3: m.sm3, key: m.sm3, size: String(file.data.length), media: mediaType });
    }
    // XLSX as the next version of the feasibility study.
    const xlsx = await upload(project.id, 'feasibilityStudy', 'feasibilityStudy', { name: '投资估算表.xlsx', type: XLSX, data: sampleXlsx() });
    expect(xlsx.json()).toMatchObject({ versionNo: 2, mediaType: XLSX });

    // Each upload wrote its audit event on the project, with the digest.
    const audit = await t.database.db.selectFrom('audit_events').select(['action', 'diff', 'outcome']).where('object_type', '=', 'project')
      .where('object_id', '=', project.id).where('action', '=', 'material.upload').orderBy('id').execute();
    expect(audit).toHaveLength(7);
    expect(audit[0]).toMatchObject({ outcome: 'success', diff: { after: { materialCode: 'feasibilityStudy', stage: 'feasibilityStudy', versionNo: 1, sm3: sm3(sampleDocx()), sizeBytes: sampleDocx().length } } });
    expect((await verifyAuditLog(t.database.db, services.keys.checkpoint.publicKey)).status).toBe('intact');
  });

  it('SPEC §10: versions 1, 2 of the same material are both kept; the list is newest first', async () => {
    const project = await newProject();
    const v1 = samplePdf(10);
    const v2 = samplePdf(20);
    expect((await upload(project.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data: v1 })).json().versionNo).toBe(1);
    expect((await upload(project.id, 'proposal', 'proposal', { name: '项目建议书（修改稿）.pdf', type: 'application/pdf', data: v2 })).json().versionNo).toBe(2);
    const list = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials`, headers: bearer(preparer) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { versionNo: number; latest: boolean; sm3: string; materialName: { zh: string } }) => [m.versionNo, m.latest, m.sm3, m.materialName.zh]))
      .toEqual([[2, true, sm3(v2), '项目建议书'], [1, false, sm3(v1), '项目建议书']]);
    // The approval department reads them too; a unit outside the project does not see it.
    expect((await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials`, headers: bearer(reviewer) })).json().items).toHaveLength(2);
    expect((await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials`, headers: bearer(assessor) })).statusCode).toBe(404);
    // Append-only in the database itself.
    await expect(sql`update project_materials set file_name = 'x.pdf' where project_id = ${project.id}`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from project_materials where project_id = ${project.id}`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('SPEC §10: download returns the identical bytes under a safe Content-Disposition, and is audited', async () => {
    const project = await newProject();
    const data = samplePdf(5000);
    const name = '可研报告"; rm -rf.pdf';
    const m = (await upload(project.id, 'proposal', 'proposal', { name, type: 'application/pdf', data })).json();
    expect(m.fileName).toBe(name);
    const res = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials/${m.id}/download`, headers: bearer(reviewer) });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(data)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-length']).toBe(String(data.length));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toBe(`attachment; filename="______ rm -rf.pdf"; filename*=UTF-8''${encodeURIComponent(name).replace(/'/g, '%27')}`);
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(disposition.match(/"/g)).toHaveLength(2);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(name);
    const audit = await t.database.db.selectFrom('audit_events').select(['actor_username', 'outcome', 'diff']).where('action', '=', 'material.download')
      .where('object_id', '=', project.id).execute();
    expect(audit).toEqual([{ actor_username: 'reviewer', outcome: 'success', diff: { after: expect.objectContaining({ materialId: m.id, sm3: sm3(data) }) } }]);
    // Outside the scope: 404, for the list and the file alike.
    expect((await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials/${m.id}/download`, headers: bearer(assessor) })).statusCode).toBe(404);
  });

  it('SPEC §10: a .pdf whose bytes are PNG is refused 415 and nothing is stored', async () => {
    const project = await newProject();
    const before = await footprint();
    const res = await upload(project.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data: samplePng() });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'material.type_mismatch', title: '文件内容为 PNG，与声明的类型（.pdf）不符，已拒绝' });
    expect(await footprint()).toEqual(before);
    // The other refusals of the type check leave nothing either.
    const refused: Array<[FilePart, string]> = [
      [{ name: '报告.pdf', type: 'image/png', data: samplePdf() }, 'material.type_mismatch'], // Content-Type says otherwise
      [{ name: '报告.zip', type: 'application/zip', data: sampleDocx() }, 'material.type_mismatch'], // a DOCX is not a .zip
      [{ name: '报告.docx', type: DOCX, data: zip([['a.txt', 'a']]) }, 'material.type_mismatch'], // a ZIP is not a DOCX
      [{ name: '报告.pdf', type: 'application/pdf', data: Buffer.from('<html><script>alert(1)</script></html>') }, 'material.type_unsupported'],
      [{ name: 'setup.exe', type: 'application/octet-stream', data: Buffer.from('MZ\x90\x00', 'latin1') }, 'material.type_unsupported'],
    ];
    for (const [file, code] of refused) {
      const r = await upload(project.id, 'proposal', 'proposal', file);
      expect([r.statusCode, r.json().code], file.name).toEqual([415, code]);
    }
    const empty = await upload(project.id, 'proposal', 'proposal', { name: '空.pdf', type: 'application/pdf', data: Buffer.alloc(0) });
    expect([empty.statusCode, empty.json().errors]).toEqual([400, [expect.objectContaining({ path: 'file', code: 'material.file_empty' })]]);
    expect(await footprint()).toEqual(before);
  });

  it('SPEC §1: a project outside the preparer’s scope is 404; a role without project:update is 403', async () => {
    const admin = await t.database.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const otherUnit = org.get('自然资源部信息中心')!;
    const other = await createProject(services, {
      userId: admin.id, username: 'other-preparer', displayName: '他单位经办人', organizationIds: [otherUnit],
      roles: [{ role: 'preparer', customOrganizationIds: [] }], sessionId: null, requestId: null, clientAddress: 'test',
    }, {
      name: '他单位项目', constructionUnitId: otherUnit, approvalDepartmentId: org.get(DEPARTMENT)!, track: 'approval', kind: 'new',
      planTaskId: null, involvesSecrets: false, crossDepartment: null, constructionStart: '2026-01-01', constructionEnd: '2026-12-31',
      totalInvestment: '100.00', oAndMFunds: '0', fundingChannel: 'central_budget', performanceIndicators: [], systems: [],
      security: { scheme: 'mlps', mlpsLevel: 2, cryptoPlan: 'none', cryptoAssessment: 'not_started' },
      newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
    });
    const before = await footprint();
    const res = await upload(other.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data: samplePdf() });
    expect([res.statusCode, res.json().code]).toEqual([404, 'resource.not_found']);
    const denied = await upload(other.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data: samplePdf() }, { session: reviewer });
    expect([denied.statusCode, denied.json().code]).toEqual([403, 'auth.forbidden']);
    const after = await footprint();
    // Only the two refusals were logged (SPEC §1: denials are audited); nothing was stored.
    expect(after).toEqual({ ...before, audit: before.audit + 2 });
  });

  it('第七条: materials change only while the stage is a draft or returned, and only for the current stage (409)', async () => {
    const project = await newProject();
    const pdf = { name: '项目建议书.pdf', type: 'application/pdf', data: samplePdf() };
    const wrongStage = await upload(project.id, 'feasibilityStudy', 'feasibilityStudy', pdf);
    expect([wrongStage.statusCode, wrongStage.json().code]).toEqual([409, 'material.stage_not_current']);
    const wrongCode = await upload(project.id, 'proposal', 'budgetEstimate', pdf);
    expect([wrongCode.statusCode, wrongCode.json().errors]).toEqual([400, [expect.objectContaining({ path: 'materialCode', code: 'material.code_not_in_stage' })]]);
    await sql`update projects set status = 'under_review' where id = ${project.id}`.execute(t.database.db);
    const before = await footprint();
    const res = await upload(project.id, 'proposal', 'proposal', pdf);
    expect([res.statusCode, res.json().code]).toEqual([409, 'project.not_editable']);
    expect(await footprint()).toEqual(before);
    // 退回修改: editable again.
    await sql`update projects set status = 'returned' where id = ${project.id}`.execute(t.database.db);
    expect((await upload(project.id, 'proposal', 'proposal', pdf)).statusCode).toBe(201);
  });

  it('SPEC §10: an upload over the configured limit is refused 413 and nothing is stored', async () => {
    const project = await newProject();
    const before = await footprint();
    const big = samplePdf(1.5 * MiB);
    const res = await upload(project.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data: big }, { via: smallApp });
    expect([res.statusCode, res.json().code]).toEqual([413, 'validation.body_too_large']);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await footprint()).toEqual(before);
    // Just under the limit passes on the same installation.
    const fits = await upload(project.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data: samplePdf(MiB - 1000) }, { via: smallApp });
    expect(fits.statusCode, fits.body).toBe(201);
  });

  it('SPEC §10: malformed requests get a clean 4xx and store nothing', async () => {
    const project = await newProject();
    const pdf: FilePart = { name: '项目建议书.pdf', type: 'application/pdf', data: samplePdf() };
    const before = await footprint();
    const json = await app.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/materials`, headers: bearer(preparer), payload: {} });
    expect([json.statusCode, json.json().code]).toEqual([415, 'validation.unsupported_media_type']);
    const cases: Array<[Part[], number, string]> = [
      [[['stage', 'proposal'], ['materialCode', 'proposal']], 400, 'file'], // no file
      [[['stage', 'proposal'], pdf], 400, 'materialCode'], // a field missing
      [[['stage', 'proposal'], ['materialCode', 'proposal'], ['extra', 'x'], pdf], 400, 'extra'], // an unknown field
      [[['stage', 'proposal'], pdf, ['materialCode', 'proposal']], 400, 'materialCode'], // the field after the file
      [[['stage', 'proposal'], ['materialCode', 'proposal'], pdf, ['note', 'x']], 400, 'file'], // something after the file
      [[['stage', 'proposal'], ['materialCode', 'proposal'], pdf, pdf], 400, 'file'], // two files
      [[['stage', 'nonsense'], ['materialCode', 'proposal'], pdf], 400, 'stage'],
    ];
    for (const [parts, status, path] of cases) {
      const res = await upload(project.id, '', '', pdf, { parts });
      expect([res.statusCode, res.json().errors?.map((e: { path: string }) => e.path)], JSON.stringify(parts.map((p) => (Array.isArray(p) ? p[0] : 'file'))))
        .toEqual([status, [path]]);
    }
    // A body cut off in the middle of the file.
    const body = multipart([['stage', 'proposal'], ['materialCode', 'proposal'], pdf]);
    const cut = await app.inject({
      method: 'POST', url: `/api/v1/projects/${project.id}/materials`, headers: { ...bearer(preparer), ...body.headers },
      payload: body.payload.subarray(0, body.payload.length - 60),
    });
    expect(cut.statusCode).toBe(400);
    expect(await footprint()).toEqual(before);
  });

  it('SPEC §10: a material whose stored file is missing (404 problem) or altered (broken off) is not served', async () => {
    const project = await newProject();
    const data = samplePdf(77);
    const m = (await upload(project.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data })).json();
    rmSync((fileStoreFor(services.config) as LocalFileStore).pathOf(m.sm3));
    const res = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials/${m.id}/download`, headers: bearer(preparer) });
    expect([res.statusCode, res.json().code]).toEqual([404, 'material.file_missing']);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Altered bytes of the same size: the download is broken off, never completed.
    const m2 = (await upload(project.id, 'proposal', 'proposal', { name: '项目建议书.pdf', type: 'application/pdf', data: samplePdf(78) })).json();
    const path = (fileStoreFor(services.config) as LocalFileStore).pathOf(m2.sm3);
    const altered = readFileSync(path);
    altered[altered.length - 3]! ^= 0x01;
    writeFileSync(path, altered);
    const broken = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials/${m2.id}/download`, headers: bearer(preparer) })
      .then((r) => ({ status: r.statusCode, complete: r.rawPayload.equals(altered) }), (err: Error) => ({ error: err.message }));
    expect(broken).toEqual({ error: 'response destroyed before completion' });
    const unknown = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/materials/00000000-0000-4000-8000-000000000000/download`, headers: bearer(preparer) });
    expect(unknown.statusCode).toBe(404);
  });
});
