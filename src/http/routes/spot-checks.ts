// 双随机、一公开 for the supervisory bodies (第三十条; SPEC §9): create (freeze and publish the pools),
// draw once, record outcomes, publish them. The public side is src/http/routes/open-data.ts.
import { z } from 'zod';
import {
  concludeSpotCheck, createSpotCheck, drawSpotCheck, getSpotCheck, iterateSpotChecks, listInspectorCandidates, listSpotChecks, recordOutcomes,
} from '../../usecases/spot-checks.ts';
import { sendXlsx } from '../xlsx.ts';
import { defineRoute } from '../route.ts';
import { idParams, pagination, text, uuid } from './schemas.ts';

const TAGS = ['spot-checks'];

const createBody = z.strictObject({
  title: text(200),
  checklist: z.array(z.strictObject({
    code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,20}$/).describe('item code, e.g. C1'),
    title: text(200),
    basis: text(200).describe('the article or rule it checks, e.g. 第三十条 资金使用'),
  })).min(1).max(50),
  targetFilter: z.strictObject({
    kinds: z.array(z.enum(['project', 'system'])).min(1).max(2),
    organizationId: uuid.optional().describe('only targets of this organization or one below it'),
    projectStages: z.array(z.string().max(40)).max(10).optional(),
    systemStatuses: z.array(z.enum(['under_construction', 'operating', 'retired'])).max(3).optional(),
  }),
  targetCount: z.number().int().min(1).max(1000),
  inspectorsPerTarget: z.number().int().min(2).max(20).describe('at least 2 (双随机)'),
  inspectorUserIds: z.array(uuid).min(2).max(1000).describe('the inspector pool; each user\'s first organization decides conflicts'),
});

const STATUS = { pooled: '已公开对象库，待抽取', drawn: '已抽取，检查中', concluded: '结果已公开' } as const;
const shanghai = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' });
const at = (iso: string | null) => (iso ? shanghai.format(new Date(iso)) : null);

export const spotCheckRoutes = [
  // Before /:id, so "export" and "inspector-candidates" are not taken for ids.
  defineRoute({
    method: 'GET', url: '/api/v1/spot-checks/export', access: 'spotcheck:read', tags: TAGS, summary: '导出双随机抽查 / Export spot checks (.xlsx)',
    handler: async ({ services, actor, reply }) =>
      sendXlsx(reply, '双随机抽查.xlsx', '双随机抽查', [
        { header: '抽查名称', width: 36, value: (s) => s.title },
        { header: '组织机构', width: 24, value: (s) => s.organizationName },
        { header: '状态', width: 18, value: (s) => STATUS[s.status] },
        { header: '检查事项数', value: (s) => s.checklist.length },
        { header: '抽查对象库', value: (s) => s.targets.length },
        { header: '检查人员库', value: (s) => s.inspectors.length },
        { header: '抽取对象数', value: (s) => s.rules.targetCount },
        { header: '每对象检查人员数', value: (s) => s.rules.inspectorsPerTarget },
        { header: '种子', width: 66, value: (s) => s.seed },
        { header: '抽取结果摘要 SM3', width: 66, value: (s) => s.resultDigest },
        { header: '抽取时间（北京时间）', width: 22, value: (s) => at(s.drawnAt) },
        { header: '不合格项', value: (s) => (s.status === 'pooled' ? null : s.outcomes.filter((o) => o.outcome === 'fail').length) },
        { header: '公开时间（北京时间）', width: 22, value: (s) => at(s.concludedAt) },
        { header: '创建时间（北京时间）', width: 22, value: (s) => at(s.createdAt) },
      ], iterateSpotChecks(services, actor)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/spot-checks/inspector-candidates', access: 'spotcheck:manage', tags: TAGS,
    summary: '可选检查人员 / Users who may join an inspector pool, with the organization conflicts are decided by',
    query: z.strictObject({ q: z.string().trim().max(100).optional() }),
    responses: {
      200: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), organizationId: z.string(), organizationName: z.string() })),
    },
    handler: async ({ services, actor, query }) => listInspectorCandidates(services, actor, query.q),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/spot-checks', access: 'spotcheck:read', tags: TAGS, summary: '双随机抽查列表 / Spot checks',
    query: z.strictObject(pagination),
    handler: async ({ services, actor, query }) => listSpotChecks(services, actor, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/spot-checks/:id', access: 'spotcheck:read', tags: TAGS, summary: '双随机抽查详情 / A spot check',
    params: idParams,
    handler: async ({ services, actor, params }) => getSpotCheck(services, actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/spot-checks', access: 'spotcheck:manage', tags: TAGS,
    summary: '新建双随机抽查：冻结并公开抽查对象库和检查人员库 / Create a spot check: freeze and publish the pools',
    body: createBody,
    handler: async ({ services, actor, body, reply }) => {
      reply.code(201);
      return createSpotCheck(services, actor, body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/spot-checks/:id/draw', access: 'spotcheck:manage', tags: TAGS,
    summary: '抽取（每次抽查一次）/ Draw (once)',
    params: idParams,
    body: z.strictObject({ seed: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('a seed announced in advance; omitted: 32 random bytes') }),
    handler: async ({ services, actor, params, body }) => drawSpotCheck(services, actor, params.id, body.seed),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/spot-checks/:id/outcomes', access: 'spotcheck:manage', tags: TAGS,
    summary: '登记检查结果 / Record outcomes',
    params: idParams,
    body: z.strictObject({
      outcomes: z.array(z.strictObject({
        targetRef: z.string().max(20), itemCode: z.string().max(20), outcome: z.enum(['pass', 'fail']), notes: z.string().trim().max(2000).default(''),
      })).min(1).max(5000),
    }),
    handler: async ({ services, actor, params, body }) => recordOutcomes(services, actor, params.id, body.outcomes),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/spot-checks/:id/conclude', access: 'spotcheck:manage', tags: TAGS,
    summary: '公开检查结果 / Publish the outcomes',
    params: idParams,
    handler: async ({ services, actor, params }) => concludeSpotCheck(services, actor, params.id),
  }),
];
