// 批量导入 (SPEC §5; 第十一条, 第十二条): the template, the upload, the report and its .xlsx.
//
// Upload: `multipart/form-data` with exactly one file part (the query string carries the mode
// and the dry run). The route's access (catalog:manage or project:update) is checked in onRequest
// before the body is read; the use case checks the kind's own permission before the file is read.
import type {} from '@fastify/multipart';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IMPORT_KINDS, IMPORT_MODES } from '../../domain/imports/kinds.ts';
import { AppError } from '../../errors.ts';
import { getImport, importReportWorkbook, importTemplate, startImport } from '../../usecases/imports.ts';
import type { Services } from '../../services.ts';
import type { Actor } from '../../usecases/actor.ts';
import { contentDisposition } from '../content-disposition.ts';
import { defineRoute } from '../route.ts';
import { idParams } from './schemas.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const kindParams = z.strictObject({ kind: z.enum(IMPORT_KINDS).describe('systems 政务信息系统 / resources 信息资源 (rows name their project by 项目代码)') });

const problem = z.object({
  row: z.number().int().describe('Excel row number (1 = header row; 0 = the file as a whole)'),
  column: z.string().nullable().describe('column letter, e.g. C'),
  header: z.string().nullable().describe('the column\'s header, e.g. 所在网络'),
  value: z.string().nullable().describe('the cell as text'),
  code: z.string().describe('stable problem code'),
  message: z.object({ zh: z.string(), en: z.string() }),
});
const report = z.object({
  id: z.string().describe('the import\'s id, also its background task id (GET /api/v1/jobs/:id)'),
  kind: z.enum(IMPORT_KINDS), mode: z.enum(IMPORT_MODES), dryRun: z.boolean(), fileName: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']), progress: z.number().int(),
  totalRows: z.number().int().nullable(), validRows: z.number().int().nullable(), writtenRows: z.number().int().nullable(),
  problemCount: z.number().int().nullable(), problems: z.array(problem), problemsTruncated: z.boolean(),
  outcome: z.enum(['dry_run', 'written', 'partly_written', 'nothing_written']).nullable(),
  error: z.string().nullable(), createdAt: z.string(), finishedAt: z.string().nullable(),
});

/** A parser error of @fastify/multipart or busboy as the problem the client should see. */
function multipartProblem(err: unknown): AppError {
  if (err instanceof AppError) return err;
  switch ((err as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('validation.body_too_large');
    case 'FST_FILES_LIMIT':
      return new AppError('validation.failed', { fields: [{ path: 'file', code: 'material.part_after_file' }] });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('validation.unsupported_media_type');
    default:
      return new AppError('validation.failed', { fields: [{ path: 'request', code: 'invalid' }], message: String(err) });
  }
}

async function upload(request: FastifyRequest, services: Services, actor: Actor, kind: (typeof IMPORT_KINDS)[number], mode: (typeof IMPORT_MODES)[number], dryRun: boolean) {
  if (!request.isMultipart()) throw new AppError('import.not_xlsx');
  const parts = request.parts()[Symbol.asyncIterator]();
  const next = async (): Promise<Multipart | null> => {
    try {
      const r = await parts.next();
      return r.done ? null : r.value;
    } catch (err) {
      throw multipartProblem(err);
    }
  };
  for (let part = await next(); part !== null; part = await next()) {
    if (part.type === 'field') continue;
    const file = part as MultipartFile;
    file.file.once('limit', () => file.file.destroy(Object.assign(new Error('file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' })));
    try {
      return await startImport(services, actor, {
        kind, mode, dryRun, fileName: file.filename, content: file.file,
        afterContent: async () => {
          if (file.file.truncated) throw new AppError('validation.body_too_large');
          if ((await next()) !== null) throw multipartProblem({ code: 'FST_FILES_LIMIT' });
        },
      });
    } catch (err) {
      if (!file.file.readableEnded) file.file.destroy();
      if (!(err instanceof AppError) && (err === file.file.errored || (err as { code?: string }).code?.startsWith('FST_'))) throw multipartProblem(err);
      throw err;
    }
  }
  throw new AppError('validation.failed', { fields: [{ path: 'file', code: 'required' }] });
}

/** After a refusal the rest of the body is not wanted: ask the client to stop and discard what arrives. */
function releaseBody(request: FastifyRequest, reply: FastifyReply) {
  if (request.raw.complete) return;
  reply.header('connection', 'close');
  request.raw.unpipe();
  reply.raw.once('finish', () => request.raw.resume());
}

export const importRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/imports/:kind/template', access: ['catalog:manage', 'project:update'], tags: ['imports'],
    summary: '下载导入模板 / Download the import template (.xlsx: headers, an example row, a 说明 sheet)', params: kindParams,
    handler: async ({ actor, params, reply }) => {
      const t = await importTemplate(actor, params.kind);
      return reply.header('content-type', XLSX).header('content-disposition', contentDisposition(t.fileName, `${params.kind}-template.xlsx`))
        .send(t.content);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/imports/:kind', access: ['catalog:manage', 'project:update'], tags: ['imports'],
    summary: '导入 / Import an .xlsx (multipart, one file). 201 with the report when done at once; 202 with the task to poll for a large file',
    params: kindParams,
    query: z.strictObject({
      mode: z.enum(IMPORT_MODES).default('all-or-nothing').describe('all-or-nothing: any problem writes nothing; valid-rows: write the good rows, report the rest'),
      dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('预检: check every row, write nothing'),
    }),
    responses: { 201: z.object({ job: z.unknown(), report }), 202: z.object({ job: z.unknown(), report: z.null() }) },
    handler: async ({ services, actor, params, query, request, reply }) => {
      try {
        const result = await upload(request, services, actor, params.kind, query.mode, query.dryRun);
        reply.code(result.report ? 201 : 202);
        return result;
      } catch (err) {
        releaseBody(request, reply);
        throw err;
      }
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/imports/:id', access: 'authenticated', tags: ['imports'],
    summary: '导入报告 / An import\'s report (its creator only): counts and every problem (row, column, value, reason)',
    params: idParams, responses: { 200: report },
    handler: async ({ services, actor, params }) => getImport(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/imports/:id/report.xlsx', access: 'authenticated', tags: ['imports'],
    summary: '下载问题报告 / The uploaded rows with a 问题 column, and a 问题清单 sheet (.xlsx, streamed)', params: idParams,
    handler: async ({ services, actor, params, reply }) => {
      const r = await importReportWorkbook(services, actor, params.id);
      return reply.header('content-type', XLSX).header('content-disposition', contentDisposition(r.fileName, 'import-report.xlsx'))
        .send(r.stream);
    },
  }),
];
