// 重复建设 (第二十八条): the projects and master-catalog systems similar to a project being written
// (the wizard, before saving) or to a saved one (its detail page, the submission drawer).
// Warnings only: nothing here refuses anything.
import { z } from 'zod';
import { checkSimilarity, similarToProject } from '../../usecases/similarity.ts';
import { defineRoute } from '../route.ts';
import { idParams, text, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });

const similarResult = z.object({
  threshold: z.number().describe('SIMILARITY_THRESHOLD: every item is at or above it'),
  items: z.array(z.object({
    kind: z.enum(['project', 'system']),
    id: z.string(),
    code: z.string().nullable().describe('项目代码 of a project; null for a system'),
    name: z.string(),
    organizationId: z.string().describe('the project\'s construction unit, or the system\'s owner'),
    organizationName: z.string(),
    state: z.object({ track: z.string(), stage: z.string(), status: z.string(), name: localized }).nullable()
      .describe('a project\'s lifecycle state; null for a system'),
    similarity: z.number().describe('cosine of the BM25-weighted word vectors, 0–1'),
    overlap: z.array(z.object({ term: z.string(), contribution: z.number() }))
      .describe('the shared words, largest part of the similarity first (the parts sum to it)'),
    reason: localized.describe('why it is shown'),
  })).describe('at most 10, most similar first, only items the caller may read'),
  hiddenCount: z.number().int()
    .describe('at least this many more similar items lie outside the caller\'s scope ("N similar items in other departments\' catalogs"); 涉密 ones are not counted'),
});

export const similarityRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/similarity/check', access: 'project:read', tags: ['similarity'],
    summary: '重复建设提示 / Similar projects and systems of a project being written (第二十八条; a warning, never a refusal)',
    body: z.strictObject({
      name: text(200).describe('项目名称'),
      description: z.string().trim().max(10_000).optional()
        .describe('建设内容: the names of the systems it builds and of its performance indicators, 、-separated (what saved projects are compared by)'),
      projectId: uuid.optional().describe('the project being edited, left out of the results'),
    }),
    responses: { 200: similarResult },
    handler: async ({ services, actor, body }) => checkSimilarity(services, actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/similar', access: 'project:read', tags: ['similarity'],
    summary: '相似项目和系统 / Projects and systems similar to this project (第二十八条)', params: idParams,
    responses: { 200: similarResult },
    handler: async ({ services, actor, params }) => similarToProject(services, actor, params.id),
  }),
];
