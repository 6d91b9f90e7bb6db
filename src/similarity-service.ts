// The shared similarity service (`govproj similarity serve`; issue 7, memory per app process).
// One process holds the duplicate-detection index of every project and catalog system (第十二条,
// 第二十八条) and jieba; app processes started with GOVPROJ_SIMILARITY_URL search it over this
// small internal API (src/usecases/similarity-remote.ts) instead of each building its own.
//
// The index is the same SimilarityCatalog an app process builds in the default mode, with the
// same sync-before-search and reconcile (src/usecases/similarity.ts): the service catches up
// with the database before each search, so a search still sees every committed write, whichever
// app process committed it. It answers ids, kinds, revisions, scores and shared terms only;
// names, owners and what a caller may see are the app's, read from the database per request.
//
//   POST /v1/search      { query, options, sync } → { hits }   (sync: false inside a caller's transaction)
//   POST /v1/similarity  { query, text } → { similarity, overlap } (a hit whose row changed, re-scored)
//   POST /v1/sync        {} → { documents }                     (before a transaction that searches)
//   GET  /healthz        → { status, ready }                     (unauthenticated; no data)
//
// Until its index is first built (≈1 min at 300,000 systems on a loaded 2-core machine) the
// service answers 503 at once: an app request is told to retry rather than held past its timeout.
//
// Every /v1 request must be signed (HMAC-SM3 under a key derived from GOVPROJ_MASTER_KEY;
// similarity-remote.ts); anything else is refused with 401 problem+json. Listens on
// GOVPROJ_SIMILARITY_HOST:GOVPROJ_SIMILARITY_PORT, loopback by default.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from './config.ts';
import { AppError, errorMessage, pickLocale, type ErrorCode } from './errors.ts';
import type { Services } from './services.ts';
import { catalogIndexOf, SimilarityCatalog } from './usecases/similarity.ts';
import { POOL_MIN_DOCUMENTS } from './usecases/similarity-pool.ts';
import { SIGNATURE_HEADER, serviceKey, verifyRequest } from './usecases/similarity-remote.ts';

const textFields = z.strictObject({ name: z.string().max(10_000), description: z.string().max(100_000).optional() });
const searchBody = z.strictObject({
  query: textFields,
  options: z.strictObject({
    limit: z.number().int().min(1).max(10_000).optional(),
    kinds: z.array(z.enum(['project', 'system'])).optional(),
    minSimilarity: z.number().min(0).max(1).optional(),
    excludeId: z.string().max(200).optional(),
  }),
  sync: z.boolean(),
});
const similarityBody = z.strictObject({ query: textFields, text: textFields });

function sendProblem(request: FastifyRequest, reply: FastifyReply, code: ErrorCode) {
  const locale = pickLocale(request.headers['accept-language']);
  const status = new AppError(code).status;
  const title = errorMessage(code, locale);
  if (status === 503) reply.header('retry-after', '5');
  return reply.code(status).type('application/problem+json; charset=utf-8')
    .send(JSON.stringify({ type: `https://govproj.example/problems/${code}`, title, status, detail: title, code, instance: request.url, requestId: request.id }));
}

export interface RunningSimilarityService {
  app: FastifyInstance;
  catalog: SimilarityCatalog;
  url: string;
  /** Resolves once the index is first built (tests, the bench). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the service on `services`' database (its own catalog, not the one similarityCatalogFor
 * would give an app process on the same Services) and begins building the index. `port` 0 (tests):
 * any free port. The database is not closed by `stop`: it is the caller's.
 */
export async function startSimilarityService(
  services: Services, options: { host?: string; port?: number; logger?: boolean } = {},
): Promise<RunningSimilarityService> {
  const config: Config = services.config;
  const db = services.database.db;
  const catalog = new SimilarityCatalog({
    workers: config.similarityWorkers ?? 0, poolMinDocuments: config.similarityPoolMinDocuments ?? POOL_MIN_DOCUMENTS,
  });
  const key = serviceKey(config.masterKey);
  const app = Fastify({ logger: options.logger ? { level: config.logLevel } : false, bodyLimit: 1024 * 1024 });
  // The signature covers the body as sent, so the body is kept as text beside the parsed value.
  const rawBodies = new WeakMap<FastifyRequest, string>();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    rawBodies.set(request, text);
    try {
      done(null, text === '' ? {} : JSON.parse(text));
    } catch {
      done(Object.assign(new Error('invalid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addHook('preValidation', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const path = request.url.split('?')[0]!;
    const header = request.headers[SIGNATURE_HEADER];
    if (!verifyRequest(key, typeof header === 'string' ? header : undefined, request.method, path, rawBodies.get(request) ?? '')) {
      return sendProblem(request, reply, 'similarity.unauthorized');
    }
  });
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    if (error instanceof z.ZodError || (error.statusCode !== undefined && error.statusCode < 500)) return sendProblem(request, reply, 'validation.failed');
    request.log.error({ err: error }, 'similarity service error');
    // The database (or the index build) failed: the app reports the check as unavailable.
    return sendProblem(request, reply, 'similarity.unavailable');
  });

  let ready = false;
  let building: Promise<void> | null = null;
  let readyWaiters: Array<() => void> = [];
  const build = () => {
    building ??= catalog.sync(db).then(() => {
      ready = true;
      app.log.info({ documents: catalog.index.size }, 'similarity index built');
      for (const wake of readyWaiters) wake();
      readyWaiters = [];
    }, (err: unknown) => {
      building = null;
      app.log.warn({ err }, 'similarity index build failed; the next request tries again');
    });
  };
  app.get('/healthz', async () => ({ status: 'ok', ready }));
  app.addHook('preHandler', async (request, reply) => {
    if (ready || !request.url.startsWith('/v1/')) return;
    build();
    return sendProblem(request, reply, 'similarity.unavailable');
  });
  // The same searches an app process makes of its own catalog (similarity.ts, catalogIndexOf).
  const index = catalogIndexOf(catalog, db);
  app.post('/v1/sync', async () => {
    await index.sync();
    return { documents: catalog.index.size };
  });
  app.post('/v1/search', async (request) => {
    const { query, options: opts, sync } = searchBody.parse(request.body);
    return { hits: await index.search(query, opts, sync) };
  });
  app.post('/v1/similarity', async (request) => {
    const { query, text } = similarityBody.parse(request.body);
    return index.similarity(query, text);
  });

  await app.listen({ host: options.host ?? config.similarityService?.host ?? '127.0.0.1', port: options.port ?? config.similarityService?.port ?? 3100 });
  // The index is built now, not in the first search.
  build();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = typeof address === 'object' && address ? address.address : '127.0.0.1';
  return {
    app, catalog, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    ready: () => ready ? Promise.resolve() : new Promise<void>((wake) => readyWaiters.push(wake)),
    async stop() {
      await app.close();
      await catalog.close();
    },
  };
}
