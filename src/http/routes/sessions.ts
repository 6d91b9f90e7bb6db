// 在线会话 (SPEC §10).
import { z } from 'zod';
import { listSessions, revokeSession } from '../../usecases/sessions.ts';
import { defineRoute } from '../route.ts';
import { idParams } from './schemas.ts';

export const sessionRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/sessions', access: 'system:session:read', tags: ['sessions'], summary: '在线会话 / Active sessions',
    responses: {
      200: z.object({ items: z.array(z.object({
        id: z.string(), userId: z.string(), username: z.string(), displayName: z.string(), kind: z.enum(['cookie', 'bearer']),
        createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string(), clientAddress: z.string(), userAgent: z.string(),
        current: z.boolean(),
      })) }),
    },
    handler: async ({ services, actor }) => ({ items: await listSessions(services, actor) }),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/sessions/:id', access: 'system:session:revoke', tags: ['sessions'],
    summary: '强制下线 / Revoke a session', params: idParams,
    handler: async ({ services, actor, params }) => { await revokeSession(services, actor, params.id); },
  }),
];
