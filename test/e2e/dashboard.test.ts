// 统计分析 in Debian's Chromium against a real server with the demo seed (SPEC §8, §9; 第三十二条): the
// auditor (reads everything, no TOTP) opens the dashboard, every chart draws; a click on the tallest
// bar of the stage chart lands on the project list filtered to that stage with exactly the bar's
// count; the risk page of the re-baselined demo project shows the original variance; the funding
// recommendations list their reasons. At 1440 and 390 wide. Screenshots land in docs/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../support/fixtures.ts';
import { randomMasterKey, removeDir, REPO_ROOT, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
let inst: Installation;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

async function signIn(page: Page, username: string) {
  await page.goto(`${server.url}/login`);
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').first().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
}

type Point = { key: string; count: number };

async function chartsDrawn(page: Page) {
  for (const name of ['stage', 'department', 'year', 'region', 'investment', 'overdue', 'risk']) {
    await page.locator(`[data-chart="${name}"] canvas`).first().waitFor({ state: 'visible', timeout: 90_000 });
  }
  await page.waitForTimeout(1200); // the charts' entry animation
}

/** Clicks the tallest bar of the stage chart (a vertical bar chart) and returns its point. */
async function clickTallestStageBar(page: Page): Promise<Point> {
  const data = await page.evaluate(async () => (await (await fetch('/api/v1/dashboard/charts/stage')).json()) as { points: Point[] });
  const index = data.points.reduce((best, p, i) => (p.count > data.points[best]!.count ? i : best), 0);
  const canvas = page.locator('[data-chart="stage"] canvas').first();
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  // The grid of OversightDashboard's bar charts: 48 px left, 16 right; bottom 32 (64 with rotated labels).
  const left = 48;
  const width = box.width - 48 - 16;
  const bottom = data.points.length > 6 ? 64 : 32;
  const x = box.x + left + ((index + 0.5) * width) / data.points.length;
  const y = box.y + box.height - bottom - 4;
  await page.mouse.click(x, y);
  return data.points[index]!;
}

describe('统计分析 dashboard', () => {
  it('SPEC §9: every chart draws at 1440; a click on a bar opens the filtered list with exactly its count', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, 'auditor');
    await page.goto(`${server.url}/oversight/dashboard`);
    await chartsDrawn(page);
    await page.mouse.move(5, 995);
    await page.screenshot({ path: join(SHOTS, 'dashboard-1440.png'), fullPage: true });

    const point = await clickTallestStageBar(page);
    await page.waitForURL((u) => u.pathname === '/oversight/projects' && u.searchParams.get('stage') === point.key, { timeout: 20_000 });
    await expect.poll(() => page.locator('.oversight-drill-total').textContent(), { timeout: 20_000 }).toBe(`共 ${point.count} 个项目`);
    await expect.poll(() => page.locator('.ant-table-row').count(), { timeout: 20_000 }).toBe(Math.min(20, point.count));
    await expect(page.locator('[data-filter="stage"]').textContent()).resolves.toContain('阶段');
    await page.screenshot({ path: join(SHOTS, 'dashboard-drill-1440.png') });

    // The red projects, and the re-baselined one's risk page: the original variance stays on it (I-73).
    await page.goto(`${server.url}/oversight/projects?band=amber`);
    const row = page.locator('.ant-table-row', { hasText: '江苏省一体化政务大数据平台（演示）' });
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.locator('.risk-band').click();
    await page.waitForURL(/\/oversight\/risk\//, { timeout: 20_000 });
    await page.locator('.oversight-risk-baselines').waitFor({ state: 'visible', timeout: 20_000 });
    await expect(page.locator('.oversight-risk-rating').textContent()).resolves.toContain('相对原始基线偏差');
    await expect(page.locator('.oversight-risk-history').textContent()).resolves.toContain('重新设定基线');
    await page.screenshot({ path: join(SHOTS, 'risk-rating-1440.png'), fullPage: true });

    // 第三十二条: the auditor reads the funding recommendations with their reasons.
    await page.goto(`${server.url}/oversight/funding`);
    await page.getByText('按项目', { exact: true }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '就业信息监测分析平台（演示）' }).textContent(), { timeout: 20_000 }).toContain('风险评级红色');
    await page.screenshot({ path: join(SHOTS, 'funding-recommendations-1440.png'), fullPage: true });
    await page.close();
  }, 300_000);

  it('SPEC §9: on a 390 phone the charts stack and the drill-down still lands on the list', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await signIn(page, 'auditor');
    await page.goto(`${server.url}/oversight/dashboard`);
    await chartsDrawn(page);
    await page.screenshot({ path: join(SHOTS, 'dashboard-390.png'), fullPage: true });
    const point = await clickTallestStageBar(page);
    await page.waitForURL((u) => u.pathname === '/oversight/projects' && u.searchParams.get('stage') === point.key, { timeout: 20_000 });
    await expect.poll(() => page.locator('.oversight-drill-total').textContent(), { timeout: 20_000 }).toBe(`共 ${point.count} 个项目`);
    await page.screenshot({ path: join(SHOTS, 'dashboard-drill-390.png'), fullPage: true });
    await page.close();
  }, 300_000);
});
