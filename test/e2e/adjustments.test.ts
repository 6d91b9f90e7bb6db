// 第二十三条 in Debian's Chromium on the demo project under construction (3,000 万元 approved, one
// adjustment of 150 万元 already self-filed): the preparer types an adjustment, the live meter
// shows exactly 15.00% as self-filed, then past the threshold as re-approval before anything is
// sent; filed, it waits for the approval department, whose approver decides it (signed, one-time
// code). Screenshots: docs/screenshots/adjustments-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_CONSTRUCTION_PROJECT } from '../../src/usecases/seed-demo-investment.ts';
import { DOC_SCREENSHOTS, launchChromium, settle, signIn, TotpSteps } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

let projectId = '';

async function openTab(page: Page): Promise<Locator> {
  await page.goto(`${server.url}/projects/${projectId}`);
  await page.getByRole('tab', { name: '投资与调整' }).click({ timeout: 30_000 });
  const tab = page.locator('.investment-tab');
  await tab.locator('.money-adjust-table').waitFor({ state: 'visible', timeout: 20_000 });
  return tab;
}

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
const totp = new TotpSteps();

beforeAll(async () => {
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('adjustments in the browser (第二十三条)', () => {
  it('第二十三条: the meter shows 15.00% as self-filed and past it as re-approval; the approval department decides it', async () => {
    const preparer = await signIn(browser, server.url, 'preparer');
    const found = await fetch(`${server.url}/api/v1/projects?q=${encodeURIComponent('技能人才评价监管')}`, { headers: { authorization: `Bearer ${preparer.token}` } });
    projectId = ((await found.json()) as { items: Array<{ id: string; name: string }> }).items.find((p) => p.name === DEMO_CONSTRUCTION_PROJECT)!.id;

    const page = preparer.page;
    const tab = await openTab(page);
    // The running total before: 150 of 3,000 万元 = 5.00%.
    await expect.poll(() => tab.locator('.money-current-meter').innerText()).toContain('累计 5.00% / 阈值 15.00%');
    expect(await tab.locator('.money-releases .ant-table-row').count()).toBe(3);
    expect(await tab.locator('.money-spending .ant-table-row').count()).toBe(3);
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'adjustments-tab-1440.png'), fullPage: true });

    await tab.locator('.money-adjust-add').click();
    const drawer = page.locator('.money-adjust-drawer').filter({ visible: true });
    await drawer.waitFor({ state: 'visible' });
    await drawer.locator('.money-adjust-line-0 .money-line-content').fill('新增职业技能等级认定大数据分析子系统');
    await drawer.locator('.money-adjust-line-0 .money-line-change').fill('300');
    await drawer.locator('.money-adjust-line-1 .money-line-content').fill('压减线下考点标准化改造');
    await drawer.locator('.money-adjust-line-1 .money-line-change').fill('-300');
    // Exactly 15.00%: self-filed (不超过).
    const meter = drawer.locator('.money-live-meter');
    await expect.poll(() => meter.innerText(), { timeout: 15_000 }).toContain('累计 15.00% / 阈值 15.00%');
    expect(await meter.getAttribute('data-over')).toBe('false');
    await expect.poll(() => drawer.locator('.money-live-route').innerText()).toContain('可自行调整并报审批部门备案');
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'adjustments-meter-15.00-1440.png') });

    // 330 each way: 480 of 3,000 = 16.00%, past the threshold; the route is shown before sending.
    await drawer.locator('.money-adjust-line-0 .money-line-change').fill('330');
    await drawer.locator('.money-adjust-line-1 .money-line-change').fill('-330');
    await expect.poll(() => meter.innerText(), { timeout: 15_000 }).toContain('累计 16.00% / 阈值 15.00%');
    expect(await meter.getAttribute('data-over')).toBe('true');
    await expect.poll(() => drawer.locator('.money-live-route').innerText()).toContain('须重新报批');
    expect(await drawer.locator('.money-live-route').innerText()).toContain('第二十三条');
    expect(await drawer.locator('.money-live-figures').innerText()).toMatch(/此前累计\s*150\.00/);
    await expect.poll(() => drawer.locator('.money-adjust-submit').innerText()).toContain('提交重新报批');
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'adjustments-meter-over-1440.png') });
    await drawer.locator('.money-adjust-submit').click();
    await drawer.waitFor({ state: 'hidden', timeout: 20_000 });
    const row = tab.locator('.money-adjust-table .ant-table-row').nth(1);
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('重新报批');
    expect(await row.innerText()).toContain('待决定');
    // Never silently self-filed: the running total stays at 5.00% until the department decides.
    expect(await tab.locator('.money-current-meter').innerText()).toContain('累计 5.00%');

    // The approval department's approver decides it: opinion and a one-time code, signed.
    const approver = await signIn(browser, server.url, 'approver', { totp });
    const atab = await openTab(approver.page);
    await atab.locator('.money-adjust-decide').click();
    const modal = approver.page.locator('.money-decision-modal').filter({ visible: true });
    await modal.waitFor({ state: 'visible' });
    await modal.locator('.money-decision-opinion').fill('同意调整。新增大数据分析子系统符合建设目标，调整后按新核定概算 3,000.00 万元执行。');
    await modal.locator('.money-decision-totp').fill(await totp.next('approver'));
    await settle(approver.page);
    await approver.page.screenshot({ path: join(DOC_SCREENSHOTS, 'adjustments-decision-1440.png') });
    await modal.locator('.ant-btn-primary').click();
    await modal.waitFor({ state: 'hidden', timeout: 20_000 });
    const decided = atab.locator('.money-adjust-table .ant-table-row').nth(1);
    await expect.poll(() => decided.innerText(), { timeout: 15_000 }).toContain('已同意');
    // I-16: the re-approved total is the new baseline; the cumulative count starts again.
    await expect.poll(() => atab.locator('.money-current-meter').innerText()).toContain('累计 0.00%');
    await settle(approver.page);
    await approver.page.screenshot({ path: join(DOC_SCREENSHOTS, 'adjustments-decided-1440.png'), fullPage: true });
  });
});
