// The catalog summary (第十二条) answers from per-organization counts kept by triggers (migration
// 20261127T1200_catalog_counts.sql). These tests hold them to the systems themselves: after every
// kind of write — multi-row inserts, owner, status, network and protection changes, deletes,
// 孤网 exception decisions, a rolled-back transaction, a moved organization — the summary equals
// the direct aggregate over government_systems (the query the summary used to send), for
// several scopes and levels, so does the by-province view, and every organization's counts
// equal its systems' counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CATALOG_ORG_KINDS, CENTRAL_PROVINCE } from '../../src/domain/system-catalog.ts';
import { scopePredicate } from '../../src/db/scope.ts';
import { requireAccess, type Actor } from '../../src/usecases/actor.ts';
import { catalogByProvince, catalogSummary } from '../../src/usecases/national-catalog.ts';
import { ownerDivisionSql } from '../../src/usecases/system-catalog.ts';
import { demoActor, openDemoApp, type DemoApp } from '../support/fixtures.ts';
import { TEST_DB_KIND } from '../support/db.ts';
import { directCountColumns } from '../support/catalog-counts.ts';

let demo: DemoApp;
let db: DemoApp['t']['database']['db'];
let org: DemoApp['org'];
let ndrc: Actor;
let province: Actor;
let department: Actor;
let jsDept: string;

beforeAll(async () => {
  demo = await openDemoApp();
  db = demo.t.database.db;
  org = demo.org;
  ndrc = await demoActor(demo.services, 'ndrc');
  // A unit lead (subtree scope) of 江苏省人民政府: the province's subtree.
  const lead = await demoActor(demo.services, 'unitlead');
  province = { ...lead, organizationIds: [org.get('江苏省人民政府')!] };
  // A preparer (own organization only): one department.
  department = await demoActor(demo.services, 'preparer');
  jsDept = (await sql<{ id: string }>`select id from organizations where parent_id = ${org.get('江苏省人民政府')!}::uuid
    and kind = any(${[...CATALOG_ORG_KINDS]}::text[]) order by name limit 1`.execute(db)).rows[0]!.id;
});
afterAll(async () => demo.close());


/** The direct aggregate: the visible systems of `orgId`'s subtree (or of `orgId` alone), counted. */
async function direct(actor: Actor, orgId: string, subtree: boolean): Promise<Record<string, number>> {
  const visible = scopePredicate(requireAccess(actor, 'catalog:read'), 's.owner_organization_id');
  const owners = subtree
    ? sql`(with recursive t(id) as (select ${orgId}::uuid union all select o.id from organizations o join t on o.parent_id = t.id) select id from t)`
    : sql`(select ${orgId}::uuid)`;
  return (await sql<Record<string, number>>`select ${directCountColumns} from government_systems s
    where s.owner_organization_id in ${owners} and ${visible}`.execute(db)).rows[0]!;
}

/** The summary at the top and drilled into each given parent equals the direct aggregates. */
async function expectSummaryExact(actor: Actor, parents: ReadonlyArray<string | null>) {
  for (const parentId of parents) {
    const summary = await catalogSummary(demo.services, actor, parentId);
    for (const item of summary.items) expect(item.counts, `${actor.username} ${parentId} ${item.name}`).toEqual(await direct(actor, item.organizationId, true));
    if (parentId !== null) {
      expect(summary.own).toEqual(await direct(actor, parentId, false));
      expect(summary.total).toEqual(await direct(actor, parentId, true));
    }
  }
}

/** The by-province view equals the systems counted by their owner's effective division. */
async function expectProvincesExact(actor: Actor) {
  const visible = scopePredicate(requireAccess(actor, 'catalog:read'), 's.owner_organization_id');
  const counted = (await sql<Record<string, unknown> & { province: string }>`
    select case when d.division_code is null or d.division_code = '100000' then ${CENTRAL_PROVINCE.code}
      else substr(d.division_code, 1, 2) end as province, ${directCountColumns}
    from government_systems s cross join lateral (select ${ownerDivisionSql} as division_code) d
    where ${visible} group by 1 order by 1`.execute(db)).rows;
  const { items } = await catalogByProvince(demo.services, actor);
  expect(items.map((i) => ({ province: i.province, ...i.counts })), actor.username).toEqual(counted);
}

/** Every organization's rows sum to its systems' counts; no organization keeps more than one row. */
async function expectCountsExact() {
  const kept = (await sql<Record<string, unknown>>`select organization_id, sum(systems)::int as "systems",
      sum(under_construction)::int as "underConstruction", sum(operating)::int as "operating", sum(retired)::int as "retired",
      sum(extranet)::int as "extranet", sum(intranet)::int as "intranet", sum(internet)::int as "internet", sum(isolated)::int as "isolated",
      sum(isolated_without_exception)::int as "isolatedWithoutException", sum(classified)::int as "classified",
      sum(mlps_level1)::int as "mlpsLevel1", sum(mlps_level2)::int as "mlpsLevel2", sum(mlps_level3)::int as "mlpsLevel3",
      sum(mlps_level4)::int as "mlpsLevel4", sum(mlps_level5)::int as "mlpsLevel5", count(*)::int as rows
    from catalog_counts group by organization_id order by organization_id`.execute(db)).rows;
  const counted = (await sql<Record<string, unknown>>`select s.owner_organization_id as organization_id, ${directCountColumns}, 1 as rows
    from government_systems s group by s.owner_organization_id order by s.owner_organization_id`.execute(db)).rows;
  expect(kept).toEqual(counted);
}

async function expectAllExact() {
  await expectCountsExact();
  await expectSummaryExact(ndrc, [null, org.get('江苏省人民政府')!, org.get('人力资源和社会保障部')!, jsDept]);
  await expectSummaryExact(province, [null, org.get('江苏省人民政府')!, jsDept]);
  await expectSummaryExact(department, [null, org.get('人力资源和社会保障部')!]);
  for (const actor of [ndrc, province, department]) await expectProvincesExact(actor);
}

let n = 0;
/** A raw INSERT of systems: [owner, status, network, scheme/level] per row. */
async function insertSystems(rows: ReadonlyArray<[string, 'under_construction' | 'operating' | 'retired', string, 'classified' | 1 | 2 | 3 | 4 | 5]>) {
  return (await sql<{ id: string }>`insert into government_systems (owner_organization_id, name, purpose, business_area, network_type,
      involves_secrets, protection_scheme, mlps_level, mlps_filing_number, user_count, status)
    values ${sql.join(rows.map(([owner, status, network, level]) => sql`(${owner}::uuid, ${`计数测试系统 ${++n}`}, '测试', '测试', ${network},
      ${level === 'classified'}, ${level === 'classified' ? 'classified' : 'mlps'}, ${level === 'classified' ? null : level}::smallint,
      ${level !== 'classified' && level >= 2 ? '11000013001' : null}, 10, ${status})`))}
    returning id`.execute(db)).rows.map((r) => r.id);
}

async function decide(systemId: string, decision: 'grant' | 'revoke') {
  const actor = ndrc.userId;
  const revokes = decision === 'revoke'
    ? sql`(select id from isolation_exceptions where system_id = ${systemId}::uuid and decision = 'grant' order by seq desc limit 1)`
    : sql`null::uuid`;
  await sql`insert into isolation_exceptions (system_id, decision, reason, approval_document_number, approved_on, revokes_id,
      actor_id, role, payload, signature, public_key, created_at)
    values (${systemId}::uuid, ${decision}, '测试', ${decision === 'grant' ? '国函〔2026〕1号' : null}, ${decision === 'grant' ? '2026-11-01' : null}::date,
      ${revokes}, ${actor}::uuid, 'ndrc', '{}', 'x', 'x', now())`.execute(db);
}

describe(`catalog counts (第十二条, ${TEST_DB_KIND})`, () => {
  it('第十二条: the summary from the kept counts equals the direct aggregate after every kind of write', async () => {
    const mohrssIc = org.get('人力资源和社会保障部信息中心')!;
    const mnrIc = org.get('自然资源部信息中心')!;
    await expectAllExact(); // the seeded catalog, as the migration's backfill and the seed's writes left it

    // Multi-row inserts into several organizations, of every status, network and protection.
    const [a, b, c, d] = await insertSystems([
      [jsDept, 'operating', 'extranet', 3], [jsDept, 'under_construction', 'isolated', 2],
      [mohrssIc, 'retired', 'isolated', 'classified'], [mnrIc, 'operating', 'internet', 1],
    ]);
    await insertSystems([[mohrssIc, 'operating', 'intranet', 4], [mohrssIc, 'under_construction', 'extranet', 5]]);
    await expectAllExact();

    // Owner changes (out of the province, into a ministry), status, network and protection changes,
    // one statement touching several organizations, and an edit that moves no count.
    await sql`update government_systems set owner_organization_id = ${mohrssIc}::uuid where id = ${a!}::uuid`.execute(db);
    await sql`update government_systems set status = 'retired' where id in (${b!}::uuid, ${d!}::uuid)`.execute(db);
    await sql`update government_systems set network_type = 'isolated' where id = ${d!}::uuid`.execute(db);
    await sql`update government_systems set protection_scheme = 'classified', involves_secrets = true, mlps_level = null, mlps_filing_number = null,
      network_type = 'intranet' where id = ${a!}::uuid`.execute(db);
    await sql`update government_systems set owner_organization_id = case when owner_organization_id = ${mohrssIc}::uuid then ${jsDept}::uuid
      else ${mohrssIc}::uuid end where id in (${a!}::uuid, ${b!}::uuid, ${c!}::uuid)`.execute(db);
    await sql`update government_systems set purpose = '只改用途', version = version + 1 where id = ${c!}::uuid`.execute(db);
    await expectAllExact();

    // 第二十八条: grants and revocations move isolatedWithoutException; so does a network change of
    // a system with a standing grant.
    await decide(b!, 'grant');
    await decide(c!, 'grant');
    await expectAllExact();
    await decide(b!, 'revoke');
    await sql`update government_systems set network_type = 'intranet' where id = ${c!}::uuid`.execute(db);
    await expectAllExact();
    await sql`update government_systems set network_type = 'isolated' where id = ${c!}::uuid`.execute(db);
    await decide(b!, 'grant');
    await expectAllExact();

    // A rolled-back transaction leaves the counts as they were.
    await db.transaction().execute(async (trx) => {
      await sql`update government_systems set status = 'operating' where id = ${d!}::uuid`.execute(trx);
      await sql`delete from government_systems where owner_organization_id = ${mohrssIc}::uuid and name like '计数测试系统%'
        and not exists (select 1 from isolation_exceptions e where e.system_id = government_systems.id)`.execute(trx);
      throw new Error('roll back');
    }).catch((e: unknown) => expect((e as Error).message).toBe('roll back'));
    await expectAllExact();

    // Deletes (several organizations in one statement), and a moved organization (the tree, not
    // the counts, decides the subtree).
    await sql`delete from government_systems where name like '计数测试系统%'
      and not exists (select 1 from isolation_exceptions e where e.system_id = government_systems.id)`.execute(db);
    await sql`update organizations set parent_id = ${org.get('人力资源和社会保障部')!}::uuid where id = ${jsDept}::uuid`.execute(db);
    await expectCountsExact();
    await expectSummaryExact(ndrc, [null, org.get('江苏省人民政府')!, org.get('人力资源和社会保障部')!, jsDept]);
    await expectSummaryExact(province, [null, org.get('江苏省人民政府')!]); // jsDept has left the province's subtree
    await expectSummaryExact(department, [null, org.get('人力资源和社会保障部')!]);
    await sql`update organizations set parent_id = ${org.get('江苏省人民政府')!}::uuid where id = ${jsDept}::uuid`.execute(db);
    await expectAllExact();
  });

  it.runIf(TEST_DB_KIND === 'postgresql')('第十二条: concurrent writers of one organization do not wait for each other, and both are counted', async () => {
    const mnrIc = org.get('自然资源部信息中心')!;
    await db.connection().execute(async (first) => {
      await sql`begin`.execute(first);
      try {
        await sql`insert into government_systems (owner_organization_id, name, purpose, business_area, network_type, involves_secrets,
          protection_scheme, mlps_level, user_count, status) values (${mnrIc}::uuid, '并发计数一', '测试', '测试', 'extranet', false, 'mlps', 1, 1, 'operating')`.execute(first);
        // A second writer of the same organization while the first holds its rows: it must not wait
        // (lock_timeout would fail it), though both fold the organization's rows.
        await db.transaction().execute(async (trx) => {
          await sql`set local lock_timeout = '2s'`.execute(trx);
          await sql`insert into government_systems (owner_organization_id, name, purpose, business_area, network_type, involves_secrets,
            protection_scheme, mlps_level, user_count, status) values (${mnrIc}::uuid, '并发计数二', '测试', '测试', 'isolated', false, 'mlps', 1, 1, 'under_construction')`.execute(trx);
        });
        await sql`commit`.execute(first);
      } catch (e) {
        await sql`rollback`.execute(first);
        throw e;
      }
    });
    // Both deltas are counted; the next write of the organization folds its rows into one again.
    await sql`update government_systems set status = 'retired' where name = '并发计数一'`.execute(db);
    await expectAllExact();
  });
});
