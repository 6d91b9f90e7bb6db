// The job runner: pg-boss 12 on the platform's own database, for schedules (audit checkpoints,
// worklist reminders) and background work (long tasks a user started). Jobs are typed definitions
// (src/jobs/definitions.ts): a name (the pg-boss queue), a trigger, a retry policy and a handler.
//
// Both engines: on PostgreSQL pg-boss has a small pool of its own from DATABASE_URL; on PGlite it
// shares the app's one PGlite instance through pg-boss's fromPglite adapter over a session whose
// every statement takes the app's connection mutex (src/db/database.ts), so a pg-boss statement
// never lands inside an app transaction. Its tables live in the schema `pgboss`, which pg-boss
// creates and migrates itself and which the logical backup leaves out (jobs are transient).
import { PgBoss, fromKysely, fromPglite, type ConstructorOptions } from 'pg-boss';
import { sql } from 'kysely';
import type { Database, Executor, Tx } from '../db/database.ts';
import type { Services } from '../services.ts';

/** The schema of pg-boss's tables. */
export const JOBS_SCHEMA = 'pgboss';
/** Schedules are read as Beijing time. */
export const JOBS_TIME_ZONE = 'Asia/Shanghai';
/** How long a stop waits for running jobs before pg-boss fails them (to be retried later). */
export const JOBS_STOP_TIMEOUT_MS = 10_000;

/**
 * When a job runs besides being sent on demand:
 * - `cron`: a cron expression or an RFC 5545 RRULE, read in Asia/Shanghai; `missed: 'once'` sends
 *   one catch-up job after an outage that skipped occurrences.
 * - `every`: a fixed interval (see {@link schedulePlan} for how it becomes a schedule).
 * - `onDemand`: only when sent.
 */
export type JobTrigger =
  | { kind: 'cron'; expression: string; missed: 'skip' | 'once' }
  | { kind: 'every'; seconds: number }
  | { kind: 'onDemand' };

export interface RunningJob<D> {
  id: string;
  data: D;
  /** 0 on the first attempt. */
  retryCount: number;
  /** Aborted when the runner stops before the job has finished. */
  signal: AbortSignal;
}

export interface JobDefinition<D extends object = object> {
  /** The pg-boss queue, `<area>.<verb>`. */
  readonly name: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly trigger: JobTrigger;
  /** Attempts after the first, and the delay before each (doubling with `backoff`). */
  readonly retry: { readonly limit: number; readonly delaySeconds: number; readonly backoff: boolean };
  /** How long one attempt may run before pg-boss counts it failed (and retries it). */
  readonly timeoutSeconds: number;
  /**
   * `singleton`: at most one job queued or running in the whole installation, however many server
   * processes share the database (pg-boss's `exclusive` policy; a send meanwhile is dropped).
   */
  readonly concurrency: 'singleton' | 'parallel';
  /** How often an idle worker looks for a job, in seconds (≥ 0.5; default 2). */
  readonly pollSeconds?: number;
  /** Does the work; a throw fails the attempt (retried per `retry`). The value is kept as the job's output. */
  run(services: Services, job: RunningJob<D>): Promise<object | null | void>;
}

/** Typed constructor: checks `run` against the job's data type. */
export function defineJob<D extends object>(definition: JobDefinition<D>): JobDefinition {
  return definition as unknown as JobDefinition;
}

/**
 * How a trigger becomes a pg-boss schedule. pg-boss evaluates schedules once per cron pass at whole
 * minutes, so a fixed interval of a minute or more is an RRULE of whole minutes (rounded up, e.g.
 * 90 s runs every 2 minutes), anchored at midnight Beijing time; below a minute a local timer sends
 * the job instead (the work still runs as the pg-boss job, with its retry and singleton policy).
 */
export function schedulePlan(trigger: JobTrigger): { schedule: string; missed: 'skip' | 'once' } | { timerSeconds: number } | null {
  switch (trigger.kind) {
    case 'onDemand':
      return null;
    case 'cron':
      return { schedule: trigger.expression, missed: trigger.missed };
    case 'every':
      if (trigger.seconds < 60) return { timerSeconds: trigger.seconds };
      return { schedule: `FREQ=MINUTELY;INTERVAL=${Math.ceil(trigger.seconds / 60)}`, missed: 'skip' };
  }
}

/** Where the runner logs (pino's shape). */
export interface JobLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What use cases see of the runner: sending a job. */
export interface JobQueue {
  /**
   * Sends a job now and returns its id (null when a singleton job is already queued or running).
   * Inside a transaction pass it, so the job exists only if the transaction commits: the insert
   * then goes through the transaction's own connection (never the runner's, which on PGlite would
   * wait for the transaction itself).
   */
  send(name: string, data: object, options?: { trx?: Tx }): Promise<string | null>;
}

export interface JobRunner extends JobQueue {
  readonly boss: PgBoss;
  readonly definitions: readonly JobDefinition[];
  /** Stops timers and schedules in this process, waits up to `timeoutMs` for running jobs, then fails them. */
  stop(timeoutMs?: number): Promise<void>;
}

/** A pg-boss instance on the platform's database (not started). */
export function pgBossFor(database: Database, extra: Partial<ConstructorOptions> = {}): PgBoss {
  const common: ConstructorOptions = { schema: JOBS_SCHEMA, instanceName: 'govproj', ...extra };
  return database.shared.kind === 'pglite'
    // No index rebuilds on PGlite: a REINDEX would hold the app's one connection for its duration.
    ? new PgBoss({ ...common, db: fromPglite(database.shared.session), backend: 'pglite', reindex: false })
    // A few connections: pg-boss polls and settles jobs; the work itself uses the app's pool.
    : new PgBoss({ ...common, connectionString: database.shared.url, max: 3 });
}

/**
 * Starts pg-boss on the platform's database (installing or migrating its schema), creates each
 * job's queue, (re)writes its schedule, and starts a worker per job. Schedules are rows shared by
 * every process on the database: the last process to start writes them, so run every process with
 * the same settings.
 */
export async function startJobs(services: Services, definitions: readonly JobDefinition[], log: JobLog): Promise<JobRunner> {
  const boss = pgBossFor(services.database);
  boss.on('error', (err) => log.warn({ err }, 'job runner error'));
  boss.on('warning', (warning) => log.warn({ warning }, 'job runner warning'));
  await boss.start();
  const timers: NodeJS.Timeout[] = [];
  const stop = async (timeoutMs = JOBS_STOP_TIMEOUT_MS) => {
    for (const t of timers.splice(0)) clearInterval(t);
    await boss.stop({ graceful: true, timeout: timeoutMs });
  };
  try {
    for (const definition of definitions) {
      const options = {
        retryLimit: definition.retry.limit, retryDelay: definition.retry.delaySeconds, retryBackoff: definition.retry.backoff,
        expireInSeconds: definition.timeoutSeconds,
      };
      // createQueue leaves an existing queue as it is; updateQueue brings its retry policy up to date.
      await boss.createQueue(definition.name, { policy: definition.concurrency === 'singleton' ? 'exclusive' : 'standard', ...options });
      await boss.updateQueue(definition.name, options);
      const workerId = await boss.work<object>(definition.name, {
        batchSize: 1, localConcurrency: definition.concurrency === 'singleton' ? 1 : 2, pollingIntervalSeconds: definition.pollSeconds ?? 2,
      },
        async ([job]) => {
          if (!job) return null;
          const started = Date.now();
          try {
            const output = await definition.run(services, { id: job.id, data: job.data, retryCount: job.retryCount, signal: job.signal });
            log.debug({ job: definition.name, id: job.id, ms: Date.now() - started }, 'job done');
            return output ?? null;
          } catch (err) {
            log.warn({ err, job: definition.name, id: job.id, attempt: job.retryCount + 1 }, 'job failed');
            throw err;
          }
        });
      const plan = schedulePlan(definition.trigger);
      if (plan && 'schedule' in plan) {
        await boss.schedule(definition.name, plan.schedule, null, { tz: JOBS_TIME_ZONE, missed: plan.missed });
      } else {
        // No schedule (any more): a row left by an earlier configuration must not keep firing.
        await boss.unschedule(definition.name);
      }
      if (plan && 'timerSeconds' in plan) {
        const timer = setInterval(() => {
          boss.send(definition.name, {}).then(() => boss.notifyWorker(workerId), (err: unknown) => log.warn({ err, job: definition.name }, 'job send failed'));
        }, plan.timerSeconds * 1000);
        timer.unref();
        timers.push(timer);
      }
    }
  } catch (err) {
    await stop(0).catch(() => null);
    throw err;
  }
  return {
    boss, definitions, stop,
    send: (name, data, options) => boss.send(name, data, options?.trx ? { db: fromKysely(options.trx) } : {}),
  };
}

export interface JobsOverview {
  /** False when pg-boss never ran on this database (no `pgboss` schema). */
  installed: boolean;
  schedules: Array<{ name: string; schedule: string; timezone: string; lastJobId: string | null }>;
  /** Per queue: jobs by state (as pg-boss keeps them, 7 days by default) and the latest job. */
  queues: Array<{
    name: string; states: Record<string, number>;
    latest: { id: string; state: string; createdOn: Date; startedOn: Date | null; completedOn: Date | null; retryCount: number; output: unknown } | null;
  }>;
}

/**
 * Schedules and recent job states, read from pg-boss's tables (`govproj jobs`). Plain SQL, so it
 * needs no running pg-boss instance: the columns read are those of pg-boss's documented job table.
 */
export async function jobsOverview(db: Executor): Promise<JobsOverview> {
  const installed = await sql<{ n: string }>`select count(*) as n from information_schema.tables
    where table_schema = ${JOBS_SCHEMA} and table_name in ('schedule', 'job')`.execute(db);
  if (Number(installed.rows[0]!.n) < 2) return { installed: false, schedules: [], queues: [] };
  const schedules = await sql<{ name: string; cron: string; timezone: string; last_job_id: string | null }>`
    select name, cron, timezone, last_job_id::text from pgboss.schedule order by name, key`.execute(db);
  const counts = await sql<{ name: string; state: string; n: string }>`
    select name, state::text, count(*) as n from pgboss.job where name not like '\\_\\_pgboss%' group by name, state order by name, state`.execute(db);
  const latest = await sql<{ id: string; name: string; state: string; created_on: Date; started_on: Date | null; completed_on: Date | null; retry_count: number; output: unknown }>`
    select distinct on (name) id::text, name, state::text, created_on, started_on, completed_on, retry_count, output
    from pgboss.job where name not like '\\_\\_pgboss%' order by name, created_on desc`.execute(db);
  const queues = new Map<string, JobsOverview['queues'][number]>();
  for (const c of counts.rows) {
    const q = queues.get(c.name) ?? { name: c.name, states: {}, latest: null };
    q.states[c.state] = Number(c.n);
    queues.set(c.name, q);
  }
  for (const l of latest.rows) {
    const q = queues.get(l.name);
    if (q) q.latest = { id: l.id, state: l.state, createdOn: l.created_on, startedOn: l.started_on, completedOn: l.completed_on, retryCount: l.retry_count, output: l.output };
  }
  return {
    installed: true,
    schedules: schedules.rows.map((s) => ({ name: s.name, schedule: s.cron, timezone: s.timezone, lastJobId: s.last_job_id })),
    queues: [...queues.values()],
  };
}
