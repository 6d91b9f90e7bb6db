-- 第六条: the national government-informatization construction plan (国家政务信息化建设规划,
-- compiled by NDRC and approved by the State Council), the departments' plans that link to it,
-- their tasks, the immutable version of every approved state, and the adjustments (with their
-- evaluation of the changed circumstances) that produced the later versions.
-- Migrations are append-only: never edit this file once it has landed; add a new one.

create table plans (
  id                       uuid primary key default gen_random_uuid(),
  level                    text not null check (level in ('national', 'department')),
  -- A department plan links to the national plan (衔接); the national plan links to nothing.
  -- Deferred, so a logical restore may insert the rows in any order inside its transaction.
  parent_plan_id           uuid references plans(id) deferrable initially deferred,
  -- The compiling organization (编制单位): NDRC for the national plan, the department otherwise.
  organization_id          uuid not null references organizations(id),
  name                     text not null check (length(name) between 1 and 200),
  period_start_year        integer not null check (period_start_year between 2000 and 2100),
  period_end_year          integer not null check (period_end_year between 2000 and 2100),
  status                   text not null default 'draft' check (status in ('draft', 'approved')),
  -- 批准日期 and 批准文号 (the national plan: approved by the State Council).
  approved_on              date,
  approval_document_number text check (length(approval_document_number) between 1 and 100),
  -- The latest plan_versions.version_no; 0 while the plan is a draft.
  current_version          integer not null default 0 check (current_version >= 0),
  version                  integer not null default 1,
  created_by               uuid references users(id),
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  check (period_start_year <= period_end_year),
  check ((level = 'national') = (parent_plan_id is null)),
  check (parent_plan_id is null or parent_plan_id <> id),
  check ((status = 'draft') = (current_version = 0)),
  check (status = 'draft' or approved_on is not null),
  check (level = 'department' or status = 'draft' or approval_document_number is not null)
);
create index plans_parent_idx on plans (parent_plan_id);
create index plans_organization_idx on plans (organization_id);

create table plan_tasks (
  id                   uuid primary key default gen_random_uuid(),
  plan_id              uuid not null references plans(id),
  code                 text not null check (code ~ '^[^[:space:]]{1,20}$'),
  title                text not null check (length(title) between 1 and 200),
  description          text not null default '' check (length(description) <= 4000),
  -- A department task that implements a task of the national plan its plan links to.
  parent_task_id       uuid references plan_tasks(id) deferrable initially deferred,
  sort_order           integer not null default 0,
  -- 撤销: the plan version from which an adjustment took the task out of the plan. A task is
  -- never deleted: earlier versions, department tasks and projects keep referring to it.
  withdrawn_in_version integer check (withdrawn_in_version >= 1),
  version              integer not null default 1,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  unique (plan_id, code),
  check (parent_task_id is null or parent_task_id <> id)
);
create index plan_tasks_parent_idx on plan_tasks (parent_task_id);

-- Every approved state of a plan (the approval, then each adjustment), as a snapshot of the
-- plan and its tasks in force. Written once, never changed.
create table plan_versions (
  plan_id    uuid not null references plans(id),
  version_no integer not null check (version_no >= 1),
  source     text not null check (source in ('approval', 'adjustment')),
  snapshot   jsonb not null,
  created_at timestamptz not null default now(),
  created_by uuid references users(id),
  primary key (plan_id, version_no)
);

-- 第六条: when circumstances change, an evaluation (评估论证) and the adjustment it supports.
create table plan_adjustments (
  id                       uuid primary key default gen_random_uuid(),
  plan_id                  uuid not null references plans(id),
  reason_category          text not null check (reason_category in ('circumstances_changed', 'central_deployment', 'other')),
  evaluation               text not null check (length(btrim(evaluation)) between 1 and 10000),
  description              text not null check (length(btrim(description)) between 1 and 4000),
  -- The requested changes as structured data (plan fields, tasks added, edited, withdrawn).
  changes                  jsonb not null,
  -- The approval of the adjustment (the State Council's, for the national plan).
  approved_on              date not null,
  approval_document_number text check (length(approval_document_number) between 1 and 100),
  version_no               integer not null,
  created_by               uuid references users(id),
  created_at               timestamptz not null default now(),
  unique (plan_id, version_no),
  foreign key (plan_id, version_no) references plan_versions (plan_id, version_no)
);

-- Versions and adjustments are history: the database refuses to change or remove them.
create trigger plan_versions_append_only before update or delete on plan_versions
  for each row execute function refuse_change();
create trigger plan_versions_no_truncate before truncate on plan_versions
  for each statement execute function refuse_change();
create trigger plan_adjustments_append_only before update or delete on plan_adjustments
  for each row execute function refuse_change();
create trigger plan_adjustments_no_truncate before truncate on plan_adjustments
  for each statement execute function refuse_change();
