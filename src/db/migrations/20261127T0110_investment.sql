-- 第二十二条–第二十四条: the money of a project. Annual investment plans released (下达投资计划),
-- spending against them, early-investment applications (提前安排投资) with their signed decisions,
-- and adjustments of the main construction contents (调整主要建设内容) with the threshold used.
-- Amounts are NUMERIC(20,6) in 万元 (exact to the fen). Every write first locks the project's
-- project_construction row (src/usecases/construction.ts), so two writes to one project take turns.

-- 第二十四条: an early investment is applied for by the construction unit after the 可研 approval,
-- only for the four purposes (I-17), and decided (signed, TOTP step-up) by the approval department.
create table early_investments (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity unique,
  project_id       uuid not null references projects(id),
  -- [{purpose, amount}] with amounts as 万元 decimal strings.
  lines            jsonb not null,
  total            numeric(20,6) not null check (total > 0),
  justification    text not null,
  status           text not null check (status in ('pending', 'approved', 'refused')),
  applied_by       uuid not null references users(id),
  applied_at       timestamptz not null,
  decided_by       uuid references users(id),
  decided_at       timestamptz,
  opinion          text,
  -- The canonical JSON signed by the deciding user, its SM2 signature (DER hex) and key.
  decision_payload text,
  signature        text,
  public_key       text,
  check ((status = 'pending') = (decided_by is null)),
  check ((signature is null) = (public_key is null))
);
create index early_investments_project_idx on early_investments (project_id, seq);

-- 第二十四条, 第二十二条 (I-43, I-44): a release of investment, recorded by the approval department
-- (or NDRC). Append-only: a release is a fact of the plan; a correction is a new record.
create table investment_releases (
  id                  uuid primary key default gen_random_uuid(),
  seq                 bigint generated always as identity unique,
  project_id          uuid not null references projects(id),
  plan_year           integer not null check (plan_year between 2000 and 2100),
  amount              numeric(20,6) not null check (amount > 0),
  source              text not null check (source in ('central_budget', 'central_fiscal', 'local_fiscal', 'self_raised', 'other')),
  document_no         text,
  released_on         date not null,
  -- Set when the release carries out an approved early investment (before the 概算 approval).
  early_investment_id uuid references early_investments(id),
  note                text,
  released_by         uuid not null references users(id),
  role                text not null,
  created_at          timestamptz not null
);
create index investment_releases_project_idx on investment_releases (project_id, seq);
create trigger investment_releases_append_only before update or delete on investment_releases
  for each row execute function refuse_change();
create trigger investment_releases_no_truncate before truncate on investment_releases
  for each statement execute function refuse_change();

-- 第二十二条 (I-43): a payment against the released investment, recorded by the construction unit.
create table investment_spending (
  id          uuid primary key default gen_random_uuid(),
  seq         bigint generated always as identity unique,
  project_id  uuid not null references projects(id),
  spent_on    date not null,
  amount      numeric(20,6) not null check (amount > 0),
  payee       text not null,
  purpose     text not null,
  recorded_by uuid not null references users(id),
  created_at  timestamptz not null
);
create index investment_spending_project_idx on investment_spending (project_id, seq);
create trigger investment_spending_append_only before update or delete on investment_spending
  for each row execute function refuse_change();
create trigger investment_spending_no_truncate before truncate on investment_spending
  for each statement execute function refuse_change();

-- 第二十三条: an adjustment of the main construction contents, with the figures and the threshold
-- that decided its route (a later rule change rewrites nothing, 第三十四条). route selfFile →
-- status filed (自行调整并备案); route reapproval → pending until the approval department decides.
create table project_adjustments (
  id                  uuid primary key default gen_random_uuid(),
  seq                 bigint generated always as identity unique,
  project_id          uuid not null references projects(id),
  -- [{content, change}] with change as a signed 万元 decimal string.
  lines               jsonb not null,
  reason              text not null check (reason in ('centralDeployment', 'technicalOptimization', 'businessNeeds', 'other')),
  goals_unchanged     boolean not null,
  description         text not null,
  amount              numeric(20,6) not null check (amount > 0),
  approved_total      numeric(20,6) not null check (approved_total > 0),
  prior_cumulative    numeric(20,6) not null,
  cumulative          numeric(20,6) not null,
  total_before        numeric(20,6) not null,
  total_after         numeric(20,6) not null,
  share_percent       text not null,
  threshold_percent   numeric(5,2) not null,
  -- Where the threshold came from: default, central or the organization whose own setting applied.
  threshold_source    jsonb not null,
  route               text not null check (route in ('selfFile', 'reapproval')),
  -- Every reason it needs re-approval, as the rule gave them (codes, articles, messages).
  reapproval_reasons  jsonb not null,
  status              text not null check (status in ('filed', 'pending', 'approved', 'refused')),
  created_by          uuid not null references users(id),
  created_at          timestamptz not null,
  decided_by          uuid references users(id),
  decided_at          timestamptz,
  opinion             text,
  decision_payload    text,
  signature           text,
  public_key          text,
  check ((route = 'selfFile') = (status = 'filed')),
  check ((status in ('approved', 'refused')) = (decided_by is not null)),
  check ((signature is null) = (public_key is null))
);
create index project_adjustments_project_idx on project_adjustments (project_id, seq);
