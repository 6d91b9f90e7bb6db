// The shared similarity service (issue 7, memory per app process; src/similarity-service.ts) on
// both databases: an app process pointed at it (GOVPROJ_SIMILARITY_URL) answers 第二十八条's
// duplicate checks and 第十条's catalog overlaps exactly as a process with its own index does —
// the same hits, similarities and shared terms — before and after a system row changes, and
// when a changed hit is re-scored inside a transaction; a request not signed with the
// installation's key is refused (401); and with the service down the check fails cleanly (503,
// Retry-After) while the submit dry run and the action list still answer, saying the check did not run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { startSimilarityService, type RunningSimilarityService } from '../../src/similarity-service.ts';
import { checkSimilarity, similarityCatalogFor, similarSystems, syncSimilarity } from '../../src/usecases/similarity.ts';
import { serviceKey, signRequest, SIGNATURE_HEADER } from '../../src/usecases/similarity-remote.ts';
import { getSystem, updateSystem } from '../../src/usecases/system-catalog.ts';
import type { Actor } from '../../src/usecases/actor.ts';
import { testServices } from '../support/db.ts';
import { bearer, demoActor, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let service: RunningSimilarityService;
let remote: ReturnType<typeof testServices>;
let remoteApp: FastifyInstance;
let session: Session;
let localActor: Actor;
let remoteActor: Actor;
const MOHRSS_IC = '人力资源和社会保障部信息中心';

beforeAll(async () => {
  demo = await openDemoApp();
  service = await startSimilarityService(testServices(demo.t.database), { host: '127.0.0.1', port: 0 });
  await service.ready();
  remote = testServices(demo.t.database, { similarityService: { url: service.url, host: '127.0.0.1', port: 0 } });
  remote.clock.now = new Date(demo.services.clock.now);
  remoteApp = await buildApp(remote);
  session = await signIn(demo.app, demo.services, 'preparer');
  localActor = await demoActor(demo.services, 'preparer');
  remoteActor = await demoActor(remote, 'preparer');
});
afterAll(async () => {
  await remoteApp?.close();
  await service?.stop();
  await demo?.close();
});

async function newSystem(fields: { name: string; purpose: string }) {
  const res = await demo.app.inject({
    method: 'POST', url: '/api/v1/systems', headers: bearer(session), payload: {
      name: fields.name, ownerOrganizationId: demo.org.get(MOHRSS_IC), purpose: fields.purpose, businessArea: '测试',
      networkType: 'extranet', involvesSecrets: false, security: { scheme: 'mlps', mlpsLevel: 2, filingNumber: null },
      userCount: 100, status: 'under_construction', projects: [], resources: [],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; version: number };
}

const queries = [
  { name: '社会保险公共服务平台', description: '社保查询和待遇资格认证' },
  { name: '技工院校学籍管理平台', description: '技工院校学籍注册和毕业管理' },
  { name: '劳动人事争议仲裁办案系统' },
];

describe('the shared similarity service (GOVPROJ_SIMILARITY_URL)', () => {
  it('answers duplicate checks and catalog overlaps exactly as a process\'s own index, after a row changes too', async () => {
    const renamed = await newSystem({ name: '机关后勤车辆调度系统', purpose: '公务用车申请和派车' });
    await newSystem({ name: '技工院校学籍管理系统', purpose: '技工院校学生学籍注册、变动和毕业管理' });
    const same = async () => {
      for (const q of queries) {
        const local = await checkSimilarity(demo.services, localActor, q);
        expect(await checkSimilarity(remote, remoteActor, q)).toEqual(local);
        expect(await similarSystems(remote, remote.database.db, q)).toEqual(await similarSystems(demo.services, demo.services.database.db, q));
      }
    };
    await same();
    const hits = (await checkSimilarity(remote, remoteActor, queries[1]!)).items;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.overlap.length).toBeGreaterThan(0);

    // A system row changes: both indexes sync before the search and see it.
    const system = await getSystem(demo.services, localActor, renamed.id);
    await updateSystem(demo.services, localActor, renamed.id, system.version, {
      ...system, name: '社会保险待遇资格认证系统', purpose: '社保待遇资格认证和社保查询', projects: [], resources: [],
    });
    await same();
    expect((await checkSimilarity(remote, remoteActor, queries[0]!)).items.map((i) => i.id)).toContain(renamed.id);

    // Changed again, and searched inside a transaction (no sync there): the hit's revision is
    // stale in both indexes, so both re-score it against its current text, by the index's IDF.
    await syncSimilarity(remote);
    await syncSimilarity(demo.services);
    const current = await getSystem(demo.services, localActor, renamed.id);
    await updateSystem(demo.services, localActor, renamed.id, current.version, {
      ...current, purpose: '社保待遇资格认证', projects: [], resources: [],
    });
    await demo.t.database.db.transaction().execute(async (trx) => {
      const local = await similarSystems(demo.services, trx, queries[0]!);
      expect(local.find((h) => h.systemId === renamed.id)).toBeDefined();
      expect(await similarSystems(remote, trx, queries[0]!)).toEqual(local);
    });
  });

  it('GOVPROJ_SIMILARITY_URL needs DATABASE_URL (the service cannot share an embedded database)', () => {
    const env = { GOVPROJ_MASTER_KEY: remote.config.masterKey.toString('hex'), GOVPROJ_SIMILARITY_URL: 'http://10.0.0.20:3100/' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/GOVPROJ_SIMILARITY_URL: requires DATABASE_URL/);
    expect(loadConfig({ ...env, DATABASE_URL: 'postgres://db/govproj' }).similarityService)
      .toEqual({ url: 'http://10.0.0.20:3100/', host: '127.0.0.1', port: 3100 });
    expect(loadConfig({ GOVPROJ_MASTER_KEY: env.GOVPROJ_MASTER_KEY, GOVPROJ_DATA_DIR: '/tmp/govproj-test-unused' }).similarityService?.url).toBeNull();
  });

  it('the app pointed at the service builds no index of its own', async () => {
    await checkSimilarity(remote, remoteActor, queries[0]!);
    // similarityCatalogFor creates the process's catalog empty; only a local search would fill it.
    expect(similarityCatalogFor(remote).index.size).toBe(0);
    expect(service.catalog.index.size).toBeGreaterThan(0);
  });

  it('refuses a request not signed with the installation\'s key (401 problem+json)', async () => {
    const body = JSON.stringify({ query: { name: '社会保险' }, options: {}, sync: false });
    const post = (headers: Record<string, string>) =>
      fetch(new URL('v1/search', service.url), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('content-type')).toContain('application/problem+json');
    expect(await unsigned.json()).toMatchObject({ status: 401, code: 'similarity.unauthorized' });
    const otherKey = serviceKey(Buffer.alloc(32, 7));
    expect((await post({ [SIGNATURE_HEADER]: signRequest(otherKey, 'POST', '/v1/search', body) })).status).toBe(401);
    const key = serviceKey(remote.config.masterKey);
    expect((await post({ [SIGNATURE_HEADER]: signRequest(key, 'POST', '/v1/search', body, Date.now() - 5 * 60_000) })).status).toBe(401);
    expect((await post({ [SIGNATURE_HEADER]: signRequest(key, 'POST', '/v1/search', `${body} `) })).status).toBe(401);
    const signed = await post({ [SIGNATURE_HEADER]: signRequest(key, 'POST', '/v1/search', body) });
    expect(signed.status).toBe(200);
    // Ids, kinds, revisions, scores and terms: never a name.
    for (const hit of ((await signed.json()) as { hits: Array<Record<string, unknown>> }).hits) {
      expect(Object.keys(hit).sort()).toEqual(['id', 'kind', 'overlap', 'revision', 'score', 'similarity']);
    }
  });

  it('with the service down, the check fails with 503 and Retry-After; the dry run and the action list still answer', async () => {
    const project = (await demo.services.database.db.selectFrom('projects').innerJoin('organizations as o', 'o.id', 'projects.construction_unit_id')
      .select('projects.id').where('o.name', '=', MOHRSS_IC).where('projects.status', '=', 'draft').executeTakeFirstOrThrow()).id;
    await service.stop();
    const res = await remoteApp.inject({
      method: 'POST', url: '/api/v1/similarity/check', headers: { ...bearer(session), 'accept-language': 'en-US' }, payload: queries[0]!,
    });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'similarity.unavailable', status: 503 });
    const zh = await remoteApp.inject({ method: 'POST', url: '/api/v1/similarity/check', headers: { ...bearer(session), 'accept-language': 'zh-CN' }, payload: queries[0]! });
    expect((zh.json() as { title: string }).title).toContain('重复建设比对服务暂时不可用');

    const dry = await remoteApp.inject({ method: 'POST', url: `/api/v1/projects/${project}/actions/submit?dryRun=true`, headers: bearer(session), payload: {} });
    expect(dry.statusCode, dry.body).toBe(200);
    expect((dry.json() as { warnings: Array<{ code: string }> }).warnings).toEqual([expect.objectContaining({ code: 'similarity.unavailable', article: '第二十八条' })]);
    const actions = await remoteApp.inject({ method: 'GET', url: `/api/v1/projects/${project}/actions`, headers: bearer(session) });
    expect(actions.statusCode, actions.body).toBe(200);
    expect((actions.json() as { warnings: Array<{ code: string }> }).warnings.map((w) => w.code)).toEqual(['similarity.unavailable']);
  });
});
