// The open-data API (SPEC §11 公开, §9 双随机、一公开): /api/open/v1/…, no sign-in, JSON or CSV (UTF-8
// with a BOM, so Excel opens it as Chinese), paged by keyset cursor (a `next` link and a Link
// rel="next" header; `page` still works but is deprecated), cacheable (ETag from the data version +
// If-None-Match → 304 after one index lookup; Cache-Control: public), and rate-limited per client
// more strictly than anything else.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sm3Hex } from '../../crypto/sm3.ts';
import {
  drawPackage, getOpenSpotCheck, listOpenProjects, listOpenResources, listOpenSpotChecks, listOpenSystems, redrawOpenSpotCheck,
  type Page,
} from '../../usecases/open-data.ts';
import { cachedBody, openDataVersion, storeBody } from '../../usecases/open-data-cache.ts';
import type { Services } from '../../services.ts';
import { defineRoute } from '../route.ts';
import { idParams, uuid } from './schemas.ts';

const TAGS = ['open-data'];
/** Public responses may be cached briefly by browsers and proxies; ETag makes re-validation cheap. */
const CACHE_CONTROL = 'public, max-age=60, must-revalidate';

const paging = {
  cursor: z.string().max(2000).optional().describe('keyset cursor: follow the `next` link (or the Link rel="next" header) of the previous page'),
  page: z.coerce.number().int().min(1).max(100_000).optional()
    .meta({ deprecated: true, description: 'deprecated: page number (offset paging, slower the deeper the page); follow `next` (cursor) instead. Not combined with cursor' }),
  pageSize: z.coerce.number().int().min(1).max(200).default(50).describe('at most 200 (CSV: the same pages)'),
  format: z.enum(['json', 'csv']).default('json'),
};
const q = z.string().trim().max(100).optional();

const etagMatches = (request: FastifyRequest, etag: string) => {
  const inm = request.headers['if-none-match'];
  return typeof inm === 'string' && inm.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*');
};

interface Built { body: string; headers: Record<string, string> }

/**
 * A public GET answered from the data version (src/usecases/open-data-cache.ts): the ETag is the
 * version, the URL and the language, known after one index lookup, so If-None-Match that
 * names it answers 304 without building anything, and a page already built at this version is sent
 * from memory. Errors (a bad cursor, an unknown or withheld spot check) are never stored.
 */
async function sendVersioned(services: Services, request: FastifyRequest, reply: FastifyReply, build: (version: string) => Promise<Built>) {
  const version = await openDataVersion(services);
  const etag = `"${sm3Hex(`open-data/v1\n${version}\n${request.url}\n${request.headers['accept-language'] ?? ''}`).slice(0, 40)}"`;
  reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('vary', 'Accept-Language');
  if (etagMatches(request, etag)) return reply.code(304).send();
  const now = Date.now();
  let hit = cachedBody(services, etag, now);
  if (!hit) {
    const built = await build(version);
    hit = { ...built, at: now };
    storeBody(services, etag, hit);
  }
  for (const [k, v] of Object.entries(hit.headers)) reply.header(k, v);
  return reply.send(hit.body);
}

/** The URL of the page after this one: the same query with the cursor in place of page. */
function nextLink(request: FastifyRequest, cursor: string | null): string | null {
  if (cursor === null) return null;
  const url = new URL(request.url, 'http://x');
  url.searchParams.delete('page');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}?${url.searchParams}`;
}

/** RFC 4180 with a UTF-8 BOM; a cell that starts like a formula is quoted with a leading ' (CSV injection). */
export function toCsv(headers: string[], rows: Array<Array<string | number | boolean | null>>): string {
  const cell = (v: string | number | boolean | null) => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

function sendList<T>(services: Services, request: FastifyRequest, reply: FastifyReply, format: 'json' | 'csv', list: (version: string) => Promise<Page<T>>,
  name: string, headers: string[], row: (item: T) => Array<string | number | boolean | null>) {
  return sendVersioned(services, request, reply, async (version) => {
    const page = await list(version);
    const next = nextLink(request, page.nextCursor);
    const h: Record<string, string> = {};
    if (next) h.link = `<${next}>; rel="next"`;
    if (format === 'csv') {
      h['x-total-count'] = String(page.total);
      if (page.totalApproximate) h['x-total-approximate'] = 'true';
      h['content-type'] = 'text/csv; charset=utf-8';
      h['content-disposition'] = `attachment; filename="${name}-${page.page ?? 'next'}.csv"`;
      return { body: toCsv(headers, page.items.map(row)), headers: h };
    }
    h['content-type'] = 'application/json; charset=utf-8';
    const body = { items: page.items, total: page.total, totalApproximate: page.totalApproximate, page: page.page, pageSize: page.pageSize, next };
    return { body: JSON.stringify(body), headers: h };
  });
}

const drawTarget = z.strictObject({
  ref: z.string().max(20), kind: z.enum(['project', 'system']), id: z.string().max(64), code: z.string().max(64), name: z.string().max(200),
  organizationId: z.string().max(64), organizationName: z.string().max(200), organizationPath: z.array(z.string().max(64)).max(100),
});
const drawInspector = z.strictObject({
  ref: z.string().max(20), organizationId: z.string().max(64), organizationName: z.string().max(200), organizationPath: z.array(z.string().max(64)).max(100),
});

export const openDataRoutes = [
  defineRoute({
    method: 'GET', url: '/api/open/v1/projects', access: 'public', openDataRateLimited: true, tags: TAGS,
    summary: '公开：政务信息化项目（非涉密）/ Open data: projects',
    query: z.strictObject({ ...paging, q, stage: z.string().max(40).optional() }),
    handler: async ({ services, query, request, reply }) => sendList(services, request, reply, query.format, (version) => listOpenProjects(services, { ...query, version }), 'projects',
      ['项目代码', '项目名称', '建设单位', '审批部门', '类别', '建设性质', '阶段', '状态', '跨部门', '建设起始', '建设截止', '总投资（万元）', '运维经费（万元）', '资金渠道', '更新日期'],
      (p) => [p.code, p.name, p.constructionUnit, p.approvalDepartment, p.track, p.kind, p.stage, p.status, p.crossDepartment, p.constructionStart, p.constructionEnd,
        p.totalInvestment, p.oAndMFunds, p.fundingChannel, p.updatedOn]),
  }),
  defineRoute({
    method: 'GET', url: '/api/open/v1/systems', access: 'public', openDataRateLimited: true, tags: TAGS,
    summary: '公开：政务信息系统目录（非涉密）/ Open data: the system catalog',
    query: z.strictObject({ ...paging, q }),
    handler: async ({ services, query, request, reply }) => sendList(services, request, reply, query.format, (version) => listOpenSystems(services, { ...query, version }), 'systems',
      ['系统名称', '所属单位', '建设目的和主要功能', '业务领域', '状态', '相关项目'],
      (s) => [s.name, s.ownerOrganization, s.purpose, s.businessArea, s.status, s.projects.map((p) => p.code).join(' ')]),
  }),
  defineRoute({
    method: 'GET', url: '/api/open/v1/resources', access: 'public', openDataRateLimited: true, tags: TAGS,
    summary: '公开：信息资源目录（无条件或有条件开放）/ Open data: information resources open to the public',
    query: z.strictObject({ ...paging, q, openType: z.enum(['unconditional', 'conditional']).optional() }),
    handler: async ({ services, query, request, reply }) => sendList(services, request, reply, query.format, (version) => listOpenResources(services, { ...query, version }), 'resources',
      ['资源代码', '资源名称', '分类', '基础信息资源', '提供方', '格式', '更新周期', '共享类型', '开放类型', '开放条件', '信息项', '项目代码'],
      (r) => [r.code, r.name, r.classificationKind, r.baseCategory, r.provider, r.format, r.updateCycle, r.sharingType, r.openType, r.openBasis,
        r.dataItems.map((d) => `${d.name}:${d.type}`).join(';'), r.projectCode]),
  }),
  defineRoute({
    method: 'GET', url: '/api/open/v1/spot-checks', access: 'public', openDataRateLimited: true, tags: TAGS,
    summary: '公开：双随机抽查 / Open data: spot checks',
    query: z.strictObject(paging),
    handler: async ({ services, query, request, reply }) => sendList(services, request, reply, query.format, (version) => listOpenSpotChecks(services, { ...query, version }), 'spot-checks',
      ['标题', '组织单位', '状态', '抽取数量', '每对象检查人员', '随机种子', '输入摘要', '结果摘要', '抽取时间', '结果公开时间'],
      (s) => [s.title, s.organizationName, s.status, s.rules.targetCount, s.rules.inspectorsPerTarget, s.seed, s.digests.input, s.resultDigest, s.drawnAt, s.concludedAt]),
  }),
  defineRoute({
    method: 'GET', url: '/api/open/v1/spot-checks/:id', access: 'public', openDataRateLimited: true, tags: TAGS,
    summary: '公开：一次双随机抽查（对象库、检查人员库、种子、结果、检查结果）/ Open data: one spot check',
    params: idParams,
    handler: async ({ services, params, request, reply }) => sendVersioned(services, request, reply, async (version) => ({
      body: JSON.stringify(await getOpenSpotCheck(services, params.id, version)), headers: { 'content-type': 'application/json; charset=utf-8' },
    })),
  }),
  defineRoute({
    method: 'GET', url: '/api/open/v1/spot-checks/:id/package', access: 'public', openDataRateLimited: true, tags: TAGS,
    summary: '公开：抽取数据包（供 govproj spot-check redraw 复核）/ Open data: the draw package to re-draw offline',
    params: idParams,
    handler: async ({ services, params, request, reply }) => sendVersioned(services, request, reply, async (version) => ({
      body: `${JSON.stringify(drawPackage(await getOpenSpotCheck(services, params.id, version)), null, 2)}\n`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="spot-check-${params.id}.json"` },
    })),
  }),
  defineRoute({
    method: 'POST', url: '/api/open/v1/spot-checks/:id/redraw', access: 'public', csrfExempt: true, openDataRateLimited: true, tags: TAGS,
    summary: '公开：按种子和对象库复核抽取结果（可改动种子或对象库以比对）/ Open data: re-draw and compare',
    params: z.strictObject({ id: uuid }),
    body: z.strictObject({
      seed: z.string().max(200).optional().describe('another seed (64 hex digits) to see that it changes the draw'),
      targets: z.array(drawTarget).max(5000).optional().describe('a changed target pool'),
      inspectors: z.array(drawInspector).max(5000).optional().describe('a changed inspector pool'),
    }),
    handler: async ({ services, params, body }) => redrawOpenSpotCheck(services, params.id, body),
  }),
];
