// 第二十八条: O&M funding eligibility on both databases. Every reason path through the HTTP stack;
// the list's SQL and the pure rule (omEligibility) agree on a generated set of systems; the MoF
// list's filters, pagination and .xlsx export; 403 for a role without the list, 404 for a system
// outside the caller's scope; a 改建/扩建 project may not upgrade a system that may not be rebuilt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { addMonths } from '../../src/domain/deadlines.ts';
import { omEligibility } from '../../src/domain/eligibility.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { centralSecurityPeriods, fundingFacts, sqlReasonCodes } from '../../src/usecases/eligibility.ts';
import { refreshSystemStatus } from '../../src/usecases/security-records.ts';
import { bearer, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let t: DemoApp['t'];
let services: DemoApp['services'];
let app: DemoApp['app'];
let org: DemoApp['org'];
const sessions = new Map<string, Session>();
let today: string;

beforeAll(async () => {
  demo = await openDemoApp();
  ({ t, services, app, org } = demo);
  today = shanghaiDate(services.now());
  for (const u of ['preparer', 'unitlead', 'ndrc', 'mof', 'cac', 'gooffice', 'auditor', 'reviewer']) sessions.set(u, await signIn(app, services, u));
});
afterAll(async () => demo.close());

const as = (username: string) => bearer(sessions.get(username)!);
const get = (username: string, url: string) => app.inject({ method: 'GET', url, headers: as(username) });
const send = (username: string, method: 'POST' | 'PUT', url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { ...as(username), ...headers }, payload: payload as object });

const systemId = async (name: string) =>
  (await t.database.db.selectFrom('government_systems').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const codes = (e: { reasons: Array<{ code: string }> }) => e.reasons.map((r) => r.code);
const eligibilityOf = async (name: string) => (await get('mof', `/api/v1/systems/${await systemId(name)}/eligibility`)).json();

describe('第二十八条: every reason, from the demo records', () => {
  it('第二十八条: a system tested, 密评 passed and without findings is eligible', async () => {
    const e = await eligibilityOf('社会保险公共服务平台');
    expect(e.eligible).toBe(true);
    expect(e.reasons).toEqual([]);
    expect(e.mayRebuild).toBe(true);
    // 第三级: the next test 12 months after the last (3 months ago), the next 密评 12 after 2 months ago.
    expect(e.nextSecurityTestDue).toBe(addMonths(addMonths(today, -3), 12));
    expect(e.nextCryptoAssessmentDue).toBe(addMonths(addMonths(today, -2), 12));
  });
  it('第二十八条(三): a failed 密评 is a reason, and blocks rebuilding', async () => {
    const e = await eligibilityOf('全国社会保障卡持卡人员基础信息库');
    expect(codes(e)).toEqual(['eligibility.crypto_failed']);
    expect(e.reasons[0].clause).toBe('三');
    expect(e.mayRebuild).toBe(false);
  });
  it('第二十八条(三): an unresolved major hazard is a reason; a resolved one is not', async () => {
    const e = await eligibilityOf('人社数据中心运行监控系统');
    expect(codes(e)).toEqual(['eligibility.major_hazard']);
    expect(e.reasons[0].params.count).toBe('1');
  });
  it('第二十八条(一): a confirmed 未按要求共享 finding is a reason with its reference; a resolved finding is not', async () => {
    const e = await eligibilityOf('国土空间基础信息平台');
    expect(codes(e)).toEqual(['eligibility.not_sharing']);
    expect(e.reasons[0].message.zh).toContain('国办电政函〔2026〕演示12号');
    expect(e.mayRebuild).toBe(false);
    expect((await eligibilityOf('国家企业信用信息公示系统')).eligible).toBe(true);
  });
  it('第二十八条: 孤网 without an exception is a reason; with the State Council exception it is not', async () => {
    expect(codes(await eligibilityOf('计量检测数据采集分析系统'))).toEqual(['eligibility.isolated_without_exception']);
    expect((await eligibilityOf('卫星遥感影像原始数据处理系统')).eligible).toBe(true);
  });
  it('第十四条, 第二十八条(三): a 第三级 system last tested 14 months ago is overdue', async () => {
    const e = await eligibilityOf('江苏政务服务网');
    expect(codes(e)).toEqual(['eligibility.security_test_overdue']);
    expect(e.reasons[0].params.dueOn).toBe(addMonths(addMonths(today, -14), 12));
  });
  it('第十四条, 第十五条 (I-41, I-52): never tested and never assessed: due the day it went live, overdue from the next', async () => {
    const id = await systemId('四川省一体化政务服务平台');
    // A system in operation registered 40 days ago with no records.
    await t.database.db.deleteFrom('security_records').where('system_id', '=', id).execute();
    await t.database.db.transaction().execute((trx) => refreshSystemStatus(trx, id, services.now()));
    await sql`update government_systems set created_at = now() - interval '40 days' where id = ${id}::uuid`.execute(t.database.db);
    const e = (await get('mof', `/api/v1/systems/${id}/eligibility`)).json();
    expect(codes(e).sort()).toEqual(['eligibility.crypto_missing', 'eligibility.security_test_overdue']);
  });
  it('第二十八条(二) is not a reason for a system listed in the catalog (I-51)', async () => {
    const list = (await get('mof', '/api/v1/eligibility?clause=二')).json();
    expect(list.total).toBe(0);
  });
});

describe('第二十八条: the SQL of the list agrees with omEligibility', () => {
  it('第二十八条: on 120 generated systems the SQL gives exactly the pure rule\'s reasons', async () => {
    const db = t.database.db;
    const owner = org.get('人力资源和社会保障部信息中心')!;
    const ndrc = org.get('国家发展和改革委员会')!;
    const user = (await db.selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow()).id;
    const date = fc.integer({ min: -40, max: 0 }).map((m) => addMonths(today, m));
    // Boundaries: the due day itself and the day after, for each period in force.
    const edge = fc.constantFrom(-6, -12, -24).chain((m) => fc.constantFrom(0, -1, 1).map((d) => {
      const base = addMonths(today, m);
      const t0 = new Date(`${base}T00:00:00Z`).getTime() + d * 86_400_000;
      return new Date(t0).toISOString().slice(0, 10);
    })).filter((d) => d <= today);
    const test = fc.option(fc.record({ on: fc.oneof(date, edge), passed: fc.boolean() }), { nil: null });
    const arb = fc.record({
      scheme: fc.constantFrom('mlps', 'classified'),
      level: fc.integer({ min: 1, max: 5 }),
      network: fc.constantFrom('extranet', 'internet', 'intranet', 'isolated'),
      granted: fc.boolean(),
      status: fc.constantFrom('operating', 'operating', 'under_construction'),
      registered: fc.oneof(date, edge),
      tests: fc.array(test, { maxLength: 2 }),
      cryptos: fc.array(test, { maxLength: 2 }),
      hazards: fc.array(fc.boolean(), { maxLength: 2 }),
      findings: fc.array(fc.record({ kind: fc.constantFrom('notSharing', 'duplicateCollection'), resolved: fc.boolean() }), { maxLength: 2 }),
    });
    const cases = fc.sample(arb, { numRuns: 120, seed: 20261127 });
    const ids: string[] = [];
    await db.transaction().execute(async (trx) => {
      for (const [i, c] of cases.entries()) {
        const classified = c.scheme === 'classified';
        const network = classified && (c.network === 'extranet' || c.network === 'internet') ? 'intranet' : c.network;
        const s = await trx.insertInto('government_systems').values({
          owner_organization_id: owner, name: `生成系统 ${i}`, purpose: '测试', business_area: '测试', network_type: network as 'intranet',
          involves_secrets: classified, protection_scheme: c.scheme as 'mlps', mlps_level: classified ? null : c.level,
          mlps_filing_number: !classified && c.level >= 2 ? '11000013001-29999' : null, user_count: 1, status: c.status as 'operating',
          created_at: `${c.registered}T04:00:00Z`,
        }).returning('id').executeTakeFirstOrThrow();
        ids.push(s.id);
        if (network === 'isolated' && c.granted) {
          await trx.insertInto('isolation_exceptions').values({
            system_id: s.id, decision: 'grant', reason: '测试', approval_document_number: '国函〔2025〕测试', approved_on: '2025-01-01',
            actor_id: user, role: 'ndrc', payload: '{}', signature: '00', public_key: '00', created_at: new Date(),
          }).execute();
        }
        const rec = (kind: 'securityTest' | 'cryptoAssessment' | 'hazard', on: string, passed: boolean | null, resolved = false) =>
          trx.insertInto('security_records').values({
            kind, system_id: s.id, occurred_on: on, passed, details: '{}', recorded_by: user, role: 'preparer', created_at: new Date(),
            resolved_on: resolved ? on : null, resolution: resolved ? '已整改' : null,
          }).execute();
        for (const x of c.tests) if (x) await rec('securityTest', x.on, x.passed);
        for (const x of c.cryptos) if (x) await rec('cryptoAssessment', x.on, x.passed);
        for (const resolved of c.hazards) await rec('hazard', addMonths(today, -1), null, resolved);
        for (const [j, f] of c.findings.entries()) {
          await trx.insertInto('sharing_findings').values({
            system_id: s.id, kind: f.kind as 'notSharing', reference: `测试〔2026〕${i}-${j}号`, description: '测试', found_on: addMonths(today, -2),
            organization_id: ndrc, recorded_by: user, role: 'ndrc', created_at: new Date(),
            resolved_on: f.resolved ? today : null, resolution: f.resolved ? '已整改' : null, resolved_by: f.resolved ? user : null,
          }).execute();
        }
        await refreshSystemStatus(trx, s.id, new Date());
      }
    });
    try {
    const periods = await centralSecurityPeriods(db);
    const fromSql = await sqlReasonCodes(db, ids, today, periods);
    const facts = await fundingFacts(db, ids);
    let ineligible = 0;
    for (const id of ids) {
      // The pure rule gives one reason per finding, in the order found; the SQL one code per kind.
      const pure = [...new Set(omEligibility(facts.get(id)!, today, periods).reasons.map((r) => r.code))].sort();
      expect({ id, codes: [...fromSql.get(id)!].sort() }).toEqual({ id, codes: pure });
      if (pure.length > 0) ineligible++;
    }
    // The sample covers both outcomes and every clause.
    expect(ineligible).toBeGreaterThan(10);
    expect(ineligible).toBeLessThan(ids.length);
    const all = new Set([...fromSql.values()].flat());
    for (const code of ['eligibility.not_sharing', 'eligibility.duplicate_collection', 'eligibility.crypto_failed', 'eligibility.crypto_missing',
      'eligibility.crypto_overdue', 'eligibility.security_test_failed', 'eligibility.security_test_overdue', 'eligibility.major_hazard',
      'eligibility.isolated_without_exception']) expect(all).toContain(code);
    } finally {
    await sql`delete from system_security_status where system_id = any(${ids}::uuid[])`.execute(db);
    await sql`delete from sharing_findings where system_id = any(${ids}::uuid[])`.execute(db);
    await sql`delete from security_records where system_id = any(${ids}::uuid[])`.execute(db);
    await sql`delete from government_systems where id = any(${ids}::uuid[]) and not exists (select 1 from isolation_exceptions e where e.system_id = government_systems.id)`.execute(db);
    await sql`update government_systems set status = 'retired' where name like '生成系统 %'`.execute(db);
    }
  });
});

describe('第二十八条: the list for 财政部', () => {
  it('第二十八条: filters by eligibility, clause, network, region and department, with counts and pages', async () => {
    const all = (await get('mof', '/api/v1/eligibility?pageSize=200&status=operating')).json();
    expect(all.total).toBe(all.counts.eligible + all.counts.ineligible);
    const ineligible = (await get('mof', '/api/v1/eligibility?eligible=false&status=operating&pageSize=200')).json();
    expect(ineligible.total).toBe(all.counts.ineligible);
    expect(ineligible.items.every((e: { eligible: boolean }) => !e.eligible)).toBe(true);
    const names = ineligible.items.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['全国社会保障卡持卡人员基础信息库', '人社数据中心运行监控系统', '国土空间基础信息平台', '计量检测数据采集分析系统', '江苏政务服务网']));
    const isolated = (await get('mof', '/api/v1/eligibility?clause=孤网')).json();
    expect(isolated.items.map((e: { name: string }) => e.name)).toEqual(['计量检测数据采集分析系统']);
    const one = (await get('mof', '/api/v1/eligibility?clause=一')).json();
    expect(one.items.map((e: { name: string }) => e.name)).toEqual(['国土空间基础信息平台']);
    const jiangsu = (await get('mof', '/api/v1/eligibility?province=32')).json();
    expect(jiangsu.items.every((e: { province: { code: string } }) => e.province.code === '32')).toBe(true);
    expect(jiangsu.total).toBeGreaterThan(0);
    const mohrss = (await get('mof', `/api/v1/eligibility?organizationId=${org.get('人力资源和社会保障部')}&eligible=true`)).json();
    expect(mohrss.items.map((e: { name: string }) => e.name)).toContain('社会保险公共服务平台');
    expect(mohrss.items.every((e: { ownerOrganizationName: string }) => e.ownerOrganizationName.startsWith('人力资源和社会保障部'))).toBe(true);
    const internet = (await get('mof', '/api/v1/eligibility?networkType=internet')).json();
    expect(internet.items.every((e: { networkType: string }) => e.networkType === 'internet')).toBe(true);
    const page1 = (await get('mof', '/api/v1/eligibility?pageSize=3&page=1')).json();
    const page2 = (await get('mof', '/api/v1/eligibility?pageSize=3&page=2')).json();
    expect(page1.items).toHaveLength(3);
    expect(page2.items[0].systemId).not.toBe(page1.items[2].systemId);
    expect(page1.total).toBe(page2.total);
  });
  it('第二十八条: NDRC, CAC, 国务院办公厅 and auditors read it too; a preparer or a reviewer is refused (403)', async () => {
    for (const u of ['ndrc', 'cac', 'gooffice', 'auditor']) expect((await get(u, '/api/v1/eligibility')).statusCode).toBe(200);
    for (const u of ['preparer', 'reviewer']) expect((await get(u, '/api/v1/eligibility')).statusCode).toBe(403);
    expect((await get('preparer', '/api/v1/eligibility/export')).statusCode).toBe(403);
  });
  it('第二十八条: a department sees its own system\'s eligibility; another department\'s is 404', async () => {
    expect((await get('preparer', `/api/v1/systems/${await systemId('社会保险公共服务平台')}/eligibility`)).statusCode).toBe(200);
    expect((await get('preparer', `/api/v1/systems/${await systemId('国土空间基础信息平台')}/eligibility`)).statusCode).toBe(404);
  });
  it('第二十八条: the export lists the filtered systems with every reason (.xlsx, streamed)', async () => {
    const list = (await get('mof', '/api/v1/eligibility?eligible=false&pageSize=200')).json();
    const res = await get('mof', '/api/v1/eligibility/export?eligible=false');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(10).value).toBe('原因（第二十八条）');
    expect(sheet.rowCount - 1).toBe(list.total);
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    const card = rows.find((r) => r[1] === '全国社会保障卡持卡人员基础信息库')!;
    expect(card[8]).toBe('不符合');
    expect(String(card[10])).toContain('密码应用安全性评估未通过');
    expect(card[12]).toBe('不得改建、扩建');
  });
});

describe('第二十八条: 改建/扩建 of a system that may not be rebuilt is refused', () => {
  it('第二十八条 (I-21): linking a 改建 project as upgrading a system with a failed 密评 answers 422 with every reason, and writes nothing', async () => {
    const db = t.database.db;
    const id = await systemId('全国社会保障卡持卡人员基础信息库');
    const rebuild = await db.selectFrom('projects').select(['id', 'name']).where('kind', 'in', ['rebuild', 'expansion'])
      .where('construction_unit_id', '=', org.get('人力资源和社会保障部信息中心')!).executeTakeFirst();
    let projectId = rebuild?.id;
    if (!projectId) {
      const p = await db.selectFrom('projects').select('id').where('construction_unit_id', '=', org.get('人力资源和社会保障部信息中心')!).executeTakeFirstOrThrow();
      await db.updateTable('projects').set({ kind: 'rebuild' }).where('id', '=', p.id).execute();
      projectId = p.id;
    }
    const current = (await get('preparer', `/api/v1/systems/${id}`)).json();
    const { id: _id, ownerOrganizationName: _o, divisionCode: _d, province: _p, isolatedWithoutException: _i, isolationException: _x, version, createdBy: _c, createdAt: _ca, updatedAt: _u, ...rest } = current;
    const body = {
      ...rest,
      projects: [...current.projects.map((p: { projectId: string; relation: string }) => ({ projectId: p.projectId, relation: p.relation })), { projectId, relation: 'upgrade' }],
      resources: current.resources.map((r: { resourceId: string; relation: string }) => ({ resourceId: r.resourceId, relation: r.relation })),
    };
    const refused = await send('preparer', 'PUT', `/api/v1/systems/${id}`, body, { 'if-match': `"${version}"` });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('eligibility.rebuild_blocked');
    expect(refused.json().problems.map((p: { code: string }) => p.code)).toEqual(['eligibility.crypto_failed']);
    expect((await get('preparer', `/api/v1/systems/${id}`)).json().version).toBe(version);
    // The same link to a system that may be rebuilt goes through.
    const ok = await systemId('社会保险公共服务平台');
    const okCurrent = (await get('preparer', `/api/v1/systems/${ok}`)).json();
    const okBody = {
      ...body, name: okCurrent.name, purpose: okCurrent.purpose, businessArea: okCurrent.businessArea, networkType: okCurrent.networkType,
      security: okCurrent.security, userCount: okCurrent.userCount, status: okCurrent.status,
      projects: [...okCurrent.projects.filter((p: { projectId: string }) => p.projectId !== projectId)
        .map((p: { projectId: string; relation: string }) => ({ projectId: p.projectId, relation: p.relation })), { projectId, relation: 'upgrade' }],
      resources: okCurrent.resources.map((r: { resourceId: string; relation: string }) => ({ resourceId: r.resourceId, relation: r.relation })),
    };
    expect((await send('preparer', 'PUT', `/api/v1/systems/${ok}`, okBody, { 'if-match': `"${okCurrent.version}"` })).statusCode).toBe(200);
    const check = (await get('preparer', `/api/v1/projects/${projectId}/rebuild-check`)).json();
    expect(check.appliesTo).toBe(true);
    expect(check.systems.find((s: { systemId: string }) => s.systemId === ok).allowed).toBe(true);
  });
});
