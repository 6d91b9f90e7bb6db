// 第二十九条 资料调阅: a supervisory body (GO, NDRC, MoF, CAC, or the project's approval department;
// the remit rules of 第三十条, src/usecases/supervision.ts: data scope, 403 supervision.outside_remit)
// requests materials about a project or a system from the responsible unit by a deadline (by
// default the rule setting documentRequest.responseDays, I-90). The unit uploads files to the request
// and answers (statement, the files, the items that do not exist and why); the requester accepts
// the answer or returns it as incomplete, and the unit answers again. A request the unit has not
// answered by its deadline is overdue (derived; the deadline day itself is on time). From an overdue
// or returned request the requester may open a 第三十条 finding (I-92), linked to the request. The
// 审计机关 reads every request and changes nothing (I-80, I-91). Every write and its audit event
// commit in one transaction; a refused request writes nothing.
import { pipeline, type Readable } from 'node:stream';
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/writer.ts';
import { resolveAccess, scopeContains, type DataScope } from '../domain/authz.ts';
import {
  checkAnswer, defaultDueOn, findingAllowed, isOverdue, nextRequestStatus, PURPOSE_NAMES, STATUS_NAMES, validDueOn,
  type MissingItem, type RequestPurpose, type RequestStatus,
} from '../domain/document-requests.ts';
import { checkClaim, detectFileType, FILE_TYPE_INFO, typeOfExtension } from '../domain/file-type.ts';
import { sanitizeFileName } from '../domain/file-name.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { RULES } from '../domain/rules.ts';
import type { FindingCategory, IssuerRole } from '../domain/supervision.ts';
import { ancestorIds } from '../db/org-tree.ts';
import type { Executor, Tx } from '../db/database.ts';
import { scopePredicate } from '../db/scope.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { fileStoreFor } from '../storage/file-store.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { commitStaged, stageUpload, Verify } from './materials.ts';
import { ruleBook } from './rule-settings.ts';
import { inTx, issuerRoleFor, loadTarget, recordFinding, type Target } from './supervision.ts';

// ---------------------------------------------------------------------------------------------
// Views

export interface DocumentRequestFileView {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sm3: string;
  uploadedBy: string;
  uploadedAt: string;
  /** The answer that submitted it (null: uploaded, not yet submitted). */
  answerId: string | null;
}

export interface DocumentRequestAnswerView {
  id: string;
  statement: string;
  fileIds: string[];
  missingItems: MissingItem[];
  answeredBy: string;
  answeredAt: string;
  review: { result: 'accepted' | 'returned'; reasons: string; reviewedBy: string; reviewedAt: string } | null;
}

export interface DocumentRequestView {
  id: string;
  seq: string;
  subjectType: 'project' | 'system';
  projectId: string | null;
  systemId: string | null;
  subjectName: string;
  projectCode: string | null;
  unitOrganizationId: string;
  unitName: string;
  requesterRole: IssuerRole;
  requesterOrganizationId: string;
  requesterName: string;
  requestedBy: string;
  purpose: RequestPurpose;
  purposeName: { zh: string; en: string };
  title: string;
  items: string[];
  requestedOn: string;
  dueOn: string;
  /** Where the deadline came from: the rule setting in force, or 'explicit'. */
  dueRule: Record<string, unknown>;
  status: RequestStatus;
  statusName: { zh: string; en: string };
  /** Derived: the unit owes an answer and the deadline has passed. */
  overdue: boolean;
  findingId: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  createdAt: string;
  version: number;
}

export interface DocumentRequestDetail extends DocumentRequestView {
  files: DocumentRequestFileView[];
  answers: DocumentRequestAnswerView[];
  /** Why a 第三十条 finding may be opened from the request now (null: it may not). */
  findingAllowed: 'overdue' | 'returned' | null;
  /** What the caller may do on this request. */
  can: { answer: boolean; review: boolean; openFinding: boolean };
}

interface RequestRow {
  id: string; seq: string; project_id: string | null; system_id: string | null; unit_organization_id: string; requester_role: IssuerRole;
  requester_organization_id: string; purpose: RequestPurpose; title: string; items: string[]; requested_on: string; due_on: string;
  due_rule: Record<string, unknown>; status: RequestStatus; finding_id: string | null; answered_at: Date | null; closed_at: Date | null;
  created_at: Date; version: number; requested_by_name: string; unit_name: string; requester_name: string; subject_name: string;
  project_code: string | null; approval_department_id: string | null;
}

const requestSelect = sql`
  select r.id, r.seq::text as seq, r.project_id, r.system_id, r.unit_organization_id, r.requester_role, r.requester_organization_id,
    r.purpose, r.title, r.items, r.requested_on::text as requested_on, r.due_on::text as due_on, r.due_rule, r.status, r.finding_id,
    r.answered_at, r.closed_at, r.created_at, r.version, ru.display_name as requested_by_name, u.name as unit_name, ro.name as requester_name,
    coalesce(p.name, s.name) as subject_name, p.code as project_code, p.approval_department_id
  from document_requests r
  join users ru on ru.id = r.requested_by
  join organizations u on u.id = r.unit_organization_id
  join organizations ro on ro.id = r.requester_organization_id
  left join projects p on p.id = r.project_id
  left join government_systems s on s.id = r.system_id`;

function toView(r: RequestRow, today: string): DocumentRequestView {
  return {
    id: r.id, seq: r.seq, subjectType: r.project_id ? 'project' : 'system', projectId: r.project_id, systemId: r.system_id,
    subjectName: r.subject_name, projectCode: r.project_code, unitOrganizationId: r.unit_organization_id, unitName: r.unit_name,
    requesterRole: r.requester_role, requesterOrganizationId: r.requester_organization_id, requesterName: r.requester_name,
    requestedBy: r.requested_by_name, purpose: r.purpose, purposeName: PURPOSE_NAMES[r.purpose], title: r.title, items: r.items,
    requestedOn: r.requested_on, dueOn: r.due_on, dueRule: r.due_rule, status: r.status, statusName: STATUS_NAMES[r.status],
    overdue: isOverdue({ status: r.status, dueOn: r.due_on }, today), findingId: r.finding_id,
    answeredAt: r.answered_at?.toISOString() ?? null, closedAt: r.closed_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}

/**
 * Visible to `scope` (rectification:read) through the responsible unit or the project's approval
 * department, or to the requesting organization's own people.
 */
function visible(scope: DataScope, actor: Actor) {
  return sql<boolean>`(${scopePredicate(scope, 'r.unit_organization_id')}
    or (p.approval_department_id is not null and ${scopePredicate(scope, 'p.approval_department_id')})
    or r.requester_organization_id = any(${[...actor.organizationIds]}::uuid[]))`;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface DocumentRequestFilter {
  /** sent: requests the caller's organization made; received: requests to units the caller answers for. */
  box?: 'sent' | 'received' | undefined;
  status?: RequestStatus | undefined;
  overdue?: boolean | undefined;
  projectId?: string | undefined;
  systemId?: string | undefined;
}

function filterSql(actor: Actor, f: DocumentRequestFilter, today: string) {
  const parts = [sql<boolean>`true`];
  if (f.box === 'sent') parts.push(sql<boolean>`r.requester_organization_id = any(${[...actor.organizationIds]}::uuid[])`);
  if (f.box === 'received') {
    const answer = resolveAccess(actor, 'rectification:answer');
    parts.push(answer.allowed ? scopePredicate(answer.scope, 'r.unit_organization_id') : sql<boolean>`false`);
  }
  if (f.status) parts.push(sql<boolean>`r.status = ${f.status}`);
  if (f.projectId) parts.push(sql<boolean>`r.project_id = ${f.projectId}::uuid`);
  if (f.systemId) parts.push(sql<boolean>`r.system_id = ${f.systemId}::uuid`);
  if (f.overdue !== undefined) {
    // The same rule as isOverdue (src/domain/document-requests.ts), in SQL.
    const overdue = sql<boolean>`(r.status in ('open', 'returned') and r.due_on < ${today}::date)`;
    parts.push(f.overdue ? overdue : sql<boolean>`not ${overdue}`);
  }
  return sql.join(parts, sql` and `);
}

export async function listDocumentRequests(services: Services, actor: Actor, f: DocumentRequestFilter, page: number, pageSize: number) {
  const scope = requireAccess(actor, 'rectification:read');
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const where = sql`where ${visible(scope, actor)} and ${filterSql(actor, f, today)}`;
  const total = await sql<{ n: string }>`select count(*)::text as n from document_requests r left join projects p on p.id = r.project_id ${where}`.execute(db);
  const rows = await sql<RequestRow>`${requestSelect} ${where} order by r.seq desc limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db);
  return { total: Number(total.rows[0]!.n), page, pageSize, items: rows.rows.map((r) => toView(r, today)) };
}

/** The whole filtered list in keyset batches, for the .xlsx export. */
export async function* exportDocumentRequests(services: Services, actor: Actor, f: DocumentRequestFilter, batch = 1000): AsyncGenerator<DocumentRequestView[]> {
  const scope = requireAccess(actor, 'rectification:read');
  const today = shanghaiDate(services.now());
  let after = '0';
  for (;;) {
    const rows = await sql<RequestRow>`${requestSelect} where ${visible(scope, actor)} and ${filterSql(actor, f, today)} and r.seq > ${after}::bigint
      order by r.seq limit ${batch}`.execute(services.database.db);
    if (rows.rows.length === 0) return;
    yield rows.rows.map((r) => toView(r, today));
    after = rows.rows[rows.rows.length - 1]!.seq;
    if (rows.rows.length < batch) return;
  }
}

async function requestRow(db: Executor, scope: DataScope, actor: Actor, id: string, lock = false): Promise<RequestRow> {
  if (lock) {
    const locked = await db.selectFrom('document_requests').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) throw new AppError('resource.not_found');
  }
  const r = await sql<RequestRow>`${requestSelect} where r.id = ${id}::uuid and ${visible(scope, actor)}`.execute(db);
  if (!r.rows[0]) throw new AppError('resource.not_found');
  return r.rows[0];
}

const targetOf = (r: RequestRow): Target => ({
  projectId: r.project_id, systemId: r.system_id, unitOrganizationId: r.unit_organization_id, approvalDepartmentId: r.approval_department_id, name: r.subject_name,
});

/** Whether the caller answers for the request's unit (rectification:answer over the unit). */
async function answersFor(db: Executor, actor: Actor, unitOrganizationId: string): Promise<boolean> {
  const a = resolveAccess(actor, 'rectification:answer');
  return a.allowed && scopeContains(a.scope, { organizationId: unitOrganizationId, ancestorIds: await ancestorIds(db, unitOrganizationId), ownerUserId: null });
}

/** The requester's role, when the caller acts for the requesting body within its remit; else null. */
async function requesterRole(db: Executor, actor: Actor, r: RequestRow): Promise<IssuerRole | null> {
  if (!actor.roles.some((a) => a.role === r.requester_role) || !actor.organizationIds.includes(r.requester_organization_id)) return null;
  try {
    return await issuerRoleFor(db, actor, 'oversight:finding', targetOf(r), null, r.requester_role);
  } catch {
    return null;
  }
}

export async function getDocumentRequest(services: Services, actor: Actor, id: string, db: Executor = services.database.db): Promise<DocumentRequestDetail> {
  const scope = requireAccess(actor, 'rectification:read');
  const today = shanghaiDate(services.now());
  const r = await requestRow(db, scope, actor, id);
  const answers = await db.selectFrom('document_request_answers as a').innerJoin('users as u', 'u.id', 'a.answered_by')
    .leftJoin('document_request_reviews as v', 'v.answer_id', 'a.id').leftJoin('users as vu', 'vu.id', 'v.reviewed_by')
    .select(['a.id', 'a.statement', 'a.file_ids', 'a.missing_items', 'a.answered_at', 'u.display_name as answered_by',
      'v.result', 'v.reasons', 'v.reviewed_at', 'vu.display_name as reviewed_by'])
    .where('a.request_id', '=', id).orderBy('a.seq').execute();
  const submitted = new Map<string, string>();
  for (const a of answers) for (const f of a.file_ids) submitted.set(f, a.id);
  const files = await db.selectFrom('document_request_files as f').innerJoin('users as u', 'u.id', 'f.uploaded_by')
    .select(['f.id', 'f.file_name', 'f.media_type', 'f.size_bytes', 'f.sm3', 'f.uploaded_at', 'u.display_name'])
    .where('f.request_id', '=', id).orderBy('f.seq').execute();
  const view = toView(r, today);
  const allowed = findingAllowed({ status: r.status, dueOn: r.due_on, findingId: r.finding_id }, today);
  const role = await requesterRole(db, actor, r);
  const owes = r.status === 'open' || r.status === 'returned';
  return {
    ...view,
    files: files.map((f) => ({
      id: f.id, fileName: f.file_name, mediaType: f.media_type, sizeBytes: Number(f.size_bytes), sm3: f.sm3.trim(), uploadedBy: f.display_name,
      uploadedAt: f.uploaded_at.toISOString(), answerId: submitted.get(f.id) ?? null,
    })),
    answers: answers.map((a) => ({
      id: a.id, statement: a.statement, fileIds: a.file_ids, missingItems: a.missing_items, answeredBy: a.answered_by, answeredAt: a.answered_at.toISOString(),
      review: a.result ? { result: a.result, reasons: a.reasons!, reviewedBy: a.reviewed_by!, reviewedAt: a.reviewed_at!.toISOString() } : null,
    })),
    findingAllowed: allowed,
    can: {
      answer: owes && await answersFor(db, actor, r.unit_organization_id),
      review: r.status === 'answered' && role !== null,
      openFinding: allowed !== null && role !== null && resolveAccess(actor, 'oversight:finding').allowed,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface DocumentRequestInput {
  projectId?: string | null | undefined;
  systemId?: string | null | undefined;
  purpose: RequestPurpose;
  title: string;
  items: string[];
  /** 'YYYY-MM-DD'; omitted: documentRequest.responseDays after today (I-90). */
  dueOn?: string | undefined;
}

/** 第二十九条: requests materials from the responsible unit (403 outside the requester's remit). */
export async function createDocumentRequest(services: Services, actor: Actor, input: DocumentRequestInput, tx?: Tx): Promise<DocumentRequestDetail> {
  requireAccess(actor, 'oversight:finding');
  if (!input.projectId === !input.systemId) throw new AppError('validation.failed', { fields: [{ path: 'projectId', code: 'invalid' }] });
  const items = input.items.map((i) => i.trim());
  if (items.length === 0 || items.some((i) => i.length === 0)) throw new AppError('validation.failed', { fields: [{ path: 'items', code: 'invalid' }] });
  const now = services.now();
  const today = shanghaiDate(now);
  if (input.dueOn !== undefined && !validDueOn(input.dueOn, today)) throw new AppError('validation.failed', { fields: [{ path: 'dueOn', code: 'invalid' }] });
  return inTx(services, tx, async (trx) => {
    const target = await loadTarget(trx, input);
    const role = await issuerRoleFor(trx, actor, 'oversight:finding', target, null);
    const requesterOrg = actor.organizationIds[0];
    if (!requesterOrg) throw new AppError('auth.forbidden', { params: { permission: 'oversight:finding' } });
    let dueOn = input.dueOn;
    let dueRule: Record<string, unknown> = { kind: 'explicit' };
    if (dueOn === undefined) {
      const { value, source } = await (await ruleBook(trx, today)).valueFor('documentRequest.responseDays', target.unitOrganizationId);
      const days = typeof value === 'number' ? value : Number(RULES['documentRequest.responseDays'].defaultValue);
      dueOn = defaultDueOn(today, days);
      dueRule = { kind: 'rule', key: 'documentRequest.responseDays', value: days, source };
    }
    const row = await trx.insertInto('document_requests').values({
      project_id: target.projectId, system_id: target.systemId, unit_organization_id: target.unitOrganizationId, requester_role: role,
      requester_organization_id: requesterOrg, requested_by: actor.userId, purpose: input.purpose, title: input.title.trim(),
      items: JSON.stringify(items), requested_on: today, due_on: dueOn, due_rule: JSON.stringify(dueRule), status: 'open',
      created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: { ...auditActorFor(actor, 'oversight:finding'), role }, action: 'document_request.create', objectType: 'document_request', objectId: row.id,
      outcome: 'success', occurredAt: now,
      diff: { after: { projectId: target.projectId, systemId: target.systemId, unitOrganizationId: target.unitOrganizationId, purpose: input.purpose, title: input.title.trim(), items, dueOn, dueRule } },
      ...requestFacts(actor),
    });
    return getDocumentRequest(services, actor, row.id, trx);
  });
}

/** Refuses unless the caller answers for the unit and the request waits for an answer. */
async function assertAnswerable(db: Executor, actor: Actor, r: RequestRow) {
  if (!(await answersFor(db, actor, r.unit_organization_id))) throw new AppError('auth.forbidden', { params: { permission: 'rectification:answer' } });
  if (nextRequestStatus(r.status, 'answer') === null) throw new AppError('document_request.not_answerable', { params: { status: STATUS_NAMES[r.status].zh } });
}

export interface RequestFileUpload {
  fileName: string;
  contentType: string | undefined;
  content: Readable;
  /** Runs once the content is staged, before anything is stored (the route checks nothing follows the file). */
  afterContent?: () => Promise<void>;
}

/**
 * The unit uploads a file for its next answer: streamed through SM3 into the file store's staging
 * area, its type checked from the bytes (as project materials are), then one row and its audit event.
 */
export async function uploadDocumentRequestFile(services: Services, actor: Actor, id: string, upload: RequestFileUpload): Promise<DocumentRequestFileView> {
  const scope = requireAccess(actor, 'rectification:read');
  requireAccess(actor, 'rectification:answer');
  const db = services.database.db;
  // Refused before a byte of the file is read: visibility, who answers, state, name.
  await assertAnswerable(db, actor, await requestRow(db, scope, actor, id));
  const fileName = sanitizeFileName(upload.fileName);
  if (!/\.[^.]+$/.test(fileName)) throw new AppError('validation.failed', { fields: [{ path: 'file', code: 'material.file_name' }] });
  if (typeOfExtension(fileName) === null) throw new AppError('material.type_unsupported');
  const staged = await stageUpload(services, upload.content);
  try {
    await upload.afterContent?.();
    if (staged.size === 0) throw new AppError('validation.failed', { fields: [{ path: 'file', code: 'material.file_empty' }] });
    const claim = checkClaim(await detectFileType(staged), fileName, upload.contentType);
    if (!claim.ok) {
      if (claim.reason === 'unsupported') throw new AppError('material.type_unsupported');
      throw new AppError('material.type_mismatch', { params: { detected: FILE_TYPE_INFO[claim.detected].name, claimed: claim.claimed } });
    }
    const mediaType = FILE_TYPE_INFO[claim.type].mediaType;
    const fileId = await db.transaction().execute(async (trx) => {
      // The request may have moved while the file arrived: check again under its row lock.
      await assertAnswerable(trx, actor, await requestRow(trx, scope, actor, id, true));
      const now = services.now();
      const row = await trx.insertInto('document_request_files').values({
        request_id: id, file_name: fileName, media_type: mediaType, size_bytes: staged.size, sm3: staged.sm3, storage_key: staged.sm3,
        uploaded_by: actor.userId, uploaded_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, 'rectification:answer'), action: 'document_request.file_upload', objectType: 'document_request', objectId: id,
        outcome: 'success', occurredAt: now, diff: { after: { fileId: row.id, fileName, mediaType, sizeBytes: staged.size, sm3: staged.sm3 } },
        ...requestFacts(actor),
      });
      await commitStaged(staged);
      return row.id;
    });
    const detail = await getDocumentRequest(services, actor, id);
    return detail.files.find((f) => f.id === fileId)!;
  } finally {
    await staged.discard();
  }
}

/** A file of a request the caller can see, for download (checked against its SM3 as it streams); audited. */
export async function openDocumentRequestFile(services: Services, actor: Actor, id: string, fileId: string): Promise<{ file: DocumentRequestFileView; content: Readable }> {
  const scope = requireAccess(actor, 'rectification:read');
  const db = services.database.db;
  await requestRow(db, scope, actor, id);
  const row = await db.selectFrom('document_request_files').selectAll().where('id', '=', fileId).where('request_id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  const store = fileStoreFor(services.config);
  const found = await store.exists(row.storage_key);
  await db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: auditActorFor(actor, 'rectification:read'), action: 'document_request.file_download', objectType: 'document_request', objectId: id,
    outcome: found ? 'success' : 'failure', diff: { after: { fileId, sm3: row.sm3.trim() } }, ...requestFacts(actor),
  }));
  if (!found) throw new AppError('material.file_missing');
  const file = (await getDocumentRequest(services, actor, id)).files.find((f) => f.id === fileId)!;
  // As for project materials: the SM3 is computed again on the way out; altered bytes break the download.
  return { file, content: pipeline(store.get(row.storage_key), new Verify(file.sm3, file.sizeBytes), () => {}) };
}

export interface AnswerInput {
  statement: string;
  fileIds: string[];
  missingItems: MissingItem[];
  expectedVersion?: number | undefined;
}

/** The unit answers (again, after a return): its statement, files uploaded to the request, missing items. */
export async function answerDocumentRequest(services: Services, actor: Actor, id: string, input: AnswerInput, tx?: Tx): Promise<DocumentRequestDetail> {
  const scope = requireAccess(actor, 'rectification:read');
  requireAccess(actor, 'rectification:answer');
  return inTx(services, tx, async (trx) => {
    const r = await requestRow(trx, scope, actor, id, true);
    await assertAnswerable(trx, actor, r);
    if (input.expectedVersion !== undefined && input.expectedVersion !== r.version) throw new AppError('conflict.stale');
    const fileIds = [...new Set(input.fileIds)];
    const missing = input.missingItems.map((m) => ({ index: m.index, reason: m.reason.trim() }));
    const problem = checkAnswer(r.items.length, missing, fileIds.length);
    if (problem) throw new AppError(problem.code, { params: problem.params });
    if (fileIds.length > 0) {
      const found = await trx.selectFrom('document_request_files').select('id').where('request_id', '=', id).where('id', 'in', fileIds).execute();
      const unknown = fileIds.find((f) => !found.some((x) => x.id === f));
      if (unknown) throw new AppError('document_request.file_not_found', { params: { fileId: unknown } });
      // A file is submitted once: an answer never re-labels what an earlier one submitted.
      const used = await sql<{ f: string }>`select f from document_request_answers a, jsonb_array_elements_text(a.file_ids) f
        where a.request_id = ${id}::uuid and f = any(${fileIds}::text[]) limit 1`.execute(trx);
      if (used.rows[0]) throw new AppError('document_request.file_used', { params: { fileId: used.rows[0].f } });
    }
    const status = nextRequestStatus(r.status, 'answer')!;
    const now = services.now();
    const answer = await trx.insertInto('document_request_answers').values({
      request_id: id, statement: input.statement.trim(), file_ids: JSON.stringify(fileIds), missing_items: JSON.stringify(missing),
      answered_by: actor.userId, answered_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('document_requests').set({ status, answered_at: now, updated_at: now, version: sql`version + 1` }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'rectification:answer'), action: 'document_request.answer', objectType: 'document_request', objectId: id,
      outcome: 'success', occurredAt: now,
      diff: { before: { status: r.status }, after: { status, answerId: answer.id, fileIds, missingItems: missing, onTime: !isOverdue({ status: r.status, dueOn: r.due_on }, shanghaiDate(now)) } },
      ...requestFacts(actor),
    });
    return getDocumentRequest(services, actor, id, trx);
  });
}

export interface ReviewInput {
  result: 'accepted' | 'returned';
  reasons: string;
  /** On a return: a new deadline for the next answer (not before today); omitted: unchanged. */
  dueOn?: string | undefined;
  expectedVersion?: number | undefined;
}

/** The requester accepts the latest answer (closes the request) or returns it as incomplete. */
export async function reviewDocumentRequest(services: Services, actor: Actor, id: string, input: ReviewInput, tx?: Tx): Promise<DocumentRequestDetail> {
  const scope = requireAccess(actor, 'rectification:read');
  requireAccess(actor, 'oversight:finding');
  const now = services.now();
  const today = shanghaiDate(now);
  if (input.dueOn !== undefined && (input.result !== 'returned' || !validDueOn(input.dueOn, today))) {
    throw new AppError('validation.failed', { fields: [{ path: 'dueOn', code: 'invalid' }] });
  }
  return inTx(services, tx, async (trx) => {
    const r = await requestRow(trx, scope, actor, id, true);
    const role = await requesterRole(trx, actor, r);
    if (!role) throw new AppError('document_request.not_requester');
    if (input.expectedVersion !== undefined && input.expectedVersion !== r.version) throw new AppError('conflict.stale');
    const status = nextRequestStatus(r.status, input.result === 'accepted' ? 'accept' : 'return');
    if (!status) throw new AppError('document_request.not_reviewable', { params: { status: STATUS_NAMES[r.status].zh } });
    const last = await trx.selectFrom('document_request_answers').select('id').where('request_id', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await trx.insertInto('document_request_reviews').values({
      answer_id: last.id, request_id: id, result: input.result, reasons: input.reasons.trim(), reviewed_by: actor.userId, role, reviewed_at: now,
    }).execute();
    const dueOn = input.dueOn ?? r.due_on;
    await trx.updateTable('document_requests').set({
      status, due_on: dueOn, closed_at: status === 'accepted' ? now : null, updated_at: now, version: sql`version + 1`,
    }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: { ...auditActorFor(actor, 'oversight:finding'), role }, action: `document_request.${input.result === 'accepted' ? 'accept' : 'return'}`,
      objectType: 'document_request', objectId: id, outcome: 'success', occurredAt: now,
      diff: { before: { status: r.status, dueOn: r.due_on }, after: { status, dueOn, answerId: last.id, reasons: input.reasons.trim() } },
      ...requestFacts(actor),
    });
    return getDocumentRequest(services, actor, id, trx);
  });
}

export interface FindingFromRequestInput {
  category: FindingCategory;
  title: string;
  description: string;
  requirements: string;
  dueOn: string;
}

/**
 * 第三十条 from 第二十九条 (I-92): the requester records a finding about an overdue or returned request
 * (the finding's own remit rules apply: the category must be in the requester's 职责分工), and the
 * request points at it; one finding per request.
 */
export async function openFindingFromRequest(services: Services, actor: Actor, id: string, input: FindingFromRequestInput): Promise<DocumentRequestDetail> {
  const scope = requireAccess(actor, 'rectification:read');
  requireAccess(actor, 'oversight:finding');
  return services.database.db.transaction().execute(async (trx) => {
    const r = await requestRow(trx, scope, actor, id, true);
    const role = await requesterRole(trx, actor, r);
    if (!role) throw new AppError('document_request.not_requester');
    const today = shanghaiDate(services.now());
    const why = findingAllowed({ status: r.status, dueOn: r.due_on, findingId: r.finding_id }, today);
    if (!why) throw new AppError('document_request.finding_not_allowed');
    const finding = await recordFinding(services, actor, { projectId: r.project_id, systemId: r.system_id, ...input }, trx);
    const now = services.now();
    await trx.updateTable('document_requests').set({ finding_id: finding.findingId, updated_at: now, version: sql`version + 1` }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: { ...auditActorFor(actor, 'oversight:finding'), role }, action: 'document_request.finding', objectType: 'document_request', objectId: id,
      outcome: 'success', occurredAt: now, diff: { after: { findingId: finding.findingId, orderId: finding.id, why } }, ...requestFacts(actor),
    });
    return getDocumentRequest(services, actor, id, trx);
  });
}

// ---------------------------------------------------------------------------------------------
// Waiting on the caller

export interface DocumentRequestWork {
  requestId: string;
  projectId: string | null;
  subjectName: string;
  title: string;
  dueOn: string;
  overdue: boolean;
  kind: 'answer' | 'review';
}

/** Requests waiting on the caller: to answer (the unit), to review (the requester). */
export async function documentRequestWork(services: Services, actor: Actor, limit = 200): Promise<DocumentRequestWork[]> {
  const access = resolveAccess(actor, 'rectification:read');
  if (!access.allowed) return [];
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const rows = await sql<RequestRow>`${requestSelect} where ${visible(access.scope, actor)} and r.status <> 'accepted' order by r.due_on, r.seq limit ${limit}`.execute(db);
  const out: DocumentRequestWork[] = [];
  for (const r of rows.rows) {
    const base = { requestId: r.id, projectId: r.project_id, subjectName: r.subject_name, title: r.title, dueOn: r.due_on, overdue: isOverdue({ status: r.status, dueOn: r.due_on }, today) };
    if (r.status === 'answered' && (await requesterRole(db, actor, r)) !== null) out.push({ ...base, kind: 'review' });
    if ((r.status === 'open' || r.status === 'returned') && (await answersFor(db, actor, r.unit_organization_id))) out.push({ ...base, kind: 'answer' });
  }
  return out;
}
