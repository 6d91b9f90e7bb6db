// 安全与资源记录 (第十四条–第十七条): what a project and the systems it built record about their
// security and resources, and the problems of one record. Pure: no I/O; dates are Asia/Shanghai
// calendar dates 'YYYY-MM-DD', decimals are text (a PUE or a storage size is never a float).
//
//   第十四条 等保/分保备案, 等级测评 or 安全保密测评, 风险评估 (定期开展网络安全检测和风险评估);
//   第十五条 密码应用方案 (同步规划) and 密码应用安全性评估 (定期进行评估);
//   第十六条 安全可靠软硬件产品, 数据中心能源利用效率 (PUE);
//   第十七条 云服务资源 (政务云);
//   第二十八条(三) 重大安全隐患, found and resolved.
//
// I-50: a record is made under a project (written while the project exists, through its
// construction row, in any phase: records continue after completion for the systems in operation)
// and/or directly on a system of the master catalog; the kinds that decide a system's O&M
// eligibility (备案, 测评, 密评, 隐患) always name the system, and only records naming a system count
// for it. Neither the Measures nor the seed give a PUE limit, so PUE is recorded, not judged.
import { isCalendarDate } from './deadlines.ts';

export const SECURITY_RECORD_KINDS = [
  'filing', 'securityTest', 'riskAssessment', 'cryptoPlan', 'cryptoAssessment', 'hazard', 'product', 'energy', 'cloud',
] as const;
export type SecurityRecordKind = (typeof SECURITY_RECORD_KINDS)[number];

export const SECURITY_RECORD_KIND_NAMES: Readonly<Record<SecurityRecordKind, { zh: string; en: string; article: string }>> = {
  filing: { zh: '等保/分保备案', en: 'MLPS / classified filing', article: '第十四条' },
  securityTest: { zh: '等级测评/安全保密测评', en: 'Security test', article: '第十四条' },
  riskAssessment: { zh: '风险评估', en: 'Risk assessment', article: '第十四条' },
  cryptoPlan: { zh: '密码应用方案', en: 'Cryptography application plan', article: '第十五条' },
  cryptoAssessment: { zh: '密码应用安全性评估', en: 'Cryptography assessment', article: '第十五条' },
  hazard: { zh: '重大安全隐患', en: 'Major security hazard', article: '第二十八条' },
  product: { zh: '安全可靠产品', en: 'Secure and reliable product', article: '第十六条' },
  energy: { zh: '数据中心能效', en: 'Data-centre energy efficiency', article: '第十六条' },
  cloud: { zh: '云资源使用', en: 'Cloud resources', article: '第十七条' },
};

/** Kinds that decide a system's O&M eligibility (第二十八条(三)) and so always name the system. */
export const SYSTEM_REQUIRED_KINDS: readonly SecurityRecordKind[] = ['filing', 'securityTest', 'cryptoAssessment', 'hazard'];
/** Kinds with a pass/fail conclusion. */
export const CONCLUDED_KINDS: readonly SecurityRecordKind[] = ['securityTest', 'riskAssessment', 'cryptoAssessment'];

export const PRODUCT_CATEGORIES = ['hardware', 'software', 'crypto'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];
export const PRODUCT_CATEGORY_NAMES: Readonly<Record<ProductCategory, { zh: string; en: string }>> = {
  hardware: { zh: '硬件', en: 'Hardware' }, software: { zh: '软件', en: 'Software' }, crypto: { zh: '密码产品', en: 'Cryptographic product' },
};

/** A record as submitted: the common fields and the kind's own (`details`). */
export interface SecurityRecordInput {
  kind: SecurityRecordKind;
  /** The project the record is made under; null for a record made on a system directly. */
  projectId: string | null;
  /** The system it is about; required for SYSTEM_REQUIRED_KINDS. */
  systemId: string | null;
  /** Filed, tested, assessed, drafted, found, measured, in use since. */
  occurredOn: string;
  /** Pass (true) or fail (false) for CONCLUDED_KINDS; null otherwise. */
  passed: boolean | null;
  /** 备案编号, 报告编号, 证书编号. */
  reference: string | null;
  details: SecurityRecordDetails;
}

/** The kind's own fields; each kind reads the ones it needs (see recordProblems). */
export interface SecurityRecordDetails {
  /** filing: mlps 等级保护 / classified 分级保护. */
  scheme?: 'mlps' | 'classified';
  /** filing: 等保级别 1–5 (mlps only). */
  level?: number | null;
  /** tests and assessments: 测评机构 / 评估机构. */
  agency?: string;
  /** tests, assessments, hazards: findings or the hazard's description. */
  findings?: string;
  /** cryptoAssessment: the score (0–100, decimal text), when the report gives one. */
  score?: string | null;
  /** cryptoPlan: reviewed (评审通过) by experts or the 密码管理部门. */
  reviewed?: boolean;
  /** product */
  product?: string;
  vendor?: string;
  category?: ProductCategory;
  /** energy: the data centre and its PUE (decimal text, e.g. '1.35'). */
  dataCentre?: string;
  pue?: string;
  /** cloud: the 政务云 used, vCPU cores and storage in TB (decimal text). */
  provider?: string;
  vcpu?: number;
  storageTb?: string;
}

export type RecordProblemCode =
  | 'required' | 'invalid_value' | 'too_big' | 'not_applicable'
  | 'security.system_required' | 'security.future_date' | 'security.mlps_level' | 'security.filing_number_format';

export interface RecordProblem {
  path: string;
  code: RecordProblemCode;
}

const TEXT_MAX = { agency: 200, findings: 2000, product: 200, vendor: 200, dataCentre: 200, provider: 200, reference: 100 } as const;
const DECIMAL = /^\d{1,6}(\.\d{1,4})?$/;
const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/** Which detail fields each kind takes (any other is not_applicable). */
const DETAIL_FIELDS: Readonly<Record<SecurityRecordKind, readonly (keyof SecurityRecordDetails)[]>> = {
  filing: ['scheme', 'level'],
  securityTest: ['agency', 'findings'],
  riskAssessment: ['agency', 'findings'],
  cryptoPlan: ['reviewed'],
  cryptoAssessment: ['agency', 'findings', 'score'],
  hazard: ['findings'],
  product: ['product', 'vendor', 'category'],
  energy: ['dataCentre', 'pue'],
  cloud: ['provider', 'vcpu', 'storageTb'],
};

/**
 * Every problem of one record at once, in field order; empty when it may be written. `today` is
 * the Shanghai date: a record reports what happened, so its date is not in the future.
 */
export function recordProblems(input: SecurityRecordInput, today: string): RecordProblem[] {
  const problems: RecordProblem[] = [];
  const push = (path: string, code: RecordProblemCode) => problems.push({ path, code });
  const kind = input.kind;
  if (!(SECURITY_RECORD_KINDS as readonly string[]).includes(kind)) return [{ path: 'kind', code: 'invalid_value' }];
  if (input.projectId === null && input.systemId === null) push('systemId', 'required');
  else if (input.systemId === null && SYSTEM_REQUIRED_KINDS.includes(kind)) push('systemId', 'security.system_required');
  if (!isCalendarDate(input.occurredOn)) push('occurredOn', 'invalid_value');
  else if (input.occurredOn > today) push('occurredOn', 'security.future_date');
  const concluded = CONCLUDED_KINDS.includes(kind);
  if (concluded && input.passed === null) push('passed', 'required');
  if (!concluded && input.passed !== null) push('passed', 'not_applicable');
  if (input.reference !== null && input.reference.trim().length > TEXT_MAX.reference) push('reference', 'too_big');

  const d = input.details;
  const allowed = DETAIL_FIELDS[kind];
  for (const key of Object.keys(d) as (keyof SecurityRecordDetails)[]) {
    if (d[key] !== undefined && !allowed.includes(key)) push(`details.${key}`, 'not_applicable');
  }
  const text = (key: keyof typeof TEXT_MAX & keyof SecurityRecordDetails, required: boolean) => {
    const v = d[key] as string | undefined;
    if (blank(v)) {
      if (required) push(`details.${key}`, 'required');
    } else if (v!.trim().length > TEXT_MAX[key]) push(`details.${key}`, 'too_big');
  };
  const decimal = (key: 'pue' | 'storageTb' | 'score', required: boolean, check: (n: number) => boolean) => {
    const v = d[key];
    if (v === undefined || v === null || v === '') {
      if (required) push(`details.${key}`, 'required');
    } else if (typeof v !== 'string' || !DECIMAL.test(v) || !check(Number(v))) push(`details.${key}`, 'invalid_value');
  };

  switch (kind) {
    case 'filing': {
      // 第十四条: 等级保护 is filed with the 公安机关 from 第二级 (the number's form as in
      // system-catalog.ts); 分级保护 with the 保密行政管理部门, whose numbers have no public form.
      if (d.scheme !== 'mlps' && d.scheme !== 'classified') push('details.scheme', d.scheme === undefined ? 'required' : 'invalid_value');
      if (d.scheme === 'mlps') {
        if (typeof d.level !== 'number' || !Number.isInteger(d.level) || d.level < 2 || d.level > 5) push('details.level', 'security.mlps_level');
        if (blank(input.reference)) push('reference', 'required');
        else if (!/^[0-9]{11}(-[0-9]{5})?$/.test(input.reference!.trim())) push('reference', 'security.filing_number_format');
      } else if (d.scheme === 'classified') {
        if (d.level !== undefined && d.level !== null) push('details.level', 'not_applicable');
        if (blank(input.reference)) push('reference', 'required');
      }
      break;
    }
    case 'securityTest':
    case 'riskAssessment':
      text('agency', true);
      text('findings', false);
      break;
    case 'cryptoAssessment':
      text('agency', true);
      text('findings', false);
      decimal('score', false, (n) => n >= 0 && n <= 100);
      break;
    case 'cryptoPlan':
      if (typeof d.reviewed !== 'boolean') push('details.reviewed', 'required');
      break;
    case 'hazard':
      text('findings', true);
      break;
    case 'product':
      text('product', true);
      text('vendor', true);
      if (!(PRODUCT_CATEGORIES as readonly string[]).includes(d.category as string)) push('details.category', d.category === undefined ? 'required' : 'invalid_value');
      break;
    case 'energy':
      text('dataCentre', true);
      // PUE = total facility energy / IT equipment energy: at least 1 by definition.
      decimal('pue', true, (n) => n >= 1 && n <= 10);
      break;
    case 'cloud':
      text('provider', true);
      if (d.vcpu !== undefined && (typeof d.vcpu !== 'number' || !Number.isInteger(d.vcpu) || d.vcpu < 0 || d.vcpu > 10_000_000)) push('details.vcpu', 'invalid_value');
      decimal('storageTb', false, (n) => n >= 0);
      break;
  }
  return problems;
}

/** The details a valid record is stored with: trimmed text, only the kind's own fields. */
export function normalizeDetails(kind: SecurityRecordKind, d: SecurityRecordDetails): SecurityRecordDetails {
  const out: Record<string, unknown> = {};
  for (const key of DETAIL_FIELDS[kind]) {
    const v = d[key];
    if (v === undefined || v === null || v === '') continue;
    out[key] = typeof v === 'string' ? v.trim() : v;
  }
  return out as SecurityRecordDetails;
}

/** 第二十八条(三): a hazard is resolved on a day not before it was found, and not in the future. */
export function resolutionProblems(foundOn: string, resolvedOn: string, resolution: string, today: string): RecordProblem[] {
  const problems: RecordProblem[] = [];
  if (!isCalendarDate(resolvedOn)) problems.push({ path: 'resolvedOn', code: 'invalid_value' });
  else if (resolvedOn > today) problems.push({ path: 'resolvedOn', code: 'security.future_date' });
  else if (resolvedOn < foundOn) problems.push({ path: 'resolvedOn', code: 'invalid_value' });
  if (blank(resolution)) problems.push({ path: 'resolution', code: 'required' });
  else if (resolution.trim().length > 2000) problems.push({ path: 'resolution', code: 'too_big' });
  return problems;
}
