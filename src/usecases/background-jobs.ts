// Long tasks a user starts (imports, exports) and the progress bar that follows them. A task is a
// background_jobs row (what the user reads) plus a pg-boss job on BACKGROUND_QUEUE that carries the
// row's id; the two are written in one transaction. Only the user who started a task sees it.
import { appendAuditEvent } from '../audit/writer.ts';
import type { Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, type Actor } from './actor.ts';

/** The pg-boss queue that runs background jobs (src/jobs/definitions.ts). */
export const BACKGROUND_QUEUE = 'background.run';

export type BackgroundStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What a kind's code gets while it runs. */
export interface BackgroundContext {
  id: string;
  /** The user who started the task: the kind acts on their behalf and within their scope. */
  createdBy: string;
  input: unknown;
  /** Records how far the task is; written at most once a second (and always at 100%). */
  progress(done: number, total: number): Promise<void>;
  /** Aborted when the server stops; the task is then tried once more after the restart. */
  signal: AbortSignal;
}

/** A kind of background job: a name (`<area>.<verb>`) and its code. */
export interface BackgroundKind {
  kind: string;
  /** Does the work and returns its result (kept as JSON); a throw marks the task failed. */
  run(services: Services, job: BackgroundContext): Promise<object | null>;
}

export interface BackgroundJob {
  id: string;
  kind: string;
  status: BackgroundStatus;
  /** 0–100. */
  progress: number;
  total: number | null;
  done: number;
  result: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const ERROR_LIMIT = 2000;
const PROGRESS_INTERVAL_MS = 1000;

function present(r: {
  id: string; kind: string; status: BackgroundStatus; progress: number; total: number | null; done: number; result: unknown;
  error: string | null; created_at: Date; started_at: Date | null; finished_at: Date | null;
}): BackgroundJob {
  return {
    id: r.id, kind: r.kind, status: r.status, progress: r.progress, total: r.total, done: r.done, result: r.result ?? null,
    error: r.error, createdAt: r.created_at.toISOString(), startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/**
 * Starts a task of `kind` for `actor`. The row and its job commit together (the job is sent through
 * the transaction); without a job runner in this process (GOVPROJ_JOBS=off, CLI) it answers 503.
 * `trx`: the caller's transaction, when the task belongs to a larger change.
 */
export async function startBackgroundJob(services: Services, actor: Actor, kind: string, input: object, trx?: Tx): Promise<BackgroundJob> {
  const jobs = services.jobs;
  if (!jobs) throw new AppError('service_unavailable');
  const start = async (t: Tx) => {
    const row = await insertJob(t, actor, kind, input);
    await jobs.send(BACKGROUND_QUEUE, { id: row.id }, { trx: t });
    return present(row);
  };
  return trx ? start(trx) : services.database.db.transaction().execute(start);
}

async function insertJob(t: Tx, actor: Actor, kind: string, input: object) {
  const row = await t.insertInto('background_jobs').values({ kind, created_by: actor.userId, input: JSON.stringify(input) })
    .returningAll().executeTakeFirstOrThrow();
  await appendAuditEvent(t, {
    actor: auditActorFor(actor, null), action: 'background_job.start', objectType: 'background_job', objectId: row.id,
    outcome: 'success', diff: { after: { kind } }, ...requestFacts(actor),
  });
  return row;
}

/**
 * Runs a task of `kind` at once, in the caller's request, as the same row (status, progress,
 * result, audit event) a queued task has: for small tasks whose answer the caller waits for, and
 * where no job runner runs (GOVPROJ_JOBS=off). Returns the finished task.
 */
export async function runBackgroundJobNow(services: Services, actor: Actor, kinds: readonly BackgroundKind[], kind: string, input: object): Promise<BackgroundJob> {
  const row = await services.database.db.transaction().execute((t) => insertJob(t, actor, kind, input));
  await runBackgroundJob(services, kinds, row.id, new AbortController().signal);
  return getBackgroundJob(services, actor, row.id);
}

/** The caller's own task; another user's, or none, is not found. */
export async function getBackgroundJob(services: Services, actor: Actor, id: string): Promise<BackgroundJob> {
  const row = await services.database.db.selectFrom('background_jobs').selectAll()
    .where('id', '=', id).where('created_by', '=', actor.userId).executeTakeFirst();
  if (!row) throw new AppError('resource.not_found');
  return present(row);
}

/**
 * Runs the task of row `id` with the code of its kind (called by the job runner). A finished task
 * is left alone (a duplicate delivery); a task found running was cut off and starts over.
 */
export async function runBackgroundJob(services: Services, kinds: readonly BackgroundKind[], id: string, signal: AbortSignal): Promise<BackgroundStatus | 'gone'> {
  const db = services.database.db;
  const row = await db.updateTable('background_jobs')
    .set({ status: 'running', started_at: services.now(), progress: 0, done: 0, error: null })
    .where('id', '=', id).where('status', 'in', ['queued', 'running'])
    .returning(['kind', 'created_by', 'input']).executeTakeFirst();
  if (!row) return 'gone';
  const finish = async (status: 'succeeded' | 'failed', values: { progress?: number; result?: string | null; error?: string | null }) => {
    await db.updateTable('background_jobs').set({ status, finished_at: services.now(), ...values })
      .where('id', '=', id).execute();
    return status;
  };
  const kind = kinds.find((k) => k.kind === row.kind);
  if (!kind) return finish('failed', { error: `unknown kind ${row.kind}` });
  let lastWrite = 0;
  const progress = async (done: number, total: number) => {
    const percent = total > 0 ? Math.min(100, Math.max(0, Math.floor((done * 100) / total))) : 0;
    const now = Date.now();
    if (percent < 100 && lastWrite !== 0 && now - lastWrite < PROGRESS_INTERVAL_MS) return;
    lastWrite = now;
    await db.updateTable('background_jobs').set({ done: Math.max(0, Math.floor(done)), total: Math.max(0, Math.floor(total)), progress: percent })
      .where('id', '=', id).execute();
  };
  try {
    const result = await kind.run(services, { id, createdBy: row.created_by, input: row.input, progress, signal });
    return await finish('succeeded', { progress: 100, result: result === null ? null : JSON.stringify(result), error: null });
  } catch (err) {
    // Cut off by a shutdown: leave the row running for the retry to start over.
    if (signal.aborted) throw err;
    return finish('failed', { error: (err instanceof Error ? err.message : String(err)).slice(0, ERROR_LIMIT) });
  }
}
