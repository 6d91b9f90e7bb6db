// The department directory for pickers and the catalog's label lists (issue 4), on both
// databases: who may be named where (participant: any government department; lead and system
// owner: within the caller's scope), firms never, search by name or code, pages, ids. And the
// demo's duplicate-collection group, so the report is not empty after `npm start`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORK_TYPE_NAMES, PROVINCE_NAMES } from '../../src/domain/system-catalog.ts';
import { bearer, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const sessions = new Map<string, Session>();

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'unitlead', 'reviewer', 'ndrc']) sessions.set(u, await signIn(demo.app, demo.services, u));
}, 600_000);
afterAll(async () => demo.close());

type Page = { items: Array<{ id: string; name: string; kind: string; parentName: string | null }>; total: number };
const get = (username: string, query: string) =>
  demo.app.inject({ method: 'GET', url: `/api/v1/departments?${query}`, headers: bearer(sessions.get(username)!) });
const page = async (username: string, query: string) => {
  const res = await get(username, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
const FIRMS = ['assessor', 'supervisor', 'evaluator'];

describe('department directory (GET /api/v1/departments)', () => {
  it('第十条: a preparer may name any government department as a participant — beyond its own scope — and never a firm', async () => {
    const all = await page('preparer', 'purpose=participant&pageSize=200');
    const orgs = await demo.t.database.db.selectFrom('organizations').select(['id', 'kind']).execute();
    const government = orgs.filter((o) => !FIRMS.includes(o.kind));
    expect(all.total).toBe(government.length);
    expect(new Set(all.items.map((d) => d.id))).toEqual(new Set(government.map((o) => o.id)));
    expect(all.items.some((d) => d.name === '自然资源部信息中心')).toBe(true);
    // By name, sorted, with the parent's name to tell 信息中心 apart.
    const centres = await page('preparer', `purpose=participant&q=${encodeURIComponent('信息中心')}`);
    expect(centres.items.length).toBeGreaterThan(1);
    expect(centres.items.every((d) => d.name.includes('信息中心'))).toBe(true);
    expect(centres.items.find((d) => d.name === '人力资源和社会保障部信息中心')?.parentName).toBe('人力资源和社会保障部');
    // A LIKE wildcard is a character, not a wildcard.
    expect((await page('preparer', 'purpose=participant&q=%25')).total).toBe(0);
  });

  it('pages do not overlap and cover the whole list; ids resolve chosen values', async () => {
    const first = await page('preparer', 'purpose=participant&pageSize=5&page=1');
    const second = await page('preparer', 'purpose=participant&pageSize=5&page=2');
    expect(first.items).toHaveLength(5);
    expect(second.items.map((d) => d.id).filter((id) => first.items.some((f) => f.id === id))).toEqual([]);
    const chosen = [first.items[0]!.id, second.items[1]!.id];
    const resolved = await page('preparer', `purpose=participant&ids=${chosen.join(',')}`);
    expect(resolved.items.map((d) => d.id).sort()).toEqual([...chosen].sort());
    expect((await get('preparer', 'purpose=participant&ids=not-a-uuid')).statusCode).toBe(400);
  });

  it('search by 统一社会信用代码 and by the start of a 行政区划代码', async () => {
    const org = await demo.t.database.db.selectFrom('organizations').select(['id', 'credit_code', 'division_code'])
      .where('division_code', 'is not', null).where('kind', 'not in', FIRMS).executeTakeFirstOrThrow();
    expect((await page('preparer', `purpose=participant&q=${org.credit_code.toLowerCase()}`)).items.map((d) => d.id)).toEqual([org.id]);
    const byDivision = await page('preparer', `purpose=participant&q=${org.division_code!.slice(0, 2)}&pageSize=200`);
    expect(byDivision.items.map((d) => d.id)).toContain(org.id);
  });

  it('第十二条: a system owner is one the caller keeps lists for — a preparer its own unit, a unit lead its subtree', async () => {
    const own = await page('preparer', 'purpose=system-owner');
    expect(own.items.map((d) => d.name)).toEqual(['人力资源和社会保障部信息中心']);
    const lead = await page('unitlead', 'purpose=system-owner&pageSize=200');
    expect(lead.items.map((d) => d.name)).toContain('人力资源和社会保障部信息中心');
    expect(lead.items.map((d) => d.name)).not.toContain('自然资源部信息中心');
    // The lead of a new plan: within the framework:manage scope.
    expect((await page('preparer', 'purpose=lead')).items.map((d) => d.name)).toEqual(['人力资源和社会保障部信息中心']);
  });

  it('a caller without framework:manage or catalog:manage gets 403; a bad purpose 400', async () => {
    expect((await get('reviewer', 'purpose=participant')).statusCode).toBe(403);
    expect((await get('ndrc', 'purpose=system-owner')).statusCode).toBe(403);
    expect((await get('preparer', 'purpose=everyone')).statusCode).toBe(400);
    expect((await get('preparer', 'purpose=participant&pageSize=1000')).statusCode).toBe(400);
  });
});

describe('catalog labels (GET /api/v1/catalog/labels)', () => {
  it('serves the domain\'s own lists, so the client keeps no copy', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/api/v1/catalog/labels', headers: bearer(sessions.get('reviewer')!) });
    expect(res.statusCode).toBe(200);
    const labels = res.json() as Record<string, Array<{ code: string; name: { zh: string; en: string } }>>;
    expect(labels.networks!.map((n) => n.code)).toEqual(['extranet', 'intranet', 'internet', 'isolated']);
    expect(labels.networks!.find((n) => n.code === 'isolated')!.name).toEqual(NETWORK_TYPE_NAMES.isolated);
    expect(labels.provinces![0]).toEqual({ code: '00', name: { zh: '中央本级', en: 'Central' } });
    expect(labels.provinces!.length).toBe(Object.keys(PROVINCE_NAMES).length + 1);
    expect(labels.statuses!.map((s) => s.name.zh)).toEqual(['在建', '运行', '下线']);
    expect((await demo.app.inject({ method: 'GET', url: '/api/v1/catalog/labels' })).statusCode).toBe(401);
  });
});

describe('demo data: 重复采集 (第二十八条)', () => {
  it('the demo holds a data item collected by systems of three departments, so the report is not empty after npm start', async () => {
    const res = await demo.app.inject({
      method: 'GET', url: `/api/v1/system-catalog/duplicate-collection?q=${encodeURIComponent('持证人姓名')}`, headers: bearer(sessions.get('ndrc')!),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { total: number; items: Array<{ dataItem: string; ownerCount: number; systems: Array<{ systemName: string | null }> }> };
    const group = body.items.find((g) => g.dataItem === '持证人姓名');
    expect(group, res.body).toBeDefined();
    expect(group!.ownerCount).toBe(3);
    expect(group!.systems.map((s) => s.systemName).sort()).toEqual(['四川省一体化政务服务平台', '江苏政务服务网', '电子社保卡服务系统'].sort());
    const all = await demo.app.inject({ method: 'GET', url: '/api/v1/system-catalog/duplicate-collection', headers: bearer(sessions.get('ndrc')!) });
    expect((all.json() as { total: number }).total).toBeGreaterThanOrEqual(6);
  });
});
