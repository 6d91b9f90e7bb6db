-- The incremental compliance sweep (issue 5, SPEC §11; src/usecases/obligations.ts).
--
-- 第二十一条: a rectification ordered by the approval department is an obligation of the project,
-- due on the order's date, discharged by the unit's report (one per order: period = the order id).
alter table obligations drop constraint obligations_kind_check;
alter table obligations add constraint obligations_kind_check check (kind in
  ('acceptanceApplication', 'annualReport', 'selfEvaluation', 'securityTest', 'cryptoAssessment', 'rectification'));

-- The first day after the sweep's day on which the obligation's status can move by the calendar
-- alone (notDue → dueSoon → dueToday → overdue; the self-evaluation window opening); null when
-- only a new record can move it (done, overdue).
alter table obligations add column next_change_on date;

-- One row per subject the sweep covers (a project in construction, a system in operation): an
-- MD5 of every input its obligations are computed from (dates, records, the settings in force
-- for it, and for a project still in construction the current year) and the first day one of its
-- obligations moves by the calendar. The daily sweep reads every subject's inputs once (a scan),
-- compares them with `inputs`, and recomputes only the subjects whose inputs changed, whose
-- next_change_on has come, or that were computed for a later day (a clock set back); the result
-- equals a full recompute (test/db/obligations.test.ts checks it on both engines). Derived
-- state: deleting every row makes the next sweep a full recompute.
create table obligation_subjects (
  subject_id      uuid primary key,
  subject_type    text not null check (subject_type in ('project', 'system')),
  inputs          uuid not null,
  next_change_on  date,
  swept_on        date not null
);
create index obligation_subjects_next_change_idx on obligation_subjects (next_change_on) where next_change_on is not null;
