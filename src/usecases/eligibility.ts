// 运维经费资格 (第二十八条): for every system of the master catalog, eligible for O&M funding or not,
// with every reason; the list 财政部 reads (and NDRC, CAC, 国务院办公厅, auditors), filterable by
// department, region, eligibility, clause and network, paginated, exported to .xlsx; and the ban
// on rebuilding or expanding a system that may not be (mayRebuild).
//
// Two computations, one rule. The list filters and counts set-based in SQL (reasonConditions, over
// the per-system summary system_security_status kept by src/usecases/security-records.ts), so
// 300,000 systems are one indexed join per page; each row shown is then judged by the pure rule
// (omEligibility, src/domain/eligibility.ts) from the facts read from the records themselves,
// which gives the reasons their messages. test/db/eligibility.test.ts holds the two to the same
// codes on a generated set.
//
// I-51: the testing periods applied are the central rule settings (security.*): a system is no
// project, so no approval department's own settings apply to it. The list's rows are systems of
// the catalog, which by being there are listed (第二十八条(二) holds for them); a system a project
// declares but the catalog lacks is shown with (二) on the project's 安全与资源 tab.
// I-52: a system's go-live day (the start of its testing periods) is the earliest in_operation_on
// of the projects that built or upgraded it; a system in operation without such a record went
// live at the latest the day it was registered in the catalog (Asia/Shanghai).
import { sql, type RawBuilder } from 'kysely';
import { clauseOf, mayRebuild, omEligibility, type EligibilityClause, type EligibilityProblem, type SharingFinding, type SystemFundingFacts } from '../domain/eligibility.ts';
import { cryptoAssessmentMonths, periodicDue, securityPeriods, securityTestingMonths, type SecurityPeriods, type SecurityProfile } from '../domain/deadlines.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { RULES, type RuleKey } from '../domain/rules.ts';
import { provinceOf, type NetworkType, type SystemStatus } from '../domain/system-catalog.ts';
import { AppError } from '../errors.ts';
import { inSubtreeSql } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';
import { getProject } from './projects.ts';
import { getSystem } from './system-catalog.ts';

/** The central security.* settings in force (I-51). */
export async function centralSecurityPeriods(db: Executor): Promise<SecurityPeriods> {
  const rows = await sql<{ key: string; value: unknown }>`select distinct on (key) key, value from rule_settings
    where organization_id is null and key like 'security.%' order by key, seq desc`.execute(db);
  const values = new Map(rows.rows.map((r) => [r.key, r.value]));
  return securityPeriods((key: RuleKey) => (values.get(key) ?? RULES[key].defaultValue) as number);
}

/** I-52: the day the system `s` went live; null while it has not. */
const inOperationSql = sql<string | null>`coalesce(
  (select min(pc.in_operation_on) from government_system_projects l join project_construction pc on pc.project_id = l.project_id
    where l.system_id = s.id),
  case when s.status = 'operating' then (s.created_at at time zone 'Asia/Shanghai')::date end)`;

/** 第二十八条: the latest 孤网 exception decision of `s` is a grant. */
const standingGrantSql = sql<boolean>`coalesce((select e.decision = 'grant' from isolation_exceptions e
  where e.system_id = s.id order by e.seq desc limit 1), false)`;

/**
 * The conditions of each reason of `s` (with its summary `st`, its latest 孤网 decision `xg` and the
 * lateral facts `f`) on `today`: the SQL statement of omEligibility. Filters and counts read the
 * booleans (cheap, short-circuited over 300,000 rows); the page's rows read the codes.
 */
function reasonConditions(today: string) {
  const d = sql`${today}::date`;
  const due = (last: RawBuilder<unknown>, months: RawBuilder<unknown>) => sql`(${last} + make_interval(months => ${months}))::date`;
  const c = {
    notSharing: sql<boolean>`coalesce(st.open_not_sharing, 0) > 0`,
    duplicateCollection: sql<boolean>`coalesce(st.open_duplicate_collection, 0) > 0`,
    cryptoFailed: sql<boolean>`coalesce(st.last_crypto_passed = false, false)`,
    cryptoMissing: sql<boolean>`(f.crypto_months is not null and f.in_operation_on is not null and st.last_crypto_on is null and f.in_operation_on < ${d})`,
    cryptoOverdue: sql<boolean>`(f.crypto_months is not null and f.in_operation_on is not null and st.last_crypto_on is not null
      and ${due(sql`st.last_crypto_on`, sql`f.crypto_months`)} < ${d})`,
    testFailed: sql<boolean>`coalesce(st.last_test_passed = false, false)`,
    testOverdue: sql<boolean>`(f.test_months is not null and f.in_operation_on is not null
      and coalesce(${due(sql`st.last_test_on`, sql`f.test_months`)}, f.in_operation_on) < ${d})`,
    hazard: sql<boolean>`coalesce(st.open_hazards, 0) > 0`,
    isolated: sql<boolean>`(s.network_type = 'isolated' and not coalesce(xg.granted, false))`,
  };
  const any = (...xs: RawBuilder<boolean>[]) => sql<boolean>`(${sql.join(xs, sql` or `)})`;
  const clauses: Record<EligibilityClause, RawBuilder<boolean>> = {
    一: any(c.notSharing, c.duplicateCollection),
    // The catalog's rows are listed (I-51).
    二: sql<boolean>`false`,
    三: any(c.cryptoFailed, c.cryptoMissing, c.cryptoOverdue, c.testFailed, c.testOverdue, c.hazard),
    孤网: c.isolated,
  };
  // In omEligibility's order; a failed test or 密评 is the reason, not also its being overdue.
  const codes = sql<string[]>`array_remove(array[
    case when ${c.notSharing} then 'eligibility.not_sharing' end,
    case when ${c.duplicateCollection} then 'eligibility.duplicate_collection' end,
    case when ${c.cryptoFailed} then 'eligibility.crypto_failed' when ${c.cryptoMissing} then 'eligibility.crypto_missing'
         when ${c.cryptoOverdue} then 'eligibility.crypto_overdue' end,
    case when ${c.testFailed} then 'eligibility.security_test_failed' when ${c.testOverdue} then 'eligibility.security_test_overdue' end,
    case when ${c.hazard} then 'eligibility.major_hazard' end,
    case when ${c.isolated} then 'eligibility.isolated_without_exception' end
  ]::text[], null)`;
  return { ineligible: any(clauses.一, clauses.三, clauses.孤网), clauses, codes };
}

/** The periods of each profile (securityTestingMonths, cryptoAssessmentMonths) as SQL over `s`. */
function monthsSql(p: SecurityPeriods) {
  return {
    test: sql<number | null>`case when s.protection_scheme = 'classified' then ${p.classifiedTestingMonths}::int
      when s.mlps_level = 2 then ${p.mlpsTestingMonths[2]}::int when s.mlps_level = 3 then ${p.mlpsTestingMonths[3]}::int
      when s.mlps_level = 4 then ${p.mlpsTestingMonths[4]}::int when s.mlps_level = 5 then ${p.mlpsTestingMonths[5]}::int end`,
    crypto: sql<number | null>`case when s.protection_scheme = 'mlps' and s.mlps_level >= 3 then ${p.cryptoAssessmentMonths}::int end`,
  };
}

const ALL = { all: true, organizationIds: [], subtreeRootIds: [], selfUserId: null } as const;


export interface EligibilityFilter {
  /** The owner or one below it. */
  organizationId?: string | undefined;
  /** First two digits of the owner's 行政区划代码; '00' central. */
  province?: string | undefined;
  eligible?: boolean | undefined;
  /** Only systems with a reason under this clause. */
  clause?: EligibilityClause | undefined;
  networkType?: NetworkType | undefined;
  status?: SystemStatus | undefined;
  /** Name contains. */
  q?: string | undefined;
}

/**
 * The eligibility rows of the systems in `scope` matching `f`: a `with` part and a `from … where`
 * part, set-based for the national list (300,000 systems): the owners' effective 行政区划代码 once
 * per organization top-down (od), each system's go-live day (io, I-52) and latest 孤网 decision (xg)
 * as grouped hash joins rather than a subquery per row; the summary st on its primary key.
 */
function listSql(scope: Parameters<typeof scopePredicate>[0], f: EligibilityFilter, today: string, periods: SecurityPeriods) {
  const months = monthsSql(periods);
  const where: RawBuilder<boolean>[] = [scopePredicate(scope, 's.owner_organization_id')];
  if (f.organizationId) where.push(inSubtreeSql('s.owner_organization_id', f.organizationId));
  if (f.province) {
    where.push(f.province === '00'
      ? sql<boolean>`coalesce(od.division_code, '100000') = '100000'`
      : sql<boolean>`substr(od.division_code, 1, 2) = ${f.province} and od.division_code <> '100000'`);
  }
  if (f.networkType) where.push(sql<boolean>`s.network_type = ${f.networkType}`);
  if (f.status) where.push(sql<boolean>`s.status = ${f.status}`);
  if (f.q) where.push(sql<boolean>`s.name ilike ${`%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`}`);
  const reasons = reasonConditions(today);
  if (f.eligible !== undefined) where.push(f.eligible ? sql<boolean>`not ${reasons.ineligible}` : reasons.ineligible);
  if (f.clause) where.push(reasons.clauses[f.clause]);
  const withPart = sql`with recursive od(id, division_code, depth) as (
      select id, division_code, 0 from organizations where parent_id is null
      union all select o.id, coalesce(o.division_code, od.division_code), od.depth + 1 from organizations o join od on o.parent_id = od.id
        where od.depth < 100),
    io as (select l.system_id, min(pc.in_operation_on) as in_operation_on from government_system_projects l
      join project_construction pc on pc.project_id = l.project_id where pc.in_operation_on is not null group by l.system_id),
    xg as (select distinct on (x.system_id) x.system_id, x.decision = 'grant' as granted from isolation_exceptions x order by x.system_id, x.seq desc)`;
  const from = sql`from government_systems s
    join organizations o on o.id = s.owner_organization_id
    left join od on od.id = s.owner_organization_id
    left join system_security_status st on st.system_id = s.id
    left join io on io.system_id = s.id
    left join xg on xg.system_id = s.id
    cross join lateral (select coalesce(io.in_operation_on,
        case when s.status = 'operating' then (s.created_at at time zone 'Asia/Shanghai')::date end) as in_operation_on,
      ${months.test} as test_months, ${months.crypto} as crypto_months) f
    where ${sql.join(where, sql` and `)}`;
  return { with: withPart, from, codes: reasons.codes, ineligible: reasons.ineligible };
}

interface ListRow {
  id: string;
  name: string;
  owner_organization_id: string;
  owner_name: string;
  division_code: string | null;
  network_type: NetworkType;
  status: SystemStatus;
  protection_scheme: 'mlps' | 'classified';
  mlps_level: number | null;
  codes: string[];
}

/** One reason or warning as the API shows it. */
export interface EligibilityReason {
  code: string;
  clause: EligibilityClause | null;
  article: string;
  message: { zh: string; en: string };
  params: Record<string, string>;
}

/** A system's eligibility as the list and the system page show it. */
export interface SystemEligibility {
  systemId: string;
  name: string;
  ownerOrganizationId: string;
  ownerOrganizationName: string;
  province: { code: string; name: { zh: string; en: string } };
  networkType: NetworkType;
  status: SystemStatus;
  security: { scheme: 'mlps' | 'classified'; mlpsLevel: number | null };
  inOperationOn: string | null;
  eligible: boolean;
  /** Each reason under its clause of 第二十八条. */
  reasons: EligibilityReason[];
  /** Shown, deciding nothing (I-20 leads, I-40). */
  warnings: EligibilityReason[];
  /** 第二十八条, I-21, I-42: whether it may be rebuilt or expanded. */
  mayRebuild: boolean;
  /** The dates the next test and 密评 are due (periodicDue), when periodic. */
  nextSecurityTestDue: string | null;
  nextCryptoAssessmentDue: string | null;
}

const presentReason = (p: EligibilityProblem): EligibilityReason => ({
  code: p.code, clause: clauseOf(p.code), article: p.article, message: p.message, params: { ...(p.params ?? {}) } as Record<string, string>,
});

interface FactsRow {
  id: string;
  network_type: NetworkType;
  protection_scheme: 'mlps' | 'classified';
  mlps_level: number | null;
  in_operation_on: string | null;
  standing: boolean;
  test_on: string | null;
  test_passed: boolean | null;
  crypto_on: string | null;
  crypto_passed: boolean | null;
  hazards: number;
}

/**
 * The facts of omEligibility for each system, read from the records and findings themselves (not
 * from the summary the list filters on, so the agreement test checks both).
 */
export async function fundingFacts(db: Executor, systemIds: readonly string[]): Promise<Map<string, SystemFundingFacts>> {
  if (systemIds.length === 0) return new Map();
  const rows = (await sql<FactsRow>`select s.id, s.network_type, s.protection_scheme, s.mlps_level,
      ${inOperationSql}::text as in_operation_on, ${standingGrantSql} as standing,
      t.occurred_on::text as test_on, t.passed as test_passed, c.occurred_on::text as crypto_on, c.passed as crypto_passed,
      (select count(*)::int from security_records h where h.system_id = s.id and h.kind = 'hazard' and h.resolved_on is null) as hazards
    from government_systems s
    left join lateral (select occurred_on, passed from security_records where system_id = s.id and kind = 'securityTest'
      order by occurred_on desc, seq desc limit 1) t on true
    left join lateral (select occurred_on, passed from security_records where system_id = s.id and kind = 'cryptoAssessment'
      order by occurred_on desc, seq desc limit 1) c on true
    where s.id = any(${[...systemIds]}::uuid[])`.execute(db)).rows;
  const findings = await db.selectFrom('sharing_findings as f').innerJoin('organizations as o', 'o.id', 'f.organization_id')
    .select(['f.system_id', 'f.kind', 'f.reference', 'f.resolved_on', 'o.name']).where('f.system_id', 'in', [...systemIds]).orderBy('f.seq').execute();
  const out = new Map<string, SystemFundingFacts>();
  for (const r of rows) {
    const security: SecurityProfile = r.protection_scheme === 'classified'
      ? { scheme: 'classified' } : { scheme: 'mlps', level: r.mlps_level as 1 | 2 | 3 | 4 | 5 };
    out.set(r.id, {
      findings: findings.filter((f) => f.system_id === r.id).map((f): SharingFinding => ({
        kind: f.kind, confirmedBy: f.name, resolved: f.resolved_on !== null, reference: f.reference,
      })),
      // Similarity hits are leads shown by 重复采集 (duplicate-collection.ts), never reasons (I-20).
      duplicateCollectionHits: 0,
      inMasterCatalog: true,
      catalogConfirmationStale: false,
      security,
      inOperationOn: r.in_operation_on,
      lastSecurityTest: r.test_on === null ? null : { on: r.test_on, passed: r.test_passed! },
      lastCryptoAssessment: r.crypto_on === null ? null : { on: r.crypto_on, passed: r.crypto_passed! },
      unresolvedMajorHazards: r.hazards,
      networkType: r.network_type,
      hasIsolationException: r.standing,
    });
  }
  return out;
}

function judge(row: ListRow, facts: SystemFundingFacts, today: string, periods: SecurityPeriods): SystemEligibility {
  const result = omEligibility(facts, today, periods);
  const next = (last: string | null, months: number | null) =>
    (facts.inOperationOn === null ? null : periodicDue(last, facts.inOperationOn, months));
  return {
    systemId: row.id, name: row.name, ownerOrganizationId: row.owner_organization_id, ownerOrganizationName: row.owner_name,
    province: provinceOf(row.division_code), networkType: row.network_type, status: row.status,
    security: { scheme: row.protection_scheme, mlpsLevel: row.mlps_level }, inOperationOn: facts.inOperationOn,
    eligible: result.eligible, reasons: result.reasons.map(presentReason), warnings: result.warnings.map(presentReason),
    mayRebuild: mayRebuild(facts, today, periods).allowed,
    nextSecurityTestDue: next(facts.lastSecurityTest?.on ?? null, securityTestingMonths(facts.security, periods)),
    nextCryptoAssessmentDue: next(facts.lastCryptoAssessment?.on ?? null, cryptoAssessmentMonths(facts.security, periods)),
  };
}

const selectColumns = (codes: RawBuilder<string[]>) => sql`select s.id, s.name, s.owner_organization_id, o.name as owner_name, od.division_code,
  s.network_type, s.status, s.protection_scheme, s.mlps_level, ${codes} as codes`;

async function judgeRows(db: Executor, rows: ListRow[], today: string, periods: SecurityPeriods): Promise<SystemEligibility[]> {
  const facts = await fundingFacts(db, rows.map((r) => r.id));
  return rows.map((r) => judge(r, facts.get(r.id)!, today, periods));
}

/**
 * 第二十八条: a page of the systems in the caller's eligibility:read scope with their eligibility,
 * by owner then name; `counts` are over the whole filtered set.
 */
export async function listEligibility(services: Services, actor: Actor, f: EligibilityFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'eligibility:read');
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const periods = await centralSecurityPeriods(db);
  const { with: w, from, codes, ineligible } = listSql(scope, f, today, periods);
  const [rows, count] = await Promise.all([
    sql<ListRow>`${w} ${selectColumns(codes)} ${from} order by o.name, s.name, s.id limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db),
    sql<{ n: number; eligible: number }>`${w} select count(*)::int as n, count(*) filter (where not ${ineligible})::int as eligible ${from}`.execute(db),
  ]);
  return {
    items: await judgeRows(db, rows.rows, today, periods), total: count.rows[0]!.n,
    counts: { eligible: count.rows[0]!.eligible, ineligible: count.rows[0]!.n - count.rows[0]!.eligible }, today,
  };
}

/** Every matching system in keyset batches (the list's order), for the streamed export. */
export async function* iterateEligibility(services: Services, actor: Actor, f: EligibilityFilter, batch = 500): AsyncGenerator<SystemEligibility[]> {
  const scope = requireAccess(actor, 'eligibility:read');
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const periods = await centralSecurityPeriods(db);
  const { with: w, from, codes } = listSql(scope, f, today, periods);
  let after: ListRow | null = null;
  for (;;) {
    const keyset: RawBuilder<unknown> = after === null ? sql`` : sql`and (o.name, s.name, s.id) > (${after.owner_name}, ${after.name}, ${after.id}::uuid)`;
    const rows: ListRow[] = (await sql<ListRow>`${w} ${selectColumns(codes)} ${from} ${keyset} order by o.name, s.name, s.id limit ${batch}`.execute(db)).rows;
    if (rows.length === 0) return;
    yield await judgeRows(db, rows, today, periods);
    after = rows[rows.length - 1]!;
  }
}

/**
 * The reason codes the SQL gives each system (distinct, in rule order) — the list's filter
 * semantics, exposed for the agreement test and for operators checking a system.
 */
export async function sqlReasonCodes(db: Executor, systemIds: readonly string[], today: string, periods: SecurityPeriods): Promise<Map<string, string[]>> {
  const { with: w, from, codes } = listSql(ALL, {}, today, periods);
  const rows = (await sql<{ id: string; codes: string[] }>`${w} select s.id, ${codes} as codes ${from} and s.id = any(${[...systemIds]}::uuid[])`.execute(db)).rows;
  return new Map(rows.map((r) => [r.id, r.codes]));
}

/** One system's eligibility (catalog:read over its owner: the department sees its own). */
export async function getSystemEligibility(services: Services, actor: Actor, systemId: string): Promise<SystemEligibility> {
  await getSystem(services, actor, systemId);
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const periods = await centralSecurityPeriods(db);
  const { with: w, from, codes } = listSql(ALL, {}, today, periods);
  const rows = (await sql<ListRow>`${w} ${selectColumns(codes)} ${from} and s.id = ${systemId}::uuid`.execute(db)).rows;
  return (await judgeRows(db, rows, today, periods))[0]!;
}

/**
 * 第二十八条 (一)(三), I-21, I-42: refuses (422, every reason) linking a system as upgraded by a
 * 改建 or 扩建 project when the system may not be rebuilt or expanded. `systemId` null: a system
 * being registered, judged on what it declares (no records yet: only 孤网 can block it).
 */
export async function assertMayRebuild(
  trx: Tx, now: Date, systemId: string | null, networkType: NetworkType, profile: SecurityProfile, newUpgradeProjectIds: readonly string[],
): Promise<void> {
  if (newUpgradeProjectIds.length === 0) return;
  const rebuilds = await trx.selectFrom('projects').select('id').where('id', 'in', [...newUpgradeProjectIds])
    .where('kind', 'in', ['rebuild', 'expansion']).execute();
  if (rebuilds.length === 0) return;
  const today = shanghaiDate(now);
  const periods = await centralSecurityPeriods(trx);
  const stored = systemId === null ? undefined : (await fundingFacts(trx, [systemId])).get(systemId);
  const facts: SystemFundingFacts = {
    ...(stored ?? {
      findings: [], duplicateCollectionHits: 0, inMasterCatalog: true, catalogConfirmationStale: false, inOperationOn: null,
      lastSecurityTest: null, lastCryptoAssessment: null, unresolvedMajorHazards: 0, hasIsolationException: false,
    }),
    // Judged as the system will read after this change.
    networkType, security: profile,
  };
  const check = mayRebuild(facts, today, periods);
  if (!check.allowed) throw new AppError('eligibility.rebuild_blocked', { params: { count: check.reasons.length }, problems: check.reasons });
}

/** A project's upgraded systems and whether each may be rebuilt (the 改建/扩建 check, exposed). */
export async function projectRebuildCheck(services: Services, actor: Actor, projectId: string) {
  const project = await getProject(services, actor, projectId);
  const db = services.database.db;
  const links = await db.selectFrom('government_system_projects').select('system_id').where('project_id', '=', projectId)
    .where('relation', '=', 'upgrade').execute();
  const today = shanghaiDate(services.now());
  const periods = await centralSecurityPeriods(db);
  const facts = await fundingFacts(db, links.map((l) => l.system_id));
  const names = new Map((links.length === 0 ? [] : await db.selectFrom('government_systems').select(['id', 'name'])
    .where('id', 'in', links.map((l) => l.system_id)).execute()).map((s) => [s.id, s.name]));
  return {
    appliesTo: project.kind === 'rebuild' || project.kind === 'expansion',
    systems: links.map((l) => {
      const check = mayRebuild(facts.get(l.system_id)!, today, periods);
      return { systemId: l.system_id, name: names.get(l.system_id) ?? '', allowed: check.allowed, reasons: check.reasons.map(presentReason) };
    }),
  };
}
