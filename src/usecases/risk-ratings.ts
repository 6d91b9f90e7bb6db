// Risk ratings (issue 6; SPEC §8 监督管理, §9 统计分析): a project's planned / projected / actual
// dates and costs, its rating now (live: today's overdue obligations and open rectifications), the
// history of every rating with its date and narrative, and the re-baselines beside the original
// baseline (I-73). The construction unit records a projection (construction:record); the approval
// department re-baselines (construction:order). Every write and its audit event commit together.
import { sql, type RawBuilder } from 'kysely';
import { appendAuditEvent } from '../audit/writer.ts';
import { formatWan, parseWan, type Fen } from '../domain/money.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { DEFAULT_THRESHOLDS, rateRisk, type Baseline, type RiskRating, type RiskThresholds } from '../domain/risk.ts';
import { percentHundredths } from '../domain/rules.ts';
import { AppError } from '../errors.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { projectForMoney } from './construction-access.ts';
import { lockConstruction } from './construction.ts';
import { getProject } from './projects.ts';
import { ruleBook } from './rule-settings.ts';

/**
 * Open rectifications of the project whose id is `projectId` (an SQL expression), from both sources:
 * 第二十一条 orders of the approval department (construction_orders, kind rectification) not yet
 * reported done, and 第三十条 rectification orders of the supervisory bodies (rectification_orders)
 * not verified as passed. Past due: a 第二十一条 order open after its deadline; a 第三十条 order that
 * failed verification, or open or answered after its deadline (as /work/supervision-schema.md
 * defines "escalation due"). The one definition the rating, the dashboard and the funding model
 * count (set-based: openRectificationsByProject).
 */
export function openRectificationCount(projectId: RawBuilder<unknown>, today: string, overdueOnly = false): RawBuilder<number> {
  const overdue21 = overdueOnly ? sql`and co.due_on < ${today}::date` : sql``;
  const overdue30 = overdueOnly ? sql`and (ro.status = 'failed' or ro.due_on < ${today}::date)` : sql``;
  return sql<number>`((select count(*)::int from construction_orders co
      where co.project_id = ${projectId} and co.kind = 'rectification' and co.rectified_on is null ${overdue21})
    + (select count(*)::int from rectification_orders ro where ro.project_id = ${projectId} and ro.status <> 'passed' ${overdue30}))`;
}

/**
 * Every project's open rectifications (and those past their deadline) as a set, from both sources
 * as openRectificationCount counts them: the dashboard's and the funding model's join. Columns:
 * project_id, open, overdue.
 */
export function openRectificationsByProject(today: string): RawBuilder<{ project_id: string; open: number; overdue: number }> {
  return sql`(select x.project_id, count(*)::int as open, count(*) filter (where x.overdue)::int as overdue from (
      select co.project_id, co.due_on < ${today}::date as overdue from construction_orders co
        where co.kind = 'rectification' and co.rectified_on is null
      union all
      select ro.project_id, (ro.status = 'failed' or ro.due_on < ${today}::date) as overdue from rectification_orders ro
        where ro.project_id is not null and ro.status <> 'passed') x
    group by x.project_id)`;
}

/** Every project's overdue obligations as a set (project_id, n). */
export function overdueObligationsByProject(): RawBuilder<{ project_id: string; n: number }> {
  return sql`(select o.project_id, count(*)::int as n from obligations o
    where o.status = 'overdue' and o.project_id is not null group by o.project_id)`;
}

/** The band thresholds in force for a project's approval department on `on` (第三十四条). */
export async function riskThresholds(db: Executor, approvalDepartmentId: string, on: string): Promise<{ thresholds: RiskThresholds; values: Record<string, string> }> {
  const book = await ruleBook(db, on);
  const amber = String((await book.valueFor('risk.amberPercent', approvalDepartmentId)).value);
  const red = String((await book.valueFor('risk.redPercent', approvalDepartmentId)).value);
  return {
    thresholds: { amberHundredths: percentHundredths(amber) ?? DEFAULT_THRESHOLDS.amberHundredths, redHundredths: percentHundredths(red) ?? DEFAULT_THRESHOLDS.redHundredths },
    values: { 'risk.amberPercent': amber, 'risk.redPercent': red },
  };
}

interface Facts {
  project: { id: string; code: string; name: string; track: string; status: string; approvalDepartmentId: string };
  original: Baseline;
  rebaseline: (Baseline & { id: string; reason: string; recordedAt: Date }) | null;
  projection: { end: string; cost: Fen; assessedOn: string } | null;
  actualEnd: string | null;
  actualCost: Fen;
  finalAccounts: boolean;
  overdueObligations: number;
  openRectifications: number;
  thresholds: RiskThresholds;
  ruleValues: Record<string, string>;
}

const wan = (text: string) => parseWan(text)!;

async function loadFacts(db: Executor, projectId: string, today: string): Promise<Facts> {
  const p = await db.selectFrom('projects').where('id', '=', projectId)
    .select(['id', 'code', 'name', 'track', 'status', 'approval_department_id', sql<string>`construction_start::text`.as('start'),
      sql<string>`construction_end::text`.as('end'), sql<string>`total_investment::text`.as('total')])
    .executeTakeFirst();
  if (!p) throw new AppError('resource.not_found');
  const rb = await db.selectFrom('risk_baselines').where('project_id', '=', projectId).orderBy('seq', 'desc').limit(1)
    .select(['id', 'reason', 'recorded_at', sql<string>`planned_start::text`.as('start'), sql<string>`planned_end::text`.as('end'), sql<string>`planned_cost::text`.as('cost')])
    .executeTakeFirst();
  const last = await db.selectFrom('risk_assessments').where('project_id', '=', projectId).orderBy('seq', 'desc').limit(1)
    .select([sql<string>`projected_end::text`.as('end'), sql<string>`projected_cost::text`.as('cost'), sql<string>`assessed_on::text`.as('on')])
    .executeTakeFirst();
  const r = await sql<{ completed_on: string | null; final_accounts: string | null; spent: string; overdue: number; open: number }>`
    select coalesce(cc.completed_on, pc.completed_on)::text as completed_on, cc.final_accounts_amount::text as final_accounts,
      (select coalesce(sum(s.amount), 0)::text from investment_spending s where s.project_id = ${projectId}) as spent,
      (select count(*)::int from obligations o where o.project_id = ${projectId} and o.status = 'overdue') as overdue,
      ${openRectificationCount(sql`${projectId}::uuid`, today)} as open
    from (select 1) one
    left join construction_completions cc on cc.project_id = ${projectId}
    left join project_construction pc on pc.project_id = ${projectId}`.execute(db);
  const f = r.rows[0]!;
  const { thresholds, values } = await riskThresholds(db, p.approval_department_id, today);
  return {
    project: { id: p.id, code: p.code, name: p.name, track: p.track, status: p.status, approvalDepartmentId: p.approval_department_id },
    // The original baseline is the project's own construction period and total investment (I-73).
    original: { plannedStart: p.start, plannedEnd: p.end, plannedCost: wan(p.total) },
    rebaseline: rb ? { id: rb.id, reason: rb.reason, recordedAt: rb.recorded_at, plannedStart: rb.start, plannedEnd: rb.end, plannedCost: wan(rb.cost) } : null,
    projection: last ? { end: last.end, cost: wan(last.cost), assessedOn: last.on } : null,
    actualEnd: f.completed_on,
    actualCost: f.final_accounts !== null ? wan(f.final_accounts) : wan(f.spent),
    finalAccounts: f.final_accounts !== null,
    overdueObligations: f.overdue, openRectifications: f.open, thresholds, ruleValues: values,
  };
}

function rate(f: Facts, projection: { end: string; cost: Fen } | null): RiskRating {
  const baseline = f.rebaseline ?? f.original;
  // Without a projection on record the plan is the projection: only actuals and raises can move it.
  const p = projection ?? { end: baseline.plannedEnd, cost: baseline.plannedCost };
  return rateRisk({
    original: f.original, rebaseline: f.rebaseline, projectedEnd: p.end, projectedCost: p.cost, actualEnd: f.actualEnd,
    actualCost: f.actualCost, overdueObligations: f.overdueObligations, openRectifications: f.openRectifications, thresholds: f.thresholds,
  });
}

const baselineView = (b: Baseline) => ({ plannedStart: b.plannedStart, plannedEnd: b.plannedEnd, plannedCost: formatWan(b.plannedCost) });

export interface RiskAssessmentView {
  id: string; assessedOn: string; projectedEnd: string; projectedCost: string; actualEnd: string | null; actualCost: string;
  plannedStart: string; plannedEnd: string; plannedCost: string; rebaselined: boolean;
  scheduleVariance: string; costVariance: string; originalScheduleVariance: string; originalCostVariance: string;
  overdueObligations: number; openRectifications: number; band: string; reasons: unknown; ruleValues: Record<string, unknown>;
  narrative: string; recordedByName: string; recordedAt: string;
}

/** A project's risk: the triples, the rating now, the re-baselines and the history (newest first). */
export async function getProjectRisk(services: Services, actor: Actor, projectId: string) {
  requireAccess(actor, 'project:read');
  await getProject(services, actor, projectId); // 404 outside the caller's scope
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const f = await loadFacts(db, projectId, today);
  const rating = rate(f, f.projection);
  const baselines = await db.selectFrom('risk_baselines as b').innerJoin('users as u', 'u.id', 'b.recorded_by').where('b.project_id', '=', projectId)
    .orderBy('b.seq', 'desc')
    .select(['b.id', 'b.reason', 'b.recorded_at', 'u.display_name', sql<string>`b.planned_start::text`.as('start'), sql<string>`b.planned_end::text`.as('end'), sql<string>`b.planned_cost::text`.as('cost')])
    .execute();
  const history = await db.selectFrom('risk_assessments as a').innerJoin('users as u', 'u.id', 'a.recorded_by').where('a.project_id', '=', projectId)
    .orderBy('a.seq', 'desc').limit(200)
    .select(['a.id', 'a.baseline_id', 'a.schedule_variance', 'a.cost_variance', 'a.original_schedule_variance', 'a.original_cost_variance',
      'a.overdue_obligations', 'a.open_rectifications', 'a.band', 'a.reasons', 'a.rule_values', 'a.narrative', 'a.recorded_at', 'u.display_name',
      sql<string>`a.assessed_on::text`.as('assessed_on'), sql<string>`a.projected_end::text`.as('projected_end'), sql<string>`a.projected_cost::text`.as('projected_cost'),
      sql<string | null>`a.actual_end::text`.as('actual_end'), sql<string>`a.actual_cost::text`.as('actual_cost'),
      sql<string>`a.planned_start::text`.as('planned_start'), sql<string>`a.planned_end::text`.as('planned_end'), sql<string>`a.planned_cost::text`.as('planned_cost')])
    .execute();
  const inConstruction = (f.project.track === 'approval' && f.project.status === 'approved') || (f.project.track === 'filing' && f.project.status === 'filed');
  return {
    projectId, projectCode: f.project.code, projectName: f.project.name, today, rated: inConstruction,
    thresholds: f.ruleValues,
    planned: { ...baselineView(f.rebaseline ?? f.original), rebaselined: f.rebaseline !== null },
    original: baselineView(f.original),
    projected: f.projection ? { end: f.projection.end, cost: formatWan(f.projection.cost), assessedOn: f.projection.assessedOn } : null,
    actual: { end: f.actualEnd, cost: formatWan(f.actualCost), finalAccounts: f.finalAccounts },
    overdueObligations: f.overdueObligations, openRectifications: f.openRectifications,
    rating,
    baselines: baselines.map((b) => ({ id: b.id, plannedStart: b.start, plannedEnd: b.end, plannedCost: formatWan(wan(b.cost)), reason: b.reason, recordedByName: b.display_name, recordedAt: new Date(b.recorded_at).toISOString() })),
    history: history.map((a): RiskAssessmentView => ({
      id: a.id, assessedOn: a.assessed_on, projectedEnd: a.projected_end, projectedCost: formatWan(wan(a.projected_cost)), actualEnd: a.actual_end,
      actualCost: formatWan(wan(a.actual_cost)), plannedStart: a.planned_start, plannedEnd: a.planned_end, plannedCost: formatWan(wan(a.planned_cost)),
      rebaselined: a.baseline_id !== null, scheduleVariance: a.schedule_variance, costVariance: a.cost_variance,
      originalScheduleVariance: a.original_schedule_variance, originalCostVariance: a.original_cost_variance,
      overdueObligations: a.overdue_obligations, openRectifications: a.open_rectifications, band: a.band, reasons: a.reasons,
      ruleValues: a.rule_values, narrative: a.narrative, recordedByName: a.display_name, recordedAt: new Date(a.recorded_at).toISOString(),
    })),
  };
}

/** Writes one rating to the history and the current level, with its audit event, in `trx`. */
async function writeAssessment(trx: Tx, actor: Actor, permission: 'construction:record' | 'construction:order', f: Facts,
  projection: { end: string; cost: Fen }, narrative: string, today: string, now: Date, action: string) {
  const rating = rate(f, projection);
  const baseline = f.rebaseline ?? f.original;
  const role = auditActorFor(actor, permission).role;
  const row = await trx.insertInto('risk_assessments').values({
    project_id: f.project.id, assessed_on: today, baseline_id: f.rebaseline?.id ?? null,
    planned_start: baseline.plannedStart, planned_end: baseline.plannedEnd, planned_cost: formatWan(baseline.plannedCost),
    projected_end: projection.end, projected_cost: formatWan(projection.cost), actual_end: f.actualEnd, actual_cost: formatWan(f.actualCost),
    schedule_variance: rating.scheduleVariance, cost_variance: rating.costVariance,
    original_schedule_variance: rating.originalScheduleVariance, original_cost_variance: rating.originalCostVariance,
    overdue_obligations: f.overdueObligations, open_rectifications: f.openRectifications, variance_level: rating.varianceLevel, band: rating.band,
    reasons: JSON.stringify(rating.reasons), rule_values: JSON.stringify(f.ruleValues), narrative, recorded_by: actor.userId, role: role ?? 'system', recorded_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('risk_current').values({ project_id: f.project.id, assessment_id: row.id, variance_level: rating.varianceLevel, assessed_on: today })
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ assessment_id: row.id, variance_level: rating.varianceLevel, assessed_on: today }))
    .execute();
  await appendAuditEvent(trx, {
    actor: auditActorFor(actor, permission), action, objectType: 'project', objectId: f.project.id, outcome: 'success',
    diff: { after: { assessmentId: row.id, projectedEnd: projection.end, projectedCost: formatWan(projection.cost), band: rating.band, scheduleVariance: rating.scheduleVariance, costVariance: rating.costVariance, narrative } },
    ...requestFacts(actor), occurredAt: now,
  });
  return { id: row.id, rating };
}

async function lockInConstruction(trx: Tx, projectId: string, now: Date) {
  const phase = await lockConstruction(trx, projectId, 'afterCompletion', now);
  const s = phase.lifecycle;
  if (!((s.track === 'approval' && s.status === 'approved') || (s.track === 'filing' && s.status === 'filed'))) {
    throw new AppError('construction.not_started', { params: { state: `${s.stage}.${s.status}` } });
  }
}

export interface AssessmentInput {
  projectedEnd: string;
  /** 万元, two places. */
  projectedCost: string;
  narrative: string;
}

/** The construction unit's projection of the end date and cost, rated and kept in the history. */
export async function recordRiskAssessment(services: Services, actor: Actor, projectId: string, input: AssessmentInput) {
  await projectForMoney(services, actor, projectId, 'construction:record', 'unit');
  const now = services.now();
  return services.database.db.transaction().execute((trx) => recordRiskAssessmentIn(trx, actor, projectId, input, now));
}

/** recordRiskAssessment inside the caller's transaction, the caller having checked access (the demo seed). */
export async function recordRiskAssessmentIn(trx: Tx, actor: Actor, projectId: string, input: AssessmentInput, now: Date) {
  const today = shanghaiDate(now);
  await lockInConstruction(trx, projectId, now);
  const f = await loadFacts(trx, projectId, today);
  return writeAssessment(trx, actor, 'construction:record', f, { end: input.projectedEnd, cost: wan(input.projectedCost) }, input.narrative, today, now, 'risk.assess');
}

export interface RebaselineInput {
  plannedStart: string;
  plannedEnd: string;
  plannedCost: string;
  reason: string;
}

/**
 * The approval department sets a new baseline (重新设定基线). It is recorded with its reason, the
 * original baseline stays, and a rating against both is written to the history at once (I-73).
 */
export async function rebaselineProject(services: Services, actor: Actor, projectId: string, input: RebaselineInput) {
  await projectForMoney(services, actor, projectId, 'construction:order', 'department');
  if (input.plannedEnd < input.plannedStart) throw new AppError('validation.failed', { fields: [{ path: 'plannedEnd', code: 'too_small' }] });
  const now = services.now();
  return services.database.db.transaction().execute((trx) => rebaselineProjectIn(trx, actor, projectId, input, now));
}

/** rebaselineProject inside the caller's transaction, the caller having checked access (the demo seed). */
export async function rebaselineProjectIn(trx: Tx, actor: Actor, projectId: string, input: RebaselineInput, now: Date) {
  const today = shanghaiDate(now);
  {
    await lockInConstruction(trx, projectId, now);
    const role = auditActorFor(actor, 'construction:order').role ?? 'approver';
    const b = await trx.insertInto('risk_baselines').values({
      project_id: projectId, planned_start: input.plannedStart, planned_end: input.plannedEnd, planned_cost: input.plannedCost,
      reason: input.reason, recorded_by: actor.userId, role, recorded_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'construction:order'), action: 'risk.rebaseline', objectType: 'project', objectId: projectId, outcome: 'success',
      diff: { after: { baselineId: b.id, ...input } }, ...requestFacts(actor), occurredAt: now,
    });
    const f = await loadFacts(trx, projectId, today);
    const projection = f.projection ?? { end: input.plannedEnd, cost: wan(input.plannedCost) };
    const narrative = `重新设定基线：${input.reason}`;
    const written = await writeAssessment(trx, actor, 'construction:order', f, { end: projection.end, cost: projection.cost }, narrative, today, now, 'risk.assess');
    return { baselineId: b.id, ...written };
  }
}
