-- 第十三条, 第十九条–第二十二条: what the construction unit records while it builds, and what the
-- approval department orders. Every write to these tables first locks the project's
-- project_construction row (src/usecases/construction.ts), so a suspension or a completion
-- refuses every later write, and two writes to one project take turns.

-- 第十三条, 第十九条: 项目实施机构, 项目负责人 and the 监理单位 (one row per project, edited in place;
-- each edit is an audit event with its before/after).
create table construction_records (
  project_id                 uuid primary key references projects(id),
  implementing_agency        text,
  project_lead               text,
  supervisor_name            text,
  supervisor_contract_no     text,
  supervisor_contract_amount numeric(20,6) check (supervisor_contract_amount >= 0),
  supervisor_contract_signed_on date,
  version                    integer not null default 1,
  updated_by                 uuid not null references users(id),
  updated_at                 timestamptz not null
);

-- 第十九条: 招标采购 per 政府采购法 / 招标投标法; 涉密采购 follows the secret procedures (I-48).
create table construction_procurements (
  id            uuid primary key default gen_random_uuid(),
  project_id    uuid not null references projects(id),
  subject       text not null,
  method        text not null check (method in ('public_tender', 'invited_tender', 'competitive_negotiation',
                  'competitive_consultation', 'single_source', 'inquiry', 'framework_agreement', 'other')),
  secret_related boolean not null,
  procured_on   date not null,
  winner        text not null,
  amount        numeric(20,6) not null check (amount >= 0),
  created_by    uuid not null references users(id),
  created_at    timestamptz not null
);
create index construction_procurements_project_idx on construction_procurements (project_id, procured_on);

-- 第十九条: 合同管理.
create table construction_contracts (
  id             uuid primary key default gen_random_uuid(),
  project_id     uuid not null references projects(id),
  procurement_id uuid references construction_procurements(id),
  title          text not null,
  counterparty   text not null,
  amount         numeric(20,6) not null check (amount >= 0),
  signed_on      date not null,
  created_by     uuid not null references users(id),
  created_at     timestamptz not null
);
create index construction_contracts_project_idx on construction_contracts (project_id, signed_on);

-- 第二十条: one 年度绩效评估报告 per construction year (I-5), never changed once submitted.
create table annual_performance_reports (
  id                   uuid primary key default gen_random_uuid(),
  project_id           uuid not null references projects(id),
  year                 integer not null,
  due_on               date not null,
  progress             text not null,
  investment_execution text not null,
  planned_investment   numeric(20,6) not null check (planned_investment >= 0),
  completed_investment numeric(20,6) not null check (completed_investment >= 0),
  -- [{indicator, unit, direction, target, actual, met}] as decided by the pure rule when submitted.
  indicator_actuals    jsonb not null,
  trial_operation      boolean not null,
  trial_effects        text,
  problems             text,
  submitted_on         date not null,
  submitted_by         uuid not null references users(id),
  submitted_at         timestamptz not null,
  unique (project_id, year)
);
create trigger annual_performance_reports_append_only before update or delete on annual_performance_reports
  for each row execute function refuse_change();

-- 第二十一条: serious delay or major investment loss, reported by the unit.
create table construction_problems (
  id             uuid primary key default gen_random_uuid(),
  project_id     uuid not null references projects(id),
  kind           text not null check (kind in ('serious_delay', 'investment_loss')),
  description    text not null,
  delay_days     integer check (delay_days > 0),
  loss_amount    numeric(20,6) check (loss_amount > 0),
  reported_by    uuid not null references users(id),
  reported_at    timestamptz not null
);
create index construction_problems_project_idx on construction_problems (project_id, reported_at);

-- 第二十一条: the approval department's orders: 整改 with a deadline, or 暂停 (until lifted).
-- Signed by the deciding approver (SPEC §10) over `payload`.
create table construction_orders (
  id              uuid primary key default gen_random_uuid(),
  project_id      uuid not null references projects(id),
  problem_id      uuid references construction_problems(id),
  kind            text not null check (kind in ('rectification', 'suspension')),
  opinion         text not null,
  due_on          date,
  ordered_by      uuid not null references users(id),
  ordered_at      timestamptz not null,
  payload         text not null,
  signature       text not null,
  public_key      text not null,
  -- rectification: the unit reports it done
  rectified_on    date,
  rectification_report text,
  rectified_by    uuid references users(id),
  rectified_at    timestamptz,
  -- suspension: the approval department lifts it, with its reason (signed too)
  lifted_at       timestamptz,
  lift_reason     text,
  lifted_by       uuid references users(id),
  lift_payload    text,
  lift_signature  text,
  check ((kind = 'rectification') = (due_on is not null)),
  check (kind = 'rectification' or rectified_on is null),
  check (kind = 'suspension' or lifted_at is null)
);
create index construction_orders_project_idx on construction_orders (project_id, ordered_at);
-- At most one standing suspension per project.
create unique index construction_orders_one_suspension on construction_orders (project_id)
  where kind = 'suspension' and lifted_at is null;

-- 第二十二条: the declaration of completion (建成) with the 竣工决算 and the surplus returned.
create table construction_completions (
  project_id            uuid primary key references projects(id),
  completed_on          date not null,
  final_accounts_amount numeric(20,6) not null check (final_accounts_amount >= 0),
  surplus_amount        numeric(20,6) not null check (surplus_amount >= 0),
  surplus_returned_on   date,
  declared_by           uuid not null references users(id),
  declared_at           timestamptz not null,
  check ((surplus_amount = 0) = (surplus_returned_on is null))
);
create trigger construction_completions_append_only before update or delete on construction_completions
  for each row execute function refuse_change();
