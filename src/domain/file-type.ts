// What a material file really is, from its bytes (SPEC §10: "uploads checked by magic bytes"),
// and whether that matches what the uploader claims (file extension and Content-Type).
// Pure: the caller hands in the first bytes and a way to read more (no fs, no streams here).
//
// Heuristic, in order:
//   %PDF-            at offset 0                        → pdf   (strict: no leading garbage)
//   89 50 4E 47 0D 0A 1A 0A                             → png
//   FF D8 FF                                            → jpeg
//   PK\x03\x04 (or PK\x05\x06, an empty archive)        → a ZIP; its entry names decide:
//       OFD.xml at the root (GB/T 33190)                → ofd
//       word/document.xml                               → docx
//       xl/workbook.xml                                 → xlsx
//       anything else                                   → zip
//   anything else                                       → not supported
// The entry names come from the central directory (found through the end-of-central-directory
// record in the last 64 KiB, ZIP64 included), which lists every entry wherever it is stored.
// Only when there is no readable central directory (a damaged or truncated archive) do they
// come from the local file headers in the first bytes, walked until an entry whose size is
// deferred to a data descriptor; such a file can only be classified by what comes first.

export const FILE_TYPES = ['pdf', 'ofd', 'docx', 'xlsx', 'zip', 'png', 'jpeg'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export interface FileTypeInfo {
  /** The media type served on download (the detected one, never the claimed one). */
  readonly mediaType: string;
  /** File name extensions that claim this type, lower case, without the dot. */
  readonly extensions: readonly string[];
  /** Content-Type values that claim this type (besides the generic ones). */
  readonly claimedTypes: readonly string[];
  readonly name: string;
}

export const FILE_TYPE_INFO: Readonly<Record<FileType, FileTypeInfo>> = {
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'], claimedTypes: ['application/pdf', 'application/x-pdf'], name: 'PDF' },
  ofd: { mediaType: 'application/ofd', extensions: ['ofd'], claimedTypes: ['application/ofd', 'application/x-ofd'], name: 'OFD' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'],
    claimedTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'], name: 'DOCX',
  },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'],
    claimedTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], name: 'XLSX',
  },
  zip: { mediaType: 'application/zip', extensions: ['zip'], claimedTypes: ['application/zip', 'application/x-zip-compressed', 'application/x-zip'], name: 'ZIP' },
  png: { mediaType: 'image/png', extensions: ['png'], claimedTypes: ['image/png'], name: 'PNG' },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], claimedTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'], name: 'JPEG' },
};

/** Content-Type values that claim nothing (what a browser sends for an unknown extension). */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** How many leading bytes the caller should hand in as `head`. */
export const HEAD_BYTES = 64 * 1024;
/** The end-of-central-directory record sits within the last 22 + 65535 bytes. */
const EOCD_SEARCH = 22 + 0xffff;
/** Central directories larger than this are not read (the local-header fallback applies). */
const MAX_CENTRAL_DIRECTORY = 8 * 1024 * 1024;

/** A file to inspect: its size, its first bytes, and random access to the rest. */
export interface FileBytes {
  readonly size: number;
  /** The first min(size, HEAD_BYTES) bytes. */
  readonly head: Uint8Array;
  read(position: number, length: number): Promise<Uint8Array>;
}

const startsWith = (b: Uint8Array, sig: readonly number[]) => b.length >= sig.length && sig.every((v, i) => b[i] === v);
const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32;
const name = (b: Uint8Array, o: number, n: number) => new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(o, o + n));

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

/** The type the first bytes show, before looking inside a ZIP; null: none of ours. */
export function sniff(head: Uint8Array): 'pdf' | 'png' | 'jpeg' | 'zip' | null {
  if (startsWith(head, PDF)) return 'pdf';
  if (startsWith(head, PNG)) return 'png';
  if (startsWith(head, JPEG)) return 'jpeg';
  if (startsWith(head, ZIP_LOCAL) || startsWith(head, ZIP_EMPTY)) return 'zip';
  return null;
}

/** The ZIP-based type that a list of entry names shows. */
export function classifyZip(entryNames: readonly string[]): 'ofd' | 'docx' | 'xlsx' | 'zip' {
  const names = new Set(entryNames.map((n) => n.replace(/\\/g, '/').replace(/^\.?\//, '')));
  if ([...names].some((n) => n.toLowerCase() === 'ofd.xml')) return 'ofd';
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('xl/workbook.xml')) return 'xlsx';
  return 'zip';
}

/** Entry names from local file headers at the start of an archive (the fallback). */
export function zipLocalHeaderNames(head: Uint8Array): string[] {
  const names: string[] = [];
  let o = 0;
  while (o + 30 <= head.length && u32(head, o) === 0x04034b50) {
    const flags = u16(head, o + 6);
    let compressed = u32(head, o + 18);
    const nameLength = u16(head, o + 26);
    const extraLength = u16(head, o + 28);
    if (o + 30 + nameLength > head.length) break;
    names.push(name(head, o + 30, nameLength));
    // ZIP64: the real size is in the extra field (id 0x0001).
    if (compressed === 0xffffffff) {
      let e = o + 30 + nameLength;
      const end = Math.min(e + extraLength, head.length);
      compressed = NaN;
      while (e + 4 <= end) {
        const id = u16(head, e);
        const len = u16(head, e + 2);
        if (id === 0x0001 && e + 4 + 16 <= end) compressed = u64(head, e + 12);
        e += 4 + len;
      }
    }
    // Bit 3: the sizes follow the data in a descriptor; the next header cannot be found.
    if ((flags & 0x08) !== 0 || !Number.isFinite(compressed)) break;
    o += 30 + nameLength + extraLength + compressed;
  }
  return names;
}

/** Where the central directory is, from the bytes at the end of the archive; null: not found. */
export function locateCentralDirectory(tail: Uint8Array, tailOffset: number):
  { offset: number; size: number; entries: number } | { zip64LocatorAt: number } | null {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) !== 0x06054b50) continue;
    const commentLength = u16(tail, i + 20);
    // A signature inside the comment of another record does not end the file.
    if (i + 22 + commentLength !== tail.length) continue;
    const entries = u16(tail, i + 10);
    const size = u32(tail, i + 12);
    const offset = u32(tail, i + 16);
    if (offset === 0xffffffff || size === 0xffffffff || entries === 0xffff) {
      // ZIP64: the locator is the 20 bytes before this record.
      if (i >= 20 && u32(tail, i - 20) === 0x07064b50) return { zip64LocatorAt: tailOffset + i - 20 };
      return null;
    }
    return { offset, size, entries };
  }
  return null;
}

/** Entry names listed in a central directory. */
export function centralDirectoryNames(cd: Uint8Array): string[] {
  const names: string[] = [];
  let o = 0;
  while (o + 46 <= cd.length && u32(cd, o) === 0x02014b50) {
    const nameLength = u16(cd, o + 28);
    const extraLength = u16(cd, o + 30);
    const commentLength = u16(cd, o + 32);
    if (o + 46 + nameLength > cd.length) break;
    names.push(name(cd, o + 46, nameLength));
    o += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Every entry name of a ZIP archive: from its central directory, else its local headers. */
export async function zipEntryNames(file: FileBytes): Promise<string[]> {
  const tailLength = Math.min(file.size, EOCD_SEARCH);
  const tailOffset = file.size - tailLength;
  const tail = tailOffset === 0 && file.head.length === file.size ? file.head : await file.read(tailOffset, tailLength);
  let where = locateCentralDirectory(tail, tailOffset);
  if (where !== null && 'zip64LocatorAt' in where) {
    const locator = await file.read(where.zip64LocatorAt, 20);
    const recordAt = u64(locator, 8);
    const record = recordAt + 56 <= file.size ? await file.read(recordAt, 56) : new Uint8Array(0);
    where = record.length === 56 && u32(record, 0) === 0x06064b50
      ? { entries: u64(record, 32), size: u64(record, 40), offset: u64(record, 48) }
      : null;
  }
  if (where !== null && !('zip64LocatorAt' in where) && where.size > 0 && where.size <= MAX_CENTRAL_DIRECTORY &&
      where.offset + where.size <= file.size) {
    const names = centralDirectoryNames(await file.read(where.offset, where.size));
    if (names.length > 0) return names;
  }
  return zipLocalHeaderNames(file.head);
}

/** The detected type of a file; null when it is none of the supported types (or empty). */
export async function detectFileType(file: FileBytes): Promise<FileType | null> {
  if (file.size === 0) return null;
  const first = sniff(file.head);
  if (first !== 'zip') return first;
  return classifyZip(await zipEntryNames(file));
}

/** The lower-case extension of a file name, without the dot; '' when there is none. */
export function extensionOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The supported type a file name's extension claims; null when it claims none of ours. */
export function typeOfExtension(fileName: string): FileType | null {
  const ext = extensionOf(fileName);
  return FILE_TYPES.find((t) => FILE_TYPE_INFO[t].extensions.includes(ext)) ?? null;
}

/** The type a Content-Type claims: a type, 'generic' (claims nothing), or null (some other type). */
export function typeOfContentType(contentType: string | undefined): FileType | 'generic' | null {
  const base = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (GENERIC_TYPES.has(base)) return 'generic';
  return FILE_TYPES.find((t) => FILE_TYPE_INFO[t].claimedTypes.includes(base)) ?? null;
}

export type ClaimCheck =
  | { readonly ok: true; readonly type: FileType }
  | { readonly ok: false; readonly reason: 'unsupported'; readonly detected: FileType | null }
  | { readonly ok: false; readonly reason: 'mismatch'; readonly detected: FileType; readonly claimed: string };

/**
 * Whether the detected type is supported and matches the claim: the extension must name the
 * detected type, and the Content-Type must name it too unless it is generic
 * (application/octet-stream or empty). A DOCX named .zip is a mismatch: what a file is called
 * is what the reviewer will open it with.
 */
export function checkClaim(detected: FileType | null, fileName: string, contentType: string | undefined): ClaimCheck {
  const byExtension = typeOfExtension(fileName);
  if (detected === null) return { ok: false, reason: 'unsupported', detected: null };
  if (byExtension === null) return { ok: false, reason: 'mismatch', detected, claimed: extensionOf(fileName) ? `.${extensionOf(fileName)}` : '(no extension)' };
  if (byExtension !== detected) return { ok: false, reason: 'mismatch', detected, claimed: `.${extensionOf(fileName)}` };
  const byContentType = typeOfContentType(contentType);
  if (byContentType !== 'generic' && byContentType !== detected) {
    return { ok: false, reason: 'mismatch', detected, claimed: (contentType ?? '').split(';')[0]!.trim() };
  }
  return { ok: true, type: detected };
}
