// The routes behind the organizers' spot-check pages (web/src/pages/spotchecks/): the inspector
// candidates (spotcheck:manage: the organizing bodies, not the auditor) and the .xlsx export of the
// list (spotcheck:read: auditors too), with the organization conflicts are decided by.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { bearer, openDemoApp, signIn, type DemoApp, type Session } from '../support/fixtures.ts';

let demo: DemoApp;
let ndrc: Session;
let auditor: Session;

beforeAll(async () => {
  demo = await openDemoApp();
  ndrc = await signIn(demo.app, demo.services, 'ndrc');
  auditor = await signIn(demo.app, demo.services, 'auditor');
}, 180_000);
afterAll(async () => {
  await demo.app.close();
  await demo.t.drop();
});

const get = (path: string, s: Session) => demo.app.inject({ method: 'GET', url: path, headers: bearer(s) });

describe('spot-check organizer routes', () => {
  it('inspector candidates: active users with the organization createSpotCheck takes, searchable', async () => {
    const all = await get('/api/v1/spot-checks/inspector-candidates', ndrc);
    expect(all.statusCode).toBe(200);
    const items = all.json() as Array<{ id: string; username: string; organizationId: string; organizationName: string }>;
    expect(items.length).toBeGreaterThan(5);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    // The organization is the user's first by id, as the pool freezes it.
    const db = demo.t.database.db;
    for (const c of items.slice(0, 5)) {
      const first = await db.selectFrom('user_organizations').select('organization_id').where('user_id', '=', c.id).orderBy('organization_id').executeTakeFirstOrThrow();
      expect(c.organizationId).toBe(first.organization_id);
    }
    const mof = (await get('/api/v1/spot-checks/inspector-candidates?q=mof', ndrc)).json() as typeof items;
    expect(mof.map((i) => i.username)).toEqual(['mof']);
    // LIKE wildcards are literal.
    expect((await get(`/api/v1/spot-checks/inspector-candidates?q=${encodeURIComponent('%')}`, ndrc)).json()).toEqual([]);
    // Disabled users are not offered.
    await db.updateTable('users').set({ status: 'disabled' }).where('username', '=', 'mof').execute();
    expect((await get('/api/v1/spot-checks/inspector-candidates?q=mof', ndrc)).json()).toEqual([]);
    await db.updateTable('users').set({ status: 'active' }).where('username', '=', 'mof').execute();
    // The auditor reads spot checks but does not organize them.
    expect((await get('/api/v1/spot-checks/inspector-candidates', auditor)).statusCode).toBe(403);
  });

  it('exports every spot check to .xlsx (auditors too), one row each with its seed and result digest', async () => {
    const list = (await get('/api/v1/spot-checks?pageSize=100', auditor)).json() as { total: number; items: Array<{ title: string; seed: string | null; resultDigest: string | null }> };
    expect(list.total).toBeGreaterThan(0);
    const res = await get('/api/v1/spot-checks/export', auditor);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(list.total + 1);
    const rows = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row, n) => { if (n > 1) rows.set(String(row.getCell(1).value), row); });
    for (const s of list.items) {
      const row = rows.get(s.title)!;
      expect(row, s.title).toBeDefined();
      expect(row.getCell(9).value ?? null).toBe(s.seed);
      expect(row.getCell(10).value ?? null).toBe(s.resultDigest);
    }
  });
});
