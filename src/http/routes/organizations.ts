// 组织机构 (SPEC §1).
import { z } from 'zod';
import { ORG_KINDS } from '../../domain/organization.ts';
import { createOrganization, listOrganizations, updateOrganization } from '../../usecases/organizations.ts';
import { ifMatchVersion, setEtag } from '../concurrency.ts';
import { defineRoute } from '../route.ts';
import { idParams, text, uuid } from './schemas.ts';

const organization = z.object({
  id: z.string(), parentId: z.string().nullable(), name: z.string(), nameEn: z.string(), kind: z.enum(ORG_KINDS),
  creditCode: z.string(), divisionCode: z.string().nullable(), version: z.number().int(), createdAt: z.string(),
});
const creditCode = z.string().trim().toUpperCase().length(18).describe('统一社会信用代码 (GB 32100-2015)');
const divisionCode = z.string().regex(/^\d{6}$/).describe('行政区划代码 (GB/T 2260)');

export const organizationRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/organizations', access: 'system:org:read', tags: ['organizations'], summary: '机构列表 / Organizations',
    responses: { 200: z.object({ items: z.array(organization) }) },
    handler: async ({ services, actor }) => ({ items: await listOrganizations(services, actor) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/organizations', access: 'system:org:create', tags: ['organizations'], summary: '新增机构 / Create an organization',
    body: z.strictObject({
      parentId: uuid.nullable(), name: text(200), nameEn: z.string().trim().max(200).optional(), kind: z.enum(ORG_KINDS),
      creditCode, divisionCode: divisionCode.nullable().optional(),
    }),
    responses: { 201: organization },
    handler: async ({ services, actor, body, reply }) => {
      const org = await createOrganization(services, actor, body);
      setEtag(reply, org.version);
      reply.code(201);
      return org;
    },
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/organizations/:id', access: 'system:org:update', tags: ['organizations'],
    summary: '修改机构 / Edit an organization (If-Match: version)',
    params: idParams,
    body: z.strictObject({
      parentId: uuid.nullable().optional(), name: text(200).optional(), nameEn: z.string().trim().max(200).optional(),
      kind: z.enum(ORG_KINDS).optional(), creditCode: creditCode.optional(), divisionCode: divisionCode.nullable().optional(),
    }),
    responses: { 200: organization },
    handler: async ({ services, actor, params, body, request, reply }) => {
      const org = await updateOrganization(services, actor, params.id, ifMatchVersion(request), body);
      setEtag(reply, org.version);
      return org;
    },
  }),
];
