// 国家政务信息系统总目录 (第十二条: 中央各级政务信息系统应当全面纳入管理平台进行统一管理; 各部门
// 应当及时更新本单位管理平台上的政务信息系统目录; 管理平台汇总并形成国家政务信息系统总目录) and the
// 孤网 exception of 第二十八条 (联网为原则, 孤网为例外). Pure: the fields of a system, the rules one
// system must satisfy, the 孤网 flag, the confirmation staleness rule and the province of a
// 行政区划代码. No I/O.
//
// 等保备案编号 (the number on the 公安机关's 信息系统安全等级保护备案证明): the 公安部 备案表 form
// explains its 备案表编号 as 11 digits in two parts, the first six digits of the receiving 公安机关's
// code (GA 380) and a five-digit number that 公安机关 gives the filing unit; the certificate of each
// filed system is commonly written with a further '-' and five digits (e.g. 11010843001-20001).
// The platform accepts exactly those two written forms, `^\d{11}(-\d{5})?$`, and checks nothing
// inside the digits (no public check algorithm; the inner structure of the suffix is not
// published to us). Interpretation recorded in docs/compliance.md.
import { isDivisionCode } from './identifiers.ts';
import type { OrgKind } from './organization.ts';
import { shanghaiDate } from './plan.ts';
import { addDays } from './worklist.ts';

/** 所在网络: 电子政务外网 / 电子政务内网 / 互联网 / 孤网. */
export const NETWORK_TYPES = ['extranet', 'intranet', 'internet', 'isolated'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

/** 系统状态: 在建 / 运行 / 下线. */
export const SYSTEM_STATUSES = ['under_construction', 'operating', 'retired'] as const;
export type SystemStatus = (typeof SYSTEM_STATUSES)[number];

/** 安全保护方式: 等级保护 (with a level) or 分级保护 (涉密). */
export const PROTECTION_SCHEMES = ['mlps', 'classified'] as const;
export type ProtectionScheme = (typeof PROTECTION_SCHEMES)[number];

/** How a project relates to a system it lists: built it (新建) or upgraded it (升级改造). */
export const PROJECT_RELATIONS = ['new', 'upgrade'] as const;
export type ProjectRelation = (typeof PROJECT_RELATIONS)[number];

/** How a system relates to an information resource: it holds it (存储) or collects it (采集). */
export const RESOURCE_RELATIONS = ['holds', 'collects'] as const;
export type ResourceRelation = (typeof RESOURCE_RELATIONS)[number];

/** Organizations that keep a system list: every kind but the firms (咨询评估, 监理, 第三方评价). */
export const CATALOG_ORG_KINDS: readonly OrgKind[] = [
  'state_council_office', 'ndrc', 'mof', 'cac', 'audit_office', 'ministry', 'bureau', 'province', 'city', 'county', 'construction_unit',
];

export const NETWORK_TYPE_NAMES: Readonly<Record<NetworkType, { zh: string; en: string }>> = {
  extranet: { zh: '电子政务外网', en: 'E-government extranet' },
  intranet: { zh: '电子政务内网', en: 'E-government intranet' },
  internet: { zh: '互联网', en: 'Internet' },
  isolated: { zh: '孤网', en: 'Isolated network' },
};
export const SYSTEM_STATUS_NAMES: Readonly<Record<SystemStatus, { zh: string; en: string }>> = {
  under_construction: { zh: '在建', en: 'Under construction' },
  operating: { zh: '运行', en: 'In operation' },
  retired: { zh: '下线', en: 'Retired' },
};
export const PROJECT_RELATION_NAMES: Readonly<Record<ProjectRelation, { zh: string; en: string }>> = {
  new: { zh: '新建', en: 'Built' },
  upgrade: { zh: '升级改造', en: 'Upgraded' },
};
export const RESOURCE_RELATION_NAMES: Readonly<Record<ResourceRelation, { zh: string; en: string }>> = {
  holds: { zh: '存储', en: 'Holds' },
  collects: { zh: '采集', en: 'Collects' },
};
/** SPEC §14: 等级保护 levels 1–5. */
export const MLPS_LEVEL_NAMES: Readonly<Record<1 | 2 | 3 | 4 | 5, { zh: string; en: string }>> = {
  1: { zh: '第一级（自主保护级）', en: 'Level 1 (self-protection)' },
  2: { zh: '第二级（指导保护级）', en: 'Level 2 (guided protection)' },
  3: { zh: '第三级（监督保护级）', en: 'Level 3 (supervised protection)' },
  4: { zh: '第四级（强制保护级）', en: 'Level 4 (mandatory protection)' },
  5: { zh: '第五级（专控保护级）', en: 'Level 5 (controlled protection)' },
};

/** 等保备案编号 in one of its two written forms (see the head of this file); also the column's check. */
export const MLPS_FILING_NUMBER_PATTERN = /^[0-9]{11}(-[0-9]{5})?$/;
/** The lowest level a 公安机关 files (第一级 is 自主保护: the operator grades it and files nothing). */
export const MLPS_FILED_FROM_LEVEL = 2;

/** 安全保护: the scheme, the 等保 level and its 备案编号. */
export interface SystemSecurity {
  scheme: ProtectionScheme;
  /** 1–5 for 等级保护; null for 分级保护. */
  mlpsLevel: number | null;
  /** 等保备案编号; null when not (yet) filed, and always for 第一级 and 分级保护. */
  filingNumber: string | null;
}

/** One project that built or upgraded the system. */
export interface SystemProjectLink {
  projectId: string;
  relation: ProjectRelation;
}

/** One information resource (of a project's 信息资源目录) the system holds or collects. */
export interface SystemResourceLink {
  resourceId: string;
  relation: ResourceRelation;
}

/** A 政务信息系统 as a department registers it. */
export interface GovernmentSystemInput {
  name: string;
  /** The organization the system belongs to (its list holds it). */
  ownerOrganizationId: string;
  /** 建设目的/主要功能. */
  purpose: string;
  /** 业务领域 (free text, e.g. 社会保障). */
  businessArea: string;
  networkType: NetworkType;
  /** 涉密: protected by 分级保护 and never on a public network. */
  involvesSecrets: boolean;
  security: SystemSecurity;
  /** 用户规模: the number of users (accounts or people served). */
  userCount: number;
  status: SystemStatus;
  projects: SystemProjectLink[];
  resources: SystemResourceLink[];
}

/** Stable codes of the problems a system can have (each has a message in src/errors.ts). */
export const SYSTEM_PROBLEM_CODES = [
  'required', 'too_big', 'too_small', 'invalid_value', 'invalid_type',
  'system.protection_scheme', 'system.mlps_level', 'system.filing_number_format', 'system.filing_number_required',
  'system.filing_number_not_applicable', 'system.secret_network', 'system.duplicate_project', 'system.several_new_projects',
  'system.duplicate_resource',
] as const;
export type SystemProblemCode = (typeof SYSTEM_PROBLEM_CODES)[number];

/** A problem with one field; `path` is the field's dotted path in the input (`projects.0.relation`). */
export interface SystemProblem {
  path: string;
  code: SystemProblemCode;
}

export const SYSTEM_LIMITS = {
  name: 200, purpose: 2000, businessArea: 100, userCount: 2_000_000_000, projects: 200, resources: 2000, filingNumber: 20,
} as const;

const isBlank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
const record = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as Record<string, unknown>;

function text(problems: SystemProblem[], path: string, value: unknown, max: number) {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    problems.push({ path, code: 'required' });
  } else if (typeof value !== 'string') {
    problems.push({ path, code: 'invalid_type' });
  } else if (value.trim().length > max) {
    problems.push({ path, code: 'too_big' });
  }
}

function enumValue(problems: SystemProblem[], path: string, values: readonly string[], value: unknown) {
  if (!oneOf(values, value)) problems.push({ path, code: value == null ? 'required' : 'invalid_value' });
}

/**
 * Every problem of one system, in field order; empty when it may be registered. Tolerates values
 * of the wrong type (an import row, a body that failed its schema), so it names every field at
 * fault at once. References (the owner, projects, resources) are checked by the use case.
 */
export function systemProblems(system: GovernmentSystemInput): SystemProblem[] {
  const s = system as unknown as Record<string, unknown>;
  const problems: SystemProblem[] = [];
  text(problems, 'name', s.name, SYSTEM_LIMITS.name);
  if (isBlank(s.ownerOrganizationId)) problems.push({ path: 'ownerOrganizationId', code: 'required' });
  text(problems, 'purpose', s.purpose, SYSTEM_LIMITS.purpose);
  text(problems, 'businessArea', s.businessArea, SYSTEM_LIMITS.businessArea);
  enumValue(problems, 'networkType', NETWORK_TYPES, s.networkType);
  enumValue(problems, 'status', SYSTEM_STATUSES, s.status);
  if (typeof s.involvesSecrets !== 'boolean') problems.push({ path: 'involvesSecrets', code: s.involvesSecrets == null ? 'required' : 'invalid_type' });

  const security = record(s.security);
  const scheme = oneOf(PROTECTION_SCHEMES, security.scheme) ? security.scheme : null;
  if (scheme === null) {
    problems.push({ path: 'security.scheme', code: security.scheme == null ? 'required' : 'invalid_value' });
  } else if (typeof s.involvesSecrets === 'boolean' && s.involvesSecrets !== (scheme === 'classified')) {
    // 涉密 systems are protected by 分级保护; all others by 等级保护 with a level (SPEC §2, §14).
    problems.push({ path: 'security.scheme', code: 'system.protection_scheme' });
  }
  const level = security.mlpsLevel ?? null;
  const levelValid = level === null || (typeof level === 'number' && Number.isInteger(level) && level >= 1 && level <= 5);
  if (!levelValid) {
    problems.push({ path: 'security.mlpsLevel', code: typeof level === 'number' ? 'invalid_value' : 'invalid_type' });
  } else if (scheme !== null && (scheme === 'mlps') !== (level !== null)) {
    problems.push({ path: 'security.mlpsLevel', code: 'system.mlps_level' });
  }
  const filing = security.filingNumber ?? null;
  if (filing !== null && typeof filing !== 'string') {
    problems.push({ path: 'security.filingNumber', code: 'invalid_type' });
  } else if (!isBlank(filing)) {
    if (!MLPS_FILING_NUMBER_PATTERN.test((filing as string).trim())) {
      problems.push({ path: 'security.filingNumber', code: 'system.filing_number_format' });
    } else if (scheme === 'classified' || (levelValid && typeof level === 'number' && level < MLPS_FILED_FROM_LEVEL)) {
      // 分级保护 is not filed with the 公安机关, and a 第一级 system is filed by nobody.
      problems.push({ path: 'security.filingNumber', code: 'system.filing_number_not_applicable' });
    }
  } else if (scheme === 'mlps' && levelValid && typeof level === 'number' && level >= MLPS_FILED_FROM_LEVEL && s.status === 'operating') {
    // A 第二级 or higher system is filed once graded and before it runs (30 days after it goes
    // live at the latest): one in operation has its 备案编号; one under construction may not yet.
    problems.push({ path: 'security.filingNumber', code: 'system.filing_number_required' });
  }

  // A 涉密 system is never on the Internet or the 电子政务外网 (保守国家秘密法: 涉密信息系统不得
  // 接入互联网及其他公共信息网络); only the 电子政务内网 or an isolated network.
  if (s.involvesSecrets === true && oneOf(NETWORK_TYPES, s.networkType) && s.networkType !== 'intranet' && s.networkType !== 'isolated') {
    problems.push({ path: 'networkType', code: 'system.secret_network' });
  }

  const users = s.userCount;
  if (users === null || users === undefined) problems.push({ path: 'userCount', code: 'required' });
  else if (typeof users !== 'number' || !Number.isInteger(users)) problems.push({ path: 'userCount', code: 'invalid_type' });
  else if (users < 0) problems.push({ path: 'userCount', code: 'too_small' });
  else if (users > SYSTEM_LIMITS.userCount) problems.push({ path: 'userCount', code: 'too_big' });

  // Linked projects: each once, and at most one that built the system (新建).
  if (!Array.isArray(s.projects)) {
    if (s.projects !== undefined) problems.push({ path: 'projects', code: 'invalid_type' });
  } else if (s.projects.length > SYSTEM_LIMITS.projects) {
    problems.push({ path: 'projects', code: 'too_big' });
  } else {
    const seen = new Set<string>();
    let built = 0;
    for (const [i, raw] of (s.projects as unknown[]).entries()) {
      const link = record(raw);
      if (isBlank(link.projectId)) problems.push({ path: `projects.${i}.projectId`, code: 'required' });
      else if (seen.has(link.projectId as string)) problems.push({ path: `projects.${i}.projectId`, code: 'system.duplicate_project' });
      else seen.add(link.projectId as string);
      enumValue(problems, `projects.${i}.relation`, PROJECT_RELATIONS, link.relation);
      if (link.relation === 'new' && ++built === 2) problems.push({ path: `projects.${i}.relation`, code: 'system.several_new_projects' });
    }
  }
  // Linked resources: a resource may be both held and collected, each relation once.
  if (!Array.isArray(s.resources)) {
    if (s.resources !== undefined) problems.push({ path: 'resources', code: 'invalid_type' });
  } else if (s.resources.length > SYSTEM_LIMITS.resources) {
    problems.push({ path: 'resources', code: 'too_big' });
  } else {
    const seen = new Set<string>();
    for (const [i, raw] of (s.resources as unknown[]).entries()) {
      const link = record(raw);
      if (isBlank(link.resourceId)) problems.push({ path: `resources.${i}.resourceId`, code: 'required' });
      enumValue(problems, `resources.${i}.relation`, RESOURCE_RELATIONS, link.relation);
      const key = `${String(link.resourceId)}|${String(link.relation)}`;
      if (!isBlank(link.resourceId) && oneOf(RESOURCE_RELATIONS, link.relation)) {
        if (seen.has(key)) problems.push({ path: `resources.${i}.resourceId`, code: 'system.duplicate_resource' });
        seen.add(key);
      }
    }
  }
  return problems;
}

/** Trims text and turns a blank 备案编号 into null: the form a valid system is stored in. */
export function normalizeSystem(input: GovernmentSystemInput): GovernmentSystemInput {
  const filing = input.security.filingNumber;
  return {
    ...input,
    name: input.name.trim(),
    purpose: input.purpose.trim(),
    businessArea: input.businessArea.trim(),
    security: {
      scheme: input.security.scheme,
      mlpsLevel: input.security.mlpsLevel ?? null,
      filingNumber: filing === null || filing === undefined || filing.trim() === '' ? null : filing.trim(),
    },
    projects: (input.projects ?? []).map((p) => ({ projectId: p.projectId, relation: p.relation })),
    resources: (input.resources ?? []).map((r) => ({ resourceId: r.resourceId, relation: r.relation })),
  };
}

/**
 * 第二十八条 (联网为原则, 孤网为例外): a system on an isolated network without a standing exception
 * decision is flagged wherever it appears.
 */
export function isIsolatedWithoutException(networkType: NetworkType, hasStandingException: boolean): boolean {
  return networkType === 'isolated' && !hasStandingException;
}

/** The standing exception of a system: its latest decision, when that decision granted one. */
export function standingException<T extends { decision: 'grant' | 'revoke' }>(decisionsOldestFirst: readonly T[]): T | null {
  const latest = decisionsOldestFirst.at(-1);
  return latest && latest.decision === 'grant' ? latest : null;
}

/** Where a department's list stands against the confirmation period (第十二条: 及时更新). */
export interface ConfirmationStatus {
  /** Shanghai date by which the list must be confirmed again; null when never confirmed. */
  dueOn: string | null;
  /** Never confirmed, or the last confirmation is older than the period. */
  stale: boolean;
}

/**
 * 第十二条: a department confirms its list at least once per period (rule setting
 * catalog.confirmationDays). Calendar dates in Asia/Shanghai: confirmed on D with a period of N
 * days, the list is current through D + N and stale from the day after.
 */
export function confirmationStatus(lastConfirmedAt: Date | null, now: Date, periodDays: number): ConfirmationStatus {
  if (lastConfirmedAt === null) return { dueOn: null, stale: true };
  const dueOn = addDays(shanghaiDate(lastConfirmedAt), periodDays);
  return { dueOn, stale: shanghaiDate(now) > dueOn };
}

/** GB/T 2260 province-level divisions by their first two digits. */
export const PROVINCE_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  11: { zh: '北京市', en: 'Beijing' }, 12: { zh: '天津市', en: 'Tianjin' }, 13: { zh: '河北省', en: 'Hebei' },
  14: { zh: '山西省', en: 'Shanxi' }, 15: { zh: '内蒙古自治区', en: 'Inner Mongolia' },
  21: { zh: '辽宁省', en: 'Liaoning' }, 22: { zh: '吉林省', en: 'Jilin' }, 23: { zh: '黑龙江省', en: 'Heilongjiang' },
  31: { zh: '上海市', en: 'Shanghai' }, 32: { zh: '江苏省', en: 'Jiangsu' }, 33: { zh: '浙江省', en: 'Zhejiang' },
  34: { zh: '安徽省', en: 'Anhui' }, 35: { zh: '福建省', en: 'Fujian' }, 36: { zh: '江西省', en: 'Jiangxi' },
  37: { zh: '山东省', en: 'Shandong' },
  41: { zh: '河南省', en: 'Henan' }, 42: { zh: '湖北省', en: 'Hubei' }, 43: { zh: '湖南省', en: 'Hunan' },
  44: { zh: '广东省', en: 'Guangdong' }, 45: { zh: '广西壮族自治区', en: 'Guangxi' }, 46: { zh: '海南省', en: 'Hainan' },
  50: { zh: '重庆市', en: 'Chongqing' }, 51: { zh: '四川省', en: 'Sichuan' }, 52: { zh: '贵州省', en: 'Guizhou' },
  53: { zh: '云南省', en: 'Yunnan' }, 54: { zh: '西藏自治区', en: 'Tibet' },
  61: { zh: '陕西省', en: 'Shaanxi' }, 62: { zh: '甘肃省', en: 'Gansu' }, 63: { zh: '青海省', en: 'Qinghai' },
  64: { zh: '宁夏回族自治区', en: 'Ningxia' }, 65: { zh: '新疆维吾尔自治区', en: 'Xinjiang' },
  71: { zh: '台湾省', en: 'Taiwan' }, 81: { zh: '香港特别行政区', en: 'Hong Kong' }, 82: { zh: '澳门特别行政区', en: 'Macao' },
};

/** The bucket of organizations without a 行政区划代码 of their own or an ancestor's: central organs. */
export const CENTRAL_PROVINCE = { code: '00', name: { zh: '中央本级', en: 'Central' } } as const;

/**
 * The province of an organization's effective 行政区划代码 (its own, else its nearest ancestor's):
 * the first two digits (SPEC §14, GB/T 2260). No code, or the national code 100000: 中央本级.
 */
export function provinceOf(divisionCode: string | null): { code: string; name: { zh: string; en: string } } {
  if (divisionCode === null || !isDivisionCode(divisionCode) || divisionCode === '100000') return { code: CENTRAL_PROVINCE.code, name: CENTRAL_PROVINCE.name };
  const code = divisionCode.slice(0, 2);
  return { code, name: PROVINCE_NAMES[code] ?? { zh: code, en: code } };
}
