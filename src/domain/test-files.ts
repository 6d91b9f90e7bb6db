// Test-only sample files for the magic-byte checks (src/domain/file-type.ts) and the
// materials database tests: small but well-formed PDF, PNG, JPEG and ZIP-based files (OFD,
// DOCX, XLSX) built byte by byte. Nothing in production imports it.
import { crc32 } from 'node:zlib';

export interface ZipOptions {
  /** Sizes in a data descriptor after each entry (general purpose bit 3), as streaming zippers write. */
  descriptor?: boolean;
  /** An archive comment (the end record is then not the last 22 bytes). */
  comment?: string;
  /** Leave out the central directory and end record (a damaged or truncated archive). */
  truncated?: boolean;
}

/** A ZIP archive of stored (uncompressed) entries. */
export function zip(entries: ReadonlyArray<[name: string, content: string | Uint8Array]>, options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const flags = (options.descriptor ? 0x08 : 0) | 0x0800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(0x5a210000, 10);
    local.writeUInt32LE(options.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(options.descriptor ? 0 : data.length, 18);
    local.writeUInt32LE(options.descriptor ? 0 : data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const parts = [local, fileName, data];
    if (options.descriptor) {
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(crc, 4);
      d.writeUInt32LE(data.length, 8);
      d.writeUInt32LE(data.length, 12);
      parts.push(d);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0x5a210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, fileName);
    const block = Buffer.concat(parts);
    locals.push(block);
    offset += block.length;
  }
  if (options.truncated) return Buffer.concat(locals);
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, end, comment]);
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** A DOCX package: the Word main part is what makes it one. */
export function sampleDocx(text = '可行性研究报告'): Buffer {
  return zip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', '<Relationships/>'],
    ['docProps/app.xml', '<Properties/>'],
    ['word/document.xml', `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`],
  ]);
}

/** An XLSX package. */
export function sampleXlsx(): Buffer {
  return zip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', '<Relationships/>'],
    ['xl/worksheets/sheet1.xml', '<worksheet/>'],
    ['xl/workbook.xml', '<workbook/>'],
  ]);
}

/** An OFD package (GB/T 33190): OFD.xml at the root. */
export function sampleOfd(): Buffer {
  return zip([
    ['OFD.xml', '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>'],
    ['Doc_0/Document.xml', '<ofd:Document/>'],
  ]);
}

/** A one-page PDF; `padding` bytes make it as large as a test needs. */
export function samplePdf(padding = 0): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n', 'latin1'),
    Buffer.alloc(padding, 0x20),
    Buffer.from('trailer <</Root 1 0 R>>\n%%EOF\n', 'latin1'),
  ]);
}

/** A 1×1 PNG. */
export function samplePng(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
}

/** The start of a JFIF JPEG (SOI, APP0) and its end marker. */
export function sampleJpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
  ]);
}
