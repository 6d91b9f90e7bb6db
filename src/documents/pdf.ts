// An official document (公文, GB/T 9704-2012) as a PDF with an embedded Chinese font, from the same
// OfficialDocument the .docx is written from (gbt9704.ts), so both renderings say the same thing.
//
// Layout as the .docx: A4, 版心 156 mm × 225 mm with 天头 37 mm and 订口 28 mm; 22 lines of 正文 a
// page; red 发文机关标志, 发文字号 and red separator; 2号 title centered; 主送机关; 正文 indented two
// characters with run-in headings; 附件说明; 署名 and 成文日期 to the right; 附注 in parentheses; 版记
// between rules at the foot of the last page; 页码 "— n —" outside (odd right, even left); 附件 on
// pages of their own. The one Chinese font the platform can count on (WenQuanYi Micro Hei, from the
// Debian package fonts-wqy-microhei, GPL with font exception) stands in for 仿宋/小标宋/黑体/楷体:
// the PDF embeds a subset of it, so it reads the same on every machine (pdffonts: emb yes).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFDocument from 'pdfkit';
import { AppError } from '../errors.ts';
import { formatChineseDate, type AttachmentTable, type BodyParagraph, type OfficialDocument } from './gbt9704.ts';

/** Where the font is looked for: GOVPROJ_PDF_FONT, then the Debian package's file. */
export const PDF_FONT_CANDIDATES = [process.env.GOVPROJ_PDF_FONT, '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'].filter((p): p is string => !!p);
/** The face of the collection used (a .ttc holds several). */
const FONT_FACE = 'WenQuanYiMicroHei';

export function pdfFontPath(): string | null {
  return PDF_FONT_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

const mm = (x: number) => (x * 72) / 25.4;
const PAGE = { width: mm(210), height: mm(297) };
const TOP = mm(37);
const LEFT = mm(28);
const TEXT_WIDTH = mm(156);
const TEXT_HEIGHT = mm(225);
const BOTTOM = PAGE.height - TOP - TEXT_HEIGHT;
/** One line of 正文: 22 lines fill the 版心. */
const LINE = TEXT_HEIGHT / 22;
const SIZE = { 二号: 22, 三号: 16, 四号: 14 } as const;
const CHAR = TEXT_WIDTH / 28;
const RED = '#FF0000';

type Doc = InstanceType<typeof PDFDocument>;

/** Writes a paragraph of 三号 text at the current position with the 正文 line pitch. */
function para(doc: Doc, text: string, options: PDFKit.Mixins.TextOptions = {}) {
  doc.fontSize(SIZE.三号).text(text, LEFT, doc.y, { width: TEXT_WIDTH, lineGap: LINE - SIZE.三号 * 1.3, ...options });
}

function bodyParagraph(doc: Doc, p: BodyParagraph) {
  if (typeof p === 'string') {
    para(doc, p, { indent: 2 * CHAR, align: 'justify' });
    return;
  }
  // Run-in heading: 一级 "一、" then the text on the same line.
  // The .docx sets 一级 headings in 黑体; with one face, a light outline stroke stands in for it.
  doc.fontSize(SIZE.三号).fillColor('black').strokeColor('black').lineWidth(0.3);
  doc.text(p.heading, LEFT, doc.y, { width: TEXT_WIDTH, indent: 2 * CHAR, lineGap: LINE - SIZE.三号 * 1.3, continued: !!p.text, stroke: p.level === 1 });
  if (p.text) doc.text(p.text, { stroke: false, align: 'justify' });
}

function masthead(d: OfficialDocument, doc: Doc) {
  const markSize = Math.min(36, Math.max(22, TEXT_WIDTH / Math.max(1, [...d.issuerMark].length) * 0.9));
  doc.fillColor(RED).fontSize(markSize).text(d.issuerMark, LEFT, TOP + mm(35) - markSize, { width: TEXT_WIDTH, align: 'center', lineBreak: false });
  const numberY = TOP + mm(35) + 2 * LINE - SIZE.三号;
  doc.fillColor('black').fontSize(SIZE.三号).text(d.documentNumber, LEFT, numberY, { width: TEXT_WIDTH, align: 'center' });
  const ruleY = numberY + SIZE.三号 + mm(4);
  doc.moveTo(LEFT, ruleY).lineTo(LEFT + TEXT_WIDTH, ruleY).lineWidth(1).strokeColor(RED).stroke();
  doc.y = ruleY + 2 * LINE - SIZE.二号;
}

function table(doc: Doc, t: AttachmentTable) {
  const total = t.columns.reduce((s, c) => s + c.share, 0);
  const widths = t.columns.map((c) => (c.share / total) * TEXT_WIDTH);
  const size = SIZE.四号 - 3;
  const pad = 3;
  const rowOut = (cells: string[], header: boolean) => {
    doc.fontSize(size);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
    if (doc.y + height > PAGE.height - BOTTOM) doc.addPage();
    const y = doc.y;
    let x = LEFT;
    cells.forEach((c, i) => {
      doc.rect(x, y, widths[i]!, height).lineWidth(0.5).strokeColor('black').stroke();
      doc.fillColor('black').text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: header ? 'center' : 'left' });
      x += widths[i]!;
    });
    doc.y = y + height;
  };
  rowOut(t.columns.map((c) => c.header), true);
  for (const r of t.rows) rowOut(r, false);
}

/** The PDF bytes of `d`; 503 document.pdf_unavailable when no Chinese font is installed. */
export async function renderOfficialDocumentPdf(d: OfficialDocument): Promise<Buffer> {
  const font = pdfFontPath();
  if (!font) throw new AppError('document.pdf_unavailable');
  const PDF = createRequire(import.meta.url)('pdfkit') as typeof PDFDocument; // ~27 MiB RSS: loaded by the first document, not at start-up
  const doc = new PDF({
    size: 'A4', margins: { top: TOP, left: LEFT, right: PAGE.width - LEFT - TEXT_WIDTH, bottom: BOTTOM }, bufferPages: true,
    info: { Title: d.title, Author: d.signatureOrg, Subject: d.documentNumber, CreationDate: new Date(`${d.date}T00:00:00+08:00`) },
    lang: 'zh-CN', displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cn', font, FONT_FACE);
  doc.font('cn');

  masthead(d, doc);
  doc.fillColor('black').fontSize(SIZE.二号).text(d.title, LEFT, doc.y, { width: TEXT_WIDTH, align: 'center', lineGap: 6 });
  doc.moveDown(0.6);
  para(doc, `${d.mainRecipient}：`);
  for (const p of d.body) bodyParagraph(doc, p);
  if (d.attachments?.length) {
    doc.moveDown(1);
    d.attachments.forEach((a, i) => {
      const label = i === 0 ? `附件：${d.attachments!.length > 1 ? '1.' : ''}` : `　　　${i + 1}.`;
      para(doc, `${label}${a.title}`, { indent: 2 * CHAR });
    });
  }
  doc.moveDown(2);
  // 署名 and 成文日期: the date's right end four characters in from the right edge, the name centered above it.
  const date = formatChineseDate(d.date);
  doc.fontSize(SIZE.三号);
  const dateWidth = doc.widthOfString(date);
  const dateX = LEFT + TEXT_WIDTH - 4 * CHAR - dateWidth;
  const nameWidth = doc.widthOfString(d.signatureOrg);
  const nameX = Math.max(LEFT, Math.min(dateX + dateWidth / 2 - nameWidth / 2, LEFT + TEXT_WIDTH - nameWidth));
  if (doc.y + 2 * LINE > PAGE.height - BOTTOM) doc.addPage();
  doc.text(d.signatureOrg, nameX, doc.y, { lineBreak: false });
  doc.text(date, dateX, doc.y + LINE, { lineBreak: false });
  doc.y += LINE;
  if (d.note) para(doc, `（${d.note}）`, { indent: 2 * CHAR });

  // 版记 at the foot of the last page of the 正文 (before the attachments).
  const imprintLines = [
    ...(d.copyTo?.length ? [`抄送：${d.copyTo.join('，')}。`] : []),
    `${d.printedBy ?? d.signatureOrg}　　${formatChineseDate(d.printDate ?? d.date)}印发`,
  ];
  doc.fontSize(SIZE.四号);
  const imprintHeight = imprintLines.length * (SIZE.四号 * 1.8) + 8;
  if (doc.y + imprintHeight + LINE > PAGE.height - BOTTOM) doc.addPage();
  let y = PAGE.height - BOTTOM - imprintHeight;
  doc.moveTo(LEFT, y).lineTo(LEFT + TEXT_WIDTH, y).lineWidth(1).strokeColor('black').stroke();
  for (const line of imprintLines) {
    y += 4;
    doc.fillColor('black').text(line, LEFT + CHAR, y, { width: TEXT_WIDTH - 2 * CHAR, lineBreak: false });
    y += SIZE.四号 * 1.8 - 4;
    doc.moveTo(LEFT, y).lineTo(LEFT + TEXT_WIDTH, y).lineWidth(line === imprintLines.at(-1) ? 1 : 0.5).stroke();
  }

  // 附件 on pages of their own.
  d.attachments?.forEach((a, i) => {
    doc.addPage();
    doc.font('cn').fontSize(SIZE.三号).text(`附件${d.attachments!.length > 1 ? i + 1 : ''}`, LEFT, TOP, { lineBreak: false });
    doc.fontSize(SIZE.二号).text(a.title, LEFT, TOP + 2 * LINE, { width: TEXT_WIDTH, align: 'center' });
    doc.moveDown(0.5);
    for (const p of a.paragraphs ?? []) bodyParagraph(doc, p);
    if (a.table) table(doc, a.table);
  });

  // 页码: "— n —", 4号, one character in from the outside edge.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i += 1) {
    doc.switchToPage(range.start + i);
    const n = i + 1;
    const label = `— ${n} —`;
    doc.font('cn').fontSize(SIZE.四号);
    const w = doc.widthOfString(label);
    const x = n % 2 === 1 ? LEFT + TEXT_WIDTH - CHAR - w : LEFT + CHAR;
    // Below the 版心, inside the bottom margin (pdfkit would add a page for text past the margin).
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fillColor('black').text(label, x, PAGE.height - BOTTOM + mm(7), { lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
