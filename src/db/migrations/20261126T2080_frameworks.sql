-- 跨部门项目框架方案 (第十条; SPEC §3; interpretation I-13): the lead and the participating
-- departments draw up one framework plan — participants, goals, main contents per participant,
-- business flows, data flows and system interfaces, a preliminary data catalog — each participant
-- confirms its part, the lead submits the plan to NDRC, NDRC confirms (确定, signed) or returns it.
-- Each department's own project then links to the confirmed plan; local sub-projects link to the
-- national project they coordinate with. The rules of src/domain/frameworks.ts, restated as
-- constraints where a constraint can hold them.
-- Migrations are append-only: never edit this file once it has landed; add a new one.

create table framework_plans (
  id                    uuid primary key default gen_random_uuid(),
  name                  text not null check (length(btrim(name)) between 1 and 200),
  -- 牵头部门; it is also a row of framework_participants (it has its own part and confirms it).
  lead_organization_id  uuid not null references organizations(id),
  -- 建设目标, shared by every participant.
  goals                 text not null check (length(btrim(goals)) between 1 and 5000),
  status                text not null default 'draft' check (status in ('draft', 'submitted', 'confirmed', 'returned')),
  -- Bumped by every change to the plan or any of its parts (the If-Match of actions).
  version               integer not null default 1,
  -- Null for rows the platform wrote itself (the demo seed).
  created_by            uuid references users(id),
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create index framework_plans_lead_idx on framework_plans (lead_organization_id);

-- 参与部门 (the lead among them). A participant's confirmation is of its part as it stands: any
-- change to that part clears it (the use case does, in the change's transaction).
create table framework_participants (
  framework_id     uuid not null references framework_plans(id) on delete cascade,
  organization_id  uuid not null references organizations(id),
  -- Bumped by every change to this participant's part (the If-Match of its confirmation).
  version          integer not null default 1,
  confirmed_at     timestamptz,
  -- Null with confirmed_at set: confirmed by the platform (the demo seed).
  confirmed_by     uuid references users(id),
  created_at       timestamptz not null default now(),
  primary key (framework_id, organization_id),
  check (confirmed_at is not null or confirmed_by is null)
);
-- "The frameworks a unit takes part in" (SPEC §1) is looked up by organization.
create index framework_participants_org_idx on framework_participants (organization_id);

-- 主要建设内容, per participant: what the pairwise overlap check compares (第十条: 各部门建设内容不重叠).
create table framework_contents (
  id               uuid primary key default gen_random_uuid(),
  framework_id     uuid not null,
  organization_id  uuid not null,
  title            text not null check (length(btrim(title)) between 1 and 200),
  description      text not null check (length(btrim(description)) between 1 and 5000),
  version          integer not null default 1,
  created_by       uuid references users(id),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  -- A participant's contents leave with it.
  foreign key (framework_id, organization_id) references framework_participants (framework_id, organization_id) on delete cascade
);
create index framework_contents_framework_idx on framework_contents (framework_id, organization_id);

-- 业务流: ordered steps, each taken by a participant: [{organizationId, activity}], at least one.
-- Membership of each step's organization is checked by the use case (a jsonb element cannot
-- carry a foreign key), which also refuses to remove a participant a step still names.
create table framework_business_flows (
  id            uuid primary key default gen_random_uuid(),
  framework_id  uuid not null references framework_plans(id) on delete cascade,
  name          text not null check (length(btrim(name)) between 1 and 200),
  description   text not null default '' check (length(description) <= 5000),
  steps         jsonb not null check (jsonb_typeof(steps) = 'array' and jsonb_array_length(steps) between 1 and 50),
  version       integer not null default 1,
  created_by    uuid references users(id),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index framework_business_flows_framework_idx on framework_business_flows (framework_id);

-- 数据流 / 系统接口: from a participant (and optionally one of its systems) to another, the data
-- items exchanged, how often and how. A participant a flow names cannot be removed.
create table framework_data_flows (
  id                    uuid primary key default gen_random_uuid(),
  framework_id          uuid not null references framework_plans(id) on delete cascade,
  from_organization_id  uuid not null,
  from_system           text check (length(btrim(from_system)) between 1 and 200),
  to_organization_id    uuid not null,
  to_system             text check (length(btrim(to_system)) between 1 and 200),
  -- ["统一社会信用代码", …]: at least one, names unique (use case).
  data_items            jsonb not null check (jsonb_typeof(data_items) = 'array' and jsonb_array_length(data_items) between 1 and 200),
  frequency             text not null check (frequency in ('realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular')),
  interface_method      text not null check (interface_method in ('api', 'file', 'database', 'message', 'exchange_platform', 'other')),
  description           text check (length(btrim(description)) between 1 and 2000),
  version               integer not null default 1,
  created_by            uuid references users(id),
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  foreign key (framework_id, from_organization_id) references framework_participants (framework_id, organization_id),
  foreign key (framework_id, to_organization_id) references framework_participants (framework_id, organization_id),
  -- A flow goes somewhere: not from an endpoint to the same endpoint.
  check (from_organization_id <> to_organization_id or coalesce(from_system, '') <> coalesce(to_system, ''))
);
create index framework_data_flows_framework_idx on framework_data_flows (framework_id);

-- 初步数据目录: the resources the participants will provide, with the sharing type (第十一条's
-- rule for a basis holds here too). The full 信息资源目录 comes with each department's project.
create table framework_catalog_entries (
  id                        uuid primary key default gen_random_uuid(),
  framework_id              uuid not null references framework_plans(id) on delete cascade,
  name                      text not null check (length(btrim(name)) between 1 and 200),
  provider_organization_id  uuid not null,
  data_items                jsonb not null check (jsonb_typeof(data_items) = 'array' and jsonb_array_length(data_items) between 1 and 200),
  sharing_type              text not null check (sharing_type in ('unconditional', 'conditional', 'none')),
  sharing_basis             text check (length(btrim(sharing_basis)) between 1 and 2000),
  version                   integer not null default 1,
  created_by                uuid references users(id),
  created_at                timestamptz not null default now(),
  updated_at                timestamptz not null default now(),
  foreign key (framework_id, provider_organization_id) references framework_participants (framework_id, organization_id),
  unique (framework_id, provider_organization_id, name),
  check ((sharing_type = 'unconditional') = (sharing_basis is null))
);

-- I-13: a suspected overlap between two participants' contents is either resolved (a content
-- changes and the pair falls below the threshold) or justified here with a written reason. An
-- edit of either content removes its justifications (the reason was written about the old text).
create table framework_overlap_justifications (
  framework_id    uuid not null references framework_plans(id) on delete cascade,
  -- The pair in id order, so a pair has one row.
  content_a_id    uuid not null references framework_contents(id) on delete cascade,
  content_b_id    uuid not null references framework_contents(id) on delete cascade,
  reason          text not null check (length(btrim(reason)) between 1 and 2000),
  -- The similarity when it was justified, for the record.
  similarity      numeric(5, 4) not null check (similarity between 0 and 1),
  justified_by    uuid references users(id),
  created_at      timestamptz not null,
  primary key (content_a_id, content_b_id),
  check (content_a_id < content_b_id)
);
create index framework_overlap_justifications_framework_idx on framework_overlap_justifications (framework_id);

-- Every status change: submit / withdraw by the lead, confirm / return by NDRC. NDRC's actions are
-- decisions, signed (SM2, the deciding user's key) over the canonical JSON stored beside them,
-- which holds the whole plan as decided on. Numbered per plan under the plan's row lock.
create table framework_actions (
  id            uuid primary key default gen_random_uuid(),
  framework_id  uuid not null references framework_plans(id),
  action_no     integer not null check (action_no >= 1),
  action        text not null check (action in ('submit', 'withdraw', 'confirm', 'return')),
  from_status   text not null,
  to_status     text not null,
  actor_id      uuid not null references users(id),
  role          text not null,
  reasons       text check (length(btrim(reasons)) between 1 and 10000),
  payload       text not null,
  signature     text,
  public_key    text,
  created_at    timestamptz not null,
  unique (framework_id, action_no),
  check ((signature is null) = (public_key is null)),
  check (action not in ('confirm', 'return') or signature is not null),
  check (action <> 'return' or reasons is not null)
);

create trigger framework_actions_append_only before update or delete on framework_actions
  for each row execute function refuse_change();
create trigger framework_actions_no_truncate before truncate on framework_actions
  for each statement execute function refuse_change();

-- 第十条: 框架方案确定后各部门按程序申报本部门分项 — a participant's own project is linked to the
-- confirmed plan as that participant's part. A project is the part of one plan at most.
create table framework_projects (
  framework_id     uuid not null references framework_plans(id),
  project_id       uuid not null unique references projects(id),
  organization_id  uuid not null,
  linked_by        uuid references users(id),
  created_at       timestamptz not null,
  primary key (framework_id, project_id),
  foreign key (framework_id, organization_id) references framework_participants (framework_id, organization_id)
);

-- 第十条: 需地方协同建设的 — a local sub-project follows one national project.
create table project_coordination (
  local_project_id     uuid primary key references projects(id),
  national_project_id  uuid not null references projects(id),
  linked_by            uuid references users(id),
  created_at           timestamptz not null,
  check (local_project_id <> national_project_id)
);
create index project_coordination_national_idx on project_coordination (national_project_id);

-- Notifications about a framework plan (submitted, confirmed, returned) belong to the plan, not
-- to a project: each notification is about exactly one of the two.
alter table notifications alter column project_id drop not null;
alter table notifications add column framework_id uuid references framework_plans(id);
alter table notifications add constraint notifications_subject_check check (num_nonnulls(project_id, framework_id) = 1);
