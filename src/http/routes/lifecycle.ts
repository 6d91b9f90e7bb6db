// 申报、审核与批复 (第七条–第九条, 第十一条): what a project can do next, taking an action
// (with ?dryRun=true: every problem, nothing written), its signed history, and verifying a
// signature.
import { z } from 'zod';
import { LIFECYCLE_ACTIONS } from '../../domain/lifecycle.ts';
import { sm2Verify } from '../../crypto/sm2.ts';
import { listActions, nextActions, takeAction } from '../../usecases/lifecycle-actions.ts';
import { getPredecessor, setPredecessor } from '../../usecases/predecessors.ts';
import { optionalIfMatchVersion } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { uuid } from './schemas.ts';

const LIFECYCLE_PERMISSIONS = ['project:submit', 'project:sign', 'project:review', 'project:assess', 'project:decide', 'filing:decide'] as const;

export const lifecycleRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/actions', access: 'project:read', tags: ['lifecycle'],
    summary: '可办理的操作 / What the caller may do next, with what still stands in the way',
    params: z.strictObject({ id: uuid }),
    handler: async ({ services, actor, params }) => nextActions(services, actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/history', access: 'project:read', tags: ['lifecycle'],
    summary: '办理记录与签名 / Actions taken, with each SM2 signature verified',
    params: z.strictObject({ id: uuid }),
    handler: async ({ services, actor, params }) => ({ items: await listActions(services, actor, params.id) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/actions/:action', access: LIFECYCLE_PERMISSIONS, tags: ['lifecycle'],
    summary: '办理 / Take an action (?dryRun=true checks only; decisions need a fresh TOTP code; Idempotency-Key honoured)',
    params: z.strictObject({ id: uuid, action: z.enum(LIFECYCLE_ACTIONS) }),
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
    body: z.strictObject({
      reasons: z.string().max(10_000).optional(),
      sharingOpinions: z.string().max(20_000).optional(),
      returnTo: z.enum(['sameStage', 'previousStage']).optional(),
      totp: z.string().regex(/^\d{6}$/).optional(),
      reviewerId: uuid.optional(),
    }).default({}),
    handler: async ({ services, actor, params, query, body, request }) => {
      const key = request.headers['idempotency-key'];
      return takeAction(services, actor, params.id, params.action, body, {
        dryRun: query.dryRun,
        expectedVersion: optionalIfMatchVersion(request),
        idempotencyKey: typeof key === 'string' && key.length > 0 ? key.slice(0, 200) : null,
      });
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/predecessor', access: 'project:read', tags: ['lifecycle'],
    summary: '上一期项目 / The earlier project a 改建/扩建 filing links for its post-evaluation report (第九条)',
    params: z.strictObject({ id: uuid }),
    handler: async ({ services, actor, params }) => getPredecessor(services, actor, params.id),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/projects/:id/predecessor', access: 'project:update', tags: ['lifecycle'],
    summary: '关联上一期项目 / Link (or with null unlink) the earlier project whose post-evaluation report the filing uses (第九条)',
    params: z.strictObject({ id: uuid }), body: z.strictObject({ previousProjectId: uuid.nullable() }),
    handler: async ({ services, actor, params, body }) => setPredecessor(services, actor, params.id, body.previousProjectId),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/signatures/verify', access: 'authenticated', tags: ['lifecycle'],
    summary: '验证签名 / Verify an SM2 signature (user ID 1234567812345678) over a payload',
    body: z.strictObject({ payload: z.string().max(1_000_000), signature: z.string().regex(/^[0-9a-fA-F]{16,400}$/), publicKey: z.string().regex(/^04[0-9a-fA-F]{128}$/) }),
    responses: { 200: z.object({ valid: z.boolean() }) },
    handler: async ({ body }) => ({ valid: sm2Verify(body.payload, body.signature, body.publicKey) }),
  }),
];
