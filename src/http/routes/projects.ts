// 项目 (SPEC §2): list, export, read, create, edit.
import { z } from 'zod';
import { PROJECT_KINDS, URGENT_REASON_CATEGORIES, STAGES } from '../../domain/lifecycle.ts';
import {
  createProject, FUNDING_CHANNELS, getProject, iterateProjects, listProjects, updateProject,
} from '../../usecases/projects.ts';
import { ifMatchVersion, setEtag } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, idParams, pagination, text, uuid } from './schemas.ts';

/** 万元 with at most two decimals (SPEC §2: amounts are shown and approved in 万元, two places). */
const wan = z.string().regex(/^\d{1,13}(\.\d{1,2})?$/, 'project.amount_places').describe('万元, up to two decimals');
const decimalText = z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/);

const indicator = z.strictObject({
  indicator: text(200),
  category: z.enum(['output', 'effect', 'satisfaction', 'cost']).describe('产出/效益/满意度/成本'),
  unit: text(50),
  baseline: decimalText,
  targets: z.array(z.strictObject({ year: z.number().int().min(2000).max(2100), value: decimalText })).min(1).max(20),
  direction: z.enum(['higher', 'lower']),
});

const projectBody = z.strictObject({
  name: text(200),
  code: z.string().regex(/^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/).optional().describe('an existing 项目代码 (import); omitted: the platform issues one'),
  constructionUnitId: uuid,
  approvalDepartmentId: uuid,
  track: z.enum(['approval', 'filing']),
  kind: z.enum(PROJECT_KINDS),
  planTaskId: uuid.nullable().default(null),
  involvesSecrets: z.boolean().default(false),
  crossDepartment: z.strictObject({ leadOrganizationId: uuid, participantIds: z.array(uuid).max(50) }).nullable().default(null),
  constructionStart: calendarDate,
  constructionEnd: calendarDate,
  totalInvestment: wan,
  oAndMFunds: wan.default('0'),
  fundingChannel: z.enum(FUNDING_CHANNELS),
  performanceIndicators: z.array(indicator).max(100).default([]),
  systems: z.array(z.strictObject({ name: text(200), action: z.enum(['new', 'upgrade']) })).max(100).default([]),
  security: z.strictObject({
    scheme: z.enum(['mlps', 'classified']),
    mlpsLevel: z.number().int().min(1).max(5).nullable(),
    cryptoPlan: z.enum(['none', 'drafted', 'approved']).default('none'),
    cryptoAssessment: z.enum(['not_started', 'planned', 'passed', 'failed']).default('not_started'),
  }),
  newCivilConstruction: z.boolean().default(false),
  highEnergyConsumption: z.boolean().default(false),
  urgent: z.strictObject({
    reasonCategory: z.enum(URGENT_REASON_CATEGORIES).nullable(),
    justification: z.string().max(10_000),
    situationUrgent: z.boolean(),
    preparationAdequate: z.boolean(),
  }).nullable().default(null),
});

const project = z.object({ id: z.string(), code: z.string(), name: z.string(), version: z.number() }).passthrough();
const filter = z.strictObject({
  q: z.string().trim().max(100).optional(),
  track: z.enum(['approval', 'filing']).optional(),
  kind: z.enum(PROJECT_KINDS).optional(),
  stage: z.enum(STAGES as unknown as [string, ...string[]]).optional(),
  status: z.string().max(40).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  organizationId: uuid.optional(),
  minInvestment: wan.optional(),
  maxInvestment: wan.optional(),
});

const KIND_NAMES = { new: '新建', rebuild: '改建', expansion: '扩建', purchasedService: '政府购买服务' } as const;

export const projectRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/projects', access: 'project:read', tags: ['projects'], summary: '项目列表 / Projects',
    query: filter.extend(pagination), responses: { 200: z.object({ items: z.array(project), total: z.number() }) },
    handler: async ({ services, actor, query }) => listProjects(services, actor, query, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/export', access: 'project:read', tags: ['projects'], summary: '导出项目 / Export projects (.xlsx)',
    query: filter,
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx(reply, '项目列表.xlsx', '项目', [
        { header: '项目代码', width: 26, value: (p) => p.code },
        { header: '项目名称', width: 40, value: (p) => p.name },
        { header: '建设单位', width: 30, value: (p) => p.constructionUnitName },
        { header: '审批部门', width: 30, value: (p) => p.approvalDepartmentName },
        { header: '管理方式', value: (p) => (p.track === 'approval' ? '审批' : '备案') },
        { header: '建设性质', value: (p) => KIND_NAMES[p.kind] },
        { header: '列入规划', value: (p) => (p.inPlan ? '是' : '否') },
        { header: '当前阶段', width: 30, value: (p) => p.lifecycle.name.zh },
        { header: '总投资（万元）', width: 16, value: (p) => p.totalInvestment },
        { header: '运维经费（万元）', width: 16, value: (p) => p.oAndMFunds },
        { header: '建设起始', value: (p) => p.constructionStart },
        { header: '建设截止', value: (p) => p.constructionEnd },
      ], iterateProjects(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id', access: 'project:read', tags: ['projects'], summary: '项目详情 / A project',
    params: idParams, responses: { 200: project },
    handler: async ({ services, actor, params, reply }) => {
      const p = await getProject(services, actor, params.id);
      setEtag(reply, p.version);
      return p;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects', access: 'project:create', tags: ['projects'], summary: '新建项目 / Create a project',
    body: projectBody, responses: { 201: project },
    handler: async ({ services, actor, body, reply }) => {
      const p = await createProject(services, actor, body);
      setEtag(reply, p.version);
      reply.code(201);
      return p;
    },
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/projects/:id', access: 'project:update', tags: ['projects'],
    summary: '修改项目 / Edit a project in draft (If-Match: version)', params: idParams, body: projectBody.omit({ code: true }),
    responses: { 200: project },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const p = await updateProject(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, p.version);
      return p;
    },
  }),
];
