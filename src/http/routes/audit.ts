// 操作日志、登录日志与审计日志校验 (第三十一条; SPEC §10).
import { z } from 'zod';
import { checkpointNow, iterateAuditEvents, listAuditEvents, verifyLog } from '../../usecases/audit-log.ts';
import {
  SIGNED_KINDS, SIGNED_KIND_CODES, getSignedRecord, iterateSignedRecords, listSignedRecords, type SignedKindCode,
} from '../../usecases/signed-records.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, listOf, pagination, uuid } from './schemas.ts';

const filter = z.strictObject({
  category: z.enum(['operation', 'login']).optional(),
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(100).optional(),
  outcome: z.enum(['success', 'denied', 'failure']).optional(),
  objectType: z.string().trim().max(64).optional(),
  objectId: z.string().trim().max(100).optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
  q: z.string().trim().max(200).optional().describe('free text in the action, object, actor and before/after diff'),
});
const event = z.object({
  id: z.string(), occurredAt: z.string(), actorUsername: z.string().nullable(), actorDisplayName: z.string().nullable(),
  organizationName: z.string().nullable(), role: z.string().nullable(), action: z.string(), objectType: z.string().nullable(),
  objectId: z.string().nullable(), outcome: z.enum(['success', 'denied', 'failure']), diff: z.unknown(),
  requestId: z.string().nullable(), clientAddress: z.string().nullable(),
});
const signedFilter = z.strictObject({
  kind: z.enum(SIGNED_KIND_CODES as [SignedKindCode, ...SignedKindCode[]]).optional(),
  objectId: z.string().trim().max(100).optional(),
  signer: z.string().trim().max(64).optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
});
const signedRecord = z.object({
  kind: z.string(), id: z.string(), action: z.string(), objectType: z.string(), objectId: z.string(), objectLabel: z.string().nullable(),
  signer: z.object({ id: z.string(), username: z.string().nullable(), displayName: z.string().nullable() }), signedAt: z.string().nullable(),
  payloadSm3: z.string(), payloadLength: z.number(), signature: z.string(), storedPublicKey: z.string().nullable(), signerPublicKey: z.string().nullable(),
  verdict: z.enum(['valid', 'invalid', 'key_mismatch', 'signer_unknown']), validWithSignerKey: z.boolean(), validWithStoredKey: z.boolean().nullable(),
});
const VERDICTS = { valid: '有效', invalid: '无效', key_mismatch: '公钥与签名人不符', signer_unknown: '签名人不存在' } as const;
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
  // 第三十一条: re-verify any signed decision (src/usecases/signed-records.ts).
  defineRoute({
    method: 'GET', url: '/api/v1/audit/signed-records', access: 'audit:verify', tags: ['audit'],
    summary: '签名决定核验 / Signed decisions, each SM2 signature verified now against the stored text and the signer\'s key',
    query: signedFilter.extend(pagination), responses: { 200: listOf(signedRecord) },
    handler: async ({ services, actor, query }) => listSignedRecords(services, actor, query, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/audit/signed-records/export', access: 'audit:verify', tags: ['audit'],
    summary: '导出签名核验结果 / Export the verified signed decisions (.xlsx)', query: signedFilter,
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx(reply, '签名核验.xlsx', '签名核验', [
        { header: '类别', width: 22, value: (r) => SIGNED_KINDS[r.kind].name },
        { header: '依据', value: (r) => SIGNED_KINDS[r.kind].article },
        { header: '记录编号', width: 38, value: (r) => r.id },
        { header: '决定', value: (r) => r.action },
        { header: '对象', width: 30, value: (r) => r.objectLabel ?? r.objectId },
        { header: '签名人', value: (r) => r.signer.displayName },
        { header: '用户名', value: (r) => r.signer.username },
        { header: '签名时间（北京时间）', width: 22, value: (r) => (r.signedAt ? shanghai.format(new Date(r.signedAt)) : null) },
        { header: '核验结果', value: (r) => VERDICTS[r.verdict] },
        { header: '签名原文 SM3', width: 66, value: (r) => r.payloadSm3 },
        { header: '签名值', width: 40, value: (r) => r.signature },
        { header: '签名人公钥', width: 40, value: (r) => r.signerPublicKey },
      ], iterateSignedRecords(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/audit/signed-records/:kind/:id', access: 'audit:verify', tags: ['audit'],
    summary: '核验一项签名决定 / One signed decision: its exact signed text, verified now (who, when, what)',
    params: z.strictObject({ kind: z.enum(SIGNED_KIND_CODES as [SignedKindCode, ...SignedKindCode[]]), id: uuid }),
    responses: { 200: signedRecord.extend({ payload: z.string() }) },
    handler: async ({ services, actor, params }) => getSignedRecord(services, actor, params.kind, params.id),
  }),
];
