// 信息资源目录 of a project (第十一条): list, export, register, edit, remove.
import { z } from 'zod';
import {
  BASE_CATEGORIES, BASE_CATEGORY_NAMES, CLASSIFICATION_KINDS, CLASSIFICATION_NAMES, DATA_ITEM_TYPES, FORMAT_NAMES, LIMITS,
  OPEN_TYPES, OPEN_TYPE_NAMES, RESOURCE_FORMATS, SHARING_TYPES, SHARING_TYPE_NAMES, UPDATE_CYCLES, UPDATE_CYCLE_NAMES,
  resourceProblems, type InformationResourceInput,
} from '../../domain/resource-catalog.ts';
import {
  createResource, deleteResource, exportResources, listResources, updateResource, type InformationResource,
} from '../../usecases/resource-catalog.ts';
import { ifMatchVersion, setEtag } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { idParams, text, uuid } from './schemas.ts';

/** Optional free text: trimmed; blank is the same as absent. */
const basis = z.string().trim().max(LIMITS.basis).nullable().default(null);

const resourceBody = z.strictObject({
  name: text(LIMITS.name).describe('信息资源名称'),
  code: z.string().max(64).describe('信息资源代码, written 类-项-目[-细目…]/顺序码, e.g. 1-05-001/000001'),
  classification: z.strictObject({
    kind: z.enum(CLASSIFICATION_KINDS).describe('基础 / 主题 / 部门 信息资源'),
    baseCategory: z.enum(BASE_CATEGORIES).nullable().default(null).describe('基础信息资源 only: 人口/法人/自然资源和空间地理/社会信用/电子证照'),
  }),
  providerOrganizationId: uuid.describe('信息资源提供方'),
  format: z.enum(RESOURCE_FORMATS),
  updateCycle: z.enum(UPDATE_CYCLES),
  sharingType: z.enum(SHARING_TYPES).describe('无条件共享 / 有条件共享 / 不予共享'),
  sharingBasis: basis.describe('共享条件或依据; required for conditional and none'),
  openType: z.enum(OPEN_TYPES).describe('无条件开放 / 有条件开放 / 不予开放'),
  openBasis: basis.describe('开放条件和依据; required for conditional and none'),
  involvesSecrets: z.boolean().default(false).describe('涉密: only 不予开放'),
  dataItems: z.array(z.strictObject({
    name: text(LIMITS.dataItemName),
    type: z.enum(DATA_ITEM_TYPES),
    description: z.string().trim().max(LIMITS.dataItemDescription).nullable().optional(),
  })).max(LIMITS.dataItems).describe('信息项, at least one'),
}).superRefine((value, ctx) => {
  // The domain's rules across fields, even when some field already failed its schema, so one
  // response lists every problem; a field the schema already flagged is not reported twice.
  const flagged = ctx.issues.map((i) => (i.path ?? []).join('.'));
  for (const p of resourceProblems(value as InformationResourceInput)) {
    if (flagged.some((f) => p.path === f || p.path.startsWith(`${f}.`))) continue;
    ctx.addIssue({ code: 'custom', message: p.code, path: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), input: value });
  }
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) });

const resourceParams = z.strictObject({ id: uuid, resourceId: uuid });

const resource = z.object({ id: z.string(), projectId: z.string(), code: z.string(), name: z.string(), version: z.number() }).passthrough();

function classificationText(r: InformationResource): string {
  const kind = CLASSIFICATION_NAMES[r.classification.kind].zh;
  return r.classification.baseCategory ? `${kind}·${BASE_CATEGORY_NAMES[r.classification.baseCategory].zh}` : kind;
}

export const resourceCatalogRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/resources', access: 'project:read', tags: ['resource-catalog'],
    summary: '信息资源目录 / The project\'s information-resource catalog (第十一条)', params: idParams,
    responses: {
      200: z.object({
        items: z.array(resource), total: z.number().int(),
        summary: z.object({ resourceCount: z.number().int(), resourcesWithoutSharingType: z.number().int() }),
      }),
    },
    handler: async ({ services, actor, params }) => listResources(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/resources/export', access: 'project:read', tags: ['resource-catalog'],
    summary: '导出信息资源目录 / Export the catalog (.xlsx)', params: idParams,
    handler: async ({ services, actor, params, reply }) => {
      const { project, batches } = await exportResources(services, actor, params.id);
      return sendXlsx(reply, `信息资源目录-${project.code}.xlsx`, '信息资源目录', [
        { header: '信息资源代码', width: 24, value: (r) => r.code },
        { header: '信息资源名称', width: 36, value: (r) => r.name },
        { header: '资源分类', width: 24, value: classificationText },
        { header: '信息资源提供方', width: 30, value: (r) => r.providerOrganizationName },
        { header: '资源格式', value: (r) => FORMAT_NAMES[r.format].zh },
        { header: '更新周期', value: (r) => UPDATE_CYCLE_NAMES[r.updateCycle].zh },
        { header: '共享类型', value: (r) => SHARING_TYPE_NAMES[r.sharingType].zh },
        { header: '共享条件或依据', width: 40, value: (r) => r.sharingBasis },
        { header: '开放类型', value: (r) => OPEN_TYPE_NAMES[r.openType].zh },
        { header: '开放条件或依据', width: 40, value: (r) => r.openBasis },
        { header: '是否涉密', value: (r) => (r.involvesSecrets ? '是' : '否') },
        { header: '信息项', width: 60, value: (r) => r.dataItems.map((d) => d.name).join('、') },
      ], batches);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/resources', access: 'project:update', tags: ['resource-catalog'],
    summary: '登记信息资源 / Register a resource (project in draft or returned)', params: idParams, body: resourceBody,
    responses: { 201: resource },
    handler: async ({ services, actor, params, body, reply }) => {
      const r = await createResource(services, actor, params.id, body);
      setEtag(reply, r.version);
      reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/projects/:id/resources/:resourceId', access: 'project:update', tags: ['resource-catalog'],
    summary: '修改信息资源 / Edit a resource (If-Match: version)', params: resourceParams, body: resourceBody,
    responses: { 200: resource },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const r = await updateResource(services, actor, params.id, params.resourceId, ifMatchVersion(request), body);
      setEtag(reply, r.version);
      return r;
    },
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/projects/:id/resources/:resourceId', access: 'project:update', tags: ['resource-catalog'],
    summary: '删除信息资源 / Remove a resource (If-Match: version)', params: resourceParams,
    handler: async ({ services, actor, params, request }) => {
      await deleteResource(services, actor, params.id, params.resourceId, ifMatchVersion(request));
    },
  }),
];
