// Official documents (公文) laid out per GB/T 9704-2012 党政机关公文格式, written as .docx with the
// `docx` package. Pure: a document description in, the bytes of the file out; no I/O.
//
// What the standard fixes and where it is done here:
//   5.2.1  A4, 版心 156 mm × 225 mm, 天头 37 mm, 订口 28 mm          → PAGE, section margins
//   5.2.2  3号仿宋, 22 lines of 28 characters                     → docDefaults, docGrid, LINE
//   7.2    版头: red 发文机关标志 35 mm below the 版心 top, 发文字号 two lines below it with
//          〔〕, a red separator 4 mm under the 发文字号                → masthead()
//   7.3    标题 2号小标宋 two lines below the separator; 主送机关 flush left with a full-width
//          colon; 正文 indented two characters; 一级标题 黑体, 二级 楷体; 附件说明; 署名 and
//          成文日期; 附注; 附件 on pages of their own                 → main(), attachmentPages()
//   7.4    版记 (抄送, 印发机关和印发日期) between rules, its last rule on the last page's
//          版心 bottom                                             → imprint()
//   7.5    页码 4号半角宋体 "— 1 —", odd pages right, even pages left, one character in → footers
//
// Fonts are named as Chinese government templates name them (仿宋_GB2312, 方正小标宋简体, …);
// the font table names a Windows font for each as its alternative, which Word uses where the
// GB2312-era font is not installed.
import {
  AlignmentType, BorderStyle, Document, Footer, HeightRule, Packer, PageNumber, Paragraph, RelativeVerticalPosition,
  Tab, Table, TableAnchorType, TableCell, TableLayoutType, TableRow, TabStopType, TextRun, WidthType,
  type IBorderOptions, type IRunOptions,
} from 'docx';

/** One paragraph of 正文: plain text, or a run-in heading (一级 "一、" 黑体, 二级 "（一）" 楷体) followed by text. */
export type BodyParagraph = string | { level: 1 | 2; heading: string; text?: string };

/** A table in an attachment; column widths are shares of the 版心 width. */
export interface AttachmentTable {
  columns: Array<{ header: string; share: number }>;
  rows: string[][];
}

/** An attachment (附件): named in the 附件说明 and set on pages of its own after the 正文 (7.3.7). */
export interface Attachment {
  title: string;
  paragraphs?: BodyParagraph[];
  table?: AttachmentTable;
}

/** What a GB/T 9704 document says; the layout is this module's business. */
export interface OfficialDocument {
  /** 发文机关标志: the issuer's full name or standard short name (optionally with "文件"). */
  issuerMark: string;
  /** 发文字号, e.g. "〔2026〕12号" or with an agency code "发改高技〔2026〕12号" (see formatDocumentNumber). */
  documentNumber: string;
  /** 标题. */
  title: string;
  /** 主送机关 (without the colon). */
  mainRecipient: string;
  /** 正文, one entry per paragraph. */
  body: BodyParagraph[];
  attachments?: Attachment[];
  /** 发文机关署名. */
  signatureOrg: string;
  /** 成文日期: a calendar date YYYY-MM-DD (Asia/Shanghai). */
  date: string;
  /** 附注, printed in parentheses under the 成文日期 (7.3.6). */
  note?: string;
  /** 抄送机关 (版记). */
  copyTo?: string[];
  /** 印发机关 (版记). */
  printedBy?: string;
  /** 印发日期, YYYY-MM-DD; the 成文日期 when not given. */
  printDate?: string;
}

// ---------------------------------------------------------------------------------------------
// Geometry (twips: 1/20 pt; 1 mm = 1440/25.4 twips)

const mm = (x: number) => Math.round((x * 1440) / 25.4);

/** Page and 版心 (5.2.1). A4 is 11906 × 16838 twips in Word; the odd twip goes to the left margin. */
export const PAGE = (() => {
  const width = 11906;
  const height = 16838;
  const textWidth = mm(156);
  const textHeight = mm(225);
  const top = mm(37);
  const right = mm(26);
  return { width, height, textWidth, textHeight, top, right, left: width - textWidth - right, bottom: height - top - textHeight };
})();

const LINES_PER_PAGE = 22;
const CHARS_PER_LINE = 28;
/** One line of 正文 (5.2.2): 22 lines fill the 225 mm 版心 (579 twips = 28.95 pt), set as exact line spacing. */
export const LINE = Math.floor(PAGE.textHeight / LINES_PER_PAGE);
/** Width of one character on the 28-per-line grid (≈ 15.79 pt: 3号 is 16 pt, so characters close up slightly). */
const CHAR = PAGE.textWidth / CHARS_PER_LINE;
const chars = (n: number) => Math.round(n * CHAR);

/** Font sizes in half-points. */
const SIZE = { 二号: 44, 三号: 32, 四号: 28, 小四: 24 } as const;

/** Fonts (7.2–7.5) with the Windows font Word substitutes where they are missing. */
export const FONTS = {
  fangsong: { name: '仿宋_GB2312', alt: 'FangSong' },
  xiaobiaosong: { name: '方正小标宋简体', alt: 'SimSun' },
  heiti: { name: '黑体', alt: 'SimHei' },
  kaiti: { name: '楷体_GB2312', alt: 'KaiTi' },
  songti: { name: '宋体', alt: 'SimSun' },
} as const;
type FontKey = keyof typeof FONTS;

/** The standard's red (GB/T 9704 says "红色"; pure red is what templates use). */
export const RED = 'FF0000';

// ---------------------------------------------------------------------------------------------
// Text helpers

const WIDE = /[\u1100-\u115f\u2014\u2018\u2019\u201c\u201d\u2026\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/**
 * Width of a text in characters: CJK and full-width forms count one, everything else (Arabic
 * digits, Latin letters, half-width punctuation) half.
 */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 1 : 0.5;
  return w;
}

/** 成文日期 (7.3.5.1, GB/T 9704-2012): Arabic digits, the year in full, no padding: "2026年1月5日". */
export function formatChineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** 发文字号 (7.2.3): the year in full in 六角括号, the serial without 第 and without padding. */
export function formatDocumentNumber(year: number, serial: number, agencyCode = ''): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`bad year: ${year}`);
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`bad serial: ${serial}`);
  return `${agencyCode}〔${year}〕${serial}号`;
}

function run(text: string, font: FontKey, size: number, extra: Partial<IRunOptions> = {}): TextRun {
  const name = FONTS[font].name;
  return new TextRun({
    text, size, sizeComplexScript: size,
    // hint eastAsia: quotation marks, dashes and other shared characters take the Chinese font.
    font: { ascii: name, hAnsi: name, eastAsia: name, cs: name, hint: 'eastAsia' },
    ...extra,
  });
}

/** Body text (3号仿宋) snaps to the 28-character grid; larger or smaller text keeps its own width. */
const bodyRun = (text: string, font: FontKey = 'fangsong') => run(text, font, SIZE.三号);
const freeRun = (text: string, font: FontKey, size: number, extra: Partial<IRunOptions> = {}) =>
  run(text, font, size, { snapToGrid: false, ...extra });

const exact = (line: number, before = 0) => ({ line, lineRule: 'exact' as const, before, after: 0 });
const blankLine = () => new Paragraph({ spacing: exact(LINE), children: [] });

// ---------------------------------------------------------------------------------------------
// Parts of the document

/** 版头 (7.2). */
function masthead(doc: OfficialDocument): Paragraph[] {
  // The mark is as large as fits on one line of the 版心, at most 36 pt (小初 is 36 pt).
  const markSize = Math.min(72, Math.floor((2 * PAGE.textWidth) / 20 / Math.max(textWidth(doc.issuerMark), 1)));
  const markLine = Math.max(LINE, Math.ceil(markSize * 10 * 1.25));
  const rule: IBorderOptions = { style: BorderStyle.SINGLE, color: RED, size: 12, space: 11 }; // 1.5 pt, ≈4 mm below
  return [
    // 7.2.2: 上边缘至版心上边缘为35mm.
    new Paragraph({
      alignment: AlignmentType.CENTER, spacing: exact(markLine, mm(35)),
      children: [freeRun(doc.issuerMark, 'xiaobiaosong', markSize, { color: RED })],
    }),
    blankLine(), blankLine(),
    // 7.2.3 and 7.2.5: the 发文字号 centred, the red rule 4 mm under it across the 版心.
    new Paragraph({
      alignment: AlignmentType.CENTER, spacing: exact(LINE), border: { bottom: rule },
      children: [bodyRun(doc.documentNumber)],
    }),
  ];
}

function bodyParagraph(p: BodyParagraph): Paragraph {
  const children = typeof p === 'string'
    ? [bodyRun(p)]
    : [bodyRun(p.heading, p.level === 1 ? 'heiti' : 'kaiti'), ...(p.text ? [bodyRun(p.text)] : [])];
  return new Paragraph({
    alignment: AlignmentType.BOTH, spacing: exact(LINE),
    indent: { firstLine: chars(2), firstLineChars: 200 },
    children,
  });
}

/** 附件说明 (7.3.4): "附件：" two characters in; several attachments numbered, wrapped lines aligned. */
function attachmentNote(attachments: Attachment[]): Paragraph[] {
  if (attachments.length === 1) {
    return [new Paragraph({
      spacing: exact(LINE), indent: { left: chars(5), hanging: chars(3) },
      children: [bodyRun(`附件：${attachments[0]!.title}`)],
    })];
  }
  return attachments.map((a, i) => new Paragraph({
    spacing: exact(LINE), indent: { left: chars(6), hanging: chars(i === 0 ? 4 : 1) },
    children: [bodyRun(`${i === 0 ? '附件：' : ''}${i + 1}.${a.title}`)],
  }));
}

/**
 * 发文机关署名 and 成文日期 as for a sealed document (7.3.5.1): the date four characters in from
 * the right, the issuer centred over it. The SM2 signature of the decision stands where the
 * seal would be; an issuer longer than the date ends at the date's end rather than overrun.
 */
function signatureBlock(doc: OfficialDocument): Paragraph[] {
  const date = formatChineseDate(doc.date);
  const dateIndent = 4;
  const orgIndent = Math.max(0, dateIndent + (textWidth(date) - textWidth(doc.signatureOrg)) / 2);
  return [
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact(LINE), indent: { right: chars(orgIndent) }, children: [bodyRun(doc.signatureOrg)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact(LINE), indent: { right: chars(dateIndent) }, children: [bodyRun(date)] }),
  ];
}

function title(text: string): Paragraph {
  // 7.3.2: 2号小标宋, centred; long titles wrap within the 版心.
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: exact(LINE), children: [freeRun(text, 'xiaobiaosong', SIZE.二号)] });
}

function main(doc: OfficialDocument): Paragraph[] {
  const out: Paragraph[] = [
    blankLine(), blankLine(), // 7.3.2: 标题 two lines below the red rule
    title(doc.title),
    blankLine(),
    // 7.3.3: 主送机关 flush left, a full-width colon after the last name.
    new Paragraph({ alignment: AlignmentType.BOTH, spacing: exact(LINE), children: [bodyRun(`${doc.mainRecipient}：`)] }),
    ...doc.body.map(bodyParagraph),
  ];
  if (doc.attachments?.length) out.push(blankLine(), ...attachmentNote(doc.attachments));
  out.push(blankLine(), ...signatureBlock(doc));
  if (doc.note) {
    // 7.3.6: 附注 two characters in, in parentheses, on the line under the date.
    out.push(new Paragraph({
      alignment: AlignmentType.BOTH, spacing: exact(LINE), indent: { left: chars(2) },
      children: [bodyRun(`（${doc.note}）`)],
    }));
  }
  return out;
}

const thin: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const none: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'auto' };

function attachmentTable(t: AttachmentTable): Table {
  const total = t.columns.reduce((s, c) => s + c.share, 0);
  const widths = t.columns.map((c) => Math.floor((PAGE.textWidth * c.share) / total));
  const cellLine = Math.round(SIZE.小四 * 10 * 1.5);
  const cell = (text: string, i: number, header: boolean) => new TableCell({
    width: { size: widths[i]!, type: WidthType.DXA },
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    children: [new Paragraph({
      alignment: header ? AlignmentType.CENTER : AlignmentType.LEFT, spacing: exact(cellLine),
      children: [freeRun(text, header ? 'heiti' : 'fangsong', SIZE.小四)],
    })],
  });
  return new Table({
    width: { size: PAGE.textWidth, type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED,
    borders: { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: t.columns.map((c, i) => cell(c.header, i, true)) }),
      ...t.rows.map((r) => new TableRow({ cantSplit: true, children: t.columns.map((_, i) => cell(r[i] ?? '', i, false)) })),
    ],
  });
}

/** 附件 (7.3.7): each on a new page, "附件N" 黑体 top left, its title centred on the third line. */
function attachmentPages(attachments: Attachment[]): Array<Paragraph | Table> {
  return attachments.flatMap((a, i) => [
    new Paragraph({
      pageBreakBefore: true, spacing: exact(LINE),
      children: [bodyRun(attachments.length === 1 ? '附件' : `附件${i + 1}`, 'heiti')],
    }),
    blankLine(),
    title(a.title),
    blankLine(),
    ...(a.paragraphs ?? []).map(bodyParagraph),
    // A paragraph after a table keeps Word from joining it to a table that follows (the 版记).
    ...(a.table ? [attachmentTable(a.table), new Paragraph({ spacing: exact(LINE), children: [] })] : []),
  ]);
}

/**
 * 版记 (7.4): 抄送 and 印发机关/印发日期 in 4号仿宋 one character in from each side, between a
 * thick first and last rule (0.35 mm) with thin rules (0.25 mm) between. A table floated to the
 * bottom of the 版心 puts the last rule on the 版心's lower edge of the last page.
 */
function imprint(doc: OfficialDocument): Array<Paragraph | Table> {
  if (!doc.copyTo?.length && !doc.printedBy) return [];
  const thick: IBorderOptions = { style: BorderStyle.SINGLE, size: 8, color: '000000' }; // 1 pt ≈ 0.35 mm
  const rule: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000' }; // 0.75 pt ≈ 0.25 mm
  const one = Math.round(SIZE.四号 * 10); // one 4号 character
  const rows: TableRow[] = [];
  const cell = (p: Paragraph) => new TableCell({
    width: { size: PAGE.textWidth, type: WidthType.DXA }, margins: { left: 0, right: 0, top: 0, bottom: 0 }, children: [p],
  });
  if (doc.copyTo?.length) {
    // 7.4.2: wrapped names align with the first name after the colon; a full stop ends the list.
    rows.push(new TableRow({ cantSplit: true, children: [cell(new Paragraph({
      spacing: exact(LINE), indent: { left: one * 4, hanging: one * 3, right: one },
      children: [freeRun(`抄送：${doc.copyTo.join('，')}。`, 'fangsong', SIZE.四号)],
    }))] }));
  }
  rows.push(new TableRow({ cantSplit: true, height: { value: LINE, rule: HeightRule.ATLEAST }, children: [cell(new Paragraph({
    spacing: exact(LINE), indent: { left: one, right: one },
    tabStops: [{ type: TabStopType.RIGHT, position: PAGE.textWidth - 2 * one }],
    children: [freeRun('', 'fangsong', SIZE.四号, {
      children: [doc.printedBy ?? doc.signatureOrg, new Tab(), `${formatChineseDate(doc.printDate ?? doc.date)}印发`],
    })],
  }))] }));
  return [
    new Table({
      width: { size: PAGE.textWidth, type: WidthType.DXA }, columnWidths: [PAGE.textWidth], layout: TableLayoutType.FIXED,
      borders: { top: thick, bottom: thick, left: none, right: none, insideHorizontal: rule, insideVertical: none },
      float: {
        horizontalAnchor: TableAnchorType.MARGIN, absoluteHorizontalPosition: 0,
        verticalAnchor: TableAnchorType.MARGIN, relativeVerticalPosition: RelativeVerticalPosition.BOTTOM,
      },
      rows,
    }),
    // The floating table anchors to the paragraph after it.
    new Paragraph({ spacing: exact(LINE), children: [] }),
  ];
}

/** 页码 (7.5): 4号半角宋体, "— N —", odd pages right and even pages left, one character in. */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const one = Math.round(SIZE.四号 * 10);
  return new Footer({
    children: [new Paragraph({
      alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
      indent: side === 'odd' ? { right: one } : { left: one },
      children: [freeRun('', 'songti', SIZE.四号, { children: ['— ', PageNumber.CURRENT, ' —'] })],
    })],
  });
}

/** The font table: each font with the Windows font Word falls back to. */
function fontTable(): string {
  const fonts = Object.values(FONTS).map((f) =>
    `<w:font w:name="${f.name}"><w:altName w:val="${f.alt}"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`);
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts.join('')}</w:fonts>`;
}

/** The .docx of a GB/T 9704 document. */
export async function renderOfficialDocument(doc: OfficialDocument): Promise<Buffer> {
  formatChineseDate(doc.date);
  if (doc.printDate) formatChineseDate(doc.printDate);
  const fangsong = FONTS.fangsong.name;
  const document = new Document({
    title: doc.title,
    creator: doc.signatureOrg,
    lastModifiedBy: doc.signatureOrg,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: {
            font: { ascii: fangsong, hAnsi: fangsong, eastAsia: fangsong, cs: fangsong, hint: 'eastAsia' },
            size: SIZE.三号, sizeComplexScript: SIZE.三号, language: { value: 'zh-CN', eastAsia: 'zh-CN' },
          },
          paragraph: { spacing: exact(LINE) },
        },
      },
    },
    sections: [{
      properties: {
        page: {
          size: { width: PAGE.width, height: PAGE.height },
          // 7.5: the page number's dash 7 mm below the 版心; the footer's baseline sits ≈25 mm up.
          margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: mm(15), footer: mm(25), gutter: 0 },
        },
        // 5.2.2: 22 lines × 28 characters. charSpace is the pitch's difference from 16 pt, ×4096.
        grid: { type: 'linesAndChars', linePitch: LINE, charSpace: Math.floor((CHAR / 20 - SIZE.三号 / 2) * 4096) },
      },
      footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
      children: [
        ...masthead(doc),
        ...main(doc),
        ...attachmentPages(doc.attachments ?? []),
        ...imprint(doc),
      ],
    }],
  });
  return Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTable() }]);
}
