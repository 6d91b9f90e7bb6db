// 批量导入 (SPEC §5; 第十一条 信息资源目录, 第十二条 政务信息系统目录) through the HTTP stack on both
// databases: the template; every bad cell reported by row and column before anything is written;
// all-or-nothing writes nothing with one bad row, valid-rows writes the good ones; duplicates in the
// file and against the database; unknown and out-of-scope organizations; a file that is not an
// .xlsx refused (415); missing columns listed; the report as .xlsx; a large file as a background task.
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_DEFINITIONS } from '../../src/domain/imports/kinds.ts';
import { platformJobs } from '../../src/jobs/definitions.ts';
import { startJobs, type JobRunner } from '../../src/jobs/runner.ts';
import { getImport, startImport } from '../../src/usecases/imports.ts';
import { bearer, demoActor, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};
const MOHRSS_IC = '人力资源和社会保障部信息中心';
const MNR_IC = '自然资源部信息中心';

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'reviewer']) s[u] = await signIn(demo.app, demo.services, u);
});
afterAll(async () => demo.close());

const SYSTEM_HEADERS = IMPORT_DEFINITIONS.systems.columns.map((c) => c.header);
const RESOURCE_HEADERS = IMPORT_DEFINITIONS.resources.columns.map((c) => c.header);

let seq = 0;
/** A valid system row (template order). */
const systemRow = (over: Record<number, unknown> = {}) => {
  const row: unknown[] = [`导入测试系统 ${++seq}`, MOHRSS_IC, '就业登记和失业登记', '就业服务', '电子政务外网', '否', '等级保护', 3, '11000013001-21009', 35000, '运行'];
  for (const [i, v] of Object.entries(over)) row[Number(i)] = v;
  return row;
};

async function xlsx(headers: string[], rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('数据');
  sheet.addRow(headers);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(content: Buffer, fileName = '导入.xlsx', type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') {
  const boundary = `----govprojBoundary${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(fileName)}"\r\nContent-Type: ${type}\r\n\r\n`),
    content, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (kind: string, content: Buffer, query = 'mode=all-or-nothing', who = 'preparer') => {
  const body = multipart(content);
  return demo.app.inject({ method: 'POST', url: `/api/v1/imports/${kind}?${query}`, headers: { ...bearer(s[who]!), ...body.headers }, payload: body.payload });
};
const count = async (table: 'government_systems' | 'information_resources') =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(demo.t.database.db)).rows[0]!.n);

type Problem = { row: number; column: string | null; header: string | null; value: string | null; code: string; message: { zh: string } };

describe('批量导入 (SPEC §5, 第十一条, 第十二条)', () => {
  it('the template has the headers, an example row, drop-downs and a 说明 sheet; only those who may import get it', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/api/v1/imports/systems/template', headers: bearer(s.preparer!) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const data = wb.worksheets[0]!;
    expect((data.getRow(1).values as unknown[]).slice(1).map((v) => String(v).replace(/^\*/, ''))).toEqual(SYSTEM_HEADERS);
    expect(data.getRow(2).getCell(1).value).toBe('社会保险公共服务平台');
    expect(wb.getWorksheet('说明')!.rowCount).toBeGreaterThan(SYSTEM_HEADERS.length);
    const resources = await demo.app.inject({ method: 'GET', url: '/api/v1/imports/resources/template', headers: bearer(s.preparer!) });
    expect(resources.statusCode).toBe(200);
    // A reviewer neither manages a catalog nor edits projects.
    expect((await demo.app.inject({ method: 'GET', url: '/api/v1/imports/systems/template', headers: bearer(s.reviewer!) })).statusCode).toBe(403);
  });

  it('第十二条: all-or-nothing with one bad row reports that row\'s cell and writes nothing; valid-rows writes the good rows', async () => {
    const file = await xlsx(SYSTEM_HEADERS, [systemRow(), systemRow({ 4: '政务云' }), systemRow()]);
    const before = await count('government_systems');
    const res = await upload('systems', file);
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json().report;
    expect(report).toMatchObject({ status: 'succeeded', outcome: 'nothing_written', totalRows: 3, validRows: 2, writtenRows: 0, problemCount: 1 });
    expect(report.problems).toEqual([expect.objectContaining({ row: 3, column: 'E', header: '所在网络', value: '政务云', code: 'import.invalid_option' })]);
    expect(report.problems[0].message.zh).toContain('不是允许的取值');
    expect(await count('government_systems')).toBe(before);

    const partial = await upload('systems', await xlsx(SYSTEM_HEADERS, [systemRow(), systemRow({ 4: '政务云' }), systemRow()]), 'mode=valid-rows');
    expect(partial.json().report).toMatchObject({ outcome: 'partly_written', writtenRows: 2, problemCount: 1 });
    expect(await count('government_systems')).toBe(before + 2);
    // One audit event for the batch, with its row count and the new ids.
    const events = (await sql<{ action: string; diff: { after: { rows: number; ids: string[] } } }>`
      select action, diff from audit_events where object_type = 'import' and object_id = ${partial.json().report.id}`.execute(demo.t.database.db)).rows;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'system.import', diff: { after: { rows: 2 } } });
    expect(events[0]!.diff.after.ids).toHaveLength(2);
  });

  it('every bad cell is reported: types, options, the catalog\'s own rules, duplicates in the file and in the database, organizations', async () => {
    const existing = systemRow();
    expect((await upload('systems', await xlsx(SYSTEM_HEADERS, [existing]))).json().report.outcome).toBe('written');
    const dup = systemRow();
    const rows = [
      systemRow({ 5: '也许', 9: '很多' }), // row 2: boolean, integer
      systemRow({ 7: null, 8: null }), // row 3: 等级保护 without a level (systemProblems)
      dup, // row 4
      [...dup], // row 5: the same owner and name again
      [...existing], // row 6: already stored
      systemRow({ 1: '不存在的单位' }), // row 7
      systemRow({ 1: MNR_IC }), // row 8: another department's list
      systemRow({ 1: '91110000100000000X' }), // row 9: no such credit code
      systemRow({ 0: '' }), // row 10: required
    ];
    const res = await upload('systems', await xlsx(SYSTEM_HEADERS, rows), 'mode=valid-rows&dryRun=true');
    const report = res.json().report;
    const got = report.problems.map((p: Problem) => [p.row, p.column, p.code]);
    expect(got).toEqual([
      [2, 'F', 'import.not_boolean'], [2, 'J', 'import.not_integer'],
      [3, 'H', 'system.mlps_level'],
      [5, 'A', 'import.duplicate_in_file'],
      [6, 'A', 'import.duplicate_existing'],
      [7, 'B', 'import.unknown_organization'],
      [8, 'B', 'import.out_of_scope'],
      [9, 'B', 'import.unknown_organization'],
      [10, 'A', 'required'],
    ]);
    expect(report.problems.find((p: Problem) => p.row === 5).message.zh).toBe('与第 4 行重复');
    // A dry run writes nothing, even the valid rows.
    expect(report).toMatchObject({ outcome: 'dry_run', writtenRows: 0, validRows: 1 });
  });

  it('a file that is not an .xlsx is refused (415) whatever its name; missing columns are listed and nothing is read', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const refused = await upload('systems', pdf);
    expect(refused.statusCode, refused.body).toBe(415);
    expect(refused.json().code).toBe('import.not_xlsx');
    const csv = await upload('systems', Buffer.from(SYSTEM_HEADERS.join(',') + '\n'));
    expect(csv.statusCode).toBe(415);

    const before = await count('government_systems');
    const missing = await upload('systems', await xlsx(SYSTEM_HEADERS.filter((h) => h !== '所在网络' && h !== '用户规模'), [systemRow().slice(0, 9)]));
    const report = missing.json().report;
    expect(report.outcome).toBe('nothing_written');
    expect(report.problems.map((p: Problem) => [p.row, p.header, p.code])).toEqual([
      [1, '所在网络', 'import.missing_column'], [1, '用户规模', 'import.missing_column'],
    ]);
    expect(await count('government_systems')).toBe(before);
  });

  it('headers are matched tolerantly (spaces, full-width, a required marker), and columns may come in any order', async () => {
    const headers = SYSTEM_HEADERS.map((h, i) => (i === 0 ? '* 系 统 名 称' : i === 2 ? '建设目的／主要功能' : h));
    const row = systemRow();
    const res = await upload('systems', await xlsx([...headers].reverse(), [[...row].reverse()]));
    expect(res.json().report).toMatchObject({ outcome: 'written', writtenRows: 1 });
  });

  it('第十一条: resources name their project by 项目代码; only editable projects in scope; codes unique per project', async () => {
    const created = await demo.app.inject({
      method: 'POST', url: '/api/v1/projects', headers: bearer(s.preparer!), payload: {
        name: '信息资源导入测试项目', constructionUnitId: demo.org.get(MOHRSS_IC),
        approvalDepartmentId: demo.org.get('国家发展和改革委员会创新和高技术发展司'), track: 'approval', kind: 'new',
        constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '1200.00', fundingChannel: 'central_budget',
        security: { scheme: 'mlps', mlpsLevel: 3 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const project = created.json() as { id: string; code: string };
    const submitted = await demo.t.database.db.selectFrom('projects').select('code').where('status', '<>', 'draft')
      .where('construction_unit_id', '=', demo.org.get(MOHRSS_IC)!).executeTakeFirst();
    const row = (code: string, over: Record<number, unknown> = {}) => {
      const r: unknown[] = [project.code, code, '就业登记信息', '主题信息资源', null, '人力资源和社会保障部', '数据库', '每日', '有条件共享',
        '向依法履职需要的政务部门共享', '不予开放', '含个人信息', '否', '社会保障号码:字符型；就业登记日期:日期型:首次登记'];
      for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
      return r;
    };
    const good = await upload('resources', await xlsx(RESOURCE_HEADERS, [row('2-03-002/000001'), row('2-03-002/000002')]));
    expect(good.json().report, good.body).toMatchObject({ outcome: 'written', writtenRows: 2 });
    const items = (await demo.app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/resources`, headers: bearer(s.preparer!) })).json().items;
    expect(items[1]).toMatchObject({ code: '2-03-002/000002', sharingType: 'conditional', dataItems: [
      { name: '社会保障号码', type: 'string', description: null }, { name: '就业登记日期', type: 'date', description: '首次登记' }] });

    const bad = await upload('resources', await xlsx(RESOURCE_HEADERS, [
      row('2-03-002/000001'), // stored already
      row('2-03-002/000003', { 0: '2026-999999-99-99-999999' }),
      row('1-01-001/000001'), // 基础 code under 主题 classification
      row('2-03-002/000004', { 13: '姓名' }),
      ...(submitted ? [row('2-03-002/000005', { 0: submitted.code })] : []),
    ]));
    expect(bad.json().report.problems.map((p: Problem) => [p.row, p.header, p.code])).toEqual([
      [2, '信息资源代码', 'import.duplicate_existing'],
      [3, '项目代码', 'import.unknown_project'],
      [4, '信息资源代码', 'resource.code_classification'],
      [5, '信息项', 'import.bad_data_items'],
      ...(submitted ? [[6, '项目代码', 'import.project_not_editable']] : []),
    ]);
    expect(items).toHaveLength(2);
  });

  it('the report downloads as .xlsx: the uploaded rows with a 问题 column, and a 问题清单 sheet', async () => {
    const res = await upload('systems', await xlsx(SYSTEM_HEADERS, [systemRow(), systemRow({ 4: '政务云' })]));
    const id = res.json().report.id;
    const file = await demo.app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report.xlsx`, headers: bearer(s.preparer!) });
    expect(file.statusCode, file.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const data = wb.worksheets[0]!;
    expect(data.getRow(1).getCell(SYSTEM_HEADERS.length + 1).value).toBe('问题');
    expect(data.getRow(2).getCell(SYSTEM_HEADERS.length + 1).value).toBeNull();
    expect(String(data.getRow(3).getCell(SYSTEM_HEADERS.length + 1).value)).toContain('E列“所在网络”：不是允许的取值');
    expect(data.getRow(3).getCell(5).value).toBe('政务云');
    expect(wb.getWorksheet('问题清单')!.getRow(2).values).toEqual(expect.arrayContaining([3, 'E', '所在网络', '政务云']));
    // Another user's import is not found.
    expect((await demo.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: bearer(s.reviewer!) })).statusCode).toBe(404);
    expect((await demo.app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report.xlsx`, headers: bearer(s.reviewer!) })).statusCode).toBe(404);
  });

  describe('as a background task', () => {
    let runner: JobRunner;
    beforeAll(async () => {
      runner = await startJobs(demo.services, platformJobs(demo.services.config), { debug: () => {}, warn: () => {} });
      demo.services.jobs = runner;
    });
    afterAll(async () => {
      delete demo.services.jobs;
      await runner?.stop(5_000);
    });

    it('a large file runs on the job runner with progress, then its report reads as for a small one', async () => {
      const actor = await demoActor(demo.services, 'preparer');
      const content = await xlsx(SYSTEM_HEADERS, Array.from({ length: 1200 }, () => systemRow()));
      const before = await count('government_systems');
      const { job, report } = await startImport(demo.services, actor, {
        kind: 'systems', mode: 'all-or-nothing', dryRun: false, fileName: 'big.xlsx', content: (await import('node:stream')).Readable.from([content]),
      }, { inlineBytes: 0 });
      expect(report).toBeNull();
      expect(job.status).toBe('queued');
      const deadline = Date.now() + 60_000;
      let done = await getImport(demo.services, actor, job.id);
      while (done.status !== 'succeeded' && done.status !== 'failed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        done = await getImport(demo.services, actor, job.id);
      }
      expect(done, done.error ?? '').toMatchObject({ status: 'succeeded', progress: 100, outcome: 'written', writtenRows: 1200 });
      expect(await count('government_systems')).toBe(before + 1200);
      const polled = await demo.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: bearer(s.preparer!) });
      expect(polled.json()).toMatchObject({ kind: 'import.systems', status: 'succeeded', progress: 100 });
    });
  });
});
