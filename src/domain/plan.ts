// 第六条 plans as pure types and rules (no I/O): the national government-informatization
// construction plan (国家政务信息化建设规划) and the departments' plans that link to it.

/** 规划层级: the national plan (approved by the State Council) or a department's plan. */
export const PLAN_LEVELS = ['national', 'department'] as const;
export type PlanLevel = (typeof PLAN_LEVELS)[number];

/** 规划状态: a draft is edited freely; an approved plan changes only by adjustment. */
export const PLAN_STATUSES = ['draft', 'approved'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/**
 * 调整原因类别. 第六条 names the case of 内外部发展环境发生重大变化; a change required by the
 * deployment of 党中央、国务院 is the other usual reason; anything else is 'other'. The
 * evaluation (评估论证) is required whatever the category.
 */
export const ADJUSTMENT_REASONS = ['circumstances_changed', 'central_deployment', 'other'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export const ADJUSTMENT_REASON_NAMES: Readonly<Record<AdjustmentReason, { zh: string; en: string }>> = {
  circumstances_changed: { zh: '内外部发展环境发生重大变化', en: 'Major change of internal or external circumstances' },
  central_deployment: { zh: '党中央、国务院部署要求', en: 'Deployment by the Party Central Committee and the State Council' },
  other: { zh: '其他', en: 'Other' },
};

/** How a version came about: the approval of the plan, or an adjustment of it. */
export type PlanVersionSource = 'approval' | 'adjustment';

/** One task as it stands in a version. */
export interface SnapshotTask {
  id: string;
  code: string;
  title: string;
  description: string;
  parentTaskId: string | null;
  sortOrder: number;
}

/**
 * A plan version: the plan and the tasks in force, and the approval that made this version
 * (the plan's approval for version 1, the adjustment's approval afterwards).
 */
export interface PlanSnapshot {
  plan: {
    id: string;
    level: PlanLevel;
    parentPlanId: string | null;
    organizationId: string;
    organizationName: string;
    name: string;
    periodStartYear: number;
    periodEndYear: number;
  };
  approval: { approvedOn: string; approvalDocumentNumber: string | null };
  tasks: SnapshotTask[];
}

type PlanFields = PlanSnapshot['plan'];
type TaskFields = Omit<SnapshotTask, 'id'>;

/** What changed between two versions: the basis of an adjustment record and its audit event. */
export interface SnapshotDiff {
  plan: { before: Partial<PlanFields>; after: Partial<PlanFields> };
  added: SnapshotTask[];
  withdrawn: SnapshotTask[];
  changed: Array<{ id: string; code: string; before: Partial<TaskFields>; after: Partial<TaskFields> }>;
}

function changed<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/** The differences between two snapshots of the same plan (the approval part is ignored). */
export function diffSnapshots(before: PlanSnapshot, after: PlanSnapshot): SnapshotDiff {
  const old = new Map(before.tasks.map((t) => [t.id, t]));
  const now = new Map(after.tasks.map((t) => [t.id, t]));
  const diff: SnapshotDiff = { plan: changed(before.plan, after.plan), added: [], withdrawn: [], changed: [] };
  for (const t of after.tasks) {
    const prev = old.get(t.id);
    if (!prev) {
      diff.added.push(t);
      continue;
    }
    const { id: _a, ...p } = prev;
    const { id: _b, ...n } = t;
    const c = changed<TaskFields>(p, n);
    if (Object.keys(c.after).length > 0) diff.changed.push({ id: t.id, code: t.code, ...c });
  }
  for (const t of before.tasks) if (!now.has(t.id)) diff.withdrawn.push(t);
  return diff;
}

/** True when the two snapshots hold the same plan fields and tasks. */
export function isEmptyDiff(diff: SnapshotDiff): boolean {
  return Object.keys(diff.plan.after).length === 0 && diff.added.length === 0 && diff.withdrawn.length === 0 && diff.changed.length === 0;
}

// Built once: constructing an Intl.DateTimeFormat costs tens of microseconds, and the worklist
// and open-data lists call shanghaiDate for every row (issue 7 profile).
const SHANGHAI_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar date in Asia/Shanghai (YYYY-MM-DD). */
export function shanghaiDate(now: Date): string {
  return SHANGHAI_DATE.format(now);
}

/** The evaluation (评估论证) of an adjustment must say something: not blank, not only whitespace. */
export function isBlank(text: string | null | undefined): boolean {
  return text === null || text === undefined || text.trim().length === 0;
}
