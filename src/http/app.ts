// The HTTP server: Fastify with zod validation, OpenAPI, problem+json errors, sessions,
// CSRF, security headers, and the web front end served from the same origin.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { resolveAccess } from '../domain/authz.ts';
import { AppError, errorMessage, FIELD_MESSAGES, fieldMessage, pickLocale, type ErrorCode, type RuleProblem } from '../errors.ts';
import type { Services } from '../services.ts';
import { csrfTokenMatches, recordDenied, resolveSession, type ClientInfo } from '../usecases/auth.ts';
import type { Actor } from '../usecases/actor.ts';
import type { RouteDefinition } from './route.ts';
import { VERSION } from '../version.ts';
import { ALL_ROUTES } from './routes/index.ts';

export const SESSION_COOKIE = 'govproj_sid';
const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

declare module 'fastify' {
  interface FastifyRequest {
    actor: (Actor & { sessionKind: 'cookie' | 'bearer' }) | null;
  }
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export function clientInfo(request: FastifyRequest): ClientInfo {
  return {
    requestId: request.id, clientAddress: request.ip, userAgent: String(request.headers['user-agent'] ?? ''),
    // The UI marks its timed polls, so an unattended screen still times out (SPEC §10).
    background: request.headers['x-govproj-background'] === '1',
  };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: Array<{ path: string; code: string; message: string }>;
  /** Rules that stand in the way (422), each with its article. */
  problems?: Array<{ code: string; article: string | null; message: string; params: Readonly<Record<string, string>> }>;
}

export function sendProblem(
  request: FastifyRequest, reply: FastifyReply, code: ErrorCode,
  options: { params?: Record<string, string | number>; fields?: ReadonlyArray<{ path: string; code: string }>; problems?: readonly RuleProblem[] } = {},
) {
  const locale = pickLocale(request.headers['accept-language']);
  const status = new AppError(code).status;
  const title = errorMessage(code, locale, options.params);
  const problem: Problem = {
    type: `https://govproj.example/problems/${code}`,
    title,
    status,
    detail: options.fields?.length
      ? title + (locale === 'zh-CN' ? '：' : ': ') +
        options.fields.map((f) => `${f.path} ${fieldMessage(f.code, locale)}`).join(locale === 'zh-CN' ? '；' : '; ')
      : title,
    code,
    instance: request.url,
    requestId: request.id,
  };
  if (options.fields?.length) problem.errors = options.fields.map((f) => ({ path: f.path, code: f.code, message: fieldMessage(f.code, locale) }));
  if (options.problems?.length) {
    problem.problems = options.problems.map((p) => ({
      code: p.code, article: p.article, message: locale === 'zh-CN' ? p.message.zh : p.message.en, params: p.params ?? {},
    }));
  }
  if (status === 503) reply.header('retry-after', '5');
  return reply.code(status).type('application/problem+json; charset=utf-8').serializer(JSON.stringify).send(problem);
}

function zodIssueCode(keyword: string): string {
  switch (keyword) {
    case 'unrecognized_keys': return 'unrecognized_key';
    case 'invalid_type': return 'invalid_type';
    case 'too_small': return 'too_small';
    case 'too_big': return 'too_big';
    case 'invalid_format':
    case 'invalid_string': return 'invalid_format';
    case 'invalid_value':
    case 'invalid_enum_value': return 'invalid_value';
    default: return 'invalid';
  }
}

function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08001', '08003'].includes(code) ||
    /Connection terminated|connection error|not queryable/i.test(String((err as Error)?.message ?? ''));
}

export async function buildApp(services: Services, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: services.config.logLevel } : false,
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);

  await app.register(fastifyCookie);
  // Material uploads (SPEC §10): streamed, one file per request, a few short text fields. The
  // parser only runs when a route asks for the parts, after the route's access check.
  await app.register(fastifyMultipart, {
    limits: { fileSize: services.config.uploadLimitBytes, files: 1, fields: 10, fieldSize: 1024, fieldNameSize: 100, parts: 12, headerPairs: 100 },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => Object.assign(new Error('rate limited'), { statusCode: context.statusCode, code: 'rate_limited' }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '政务信息化项目管理平台 API', description: 'govproj REST API (国办发〔2019〕57号)', version: VERSION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onSend', async (request, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) {
      if (k === 'content-security-policy' && request.url.startsWith('/api/docs')) continue;
      reply.header(k, v);
    }
    // The open-data API sets its own (public, ETag-validated); everything else is never cached.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // Who is calling: a Bearer token (scripts) or the session cookie (the web UI).
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const auth = request.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    const token = bearer ?? request.cookies[SESSION_COOKIE] ?? null;
    if (!token) return;
    const actor = await resolveSession(services, token, clientInfo(request));
    if (!actor) {
      if (!bearer) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    // CSRF protection depends on how the token arrived: only a cookie is sent by the browser
    // on its own, a Bearer header never is.
    request.actor = { ...actor, sessionKind: bearer ? 'bearer' : 'cookie' };
  });

  // PostgreSQL text cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate (as the audit
  // diff carries the input, any text field would do), so such a string in the query, a path
  // parameter or a JSON body would fail in the database (a 500, or an export broken off
  // mid-stream). It is refused here for every route, after the access check and before
  // validation, naming the field (found by the schema-driven fuzzer, test/support/fuzz.ts). I-65:
  // refused, never stripped or replaced, so what is stored, signed and audited is what was sent.
  app.addHook('preValidation', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const path = unstorablePath(request.query, 'querystring.') ?? unstorablePath(request.params, 'params.') ?? unstorablePath(request.body, '');
    if (path !== null) return sendProblem(request, reply, 'validation.failed', { fields: [{ path, code: 'input.invalid_character' }] });
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.code === 'auth.forbidden' || error.code === 'resource.not_found') {
        await recordDenied(services, request.actor, `${request.method} ${request.routeOptions.url ?? request.url}`,
          { objectType: null, objectId: (request.params as Record<string, string> | undefined)?.id ?? null }, clientInfo(request)).catch(() => {});
      }
      return sendProblem(request, reply, error.code, { params: error.params, fields: error.fields, problems: error.problems });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body';
      const fields = error.validation.flatMap((v) => {
        const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        const keys = (v.params as { keys?: string[] }).keys;
        const prefix = context === 'body' ? '' : `${context}.`;
        const paths = keys?.length ? keys.map((k) => (base ? `${base}.${k}` : k)) : [base];
        // A missing field is reported by zod as a wrong type with input undefined.
        // A schema may name a field code as its message (e.g. 'project.amount_places').
        const code = v.message && Object.hasOwn(FIELD_MESSAGES, v.message) ? v.message
          : v.keyword === 'invalid_type' && /received undefined/.test(v.message ?? '') ? 'required' : zodIssueCode(v.keyword);
        return paths.map((path) => ({ path: path ? prefix + path : context, code }));
      });
      return sendProblem(request, reply, 'validation.failed', { fields });
    }
    const code = (error as { code?: string }).code;
    if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
      return sendProblem(request, reply, 'validation.invalid_json');
    }
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(request, reply, 'validation.body_too_large');
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
      return sendProblem(request, reply, 'validation.unsupported_media_type');
    }
    if (code === 'rate_limited' || error.statusCode === 429) return sendProblem(request, reply, 'rate_limited');
    // A deadlock or serialization failure: the transaction was rolled back, nothing was written.
    if (code === '40P01' || code === '40001') return sendProblem(request, reply, 'conflict.concurrent');
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendProblem(request, reply, 'service_unavailable');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(request, reply, 'validation.failed', { fields: [{ path: 'request', code: 'invalid' }] });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, 'internal');
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && existsSync(WEB_DIST + 'index.html')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html', WEB_DIST);
    }
    return sendProblem(request, reply, 'resource.not_found');
  });

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'] });
  }

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  for (const route of ALL_ROUTES) registerRoute(app, services, route);
  return app;
}

/** A string PostgreSQL can store as text and in jsonb: no U+0000, no lone surrogate. */
const storable = (s: string) => !s.includes('\u0000') && s.isWellFormed();

/** The path of the first string in a parsed input (keys included) that PostgreSQL cannot store, or null. */
function unstorablePath(value: unknown, prefix: string, depth = 0): string | null {
  if (typeof value === 'string') return storable(value) ? null : prefix.replace(/\.$/, '') || 'body';
  if (!value || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${prefix.replace(/\.$/, '')}[${k}].` : `${prefix}${k}.`;
    if (!storable(k)) return here.replace(/\.$/, '');
    const found = unstorablePath(v, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

type Limiter = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
const openDataLimiters = new WeakMap<FastifyInstance, Limiter>();

/**
 * One request budget per client address across the whole open-data API (a route-level limit
 * would give each route a budget of its own), stricter than anything else (SPEC §11).
 */
function openDataLimiter(app: FastifyInstance, services: Services): Limiter {
  const existing = openDataLimiters.get(app);
  if (existing) return existing;
  const limiter: Limiter = app.rateLimit({ max: services.config.openDataRateLimit, timeWindow: 60_000, keyGenerator: (request) => `open-data:${request.ip}` });
  openDataLimiters.set(app, limiter);
  return limiter;
}

function registerRoute(app: FastifyInstance, services: Services, def: RouteDefinition) {
  const unsafe = def.method !== 'GET';
  app.route({
    method: def.method,
    url: def.url,
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(def.params ? { params: def.params } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.body ? { body: def.body } : {}),
      ...(def.responses ? { response: def.responses } : {}),
      ...(def.access === 'public' ? {} : { security: [{ bearer: [] }, { cookie: [] }] }),
      'x-permission': def.access,
    } as never,
    config: def.rateLimited ? { rateLimit: { max: services.config.loginRateLimit, timeWindow: 60_000 } } : {},
    // Access is checked before the body is parsed, so a caller without the permission learns
    // nothing from validation errors.
    onRequest: async (request, reply) => {
      if (def.openDataRateLimited) await openDataLimiter(app, services)(request, reply);
      if (def.access === 'public') return;
      const actor = request.actor;
      if (!actor) return sendProblem(request, reply, 'auth.unauthenticated');
      if (unsafe && actor.sessionKind === 'cookie' && !def.csrfExempt &&
          !csrfTokenMatches(services, actor.sessionId ?? '', request.headers['x-csrf-token'] as string | undefined)) {
        await recordDenied(services, actor, `csrf ${def.method} ${def.url}`, { objectType: null, objectId: null }, clientInfo(request));
        return sendProblem(request, reply, 'auth.csrf');
      }
      const needed = def.access === 'authenticated' ? [] : typeof def.access === 'string' ? [def.access] : def.access;
      if (needed.length > 0 && !needed.some((p) => resolveAccess(actor, p).allowed)) {
        await recordDenied(services, actor, needed.join('|'), { objectType: null, objectId: null }, clientInfo(request));
        return sendProblem(request, reply, 'auth.forbidden');
      }
    },
    handler: async (request, reply) => {
      const result = await def.handler({
        services,
        actor: request.actor as Actor,
        params: request.params,
        query: request.query,
        body: request.body,
        request,
        reply,
      } as never);
      if (reply.sent) return reply;
      if (result === undefined) return reply.code(204).send();
      return result;
    },
  });
}
