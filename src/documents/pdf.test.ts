// The PDF rendering of official documents (SPEC §11, issue 6 item 8, I-70): a real PDF, the
// Chinese font embedded (pdffonts from poppler-utils, installed by .ci/run), the text in it
// (pdftotext), for the 整改通知, the 通报 and a 批复 with its attachment table.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decisionToDocument } from './decision-document.ts';
import { pdfFontPath, renderOfficialDocumentPdf } from './pdf.ts';
import { escalationDocument, rectificationNotice } from './supervision-documents.ts';

const has = (cmd: string) => { try { execFileSync('which', [cmd]); return true; } catch { return false; } };
const poppler = has('pdffonts') && has('pdftotext') && pdfFontPath() !== null;

function inspect(pdf: Buffer): { fonts: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'govproj-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return { fonts: execFileSync('pdffonts', [file]).toString(), text: execFileSync('pdftotext', ['-layout', file, '-']).toString() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const notice = rectificationNotice({
  seq: '12', issuerName: '国家发展和改革委员会', unitName: '人力资源和社会保障部信息中心', subjectType: 'project', subjectName: '全国社会保险公共服务平台',
  projectCode: '2026-000000-65-01-000123', category: 'useOfFunds', title: '资金未按概算使用', description: '抽查发现部分资金用于概算外的办公设备购置。',
  requirements: '退回违规使用资金。\n提交整改报告和退款凭证。', foundOn: '2026-11-20', dueOn: '2026-12-10',
});

describe('official documents as PDF', () => {
  it('整改通知: the facts, the deadline and the ladder that follows', () => {
    const text = JSON.stringify(notice.document.body);
    expect(notice.document.documentNumber).toBe('〔2026〕12号');
    expect(notice.document.title).toBe('关于全国社会保险公共服务平台资金使用问题限期整改的通知');
    expect(text).toContain('2026年12月10日前完成整改');
    expect(text).toContain('第三十条');
    expect(text).toContain('1.退回违规使用资金。');
  });

  it('通报 restates the signed payload; an invalid signature is said so', () => {
    const facts = {
      seq: '3', step: 'criticism' as const, action: 'impose' as const, issuerName: '国家发展和改革委员会', unitName: '人力资源和社会保障部信息中心',
      payload: JSON.stringify({ subjectName: '全国社会保险公共服务平台', projectCode: '2026-000000-65-01-000123', category: 'useOfFunds', dueOn: '2026-12-10', orderStatus: 'open', reason: '逾期未报送整改情况。' }),
      signature: '3045', signatureValid: true, actorName: '黄勇', createdOn: '2026-12-11',
    };
    const ok = escalationDocument(facts).document;
    expect(ok.title).toBe('关于对人力资源和社会保障部信息中心全国社会保险公共服务平台资金使用问题整改不力的通报');
    expect(JSON.stringify(ok.body)).toContain('未在2026年12月10日前完成整改');
    expect(JSON.stringify(ok.body)).toContain('现予以通报批评');
    expect(ok.note).toContain('SM2数字签名');
    expect(escalationDocument({ ...facts, signatureValid: false }).document.note).toContain('签名验证未通过');
    const suspend = escalationDocument({ ...facts, step: 'suspendConstruction', payload: facts.payload.replace('"open"', '"failed"') }).document;
    expect(suspend.title).toBe('关于对全国社会保险公共服务平台暂停项目建设的决定');
    expect(JSON.stringify(suspend.body)).toContain('整改后仍不达标');
    expect(escalationDocument({ ...facts, step: 'deferInvestment', action: 'lift' }).document.title).toBe('关于解除全国社会保险公共服务平台暂缓安排投资计划的决定');
  });

  it.skipIf(!poppler)('renders with the Chinese font embedded and the text extractable (整改通知, 批复 with attachment)', async () => {
    const pdf = await renderOfficialDocumentPdf(notice.document);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { fonts, text } = inspect(pdf);
    const rows = fonts.split('\n').slice(2).filter((l) => l.trim());
    expect(rows.length).toBeGreaterThan(0);
    // Every font embedded (the "emb" column): none left to the reader's machine.
    for (const row of rows) expect(row).toMatch(/WenQuanYiMicroHei\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
    expect(text).toContain('国家发展和改革委员会');
    expect(text).toContain('限期整改的通知');
    expect(text).toContain('2026年11月20日');
    expect(text).toMatch(/—\s*1\s*—/);

    const approval = decisionToDocument({
      id: 'a', seq: '7', action: 'approve', fromStage: 'preliminaryDesign', toStage: 'preliminaryDesign', signature: null, signatureValid: null,
      createdAt: new Date('2026-05-01T02:00:00Z'), actorName: '赵敏',
      payload: JSON.stringify({ projectName: '人社一体化平台', projectCode: '2026-000000-65-01-000001', totalInvestment: '1200.00', oAndMFunds: '80.00',
        materials: [{ code: 'preliminaryDesign', version: 2, sm3: 'ab'.repeat(32) }] }),
    }, { constructionUnitName: '人力资源和社会保障部信息中心', approvalDepartmentName: '国家发展和改革委员会创新和高技术发展司' });
    const approvalPdf = inspect(await renderOfficialDocumentPdf(approval.document));
    expect(approvalPdf.text).toContain('的批复');
    expect(approvalPdf.text).toContain('申报材料及SM3摘要清单');
    expect(approvalPdf.text).toMatch(/—\s*2\s*—/);
  });
});
