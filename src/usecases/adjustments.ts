// 调整主要建设内容 (第二十三条): the construction unit states an adjustment (the contents moved,
// the amount, the reason, whether the goals change, the new total); `evaluateAdjustment` decides,
// with the threshold setting in force for the project's approval department (第三十四条), whether
// it may be self-filed (自行调整并备案) or waits for the approval department's re-approval, which
// is a signed decision with a fresh TOTP code. Every write locks the project's construction row
// first, so two adjustments sent at once take turns and the second counts the first (I-16).
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import {
  ADJUSTMENT_REASON_NAMES, evaluateAdjustment, type AdjustmentDecision, type AdjustmentFigures, type AdjustmentProblem,
  type AdjustmentReason, type AdjustmentRoute,
} from '../domain/adjustments.ts';
import { checkStatedFigures, type MoneyRecordProblem } from '../domain/construction-money.ts';
import { formatWan, parseWan, type Fen } from '../domain/money.ts';
import { shanghaiDate } from '../domain/plan.ts';
import type { RuleSource } from '../domain/rules.ts';
import { AppError } from '../errors.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { approvedBudget, projectForMoney } from './construction-access.ts';
import { lockConstruction } from './construction.ts';
import { notify, usersInRole } from './notifications.ts';
import { getProject, type Project } from './projects.ts';
import { ruleBook } from './rule-settings.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';

export interface AdjustmentInput {
  lines: Array<{ content: string; change: string }>;
  reason: AdjustmentReason | 'other';
  goalsUnchanged: boolean;
  description: string;
  /** The adjusted amount the unit states (万元); must be the one the lines give (I-16). */
  amount: string;
  /** The total investment after the adjustment (万元); must be the one the lines give. */
  totalAfter: string;
}

/** The figures of an evaluation, amounts as 万元 strings. */
export interface AdjustmentFiguresView {
  approvedTotal: string;
  totalBefore: string;
  increases: string;
  decreases: string;
  amount: string;
  priorCumulative: string;
  cumulative: string;
  totalAfter: string;
  sharePercent: string;
  shareExact: boolean;
  thresholdPercent: string;
  limit: string;
  headroom: string;
}

export interface AdjustmentEvaluation {
  route: AdjustmentRoute;
  problems: Array<AdjustmentProblem | MoneyRecordProblem>;
  reapprovalReasons: AdjustmentProblem[];
  figures: AdjustmentFiguresView | null;
  thresholdSource: RuleSource;
}

export interface AdjustmentView {
  id: string;
  seq: number;
  lines: Array<{ content: string; change: string }>;
  reason: AdjustmentReason | 'other';
  reasonName: { zh: string; en: string };
  goalsUnchanged: boolean;
  description: string;
  amount: string;
  approvedTotal: string;
  priorCumulative: string;
  cumulative: string;
  totalBefore: string;
  totalAfter: string;
  sharePercent: string;
  /** The threshold in force when it was filed (第三十四条: a later change rewrites nothing). */
  thresholdPercent: string;
  route: 'selfFile' | 'reapproval';
  reapprovalReasons: AdjustmentProblem[];
  status: 'filed' | 'pending' | 'approved' | 'refused';
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  opinion: string | null;
  signed: boolean;
}

const OTHER_REASON = { zh: '不属于第二十三条所列情形', en: 'None of the reasons of Article 23' };

function fen(text: string, path: string): Fen {
  const value = parseWan(text);
  if (value === null) throw new AppError('validation.failed', { fields: [{ path, code: 'project.amount_places' }] });
  return value;
}

function figuresView(f: AdjustmentFigures, totalBeforeFen: Fen): AdjustmentFiguresView {
  return {
    approvedTotal: formatWan(f.approvedTotalFen), totalBefore: formatWan(totalBeforeFen), increases: formatWan(f.increasesFen),
    decreases: formatWan(f.decreasesFen), amount: formatWan(f.amountFen), priorCumulative: formatWan(f.priorCumulativeFen),
    cumulative: formatWan(f.cumulativeFen), totalAfter: formatWan(f.totalAfterFen), sharePercent: f.sharePercent, shareExact: f.shareExact,
    thresholdPercent: f.thresholdPercent, limit: formatWan(f.limitFen), headroom: formatWan(f.headroomFen),
  };
}

/**
 * The baseline (I-16): the approved 概算 in force, the adjustments self-filed since it, and the
 * total as planned now (the last of those, or the approved total).
 */
async function baselineOf(db: Executor, projectId: string) {
  const budget = await approvedBudget(db, projectId);
  const filed = await db.selectFrom('project_adjustments').select(['amount', 'total_after'])
    .where('project_id', '=', projectId).where('status', '=', 'filed').where('seq', '>', budget.sinceSeq).orderBy('seq').execute();
  const approvedTotalFen = budget.fen ?? 0n;
  const currentTotalFen = filed.length > 0 ? parseWan(filed[filed.length - 1]!.total_after)! : approvedTotalFen;
  return { approvedTotalFen, currentTotalFen, priorAmountsFen: filed.map((r) => parseWan(r.amount)!) };
}

/** The rule applied to the input against what is recorded, with the threshold in force. */
async function evaluate(db: Executor, project: Project, input: AdjustmentInput, today: string): Promise<{ decision: AdjustmentDecision; evaluation: AdjustmentEvaluation; totalBeforeFen: Fen }> {
  const baseline = await baselineOf(db, project.id);
  // 第三十四条: the threshold in force on the day (I-57).
  const setting = await (await ruleBook(db, today)).valueFor('adjustment.thresholdPercent', project.approvalDepartmentId);
  const decision = evaluateAdjustment(baseline, {
    lines: input.lines.map((l, i) => ({ content: l.content, changeFen: fen(l.change, `lines.${i}.change`) })),
    reason: input.reason, goalsUnchanged: input.goalsUnchanged,
  }, String(setting.value));
  const stated = decision.figures ? checkStatedFigures(decision.figures, baseline.currentTotalFen, {
    amountFen: fen(input.amount, 'amount'), totalAfterFen: fen(input.totalAfter, 'totalAfter'),
  }) : [];
  const problems = [...decision.problems, ...stated];
  return {
    decision, totalBeforeFen: baseline.currentTotalFen,
    evaluation: {
      route: problems.length > 0 ? 'invalid' : decision.route, problems, reapprovalReasons: decision.reapprovalReasons,
      figures: decision.figures ? figuresView(decision.figures, baseline.currentTotalFen) : null, thresholdSource: setting.source,
    },
  };
}

/**
 * The dry run (第二十三条, SPEC §11): the route and the figures a proposed adjustment would get now,
 * nothing written. `amount` and `totalAfter` may be left empty: then they are taken as computed.
 */
export async function evaluateProposedAdjustment(services: Services, actor: Actor, projectId: string, input: Omit<AdjustmentInput, 'amount' | 'totalAfter'> & { amount?: string | undefined; totalAfter?: string | undefined }): Promise<AdjustmentEvaluation> {
  const project = await projectForMoney(services, actor, projectId, 'adjustment:file', 'unit');
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const first = await evaluate(db, project, { ...input, amount: input.amount ?? '0', totalAfter: input.totalAfter ?? '0' }, today);
  if ((input.amount !== undefined && input.totalAfter !== undefined) || !first.decision.figures) return first.evaluation;
  const f = first.decision.figures;
  return (await evaluate(db, project, {
    ...input, amount: input.amount ?? formatWan(f.amountFen), totalAfter: input.totalAfter ?? formatWan(f.totalAfterFen),
  }, today)).evaluation;
}

function present(r: {
  id: string; seq: string; lines: unknown; reason: AdjustmentReason | 'other'; goals_unchanged: boolean; description: string; amount: string;
  approved_total: string; prior_cumulative: string; cumulative: string; total_before: string; total_after: string; share_percent: string;
  threshold_percent: string; route: 'selfFile' | 'reapproval'; reapproval_reasons: unknown; status: AdjustmentView['status'];
  creator: string; created_at: Date; decider: string | null; decided_at: Date | null; opinion: string | null; signature: string | null;
}): AdjustmentView {
  const w = (t: string) => formatWan(parseWan(t)!);
  return {
    id: r.id, seq: Number(r.seq), lines: r.lines as AdjustmentView['lines'], reason: r.reason,
    reasonName: r.reason === 'other' ? OTHER_REASON : ADJUSTMENT_REASON_NAMES[r.reason],
    goalsUnchanged: r.goals_unchanged, description: r.description, amount: w(r.amount), approvedTotal: w(r.approved_total),
    priorCumulative: w(r.prior_cumulative), cumulative: w(r.cumulative), totalBefore: w(r.total_before), totalAfter: w(r.total_after),
    sharePercent: r.share_percent, thresholdPercent: Number(r.threshold_percent).toFixed(2), route: r.route,
    reapprovalReasons: r.reapproval_reasons as AdjustmentProblem[], status: r.status, createdBy: r.creator, createdAt: r.created_at.toISOString(),
    decidedBy: r.decider, decidedAt: r.decided_at?.toISOString() ?? null, opinion: r.opinion, signed: r.signature !== null,
  };
}

async function listIn(db: Executor, projectId: string): Promise<AdjustmentView[]> {
  const rows = await db.selectFrom('project_adjustments as a').innerJoin('users as c', 'c.id', 'a.created_by').leftJoin('users as d', 'd.id', 'a.decided_by')
    .selectAll('a').select(['c.display_name as creator', 'd.display_name as decider'])
    .where('a.project_id', '=', projectId).orderBy('a.seq').execute();
  return rows.map(present);
}

export interface AdjustmentsOverview {
  /** The approved 概算 in force (null before approval), the running total since it (I-16), the threshold now. */
  approvedTotal: string | null;
  currentTotal: string | null;
  cumulative: string;
  sharePercent: string | null;
  thresholdPercent: string;
  thresholdSource: RuleSource;
  items: AdjustmentView[];
}

/** A project's adjustments with the running cumulative share (project:read). */
export async function listAdjustments(services: Services, actor: Actor, projectId: string): Promise<AdjustmentsOverview> {
  const project = await getProject(services, actor, projectId);
  const db = services.database.db;
  const baseline = await baselineOf(db, projectId);
  const setting = await (await ruleBook(db, shanghaiDate(services.now()))).valueFor('adjustment.thresholdPercent', project.approvalDepartmentId);
  const cumulative = baseline.priorAmountsFen.reduce((a, b) => a + b, 0n);
  const decision = baseline.approvedTotalFen > 0n
    ? evaluateAdjustment(baseline, { lines: [], reason: 'businessNeeds', goalsUnchanged: true }, String(setting.value)).figures : null;
  return {
    approvedTotal: baseline.approvedTotalFen > 0n ? formatWan(baseline.approvedTotalFen) : null,
    currentTotal: baseline.approvedTotalFen > 0n ? formatWan(baseline.currentTotalFen) : null,
    cumulative: formatWan(cumulative), sharePercent: decision?.sharePercent ?? null,
    thresholdPercent: Number(setting.value).toFixed(2), thresholdSource: setting.source,
    items: await listIn(db, projectId),
  };
}

const routing = (p: Project) => ({ id: p.id, name: p.name, constructionUnitId: p.constructionUnitId, approvalDepartmentId: p.approvalDepartmentId, createdBy: p.createdBy });

/**
 * 第二十三条: records an adjustment. Self-filed when the rule allows (备案); otherwise pending
 * re-approval (重新报批), never silently self-filed. Invalid input is refused (422) with every
 * problem and nothing written.
 */
export async function fileAdjustment(services: Services, actor: Actor, projectId: string, input: AdjustmentInput): Promise<AdjustmentView> {
  await projectForMoney(services, actor, projectId, 'adjustment:file', 'unit');
  return services.database.db.transaction().execute(async (trx) => {
    const now = services.now();
    // The lock first: a concurrent adjustment waits here and then sees this one (I-16).
    await lockConstruction(trx, projectId, 'construction', now);
    const project = await getProject({ ...services, database: { ...services.database, db: trx } }, actor, projectId);
    const { evaluation, decision, totalBeforeFen } = await evaluate(trx, project, input, shanghaiDate(now));
    if (evaluation.route === 'invalid' || !decision.figures) {
      throw new AppError('adjustment.invalid', { params: { count: evaluation.problems.length }, problems: evaluation.problems });
    }
    const f = decision.figures;
    const route = evaluation.route as 'selfFile' | 'reapproval';
    const row = await trx.insertInto('project_adjustments').values({
      project_id: projectId, lines: JSON.stringify(input.lines.map((l) => ({ content: l.content, change: formatWan(parseWan(l.change)!) }))),
      reason: input.reason, goals_unchanged: input.goalsUnchanged, description: input.description, amount: formatWan(f.amountFen),
      approved_total: formatWan(f.approvedTotalFen), prior_cumulative: formatWan(f.priorCumulativeFen), cumulative: formatWan(f.cumulativeFen),
      total_before: formatWan(totalBeforeFen), total_after: formatWan(f.totalAfterFen), share_percent: f.sharePercent,
      threshold_percent: f.thresholdPercent, threshold_source: JSON.stringify(evaluation.thresholdSource), route,
      reapproval_reasons: JSON.stringify(decision.reapprovalReasons), status: route === 'selfFile' ? 'filed' : 'pending',
      created_by: actor.userId, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    // The approval department is told either way: a self-filed adjustment is filed with it (报备案).
    await notify(trx, now, actor.userId, await usersInRole(trx, 'approver', project.approvalDepartmentId), {
      kind: 'submitted', project: routing(project), actionId: null,
      title: route === 'selfFile'
        ? { zh: `建设内容调整备案：${project.name}`, en: `Adjustment filed: ${project.name}` }
        : { zh: `建设内容调整待重新报批：${project.name}`, en: `Adjustment for re-approval: ${project.name}` },
      body: {
        zh: `调整投资额 ${formatWan(f.amountFen)} 万元，累计 ${formatWan(f.cumulativeFen)} 万元，占概算 ${f.sharePercent}%（阈值 ${f.thresholdPercent}%，第二十三条）`,
        en: `Adjusted ${formatWan(f.amountFen)}, cumulative ${formatWan(f.cumulativeFen)} (10k yuan), ${f.sharePercent}% of the budget (threshold ${f.thresholdPercent}%, Article 23)`,
      },
    });
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'adjustment:file'), action: route === 'selfFile' ? 'adjustment.selfFile' : 'adjustment.submitForReapproval',
      objectType: 'project', objectId: projectId, outcome: 'success',
      diff: { after: {
        adjustmentId: row.id, route, amount: formatWan(f.amountFen), cumulative: formatWan(f.cumulativeFen), sharePercent: f.sharePercent,
        thresholdPercent: f.thresholdPercent, totalAfter: formatWan(f.totalAfterFen), reasons: decision.reapprovalReasons.map((r) => r.code),
      } },
      ...requestFacts(actor),
    });
    return (await listIn(trx, projectId)).find((a) => a.id === row.id)!;
  });
}

/**
 * 第二十三条: the approval department decides an adjustment sent for re-approval — a signed
 * decision with a fresh TOTP code. Approval makes its total the new approved 概算 and restarts the
 * cumulative count (I-16, I-45); a refusal changes nothing else.
 */
export async function decideAdjustment(services: Services, actor: Actor, projectId: string, adjustmentId: string, input: { outcome: 'approve' | 'refuse'; opinion: string; totp?: string | undefined }): Promise<AdjustmentView> {
  const project = await projectForMoney(services, actor, projectId, 'adjustment:decide', 'department');
  return services.database.db.transaction().execute(async (trx: Tx) => {
    const now = services.now();
    await lockConstruction(trx, projectId, 'construction', now);
    const row = await trx.selectFrom('project_adjustments').selectAll().where('id', '=', adjustmentId).where('project_id', '=', projectId).executeTakeFirst();
    if (!row) throw new AppError('resource.not_found');
    if (row.status !== 'pending') throw new AppError('adjustment.not_pending', { params: { status: row.status } });
    await verifyStepUp(services, trx, actor, input.totp);
    const status = input.outcome === 'approve' ? 'approved' as const : 'refused' as const;
    const payload = canonicalJson({
      type: 'govproj.adjustment-decision.v1', projectId, projectCode: project.code, projectName: project.name, adjustmentId,
      lines: row.lines, reason: row.reason, goalsUnchanged: row.goals_unchanged, amount: formatWan(parseWan(row.amount)!),
      approvedTotal: formatWan(parseWan(row.approved_total)!), cumulative: formatWan(parseWan(row.cumulative)!), sharePercent: row.share_percent,
      thresholdPercent: Number(row.threshold_percent).toFixed(2), totalAfter: formatWan(parseWan(row.total_after)!),
      outcome: status, opinion: input.opinion, actorId: actor.userId, actorUsername: actor.username, role: 'approver', at: now.toISOString(),
    });
    const signed = await signAsUser(services, trx, actor.userId, payload);
    await trx.updateTable('project_adjustments').set({
      status, decided_by: actor.userId, decided_at: now, opinion: input.opinion, decision_payload: payload,
      signature: signed.signature, public_key: signed.publicKey,
    }).where('id', '=', adjustmentId).execute();
    await notify(trx, now, actor.userId, [...await usersInRole(trx, 'preparer', project.constructionUnitId), project.createdBy], {
      kind: 'decided', project: routing(project), actionId: null,
      title: { zh: `建设内容调整${status === 'approved' ? '已批复' : '不予批复'}：${project.name}`, en: `Adjustment ${status}: ${project.name}` },
      body: { zh: input.opinion, en: input.opinion },
    });
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'adjustment:decide'), action: `adjustment.${input.outcome}`, objectType: 'project', objectId: projectId,
      outcome: 'success', diff: { before: { adjustmentId, status: 'pending' }, after: { adjustmentId, status, opinion: input.opinion, signed: true,
        ...(status === 'approved' ? { approvedTotal: formatWan(parseWan(row.total_after)!) } : {}) } },
      ...requestFacts(actor),
    });
    return (await listIn(trx, projectId)).find((a) => a.id === adjustmentId)!;
  });
}

/** Every adjustment of a project, for the .xlsx export (project:read). */
export async function exportAdjustments(services: Services, actor: Actor, projectId: string): Promise<AdjustmentView[]> {
  await getProject(services, actor, projectId);
  return listIn(services.database.db, projectId);
}
