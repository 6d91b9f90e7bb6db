// 项目验收 and 后评价 (第二十五条, 第二十六条, 第二十七条): thin routes over src/usecases/acceptance.ts
// and src/usecases/post-evaluation.ts.
import { z } from 'zod';
import { POST_EVALUATION_CONCLUSIONS } from '../../domain/acceptance.ts';
import {
  applyForAcceptance, decideAcceptance, decideExtension, getAcceptance, recordArchiveAcceptance, requestExtension,
} from '../../usecases/acceptance.ts';
import { acceptanceDocument } from '../../usecases/acceptance-document.ts';
import {
  commissionPostEvaluation, concludePostEvaluation, evaluatorOrganizations, getPostEvaluation, submitSelfEvaluation,
} from '../../usecases/post-evaluation.ts';
import { contentDisposition } from '../content-disposition.ts';
import { defineRoute } from '../route.ts';
import { calendarDate, idParams, text, uuid } from './schemas.ts';

const totp = z.string().regex(/^\d{6}$/).optional().describe('a fresh TOTP code (required)');
const opinion = text(2000);
const result = z.enum(['pass', 'fail']);

export const acceptanceRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/acceptance', access: 'project:read', tags: ['acceptance'],
    summary: '验收 / The acceptance: deadline, live checklist, applications, extensions, archive acceptance, decisions (第二十五条, 第二十六条)',
    params: idParams,
    handler: async ({ services, actor, params }) => getAcceptance(services, actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/acceptance/application', access: 'project:update', tags: ['acceptance'],
    summary: '申请验收 / Apply for acceptance (第二十五条; 422 lists every missing material; ?dryRun=true checks only)',
    params: idParams,
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
    handler: async ({ services, actor, params, query, reply }) => {
      const r = await applyForAcceptance(services, actor, params.id, { dryRun: query.dryRun });
      if (!r.dryRun) reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/acceptance/extensions', access: 'project:update', tags: ['acceptance'],
    summary: '延期验收申请 / Request a later acceptance deadline, before the one in force ends (第二十五条)',
    params: idParams,
    body: z.strictObject({ reason: text(2000), proposedDueOn: calendarDate }),
    handler: async ({ services, actor, params, body, reply }) => {
      const r = await requestExtension(services, actor, params.id, body);
      reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/acceptance/extensions/:extensionId/decision', access: 'project:decide', tags: ['acceptance'],
    summary: '延期验收决定 / Approve or reject an extension (第二十五条; TOTP; SM2-signed)',
    params: z.strictObject({ id: uuid, extensionId: uuid }),
    body: z.strictObject({ decision: z.enum(['approved', 'rejected']), opinion, totp }),
    handler: async ({ services, actor, params, body }) => decideExtension(services, actor, params.id, params.extensionId, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/acceptance/archive', access: 'project:review', tags: ['acceptance'],
    summary: '档案验收 / Record the archive acceptance: date, pass or fail, opinion (第二十六条)',
    params: idParams,
    body: z.strictObject({ acceptedOn: calendarDate, result, opinion }),
    handler: async ({ services, actor, params, body, reply }) => {
      const r = await recordArchiveAcceptance(services, actor, params.id, body);
      reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/acceptance/decision', access: 'project:decide', tags: ['acceptance'],
    summary: '验收结论 / Decide on the pending application (第二十五条, 第二十六条; a pass needs a passed archive acceptance; TOTP; SM2-signed)',
    params: idParams,
    body: z.strictObject({ result, opinion, inOperationOn: calendarDate.optional().describe('the go-live date when not the acceptance date'), totp }),
    handler: async ({ services, actor, params, body, reply }) => {
      const r = await decideAcceptance(services, actor, params.id, body);
      reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/acceptance/decisions/:decisionId/document', access: 'project:read', tags: ['acceptance'],
    summary: '验收意见 / The signed acceptance decision as a GB/T 9704 .docx',
    params: z.strictObject({ id: uuid, decisionId: uuid }),
    handler: async ({ services, actor, params, reply }) => {
      const { fileName, buffer } = await acceptanceDocument(services, actor, params.id, params.decisionId);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-length', String(buffer.length))
        .header('content-disposition', contentDisposition(fileName, `acceptance-${params.decisionId}`))
        .header('x-content-type-options', 'nosniff')
        .send(buffer);
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/post-evaluation', access: 'project:read', tags: ['acceptance'],
    summary: '后评价 / The self-evaluation window, submissions and third-party post-evaluations (第二十七条)',
    params: idParams,
    handler: async ({ services, actor, params }) => getPostEvaluation(services, actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/post-evaluation/self-evaluations', access: 'project:update', tags: ['acceptance'],
    summary: '报送自评价报告 / Submit the latest uploaded self-evaluation report (第二十七条; refused before the window opens, with the date)',
    params: idParams,
    handler: async ({ services, actor, params, reply }) => {
      const r = await submitSelfEvaluation(services, actor, params.id);
      reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/post-evaluation/evaluators', access: 'project:review', tags: ['acceptance'],
    summary: '可委托的第三方评价机构 / Evaluator organizations that may be commissioned',
    params: idParams,
    handler: async ({ services, actor, params }) => ({ items: await evaluatorOrganizations(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/post-evaluation/commissions', access: 'project:review', tags: ['acceptance'],
    summary: '委托第三方后评价 / Commission an evaluator organization (第二十七条)',
    params: idParams,
    body: z.strictObject({ organizationId: uuid, reason: text(2000) }),
    handler: async ({ services, actor, params, body, reply }) => {
      const r = await commissionPostEvaluation(services, actor, params.id, body);
      reply.code(201);
      return r;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/post-evaluation/conclusion', access: 'evaluation:report', tags: ['acceptance'],
    summary: '后评价结论 / The commissioned evaluator concludes: 继续运行 / 整改 / 创新 / 退出, with its opinion (第二十七条)',
    params: idParams,
    body: z.strictObject({ conclusion: z.enum(POST_EVALUATION_CONCLUSIONS), opinion }),
    handler: async ({ services, actor, params, body }) => concludePostEvaluation(services, actor, params.id, body),
  }),
];
