// 运维经费资格 at national scale (第二十八条): N synthetic systems (300,000 by default) on PostgreSQL,
// a tenth of them with a security summary (last test, 密评, hazards, findings) spread over the
// reasons, then the MoF list's queries timed as the route runs them: the first page unfiltered,
// eligible=false, clause=三, a province, a department subtree, a deep page, and the keyset export
// walked to the end. Run: node bench/eligibility-scale.ts [count]  (GOVPROJ_TEST_PG_URL as in tests).
import { sql } from 'kysely';
import { createServerDatabase, testServices } from '../test/support/db.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedSyntheticSystems } from '../src/usecases/seed-synthetic-systems.ts';
import { iterateEligibility, listEligibility } from '../src/usecases/eligibility.ts';
import { systemActor } from '../src/usecases/actor.ts';
import type { Actor } from '../src/usecases/actor.ts';

const count = Number(process.argv[2] ?? 300_000);
// ELIGIBILITY_BENCH_URL: a database seeded by an earlier run (kept, not dropped).
const reuse = process.env.ELIGIBILITY_BENCH_URL;
const server = reuse ? { url: reuse, drop: async () => {} } : await createServerDatabase();
const database = await openDatabase({ kind: 'postgresql', url: server.url });
await migrate(database);
const services = testServices(database);
if (!reuse) {
  const t0 = Date.now();
  await seedSyntheticSystems(services, { count, seed: 'bench-eligibility' });
  console.log(`seeded ${count} systems in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const db = database.db;
// A tenth of the systems get a summary, spread over the cases.
await sql`insert into system_security_status (system_id, last_test_on, last_test_passed, last_crypto_on, last_crypto_passed, open_hazards,
    open_not_sharing, open_duplicate_collection, updated_at)
  select id, current_date - (abs(hashtext(id::text)) % 900), (abs(hashtext(id::text)) % 7) <> 0,
    current_date - (abs(hashtext(id::text || 'c')) % 500), (abs(hashtext(id::text || 'c')) % 9) <> 0,
    (abs(hashtext(id::text || 'h')) % 20 = 0)::int, (abs(hashtext(id::text || 'f')) % 30 = 0)::int, 0, now()
  from government_systems where abs(hashtext(id::text)) % 10 = 0
  on conflict (system_id) do nothing`.execute(db);
await sql`analyze`.execute(db);
const mof: Actor = { ...systemActor(), roles: [{ role: 'mof', customOrganizationIds: [] }] };
const someOrg = (await sql<{ id: string }>`select owner_organization_id as id from government_systems group by 1 order by count(*) desc limit 1`.execute(db)).rows[0]!.id;
const cases: Array<[string, Parameters<typeof listEligibility>[2], number]> = [
  ['first page', {}, 1], ['eligible=false', { eligible: false }, 1], ['clause 三', { clause: '三' }, 1], ['clause 孤网', { clause: '孤网' }, 1],
  ['province 32', { province: '32' }, 1], ['department subtree', { organizationId: someOrg }, 1], ['page 500', {}, 500],
];
for (const [name, filter, page] of cases) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const r = await listEligibility(services, mof, filter, page, 20);
    times.push(performance.now() - s);
    total = r.total;
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(20)} total ${String(total).padStart(7)}  median ${times[1]!.toFixed(0)} ms  (runs ${times.map((x) => x.toFixed(0)).join(', ')})`);
}
const s = performance.now();
let rows = 0;
for await (const batch of iterateEligibility(services, mof, { eligible: false })) rows += batch.length;
console.log(`export eligible=false: ${rows} rows in ${((performance.now() - s) / 1000).toFixed(1)} s`);
await database.close();
await server.drop();
