// 验收与后评价 (第二十五条–第二十七条): the typed client of /projects/:id/acceptance and
// /projects/:id/post-evaluation (src/http/routes/acceptance.ts).
import { download, request } from './client';

export interface Localized {
  zh: string;
  en: string;
}

/** A rule problem as a view carries it (both languages; errors carry the caller's only). */
export interface ViewProblem {
  code: string;
  article: string;
  params: Record<string, string>;
  message: Localized;
}

export interface LatestMaterial {
  materialId: string;
  code: string;
  versionNo: number;
  fileName: string;
  sm3: string;
  uploadedAt: string;
}

export interface ChecklistItem {
  key: string;
  name: Localized;
  anyOf: string[];
  satisfied: boolean;
  presentCodes: string[];
  materials: LatestMaterial[];
}

export interface ObligationState {
  status: 'notDue' | 'dueSoon' | 'dueToday' | 'overdue';
  dueOn: string;
  daysLeft: number;
}

export interface AcceptanceDecision {
  id: string;
  applicationId: string;
  result: 'pass' | 'fail';
  opinion: string;
  acceptedOn: string | null;
  inOperationOn: string | null;
  actorName: string;
  role: string;
  payload: string;
  signature: string;
  publicKey: string;
  signatureValid: boolean;
  createdAt: string;
}

export interface AcceptanceApplication {
  id: string;
  dueOn: string;
  onTime: boolean;
  submittedBy: string;
  submittedAt: string;
  materials: Array<{ code: string; version: number; sm3: string }>;
  decision: AcceptanceDecision | null;
}

export interface AcceptanceExtension {
  id: string;
  reason: string;
  dueOnBefore: string;
  proposedDueOn: string;
  requestedBy: string;
  requestedAt: string;
  decision: 'approved' | 'rejected' | null;
  opinion: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  signatureValid: boolean | null;
}

export interface ArchiveAcceptance {
  id: string;
  acceptedOn: string;
  result: 'pass' | 'fail';
  opinion: string;
  recordedBy: string;
  createdAt: string;
}

export interface AcceptanceReviewItem {
  key: 'secureProducts' | 'cryptography' | 'energy';
  name: Localized;
  status: 'recorded' | 'missing' | 'failed';
  summary: Localized;
}

export interface AcceptanceView {
  projectId: string;
  classified: boolean;
  completedOn: string | null;
  acceptedOn: string | null;
  inOperationOn: string | null;
  rules: { applicationMonths: number; remindDays: number };
  deadline: { originalDueOn: string; dueOn: string; extended: boolean } | null;
  obligation: ObligationState | null;
  checklist: ChecklistItem[];
  /** 第十六条: what the acceptance reviews besides the materials (informative). */
  reviewItems: AcceptanceReviewItem[];
  applyProblems: ViewProblem[];
  applications: AcceptanceApplication[];
  pendingApplicationId: string | null;
  extensions: AcceptanceExtension[];
  archives: ArchiveAcceptance[];
  report: LatestMaterial | null;
  can: { apply: boolean; requestExtension: boolean; decideExtension: boolean; recordArchive: boolean; decide: boolean; fileReport: boolean };
}

export type Conclusion = 'continue' | 'remediate' | 'innovate' | 'retire';

export interface PostEvaluationView {
  projectId: string;
  acceptedOn: string | null;
  inOperationOn: string | null;
  rules: { startMonths: number; endMonths: number; refuseEarly: boolean; remindDays: number };
  window: { countsFrom: string; opensOn: string; dueOn: string; remindFrom: string; startMonths: number; endMonths: number } | null;
  /** daysToOpen: whole days until the window opens (before it only). */
  status: (ObligationState & { phase: 'beforeWindow' | 'inWindow' | 'afterWindow'; daysToOpen?: number }) | null;
  selfEvaluations: Array<{ id: string; submittedOn: string; timing: 'early' | 'inWindow' | 'late'; fileName: string; materialId: string; sm3: string; submittedBy: string }>;
  pendingReport: { materialId: string; fileName: string; versionNo: number; uploadedAt: string } | null;
  commissions: Array<{
    id: string;
    evaluatorOrganizationId: string;
    evaluatorOrganizationName: string;
    reason: string;
    commissionedBy: string;
    commissionedAt: string;
    conclusion: Conclusion | null;
    conclusionName: Localized | null;
    opinion: string | null;
    report: { materialId: string; fileName: string; sm3: string } | null;
    concludedBy: string | null;
    concludedAt: string | null;
  }>;
  latestReport: { materialId: string; fileName: string; uploadedAt: string } | null;
  can: { submit: boolean; commission: boolean; conclude: boolean };
}

const base = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;

export const acceptanceApi = {
  get: (projectId: string) => request<AcceptanceView>('GET', `${base(projectId)}/acceptance`),
  apply: (projectId: string) => request<{ acceptance: AcceptanceView }>('POST', `${base(projectId)}/acceptance/application`),
  requestExtension: (projectId: string, body: { reason: string; proposedDueOn: string }) =>
    request<AcceptanceView>('POST', `${base(projectId)}/acceptance/extensions`, { body }),
  decideExtension: (projectId: string, extensionId: string, body: { decision: 'approved' | 'rejected'; opinion: string; totp: string }) =>
    request<AcceptanceView>('POST', `${base(projectId)}/acceptance/extensions/${encodeURIComponent(extensionId)}/decision`, { body }),
  recordArchive: (projectId: string, body: { acceptedOn: string; result: 'pass' | 'fail'; opinion: string }) =>
    request<AcceptanceView>('POST', `${base(projectId)}/acceptance/archive`, { body }),
  decide: (projectId: string, body: { result: 'pass' | 'fail'; opinion: string; inOperationOn?: string; totp: string }) =>
    request<{ decisionId: string; acceptance: AcceptanceView }>('POST', `${base(projectId)}/acceptance/decision`, { body }),
  downloadDocument: (projectId: string, decisionId: string) =>
    download(
      `${base(projectId)}/acceptance/decisions/${encodeURIComponent(decisionId)}/document`,
      {},
      '验收意见.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/problem+json',
    ),
  postEvaluation: (projectId: string) => request<PostEvaluationView>('GET', `${base(projectId)}/post-evaluation`),
  submitSelfEvaluation: (projectId: string) =>
    request<{ notices: ViewProblem[]; postEvaluation: PostEvaluationView }>('POST', `${base(projectId)}/post-evaluation/self-evaluations`),
  evaluators: (projectId: string) => request<{ items: Array<{ id: string; name: string }> }>('GET', `${base(projectId)}/post-evaluation/evaluators`),
  commission: (projectId: string, body: { organizationId: string; reason: string }) =>
    request<PostEvaluationView>('POST', `${base(projectId)}/post-evaluation/commissions`, { body }),
  conclude: (projectId: string, body: { conclusion: Conclusion; opinion: string }) =>
    request<PostEvaluationView>('POST', `${base(projectId)}/post-evaluation/conclusion`, { body }),
};
