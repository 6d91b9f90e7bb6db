-- 安全与资源记录 (第十四条–第十七条), 共享问题认定 (第二十八条(一)) and the per-system summary the O&M
-- funding eligibility list (第二十八条) reads set-based. Migrations are append-only: never edit this
-- file once it has landed; add a new one.

-- One record of a project's or a system's security and resources (SPEC §4):
--   filing            等保/分保备案 (第十四条): scheme, level, filing number (reference), date
--   securityTest      等级测评 or 安全保密测评 (第十四条): date, conclusion, findings
--   riskAssessment    风险评估 (第十四条): date, conclusion, findings
--   cryptoPlan        密码应用方案 (第十五条: 同步规划): date, reviewed
--   cryptoAssessment  密码应用安全性评估 (第十五条): date, conclusion, score, findings
--   hazard            重大安全隐患 (第二十八条(三)): found on, resolved on
--   product           安全可靠软硬件产品 (第十六条): product, vendor, certificate (reference)
--   energy            数据中心能效 PUE (第十六条): measured on, value
--   cloud             云资源 (第十七条): since, provider, vCPU, storage
-- A record names the project it was made under, the system it is about, or both (I-50); the
-- kinds that decide a system's eligibility always name the system.
create table security_records (
  id           uuid primary key default gen_random_uuid(),
  seq          bigint generated always as identity unique,
  kind         text not null check (kind in
                 ('filing', 'securityTest', 'riskAssessment', 'cryptoPlan', 'cryptoAssessment', 'hazard', 'product', 'energy', 'cloud')),
  project_id   uuid references projects(id),
  system_id    uuid references government_systems(id),
  -- The record's date: filed, tested, assessed, drafted, found, measured, in use since.
  occurred_on  date not null,
  -- The conclusion of a test or an assessment (pass / fail); null for the other kinds.
  passed       boolean,
  -- 备案编号, 报告编号, 证书编号 …
  reference    text check (reference is null or length(btrim(reference)) between 1 and 100),
  -- The kind's own fields (src/domain/security-records.ts), validated before they are written.
  details      jsonb not null default '{}',
  -- 重大安全隐患 only: rectified on that day.
  resolved_on  date,
  resolution   text check (resolution is null or length(btrim(resolution)) between 1 and 2000),
  resolved_by  uuid references users(id),
  recorded_by  uuid not null references users(id),
  role         text not null,
  created_at   timestamptz not null,
  check (project_id is not null or system_id is not null),
  check ((kind in ('securityTest', 'riskAssessment', 'cryptoAssessment')) = (passed is not null)),
  check (kind not in ('filing', 'securityTest', 'cryptoAssessment', 'hazard') or system_id is not null),
  check (kind = 'hazard' or resolved_on is null),
  check ((resolved_on is null) = (resolution is null)),
  check (resolved_on is null or resolved_on >= occurred_on)
);
create index security_records_system_idx on security_records (system_id, kind, occurred_on desc, seq desc) where system_id is not null;
create index security_records_project_idx on security_records (project_id, kind, occurred_on desc) where project_id is not null;

-- 第二十八条(一): a supervisory body's finding (国务院办公厅, 国家发展改革委) that a system does not
-- share data as required or collects data already collected. Similarity hits are leads and never
-- land here by themselves (I-20). Resolved when the body records the rectification.
create table sharing_findings (
  id               uuid primary key default gen_random_uuid(),
  seq              bigint generated always as identity unique,
  system_id        uuid not null references government_systems(id),
  kind             text not null check (kind in ('notSharing', 'duplicateCollection')),
  -- The finding's document or case number, shown with the reason.
  reference        text not null check (length(btrim(reference)) between 1 and 100),
  description      text not null check (length(btrim(description)) between 1 and 2000),
  found_on         date not null,
  organization_id  uuid not null references organizations(id),
  recorded_by      uuid not null references users(id),
  role             text not null,
  created_at       timestamptz not null,
  resolved_on      date,
  resolution       text check (resolution is null or length(btrim(resolution)) between 1 and 2000),
  resolved_by      uuid references users(id),
  check ((resolved_on is null) = (resolution is null) and (resolved_on is null) = (resolved_by is null)),
  check (resolved_on is null or resolved_on >= found_on)
);
create index sharing_findings_system_idx on sharing_findings (system_id, seq);

-- The facts of each system that 第二十八条 reads, kept by the use cases in the transaction of every
-- record and finding they write (recomputed from those rows, never incremented), so the national
-- eligibility list is a join on primary keys rather than four aggregates per system. A system
-- without a row has no records: no test, no 密评, no hazard, no finding.
create table system_security_status (
  system_id                  uuid primary key references government_systems(id) on delete cascade,
  last_test_on               date,
  last_test_passed           boolean,
  last_crypto_on             date,
  last_crypto_passed         boolean,
  open_hazards               integer not null default 0 check (open_hazards >= 0),
  open_not_sharing           integer not null default 0 check (open_not_sharing >= 0),
  open_duplicate_collection  integer not null default 0 check (open_duplicate_collection >= 0),
  updated_at                 timestamptz not null
);
