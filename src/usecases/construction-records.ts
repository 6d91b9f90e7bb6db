// 建设实施 (第十三条, 第十九条–第二十二条): the construction unit's records (implementing agency,
// project lead, 监理单位, procurement, contracts), its annual performance reports, its reports of
// serious delay or investment loss and of rectification done, and its declaration of completion;
// the approval department's orders (整改 with a deadline, 暂停) and the lifting of a suspension.
// Every write authorizes first, then in one transaction locks the construction row
// (lockConstruction), applies the pure rule, writes the change, its audit event and the
// notifications of the other side.
import { sweepProject } from './obligations.ts';
import { sql } from 'kysely';
import { canonicalJson } from '../audit/chain.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import {
  annualReportObligations, annualReportsDue, type ObligationState,
} from '../domain/deadlines.ts';
import {
  assessIndicators, completionProblems, constructionStartedOn, contractProblems, orderProblems, procurementProblems,
  rectificationProblems, rectificationStatus, reportYearProblems, PROBLEM_KIND_NAMES, PROCUREMENT_METHOD_NAMES,
  type DeliveryModel, deliveryProblems, type IndicatorActual, type ProcurementMethod, type RecordProblem, type RectificationStatus,
} from '../domain/construction-records.ts';
import { isProjectApproved, type LifecycleState, stateName } from '../domain/lifecycle.ts';
import { formatWan, parseWan } from '../domain/money.ts';
import { shanghaiDate } from '../domain/plan.ts';
import type { Permission } from '../domain/authz.ts';
import { AppError } from '../errors.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { sumOf } from './construction-access.ts';
import { lockConstruction } from './construction.ts';
import { notify, usersInRole, type NotificationKind, type ProjectRouting } from './notifications.ts';
import { getProject, type Project } from './projects.ts';
import { ruleBook } from './rule-settings.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';
import { projectSanctions } from './supervision.ts';

const wan = (v: string | null) => (v === null ? null : formatWan(parseWan(v)!));

function blocked(problems: readonly RecordProblem[]): never {
  throw new AppError('construction.blocked', { params: { count: problems.length }, problems });
}

function routing(p: Project): ProjectRouting {
  return { id: p.id, name: p.name, constructionUnitId: p.constructionUnitId, approvalDepartmentId: p.approvalDepartmentId, createdBy: p.createdBy };
}

/** The construction unit's people: its preparers, unit leads and the project's creator. */
async function unitPeople(trx: Tx, p: Project): Promise<string[]> {
  return [p.createdBy, ...await usersInRole(trx, 'preparer', p.constructionUnitId), ...await usersInRole(trx, 'unit_lead', p.constructionUnitId)];
}

/** The approval department's reviewers and approvers. */
async function departmentPeople(trx: Tx, p: Project): Promise<string[]> {
  return [...await usersInRole(trx, 'reviewer', p.approvalDepartmentId), ...await usersInRole(trx, 'approver', p.approvalDepartmentId)];
}

async function tell(trx: Tx, now: Date, actor: Actor, to: string[], p: Project, kind: NotificationKind, title: { zh: string; en: string }, body: { zh: string; en: string }) {
  await notify(trx, now, actor.userId, to, {
    kind, project: routing(p), actionId: null,
    title: { zh: `【${title.zh}】${p.name}`, en: `[${title.en}] ${p.name}` }, body,
  });
}

async function audit(trx: Tx, actor: Actor, permission: Permission, action: string, projectId: string, after: Record<string, unknown>, before: Record<string, unknown> | null = null, now?: Date) {
  await appendAuditEvent(trx, {
    actor: auditActorFor(actor, permission), action, objectType: 'project', objectId: projectId, outcome: 'success',
    diff: { before, after }, ...requestFacts(actor), ...(now ? { occurredAt: now } : {}),
  });
}

/** The state written in a refusal when the project is not approved or filed yet. */
function requireStarted(lifecycle: LifecycleState) {
  if (!isProjectApproved(lifecycle) && lifecycle.status !== 'filed') {
    throw new AppError('construction.not_started', { params: { state: stateName(lifecycle).zh } });
  }
}

// ——— reads ———

export interface AnnualReportRow {
  id: string; year: number; dueOn: string; progress: string; investmentExecution: string;
  plannedInvestment: string; completedInvestment: string; indicatorActuals: IndicatorActual[];
  trialOperation: boolean; trialEffects: string | null; problems: string | null;
  submittedOn: string; late: boolean; submittedBy: string | null; submittedAt: string;
}

export interface OrderRow {
  id: string; problemId: string | null; kind: 'rectification' | 'suspension'; opinion: string; dueOn: string | null;
  orderedBy: string | null; orderedAt: string; /** The SM2 signature over the stored payload verifies (SPEC §10). */
  signatureValid: boolean;
  rectifiedOn: string | null; rectificationReport: string | null;
  /** 第二十一条: rectification status; null for a suspension. */
  rectificationStatus: RectificationStatus | null;
  liftedAt: string | null; liftReason: string | null; liftedBy: string | null;
  /** A suspension still standing. */
  standing: boolean;
}

/** 第二十条 (I-47): the date construction counts from, for the annual reports. */
async function startedOn(db: Executor, project: ReportProject): Promise<string> {
  const decided = await db.selectFrom('project_actions').select('created_at').where('project_id', '=', project.id)
    .where('to_status', 'in', ['approved', 'filed']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return constructionStartedOn(decided ? shanghaiDate(decided.created_at) : project.constructionStart, project.constructionStart);
}

async function reportRows(db: Executor, projectId: string): Promise<AnnualReportRow[]> {
  const rows = await db.selectFrom('annual_performance_reports as r').leftJoin('users as u', 'u.id', 'r.submitted_by')
    .selectAll('r').select('u.display_name').where('r.project_id', '=', projectId).orderBy('r.year').execute();
  return rows.map((r) => ({
    id: r.id, year: r.year, dueOn: r.due_on, progress: r.progress, investmentExecution: r.investment_execution,
    plannedInvestment: wan(r.planned_investment)!, completedInvestment: wan(r.completed_investment)!,
    indicatorActuals: r.indicator_actuals as IndicatorActual[], trialOperation: r.trial_operation, trialEffects: r.trial_effects,
    problems: r.problems, submittedOn: r.submitted_on, late: r.submitted_on > r.due_on, submittedBy: r.display_name,
    submittedAt: r.submitted_at.toISOString(),
  }));
}

/** What the annual-report status needs of a project (a Project, or its row's fields). */
export type ReportProject = Pick<Project, 'id' | 'approvalDepartmentId' | 'constructionStart'>;

/**
 * 第二十条: each construction year's report: due, submitted or overdue, with its obligation status
 * (for the tab, and for the obligation sweep: `completedOn` from project_construction).
 */
export async function annualReportStatus(db: Executor, project: ReportProject, today: string, completedOn: string | null) {
  const book = await ruleBook(db, today);
  const dueMonthDay = String((await book.valueFor('annualReport.dueMonthDay', project.approvalDepartmentId)).value);
  const remindDays = Number((await book.valueFor('obligation.remindDays', project.approvalDepartmentId)).value);
  const from = await startedOn(db, project);
  const due = today < from ? [] : annualReportsDue(from, completedOn, today, dueMonthDay);
  const submitted = await db.selectFrom('annual_performance_reports').select('year').where('project_id', '=', project.id).execute();
  return {
    constructionStartedOn: from, dueMonthDay,
    years: annualReportObligations(due, submitted.map((s) => s.year), today, remindDays) as Array<{ year: number; dueOn: string; submitted: boolean; state: ObligationState | null }>,
  };
}

async function orderRows(db: Executor, projectId: string, today: string): Promise<OrderRow[]> {
  const rows = await db.selectFrom('construction_orders as o').leftJoin('users as u', 'u.id', 'o.ordered_by').leftJoin('users as l', 'l.id', 'o.lifted_by')
    .selectAll('o').select(['u.display_name as ordered_name', 'l.display_name as lifted_name'])
    .where('o.project_id', '=', projectId).orderBy('o.ordered_at').execute();
  return rows.map((o) => ({
    id: o.id, problemId: o.problem_id, kind: o.kind, opinion: o.opinion, dueOn: o.due_on, orderedBy: o.ordered_name,
    orderedAt: o.ordered_at.toISOString(), signatureValid: sm2Verify(o.payload, o.signature, o.public_key),
    rectifiedOn: o.rectified_on, rectificationReport: o.rectification_report,
    rectificationStatus: o.kind === 'rectification' ? rectificationStatus(o.due_on!, o.rectified_on, today) : null,
    liftedAt: o.lifted_at?.toISOString() ?? null, liftReason: o.lift_reason, liftedBy: o.lifted_name,
    standing: o.kind === 'suspension' && o.lifted_at === null,
  }));
}

async function procurementRows(db: Executor, projectId: string) {
  const rows = await db.selectFrom('construction_procurements').selectAll().where('project_id', '=', projectId).orderBy('procured_on').orderBy('created_at').execute();
  return rows.map((r) => ({
    id: r.id, subject: r.subject, method: r.method as ProcurementMethod, methodName: PROCUREMENT_METHOD_NAMES[r.method as ProcurementMethod],
    secretRelated: r.secret_related, procuredOn: r.procured_on, winner: r.winner, amount: wan(r.amount)!,
  }));
}

async function contractRows(db: Executor, projectId: string) {
  const rows = await db.selectFrom('construction_contracts as c').leftJoin('construction_procurements as p', 'p.id', 'c.procurement_id')
    .selectAll('c').select('p.subject as procurement_subject').where('c.project_id', '=', projectId).orderBy('c.signed_on').orderBy('c.created_at').execute();
  return rows.map((r) => ({
    id: r.id, procurementId: r.procurement_id, procurementSubject: r.procurement_subject, title: r.title, counterparty: r.counterparty,
    amount: wan(r.amount)!, signedOn: r.signed_on,
  }));
}

async function problemRows(db: Executor, projectId: string) {
  const rows = await db.selectFrom('construction_problems as p').leftJoin('users as u', 'u.id', 'p.reported_by')
    .selectAll('p').select('u.display_name').where('p.project_id', '=', projectId).orderBy('p.reported_at').execute();
  return rows.map((r) => ({
    id: r.id, kind: r.kind, kindName: PROBLEM_KIND_NAMES[r.kind], description: r.description, delayDays: r.delay_days,
    lossAmount: wan(r.loss_amount), reportedBy: r.display_name, reportedAt: r.reported_at.toISOString(),
  }));
}

/** Everything the 建设实施 tab shows (project:read within scope; 404 outside it). */
export async function getConstruction(services: Services, actor: Actor, projectId: string) {
  const project = await getProject(services, actor, projectId);
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const [phase, record, completion] = await Promise.all([
    db.selectFrom('project_construction').selectAll().where('project_id', '=', projectId).executeTakeFirst(),
    db.selectFrom('construction_records').selectAll().where('project_id', '=', projectId).executeTakeFirst(),
    db.selectFrom('construction_completions').selectAll().where('project_id', '=', projectId).executeTakeFirst(),
  ]);
  const started = isProjectApproved(project.lifecycle) || project.lifecycle.status === 'filed';
  const completedOn = phase?.completed_on ?? null;
  return {
    projectId, started, today,
    suspendedSince: phase?.suspended_since?.toISOString() ?? null,
    // 第三十条: the escalation decisions standing against the project (暂缓, 暂停, 终止).
    sanctions: await projectSanctions(db, projectId),
    completedOn,
    record: record ? {
      implementingAgency: record.implementing_agency, projectLead: record.project_lead, supervisorName: record.supervisor_name,
      supervisorContractNo: record.supervisor_contract_no, supervisorContractAmount: wan(record.supervisor_contract_amount),
      supervisorContractSignedOn: record.supervisor_contract_signed_on, buildModel: record.build_model, omModel: record.om_model,
      deliveryNote: record.delivery_note, version: record.version, updatedAt: record.updated_at.toISOString(),
    } : null,
    procurements: await procurementRows(db, projectId),
    contracts: await contractRows(db, projectId),
    annualReports: {
      ...(started ? await annualReportStatus(db, project, today, completedOn) : { constructionStartedOn: null, dueMonthDay: null, years: [] }),
      reports: await reportRows(db, projectId),
    },
    indicators: project.performanceIndicators,
    problems: await problemRows(db, projectId),
    orders: await orderRows(db, projectId, today),
    completion: completion ? {
      completedOn: completion.completed_on, finalAccountsAmount: wan(completion.final_accounts_amount)!,
      surplusAmount: wan(completion.surplus_amount)!, surplusReturnedOn: completion.surplus_returned_on,
      declaredAt: completion.declared_at.toISOString(),
    } : null,
  };
}

// ——— 第十三条, 第十九条: records ———

export interface RecordInput {
  implementingAgency: string | null;
  projectLead: string | null;
  supervisorName: string | null;
  supervisorContractNo: string | null;
  supervisorContractAmount: string | null;
  supervisorContractSignedOn: string | null;
  /** 第十八条 */
  buildModel: DeliveryModel | null;
  omModel: DeliveryModel | null;
  deliveryNote: string | null;
}

/**
 * 第十三条, 第十八条, 第十九条: the implementing agency, the project lead, how the project is built
 * and run, and the 监理单位 with its contract.
 */
export async function updateRecord(services: Services, actor: Actor, projectId: string, input: RecordInput) {
  const project = await getProject(services, actor, projectId, 'construction:record');
  const now = services.now();
  const today = shanghaiDate(now);
  const problems = [
    ...(input.supervisorContractSignedOn !== null ? contractProblems(input.supervisorContractSignedOn, today) : []),
    ...deliveryProblems(input),
  ];
  if (problems.length) blocked(problems);
  await services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'construction', now);
    const before = await trx.selectFrom('construction_records').selectAll().where('project_id', '=', projectId).executeTakeFirst();
    const values = {
      implementing_agency: input.implementingAgency, project_lead: input.projectLead, supervisor_name: input.supervisorName,
      supervisor_contract_no: input.supervisorContractNo, supervisor_contract_amount: input.supervisorContractAmount,
      supervisor_contract_signed_on: input.supervisorContractSignedOn, build_model: input.buildModel, om_model: input.omModel,
      delivery_note: input.deliveryNote, updated_by: actor.userId, updated_at: now,
    };
    if (before) {
      await trx.updateTable('construction_records').set({ ...values, version: before.version + 1 }).where('project_id', '=', projectId).execute();
    } else {
      await trx.insertInto('construction_records').values({ project_id: projectId, ...values }).execute();
    }
    await audit(trx, actor, 'construction:record', 'construction.record.update', project.id, { ...input }, before ? {
      implementingAgency: before.implementing_agency, projectLead: before.project_lead, supervisorName: before.supervisor_name,
      supervisorContractNo: before.supervisor_contract_no, supervisorContractAmount: wan(before.supervisor_contract_amount),
      supervisorContractSignedOn: before.supervisor_contract_signed_on, buildModel: before.build_model, omModel: before.om_model,
      deliveryNote: before.delivery_note,
    } : null);
  });
  return getConstruction(services, actor, projectId);
}

export interface ProcurementInput {
  subject: string; method: ProcurementMethod; secretRelated: boolean; procuredOn: string; winner: string; amount: string;
}

/** 第十九条 (I-48): a tendering or procurement record. */
export async function addProcurement(services: Services, actor: Actor, projectId: string, input: ProcurementInput) {
  await getProject(services, actor, projectId, 'construction:record');
  const now = services.now();
  const problems = procurementProblems(input, shanghaiDate(now));
  if (problems.length) blocked(problems);
  const id = await services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'construction', now);
    const row = await trx.insertInto('construction_procurements').values({
      project_id: projectId, subject: input.subject, method: input.method, secret_related: input.secretRelated,
      procured_on: input.procuredOn, winner: input.winner, amount: input.amount, created_by: actor.userId, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, actor, 'construction:record', 'construction.procurement.create', projectId, { id: row.id, ...input });
    return row.id;
  });
  return (await procurementRows(services.database.db, projectId)).find((p) => p.id === id)!;
}

export interface ContractInput {
  procurementId: string | null; title: string; counterparty: string; amount: string; signedOn: string;
}

/** 第十九条: a contract, linked to its procurement when there was one. */
export async function addContract(services: Services, actor: Actor, projectId: string, input: ContractInput) {
  await getProject(services, actor, projectId, 'construction:record');
  const now = services.now();
  const problems = contractProblems(input.signedOn, shanghaiDate(now));
  if (problems.length) blocked(problems);
  const id = await services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'construction', now);
    if (input.procurementId !== null) {
      const p = await trx.selectFrom('construction_procurements').select('project_id').where('id', '=', input.procurementId).executeTakeFirst();
      if (!p || p.project_id !== projectId) throw new AppError('validation.failed', { fields: [{ path: 'procurementId', code: 'unknown_reference' }] });
    }
    const row = await trx.insertInto('construction_contracts').values({
      project_id: projectId, procurement_id: input.procurementId, title: input.title, counterparty: input.counterparty,
      amount: input.amount, signed_on: input.signedOn, created_by: actor.userId, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, actor, 'construction:record', 'construction.contract.create', projectId, { id: row.id, ...input });
    return row.id;
  });
  return (await contractRows(services.database.db, projectId)).find((c) => c.id === id)!;
}

// ——— 第二十条: annual performance reports ———

export interface AnnualReportInput {
  year: number; progress: string; investmentExecution: string; plannedInvestment: string; completedInvestment: string;
  indicatorActuals: Array<{ indicator: string; actual: string }>;
  trialOperation: boolean; trialEffects: string | null; problems: string | null;
}

/** 第二十条 (I-5, I-47): the year's report, once; late when submitted after its due date. */
export async function submitAnnualReport(services: Services, actor: Actor, projectId: string, input: AnnualReportInput) {
  const project = await getProject(services, actor, projectId, 'construction:record');
  const now = services.now();
  const today = shanghaiDate(now);
  const { results, problems: indicatorProblems } = assessIndicators(project.performanceIndicators, input.year, input.indicatorActuals);
  await services.database.db.transaction().execute(async (trx) => {
    const phase = await lockConstruction(trx, projectId, 'construction', now);
    const status = await annualReportStatus(trx, project, today, phase.completedOn);
    const problems = [...reportYearProblems(input.year, status.years.map((y) => y.year)), ...indicatorProblems];
    if (problems.length) blocked(problems);
    const due = status.years.find((y) => y.year === input.year)!;
    if (due.submitted) throw new AppError('construction.report_exists', { params: { year: input.year } });
    const row = await trx.insertInto('annual_performance_reports').values({
      project_id: projectId, year: input.year, due_on: due.dueOn, progress: input.progress, investment_execution: input.investmentExecution,
      planned_investment: input.plannedInvestment, completed_investment: input.completedInvestment, indicator_actuals: JSON.stringify(results),
      trial_operation: input.trialOperation, trial_effects: input.trialOperation ? input.trialEffects : null, problems: input.problems,
      submitted_on: today, submitted_by: actor.userId, submitted_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, actor, 'construction:record', 'construction.annualReport.submit', projectId, {
      id: row.id, year: input.year, dueOn: due.dueOn, submittedOn: today, late: today > due.dueOn,
      plannedInvestment: input.plannedInvestment, completedInvestment: input.completedInvestment,
      indicators: results.map((r) => ({ indicator: r.indicator, target: r.target, actual: r.actual, met: r.met })),
    });
    await tell(trx, now, actor, await departmentPeople(trx, project), project, 'submitted',
      { zh: '年度绩效评估报告', en: 'Annual performance report' },
      { zh: `${actor.displayName}提交了 ${input.year} 年度绩效评估报告（第二十条）。`, en: `${actor.displayName} submitted the ${input.year} annual performance report (Article 20).` });
    // The deadline engine: the year's obligation is done as this commits.
    await sweepProject(trx, services, projectId);
  });
  return getConstruction(services, actor, projectId);
}

// ——— 第二十一条: major problems and orders ———

export interface ProblemInput {
  kind: 'serious_delay' | 'investment_loss'; description: string; delayDays: number | null; lossAmount: string | null;
}

/** 第二十一条: the unit reports serious delay or major investment loss; the department is told. */
export async function reportProblem(services: Services, actor: Actor, projectId: string, input: ProblemInput) {
  const project = await getProject(services, actor, projectId, 'construction:record');
  const now = services.now();
  if (input.kind === 'serious_delay' && input.delayDays === null) throw new AppError('validation.failed', { fields: [{ path: 'delayDays', code: 'required' }] });
  if (input.kind === 'investment_loss' && input.lossAmount === null) throw new AppError('validation.failed', { fields: [{ path: 'lossAmount', code: 'required' }] });
  await services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'construction', now);
    const row = await trx.insertInto('construction_problems').values({
      project_id: projectId, kind: input.kind, description: input.description, delay_days: input.delayDays, loss_amount: input.lossAmount,
      reported_by: actor.userId, reported_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, actor, 'construction:record', 'construction.problem.report', projectId, { id: row.id, ...input });
    const kind = PROBLEM_KIND_NAMES[input.kind];
    await tell(trx, now, actor, await departmentPeople(trx, project), project, 'constructionProblem',
      { zh: `重大问题报告：${kind.zh}`, en: `Problem reported: ${kind.en}` },
      { zh: `${actor.displayName}报告：${input.description}（第二十一条）`, en: `${actor.displayName} reported: ${input.description} (Article 21)` });
  });
  return getConstruction(services, actor, projectId);
}

/**
 * The approval department's construction decisions lock the row like every construction write,
 * but a standing suspension does not stop them (the department may order rectification while the
 * project is suspended, and lifting is how a suspension ends); a completed project takes none.
 */
async function lockForDepartment(trx: Tx, projectId: string, now: Date) {
  const phase = await lockConstruction(trx, projectId, 'afterCompletion', now);
  requireStarted(phase.lifecycle);
  if (phase.completedOn) throw new AppError('construction.completed', { params: { completedOn: phase.completedOn } });
  return phase;
}

export interface OrderInput {
  kind: 'rectification' | 'suspension'; problemId: string | null; opinion: string; dueOn: string | null; totp?: string | undefined;
}

/**
 * 第二十一条: the approval department orders rectification (整改, with a deadline after today) or
 * suspension (暂停: sets suspended_since, so lockConstruction refuses every construction write until
 * it is lifted). A signed decision (SPEC §10): fresh TOTP, SM2 over the stored payload.
 */
export async function orderOnProject(services: Services, actor: Actor, projectId: string, input: OrderInput) {
  const project = await getProject(services, actor, projectId, 'construction:order');
  const now = services.now();
  const today = shanghaiDate(now);
  if (input.kind === 'rectification' && input.dueOn === null) throw new AppError('validation.failed', { fields: [{ path: 'dueOn', code: 'required' }] });
  if (input.kind === 'suspension' && input.dueOn !== null) throw new AppError('validation.failed', { fields: [{ path: 'dueOn', code: 'unrecognized_key' }] });
  if (input.dueOn !== null) {
    const problems = orderProblems(input.dueOn, today);
    if (problems.length) blocked(problems);
  }
  await services.database.db.transaction().execute(async (trx) => {
    const phase = await lockForDepartment(trx, projectId, now);
    if (input.kind === 'suspension' && phase.suspendedSince) {
      throw new AppError('construction.suspended', { params: { since: shanghaiDate(phase.suspendedSince) } });
    }
    if (input.problemId !== null) {
      const p = await trx.selectFrom('construction_problems').select('project_id').where('id', '=', input.problemId).executeTakeFirst();
      if (!p || p.project_id !== projectId) throw new AppError('validation.failed', { fields: [{ path: 'problemId', code: 'unknown_reference' }] });
    }
    await verifyStepUp(services, trx, actor, input.totp);
    const payload = canonicalJson({
      kind: `construction.${input.kind}`, article: '第二十一条', projectId, projectCode: project.code, projectName: project.name,
      problemId: input.problemId, opinion: input.opinion, dueOn: input.dueOn, decidedBy: actor.userId, decidedByName: actor.displayName,
      decidedAt: now.toISOString(),
    });
    const signed = await signAsUser(services, trx, actor.userId, payload);
    const row = await trx.insertInto('construction_orders').values({
      project_id: projectId, problem_id: input.problemId, kind: input.kind, opinion: input.opinion, due_on: input.dueOn,
      ordered_by: actor.userId, ordered_at: now, payload, signature: signed.signature, public_key: signed.publicKey,
    }).returning('id').executeTakeFirstOrThrow();
    if (input.kind === 'suspension') {
      await trx.updateTable('project_construction').set({ suspended_since: now, updated_at: now }).where('project_id', '=', projectId).execute();
    }
    await audit(trx, actor, 'construction:order', `construction.order.${input.kind}`, projectId,
      { id: row.id, kind: input.kind, problemId: input.problemId, opinion: input.opinion, dueOn: input.dueOn, ...(input.kind === 'suspension' ? { suspendedSince: now.toISOString() } : {}) });
    const title = input.kind === 'rectification' ? { zh: '责令整改', en: 'Rectification ordered' } : { zh: '暂停项目建设', en: 'Construction suspended' };
    await tell(trx, now, actor, await unitPeople(trx, project), project, 'constructionOrder', title, input.kind === 'rectification'
      ? { zh: `${actor.displayName}责令整改，整改期限 ${input.dueOn}：${input.opinion}（第二十一条）`, en: `${actor.displayName} ordered rectification by ${input.dueOn}: ${input.opinion} (Article 21)` }
      : { zh: `${actor.displayName}决定暂停项目建设：${input.opinion}。解除前不能办理建设事项（第二十一条）`, en: `${actor.displayName} suspended construction: ${input.opinion}. No construction action until it is lifted (Article 21)` });
  });
  return getConstruction(services, actor, projectId);
}

/**
 * 第二十一条 (I-49): the unit reports a rectification done, also while the project is suspended
 * (it is what the department weighs before lifting); the department is told.
 */
export async function reportRectified(services: Services, actor: Actor, projectId: string, orderId: string, input: { rectifiedOn: string; report: string }) {
  const project = await getProject(services, actor, projectId, 'construction:record');
  const now = services.now();
  const problems = rectificationProblems(input.rectifiedOn, shanghaiDate(now));
  if (problems.length) blocked(problems);
  await services.database.db.transaction().execute(async (trx) => {
    await lockForDepartment(trx, projectId, now);
    const order = await trx.selectFrom('construction_orders').selectAll().where('id', '=', orderId).where('project_id', '=', projectId).executeTakeFirst();
    if (!order || order.kind !== 'rectification') throw new AppError('resource.not_found');
    if (order.rectified_on !== null) throw new AppError('construction.order_closed', { params: { state: `整改已于 ${order.rectified_on} 完成` } });
    await trx.updateTable('construction_orders').set({ rectified_on: input.rectifiedOn, rectification_report: input.report, rectified_by: actor.userId, rectified_at: now })
      .where('id', '=', orderId).execute();
    await audit(trx, actor, 'construction:record', 'construction.order.rectified', projectId, { orderId, rectifiedOn: input.rectifiedOn, report: input.report, dueOn: order.due_on, late: input.rectifiedOn > order.due_on! });
    await tell(trx, now, actor, await departmentPeople(trx, project), project, 'constructionRectified',
      { zh: '整改完成报告', en: 'Rectification done' },
      { zh: `${actor.displayName}报告整改已于 ${input.rectifiedOn} 完成：${input.report}`, en: `${actor.displayName} reports the rectification done on ${input.rectifiedOn}: ${input.report}` });
  });
  return getConstruction(services, actor, projectId);
}

/** 第二十一条: the approval department lifts a standing suspension with its reason (signed). */
export async function liftSuspension(services: Services, actor: Actor, projectId: string, orderId: string, input: { reason: string; totp?: string | undefined }) {
  const project = await getProject(services, actor, projectId, 'construction:order');
  const now = services.now();
  await services.database.db.transaction().execute(async (trx) => {
    await lockForDepartment(trx, projectId, now);
    const order = await trx.selectFrom('construction_orders').selectAll().where('id', '=', orderId).where('project_id', '=', projectId).executeTakeFirst();
    if (!order || order.kind !== 'suspension') throw new AppError('resource.not_found');
    if (order.lifted_at !== null) throw new AppError('construction.order_closed', { params: { state: `已于 ${shanghaiDate(order.lifted_at)} 解除` } });
    await verifyStepUp(services, trx, actor, input.totp);
    const payload = canonicalJson({
      kind: 'construction.liftSuspension', article: '第二十一条', projectId, projectCode: project.code, orderId, reason: input.reason,
      decidedBy: actor.userId, decidedByName: actor.displayName, decidedAt: now.toISOString(),
    });
    const signed = await signAsUser(services, trx, actor.userId, payload);
    await trx.updateTable('construction_orders').set({ lifted_at: now, lift_reason: input.reason, lifted_by: actor.userId, lift_payload: payload, lift_signature: signed.signature })
      .where('id', '=', orderId).execute();
    await trx.updateTable('project_construction').set({ suspended_since: null, updated_at: now }).where('project_id', '=', projectId).execute();
    await audit(trx, actor, 'construction:order', 'construction.order.lift', projectId, { orderId, reason: input.reason, suspendedSince: null },
      { suspendedSince: order.ordered_at.toISOString() });
    await tell(trx, now, actor, await unitPeople(trx, project), project, 'constructionLifted',
      { zh: '解除暂停', en: 'Suspension lifted' },
      { zh: `${actor.displayName}解除了暂停建设：${input.reason}`, en: `${actor.displayName} lifted the suspension: ${input.reason}` });
  });
  return getConstruction(services, actor, projectId);
}

// ——— 第二十二条: completion ———

export interface CompletionInput {
  completedOn: string; finalAccountsAmount: string; surplusAmount: string; surplusReturnedOn: string | null;
}

/**
 * 第二十二条: the declaration of completion: refused without a 监理单位 (第十九条) and while a
 * rectification is open (I-49); sets project_construction.completed_on, which closes construction
 * (every later construction write is refused with construction.completed). Once investment is
 * released on the platform the surplus returned must be released − spent to the fen (I-71); the
 * construction lock holds off releases and spending meanwhile.
 */
export async function declareCompletion(services: Services, actor: Actor, projectId: string, input: CompletionInput) {
  const project = await getProject(services, actor, projectId, 'construction:record');
  const now = services.now();
  const today = shanghaiDate(now);
  await services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'construction', now);
    const record = await trx.selectFrom('construction_records').select('supervisor_name').where('project_id', '=', projectId).executeTakeFirst();
    const open = await trx.selectFrom('construction_orders').select(sql<string>`count(*)`.as('n'))
      .where('project_id', '=', projectId).where('kind', '=', 'rectification').where('rectified_on', 'is', null).executeTakeFirstOrThrow();
    const problems = completionProblems(input, {
      today, supervisorRecorded: !!record?.supervisor_name, openRectifications: Number(open.n),
      released: await sumOf(trx, 'investment_releases', projectId), spent: await sumOf(trx, 'investment_spending', projectId),
    });
    if (problems.some((p) => p.code === 'completion.no_supervisor')) {
      throw new AppError('construction.supervisor_required', { problems });
    }
    if (problems.length) blocked(problems);
    await trx.insertInto('construction_completions').values({
      project_id: projectId, completed_on: input.completedOn, final_accounts_amount: input.finalAccountsAmount,
      surplus_amount: input.surplusAmount, surplus_returned_on: input.surplusReturnedOn, declared_by: actor.userId, declared_at: now,
    }).execute();
    await trx.updateTable('project_construction').set({ completed_on: input.completedOn, updated_at: now }).where('project_id', '=', projectId).execute();
    await audit(trx, actor, 'construction:record', 'construction.complete', projectId, { ...input }, { completedOn: null });
    await tell(trx, now, actor, await departmentPeople(trx, project), project, 'submitted',
      { zh: '项目建成', en: 'Project completed' },
      { zh: `${actor.displayName}申报项目于 ${input.completedOn} 建成，竣工决算 ${input.finalAccountsAmount} 万元（第二十二条）`, en: `${actor.displayName} declared the project complete on ${input.completedOn}; final accounts ${input.finalAccountsAmount} (10k CNY) (Article 22)` });
    // The deadline engine: the acceptance application (第二十五条) falls due from this completion.
    await sweepProject(trx, services, projectId);
  });
  return getConstruction(services, actor, projectId);
}
