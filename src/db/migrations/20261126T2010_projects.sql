-- Projects (SPEC §2): every field of a government informatization project. Amounts are
-- NUMERIC in 万元 with six decimals (to the fen); the API accepts two places for the
-- approved amounts. Lifecycle state columns are written only through the state machine.

create table projects (
  id                       uuid primary key default gen_random_uuid(),
  -- 项目代码 in the GB/T 40058 shape (see src/domain/project-code.ts).
  code                     text not null unique check (code ~ '^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$'),
  name                     text not null check (length(name) between 1 and 200),
  construction_unit_id     uuid not null references organizations(id),
  approval_department_id   uuid not null references organizations(id),
  track                    text not null check (track in ('approval', 'filing')),
  kind                     text not null check (kind in ('new', 'rebuild', 'expansion', 'purchasedService')),
  -- 列入规划: the link to a plan task is what makes a project "in the plan" (第六条, 第七条).
  plan_task_id             uuid references plan_tasks(id),
  involves_secrets         boolean not null default false,
  cross_department         boolean not null default false,
  lead_organization_id     uuid references organizations(id),
  construction_start       date not null,
  construction_end         date not null,
  total_investment         numeric(20, 6) not null check (total_investment >= 0),
  o_and_m_funds            numeric(20, 6) not null default 0 check (o_and_m_funds >= 0),
  funding_channel          text not null check (funding_channel in
                             ('central_budget', 'central_fiscal', 'local_fiscal', 'self_raised', 'other')),
  performance_indicators   jsonb not null default '[]',
  systems                  jsonb not null default '[]',
  -- 等级保护 level 1–5, or 分级保护 for 涉密 systems; 密码应用方案; 密评 status.
  protection_scheme        text not null check (protection_scheme in ('mlps', 'classified')),
  mlps_level               smallint check (mlps_level between 1 and 5),
  crypto_plan              text not null default 'none' check (crypto_plan in ('none', 'drafted', 'approved')),
  crypto_assessment        text not null default 'not_started'
                             check (crypto_assessment in ('not_started', 'planned', 'passed', 'failed')),
  -- 第八条: only these flags bring 节能/选址/用地/环评 approvals into the required materials.
  new_civil_construction   boolean not null default false,
  high_energy_consumption  boolean not null default false,
  -- 第七条: the urgent combined path's declaration {reasonCategory, justification,
  -- situationUrgent, preparationAdequate}; null when the project does not claim it.
  urgent                   jsonb,
  stage                    text not null,
  status                   text not null,
  created_by               uuid not null references users(id),
  version                  integer not null default 1,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  check (construction_end >= construction_start),
  check ((protection_scheme = 'mlps') = (mlps_level is not null)),
  check (involves_secrets = (protection_scheme = 'classified')),
  check (cross_department = (lead_organization_id is not null))
);
create index projects_unit_idx on projects (construction_unit_id);
create index projects_department_idx on projects (approval_department_id);
create index projects_stage_idx on projects (stage, status);
create index projects_created_idx on projects (created_at desc);

-- Participating departments of a cross-department project (第十条).
create table project_participants (
  project_id      uuid not null references projects(id) on delete cascade,
  organization_id uuid not null references organizations(id),
  primary key (project_id, organization_id)
);
create index project_participants_org_idx on project_participants (organization_id);
