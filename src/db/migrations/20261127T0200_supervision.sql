-- 第三十条: supervision findings, rectification orders and the escalation ladder
-- (通报批评 → 暂缓安排投资计划 → 暂停项目建设 → 终止项目); 第三十三条: accountability records.
-- GO, NDRC, MoF and CAC (roles go, ndrc, mof, cac) record a finding against a project or a system
-- within their remit; each finding opens one rectification order with a deadline (due_on). The
-- responsible unit answers with evidence, the issuer verifies; an overdue or failed order is
-- "escalation due" and the issuer takes the next step of the ladder, each a signed decision.

create table supervision_findings (
  id                     uuid primary key default gen_random_uuid(),
  seq                    bigint generated always as identity unique,
  -- Exactly one subject: a project, or a system of the master catalog.
  project_id             uuid references projects(id),
  system_id              uuid references government_systems(id),
  -- The responsible unit: the project's construction unit or the system's owner.
  unit_organization_id   uuid not null references organizations(id),
  category               text not null check (category in
                           ('informationSharing', 'tenderingProcurement', 'useOfFunds', 'cryptography', 'cybersecurity')),
  title                  text not null check (length(btrim(title)) between 1 and 200),
  description            text not null check (length(btrim(description)) between 1 and 5000),
  -- Who found it: the user, the role it acted in (go, ndrc, mof, cac) and the organization.
  issuer_role            text not null check (issuer_role in ('go', 'ndrc', 'mof', 'cac')),
  issuer_organization_id uuid not null references organizations(id),
  issued_by              uuid not null references users(id),
  found_on               date not null,
  created_at             timestamptz not null,
  check ((project_id is null) <> (system_id is null))
);
create index supervision_findings_project_idx on supervision_findings (project_id) where project_id is not null;
create index supervision_findings_system_idx on supervision_findings (system_id) where system_id is not null;
create index supervision_findings_unit_idx on supervision_findings (unit_organization_id, seq);
create trigger supervision_findings_append_only before update or delete on supervision_findings
  for each row execute function refuse_change();

-- One per finding. status:
--   open      waiting for the unit's answer (again, after a failed verification the unit may answer anew)
--   answered  the unit answered; waiting for the issuer's verification
--   passed    verified as rectified (closed_at = verified_at)
--   failed    the last answer failed verification (escalation due until a new answer passes)
-- "Escalation due" is derived, never stored: status failed, or status in (open, answered) with
-- due_on before today (Asia/Shanghai) and no passed verification.
-- escalation_step: the highest step of the ladder taken on the order (null: none yet).
create table rectification_orders (
  id                     uuid primary key default gen_random_uuid(),
  seq                    bigint generated always as identity unique,
  finding_id             uuid not null unique references supervision_findings(id),
  project_id             uuid references projects(id),
  system_id              uuid references government_systems(id),
  unit_organization_id   uuid not null references organizations(id),
  issuer_role            text not null check (issuer_role in ('go', 'ndrc', 'mof', 'cac')),
  issuer_organization_id uuid not null references organizations(id),
  category               text not null,
  requirements           text not null check (length(btrim(requirements)) between 1 and 5000),
  due_on                 date not null,
  status                 text not null check (status in ('open', 'answered', 'passed', 'failed')),
  escalation_step        text check (escalation_step in ('criticism', 'deferInvestment', 'suspendConstruction', 'terminate')),
  answered_at            timestamptz,
  verified_at            timestamptz,
  closed_at              timestamptz,
  version                integer not null default 1,
  created_at             timestamptz not null,
  updated_at             timestamptz not null,
  check ((project_id is null) <> (system_id is null)),
  check ((status = 'passed') = (closed_at is not null))
);
create index rectification_orders_project_idx on rectification_orders (project_id) where project_id is not null;
create index rectification_orders_system_idx on rectification_orders (system_id) where system_id is not null;
create index rectification_orders_unit_idx on rectification_orders (unit_organization_id, status);
create index rectification_orders_due_idx on rectification_orders (due_on) where status <> 'passed';

-- Each answer of the unit (with evidence: text and materials already uploaded to the project) and
-- the issuer's verification of it. Append-only apart from the one verification set on it.
create table rectification_answers (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity unique,
  order_id         uuid not null references rectification_orders(id),
  evidence         text not null check (length(btrim(evidence)) between 1 and 5000),
  -- ids of project_materials (evidence files), [] when none.
  material_ids     jsonb not null default '[]',
  answered_by      uuid not null references users(id),
  answered_at      timestamptz not null,
  result           text check (result in ('passed', 'failed')),
  opinion          text,
  verified_by      uuid references users(id),
  verified_at      timestamptz,
  check ((result is null) = (verified_by is null)),
  check ((result is null) = (verified_at is null))
);
create index rectification_answers_order_idx on rectification_answers (order_id, seq);

-- A signed step of the ladder, or the lifting of 暂缓/暂停 after verified rectification.
-- rule_values: the "escalation steps" setting it was decided under (steps, source, effectiveFrom),
-- never rewritten by a later change (第三十四条). Append-only.
create table escalation_decisions (
  id          uuid primary key default gen_random_uuid(),
  seq         bigint generated always as identity unique,
  order_id    uuid not null references rectification_orders(id),
  project_id  uuid references projects(id),
  step        text not null check (step in ('criticism', 'deferInvestment', 'suspendConstruction', 'terminate')),
  action      text not null check (action in ('impose', 'lift')),
  reason      text not null check (length(btrim(reason)) between 1 and 5000),
  rule_values jsonb not null,
  actor_id    uuid not null references users(id),
  role        text not null,
  payload     text not null,
  signature   text not null,
  public_key  text not null,
  created_at  timestamptz not null
);
create index escalation_decisions_order_idx on escalation_decisions (order_id, seq);
create index escalation_decisions_project_idx on escalation_decisions (project_id, seq) where project_id is not null;
-- A step is imposed at most once per order.
create unique index escalation_decisions_once on escalation_decisions (order_id, step) where action = 'impose';
create trigger escalation_decisions_append_only before update or delete on escalation_decisions
  for each row execute function refuse_change();

-- The effects standing on a project (one row per project that has any): set by an impose
-- decision, cleared by a lift (terminated is never cleared). Read by investment releases
-- (暂缓), every construction write (暂停, via lockConstruction) and every project write (终止).
create table project_sanctions (
  project_id                uuid primary key references projects(id),
  investment_deferred_by    uuid references escalation_decisions(id),
  construction_suspended_by uuid references escalation_decisions(id),
  terminated_by             uuid references escalation_decisions(id),
  updated_at                timestamptz not null
);

-- 第三十三条: violations and accountability decisions against units and projects.
create table accountability_records (
  id                    uuid primary key default gen_random_uuid(),
  seq                   bigint generated always as identity unique,
  unit_organization_id  uuid not null references organizations(id),
  project_id            uuid references projects(id),
  finding_id            uuid references supervision_findings(id),
  -- Who is held accountable (a unit's leader, a person or the unit itself), as named in the decision.
  subject               text not null check (length(btrim(subject)) between 1 and 200),
  violation             text not null check (length(btrim(violation)) between 1 and 5000),
  basis_article         text not null check (length(btrim(basis_article)) between 1 and 200),
  decision              text not null check (length(btrim(decision)) between 1 and 5000),
  decided_on            date not null,
  recorded_by           uuid not null references users(id),
  role                  text not null,
  created_at            timestamptz not null
);
create index accountability_records_unit_idx on accountability_records (unit_organization_id, seq);
create index accountability_records_project_idx on accountability_records (project_id) where project_id is not null;
create trigger accountability_records_append_only before update or delete on accountability_records
  for each row execute function refuse_change();
