// 用户管理 (SPEC §1, §10).
import { z } from 'zod';
import { ROLE_CODES, ROLES } from '../../domain/authz.ts';
import {
  createUser, iterateUsers, listUsers, lockUser, resetPassword, resetTotp, unlockUser, updateUser,
} from '../../usecases/users.ts';
import { ifMatchVersion, setEtag } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { idParams, listOf, pagination, text, uuid } from './schemas.ts';

const user = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), phoneMasked: z.string().nullable(),
  organizations: z.array(z.object({ id: z.string(), name: z.string() })), roles: z.array(z.string()),
  status: z.enum(['active', 'locked', 'disabled']), lockedUntil: z.string().nullable(), totpEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(), version: z.number().int(), createdAt: z.string(),
});
const totp = { totpSecret: z.string().optional(), totpUri: z.string().optional() };
const username = z.string().regex(/^[a-z][a-z0-9_.-]{2,31}$/).describe('3–32 lower-case letters, digits, _ . -');
const phone = z.string().regex(/^1\d{10}$/).describe('11-digit mobile number (stored SM4-encrypted)');
const roleCode = z.enum(ROLE_CODES as [string, ...string[]]).transform((r) => r as (typeof ROLE_CODES)[number]);
const filter = z.strictObject({ q: z.string().trim().max(64).optional(), organizationId: uuid.optional() });

const STATUS_NAMES = { active: '正常', locked: '已锁定（登录失败）', disabled: '已停用' } as const;

export const userRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/users', access: 'system:user:read', tags: ['users'], summary: '用户列表 / Users',
    query: filter.extend(pagination),
    responses: { 200: listOf(user) },
    handler: async ({ services, actor, query }) => listUsers(services, actor, query, query.page, query.pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/users/export', access: 'system:user:export', tags: ['users'], summary: '导出用户 / Export users (.xlsx)',
    query: filter,
    handler: async ({ services, actor, query, reply }) =>
      sendXlsx(reply, '用户列表.xlsx', '用户', [
        { header: '用户名', value: (u) => u.username },
        { header: '姓名', value: (u) => u.displayName },
        { header: '手机号（脱敏）', value: (u) => u.phoneMasked },
        { header: '所属机构', width: 40, value: (u) => u.organizations.map((o) => o.name).join('、') },
        { header: '角色', width: 40, value: (u) => u.roles.map((r) => ROLES[r].name).join('、') },
        { header: '状态', value: (u) => STATUS_NAMES[u.status] },
        { header: '动态口令', value: (u) => (u.totpEnabled ? '已启用' : '未启用') },
        { header: '最后登录时间', width: 24, value: (u) => u.lastLoginAt },
        { header: '创建时间', width: 24, value: (u) => u.createdAt },
      ], iterateUsers(services, actor, query)),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/users', access: 'system:user:create', tags: ['users'], summary: '新增用户 / Create a user',
    body: z.strictObject({
      username, displayName: text(100), password: z.string().max(256), phone: phone.optional(),
      organizationIds: z.array(uuid).max(50).default([]), roleCodes: z.array(roleCode).max(20).default([]),
    }),
    responses: { 201: z.object({ user, ...totp }) },
    handler: async ({ services, actor, body, reply }) => {
      const created = await createUser(services, actor, body);
      setEtag(reply, created.user.version);
      reply.code(201);
      return created;
    },
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/users/:id', access: ['system:user:update', 'system:user:grant'], tags: ['users'],
    summary: '修改用户 / Edit a user (If-Match; roles need system:user:grant, the rest system:user:update)',
    params: idParams,
    body: z.strictObject({
      displayName: text(100).optional(), phone: phone.nullable().optional(),
      organizationIds: z.array(uuid).max(50).optional(), roleCodes: z.array(roleCode).max(20).optional(),
    }),
    responses: { 200: user.extend(totp) },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const updated = await updateUser(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/users/:id/password', access: 'system:user:reset-password', tags: ['users'],
    summary: '重置密码 / Reset a password', params: idParams, body: z.strictObject({ password: z.string().max(256) }),
    handler: async ({ services, actor, params, body }) => { await resetPassword(services, actor, params.id, body.password); },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/users/:id/lock', access: 'system:user:lock', tags: ['users'], summary: '锁定用户 / Lock a user',
    params: idParams, responses: { 200: user },
    handler: async ({ services, actor, params }) => lockUser(services, actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/users/:id/unlock', access: 'system:user:lock', tags: ['users'], summary: '解锁用户 / Unlock a user',
    params: idParams, responses: { 200: user },
    handler: async ({ services, actor, params }) => unlockUser(services, actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/users/:id/totp', access: 'system:user:reset-password', tags: ['users'],
    summary: '重置动态口令 / Issue a new TOTP secret', params: idParams,
    responses: { 200: z.object({ totpSecret: z.string(), totpUri: z.string() }) },
    handler: async ({ services, actor, params }) => resetTotp(services, actor, params.id),
  }),
];
