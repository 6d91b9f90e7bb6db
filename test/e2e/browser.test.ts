// The web shell in Debian's Chromium: sign in through the real UI with the TOTP step, see the
// menu of the role, open the admin pages, switch to English. Screenshots land in
// test/output/screenshots/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../support/fixtures.ts';
import {
  currentDemoTotp, randomMasterKey, removeDir, REPO_ROOT, startServer, tempDir, type Installation, type ServerProcess,
} from '../support/server-process.ts';

const SHOTS = join(REPO_ROOT, 'test', 'output', 'screenshots');
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
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

async function signInThroughUi(page: Page, username: string, totp: boolean) {
  await page.goto(`${server.url}/login`);
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').first().click();
  if (totp) {
    const otp = page.locator('.ant-otp input').first();
    await otp.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'login-totp.png') });
    await otp.click();
    await page.keyboard.type(currentDemoTotp());
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20_000 });
}

describe('web shell (SPEC §1, §10)', () => {
  it('the administrator signs in with password and TOTP and manages users', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${server.url}/login`);
    await expect.poll(() => page.title()).toContain('政务信息化项目管理平台');
    await page.screenshot({ path: join(SHOTS, 'login.png') });

    await signInThroughUi(page, 'admin', true);
    await page.getByText('张伟').first().waitFor({ state: 'visible', timeout: 15_000 });
    // The workbench greets the user by name once its data has loaded.
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
    await page.waitForLoadState('networkidle');
    // The menu follows the permissions: the administrator manages users but reads no audit log.
    await page.getByText('用户管理').first().waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.getByText('审计日志校验').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'home-admin.png') });

    await page.goto(`${server.url}/system/users`);
    await page.getByText('preparer').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'users.png') });

    await page.goto(`${server.url}/system/organizations`);
    await page.getByText('国家发展和改革委员会').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'organizations.png') });
    await page.close();
  });

  it('the audit administrator verifies the audit log from the UI', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signInThroughUi(page, 'auditadmin', true);
    await page.goto(`${server.url}/audit/verify`);
    await page.getByRole('button', { name: '立即校验' }).click();
    await page.locator('.ant-result-title', { hasText: /^日志完整$/ }).waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByText('已校验事件').first().waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SHOTS, 'audit-verify.png') });
    await page.goto(`${server.url}/audit/login-logs`);
    await page.getByText('auth.login').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'login-logs.png') });
    await page.close();
  });

  it('a wrong password shows the server\'s localized message; the English switch works', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(`${server.url}/login`);
    await page.locator('input[autocomplete="username"]').fill('preparer');
    await page.locator('input[autocomplete="current-password"]').fill('Not-the-password-1');
    await page.locator('button[type="submit"]').first().click();
    await page.getByText('用户名或密码错误').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.getByText(/English|EN/).first().click();
    await page.getByText(/Sign in|Log in/i).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, 'login-en.png') });
    await page.close();
  });
});
