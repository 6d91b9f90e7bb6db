// 操作日志、登录日志与审计日志校验 (第三十一条; SPEC §10).
import { z } from 'zod';
import { checkpointNow, iterateAuditEvents, listAuditEvents, verifyLog } from '../../usecases/audit-log.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, listOf, pagination } from './schemas.ts';

const filter = z.strictObject({
  category: z.enum(['operation', 'login']).optional(),
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(100).optional(),
  outcome: z.enum(['success', 'denied', 'failure']).optional(),
  objectType: z.string().trim().max(64).optional(),
  objectId: z.string().trim().max(100).optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
});
const event = z.object({
  id: z.string(), occurredAt: z.string(), actorUsername: z.string().nullable(), actorDisplayName: z.string().nullable(),
  organizationName: z.string().nullable(), role: z.string().nullable(), action: z.string(), objectType: z.string().nullable(),
  objectId: z.string().nullable(), outcome: z.enum(['success', 'denied', 'failure']), diff: z.unknown(),
  requestId: z.string().nullable(), clientAddress: z.string().nullable(),
});
const OUTCOMES = { success: '成功', denied: '拒绝', failure: '失败' } as const;
const shanghai = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' });

export const auditRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/audit/events', access: 'audit:log:read', tags: ['audit'], summary: '审计事件 / Audit events',
    query: filter.extend(pagination), responses: { 200: listOf(event) },
    handler: async ({ services, actor, query }) => listAuditEvents(services, actor, query, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/audit/events/export', access: 'audit:log:export', tags: ['audit'],
    summary: '导出审计事件 / Export audit events (.xlsx)', query: filter,
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx(reply, query.category === 'login' ? '登录日志.xlsx' : '操作日志.xlsx', '日志', [
        { header: '事件编号', value: (e) => e.id },
        { header: '时间（北京时间）', width: 22, value: (e) => shanghai.format(new Date(e.occurredAt)) },
        { header: '用户名', value: (e) => e.actorUsername },
        { header: '姓名', value: (e) => e.actorDisplayName },
        { header: '机构', width: 30, value: (e) => e.organizationName },
        { header: '角色', value: (e) => e.role },
        { header: '操作', width: 24, value: (e) => e.action },
        { header: '对象类型', value: (e) => e.objectType },
        { header: '对象编号', width: 38, value: (e) => e.objectId },
        { header: '结果', value: (e) => OUTCOMES[e.outcome] },
        { header: '变更内容', width: 60, value: (e) => (e.diff === null ? null : JSON.stringify(e.diff)) },
        { header: '请求编号', width: 38, value: (e) => e.requestId },
        { header: '客户端地址', value: (e) => e.clientAddress },
      ], iterateAuditEvents(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/audit/verify', access: 'audit:verify', tags: ['audit'], summary: '校验审计日志 / Verify the audit log',
    responses: {
      200: z.object({
        status: z.enum(['intact', 'broken']), eventsChecked: z.number(), chainsChecked: z.number(), checkpointsChecked: z.number(),
        lastCheckpointAt: z.string().nullable(), durationMs: z.number(),
        problems: z.array(z.object({
          kind: z.string(), message: z.string(), eventId: z.string().optional(), chainId: z.string().optional(),
          seq: z.string().optional(), checkpointId: z.string().optional(),
        })),
      }),
    },
    handler: async ({ services, actor }) => verifyLog(services, actor),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/audit/checkpoints', access: 'audit:checkpoint:create', tags: ['audit'],
    summary: '生成检查点 / Sign a checkpoint now',
    responses: { 200: z.object({ id: z.string().nullable(), createdAt: z.string().nullable(), entryCount: z.number() }) },
    handler: async ({ services, actor }) => {
      const c = await checkpointNow(services, actor);
      return { id: c?.id ?? null, createdAt: c?.createdAt.toISOString() ?? null, entryCount: c?.entryCount ?? 0 };
    },
  }),
];
