// The organization tree (SPEC §1): list within scope, create, edit with optimistic concurrency.
import { organizationIdentifierProblems, wouldCreateCycle, type OrgKind } from '../domain/organization.ts';
import { scopeContains } from '../domain/authz.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { changedFields } from '../audit/diff.ts';
import { sql } from 'kysely';
import { ancestorIds, ORG_TREE_LOCK } from '../db/org-tree.ts';
import { scopePredicate } from '../db/scope.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

export interface Organization {
  id: string;
  parentId: string | null;
  name: string;
  nameEn: string;
  kind: OrgKind;
  creditCode: string;
  divisionCode: string | null;
  version: number;
  createdAt: string;
}

const COLUMNS = ['id', 'parent_id', 'name', 'name_en', 'kind', 'credit_code', 'division_code', 'version', 'created_at'] as const;

function present(r: {
  id: string; parent_id: string | null; name: string; name_en: string; kind: string; credit_code: string;
  division_code: string | null; version: number; created_at: Date;
}): Organization {
  return {
    id: r.id, parentId: r.parent_id, name: r.name, nameEn: r.name_en, kind: r.kind as OrgKind,
    creditCode: r.credit_code, divisionCode: r.division_code, version: r.version, createdAt: r.created_at.toISOString(),
  };
}

/** The organizations the actor may see, ordered for building the tree. */
export async function listOrganizations(services: Services, actor: Actor): Promise<Organization[]> {
  const scope = requireAccess(actor, 'system:org:read');
  const rows = await services.database.db
    .selectFrom('organizations')
    .select(COLUMNS)
    .where(scopePredicate(scope, 'organizations.id'))
    .orderBy('name')
    .execute();
  return rows.map(present);
}

function assertIdentifiers(input: { creditCode?: string; divisionCode?: string | null }) {
  const problems = organizationIdentifierProblems(input);
  if (problems.length > 0) throw new AppError('validation.failed', { fields: problems });
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export interface CreateOrganizationInput {
  parentId: string | null;
  name: string;
  nameEn?: string | undefined;
  kind: OrgKind;
  creditCode: string;
  divisionCode?: string | null | undefined;
}

export async function createOrganization(services: Services, actor: Actor, input: CreateOrganizationInput): Promise<Organization> {
  const scope = requireAccess(actor, 'system:org:create');
  assertIdentifiers(input);
  try {
    return await services.database.db.transaction().execute(async (trx) => {
      if (input.parentId !== null) {
        const parent = await trx.selectFrom('organizations').select('id').where('id', '=', input.parentId).executeTakeFirst();
        if (!parent) throw new AppError('validation.failed', { fields: [{ path: 'parentId', code: 'unknown_reference' }] });
        if (!scopeContains(scope, { organizationId: input.parentId, ancestorIds: await ancestorIds(trx, input.parentId), ownerUserId: null })) {
          throw new AppError('auth.forbidden');
        }
      } else if (!scope.all) {
        throw new AppError('auth.forbidden');
      }
      const row = await trx.insertInto('organizations').values({
        parent_id: input.parentId, name: input.name, name_en: input.nameEn ?? '', kind: input.kind,
        credit_code: input.creditCode, division_code: input.divisionCode ?? null,
      }).returning(COLUMNS).executeTakeFirstOrThrow();
      const org = present(row);
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, 'system:org:create'), action: 'organization.create',
        objectType: 'organization', objectId: org.id, outcome: 'success', diff: { after: { ...org } }, ...requestFacts(actor),
      });
      return org;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict.duplicate', { params: { field: '统一社会信用代码' }, fields: [{ path: 'creditCode', code: 'duplicate' }] });
    throw err;
  }
}

export type UpdateOrganizationInput = Partial<CreateOrganizationInput>;

export async function updateOrganization(services: Services, actor: Actor, id: string, expectedVersion: number, patch: UpdateOrganizationInput): Promise<Organization> {
  const scope = requireAccess(actor, 'system:org:update');
  assertIdentifiers(patch);
  try {
    return await services.database.db.transaction().execute(async (trx) => {
      const moving = patch.parentId !== undefined;
      // Moves are serialized: two concurrent moves could otherwise each pass the cycle check
      // against a tree the other is about to change, and together close a ring.
      if (moving) await sql`select pg_advisory_xact_lock(${ORG_TREE_LOCK})`.execute(trx);
      const current = await trx.selectFrom('organizations').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current || !scopeContains(scope, { organizationId: id, ancestorIds: scope.all ? [] : await ancestorIds(trx, id), ownerUserId: null })) {
        throw new AppError('resource.not_found');
      }
      if (current.version !== expectedVersion) throw new AppError('conflict.stale');
      if (patch.parentId !== undefined && patch.parentId !== current.parent_id) {
        if (patch.parentId !== null) {
          const parent = await trx.selectFrom('organizations').select('id').where('id', '=', patch.parentId).executeTakeFirst();
          if (!parent) throw new AppError('validation.failed', { fields: [{ path: 'parentId', code: 'unknown_reference' }] });
          const lineage = [patch.parentId, ...(await ancestorIds(trx, patch.parentId))];
          const parentOf = (x: string) => { const i = lineage.indexOf(x); return i < 0 ? null : lineage[i + 1] ?? null; };
          if (wouldCreateCycle(id, patch.parentId, parentOf)) throw new AppError('org.cycle');
        }
      }
      const row = await trx.updateTable('organizations').set({
        ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.creditCode !== undefined ? { credit_code: patch.creditCode } : {}),
        ...(patch.divisionCode !== undefined ? { division_code: patch.divisionCode } : {}),
        version: current.version + 1,
        updated_at: services.now(),
      }).where('id', '=', id).where('version', '=', expectedVersion).returning(COLUMNS).executeTakeFirst();
      if (!row) throw new AppError('conflict.stale');
      const before = present(current);
      const after = present(row);
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, 'system:org:update'), action: 'organization.update',
        objectType: 'organization', objectId: id, outcome: 'success', diff: changedFields(before, after), ...requestFacts(actor),
      });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict.duplicate', { params: { field: '统一社会信用代码' }, fields: [{ path: 'creditCode', code: 'duplicate' }] });
    throw err;
  }
}
