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
  /** SPEC §11: where email reminders go (optional). */
  email: ColumnType<string | null, string | null | undefined, string | null>;
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

// 第六条 plans (migration 20261126T2000_plans.sql). `date` columns are YYYY-MM-DD strings.
export interface PlansTable {
  id: Generated<string>;
  level: 'national' | 'department';
  parent_plan_id: string | null;
  organization_id: string;
  name: string;
  period_start_year: number;
  period_end_year: number;
  status: Generated<'draft' | 'approved'>;
  approved_on: string | null;
  approval_document_number: string | null;
  current_version: Generated<number>;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface PlanTasksTable {
  id: Generated<string>;
  plan_id: string;
  code: string;
  title: string;
  description: Generated<string>;
  parent_task_id: string | null;
  sort_order: Generated<number>;
  withdrawn_in_version: number | null;
  version: Generated<number>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface PlanVersionsTable {
  plan_id: string;
  version_no: number;
  source: 'approval' | 'adjustment';
  snapshot: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: ColumnType<string | null, string | null | undefined, never>;
}

export interface PlanAdjustmentsTable {
  id: Generated<string>;
  plan_id: string;
  reason_category: 'circumstances_changed' | 'central_deployment' | 'other';
  evaluation: string;
  description: string;
  changes: ColumnType<unknown, string, never>;
  approved_on: string;
  approval_document_number: string | null;
  version_no: number;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: DefaultedTimestamp;
}

export interface ProjectsTable {
  id: Generated<string>;
  code: string;
  name: string;
  construction_unit_id: string;
  approval_department_id: string;
  track: 'approval' | 'filing';
  kind: 'new' | 'rebuild' | 'expansion' | 'purchasedService';
  plan_task_id: string | null;
  involves_secrets: boolean;
  cross_department: boolean;
  lead_organization_id: string | null;
  /** Calendar dates, YYYY-MM-DD. */
  construction_start: string;
  construction_end: string;
  /** 万元, NUMERIC as text. */
  total_investment: string;
  o_and_m_funds: string;
  funding_channel: string;
  performance_indicators: ColumnType<unknown, string, string>;
  systems: ColumnType<unknown, string, string>;
  protection_scheme: 'mlps' | 'classified';
  mlps_level: number | null;
  crypto_plan: string;
  crypto_assessment: string;
  new_civil_construction: boolean;
  high_energy_consumption: boolean;
  urgent: ColumnType<unknown, string | null, string | null>;
  stage: string;
  status: string;
  created_by: string;
  version: Generated<number>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface ProjectParticipantsTable {
  project_id: string;
  organization_id: string;
}

// Project materials (migration 20261126T2020_materials.sql): append-only file versions.
export interface ProjectMaterialsTable {
  id: Generated<string>;
  project_id: string;
  stage: string;
  material_code: string;
  version_no: number;
  file_name: string;
  media_type: string;
  /** bigint as text. */
  size_bytes: ColumnType<string, string | number, never>;
  sm3: string;
  storage_key: string;
  uploaded_by: string;
  uploaded_at: DefaultedTimestamp;
}

export interface ProjectActionsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  action: string;
  from_stage: string;
  from_status: string;
  to_stage: string;
  to_status: string;
  actor_id: string;
  role: string;
  payload: string;
  signature: string | null;
  public_key: string | null;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, never>;
  created_at: DefaultedTimestamp;
}

// 第十一条 信息资源目录 (migration 20261126T2030_resource_catalog.sql).
export interface InformationResourcesTable {
  id: Generated<string>;
  project_id: string;
  code: string;
  name: string;
  classification_kind: 'base' | 'theme' | 'department';
  base_category: 'population' | 'legal_entity' | 'natural_resources_geo' | 'social_credit' | 'e_certificate' | null;
  provider_organization_id: string;
  format: 'database' | 'file' | 'api' | 'spreadsheet' | 'image' | 'other';
  update_cycle: 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';
  sharing_type: 'unconditional' | 'conditional' | 'none';
  sharing_basis: string | null;
  open_type: 'unconditional' | 'conditional' | 'none';
  open_basis: string | null;
  involves_secrets: boolean;
  data_items: ColumnType<unknown, string, string>;
  version: Generated<number>;
  created_by: string;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

// 第十条 跨部门项目框架方案, 分项关联, 地方协同 (migration 20261126T2080_frameworks.sql).
export interface FrameworkPlansTable {
  id: Generated<string>;
  name: string;
  lead_organization_id: string;
  goals: string;
  status: Generated<'draft' | 'submitted' | 'confirmed' | 'returned'>;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface FrameworkParticipantsTable {
  framework_id: string;
  organization_id: string;
  version: Generated<number>;
  confirmed_at: Date | null;
  confirmed_by: string | null;
  created_at: DefaultedTimestamp;
}

export interface FrameworkContentsTable {
  id: Generated<string>;
  framework_id: string;
  organization_id: string;
  title: string;
  description: string;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface FrameworkBusinessFlowsTable {
  id: Generated<string>;
  framework_id: string;
  name: string;
  description: Generated<string>;
  /** [{organizationId, activity}] */
  steps: ColumnType<unknown, string, string>;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface FrameworkDataFlowsTable {
  id: Generated<string>;
  framework_id: string;
  from_organization_id: string;
  from_system: string | null;
  to_organization_id: string;
  to_system: string | null;
  /** string[] */
  data_items: ColumnType<unknown, string, string>;
  frequency: 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';
  interface_method: 'api' | 'file' | 'database' | 'message' | 'exchange_platform' | 'other';
  description: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface FrameworkCatalogEntriesTable {
  id: Generated<string>;
  framework_id: string;
  name: string;
  provider_organization_id: string;
  /** string[] */
  data_items: ColumnType<unknown, string, string>;
  sharing_type: 'unconditional' | 'conditional' | 'none';
  sharing_basis: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

/** 20261127T0160: a framework content vs a master-catalog system (I-13). */
export interface FrameworkCatalogOverlapJustificationsTable {
  framework_id: string;
  content_id: string;
  system_id: string;
  reason: string;
  /** numeric(5,4) as text. */
  similarity: ColumnType<string, string, string>;
  justified_by: string | null;
  created_at: Timestamp;
}

export interface FrameworkOverlapJustificationsTable {
  framework_id: string;
  content_a_id: string;
  content_b_id: string;
  reason: string;
  /** numeric(5,4) as text. */
  similarity: ColumnType<string, string, string>;
  justified_by: string | null;
  created_at: Timestamp;
}

export interface FrameworkActionsTable {
  id: Generated<string>;
  framework_id: string;
  action_no: number;
  action: 'submit' | 'withdraw' | 'confirm' | 'return';
  from_status: string;
  to_status: string;
  actor_id: string;
  role: string;
  reasons: string | null;
  payload: string;
  signature: string | null;
  public_key: string | null;
  created_at: Timestamp;
}

export interface FrameworkProjectsTable {
  framework_id: string;
  project_id: string;
  organization_id: string;
  linked_by: string | null;
  created_at: Timestamp;
}

export interface ProjectCoordinationTable {
  local_project_id: string;
  national_project_id: string;
  linked_by: string | null;
  created_at: Timestamp;
}

// 改派审核人, 咨询评估单位, 规则设置, 通知 (migration 20261126T2050_workflow.sql).
export interface ProjectAssignmentsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  kind: 'reviewer' | 'assessor';
  organization_id: string;
  user_id: string | null;
  reason: string;
  assigned_by: string;
  created_at: Timestamp;
}

export interface RuleSettingsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  key: string;
  organization_id: string | null;
  /** JSON value; null on an organization's row removes its override. */
  value: ColumnType<unknown, string | null, never>;
  reason: string;
  changed_by: string;
  created_at: Timestamp;
  /** 第三十四条: the first day this version is in force ('0001-01-01': from the beginning). */
  effective_from: string;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  /** Exactly one of project_id and framework_id is set (what the notification is about). */
  project_id: string | null;
  framework_id: ColumnType<string | null, string | null | undefined, string | null>;
  kind: string;
  action_id: string | null;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
  /** A reminder (dueSoon, overdue): the lifecycle state (track.stage.status) and the Shanghai day it is for. */
  reminder_state: ColumnType<string | null, string | null | undefined, string | null>;
  reminder_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** An obligation reminder about a system (20261127T0150_obligations.sql). */
  system_id: ColumnType<string | null, string | null | undefined, string | null>;
  obligation_id: ColumnType<string | null, string | null | undefined, string | null>;
}

// 第十二条 国家政务信息系统总目录, 第二十八条 孤网例外决定 (migration 20261126T2070_systems.sql).
export interface GovernmentSystemsTable {
  id: Generated<string>;
  owner_organization_id: string;
  /** The owner's name, kept by triggers (the open-data list's order; 20261127T1110_open_systems_order.sql). */
  owner_name: ColumnType<string, never, never>;
  name: string;
  purpose: string;
  business_area: string;
  network_type: 'extranet' | 'intranet' | 'internet' | 'isolated';
  involves_secrets: boolean;
  protection_scheme: 'mlps' | 'classified';
  mlps_level: number | null;
  mlps_filing_number: string | null;
  user_count: number;
  status: 'under_construction' | 'operating' | 'retired';
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface GovernmentSystemProjectsTable {
  system_id: string;
  project_id: string;
  relation: 'new' | 'upgrade';
}

export interface GovernmentSystemResourcesTable {
  system_id: string;
  resource_id: string;
  relation: 'holds' | 'collects';
}

export interface IsolationExceptionsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  system_id: string;
  decision: 'grant' | 'revoke';
  reason: string;
  approval_document_number: string | null;
  /** Calendar date, YYYY-MM-DD. */
  approved_on: string | null;
  revokes_id: string | null;
  actor_id: string;
  role: string;
  payload: string;
  signature: string;
  public_key: string;
  created_at: Timestamp;
}

export interface CatalogConfirmationsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  organization_id: string;
  confirmed_by: string;
  role: string;
  system_count: number;
  digest: string;
  note: Generated<string>;
  created_at: Timestamp;
}

// The catalog summary's counts per owning organization, kept by triggers (migration
// 20261127T1200_catalog_counts.sql): an organization's counts are the sums of its rows.
export interface CatalogCountsTable {
  id: ColumnType<string, never, never>;
  organization_id: string;
  systems: number;
  under_construction: number;
  operating: number;
  retired: number;
  extranet: number;
  intranet: number;
  internet: number;
  isolated: number;
  isolated_without_exception: number;
  classified: number;
  mlps_level1: number;
  mlps_level2: number;
  mlps_level3: number;
  mlps_level4: number;
  mlps_level5: number;
}

// 第九条 上一期项目 (migration 20261126T2110_predecessors.sql).
export interface ProjectPredecessorsTable {
  project_id: string;
  previous_project_id: string;
  linked_by: string;
  linked_at: Timestamp;
}

// The construction phase of a project (migration 20261127T0100_construction.sql). Dates are
// calendar dates ('YYYY-MM-DD' strings).
export interface ProjectConstructionTable {
  project_id: string;
  suspended_since: Timestamp | null;
  completed_on: string | null;
  accepted_on: string | null;
  in_operation_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// A long task a user started, for its progress bar (migration 20261126T2090_jobs.sql).
export interface BackgroundJobsTable {
  id: Generated<string>;
  kind: string;
  created_by: string;
  status: ColumnType<'queued' | 'running' | 'succeeded' | 'failed', 'queued' | 'running' | 'succeeded' | 'failed' | undefined, 'queued' | 'running' | 'succeeded' | 'failed'>;
  progress: ColumnType<number, number | undefined, number>;
  total: number | null;
  done: ColumnType<number, number | undefined, number>;
  input: ColumnType<unknown, string | undefined, string>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_at: DefaultedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

// 双随机、一公开 spot checks (migration 20261127T0170_open_data.sql).
export interface SpotChecksTable {
  id: Generated<string>;
  title: string;
  organization_id: string;
  checklist: ColumnType<unknown, string, string>;
  target_filter: ColumnType<unknown, string, string>;
  target_count: number;
  inspectors_per_target: number;
  algorithm: string;
  targets: ColumnType<unknown, string, string>;
  inspectors: ColumnType<unknown, string, string>;
  inspector_users: ColumnType<unknown, string, string>;
  targets_digest: string;
  inspectors_digest: string;
  rules_digest: string;
  status: 'pooled' | 'drawn' | 'concluded';
  seed: string | null;
  seed_digest: string | null;
  input_digest: string | null;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  result_digest: string | null;
  drawn_at: Timestamp | null;
  drawn_by: string | null;
  concluded_at: Timestamp | null;
  created_by: string;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface SpotCheckOutcomesTable {
  spot_check_id: string;
  target_ref: string;
  item_code: string;
  outcome: 'pass' | 'fail';
  notes: Generated<string>;
  recorded_by: string;
  recorded_at: DefaultedTimestamp;
}

// Construction records, annual reports, major problems, completion (migration
// 20261127T0120_construction_records.sql; 第十三条, 第十九条–第二十二条). Amounts are NUMERIC strings.
type DeliveryModelColumn = 'self' | 'professional' | 'outsourced' | 'service';

export interface ConstructionRecordsTable {
  project_id: string;
  implementing_agency: string | null;
  project_lead: string | null;
  supervisor_name: string | null;
  supervisor_contract_no: string | null;
  supervisor_contract_amount: string | null;
  supervisor_contract_signed_on: string | null;
  /** 第十八条 (20261127T0330): how the project is built and its systems run, and the unit's note. */
  build_model: DeliveryModelColumn | null;
  om_model: DeliveryModelColumn | null;
  delivery_note: string | null;
  version: ColumnType<number, number | undefined, number>;
  updated_by: string;
  updated_at: Timestamp;
}

export interface ConstructionProcurementsTable {
  id: Generated<string>;
  project_id: string;
  subject: string;
  method: string;
  secret_related: boolean;
  procured_on: string;
  winner: string;
  amount: string;
  created_by: string;
  created_at: Timestamp;
}

export interface ConstructionContractsTable {
  id: Generated<string>;
  project_id: string;
  procurement_id: string | null;
  title: string;
  counterparty: string;
  amount: string;
  signed_on: string;
  created_by: string;
  created_at: Timestamp;
}

export interface AnnualPerformanceReportsTable {
  id: Generated<string>;
  project_id: string;
  year: number;
  due_on: string;
  progress: string;
  investment_execution: string;
  planned_investment: string;
  completed_investment: string;
  indicator_actuals: ColumnType<unknown, string, never>;
  trial_operation: boolean;
  trial_effects: string | null;
  problems: string | null;
  submitted_on: string;
  submitted_by: string;
  submitted_at: Timestamp;
}

export interface ConstructionProblemsTable {
  id: Generated<string>;
  project_id: string;
  kind: 'serious_delay' | 'investment_loss';
  description: string;
  delay_days: number | null;
  loss_amount: string | null;
  reported_by: string;
  reported_at: Timestamp;
}

export interface ConstructionOrdersTable {
  id: Generated<string>;
  project_id: string;
  problem_id: string | null;
  kind: 'rectification' | 'suspension';
  opinion: string;
  due_on: string | null;
  ordered_by: string;
  ordered_at: Timestamp;
  payload: string;
  signature: string;
  public_key: string;
  rectified_on: string | null;
  rectification_report: string | null;
  rectified_by: string | null;
  rectified_at: Timestamp | null;
  lifted_at: Timestamp | null;
  lift_reason: string | null;
  lifted_by: string | null;
  lift_payload: string | null;
  lift_signature: string | null;
}

export interface ConstructionCompletionsTable {
  project_id: string;
  completed_on: string;
  final_accounts_amount: string;
  surplus_amount: string;
  surplus_returned_on: string | null;
  declared_by: string;
  declared_at: Timestamp;
}

// 安全与资源记录, 共享问题认定, per-system summary (第十四条–第十七条, 第二十八条; 20261127T0130).
export interface SecurityRecordsTable {
  id: Generated<string>;
  seq: Generated<string>;
  kind: 'filing' | 'securityTest' | 'riskAssessment' | 'cryptoPlan' | 'cryptoAssessment' | 'hazard' | 'product' | 'energy' | 'cloud';
  project_id: string | null;
  system_id: string | null;
  occurred_on: string;
  passed: boolean | null;
  reference: string | null;
  details: ColumnType<unknown, string | undefined, string>;
  resolved_on: string | null;
  resolution: string | null;
  resolved_by: string | null;
  recorded_by: string;
  role: string;
  created_at: Timestamp;
}

export interface SharingFindingsTable {
  id: Generated<string>;
  seq: Generated<string>;
  system_id: string;
  kind: 'notSharing' | 'duplicateCollection';
  reference: string;
  description: string;
  found_on: string;
  organization_id: string;
  recorded_by: string;
  role: string;
  created_at: Timestamp;
  resolved_on: string | null;
  resolution: string | null;
  resolved_by: string | null;
}

export interface SystemSecurityStatusTable {
  system_id: string;
  last_test_on: string | null;
  last_test_passed: boolean | null;
  last_crypto_on: string | null;
  last_crypto_passed: boolean | null;
  open_hazards: number;
  open_not_sharing: number;
  open_duplicate_collection: number;
  updated_at: Timestamp;
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
  plans: PlansTable;
  plan_tasks: PlanTasksTable;
  plan_versions: PlanVersionsTable;
  plan_adjustments: PlanAdjustmentsTable;
  schema_migrations: SchemaMigrationsTable;
  projects: ProjectsTable;
  project_actions: ProjectActionsTable;
  idempotency_keys: IdempotencyKeysTable;
  project_participants: ProjectParticipantsTable;
  information_resources: InformationResourcesTable;
  project_materials: ProjectMaterialsTable;
  project_assignments: ProjectAssignmentsTable;
  project_predecessors: ProjectPredecessorsTable;
  rule_settings: RuleSettingsTable;
  notifications: NotificationsTable;
  framework_plans: FrameworkPlansTable;
  framework_participants: FrameworkParticipantsTable;
  framework_contents: FrameworkContentsTable;
  framework_business_flows: FrameworkBusinessFlowsTable;
  framework_data_flows: FrameworkDataFlowsTable;
  framework_catalog_entries: FrameworkCatalogEntriesTable;
  framework_overlap_justifications: FrameworkOverlapJustificationsTable;
  framework_catalog_overlap_justifications: FrameworkCatalogOverlapJustificationsTable;
  framework_actions: FrameworkActionsTable;
  framework_projects: FrameworkProjectsTable;
  project_coordination: ProjectCoordinationTable;
  government_systems: GovernmentSystemsTable;
  government_system_projects: GovernmentSystemProjectsTable;
  government_system_resources: GovernmentSystemResourcesTable;
  isolation_exceptions: IsolationExceptionsTable;
  catalog_confirmations: CatalogConfirmationsTable;
  catalog_counts: CatalogCountsTable;
  background_jobs: BackgroundJobsTable;
  project_construction: ProjectConstructionTable;
  // 第十三条, 第十九条–第二十二条 (construction records)
  construction_records: ConstructionRecordsTable;
  construction_procurements: ConstructionProcurementsTable;
  construction_contracts: ConstructionContractsTable;
  annual_performance_reports: AnnualPerformanceReportsTable;
  construction_problems: ConstructionProblemsTable;
  construction_orders: ConstructionOrdersTable;
  construction_completions: ConstructionCompletionsTable;
  // 第二十二条–第二十四条 (migration 20261127T0110_investment.sql)
  early_investments: EarlyInvestmentsTable;
  investment_releases: InvestmentReleasesTable;
  investment_spending: InvestmentSpendingTable;
  project_adjustments: ProjectAdjustmentsTable;
  // 第十四条–第十七条, 第二十八条 (20261127T0130)
  security_records: SecurityRecordsTable;
  sharing_findings: SharingFindingsTable;
  system_security_status: SystemSecurityStatusTable;
  // 第二十五条–第二十七条: acceptance and post-evaluation.
  acceptance_extensions: AcceptanceExtensionsTable;
  archive_acceptances: ArchiveAcceptancesTable;
  acceptance_applications: AcceptanceApplicationsTable;
  acceptance_decisions: AcceptanceDecisionsTable;
  self_evaluations: SelfEvaluationsTable;
  post_evaluations: PostEvaluationsTable;
  // The deadline engine and email reminders (20261127T0150_obligations.sql).
  obligations: ObligationsTable;
  obligation_reminders: ObligationRemindersTable;
  email_outbox: EmailOutboxTable;
  // 双随机、一公开 (20261127T0170_open_data.sql)
  spot_checks: SpotChecksTable;
  spot_check_outcomes: SpotCheckOutcomesTable;
  // Risk ratings (20261127T0210_risk_ratings.sql).
  risk_baselines: RiskBaselinesTable;
  risk_assessments: RiskAssessmentsTable;
  risk_current: RiskCurrentTable;
  // 第三十条, 第三十三条: supervision, rectification, escalation, accountability (20261127T0200_supervision.sql)
  supervision_findings: SupervisionFindingsTable;
  rectification_orders: RectificationOrdersTable;
  document_requests: DocumentRequestsTable;
  document_request_files: DocumentRequestFilesTable;
  document_request_answers: DocumentRequestAnswersTable;
  document_request_reviews: DocumentRequestReviewsTable;
  rectification_answers: RectificationAnswersTable;
  escalation_decisions: EscalationDecisionsTable;
  project_sanctions: ProjectSanctionsTable;
  accountability_records: AccountabilityRecordsTable;
  // The incremental compliance sweep (20261127T0250_obligation_subjects.sql)
  obligation_subjects: ObligationSubjectsTable;
  obligation_sweep_state: ObligationSweepStateTable;
  obligation_dirty: ObligationDirtyTable;
}

// 第二十二条–第二十四条: investment, spending, early investment, adjustments (migration
// 20261127T0110_investment.sql). Amounts are numeric strings in 万元; dates 'YYYY-MM-DD'.
export interface EarlyInvestmentsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  lines: ColumnType<unknown, string, string>;
  total: string;
  justification: string;
  status: 'pending' | 'approved' | 'refused';
  applied_by: string;
  applied_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  opinion: string | null;
  decision_payload: string | null;
  signature: string | null;
  public_key: string | null;
}

export interface InvestmentReleasesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  plan_year: number;
  amount: string;
  source: 'central_budget' | 'central_fiscal' | 'local_fiscal' | 'self_raised' | 'other';
  document_no: string | null;
  released_on: string;
  early_investment_id: string | null;
  note: string | null;
  released_by: string;
  role: string;
  created_at: Timestamp;
}

export interface InvestmentSpendingTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  spent_on: string;
  amount: string;
  payee: string;
  purpose: string;
  recorded_by: string;
  created_at: Timestamp;
}

export interface ProjectAdjustmentsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  lines: ColumnType<unknown, string, string>;
  reason: 'centralDeployment' | 'technicalOptimization' | 'businessNeeds' | 'other';
  goals_unchanged: boolean;
  description: string;
  amount: string;
  approved_total: string;
  prior_cumulative: string;
  cumulative: string;
  total_before: string;
  total_after: string;
  share_percent: string;
  threshold_percent: string;
  threshold_source: ColumnType<unknown, string, string>;
  route: 'selfFile' | 'reapproval';
  reapproval_reasons: ColumnType<unknown, string, string>;
  status: 'filed' | 'pending' | 'approved' | 'refused';
  created_by: string;
  created_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  opinion: string | null;
  decision_payload: string | null;
  signature: string | null;
  public_key: string | null;
}

// 第二十五条–第二十七条 (migration 20261127T0140_acceptance.sql). Dates are 'YYYY-MM-DD' strings.
export interface AcceptanceExtensionsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  reason: string;
  due_on_before: string;
  proposed_due_on: string;
  requested_by: string;
  requested_at: Timestamp;
  decision: 'approved' | 'rejected' | null;
  opinion: string | null;
  decided_by: string | null;
  role: string | null;
  payload: string | null;
  signature: string | null;
  public_key: string | null;
  decided_at: Timestamp | null;
}

export interface ArchiveAcceptancesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  accepted_on: string;
  result: 'pass' | 'fail';
  opinion: string;
  recorded_by: string;
  role: string;
  created_at: Timestamp;
}

export interface AcceptanceApplicationsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  due_on: string;
  on_time: boolean;
  payload: string;
  submitted_by: string;
  submitted_at: Timestamp;
}

export interface AcceptanceDecisionsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  application_id: string;
  result: 'pass' | 'fail';
  opinion: string;
  accepted_on: string | null;
  in_operation_on: string | null;
  actor_id: string;
  role: string;
  payload: string;
  signature: string;
  public_key: string;
  created_at: Timestamp;
}

export interface SelfEvaluationsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  material_id: string;
  submitted_on: string;
  timing: 'early' | 'inWindow' | 'late';
  payload: string;
  submitted_by: string;
  created_at: Timestamp;
}

export interface PostEvaluationsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  evaluator_organization_id: string;
  reason: string;
  commissioned_by: string;
  commissioned_at: Timestamp;
  conclusion: 'continue' | 'remediate' | 'innovate' | 'retire' | null;
  opinion: string | null;
  material_id: string | null;
  concluded_by: string | null;
  concluded_at: Timestamp | null;
}

/** One obligation as the sweep last computed it (src/usecases/obligations.ts). */
export interface ObligationsTable {
  id: Generated<string>;
  subject_type: 'project' | 'system';
  subject_id: string;
  project_id: string | null;
  system_id: string | null;
  kind: string;
  period: string;
  organization_id: string;
  approval_department_id: string | null;
  opens_on: string | null;
  due_on: string;
  status: string;
  done_on: string | null;
  rule_values: ColumnType<Record<string, unknown>, string, string>;
  /** 20261127T0250: the next day the status moves by the calendar alone; the day the next reminder is due. */
  next_change_on: string | null;
  remind_on: string | null;
  swept_on: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ObligationRemindersTable {
  obligation_id: string;
  kind: 'dueSoon' | 'dueToday' | 'overdue';
  day: string;
  created_at: Timestamp;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  user_id: string | null;
  to_address: string;
  subject: string;
  body: string;
  obligation_id: string | null;
  created_at: Timestamp;
  lease_until: Timestamp | null;
  attempts: Generated<number>;
  sent_at: Timestamp | null;
  last_error: string | null;
}

// Risk ratings (issue 6; SPEC §8, §9; src/usecases/risk-ratings.ts). Amounts 万元 strings.
export interface RiskBaselinesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  planned_start: string;
  planned_end: string;
  planned_cost: string;
  reason: string;
  recorded_by: string;
  role: string;
  recorded_at: Timestamp;
}

export interface RiskAssessmentsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string;
  assessed_on: string;
  baseline_id: string | null;
  planned_start: string;
  planned_end: string;
  planned_cost: string;
  projected_end: string;
  projected_cost: string;
  actual_end: string | null;
  actual_cost: string;
  schedule_variance: string;
  cost_variance: string;
  original_schedule_variance: string;
  original_cost_variance: string;
  overdue_obligations: number;
  open_rectifications: number;
  variance_level: number;
  band: 'green' | 'amber' | 'red';
  reasons: ColumnType<unknown, string, string>;
  rule_values: ColumnType<Record<string, unknown>, string, string>;
  narrative: string;
  recorded_by: string;
  role: string;
  recorded_at: Timestamp;
}

export interface RiskCurrentTable {
  project_id: string;
  assessment_id: string;
  variance_level: number;
  assessed_on: string;
}

// 第三十条, 第三十三条 (migration 20261127T0200_supervision.sql). Dates are 'YYYY-MM-DD' strings.
export type FindingCategory = 'informationSharing' | 'tenderingProcurement' | 'useOfFunds' | 'cryptography' | 'cybersecurity';
export type SupervisionRole = 'go' | 'ndrc' | 'mof' | 'cac' | 'approver';
export type EscalationStepCode = 'criticism' | 'deferInvestment' | 'suspendConstruction' | 'terminate';

export interface SupervisionFindingsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string | null;
  system_id: string | null;
  unit_organization_id: string;
  category: FindingCategory;
  title: string;
  description: string;
  issuer_role: SupervisionRole;
  issuer_organization_id: string;
  issued_by: string;
  found_on: string;
  created_at: Timestamp;
}

export interface RectificationOrdersTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  finding_id: string;
  project_id: string | null;
  system_id: string | null;
  unit_organization_id: string;
  issuer_role: SupervisionRole;
  issuer_organization_id: string;
  category: FindingCategory;
  requirements: string;
  due_on: string;
  status: 'open' | 'answered' | 'passed' | 'failed';
  escalation_step: EscalationStepCode | null;
  answered_at: Timestamp | null;
  verified_at: Timestamp | null;
  closed_at: Timestamp | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RectificationAnswersTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  order_id: string;
  evidence: string;
  material_ids: ColumnType<string[], string | undefined, string>;
  answered_by: string;
  answered_at: Timestamp;
  result: 'passed' | 'failed' | null;
  opinion: string | null;
  verified_by: string | null;
  verified_at: Timestamp | null;
}

export interface EscalationDecisionsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  order_id: string;
  project_id: string | null;
  step: EscalationStepCode;
  action: 'impose' | 'lift';
  reason: string;
  rule_values: ColumnType<Record<string, unknown>, string, string>;
  actor_id: string;
  role: string;
  payload: string;
  signature: string;
  public_key: string;
  created_at: Timestamp;
}

export interface ProjectSanctionsTable {
  project_id: string;
  investment_deferred_by: string | null;
  construction_suspended_by: string | null;
  terminated_by: string | null;
  updated_at: Timestamp;
}

export interface AccountabilityRecordsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  unit_organization_id: string;
  project_id: string | null;
  finding_id: string | null;
  subject: string;
  violation: string;
  basis_article: string;
  decision: string;
  decided_on: string;
  recorded_by: string;
  role: string;
  created_at: Timestamp;
}

// The incremental compliance sweep (20261127T0250_obligation_subjects.sql): per subject its next
// calendar boundary; the last sweep of everything; the subjects marked changed since.
export interface ObligationSubjectsTable {
  subject_id: string;
  subject_type: 'project' | 'system';
  next_change_on: string | null;
  swept_on: string;
}

export interface ObligationSweepStateTable {
  id: boolean;
  day: string;
  settings: string;
}

export interface ObligationDirtyTable {
  subject_id: string;
  subject_type: 'project' | 'system';
  seq: Generated<string>;
}

// 第二十九条 资料调阅 (migration 20261127T0310_document_requests.sql).
export interface DocumentRequestsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  project_id: string | null;
  system_id: string | null;
  unit_organization_id: string;
  requester_role: SupervisionRole;
  requester_organization_id: string;
  requested_by: string;
  purpose: 'performanceEvaluation' | 'audit' | 'inspection' | 'other';
  title: string;
  items: ColumnType<string[], string, string>;
  requested_on: string;
  due_on: string;
  due_rule: ColumnType<Record<string, unknown>, string, string>;
  status: 'open' | 'answered' | 'returned' | 'accepted';
  finding_id: string | null;
  answered_at: Timestamp | null;
  closed_at: Timestamp | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DocumentRequestFilesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  request_id: string;
  file_name: string;
  media_type: string;
  size_bytes: ColumnType<string, number, number>;
  sm3: string;
  storage_key: string;
  uploaded_by: string;
  uploaded_at: Timestamp;
}

export interface DocumentRequestAnswersTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  request_id: string;
  statement: string;
  file_ids: ColumnType<string[], string | undefined, string>;
  missing_items: ColumnType<Array<{ index: number; reason: string }>, string | undefined, string>;
  answered_by: string;
  answered_at: Timestamp;
}

export interface DocumentRequestReviewsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  answer_id: string;
  request_id: string;
  result: 'accepted' | 'returned';
  reasons: string;
  reviewed_by: string;
  role: string;
  reviewed_at: Timestamp;
}
