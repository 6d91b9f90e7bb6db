// 第三十条 监督检查、限期整改与升级; 第三十三条 责任追究. A supervisory body (GO, NDRC, MoF, CAC) or
// the approval department records a finding against a project or a system within its remit
// (I-66: data scope and 职责分工 by category; outside it: 403 supervision.outside_remit); the finding
// opens a rectification order with a deadline; the responsible unit answers with evidence; the
// issuer verifies. An overdue or failed order is escalation due, and the issuer takes the next step
// of the ladder in force (rule setting escalation.steps, I-68): 通报批评 → 暂缓安排投资计划 → 暂停项目
// 建设 → 终止项目, each a signed decision (fresh TOTP + SM2 over the stored canonical text) whose
// effect is a row of project_sanctions, read by investment releases (暂缓), lockConstruction (暂停,
// 终止) and every lifecycle action and project edit (终止). Every write and its audit event commit in
// one transaction; a refused request writes nothing.
import { sql } from 'kysely';
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { sm2Verify } from '../crypto/sm2.ts';
import { resolveAccess, scopeContains, type DataScope, type Permission, type RoleAssignment } from '../domain/authz.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { parseEscalationSteps, RULES } from '../domain/rules.ts';
import {
  allowedStep, CATEGORY_NAMES, checkLift, checkStep, escalationDue, escalationReason, inRemit, ISSUER_ROLES, nextStatus,
  STEP_NAMES, validDeadline, type EscalationStep, type FindingCategory, type IssuerRole, type OrderStatus,
} from '../domain/supervision.ts';
import { renderOfficialDocument, type OfficialDocument } from '../documents/gbt9704.ts';
import { renderOfficialDocumentPdf } from '../documents/pdf.ts';
import { escalationDocument, rectificationNotice } from '../documents/supervision-documents.ts';
import { ancestorIds } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { ruleBook } from './rule-settings.ts';
import { signAsUser, verifyStepUp } from './signed-decisions.ts';

// ---------------------------------------------------------------------------------------------
// Views

export interface RectificationAnswerView {
  id: string;
  evidence: string;
  materialIds: string[];
  answeredBy: string;
  answeredAt: string;
  result: 'passed' | 'failed' | null;
  opinion: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
}

export interface EscalationDecisionView {
  id: string;
  step: EscalationStep;
  stepName: { zh: string; en: string };
  action: 'impose' | 'lift';
  reason: string;
  ruleValues: Record<string, unknown>;
  actorName: string;
  role: string;
  payload: string;
  signature: string;
  publicKey: string;
  signatureValid: boolean;
  createdAt: string;
}

export interface RectificationView {
  id: string;
  findingId: string;
  seq: string;
  subjectType: 'project' | 'system';
  projectId: string | null;
  systemId: string | null;
  subjectName: string;
  projectCode: string | null;
  unitOrganizationId: string;
  unitName: string;
  issuerRole: IssuerRole;
  issuerOrganizationId: string;
  issuerName: string;
  issuedBy: string;
  category: FindingCategory;
  categoryName: { zh: string; en: string };
  title: string;
  description: string;
  foundOn: string;
  requirements: string;
  dueOn: string;
  status: OrderStatus;
  /** 逾期整改或者整改后仍不达标 (derived): overdue, failed, or null. */
  escalationDue: 'overdue' | 'failed' | null;
  escalationStep: EscalationStep | null;
  answeredAt: string | null;
  verifiedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  version: number;
}

export interface RectificationDetail extends RectificationView {
  answers: RectificationAnswerView[];
  decisions: EscalationDecisionView[];
  /** The ladder in force today for the responsible unit, with where it comes from. */
  ladder: EscalationStep[];
  ladderSource: unknown;
  taken: EscalationStep[];
  /** Steps whose effect stands from this order (暂缓/暂停 until lifted; 终止 for good). */
  standing: EscalationStep[];
  /** The step the issuer may take now (null: none), and why not otherwise. */
  nextStep: EscalationStep | null;
  nextStepBlockedBy: string | null;
  projectSanctions: ProjectSanctionsView | null;
  /** What the caller may do on this order. */
  can: { answer: boolean; verify: boolean; escalate: boolean };
}

export interface ProjectSanctionsView {
  investmentDeferredSince: string | null;
  constructionSuspendedSince: string | null;
  terminatedSince: string | null;
}

interface OrderRow {
  id: string; seq: string; finding_id: string; project_id: string | null; system_id: string | null; unit_organization_id: string;
  issuer_role: IssuerRole; issuer_organization_id: string; category: FindingCategory; requirements: string; due_on: string;
  status: OrderStatus; escalation_step: EscalationStep | null; answered_at: Date | null; verified_at: Date | null; closed_at: Date | null;
  created_at: Date; version: number; title: string; description: string; found_on: string; issued_by_name: string;
  unit_name: string; issuer_name: string; subject_name: string; project_code: string | null; approval_department_id: string | null;
}

const orderSelect = sql`
  select o.id, o.seq::text as seq, o.finding_id, o.project_id, o.system_id, o.unit_organization_id, o.issuer_role,
    o.issuer_organization_id, o.category, o.requirements, o.due_on::text as due_on, o.status, o.escalation_step,
    o.answered_at, o.verified_at, o.closed_at, o.created_at, o.version,
    f.title, f.description, f.found_on::text as found_on, iu.display_name as issued_by_name,
    u.name as unit_name, io.name as issuer_name, coalesce(p.name, s.name) as subject_name, p.code as project_code,
    p.approval_department_id
  from rectification_orders o
  join supervision_findings f on f.id = o.finding_id
  join users iu on iu.id = f.issued_by
  join organizations u on u.id = o.unit_organization_id
  join organizations io on io.id = o.issuer_organization_id
  left join projects p on p.id = o.project_id
  left join government_systems s on s.id = o.system_id`;

function toView(r: OrderRow, today: string): RectificationView {
  return {
    id: r.id, findingId: r.finding_id, seq: r.seq, subjectType: r.project_id ? 'project' : 'system', projectId: r.project_id, systemId: r.system_id,
    subjectName: r.subject_name, projectCode: r.project_code, unitOrganizationId: r.unit_organization_id, unitName: r.unit_name,
    issuerRole: r.issuer_role, issuerOrganizationId: r.issuer_organization_id, issuerName: r.issuer_name, issuedBy: r.issued_by_name,
    category: r.category, categoryName: CATEGORY_NAMES[r.category], title: r.title, description: r.description, foundOn: r.found_on,
    requirements: r.requirements, dueOn: r.due_on, status: r.status,
    escalationDue: escalationReason({ status: r.status, dueOn: r.due_on }, today), escalationStep: r.escalation_step,
    answeredAt: r.answered_at?.toISOString() ?? null, verifiedAt: r.verified_at?.toISOString() ?? null, closedAt: r.closed_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(), version: r.version,
  };
}

/** A row is visible to `scope` through its responsible unit or the project's approval department. */
function orderVisible(scope: DataScope) {
  return sql<boolean>`(${scopePredicate(scope, 'o.unit_organization_id')} or (p.approval_department_id is not null and ${scopePredicate(scope, 'p.approval_department_id')}))`;
}

// ---------------------------------------------------------------------------------------------
// Who may act

/** The scope one role assignment alone gives for `permission` (a second role never widens another's). */
function roleScope(actor: Actor, assignment: RoleAssignment, permission: Permission): DataScope | null {
  const a = resolveAccess({ userId: actor.userId, organizationIds: actor.organizationIds, roles: [assignment] }, permission);
  return a.allowed ? a.scope : null;
}

export interface Target {
  projectId: string | null;
  systemId: string | null;
  unitOrganizationId: string;
  approvalDepartmentId: string | null;
  name: string;
}

/** Whether `scope` covers the target (its unit, or the project's approval department). */
async function scopeCovers(db: Executor, scope: DataScope, t: Target): Promise<boolean> {
  if (scope.all) return true;
  for (const org of [t.unitOrganizationId, t.approvalDepartmentId]) {
    if (org && scopeContains(scope, { organizationId: org, ancestorIds: await ancestorIds(db, org), ownerUserId: null })) return true;
  }
  return false;
}

/**
 * The issuer role the actor acts in for `permission` on a target and category: the first role it
 * holds that grants the permission, covers the target and (for findings) has the category in its
 * remit. 403 supervision.outside_remit otherwise, naming why.
 */
export async function issuerRoleFor(db: Executor, actor: Actor, permission: Permission, t: Target, category: FindingCategory | null, only?: IssuerRole): Promise<IssuerRole> {
  const candidates = actor.roles.filter((a) => (ISSUER_ROLES as readonly string[]).includes(a.role) && (!only || a.role === only || a.role === 'approver'));
  let reason = '';
  for (const a of candidates) {
    const scope = roleScope(actor, a, permission);
    if (!scope) continue;
    if (!(await scopeCovers(db, scope, t))) { reason ||= `${t.name} 不在数据权限范围内`; continue; }
    if (category && !inRemit(a.role as IssuerRole, category)) { reason ||= `${CATEGORY_NAMES[category].zh}不属本部门职责分工`; continue; }
    return a.role as IssuerRole;
  }
  if (!actor.roles.some((a) => resolveAccess({ userId: actor.userId, organizationIds: actor.organizationIds, roles: [a] }, permission).allowed)) {
    throw new AppError('auth.forbidden', { params: { permission } });
  }
  throw new AppError('supervision.outside_remit', { params: { reason: reason || '无相应监督职责' } });
}

export async function loadTarget(db: Executor, input: { projectId?: string | null; systemId?: string | null }): Promise<Target> {
  if (input.projectId) {
    const p = await db.selectFrom('projects').select(['id', 'name', 'construction_unit_id', 'approval_department_id']).where('id', '=', input.projectId).executeTakeFirst();
    if (!p) throw new AppError('resource.not_found');
    return { projectId: p.id, systemId: null, unitOrganizationId: p.construction_unit_id, approvalDepartmentId: p.approval_department_id, name: p.name };
  }
  const s = await db.selectFrom('government_systems').select(['id', 'name', 'owner_organization_id']).where('id', '=', input.systemId!).executeTakeFirst();
  if (!s) throw new AppError('resource.not_found');
  return { projectId: null, systemId: s.id, unitOrganizationId: s.owner_organization_id, approvalDepartmentId: null, name: s.name };
}

// ---------------------------------------------------------------------------------------------
// Sanctions (the effects enforced elsewhere)

/** The standing effects on a project, or null when none. */
export async function projectSanctions(db: Executor, projectId: string): Promise<ProjectSanctionsView | null> {
  const r = await sql<{ deferred: Date | null; suspended: Date | null; terminated: Date | null }>`
    select d1.created_at as deferred, d2.created_at as suspended, d3.created_at as terminated
    from project_sanctions s
    left join escalation_decisions d1 on d1.id = s.investment_deferred_by
    left join escalation_decisions d2 on d2.id = s.construction_suspended_by
    left join escalation_decisions d3 on d3.id = s.terminated_by
    where s.project_id = ${projectId}`.execute(db);
  const row = r.rows[0];
  if (!row || (!row.deferred && !row.suspended && !row.terminated)) return null;
  return {
    investmentDeferredSince: row.deferred ? shanghaiDate(row.deferred) : null,
    constructionSuspendedSince: row.suspended ? shanghaiDate(row.suspended) : null,
    terminatedSince: row.terminated ? shanghaiDate(row.terminated) : null,
  };
}

/**
 * 第三十条 enforcement, read inside the caller's transaction after it locked the project:
 * 终止 refuses everything; 暂停 refuses construction (what = 'construction'); 暂缓 refuses
 * investment releases (what = 'release').
 */
export async function refuseIfSanctioned(db: Executor, projectId: string, what: 'any' | 'construction' | 'release'): Promise<void> {
  const s = await projectSanctions(db, projectId);
  if (!s) return;
  if (s.terminatedSince) throw new AppError('project.terminated', { params: { since: s.terminatedSince } });
  if ((what === 'construction' || what === 'release') && s.constructionSuspendedSince) {
    throw new AppError('construction.suspended_supervision', { params: { since: s.constructionSuspendedSince } });
  }
  if (what === 'release' && s.investmentDeferredSince) throw new AppError('investment.deferred', { params: { since: s.investmentDeferredSince } });
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface RectificationFilter {
  status?: OrderStatus | undefined;
  category?: FindingCategory | undefined;
  projectId?: string | undefined;
  systemId?: string | undefined;
  escalationDue?: boolean | undefined;
}

function filterSql(f: RectificationFilter, today: string) {
  const parts = [sql<boolean>`true`];
  if (f.status) parts.push(sql<boolean>`o.status = ${f.status}`);
  if (f.category) parts.push(sql<boolean>`o.category = ${f.category}`);
  if (f.projectId) parts.push(sql<boolean>`o.project_id = ${f.projectId}::uuid`);
  if (f.systemId) parts.push(sql<boolean>`o.system_id = ${f.systemId}::uuid`);
  if (f.escalationDue !== undefined) {
    const due = sql<boolean>`(o.status = 'failed' or (o.status in ('open', 'answered') and o.due_on < ${today}::date))`;
    parts.push(f.escalationDue ? due : sql<boolean>`not ${due}`);
  }
  return sql.join(parts, sql` and `);
}

export async function listRectifications(services: Services, actor: Actor, f: RectificationFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'rectification:read');
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const where = sql`where ${orderVisible(scope)} and ${filterSql(f, today)}`;
  const total = await sql<{ n: string }>`select count(*)::text as n from rectification_orders o left join projects p on p.id = o.project_id ${where}`.execute(db);
  const rows = await sql<OrderRow>`${orderSelect} ${where} order by o.seq desc limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db);
  return { total: Number(total.rows[0]!.n), page, pageSize, items: rows.rows.map((r) => toView(r, today)) };
}

export async function* exportRectifications(services: Services, actor: Actor, f: RectificationFilter, batch = 1000): AsyncGenerator<RectificationView[]> {
  const scope = requireAccess(actor, 'rectification:read');
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  let after = '0';
  for (;;) {
    const rows = await sql<OrderRow>`${orderSelect} where ${orderVisible(scope)} and ${filterSql(f, today)} and o.seq > ${after}::bigint order by o.seq limit ${batch}`.execute(db);
    if (rows.rows.length === 0) return;
    yield rows.rows.map((r) => toView(r, today));
    after = rows.rows[rows.rows.length - 1]!.seq;
    if (rows.rows.length < batch) return;
  }
}

async function orderRow(db: Executor, scope: DataScope, id: string, lock = false): Promise<OrderRow> {
  if (lock) {
    const locked = await db.selectFrom('rectification_orders').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) throw new AppError('resource.not_found');
  }
  const r = await sql<OrderRow>`${orderSelect} where o.id = ${id}::uuid and ${orderVisible(scope)}`.execute(db);
  if (!r.rows[0]) throw new AppError('resource.not_found');
  return r.rows[0];
}

async function ladderFor(db: Executor, unitOrganizationId: string, today: string) {
  const book = await ruleBook(db, today);
  const { value, source } = await book.valueFor('escalation.steps', unitOrganizationId);
  const steps = parseEscalationSteps(value) ?? parseEscalationSteps(RULES['escalation.steps'].defaultValue)!;
  return { steps, source, value: steps.join(',') };
}

async function decisionsOf(db: Executor, orderId: string): Promise<EscalationDecisionView[]> {
  const rows = await db.selectFrom('escalation_decisions as d').innerJoin('users as u', 'u.id', 'd.actor_id')
    .selectAll('d').select('u.display_name').where('d.order_id', '=', orderId).orderBy('d.seq').execute();
  return rows.map((r) => ({
    id: r.id, step: r.step, stepName: STEP_NAMES[r.step], action: r.action, reason: r.reason, ruleValues: r.rule_values,
    actorName: r.display_name, role: r.role, payload: r.payload, signature: r.signature, publicKey: r.public_key,
    signatureValid: sm2Verify(r.payload, r.signature, r.public_key), createdAt: r.created_at.toISOString(),
  }));
}

function takenAndStanding(decisions: readonly EscalationDecisionView[]) {
  const taken: EscalationStep[] = [];
  const standing = new Set<EscalationStep>();
  for (const d of decisions) {
    if (d.action === 'impose') { taken.push(d.step); if (d.step !== 'criticism') standing.add(d.step); } else standing.delete(d.step);
  }
  return { taken, standing: [...standing] };
}

async function can(db: Executor, actor: Actor, r: OrderRow, target: Target) {
  const tryRole = async (permission: Permission, category: FindingCategory | null, only?: IssuerRole) => {
    try { await issuerRoleFor(db, actor, permission, target, category, only); return true; } catch { return false; }
  };
  const answerScope = resolveAccess(actor, 'rectification:answer');
  const answer = answerScope.allowed && scopeContains(answerScope.scope, { organizationId: r.unit_organization_id, ancestorIds: await ancestorIds(db, r.unit_organization_id), ownerUserId: null });
  return {
    answer: answer && (r.status === 'open' || r.status === 'failed'),
    verify: r.status === 'answered' && actor.roles.some((a) => a.role === r.issuer_role) && await tryRole('oversight:finding', null, r.issuer_role),
    escalate: await tryRole('rectification:escalate', null, r.issuer_role),
  };
}

export async function getRectification(services: Services, actor: Actor, id: string, db: Executor = services.database.db): Promise<RectificationDetail> {
  const scope = requireAccess(actor, 'rectification:read');
  const today = shanghaiDate(services.now());
  const r = await orderRow(db, scope, id);
  const answers = await db.selectFrom('rectification_answers as a').innerJoin('users as u', 'u.id', 'a.answered_by')
    .leftJoin('users as v', 'v.id', 'a.verified_by')
    .select(['a.id', 'a.evidence', 'a.material_ids', 'a.answered_at', 'a.result', 'a.opinion', 'a.verified_at', 'u.display_name as answered_by', 'v.display_name as verified_by'])
    .where('a.order_id', '=', id).orderBy('a.seq').execute();
  const decisions = await decisionsOf(db, id);
  const { taken, standing } = takenAndStanding(decisions);
  const ladder = await ladderFor(db, r.unit_organization_id, today);
  const sanctions = r.project_id ? await projectSanctions(db, r.project_id) : null;
  const ctx = {
    order: { status: r.status, dueOn: r.due_on }, today, ladder: ladder.steps, taken, hasProject: r.project_id !== null,
    projectTerminated: sanctions?.terminatedSince != null,
  };
  const next = allowedStep(ctx);
  const expected = ladder.steps.find((s) => !taken.includes(s)) ?? null;
  const blocked = next === null && expected !== null ? checkStep(expected, ctx)?.code ?? null : null;
  const target: Target = { projectId: r.project_id, systemId: r.system_id, unitOrganizationId: r.unit_organization_id, approvalDepartmentId: r.approval_department_id, name: r.subject_name };
  return {
    ...toView(r, today),
    answers: answers.map((a) => ({
      id: a.id, evidence: a.evidence, materialIds: a.material_ids, answeredBy: a.answered_by, answeredAt: a.answered_at.toISOString(),
      result: a.result, opinion: a.opinion, verifiedBy: a.verified_by, verifiedAt: a.verified_at?.toISOString() ?? null,
    })),
    decisions, ladder: ladder.steps, ladderSource: ladder.source, taken, standing, nextStep: next, nextStepBlockedBy: blocked,
    projectSanctions: sanctions, can: await can(db, actor, r, target),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface FindingInput {
  projectId?: string | null | undefined;
  systemId?: string | null | undefined;
  category: FindingCategory;
  title: string;
  description: string;
  requirements: string;
  dueOn: string;
}

/** 第三十条: records a finding and opens its rectification order (403 outside the issuer's remit). */
/** How a write runs: in its own transaction, or in the caller's (`tx`, the demo seed). */
export function inTx<T>(services: Services, tx: Tx | undefined, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return tx ? fn(tx) : services.database.db.transaction().execute(fn);
}

export async function recordFinding(services: Services, actor: Actor, input: FindingInput, tx?: Tx): Promise<RectificationDetail> {
  requireAccess(actor, 'oversight:finding');
  if (!input.projectId === !input.systemId) throw new AppError('validation.failed', { fields: [{ path: 'projectId', code: 'invalid' }] });
  const today = shanghaiDate(services.now());
  if (!validDeadline(input.dueOn, today)) throw new AppError('validation.failed', { fields: [{ path: 'dueOn', code: 'invalid' }] });
  return inTx(services, tx, async (trx) => {
    const target = await loadTarget(trx, input);
    const role = await issuerRoleFor(trx, actor, 'oversight:finding', target, input.category);
    if (target.projectId) {
      await trx.selectFrom('projects').select('id').where('id', '=', target.projectId).forUpdate().execute();
      await refuseIfSanctioned(trx, target.projectId, 'any');
    }
    const now = services.now();
    const issuerOrg = actor.organizationIds[0];
    if (!issuerOrg) throw new AppError('auth.forbidden', { params: { permission: 'oversight:finding' } });
    const finding = await trx.insertInto('supervision_findings').values({
      project_id: target.projectId, system_id: target.systemId, unit_organization_id: target.unitOrganizationId, category: input.category,
      title: input.title.trim(), description: input.description.trim(), issuer_role: role, issuer_organization_id: issuerOrg,
      issued_by: actor.userId, found_on: today, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const order = await trx.insertInto('rectification_orders').values({
      finding_id: finding.id, project_id: target.projectId, system_id: target.systemId, unit_organization_id: target.unitOrganizationId,
      issuer_role: role, issuer_organization_id: issuerOrg, category: input.category, requirements: input.requirements.trim(),
      due_on: input.dueOn, status: 'open', created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: { ...auditActorFor(actor, 'oversight:finding'), role }, action: 'supervision.finding.record', objectType: target.projectId ? 'project' : 'system',
      objectId: (target.projectId ?? target.systemId)!, outcome: 'success', occurredAt: now,
      diff: { after: { findingId: finding.id, orderId: order.id, category: input.category, title: input.title.trim(), dueOn: input.dueOn, unitOrganizationId: target.unitOrganizationId } },
      ...requestFacts(actor),
    });
    return getRectification(services, actor, order.id, trx);
  });
}

export interface AnswerInput {
  evidence: string;
  materialIds: string[];
  expectedVersion?: number | undefined;
}

/** The responsible unit answers (again, after a failed verification) with its evidence. */
export async function answerRectification(services: Services, actor: Actor, id: string, input: AnswerInput, tx?: Tx): Promise<RectificationDetail> {
  const scope = requireAccess(actor, 'rectification:answer');
  return inTx(services, tx, async (trx) => {
    const r = await orderRow(trx, scope, id, true);
    if (!scopeContains(scope, { organizationId: r.unit_organization_id, ancestorIds: await ancestorIds(trx, r.unit_organization_id), ownerUserId: null })) {
      throw new AppError('auth.forbidden', { params: { permission: 'rectification:answer' } });
    }
    if (input.expectedVersion !== undefined && input.expectedVersion !== r.version) throw new AppError('conflict.stale');
    const status = nextStatus(r.status, 'answer');
    if (!status) throw new AppError('rectification.not_answerable', { params: { status: r.status } });
    if (r.project_id) await refuseIfSanctioned(trx, r.project_id, 'any');
    const ids = [...new Set(input.materialIds)];
    if (ids.length > 0) {
      const found = r.project_id
        ? await trx.selectFrom('project_materials').select('id').where('project_id', '=', r.project_id).where('id', 'in', ids).execute()
        : [];
      const missing = ids.find((m) => !found.some((f) => f.id === m));
      if (missing) throw new AppError('rectification.evidence_not_found', { params: { materialId: missing } });
    }
    const now = services.now();
    const answer = await trx.insertInto('rectification_answers').values({
      order_id: id, evidence: input.evidence.trim(), material_ids: JSON.stringify(ids), answered_by: actor.userId, answered_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('rectification_orders').set({ status, answered_at: now, updated_at: now, version: sql`version + 1` }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'rectification:answer'), action: 'supervision.rectification.answer', objectType: 'rectification', objectId: id,
      outcome: 'success', occurredAt: now, diff: { before: { status: r.status }, after: { status, answerId: answer.id, materialIds: ids } }, ...requestFacts(actor),
    });
    return getRectification(services, actor, id, trx);
  });
}

export interface VerifyInput {
  result: 'passed' | 'failed';
  opinion: string;
}

/** The issuer verifies the latest answer: passed closes the order; failed makes it escalation due. */
export async function verifyRectification(services: Services, actor: Actor, id: string, input: VerifyInput, tx?: Tx): Promise<RectificationDetail> {
  const scope = requireAccess(actor, 'rectification:read');
  requireAccess(actor, 'oversight:finding');
  return inTx(services, tx, async (trx) => {
    const r = await orderRow(trx, scope, id, true);
    const target: Target = { projectId: r.project_id, systemId: r.system_id, unitOrganizationId: r.unit_organization_id, approvalDepartmentId: r.approval_department_id, name: r.subject_name };
    if (!actor.roles.some((a) => a.role === r.issuer_role)) throw new AppError('supervision.outside_remit', { params: { reason: '只有发出整改通知的部门核查整改情况' } });
    const role = await issuerRoleFor(trx, actor, 'oversight:finding', target, null, r.issuer_role);
    const status = nextStatus(r.status, input.result === 'passed' ? 'pass' : 'fail');
    if (!status) throw new AppError('rectification.not_verifiable', { params: { status: r.status } });
    const now = services.now();
    const last = await trx.selectFrom('rectification_answers').select('id').where('order_id', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await trx.updateTable('rectification_answers').set({ result: input.result, opinion: input.opinion.trim(), verified_by: actor.userId, verified_at: now }).where('id', '=', last.id).execute();
    await trx.updateTable('rectification_orders').set({
      status, verified_at: now, closed_at: status === 'passed' ? now : null, updated_at: now, version: sql`version + 1`,
    }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: { ...auditActorFor(actor, 'oversight:finding'), role }, action: 'supervision.rectification.verify', objectType: 'rectification', objectId: id,
      outcome: 'success', occurredAt: now, diff: { before: { status: r.status }, after: { status, answerId: last.id, result: input.result, opinion: input.opinion.trim() } },
      ...requestFacts(actor),
    });
    return getRectification(services, actor, id, trx);
  });
}

export interface EscalationInput {
  step: EscalationStep;
  reason: string;
  totp?: string | undefined;
}

/**
 * 第三十条: one step of the ladder (impose) or the lifting of 暂缓/暂停 (lift), a signed decision.
 * Refusals (skipped, twice, not due, not rectified…) are checked before the step-up, so a refused
 * request consumes no TOTP code and writes nothing.
 */
/**
 * `seed`: the demo seed's transaction; it records the decision signed but without a step-up
 * (nobody is there to type a code), as the 孤网 exception seed does.
 */
export async function decideEscalation(
  services: Services, actor: Actor, id: string, action: 'impose' | 'lift', input: EscalationInput, seed?: { tx: Tx },
): Promise<RectificationDetail> {
  const scope = requireAccess(actor, 'rectification:read');
  requireAccess(actor, 'rectification:escalate');
  return inTx(services, seed?.tx, async (trx) => {
    const pre = await orderRow(trx, scope, id);
    // Lock order: the project first (as every project write does), then the order.
    if (pre.project_id) await trx.selectFrom('projects').select('id').where('id', '=', pre.project_id).forUpdate().execute();
    const r = await orderRow(trx, scope, id, true);
    const target: Target = { projectId: r.project_id, systemId: r.system_id, unitOrganizationId: r.unit_organization_id, approvalDepartmentId: r.approval_department_id, name: r.subject_name };
    const role = await issuerRoleFor(trx, actor, 'rectification:escalate', target, null, r.issuer_role);
    const now = services.now();
    const today = shanghaiDate(now);
    const decisions = await decisionsOf(trx, id);
    const { taken, standing } = takenAndStanding(decisions);
    const ladder = await ladderFor(trx, r.unit_organization_id, today);
    const sanctions = r.project_id ? await projectSanctions(trx, r.project_id) : null;
    if (action === 'impose') {
      const refusal = checkStep(input.step, {
        order: { status: r.status, dueOn: r.due_on }, today, ladder: ladder.steps, taken, hasProject: r.project_id !== null,
        projectTerminated: sanctions?.terminatedSince != null,
      });
      if (refusal) throw new AppError(refusal.code, { params: refusal.params });
    } else {
      const refusal = checkLift(input.step, standing, r.status);
      if (refusal) throw new AppError(refusal.code, { params: refusal.params });
    }
    if (!seed) await verifyStepUp(services, trx, actor, input.totp);
    const ruleValues = { 'escalation.steps': ladder.value, source: ladder.source, on: today };
    const payload = canonicalJson({
      type: 'govproj.escalation-decision.v1', action, step: input.step, stepName: STEP_NAMES[input.step].zh,
      orderId: r.id, findingId: r.finding_id, projectId: r.project_id, projectCode: r.project_code, systemId: r.system_id,
      subjectName: r.subject_name, unitOrganizationId: r.unit_organization_id, unitName: r.unit_name,
      category: r.category, dueOn: r.due_on, orderStatus: r.status, escalationDue: escalationDue({ status: r.status, dueOn: r.due_on }, today),
      stepsTaken: taken, reason: input.reason.trim(), ruleValues, article: '第三十条',
      actorId: actor.userId, actorUsername: actor.username, role, at: now.toISOString(),
    });
    const { signature, publicKey } = await signAsUser(services, trx, actor.userId, payload);
    const decision = await trx.insertInto('escalation_decisions').values({
      order_id: id, project_id: r.project_id, step: input.step, action, reason: input.reason.trim(), rule_values: JSON.stringify(ruleValues),
      actor_id: actor.userId, role, payload, signature, public_key: publicKey, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    if (action === 'impose') {
      await trx.updateTable('rectification_orders').set({ escalation_step: input.step, updated_at: now, version: sql`version + 1` }).where('id', '=', id).execute();
    }
    if (r.project_id && input.step !== 'criticism') await applySanction(trx, r.project_id, input.step, action, decision.id, now);
    await appendAuditEvent(trx, {
      actor: { ...auditActorFor(actor, 'rectification:escalate'), role }, action: `supervision.escalation.${action}`, objectType: r.project_id ? 'project' : 'system',
      objectId: (r.project_id ?? r.system_id)!, outcome: 'success', occurredAt: now,
      diff: {
        before: { stepsTaken: taken, standing, sanctions },
        after: { decisionId: decision.id, orderId: id, step: input.step, action, reason: input.reason.trim(), ruleValues },
      },
      ...requestFacts(actor),
    });
    return getRectification(services, actor, id, trx);
  });
}

const SANCTION_COLUMN = {
  deferInvestment: 'investment_deferred_by', suspendConstruction: 'construction_suspended_by', terminate: 'terminated_by',
} as const;

/** Sets (impose) or clears (lift) the effect; a lift falls back to another order's standing decision. */
async function applySanction(trx: Tx, projectId: string, step: Exclude<EscalationStep, 'criticism'>, action: 'impose' | 'lift', decisionId: string, now: Date) {
  const column = SANCTION_COLUMN[step];
  let value: string | null = decisionId;
  if (action === 'lift') {
    // Another order's decision of the same step that still stands keeps the effect.
    const other = await sql<{ id: string }>`
      select d.id from escalation_decisions d
      where d.project_id = ${projectId}::uuid and d.step = ${step} and d.action = 'impose' and d.id <> ${decisionId}::uuid
        and not exists (select 1 from escalation_decisions l where l.order_id = d.order_id and l.step = d.step and l.action = 'lift' and l.seq > d.seq)
      order by d.seq limit 1`.execute(trx);
    value = other.rows[0]?.id ?? null;
  }
  await trx.insertInto('project_sanctions').values({ project_id: projectId, [column]: value, updated_at: now })
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ [column]: value, updated_at: now })).execute();
}

// ---------------------------------------------------------------------------------------------
// The issuer's worklist (SPEC §11): orders waiting on the caller

export interface RectificationWork {
  orderId: string;
  projectId: string | null;
  subjectName: string;
  title: string;
  dueOn: string;
  kind: 'verify' | 'escalate' | 'answer';
}

/** Orders waiting on the caller: to verify and to escalate (issuer), to answer (unit). */
export async function rectificationWork(services: Services, actor: Actor, limit = 200): Promise<RectificationWork[]> {
  const access = resolveAccess(actor, 'rectification:read');
  if (!access.allowed) return [];
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const roles = actor.roles.map((a) => a.role as string);
  const rows = await sql<OrderRow>`${orderSelect} where ${orderVisible(access.scope)} and o.status <> 'passed' order by o.due_on, o.seq limit ${limit}`.execute(db);
  const answerAccess = resolveAccess(actor, 'rectification:answer');
  const out: RectificationWork[] = [];
  for (const r of rows.rows) {
    const base = { orderId: r.id, projectId: r.project_id, subjectName: r.subject_name, title: r.title, dueOn: r.due_on };
    const issuer = roles.includes(r.issuer_role);
    if (issuer && r.status === 'answered') out.push({ ...base, kind: 'verify' });
    if ((issuer || (roles.includes('approver') && resolveAccess(actor, 'rectification:escalate').allowed)) && escalationDue({ status: r.status, dueOn: r.due_on }, today)) {
      out.push({ ...base, kind: 'escalate' });
    }
    if (answerAccess.allowed && (r.status === 'open' || r.status === 'failed')
      && scopeContains(answerAccess.scope, { organizationId: r.unit_organization_id, ancestorIds: await ancestorIds(db, r.unit_organization_id), ownerUserId: null })) {
      out.push({ ...base, kind: 'answer' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 第三十三条: accountability

export interface AccountabilityInput {
  unitOrganizationId: string;
  projectId?: string | null | undefined;
  findingId?: string | null | undefined;
  subject: string;
  violation: string;
  basisArticle: string;
  decision: string;
  decidedOn: string;
}

export interface AccountabilityView {
  id: string;
  unitOrganizationId: string;
  unitName: string;
  projectId: string | null;
  projectName: string | null;
  projectCode: string | null;
  findingId: string | null;
  subject: string;
  violation: string;
  basisArticle: string;
  decision: string;
  decidedOn: string;
  recordedBy: string;
  role: string;
  createdAt: string;
}

interface AccountabilityRow {
  id: string; seq: string; unit_organization_id: string; unit_name: string; project_id: string | null; project_name: string | null; project_code: string | null;
  finding_id: string | null; subject: string; violation: string; basis_article: string; decision: string; decided_on: string;
  recorded_by: string; role: string; created_at: Date;
}

const accountabilitySelect = sql`
  select a.id, a.seq::text as seq, a.unit_organization_id, u.name as unit_name, a.project_id, p.name as project_name, p.code as project_code,
    a.finding_id, a.subject, a.violation, a.basis_article, a.decision, a.decided_on::text as decided_on,
    ru.display_name as recorded_by, a.role, a.created_at
  from accountability_records a join organizations u on u.id = a.unit_organization_id
  join users ru on ru.id = a.recorded_by left join projects p on p.id = a.project_id`;

const accountabilityView = (r: AccountabilityRow): AccountabilityView => ({
  id: r.id, unitOrganizationId: r.unit_organization_id, unitName: r.unit_name, projectId: r.project_id, projectName: r.project_name,
  projectCode: r.project_code, findingId: r.finding_id, subject: r.subject, violation: r.violation, basisArticle: r.basis_article,
  decision: r.decision, decidedOn: r.decided_on, recordedBy: r.recorded_by, role: r.role, createdAt: r.created_at.toISOString(),
});

function accountabilityVisible(scope: DataScope) {
  return sql<boolean>`(${scopePredicate(scope, 'a.unit_organization_id')} or (p.approval_department_id is not null and ${scopePredicate(scope, 'p.approval_department_id')}))`;
}

export async function recordAccountability(services: Services, actor: Actor, input: AccountabilityInput, tx?: Tx): Promise<AccountabilityView> {
  requireAccess(actor, 'accountability:record');
  const today = shanghaiDate(services.now());
  if (input.decidedOn > today) throw new AppError('validation.failed', { fields: [{ path: 'decidedOn', code: 'not_in_future' }] });
  return inTx(services, tx, async (trx) => {
    const unit = await trx.selectFrom('organizations').select(['id', 'name']).where('id', '=', input.unitOrganizationId).executeTakeFirst();
    if (!unit) throw new AppError('validation.failed', { fields: [{ path: 'unitOrganizationId', code: 'unknown_reference' }] });
    let approvalDepartmentId: string | null = null;
    if (input.projectId) {
      const p = await trx.selectFrom('projects').select(['construction_unit_id', 'approval_department_id']).where('id', '=', input.projectId).executeTakeFirst();
      if (!p) throw new AppError('validation.failed', { fields: [{ path: 'projectId', code: 'unknown_reference' }] });
      approvalDepartmentId = p.approval_department_id;
    }
    if (input.findingId) {
      const f = await trx.selectFrom('supervision_findings').select('id').where('id', '=', input.findingId).executeTakeFirst();
      if (!f) throw new AppError('validation.failed', { fields: [{ path: 'findingId', code: 'unknown_reference' }] });
    }
    const target: Target = { projectId: input.projectId ?? null, systemId: null, unitOrganizationId: unit.id, approvalDepartmentId, name: unit.name };
    const role = await issuerRoleFor(trx, actor, 'accountability:record', target, null);
    const now = services.now();
    const row = await trx.insertInto('accountability_records').values({
      unit_organization_id: unit.id, project_id: input.projectId ?? null, finding_id: input.findingId ?? null, subject: input.subject.trim(),
      violation: input.violation.trim(), basis_article: input.basisArticle.trim(), decision: input.decision.trim(), decided_on: input.decidedOn,
      recorded_by: actor.userId, role, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: { ...auditActorFor(actor, 'accountability:record'), role }, action: 'supervision.accountability.record', objectType: 'organization',
      objectId: unit.id, outcome: 'success', occurredAt: now,
      diff: { after: { recordId: row.id, projectId: input.projectId ?? null, subject: input.subject.trim(), basisArticle: input.basisArticle.trim(), decision: input.decision.trim(), decidedOn: input.decidedOn } },
      ...requestFacts(actor),
    });
    const r = await sql<AccountabilityRow>`${accountabilitySelect} where a.id = ${row.id}::uuid`.execute(trx);
    return accountabilityView(r.rows[0]!);
  });
}

export interface AccountabilityFilter {
  unitOrganizationId?: string | undefined;
  projectId?: string | undefined;
}

function accountabilityWhere(scope: DataScope, f: AccountabilityFilter) {
  const parts = [accountabilityVisible(scope)];
  if (f.unitOrganizationId) parts.push(sql<boolean>`a.unit_organization_id = ${f.unitOrganizationId}::uuid`);
  if (f.projectId) parts.push(sql<boolean>`a.project_id = ${f.projectId}::uuid`);
  return sql.join(parts, sql` and `);
}

export async function listAccountability(services: Services, actor: Actor, f: AccountabilityFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'rectification:read');
  const db = services.database.db;
  const where = accountabilityWhere(scope, f);
  const total = await sql<{ n: string }>`select count(*)::text as n from accountability_records a left join projects p on p.id = a.project_id where ${where}`.execute(db);
  const rows = await sql<AccountabilityRow>`${accountabilitySelect} where ${where} order by a.seq desc limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db);
  return { total: Number(total.rows[0]!.n), page, pageSize, items: rows.rows.map(accountabilityView) };
}

export async function* exportAccountability(services: Services, actor: Actor, f: AccountabilityFilter, batch = 1000): AsyncGenerator<AccountabilityView[]> {
  const scope = requireAccess(actor, 'rectification:read');
  let after = '0';
  for (;;) {
    const rows = await sql<AccountabilityRow>`${accountabilitySelect} where ${accountabilityWhere(scope, f)} and a.seq > ${after}::bigint order by a.seq limit ${batch}`.execute(services.database.db);
    if (rows.rows.length === 0) return;
    yield rows.rows.map(accountabilityView);
    after = rows.rows[rows.rows.length - 1]!.seq;
    if (rows.rows.length < batch) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Official documents: 整改通知 and 通报 / 决定 (GB/T 9704 .docx, or PDF with an embedded font)

async function renderDocument(document: OfficialDocument, format: 'docx' | 'pdf'): Promise<Buffer> {
  return format === 'pdf' ? renderOfficialDocumentPdf(document) : renderOfficialDocument(document);
}

const withExtension = (fileName: string, format: 'docx' | 'pdf') => (format === 'pdf' ? fileName.replace(/\.docx$/, '.pdf') : fileName);

async function auditDownload(services: Services, actor: Actor, orderId: string, what: Record<string, unknown>) {
  await services.database.db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: auditActorFor(actor, 'rectification:read'), action: 'supervision.document_download', objectType: 'rectification', objectId: orderId,
    outcome: 'success', diff: { after: what }, ...requestFacts(actor),
  }));
}

/** 整改通知 of an order the caller can see (404 otherwise); the download is audited. */
export async function rectificationNoticeDocument(services: Services, actor: Actor, id: string, format: 'docx' | 'pdf'): Promise<{ fileName: string; buffer: Buffer }> {
  const scope = requireAccess(actor, 'rectification:read');
  const r = await orderRow(services.database.db, scope, id);
  const { document, fileName } = rectificationNotice({
    seq: r.seq, issuerName: r.issuer_name, unitName: r.unit_name, subjectType: r.project_id ? 'project' : 'system', subjectName: r.subject_name,
    projectCode: r.project_code, category: r.category, title: r.title, description: r.description, requirements: r.requirements,
    foundOn: r.found_on, dueOn: r.due_on,
  });
  const buffer = await renderDocument(document, format);
  await auditDownload(services, actor, id, { document: 'rectificationNotice', documentNumber: document.documentNumber, format });
  return { fileName: withExtension(fileName, format), buffer };
}

/** 通报 (通报批评) or the 决定 of a later step or a lifting, from the signed decision. */
export async function escalationDecisionDocument(services: Services, actor: Actor, id: string, decisionId: string, format: 'docx' | 'pdf'): Promise<{ fileName: string; buffer: Buffer }> {
  const scope = requireAccess(actor, 'rectification:read');
  const db = services.database.db;
  const r = await orderRow(db, scope, id);
  const d = (await decisionsOf(db, id)).find((x) => x.id === decisionId);
  if (!d) throw new AppError('resource.not_found');
  const seq = await db.selectFrom('escalation_decisions').select('seq').where('id', '=', decisionId).executeTakeFirstOrThrow();
  const copyTo = r.approval_department_id && r.approval_department_id !== r.issuer_organization_id
    ? [(await db.selectFrom('organizations').select('name').where('id', '=', r.approval_department_id).executeTakeFirstOrThrow()).name]
    : [];
  const { document, fileName } = escalationDocument({
    seq: seq.seq, step: d.step, action: d.action, issuerName: r.issuer_name, unitName: r.unit_name, payload: d.payload, signature: d.signature,
    signatureValid: d.signatureValid, actorName: d.actorName, createdOn: shanghaiDate(new Date(d.createdAt)), copyTo,
  });
  const buffer = await renderDocument(document, format);
  await auditDownload(services, actor, id, { document: 'escalationDecision', decisionId, documentNumber: document.documentNumber, format });
  return { fileName: withExtension(fileName, format), buffer };
}
