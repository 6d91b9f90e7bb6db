// 信息资源目录 of departments and of the nation (第十一条): the per-project catalogs read
// together — a filtered list, the trees by 分类码 and by 提供方, and the streamed export. A
// resource is visible when its project is.
import { z } from 'zod';
import {
  BASE_CATEGORIES, BASE_CATEGORY_NAMES, CLASSIFICATION_KINDS, CLASSIFICATION_NAMES, FORMAT_NAMES, OPEN_TYPES, OPEN_TYPE_NAMES,
  SHARING_TYPES, SHARING_TYPE_NAMES, UPDATE_CYCLES, UPDATE_CYCLE_NAMES,
} from '../../domain/resource-catalog.ts';
import {
  CODE_PREFIX_PATTERN, classificationTree, departmentTree, iterateCatalog, listCatalog, type CatalogEntry,
} from '../../usecases/resource-catalog-views.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { pagination, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });

const filter = {
  q: z.string().trim().max(100).optional().describe('信息资源名称 or 信息资源代码 contains'),
  organizationId: uuid.optional().describe('provided by this organization or one below it (信息资源提供方)'),
  province: z.string().regex(/^\d{2}$/).optional().describe('the provider\'s province: first two digits of its 行政区划代码; 00 central'),
  classification: z.enum(CLASSIFICATION_KINDS).optional().describe('类: base 1 基础 / theme 2 主题 / department 3 部门信息资源'),
  baseCategory: z.enum(BASE_CATEGORIES).optional().describe('基础信息资源: 人口/法人/自然资源和空间地理/社会信用/电子证照'),
  sharingType: z.enum(SHARING_TYPES).optional(),
  openType: z.enum(OPEN_TYPES).optional(),
  updateCycle: z.enum(UPDATE_CYCLES).optional(),
  codePrefix: z.string().regex(CODE_PREFIX_PATTERN).optional().describe('a node of the classification tree: 1, 1-05 or 1-05-001'),
  projectId: uuid.optional(),
};

const entry = z.object({
  id: z.string(), projectId: z.string(), code: z.string(), name: z.string(),
  project: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  providerOrganizationId: z.string(), providerOrganizationName: z.string(),
  providerDivisionCode: z.string().nullable(), providerProvince: z.object({ code: z.string(), name: localized }),
  version: z.number(),
}).passthrough();

type TreeNode = { code: string; level: string; name: { zh: string; en: string } | null; count: number; children: TreeNode[] };
const classificationNode: z.ZodType<TreeNode> = z.lazy(() => z.object({
  code: z.string().describe('分类码 up to this level (the list\'s codePrefix)'), level: z.enum(['category', 'item', 'entry']),
  name: localized.nullable(), count: z.number().int(), children: z.array(classificationNode),
}));
type DepartmentTreeNode = { organizationId: string; name: string; kind: string; count: number; total: number; children: DepartmentTreeNode[] };
const departmentNode: z.ZodType<DepartmentTreeNode> = z.lazy(() => z.object({
  organizationId: z.string(), name: z.string(), kind: z.string(),
  count: z.number().int().describe('resources it provides itself'), total: z.number().int().describe('with the organizations below it'),
  children: z.array(departmentNode),
}));

function classificationText(r: CatalogEntry): string {
  const kind = CLASSIFICATION_NAMES[r.classification.kind].zh;
  return r.classification.baseCategory ? `${kind}·${BASE_CATEGORY_NAMES[r.classification.baseCategory].zh}` : kind;
}

export const resourceCatalogViewRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/resource-catalog', access: 'project:read', tags: ['resource-catalog'],
    summary: '信息资源目录（部门/全国）/ The catalogs of the projects the caller may see (第十一条)',
    query: z.strictObject({ ...filter, ...pagination }),
    responses: { 200: z.object({ items: z.array(entry), total: z.number().int() }) },
    handler: async ({ services, actor, query: { page, pageSize, ...f } }) => listCatalog(services, actor, f, page, pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/resource-catalog/tree', access: 'project:read', tags: ['resource-catalog'],
    summary: '信息资源目录树 / Counts by 类→项→目 of the code, or by providing department',
    query: z.strictObject({ by: z.enum(['classification', 'department']).default('classification'), ...filter }),
    responses: {
      200: z.union([
        z.object({ by: z.literal('classification'), nodes: z.array(classificationNode), total: z.number().int() }),
        z.object({ by: z.literal('department'), nodes: z.array(departmentNode), total: z.number().int() }),
      ]),
    },
    handler: async ({ services, actor, query: { by, ...f } }) =>
      by === 'department' ? departmentTree(services, actor, f) : classificationTree(services, actor, f),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/resource-catalog/export', access: 'project:read', tags: ['resource-catalog'],
    summary: '导出信息资源目录 / Export the catalogs (.xlsx, streamed)', query: z.strictObject(filter),
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx<CatalogEntry>(reply, '信息资源目录.xlsx', '信息资源目录', [
        { header: '信息资源代码', width: 24, value: (r) => r.code },
        { header: '信息资源名称', width: 36, value: (r) => r.name },
        { header: '资源分类', width: 24, value: classificationText },
        { header: '信息资源提供方', width: 30, value: (r) => r.providerOrganizationName },
        { header: '所在省份', width: 14, value: (r) => r.providerProvince.name.zh },
        { header: '项目代码', width: 28, value: (r) => r.project.code },
        { header: '项目名称', width: 36, value: (r) => r.project.name },
        { header: '资源格式', value: (r) => FORMAT_NAMES[r.format].zh },
        { header: '更新周期', value: (r) => UPDATE_CYCLE_NAMES[r.updateCycle].zh },
        { header: '共享类型', value: (r) => SHARING_TYPE_NAMES[r.sharingType].zh },
        { header: '共享条件或依据', width: 40, value: (r) => r.sharingBasis },
        { header: '开放类型', value: (r) => OPEN_TYPE_NAMES[r.openType].zh },
        { header: '开放条件或依据', width: 40, value: (r) => r.openBasis },
        { header: '是否涉密', value: (r) => (r.involvesSecrets ? '是' : '否') },
        { header: '信息项', width: 60, value: (r) => r.dataItems.map((d) => d.name).join('、') },
      ], iterateCatalog(services, actor, query)),
  }),
];
