// 履约日历 in Debian's Chromium against a real server with the demo seed (第二十条, 第二十五条,
// 第二十七条): the demo unit's preparer sees its projects' and systems' deadlines on the month
// calendar, with overdue and due-soon coloured, then as a list filtered to overdue. Screenshots
// land in docs/screenshots/ (obligations-calendar.png, obligations-list.png).
//
// The demo's due-soon acceptance application falls 20 days from today, which may be next month:
// the test opens the calendar at that month through the address (?month=YYYY-MM), as a link would.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiClient, DOC_SCREENSHOTS, launchChromium, settle, signIn } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

let inst: Installation;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('履约日历', () => {
  it('第二十五条, 第二十七条: the unit sees its deadlines on the month calendar and lists the overdue ones', async () => {
    const preparer = await signIn(browser, server.url, 'preparer', { viewport: { width: 1440, height: 1000 } });
    const api = apiClient(server.url);
    const soon = await api.ok<{ items: Array<{ dueOn: string; kind: string }> }>(preparer.token, 'GET', '/obligations?status=dueSoon&kind=acceptanceApplication&pageSize=5');
    expect(soon.items.length, 'the demo has a due-soon acceptance application').toBeGreaterThan(0);
    const dueOn = soon.items[0]!.dueOn;

    const page = preparer.page;
    await page.goto(`${server.url}/obligations?month=${dueOn.slice(0, 7)}`);
    await page.locator('.obligation-summary').waitFor({ state: 'visible', timeout: 20_000 });
    const cell = page.locator(`td[title="${dueOn}"] .obligation-item.obligation-dueSoon`);
    await cell.first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator(`td[title="${dueOn}"]`).textContent()).toContain('申请竣工验收');
    await settle(page, { x: 10, y: 990 });
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'obligations-calendar.png') });

    await page.getByText('列表', { exact: true }).click();
    const table = page.locator('.obligation-table');
    await table.locator('.ant-table-row').first().waitFor({ state: 'visible', timeout: 20_000 });
    // The list may first show the rows it already had and then its own query's: poll until it settles.
    await expect.poll(() => table.locator('.obligation-row-overdue').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('申请竣工验收');
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('人社部网上办事大厅适老化改造项目（演示，已备案）');
    await settle(page, { x: 10, y: 990 });
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'obligations-list.png') });
    await preparer.context.close();
  }, 120_000);
});
