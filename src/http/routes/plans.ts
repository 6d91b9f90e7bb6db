// 规划 (第六条): the national government-informatization construction plan and the departments'
// plans that link to it; tasks, approval, adjustments with their evaluation, versions.
import { z } from 'zod';
import { ADJUSTMENT_REASONS, PLAN_LEVELS, PLAN_STATUSES } from '../../domain/plan.ts';
import {
  addPlanTask, adjustPlan, approvePlan, createPlan, getPlan, getPlanVersion, listPlanAdjustments, listPlans, listPlanVersions,
  updatePlan, updatePlanTask,
} from '../../usecases/plans.ts';
import { ifMatchVersion, setEtag } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { calendarDate, idParams, text, uuid } from './schemas.ts';

const planTask = z.object({
  id: z.string(), planId: z.string(), code: z.string(), title: z.string(), description: z.string(), parentTaskId: z.string().nullable(),
  sortOrder: z.number().int(), withdrawnInVersion: z.number().int().nullable(), version: z.number().int(),
  createdAt: z.string(), updatedAt: z.string(),
});
const plan = z.object({
  id: z.string(), level: z.enum(PLAN_LEVELS), parentPlanId: z.string().nullable(), organizationId: z.string(), organizationName: z.string(),
  name: z.string(), periodStartYear: z.number().int(), periodEndYear: z.number().int(), status: z.enum(PLAN_STATUSES),
  approvedOn: z.string().nullable(), approvalDocumentNumber: z.string().nullable(), currentVersion: z.number().int(),
  version: z.number().int(), createdAt: z.string(), updatedAt: z.string(), tasks: z.array(planTask),
});
const snapshotTask = z.object({
  id: z.string(), code: z.string(), title: z.string(), description: z.string(), parentTaskId: z.string().nullable(), sortOrder: z.number().int(),
});
const snapshot = z.object({
  plan: z.object({
    id: z.string(), level: z.enum(PLAN_LEVELS), parentPlanId: z.string().nullable(), organizationId: z.string(),
    organizationName: z.string(), name: z.string(), periodStartYear: z.number().int(), periodEndYear: z.number().int(),
  }),
  approval: z.object({ approvedOn: z.string(), approvalDocumentNumber: z.string().nullable() }),
  tasks: z.array(snapshotTask),
});
const versionSummary = z.object({
  planId: z.string(), versionNo: z.number().int(), source: z.enum(['approval', 'adjustment']), adjustmentId: z.string().nullable(),
  createdBy: z.string().nullable(), createdByName: z.string().nullable(), createdAt: z.string(),
});
const adjustment = z.object({
  id: z.string(), planId: z.string(), reasonCategory: z.enum(ADJUSTMENT_REASONS), evaluation: z.string(), description: z.string(),
  changes: z.object({
    plan: z.object({ before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) }),
    added: z.array(snapshotTask), withdrawn: z.array(snapshotTask),
    changed: z.array(z.object({
      id: z.string(), code: z.string(), before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()),
    })),
  }),
  approvedOn: z.string(), approvalDocumentNumber: z.string().nullable(), versionNo: z.number().int(),
  createdBy: z.string().nullable(), createdByName: z.string().nullable(), createdAt: z.string(),
});

const year = z.number().int().min(2000).max(2100);
const taskCode = z.string().trim().regex(/^\S{1,20}$/).describe('任务编号, e.g. 1, 2, 2.1 (no spaces, at most 20 characters)');
/** Long free text: may span lines, no other control characters. */
const longText = (max: number) => z.string().max(max).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'control characters are not allowed');
const taskInput = z.strictObject({
  code: taskCode, title: text(200), description: longText(4000).optional(),
  parentTaskId: uuid.nullable().optional().describe('A department task: the national task it implements'),
  sortOrder: z.number().int().min(0).max(100_000).optional(),
});
const taskPatch = z.strictObject({
  code: taskCode.optional(), title: text(200).optional(), description: longText(4000).optional(),
  parentTaskId: uuid.nullable().optional(), sortOrder: z.number().int().min(0).max(100_000).optional(),
});
const planPatch = z.strictObject({ name: text(200).optional(), periodStartYear: year.optional(), periodEndYear: year.optional() });
const documentNumber = text(100).describe('批准文号, e.g. 发改高技〔2021〕1898号');
const taskParams = z.strictObject({ id: uuid, taskId: uuid });
const versionParams = z.strictObject({ id: uuid, versionNo: z.coerce.number().int().min(1).max(1_000_000) });

export const planRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/plans', access: 'plan:read', tags: ['plans'], summary: '规划列表（含任务） / Plans with their tasks',
    query: z.strictObject({ level: z.enum(PLAN_LEVELS).optional(), status: z.enum(PLAN_STATUSES).optional() }),
    responses: { 200: z.object({ items: z.array(plan) }) },
    handler: async ({ services, actor, query }) => ({ items: await listPlans(services, actor, query) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/plans', access: 'plan:manage', tags: ['plans'],
    summary: '新建规划（草稿） / Create a draft plan (national: NDRC; department: must link to an approved national plan)',
    body: z.strictObject({
      level: z.enum(PLAN_LEVELS), parentPlanId: uuid.nullable().optional(), organizationId: uuid, name: text(200),
      periodStartYear: year, periodEndYear: year, tasks: z.array(taskInput).max(200).optional(),
    }),
    responses: { 201: plan },
    handler: async ({ services, actor, body, reply }) => {
      const created = await createPlan(services, actor, body);
      setEtag(reply, created.version);
      reply.code(201);
      return created;
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/plans/:id', access: 'plan:read', tags: ['plans'], summary: '规划详情 / A plan with its tasks',
    params: idParams,
    responses: { 200: plan },
    handler: async ({ services, actor, params, reply }) => {
      const found = await getPlan(services, actor, params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/plans/:id', access: 'plan:manage', tags: ['plans'],
    summary: '修改规划草稿 / Edit a draft plan (If-Match: version)',
    params: idParams, body: planPatch,
    responses: { 200: plan },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const updated = await updatePlan(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/plans/:id/tasks', access: 'plan:manage', tags: ['plans'],
    summary: '新增规划任务（草稿） / Add a task to a draft plan',
    params: idParams, body: taskInput,
    responses: { 201: planTask },
    handler: async ({ services, actor, params, body, reply }) => {
      const task = await addPlanTask(services, actor, params.id, body);
      setEtag(reply, task.version);
      reply.code(201);
      return task;
    },
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/plans/:id/tasks/:taskId', access: 'plan:manage', tags: ['plans'],
    summary: '修改规划任务（草稿） / Edit a task of a draft plan (If-Match: the task version)',
    params: taskParams, body: taskPatch,
    responses: { 200: planTask },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const task = await updatePlanTask(services, actor, params.id, params.taskId, ifMatchVersion(request), body);
      setEtag(reply, task.version);
      return task;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/plans/:id/approve', access: 'plan:manage', tags: ['plans'],
    summary: '登记规划批准 / Record the approval of a plan (If-Match; the national plan needs the State Council approval number); makes version 1',
    params: idParams,
    body: z.strictObject({ approvedOn: calendarDate, approvalDocumentNumber: documentNumber.nullable().optional() }),
    responses: { 200: plan },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const approved = await approvePlan(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, approved.version);
      return approved;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/plans/:id/adjustments', access: 'plan:manage', tags: ['plans'],
    summary: '规划调整 / Adjust an approved plan (第六条: evaluation required; If-Match); makes the next version',
    params: idParams,
    body: z.strictObject({
      reasonCategory: z.enum(ADJUSTMENT_REASONS),
      evaluation: longText(10_000).describe('评估论证 of the changed circumstances (required, not blank)'),
      description: longText(4000).describe('调整意见: what changes and why'),
      approvedOn: calendarDate.describe('批准日期 of the adjustment'),
      approvalDocumentNumber: documentNumber.nullable().optional().describe('批准文号 (required for the national plan)'),
      plan: planPatch.optional(),
      addTasks: z.array(taskInput).max(200).optional(),
      updateTasks: z.array(taskPatch.extend({ id: uuid })).max(200).optional(),
      withdrawTaskIds: z.array(uuid).max(200).optional(),
    }),
    responses: { 201: z.object({ adjustment, plan }) },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const result = await adjustPlan(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, result.plan.version);
      reply.code(201);
      return result;
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/plans/:id/adjustments', access: 'plan:read', tags: ['plans'], summary: '规划调整记录 / Adjustments of a plan',
    params: idParams,
    responses: { 200: z.object({ items: z.array(adjustment) }) },
    handler: async ({ services, actor, params }) => ({ items: await listPlanAdjustments(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/plans/:id/versions', access: 'plan:read', tags: ['plans'], summary: '规划版本 / Versions of a plan',
    params: idParams,
    responses: { 200: z.object({ items: z.array(versionSummary) }) },
    handler: async ({ services, actor, params }) => ({ items: await listPlanVersions(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/plans/:id/versions/:versionNo', access: 'plan:read', tags: ['plans'],
    summary: '规划版本快照 / One version of a plan with its snapshot',
    params: versionParams,
    responses: { 200: versionSummary.extend({ snapshot }) },
    handler: async ({ services, actor, params }) => getPlanVersion(services, actor, params.id, params.versionNo),
  }),
];
