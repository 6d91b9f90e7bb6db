// SPEC §10 (第三十一条): a state change and its audit event commit together or not at all, and
// an acknowledged write is durable. A real `govproj serve` takes a burst of concurrent writes
// and is killed with SIGKILL in the middle of it; after a restart on the same data every
// acknowledged organization is there, every organization has exactly its creation event and
// every creation event its organization, and the independent verifier finds the log intact.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORGS } from '../../src/domain/demo-data.ts';
import { uniformSocialCreditCodeCheckChar } from '../../src/domain/identifiers.ts';
import { createServerDatabase } from '../support/db.ts';
import {
  apiRequest, killAllChildren, randomMasterKey, removeDir, signInHttp, startServer, tempDir, verifyAuditCli,
  type Installation, type ServerProcess,
} from '../support/server-process.ts';

// Above the suite's 60 s: PGlite on disk needs several seconds for each start (initdb on
// the first, crash recovery after the kill) and for the CLI that verifies afterwards.
const TEST_TIMEOUT_MS = 180_000;
const WRITERS = 8;
const KILL_AFTER_MS = 1_500;
const MIN_ACKED = 2 * WRITERS;
const MAX_BURST_MS = 20_000;

interface Org { id: string; name: string; creditCode: string }
interface AuditEvent { id: string; action: string; objectType: string | null; objectId: string | null; outcome: string }

/** A valid, unique 统一社会信用代码 per writer and request: 12 100000 X<w><7 digits> + check. */
function creditCodeFor(writer: number, i: number): string {
  const prefix = `12100000X${writer}${String(i).padStart(7, '0')}`;
  return prefix + uniformSocialCreditCodeCheckChar(prefix);
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await killAllChildren();
  for (const c of cleanups.splice(0).reverse()) await c();
}, 60_000);

interface Burst {
  /** creditCode → id of every write the server acknowledged with 201 and a complete body. */
  acked: Map<string, string>;
  /** Requests that failed or got an unexpected status before the kill. */
  errorsBeforeKill: string[];
  /** Requests cut off by the kill (in flight, or sent after it). */
  cutOff: number;
}

/** WRITERS loops of POST /api/v1/organizations; the server is killed with SIGKILL after KILL_AFTER_MS. */
async function burstAndKill(server: ServerProcess, token: string): Promise<Burst> {
  const burst: Burst = { acked: new Map(), errorsBeforeKill: [], cutOff: 0 };
  let killed = false;
  const writer = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const creditCode = creditCodeFor(w, i);
      try {
        const res = await fetch(`${server.url}/api/v1/organizations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ parentId: null, name: `崩溃测试建设单位 ${w}-${i}`, kind: 'construction_unit', creditCode }),
        });
        const text = await res.text();
        if (res.status === 201) {
          burst.acked.set(creditCode, (JSON.parse(text) as Org).id);
        } else if (!killed) {
          burst.errorsBeforeKill.push(`${res.status} ${text}`);
        }
      } catch (e) {
        // Connection reset or refused: the request was cut off by the kill (or, before it, a bug).
        if (killed) burst.cutOff++;
        else burst.errorsBeforeKill.push(String((e as Error).cause ?? e));
        if (killed) return;
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  // Kill after KILL_AFTER_MS, but not before a few writes per writer were acknowledged (a
  // slow machine), and not later than MAX_BURST_MS.
  const started = Date.now();
  await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
  while (burst.acked.size < MIN_ACKED && burst.errorsBeforeKill.length === 0 && Date.now() - started < MAX_BURST_MS) {
    await new Promise((r) => setTimeout(r, 20));
  }
  server.child.kill('SIGKILL');
  killed = true;
  await server.kill9();
  await Promise.all(writers);
  return burst;
}

/** Every page of GET /api/v1/audit/events?action=organization.create. */
async function organizationCreateEvents(url: string, token: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let page = 1; ; page++) {
    const res = await apiRequest<{ items: AuditEvent[]; total: number }>(
      url, token, 'GET', `/api/v1/audit/events?action=organization.create&pageSize=200&page=${page}`);
    expect(res.status).toBe(200);
    events.push(...res.body.items);
    if (res.body.items.length < 200 || events.length >= res.body.total) {
      expect(events.length).toBe(res.body.total);
      return events;
    }
  }
}

describe.each(['pglite', 'postgresql'] as const)('crash safety (%s)', (kind) => {
  it(`SPEC §10: kill -9 during writes loses no acknowledged write (${kind})`, async () => {
    const dataDir = tempDir();
    cleanups.push(() => removeDir(dataDir));
    let databaseUrl: string | undefined;
    if (kind === 'postgresql') {
      const server = await createServerDatabase();
      cleanups.push(server.drop);
      databaseUrl = server.url;
    }
    const inst: Installation = { dataDir, masterKey: randomMasterKey(), databaseUrl };

    // 1. Start, sign in as the administrator, write concurrently, kill -9 mid-burst.
    const first = await startServer(inst, { demo: true });
    const health = await apiRequest<{ database: string }>(first.url, null, 'GET', '/api/v1/health');
    expect(health.body.database).toBe(kind);
    const adminToken = await signInHttp(first.url, 'admin');
    const burst = await burstAndKill(first, adminToken);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(burst.errorsBeforeKill).toEqual([]);
    expect(burst.acked.size).toBeGreaterThanOrEqual(MIN_ACKED); // the burst really wrote
    expect(burst.cutOff).toBeGreaterThan(0); // and the kill really hit it mid-way

    // 2. Restart on the same data; read back as the auditor (no second factor needed).
    const second = await startServer(inst, { demo: true });
    const auditorToken = await signInHttp(second.url, 'auditor');
    const orgs = await apiRequest<{ items: Org[] }>(second.url, auditorToken, 'GET', '/api/v1/organizations');
    expect(orgs.status).toBe(200);
    const byId = new Map(orgs.body.items.map((o) => [o.id, o]));
    const events = await organizationCreateEvents(second.url, auditorToken);

    // Every acknowledged write survived, with the data that was acknowledged.
    const lost = [...burst.acked].filter(([code, id]) => byId.get(id)?.creditCode !== code);
    expect(lost).toEqual([]);
    // Writes that were in flight may or may not have committed, but no more than one per writer.
    const demoCodes = new Set(DEMO_ORGS.map((o) => o.creditCode));
    const unacknowledged = orgs.body.items.filter((o) => !demoCodes.has(o.creditCode) && !burst.acked.has(o.creditCode));
    expect(unacknowledged.length).toBeLessThanOrEqual(WRITERS);
    for (const o of unacknowledged) expect(o.creditCode).toMatch(/^12100000X/);
    expect(orgs.body.items.length).toBe(DEMO_ORGS.length + burst.acked.size + unacknowledged.length);

    // No organization without its creation event, no creation event without its organization.
    expect(events.every((e) => e.objectType === 'organization' && e.outcome === 'success')).toBe(true);
    const eventObjects = events.map((e) => e.objectId!);
    expect(new Set(eventObjects).size).toBe(eventObjects.length);
    expect([...eventObjects].sort()).toEqual([...byId.keys()].sort());

    // 3. Stop (PGlite's data directory is opened by one process only) and verify the log.
    const stopped = await second.stop();
    expect(stopped.code, second.stderr()).toBe(0);
    const verify = await verifyAuditCli(inst);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.report?.status).toBe('intact');
    expect(verify.report?.problems).toEqual([]);
    expect(verify.report!.eventsChecked).toBeGreaterThanOrEqual(events.length);
    expect(verify.report!.checkpointsChecked).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);
});
