// The deadline engine (第十四条, 第十五条, 第二十条, 第二十五条, 第二十七条; SPEC §11): a set-based SQL
// sweep computes every obligation of every project and system into `obligations` in one
// statement (INSERT … SELECT … ON CONFLICT DO UPDATE, plus the delete of obligations that no longer
// apply, as data-modifying CTEs of the same statement), then claims today's reminders in one more
// statement that also writes the in-app notifications and queues the emails.
//
// The SQL is the pure rules of deadlines.ts restated: `date + make_interval(months => n)` clamps to
// the month's last day exactly as addMonths does (2026-08-31 + 6 months = 2027-02-28), and
// test/db/obligations.test.ts checks the two agree over generated cases on both engines.
//
// When it runs: daily as the job `obligations.sweep` (08:00 Asia/Shanghai), and for one project by
// `sweepProject(trx, services, projectId)`, which a use case that changes the dates a project's
// obligations hang on (completion, acceptance, go-live, an annual report, a test record) calls in
// its own transaction, so the calendar is right the moment that change commits.
import { sql, type RawBuilder } from 'kysely';
import { appendAuditEvent } from '../audit/writer.ts';
import { OBLIGATION_KIND_NAMES, OBLIGATION_KINDS, OVERDUE_REMINDER_EVERY_DAYS, type ObligationRules } from '../domain/obligations.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { ruleInForce, type RuleKey, type RuleRow } from '../domain/rules.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { resolveAccess } from '../domain/authz.ts';
import { daysBetween } from '../domain/worklist.ts';
import { inSubtreeSql } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import { auditActorFor, requireAccess, systemActor, type Actor } from './actor.ts';
import { visible } from './projects.ts';
import { ruleVersions } from './rule-settings.ts';

// ---------------------------------------------------------------------------------------------
// The settings of every organization on a day

/** The settings columns of the sweep, by the rule key each comes from. */
const SETTING_COLUMNS = {
  am: 'acceptance.applicationMonths', ss: 'selfEvaluation.windowStartMonths', se: 'selfEvaluation.windowEndMonths',
  md: 'annualReport.dueMonthDay', rd: 'obligation.remindDays',
  l2: 'security.mlpsTestingMonths.level2', l3: 'security.mlpsTestingMonths.level3', l4: 'security.mlpsTestingMonths.level4',
  l5: 'security.mlpsTestingMonths.level5', cl: 'security.classifiedTestingMonths', cr: 'security.cryptoAssessmentMonths',
} as const satisfies Record<string, RuleKey>;
type SettingColumn = keyof typeof SETTING_COLUMNS;
type SettingsRow = { org: string | null } & Record<SettingColumn, number | string>;

/** Settings of one organization as the pure rules take them. */
export function obligationRulesOf(row: Record<SettingColumn, number | string>): ObligationRules {
  const n = (c: SettingColumn) => Number(row[c]);
  return {
    acceptanceMonths: n('am'), selfEvaluationStartMonths: n('ss'), selfEvaluationEndMonths: n('se'),
    annualReportDueMonthDay: String(row.md), remindDays: n('rd'),
    security: { mlpsTestingMonths: { 2: n('l2'), 3: n('l3'), 4: n('l4'), 5: n('l5') }, classifiedTestingMonths: n('cl'), cryptoAssessmentMonths: n('cr') },
  };
}

/**
 * 第三十四条: the settings in force on `on` — one row for the central values (org null) and one for
 * every organization whose own settings (or an ancestor's) differ from them — resolved by
 * `ruleInForce`, the same function every other use of the settings goes through.
 */
export async function sweepSettings(db: Executor, on: string): Promise<SettingsRow[]> {
  const rows: RuleRow[] = await ruleVersions(db);
  const resolve = (path: readonly string[]): Record<SettingColumn, number | string> => {
    const out = {} as Record<SettingColumn, number | string>;
    for (const [column, key] of Object.entries(SETTING_COLUMNS) as Array<[SettingColumn, RuleKey]>) {
      out[column] = ruleInForce(key, rows, path, on).value as number | string;
    }
    return out;
  };
  const central = resolve([]);
  const overridden = new Set(rows.filter((r) => r.organizationId !== null).map((r) => r.organizationId!));
  const result: SettingsRow[] = [{ org: null, ...central }];
  if (overridden.size === 0) return result;
  // Every organization under an overriding one: its path to the root, from one read of the tree.
  const tree = (await db.selectFrom('organizations').select(['id', 'parent_id']).execute());
  const parent = new Map(tree.map((o) => [o.id, o.parent_id]));
  for (const o of tree) {
    const path: string[] = [];
    for (let id: string | null | undefined = o.id; id && path.length < 100; id = parent.get(id)) path.push(id);
    if (!path.some((id) => overridden.has(id))) continue;
    const own = resolve(path);
    if ((Object.keys(SETTING_COLUMNS) as SettingColumn[]).some((c) => own[c] !== central[c])) result.push({ org: o.id, ...own });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The sweep

/** Which subjects a sweep covers: everything (incremental or full), one project and the systems it built or upgraded, or one system. */
export type SweepScope = { kind: 'all' } | { kind: 'full' } | { kind: 'project'; projectId: string } | { kind: 'system'; systemId: string };

export interface SweepCounts {
  day: string;
  /** Whether every subject was recomputed ('full') or only those whose inputs or calendar moved ('incremental'). */
  mode: 'full' | 'incremental' | 'project' | 'system';
  /** Subjects recomputed (inputs changed, a status boundary reached, or all of them in a full sweep). */
  recomputed: number;
  /** Obligations written (new or changed) and removed (no longer owed, e.g. a completion undone). */
  inserted: number;
  updated: number;
  deleted: number;
  /** Rows of obligation_subjects written or removed (inputs, next boundary). */
  subjectsWritten: number;
}

const col = (c: SettingColumn) => sql.raw(`coalesce(o.${c}, c.${c}) as ${c}`);
const settingsSelect = sql.join((Object.keys(SETTING_COLUMNS) as SettingColumn[]).map(col));

/**
 * The one statement that computes the obligations of the subjects in `scope` on `today` and writes
 * the changes. I-57: a project is in construction once approved (approval track) or filed (filing
 * track); a system owes periodic tests while in operation, counted from the go-live of the project
 * that built it, else from the day it was listed in the catalog, until a test is on record, then
 * from the last test (第十四条) or 密评 (第十五条) on record.
 *
 * Incremental (scope 'all'): the subjects recomputed (tp, ts) are those marked in obligation_dirty
 * by the triggers of migration 20261127T0250 (their inputs changed), those whose next calendar
 * boundary has come (obligation_subjects.next_change_on, an index range), those written for a later
 * day (a clock set back), on the first sweep of a year the projects still in construction (one
 * more annual report each), and the systems of a project whose inputs changed (its go-live dates count
 * for the systems it built). 'full' recomputes every subject; the two give the same table
 * (test/db/obligations.test.ts).
 *
 * The obligations already stored for the subjects recomputed are read once (`ex`) and compared with
 * the computed ones both ways: new or changed rows go to the upsert, rows no longer owed to the
 * delete. Joining the whole table twice instead (once per direction) sorted all of it twice on
 * every run (docs/benchmarks.md, "Compliance sweep").
 */
function sweepStatement(scope: SweepScope, today: string, now: Date, settings: SettingsRow[], newYear = false): RawBuilder<{ recomputed: string; inserted: string; updated: string; deleted: string; subjects: string }> {
  const t = sql`${today}::date`;
  const full = scope.kind === 'full';
  const tp = scope.kind === 'project' ? sql`select ${scope.projectId}::uuid as id`
    : scope.kind === 'all' ? sql`select d.subject_id as id from dirty d where d.subject_type = 'project'
        union select os.subject_id from obligation_subjects os where os.subject_type = 'project' and os.next_change_on <= ${t}
        union select os.subject_id from obligation_subjects os where os.subject_type = 'project' and os.swept_on > ${t}
        ${newYear ? sql`union select p.id from projects p left join project_construction pc on pc.project_id = p.id
          where ((p.track = 'approval' and p.status = 'approved') or (p.track = 'filing' and p.status = 'filed')) and pc.completed_on is null` : sql``}`
    : sql`select null::uuid as id where false`;
  const ts = scope.kind === 'project' ? sql`select gp.system_id as id from government_system_projects gp where gp.project_id = ${scope.projectId}::uuid`
    : scope.kind === 'system' ? sql`select ${scope.systemId}::uuid as id`
    : scope.kind === 'all' ? sql`select d.subject_id as id from dirty d where d.subject_type = 'system'
        union select os.subject_id from obligation_subjects os where os.subject_type = 'system' and os.next_change_on <= ${t}
        union select os.subject_id from obligation_subjects os where os.subject_type = 'system' and os.swept_on > ${t}
        union select gp.system_id from government_system_projects gp where gp.project_id in (select d.subject_id from dirty d where d.subject_type = 'project')`
    : sql`select null::uuid as id where false`;
  // A few subjects: driven from their ids by primary key; all of them: scans and hash joins.
  const fromProjects = full ? sql`projects p` : sql`tp join projects p on p.id = tp.id`;
  const fromSystems = full ? sql`government_systems s` : sql`ts join government_systems s on s.id = ts.id`;
  const built = full
    ? sql`left join (select gp.system_id, max(pc.in_operation_on) as in_operation_on
        from government_system_projects gp join project_construction pc on pc.project_id = gp.project_id
        where gp.relation = 'new' and pc.in_operation_on is not null group by gp.system_id) b on b.system_id = s.id`
    : sql`left join lateral (select max(pc.in_operation_on) as in_operation_on from government_system_projects gp
        join project_construction pc on pc.project_id = gp.project_id where gp.system_id = s.id and gp.relation = 'new') b on true`;
  // An index lookup per subject: the planner cannot know how few subjects tp and ts hold and
  // otherwise hashes the whole table (`offset 0` keeps the lateral from being flattened into a join).
  const stored = full ? sql`obligations ob`
    : sql`(select id from tp union select id from ts) sc cross join lateral (select * from obligations o where o.subject_id = sc.id offset 0) ob`;
  const storedSubjects = full ? sql`obligation_subjects` : sql`(select * from obligation_subjects os where os.subject_id in (select id from tp union all select id from ts))`;
  // The marks read (all scope only): removed at the end unless re-marked meanwhile (seq moved).
  const dirty = scope.kind === 'all' ? sql`select subject_id, subject_type, seq from obligation_dirty` : sql`select null::uuid as subject_id, null::text as subject_type, null::bigint as seq where false`;
  return sql`
    with st as (
      select * from jsonb_to_recordset(${JSON.stringify(settings)}::jsonb)
        as x(org uuid, am int, ss int, se int, md text, rd int, l2 int, l3 int, l4 int, l5 int, cl int, cr int)
    ),
    c as (select * from st where org is null),
    dirty as materialized (${dirty}),
    tp as materialized (${tp}),
    ts as materialized (${ts}),
    p as materialized (
      -- 第二十条 (I-47): construction counts from the later of the decision and the planned start.
      -- 第二十五条: due at completion + months or by the latest approved extension (I-3); discharged by
      -- the latest application unless it failed (I-54), with none on record by the acceptance (I-57).
      -- 第二十七条: the first self-evaluation. 第二十一条: the rectification orders (read below).
      select p.id, p.construction_unit_id as org_id, p.approval_department_id as dept_id,
        greatest(p.construction_start, (d.created_at at time zone 'Asia/Shanghai')::date) as started,
        pc.completed_on, pc.accepted_on, pc.in_operation_on, ext.proposed_due_on as ext_due,
        coalesce(case when app.result is distinct from 'fail' then app.applied_on end, pc.accepted_on) as applied_on,
        sev.submitted_on as se_on, ${settingsSelect}
      from ${fromProjects}
      left join project_construction pc on pc.project_id = p.id
      left join lateral (select a.created_at from project_actions a where a.project_id = p.id and a.to_status in ('approved', 'filed')
        order by a.seq desc limit 1) d on true
      left join lateral (select e.proposed_due_on from acceptance_extensions e where e.project_id = p.id and e.decision = 'approved'
        order by e.seq desc limit 1) ext on true
      left join lateral (select (a.submitted_at at time zone 'Asia/Shanghai')::date as applied_on, ad.result
        from acceptance_applications a left join acceptance_decisions ad on ad.application_id = a.id
        where a.project_id = p.id order by a.seq desc limit 1) app on true
      left join lateral (select min(v.submitted_on) as submitted_on from self_evaluations v where v.project_id = p.id) sev on true
      cross join c left join st o on o.org = p.approval_department_id
      where ((p.track = 'approval' and p.status = 'approved') or (p.track = 'filing' and p.status = 'filed'))
    ),
    sy as materialized (
      select s.id, s.owner_organization_id as org_id, s.protection_scheme as scheme, s.mlps_level as level,
        coalesce(b.in_operation_on, (s.created_at at time zone 'Asia/Shanghai')::date) as in_op,
        ss.last_test_on as last_tested, ss.last_crypto_on as last_crypto, ${settingsSelect}
      from ${fromSystems}
      ${built}
      left join system_security_status ss on ss.system_id = s.id
      cross join c left join st o on o.org = s.owner_organization_id
      where s.status = 'operating'
    ),
    raw as (
      -- 第二十五条: apply for acceptance within acceptance.applicationMonths of completion, or by the extension approved.
      select 'project' as subject_type, p.id as subject_id, p.id as project_id, null::uuid as system_id,
        'acceptanceApplication' as kind, '' as period, p.org_id, p.dept_id, null::date as opens_on, null::date as remind_from,
        coalesce(p.ext_due, (p.completed_on + make_interval(months => p.am))::date) as due_on, p.applied_on as done_on, p.rd,
        jsonb_build_object('acceptance.applicationMonths', p.am, 'obligation.remindDays', p.rd)
          || case when p.ext_due is null then '{}'::jsonb else jsonb_build_object('acceptance.extendedTo', p.ext_due) end as rule_values
      from p where p.completed_on is not null
      union all
      -- 第二十条: an annual report by annualReport.dueMonthDay of each year of construction.
      select 'project', p.id, p.id, null, 'annualReport', y::text, p.org_id, p.dept_id, null, null,
        d.due_on, r.submitted_on, p.rd, jsonb_build_object('annualReport.dueMonthDay', p.md, 'obligation.remindDays', p.rd)
      from p
      cross join lateral generate_series(extract(year from p.started)::int, extract(year from coalesce(p.completed_on, ${t}))::int) y
      cross join lateral (select make_date(y, substr(p.md, 1, 2)::int, substr(p.md, 4, 2)::int) as due_on) d
      left join annual_performance_reports r on r.project_id = p.id and r.year = y
      where p.started <= ${t} and d.due_on >= p.started and (p.completed_on is null or d.due_on <= p.completed_on)
      union all
      -- 第二十一条: a rectification by the date the approval department set, done when the unit reports it.
      select 'project', p.id, p.id, null, 'rectification', r.id::text, p.org_id, p.dept_id, null, null,
        r.due_on, r.rectified_on, p.rd, jsonb_build_object('obligation.remindDays', p.rd)
      from p join construction_orders r on r.project_id = p.id and r.kind = 'rectification'
      union all
      -- 第二十七条: self-evaluation between windowStart and windowEnd months after acceptance and go-live.
      select 'project', p.id, p.id, null, 'selfEvaluation', '', p.org_id, p.dept_id, w.opens_on,
        (w.opens_on - interval '1 month')::date, greatest(w.opens_on, (w.counts_from + make_interval(months => p.se))::date), p.se_on, p.rd,
        jsonb_build_object('selfEvaluation.windowStartMonths', p.ss, 'selfEvaluation.windowEndMonths', p.se, 'obligation.remindDays', p.rd)
      from p
      cross join lateral (select greatest(p.accepted_on, p.in_operation_on) as counts_from) f
      cross join lateral (select f.counts_from, (f.counts_from + make_interval(months => p.ss))::date as opens_on) w
      where p.accepted_on is not null and p.in_operation_on is not null
      union all
      -- 第十四条: 等级测评 by level (none for 第一级), 分级保护测评, from the last test on record.
      select 'system', sy.id, null, sy.id, 'securityTest', '', sy.org_id, null, null, null,
        case when sy.last_tested is null then sy.in_op else (sy.last_tested + make_interval(months => m.months))::date end, null::date, sy.rd,
        jsonb_build_object('securityTestingMonths', m.months, 'obligation.remindDays', sy.rd)
      from sy cross join lateral (select case when sy.scheme = 'classified' then sy.cl when sy.level = 2 then sy.l2
        when sy.level = 3 then sy.l3 when sy.level = 4 then sy.l4 when sy.level = 5 then sy.l5 end as months) m
      where m.months is not null
      union all
      -- 第十五条: 密评 for 第三级 and above, from the last assessment on record.
      select 'system', sy.id, null, sy.id, 'cryptoAssessment', '', sy.org_id, null, null, null,
        case when sy.last_crypto is null then sy.in_op else (sy.last_crypto + make_interval(months => sy.cr))::date end, null::date, sy.rd,
        jsonb_build_object('security.cryptoAssessmentMonths', sy.cr, 'obligation.remindDays', sy.rd)
      from sy where sy.scheme = 'mlps' and sy.level >= 3
    ),
    stat as (
      select r.*, case
          when r.done_on is not null then 'done'
          when r.opens_on is not null and ${t} < r.opens_on then case when ${t} >= r.remind_from then 'dueSoon' else 'notDue' end
          when r.due_on < ${t} then 'overdue'
          when r.due_on = ${t} then 'dueToday'
          when r.due_on - ${t} <= r.rd then 'dueSoon'
          else 'notDue' end as status
      from raw r
    ),
    comp as (
      -- The first later day the status moves by the calendar alone (null: only a record moves it).
      select s.*, case
          when s.status in ('done', 'overdue') then null::date
          when s.opens_on is not null and ${t} < s.opens_on then case when ${t} < s.remind_from then s.remind_from else s.opens_on end
          when s.status = 'dueToday' then s.due_on + 1
          when s.status = 'dueSoon' then s.due_on
          else s.due_on - s.rd end as next_change_on
      from stat s
    ),
    -- The obligations stored for the subjects recomputed, read once (a full recompute hashes the
    -- table itself for the join below; materializing 570,000 rows first only copied them).
    ex as ${full ? sql`` : sql`materialized`} (
      select ob.id, ob.subject_id, ob.kind, ob.period, ob.organization_id, ob.approval_department_id, ob.opens_on, ob.due_on,
        ob.status, ob.done_on, ob.rule_values, ob.next_change_on
      from ${stored}
    ),
    -- Computed against stored, both ways: c without ob is new, ob without c is no longer owed.
    cmp as materialized (
      select c.*, ob.id as ob_id, ob.status as ob_status,
        (ob.organization_id, ob.approval_department_id, ob.opens_on, ob.due_on, ob.status, ob.done_on, ob.rule_values, ob.next_change_on)
          is distinct from (c.org_id, c.dept_id, c.opens_on, c.due_on, c.status, c.done_on, c.rule_values, c.next_change_on) as differs
      from comp c full join ex ob on ob.subject_id = c.subject_id and ob.kind = c.kind and ob.period = c.period
    ),
    -- Only what is new or changed goes to the INSERT: ON CONFLICT would otherwise lock (and dirty)
    -- every existing row, changed or not. A done obligation keeps what it was discharged under,
    -- unless it is owed again (I-54: the application failed).
    changed as (
      select * from cmp where subject_id is not null and (ob_id is null or ((ob_status <> 'done' or status <> 'done') and differs))
    ),
    up as (
      insert into obligations as ob (subject_type, subject_id, project_id, system_id, kind, period, organization_id,
        approval_department_id, opens_on, due_on, status, done_on, rule_values, next_change_on, remind_on, swept_on, created_at, updated_at)
      select subject_type, subject_id, project_id, system_id, kind, period, org_id, dept_id, opens_on, due_on, status, done_on,
        rule_values, next_change_on, case when status in ('dueSoon', 'dueToday', 'overdue') then ${t} end, ${t}, ${now}, ${now}
      from changed
      -- One order for every writer, so two sweeps touching the same rows wait instead of deadlocking.
      order by subject_id, kind, period
      on conflict (subject_id, kind, period) do update set
        organization_id = excluded.organization_id, approval_department_id = excluded.approval_department_id,
        opens_on = excluded.opens_on, due_on = excluded.due_on, status = excluded.status, done_on = excluded.done_on,
        rule_values = excluded.rule_values, next_change_on = excluded.next_change_on, swept_on = excluded.swept_on, updated_at = excluded.updated_at,
        -- Reminded (I-58) from the day the status becomes due soon, due today or overdue.
        remind_on = case when excluded.status not in ('dueSoon', 'dueToday', 'overdue') then null
          when ob.status is distinct from excluded.status then excluded.remind_on else ob.remind_on end
      -- A concurrent sweep may have written the row meanwhile: write only a real change.
      where (ob.status <> 'done' or excluded.status <> 'done')
        and (ob.organization_id, ob.approval_department_id, ob.opens_on, ob.due_on, ob.status, ob.done_on, ob.rule_values, ob.next_change_on)
        is distinct from (excluded.organization_id, excluded.approval_department_id, excluded.opens_on, excluded.due_on, excluded.status,
          excluded.done_on, excluded.rule_values, excluded.next_change_on)
      returning (xmax = 0) as inserted
    ),
    del as (
      delete from obligations o where o.id in (select ob_id from cmp where subject_id is null and ob_status <> 'done')
      returning 1
    ),
    nxt as (select subject_id, min(next_change_on) as next_change_on from cmp where subject_id is not null group by subject_id),
    subj as (
      select p.id, 'project' as subject_type, least(n.next_change_on, case when p.started > ${t} then p.started end) as next_change_on
      from p left join nxt n on n.subject_id = p.id
      union all
      select sy.id, 'system', n.next_change_on from sy left join nxt n on n.subject_id = sy.id
    ),
    -- The subjects recomputed against those stored, both ways (one join): a subject whose next
    -- boundary moved is written, one stored but no longer computed (not in construction or
    -- operation any more) is removed. A full sweep of an unchanged portfolio writes nothing.
    sj as materialized (
      select x.id, x.subject_type, x.next_change_on, k.subject_id as k_id,
        k.subject_id is null or k.swept_on > ${t} or k.next_change_on is distinct from x.next_change_on or k.subject_type <> x.subject_type as writes
      from subj x full join ${storedSubjects} k on k.subject_id = x.id
    ),
    sub_up as (
      insert into obligation_subjects as os (subject_id, subject_type, next_change_on, swept_on)
      select id, subject_type, next_change_on, ${t} from sj where id is not null and writes
      order by id
      on conflict (subject_id) do update set subject_type = excluded.subject_type, next_change_on = excluded.next_change_on, swept_on = excluded.swept_on
      returning 1
    ),
    sub_del as (delete from obligation_subjects os where os.subject_id in (select k_id from sj where id is null) returning 1),
    unmark as (delete from obligation_dirty d using dirty x where d.subject_id = x.subject_id and d.seq = x.seq returning 1)
    select (select count(*) from p) + (select count(*) from sy) as recomputed, (select count(*) from up where inserted) as inserted,
      (select count(*) from up where not inserted) as updated, (select count(*) from del) as deleted,
      (select count(*) from sub_up) + (select count(*) from sub_del) + 0 * (select count(*) from unmark) as subjects`;
}

/** Full sweeps of several processes take turns (each is one statement; the second then finds little to write). */
const SWEEP_LOCK = 4_710_2034;

/** The sweep's statement as EXPLAIN ANALYZE reads it (the benchmark's profile; writes, so run it in a rolled-back transaction). */
export async function sweepStatementFor(db: Executor, scope: SweepScope, today: string, now: Date) {
  return sweepStatement(scope, today, now, await sweepSettings(db, today));
}

/**
 * A sweep of everything joins ≈570,000 computed obligations with as many stored ones
 * (docs/benchmarks.md, "Compliance sweep"): with the default work_mem (4 MB) both sides spill to
 * temporary files, and the planner, whose estimates for the computed rows are off by 3× (an annual
 * report per year of construction), picks two external sorts on the text keys and a merge join.
 * In memory and by hash, the full recompute takes ≈4.5 s instead of ≈7.1 s. For this statement only.
 */
const SWEEP_PLANNER = { work_mem: '256MB', enable_mergejoin: 'off' } as const;

/** Runs `fn` with these settings in force, then puts the caller's back (SET LOCAL would last to the end of its transaction). */
async function withPlannerSettings<T>(db: Executor, settings: Readonly<Record<string, string>> | null, fn: () => Promise<T>): Promise<T> {
  if (!settings) return fn();
  const names = Object.keys(settings);
  const set = async (values: Readonly<Record<string, string>>) => {
    await sql`select ${sql.join(names.map((n) => sql`set_config(${n}, ${values[n]!}, true)`))}`.execute(db);
  };
  const before = (await sql<Record<string, string>>`select ${sql.join(names.map((n) => sql`current_setting(${n}) as ${sql.ref(n)}`))}`.execute(db)).rows[0]!;
  await set(settings);
  const result = await fn();
  await set(before);
  return result;
}

async function runSweep(db: Executor, scope: SweepScope, today: string, now: Date): Promise<SweepCounts> {
  let s = scope;
  let newYear = false;
  const settings = await sweepSettings(db, today);
  const settingsText = JSON.stringify(settings);
  if (s.kind === 'all' || s.kind === 'full') {
    await sql`select pg_advisory_xact_lock(${SWEEP_LOCK})`.execute(db);
    // Incremental only from a sweep of everything made under the same settings (第三十四条: a
    // version taking effect changes them) and not on a later day (a clock set back).
    const state = await db.selectFrom('obligation_sweep_state').select(['settings', sql<string>`day::text`.as('day')]).executeTakeFirst();
    if (s.kind === 'all' && (!state || state.settings !== settingsText || state.day > today)) s = { kind: 'full' };
    newYear = state !== undefined && state.day.slice(0, 4) !== today.slice(0, 4);
  }
  const r = await withPlannerSettings(db, s.kind === 'all' || s.kind === 'full' ? SWEEP_PLANNER : null,
    async () => (await sweepStatement(s, today, now, settings, newYear).execute(db)).rows[0]!);
  if (s.kind === 'all' || s.kind === 'full') {
    await db.insertInto('obligation_sweep_state').values({ id: true, day: today, settings: settingsText })
      .onConflict((oc) => oc.column('id').doUpdateSet({ day: today, settings: settingsText })).execute();
  }
  return {
    day: today, mode: s.kind === 'all' ? 'incremental' : s.kind, recomputed: Number(r.recomputed),
    inserted: Number(r.inserted), updated: Number(r.updated), deleted: Number(r.deleted), subjectsWritten: Number(r.subjects),
  };
}

// ---------------------------------------------------------------------------------------------
// Reminders (I-58)

export interface ReminderCounts {
  /** Obligations reminded of (claimed) by this run. */
  reminded: number;
  notifications: number;
  emailsQueued: number;
}

const kindName = (column: string, lang: 'zh' | 'en') => sql.raw(`case ${column} ${OBLIGATION_KINDS.map((k) =>
  `when '${k}' then '${OBLIGATION_KIND_NAMES[k][lang].replace(/'/g, "''")}'`).join(' ')} end`);

/**
 * Claims today's reminders in `scope` and writes them, in one statement: an obligation that is due
 * soon or due today is reminded of once, an overdue one on its first overdue day and then every
 * OVERDUE_REMINDER_EVERY_DAYS days (I-58). The claim is a row (obligation, kind, day) inserted ON
 * CONFLICT DO NOTHING: of two processes sweeping at once, the second waits on the first's row and
 * claims nothing, so its notifications and emails are never written. Recipients: the active
 * preparers and unit leads of the organization that owes it; emails only to those with an address,
 * and only when SMTP is configured.
 */
function reminderStatement(scope: SweepScope, today: string, now: Date, email: boolean) {
  const filter = scope.kind === 'project'
    ? sql`and (o.project_id = ${scope.projectId}::uuid or o.system_id in (select gp.system_id from government_system_projects gp where gp.project_id = ${scope.projectId}::uuid))`
    : scope.kind === 'system' ? sql`and o.system_id = ${scope.systemId}::uuid` : sql``;
  const t = sql`${today}::date`;
  return sql<{ reminded: string; notifications: string; emails: string }>`
    with due as materialized (
      -- remind_on (an index range): set by the sweep the day the status becomes due soon, due today
      -- or overdue, moved here past each reminder. Rows another transaction holds are its own to
      -- remind of (a use case's sweep of its project): skipped, never waited on.
      -- The reminders already sent are read here, before the sort hands out its first row and so
      -- before \`claimed\` inserts anything: read later, beside the inserts, a plan made while
      -- obligation_reminders was empty scans the table per row, own new rows included (quadratic:
      -- 145 s for 97,000 first-day reminders, docs/benchmarks.md).
      select o.id, o.status,
        (select max(r.day) from obligation_reminders r where r.obligation_id = o.id and r.kind = 'overdue'
          and r.day > ${t} - ${OVERDUE_REMINDER_EVERY_DAYS}::int) as last_overdue,
        exists (select 1 from obligation_reminders r where r.obligation_id = o.id and r.kind = o.status
          and (o.status <> 'overdue' or r.day > ${t} - ${OVERDUE_REMINDER_EVERY_DAYS}::int)) as reminded
      from obligations o
      where o.remind_on <= ${t} and o.status in ('dueSoon', 'dueToday', 'overdue') ${filter}
      order by o.id for update of o skip locked
    ),
    cand as (
      select d.id, d.status from due d where not d.reminded
    ),
    advance as (
      -- The next reminder: an overdue one every OVERDUE_REMINDER_EVERY_DAYS days after the last
      -- (today's, if none is more recent); due soon and due today once.
      update obligations o set remind_on = case when d.status = 'overdue' then coalesce(d.last_overdue, ${t}) + ${OVERDUE_REMINDER_EVERY_DAYS}::int end
      from due d where o.id = d.id
      returning 1
    ),
    claimed as (
      insert into obligation_reminders (obligation_id, kind, day, created_at)
      select id, status, ${t}, ${now} from cand order by id
      on conflict do nothing
      returning obligation_id, kind
    ),
    msg as (
      select o.id as obligation_id, o.project_id, o.system_id, o.organization_id, cl.kind, o.due_on, o.period,
        coalesce(p.name, s.name) as subject_name,
        ${kindName('o.kind', 'zh')} || case when o.kind = 'annualReport' then '（' || o.period || '年度）' else '' end as what_zh,
        ${kindName('o.kind', 'en')} || case when o.kind = 'annualReport' then ' (' || o.period || ')' else '' end as what_en,
        ${t} - o.due_on as late
      from claimed cl join obligations o on o.id = cl.obligation_id
      left join projects p on p.id = o.project_id left join government_systems s on s.id = o.system_id
    ),
    worded as (
      select m.*,
        case m.kind when 'overdue' then '【已逾期】' when 'dueToday' then '【今日到期】' else '【即将到期】' end || m.subject_name as title_zh,
        case m.kind when 'overdue' then '[Overdue] ' when 'dueToday' then '[Due today] ' else '[Due soon] ' end || m.subject_name as title_en,
        m.what_zh || '的期限为 ' || m.due_on || case when m.kind = 'overdue' then '，已逾期 ' || m.late || ' 日，请尽快办理。' else '，请按期办理。' end as body_zh,
        m.what_en || ' is due on ' || m.due_on || case when m.kind = 'overdue' then ', ' || m.late || ' day(s) ago; please act on it.' else '; please act on it in time.' end as body_en
      from msg m
    ),
    rcpt as (
      select distinct on (x.obligation_id, u.id) x.*, u.id as user_id, u.email
      from worded x
      join user_organizations uo on uo.organization_id = x.organization_id
      join user_roles ur on ur.user_id = uo.user_id and ur.role_code in ('preparer', 'unit_lead')
      join users u on u.id = uo.user_id and u.status = 'active'
    ),
    n as (
      insert into notifications (user_id, project_id, system_id, obligation_id, kind, action_id, title_zh, title_en, body_zh, body_en, created_at)
      select user_id, project_id, case when project_id is null then system_id end, obligation_id, kind, null, title_zh, title_en, body_zh, body_en, ${now}
      from rcpt
      returning 1
    ),
    e as (
      insert into email_outbox (user_id, to_address, subject, body, obligation_id, created_at)
      select user_id, email, title_zh, body_zh || E'\n\n' || body_en || E'\n\n（本邮件由政务信息化项目管理平台自动发送）', obligation_id, ${now}
      from rcpt where email is not null and ${email}
      returning 1
    )
    select (select count(*) from claimed) + 0 * (select count(*) from advance) as reminded, (select count(*) from n) as notifications, (select count(*) from e) as emails`;
}

async function runReminders(db: Executor, scope: SweepScope, today: string, now: Date, email: boolean): Promise<ReminderCounts> {
  const r = (await reminderStatement(scope, today, now, email).execute(db)).rows[0]!;
  return { reminded: Number(r.reminded), notifications: Number(r.notifications), emailsQueued: Number(r.emails) };
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Recomputes one project's obligations (and its systems') inside the caller's transaction and
 * raises any reminder they now earn. Call it from every use case that changes a date obligations
 * hang on, after the change, in the same transaction: the calendar and the reminders commit with it.
 */
export async function sweepProject(trx: Tx, services: Pick<Services, 'now' | 'config'>, projectId: string): Promise<SweepCounts & ReminderCounts> {
  const now = services.now();
  const today = shanghaiDate(now);
  const scope: SweepScope = { kind: 'project', projectId };
  const counts = await runSweep(trx, scope, today, now);
  return { ...counts, ...await runReminders(trx, scope, today, now, services.config.smtp !== null) };
}

/**
 * The same for one system (第十四条, 第十五条): a security test or 密评 recorded on the system alone
 * moves its next due date; call it in the recording transaction, after the summary is refreshed.
 */
export async function sweepSystem(trx: Tx, services: Pick<Services, 'now' | 'config'>, systemId: string): Promise<SweepCounts & ReminderCounts> {
  const now = services.now();
  const today = shanghaiDate(now);
  const scope: SweepScope = { kind: 'system', systemId };
  const counts = await runSweep(trx, scope, today, now);
  return { ...counts, ...await runReminders(trx, scope, today, now, services.config.smtp !== null) };
}

export interface SweepRun extends SweepCounts, ReminderCounts {
  sweepMs: number;
  remindMs: number;
}

/**
 * The daily compliance sweep (job obligations.sweep): every obligation of every project and
 * system, then today's reminders, then one audit event with the counts. Each step is one statement
 * in its own transaction.
 */
export async function sweepAll(services: Services, runId: string | null = null, options: { full?: boolean } = {}): Promise<SweepRun> {
  const db = services.database.db;
  const now = services.now();
  const today = shanghaiDate(now);
  let t0 = performance.now();
  const counts = await db.transaction().execute((trx) => runSweep(trx, { kind: options.full ? 'full' : 'all' }, today, now));
  const sweepMs = performance.now() - t0;
  t0 = performance.now();
  const reminders = await db.transaction().execute((trx) => runReminders(trx, { kind: 'all' }, today, now, services.config.smtp !== null));
  const remindMs = performance.now() - t0;
  const run: SweepRun = { ...counts, ...reminders, sweepMs: Math.round(sweepMs), remindMs: Math.round(remindMs) };
  const system = systemActor();
  await db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: auditActorFor(system, null), action: 'obligations.sweep', objectType: 'job', objectId: 'obligations.sweep',
    outcome: 'success', diff: { after: { ...counts, ...reminders } }, requestId: runId, clientAddress: 'job',
  }));
  return run;
}


// ---------------------------------------------------------------------------------------------
// The obligations calendar (履约日历): what a caller may see, filtered

export interface ObligationFilter {
  /** Due on or after / on or before ('YYYY-MM-DD'). */
  from?: string | undefined;
  to?: string | undefined;
  status?: readonly string[] | undefined;
  kind?: readonly string[] | undefined;
  subjectType?: 'project' | 'system' | undefined;
  /** The organization that owes it, or one below it. */
  organizationId?: string | undefined;
  /** Subject name or project code contains. */
  q?: string | undefined;
}

export interface ObligationView {
  id: string;
  subjectType: 'project' | 'system';
  projectId: string | null;
  projectCode: string | null;
  systemId: string | null;
  subjectName: string;
  kind: string;
  kindName: { zh: string; en: string };
  article: string;
  period: string;
  organizationId: string;
  organizationName: string;
  approvalDepartmentName: string | null;
  opensOn: string | null;
  dueOn: string;
  status: string;
  doneOn: string | null;
  /** Whole days from today to the due date (negative: overdue). */
  daysLeft: number;
  ruleValues: Record<string, unknown>;
}

/**
 * Data scope (SPEC §1): a project's obligations are seen by whoever may read the project (its unit,
 * the approval department it is routed to, supervisory bodies: all); a system's by whoever's
 * catalog:read scope holds its owner.
 */
function obligationQuery(services: Services, actor: Actor, f: ObligationFilter) {
  const projects = requireAccess(actor, 'project:read');
  const catalog = resolveAccess(actor, 'catalog:read');
  const systemsVisible = catalog.allowed ? scopePredicate(catalog.scope, 's.owner_organization_id') : sql<boolean>`false`;
  const db = services.database.db;
  let q = db.selectFrom('obligations as o')
    .leftJoin('projects as p', 'p.id', 'o.project_id')
    .leftJoin('government_systems as s', 's.id', 'o.system_id')
    .innerJoin('organizations as u', 'u.id', 'o.organization_id')
    .leftJoin('organizations as d', 'd.id', 'o.approval_department_id')
    .where(sql<boolean>`((o.project_id is not null and ${visible(projects)}) or (o.system_id is not null and ${systemsVisible}))`);
  if (f.from) q = q.where('o.due_on', '>=', f.from);
  if (f.to) q = q.where('o.due_on', '<=', f.to);
  if (f.status && f.status.length > 0) q = q.where('o.status', 'in', [...f.status]);
  if (f.kind && f.kind.length > 0) q = q.where('o.kind', 'in', [...f.kind]);
  if (f.subjectType) q = q.where('o.subject_type', '=', f.subjectType);
  if (f.organizationId) q = q.where(inSubtreeSql('o.organization_id', f.organizationId));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`(coalesce(p.name, s.name) like ${like} or p.code like ${like})`);
  }
  return q.select([
    'o.id', 'o.subject_type', 'o.project_id', 'p.code as project_code', 'o.system_id', sql<string>`coalesce(p.name, s.name)`.as('subject_name'),
    'o.kind', 'o.period', 'o.organization_id', 'u.name as organization_name', 'd.name as department_name',
    sql<string | null>`o.opens_on::text`.as('opens_on'), sql<string>`o.due_on::text`.as('due_on'), 'o.status',
    sql<string | null>`o.done_on::text`.as('done_on'), 'o.rule_values',
  ]);
}

function presentObligation(r: {
  id: string; subject_type: string; project_id: string | null; project_code: string | null; system_id: string | null; subject_name: string;
  kind: string; period: string; organization_id: string; organization_name: string; department_name: string | null;
  opens_on: string | null; due_on: string; status: string; done_on: string | null; rule_values: Record<string, unknown>;
}, today: string): ObligationView {
  const names = OBLIGATION_KIND_NAMES[r.kind as keyof typeof OBLIGATION_KIND_NAMES];
  return {
    id: r.id, subjectType: r.subject_type as 'project' | 'system', projectId: r.project_id, projectCode: r.project_code, systemId: r.system_id,
    subjectName: r.subject_name, kind: r.kind, kindName: { zh: names.zh, en: names.en }, article: names.article, period: r.period,
    organizationId: r.organization_id, organizationName: r.organization_name, approvalDepartmentName: r.department_name,
    opensOn: r.opens_on, dueOn: r.due_on, status: r.status, doneOn: r.done_on, daysLeft: daysBetween(today, r.due_on), ruleValues: r.rule_values,
  };
}

/** A page of the obligations the caller may see, soonest due first, with the counts by status. */
export async function listObligations(services: Services, actor: Actor, f: ObligationFilter, page: number, pageSize: number) {
  const today = shanghaiDate(services.now());
  const base = obligationQuery(services, actor, f);
  const [rows, counts] = await Promise.all([
    base.orderBy('o.due_on').orderBy('o.id').limit(pageSize).offset((page - 1) * pageSize).execute(),
    services.database.db.selectFrom(base.as('x')).select(['x.status', sql<string>`count(*)`.as('n')]).groupBy('x.status').execute(),
  ]);
  const byStatus: Record<string, number> = { notDue: 0, dueSoon: 0, dueToday: 0, overdue: 0, done: 0 };
  for (const c of counts) byStatus[c.status] = Number(c.n);
  return { items: rows.map((r) => presentObligation(r, today)), total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus, today };
}

/** Every obligation the caller may see under the filter, in keyset batches of 1000 (the .xlsx export). */
export async function* exportObligations(services: Services, actor: Actor, f: ObligationFilter): AsyncGenerator<ObligationView[]> {
  const today = shanghaiDate(services.now());
  let after: { due: string; id: string } | null = null;
  for (;;) {
    let q = obligationQuery(services, actor, f);
    if (after) {
      const a: { due: string; id: string } = after;
      q = q.where(sql<boolean>`(o.due_on, o.id) > (${a.due}::date, ${a.id}::uuid)`);
    }
    const rows = await q.orderBy('o.due_on').orderBy('o.id').limit(1000).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => presentObligation(r, today));
    const last = rows[rows.length - 1]!;
    after = { due: last.due_on, id: last.id };
  }
}

/**
 * The sweep of every subject and today's reminders inside the caller's transaction, without the
 * run's audit event (the demo seed, which audits itself).
 */
export async function sweepAllIn(trx: Tx, services: Pick<Services, 'now' | 'config'>): Promise<SweepCounts & ReminderCounts> {
  const now = services.now();
  const today = shanghaiDate(now);
  const counts = await runSweep(trx, { kind: 'all' }, today, now);
  return { ...counts, ...await runReminders(trx, { kind: 'all' }, today, now, services.config.smtp !== null) };
}
