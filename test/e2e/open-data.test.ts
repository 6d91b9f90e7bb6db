// The open-data portal at /open (SPEC §11 公开) and 双随机、一公开 (SPEC §9) in Debian's Chromium,
// against a real server with the demo seed: NDRC freezes the pools and draws a spot check from a
// seed (the supervisory API); an anonymous visitor lists the public projects, systems and
// resources, opens the spot check, re-draws it (一致), changes the seed (不一致, the seed digest
// named) and a pool (the target pool digest named), and sees the demo's published outcomes.
// Screenshots: docs/screenshots/open-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { base32Decode, totpAt } from '../../src/crypto/totp.ts';
import { DEMO_SPOT_CHECKS } from '../../src/domain/demo-spot-checks.ts';
import { DEMO_PASSWORD, DEMO_TOTP } from '../support/fixtures.ts';
import { randomMasterKey, removeDir, REPO_ROOT, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const DESKTOP = { width: 1440, height: 900 };
const SEED = '5eed'.repeat(16);

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let page: Page;
let spotCheckId = '';

async function api<T>(token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'sec-fetch-mode': 'cors' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function shot(name: string) {
  await page.mouse.move(5, 890);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(SHOTS, `open-${name}.png`), fullPage: false });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // NDRC (第三十条) freezes the pools and draws with an announced seed.
  // A one-time code taken at the edge of its 30-second step may be refused: wait for the next one.
  let login = { status: 0, body: { token: '' } };
  for (let attempt = 0; attempt < 3 && login.status !== 200; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 500));
    login = await api<{ token: string }>(null, 'POST', '/api/v1/auth/login', {
      username: 'ndrc', password: DEMO_PASSWORD, totp: totpAt(base32Decode(DEMO_TOTP), Math.floor(Date.now() / 1000)),
    });
  }
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const token = login.body.token;
  // Inspector ids come from the demo's published spot check: the organizers' API shows who each ref is.
  const list = await api<{ items: Array<{ id: string; inspectorUsers: Record<string, { userId: string }> }> }>(token, 'GET', '/api/v1/spot-checks');
  const inspectorUserIds = [...new Set(list.body.items.flatMap((s) => Object.values(s.inspectorUsers).map((x) => x.userId)))];
  const created = await api<{ id: string }>(token, 'POST', '/api/v1/spot-checks', {
    title: '端到端测试：2026年第三批双随机抽查',
    checklist: [{ code: 'C1', title: '资金使用与批复概算一致性', basis: '第三十条 资金使用' }, { code: 'C2', title: '网络安全等级保护落实', basis: '第三十条 网络安全' }],
    targetFilter: { kinds: ['project', 'system'] }, targetCount: 3, inspectorsPerTarget: 2, inspectorUserIds,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  spotCheckId = created.body.id;
  const drawn = await api(token, 'POST', `/api/v1/spot-checks/${spotCheckId}/draw`, { seed: SEED });
  expect(drawn.status).toBe(200);
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('open-data portal (SPEC §11) and 双随机、一公开 (SPEC §9)', () => {
  it('an anonymous visitor sees the public lists, with no sign-in', async () => {
    await page.goto(`${server.url}/open`);
    await page.waitForURL(/\/open\/projects$/);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.locator('text=政务信息化项目公开信息').count()).toBeGreaterThan(0);
    await shot('projects');
    await page.getByRole('menuitem', { name: '政务信息系统' }).click();
    await page.waitForURL(/\/open\/systems$/);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible', timeout: 20_000 });
    await shot('systems');
    await page.getByRole('menuitem', { name: '信息资源' }).click();
    await page.waitForURL(/\/open\/resources$/);
    await page.locator('.ant-table-row', { hasText: '社会保险经办机构名录' }).waitFor({ state: 'visible', timeout: 20_000 });
    // 不予开放 resources (the demo's personal-data ones) are not listed.
    expect(await page.locator('.ant-table-row', { hasText: '社会保险参保信息' }).count()).toBe(0);
    await shot('resources');
  });

  it('the demo spot check shows its published outcomes, 不合格 with its note', async () => {
    await page.getByRole('menuitem', { name: '双随机抽查' }).click();
    await page.waitForURL(/\/open\/spot-checks$/);
    await page.locator('.ant-table-row', { hasText: DEMO_SPOT_CHECKS[0].title }).waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '端到端测试' }).count()).toBe(1);
    await shot('spot-checks');
    await page.getByRole('link', { name: DEMO_SPOT_CHECKS[0].title }).click();
    await page.locator('text=检查结果已公开').first().waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => page.locator('.ant-tag', { hasText: '不合格' }).count()).toBe(1);
    await page.locator('text=未提供密码应用安全性评估报告').first().scrollIntoViewIfNeeded();
    await shot('spot-check-outcomes');
  });

  it('re-draws from the published seed and pools: 一致; a changed seed or pool: 不一致, naming the digest', async () => {
    await page.goto(`${server.url}/open/spot-checks/${spotCheckId}`);
    const seedInput = page.getByLabel('随机种子（64 位十六进制）');
    await seedInput.waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => seedInput.inputValue()).toBe(SEED);
    await page.getByRole('button', { name: '重新抽取并比对' }).click();
    const result = page.getByTestId('redraw-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('一致：重新抽取的结果与公布的结果一致');
    await result.scrollIntoViewIfNeeded();
    await shot('redraw-match');

    await seedInput.fill('0'.repeat(64));
    await page.getByRole('button', { name: '重新抽取并比对' }).click();
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('不一致：输入与公布的不同');
    expect(await result.textContent()).toContain('随机种子摘要不同');
    expect(await result.textContent()).not.toContain('抽查对象库摘要不同');
    await result.scrollIntoViewIfNeeded();
    await shot('redraw-seed-changed');

    // Restore, then drop the first target from the pool.
    await page.getByRole('button', { name: '恢复公布的输入' }).click();
    await page.getByText('改动对象库或检查人员库（JSON）').click();
    const targets = page.getByLabel('抽查对象库', { exact: true });
    await targets.waitFor({ state: 'visible' });
    const pool = JSON.parse(await targets.inputValue()) as unknown[];
    await targets.fill(JSON.stringify(pool.slice(1), null, 2));
    await page.getByRole('button', { name: '重新抽取并比对' }).click();
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('抽查对象库摘要不同');
    expect(await result.textContent()).not.toContain('随机种子摘要不同');
    await result.scrollIntoViewIfNeeded();
    await shot('redraw-pool-changed');
  });

  it('the project list pages by the API cursor: the next page is fetched with the cursor of the page before, and lists other projects', async () => {
    const total = (await api<{ total: number }>(null, 'GET', '/api/open/v1/projects?pageSize=1')).body.total;
    expect(total).toBeGreaterThan(10);
    await page.goto(`${server.url}/open/projects`);
    await page.locator('.ant-table-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    // 10 a page, so the demo fills more than one.
    await page.locator('.ant-pagination-options .ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '10 条/页' }).click();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(10);
    const firstPage = await page.locator('.ant-table-row').allInnerTexts();
    const next = page.waitForRequest((r) => r.url().includes('/api/open/v1/projects?') && r.url().includes('cursor='));
    await page.locator('.ant-pagination-next').click();
    const request = await next;
    expect(new URL(request.url()).searchParams.get('page')).toBeNull();
    await expect.poll(async () => (await page.locator('.ant-table-row').allInnerTexts()).some((row) => firstPage.includes(row))).toBe(false);
    expect(await page.locator('.ant-pagination-item-active').innerText()).toBe('2');
    await shot('projects-page-2');
    // The CSV of the page shown is the same cursor.
    expect(await page.getByRole('link', { name: /下载 CSV/ }).getAttribute('href')).toContain('cursor=');
  });

  it('en-US is available', async () => {
    await page.goto(`${server.url}/open/spot-checks/${spotCheckId}`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Re-draw and compare' }).waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByRole('button', { name: 'Re-draw and compare' }).click();
    await expect.poll(() => page.getByTestId('redraw-result').textContent(), { timeout: 20_000 }).toContain('Match: the re-draw gives the published result');
    await page.getByRole('button', { name: '简体中文' }).click();
    await page.getByRole('button', { name: '重新抽取并比对' }).waitFor({ state: 'visible', timeout: 20_000 });
  });
});
