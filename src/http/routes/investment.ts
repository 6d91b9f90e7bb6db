// 投资与调整 (第二十二条–第二十四条): a project's investment (releases, spending, early
// investments with their signed decisions) and its adjustments (dry run for the live meter,
// filing, the approval department's signed re-approval decision), each list exportable to .xlsx.
import { z } from 'zod';
import { ADJUSTMENT_REASONS } from '../../domain/adjustments.ts';
import {
  applyEarlyInvestment, decideEarlyInvestment, getInvestment, INVESTMENT_SOURCES, recordSpending, releaseInvestment,
} from '../../usecases/investment.ts';
import {
  decideAdjustment, evaluateProposedAdjustment, exportAdjustments, fileAdjustment, listAdjustments,
} from '../../usecases/adjustments.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, text, uuid } from './schemas.ts';

/** 万元, up to six decimals (to the fen); signed for an adjustment line. */
const amount = z.string().trim().regex(/^\d{1,13}(\.\d{1,6})?$/, 'an amount in 万元, at most six decimals');
const change = z.string().trim().regex(/^-?\d{1,13}(\.\d{1,6})?$/, 'a signed amount in 万元, at most six decimals');
const optionalText = (max: number) => z.string().trim().max(max).nullable().default(null).transform((v) => (v === '' ? null : v));
const params = z.strictObject({ id: uuid });
const decisionBody = z.strictObject({
  outcome: z.enum(['approve', 'refuse']),
  opinion: text(2000).describe('决定意见'),
  totp: z.string().regex(/^\d{6}$/).optional().describe('a fresh TOTP code (step-up)'),
});
const SOURCE_NAMES: Record<string, string> = {
  central_budget: '中央预算内投资', central_fiscal: '中央财政资金', local_fiscal: '地方财政资金', self_raised: '自筹资金', other: '其他',
};
const STATUS_NAMES: Record<string, string> = { pending: '待决定', approved: '已同意', refused: '未同意', filed: '已备案' };
const ADJ_STATUS_NAMES: Record<string, string> = { filed: '自行调整已备案', pending: '待重新报批', approved: '重新报批已批复', refused: '重新报批不予批复' };
const once = <T>(rows: T[]) => (async function* () { yield rows; })();

const lineSchema = z.strictObject({ content: text(200).describe('调整的建设内容'), change: change.describe('投资增减（万元，减少为负）') });
const adjustmentFields = {
  lines: z.array(lineSchema).max(100).describe('调整事项'),
  reason: z.enum([...ADJUSTMENT_REASONS, 'other']).describe('调整情形（第二十三条（一）（二）（三），other: 均不属于）'),
  goalsUnchanged: z.boolean().describe('建设目标是否不变'),
  description: z.string().trim().max(5000).default('').describe('调整说明'),
};

export const investmentRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/investment', access: 'project:read', tags: ['investment'],
    summary: '投资 / Investment: approved 概算, releases, spending, early investments and totals (第二十二条, 第二十四条)',
    params, handler: async ({ services, actor, params: p }) => getInvestment(services, actor, p.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/investment/releases', access: 'investment:release', tags: ['investment'],
    summary: '下达投资计划 / Release investment (第二十四条: refused before the 概算 approval unless under an approved early investment; I-43)',
    params,
    body: z.strictObject({
      planYear: z.number().int().min(2000).max(2100).describe('计划年度'),
      amount: amount.describe('下达金额（万元）'),
      source: z.enum(INVESTMENT_SOURCES).describe('资金来源'),
      documentNo: optionalText(100).describe('投资计划文号'),
      releasedOn: calendarDate.describe('下达日期'),
      earlyInvestmentId: uuid.nullable().default(null).describe('提前安排投资（概算批复前按其下达）'),
      note: optionalText(1000),
    }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return releaseInvestment(services, actor, p.id, body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/investment/spending', access: 'investment:record', tags: ['investment'],
    summary: '登记支出 / Record spending (第二十二条: never beyond what was released, I-43)',
    params,
    body: z.strictObject({
      spentOn: calendarDate.describe('支付日期'), amount: amount.describe('支出金额（万元）'),
      payee: text(200).describe('收款单位'), purpose: text(500).describe('用途'),
    }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return recordSpending(services, actor, p.id, body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/investment/early', access: 'investment:record', tags: ['investment'],
    summary: '申请提前安排投资 / Apply for an early investment (第二十四条: after the 可研 approval, four purposes only, I-17)',
    params,
    body: z.strictObject({
      lines: z.array(z.strictObject({ purpose: text(100).describe('requirementsAnalysis / feasibilityAndDesignPreparation / landPurchase / demolition'), amount }))
        .max(20).describe('用途与金额'),
      justification: text(5000).describe('申请理由'),
    }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return applyEarlyInvestment(services, actor, p.id, body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/investment/early/:earlyId/decision', access: 'investment:decide', tags: ['investment'],
    summary: '提前安排投资决定 / Decide an early investment (signed, fresh TOTP code)',
    params: z.strictObject({ id: uuid, earlyId: uuid }), body: decisionBody,
    handler: async ({ services, actor, params: p, body }) => decideEarlyInvestment(services, actor, p.id, p.earlyId, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/investment/:list/export', access: 'project:read', tags: ['investment'],
    summary: '导出投资下达、支出或提前安排投资 / Export releases, spending or early investments (.xlsx)',
    params: z.strictObject({ id: uuid, list: z.enum(['releases', 'spending', 'early']) }),
    handler: async ({ services, actor, params: p, reply }) => {
      const o = await getInvestment(services, actor, p.id);
      if (p.list === 'releases') {
        return sendXlsx(reply, '投资下达.xlsx', '投资下达', [
          { header: '计划年度', value: (r) => r.planYear }, { header: '下达金额（万元）', value: (r) => r.amount },
          { header: '资金来源', value: (r) => SOURCE_NAMES[r.source] ?? r.source }, { header: '投资计划文号', width: 24, value: (r) => r.documentNo },
          { header: '下达日期', value: (r) => r.releasedOn }, { header: '提前安排投资', value: (r) => (r.earlyInvestmentId ? '是' : '否') },
          { header: '备注', width: 30, value: (r) => r.note }, { header: '登记人', value: (r) => r.releasedBy },
        ], once(o.releases));
      }
      if (p.list === 'spending') {
        return sendXlsx(reply, '投资支出.xlsx', '投资支出', [
          { header: '支付日期', value: (r) => r.spentOn }, { header: '支出金额（万元）', value: (r) => r.amount },
          { header: '收款单位', width: 30, value: (r) => r.payee }, { header: '用途', width: 40, value: (r) => r.purpose },
          { header: '登记人', value: (r) => r.recordedBy },
        ], once(o.spending));
      }
      return sendXlsx(reply, '提前安排投资.xlsx', '提前安排投资', [
        { header: '用途与金额', width: 50, value: (r) => r.lines.map((l) => `${l.purposeName.zh} ${l.amount}`).join('；') },
        { header: '合计（万元）', value: (r) => r.total }, { header: '申请理由', width: 40, value: (r) => r.justification },
        { header: '状态', value: (r) => STATUS_NAMES[r.status] ?? r.status }, { header: '已下达（万元）', value: (r) => r.released },
        { header: '申请人', value: (r) => r.appliedBy }, { header: '决定人', value: (r) => r.decidedBy }, { header: '决定意见', width: 40, value: (r) => r.opinion },
      ], once(o.earlyInvestments));
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/adjustments', access: 'project:read', tags: ['investment'],
    summary: '建设内容调整 / Adjustments with the cumulative share and the threshold in force (第二十三条)',
    params, handler: async ({ services, actor, params: p }) => listAdjustments(services, actor, p.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/adjustments/evaluate', access: 'adjustment:file', tags: ['investment'],
    summary: '调整试算 / Dry run: the route and figures a proposed adjustment would get now, nothing written (第二十三条)',
    params,
    body: z.strictObject({ ...adjustmentFields, amount: amount.optional(), totalAfter: amount.optional() }),
    handler: async ({ services, actor, params: p, body }) => evaluateProposedAdjustment(services, actor, p.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/adjustments', access: 'adjustment:file', tags: ['investment'],
    summary: '登记调整 / File an adjustment: self-filed (备案) when 第二十三条 allows, otherwise pending re-approval',
    params,
    body: z.strictObject({ ...adjustmentFields, amount: amount.describe('调整投资额（万元）'), totalAfter: amount.describe('调整后总投资（万元）') }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return fileAdjustment(services, actor, p.id, body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/adjustments/:adjustmentId/decision', access: 'adjustment:decide', tags: ['investment'],
    summary: '调整重新报批决定 / Decide an adjustment sent for re-approval (signed, fresh TOTP code)',
    params: z.strictObject({ id: uuid, adjustmentId: uuid }), body: decisionBody,
    handler: async ({ services, actor, params: p, body }) => decideAdjustment(services, actor, p.id, p.adjustmentId, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/adjustments/export', access: 'project:read', tags: ['investment'],
    summary: '导出建设内容调整 / Export adjustments (.xlsx)',
    params,
    handler: async ({ services, actor, params: p, reply }) =>
      sendXlsx(reply, '建设内容调整.xlsx', '建设内容调整', [
        { header: '序号', value: (r) => r.seq }, { header: '调整事项', width: 50, value: (r) => r.lines.map((l) => `${l.content} ${l.change}`).join('；') },
        { header: '调整情形', width: 40, value: (r) => r.reasonName.zh }, { header: '建设目标不变', value: (r) => (r.goalsUnchanged ? '是' : '否') },
        { header: '调整投资额（万元）', value: (r) => r.amount }, { header: '累计调整额（万元）', value: (r) => r.cumulative },
        { header: '核定概算（万元）', value: (r) => r.approvedTotal }, { header: '累计占比（%）', value: (r) => r.sharePercent },
        { header: '阈值（%）', value: (r) => r.thresholdPercent }, { header: '调整后总投资（万元）', value: (r) => r.totalAfter },
        { header: '办理方式', value: (r) => (r.route === 'selfFile' ? '自行调整备案' : '重新报批') },
        { header: '状态', value: (r) => ADJ_STATUS_NAMES[r.status] ?? r.status }, { header: '登记人', value: (r) => r.createdBy },
        { header: '决定意见', width: 40, value: (r) => r.opinion },
      ], once(await exportAdjustments(services, actor, p.id))),
  }),
];
