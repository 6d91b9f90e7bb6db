// 建设实施 (第十三条, 第十九条–第二十二条): the construction tab's data, the unit's records (实施机构,
// 负责人, 监理, 采购, 合同), annual performance reports, major problems, rectification reports and the
// declaration of completion; the approval department's orders (整改, 暂停) and lifting; .xlsx exports.
import { z } from 'zod';
import { DELIVERY_MODELS, PROCUREMENT_METHODS, PROCUREMENT_METHOD_NAMES, PROBLEM_KIND_NAMES, type ProcurementMethod } from '../../domain/construction-records.ts';
import {
  addContract, addProcurement, declareCompletion, getConstruction, liftSuspension, orderOnProject, reportProblem, reportRectified,
  submitAnnualReport, updateRecord,
} from '../../usecases/construction-records.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, idParams, text, uuid } from './schemas.ts';

/** 万元 with at most two decimals. */
const wan = z.string().regex(/^\d{1,13}(\.\d{1,2})?$/, 'project.amount_places').describe('万元, up to two decimals');
const decimalText = z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/).describe('a decimal number');
const optionalText = (max: number) => z.string().trim().max(max).transform((v) => (v === '' ? null : v)).nullable().default(null);
const orderParams = z.strictObject({ id: uuid, orderId: uuid });
const totp = z.string().regex(/^\d{6}$/).optional().describe('a fresh TOTP code of the deciding user (step-up)');

const recordBody = z.strictObject({
  implementingAgency: optionalText(200).describe('项目实施机构'),
  projectLead: optionalText(100).describe('项目负责人'),
  supervisorName: optionalText(200).describe('监理单位 (第十九条; required before completion)'),
  supervisorContractNo: optionalText(100).describe('监理合同编号'),
  supervisorContractAmount: wan.nullable().default(null).describe('监理合同金额（万元）'),
  supervisorContractSignedOn: calendarDate.nullable().default(null).describe('监理合同签订日期'),
  buildModel: z.enum(DELIVERY_MODELS).nullable().default(null).describe('建设方式 (第十八条): self 自建, professional 委托专业机构, outsourced 外包, service 购买服务'),
  omModel: z.enum(DELIVERY_MODELS).nullable().default(null).describe('运维方式 (第十八条), same values'),
  deliveryNote: optionalText(2000).describe('说明 (第十八条): required when the unit both builds and runs the project itself (I-94)'),
});
const procurementBody = z.strictObject({
  subject: text(200).describe('采购项目名称'),
  method: z.enum(PROCUREMENT_METHODS).describe('采购方式 (政府采购法 第二十六条)'),
  secretRelated: z.boolean().default(false).describe('涉密采购: follows the classified procedure; no open announcement (I-48)'),
  procuredOn: calendarDate.describe('中标（成交）日期'),
  winner: text(200).describe('中标（成交）供应商'),
  amount: wan.describe('中标（成交）金额（万元）'),
});
const contractBody = z.strictObject({
  procurementId: uuid.nullable().default(null).describe('the procurement it results from'),
  title: text(200).describe('合同名称'),
  counterparty: text(200).describe('合同相对方'),
  amount: wan.describe('合同金额（万元）'),
  signedOn: calendarDate.describe('签订日期'),
});
const reportBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  progress: text(4000).describe('建设进度'),
  investmentExecution: text(4000).describe('投资计划执行情况'),
  plannedInvestment: wan.describe('本年度计划投资（万元）'),
  completedInvestment: wan.describe('本年度完成投资（万元）'),
  indicatorActuals: z.array(z.strictObject({ indicator: text(200), actual: decimalText })).max(50).default([]),
  trialOperation: z.boolean().default(false).describe('已试运行'),
  trialEffects: optionalText(4000).describe('试运行效果'),
  problems: optionalText(4000).describe('存在问题'),
});
const problemBody = z.strictObject({
  kind: z.enum(['serious_delay', 'investment_loss']).describe('建设进度严重滞后 / 重大投资损失'),
  description: text(4000),
  delayDays: z.number().int().min(1).max(100_000).nullable().default(null).describe('滞后天数 (serious_delay)'),
  lossAmount: wan.nullable().default(null).describe('损失金额（万元） (investment_loss)'),
});
const orderBody = z.strictObject({
  kind: z.enum(['rectification', 'suspension']).describe('责令整改 (with dueOn) / 暂停项目建设'),
  problemId: uuid.nullable().default(null),
  opinion: text(4000),
  dueOn: calendarDate.nullable().default(null).describe('整改期限 (rectification only), after today'),
  totp,
});
const rectifiedBody = z.strictObject({ rectifiedOn: calendarDate, report: text(4000).describe('整改情况') });
const liftBody = z.strictObject({ reason: text(2000).describe('解除理由'), totp });
const completionBody = z.strictObject({
  completedOn: calendarDate.describe('建成日期 (not after today, Asia/Shanghai)'),
  finalAccountsAmount: wan.describe('竣工决算（万元）'),
  surplusAmount: wan.default('0').describe('交回结余资金（万元）'),
  surplusReturnedOn: calendarDate.nullable().default(null).describe('结余资金交回日期 (when a surplus was returned)'),
});

const tags = ['construction'];
/** An instant as Beijing time for the exports. */
const shanghaiTime = (iso: string) => new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
}).format(new Date(iso));
const base = '/api/v1/projects/:id/construction';

export const constructionRecordRoutes = [
  defineRoute({
    method: 'GET', url: base, access: 'project:read', tags, summary: '建设实施情况 / Construction records of a project',
    params: idParams, handler: async ({ services, actor, params }) => getConstruction(services, actor, params.id),
  }),
  defineRoute({
    method: 'PUT', url: `${base}/record`, access: 'construction:record', tags, summary: '登记实施机构、项目负责人、监理单位 / Agency, lead and supervisor (第十三条, 第十九条)',
    params: idParams, body: recordBody, handler: async ({ services, actor, params, body }) => updateRecord(services, actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: `${base}/procurements`, access: 'construction:record', tags, summary: '登记招标采购 / Record a procurement (第十九条)',
    params: idParams, body: procurementBody,
    handler: async ({ services, actor, params, body, reply }) => { reply.code(201); return addProcurement(services, actor, params.id, body); },
  }),
  defineRoute({
    method: 'POST', url: `${base}/contracts`, access: 'construction:record', tags, summary: '登记合同 / Record a contract (第十九条)',
    params: idParams, body: contractBody,
    handler: async ({ services, actor, params, body, reply }) => { reply.code(201); return addContract(services, actor, params.id, body); },
  }),
  defineRoute({
    method: 'POST', url: `${base}/annual-reports`, access: 'construction:record', tags, summary: '提交年度绩效评估报告 / Submit an annual performance report (第二十条)',
    params: idParams, body: reportBody,
    handler: async ({ services, actor, params, body, reply }) => { reply.code(201); return submitAnnualReport(services, actor, params.id, body); },
  }),
  defineRoute({
    method: 'POST', url: `${base}/problems`, access: 'construction:record', tags, summary: '报告重大问题 / Report serious delay or investment loss (第二十一条)',
    params: idParams, body: problemBody,
    handler: async ({ services, actor, params, body, reply }) => { reply.code(201); return reportProblem(services, actor, params.id, body); },
  }),
  defineRoute({
    method: 'POST', url: `${base}/orders`, access: 'construction:order', tags, summary: '责令整改或暂停建设 / Order rectification or suspension (第二十一条, signed)',
    params: idParams, body: orderBody,
    handler: async ({ services, actor, params, body, reply }) => { reply.code(201); return orderOnProject(services, actor, params.id, body); },
  }),
  defineRoute({
    method: 'POST', url: `${base}/orders/:orderId/rectification`, access: 'construction:record', tags, summary: '报告整改完成 / Report a rectification done (第二十一条)',
    params: orderParams, body: rectifiedBody,
    handler: async ({ services, actor, params, body }) => reportRectified(services, actor, params.id, params.orderId, body),
  }),
  defineRoute({
    method: 'POST', url: `${base}/orders/:orderId/lift`, access: 'construction:order', tags, summary: '解除暂停 / Lift a suspension (第二十一条, signed)',
    params: orderParams, body: liftBody,
    handler: async ({ services, actor, params, body }) => liftSuspension(services, actor, params.id, params.orderId, body),
  }),
  defineRoute({
    method: 'POST', url: `${base}/completion`, access: 'construction:record', tags, summary: '申报建成 / Declare completion (第二十二条)',
    params: idParams, body: completionBody,
    handler: async ({ services, actor, params, body }) => declareCompletion(services, actor, params.id, body),
  }),
  // ——— .xlsx exports ———
  defineRoute({
    method: 'GET', url: `${base}/procurements.xlsx`, access: 'project:read', tags, summary: '导出招标采购 / Export procurements',
    params: idParams,
    handler: async ({ services, actor, params, reply }) => {
      const c = await getConstruction(services, actor, params.id);
      return sendXlsx(reply, '招标采购.xlsx', '招标采购', [
        { header: '采购项目名称', width: 36, value: (p) => p.subject },
        { header: '采购方式', value: (p) => PROCUREMENT_METHOD_NAMES[p.method as ProcurementMethod].zh },
        { header: '涉密采购', value: (p) => (p.secretRelated ? '是（按涉密程序）' : '否') },
        { header: '中标（成交）日期', value: (p) => p.procuredOn },
        { header: '中标（成交）供应商', width: 30, value: (p) => p.winner },
        { header: '金额（万元）', value: (p) => p.amount },
      ], (async function* () { yield c.procurements; })());
    },
  }),
  defineRoute({
    method: 'GET', url: `${base}/contracts.xlsx`, access: 'project:read', tags, summary: '导出合同 / Export contracts',
    params: idParams,
    handler: async ({ services, actor, params, reply }) => {
      const c = await getConstruction(services, actor, params.id);
      return sendXlsx(reply, '合同.xlsx', '合同', [
        { header: '合同名称', width: 36, value: (r) => r.title },
        { header: '合同相对方', width: 30, value: (r) => r.counterparty },
        { header: '金额（万元）', value: (r) => r.amount },
        { header: '签订日期', value: (r) => r.signedOn },
        { header: '关联采购', width: 30, value: (r) => r.procurementSubject },
      ], (async function* () { yield c.contracts; })());
    },
  }),
  defineRoute({
    method: 'GET', url: `${base}/annual-reports.xlsx`, access: 'project:read', tags, summary: '导出年度绩效评估报告 / Export annual reports',
    params: idParams,
    handler: async ({ services, actor, params, reply }) => {
      const c = await getConstruction(services, actor, params.id);
      const reports = new Map(c.annualReports.reports.map((r) => [r.year, r]));
      const rows = c.annualReports.years.map((y) => ({ ...y, report: reports.get(y.year) ?? null }));
      const status = (y: (typeof rows)[number]) => (y.report ? (y.report.late ? '逾期提交' : '已提交')
        : y.state?.status === 'overdue' ? '逾期未交' : '待提交');
      return sendXlsx(reply, '年度绩效评估报告.xlsx', '年度绩效评估报告', [
        { header: '年度', value: (y) => y.year },
        { header: '截止日期', value: (y) => y.dueOn },
        { header: '状态', value: status },
        { header: '提交日期', value: (y) => y.report?.submittedOn ?? null },
        { header: '计划投资（万元）', value: (y) => y.report?.plannedInvestment ?? null },
        { header: '完成投资（万元）', value: (y) => y.report?.completedInvestment ?? null },
        { header: '指标达成', width: 50, value: (y) => y.report?.indicatorActuals.map((a) => `${a.indicator}：${a.actual}${a.unit}（目标 ${a.target ?? '—'}，${a.met === null ? '无目标' : a.met ? '达成' : '未达成'}）`).join('；') ?? null },
        { header: '建设进度', width: 50, value: (y) => y.report?.progress ?? null },
      ], (async function* () { yield rows; })());
    },
  }),
  defineRoute({
    method: 'GET', url: `${base}/orders.xlsx`, access: 'project:read', tags, summary: '导出重大问题与整改 / Export problems and orders',
    params: idParams,
    handler: async ({ services, actor, params, reply }) => {
      const c = await getConstruction(services, actor, params.id);
      const problems = new Map(c.problems.map((p) => [p.id, p]));
      const STATUS = { open: '整改中', overdue: '逾期未整改', done: '已整改', doneLate: '逾期整改' } as const;
      return sendXlsx(reply, '整改与暂停.xlsx', '整改与暂停', [
        { header: '决定', value: (o) => (o.kind === 'rectification' ? '责令整改' : '暂停建设') },
        { header: '决定时间', width: 20, value: (o) => shanghaiTime(o.orderedAt) },
        { header: '关联问题', width: 36, value: (o) => { const p = o.problemId ? problems.get(o.problemId) : null; return p ? `${PROBLEM_KIND_NAMES[p.kind].zh}：${p.description}` : null; } },
        { header: '意见', width: 40, value: (o) => o.opinion },
        { header: '整改期限', value: (o) => o.dueOn },
        { header: '状态', value: (o) => (o.rectificationStatus ? STATUS[o.rectificationStatus] : o.standing ? '暂停中' : '已解除') },
        { header: '整改完成日期', value: (o) => o.rectifiedOn },
        { header: '解除理由', width: 30, value: (o) => o.liftReason },
      ], (async function* () { yield c.orders; })());
    },
  }),
];
