// The open-data API's paging and caching (issue 6 performance) on a real database: keyset cursors
// that give every row exactly once across pages even while rows are inserted between pages, a bad
// cursor answered 400 problem+json with a stable code, totals that are exact while nothing changed
// and say so when they are not, and the data-version ETag (304 without building; a committed change
// moves it, once per transaction; a rolled-back one does not).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { sm3Hex } from '../../src/crypto/sm3.ts';
import { encodeCursor, openDataCache, openDataVersion } from '../../src/usecases/open-data-cache.ts';
import { openDemoApp, type DemoApp } from '../support/fixtures.ts';

let d: DemoApp;
let app: FastifyInstance;
let units: string[];
let creatorId: string;
let seq = 0;

beforeAll(async () => {
  d = await openDemoApp();
  app = await buildApp({ ...d.services, config: { ...d.services.config, openDataRateLimit: 1_000_000 } });
  const db = d.t.database.db;
  units = (await db.selectFrom('organizations').select('id').orderBy('credit_code').execute()).map((o) => o.id);
  creatorId = (await db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  // Enough projects for several pages, half of them 涉密 (never listed).
  for (let i = 0; i < 30; i += 1) await addProject(i % 2 === 0, i % 3 === 0 ? '0' : '5');
});
afterAll(async () => {
  await app?.close();
  await d?.close();
});

/** A project whose code sorts by `prefix` (so inserts land before and after a cursor). */
async function addProject(secret: boolean, prefix: string): Promise<{ id: string; code: string }> {
  seq += 1;
  const code = `${prefix}026-${String(800000 + seq).padStart(6, '0')}-65-01-${String(seq).padStart(6, '0')}`;
  const row = await d.t.database.db.insertInto('projects').values({
    code, name: `分页测试${seq}`, construction_unit_id: units[seq % units.length]!, approval_department_id: units[0]!, track: 'approval', kind: 'new',
    involves_secrets: secret, construction_start: '2026-01-01', construction_end: '2027-12-31', total_investment: '10.000000', funding_channel: 'central_budget',
    protection_scheme: secret ? 'classified' : 'mlps', mlps_level: secret ? null : 3, stage: 'proposal', status: 'draft', created_by: creatorId,
  } as never).returning(['id', 'code']).executeTakeFirstOrThrow();
  return row;
}

async function published(): Promise<string[]> {
  return (await d.t.database.db.selectFrom('projects').select('code').where('involves_secrets', '=', false).orderBy('code').execute()).map((r) => r.code);
}

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('open-data keyset cursors', () => {
  it('every published project exactly once across pages, in code order, while projects are inserted between pages', async () => {
    const before = await published();
    const seen: string[] = [];
    const inserted: string[] = [];
    let url: string | null = '/api/open/v1/projects?pageSize=7';
    let pages = 0;
    while (url) {
      const res = await get(url);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const body = res.json() as { items: Array<{ code: string }>; next: string | null; page: number | null };
      expect(body.items.length).toBeLessThanOrEqual(7);
      seen.push(...body.items.map((p) => p.code));
      if (body.next) expect(res.headers.link).toBe(`<${body.next}>; rel="next"`);
      else expect(res.headers.link).toBeUndefined();
      expect(body.page).toBe(pages === 0 ? 1 : null);
      url = body.next;
      pages += 1;
      // Concurrent writers: one project sorting before every cursor, one after, one 涉密.
      if (pages <= 4) {
        inserted.push((await addProject(false, '0')).code, (await addProject(false, '9')).code);
        await addProject(true, '9');
      }
    }
    expect(pages).toBeGreaterThan(3);
    // No row twice; every row that existed throughout exactly once; the order is the code order.
    expect(new Set(seen).size).toBe(seen.length);
    for (const code of before) expect(seen.filter((c) => c === code)).toEqual([code]);
    expect([...seen].sort()).toEqual(seen);
    // What was inserted after the cursor passed it ('9…' codes) is seen; what sorted before it is not.
    const late = inserted.filter((c) => c.startsWith('9'));
    for (const code of late) expect(seen).toContain(code);
    for (const code of inserted.filter((c) => c.startsWith('0'))) expect(seen).not.toContain(code);
    // Nothing 涉密.
    const secret = new Set((await d.t.database.db.selectFrom('projects').select('code').where('involves_secrets', '=', true).execute()).map((r) => r.code));
    expect(seen.filter((c) => secret.has(c))).toEqual([]);
  });

  it('the CSV pages by the same cursor (Link header), and every list walks to its end by next', async () => {
    let url: string | null = '/api/open/v1/projects?pageSize=9&format=csv';
    const rows: string[] = [];
    while (url) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      rows.push(...res.body.split('\r\n').slice(1).filter((l) => l !== ''));
      const link = res.headers.link as string | undefined;
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
    }
    expect(rows.map((r) => r.split(',')[0])).toEqual(await published());
    for (const list of ['systems', 'resources', 'spot-checks']) {
      const all = (await get(`/api/open/v1/${list}?pageSize=200`)).json() as { items: Array<{ id: string }>; total: number };
      const walked: string[] = [];
      let next: string | null = `/api/open/v1/${list}?pageSize=2`;
      while (next) {
        const body = (await get(next)).json() as { items: Array<{ id: string }>; next: string | null };
        walked.push(...body.items.map((x) => x.id));
        next = body.next;
      }
      expect(walked, list).toEqual(all.items.map((x) => x.id));
      expect(walked.length, list).toBe(all.total);
    }
  });

  it('systems page in the order (owning unit, system name, id), and a renamed unit moves its systems (the owner name kept on the row)', async () => {
    const db = d.t.database.db;
    const walk = async () => {
      const rows: Array<{ id: string; name: string; ownerOrganization: string }> = [];
      let next: string | null = '/api/open/v1/systems?pageSize=3';
      while (next) {
        const body = (await get(next)).json() as { items: typeof rows; next: string | null };
        rows.push(...body.items);
        next = body.next;
      }
      return rows;
    };
    // What the list must be, from the organizations table itself (not from the kept name).
    const expected = async () => (await sql<{ id: string; name: string; owner: string }>`
      select s.id, s.name, o.name as owner from government_systems s join organizations o on o.id = s.owner_organization_id
      where not s.involves_secrets and not exists (select 1 from government_system_projects gp join projects p on p.id = gp.project_id
        where gp.system_id = s.id and p.involves_secrets)
      order by o.name, s.name, s.id`.execute(db)).rows;
    const byKey = (rows: Array<{ id: string; name: string; owner: string }>) => rows.map((r) => `${r.owner}|${r.name}|${r.id}`);
    const asKeys = (rows: Array<{ id: string; name: string; ownerOrganization: string }>) => rows.map((r) => `${r.ownerOrganization}|${r.name}|${r.id}`);
    const before = await walk();
    expect(before.length).toBeGreaterThan(3);
    expect(asKeys(before)).toEqual(byKey(await expected()));
    // Rename the owner of the first listed system: its systems carry the new name and move with it.
    const owner = (await db.selectFrom('government_systems').select('owner_organization_id').where('id', '=', before[0]!.id).executeTakeFirstOrThrow()).owner_organization_id;
    const oldName = (await db.selectFrom('organizations').select('name').where('id', '=', owner).executeTakeFirstOrThrow()).name;
    await db.updateTable('organizations').set({ name: `龥${oldName}` }).where('id', '=', owner).execute();
    try {
      const after = await walk();
      expect(asKeys(after)).toEqual(byKey(await expected()));
      expect(after.filter((r) => r.ownerOrganization === `龥${oldName}`).length).toBe(before.filter((r) => r.ownerOrganization === oldName).length);
    } finally {
      await db.updateTable('organizations').set({ name: oldName }).where('id', '=', owner).execute();
    }
    expect(asKeys(await walk())).toEqual(asKeys(before));
  });

  it('a bad cursor is 400 problem+json with the stable code opendata.bad_cursor, in both languages; never a 500', async () => {
    const page1 = (await get('/api/open/v1/projects?pageSize=2')).json() as { next: string };
    const cursor = new URL(page1.next, 'http://x').searchParams.get('cursor')!;
    const bad = [
      'not-a-cursor!', 'e30', Buffer.from('{"a":1}').toString('base64url'),
      encodeCursor('systems', ['x', 'y', randomUUID()]),
      encodeCursor('projects', ['a', 'b']),
      `${cursor}&page=2`,
    ];
    for (const c of bad) {
      const res = await get(`/api/open/v1/projects?cursor=${c}`);
      expect(res.statusCode, c).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('opendata.bad_cursor');
    }
    // A key that would not cast (a uuid, a timestamp) is refused before it reaches SQL.
    expect((await get(`/api/open/v1/systems?cursor=${encodeCursor('systems', ['a', 'b', 'not-a-uuid'])}`)).json().code).toBe('opendata.bad_cursor');
    expect((await get(`/api/open/v1/spot-checks?cursor=${encodeCursor('spot-checks', ['yesterday', randomUUID()])}`)).json().code).toBe('opendata.bad_cursor');
    const en = await get('/api/open/v1/resources?cursor=zzz', { 'accept-language': 'en-US' });
    expect(en.statusCode).toBe(400);
    expect(en.json().title).toMatch(/cursor/);
    const zh = await get('/api/open/v1/resources?cursor=zzz');
    expect(zh.json().title).toMatch(/游标/);
  });
});

describe('open-data totals and the data-version ETag', () => {
  it('the total is the exact count while nothing changed, recounted after a change, and marked when served approximate', async () => {
    const cache = openDataCache(d.services);
    const count = async () => (await published()).length;
    let body = (await get('/api/open/v1/projects?pageSize=1&stage=proposal')).json();
    const exact = Number((await sql<{ n: string }>`select count(*)::text as n from projects where not involves_secrets and stage = 'proposal'`.execute(d.t.database.db)).rows[0]!.n);
    expect(body).toMatchObject({ total: exact, totalApproximate: false });
    body = (await get('/api/open/v1/projects?pageSize=3')).json();
    expect(body).toMatchObject({ total: await count(), totalApproximate: false });
    // A small set is recounted after every change.
    await addProject(false, '5');
    body = (await get('/api/open/v1/projects?pageSize=3')).json();
    expect(body).toMatchObject({ total: await count(), totalApproximate: false });
    // A large one (here: any) counted a moment ago is served as it was, and says so, in JSON and CSV.
    const saved = { from: cache.approximateFrom, for: cache.approximateFor };
    try {
      cache.approximateFrom = 1;
      cache.approximateFor = 3_600_000;
      const was = await count();
      await addProject(false, '5');
      body = (await get('/api/open/v1/projects?pageSize=3')).json();
      expect(body).toMatchObject({ total: was, totalApproximate: true });
      const csv = await get('/api/open/v1/projects?pageSize=3&format=csv');
      expect(csv.headers['x-total-count']).toBe(String(was));
      expect(csv.headers['x-total-approximate']).toBe('true');
      // Once the interval is over it is counted again.
      cache.approximateFor = 0;
      await addProject(false, '5');
      body = (await get('/api/open/v1/projects?pageSize=3&q=')).json();
      expect(body).toMatchObject({ total: await count(), totalApproximate: false });
    } finally {
      cache.approximateFrom = saved.from;
      cache.approximateFor = saved.for;
    }
  });

  it('the ETag comes from the data version: a conditional GET answers 304 with no body until anything public changes', async () => {
    const url = '/api/open/v1/projects?pageSize=5';
    const first = await get(url);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    // Known from the version, the URL and the language alone: nothing of the page goes into it.
    expect(etag).toBe(`"${sm3Hex(`open-data/v1\n${await openDataVersion(d.services)}\n${url}\n`).slice(0, 40)}"`);
    const again = await get(url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // The same page from memory is the same bytes.
    expect((await get(url)).body).toBe(first.body);
    // A change anywhere the public API reads (here a system's name, committed) moves the version.
    const v0 = await openDataVersion(d.services);
    await d.t.database.db.updateTable('government_systems').set({ purpose: sql`purpose || ''` }).where('id', '=', sql<string>`(select id from government_systems limit 1)`).execute();
    expect(await openDataVersion(d.services)).not.toBe(v0);
    const after = await get(url, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    // One transaction of many rows moves it once; a rolled-back one not at all.
    const v1 = await openDataVersion(d.services);
    await d.t.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('projects').set({ name: sql`name` }).where('code', 'like', '5026-%').execute();
      await trx.updateTable('organizations').set({ name: sql`name` }).execute();
    });
    const v2 = await openDataVersion(d.services);
    expect(BigInt(v2) - BigInt(v1)).toBe(1n);
    await expect(d.t.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('projects').set({ name: sql`name` }).execute();
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await openDataVersion(d.services)).toBe(v2);
    // The spot check pages and single spot checks answer 304 the same way.
    const spot = await get('/api/open/v1/spot-checks');
    const id = (spot.json() as { items: Array<{ id: string }> }).items[0]!.id;
    const one = await get(`/api/open/v1/spot-checks/${id}`);
    expect((await get(`/api/open/v1/spot-checks/${id}`, { 'if-none-match': String(one.headers.etag) })).statusCode).toBe(304);
    expect((await get('/api/open/v1/spot-checks', { 'if-none-match': String(spot.headers.etag) })).statusCode).toBe(304);
    // An unknown spot check is still 404 (errors are never cached).
    expect((await get(`/api/open/v1/spot-checks/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('the body cache keeps to its bounds (entries and characters), least recently used out first', async () => {
    const cache = openDataCache(d.services);
    const saved = cache.maxBodyChars;
    try {
      const a = await get('/api/open/v1/projects?pageSize=3&q=分页');
      cache.maxBodyChars = a.body.length + 10;
      await get('/api/open/v1/projects?pageSize=2&q=分页');
      expect(cache.bodyChars).toBeLessThanOrEqual(cache.maxBodyChars);
      expect(cache.bodyChars).toBe([...cache.bodies.values()].reduce((n, b) => n + b.body.length, 0));
      expect(cache.bodies.size).toBe(1);
      // The evicted page is built again, the same bytes.
      expect((await get('/api/open/v1/projects?pageSize=3&q=分页')).body).toBe(a.body);
    } finally {
      cache.maxBodyChars = saved;
    }
  });
});
