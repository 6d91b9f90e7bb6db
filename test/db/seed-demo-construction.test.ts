// The demo's construction phase (第十三条, 第十九条–第二十二条): `npm start` shows a filed project
// with its records, an annual report and a rectification order, all made through the use cases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSTRUCTION_PROJECT, seedDemoConstruction } from '../../src/usecases/seed-demo-construction.ts';
import { getConstruction } from '../../src/usecases/construction-records.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { DEMO_TOTP, demoActor, seedTestDemo } from '../support/fixtures.ts';

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'govproj-demo-construction-'));
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo construction data', () => {
  it('第十三条, 第十九条–第二十一条: a filed demo project with records, a secret-related procurement, a report and an order', async () => {
    const services = testServices(t.database, { dataDir: dir });
    await seedTestDemo(services);
    await seedDemoConstruction(services, DEMO_TOTP);
    const project = await t.database.db.selectFrom('projects').select(['id', 'status']).where('name', '=', DEMO_CONSTRUCTION_PROJECT).executeTakeFirstOrThrow();
    expect(project.status).toBe('filed');
    const c = await getConstruction(services, await demoActor(services, 'approver'), project.id);
    expect(c.record).toMatchObject({ supervisorName: '北京国信安达信息工程监理有限公司' });
    expect(c.procurements.map((p) => p.secretRelated)).toEqual([false, true]);
    expect(c.contracts).toHaveLength(2);
    expect(c.annualReports.reports).toEqual([expect.objectContaining({ indicatorActuals: [
      expect.objectContaining({ met: true }), expect.objectContaining({ met: false }), expect.objectContaining({ met: true }),
    ] })]);
    expect(c.orders).toEqual([expect.objectContaining({ kind: 'rectification', rectificationStatus: 'open', signatureValid: true })]);
  });
});
