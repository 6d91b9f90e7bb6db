-- Indexes for the project list at national scale (issue 3, performance; measured with
-- EXPLAIN ANALYZE on 100,000 synthetic projects, see docs/benchmarks.md). The list is ordered
-- newest first with the id as tie-breaker and counts its matches; every filter below is then
-- answered from an index, and every count from an index-only scan where the filter allows.
-- Migrations are append-only: never edit this file once it has landed; add a new one.

-- The list's exact ORDER BY (created_at desc, id): the first page is read in order, no sort.
create index projects_created_id_idx on projects (created_at desc, id);
drop index projects_created_idx;

-- 当前阶段 filter: the page in order within the stage (the count uses projects_stage_idx).
create index projects_stage_created_idx on projects (stage, created_at desc, id);

-- 建设年度: listProjects states the year both as a construction_start range and as the year
-- expression. The range with the investment range: both filters and their count from one
-- index, index-only. The expression: the page of one year in list order (with the range alone
-- the planner, which cannot know that projects are created shortly before they start, reads
-- the newest projects of all years until it has found a page of the one asked for).
create index projects_start_investment_idx on projects (construction_start, total_investment);
create index projects_year_created_idx on projects ((extract(year from construction_start)), created_at desc, id);

-- 总投资 range alone.
create index projects_investment_idx on projects (total_investment);
