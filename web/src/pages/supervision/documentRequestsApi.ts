// 第二十九条 资料调阅: the endpoints of src/http/routes/document-requests.ts.
import { download, request } from '../../api/client';

export const PURPOSES = ['performanceEvaluation', 'audit', 'inspection', 'other'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const REQUEST_STATUSES = ['open', 'answered', 'returned', 'accepted'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface DocumentRequest {
  id: string;
  seq: string;
  subjectType: 'project' | 'system';
  projectId: string | null;
  systemId: string | null;
  subjectName: string;
  projectCode: string | null;
  unitName: string;
  requesterName: string;
  requestedBy: string;
  purpose: Purpose;
  title: string;
  items: string[];
  requestedOn: string;
  dueOn: string;
  status: RequestStatus;
  overdue: boolean;
  findingId: string | null;
  version: number;
}

export interface DocumentRequestFile {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sm3: string;
  uploadedBy: string;
  uploadedAt: string;
  answerId: string | null;
}

export interface DocumentRequestDetail extends DocumentRequest {
  files: DocumentRequestFile[];
  answers: Array<{
    id: string; statement: string; fileIds: string[]; missingItems: Array<{ index: number; reason: string }>; answeredBy: string; answeredAt: string;
    review: { result: 'accepted' | 'returned'; reasons: string; reviewedBy: string; reviewedAt: string } | null;
  }>;
  findingAllowed: 'overdue' | 'returned' | null;
  can: { answer: boolean; review: boolean; openFinding: boolean };
}

export interface DocumentRequestQuery {
  box?: 'sent' | 'received';
  status?: RequestStatus;
  overdue?: 'true';
  projectId?: string;
  page?: number;
  pageSize?: number;
}

export const documentRequestsApi = {
  list: (query: DocumentRequestQuery) => request<{ items: DocumentRequest[]; total: number }>('GET', '/document-requests', { query: { ...query } }),
  work: () => request<{ items: Array<{ requestId: string; kind: 'answer' | 'review'; overdue: boolean }> }>('GET', '/document-requests/work'),
  get: (id: string) => request<DocumentRequestDetail>('GET', `/document-requests/${id}`),
  export: (query: DocumentRequestQuery) => {
    const { page: _page, pageSize: _size, ...filter } = query;
    return download('/document-requests/export', { ...filter }, '资料调阅.xlsx');
  },
  create: (body: { projectId: string; purpose: Purpose; title: string; items: string[]; dueOn?: string }) =>
    request<DocumentRequestDetail>('POST', '/document-requests', { body }),
  upload: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<DocumentRequestFile>('POST', `/document-requests/${id}/files`, { form });
  },
  download: (id: string, file: DocumentRequestFile) =>
    download(`/document-requests/${id}/files/${file.id}/download`, {}, file.fileName, `${file.mediaType}, application/problem+json`),
  answer: (id: string, body: { statement: string; fileIds: string[]; missingItems: Array<{ index: number; reason: string }>; expectedVersion: number }) =>
    request<DocumentRequestDetail>('POST', `/document-requests/${id}/answers`, { body }),
  review: (id: string, body: { result: 'accepted' | 'returned'; reasons: string; dueOn?: string; expectedVersion: number }) =>
    request<DocumentRequestDetail>('POST', `/document-requests/${id}/review`, { body }),
  finding: (id: string, body: { category: string; title: string; description: string; requirements: string; dueOn: string }) =>
    request<DocumentRequestDetail>('POST', `/document-requests/${id}/finding`, { body }),
};
