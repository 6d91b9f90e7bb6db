// 信息资源目录 (第十一条) and 重复建设 / 重复采集 (第二十八条) in Debian's Chromium, against a real
// server with the demo seed and one more preparer at 自然资源部信息中心 (made with the CLI before
// the server starts): the resource browser's tree by 类→项→目 and by provider, and a filter;
// the project wizard reminding of a near-duplicate demo project after the basic step; the
// duplicate-collection report listing an item that 人社部 and 自然资源部 systems both collect,
// the other department's system shown to 人社部 as 其他部门. Screenshots land in
// test/output/screenshots/resources-*.png and duplicate-*.png for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../support/fixtures.ts';
import { apiClient, DESKTOP, horizontalOverflow, launchChromium, PHONE, SCREENSHOTS, settle, signIn } from '../support/browser.ts';
import { randomMasterKey, removeDir, runCli, signInHttp, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

/** 自然资源部信息中心 (src/domain/demo-data.ts). */
const MNR_IC_CREDIT_CODE = '12100000400014508N';
const MNR_SYSTEM = '不动产登记信息管理系统（端到端测试）';

/** A browser page signed in (cookie) the way the login page does it. */
async function pageFor(username: string, viewport = DESKTOP): Promise<Page> {
  return (await signIn(browser, server.url, username, { viewport })).page;
}

/** The dropdown of the antd Select whose input has this id. */
function dropdownOf(page: Page, id: string): Locator {
  return page.locator('.ant-select-dropdown', { has: page.locator(`#${id}_list`) });
}

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  // The demo, and a preparer of another department, before the server holds the database.
  const seeded = await runCli(inst, ['seed', '--demo']);
  expect(seeded.code, seeded.stderr).toBe(0);
  const created = await runCli(inst, [
    'user', 'create', '--username', 'mnrpreparer', '--name', '自然资源部填报人', '--password', DEMO_PASSWORD,
    '--org', MNR_IC_CREDIT_CODE, '--role', 'preparer',
  ]);
  expect(created.code, created.stderr).toBe(0);
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  client = apiClient(server.url);
  browser = await launchChromium();

  // 自然资源部's system collects 社会保障号码 too, which the demo's 社会保险公共服务平台 collects.
  const preparer = await signInHttp(server.url, 'preparer');
  const mnr = await signInHttp(server.url, 'mnrpreparer');
  const demoProjects = await client.ok<{ items: Array<{ approvalDepartmentId: string }> }>(preparer, 'GET', '/projects?page=1&pageSize=1');
  const me = (await client.ok<{ user: { organizations: Array<{ id: string }> } }>(mnr, 'GET', '/auth/me')).user;
  const unit = me.organizations[0]!.id;
  const project = await client.ok<{ id: string }>(mnr, 'POST', '/projects', {
    name: '不动产登记信息共享项目（端到端测试）', constructionUnitId: unit, approvalDepartmentId: demoProjects.items[0]!.approvalDepartmentId,
    track: 'approval', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '500.00',
    fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 3 },
  });
  const resource = await client.ok<{ id: string }>(mnr, 'POST', `/projects/${project.id}/resources`, {
    name: '不动产权利人信息', code: '3-05-001/000001', classification: { kind: 'department', baseCategory: null }, providerOrganizationId: unit,
    format: 'database', updateCycle: 'monthly', sharingType: 'conditional', sharingBasis: '依法履职需要', openType: 'none', openBasis: '含个人信息',
    involvesSecrets: false, dataItems: [{ name: '社会保障号码', type: 'string' }, { name: '不动产单元号', type: 'string' }],
  });
  await client.ok(mnr, 'POST', '/systems', {
    name: MNR_SYSTEM, ownerOrganizationId: unit, purpose: '不动产登记业务办理', businessArea: '自然资源', networkType: 'extranet', involvesSecrets: false,
    security: { scheme: 'mlps', mlpsLevel: 2, filingNumber: null }, userCount: 10, status: 'under_construction', projects: [],
    resources: [{ resourceId: resource.id, relation: 'collects' }],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('信息资源目录 (第十一条), 重复建设 and 重复采集 (第二十八条)', () => {
  it('第十一条: the resource browser counts by 类→项→目 and by provider, and a tree node and a filter narrow the list', async () => {
    const page = await pageFor('preparer');
    await page.goto(`${server.url}/resources`);
    const rows = page.locator('.resource-table .ant-table-row');
    await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
    // The demo: the catalog project's three resources and two open ones (公开), and the filed
    // construction project's copy of the three (src/usecases/seed-demo-construction.ts).
    expect(await rows.count()).toBe(8);
    const tree = page.locator('.resource-tree-card .resource-tree');
    await expect.poll(() => tree.locator('.resource-tree-node', { hasText: '全部信息资源' }).textContent()).toContain('8');
    await expect.poll(() => tree.locator('.resource-tree-node', { hasText: '基础信息资源' }).textContent()).toContain('2');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'resources-desktop.png'), fullPage: true });

    // 类 1 (基础信息资源): only 电子证照：社会保障卡, in both projects.
    await tree.locator('.resource-tree-node', { hasText: '基础信息资源' }).click();
    await page.locator('.resource-selection').waitFor({ state: 'visible' });
    await expect.poll(() => rows.count()).toBe(2);
    for (const text of await rows.allTextContents()) expect(text).toContain('1-05-001/000001');
    // The link opens the project's 信息资源 tab.
    expect(await rows.first().locator('a.resource-name-link').getAttribute('href')).toMatch(/^\/projects\/[0-9a-f-]+\?tab=resources$/);

    // By provider: the count on 人力资源和社会保障部's node is the rows its selection lists.
    await page.locator('.resource-tree-card .resource-tree-toggle').getByText('按提供部门').click();
    const ministry = tree.locator('.resource-tree-node', { hasText: '人力资源和社会保障部' }).first();
    await expect.poll(() => ministry.textContent()).toMatch(/\d+/);
    const counted = Number(/(\d+)\s*$/.exec((await ministry.textContent())!.trim())![1]);
    expect(counted).toBeGreaterThanOrEqual(5);
    await ministry.click();
    await expect.poll(() => rows.count()).toBe(counted);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'resources-by-department.png'), fullPage: true });

    // A filter: the keyword.
    await page.locator('.resource-main .ant-pro-query-filter input#q').fill('参保');
    await page.locator('.resource-main .ant-pro-query-filter').getByRole('button', { name: /查\s*询/ }).click();
    // Wait for the narrowed list itself: the rows before the query already hold a match.
    await expect.poll(() => rows.count()).toBeLessThan(counted);
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    expect((await rows.allTextContents()).some((text) => text.includes('社会保险参保信息'))).toBe(true);
  });

  it('第十一条: on a phone the tree is a drawer and the rows are cards, with no sideways scrolling', async () => {
    const page = await pageFor('preparer', PHONE);
    await page.goto(`${server.url}/resources`);
    await page.locator('.resource-card').first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('.resource-card').count()).toBe(8);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'resources-phone.png'), fullPage: true });
    await page.locator('.resource-tree-open').click();
    const drawer = page.locator('.resource-tree-drawer');
    await drawer.locator('.resource-tree-node', { hasText: '主题信息资源' }).waitFor({ state: 'visible' });
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'resources-phone-tree.png') });
    await drawer.locator('.resource-tree-node', { hasText: '主题信息资源' }).click();
    await expect.poll(() => page.locator('.resource-card').count()).toBe(2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('第二十八条: a new project whose name nearly duplicates a demo project is reminded of it after the basic step, without being blocked', async () => {
    const page = await pageFor('preparer');
    await page.goto(`${server.url}/projects/new`);
    const name = page.locator('#basic_name');
    await name.waitFor({ state: 'visible', timeout: 20_000 });
    await name.fill('全国社会保险公共服务平台升级改造工程');
    // 审批部门, 项目类型, 规划任务: the basic step's other required choices.
    await page.locator('#basic_approvalDepartmentId').click({ force: true });
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-node-content-wrapper', { hasText: '创新和高技术发展司' }).first().click();
    await page.locator('#basic_kind').click({ force: true });
    await dropdownOf(page, 'basic_kind').locator('.ant-select-item-option', { hasText: '新建' }).first().click();
    await page.locator('#basic_planTaskId').click({ force: true });
    await dropdownOf(page, 'basic_planTaskId').locator('.ant-select-item-option:not(.ant-select-item-option-disabled)').first().click();
    await page.locator('.wizard-actions').getByRole('button', { name: /下一步/ }).click();

    const warning = page.locator('.wizard-duplicates');
    await warning.locator('.duplicate-entry').first().waitFor({ state: 'visible', timeout: 20_000 });
    const first = warning.locator('.duplicate-entry').first();
    expect(await first.textContent()).toContain('全国社会保险公共服务平台升级改造项目（演示）');
    expect(await first.getAttribute('data-kind')).toBe('project');
    expect(await warning.textContent()).toContain('第二十八条');
    expect(await first.locator('.duplicate-term').allTextContents()).toContain('社会保险');
    expect(await first.locator('a.duplicate-name').getAttribute('href')).toMatch(/^\/projects\/[0-9a-f-]+$/);
    // A reminder: the wizard goes on (the next step's fields are there and nothing is disabled).
    expect(await page.locator('#investment_constructionStart').count()).toBe(1);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'duplicate-wizard.png'), fullPage: true });

    const phone = await pageFor('preparer', PHONE);
    const demo = await phone.request.get(`${server.url}/api/v1/projects?page=1&pageSize=20&q=${encodeURIComponent('社会保险公共服务平台')}`);
    const id = ((await demo.json()) as { items: Array<{ id: string }> }).items[0]!.id;
    await phone.goto(`${server.url}/projects/${id}`);
    const card = phone.locator('.similar-card');
    await card.waitFor({ state: 'visible', timeout: 20_000 });
    await card.locator('.ant-collapse-header').click();
    await card.locator('.duplicate-entry').first().waitFor({ state: 'visible' });
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await settle(phone);
    await phone.screenshot({ path: join(SCREENSHOTS, 'duplicate-project-phone.png'), fullPage: true });
  });

  it('第二十八条: the duplicate-collection report lists 社会保障号码 collected by 人社部 and 自然资源部, the other department shown as 其他部门', async () => {
    const page = await pageFor('preparer');
    await page.goto(`${server.url}/catalog/duplicate-collection`);
    const row = page.locator('.dup-table .ant-table-row', { hasText: '社会保障号码' }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: join(SCREENSHOTS, 'duplicate-collection-failed.png'), fullPage: true });
      throw error;
    });
    expect(await row.textContent()).toContain('2 个单位');
    expect(await row.locator('.dup-system[data-visible="true"]', { hasText: '社会保险公共服务平台' }).count()).toBeGreaterThan(0);
    const hidden = row.locator('.dup-system[data-visible="false"]');
    expect(await hidden.count()).toBe(1);
    expect(await hidden.textContent()).toContain('其他部门');
    expect(await row.textContent()).not.toContain(MNR_SYSTEM);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'duplicate-collection-desktop.png'), fullPage: true });

    // The owner of the other system sees its own system by name, and 人社部's as 其他部门.
    const mnr = await pageFor('mnrpreparer', PHONE);
    await mnr.goto(`${server.url}/catalog/duplicate-collection`);
    const card = mnr.locator('.dup-card', { hasText: '社会保障号码' }).first();
    await card.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await card.textContent()).toContain(MNR_SYSTEM);
    expect(await card.locator('.dup-system[data-visible="false"]').count()).toBeGreaterThan(0);
    expect(await horizontalOverflow(mnr)).toBeLessThanOrEqual(0);
    await settle(mnr);
    await mnr.screenshot({ path: join(SCREENSHOTS, 'duplicate-collection-phone.png'), fullPage: true });
  });
});
