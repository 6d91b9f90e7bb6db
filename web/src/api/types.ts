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
