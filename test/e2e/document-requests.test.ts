// 第二十九条 资料调阅 in Debian's Chromium against a real server with the demo seed: the NDRC
// (国家发展改革委) requests materials about the demo project under construction from the 资料调阅
// page (the deadline from the rule setting); the unit's preparer opens it in its "to our units" box,
// uploads a PDF and answers; the NDRC returns the answer as incomplete; the preparer answers again,
// stating that one item does not exist and why; the NDRC accepts. Screenshots (1440 wide and a 390
// phone) land in docs/screenshots/document-request-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_CONSTRUCTION_PROJECT } from '../../src/usecases/seed-demo-construction.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import { shanghaiDate } from '../../src/domain/plan.ts';
import { addDays } from '../../src/domain/worklist.ts';
import {
  apiClient, DOC_SCREENSHOTS, expectNoHorizontalScroll, launchChromium, phonePage, pickOption, settle, signIn, TotpSteps, type BrowserUser,
} from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const TITLE = '2026 年度绩效评价资料调阅';

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let client: ReturnType<typeof apiClient>;
const totp = new TotpSteps();
let ndrc: BrowserUser;
let preparer: BrowserUser;

beforeAll(async () => {
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  client = apiClient(server.url);
  browser = await launchChromium();
  preparer = await signIn(browser, server.url, 'preparer');
  ndrc = await signIn(browser, server.url, 'ndrc', { totp });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

/** Opens the request on /document-requests (in `box`) and returns its drawer. */
async function openRequest(page: Page, box: '我发出的' | '向本单位调阅的') {
  await page.goto(`${server.url}/document-requests`);
  await page.locator('[data-testid="docreq-box"]').getByText(box, { exact: true }).click();
  const row = page.locator('[data-testid="docreq-list"] .ant-table-row', { hasText: TITLE });
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  const drawer = page.locator('.ant-drawer-content', { hasText: TITLE });
  await drawer.waitFor({ state: 'visible' });
  return { row, drawer };
}

async function waitForMessagesGone(page: Page) {
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
}

describe('第二十九条 资料调阅 in the browser', () => {
  it('request → the unit answers with a file → returned as incomplete → answered again → accepted', async () => {
    // The NDRC requests materials from the 资料调阅 page (under 监督管理 in the menu).
    const n = ndrc.page;
    await n.goto(`${server.url}/`);
    const group = n.locator('.ant-menu').getByText('监督管理', { exact: true });
    await group.waitFor({ state: 'visible', timeout: 30_000 });
    const entry = n.locator('.ant-menu').getByText('资料调阅', { exact: true });
    // The layout may open the group by itself (it opens every group on a wide screen).
    await n.waitForTimeout(500);
    if (!(await entry.isVisible())) await group.click();
    await entry.click();
    await n.waitForURL(/\/document-requests$/);
    await n.getByRole('button', { name: '发起资料调阅' }).click();
    const modal = n.locator('.ant-modal', { hasText: '发起资料调阅' });
    await modal.waitFor({ state: 'visible' });
    await pickOption(n, modal.locator('.ant-select').first(), { search: '一卡通', text: DEMO_CONSTRUCTION_PROJECT });
    await modal.getByText('审计', { exact: true }).click();
    await modal.getByText('绩效评价', { exact: true }).click();
    await modal.getByLabel('标题').fill(TITLE);
    await modal.getByLabel('调阅资料').fill('项目资金支出明细账\n年度绩效自评报告');
    await settle(n);
    await n.screenshot({ path: join(DOC_SCREENSHOTS, 'document-request-new.png') });
    await modal.getByRole('button', { name: /发\s*出/ }).click();
    await modal.waitFor({ state: 'detached', timeout: 20_000 });
    // The new request opens; its deadline is the rule setting's 15 days.
    const due = addDays(shanghaiDate(new Date()), 15);
    const created = n.locator('.ant-drawer-content', { hasText: TITLE });
    await created.getByText(due).waitFor({ timeout: 20_000 });
    await created.getByText('待答复').first().waitFor();
    await n.keyboard.press('Escape');
    await created.waitFor({ state: 'hidden' });

    // The unit: in its box, uploads a PDF and answers.
    const p = preparer.page;
    const first = await openRequest(p, '向本单位调阅的');
    // The page says what waits on the unit.
    // This request and the demo's own (MoF's 绩效评价 调阅, seed-demo-supervision.ts).
    await p.locator('[data-testid="docreq-work"]', { hasText: '待本单位答复 2 项（其中逾期 0 项）' }).waitFor();
    const form = first.drawer.locator('[data-testid="docreq-answer-form"]');
    await form.locator('input[type="file"]').setInputFiles({ name: '资金支出明细账.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
    await form.locator('[data-testid="docreq-pending-file"]', { hasText: '资金支出明细账.pdf' }).waitFor({ timeout: 20_000 });
    await form.getByPlaceholder('答复说明').fill('报送 2026 年项目资金支出明细账。');
    await waitForMessagesGone(p);
    await settle(p);
    await p.screenshot({ path: join(DOC_SCREENSHOTS, 'document-request-answer.png'), fullPage: true });
    await form.getByRole('button', { name: '提交答复' }).click();
    await first.drawer.locator('[data-testid="docreq-answer"]', { hasText: '资金支出明细账.pdf' }).waitFor({ timeout: 20_000 });
    await form.waitFor({ state: 'detached' });

    // The NDRC returns it as incomplete.
    const second = await openRequest(n, '我发出的');
    await second.drawer.locator('[data-testid="docreq-answer"]', { hasText: '资金支出明细账.pdf' }).waitFor();
    const review = second.drawer.locator('[data-testid="docreq-review-form"]');
    await review.getByPlaceholder('确认意见或退回理由').fill('未报送年度绩效自评报告，请补充或说明原因。');
    await review.getByRole('button', { name: '退回补充' }).click();
    await second.drawer.locator('[data-testid="docreq-answer"]', { hasText: '未报送年度绩效自评报告' }).waitFor({ timeout: 20_000 });
    await second.drawer.locator('[data-testid="docreq-open-finding"]').waitFor();
    await waitForMessagesGone(n);
    await settle(n);
    await n.screenshot({ path: join(DOC_SCREENSHOTS, 'document-request-returned.png'), fullPage: true });
    // 第三十条 from the returned request: a prefilled finding, the category within the NDRC's remit.
    await second.drawer.locator('[data-testid="docreq-open-finding"]').click();
    const findingModal = n.locator('.ant-modal', { hasText: '转为监督检查发现' });
    await findingModal.waitFor({ state: 'visible' });
    await expect.poll(() => findingModal.getByLabel('问题', { exact: true }).inputValue()).toContain(TITLE);
    await pickOption(n, findingModal.locator('.ant-select').first(), { text: '资金使用' });
    await settle(n);
    await n.screenshot({ path: join(DOC_SCREENSHOTS, 'document-request-finding.png') });
    await findingModal.getByRole('button', { name: /确\s*定/ }).click();
    await findingModal.waitFor({ state: 'detached', timeout: 20_000 });
    await second.drawer.getByText('已转为监督检查发现').first().waitFor({ timeout: 20_000 });
    await n.locator('.ant-drawer-close').click();
    await second.drawer.waitFor({ state: 'hidden' });

    // The unit answers again: item 2 does not exist, with the reason.
    const third = await openRequest(p, '向本单位调阅的');
    await third.row.getByText('退回补充').waitFor();
    const items = third.drawer.locator('[data-testid="docreq-items"]');
    await items.locator('.ant-list-item', { hasText: '年度绩效自评报告' }).getByText('该项资料不存在').click();
    await items.getByPlaceholder('写明不存在的原因').fill('本年度自评尚未开展，按计划 12 月底前完成。');
    const again = third.drawer.locator('[data-testid="docreq-answer-form"]');
    await again.getByPlaceholder('答复说明').fill('补充说明：自评报告尚未形成。');
    await again.getByRole('button', { name: '提交答复' }).click();
    await third.drawer.locator('[data-testid="docreq-answer"]', { hasText: '第 2 项不存在' }).waitFor({ timeout: 20_000 });
    await p.keyboard.press('Escape');

    // The NDRC accepts.
    const fourth = await openRequest(n, '我发出的');
    const accept = fourth.drawer.locator('[data-testid="docreq-review-form"]');
    await accept.getByPlaceholder('确认意见或退回理由').fill('资料及说明已收到，予以办结。');
    await accept.getByRole('button', { name: '确认办结' }).click();
    await fourth.drawer.locator('[data-testid="docreq-answer"]', { hasText: '资料及说明已收到' }).waitFor({ timeout: 20_000 });
    await fourth.drawer.getByText('已办结').first().waitFor();
    await waitForMessagesGone(n);
    await settle(n);
    await n.screenshot({ path: join(DOC_SCREENSHOTS, 'document-request-accepted.png'), fullPage: true });
    await n.locator('.ant-drawer-close').click();
    await fourth.drawer.waitFor({ state: 'hidden' });
    await fourth.row.getByText('已办结').waitFor();
    await settle(n);
    await n.screenshot({ path: join(DOC_SCREENSHOTS, 'document-request-list.png'), fullPage: true });

    // What the API holds: two answers (one returned, one accepted), the file submitted once.
    const list = await client.ok<{ items: Array<{ id: string; title: string }> }>(ndrc.token, 'GET', '/document-requests?box=sent');
    const id = list.items.find((r) => r.title === TITLE)!.id;
    const detail = await client.ok<{ status: string; answers: Array<{ review: { result: string } | null; missingItems: unknown[] }>; files: Array<{ answerId: string | null }> }>(
      ndrc.token, 'GET', `/document-requests/${id}`);
    expect(detail.status).toBe('accepted');
    expect(detail.answers.map((a) => a.review?.result)).toEqual(['returned', 'accepted']);
    expect(detail.answers[1]!.missingItems).toEqual([{ index: 1, reason: '本年度自评尚未开展，按计划 12 月底前完成。' }]);
    expect(detail.files).toHaveLength(1);
    // The finding opened from the returned request is a 第三十条 rectification order of the NDRC.
    const withFinding = await client.ok<{ findingId: string | null }>(ndrc.token, 'GET', `/document-requests/${id}`);
    expect(withFinding.findingId).not.toBeNull();
    const orders = await client.ok<{ items: Array<{ findingId: string; issuerRole: string; category: string; status: string }> }>(ndrc.token, 'GET', '/rectifications?pageSize=200');
    expect(orders.items.find((o) => o.findingId === withFinding.findingId)).toMatchObject({ issuerRole: 'ndrc', category: 'useOfFunds', status: 'open' });

    // The unit's list on a phone: no sideways scroll.
    const phone = await phonePage(browser, preparer);
    await phone.goto(`${server.url}/document-requests`);
    await phone.locator('.ant-table-row', { hasText: TITLE }).waitFor({ timeout: 30_000 });
    await settle(phone);
    await expectNoHorizontalScroll(phone);
    await phone.screenshot({ path: join(DOC_SCREENSHOTS, 'document-request-phone.png'), fullPage: true });
    await phone.context().close();
  }, 300_000);
});
