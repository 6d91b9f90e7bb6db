// 后评价 (第二十七条): 12–24 months after acceptance and going into operation the construction unit
// submits its self-evaluation report to the approval department and the finance department (MoF
// for central projects, I-23); the approval department may commission a third-party
// post-evaluation by an evaluator organization (role evaluator), which uploads its report
// (material postEvaluationReport, which 第九条 filings of later projects link) and concludes:
// 继续运行 / 整改 / 创新 / 退出, with its opinion. Each write commits with its audit event and
// notifications in one transaction, under the project's construction lock.
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { commissionProblems, conclusionProblems, CONCLUSION_NAMES, type PostEvaluationConclusion } from '../domain/acceptance.ts';
import { resolveAccess } from '../domain/authz.ts';
import {
  checkSelfEvaluationSubmission, selfEvaluationStatus, selfEvaluationWindow, type ObligationState, type SelfEvaluationPhase, type SelfEvaluationWindow,
} from '../domain/deadlines.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { daysBetween } from '../domain/worklist.ts';
import { AppError, type RuleProblem } from '../errors.ts';
import type { Executor } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { departmentUsers, latestMaterials, roleHolders, unitUsers } from './acceptance.ts';
import { routing } from './assignments.ts';
import { lockConstruction } from './construction.ts';
import { notify } from './notifications.ts';
import { getProject, type Project } from './projects.ts';
import { ruleBook } from './rule-settings.ts';
import { sweepProject } from './obligations.ts';

export interface SelfEvaluationView {
  id: string;
  submittedOn: string;
  timing: 'early' | 'inWindow' | 'late';
  fileName: string;
  materialId: string;
  sm3: string;
  submittedBy: string;
}

export interface CommissionView {
  id: string;
  evaluatorOrganizationId: string;
  evaluatorOrganizationName: string;
  reason: string;
  commissionedBy: string;
  commissionedAt: string;
  conclusion: PostEvaluationConclusion | null;
  conclusionName: { zh: string; en: string } | null;
  opinion: string | null;
  report: { materialId: string; fileName: string; sm3: string } | null;
  concludedBy: string | null;
  concludedAt: string | null;
}

export interface PostEvaluationView {
  projectId: string;
  acceptedOn: string | null;
  inOperationOn: string | null;
  rules: { startMonths: number; endMonths: number; refuseEarly: boolean; remindDays: number };
  window: SelfEvaluationWindow | null;
  /** Where the self-evaluation stands today; null before acceptance or once submitted. */
  status: (ObligationState & { phase: SelfEvaluationPhase; daysToOpen?: number }) | null;
  selfEvaluations: SelfEvaluationView[];
  /** The latest uploaded self-evaluation report (what a submission sends). */
  pendingReport: { materialId: string; fileName: string; versionNo: number; uploadedAt: string } | null;
  commissions: CommissionView[];
  /** The latest uploaded postEvaluationReport, if any. */
  latestReport: { materialId: string; fileName: string; uploadedAt: string } | null;
  can: { submit: boolean; commission: boolean; conclude: boolean };
}

async function settingsFor(db: Executor, project: Project, today: string) {
  // 第三十四条: the settings in force on the day (I-57).
  const book = await ruleBook(db, today);
  const v = async (k: Parameters<typeof book.valueFor>[0]) => (await book.valueFor(k, project.approvalDepartmentId)).value;
  return {
    startMonths: Number(await v('selfEvaluation.windowStartMonths')), endMonths: Number(await v('selfEvaluation.windowEndMonths')),
    refuseEarly: (await v('selfEvaluation.refuseEarly')) === true, remindDays: Number(await v('obligation.remindDays')),
  };
}

/** Before the window, the days until it opens (the status counts to its last day). */
function withDaysToOpen<S extends { phase: SelfEvaluationPhase }>(status: S, window: SelfEvaluationWindow, today: string): S & { daysToOpen?: number } {
  return status.phase === 'beforeWindow' ? { ...status, daysToOpen: daysBetween(today, window.opensOn) } : status;
}

async function viewOf(db: Executor, actor: Actor, project: Project, today: string): Promise<PostEvaluationView> {
  const phase = await db.selectFrom('project_construction').select(['accepted_on', 'in_operation_on']).where('project_id', '=', project.id).executeTakeFirst();
  const acceptedOn = phase?.accepted_on ?? null;
  const inOperationOn = phase?.in_operation_on ?? null;
  const rules = await settingsFor(db, project, today);
  const window = acceptedOn && inOperationOn ? selfEvaluationWindow(acceptedOn, inOperationOn, rules.startMonths, rules.endMonths) : null;
  const selfRows = await db.selectFrom('self_evaluations as s').innerJoin('project_materials as m', 'm.id', 's.material_id')
    .innerJoin('users as u', 'u.id', 's.submitted_by')
    .select(['s.id', 's.submitted_on', 's.timing', 'm.file_name', 'm.id as material_id', 'm.sm3', 'u.display_name'])
    .where('s.project_id', '=', project.id).orderBy('s.seq').execute();
  const selfEvaluations = selfRows.map((r) => ({
    id: r.id, submittedOn: r.submitted_on, timing: r.timing, fileName: r.file_name, materialId: r.material_id, sm3: r.sm3.trim(), submittedBy: r.display_name,
  }));
  const commissionRows = await db.selectFrom('post_evaluations as p').innerJoin('organizations as o', 'o.id', 'p.evaluator_organization_id')
    .innerJoin('users as c', 'c.id', 'p.commissioned_by').leftJoin('users as e', 'e.id', 'p.concluded_by')
    .leftJoin('project_materials as m', 'm.id', 'p.material_id')
    .selectAll('p').select(['o.name as org_name', 'c.display_name as commissioner', 'e.display_name as concluder', 'm.file_name', 'm.sm3'])
    .where('p.project_id', '=', project.id).orderBy('p.seq').execute();
  const commissions: CommissionView[] = commissionRows.map((r) => ({
    id: r.id, evaluatorOrganizationId: r.evaluator_organization_id, evaluatorOrganizationName: r.org_name, reason: r.reason,
    commissionedBy: r.commissioner, commissionedAt: r.commissioned_at.toISOString(), conclusion: r.conclusion,
    conclusionName: r.conclusion ? CONCLUSION_NAMES[r.conclusion] : null, opinion: r.opinion,
    report: r.material_id && r.file_name && r.sm3 ? { materialId: r.material_id, fileName: r.file_name, sm3: r.sm3.trim() } : null,
    concludedBy: r.concluder, concludedAt: r.concluded_at?.toISOString() ?? null,
  }));
  const [selfReport] = await latestMaterials(db, project.id, ['selfEvaluationReport']);
  const submittedIds = new Set(selfEvaluations.map((s) => s.materialId));
  const [postReport] = await latestMaterials(db, project.id, ['postEvaluationReport']);
  const open = commissions.find((c) => c.conclusion === null) ?? null;
  return {
    projectId: project.id, acceptedOn, inOperationOn, rules, window,
    status: window && selfEvaluations.length === 0 ? withDaysToOpen(selfEvaluationStatus(window, today, rules.remindDays), window, today) : null,
    selfEvaluations,
    pendingReport: selfReport && !submittedIds.has(selfReport.materialId)
      ? { materialId: selfReport.materialId, fileName: selfReport.fileName, versionNo: selfReport.versionNo, uploadedAt: selfReport.uploadedAt } : null,
    commissions,
    latestReport: postReport ? { materialId: postReport.materialId, fileName: postReport.fileName, uploadedAt: postReport.uploadedAt } : null,
    can: {
      submit: resolveAccess(actor, 'project:update').allowed && window !== null,
      commission: resolveAccess(actor, 'project:review').allowed && window !== null && open === null,
      conclude: resolveAccess(actor, 'evaluation:report').allowed && open !== null && actor.organizationIds.includes(open.evaluatorOrganizationId),
    },
  };
}

async function projectFor(services: Services, actor: Actor, projectId: string, permission: 'project:update' | 'project:review' | 'evaluation:report', db?: Executor) {
  const s = db ? { ...services, database: { ...services.database, db: db as Services['database']['db'] } } : services;
  await getProject(s, actor, projectId);
  return getProject(s, actor, projectId, permission).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'resource.not_found') throw new AppError('auth.forbidden');
    throw err;
  });
}

/** 第二十七条: the self-evaluation window, the submissions and the third-party post-evaluations (project:read). */
export async function getPostEvaluation(services: Services, actor: Actor, projectId: string): Promise<PostEvaluationView> {
  const project = await getProject(services, actor, projectId);
  return viewOf(services.database.db, actor, project, shanghaiDate(services.now()));
}

function blocked(problems: readonly RuleProblem[]): never {
  throw new AppError('acceptance.blocked', { params: { count: problems.length }, problems });
}

/**
 * 第二十七条 (I-4): the unit submits its latest uploaded self-evaluation report. Before the window
 * opens it is refused with the opening date (rule selfEvaluation.refuseEarly; off: accepted with
 * a notice); after it, accepted and marked late. Sent to the approval department and to MoF (I-23).
 */
export async function submitSelfEvaluation(services: Services, actor: Actor, projectId: string) {
  await projectFor(services, actor, projectId, 'project:update');
  const now = services.now();
  const today = shanghaiDate(now);
  return services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'project:update', trx);
    const view = await viewOf(trx, actor, project, today);
    if (view.window === null) throw new AppError('acceptance.not_accepted');
    if (view.pendingReport === null) throw new AppError('selfEvaluation.report_missing');
    const check = checkSelfEvaluationSubmission(view.window, today, view.rules.refuseEarly);
    if (!check.accepted) {
      throw new AppError('selfEvaluation.refused', { params: { opensOn: view.window.opensOn }, problems: check.problems });
    }
    const [report] = await latestMaterials(trx, projectId, ['selfEvaluationReport']);
    // The window and the rule values it came from are recorded with the submission (第三十四条).
    const payload = canonicalJson({
      type: 'govproj.self-evaluation.v1', projectId, submittedOn: today, timing: check.timing,
      window: { countsFrom: view.window.countsFrom, opensOn: view.window.opensOn, dueOn: view.window.dueOn },
      rules: {
        'selfEvaluation.windowStartMonths': view.rules.startMonths, 'selfEvaluation.windowEndMonths': view.rules.endMonths,
        'selfEvaluation.refuseEarly': view.rules.refuseEarly,
      },
      report: { materialId: report!.materialId, version: report!.versionNo, sm3: report!.sm3 },
      actorId: actor.userId, at: now.toISOString(),
    });
    const row = await trx.insertInto('self_evaluations').values({
      project_id: projectId, material_id: report!.materialId, submitted_on: today, timing: check.timing, payload,
      submitted_by: actor.userId, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'postEvaluation.selfEvaluation', objectType: 'project', objectId: projectId,
      outcome: 'success', ...requestFacts(actor),
      diff: { after: { selfEvaluationId: row.id, submittedOn: today, timing: check.timing, materialId: report!.materialId, sm3: report!.sm3 } },
    });
    // 第二十七条: the self-evaluation obligation is discharged in the same transaction.
    await sweepProject(trx, services, projectId);
    // 第二十七条: 报送项目审批部门和财政部门 (I-23: MoF for central projects).
    const recipients = [...await departmentUsers(trx, project), ...await roleHolders(trx, 'mof', null)];
    await notify(trx, now, actor.userId, recipients, {
      kind: 'selfEvaluationSubmitted', project: routing(project), actionId: null,
      title: { zh: `【自评价报告】${project.name}`, en: `[Self-evaluation] ${project.name}` },
      body: { zh: `${project.constructionUnitName}报送了项目自评价报告（${report!.fileName}）。`, en: `${project.constructionUnitName} submitted its self-evaluation report.` },
    });
    return { notices: check.notices, postEvaluation: await viewOf(trx, actor, project, today) };
  });
}

/**
 * 第二十七条 (I-55): the approval department commissions an evaluator organization, after
 * acceptance and on a submitted self-evaluation, one commission at a time.
 */
export async function commissionPostEvaluation(services: Services, actor: Actor, projectId: string, input: { organizationId: string; reason: string }) {
  await projectFor(services, actor, projectId, 'project:review');
  if (input.reason.trim() === '') throw new AppError('validation.failed', { fields: [{ path: 'reason', code: 'required' }] });
  const now = services.now();
  const today = shanghaiDate(now);
  return services.database.db.transaction().execute(async (trx) => {
    const phase = await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'project:review', trx);
    const org = await trx.selectFrom('organizations').select(['id', 'kind', 'name']).where('id', '=', input.organizationId).executeTakeFirst();
    if (!org || org.kind !== 'evaluator') throw new AppError('validation.failed', { fields: [{ path: 'organizationId', code: 'postEvaluation.not_evaluator' }] });
    const view = await viewOf(trx, actor, project, today);
    const open = view.commissions.find((c) => c.conclusion === null);
    const problems = commissionProblems({
      acceptedOn: phase.acceptedOn, selfEvaluationSubmitted: view.selfEvaluations.length > 0, openCommission: open?.evaluatorOrganizationName ?? null,
    });
    if (problems.length > 0) blocked(problems);
    const row = await trx.insertInto('post_evaluations').values({
      project_id: projectId, evaluator_organization_id: org.id, reason: input.reason.trim(), commissioned_by: actor.userId, commissioned_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:review'), action: 'postEvaluation.commission', objectType: 'project', objectId: projectId,
      outcome: 'success', ...requestFacts(actor),
      diff: { after: { postEvaluationId: row.id, evaluatorOrganizationId: org.id, reason: input.reason.trim() } },
    });
    await notify(trx, now, actor.userId, await roleHolders(trx, 'evaluator', org.id), {
      kind: 'postEvaluationCommissioned', project: routing(project), actionId: null,
      title: { zh: `【委托后评价】${project.name}`, en: `[Post-evaluation] ${project.name}` },
      body: { zh: `${project.approvalDepartmentName}委托贵单位根据建设单位的自评情况对该项目开展后评价。`, en: `${project.approvalDepartmentName} commissioned your organization to post-evaluate this project.` },
    });
    return viewOf(trx, actor, project, today);
  });
}

/**
 * 第二十七条 (I-55): the commissioned evaluator concludes, with its report (material
 * postEvaluationReport uploaded since the commission) and an opinion. Another evaluator: 403.
 */
export async function concludePostEvaluation(services: Services, actor: Actor, projectId: string, input: { conclusion: PostEvaluationConclusion; opinion: string }) {
  await projectFor(services, actor, projectId, 'evaluation:report');
  const now = services.now();
  const today = shanghaiDate(now);
  return services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'evaluation:report', trx);
    const open = await trx.selectFrom('post_evaluations').selectAll().where('project_id', '=', projectId).where('conclusion', 'is', null).executeTakeFirst();
    if (!open) throw new AppError('postEvaluation.not_commissioned');
    if (!actor.organizationIds.includes(open.evaluator_organization_id)) throw new AppError('auth.forbidden');
    const report = await trx.selectFrom('project_materials').select(['id', 'sm3', 'version_no', 'file_name'])
      .where('project_id', '=', projectId).where('material_code', '=', 'postEvaluationReport').where('uploaded_at', '>=', open.commissioned_at)
      .orderBy('version_no', 'desc').limit(1).executeTakeFirst();
    const problems = conclusionProblems({ reportUploaded: report !== undefined, opinion: input.opinion });
    if (problems.length > 0) blocked(problems);
    await trx.updateTable('post_evaluations').set({
      conclusion: input.conclusion, opinion: input.opinion.trim(), material_id: report!.id, concluded_by: actor.userId, concluded_at: now,
    }).where('id', '=', open.id).where('conclusion', 'is', null).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'evaluation:report'), action: 'postEvaluation.conclude', objectType: 'project', objectId: projectId,
      outcome: 'success', ...requestFacts(actor),
      diff: { after: { postEvaluationId: open.id, conclusion: input.conclusion, opinion: input.opinion.trim(), materialId: report!.id, sm3: report!.sm3.trim() } },
    });
    const recipients = [...await departmentUsers(trx, project), ...await unitUsers(trx, project), ...await roleHolders(trx, 'mof', null)];
    await notify(trx, now, actor.userId, recipients, {
      kind: 'postEvaluationConcluded', project: routing(project), actionId: null,
      title: { zh: `【后评价结论：${CONCLUSION_NAMES[input.conclusion].zh}】${project.name}`, en: `[Post-evaluation: ${CONCLUSION_NAMES[input.conclusion].en}] ${project.name}` },
      body: { zh: `第三方后评价结论：${CONCLUSION_NAMES[input.conclusion].zh}。意见：${input.opinion.trim()}`, en: `Conclusion: ${CONCLUSION_NAMES[input.conclusion].en}.` },
    });
    return viewOf(trx, actor, project, today);
  });
}

/** The evaluator organizations the approval department may commission (project:review). */
export async function evaluatorOrganizations(services: Services, actor: Actor, projectId: string) {
  await projectFor(services, actor, projectId, 'project:review');
  return services.database.db.selectFrom('organizations').select(['id', 'name']).where('kind', '=', 'evaluator').orderBy('name').execute();
}
