// Regressions (found by the schema-driven fuzzer): PostgreSQL text cannot hold U+0000, and jsonb
// refuses a lone UTF-16 surrogate. A NUL in a search box answered 500 (GET /api/v1/frameworks?q=%00,
// GET /api/v1/systems?q=%00) or broke an export off mid-stream (GET /api/v1/users/export?q=%00); a
// lone surrogate in a catalog confirmation's note answered 500 on PostgreSQL (the audit diff is
// jsonb). Now either, anywhere in the query string, a path parameter or a JSON body, is a 400
// naming the field, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const sessions = new Map<string, Session>();

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'auditor', 'admin', 'unitlead']) sessions.set(u, await signIn(demo.app, demo.services, u));
});
afterAll(async () => demo.close());

describe('a character PostgreSQL cannot store, in any input', () => {
  for (const [user, url] of [
    ['preparer', '/api/v1/frameworks?q=%00'],
    ['auditor', '/api/v1/systems?q=a%00b'],
    ['admin', '/api/v1/users/export?q=%00'],
    ['auditor', '/api/v1/projects?q=%00'],
  ] as const) {
    it(`GET ${url} as ${user}: 400 with the field`, async () => {
      const res = await demo.app.inject({ method: 'GET', url, headers: bearer(sessions.get(user)!) });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation.failed', errors: [{ path: 'querystring.q', code: 'input.invalid_character' }] });
    });
  }

  it('in a JSON body field without a pattern: 400, and no organization is created', async () => {
    const count = async () => (await demo.t.database.db.selectFrom('organizations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const res = await demo.app.inject({
      method: 'POST', url: '/api/v1/organizations', headers: { ...bearer(sessions.get('admin')!), 'accept-language': 'en-US' },
      payload: { parentId: null, name: '测试机构', nameEn: 'Test\u0000Org', kind: 'ministry', creditCode: '11100000000010014P' },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors).toEqual([{
      path: 'nameEn', code: 'input.invalid_character', message: 'contains a character that cannot be stored (NUL, U+0000, or a lone Unicode surrogate)',
    }]);
    expect(await count()).toBe(before);
  });

  it('a lone surrogate in a JSON body: 400 naming the field, nothing confirmed', async () => {
    const db = demo.t.database.db;
    const unitlead = sessions.get('unitlead')!;
    const org = await db.selectFrom('user_organizations').select('organization_id').where('user_id', '=', unitlead.userId).executeTakeFirstOrThrow();
    const count = async () => (await db.selectFrom('catalog_confirmations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    for (const note of ['x\udfffy', '\ud800']) {
      const res = await demo.app.inject({
        method: 'POST', url: '/api/v1/system-catalog/confirmations', headers: { ...bearer(unitlead), 'content-type': 'application/json' },
        payload: JSON.stringify({ organizationId: org.organization_id, note }),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors).toMatchObject([{ path: 'note', code: 'input.invalid_character' }]);
    }
    expect(await count()).toBe(before);
    // The same note without the broken character is taken.
    const ok = await demo.app.inject({
      method: 'POST', url: '/api/v1/system-catalog/confirmations', headers: bearer(unitlead),
      payload: { organizationId: org.organization_id, note: 'xy 𠮷' },
    });
    expect(ok.statusCode, ok.body).toBeLessThan(300);
  });

  it('is still refused 403 first when the caller lacks the permission', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/api/v1/users/export?q=%00', headers: bearer(sessions.get('preparer')!) });
    expect(res.statusCode).toBe(403);
  });
});
