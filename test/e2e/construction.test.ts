// 建设实施 (第十三条, 第十九条–第二十二条) in Debian's Chromium against a real server with the demo
// seed: the preparer opens the demo project's 建设实施 tab (records, procurement with the 涉密 tag,
// contracts, the annual report with indicators met / not met, the rectification order), records a
// procurement (a 涉密 one cannot pick 公开招标), then the approval department suspends construction
// and the whole project page carries the red banner until it is lifted. Screenshots land in
// docs/screenshots/construction-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_CONSTRUCTION_PROJECT } from '../../src/usecases/seed-demo-construction.ts';
import { apiClient, DOC_SCREENSHOTS, launchChromium, openSelect, settle, signIn, TotpSteps, type BrowserUser } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const TOTP_USERS = new Set(['approver']);

let projectId = '';

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let client: ReturnType<typeof apiClient>;
const totp = new TotpSteps();
const users = new Map<string, BrowserUser>();

async function signInAs(username: string): Promise<BrowserUser> {
  const user = await signIn(browser, server.url, username, TOTP_USERS.has(username) ? { totp } : {});
  users.set(username, user);
  return user;
}

beforeAll(async () => {
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  client = apiClient(server.url);
  browser = await launchChromium();
  const preparer = await signInAs('preparer');
  // The demo seed signed its rectification order with the approver's code of that moment: take the next one.
  totp.used('approver');
  await signInAs('approver');
  const list = await client.call<{ items: Array<{ id: string; name: string }> }>(preparer.token, 'GET', `/projects?q=${encodeURIComponent('一卡通')}`);
  projectId = list.body.items.find((p) => p.name === DEMO_CONSTRUCTION_PROJECT)!.id;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('建设实施 (第十三条, 第十九条–第二十二条)', () => {
  it('第十九条, 第二十条: the demo project’s construction tab shows its records, reports and orders; a procurement is recorded', async () => {
    const { page } = users.get('preparer')!;
    await page.goto(`${server.url}/projects/${projectId}?tab=construction`);
    const tab = page.locator('.construction-tab');
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await tab.getByText('北京国信安达信息工程监理有限公司').waitFor();
    await expect.poll(() => tab.getByText('涉密 · 按涉密程序采购').count()).toBe(1);
    await tab.locator('.construction-reports .ant-tag', { hasText: '已提交' }).waitFor();
    await tab.locator('.construction-orders .ant-tag', { hasText: '整改中' }).waitFor();
    // The submitted report opens to its indicators, met and not met.
    await tab.locator('.construction-reports .ant-table-row-expand-icon').first().click();
    await tab.locator('.construction-reports .ant-tag', { hasText: '未达成' }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'construction-tab.png'), fullPage: true });

    // I-48: a 涉密 procurement cannot choose an openly announced method.
    await tab.getByRole('button', { name: '登记采购' }).click();
    const modal = page.locator('.ant-modal', { hasText: '登记采购' });
    await modal.waitFor({ state: 'visible' });
    await modal.getByLabel('采购项目名称').fill('数据中心云资源租赁服务');
    await modal.getByText('涉密采购').click();
    const dropdown = await openSelect(page, modal.locator('.ant-select').first());
    await expect.poll(() => dropdown.locator('.ant-select-item-option-disabled', { hasText: '公开招标' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await modal.getByText('涉密采购').click();
    const again = await openSelect(page, modal.locator('.ant-select').first());
    await again.locator('.ant-select-item-option', { hasText: '竞争性磋商' }).click();
    await modal.getByLabel('中标（成交）日期').click();
    await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-now-btn, .ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-today-btn').first().click();
    await modal.getByLabel('金额（万元）').fill('86.40');
    await modal.getByLabel('中标（成交）供应商').fill('某云计算服务有限公司');
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'construction-procurement-form.png') });
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await tab.locator('.ant-table-row', { hasText: '数据中心云资源租赁服务' }).waitFor({ timeout: 15_000 });
    const c = await client.call<{ procurements: Array<{ subject: string; method: string; amount: string }> }>(users.get('preparer')!.token, 'GET', `/projects/${projectId}/construction`);
    expect(c.body.procurements).toContainEqual(expect.objectContaining({ subject: '数据中心云资源租赁服务', method: 'competitive_consultation', amount: '86.40' }));
  });

  it('第二十一条: a suspension puts a red banner across the project page and hides the unit’s buttons until lifted', async () => {
    const approver = users.get('approver')!;
    const suspended = await client.call<{ orders: Array<{ id: string; kind: string; standing: boolean }> }>(approver.token, 'POST', `/projects/${projectId}/construction/orders`, {
      kind: 'suspension', opinion: '跨省通办模块整改期间暂停建设', totp: await totp.next('approver'),
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(201);
    const { page } = users.get('preparer')!;
    await page.goto(`${server.url}/projects/${projectId}?tab=construction`);
    await page.locator('.construction-suspended-banner').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.construction-orders .ant-tag', { hasText: '暂停中' }).waitFor();
    expect(await page.locator('.construction-tab').getByRole('button', { name: '登记采购' }).count()).toBe(0);
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'construction-suspended.png'), fullPage: true });

    const order = suspended.body.orders.find((o) => o.standing)!;
    const lifted = await client.call(approver.token, 'POST', `/projects/${projectId}/construction/orders/${order.id}/lift`, { reason: '整改措施已落实', totp: await totp.next('approver') });
    expect(lifted.status).toBe(200);
    await page.reload();
    await page.locator('.construction-tab').getByRole('button', { name: '登记采购' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.construction-suspended-banner').count()).toBe(0);
  });
});
