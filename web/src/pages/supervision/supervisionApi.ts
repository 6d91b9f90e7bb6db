// 第三十条 监督检查与整改, 第三十三条 责任追究: the endpoints of src/http/routes/supervision.ts.
import { download, request } from '../../api/client';

export type Step = 'criticism' | 'deferInvestment' | 'suspendConstruction' | 'terminate';
export const STEPS: readonly Step[] = ['criticism', 'deferInvestment', 'suspendConstruction', 'terminate'];
export const CATEGORIES = ['informationSharing', 'tenderingProcurement', 'useOfFunds', 'cryptography', 'cybersecurity'] as const;
export type OrderStatus = 'open' | 'answered' | 'passed' | 'failed';

export interface Rectification {
  id: string;
  seq: string;
  subjectType: 'project' | 'system';
  projectId: string | null;
  systemId: string | null;
  subjectName: string;
  projectCode: string | null;
  unitName: string;
  issuerName: string;
  issuerRole: string;
  issuedBy: string;
  category: (typeof CATEGORIES)[number];
  categoryName: { zh: string; en: string };
  title: string;
  description: string;
  foundOn: string;
  requirements: string;
  dueOn: string;
  status: OrderStatus;
  escalationDue: 'overdue' | 'failed' | null;
  escalationStep: Step | null;
  version: number;
}

export interface EscalationDecision {
  id: string;
  step: Step;
  stepName: { zh: string; en: string };
  action: 'impose' | 'lift';
  reason: string;
  ruleValues: Record<string, unknown>;
  actorName: string;
  signatureValid: boolean;
  createdAt: string;
}

export interface RectificationDetail extends Rectification {
  answers: Array<{ id: string; evidence: string; answeredBy: string; answeredAt: string; result: 'passed' | 'failed' | null; opinion: string | null; verifiedBy: string | null; verifiedAt: string | null }>;
  decisions: EscalationDecision[];
  ladder: Step[];
  taken: Step[];
  standing: Step[];
  nextStep: Step | null;
  nextStepBlockedBy: string | null;
  projectSanctions: { investmentDeferredSince: string | null; constructionSuspendedSince: string | null; terminatedSince: string | null } | null;
  can: { answer: boolean; verify: boolean; escalate: boolean };
}

export interface Accountability {
  id: string;
  unitName: string;
  projectName: string | null;
  projectCode: string | null;
  subject: string;
  violation: string;
  basisArticle: string;
  decision: string;
  decidedOn: string;
  recordedBy: string;
}

const PDF_ACCEPT = 'application/pdf, application/problem+json';
const DOCX_ACCEPT = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/problem+json';

export const supervisionApi = {
  list: (query: { status?: string; escalationDue?: string; page?: number; pageSize?: number }) =>
    request<{ items: Rectification[]; total: number }>('GET', '/rectifications', { query }),
  get: (id: string) => request<RectificationDetail>('GET', `/rectifications/${id}`),
  export: () => download('/rectifications/export', {}, '监督检查与整改.xlsx'),
  answer: (id: string, evidence: string) => request<RectificationDetail>('POST', `/rectifications/${id}/answers`, { body: { evidence, materialIds: [] } }),
  verify: (id: string, result: 'passed' | 'failed', opinion: string) => request<RectificationDetail>('POST', `/rectifications/${id}/verification`, { body: { result, opinion } }),
  escalate: (id: string, action: 'escalations' | 'lifts', body: { step: Step; reason: string; totp: string }) =>
    request<RectificationDetail>('POST', `/rectifications/${id}/${action}`, { body }),
  notice: (id: string, format: 'docx' | 'pdf') =>
    download(`/rectifications/${id}/notice`, { format }, `整改通知.${format}`, format === 'pdf' ? PDF_ACCEPT : DOCX_ACCEPT),
  decisionDocument: (id: string, decisionId: string, format: 'docx' | 'pdf') =>
    download(`/rectifications/${id}/decisions/${decisionId}/document`, { format }, `决定.${format}`, format === 'pdf' ? PDF_ACCEPT : DOCX_ACCEPT),
  accountability: () => request<{ items: Accountability[]; total: number }>('GET', '/accountability', { query: { pageSize: 200 } }),
  exportAccountability: () => download('/accountability/export', {}, '责任追究记录.xlsx'),
};
