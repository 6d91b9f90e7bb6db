// 第三十条 监督检查与整改 and 第三十三条 责任追究: findings with their rectification orders, the unit's
// answers, the issuer's verification, the signed steps of the escalation ladder (and their
// lifting), the issuer's and unit's pending work, accountability records; every list exports to .xlsx.
import { z } from 'zod';
import { ESCALATION_STEP_CODES, FINDING_CATEGORIES, STEP_NAMES } from '../../domain/supervision.ts';
import {
  answerRectification, decideEscalation, escalationDecisionDocument, rectificationNoticeDocument, exportAccountability, exportRectifications, getRectification, listAccountability,
  listRectifications, rectificationWork, recordAccountability, recordFinding, verifyRectification,
  type AccountabilityView, type RectificationView,
} from '../../usecases/supervision.ts';
import { decisionDocument } from '../../usecases/decision-documents.ts';
import { contentDisposition } from '../content-disposition.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, pagination, text, uuid } from './schemas.ts';

const params = z.strictObject({ id: uuid });
const STATUS_ZH: Record<string, string> = { open: '待整改', answered: '待核查', passed: '整改合格', failed: '核查不合格' };
const filter = {
  status: z.enum(['open', 'answered', 'passed', 'failed']).optional(),
  category: z.enum(FINDING_CATEGORIES).optional(),
  projectId: uuid.optional(),
  systemId: uuid.optional(),
  escalationDue: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
};
const accountabilityFilter = { unitOrganizationId: uuid.optional(), projectId: uuid.optional() };
const escalationBody = z.strictObject({
  step: z.enum(ESCALATION_STEP_CODES).describe('升级步骤'),
  reason: text(2000).describe('决定理由'),
  totp: z.string().regex(/^\d{6}$/).optional().describe('a fresh TOTP code (step-up)'),
});

const MEDIA = { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', pdf: 'application/pdf' } as const;
const formatQuery = z.strictObject({ format: z.enum(['docx', 'pdf']).default('docx') });

function sendDocument(reply: import('fastify').FastifyReply, format: 'docx' | 'pdf', doc: { fileName: string; buffer: Buffer }, fallback: string) {
  return reply
    .header('content-type', MEDIA[format])
    .header('content-length', String(doc.buffer.length))
    .header('content-disposition', contentDisposition(doc.fileName, `${fallback}.${format}`))
    .header('x-content-type-options', 'nosniff')
    .send(doc.buffer);
}

export const supervisionRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/rectifications/:id/notice', access: 'rectification:read', tags: ['supervision'],
    summary: '整改通知 / The rectification notice as a GB/T 9704 document (.docx, or PDF with an embedded Chinese font)', params, query: formatQuery,
    handler: async ({ services, actor, params: p, query, reply }) =>
      sendDocument(reply, query.format, await rectificationNoticeDocument(services, actor, p.id, query.format), `rectification-${p.id}`),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/rectifications/:id/decisions/:decisionId/document', access: 'rectification:read', tags: ['supervision'],
    summary: '通报 / 决定: the signed escalation decision as a GB/T 9704 document (.docx or PDF)',
    params: z.strictObject({ id: uuid, decisionId: uuid }), query: formatQuery,
    handler: async ({ services, actor, params: p, query, reply }) =>
      sendDocument(reply, query.format, await escalationDecisionDocument(services, actor, p.id, p.decisionId, query.format), `escalation-${p.decisionId}`),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/history/:actionId/document.pdf', access: 'project:read', tags: ['lifecycle'],
    summary: '下载公文 PDF / The decision (批复, 备案回执, …) as a PDF with an embedded Chinese font',
    params: z.strictObject({ id: uuid, actionId: uuid }),
    handler: async ({ services, actor, params: p, reply }) =>
      sendDocument(reply, 'pdf', await decisionDocument(services, actor, p.id, p.actionId, 'pdf'), `decision-${p.actionId}`),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/rectifications', access: 'rectification:read', tags: ['supervision'],
    summary: '监督检查与整改 / Findings and rectification orders (第三十条)',
    query: z.strictObject({ ...filter, ...pagination }),
    handler: async ({ services, actor, query: { page, pageSize, ...f } }) => listRectifications(services, actor, f, page, pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/rectifications/export', access: 'rectification:read', tags: ['supervision'],
    summary: '导出整改事项 / Export the rectification orders (.xlsx)', query: z.strictObject(filter),
    handler: async ({ services, actor, query, reply }) => sendXlsx<RectificationView>(reply, '监督检查与整改.xlsx', '整改事项', [
      { header: '编号', width: 8, value: (r) => r.seq },
      { header: '类别', width: 14, value: (r) => r.categoryName.zh },
      { header: '问题', width: 40, value: (r) => r.title },
      { header: '对象', width: 8, value: (r) => (r.subjectType === 'project' ? '项目' : '系统') },
      { header: '项目代码', width: 26, value: (r) => r.projectCode },
      { header: '项目/系统名称', width: 40, value: (r) => r.subjectName },
      { header: '责任单位', width: 30, value: (r) => r.unitName },
      { header: '发现部门', width: 30, value: (r) => r.issuerName },
      { header: '发现日期', width: 12, value: (r) => r.foundOn },
      { header: '整改期限', width: 12, value: (r) => r.dueOn },
      { header: '状态', width: 12, value: (r) => STATUS_ZH[r.status] ?? r.status },
      { header: '待升级', width: 10, value: (r) => (r.escalationDue === 'overdue' ? '逾期' : r.escalationDue === 'failed' ? '不达标' : '') },
      { header: '已采取措施', width: 16, value: (r) => (r.escalationStep ? STEP_NAMES[r.escalationStep].zh : '') },
    ], exportRectifications(services, actor, query)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/rectifications/work', access: 'rectification:read', tags: ['supervision'],
    summary: '整改待办 / Rectification orders waiting on the caller (to answer, verify or escalate)',
    handler: async ({ services, actor }) => ({ items: await rectificationWork(services, actor) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/rectifications', access: 'oversight:finding', tags: ['supervision'],
    summary: '记录监督检查发现并责令限期整改 / Record a finding and order rectification by a deadline (第三十条; 403 outside the remit)',
    body: z.strictObject({
      projectId: uuid.nullable().optional(), systemId: uuid.nullable().optional(),
      category: z.enum(FINDING_CATEGORIES).describe('类别'), title: text(200).describe('问题'), description: text(5000).describe('问题描述'),
      requirements: text(5000).describe('整改要求'), dueOn: calendarDate.describe('整改期限'),
    }),
    handler: async ({ services, actor, body, reply }) => {
      reply.code(201);
      return recordFinding(services, actor, body);
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/rectifications/:id', access: 'rectification:read', tags: ['supervision'],
    summary: '整改事项详情 / A rectification order with its answers, verification and escalation ladder', params,
    handler: async ({ services, actor, params: p }) => getRectification(services, actor, p.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/rectifications/:id/answers', access: 'rectification:answer', tags: ['supervision'],
    summary: '报告整改情况 / The responsible unit answers with its evidence', params,
    body: z.strictObject({
      evidence: text(5000).describe('整改情况及佐证'), materialIds: z.array(uuid).max(20).default([]).describe('佐证材料（项目材料）'),
      expectedVersion: z.number().int().min(1).optional(),
    }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return answerRectification(services, actor, p.id, body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/rectifications/:id/verification', access: 'oversight:finding', tags: ['supervision'],
    summary: '核查整改情况 / The issuer verifies the latest answer (passed closes, failed makes escalation due)', params,
    body: z.strictObject({ result: z.enum(['passed', 'failed']), opinion: text(2000).describe('核查意见') }),
    handler: async ({ services, actor, params: p, body }) => verifyRectification(services, actor, p.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/rectifications/:id/escalations', access: 'rectification:escalate', tags: ['supervision'],
    summary: '升级决定 / Take the next step of the ladder, a signed decision (第三十条: skipped or twice refused)', params, body: escalationBody,
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return decideEscalation(services, actor, p.id, 'impose', body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/rectifications/:id/lifts', access: 'rectification:escalate', tags: ['supervision'],
    summary: '解除暂缓/暂停 / Lift a deferral or suspension after verified rectification, a signed decision', params, body: escalationBody,
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return decideEscalation(services, actor, p.id, 'lift', body);
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/accountability', access: 'rectification:read', tags: ['supervision'],
    summary: '责任追究记录 / Violations and accountability decisions (第三十三条)',
    query: z.strictObject({ ...accountabilityFilter, ...pagination }),
    handler: async ({ services, actor, query: { page, pageSize, ...f } }) => listAccountability(services, actor, f, page, pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/accountability/export', access: 'rectification:read', tags: ['supervision'],
    summary: '导出责任追究记录 / Export accountability records (.xlsx)', query: z.strictObject(accountabilityFilter),
    handler: async ({ services, actor, query, reply }) => sendXlsx<AccountabilityView>(reply, '责任追究记录.xlsx', '责任追究', [
      { header: '责任单位', width: 30, value: (r) => r.unitName },
      { header: '项目代码', width: 26, value: (r) => r.projectCode },
      { header: '项目名称', width: 40, value: (r) => r.projectName },
      { header: '责任人', width: 20, value: (r) => r.subject },
      { header: '违规事实', width: 50, value: (r) => r.violation },
      { header: '依据', width: 20, value: (r) => r.basisArticle },
      { header: '处理决定', width: 40, value: (r) => r.decision },
      { header: '决定日期', width: 12, value: (r) => r.decidedOn },
      { header: '记录人', width: 12, value: (r) => r.recordedBy },
    ], exportAccountability(services, actor, query)),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/accountability', access: 'accountability:record', tags: ['supervision'],
    summary: '记录责任追究 / Record a violation and its accountability decision (第三十三条)',
    body: z.strictObject({
      unitOrganizationId: uuid, projectId: uuid.nullable().optional(), findingId: uuid.nullable().optional(),
      subject: text(200).describe('责任人'), violation: text(5000).describe('违规事实'), basisArticle: text(200).describe('依据条款'),
      decision: text(5000).describe('处理决定'), decidedOn: calendarDate.describe('决定日期'),
    }),
    handler: async ({ services, actor, body, reply }) => {
      reply.code(201);
      return recordAccountability(services, actor, body);
    },
  }),
];
