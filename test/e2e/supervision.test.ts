// 第三十条 监督检查与整改 in Debian's Chromium against a real server with the demo seed: the NDRC
// (国家发展改革委) records a finding against the demo project under construction, the unit answers
// and the NDRC's verification fails (through the API: slow to click, and a failed verification makes
// escalation due at once, where an overdue deadline would need the clock moved). Then, in the
// browser, the NDRC opens the order on /supervision, sees the ladder and takes its steps in order,
// 通报批评 → 暂缓安排投资计划 → 暂停项目建设, each a signed decision with a fresh one-time code;
// the unit's preparer opens the 建设实施 tab, which shows the 第三十条 banners and offers no
// construction action, and the API refuses a procurement with the stable code. Screenshots (1440 wide and a
// 390 phone of the order) land in docs/screenshots/supervision-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_CONSTRUCTION_PROJECT } from '../../src/usecases/seed-demo-construction.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { addDays } from '../../src/domain/worklist.ts';
import {
  apiClient, DOC_SCREENSHOTS, expectNoHorizontalScroll, launchChromium, phonePage, settle, signIn, TotpSteps, type BrowserUser,
} from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const TITLE = '信息化项目资金用于概算外的机房装修';

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let client: ReturnType<typeof apiClient>;
const totp = new TotpSteps();
let ndrc: BrowserUser;
let preparer: BrowserUser;
let projectId = '';
let orderId = '';

beforeAll(async () => {
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  client = apiClient(server.url);
  browser = await launchChromium();
  preparer = await signIn(browser, server.url, 'preparer');
  ndrc = await signIn(browser, server.url, 'ndrc', { totp });
  const list = await client.ok<{ items: Array<{ id: string; name: string }> }>(preparer.token, 'GET', `/projects?q=${encodeURIComponent('一卡通')}`);
  projectId = list.items.find((p) => p.name === DEMO_CONSTRUCTION_PROJECT)!.id;

  // The finding, the unit's answer and the failed verification: escalation is due at once.
  const order = await client.ok<{ id: string }>(ndrc.token, 'POST', '/rectifications', {
    projectId, category: 'useOfFunds', title: TITLE,
    description: '抽查发现项目资金 48.20 万元用于概算外的机房装修，不符合批复的建设内容。',
    requirements: '退回违规使用的资金。\n报送整改报告和退款凭证。', dueOn: addDays(shanghaiDate(new Date()), 20),
  });
  orderId = order.id;
  await client.ok(preparer.token, 'POST', `/rectifications/${orderId}/answers`, { evidence: '已将装修费用调整为运维费用列支。', materialIds: [] });
  const verified = await client.ok<{ status: string; escalationDue: string | null }>(ndrc.token, 'POST', `/rectifications/${orderId}/verification`, {
    result: 'failed', opinion: '违规资金未退回，调整列支科目不能代替整改。',
  });
  expect(verified).toMatchObject({ status: 'failed', escalationDue: 'failed' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('第三十条 监督检查与整改: the escalation ladder in the browser', () => {
  it('the NDRC takes 通报批评 → 暂缓安排投资计划 → 暂停项目建设 as signed decisions, in order', async () => {
    const { page } = ndrc;
    await page.goto(`${server.url}/supervision`);
    const list = page.locator('[data-testid="rectification-list"]');
    const row = list.locator('.ant-table-row', { hasText: TITLE });
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.locator('[data-testid="escalation-due"]', { hasText: /不达标/ }).waitFor();
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'supervision-list.png'), fullPage: true });

    await row.click();
    const drawer = page.locator('.ant-drawer-content', { hasText: TITLE });
    await drawer.waitFor({ state: 'visible' });
    const ladder = drawer.locator('[data-testid="escalation-ladder"]');
    await ladder.waitFor();
    for (const name of ['通报批评', '暂缓安排投资计划', '暂停项目建设', '终止项目']) await ladder.getByText(name, { exact: true }).waitFor();

    const steps = [
      { name: '通报批评', reason: '整改后仍不达标：违规使用的资金未退回。' },
      { name: '暂缓安排投资计划', reason: '通报批评后仍未退回违规资金，暂缓安排投资计划。' },
      { name: '暂停项目建设', reason: '暂缓安排投资计划后仍未整改到位，暂停项目建设直至整改合格。' },
    ];
    for (const [i, step] of steps.entries()) {
      const next = drawer.locator('[data-testid="next-step"]');
      await expect.poll(() => next.textContent()).toContain(step.name);
      await next.click();
      const modal = page.locator('.ant-modal', { hasText: `升级决定：${step.name}` });
      await modal.waitFor({ state: 'visible' });
      await modal.getByLabel('决定理由').fill(step.reason);
      await modal.getByLabel('动态口令').fill(await totp.next('ndrc'));
      if (i === steps.length - 1) {
        await settle(page);
        await page.screenshot({ path: join(DOC_SCREENSHOTS, 'supervision-suspend-modal.png') });
      }
      await modal.getByRole('button', { name: '签名并决定' }).click();
      await modal.waitFor({ state: 'detached', timeout: 20_000 });
      // The decision is in the table, signed, and the step is marked taken on the ladder.
      await drawer.locator('.ant-table-row', { hasText: step.reason }).locator('.ant-tag', { hasText: '签名有效' }).waitFor({ timeout: 20_000 });
    }
    await drawer.locator('.ant-alert-error', { hasText: '暂停' }).waitFor();
    await expect.poll(() => drawer.locator('[data-testid="next-step"]').textContent()).toContain('终止项目');
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 15_000 });
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'supervision-order-suspended.png'), fullPage: true });

    const detail = await client.ok<{ taken: string[]; standing: string[]; projectSanctions: { constructionSuspendedSince: string | null; investmentDeferredSince: string | null } }>(
      ndrc.token, 'GET', `/rectifications/${orderId}`);
    expect(detail.taken).toEqual(['criticism', 'deferInvestment', 'suspendConstruction']);
    expect(detail.standing).toEqual(expect.arrayContaining(['deferInvestment', 'suspendConstruction']));
    expect(detail.projectSanctions?.constructionSuspendedSince).toBe(shanghaiDate(new Date()));

    // The order on a phone: no sideways scroll.
    const phone = await phonePage(browser, ndrc);
    await phone.goto(`${server.url}/supervision`);
    await phone.locator('.ant-table-row', { hasText: TITLE }).click({ timeout: 30_000 });
    const phoneLadder = phone.locator('[data-testid="escalation-ladder"]');
    await phoneLadder.waitFor({ state: 'visible' });
    await phoneLadder.scrollIntoViewIfNeeded();
    await settle(phone);
    await expectNoHorizontalScroll(phone);
    await phone.screenshot({ path: join(DOC_SCREENSHOTS, 'supervision-order-phone.png'), fullPage: true });
    await phone.context().close();
  }, 240_000);

  it('the unit’s construction action is then refused, citing 第三十条, in the UI and the API', async () => {
    const { page } = preparer;
    await page.goto(`${server.url}/projects/${projectId}?tab=construction`);
    const tab = page.locator('.construction-tab');
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    // The page says why: the 暂停 and 暂缓 decisions stand; the construction actions are not offered.
    const suspended = page.locator('.construction-sanction-banner[data-sanction="suspended"]');
    await suspended.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await suspended.textContent()).toContain('第三十条');
    await page.locator('.construction-sanction-banner[data-sanction="deferred"]').waitFor({ state: 'visible' });
    await expect.poll(() => tab.getByRole('button', { name: '登记采购' }).count()).toBe(0);
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'supervision-construction-refused.png') });

    // Nothing was written; the API gives the stable code.
    const refused = await client.call<{ code: string; detail: string }>(preparer.token, 'POST', `/projects/${projectId}/construction/procurements`, {
      subject: '机房精密空调采购', method: 'competitive_consultation', procuredOn: shanghaiDate(new Date()), winner: '某机房设备有限公司', amount: '32.00',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('construction.suspended_supervision');
    const c = await client.ok<{ procurements: Array<{ subject: string }> }>(preparer.token, 'GET', `/projects/${projectId}/construction`);
    expect(c.procurements.map((p) => p.subject)).not.toContain('机房精密空调采购');
  }, 120_000);
});
