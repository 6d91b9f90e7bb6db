// 批量导入 (SPEC §5 "Bulk import and export via Excel"; 第十一条 信息资源目录, 第十二条 政务信息系统目录).
//
// An upload is staged through the SM3 hasher, must be an .xlsx by its bytes, and is stored in the
// file store under its digest. The import itself is a background task (background-jobs.ts) whose
// row is the import's record: small files run at once in the request, larger ones on the job
// runner with a progress bar. The task reads the first sheet with exceljs' streaming reader,
// judges every row (the catalog's own validators, references, duplicates in the file and against
// the database, the operator's scope), and only then writes, in batches of WRITE_BATCH rows:
// all-or-nothing writes nothing when any row has a problem and otherwise every row in one
// transaction; valid-rows writes the good rows, one transaction per batch. Each batch writes one
// audit event (`system.import` / `information_resource.import`, object `import:<task id>`) with its
// row count and the new ids, not one event per row.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';

// exceljs is loaded by the first import or template, not at start-up (src/http/xlsx.ts).
const excel = (): typeof ExcelJS => createRequire(import.meta.url)('exceljs') as typeof ExcelJS;
import { sql } from 'kysely';
import { scopeContains, type DataScope, type Permission } from '../domain/authz.ts';
import { detectFileType } from '../domain/file-type.ts';
import {
  MAX_IMPORT_ROWS, cellText, columnLetter, flattenCell, matchHeaders, normalizeLabel,
  type CellValue, type ImportProblem, type ImportProblemCode, type ReferenceTarget,
} from '../domain/imports/cells.ts';
import {
  IMPORT_DEFINITIONS, RowValidator, isBlankRow,
  type ImportDefinition, type ImportKind, type ImportLookups, type ImportMode, type ResourceImportInput, type RowOutcome,
} from '../domain/imports/kinds.ts';
import { isEditable, isLifecycleState } from '../domain/lifecycle.ts';
import { CATALOG_ORG_KINDS, type GovernmentSystemInput } from '../domain/system-catalog.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor, Tx } from '../db/database.ts';
import { scopePredicate } from '../db/scope.ts';
import { AppError, fieldMessage, type Locale } from '../errors.ts';
import type { Services } from '../services.ts';
import { fileStoreFor, FileTooLargeError } from '../storage/file-store.ts';
import { auditActorFor, requireAccess, type Actor } from './actor.ts';
import {
  getBackgroundJob, runBackgroundJobNow, startBackgroundJob, type BackgroundContext, type BackgroundJob, type BackgroundKind,
} from './background-jobs.ts';
import { visible as projectVisible } from './projects.ts';
import { columns as resourceColumns } from './resource-catalog.ts';
import { columns as systemColumns } from './system-catalog.ts';

/** Files up to this size are imported in the request (roughly 2,000 rows); larger ones run as a background task. */
export const INLINE_IMPORT_BYTES = 128 * 1024;
/** Rows per INSERT (and per transaction in valid-rows mode). */
export const WRITE_BATCH = 500;
/** The report keeps this many problems (the count is always exact); the rest are in no row's 问题 cell. */
export const PROBLEM_LIMIT = 10_000;

const PERMISSION: Readonly<Record<ImportKind, Permission>> = { systems: 'catalog:manage', resources: 'project:update' };
const jobKind = (kind: ImportKind) => `import.${kind}`;

/** What the task is given: where the file is and what to do with it. */
interface ImportInput {
  kind: ImportKind;
  mode: ImportMode;
  dryRun: boolean;
  fileKey: string;
  fileName: string;
  size: number;
}

/** What an import did: `dry_run` (checked only), `written` (every row), `partly_written` (valid rows only), `nothing_written`. */
export type ImportOutcome = 'dry_run' | 'written' | 'partly_written' | 'nothing_written';

/** The stored result of an import task. */
interface ImportResult {
  totalRows: number;
  validRows: number;
  writtenRows: number;
  problemCount: number;
  problems: ImportProblem[];
  outcome: ImportOutcome;
}

/** A problem as the API presents it: where, what, why (zh and en). */
export interface PresentedProblem {
  row: number;
  column: string | null;
  header: string | null;
  value: string | null;
  code: string;
  message: { zh: string; en: string };
}

/** An import's report. */
export interface ImportReport {
  id: string;
  kind: ImportKind;
  mode: ImportMode;
  dryRun: boolean;
  fileName: string;
  status: BackgroundJob['status'];
  progress: number;
  totalRows: number | null;
  validRows: number | null;
  writtenRows: number | null;
  problemCount: number | null;
  /** At most PROBLEM_LIMIT, in row order. */
  problems: PresentedProblem[];
  problemsTruncated: boolean;
  outcome: ImportOutcome | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export function problemMessage(p: Pick<ImportProblem, 'code' | 'params'>, locale: Locale): string {
  return fieldMessage(p.code, locale).replace(/\{(\w+)\}/g, (_, k: string) => String(p.params?.[k] ?? ''));
}

function presentProblem(p: ImportProblem): PresentedProblem {
  return {
    row: p.row, column: p.column, header: p.header, value: p.value, code: p.code,
    message: { zh: problemMessage(p, 'zh-CN'), en: problemMessage(p, 'en-US') },
  };
}

function presentReport(job: BackgroundJob): ImportReport {
  const input = ((job as { input?: unknown }).input ?? {}) as ImportInput;
  const result = job.result as ImportResult | null;
  return {
    id: job.id, kind: job.kind.replace(/^import\./, '') as ImportKind, mode: input.mode, dryRun: input.dryRun, fileName: input.fileName,
    status: job.status, progress: job.progress,
    totalRows: result?.totalRows ?? null, validRows: result?.validRows ?? null, writtenRows: result?.writtenRows ?? null,
    problemCount: result?.problemCount ?? null, problems: (result?.problems ?? []).map(presentProblem),
    problemsTruncated: result ? result.problemCount > result.problems.length : false,
    outcome: result?.outcome ?? null, error: job.error, createdAt: job.createdAt, finishedAt: job.finishedAt,
  };
}

/** The upload of an import, as the route hands it over. */
export interface ImportUpload {
  kind: ImportKind;
  mode: ImportMode;
  dryRun: boolean;
  fileName: string;
  content: Readable;
  /** Runs once the file is staged: the route checks that nothing follows it. */
  afterContent?: () => Promise<void>;
}

/**
 * Takes an import file: staged, refused (415) unless its bytes are an .xlsx, stored, then judged
 * and written at once when small (the report comes back), else queued as a background task (the
 * caller polls GET /api/v1/jobs/:id, then reads the report).
 */
export async function startImport(
  services: Services, actor: Actor, upload: ImportUpload, options: { inlineBytes?: number } = {},
): Promise<{ job: BackgroundJob; report: ImportReport | null }> {
  requireAccess(actor, PERMISSION[upload.kind]);
  const store = fileStoreFor(services.config);
  let staged;
  try {
    staged = await store.stage(upload.content, { maxBytes: services.config.uploadLimitBytes });
  } catch (err) {
    if (err instanceof FileTooLargeError) throw new AppError('validation.body_too_large');
    throw err;
  }
  try {
    await upload.afterContent?.();
    // By its bytes, not its name: an .xls, a .csv or a renamed PDF is refused before anything is read.
    if ((await detectFileType(staged)) !== 'xlsx') throw new AppError('import.not_xlsx');
    await staged.commit();
  } finally {
    await staged.discard();
  }
  const input: ImportInput = {
    kind: upload.kind, mode: upload.mode, dryRun: upload.dryRun, fileKey: staged.sm3, fileName: upload.fileName.slice(0, 255), size: staged.size,
  };
  if (staged.size <= (options.inlineBytes ?? INLINE_IMPORT_BYTES) || !services.jobs) {
    const job = await runBackgroundJobNow(services, actor, IMPORT_JOB_KINDS, jobKind(upload.kind), input);
    return { job, report: await getImport(services, actor, job.id) };
  }
  return { job: await startBackgroundJob(services, actor, jobKind(upload.kind), input), report: null };
}

/** The caller's own import (another user's, or none, is not found). */
export async function getImport(services: Services, actor: Actor, id: string): Promise<ImportReport> {
  const row = await services.database.db.selectFrom('background_jobs').select(['kind', 'input'])
    .where('id', '=', id).where('created_by', '=', actor.userId).where('kind', 'in', ['import.systems', 'import.resources']).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  const job = await getBackgroundJob(services, actor, id);
  return presentReport({ ...job, input: row.input } as BackgroundJob);
}

/** The actor a background task acts as: its creator as they are now (roles, organizations). */
async function creatorActor(db: Executor, userId: string, taskId: string): Promise<Actor> {
  const row = await db.selectFrom('users as u').select(['u.id', 'u.username', 'u.display_name', 'u.status'])
    .select([
      sql<string[] | null>`(select json_agg(organization_id order by organization_id) from user_organizations where user_id = u.id)`.as('org_ids'),
      sql<Array<{ role: string; custom: string[] }> | null>`(select json_agg(json_build_object('role', role_code, 'custom', custom_organization_ids))
        from user_roles where user_id = u.id)`.as('roles'),
    ])
    .where('u.id', '=', userId).executeTakeFirst();
  if (!row || row.status !== 'active') throw new Error('the user who started the import is no longer active');
  return {
    userId: row.id, username: row.username, displayName: row.display_name, organizationIds: row.org_ids ?? [],
    roles: (row.roles ?? []).map((r) => ({ role: r.role as Actor['roles'][number]['role'], customOrganizationIds: r.custom })),
    sessionId: null, requestId: taskId, clientAddress: null,
  };
}

const foldCode = (text: string) => normalizeLabel(text).toUpperCase();

/** References and stored keys the rows are checked against, read once before the file. */
async function loadLookups(db: Executor, kind: ImportKind, scope: DataScope): Promise<ImportLookups> {
  const orgs = await db.selectFrom('organizations').select(['id', 'parent_id', 'name', 'kind', 'credit_code']).execute();
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const byCode = new Map(orgs.map((o) => [foldCode(o.credit_code), o]));
  const byName = new Map<string, typeof orgs>();
  for (const o of orgs) byName.set(normalizeLabel(o.name), [...(byName.get(normalizeLabel(o.name)) ?? []), o]);
  const ancestors = (id: string) => {
    const out: string[] = [];
    for (let p = byId.get(id)?.parent_id ?? null; p !== null && out.length < 100; p = byId.get(p)?.parent_id ?? null) out.push(p);
    return out;
  };
  const organization = (text: string): { id: string } | { problem: ImportProblemCode } => {
    const found = byCode.get(foldCode(text));
    if (found) return { id: found.id };
    const named = byName.get(normalizeLabel(text)) ?? [];
    if (named.length > 1) return { problem: 'import.ambiguous_organization' };
    return named.length === 1 ? { id: named[0]!.id } : { problem: 'import.unknown_organization' };
  };

  const keys = new Set<string>();
  const projects = new Map<string, { id: string; editable: boolean }>();
  if (kind === 'systems') {
    for (const s of await db.selectFrom('government_systems as s').select(['s.owner_organization_id', 's.name'])
      .where(scopePredicate(scope, 's.owner_organization_id')).execute()) keys.add(`${s.owner_organization_id}\n${s.name}`);
  } else {
    const rows = await db.selectFrom('projects as p').select(['p.id', 'p.code', 'p.track', 'p.stage', 'p.status']).where(projectVisible(scope)).execute();
    for (const p of rows) {
      const state = { track: p.track, stage: p.stage, status: p.status };
      projects.set(foldCode(p.code), { id: p.id, editable: isLifecycleState(state) && isEditable(state) });
    }
    if (rows.length > 0) {
      for (const r of await db.selectFrom('information_resources as r').innerJoin('projects as p', 'p.id', 'r.project_id')
        .select(['r.project_id', 'r.code']).where(projectVisible(scope)).execute()) keys.add(`${r.project_id}\n${r.code}`);
    }
  }
  return {
    resolve(target: ReferenceTarget, text: string) {
      if (target === 'project') {
        const p = projects.get(foldCode(text));
        if (!p) return { problem: 'import.unknown_project' };
        // 第十一条: the catalog is part of what a stage submits; it changes only while the stage is editable.
        return p.editable ? { id: p.id } : { problem: 'import.project_not_editable' };
      }
      const found = organization(text);
      if (target === 'provider' || 'problem' in found) return found;
      const org = byId.get(found.id)!;
      if (!(CATALOG_ORG_KINDS as readonly string[]).includes(org.kind)) return { problem: 'import.owner_not_government' };
      // 第十二条: a department keeps its own list; rows of organizations outside catalog:manage are refused.
      if (!scopeContains(scope, { organizationId: org.id, ancestorIds: ancestors(org.id), ownerUserId: null })) return { problem: 'import.out_of_scope' };
      return found;
    },
    exists: (key: string) => keys.has(key),
  };
}

/** Counts the bytes that pass, for the reading part of the progress bar. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** The first sheet's rows of a stored file: [row number, values by 0-based column]. */
async function* sheetRows(services: Services, fileKey: string, counter?: ByteCounter): AsyncGenerator<[number, unknown[]]> {
  const source = fileStoreFor(services.config).get(fileKey);
  const through = counter ?? new PassThrough();
  source.on('error', (err) => through.destroy(err));
  const reader = new (excel().stream.xlsx.WorkbookReader)(source.pipe(through), {
    worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = Array.isArray(row.values) ? (row.values as unknown[]).slice(1) : [];
      yield [row.number, values];
    }
    // Only the first sheet is data (the template's second is its 说明); stop reading the rest.
    source.destroy();
    return;
  }
}

/** Reads and judges every row; nothing is written. */
async function judge<I>(
  services: Services, def: ImportDefinition<I>, input: ImportInput, lookups: ImportLookups, progress: BackgroundContext['progress'], signal: AbortSignal,
): Promise<{ fileProblems: ImportProblem[]; outcomes: RowOutcome<I>[] }> {
  const fileProblems: ImportProblem[] = [];
  const outcomes: RowOutcome<I>[] = [];
  const counter = new ByteCounter();
  let validator: RowValidator<I> | null = null;
  let sawSheet = false;
  try {
    for await (const [rowNumber, values] of sheetRows(services, input.fileKey, counter)) {
      sawSheet = true;
      if (signal.aborted) throw signal.reason;
      if (validator === null) {
        if (isBlankRow(values)) continue;
        // The first non-blank row is the header row.
        const header = matchHeaders(def.columns, values.map((v) => {
          const f = flattenCell(v);
          return f !== null && typeof f === 'object' && !(f instanceof Date) ? null : f as CellValue;
        }));
        header.problems.forEach((p) => fileProblems.push({ ...p, row: rowNumber }));
        if (header.problems.length > 0) break;
        validator = new RowValidator(def, header.positions, lookups);
        continue;
      }
      if (isBlankRow(values)) continue;
      if (outcomes.length >= MAX_IMPORT_ROWS) {
        fileProblems.push({ row: rowNumber, column: null, header: null, value: null, code: 'import.too_many_rows', params: { limit: MAX_IMPORT_ROWS } });
        break;
      }
      outcomes.push(validator.check(rowNumber, values));
      // Reading is the first 60% of the bar, by the bytes of the file read so far.
      if (outcomes.length % 1000 === 0) await progress((600 * Math.min(counter.bytes, input.size)) / input.size, 1000);
    }
  } catch (err) {
    if (signal.aborted) throw err;
    fileProblems.push({ row: 0, column: null, header: null, value: null, code: 'import.unreadable' });
    return { fileProblems, outcomes: [] };
  }
  if (!sawSheet && fileProblems.length === 0) fileProblems.push({ row: 0, column: null, header: null, value: null, code: 'import.no_rows' });
  else if (validator !== null && outcomes.length === 0) fileProblems.push({ row: 0, column: null, header: null, value: null, code: 'import.no_rows' });
  return { fileProblems, outcomes };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

/** Inserts one batch of valid rows and its audit event; returns the new ids. */
async function writeBatch(trx: Tx, actor: Actor, kind: ImportKind, taskId: string, rows: RowOutcome<unknown>[]): Promise<string[]> {
  let ids: string[];
  if (kind === 'systems') {
    ids = (await trx.insertInto('government_systems')
      .values(rows.map((r) => ({ ...systemColumns(r.input as GovernmentSystemInput), created_by: actor.userId })))
      .returning('id').execute()).map((r) => r.id);
  } else {
    // The projects stay editable until this commits: their rows are locked and their state read again.
    const projectIds = [...new Set(rows.map((r) => (r.input as ResourceImportInput).projectId))];
    const locked = await trx.selectFrom('projects').select(['id', 'track', 'stage', 'status']).where('id', 'in', projectIds).forUpdate().execute();
    if (locked.length !== projectIds.length || locked.some((p) => !isLifecycleState(p) || !isEditable(p))) throw new AppError('conflict.concurrent');
    ids = (await trx.insertInto('information_resources')
      .values(rows.map((r) => {
        const { projectId, ...resource } = r.input as ResourceImportInput;
        return { ...resourceColumns(resource), project_id: projectId, created_by: actor.userId };
      }))
      .returning('id').execute()).map((r) => r.id);
  }
  await appendAuditEvent(trx, {
    actor: auditActorFor(actor, PERMISSION[kind]), action: kind === 'systems' ? 'system.import' : 'information_resource.import',
    objectType: 'import', objectId: taskId, outcome: 'success', requestId: taskId, clientAddress: null,
    diff: { after: { rows: ids.length, sheetRows: rows.map((r) => r.row), ids } },
  });
  return ids;
}

const batches = <T>(items: readonly T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The import task: judge every row, then write what the mode allows. */
async function runImport(services: Services, job: BackgroundContext): Promise<ImportResult> {
  const input = job.input as ImportInput;
  const def = IMPORT_DEFINITIONS[input.kind] as ImportDefinition<unknown>;
  const actor = await creatorActor(services.database.db, job.createdBy, job.id);
  const scope = requireAccess(actor, PERMISSION[input.kind]);
  const lookups = await loadLookups(services.database.db, input.kind, scope);
  const { fileProblems, outcomes } = await judge(services, def, input, lookups, job.progress, job.signal);
  const problems = [...fileProblems, ...outcomes.flatMap((o) => o.problems)];
  const valid = outcomes.filter((o) => o.input !== null);
  const base = { totalRows: outcomes.length, validRows: valid.length };
  const writable = input.dryRun || fileProblems.length > 0 || (input.mode === 'all-or-nothing' && problems.length > 0) ? [] : valid;
  let written = 0;
  // Writing is the last 40% of the bar.
  const writeProgress = () => job.progress(600 + (400 * written) / writable.length, 1000);
  const db = services.database.db;
  if (writable.length > 0 && input.mode === 'all-or-nothing') {
    try {
      await db.transaction().execute(async (trx) => {
        // No progress inside: it is written through the database handle, which on PGlite waits
        // for this very transaction. The bar moves from 60% to 100% when the transaction commits.
        for (const batch of batches(writable, WRITE_BATCH)) written += (await writeBatch(trx, actor, input.kind, job.id, batch)).length;
      });
    } catch (err) {
      if (!isUniqueViolation(err) && !(err instanceof AppError)) throw err;
      written = 0;
      problems.push({ row: 0, column: null, header: null, value: null, code: 'import.write_failed' });
    }
  } else if (writable.length > 0) {
    for (const batch of batches(writable, WRITE_BATCH)) {
      if (job.signal.aborted) throw job.signal.reason;
      try {
        written += (await db.transaction().execute((trx) => writeBatch(trx, actor, input.kind, job.id, batch))).length;
      } catch (err) {
        if (!isUniqueViolation(err) && !(err instanceof AppError)) throw err;
        for (const r of batch) problems.push({ row: r.row, column: null, header: null, value: null, code: 'import.write_failed' });
      }
      await writeProgress();
    }
  }
  problems.sort((a, b) => a.row - b.row);
  const outcome: ImportOutcome = input.dryRun ? 'dry_run' : written === 0 ? 'nothing_written' : written === outcomes.length ? 'written' : 'partly_written';
  return { ...base, writtenRows: written, problemCount: problems.length, problems: problems.slice(0, PROBLEM_LIMIT), outcome };
}

/** The background kinds of the two imports (src/jobs/definitions.ts). */
export const IMPORT_JOB_KINDS: readonly BackgroundKind[] = (['systems', 'resources'] as const).map((kind) => ({
  kind: jobKind(kind),
  run: async (services: Services, job: BackgroundContext) => ({ ...await runImport(services, job) }),
}));

/** 导入模板: the data sheet (headers, one example row, drop-downs) and the 说明 sheet. */
export async function importTemplate(actor: Actor, kind: ImportKind): Promise<{ fileName: string; content: Buffer }> {
  requireAccess(actor, PERMISSION[kind]);
  const def = IMPORT_DEFINITIONS[kind] as ImportDefinition<unknown>;
  const workbook = new (excel().Workbook)();
  const sheet = workbook.addWorksheet(def.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = def.columns.map((c) => ({ header: `${c.required ? '*' : ''}${c.header}`, width: c.width ?? 18 }));
  sheet.getRow(1).font = { bold: true };
  const example = sheet.addRow(def.columns.map((c) => c.example));
  example.font = { italic: true, color: { argb: 'FF888888' } };
  def.columns.forEach((c, i) => {
    const letter = columnLetter(i + 1);
    const labels = c.type.kind === 'enum' ? Object.values(c.type.options).map((n) => n.zh) : c.type.kind === 'boolean' ? ['是', '否'] : null;
    if (labels) {
      (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${MAX_IMPORT_ROWS + 1}`, {
        type: 'list', allowBlank: !c.required, formulae: [`"${labels.join(',')}"`],
        showErrorMessage: true, errorTitle: c.header, error: '请从下拉列表中选择',
      });
    }
  });
  const notes = workbook.addWorksheet('说明');
  notes.columns = [{ header: '列', width: 6 }, { header: '列名', width: 20 }, { header: '必填', width: 6 }, { header: '填写说明', width: 90 }];
  notes.getRow(1).font = { bold: true };
  def.columns.forEach((c, i) => notes.addRow([columnLetter(i + 1), c.header, c.required ? '是' : '否', c.note]));
  notes.addRow([]);
  notes.addRow(['', '注意', '', `第 2 行为示例，导入前请删除或改为实际数据；表头带 * 的列必填。只读取第一个工作表，最多 ${MAX_IMPORT_ROWS} 行。`]);
  notes.addRow(['', '', '', '导入方式：“全部无误才导入”时任何一行有问题都不写入；“仅导入无误的行”时写入无误的行，其余列入问题报告。']);
  return { fileName: `${def.title.zh}导入模板.xlsx`, content: Buffer.from(await workbook.xlsx.writeBuffer()) };
}

/**
 * 问题报告: the uploaded file's first sheet, row for row, with a 问题 column naming every problem
 * of each row, and a 问题清单 sheet (row, column, value, reason). Streamed from the stored file.
 */
export async function importReportWorkbook(services: Services, actor: Actor, id: string): Promise<{ fileName: string; stream: Readable }> {
  const report = await getImport(services, actor, id);
  const row = await services.database.db.selectFrom('background_jobs').select('input').where('id', '=', id).executeTakeFirstOrThrow();
  const input = row.input as ImportInput;
  const byRow = new Map<number, PresentedProblem[]>();
  for (const p of report.problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p]);
  const describe = (p: PresentedProblem) => `${p.column ? `${p.column}列` : ''}${p.header ? `“${p.header}”` : ''}${p.column || p.header ? '：' : ''}${p.message.zh}`;
  const stream = new PassThrough();
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false });
  void (async () => {
    try {
      const sheet = workbook.addWorksheet('导入数据', { views: [{ state: 'frozen', ySplit: 1 }] });
      let width = 0;
      let headerSeen = false;
      const fileWide = byRow.get(0) ?? [];
      for await (const [n, values] of sheetRows(services, input.fileKey)) {
        if (!headerSeen && isBlankRow(values)) continue;
        const cells = values.map((v) => {
          const f = flattenCell(v);
          return f !== null && typeof f === 'object' && !(f instanceof Date) ? f.error : f instanceof Date ? cellText(f) : f;
        });
        if (!headerSeen) {
          headerSeen = true;
          width = Math.max(cells.length, 1);
          const header = sheet.addRow([...cells, ...Array(width - cells.length).fill(null), '问题']);
          header.font = { bold: true };
          const notes = [...fileWide, ...(byRow.get(n) ?? [])].map(describe).join('；');
          if (notes) header.getCell(width + 1).value = `问题：${notes}`;
          header.commit();
          continue;
        }
        const problems = byRow.get(n) ?? [];
        const out = sheet.addRow([...cells, ...Array(Math.max(0, width - cells.length)).fill(null), problems.map(describe).join('；') || null]);
        if (problems.length > 0) out.getCell(width + 1).font = { color: { argb: 'FFCF1322' } };
        out.commit();
      }
      sheet.commit();
      const list = workbook.addWorksheet('问题清单', { views: [{ state: 'frozen', ySplit: 1 }] });
      list.columns = [{ header: '行', width: 8 }, { header: '列', width: 6 }, { header: '列名', width: 18 }, { header: '单元格内容', width: 28 },
        { header: '问题', width: 60 }, { header: '代码', width: 28 }];
      list.getRow(1).font = { bold: true };
      list.getRow(1).commit();
      for (const p of report.problems) list.addRow([p.row || null, p.column, p.header, p.value, p.message.zh, p.code]).commit();
      list.commit();
      await workbook.commit();
    } catch (err) {
      stream.destroy(err as Error);
    }
  })();
  const def = IMPORT_DEFINITIONS[report.kind];
  return { fileName: `${def.title.zh}导入问题报告.xlsx`, stream };
}
