// `govproj seed --synthetic-systems N`: adds N synthetic 政务信息系统 (src/domain/synthetic-systems.ts)
// to the national catalog, each collecting one information resource (with 2–5 data items) of a
// project of its owner, for load tests at catalog scale (bench/catalog.ts). The synthetic
// organizations, the import account and enough synthetic projects to hold the resources come
// from `seedSynthetic` (run first when they are missing or too few). Each run adds N more.
//
// Audit as seed-synthetic.ts: batches of multi-row INSERTs (resources, systems, links), each in
// its own transaction with ONE `seed.synthetic_systems` event (chain `seed:<run id>`) recording
// the batch's number and size, so the log grows by N/batchSize events. Every system is checked
// with `systemProblems` before it is written. One code path for PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/writer.ts';
import { systemProblems } from '../domain/system-catalog.ts';
import { PROVINCES, Rng, syntheticOrganizations } from '../domain/synthetic-portfolio.ts';
import { generateSystems, type SyntheticSystem, type SystemsUnit } from '../domain/synthetic-systems.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, systemActor } from './actor.ts';
import { SYNTHETIC_IMPORT_USERNAME, seedSynthetic } from './seed-synthetic.ts';
import { columns } from './system-catalog.ts';

export interface SyntheticSystemsOptions {
  count: number;
  seed?: string;
  /** Systems per transaction (1000). */
  batchSize?: number;
  asOf?: Date;
  onProgress?: (progress: { done: number; total: number; elapsedMs: number }) => void;
}

export interface SyntheticSystemsResult {
  runId: string;
  seed: string;
  created: number;
  dataItems: number;
  /** Synthetic projects this run had to add first (0 when there were enough). */
  projectsSeeded: number;
  nearDuplicates: number;
  batches: number;
  elapsedMs: number;
}

/** Synthetic projects wanted before N systems are spread over their units' catalogs. */
const projectsFor = (count: number) => Math.max(2000, Math.ceil(count / 30));

async function unitsOf(services: Services): Promise<{ units: SystemsUnit[]; projects: number; importUser: string | null }> {
  const db = services.database.db;
  const synthetic = syntheticOrganizations().filter((o) => o.role === 'unit');
  const byName = new Map((await db.selectFrom('organizations').select(['id', 'name']).where('name', 'in', synthetic.map((o) => o.name)).execute())
    .map((o) => [o.name, o.id]));
  const ids = [...byName.values()];
  const projects = ids.length === 0 ? [] : (await sql<{ id: string; unit: string }>`select id, construction_unit_id as unit from projects
    where construction_unit_id = any(${ids}::uuid[]) order by id`.execute(db)).rows;
  const projectsOf = new Map<string, string[]>();
  for (const p of projects) projectsOf.set(p.unit, [...(projectsOf.get(p.unit) ?? []), p.id]);
  const province = new Map(PROVINCES.map((p) => [p.code, p.name]));
  const units = synthetic.filter((o) => byName.has(o.name)).map((o) => {
    const id = byName.get(o.name)!;
    const place = o.region === 'central' ? '全国' : o.key.startsWith('c') ? o.projectPrefix! : province.get(o.region)!;
    return { id, key: o.key, place, filingDivision: o.divisionCode ?? '110000', weight: o.weight ?? 1, projectIds: projectsOf.get(id) ?? [] };
  });
  const user = await db.selectFrom('users').select('id').where('username', '=', SYNTHETIC_IMPORT_USERNAME).executeTakeFirst();
  return { units, projects: projects.length, importUser: user?.id ?? null };
}

async function insertBatch(trx: Tx, batch: SyntheticSystem[], createdBy: string): Promise<void> {
  const resources = await trx.insertInto('information_resources')
    .values(batch.map((s) => ({ ...s.resource, data_items: JSON.stringify(s.resource.data_items), created_by: createdBy, created_at: s.createdAt, updated_at: s.createdAt })))
    .returning(['id', 'code']).execute();
  const resourceId = new Map(resources.map((r) => [r.code, r.id]));
  const systems = await trx.insertInto('government_systems')
    .values(batch.map((s) => ({ ...columns(s.input), created_by: null, created_at: s.createdAt, updated_at: s.updatedAt })))
    .returning(['id', 'owner_organization_id', 'name']).execute();
  const systemId = new Map(systems.map((r) => [`${r.owner_organization_id}|${r.name}`, r.id]));
  const idOf = (s: SyntheticSystem) => systemId.get(`${s.input.ownerOrganizationId}|${s.input.name}`)!;
  await trx.insertInto('government_system_projects')
    .values(batch.map((s) => ({ system_id: idOf(s), project_id: s.project.id, relation: s.project.relation }))).execute();
  await trx.insertInto('government_system_resources')
    .values(batch.map((s) => ({ system_id: idOf(s), resource_id: resourceId.get(s.resource.code)!, relation: 'collects' as const }))).execute();
}

/** Adds `count` synthetic systems with their resources (seeding organizations and projects first if needed). */
export async function seedSyntheticSystems(services: Services, options: SyntheticSystemsOptions): Promise<SyntheticSystemsResult> {
  const started = performance.now();
  const { count } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  const seed = options.seed ?? 'govproj-systems';
  const batchSize = options.batchSize ?? 1000;
  const asOf = options.asOf ?? services.now();
  const runId = randomUUID();
  const db = services.database.db;

  let found = await unitsOf(services);
  let projectsSeeded = 0;
  const wanted = projectsFor(count);
  if (found.importUser === null || found.projects < wanted) {
    const r = await seedSynthetic(services, { count: Math.max(1, wanted - found.projects), seed: `${seed}-projects-${runId}`, asOf });
    projectsSeeded = r.created;
    found = await unitsOf(services);
  }
  const createdBy = found.importUser!;
  const owners = found.units.map((u) => u.id);
  const taken = new Set((await sql<{ k: string }>`select owner_organization_id || '|' || name as k from government_systems
    where owner_organization_id = any(${owners}::uuid[])`.execute(db)).rows.map((r) => r.k));
  const existing = Number((await sql<{ n: string }>`select count(*) as n from information_resources`.execute(db)).rows[0]!.n);
  const generator = generateSystems(new Rng(seed), {
    units: found.units, firstSerial: 100_000_000 + existing, asOf,
    nameTaken: (owner, name) => {
      const key = `${owner}|${name}`;
      if (taken.has(key)) return true;
      taken.add(key);
      return false;
    },
  }, count);

  const batches = Math.ceil(count / batchSize);
  let done = 0;
  let dataItems = 0;
  let nearDuplicates = 0;
  const actor = auditActorFor(systemActor(), null);
  for (let b = 1; b <= batches; b++) {
    const batch: SyntheticSystem[] = [];
    for (let i = 0; i < batchSize; i++) {
      const next = generator.next();
      if (next.done) break;
      const problems = systemProblems(next.value.input);
      if (problems.length > 0) throw new Error(`generated an invalid system ${next.value.input.name}: ${JSON.stringify(problems)}`);
      batch.push(next.value);
      dataItems += next.value.resource.data_items.length;
      if (next.value.nearDuplicateOf !== null) nearDuplicates++;
    }
    await db.transaction().execute(async (trx) => {
      await insertBatch(trx, batch, createdBy);
      await appendAuditEvent(trx, {
        actor, action: 'seed.synthetic_systems', objectType: 'seed', objectId: runId, outcome: 'success',
        diff: { after: { seed, batch: b, batches, systems: batch.length, dataItems: batch.reduce((n, s) => n + s.resource.data_items.length, 0), total: count } },
        requestId: null, clientAddress: 'seed',
      });
    });
    done += batch.length;
    options.onProgress?.({ done, total: count, elapsedMs: performance.now() - started });
  }
  await sql`vacuum (analyze) government_systems, government_system_projects, government_system_resources, information_resources`.execute(db);
  return { runId, seed, created: done, dataItems, projectsSeeded, nearDuplicates, batches, elapsedMs: performance.now() - started };
}
