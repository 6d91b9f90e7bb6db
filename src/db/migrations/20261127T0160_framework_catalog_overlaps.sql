-- 第十条 确保各部门建设内容不重叠, I-13: a framework plan's contents are compared with the systems
-- already in the master catalog (第十二条), not only with each other. A suspected overlap between a
-- content and a catalog system is handled like one between two contents: the content is changed,
-- or a written reason why it does not duplicate the system is recorded here. Editing the content
-- removes its rows (the reason was about the old text); deleting the content or the system
-- removes them too.
create table framework_catalog_overlap_justifications (
  framework_id    uuid not null references framework_plans(id) on delete cascade,
  content_id      uuid not null references framework_contents(id) on delete cascade,
  system_id       uuid not null references government_systems(id) on delete cascade,
  reason          text not null check (length(btrim(reason)) between 1 and 2000),
  -- The similarity when it was justified, for the record.
  similarity      numeric(5, 4) not null check (similarity between 0 and 1),
  justified_by    uuid references users(id),
  created_at      timestamptz not null,
  primary key (content_id, system_id)
);
create index framework_catalog_overlap_justifications_framework_idx on framework_catalog_overlap_justifications (framework_id);
create index framework_catalog_overlap_justifications_system_idx on framework_catalog_overlap_justifications (system_id);
