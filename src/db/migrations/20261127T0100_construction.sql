-- 第十三条–第二十八条: the construction phase of an approved (or filed) project. One row per
-- project, created by the first construction record. Every construction write locks this row
-- (select … for update), so concurrent changes to one project serialize here: of two
-- adjustments sent at the same moment, the second sees the first (第二十三条).
create table project_construction (
  project_id       uuid primary key references projects(id),
  -- 第二十一条: set while a suspension order stands; no construction action is taken meanwhile.
  suspended_since  timestamptz,
  -- 第二十二条: the completion date; construction records close then, acceptance opens.
  completed_on     date,
  -- 第二十五条: the date the project acceptance passed.
  accepted_on      date,
  -- 第二十七条: the date the system went into operation (the self-evaluation window counts from
  -- the later of this and accepted_on).
  in_operation_on  date,
  created_at       timestamptz not null,
  updated_at       timestamptz not null,
  check (accepted_on is null or completed_on is not null),
  check (accepted_on is null or accepted_on >= completed_on)
);
create index project_construction_completed_idx on project_construction (completed_on) where completed_on is not null;
create index project_construction_accepted_idx on project_construction (accepted_on) where accepted_on is not null;
