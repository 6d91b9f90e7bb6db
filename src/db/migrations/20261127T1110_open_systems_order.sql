-- The public list of systems (open data, SPEC §14) is ordered by the owning unit's name, then the
-- system's name and id, and pages by that key (keyset cursors, migration 20261127T0300). The key
-- spanned two tables, so no index could give it: every page joined and sorted all of the
-- published systems (300,000: 548 ms per page; under the year-end load test the open-data lists
-- had a p95 of 379 ms on an idle machine, docs/benchmarks.md). The owner's name is kept on the
-- system (set from organizations on insert and when the owner changes, and rewritten when a unit
-- is renamed), so one index walks the published systems in page order.
--
-- Order of the statements: the backfill UPDATE leaves trigger events pending (open_data_changes,
-- migration 20261127T0300) and PostgreSQL then refuses any further ALTER TABLE or CREATE INDEX on
-- the table in this transaction, so it comes last; NOT NULL is a check constraint added NOT VALID
-- before it (every row is rewritten by the backfill, and every later write is checked).
alter table government_systems add column owner_name text,
  add constraint government_systems_owner_name_set check (owner_name is not null) not valid;

create function government_systems_owner_name() returns trigger language plpgsql as $$
begin
  new.owner_name := (select o.name from organizations o where o.id = new.owner_organization_id);
  return new;
end $$;
create trigger government_systems_owner_name before insert or update of owner_organization_id, owner_name
  on government_systems for each row execute function government_systems_owner_name();

create function organizations_rename_systems() returns trigger language plpgsql as $$
begin
  update government_systems set owner_name = new.name where owner_organization_id = new.id;
  return null;
end $$;
create trigger organizations_rename_systems after update of name on organizations
  for each row when (old.name is distinct from new.name) execute function organizations_rename_systems();

create index government_systems_open_order_idx on government_systems (owner_name, name, id) where involves_secrets = false;

update government_systems s set owner_name = o.name from organizations o where o.id = s.owner_organization_id;
