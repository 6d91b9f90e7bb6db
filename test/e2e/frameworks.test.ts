// 跨部门框架方案 (第十条, I-13) and 上一期项目 (第九条) in Debian's Chromium: the demo plan's data-flow
// diagram; a new plan drawn up through the screens by the lead with a second department, blocked
// (every problem listed with its article) until the suspected overlap is justified and both parts
// are confirmed, then submitted; NDRC confirms it with a one-time code and the history shows the
// signature valid; the participant's notification leads to the plan. Then a 改建 filing links its
// previous project, whose 第三方后评价报告 was uploaded on that project's materials tab.
// Screenshots land in test/output/screenshots/frameworks-*.png (1440×900 and 390×844).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { base32Decode, totpAt } from '../../src/crypto/totp.ts';
import { DEMO_CATALOG } from '../../src/domain/demo-catalog.ts';
import { DEMO_FRAMEWORK } from '../../src/domain/demo-frameworks.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import { DEMO_PASSWORD, DEMO_TOTP } from '../support/fixtures.ts';
import { randomMasterKey, removeDir, REPO_ROOT, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const SHOTS = join(REPO_ROOT, 'test', 'output', 'screenshots');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const TOTP_USERS = new Set(['unitlead', 'ndrc', 'admin', 'secadmin']);
const MOHRSS_IC = '人力资源和社会保障部信息中心';
const SAMR_IC = '国家市场监督管理总局信息中心';
const PLAN_NAME = '跨部门政务服务“一件事”协同框架方案（第十条演练）';

let inst: Installation;
let server: ServerProcess;
let browser: Browser;

interface User {
  context: BrowserContext;
  page: Page;
  /** The same session as a Bearer token, for API calls without CSRF. */
  token: string;
}
const users = new Map<string, User>();
const user = (username: string) => users.get(username)!;

// ---- one-time codes: each 30-second code is accepted once per user ---------------------------

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

// ---- API (Bearer) --------------------------------------------------------------------------

async function api<T>(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function bearer(username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...(TOTP_USERS.has(username) ? { totp: await freshTotp(username) } : {}) }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return (JSON.parse(text) as { token: string }).token;
}

async function upload(token: string, projectId: string, stage: string, materialCode: string) {
  const form = new FormData();
  form.append('stage', stage);
  form.append('materialCode', materialCode);
  form.append('file', new Blob([samplePdf()], { type: 'application/pdf' }), `${materialCode}.pdf`);
  const res = await fetch(`${server.url}/api/v1/projects/${projectId}/materials`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  expect(res.status, await res.clone().text()).toBe(201);
}

// ---- browser sessions ----------------------------------------------------------------------

/** A cookie session in its own browser context (the login screen itself is browser.test.ts's). */
async function signIn(username: string): Promise<User> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  const res = await context.request.post(`${server.url}/api/v1/auth/login`, {
    headers: { 'sec-fetch-mode': 'cors' },
    data: { username, password: DEMO_PASSWORD, ...(TOTP_USERS.has(username) ? { totp: await freshTotp(username) } : {}) },
  });
  expect(res.status(), await res.text()).toBe(200);
  const { token } = (await res.json()) as { token: string };
  const signedIn = { context, page: await context.newPage(), token };
  users.set(username, signedIn);
  return signedIn;
}

/** The user's session on a phone-sized screen. */
async function phonePage(username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    storageState: await user(username).context.storageState(),
  });
  return context.newPage();
}

async function noHorizontalScroll(page: Page) {
  const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })')) as { scroll: number; viewport: number };
  expect(widths.scroll, 'the page must not scroll sideways').toBeLessThanOrEqual(widths.viewport);
}

async function openPlan(page: Page, id: string, tab?: string) {
  await page.goto(`${server.url}/frameworks/${id}${tab ? `?tab=${tab}` : ''}`);
  await page.locator('.framework-panel').waitFor({ state: 'visible', timeout: 20_000 });
}

async function openTab(page: Page, name: string) {
  await page.locator('.framework-tabs .ant-tabs-tab', { hasText: name }).first().click();
}

const visibleModal = (page: Page) => page.locator('.ant-modal-wrap').filter({ visible: true }).locator('.ant-modal');

async function saveModal(page: Page) {
  const modal = visibleModal(page);
  await modal.locator('.ant-modal-footer .ant-btn-primary').click();
  try {
    await modal.waitFor({ state: 'hidden', timeout: 20_000 });
  } catch (error) {
    // Say why the form stayed open: its field errors, or the server's message.
    const errors = await page.locator('.ant-modal-wrap .ant-form-item-explain-error, .ant-message-notice').allInnerTexts();
    throw new Error(`the form did not close: ${errors.join(' | ') || String(error)}`);
  }
}

const OPEN_DROPDOWN = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';

async function chooseOption(page: Page, select: Locator, text: string, options: { search?: boolean } = {}) {
  // The previous list must have finished closing, or its option is the one found.
  await expect.poll(() => page.locator(OPEN_DROPDOWN).count()).toBe(0);
  // On a busy machine the list may still be sliding in when clicked: open it again and retry.
  for (let attempt = 1; ; attempt++) {
    // (the chosen value's label lies over the search input)
    await select.click({ force: true });
    // A directory picker (DepartmentSelect) shows a page of the directory: search it by name.
    if (options.search) await page.keyboard.type(text);
    try {
      await page.locator(`${OPEN_DROPDOWN} .ant-select-item-option`, { hasText: text }).first().click({ timeout: 8_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Tab');
      await expect.poll(() => page.locator(OPEN_DROPDOWN).count()).toBe(0);
    }
  }
}

/** Adds tags to a tags Select, typing into its own input (not wherever the focus happens to be). */
async function typeTags(select: Locator, items: string[]) {
  await select.click({ force: true });
  const container = select.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-select ")][1]');
  for (const item of items) {
    const before = await container.locator('.ant-select-selection-item').count();
    await select.fill(item);
    await select.press('Enter');
    await expect.poll(() => container.locator('.ant-select-selection-item').count()).toBe(before + 1);
  }
}

async function confirmPopover(page: Page) {
  await page.locator('.ant-popover:not(.ant-popover-hidden) .ant-popconfirm-buttons .ant-btn-primary').click();
}

/** Waits until the toasts have gone, so a screenshot shows the page under them. */
async function quiet(page: Page) {
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => undefined);
}

async function message(page: Page, text: string) {
  await page.locator('.ant-message-notice', { hasText: text }).first().waitFor({ state: 'visible', timeout: 20_000 });
}

interface Plan {
  id: string;
  status: string;
  participants: { organizationId: string; organizationName: string; confirmation: unknown }[];
  overlaps: { justification: unknown }[];
  submissionProblems: { code: string; article: string | null }[];
}

// ---- the tests ------------------------------------------------------------------------------

let demoPlanId = '';
let planId = '';
let samrId = '';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await signIn('preparer');
  await signIn('ndrc');
  const plans = await api<{ items: { id: string; name: string }[] }>(user('preparer').token, 'GET', '/frameworks');
  demoPlanId = plans.body.items.find((p) => p.name === DEMO_FRAMEWORK.name)!.id;
  const demo = await api<Plan>(user('preparer').token, 'GET', `/frameworks/${demoPlanId}`);
  samrId = demo.body.participants.find((p) => p.organizationName === SAMR_IC)!.organizationId;
  // The second department's preparer: the system administrator creates the account, the security
  // administrator grants the role (三员分立).
  const created = await api<{ user: { id: string; version: number } }>(await bearer('admin'), 'POST', '/users', {
    username: 'samrpreparer', displayName: '郑凯', password: DEMO_PASSWORD, organizationIds: [samrId],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const granted = await api(await bearer('secadmin'), 'PATCH', `/users/${created.body.user.id}`, { roleCodes: ['preparer'] }, { 'if-match': `"${created.body.user.version}"` });
  expect(granted.status, JSON.stringify(granted.body)).toBe(200);
  await signIn('samrpreparer');
}, 180_000);

// A failed step leaves what each user's screen showed, to see why.
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  for (const [username, u] of users) await u.page.screenshot({ path: join(SHOTS, `frameworks-failed-${username}.png`) }).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('跨部门框架方案 (第十条, I-13)', () => {
  it('第十条: the demo plan lists its parts and draws its data flows as a diagram of departments and systems; the flows export', async () => {
    const { page } = user('preparer');
    await page.goto(`${server.url}/frameworks`);
    await page.locator('.framework-name-link', { hasText: DEMO_FRAMEWORK.name }).waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, 'frameworks-list-1440.png') });

    await page.locator('.framework-name-link', { hasText: DEMO_FRAMEWORK.name }).click();
    await page.locator('.framework-panel').waitFor({ state: 'visible', timeout: 20_000 });
    await openTab(page, '数据流与接口');
    const graph = page.locator('.data-flow-graph');
    await graph.locator('canvas').waitFor({ state: 'visible', timeout: 20_000 });
    // Two departments and the three systems named at the ends of the two flows.
    expect(await graph.getAttribute('data-flows')).toBe('2');
    expect(await graph.getAttribute('data-nodes')).toBe('5');
    await expect.poll(() => graph.getAttribute('aria-label')).toContain('2 个部门、3 个系统、2 条数据流');
    expect(await page.locator('.data-flow-table tbody tr').count()).toBe(2);
    expect(await page.locator('.data-flow-table').innerText()).toContain('全国市场主体登记注册系统');
    await page.waitForTimeout(800); // the diagram's entry animation
    await page.screenshot({ path: join(SHOTS, 'frameworks-dataflow-1440.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.data-flow-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^数据流与系统接口-.*\.xlsx$/);

    // A phone: the diagram stacks the departments top to bottom; nothing is wider than the screen.
    const phone = await phonePage('preparer');
    await openPlan(phone, demoPlanId, 'dataFlows');
    await phone.locator('.data-flow-graph canvas').waitFor({ state: 'visible', timeout: 20_000 });
    await noHorizontalScroll(phone);
    await phone.locator('.data-flow-graph-card').scrollIntoViewIfNeeded();
    await phone.waitForTimeout(800);
    await phone.screenshot({ path: join(SHOTS, 'frameworks-dataflow-390.png') });
    await phone.context().close();
  }, 120_000);

  it('第十条, I-13: a new plan with two departments shows the suspected overlap and every problem, and cannot be submitted until the overlap is justified and both parts are confirmed', async () => {
    const { page } = user('preparer');
    await page.goto(`${server.url}/frameworks`);
    await page.locator('.framework-create').click();
    let modal = visibleModal(page);
    await modal.locator('#createFramework_name').fill(PLAN_NAME);
    await chooseOption(page, modal.locator('#createFramework_participantIds'), SAMR_IC, { search: true });
    await modal.locator('#createFramework_goals').fill('企业开办、参保登记、年报“一件事”跨部门协同办理，证照互认、数据共享、不重复建设。');
    await modal.locator('.ant-modal-title').click(); // closes the participant list
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/frameworks\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    planId = page.url().split('/').pop()!;
    await page.locator('.framework-panel .framework-problems').waitFor({ state: 'visible', timeout: 20_000 });

    // 主要建设内容: the lead enters both departments' contents; two of them overlap.
    await openTab(page, '建设内容');
    for (const [org, title, description] of [
      [MOHRSS_IC, '电子社保卡签发与亮证核验服务', '建设电子社保卡签发、亮证核验和跨地区互认服务，支撑参保人员线上身份核验。'],
      [SAMR_IC, '电子营业执照签发与亮证核验服务', '建设电子营业执照签发、下载和亮证核验服务，面向企业开办和涉企审批提供在线身份核验。'],
    ]) {
      await page.locator('.content-card', { hasText: org! }).locator('.content-add').click();
      modal = visibleModal(page);
      await modal.locator('#frameworkContent_title').fill(title!);
      await modal.locator('#frameworkContent_description').fill(description!);
      await saveModal(page);
    }
    const overlap = page.locator('.overlap-card').first();
    await overlap.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await overlap.getAttribute('data-state')).toBe('unhandled');
    // The shared terms are highlighted in both texts.
    expect(await overlap.locator('mark.overlap-term', { hasText: '核验' }).count()).toBeGreaterThan(1);
    expect(await page.locator('.content-overlap-tag', { hasText: '疑似重叠·未处理' }).count()).toBe(2);

    // 业务流 (the lead), 数据流 and 初步数据目录.
    await openTab(page, '业务流');
    await page.locator('.business-flow-add').click();
    modal = visibleModal(page);
    await modal.locator('#businessFlow_name').fill('企业开办即参保');
    await chooseOption(page, modal.locator('#businessFlow_steps_0_organizationId'), SAMR_IC);
    await modal.locator('#businessFlow_steps_0_activity').fill('办理企业设立登记并推送登记信息');
    await modal.getByRole('button', { name: '增加步骤' }).click();
    await chooseOption(page, modal.locator('#businessFlow_steps_1_organizationId'), MOHRSS_IC);
    await modal.locator('#businessFlow_steps_1_activity').fill('自动完成单位参保登记');
    await saveModal(page);
    await page.locator('.business-flow', { hasText: '企业开办即参保' }).waitFor({ state: 'visible' });

    await openTab(page, '数据流与接口');
    await page.locator('.data-flow-add').click();
    modal = visibleModal(page);
    await modal.locator('#dataFlow_from_system').fill('社会保险经办管理信息系统');
    await chooseOption(page, modal.locator('#dataFlow_to_organizationId'), SAMR_IC);
    await modal.locator('#dataFlow_to_system').fill('国家企业信用信息公示系统');
    await typeTags(modal.locator('#dataFlow_dataItems'), ['统一社会信用代码', '参保人数']);
    await saveModal(page);
    await expect.poll(() => page.locator('.data-flow-graph').getAttribute('data-flows')).toBe('1');

    await openTab(page, '初步数据目录');
    await page.locator('.catalog-entry-add').click();
    modal = visibleModal(page);
    await modal.locator('#catalogEntry_name').fill('单位参保信息');
    await typeTags(modal.locator('#catalogEntry_dataItems'), ['统一社会信用代码', '参保人数']);
    await saveModal(page);
    await page.locator('.detail-card', { hasText: '单位参保信息' }).waitFor({ state: 'visible' });

    // The panel lists every problem at once, each with its article; 联合报送 waits.
    const problems = page.locator('.framework-panel .framework-problems');
    // I-13: besides the pair, the card contents look like the demo catalog's 电子社保卡服务系统.
    await expect.poll(async () => [...new Set((await problems.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-code')))))].sort()).toEqual(
      ['framework.catalog_overlap_unresolved', 'framework.overlap_unresolved', 'framework.participant_unconfirmed'],
    );
    expect(await problems.locator('li[data-code="framework.participant_unconfirmed"]').count()).toBe(2);
    const text = await problems.innerText();
    expect(text).toContain('第十条');
    expect(text).toContain('疑似重叠未处理');
    expect(text).toContain(`${SAMR_IC}尚未确认本部门分项内容`);
    expect(await page.locator('.framework-panel button[data-action="submit"]').isDisabled()).toBe(true);
    await page.locator('.framework-panel').scrollIntoViewIfNeeded();
    await quiet(page);
    await page.screenshot({ path: join(SHOTS, 'frameworks-blocked-1440.png') });

    // I-13: the overlap justified in writing.
    await problems.locator('li[data-code="framework.overlap_unresolved"] .problem-link').click();
    await overlap.locator('textarea').fill('两项服务分别签发电子社保卡（自然人）与电子营业执照（市场主体），证照类型、数据来源和服务对象不同，共用国家政务服务平台的亮证核验接口规范，不属于重复建设。');
    await overlap.locator('.overlap-justify').click();
    await page.locator('.overlap-card[data-state="justified"]').waitFor({ state: 'visible', timeout: 20_000 });
    // I-13: each suspected overlap with a master-catalog system, listed with the system and the
    // shared terms, justified in writing too.
    const catalogCard = page.locator('.catalog-overlaps-card');
    await catalogCard.scrollIntoViewIfNeeded();
    expect(await catalogCard.innerText()).toContain('电子社保卡服务系统');
    await quiet(page);
    await page.screenshot({ path: join(SHOTS, 'frameworks-catalog-overlaps-1440.png'), fullPage: true });
    for (let left = await catalogCard.locator('.catalog-overlap-row[data-state="unhandled"]').count(); left > 0; left--) {
      const row = catalogCard.locator('.catalog-overlap-row[data-state="unhandled"]').first();
      await row.locator('textarea').fill('本框架在总目录已有系统上扩展跨部门应用，不另建同类系统。');
      await row.locator('.catalog-overlap-justify').click();
      await expect.poll(() => catalogCard.locator('.catalog-overlap-row[data-state="unhandled"]').count(), { timeout: 20_000 }).toBe(left - 1);
    }
    await expect.poll(() => problems.locator('li[data-code="framework.catalog_overlap_unresolved"]').count(), { timeout: 20_000 }).toBe(0);
    await quiet(page);
    await page.screenshot({ path: join(SHOTS, 'frameworks-overlap-1440.png'), fullPage: true });

    const phone = await phonePage('preparer');
    await openPlan(phone, planId, 'contents');
    await phone.locator('.overlap-card').first().waitFor({ state: 'visible' });
    await noHorizontalScroll(phone);
    await phone.locator('.overlap-card').first().scrollIntoViewIfNeeded();
    await phone.waitForTimeout(400);
    await phone.screenshot({ path: join(SHOTS, 'frameworks-overlap-390.png') });
    await openPlan(phone, planId, 'participants');
    await noHorizontalScroll(phone);
    await phone.screenshot({ path: join(SHOTS, 'frameworks-blocked-390.png') });
    await phone.context().close();

    // The lead confirms its part; a later change to that part clears the confirmation.
    await openTab(page, '参与部门');
    const mine = page.locator('.participant-item', { hasText: MOHRSS_IC });
    await mine.locator('.confirm-part').click();
    await confirmPopover(page);
    await page.locator('.participant-item[data-confirmed="yes"]', { hasText: MOHRSS_IC }).waitFor({ state: 'visible', timeout: 20_000 });
    await openTab(page, '初步数据目录');
    await page.locator('.detail-card', { hasText: '单位参保信息' }).getByRole('button', { name: '编辑' }).click();
    modal = visibleModal(page);
    await typeTags(modal.locator('#catalogEntry_dataItems'), ['缴费状态']);
    await saveModal(page);
    await message(page, `${MOHRSS_IC}的确认已清除`);
    await openTab(page, '参与部门');
    await page.locator('.participant-item[data-confirmed="no"]', { hasText: MOHRSS_IC }).waitFor({ state: 'visible' });
    await mine.locator('.confirm-part').click();
    await confirmPopover(page);
    await page.locator('.participant-item[data-confirmed="yes"]', { hasText: MOHRSS_IC }).waitFor({ state: 'visible', timeout: 20_000 });
    // The participant cannot confirm for the other department; only the last problem is left.
    expect(await page.locator('.participant-item', { hasText: SAMR_IC }).locator('.confirm-part').count()).toBe(0);
    await expect.poll(() => problems.locator('li').count()).toBe(1);

    // The other department's preparer confirms its own part.
    const samr = user('samrpreparer').page;
    await openPlan(samr, planId, 'participants');
    const theirs = samr.locator('.participant-item', { hasText: SAMR_IC });
    expect(await samr.locator('.participant-item', { hasText: MOHRSS_IC }).locator('.confirm-part').count()).toBe(0);
    await theirs.locator('.confirm-part').click();
    await confirmPopover(samr);
    await samr.locator('.participant-item[data-confirmed="yes"]', { hasText: SAMR_IC }).waitFor({ state: 'visible', timeout: 20_000 });
    // Only the lead submits.
    expect(await samr.locator('.framework-panel button[data-action="submit"]').count()).toBe(0);

    // Nothing stands in the way now: the lead submits.
    await openPlan(page, planId);
    await page.locator('.framework-panel .framework-ready').waitFor({ state: 'visible', timeout: 20_000 });
    const submit = page.locator('.framework-panel button[data-action="submit"]');
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();
    await confirmPopover(page);
    await message(page, '已办理：联合报送');
    await page.locator('.framework-panel[data-status="submitted"]').waitFor({ state: 'visible', timeout: 20_000 });
    const plan = await api<Plan>(user('preparer').token, 'GET', `/frameworks/${planId}`);
    expect(plan.body.status).toBe('submitted');
  }, 300_000);

  it('第十条: NDRC confirms the plan with a one-time code; the history shows 签名有效; the lead links its project as its part; the other department\'s notification leads to the plan', async () => {
    // The decision screen on a phone: summary and form stacked, full width.
    const small = await phonePage('ndrc');
    await openPlan(small, planId);
    await small.locator('.framework-panel button[data-action="confirm"]').click();
    const smallDrawer = small.locator('.framework-decision-drawer').filter({ visible: true });
    await smallDrawer.locator('.ant-otp').waitFor({ state: 'visible' });
    expect(await smallDrawer.locator('.ant-drawer-body').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await small.waitForTimeout(400);
    await small.screenshot({ path: join(SHOTS, 'frameworks-decision-390.png') });
    await small.context().close();

    const { page } = user('ndrc');
    await openPlan(page, planId);
    await page.locator('.framework-panel button[data-action="confirm"]').click();
    const drawer = page.locator('.framework-decision-drawer').filter({ visible: true });
    await drawer.waitFor({ state: 'visible' });
    expect(await drawer.locator('.decision-participants .ant-list-item').count()).toBe(2);
    await drawer.locator('textarea').fill('框架方案各部门分工明确，疑似重叠已说明理由，同意确定。');
    await drawer.locator('.action-preflight').click();
    await drawer.locator('.dry-run-result[data-state="ok"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('.ant-otp input').first().click();
    await page.keyboard.type(await freshTotp('ndrc'));
    await page.screenshot({ path: join(SHOTS, 'frameworks-decision-1440.png') });
    await drawer.locator('.action-confirm').click();
    await message(page, '已办理：确定');
    await page.locator('.framework-panel[data-status="confirmed"]').waitFor({ state: 'visible', timeout: 20_000 });

    await openTab(page, '办理记录');
    const confirmed = page.locator('.history-item[data-action="confirm"]');
    await confirmed.locator('.signature-tag', { hasText: '签名有效' }).waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('.history-item[data-action="submit"]').count()).toBe(1);
    await confirmed.getByRole('button', { name: '重新验证' }).click();
    await confirmed.locator('.signature-recheck', { hasText: '复核有效' }).waitFor({ state: 'visible', timeout: 20_000 });
    await quiet(page);
    await page.screenshot({ path: join(SHOTS, 'frameworks-history-1440.png') });

    const phone = await phonePage('ndrc');
    await openPlan(phone, planId, 'history');
    await phone.locator('.history-item[data-action="confirm"] .signature-tag', { hasText: '签名有效' }).waitFor({ state: 'visible', timeout: 20_000 });
    await noHorizontalScroll(phone);
    await phone.locator('.history-card').scrollIntoViewIfNeeded();
    await phone.waitForTimeout(400);
    await phone.screenshot({ path: join(SHOTS, 'frameworks-history-390.png') });
    await phone.context().close();

    // 框架方案确定后: the lead's department links its own project as its part; the project shows its plan.
    const prep = user('preparer').page;
    await openPlan(prep, planId, 'projects');
    await prep.locator('.project-link').click();
    const linkModal = visibleModal(prep);
    await linkModal.locator('.project-search-select input').fill('电子证照社保卡');
    await prep.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '全国统一电子证照社保卡应用项目' }).click();
    await linkModal.locator('.ant-modal-footer .ant-btn-primary').click();
    await message(prep, '已关联项目');
    const linked = prep.locator('.ant-table-row', { hasText: '全国统一电子证照社保卡应用项目' });
    await linked.waitFor({ state: 'visible' });
    await linked.locator('a').first().click();
    const coordination = prep.locator('.coordination-card');
    await coordination.locator('a', { hasText: PLAN_NAME }).waitFor({ state: 'visible', timeout: 20_000 });
    expect(await coordination.innerText()).toContain(`（${MOHRSS_IC}分项）`);
    await coordination.scrollIntoViewIfNeeded();
    await quiet(prep);
    await prep.screenshot({ path: join(SHOTS, 'frameworks-coordination-1440.png') });

    // The other department hears of it; the notification opens the plan, not a project.
    const samr = user('samrpreparer').page;
    await samr.goto(`${server.url}/notifications`);
    const link = samr.locator('a', { hasText: PLAN_NAME }).first();
    await link.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await link.getAttribute('href')).toBe(`/frameworks/${planId}`);
    await link.click();
    await samr.waitForURL(`${server.url}/frameworks/${planId}`);
    await samr.locator('.framework-panel[data-status="confirmed"]').waitFor({ state: 'visible', timeout: 20_000 });
  }, 180_000);
});

describe('上一期项目 (第九条)', () => {
  interface CreatedProject {
    id: string;
    code: string;
    version: number;
    constructionUnitId: string;
  }
  const FILING_CONTENTS = [
    'projectName', 'constructionUnit', 'approvalDepartment', 'performanceTargets', 'totalInvestment', 'omFunding', 'fundingSource',
    'sharingAndOpening', 'applicationSystems', 'protectionFiling', 'cryptoApplicationPlan', 'cryptoAssessmentReport',
  ];

  async function filingProject(name: string, kind: string): Promise<CreatedProject> {
    const token = user('preparer').token;
    const demo = await api<{ items: { constructionUnitId: string; approvalDepartmentId: string }[] }>(token, 'GET', '/projects?page=1&pageSize=1');
    const { constructionUnitId: unit, approvalDepartmentId } = demo.body.items[0]!;
    const created = await api<CreatedProject>(token, 'POST', '/projects', {
      name, constructionUnitId: unit, approvalDepartmentId, track: 'filing', kind, planTaskId: null, involvesSecrets: false,
      crossDepartment: null, constructionStart: '2026-03-01', constructionEnd: '2026-12-31', totalInvestment: '480.00', oAndMFunds: '60.00',
      fundingChannel: 'central_fiscal',
      performanceIndicators: [{ indicator: '业务网上办理率', category: 'effect', unit: '%', baseline: '60', targets: [{ year: 2026, value: '90' }], direction: 'higher' }],
      systems: [{ name: '社会保险经办管理信息系统', action: kind === 'new' ? 'new' : 'upgrade' }],
      security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'drafted', cryptoAssessment: 'planned' },
      newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { providerKey: _unused, ...resource } = DEMO_CATALOG[0]!;
    const catalog = await api(token, 'POST', `/projects/${created.body.id}/resources`, { ...resource, providerOrganizationId: unit });
    expect(catalog.status, JSON.stringify(catalog.body)).toBe(201);
    for (const code of FILING_CONTENTS) await upload(token, created.body.id, 'filing', code);
    return created.body;
  }

  it('第九条: an approved or filed project takes its 第三方后评价报告; a 改建 filing links it as its previous project, the checklist item is met and the filing decision signs that report', async () => {
    // The previous project, filed by NDRC.
    const previous = await filingProject('社会保险经办管理信息系统建设项目（一期，第九条演练）', 'new');
    const submitted = await api<{ project: { version: number } }>(user('preparer').token, 'POST', `/projects/${previous.id}/actions/submit`, {}, { 'if-match': `"${previous.version}"` });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const filed = await api(user('ndrc').token, 'POST', `/projects/${previous.id}/actions/file`, { reasons: '予以备案。', totp: await freshTotp('ndrc') }, {
      'if-match': `"${submitted.body.project.version}"`,
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);

    // Its materials tab now takes the post-evaluation report.
    const { page } = user('preparer');
    await page.goto(`${server.url}/projects/${previous.id}`);
    await page.getByRole('tab', { name: '项目材料' }).click();
    await page.locator('.post-evaluation-hint').waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.material-upload').click();
    const modal = visibleModal(page);
    expect(await modal.innerText()).toContain('第三方后评价报告');
    await modal.locator('input[type="file"]').setInputFiles({ name: '第三方后评价报告.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await message(page, '已上传：第三方后评价报告');
    await page.locator('.ant-table-row', { hasText: '第三方后评价报告' }).waitFor({ state: 'visible' });

    // The 改建 filing: its checklist asks for the previous project's report and offers the link.
    const rebuild = await filingProject('社会保险经办管理信息系统改建项目（二期，第九条演练）', 'rebuild');
    await page.goto(`${server.url}/projects/${rebuild.id}`);
    await page.locator('.action-panel button[data-action="submit"]').click();
    const drawer = page.locator('.submit-drawer').filter({ visible: true });
    const row = drawer.locator('[data-material="thirdPartyPostEvaluation"]');
    await row.locator('.predecessor-link[data-linked="no"]').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await row.getAttribute('data-present')).toBe('no');
    await expect.poll(() => drawer.locator('.rule-problems').innerText()).toContain('第九条');
    await row.locator('.predecessor-choose').click();
    const picker = visibleModal(page);
    await picker.locator('.project-search-select input').fill('一期');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: previous.code }).click();
    await picker.locator('.ant-modal-footer .ant-btn-primary').click();
    await message(page, '已关联上一期项目');
    await row.locator('.predecessor-link[data-linked="yes"][data-report="yes"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('[data-material="thirdPartyPostEvaluation"][data-present="yes"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('.dry-run-result[data-state="ok"]').waitFor({ state: 'visible', timeout: 20_000 });
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'frameworks-predecessor-1440.png') });

    const phone = await phonePage('preparer');
    await phone.goto(`${server.url}/projects/${rebuild.id}`);
    await phone.locator('.action-panel button[data-action="submit"]').click();
    const phoneRow = phone.locator('.submit-drawer').filter({ visible: true }).locator('[data-material="thirdPartyPostEvaluation"][data-present="yes"]');
    await phoneRow.locator('.predecessor-link[data-report="yes"]').waitFor({ state: 'visible', timeout: 20_000 });
    await phoneRow.scrollIntoViewIfNeeded();
    expect(await phone.locator('.submit-drawer .ant-drawer-body').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await phone.screenshot({ path: join(SHOTS, 'frameworks-predecessor-390.png') });
    await phone.context().close();

    // Submitted and filed, the decision signs the linked report with the filing's own materials.
    await drawer.locator('.action-confirm').click();
    await message(page, '已办理：提交');
    const current = await api<{ version: number }>(user('preparer').token, 'GET', `/projects/${rebuild.id}`);
    const filedRebuild = await api(user('ndrc').token, 'POST', `/projects/${rebuild.id}/actions/file`, { reasons: '予以备案。', totp: await freshTotp('ndrc') }, {
      'if-match': `"${current.body.version}"`,
    });
    expect(filedRebuild.status, JSON.stringify(filedRebuild.body)).toBe(200);
    await page.goto(`${server.url}/projects/${rebuild.id}`);
    await page.getByRole('tab', { name: '办理记录与签名' }).click();
    const fileRecord = page.locator('.history-item[data-action="file"]');
    await fileRecord.locator('.signature-tag', { hasText: '签名有效' }).waitFor({ state: 'visible', timeout: 20_000 });
    await fileRecord.locator('.signature-collapse .ant-collapse-header').click();
    await expect.poll(() => fileRecord.locator('.signed-linked-report').innerText()).toContain('第三方后评价报告');
  }, 180_000);
});
