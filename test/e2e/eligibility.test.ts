// 运维经费资格 (第二十八条) and 安全与资源 (第十四条–第十七条) in Debian's Chromium, against a real server
// with the demo seed: 财政部 opens the eligibility list, sees eligible and ineligible systems with
// each reason tagged by its clause, filters by clause and exports; the preparer opens a system
// whose 密评 failed, records a passing 密评 in the 安全与资源 section and the system becomes
// eligible. Screenshots: docs/screenshots/eligibility-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiClient, DOC_SCREENSHOTS, launchChromium, pickOption, settle, signIn, TotpSteps, type BrowserUser } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const TOTP_USERS = new Set(['mof', 'unitlead', 'ndrc']);

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let client: ReturnType<typeof apiClient>;
const totp = new TotpSteps();
const users = new Map<string, BrowserUser>();

async function signInAs(username: string): Promise<void> {
  users.set(username, await signIn(browser, server.url, username, TOTP_USERS.has(username) ? { totp } : {}));
}

beforeAll(async () => {
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  client = apiClient(server.url);
  browser = await launchChromium();
  await signInAs('mof');
  await signInAs('preparer');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('运维经费资格 (第二十八条)', () => {
  it('第二十八条: 财政部 sees every system with its reasons by clause, filters by clause and exports', async () => {
    const { page, token } = users.get('mof')!;
    await page.goto(`${server.url}/catalog/eligibility`);
    const card = page.locator('.ant-table-row', { hasText: '全国社会保障卡持卡人员基础信息库' });
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => card.locator('.eligible-tag').getAttribute('data-eligible')).toBe('false');
    expect(await card.locator('.clause-tag').first().getAttribute('data-clause')).toBe('三');
    await expect.poll(() => card.textContent()).toContain('密码应用安全性评估未通过');
    const ok = page.locator('.ant-table-row', { hasText: '社会保险公共服务平台' });
    expect(await ok.locator('.eligible-tag').getAttribute('data-eligible')).toBe('true');
    // The counts are the API's, over the whole list.
    const all = await client.ok<{ counts: { eligible: number; ineligible: number } }>(token, 'GET', '/eligibility');
    await expect.poll(() => page.locator('.eligibility-counts').textContent()).toContain(String(all.counts.ineligible));
    await page.locator('.ant-menu', { hasText: '目录管理' }).getByText('运维经费资格').waitFor({ state: 'visible' });
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'eligibility-list.png'), fullPage: true });

    // Filter by clause: 孤网 without an exception.
    await pickOption(page, page.locator('.filter-clause'), { text: '孤网无例外' });
    await page.getByRole('button', { name: /查\s?询/ }).click();
    await expect.poll(async () => (await page.locator('.ant-table-row').allTextContents()).join('|'), { timeout: 20_000 }).toContain('计量检测数据采集分析系统');
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'eligibility-isolated.png') });

    const download = page.waitForEvent('download');
    await page.locator('.eligibility-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('运维经费资格清单.xlsx');

    // The same list in English (this machine may lack CJK fonts: the English one reads anyway).
    await page.getByText('English', { exact: true }).first().click();
    await expect.poll(() => page.locator('.eligibility-counts').textContent(), { timeout: 20_000 }).toContain('Not eligible');
    await page.getByRole('button', { name: /Reset/ }).click();
    await expect.poll(() => page.locator('.ant-table-row').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'eligibility-list-en.png'), fullPage: true });
  });

  it('第十五条, 第二十八条: the preparer records a passing 密评 and the system becomes eligible', async () => {
    const { page, token } = users.get('preparer')!;
    const list = await client.ok<{ items: Array<{ id: string; name: string }> }>(token, 'GET', '/systems?q=全国社会保障卡持卡人员基础信息库');
    const id = list.items[0]!.id;
    await page.goto(`${server.url}/catalog/systems/${id}`);
    const eligibility = page.locator('.eligibility-card');
    await eligibility.waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => eligibility.locator('.eligible-tag').getAttribute('data-eligible'), { timeout: 20_000 }).toBe('false');
    await expect.poll(() => eligibility.textContent()).toContain('密码应用安全性评估未通过');
    await page.locator('.system-security-section').scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'eligibility-system-before.png') });

    await page.locator('.security-record-add').click();
    const drawer = page.locator('.security-record-drawer');
    await drawer.waitFor({ state: 'visible' });
    await pickOption(page, drawer.locator('.record-kind-select'), { text: '密码应用安全性评估' });
    await expect.poll(() => drawer.locator('.record-kind-select').textContent()).toContain('密码应用安全性评估');
    await drawer.locator('.ant-radio-button-wrapper', { hasText: /^通过$/ }).click();
    await drawer.getByLabel('报告编号').fill('MP-2026-E2E');
    await drawer.getByLabel('测评/评估机构').fill('商用密码检测中心');
    await drawer.getByLabel('密评得分（0–100）').fill('88.5');
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'eligibility-record-form.png') });
    await drawer.locator('.security-record-save').click();
    await drawer.waitFor({ state: 'hidden', timeout: 20_000 });
    await expect.poll(() => eligibility.locator('.eligible-tag').getAttribute('data-eligible'), { timeout: 20_000 }).toBe('true');
    await expect.poll(() => page.locator('.security-records-table').textContent()).toContain('MP-2026-E2E');
    await page.locator('.system-security-section').scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'eligibility-system-after.png') });
  });

  it('第十四条–第十七条: a project\'s 安全与资源 tab shows its systems\' eligibility and the records about them', async () => {
    const { page, token } = users.get('preparer')!;
    const found = await client.ok<{ items: Array<{ id: string; name: string }> }>(token, 'GET', `/projects?q=${encodeURIComponent('人社系统数据中心运维服务项目')}`);
    await page.goto(`${server.url}/projects/${found.items[0]!.id}`);
    await page.getByRole('tab', { name: '安全与资源' }).click();
    const tab = page.locator('.project-security-tab');
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => tab.textContent(), { timeout: 20_000 }).toContain('人社数据中心运行监控系统');
    await expect.poll(() => tab.textContent()).toContain('重大安全隐患');
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'eligibility-project-tab.png') });
  });
});
