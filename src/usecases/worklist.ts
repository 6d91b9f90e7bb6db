// 我的待办 (SPEC §11): the projects that wait on the caller, with the actions owed and the due
// date from the handling periods of the rule settings (第三十四条) of each project's approval
// department. One query per role the caller holds; at most WORKLIST_LIMIT items.
import { sql } from 'kysely';
import { resolveAccess, type RoleCode } from '../domain/authz.ts';
import { ACTION_NAMES, stateName, TRANSITIONS, type LifecycleState, type Track } from '../domain/lifecycle.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { daysBetween, deadlineRule, dueDate, workActions, workStatuses } from '../domain/worklist.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import { visible } from './projects.ts';
import { ruleBook, type RuleBook } from './rule-settings.ts';

const WORKLIST_LIMIT = 500;

export interface WorkItem {
  projectId: string;
  projectCode: string;
  projectName: string;
  constructionUnitName: string;
  approvalDepartmentName: string;
  track: Track;
  stage: string;
  status: string;
  stateName: { zh: string; en: string };
  role: RoleCode;
  actions: Array<{ action: string; name: { zh: string; en: string } }>;
  since: string;
  /** Null for a draft nobody has submitted: it has no handling period. */
  dueDate: string | null;
  daysLeft: number | null;
  overdue: boolean;
}

interface Row {
  id: string; code: string; name: string; unit_name: string; department_name: string; approval_department_id: string;
  track: Track; stage: string; status: string; since: Date;
}

/** SQL over a project `p`: when it entered its current state (its latest action, or its creation). */
export const stateSince = sql<Date>`coalesce((select max(a.created_at) from project_actions a where a.project_id = p.id), p.created_at)`;

/**
 * The due date (YYYY-MM-DD, Asia/Shanghai) of a project's current state, which began at `since`:
 * the handling period in force for its approval department (第三十四条); null without one.
 */
export async function stateDueDate(book: RuleBook, state: Pick<LifecycleState, 'track' | 'status'>, approvalDepartmentId: string, since: Date): Promise<string | null> {
  const rule = deadlineRule(state);
  return rule ? dueDate(since, Number((await book.valueFor(rule, approvalDepartmentId)).value)) : null;
}

/** The work waiting on the caller, soonest due first (undated drafts last). */
export async function worklist(services: Services, actor: Actor): Promise<WorkItem[]> {
  const db = services.database.db;
  const today = shanghaiDate(services.now());
  const book = await ruleBook(db, today);
  const items = new Map<string, WorkItem>();
  for (const assignment of actor.roles) {
    const role = assignment.role;
    const statuses = workStatuses(role);
    const permission = TRANSITIONS.find((t) => t.roles.includes(role))?.permission;
    if (statuses.length === 0 || !permission) continue;
    // The scope this role alone gives (a second role never widens another's work).
    const access = resolveAccess({ userId: actor.userId, organizationIds: actor.organizationIds, roles: [assignment] }, permission);
    if (!access.allowed) continue;
    const states = sql.join(statuses.map((s) => sql`(${s.track}, ${s.status})`));
    const extra = role === 'preparer'
      // A draft is the work of whoever started it; a returned project, of the whole unit.
      ? sql<boolean>`(p.status <> 'draft' or p.created_by = ${actor.userId}::uuid)`
      : role === 'reviewer'
        // 改派审核人: once a reviewer is assigned, the work is theirs alone.
        ? sql<boolean>`coalesce((select a.user_id = ${actor.userId}::uuid from project_assignments a
            where a.project_id = p.id and a.kind = 'reviewer' order by a.seq desc limit 1), true)`
        : role === 'assessor'
          // The entrusted 咨询评估单位 is the current one.
          ? sql<boolean>`(select a.organization_id = any(${[...actor.organizationIds]}::uuid[]) from project_assignments a
              where a.project_id = p.id and a.kind = 'assessor' order by a.seq desc limit 1)`
          : sql<boolean>`true`;
    const rows = await sql<Row>`
      select p.id, p.code, p.name, u.name as unit_name, d.name as department_name, p.approval_department_id,
        p.track, p.stage, p.status,
        ${stateSince} as since
      from projects p join organizations u on u.id = p.construction_unit_id join organizations d on d.id = p.approval_department_id
      where (p.track, p.status) in (${states}) and ${visible(access.scope)} and ${extra}
      order by since limit ${WORKLIST_LIMIT}`.execute(db);
    for (const r of rows.rows) {
      if (items.has(r.id)) continue;
      const state = { track: r.track, stage: r.stage, status: r.status } as LifecycleState;
      const actions = workActions(state, role);
      if (actions.length === 0) continue;
      const due = await stateDueDate(book, state, r.approval_department_id, r.since);
      const left = due === null ? null : daysBetween(today, due);
      items.set(r.id, {
        projectId: r.id, projectCode: r.code, projectName: r.name, constructionUnitName: r.unit_name,
        approvalDepartmentName: r.department_name, track: r.track, stage: r.stage, status: r.status,
        stateName: stateName(state), role, actions: actions.map((a) => ({ action: a, name: ACTION_NAMES[a] })),
        since: r.since.toISOString(), dueDate: due, daysLeft: left, overdue: left !== null && left < 0,
      });
    }
  }
  return [...items.values()].sort((a, b) =>
    (a.dueDate ?? '9999-12-31').localeCompare(b.dueDate ?? '9999-12-31') || a.since.localeCompare(b.since)).slice(0, WORKLIST_LIMIT);
}
