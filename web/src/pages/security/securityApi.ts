// 安全与资源记录 (第十四条–第十七条), 共享问题认定 and 运维经费资格 (第二十八条): the endpoints of
// src/http/routes/security.ts with the types of their bodies, through the shared client.
import { download, request, type PageQuery } from '../../api/client';
import type { LocalizedText } from '../../api/types';
import type { NetworkType, SystemStatus } from '../catalog/catalogApi';

export const RECORD_KINDS = ['filing', 'securityTest', 'riskAssessment', 'cryptoPlan', 'cryptoAssessment', 'hazard', 'product', 'energy', 'cloud'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
/** Kinds that decide eligibility: they always name the system. */
export const SYSTEM_REQUIRED_KINDS: readonly RecordKind[] = ['filing', 'securityTest', 'cryptoAssessment', 'hazard'];
export const CONCLUDED_KINDS: readonly RecordKind[] = ['securityTest', 'riskAssessment', 'cryptoAssessment'];
export const PRODUCT_CATEGORIES = ['hardware', 'software', 'crypto'] as const;
export const CLAUSES = ['一', '二', '三', '孤网'] as const;
export type Clause = (typeof CLAUSES)[number];

export interface RecordDetails {
  scheme?: 'mlps' | 'classified';
  level?: number | null;
  agency?: string;
  findings?: string;
  score?: string | null;
  reviewed?: boolean;
  product?: string;
  vendor?: string;
  category?: (typeof PRODUCT_CATEGORIES)[number];
  dataCentre?: string;
  pue?: string;
  provider?: string;
  vcpu?: number;
  storageTb?: string;
}

export interface SecurityRecord {
  id: string;
  kind: RecordKind;
  projectId: string | null;
  projectName: string | null;
  systemId: string | null;
  systemName: string | null;
  occurredOn: string;
  passed: boolean | null;
  reference: string | null;
  details: RecordDetails;
  resolvedOn: string | null;
  resolution: string | null;
  recordedBy: string;
  recordedByName: string;
  createdAt: string;
}

export interface RecordInput {
  kind: RecordKind;
  projectId: string | null;
  systemId: string | null;
  occurredOn: string;
  passed: boolean | null;
  reference: string | null;
  details: RecordDetails;
}

export interface SharingFinding {
  id: string;
  systemId: string;
  kind: 'notSharing' | 'duplicateCollection';
  reference: string;
  description: string;
  foundOn: string;
  organizationName: string;
  recordedByName: string;
  resolvedOn: string | null;
  resolution: string | null;
}

export interface EligibilityReason {
  code: string;
  clause: Clause | null;
  article: string;
  message: LocalizedText;
  params: Record<string, string>;
}

export interface SystemEligibility {
  systemId: string;
  name: string;
  ownerOrganizationId: string;
  ownerOrganizationName: string;
  province: { code: string; name: LocalizedText };
  networkType: NetworkType;
  status: SystemStatus;
  security: { scheme: 'mlps' | 'classified'; mlpsLevel: number | null };
  inOperationOn: string | null;
  eligible: boolean;
  reasons: EligibilityReason[];
  warnings: EligibilityReason[];
  mayRebuild: boolean;
  nextSecurityTestDue: string | null;
  nextCryptoAssessmentDue: string | null;
}

export interface EligibilityQuery {
  q?: string;
  organizationId?: string;
  province?: string;
  eligible?: 'true' | 'false';
  clause?: Clause;
  networkType?: NetworkType;
  status?: SystemStatus;
}

export interface EligibilityPage {
  items: SystemEligibility[];
  total: number;
  today: string;
  counts: { eligible: number; ineligible: number };
}

export interface RebuildCheck {
  appliesTo: boolean;
  systems: Array<{ systemId: string; name: string; allowed: boolean; reasons: EligibilityReason[] }>;
}

export const securityApi = {
  systemRecords: (id: string) => request<{ items: SecurityRecord[] }>('GET', `/systems/${id}/security-records`),
  projectRecords: (id: string) => request<{ items: SecurityRecord[] }>('GET', `/projects/${id}/security-records`),
  create: (body: RecordInput) => request<SecurityRecord>('POST', '/security-records', { body }),
  resolveHazard: (id: string, body: { resolvedOn: string; resolution: string }) => request<SecurityRecord>('POST', `/security-records/${id}/resolve`, { body }),
  findings: (systemId: string) => request<{ items: SharingFinding[] }>('GET', `/systems/${systemId}/sharing-findings`),
  recordFinding: (systemId: string, body: { kind: SharingFinding['kind']; reference: string; description: string; foundOn: string }) =>
    request<SharingFinding>('POST', `/systems/${systemId}/sharing-findings`, { body }),
  resolveFinding: (id: string, body: { resolvedOn: string; resolution: string }) => request<SharingFinding>('POST', `/sharing-findings/${id}/resolve`, { body }),
  eligibility: (systemId: string) => request<SystemEligibility>('GET', `/systems/${systemId}/eligibility`),
  list: (query: EligibilityQuery & PageQuery) => request<EligibilityPage>('GET', '/eligibility', { query: { ...query } }),
  export: (query: EligibilityQuery) => download('/eligibility/export', { ...query }, '运维经费资格清单.xlsx'),
  rebuildCheck: (projectId: string) => request<RebuildCheck>('GET', `/projects/${projectId}/rebuild-check`),
};
