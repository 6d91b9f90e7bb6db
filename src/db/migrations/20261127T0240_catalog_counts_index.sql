-- The catalog summary (GET /api/v1/system-catalog/summary, the national dashboard of 第十二条)
-- counts every system of each organization subtree by status, network, protection scheme and
-- MLPS level. Without this index each request read the whole government_systems heap: at
-- 300,000 systems (2.2 GB of wide rows, far beyond shared_buffers) that was 286,651 heap pages
-- and 12–21 s per request under load (issue 7 load test, EXPLAIN (ANALYZE, BUFFERS) in
-- docs/benchmarks.md). With the counted columns in the index the counts are an index-only scan.
-- Migrations are append-only: never edit this file once it has landed; add a new one.
create index government_systems_counts_idx on government_systems (owner_organization_id)
  include (id, status, network_type, protection_scheme, mlps_level);
