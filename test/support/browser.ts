// What every browser test needs: Debian's Chromium, viewports, one-time codes that are never
// reused, a signed-in browser context, the API beside it, and the small waits and pickers that
// make antd pages deterministic to drive. One place, so each test file says only what it tests.
import { join } from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { base32Decode, totpAt } from '../../src/crypto/totp.ts';
import { DEMO_PASSWORD, DEMO_TOTP } from './fixtures.ts';
import { REPO_ROOT } from './server-process.ts';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
/** Screenshots for a person to look at after a run (not committed). */
export const SCREENSHOTS = join(REPO_ROOT, 'test', 'output', 'screenshots');
/** Screenshots the documentation shows (committed). */
export const DOC_SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

/** Debian's Chromium, headless, with the network chatter this machine refuses switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * One-time codes of the demo secret. The server accepts each 30-second code once per user (and
 * the neighbouring steps), so a user's next code takes the next step, and when that step lies in
 * the future it waits for time to move on.
 */
export class TotpSteps {
  private readonly secret = base32Decode(DEMO_TOTP);
  private readonly lastStep = new Map<string, number>();
  /** Time spent waiting for a fresh step, for the tests that report it. */
  waitedMs = 0;

  async next(username: string): Promise<string> {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(now, (this.lastStep.get(username) ?? -1) + 1);
      if (step <= now + 1) {
        this.lastStep.set(username, step);
        return totpAt(this.secret, step * 30);
      }
      const wait = (now + 1) * 30_000 - Date.now() + 300;
      this.waitedMs += wait;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Marks the current step of `username` as used (it signed in some other way with it). */
  used(username: string): void {
    this.lastStep.set(username, Math.floor(Date.now() / 30_000));
  }
}

export interface ApiResponse<T> { status: number; body: T }

/** JSON calls to `${baseUrl}/api/v1` with a Bearer token (no CSRF needed). */
export function apiClient(baseUrl: string) {
  async function call<T>(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  /** The same, failing the test unless the answer is 2xx; returns the body. */
  async function ok<T>(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await call<T>(token, method, path, body, headers);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  }
  return { call, ok };
}

export interface BrowserUser {
  username: string;
  context: BrowserContext;
  page: Page;
  /** The same session as a Bearer token, for API calls beside the page. */
  token: string;
}

export interface SignInOptions {
  /** Where to get a one-time code from, for users with a second factor. */
  totp?: TotpSteps;
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
}

/**
 * A browser context signed in the way the login page does it (Sec-Fetch-Mode marks a browser,
 * so the session is a cookie); browser.test.ts covers the login screen itself.
 */
export async function signIn(browser: Browser, baseUrl: string, username: string, options: SignInOptions = {}): Promise<BrowserUser> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, locale: 'zh-CN', acceptDownloads: options.acceptDownloads ?? true });
  const res = await context.request.post(`${baseUrl}/api/v1/auth/login`, {
    headers: { 'sec-fetch-mode': 'cors' },
    data: { username, password: DEMO_PASSWORD, ...(options.totp ? { totp: await options.totp.next(username) } : {}) },
  });
  expect(res.status(), await res.text()).toBe(200);
  const { token } = (await res.json()) as { token: string };
  return { username, context, page: await context.newPage(), token };
}

/** Signs in through the login screen itself, typing the one-time code when asked. */
export async function signInThroughUi(page: Page, baseUrl: string, username: string, totpCode?: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').first().click();
  if (totpCode) {
    const otp = page.locator('.ant-otp input').first();
    await otp.waitFor({ timeout: 15_000 });
    await otp.click();
    await page.keyboard.type(totpCode);
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20_000 });
}

/** A phone-sized page in a new context carrying `user`'s session. */
export async function phonePage(browser: Browser, user: BrowserUser): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
    storageState: await user.context.storageState(),
  });
  return context.newPage();
}

/** Lets opening animations (drawer, modal, message) finish before a screenshot, the pointer out of the way. */
export async function settle(page: Page, pointer = { x: 5, y: 5 }): Promise<void> {
  await page.mouse.move(pointer.x, pointer.y);
  await page.waitForTimeout(600);
}

/** How far anything on the page is wider than the screen (a phone must never scroll sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  expect(await horizontalOverflow(page), 'the page must not scroll sideways').toBeLessThanOrEqual(0);
}

const OPEN_DROPDOWN = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';

/** Opens `select` and returns its own dropdown, once no other dropdown is still closing. */
export async function openSelect(page: Page, select: Locator): Promise<Locator> {
  await expect.poll(() => page.locator(OPEN_DROPDOWN).count(), { timeout: 10_000 }).toBe(0);
  await select.click();
  const listId = await select.locator('input[aria-controls]').first().getAttribute('aria-controls');
  const dropdown = page.locator(OPEN_DROPDOWN, { has: page.locator(`[id="${listId}"]`) });
  await dropdown.waitFor({ state: 'visible' });
  return dropdown;
}

/**
 * Picks an option of `select` (typing `search` first, if given) in that Select's own dropdown —
 * never in another one that is still closing — and retries when the list was still sliding in.
 * A single select returns once its dropdown has closed (a pick during the slide-in can leave it
 * open over the form below: then a click on the select closes it); a multiple select stays open
 * for the next pick, and the caller closes it.
 */
export async function pickOption(page: Page, select: Locator, options: { search?: string; text?: string | RegExp } = {}): Promise<void> {
  await expect.poll(() => page.locator(OPEN_DROPDOWN).count(), { timeout: 10_000 }).toBe(0);
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if (options.search) await page.keyboard.type(options.search);
    const listId = await select.locator('input[aria-controls]').first().getAttribute('aria-controls');
    const dropdown = page.locator(OPEN_DROPDOWN, { has: page.locator(`[id="${listId}"]`) });
    const option = dropdown.locator('.ant-select-item-option', options.text === undefined ? {} : { hasText: options.text }).first();
    try {
      await option.click({ timeout: 8_000 });
      if (await select.evaluate((el) => el.classList.contains('ant-select-multiple'))) return;
      const closed = () => expect.poll(() => page.locator(OPEN_DROPDOWN).count(), { timeout: 3_000 }).toBe(0).then(() => true, () => false);
      if (!(await closed())) {
        await select.locator('.ant-select-selector').click();
        await expect.poll(() => page.locator(OPEN_DROPDOWN).count(), { timeout: 10_000 }).toBe(0);
      }
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator(OPEN_DROPDOWN).count(), { timeout: 10_000 }).toBe(0);
    }
  }
}
