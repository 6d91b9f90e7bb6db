// Reminders (in-app), SPEC §11: once a day (the job worklist.reminders, 08:30 Asia/Shanghai) every
// project whose current state is due tomorrow or overdue tells the people it waits on. The due date
// and the recipients are the worklist's and the notifications' own (stateDueDate, workOwners).
// A recipient gets at most one reminder per project, state and day (a unique index), so a retried
// or repeated run writes nothing twice; each run writes one audit event with its counts.
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/writer.ts';
import { stateName, type LifecycleState, type Track } from '../domain/lifecycle.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { daysBetween, deadlineStatuses, reminderKind } from '../domain/worklist.ts';
import type { Services } from '../services.ts';
import { auditActorFor, systemActor } from './actor.ts';
import { notify, workOwners, type ProjectRouting } from './notifications.ts';
import { ruleBook } from './rule-settings.ts';
import { stateDueDate, stateSince } from './worklist.ts';

export interface ReminderRun {
  /** The Shanghai calendar day the run was for. */
  day: string;
  /** Projects due tomorrow / overdue today. */
  dueSoonProjects: number;
  overdueProjects: number;
  /** Notifications written by this run (reminders already sent today are not counted). */
  notificationsWritten: number;
}

interface Row {
  id: string; name: string; construction_unit_id: string; approval_department_id: string; created_by: string;
  track: Track; stage: string; status: string; since: Date;
}

/** Writes today's reminders; `runId` (the job's id) is recorded as the audit event's request id. */
export async function sendReminders(services: Services, runId: string | null = null): Promise<ReminderRun> {
  const db = services.database.db;
  const now = services.now();
  const day = shanghaiDate(now);
  const book = await ruleBook(db, day);
  const states = sql.join(deadlineStatuses().map((s) => sql`(${s.track}, ${s.status})`));
  const rows = await sql<Row>`
    select p.id, p.name, p.construction_unit_id, p.approval_department_id, p.created_by, p.track, p.stage, p.status,
      ${stateSince} as since
    from projects p where (p.track, p.status) in (${states}) order by p.id`.execute(db);
  const system = systemActor();
  const run: ReminderRun = { day, dueSoonProjects: 0, overdueProjects: 0, notificationsWritten: 0 };
  for (const r of rows.rows) {
    const state = { track: r.track, stage: r.stage, status: r.status } as LifecycleState;
    const due = await stateDueDate(book, state, r.approval_department_id, r.since);
    const kind = reminderKind(day, due);
    if (kind === null || due === null) continue;
    if (kind === 'dueSoon') run.dueSoonProjects++;
    else run.overdueProjects++;
    const project: ProjectRouting = {
      id: r.id, name: r.name, constructionUnitId: r.construction_unit_id, approvalDepartmentId: r.approval_department_id, createdBy: r.created_by,
    };
    const owners = await workOwners(db, project, state);
    if (owners.length === 0) continue;
    const name = stateName(state);
    const late = -daysBetween(day, due);
    // One small transaction per project, so a long run never holds the (PGlite) connection for long.
    run.notificationsWritten += await db.transaction().execute((trx) => notify(trx, now, system.userId, owners, {
      kind, project, actionId: null,
      reminder: { state: `${r.track}.${r.stage}.${r.status}`, day },
      title: kind === 'dueSoon'
        ? { zh: `【明日到期】${r.name}`, en: `[Due tomorrow] ${r.name}` }
        : { zh: `【已逾期】${r.name}`, en: `[Overdue] ${r.name}` },
      body: kind === 'dueSoon'
        ? { zh: `${name.zh}的办理时限为${due}，请及时办理。`, en: `${name.en} is due on ${due}; please act on it.` }
        : { zh: `${name.zh}的办理时限为${due}，已逾期${late}日，请尽快办理。`, en: `${name.en} was due on ${due}, ${late} day(s) ago; please act on it.` },
    }));
  }
  await db.transaction().execute((trx) => appendAuditEvent(trx, {
    actor: auditActorFor(system, null), action: 'worklist.reminders', objectType: 'job', objectId: 'worklist.reminders',
    outcome: 'success', diff: { after: { ...run } }, requestId: runId, clientAddress: 'job',
  }));
  return run;
}
