// The signed-in side of 双随机、一公开 (SPEC §9) and the auditor's workspace (第三十一条) in Debian's
// Chromium against a real server with the demo seed. NDRC creates a spot check on its page (the
// checklist, the target pool filter, an inspector pool picked by search, the rules), sees the
// frozen pools, draws from an announced seed, records outcomes and publishes them; the public page
// re-draws it from the published inputs and matches, and says the inputs differ for a changed seed.
// The auditor then searches the audit trail by free text (the before/after diff of the draw) and
// verifies the SM2 signatures of the signed decisions. Screenshots: test/output/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiClient, DESKTOP, expectNoHorizontalScroll, launchChromium, phonePage, pickOption, SCREENSHOTS, settle, signIn, TotpSteps, type BrowserUser } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

// Each step drives a real browser against a real server on a shared machine.
vi.setConfig({ testTimeout: 180_000 });

const SEED = 'a1b2'.repeat(16);
const TITLE = '2026年第四批政务信息化项目双随机抽查（浏览器测试）';
const INSPECTORS = ['mof', 'cac', 'gooffice', 'assessor', 'supervisor', 'evaluator'];

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let spotCheckId = '';
const totp = new TotpSteps();
const api = { ok: <T>(token: string, method: string, path: string) => apiClient(server.url).ok<T>(token, method, path) };
const contexts: BrowserContext[] = [];

async function shot(page: Page, name: string) {
  await settle(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** A signed-in browser page for `username` (none of these users has a second factor in the demo). */
async function session(username: string, secondFactor = false): Promise<BrowserUser> {
  const user = await signIn(browser, server.url, username, secondFactor ? { totp } : {});
  contexts.push(user.context);
  user.context.setDefaultTimeout(60_000);
  user.context.setDefaultNavigationTimeout(60_000);
  return user;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await launchChromium();
}, 480_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('双随机、一公开: the organizers\' pages', () => {
  let ndrc: BrowserUser;

  it('NDRC creates a spot check: checklist, target pool filter, inspector pool, rules; the pools are frozen and shown', async () => {
    ndrc = await session('ndrc', true);
    const { page } = ndrc;
    await page.goto(`${server.url}/spot-checks`);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible' });
    await shot(page, 'spot-checks-list');
    await page.getByRole('button', { name: '新建抽查' }).click();
    const drawer = page.locator('.ant-drawer-content').filter({ visible: true });
    await drawer.getByLabel('抽查名称').fill(TITLE);
    // The inspector pool: search each by username and pick the one the search finds. The option
    // shows the person and the organization conflicts are decided by (the same text the API gives).
    const picker = drawer.locator('[data-testid="spot-inspectors"]');
    const labels: string[] = [];
    for (const username of INSPECTORS) {
      const found = await api.ok<Array<{ username: string; displayName: string; organizationName: string }>>(ndrc.token, 'GET', `/spot-checks/inspector-candidates?q=${username}`);
      const candidate = found.find((c) => c.username === username);
      expect(candidate, `${username} is a candidate`).toBeDefined();
      const label = `${candidate!.displayName}（${candidate!.organizationName}）`;
      labels.push(label);
      await pickOption(page, picker, { search: username, text: label });
      // A multiple select stays open after a pick: close it before the next search.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count(), { timeout: 10_000 }).toBe(0);
    }
    await expect.poll(() => picker.locator('.ant-select-selection-item').allTextContents(), { timeout: 20_000 }).toEqual(labels);
    await shot(page, 'spot-check-create');
    await drawer.locator('[data-testid="spot-create-submit"]').click();
    await page.waitForURL(/\/spot-checks\/[0-9a-f-]{36}$/);
    spotCheckId = page.url().split('/').pop()!;
    await page.locator('text=已公布抽查库，待抽取').first().waitFor({ state: 'visible' });
    // Both pools are published: the inspectors with their names for the organizers.
    const pool = page.locator('.ant-card', { hasText: '检查人员库（6 名）' });
    await expect.poll(() => pool.locator('.ant-table-row').count(), { timeout: 30_000 }).toBe(6);
    for (const label of labels) expect(await pool.textContent()).toContain(label.slice(0, label.indexOf('（')));
    await shot(page, 'spot-check-pools');
  });

  it('draws from an announced seed, records outcomes and publishes them', async () => {
    const { page } = ndrc;
    await page.goto(`${server.url}/spot-checks/${spotCheckId}`);
    await page.getByLabel('事先公布的种子（可不填）').fill(SEED);
    await page.locator('[data-testid="spot-draw"]').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定/ }).click();
    await page.locator('text=已抽取，检查中').first().waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('.ant-card', { hasText: '抽取结果' }).locator('.ant-table-row').count(), { timeout: 30_000 }).toBe(2);
    await page.locator('[data-testid="spot-fill-pass"]').click();
    // One item fails, with what was wrong.
    const firstC1 = page.locator('.ant-select', { has: page.getByLabel(/^T\d{3} C1$/) }).first();
    await pickOption(page, firstC1, { text: '不合格' });
    await page.getByPlaceholder('问题说明').first().fill('未按批复开展密码应用安全性评估');
    await shot(page, 'spot-check-outcomes-entry');
    await page.locator('[data-testid="spot-save-outcomes"]').click();
    await page.locator('text=检查结果已保存').waitFor({ state: 'visible' });
    await page.locator('[data-testid="spot-conclude"]').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定/ }).click();
    await page.locator('text=检查结果已在开放数据门户公开').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('.ant-tag', { hasText: '不合格' }).count(), { timeout: 30_000 }).toBe(1);
    await shot(page, 'spot-check-concluded');
    // The list exports to .xlsx.
    await page.goto(`${server.url}/spot-checks`);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible' });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /导\s*出/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  });

  it('the public page re-draws it and matches; a changed seed: the inputs differ', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    contexts.push(context);
    context.setDefaultTimeout(60_000);
    context.setDefaultNavigationTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/open/spot-checks/${spotCheckId}`);
    const seedInput = page.getByLabel('随机种子（64 位十六进制）');
    await seedInput.waitFor({ state: 'visible' });
    await expect.poll(() => seedInput.inputValue(), { timeout: 30_000 }).toBe(SEED);
    await page.getByRole('button', { name: '重新抽取并比对' }).click();
    const result = page.locator('[data-testid="redraw-result"]');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('一致：重新抽取的结果与公布的结果一致');
    await result.scrollIntoViewIfNeeded();
    await shot(page, 'spot-check-public-redraw-match');
    await seedInput.fill(`b${SEED.slice(1)}`);
    await page.getByRole('button', { name: '重新抽取并比对' }).click();
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('不一致：输入与公布的不同');
    expect(await result.textContent()).toContain('随机种子摘要不同');
    await result.scrollIntoViewIfNeeded();
    await shot(page, 'spot-check-public-redraw-differ');
  });

  it('on a phone', async () => {
    const page = await phonePage(browser, ndrc);
    contexts.push(page.context());
    page.context().setDefaultTimeout(60_000);
    await page.goto(`${server.url}/spot-checks/${spotCheckId}`);
    await page.locator('text=检查结果已在开放数据门户公开').waitFor({ state: 'visible' });
    await shot(page, 'spot-check-phone');
    await expectNoHorizontalScroll(page);
  });
});

describe('the auditor\'s workspace (第三十一条)', () => {
  let auditor: BrowserUser;

  it('searches the audit trail by free text and sees the before/after diff', async () => {
    auditor = await session('auditor');
    const { page } = auditor;
    await page.goto(`${server.url}/audit/operation-logs`);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible' });
    await page.getByPlaceholder('操作、对象、用户或变更内容中的文字').fill(SEED);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    // The seed appears only in the draw's diff.
    await expect.poll(() => page.locator('.ant-table-row').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('.ant-table-row').first().textContent()).toContain('spotcheck.draw');
    await page.locator('.ant-table-row-expand-icon').first().click();
    const diff = page.locator('.diff-expanded').first();
    await diff.waitFor({ state: 'visible' });
    expect(await diff.textContent()).toContain(SEED);
    await shot(page, 'audit-search-diff');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /导\s*出/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  });

  it('verifies the signature of every signed decision, and opens one: who, when, what', async () => {
    const { page } = auditor;
    await page.goto(`${server.url}/audit/signatures`);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible' });
    const rows = await page.locator('.ant-table-row').count();
    expect(rows).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '签名有效' }).count(), { timeout: 30_000 }).toBe(rows);
    await shot(page, 'audit-signatures');
    await page.locator('.ant-table-row').first().getByText('核验').click();
    const verdict = page.locator('[data-testid="signature-verdict"]');
    await verdict.waitFor({ state: 'visible' });
    expect(await verdict.textContent()).toContain('签名有效');
    await shot(page, 'audit-signature-detail');
  });

  it('the auditor has no write button on the spot checks', async () => {
    const { page } = auditor;
    await page.goto(`${server.url}/spot-checks/${spotCheckId}`);
    await page.locator('text=检查结果已在开放数据门户公开').waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid="spot-draw"], [data-testid="spot-conclude"], [data-testid="spot-save-outcomes"]').count()).toBe(0);
    await page.goto(`${server.url}/spot-checks`);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible' });
    expect(await page.getByRole('button', { name: '新建抽查' }).count()).toBe(0);
  });
});
