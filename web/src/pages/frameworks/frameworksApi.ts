// 跨部门项目框架方案 (第十条; interpretation I-13) and a project's coordination (地方协同): the
// endpoints of src/http/routes/frameworks.ts with the shapes its zod schemas declare. Kept beside
// the pages that use them; they go through the shared client, so cookies, CSRF, If-Match and
// problem+json errors behave as everywhere else.
import { download, request, type PageQuery } from '../../api/client';
import type { LocalizedText, Page } from '../../api/types';

/** 编制中 → 已报国家发展改革委 → 已确定 | 已退回 (→ 已报送 again). */
export const FRAMEWORK_STATUSES = ['draft', 'submitted', 'confirmed', 'returned'] as const;
export type FrameworkStatus = (typeof FRAMEWORK_STATUSES)[number];

/** 联合报送 / 撤回 (the lead); 确定 / 退回 (NDRC, signed decisions). */
export const FRAMEWORK_ACTIONS = ['submit', 'withdraw', 'confirm', 'return'] as const;
export type FrameworkAction = (typeof FRAMEWORK_ACTIONS)[number];

/** 接口方式 of a data flow / system interface. */
export const INTERFACE_METHODS = ['api', 'file', 'database', 'message', 'exchange_platform', 'other'] as const;
export type InterfaceMethod = (typeof INTERFACE_METHODS)[number];

/** 交换频度: the update cycles of the 信息资源目录 (第十一条). */
export const FREQUENCIES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];

/** The server's input limits (LIMITS of src/domain/frameworks.ts), for the forms' counters. */
export const LIMITS = {
  name: 200, goals: 5000, title: 200, description: 5000, system: 200, activity: 500, flowDescription: 2000,
  dataItems: 200, dataItem: 100, basis: 2000, reason: 2000, participants: 50, steps: 50,
} as const;

/** What stands in the way of an action (422 framework.blocked, submissionProblems), in both languages. */
export interface FrameworkProblem {
  code: string;
  article: string | null;
  params: Record<string, string>;
  message: LocalizedText;
}

export interface FrameworkContent {
  id: string;
  organizationId: string;
  title: string;
  description: string;
  /** If-Match of its edits. */
  version: number;
  updatedAt: string;
}

export interface FrameworkParticipant {
  organizationId: string;
  organizationName: string;
  isLead: boolean;
  /** Bumped by every change to this participant's part: If-Match of its confirmation. */
  version: number;
  /** Null until confirmed, and again after any change to the part. */
  confirmation: { confirmedAt: string; confirmedBy: string | null; confirmedByName: string | null } | null;
  contents: FrameworkContent[];
}

export interface BusinessFlow {
  id: string;
  name: string;
  description: string;
  version: number;
  steps: { organizationId: string; organizationName: string; activity: string }[];
}

export interface FlowEndpoint {
  organizationId: string;
  organizationName: string;
  system: string | null;
}

export interface DataFlow {
  id: string;
  from: FlowEndpoint;
  to: FlowEndpoint;
  dataItems: string[];
  frequency: Frequency;
  frequencyName: LocalizedText;
  interfaceMethod: InterfaceMethod;
  interfaceMethodName: LocalizedText;
  description: string | null;
  version: number;
}

export interface CatalogEntry {
  id: string;
  name: string;
  providerOrganizationId: string;
  providerOrganizationName: string;
  dataItems: string[];
  sharingType: SharingType;
  sharingBasis: string | null;
  version: number;
}

export interface OverlapSide {
  contentId: string;
  organizationId: string;
  organizationName: string;
  title: string;
}

/** I-13, I-59: a content and a system already in the master catalog (第十二条) at or above the threshold. */
export interface CatalogOverlap {
  content: OverlapSide;
  system: { systemId: string; name: string; organizationId: string; organizationName: string };
  similarity: number;
  terms: { term: string; contribution: number }[];
  justification: Overlap['justification'];
}

/** I-13: two participants' contents at or above the threshold, with the shared terms. */
export interface Overlap {
  a: OverlapSide;
  b: OverlapSide;
  /** 0–1. */
  similarity: number;
  /** The shared terms, largest part of the similarity first. */
  terms: { term: string; contribution: number }[];
  /** Null: unhandled (blocks submission). */
  justification: {
    reason: string;
    similarity: number;
    justifiedBy: string | null;
    justifiedByName: string | null;
    justifiedAt: string;
  } | null;
}

export interface LinkedProject {
  projectId: string;
  code: string;
  name: string;
  /** The participant whose part it is. */
  organizationId: string;
  organizationName: string;
  constructionUnitName: string;
  stage: string;
  status: string;
  linkedAt: string;
}

export interface CallerAction {
  action: FrameworkAction;
  name: LocalizedText;
  needsTotp: boolean;
  problems: FrameworkProblem[];
}

/** GET /frameworks/:id: the plan with every part, its overlaps, what blocks submission and what the caller may do. */
export interface Framework {
  id: string;
  name: string;
  leadOrganizationId: string;
  leadOrganizationName: string;
  goals: string;
  status: FrameworkStatus;
  statusName: LocalizedText;
  /** If-Match of header edits, deletion and actions. */
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** The lead first. */
  participants: FrameworkParticipant[];
  businessFlows: BusinessFlow[];
  dataFlows: DataFlow[];
  catalogEntries: CatalogEntry[];
  /** Most similar first. */
  overlaps: Overlap[];
  /** I-13: the contents against the master catalog, the ranked top per content. */
  catalogOverlaps: CatalogOverlap[];
  overlapThreshold: number;
  /** Empty when nothing stands in the way of 联合报送 (or the plan is not editable). */
  submissionProblems: FrameworkProblem[];
  projects: LinkedProject[];
  caller: {
    /** Edits the whole plan and submits it. */
    leads: boolean;
    /** The parts the caller edits and confirms. */
    ownOrganizationIds: string[];
    actions: CallerAction[];
  };
}

export interface FrameworkSummary {
  id: string;
  name: string;
  leadOrganizationId: string;
  leadOrganizationName: string;
  status: FrameworkStatus;
  statusName: LocalizedText;
  participantCount: number;
  confirmedCount: number;
  version: number;
  updatedAt: string;
}

export interface FrameworkActionRecord {
  id: string;
  actionNo: number;
  action: FrameworkAction;
  actionName: LocalizedText;
  from: FrameworkStatus;
  to: FrameworkStatus;
  actorId: string;
  actorName: string;
  role: string;
  reasons: string | null;
  /** The canonical JSON signed (or recorded): the whole plan as acted on. */
  payload: string;
  signature: string | null;
  publicKey: string | null;
  /** Null: the action is not signed. */
  signatureValid: boolean | null;
  createdAt: string;
}

export type FrameworkActionResult =
  | { dryRun: true; ok: boolean; problems: FrameworkProblem[]; next: FrameworkStatus | null }
  | { dryRun: false; framework: Framework; record: FrameworkActionRecord };

export interface FrameworkInput {
  name: string;
  goals: string;
  leadOrganizationId: string;
  participantIds: string[];
}

export interface ContentInput {
  title: string;
  description: string;
}

export interface BusinessFlowInput {
  name: string;
  description: string;
  steps: { organizationId: string; activity: string }[];
}

export interface DataFlowInput {
  from: { organizationId: string; system: string | null };
  to: { organizationId: string; system: string | null };
  dataItems: string[];
  frequency: Frequency;
  interfaceMethod: InterfaceMethod;
  description: string | null;
}

export interface CatalogEntryInput {
  name: string;
  providerOrganizationId: string;
  dataItems: string[];
  sharingType: SharingType;
  sharingBasis: string | null;
}

export interface FrameworkQuery {
  q?: string;
  status?: FrameworkStatus;
  organizationId?: string;
}

// ---- coordination of a project (第十条 地方协同) -------------------------------------------------

export interface ProjectRef {
  id: string;
  code: string;
  name: string;
  constructionUnitName: string;
}

export interface Coordination {
  projectId: string;
  /** The framework plan whose part this project is. */
  framework: {
    id: string;
    name: string;
    status: FrameworkStatus;
    statusName: LocalizedText;
    organizationId: string;
    organizationName: string;
  } | null;
  /** The national project this local sub-project follows. */
  nationalProject: (ProjectRef & { linkedAt: string }) | null;
  localProjectCount: number;
}

export interface LocalProject extends ProjectRef {
  constructionUnitId: string;
  divisionCode: string;
  stage: string;
  status: string;
  stateName: LocalizedText;
  linkedAt: string;
}

export interface LocalProjects {
  nationalProject: ProjectRef;
  regions: { province: { code: string; name: LocalizedText }; projects: LocalProject[] }[];
  total: number;
}

const id = encodeURIComponent;
const base = (frameworkId: string) => `/frameworks/${id(frameworkId)}`;

export const frameworksApi = {
  list: (query: FrameworkQuery & PageQuery) => request<Page<FrameworkSummary>>('GET', '/frameworks', { query: { ...query } }),
  get: (frameworkId: string) => request<Framework>('GET', base(frameworkId)),
  create: (body: FrameworkInput) => request<Framework>('POST', '/frameworks', { body }),
  /** Name and goals (the lead); changing the goals clears every confirmation. */
  update: (frameworkId: string, version: number, body: { name: string; goals: string }) =>
    request<Framework>('PUT', base(frameworkId), { body, version }),
  remove: (frameworkId: string, version: number) => request<void>('DELETE', base(frameworkId), { version }),

  addParticipant: (frameworkId: string, organizationId: string) =>
    request<Framework>('POST', `${base(frameworkId)}/participants`, { body: { organizationId } }),
  removeParticipant: (frameworkId: string, organizationId: string) =>
    request<Framework>('DELETE', `${base(frameworkId)}/participants/${id(organizationId)}`),
  /** 确认本部门分项: If-Match is the participant's version, so a part changed meanwhile is not confirmed blind. */
  confirm: (frameworkId: string, organizationId: string, participantVersion: number) =>
    request<Framework>('POST', `${base(frameworkId)}/participants/${id(organizationId)}/confirmation`, { version: participantVersion }),
  withdrawConfirmation: (frameworkId: string, organizationId: string) =>
    request<Framework>('DELETE', `${base(frameworkId)}/participants/${id(organizationId)}/confirmation`),

  addContent: (frameworkId: string, organizationId: string, body: ContentInput) =>
    request<Framework>('POST', `${base(frameworkId)}/participants/${id(organizationId)}/contents`, { body }),
  updateContent: (frameworkId: string, contentId: string, version: number, body: ContentInput) =>
    request<Framework>('PUT', `${base(frameworkId)}/contents/${id(contentId)}`, { body, version }),
  removeContent: (frameworkId: string, contentId: string, version: number) =>
    request<Framework>('DELETE', `${base(frameworkId)}/contents/${id(contentId)}`, { version }),

  addBusinessFlow: (frameworkId: string, body: BusinessFlowInput) =>
    request<Framework>('POST', `${base(frameworkId)}/business-flows`, { body }),
  updateBusinessFlow: (frameworkId: string, flowId: string, version: number, body: BusinessFlowInput) =>
    request<Framework>('PUT', `${base(frameworkId)}/business-flows/${id(flowId)}`, { body, version }),
  removeBusinessFlow: (frameworkId: string, flowId: string, version: number) =>
    request<Framework>('DELETE', `${base(frameworkId)}/business-flows/${id(flowId)}`, { version }),

  addDataFlow: (frameworkId: string, body: DataFlowInput) => request<Framework>('POST', `${base(frameworkId)}/data-flows`, { body }),
  updateDataFlow: (frameworkId: string, flowId: string, version: number, body: DataFlowInput) =>
    request<Framework>('PUT', `${base(frameworkId)}/data-flows/${id(flowId)}`, { body, version }),
  removeDataFlow: (frameworkId: string, flowId: string, version: number) =>
    request<Framework>('DELETE', `${base(frameworkId)}/data-flows/${id(flowId)}`, { version }),
  exportDataFlows: (frameworkId: string, fallbackName: string) => download(`${base(frameworkId)}/data-flows/export`, {}, fallbackName),

  addCatalogEntry: (frameworkId: string, body: CatalogEntryInput) => request<Framework>('POST', `${base(frameworkId)}/catalog`, { body }),
  updateCatalogEntry: (frameworkId: string, entryId: string, version: number, body: CatalogEntryInput) =>
    request<Framework>('PUT', `${base(frameworkId)}/catalog/${id(entryId)}`, { body, version }),
  removeCatalogEntry: (frameworkId: string, entryId: string, version: number) =>
    request<Framework>('DELETE', `${base(frameworkId)}/catalog/${id(entryId)}`, { version }),

  /** I-13: why two contents do not duplicate each other (clears both participants' confirmations). */
  justifyOverlap: (frameworkId: string, contentA: string, contentB: string, reason: string) =>
    request<Framework>('PUT', `${base(frameworkId)}/overlaps/${id(contentA)}/${id(contentB)}`, { body: { reason } }),
  removeJustification: (frameworkId: string, contentA: string, contentB: string) =>
    request<Framework>('DELETE', `${base(frameworkId)}/overlaps/${id(contentA)}/${id(contentB)}`),

  /** I-13: why a content does not build a master-catalog system again (clears the department's confirmation). */
  justifyCatalogOverlap: (frameworkId: string, contentId: string, systemId: string, reason: string) =>
    request<Framework>('PUT', `${base(frameworkId)}/catalog-overlaps/${id(contentId)}/${id(systemId)}`, { body: { reason } }),
  removeCatalogJustification: (frameworkId: string, contentId: string, systemId: string) =>
    request<Framework>('DELETE', `${base(frameworkId)}/catalog-overlaps/${id(contentId)}/${id(systemId)}`),

  /** Every problem that stands in the way; nothing is written. */
  dryRun: (frameworkId: string, action: FrameworkAction, body: { reasons?: string } = {}) =>
    request<Extract<FrameworkActionResult, { dryRun: true }>>('POST', `${base(frameworkId)}/actions/${action}`, { query: { dryRun: true }, body }),
  take: (frameworkId: string, action: FrameworkAction, version: number, body: { reasons?: string; totp?: string }) =>
    request<Extract<FrameworkActionResult, { dryRun: false }>>('POST', `${base(frameworkId)}/actions/${action}`, { body, version }),
  history: (frameworkId: string) => request<{ items: FrameworkActionRecord[] }>('GET', `${base(frameworkId)}/history`),

  linkProject: (frameworkId: string, body: { projectId: string; organizationId: string }) =>
    request<Framework>('POST', `${base(frameworkId)}/projects`, { body }),
  unlinkProject: (frameworkId: string, projectId: string) =>
    request<Framework>('DELETE', `${base(frameworkId)}/projects/${id(projectId)}`),
};

export const coordinationApi = {
  get: (projectId: string) => request<Coordination>('GET', `/projects/${id(projectId)}/coordination`),
  /** 第十条 地方协同: this local sub-project follows the national project with that 项目代码. */
  setNational: (projectId: string, nationalProjectCode: string) =>
    request<Coordination>('PUT', `/projects/${id(projectId)}/national-project`, { body: { nationalProjectCode } }),
  removeNational: (projectId: string) => request<Coordination>('DELETE', `/projects/${id(projectId)}/national-project`),
  localProjects: (projectId: string, province?: string) =>
    request<LocalProjects>('GET', `/projects/${id(projectId)}/local-projects`, { query: { province } }),
};
