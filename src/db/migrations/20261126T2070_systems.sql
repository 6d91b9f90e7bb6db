-- 国家政务信息系统总目录 (第十二条; SPEC §5) and 孤网例外决定 (第二十八条: 联网为原则, 孤网为例外;
-- SPEC §5, §7). The rules of src/domain/system-catalog.ts, restated as constraints so no path
-- around the use case can store a system the domain would refuse.
-- Migrations are append-only: never edit this file once it has landed; add a new one.

create table government_systems (
  id                     uuid primary key default gen_random_uuid(),
  -- The organization whose list holds the system (第十二条: 各部门…更新本单位…目录).
  owner_organization_id  uuid not null references organizations(id),
  name                   text not null check (length(btrim(name)) between 1 and 200),
  purpose                text not null check (length(btrim(purpose)) between 1 and 2000),
  business_area          text not null check (length(btrim(business_area)) between 1 and 100),
  network_type           text not null check (network_type in ('extranet', 'intranet', 'internet', 'isolated')),
  involves_secrets       boolean not null default false,
  protection_scheme      text not null check (protection_scheme in ('mlps', 'classified')),
  mlps_level             smallint check (mlps_level between 1 and 5),
  -- 等保备案编号 (MLPS_FILING_NUMBER_PATTERN).
  mlps_filing_number     text check (mlps_filing_number ~ '^[0-9]{11}(-[0-9]{5})?$'),
  user_count             integer not null check (user_count >= 0),
  status                 text not null check (status in ('under_construction', 'operating', 'retired')),
  version                integer not null default 1,
  -- Null for rows the platform wrote itself (the demo seed, an import run by the operator).
  created_by             uuid references users(id),
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  unique (owner_organization_id, name),
  -- 涉密: 分级保护; otherwise 等级保护 with a level.
  check (involves_secrets = (protection_scheme = 'classified')),
  check ((protection_scheme = 'mlps') = (mlps_level is not null)),
  -- Only a 第二级 or higher system is filed; one in operation has its number.
  check (mlps_filing_number is null or (mlps_level is not null and mlps_level >= 2)),
  check (status <> 'operating' or coalesce(mlps_level, 0) < 2 or mlps_filing_number is not null),
  -- A 涉密 system is never on a public network.
  check (not involves_secrets or network_type in ('intranet', 'isolated'))
);
create index government_systems_owner_idx on government_systems (owner_organization_id);
create index government_systems_isolated_idx on government_systems (id) where network_type = 'isolated';

-- The projects that built (new, at most one) or upgraded a system.
create table government_system_projects (
  system_id   uuid not null references government_systems(id) on delete cascade,
  project_id  uuid not null references projects(id),
  relation    text not null check (relation in ('new', 'upgrade')),
  primary key (system_id, project_id)
);
create index government_system_projects_project_idx on government_system_projects (project_id);
create unique index government_system_projects_one_new_idx on government_system_projects (system_id) where relation = 'new';

-- The information resources (of projects' 信息资源目录, 第十一条) a system holds or collects. A
-- resource removed from its project's catalog leaves the systems that listed it.
create table government_system_resources (
  system_id    uuid not null references government_systems(id) on delete cascade,
  resource_id  uuid not null references information_resources(id) on delete cascade,
  relation     text not null check (relation in ('holds', 'collects')),
  primary key (system_id, resource_id, relation)
);
create index government_system_resources_resource_idx on government_system_resources (resource_id);

-- 孤网例外决定 (第二十八条): grants and revocations, each signed (SM2, the deciding user's key) over
-- the canonical JSON stored beside it. The standing exception of a system is its latest row when
-- that row is a grant. Append-only: a decision is evidence.
create table isolation_exceptions (
  id                        uuid primary key default gen_random_uuid(),
  seq                       bigint generated always as identity unique,
  system_id                 uuid not null references government_systems(id),
  decision                  text not null check (decision in ('grant', 'revoke')),
  reason                    text not null check (length(btrim(reason)) between 1 and 2000),
  -- The State Council's approval (I-22): its document number and date; grants only.
  approval_document_number  text check (length(btrim(approval_document_number)) between 1 and 100),
  approved_on               date,
  -- The grant a revocation ends (deferred: a backup restores rows in id order).
  revokes_id                uuid references isolation_exceptions(id) deferrable initially deferred,
  actor_id                  uuid not null references users(id),
  role                      text not null,
  payload                   text not null,
  signature                 text not null,
  public_key                text not null,
  created_at                timestamptz not null,
  check ((decision = 'grant') = (approval_document_number is not null and approved_on is not null)),
  check ((decision = 'revoke') = (revokes_id is not null))
);
create index isolation_exceptions_system_idx on isolation_exceptions (system_id, seq desc);

create trigger isolation_exceptions_append_only before update or delete on isolation_exceptions
  for each row execute function refuse_change();
create trigger isolation_exceptions_no_truncate before truncate on isolation_exceptions
  for each statement execute function refuse_change();

-- 确认目录: a department states that its list is current (第十二条: 及时更新). Who, when, and what:
-- the number of systems and an SM3 digest of their ids and versions at that moment.
create table catalog_confirmations (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity unique,
  organization_id  uuid not null references organizations(id),
  confirmed_by     uuid not null references users(id),
  role             text not null,
  system_count     integer not null check (system_count >= 0),
  digest           char(64) not null,
  note             text not null default '' check (length(note) <= 2000),
  created_at       timestamptz not null
);
create index catalog_confirmations_org_idx on catalog_confirmations (organization_id, seq desc);

create trigger catalog_confirmations_append_only before update or delete on catalog_confirmations
  for each row execute function refuse_change();
create trigger catalog_confirmations_no_truncate before truncate on catalog_confirmations
  for each statement execute function refuse_change();
