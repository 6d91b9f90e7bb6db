-- The catalog summary (GET /api/v1/system-catalog/summary, the national dashboard of 第十二条)
-- counted every visible system of every organization subtree per request: at 300,000 systems an
-- index-only scan of all of them (migration 20261127T0240) and a p95 of 124–275 ms under the
-- issue 7 load test (docs/benchmarks.md). The counts only ever depend on the owning organization
-- (catalog:read scopes are organization scopes), so they are kept here per organization, exact,
-- by triggers on every write that can move them; the summary sums a few hundred rows over each
-- subtree instead.
--
-- Why rows of deltas and not one row per organization updated in place: concurrent writers of
-- one organization's systems (an import, two preparers) would queue on that row's lock until each
-- other's commit, and two transactions touching two organizations in opposite orders would
-- deadlock. Here every write statement appends its own delta row and then folds the rows of the
-- organizations it touched into one (delete … returning, summed, inserted), taking only rows no
-- other transaction holds (FOR UPDATE SKIP LOCKED): a writer never waits for another writer, and a
-- row another transaction is folding (or has just appended, uncommitted and invisible) is left to
-- it, so every delta is summed exactly once. An organization has one row, plus one per writer in
-- flight. The counts of an organization are sum(…) over its rows.
--
-- 第二十八条 (isolatedWithoutException) also depends on isolation_exceptions (append-only: latest
-- decision a grant or not); its trigger locks the system row (as the use case does) so a decision
-- and a change of the system's network are counted one after the other, never from the same
-- stale state (in READ COMMITTED, where the application writes: each statement of the trigger reads
-- what committed before it). A system with decisions cannot be deleted (foreign key), so a deleted
-- system's flag is its network alone.
--
-- Order of the statements: the backfill comes last (see 20261127T1110).
create table catalog_counts (
  id                          bigint generated always as identity primary key,
  organization_id             uuid not null references organizations(id) on delete cascade,
  systems                     integer not null default 0,
  under_construction          integer not null default 0,
  operating                   integer not null default 0,
  retired                     integer not null default 0,
  extranet                    integer not null default 0,
  intranet                    integer not null default 0,
  internet                    integer not null default 0,
  isolated                    integer not null default 0,
  isolated_without_exception  integer not null default 0,
  classified                  integer not null default 0,
  mlps_level1                 integer not null default 0,
  mlps_level2                 integer not null default 0,
  mlps_level3                 integer not null default 0,
  mlps_level4                 integer not null default 0,
  mlps_level5                 integer not null default 0
);
create index catalog_counts_organization_idx on catalog_counts (organization_id);

-- Folds the unheld rows of `orgs` into one row each (none when every count is zero).
create function catalog_counts_fold(orgs uuid[]) returns void language sql as $$
  with picked as (
    select id from catalog_counts where organization_id = any(orgs) order by id for update skip locked),
  gone as (
    delete from catalog_counts c using picked p where c.id = p.id returning c.*)
  insert into catalog_counts (organization_id, systems, under_construction, operating, retired, extranet, intranet, internet,
    isolated, isolated_without_exception, classified, mlps_level1, mlps_level2, mlps_level3, mlps_level4, mlps_level5)
  select organization_id, sum(systems), sum(under_construction), sum(operating), sum(retired), sum(extranet), sum(intranet),
    sum(internet), sum(isolated), sum(isolated_without_exception), sum(classified),
    sum(mlps_level1), sum(mlps_level2), sum(mlps_level3), sum(mlps_level4), sum(mlps_level5)
  from gone group by organization_id
  having row(sum(systems), sum(under_construction), sum(operating), sum(retired), sum(extranet), sum(intranet), sum(internet),
    sum(isolated), sum(isolated_without_exception), sum(classified), sum(mlps_level1), sum(mlps_level2), sum(mlps_level3),
    sum(mlps_level4), sum(mlps_level5)) <> row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
$$;

-- The delta of one write statement on government_systems: +1 per row after, −1 per row before
-- (an update is both, so an owner change moves the system between organizations). The transition
-- tables differ per operation, hence the source built for each.
create function catalog_counts_systems() returns trigger language plpgsql as $$
declare
  source text := case tg_op
    when 'INSERT' then 'select 1 as sign, n.* from new_rows n'
    when 'DELETE' then 'select -1 as sign, o.* from old_rows o'
    else 'select 1 as sign, n.* from new_rows n union all select -1, o.* from old_rows o' end;
  orgs uuid[];
begin
  execute format($q$
    with r as (%s),
    f as (select r.*, r.network_type = 'isolated' and not coalesce((select e.decision = 'grant' from isolation_exceptions e
            where e.system_id = r.id order by e.seq desc limit 1), false) as flagged from r),
    a as (
      select owner_organization_id as organization_id, sum(sign) as systems,
        sum(case when status = 'under_construction' then sign else 0 end) as under_construction,
        sum(case when status = 'operating' then sign else 0 end) as operating,
        sum(case when status = 'retired' then sign else 0 end) as retired,
        sum(case when network_type = 'extranet' then sign else 0 end) as extranet,
        sum(case when network_type = 'intranet' then sign else 0 end) as intranet,
        sum(case when network_type = 'internet' then sign else 0 end) as internet,
        sum(case when network_type = 'isolated' then sign else 0 end) as isolated,
        sum(case when flagged then sign else 0 end) as isolated_without_exception,
        sum(case when protection_scheme = 'classified' then sign else 0 end) as classified,
        sum(case when mlps_level = 1 then sign else 0 end) as mlps_level1, sum(case when mlps_level = 2 then sign else 0 end) as mlps_level2,
        sum(case when mlps_level = 3 then sign else 0 end) as mlps_level3, sum(case when mlps_level = 4 then sign else 0 end) as mlps_level4,
        sum(case when mlps_level = 5 then sign else 0 end) as mlps_level5
      from f group by owner_organization_id),
    d as (
      insert into catalog_counts (organization_id, systems, under_construction, operating, retired, extranet, intranet, internet,
        isolated, isolated_without_exception, classified, mlps_level1, mlps_level2, mlps_level3, mlps_level4, mlps_level5)
      select * from a
      -- An update that moved nothing counted (a name, a purpose) appends nothing.
      where row(systems, under_construction, operating, retired, extranet, intranet, internet, isolated, isolated_without_exception,
        classified, mlps_level1, mlps_level2, mlps_level3, mlps_level4, mlps_level5) <> row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
      returning organization_id)
    select array_agg(organization_id order by organization_id) from d$q$, source) into orgs;
  if orgs is not null then
    perform catalog_counts_fold(orgs);
  end if;
  return null;
end $$;

create trigger government_systems_catalog_counts_insert after insert on government_systems
  referencing new table as new_rows for each statement execute function catalog_counts_systems();
create trigger government_systems_catalog_counts_update after update on government_systems
  referencing old table as old_rows new table as new_rows for each statement execute function catalog_counts_systems();
create trigger government_systems_catalog_counts_delete after delete on government_systems
  referencing old table as old_rows for each statement execute function catalog_counts_systems();

create function catalog_counts_systems_truncate() returns trigger language plpgsql as $$
begin
  delete from catalog_counts;
  return null;
end $$;
create trigger government_systems_catalog_counts_truncate after truncate on government_systems
  for each statement execute function catalog_counts_systems_truncate();

-- 第二十八条: a decision moves isolatedWithoutException of an isolated system when it changes
-- whether the latest decision is a grant. The system row is locked first (systems in id order),
-- so the state read after it includes every decision and network change committed before.
create function catalog_counts_isolation() returns trigger language plpgsql as $$
declare
  sys uuid;
  owner uuid;
  is_isolated boolean;
  flagged_before boolean;
  flagged_after boolean;
begin
  for sys in select distinct system_id from new_rows order by system_id loop
    select s.owner_organization_id, s.network_type = 'isolated' into owner, is_isolated
      from government_systems s where s.id = sys for no key update;
    continue when not is_isolated;
    flagged_before := not coalesce((select e.decision = 'grant' from isolation_exceptions e
      where e.system_id = sys and e.id not in (select n.id from new_rows n) order by e.seq desc limit 1), false);
    flagged_after := not coalesce((select e.decision = 'grant' from isolation_exceptions e
      where e.system_id = sys order by e.seq desc limit 1), false);
    continue when flagged_before = flagged_after;
    insert into catalog_counts (organization_id, isolated_without_exception)
      values (owner, case when flagged_after then 1 else -1 end);
    perform catalog_counts_fold(array[owner]);
  end loop;
  return null;
end $$;
create trigger isolation_exceptions_catalog_counts after insert on isolation_exceptions
  referencing new table as new_rows for each statement execute function catalog_counts_isolation();

-- The backfill: the systems as they stand (one row per owner).
insert into catalog_counts (organization_id, systems, under_construction, operating, retired, extranet, intranet, internet,
  isolated, isolated_without_exception, classified, mlps_level1, mlps_level2, mlps_level3, mlps_level4, mlps_level5)
select s.owner_organization_id, count(*),
  count(*) filter (where s.status = 'under_construction'), count(*) filter (where s.status = 'operating'),
  count(*) filter (where s.status = 'retired'),
  count(*) filter (where s.network_type = 'extranet'), count(*) filter (where s.network_type = 'intranet'),
  count(*) filter (where s.network_type = 'internet'), count(*) filter (where s.network_type = 'isolated'),
  count(*) filter (where s.network_type = 'isolated' and not coalesce((select e.decision = 'grant' from isolation_exceptions e
    where e.system_id = s.id order by e.seq desc limit 1), false)),
  count(*) filter (where s.protection_scheme = 'classified'),
  count(*) filter (where s.mlps_level = 1), count(*) filter (where s.mlps_level = 2), count(*) filter (where s.mlps_level = 3),
  count(*) filter (where s.mlps_level = 4), count(*) filter (where s.mlps_level = 5)
from government_systems s group by s.owner_organization_id;
