-- The deadline engine (第十四条, 第十五条, 第二十条, 第二十五条, 第二十七条; SPEC §11), email
-- reminders and versioned rule settings (第三十四条, SPEC §12).

-- 第三十四条: a change of a setting is a new version that takes effect on a calendar date (today or
-- later); earlier versions are kept. The value in force on a date is the latest version effective
-- on or before it (ties: the later row). Rows written before versions existed count from the
-- beginning ('0001-01-01', shown as 自始有效).
alter table rule_settings add column effective_from date not null default '0001-01-01';
alter table rule_settings alter column effective_from drop default;
drop index rule_settings_key_idx;
create index rule_settings_key_idx on rule_settings (key, organization_id, effective_from desc, seq desc);

-- Every obligation of every project and system, as the sweep (src/usecases/obligations.ts) last
-- computed it from the records and the rule settings in force. A project's obligations are keyed
-- by (project, kind, period: the year of an annual report, '' otherwise); a system's by (system,
-- kind). `rule_values` are the settings the due date was computed with; a done obligation is
-- never recomputed, so it keeps the values it was discharged under.
create table obligations (
  id                      uuid primary key default gen_random_uuid(),
  subject_type            text not null check (subject_type in ('project', 'system')),
  -- project_id or system_id, whichever the subject is (the conflict key of the sweep).
  subject_id              uuid not null,
  project_id              uuid references projects(id),
  system_id               uuid references government_systems(id) on delete cascade,
  kind                    text not null check (kind in
                            ('acceptanceApplication', 'annualReport', 'selfEvaluation', 'securityTest', 'cryptoAssessment')),
  period                  text not null default '',
  -- Who owes it: the construction unit, or the organization whose catalog lists the system.
  organization_id         uuid not null references organizations(id),
  -- The project's approval department (data scope of the calendar; null for systems).
  approval_department_id  uuid references organizations(id),
  -- 第二十七条: the first day a self-evaluation is taken (null for other kinds).
  opens_on                date,
  due_on                  date not null,
  status                  text not null check (status in ('notDue', 'dueSoon', 'dueToday', 'overdue', 'done')),
  done_on                 date,
  rule_values             jsonb not null,
  swept_on                date not null,
  created_at              timestamptz not null,
  updated_at              timestamptz not null,
  unique (subject_id, kind, period),
  check ((subject_type = 'project') = (project_id is not null and subject_id = project_id)),
  check ((subject_type = 'system') = (system_id is not null and subject_id = system_id)),
  check ((status = 'done') = (done_on is not null))
);
create index obligations_org_due_idx on obligations (organization_id, due_on);
create index obligations_department_due_idx on obligations (approval_department_id, due_on) where approval_department_id is not null;
create index obligations_due_idx on obligations (due_on);
create index obligations_open_idx on obligations (status) where status in ('dueSoon', 'dueToday', 'overdue');

-- Who was reminded of what (I-58): one row per obligation, kind of reminder and Shanghai day,
-- claimed with INSERT … ON CONFLICT DO NOTHING in the transaction that writes the notifications
-- and queues the emails, so two server processes sweeping at once remind once.
create table obligation_reminders (
  obligation_id  uuid not null references obligations(id) on delete cascade,
  kind           text not null check (kind in ('dueSoon', 'dueToday', 'overdue')),
  day            date not null,
  created_at     timestamptz not null,
  primary key (obligation_id, kind, day)
);

-- SPEC §11: reminders by email when SMTP is configured. The address is optional per user.
alter table users add column email text check (email is null or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$');

-- Outgoing email, queued in the transaction that decides to send it and delivered after commit
-- by whichever process leases it first (lease_until), so no two processes send the same row.
create table email_outbox (
  id            uuid primary key default gen_random_uuid(),
  seq           bigint generated always as identity unique,
  user_id       uuid references users(id),
  to_address    text not null,
  subject       text not null,
  body          text not null,
  obligation_id uuid references obligations(id) on delete set null,
  created_at    timestamptz not null,
  lease_until   timestamptz,
  attempts      integer not null default 0,
  sent_at       timestamptz,
  last_error    text
);
create index email_outbox_pending_idx on email_outbox (seq) where sent_at is null;

-- A reminder of a system's obligation is about the system (no project): widen the subject rule.
alter table notifications add column system_id uuid references government_systems(id) on delete cascade;
alter table notifications add column obligation_id uuid references obligations(id) on delete set null;
alter table notifications drop constraint notifications_subject_check;
alter table notifications add constraint notifications_subject_check check (num_nonnulls(project_id, framework_id, system_id) = 1);
