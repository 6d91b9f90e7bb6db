-- 第二十五条–第二十七条: acceptance, archive acceptance and post-evaluation of a completed project.
-- Every table is append-only except the two whose rows carry a pending request and, later, its
-- answer (an extension request and its decision; a post-evaluation commission and its
-- conclusion): those columns are filled once, guarded by the use case under the project's
-- construction lock, and each change has its audit event.

-- 第二十五条 (I-3): 延期验收申请 and the approval department's signed decision on it.
create table acceptance_extensions (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity,
  project_id       uuid not null references projects(id),
  reason           text not null check (length(reason) between 1 and 2000),
  -- The deadline in force when requested, and the later one asked for.
  due_on_before    date not null,
  proposed_due_on  date not null check (proposed_due_on > due_on_before),
  requested_by     uuid not null references users(id),
  requested_at     timestamptz not null,
  decision         text check (decision in ('approved', 'rejected')),
  opinion          text,
  decided_by       uuid references users(id),
  role             text,
  payload          text,
  signature        text,
  public_key       text,
  decided_at       timestamptz,
  check ((decision is null) = (decided_at is null) and (decision is null) = (signature is null))
);
create index acceptance_extensions_project_idx on acceptance_extensions (project_id, seq desc);
create unique index acceptance_extensions_one_pending on acceptance_extensions (project_id) where decision is null;

-- 第二十六条 (I-19, I-53): 档案验收 records; the latest counts.
create table archive_acceptances (
  id           uuid primary key default gen_random_uuid(),
  seq          bigint generated always as identity,
  project_id   uuid not null references projects(id),
  accepted_on  date not null,
  result       text not null check (result in ('pass', 'fail')),
  opinion      text not null check (length(opinion) between 1 and 2000),
  recorded_by  uuid not null references users(id),
  role         text not null,
  created_at   timestamptz not null
);
create index archive_acceptances_project_idx on archive_acceptances (project_id, seq desc);

-- 第二十五条: 验收申请, with the materials it attached (code, version, SM3) and the rule values used.
create table acceptance_applications (
  id            uuid primary key default gen_random_uuid(),
  seq           bigint generated always as identity,
  project_id    uuid not null references projects(id),
  due_on        date not null,
  on_time       boolean not null,
  payload       text not null,
  submitted_by  uuid not null references users(id),
  submitted_at  timestamptz not null
);
create index acceptance_applications_project_idx on acceptance_applications (project_id, seq desc);

-- 第二十五条, 第二十六条: the approval department's signed acceptance decision on an application.
create table acceptance_decisions (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity,
  project_id       uuid not null references projects(id),
  application_id   uuid not null unique references acceptance_applications(id),
  result           text not null check (result in ('pass', 'fail')),
  opinion          text not null,
  accepted_on      date,
  in_operation_on  date,
  actor_id         uuid not null references users(id),
  role             text not null,
  payload          text not null,
  signature        text not null,
  public_key       text not null,
  created_at       timestamptz not null,
  check ((result = 'pass') = (accepted_on is not null and in_operation_on is not null))
);
create index acceptance_decisions_project_idx on acceptance_decisions (project_id, seq desc);

-- 第二十七条: 自评价报告 submissions (the report is the material selfEvaluationReport).
create table self_evaluations (
  id            uuid primary key default gen_random_uuid(),
  seq           bigint generated always as identity,
  project_id    uuid not null references projects(id),
  material_id   uuid not null references project_materials(id),
  submitted_on  date not null,
  timing        text not null check (timing in ('early', 'inWindow', 'late')),
  payload       text not null,
  submitted_by  uuid not null references users(id),
  created_at    timestamptz not null
);
create index self_evaluations_project_idx on self_evaluations (project_id, seq desc);

-- 第二十七条 (I-55): 第三方后评价, commissioned by the approval department, concluded by the evaluator.
create table post_evaluations (
  id                         uuid primary key default gen_random_uuid(),
  seq                        bigint generated always as identity,
  project_id                 uuid not null references projects(id),
  evaluator_organization_id  uuid not null references organizations(id),
  reason                     text not null,
  commissioned_by            uuid not null references users(id),
  commissioned_at            timestamptz not null,
  conclusion                 text check (conclusion in ('continue', 'remediate', 'innovate', 'retire')),
  opinion                    text,
  material_id                uuid references project_materials(id),
  concluded_by               uuid references users(id),
  concluded_at               timestamptz,
  check ((conclusion is null) = (concluded_at is null) and (conclusion is null) = (material_id is null))
);
create index post_evaluations_project_idx on post_evaluations (project_id, seq desc);
-- The evaluator arm of project visibility (src/usecases/projects.ts visible()).
create index post_evaluations_org_idx on post_evaluations (evaluator_organization_id);
create unique index post_evaluations_one_open on post_evaluations (project_id) where conclusion is null;

create trigger archive_acceptances_append_only before update or delete on archive_acceptances
  for each row execute function refuse_change();
create trigger archive_acceptances_no_truncate before truncate on archive_acceptances
  for each statement execute function refuse_change();
create trigger acceptance_applications_append_only before update or delete on acceptance_applications
  for each row execute function refuse_change();
create trigger acceptance_applications_no_truncate before truncate on acceptance_applications
  for each statement execute function refuse_change();
create trigger acceptance_decisions_append_only before update or delete on acceptance_decisions
  for each row execute function refuse_change();
create trigger acceptance_decisions_no_truncate before truncate on acceptance_decisions
  for each statement execute function refuse_change();
create trigger self_evaluations_append_only before update or delete on self_evaluations
  for each row execute function refuse_change();
create trigger self_evaluations_no_truncate before truncate on self_evaluations
  for each statement execute function refuse_change();
