// 安全与资源记录 (第十四条–第十七条) and 共享问题认定 (第二十八条(一)): a construction unit records,
// per project and per system, its 等保/分保 filings, security tests and risk assessments, 密码应用方案
// and 密评, major hazards (found, resolved), secure and reliable products, data-centre PUE and the
// cloud resources used; 国务院办公厅 and 国家发展改革委 record findings that a system does not share
// or collects data already collected (I-20: never a similarity hit by itself). Every write locks
// what it writes to (the project's construction row, I-50; the system's row), writes the record,
// refreshes the system's eligibility summary and appends the audit event, in one transaction.
import { sql } from 'kysely';
import { scopeContains, type DataScope } from '../domain/authz.ts';
import { shanghaiDate } from '../domain/plan.ts';
import {
  normalizeDetails, recordProblems, resolutionProblems, type SecurityRecordDetails, type SecurityRecordInput, type SecurityRecordKind,
} from '../domain/security-records.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { ancestorIds } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';
import { lockConstruction } from './construction.ts';
import { getProject } from './projects.ts';
import { getSystem } from './system-catalog.ts';
import { sweepSystem } from './obligations.ts';

/** A record as the API presents it. */
export interface SecurityRecord {
  id: string;
  kind: SecurityRecordKind;
  projectId: string | null;
  projectName: string | null;
  systemId: string | null;
  systemName: string | null;
  occurredOn: string;
  passed: boolean | null;
  reference: string | null;
  details: SecurityRecordDetails;
  resolvedOn: string | null;
  resolution: string | null;
  recordedBy: string;
  recordedByName: string;
  createdAt: string;
}

/** A 第二十八条(一) finding as the API presents it. */
export interface SharingFindingView {
  id: string;
  systemId: string;
  kind: 'notSharing' | 'duplicateCollection';
  reference: string;
  description: string;
  foundOn: string;
  organizationId: string;
  organizationName: string;
  recordedBy: string;
  recordedByName: string;
  createdAt: string;
  resolvedOn: string | null;
  resolution: string | null;
}

function recordsFrom(db: Executor) {
  return db.selectFrom('security_records as r')
    .innerJoin('users as u', 'u.id', 'r.recorded_by')
    .leftJoin('projects as p', 'p.id', 'r.project_id')
    .leftJoin('government_systems as s', 's.id', 'r.system_id')
    .selectAll('r').select(['u.display_name', 'p.name as project_name', 's.name as system_name']);
}

type RecordRow = Awaited<ReturnType<ReturnType<typeof recordsFrom>['executeTakeFirstOrThrow']>>;

function present(r: RecordRow): SecurityRecord {
  return {
    id: r.id, kind: r.kind, projectId: r.project_id, projectName: r.project_name, systemId: r.system_id, systemName: r.system_name,
    occurredOn: r.occurred_on, passed: r.passed, reference: r.reference, details: r.details as SecurityRecordDetails,
    resolvedOn: r.resolved_on, resolution: r.resolution, recordedBy: r.recorded_by, recordedByName: r.display_name,
    createdAt: r.created_at.toISOString(),
  };
}

/** A system's records (catalog:read over its owner; 404 outside it), newest first. */
export async function listSystemRecords(services: Services, actor: Actor, systemId: string): Promise<SecurityRecord[]> {
  await getSystem(services, actor, systemId);
  const rows = await recordsFrom(services.database.db).where('r.system_id', '=', systemId)
    .orderBy('r.occurred_on', 'desc').orderBy('r.seq', 'desc').execute();
  return rows.map(present);
}

/** A project's records (project:read; 404 outside it), including those about its systems. */
export async function listProjectRecords(services: Services, actor: Actor, projectId: string): Promise<SecurityRecord[]> {
  await getProject(services, actor, projectId);
  const rows = await recordsFrom(services.database.db)
    .where((eb) => eb.or([
      eb('r.project_id', '=', projectId),
      eb('r.system_id', 'in', eb.selectFrom('government_system_projects as l').select('l.system_id').where('l.project_id', '=', projectId)),
    ]))
    .orderBy('r.occurred_on', 'desc').orderBy('r.seq', 'desc').execute();
  return rows.map(present);
}

const inScope = async (db: Executor, scope: DataScope, organizationId: string) =>
  scopeContains(scope, { organizationId, ancestorIds: await ancestorIds(db, organizationId), ownerUserId: null });

/**
 * 第二十八条: recomputes the system's summary from its records and findings (never incremented,
 * so it cannot drift), in the writing transaction.
 */
export async function refreshSystemStatus(trx: Tx, systemId: string, now: Date): Promise<void> {
  await sql`insert into system_security_status (system_id, last_test_on, last_test_passed, last_crypto_on, last_crypto_passed,
      open_hazards, open_not_sharing, open_duplicate_collection, updated_at)
    select ${systemId}::uuid, t.occurred_on, t.passed, c.occurred_on, c.passed,
      (select count(*)::int from security_records h where h.system_id = ${systemId}::uuid and h.kind = 'hazard' and h.resolved_on is null),
      (select count(*)::int from sharing_findings f where f.system_id = ${systemId}::uuid and f.kind = 'notSharing' and f.resolved_on is null),
      (select count(*)::int from sharing_findings f where f.system_id = ${systemId}::uuid and f.kind = 'duplicateCollection' and f.resolved_on is null),
      ${now}
    from (select 1) one
    left join lateral (select occurred_on, passed from security_records where system_id = ${systemId}::uuid and kind = 'securityTest'
      order by occurred_on desc, seq desc limit 1) t on true
    left join lateral (select occurred_on, passed from security_records where system_id = ${systemId}::uuid and kind = 'cryptoAssessment'
      order by occurred_on desc, seq desc limit 1) c on true
    on conflict (system_id) do update set last_test_on = excluded.last_test_on, last_test_passed = excluded.last_test_passed,
      last_crypto_on = excluded.last_crypto_on, last_crypto_passed = excluded.last_crypto_passed, open_hazards = excluded.open_hazards,
      open_not_sharing = excluded.open_not_sharing, open_duplicate_collection = excluded.open_duplicate_collection,
      updated_at = excluded.updated_at`.execute(trx);
}

/**
 * Records one fact (security:record). Under a project: the project's construction unit must be
 * in the caller's scope, the project's construction row is locked ('afterCompletion': records go
 * on after completion, for the systems in operation, I-50) and a named system must be one the
 * project built or upgraded. On a system alone: its owner must be in the caller's scope and the
 * system row is locked. 404 for what the caller cannot read, 403 for what it may read but not
 * record on; every field problem at once (400).
 */
export async function createSecurityRecord(services: Services, actor: Actor, input: SecurityRecordInput): Promise<SecurityRecord> {
  const scope = requireAccess(actor, 'security:record');
  const now = services.now();
  const problems = recordProblems(input, shanghaiDate(now));
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
  // Readable first (404), then writable (403).
  if (input.projectId !== null) await getProject(services, actor, input.projectId);
  if (input.systemId !== null && input.projectId === null) await getSystem(services, actor, input.systemId);
  return services.database.db.transaction().execute(async (trx) => {
    if (input.projectId !== null) {
      const project = await trx.selectFrom('projects').select('construction_unit_id').where('id', '=', input.projectId).executeTakeFirstOrThrow();
      if (!(await inScope(trx, scope, project.construction_unit_id))) throw new AppError('auth.forbidden');
      await lockConstruction(trx, input.projectId, 'afterCompletion', now);
      if (input.systemId !== null) {
        const link = await trx.selectFrom('government_system_projects').select('system_id')
          .where('system_id', '=', input.systemId).where('project_id', '=', input.projectId).executeTakeFirst();
        if (!link) throw new AppError('validation.failed', { fields: [{ path: 'systemId', code: 'security.system_not_of_project' }] });
      }
    }
    if (input.systemId !== null) {
      const system = await trx.selectFrom('government_systems').select('owner_organization_id').where('id', '=', input.systemId).forUpdate().executeTakeFirst();
      if (!system) throw new AppError('resource.not_found');
      if (input.projectId === null && !(await inScope(trx, scope, system.owner_organization_id))) throw new AppError('auth.forbidden');
    }
    const row = await trx.insertInto('security_records').values({
      kind: input.kind, project_id: input.projectId, system_id: input.systemId, occurred_on: input.occurredOn, passed: input.passed,
      reference: input.reference === null || input.reference.trim() === '' ? null : input.reference.trim(),
      details: JSON.stringify(normalizeDetails(input.kind, input.details)),
      recorded_by: actor.userId, role: auditActorFor(actor, 'security:record').role ?? 'unknown', created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    if (input.systemId !== null) {
      await refreshSystemStatus(trx, input.systemId, now);
      // 第十四条, 第十五条: a test or 密评 moves the system's next due date (and its reminders).
      if (input.kind === 'securityTest' || input.kind === 'cryptoAssessment') await sweepSystem(trx, services, input.systemId);
    }
    const record = present(await recordsFrom(trx).where('r.id', '=', row.id).executeTakeFirstOrThrow());
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'security:record'), action: 'security.record', objectType: 'security_record', objectId: row.id,
      outcome: 'success', diff: { after: { ...record } }, ...requestFacts(actor),
    });
    return record;
  });
}

/** 第二十八条(三): a major hazard is rectified (security:record over its project or system). */
export async function resolveHazard(services: Services, actor: Actor, id: string, body: { resolvedOn: string; resolution: string }): Promise<SecurityRecord> {
  const scope = requireAccess(actor, 'security:record');
  const now = services.now();
  const db = services.database.db;
  const found = await db.selectFrom('security_records').select(['project_id', 'system_id']).where('id', '=', id).executeTakeFirst();
  if (!found) throw new AppError('resource.not_found');
  if (found.project_id !== null) await getProject(services, actor, found.project_id);
  else await getSystem(services, actor, found.system_id!);
  // Every hazard names its system (a check of the table); a record that names none is another kind.
  const systemId = found.system_id;
  if (systemId === null) throw new AppError('security.not_a_hazard');
  return db.transaction().execute(async (trx) => {
    if (found.project_id !== null) {
      const project = await trx.selectFrom('projects').select('construction_unit_id').where('id', '=', found.project_id).executeTakeFirstOrThrow();
      if (!(await inScope(trx, scope, project.construction_unit_id))) throw new AppError('auth.forbidden');
      await lockConstruction(trx, found.project_id, 'afterCompletion', now);
    }
    const system = await trx.selectFrom('government_systems').select('owner_organization_id').where('id', '=', systemId).forUpdate().executeTakeFirstOrThrow();
    if (found.project_id === null && !(await inScope(trx, scope, system.owner_organization_id))) throw new AppError('auth.forbidden');
    await trx.selectFrom('security_records').select('id').where('id', '=', id).forUpdate().execute();
    const before = present(await recordsFrom(trx).where('r.id', '=', id).executeTakeFirstOrThrow());
    if (before.kind !== 'hazard') throw new AppError('security.not_a_hazard');
    if (before.resolvedOn !== null) throw new AppError('security.already_resolved');
    const problems = resolutionProblems(before.occurredOn, body.resolvedOn, body.resolution, shanghaiDate(now));
    if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
    await trx.updateTable('security_records').set({ resolved_on: body.resolvedOn, resolution: body.resolution.trim(), resolved_by: actor.userId })
      .where('id', '=', id).execute();
    await refreshSystemStatus(trx, systemId, now);
    const after = present(await recordsFrom(trx).where('r.id', '=', id).executeTakeFirstOrThrow());
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'security:record'), action: 'security.hazard_resolve', objectType: 'security_record', objectId: id,
      outcome: 'success', diff: { before: { resolvedOn: null, resolution: null }, after: { resolvedOn: after.resolvedOn, resolution: after.resolution } },
      ...requestFacts(actor),
    });
    return after;
  });
}

function findingsFrom(db: Executor) {
  return db.selectFrom('sharing_findings as f')
    .innerJoin('users as u', 'u.id', 'f.recorded_by')
    .innerJoin('organizations as o', 'o.id', 'f.organization_id')
    .selectAll('f').select(['u.display_name', 'o.name as organization_name']);
}

type FindingRow = Awaited<ReturnType<ReturnType<typeof findingsFrom>['executeTakeFirstOrThrow']>>;

function presentFinding(f: FindingRow): SharingFindingView {
  return {
    id: f.id, systemId: f.system_id, kind: f.kind, reference: f.reference, description: f.description, foundOn: f.found_on,
    organizationId: f.organization_id, organizationName: f.organization_name, recordedBy: f.recorded_by, recordedByName: f.display_name,
    createdAt: f.created_at.toISOString(), resolvedOn: f.resolved_on, resolution: f.resolution,
  };
}

/** A system's 第二十八条(一) findings, oldest first (catalog:read over its owner). */
export async function listFindings(services: Services, actor: Actor, systemId: string): Promise<SharingFindingView[]> {
  await getSystem(services, actor, systemId);
  return (await findingsFrom(services.database.db).where('f.system_id', '=', systemId).orderBy('f.seq').execute()).map(presentFinding);
}

export interface FindingInput {
  kind: 'notSharing' | 'duplicateCollection';
  reference: string;
  description: string;
  foundOn: string;
}

/**
 * 第二十八条(一), I-20: 国务院办公厅 or 国家发展改革委 (sharing:finding) records a finding against a
 * system; it counts against the system's O&M funding until resolved. The recording organization
 * is the caller's own (the body that 认定).
 */
export async function recordFinding(services: Services, actor: Actor, systemId: string, input: FindingInput): Promise<SharingFindingView> {
  requireAccess(actor, 'sharing:finding');
  const now = services.now();
  if (input.foundOn > shanghaiDate(now)) throw new AppError('validation.failed', { fields: [{ path: 'foundOn', code: 'security.future_date' }] });
  const organizationId = actor.organizationIds[0];
  if (!organizationId) throw new AppError('auth.forbidden');
  await getSystem(services, actor, systemId);
  return services.database.db.transaction().execute(async (trx) => {
    await trx.selectFrom('government_systems').select('id').where('id', '=', systemId).forUpdate().executeTakeFirstOrThrow();
    const row = await trx.insertInto('sharing_findings').values({
      system_id: systemId, kind: input.kind, reference: input.reference.trim(), description: input.description.trim(), found_on: input.foundOn,
      organization_id: organizationId, recorded_by: actor.userId, role: auditActorFor(actor, 'sharing:finding').role ?? 'unknown', created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await refreshSystemStatus(trx, systemId, now);
    const finding = presentFinding(await findingsFrom(trx).where('f.id', '=', row.id).executeTakeFirstOrThrow());
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'sharing:finding'), action: 'sharing_finding.create', objectType: 'sharing_finding', objectId: row.id,
      outcome: 'success', diff: { after: { ...finding } }, ...requestFacts(actor),
    });
    return finding;
  });
}

/** 第二十八条(一): the finding is rectified (sharing:finding); the system's reason goes with it. */
export async function resolveFinding(services: Services, actor: Actor, id: string, body: { resolvedOn: string; resolution: string }): Promise<SharingFindingView> {
  const scope = requireAccess(actor, 'sharing:finding');
  const now = services.now();
  return services.database.db.transaction().execute(async (trx) => {
    await trx.selectFrom('sharing_findings').select('id').where('id', '=', id).forUpdate().execute();
    const row = await findingsFrom(trx).where('f.id', '=', id).where(scopePredicate(scope, 'f.organization_id')).executeTakeFirst();
    if (!row) throw new AppError('resource.not_found');
    if (row.resolved_on !== null) throw new AppError('security.already_resolved');
    const problems = resolutionProblems(row.found_on, body.resolvedOn, body.resolution, shanghaiDate(now));
    if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
    await trx.updateTable('sharing_findings').set({ resolved_on: body.resolvedOn, resolution: body.resolution.trim(), resolved_by: actor.userId })
      .where('id', '=', id).execute();
    await refreshSystemStatus(trx, row.system_id, now);
    const after = presentFinding(await findingsFrom(trx).where('f.id', '=', id).executeTakeFirstOrThrow());
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'sharing:finding'), action: 'sharing_finding.resolve', objectType: 'sharing_finding', objectId: id,
      outcome: 'success', diff: { before: { resolvedOn: null }, after: { resolvedOn: after.resolvedOn, resolution: after.resolution } },
      ...requestFacts(actor),
    });
    return after;
  });
}
