-- 第二十八条 重复建设 warnings and 第十一条 catalog views (issue 4).
-- Migrations are append-only: never edit this file once it has landed; add a new one.

-- Each app process keeps its own similarity index of the projects and the master catalog's
-- systems (src/usecases/similarity.ts) and, before answering, reads the rows changed since its
-- last sync: a range scan on updated_at instead of the whole table.
create index projects_updated_idx on projects (updated_at);
create index government_systems_updated_idx on government_systems (updated_at);

-- The national information-resource catalog is listed and exported in 信息资源代码 order, the
-- export in keyset batches on (code, id); the per-project unique index leads with project_id.
create index information_resources_code_idx on information_resources (code, id);
