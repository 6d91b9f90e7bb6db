// `govproj seed --synthetic N`: adds N synthetic projects (src/domain/synthetic-portfolio.ts) to
// the installation, for load tests and demonstrations at national scale. The demo is seeded
// first when it is missing; the synthetic organizations (31 regions and 19 ministries) and the
// account recorded as the projects' creator are added once, and every later run reuses them.
// Each run adds N more projects; 项目代码 stay unique across runs.
//
// Audit (an operator action, not a user's): the organizations and the import account are written
// through the same audited steps as the demo's (one organization.create / user.create event
// each). Projects are inserted in batches of multi-row INSERTs, each batch in its own
// transaction together with ONE `seed.synthetic` event (chain `seed:<run id>`) that records the
// batch's number, size and first and last 项目代码. So every committed project is covered by an
// event that committed with it, an interrupted run leaves whole batches behind, and the log grows
// by N/batchSize events instead of N. One code path for PGlite and PostgreSQL (no COPY).
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/writer.ts';
import {
  CENTRAL_APPROVAL_DEPARTMENT, DEMO_UNITS, PROVINCES, Rng, generatePortfolio, syntheticOrganizations,
  type PortfolioUnit, type SyntheticProject,
} from '../domain/synthetic-portfolio.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, systemActor } from './actor.ts';
import { seedDemo, type DemoCredentials } from './seed-demo.ts';
import { createUser } from './users.ts';

/** The account recorded as `created_by` of synthetic projects: no roles, no organization, a random password nobody holds. */
export const SYNTHETIC_IMPORT_USERNAME = 'synthetic.import';

export interface SyntheticSeedOptions {
  count: number;
  /** The PRNG seed; the same seed on the same database gives the same portfolio. */
  seed?: string;
  /** Projects per INSERT and per transaction (1000). */
  batchSize?: number;
  /** No project is created after this instant (services.now()). */
  asOf?: Date;
  onProgress?: (progress: { done: number; total: number; elapsedMs: number }) => void;
}

export interface SyntheticSeedResult {
  runId: string;
  seed: string;
  created: number;
  batches: number;
  organizationsCreated: number;
  /** Credentials of the demo when this run had to seed it first. */
  demo: DemoCredentials | null;
  elapsedMs: number;
}

/** Creates the synthetic organizations that do not exist yet (by name) and returns every one's id by key. */
async function ensureOrganizations(trx: Tx): Promise<{ ids: Map<string, string>; created: number }> {
  const actor = auditActorFor(systemActor(), 'system:org:create');
  const existing = new Map((await trx.selectFrom('organizations').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
  const ids = new Map<string, string>();
  let created = 0;
  // Parents come before children, so one level at a time can be inserted in one statement.
  let pending = syntheticOrganizations();
  while (pending.length > 0) {
    const ready = pending.filter((o) => o.parentKey === null || ids.has(o.parentKey));
    pending = pending.filter((o) => !ready.includes(o));
    if (ready.length === 0) throw new Error('the synthetic organization tree has a dangling parent');
    const fresh = ready.filter((o) => {
      const id = existing.get(o.name);
      if (id) ids.set(o.key, id);
      return !id;
    });
    if (fresh.length === 0) continue;
    const rows = await trx.insertInto('organizations').values(fresh.map((o) => ({
      parent_id: o.parentKey === null ? null : ids.get(o.parentKey)!, name: o.name, name_en: o.nameEn, kind: o.kind,
      credit_code: o.creditCode, division_code: o.divisionCode,
    }))).returning(['id', 'credit_code']).execute();
    const byCode = new Map(rows.map((r) => [r.credit_code, r.id]));
    for (const o of fresh) {
      const id = byCode.get(o.creditCode)!;
      ids.set(o.key, id);
      await appendAuditEvent(trx, {
        actor, action: 'organization.create', objectType: 'organization', objectId: id, outcome: 'success',
        diff: { after: { name: o.name, creditCode: o.creditCode, synthetic: true } }, requestId: null, clientAddress: 'seed',
      });
      created++;
    }
  }
  return { ids, created };
}

async function ensureImportUser(services: Services, trx: Tx): Promise<string> {
  const found = await trx.selectFrom('users').select('id').where('username', '=', SYNTHETIC_IMPORT_USERNAME).executeTakeFirst();
  if (found) return found.id;
  const created = await createUser(services, systemActor(), {
    username: SYNTHETIC_IMPORT_USERNAME, displayName: '合成数据导入', password: `Sx#${randomBytes(18).toString('base64url')}9q`,
    organizationIds: [], roleCodes: [],
  }, trx);
  return created.user.id;
}

/** The construction units and approval departments the generator distributes projects over. */
async function portfolioInput(trx: Tx, orgIds: Map<string, string>) {
  const units: PortfolioUnit[] = [];
  const approvalDepartments = new Map<string, string>();
  for (const o of syntheticOrganizations()) {
    const id = orgIds.get(o.key)!;
    if (o.role === 'approval') approvalDepartments.set(o.region, id);
    if (o.role === 'unit') units.push({ id, divisionCode: o.divisionCode, region: o.region, projectPrefix: o.projectPrefix!, topics: o.topics!, weight: o.weight! });
  }
  const byName = new Map((await trx.selectFrom('organizations').select(['id', 'name', 'division_code'])
    .where('name', 'in', [CENTRAL_APPROVAL_DEPARTMENT, ...DEMO_UNITS.map((u) => u.name)]).execute()).map((o) => [o.name, o]));
  const central = byName.get(CENTRAL_APPROVAL_DEPARTMENT);
  if (!central) throw new Error(`the demo's ${CENTRAL_APPROVAL_DEPARTMENT} is missing`);
  approvalDepartments.set('central', central.id);
  for (const u of DEMO_UNITS) {
    const o = byName.get(u.name);
    if (!o || units.some((x) => x.id === o.id)) continue;
    const division = o.division_code?.trim() ?? null;
    const region = division === null ? 'central' : `${division.slice(0, 2)}0000`;
    if (division !== null && !PROVINCES.some((p) => p.code === region)) continue;
    units.push({ id: o.id, divisionCode: division, region, projectPrefix: u.prefix, topics: u.topics, weight: region === 'central' ? 1 : 3 });
  }
  // 第六条, I-7: only current tasks of the approved national plan put a project in the plan.
  const tasks = await trx.selectFrom('plan_tasks as t').innerJoin('plans as p', 'p.id', 't.plan_id').select('t.id')
    .where('p.level', '=', 'national').where('p.status', '=', 'approved').where('t.withdrawn_in_version', 'is', null)
    .orderBy('t.code').execute();
  return { units, approvalDepartments, nationalPlanTaskIds: tasks.map((t) => t.id) };
}

async function insertBatch(trx: Tx, batch: SyntheticProject[]): Promise<void> {
  const rows = await trx.insertInto('projects')
    .values(batch.map(({ participants: _participants, ...columns }) => columns))
    .returning(['id', 'code']).execute();
  const idOf = new Map(rows.map((r) => [r.code, r.id]));
  const participants = batch.flatMap((p) => p.participants.map((o) => ({ project_id: idOf.get(p.code)!, organization_id: o })));
  for (let i = 0; i < participants.length; i += 5000) {
    await trx.insertInto('project_participants').values(participants.slice(i, i + 5000)).execute();
  }
}

/** Adds `count` synthetic projects (seeding the demo and the synthetic organizations first if needed). */
export async function seedSynthetic(services: Services, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const started = performance.now();
  const { count } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  const seed = options.seed ?? 'govproj';
  const batchSize = options.batchSize ?? 1000;
  const asOf = options.asOf ?? services.now();
  const runId = randomUUID();
  const system = systemActor();
  const db = services.database.db;

  const demo = await seedDemo(services);
  const setup = await db.transaction().execute(async (trx) => {
    const orgs = await ensureOrganizations(trx);
    const createdBy = await ensureImportUser(services, trx);
    return { ...orgs, createdBy, input: await portfolioInput(trx, orgs.ids) };
  });

  const taken = new Set((await db.selectFrom('projects').select('code').execute()).map((r) => r.code));
  const generator = generatePortfolio(new Rng(seed), { ...setup.input, createdBy: setup.createdBy, asOf }, count, (code) => {
    if (taken.has(code)) return true;
    taken.add(code);
    return false;
  });
  const batches = Math.ceil(count / batchSize);
  let done = 0;
  for (let b = 1; b <= batches; b++) {
    const batch: SyntheticProject[] = [];
    for (let i = 0; i < batchSize; i++) {
      const next = generator.next();
      if (next.done) break;
      batch.push(next.value);
    }
    await db.transaction().execute(async (trx) => {
      await insertBatch(trx, batch);
      await appendAuditEvent(trx, {
        actor: auditActorFor(system, null), action: 'seed.synthetic', objectType: 'seed', objectId: runId, outcome: 'success',
        diff: {
          after: {
            seed, batch: b, batches, projects: batch.length, total: count, firstCode: batch[0]!.code, lastCode: batch[batch.length - 1]!.code,
            ...(b === 1 ? { organizationsCreated: setup.created } : {}),
          },
        },
        requestId: null, clientAddress: system.clientAddress,
      });
    });
    done += batch.length;
    options.onProgress?.({ done, total: count, elapsedMs: performance.now() - started });
  }
  // What autovacuum would do a minute later, now: fresh statistics for the planner, and the
  // visibility map that lets a count be an index-only scan.
  await sql`vacuum (analyze) projects, project_participants`.execute(db);
  return { runId, seed, created: done, batches, organizationsCreated: setup.created, demo, elapsedMs: performance.now() - started };
}
