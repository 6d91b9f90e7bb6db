// Who may write a project's money records (第二十二条–第二十四条, I-44): the caller must see the
// project (else 404, SPEC §1) and hold the permission for the side it acts on — the construction
// unit (spending, early-investment applications, adjustments) or the approval department
// (releases, decisions) — else 403. Also the approved 概算 that releases and adjustments are
// measured against.
import { sql } from 'kysely';
import { scopeContains, type Permission } from '../domain/authz.ts';
import { parseWan, type Fen } from '../domain/money.ts';
import { AppError } from '../errors.ts';
import { ancestorIds } from '../db/org-tree.ts';
import type { Executor } from '../db/database.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';
import { getProject, type Project } from './projects.ts';

/** The project, when the caller may act on it with `permission` for `side`. */
export async function projectForMoney(services: Services, actor: Actor, projectId: string, permission: Permission, side: 'unit' | 'department'): Promise<Project> {
  const scope = requireAccess(actor, permission);
  const project = await getProject(services, actor, projectId);
  const organizationId = side === 'unit' ? project.constructionUnitId : project.approvalDepartmentId;
  const row = { organizationId, ancestorIds: scope.all ? [] : await ancestorIds(services.database.db, organizationId), ownerUserId: null };
  if (!scopeContains(scope, row)) throw new AppError('auth.forbidden', { params: { permission } });
  return project;
}

/**
 * The approved 概算总投资 now in force (第二十二条, 第二十三条; I-16): the total of the latest
 * adjustment approved on re-approval, else the total signed in the approval (or filing) decision;
 * null before either. `sinceSeq`: the adjustments counted cumulatively are those after it.
 */
export async function approvedBudget(db: Executor, projectId: string): Promise<{ fen: Fen | null; sinceSeq: string }> {
  const reapproved = await db.selectFrom('project_adjustments').select(['total_after', 'seq'])
    .where('project_id', '=', projectId).where('status', '=', 'approved').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (reapproved) return { fen: parseWan(reapproved.total_after), sinceSeq: reapproved.seq };
  const decision = await db.selectFrom('project_actions').select('payload')
    .where('project_id', '=', projectId).where('to_status', 'in', ['approved', 'filed']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!decision) return { fen: null, sinceSeq: '0' };
  const total = (JSON.parse(decision.payload) as { totalInvestment?: unknown }).totalInvestment;
  return { fen: typeof total === 'string' ? parseWan(total) : null, sinceSeq: '0' };
}

/** Σ amount of a project's rows of `table` (under one early investment if given), exact. */
export async function sumOf(db: Executor, table: 'investment_releases' | 'investment_spending', projectId: string, earlyInvestmentId?: string): Promise<Fen> {
  const r = await sql<{ total: string }>`select coalesce(sum(amount), 0)::text as total from ${sql.table(table)}
    where project_id = ${projectId} ${earlyInvestmentId ? sql`and early_investment_id = ${earlyInvestmentId}` : sql``}`.execute(db);
  return parseWan(r.rows[0]!.total)!;
}
