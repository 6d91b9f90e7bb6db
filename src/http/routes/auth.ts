// Sign-in, the current user, sign-out.
import { z } from 'zod';
import { permissionsOf, ROLES } from '../../domain/authz.ts';
import type { Services } from '../../services.ts';
import { csrfTokenFor, login, logout, resolveSession } from '../../usecases/auth.ts';
import type { Actor } from '../../usecases/actor.ts';
import { clientInfo, SESSION_COOKIE } from '../app.ts';
import { defineRoute } from '../route.ts';

const me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organizations: z.array(z.object({ id: z.string(), name: z.string() })),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
});

async function presentMe(services: Services, actor: Actor): Promise<z.infer<typeof me>> {
  const orgs = actor.organizationIds.length === 0 ? [] : await services.database.db.selectFrom('organizations')
    .select(['id', 'name']).where('id', 'in', [...actor.organizationIds]).orderBy('name').execute();
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    organizations: orgs,
    roles: actor.roles.map((r) => ({ code: r.role, name: ROLES[r.role].name })),
    permissions: permissionsOf(actor.roles),
  };
}

export const authRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/auth/login', access: 'public', csrfExempt: true, tags: ['auth'],
    summary: '登录 / Sign in (returns a Bearer token and sets the session cookie)',
    rateLimited: true,
    body: z.strictObject({
      username: z.string().min(1).max(64),
      password: z.string().min(1).max(256),
      totp: z.string().regex(/^\d{6}$/).optional(),
    }),
    responses: { 200: z.object({ token: z.string(), csrfToken: z.string(), user: me }) },
    handler: async ({ services, body, request, reply }) => {
      // Browsers announce themselves with Sec-Fetch headers; scripts keep the Bearer token.
      const kind = request.headers['sec-fetch-mode'] ? 'cookie' : 'bearer';
      const result = await login(services, { ...body, kind }, clientInfo(request));
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https',
        maxAge: Math.floor(services.config.sessionAbsoluteMs / 1000),
      });
      const actor = await resolveSession(services, result.token, clientInfo(request));
      return { token: result.token, csrfToken: result.csrfToken, user: await presentMe(services, actor!) };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/auth/me', access: 'authenticated', tags: ['auth'], summary: '当前用户 / Current user',
    responses: { 200: z.object({ user: me, csrfToken: z.string() }) },
    handler: async ({ services, actor }) => ({
      user: await presentMe(services, actor),
      csrfToken: csrfTokenFor(services, actor.sessionId ?? ''),
    }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/logout', access: 'authenticated', tags: ['auth'], summary: '退出登录 / Sign out',
    handler: async ({ services, actor, reply }) => {
      await logout(services, actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  }),
];
