// 安全与资源记录 (第十四条–第十七条), 共享问题认定 (第二十八条(一)) and 运维经费资格 (第二十八条):
// records per system and per project, the supervisory findings, one system's eligibility, the
// national list for 财政部 with its .xlsx export, and a project's 改建/扩建 check.
import { z } from 'zod';
import { NETWORK_TYPES, NETWORK_TYPE_NAMES, SYSTEM_STATUSES, SYSTEM_STATUS_NAMES, MLPS_LEVEL_NAMES } from '../../domain/system-catalog.ts';
import { PRODUCT_CATEGORIES, SECURITY_RECORD_KINDS } from '../../domain/security-records.ts';
import {
  getSystemEligibility, iterateEligibility, listEligibility, projectRebuildCheck, type SystemEligibility,
} from '../../usecases/eligibility.ts';
import {
  createSecurityRecord, listFindings, listProjectRecords, listSystemRecords, recordFinding, resolveFinding, resolveHazard,
} from '../../usecases/security-records.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx, type XlsxColumn } from '../xlsx.ts';
import { calendarDate, idParams, pagination, text, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });
const decimalText = z.string().trim().regex(/^\d{1,6}(\.\d{1,4})?$/);

const details = z.strictObject({
  scheme: z.enum(['mlps', 'classified']).optional().describe('filing: 等级保护 / 分级保护'),
  level: z.number().int().min(1).max(5).nullable().optional().describe('filing: 等保级别 2–5'),
  agency: text(200).optional().describe('tests and assessments: 测评/评估机构'),
  findings: text(2000).optional().describe('findings; for a hazard its description'),
  score: decimalText.nullable().optional().describe('密评 score 0–100'),
  reviewed: z.boolean().optional().describe('cryptoPlan: reviewed (评审通过)'),
  product: text(200).optional(), vendor: text(200).optional(), category: z.enum(PRODUCT_CATEGORIES).optional(),
  dataCentre: text(200).optional(), pue: decimalText.optional().describe('PUE, e.g. 1.35 (recorded; no limit in the Measures)'),
  provider: text(200).optional().describe('政务云'), vcpu: z.number().int().min(0).max(10_000_000).optional(),
  storageTb: decimalText.optional().describe('TB'),
});

const recordBody = z.strictObject({
  kind: z.enum(SECURITY_RECORD_KINDS).describe('filing 备案 / securityTest 测评 / riskAssessment 风险评估 / cryptoPlan 密码应用方案 / cryptoAssessment 密评 / hazard 重大安全隐患 / product 安全可靠产品 / energy PUE / cloud 云资源'),
  projectId: uuid.nullable().default(null).describe('the project it is made under (I-50)'),
  systemId: uuid.nullable().default(null).describe('the system it is about; required for filing, tests, 密评 and hazards'),
  occurredOn: calendarDate.describe('filed / tested / drafted / found / measured / since; not after today'),
  passed: z.boolean().nullable().default(null).describe('the conclusion of a test or an assessment'),
  reference: z.string().trim().max(100).nullable().default(null).describe('备案编号 / 报告编号 / 证书编号'),
  details: details.default({}),
});

const record = z.object({
  id: z.string(), kind: z.enum(SECURITY_RECORD_KINDS), projectId: z.string().nullable(), projectName: z.string().nullable(),
  systemId: z.string().nullable(), systemName: z.string().nullable(), occurredOn: z.string(), passed: z.boolean().nullable(),
  reference: z.string().nullable(), details: z.record(z.string(), z.unknown()), resolvedOn: z.string().nullable(), resolution: z.string().nullable(),
  recordedBy: z.string(), recordedByName: z.string(), createdAt: z.string(),
});

const finding = z.object({
  id: z.string(), systemId: z.string(), kind: z.enum(['notSharing', 'duplicateCollection']), reference: z.string(), description: z.string(),
  foundOn: z.string(), organizationId: z.string(), organizationName: z.string(), recordedBy: z.string(), recordedByName: z.string(),
  createdAt: z.string(), resolvedOn: z.string().nullable(), resolution: z.string().nullable(),
});

const resolution = z.strictObject({ resolvedOn: calendarDate, resolution: text(2000) });

const reason = z.object({
  code: z.string(), clause: z.enum(['一', '二', '三', '孤网']).nullable().describe('the part of 第二十八条'), article: z.string(),
  message: localized, params: z.record(z.string(), z.string()),
});

const eligibility = z.object({
  systemId: z.string(), name: z.string(), ownerOrganizationId: z.string(), ownerOrganizationName: z.string(),
  province: z.object({ code: z.string(), name: localized }), networkType: z.enum(NETWORK_TYPES), status: z.enum(SYSTEM_STATUSES),
  security: z.object({ scheme: z.enum(['mlps', 'classified']), mlpsLevel: z.number().int().nullable() }),
  inOperationOn: z.string().nullable().describe('I-52'),
  eligible: z.boolean(), reasons: z.array(reason).describe('every reason, each under its clause'),
  warnings: z.array(reason).describe('shown, deciding nothing (I-20 leads)'),
  mayRebuild: z.boolean().describe('第二十八条 (一)(三) and 孤网 block 改建/扩建 (I-21, I-42)'),
  nextSecurityTestDue: z.string().nullable(), nextCryptoAssessmentDue: z.string().nullable(),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const eligibilityFilter = z.strictObject({
  q: z.string().trim().max(100).optional().describe('system name contains'),
  organizationId: uuid.optional().describe('the owner or one below it'),
  province: z.string().regex(/^\d{2}$/).optional().describe('first two digits of the owner\'s 行政区划代码; 00 central'),
  eligible: flag.optional(),
  clause: z.enum(['一', '二', '三', '孤网']).optional().describe('systems with a reason under this part of 第二十八条'),
  networkType: z.enum(NETWORK_TYPES).optional(),
  status: z.enum(SYSTEM_STATUSES).optional(),
});

const levelText = (e: SystemEligibility) =>
  e.security.scheme === 'classified' ? '分级保护' : e.security.mlpsLevel === null ? null : MLPS_LEVEL_NAMES[e.security.mlpsLevel as 1].zh;

const ELIGIBILITY_COLUMNS: XlsxColumn<SystemEligibility>[] = [
  { header: '系统名称', width: 36, value: (e) => e.name },
  { header: '所属单位', width: 32, value: (e) => e.ownerOrganizationName },
  { header: '省份', width: 14, value: (e) => e.province.name.zh },
  { header: '所在网络', width: 14, value: (e) => NETWORK_TYPE_NAMES[e.networkType].zh },
  { header: '状态', value: (e) => SYSTEM_STATUS_NAMES[e.status].zh },
  { header: '安全保护等级', width: 22, value: levelText },
  { header: '投入运行日期', width: 14, value: (e) => e.inOperationOn },
  { header: '运维经费资格', width: 14, value: (e) => (e.eligible ? '符合' : '不符合') },
  { header: '不符合条款', width: 16, value: (e) => [...new Set(e.reasons.map((r) => r.clause === '孤网' ? '孤网' : `（${r.clause}）`))].join('、') || null },
  { header: '原因（第二十八条）', width: 80, value: (e) => e.reasons.map((r) => r.message.zh).join('；') || null },
  { header: '提示', width: 48, value: (e) => e.warnings.map((r) => r.message.zh).join('；') || null },
  { header: '可否改建扩建', width: 14, value: (e) => (e.mayRebuild ? '可' : '不得改建、扩建') },
  { header: '下次测评应于', width: 14, value: (e) => e.nextSecurityTestDue },
  { header: '下次密评应于', width: 14, value: (e) => e.nextCryptoAssessmentDue },
];

export const securityRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/systems/:id/security-records', access: 'catalog:read', tags: ['security'],
    summary: '系统安全与资源记录 / A system\'s security and resources records, newest first (第十四条–第十七条)', params: idParams,
    responses: { 200: z.object({ items: z.array(record) }) },
    handler: async ({ services, actor, params }) => ({ items: await listSystemRecords(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/security-records', access: 'project:read', tags: ['security'],
    summary: '项目安全与资源记录 / A project\'s records and those of the systems it built (第十四条–第十七条)', params: idParams,
    responses: { 200: z.object({ items: z.array(record) }) },
    handler: async ({ services, actor, params }) => ({ items: await listProjectRecords(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/security-records', access: 'security:record', tags: ['security'],
    summary: '登记安全与资源记录 / Record a filing, test, assessment, 密码应用方案, 密评, hazard, product, PUE or cloud use (第十四条–第十七条)',
    body: recordBody, responses: { 201: record },
    handler: async ({ services, actor, body, reply }) => {
      const r = await createSecurityRecord(services, actor, body);
      reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/security-records/:id/resolve', access: 'security:record', tags: ['security'],
    summary: '重大安全隐患整改销号 / A major hazard is rectified (第二十八条(三))', params: idParams, body: resolution, responses: { 200: record },
    handler: async ({ services, actor, params, body }) => resolveHazard(services, actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/systems/:id/sharing-findings', access: 'catalog:read', tags: ['security'],
    summary: '共享问题认定 / Findings that the system does not share or collects data already collected (第二十八条(一))', params: idParams,
    responses: { 200: z.object({ items: z.array(finding) }) },
    handler: async ({ services, actor, params }) => ({ items: await listFindings(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/systems/:id/sharing-findings', access: 'sharing:finding', tags: ['security'],
    summary: '记录共享问题认定 / 国务院办公厅 or NDRC records a finding (第二十八条(一); I-20: similarity hits are leads, not findings)',
    params: idParams,
    body: z.strictObject({
      kind: z.enum(['notSharing', 'duplicateCollection']).describe('notSharing 未按要求共享 / duplicateCollection 重复采集'),
      reference: text(100).describe('文号或案号'), description: text(2000), foundOn: calendarDate,
    }),
    responses: { 201: finding },
    handler: async ({ services, actor, params, body, reply }) => {
      const f = await recordFinding(services, actor, params.id, body);
      reply.code(201);
      return f;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/sharing-findings/:id/resolve', access: 'sharing:finding', tags: ['security'],
    summary: '共享问题整改销号 / The finding is rectified (第二十八条(一))', params: idParams, body: resolution, responses: { 200: finding },
    handler: async ({ services, actor, params, body }) => resolveFinding(services, actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/systems/:id/eligibility', access: 'catalog:read', tags: ['security'],
    summary: '运维经费资格 / The system\'s O&M funding eligibility with every reason (第二十八条)', params: idParams, responses: { 200: eligibility },
    handler: async ({ services, actor, params }) => getSystemEligibility(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/eligibility', access: 'eligibility:read', tags: ['security'],
    summary: '运维经费资格清单 / Every system\'s O&M funding eligibility (第二十八条), filterable, paginated', query: eligibilityFilter.extend(pagination),
    responses: {
      200: z.object({
        items: z.array(eligibility), total: z.number().int(), today: z.string(),
        counts: z.object({ eligible: z.number().int(), ineligible: z.number().int() }).describe('over the whole filtered set'),
      }),
    },
    handler: async ({ services, actor, query }) => listEligibility(services, actor, query, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/eligibility/export', access: 'eligibility:read', tags: ['security'],
    summary: '导出运维经费资格清单 / Export the list (.xlsx, streamed), same filters', query: eligibilityFilter,
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx(reply, '运维经费资格清单.xlsx', '运维经费资格', ELIGIBILITY_COLUMNS, iterateEligibility(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/rebuild-check', access: 'project:read', tags: ['security'],
    summary: '改建扩建检查 / Whether each system the project upgrades may be rebuilt or expanded (第二十八条 (一)(三), 孤网)', params: idParams,
    responses: {
      200: z.object({
        appliesTo: z.boolean().describe('the project is 改建 or 扩建'),
        systems: z.array(z.object({ systemId: z.string(), name: z.string(), allowed: z.boolean(), reasons: z.array(reason) })),
      }),
    },
    handler: async ({ services, actor, params }) => projectRebuildCheck(services, actor, params.id),
  }),
];
