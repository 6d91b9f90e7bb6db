-- The open-data API's data version (issue 6 performance): one number that moves whenever anything
-- the public API shows may have changed, so a conditional GET can answer 304 (and an in-process
-- cache can answer 200) from it without building the page or recounting the table.
--
-- Each transaction that changes a table the public API reads appends one row here when it commits
-- (a deferred constraint trigger: once per transaction, the transaction-local setting skips the
-- rest of its rows); the version is max(seq), an index lookup. A table, not a sequence: its rows
-- are transactional, so a rolled-back write never moves the version and a read replica sees the
-- version exactly with the rows it describes (a standby's sequences run up to 32 values ahead and
-- move in jumps). Appending never waits for another writer (no shared row is updated). The one
-- window left: two writers committing at the same moment, the later-numbered one visible first; a
-- reader in between sees the higher number without the other's rows. src/usecases/open-data.ts
-- bounds what that can leave stale by the body cache's time to live (the responses' max-age, 60 s).
-- Old rows are pruned as new ones come (every 1,000th keeps the last 1,000).
create table open_data_changes (
  seq bigint generated always as identity primary key
);

create function bump_open_data_version() returns trigger language plpgsql as $$
declare n bigint;
begin
  if current_setting('govproj.open_data_bumped', true) is distinct from txid_current()::text then
    insert into open_data_changes default values returning seq into n;
    perform set_config('govproj.open_data_bumped', txid_current()::text, true);
    if n % 1000 = 0 then
      delete from open_data_changes where seq <= n - 1000;
    end if;
  end if;
  return null;
end $$;

-- TRUNCATE has no row triggers: bump at once.
create function bump_open_data_version_now() returns trigger language plpgsql as $$
begin
  insert into open_data_changes default values;
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
