// 第九条 / 第十一条 through the HTTP stack on both databases: a project taken to approval by real
// requests, then its 批复 downloaded as a GB/T 9704 .docx; what is not a decision, not this
// project's, or not visible to the caller is 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paragraphs, readDocx } from '../../src/documents/test-support.ts';
import { contentDisposition } from '../../src/http/content-disposition.ts';
import { addMaterialRow, bearer, copyDemoCatalog, demoTotp, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
const s: Record<string, Session> = {};

beforeAll(async () => {
  demo = await openDemoApp();
  for (const u of ['preparer', 'unitlead', 'reviewer', 'approver', 'assessor']) s[u] = await signIn(demo.app, demo.services, u);
});
afterAll(async () => demo.close());

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const NAME = '社保卡<全国>一卡通&服务平台';
const OPINIONS = '同意信息资源共享分析，按目录向国家数据共享交换平台共享。';

async function newProject(name: string): Promise<string> {
  const res = await demo.app.inject({
    method: 'POST', url: '/api/v1/projects', headers: bearer(s.preparer!),
    payload: {
      name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get('国家发展和改革委员会创新和高技术发展司'),
      track: 'approval', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2026-12-31',
      totalInvestment: '800.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 2 },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  await copyDemoCatalog(demo.t.database.db, id);
  await addMaterialRow(demo.t.database.db, id, 'proposal', 'proposal', s.preparer!.userId);
  return id;
}

async function act(who: string, projectId: string, action: string, body: Record<string, unknown> = {}) {
  const res = await demo.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/actions/${action}`, headers: bearer(s[who]!), payload: body });
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json().record as { id: string; action: string };
}

function freshTotp(): string {
  demo.services.clock.now = new Date(demo.services.clock.now.getTime() + 30_000);
  return demoTotp(demo.services.now());
}

const download = (who: string, projectId: string, actionId: string) =>
  demo.app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/history/${actionId}/document`, headers: bearer(s[who]!) });

let projectId: string;
let approval: { id: string };
let submission: { id: string };

describe('decision documents (第九条, 第十一条)', () => {
  beforeAll(async () => {
    projectId = await newProject(NAME);
    submission = await act('preparer', projectId, 'submit');
    await act('unitlead', projectId, 'sign');
    await act('reviewer', projectId, 'accept');
    approval = await act('approver', projectId, 'approve', { sharingOpinions: OPINIONS, totp: freshTotp() });
  });

  it('第十一条: the 批复 of an approval downloads as a GB/T 9704 .docx with the sharing opinions', async () => {
    const res = await download('approver', projectId, approval.id);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe(DOCX);
    const title = `关于${NAME}项目建议书的批复`;
    expect(res.headers['content-disposition']).toBe(contentDisposition(`${title}.docx`, `decision-${approval.id}`));
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="decision-[0-9a-f-]{36}\.docx"; filename\*=UTF-8''%E5%85%B3%E4%BA%8E/);
    expect(res.headers['content-length']).toBe(String(res.rawPayload.length));
    expect(res.rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');

    const xml = (await readDocx(res.rawPayload)).get('word/document.xml')!;
    const texts = paragraphs(xml).map((p) => p.text);
    expect(xml).toContain('社保卡&lt;全国&gt;一卡通&amp;服务平台');
    expect(texts).toContain(title);
    expect(texts).toContain('人力资源和社会保障部信息中心：');
    expect(texts).toContain(`三、信息资源共享分析意见。${OPINIONS}`);
    const { seq } = await demo.t.database.db.selectFrom('project_actions').select('seq').where('id', '=', approval.id).executeTakeFirstOrThrow();
    expect(texts.some((t) => new RegExp(`^〔\\d{4}〕${seq}号$`).test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('（本文件已由赵敏以SM2数字签名，签名值SM3摘要'))).toBe(true);
    expect(texts).toContain('c'.repeat(64));
  });

  it('the construction unit sees its own 批复; the download is audited', async () => {
    expect((await download('preparer', projectId, approval.id)).statusCode).toBe(200);
    const events = await demo.t.database.db.selectFrom('audit_events').select(['actor_username', 'diff'])
      .where('action', '=', 'project.document_download').where('object_id', '=', projectId).execute();
    expect(events.map((e) => e.actor_username).sort()).toEqual(['approver', 'preparer']);
    expect(events[0]!.diff).toMatchObject({ after: { actionId: approval.id, action: 'approve' } });
  });

  it('a user who cannot see the project gets 404', async () => {
    const res = await download('assessor', projectId, approval.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('resource.not_found');
  });

  it('an action that is not a decision, an unknown id and another project\'s decision are 404', async () => {
    expect((await download('approver', projectId, submission.id)).statusCode).toBe(404);
    expect((await download('approver', projectId, '00000000-0000-4000-8000-00000000abcd')).statusCode).toBe(404);
    const other = await newProject('另一个测试项目');
    await act('preparer', other, 'submit');
    await act('unitlead', other, 'sign');
    await act('reviewer', other, 'accept');
    const returned = await act('reviewer', other, 'returnForRevision', { reasons: '需补充建设必要性论证。' });
    // Another project's action under this project's URL.
    const crossed = await download('approver', projectId, returned.id);
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().code).toBe('resource.not_found');
    // Under its own project it is a 退回修改 notice (unsigned: the reviewer's return).
    const own = await download('reviewer', other, returned.id);
    expect(own.statusCode).toBe(200);
    const texts = paragraphs((await readDocx(own.rawPayload)).get('word/document.xml')!).map((p) => p.text);
    expect(texts).toContain('关于另一个测试项目项目建议书退回修改的通知');
    expect(texts).toContain('需修改完善的内容：需补充建设必要性论证。');
  });

  it('a malformed action id is refused before anything is read', async () => {
    const res = await download('approver', projectId, 'not-a-uuid');
    expect(res.statusCode).toBe(400);
  });
});
