// 政务信息系统目录 (第十二条) and 孤网例外决定 (第二十八条): a department's systems (list, export, read,
// register, edit, remove), the national catalog (drill-down by organization and by province,
// departments' confirmation status, 确认目录), and the signed exception decisions.
import { z } from 'zod';
import {
  MLPS_LEVEL_NAMES, NETWORK_TYPES, NETWORK_TYPE_NAMES, PROJECT_RELATIONS, PROJECT_RELATION_NAMES, PROTECTION_SCHEMES,
  RESOURCE_RELATIONS, RESOURCE_RELATION_NAMES, SYSTEM_LIMITS, SYSTEM_STATUSES, SYSTEM_STATUS_NAMES, systemProblems,
  type GovernmentSystemInput,
} from '../../domain/system-catalog.ts';
import { grantIsolationException, listIsolationDecisions, revokeIsolationException } from '../../usecases/isolation-exceptions.ts';
import {
  catalogByProvince, catalogSummary, confirmCatalog, getDepartment, iterateDepartments, listConfirmations, listDepartments,
  type CatalogCounts, type DepartmentCatalogStatus,
} from '../../usecases/national-catalog.ts';
import {
  createSystem, deleteSystem, getSystem, iterateSystems, listProjectSystems, listSystems, updateSystem, type GovernmentSystem,
} from '../../usecases/system-catalog.ts';
import { ifMatchVersion, setEtag } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx, type XlsxColumn } from '../xlsx.ts';
import { calendarDate, idParams, listOf, pagination, text, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });

const systemBody = z.strictObject({
  name: text(SYSTEM_LIMITS.name).describe('系统名称, unique within its organization'),
  ownerOrganizationId: uuid.describe('所属单位: the organization whose list holds the system'),
  purpose: text(SYSTEM_LIMITS.purpose).describe('建设目的和主要功能'),
  businessArea: text(SYSTEM_LIMITS.businessArea).describe('业务领域, e.g. 社会保障'),
  networkType: z.enum(NETWORK_TYPES).describe('所在网络: extranet 电子政务外网 / intranet 电子政务内网 / internet 互联网 / isolated 孤网 (第二十八条: needs an exception decision)'),
  involvesSecrets: z.boolean().default(false).describe('涉密: 分级保护, and only intranet or isolated'),
  security: z.strictObject({
    scheme: z.enum(PROTECTION_SCHEMES).describe('mlps 等级保护 / classified 分级保护 (涉密)'),
    mlpsLevel: z.number().int().min(1).max(5).nullable().default(null).describe('等保级别 1–5 for mlps; null for classified'),
    filingNumber: z.string().trim().max(SYSTEM_LIMITS.filingNumber).nullable().default(null)
      .describe('等保备案编号, 11 digits or 11 digits-5 digits (e.g. 11010843001-20001); required for level ≥ 2 in operation, not used for level 1 or classified'),
  }),
  userCount: z.number().int().min(0).max(SYSTEM_LIMITS.userCount).describe('用户规模 (number of users)'),
  status: z.enum(SYSTEM_STATUSES).describe('under_construction 在建 / operating 运行 / retired 下线'),
  projects: z.array(z.strictObject({
    projectId: uuid, relation: z.enum(PROJECT_RELATIONS).describe('new 新建 (at most one) / upgrade 升级改造'),
  })).max(SYSTEM_LIMITS.projects).default([]).describe('the projects that built or upgraded it (ones the caller can see)'),
  resources: z.array(z.strictObject({
    resourceId: uuid, relation: z.enum(RESOURCE_RELATIONS).describe('holds 存储 / collects 采集'),
  })).max(SYSTEM_LIMITS.resources).default([]).describe('information resources of projects\' catalogs (第十一条) it holds or collects'),
}).superRefine((value, ctx) => {
  // The domain's rules across fields, even when some field already failed its schema, so one
  // response lists every problem; a field the schema already flagged is not reported twice.
  const flagged = ctx.issues.map((i) => (i.path ?? []).join('.'));
  for (const p of systemProblems(value as GovernmentSystemInput)) {
    if (flagged.some((f) => p.path === f || p.path.startsWith(`${f}.`))) continue;
    ctx.addIssue({ code: 'custom', message: p.code, path: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), input: value });
  }
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) });

const system = z.object({
  id: z.string(),
  name: z.string(),
  ownerOrganizationId: z.string(),
  ownerOrganizationName: z.string(),
  divisionCode: z.string().nullable().describe('the owner\'s 行政区划代码, or its nearest ancestor\'s; null for central organs'),
  province: z.object({ code: z.string().describe('first two digits; 00 中央本级'), name: localized }),
  purpose: z.string(),
  businessArea: z.string(),
  networkType: z.enum(NETWORK_TYPES),
  involvesSecrets: z.boolean(),
  security: z.object({ scheme: z.enum(PROTECTION_SCHEMES), mlpsLevel: z.number().int().nullable(), filingNumber: z.string().nullable() }),
  userCount: z.number().int(),
  status: z.enum(SYSTEM_STATUSES),
  projects: z.array(z.object({ projectId: z.string(), relation: z.enum(PROJECT_RELATIONS), projectCode: z.string(), projectName: z.string() })),
  resources: z.array(z.object({
    resourceId: z.string(), relation: z.enum(RESOURCE_RELATIONS), resourceCode: z.string(), resourceName: z.string(), projectId: z.string(),
  })),
  isolatedWithoutException: z.boolean().describe('第二十八条: on an isolated network (孤网) without a standing exception decision — flag it'),
  isolationException: z.object({
    decisionId: z.string(), approvalDocumentNumber: z.string(), approvedOn: z.string(), decidedBy: z.string(), decidedByName: z.string(), decidedAt: z.string(),
  }).nullable().describe('the standing 孤网 exception, if any'),
  version: z.number().int().describe('send back as If-Match'),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const systemFilter = z.strictObject({
  q: z.string().trim().max(100).optional().describe('name or purpose contains'),
  ownerOrganizationId: uuid.optional().describe('owned by exactly this organization'),
  organizationId: uuid.optional().describe('drill-down: owned by this organization or one below it'),
  province: z.string().regex(/^\d{2}$/).optional().describe('first two digits of the owner\'s 行政区划代码; 00 for central organs'),
  networkType: z.enum(NETWORK_TYPES).optional(),
  status: z.enum(SYSTEM_STATUSES).optional(),
  protectionScheme: z.enum(PROTECTION_SCHEMES).optional(),
  mlpsLevel: z.coerce.number().int().min(1).max(5).optional(),
  businessArea: z.string().trim().max(100).optional().describe('exact 业务领域'),
  isolatedWithoutException: flag.optional().describe('第二十八条: true lists only the flagged systems'),
  projectId: uuid.optional().describe('linked to this project'),
});

const counts = z.object({
  systems: z.number().int(), underConstruction: z.number().int(), operating: z.number().int(), retired: z.number().int(),
  extranet: z.number().int(), intranet: z.number().int(), internet: z.number().int(), isolated: z.number().int(),
  isolatedWithoutException: z.number().int().describe('第二十八条'), classified: z.number().int(),
  mlpsLevel1: z.number().int(), mlpsLevel2: z.number().int(), mlpsLevel3: z.number().int(), mlpsLevel4: z.number().int(), mlpsLevel5: z.number().int(),
});

const summary = z.object({
  parent: z.object({ id: z.string(), name: z.string() }).nullable(),
  own: counts.nullable().describe('systems the parent owns itself (本级)'),
  items: z.array(z.object({
    organizationId: z.string(), name: z.string(), kind: z.string(), divisionCode: z.string().nullable(), hasChildren: z.boolean(),
    counts: counts.describe('its whole subtree'),
  })),
  total: counts,
});

const provinces = z.object({
  items: z.array(z.object({ province: z.string(), name: localized, counts })),
  total: counts,
});

const department = z.object({
  organizationId: z.string(), name: z.string(), kind: z.string(), parentId: z.string().nullable(),
  province: z.object({ code: z.string(), name: localized }),
  systemCount: z.number().int(), isolatedWithoutException: z.number().int(),
  digest: z.string().describe('SM3 of its systems and versions now; send as expectedDigest when confirming'),
  lastConfirmation: z.object({
    id: z.string(), at: z.string(), by: z.string(), byName: z.string(), systemCount: z.number().int(), digest: z.string(),
  }).nullable(),
  changedSinceConfirmation: z.boolean(),
  confirmationDays: z.number().int().describe('rule setting catalog.confirmationDays in force for it'),
  dueOn: z.string().nullable(),
  stale: z.boolean().describe('第十二条: never confirmed, or confirmed longer ago than confirmationDays'),
});

const departmentFilter = z.strictObject({
  q: z.string().trim().max(100).optional(),
  organizationId: uuid.optional().describe('this organization and those below it'),
  stale: flag.optional().describe('true: only departments whose confirmation is missing or overdue'),
});

const decision = z.object({
  id: z.string(), systemId: z.string(), decision: z.enum(['grant', 'revoke']), reason: z.string(),
  approvalDocumentNumber: z.string().nullable(), approvedOn: z.string().nullable(), revokesId: z.string().nullable(),
  actorId: z.string(), actorName: z.string(), role: z.string(),
  payload: z.string().describe('the canonical JSON that was signed'), signature: z.string().describe('SM2, DER hex'),
  publicKey: z.string(), signatureValid: z.boolean(), createdAt: z.string(),
});

const totp = z.string().regex(/^\d{6}$/).optional().describe('a fresh TOTP code (required)');
const reason = text(2000);

const levelText = (s: GovernmentSystem) =>
  s.security.scheme === 'classified' ? '分级保护' : s.security.mlpsLevel === null ? null : MLPS_LEVEL_NAMES[s.security.mlpsLevel as 1].zh;

const SYSTEM_COLUMNS: XlsxColumn<GovernmentSystem>[] = [
  { header: '系统名称', width: 36, value: (s) => s.name },
  { header: '所属单位', width: 32, value: (s) => s.ownerOrganizationName },
  { header: '省份', width: 14, value: (s) => s.province.name.zh },
  { header: '业务领域', width: 16, value: (s) => s.businessArea },
  { header: '建设目的', width: 48, value: (s) => s.purpose },
  { header: '所在网络', width: 16, value: (s) => NETWORK_TYPE_NAMES[s.networkType].zh },
  { header: '是否涉密', value: (s) => (s.involvesSecrets ? '是' : '否') },
  { header: '安全保护等级', width: 22, value: levelText },
  { header: '等保备案编号', width: 20, value: (s) => s.security.filingNumber },
  { header: '用户规模（人）', width: 16, value: (s) => s.userCount },
  { header: '状态', value: (s) => SYSTEM_STATUS_NAMES[s.status].zh },
  { header: '建设/升级项目', width: 48, value: (s) => s.projects.map((p) => `${p.projectName}（${PROJECT_RELATION_NAMES[p.relation].zh}）`).join('；') },
  { header: '信息资源', width: 48, value: (s) => s.resources.map((r) => `${r.resourceName}（${RESOURCE_RELATION_NAMES[r.relation].zh}）`).join('；') },
  {
    header: '孤网例外', width: 30, value: (s) => s.isolationException ? `已批准：${s.isolationException.approvalDocumentNumber}`
      : s.isolatedWithoutException ? '未经例外决定（第二十八条）' : null,
  },
];

const COUNT_COLUMNS: Array<[string, keyof CatalogCounts]> = [
  ['系统数', 'systems'], ['在建', 'underConstruction'], ['运行', 'operating'], ['下线', 'retired'],
  ['电子政务外网', 'extranet'], ['电子政务内网', 'intranet'], ['互联网', 'internet'], ['孤网', 'isolated'],
  ['孤网未经例外决定', 'isolatedWithoutException'], ['分级保护', 'classified'],
  ['等保一级', 'mlpsLevel1'], ['等保二级', 'mlpsLevel2'], ['等保三级', 'mlpsLevel3'], ['等保四级', 'mlpsLevel4'], ['等保五级', 'mlpsLevel5'],
];
const countColumns = <T extends { counts: CatalogCounts }>(): XlsxColumn<T>[] =>
  COUNT_COLUMNS.map(([header, key]) => ({ header, width: 12, value: (r: T) => r.counts[key] }));

async function* once<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

const DEPARTMENT_COLUMNS: XlsxColumn<DepartmentCatalogStatus>[] = [
  { header: '单位', width: 36, value: (d) => d.name },
  { header: '省份', width: 14, value: (d) => d.province.name.zh },
  { header: '系统数', value: (d) => d.systemCount },
  { header: '孤网未经例外决定', width: 18, value: (d) => d.isolatedWithoutException },
  { header: '最近确认时间', width: 22, value: (d) => d.lastConfirmation?.at ?? null },
  { header: '确认人', value: (d) => d.lastConfirmation?.byName ?? null },
  { header: '确认后是否变更', width: 16, value: (d) => (d.lastConfirmation ? (d.changedSinceConfirmation ? '是' : '否') : null) },
  { header: '确认周期（日）', width: 16, value: (d) => d.confirmationDays },
  { header: '应确认日期', width: 14, value: (d) => d.dueOn },
  { header: '逾期未确认', width: 12, value: (d) => (d.stale ? '是' : '否') },
];

export const systemCatalogRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/systems', access: 'catalog:read', tags: ['system-catalog'],
    summary: '政务信息系统目录 / Government information systems (第十二条), filterable', query: systemFilter.extend(pagination),
    responses: { 200: listOf(system) },
    handler: async ({ services, actor, query }) => listSystems(services, actor, query, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/systems/export', access: 'catalog:read', tags: ['system-catalog'],
    summary: '导出政务信息系统目录 / Export the systems (.xlsx), same filters as the list', query: systemFilter,
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx(reply, '政务信息系统目录.xlsx', '政务信息系统', SYSTEM_COLUMNS, iterateSystems(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/systems/:id', access: 'catalog:read', tags: ['system-catalog'],
    summary: '政务信息系统详情 / A system (ETag: version)', params: idParams, responses: { 200: system },
    handler: async ({ services, actor, params, reply }) => {
      const s = await getSystem(services, actor, params.id);
      setEtag(reply, s.version);
      return s;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/systems', access: 'catalog:manage', tags: ['system-catalog'],
    summary: '登记政务信息系统 / Register a system in its organization\'s list', body: systemBody, responses: { 201: system },
    handler: async ({ services, actor, body, reply }) => {
      const s = await createSystem(services, actor, body);
      setEtag(reply, s.version);
      reply.code(201);
      return s;
    },
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/systems/:id', access: 'catalog:manage', tags: ['system-catalog'],
    summary: '修改政务信息系统 / Edit a system and its links (If-Match: version)', params: idParams, body: systemBody, responses: { 200: system },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const s = await updateSystem(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, s.version);
      return s;
    },
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/systems/:id', access: 'catalog:manage', tags: ['system-catalog'],
    summary: '删除误登记的系统 / Remove a system registered by mistake (If-Match; 409 once it has exception decisions: set it to retired)',
    params: idParams,
    handler: async ({ services, actor, params, request }) => {
      await deleteSystem(services, actor, params.id, ifMatchVersion(request));
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/systems/:id/isolation-decisions', access: 'catalog:read', tags: ['system-catalog'],
    summary: '孤网例外决定记录 / The system\'s 孤网 exception decisions, oldest first, each signature verified (第二十八条)',
    params: idParams, responses: { 200: z.object({ items: z.array(decision) }) },
    handler: async ({ services, actor, params }) => ({ items: await listIsolationDecisions(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/systems/:id/isolation-exception', access: 'catalog:exception', tags: ['system-catalog'],
    summary: '孤网例外决定 / Record the State Council-approved exception for a system on an isolated network (第二十八条; NDRC; TOTP; SM2-signed)',
    params: idParams,
    body: z.strictObject({
      reason: reason.describe('why the system cannot be networked and shared'),
      approvalDocumentNumber: text(100).describe('the State Council approval\'s document number'),
      approvedOn: calendarDate.describe('its date, not after today'),
      totp,
    }),
    responses: { 201: z.object({ decision, system }) },
    handler: async ({ services, actor, params, body, reply }) => {
      const result = await grantIsolationException(services, actor, params.id, body);
      reply.code(201);
      return result;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/systems/:id/isolation-exception/revoke', access: 'catalog:exception', tags: ['system-catalog'],
    summary: '撤销孤网例外 / Revoke the standing exception (第二十八条; NDRC; TOTP; SM2-signed)', params: idParams,
    body: z.strictObject({ reason, totp }),
    responses: { 201: z.object({ decision, system }) },
    handler: async ({ services, actor, params, body, reply }) => {
      const result = await revokeIsolationException(services, actor, params.id, body);
      reply.code(201);
      return result;
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/systems', access: 'project:read', tags: ['system-catalog'],
    summary: '项目建设或升级的系统 / The systems a project built or upgraded (with the project\'s visibility)', params: idParams,
    responses: { 200: listOf(system) },
    handler: async ({ services, actor, params }) => listProjectSystems(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/summary', access: 'catalog:read', tags: ['system-catalog'],
    summary: '国家政务信息系统总目录汇总 / The national catalog by organization; parentId drills down (第十二条)',
    query: z.strictObject({ parentId: uuid.optional() }), responses: { 200: summary },
    handler: async ({ services, actor, query }) => catalogSummary(services, actor, query.parentId ?? null),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/summary/export', access: 'catalog:read', tags: ['system-catalog'],
    summary: '导出总目录汇总 / Export one drill-down level (.xlsx)', query: z.strictObject({ parentId: uuid.optional() }),
    handler: async ({ services, actor, query, reply }) => {
      const s = await catalogSummary(services, actor, query.parentId ?? null);
      const rows = [
        ...(s.parent && s.own ? [{ name: `${s.parent.name}（本级）`, counts: s.own }] : []),
        ...s.items.map((i) => ({ name: i.name, counts: i.counts })),
        { name: '合计', counts: s.total },
      ];
      return sendXlsx(reply, `政务信息系统总目录汇总${s.parent ? `-${s.parent.name}` : ''}.xlsx`, '汇总',
        [{ header: '单位', width: 36, value: (r) => r.name }, ...countColumns<(typeof rows)[number]>()], once(rows));
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/provinces', access: 'catalog:read', tags: ['system-catalog'],
    summary: '按省份汇总 / The national catalog by province (行政区划代码 first two digits)', responses: { 200: provinces },
    handler: async ({ services, actor }) => catalogByProvince(services, actor),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/provinces/export', access: 'catalog:read', tags: ['system-catalog'],
    summary: '导出按省份汇总 / Export the catalog by province (.xlsx)',
    handler: async ({ services, actor, reply }) => {
      const p = await catalogByProvince(services, actor);
      const rows = [...p.items.map((i) => ({ name: i.name.zh, code: i.province, counts: i.counts })), { name: '合计', code: null, counts: p.total }];
      return sendXlsx(reply, '政务信息系统总目录-按省份.xlsx', '按省份', [
        { header: '省份', width: 20, value: (r) => r.name }, { header: '区划代码前两位', width: 14, value: (r) => r.code },
        ...countColumns<(typeof rows)[number]>(),
      ], once(rows));
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/departments', access: 'catalog:read', tags: ['system-catalog'],
    summary: '各部门目录确认情况 / Each department\'s list and its last confirmation; stale=true lists the overdue (第十二条)',
    query: departmentFilter.extend(pagination), responses: { 200: listOf(department) },
    handler: async ({ services, actor, query }) => listDepartments(services, actor, query, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/departments/export', access: 'catalog:read', tags: ['system-catalog'],
    summary: '导出各部门目录确认情况 / Export the departments\' confirmation status (.xlsx)', query: departmentFilter,
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx(reply, '政务信息系统目录确认情况.xlsx', '目录确认', DEPARTMENT_COLUMNS, iterateDepartments(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/departments/:id', access: 'catalog:read', tags: ['system-catalog'],
    summary: '部门目录确认情况 / One department\'s list status (with the digest to confirm)', params: idParams, responses: { 200: department },
    handler: async ({ services, actor, params }) => getDepartment(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/system-catalog/departments/:id/confirmations', access: 'catalog:read', tags: ['system-catalog'],
    summary: '确认记录 / A department\'s confirmations, newest first', params: idParams,
    responses: {
      200: listOf(z.object({
        id: z.string(), at: z.string(), by: z.string(), byName: z.string(), role: z.string(), systemCount: z.number().int(), digest: z.string(), note: z.string(),
      })),
    },
    handler: async ({ services, actor, params }) => listConfirmations(services, actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/system-catalog/confirmations', access: 'catalog:manage', tags: ['system-catalog'],
    summary: '确认目录 / Confirm that a department\'s list is current (第十二条); expectedDigest: 412 if the list changed since it was read',
    body: z.strictObject({
      organizationId: uuid,
      expectedDigest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
      note: z.string().trim().max(2000).optional(),
    }),
    responses: { 201: department },
    handler: async ({ services, actor, body, reply }) => {
      const status = await confirmCatalog(services, actor, body);
      reply.code(201);
      return status;
    },
  }),
];
