// The deadline engine on both databases (第十四条, 第十五条, 第二十条, 第二十五条, 第二十七条, 第三十四条;
// SPEC §11): the set-based SQL sweep agrees with the pure rules over generated cases, month
// arithmetic in SQL is addMonths, reminders are raised once however many sweeps run at once, email
// reaches a real SMTP listener, rule settings are versioned by effective date and changed only by
// the security administrator, and the 履约日历 API respects data scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { addMonths } from '../../src/domain/deadlines.ts';
import { constructionStartedOn } from '../../src/domain/construction-records.ts';
import { projectObligations, systemObligations, type ComputedObligation } from '../../src/domain/obligations.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { openPostgres } from '../../src/db/database.ts';
import { ancestorIds } from '../../src/db/org-tree.ts';
import { deliverEmails } from '../../src/usecases/email-outbox.ts';
import { obligationRulesOf, sweepAll, sweepProject, sweepSettings } from '../../src/usecases/obligations.ts';
import { refreshSystemStatus } from '../../src/usecases/security-records.ts';
import { ruleBook } from '../../src/usecases/rule-settings.ts';
import type { Services } from '../../src/services.ts';
import { TEST_DB_KIND } from '../support/db.ts';
import { openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};
const UNIT = '人力资源和社会保障部信息中心';
const HITECH = '国家发展和改革委员会创新和高技术发展司';
/** 08:30 in Shanghai on `day`. */
const at = (day: string) => new Date(`${day}T00:30:00Z`);

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'approver', 'ndrc', 'secadmin', 'mof', 'reviewer']) s[u] = await signIn(demo.app, demo.services, u);
}, 120_000);
afterAll(async () => demo?.close());

const db = () => demo.t.database.db;
const auth = (who: string) => ({ authorization: `Bearer ${s[who]!.token}` });
const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: auth(who) });
const put = (who: string, url: string, payload: Record<string, unknown>) => demo.app.inject({ method: 'PUT', url, headers: auth(who), payload });

let codeSeq = 0;
async function insertProject(p: { start: string; end?: string; track?: 'approval' | 'filing'; unit?: string; department?: string; name?: string }): Promise<string> {
  const creator = (await db().selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow()).id;
  const track = p.track ?? 'filing';
  codeSeq++;
  const row = await sql<{ id: string }>`
    insert into projects (code, name, construction_unit_id, approval_department_id, track, kind, construction_start, construction_end,
      total_investment, funding_channel, protection_scheme, mlps_level, stage, status, created_by)
    values (${`2611-110000-00-01-${String(900000 + codeSeq).padStart(6, '0')}`}, ${p.name ?? `期限测试项目${codeSeq}`},
      ${p.unit ?? demo.org.get(UNIT)!}::uuid, ${p.department ?? demo.org.get(HITECH)!}::uuid, ${track}, 'new', ${p.start}::date,
      ${p.end ?? '2031-12-31'}::date, 100, 'central_budget', 'mlps', 3, ${track === 'filing' ? 'filing' : 'preliminaryDesign'},
      ${track === 'filing' ? 'filed' : 'approved'}, ${creator}::uuid)
    returning id`.execute(db());
  return row.rows[0]!.id;
}

async function setConstruction(projectId: string, c: { completedOn?: string | null; acceptedOn?: string | null; inOperationOn?: string | null }) {
  await sql`insert into project_construction (project_id, completed_on, accepted_on, in_operation_on, created_at, updated_at)
    values (${projectId}::uuid, ${c.completedOn ?? null}::date, ${c.acceptedOn ?? null}::date, ${c.inOperationOn ?? null}::date, now(), now())
    on conflict (project_id) do update set completed_on = excluded.completed_on, accepted_on = excluded.accepted_on, in_operation_on = excluded.in_operation_on`.execute(db());
}

let systemSeq = 0;
async function insertSystem(x: { level: number | null; createdAt: Date; builtBy?: string }): Promise<string> {
  systemSeq++;
  const classified = x.level === null;
  const r = await sql<{ id: string }>`
    insert into government_systems (owner_organization_id, name, purpose, business_area, network_type, involves_secrets, protection_scheme,
      mlps_level, mlps_filing_number, user_count, status, created_at, updated_at)
    values (${demo.org.get(UNIT)!}::uuid, ${`期限测试系统${systemSeq}`}, '测试', '测试', ${classified ? 'intranet' : 'extranet'}, ${classified},
      ${classified ? 'classified' : 'mlps'}, ${x.level}, ${x.level !== null && x.level >= 2 ? '11010843001' : null}, 10, 'operating', ${x.createdAt}, now())
    returning id`.execute(db());
  const id = r.rows[0]!.id;
  if (x.builtBy) await sql`insert into government_system_projects (system_id, project_id, relation) values (${id}::uuid, ${x.builtBy}::uuid, 'new')`.execute(db());
  return id;
}

/**
 * The obligations the pure rules give for every subject in the database on `today`, with the
 * settings read through ruleBook (the path every other use of the settings takes).
 */
async function reference(today: string): Promise<Map<string, ComputedObligation & { subject: string }>> {
  const book = await ruleBook(db(), today);
  const rulesFor = async (org: string) => {
    const v = async (k: Parameters<typeof book.valueFor>[0]) => (await book.valueFor(k, org)).value;
    return obligationRulesOf({
      am: await v('acceptance.applicationMonths') as number, ss: await v('selfEvaluation.windowStartMonths') as number,
      se: await v('selfEvaluation.windowEndMonths') as number, md: await v('annualReport.dueMonthDay') as string, rd: await v('obligation.remindDays') as number,
      l2: await v('security.mlpsTestingMonths.level2') as number, l3: await v('security.mlpsTestingMonths.level3') as number,
      l4: await v('security.mlpsTestingMonths.level4') as number, l5: await v('security.mlpsTestingMonths.level5') as number,
      cl: await v('security.classifiedTestingMonths') as number, cr: await v('security.cryptoAssessmentMonths') as number,
    });
  };
  const out = new Map<string, ComputedObligation & { subject: string }>();
  const projects = await sql<{
    id: string; dept: string; start: string; decided: Date | null; reports: Array<{ year: number; submittedOn: string }>; completed_on: string | null;
    accepted_on: string | null; in_operation_on: string | null; applied_at: Date | null; applied_result: string | null; extended_to: string | null;
    self_evaluated: string | null; orders: Array<{ orderId: string; dueOn: string; rectifiedOn: string | null }>;
  }>`
    select p.id, p.approval_department_id as dept, p.construction_start::text as start,
      (select a.created_at from project_actions a where a.project_id = p.id and a.to_status in ('approved', 'filed') order by a.seq desc limit 1) as decided,
      (select coalesce(json_agg(json_build_object('year', r.year, 'submittedOn', r.submitted_on::text)), '[]') from annual_performance_reports r where r.project_id = p.id) as reports,
      pc.completed_on::text as completed_on,
      pc.accepted_on::text as accepted_on, pc.in_operation_on::text as in_operation_on,
      la.submitted_at as applied_at, ld.result as applied_result,
      (select e.proposed_due_on::text from acceptance_extensions e where e.project_id = p.id and e.decision = 'approved' order by e.seq desc limit 1) as extended_to,
      (select min(v.submitted_on)::text from self_evaluations v where v.project_id = p.id) as self_evaluated,
      (select coalesce(json_agg(json_build_object('orderId', o.id, 'dueOn', o.due_on::text, 'rectifiedOn', o.rectified_on::text)), '[]')
        from construction_orders o where o.project_id = p.id and o.kind = 'rectification') as orders
    from projects p left join project_construction pc on pc.project_id = p.id
    left join lateral (select a.id, a.submitted_at from acceptance_applications a where a.project_id = p.id order by a.seq desc limit 1) la on true
    left join acceptance_decisions ld on ld.application_id = la.id
    where (p.track = 'approval' and p.status = 'approved') or (p.track = 'filing' and p.status = 'filed')`.execute(db());
  for (const p of projects.rows) {
    const facts = {
      constructionStart: p.decided ? constructionStartedOn(shanghaiDate(p.decided), p.start) : p.start,
      completedOn: p.completed_on, acceptedOn: p.accepted_on, inOperationOn: p.in_operation_on,
      // I-54: a failed application is owed again; I-57: with none on record the acceptance discharges it.
      acceptanceAppliedOn: p.applied_at === null ? null : p.applied_result === 'fail' ? null : shanghaiDate(p.applied_at),
      acceptanceExtendedTo: p.extended_to, rectifications: p.orders,
      annualReports: p.reports, selfEvaluationOn: p.self_evaluated,
    };
    for (const o of projectObligations(facts, await rulesFor(p.dept), today)) out.set(`${p.id}/${o.kind}/${o.period}`, { ...o, subject: p.id });
  }
  const systems = await sql<{ id: string; owner: string; scheme: string; level: number | null; created_at: Date; built: string | null; tested: string | null; crypto: string | null }>`
    select s.id, s.owner_organization_id as owner, s.protection_scheme as scheme, s.mlps_level as level, s.created_at,
      (select max(r.occurred_on)::text from security_records r where r.system_id = s.id and r.kind = 'securityTest') as tested,
      (select max(r.occurred_on)::text from security_records r where r.system_id = s.id and r.kind = 'cryptoAssessment') as crypto,
      (select max(pc.in_operation_on)::text from government_system_projects gp join project_construction pc on pc.project_id = gp.project_id
       where gp.system_id = s.id and gp.relation = 'new') as built
    from government_systems s where s.status = 'operating'`.execute(db());
  for (const x of systems.rows) {
    const profile = x.scheme === 'classified' ? { scheme: 'classified' as const } : { scheme: 'mlps' as const, level: x.level as 1 | 2 | 3 | 4 | 5 };
    const facts = { profile, inOperationOn: x.built ?? shanghaiDate(x.created_at), lastTestedOn: x.tested, lastCryptoAssessedOn: x.crypto };
    for (const o of systemObligations(facts, await rulesFor(x.owner), today)) out.set(`${x.id}/${o.kind}/${o.period}`, { ...o, subject: x.id });
  }
  return out;
}

async function stored() {
  const rows = await sql<{ subject_id: string; kind: string; period: string; due_on: string; opens_on: string | null; status: string; done_on: string | null; rule_values: Record<string, number> }>`
    select subject_id, kind, period, due_on::text as due_on, opens_on::text as opens_on, status, done_on::text as done_on, rule_values from obligations`.execute(db());
  return new Map(rows.rows.map((r) => [`${r.subject_id}/${r.kind}/${r.period}`, r]));
}

/** Generated calendar dates, weighted to month ends and February (leap years included). */
const dateArb = fc.tuple(fc.integer({ min: 2019, max: 2029 }), fc.integer({ min: 1, max: 12 }), fc.oneof(fc.constantFrom(1, 28, 29, 30, 31), fc.integer({ min: 1, max: 31 })))
  .map(([y, m, d]) => {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
  });

describe('month arithmetic in SQL (I-38)', () => {
  it('第二十五条: date + make_interval(months => n) is addMonths for generated dates, month ends and leap years included', async () => {
    const cases = fc.sample(fc.tuple(dateArb, fc.integer({ min: -30, max: 130 })), { numRuns: 3000, seed: 20261127 });
    cases.push(['2026-08-31', 6], ['2027-08-31', 6], ['2024-02-29', 12], ['2024-02-29', 48], ['2027-03-31', -1], ['2026-01-31', 1]);
    const r = await sql<{ d: string; m: number; r: string }>`
      select d::text as d, m, (d + make_interval(months => m))::date::text as r
      from unnest(${cases.map((c) => c[0])}::date[], ${cases.map((c) => c[1])}::int[]) as t(d, m)`.execute(db());
    expect(r.rows).toHaveLength(cases.length);
    for (const row of r.rows) expect(row.r, `${row.d} + ${row.m}`).toBe(addMonths(row.d, row.m));
    expect(r.rows.find((x) => x.d === '2026-08-31' && x.m === 6)!.r).toBe('2027-02-28');
    expect(r.rows.find((x) => x.d === '2027-08-31' && x.m === 6)!.r).toBe('2028-02-29');
  });
});

describe('the sweep agrees with the pure rules', () => {
  it('第二十条, 第二十五条, 第二十七条, 第十四条, 第十五条: every obligation of every generated project and system, on several days', async () => {
    const projectArb = fc.record({
      start: dateArb, track: fc.constantFrom('approval' as const, 'filing' as const),
      completed: fc.option(dateArb, { nil: null }), acceptedAfter: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
      operationShift: fc.option(fc.integer({ min: -200, max: 200 }), { nil: null }), local: fc.boolean(),
    });
    const province = (await db().selectFrom('organizations').select('id').where('kind', '=', 'province').executeTakeFirst())?.id ?? demo.org.get(HITECH)!;
    const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    for (const c of fc.sample(projectArb, { numRuns: 120, seed: 7 })) {
      const id = await insertProject({ start: c.start, track: c.track, department: c.local ? province : undefined });
      const completedOn = c.completed !== null && c.completed >= c.start ? c.completed : null;
      const acceptedOn = completedOn !== null && c.acceptedAfter !== null ? plusDays(completedOn, c.acceptedAfter) : null;
      const inOperationOn = acceptedOn !== null && c.operationShift !== null ? plusDays(acceptedOn, c.operationShift) : null;
      if (completedOn !== null) await setConstruction(id, { completedOn, acceptedOn, inOperationOn });
    }
    const linkable = (await db().selectFrom('project_construction').select('project_id').where('in_operation_on', 'is not', null).limit(20).execute()).map((r) => r.project_id);
    const systemArb = fc.record({ level: fc.constantFrom(null, 1, 2, 3, 4, 5), day: dateArb, hourUtc: fc.constantFrom(0, 15, 16, 23), link: fc.integer({ min: 0, max: 40 }) });
    for (const x of fc.sample(systemArb, { numRuns: 120, seed: 11 })) {
      await insertSystem({ level: x.level, createdAt: new Date(`${x.day}T${String(x.hourUtc).padStart(2, '0')}:30:00Z`), builtBy: linkable[x.link] });
    }
    // 第三十四条: a province's own acceptance period and lead, and a central change effective on a later day.
    const secadmin = (await db().selectFrom('users').select('id').where('username', '=', 'secadmin').executeTakeFirstOrThrow()).id;
    const version = (key: string, org: string | null, value: unknown, from: string) => sql`
      insert into rule_settings (key, organization_id, value, reason, changed_by, created_at, effective_from)
      values (${key}, ${org}::uuid, ${JSON.stringify(value)}::jsonb, '测试', ${secadmin}::uuid, now(), ${from}::date)`.execute(db());
    await version('acceptance.applicationMonths', province, 3, '0001-01-01');
    await version('obligation.remindDays', province, 10, '0001-01-01');
    await version('selfEvaluation.windowEndMonths', null, 18, '2027-01-01');
    await version('security.mlpsTestingMonths.level3', null, 24, '2027-01-01');

    let compared = 0;
    for (const today of ['2026-08-31', '2026-12-31', '2027-01-01', '2027-02-28', '2027-03-01', '2028-02-29', '2029-12-31']) {
      demo.services.clock.now = at(today);
      await sweepAll(demo.services);
      const [want, got] = [await reference(today), await stored()];
      for (const [key, w] of want) {
        const g = got.get(key);
        expect(g, `${today} ${key}`).toBeDefined();
        if (g!.status === 'done') {
          // Done on an earlier day: kept as discharged, its due date the one its recorded values give.
          expect(w.status).toBe('done');
          expect(g!.done_on).toBe(w.doneOn);
          continue;
        }
        expect({ dueOn: g!.due_on, opensOn: g!.opens_on, status: g!.status }, `${today} ${key}`).toEqual({ dueOn: w.dueOn, opensOn: w.opensOn, status: w.status });
        compared++;
      }
      // Nothing stored that the rules do not owe.
      for (const key of got.keys()) expect(want.has(key), `${today} stale ${key}`).toBe(true);
    }
    expect(compared).toBeGreaterThan(1000);
    const statuses = (await sql<{ status: string }>`select distinct status from obligations`.execute(db())).rows.map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining(['overdue', 'done']));
  }, 300_000);

  it('SPEC §11: the incremental daily sweep leaves exactly what a full recompute gives, through changes of every input and a clock set back', async () => {
    const secadmin = (await db().selectFrom('users').select('id').where('username', '=', 'secadmin').executeTakeFirstOrThrow()).id;
    const preparer = (await db().selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow()).id;
    const inConstruction = (await sql<{ id: string; completed_on: string | null; accepted_on: string | null }>`select p.id, pc.completed_on::text as completed_on,
      pc.accepted_on::text as accepted_on from projects p
      left join project_construction pc on pc.project_id = p.id where p.status in ('approved', 'filed') order by p.code`.execute(db())).rows;
    // Completed, not yet accepted: an application and its decision are what discharge them.
    const completed = inConstruction.filter((p) => p.completed_on !== null && p.accepted_on === null && p.completed_on < '2029-12-01');
    const systems = (await sql<{ id: string }>`select id from government_systems where status = 'operating' and mlps_level >= 3 order by name`.execute(db())).rows;
    expect(completed.length).toBeGreaterThan(10);
    expect(systems.length).toBeGreaterThan(10);
    // Changes of each input the sweep reads, made behind the use cases' back (raw SQL), so only the
    // daily sweep can notice them.
    const changes: Record<string, () => Promise<unknown>> = {
      '2030-01-02': async () => {
        await sql`insert into annual_performance_reports (project_id, year, due_on, progress, investment_execution, planned_investment,
            completed_investment, indicator_actuals, trial_operation, submitted_on, submitted_by, submitted_at)
          select p.id, 2029, '2029-12-31', '进展', '执行', 1, 1, '[]', false, '2030-01-02', ${preparer}::uuid, now()
          from obligations o join projects p on p.id = o.project_id where o.kind = 'annualReport' and o.period = '2029' and o.status <> 'done'
          order by p.code limit 3`.execute(db());
        await sql`insert into acceptance_applications (project_id, due_on, on_time, payload, submitted_by, submitted_at)
          values (${completed[0]!.id}::uuid, '2030-01-01', false, '{}', ${preparer}::uuid, '2030-01-01T16:30:00Z')`.execute(db());
      },
      '2030-01-03': async () => {
        await sql`insert into security_records (kind, system_id, occurred_on, passed, recorded_by, role, created_at)
          values ('securityTest', ${systems[0]!.id}::uuid, '2030-01-02', true, ${preparer}::uuid, 'assessor', now()),
                 ('cryptoAssessment', ${systems[1]!.id}::uuid, '2029-12-20', false, ${preparer}::uuid, 'assessor', now())`.execute(db());
        await db().transaction().execute(async (trx) => {
          await refreshSystemStatus(trx, systems[0]!.id, new Date());
          await refreshSystemStatus(trx, systems[1]!.id, new Date());
        });
        await sql`insert into acceptance_extensions (project_id, reason, due_on_before, proposed_due_on, requested_by, requested_at,
            decision, opinion, decided_by, role, payload, signature, public_key, decided_at)
          values (${completed[1]!.id}::uuid, '理由', '2027-01-01', '2030-03-31', ${preparer}::uuid, now(), 'approved', '同意', ${secadmin}::uuid,
            'approver', '{}', 'sig', 'pk', now())`.execute(db());
        await sql`insert into construction_orders (project_id, kind, opinion, due_on, ordered_by, ordered_at, payload, signature, public_key)
          values (${inConstruction[2]!.id}::uuid, 'rectification', '限期整改', '2030-02-10', ${secadmin}::uuid, now(), '{}', 'sig', 'pk')`.execute(db());
      },
      '2030-02-15': async () => {
        await sql`update construction_orders set rectified_on = '2030-02-12', rectification_report = '已整改', rectified_by = ${preparer}::uuid,
          rectified_at = now() where project_id = ${inConstruction[2]!.id}::uuid`.execute(db());
        await sql`update government_systems set status = 'retired' where id = ${systems[2]!.id}::uuid`.execute(db());
        await sql`update government_systems set mlps_level = 4 where id = ${systems[3]!.id}::uuid`.execute(db());
        await sql`insert into acceptance_decisions (project_id, application_id, result, opinion, actor_id, role, payload, signature, public_key, created_at)
          select project_id, id, 'fail', '不通过', ${secadmin}::uuid, 'approver', '{}', 'sig', 'pk', now() from acceptance_applications
          where project_id = ${completed[0]!.id}::uuid`.execute(db());
      },
      '2030-06-30': async () => {
        // 第三十四条: a central change effective in the future, and one taking effect the next day swept.
        await sql`insert into rule_settings (key, organization_id, value, reason, changed_by, created_at, effective_from)
          values ('obligation.remindDays', null, '45', '测试', ${secadmin}::uuid, now(), '2030-07-01')`.execute(db());
        await sql`update project_construction set completed_on = null, accepted_on = null, in_operation_on = null
          where project_id = ${completed[3]!.id}::uuid`.execute(db());
      },
    };
    const days = ['2030-01-02', '2030-01-03', '2030-01-04', '2030-02-15', '2030-06-30', '2030-07-01', '2030-07-02', '2031-01-01', '2031-01-02', '2030-12-15', '2031-01-03'];
    const modes: string[] = [];
    for (const today of days) {
      demo.services.clock.now = at(today);
      await changes[today]?.();
      const incremental = await sweepAll(demo.services);
      modes.push(`${today} ${incremental.mode} ${incremental.recomputed}`);
      // A full recompute right after finds nothing to write: the incremental sweep left the same rows.
      const full = await sweepAll(demo.services, null, { full: true });
      expect({ day: today, inserted: full.inserted, updated: full.updated, deleted: full.deleted, subjects: full.subjectsWritten })
        .toEqual({ day: today, inserted: 0, updated: 0, deleted: 0, subjects: 0 });
      expect(full.mode).toBe('full');
      // And both agree with the pure rules.
      const [want, got] = [await reference(today), await stored()];
      for (const [key, w] of want) {
        const g = got.get(key);
        expect(g, `${today} ${key}`).toBeDefined();
        if (g!.status === 'done' && w.status === 'done') continue;
        expect({ dueOn: g!.due_on, opensOn: g!.opens_on, status: g!.status, doneOn: g!.done_on }, `${today} ${key}`)
          .toEqual({ dueOn: w.dueOn, opensOn: w.opensOn, status: w.status, doneOn: w.doneOn });
      }
      for (const [key, g] of got) if (g.status !== 'done') expect(want.has(key), `${today} stale ${key}`).toBe(true);
    }
    // Incremental every day but when a settings version took effect (第三十四条) and when the clock went back.
    expect(modes.map((m) => m.split(' ').slice(0, 2).join(' ')), modes.join('; ')).toEqual(days.map((d) =>
      `${d} ${d === '2030-07-01' || d === '2030-12-15' ? 'full' : 'incremental'}`));
    const total = Number((await sql<{ n: string }>`select count(*) as n from obligation_subjects`.execute(db())).rows[0]!.n);
    const quiet = Number(modes.find((m) => m.startsWith('2030-01-04'))!.split(' ')[2]);
    expect(quiet).toBeLessThan(total / 2);
    // The inputs read: the rectification (第二十一条) was owed and then done, the extension moved the deadline,
    // the failed application made the acceptance owed again (I-54), the tests moved the systems' due dates.
    const row = (subject: string, kind: string) => db().selectFrom('obligations').select(['status', 'period', sql<string>`due_on::text`.as('due'), sql<string | null>`done_on::text`.as('done')])
      .where('subject_id', '=', subject).where('kind', '=', kind).execute();
    expect(await row(inConstruction[2]!.id, 'rectification')).toEqual([expect.objectContaining({ status: 'done', due: '2030-02-10', done: '2030-02-12' })]);
    expect(await row(completed[1]!.id, 'acceptanceApplication')).toEqual([expect.objectContaining({ due: '2030-03-31' })]);
    expect((await row(completed[0]!.id, 'acceptanceApplication'))[0]!.status).toBe('overdue');
    expect((await row(systems[0]!.id, 'securityTest'))[0]!.due > '2030-01-02').toBe(true);
    expect(await row(systems[2]!.id, 'securityTest')).toEqual([]);
  }, 600_000);

  it('第二十五条: completed 2026-08-31 → apply by 2027-02-28: dueSoon from 30 days before, dueToday on the day, overdue the next day', async () => {
    const id = await insertProject({ start: '2025-01-01', name: '验收期限边界项目' });
    await setConstruction(id, { completedOn: '2026-08-31' });
    const statusOn = async (day: string) => {
      demo.services.clock.now = at(day);
      await db().transaction().execute((trx) => sweepProject(trx, demo.services, id));
      return db().selectFrom('obligations').select(['status', sql<string>`due_on::text`.as('due'), 'rule_values'])
        .where('project_id', '=', id).where('kind', '=', 'acceptanceApplication').executeTakeFirstOrThrow();
    };
    expect(await statusOn('2027-01-28')).toMatchObject({ status: 'notDue', due: '2027-02-28', rule_values: { 'acceptance.applicationMonths': 6, 'obligation.remindDays': 30 } });
    expect((await statusOn('2027-01-29')).status).toBe('dueSoon');
    expect((await statusOn('2027-02-27')).status).toBe('dueSoon');
    expect((await statusOn('2027-02-28')).status).toBe('dueToday');
    expect((await statusOn('2027-03-01')).status).toBe('overdue');
    // Accepted: done, and a later sweep never rewrites it.
    await setConstruction(id, { completedOn: '2026-08-31', acceptedOn: '2027-03-05' });
    expect(await statusOn('2027-03-06')).toMatchObject({ status: 'done', due: '2027-02-28' });
    // 第二十条: annual reports for 2025 and 2026 (construction ended 2026-08-31, before 12-31: none for 2026).
    const years = await db().selectFrom('obligations').select('period').where('project_id', '=', id).where('kind', '=', 'annualReport').orderBy('period').execute();
    expect(years.map((y) => y.period)).toEqual(['2025']);
  });
});

describe('reminders (I-58)', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    demo.services.config.smtp = { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null, from: 'govproj@example.gov.cn' };
    await db().updateTable('users').set({ email: 'liuyang@example.gov.cn' }).where('username', '=', 'preparer').execute();
  });
  afterAll(async () => {
    demo.services.config.smtp = null;
    await smtp?.close();
  });

  it('SPEC §11: an overdue obligation reminds the unit in-app and by email, once a day at most, again after 30 days', async () => {
    const id = await insertProject({ start: '2026-06-01', name: '提醒测试项目' });
    await setConstruction(id, { completedOn: '2026-09-15' });
    const preparer = (await db().selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow()).id;
    const notes = async () => db().selectFrom('notifications').select(['kind', 'title_zh', 'body_zh']).where('project_id', '=', id).where('user_id', '=', preparer).orderBy('created_at').execute();

    demo.services.clock.now = at('2027-03-16');
    await db().transaction().execute((trx) => sweepProject(trx, demo.services, id));
    const first = await notes();
    expect(first).toEqual([expect.objectContaining({ kind: 'overdue', title_zh: '【已逾期】提醒测试项目' })]);
    expect(first[0]!.body_zh).toContain('申请竣工验收的期限为 2027-03-15，已逾期 1 日');
    // The same day again, by the daily run and by the project: nothing new.
    await sweepAll(demo.services);
    await db().transaction().execute((trx) => sweepProject(trx, demo.services, id));
    expect(await notes()).toHaveLength(1);
    demo.services.clock.now = at('2027-04-14');
    await db().transaction().execute((trx) => sweepProject(trx, demo.services, id));
    expect(await notes()).toHaveLength(1);
    demo.services.clock.now = at('2027-04-15');
    await db().transaction().execute((trx) => sweepProject(trx, demo.services, id));
    expect(await notes()).toHaveLength(2);

    // The queued emails reach the SMTP server; each is sent once.
    const queued = await db().selectFrom('email_outbox').select(['id', 'to_address']).where('sent_at', 'is', null).where('obligation_id', 'is not', null).execute();
    expect(queued.length).toBeGreaterThanOrEqual(2);
    const before = smtp.received.length;
    const run = await deliverEmails(demo.services);
    expect(run.failed).toBe(0);
    expect(run.sent).toBe(queued.length);
    const mails = smtp.received.slice(before).filter((m) => m.subject === '【已逾期】提醒测试项目');
    expect(mails).toHaveLength(2);
    expect(mails[0]).toMatchObject({ from: 'govproj@example.gov.cn', to: ['liuyang@example.gov.cn'] });
    expect(mails[0]!.text).toContain('申请竣工验收的期限为 2027-03-15');
    expect((await deliverEmails(demo.services)).sent).toBe(0);
  });

  it('SPEC §11: a refused recipient is recorded and retried later; an unreachable server leaves the queue intact', async () => {
    const at0 = demo.services.now();
    await db().insertInto('email_outbox').values([
      { to_address: 'nobody@example.gov.cn', subject: '测试', body: '正文', created_at: at0 },
      { to_address: 'somebody@example.gov.cn', subject: '测试二', body: '.以点开头的行\n第二行', created_at: at0 },
    ]).execute();
    smtp.rejectRecipients.add('nobody@example.gov.cn');
    const run = await deliverEmails(demo.services);
    expect(run).toEqual({ sent: 1, failed: 1 });
    expect(smtp.received.at(-1)!.text).toBe('.以点开头的行\r\n第二行');
    const refused = await db().selectFrom('email_outbox').select(['sent_at', 'last_error', 'attempts']).where('to_address', '=', 'nobody@example.gov.cn').executeTakeFirstOrThrow();
    expect(refused).toMatchObject({ sent_at: null, attempts: 1 });
    expect(refused.last_error).toContain('550');
    // Server away: nothing is lost.
    const config = demo.services.config.smtp!;
    demo.services.config.smtp = { ...config, port: 1 };
    demo.services.clock.now = new Date(at0.getTime() + 3_600_000);
    expect((await deliverEmails(demo.services)).sent).toBe(0);
    demo.services.config.smtp = config;
    await db().updateTable('email_outbox').set({ sent_at: at0 }).where('to_address', '=', 'nobody@example.gov.cn').execute();
  });

  it('SPEC §11: two sweeps at once (two database handles, as two server processes) remind once', async () => {
    const id = await insertProject({ start: '2026-01-01', name: '并发提醒测试项目' });
    await setConstruction(id, { completedOn: '2026-10-20' });
    demo.services.clock.now = at('2027-06-01');
    const other: Services = TEST_DB_KIND === 'postgresql'
      ? { ...demo.services, database: await openPostgres(demo.t.url!, 3) }
      : demo.services;
    try {
      const runs = await Promise.all([sweepAll(demo.services), sweepAll(other), sweepAll(demo.services), sweepAll(other)]);
      const claimed = await sql<{ n: string; d: string }>`select count(*) as n, count(distinct (obligation_id, kind)) as d
        from obligation_reminders where day = '2027-06-01'`.execute(db());
      expect(Number(claimed.rows[0]!.n)).toBe(Number(claimed.rows[0]!.d));
      expect(runs.reduce((a, r) => a + r.reminded, 0)).toBe(Number(claimed.rows[0]!.n));
      const notes = await db().selectFrom('notifications').select(['user_id']).where('project_id', '=', id).where('reminder_on', 'is', null).execute();
      const users = new Set(notes.map((n) => n.user_id));
      expect(notes.length).toBe(users.size);
      expect(users.size).toBeGreaterThan(0);
      // Two deliveries at once send each queued email once.
      const before = smtp.received.length;
      const pending = Number((await sql<{ n: string }>`select count(*) as n from email_outbox where sent_at is null`.execute(db())).rows[0]!.n);
      const [a, b] = await Promise.all([deliverEmails(demo.services), deliverEmails(other)]);
      expect(a.sent + b.sent).toBe(pending);
      expect(smtp.received.length - before).toBe(pending);
    } finally {
      if (other !== demo.services) await other.database.close();
    }
  });
});

describe('履约日历 API', () => {
  it('SPEC §1: the unit sees its own obligations, the approval department those routed to it, supervisory bodies all; export .xlsx', async () => {
    demo.services.clock.now = at('2027-06-01');
    for (const u of ['ndrc', 'approver', 'preparer']) s[u] = await signIn(demo.app, demo.services, u);
    await sweepAll(demo.services);
    const total = Number((await sql<{ n: string }>`select count(*) as n from obligations`.execute(db())).rows[0]!.n);
    const list = async (who: string, q = '') => {
      const res = await get(who, `/api/v1/obligations?pageSize=2000${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Array<{ organizationName: string; approvalDepartmentName: string | null; status: string; subjectType: string; dueOn: string }>; total: number; byStatus: Record<string, number> };
    };
    const ndrc = await list('ndrc');
    expect(ndrc.total).toBe(total);
    const preparer = await list('preparer');
    expect(preparer.total).toBeGreaterThan(0);
    expect(preparer.items.every((i) => i.organizationName === UNIT)).toBe(true);
    const approver = await list('approver', '&subjectType=project');
    expect(approver.items.every((i) => i.approvalDepartmentName === HITECH)).toBe(true);
    expect(approver.items.every((i) => i.subjectType === 'project')).toBe(true);
    const overdue = await list('ndrc', '&status=overdue,dueToday&from=2027-01-01&to=2027-12-31');
    expect(overdue.items.every((i) => ['overdue', 'dueToday'].includes(i.status) && i.dueOn >= '2027-01-01' && i.dueOn <= '2027-12-31')).toBe(true);
    expect((await get('preparer', '/api/v1/obligations?status=late')).statusCode).toBe(400);
    const xlsx = await get('preparer', '/api/v1/obligations/export?status=overdue');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('规则设置 versions (第三十四条)', () => {
  it('第三十四条: only the security administrator changes settings (403 for NDRC and approvers); a version takes effect on its date', async () => {
    const body = { organizationId: null, value: 5, reason: '压缩验收申请期限', effectiveFrom: '2099-01-01' };
    // Sessions are signed in at the test clock's day.
    demo.services.clock.now = at('2098-12-01');
    for (const u of ['ndrc', 'approver', 'secadmin', 'mof']) s[u] = await signIn(demo.app, demo.services, u);
    expect((await put('ndrc', '/api/v1/rule-settings/acceptance.applicationMonths', body)).statusCode).toBe(403);
    expect((await put('approver', '/api/v1/rule-settings/acceptance.applicationMonths', { ...body, organizationId: demo.org.get(HITECH) })).statusCode).toBe(403);
    const past = await put('secadmin', '/api/v1/rule-settings/acceptance.applicationMonths', { ...body, effectiveFrom: '2098-11-30' });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors).toEqual([expect.objectContaining({ path: 'effectiveFrom', code: 'rule.effective_in_past' })]);
    const ok = await put('secadmin', '/api/v1/rule-settings/acceptance.applicationMonths', body);
    expect(ok.statusCode, ok.body).toBe(200);
    // Scheduled, not yet in force: the current value is unchanged, the version is listed.
    expect(ok.json().value).not.toBe(5);
    expect(ok.json().versions[0]).toMatchObject({ value: 5, effectiveFrom: '2099-01-01', state: 'scheduled', reason: '压缩验收申请期限' });
    expect(ok.json().versions.some((v: { state: string }) => v.state === 'inForce')).toBe(true);
    // The day before and the effective day itself.
    const before = await ruleBook(db(), '2098-12-31');
    const onDay = await ruleBook(db(), '2099-01-01');
    expect((await before.valueFor('acceptance.applicationMonths', demo.org.get(UNIT)!)).value).not.toBe(5);
    expect((await onDay.valueFor('acceptance.applicationMonths', demo.org.get(UNIT)!)).value).toBe(5);
    // The sweep's own resolution agrees with ruleBook, for the central row and a province's.
    const settings = await sweepSettings(db(), '2099-01-01');
    expect(settings.find((r) => r.org === null)!.am).toBe(5);
    for (const r of settings.filter((x) => x.org !== null)) {
      const path = [r.org!, ...await ancestorIds(db(), r.org!)];
      expect(path.length).toBeGreaterThan(0);
      expect((await onDay.valueFor('acceptance.applicationMonths', r.org!)).value).toBe(r.am);
    }
    const audit = await sql<{ n: string }>`select count(*) as n from audit_events where action = 'rule.update' and diff::text like '%2099-01-01%'`.execute(db());
    expect(Number(audit.rows[0]!.n)).toBe(1);
    // The history lists the version with its effective date.
    const history = (await get('mof', '/api/v1/rule-settings/history?key=acceptance.applicationMonths')).json().items;
    expect(history[0]).toMatchObject({ value: 5, effectiveFrom: '2099-01-01' });
  });
});
