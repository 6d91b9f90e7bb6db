// 项目验收 (第二十五条, 第二十六条): once a project is completed (project_construction.completed_on),
// the construction unit applies for acceptance within six months (rule acceptance.applicationMonths)
// with the materials of the article, or asks for an extension; the approval department records
// the archive acceptance (档案验收), which must have passed, and decides on the application with a
// signed decision (TOTP step-up, SM2); a pass sets accepted_on and in_operation_on, and the unit
// then files the acceptance report. Every write locks the construction row first
// (lockConstruction) and commits with its audit event and notifications in one transaction.
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import {
  ACCEPTANCE_MATERIAL_CODES, acceptanceApplicationProblems, acceptanceChecklist, acceptanceReviewItems, type AcceptanceReviewFacts,
  type AcceptanceReviewItem, acceptanceDecisionProblems, extensionStateProblems,
  type AcceptanceChecklistItem, type AcceptanceResult, type ArchiveAcceptance,
} from '../domain/acceptance.ts';
import { resolveAccess, type Permission } from '../domain/authz.ts';
import { acceptanceApplicationDue, extensionRequestProblems, isCalendarDate, obligationStatus, type ObligationState } from '../domain/deadlines.ts';
import { type MaterialCode } from '../domain/lifecycle.ts';
import type { SecurityRecordDetails } from '../domain/security-records.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { AppError, type RuleProblem } from '../errors.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';
import { routing } from './assignments.ts';
import { lockConstruction } from './construction.ts';
import { notify, usersInRole } from './notifications.ts';
import { getProject, type Project } from './projects.ts';
import { ruleBook } from './rule-settings.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';
import { sweepProject } from './obligations.ts';

// ---------------------------------------------------------------------------------------------
// Reading

export interface LatestMaterial {
  materialId: string;
  code: MaterialCode;
  versionNo: number;
  fileName: string;
  sm3: string;
  uploadedAt: string;
}

/** The latest version of each of `codes` on the project, whatever stage it was kept under. */
export async function latestMaterials(db: Executor, projectId: string, codes: readonly MaterialCode[]): Promise<LatestMaterial[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('project_materials').select(['id', 'material_code', 'version_no', 'file_name', 'sm3', 'uploaded_at'])
    .where('project_id', '=', projectId).where('material_code', 'in', [...codes])
    .orderBy('material_code').orderBy('version_no', 'desc').execute();
  const seen = new Set<string>();
  const out: LatestMaterial[] = [];
  for (const r of rows) {
    if (seen.has(r.material_code)) continue;
    seen.add(r.material_code);
    out.push({
      materialId: r.id, code: r.material_code as MaterialCode, versionNo: r.version_no, fileName: r.file_name, sm3: r.sm3.trim(),
      uploadedAt: r.uploaded_at.toISOString(),
    });
  }
  return out;
}

export interface ExtensionView {
  id: string;
  reason: string;
  dueOnBefore: string;
  proposedDueOn: string;
  requestedBy: string;
  requestedAt: string;
  decision: 'approved' | 'rejected' | null;
  opinion: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  payload: string | null;
  signature: string | null;
  publicKey: string | null;
  signatureValid: boolean | null;
}

export interface ArchiveView {
  id: string;
  acceptedOn: string;
  result: AcceptanceResult;
  opinion: string;
  recordedBy: string;
  createdAt: string;
}

export interface DecisionView {
  id: string;
  applicationId: string;
  result: AcceptanceResult;
  opinion: string;
  acceptedOn: string | null;
  inOperationOn: string | null;
  actorName: string;
  role: string;
  payload: string;
  signature: string;
  publicKey: string;
  signatureValid: boolean;
  createdAt: string;
}

export interface ApplicationView {
  id: string;
  dueOn: string;
  onTime: boolean;
  submittedBy: string;
  submittedAt: string;
  materials: Array<{ code: string; version: number; sm3: string }>;
  decision: DecisionView | null;
}

export interface AcceptanceView {
  projectId: string;
  classified: boolean;
  completedOn: string | null;
  acceptedOn: string | null;
  inOperationOn: string | null;
  /** The rule values in force for the project's approval department. */
  rules: { applicationMonths: number; remindDays: number };
  deadline: { originalDueOn: string; dueOn: string; extended: boolean } | null;
  /** The application obligation today; null once applied for (or accepted) or before completion. */
  obligation: ObligationState | null;
  checklist: Array<AcceptanceChecklistItem & { materials: LatestMaterial[] }>;
  /** 第十六条: what the acceptance reviews besides the materials (informative, I-93). */
  reviewItems: AcceptanceReviewItem[];
  /** What stands in the way of applying now (empty: the application may be submitted). */
  applyProblems: RuleProblem[];
  applications: ApplicationView[];
  pendingApplicationId: string | null;
  extensions: ExtensionView[];
  archives: ArchiveView[];
  report: LatestMaterial | null;
  /** What the caller may do here (the buttons; every action is checked again when taken). */
  can: { apply: boolean; requestExtension: boolean; decideExtension: boolean; recordArchive: boolean; decide: boolean; fileReport: boolean };
}

async function settingsFor(db: Executor, project: Project, today: string) {
  // 第三十四条: the settings in force on the day (I-57).
  const book = await ruleBook(db, today);
  return {
    applicationMonths: Number((await book.valueFor('acceptance.applicationMonths', project.approvalDepartmentId)).value),
    remindDays: Number((await book.valueFor('obligation.remindDays', project.approvalDepartmentId)).value),
  };
}

async function extensionsOf(db: Executor, projectId: string): Promise<ExtensionView[]> {
  const rows = await db.selectFrom('acceptance_extensions as e').innerJoin('users as r', 'r.id', 'e.requested_by')
    .leftJoin('users as d', 'd.id', 'e.decided_by')
    .selectAll('e').select(['r.display_name as requester', 'd.display_name as decider'])
    .where('e.project_id', '=', projectId).orderBy('e.seq').execute();
  return rows.map((r) => ({
    id: r.id, reason: r.reason, dueOnBefore: r.due_on_before, proposedDueOn: r.proposed_due_on,
    requestedBy: r.requester, requestedAt: r.requested_at.toISOString(), decision: r.decision, opinion: r.opinion,
    decidedBy: r.decider, decidedAt: r.decided_at?.toISOString() ?? null, payload: r.payload, signature: r.signature, publicKey: r.public_key,
    signatureValid: r.payload && r.signature && r.public_key ? sm2Verify(r.payload, r.signature, r.public_key) : null,
  }));
}

async function archivesOf(db: Executor, projectId: string): Promise<ArchiveView[]> {
  const rows = await db.selectFrom('archive_acceptances as a').innerJoin('users as u', 'u.id', 'a.recorded_by')
    .selectAll('a').select('u.display_name').where('a.project_id', '=', projectId).orderBy('a.seq').execute();
  return rows.map((r) => ({
    id: r.id, acceptedOn: r.accepted_on, result: r.result, opinion: r.opinion, recordedBy: r.display_name, createdAt: r.created_at.toISOString(),
  }));
}

async function applicationsOf(db: Executor, projectId: string): Promise<ApplicationView[]> {
  const apps = await db.selectFrom('acceptance_applications as a').innerJoin('users as u', 'u.id', 'a.submitted_by')
    .selectAll('a').select('u.display_name').where('a.project_id', '=', projectId).orderBy('a.seq').execute();
  const decisions = await db.selectFrom('acceptance_decisions as d').innerJoin('users as u', 'u.id', 'd.actor_id')
    .selectAll('d').select('u.display_name').where('d.project_id', '=', projectId).execute();
  return apps.map((a) => {
    const d = decisions.find((x) => x.application_id === a.id);
    return {
      id: a.id, dueOn: a.due_on, onTime: a.on_time, submittedBy: a.display_name, submittedAt: a.submitted_at.toISOString(),
      materials: (JSON.parse(a.payload) as { materials: ApplicationView['materials'] }).materials,
      decision: d ? {
        id: d.id, applicationId: d.application_id, result: d.result, opinion: d.opinion, acceptedOn: d.accepted_on, inOperationOn: d.in_operation_on,
        actorName: d.display_name, role: d.role, payload: d.payload, signature: d.signature, publicKey: d.public_key,
        signatureValid: sm2Verify(d.payload, d.signature, d.public_key), createdAt: d.created_at.toISOString(),
      } : null,
    };
  });
}

/** The deadline in force: completion + months, or the latest approved extension (I-3). */
function deadlineOf(completedOn: string | null, months: number, extensions: readonly ExtensionView[]) {
  if (completedOn === null) return null;
  const approved = extensions.filter((e) => e.decision === 'approved').at(-1)?.proposedDueOn ?? null;
  return acceptanceApplicationDue(completedOn, months, approved);
}

const latestArchive = (archives: readonly ArchiveView[]): ArchiveAcceptance | null => {
  const last = archives.at(-1);
  return last ? { acceptedOn: last.acceptedOn, result: last.result } : null;
};

/** 第十六条: the project's own records and those of the systems it built or upgraded. */
async function reviewFactsOf(db: Executor, projectId: string): Promise<AcceptanceReviewFacts> {
  const rows = await db.selectFrom('security_records').select(['kind', 'occurred_on', 'passed', 'details'])
    .where('kind', 'in', ['product', 'cryptoPlan', 'cryptoAssessment', 'energy'])
    .where((eb) => eb.or([
      eb('project_id', '=', projectId),
      eb('system_id', 'in', eb.selectFrom('government_system_projects').select('system_id').where('project_id', '=', projectId)),
    ]))
    .orderBy('occurred_on', 'desc').orderBy('seq', 'desc')
    .execute();
  const products = { hardware: 0, software: 0, crypto: 0 };
  for (const r of rows) {
    const category = (r.details as SecurityRecordDetails).category;
    if (r.kind === 'product' && category) products[category] += 1;
  }
  const assessment = rows.find((r) => r.kind === 'cryptoAssessment' && r.passed !== null);
  return {
    products,
    cryptoPlan: rows.some((r) => r.kind === 'cryptoPlan'),
    cryptoAssessment: assessment ? { occurredOn: assessment.occurred_on, passed: assessment.passed! } : null,
    energy: rows.filter((r) => r.kind === 'energy').map((r) => {
      const d = r.details as SecurityRecordDetails;
      return { dataCentre: d.dataCentre ?? '', pue: d.pue ?? '', occurredOn: r.occurred_on };
    }),
  };
}

/** Everything the acceptance tab shows, computed from the records (project:read). */
async function viewOf(db: Executor, actor: Actor, project: Project, today: string): Promise<AcceptanceView> {
  const phase = await db.selectFrom('project_construction').select(['completed_on', 'accepted_on', 'in_operation_on'])
    .where('project_id', '=', project.id).executeTakeFirst();
  const completedOn = phase?.completed_on ?? null;
  const acceptedOn = phase?.accepted_on ?? null;
  const rules = await settingsFor(db, project, today);
  const [extensions, archives, applications] = await Promise.all([extensionsOf(db, project.id), archivesOf(db, project.id), applicationsOf(db, project.id)]);
  const materials = await latestMaterials(db, project.id, [...ACCEPTANCE_MATERIAL_CODES, 'acceptanceReport']);
  const checklist = acceptanceChecklist(project.involvesSecrets, materials.map((m) => m.code))
    .map((item) => ({ ...item, materials: materials.filter((m) => item.anyOf.includes(m.code)) }));
  const reviewItems = acceptanceReviewItems(await reviewFactsOf(db, project.id));
  const pending = applications.find((a) => a.decision === null) ?? null;
  const deadline = deadlineOf(completedOn, rules.applicationMonths, extensions);
  const facts = { completedOn, acceptedOn, applicationPending: pending !== null };
  const applyProblems = acceptanceApplicationProblems(facts, checklist);
  // 第二十五条: owed until an application is made; after a failed one, a new one is owed (I-54).
  const owed = deadline !== null && acceptedOn === null && pending === null;
  const may = (p: Permission) => resolveAccess(actor, p).allowed;
  const extensionPending = extensions.some((e) => e.decision === null);
  return {
    projectId: project.id, classified: project.involvesSecrets, completedOn, acceptedOn, inOperationOn: phase?.in_operation_on ?? null,
    rules, deadline, obligation: owed ? obligationStatus(deadline.dueOn, today, rules.remindDays) : null,
    checklist, reviewItems, applyProblems, applications, pendingApplicationId: pending?.id ?? null, extensions, archives,
    report: materials.find((m) => m.code === 'acceptanceReport') ?? null,
    can: {
      apply: may('project:update') && completedOn !== null && acceptedOn === null && pending === null,
      requestExtension: may('project:update') && extensionStateProblems({ ...facts, extensionPending }).length === 0,
      decideExtension: may('project:decide') && extensionPending,
      recordArchive: may('project:review') && completedOn !== null && acceptedOn === null,
      decide: may('project:decide') && pending !== null,
      fileReport: may('project:update') && acceptedOn !== null,
    },
  };
}

/** Visible (404 otherwise) and, for an action, within that action's own scope (403 otherwise). */
async function projectFor(services: Services, actor: Actor, projectId: string, permission: Permission, db?: Executor): Promise<Project> {
  const s = db ? { ...services, database: { ...services.database, db: db as Services['database']['db'] } } : services;
  await getProject(s, actor, projectId);
  return getProject(s, actor, projectId, permission).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'resource.not_found') throw new AppError('auth.forbidden');
    throw err;
  });
}

/** 第二十五条, 第二十六条: the project's acceptance as it stands (project:read). */
export async function getAcceptance(services: Services, actor: Actor, projectId: string): Promise<AcceptanceView> {
  const project = await getProject(services, actor, projectId);
  return viewOf(services.database.db, actor, project, shanghaiDate(services.now()));
}

// ---------------------------------------------------------------------------------------------
// Who hears of it

/** Users holding `role` who belong to `organizationId` or list it in their custom scope. */
export async function roleHolders(db: Executor, role: string, organizationId: string | null): Promise<string[]> {
  let q = db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id')
    .where('u.status', '=', 'active').where('r.role_code', '=', role);
  if (organizationId !== null) {
    q = q.where((eb) => eb.or([
      eb(eb.val(organizationId), '=', eb.fn.any('r.custom_organization_ids')),
      eb.exists(eb.selectFrom('user_organizations as uo').select('uo.user_id').whereRef('uo.user_id', '=', 'u.id').where('uo.organization_id', '=', organizationId)),
    ]));
  }
  return (await q.orderBy('u.id').execute()).map((r) => r.id);
}

/** The approval department's reviewers and approvers. */
export async function departmentUsers(db: Executor, project: Project): Promise<string[]> {
  return [...await usersInRole(db, 'reviewer', project.approvalDepartmentId), ...await usersInRole(db, 'approver', project.approvalDepartmentId)];
}

/** The construction unit's preparers and the project's creator. */
export async function unitUsers(db: Executor, project: Project): Promise<string[]> {
  return [project.createdBy, ...await usersInRole(db, 'preparer', project.constructionUnitId)];
}

// ---------------------------------------------------------------------------------------------
// Writing

function blocked(problems: readonly RuleProblem[]): never {
  throw new AppError('acceptance.blocked', { params: { count: problems.length }, problems });
}

function required(fields: Record<string, string | undefined>) {
  const problems = Object.entries(fields).filter(([, v]) => !v || v.replace(/[\s\u3000]/g, '') === '').map(([path]) => ({ path, code: 'required' }));
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
}

/**
 * 第二十五条: the unit applies for acceptance. Refused (422 acceptance.blocked, every problem
 * listed, nothing written) before completion, while an application waits, after acceptance, or
 * while a line of the checklist has no material. `dryRun` returns the problems and writes nothing.
 */
export async function applyForAcceptance(services: Services, actor: Actor, projectId: string, options: { dryRun: boolean }) {
  await projectFor(services, actor, projectId, 'project:update');
  const now = services.now();
  const today = shanghaiDate(now);
  if (options.dryRun) {
    const view = await getAcceptance(services, actor, projectId);
    return { dryRun: true as const, ok: view.applyProblems.length === 0, problems: view.applyProblems };
  }
  return services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'project:update', trx);
    const view = await viewOf(trx, actor, project, today);
    if (view.applyProblems.length > 0) blocked(view.applyProblems);
    const deadline = view.deadline!;
    const attached = view.checklist.flatMap((i) => i.materials).map((m) => ({ code: m.code, version: m.versionNo, sm3: m.sm3 }));
    // What the application records: the materials by SM3, the deadline and the rule values that
    // set it (第三十四条: a later change of the setting rewrites nothing).
    const payload = canonicalJson({
      type: 'govproj.acceptance-application.v1', projectId, projectCode: project.code, projectName: project.name,
      completedOn: view.completedOn, dueOn: deadline.dueOn, originalDueOn: deadline.originalDueOn, extended: deadline.extended,
      onTime: today <= deadline.dueOn, materials: attached,
      rules: { 'acceptance.applicationMonths': view.rules.applicationMonths },
      actorId: actor.userId, actorUsername: actor.username, at: now.toISOString(),
    });
    const row = await trx.insertInto('acceptance_applications').values({
      project_id: projectId, due_on: deadline.dueOn, on_time: today <= deadline.dueOn, payload, submitted_by: actor.userId, submitted_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'acceptance.apply', objectType: 'project', objectId: projectId,
      outcome: 'success', ...requestFacts(actor),
      diff: { after: { applicationId: row.id, dueOn: deadline.dueOn, onTime: today <= deadline.dueOn, materials: attached } },
    });
    // 第二十五条: the application discharges the obligation, in the same transaction.
    await sweepProject(trx, services, projectId);
    await notify(trx, now, actor.userId, await departmentUsers(trx, project), {
      kind: 'acceptanceApplied', project: routing(project), actionId: null,
      title: { zh: `【验收申请】${project.name}`, en: `[Acceptance application] ${project.name}` },
      body: { zh: `${project.constructionUnitName}申请组织项目验收。`, en: `${project.constructionUnitName} applied for acceptance.` },
    });
    return { dryRun: false as const, acceptance: await viewOf(trx, actor, project, today) };
  });
}

/** 第二十五条 (I-3): the unit asks for a later deadline, with its reason, before the one in force ends. */
export async function requestExtension(services: Services, actor: Actor, projectId: string, input: { reason: string; proposedDueOn: string }) {
  await projectFor(services, actor, projectId, 'project:update');
  if (!isCalendarDate(input.proposedDueOn)) throw new AppError('validation.failed', { fields: [{ path: 'proposedDueOn', code: 'invalid_format' }] });
  const now = services.now();
  const today = shanghaiDate(now);
  return services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'project:update', trx);
    const view = await viewOf(trx, actor, project, today);
    const extensionPending = view.extensions.some((e) => e.decision === null);
    const problems: RuleProblem[] = extensionStateProblems({
      completedOn: view.completedOn, acceptedOn: view.acceptedOn, applicationPending: view.pendingApplicationId !== null, extensionPending,
    });
    if (problems.length === 0) {
      problems.push(...extensionRequestProblems({ dueOn: view.deadline!.dueOn, requestedOn: today, proposedDueOn: input.proposedDueOn, reason: input.reason }));
    }
    if (problems.length > 0) blocked(problems);
    const row = await trx.insertInto('acceptance_extensions').values({
      project_id: projectId, reason: input.reason.trim(), due_on_before: view.deadline!.dueOn, proposed_due_on: input.proposedDueOn,
      requested_by: actor.userId, requested_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'project:update'), action: 'acceptance.extension.request', objectType: 'project', objectId: projectId,
      outcome: 'success', ...requestFacts(actor),
      diff: { after: { extensionId: row.id, dueOnBefore: view.deadline!.dueOn, proposedDueOn: input.proposedDueOn, reason: input.reason.trim() } },
    });
    await notify(trx, now, actor.userId, await usersInRole(trx, 'approver', project.approvalDepartmentId), {
      kind: 'extensionRequested', project: routing(project), actionId: null,
      title: { zh: `【延期验收申请】${project.name}`, en: `[Extension request] ${project.name}` },
      body: {
        zh: `${project.constructionUnitName}申请将验收申请期限由 ${view.deadline!.dueOn} 延至 ${input.proposedDueOn}。`,
        en: `${project.constructionUnitName} asks to move the acceptance deadline from ${view.deadline!.dueOn} to ${input.proposedDueOn}.`,
      },
    });
    return viewOf(trx, actor, project, today);
  });
}

/** 第二十五条 (I-3): the approval department approves or rejects a pending extension (TOTP, signed). */
export async function decideExtension(
  services: Services, actor: Actor, projectId: string, extensionId: string,
  input: { decision: 'approved' | 'rejected'; opinion: string; totp?: string | undefined },
) {
  await projectFor(services, actor, projectId, 'project:decide');
  required({ opinion: input.opinion });
  const now = services.now();
  const today = shanghaiDate(now);
  return services.database.db.transaction().execute(async (trx) => {
    await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'project:decide', trx);
    const ext = await trx.selectFrom('acceptance_extensions').selectAll().where('id', '=', extensionId).where('project_id', '=', projectId).executeTakeFirst();
    if (!ext) throw new AppError('resource.not_found');
    if (ext.decision !== null) throw new AppError('acceptance.extension_decided');
    await verifyStepUp(services, trx, actor, input.totp);
    const audit = auditActorFor(actor, 'project:decide');
    const payload = canonicalJson({
      type: 'govproj.acceptance-extension.v1', projectId, projectCode: project.code, projectName: project.name, extensionId,
      reason: ext.reason, dueOnBefore: ext.due_on_before, proposedDueOn: ext.proposed_due_on,
      decision: input.decision, opinion: input.opinion.trim(),
      actorId: actor.userId, actorUsername: actor.username, role: audit.role, at: now.toISOString(),
    });
    const signed = await signAsUser(services, trx, actor.userId, payload);
    await trx.updateTable('acceptance_extensions').set({
      decision: input.decision, opinion: input.opinion.trim(), decided_by: actor.userId, role: audit.role ?? '', payload,
      signature: signed.signature, public_key: signed.publicKey, decided_at: now,
    }).where('id', '=', extensionId).where('decision', 'is', null).execute();
    await appendAuditEvent(trx, {
      actor: audit, action: 'acceptance.extension.decide', objectType: 'project', objectId: projectId, outcome: 'success', ...requestFacts(actor),
      diff: { before: { dueOn: ext.due_on_before }, after: { extensionId, decision: input.decision, dueOn: input.decision === 'approved' ? ext.proposed_due_on : ext.due_on_before } },
    });
    // I-3: an approved extension moves the due date of the obligation.
    await sweepProject(trx, services, projectId);
    await notify(trx, now, actor.userId, await unitUsers(trx, project), {
      kind: 'extensionDecided', project: routing(project), actionId: null,
      title: { zh: `【延期验收${input.decision === 'approved' ? '已同意' : '未同意'}】${project.name}`, en: `[Extension ${input.decision}] ${project.name}` },
      body: {
        zh: input.decision === 'approved' ? `验收申请期限延至 ${ext.proposed_due_on}。意见：${input.opinion.trim()}` : `验收申请期限仍为 ${ext.due_on_before}。意见：${input.opinion.trim()}`,
        en: input.decision === 'approved' ? `The acceptance deadline is now ${ext.proposed_due_on}.` : `The acceptance deadline stays ${ext.due_on_before}.`,
      },
    });
    return viewOf(trx, actor, project, today);
  });
}

/**
 * 第二十六条 (I-19, I-53): the approval department records the archive acceptance: its date (not
 * before completion, not after today), pass or fail, and the opinion. The latest record counts.
 */
export async function recordArchiveAcceptance(
  services: Services, actor: Actor, projectId: string, input: { acceptedOn: string; result: AcceptanceResult; opinion: string },
) {
  await projectFor(services, actor, projectId, 'project:review');
  required({ opinion: input.opinion });
  const now = services.now();
  const today = shanghaiDate(now);
  if (!isCalendarDate(input.acceptedOn)) throw new AppError('validation.failed', { fields: [{ path: 'acceptedOn', code: 'invalid_format' }] });
  if (input.acceptedOn > today) throw new AppError('validation.failed', { fields: [{ path: 'acceptedOn', code: 'not_in_future' }] });
  return services.database.db.transaction().execute(async (trx) => {
    const phase = await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'project:review', trx);
    if (phase.completedOn === null) blocked(acceptanceApplicationProblems({ completedOn: null, acceptedOn: null, applicationPending: false }, []));
    if (phase.acceptedOn !== null) throw new AppError('acceptance.already_accepted', { params: { acceptedOn: phase.acceptedOn } });
    if (input.acceptedOn < phase.completedOn) {
      throw new AppError('validation.failed', { fields: [{ path: 'acceptedOn', code: 'acceptance.before_completion' }] });
    }
    const audit = auditActorFor(actor, 'project:review');
    const row = await trx.insertInto('archive_acceptances').values({
      project_id: projectId, accepted_on: input.acceptedOn, result: input.result, opinion: input.opinion.trim(),
      recorded_by: actor.userId, role: audit.role ?? '', created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: audit, action: 'acceptance.archive', objectType: 'project', objectId: projectId, outcome: 'success', ...requestFacts(actor),
      diff: { after: { archiveAcceptanceId: row.id, acceptedOn: input.acceptedOn, result: input.result, opinion: input.opinion.trim() } },
    });
    await notify(trx, now, actor.userId, await unitUsers(trx, project), {
      kind: 'archiveAccepted', project: routing(project), actionId: null,
      title: { zh: `【档案验收${input.result === 'pass' ? '合格' : '不合格'}】${project.name}`, en: `[Archive acceptance ${input.result}] ${project.name}` },
      body: { zh: `档案验收日期 ${input.acceptedOn}。意见：${input.opinion.trim()}`, en: `Archive acceptance on ${input.acceptedOn}.` },
    });
    return viewOf(trx, actor, project, today);
  });
}

export interface AcceptanceDecisionInput {
  result: AcceptanceResult;
  opinion: string;
  /** 第二十七条: the go-live date when it is not the acceptance date (pass only). */
  inOperationOn?: string | undefined;
  totp?: string | undefined;
}

/**
 * 第二十五条, 第二十六条: the approval department decides on the pending application, signed with
 * the deciding user's SM2 key after a fresh TOTP code. A pass needs the latest archive acceptance
 * to have passed (I-19); it sets accepted_on (today) and in_operation_on (given, or today).
 */
export async function decideAcceptance(services: Services, actor: Actor, projectId: string, input: AcceptanceDecisionInput) {
  await projectFor(services, actor, projectId, 'project:decide');
  const now = services.now();
  const today = shanghaiDate(now);
  if (input.inOperationOn !== undefined && !isCalendarDate(input.inOperationOn)) {
    throw new AppError('validation.failed', { fields: [{ path: 'inOperationOn', code: 'invalid_format' }] });
  }
  if (input.result === 'fail' && input.inOperationOn !== undefined) {
    throw new AppError('validation.failed', { fields: [{ path: 'inOperationOn', code: 'acceptance.operation_on_fail' }] });
  }
  return services.database.db.transaction().execute(async (trx) => {
    const phase = await lockConstruction(trx, projectId, 'afterCompletion', now);
    const project = await projectFor(services, actor, projectId, 'project:decide', trx);
    if (phase.acceptedOn !== null) throw new AppError('acceptance.already_accepted', { params: { acceptedOn: phase.acceptedOn } });
    if (phase.completedOn === null) blocked(acceptanceApplicationProblems({ completedOn: null, acceptedOn: null, applicationPending: false }, []));
    const view = await viewOf(trx, actor, project, today);
    const inOperationOn = input.result === 'pass' ? input.inOperationOn ?? today : null;
    const archive = latestArchive(view.archives);
    const problems = acceptanceDecisionProblems({
      result: input.result, opinion: input.opinion, completedOn: phase.completedOn, inOperationOn: inOperationOn ?? today,
      applicationPending: view.pendingApplicationId !== null, archive,
    });
    if (problems.length > 0) blocked(problems);
    await verifyStepUp(services, trx, actor, input.totp);
    const application = view.applications.find((a) => a.id === view.pendingApplicationId)!;
    const audit = auditActorFor(actor, 'project:decide');
    const acceptedOn = input.result === 'pass' ? today : null;
    // What is signed: the project, the application and the materials it attached (by SM3), the
    // archive acceptance it relied on, the result, the dates, the opinion and the rule values in
    // force (第三十四条: a later change of settings rewrites nothing), who and when (SPEC §10).
    const payload = canonicalJson({
      type: 'govproj.acceptance-decision.v1', projectId, projectCode: project.code, projectName: project.name,
      applicationId: application.id, materials: application.materials, completedOn: phase.completedOn,
      archiveAcceptance: archive, result: input.result, opinion: input.opinion.trim(), acceptedOn, inOperationOn,
      rules: { 'acceptance.applicationMonths': view.rules.applicationMonths },
      actorId: actor.userId, actorUsername: actor.username, role: audit.role, at: now.toISOString(),
    });
    const signed = await signAsUser(services, trx, actor.userId, payload);
    const row = await trx.insertInto('acceptance_decisions').values({
      project_id: projectId, application_id: application.id, result: input.result, opinion: input.opinion.trim(),
      accepted_on: acceptedOn, in_operation_on: inOperationOn, actor_id: actor.userId, role: audit.role ?? '',
      payload, signature: signed.signature, public_key: signed.publicKey, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    if (input.result === 'pass') {
      await trx.updateTable('project_construction').set({ accepted_on: acceptedOn, in_operation_on: inOperationOn, updated_at: now })
        .where('project_id', '=', projectId).execute();
    }
    await appendAuditEvent(trx, {
      actor: audit, action: 'acceptance.decide', objectType: 'project', objectId: projectId, outcome: 'success', ...requestFacts(actor),
      diff: {
        before: { acceptedOn: null, inOperationOn: phase.inOperationOn },
        after: { decisionId: row.id, applicationId: application.id, result: input.result, acceptedOn, inOperationOn },
      },
    });
    // 第二十五条, 第二十七条: a pass opens the self-evaluation window; a failure makes an application owed again (I-54).
    await sweepProject(trx, services, projectId);
    await notify(trx, now, actor.userId, await unitUsers(trx, project), {
      kind: 'acceptanceDecided', project: routing(project), actionId: null,
      title: { zh: `【验收${input.result === 'pass' ? '通过' : '未通过'}】${project.name}`, en: `[Acceptance ${input.result === 'pass' ? 'passed' : 'failed'}] ${project.name}` },
      body: {
        zh: `${project.approvalDepartmentName}作出验收结论。意见：${input.opinion.trim()}${input.result === 'pass' ? '。请将验收报告报审批部门备案。' : ''}`,
        en: `${project.approvalDepartmentName} decided on the acceptance.${input.result === 'pass' ? ' File the acceptance report.' : ''}`,
      },
    });
    return { decisionId: row.id, acceptance: await viewOf(trx, actor, project, today) };
  });
}

// ---------------------------------------------------------------------------------------------
// Uploads of this phase (called by materials.ts)

/**
 * Whether a material of acceptance or post-evaluation may be uploaded in the project's phase:
 * the application's materials between completion and acceptance (第二十五条), the acceptance
 * report and the self-evaluation report after acceptance (第二十五条, 第二十七条), and the
 * evaluator's report while its commission is open (第二十七条, I-55). Other codes: no check here.
 */
export async function assertPhaseAllowsUpload(db: Executor | Tx, projectId: string, code: MaterialCode, evaluatorOrganizationIds: readonly string[] | null) {
  const phase = await db.selectFrom('project_construction').select(['completed_on', 'accepted_on']).where('project_id', '=', projectId).executeTakeFirst();
  if (ACCEPTANCE_MATERIAL_CODES.includes(code)) {
    if (!phase?.completed_on) throw new AppError('acceptance.not_open');
    if (phase.accepted_on) throw new AppError('acceptance.already_accepted', { params: { acceptedOn: phase.accepted_on } });
  }
  if ((code === 'acceptanceReport' || code === 'selfEvaluationReport') && !phase?.accepted_on) throw new AppError('acceptance.not_accepted');
  if (code === 'postEvaluationReport' && evaluatorOrganizationIds !== null) {
    const open = await db.selectFrom('post_evaluations').select('id').where('project_id', '=', projectId).where('conclusion', 'is', null)
      .where('evaluator_organization_id', 'in', evaluatorOrganizationIds.length > 0 ? [...evaluatorOrganizationIds] : ['00000000-0000-0000-0000-000000000000'])
      .executeTakeFirst();
    if (!open) throw new AppError('postEvaluation.not_commissioned');
  }
}
