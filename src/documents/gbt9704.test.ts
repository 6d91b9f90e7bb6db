// GB/T 9704-2012 layout of the generated .docx, read back from word/document.xml.
import { describe, expect, it } from 'vitest';
import { formatChineseDate, formatDocumentNumber, LINE, PAGE, renderOfficialDocument, textWidth, type OfficialDocument } from './gbt9704.ts';
import { paragraphs, paragraphWith, readDocx } from './test-support.ts';

const sample: OfficialDocument = {
  issuerMark: '国家发展和改革委员会',
  documentNumber: formatDocumentNumber(2026, 12),
  title: '关于某某项目可行性研究报告的批复',
  mainRecipient: '某某部信息中心',
  body: [
    '你单位报送的材料收悉。经研究，现批复如下：',
    { level: 1, heading: '一、总体意见。', text: '同意。' },
    { level: 2, heading: '（一）建设内容。', text: '同意所列建设内容。' },
  ],
  attachments: [{ title: '申报材料清单', table: { columns: [{ header: '序号', share: 1 }, { header: '材料', share: 3 }], rows: [['1', '项目建议书']] } }],
  signatureOrg: '国家发展和改革委员会',
  date: '2026-01-05',
  note: '本文件已数字签名',
  copyTo: ['财政部', '审计署'],
  printedBy: '国家发展和改革委员会办公厅',
};

async function render(doc: OfficialDocument = sample) {
  const parts = await readDocx(await renderOfficialDocument(doc));
  return { parts, xml: parts.get('word/document.xml')! };
}

const attr = (xml: string, element: string, name: string) => new RegExp(`<w:${element}\\b[^>]*\\bw:${name}="([^"]*)"`).exec(xml)?.[1];

describe('GB/T 9704-2012 layout', () => {
  it('5.2.1: A4 with the 版心 156 mm × 225 mm, 37 mm from the top and 28 mm from the left', async () => {
    const { xml } = await render();
    expect(attr(xml, 'pgSz', 'w')).toBe('11906');
    expect(attr(xml, 'pgSz', 'h')).toBe('16838');
    expect(attr(xml, 'pgMar', 'top')).toBe('2098');
    expect(attr(xml, 'pgMar', 'left')).toBe('1588');
    expect(attr(xml, 'pgMar', 'right')).toBe('1474');
    expect(attr(xml, 'pgMar', 'bottom')).toBe('1984');
    // 156 mm and 225 mm to the nearest twip.
    expect(PAGE.width - PAGE.left - PAGE.right).toBe(Math.round((156 * 1440) / 25.4));
    expect(PAGE.height - PAGE.top - PAGE.bottom).toBe(Math.round((225 * 1440) / 25.4));
  });

  it('5.2.2: 22 lines of 28 characters: the grid and the exact line spacing fit 22 lines, the character pitch 28', async () => {
    const { xml } = await render();
    expect(LINE).toBe(579); // 28.95 pt
    expect(22 * LINE).toBeLessThanOrEqual(PAGE.textHeight);
    expect(23 * LINE).toBeGreaterThan(PAGE.textHeight);
    expect(attr(xml, 'docGrid', 'type')).toBe('linesAndChars');
    expect(attr(xml, 'docGrid', 'linePitch')).toBe('579');
    const pitchPt = 16 + Number(attr(xml, 'docGrid', 'charSpace')) / 4096;
    expect(28 * pitchPt * 20).toBeLessThanOrEqual(PAGE.textWidth);
    expect(29 * pitchPt * 20).toBeGreaterThan(PAGE.textWidth);
    const body = paragraphWith(xml, '你单位报送的材料收悉');
    expect(body.xml).toContain('w:line="579" w:lineRule="exact"');
  });

  it('5.2.2 / 7.3.3: 正文 is 3号仿宋 (16 pt) with the East Asian font set, indented two characters', async () => {
    const { parts, xml } = await render();
    const body = paragraphWith(xml, '你单位报送的材料收悉');
    expect(body.xml).toMatch(/<w:rFonts [^>]*w:eastAsia="仿宋_GB2312"/);
    expect(body.xml).toMatch(/<w:rFonts [^>]*w:ascii="仿宋_GB2312"/);
    expect(body.xml).toContain('<w:sz w:val="32"/>');
    expect(body.xml).toContain('w:firstLineChars="200"');
    expect(body.xml).toContain('<w:jc w:val="both"/>');
    // The document default is the same, so anything without its own run properties is 仿宋 too.
    expect(parts.get('word/styles.xml')).toMatch(/<w:rPrDefault><w:rPr><w:rFonts [^>]*w:eastAsia="仿宋_GB2312"/);
    // Word substitutes FangSong where 仿宋_GB2312 is not installed.
    expect(parts.get('word/fontTable.xml')).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="FangSong"/>');
  });

  it('7.2.2: the 发文机关标志 is red 方正小标宋简体, centred, 35 mm below the 版心 top', async () => {
    const { xml } = await render();
    const mark = paragraphs(xml)[0]!;
    expect(mark.text).toBe('国家发展和改革委员会');
    expect(mark.xml).toContain('<w:color w:val="FF0000"/>');
    expect(mark.xml).toMatch(/<w:rFonts [^>]*w:eastAsia="方正小标宋简体"/);
    expect(mark.xml).toContain('<w:jc w:val="center"/>');
    expect(mark.xml).toContain('w:before="1984"');
    // As large as fits on one line, never above 36 pt.
    const size = Number(/<w:sz w:val="(\d+)"/.exec(mark.xml)![1]) / 2;
    expect(size).toBeLessThanOrEqual(36);
    expect(size * textWidth(sample.issuerMark) * 20).toBeLessThanOrEqual(PAGE.textWidth);
  });

  it('7.2.2: a long issuer name gets a smaller mark that still fits the 版心', async () => {
    const long = '国家发展和改革委员会创新和高技术发展司';
    const { xml } = await render({ ...sample, issuerMark: long });
    const size = Number(/<w:sz w:val="(\d+)"/.exec(paragraphs(xml)[0]!.xml)![1]) / 2;
    expect(size * textWidth(long) * 20).toBeLessThanOrEqual(PAGE.textWidth);
    expect(size).toBeGreaterThanOrEqual(22);
  });

  it('7.2.3 / 7.2.5: the 发文字号 in 六角括号, centred two lines under the mark, with the red rule under it', async () => {
    const { xml } = await render();
    const ps = paragraphs(xml);
    expect(ps.slice(1, 3).map((p) => p.text)).toEqual(['', '']);
    const number = ps[3]!;
    expect(number.text).toBe('〔2026〕12号');
    expect(number.xml).toContain('<w:jc w:val="center"/>');
    expect(number.xml).toMatch(/<w:pBdr><w:bottom w:val="single" w:color="FF0000" w:sz="\d+" w:space="11"\/><\/w:pBdr>/);
  });

  it('7.2.3: 发文字号 has the year in full, no 第 and no padding', () => {
    expect(formatDocumentNumber(2026, 1)).toBe('〔2026〕1号');
    expect(formatDocumentNumber(2026, 12, '发改高技')).toBe('发改高技〔2026〕12号');
    expect(() => formatDocumentNumber(26, 1)).toThrow(RangeError);
    expect(() => formatDocumentNumber(2026, 0)).toThrow(RangeError);
  });

  it('7.3.2 / 7.3.3: 标题 2号小标宋 centred two lines below the rule; 主送机关 flush left with a full-width colon', async () => {
    const { xml } = await render();
    const ps = paragraphs(xml);
    const i = ps.findIndex((p) => p.text === sample.title);
    expect(ps.slice(4, i).map((p) => p.text)).toEqual(['', '']);
    expect(ps[i]!.xml).toContain('<w:sz w:val="44"/>');
    expect(ps[i]!.xml).toMatch(/w:eastAsia="方正小标宋简体"/);
    expect(ps[i]!.xml).toContain('<w:jc w:val="center"/>');
    expect(ps[i + 1]!.text).toBe('');
    expect(ps[i + 2]!.text).toBe('某某部信息中心：');
    expect(ps[i + 2]!.xml).not.toContain('<w:ind');
  });

  it('7.3.3: 一级标题 黑体, 二级标题 楷体, the text after them 仿宋', async () => {
    const { xml } = await render();
    const first = paragraphWith(xml, '一、总体意见。');
    expect(first.xml).toMatch(/w:eastAsia="黑体"[^]*<w:t xml:space="preserve">一、总体意见。<\/w:t>/);
    expect(first.xml).toMatch(/w:eastAsia="仿宋_GB2312"[^]*<w:t xml:space="preserve">同意。<\/w:t>/);
    expect(paragraphWith(xml, '（一）建设内容。').xml).toMatch(/w:eastAsia="楷体_GB2312"/);
  });

  it('7.3.4 / 7.3.7: 附件说明 two characters in; the attachment on a new page, its title on the third line', async () => {
    const { xml } = await render();
    const note = paragraphWith(xml, '附件：申报材料清单');
    expect(note.xml).toMatch(/<w:ind w:left="1579" w:hanging="948"\/>/); // first line 2 characters in, wraps under the name
    const ps = paragraphs(xml);
    const head = ps.findIndex((p) => p.text === '附件');
    expect(ps[head]!.xml).toContain('<w:pageBreakBefore/>');
    expect(ps[head]!.xml).toMatch(/w:eastAsia="黑体"/);
    expect(ps[head + 1]!.text).toBe('');
    expect(ps[head + 2]!.text).toBe('申报材料清单');
    expect(xml).toContain('<w:tblHeader/>');
  });

  it('7.3.4: several attachments are numbered, the first line after "附件："', async () => {
    const { xml } = await render({ ...sample, attachments: [{ title: '甲' }, { title: '乙' }] });
    expect(paragraphWith(xml, '附件：1.甲').text).toBe('附件：1.甲');
    expect(paragraphWith(xml, '2.乙').text).toBe('2.乙');
    expect(paragraphs(xml).filter((p) => p.text === '附件1' || p.text === '附件2')).toHaveLength(2);
  });

  it('7.3.5.1: 成文日期 in Arabic digits without padding, four characters from the right; the issuer centred over it', async () => {
    const { xml } = await render();
    const ps = paragraphs(xml);
    const at = ps.findIndex((p) => p.text === '2026年1月5日');
    const date = ps[at]!;
    expect(date.xml).toContain('<w:jc w:val="right"/>');
    expect(date.xml).toContain(`<w:ind w:right="${Math.round((4 * PAGE.textWidth) / 28)}"/>`);
    // 国家发展和改革委员会 (10 characters) over 2026年1月5日 (6): 4 + (6 − 10) / 2 = 2 characters from the right.
    const org = ps[at - 1]!;
    expect(org.text).toBe('国家发展和改革委员会');
    expect(org.xml).toContain(`<w:ind w:right="${Math.round((2 * PAGE.textWidth) / 28)}"/>`);
  });

  it('7.3.5.1: dates are checked and written with the year in full and no leading zeros', () => {
    expect(formatChineseDate('2026-11-26')).toBe('2026年11月26日');
    expect(formatChineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(() => formatChineseDate('2026/11/26')).toThrow(RangeError);
    expect(textWidth('2026年1月5日')).toBe(6);
  });

  it('7.3.6: 附注 in parentheses two characters in, on the line under the date', async () => {
    const { xml } = await render();
    const ps = paragraphs(xml);
    const i = ps.findIndex((p) => p.text === '2026年1月5日');
    expect(ps[i + 1]!.text).toBe('（本文件已数字签名）');
    expect(ps[i + 1]!.xml).toContain(`<w:ind w:left="${Math.round((2 * PAGE.textWidth) / 28)}"/>`);
  });

  it('7.4: 版记 at the bottom of the last page: 抄送 ending in 。, 印发机关 and 印发日期, thick outer and thin inner rules', async () => {
    const { xml } = await render();
    expect(xml).toMatch(/<w:tblpPr [^>]*w:tblpYSpec="bottom"[^>]*w:vertAnchor="margin"/);
    expect(paragraphWith(xml, '抄送：').text).toBe('抄送：财政部，审计署。');
    const printed = paragraphWith(xml, '印发');
    expect(printed.text).toBe('国家发展和改革委员会办公厅2026年1月5日印发');
    expect(printed.xml).toMatch(/办公厅<\/w:t><w:tab\/><w:t xml:space="preserve">2026年1月5日印发/);
    const imprint = xml.slice(xml.indexOf('<w:tblpPr'));
    expect(imprint).toMatch(/<w:top w:val="single" w:color="000000" w:sz="8"\/>/);
    expect(imprint).toMatch(/<w:insideH w:val="single" w:color="000000" w:sz="6"\/>/);
  });

  it('7.4: no 抄送 and no 印发机关: no 版记', async () => {
    const { xml } = await render({ ...sample, copyTo: undefined, printedBy: undefined });
    expect(xml).not.toContain('w:tblpYSpec');
  });

  it('7.5: page numbers "— N —" in 4号宋体, odd pages right and even pages left, one character in', async () => {
    const { parts } = await render();
    expect(parts.get('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    const footers = [...parts.entries()].filter(([k]) => /^word\/footer\d+\.xml$/.test(k)).map(([, v]) => v);
    expect(footers).toHaveLength(2);
    const odd = footers.find((f) => f.includes('<w:jc w:val="right"/>'))!;
    const even = footers.find((f) => f.includes('<w:jc w:val="left"/>'))!;
    expect(odd).toContain('<w:ind w:right="280"/>');
    expect(even).toContain('<w:ind w:left="280"/>');
    for (const f of [odd, even]) {
      expect(f).toMatch(/<w:t xml:space="preserve">— <\/w:t>[^]*<w:instrText xml:space="preserve">PAGE<\/w:instrText>[^]*<w:t xml:space="preserve"> —<\/w:t>/);
      expect(f).toContain('<w:sz w:val="28"/>');
      expect(f).toMatch(/w:ascii="宋体"/);
    }
  });

  it('text is escaped: a title and recipient containing <&> stay text', async () => {
    const { xml } = await render({ ...sample, title: '关于<&>"项目"的批复', mainRecipient: 'A&B</w:t>' });
    expect(xml).toContain('关于&lt;&amp;&gt;');
    expect(xml).not.toContain('<&>');
    expect(paragraphWith(xml, '关于<&>').text).toBe('关于<&>"项目"的批复');
    expect(paragraphWith(xml, 'A&B').text).toBe('A&B</w:t>：');
  });

  it('refuses a date that is not a calendar date', async () => {
    await expect(renderOfficialDocument({ ...sample, date: '26-1-5' })).rejects.toThrow(RangeError);
  });
});
