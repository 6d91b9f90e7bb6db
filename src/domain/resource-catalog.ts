// 信息资源目录 (第十一条: 信息资源目录是审批政务信息化项目的前提条件; SPEC §5, §14): the
// resources a project registers with the fields of the national catalog guideline
// (政务信息资源目录编制指南), the rules a single resource must satisfy, and the summary the
// lifecycle's approve guard reads.
//
// 信息资源代码, as the platform writes it:
//
//     类-项-目[-细目…]/顺序码          e.g. 1-05-001/000001, 3-03-027-01-0001/000123
//
// - 分类码 = 类 (1 digit) - 项 (2 digits) - 目 (3 digits), then 0 to 4 细目 groups of 1 to 8
//   digits each. The guideline gives 类, 项 and 目 fixed lengths and 细目 a variable one; with a
//   variable part the levels can only be told apart by a separator, so the platform writes
//   them with '-' (this written form is the platform's, not quoted from the guideline).
// - 类 is the guideline's 资源属性分类 in the order it lists them: 1 基础信息资源, 2 主题信息资源,
//   3 部门信息资源; for 基础 the 项 is the base resource, again in the guideline's order:
//   01 人口, 02 法人, 03 自然资源和空间地理, 04 社会信用, 05 电子证照. So the code's 分类码 must
//   agree with the resource's classification. The numbering is our reading of the guideline's
//   order and is recorded as an interpretation in docs/compliance.md.
// - 顺序码: 1 to 12 digits after '/'. The guideline leaves its length open; the platform bounds it.
// Only this form is accepted (no spaces, no other separators), so one resource has one spelling.
import type { CatalogSummary } from './lifecycle.ts';

/** 资源属性分类: 基础 / 主题 / 部门 信息资源. */
export const CLASSIFICATION_KINDS = ['base', 'theme', 'department'] as const;
export type ClassificationKind = (typeof CLASSIFICATION_KINDS)[number];

/** 基础信息资源: 人口 / 法人 / 自然资源和空间地理 / 社会信用 / 电子证照. */
export const BASE_CATEGORIES = ['population', 'legal_entity', 'natural_resources_geo', 'social_credit', 'e_certificate'] as const;
export type BaseCategory = (typeof BASE_CATEGORIES)[number];

/** 信息资源格式. */
export const RESOURCE_FORMATS = ['database', 'file', 'api', 'spreadsheet', 'image', 'other'] as const;
export type ResourceFormat = (typeof RESOURCE_FORMATS)[number];

/** 更新周期. */
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];

/** 共享类型: 无条件共享 / 有条件共享 / 不予共享. */
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];

/** 开放类型: 无条件开放 / 有条件开放 / 不予开放. */
export const OPEN_TYPES = ['unconditional', 'conditional', 'none'] as const;
export type OpenType = (typeof OPEN_TYPES)[number];

/**
 * 信息项数据类型, after the guideline's list (字符型, 整型, 数值型, 货币型, 日期型, 日期时间型,
 * 逻辑型, 备注型, 通用型/二进制).
 */
export const DATA_ITEM_TYPES = ['string', 'integer', 'decimal', 'currency', 'date', 'datetime', 'boolean', 'text', 'binary'] as const;
export type DataItemType = (typeof DATA_ITEM_TYPES)[number];

/** Display names, Chinese first (also the export's cell text). */
export const CLASSIFICATION_NAMES: Readonly<Record<ClassificationKind, { zh: string; en: string }>> = {
  base: { zh: '基础信息资源', en: 'Base resource' },
  theme: { zh: '主题信息资源', en: 'Theme resource' },
  department: { zh: '部门信息资源', en: 'Department resource' },
};
export const BASE_CATEGORY_NAMES: Readonly<Record<BaseCategory, { zh: string; en: string }>> = {
  population: { zh: '人口', en: 'Population' },
  legal_entity: { zh: '法人', en: 'Legal entities' },
  natural_resources_geo: { zh: '自然资源和空间地理', en: 'Natural resources and geospatial' },
  social_credit: { zh: '社会信用', en: 'Social credit' },
  e_certificate: { zh: '电子证照', en: 'Electronic certificates' },
};
export const FORMAT_NAMES: Readonly<Record<ResourceFormat, { zh: string; en: string }>> = {
  database: { zh: '数据库', en: 'Database' },
  file: { zh: '文件', en: 'File' },
  api: { zh: '接口', en: 'API' },
  spreadsheet: { zh: '电子表格', en: 'Spreadsheet' },
  image: { zh: '图像', en: 'Image' },
  other: { zh: '其他', en: 'Other' },
};
export const UPDATE_CYCLE_NAMES: Readonly<Record<UpdateCycle, { zh: string; en: string }>> = {
  realtime: { zh: '实时', en: 'Real time' },
  daily: { zh: '每日', en: 'Daily' },
  weekly: { zh: '每周', en: 'Weekly' },
  monthly: { zh: '每月', en: 'Monthly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  yearly: { zh: '每年', en: 'Yearly' },
  irregular: { zh: '不定期', en: 'Irregular' },
};
export const SHARING_TYPE_NAMES: Readonly<Record<SharingType, { zh: string; en: string }>> = {
  unconditional: { zh: '无条件共享', en: 'Shared unconditionally' },
  conditional: { zh: '有条件共享', en: 'Shared on conditions' },
  none: { zh: '不予共享', en: 'Not shared' },
};
export const OPEN_TYPE_NAMES: Readonly<Record<OpenType, { zh: string; en: string }>> = {
  unconditional: { zh: '无条件开放', en: 'Open unconditionally' },
  conditional: { zh: '有条件开放', en: 'Open on conditions' },
  none: { zh: '不予开放', en: 'Not open' },
};
export const DATA_ITEM_TYPE_NAMES: Readonly<Record<DataItemType, { zh: string; en: string }>> = {
  string: { zh: '字符型', en: 'String' },
  integer: { zh: '整型', en: 'Integer' },
  decimal: { zh: '数值型', en: 'Decimal' },
  currency: { zh: '货币型', en: 'Currency' },
  date: { zh: '日期型', en: 'Date' },
  datetime: { zh: '日期时间型', en: 'Date and time' },
  boolean: { zh: '逻辑型', en: 'Boolean' },
  text: { zh: '备注型', en: 'Long text' },
  binary: { zh: '二进制', en: 'Binary' },
};

/** 资源分类: the kind, and for a 基础信息资源 which base resource it is (null otherwise). */
export interface ResourceClassification {
  kind: ClassificationKind;
  baseCategory: BaseCategory | null;
}

/** 信息项 (data item). */
export interface DataItem {
  name: string;
  type: DataItemType;
  description?: string | null | undefined;
}

/** One 信息资源 as entered; blank bases are null. */
export interface InformationResourceInput {
  name: string;
  /** 信息资源代码 in the written form above. */
  code: string;
  classification: ResourceClassification;
  /** 信息资源提供方. */
  providerOrganizationId: string;
  format: ResourceFormat;
  updateCycle: UpdateCycle;
  sharingType: SharingType;
  /** 共享条件/依据: required (non-blank) for 有条件共享 and 不予共享, absent for 无条件共享. */
  sharingBasis: string | null;
  openType: OpenType;
  /** 开放条件/依据: required (non-blank) for 有条件开放 and 不予开放, absent for 无条件开放. */
  openBasis: string | null;
  /** 涉密: a classified resource is never open. */
  involvesSecrets: boolean;
  dataItems: DataItem[];
}

/** The parts of a 信息资源代码. */
export interface ResourceCodeParts {
  /** 类, one digit 1–3. */
  category: string;
  /** 项, two digits. */
  item: string;
  /** 目, three digits. */
  entry: string;
  /** 细目, 0–4 groups of 1–8 digits. */
  subentries: string[];
  /** 顺序码, 1–12 digits. */
  sequence: string;
}

export const RESOURCE_CODE_MAX_SUBENTRIES = 4;
/** The written form; the same expression is the database's check constraint. */
export const RESOURCE_CODE_PATTERN = /^([1-3])-([0-9]{2})-([0-9]{3})((?:-[0-9]{1,8}){0,4})\/([0-9]{1,12})$/;

/** The 类 digit of each classification kind. */
export const CATEGORY_DIGITS: Readonly<Record<ClassificationKind, string>> = { base: '1', theme: '2', department: '3' };
/** The 项 of each base resource under 类 1. */
export const BASE_CATEGORY_ITEMS: Readonly<Record<BaseCategory, string>> = {
  population: '01', legal_entity: '02', natural_resources_geo: '03', social_credit: '04', e_certificate: '05',
};

/** The parts of a code in the written form, or null when it is not in that form. */
export function parseResourceCode(code: string): ResourceCodeParts | null {
  const m = RESOURCE_CODE_PATTERN.exec(code);
  if (!m) return null;
  return { category: m[1]!, item: m[2]!, entry: m[3]!, subentries: m[4] ? m[4].slice(1).split('-') : [], sequence: m[5]! };
}

/** Writes parts in the platform's form; throws RangeError for parts that do not fit it. */
export function formatResourceCode(parts: ResourceCodeParts): string {
  const code = [parts.category, parts.item, parts.entry, ...parts.subentries].join('-') + '/' + parts.sequence;
  if (!RESOURCE_CODE_PATTERN.test(code)) throw new RangeError(`not a resource code: ${code}`);
  return code;
}

/** 分类码: the code without its 顺序码 (e.g. `1-05-001`). */
export function classificationCode(parts: ResourceCodeParts): string {
  return [parts.category, parts.item, parts.entry, ...parts.subentries].join('-');
}

/** Stable codes of the problems a resource can have (each has a message in src/errors.ts). */
export const RESOURCE_PROBLEM_CODES = [
  'required', 'too_big', 'invalid_value', 'invalid_type',
  'resource.code_format', 'resource.code_classification', 'resource.base_category',
  'resource.sharing_basis_required', 'resource.open_basis_required', 'resource.basis_not_applicable',
  'resource.secret_open', 'resource.data_items_required', 'resource.duplicate_data_item',
] as const;
export type ResourceProblemCode = (typeof RESOURCE_PROBLEM_CODES)[number];

/** A problem with one field; `path` is the field's dotted path in the input (`dataItems.0.name`). */
export interface ResourceProblem {
  path: string;
  code: ResourceProblemCode;
}

export const LIMITS = { name: 200, basis: 2000, dataItems: 500, dataItemName: 100, dataItemDescription: 500 } as const;

const isBlank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

function text(problems: ResourceProblem[], path: string, value: unknown, max: number, required: boolean) {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    if (required) problems.push({ path, code: 'required' });
  } else if (typeof value !== 'string') {
    problems.push({ path, code: 'invalid_type' });
  } else if (value.trim().length > max) {
    problems.push({ path, code: 'too_big' });
  }
}

/**
 * Every problem of one resource, in field order; empty when it may be registered. Tolerates
 * values of the wrong type (an import row, a body that failed its schema), so it can be run on
 * anything and still name every field at fault.
 */
export function resourceProblems(resource: InformationResourceInput): ResourceProblem[] {
  const r = resource as unknown as Record<string, unknown>;
  const problems: ResourceProblem[] = [];
  text(problems, 'name', r.name, LIMITS.name, true);

  // Classification, then the code, whose 分类码 must agree with it.
  const classification = (typeof r.classification === 'object' && r.classification !== null ? r.classification : {}) as Record<string, unknown>;
  const kind = oneOf(CLASSIFICATION_KINDS, classification.kind) ? classification.kind : null;
  if (kind === null) problems.push({ path: 'classification.kind', code: classification.kind == null ? 'required' : 'invalid_value' });
  const baseCategory = classification.baseCategory ?? null;
  if (baseCategory !== null && !oneOf(BASE_CATEGORIES, baseCategory)) {
    problems.push({ path: 'classification.baseCategory', code: 'invalid_value' });
  } else if (kind !== null && (kind === 'base') !== (baseCategory !== null)) {
    // A 基础信息资源 names its base resource; 主题 and 部门 resources have none.
    problems.push({ path: 'classification.baseCategory', code: 'resource.base_category' });
  }
  if (isBlank(r.code)) {
    problems.push({ path: 'code', code: 'required' });
  } else {
    const parts = parseResourceCode(r.code as string);
    if (!parts) {
      problems.push({ path: 'code', code: 'resource.code_format' });
    } else if (kind !== null && (parts.category !== CATEGORY_DIGITS[kind]
      || (kind === 'base' && oneOf(BASE_CATEGORIES, baseCategory) && parts.item !== BASE_CATEGORY_ITEMS[baseCategory]))) {
      problems.push({ path: 'code', code: 'resource.code_classification' });
    }
  }

  if (isBlank(r.providerOrganizationId)) problems.push({ path: 'providerOrganizationId', code: 'required' });
  if (!oneOf(RESOURCE_FORMATS, r.format)) problems.push({ path: 'format', code: r.format == null ? 'required' : 'invalid_value' });
  if (!oneOf(UPDATE_CYCLES, r.updateCycle)) problems.push({ path: 'updateCycle', code: r.updateCycle == null ? 'required' : 'invalid_value' });

  // 共享类型: 有条件共享 and 不予共享 each need their basis (SPEC §5); 无条件共享 has none.
  basisProblems(problems, 'sharing', SHARING_TYPES, r.sharingType, r.sharingBasis, 'resource.sharing_basis_required');
  // 开放类型: 有条件开放 states its conditions and basis (I-15), 不予开放 its basis.
  basisProblems(problems, 'open', OPEN_TYPES, r.openType, r.openBasis, 'resource.open_basis_required');
  if (typeof r.involvesSecrets !== 'boolean') {
    problems.push({ path: 'involvesSecrets', code: r.involvesSecrets == null ? 'required' : 'invalid_type' });
  } else if (r.involvesSecrets && oneOf(OPEN_TYPES, r.openType) && r.openType !== 'none') {
    // A 涉密 resource is never opened to the public, on conditions or otherwise.
    problems.push({ path: 'openType', code: 'resource.secret_open' });
  }

  // 信息项: at least one, each named and typed, no name twice.
  if (!Array.isArray(r.dataItems) || r.dataItems.length === 0) {
    problems.push({ path: 'dataItems', code: 'resource.data_items_required' });
  } else if (r.dataItems.length > LIMITS.dataItems) {
    problems.push({ path: 'dataItems', code: 'too_big' });
  } else {
    const seen = new Set<string>();
    for (const [i, raw] of (r.dataItems as unknown[]).entries()) {
      const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      text(problems, `dataItems.${i}.name`, item.name, LIMITS.dataItemName, true);
      if (typeof item.name === 'string' && item.name.trim() !== '') {
        const key = item.name.trim();
        if (seen.has(key)) problems.push({ path: `dataItems.${i}.name`, code: 'resource.duplicate_data_item' });
        seen.add(key);
      }
      if (!oneOf(DATA_ITEM_TYPES, item.type)) problems.push({ path: `dataItems.${i}.type`, code: item.type == null ? 'required' : 'invalid_value' });
      text(problems, `dataItems.${i}.description`, item.description, LIMITS.dataItemDescription, false);
    }
  }
  return problems;
}

function basisProblems(
  problems: ResourceProblem[], prefix: 'sharing' | 'open', types: readonly string[], type: unknown, basis: unknown,
  missing: 'resource.sharing_basis_required' | 'resource.open_basis_required',
) {
  const typePath = `${prefix}Type`;
  const basisPath = `${prefix}Basis`;
  if (!oneOf(types, type)) {
    problems.push({ path: typePath, code: type == null ? 'required' : 'invalid_value' });
    text(problems, basisPath, basis, LIMITS.basis, false);
    return;
  }
  if (basis !== null && basis !== undefined && typeof basis !== 'string') {
    problems.push({ path: basisPath, code: 'invalid_type' });
  } else if (type === 'unconditional') {
    if (!isBlank(basis)) problems.push({ path: basisPath, code: 'resource.basis_not_applicable' });
  } else if (isBlank(basis)) {
    problems.push({ path: basisPath, code: missing });
  } else if ((basis as string).trim().length > LIMITS.basis) {
    problems.push({ path: basisPath, code: 'too_big' });
  }
}

/** Trims text and turns blank optional text into null: the form a valid resource is stored in. */
export function normalizeResource(input: InformationResourceInput): InformationResourceInput {
  const optional = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? null : v.trim());
  return {
    ...input,
    name: input.name.trim(),
    code: input.code.trim(),
    classification: { kind: input.classification.kind, baseCategory: input.classification.baseCategory ?? null },
    sharingBasis: optional(input.sharingBasis),
    openBasis: optional(input.openBasis),
    dataItems: input.dataItems.map((d) => ({ name: d.name.trim(), type: d.type, description: optional(d.description) })),
  };
}

/**
 * The catalog as the lifecycle's approve guard sees it (第十一条, I-14). A resource counts as
 * "without a sharing type" when its type is missing or not one of the three, or when it is
 * 有条件共享 / 不予共享 without the basis those require (SPEC §5: "the last two with a basis").
 */
export function catalogSummary(resources: ReadonlyArray<{ sharingType: unknown; sharingBasis?: unknown }>): CatalogSummary {
  const withoutType = resources.filter((r) => !oneOf(SHARING_TYPES, r.sharingType) || (r.sharingType !== 'unconditional' && isBlank(r.sharingBasis)));
  return { resourceCount: resources.length, resourcesWithoutSharingType: withoutType.length };
}
