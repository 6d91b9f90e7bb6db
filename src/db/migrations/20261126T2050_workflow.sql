-- Who works on a submission, which rules applied, and who was told (第七条, 第十一条, 第三十四条,
-- SPEC §11 worklists, §12 rule settings).

-- 改派审核人 and 委托咨询评估单位: every assignment is a row; the current one of a kind is the
-- latest. A reviewer assignment names a user; an assessor assignment names an organization (the
-- 咨询评估单位), whose assessors then see the project.
create table project_assignments (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity unique,
  project_id       uuid not null references projects(id),
  kind             text not null check (kind in ('reviewer', 'assessor')),
  organization_id  uuid not null references organizations(id),
  user_id          uuid references users(id),
  reason           text not null default '',
  assigned_by      uuid not null references users(id),
  created_at       timestamptz not null,
  check (kind <> 'reviewer' or user_id is not null)
);
create index project_assignments_project_idx on project_assignments (project_id, kind, seq desc);
create index project_assignments_org_idx on project_assignments (organization_id) where kind = 'assessor';

create trigger project_assignments_append_only before update or delete on project_assignments
  for each row execute function refuse_change();

-- 规则设置 (第三十四条): central values (organization_id null) and a province's or ministry's own.
-- A change is a new row; the current value of (key, organization) is the latest row. A null
-- value on an organization's row removes its override. Past decisions recorded the values they
-- used in their signed payload, so no change here can rewrite them.
create table rule_settings (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity unique,
  key              text not null,
  organization_id  uuid references organizations(id),
  value            jsonb,
  reason           text not null check (length(btrim(reason)) > 0),
  changed_by       uuid not null references users(id),
  created_at       timestamptz not null,
  check (organization_id is not null or value is not null)
);
create index rule_settings_key_idx on rule_settings (key, organization_id, seq desc);

create trigger rule_settings_append_only before update or delete on rule_settings
  for each row execute function refuse_change();

-- In-app notifications (SPEC §11): written in the transaction of the action that caused them.
create table notifications (
  id          uuid primary key default gen_random_uuid(),
  user_id     uuid not null references users(id),
  project_id  uuid not null references projects(id),
  kind        text not null,
  action_id   uuid references project_actions(id),
  title_zh    text not null,
  title_en    text not null,
  body_zh     text not null default '',
  body_en     text not null default '',
  created_at  timestamptz not null,
  read_at     timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
