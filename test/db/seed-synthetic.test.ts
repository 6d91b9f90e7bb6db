// `govproj seed --synthetic N` on both databases: every project a declared lifecycle state
// (第七条, 第九条), plan links only to the national plan (第六条), valid identifiers (SPEC §14),
// exact amounts, unique codes across runs, the same portfolio from the same seed, and an audit
// log that still verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { isDivisionCode, isUniformSocialCreditCode } from '../../src/domain/identifiers.ts';
import { isLifecycleState } from '../../src/domain/lifecycle.ts';
import { parseWan, wanDecimals } from '../../src/domain/money.ts';
import { hasPlatformCheckDigit } from '../../src/domain/project-code.ts';
import { syntheticOrganizations } from '../../src/domain/synthetic-portfolio.ts';
import type { Actor } from '../../src/usecases/actor.ts';
import { listProjects } from '../../src/usecases/projects.ts';
import { SYNTHETIC_IMPORT_USERNAME, seedSynthetic } from '../../src/usecases/seed-synthetic.ts';
import { openTestDatabase, testServices, TEST_DB_KIND, TEST_MASTER_KEY, type TestDatabase } from '../support/db.ts';
import { removeDir, runCli, tempDir } from '../support/server-process.ts';

const N = 300;
const SEED = 'synthetic-test';
const AS_OF = new Date('2026-11-26T08:00:00Z');

let t: TestDatabase;
let services: ReturnType<typeof testServices>;

beforeAll(async () => {
  t = await openTestDatabase();
  services = testServices(t.database);
  await seedSynthetic(services, { count: N, seed: SEED, batchSize: 100, asOf: AS_OF });
});
afterAll(async () => t.drop());

type Row = {
  id: string; code: string; name: string; track: string; stage: string; status: string; kind: string; plan_task_id: string | null;
  total: string; om: string; construction_start: string; construction_end: string; cross_department: boolean;
  lead_organization_id: string | null; construction_unit_id: string; division: string | null; urgent: unknown;
  performance_indicators: unknown; systems: unknown; protection_scheme: string; mlps_level: number | null; involves_secrets: boolean;
  created_at: Date;
};
async function syntheticProjects(db = t.database.db): Promise<Row[]> {
  const r = await sql<Row>`
    select p.id, p.code, p.name, p.track, p.stage, p.status, p.kind, p.plan_task_id, p.total_investment::text as total,
      p.o_and_m_funds::text as om, p.construction_start, p.construction_end, p.cross_department, p.lead_organization_id,
      p.construction_unit_id, u.division_code as division, p.urgent, p.performance_indicators, p.systems, p.protection_scheme,
      p.mlps_level, p.involves_secrets, p.created_at
    from projects p join organizations u on u.id = p.construction_unit_id join users c on c.id = p.created_by
    where c.username = ${SYNTHETIC_IMPORT_USERNAME} order by p.code`.execute(db);
  return r.rows;
}

describe('synthetic portfolio (govproj seed --synthetic)', () => {
  it('第七条/第九条: every project is in a declared lifecycle state, across tracks, stages and years 2019–2026', async () => {
    const rows = await syntheticProjects();
    expect(rows).toHaveLength(N);
    for (const r of rows) expect(isLifecycleState({ track: r.track, stage: r.stage, status: r.status }), `${r.code} ${r.stage}.${r.status}`).toBe(true);
    const tracks = new Set(rows.map((r) => r.track));
    expect(tracks).toEqual(new Set(['approval', 'filing']));
    expect(new Set(rows.map((r) => r.stage)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.status)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((r) => r.kind)).size).toBe(4);
    const years = new Set(rows.map((r) => Number(r.construction_start.slice(0, 4))));
    expect([...years].every((y) => y >= 2019 && y <= 2026)).toBe(true);
    expect(years.size).toBe(8);
    for (const r of rows) {
      expect(r.construction_end >= r.construction_start).toBe(true);
      expect(r.created_at.getTime()).toBeLessThanOrEqual(AS_OF.getTime());
      // 第七条第三款: only the urgent combined path carries a declaration, and it is complete.
      expect(r.urgent !== null).toBe(r.stage === 'combinedStage');
      if (r.urgent) expect(r.urgent).toMatchObject({ situationUrgent: true, preparationAdequate: true, justification: expect.any(String) });
      expect(r.involves_secrets).toBe(r.protection_scheme === 'classified');
      expect(r.mlps_level === null).toBe(r.involves_secrets);
    }
  });

  it('第六条: plan links point at current tasks of the approved national plan, and such projects never start at the proposal (第七条)', async () => {
    const rows = await syntheticProjects();
    const linked = rows.filter((r) => r.plan_task_id !== null);
    expect(linked.length).toBeGreaterThan(N / 10);
    const national = new Set((await sql<{ id: string }>`select t.id from plan_tasks t join plans p on p.id = t.plan_id
      where p.level = 'national' and p.status = 'approved' and t.withdrawn_in_version is null`.execute(t.database.db)).rows.map((x) => x.id));
    for (const r of linked) {
      expect(national.has(r.plan_task_id!)).toBe(true);
      expect(r.stage).not.toBe('proposal');
    }
  });

  it('§14: 项目代码 are unique and carry the platform check digit, the unit\'s 行政区划 and the track; organizations have valid 统一社会信用代码', async () => {
    const rows = await syntheticProjects();
    expect(new Set(rows.map((r) => r.code)).size).toBe(N);
    for (const r of rows) {
      expect(hasPlatformCheckDigit(r.code), r.code).toBe(true);
      const [, division, , type] = r.code.split('-');
      expect(division).toBe(r.division?.trim() ?? '000000');
      expect(type).toBe(r.track === 'approval' ? '01' : '03');
    }
    const orgs = await t.database.db.selectFrom('organizations').select(['credit_code', 'division_code', 'name'])
      .where('name', 'in', syntheticOrganizations().map((o) => o.name)).execute();
    expect(orgs.length).toBe(syntheticOrganizations().length);
    for (const o of orgs) {
      expect(isUniformSocialCreditCode(o.credit_code), o.name).toBe(true);
      if (o.division_code !== null) expect(isDivisionCode(o.division_code.trim()), o.name).toBe(true);
    }
  });

  it('amounts are exact two-place decimals in 万元 between 50 and 200,000', async () => {
    for (const r of await syntheticProjects()) {
      // NUMERIC(20,6) as text: two places, then zeros.
      expect(r.total, r.code).toMatch(/^\d+\.\d{2}0000$/);
      const total = parseWan(r.total)!;
      expect(total >= parseWan('50')! && total <= parseWan('200000')!, r.total).toBe(true);
      expect(wanDecimals(r.om.replace(/0000$/, ''))).toBe(2);
      expect(parseWan(r.om)! <= total).toBe(true);
    }
  });

  it('第十条: cross-department projects are led by their unit and have other participants', async () => {
    const rows = (await syntheticProjects()).filter((r) => r.cross_department);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.lead_organization_id).toBe(r.construction_unit_id);
      const pp = await t.database.db.selectFrom('project_participants').select('organization_id').where('project_id', '=', r.id).execute();
      expect(pp.length).toBeGreaterThanOrEqual(1);
      expect(pp.map((p) => p.organization_id)).not.toContain(r.construction_unit_id);
    }
  });

  it('the projects read back through listProjects as the API presents them, and the year filter counts by construction year', async () => {
    const ndrc: Actor = {
      userId: '00000000-0000-0000-0000-000000000001', username: 'ndrc', displayName: 'ndrc', organizationIds: [],
      roles: [{ role: 'ndrc', customOrganizationIds: [] }], sessionId: null, requestId: null, clientAddress: null,
    };
    const all = await listProjects(services, ndrc, {}, 1, 200);
    expect(all.total).toBeGreaterThanOrEqual(N);
    for (const p of all.items) {
      expect(Array.isArray(p.performanceIndicators)).toBe(true);
      for (const i of p.performanceIndicators) expect(i).toMatchObject({ indicator: expect.any(String), baseline: expect.stringMatching(/^\d+(\.\d+)?$/), targets: expect.any(Array) });
    }
    for (const year of [2019, 2024, 2026]) {
      const expected = await sql<{ n: string }>`select count(*) as n from projects where extract(year from construction_start) = ${year}`.execute(t.database.db);
      const page = await listProjects(services, ndrc, { year, minInvestment: '0' }, 1, 5);
      expect(page.total).toBe(Number(expected.rows[0]!.n));
      for (const p of page.items) expect(p.constructionStart.startsWith(String(year))).toBe(true);
    }
  });

  it('another run adds N more with new unique codes, reusing the organizations; the audit log verifies (one seed.synthetic event per batch)', async () => {
    const orgsBefore = await t.database.db.selectFrom('organizations').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const again = await seedSynthetic(services, { count: 150, seed: SEED, batchSize: 100, asOf: AS_OF });
    expect(again).toMatchObject({ created: 150, batches: 2, organizationsCreated: 0, demo: null });
    const orgsAfter = await t.database.db.selectFrom('organizations').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(orgsAfter.n).toBe(orgsBefore.n);
    const rows = await syntheticProjects();
    expect(rows).toHaveLength(N + 150);
    expect(new Set(rows.map((r) => r.code)).size).toBe(N + 150);
    const events = await sql<{ chain_id: string; n: string }>`select chain_id, count(*) as n from audit_events where action = 'seed.synthetic'
      group by chain_id order by min(id)`.execute(t.database.db);
    expect(events.rows.map((e) => Number(e.n))).toEqual([3, 2]);
    const report = await verifyAuditLog(t.database.db, services.keys.checkpoint.publicKey);
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('intact');
  });

  it('the same seed gives the same portfolio (names and codes) on a fresh database', async () => {
    const other = await openTestDatabase();
    try {
      await seedSynthetic(testServices(other.database), { count: N, seed: SEED, batchSize: 100, asOf: AS_OF });
      // Every project of the fresh run is the first run's project of the same code and name.
      const firstRun = new Map((await syntheticProjects()).map((r) => [r.code, r.name]));
      const fresh = await syntheticProjects(other.database.db);
      expect(fresh).toHaveLength(N);
      for (const r of fresh) expect(firstRun.get(r.code), r.code).toBe(r.name);
      // Another seed, another portfolio.
      await seedSynthetic(testServices(other.database), { count: 20, seed: 'another seed', asOf: AS_OF });
      const added = (await syntheticProjects(other.database.db)).filter((r) => !fresh.some((f) => f.code === r.code));
      expect(added).toHaveLength(20);
      expect(added.filter((r) => firstRun.get(r.code) === r.name).length).toBeLessThan(20);
    } finally {
      await other.drop();
    }
  });

  it('govproj seed --synthetic N through the CLI prints progress and the elapsed time', async () => {
    const dataDir = tempDir('govproj-synthetic-');
    try {
      const r = await runCli({ dataDir, masterKey: TEST_MASTER_KEY, databaseUrl: TEST_DB_KIND === 'postgresql' ? t.url! : undefined },
        ['seed', '--synthetic', '40', '--seed', 'cli'], 110_000);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/40 \/ 40 projects/);
      expect(r.stdout).toMatch(/added 40 synthetic projects in 1 batches .* in \d+\.\d s/);
      const bad = await runCli({ dataDir, masterKey: TEST_MASTER_KEY }, ['seed', '--synthetic', 'many']);
      expect(bad.code).toBe(2);
    } finally {
      removeDir(dataDir);
    }
  }, 120_000);
});
