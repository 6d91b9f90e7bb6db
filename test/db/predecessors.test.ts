// 第九条: a 改建/扩建 filing includes the previous project's third-party post-evaluation report —
// uploaded with the filing, or by linking the earlier project that keeps it (第二十七条). Through
// the HTTP stack on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILING_CONTENTS } from '../../src/domain/lifecycle.ts';
import { createProject } from '../../src/usecases/projects.ts';
import { addMaterialRow, bearer, copyDemoCatalog, demoActor, demoTotp, openDemoApp, signIn, uploadPdf, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'ndrc', 'reviewer']) s[u] = await signIn(demo.app, demo.services, u);
});
afterAll(async () => demo.close());

const get = (who: string, url: string) => demo.app.inject({ method: 'GET', url, headers: bearer(s[who]!) });
const send = (who: string, method: 'POST' | 'PUT', url: string, payload: Record<string, unknown> = {}) =>
  demo.app.inject({ method, url, headers: bearer(s[who]!), payload });
function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}

async function filing(name: string, kind: 'new' | 'expansion' | 'rebuild'): Promise<string> {
  const res = await send('preparer', 'POST', '/api/v1/projects', {
    name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get('人力资源和社会保障部'),
    track: 'filing', kind, constructionStart: '2026-01-01', constructionEnd: '2026-12-31',
    totalInvestment: '900.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  await copyDemoCatalog(demo.t.database.db, id);
  for (const code of FILING_CONTENTS) if (code !== 'informationResourceCatalog') await addMaterialRow(demo.t.database.db, id, 'filing', code);
  return id;
}

const checklistItem = async (id: string) =>
  (await get('preparer', `/api/v1/projects/${id}/actions`)).json().checklist.find((c: { code: string }) => c.code === 'thirdPartyPostEvaluation');

describe('上一期项目的第三方后评价报告 (第九条)', () => {
  it('第九条: a linked earlier project’s post-evaluation report completes a 扩建 filing and is signed with the decision', async () => {
    // The earlier project: filed by NDRC.
    const earlier = await filing('社会保险信息系统一期（备案）', 'new');
    expect((await send('preparer', 'POST', `/api/v1/projects/${earlier}/actions/submit`)).statusCode).toBe(200);
    const filed = await send('ndrc', 'POST', `/api/v1/projects/${earlier}/actions/file`, { totp: freshTotp() });
    expect(filed.statusCode, filed.body).toBe(200);

    const expansion = await filing('社会保险信息系统二期扩建（备案）', 'expansion');
    // Without the report the filing is refused, naming the missing item.
    const refused = await send('preparer', 'POST', `/api/v1/projects/${expansion}/actions/submit`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().problems).toEqual([expect.objectContaining({ article: '第九条', params: expect.objectContaining({ material: 'thirdPartyPostEvaluation' }) })]);

    // A link to a project that is not finished is refused; to the filed one it is accepted.
    const unfinished = await filing('尚未备案的项目', 'new');
    const early = await send('preparer', 'PUT', `/api/v1/projects/${expansion}/predecessor`, { previousProjectId: unfinished });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors).toEqual([expect.objectContaining({ path: 'previousProjectId', code: 'predecessor.not_finished' })]);
    const linked = await send('preparer', 'PUT', `/api/v1/projects/${expansion}/predecessor`, { previousProjectId: earlier });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ previousProject: { id: earlier, name: '社会保险信息系统一期（备案）' }, report: null });
    // The earlier project has no report yet: still missing.
    expect(await checklistItem(expansion)).toMatchObject({ present: false });

    // 第二十七条: the report is kept on the filed earlier project; a draft cannot take one.
    expect((await uploadPdf(demo.app, s.preparer!, unfinished, 'filing', 'postEvaluationReport')).statusCode).toBe(409);
    const report = await uploadPdf(demo.app, s.preparer!, earlier, 'filing', 'postEvaluationReport', '一期第三方后评价报告.pdf');
    expect(report.statusCode, report.body).toBe(201);
    expect(await checklistItem(expansion)).toMatchObject({ present: true });
    expect((await get('preparer', `/api/v1/projects/${expansion}/predecessor`)).json().report).toMatchObject({ sm3: report.json().sm3 });

    expect((await send('preparer', 'POST', `/api/v1/projects/${expansion}/actions/submit`)).statusCode).toBe(200);
    const done = await send('ndrc', 'POST', `/api/v1/projects/${expansion}/actions/file`, { totp: freshTotp() });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().record.signatureValid).toBe(true);
    expect(JSON.parse(done.json().record.payload).linkedReport).toEqual({
      code: 'postEvaluationReport', projectId: earlier, version: 1, sm3: report.json().sm3,
    });
    // After submission the link cannot change.
    expect((await send('preparer', 'PUT', `/api/v1/projects/${expansion}/predecessor`, { previousProjectId: null })).statusCode).toBe(409);
  });

  it('第九条: only 改建/扩建 projects link an earlier project, and only one the caller can see', async () => {
    const fresh = await filing('新建项目不需关联', 'new');
    const earlier = await filing('另一个项目', 'new');
    const notRebuild = await send('preparer', 'PUT', `/api/v1/projects/${fresh}/predecessor`, { previousProjectId: earlier });
    expect(notRebuild.json().errors).toEqual([expect.objectContaining({ code: 'predecessor.not_rebuild' })]);
    const rebuild = await filing('改建项目', 'rebuild');
    // A project of another unit (made by a preparer there), which this preparer cannot see.
    const otherUnit = demo.org.get('国家信息中心')!;
    const hidden = await createProject(demo.services, { ...await demoActor(demo.services, 'preparer'), organizationIds: [otherUnit] }, {
      name: '他单位项目', constructionUnitId: otherUnit, approvalDepartmentId: demo.org.get('国家发展和改革委员会创新和高技术发展司')!,
      track: 'approval', kind: 'new', planTaskId: null, involvesSecrets: false, crossDepartment: null,
      constructionStart: '2026-01-01', constructionEnd: '2026-12-31', totalInvestment: '100.00', oAndMFunds: '0.00',
      fundingChannel: 'central_budget', performanceIndicators: [], systems: [],
      security: { scheme: 'mlps', mlpsLevel: 2, cryptoPlan: 'none', cryptoAssessment: 'not_started' },
      newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
    });
    expect((await get('preparer', `/api/v1/projects/${hidden.id}`)).statusCode).toBe(404);
    const res = await send('preparer', 'PUT', `/api/v1/projects/${rebuild}/predecessor`, { previousProjectId: hidden.id });
    expect(res.json().errors).toEqual([expect.objectContaining({ code: 'unknown_reference' })]);
    const unknown = await send('preparer', 'PUT', `/api/v1/projects/${rebuild}/predecessor`, { previousProjectId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.json().errors).toEqual([expect.objectContaining({ code: 'unknown_reference' })]);
    // Another unit cannot link for this one.
    expect((await send('reviewer', 'PUT', `/api/v1/projects/${rebuild}/predecessor`, { previousProjectId: earlier })).statusCode).toBe(403);
  });
});
