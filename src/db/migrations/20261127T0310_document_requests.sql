-- 第二十九条 资料调阅: 建设单位应…配合绩效评价、审计等工作，如实提供有关资料和情况，不得拒绝、隐匿、瞒报.
-- A supervisory body (go, ndrc, mof, cac, or the project's approval department, role approver)
-- requests materials about a project or a system from the responsible unit by a deadline (due_on,
-- by default documentRequest.responseDays after the request, I-90). The unit answers with a
-- statement and files, or states that an item does not exist and why; the requester accepts the
-- answer or returns it as incomplete, and the unit answers again. Answers, reviews and files are
-- append-only (like every other evidence); only the request's status row moves.
-- status: open (waiting for the first answer), answered (waiting for review), returned (waiting for
-- a new answer), accepted (closed). Overdue is derived, never stored: status in (open, returned) and
-- due_on before today (Asia/Shanghai); the deadline day itself is on time.
create table document_requests (
  id                        uuid primary key default gen_random_uuid(),
  seq                       bigint generated always as identity unique,
  project_id                uuid references projects(id),
  system_id                 uuid references government_systems(id),
  unit_organization_id      uuid not null references organizations(id),
  requester_role            text not null check (requester_role in ('go', 'ndrc', 'mof', 'cac', 'approver')),
  requester_organization_id uuid not null references organizations(id),
  requested_by              uuid not null references users(id),
  purpose                   text not null check (purpose in ('performanceEvaluation', 'audit', 'inspection', 'other')),
  title                     text not null check (length(btrim(title)) between 1 and 200),
  -- What is requested: a JSON array of 1–50 non-blank strings, answered item by item.
  items                     jsonb not null check (jsonb_typeof(items) = 'array' and jsonb_array_length(items) between 1 and 50),
  requested_on              date not null,
  due_on                    date not null check (due_on >= requested_on),
  -- Where the deadline came from: the rule setting in force (value, source) or 'explicit'.
  due_rule                  jsonb not null,
  status                    text not null check (status in ('open', 'answered', 'returned', 'accepted')),
  -- The 第三十条 finding opened from this request (overdue or returned), at most one.
  finding_id                uuid unique references supervision_findings(id),
  answered_at               timestamptz,
  closed_at                 timestamptz,
  version                   integer not null default 1,
  created_at                timestamptz not null,
  updated_at                timestamptz not null,
  check ((project_id is null) <> (system_id is null)),
  check ((status = 'accepted') = (closed_at is not null))
);
create index document_requests_project_idx on document_requests (project_id) where project_id is not null;
create index document_requests_system_idx on document_requests (system_id) where system_id is not null;
create index document_requests_unit_idx on document_requests (unit_organization_id, status);
create index document_requests_requester_idx on document_requests (requester_organization_id, seq);
create index document_requests_due_idx on document_requests (due_on) where status in ('open', 'returned');

-- The unit's files for a request, uploaded before the answer that submits them (SM3-addressed in
-- the same file store as project materials).
create table document_request_files (
  id            uuid primary key default gen_random_uuid(),
  seq           bigint generated always as identity unique,
  request_id    uuid not null references document_requests(id),
  file_name     text not null,
  media_type    text not null,
  size_bytes    bigint not null check (size_bytes > 0),
  sm3           text not null,
  storage_key   text not null,
  uploaded_by   uuid not null references users(id),
  uploaded_at   timestamptz not null
);
create index document_request_files_request_idx on document_request_files (request_id, seq);
create trigger document_request_files_append_only before update or delete on document_request_files
  for each row execute function refuse_change();

-- Each answer: the statement, the files it submits (ids of document_request_files, each submitted
-- once) and the items stated as not existing with the reason ([{index, reason}]).
create table document_request_answers (
  id             uuid primary key default gen_random_uuid(),
  seq            bigint generated always as identity unique,
  request_id     uuid not null references document_requests(id),
  statement      text not null check (length(btrim(statement)) between 1 and 5000),
  file_ids       jsonb not null default '[]',
  missing_items  jsonb not null default '[]',
  answered_by    uuid not null references users(id),
  answered_at    timestamptz not null
);
create index document_request_answers_request_idx on document_request_answers (request_id, seq);
create trigger document_request_answers_append_only before update or delete on document_request_answers
  for each row execute function refuse_change();

-- The requester's review of an answer: accepted, or returned as incomplete with its reasons.
create table document_request_reviews (
  id           uuid primary key default gen_random_uuid(),
  seq          bigint generated always as identity unique,
  answer_id    uuid not null unique references document_request_answers(id),
  request_id   uuid not null references document_requests(id),
  result       text not null check (result in ('accepted', 'returned')),
  reasons      text not null check (length(btrim(reasons)) between 1 and 5000),
  reviewed_by  uuid not null references users(id),
  role         text not null,
  reviewed_at  timestamptz not null
);
create index document_request_reviews_request_idx on document_request_reviews (request_id, seq);
create trigger document_request_reviews_append_only before update or delete on document_request_reviews
  for each row execute function refuse_change();
