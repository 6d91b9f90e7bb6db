// Import sheets (SPEC §5; 第十一条, 第十二条): header matching, cell parsing by type, and every
// problem kind of a row, with the catalogs' own validators doing the field rules.
import { describe, expect, it } from 'vitest';
import {
  cellText, columnLetter, columnOfPath, flattenCell, matchHeaders, normalizeLabel, parseCell, type ImportProblemCode,
} from './cells.ts';
import { RESOURCE_IMPORT, RowValidator, SYSTEM_IMPORT, isBlankRow, parseDataItems, type ImportLookups } from './kinds.ts';
import { NETWORK_TYPE_NAMES } from '../system-catalog.ts';

describe('cells', () => {
  it('column letters', () => {
    expect([1, 5, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'E', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('labels fold full-width forms, spaces of every kind and a required marker', () => {
    expect(normalizeLabel('* 系 统\u3000名称 ')).toBe('系统名称');
    expect(normalizeLabel('建设目的／主要功能')).toBe(normalizeLabel('建设目的/主要功能'));
    expect(normalizeLabel('ＡＢＣ')).toBe('abc');
  });

  it('flattens rich text, formulas, hyperlinks and error values', () => {
    expect(flattenCell({ richText: [{ text: '社会' }, { text: '保障' }] })).toBe('社会保障');
    expect(flattenCell({ formula: 'A1*2', result: 6 })).toBe(6);
    expect(flattenCell({ formula: 'A1' })).toBeNull();
    expect(flattenCell({ text: '链接', hyperlink: 'https://example.cn' })).toBe('链接');
    expect(flattenCell({ error: '#N/A' })).toEqual({ error: '#N/A' });
    expect(flattenCell(undefined)).toBeNull();
  });

  it('text, integer, date, boolean and enum cells; blank is null', () => {
    expect(parseCell({ kind: 'text' }, '  名称 ')).toEqual({ value: '名称' });
    expect(parseCell({ kind: 'text' }, 12345)).toEqual({ value: '12345' });
    expect(parseCell({ kind: 'text' }, '   ')).toEqual({ value: null });
    expect(parseCell({ kind: 'integer' }, 3)).toEqual({ value: 3 });
    expect(parseCell({ kind: 'integer' }, '1,200')).toEqual({ value: 1200 });
    expect(parseCell({ kind: 'integer' }, '第三级')).toEqual({ value: 3 });
    expect(parseCell({ kind: 'integer' }, '３级')).toEqual({ value: 3 });
    expect(parseCell({ kind: 'integer' }, 2.5)).toEqual({ problem: 'import.not_integer' });
    expect(parseCell({ kind: 'integer' }, '很多')).toEqual({ problem: 'import.not_integer' });
    expect(parseCell({ kind: 'date' }, new Date(Date.UTC(2026, 0, 31)))).toEqual({ value: '2026-01-31' });
    expect(parseCell({ kind: 'date' }, 46053)).toEqual({ value: '2026-01-31' });
    expect(parseCell({ kind: 'date' }, '2026年1月31日')).toEqual({ value: '2026-01-31' });
    expect(parseCell({ kind: 'date' }, '2026/02/30')).toEqual({ problem: 'import.not_date' });
    expect(parseCell({ kind: 'date' }, '下周')).toEqual({ problem: 'import.not_date' });
    expect(parseCell({ kind: 'boolean' }, '是')).toEqual({ value: true });
    expect(parseCell({ kind: 'boolean' }, ' 否 ')).toEqual({ value: false });
    expect(parseCell({ kind: 'boolean' }, true)).toEqual({ value: true });
    expect(parseCell({ kind: 'boolean' }, '也许')).toEqual({ problem: 'import.not_boolean' });
    const network = { kind: 'enum', options: NETWORK_TYPE_NAMES } as const;
    expect(parseCell(network, '电子政务外网')).toEqual({ value: 'extranet' });
    expect(parseCell(network, ' 孤 网')).toEqual({ value: 'isolated' });
    expect(parseCell(network, 'intranet')).toEqual({ value: 'intranet' });
    expect(parseCell(network, '政务云')).toEqual({ problem: 'import.invalid_option' });
    expect(cellText(true)).toBe('是');
  });

  it('headers: missing and repeated columns are problems of row 1; unknown columns are left alone', () => {
    const headers = SYSTEM_IMPORT.columns.map((c) => c.header).filter((h) => h !== '所在网络');
    const m = matchHeaders(SYSTEM_IMPORT.columns, ['备注', ...headers, '系统名称']);
    expect(m.positions.get('系统名称')).toBe(2);
    expect(m.problems).toEqual([
      { row: 1, column: columnLetter(headers.length + 2), header: '系统名称', value: '系统名称', code: 'import.duplicate_column' },
      { row: 1, column: null, header: '所在网络', value: null, code: 'import.missing_column' },
    ]);
    // Aliases
    expect(matchHeaders(RESOURCE_IMPORT.columns, ['数据项']).positions.get('信息项')).toBe(1);
  });

  it('a problem path finds its column, the longest prefix first', () => {
    expect(columnOfPath(RESOURCE_IMPORT.columns, 'dataItems.3.name')?.header).toBe('信息项');
    expect(columnOfPath(RESOURCE_IMPORT.columns, 'classification.baseCategory')?.header).toBe('基础资源类别');
    expect(columnOfPath(SYSTEM_IMPORT.columns, 'projects.0.projectId')).toBeNull();
  });

  it('信息项 in one cell: 名称:类型[:说明], separated by semicolons or line breaks', () => {
    expect(parseDataItems('姓名:字符型；出生日期：日期型：公历\n年龄:integer')).toEqual({ value: [
      { name: '姓名', type: 'string', description: null }, { name: '出生日期', type: 'date', description: '公历' },
      { name: '年龄', type: 'integer', description: null },
    ] });
    expect(parseDataItems('姓名')).toEqual({ problem: 'import.bad_data_items' });
    expect(parseDataItems('姓名:文字')).toEqual({ problem: 'import.bad_data_items' });
  });
});

describe('rows', () => {
  const OWNER = '00000000-0000-0000-0000-0000000000a1';
  const lookups = (stored: string[] = []): ImportLookups => ({
    resolve: (target, text): { id: string } | { problem: ImportProblemCode } => {
      if (text === '本单位') return { id: OWNER };
      if (text === '外单位') return { problem: 'import.out_of_scope' };
      if (target === 'project' && text === 'P1') return { id: 'p1' };
      return { problem: target === 'project' ? 'import.unknown_project' : 'import.unknown_organization' };
    },
    exists: (key) => stored.includes(key),
  });
  const positions = (def: typeof SYSTEM_IMPORT | typeof RESOURCE_IMPORT) => new Map(def.columns.map((c, i) => [c.header, i + 1]));
  const system = (over: Record<number, unknown> = {}) => {
    const r: unknown[] = ['系统甲', '本单位', '目的', '社会保障', '电子政务外网', '否', '等级保护', 3, '11000013001-21009', 100, '运行'];
    for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
    return r;
  };

  it('第十二条: a valid row becomes the normalized system input', () => {
    const v = new RowValidator(SYSTEM_IMPORT, positions(SYSTEM_IMPORT), lookups());
    const out = v.check(2, system({ 0: ' 系统甲 ' }));
    expect(out.problems).toEqual([]);
    expect(out.input).toMatchObject({
      name: '系统甲', ownerOrganizationId: OWNER, networkType: 'extranet', involvesSecrets: false,
      security: { scheme: 'mlps', mlpsLevel: 3, filingNumber: '11000013001-21009' }, userCount: 100, status: 'operating', projects: [], resources: [],
    });
  });

  it('one problem per cell, every cell: a type error is not also "required", and the validator\'s rules land on their columns', () => {
    const v = new RowValidator(SYSTEM_IMPORT, positions(SYSTEM_IMPORT), lookups());
    const out = v.check(7, system({ 1: '外单位', 5: '是', 7: null, 8: null, 9: { error: '#DIV/0!' } }));
    expect(out.input).toBeNull();
    expect(out.problems.map((p) => [p.row, p.column, p.header, p.code])).toEqual([
      [7, 'B', '所属单位', 'import.out_of_scope'],
      [7, 'J', '用户规模', 'import.cell_error'],
      // 涉密 with 等级保护 (systemProblems), and 等级保护 without its level
      [7, 'G', '安全保护方式', 'system.protection_scheme'],
      [7, 'H', '等保级别', 'system.mlps_level'],
      // and a 涉密 system on the 电子政务外网
      [7, 'E', '所在网络', 'system.secret_network'],
    ]);
    expect(out.problems[1]!.value).toBe('#DIV/0!');
  });

  it('duplicates: the second row with a key repeats the first; a stored key is "already exists"', () => {
    const v = new RowValidator(SYSTEM_IMPORT, positions(SYSTEM_IMPORT), lookups([`${OWNER}\n系统乙`]));
    expect(v.check(2, system()).problems).toEqual([]);
    expect(v.check(3, system()).problems).toEqual([
      { row: 3, column: 'A', header: '系统名称', value: '系统甲', code: 'import.duplicate_in_file', params: { row: 2 } },
    ]);
    expect(v.check(4, system({ 0: '系统乙' })).problems.map((p) => p.code)).toEqual(['import.duplicate_existing']);
    expect(v.check(5, system({ 0: '系统乙' })).problems.map((p) => p.code)).toEqual(['import.duplicate_in_file']);
  });

  it('第十一条: a resource row names its project; resourceProblems judges the rest', () => {
    const v = new RowValidator(RESOURCE_IMPORT, positions(RESOURCE_IMPORT), lookups());
    const row = ['P1', '1-01-001/000001', '人口信息', '基础信息资源', '人口', '本单位', '数据库', '每日', '无条件共享', null, '不予开放', '个人信息', '否', '姓名:字符型'];
    const ok = v.check(2, row);
    expect(ok.problems).toEqual([]);
    expect(ok.input).toMatchObject({ projectId: 'p1', code: '1-01-001/000001', classification: { kind: 'base', baseCategory: 'population' } });
    const bad = v.check(3, ['P2', '1-01-001/000002', '', '基础信息资源', null, '本单位', '数据库', '每日', '有条件共享', null, '不予开放', '个人信息', '否', '姓名:字符型；姓名:字符型']);
    expect(bad.problems.map((p) => [p.header, p.code])).toEqual([
      ['项目代码', 'import.unknown_project'],
      ['信息资源名称', 'required'],
      ['基础资源类别', 'resource.base_category'],
      ['共享条件/依据', 'resource.sharing_basis_required'],
      ['信息项', 'resource.duplicate_data_item'],
    ]);
  });

  it('blank rows', () => {
    expect(isBlankRow([null, '  ', undefined])).toBe(true);
    expect(isBlankRow([null, 0])).toBe(false);
  });
});
