-- 双随机、一公开 spot checks (SPEC §9; 第三十条 监督检查 by 国务院办公厅、国家发展改革委、财政部、中央网信办)
-- and what the open-data portal publishes of them. The pools are frozen when the spot check is
-- created and published before the seed exists (I-62); the draw writes the seed and the result
-- once. Triggers keep the frozen pools and the draw from ever changing.
create table spot_checks (
  id                     uuid primary key default gen_random_uuid(),
  title                  text not null check (length(btrim(title)) between 1 and 200),
  -- The organizing supervisory body (组织单位), published.
  organization_id        uuid not null references organizations(id),
  -- [{code, title, basis}], the inspection items (检查事项清单).
  checklist              jsonb not null check (jsonb_typeof(checklist) = 'array' and jsonb_array_length(checklist) >= 1),
  -- The filter that built the target pool, published with it.
  target_filter          jsonb not null,
  target_count           integer not null check (target_count >= 1),
  inspectors_per_target  integer not null check (inspectors_per_target >= 2),
  algorithm              text not null,
  -- The frozen pools as published (src/domain/spot-check-draw.ts DrawTarget[] / DrawInspector[]).
  targets                jsonb not null,
  inspectors             jsonb not null,
  -- Which user each inspector ref is: never published (personal data, I-63).
  inspector_users        jsonb not null,
  targets_digest         char(64) not null,
  inspectors_digest      char(64) not null,
  rules_digest           char(64) not null,
  -- pooled (pools published, no seed yet) → drawn → concluded (outcomes published).
  status                 text not null check (status in ('pooled', 'drawn', 'concluded')),
  seed                   char(64) check (seed ~ '^[0-9a-f]{64}$'),
  seed_digest            char(64),
  input_digest           char(64),
  -- [{targetRef, inspectorRefs}]
  result                 jsonb,
  result_digest          char(64),
  drawn_at               timestamptz,
  drawn_by               uuid references users(id),
  concluded_at           timestamptz,
  created_by             uuid not null references users(id),
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  check ((status = 'pooled') = (seed is null)),
  check ((seed is null) = (result is null) and (seed is null) = (result_digest is null) and (seed is null) = (drawn_at is null)),
  check ((status = 'concluded') = (concluded_at is not null))
);
create index spot_checks_created on spot_checks (created_at desc, id);

create function spot_checks_frozen() returns trigger language plpgsql as $$
begin
  if new.targets is distinct from old.targets or new.inspectors is distinct from old.inspectors
     or new.inspector_users is distinct from old.inspector_users or new.checklist is distinct from old.checklist
     or new.target_count is distinct from old.target_count or new.inspectors_per_target is distinct from old.inspectors_per_target
     or new.algorithm is distinct from old.algorithm or new.target_filter is distinct from old.target_filter then
    raise exception 'spot check pools are frozen once published' using errcode = '55000';
  end if;
  if old.seed is not null and (new.seed is distinct from old.seed or new.result is distinct from old.result
     or new.result_digest is distinct from old.result_digest) then
    raise exception 'a spot check is drawn once' using errcode = '55000';
  end if;
  return new;
end $$;
create trigger spot_checks_frozen before update on spot_checks for each row execute function spot_checks_frozen();
create trigger spot_checks_no_delete before delete on spot_checks for each row execute function refuse_change();

-- The outcome of each checklist item for each drawn target (pass / fail with notes).
create table spot_check_outcomes (
  spot_check_id  uuid not null references spot_checks(id),
  target_ref     text not null,
  item_code      text not null,
  outcome        text not null check (outcome in ('pass', 'fail')),
  notes          text not null default '' check (length(notes) <= 2000),
  recorded_by    uuid not null references users(id),
  recorded_at    timestamptz not null default now(),
  primary key (spot_check_id, target_ref, item_code)
);
