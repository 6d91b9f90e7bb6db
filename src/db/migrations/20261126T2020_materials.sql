-- Project materials (SPEC §10): every uploaded document is a version of one material code of
-- one stage of a project, with the SM3 digest of its bytes. The bytes live in the file store
-- (src/storage/file-store.ts; content-addressed, storage_key = the SM3 hex), not here, so a
-- database backup holds the rows and the file directory must be copied beside it.
-- Versions are never overwritten: a new upload is a new row with the next version_no.

create table project_materials (
  id             uuid primary key default gen_random_uuid(),
  project_id     uuid not null references projects(id),
  stage          text not null check (stage in ('proposal', 'feasibilityStudy', 'preliminaryDesign', 'combinedStage', 'filing')),
  -- One of MATERIAL_CODES (src/domain/lifecycle.ts), checked by the application; the shape is
  -- checked here so a new code needs no migration.
  material_code  text not null check (material_code ~ '^[a-z][A-Za-z0-9]{0,63}$'),
  version_no     integer not null check (version_no >= 1),
  -- The uploader's file name, cleaned for display (src/domain/file-name.ts).
  file_name      text not null check (length(file_name) between 1 and 200),
  -- Detected from the bytes (src/domain/file-type.ts), never taken from the upload's claim.
  media_type     text not null check (media_type in ('application/pdf', 'application/ofd',
                   'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                   'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                   'application/zip', 'image/png', 'image/jpeg')),
  size_bytes     bigint not null check (size_bytes >= 1),
  sm3            char(64) not null check (sm3 ~ '^[0-9a-f]{64}$'),
  storage_key    text not null check (length(storage_key) between 1 and 1024),
  uploaded_by    uuid not null references users(id),
  uploaded_at    timestamptz not null default now(),
  unique (project_id, stage, material_code, version_no)
);
create index project_materials_sm3_idx on project_materials (sm3);

-- Append-only: an uploaded version is evidence (a decision signs the digests it decided on).
create trigger project_materials_append_only before update or delete on project_materials
  for each row execute function refuse_change();
create trigger project_materials_no_truncate before truncate on project_materials
  for each statement execute function refuse_change();
