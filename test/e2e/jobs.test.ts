// The job runner in a real `govproj serve` (GOVPROJ_JOBS=on, PGlite: the server's one database
// connection shared with pg-boss): it starts, the checkpoint schedule signs checkpoints while the
// server runs, and SIGTERM stops it cleanly; `govproj jobs` then lists the schedules and the jobs.
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiRequest, killAllChildren, randomMasterKey, removeDir, runCli, signInHttp, startServer, tempDir, type Installation,
} from '../support/server-process.ts';

const TIMEOUT_MS = 120_000;

const cleanups: Array<() => void> = [];
afterEach(async () => {
  await killAllChildren();
  for (const c of cleanups.splice(0)) c();
}, 60_000);

describe('job runner in a server process', () => {
  it('第三十一条: a server with GOVPROJ_JOBS=on signs checkpoints on its schedule and stops cleanly', async () => {
    const dataDir = tempDir();
    cleanups.push(() => removeDir(dataDir));
    const inst: Installation = { dataDir, masterKey: randomMasterKey() };
    const server = await startServer(inst, { demo: true, checkpointSeconds: 1, env: { GOVPROJ_JOBS: 'on' } });
    const token = await signInHttp(server.url, 'auditor');

    // The demo seed wrote audit events; the 1-second schedule signs them while the server runs.
    const deadline = Date.now() + 30_000;
    let verified = await apiRequest<{ status: string; checkpointsChecked: number }>(server.url, token, 'GET', '/api/v1/audit/verify');
    while (verified.body.checkpointsChecked === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      verified = await apiRequest(server.url, token, 'GET', '/api/v1/audit/verify');
    }
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'intact' });
    expect(verified.body.checkpointsChecked).toBeGreaterThan(0);

    const started = Date.now();
    const stopped = await server.stop();
    expect(stopped, server.stderr()).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(server.stderr()).not.toMatch(/job runner error|job failed/);

    const listed = await runCli(inst, ['jobs', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const overview = JSON.parse(listed.stdout) as {
      installed: boolean; schedules: Array<{ name: string; schedule: string; timezone: string }>;
      queues: Array<{ name: string; states: Record<string, number> }>;
    };
    expect(overview.installed).toBe(true);
    expect(overview.schedules).toEqual([
      expect.objectContaining({ name: 'email.deliver', schedule: 'FREQ=MINUTELY;INTERVAL=1', timezone: 'Asia/Shanghai' }),
      expect.objectContaining({ name: 'obligations.sweep', schedule: '0 8 * * *', timezone: 'Asia/Shanghai' }),
      expect.objectContaining({ name: 'worklist.reminders', schedule: '30 8 * * *', timezone: 'Asia/Shanghai' }),
    ]);
    expect(overview.queues.find((q) => q.name === 'audit.checkpoint')?.states.completed).toBeGreaterThan(0);
    const text = await runCli(inst, ['jobs']);
    expect(text.stdout).toContain('worklist.reminders');
    expect(text.stdout).toMatch(/audit\.checkpoint\s+completed \d+/);
  }, TIMEOUT_MS);
});
