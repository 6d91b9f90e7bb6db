// 项目材料 (SPEC §10): upload a version (multipart, streamed), list, download.
//
// Upload: `multipart/form-data` with the text fields `stage` and `materialCode` first, then
// exactly one file part. Nothing may follow the file. The access check (project:update, or
// project:assess for the assessor's report) runs in onRequest, before any of the body is
// read; the project's scope and state are checked before the file is read; the file is
// streamed to the store's staging area while it is hashed.
import type {} from '@fastify/multipart';
import type { MultipartFile, MultipartValue, Multipart } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MATERIAL_CODES, STAGES, type MaterialCode, type Stage } from '../../domain/lifecycle.ts';
import { AppError } from '../../errors.ts';
import { listMaterials, openMaterial, uploadMaterial } from '../../usecases/materials.ts';
import { contentDisposition } from '../content-disposition.ts';
import { defineRoute } from '../route.ts';
import { idParams, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });
const material = z.object({
  id: z.string(),
  projectId: z.string(),
  stage: z.string(),
  stageName: localized,
  materialCode: z.string(),
  materialName: localized,
  versionNo: z.number().int(),
  latest: z.boolean(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sm3: z.string().describe('SM3 digest of the file, lower-case hex'),
  uploadedBy: z.object({ id: z.string(), displayName: z.string() }),
  uploadedAt: z.string(),
});

const uploadFields = z.strictObject({
  stage: z.enum(STAGES as unknown as [Stage, ...Stage[]]),
  materialCode: z.enum(MATERIAL_CODES),
});

/** zod issues of the form fields as field problems (the same codes the JSON routes use). */
function fieldProblems(error: z.ZodError): Array<{ path: string; code: string }> {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: k, code: 'unrecognized_key' }));
    const path = issue.path.join('.') || 'request';
    if (issue.code === 'invalid_type') return [{ path, code: 'required' }];
    return [{ path, code: issue.code === 'invalid_value' ? 'invalid_value' : 'invalid' }];
  });
}

export const partAfterFile = () => new AppError('validation.failed', { fields: [{ path: 'file', code: 'material.part_after_file' }] });

/** A parser error of @fastify/multipart or busboy as the problem the client should see. */
export function multipartProblem(err: unknown): AppError {
  if (err instanceof AppError) return err;
  switch ((err as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('validation.body_too_large');
    case 'FST_FILES_LIMIT':
      return partAfterFile();
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('validation.unsupported_media_type');
    default:
      // Malformed multipart (busboy), a prototype field name, a premature close: the request.
      return new AppError('validation.failed', { fields: [{ path: 'request', code: 'invalid' }], message: String(err) });
  }
}

async function upload(request: FastifyRequest, services: Parameters<typeof uploadMaterial>[0], actor: Parameters<typeof uploadMaterial>[1], projectId: string) {
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
  const fields: Record<string, string> = {};
  for (let part = await next(); part !== null; part = await next()) {
    if (part.type === 'field') {
      const value = (part as MultipartValue).value;
      if (typeof value !== 'string' || part.valueTruncated || Object.hasOwn(fields, part.fieldname)) {
        throw new AppError('validation.failed', { fields: [{ path: part.fieldname, code: 'invalid' }] });
      }
      fields[part.fieldname] = value;
      continue;
    }
    const file = part as MultipartFile;
    const parsed = uploadFields.safeParse(fields);
    if (!parsed.success) {
      file.file.destroy();
      throw new AppError('validation.failed', { fields: fieldProblems(parsed.error) });
    }
    // Over the limit, busboy cuts the part short and says so: make that an error of the stream,
    // so the store discards what it staged.
    file.file.once('limit', () => file.file.destroy(Object.assign(new Error('file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' })));
    try {
      return await uploadMaterial(services, actor, projectId, {
        stage: parsed.data.stage, materialCode: parsed.data.materialCode as MaterialCode,
        fileName: file.filename, contentType: file.mimetype, content: file.file,
        afterContent: async () => {
          if (file.file.truncated) throw new AppError('validation.body_too_large');
          if ((await next()) !== null) throw partAfterFile();
        },
      });
    } catch (err) {
      // Refused before the file was read (scope, state, name): stop reading the request.
      if (!file.file.readableEnded) file.file.destroy();
      // An error of the request's own bytes (too large, malformed, cut short) is the client's.
      if (!(err instanceof AppError) && (err === file.file.errored || (err as { code?: string }).code?.startsWith('FST_'))) {
        throw multipartProblem(err);
      }
      throw err;
    }
  }
  throw new AppError('validation.failed', { fields: [{ path: 'file', code: 'required' }] });
}

/**
 * After a refusal the rest of a large body is not wanted, but a request stream left paused
 * would hold its connection open forever: ask the client to stop (Connection: close) and
 * discard whatever still arrives.
 */
export function releaseBody(request: FastifyRequest, reply: FastifyReply) {
  if (request.raw.complete) return;
  reply.header('connection', 'close');
  request.raw.unpipe();
  reply.raw.once('finish', () => request.raw.resume());
}

export const materialRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/materials', access: ['project:update', 'project:assess', 'evaluation:report'], tags: ['materials'],
    summary: '上传材料 / Upload a material version (multipart/form-data: stage, materialCode, then one file)',
    params: idParams, responses: { 201: material },
    handler: async ({ services, actor, params, request, reply }) => {
      try {
        const m = await upload(request, services, actor, params.id);
        reply.code(201);
        return m;
      } catch (err) {
        releaseBody(request, reply);
        throw err;
      }
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/materials', access: 'project:read', tags: ['materials'],
    summary: '材料列表 / Every version of every material, newest first', params: idParams,
    responses: { 200: z.object({ items: z.array(material) }) },
    handler: async ({ services, actor, params }) => ({ items: await listMaterials(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/materials/:materialId/download', access: 'project:read', tags: ['materials'],
    summary: '下载材料 / Download a material version', params: z.strictObject({ id: uuid, materialId: uuid }),
    handler: async ({ services, actor, params, reply }) => {
      const { material: m, content } = await openMaterial(services, actor, params.id, params.materialId);
      content.on('error', (err) => reply.log.error({ err, materialId: m.id }, 'material download broken off'));
      return reply
        .header('content-type', m.mediaType)
        .header('content-length', String(m.sizeBytes))
        .header('content-disposition', contentDisposition(m.fileName, `${m.materialCode}-v${m.versionNo}`))
        .header('x-content-type-options', 'nosniff')
        .send(content);
    },
  }),
];
