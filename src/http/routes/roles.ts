// 角色与权限 (SPEC §1): read-only; roles and their grants are defined in src/domain/authz.ts.
import { z } from 'zod';
import { PERMISSIONS, PERMISSION_CODES, ROLE_CODES, ROLES, type ScopeKind } from '../../domain/authz.ts';
import { defineRoute } from '../route.ts';

export const roleRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/roles', access: 'system:role:read', tags: ['roles'], summary: '角色列表 / Roles',
    responses: {
      200: z.object({ items: z.array(z.object({
        code: z.string(), name: z.string(), nameEn: z.string(), duty: z.string(), requiresTotp: z.boolean(),
        grants: z.array(z.object({ permission: z.string(), scope: z.string() })),
      })) }),
    },
    handler: async () => ({
      items: ROLE_CODES.map((code) => {
        const r = ROLES[code];
        return {
          code, name: r.name, nameEn: r.nameEn, duty: r.duty, requiresTotp: r.requiresTotp,
          grants: Object.entries(r.grants).map(([permission, scope]) => ({ permission, scope: scope as ScopeKind })),
        };
      }),
    }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/permissions', access: 'system:role:read', tags: ['roles'], summary: '权限清单 / Permissions',
    responses: {
      200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), group: z.string(), kind: z.string() })) }),
    },
    handler: async () => ({
      items: PERMISSION_CODES.map((code) => {
        const p = PERMISSIONS[code];
        return { code, name: p.name, nameEn: p.nameEn, group: p.group, kind: p.kind };
      }),
    }),
  }),
];
