// SPEC §10: uploads are checked by magic bytes; the claimed type must match the detected one.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  centralDirectoryNames, checkClaim, classifyZip, detectFileType, extensionOf, HEAD_BYTES, sniff, typeOfContentType,
  typeOfExtension, zipLocalHeaderNames, type FileBytes,
} from './file-type.ts';
import { sampleDocx, sampleJpeg, sampleOfd, samplePdf, samplePng, sampleXlsx, zip } from './test-files.ts';

/** A file in memory, read the way the store reads a staged file. */
function bytes(data: Uint8Array): FileBytes & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    size: data.length, head: data.subarray(0, HEAD_BYTES), reads,
    read: async (position, length) => {
      reads.push([position, length]);
      return data.subarray(position, position + length);
    },
  };
}
const detect = (data: Uint8Array) => detectFileType(bytes(data));

describe('magic bytes (SPEC §10)', () => {
  it('SPEC §10: detects PDF, PNG and JPEG from their first bytes', async () => {
    expect(await detect(samplePdf())).toBe('pdf');
    expect(await detect(samplePng())).toBe('png');
    expect(await detect(sampleJpeg())).toBe('jpeg');
  });

  it('SPEC §10: tells OFD, DOCX, XLSX and a plain ZIP apart by their entries', async () => {
    expect(await detect(sampleOfd())).toBe('ofd');
    expect(await detect(sampleDocx())).toBe('docx');
    expect(await detect(sampleXlsx())).toBe('xlsx');
    expect(await detect(zip([['说明.txt', '附件'], ['data/a.csv', 'a,b']]))).toBe('zip');
    expect(await detect(zip([]))).toBe('zip');
  });

  it('SPEC §10: an XLSX written by a real library (ExcelJS, data descriptors, deflate) is XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('项目').addRow(['项目名称', '总投资']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await detect(data)).toBe('xlsx');
  });

  it('reads the central directory, so an entry far from the start still counts', async () => {
    const big = Buffer.alloc(200 * 1024, 7);
    const data = zip([['[Content_Types].xml', '<Types/>'], ['word/media/image1.png', big], ['word/document.xml', '<w:document/>']]);
    const file = bytes(data);
    expect(await detectFileType(file)).toBe('docx');
    // Only the tail and the directory were read, not the whole file.
    expect(file.reads.reduce((n, [, l]) => n + l, 0)).toBeLessThan(70 * 1024);
  });

  it('finds the end record behind an archive comment', async () => {
    expect(await detect(zip([['OFD.xml', '<OFD/>']], { comment: 'PK\x05\x06 是注释' }))).toBe('ofd');
  });

  it('falls back to the local headers when there is no central directory', async () => {
    const damaged = zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']], { truncated: true });
    expect(zipLocalHeaderNames(damaged)).toEqual(['[Content_Types].xml', 'word/document.xml']);
    expect(await detect(damaged)).toBe('docx');
    // With sizes deferred to data descriptors the walk stops after the first entry.
    const streamed = zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']], { descriptor: true, truncated: true });
    expect(zipLocalHeaderNames(streamed)).toEqual(['[Content_Types].xml']);
    expect(await detect(streamed)).toBe('zip');
    expect(await detect(zip([['word/document.xml', '<w:document/>']], { descriptor: true }))).toBe('docx');
  });

  it('lists central directory names exactly, including UTF-8 names', () => {
    const data = zip([['材料/可研报告.pdf', samplePdf()], ['b.txt', 'x']]);
    const cdStart = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(centralDirectoryNames(data.subarray(cdStart))).toEqual(['材料/可研报告.pdf', 'b.txt']);
  });

  it('rejects anything else: text, executables, empty files, a PDF header not at the start', async () => {
    expect(await detect(Buffer.from('hello, world'))).toBeNull();
    expect(await detect(Buffer.from('MZ\x90\x00\x03', 'latin1'))).toBeNull();
    expect(await detect(Buffer.alloc(0))).toBeNull();
    expect(await detect(Buffer.from(' %PDF-1.7'))).toBeNull();
    expect(sniff(Buffer.from([0x89, 0x50, 0x4e]))).toBeNull();
  });

  it('classifies ZIP entry lists', () => {
    expect(classifyZip(['OFD.xml', 'word/document.xml'])).toBe('ofd');
    expect(classifyZip(['./ofd.xml'])).toBe('ofd');
    expect(classifyZip(['Doc_0/OFD.xml'])).toBe('zip');
    expect(classifyZip(['word\\document.xml'])).toBe('docx');
    expect(classifyZip(['xl/workbook.xml'])).toBe('xlsx');
    expect(classifyZip(['xl/workbook.xml.bak'])).toBe('zip');
  });
});

describe('claimed type (SPEC §10)', () => {
  it('reads the claim from the extension and the Content-Type', () => {
    expect(extensionOf('C:\\材料\\报告.PDF')).toBe('pdf');
    expect(extensionOf('.pdf')).toBe('');
    expect(extensionOf('无扩展名')).toBe('');
    expect(typeOfExtension('a.JPG')).toBe('jpeg');
    expect(typeOfExtension('a.jpeg')).toBe('jpeg');
    expect(typeOfExtension('a.exe')).toBeNull();
    expect(typeOfContentType('application/pdf; charset=binary')).toBe('pdf');
    expect(typeOfContentType('application/octet-stream')).toBe('generic');
    expect(typeOfContentType(undefined)).toBe('generic');
    expect(typeOfContentType('text/html')).toBeNull();
  });

  it('SPEC §10: the detected type must match both the extension and a specific Content-Type', () => {
    expect(checkClaim('pdf', '可研报告.pdf', 'application/pdf')).toEqual({ ok: true, type: 'pdf' });
    expect(checkClaim('ofd', '批复.ofd', 'application/octet-stream')).toEqual({ ok: true, type: 'ofd' });
    expect(checkClaim('png', '可研报告.pdf', 'application/pdf')).toEqual({ ok: false, reason: 'mismatch', detected: 'png', claimed: '.pdf' });
    expect(checkClaim('pdf', '可研报告.pdf', 'image/png')).toEqual({ ok: false, reason: 'mismatch', detected: 'pdf', claimed: 'image/png' });
    expect(checkClaim('pdf', '可研报告.pdf', 'text/html')).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(checkClaim('docx', '报告.zip', 'application/zip')).toMatchObject({ ok: false, reason: 'mismatch', detected: 'docx' });
    expect(checkClaim('pdf', '报告', undefined)).toMatchObject({ ok: false, reason: 'mismatch', claimed: '(no extension)' });
    expect(checkClaim(null, '报告.pdf', 'application/pdf')).toEqual({ ok: false, reason: 'unsupported', detected: null });
  });
});
