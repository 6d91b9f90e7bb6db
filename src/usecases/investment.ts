// 投资 (第二十二条, 第二十四条): annual investment plans released to a project, spending against
// them, and early investments (提前安排投资) applied for after the 可研 approval and decided by the
// approval department. Each write authorizes first, locks the project's construction row
// (lockConstruction: suspension refuses, writes to one project take turns), applies the pure rule
// of src/domain/investment.ts and writes the record and its audit event in one transaction.
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { checkEarlyRelease, stageFacts } from '../domain/construction-money.ts';
import {
  checkEarlyInvestment, checkInvestmentRelease, checkSpending, EARLY_INVESTMENT_PURPOSE_NAMES, surplusToReturn,
  type EarlyInvestmentPurpose, type StageFacts,
} from '../domain/investment.ts';
import { formatWan, parseWan, type Fen } from '../domain/money.ts';
import type { RuleProblem } from '../domain/rule-problem.ts';
import { AppError } from '../errors.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { approvedBudget, projectForMoney, sumOf } from './construction-access.ts';
import { constructionPhase, lockConstruction } from './construction.ts';
import { projectSanctions, refuseIfSanctioned, type ProjectSanctionsView } from './supervision.ts';
import { notify, usersInRole } from './notifications.ts';
import { getProject, type Project } from './projects.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';

/** 资金来源 of a release. */
export const INVESTMENT_SOURCES = ['central_budget', 'central_fiscal', 'local_fiscal', 'self_raised', 'other'] as const;
export type InvestmentSource = (typeof INVESTMENT_SOURCES)[number];

export interface ReleaseInput {
  planYear: number;
  /** 万元, up to six decimals (to the fen). */
  amount: string;
  source: InvestmentSource;
  documentNo: string | null;
  releasedOn: string;
  /** 第二十四条 (I-46): the approved early investment this release carries out, before the 概算 approval. */
  earlyInvestmentId: string | null;
  note: string | null;
}

export interface SpendingInput {
  spentOn: string;
  amount: string;
  payee: string;
  purpose: string;
}

export interface EarlyInvestmentInput {
  lines: Array<{ purpose: string; amount: string }>;
  justification: string;
}

export interface DecisionInput {
  outcome: 'approve' | 'refuse';
  opinion: string;
  totp?: string | undefined;
}

const wan = (text: string): Fen => {
  const fen = parseWan(text);
  if (fen === null) throw new AppError('validation.failed', { fields: [{ path: 'amount', code: 'project.amount_places' }] });
  return fen;
};
const num = (text: string) => formatWan(parseWan(text)!);

function blocked(problems: readonly RuleProblem[]): AppError {
  return new AppError('investment.blocked', { params: { count: problems.length }, problems });
}

/** The phase refuses (suspension always; completion once construction is under way). */
async function lockForMoney(trx: Tx, projectId: string, now: Date) {
  const phase = await lockConstruction(trx, projectId, 'anyStage', now);
  if (phase.completedOn && stageFacts(phase.lifecycle).designApproved) {
    throw new AppError('construction.completed', { params: { completedOn: phase.completedOn } });
  }
  return phase;
}

export interface EarlyInvestmentView {
  id: string;
  lines: Array<{ purpose: EarlyInvestmentPurpose; purposeName: { zh: string; en: string }; amount: string }>;
  total: string;
  justification: string;
  status: 'pending' | 'approved' | 'refused';
  /** Released so far under it (I-46). */
  released: string;
  appliedBy: string;
  appliedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  opinion: string | null;
  signed: boolean;
}

export interface InvestmentOverview {
  projectId: string;
  stages: StageFacts;
  /** 核定概算 now in force (万元), null before the 概算 approval. */
  approvedBudget: string | null;
  released: string;
  spent: string;
  /** approved budget − released; null without a budget. */
  releasable: string | null;
  /** released − spent. */
  spendable: string;
  /** 第二十二条: what is to be returned once construction has ended (null while it runs). */
  surplus: string | null;
  suspendedSince: string | null;
  /** 第三十条: escalation decisions standing against the project (暂缓 refuses releases, 暂停 spending). */
  sanctions: ProjectSanctionsView | null;
  completedOn: string | null;
  releases: Array<{
    id: string; planYear: number; amount: string; source: InvestmentSource; documentNo: string | null; releasedOn: string;
    earlyInvestmentId: string | null; note: string | null; releasedBy: string; role: string; createdAt: string;
  }>;
  spending: Array<{ id: string; spentOn: string; amount: string; payee: string; purpose: string; recordedBy: string; createdAt: string }>;
  earlyInvestments: EarlyInvestmentView[];
}

async function overviewOf(db: Executor, project: Project): Promise<InvestmentOverview> {
  const budget = await approvedBudget(db, project.id);
  const released = await sumOf(db, 'investment_releases', project.id);
  const spent = await sumOf(db, 'investment_spending', project.id);
  const phase = await constructionPhase(db, project.id);
  const releases = await db.selectFrom('investment_releases as r').innerJoin('users as u', 'u.id', 'r.released_by')
    .selectAll('r').select('u.display_name').where('r.project_id', '=', project.id).orderBy('r.seq').execute();
  const spending = await db.selectFrom('investment_spending as s').innerJoin('users as u', 'u.id', 's.recorded_by')
    .selectAll('s').select('u.display_name').where('s.project_id', '=', project.id).orderBy('s.seq').execute();
  const early = await db.selectFrom('early_investments as e').innerJoin('users as a', 'a.id', 'e.applied_by')
    .leftJoin('users as d', 'd.id', 'e.decided_by')
    .selectAll('e').select(['a.display_name as applicant', 'd.display_name as decider'])
    .where('e.project_id', '=', project.id).orderBy('e.seq').execute();
  const releasedUnder = new Map<string, Fen>();
  for (const r of releases) {
    if (r.early_investment_id) releasedUnder.set(r.early_investment_id, (releasedUnder.get(r.early_investment_id) ?? 0n) + parseWan(r.amount)!);
  }
  return {
    projectId: project.id, stages: stageFacts(project.lifecycle),
    approvedBudget: budget.fen === null ? null : formatWan(budget.fen),
    released: formatWan(released), spent: formatWan(spent),
    releasable: budget.fen === null ? null : formatWan(budget.fen - released),
    spendable: formatWan(released - spent),
    surplus: phase?.completed_on ? formatWan(surplusToReturn(released, spent)) : null,
    suspendedSince: phase?.suspended_since?.toISOString() ?? null, completedOn: phase?.completed_on ?? null,
    sanctions: await projectSanctions(db, project.id),
    releases: releases.map((r) => ({
      id: r.id, planYear: r.plan_year, amount: num(r.amount), source: r.source, documentNo: r.document_no, releasedOn: r.released_on,
      earlyInvestmentId: r.early_investment_id, note: r.note, releasedBy: r.display_name, role: r.role, createdAt: r.created_at.toISOString(),
    })),
    spending: spending.map((s) => ({
      id: s.id, spentOn: s.spent_on, amount: num(s.amount), payee: s.payee, purpose: s.purpose, recordedBy: s.display_name,
      createdAt: s.created_at.toISOString(),
    })),
    earlyInvestments: early.map((e) => ({
      id: e.id,
      lines: (e.lines as Array<{ purpose: EarlyInvestmentPurpose; amount: string }>).map((l) => ({
        purpose: l.purpose, purposeName: EARLY_INVESTMENT_PURPOSE_NAMES[l.purpose], amount: l.amount,
      })),
      total: num(e.total), justification: e.justification, status: e.status, released: formatWan(releasedUnder.get(e.id) ?? 0n),
      appliedBy: e.applicant, appliedAt: e.applied_at.toISOString(), decidedBy: e.decider, decidedAt: e.decided_at?.toISOString() ?? null,
      opinion: e.opinion, signed: e.signature !== null,
    })),
  };
}

/** A project's investment: budget, releases, spending, early investments and the totals (project:read). */
export async function getInvestment(services: Services, actor: Actor, projectId: string): Promise<InvestmentOverview> {
  const project = await getProject(services, actor, projectId);
  return overviewOf(services.database.db, project);
}

/**
 * 下达投资计划 (第二十四条; I-43, I-44, I-46): by the approval department (or NDRC). Refused (422,
 * every problem with its article) before the 初设/概算 approval unless it carries out an approved
 * early investment within its amount; cumulative releases never pass the approved 概算.
 */
export async function releaseInvestment(services: Services, actor: Actor, projectId: string, input: ReleaseInput): Promise<InvestmentOverview> {
  await projectForMoney(services, actor, projectId, 'investment:release', 'department');
  const amountFen = wan(input.amount);
  return services.database.db.transaction().execute(async (trx) => {
    const now = services.now();
    const phase = await lockForMoney(trx, projectId, now);
    // 第三十条: 暂缓安排投资计划 refuses every new release until lifted.
    await refuseIfSanctioned(trx, projectId, 'release');
    const stages = stageFacts(phase.lifecycle);
    const budget = await approvedBudget(trx, projectId);
    const releasedFen = await sumOf(trx, 'investment_releases', projectId);
    const release = checkInvestmentRelease({ stages, approvedBudgetFen: budget.fen, releasedFen, amountFen });
    const problems: RuleProblem[] = [...release.problems];
    if (input.earlyInvestmentId) {
      const early = await trx.selectFrom('early_investments').select(['status', 'total'])
        .where('id', '=', input.earlyInvestmentId).where('project_id', '=', projectId).executeTakeFirst();
      if (!early) throw new AppError('resource.not_found');
      const earlyProblems = checkEarlyRelease(early.status, parseWan(early.total)!, await sumOf(trx, 'investment_releases', projectId, input.earlyInvestmentId), amountFen);
      // I-46: an approved early investment stands in for the 概算 approval, within its amount;
      // after the 概算 approval its releases count within the 概算 too (I-43).
      if (early.status === 'approved') problems.splice(0, problems.length, ...problems.filter((p) => p.code !== 'investment.design_not_approved'));
      problems.push(...earlyProblems);
    }
    if (problems.length > 0) throw blocked(problems);
    const role = auditActorFor(actor, 'investment:release');
    const row = await trx.insertInto('investment_releases').values({
      project_id: projectId, plan_year: input.planYear, amount: formatWan(amountFen), source: input.source, document_no: input.documentNo,
      released_on: input.releasedOn, early_investment_id: input.earlyInvestmentId, note: input.note, released_by: actor.userId,
      role: role.role ?? 'unknown', created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: role, action: 'investment.release', objectType: 'project', objectId: projectId, outcome: 'success',
      diff: { after: { releaseId: row.id, planYear: input.planYear, amount: formatWan(amountFen), source: input.source, releasedOn: input.releasedOn,
        documentNo: input.documentNo, earlyInvestmentId: input.earlyInvestmentId, releasedTotal: formatWan(releasedFen + amountFen) } },
      ...requestFacts(actor),
    });
    return overviewOf(trx, await getProject({ ...services, database: { ...services.database, db: trx } }, actor, projectId));
  });
}

/** 第二十二条 (I-43): a payment recorded by the construction unit, within what was released. */
export async function recordSpending(services: Services, actor: Actor, projectId: string, input: SpendingInput): Promise<InvestmentOverview> {
  await projectForMoney(services, actor, projectId, 'investment:record', 'unit');
  const amountFen = wan(input.amount);
  return services.database.db.transaction().execute(async (trx) => {
    const now = services.now();
    await lockForMoney(trx, projectId, now);
    const releasedFen = await sumOf(trx, 'investment_releases', projectId);
    const spentFen = await sumOf(trx, 'investment_spending', projectId);
    const check = checkSpending(releasedFen, spentFen, amountFen);
    if (!check.ok) throw blocked(check.problems);
    const row = await trx.insertInto('investment_spending').values({
      project_id: projectId, spent_on: input.spentOn, amount: formatWan(amountFen), payee: input.payee, purpose: input.purpose,
      recorded_by: actor.userId, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'investment:record'), action: 'investment.spend', objectType: 'project', objectId: projectId, outcome: 'success',
      diff: { after: { spendingId: row.id, spentOn: input.spentOn, amount: formatWan(amountFen), payee: input.payee, purpose: input.purpose,
        spentTotal: formatWan(check.figures.spentAfterFen), released: formatWan(releasedFen) } },
      ...requestFacts(actor),
    });
    return overviewOf(trx, await getProject({ ...services, database: { ...services.database, db: trx } }, actor, projectId));
  });
}

/** 第二十四条 (I-17): the construction unit applies for an early investment after the 可研 approval. */
export async function applyEarlyInvestment(services: Services, actor: Actor, projectId: string, input: EarlyInvestmentInput): Promise<InvestmentOverview> {
  const project = await projectForMoney(services, actor, projectId, 'investment:record', 'unit');
  const lines = input.lines.map((l) => ({ purpose: l.purpose, amountFen: wan(l.amount) }));
  return services.database.db.transaction().execute(async (trx) => {
    const now = services.now();
    const phase = await lockConstruction(trx, projectId, 'anyStage', now);
    const check = checkEarlyInvestment(stageFacts(phase.lifecycle), lines);
    if (!check.ok) throw blocked(check.problems);
    const row = await trx.insertInto('early_investments').values({
      project_id: projectId, lines: JSON.stringify(lines.map((l) => ({ purpose: l.purpose, amount: formatWan(l.amountFen) }))),
      total: formatWan(check.totalFen), justification: input.justification, status: 'pending', applied_by: actor.userId, applied_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await notify(trx, now, actor.userId, await usersInRole(trx, 'approver', project.approvalDepartmentId), {
      kind: 'submitted', project: { id: project.id, name: project.name, constructionUnitId: project.constructionUnitId, approvalDepartmentId: project.approvalDepartmentId, createdBy: project.createdBy },
      actionId: null,
      title: { zh: `提前安排投资申请待决定：${project.name}`, en: `Early investment to decide: ${project.name}` },
      body: { zh: `申请金额 ${formatWan(check.totalFen)} 万元（第二十四条）`, en: `Amount ${formatWan(check.totalFen)} (10k yuan) (Article 24)` },
    });
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'investment:record'), action: 'earlyInvestment.apply', objectType: 'project', objectId: projectId, outcome: 'success',
      diff: { after: { earlyInvestmentId: row.id, total: formatWan(check.totalFen), lines: lines.map((l) => ({ purpose: l.purpose, amount: formatWan(l.amountFen) })) } },
      ...requestFacts(actor),
    });
    return overviewOf(trx, await getProject({ ...services, database: { ...services.database, db: trx } }, actor, projectId));
  });
}

/**
 * 第二十四条: the approval department approves or refuses an early investment, a signed decision
 * with a fresh TOTP code (SPEC §10). Approving re-checks the rule: once the 概算 is approved an
 * early investment is no longer the way (I-43).
 */
export async function decideEarlyInvestment(services: Services, actor: Actor, projectId: string, earlyId: string, input: DecisionInput): Promise<InvestmentOverview> {
  const project = await projectForMoney(services, actor, projectId, 'investment:decide', 'department');
  return services.database.db.transaction().execute(async (trx) => {
    const now = services.now();
    const phase = await lockConstruction(trx, projectId, 'anyStage', now);
    const early = await trx.selectFrom('early_investments').selectAll().where('id', '=', earlyId).where('project_id', '=', projectId).executeTakeFirst();
    if (!early) throw new AppError('resource.not_found');
    if (early.status !== 'pending') throw new AppError('earlyInvestment.not_pending', { params: { status: early.status } });
    const lines = early.lines as Array<{ purpose: string; amount: string }>;
    if (input.outcome === 'approve') {
      const check = checkEarlyInvestment(stageFacts(phase.lifecycle), lines.map((l) => ({ purpose: l.purpose, amountFen: parseWan(l.amount)! })));
      if (!check.ok) throw blocked(check.problems);
    }
    await verifyStepUp(services, trx, actor, input.totp);
    const status = input.outcome === 'approve' ? 'approved' as const : 'refused' as const;
    const payload = canonicalJson({
      type: 'govproj.early-investment-decision.v1', projectId, projectCode: project.code, projectName: project.name,
      earlyInvestmentId: earlyId, lines, total: num(early.total), outcome: status, opinion: input.opinion,
      actorId: actor.userId, actorUsername: actor.username, role: 'approver', at: now.toISOString(),
    });
    const signed = await signAsUser(services, trx, actor.userId, payload);
    await trx.updateTable('early_investments').set({
      status, decided_by: actor.userId, decided_at: now, opinion: input.opinion, decision_payload: payload,
      signature: signed.signature, public_key: signed.publicKey,
    }).where('id', '=', earlyId).execute();
    await notify(trx, now, actor.userId, [...await usersInRole(trx, 'preparer', project.constructionUnitId), project.createdBy], {
      kind: 'decided', project: { id: project.id, name: project.name, constructionUnitId: project.constructionUnitId, approvalDepartmentId: project.approvalDepartmentId, createdBy: project.createdBy },
      actionId: null,
      title: { zh: `提前安排投资${status === 'approved' ? '已同意' : '未同意'}：${project.name}`, en: `Early investment ${status}: ${project.name}` },
      body: { zh: input.opinion, en: input.opinion },
    });
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'investment:decide'), action: `earlyInvestment.${input.outcome}`, objectType: 'project', objectId: projectId,
      outcome: 'success', diff: { before: { status: 'pending' }, after: { earlyInvestmentId: earlyId, status, opinion: input.opinion, signed: true } },
      ...requestFacts(actor),
    });
    return overviewOf(trx, await getProject({ ...services, database: { ...services.database, db: trx } }, actor, projectId));
  });
}
