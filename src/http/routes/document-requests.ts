// 第二十九条 资料调阅: a supervisory body requests materials from the construction unit by a deadline;
// the unit uploads files and answers (or states that an item does not exist and why); the requester
// accepts or returns the answer; from an overdue or returned request it may open a 第三十条 finding.
// The list exports to .xlsx.
import type { MultipartFile, Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { REQUEST_PURPOSES, REQUEST_STATUSES, STATUS_NAMES } from '../../domain/document-requests.ts';
import { FINDING_CATEGORIES } from '../../domain/supervision.ts';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { Actor } from '../../usecases/actor.ts';
import {
  answerDocumentRequest, createDocumentRequest, documentRequestWork, exportDocumentRequests, getDocumentRequest, listDocumentRequests,
  openDocumentRequestFile, openFindingFromRequest, reviewDocumentRequest, uploadDocumentRequestFile, type DocumentRequestView,
} from '../../usecases/document-requests.ts';
import { contentDisposition } from '../content-disposition.ts';
import { optionalIfMatchVersion } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { multipartProblem, partAfterFile, releaseBody } from './materials.ts';
import { calendarDate, pagination, text, uuid } from './schemas.ts';

const params = z.strictObject({ id: uuid });
const filter = {
  box: z.enum(['sent', 'received']).optional().describe('sent: requests my organization made; received: requests to units I answer for'),
  status: z.enum(REQUEST_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  projectId: uuid.optional(),
  systemId: uuid.optional(),
};
const expectedVersion = z.number().int().min(1).optional().describe('the version read (optimistic concurrency; If-Match works too)');

/** The version from the body, else from If-Match, else none (neighbours accept either). */
const versionOf = (request: FastifyRequest, body: { expectedVersion?: number | undefined }) => body.expectedVersion ?? optionalIfMatchVersion(request) ?? undefined;

/** One file part, nothing after it; the file is streamed to the store (as project materials are). */
async function upload(request: FastifyRequest, services: Services, actor: Actor, id: string) {
  if (!request.isMultipart()) throw new AppError('validation.unsupported_media_type');
  const parts = request.parts()[Symbol.asyncIterator]();
  const next = async (): Promise<Multipart | null> => {
    try {
      const r = await parts.next();
      return r.done ? null : r.value;
    } catch (err) {
      throw multipartProblem(err);
    }
  };
  const part = await next();
  if (part === null || part.type !== 'file') {
    throw new AppError('validation.failed', { fields: [{ path: 'file', code: 'required' }] });
  }
  const file = part as MultipartFile;
  file.file.once('limit', () => file.file.destroy(Object.assign(new Error('file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' })));
  try {
    return await uploadDocumentRequestFile(services, actor, id, {
      fileName: file.filename, contentType: file.mimetype, content: file.file,
      afterContent: async () => {
        if (file.file.truncated) throw new AppError('validation.body_too_large');
        if ((await next()) !== null) throw partAfterFile();
      },
    });
  } catch (err) {
    if (!file.file.readableEnded) file.file.destroy();
    if (!(err instanceof AppError) && (err === file.file.errored || (err as { code?: string }).code?.startsWith('FST_'))) throw multipartProblem(err);
    throw err;
  }
}

export const documentRequestRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/document-requests', access: 'rectification:read', tags: ['document-requests'],
    summary: '资料调阅 / Document requests (第二十九条): those my organization made, or to units I answer for',
    query: z.strictObject({ ...filter, ...pagination }),
    handler: async ({ services, actor, query: { page, pageSize, ...f } }) => listDocumentRequests(services, actor, f, page, pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/document-requests/export', access: 'rectification:read', tags: ['document-requests'],
    summary: '导出资料调阅 / Export the document requests (.xlsx)', query: z.strictObject(filter),
    handler: async ({ services, actor, query, reply }) => sendXlsx<DocumentRequestView>(reply, '资料调阅.xlsx', '资料调阅', [
      { header: '编号', width: 8, value: (r) => r.seq },
      { header: '调阅事由', width: 12, value: (r) => r.purposeName.zh },
      { header: '标题', width: 36, value: (r) => r.title },
      { header: '调阅资料', width: 50, value: (r) => r.items.map((x, i) => `${i + 1}. ${x}`).join('\n') },
      { header: '对象', width: 8, value: (r) => (r.subjectType === 'project' ? '项目' : '系统') },
      { header: '项目代码', width: 26, value: (r) => r.projectCode },
      { header: '项目/系统名称', width: 36, value: (r) => r.subjectName },
      { header: '建设单位', width: 30, value: (r) => r.unitName },
      { header: '调阅部门', width: 30, value: (r) => r.requesterName },
      { header: '调阅日期', width: 12, value: (r) => r.requestedOn },
      { header: '答复期限', width: 12, value: (r) => r.dueOn },
      { header: '状态', width: 12, value: (r) => STATUS_NAMES[r.status].zh },
      { header: '逾期', width: 8, value: (r) => (r.overdue ? '逾期' : '') },
      { header: '已转监督检查', width: 12, value: (r) => (r.findingId ? '是' : '') },
    ], exportDocumentRequests(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/document-requests/work', access: 'rectification:read', tags: ['document-requests'],
    summary: '资料调阅待办 / Requests waiting on the caller (to answer, or to accept or return)',
    handler: async ({ services, actor }) => ({ items: await documentRequestWork(services, actor) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/document-requests', access: 'oversight:finding', tags: ['document-requests'],
    summary: '调阅资料 / Request materials from the construction unit by a deadline (第二十九条; 403 outside the remit)',
    body: z.strictObject({
      projectId: uuid.nullable().optional(), systemId: uuid.nullable().optional(),
      purpose: z.enum(REQUEST_PURPOSES).describe('调阅事由：绩效评价、审计、监督检查、其他'),
      title: text(200).describe('标题'),
      items: z.array(text(500)).min(1).max(50).describe('调阅的资料，逐项'),
      dueOn: calendarDate.optional().describe('答复期限（含当日）；不填按规则设置 documentRequest.responseDays'),
    }),
    handler: async ({ services, actor, body, reply }) => {
      reply.code(201);
      return createDocumentRequest(services, actor, body);
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/document-requests/:id', access: 'rectification:read', tags: ['document-requests'],
    summary: '资料调阅详情 / A document request with its files, answers and reviews', params,
    handler: async ({ services, actor, params: p, reply }) => {
      const d = await getDocumentRequest(services, actor, p.id);
      reply.header('etag', `"${d.version}"`);
      return d;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/document-requests/:id/files', access: 'rectification:answer', tags: ['document-requests'],
    summary: '上传调阅资料 / Upload a file for the next answer (multipart/form-data: one file part)', params,
    handler: async ({ services, actor, params: p, request, reply }) => {
      try {
        const f = await upload(request, services, actor, p.id);
        reply.code(201);
        return f;
      } catch (err) {
        releaseBody(request, reply);
        throw err;
      }
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/document-requests/:id/files/:fileId/download', access: 'rectification:read', tags: ['document-requests'],
    summary: '下载调阅资料 / Download a submitted file', params: z.strictObject({ id: uuid, fileId: uuid }),
    handler: async ({ services, actor, params: p, reply }) => {
      const { file, content } = await openDocumentRequestFile(services, actor, p.id, p.fileId);
      content.on('error', (err) => reply.log.error({ err, fileId: file.id }, 'document request file download broken off'));
      return reply
        .header('content-type', file.mediaType)
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', contentDisposition(file.fileName, `document-request-${file.id}`))
        .header('x-content-type-options', 'nosniff')
        .send(content);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/document-requests/:id/answers', access: 'rectification:answer', tags: ['document-requests'],
    summary: '答复资料调阅 / The unit answers: statement, the uploaded files it submits, the items that do not exist and why', params,
    body: z.strictObject({
      statement: text(5000).describe('答复说明'),
      fileIds: z.array(uuid).max(50).default([]).describe('提交的资料文件（先上传到本调阅）'),
      missingItems: z.array(z.strictObject({ index: z.number().int().min(0).max(49), reason: text(2000) })).max(50).default([])
        .describe('不存在的调阅事项（从 0 起的序号）及原因'),
      expectedVersion,
    }),
    handler: async ({ services, actor, params: p, body, request, reply }) => {
      reply.code(201);
      return answerDocumentRequest(services, actor, p.id, { ...body, expectedVersion: versionOf(request, body) });
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/document-requests/:id/review', access: 'oversight:finding', tags: ['document-requests'],
    summary: '确认或退回答复 / The requester accepts the latest answer, or returns it as incomplete (with reasons, optionally a new deadline)', params,
    body: z.strictObject({
      result: z.enum(['accepted', 'returned']), reasons: text(5000).describe('确认意见或退回理由'),
      dueOn: calendarDate.optional().describe('退回时可另定答复期限'), expectedVersion,
    }),
    handler: async ({ services, actor, params: p, body, request }) =>
      reviewDocumentRequest(services, actor, p.id, { ...body, expectedVersion: versionOf(request, body) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/document-requests/:id/finding', access: 'oversight:finding', tags: ['document-requests'],
    summary: '转为监督检查发现 / Open a 第三十条 finding from an overdue or returned request (once per request)', params,
    body: z.strictObject({
      category: z.enum(FINDING_CATEGORIES).describe('类别'), title: text(200).describe('问题'), description: text(5000).describe('问题描述'),
      requirements: text(5000).describe('整改要求'), dueOn: calendarDate.describe('整改期限'),
    }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return openFindingFromRequest(services, actor, p.id, body);
    },
  }),
];
