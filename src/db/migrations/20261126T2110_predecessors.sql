-- 第九条: a 改建 or 扩建 project's filing includes the previous project's third-party
-- post-evaluation report (第二十七条). Instead of uploading the report again, the construction
-- unit may link the earlier project on which that report is kept (material postEvaluationReport).
create table project_predecessors (
  project_id           uuid primary key references projects(id),
  previous_project_id  uuid not null references projects(id),
  linked_by            uuid not null references users(id),
  linked_at            timestamptz not null,
  check (project_id <> previous_project_id)
);
create index project_predecessors_previous_idx on project_predecessors (previous_project_id);
