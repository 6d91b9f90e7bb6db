// 第七条 / 第十一条 / SPEC §10 through the HTTP stack on both databases: submit, sign,
// accept, return, resubmit and approve; dry runs that write nothing; signed decisions anyone
// can verify; a fresh TOTP code for decisions; two approvers at once; Idempotency-Key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { verifyAuditLog } from '../../src/audit/verifier.ts';
import { addMaterialRow, copyDemoCatalog, demoTotp, signIn, type Session, openDemoApp, type DemoApp } from '../support/fixtures.ts';

let demo: DemoApp;
let t: DemoApp['t'];
let services: DemoApp['services'];
let app: DemoApp['app'];
const s: Record<string, Session> = {};
let org: DemoApp['org'];

beforeAll(async () => {
  demo = await openDemoApp();
  ({ t, services, app, org } = demo);
  for (const u of ['preparer', 'unitlead', 'reviewer', 'approver', 'mof']) s[u] = await signIn(app, services, u);
});
afterAll(async () => demo.close());

const auth = (who: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${s[who]!.token}`, ...extra });

async function newProject(name: string): Promise<{ id: string; version: number }> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/projects', headers: auth('preparer'),
    payload: {
      name, constructionUnitId: org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: org.get('国家发展和改革委员会创新和高技术发展司'),
      track: 'approval', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2026-12-31',
      totalInvestment: '800.00', fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 2 },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await copyDemoCatalog(t.database.db, res.json().id);
  return res.json();
}

const addMaterial = (projectId: string, stage: string, code: string) => addMaterialRow(t.database.db, projectId, stage, code);

async function act(who: string, projectId: string, action: string, body: Record<string, unknown> = {}, query = '', headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/actions/${action}${query}`, headers: auth(who, headers), payload: body });
}
async function counts(projectId: string) {
  const r = await sql<{ a: string; e: string }>`select (select count(*) from project_actions where project_id = ${projectId}) as a,
    (select count(*) from audit_events) as e`.execute(t.database.db);
  return r.rows[0];
}
/** A code for the approver's next decision: the clock moves on so the code was never used. */
function freshTotp(): string {
  services.clock.now = new Date(services.clock.now.getTime() + 30_000);
  return demoTotp(services.now());
}

describe('lifecycle actions (第七条, 第十一条)', () => {
  it('第七条: the whole 项目建议书 round: dry run, submit, sign, accept, return, resubmit, approve', async () => {
    const p = await newProject('审批流程测试项目');

    // Dry run: every problem, with its article, and nothing written.
    const before = await counts(p.id);
    const dry = await act('preparer', p.id, 'submit', {}, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, ok: false });
    expect(dry.json().problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'material.missing', article: '第七条' })]));
    expect(await counts(p.id)).toEqual(before);
    const refused = await act('preparer', p.id, 'submit');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('lifecycle.blocked');

    await addMaterial(p.id, 'proposal', 'proposal');
    expect((await act('preparer', p.id, 'submit', {}, '?dryRun=true')).json()).toMatchObject({ ok: true, next: { status: 'awaiting_signature' } });
    const submitted = await act('preparer', p.id, 'submit');
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().project.lifecycle).toMatchObject({ stage: 'proposal', status: 'awaiting_signature' });

    // The unit lead's signature is an SM2 signature over the canonical payload.
    const signed = await act('unitlead', p.id, 'sign');
    expect(signed.statusCode, signed.body).toBe(200);
    const record = signed.json().record;
    expect(record).toMatchObject({ action: 'sign', signatureValid: true });
    const verify = await app.inject({ method: 'POST', url: '/api/v1/signatures/verify', headers: auth('mof'),
      payload: { payload: record.payload, signature: record.signature, publicKey: record.publicKey } });
    expect(verify.json()).toEqual({ valid: true });
    const forged = await app.inject({ method: 'POST', url: '/api/v1/signatures/verify', headers: auth('mof'),
      payload: { payload: record.payload.replace('800.00', '900.00'), signature: record.signature, publicKey: record.publicKey } });
    expect(forged.json()).toEqual({ valid: false });

    expect((await act('reviewer', p.id, 'accept')).json().project.lifecycle.status).toBe('under_review');
    // A return needs the reviewer's reasons.
    expect((await act('reviewer', p.id, 'returnForRevision', { reasons: '   ' })).statusCode).toBe(422);
    const returned = await act('reviewer', p.id, 'returnForRevision', { reasons: '需补充建设必要性论证。' });
    expect(returned.json().project.lifecycle).toMatchObject({ stage: 'proposal', status: 'returned', editable: true });

    await addMaterial(p.id, 'proposal', 'proposal');
    for (const [who, action] of [['preparer', 'submit'], ['unitlead', 'sign'], ['reviewer', 'accept']] as const) {
      expect((await act(who, p.id, action)).statusCode).toBe(200);
    }

    // Decisions need a fresh second factor and, by 第十一条, sharing opinions.
    expect((await act('approver', p.id, 'approve', { sharingOpinions: '同意共享分析。' })).json().code).toBe('auth.totp_required');
    const noOpinions = await act('approver', p.id, 'approve', { totp: freshTotp() });
    expect(noOpinions.statusCode).toBe(422);
    expect(noOpinions.json().problems.map((x: { article: string }) => x.article)).toContain('第十一条');
    const approved = await act('approver', p.id, 'approve', { sharingOpinions: '同意信息资源共享分析，按目录共享。', totp: freshTotp() });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().project.lifecycle).toMatchObject({ stage: 'feasibilityStudy', status: 'draft' });
    expect(approved.json().record).toMatchObject({ action: 'approve', signatureValid: true });
    const payload = JSON.parse(approved.json().record.payload);
    expect(payload).toMatchObject({ projectId: p.id, action: 'approve', totalInvestment: '800.00', sharingOpinions: '同意信息资源共享分析，按目录共享。' });
    expect(payload.materials).toHaveLength(2);

    const history = await app.inject({ method: 'GET', url: `/api/v1/projects/${p.id}/history`, headers: auth('mof') });
    expect(history.json().items.map((r: { action: string }) => r.action)).toEqual(
      ['submit', 'sign', 'accept', 'returnForRevision', 'submit', 'sign', 'accept', 'approve']);
    expect((await verifyAuditLog(t.database.db, services.keys.checkpoint.publicKey)).status).toBe('intact');
  });

  it('the wrong role gets 403; a role without any lifecycle permission is refused at the route', async () => {
    const p = await newProject('越权测试项目');
    await addMaterial(p.id, 'proposal', 'proposal');
    expect((await act('reviewer', p.id, 'submit')).statusCode).toBe(403);
    expect((await act('mof', p.id, 'submit')).statusCode).toBe(403);
    const next = await app.inject({ method: 'GET', url: `/api/v1/projects/${p.id}/actions`, headers: auth('preparer') });
    expect(next.json().actions.map((a: { action: string }) => a.action)).toContain('submit');
  });

  it('two approvers deciding at the same moment: exactly one decision lands, the other gets 409', async () => {
    const p = await newProject('并发批复测试项目');
    await addMaterial(p.id, 'proposal', 'proposal');
    for (const [who, action] of [['preparer', 'submit'], ['unitlead', 'sign'], ['reviewer', 'accept']] as const) {
      expect((await act(who, p.id, action)).statusCode).toBe(200);
    }
    const first = freshTotp();
    const second = freshTotp();
    const results = await Promise.all([
      act('approver', p.id, 'approve', { sharingOpinions: '同意。', totp: first }),
      act('approver', p.id, 'reject', { reasons: '不符合规划。', totp: second }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const decisions = await sql<{ n: string }>`select count(*) as n from project_actions where project_id = ${p.id} and action in ('approve', 'reject')`.execute(t.database.db);
    expect(Number(decisions.rows[0]!.n)).toBe(1);
  });

  it('the same Idempotency-Key does not submit twice', async () => {
    const p = await newProject('幂等测试项目');
    await addMaterial(p.id, 'proposal', 'proposal');
    const key = { 'idempotency-key': `submit-${p.id}` };
    const a = await act('preparer', p.id, 'submit', {}, '', key);
    const b = await act('preparer', p.id, 'submit', {}, '', key);
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(b.json().record.id).toBe(a.json().record.id);
    const rows = await sql<{ n: string }>`select count(*) as n from project_actions where project_id = ${p.id}`.execute(t.database.db);
    expect(Number(rows.rows[0]!.n)).toBe(1);
    const other = await act('preparer', p.id, 'withdraw', { reasons: 'x' }, '', key);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency.mismatch');
  });

  it('a stale If-Match is refused with 412 and nothing is written', async () => {
    const p = await newProject('版本校验测试项目');
    await addMaterial(p.id, 'proposal', 'proposal');
    const before = await counts(p.id);
    const res = await act('preparer', p.id, 'submit', {}, '', { 'if-match': `"${p.version + 5}"` });
    expect(res.statusCode).toBe(412);
    expect(await counts(p.id)).toEqual(before);
  });
});
