-- Background jobs and worklist reminders (SPEC §11). The job runner (pg-boss) keeps its queue in
-- its own schema, pgboss, which it creates and migrates itself; this migration holds only what
-- the platform owns.

-- A long task a user started (an import, an export): what the progress bar reads. The pg-boss job
-- that runs it carries only this row's id.
create table background_jobs (
  id          uuid primary key default gen_random_uuid(),
  kind        text not null check (kind ~ '^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$'),
  created_by  uuid not null references users(id),
  status      text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  progress    smallint not null default 0 check (progress between 0 and 100),
  total       integer check (total >= 0),
  done        integer not null default 0 check (done >= 0),
  input       jsonb not null default '{}',
  result      jsonb,
  error       text,
  created_at  timestamptz not null default now(),
  started_at  timestamptz,
  finished_at timestamptz,
  check ((status in ('succeeded', 'failed')) = (finished_at is not null))
);
create index background_jobs_creator_idx on background_jobs (created_by, created_at desc);

-- A reminder (kinds dueSoon, overdue) names the lifecycle state and the Shanghai calendar day it
-- is for; at most one per user, project, state and day, so a retried reminder run writes nothing twice.
alter table notifications add column reminder_state text, add column reminder_on date;
alter table notifications add constraint notifications_reminder_key
  check ((reminder_state is null) = (reminder_on is null));
create unique index notifications_reminder_once on notifications (user_id, project_id, reminder_state, reminder_on)
  where reminder_on is not null;
