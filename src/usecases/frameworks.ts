// 跨部门项目框架方案 (第十条; SPEC §3; I-13): reading a plan and drawing it up. A plan is read
// (project:read) by the organizations taking part in it and by the supervisory bodies (scope
// all). It is edited (framework:manage) while it is a draft or returned: the lead's people edit
// the whole plan — name, goals, participants, business flows and every part; each participant's
// people edit their own part — its contents, the data flows it sends or receives, the catalog
// entries it provides — and confirm it. Any change to a participant's part clears that
// participant's confirmation, in the change's transaction, with the change's audit event.
import { sql, type Selectable } from 'kysely';
import { resolveAccess, scopeContains, type DataScope } from '../domain/authz.ts';
import {
  ACTION_NAMES, FRAMEWORK_TRANSITIONS, INTERFACE_METHOD_NAMES, STATUS_NAMES, actionProblems, businessFlowProblems,
  catalogEntryProblems, dataFlowProblems, findOverlaps, frameworkInputProblems, isEditable, isGovernmentKind, optionalText,
  pairKey, submissionProblems,
  type BusinessFlowInput, type CatalogEntryInput, type ContentInput, type DataFlowInput, type FieldProblem, type FrameworkAction,
  type FrameworkHeaderInput, type FrameworkInput, type FrameworkProblem, type FrameworkStatus, type Frequency, type InterfaceMethod,
  type LocalizedText, type SubmissionFacts,
} from '../domain/frameworks.ts';
import { UPDATE_CYCLE_NAMES, type SharingType } from '../domain/resource-catalog.ts';
import { SIMILARITY_THRESHOLD, similarity, type OverlapTerm } from '../domain/similarity/index.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor, Tx } from '../db/database.ts';
import { ancestorIds } from '../db/org-tree.ts';
import type { FrameworkPlansTable } from '../db/schema.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Services } from '../services.ts';
import { similarSystems, syncSimilarity } from './similarity.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

// ——— the plan as the API presents it ———

export interface FrameworkContent {
  id: string;
  organizationId: string;
  title: string;
  description: string;
  version: number;
  updatedAt: string;
}

export interface FrameworkParticipant {
  organizationId: string;
  organizationName: string;
  isLead: boolean;
  /** The If-Match of this participant's confirmation: bumped by every change to its part. */
  version: number;
  /** Null until the participant confirms its part, and again after any change to it. */
  confirmation: { confirmedAt: string; confirmedBy: string | null; confirmedByName: string | null } | null;
  contents: FrameworkContent[];
}

export interface BusinessFlow {
  id: string;
  name: string;
  description: string;
  steps: Array<{ organizationId: string; organizationName: string; activity: string }>;
  version: number;
}

export interface FlowEndpointView {
  organizationId: string;
  organizationName: string;
  system: string | null;
}

export interface DataFlow {
  id: string;
  from: FlowEndpointView;
  to: FlowEndpointView;
  dataItems: string[];
  frequency: Frequency;
  frequencyName: LocalizedText;
  interfaceMethod: InterfaceMethod;
  interfaceMethodName: LocalizedText;
  description: string | null;
  version: number;
}

export interface CatalogEntry {
  id: string;
  name: string;
  providerOrganizationId: string;
  providerOrganizationName: string;
  dataItems: string[];
  sharingType: SharingType;
  sharingBasis: string | null;
  version: number;
}

export interface OverlapSide {
  contentId: string;
  organizationId: string;
  organizationName: string;
  title: string;
}

/** A content of the plan and a master-catalog system it looks like (I-13, I-59), with its justification once given. */
export interface CatalogOverlap {
  content: OverlapSide;
  system: { systemId: string; name: string; organizationId: string; organizationName: string };
  similarity: number;
  terms: OverlapTerm[];
  justification: { reason: string; similarity: number; justifiedBy: string | null; justifiedByName: string | null; justifiedAt: string } | null;
}

/** A suspected overlap (I-13) with its evidence and, when handled so, its justification. */
export interface Overlap {
  a: OverlapSide;
  b: OverlapSide;
  similarity: number;
  terms: OverlapTerm[];
  justification: { reason: string; similarity: number; justifiedBy: string | null; justifiedByName: string | null; justifiedAt: string } | null;
}

export interface LinkedProject {
  projectId: string;
  code: string;
  name: string;
  /** The participant whose part the project is. */
  organizationId: string;
  organizationName: string;
  constructionUnitName: string;
  stage: string;
  status: string;
  linkedAt: string;
}

/** A plan with all its parts, the overlaps found in it and what stands in the way of submitting it. */
export interface FrameworkData {
  id: string;
  name: string;
  leadOrganizationId: string;
  leadOrganizationName: string;
  goals: string;
  status: FrameworkStatus;
  statusName: LocalizedText;
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  participants: FrameworkParticipant[];
  businessFlows: BusinessFlow[];
  dataFlows: DataFlow[];
  catalogEntries: CatalogEntry[];
  overlaps: Overlap[];
  /** Suspected overlaps of the contents with systems already in the master catalog (I-13), per content most similar first. */
  catalogOverlaps: CatalogOverlap[];
  /** The similarity at or above which two contents are a suspected overlap. */
  overlapThreshold: number;
  /** What stands in the way of 联合报送 now (第十条, I-13); empty once nothing does. */
  submissionProblems: FrameworkProblem[];
  projects: LinkedProject[];
}

/** What the caller may do with the plan. */
export interface FrameworkCaller {
  /** The caller may edit the whole plan and submit it (framework:manage covers the lead). */
  leads: boolean;
  /** The participants whose parts the caller may edit and confirm (its framework:manage scope). */
  ownOrganizationIds: string[];
  /** The status actions the caller holds the permission for, each with what stands in its way. */
  actions: Array<{ action: FrameworkAction; name: LocalizedText; needsTotp: boolean; problems: FrameworkProblem[] }>;
}

export interface Framework extends FrameworkData {
  caller: FrameworkCaller;
}

export interface FrameworkSummary {
  id: string;
  name: string;
  leadOrganizationId: string;
  leadOrganizationName: string;
  status: FrameworkStatus;
  statusName: LocalizedText;
  participantCount: number;
  confirmedCount: number;
  version: number;
  updatedAt: string;
}

// ——— reading ———

/**
 * A plan is visible to the organizations taking part in it (SPEC §1: a unit sees the
 * cross-department frameworks it takes part in) and to every scope of `all`. A predicate over a
 * column holding the plan's id.
 */
export function visibleFramework(scope: DataScope, idColumn = 'f.id') {
  if (scope.all) return sql<boolean>`true`;
  return sql<boolean>`${sql.ref(idColumn)} = any(array(select fp.framework_id from framework_participants fp
    where ${scopePredicate(scope, 'fp.organization_id')}))`;
}

/** The participants of a plan inside `scope` (whose parts a caller with that scope may edit). */
export async function participantsInScope(db: Executor, frameworkId: string, scope: DataScope): Promise<Set<string>> {
  const rows = await db.selectFrom('framework_participants as fp').select('fp.organization_id')
    .where('fp.framework_id', '=', frameworkId).where(scopePredicate(scope, 'fp.organization_id')).execute();
  return new Set(rows.map((r) => r.organization_id));
}

type PlanRow = Selectable<FrameworkPlansTable> & { lead_name: string };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Loads a plan and its parts; no access check (the caller has checked). Inside a transaction pass it. */
export async function loadFramework(db: Executor, id: string, services?: Services): Promise<FrameworkData | null> {
  const plan = await db.selectFrom('framework_plans as f').innerJoin('organizations as o', 'o.id', 'f.lead_organization_id')
    .selectAll('f').select('o.name as lead_name').where('f.id', '=', id).executeTakeFirst() as PlanRow | undefined;
  if (!plan) return null;
  const [participants, contents, businessFlows, dataFlows, catalog, justifications, catalogJustifications, projects] = await Promise.all([
    db.selectFrom('framework_participants as fp').innerJoin('organizations as o', 'o.id', 'fp.organization_id')
      .leftJoin('users as u', 'u.id', 'fp.confirmed_by')
      .select(['fp.organization_id', 'o.name', 'fp.version', 'fp.confirmed_at', 'fp.confirmed_by', 'u.display_name as confirmed_by_name', 'fp.created_at'])
      .where('fp.framework_id', '=', id).orderBy('fp.created_at').orderBy('o.name').execute(),
    db.selectFrom('framework_contents').selectAll().where('framework_id', '=', id).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('framework_business_flows').selectAll().where('framework_id', '=', id).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('framework_data_flows').selectAll().where('framework_id', '=', id).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('framework_catalog_entries').selectAll().where('framework_id', '=', id).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('framework_overlap_justifications as j').leftJoin('users as u', 'u.id', 'j.justified_by')
      .selectAll('j').select('u.display_name as justified_by_name').where('j.framework_id', '=', id).execute(),
    db.selectFrom('framework_catalog_overlap_justifications as j').leftJoin('users as u', 'u.id', 'j.justified_by')
      .selectAll('j').select('u.display_name as justified_by_name').where('j.framework_id', '=', id).execute(),
    db.selectFrom('framework_projects as l').innerJoin('projects as p', 'p.id', 'l.project_id')
      .innerJoin('organizations as o', 'o.id', 'l.organization_id').innerJoin('organizations as u', 'u.id', 'p.construction_unit_id')
      .select(['l.project_id', 'p.code', 'p.name', 'l.organization_id', 'o.name as org_name', 'u.name as unit_name', 'p.stage', 'p.status', 'l.created_at'])
      .where('l.framework_id', '=', id).orderBy('o.name').orderBy('p.code').execute(),
  ]);
  // The lead first, then the others in the order they joined.
  participants.sort((x, y) => Number(y.organization_id === plan.lead_organization_id) - Number(x.organization_id === plan.lead_organization_id));
  const orgName = new Map(participants.map((p) => [p.organization_id, p.name]));
  const nameOf = (orgId: string) => orgName.get(orgId) ?? '';

  const contentViews = contents.map((c): FrameworkContent & { organizationId: string } => ({
    id: c.id, organizationId: c.organization_id, title: c.title, description: c.description, version: c.version, updatedAt: c.updated_at.toISOString(),
  }));
  const byId = new Map(contentViews.map((c) => [c.id, c]));
  const justified = new Map(justifications.map((j) => [pairKey(j.content_a_id, j.content_b_id), j]));
  const side = (contentId: string): OverlapSide => {
    const c = byId.get(contentId)!;
    return { contentId, organizationId: c.organizationId, organizationName: nameOf(c.organizationId), title: c.title };
  };
  const overlaps: Overlap[] = findOverlaps(contentViews).map((o) => {
    const j = justified.get(pairKey(o.a.contentId, o.b.contentId));
    return {
      a: side(o.a.contentId), b: side(o.b.contentId), similarity: o.similarity, terms: o.terms,
      justification: j ? {
        reason: j.reason, similarity: Number(j.similarity), justifiedBy: j.justified_by, justifiedByName: j.justified_by_name ?? null,
        justifiedAt: j.created_at.toISOString(),
      } : null,
    };
  });

  // I-13: each content against the master catalog (第十二条), when the caller can reach the index.
  const catalogJustified = new Map(catalogJustifications.map((j) => [`${j.content_id}|${j.system_id}`, j]));
  const catalogOverlaps: CatalogOverlap[] = [];
  if (services) {
    for (const c of contentViews) {
      for (const hit of await similarSystems(services, db, { name: c.title, description: c.description })) {
        const j = catalogJustified.get(`${c.id}|${hit.systemId}`);
        catalogOverlaps.push({
          content: side(c.id),
          system: { systemId: hit.systemId, name: hit.name, organizationId: hit.organizationId, organizationName: hit.organizationName },
          similarity: hit.similarity, terms: hit.overlap,
          justification: j ? {
            reason: j.reason, similarity: Number(j.similarity), justifiedBy: j.justified_by, justifiedByName: j.justified_by_name ?? null,
            justifiedAt: j.created_at.toISOString(),
          } : null,
        });
      }
    }
  }

  const data: Omit<FrameworkData, 'submissionProblems'> = {
    id: plan.id, name: plan.name, leadOrganizationId: plan.lead_organization_id, leadOrganizationName: plan.lead_name, goals: plan.goals,
    status: plan.status, statusName: STATUS_NAMES[plan.status], version: plan.version, createdBy: plan.created_by,
    createdAt: plan.created_at.toISOString(), updatedAt: plan.updated_at.toISOString(),
    participants: participants.map((p) => ({
      organizationId: p.organization_id, organizationName: p.name, isLead: p.organization_id === plan.lead_organization_id, version: p.version,
      confirmation: p.confirmed_at
        ? { confirmedAt: p.confirmed_at.toISOString(), confirmedBy: p.confirmed_by, confirmedByName: p.confirmed_by_name ?? null }
        : null,
      contents: contentViews.filter((c) => c.organizationId === p.organization_id),
    })),
    businessFlows: businessFlows.map((f) => ({
      id: f.id, name: f.name, description: f.description, version: f.version,
      steps: (f.steps as Array<{ organizationId: string; activity: string }>).map((s) => ({
        organizationId: s.organizationId, organizationName: nameOf(s.organizationId), activity: s.activity,
      })),
    })),
    dataFlows: dataFlows.map((f) => ({
      id: f.id,
      from: { organizationId: f.from_organization_id, organizationName: nameOf(f.from_organization_id), system: f.from_system },
      to: { organizationId: f.to_organization_id, organizationName: nameOf(f.to_organization_id), system: f.to_system },
      dataItems: strings(f.data_items), frequency: f.frequency, frequencyName: UPDATE_CYCLE_NAMES[f.frequency],
      interfaceMethod: f.interface_method, interfaceMethodName: INTERFACE_METHOD_NAMES[f.interface_method],
      description: f.description, version: f.version,
    })),
    catalogEntries: catalog.map((e) => ({
      id: e.id, name: e.name, providerOrganizationId: e.provider_organization_id, providerOrganizationName: nameOf(e.provider_organization_id),
      dataItems: strings(e.data_items), sharingType: e.sharing_type, sharingBasis: e.sharing_basis, version: e.version,
    })),
    overlaps,
    catalogOverlaps,
    overlapThreshold: SIMILARITY_THRESHOLD,
    projects: projects.map((p) => ({
      projectId: p.project_id, code: p.code, name: p.name, organizationId: p.organization_id, organizationName: p.org_name,
      constructionUnitName: p.unit_name, stage: p.stage, status: p.status, linkedAt: p.created_at.toISOString(),
    })),
  };
  return { ...data, submissionProblems: isEditable(plan.status) ? submissionProblems(submissionFacts(data)) : [] };
}

/** The facts 联合报送 is checked against (第十条, I-13). */
export function submissionFacts(
  data: Pick<FrameworkData, 'participants' | 'businessFlows' | 'dataFlows' | 'catalogEntries' | 'overlaps'> & Partial<Pick<FrameworkData, 'catalogOverlaps'>>,
): SubmissionFacts {
  return {
    participants: data.participants.map((p) => ({
      organizationId: p.organizationId, organizationName: p.organizationName, confirmed: p.confirmation !== null, contentCount: p.contents.length,
    })),
    businessFlowCount: data.businessFlows.length,
    dataFlowCount: data.dataFlows.length,
    catalogEntryCount: data.catalogEntries.length,
    overlaps: data.overlaps.map((o) => ({
      a: { contentId: o.a.contentId, organizationId: o.a.organizationId }, b: { contentId: o.b.contentId, organizationId: o.b.organizationId },
      similarity: o.similarity, terms: o.terms, aTitle: o.a.title, bTitle: o.b.title,
      aOrganizationName: o.a.organizationName, bOrganizationName: o.b.organizationName, justified: o.justification !== null,
    })),
    catalogOverlaps: (data.catalogOverlaps ?? []).map((o) => ({
      contentId: o.content.contentId, organizationId: o.content.organizationId, organizationName: o.content.organizationName, title: o.content.title,
      systemId: o.system.systemId, systemName: o.system.name, systemOwnerName: o.system.organizationName,
      similarity: o.similarity, terms: o.terms, justified: o.justification !== null,
    })),
  };
}

/** The plan if the caller's project:read scope sees it; 404 otherwise (SPEC §1: a denied read answers 404). */
async function findVisible(db: Executor, actor: Actor, frameworkId: string, lock: boolean) {
  const scope = requireAccess(actor, 'project:read');
  let q = db.selectFrom('framework_plans as f').select(['f.id', 'f.name', 'f.lead_organization_id', 'f.status', 'f.version'])
    .where('f.id', '=', frameworkId).where(visibleFramework(scope));
  if (lock) q = q.forUpdate();
  const found = await q.executeTakeFirst();
  if (!found) throw new AppError('resource.not_found');
  return found;
}

async function callerOf(db: Executor, actor: Actor, data: FrameworkData): Promise<FrameworkCaller> {
  const manage = resolveAccess(actor, 'framework:manage');
  const own = manage.allowed ? await participantsInScope(db, data.id, manage.scope) : new Set<string>();
  const leads = own.has(data.leadOrganizationId);
  const facts = submissionFacts(data);
  const actions: FrameworkCaller['actions'] = [];
  for (const t of FRAMEWORK_TRANSITIONS) {
    if (!t.from.includes(data.status)) continue;
    if (t.permission === 'framework:manage' ? !leads : !resolveAccess(actor, 'framework:decide').allowed) continue;
    actions.push({ action: t.action, name: ACTION_NAMES[t.action], needsTotp: t.decision, problems: actionProblems(data.status, t.action, facts) });
  }
  return { leads, ownOrganizationIds: data.participants.map((p) => p.organizationId).filter((id) => own.has(id)), actions };
}

/** The plan with everything in it, for a caller who sees it; 404 otherwise. */
export async function getFramework(services: Services, actor: Actor, frameworkId: string, db: Executor = services.database.db): Promise<Framework> {
  await findVisible(db, actor, frameworkId, false);
  const data = (await loadFramework(db, frameworkId, services))!;
  return { ...data, caller: await callerOf(db, actor, data) };
}

export interface FrameworkFilter {
  q?: string | undefined;
  status?: FrameworkStatus | undefined;
  /** Plans this organization takes part in. */
  organizationId?: string | undefined;
}

/** The plans the caller sees, most recently changed first. */
export async function listFrameworks(services: Services, actor: Actor, filter: FrameworkFilter, page: { page: number; pageSize: number }) {
  const scope = requireAccess(actor, 'project:read');
  const db = services.database.db;
  let q = db.selectFrom('framework_plans as f').where(visibleFramework(scope));
  if (filter.q) q = q.where('f.name', 'ilike', `%${filter.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (filter.status) q = q.where('f.status', '=', filter.status);
  if (filter.organizationId) {
    const org = filter.organizationId;
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('framework_participants as fp').select('fp.framework_id')
      .whereRef('fp.framework_id', '=', 'f.id').where('fp.organization_id', '=', org)));
  }
  const [rows, total] = await Promise.all([
    q.innerJoin('organizations as o', 'o.id', 'f.lead_organization_id')
      .select(['f.id', 'f.name', 'f.lead_organization_id', 'o.name as lead_name', 'f.status', 'f.version', 'f.updated_at'])
      .select(sql<string>`(select count(*) from framework_participants fp where fp.framework_id = f.id)`.as('participants'))
      .select(sql<string>`(select count(*) from framework_participants fp where fp.framework_id = f.id and fp.confirmed_at is not null)`.as('confirmed'))
      .orderBy('f.updated_at', 'desc').orderBy('f.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const items: FrameworkSummary[] = rows.map((r) => ({
    id: r.id, name: r.name, leadOrganizationId: r.lead_organization_id, leadOrganizationName: r.lead_name,
    status: r.status, statusName: STATUS_NAMES[r.status], participantCount: Number(r.participants), confirmedCount: Number(r.confirmed),
    version: r.version, updatedAt: r.updated_at.toISOString(),
  }));
  return { items, total: Number(total.n) };
}

/** The plan's data flows for the .xlsx export (第十条: 数据流、系统接口); 404 when not visible. */
export async function exportDataFlows(services: Services, actor: Actor, frameworkId: string) {
  const data = await getFramework(services, actor, frameworkId);
  return { framework: { id: data.id, name: data.name }, rows: data.dataFlows };
}

// ——— drawing the plan up ———

/** What an edit sees: the locked plan, its participants and the caller's rights over them. */
export interface Editing {
  trx: Tx;
  now: Date;
  framework: { id: string; name: string; leadOrganizationId: string; status: FrameworkStatus; version: number };
  participants: ReadonlySet<string>;
  /** framework:manage covers the lead: the caller edits the whole plan. */
  leads: boolean;
  /** The participants inside the caller's framework:manage scope: their parts, and confirming them. */
  own: ReadonlySet<string>;
}

/** What an edit did: the audit action, the participants whose parts changed, and the before/after. */
interface EditOutcome {
  action: string;
  touched: Iterable<string>;
  diff: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
}

/** Whether the caller may edit the part of `organizationId`: the lead's people may edit every part. */
const mayEdit = (e: Editing, organizationId: string) => e.leads || e.own.has(organizationId);

function requireLead(e: Editing) {
  if (!e.leads) throw new AppError('auth.forbidden');
}

function requirePart(e: Editing, ...organizationIds: string[]) {
  if (!organizationIds.some((id) => mayEdit(e, id))) throw new AppError('auth.forbidden');
}

function invalid(fields: FieldProblem[]): never {
  throw new AppError('validation.failed', { fields });
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

type OrderedTable = 'framework_participants' | 'framework_contents' | 'framework_business_flows' | 'framework_data_flows' | 'framework_catalog_entries';

/**
 * The creation time of a new row of a plan's part: now, or just after the latest row when the
 * clock has not moved on since, so the parts keep the order they were added in.
 */
async function nextCreatedAt(trx: Tx, table: OrderedTable, frameworkId: string, now: Date): Promise<Date> {
  const r = await sql<{ last: Date | null }>`select max(created_at) as last from ${sql.table(table)} where framework_id = ${frameworkId}`.execute(trx);
  const last = r.rows[0]?.last;
  return last && last.getTime() >= now.getTime() ? new Date(last.getTime() + 1) : now;
}

/**
 * One edit of a plan in one transaction: the plan row is locked (edits take turns with each
 * other and with submission), it must be visible (404), editable (409) and the caller must manage
 * some part of it (403); then `work` applies the change; the touched participants' confirmations
 * are cleared and their versions bumped, the plan's version too, and the audit event records the
 * change with the confirmations it cleared. Returns the plan as it now is.
 */
export async function editFramework(
  services: Services, actor: Actor, frameworkId: string, work: (e: Editing) => Promise<EditOutcome>,
  options: { expectedVersion?: number | null } = {},
): Promise<Framework> {
  const manage = requireAccess(actor, 'framework:manage');
  // The master-catalog index catches up first: the plan returned is read inside the transaction,
  // where the index cannot sync (I-13; see similarSystems).
  await syncSimilarity(services);
  try {
    return await services.database.db.transaction().execute(async (trx) => {
      const plan = await findVisible(trx, actor, frameworkId, true);
      const own = await participantsInScope(trx, frameworkId, manage);
      if (own.size === 0) throw new AppError('auth.forbidden');
      if (options.expectedVersion !== undefined && options.expectedVersion !== null && plan.version !== options.expectedVersion) {
        throw new AppError('conflict.stale');
      }
      if (!isEditable(plan.status)) throw new AppError('framework.not_editable', { params: { state: STATUS_NAMES[plan.status].zh } });
      const participants = new Set((await trx.selectFrom('framework_participants').select('organization_id')
        .where('framework_id', '=', frameworkId).execute()).map((r) => r.organization_id));
      const now = services.now();
      const e: Editing = {
        trx, now, participants, own, leads: own.has(plan.lead_organization_id),
        framework: { id: plan.id, name: plan.name, leadOrganizationId: plan.lead_organization_id, status: plan.status, version: plan.version },
      };
      const outcome = await work(e);
      const cleared = await clearConfirmations(trx, frameworkId, [...new Set(outcome.touched)]);
      await trx.updateTable('framework_plans').set({ version: plan.version + 1, updated_at: now }).where('id', '=', frameworkId).execute();
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, 'framework:manage'), action: outcome.action, objectType: 'framework', objectId: frameworkId,
        outcome: 'success', ...requestFacts(actor),
        diff: { before: outcome.diff.before ?? null, after: { ...outcome.diff.after, ...(cleared.length > 0 ? { confirmationsCleared: cleared } : {}) } },
      });
      return getFramework(services, actor, frameworkId, trx);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict.duplicate', { params: { field: '名称' }, fields: [{ path: 'name', code: 'duplicate' }] });
    throw err;
  }
}

/**
 * A change to these participants' parts: their versions move on and their confirmations, if
 * any, are cleared (第十条: a participant confirms its part as it stands). Returns the
 * participants whose confirmation was cleared.
 */
async function clearConfirmations(trx: Tx, frameworkId: string, organizationIds: string[]): Promise<string[]> {
  if (organizationIds.length === 0) return [];
  const confirmed = await trx.selectFrom('framework_participants').select('organization_id')
    .where('framework_id', '=', frameworkId).where('organization_id', 'in', organizationIds).where('confirmed_at', 'is not', null).execute();
  await trx.updateTable('framework_participants')
    .set((eb) => ({ version: eb('version', '+', 1), confirmed_at: null, confirmed_by: null }))
    .where('framework_id', '=', frameworkId).where('organization_id', 'in', organizationIds).execute();
  return confirmed.map((r) => r.organization_id).sort();
}

async function assertOrganizations(trx: Tx, ids: readonly string[], path: (i: number) => string) {
  if (ids.length === 0) return;
  const found = new Map((await trx.selectFrom('organizations').select(['id', 'kind']).where('id', 'in', [...ids]).execute()).map((o) => [o.id, o.kind]));
  const problems: FieldProblem[] = [];
  for (const [i, id] of ids.entries()) {
    const kind = found.get(id);
    if (kind === undefined) problems.push({ path: path(i), code: 'unknown_reference' });
    // 第十条 参与部门 are government departments.
    else if (!isGovernmentKind(kind)) problems.push({ path: path(i), code: 'framework.not_government' });
  }
  if (problems.length > 0) invalid(problems);
}

/** Creates a plan led by an organization inside the caller's framework:manage scope; the lead is its first participant. */
export async function createFramework(services: Services, actor: Actor, input: FrameworkInput): Promise<Framework> {
  const scope = requireAccess(actor, 'framework:manage');
  const problems = frameworkInputProblems(input);
  if (problems.length > 0) invalid(problems);
  const id = await services.database.db.transaction().execute(async (trx) => {
    await assertOrganizations(trx, [input.leadOrganizationId], () => 'leadOrganizationId');
    await assertOrganizations(trx, input.participantIds, (i) => `participantIds.${i}`);
    // 第十条 牵头部门: a unit draws up the plans its own scope leads.
    if (!scopeContains(scope, { organizationId: input.leadOrganizationId, ancestorIds: await ancestorIds(trx, input.leadOrganizationId), ownerUserId: null })) {
      throw new AppError('auth.forbidden');
    }
    const now = services.now();
    const row = await trx.insertInto('framework_plans').values({
      name: input.name.trim(), goals: input.goals.trim(), lead_organization_id: input.leadOrganizationId,
      created_by: actor.userId, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    // The lead joins first, the others a moment later each, so the order of joining is kept.
    const orgs = [input.leadOrganizationId, ...input.participantIds];
    await trx.insertInto('framework_participants').values(orgs.map((organization_id, i) => ({
      framework_id: row.id, organization_id, created_at: new Date(now.getTime() + i),
    }))).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'framework:manage'), action: 'framework.create', objectType: 'framework', objectId: row.id,
      outcome: 'success', ...requestFacts(actor),
      diff: { after: { name: input.name.trim(), goals: input.goals.trim(), leadOrganizationId: input.leadOrganizationId, participantIds: input.participantIds } },
    });
    return row.id;
  });
  return getFramework(services, actor, id);
}

/** Name and goals (the lead); the goals are every participant's, so every confirmation is cleared. If-Match: the plan's version. */
export async function updateFramework(services: Services, actor: Actor, frameworkId: string, expectedVersion: number, input: FrameworkHeaderInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    requireLead(e);
    const before = await e.trx.selectFrom('framework_plans').select(['name', 'goals']).where('id', '=', frameworkId).executeTakeFirstOrThrow();
    const after = { name: input.name.trim(), goals: input.goals.trim() };
    await e.trx.updateTable('framework_plans').set(after).where('id', '=', frameworkId).execute();
    return { action: 'framework.update', touched: after.goals !== before.goals ? e.participants : [], diff: { before, after } };
  }, { expectedVersion });
}

/** Deletes a plan that was never submitted (the lead). If-Match: the plan's version. */
export async function deleteFramework(services: Services, actor: Actor, frameworkId: string, expectedVersion: number): Promise<void> {
  const manage = requireAccess(actor, 'framework:manage');
  await services.database.db.transaction().execute(async (trx) => {
    const plan = await findVisible(trx, actor, frameworkId, true);
    const own = await participantsInScope(trx, frameworkId, manage);
    if (!own.has(plan.lead_organization_id)) throw new AppError('auth.forbidden');
    if (plan.version !== expectedVersion) throw new AppError('conflict.stale');
    if (plan.status !== 'draft') throw new AppError('framework.not_editable', { params: { state: STATUS_NAMES[plan.status].zh } });
    const acted = await trx.selectFrom('framework_actions').select('id').where('framework_id', '=', frameworkId).limit(1).executeTakeFirst();
    if (acted) throw new AppError('framework.has_history');
    const before = (await loadFramework(trx, frameworkId))!;
    await trx.deleteFrom('framework_plans').where('id', '=', frameworkId).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'framework:manage'), action: 'framework.delete', objectType: 'framework', objectId: frameworkId,
      outcome: 'success', ...requestFacts(actor),
      diff: { before: { name: before.name, leadOrganizationId: before.leadOrganizationId, participantIds: before.participants.map((p) => p.organizationId) } },
    });
  });
}

/** Adds a participating department (the lead). */
export async function addParticipant(services: Services, actor: Actor, frameworkId: string, organizationId: string) {
  return editFramework(services, actor, frameworkId, async (e) => {
    requireLead(e);
    await assertOrganizations(e.trx, [organizationId], () => 'organizationId');
    if (e.participants.has(organizationId)) {
      throw new AppError('conflict.duplicate', { params: { field: '参与部门' }, fields: [{ path: 'organizationId', code: 'duplicate' }] });
    }
    await e.trx.insertInto('framework_participants').values({
      framework_id: frameworkId, organization_id: organizationId, created_at: await nextCreatedAt(e.trx, 'framework_participants', frameworkId, e.now),
    }).execute();
    return { action: 'framework.participant.add', touched: [], diff: { after: { organizationId } } };
  });
}

/**
 * Removes a participating department with its contents (the lead). The lead stays; a participant
 * that a business flow, data flow or catalog entry still names is refused (409), so nothing it
 * agreed to with others disappears silently.
 */
export async function removeParticipant(services: Services, actor: Actor, frameworkId: string, organizationId: string) {
  return editFramework(services, actor, frameworkId, async (e) => {
    requireLead(e);
    if (!e.participants.has(organizationId)) throw new AppError('resource.not_found');
    if (organizationId === e.framework.leadOrganizationId) invalid([{ path: 'organizationId', code: 'framework.lead_fixed' }]);
    const referenced = await sql<{ n: string }>`select
        (select count(*) from framework_data_flows where framework_id = ${frameworkId}
          and (from_organization_id = ${organizationId} or to_organization_id = ${organizationId}))
      + (select count(*) from framework_catalog_entries where framework_id = ${frameworkId} and provider_organization_id = ${organizationId})
      + (select count(*) from framework_business_flows f, jsonb_array_elements(f.steps) s
          where f.framework_id = ${frameworkId} and s->>'organizationId' = ${organizationId}) as n`.execute(e.trx);
    if (Number(referenced.rows[0]!.n) > 0) throw new AppError('framework.participant_referenced');
    const contents = await e.trx.selectFrom('framework_contents').select(['id', 'title']).where('framework_id', '=', frameworkId)
      .where('organization_id', '=', organizationId).execute();
    await e.trx.deleteFrom('framework_participants').where('framework_id', '=', frameworkId).where('organization_id', '=', organizationId).execute();
    return { action: 'framework.participant.remove', touched: [], diff: { before: { organizationId, contents } } };
  });
}

/**
 * 第十条: a participant confirms its part as it stands (its people only; the lead confirms its
 * own part like any other). If-Match: the participant's version, so what is confirmed is what
 * was read.
 */
export async function confirmPart(services: Services, actor: Actor, frameworkId: string, organizationId: string, expectedVersion: number) {
  return editFramework(services, actor, frameworkId, async (e) => {
    if (!e.participants.has(organizationId)) throw new AppError('resource.not_found');
    if (!e.own.has(organizationId)) throw new AppError('auth.forbidden');
    const row = await e.trx.selectFrom('framework_participants').select(['version', 'confirmed_at'])
      .where('framework_id', '=', frameworkId).where('organization_id', '=', organizationId).executeTakeFirstOrThrow();
    if (row.version !== expectedVersion) throw new AppError('conflict.stale');
    await e.trx.updateTable('framework_participants').set({ confirmed_at: e.now, confirmed_by: actor.userId })
      .where('framework_id', '=', frameworkId).where('organization_id', '=', organizationId).execute();
    return {
      action: 'framework.participant.confirm', touched: [],
      diff: { before: { organizationId, confirmedAt: row.confirmed_at?.toISOString() ?? null }, after: { organizationId, confirmedAt: e.now.toISOString(), version: row.version } },
    };
  });
}

/** Takes a participant's confirmation back (its people only). */
export async function withdrawConfirmation(services: Services, actor: Actor, frameworkId: string, organizationId: string) {
  return editFramework(services, actor, frameworkId, async (e) => {
    if (!e.participants.has(organizationId)) throw new AppError('resource.not_found');
    if (!e.own.has(organizationId)) throw new AppError('auth.forbidden');
    return { action: 'framework.participant.unconfirm', touched: [organizationId], diff: { after: { organizationId } } };
  });
}

// Contents (主要建设内容) of one participant.

async function loadContent(trx: Tx, frameworkId: string, contentId: string) {
  const row = await trx.selectFrom('framework_contents').select(['id', 'organization_id', 'title', 'description', 'version'])
    .where('framework_id', '=', frameworkId).where('id', '=', contentId).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  return row;
}

export async function createContent(services: Services, actor: Actor, frameworkId: string, organizationId: string, input: ContentInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    if (!e.participants.has(organizationId)) throw new AppError('resource.not_found');
    requirePart(e, organizationId);
    const value = { title: input.title.trim(), description: input.description.trim() };
    const row = await e.trx.insertInto('framework_contents').values({
      framework_id: frameworkId, organization_id: organizationId, ...value, created_by: actor.userId,
      created_at: await nextCreatedAt(e.trx, 'framework_contents', frameworkId, e.now), updated_at: e.now,
    }).returning('id').executeTakeFirstOrThrow();
    return { action: 'framework.content.create', touched: [organizationId], diff: { after: { id: row.id, organizationId, ...value } } };
  });
}

/**
 * Edits a content (If-Match: its version). Its overlap justifications go: they were written
 * about the old text (I-13), so an overlap that remains must be justified again.
 */
export async function updateContent(services: Services, actor: Actor, frameworkId: string, contentId: string, expectedVersion: number, input: ContentInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const before = await loadContent(e.trx, frameworkId, contentId);
    requirePart(e, before.organization_id);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    const value = { title: input.title.trim(), description: input.description.trim() };
    await e.trx.updateTable('framework_contents').set({ ...value, version: before.version + 1, updated_at: e.now }).where('id', '=', contentId).execute();
    const dropped = await dropJustifications(e.trx, contentId);
    return {
      action: 'framework.content.update', touched: [before.organization_id],
      diff: {
        before: { id: contentId, title: before.title, description: before.description, version: before.version },
        after: { id: contentId, ...value, version: before.version + 1, ...(dropped.length > 0 ? { justificationsRemoved: dropped } : {}) },
      },
    };
  });
}

export async function deleteContent(services: Services, actor: Actor, frameworkId: string, contentId: string, expectedVersion: number) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const before = await loadContent(e.trx, frameworkId, contentId);
    requirePart(e, before.organization_id);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    const dropped = await dropJustifications(e.trx, contentId);
    await e.trx.deleteFrom('framework_contents').where('id', '=', contentId).execute();
    return {
      action: 'framework.content.delete', touched: [before.organization_id],
      diff: { before: { id: contentId, organizationId: before.organization_id, title: before.title, description: before.description, justificationsRemoved: dropped } },
    };
  });
}

async function dropJustifications(trx: Tx, contentId: string) {
  const rows = await trx.deleteFrom('framework_overlap_justifications')
    .where((eb) => eb.or([eb('content_a_id', '=', contentId), eb('content_b_id', '=', contentId)]))
    .returning(['content_a_id', 'content_b_id', 'reason']).execute();
  // I-13: its justifications against master-catalog systems were about the old text too.
  const catalogRows = await trx.deleteFrom('framework_catalog_overlap_justifications').where('content_id', '=', contentId)
    .returning(['system_id', 'reason']).execute();
  return [
    ...rows.map((r) => ({ contentAId: r.content_a_id, contentBId: r.content_b_id, reason: r.reason })),
    ...catalogRows.map((r) => ({ contentAId: contentId, systemId: r.system_id, reason: r.reason })),
  ];
}

// Business flows (业务流): the whole plan's, edited by the lead.

function businessFlowValue(input: BusinessFlowInput) {
  return {
    name: input.name.trim(), description: input.description.trim(),
    steps: input.steps.map((s) => ({ organizationId: s.organizationId, activity: s.activity.trim() })),
  };
}

function checkBusinessFlow(e: Editing, input: BusinessFlowInput) {
  const problems = businessFlowProblems(input, e.participants);
  if (problems.length > 0) invalid(problems);
}

async function loadBusinessFlow(trx: Tx, frameworkId: string, flowId: string) {
  const row = await trx.selectFrom('framework_business_flows').select(['id', 'name', 'description', 'steps', 'version'])
    .where('framework_id', '=', frameworkId).where('id', '=', flowId).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  return { ...row, steps: row.steps as Array<{ organizationId: string; activity: string }> };
}

const stepOrgs = (steps: ReadonlyArray<{ organizationId: string }>) => steps.map((s) => s.organizationId);

export async function createBusinessFlow(services: Services, actor: Actor, frameworkId: string, input: BusinessFlowInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    requireLead(e);
    checkBusinessFlow(e, input);
    const value = businessFlowValue(input);
    const row = await e.trx.insertInto('framework_business_flows').values({
      framework_id: frameworkId, name: value.name, description: value.description, steps: JSON.stringify(value.steps),
      created_by: actor.userId, created_at: await nextCreatedAt(e.trx, 'framework_business_flows', frameworkId, e.now), updated_at: e.now,
    }).returning('id').executeTakeFirstOrThrow();
    return { action: 'framework.business_flow.create', touched: stepOrgs(value.steps), diff: { after: { id: row.id, ...value } } };
  });
}

export async function updateBusinessFlow(services: Services, actor: Actor, frameworkId: string, flowId: string, expectedVersion: number, input: BusinessFlowInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    requireLead(e);
    const before = await loadBusinessFlow(e.trx, frameworkId, flowId);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    checkBusinessFlow(e, input);
    const value = businessFlowValue(input);
    await e.trx.updateTable('framework_business_flows').set({
      name: value.name, description: value.description, steps: JSON.stringify(value.steps), version: before.version + 1, updated_at: e.now,
    }).where('id', '=', flowId).execute();
    return {
      action: 'framework.business_flow.update', touched: [...stepOrgs(before.steps), ...stepOrgs(value.steps)],
      diff: { before: { id: flowId, name: before.name, description: before.description, steps: before.steps }, after: { id: flowId, ...value } },
    };
  });
}

export async function deleteBusinessFlow(services: Services, actor: Actor, frameworkId: string, flowId: string, expectedVersion: number) {
  return editFramework(services, actor, frameworkId, async (e) => {
    requireLead(e);
    const before = await loadBusinessFlow(e.trx, frameworkId, flowId);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    await e.trx.deleteFrom('framework_business_flows').where('id', '=', flowId).execute();
    return { action: 'framework.business_flow.delete', touched: stepOrgs(before.steps), diff: { before: { id: flowId, name: before.name, steps: before.steps } } };
  });
}

// Data flows and system interfaces (数据流、系统接口): either end's people, or the lead's.

function dataFlowValue(input: DataFlowInput) {
  return {
    from_organization_id: input.from.organizationId, from_system: optionalText(input.from.system),
    to_organization_id: input.to.organizationId, to_system: optionalText(input.to.system),
    data_items: input.dataItems.map((d) => d.trim()), frequency: input.frequency, interface_method: input.interfaceMethod,
    description: optionalText(input.description),
  };
}

type DataFlowValue = ReturnType<typeof dataFlowValue>;

function checkDataFlow(e: Editing, input: DataFlowInput) {
  const problems = dataFlowProblems(input, e.participants);
  if (problems.length > 0) invalid(problems);
}

async function loadDataFlow(trx: Tx, frameworkId: string, flowId: string) {
  const row = await trx.selectFrom('framework_data_flows')
    .select(['id', 'from_organization_id', 'from_system', 'to_organization_id', 'to_system', 'data_items', 'frequency', 'interface_method', 'description', 'version'])
    .where('framework_id', '=', frameworkId).where('id', '=', flowId).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  return row;
}

const flowAudit = (id: string, v: Omit<DataFlowValue, 'data_items'> & { data_items: unknown }) => ({
  id, from: { organizationId: v.from_organization_id, system: v.from_system }, to: { organizationId: v.to_organization_id, system: v.to_system },
  dataItems: v.data_items, frequency: v.frequency, interfaceMethod: v.interface_method, description: v.description,
});

export async function createDataFlow(services: Services, actor: Actor, frameworkId: string, input: DataFlowInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    checkDataFlow(e, input);
    requirePart(e, input.from.organizationId, input.to.organizationId);
    const value = dataFlowValue(input);
    const row = await e.trx.insertInto('framework_data_flows').values({
      framework_id: frameworkId, ...value, data_items: JSON.stringify(value.data_items), created_by: actor.userId,
      created_at: await nextCreatedAt(e.trx, 'framework_data_flows', frameworkId, e.now), updated_at: e.now,
    }).returning('id').executeTakeFirstOrThrow();
    return { action: 'framework.data_flow.create', touched: [value.from_organization_id, value.to_organization_id], diff: { after: flowAudit(row.id, value) } };
  });
}

export async function updateDataFlow(services: Services, actor: Actor, frameworkId: string, flowId: string, expectedVersion: number, input: DataFlowInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const before = await loadDataFlow(e.trx, frameworkId, flowId);
    requirePart(e, before.from_organization_id, before.to_organization_id);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    checkDataFlow(e, input);
    requirePart(e, input.from.organizationId, input.to.organizationId);
    const value = dataFlowValue(input);
    await e.trx.updateTable('framework_data_flows').set({ ...value, data_items: JSON.stringify(value.data_items), version: before.version + 1, updated_at: e.now })
      .where('id', '=', flowId).execute();
    return {
      action: 'framework.data_flow.update',
      touched: [before.from_organization_id, before.to_organization_id, value.from_organization_id, value.to_organization_id],
      diff: { before: flowAudit(flowId, before), after: flowAudit(flowId, value) },
    };
  });
}

export async function deleteDataFlow(services: Services, actor: Actor, frameworkId: string, flowId: string, expectedVersion: number) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const before = await loadDataFlow(e.trx, frameworkId, flowId);
    requirePart(e, before.from_organization_id, before.to_organization_id);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    await e.trx.deleteFrom('framework_data_flows').where('id', '=', flowId).execute();
    return { action: 'framework.data_flow.delete', touched: [before.from_organization_id, before.to_organization_id], diff: { before: flowAudit(flowId, before) } };
  });
}

// The preliminary data catalog (初步数据目录): the provider's people, or the lead's.

function catalogValue(input: CatalogEntryInput) {
  return {
    name: input.name.trim(), provider_organization_id: input.providerOrganizationId, data_items: input.dataItems.map((d) => d.trim()),
    sharing_type: input.sharingType, sharing_basis: optionalText(input.sharingBasis),
  };
}

function checkCatalogEntry(e: Editing, input: CatalogEntryInput) {
  const problems = catalogEntryProblems(input, e.participants);
  if (problems.length > 0) invalid(problems);
}

async function loadCatalogEntry(trx: Tx, frameworkId: string, entryId: string) {
  const row = await trx.selectFrom('framework_catalog_entries')
    .select(['id', 'name', 'provider_organization_id', 'data_items', 'sharing_type', 'sharing_basis', 'version'])
    .where('framework_id', '=', frameworkId).where('id', '=', entryId).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  return row;
}

const entryAudit = (id: string, v: Omit<ReturnType<typeof catalogValue>, 'data_items'> & { data_items: unknown }) => ({
  id, name: v.name, providerOrganizationId: v.provider_organization_id, dataItems: v.data_items, sharingType: v.sharing_type, sharingBasis: v.sharing_basis,
});

export async function createCatalogEntry(services: Services, actor: Actor, frameworkId: string, input: CatalogEntryInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    checkCatalogEntry(e, input);
    requirePart(e, input.providerOrganizationId);
    const value = catalogValue(input);
    const row = await e.trx.insertInto('framework_catalog_entries').values({
      framework_id: frameworkId, ...value, data_items: JSON.stringify(value.data_items), created_by: actor.userId,
      created_at: await nextCreatedAt(e.trx, 'framework_catalog_entries', frameworkId, e.now), updated_at: e.now,
    }).returning('id').executeTakeFirstOrThrow();
    return { action: 'framework.catalog_entry.create', touched: [value.provider_organization_id], diff: { after: entryAudit(row.id, value) } };
  });
}

export async function updateCatalogEntry(services: Services, actor: Actor, frameworkId: string, entryId: string, expectedVersion: number, input: CatalogEntryInput) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const before = await loadCatalogEntry(e.trx, frameworkId, entryId);
    requirePart(e, before.provider_organization_id);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    checkCatalogEntry(e, input);
    requirePart(e, input.providerOrganizationId);
    const value = catalogValue(input);
    await e.trx.updateTable('framework_catalog_entries').set({ ...value, data_items: JSON.stringify(value.data_items), version: before.version + 1, updated_at: e.now })
      .where('id', '=', entryId).execute();
    return {
      action: 'framework.catalog_entry.update', touched: [before.provider_organization_id, value.provider_organization_id],
      diff: { before: entryAudit(entryId, before), after: entryAudit(entryId, value) },
    };
  });
}

export async function deleteCatalogEntry(services: Services, actor: Actor, frameworkId: string, entryId: string, expectedVersion: number) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const before = await loadCatalogEntry(e.trx, frameworkId, entryId);
    requirePart(e, before.provider_organization_id);
    if (before.version !== expectedVersion) throw new AppError('conflict.stale');
    await e.trx.deleteFrom('framework_catalog_entries').where('id', '=', entryId).execute();
    return { action: 'framework.catalog_entry.delete', touched: [before.provider_organization_id], diff: { before: entryAudit(entryId, before) } };
  });
}

// Overlap justifications (I-13).

/** The two contents of a pair, which must currently be a suspected overlap (400 otherwise). */
async function overlappingPair(e: Editing, frameworkId: string, contentIds: [string, string]) {
  const [x, y] = [await loadContent(e.trx, frameworkId, contentIds[0]), await loadContent(e.trx, frameworkId, contentIds[1])];
  const s = similarity({ name: x.title, description: x.description }, { name: y.title, description: y.description });
  if (x.organization_id === y.organization_id || s.similarity < SIMILARITY_THRESHOLD) invalid([{ path: 'contentIds', code: 'framework.not_an_overlap' }]);
  return { pair: x.id < y.id ? [x, y] as const : [y, x] as const, similarity: s.similarity };
}

/**
 * I-13: a suspected overlap justified with a written reason why the two contents do not
 * duplicate each other (the lead's people or either side's). The reason becomes part of both
 * sides' parts, so both confirmations are cleared. Writing it again replaces the reason.
 */
export async function justifyOverlap(services: Services, actor: Actor, frameworkId: string, contentIds: [string, string], reason: string) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const { pair: [a, b], similarity: s } = await overlappingPair(e, frameworkId, contentIds);
    requirePart(e, a.organization_id, b.organization_id);
    const value = { reason: reason.trim(), similarity: s.toFixed(4), justified_by: actor.userId, created_at: e.now };
    const before = await e.trx.selectFrom('framework_overlap_justifications').select(['reason'])
      .where('content_a_id', '=', a.id).where('content_b_id', '=', b.id).executeTakeFirst();
    await e.trx.insertInto('framework_overlap_justifications').values({ framework_id: frameworkId, content_a_id: a.id, content_b_id: b.id, ...value })
      .onConflict((oc) => oc.columns(['content_a_id', 'content_b_id']).doUpdateSet(value)).execute();
    return {
      action: 'framework.overlap.justify', touched: [a.organization_id, b.organization_id],
      diff: { before: before ? { reason: before.reason } : null, after: { contentAId: a.id, contentBId: b.id, similarity: value.similarity, reason: value.reason } },
    };
  });
}

/** Takes a justification back; the overlap stands unhandled again. */
export async function removeJustification(services: Services, actor: Actor, frameworkId: string, contentIds: [string, string]) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const [x, y] = [await loadContent(e.trx, frameworkId, contentIds[0]), await loadContent(e.trx, frameworkId, contentIds[1])];
    const [a, b] = x.id < y.id ? [x, y] : [y, x];
    requirePart(e, a.organization_id, b.organization_id);
    const removed = await e.trx.deleteFrom('framework_overlap_justifications').where('content_a_id', '=', a.id).where('content_b_id', '=', b.id)
      .returning('reason').executeTakeFirst();
    if (!removed) throw new AppError('resource.not_found');
    return {
      action: 'framework.overlap.unjustify', touched: [a.organization_id, b.organization_id],
      diff: { before: { contentAId: a.id, contentBId: b.id, reason: removed.reason } },
    };
  });
}

// Justifications of suspected overlaps with master-catalog systems (I-13, I-59).

/**
 * I-13: a content that looks like a system already in the master catalog (第十二条) justified
 * with a written reason why it does not build that system again (the lead's people or the
 * content's department). The system must currently be among the content's catalog hits (400
 * otherwise). The reason becomes part of the department's part, so its confirmation is cleared.
 */
export async function justifyCatalogOverlap(services: Services, actor: Actor, frameworkId: string, contentId: string, systemId: string, reason: string) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const content = await loadContent(e.trx, frameworkId, contentId);
    requirePart(e, content.organization_id);
    const hit = (await similarSystems(services, e.trx, { name: content.title, description: content.description })).find((h) => h.systemId === systemId);
    if (!hit) invalid([{ path: 'systemId', code: 'framework.not_an_overlap' }]);
    const value = { reason: reason.trim(), similarity: hit.similarity.toFixed(4), justified_by: actor.userId, created_at: e.now };
    const before = await e.trx.selectFrom('framework_catalog_overlap_justifications').select(['reason'])
      .where('content_id', '=', contentId).where('system_id', '=', systemId).executeTakeFirst();
    await e.trx.insertInto('framework_catalog_overlap_justifications').values({ framework_id: frameworkId, content_id: contentId, system_id: systemId, ...value })
      .onConflict((oc) => oc.columns(['content_id', 'system_id']).doUpdateSet(value)).execute();
    return {
      action: 'framework.catalog_overlap.justify', touched: [content.organization_id],
      diff: { before: before ? { reason: before.reason } : null, after: { contentId, systemId, systemName: hit.name, similarity: value.similarity, reason: value.reason } },
    };
  });
}

/** Takes a catalog-overlap justification back; the overlap stands unhandled again. */
export async function removeCatalogJustification(services: Services, actor: Actor, frameworkId: string, contentId: string, systemId: string) {
  return editFramework(services, actor, frameworkId, async (e) => {
    const content = await loadContent(e.trx, frameworkId, contentId);
    requirePart(e, content.organization_id);
    const removed = await e.trx.deleteFrom('framework_catalog_overlap_justifications').where('content_id', '=', contentId).where('system_id', '=', systemId)
      .returning('reason').executeTakeFirst();
    if (!removed) throw new AppError('resource.not_found');
    return { action: 'framework.catalog_overlap.unjustify', touched: [content.organization_id], diff: { before: { contentId, systemId, reason: removed.reason } } };
  });
}
