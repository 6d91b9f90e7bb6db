// 重复采集 (第二十八条): the data items that systems of different owners collect, grouped by
// normalized item, and their export. Departments see the groups that involve their own systems,
// with the other parties shown as 其他部门 unless they may read them (usecases/duplicate-collection.ts).
import { z } from 'zod';
import {
  exportDuplicateCollection, listDuplicateCollection, type CollectingSystem, type DuplicateCollectionGroup,
} from '../../usecases/duplicate-collection.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { pagination, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });

const filter = {
  q: z.string().trim().max(100).optional().describe('the data item (any spelling) contains'),
  province: z.string().regex(/^\d{2}$/).optional().describe('groups with a readable system whose owner is in this province (first two digits of the 行政区划代码; 00 central)'),
  organizationId: uuid.optional().describe('groups with a readable system owned by this organization or one below it'),
};

const group = z.object({
  key: z.string().describe('the normalized item: its canonical terms (身份证号 and 公民身份号码 share one)'),
  dataItem: z.string().describe('the spelling most systems use'),
  names: z.array(z.object({ name: z.string(), similarity: z.number() })).describe('every spelling, with its similarity to dataItem'),
  ownerCount: z.number().int(),
  systemCount: z.number().int(),
  systems: z.array(z.object({
    visible: z.boolean().describe('false: another department\'s system the caller may not read — only the spelling is shown'),
    systemId: z.string().nullable(),
    systemName: z.string().nullable(),
    ownerOrganizationId: z.string().nullable(),
    ownerOrganizationName: z.string().describe('其他部门 when not visible'),
    province: z.object({ code: z.string(), name: localized }).nullable(),
    items: z.array(z.object({
      dataItemName: z.string(),
      resource: z.object({ id: z.string(), code: z.string(), name: z.string(), projectId: z.string() }).nullable(),
    })),
  })),
});

/** One row per system and spelling: what the spreadsheet lists. */
type ExportRow = { group: DuplicateCollectionGroup; system: CollectingSystem; item: CollectingSystem['items'][number] };

async function* rowsOf(batches: AsyncIterable<DuplicateCollectionGroup[]>): AsyncGenerator<ExportRow[]> {
  for await (const groups of batches) {
    yield groups.flatMap((g) => g.systems.flatMap((system) => system.items.map((item) => ({ group: g, system, item }))));
  }
}

export const duplicateCollectionRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/duplicate-collection', access: 'catalog:read', tags: ['system-catalog'],
    summary: '重复采集 / Data items collected by systems of several owners (第二十八条)',
    query: z.strictObject({ ...filter, ...pagination }),
    responses: { 200: z.object({ items: z.array(group), total: z.number().int() }) },
    handler: async ({ services, actor, query: { page, pageSize, ...f } }) => listDuplicateCollection(services, actor, f, page, pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/duplicate-collection/export', access: 'catalog:read', tags: ['system-catalog'],
    summary: '导出重复采集 / Export the duplicate collections (.xlsx)', query: z.strictObject(filter),
    handler: async ({ services, actor, query, reply }) => {
      const batches = await exportDuplicateCollection(services, actor, query);
      return sendXlsx<ExportRow>(reply, '重复采集数据项.xlsx', '重复采集', [
        { header: '数据项', width: 24, value: (r) => r.group.dataItem },
        { header: '采集单位数', width: 12, value: (r) => r.group.ownerCount },
        { header: '采集系统数', width: 12, value: (r) => r.group.systemCount },
        { header: '系统名称', width: 36, value: (r) => r.system.systemName },
        { header: '所属单位', width: 30, value: (r) => r.system.ownerOrganizationName },
        { header: '所在省份', width: 14, value: (r) => r.system.province?.name.zh ?? null },
        { header: '数据项写法', width: 24, value: (r) => r.item.dataItemName },
        { header: '信息资源代码', width: 24, value: (r) => r.item.resource?.code ?? null },
        { header: '信息资源名称', width: 36, value: (r) => r.item.resource?.name ?? null },
      ], rowsOf(batches));
    },
  }),
];
