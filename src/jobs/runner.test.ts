import { PgBoss } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { checkpointJob, platformJobs, remindersJob, obligationsJob } from './definitions.ts';
import { JOBS_TIME_ZONE, schedulePlan } from './runner.ts';

describe('job schedules', () => {
  it('an interval below a minute is a local timer; from a minute up, an RRULE of whole minutes, rounded up', () => {
    expect(schedulePlan({ kind: 'every', seconds: 1 })).toEqual({ timerSeconds: 1 });
    expect(schedulePlan({ kind: 'every', seconds: 59 })).toEqual({ timerSeconds: 59 });
    expect(schedulePlan({ kind: 'every', seconds: 60 })).toEqual({ schedule: 'FREQ=MINUTELY;INTERVAL=1', missed: 'skip' });
    expect(schedulePlan({ kind: 'every', seconds: 61 })).toEqual({ schedule: 'FREQ=MINUTELY;INTERVAL=2', missed: 'skip' });
    expect(schedulePlan({ kind: 'every', seconds: 90 })).toEqual({ schedule: 'FREQ=MINUTELY;INTERVAL=2', missed: 'skip' });
    expect(schedulePlan({ kind: 'every', seconds: 86_400 })).toEqual({ schedule: 'FREQ=MINUTELY;INTERVAL=1440', missed: 'skip' });
    expect(schedulePlan({ kind: 'cron', expression: '30 8 * * *', missed: 'once' })).toEqual({ schedule: '30 8 * * *', missed: 'once' });
    expect(schedulePlan({ kind: 'onDemand' })).toBeNull();
  });

  it('pg-boss reads the RRULE as whole minutes anchored at Beijing midnight, and the reminders at 08:30 Beijing time', () => {
    // Never started: previewSchedule evaluates in process.
    const boss = new PgBoss('postgres://unused@127.0.0.1:1/unused');
    const from = new Date('2026-11-26T16:00:30Z'); // 00:00:30 on the 27th in Beijing
    expect(boss.previewSchedule('FREQ=MINUTELY;INTERVAL=2', { tz: JOBS_TIME_ZONE, from, count: 3 }).map((d) => d.toISOString()))
      .toEqual(['2026-11-26T16:02:00.000Z', '2026-11-26T16:04:00.000Z', '2026-11-26T16:06:00.000Z']);
    expect(boss.previewSchedule('30 8 * * *', { tz: JOBS_TIME_ZONE, from, count: 2 }).map((d) => d.toISOString()))
      .toEqual(['2026-11-27T00:30:00.000Z', '2026-11-28T00:30:00.000Z']);
  });

  it('GOVPROJ_CHECKPOINT_SECONDS keeps its meaning: 0 signs only at shutdown (no schedule), otherwise every so many seconds', () => {
    expect(checkpointJob({ checkpointIntervalMs: 0 }).trigger).toEqual({ kind: 'onDemand' });
    expect(checkpointJob({ checkpointIntervalMs: 60_000 }).trigger).toEqual({ kind: 'every', seconds: 60 });
    expect(checkpointJob({ checkpointIntervalMs: 1_000 }).trigger).toEqual({ kind: 'every', seconds: 1 });
  });

  it('scheduled jobs are singletons with a retry policy; every name is a distinct pg-boss queue', () => {
    const jobs = platformJobs({ checkpointIntervalMs: 60_000 });
    expect(jobs.map((j) => j.name)).toEqual(['audit.checkpoint', 'worklist.reminders', 'background.run', 'obligations.sweep', 'email.deliver']);
    for (const j of jobs.filter((x) => x.trigger.kind !== 'onDemand')) {
      expect(j.concurrency).toBe('singleton');
      expect(j.retry.limit).toBeGreaterThan(0);
    }
    expect(remindersJob.trigger).toEqual({ kind: 'cron', expression: '30 8 * * *', missed: 'once' });
    // The compliance sweep runs daily before the worklist reminders (第二十条, 第二十五条, 第二十七条).
    expect(obligationsJob.trigger).toEqual({ kind: 'cron', expression: '0 8 * * *', missed: 'once' });
  });
});
