// SPEC §1: every route × every role, generated from the route table, so a new route is
// covered without anyone remembering to add it. A role that holds the route's permission is
// let through (any status but 401/403); any other role gets 403 auth.forbidden; nobody gets
// in without signing in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ROLES, ROLE_CODES, type RoleCode } from '../../src/domain/authz.ts';
import { DEMO_USERS } from '../../src/domain/demo-data.ts';
import { buildApp } from '../../src/http/app.ts';
import { ALL_ROUTES } from '../../src/http/routes/index.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { seedTestDemo, signIn, type Session } from '../support/fixtures.ts';

let t: TestDatabase;
let app: FastifyInstance;
let services: ReturnType<typeof testServices>;
const sessions = new Map<RoleCode, Session>();

beforeAll(async () => {
  t = await openTestDatabase();
  services = testServices(t.database);
  await seedTestDemo(services);
  app = await buildApp(services);
  for (const role of ROLE_CODES) {
    const user = DEMO_USERS.find((u) => u.roles.length === 1 && u.roles[0] === role)!;
    sessions.set(role, await signIn(app, services, user.username));
  }
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

const SOME_ID = '00000000-0000-4000-8000-000000000000';
const url = (path: string) => path.replace(/:id\b/g, SOME_ID);
const guarded = ALL_ROUTES.filter((r) => r.access !== 'public');

function allowed(role: RoleCode, access: (typeof ALL_ROUTES)[number]['access']): boolean {
  if (access === 'authenticated') return true;
  const needed = typeof access === 'string' ? [access] : access;
  return needed.some((p) => ROLES[role].grants[p as keyof (typeof ROLES)[RoleCode]['grants']] !== undefined);
}

describe('authorization matrix (route table × roles)', () => {
  it('covers every route', () => {
    expect(guarded.length).toBeGreaterThan(15);
  });

  for (const route of guarded) {
    it(`${route.method} ${route.url} needs a session`, async () => {
      const res = await app.inject({ method: route.method, url: url(route.url), payload: route.method === 'GET' ? undefined : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('auth.unauthenticated');
    });
    for (const role of ROLE_CODES) {
      const expectAllowed = allowed(role, route.access);
      it(`${route.method} ${route.url} × ${role}: ${expectAllowed ? 'allowed' : 'denied'}`, async () => {
        // Signing out would end the session the other cases use: it gets one of its own.
        const user = DEMO_USERS.find((u) => u.roles.length === 1 && u.roles[0] === role)!;
        const session = route.url.endsWith('/logout') ? await signIn(app, services, user.username) : sessions.get(role)!;
        const res = await app.inject({
          method: route.method, url: url(route.url),
          headers: { authorization: `Bearer ${session.token}` },
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        });
        if (expectAllowed) {
          expect([401, 403], `${res.statusCode} ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
          expect(res.statusCode).toBeLessThan(500);
        } else {
          expect(res.statusCode).toBe(403);
          expect(res.json().code).toBe('auth.forbidden');
        }
      });
    }
  }
});
