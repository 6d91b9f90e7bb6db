// Schema-driven fuzzing (issue 7, item 3). Requests are generated from the OpenAPI document the
// app serves (never from a list of endpoints kept here), sent in-process with `app.inject` by
// every demo role and by an anonymous caller, half of them valid and half broken in one way.
// Every response is checked against four invariants:
//
//   1. no 5xx;
//   2. a rejected request (4xx) writes nothing: the checksum of every table (less the columns
//      listed in BOOKKEEPING) and the file store are unchanged, and the audit log grew only by the
//      event the platform deliberately writes for that refusal (EXPECTED_REFUSAL_EVENTS);
//   3. nothing outside the caller's data scope comes back: every project, organization, system,
//      framework plan and plan a 2xx response names, or whose path it answered, is inside the
//      caller's scope as the independent oracle (fuzz-oracle.ts) computes it;
//   4. the route's permission holds: a caller whose roles lack it gets 403 auth.forbidden, an
//      anonymous caller 401, and a request that breaks the schema is never accepted.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { ROLES, type Permission, type RoleCode } from '../../src/domain/authz.ts';
import { DEMO_USERS } from '../../src/domain/demo-data.ts';
import { uniformSocialCreditCodeCheckChar } from '../../src/domain/identifiers.ts';
import { MATERIAL_CODES, STAGES } from '../../src/domain/lifecycle.ts';
import { samplePdf, sampleXlsx } from '../../src/domain/test-files.ts';
import { base32Decode, totpAt } from '../../src/crypto/totp.ts';
import { sm3Hex } from '../../src/crypto/sm3.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Services } from '../../src/services.ts';
import { seedSynthetic } from '../../src/usecases/seed-synthetic.ts';
import { openTestDatabase, testServices } from './db.ts';
import { seedTestDemo } from './fixtures.ts';
import {
  Draw, INVALID_STRINGS, fieldsOf, getAt, operationsOf, outOfRange, randomUuid, setAt, validValue, wrongType,
  type JsonSchema, type Operation, type ValueContext,
} from './fuzz-schema.ts';
import { KIND_OF_TABLE, SCOPED_KINDS, ScopeOracle, type ScopedKind } from './fuzz-oracle.ts';

export const FUZZ_PASSWORD = 'Demo-Passw0rd-2026';
export const FUZZ_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * I-64 (what a refused request may write): only its refusal audit event (below) and this
 * bookkeeping; every other table, and the file store, must be exactly as before.
 *
 * Columns a rejected request may still change, by table, and why. `*` is the whole table.
 * Everything else in the public schema is checksummed before and after every request.
 */
export const BOOKKEEPING: Readonly<Record<string, { columns: readonly string[] | '*'; why: string }>> = {
  audit_events: { columns: '*', why: 'checked apart: it may grow by exactly the refusal event the platform logs (EXPECTED_REFUSAL_EVENTS)' },
  audit_chain_heads: { columns: '*', why: 'the head (seq, hash) of the chain each audit event, refusals included, is appended to' },
  sessions: { columns: ['last_seen_at'], why: 'idle-timeout bookkeeping: every authenticated request, refused or not, may touch it (at most once a minute)' },
};

/**
 * The audit events a refusal writes on purpose (docs/architecture.md, Authorization): a denial
 * (403 auth.forbidden, 403 auth.csrf, 404 for an object outside the caller's scope) appends one
 * `denied` event to the caller's `denied:<user>` chain; a failed sign-in one `auth.login_failed`.
 * A 404 for a path no route matches logs nothing. Any other 4xx logs nothing.
 */
const EXPECTED_REFUSAL_EVENTS: Readonly<Record<string, { min: number; max: number; outcome: string }>> = {
  'auth.forbidden': { min: 1, max: 1, outcome: 'denied' },
  'auth.csrf': { min: 1, max: 1, outcome: 'denied' },
  'resource.not_found': { min: 0, max: 1, outcome: 'denied' },
  'auth.invalid_credentials': { min: 1, max: 1, outcome: 'failure' },
  'auth.totp_invalid': { min: 1, max: 1, outcome: 'failure' },
  'auth.locked': { min: 1, max: 1, outcome: 'failure' },
};

// ——— per-endpoint and per-name hints (small on purpose; the document drives everything else) ———

/** Path segment before `{id}` → the table its ids come from. */
const SEGMENT_TABLE: Record<string, string> = {
  projects: 'projects', organizations: 'organizations', users: 'users', sessions: 'sessions', plans: 'plans',
  notifications: 'notifications', jobs: 'background_jobs', imports: 'background_jobs', systems: 'government_systems',
  departments: 'organizations', frameworks: 'framework_plans', resources: 'information_resources', materials: 'project_materials',
  history: 'project_actions', tasks: 'plan_tasks', participants: 'organizations', contents: 'framework_contents',
  'business-flows': 'framework_business_flows', 'data-flows': 'framework_data_flows', catalog: 'framework_catalog_entries',
  overlaps: 'framework_contents',
};
/** Parameter or body field name → table, where the name says more than its segment. */
const NAME_TABLE: Record<string, string> = {
  organizationId: 'organizations', constructionUnitId: 'organizations', approvalDepartmentId: 'organizations', parentId: 'organizations',
  leadOrganizationId: 'organizations', providerOrganizationId: 'organizations', fromOrganizationId: 'organizations', toOrganizationId: 'organizations',
  ownerOrganizationId: 'organizations', projectId: 'projects', previousProjectId: 'projects', nationalProjectId: 'projects',
  planTaskId: 'plan_tasks', taskId: 'plan_tasks', parentTaskId: 'plan_tasks', parentPlanId: 'plans', resourceId: 'information_resources',
  materialId: 'project_materials', actionId: 'project_actions', contentId: 'framework_contents', contentA: 'framework_contents',
  contentB: 'framework_contents', entryId: 'framework_catalog_entries', systemId: 'government_systems', userId: 'users',
  reviewerId: 'users', assessorOrganizationId: 'organizations', frameworkId: 'framework_plans',
};
/** Multipart endpoints (the document says "multipart" in their summary): their text fields. */
const MULTIPART_FIELDS: Record<string, (d: Draw) => Record<string, string>> = {
  'POST /api/v1/projects/{id}/materials': (d) => ({ stage: d.pick(STAGES), materialCode: d.pick(MATERIAL_CODES) }),
};

/** Users whose accounts the fuzzer signs in as: never the target of a user or session action. */
const CALLERS = ROLES_WITH_ONE_USER();
function ROLES_WITH_ONE_USER(): Array<{ role: RoleCode; username: string; totp: boolean }> {
  return Object.keys(ROLES).map((role) => {
    const u = DEMO_USERS.find((x) => x.roles.length === 1 && x.roles[0] === role)!;
    return { role: role as RoleCode, username: u.username, totp: u.totp };
  });
}

// ——— report ———

export interface Failure {
  kind: 'server_error' | 'write_on_reject' | 'scope_leak' | 'authz' | 'accepted_invalid';
  index: number;
  role: string;
  request: string;
  status: number;
  detail: string;
}

export interface EndpointStats {
  total: number;
  valid: number;
  invalid: number;
  statuses: Record<number, number>;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  operations: number;
  durationMs: number;
  perEndpoint: Record<string, EndpointStats>;
  perRole: Record<string, number>;
  perMutation: Record<string, number>;
  statuses: Record<number, number>;
  rejected: number;
  /** Rejected requests after which every checksum was compared. */
  rejectedChecked: number;
  /** Requests after which a transaction id had been assigned, so every table was checksummed again. */
  checksummed: number;
  /** Sign-ins again after a session ended (sign-out, revocation, idle timeout). */
  signIns: number;
  refusalEvents: number;
  failures: Failure[];
  counts: Record<Failure['kind'], number>;
  /** Scoped objects checked in 2xx responses. */
  scopeChecks: number;
}

export interface FuzzEnv {
  app: FastifyInstance;
  services: Services & { clock: { now: Date } };
  /** GOVPROJ_DATA_DIR of the app: its file store is compared too. */
  dataDir: string;
}

export interface FuzzOptions {
  requests: number;
  seed: number;
  /** Stop at the first failure (tests) rather than collecting them all (the script). */
  stopOnFailure?: boolean;
  progress?: (done: number, report: FuzzReport) => void;
  /** Every request and its answer (the script's --trace). */
  trace?: (entry: { index: number; role: string; mutation: string; request: string; status: number; body: string; headers?: Record<string, string> }) => void;
}

interface Caller {
  role: RoleCode | 'anonymous';
  username: string | null;
  userId: string | null;
  token: string | null;
  csrf: string | null;
  cookie: string | null;
  totp: boolean;
}

interface Built {
  inject: InjectOptions;
  mutation: string;
  /** The request breaks the document's schema: it must not be accepted. */
  mustReject: boolean;
  describe: string;
  /** Path parameters with the tables their ids were taken from. */
  pathIds: Array<{ name: string; value: string; table: string | null }>;
}

type Pools = Map<string, Array<{ id: string; refs: Record<string, string | null> }>>;

/**
 * A fresh database of `kind` with the demo (a user of every role) and `syntheticProjects`
 * synthetic projects spread over the demo's units and 50 more regions and ministries (so a
 * caller's scope holds some projects and not others), and the app in-process on it.
 */
export async function openFuzzEnv(kind: 'pglite' | 'postgresql', syntheticProjects = 60): Promise<FuzzEnv & { close(): Promise<void> }> {
  const t = await openTestDatabase(kind);
  const dataDir = mkdtempSync(join(tmpdir(), 'govproj-fuzz-'));
  const services = testServices(t.database, { dataDir });
  await seedTestDemo(services);
  if (syntheticProjects > 0) await seedSynthetic(services, { count: syntheticProjects, seed: 'fuzz', asOf: services.now() });
  const app = await buildApp(services);
  return {
    app, services, dataDir,
    async close() {
      await app.close();
      await t.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function runFuzz(env: FuzzEnv, options: FuzzOptions): Promise<FuzzReport> {
  const { app, services } = env;
  const db = services.database.db;
  const d = new Draw(options.seed);
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  const operations = operationsOf(doc);
  const report: FuzzReport = {
    seed: options.seed, requests: 0, operations: operations.length, durationMs: 0, perEndpoint: {}, perRole: {}, perMutation: {},
    statuses: {}, rejected: 0, rejectedChecked: 0, checksummed: 0, signIns: 0, refusalEvents: 0, failures: [],
    counts: { server_error: 0, write_on_reject: 0, scope_leak: 0, authz: 0, accepted_invalid: 0 }, scopeChecks: 0,
  };
  const started = Date.now();

  // The tables, their uuid id columns, their foreign keys (a child id is drawn among the rows of
  // its parent path id) and whether they carry an optimistic-concurrency `version`.
  const columns = (await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns where table_schema = 'public'
    order by table_name, ordinal_position`.execute(db)).rows;
  const tables = [...new Set(columns.map((c) => c.table_name))];
  const uuidTables = tables.filter((t) => columns.some((c) => c.table_name === t && c.column_name === 'id' && c.data_type === 'uuid'));
  const versioned = new Set(tables.filter((t) => columns.some((c) => c.table_name === t && c.column_name === 'version')));
  const fks = (await sql<{ table_name: string; column_name: string; ref: string }>`
    select distinct tc.table_name, kcu.column_name, ccu.table_name as ref
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'`.execute(db)).rows
    .filter((f) => uuidTables.includes(f.table_name) && columns.some((c) => c.table_name === f.table_name && c.column_name === f.column_name && c.data_type === 'uuid'));

  const checksumSql = tables.filter((t) => BOOKKEEPING[t]?.columns !== '*').map((t) => {
    const skip = BOOKKEEPING[t]?.columns;
    const row = Array.isArray(skip) && skip.length ? `(to_jsonb(x) - ${skip.map((c) => `'${c}'`).join(' - ')})::text` : 'x::text';
    // Order-independent: the row count and the sum of a 60-bit digest of every row.
    return `select '${t}' as t, count(*)::text || ':' || coalesce(sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint), 0)::text as h from "${t}" x`;
  }).join(' union all ');

  interface Snapshot { xmax: string; tables: Map<string, string>; files: string; auditMax: string }
  const xmax = async () => (await sql<{ x: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as x`.execute(db)).rows[0]!.x;
  async function snapshot(): Promise<Snapshot> {
    const x = await xmax();
    const rows = (await sql.raw<{ t: string; h: string }>(checksumSql).execute(db)).rows;
    const audit = (await sql<{ m: string | null }>`select max(id)::text as m from audit_events`.execute(db)).rows[0]!.m ?? '0';
    return { xmax: x, tables: new Map(rows.map((r) => [r.t, r.h])), files: fileListing(env.dataDir), auditMax: audit };
  }
  /**
   * The state after a request. No transaction id assigned since `prev` means no transaction
   * wrote (or tried to write) anything: then the checksums cannot have changed and are not
   * recomputed. The file store is always listed.
   */
  async function snapshotAfter(prev: Snapshot): Promise<Snapshot> {
    const files = fileListing(env.dataDir);
    if ((await xmax()) === prev.xmax) return { ...prev, files };
    report.checksummed++;
    return snapshot();
  }

  let pools: Pools = new Map();
  async function loadPools() {
    const parts = uuidTables.map((t) => {
      const refs = fks.filter((f) => f.table_name === t);
      const obj = refs.length ? `json_build_object(${refs.map((f) => `'${f.ref}', ${f.column_name}`).join(', ')})` : `'{}'::json`;
      return `(select '${t}' as t, id::text as id, ${obj} as refs from "${t}" order by ctid limit 400)`;
    });
    const rows = (await sql.raw<{ t: string; id: string; refs: Record<string, string | null> }>(parts.join(' union all ')).execute(db)).rows;
    pools = new Map();
    for (const r of rows) pools.set(r.t, [...(pools.get(r.t) ?? []), { id: r.id, refs: r.refs }]);
    const callerIds = new Set(callers.map((c) => c.userId));
    // Caller accounts are never the target of a path id (locking, resetting or re-granting them
    // would end the run); their sessions may be revoked: the fuzzer signs in again.
    pools.set('users', (pools.get('users') ?? []).filter((u) => !callerIds.has(u.id)));
  }

  const oracle = new ScopeOracle();

  // ——— sign in every role through the API (TOTP from the demo secret) ———
  const callers: Caller[] = [];
  async function signIn(username: string): Promise<{ token: string; csrf: string; cookie: string; userId: string }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const code = totpAt(base32Decode(FUZZ_TOTP_SECRET), Math.floor(services.now().getTime() / 1000));
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: FUZZ_PASSWORD, totp: code } });
      if (res.statusCode === 200) {
        const body = res.json() as { token: string; csrfToken: string; user: { id: string } };
        return { token: body.token, csrf: body.csrfToken, cookie: String(res.headers['set-cookie']).split(';')[0]!, userId: body.user.id };
      }
      // A TOTP code is accepted once per user: the next period gives a fresh one.
      services.clock.now = new Date(services.clock.now.getTime() + 30_000);
    }
    throw new Error(`fuzz: cannot sign in as ${username}`);
  }
  for (const c of CALLERS) {
    const s = await signIn(c.username);
    callers.push({ role: c.role, username: c.username, userId: s.userId, token: s.token, csrf: s.csrf, cookie: s.cookie, totp: c.totp });
  }
  callers.push({ role: 'anonymous', username: null, userId: null, token: null, csrf: null, cookie: null, totp: false });
  await loadPools();
  await oracle.load(db);

  /**
   * Signs the caller in again when its session has ended (a sign-out or revocation the fuzzer
   * sent, or the idle timeout as the test clock moves); true when it had to.
   */
  async function ensureSession(c: Caller): Promise<boolean> {
    if (!c.token) return false;
    const now = services.now();
    const live = (await sql<{ ok: boolean }>`select exists (select 1 from sessions s join users u on u.id = s.user_id
        where s.token_hash = ${sm3Hex(c.token)} and s.revoked_at is null and s.expires_at > ${now}
          and s.last_seen_at > ${new Date(now.getTime() - services.config.sessionIdleMs + 60_000)} and u.status = 'active'
          and (u.locked_until is null or u.locked_until <= ${now})) as ok`.execute(db)).rows[0]!.ok;
    if (live) return false;
    const s = await signIn(c.username!);
    Object.assign(c, { token: s.token, csrf: s.csrf, cookie: s.cookie });
    return true;
  }

  // ——— values ———
  function tableForName(name: string, segment: string | null): string | null {
    if (name === 'id' && segment) return SEGMENT_TABLE[segment] ?? guessTable(segment, uuidTables);
    return NAME_TABLE[name] ?? NAME_TABLE[name.replace(/Ids$/, 'Id')] ?? guessTable(name.replace(/Ids?$/, ''), uuidTables);
  }

  function pickId(table: string | null, caller: Caller, parent: { table: string; id: string } | null, inScope: 'prefer' | 'foreign' | 'any'): string | null {
    if (!table) return null;
    let rows = pools.get(table) ?? [];
    if (parent && d.chance(0.75)) {
      const children = rows.filter((r) => r.refs[parent.table] === parent.id);
      if (children.length) rows = children;
    }
    const kind = KIND_OF_TABLE.get(table);
    if (kind && inScope !== 'any') {
      const want = inScope === 'prefer';
      const filtered = rows.filter((r) => oracle.visible(caller.userId, kind, r.id) === want);
      if (filtered.length && (inScope === 'foreign' || d.chance(0.85))) rows = filtered;
      else if (inScope === 'foreign') return null;
    }
    return rows.length ? d.pick(rows).id : null;
  }

  function valueContext(op: Operation, caller: Caller): ValueContext {
    return {
      idFor: (name) => (d.chance(0.9) ? pickId(tableForName(name, null), caller, null, 'prefer') : null),
      special: (name, schema) => {
        if (name === 'totp' && schema.type === 'string') return currentTotp();
        if (name === 'creditCode') return creditCode(d);
        if (name === 'password' && op.key !== 'POST /api/v1/auth/login') return `Fuzz-Passw0rd-${d.int(1000, 9999)}!`;
        return undefined;
      },
    };
  }

  function currentTotp(): string {
    return totpAt(base32Decode(FUZZ_TOTP_SECRET), Math.floor(services.now().getTime() / 1000));
  }

  async function build(op: Operation, caller: Caller, invalid: boolean): Promise<Built> {
    const ctx = valueContext(op, caller);
    const mutations = invalid ? applicableMutations(op, caller) : [];
    // The mutations every route admits (credentials, If-Match) are drawn less often than those of its own schema.
    const mutation = invalid && mutations.length
      ? d.weighted(mutations.map((m) => [['badToken', 'cookieWithoutCsrf', 'badIfMatch'].includes(m) ? 0.4 : 1, m] as const)) : 'valid';
    let mustReject = false;

    // Path: real ids (children of the previous id where the tables say so), or broken ones.
    const segments = op.path.split('/');
    const pathIds: Built['pathIds'] = [];
    let parent: { table: string; id: string } | null = null;
    const brokenParam = ['badUuidPath', 'unknownIdPath', 'foreignIdPath'].includes(mutation) && op.pathParams.length
      ? d.pick(op.pathParams).name : null;
    const url = segments.map((seg, i) => {
      const m = /^\{(.+)\}$/.exec(seg);
      if (!m) return seg;
      const name = m[1]!;
      const spec = op.pathParams.find((p) => p.name === name);
      const schema = spec?.schema ?? { type: 'string' };
      const table = schema.format === 'uuid' ? tableForName(name, segments[i - 1] ?? null) : null;
      let value: string;
      if (name === brokenParam && mutation === 'badUuidPath') {
        value = schema.format === 'uuid' ? d.pick(INVALID_STRINGS.filter((s) => s.trim() !== '')) : `${d.pick(INVALID_STRINGS)}x`;
        mustReject = true;
      } else if (name === brokenParam && mutation === 'unknownIdPath') {
        value = schema.format === 'uuid' ? randomUuid(d) : 'no-such-thing';
      } else if (schema.format === 'uuid') {
        value = pickId(table, caller, parent, name === brokenParam ? 'foreign' : 'prefer') ?? randomUuid(d);
      } else if (schema.type === 'integer') {
        value = String(d.chance(0.8) ? d.int(1, 3) : validValue(d, schema, name, ctx));
      } else {
        value = String(validValue(d, schema, name, ctx));
      }
      pathIds.push({ name, value, table });
      if (table) parent = { table, id: value };
      return encodeURIComponent(value);
    }).join('/');

    // Query.
    const query: Record<string, string> = {};
    for (const p of op.query) {
      if (p.required || d.chance(0.35)) {
        const v = validValue(d, p.schema, p.name, ctx);
        if (v !== null && v !== undefined) query[p.name] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
    }
    if (mutation === 'nastyQuery') {
      const p = d.pick(op.query.filter((q) => acceptsString(q.schema)));
      query[p.name] = d.pick(NASTY_STRINGS);
    }
    if (mutation === 'badQuery') {
      const p = d.pick(op.query.filter((q) => constrained(q.schema)));
      const v = outOfRange(d, p.schema);
      query[p.name] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      mustReject = true;
    }

    // Body.
    const headers: Record<string, string> = { 'accept-language': d.pick(['zh-CN', 'en-US', 'zh-CN,zh;q=0.9']) };
    let payload: string | Buffer | undefined;
    if (op.body) {
      let body: unknown = op.key === 'POST /api/v1/auth/login' ? loginBody(d, caller) : validValue(d, op.body, 'body', ctx);
      const fields = fieldsOf(op.body);
      switch (mutation) {
        case 'wrongType': {
          const f = d.pick(fields);
          setAt(body as Record<string, unknown>, f.path, wrongType(d, f.schema));
          mustReject = true;
          break;
        }
        case 'missingRequired': {
          const f = d.pick(fields.filter((x) => x.required && !x.hasDefault && x.path.every((_, i) => i === x.path.length - 1 || getAt(body, x.path.slice(0, i + 1)) !== undefined)));
          if (getAt(body, f.path.slice(0, -1)) !== undefined) {
            setAt(body as Record<string, unknown>, f.path, undefined);
            mustReject = true;
          }
          break;
        }
        case 'outOfRange': {
          const f = d.pick(fields.filter((x) => constrained(x.schema)));
          setAt(body as Record<string, unknown>, f.path, outOfRange(d, f.schema));
          mustReject = true;
          break;
        }
        case 'extraField':
          (body as Record<string, unknown>)[`unexpected_${d.int(0, 99)}`] = 'x';
          mustReject = op.body.additionalProperties === false;
          break;
        case 'foreignIdBody': {
          const f = d.pick(fields.filter((x) => x.schema.format === 'uuid' || x.schema.anyOf?.some((a) => a.format === 'uuid')));
          const id = pickId(tableForName(f.path[f.path.length - 1]!, null), caller, null, 'foreign') ?? randomUuid(d);
          setAt(body as Record<string, unknown>, f.path, id);
          break;
        }
        case 'nastyString': {
          const f = d.pick(fields.filter((x) => acceptsString(x.schema)));
          setAt(body as Record<string, unknown>, f.path, d.pick(NASTY_STRINGS));
          break;
        }
        case 'hugeString': {
          const f = d.pick(fields.filter((x) => x.schema.type === 'string' || x.schema.anyOf?.some((a) => a.type === 'string')));
          const length = d.pick([5_000, 70_000]);
          setAt(body as Record<string, unknown>, f.path, '大'.repeat(length));
          const max = ((f.schema.anyOf ?? f.schema.oneOf)?.find((a) => a.type === 'string') ?? f.schema).maxLength;
          mustReject = max !== undefined && length > max;
          break;
        }
        case 'wrongRoot':
          body = d.pick([[], null, 42, 'text', [body]]);
          mustReject = true;
          break;
      }
      // A wrong password for a real account counts toward its lockout (a deliberate write, 等保):
      // the fuzzer's own accounts must stay usable, so a broken sign-in names no real account.
      if (op.key === 'POST /api/v1/auth/login' && body && typeof body === 'object') {
        const b = body as { username?: unknown; password?: unknown };
        if (CALLERS.some((c) => c.username === b.username) && b.password !== FUZZ_PASSWORD) b.username = `nobody-${d.int(0, 999)}`;
      }
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
      if (mutation === 'invalidJson') {
        payload = d.pick(['{"name": ', '{,}', 'nul', `${payload}}`, '\u0000{}']);
        mustReject = true;
      } else if (mutation === 'wrongContentType') {
        headers['content-type'] = d.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream']);
        mustReject = true;
      } else if (mutation === 'hugeBody') {
        payload = JSON.stringify({ ...(typeof body === 'object' && body ? body : {}), padding: 'x'.repeat(1024 * 1024 + 10) });
        mustReject = true;
      } else if (mutation === 'noBody') {
        payload = undefined;
        delete headers['content-type'];
        mustReject = true;
      }
    } else if (/multipart/i.test(op.summary ?? '')) {
      const fields = MULTIPART_FIELDS[op.key]?.(d) ?? {};
      if (mutation === 'wrongType') fields[`unexpected_${d.int(0, 9)}`] = 'x';
      const file = mutation === 'wrongContentType' ? Buffer.from('plain text, not a document') : d.chance(0.5) ? samplePdf() : sampleXlsx();
      const name = d.pick(['材料.pdf', 'report.xlsx', '../../evil.pdf', 'a.exe']);
      const boundary = `----fuzz${d.int(0, 1e9)}`;
      const part = (n: string, v: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`;
      payload = Buffer.concat([
        Buffer.from(Object.entries(fields).map(([k, v]) => part(k, v)).join('')),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${d.pick(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/plain'])}\r\n\r\n`),
        file, Buffer.from(mutation === 'invalidJson' ? '' : `\r\n--${boundary}--\r\n`),
      ]);
      headers['content-type'] = mutation === 'noBody' ? 'application/json' : `multipart/form-data; boundary=${boundary}`;
    } else if (mutation === 'wrongContentType') {
      headers['content-type'] = 'text/plain';
      payload = 'unexpected body';
    }

    // Concurrency: the row's current version, sometimes a stale or made-up one.
    const last = [...pathIds].reverse().find((p) => p.table && versioned.has(p.table) && UUID_RE.test(p.value));
    if (op.method !== 'GET' && (last || d.chance(0.2))) {
      let version = d.int(0, 5);
      if (last && d.chance(0.8)) {
        const row = (await sql<{ v: number }>`select version as v from ${sql.table(last.table!)} where id::text = ${last.value}`.execute(db)).rows[0];
        if (row) version = row.v;
      }
      if (mutation !== 'badIfMatch') headers['if-match'] = `"${version}"`;
      else headers['if-match'] = d.pick(['"abc"', 'W/"-1"', '*', '"99999999999"']);
    }
    if (op.method !== 'GET' && d.chance(0.1)) headers['idempotency-key'] = `fuzz-${d.int(0, 50)}`;

    // Credentials.
    if (caller.token) {
      // A tampered token differs from the real one in its first character (changing its last two
      // to 'AA' once left a token that already ended so unchanged).
      const tampered = (caller.token[0] === 'A' ? 'B' : 'A') + caller.token.slice(1);
      if (mutation === 'badToken') headers.authorization = `Bearer ${d.pick(['x', tampered, 'null', ''])}`;
      else if (mutation === 'cookieWithoutCsrf') headers.cookie = caller.cookie!;
      else if (d.chance(0.15)) {
        headers.cookie = caller.cookie!;
        headers['x-csrf-token'] = caller.csrf!;
      } else headers.authorization = `Bearer ${caller.token}`;
    }

    const inject: InjectOptions = { method: op.method, url, query, headers, ...(payload !== undefined ? { payload } : {}) };
    const bodyText = typeof payload === 'string' ? payload.slice(0, 300) : payload ? `<${payload.length} bytes>` : '';
    const qs = new URLSearchParams(query).toString();
    return { inject, mutation, mustReject, pathIds, describe: `${op.method} ${url}${qs ? `?${qs}` : ''} ${bodyText}`.trim() };
  }

  function applicableMutations(op: Operation, caller: Caller): string[] {
    const m: string[] = [];
    const fields = op.body ? fieldsOf(op.body) : [];
    if (op.pathParams.length) m.push('badUuidPath', 'unknownIdPath');
    if (op.pathParams.some((p) => p.schema.format === 'uuid')) m.push('foreignIdPath');
    if (op.query.some((q) => constrained(q.schema))) m.push('badQuery');
    if (op.query.some((q) => acceptsString(q.schema))) m.push('nastyQuery');
    if (op.body) {
      m.push('wrongType', 'extraField', 'invalidJson', 'wrongContentType', 'hugeBody', 'noBody', 'wrongRoot');
      if (fields.some((f) => f.required && !f.hasDefault)) m.push('missingRequired');
      if (fields.some((f) => constrained(f.schema))) m.push('outOfRange');
      if (fields.some((f) => f.schema.format === 'uuid' || f.schema.anyOf?.some((a) => a.format === 'uuid'))) m.push('foreignIdBody');
      if (fields.some((f) => f.schema.type === 'string' || f.schema.anyOf?.some((a) => a.type === 'string'))) m.push('hugeString');
      if (fields.some((f) => acceptsString(f.schema))) m.push('nastyString');
    }
    if (op.method !== 'GET') m.push('badIfMatch');
    if (caller.token && op.permission !== 'public') {
      m.push('badToken');
      if (op.method !== 'GET') m.push('cookieWithoutCsrf');
    }
    return m;
  }

  // ——— run ———
  let before = await snapshot();
  const order: Operation[] = [];
  const fail = (f: Failure) => {
    report.failures.push(f);
    report.counts[f.kind]++;
    if (options.stopOnFailure) {
      throw new Error(`fuzz failure (seed ${options.seed}, request #${f.index}, replay: npm run fuzz -- --seed ${options.seed} --requests ${f.index + 1}):\n` +
        `${f.kind} as ${f.role}: ${f.request} → ${f.status}\n${f.detail}`);
    }
  };

  for (let i = 0; i < options.requests; i++) {
    // Every operation once per round, in a fresh order each round; a random caller each time.
    if (order.length === 0) order.push(...shuffle(d, operations));
    const op = order.pop()!;
    // Mostly a role that holds the route's permission (the deep paths), often any role (the
    // denials), sometimes nobody.
    const holders = callers.filter((c) => c.role !== 'anonymous' && (op.permission === 'public' || op.permission === 'authenticated' ||
      holds(c.role, op.permission)));
    const signedIn = callers.filter((c) => c.role !== 'anonymous');
    const r = d.random.nextDouble();
    const caller = r < 0.07 ? callers.find((c) => c.role === 'anonymous')! : r < 0.35 || holders.length === 0 ? d.pick(signedIn) : d.pick(holders);
    if (await ensureSession(caller)) {
      report.signIns++;
      before = await snapshot();
    }
    const invalid = d.chance(0.5);
    if (i > 0 && i % 20 === 0) services.clock.now = new Date(services.clock.now.getTime() + 30_000);
    const built = await build(op, caller, invalid);
    let res: Awaited<ReturnType<FastifyInstance['inject']>>;
    try {
      res = await app.inject(built.inject);
    } catch (err) {
      // The server broke the response off (what a client sees as a reset connection): as bad as a 5xx.
      options.trace?.({ index: i, role: caller.role, mutation: built.mutation, request: built.describe, status: 0, body: String(err) });
      report.requests++;
      fail({ index: i, role: caller.role, request: built.describe, status: 0, kind: 'server_error', detail: `no response: ${String(err)}` });
      before = await snapshot();
      continue;
    }
    const status = res.statusCode;

    report.requests++;
    const stats = (report.perEndpoint[op.key] ??= { total: 0, valid: 0, invalid: 0, statuses: {} });
    stats.total++;
    stats[built.mutation === 'valid' ? 'valid' : 'invalid']++;
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    report.statuses[status] = (report.statuses[status] ?? 0) + 1;
    report.perRole[caller.role] = (report.perRole[caller.role] ?? 0) + 1;
    report.perMutation[built.mutation] = (report.perMutation[built.mutation] ?? 0) + 1;
    const base = { index: i, role: caller.role, request: built.describe, status };
    options.trace?.({ ...base, mutation: built.mutation, body: res.body.slice(0, 400), headers: built.inject.headers as Record<string, string> });
    let problem: { code?: string; requestId?: string } = {};
    if ((res.headers['content-type'] ?? '').toString().includes('json')) {
      try { problem = res.json(); } catch { /* a non-JSON body under a JSON type is caught below as a 5xx only */ }
    }

    // 1. No 5xx.
    if (status >= 500) fail({ ...base, kind: 'server_error', detail: res.body.slice(0, 600) });

    // 4. The route's permission and the schema.
    const effectiveCaller = built.mutation === 'badToken' ? null : caller.userId;
    if (op.permission !== 'public') {
      if (!effectiveCaller && status !== 401) fail({ ...base, kind: 'authz', detail: `expected 401 without a valid session, got ${status} ${res.body.slice(0, 200)}` });
      if (effectiveCaller && op.permission !== 'authenticated' && !holds(caller.role as RoleCode, op.permission) && built.mutation !== 'cookieWithoutCsrf' &&
          !(status === 403 && problem.code === 'auth.forbidden')) {
        fail({ ...base, kind: 'authz', detail: `role lacks ${op.permission.join('|')}: expected 403 auth.forbidden, got ${status} ${res.body.slice(0, 200)}` });
      }
    }
    if (built.mustReject && status < 400) fail({ ...base, kind: 'accepted_invalid', detail: `${built.mutation} accepted: ${res.body.slice(0, 300)}` });

    // 2. A rejected request writes nothing but its refusal event.
    const after = await snapshotAfter(before);
    if (status >= 400 && status < 500) {
      report.rejected++;
      report.rejectedChecked++;
      const changed = [...after.tables].filter(([t, h]) => before.tables.get(t) !== h).map(([t]) => t);
      if (after.files !== before.files) changed.push(`files under ${env.dataDir}`);
      const events = (await sql<{ action: string; outcome: string; chain_id: string; request_id: string | null }>`
        select action, outcome, chain_id, request_id from audit_events where id > ${before.auditMax}::bigint order by id`.execute(db)).rows;
      report.refusalEvents += events.length;
      const expect = EXPECTED_REFUSAL_EVENTS[problem.code ?? ''] ?? { min: 0, max: 0, outcome: '' };
      const badEvents = events.filter((e) => e.outcome !== expect.outcome ||
        (expect.outcome === 'denied' && (e.request_id !== problem.requestId || e.chain_id !== `denied:${effectiveCaller ?? 'anonymous'}`)) ||
        (expect.outcome === 'failure' && e.action !== 'auth.login_failed'));
      if (changed.length || events.length < expect.min || events.length > expect.max || badEvents.length) {
        fail({
          ...base, kind: 'write_on_reject',
          detail: `${problem.code ?? status}: changed ${changed.join(', ') || 'no table'}; audit events ${JSON.stringify(events)} (expected ${expect.min}–${expect.max} ${expect.outcome || 'none'})`,
        });
      }
    }

    // 3. Scope: every scoped object a success names, and every scoped id in its path.
    if (status >= 200 && status < 300) {
      if (op.method !== 'GET') await oracle.load(db);
      const leaks: string[] = [];
      for (const p of built.pathIds) {
        const kind = p.table ? KIND_OF_TABLE.get(p.table) : undefined;
        if (!kind || !oracle.kindOfId.has(p.value)) continue;
        report.scopeChecks++;
        if (!oracle.visible(effectiveCaller, kind, p.value)) leaks.push(`path ${p.name}=${p.value} (${kind})`);
      }
      if ((res.headers['content-type'] ?? '').toString().includes('json')) {
        let json: unknown = null;
        try { json = res.json(); } catch { /* not JSON */ }
        const reader = IDENTITY_OF_RESPONSE[op.key]?.(json) ?? effectiveCaller;
        for (const ref of scopedRefs(json, oracle)) {
          report.scopeChecks++;
          if (!oracle.visible(reader, ref.kind, ref.id) && !exemptRef(op, ref, built, oracle)) leaks.push(`${ref.path} = ${ref.id} (${ref.kind})`);
        }
      }
      if (leaks.length) fail({ ...base, kind: 'scope_leak', detail: `outside ${caller.role}'s scope: ${leaks.slice(0, 8).join('; ')}` });
    }

    // Writes change the world: fresh ids, fresh scopes, and sessions a request may have ended.
    before = after;
    if (status < 400 && op.method !== 'GET') {
      await loadPools();
      await oracle.load(db);
    }
    options.progress?.(i + 1, report);
  }
  report.durationMs = Date.now() - started;
  return report;
}

// ——— helpers ———

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function holds(role: RoleCode, permission: string[]): boolean {
  return permission.some((p) => ROLES[role].grants[p as Permission] !== undefined);
}

function constrained(s: JsonSchema): boolean {
  const x = (s.anyOf ?? s.oneOf)?.find((o) => o.type !== 'null') ?? s;
  return Boolean(x.enum || x.maxLength !== undefined || (x.minLength ?? 0) > 0 || x.maximum !== undefined || x.minimum !== undefined ||
    x.format === 'uuid' || x.format === 'date' || x.pattern || x.type === 'integer' || (x.maxItems !== undefined && x.items) || (x.minItems ?? 0) > 0);
}

/**
 * Strings of the right type that databases, regexes and renderers choke on: NUL (PostgreSQL text
 * refuses it), a lone surrogate, LIKE wildcards, quotes and backslashes, bidi overrides, a
 * combining sequence, whitespace only. Within a field's limits they may be valid; either way the
 * answer must be a 2xx or a 4xx.
 */
const NASTY_STRINGS = [
  'a\u0000b', '\u0000', '\ud800', 'x\udfffy', '%', '_', '%_%', '\\', "O'Brien\"; drop table projects; --", '\u202eevil\u202c',
  'e\u0301\u0301\u0301', '   ', '\t\n', '１２３', '𠮷野家', '(?:a+)+$', '[', '*',
];

/** A plain string is allowed: no enum, no format, no pattern beyond "no control characters". */
function acceptsString(s: JsonSchema): boolean {
  const x = (s.anyOf ?? s.oneOf)?.find((o) => o.type === 'string') ?? s;
  return x.type === 'string' && !x.enum && !x.format && (!x.pattern || x.pattern.startsWith('^[^\\u0000'));
}

function shuffle<T>(d: Draw, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = d.int(0, i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function guessTable(name: string, tables: readonly string[]): string | null {
  const snake = name.replace(/-/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const last = snake.split('_').pop()!;
  for (const cand of [snake, `${snake}s`, `${last}s`]) {
    const hit = tables.find((t) => t === cand) ?? tables.find((t) => t.endsWith(`_${cand}`));
    if (hit) return hit;
  }
  return null;
}

/** A 统一社会信用代码 with a correct check character (GB 32100). */
function creditCode(d: Draw): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = `${d.pick(['1', '5', '9'])}${d.pick(['1', '2', '3'])}${d.pick(['110000', '320100', '510107'])}`;
  for (let i = 0; i < 9; i++) body += alphabet[d.int(0, 9)];
  return body + uniformSocialCreditCodeCheckChar(body);
}

/** Sign-in bodies: a real account that needs no TOTP (a wrong password for a real account would lock it), or no such account. */
function loginBody(d: Draw, caller: Caller): Record<string, unknown> {
  const plain = CALLERS.filter((c) => !c.totp);
  if (d.chance(0.7)) return { username: d.pick(plain).username, password: FUZZ_PASSWORD };
  return { username: `nobody-${caller.role}-${d.int(0, 999)}`, password: `Wrong-${d.int(0, 9999)}` };
}

function fileListing(dir: string): string {
  const out: string[] = [];
  const walk = (p: string) => {
    let names: string[];
    try { names = readdirSync(p); } catch { return; }
    for (const n of names.sort()) {
      const full = join(p, n);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else out.push(`${full}:${st.size}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

/** The scoped objects in `json` that `userId` may not see (no route's disclosures applied): the leak check itself. */
export function leaksIn(oracle: ScopeOracle, userId: string | null, json: unknown): string[] {
  return scopedRefs(json, oracle).filter((r) => !oracle.visible(userId, r.kind, r.id)).map((r) => `${r.path} = ${r.id} (${r.kind})`);
}

interface Ref {
  kind: ScopedKind;
  id: string;
  path: string;
}

/**
 * The scoped objects a response names: an object whose `id` is a project, organization, system,
 * framework plan or plan is that object; `projectId`, `systemId`, `frameworkId` and `planId`
 * (and their plurals) refer to one. Organizations are checked as objects only: a project names
 * its approval department, which the caller need not be able to list.
 */
function scopedRefs(json: unknown, oracle: ScopeOracle): Ref[] {
  const out: Ref[] = [];
  const REF_KEYS: Record<string, ScopedKind> = { projectId: 'project', systemId: 'system', frameworkId: 'framework', planId: 'plan' };
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') {
        const kind = oracle.kindOfId.get(x);
        if (kind && (k === 'id' || REF_KEYS[k] === kind)) out.push({ kind, id: x, path: `${path}.${k}` });
      } else if (Array.isArray(x) && /Ids$/.test(k)) {
        for (const [i, y] of x.entries()) {
          const kind = typeof y === 'string' ? oracle.kindOfId.get(y) : undefined;
          if (kind && REF_KEYS[k.replace(/Ids$/, 'Id')] === kind) out.push({ kind, id: y as string, path: `${path}.${k}[${i}]` });
        }
      } else walk(x, `${path}.${k}`);
    }
  };
  walk(json, '$');
  return out;
}

/**
 * Deliberate disclosures, each with its reason: a route that shows an object outside the
 * reader's own scope on purpose, and the condition under which it may.
 */
const DISCLOSURES: ReadonlyArray<{ key: string; kind: ScopedKind; why: string; allows: (ref: Ref, built: Built, oracle: ScopeOracle) => boolean }> = [
  {
    key: 'GET /api/v1/projects/{id}/systems', kind: 'system',
    why: 'the systems a project built or upgraded are shown with the project\'s visibility (第十二条; the route\'s own summary)',
    allows: (ref, built, oracle) => oracle.systemOfProject(ref.id, built.pathIds.find((p) => p.name === 'id')?.value ?? ''),
  },
  {
    key: 'GET /api/v1/departments', kind: 'organization',
    why: 'the participant picker of a framework plan names any government department (参与部门 come from other departments, 第十条); the lead and system-owner pickers stay within the scope',
    allows: (_ref, built) => (built.inject.query as Record<string, string> | undefined)?.purpose === 'participant',
  },
];

function exemptRef(op: Operation, ref: Ref, built: Built, oracle: ScopeOracle): boolean {
  // The open-data portal (公开, SPEC §11) names every non-secret project and system to anyone,
  // signed in or not (I-63); the open-data property test checks that nothing secret appears.
  if (op.path.startsWith('/api/open/')) return oracle.isPublic(ref.kind, ref.id);
  return DISCLOSURES.some((x) => x.key === op.key && x.kind === ref.kind && x.allows(ref, built, oracle));
}

/** Routes that answer for another identity than the caller's: sign-in answers as the account signed in. */
const IDENTITY_OF_RESPONSE: Record<string, (json: unknown) => string | null> = {
  'POST /api/v1/auth/login': (json) => (json as { user?: { id?: string } })?.user?.id ?? null,
};

export { SCOPED_KINDS };
