// In-app notifications (SPEC §11): who is told when a project moves, written in the same
// transaction as the action (an action that rolls back told nobody), and the reader's inbox.
import { sql } from 'kysely';
import { ROLES, type Permission, type RoleCode } from '../domain/authz.ts';
import { STAGE_NAMES, TRANSITIONS, type LifecycleAction, type LifecycleState } from '../domain/lifecycle.ts';
import { workActions } from '../domain/worklist.ts';
import { AppError } from '../errors.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';

export const NOTIFICATION_KINDS = [
  'signatureRequested', 'submitted', 'assessed', 'returned', 'decided', 'assessmentAssigned', 'reviewerAssigned',
  // Reminders (src/usecases/reminders.ts): due tomorrow, past due.
  'dueSoon', 'overdue',
  // 第十条: about a framework plan (frameworkId set instead of projectId).
  'frameworkSubmitted', 'frameworkConfirmed', 'frameworkReturned',
  // 第二十一条: a major problem reported, an order (整改/暂停), a rectification done, a suspension lifted.
  'constructionProblem', 'constructionOrder', 'constructionRectified', 'constructionLifted',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The organizations that route a project to each role (SPEC §1). */
export interface ProjectRouting {
  id: string;
  name: string;
  constructionUnitId: string;
  approvalDepartmentId: string;
  createdBy: string;
}

/** The permission a role uses for its work in a state (the transition table's own). */
function workPermission(role: RoleCode): Permission | null {
  return TRANSITIONS.find((t) => t.roles.includes(role))?.permission ?? null;
}

/**
 * Active users holding `role` whose scope for its work permission covers `organizationId`:
 * everyone for `all`, a member for `own`, a member of it or an ancestor for `subtree`, a
 * custom list naming it for `custom`.
 */
export async function usersInRole(db: Executor, role: RoleCode, organizationId: string | null): Promise<string[]> {
  const permission = workPermission(role);
  const kind = permission ? ROLES[role].grants[permission] : undefined;
  if (!kind || (kind !== 'all' && organizationId === null)) return [];
  const covers = kind === 'all' ? sql<boolean>`true`
    : kind === 'custom' ? sql<boolean>`${organizationId}::uuid = any(r.custom_organization_ids)`
    : kind === 'own' ? sql<boolean>`exists (select 1 from user_organizations uo where uo.user_id = u.id and uo.organization_id = ${organizationId}::uuid)`
    : kind === 'subtree' ? sql<boolean>`exists (select 1 from user_organizations uo where uo.user_id = u.id and uo.organization_id in (
        with recursive a(id, parent_id, depth) as (
          select id, parent_id, 0 from organizations where id = ${organizationId}::uuid
          union all select o.id, o.parent_id, a.depth + 1 from organizations o join a on o.id = a.parent_id where a.depth < 100)
        select id from a))`
    : sql<boolean>`false`;
  const r = await sql<{ id: string }>`
    select u.id from users u join user_roles r on r.user_id = u.id and r.role_code = ${role}
    where u.status = 'active' and ${covers} order by u.id`.execute(db);
  return r.rows.map((x) => x.id);
}

/** The current assignment of a kind (latest row), or null. */
export async function currentAssignment(db: Executor, projectId: string, kind: 'reviewer' | 'assessor') {
  return await db.selectFrom('project_assignments').select(['organization_id', 'user_id', 'created_at'])
    .where('project_id', '=', projectId).where('kind', '=', kind).orderBy('seq', 'desc').limit(1).executeTakeFirst() ?? null;
}

/** The users the project waits on in `state`: each role that owes an action, routed and assigned. */
export async function workOwners(db: Executor, project: ProjectRouting, state: LifecycleState): Promise<string[]> {
  const owners = new Set<string>();
  for (const role of Object.keys(ROLES) as RoleCode[]) {
    if (workActions(state, role).length === 0) continue;
    let ids: string[];
    if (role === 'reviewer') {
      const assigned = await currentAssignment(db, project.id, 'reviewer');
      ids = assigned?.user_id ? [assigned.user_id] : await usersInRole(db, role, project.approvalDepartmentId);
    } else if (role === 'assessor') {
      const assigned = await currentAssignment(db, project.id, 'assessor');
      ids = assigned ? await usersInRole(db, role, assigned.organization_id) : [];
    } else if (role === 'preparer' || role === 'unit_lead') {
      ids = await usersInRole(db, role, project.constructionUnitId);
    } else if (role === 'approver') {
      ids = await usersInRole(db, role, project.approvalDepartmentId);
    } else {
      ids = await usersInRole(db, role, null);
    }
    for (const id of ids) owners.add(id);
  }
  return [...owners];
}

export interface NewNotification {
  kind: NotificationKind;
  project: ProjectRouting;
  actionId: string | null;
  title: { zh: string; en: string };
  body: { zh: string; en: string };
  /** A reminder is about one lifecycle state on one Shanghai day: a recipient gets it at most once. */
  reminder?: { state: string; day: string };
}

/**
 * Writes one notification per recipient (never to the actor, who knows) and returns how many were
 * written: a reminder a recipient already has for that state and day is skipped.
 */
export async function notify(trx: Tx, now: Date, actorId: string, userIds: Iterable<string>, n: NewNotification): Promise<number> {
  const rows = [...new Set(userIds)].filter((id) => id !== actorId).map((user_id) => ({
    user_id, project_id: n.project.id, kind: n.kind, action_id: n.actionId,
    title_zh: n.title.zh, title_en: n.title.en, body_zh: n.body.zh, body_en: n.body.en, created_at: now,
    reminder_state: n.reminder?.state ?? null, reminder_on: n.reminder?.day ?? null,
  }));
  if (rows.length === 0) return 0;
  if (!n.reminder) {
    await trx.insertInto('notifications').values(rows).execute();
    return rows.length;
  }
  const written = await trx.insertInto('notifications').values(rows).onConflict((oc) => oc.doNothing()).returning('id').execute();
  return written.length;
}

const DECIDED: ReadonlySet<LifecycleAction> = new Set(['approve', 'reject', 'file']);
const RETURNED: ReadonlySet<LifecycleAction> = new Set(['returnForRevision', 'returnForCompletion', 'declineSignature']);

/** What an action tells whom (SPEC §11: on submission, return, decision). */
export async function notifyAfterAction(trx: Tx, now: Date, input: {
  actor: Actor; project: ProjectRouting; action: LifecycleAction; actionName: { zh: string; en: string };
  from: LifecycleState; to: LifecycleState; actionId: string; reasons: string | null;
}): Promise<void> {
  const { actor, project, action, actionName, from, to } = input;
  const stage = STAGE_NAMES[from.stage];
  const who = actor.displayName;
  const base = { project, actionId: input.actionId };
  const reasons = input.reasons ? { zh: `意见：${input.reasons}`, en: `Opinion: ${input.reasons}` } : { zh: '', en: '' };
  if (DECIDED.has(action) || RETURNED.has(action)) {
    // The construction unit hears of a decision or a return, whatever state comes next.
    const told = new Set([project.createdBy, ...await usersInRole(trx, 'preparer', project.constructionUnitId)]);
    const kind: NotificationKind = DECIDED.has(action) ? 'decided' : 'returned';
    await notify(trx, now, actor.userId, told, {
      ...base, kind,
      title: { zh: `【${actionName.zh}】${project.name}`, en: `[${actionName.en}] ${project.name}` },
      body: {
        zh: `${who}对${stage.zh}作出“${actionName.zh}”。${reasons.zh}`.trim(),
        en: `${who}: ${actionName.en} (${stage.en}). ${reasons.en}`.trim(),
      },
    });
    if (DECIDED.has(action)) return;
  }
  if (action === 'withdraw') return;
  const owners = await workOwners(trx, project, to);
  if (owners.length === 0) return;
  const kind: NotificationKind = to.status === 'awaiting_signature' ? 'signatureRequested'
    : action === 'completeAssessment' ? 'assessed'
    : to.status === 'assessing' ? 'assessmentAssigned'
    : to.status === 'draft' || to.status === 'returned' ? 'returned'
    : 'submitted';
  if (kind === 'returned') return; // told above
  const toStage = STAGE_NAMES[to.stage];
  await notify(trx, now, actor.userId, owners, {
    ...base, kind,
    title: { zh: `【待办】${project.name}`, en: `[To do] ${project.name}` },
    body: {
      zh: `${who}已办理“${actionName.zh}”，${toStage.zh}等待您处理。`,
      en: `${who} took “${actionName.en}”; the ${toStage.en} stage is waiting for you.`,
    },
  });
}

// ——— the reader's inbox ———

export async function listNotifications(services: Services, actor: Actor, options: { unreadOnly: boolean; page: number; pageSize: number }) {
  const db = services.database.db;
  let q = db.selectFrom('notifications as n').where('n.user_id', '=', actor.userId);
  if (options.unreadOnly) q = q.where('n.read_at', 'is', null);
  const [rows, total, unread] = await Promise.all([
    // A notification is about a project or (第十条) a framework plan.
    q.leftJoin('projects as p', 'p.id', 'n.project_id').leftJoin('framework_plans as f', 'f.id', 'n.framework_id')
      .select(['n.id', 'n.kind', 'n.project_id', 'p.code', 'p.name', 'n.framework_id', 'f.name as framework_name', 'n.action_id', 'n.title_zh', 'n.title_en', 'n.body_zh', 'n.body_en', 'n.created_at', 'n.read_at'])
      .orderBy('n.created_at', 'desc').orderBy('n.id').limit(options.pageSize).offset((options.page - 1) * options.pageSize).execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('notifications').select(sql<string>`count(*)`.as('n')).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id, kind: r.kind, projectId: r.project_id, projectCode: r.code, projectName: r.name,
      frameworkId: r.framework_id, frameworkName: r.framework_name, actionId: r.action_id,
      title: { zh: r.title_zh, en: r.title_en }, body: { zh: r.body_zh, en: r.body_en },
      createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null,
    })),
    total: Number(total.n),
    unread: Number(unread.n),
  };
}

/** Marks one of the reader's notifications read; another user's is not found. */
export async function markRead(services: Services, actor: Actor, id: string): Promise<void> {
  const r = await services.database.db.updateTable('notifications').set({ read_at: sql`coalesce(read_at, ${services.now()})` })
    .where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw new AppError('resource.not_found');
}

export async function markAllRead(services: Services, actor: Actor): Promise<void> {
  await services.database.db.updateTable('notifications').set({ read_at: services.now() })
    .where('user_id', '=', actor.userId).where('read_at', 'is', null).execute();
}
