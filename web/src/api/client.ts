// Typed fetch client of /api/v1. Cookies carry the session; every non-GET request also
// carries the CSRF token received at login or from /auth/me. Errors are RFC 9457
// problem+json documents, thrown as ApiError.
import type {
  ActionInput,
  ActionRecord,
  ActionResult,
  AuditEvent,
  AuditQuery,
  InspectorCandidate,
  SignedKind,
  SignedRecord,
  SignedRecordQuery,
  SpotCheckCreateInput,
  SpotCheckFull,
  Checkpoint,
  CreateUserInput,
  CreateUserResponse,
  DryRunResult,
  Health,
  InformationResource,
  InformationResourceInput,
  LifecycleAction,
  LoginResponse,
  Material,
  MeResponse,
  NextActions,
  Organization,
  OrganizationInput,
  Page,
  Permission,
  Plan,
  PlanAdjustment,
  PlanAdjustmentInput,
  PlanApprovalInput,
  PlanLevel,
  PlanStatus,
  PlanVersion,
  PlanVersionSummary,
  Project,
  ProjectAssignments,
  ProjectInput,
  ProjectQuery,
  ResourceCatalog,
  Role,
  RuleProblem,
  Session,
  TotpSecret,
  UpdateUserInput,
  User,
  VerifyResult,
} from './types';

export const API_BASE = '/api/v1';

export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
  /** Rules that stand in the way (422 lifecycle.blocked), each with its article. */
  problems?: RuleProblem[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  readonly errors: FieldProblem[];
  readonly problems: RuleProblem[];
  /** Set when the client already dealt with the error (e.g. redirected to the login page). */
  handled = false;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.problems = Array.isArray(problem.problems) ? problem.problems : [];
  }

  /** The text to show the user: the server's localized detail, else its title. */
  get userMessage(): string | undefined {
    return this.detail || this.title || undefined;
  }

  get isStale(): boolean {
    return this.status === 412 || this.code === 'conflict.stale';
  }
}

/** Thrown when the server cannot be reached at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

// ---- module state shared with the React tree -------------------------------------------

let csrfToken: string | null = null;
let apiLocale = 'zh-CN';
let unauthorizedHandler: ((error: ApiError) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLocale(locale: string): void {
  apiLocale = locale;
}

/** Called on a 401 from any request but login (the session ended or never existed). */
export function onUnauthorized(handler: ((error: ApiError) => void) | null): void {
  unauthorizedHandler = handler;
}

// ---- core request -----------------------------------------------------------------------

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A multipart body (file upload), sent as is instead of JSON. */
  form?: FormData;
  /** The record version for optimistic concurrency (sent as If-Match: "<version>"). */
  version?: number;
  /** Sent as Idempotency-Key: a repeated request (double click, retry) returns the first response. */
  idempotencyKey?: string;
  /** Do not treat a 401 as "session ended" (used by login). */
  allowUnauthorized?: boolean;
  /**
   * A timed poll nobody asked for (unread count, worklist badge): sent with
   * X-Govproj-Background: 1, so the server answers without extending the session's idle
   * timeout and an unattended screen still signs out after 30 minutes (SPEC §10).
   */
  background?: boolean;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      params.append(key, String(value));
    }
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

function buildHeaders(method: string, options: RequestOptions, accept: string): Headers {
  const headers = new Headers({ Accept: accept, 'Accept-Language': apiLocale });
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  if (options.version !== undefined) headers.set('If-Match', `"${options.version}"`);
  if (options.idempotencyKey) headers.set('Idempotency-Key', options.idempotencyKey);
  if (options.background) headers.set('X-Govproj-Background', '1');
  return headers;
}

async function toApiError(response: Response): Promise<ApiError> {
  let problem: Problem = { status: response.status, title: response.statusText };
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem> & { message?: string };
      problem = {
        ...body,
        status: typeof body.status === 'number' ? body.status : response.status,
        detail: body.detail ?? body.message,
        title: body.title ?? response.statusText,
      };
    } catch {
      // not a JSON body after all: keep the status line
    }
  }
  return new ApiError(problem);
}

async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: buildHeaders(method, options, accept),
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError(cause);
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && !options.allowUnauthorized && unauthorizedHandler) {
      error.handled = true;
      unauthorizedHandler(error);
    }
    throw error;
  }
  return response;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await response.json()) as T;
}

function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

const XLSX_ACCEPT = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json';

/** Downloads a file (e.g. an .xlsx export) through fetch so cookies and errors behave as usual. */
export async function download(path: string, query: Query, fallbackName: string, accept = XLSX_ACCEPT): Promise<void> {
  const response = await send('GET', path, { query }, accept);
  const blob = await response.blob();
  const name = filenameFrom(response.headers.get('Content-Disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.rel = 'noopener';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

// ---- endpoints -------------------------------------------------------------------------

export interface PageQuery {
  page: number;
  pageSize: number;
}

export const api = {
  health: () => request<Health>('GET', '/health'),

  auth: {
    login: (body: { username: string; password: string; totp?: string }) =>
      request<LoginResponse>('POST', '/auth/login', { body, allowUnauthorized: true }),
    me: () => request<MeResponse>('GET', '/auth/me'),
    logout: () => request<void>('POST', '/auth/logout'),
  },

  organizations: {
    list: () => request<{ items: Organization[] }>('GET', '/organizations'),
    create: (body: OrganizationInput) => request<Organization>('POST', '/organizations', { body }),
    update: (id: string, version: number, body: OrganizationInput) =>
      request<Organization>('PATCH', `/organizations/${encodeURIComponent(id)}`, { body, version }),
  },

  users: {
    list: (query: PageQuery & { q?: string; organizationId?: string }) =>
      request<Page<User>>('GET', '/users', { query: { ...query } }),
    create: (body: CreateUserInput) => request<CreateUserResponse>('POST', '/users', { body }),
    update: (id: string, version: number, body: UpdateUserInput) =>
      request<User & Partial<TotpSecret>>('PATCH', `/users/${encodeURIComponent(id)}`, { body, version }),
    setPassword: (id: string, password: string) =>
      request<void>('POST', `/users/${encodeURIComponent(id)}/password`, { body: { password } }),
    lock: (id: string) => request<User>('POST', `/users/${encodeURIComponent(id)}/lock`),
    unlock: (id: string) => request<User>('POST', `/users/${encodeURIComponent(id)}/unlock`),
    resetTotp: (id: string) => request<TotpSecret>('POST', `/users/${encodeURIComponent(id)}/totp`),
    export: (query: { q?: string; organizationId?: string }) => download('/users/export', { ...query }, 'users.xlsx'),
  },

  roles: {
    list: () => request<{ items: Role[] }>('GET', '/roles'),
    permissions: () => request<{ items: Permission[] }>('GET', '/permissions'),
  },

  sessions: {
    list: () => request<{ items: Session[] }>('GET', '/sessions'),
    revoke: (id: string) => request<void>('DELETE', `/sessions/${encodeURIComponent(id)}`),
  },

  projects: {
    list: (query: ProjectQuery & PageQuery) => request<Page<Project>>('GET', '/projects', { query: { ...query } }),
    export: (query: ProjectQuery) => download('/projects/export', { ...query }, 'projects.xlsx'),
    get: (id: string) => request<Project>('GET', `/projects/${encodeURIComponent(id)}`),
    create: (body: ProjectInput) => request<Project>('POST', '/projects', { body }),
    update: (id: string, version: number, body: ProjectInput) =>
      request<Project>('PUT', `/projects/${encodeURIComponent(id)}`, { body, version }),
  },

  materials: {
    list: (projectId: string) => request<{ items: Material[] }>('GET', `/projects/${encodeURIComponent(projectId)}/materials`),
    /** multipart/form-data: the fields stage and materialCode first, then the one file. */
    upload: (projectId: string, stage: string, materialCode: string, file: File) => {
      const form = new FormData();
      form.append('stage', stage);
      form.append('materialCode', materialCode);
      form.append('file', file, file.name);
      return request<Material>('POST', `/projects/${encodeURIComponent(projectId)}/materials`, { form });
    },
    download: (projectId: string, material: Pick<Material, 'id' | 'fileName'>) =>
      download(
        `/projects/${encodeURIComponent(projectId)}/materials/${encodeURIComponent(material.id)}/download`,
        {},
        material.fileName,
        '*/*',
      ),
  },

  resources: {
    list: (projectId: string) => request<ResourceCatalog>('GET', `/projects/${encodeURIComponent(projectId)}/resources`),
    export: (projectId: string) => download(`/projects/${encodeURIComponent(projectId)}/resources/export`, {}, 'resources.xlsx'),
    create: (projectId: string, body: InformationResourceInput) =>
      request<InformationResource>('POST', `/projects/${encodeURIComponent(projectId)}/resources`, { body }),
    update: (projectId: string, resourceId: string, version: number, body: InformationResourceInput) =>
      request<InformationResource>('PUT', `/projects/${encodeURIComponent(projectId)}/resources/${encodeURIComponent(resourceId)}`, {
        body,
        version,
      }),
    remove: (projectId: string, resourceId: string, version: number) =>
      request<void>('DELETE', `/projects/${encodeURIComponent(projectId)}/resources/${encodeURIComponent(resourceId)}`, { version }),
  },

  /** 申报、审核与批复 (第七条–第九条, 第十一条): what the caller may do next, taking it, the signed history. */
  lifecycle: {
    actions: (projectId: string) => request<NextActions>('GET', `/projects/${encodeURIComponent(projectId)}/actions`),
    history: (projectId: string) => request<{ items: ActionRecord[] }>('GET', `/projects/${encodeURIComponent(projectId)}/history`),
    /** Every problem that stands in the way; nothing is written. */
    dryRun: (projectId: string, action: LifecycleAction, body: ActionInput) =>
      request<DryRunResult>('POST', `/projects/${encodeURIComponent(projectId)}/actions/${action}`, { query: { dryRun: true }, body }),
    take: (projectId: string, action: LifecycleAction, version: number, idempotencyKey: string, body: ActionInput) =>
      request<ActionResult>('POST', `/projects/${encodeURIComponent(projectId)}/actions/${action}`, { body, version, idempotencyKey }),
    /** The 公文 (.docx) of a decision: 批复, 不予批复, 备案回执, 退回通知. */
    documentUrl: (projectId: string, actionId: string) =>
      `${API_BASE}/projects/${encodeURIComponent(projectId)}/history/${encodeURIComponent(actionId)}/document`,
    downloadDocument: (projectId: string, actionId: string, fallbackName: string) =>
      download(
        `/projects/${encodeURIComponent(projectId)}/history/${encodeURIComponent(actionId)}/document`,
        {},
        fallbackName,
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/problem+json',
      ),
    verifySignature: (body: { payload: string; signature: string; publicKey: string }) =>
      request<{ valid: boolean }>('POST', '/signatures/verify', { body }),
    assignments: (projectId: string) => request<ProjectAssignments>('GET', `/projects/${encodeURIComponent(projectId)}/assignments`),
    /** 改派审核人: the reviewers who may take the project over. */
    reviewerCandidates: (projectId: string) =>
      request<{ items: { id: string; displayName: string }[] }>('GET', `/projects/${encodeURIComponent(projectId)}/reviewer-candidates`),
    /** 第七条: the approval department entrusts a 咨询评估单位. */
    assignAssessor: (projectId: string, body: { organizationId: string; reason: string }) =>
      request<ProjectAssignments>('PUT', `/projects/${encodeURIComponent(projectId)}/assessor`, { body }),
  },

  plans: {
    list: (query: { level?: PlanLevel; status?: PlanStatus } = {}) => request<{ items: Plan[] }>('GET', '/plans', { query: { ...query } }),
    get: (id: string) => request<Plan>('GET', `/plans/${encodeURIComponent(id)}`),
    versions: (id: string) => request<{ items: PlanVersionSummary[] }>('GET', `/plans/${encodeURIComponent(id)}/versions`),
    version: (id: string, versionNo: number) =>
      request<PlanVersion>('GET', `/plans/${encodeURIComponent(id)}/versions/${versionNo}`),
    adjustments: (id: string) => request<{ items: PlanAdjustment[] }>('GET', `/plans/${encodeURIComponent(id)}/adjustments`),
    adjust: (id: string, version: number, body: PlanAdjustmentInput) =>
      request<{ adjustment: PlanAdjustment; plan: Plan }>('POST', `/plans/${encodeURIComponent(id)}/adjustments`, { body, version }),
    approve: (id: string, version: number, body: PlanApprovalInput) =>
      request<Plan>('POST', `/plans/${encodeURIComponent(id)}/approve`, { body, version }),
  },

  audit: {
    events: (query: AuditQuery & PageQuery) => request<Page<AuditEvent>>('GET', '/audit/events', { query: { ...query } }),
    export: (query: AuditQuery) => download('/audit/events/export', { ...query }, `audit-${query.category}.xlsx`),
    verify: () => request<VerifyResult>('GET', '/audit/verify'),
    checkpoint: () => request<Checkpoint>('POST', '/audit/checkpoints'),
    // 第三十一条: signed decisions, each verified by the server on every request.
    signedRecords: (query: SignedRecordQuery & PageQuery) => request<Page<SignedRecord>>('GET', '/audit/signed-records', { query: { ...query } }),
    signedRecord: (kind: SignedKind, id: string) =>
      request<SignedRecord & { payload: string }>('GET', `/audit/signed-records/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`),
    exportSignedRecords: (query: SignedRecordQuery) => download('/audit/signed-records/export', { ...query }, 'signatures.xlsx'),
  },

  // 双随机、一公开 (the organizers' side; the public side is web/src/open).
  spotChecks: {
    list: (query: PageQuery) => request<Page<SpotCheckFull>>('GET', '/spot-checks', { query: { ...query } }),
    get: (id: string) => request<SpotCheckFull>('GET', `/spot-checks/${encodeURIComponent(id)}`),
    create: (body: SpotCheckCreateInput) => request<SpotCheckFull>('POST', '/spot-checks', { body }),
    draw: (id: string, seed?: string) => request<SpotCheckFull>('POST', `/spot-checks/${encodeURIComponent(id)}/draw`, { body: seed ? { seed } : {} }),
    outcomes: (id: string, outcomes: Array<{ targetRef: string; itemCode: string; outcome: 'pass' | 'fail'; notes: string }>) =>
      request<SpotCheckFull>('PUT', `/spot-checks/${encodeURIComponent(id)}/outcomes`, { body: { outcomes } }),
    conclude: (id: string) => request<SpotCheckFull>('POST', `/spot-checks/${encodeURIComponent(id)}/conclude`),
    candidates: (q?: string) => request<InspectorCandidate[]>('GET', '/spot-checks/inspector-candidates', { query: { q } }),
    export: () => download('/spot-checks/export', {}, 'spot-checks.xlsx'),
  },
};
