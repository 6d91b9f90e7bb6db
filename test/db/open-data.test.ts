// The open-data portal (SPEC §11 公开; §9 一公开) on a real database: over generated portfolios that
// mix 涉密 and ordinary projects, systems and resources, every public endpoint (JSON and CSV, every
// page, every spot check) never shows a 涉密 record or anything personal (I-63); paging, ETag/304,
// Cache-Control, CSV with a BOM, and the stricter rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { ALL_ROUTES } from '../../src/http/routes/index.ts';
import { DEMO_USERS } from '../../src/domain/demo-data.ts';
import { bearer, openDemoApp, signIn, type DemoApp } from '../support/fixtures.ts';

let d: DemoApp;
let app: FastifyInstance;
let units: string[];
let creatorId: string;
let userIds: string[];
let codeSeq = 0;

beforeAll(async () => {
  d = await openDemoApp();
  app = await buildApp({ ...d.services, config: { ...d.services.config, openDataRateLimit: 1_000_000 } });
  const db = d.t.database.db;
  units = (await db.selectFrom('organizations').select('id').orderBy('credit_code').execute()).map((o) => o.id);
  userIds = (await db.selectFrom('users').select('id').execute()).map((u) => u.id);
  creatorId = userIds[0]!;
});
afterAll(async () => {
  await app?.close();
  await d?.close();
});

interface GenProject { secret: boolean; approved: boolean; unit: number; systems: Array<{ secret: boolean }>; resources: Array<{ open: 'unconditional' | 'conditional' | 'none' }> }

const portfolioArb = fc.array(fc.record({
  secret: fc.boolean(), approved: fc.boolean(), unit: fc.nat(),
  systems: fc.array(fc.record({ secret: fc.boolean() }), { maxLength: 2 }),
  resources: fc.array(fc.record({ open: fc.constantFrom('unconditional' as const, 'conditional' as const, 'none' as const) }), { maxLength: 2 }),
}), { minLength: 1, maxLength: 6 });

/** Writes the portfolio; returns the strings that must never be public and those that must be. */
async function insertPortfolio(portfolio: GenProject[]): Promise<{ hidden: string[]; shown: string[] }> {
  const db = d.t.database.db;
  const hidden: string[] = [];
  const shown: string[] = [];
  for (const p of portfolio) {
    codeSeq += 1;
    const code = `2026-${String(900000 + codeSeq).padStart(6, '0')}-65-01-${String(codeSeq).padStart(6, '0')}`;
    const tag = randomUUID().slice(0, 8);
    const name = `${p.secret ? '涉密项目' : '公开项目'}${tag}`;
    const unit = units[p.unit % units.length]!;
    const row = await db.insertInto('projects').values({
      code, name, construction_unit_id: unit, approval_department_id: units[0]!, track: 'approval', kind: 'new', involves_secrets: p.secret,
      construction_start: '2026-01-01', construction_end: '2027-12-31', total_investment: '1234.500000', funding_channel: 'central_budget',
      protection_scheme: p.secret ? 'classified' : 'mlps', mlps_level: p.secret ? null : 3, stage: 'proposal', status: p.approved ? 'approved' : 'draft', created_by: creatorId,
    } as never).returning('id').executeTakeFirstOrThrow();
    if (p.approved) {
      await db.insertInto('project_actions').values({
        project_id: row.id, action: 'approve', from_stage: 'proposal', from_status: 'under_review', to_stage: 'proposal', to_status: 'approved',
        actor_id: creatorId, role: 'approver', payload: '{}', created_at: new Date(),
      } as never).execute();
    }
    const secretOrHidden = p.secret;
    (secretOrHidden ? hidden : shown).push(name, code, row.id);
    for (const [i, s] of p.systems.entries()) {
      const sname = `${s.secret ? '涉密系统' : '系统'}${tag}-${i}`;
      const sys = await db.insertInto('government_systems').values({
        owner_organization_id: unit, name: sname, purpose: `用途${tag}`, business_area: '政务服务', network_type: s.secret ? 'intranet' : 'extranet',
        involves_secrets: s.secret, protection_scheme: s.secret ? 'classified' : 'mlps', mlps_level: s.secret ? null : 2, user_count: 10, status: 'under_construction',
      } as never).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('government_system_projects').values({ system_id: sys.id, project_id: row.id, relation: 'new' }).execute();
      // 涉密 projects' systems never appear, whatever their own flag.
      ((s.secret || p.secret) ? hidden : shown).push(sname, sys.id);
    }
    for (const [i, r] of p.resources.entries()) {
      const rname = `资源${tag}-${i}`;
      const res = await db.insertInto('information_resources').values({
        project_id: row.id, code: `3-01-001/${codeSeq}${i}`, name: rname, classification_kind: 'department', provider_organization_id: unit,
        format: 'database', update_cycle: 'daily', sharing_type: 'unconditional', open_type: r.open, open_basis: r.open === 'unconditional' ? null : '依申请开放',
        involves_secrets: false, data_items: JSON.stringify([{ name: `字段${tag}`, type: '字符型' }]), created_by: creatorId,
      } as never).returning('id').executeTakeFirstOrThrow();
      ((secretOrHidden || r.open === 'none') ? hidden : shown).push(rname, res.id);
    }
  }
  return { hidden, shown };
}

const openRoutes = ALL_ROUTES.filter((r) => r.access === 'public' && r.url !== '/api/v1/auth/login');

/** Every public endpoint, every page, JSON and CSV; the bodies concatenated. */
async function everything(): Promise<string> {
  const bodies: string[] = [];
  const spotIds: string[] = [];
  const handled = new Set<string>();
  for (const r of openRoutes.filter((x) => x.method === 'GET' && !x.url.includes(':'))) {
    handled.add(`${r.method} ${r.url}`);
    for (const format of r.url.startsWith('/api/open/') ? ['json', 'csv'] : [null]) {
      for (let page = 1; ; page += 1) {
        const res = await app.inject({ method: 'GET', url: format ? `${r.url}?format=${format}&page=${page}&pageSize=200` : r.url });
        expect(res.statusCode, `${r.url} ${res.body.slice(0, 200)}`).toBe(200);
        bodies.push(res.body);
        if (!format) break;
        const total = format === 'json' ? res.json().total : Number(res.headers['x-total-count']);
        if (format === 'json' && r.url.endsWith('/spot-checks')) spotIds.push(...res.json().items.map((s: { id: string }) => s.id));
        if (page * 200 >= total) break;
      }
    }
  }
  for (const r of openRoutes.filter((x) => x.url.includes(':id'))) {
    handled.add(`${r.method} ${r.url}`);
    for (const id of spotIds) {
      const res = await app.inject({ method: r.method, url: r.url.replace(':id', id), payload: r.method === 'POST' ? {} : undefined });
      expect([200, 409], res.body.slice(0, 200)).toContain(res.statusCode);
      bodies.push(res.body);
    }
  }
  // A new public route must be walked here too.
  expect(openRoutes.map((r) => `${r.method} ${r.url}`).filter((k) => !handled.has(k))).toEqual([]);
  return bodies.join('\n');
}

const PERSONAL = [
  ...DEMO_USERS.flatMap((u) => [u.displayName, u.phone]),
  '"phone', '"displayName"', '"username"', '"createdBy"', '"userId"', 'password', '"signature"', 'inspectorUsers', '"recordedBy"', 'mlpsLevel', 'filingNumber', 'networkType', 'userCount',
];

describe('open-data portal (SPEC §11): never a 涉密 record, never anything personal', () => {
  it('property: over generated portfolios, no public endpoint shows a 涉密 project, its systems or resources, a resource 不予开放, or a personal field', async () => {
    await fc.assert(fc.asyncProperty(portfolioArb, async (portfolio) => {
      const { hidden, shown } = await insertPortfolio(portfolio);
      const all = await everything();
      for (const s of hidden) expect(all, s).not.toContain(s);
      for (const s of shown) expect(all, s).toContain(s);
      for (const s of PERSONAL) expect(all, s).not.toContain(s);
      for (const id of userIds) expect(all).not.toContain(id);
    }), { numRuns: 12 });
  });

  it('a spot check whose target later became 涉密 is withheld from the public whole (I-62)', async () => {
    const ndrc = await signIn(d.app, d.services, 'ndrc');
    const users = new Map((await d.t.database.db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
    const created = await d.app.inject({ method: 'POST', url: '/api/v1/spot-checks', headers: bearer(ndrc), payload: {
      title: '将被撤回的抽查', checklist: [{ code: 'C1', title: '资金使用', basis: '第三十条' }], targetFilter: { kinds: ['project'] }, targetCount: 1, inspectorsPerTarget: 2,
      inspectorUserIds: ['mof', 'cac', 'gooffice', 'auditor'].map((n) => users.get(n)),
    } });
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect((await app.inject({ method: 'GET', url: `/api/open/v1/spot-checks/${s.id}` })).statusCode).toBe(200);
    const target = s.targets[0];
    await d.t.database.db.updateTable('projects').set({ involves_secrets: true, protection_scheme: 'classified', mlps_level: null }).where('id', '=', target.id).execute();
    expect((await app.inject({ method: 'GET', url: `/api/open/v1/spot-checks/${s.id}` })).statusCode).toBe(404);
    const all = await everything();
    expect(all).not.toContain(target.name);
    expect(all).not.toContain(s.id);
    await d.t.database.db.updateTable('projects').set({ involves_secrets: false, protection_scheme: 'mlps', mlps_level: 3 }).where('id', '=', target.id).execute();
  });

  it('paginates; ETag + If-None-Match answers 304; Cache-Control public; CSV has a UTF-8 BOM', async () => {
    const first = await app.inject({ method: 'GET', url: '/api/open/v1/projects?pageSize=2' });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.items.length).toBe(2);
    expect(body.total).toBeGreaterThan(2);
    expect(body).toMatchObject({ page: 1, pageSize: 2 });
    const second = (await app.inject({ method: 'GET', url: '/api/open/v1/projects?pageSize=2&page=2' })).json();
    expect(second.items[0].code > body.items[1].code).toBe(true);
    expect(first.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await app.inject({ method: 'GET', url: '/api/open/v1/projects?pageSize=2', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await app.inject({ method: 'GET', url: '/api/open/v1/projects?pageSize=2', headers: { 'if-none-match': '"0000"' } });
    expect(other.statusCode).toBe(200);
    const csv = await app.inject({ method: 'GET', url: '/api/open/v1/projects?format=csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFF项目代码,项目名称,建设单位,审批部门,类别,建设性质,阶段,状态,跨部门,建设起始,建设截止,总投资（万元）,运维经费（万元）,资金渠道,更新日期');
    // The signed-in API is still never cached.
    const ndrc = await signIn(d.app, d.services, 'ndrc');
    expect((await app.inject({ method: 'GET', url: '/api/v1/spot-checks', headers: bearer(ndrc) })).headers['cache-control']).toBe('no-store');
    const bad = await app.inject({ method: 'GET', url: '/api/open/v1/projects?pageSize=100000' });
    expect(bad.statusCode).toBe(400);
  });

  it('the public API has its own, stricter rate limit (GOVPROJ_OPEN_DATA_RATE_LIMIT) and answers 429 problem+json', async () => {
    const limited = await buildApp({ ...d.services, config: { ...d.services.config, openDataRateLimit: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i += 1) codes.push((await limited.inject({ method: 'GET', url: '/api/open/v1/systems' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const res = await limited.inject({ method: 'GET', url: '/api/open/v1/resources' });
      expect(res.statusCode).toBe(429);
      expect(res.json().code).toBe('rate_limited');
      // The health route is not limited by it.
      expect((await limited.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
