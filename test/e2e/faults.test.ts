// Issue 7 item 4, against real `govproj serve` processes on PostgreSQL (the upload store and SMTP
// faults are in test/db/resilience.test.ts):
// - PostgreSQL unavailable in the middle of a write load. The shared server cannot be restarted
//   (other test files use it), so the app reaches it through a TCP proxy (test/support/tcp-proxy.ts)
//   that the test cuts — open connections reset, new ones refused, the server rolls back what was
//   in flight, as in a restart — and restores. Meanwhile every answer is 200/201 or a clean 503
//   problem+json with Retry-After and the stable code `service_unavailable`; the process is not
//   restarted and writes succeed again once the database is back; no acknowledged write is lost
//   and each has its audit event; the log verifies.
// - kill -9 of the process while an approver's signed decision (第二十三条 re-approval, TOTP step-up
//   + SM2) is in flight: afterwards the decision and its audit event both exist or neither does.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { base32Decode, totpAt } from '../../src/crypto/totp.ts';
import { uniformSocialCreditCodeCheckChar } from '../../src/domain/identifiers.ts';
import { DEMO_CONSTRUCTION_PROJECT } from '../../src/usecases/seed-demo-investment.ts';
import { createServerDatabase, TEST_PG_URL } from '../support/db.ts';
import { DEMO_TOTP } from '../support/fixtures.ts';
import {
  apiRequest, killAllChildren, randomMasterKey, removeDir, signInHttp, startServer, tempDir, verifyAuditCli,
  type Installation,
} from '../support/server-process.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const WRITERS = 4;
// A start seeds the demo on PostgreSQL: minutes when the machine is loaded.
const START_TIMEOUT_MS = 240_000;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await killAllChildren();
  for (const c of cleanups.splice(0).reverse()) await c();
}, 60_000);

function creditCodeFor(writer: number, i: number): string {
  const prefix = `12100000F${writer}${String(i).padStart(7, '0')}`;
  return prefix + uniformSocialCreditCodeCheckChar(prefix);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults (issue 7)', () => {
  it('SPEC §10: PostgreSQL away mid-load: clean 503s with Retry-After, recovery without a restart, no acknowledged write lost', async () => {
    const database = await createServerDatabase();
    cleanups.push(database.drop);
    const server = new URL(TEST_PG_URL);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const dataDir = tempDir();
    cleanups.push(() => removeDir(dataDir));
    const inst: Installation = { dataDir, masterKey: randomMasterKey(), databaseUrl: viaProxy.toString() };
    const app = await startServer(inst, { demo: true, checkpointSeconds: 1, env: { GOVPROJ_JOBS: 'on' }, startTimeoutMs: START_TIMEOUT_MS });
    const token = await signInHttp(app.url, 'admin');

    type Phase = 'before' | 'outage' | 'after';
    let phase: Phase = 'before';
    let stop = false;
    const acked = new Map<string, string>();
    const statuses: Record<Phase, Map<number, number>> = { before: new Map(), outage: new Map(), after: new Map() };
    const unclean: string[] = [];
    let okAfter = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const creditCode = creditCodeFor(w, i);
        const at = phase;
        let res: Response;
        try {
          res = await fetch(`${app.url}/api/v1/organizations`, {
            method: 'POST', signal: AbortSignal.timeout(30_000),
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ parentId: null, name: `故障测试单位 ${w}-${i}`, kind: 'construction_unit', creditCode }),
          });
        } catch (e) {
          unclean.push(`${at}: no answer: ${String((e as Error).cause ?? e)}`);
          continue;
        }
        const text = await res.text();
        statuses[at].set(res.status, (statuses[at].get(res.status) ?? 0) + 1);
        if (res.status === 201) {
          acked.set(creditCode, (JSON.parse(text) as { id: string }).id);
          if (at === 'after') okAfter++;
        } else if (res.status === 503) {
          const body = JSON.parse(text) as { code?: string; status?: number };
          if (!res.headers.get('content-type')?.startsWith('application/problem+json') || res.headers.get('retry-after') !== '5' ||
              body.code !== 'service_unavailable' || body.status !== 503) unclean.push(`${at}: 503 without problem+json/Retry-After: ${text}`);
          await sleep(100);
        } else {
          unclean.push(`${at}: ${res.status} ${text}`);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await sleep(2_000);
    phase = 'outage';
    await proxy.cut();
    await sleep(4_000);
    // Reads fail the same clean way while the database is away.
    const read = await fetch(`${app.url}/api/v1/organizations`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBe('5');
    await proxy.restore();
    phase = 'after';
    const deadline = Date.now() + 45_000;
    while (okAfter < 2 * WRITERS && Date.now() < deadline) await sleep(200);
    stop = true;
    await Promise.all(writers);

    expect(unclean).toEqual([]);
    expect(statuses.before.get(201) ?? 0).toBeGreaterThan(0);
    expect(statuses.outage.get(503) ?? 0).toBeGreaterThan(0);
    expect(okAfter).toBeGreaterThanOrEqual(2 * WRITERS); // recovered, same process
    expect(app.child.exitCode).toBeNull();

    // Every acknowledged write is there, with its creation event.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const orgs = new Map((await client.query<{ id: string; credit_code: string }>(`select id, credit_code from organizations where credit_code like '12100000F%'`)).rows
        .map((r) => [r.credit_code, r.id]));
      const lost = [...acked].filter(([code, id]) => orgs.get(code) !== id);
      expect(lost).toEqual([]);
      const events = new Set((await client.query<{ object_id: string }>(`select object_id from audit_events where action = 'organization.create'`)).rows.map((r) => r.object_id));
      expect([...orgs.values()].filter((id) => !events.has(id))).toEqual([]);
    } finally {
      await client.end();
    }
    expect((await app.stop()).code, app.stderr()).toBe(0);
    const verify = await verifyAuditCli({ ...inst, databaseUrl: database.url });
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.report?.status).toBe('intact');
    console.log(`[faults] database outage: before ${JSON.stringify([...statuses.before])}, outage ${JSON.stringify([...statuses.outage])}, after ${JSON.stringify([...statuses.after])}; ${acked.size} acknowledged writes, none lost`);
  }, 480_000);

  it('第二十三条, SPEC §10: kill -9 during a signed decision leaves the decision and its audit event both or neither', async () => {
    const database = await createServerDatabase();
    cleanups.push(database.drop);
    const dataDir = tempDir();
    cleanups.push(() => removeDir(dataDir));
    const inst: Installation = { dataDir, masterKey: randomMasterKey(), databaseUrl: database.url };
    let app = await startServer(inst, { demo: true, checkpointSeconds: 0, env: { GOVPROJ_JOBS: 'off' }, startTimeoutMs: START_TIMEOUT_MS });
    const preparer = await signInHttp(app.url, 'preparer');
    const approver = await signInHttp(app.url, 'approver');
    // The sign-in used this period's code; each decision needs a code the server has not seen.
    const secret = base32Decode(DEMO_TOTP);
    let lastStep = Math.floor(Date.now() / 30_000);
    const freshTotp = async () => {
      for (;;) {
        const now = Math.floor(Date.now() / 30_000);
        const step = Math.max(now, lastStep + 1);
        if (step <= now + 1) {
          lastStep = step;
          return totpAt(secret, step * 30);
        }
        await sleep((now + 1) * 30_000 - Date.now() + 300);
      }
    };
    const found = await apiRequest<{ items: Array<{ id: string; name: string }> }>(app.url, preparer, 'GET', `/api/v1/projects?q=${encodeURIComponent('技能人才评价监管')}`);
    const projectId = found.body.items.find((p) => p.name === DEMO_CONSTRUCTION_PROJECT)!.id;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());

    // Immediately, shortly after, and late (on a loaded machine a decision takes hundreds of ms).
    const delays = [0, 200, 1500];
    const outcomes: string[] = [];
    let cutOff = 0;
    for (const delay of delays) {
      // A pending re-approval: 16% of the approved total moved (past the 15% of 第二十三条).
      const list = await apiRequest<{ items: Array<{ id: string; status: string }> }>(app.url, preparer, 'GET', `/api/v1/projects/${projectId}/adjustments`);
      expect(list.status).toBe(200);
      let pending = list.body.items.find((a) => a.status === 'pending')?.id;
      if (!pending) {
        const proposal = {
          lines: [{ content: '新增大数据分析子系统', change: '330' }, { content: '压减线下考点改造', change: '-330' }],
          reason: 'businessNeeds', goalsUnchanged: true, description: '故障测试',
        };
        // The dry run gives the amount and the total after, as the web form does.
        const dry = await apiRequest<{ figures: { amount: string; totalAfter: string } | null }>(app.url, preparer, 'POST', `/api/v1/projects/${projectId}/adjustments/evaluate`, proposal);
        expect(dry.status, JSON.stringify(dry.body)).toBe(200);
        const filed = await apiRequest<{ id: string; status: string }>(app.url, preparer, 'POST', `/api/v1/projects/${projectId}/adjustments`, {
          ...proposal, amount: dry.body.figures!.amount, totalAfter: dry.body.figures!.totalAfter,
        });
        expect(filed.status, JSON.stringify(filed.body)).toBe(201);
        expect(filed.body.status).toBe('pending');
        pending = filed.body.id;
      }
      const totp = await freshTotp();
      let answered: number | null = null;
      const decision = fetch(`${app.url}/api/v1/projects/${projectId}/adjustments/${pending}/decision`, {
        method: 'POST', headers: { authorization: `Bearer ${approver}`, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'refuse', opinion: `故障测试不予批复 ${delay}`, totp }),
      }).then(async (r) => { answered = r.status; await r.arrayBuffer(); }, () => undefined);
      await sleep(delay);
      await app.kill9();
      await decision;
      if (answered === null) cutOff++;

      const row = (await client.query<{ status: string; signature: string | null; decision_payload: string | null }>(
        'select status, signature, decision_payload from project_adjustments where id = $1', [pending])).rows[0]!;
      const events = (await client.query<{ n: string }>(
        `select count(*) as n from audit_events where action = 'adjustment.refuse' and diff->'after'->>'adjustmentId' = $1`, [pending])).rows[0]!.n;
      const decided = row.status === 'refused';
      outcomes.push(`${delay} ms: ${answered === null ? 'cut off' : `answered ${answered}`}, ${decided ? 'decided' : 'not decided'}`);
      if (decided) {
        expect(row.signature).not.toBeNull();
        expect(row.decision_payload).toContain(`故障测试不予批复 ${delay}`);
        expect(events).toBe('1');
      } else {
        expect(row.status).toBe('pending');
        expect(row.signature).toBeNull();
        expect(events).toBe('0');
      }
      app = await startServer(inst, { demo: true, checkpointSeconds: 0, env: { GOVPROJ_JOBS: 'off' }, startTimeoutMs: START_TIMEOUT_MS });
    }
    console.log(`[faults] kill -9 during a signed decision: ${outcomes.join('; ')}`);
    expect(cutOff).toBeGreaterThan(0); // at least one kill really hit a decision in flight
    expect((await app.stop()).code, app.stderr()).toBe(0);
    const verify = await verifyAuditCli(inst);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.report?.status).toBe('intact');
  }, 900_000);
});
