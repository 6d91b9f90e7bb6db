// The platform's jobs. Each is a typed definition the runner (runner.ts) turns into a pg-boss queue,
// a schedule and a worker; the work itself is a use case or the audit module, as for a request.
import type { Config } from '../config.ts';
import { signCheckpoint } from '../audit/checkpoint-file.ts';
import { BACKGROUND_QUEUE, runBackgroundJob, type BackgroundKind } from '../usecases/background-jobs.ts';
import { IMPORT_JOB_KINDS } from '../usecases/imports.ts';
import { sendReminders } from '../usecases/reminders.ts';
import { deliverEmails } from '../usecases/email-outbox.ts';
import { sweepAll } from '../usecases/obligations.ts';
import { defineJob, type JobDefinition } from './runner.ts';

/**
 * 第三十一条 (audit): signs a checkpoint over the chains that grew, every GOVPROJ_CHECKPOINT_SECONDS.
 * A singleton queue, and createCheckpoint takes a transaction-level advisory lock as well, so two
 * server processes on one PostgreSQL never sign at once.
 */
export function checkpointJob(config: Pick<Config, 'checkpointIntervalMs'>): JobDefinition {
  return defineJob({
    name: 'audit.checkpoint',
    title: { zh: '签署审计检查点', en: 'Sign an audit checkpoint' },
    trigger: config.checkpointIntervalMs > 0 ? { kind: 'every', seconds: Math.round(config.checkpointIntervalMs / 1000) } : { kind: 'onDemand' },
    // A failure (the database away) is retried soon; the next run covers the same chains anyway.
    retry: { limit: 2, delaySeconds: 5, backoff: true },
    // Short: the attempt of a process killed mid-run holds the singleton until it times out.
    timeoutSeconds: 120,
    concurrency: 'singleton',
    async run(services) {
      const c = await signCheckpoint(services);
      return c ? { checkpointId: c.id, entryCount: c.entryCount } : { checkpointId: null, entryCount: 0 };
    },
  });
}

/** SPEC §11 reminders (in-app): every day at 08:30 Beijing time; after an outage, once on the way up. */
export const remindersJob: JobDefinition = defineJob({
  name: 'worklist.reminders',
  title: { zh: '待办到期提醒', en: 'Worklist due-date reminders' },
  trigger: { kind: 'cron', expression: '30 8 * * *', missed: 'once' },
  // Idempotent per (user, project, state, day), so a retry after a partial run only fills the gaps.
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  timeoutSeconds: 1800,
  concurrency: 'singleton',
  async run(services, job) {
    return { ...await sendReminders(services, job.id) };
  },
});

/**
 * The compliance sweep (第十四条, 第十五条, 第二十条, 第二十五条, 第二十七条): every obligation of every
 * project and system recomputed, today's reminders raised, then the queued emails delivered. Daily
 * at 08:00 Beijing time, before the worklist reminders; after an outage, once on the way up.
 */
export const obligationsJob: JobDefinition = defineJob({
  name: 'obligations.sweep',
  title: { zh: '履约期限扫描与提醒', en: 'Obligation sweep and reminders' },
  trigger: { kind: 'cron', expression: '0 8 * * *', missed: 'once' },
  // Idempotent: the sweep writes only what changed and a reminder is claimed once per day.
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  timeoutSeconds: 1800,
  concurrency: 'singleton',
  async run(services, job) {
    const run = await sweepAll(services, job.id);
    const mail = await deliverEmails(services);
    return { ...run, emailsSent: mail.sent, emailsFailed: mail.failed };
  },
});

/** SPEC §11: delivers queued email every minute (a message queued by a use case goes out within one). */
export const emailJob: JobDefinition = defineJob({
  name: 'email.deliver',
  title: { zh: '发送邮件', en: 'Deliver email' },
  trigger: { kind: 'every', seconds: 60 },
  retry: { limit: 1, delaySeconds: 30, backoff: false },
  timeoutSeconds: 600,
  concurrency: 'singleton',
  async run(services) {
    return { ...await deliverEmails(services) };
  },
});

/**
 * Runs the long tasks users start (imports, exports): the job carries the id of a background_jobs
 * row, whose kind picks the code. One retry, for an attempt cut off by a shutdown or a crash; a
 * task that fails by itself is recorded as failed and not retried.
 */
export function backgroundJob(kinds: readonly BackgroundKind[]): JobDefinition {
  return defineJob<{ id: string }>({
    name: BACKGROUND_QUEUE,
    title: { zh: '后台任务', en: 'Background task' },
    trigger: { kind: 'onDemand' },
    retry: { limit: 1, delaySeconds: 30, backoff: false },
    timeoutSeconds: 3600,
    concurrency: 'parallel',
    // A user waits on it: look for new tasks every second.
    pollSeconds: 1,
    async run(services, job) {
      return { status: await runBackgroundJob(services, kinds, job.data.id, job.signal) };
    },
  });
}

/** The kinds of background job this release has: the imports (import.systems, import.resources). */
export const BACKGROUND_KINDS: readonly BackgroundKind[] = [...IMPORT_JOB_KINDS];

/** Every job of the platform under `config`. */
export function platformJobs(config: Pick<Config, 'checkpointIntervalMs'>, kinds: readonly BackgroundKind[] = BACKGROUND_KINDS): JobDefinition[] {
  return [checkpointJob(config), remindersJob, backgroundJob(kinds), obligationsJob, emailJob];
}
