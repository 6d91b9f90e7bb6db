-- Risk ratings (issue 6 item 6; SPEC §8, §9): planned / projected / actual dates and costs, the
-- schedule and cost variance computed from them, a colour band from the rule settings
-- (risk.amberPercent, risk.redPercent, 第三十四条), raised by overdue obligations and open
-- rectifications; the history of every rating with its date and narrative; re-baselines recorded
-- beside the original baseline, whose variance stays on every rating (I-73).

-- A re-baseline (重新设定基线): the new planned dates and cost, why, and who set it. The original
-- baseline is the project's own construction period and total investment; it is never rewritten.
create table risk_baselines (
  id            uuid primary key default gen_random_uuid(),
  seq           bigint generated always as identity unique,
  project_id    uuid not null references projects(id),
  planned_start date not null,
  planned_end   date not null,
  planned_cost  numeric(20,6) not null check (planned_cost > 0),
  reason        text not null check (length(reason) between 1 and 2000),
  recorded_by   uuid not null references users(id),
  role          text not null,
  recorded_at   timestamptz not null,
  check (planned_end >= planned_start)
);
create index risk_baselines_project_idx on risk_baselines (project_id, seq desc);
create trigger risk_baselines_append_only before update or delete on risk_baselines
  for each row execute function refuse_change();

-- One rating as it was made: the inputs (projection, actuals, counts), the variances against the
-- baseline in force and the original one, the band and its reasons, and the rule values used.
-- Append-only: the history is the table.
create table risk_assessments (
  id                         uuid primary key default gen_random_uuid(),
  seq                        bigint generated always as identity unique,
  project_id                 uuid not null references projects(id),
  assessed_on                date not null,
  baseline_id                uuid references risk_baselines(id),
  planned_start              date not null,
  planned_end                date not null,
  planned_cost               numeric(20,6) not null,
  projected_end              date not null,
  projected_cost             numeric(20,6) not null check (projected_cost >= 0),
  actual_end                 date,
  actual_cost                numeric(20,6) not null check (actual_cost >= 0),
  -- Percent with two places, signed ("12.50", "-3.00"): positive is late or over budget.
  schedule_variance          text not null,
  cost_variance              text not null,
  original_schedule_variance text not null,
  original_cost_variance     text not null,
  overdue_obligations        integer not null check (overdue_obligations >= 0),
  open_rectifications        integer not null check (open_rectifications >= 0),
  -- 0 green, 1 amber, 2 red: from the variances alone (after the re-baseline rule, I-73).
  variance_level             smallint not null check (variance_level between 0 and 2),
  band                       text not null check (band in ('green', 'amber', 'red')),
  reasons                    jsonb not null,
  rule_values                jsonb not null,
  narrative                  text not null check (length(narrative) between 1 and 4000),
  recorded_by                uuid not null references users(id),
  role                       text not null,
  recorded_at                timestamptz not null
);
create index risk_assessments_project_idx on risk_assessments (project_id, seq desc);
create trigger risk_assessments_append_only before update or delete on risk_assessments
  for each row execute function refuse_change();

-- The latest rating's variance level per project: what the dashboard's risk distribution reads
-- (one row per rated project instead of the latest of many assessments). Written in the
-- transaction that records the assessment; the raise for overdue obligations and open
-- rectifications is applied when read, from their current state.
create table risk_current (
  project_id     uuid primary key references projects(id),
  assessment_id  uuid not null references risk_assessments(id),
  variance_level smallint not null check (variance_level between 0 and 2),
  assessed_on    date not null
);

-- The dashboard's aggregates (docs/benchmarks.md, "Dashboard"): overdue obligations by project.
create index obligations_overdue_project_idx on obligations (project_id) where status = 'overdue' and project_id is not null;
-- Open 第二十一条 rectification orders by project.
create index construction_orders_open_rectification_idx on construction_orders (project_id)
  where kind = 'rectification' and rectified_on is null;
