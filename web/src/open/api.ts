// The open-data API (/api/open/v1), no session: plain fetch in the page's language.
import type { Locale } from '../i18n/messages';

export const OPEN_API = '/api/open/v1';

/**
 * One page of a public list: `next` is the URL of the page after it (keyset cursor; null on the
 * last page), `page` the page number when the deprecated page parameter chose it, and
 * `totalApproximate` says the total was not recounted since the latest change.
 */
export interface OpenPage<T> { items: T[]; total: number; totalApproximate: boolean; page: number | null; pageSize: number; next: string | null }

/** The cursor a `next` link carries. */
export const cursorOf = (next: string | null): string | undefined => (next ? new URL(next, 'http://x').searchParams.get('cursor') ?? undefined : undefined);

export interface OpenProject {
  id: string; code: string; name: string; constructionUnit: string; approvalDepartment: string; track: string; kind: string; stage: string; status: string;
  crossDepartment: boolean; constructionStart: string; constructionEnd: string; totalInvestment: string; oAndMFunds: string; fundingChannel: string; updatedOn: string;
}
export interface OpenSystem { id: string; name: string; ownerOrganization: string; purpose: string; businessArea: string; status: string; projects: Array<{ code: string; name: string }> }
export interface OpenResource {
  id: string; code: string; name: string; classificationKind: string; baseCategory: string | null; provider: string; format: string; updateCycle: string;
  sharingType: string; openType: string; openBasis: string | null; dataItems: Array<{ name: string; type: string }>; projectCode: string;
}
export interface DrawTarget { ref: string; kind: 'project' | 'system'; id: string; code: string; name: string; organizationId: string; organizationName: string; organizationPath: string[] }
export interface DrawInspector { ref: string; organizationId: string; organizationName: string; organizationPath: string[] }
export type DigestName = 'seed' | 'rules' | 'targets' | 'inspectors' | 'input';
export interface OpenSpotCheck {
  id: string; title: string; organizationName: string; checklist: Array<{ code: string; title: string; basis: string }>;
  rules: { targetCount: number; inspectorsPerTarget: number }; algorithm: string; targets: DrawTarget[]; inspectors: DrawInspector[];
  digests: { seed: string | null; rules: string; targets: string; inspectors: string; input: string | null };
  status: 'pooled' | 'drawn' | 'concluded'; seed: string | null; result: Array<{ targetRef: string; inspectorRefs: string[] }> | null; resultDigest: string | null;
  drawnAt: string | null; concludedAt: string | null; createdAt: string;
  outcomes: Array<{ targetRef: string; itemCode: string; outcome: 'pass' | 'fail'; notes: string }>;
}
export interface DrawComparison {
  differingDigests: DigestName[];
  sameResult: boolean;
  outcome: { digests: Record<DigestName, string>; assignments: Array<{ targetRef: string; inspectorRefs: string[] }>; resultDigest: string } | null;
  problems: Array<{ code: string; ref?: string }>;
}

export class OpenApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function call<T>(locale: Locale, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${OPEN_API}${path}`, { ...init, headers: { accept: 'application/json', 'accept-language': locale, ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
    throw new OpenApiError(res.status, problem.detail ?? problem.title ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export const openApi = {
  list: <T>(locale: Locale, resource: string, params: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
    return call<OpenPage<T>>(locale, `/${resource}?${q}`);
  },
  spotCheck: (locale: Locale, id: string) => call<OpenSpotCheck>(locale, `/spot-checks/${encodeURIComponent(id)}`),
  redraw: (locale: Locale, id: string, body: { seed?: string; targets?: unknown; inspectors?: unknown }) =>
    call<DrawComparison>(locale, `/spot-checks/${encodeURIComponent(id)}/redraw`, { method: 'POST', body: JSON.stringify(body) }),
};
