// 双随机、一公开 (SPEC §9; 第三十条) on a real database: pools frozen and published, one draw from a
// published seed that anyone can reproduce, conflicts of interest excluded, outcomes published;
// who may do it; audited; refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { redrawCommand } from '../../src/cli/spot-check-redraw.ts';
import { draw } from '../../src/domain/spot-check-draw.ts';
import { bearer, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let d: DemoApp;
let ndrc: Session;
let preparer: Session;
let auditor: Session;
const users = new Map<string, string>();

beforeAll(async () => {
  d = await openDemoApp();
  ndrc = await signIn(d.app, d.services, 'ndrc');
  preparer = await signIn(d.app, d.services, 'preparer');
  auditor = await signIn(d.app, d.services, 'auditor');
  for (const u of await d.t.database.db.selectFrom('users').select(['id', 'username']).execute()) users.set(u.username, u.id);
});
afterAll(async () => d?.close());

const checklist = [{ code: 'C1', title: '资金使用', basis: '第三十条 资金使用' }, { code: 'C2', title: '网络安全', basis: '第三十条 网络安全' }];
const inspectorNames = ['ndrc', 'mof', 'cac', 'gooffice', 'auditor', 'assessor', 'supervisor', 'evaluator'];

async function create(session: Session, overrides: Record<string, unknown> = {}) {
  return d.app.inject({
    method: 'POST', url: '/api/v1/spot-checks', headers: bearer(session),
    payload: {
      title: '测试抽查', checklist, targetFilter: { kinds: ['project', 'system'] }, targetCount: 2, inspectorsPerTarget: 2,
      inspectorUserIds: inspectorNames.map((n) => users.get(n)!), ...overrides,
    },
  });
}

describe('双随机、一公开 spot checks (SPEC §9, 第三十条)', () => {
  it('the demo has a concluded spot check whose published result re-draws identically', async () => {
    const list = (await d.app.inject({ method: 'GET', url: '/api/open/v1/spot-checks' })).json();
    const concluded = list.items.find((s: { status: string }) => s.status === 'concluded');
    expect(concluded).toBeDefined();
    const r = await d.app.inject({ method: 'POST', url: `/api/open/v1/spot-checks/${concluded.id}/redraw`, payload: {} });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ differingDigests: [], sameResult: true });
    expect(concluded.outcomes.length).toBe(concluded.result.length * concluded.checklist.length);
    expect(list.items.some((s: { status: string; seed: string | null }) => s.status === 'pooled' && s.seed === null)).toBe(true);
  });

  it('第三十条: NDRC creates (pools frozen and published), draws once, records outcomes and publishes them; each step audited', async () => {
    const created = await create(ndrc);
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect(s.status).toBe('pooled');
    expect(s.targets.length).toBeGreaterThanOrEqual(2);
    expect(s.inspectors.map((i: { ref: string }) => i.ref)).toEqual(['J001', 'J002', 'J003', 'J004', 'J005', 'J006', 'J007', 'J008']);
    // Published before the draw: the pools and their digests, no seed, no inspector names.
    const pub = (await d.app.inject({ method: 'GET', url: `/api/open/v1/spot-checks/${s.id}` })).json();
    expect(pub.digests.targets).toBe(s.digests.targets);
    expect(pub.seed).toBeNull();
    expect(JSON.stringify(pub)).not.toContain('黄勇');
    expect(pub.inspectorUsers).toBeUndefined();

    const seed = 'ab'.repeat(32);
    const drawn = await d.app.inject({ method: 'POST', url: `/api/v1/spot-checks/${s.id}/draw`, headers: bearer(ndrc), payload: { seed } });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const result = drawn.json();
    // The same pure function on the published inputs gives the same draw.
    const expected = draw({ algorithm: result.algorithm, seed, rules: result.rules, targets: result.targets, inspectors: result.inspectors });
    expect(result.result).toEqual(expected.assignments);
    expect(result.resultDigest).toBe(expected.resultDigest);
    for (const a of result.result as Array<{ targetRef: string; inspectorRefs: string[] }>) {
      expect(a.inspectorRefs.length).toBeGreaterThanOrEqual(2);
      const t = result.targets.find((x: { ref: string }) => x.ref === a.targetRef);
      for (const ref of a.inspectorRefs) {
        const j = result.inspectors.find((x: { ref: string }) => x.ref === ref);
        expect(j.organizationPath).not.toContain(t.organizationId);
        expect(t.organizationPath).not.toContain(j.organizationId);
      }
    }
    // Drawn once.
    const again = await d.app.inject({ method: 'POST', url: `/api/v1/spot-checks/${s.id}/draw`, headers: bearer(ndrc), payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('spotcheck.already_drawn');
    // Not published before every outcome is in.
    const early = await d.app.inject({ method: 'POST', url: `/api/v1/spot-checks/${s.id}/conclude`, headers: bearer(ndrc) });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('spotcheck.outcomes_incomplete');
    const bad = await d.app.inject({ method: 'PUT', url: `/api/v1/spot-checks/${s.id}/outcomes`, headers: bearer(ndrc),
      payload: { outcomes: [{ targetRef: 'T999', itemCode: 'C9', outcome: 'pass' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { code: string }) => e.code)).toEqual(['spotcheck.target_unknown', 'spotcheck.item_unknown']);
    const outcomes = (result.result as Array<{ targetRef: string }>).flatMap((a) => checklist.map((c) => ({ targetRef: a.targetRef, itemCode: c.code, outcome: 'pass', notes: '' })));
    outcomes[0]!.outcome = 'fail';
    outcomes[0]!.notes = '资金支付凭证不全';
    expect((await d.app.inject({ method: 'PUT', url: `/api/v1/spot-checks/${s.id}/outcomes`, headers: bearer(ndrc), payload: { outcomes } })).statusCode).toBe(200);
    // Outcomes are not public until concluded.
    expect((await d.app.inject({ method: 'GET', url: `/api/open/v1/spot-checks/${s.id}` })).json().outcomes).toEqual([]);
    expect((await d.app.inject({ method: 'POST', url: `/api/v1/spot-checks/${s.id}/conclude`, headers: bearer(ndrc) })).statusCode).toBe(200);
    const published = (await d.app.inject({ method: 'GET', url: `/api/open/v1/spot-checks/${s.id}` })).json();
    expect(published.outcomes).toContainEqual({ targetRef: outcomes[0]!.targetRef, itemCode: 'C1', outcome: 'fail', notes: '资金支付凭证不全' });
    const late = await d.app.inject({ method: 'PUT', url: `/api/v1/spot-checks/${s.id}/outcomes`, headers: bearer(ndrc), payload: { outcomes } });
    expect(late.json().code).toBe('spotcheck.concluded');

    const events = await d.t.database.db.selectFrom('audit_events').select(['action', 'actor_username']).where('object_id', '=', s.id).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['spotcheck.create', 'spotcheck.draw', 'spotcheck.outcomes', 'spotcheck.conclude']);
    expect(events.every((e) => e.actor_username === 'ndrc')).toBe(true);
  });

  it('the database keeps the pools and the draw from changing', async () => {
    const s = (await create(ndrc)).json();
    await expect(sql`update spot_checks set targets = '[]'::jsonb where id = ${s.id}`.execute(d.t.database.db)).rejects.toThrow(/frozen/);
    await d.app.inject({ method: 'POST', url: `/api/v1/spot-checks/${s.id}/draw`, headers: bearer(ndrc), payload: {} });
    await expect(sql`update spot_checks set seed = ${'cd'.repeat(32)} where id = ${s.id}`.execute(d.t.database.db)).rejects.toThrow(/drawn once/);
    await expect(sql`delete from spot_checks where id = ${s.id}`.execute(d.t.database.db)).rejects.toThrow(/append-only/);
  });

  it('refuses (422) pools that cannot give every target two inspectors without a conflict of interest, naming the target', async () => {
    // Two inspectors, one of them from a target's own organization or one above it: that target
    // keeps only one.
    const pool = (await create(ndrc)).json().targets as Array<{ kind: string; organizationId: string; organizationPath: string[] }>;
    const links = await d.t.database.db.selectFrom('user_organizations').select(['user_id', 'organization_id']).execute();
    const target = pool.find((t) => links.some((l) => t.organizationPath.includes(l.organization_id) && l.user_id !== users.get('mof')))!;
    const insider = links.find((l) => target.organizationPath.includes(l.organization_id))!.user_id;
    const r = await create(ndrc, { inspectorUserIds: [insider, users.get('mof')], targetCount: 1, targetFilter: { kinds: [target.kind], organizationId: target.organizationId } });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('spotcheck.pools_insufficient');
    expect(r.json().detail).toMatch(/T\d{3} 无利益冲突的检查人员不足/);
    const count = await d.app.inject({ method: 'POST', url: '/api/v1/spot-checks', headers: bearer(ndrc),
      payload: { title: 'x', checklist, targetFilter: { kinds: ['project'] }, targetCount: 1000, inspectorsPerTarget: 2, inspectorUserIds: inspectorNames.map((n) => users.get(n)) } });
    expect(count.statusCode).toBe(422);
    const one = await create(ndrc, { inspectorsPerTarget: 1 });
    expect(one.statusCode).toBe(400);
    const dup = await create(ndrc, { inspectorUserIds: [users.get('mof'), users.get('mof'), users.get('cac')] });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0]).toMatchObject({ path: 'inspectorUserIds.1', code: 'spotcheck.duplicate' });
  });

  it('SPEC §1/第三十条: only the supervisory bodies organize; the auditor reads (第三十一条); a unit may not', async () => {
    expect((await create(preparer)).statusCode).toBe(403);
    expect((await create(auditor)).statusCode).toBe(403);
    expect((await d.app.inject({ method: 'GET', url: '/api/v1/spot-checks', headers: bearer(auditor) })).statusCode).toBe(200);
    expect((await d.app.inject({ method: 'GET', url: '/api/v1/spot-checks', headers: bearer(preparer) })).statusCode).toBe(403);
    for (const who of ['mof', 'cac', 'gooffice']) {
      const s = await signIn(d.app, d.services, who);
      expect((await create(s, { targetCount: 1 })).statusCode).toBe(201);
    }
  });

  it('the CLI re-draws offline from the published package: 一致 for it, the changed digest named otherwise', async () => {
    const s = (await create(ndrc)).json();
    await d.app.inject({ method: 'POST', url: `/api/v1/spot-checks/${s.id}/draw`, headers: bearer(ndrc), payload: {} });
    const pkg = await d.app.inject({ method: 'GET', url: `/api/open/v1/spot-checks/${s.id}/package` });
    expect(pkg.headers['content-disposition']).toContain('attachment');
    const dir = mkdtempSync(join(tmpdir(), 'redraw-'));
    const file = join(dir, 'package.json');
    writeFileSync(file, pkg.body);
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'govproj.js');
    const ok = execFileSync(process.execPath, [bin, 'spot-check', 'redraw', '--package', file], { encoding: 'utf8', env: {} });
    expect(ok).toContain('一致 / the re-draw matches');
    // The mismatches in-process (the same command function the binary runs).
    const lines: string[] = [];
    expect(redrawCommand(['--package', file, '--seed', '0'.repeat(64)], (l) => lines.push(l))).toBe(4);
    expect(lines).toContain(`输入不同 / differs: 随机种子 / seed  (published ${JSON.parse(pkg.body).published.digests.seed})`);
    expect(lines.at(-1)).toContain('不一致');
    // A pool with a target dropped: the target pool's digest is named.
    const changed = JSON.parse(pkg.body);
    changed.input.targets = changed.input.targets.slice(1);
    writeFileSync(file, JSON.stringify(changed));
    lines.length = 0;
    expect(redrawCommand(['--package', file], (l) => lines.push(l))).toBe(4);
    const out = lines.join('\n');
    expect(out).toContain('抽查对象库 / target pool');
  });
});
