// Types of the /api/v1 contract.

export interface NamedRef {
  id: string;
  name: string;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  organizations: NamedRef[];
  roles: { code: string; name: string }[];
  permissions: string[];
}

export interface LoginResponse {
  token: string;
  csrfToken: string;
  user: Me;
}

export interface MeResponse {
  user: Me;
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export const ORG_KINDS = [
  'state_council_office',
  'ndrc',
  'mof',
  'cac',
  'audit_office',
  'ministry',
  'bureau',
  'province',
  'city',
  'county',
  'assessor',
  'supervisor',
  'evaluator',
  'construction_unit',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export interface Organization {
  id: string;
  parentId: string | null;
  name: string;
  nameEn: string | null;
  kind: OrgKind;
  creditCode: string;
  divisionCode: string | null;
  version: number;
  createdAt: string;
}

export interface OrganizationInput {
  parentId?: string | null;
  name?: string;
  nameEn?: string | null;
  kind?: OrgKind;
  creditCode?: string;
  divisionCode?: string | null;
}

export type UserStatus = 'active' | 'locked' | 'disabled';

export interface User {
  id: string;
  username: string;
  displayName: string;
  phoneMasked: string | null;
  organizations: NamedRef[];
  roles: string[];
  status: UserStatus;
  lockedUntil: string | null;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  version: number;
  createdAt: string;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  phone?: string;
  organizationIds: string[];
  roleCodes: string[];
}

export interface UpdateUserInput {
  displayName?: string;
  phone?: string | null;
  organizationIds?: string[];
  roleCodes?: string[];
}

export interface TotpSecret {
  totpSecret: string;
  totpUri: string;
}

export interface CreateUserResponse {
  user: User;
  totpSecret?: string;
  totpUri?: string;
}

export type Scope = 'all' | 'custom' | 'own' | 'subtree' | 'self';
export type Duty = 'business' | 'system_admin' | 'security_admin' | 'audit_admin';

export interface Role {
  code: string;
  name: string;
  nameEn: string | null;
  duty: Duty;
  requiresTotp: boolean;
  grants: { permission: string; scope: Scope }[];
}

export interface Permission {
  code: string;
  name: string;
  nameEn: string | null;
  group: string;
  kind: 'menu' | 'button';
}

export interface Session {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  kind: 'cookie' | 'bearer';
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  clientAddress: string | null;
  userAgent: string | null;
  current: boolean;
}

export type AuditOutcome = 'success' | 'denied' | 'failure';
export type AuditCategory = 'operation' | 'login';

export interface AuditEvent {
  id: string;
  occurredAt: string;
  actorUsername: string | null;
  actorDisplayName: string | null;
  organizationName: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: AuditOutcome;
  diff: { before?: Record<string, unknown>; after?: Record<string, unknown> } | null;
  requestId: string | null;
  clientAddress: string | null;
}

export interface AuditQuery {
  category: AuditCategory;
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  objectType?: string;
  objectId?: string;
  /** Free text in the action, object, actor and before/after diff. */
  q?: string;
  from?: string;
  to?: string;
}

export interface VerifyProblem {
  kind: string;
  eventId?: string;
  chainId?: string;
  seq?: number | string;
  checkpointId?: string;
  message: string;
}

export interface VerifyResult {
  status: 'intact' | 'broken';
  eventsChecked: number;
  chainsChecked: number;
  checkpointsChecked: number;
  lastCheckpointAt: string | null;
  durationMs: number;
  problems: VerifyProblem[];
}

/**
 * The brief says {id, createdAt, chainCount, eventCount}; the server currently answers
 * {id, createdAt, entryCount} (id/createdAt null when there was nothing to sign). Both are read.
 */
export interface Checkpoint {
  id: string | null;
  createdAt: string | null;
  chainCount?: number;
  eventCount?: number;
  entryCount?: number;
}

export interface Health {
  status: string;
  database: 'pglite' | 'postgresql';
  version: string;
}

// ---- projects (SPEC §2) ------------------------------------------------------------------

export const PROJECT_TRACKS = ['approval', 'filing'] as const;
export type ProjectTrack = (typeof PROJECT_TRACKS)[number];

export const PROJECT_KINDS = ['new', 'rebuild', 'expansion', 'purchasedService'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

/** 审批阶段 (第七条) and the single 备案 stage (第九条), in path order. */
export const PROJECT_STAGES = ['proposal', 'feasibilityStudy', 'preliminaryDesign', 'combinedStage', 'filing'] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];

export const APPROVAL_STATUSES = [
  'draft', 'returned', 'awaiting_signature', 'submitted', 'assessing', 'under_review', 'approved', 'rejected',
] as const;
export const FILING_STATUSES = ['draft', 'returned', 'submitted', 'filed'] as const;
export type ProjectStatus = (typeof APPROVAL_STATUSES)[number] | (typeof FILING_STATUSES)[number];

export const FUNDING_CHANNELS = ['central_budget', 'central_fiscal', 'local_fiscal', 'self_raised', 'other'] as const;
export type FundingChannel = (typeof FUNDING_CHANNELS)[number];

export const INDICATOR_CATEGORIES = ['output', 'effect', 'satisfaction', 'cost'] as const;
export type IndicatorCategory = (typeof INDICATOR_CATEGORIES)[number];

export const INDICATOR_DIRECTIONS = ['higher', 'lower'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

export const SYSTEM_ACTIONS = ['new', 'upgrade'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

export const PROTECTION_SCHEMES = ['mlps', 'classified'] as const;
export type ProtectionScheme = (typeof PROTECTION_SCHEMES)[number];

export const CRYPTO_PLANS = ['none', 'drafted', 'approved'] as const;
export type CryptoPlan = (typeof CRYPTO_PLANS)[number];

export const CRYPTO_ASSESSMENTS = ['not_started', 'planned', 'passed', 'failed'] as const;
export type CryptoAssessment = (typeof CRYPTO_ASSESSMENTS)[number];

/** 特殊原因类别 of the urgent combined path (第七条第三款). */
export const URGENT_REASON_CATEGORIES = ['central_requirement', 'major_strategy_or_security'] as const;
export type UrgentReasonCategory = (typeof URGENT_REASON_CATEGORIES)[number];

export interface PerformanceIndicator {
  indicator: string;
  category: IndicatorCategory;
  unit: string;
  /** Decimal text. */
  baseline: string;
  targets: { year: number; value: string }[];
  direction: IndicatorDirection;
}

export interface ProjectSystem {
  name: string;
  action: SystemAction;
}

export interface SecurityProfile {
  scheme: ProtectionScheme;
  mlpsLevel: number | null;
  cryptoPlan: CryptoPlan;
  cryptoAssessment: CryptoAssessment;
}

export interface UrgentDeclaration {
  reasonCategory: UrgentReasonCategory | null;
  justification: string;
  situationUrgent: boolean;
  preparationAdequate: boolean;
}

export interface CrossDepartment {
  leadOrganizationId: string;
  participantIds: string[];
}

/** The body of POST /projects and PUT /projects/:id. Amounts are 万元 decimal strings. */
export interface ProjectInput {
  name: string;
  constructionUnitId: string;
  approvalDepartmentId: string;
  track: ProjectTrack;
  kind: ProjectKind;
  planTaskId: string | null;
  involvesSecrets: boolean;
  crossDepartment: CrossDepartment | null;
  constructionStart: string;
  constructionEnd: string;
  totalInvestment: string;
  oAndMFunds: string;
  fundingChannel: FundingChannel;
  performanceIndicators: PerformanceIndicator[];
  systems: ProjectSystem[];
  security: SecurityProfile;
  newCivilConstruction: boolean;
  highEnergyConsumption: boolean;
  urgent: UrgentDeclaration | null;
}

export interface ProjectLifecycle {
  track: ProjectTrack;
  stage: ProjectStage;
  status: ProjectStatus;
  name: { zh: string; en: string };
  /** Whether the preparer may edit: the current stage is a draft or was returned. */
  editable: boolean;
}

export interface Project extends ProjectInput {
  id: string;
  /** 项目代码, issued by the platform. */
  code: string;
  constructionUnitName: string;
  approvalDepartmentName: string;
  inPlan: boolean;
  lifecycle: ProjectLifecycle;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectQuery {
  q?: string;
  track?: ProjectTrack;
  kind?: ProjectKind;
  stage?: ProjectStage;
  status?: string;
  year?: number;
  organizationId?: string;
  minInvestment?: string;
  maxInvestment?: string;
}

/** A rule that stands in the way (422 lifecycle.blocked), with its article, already localized. */
export interface RuleProblem {
  code: string;
  article: string | null;
  message: string;
  /** The facts the message was built from, as a dry run gives them (e.g. `material` of `material.missing`). */
  params?: Record<string, string>;
}

// ---- lifecycle actions (第七条–第九条, 第十一条) ------------------------------------------------

/** ACTION_NAMES of src/domain/lifecycle.ts. */
export const LIFECYCLE_ACTIONS = [
  'submit', 'sign', 'declineSignature', 'withdraw', 'accept', 'reassignReviewer', 'completeAssessment',
  'returnForRevision', 'approve', 'reject', 'file', 'returnForCompletion',
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/**
 * A rule that stands in the way as GET …/actions and a dry run give it: both languages and the
 * parameters (e.g. `material` of `material.missing`). A 422 gives the localized RuleProblem.
 */
export interface LifecycleProblem {
  code: string;
  article: string | null;
  params: Record<string, string>;
  message: { zh: string; en: string };
}

export interface LifecycleStateRef {
  track: ProjectTrack;
  stage: ProjectStage;
  status: ProjectStatus;
}

/** One action the caller may take now (GET /projects/:id/actions); blocked while `problems` is not empty. */
export interface AvailableAction {
  action: LifecycleAction;
  name: { zh: string; en: string };
  /** The role the caller acts in. */
  role: string;
  /** A decision: needs a fresh TOTP code and is signed. */
  needsTotp: boolean;
  problems: LifecycleProblem[];
}

/** How the presence of a checklist item is established (MaterialEvidence of src/domain/lifecycle.ts). */
export type ChecklistEvidence =
  /** an uploaded file of that material code */
  | 'material'
  /** 信息资源共享分析篇（章）: a chapter of the stage's documents, established by its upload (第十一条) */
  | 'sharingAnalysisChapter'
  /** the information-resource catalog on the platform, at least one resource (第九条, 第十一条) */
  | 'catalog';

/**
 * One item of the current stage's checklist, as the state machine computes it: only what this
 * project needs (第八条 conditions, 改建/扩建, I-10 waivers), named for it (分级保护 for 涉密).
 */
export interface ChecklistEntry {
  code: string;
  name: { zh: string; en: string };
  article: string;
  evidence: ChecklistEvidence;
  present: boolean;
}

export interface NextActions {
  state: LifecycleStateRef & { name: { zh: string; en: string } };
  actions: AvailableAction[];
  /** The current stage's checklist; empty once the project is decided (approved, rejected, filed). */
  checklist: ChecklistEntry[];
  /** 第二十八条: possible duplicates — reminders that block nothing. */
  warnings?: LifecycleWarning[];
}

/**
 * A reminder beside the problems that blocks nothing: 'similarity.possible_duplicate' (params
 * kind, id, name, code, organization, similarity, terms) and 'similarity.possible_duplicate_hidden'
 * (params count), both 第二十八条.
 */
export interface LifecycleWarning {
  code: string;
  article: string;
  params: Record<string, string>;
  message: { zh: string; en: string };
}

/** The body of POST /projects/:id/actions/:action. */
export interface ActionInput {
  reasons?: string;
  /** 第十一条: 信息资源共享分析意见 of an approval or an assessment. */
  sharingOpinions?: string;
  returnTo?: 'sameStage' | 'previousStage';
  /** Six digits; decisions only. */
  totp?: string;
  /** reassignReviewer: the user who takes the file over. */
  reviewerId?: string;
}

export interface DryRunResult {
  dryRun: true;
  ok: boolean;
  problems: LifecycleProblem[];
  next: LifecycleStateRef | null;
  /** Submissions: the 第二十八条 possible duplicates (never blocking). */
  warnings?: LifecycleWarning[];
}

/** One action taken on a project (GET /projects/:id/history), with its SM2 signature checked. */
export interface ActionRecord {
  id: string;
  action: LifecycleAction;
  actionName: { zh: string; en: string };
  from: { stage: ProjectStage; status: ProjectStatus };
  to: { stage: ProjectStage; status: ProjectStatus };
  actorId: string;
  actorName: string;
  role: string;
  /** The canonical JSON that was signed (also kept for unsigned actions). */
  payload: string;
  signature: string | null;
  publicKey: string | null;
  /** Whether the signature verifies (null: the action is not signed). */
  signatureValid: boolean | null;
  createdAt: string;
}

export interface ActionResult {
  dryRun: false;
  project: Project;
  record: ActionRecord;
}

/** Who handles the project (第七条): the reviewer it was reassigned to, the entrusted 咨询评估单位. */
export interface ProjectAssignment {
  organizationId: string;
  organizationName: string;
  /** The reviewer; null for an assessor (the whole organization is entrusted). */
  userId: string | null;
  userName: string | null;
  reason: string;
  assignedBy: string;
  assignedAt: string;
}

export interface ProjectAssignments {
  reviewer: ProjectAssignment | null;
  assessor: ProjectAssignment | null;
}

// ---- plans (第六条) ------------------------------------------------------------------------

export const PLAN_LEVELS = ['national', 'department'] as const;
export type PlanLevel = (typeof PLAN_LEVELS)[number];

export const PLAN_STATUSES = ['draft', 'approved'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const ADJUSTMENT_REASONS = ['circumstances_changed', 'central_deployment', 'other'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export interface PlanTask {
  id: string;
  planId: string;
  code: string;
  title: string;
  description: string;
  /** A department task: the national task it implements. */
  parentTaskId: string | null;
  sortOrder: number;
  /** The version from which an adjustment withdrew the task; null while current. */
  withdrawnInVersion: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Plan {
  id: string;
  level: PlanLevel;
  parentPlanId: string | null;
  organizationId: string;
  organizationName: string;
  name: string;
  periodStartYear: number;
  periodEndYear: number;
  status: PlanStatus;
  approvedOn: string | null;
  approvalDocumentNumber: string | null;
  currentVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  tasks: PlanTask[];
}

export interface SnapshotTask {
  id: string;
  code: string;
  title: string;
  description: string;
  parentTaskId: string | null;
  sortOrder: number;
}

export interface PlanSnapshot {
  plan: {
    id: string;
    level: PlanLevel;
    parentPlanId: string | null;
    organizationId: string;
    organizationName: string;
    name: string;
    periodStartYear: number;
    periodEndYear: number;
  };
  approval: { approvedOn: string; approvalDocumentNumber: string | null };
  tasks: SnapshotTask[];
}

export interface PlanVersionSummary {
  planId: string;
  versionNo: number;
  source: 'approval' | 'adjustment';
  adjustmentId: string | null;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
}

export interface PlanVersion extends PlanVersionSummary {
  snapshot: PlanSnapshot;
}

export interface SnapshotDiff {
  plan: { before: Record<string, unknown>; after: Record<string, unknown> };
  added: SnapshotTask[];
  withdrawn: SnapshotTask[];
  changed: { id: string; code: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
}

export interface PlanAdjustment {
  id: string;
  planId: string;
  reasonCategory: AdjustmentReason;
  evaluation: string;
  description: string;
  changes: SnapshotDiff;
  approvedOn: string;
  approvalDocumentNumber: string | null;
  versionNo: number;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
}

export interface PlanTaskInput {
  code: string;
  title: string;
  description?: string;
  parentTaskId?: string | null;
  sortOrder?: number;
}

export interface PlanPatch {
  name?: string;
  periodStartYear?: number;
  periodEndYear?: number;
}

export interface PlanAdjustmentInput {
  reasonCategory: AdjustmentReason;
  evaluation: string;
  description: string;
  approvedOn: string;
  approvalDocumentNumber?: string | null;
  plan?: PlanPatch;
  addTasks?: PlanTaskInput[];
  updateTasks?: (Partial<PlanTaskInput> & { id: string })[];
  withdrawTaskIds?: string[];
}

export interface PlanApprovalInput {
  approvedOn: string;
  approvalDocumentNumber?: string | null;
}

// ---- materials (SPEC §10) ------------------------------------------------------------------

export interface Material {
  id: string;
  projectId: string;
  stage: ProjectStage;
  stageName: { zh: string; en: string };
  materialCode: string;
  materialName: { zh: string; en: string };
  versionNo: number;
  /** Whether this is the newest version of its stage and code. */
  latest: boolean;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** SM3 digest of the file, lower-case hex. */
  sm3: string;
  uploadedBy: { id: string; displayName: string };
  uploadedAt: string;
}

// ---- information-resource catalog (第十一条) -------------------------------------------------

export const CLASSIFICATION_KINDS = ['base', 'theme', 'department'] as const;
export type ClassificationKind = (typeof CLASSIFICATION_KINDS)[number];
export const BASE_CATEGORIES = ['population', 'legal_entity', 'natural_resources_geo', 'social_credit', 'e_certificate'] as const;
export type BaseCategory = (typeof BASE_CATEGORIES)[number];
export const RESOURCE_FORMATS = ['database', 'file', 'api', 'spreadsheet', 'image', 'other'] as const;
export type ResourceFormat = (typeof RESOURCE_FORMATS)[number];
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];
export const OPEN_TYPES = ['unconditional', 'conditional', 'none'] as const;
export type OpenType = (typeof OPEN_TYPES)[number];
export const DATA_ITEM_TYPES = ['string', 'integer', 'decimal', 'currency', 'date', 'datetime', 'boolean', 'text', 'binary'] as const;
export type DataItemType = (typeof DATA_ITEM_TYPES)[number];

export interface DataItem {
  name: string;
  type: DataItemType;
  description?: string | null;
}

export interface InformationResourceInput {
  name: string;
  /** 信息资源代码, written 类-项-目[-细目…]/顺序码, e.g. 1-05-001/000001. */
  code: string;
  classification: { kind: ClassificationKind; baseCategory: BaseCategory | null };
  providerOrganizationId: string;
  format: ResourceFormat;
  updateCycle: UpdateCycle;
  sharingType: SharingType;
  sharingBasis: string | null;
  openType: OpenType;
  openBasis: string | null;
  involvesSecrets: boolean;
  dataItems: DataItem[];
}

export interface InformationResource extends InformationResourceInput {
  id: string;
  projectId: string;
  providerOrganizationName: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ResourceCatalog {
  items: InformationResource[];
  total: number;
  summary: { resourceCount: number; resourcesWithoutSharingType: number };
}

// ---- worklist, notifications, rule settings (第七条 deadlines, 第三十四条) ---------------------

/** A text the server gives in both languages. */
export interface LocalizedText {
  zh: string;
  en: string;
}

/** One thing waiting for the signed-in user: a project in a state where one of their roles acts. */
export interface WorkItem {
  projectId: string;
  projectCode: string;
  projectName: string;
  constructionUnitName: string;
  approvalDepartmentName: string;
  track: ProjectTrack;
  stage: ProjectStage;
  status: ProjectStatus;
  stateName: LocalizedText;
  /** The role code the user acts in. */
  role: string;
  actions: { action: string; name: LocalizedText }[];
  /** When the current state began (ISO instant). */
  since: string;
  /** YYYY-MM-DD, an Asia/Shanghai calendar date; null for a draft nobody has submitted yet. */
  dueDate: string | null;
  /** Whole days until the due date; negative when overdue; null without a due date. */
  daysLeft: number | null;
  overdue: boolean;
}

export const NOTIFICATION_KINDS = [
  'submitted',
  'returned',
  'decided',
  'signatureRequested',
  'assessmentAssigned',
  'assessed',
  'reviewerAssigned',
  'dueSoon',
  'overdue',
  // 第十条: about a framework plan (frameworkId set instead of projectId).
  'frameworkSubmitted',
  'frameworkConfirmed',
  'frameworkReturned',
  // 第二十一条: construction problems and orders.
  'constructionProblem',
  'constructionOrder',
  'constructionRectified',
  'constructionLifted',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  /** Null for a notification about a framework plan. */
  projectId: string | null;
  projectCode: string | null;
  projectName: string | null;
  /** The framework plan (第十条) it is about, when it is about one. */
  frameworkId: string | null;
  frameworkName: string | null;
  /** The project action that caused it. */
  actionId: string | null;
  title: LocalizedText;
  body: LocalizedText;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage extends Page<AppNotification> {
  /** Unread notifications of the user in all (not only this page). */
  unread: number;
}

export type RuleUnit = 'wan' | 'days' | 'months' | 'percent' | 'monthDay' | 'boolean' | 'steps';
export type RuleValue = string | number | boolean;

/** A province's or ministry's own value of a rule setting. */
export interface RuleOverride {
  organizationId: string;
  organizationName: string;
  value: RuleValue;
  changedAt: string;
  changedBy: string;
  reason: string;
}

export interface RuleSetting {
  key: string;
  name: LocalizedText;
  description: LocalizedText;
  /** The article the setting belongs to, e.g. 第三十四条. */
  article: string;
  unit: RuleUnit;
  defaultValue: RuleValue;
  /** The central value in effect. */
  value: RuleValue;
  overrides: RuleOverride[];
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
}

export interface RuleSettingInput {
  /** null: the central value. */
  organizationId: string | null;
  /** null removes an organization's own value (it then follows its parent or the centre). */
  value: RuleValue | null;
  reason: string;
}

export interface RuleSettingChange {
  key: string;
  organizationId: string | null;
  organizationName: string | null;
  /** null: the organization's own value was removed. */
  value: RuleValue | null;
  changedAt: string;
  changedBy: string;
  reason: string;
}

// ——— The deadline engine: versioned rule settings (第三十四条) and the obligations calendar ———

/** One version of a rule setting in one jurisdiction. */
export interface RuleVersion {
  organizationId: string | null;
  organizationName: string | null;
  value: RuleValue | null;
  /** 'YYYY-MM-DD'; '0001-01-01' means in force from the beginning. */
  effectiveFrom: string;
  changedAt: string;
  changedBy: string;
  reason: string;
  state: 'inForce' | 'scheduled' | 'superseded';
}

export interface RuleSetting {
  /** The central version in force (null: the default). */
  effectiveFrom: string | null;
  versions: RuleVersion[];
}

export interface RuleSettingInput {
  /** Today or later; absent: today. */
  effectiveFrom?: string;
}

export interface RuleSettingChange {
  effectiveFrom: string;
}

export type ObligationStatus = 'notDue' | 'dueSoon' | 'dueToday' | 'overdue' | 'done';
export type ObligationKind = 'acceptanceApplication' | 'annualReport' | 'selfEvaluation' | 'securityTest' | 'cryptoAssessment' | 'rectification';

export interface Obligation {
  id: string;
  subjectType: 'project' | 'system';
  projectId: string | null;
  projectCode: string | null;
  systemId: string | null;
  subjectName: string;
  kind: ObligationKind;
  kindName: LocalizedText;
  article: string;
  period: string;
  organizationId: string;
  organizationName: string;
  approvalDepartmentName: string | null;
  opensOn: string | null;
  dueOn: string;
  status: ObligationStatus;
  doneOn: string | null;
  daysLeft: number;
  ruleValues: Record<string, unknown>;
}

export interface ObligationPage {
  items: Obligation[];
  total: number;
  byStatus: Record<ObligationStatus, number>;
  today: string;
}

/** An obligation reminder may be about a system (then projectId and frameworkId are null). */
export interface AppNotification {
  systemId?: string | null;
  systemName?: string | null;
  obligationId?: string | null;
}

// ——— 第三十一条: signed decisions re-verified (src/usecases/signed-records.ts) ———
export type SignedKind =
  | 'lifecycle' | 'isolationException' | 'framework' | 'earlyInvestment' | 'adjustment'
  | 'constructionOrder' | 'constructionOrderLift' | 'acceptanceExtension' | 'acceptance' | 'escalation';
export const SIGNED_KINDS: readonly SignedKind[] = [
  'lifecycle', 'isolationException', 'framework', 'earlyInvestment', 'adjustment', 'constructionOrder', 'constructionOrderLift', 'acceptanceExtension', 'acceptance', 'escalation',
];
export type SignatureVerdict = 'valid' | 'invalid' | 'key_mismatch' | 'signer_unknown';
export interface SignedRecord {
  kind: SignedKind;
  id: string;
  action: string;
  objectType: string;
  objectId: string;
  objectLabel: string | null;
  signer: { id: string; username: string | null; displayName: string | null };
  signedAt: string | null;
  payloadSm3: string;
  payloadLength: number;
  signature: string;
  storedPublicKey: string | null;
  signerPublicKey: string | null;
  verdict: SignatureVerdict;
  validWithSignerKey: boolean;
  validWithStoredKey: boolean | null;
}
export interface SignedRecordQuery {
  kind?: SignedKind;
  objectId?: string;
  signer?: string;
  from?: string;
  to?: string;
}

// ——— 双随机、一公开 for the organizers (src/http/routes/spot-checks.ts) ———
export interface SpotChecklistItem { code: string; title: string; basis: string }
export interface SpotTarget { ref: string; kind: 'project' | 'system'; id: string; code: string; name: string; organizationId: string; organizationName: string; organizationPath: string[] }
export interface SpotInspector { ref: string; organizationId: string; organizationName: string; organizationPath: string[] }
export interface SpotCheckFull {
  id: string;
  title: string;
  organizationId: string;
  organizationName: string;
  checklist: SpotChecklistItem[];
  targetFilter: { kinds: Array<'project' | 'system'>; organizationId?: string; projectStages?: string[]; systemStatuses?: string[] };
  rules: { targetCount: number; inspectorsPerTarget: number };
  algorithm: string;
  targets: SpotTarget[];
  inspectors: SpotInspector[];
  inspectorUsers: Record<string, { userId: string; displayName: string }>;
  digests: { seed: string | null; rules: string; targets: string; inspectors: string; input: string | null };
  status: 'pooled' | 'drawn' | 'concluded';
  seed: string | null;
  result: Array<{ targetRef: string; inspectorRefs: string[] }> | null;
  resultDigest: string | null;
  drawnAt: string | null;
  concludedAt: string | null;
  outcomes: Array<{ targetRef: string; itemCode: string; outcome: 'pass' | 'fail'; notes: string; recordedAt: string }>;
  createdAt: string;
}
export interface SpotCheckCreateInput {
  title: string;
  checklist: SpotChecklistItem[];
  targetFilter: { kinds: Array<'project' | 'system'>; organizationId?: string; systemStatuses?: Array<'under_construction' | 'operating' | 'retired'> };
  targetCount: number;
  inspectorsPerTarget: number;
  inspectorUserIds: string[];
}
export interface InspectorCandidate { id: string; username: string; displayName: string; organizationId: string; organizationName: string }
