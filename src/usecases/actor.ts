// The authenticated caller as use cases see it, and the checks every use case starts with.
import {
  ROLES, resolveAccess, type DataScope, type Permission, type Principal, type RoleAssignment,
} from '../domain/authz.ts';
import { AppError } from '../errors.ts';
import type { AuditActor } from '../audit/writer.ts';

export interface Actor extends Principal {
  username: string;
  displayName: string;
  roles: readonly RoleAssignment[];
  sessionId: string | null;
  requestId: string | null;
  clientAddress: string | null;
}

/** The data scope `actor` has for `permission`; throws auth.forbidden when it has none. */
export function requireAccess(actor: Actor, permission: Permission): DataScope {
  const access = resolveAccess(actor, permission);
  if (!access.allowed) throw new AppError('auth.forbidden', { params: { permission } });
  return access.scope;
}

/** How the actor appears in an audit event for `permission`: the role that granted it. */
export function auditActorFor(actor: Actor, permission: Permission | null): AuditActor {
  const role = permission
    ? actor.roles.find((r) => ROLES[r.role].grants[permission] !== undefined)?.role
    : actor.roles[0]?.role;
  return {
    id: actor.userId,
    username: actor.username,
    organizationId: actor.organizationIds[0] ?? null,
    role: role ?? null,
  };
}

/** The request facts an audit event records. */
export function requestFacts(actor: Actor) {
  return { requestId: actor.requestId, clientAddress: actor.clientAddress };
}

/** The operator running a CLI command: all system permissions, recorded as "cli". */
export function systemActor(): Actor {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    username: 'system',
    displayName: 'system',
    organizationIds: [],
    roles: [
      { role: 'admin', customOrganizationIds: [] },
      { role: 'security_admin', customOrganizationIds: [] },
    ],
    sessionId: null,
    requestId: null,
    clientAddress: 'cli',
  };
}
