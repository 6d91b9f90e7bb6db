// The catalog summary (GET /api/v1/system-catalog/summary) before and after migration
// 20261127T1200, in one run on one database: the query it used to send (every visible system of
// every subtree counted, restated here as the reference) against the use case as it is (sums of
// the per-organization counts), at the top level and one drill-down, as NDRC (scope all) and as a
// unit lead (a subtree scope), and the by-province view. Sequential, in process; p50/p95 of N
// calls each, before and after interleaved.
//
//   DATABASE_URL=postgres://…/base_300k GOVPROJ_MASTER_KEY=… node bench/catalog-summary.ts [N]
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { CATALOG_ORG_KINDS, CENTRAL_PROVINCE } from '../src/domain/system-catalog.ts';
import { scopePredicate } from '../src/db/scope.ts';
import { openServices } from '../src/server.ts';
import { requireAccess, type Actor } from '../src/usecases/actor.ts';
import { catalogByProvince, catalogSummary } from '../src/usecases/national-catalog.ts';
import { ownerDivisionSql } from '../src/usecases/system-catalog.ts';
import type { Services } from '../src/services.ts';
import { directCountColumns } from '../test/support/catalog-counts.ts';
import { demoActor } from '../test/support/fixtures.ts';

const N = Number(process.argv[2] ?? 50);
const services = await openServices(loadConfig(process.env));
const db = services.database.db;

const catalogKinds = sql`${sql.val([...CATALOG_ORG_KINDS])}::text[]`;

/** The summary's queries before the change (tree counts, and 本级 when drilled into). */
async function before(s: Services, actor: Actor, parentId: string | null) {
  const scope = requireAccess(actor, 'catalog:read');
  const level = parentId === null ? sql`o.parent_id is null` : sql`o.parent_id = ${parentId}::uuid`;
  const visible = scopePredicate(scope, 's.owner_organization_id');
  const rows = (await sql<Record<string, unknown>>`
    with recursive tree(root_id, id) as (
      select o.id, o.id from organizations o where ${level} and o.kind = any(${catalogKinds})
      union all select t.root_id, o.id from organizations o join tree t on o.parent_id = t.id)
    select r.id as root_id, r.name, r.kind, r.division_code, ${scopePredicate(scope, 'r.id')} as in_scope,
      exists (select 1 from organizations c where c.parent_id = r.id and c.kind = any(${catalogKinds})) as has_children, c.*
    from organizations r
    join lateral (select ${directCountColumns} from tree t left join government_systems s on s.owner_organization_id = t.id and ${visible}
      where t.root_id = r.id) c on true
    where r.id in (select root_id from tree)
    order by r.name, r.id`.execute(s.database.db)).rows;
  if (parentId !== null) {
    await sql`select ${directCountColumns} from government_systems s where s.owner_organization_id = ${parentId}::uuid and ${visible}`.execute(s.database.db);
  }
  return rows.reduce((n, r) => n + Number(r.systems), 0);
}

/** The by-province view's query before the change. */
async function provincesBefore(s: Services, actor: Actor) {
  const scope = requireAccess(actor, 'catalog:read');
  const rows = (await sql<Record<string, unknown>>`
    select case when d.division_code is null or d.division_code = '100000' then ${CENTRAL_PROVINCE.code}
      else substr(d.division_code, 1, 2) end as province, ${directCountColumns}
    from government_systems s cross join lateral (select ${ownerDivisionSql} as division_code) d
    where ${scopePredicate(scope, 's.owner_organization_id')}
    group by 1 order by 1`.execute(s.database.db)).rows;
  return rows.reduce((n, r) => n + Number(r.systems), 0);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fmt = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms`;
};

const ndrc = await demoActor(services, 'ndrc');
const unitlead = await demoActor(services, 'unitlead');
// The drill-down: the root with the most systems below it (for NDRC) and the unit lead's root.
const top = await catalogSummary(services, ndrc, null);
const biggest = [...top.items].sort((a, b) => b.counts.systems - a.counts.systems)[0]!;
const leadTop = await catalogSummary(services, unitlead, null);
const leadRoot = leadTop.items[0]!;
const cases: Array<[string, Actor, string | null]> = [
  ['NDRC, top level', ndrc, null],
  [`NDRC, drill-down into ${biggest.name} (${biggest.counts.systems} systems)`, ndrc, biggest.organizationId],
  ['unit lead, top level', unitlead, null],
  [`unit lead, drill-down into ${leadRoot.name}`, unitlead, leadRoot.organizationId],
];
console.log(`${top.total.systems} systems, ${(await sql<{ n: string }>`select count(*) as n from organizations`.execute(db)).rows[0]!.n} organizations, ` +
  `${(await sql<{ n: string }>`select count(*) as n from catalog_counts`.execute(db)).rows[0]!.n} catalog_counts rows; N = ${N}`);
for (const [label, actor, parentId] of cases) {
  // Same answer first (the systems total), then timings interleaved, after a warm-up of each.
  const after = await catalogSummary(services, actor, parentId);
  const old = await before(services, actor, parentId);
  const ownSystems = after.own?.systems ?? 0;
  if (old !== after.total.systems - ownSystems) throw new Error(`${label}: before ${old} ≠ after ${after.total.systems - ownSystems}`);
  const tb: number[] = [];
  const ta: number[] = [];
  for (let i = 0; i < N; i++) {
    let t0 = performance.now();
    await before(services, actor, parentId);
    tb.push(performance.now() - t0);
    t0 = performance.now();
    await catalogSummary(services, actor, parentId);
    ta.push(performance.now() - t0);
  }
  const ratio = percentile([...tb].sort((a, b) => a - b), 50) / percentile([...ta].sort((a, b) => a - b), 50);
  console.log(`${label}: before ${fmt(tb)}; after ${fmt(ta)}; ×${ratio.toFixed(0)} at p50; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
for (const [label, actor] of [['NDRC, by province', ndrc], ['unit lead, by province', unitlead]] as const) {
  const after = await catalogByProvince(services, actor);
  const old = await provincesBefore(services, actor);
  if (old !== after.total.systems) throw new Error(`${label}: before ${old} ≠ after ${after.total.systems}`);
  const tb: number[] = [];
  const ta: number[] = [];
  for (let i = 0; i < N; i++) {
    let t0 = performance.now();
    await provincesBefore(services, actor);
    tb.push(performance.now() - t0);
    t0 = performance.now();
    await catalogByProvince(services, actor);
    ta.push(performance.now() - t0);
  }
  const ratio = percentile([...tb].sort((a, b) => a - b), 50) / percentile([...ta].sort((a, b) => a - b), 50);
  console.log(`${label}: before ${fmt(tb)}; after ${fmt(ta)}; ×${ratio.toFixed(0)} at p50; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
await services.database.close();
