// Row types of the SQL schema (src/db/migrations), for Kysely. Keep in step with the
// migrations: a column added there is added here. int8 and numeric are strings.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OrganizationsTable {
  id: Generated<string>;
  parent_id: string | null;
  name: string;
  name_en: Generated<string>;
  kind: string;
  credit_code: string;
  division_code: string | null;
  version: Generated<number>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  phone_enc: string | null;
  phone_index: string | null;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  totp_secret_enc: string | null;
  totp_last_counter: string | null;
  sm2_public_key: string;
  sm2_private_key_enc: string;
  last_login_at: Date | null;
  version: Generated<number>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface UserOrganizationsTable {
  user_id: string;
  organization_id: string;
}

export interface UserRolesTable {
  user_id: string;
  role_code: string;
  custom_organization_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  kind: 'cookie' | 'bearer';
  created_at: DefaultedTimestamp;
  last_seen_at: DefaultedTimestamp;
  expires_at: Timestamp;
  revoked_at: Date | null;
  revoked_by: string | null;
  client_address: Generated<string>;
  user_agent: Generated<string>;
}

export interface AuditEventsTable {
  id: ColumnType<string, never, never>;
  chain_id: string;
  seq: ColumnType<string, string | number, never>;
  prev_hash: string;
  hash: string;
  occurred_at: Timestamp;
  actor_id: string | null;
  actor_username: string | null;
  organization_id: string | null;
  role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: 'success' | 'denied' | 'failure';
  diff: ColumnType<unknown, string | null, never>;
  request_id: string | null;
  client_address: string | null;
}

export interface AuditChainHeadsTable {
  chain_id: string;
  seq: ColumnType<string, string | number, string | number>;
  hash: string;
  checkpointed_seq: ColumnType<string, string | number | undefined, string | number>;
}

export interface AuditCheckpointsTable {
  id: ColumnType<string, string | number, never>;
  created_at: Timestamp;
  prev_hash: string;
  entries_digest: string;
  entry_count: number;
  hash: string;
  public_key: string;
  signature: string;
}

export interface AuditCheckpointEntriesTable {
  checkpoint_id: ColumnType<string, string | number, never>;
  chain_id: string;
  seq: ColumnType<string, string | number, never>;
  hash: string;
}

export interface SystemStateTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: DefaultedTimestamp;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: DefaultedTimestamp;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  user_organizations: UserOrganizationsTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_checkpoint_entries: AuditCheckpointEntriesTable;
  system_state: SystemStateTable;
  schema_migrations: SchemaMigrationsTable;
}
