import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIELD_MESSAGES } from '../errors.ts';
import { DEMO_CATALOG } from './demo-catalog.ts';
import { DEMO_ORGS } from './demo-data.ts';
import {
  BASE_CATEGORIES, BASE_CATEGORY_ITEMS, CATEGORY_DIGITS, CLASSIFICATION_KINDS, DATA_ITEM_TYPES, LIMITS, OPEN_TYPES, RESOURCE_CODE_PATTERN,
  RESOURCE_PROBLEM_CODES, SHARING_TYPES, catalogSummary, classificationCode, formatResourceCode, normalizeResource, parseResourceCode,
  resourceProblems, type InformationResourceInput,
} from './resource-catalog.ts';

const PROVIDER = '7f1c6a2e-3b7d-4c1e-9a55-0d2b8e9f1a10';

function resource(overrides: Partial<InformationResourceInput> = {}): InformationResourceInput {
  return {
    name: '电子证照：社会保障卡',
    code: '1-05-001/000001',
    classification: { kind: 'base', baseCategory: 'e_certificate' },
    providerOrganizationId: PROVIDER,
    format: 'api',
    updateCycle: 'realtime',
    sharingType: 'conditional',
    sharingBasis: '《社会保险法》第九十二条；仅限政务部门办理社保业务时核验',
    openType: 'none',
    openBasis: '涉及个人信息，依据《个人信息保护法》不予开放',
    involvesSecrets: false,
    dataItems: [{ name: '社会保障号码', type: 'string' }, { name: '发卡日期', type: 'date', description: '首次发卡日期' }],
    ...overrides,
  };
}

const problems = (overrides: Partial<InformationResourceInput> | Record<string, unknown>) =>
  resourceProblems(resource(overrides as Partial<InformationResourceInput>));

describe('信息资源代码 (SPEC §14: 分类码 类 1 + 项 2 + 目 3 + 细目 + 顺序码)', () => {
  it('parses the written form 类-项-目[-细目…]/顺序码', () => {
    expect(parseResourceCode('1-05-001/000001')).toEqual({ category: '1', item: '05', entry: '001', subentries: [], sequence: '000001' });
    expect(parseResourceCode('3-03-027-01-0001/000123')).toEqual({
      category: '3', item: '03', entry: '027', subentries: ['01', '0001'], sequence: '000123',
    });
  });

  it('boundaries: 0 and 4 细目 groups, 1 and 8 digits each; 顺序码 of 1 and 12 digits', () => {
    for (const ok of ['2-01-001/1', '2-01-001/123456789012', '2-01-001-1/1', '2-01-001-12345678/1', '2-01-001-1-2-3-4/1', '2-99-999-00000000-0-0-0/000000000000']) {
      expect(parseResourceCode(ok), ok).not.toBeNull();
    }
    for (const bad of [
      '2-01-001-1-2-3-4-5/1', // five 细目 groups
      '2-01-001-123456789/1', // a 细目 group of nine digits
      '2-01-001/1234567890123', // 顺序码 of 13 digits
      '2-01-001/', // no 顺序码
      '2-01-001', // no '/' at all
      '2-01-001-/1', // an empty 细目 group
    ]) expect(parseResourceCode(bad), bad).toBeNull();
  });

  it('类 is one digit 1–3, 项 exactly two digits, 目 exactly three', () => {
    for (const bad of ['0-01-001/1', '4-01-001/1', '9-01-001/1', '12-01-001/1', '1-1-001/1', '1-001-001/1', '1-01-01/1', '1-01-0001/1']) {
      expect(parseResourceCode(bad), bad).toBeNull();
    }
  });

  it('only the written form: no spaces, other separators, full-width digits or letters', () => {
    for (const bad of [
      ' 1-05-001/1', '1-05-001/1 ', '1 05 001/1', '105001/1', '1.05.001/1', '1-05-001\\1', '1–05–001/1', '１-05-001/1', '1-05-00A/1',
      '1-05-001/1\n', '', '/', '1-05-001//1',
    ]) expect(parseResourceCode(bad), JSON.stringify(bad)).toBeNull();
  });

  it('formatResourceCode and parseResourceCode are inverse; classificationCode drops the 顺序码', () => {
    fc.assert(fc.property(
      fc.constantFrom('1', '2', '3'), fc.stringMatching(/^[0-9]{2}$/), fc.stringMatching(/^[0-9]{3}$/),
      fc.array(fc.stringMatching(/^[0-9]{1,8}$/), { maxLength: 4 }), fc.stringMatching(/^[0-9]{1,12}$/),
      (category, item, entry, subentries, sequence) => {
        const parts = { category, item, entry, subentries, sequence };
        const code = formatResourceCode(parts);
        expect(parseResourceCode(code)).toEqual(parts);
        expect(classificationCode(parts)).toBe(code.slice(0, code.indexOf('/')));
      },
    ));
    expect(() => formatResourceCode({ category: '4', item: '01', entry: '001', subentries: [], sequence: '1' })).toThrow(RangeError);
    expect(() => formatResourceCode({ category: '1', item: '01', entry: '001', subentries: ['1', '2', '3', '4', '5'], sequence: '1' })).toThrow(RangeError);
  });

  it('the pattern is anchored and fits the 64-character column', () => {
    expect(RESOURCE_CODE_PATTERN.test('x1-05-001/1')).toBe(false);
    expect('3-99-999-12345678-12345678-12345678-12345678/123456789012'.length).toBeLessThanOrEqual(64);
    expect(parseResourceCode('3-99-999-12345678-12345678-12345678-12345678/123456789012')).not.toBeNull();
  });
});

describe('resourceProblems (第十一条, SPEC §5)', () => {
  it('a complete resource has no problems', () => {
    expect(resourceProblems(resource())).toEqual([]);
    expect(problems({ sharingType: 'unconditional', sharingBasis: null, openType: 'unconditional', openBasis: null })).toEqual([]);
  });

  it('第十一条: 有条件共享 without a basis is refused', () => {
    expect(problems({ sharingType: 'conditional', sharingBasis: null })).toEqual([{ path: 'sharingBasis', code: 'resource.sharing_basis_required' }]);
  });

  it('第十一条: 不予共享 without a basis is refused', () => {
    expect(problems({ sharingType: 'none', sharingBasis: null })).toEqual([{ path: 'sharingBasis', code: 'resource.sharing_basis_required' }]);
    expect(problems({ sharingType: 'none', sharingBasis: '依据《中华人民共和国保守国家秘密法》' })).toEqual([]);
  });

  it('第十一条: a whitespace-only basis is no basis (spaces, full-width space, tabs, newlines)', () => {
    for (const blank of ['', ' ', '\u3000', '\t\n ', '\u00a0']) {
      expect(problems({ sharingType: 'conditional', sharingBasis: blank }), JSON.stringify(blank))
        .toEqual([{ path: 'sharingBasis', code: 'resource.sharing_basis_required' }]);
      expect(problems({ openType: 'none', openBasis: blank }), JSON.stringify(blank))
        .toEqual([{ path: 'openBasis', code: 'resource.open_basis_required' }]);
    }
    // One visible character is a basis.
    expect(problems({ sharingType: 'conditional', sharingBasis: ' 见 ' })).toEqual([]);
  });

  it('无条件共享 / 无条件开放 carry no basis; a blank one is accepted and dropped', () => {
    expect(problems({ sharingType: 'unconditional', sharingBasis: '多余的依据' })).toEqual([{ path: 'sharingBasis', code: 'resource.basis_not_applicable' }]);
    expect(problems({ openType: 'unconditional', openBasis: '多余的依据' })).toEqual([{ path: 'openBasis', code: 'resource.basis_not_applicable' }]);
    expect(problems({ sharingType: 'unconditional', sharingBasis: '  ' })).toEqual([]);
    const normalized = normalizeResource(resource({ sharingType: 'unconditional', sharingBasis: '  ', openType: 'unconditional', openBasis: '' }));
    expect([normalized.sharingBasis, normalized.openBasis]).toEqual([null, null]);
  });

  it('有条件开放 and 不予开放 need their basis (I-15)', () => {
    expect(problems({ openType: 'conditional', openBasis: null })).toEqual([{ path: 'openBasis', code: 'resource.open_basis_required' }]);
    expect(problems({ openType: 'none', openBasis: null })).toEqual([{ path: 'openBasis', code: 'resource.open_basis_required' }]);
    expect(problems({ openType: 'conditional', openBasis: '经申请并签订数据使用协议后开放' })).toEqual([]);
  });

  it('第十一条: a 涉密 resource may not be open, unconditionally or on conditions', () => {
    expect(problems({ involvesSecrets: true, openType: 'unconditional', openBasis: null })).toEqual([{ path: 'openType', code: 'resource.secret_open' }]);
    expect(problems({ involvesSecrets: true, openType: 'conditional', openBasis: '申请后开放' })).toEqual([{ path: 'openType', code: 'resource.secret_open' }]);
    expect(problems({ involvesSecrets: true, openType: 'none', openBasis: '涉及国家秘密' })).toEqual([]);
    // 涉密 says nothing about sharing between government departments.
    expect(problems({ involvesSecrets: true, sharingType: 'conditional' })).toEqual([]);
  });

  it('第十一条: a resource needs at least one data item', () => {
    expect(problems({ dataItems: [] })).toEqual([{ path: 'dataItems', code: 'resource.data_items_required' }]);
    expect(problems({ dataItems: undefined as never })).toEqual([{ path: 'dataItems', code: 'resource.data_items_required' }]);
  });

  it('data items: each named (not blank), typed, no name twice, within the limits', () => {
    expect(problems({ dataItems: [{ name: '  ', type: 'string' }, { name: '姓名', type: 'float' as never }] })).toEqual([
      { path: 'dataItems.0.name', code: 'required' },
      { path: 'dataItems.1.type', code: 'invalid_value' },
    ]);
    expect(problems({ dataItems: [{ name: '姓名', type: 'string' }, { name: ' 姓名 ', type: 'text' }] }))
      .toEqual([{ path: 'dataItems.1.name', code: 'resource.duplicate_data_item' }]);
    expect(problems({ dataItems: [{ name: 'x'.repeat(LIMITS.dataItemName), type: 'string', description: 'y'.repeat(LIMITS.dataItemDescription) }] })).toEqual([]);
    expect(problems({ dataItems: [{ name: 'x'.repeat(LIMITS.dataItemName + 1), type: 'string', description: 'y'.repeat(LIMITS.dataItemDescription + 1) }] })).toEqual([
      { path: 'dataItems.0.name', code: 'too_big' },
      { path: 'dataItems.0.description', code: 'too_big' },
    ]);
    const many = Array.from({ length: LIMITS.dataItems }, (_, i) => ({ name: `项${i}`, type: 'string' as const }));
    expect(problems({ dataItems: many })).toEqual([]);
    expect(problems({ dataItems: [...many, { name: '多一项', type: 'string' }] })).toEqual([{ path: 'dataItems', code: 'too_big' }]);
    for (const type of DATA_ITEM_TYPES) expect(problems({ dataItems: [{ name: '字段', type }] })).toEqual([]);
  });

  it('the code must be in the written form', () => {
    expect(problems({ code: '1-05-001' })).toEqual([{ path: 'code', code: 'resource.code_format' }]);
    expect(problems({ code: '  ' })).toEqual([{ path: 'code', code: 'required' }]);
  });

  it('the 分类码 agrees with the classification: 类 1/2/3 for 基础/主题/部门, 项 01–05 for the base resources', () => {
    for (const kind of CLASSIFICATION_KINDS) {
      for (const digit of ['1', '2', '3']) {
        const baseCategory = kind === 'base' ? 'population' : null;
        const item = kind === 'base' ? BASE_CATEGORY_ITEMS.population : '07';
        const found = problems({ classification: { kind, baseCategory }, code: `${digit}-${item}-001/1` });
        expect(found, `${kind} ${digit}`).toEqual(digit === CATEGORY_DIGITS[kind] ? [] : [{ path: 'code', code: 'resource.code_classification' }]);
      }
    }
    for (const baseCategory of BASE_CATEGORIES) {
      for (const other of BASE_CATEGORIES) {
        const found = problems({ classification: { kind: 'base', baseCategory }, code: `1-${BASE_CATEGORY_ITEMS[other]}-001/1` });
        expect(found).toEqual(other === baseCategory ? [] : [{ path: 'code', code: 'resource.code_classification' }]);
      }
    }
    expect(problems({ classification: { kind: 'base', baseCategory: 'population' }, code: '1-06-001/1' }))
      .toEqual([{ path: 'code', code: 'resource.code_classification' }]);
  });

  it('a 基础信息资源 names its base resource; 主题 and 部门 resources name none', () => {
    expect(problems({ classification: { kind: 'base', baseCategory: null } })).toEqual([{ path: 'classification.baseCategory', code: 'resource.base_category' }]);
    expect(problems({ classification: { kind: 'theme', baseCategory: 'population' }, code: '2-03-001/1' }))
      .toEqual([{ path: 'classification.baseCategory', code: 'resource.base_category' }]);
    expect(problems({ classification: { kind: 'department', baseCategory: null }, code: '3-03-027/1' })).toEqual([]);
    expect(problems({ classification: { kind: 'base', baseCategory: 'weather' as never } })).toEqual([{ path: 'classification.baseCategory', code: 'invalid_value' }]);
  });

  it('names every problem at once, in field order', () => {
    const found = resourceProblems({
      name: ' ', code: 'bad', classification: { kind: 'sector' as never, baseCategory: null }, providerOrganizationId: '',
      format: 'pdf' as never, updateCycle: undefined as never, sharingType: 'conditional', sharingBasis: ' ', openType: 'public' as never,
      openBasis: null, involvesSecrets: 'yes' as never, dataItems: [],
    });
    expect(found).toEqual([
      { path: 'name', code: 'required' },
      { path: 'classification.kind', code: 'invalid_value' },
      { path: 'code', code: 'resource.code_format' },
      { path: 'providerOrganizationId', code: 'required' },
      { path: 'format', code: 'invalid_value' },
      { path: 'updateCycle', code: 'required' },
      { path: 'sharingBasis', code: 'resource.sharing_basis_required' },
      { path: 'openType', code: 'invalid_value' },
      { path: 'involvesSecrets', code: 'invalid_type' },
      { path: 'dataItems', code: 'resource.data_items_required' },
    ]);
  });

  it('tolerates values of the wrong type (an import row, a body that failed its schema)', () => {
    const found = resourceProblems({
      name: 12, code: null, classification: 'base', dataItems: [null, { name: 3, type: 'string' }], sharingBasis: 5, sharingType: 'none',
      openType: 'none', openBasis: [], involvesSecrets: false, format: 'api', updateCycle: 'daily', providerOrganizationId: PROVIDER,
    } as never);
    expect(found).toEqual([
      { path: 'name', code: 'invalid_type' },
      { path: 'classification.kind', code: 'required' },
      { path: 'code', code: 'required' },
      { path: 'sharingBasis', code: 'invalid_type' },
      { path: 'openBasis', code: 'invalid_type' },
      { path: 'dataItems.0.name', code: 'required' },
      { path: 'dataItems.0.type', code: 'required' },
      { path: 'dataItems.1.name', code: 'invalid_type' },
    ]);
  });

  it('name and basis limits: 200 and 2000 characters after trimming', () => {
    expect(problems({ name: ` ${'名'.repeat(LIMITS.name)} ` })).toEqual([]);
    expect(problems({ name: '名'.repeat(LIMITS.name + 1) })).toEqual([{ path: 'name', code: 'too_big' }]);
    expect(problems({ sharingBasis: '依'.repeat(LIMITS.basis) })).toEqual([]);
    expect(problems({ sharingBasis: '依'.repeat(LIMITS.basis + 1) })).toEqual([{ path: 'sharingBasis', code: 'too_big' }]);
  });

  it('every problem code has a zh-CN and en-US field message', () => {
    for (const code of RESOURCE_PROBLEM_CODES) {
      const m = (FIELD_MESSAGES as Record<string, { zh: string; en: string }>)[code];
      expect(m, code).toBeDefined();
      expect(m!.zh.length * m!.en.length, code).toBeGreaterThan(0);
    }
  });

  it('property: every combination of sharing type, open type, 涉密 and basis presence gets exactly the expected basis problems', () => {
    fc.assert(fc.property(
      fc.constantFrom(...SHARING_TYPES), fc.constantFrom(...OPEN_TYPES), fc.boolean(), fc.option(fc.constantFrom('依据', '  ')),
      fc.option(fc.constantFrom('依据', '  ')),
      (sharingType, openType, involvesSecrets, sharingBasis, openBasis) => {
        const found = problems({ sharingType, openType, involvesSecrets, sharingBasis, openBasis }).map((p) => `${p.path}:${p.code}`).sort();
        const expected: string[] = [];
        const present = (b: string | null) => b !== null && b.trim() !== '';
        if (sharingType === 'unconditional' && present(sharingBasis)) expected.push('sharingBasis:resource.basis_not_applicable');
        if (sharingType !== 'unconditional' && !present(sharingBasis)) expected.push('sharingBasis:resource.sharing_basis_required');
        if (openType === 'unconditional' && present(openBasis)) expected.push('openBasis:resource.basis_not_applicable');
        if (openType !== 'unconditional' && !present(openBasis)) expected.push('openBasis:resource.open_basis_required');
        if (involvesSecrets && openType !== 'none') expected.push('openType:resource.secret_open');
        expect(found).toEqual(expected.sort());
      },
    ));
  });
});

describe('catalogSummary (第十一条, I-14: what the approve guard reads)', () => {
  it('an empty catalog counts no resources', () => {
    expect(catalogSummary([])).toEqual({ resourceCount: 0, resourcesWithoutSharingType: 0 });
  });

  it('counts resources without a valid sharing type, or 有条件/不予共享 without a basis', () => {
    expect(catalogSummary([
      { sharingType: 'unconditional', sharingBasis: null },
      { sharingType: 'conditional', sharingBasis: '依据' },
      { sharingType: 'none', sharingBasis: '依据' },
      { sharingType: 'conditional', sharingBasis: ' ' },
      { sharingType: 'none' },
      { sharingType: null },
      { sharingType: 'shared' },
    ])).toEqual({ resourceCount: 7, resourcesWithoutSharingType: 4 });
  });

  it('a catalog of valid resources has none without a sharing type', () => {
    const valid = [resource(), resource({ sharingType: 'unconditional', sharingBasis: null })];
    expect(valid.every((r) => resourceProblems(r).length === 0)).toBe(true);
    expect(catalogSummary(valid)).toEqual({ resourceCount: 2, resourcesWithoutSharingType: 0 });
  });
});

describe('the demo catalog (第十一条)', () => {
  it('every demo resource is valid, with a known provider and a distinct code, one per classification kind', () => {
    for (const { providerKey, ...r } of DEMO_CATALOG) {
      expect(resourceProblems({ ...r, providerOrganizationId: PROVIDER }), r.name).toEqual([]);
      expect(DEMO_ORGS.some((o) => o.key === providerKey), providerKey).toBe(true);
    }
    expect(new Set(DEMO_CATALOG.map((r) => r.code)).size).toBe(DEMO_CATALOG.length);
    expect(new Set(DEMO_CATALOG.map((r) => r.classification.kind))).toEqual(new Set(CLASSIFICATION_KINDS));
    expect(catalogSummary(DEMO_CATALOG)).toEqual({ resourceCount: DEMO_CATALOG.length, resourcesWithoutSharingType: 0 });
  });
});
