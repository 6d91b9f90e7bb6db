// Reading an import sheet (第十一条 信息资源目录, 第十二条 政务信息系统目录; SPEC §5 "Bulk import and
// export via Excel"): columns named by Chinese headers, cells parsed by type, and the problems each
// bad cell has, by row and column. Pure: the use case reads the workbook and hands over cell values.

/** A cell's value once flattened (rich text → its text, a formula → its result, a hyperlink → its text). */
export type CellValue = string | number | boolean | Date | null;

/** What a reference column names: a system's owner, a resource's provider, a resource's project. */
export type ReferenceTarget = 'owner' | 'provider' | 'project';

/** How a column's cells are read. */
export type CellType =
  | { kind: 'text' }
  | { kind: 'integer' }
  | { kind: 'date' }
  | { kind: 'boolean' }
  /** One of `options`, written as its Chinese label (the code itself is accepted too). */
  | { kind: 'enum'; options: Readonly<Record<string, { zh: string; en: string }>> }
  /** A record named by its code or name (an organization by 统一社会信用代码 or name, a project by 项目代码), resolved by the use case. */
  | { kind: 'reference'; target: ReferenceTarget }
  /** Free text the kind parses itself (e.g. 信息项). */
  | { kind: 'custom'; parse: (text: string) => { value: unknown } | { problem: ImportProblemCode } };

/** One column of an import template. */
export interface ImportColumn {
  /** The header in the template, Chinese. */
  header: string;
  /** Other headers accepted for it (older templates, common synonyms). */
  aliases?: readonly string[];
  /** The field of the domain input this column fills (a dotted path, as the validators name fields). */
  path: string;
  type: CellType;
  required: boolean;
  /** What the template's example row holds. */
  example: string | number;
  /** A note for the 说明 sheet. */
  note: string;
  width?: number;
}

/** Stable codes of the problems an import can have besides the domain validators' own (messages in src/errors.ts). */
export const IMPORT_PROBLEM_CODES = [
  'import.unreadable', 'import.no_sheet', 'import.no_rows', 'import.too_many_rows', 'import.missing_column', 'import.duplicate_column',
  'import.invalid_option', 'import.not_integer', 'import.not_date', 'import.not_boolean', 'import.cell_error', 'import.not_text',
  'import.unknown_organization', 'import.ambiguous_organization', 'import.out_of_scope', 'import.owner_not_government',
  'import.unknown_project', 'import.project_not_editable', 'import.bad_data_items',
  'import.duplicate_in_file', 'import.duplicate_existing', 'import.write_failed',
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];

/**
 * One problem of an import: the Excel row (1 is the header row; 0 for the file as a whole), the
 * column (letter and header; null for a whole row or the file), the cell's text and a stable code
 * (an import code above or a domain validator's field code). `params` fill the message.
 */
export interface ImportProblem {
  row: number;
  column: string | null;
  header: string | null;
  value: string | null;
  code: string;
  params?: Record<string, string | number>;
}

/** At most this many data rows per file (a larger catalog is imported in parts). */
export const MAX_IMPORT_ROWS = 100_000;

/** Spreadsheet column letter of a 1-based index: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * A header or a label as compared: full-width forms folded to half-width (NFKC), every kind of
 * space removed (a header typed "系 统 名 称" or with an ideographic space still matches), a
 * trailing required marker (*) dropped, and Latin letters lower-cased.
 */
export function normalizeLabel(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '').replace(/^\*+|\*+$/g, '').toLowerCase();
}

/** A cell value as the text the report shows. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

/**
 * Flattens what a spreadsheet library gives for a cell: rich text runs joined, a formula's cached
 * result, a hyperlink's text, an error value as its text (#N/A) so it is reported, not read as blank.
 */
export function flattenCell(raw: unknown): CellValue | { error: string } {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || raw instanceof Date) return raw;
  if (typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text?: unknown }>).map((r) => String(r.text ?? '')).join('');
    if ('error' in o) return { error: String(o.error) };
    if ('formula' in o || 'sharedFormula' in o) return o.result === undefined ? null : flattenCell(o.result);
    if ('text' in o) return flattenCell(o.text);
  }
  return String(raw);
}

/** Where each column sits in the file, and the header problems (missing, repeated). */
export interface HeaderMatch {
  /** 1-based column index in the file of each template column (by header), absent when missing. */
  positions: Map<string, number>;
  problems: ImportProblem[];
}

/** Matches the file's header row against the template columns; unknown columns are left alone. */
export function matchHeaders(columns: readonly ImportColumn[], headerRow: readonly CellValue[]): HeaderMatch {
  const byLabel = new Map<string, ImportColumn>();
  for (const c of columns) for (const label of [c.header, ...(c.aliases ?? [])]) byLabel.set(normalizeLabel(label), c);
  const positions = new Map<string, number>();
  const problems: ImportProblem[] = [];
  headerRow.forEach((cell, i) => {
    const column = byLabel.get(normalizeLabel(cellText(cell)));
    if (!column) return;
    if (positions.has(column.header)) {
      problems.push({ row: 1, column: columnLetter(i + 1), header: column.header, value: cellText(cell), code: 'import.duplicate_column' });
    } else {
      positions.set(column.header, i + 1);
    }
  });
  for (const c of columns) {
    if (!positions.has(c.header)) problems.push({ row: 1, column: null, header: c.header, value: null, code: 'import.missing_column' });
  }
  return { positions, problems };
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '对']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '×', '不是']);
const CHINESE_DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** The result of reading one cell: its value (null when blank), or the problem code. */
export type CellResult = { value: unknown } | { problem: ImportProblemCode };

/** Excel's day 0 (1899-12-30, which absorbs the 1900 leap-year bug for dates after February 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Reads one cell as its column's type. Blank is null (the validators say whether it is required). */
export function parseCell(type: CellType, raw: CellValue): CellResult {
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return { value: null };
  const text = cellText(raw).trim();
  switch (type.kind) {
    case 'text':
    case 'reference':
      return { value: text };
    case 'custom':
      return type.parse(text);
    case 'integer': {
      if (typeof raw === 'number') return Number.isInteger(raw) ? { value: raw } : { problem: 'import.not_integer' };
      // "3", "1,200", "３", "第三级", "3级"
      const t = normalizeLabel(text).replace(/,/g, '').replace(/^第/, '').replace(/级$/, '');
      if (/^-?[0-9]+$/.test(t)) return { value: Number(t) };
      if (t.length === 1 && CHINESE_DIGITS[t] !== undefined) return { value: CHINESE_DIGITS[t] };
      return { problem: 'import.not_integer' };
    }
    case 'date': {
      if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? { problem: 'import.not_date' } : { value: raw.toISOString().slice(0, 10) };
      if (typeof raw === 'number') {
        if (!Number.isInteger(raw) || raw < 1 || raw > 2_958_465) return { problem: 'import.not_date' };
        return { value: new Date(EXCEL_EPOCH_MS + raw * 86_400_000).toISOString().slice(0, 10) };
      }
      const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(normalizeLabel(text));
      if (!m) return { problem: 'import.not_date' };
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const date = new Date(Date.UTC(y, mo - 1, d));
      if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return { problem: 'import.not_date' };
      return { value: date.toISOString().slice(0, 10) };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const t = normalizeLabel(text);
      if (TRUE_WORDS.has(t)) return { value: true };
      if (FALSE_WORDS.has(t)) return { value: false };
      return { problem: 'import.not_boolean' };
    }
    case 'enum': {
      const t = normalizeLabel(text);
      for (const [code, names] of Object.entries(type.options)) {
        if (normalizeLabel(names.zh) === t || normalizeLabel(code) === t || normalizeLabel(names.en) === t) return { value: code };
      }
      return { problem: 'import.invalid_option' };
    }
  }
}

/** Sets `value` at a dotted path of `target` (numeric parts make arrays). */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (const [i, key] of parts.slice(0, -1).entries()) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** The column whose path is `path` or a prefix of it (`dataItems.3.name` → the 信息项 column). */
export function columnOfPath(columns: readonly ImportColumn[], path: string): ImportColumn | null {
  let best: ImportColumn | null = null;
  for (const c of columns) {
    if ((path === c.path || path.startsWith(c.path + '.')) && (best === null || c.path.length > best.path.length)) best = c;
  }
  return best;
}
