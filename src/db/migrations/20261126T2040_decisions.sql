-- Lifecycle actions and signed decisions (第七条–第九条, SPEC §10). Every action a project
-- takes is a row here; decisions and signatures carry the SM2 signature of the user who took
-- them over the exact canonical text stored beside it, verifiable by anyone with the key.

create table project_actions (
  id              uuid primary key default gen_random_uuid(),
  -- Order of the actions (timestamps can tie; this cannot).
  seq             bigint generated always as identity unique,
  project_id      uuid not null references projects(id),
  action          text not null,
  from_stage      text not null,
  from_status     text not null,
  to_stage        text not null,
  to_status       text not null,
  actor_id        uuid not null references users(id),
  role            text not null,
  -- The canonical JSON that was signed (exact bytes), and its SM2 signature (DER hex) and key.
  payload         text not null,
  signature       text,
  public_key      text,
  created_at      timestamptz not null,
  check ((signature is null) = (public_key is null))
);
create index project_actions_project_idx on project_actions (project_id, created_at);

create trigger project_actions_append_only before update or delete on project_actions
  for each row execute function refuse_change();

-- Idempotency-Key: a repeated request returns the first response instead of acting twice.
create table idempotency_keys (
  user_id       uuid not null references users(id),
  key           text not null check (length(key) between 1 and 200),
  request_hash  char(64) not null,
  status_code   integer not null,
  response      jsonb not null,
  created_at    timestamptz not null default now(),
  primary key (user_id, key)
);
