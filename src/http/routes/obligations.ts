// 履约日历 (第十四条, 第十五条, 第二十条, 第二十五条, 第二十七条; SPEC §11): the obligations the caller may
// see, for the month calendar and the list, with counts by status, and their .xlsx export.
import { z } from 'zod';
import { OBLIGATION_KINDS, OBLIGATION_STATUSES } from '../../domain/obligations.ts';
import { exportObligations, listObligations, type ObligationView } from '../../usecases/obligations.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, uuid } from './schemas.ts';

/** `a,b` or repeated `?x=a&x=b`, each one of `values`. */
const listOf = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(
  (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter((x) => x !== '')),
  z.array(z.enum(values)).max(values.length).optional(),
);

const filter = {
  from: calendarDate.optional().describe('due on or after'),
  to: calendarDate.optional().describe('due on or before'),
  status: listOf(OBLIGATION_STATUSES).describe('notDue, dueSoon, dueToday, overdue, done (comma-separated)'),
  kind: listOf(OBLIGATION_KINDS).describe('acceptanceApplication, annualReport, selfEvaluation, securityTest, cryptoAssessment, rectification'),
  subjectType: z.enum(['project', 'system']).optional(),
  organizationId: uuid.optional().describe('owed by this organization or one below it'),
  q: z.string().trim().max(100).optional().describe('project or system name, or project code, contains'),
};

const STATUS_ZH: Record<string, string> = { notDue: '未到期', dueSoon: '即将到期', dueToday: '今日到期', overdue: '已逾期', done: '已完成' };

export const obligationRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/obligations', access: 'project:read', tags: ['obligations'],
    summary: '履约日历 / Obligations and their due dates (第二十条, 第二十五条, 第二十七条, 第十四条, 第十五条)',
    query: z.strictObject({ ...filter, page: z.coerce.number().int().min(1).max(100_000).default(1), pageSize: z.coerce.number().int().min(1).max(2000).default(50) }),
    handler: async ({ services, actor, query: { page, pageSize, ...f } }) => listObligations(services, actor, f, page, pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/obligations/export', access: 'project:read', tags: ['obligations'],
    summary: '导出履约事项 / Export the obligations (.xlsx)', query: z.strictObject(filter),
    handler: async ({ services, actor, query, reply }) => sendXlsx<ObligationView>(reply, '履约事项.xlsx', '履约事项', [
      { header: '事项', width: 30, value: (r) => r.kindName.zh + (r.kind === 'annualReport' ? `（${r.period}年度）` : '') },
      { header: '依据', width: 12, value: (r) => r.article },
      { header: '对象', width: 8, value: (r) => (r.subjectType === 'project' ? '项目' : '系统') },
      { header: '项目代码', width: 26, value: (r) => r.projectCode },
      { header: '项目/系统名称', width: 40, value: (r) => r.subjectName },
      { header: '责任单位', width: 30, value: (r) => r.organizationName },
      { header: '审批部门', width: 30, value: (r) => r.approvalDepartmentName },
      { header: '开始日期', width: 12, value: (r) => r.opensOn },
      { header: '截止日期', width: 12, value: (r) => r.dueOn },
      { header: '状态', width: 10, value: (r) => STATUS_ZH[r.status] ?? r.status },
      { header: '剩余天数', width: 10, value: (r) => (r.status === 'done' ? null : r.daysLeft) },
      { header: '完成日期', width: 12, value: (r) => r.doneOn },
      { header: '适用规则', width: 50, value: (r) => JSON.stringify(r.ruleValues) },
    ], exportObligations(services, actor, query)),
  }),
];
