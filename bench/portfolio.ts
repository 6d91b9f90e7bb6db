// The project-portfolio part of `npm run bench` (by default on PostgreSQL only): a synthetic
// national portfolio (`seedSynthetic`, 100,000 projects by default), then
//
//   1. HTTP, through the forked autocannon process: the project list as NDRC (no filter; a
//      stage filter; a year and investment range) and as a provincial reviewer (custom scope,
//      stage filter), and the project detail over thousands of ids in rotation, each with exact
//      p50/p95/p99 and its throughput ÷ the bare route of the same run;
//   2. in-process and sequential: a project from draft with complete materials through
//      submit → sign → accept → approve (`takeAction` four times: scope checks, the state machine,
//      a fresh TOTP code, SM2 signatures, audit events, notifications), against exactly the SQL
//      statements one such iteration sent, captured at the driver and replayed raw through
//      node-postgres on another project each time. The replay's audit rows get their chain
//      hashes computed before the timed phase, so the audit log still verifies at the end.
import { createHash } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { hashAuditEvent, type AuditEventContent } from '../src/audit/chain.ts';
import { base32Decode, totpAt } from '../src/crypto/totp.ts';
import { DEMO_CATALOG_PROJECT } from '../src/domain/demo-catalog.ts';
import type { Services } from '../src/services.ts';
import { systemActor, type Actor } from '../src/usecases/actor.ts';
import { resolveSession } from '../src/usecases/auth.ts';
import { takeAction, type ActionInput } from '../src/usecases/lifecycle-actions.ts';
import { createProject, type ProjectInput } from '../src/usecases/projects.ts';
import { seedSynthetic } from '../src/usecases/seed-synthetic.ts';
import { createUser } from '../src/usecases/users.ts';
import type { LoadResult, LoadSpec } from './protocol.ts';
import type { PortfolioFigures, Row, Timing } from './report.ts';

export interface PortfolioContext {
  services: Services;
  /** node-postgres connection string of the benchmark database; null on PGlite. */
  databaseUrl: string | null;
  common: { origin: string; duration: number; warmup: number; connections: number };
  projects: number;
  /** Iterations of the submit → decide path on each side (use case, raw). */
  decisions: number;
  password: string;
  totpSecret: string;
  targetP95: number;
  log(message: string): void;
  fail(message: string): never;
  /** Runs one HTTP case in the load process and records its row (bench/run.ts). */
  http(key: string, section: Row['section'], spec: LoadSpec, note: string): Promise<LoadResult>;
  login(username: string, totp: boolean): Promise<string>;
  /** Statements `fn` sends, counted at the drivers (bench/run.ts). */
  countStatements(fn: () => Promise<unknown>): Promise<number>;
  inject(url: string, token: string): Promise<{ statusCode: number; body: string }>;
}

const STAGE = 'feasibilityStudy';
const PROVINCE_APPROVAL_DEPARTMENT = '广东省发展和改革委员会';
const DETAIL_IDS = 5000;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

function timing(latencies: number[], elapsedMs: number): Timing {
  const l = [...latencies].sort((a, b) => a - b);
  return { perSec: l.length / (elapsedMs / 1000), p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99), count: l.length };
}

/** Runs the portfolio cases; returns their figures and the statements per request of each HTTP case (by row key). */
export async function portfolioSection(ctx: PortfolioContext): Promise<{ figures: PortfolioFigures; statements: Record<string, number> }> {
  const { services, log, fail } = ctx;
  const db = services.database.db;

  // ——— the portfolio ———
  log(`portfolio: seeding ${ctx.projects} synthetic projects (seedSynthetic, as govproj seed --synthetic)`);
  let lastReport = 0;
  const seeded = await seedSynthetic(services, {
    count: ctx.projects, seed: 'bench',
    onProgress: ({ done, total, elapsedMs }) => {
      if (done < total && elapsedMs - lastReport < 10_000) return;
      lastReport = elapsedMs;
      log(`  ${done} / ${total} projects (${(elapsedMs / 1000).toFixed(1)} s)`);
    },
  });
  const projectCount = async () => Number((await sql<{ n: string }>`select count(*) as n from projects`.execute(db)).rows[0]!.n);
  log(`portfolio: ${seeded.created} projects in ${(seeded.elapsedMs / 1000).toFixed(1)} s; ${await projectCount()} in the table`);

  // ——— who asks ———
  const ndrcToken = await ctx.login('ndrc', true);
  const province = await db.selectFrom('organizations').select('id').where('name', '=', PROVINCE_APPROVAL_DEPARTMENT).executeTakeFirstOrThrow();
  const reviewer = await createUser(services, systemActor(), {
    username: 'bench.reviewer', displayName: '基准测试省级审核人', password: ctx.password, organizationIds: [province.id], roleCodes: ['reviewer'],
  });
  // A department sees what is routed to it (as the demo's reviewers, src/usecases/seed-demo.ts).
  await db.updateTable('user_roles').set({ custom_organization_ids: [province.id] }).where('user_id', '=', reviewer.user.id).execute();
  const reviewerToken = await ctx.login('bench.reviewer', false);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  // ——— 1. HTTP ———
  const lists = [
    { key: 'pf-all', title: 'GET /api/v1/projects?pageSize=20 (NDRC, scope all, no filter)', path: '/api/v1/projects?pageSize=20', token: ndrcToken },
    { key: 'pf-stage', title: `GET /api/v1/projects?stage=${STAGE}&pageSize=20 (NDRC)`, path: `/api/v1/projects?stage=${STAGE}&pageSize=20`, token: ndrcToken },
    {
      key: 'pf-reviewer', title: `GET /api/v1/projects?stage=${STAGE}&pageSize=20 (provincial reviewer, custom scope)`,
      path: `/api/v1/projects?stage=${STAGE}&pageSize=20`, token: reviewerToken,
    },
    {
      key: 'pf-year', title: 'GET /api/v1/projects?year=2024&minInvestment=1000&maxInvestment=50000&pageSize=20 (NDRC)',
      path: '/api/v1/projects?year=2024&minInvestment=1000&maxInvestment=50000&pageSize=20', token: ndrcToken,
    },
  ];
  const statements: Record<string, number> = {};
  const notes: Record<string, string> = {};
  for (const l of lists) {
    const probe = await ctx.inject(l.path, l.token);
    if (probe.statusCode !== 200) fail(`${l.path}: HTTP ${probe.statusCode} ${probe.body}`);
    const body = JSON.parse(probe.body) as { items: unknown[]; total: number };
    if (body.items.length === 0) fail(`${l.title}: an empty page measures nothing`);
    notes[l.key] = `${body.items.length} of ${body.total.toLocaleString('en-US')}, ${(Buffer.byteLength(probe.body) / 1024).toFixed(1)} KiB`;
    statements[l.key] = await ctx.countStatements(() => ctx.inject(l.path, l.token));
  }
  // Details of projects spread over the whole table, in random order.
  const picked = (await sql<{ id: string; cross_department: boolean }>`select id, cross_department from projects order by md5(id::text) limit ${DETAIL_IDS}`
    .execute(db)).rows;
  const ids = picked.map((r) => r.id);
  const detailPaths = ids.map((id) => `/api/v1/projects/${id}`);
  const detailProbe = await ctx.inject(detailPaths[0]!, ndrcToken);
  if (detailProbe.statusCode !== 200) fail(`project detail: HTTP ${detailProbe.statusCode} ${detailProbe.body}`);
  // Counted on a project of one department (a cross-department one adds its participants' query).
  const single = picked.find((r) => !r.cross_department)!.id;
  statements['pf-detail'] = await ctx.countStatements(() => ctx.inject(`/api/v1/projects/${single}`, ndrcToken));
  const crossShare = picked.filter((r) => r.cross_department).length / picked.length;
  statements.bare3 = 0;

  const tableSize = await projectCount();
  const inTable = `${tableSize.toLocaleString('en-US')} projects`;
  await ctx.http('bare3', 'portfolio', { ...ctx.common, kind: 'get', title: 'GET /bench/bare (reference, same run)', path: '/bench/bare', headers: {} }, 'no database');
  for (const l of lists) {
    await ctx.http(l.key, 'portfolio', { ...ctx.common, kind: 'get', title: l.title, path: l.path, headers: bearer(l.token) }, `${notes[l.key]}; ${inTable}`);
  }
  await ctx.http('pf-detail', 'portfolio', {
    ...ctx.common, kind: 'get-rotate', title: 'GET /api/v1/projects/:id (NDRC)', paths: detailPaths, headers: bearer(ndrcToken),
  }, `${ids.length.toLocaleString('en-US')} ids in rotation (${(crossShare * 100).toFixed(0)}% cross-department: +1 statement), ` +
    `${(Buffer.byteLength(detailProbe.body) / 1024).toFixed(1)} KiB; ${inTable}`);

  // ——— 2. submit → decide ———
  const decide = ctx.decisions > 0 ? await decideSection(ctx) : null;
  return {
    figures: {
      projects: tableSize, seeded: seeded.created, seedSeconds: seeded.elapsedMs / 1000, organizationsCreated: seeded.organizationsCreated,
      targetP95: ctx.targetP95, decide,
    },
    statements,
  };
}

interface Captured { text: string; values: unknown[] }

/** Records every statement `fn` sends through node-postgres or PGlite, with its parameters. */
async function capture(fn: () => Promise<unknown>): Promise<Captured[]> {
  type Method = (...args: unknown[]) => unknown;
  const seen: Captured[] = [];
  const patched: Array<{ owner: Record<string, Method>; name: string; original: Method }> = [];
  for (const [proto, names] of [[pg.Client.prototype, ['query']], [PGlite.prototype, ['query', 'exec']]] as const) {
    for (const name of names) {
      let owner: object | null = proto;
      while (owner && !Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner) as object | null;
      if (!owner) continue;
      const o = owner as Record<string, Method>;
      const original = o[name]!;
      o[name] = function (this: unknown, ...args: unknown[]) {
        if (typeof args[0] === 'string') seen.push({ text: args[0], values: structuredClone((args[1] as unknown[] | undefined) ?? []) });
        return original.apply(this, args);
      };
      patched.push({ owner: o, name, original });
    }
  }
  try {
    await fn();
  } finally {
    for (const p of patched) p.owner[p.name] = p.original;
  }
  return seen;
}

/** Replaces every occurrence of each key of `map` in the strings of a parameter (arrays too). */
function substitute(value: unknown, map: ReadonlyArray<readonly [string, string]>): unknown {
  if (typeof value === 'string') return map.reduce((s, [from, to]) => s.replaceAll(from, to), value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, map));
  return value;
}

async function decideSection(ctx: PortfolioContext): Promise<NonNullable<PortfolioFigures['decide']>> {
  const { services, log, fail } = ctx;
  const db = services.database.db;
  const client = { requestId: null, clientAddress: '127.0.0.1', userAgent: 'bench' };
  const actorOf = async (username: string, totp: boolean): Promise<Actor> => {
    const actor = await resolveSession(services, await ctx.login(username, totp), client);
    return actor ?? fail(`the session of ${username} does not resolve`);
  };
  const preparer = await actorOf('preparer', false);
  const unitLead = await actorOf('unitlead', true);
  const reviewer = await actorOf('reviewer', false);
  const approver = await actorOf('approver', true);
  // Time moves 30 s before each decision: the TOTP code of a decision is accepted once per user
  // and step (users.totp_last_counter), as a real approver's next decision would be later too.
  const clock = { now: Date.now() + 60_000 };
  const moving: Services = { ...services, now: () => new Date(clock.now) };
  const secret = base32Decode(ctx.totpSecret);
  const options = { dryRun: false, expectedVersion: null, idempotencyKey: null };

  // Projects that differ only in name and code: one for a warm-up, the template whose
  // statements are captured, and one per iteration on each side.
  const n = ctx.decisions;
  const total = 2 + 2 * n;
  log(`submit → decide: preparing ${total} projects in draft with complete materials and an information-resource catalog`);
  const units = await db.selectFrom('organizations').select(['id', 'name'])
    .where('name', 'in', ['人力资源和社会保障部信息中心', '国家发展和改革委员会创新和高技术发展司']).execute();
  const unitId = units.find((u) => u.name === '人力资源和社会保障部信息中心')!.id;
  const departmentId = units.find((u) => u.name === '国家发展和改革委员会创新和高技术发展司')!.id;
  const catalogSource = await db.selectFrom('projects').select('id').where('name', '=', DEMO_CATALOG_PROJECT).executeTakeFirstOrThrow();
  const base: ProjectInput = {
    name: '', constructionUnitId: unitId, approvalDepartmentId: departmentId, track: 'approval', kind: 'new', planTaskId: null,
    involvesSecrets: false, crossDepartment: null, constructionStart: '2027-01-01', constructionEnd: '2027-12-31',
    // Under the 3000 万元 assessment threshold (第三十四条 default): accept goes straight to review.
    totalInvestment: '860.00', oAndMFunds: '60.00', fundingChannel: 'central_budget',
    performanceIndicators: [{ indicator: '业务网上办理率', category: 'effect', unit: '%', baseline: '70', targets: [{ year: 2027, value: '90' }], direction: 'higher' }],
    systems: [{ name: '基准测试业务系统', action: 'new' }],
    security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'drafted', cryptoAssessment: 'planned' },
    newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
  };
  const pdf = Buffer.from('%PDF-1.7\n% 基准测试 项目建议书\n%%EOF\n');
  const pdfSm3 = createHash('sm3').update(pdf).digest('hex');
  const projects: Array<{ id: string; code: string; name: string }> = [];
  for (let i = 0; i < total; i++) {
    const name = `基准测试审批项目 ${String(i).padStart(5, '0')}`;
    const p = await createProject(services, preparer, { ...base, name });
    projects.push({ id: p.id, code: p.code, name });
  }
  const projectIds = projects.map((p) => p.id);
  // 第七条: the proposal stage's material (rows as an upload leaves them; the bytes are not read by the path).
  await sql`insert into project_materials (project_id, stage, material_code, version_no, file_name, media_type, size_bytes, sm3, storage_key, uploaded_by)
    select id, 'proposal', 'proposal', 1, '项目建议书.pdf', 'application/pdf', ${pdf.length}, ${pdfSm3}, ${pdfSm3}, ${preparer.userId}::uuid
    from unnest(${projectIds}::uuid[]) as id`.execute(db);
  // 第十一条: the information-resource catalog, copied from the demo project's.
  await sql`insert into information_resources (project_id, code, name, classification_kind, base_category, provider_organization_id,
      format, update_cycle, sharing_type, sharing_basis, open_type, open_basis, involves_secrets, data_items, created_by)
    select p.id, r.code, r.name, r.classification_kind, r.base_category, r.provider_organization_id, r.format, r.update_cycle,
      r.sharing_type, r.sharing_basis, r.open_type, r.open_basis, r.involves_secrets, r.data_items, r.created_by
    from unnest(${projectIds}::uuid[]) as p(id) cross join information_resources r where r.project_id = ${catalogSource.id}`.execute(db);

  const iteration = async (projectId: string) => {
    const step = (actor: Actor, action: 'submit' | 'sign' | 'accept' | 'approve', input: ActionInput = {}) =>
      takeAction(moving, actor, projectId, action, input, options);
    await step(preparer, 'submit');
    await step(unitLead, 'sign');
    await step(reviewer, 'accept');
    clock.now += 30_000;
    const done = await step(approver, 'approve', { sharingOpinions: '同意项目建议书中的信息资源共享分析，按目录共享。', totp: totpAt(secret, Math.floor(clock.now / 1000)) });
    if (done.dryRun || done.project.lifecycle.stage !== 'feasibilityStudy' || done.project.lifecycle.status !== 'draft') {
      fail(`the submit → decide path ended in ${JSON.stringify(done.dryRun ? done : done.project.lifecycle)}`);
    }
  };
  const [warm, template, ...rest] = projects as [typeof projects[0], typeof projects[0], ...typeof projects];
  await iteration(warm.id);
  const statements = await capture(() => iteration(template.id));
  const auditInserts = statements.filter((s) => /insert into audit_events/.test(s.text));
  if (auditInserts.length !== 4) fail(`expected 4 audit events in one iteration, captured ${auditInserts.length}`);
  log(`submit → decide: one iteration sends ${statements.length} statements (BEGIN/COMMIT included)`);

  // The replay of the template's statements on each raw project: its id, code and name in every
  // parameter, and the audit rows' chain hashes recomputed for its own chain (before timing).
  const heads = new Map((await db.selectFrom('audit_chain_heads').select(['chain_id', 'seq', 'hash'])
    .where('chain_id', 'in', [template, ...rest].map((p) => `project:${p.id}`)).execute()).map((h) => [h.chain_id, h]));
  const useCaseProjects = rest.slice(0, n);
  const rawProjects = rest.slice(n);
  const replays = rawProjects.map((p) => {
    const map = [[template.id, p.id], [template.code, p.code], [template.name, p.name]] as const;
    const head = heads.get(`project:${p.id}`);
    if (!head || head.seq !== '1') return fail(`project ${p.code}: its audit chain does not start like the template's`);
    let prev = head.hash.trim();
    return statements.map(({ text, values }) => {
      const v = substitute(values, map) as unknown[];
      if (/insert into audit_events/.test(text)) {
        // The writer's statement (src/audit/writer.ts): 16 values of the event, then seq, hash, chain of the head update.
        if (v.length !== 19 || v[0] !== v[18] || values[3] !== values[17]) fail('the audit writer\'s statement changed; update bench/portfolio.ts');
        const content: AuditEventContent = {
          chainId: v[0] as string, seq: v[1] as string, prevHash: prev, occurredAt: v[4] as string, actorId: v[5] as string | null,
          actorUsername: v[6] as string | null, organizationId: v[7] as string | null, role: v[8] as string | null, action: v[9] as string,
          objectType: v[10] as string | null, objectId: v[11] as string | null, outcome: v[12] as AuditEventContent['outcome'],
          diff: v[13] === null ? null : JSON.parse(v[13] as string), requestId: v[14] as string | null, clientAddress: v[15] as string | null,
        };
        const hash = hashAuditEvent(content);
        v[2] = prev;
        v[3] = hash;
        v[17] = hash;
        prev = hash;
      }
      return { text, values: v };
    });
  });

  // The raw side's connection: node-postgres itself, or (PGlite) one connection of the adapter.
  let runRaw: (statements: Captured[]) => Promise<void>;
  let closeRaw = async () => {};
  let rawVia: string;
  if (ctx.databaseUrl) {
    const raw = new pg.Client({ connectionString: ctx.databaseUrl });
    await raw.connect();
    runRaw = async (list) => {
      for (const s of list) await raw.query(s.text, s.values);
    };
    closeRaw = () => raw.end();
    rawVia = 'node-postgres Client.query(text, values), one connection; no SM2, TOTP, SM3 or JavaScript logic (audit hashes precomputed)';
  } else {
    runRaw = (list) => db.connection().execute(async (conn) => {
      for (const s of list) await conn.executeQuery(CompiledQuery.raw(s.text, s.values));
    });
    rawVia = 'PGlite through the adapter, CompiledQuery.raw(text, values); no SM2, TOTP, SM3 or JavaScript logic (audit hashes precomputed)';
  }

  const rounds = 3;
  const useCaseLatencies: number[] = [];
  const rawLatencies: number[] = [];
  let useCaseMs = 0;
  let rawMs = 0;
  try {
    log(`submit → decide: ${n} iterations each of the use case and of the raw statements, interleaved in ${rounds} rounds`);
    for (let r = 0; r < rounds; r++) {
      const from = Math.floor((r * n) / rounds);
      const to = Math.floor(((r + 1) * n) / rounds);
      let started = performance.now();
      for (let i = from; i < to; i++) {
        const t0 = performance.now();
        await iteration(useCaseProjects[i]!.id);
        useCaseLatencies.push(performance.now() - t0);
      }
      useCaseMs += performance.now() - started;
      started = performance.now();
      for (let i = from; i < to; i++) {
        const t0 = performance.now();
        await runRaw(replays[i]!);
        rawLatencies.push(performance.now() - t0);
      }
      rawMs += performance.now() - started;
    }
  } finally {
    await closeRaw();
  }
  // The raw statements did what the use case did: every raw project is at the next stage's draft.
  const moved = await db.selectFrom('projects').select(sql<string>`count(*)`.as('n'))
    .where('id', 'in', rawProjects.map((p) => p.id)).where('stage', '=', 'feasibilityStudy').where('status', '=', 'draft').executeTakeFirstOrThrow();
  if (Number(moved.n) !== rawProjects.length) fail(`the raw replay moved ${moved.n} of ${rawProjects.length} projects`);
  const useCase = timing(useCaseLatencies, useCaseMs);
  const raw = timing(rawLatencies, rawMs);
  log(`  use case ${useCase.perSec.toFixed(1)} iterations/s (p50 ${useCase.p50.toFixed(1)} ms); raw ${raw.perSec.toFixed(1)} iterations/s (p50 ${raw.p50.toFixed(1)} ms)`);
  return { statements: statements.length, useCase, raw, rawVia, rounds };
}
