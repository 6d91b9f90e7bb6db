// 项目验收 (第二十五条, 第二十六条) in Debian's Chromium, on the demo project the seed puts into the
// completed state (src/usecases/seed-demo-acceptance.ts): the unit applies for acceptance and is
// refused for the missing 密码应用安全性评估报告, uploads it from the checklist and applies again;
// the reviewer records the archive acceptance as passed; the approver signs the acceptance
// decision with a one-time code, and the signed decision shows 签名有效. Screenshots land in
// docs/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { base32Decode, totpAt } from '../../src/crypto/totp.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import { DEMO_ACCEPTANCE_PROJECT } from '../../src/usecases/seed-demo-acceptance.ts';
import { DEMO_PASSWORD, DEMO_TOTP } from '../support/fixtures.ts';
import { randomMasterKey, removeDir, REPO_ROOT, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const DESKTOP = { width: 1440, height: 900 };
const TOTP_USERS = new Set(['approver']);

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let projectId = '';

interface User {
  context: BrowserContext;
  page: Page;
  token: string;
}
const users = new Map<string, User>();

// A code the server has not yet seen from this user: the current 30-second step, else the next.
const secret = base32Decode(DEMO_TOTP);
const lastStep = new Map<string, number>();
async function freshTotp(username: string): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now, (lastStep.get(username) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(username, step);
      return totpAt(secret, step * 30);
    }
    await new Promise((resolve) => setTimeout(resolve, (now + 1) * 30_000 - Date.now() + 300));
  }
}

async function signIn(username: string): Promise<User> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  const res = await context.request.post(`${server.url}/api/v1/auth/login`, {
    headers: { 'sec-fetch-mode': 'cors' },
    data: { username, password: DEMO_PASSWORD, ...(TOTP_USERS.has(username) ? { totp: await freshTotp(username) } : {}) },
  });
  expect(res.status(), await res.text()).toBe(200);
  const { token } = (await res.json()) as { token: string };
  const user = { context, page: await context.newPage(), token };
  users.set(username, user);
  return user;
}

async function openTab(username: string): Promise<Page> {
  const { page } = users.get(username)!;
  await page.goto(`${server.url}/projects/${projectId}?tab=acceptance`);
  await page.locator('.acceptance-card').waitFor({ state: 'visible', timeout: 30_000 });
  return page;
}

function modalOf(page: Page): Locator {
  return page.locator('.acceptance-modal').filter({ visible: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const username of ['preparer', 'reviewer', 'approver']) await signIn(username);
  const res = await fetch(`${server.url}/api/v1/projects?page=1&pageSize=20&q=${encodeURIComponent(DEMO_ACCEPTANCE_PROJECT)}`, {
    headers: { authorization: `Bearer ${users.get('preparer')!.token}` },
  });
  projectId = ((await res.json()) as { items: Array<{ id: string; name: string }> }).items.find((p) => p.name === DEMO_ACCEPTANCE_PROJECT)!.id;
}, 120_000);

afterAll(async () => {
  for (const u of users.values()) await u.context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('项目验收 on the project detail (第二十五条, 第二十六条)', () => {
  it('第二十五条: the unit is refused for a missing material, uploads it and applies; 第二十六条: archives accepted; the approver signs the pass', async () => {
    // The unit: the live checklist shows the one missing line and the countdown to 2027-02-28.
    const prep = await openTab('preparer');
    await expect.poll(() => prep.locator('[data-testid="acceptance-due"]').textContent()).toBe('2027-02-28');
    const crypto = prep.locator('.checklist-item[data-key="cryptoAssessment"]');
    await expect.poll(() => crypto.getAttribute('data-satisfied')).toBe('no');
    await prep.evaluate('window.scrollTo(0, 0)');
    await prep.screenshot({ path: join(SHOTS, 'acceptance-checklist-1440.png'), fullPage: true });

    // Applying now is refused, naming the missing report.
    await prep.locator('[data-testid="acceptance-apply"]').click();
    const refusal = prep.locator('.rule-problems').filter({ hasText: '密码应用安全性评估报告' });
    await refusal.waitFor({ state: 'visible', timeout: 20_000 });
    await prep.screenshot({ path: join(SHOTS, 'acceptance-refused-1440.png') });

    // Upload it from its checklist line; the line turns satisfied; apply again.
    await crypto.locator('input[type="file"]').setInputFiles({ name: '密码应用安全性评估报告.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
    await prep.locator('.checklist-item[data-key="cryptoAssessment"][data-satisfied="yes"]').waitFor({ state: 'visible', timeout: 20_000 });
    await prep.locator('[data-testid="acceptance-apply"]').click();
    await prep.locator('.application-item[data-decided="pending"]').waitFor({ state: 'visible', timeout: 20_000 });

    // The reviewer records the archive acceptance (第二十六条): passed, today.
    const rev = await openTab('reviewer');
    await rev.locator('[data-testid="acceptance-archive"]').click();
    const archive = modalOf(rev);
    await archive.waitFor({ state: 'visible' });
    await archive.locator('.ant-picker input').click();
    await archive.locator('.ant-picker input').fill(shanghaiDate(new Date()));
    await archive.locator('.ant-picker input').press('Enter');
    await archive.locator('textarea').fill('项目文件材料齐全完整，电子档案已归档，档案验收合格。');
    await archive.locator('.ant-modal-footer .ant-btn-primary').click();
    await rev.locator('.archive-item').first().waitFor({ state: 'visible', timeout: 20_000 });

    // The approver decides: pass, with the opinion and a one-time code; the decision is signed.
    const appr = await openTab('approver');
    await appr.locator('[data-testid="acceptance-decide"]').click();
    const decision = modalOf(appr);
    await decision.waitFor({ state: 'visible' });
    await decision.locator('textarea').fill('项目按批复完成建设内容，档案验收合格，同意通过验收。');
    await decision.locator('.ant-otp input').first().click();
    await appr.keyboard.type(await freshTotp('approver'));
    await appr.screenshot({ path: join(SHOTS, 'acceptance-decision-1440.png') });
    await decision.locator('.ant-modal-footer .ant-btn-primary').click();
    const passed = appr.locator('.application-item[data-decided="pass"]');
    await passed.waitFor({ state: 'visible', timeout: 20_000 });
    await passed.locator('.ant-tag', { hasText: '签名有效' }).waitFor({ state: 'visible' });
    await appr.locator('.ant-message-notice').first().waitFor({ state: 'hidden', timeout: 20_000 }).catch(() => undefined);
    await appr.evaluate('window.scrollTo(0, 0)');
    await appr.screenshot({ path: join(SHOTS, 'acceptance-passed-1440.png'), fullPage: true });

    // The project now reads accepted and in operation; the self-evaluation window is shown.
    const view = await fetch(`${server.url}/api/v1/projects/${projectId}/acceptance`, { headers: { authorization: `Bearer ${users.get('preparer')!.token}` } });
    const body = (await view.json()) as { acceptedOn: string; inOperationOn: string };
    expect(body.acceptedOn).toBe(shanghaiDate(new Date()));
    expect(body.inOperationOn).toBe(body.acceptedOn);
    await appr.locator('.post-evaluation-card [data-phase="beforeWindow"]').waitFor({ state: 'visible' });
  }, 240_000);
});
