// 政务信息系统目录 and 国家政务信息系统总目录 (第十二条) with the 孤网 exception (第二十八条) in
// Debian's Chromium, against a real server with the demo seed: the preparer registers a system
// on an isolated network (the server's field problems shown on the fields first) and finds it
// flagged in the list, on a desktop and on a phone; NDRC records the State Council's exception
// with a one-time code, the flag goes and the decision timeline shows 签名有效; the department
// confirms its list (once after the list changed under it: 412, reloaded and explained); the
// national view counts the systems by province as the API does. Screenshots land in
// test/output/screenshots/catalog-*.png for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_CATALOG_PROJECT } from '../../src/domain/demo-catalog.ts';
import { apiClient, DESKTOP, horizontalOverflow, launchChromium, PHONE, pickOption, SCREENSHOTS, settle, signIn, TotpSteps, type BrowserUser } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const TOTP_USERS = new Set(['unitlead', 'ndrc']);
const SYSTEM = '社保基金离线核算系统（端到端测试）';

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let client: ReturnType<typeof apiClient>;
let systemId = '';
const totp = new TotpSteps();
const users = new Map<string, BrowserUser>();

async function signInAs(username: string): Promise<void> {
  users.set(username, await signIn(browser, server.url, username, TOTP_USERS.has(username) ? { totp } : {}));
}

function shanghaiDate(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  client = apiClient(server.url);
  browser = await launchChromium();
  await signInAs('preparer');
  await signInAs('ndrc');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('政务信息系统目录 (第十二条) and 孤网 exceptions (第二十八条)', () => {
  it('第十二条, 第二十八条: the preparer registers a system on an isolated network and the list flags it', async () => {
    const { page } = users.get('preparer')!;
    await page.goto(`${server.url}/catalog/systems`);
    await page.locator('.ant-table-row', { hasText: '社会保险公共服务平台' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    // The menu group 目录管理 holds both catalog pages.
    await page.locator('.ant-menu', { hasText: '目录管理' }).getByText('国家总目录').waitFor({ state: 'visible' });

    await page.locator('.catalog-create').click();
    const drawer = page.locator('.catalog-form-drawer');
    await drawer.waitFor({ state: 'visible' });
    await drawer.getByLabel('系统名称').fill(SYSTEM);
    await drawer.getByLabel('业务领域').fill('社会保障');
    await drawer.getByLabel('建设目的和主要功能').fill('离线核算社保基金收支，核算结果经审批后人工导入业务系统');
    await drawer.locator('.ant-radio-button-wrapper', { hasText: /^运行$/ }).click();
    await drawer.getByLabel('用户规模（人）').fill('40');
    await drawer.locator('.catalog-network-type .ant-radio-button-wrapper', { hasText: /^孤网$/ }).click();
    // 第二十八条: choosing 孤网 tells the user what follows.
    await drawer.locator('.catalog-isolated-warning').waitFor({ state: 'visible' });

    // The project that built it, found by name; one of that project's catalog resources it holds.
    await drawer.locator('.catalog-add-project').click();
    await pickOption(page, drawer.locator('.catalog-project-picker').first(), { search: '社会保险公共服务平台', text: DEMO_CATALOG_PROJECT });
    await drawer.locator('.catalog-add-resource').click();
    await pickOption(page, drawer.locator('.catalog-resource-picker').first());

    // 等保第二级 in operation without its 备案编号: the server names the field, and the form shows it there.
    await drawer.locator('.catalog-form-save').click();
    const filing = drawer.locator('.ant-form-item', { hasText: '等保备案编号' });
    await filing.locator('.ant-form-item-explain-error', { hasText: '须填写公安机关出具的等保备案编号' }).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await drawer.locator('.catalog-form-errors').textContent()).toContain('等保备案编号');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-form-errors-1440.png') });

    await filing.locator('input').fill('11000013001-29001');
    await drawer.locator('.catalog-form-save').click();
    await page.locator('.ant-message-notice', { hasText: `已登记：${SYSTEM}` }).waitFor({ state: 'visible', timeout: 15_000 });
    await drawer.waitFor({ state: 'hidden' });

    // The list shows it with the red flag.
    const row = page.locator('.ant-table-row', { hasText: SYSTEM });
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await row.locator('.isolation-flag').textContent()).toContain('孤网·无例外决定');
    const listed = await client.call<{ items: Array<{ id: string; name: string; isolatedWithoutException: boolean; resources: unknown[]; projects: unknown[] }> }>(
      users.get('preparer')!.token, 'GET', `/systems?q=${encodeURIComponent(SYSTEM)}`,
    );
    const saved = listed.body.items.find((s) => s.name === SYSTEM)!;
    expect(saved).toMatchObject({ isolatedWithoutException: true });
    expect(saved.projects).toHaveLength(1);
    expect(saved.resources).toHaveLength(1);
    systemId = saved.id;
    await page.waitForLoadState('networkidle');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-list-1440.png') });

    // The 孤网无例外 filter, given in the address, lists flagged systems only.
    await page.goto(`${server.url}/catalog/systems?isolatedWithoutException=true`);
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    const rows = page.locator('.ant-table-row');
    expect(await rows.count()).toBe(await page.locator('.ant-table-row .isolation-flag').count());

    // Excel export of the same filters.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.catalog-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

    // On a phone the list is cards, the flag on the card, nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/catalog/systems`);
    const card = page.locator('.system-card', { hasText: SYSTEM });
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await card.locator('.isolation-flag').count()).toBe(1);
    expect(await page.locator('.ant-table').count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await card.scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-list-390.png') });
    await card.click();
    await page.waitForURL((u) => u.pathname === `/catalog/systems/${systemId}`, { timeout: 15_000 });
    await page.setViewportSize(DESKTOP);
  }, 180_000);

  it('第二十八条: NDRC records the State Council\'s exception with a one-time code; the flag goes and the timeline shows 签名有效', async () => {
    expect(systemId).not.toBe('');
    const { page } = users.get('ndrc')!;
    await page.goto(`${server.url}/catalog/systems/${systemId}`);
    const header = page.locator('.ant-page-header');
    await header.locator('.isolation-flag').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('.isolation-decisions').textContent()).toContain('尚无孤网例外决定');
    // NDRC decides but does not keep anyone's list.
    expect(await page.locator('.system-edit').count()).toBe(0);

    await page.locator('.isolation-grant').click();
    const drawer = page.locator('.isolation-decision-drawer');
    await drawer.waitFor({ state: 'visible' });
    await drawer.getByLabel('国务院批准文号').fill('国函〔2026〕88号');
    await drawer.locator('.ant-picker input').click();
    await drawer.locator('.ant-picker input').fill(shanghaiDate(-10));
    await page.keyboard.press('Enter');
    await drawer.getByLabel('例外理由（不能联网共享的原因）').fill('核算数据涉及基金安全，须在物理隔离环境中处理；核算结果按月通过审批后导入业务系统共享。');
    await drawer.locator('.ant-otp input').first().click();
    await page.keyboard.type(await totp.next('ndrc'));
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-exception-1440.png') });
    await drawer.locator('.isolation-decision-confirm').click();
    await page.locator('.ant-message-notice', { hasText: '已记录孤网例外决定' }).waitFor({ state: 'visible', timeout: 15_000 });
    await drawer.waitFor({ state: 'hidden' });

    // The flag is gone; the standing exception and its signed decision are shown.
    await header.locator('.isolation-exception-tag', { hasText: '国函〔2026〕88号' }).waitFor({ state: 'visible' });
    expect(await header.locator('.isolation-flag').count()).toBe(0);
    const decision = page.locator('.isolation-decisions .isolation-decision[data-decision="grant"]');
    await decision.waitFor({ state: 'visible' });
    expect(await decision.locator('.signature-tag').textContent()).toContain('签名有效');
    expect(await decision.textContent()).toContain('黄勇');
    // The reloaded page agrees (the server verified the stored signature).
    await page.reload();
    await decision.locator('.signature-tag', { hasText: '签名有效' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-detail-1440.png'), fullPage: true });

    // The list no longer flags it.
    await page.goto(`${server.url}/catalog/systems?q=${encodeURIComponent(SYSTEM)}`);
    const row = page.locator('.ant-table-row', { hasText: SYSTEM });
    await row.locator('.isolation-exception-tag').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await row.locator('.isolation-flag').count()).toBe(0);

    // The detail on a phone: one column, nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/catalog/systems/${systemId}`);
    await decision.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.locator('.isolation-decisions').scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-detail-390.png') });
    await page.setViewportSize(DESKTOP);
  }, 180_000);

  it('第十二条: the department confirms its list; a list that changed meanwhile is reloaded and explained first', async () => {
    const { page, token } = users.get('preparer')!;
    await page.goto(`${server.url}/catalog/national`);
    const card = page.locator('.own-department-card', { hasText: '人力资源和社会保障部信息中心' });
    await card.locator('.catalog-confirm-button').waitFor({ state: 'visible', timeout: 20_000 });
    // The seed confirmed the list; registering the new system changed it since.
    await card.locator('.confirmation-changed', { hasText: '确认后有变更' }).waitFor({ state: 'visible', timeout: 15_000 });

    // Someone edits a system of the list after the page read it: the confirmation is refused (412).
    const before = await client.call<{ version: number } & Record<string, unknown>>(token, 'GET', `/systems/${systemId}`);
    const { id: _id, ownerOrganizationName: _o, divisionCode: _d, province: _p, isolatedWithoutException: _f, isolationException: _x,
      version, createdBy: _c, createdAt: _ca, updatedAt: _u, projects, resources, ...fields } = before.body as Record<string, unknown> & { version: number };
    const edited = await client.call(token, 'PUT', `/systems/${systemId}`, {
      ...fields,
      userCount: 45,
      projects: (projects as Array<{ projectId: string; relation: string }>).map(({ projectId, relation }) => ({ projectId, relation })),
      resources: (resources as Array<{ resourceId: string; relation: string }>).map(({ resourceId, relation }) => ({ resourceId, relation })),
    }, { 'if-match': `"${version}"` });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);

    await card.locator('.catalog-confirm-button').click();
    const modal = page.locator('.catalog-confirm-modal');
    await modal.waitFor({ state: 'visible' });
    expect(await modal.textContent()).toContain('共 6 个系统');
    await modal.locator('.catalog-confirm-note').fill('已逐项核对本单位系统（端到端测试）');
    await modal.getByRole('button', { name: /确\s*认/ }).click();
    await card.locator('.catalog-confirm-stale', { hasText: '已重新加载最新情况' }).waitFor({ state: 'visible', timeout: 15_000 });

    // Confirming what is there now succeeds.
    await card.locator('.catalog-confirm-button').click();
    await modal.waitFor({ state: 'visible' });
    await modal.getByRole('button', { name: /确\s*认/ }).click();
    await page.locator('.ant-message-notice', { hasText: '已确认本单位目录' }).waitFor({ state: 'visible', timeout: 15_000 });
    await card.locator('.confirmation-unchanged').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await card.locator('.confirmation-current').textContent()).toContain('已按期确认');

    const status = await client.call<{ systemCount: number; changedSinceConfirmation: boolean; stale: boolean; lastConfirmation: { byName: string; systemCount: number } }>(
      token, 'GET', `/system-catalog/departments/${(await client.call<{ ownerOrganizationId: string }>(token, 'GET', `/systems/${systemId}`)).body.ownerOrganizationId}`,
    );
    expect(status.body).toMatchObject({ systemCount: 6, changedSinceConfirmation: false, stale: false, lastConfirmation: { byName: '刘洋', systemCount: 6 } });

    // The confirmation status table says the same.
    await page.getByRole('tab', { name: '目录确认情况' }).click();
    const deptRow = page.locator('.catalog-department-table .ant-table-row', { hasText: '人力资源和社会保障部信息中心' });
    await deptRow.locator('.confirmation-current').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await deptRow.textContent()).toContain('刘洋');
    await page.waitForLoadState('networkidle');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-confirm-1440.png') });
  }, 180_000);

  it('第十二条: the national view counts the systems by province (行政区划) and drills down by department', async () => {
    const { page, token } = users.get('ndrc')!;
    const expected = await client.call<{ items: Array<{ province: string; name: { zh: string }; counts: { systems: number; isolatedWithoutException: number } }>; total: { systems: number } }>(
      token, 'GET', '/system-catalog/provinces',
    );
    expect(expected.body.items.map((p) => p.name.zh)).toEqual(expect.arrayContaining(['中央本级', '江苏省', '四川省']));

    await page.goto(`${server.url}/catalog/national`);
    await page.locator('.catalog-total[data-count="systems"] .ant-statistic-content-value', { hasText: String(expected.body.total.systems) })
      .waitFor({ state: 'visible', timeout: 20_000 });

    // By department: expand the ministry, see its information centre with the new system counted.
    const tree = page.locator('.catalog-tree-table');
    const ministry = tree.locator('.ant-table-row', { hasText: '人力资源和社会保障部' }).first();
    await ministry.waitFor({ state: 'visible', timeout: 15_000 });
    await ministry.locator('.ant-table-row-expand-icon').click();
    const centre = tree.locator('.ant-table-row', { hasText: '人力资源和社会保障部信息中心' });
    await centre.waitFor({ state: 'visible', timeout: 15_000 });
    expect((await centre.locator('td').nth(1).textContent())?.trim()).toBe('6');
    await page.waitForLoadState('networkidle');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-national-1440.png') });

    // By province: the same counts as the API.
    await page.getByRole('tab', { name: '按省份（行政区划）' }).click();
    const table = page.locator('.catalog-province-table');
    for (const p of expected.body.items) {
      const row = table.locator('.ant-table-row', { hasText: p.name.zh });
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      expect((await row.locator('td').nth(1).textContent())?.trim()).toBe(String(p.counts.systems));
    }
    expect(await table.locator('.catalog-total-row').textContent()).toContain(String(expected.body.total.systems));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.catalog-province-card .catalog-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-national-provinces-1440.png') });

    // A province's count opens the systems of that province.
    await table.locator('.ant-table-row', { hasText: '江苏省' }).locator('a.count-link').first().click();
    await page.waitForURL((u) => u.pathname === '/catalog/systems' && u.searchParams.get('province') === '32', { timeout: 15_000 });
    await page.locator('.ant-table-row', { hasText: '江苏政务服务网' }).waitFor({ state: 'visible', timeout: 15_000 });

    // On a phone: fewer columns, nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/catalog/national`);
    await page.getByRole('tab', { name: '按省份（行政区划）' }).click();
    await table.locator('.ant-table-row', { hasText: '江苏省' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.locator('.catalog-national-tabs').scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalog-national-390.png') });
    await page.setViewportSize(DESKTOP);
  }, 180_000);
});
