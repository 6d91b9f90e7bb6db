// The approval and filing workflows (第七条, 第九条, 第十一条) in Debian's Chromium, driving the
// project detail's action screens as each role would: the preparer's checklist and dry run,
// the unit lead's signature, the reviewer's return and acceptance, the approver's decision with
// sharing opinions and a one-time code, NDRC's filing; then the history with its SM2 signatures.
// Materials are mostly uploaded through the API to save time (the checklist's own upload button
// is used where the test is about it). Screenshots land in test/output/screenshots/.
//
// One-time codes: the server accepts each 30-second code once per user and a code of the
// neighbouring steps (±1), so a user's decisions use the current step, then the next, then wait
// for time to move on (`freshTotp`). The total wait is printed at the end.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_CATALOG } from '../../src/domain/demo-catalog.ts';
import { samplePdf } from '../../src/domain/test-files.ts';
import { apiClient, expectNoHorizontalScroll, launchChromium, PHONE, phonePage, SCREENSHOTS, signIn, TotpSteps, type BrowserUser } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const TOTP_USERS = new Set(['unitlead', 'approver', 'ndrc']);

/** Organization ids of the demo ministry's information centre and the NDRC bureau that approves. */
let constructionUnitId = '';
let approvalDepartmentId = '';

async function upload(username: string, projectId: string, stage: string, materialCode: string) {
  const form = new FormData();
  form.append('stage', stage);
  form.append('materialCode', materialCode);
  form.append('file', new Blob([samplePdf()], { type: 'application/pdf' }), `${materialCode}.pdf`);
  const res = await fetch(`${server.url}/api/v1/projects/${projectId}/materials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${users.get(username)!.token}` },
    body: form,
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

interface CreatedProject {
  id: string;
  code: string;
  version: number;
  lifecycle: { stage: string; status: string };
}

/** A project of the demo information centre below 3000万元, so no 咨询评估 is required. */
async function createProject(overrides: Record<string, unknown>): Promise<CreatedProject> {
  const body = {
    name: '',
    constructionUnitId,
    approvalDepartmentId,
    track: 'approval',
    kind: 'new',
    planTaskId: null,
    involvesSecrets: false,
    crossDepartment: null,
    constructionStart: '2026-03-01',
    constructionEnd: '2027-12-31',
    totalInvestment: '1280.00',
    oAndMFunds: '96.00',
    fundingChannel: 'central_budget',
    performanceIndicators: [
      { indicator: '业务网上办理率', category: 'effect', unit: '%', baseline: '60', targets: [{ year: 2027, value: '90' }], direction: 'higher' },
    ],
    systems: [{ name: '业务协同办理系统', action: 'new' }],
    security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'drafted', cryptoAssessment: 'planned' },
    newCivilConstruction: false,
    highEnergyConsumption: false,
    urgent: null,
    ...overrides,
  };
  const res = await client.call<CreatedProject>(users.get('preparer')!.token, 'POST', '/projects', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** 第十一条: one resource in the project's information-resource catalog. */
async function addCatalog(projectId: string) {
  const { providerKey: _unused, ...resource } = DEMO_CATALOG[0]!;
  const res = await client.call(users.get('preparer')!.token, 'POST', `/projects/${projectId}/resources`, {
    ...resource,
    providerOrganizationId: constructionUnitId,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

function user(username: string): BrowserUser {
  return users.get(username)!;
}

async function openProject(page: Page, projectId: string) {
  await page.goto(`${server.url}/projects/${projectId}`);
  await page.locator('.action-panel').waitFor({ state: 'visible', timeout: 20_000 });
  await page.locator('.action-panel .action-button, .action-panel .action-none').first().waitFor({ state: 'visible', timeout: 20_000 });
}

function drawerOf(page: Page): Locator {
  return page.locator('.action-drawer').filter({ visible: true });
}

async function expectState(page: Page, name: string) {
  await page.locator('.action-panel .stage-tag', { hasText: name }).waitFor({ state: 'visible', timeout: 20_000 });
}

async function success(page: Page, actionName: string) {
  await page.locator('.ant-message-notice', { hasText: `已办理：${actionName}` }).first().waitFor({ state: 'visible', timeout: 20_000 });
}

/** Opens the action's screen from the action panel. */
async function openAction(username: string, projectId: string, action: string): Promise<Locator> {
  const { page } = user(username);
  await openProject(page, projectId);
  await page.locator(`.action-panel button[data-action="${action}"]`).click();
  const drawer = drawerOf(page);
  await drawer.waitFor({ state: 'visible' });
  return drawer;
}

/** The preparer submits a stage whose materials are all present. */
async function submitStage(projectId: string) {
  const drawer = await openAction('preparer', projectId, 'submit');
  await drawer.locator('.dry-run-result[data-state="ok"]').waitFor({ state: 'visible', timeout: 20_000 });
  await drawer.locator('.action-confirm').click();
  await success(user('preparer').page, '提交');
}

/** An action whose form needs nothing but the confirm click (sign, accept). */
async function simpleAction(username: string, projectId: string, action: string, name: string) {
  const drawer = await openAction(username, projectId, action);
  await drawer.locator('.action-confirm').click();
  await success(user(username).page, name);
}

async function typeTotp(page: Page, drawer: Locator, username: string) {
  await drawer.locator('.ant-otp input').first().click();
  await page.keyboard.type(await totp.next(username));
}

/** 第七条 + 第十一条: the approver approves with sharing opinions and a one-time code. */
async function approve(projectId: string, screenshot?: string) {
  const { page } = user('approver');
  const drawer = await openAction('approver', projectId, 'approve');
  // The review screen: the stage's materials beside the opinion form.
  await drawer.locator('.review-materials .checklist-item').first().waitFor({ state: 'visible' });
  await drawer.getByLabel('信息资源共享分析意见').fill('项目信息资源已编目，社会保险参保信息按有条件共享方式接入国家数据共享交换平台，同意共享分析意见。');
  await drawer.getByLabel('批复意见').fill('同意。');
  await drawer.locator('.action-preflight').click();
  await drawer.locator('.dry-run-result[data-state="ok"]').waitFor({ state: 'visible' });
  await typeTotp(page, drawer, 'approver');
  if (screenshot) await page.screenshot({ path: join(SCREENSHOTS, screenshot) });
  await drawer.locator('.action-confirm').click();
  await success(page, '批复');
}

/** One stage from upload to approval: the preparer submits, the unit lead signs, the reviewer accepts, the approver approves. */
async function throughStage(projectId: string, stage: string, codes: string[], approvalShot?: string) {
  for (const code of codes) await upload('preparer', projectId, stage, code);
  await submitStage(projectId);
  await simpleAction('unitlead', projectId, 'sign', '单位负责人签章');
  await simpleAction('reviewer', projectId, 'accept', '受理');
  await approve(projectId, approvalShot);
}

// ---- the tests ------------------------------------------------------------------------------

const started = Date.now();

let inst: Installation;
let server: ServerProcess;
let browser: Browser;
let client: ReturnType<typeof apiClient>;
const totp = new TotpSteps();
const users = new Map<string, BrowserUser>();

async function signInAs(username: string): Promise<BrowserUser> {
  const user = await signIn(browser, server.url, username, TOTP_USERS.has(username) ? { totp } : {});
  users.set(username, user);
  return user;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  client = apiClient(server.url);
  browser = await launchChromium();
  for (const username of ['preparer', 'unitlead', 'reviewer', 'approver', 'ndrc', 'assessor']) await signInAs(username);
  const demo = await client.call<{ items: { constructionUnitId: string; approvalDepartmentId: string }[] }>(
    user('preparer').token, 'GET', '/projects?page=1&pageSize=1',
  );
  constructionUnitId = demo.body.items[0]!.constructionUnitId;
  approvalDepartmentId = demo.body.items[0]!.approvalDepartmentId;
});

afterAll(async () => {
  for (const u of users.values()) await u.context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
  console.log(`approval-flow: ${((Date.now() - started) / 1000).toFixed(1)} s in all, ${(totp.waitedMs / 1000).toFixed(1)} s waiting for fresh one-time codes`);
});

describe('approval and filing on the project detail (第七条, 第九条, 第十一条)', () => {
  it('第七条: 项目建议书 → 可研 → 初设/概算, signed by the unit lead, returned once, approved with 第十一条 sharing opinions; 签名有效 in the history', async () => {
    const project = await createProject({ name: '市场监管信用信息协同平台项目（第七条审批演练）' });
    await addCatalog(project.id);

    // The preparer opens 提交: the checklist shows the missing 项目建议书 and the button waits.
    const prep = user('preparer').page;
    let drawer = await openAction('preparer', project.id, 'submit');
    await drawer.locator('[data-material="proposal"][data-present="no"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('.dry-run-result[data-state="blocked"]').waitFor({ state: 'visible' });
    await expect.poll(() => drawer.locator('.rule-problems').innerText()).toContain('第七条');
    expect(await drawer.locator('.action-confirm').isDisabled()).toBe(true);
    await prep.screenshot({ path: join(SCREENSHOTS, 'approval-submit-checklist.png') });
    // Uploading it from the checklist re-runs the dry run, which now passes.
    await drawer.locator('[data-material="proposal"] input[type="file"]').setInputFiles({ name: '项目建议书.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
    await drawer.locator('[data-material="proposal"][data-present="yes"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('.dry-run-result[data-state="ok"]').waitFor({ state: 'visible' });
    expect(await drawer.locator('.action-confirm').isDisabled()).toBe(false);
    await drawer.locator('.action-confirm').click();
    await success(prep, '提交');
    await expectState(prep, '项目建议书 · 待单位负责人签章');

    await simpleAction('unitlead', project.id, 'sign', '单位负责人签章');

    // 第七条: the reviewer returns it with reasons (the form refuses an empty return).
    const rev = user('reviewer').page;
    drawer = await openAction('reviewer', project.id, 'returnForRevision');
    await drawer.locator('.action-confirm').click();
    await drawer.getByText('请填写退回修改意见').waitFor({ state: 'visible' });
    await drawer.getByLabel('退回修改意见').fill('请补充项目建设的必要性分析和与已建系统的关系。');
    await drawer.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
    await rev.screenshot({ path: join(SCREENSHOTS, 'approval-return-1440.png') });
    await drawer.locator('.action-confirm').click();
    await success(rev, '退回修改');
    await expectState(rev, '项目建议书 · 退回修改');

    await submitStage(project.id);
    await simpleAction('unitlead', project.id, 'sign', '单位负责人签章');
    await simpleAction('reviewer', project.id, 'accept', '受理');
    await approve(project.id, 'approval-decision-1440.png');
    await expectState(user('approver').page, '可行性研究报告 · 草稿');

    await throughStage(project.id, 'feasibilityStudy', ['feasibilityStudy', 'sharingAnalysis']);
    await expectState(user('approver').page, '初步设计方案和投资概算 · 草稿');

    for (const code of ['preliminaryDesign', 'budgetEstimate', 'sharingAnalysis']) await upload('preparer', project.id, 'preliminaryDesign', code);
    await submitStage(project.id);
    await simpleAction('unitlead', project.id, 'sign', '单位负责人签章');
    await simpleAction('reviewer', project.id, 'accept', '受理');

    // 掌上办公: the decision screen on a phone stacks the materials above the form, full width.
    const phone = await phonePage(browser, user('approver'));
    await openProject(phone, project.id);
    await expectNoHorizontalScroll(phone);
    await phone.screenshot({ path: join(SCREENSHOTS, 'approval-detail-390.png') });
    await phone.screenshot({ path: join(SCREENSHOTS, 'approval-detail-390-full.png'), fullPage: true });
    await phone.locator('.action-panel button[data-action="approve"]').click();
    const phoneDrawer = drawerOf(phone);
    await phoneDrawer.locator('.review-materials .checklist-item').first().waitFor({ state: 'visible' });
    const box = await phoneDrawer.boundingBox();
    expect(box?.width).toBeCloseTo(PHONE.width, 0);
    const materials = await phoneDrawer.locator('.review-materials').boundingBox();
    const formCard = await phoneDrawer.locator('.action-form-card').boundingBox();
    expect(formCard!.y).toBeGreaterThan(materials!.y + materials!.height - 1);
    await phoneDrawer.getByLabel('信息资源共享分析意见').fill('同意共享分析意见。');
    await phone.screenshot({ path: join(SCREENSHOTS, 'approval-decision-390.png') });
    await phoneDrawer.locator('.ant-drawer-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await phone.screenshot({ path: join(SCREENSHOTS, 'approval-decision-390-form.png') });
    expect(await phoneDrawer.locator('.ant-drawer-body').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await phone.context().close();

    await approve(project.id);
    const approver = user('approver').page;
    await expectState(approver, '初步设计方案和投资概算 · 已批复');

    // The history: every signature (4 signatures of the unit lead, 3 approvals) is valid.
    await approver.getByRole('tab', { name: '办理记录与签名' }).click();
    const history = approver.locator('.history-timeline');
    await history.waitFor({ state: 'visible' });
    await expect.poll(() => history.locator('.history-item').count()).toBe(15);
    expect(await history.locator('.signature-tag', { hasText: '签名有效' }).count()).toBe(7);
    expect(await history.locator('.signature-tag', { hasText: '签名无效' }).count()).toBe(0);
    expect(await history.locator('.history-item[data-action="approve"] .document-link').count()).toBe(3);
    expect(await history.locator('.history-item[data-action="returnForRevision"] .document-link').count()).toBe(1);
    await history.getByText('请补充项目建设的必要性分析').waitFor({ state: 'visible' });
    // Verify a decision again through POST /signatures/verify and open its signed text.
    const lastApproval = history.locator('.history-item[data-action="approve"]').last();
    await lastApproval.getByRole('button', { name: '重新验证' }).click();
    await lastApproval.locator('.signature-recheck', { hasText: '复核有效' }).waitFor({ state: 'visible' });
    await lastApproval.getByText('签名详情').click();
    await lastApproval.locator('.signature-pre').waitFor({ state: 'visible' });
    expect(await lastApproval.locator('.signature-pre').innerText()).toContain('govproj.lifecycle-action.v1');
    await lastApproval.scrollIntoViewIfNeeded();
    await approver.screenshot({ path: join(SCREENSHOTS, 'approval-history-1440.png') });
    await approver.evaluate('window.scrollTo(0, 0)');
    await approver.screenshot({ path: join(SCREENSHOTS, 'approval-detail-1440.png') });

    const phoneHistory = await phonePage(browser, user('approver'));
    // On a phone an approved project's tabs overflow into the tabs' 更多 menu; the history is
    // opened by its link (?tab=history).
    await phoneHistory.goto(`${server.url}/projects/${project.id}?tab=history`);
    await phoneHistory.locator('.history-timeline').waitFor({ state: 'visible' });
    const phoneApproval = phoneHistory.locator('.history-item[data-action="approve"]').last();
    await phoneApproval.getByText('签名详情').click();
    await phoneApproval.locator('.signature-pre').waitFor({ state: 'visible' });
    await expectNoHorizontalScroll(phoneHistory);
    await phoneApproval.scrollIntoViewIfNeeded();
    await phoneHistory.screenshot({ path: join(SCREENSHOTS, 'approval-history-390.png') });
    await phoneHistory.context().close();
  }, 240_000);

  it('第九条: a filing missing an item is refused with what is missing, then completed and filed by NDRC; the receipt is linked', async () => {
    const project = await createProject({
      name: '人社系统网络安全运维服务项目（第九条备案演练）',
      track: 'filing',
      kind: 'purchasedService',
      totalInvestment: '560.00',
      oAndMFunds: '560.00',
      fundingChannel: 'central_fiscal',
      systems: [],
    });
    expect(project.lifecycle.stage).toBe('filing');
    await addCatalog(project.id);
    const contents = [
      'projectName', 'constructionUnit', 'approvalDepartment', 'performanceTargets', 'totalInvestment', 'omFunding', 'fundingSource',
      'sharingAndOpening', 'applicationSystems', 'protectionFiling', 'cryptoApplicationPlan',
    ];
    for (const code of contents) await upload('preparer', project.id, 'filing', code);

    // The API refuses the incomplete filing (422) and names the missing item with 第九条.
    const refused = await client.call<{ code: string; problems: { code: string; article: string; message: string }[] }>(
      user('preparer').token, 'POST', `/projects/${project.id}/actions/submit`, {},
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('lifecycle.blocked');
    expect(refused.body.problems).toEqual([
      expect.objectContaining({ code: 'material.missing', article: '第九条', params: expect.objectContaining({ material: 'cryptoAssessmentReport' }) }),
    ]);
    expect(refused.body.problems[0]!.message).toContain('密码应用安全性评估报告');

    // The checklist shows the thirteen contents of 第九条 with the missing one marked.
    const prep = user('preparer').page;
    const drawer = await openAction('preparer', project.id, 'submit');
    await drawer.locator('[data-material="cryptoAssessmentReport"][data-present="no"]').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await drawer.locator('.checklist-item').count()).toBe(13);
    expect(await drawer.locator('.checklist-item[data-present="yes"]').count()).toBe(12);
    // The rows are the server's checklist (GET …/actions), in its order and with its verdicts.
    const next = await client.call<{ checklist: { code: string; present: boolean }[] }>(user('preparer').token, 'GET', `/projects/${project.id}/actions`);
    const rows = await drawer.locator('.checklist-item').evaluateAll((items) => items.map((el) => `${el.getAttribute('data-material')}:${el.getAttribute('data-present')}`));
    expect(rows).toEqual(next.body.checklist.map((c) => `${c.code}:${c.present ? 'yes' : 'no'}`));
    // The catalog is platform data: a link to it, no upload button.
    const catalogRow = drawer.locator('[data-material="informationResourceCatalog"]');
    expect(await catalogRow.locator('input[type="file"]').count()).toBe(0);
    expect(await catalogRow.innerText()).toContain('信息资源目录');
    await expect.poll(() => drawer.locator('.rule-problems').innerText()).toContain('第九条：备案阶段缺少：密码应用安全性评估报告');
    expect(await drawer.locator('.action-confirm').isDisabled()).toBe(true);
    await prep.screenshot({ path: join(SCREENSHOTS, 'filing-refused-1440.png') });
    // The same checklist on a phone: full-screen, one column, nothing wider than the screen.
    const phone = await phonePage(browser, user('preparer'));
    await openProject(phone, project.id);
    await phone.locator('.action-panel button[data-action="submit"]').click();
    const phoneDrawer = drawerOf(phone);
    await phoneDrawer.locator('.dry-run-result[data-state="blocked"]').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await phoneDrawer.locator('.ant-drawer-body').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await phone.screenshot({ path: join(SCREENSHOTS, 'filing-refused-390.png') });
    await phone.context().close();

    await drawer.locator('[data-material="cryptoAssessmentReport"] input[type="file"]').setInputFiles({
      name: '密码应用安全性评估报告.pdf', mimeType: 'application/pdf', buffer: samplePdf(),
    });
    await drawer.locator('.dry-run-result[data-state="ok"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('.action-confirm').click();
    await success(prep, '提交');
    await expectState(prep, '备案 · 已提交');

    // NDRC: 予以备案 on the review screen (the same checklist beside the form) with a one-time code.
    const ndrc = user('ndrc').page;
    const review = await openAction('ndrc', project.id, 'file');
    await review.locator('.review-materials .checklist-item').nth(12).waitFor({ state: 'visible' });
    expect(await review.locator('.review-materials .checklist-item[data-present="no"]').count()).toBe(0);
    expect(await ndrc.locator('.action-panel button[data-action="returnForCompletion"]').count()).toBe(1);
    await review.getByLabel('备案意见').fill('备案内容齐全，予以备案。');
    await typeTotp(ndrc, review, 'ndrc');
    await ndrc.screenshot({ path: join(SCREENSHOTS, 'filing-decision-1440.png') });
    await review.locator('.action-confirm').click();
    await success(ndrc, '予以备案');
    await expectState(ndrc, '备案 · 已备案');

    await ndrc.getByRole('tab', { name: '办理记录与签名' }).click();
    const filed = ndrc.locator('.history-item[data-action="file"]');
    await filed.locator('.signature-tag', { hasText: '签名有效' }).waitFor({ state: 'visible' });
    await filed.locator('.document-link', { hasText: '下载公文(.docx)' }).waitFor({ state: 'visible' });
    expect(await filed.locator('.document-link').innerText()).toContain('备案回执');
    // The receipt downloads as a .docx through the same link.
    const [receipt] = await Promise.all([ndrc.waitForEvent('download'), filed.locator('.document-link').click()]);
    expect(receipt.suggestedFilename()).toMatch(/\.docx$/);
    await ndrc.screenshot({ path: join(SCREENSHOTS, 'filing-filed-history-1440.png'), fullPage: true });
  }, 120_000);

  it('第七条, 第十一条: at 3000万元 or more the reviewer entrusts a 咨询评估单位, which uploads its report and gives sharing opinions', async () => {
    const project = await createProject({ name: '全国人社政务数据共享交换平台项目（第七条咨询评估）', totalInvestment: '4200.00' });
    await addCatalog(project.id);
    await upload('preparer', project.id, 'proposal', 'proposal');
    await submitStage(project.id);
    await simpleAction('unitlead', project.id, 'sign', '单位负责人签章');

    // The approval department entrusts 中国国际工程咨询有限公司, then accepts: assessment follows.
    const rev = user('reviewer').page;
    await openProject(rev, project.id);
    await rev.locator('.action-panel .entrust-assessor').click();
    const modal = rev.locator('.assessor-modal');
    await modal.locator('.ant-select').click();
    await rev.locator('.ant-select-dropdown .ant-select-item-option', { hasText: '中国国际工程咨询有限公司' }).click();
    await modal.getByRole('button', { name: '委 托' }).or(modal.getByRole('button', { name: '委托' })).click();
    await rev.locator('.action-panel .assigned-assessor', { hasText: '中国国际工程咨询有限公司' }).waitFor({ state: 'visible' });
    await simpleAction('reviewer', project.id, 'accept', '受理');
    await expectState(rev, '项目建议书 · 咨询评估中');

    // The assessor: the report is missing until uploaded; 第十一条 opinions are required.
    const ass = user('assessor').page;
    const drawer = await openAction('assessor', project.id, 'completeAssessment');
    await drawer.locator('[data-material="assessmentReport"][data-present="no"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('[data-material="assessmentReport"] input[type="file"]').setInputFiles({ name: '咨询评估报告.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
    await drawer.locator('[data-material="assessmentReport"][data-present="yes"]').waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.locator('.action-confirm').click();
    await drawer.getByText('请填写信息资源共享分析意见（第十一条）').waitFor({ state: 'visible' });
    await drawer.getByLabel('信息资源共享分析评估意见').fill('共享分析篇内容完整，建议按有条件共享方式接入国家数据共享交换平台。');
    await drawer.getByLabel('评估意见', { exact: true }).fill('建议批复。');
    await drawer.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
    await ass.screenshot({ path: join(SCREENSHOTS, 'approval-assessment-1440.png') });
    await drawer.locator('.action-confirm').click();
    await success(ass, '提交评估报告');
    await expectState(ass, '项目建议书 · 审核中');

    await approve(project.id);
    await expectState(user('approver').page, '可行性研究报告 · 草稿');
  }, 120_000);

  it('第七条: an urgent project submits 可研、初设和概算 together (combinedStage) and is approved', async () => {
    const project = await createProject({
      name: '重大突发事件应急指挥信息系统项目（第七条紧急合并编报）',
      urgent: {
        reasonCategory: 'major_strategy_or_security',
        justification: '涉及国家安全，须在汛期前建成；可研、初设深度已达规定要求。',
        situationUrgent: true,
        preparationAdequate: true,
      },
    });
    expect(project.lifecycle.stage).toBe('combinedStage');
    await addCatalog(project.id);
    for (const code of ['feasibilityStudy', 'preliminaryDesign', 'budgetEstimate']) await upload('preparer', project.id, 'combinedStage', code);

    // The checklist of the combined stage lists the four materials; the sharing chapter is missing.
    const prep = user('preparer').page;
    const drawer = await openAction('preparer', project.id, 'submit');
    await drawer.locator('[data-material="sharingAnalysis"][data-present="no"]').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await drawer.locator('.checklist-item').count()).toBe(4);
    await expect.poll(() => drawer.locator('.rule-problems').innerText()).toContain('第十一条');
    await drawer.locator('[data-material="sharingAnalysis"] input[type="file"]').setInputFiles({ name: '共享分析篇.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
    await drawer.locator('.dry-run-result[data-state="ok"]').waitFor({ state: 'visible', timeout: 20_000 });
    await prep.screenshot({ path: join(SCREENSHOTS, 'approval-urgent-submit-1440.png') });
    await drawer.locator('.action-confirm').click();
    await success(prep, '提交');

    await simpleAction('unitlead', project.id, 'sign', '单位负责人签章');
    await simpleAction('reviewer', project.id, 'accept', '受理');
    await approve(project.id);
    const approver = user('approver').page;
    await expectState(approver, '可研、初设和概算合并编报 · 已批复');
    await approver.getByRole('tab', { name: '办理记录与签名' }).click();
    await expect.poll(() => approver.locator('.history-item .signature-tag', { hasText: '签名有效' }).count()).toBe(2);
  }, 120_000);
});
