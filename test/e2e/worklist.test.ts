// 我的待办, the notification bell and 规则设置 in Debian's Chromium, against a real server with
// the demo seed. The preparer and the unit lead put a demo project in front of the reviewer
// through the API (upload, submit, sign); the reviewer then finds it in the worklist with its
// due date, on a desktop and on a phone, and the bell tells them; NDRC changes a rule setting
// with a reason and finds the change in its history. The reviewer's home page carries the same
// project in its 我的待办 card; an administrator's has none. Screenshots land in
// test/output/screenshots/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { samplePdf } from '../../src/domain/test-files.ts';
import { DESKTOP, horizontalOverflow, launchChromium, PHONE, SCREENSHOTS, settle, signInThroughUi } from '../support/browser.ts';
import {
  apiRequest, currentDemoTotp, randomMasterKey, removeDir, signInHttp, startServer, tempDir,
  type Installation, type ServerProcess,
} from '../support/server-process.ts';

const PROJECT = '全国社会保险公共服务平台升级改造项目（演示）';
let projectId: string;

/** Uploads one material as multipart/form-data: the fields stage and materialCode before the file. */
async function uploadMaterial(token: string, id: string, stage: string, materialCode: string): Promise<void> {
  const form = new FormData();
  form.append('stage', stage);
  form.append('materialCode', materialCode);
  form.append('file', new Blob([new Uint8Array(samplePdf())], { type: 'application/pdf' }), `${materialCode}.pdf`);
  const res = await fetch(`${server.url}/api/v1/projects/${id}/materials`, {
    method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form,
  });
  expect(res.status, await res.text()).toBe(201);
}

async function act(token: string, id: string, action: string, body: Record<string, unknown> = {}): Promise<void> {
  const res = await apiRequest(server.url, token, 'POST', `/api/v1/projects/${id}/actions/${action}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

let inst: Installation;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await launchChromium();

  // 第七条: the preparer submits the demo project's proposal and the unit lead signs it, so the
  // submission waits for the approval department's reviewer.
  const preparer = await signInHttp(server.url, 'preparer');
  const unitLead = await signInHttp(server.url, 'unitlead');
  const list = await apiRequest<{ items: Array<{ id: string; name: string; lifecycle: { stage: string; status: string } }> }>(
    server.url, preparer, 'GET', `/api/v1/projects?q=${encodeURIComponent(PROJECT)}&page=1&pageSize=5`,
  );
  const project = list.body.items.find((p) => p.name === PROJECT);
  expect(project?.lifecycle).toMatchObject({ stage: 'proposal', status: 'draft' });
  projectId = project!.id;
  await uploadMaterial(preparer, projectId, 'proposal', 'proposal');
  await act(preparer, projectId, 'submit');
  await act(unitLead, projectId, 'sign');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('我的待办 and notifications (第七条, SPEC §11)', () => {
  it('第七条: the reviewer finds the signed submission in the worklist with its due date, and the bell tells them', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    await signInThroughUi(page, server.url, 'reviewer');

    // The menu entry carries the number of items waiting.
    await page.locator('.menu-item-with-badge .ant-badge-count').first().waitFor({ state: 'visible', timeout: 15_000 });

    await page.goto(`${server.url}/worklist`);
    const row = page.locator('.ant-table-row', { hasText: PROJECT });
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => row.textContent()).toContain('受理');
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('项目建议书');
    expect(rowText).toMatch(/\d{4}-\d{2}-\d{2}/); // 到期日
    expect(rowText).toMatch(/剩余 \d+ 天|今日到期/); // a fresh submission is not overdue
    await page.waitForLoadState('networkidle');
    await settle(page, { x: 600, y: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'worklist-desktop.png') });

    // Excel export of the same list.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导\s*出/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

    // The bell shows the unread notification; opening it lists the project.
    const bellCount = page.locator('.header-bell .ant-badge-count');
    await bellCount.waitFor({ state: 'visible', timeout: 15_000 });
    expect(Number((await bellCount.getAttribute('title')) ?? (await bellCount.textContent()))).toBeGreaterThanOrEqual(1);
    await page.locator('.header-bell').click();
    const note = page.locator('.notification-item-unread', { hasText: PROJECT }).first();
    await note.waitFor({ state: 'visible', timeout: 15_000 });
    await settle(page, { x: 600, y: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'notifications-bell.png') });

    // Opening it marks it read and goes to the project.
    await note.click();
    await page.waitForURL((u) => u.pathname === `/projects/${projectId}`, { timeout: 15_000 });
    await expect.poll(() => page.locator('.header-bell .ant-badge-count').count(), { timeout: 15_000 }).toBe(0);
    const inbox = await page.evaluate(async () => (await fetch('/api/v1/notifications?unreadOnly=true&page=1&pageSize=1')).json() as Promise<{ unread: number }>);
    const unread = inbox.unread;
    expect(unread).toBe(0);

    // 掌上办公: on a phone the worklist is a list of cards, due date first, never wider than the screen.
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/worklist`);
    const card = page.locator('.worklist-card', { hasText: PROJECT });
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await card.locator('.worklist-card-due').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await page.locator('.ant-table').count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'worklist-phone.png') });

    // A tap opens the project.
    await card.click();
    await page.waitForURL((u) => u.pathname === `/projects/${projectId}`, { timeout: 15_000 });
    await context.close();
  });
});

describe('我的待办 on the home page (第七条)', () => {
  it('第七条: the reviewer\'s home page shows the card with the waiting project; an administrator\'s does not', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await context.newPage();
    await signInThroughUi(page, server.url, 'reviewer');
    await page.goto(`${server.url}/`);
    const card = page.locator('.dashboard-worklist');
    const item = card.locator('.dashboard-worklist-item', { hasText: PROJECT });
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await card.locator('.ant-card-head-title').textContent()).toContain('我的待办');
    expect(Number(await card.locator('.dashboard-worklist-total .ant-statistic-content-value').textContent())).toBeGreaterThanOrEqual(1);
    expect(await card.locator('.dashboard-worklist-overdue .ant-statistic-content-value').textContent()).toMatch(/^\d+$/);
    expect(await card.locator('.dashboard-worklist-item').count()).toBeLessThanOrEqual(5);
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('项目建议书 · 已提交');
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/); // 到期日
    expect(text).toMatch(/剩余 \d+ 天|今日到期/); // coloured as on the worklist page
    expect(await item.locator('.days-left').count()).toBe(1);
    // The card is the first thing under the greeting.
    const cardBox = (await card.boundingBox())!;
    const profileBox = (await page.locator('.dashboard-card', { hasText: '个人信息' }).boundingBox())!;
    expect(cardBox.y).toBeLessThan(profileBox.y);
    await page.waitForLoadState('networkidle');
    await settle(page, { x: 600, y: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-worklist-1440.png') });

    // On a phone the counts stack above the list and nothing is wider than the screen.
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/`);
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    const stats = (await card.locator('.dashboard-worklist-stats').boundingBox())!;
    const list = (await card.locator('.dashboard-worklist-list').boundingBox())!;
    expect(stats.y + stats.height).toBeLessThanOrEqual(list.y + 1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await settle(page, { x: 600, y: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-worklist-390.png') });

    // The project name opens the project; the link opens the whole worklist.
    await item.locator('a.dashboard-worklist-name').click();
    await page.waitForURL((u) => u.pathname === `/projects/${projectId}`, { timeout: 15_000 });
    await page.goBack();
    await card.locator('a.dashboard-worklist-all').click();
    await page.waitForURL((u) => u.pathname === '/worklist', { timeout: 15_000 });
    await context.close();

    // 三员: the system administrator keeps the dashboard without the card.
    const admin = await browser.newPage({ viewport: DESKTOP, locale: 'zh-CN' });
    await signInThroughUi(admin, server.url, 'admin', currentDemoTotp());
    await admin.goto(`${server.url}/`);
    await admin.locator('.dashboard-card', { hasText: '个人信息' }).waitFor({ state: 'visible', timeout: 15_000 });
    await admin.waitForLoadState('networkidle');
    expect(await admin.locator('.dashboard-worklist').count()).toBe(0);
    await admin.close();
  });
});

describe('规则设置 (第三十四条)', () => {
  it('第三十四条: the security administrator changes the assessment threshold with a reason and an effective date, and the history shows it', async () => {
    const page = await browser.newPage({ viewport: DESKTOP, locale: 'zh-CN' });
    await signInThroughUi(page, server.url, 'secadmin', currentDemoTotp());
    await page.goto(`${server.url}/system/rule-settings`);
    const row = page.locator('.ant-table-row', { hasText: 'assessment.thresholdWan' });
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await row.textContent()).toContain('3,000.00 万元');

    await row.locator('.rule-edit-button').click();
    const dialog = page.locator('.ant-modal-content');
    await dialog.waitFor({ state: 'visible' });
    const valueInput = dialog.locator('.rule-value-input input');
    await valueInput.fill('2500.00');
    // The reason is required.
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('请填写调整理由').waitFor({ state: 'visible' });
    const reason = '依据国家发展改革委2026年第12号通知下调门槛（端到端测试）';
    await dialog.locator('textarea').fill(reason);
    await dialog.getByText('请填写调整理由').waitFor({ state: 'hidden' });
    await settle(page, { x: 600, y: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'rule-settings-edit.png') });
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('规则设置已调整').first().waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('2,500.00 万元');
    await dialog.waitFor({ state: 'hidden' });
    await settle(page, { x: 600, y: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'rule-settings.png') });

    await row.locator('.rule-history-button').click();
    const drawer = page.locator('.rule-history-drawer');
    await drawer.getByText(reason).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await drawer.textContent()).toContain('李娜');
    await settle(page, { x: 600, y: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'rule-settings-history.png') });

    // The API agrees: the central value changed, the default did not.
    const settings = await page.evaluate(async () => (await (await fetch('/api/v1/rule-settings')).json()) as { items: Array<{ key: string; value: unknown; defaultValue: unknown; reason: string | null }> });
    const threshold = settings.items.find((item) => item.key === 'assessment.thresholdWan');
    expect(threshold).toMatchObject({ value: '2500.00', defaultValue: '3000.00', reason });
    await page.close();
  });

  it('第三十四条: a reviewer may read the rule settings but not change them', async () => {
    const page = await browser.newPage({ viewport: DESKTOP, locale: 'zh-CN' });
    await signInThroughUi(page, server.url, 'reviewer');
    await page.goto(`${server.url}/system/rule-settings`);
    const row = page.locator('.ant-table-row', { hasText: 'assessment.thresholdWan' });
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await row.locator('.rule-history-button').count()).toBe(1);
    expect(await row.locator('.rule-edit-button').count()).toBe(0);
    await page.close();
  });
});
