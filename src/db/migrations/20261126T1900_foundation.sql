-- Foundation: organizations, people, sessions, the tamper-evident audit log, rule settings.
-- Migrations are append-only: never edit this file once it has landed; add a new one.

create table organizations (
  id            uuid primary key default gen_random_uuid(),
  parent_id     uuid references organizations(id),
  name          text not null check (length(name) between 1 and 200),
  name_en       text not null default '' check (length(name_en) <= 200),
  kind          text not null check (kind in (
                  'state_council_office', 'ndrc', 'mof', 'cac', 'audit_office', 'ministry', 'bureau',
                  'province', 'city', 'county', 'assessor', 'supervisor', 'evaluator', 'construction_unit')),
  -- 统一社会信用代码 (GB 32100-2015); the check character is validated by the application.
  credit_code   char(18) not null unique check (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  -- 行政区划代码 (GB/T 2260), for local organizations.
  division_code char(6) check (division_code ~ '^[0-9]{6}$'),
  version       integer not null default 1,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);
create index organizations_parent_idx on organizations (parent_id);

create table users (
  id                  uuid primary key default gen_random_uuid(),
  username            text not null unique check (username ~ '^[a-z][a-z0-9_.-]{2,31}$'),
  display_name        text not null check (length(display_name) between 1 and 100),
  password_hash       text not null,
  -- Personal fields are SM4-encrypted (v1.iv.ct.mac); the blind index allows lookups.
  phone_enc           text,
  phone_index         text,
  status              text not null default 'active' check (status in ('active', 'disabled')),
  failed_logins       integer not null default 0,
  locked_until        timestamptz,
  totp_secret_enc     text,
  totp_last_counter   bigint,
  -- The user's SM2 key for signing decisions; the private half is SM4-encrypted.
  sm2_public_key      text not null,
  sm2_private_key_enc text not null,
  last_login_at       timestamptz,
  version             integer not null default 1,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);

create table user_organizations (
  user_id         uuid not null references users(id) on delete cascade,
  organization_id uuid not null references organizations(id),
  primary key (user_id, organization_id)
);
create index user_organizations_org_idx on user_organizations (organization_id);

create table user_roles (
  user_id    uuid not null references users(id) on delete cascade,
  role_code  text not null,
  -- For grants whose scope is "custom": the organizations this assignment covers.
  custom_organization_ids uuid[] not null default '{}',
  primary key (user_id, role_code)
);

create table sessions (
  id             uuid primary key default gen_random_uuid(),
  -- SM3 of the bearer secret; the secret itself is never stored.
  token_hash     char(64) not null unique,
  user_id        uuid not null references users(id) on delete cascade,
  kind           text not null check (kind in ('cookie', 'bearer')),
  created_at     timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  expires_at     timestamptz not null,
  revoked_at     timestamptz,
  revoked_by     uuid references users(id),
  client_address text not null default '',
  user_agent     text not null default ''
);
create index sessions_user_idx on sessions (user_id);

-- The audit log. One hash chain per object (chain_id), so writers of different objects never
-- contend; checkpoints over the chain heads are signed with SM2. See docs/architecture.md.
create table audit_events (
  id              bigint generated always as identity primary key,
  chain_id        text not null,
  seq             bigint not null check (seq >= 1),
  prev_hash       char(64) not null,
  hash            char(64) not null,
  occurred_at     timestamptz not null,
  actor_id        uuid,
  actor_username  text,
  organization_id uuid,
  role            text,
  action          text not null,
  object_type     text,
  object_id       text,
  outcome         text not null check (outcome in ('success', 'denied', 'failure')),
  diff            jsonb,
  request_id      text,
  client_address  text,
  unique (chain_id, seq)
);
create index audit_events_occurred_idx on audit_events (occurred_at desc);
create index audit_events_actor_idx on audit_events (actor_username, occurred_at desc);
create index audit_events_object_idx on audit_events (object_type, object_id);
create index audit_events_action_idx on audit_events (action, occurred_at desc);

-- The head of each chain: the writer locks only this row of the chain it extends.
create table audit_chain_heads (
  chain_id        text primary key,
  seq             bigint not null,
  hash            char(64) not null,
  checkpointed_seq bigint not null default 0
);
create index audit_chain_heads_pending_idx on audit_chain_heads (chain_id) where seq > checkpointed_seq;

create table audit_checkpoints (
  id             bigint primary key,
  created_at     timestamptz not null,
  prev_hash      char(64) not null,
  entries_digest char(64) not null,
  entry_count    integer not null,
  hash           char(64) not null,
  public_key     text not null,
  signature      text not null
);

create table audit_checkpoint_entries (
  checkpoint_id bigint not null references audit_checkpoints(id),
  chain_id      text not null,
  seq           bigint not null,
  hash          char(64) not null,
  primary key (checkpoint_id, chain_id)
);

-- The log is append-only and the database itself refuses anything else. Every append-only
-- table of later migrations (plan history, materials, project actions) uses the same function.
create function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end $$;

create trigger audit_events_append_only before update or delete on audit_events
  for each row execute function refuse_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function refuse_change();
create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints
  for each row execute function refuse_change();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
  for each statement execute function refuse_change();
create trigger audit_checkpoint_entries_append_only before update or delete on audit_checkpoint_entries
  for each row execute function refuse_change();
create trigger audit_checkpoint_entries_no_truncate before truncate on audit_checkpoint_entries
  for each statement execute function refuse_change();

-- Installation-wide facts (e.g. that the demo was seeded).
create table system_state (
  key        text primary key,
  value      jsonb not null,
  updated_at timestamptz not null default now()
);
