// 第十四条–第十七条 and 第二十八条(一): security and resources records per system and per project, and
// the supervisory findings, through the HTTP stack on both databases: every kind, every field
// problem at once, scope (404 unreadable, 403 not recordable), the project's construction lock,
// hazards and findings resolved, the eligibility summary kept in step, an audit event per write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addMonths } from '../../src/domain/deadlines.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { bearer, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let t: DemoApp['t'];
let services: DemoApp['services'];
let app: DemoApp['app'];
const sessions = new Map<string, Session>();
let today: string;

beforeAll(async () => {
  demo = await openDemoApp();
  ({ t, services, app } = demo);
  today = shanghaiDate(services.now());
  for (const u of ['preparer', 'unitlead', 'ndrc', 'mof', 'gooffice', 'cac', 'auditor']) sessions.set(u, await signIn(app, services, u));
});
afterAll(async () => demo.close());

const as = (username: string) => bearer(sessions.get(username)!);
const get = (username: string, url: string) => app.inject({ method: 'GET', url, headers: as(username) });
const post = (username: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: as(username), payload: payload as object });
const systemId = async (name: string) =>
  (await t.database.db.selectFrom('government_systems').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const status = async (id: string) => t.database.db.selectFrom('system_security_status').selectAll().where('system_id', '=', id).executeTakeFirst();
const auditOf = async (objectId: string) => (await sql<{ action: string; role: string | null }>`
  select action, role from audit_events where object_id = ${objectId} and outcome = 'success' order by id`.execute(t.database.db)).rows;
async function rowCounts() {
  const n = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);
  return [await n('security_records'), await n('sharing_findings'), Number((await sql<{ n: string }>`select count(*) as n from audit_events where outcome = 'success'`.execute(t.database.db)).rows[0]!.n)];
}

describe('第十四条–第十七条: records on a system', () => {
  it('第十四条: a 等级测评 is recorded, audited, and moves the system\'s summary', async () => {
    const id = await systemId('电子社保卡服务系统');
    const res = await post('preparer', '/api/v1/security-records', {
      kind: 'securityTest', systemId: id, occurredOn: addMonths(today, -1), passed: false, reference: 'CP-2026-001',
      details: { agency: '公安部第三研究所', findings: '高风险问题 2 项' },
    });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ kind: 'securityTest', systemId: id, systemName: '电子社保卡服务系统', passed: false, recordedByName: '刘洋' });
    expect(await auditOf(r.id)).toEqual([{ action: 'security.record', role: 'preparer' }]);
    expect(await status(id)).toMatchObject({ last_test_on: addMonths(today, -1), last_test_passed: false });
    // A later passing test is the latest.
    await post('preparer', '/api/v1/security-records', {
      kind: 'securityTest', systemId: id, occurredOn: today, passed: true, details: { agency: '公安部第三研究所' },
    });
    expect(await status(id)).toMatchObject({ last_test_on: today, last_test_passed: true });
    const list = (await get('preparer', `/api/v1/systems/${id}/security-records`)).json().items;
    expect(list.map((x: { occurredOn: string }) => x.occurredOn)).toEqual([today, addMonths(today, -1)]);
  });

  it('第十四条–第十七条: every kind is accepted with its own fields', async () => {
    const id = await systemId('电子社保卡服务系统');
    const bodies = [
      { kind: 'filing', reference: '11000013001-21010', details: { scheme: 'mlps', level: 3 } },
      { kind: 'riskAssessment', passed: true, details: { agency: '中国信息安全测评中心', findings: '中风险 3 项' } },
      { kind: 'cryptoPlan', details: { reviewed: true } },
      { kind: 'cryptoAssessment', passed: true, details: { agency: '商用密码检测中心', score: '85.5' } },
      { kind: 'product', reference: 'CCRC-2026-1', details: { product: '数据库管理系统', vendor: '某国产数据库企业', category: 'software' } },
      { kind: 'energy', details: { dataCentre: '人社部北京数据中心', pue: '1.28' } },
      { kind: 'cloud', details: { provider: '国家政务云', vcpu: 256, storageTb: '40.5' } },
    ];
    for (const b of bodies) {
      const res = await post('preparer', '/api/v1/security-records', { systemId: id, occurredOn: today, ...b });
      expect({ kind: b.kind, status: res.statusCode }).toEqual({ kind: b.kind, status: 201 });
    }
    expect(await status(id)).toMatchObject({ last_crypto_on: today, last_crypto_passed: true });
  });

  it('第十四条: every problem at once (400), nothing written', async () => {
    const before = await rowCounts();
    const res = await post('preparer', '/api/v1/security-records', {
      kind: 'filing', occurredOn: addMonths(today, 1), passed: true, reference: '12345', details: { scheme: 'mlps', level: 1, pue: '1.2' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`);
    expect(fields).toEqual(expect.arrayContaining([
      'systemId:required', 'occurredOn:security.future_date', 'passed:not_applicable', 'details.pue:not_applicable',
      'details.level:security.mlps_level', 'reference:security.filing_number_format',
    ]));
    const noSystem = await post('preparer', '/api/v1/security-records', {
      kind: 'securityTest', projectId: (await t.database.db.selectFrom('projects').select('id').limit(1).executeTakeFirstOrThrow()).id,
      occurredOn: today, details: { agency: 'x' },
    });
    expect(noSystem.statusCode).toBe(400);
    expect(noSystem.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).toEqual(
      expect.arrayContaining(['systemId:security.system_required', 'passed:required']));
    const pue = await post('preparer', '/api/v1/security-records', {
      kind: 'energy', systemId: await systemId('电子社保卡服务系统'), occurredOn: today, details: { dataCentre: 'x', pue: '0.9' },
    });
    expect(pue.json().errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).toEqual(['details.pue:invalid_value']);
    expect(await rowCounts()).toEqual(before);
  });

  it('第十四条: another department\'s system is 404; a role without security:record is 403', async () => {
    const other = await systemId('国土空间基础信息平台');
    const body = { kind: 'securityTest', systemId: other, occurredOn: today, passed: true, details: { agency: 'x' } };
    expect((await post('preparer', '/api/v1/security-records', body)).statusCode).toBe(404);
    expect((await get('preparer', `/api/v1/systems/${other}/security-records`)).statusCode).toBe(404);
    expect((await post('mof', '/api/v1/security-records', body)).statusCode).toBe(403);
    expect((await post('auditor', '/api/v1/security-records', body)).statusCode).toBe(403);
    // Supervisory bodies read every system's records.
    expect((await get('mof', `/api/v1/systems/${other}/security-records`)).statusCode).toBe(200);
  });
});

describe('第二十八条(三): major hazards', () => {
  it('第二十八条(三): a hazard found counts until it is resolved, once, not before it was found', async () => {
    const id = await systemId('电子社保卡服务系统');
    const found = (await post('unitlead', '/api/v1/security-records', {
      kind: 'hazard', systemId: id, occurredOn: addMonths(today, -1), details: { findings: '数据库未加密存储个人信息' },
    })).json();
    expect((await status(id))!.open_hazards).toBe(1);
    const early = await post('unitlead', `/api/v1/security-records/${found.id}/resolve`, { resolvedOn: addMonths(today, -2), resolution: '已整改' });
    expect(early.statusCode).toBe(400);
    const ok = await post('unitlead', `/api/v1/security-records/${found.id}/resolve`, { resolvedOn: today, resolution: '已启用 SM4 字段加密' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ resolvedOn: today, resolution: '已启用 SM4 字段加密' });
    expect((await status(id))!.open_hazards).toBe(0);
    expect((await post('unitlead', `/api/v1/security-records/${found.id}/resolve`, { resolvedOn: today, resolution: '再次' })).statusCode).toBe(409);
    expect((await auditOf(found.id)).map((a) => a.action)).toEqual(['security.record', 'security.hazard_resolve']);
    const test = (await get('preparer', `/api/v1/systems/${id}/security-records`)).json().items.find((x: { kind: string }) => x.kind === 'securityTest');
    expect((await post('preparer', `/api/v1/security-records/${test.id}/resolve`, { resolvedOn: today, resolution: 'x' })).statusCode).toBe(409);
  });
});

describe('第十四条–第十七条: records under a project (I-50)', () => {
  it('第十六条, 第十七条: a project records products and cloud use; a named system must be one it built; its construction row is locked', async () => {
    const db = t.database.db;
    const link = await db.selectFrom('government_system_projects as l').innerJoin('projects as p', 'p.id', 'l.project_id')
      .innerJoin('government_systems as s', 's.id', 'l.system_id')
      .select(['l.project_id', 'l.system_id']).where('s.name', '=', '人社数据中心运行监控系统').executeTakeFirstOrThrow();
    const res = await post('preparer', '/api/v1/security-records', {
      kind: 'cloud', projectId: link.project_id, occurredOn: today, details: { provider: '国家政务云', vcpu: 64 },
    });
    expect(res.statusCode).toBe(201);
    expect(await db.selectFrom('project_construction').select('project_id').where('project_id', '=', link.project_id).executeTakeFirst()).toBeDefined();
    // Only a hazard is resolved; a project's record names no system (found by the fuzzer: was a 500).
    const notHazard = await post('preparer', `/api/v1/security-records/${res.json().id}/resolve`, { resolvedOn: today, resolution: '已处理' });
    expect(notHazard.statusCode).toBe(409);
    expect(notHazard.json().code).toBe('security.not_a_hazard');
    const test = await post('preparer', '/api/v1/security-records', {
      kind: 'securityTest', projectId: link.project_id, systemId: link.system_id, occurredOn: today, passed: true, details: { agency: '测评机构' },
    });
    expect(test.statusCode).toBe(201);
    const wrong = await post('preparer', '/api/v1/security-records', {
      kind: 'securityTest', projectId: link.project_id, systemId: await systemId('社会保险公共服务平台'), occurredOn: today, passed: true, details: { agency: 'x' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].code).toBe('security.system_not_of_project');
    const items = (await get('preparer', `/api/v1/projects/${link.project_id}/security-records`)).json().items;
    expect(items.map((x: { kind: string }) => x.kind)).toEqual(expect.arrayContaining(['cloud', 'securityTest']));
    // Records continue after completion, and while suspended (afterCompletion: I-50).
    await db.updateTable('project_construction').set({ completed_on: today }).where('project_id', '=', link.project_id).execute();
    expect((await post('preparer', '/api/v1/security-records', {
      kind: 'energy', projectId: link.project_id, occurredOn: today, details: { dataCentre: '人社部北京数据中心', pue: '1.30' },
    })).statusCode).toBe(201);
    expect((await post('preparer', '/api/v1/security-records', {
      kind: 'cloud', projectId: '00000000-0000-4000-8000-000000000000', occurredOn: today, details: { provider: 'x' },
    })).statusCode).toBe(404);
  });
});

describe('第二十八条(一): sharing findings (I-20)', () => {
  it('第二十八条(一): 国务院办公厅 records a finding, which makes the system ineligible until resolved; others may not record it', async () => {
    const id = await systemId('江苏省公共数据平台');
    const body = { kind: 'duplicateCollection', reference: '国办电政函〔2026〕测试1号', description: '重复采集人口基础信息', foundOn: today };
    expect((await post('preparer', `/api/v1/systems/${id}/sharing-findings`, body)).statusCode).toBe(403);
    expect((await post('mof', `/api/v1/systems/${id}/sharing-findings`, body)).statusCode).toBe(403);
    expect((await post('gooffice', `/api/v1/systems/${id}/sharing-findings`, { ...body, foundOn: addMonths(today, 1) })).statusCode).toBe(400);
    const res = await post('gooffice', `/api/v1/systems/${id}/sharing-findings`, body);
    expect(res.statusCode).toBe(201);
    const f = res.json();
    expect(f).toMatchObject({ organizationName: '国务院办公厅', recordedByName: '徐明', resolvedOn: null });
    expect((await status(id))!.open_duplicate_collection).toBe(1);
    const e = (await get('mof', `/api/v1/systems/${id}/eligibility`)).json();
    expect(e.reasons.map((r: { code: string }) => r.code)).toEqual(['eligibility.duplicate_collection']);
    expect(e.reasons[0].message.zh).toContain('国办电政函〔2026〕测试1号');
    const resolved = await post('ndrc', `/api/v1/sharing-findings/${f.id}/resolve`, { resolvedOn: today, resolution: '已改为调用共享接口' });
    expect(resolved.statusCode).toBe(200);
    expect((await get('mof', `/api/v1/systems/${id}/eligibility`)).json().eligible).toBe(true);
    expect((await post('ndrc', `/api/v1/sharing-findings/${f.id}/resolve`, { resolvedOn: today, resolution: 'x' })).statusCode).toBe(409);
    expect((await auditOf(f.id)).map((a) => a.action)).toEqual(['sharing_finding.create', 'sharing_finding.resolve']);
    expect((await get('gooffice', `/api/v1/systems/${id}/sharing-findings`)).json().items).toHaveLength(1);
    expect((await post('gooffice', '/api/v1/sharing-findings/00000000-0000-4000-8000-000000000000/resolve', { resolvedOn: today, resolution: 'x' })).statusCode).toBe(404);
  });

  it('第十二条: a system with records or findings is evidence and cannot be removed (409)', async () => {
    const mine = await systemId('电子社保卡服务系统');
    const own = (await get('preparer', `/api/v1/systems/${mine}`)).json();
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/systems/${mine}`, headers: { ...as('preparer'), 'if-match': `"${own.version}"` } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('system.has_records');
  });
});
