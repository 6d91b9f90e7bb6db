// The 政务信息系统目录 endpoints (第十二条) and the 孤网 exception decisions (第二十八条), with
// the types of their bodies as src/http/routes/system-catalog.ts declares them. Kept beside the
// pages that use them; they go through the shared client, so cookies, CSRF, If-Match and
// problem+json errors behave as everywhere else.
import { download, request, type PageQuery } from '../../api/client';
import type { LocalizedText, Page } from '../../api/types';

/** 所在网络: 电子政务外网 / 电子政务内网 / 互联网 / 孤网. */
export const NETWORK_TYPES = ['extranet', 'intranet', 'internet', 'isolated'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

/** 系统状态: 在建 / 运行 / 下线. */
export const SYSTEM_STATUSES = ['under_construction', 'operating', 'retired'] as const;
export type SystemStatus = (typeof SYSTEM_STATUSES)[number];

/** 等级保护 (with a level 1–5) or 分级保护 (涉密). */
export const PROTECTION_SCHEMES = ['mlps', 'classified'] as const;
export type ProtectionScheme = (typeof PROTECTION_SCHEMES)[number];

export const MLPS_LEVELS = [1, 2, 3, 4, 5] as const;
/** 第一级 is 自主保护: nobody files it with the 公安机关; from 第二级 on a system has a 备案编号. */
export const MLPS_FILED_FROM_LEVEL = 2;
/** 等保备案编号: 11 digits, optionally '-' and 5 digits (the server's check, repeated for early feedback). */
export const MLPS_FILING_NUMBER_PATTERN = /^[0-9]{11}(-[0-9]{5})?$/;

export const PROJECT_RELATIONS = ['new', 'upgrade'] as const;
export type ProjectRelation = (typeof PROJECT_RELATIONS)[number];
export const RESOURCE_RELATIONS = ['holds', 'collects'] as const;
export type ResourceRelation = (typeof RESOURCE_RELATIONS)[number];

export interface SystemSecurity {
  scheme: ProtectionScheme;
  mlpsLevel: number | null;
  filingNumber: string | null;
}

/** The body of POST /systems and PUT /systems/:id. */
export interface GovernmentSystemInput {
  name: string;
  ownerOrganizationId: string;
  purpose: string;
  businessArea: string;
  networkType: NetworkType;
  involvesSecrets: boolean;
  security: SystemSecurity;
  userCount: number;
  status: SystemStatus;
  projects: Array<{ projectId: string; relation: ProjectRelation }>;
  resources: Array<{ resourceId: string; relation: ResourceRelation }>;
}

export interface StandingIsolationException {
  decisionId: string;
  approvalDocumentNumber: string;
  approvedOn: string;
  decidedBy: string;
  decidedByName: string;
  decidedAt: string;
}

/** A system as the API presents it. */
export interface GovernmentSystem extends Omit<GovernmentSystemInput, 'projects' | 'resources'> {
  id: string;
  ownerOrganizationName: string;
  divisionCode: string | null;
  province: { code: string; name: LocalizedText };
  projects: Array<{ projectId: string; relation: ProjectRelation; projectCode: string; projectName: string }>;
  resources: Array<{ resourceId: string; relation: ResourceRelation; resourceCode: string; resourceName: string; projectId: string }>;
  /** 第二十八条: on an isolated network without a standing exception decision. */
  isolatedWithoutException: boolean;
  isolationException: StandingIsolationException | null;
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The list's filters (GET /systems and its export). */
export interface SystemQuery {
  q?: string;
  ownerOrganizationId?: string;
  /** Drill-down: owned by this organization or one below it. */
  organizationId?: string;
  /** First two digits of the 行政区划代码; '00' for central organs. */
  province?: string;
  networkType?: NetworkType;
  status?: SystemStatus;
  protectionScheme?: ProtectionScheme;
  mlpsLevel?: number;
  businessArea?: string;
  /** 第二十八条: 'true' lists only the flagged systems. */
  isolatedWithoutException?: 'true' | 'false';
  projectId?: string;
}

/** One 孤网 exception decision with its signature, verified by the server. */
export interface IsolationDecision {
  id: string;
  systemId: string;
  decision: 'grant' | 'revoke';
  reason: string;
  approvalDocumentNumber: string | null;
  approvedOn: string | null;
  revokesId: string | null;
  actorId: string;
  actorName: string;
  role: string;
  payload: string;
  signature: string;
  publicKey: string;
  signatureValid: boolean;
  createdAt: string;
}

export interface GrantInput {
  reason: string;
  approvalDocumentNumber: string;
  approvedOn: string;
  totp?: string;
}

export interface RevokeInput {
  reason: string;
  totp?: string;
}

/** How many systems, by status, network, protection and the 第二十八条 flag. */
export interface CatalogCounts {
  systems: number;
  underConstruction: number;
  operating: number;
  retired: number;
  extranet: number;
  intranet: number;
  internet: number;
  isolated: number;
  isolatedWithoutException: number;
  classified: number;
  mlpsLevel1: number;
  mlpsLevel2: number;
  mlpsLevel3: number;
  mlpsLevel4: number;
  mlpsLevel5: number;
}

export interface OrganizationSummary {
  organizationId: string;
  name: string;
  kind: string;
  divisionCode: string | null;
  hasChildren: boolean;
  /** The organization's whole subtree. */
  counts: CatalogCounts;
}

export interface CatalogSummary {
  parent: { id: string; name: string } | null;
  /** The systems the parent owns itself (本级); null at the top. */
  own: CatalogCounts | null;
  items: OrganizationSummary[];
  total: CatalogCounts;
}

export interface ProvinceSummary {
  province: string;
  name: LocalizedText;
  counts: CatalogCounts;
}

export interface DepartmentStatus {
  organizationId: string;
  name: string;
  kind: string;
  parentId: string | null;
  province: { code: string; name: LocalizedText };
  systemCount: number;
  isolatedWithoutException: number;
  /** SM3 of the department's systems and their versions as read; sent back when confirming. */
  digest: string;
  lastConfirmation: { id: string; at: string; by: string; byName: string; systemCount: number; digest: string } | null;
  changedSinceConfirmation: boolean;
  confirmationDays: number;
  dueOn: string | null;
  /** 第十二条: never confirmed, or confirmed longer ago than confirmationDays. */
  stale: boolean;
}

export interface DepartmentQuery {
  q?: string;
  organizationId?: string;
  stale?: 'true' | 'false';
}

export interface Confirmation {
  id: string;
  at: string;
  by: string;
  byName: string;
  role: string;
  systemCount: number;
  digest: string;
  note: string;
}

const id = (value: string) => encodeURIComponent(value);

export const catalogApi = {
  systems: {
    list: (query: SystemQuery & PageQuery) => request<Page<GovernmentSystem>>('GET', '/systems', { query: { ...query } }),
    export: (query: SystemQuery) => download('/systems/export', { ...query }, '政务信息系统目录.xlsx'),
    get: (systemId: string) => request<GovernmentSystem>('GET', `/systems/${id(systemId)}`),
    create: (body: GovernmentSystemInput) => request<GovernmentSystem>('POST', '/systems', { body }),
    update: (systemId: string, version: number, body: GovernmentSystemInput) =>
      request<GovernmentSystem>('PUT', `/systems/${id(systemId)}`, { body, version }),
    remove: (systemId: string, version: number) => request<void>('DELETE', `/systems/${id(systemId)}`, { version }),
    ofProject: (projectId: string) => request<Page<GovernmentSystem>>('GET', `/projects/${id(projectId)}/systems`),
  },

  /** 第二十八条: the signed exception decisions (NDRC, fresh TOTP). */
  isolation: {
    decisions: (systemId: string) => request<{ items: IsolationDecision[] }>('GET', `/systems/${id(systemId)}/isolation-decisions`),
    grant: (systemId: string, body: GrantInput) =>
      request<{ decision: IsolationDecision; system: GovernmentSystem }>('POST', `/systems/${id(systemId)}/isolation-exception`, { body }),
    revoke: (systemId: string, body: RevokeInput) =>
      request<{ decision: IsolationDecision; system: GovernmentSystem }>('POST', `/systems/${id(systemId)}/isolation-exception/revoke`, { body }),
  },

  /** 第十二条: the national catalog (国家政务信息系统总目录) and the departments' confirmations. */
  national: {
    summary: (parentId?: string) => request<CatalogSummary>('GET', '/system-catalog/summary', { query: { parentId } }),
    exportSummary: (parentId?: string) => download('/system-catalog/summary/export', { parentId }, '政务信息系统总目录汇总.xlsx'),
    provinces: () => request<{ items: ProvinceSummary[]; total: CatalogCounts }>('GET', '/system-catalog/provinces'),
    exportProvinces: () => download('/system-catalog/provinces/export', {}, '政务信息系统总目录-按省份.xlsx'),
    departments: (query: DepartmentQuery & PageQuery) =>
      request<Page<DepartmentStatus>>('GET', '/system-catalog/departments', { query: { ...query } }),
    exportDepartments: (query: DepartmentQuery) => download('/system-catalog/departments/export', { ...query }, '政务信息系统目录确认情况.xlsx'),
    department: (organizationId: string) => request<DepartmentStatus>('GET', `/system-catalog/departments/${id(organizationId)}`),
    confirmations: (organizationId: string) =>
      request<Page<Confirmation>>('GET', `/system-catalog/departments/${id(organizationId)}/confirmations`),
    /** 确认目录: 412 when the list changed since `expectedDigest` was read. */
    confirm: (body: { organizationId: string; expectedDigest: string; note?: string }) =>
      request<DepartmentStatus>('POST', '/system-catalog/confirmations', { body }),
  },
};
