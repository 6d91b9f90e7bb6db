// 第三十一条: the auditor (审计机关) reads everything and changes nothing. Every mutating operation of
// the OpenAPI document the app serves (so a route added on another branch is walked too) is sent
// by the demo auditor with a schema-valid body and real ids; each is refused with 403
// auth.forbidden and the checksum of every table (less the audit log, which records the refusal)
// is unchanged. The few operations any signed-in user may call (signing out, marking one's own
// notifications read, checking a signature or a similarity) are listed with the tables they may
// write; a new mutating route the auditor can reach fails this test until it is listed here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/http/app.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { seedTestDemo, signIn, type Session } from '../support/fixtures.ts';
import { Draw, operationsOf, validValue, type JsonSchema, type Operation } from '../support/fuzz-schema.ts';

/** Mutating operations any signed-in user may call, and the tables each may write (besides the audit log). */
const SELF_SERVICE: Readonly<Record<string, { tables: readonly string[]; why: string }>> = {
  'POST /api/v1/auth/logout': { tables: ['sessions'], why: 'ends the auditor\'s own session' },
  'POST /api/v1/notifications/{id}/read': { tables: ['notifications'], why: 'marks one of the auditor\'s own notifications read' },
  'POST /api/v1/notifications/read-all': { tables: ['notifications'], why: 'marks the auditor\'s own notifications read' },
  'POST /api/v1/signatures/verify': { tables: [], why: 'checks a signature; a read with a body' },
  'POST /api/v1/similarity/check': { tables: [], why: 'compares a draft with the library (project:read); a read with a body' },
};
/** Tables every request may touch: the audit log records it; sessions.last_seen_at is idle-timeout bookkeeping. */
const ALWAYS = new Set(['audit_events', 'audit_chain_heads']);

/** Path segment → table whose ids the `{id}` after it takes (else a project id). */
const SEGMENT_TABLE: Record<string, string> = {
  projects: 'projects', organizations: 'organizations', users: 'users', sessions: 'sessions', plans: 'plans', notifications: 'notifications',
  systems: 'government_systems', frameworks: 'framework_plans', resources: 'information_resources', materials: 'project_materials',
  'spot-checks': 'spot_checks', tasks: 'plan_tasks', jobs: 'background_jobs', imports: 'background_jobs',
};

let t: TestDatabase;
let app: FastifyInstance;
let services: ReturnType<typeof testServices>;
let auditor: Session;
let operations: Operation[];
const anyId = new Map<string, string>();

beforeAll(async () => {
  t = await openTestDatabase();
  services = testServices(t.database);
  await seedTestDemo(services);
  app = await buildApp(services);
  auditor = await signIn(app, services, 'auditor');
  operations = operationsOf((await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json());
  for (const table of new Set(Object.values(SEGMENT_TABLE))) {
    const r = (await sql<{ id: string }>`select id::text as id from ${sql.table(table)} order by id limit 1`.execute(t.database.db)).rows[0];
    if (r) anyId.set(table, r.id);
  }
}, 180_000);
afterAll(async () => {
  await app.close();
  await t.drop();
});

/** Row count and an order-independent digest of every row, per table, in one statement. */
async function checksums(): Promise<Map<string, string>> {
  const db = t.database.db;
  const tables = (await sql<{ table_name: string }>`select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db)).rows.map((r) => r.table_name);
  const parts = tables.map((name) => {
    // sessions: last_seen_at moves on every authenticated request (at most once a minute).
    const row = name === 'sessions' ? `(to_jsonb(x) - 'last_seen_at')::text` : 'x::text';
    return `select '${name}' as t, count(*)::text || ':' || coalesce(sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint), 0)::text as h from "${name}" x`;
  });
  const rows = (await sql.raw<{ t: string; h: string }>(parts.join(' union all ')).execute(db)).rows;
  return new Map(rows.map((r) => [r.t, r.h]));
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k) && !ALWAYS.has(k)).sort();
}

function requestFor(op: Operation, d: Draw) {
  const ctx = {
    idFor: (name: string) => (name === 'projectId' ? anyId.get('projects') ?? null : null),
    special: () => undefined,
  };
  const segments = op.path.split('/');
  const path = segments.map((seg, i) => {
    const m = /^\{(.+)\}$/.exec(seg);
    if (!m) return seg;
    const param = op.pathParams.find((p) => p.name === m[1]);
    const table = SEGMENT_TABLE[segments[i - 1] ?? ''] ?? 'projects';
    if (param?.schema.format === 'uuid' || m[1] === 'id') return anyId.get(table) ?? '00000000-0000-4000-8000-000000000000';
    return encodeURIComponent(String(validValue(d, param?.schema ?? { type: 'string' }, m[1]!, ctx)));
  }).join('/');
  const query = new URLSearchParams();
  for (const q of op.query) if (q.required) query.set(q.name, String(validValue(d, q.schema, q.name, ctx)));
  const body = op.body ? validValue(d, op.body as JsonSchema, 'body', ctx) : undefined;
  return { url: query.size ? `${path}?${query}` : path, body };
}

describe('auditor: read everything, change nothing (第三十一条)', () => {
  it('the document has the mutating operations to walk', () => {
    expect(operations.filter((o) => o.method !== 'GET').length).toBeGreaterThan(60);
  });

  it('every mutating operation is refused (403) with nothing written, save the listed self-service ones', async () => {
    const d = new Draw(31);
    const mutating = operations.filter((o) => o.method !== 'GET' && o.permission !== 'public' && o.key !== 'POST /api/v1/auth/logout');
    const letThrough: string[] = [];
    const failures: string[] = [];
    let refused = 0;
    for (const op of mutating) {
      const { url, body } = requestFor(op, d);
      const before = await checksums();
      const res = await app.inject({
        method: op.method, url, headers: { authorization: `Bearer ${auditor.token}` },
        ...(body === undefined || op.method === 'DELETE' ? {} : { payload: body as Record<string, unknown> }),
      });
      const writes = changed(before, await checksums());
      const self = SELF_SERVICE[op.key];
      if (self) {
        letThrough.push(op.key);
        if (res.statusCode >= 500) failures.push(`${op.key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        const outside = writes.filter((w) => !self.tables.includes(w));
        if (outside.length) failures.push(`${op.key} (self-service) wrote ${outside.join(', ')}`);
        continue;
      }
      if (res.statusCode !== 403 || res.json().code !== 'auth.forbidden') failures.push(`${op.key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      else refused++;
      if (writes.length) failures.push(`${op.key}: refused but wrote ${writes.join(', ')}`);
    }
    expect(failures).toEqual([]);
    expect(refused).toBe(mutating.length - letThrough.length);
    expect(refused).toBeGreaterThan(60);
  }, 600_000);

  it('signing out ends only the auditor\'s own session', async () => {
    const session = await signIn(app, services, 'auditor');
    const before = await checksums();
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${session.token}` } });
    expect(res.statusCode).toBeLessThan(300);
    expect(changed(before, await checksums())).toEqual(['sessions']);
  });

  it('reads the audit trail, verifies the log and every signed decision', async () => {
    const h = { authorization: `Bearer ${auditor.token}` };
    const events = await app.inject({ method: 'GET', url: '/api/v1/audit/events?pageSize=5', headers: h });
    expect(events.statusCode).toBe(200);
    expect(events.json().total).toBeGreaterThan(0);
    const verify = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: h });
    expect(verify.json().status).toBe('intact');
    const signed = await app.inject({ method: 'GET', url: '/api/v1/audit/signed-records?pageSize=100', headers: h });
    expect(signed.statusCode).toBe(200);
    expect(signed.json().total).toBeGreaterThan(0);
    expect(signed.json().items.map((r: { verdict: string }) => r.verdict)).toEqual(signed.json().items.map(() => 'valid'));
    for (const path of ['/api/v1/projects', '/api/v1/systems', '/api/v1/spot-checks', '/api/v1/users', '/api/v1/organizations']) {
      expect((await app.inject({ method: 'GET', url: path, headers: h })).statusCode, path).toBe(200);
    }
  });
});
