// 第十条 确保各部门建设内容不重叠, I-13, I-59: a framework plan's contents are checked against the
// systems already in the master catalog (第十二条), not only against each other. Each content's
// ranked catalog hits are shown with the shared terms; an unhandled one blocks 联合报送 (422,
// listed with the others, nothing written) until the content is changed or a reason is written;
// editing the content drops the reason; 涉密 systems are never listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemActor } from '../../src/usecases/actor.ts';
import { createUser } from '../../src/usecases/users.ts';
import { bearer, DEMO_PASSWORD, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const sessions = new Map<string, Session>();
const MOHRSS_IC = '人力资源和社会保障部信息中心';
const SAMR_IC = '国家市场监督管理总局信息中心';

beforeAll(async () => {
  demo = await openDemoApp();
  await createUser(demo.services, systemActor(), { username: 'samrprep2', displayName: '郑凯', password: DEMO_PASSWORD, organizationIds: [demo.org.get(SAMR_IC)!], roleCodes: ['preparer'] });
  for (const u of ['preparer', 'samrprep2']) sessions.set(u, await signIn(demo.app, demo.services, u));
});
afterAll(async () => demo.close());

type CatalogOverlap = {
  content: { contentId: string; organizationName: string; title: string }; system: { systemId: string; name: string; organizationName: string };
  similarity: number; terms: Array<{ term: string }>; justification: null | { reason: string };
};
type Framework = {
  id: string; version: number; catalogOverlaps: CatalogOverlap[]; overlaps: unknown[];
  participants: Array<{ organizationName: string; version: number; confirmation: unknown; contents: Array<{ id: string; title: string; version: number }> }>;
  submissionProblems: Array<{ code: string; params: Record<string, string> }>;
};
const send = (user: string, method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: unknown, version?: number) =>
  demo.app.inject({ method, url, headers: { ...bearer(sessions.get(user)!), ...(version === undefined ? {} : { 'if-match': `"${version}"` }) }, ...(payload === undefined ? {} : { payload: payload as object }) });
const url = (id: string, rest = '') => `/api/v1/frameworks/${id}${rest}`;

/** A plan whose lead content restates the demo catalog's 电子社保卡服务系统 and whose other content is unrelated to any system. */
async function plan(): Promise<Framework> {
  const created = await send('preparer', 'POST', '/api/v1/frameworks', {
    name: `电子社保卡协同框架方案 ${Math.random().toString(36).slice(2, 8)}`, leadOrganizationId: demo.org.get(MOHRSS_IC), participantIds: [demo.org.get(SAMR_IC)], goals: '电子社保卡跨部门应用。',
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as Framework).id;
  expect((await send('preparer', 'POST', url(id, `/participants/${demo.org.get(MOHRSS_IC)}/contents`), {
    title: '电子社保卡服务平台', description: '建设电子社保卡签发、亮码和线上身份认证服务。',
  })).statusCode).toBe(201);
  expect((await send('samrprep2', 'POST', url(id, `/participants/${demo.org.get(SAMR_IC)}/contents`), {
    title: '食品生产许可现场核查', description: '组织食品生产企业许可现场核查和结果登记。',
  })).statusCode).toBe(201);
  expect((await send('preparer', 'POST', url(id, '/business-flows'), { name: '凭卡办事', steps: [{ organizationId: demo.org.get(MOHRSS_IC), activity: '签发' }] })).statusCode).toBe(201);
  expect((await send('preparer', 'POST', url(id, '/data-flows'), {
    from: { organizationId: demo.org.get(SAMR_IC), system: null }, to: { organizationId: demo.org.get(MOHRSS_IC), system: null }, dataItems: ['统一社会信用代码'], frequency: 'daily', interfaceMethod: 'api',
  })).statusCode).toBe(201);
  const last = await send('preparer', 'POST', url(id, '/catalog'), { name: '持卡人员信息', providerOrganizationId: demo.org.get(MOHRSS_IC), dataItems: ['社会保障号码'], sharingType: 'unconditional' });
  expect(last.statusCode, last.body).toBe(201);
  return last.json();
}

async function confirmAll(f: Framework): Promise<Framework> {
  for (const [user, name] of [['preparer', MOHRSS_IC], ['samrprep2', SAMR_IC]] as const) {
    const p = f.participants.find((x) => x.organizationName === name)!;
    const res = await send(user, 'POST', url(f.id, `/participants/${demo.org.get(name)}/confirmation`), undefined, p.version);
    expect(res.statusCode, res.body).toBe(200);
    f = res.json();
  }
  return f;
}

const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(demo.t.database.db)).rows[0]!.n);

describe('框架方案与总目录已有系统的疑似重叠 (第十条, I-13)', () => {
  it('I-13: a content restating a catalog system is listed with the system, its owner and the shared terms; an unrelated content is not', async () => {
    const f = await plan();
    const card = f.catalogOverlaps.filter((o) => o.content.title === '电子社保卡服务平台');
    expect(card.map((o) => o.system.name)).toContain('电子社保卡服务系统');
    const hit = card.find((o) => o.system.name === '电子社保卡服务系统')!;
    expect(hit.system.organizationName).toBe(MOHRSS_IC);
    expect(hit.similarity).toBeGreaterThanOrEqual(0.33);
    expect(hit.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['社会保障卡', '签发']));
    expect(hit.justification).toBeNull();
    // Ranked, best first, within each content.
    expect(card.map((o) => o.similarity)).toEqual([...card.map((o) => o.similarity)].sort((a, b) => b - a));
    expect(f.catalogOverlaps.some((o) => o.content.title === '食品生产许可现场核查')).toBe(false);
    expect(f.submissionProblems.filter((p) => p.code === 'framework.catalog_overlap_unresolved').map((p) => p.params.systemName)).toEqual(card.map((o) => o.system.name));
  });

  it('I-13: submission is refused (422) while a catalog overlap is unhandled, nothing written; a written reason handles it, an edit of the content drops it', async () => {
    let f = await confirmAll(await plan());
    const before = { actions: await count('framework_actions'), justifications: await count('framework_catalog_overlap_justifications') };
    const refused = await send('preparer', 'POST', url(f.id, '/actions/submit'), {});
    expect(refused.statusCode).toBe(422);
    const codes = (refused.json() as { problems: Array<{ code: string; message: string }> }).problems;
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((p) => p.code === 'framework.catalog_overlap_unresolved')).toBe(true);
    expect(codes[0]!.message).toContain('电子社保卡服务平台');
    expect(await count('framework_actions')).toBe(before.actions);

    // Not a hit of this content: 400, nothing written.
    const other = f.participants.flatMap((p) => p.contents).find((c) => c.title === '食品生产许可现场核查')!;
    const wrong = await send('samrprep2', 'PUT', url(f.id, `/catalog-overlaps/${other.id}/${f.catalogOverlaps[0]!.system.systemId}`), { reason: '无关' });
    expect(wrong.statusCode).toBe(400);
    // Another department's people may not justify the lead's content.
    const hit = f.catalogOverlaps[0]!;
    expect((await send('samrprep2', 'PUT', url(f.id, `/catalog-overlaps/${hit.content.contentId}/${hit.system.systemId}`), { reason: '越权' })).statusCode).toBe(403);
    expect(await count('framework_catalog_overlap_justifications')).toBe(before.justifications);

    for (const o of f.catalogOverlaps) {
      const res = await send('preparer', 'PUT', url(f.id, `/catalog-overlaps/${o.content.contentId}/${o.system.systemId}`), { reason: '本平台在电子社保卡服务系统上扩展跨部门应用，不另建签发系统。' });
      expect(res.statusCode, res.body).toBe(200);
      f = res.json();
    }
    expect(f.catalogOverlaps.every((o) => o.justification?.reason.includes('不另建'))).toBe(true);
    // The reason is part of the lead's part: its confirmation was cleared; confirm again and submit.
    expect(f.submissionProblems.map((p) => p.code)).toEqual(['framework.participant_unconfirmed']);
    const audit = await sql<{ action: string }>`select action from audit_events where object_id = ${f.id} and action like 'framework.catalog_overlap.%'`.execute(demo.t.database.db);
    expect(audit.rows.length).toBe(f.catalogOverlaps.length);

    // Editing the content drops its reasons (they were about the old text).
    const content = f.participants.flatMap((p) => p.contents).find((c) => c.title === '电子社保卡服务平台')!;
    const edited = await send('preparer', 'PUT', url(f.id, `/contents/${content.id}`), { title: '电子社保卡服务平台', description: '建设电子社保卡签发、亮码、线上身份认证和授权服务。' }, content.version);
    expect(edited.statusCode, edited.body).toBe(200);
    f = edited.json();
    expect(f.catalogOverlaps.length).toBeGreaterThan(0);
    expect(f.catalogOverlaps.every((o) => o.justification === null)).toBe(true);
    expect(await count('framework_catalog_overlap_justifications')).toBe(before.justifications);
  });

  it('I-59: a 涉密 system is never listed, however similar', async () => {
    const marked = await sql`update government_systems set involves_secrets = true, network_type = 'intranet', protection_scheme = 'classified', mlps_level = null,
      mlps_filing_number = null, version = version + 1, updated_at = now() where name = '电子社保卡服务系统'`.execute(demo.t.database.db);
    expect(Number(marked.numAffectedRows)).toBeGreaterThan(0);
    const f = await plan();
    expect(f.catalogOverlaps.map((o) => o.system.name)).not.toContain('电子社保卡服务系统');
  });
});
