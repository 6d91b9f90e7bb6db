-- The open-data API's data version (issue 6 performance): one number that moves whenever anything
-- the public API shows may have changed, so a conditional GET can answer 304 (and an in-process
-- cache can answer 200) from it without building the page or recounting the table.
--
-- A sequence, not a row: nextval never blocks and never deadlocks, so concurrent writers do not
-- queue on a version row. It is bumped by deferred constraint triggers, which fire at commit (once
-- per transaction: the transaction-local setting skips the rest of its rows), so the window in which
-- a reader can see the new number but not yet the committed rows is the few microseconds between
-- the trigger and the commit becoming visible. src/usecases/open-data.ts bounds what that window
-- can leave stale by the cache's time to live (the same 60 s as the responses' max-age).
create sequence open_data_version;

create function bump_open_data_version() returns trigger language plpgsql as $$
begin
  if current_setting('govproj.open_data_bumped', true) is distinct from txid_current()::text then
    perform nextval('open_data_version');
    perform set_config('govproj.open_data_bumped', txid_current()::text, true);
  end if;
  return null;
end $$;

-- TRUNCATE has no row triggers: bump at once (tests and restores).
create function bump_open_data_version_now() returns trigger language plpgsql as $$
begin
  perform nextval('open_data_version');
  return null;
end $$;

do $$
declare t text;
begin
  foreach t in array array['projects', 'organizations', 'government_systems', 'government_system_projects', 'information_resources',
                           'spot_checks', 'spot_check_outcomes'] loop
    execute format('create constraint trigger %I after insert or update or delete on %I deferrable initially deferred
                    for each row execute function bump_open_data_version()', t || '_open_data_version', t);
    execute format('create trigger %I after truncate on %I for each statement execute function bump_open_data_version_now()',
                   t || '_open_data_version_truncate', t);
  end loop;
end $$;
