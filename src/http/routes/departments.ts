// Reference data for pickers and filters (issue 4): the department directory, and the catalog's
// label lists served from the domain's own tables, so the client holds no copy to drift.
import { z } from 'zod';
import {
  BASE_CATEGORIES, BASE_CATEGORY_NAMES, OPEN_TYPES, OPEN_TYPE_NAMES, SHARING_TYPES, SHARING_TYPE_NAMES, UPDATE_CYCLES, UPDATE_CYCLE_NAMES,
} from '../../domain/resource-catalog.ts';
import {
  CENTRAL_PROVINCE, MLPS_LEVEL_NAMES, NETWORK_TYPES, NETWORK_TYPE_NAMES, PROVINCE_NAMES, SYSTEM_STATUSES, SYSTEM_STATUS_NAMES,
} from '../../domain/system-catalog.ts';
import { ORG_KINDS } from '../../domain/organization.ts';
import { DEPARTMENT_PURPOSES, listDepartments } from '../../usecases/departments.ts';
import { defineRoute } from '../route.ts';
import { pagination, uuid } from './schemas.ts';

const department = z.object({
  id: z.string(), name: z.string(), nameEn: z.string(), kind: z.enum(ORG_KINDS), divisionCode: z.string().nullable(),
  parentId: z.string().nullable(), parentName: z.string().nullable(),
});
const localized = z.object({ zh: z.string(), en: z.string() });
const label = z.object({ code: z.string(), name: localized });
const labelsOf = <K extends string | number>(codes: readonly K[], names: Readonly<Record<K, { zh: string; en: string }>>) =>
  codes.map((code) => ({ code: String(code), name: names[code] }));

/** The catalog's label lists, in display order (computed once: they are the domain's constants). */
export const CATALOG_LABELS = {
  networks: labelsOf(NETWORK_TYPES, NETWORK_TYPE_NAMES),
  statuses: labelsOf(SYSTEM_STATUSES, SYSTEM_STATUS_NAMES),
  mlpsLevels: labelsOf([1, 2, 3, 4, 5] as const, MLPS_LEVEL_NAMES),
  provinces: [
    { code: CENTRAL_PROVINCE.code, name: CENTRAL_PROVINCE.name },
    ...Object.keys(PROVINCE_NAMES).sort().map((code) => ({ code, name: PROVINCE_NAMES[code]! })),
  ],
  sharingTypes: labelsOf(SHARING_TYPES, SHARING_TYPE_NAMES),
  openTypes: labelsOf(OPEN_TYPES, OPEN_TYPE_NAMES),
  updateCycles: labelsOf(UPDATE_CYCLES, UPDATE_CYCLE_NAMES),
  baseCategories: labelsOf(BASE_CATEGORIES, BASE_CATEGORY_NAMES),
};

export const departmentRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/departments', access: ['framework:manage', 'catalog:manage'], tags: ['organizations'],
    summary: '部门目录（选择器） / Department directory for pickers',
    query: z.strictObject({
      purpose: z.enum(DEPARTMENT_PURPOSES).describe('participant: any government department (framework:manage); lead: within the framework:manage scope; system-owner: within the catalog:manage scope'),
      q: z.string().trim().max(100).optional().describe('part of the name, a 统一社会信用代码, or the start of a 行政区划代码'),
      ids: z.string().max(3700).optional().transform((v, ctx) => {
        if (v === undefined) return undefined;
        const ids = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (ids.length > 100 || ids.some((id) => !uuid.safeParse(id).success)) {
          ctx.addIssue({ code: 'custom', message: 'at most 100 comma-separated UUIDs' });
          return z.NEVER;
        }
        return ids;
      }).describe('comma-separated ids: resolve the labels of values already chosen'),
      ...pagination,
    }),
    responses: { 200: z.object({ items: z.array(department), total: z.number().int() }) },
    handler: async ({ services, actor, query }) => listDepartments(services, actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/catalog/labels', access: 'authenticated', tags: ['catalog'],
    summary: '目录标签（网络、状态、省份等） / Catalog label lists',
    responses: {
      200: z.object({
        networks: z.array(label), statuses: z.array(label), mlpsLevels: z.array(label), provinces: z.array(label),
        sharingTypes: z.array(label), openTypes: z.array(label), updateCycles: z.array(label), baseCategories: z.array(label),
      }),
    },
    handler: async ({ reply }) => {
      reply.header('cache-control', 'private, max-age=3600');
      return CATALOG_LABELS;
    },
  }),
];
