// 批量导入 (SPEC §5; 第十二条) in Debian's Chromium against a real server with the demo seed: the
// preparer opens the import wizard from the systems list, uploads a file with one bad row in
// all-or-nothing mode, sees that row's cell and reason in the report and finds nothing imported;
// fixes the row, uploads again and finds every row in the list. On a phone the wizard fits the
// screen. Screenshots land in test/output/screenshots/import-*.png for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { IMPORT_DEFINITIONS } from '../../src/domain/imports/kinds.ts';
import { launchChromium, PHONE, SCREENSHOTS, settle, signIn } from '../support/browser.ts';
import { randomMasterKey, removeDir, startServer, tempDir, type Installation, type ServerProcess } from '../support/server-process.ts';

const HEADERS = IMPORT_DEFINITIONS.systems.columns.map((c) => c.header);
const NAMES = ['导入演示系统甲（端到端）', '导入演示系统乙（端到端）', '导入演示系统丙（端到端）'];

let page: Page;
let token = '';

const row = (name: string, network = '电子政务外网') =>
  [name, '人力资源和社会保障部信息中心', '就业登记和失业登记', '就业服务', network, '否', '等级保护', 3, '11000013001-21009', 35000, '运行'];

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('政务信息系统');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function imported(): Promise<string[]> {
  const res = await fetch(`${server.url}/api/v1/systems?q=${encodeURIComponent('（端到端）')}&pageSize=50`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ name: string }> }).items.map((s) => s.name).filter((n) => NAMES.includes(n)).sort();
}

async function upload(p: Page, content: Buffer, name: string) {
  await p.locator('.import-upload input[type=file]').setInputFiles({
    name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: content,
  });
  await p.locator('.import-upload-list, .ant-upload-list', { hasText: name }).first().waitFor({ timeout: 10_000 });
}

let inst: Installation;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  inst = { dataDir: tempDir(), masterKey: randomMasterKey() };
  server = await startServer(inst, { demo: true, checkpointSeconds: 0 });
  browser = await launchChromium();
  ({ token, page } = await signIn(browser, server.url, 'preparer'));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(inst?.dataDir);
});

describe('批量导入 (SPEC §5, 第十二条)', () => {
  it('importing a file with one bad row shows that row\'s error and imports nothing (all-or-nothing); fixed, every row is imported', async () => {
    await page.goto(`${server.url}/catalog/systems`);
    await page.locator('.catalog-import').click();
    const wizard = page.locator('.import-wizard');
    await wizard.getByText('下载导入模板').waitFor();
    // The template downloads.
    const [template] = await Promise.all([page.waitForEvent('download'), wizard.locator('.import-template').click()]);
    expect(template.suggestedFilename()).toBe('政务信息系统导入模板.xlsx');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-1-wizard-desktop.png') });

    await upload(page, await workbook([row(NAMES[0]!), row(NAMES[1]!, '政务云'), row(NAMES[2]!)]), '系统清单.xlsx');
    // All-or-nothing is the default mode.
    await expect(wizard.locator('.import-mode input[value="all-or-nothing"]').isChecked()).resolves.toBe(true);
    await wizard.locator('.import-start').click();
    const report = wizard.locator('.import-report');
    await report.getByText('未导入任何数据').waitFor({ timeout: 20_000 });
    const problem = report.locator('.ant-table-row').first();
    await expect(problem.innerText()).resolves.toMatch(/3\s+E 所在网络\s+政务云\s+不是允许的取值/);
    await expect(report.locator('.ant-table-row').count()).resolves.toBe(1);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-2-report-desktop.png') });
    expect(await imported()).toEqual([]);

    // The report workbook downloads.
    const [file] = await Promise.all([page.waitForEvent('download'), report.locator('.import-report-download').click()]);
    expect(file.suggestedFilename()).toBe('政务信息系统导入问题报告.xlsx');

    // Fixed: every row goes in.
    await upload(page, await workbook([row(NAMES[0]!), row(NAMES[1]!, '电子政务内网'), row(NAMES[2]!)]), '系统清单-修改后.xlsx');
    await wizard.locator('.import-start').click();
    await report.getByText('导入完成').waitFor({ timeout: 20_000 });
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-3-imported-desktop.png') });
    expect(await imported()).toEqual([...NAMES].sort());
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-table-row', { hasText: NAMES[1]! }).first().waitFor({ timeout: 10_000 });
  });

  it('on a phone the wizard fits the screen and shows the report', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/catalog/systems`);
    await page.locator('.catalog-import').click();
    const wizard = page.locator('.import-wizard');
    await upload(page, await workbook([row('手机导入系统（端到端）', '政务云')]), '手机.xlsx');
    await wizard.locator('.import-dry-run').click();
    await wizard.locator('.import-report').getByText('预检完成').waitFor({ timeout: 20_000 });
    await settle(page);
    await wizard.locator('.import-report .ant-list-item', { hasText: '第 2 行 · E 所在网络：政务云' }).waitFor();
    await wizard.locator('.import-report').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-4-report-phone.png'), fullPage: false });
    const overflow = await page.evaluate<number>('document.querySelector(".import-wizard .ant-drawer-body").scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
