// The two imports: 政务信息系统 (第十二条) and a project's 信息资源 (第十一条). Each is its template's
// columns, the domain input a row becomes, the validator that judges it (the catalog's own:
// systemProblems, resourceProblems — never re-encoded here) and the key no two rows may share.
import {
  BASE_CATEGORY_NAMES, CLASSIFICATION_NAMES, DATA_ITEM_TYPE_NAMES, FORMAT_NAMES, OPEN_TYPE_NAMES, SHARING_TYPE_NAMES,
  UPDATE_CYCLE_NAMES, normalizeResource, resourceProblems, type DataItem, type InformationResourceInput,
} from '../resource-catalog.ts';
import {
  NETWORK_TYPE_NAMES, SYSTEM_STATUS_NAMES, normalizeSystem, systemProblems, type GovernmentSystemInput, type ProtectionScheme,
} from '../system-catalog.ts';
import {
  cellText, columnLetter, columnOfPath, flattenCell, normalizeLabel, parseCell, setPath,
  type CellValue, type ImportColumn, type ImportProblem, type ImportProblemCode, type ReferenceTarget,
} from './cells.ts';

export const IMPORT_KINDS = ['systems', 'resources'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** 全部成功才导入 / 仅导入无误的行. */
export const IMPORT_MODES = ['all-or-nothing', 'valid-rows'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const PROTECTION_SCHEME_NAMES: Readonly<Record<ProtectionScheme, { zh: string; en: string }>> = {
  mlps: { zh: '等级保护', en: 'MLPS (等级保护)' },
  classified: { zh: '分级保护', en: 'Classified (分级保护)' },
};

/** 信息项 in one cell: `名称:类型[:说明]`, several separated by ；or a line break. */
export function parseDataItems(text: string): { value: DataItem[] } | { problem: ImportProblemCode } {
  const items: DataItem[] = [];
  for (const part of text.split(/[;；\n\r]+/).map((p) => p.trim()).filter((p) => p !== '')) {
    const [name, typeLabel, ...rest] = part.split(/[:：]/).map((p) => p.trim());
    const type = Object.entries(DATA_ITEM_TYPE_NAMES)
      .find(([code, n]) => typeLabel !== undefined && (normalizeLabel(n.zh) === normalizeLabel(typeLabel) || code === normalizeLabel(typeLabel)))?.[0];
    if (!name || type === undefined) return { problem: 'import.bad_data_items' };
    const description = rest.join(':').trim();
    items.push({ name, type: type as DataItem['type'], description: description === '' ? null : description });
  }
  return { value: items };
}

/** An import kind: its template and how a row becomes a valid domain input. */
export interface ImportDefinition<I> {
  kind: ImportKind;
  title: { zh: string; en: string };
  /** Name of the data sheet in the template (the first sheet of a file is read, whatever its name). */
  sheetName: string;
  columns: readonly ImportColumn[];
  /** The input before the row's cells are set (fields the template has no column for). */
  blank(): Record<string, unknown>;
  /** Every problem the catalog's own validator finds (field paths of the input). */
  problems(input: I): Array<{ path: string; code: string }>;
  normalize(input: I): I;
  /** The column and the key two rows may not share (nor a row and a stored record). */
  keyColumn: string;
  key(input: I): string;
}

const text = (header: string, path: string, required: boolean, example: string, note: string, width = 18): ImportColumn =>
  ({ header, path, type: { kind: 'text' }, required, example, note, width });
const options = (header: string, path: string, names: Readonly<Record<string, { zh: string; en: string }>>, required: boolean, example: string, note = ''): ImportColumn =>
  ({ header, path, type: { kind: 'enum', options: names }, required, example, note: note || `可选：${Object.values(names).map((n) => n.zh).join('、')}`, width: 14 });
const reference = (header: string, path: string, target: ReferenceTarget, example: string, note: string, aliases: string[] = []): ImportColumn =>
  ({ header, aliases, path, type: { kind: 'reference', target }, required: true, example, note, width: 28 });
const yesNo = (header: string, path: string, note: string): ImportColumn =>
  ({ header, path, type: { kind: 'boolean' }, required: true, example: '否', note: `填“是”或“否”。${note}`, width: 10 });

/** 政务信息系统目录 (第十二条). Links to projects and resources are made in the catalog afterwards. */
export const SYSTEM_IMPORT: ImportDefinition<GovernmentSystemInput> = {
  kind: 'systems',
  title: { zh: '政务信息系统', en: 'Government information systems' },
  sheetName: '政务信息系统',
  columns: [
    text('系统名称', 'name', true, '社会保险公共服务平台', '同一单位内不得重名', 28),
    reference('所属单位', 'ownerOrganizationId', 'owner', '人力资源和社会保障部信息中心',
      '填写统一社会信用代码或单位全称；须为您有权管理目录的政务部门', ['所属单位统一社会信用代码', '所属单位名称']),
    text('建设目的/主要功能', 'purpose', true, '为参保人提供社会保险查询和办理服务', '不超过 2000 字', 36),
    text('业务领域', 'businessArea', true, '社会保障', '如：社会保障、市场监管'),
    options('所在网络', 'networkType', NETWORK_TYPE_NAMES, true, '电子政务外网',
      `可选：${Object.values(NETWORK_TYPE_NAMES).map((n) => n.zh).join('、')}；孤网须另行办理例外决定（第二十八条）`),
    yesNo('是否涉密', 'involvesSecrets', '涉密系统采用分级保护，只能部署在电子政务内网或孤网'),
    options('安全保护方式', 'security.scheme', PROTECTION_SCHEME_NAMES, true, '等级保护'),
    { header: '等保级别', aliases: ['等级保护级别'], path: 'security.mlpsLevel', type: { kind: 'integer' }, required: false, example: 3,
      note: '1–5（也可写“第三级”）；分级保护不填', width: 10 },
    text('等保备案编号', 'security.filingNumber', false, '11010843001-20001', '运行中的第二级及以上系统必填；11 位数字，或再加“-”和 5 位数字', 20),
    { header: '用户规模', path: 'userCount', type: { kind: 'integer' }, required: true, example: 120000, note: '用户数（人或账号），整数', width: 12 },
    options('系统状态', 'status', SYSTEM_STATUS_NAMES, true, '运行'),
  ],
  blank: () => ({ security: {}, projects: [], resources: [] }),
  problems: (input) => systemProblems(input),
  normalize: normalizeSystem,
  keyColumn: '系统名称',
  key: (input) => `${input.ownerOrganizationId}\n${input.name.trim()}`,
};

/** The input of a resource row: the resource and the project whose catalog it joins. */
export type ResourceImportInput = InformationResourceInput & { projectId: string };

/** 信息资源目录 (第十一条) of projects, each row naming its project by 项目代码. */
export const RESOURCE_IMPORT: ImportDefinition<ResourceImportInput> = {
  kind: 'resources',
  title: { zh: '信息资源', en: 'Information resources' },
  sheetName: '信息资源',
  columns: [
    reference('项目代码', 'projectId', 'project', '2026-000000-65-01-000001', '须为您有权修改、且处于草稿或退回补正状态的项目'),
    text('信息资源代码', 'code', true, '1-01-001/000001', '类-项-目[-细目…]/顺序码；同一项目内不得重复', 20),
    text('信息资源名称', 'name', true, '参保人员基本信息', '不超过 200 字', 24),
    options('资源分类', 'classification.kind', CLASSIFICATION_NAMES, true, '基础信息资源'),
    options('基础资源类别', 'classification.baseCategory', BASE_CATEGORY_NAMES, false, '人口',
      `基础信息资源必填，其他不填；可选：${Object.values(BASE_CATEGORY_NAMES).map((n) => n.zh).join('、')}`),
    reference('提供方', 'providerOrganizationId', 'provider', '人力资源和社会保障部信息中心', '填写统一社会信用代码或单位全称',
      ['信息资源提供方', '提供方统一社会信用代码']),
    options('资源格式', 'format', FORMAT_NAMES, true, '数据库'),
    options('更新周期', 'updateCycle', UPDATE_CYCLE_NAMES, true, '每日'),
    options('共享类型', 'sharingType', SHARING_TYPE_NAMES, true, '有条件共享'),
    text('共享条件/依据', 'sharingBasis', false, '仅向社保经办机构共享', '有条件共享、不予共享必填；无条件共享不填', 24),
    options('开放类型', 'openType', OPEN_TYPE_NAMES, true, '不予开放'),
    text('开放条件/依据', 'openBasis', false, '含个人信息', '有条件开放、不予开放必填；无条件开放不填', 24),
    yesNo('是否涉密', 'involvesSecrets', '涉密资源只能为不予开放'),
    { header: '信息项', aliases: ['数据项'], path: 'dataItems', type: { kind: 'custom', parse: parseDataItems }, required: true,
      example: '姓名:字符型；公民身份号码:字符型；参保日期:日期型',
      note: `格式“名称:类型[:说明]”，多项用分号或换行分隔；类型：${Object.values(DATA_ITEM_TYPE_NAMES).map((n) => n.zh).join('、')}`, width: 40 },
  ],
  blank: () => ({ classification: {} }),
  problems: (input) => resourceProblems(input),
  normalize: (input) => ({ ...normalizeResource(input), projectId: input.projectId }),
  keyColumn: '信息资源代码',
  key: (input) => `${input.projectId}\n${input.code.trim()}`,
};

export const IMPORT_DEFINITIONS = { systems: SYSTEM_IMPORT, resources: RESOURCE_IMPORT } as const;

/** What the use case knows that a row is checked against: references and stored keys (preloaded). */
export interface ImportLookups {
  /** The id a reference cell names, or why it names none (unknown, ambiguous, out of scope, …). */
  resolve(target: ReferenceTarget, text: string): { id: string } | { problem: ImportProblemCode };
  /** Whether a stored record already has this key. */
  exists(key: string): boolean;
}

/** One data row judged: its problems, and its normalized input when it has none. */
export interface RowOutcome<I> {
  row: number;
  input: I | null;
  problems: ImportProblem[];
}

/**
 * Judges the rows of one file in order: each cell by its column's type, references through
 * `lookups`, the whole row by the catalog's validator, then its key against the earlier rows and
 * the stored records. One problem per cell at most (a cell that cannot be read is not also
 * "required"); every bad cell of every row is reported.
 */
export class RowValidator<I> {
  readonly #def: ImportDefinition<I>;
  readonly #positions: Map<string, number>;
  readonly #lookups: ImportLookups;
  readonly #firstRowOfKey = new Map<string, number>();

  constructor(def: ImportDefinition<I>, positions: Map<string, number>, lookups: ImportLookups) {
    this.#def = def;
    this.#positions = positions;
    this.#lookups = lookups;
  }

  /** `cells`: the row's raw values by 0-based column index (as a spreadsheet library gives them). */
  check(row: number, cells: readonly unknown[]): RowOutcome<I> {
    const def = this.#def;
    const input = def.blank();
    const problems: ImportProblem[] = [];
    const texts = new Map<ImportColumn, string>();
    const where = (c: ImportColumn) => ({ row, column: columnLetter(this.#positions.get(c.header) ?? 0) || null, header: c.header });
    const add = (c: ImportColumn, code: string, params?: Record<string, string | number>) => {
      if (problems.some((p) => p.header === c.header)) return;
      problems.push({ ...where(c), value: texts.get(c) || null, code, ...(params ? { params } : {}) });
    };
    for (const c of def.columns) {
      const position = this.#positions.get(c.header);
      if (position === undefined) continue;
      const flat = flattenCell(cells[position - 1]);
      if (flat !== null && typeof flat === 'object' && !(flat instanceof Date)) {
        texts.set(c, flat.error);
        add(c, 'import.cell_error');
        continue;
      }
      texts.set(c, cellText(flat as CellValue));
      const parsed = parseCell(c.type, flat as CellValue);
      if ('problem' in parsed) {
        add(c, parsed.problem);
        continue;
      }
      let value = parsed.value;
      if (value === null) {
        if (c.required) add(c, 'required');
        setPath(input, c.path, null);
        continue;
      }
      if (c.type.kind === 'reference') {
        const found = this.#lookups.resolve(c.type.target, value as string);
        if ('problem' in found) {
          add(c, found.problem);
          continue;
        }
        value = found.id;
      }
      setPath(input, c.path, value);
    }
    // Fields whose cell already failed stay unset: the validator would only repeat it.
    for (const p of def.problems(input as I)) {
      const c = columnOfPath(def.columns, p.path);
      if (c) add(c, p.code);
    }
    if (problems.length > 0) return { row, input: null, problems };
    const value = def.normalize(input as I);
    const key = def.key(value);
    const keyColumn = def.columns.find((c) => c.header === def.keyColumn)!;
    const first = this.#firstRowOfKey.get(key);
    if (first !== undefined) add(keyColumn, 'import.duplicate_in_file', { row: first });
    else if (this.#lookups.exists(key)) add(keyColumn, 'import.duplicate_existing');
    // A row is the first of its key even when it is stored already: later copies say "in file".
    if (first === undefined) this.#firstRowOfKey.set(key, row);
    return problems.length > 0 ? { row, input: null, problems } : { row, input: value, problems };
  }
}

/** True when a row holds nothing (a blank line between data is skipped, not reported). */
export function isBlankRow(cells: readonly unknown[]): boolean {
  return cells.every((raw) => {
    const flat = flattenCell(raw);
    return flat === null || (typeof flat === 'string' && flat.trim() === '');
  });
}
