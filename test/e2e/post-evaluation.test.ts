// 后评价 (第二十七条) in Debian's Chromium on the demo projects (src/usecases/seed-demo-obligations.ts):
// the unit's self-evaluation of a project accepted eleven and a half months ago is refused with the
// day its window opens; on the project accepted thirteen months ago it is taken on time; the
// approval department's reviewer then commissions the evaluator, which uploads its report and
// concludes 继续运行. Screenshots land in docs/screenshots/ (post-evaluation-*.png).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { samplePdf } from '../../src/domain/test-files.ts';
import { DEMO_SELF_EVALUATION_PROJECT } from '../../src/usecases/seed-demo-obligations.ts';
import { apiClient, DOC_SCREENSHOTS, launchChromium, pickOption, settle, signIn, type BrowserUser } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const EARLY_PROJECT = '金保工程业务专网安全加固项目（演示，已批复）';

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
const users = new Map<string, BrowserUser>();

beforeAll(async () => {
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await launchChromium();
  for (const u of ['preparer', 'reviewer', 'evaluator']) users.set(u, await signIn(browser, server.url, u));
}, 120_000);

afterAll(async () => {
  for (const u of users.values()) await u.context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

async function projectId(name: string): Promise<string> {
  const body = await apiClient(server.url).ok<{ items: Array<{ id: string; name: string }> }>(
    users.get('preparer')!.token, 'GET', `/projects?page=1&pageSize=20&q=${encodeURIComponent(name)}`);
  return body.items.find((p) => p.name === name)!.id;
}

async function openCard(username: string, id: string): Promise<Page> {
  const { page } = users.get(username)!;
  await page.goto(`${server.url}/projects/${id}?tab=acceptance`);
  await page.locator('.post-evaluation-card').waitFor({ state: 'visible', timeout: 30_000 });
  return page;
}

async function uploadReport(page: Page, testId: string, name: string): Promise<void> {
  const card = page.locator('.post-evaluation-card');
  await card.locator('.ant-upload-wrapper', { has: page.locator(`[data-testid="${testId}"]`) }).locator('input[type="file"]')
    .setInputFiles({ name, mimeType: 'application/pdf', buffer: samplePdf() });
  await page.locator('.ant-message-notice', { hasText: name }).first().waitFor({ state: 'visible', timeout: 20_000 });
}

describe('后评价 on the project detail (第二十七条)', () => {
  it('第二十七条: early self-evaluation refused with the opening day; on time taken; commissioned; the evaluator concludes', async () => {
    const api = apiClient(server.url);
    const preparer = users.get('preparer')!;

    // Accepted eleven and a half months ago: the window has not opened; the refusal names its first day.
    const earlyId = await projectId(EARLY_PROJECT);
    const early = await api.ok<{ window: { opensOn: string } }>(preparer.token, 'GET', `/projects/${earlyId}/post-evaluation`);
    let page = await openCard('preparer', earlyId);
    await page.locator('.post-evaluation-card [data-phase="beforeWindow"]').waitFor({ state: 'visible' });
    await uploadReport(page, 'upload-selfEvaluationReport', '自评价报告.pdf');
    await page.locator('[data-testid="self-evaluation-submit"]').click();
    const refusal = page.locator('.post-evaluation-card .rule-problems');
    await refusal.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await refusal.textContent()).toContain(`${early.window.opensOn} 起方可提交`);
    await page.locator('.post-evaluation-card').scrollIntoViewIfNeeded();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'hidden', timeout: 20_000 }).catch(() => undefined);
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'post-evaluation-early-refused.png') });
    expect((await api.ok<{ selfEvaluations: unknown[] }>(preparer.token, 'GET', `/projects/${earlyId}/post-evaluation`)).selfEvaluations).toEqual([]);

    // Accepted thirteen months ago: in the window; the report is taken on time.
    const id = await projectId(DEMO_SELF_EVALUATION_PROJECT);
    page = await openCard('preparer', id);
    await page.locator('.post-evaluation-card [data-phase="inWindow"]').waitFor({ state: 'visible' });
    await uploadReport(page, 'upload-selfEvaluationReport', '劳动保障监察信息系统自评价报告.pdf');
    await page.locator('[data-testid="self-evaluation-submit"]').click();
    await page.locator('.post-evaluation-card .ant-list-item', { hasText: '按期' }).waitFor({ state: 'visible', timeout: 20_000 });

    // The approval department's reviewer commissions the evaluator.
    page = await openCard('reviewer', id);
    await page.locator('[data-testid="post-evaluation-commission"]').click();
    const modal = page.locator('.acceptance-modal').filter({ visible: true });
    await modal.waitFor({ state: 'visible' });
    await pickOption(page, modal.locator('.ant-select').first(), { text: '北京中评智信绩效评价咨询有限公司' });
    await modal.locator('textarea').fill('根据建设单位自评价情况开展第三方后评价。');
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.post-evaluation-card .ant-list-item', { hasText: '北京中评智信绩效评价咨询有限公司' }).waitFor({ state: 'visible', timeout: 20_000 });

    // The evaluator uploads its report and concludes 继续运行.
    page = await openCard('evaluator', id);
    await uploadReport(page, 'upload-postEvaluationReport', '第三方后评价报告.pdf');
    await page.locator('[data-testid="post-evaluation-conclude"]').click();
    const conclude = page.locator('.acceptance-modal').filter({ visible: true });
    await conclude.waitFor({ state: 'visible' });
    await conclude.getByText('继续运行', { exact: true }).click();
    await conclude.locator('textarea').fill('系统运行稳定，共享接口按目录提供，建议继续运行。');
    await conclude.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.post-evaluation-card .ant-tag', { hasText: '继续运行' }).waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.post-evaluation-card').scrollIntoViewIfNeeded();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'hidden', timeout: 20_000 }).catch(() => undefined);
    await settle(page);
    await page.screenshot({ path: join(DOC_SCREENSHOTS, 'post-evaluation-concluded.png') });

    const view = await api.ok<{ commissions: Array<{ conclusion: string; report: { fileName: string } | null }> }>(preparer.token, 'GET', `/projects/${id}/post-evaluation`);
    expect(view.commissions).toEqual([expect.objectContaining({ conclusion: 'continue', report: expect.objectContaining({ fileName: '第三方后评价报告.pdf' }) })]);
  }, 240_000);
});
