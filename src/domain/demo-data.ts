// Demo seed data: the organizations and users that `govproj seed` creates so every role
// of SPEC §1 can be tried out. Pure typed constants, no I/O.
//
// Organization names are those of real organs (and of 中国国际工程咨询有限公司); the
// supervisor and evaluator firms are fictitious. Every 统一社会信用代码 here is FICTITIOUS:
// built as 登记管理部门 + 机构类别 + 行政区划 + an invented 主体标识码 (with a correct GB 11714
// check) + the GB 32100 check character computed by uniformSocialCreditCodeCheckChar. They
// are not the organizations' real codes. Internal 司局 (内设机构) are not legal persons and
// have no code in reality; they get one here only because every organization record
// carries one (SPEC §1). Phone numbers are fictitious (1390000xxxx).

import type { RoleCode } from './authz.ts';
import type { OrgKind } from './organization.ts';

// Defined by the authorization and organization modules; re-exported for the seed's users.
export type { OrgKind, RoleCode };

/** One organization of the demo tree. */
export interface DemoOrg {
  /** Stable seed key, referenced by parentKey and DemoUser.orgKeys. */
  key: string;
  /** Key of the parent organization; null for a root (central organ, province, firm). */
  parentKey: string | null;
  /** 机构名称 (Chinese, official form). */
  name: string;
  /** English name, for the bilingual UI. */
  nameEn: string;
  kind: OrgKind;
  /** 统一社会信用代码 (GB 32100-2015); fictitious but with a valid check character. */
  creditCode: string;
  /** 行政区划代码 (GB/T 2260) of a local organization or firm; null for central organs. */
  divisionCode: string | null;
}

/** One demo login account. */
export interface DemoUser {
  /** Login name, unique. */
  username: string;
  /** 姓名 shown in the UI. */
  displayName: string;
  /** Organizations the user belongs to (first = primary). */
  orgKeys: string[];
  roles: RoleCode[];
  /** Whether the seed enrols a TOTP second factor (decision makers and admins, SPEC §10). */
  totp: boolean;
  /** Fictitious mobile number (stored SM4-encrypted). */
  phone: string;
}

/** The demo organization tree: central organs, three ministries, two provinces, three firms. */
export const DEMO_ORGS: readonly DemoOrg[] = [
  // ——— 中央 ———
  { key: 'go', parentKey: null, name: '国务院办公厅', nameEn: 'General Office of the State Council', kind: 'state_council_office', creditCode: '11100000000010014P', divisionCode: null },
  { key: 'ndrc', parentKey: null, name: '国家发展和改革委员会', nameEn: 'National Development and Reform Commission', kind: 'ndrc', creditCode: '111000000000130202', divisionCode: null },
  { key: 'ndrc_hitech', parentKey: 'ndrc', name: '国家发展和改革委员会创新和高技术发展司', nameEn: 'NDRC Department of Innovation and High-Tech Development', kind: 'bureau', creditCode: '11100000000013194B', divisionCode: null },
  { key: 'ndrc_sic', parentKey: 'ndrc', name: '国家信息中心', nameEn: 'State Information Center', kind: 'bureau', creditCode: '12100000400008626D', divisionCode: null },
  { key: 'mof', parentKey: null, name: '财政部', nameEn: 'Ministry of Finance', kind: 'mof', creditCode: '11100000000012853L', divisionCode: null },
  { key: 'cac', parentKey: null, name: '中央网络安全和信息化委员会办公室', nameEn: 'Office of the Central Cyberspace Affairs Commission', kind: 'cac', creditCode: '11100000000016600P', divisionCode: null },
  { key: 'audit', parentKey: null, name: '审计署', nameEn: 'National Audit Office', kind: 'audit_office', creditCode: '11100000000013717E', divisionCode: null },

  // ——— 国务院部门及其司局、直属单位 ———
  { key: 'mohrss', parentKey: null, name: '人力资源和社会保障部', nameEn: 'Ministry of Human Resources and Social Security', kind: 'ministry', creditCode: '111000000000157470', divisionCode: null },
  { key: 'mohrss_ic', parentKey: 'mohrss', name: '人力资源和社会保障部信息中心', nameEn: 'MOHRSS Information Center', kind: 'construction_unit', creditCode: '12100000400012393N', divisionCode: null },
  { key: 'mohrss_plan', parentKey: 'mohrss', name: '人力资源和社会保障部规划财务司', nameEn: 'MOHRSS Department of Planning and Finance', kind: 'bureau', creditCode: '11100000000015835E', divisionCode: null },
  { key: 'mnr', parentKey: null, name: '自然资源部', nameEn: 'Ministry of Natural Resources', kind: 'ministry', creditCode: '111000000000172674', divisionCode: null },
  { key: 'mnr_ic', parentKey: 'mnr', name: '自然资源部信息中心', nameEn: 'MNR Information Center', kind: 'construction_unit', creditCode: '12100000400014508N', divisionCode: null },
  { key: 'mnr_plan', parentKey: 'mnr', name: '自然资源部国土空间规划局', nameEn: 'MNR Bureau of Territorial Spatial Planning', kind: 'bureau', creditCode: '11100000000017347P', divisionCode: null },
  { key: 'samr', parentKey: null, name: '国家市场监督管理总局', nameEn: 'State Administration for Market Regulation', kind: 'ministry', creditCode: '111000000000181714', divisionCode: null },
  { key: 'samr_ic', parentKey: 'samr', name: '国家市场监督管理总局信息中心', nameEn: 'SAMR Information Center', kind: 'construction_unit', creditCode: '12100000400015228Y', divisionCode: null },
  { key: 'samr_credit', parentKey: 'samr', name: '国家市场监督管理总局信用监督管理司', nameEn: 'SAMR Department of Credit Supervision', kind: 'bureau', creditCode: '11100000000018251P', divisionCode: null },

  // ——— 地方 ———
  { key: 'js', parentKey: null, name: '江苏省人民政府', nameEn: 'People\'s Government of Jiangsu Province', kind: 'province', creditCode: '11320000014001231U', divisionCode: '320000' },
  { key: 'js_data', parentKey: 'js', name: '江苏省数据局', nameEn: 'Jiangsu Provincial Data Administration', kind: 'construction_unit', creditCode: '113200000140098745', divisionCode: '320000' },
  { key: 'js_nj', parentKey: 'js', name: '南京市人民政府', nameEn: 'People\'s Government of Nanjing', kind: 'city', creditCode: '11320100013004561L', divisionCode: '320100' },
  { key: 'js_sz', parentKey: 'js', name: '苏州市人民政府', nameEn: 'People\'s Government of Suzhou', kind: 'city', creditCode: '11320500014007895M', divisionCode: '320500' },
  { key: 'sc', parentKey: null, name: '四川省人民政府', nameEn: 'People\'s Government of Sichuan Province', kind: 'province', creditCode: '115100000080123487', divisionCode: '510000' },
  { key: 'sc_data', parentKey: 'sc', name: '四川省大数据中心', nameEn: 'Sichuan Big Data Center', kind: 'construction_unit', creditCode: '12510000450703213K', divisionCode: '510000' },
  { key: 'sc_cd', parentKey: 'sc', name: '成都市人民政府', nameEn: 'People\'s Government of Chengdu', kind: 'city', creditCode: '11510100009015671N', divisionCode: '510100' },
  { key: 'sc_cd_wh', parentKey: 'sc_cd', name: '成都市武侯区人民政府', nameEn: 'People\'s Government of Wuhou District, Chengdu', kind: 'county', creditCode: '11510107009023452T', divisionCode: '510107' },

  // ——— 咨询评估、监理、第三方评价 ———
  { key: 'ciecc', parentKey: null, name: '中国国际工程咨询有限公司', nameEn: 'China International Engineering Consulting Corporation', kind: 'assessor', creditCode: '911100001000123405', divisionCode: '110108' },
  { key: 'supervisor', parentKey: null, name: '北京国信安达信息工程监理有限公司', nameEn: 'Beijing Guoxin Anda IT Project Supervision Co., Ltd.', kind: 'supervisor', creditCode: '91110102MA01C7K266', divisionCode: '110102' },
  { key: 'evaluator', parentKey: null, name: '北京中评智信绩效评价咨询有限公司', nameEn: 'Beijing Zhongping Zhixin Performance Evaluation Consulting Co., Ltd.', kind: 'evaluator', creditCode: '91110105MA04D9R67Q', divisionCode: '110105' },
];

/** One account per role (SPEC §1, §10); decision makers and the three admins have TOTP. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'admin', displayName: '张伟', orgKeys: ['ndrc_sic'], roles: ['admin'], totp: true, phone: '13900000001' },
  { username: 'secadmin', displayName: '李娜', orgKeys: ['ndrc_sic'], roles: ['security_admin'], totp: true, phone: '13900000002' },
  { username: 'auditadmin', displayName: '王芳', orgKeys: ['ndrc_sic'], roles: ['audit_admin'], totp: true, phone: '13900000003' },
  { username: 'preparer', displayName: '刘洋', orgKeys: ['mohrss_ic'], roles: ['preparer'], totp: false, phone: '13900000004' },
  { username: 'unitlead', displayName: '陈静', orgKeys: ['mohrss_ic'], roles: ['unit_lead'], totp: true, phone: '13900000005' },
  { username: 'reviewer', displayName: '杨磊', orgKeys: ['ndrc_hitech'], roles: ['reviewer'], totp: false, phone: '13900000006' },
  { username: 'approver', displayName: '赵敏', orgKeys: ['ndrc_hitech'], roles: ['approver'], totp: true, phone: '13900000007' },
  { username: 'ndrc', displayName: '黄勇', orgKeys: ['ndrc'], roles: ['ndrc'], totp: true, phone: '13900000008' },
  { username: 'mof', displayName: '周杰', orgKeys: ['mof'], roles: ['mof'], totp: true, phone: '13900000009' },
  { username: 'cac', displayName: '吴霞', orgKeys: ['cac'], roles: ['cac'], totp: true, phone: '13900000010' },
  { username: 'gooffice', displayName: '徐明', orgKeys: ['go'], roles: ['go'], totp: true, phone: '13900000011' },
  { username: 'auditor', displayName: '孙丽', orgKeys: ['audit'], roles: ['auditor'], totp: false, phone: '13900000012' },
  { username: 'assessor', displayName: '马超', orgKeys: ['ciecc'], roles: ['assessor'], totp: false, phone: '13900000013' },
  { username: 'supervisor', displayName: '朱婷', orgKeys: ['supervisor'], roles: ['supervisor'], totp: false, phone: '13900000014' },
  { username: 'evaluator', displayName: '胡军', orgKeys: ['evaluator'], roles: ['evaluator'], totp: false, phone: '13900000015' },
];
