// 我的待办, 通知, 规则设置 and assignments (第七条, 第三十四条, SPEC §11–§12).
import { z } from 'zod';
import { RULE_KEYS } from '../../domain/rules.ts';
import { assignAssessor, getAssignments, reviewerCandidates } from '../../usecases/assignments.ts';
import { listNotifications, markAllRead, markRead } from '../../usecases/notifications.ts';
import { listRuleSettings, ruleHistory, updateRuleSetting } from '../../usecases/rule-settings.ts';
import { worklist } from '../../usecases/worklist.ts';
import { sendXlsx } from '../xlsx.ts';
import { defineRoute } from '../route.ts';
import { idParams, pagination, text, uuid } from './schemas.ts';

const localized = z.object({ zh: z.string(), en: z.string() });
const workItem = z.object({
  projectId: z.string(), projectCode: z.string(), projectName: z.string(),
  constructionUnitName: z.string(), approvalDepartmentName: z.string(),
  track: z.enum(['approval', 'filing']), stage: z.string(), status: z.string(), stateName: localized, role: z.string(),
  actions: z.array(z.object({ action: z.string(), name: localized })),
  since: z.string(), dueDate: z.string().nullable().describe('YYYY-MM-DD, Asia/Shanghai; null for an unsubmitted draft'),
  daysLeft: z.number().int().nullable(), overdue: z.boolean(),
});
const assignment = z.object({
  organizationId: z.string(), organizationName: z.string(), userId: z.string().nullable(), userName: z.string().nullable(),
  reason: z.string(), assignedBy: z.string(), assignedAt: z.string(),
}).nullable();
const assignments = z.object({ reviewer: assignment, assessor: assignment });
const ruleValue = z.union([z.string(), z.number(), z.boolean()]);

export const workflowRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/worklist', access: 'authenticated', tags: ['worklist'],
    summary: '我的待办 / What waits on the caller, with due dates',
    responses: { 200: z.object({ items: z.array(workItem) }) },
    handler: async ({ services, actor }) => ({ items: await worklist(services, actor) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/worklist/export', access: 'authenticated', tags: ['worklist'], summary: '导出待办 / Export the worklist (.xlsx)',
    handler: async ({ services, actor, reply }) => {
      const items = await worklist(services, actor);
      return sendXlsx(reply, '我的待办.xlsx', '我的待办', [
        { header: '项目代码', width: 26, value: (w) => w.projectCode },
        { header: '项目名称', width: 40, value: (w) => w.projectName },
        { header: '当前环节', width: 30, value: (w) => w.stateName.zh },
        { header: '待办操作', width: 24, value: (w) => w.actions.map((a) => a.name.zh).join('、') },
        { header: '到期日', value: (w) => w.dueDate ?? '' },
        { header: '剩余天数', value: (w) => (w.daysLeft === null ? '' : String(w.daysLeft)) },
        { header: '建设单位', width: 30, value: (w) => w.constructionUnitName },
        { header: '审批部门', width: 30, value: (w) => w.approvalDepartmentName },
      ], (async function* () { yield items; })());
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/notifications', access: 'authenticated', tags: ['worklist'], summary: '我的通知 / The caller’s notifications',
    query: z.strictObject({ unreadOnly: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'), ...pagination }),
    handler: async ({ services, actor, query }) => listNotifications(services, actor, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/notifications/:id/read', access: 'authenticated', tags: ['worklist'], summary: '标记已读 / Mark read',
    params: idParams,
    handler: async ({ services, actor, params }) => { await markRead(services, actor, params.id); },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/notifications/read-all', access: 'authenticated', tags: ['worklist'], summary: '全部已读 / Mark all read',
    handler: async ({ services, actor }) => { await markAllRead(services, actor); },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/rule-settings', access: 'authenticated', tags: ['rules'],
    summary: '规则设置 / Rule settings in force (第三十四条)',
    handler: async ({ services }) => ({ items: await listRuleSettings(services) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/rule-settings/history', access: 'authenticated', tags: ['rules'], summary: '规则设置变更记录 / Changes of the rule settings',
    query: z.strictObject({ key: z.enum(RULE_KEYS).optional() }),
    handler: async ({ services, query }) => ({ items: await ruleHistory(services, query.key) }),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/rule-settings/:key', access: 'rule:update', tags: ['rules'],
    summary: '调整规则设置 / Add a version of a setting, centrally or for an organization, effective today or later (安全管理员; a reason is required)',
    params: z.strictObject({ key: z.enum(RULE_KEYS) }),
    body: z.strictObject({ organizationId: uuid.nullable(), value: ruleValue.nullable(), reason: text(2000), effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
    handler: async ({ services, actor, params, body }) => updateRuleSetting(services, actor, params.key, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/assignments', access: 'project:read', tags: ['lifecycle'],
    summary: '审核人与咨询评估单位 / The assigned reviewer and assessor', params: idParams, responses: { 200: assignments },
    handler: async ({ services, actor, params }) => getAssignments(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/reviewer-candidates', access: 'project:review', tags: ['lifecycle'],
    summary: '可改派的审核人 / Reviewers who may take the project over', params: idParams,
    handler: async ({ services, actor, params }) => ({ items: await reviewerCandidates(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/projects/:id/assessor', access: 'project:review', tags: ['lifecycle'],
    summary: '委托咨询评估单位 / Entrust an assessor (第七条)', params: idParams, responses: { 200: assignments },
    body: z.strictObject({ organizationId: uuid, reason: z.string().max(2000).default('') }),
    handler: async ({ services, actor, params, body }) => assignAssessor(services, actor, params.id, body),
  }),
];
