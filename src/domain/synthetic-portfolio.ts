// A synthetic national portfolio of government informatization projects, for load tests and
// demonstrations at scale (`govproj seed --synthetic N`, `npm run bench -- --postgres`).
// Pure and deterministic: the same seed (and the same inputs) gives the same organizations and
// the same projects, drawn from a seeded PRNG. No I/O, no clock (the caller passes `asOf`).
//
// Everything here is FICTITIOUS, in the manner of src/domain/demo-data.ts: the organizations
// are real kinds of organs with realistic names, but every 统一社会信用代码 is invented (a made-up
// 主体标识码 with a correct GB 11714 check character, and the GB 32100 check character computed
// by uniformSocialCreditCodeCheckChar); the 行政区划代码 are real GB/T 2260 codes of the
// provinces, their capitals and some large cities. Projects, amounts and codes are invented.
import { createHash } from 'node:crypto';
import { isDivisionCode, uniformSocialCreditCodeCheckChar } from './identifiers.ts';
import {
  isLifecycleState, type ApprovalStage, type ApprovalStatus, type FilingStatus, type LifecycleState, type ProjectKind,
  type UrgentDeclaration,
} from './lifecycle.ts';
import { formatWan, type Fen } from './money.ts';
import type { OrgKind } from './organization.ts';
import { issueProjectCode } from './project-code.ts';

// ——— the PRNG ———

/** sfc32 seeded from the SM3 digest of a text seed: fast, 128-bit state, reproducible. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: string) {
    const h = createHash('sm3').update(`govproj-synthetic-v1\n${seed}`).digest();
    this.#a = h.readUInt32BE(0);
    this.#b = h.readUInt32BE(4);
    this.#c = h.readUInt32BE(8);
    this.#d = h.readUInt32BE(12);
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of `items`, with probability proportional to `weight(item)`. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((s, x) => s + weight(x), 0);
    let r = this.next() * total;
    for (const x of items) {
      r -= weight(x);
      if (r < 0) return x;
    }
    return items[items.length - 1]!;
  }

  /** A standard normal variate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// ——— organizations ———

/** One organization of the synthetic tree. */
export interface SyntheticOrg {
  key: string;
  parentKey: string | null;
  name: string;
  nameEn: string;
  kind: OrgKind;
  creditCode: string;
  divisionCode: string | null;
  /** 'central', or the province-level division code (xx0000) the organization belongs to. */
  region: string;
  /** What the organization does in the portfolio. */
  role: 'government' | 'approval' | 'department' | 'unit';
  /** For units: the prefix of their projects' names and the topics they build. */
  projectPrefix?: string;
  topics?: readonly string[];
  /** For units: how many of the region's projects it carries, relatively. */
  weight?: number;
}

interface Province {
  code: string;
  name: string;
  nameEn: string;
  /** 直辖市: departments are 局/委员会 instead of 厅, the "city" is a district. */
  municipality: boolean;
  /** Capital or large cities (or districts of a municipality): [code, name, English]. */
  cities: ReadonlyArray<readonly [string, string, string]>;
  /** Relative share of the provincial projects. */
  weight: number;
}

/** The 31 provincial-level regions of the mainland (GB/T 2260), with capitals and large cities. */
export const PROVINCES: readonly Province[] = [
  { code: '110000', name: '北京市', nameEn: 'Beijing', municipality: true, cities: [['110108', '北京市海淀区', 'Haidian District, Beijing'], ['110105', '北京市朝阳区', 'Chaoyang District, Beijing']], weight: 5 },
  { code: '120000', name: '天津市', nameEn: 'Tianjin', municipality: true, cities: [['120116', '天津市滨海新区', 'Binhai New Area, Tianjin']], weight: 2.2 },
  { code: '130000', name: '河北省', nameEn: 'Hebei', municipality: false, cities: [['130100', '石家庄市', 'Shijiazhuang'], ['130200', '唐山市', 'Tangshan']], weight: 5 },
  { code: '140000', name: '山西省', nameEn: 'Shanxi', municipality: false, cities: [['140100', '太原市', 'Taiyuan']], weight: 2.5 },
  { code: '150000', name: '内蒙古自治区', nameEn: 'Inner Mongolia', municipality: false, cities: [['150100', '呼和浩特市', 'Hohhot']], weight: 2.2 },
  { code: '210000', name: '辽宁省', nameEn: 'Liaoning', municipality: false, cities: [['210100', '沈阳市', 'Shenyang'], ['210200', '大连市', 'Dalian']], weight: 3 },
  { code: '220000', name: '吉林省', nameEn: 'Jilin', municipality: false, cities: [['220100', '长春市', 'Changchun']], weight: 1.8 },
  { code: '230000', name: '黑龙江省', nameEn: 'Heilongjiang', municipality: false, cities: [['230100', '哈尔滨市', 'Harbin']], weight: 2.2 },
  { code: '310000', name: '上海市', nameEn: 'Shanghai', municipality: true, cities: [['310115', '上海市浦东新区', 'Pudong New Area, Shanghai']], weight: 5 },
  { code: '320000', name: '江苏省', nameEn: 'Jiangsu', municipality: false, cities: [['320100', '南京市', 'Nanjing'], ['320500', '苏州市', 'Suzhou']], weight: 9 },
  { code: '330000', name: '浙江省', nameEn: 'Zhejiang', municipality: false, cities: [['330100', '杭州市', 'Hangzhou'], ['330200', '宁波市', 'Ningbo']], weight: 8 },
  { code: '340000', name: '安徽省', nameEn: 'Anhui', municipality: false, cities: [['340100', '合肥市', 'Hefei']], weight: 4.5 },
  { code: '350000', name: '福建省', nameEn: 'Fujian', municipality: false, cities: [['350100', '福州市', 'Fuzhou'], ['350200', '厦门市', 'Xiamen']], weight: 4.5 },
  { code: '360000', name: '江西省', nameEn: 'Jiangxi', municipality: false, cities: [['360100', '南昌市', 'Nanchang']], weight: 3 },
  { code: '370000', name: '山东省', nameEn: 'Shandong', municipality: false, cities: [['370100', '济南市', 'Jinan'], ['370200', '青岛市', 'Qingdao']], weight: 8 },
  { code: '410000', name: '河南省', nameEn: 'Henan', municipality: false, cities: [['410100', '郑州市', 'Zhengzhou']], weight: 7 },
  { code: '420000', name: '湖北省', nameEn: 'Hubei', municipality: false, cities: [['420100', '武汉市', 'Wuhan']], weight: 5.5 },
  { code: '430000', name: '湖南省', nameEn: 'Hunan', municipality: false, cities: [['430100', '长沙市', 'Changsha']], weight: 5 },
  { code: '440000', name: '广东省', nameEn: 'Guangdong', municipality: false, cities: [['440100', '广州市', 'Guangzhou'], ['440300', '深圳市', 'Shenzhen']], weight: 10 },
  { code: '450000', name: '广西壮族自治区', nameEn: 'Guangxi', municipality: false, cities: [['450100', '南宁市', 'Nanning']], weight: 3 },
  { code: '460000', name: '海南省', nameEn: 'Hainan', municipality: false, cities: [['460100', '海口市', 'Haikou']], weight: 1.2 },
  { code: '500000', name: '重庆市', nameEn: 'Chongqing', municipality: true, cities: [['500103', '重庆市渝中区', 'Yuzhong District, Chongqing']], weight: 3 },
  { code: '510000', name: '四川省', nameEn: 'Sichuan', municipality: false, cities: [['510100', '成都市', 'Chengdu']], weight: 6.5 },
  { code: '520000', name: '贵州省', nameEn: 'Guizhou', municipality: false, cities: [['520100', '贵阳市', 'Guiyang']], weight: 2.5 },
  { code: '530000', name: '云南省', nameEn: 'Yunnan', municipality: false, cities: [['530100', '昆明市', 'Kunming']], weight: 3 },
  { code: '540000', name: '西藏自治区', nameEn: 'Tibet', municipality: false, cities: [['540100', '拉萨市', 'Lhasa']], weight: 0.6 },
  { code: '610000', name: '陕西省', nameEn: 'Shaanxi', municipality: false, cities: [['610100', '西安市', "Xi'an"]], weight: 3.5 },
  { code: '620000', name: '甘肃省', nameEn: 'Gansu', municipality: false, cities: [['620100', '兰州市', 'Lanzhou']], weight: 1.6 },
  { code: '630000', name: '青海省', nameEn: 'Qinghai', municipality: false, cities: [['630100', '西宁市', 'Xining']], weight: 0.7 },
  { code: '640000', name: '宁夏回族自治区', nameEn: 'Ningxia', municipality: false, cities: [['640100', '银川市', 'Yinchuan']], weight: 0.8 },
  { code: '650000', name: '新疆维吾尔自治区', nameEn: 'Xinjiang', municipality: false, cities: [['650100', '乌鲁木齐市', 'Urumqi']], weight: 2.2 },
];

const GENERAL_TOPICS = [
  '一体化政务服务平台', '政务数据共享交换平台', '政务云平台', '电子政务外网', '数据资源中心', '公共数据开放平台',
  '“互联网+监管”系统', '12345政务服务便民热线', '电子证照库', '协同办公系统', '视频会议系统', '网络安全态势感知平台',
  '密码应用基础设施', '城市运行管理服务平台', '公共资源交易平台', '数据要素流通服务平台',
] as const;

/** Provincial departments: [key, 省 name, 直辖市 name, English, topics]. */
const DEPARTMENTS: ReadonlyArray<readonly [string, string, string, string, readonly string[]]> = [
  ['police', '公安厅', '公安局', 'Public Security', ['人口基础信息库', '警务云平台', '“雪亮工程”视频共享平台', '移民出入境管理系统']],
  ['edu', '教育厅', '教育委员会', 'Education', ['教育管理公共服务平台', '智慧教育平台', '学籍管理信息系统']],
  ['hrss', '人力资源和社会保障厅', '人力资源和社会保障局', 'Human Resources and Social Security', ['社会保障卡应用平台', '就业公共服务平台', '社会保险经办系统']],
  ['nr', '自然资源厅', '规划和自然资源局', 'Natural Resources', ['国土空间基础信息平台', '不动产登记信息平台', '自然资源“一张图”系统']],
  ['env', '生态环境厅', '生态环境局', 'Ecology and Environment', ['生态环境监测网络', '污染源监控系统', '生态环境大数据平台']],
  ['transport', '交通运输厅', '交通委员会', 'Transport', ['智慧交通综合管理平台', '道路运输监管系统', '交通运输数据资源中心']],
  ['health', '卫生健康委员会', '卫生健康委员会', 'Health Commission', ['全民健康信息平台', '电子健康档案系统', '公共卫生应急指挥系统']],
  ['market', '市场监督管理局', '市场监督管理局', 'Market Regulation', ['市场主体登记注册系统', '食品安全追溯平台', '信用监管平台']],
  ['civil', '民政厅', '民政局', 'Civil Affairs', ['民政综合业务信息平台', '社会救助信息系统', '养老服务信息平台']],
  ['housing', '住房和城乡建设厅', '住房和城乡建设委员会', 'Housing and Urban-Rural Development', ['住房公积金监管服务平台', '工程建设项目审批管理系统', '城市信息模型（CIM）平台']],
  ['water', '水利厅', '水务局', 'Water Resources', ['智慧水利信息系统', '水旱灾害防御指挥系统']],
  ['emergency', '应急管理厅', '应急管理局', 'Emergency Management', ['应急指挥信息系统', '安全生产风险监测预警系统']],
  ['medical', '医疗保障局', '医疗保障局', 'Healthcare Security', ['智慧医保信息平台', '医保基金智能监管系统']],
  ['finance', '财政厅', '财政局', 'Finance', ['财政预算管理一体化系统', '政府采购管理系统']],
];

/** Central ministries and administrations beyond the demo's three, each with an information centre. */
const MINISTRIES: ReadonlyArray<readonly [string, string, string, readonly string[]]> = [
  ['mps', '公安部', 'Ministry of Public Security', ['全国人口基础信息库', '公安大数据平台', '出入境证件管理系统']],
  ['moe', '教育部', 'Ministry of Education', ['国家智慧教育公共服务平台', '全国学生资助管理系统']],
  ['mca', '民政部', 'Ministry of Civil Affairs', ['全国民政信息平台', '全国婚姻登记信息系统']],
  ['moj', '司法部', 'Ministry of Justice', ['全国公共法律服务平台', '司法行政指挥平台']],
  ['mee', '生态环境部', 'Ministry of Ecology and Environment', ['国家生态环境监测网络', '全国排污许可证管理信息平台']],
  ['mohurd', '住房和城乡建设部', 'Ministry of Housing and Urban-Rural Development', ['全国住房公积金监管服务平台', '全国工程建设项目审批管理系统']],
  ['mot', '交通运输部', 'Ministry of Transport', ['综合交通运输大数据中心', '全国道路运输电子证照系统']],
  ['mwr', '水利部', 'Ministry of Water Resources', ['国家水资源监控能力建设', '全国水利一张图']],
  ['moa', '农业农村部', 'Ministry of Agriculture and Rural Affairs', ['农业农村大数据平台', '全国农产品质量安全追溯平台']],
  ['mofcom', '商务部', 'Ministry of Commerce', ['全国商务信用信息平台', '外商投资信息报告系统']],
  ['nhc', '国家卫生健康委员会', 'National Health Commission', ['全民健康保障信息化工程', '国家传染病监测预警系统']],
  ['mem', '应急管理部', 'Ministry of Emergency Management', ['应急管理综合应用平台', '国家自然灾害监测预警系统']],
  ['gacc', '海关总署', 'General Administration of Customs', ['金关工程', '国际贸易“单一窗口”']],
  ['sta', '国家税务总局', 'State Taxation Administration', ['金税工程', '税收大数据平台']],
  ['nbs', '国家统计局', 'National Bureau of Statistics', ['统计联网直报平台', '统计云']],
  ['nhsa', '国家医疗保障局', 'National Healthcare Security Administration', ['全国统一的医疗保障信息平台', '医保电子凭证系统']],
  ['nfga', '国家林业和草原局', 'National Forestry and Grassland Administration', ['林草生态网络感知系统', '全国森林资源管理系统']],
  ['cnipa', '国家知识产权局', 'China National Intellectual Property Administration', ['知识产权保护信息平台', '专利审查信息系统']],
  ['nda', '国家数据局', 'National Data Administration', ['国家数据资源目录系统', '全国一体化数据市场平台']],
];

/** Demo units that the synthetic portfolio also gives projects to (src/domain/demo-data.ts), by name. */
export const DEMO_UNITS: ReadonlyArray<{ name: string; prefix: string; topics: readonly string[] }> = [
  { name: '人力资源和社会保障部信息中心', prefix: '人力资源和社会保障部', topics: ['全国社会保险公共服务平台', '金保工程', '全国就业信息监测平台'] },
  { name: '自然资源部信息中心', prefix: '自然资源部', topics: ['国土空间基础信息平台', '全国不动产登记信息管理基础平台'] },
  { name: '国家市场监督管理总局信息中心', prefix: '国家市场监督管理总局', topics: ['国家企业信用信息公示系统', '全国12315平台'] },
  { name: '四川省大数据中心', prefix: '四川省', topics: GENERAL_TOPICS },
];

/** The approval department of central projects: the demo's NDRC 创新和高技术发展司, by name. */
export const CENTRAL_APPROVAL_DEPARTMENT = '国家发展和改革委员会创新和高技术发展司';

/** GB 11714 check character of an 8-character 组织机构代码 body (weights 3 7 9 10 5 8 4 2, mod 11). */
export function organizationCodeCheckChar(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new RangeError(`组织机构代码本体应为8位数字或大写字母: ${body}`);
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * weights[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 11 ? '0' : check === 10 ? 'X' : String(check);
}

/**
 * A fictitious 统一社会信用代码 of a 机构编制-registered organ (11: 机关, 12: 事业单位), registered
 * in `division`, with the invented body 7nnnnnnn (no demo or benchmark code starts so).
 */
export function syntheticCreditCode(category: '11' | '12', division: string, serial: number): string {
  if (!isDivisionCode(division)) throw new RangeError(`not a division code: ${division}`);
  const body = `7${String(serial).padStart(7, '0')}`;
  const first17 = `${category}${division}${body}${organizationCodeCheckChar(body)}`;
  return first17 + uniformSocialCreditCodeCheckChar(first17);
}

/**
 * The synthetic organization tree, parents before children: for each of the 31 provincial-level
 * regions its government, its 发展和改革委员会 (the approval department of its projects), its
 * 数据局, eight departments with their information centres, and the governments and 数据局 of
 * its large cities; and 19 central ministries with their information centres. Names that exist
 * in the demo (江苏省人民政府, 南京市人民政府, …) are the same organizations, so the caller reuses them.
 */
export function syntheticOrganizations(): SyntheticOrg[] {
  const orgs: SyntheticOrg[] = [];
  let serial = 0;
  const add = (o: Omit<SyntheticOrg, 'creditCode'>, category: '11' | '12') => {
    orgs.push({ ...o, creditCode: syntheticCreditCode(category, o.divisionCode ?? '100000', ++serial) });
  };
  for (const [pi, p] of PROVINCES.entries()) {
    const root = `p${p.code}`;
    add({ key: root, parentKey: null, name: `${p.name}人民政府`, nameEn: `People's Government of ${p.nameEn}`, kind: 'province', divisionCode: p.code, region: p.code, role: 'government' }, '11');
    add({ key: `${root}.ndrc`, parentKey: root, name: `${p.name}发展和改革委员会`, nameEn: `${p.nameEn} Development and Reform Commission`, kind: 'bureau', divisionCode: p.code, region: p.code, role: 'approval' }, '11');
    add({
      key: `${root}.data`, parentKey: root, name: `${p.name}数据局`, nameEn: `${p.nameEn} Data Administration`, kind: 'construction_unit',
      divisionCode: p.code, region: p.code, role: 'unit', projectPrefix: p.name, topics: GENERAL_TOPICS, weight: 4,
    }, '11');
    // Eight of the fourteen departments, a different selection in each region.
    for (let k = 0; k < 8; k++) {
      const [dk, provincial, municipal, en, topics] = DEPARTMENTS[(pi * 5 + k) % DEPARTMENTS.length]!;
      const deptName = `${p.name}${p.municipality ? municipal : provincial}`;
      add({ key: `${root}.${dk}`, parentKey: root, name: deptName, nameEn: `${p.nameEn} ${en}`, kind: 'bureau', divisionCode: p.code, region: p.code, role: 'department' }, '11');
      add({
        key: `${root}.${dk}.ic`, parentKey: `${root}.${dk}`, name: `${deptName}信息中心`, nameEn: `${p.nameEn} ${en} Information Center`, kind: 'construction_unit',
        divisionCode: p.code, region: p.code, role: 'unit', projectPrefix: deptName, topics, weight: 1,
      }, '12');
    }
    for (const [code, name, en] of p.cities) {
      const key = `c${code}`;
      const district = p.municipality;
      add({ key, parentKey: root, name: `${name}人民政府`, nameEn: `People's Government of ${en}`, kind: district ? 'county' : 'city', divisionCode: code, region: p.code, role: 'government' }, '11');
      add({
        key: `${key}.data`, parentKey: key, name: district ? `${name}政务服务和数据管理局` : `${name}数据局`, nameEn: `${en} Data Administration`, kind: 'construction_unit',
        divisionCode: code, region: p.code, role: 'unit', projectPrefix: name, topics: GENERAL_TOPICS, weight: 2,
      }, '11');
    }
  }
  for (const [key, name, en, topics] of MINISTRIES) {
    add({ key: `m.${key}`, parentKey: null, name, nameEn: en, kind: 'ministry', divisionCode: null, region: 'central', role: 'government' }, '11');
    add({
      key: `m.${key}.ic`, parentKey: `m.${key}`, name: `${name}信息中心`, nameEn: `${en} Information Center`, kind: 'construction_unit',
      divisionCode: null, region: 'central', role: 'unit', projectPrefix: name, topics, weight: 1,
    }, '12');
  }
  return orgs;
}

// ——— projects ———

/** A construction unit as the generator sees it (resolved to its database id by the caller). */
export interface PortfolioUnit {
  id: string;
  divisionCode: string | null;
  /** 'central' or the province-level division code. */
  region: string;
  projectPrefix: string;
  topics: readonly string[];
  weight: number;
}

export interface PortfolioInput {
  units: readonly PortfolioUnit[];
  /** The approval department of each region ('central' → NDRC's 高技术司). */
  approvalDepartments: ReadonlyMap<string, string>;
  /** Current tasks of the approved national plan (第六条, I-7); [] leaves every project out of the plan. */
  nationalPlanTaskIds: readonly string[];
  /** The account recorded as the projects' creator. */
  createdBy: string;
  /** No project is created after this instant. */
  asOf: Date;
}

/** One generated project: the columns of `projects` (as projects.ts writes them) and its participants. */
export interface SyntheticProject {
  code: string;
  name: string;
  construction_unit_id: string;
  approval_department_id: string;
  track: 'approval' | 'filing';
  kind: ProjectKind;
  plan_task_id: string | null;
  involves_secrets: boolean;
  cross_department: boolean;
  lead_organization_id: string | null;
  construction_start: string;
  construction_end: string;
  total_investment: string;
  o_and_m_funds: string;
  funding_channel: string;
  performance_indicators: string;
  systems: string;
  protection_scheme: 'mlps' | 'classified';
  mlps_level: number | null;
  crypto_plan: string;
  crypto_assessment: string;
  new_civil_construction: boolean;
  high_energy_consumption: boolean;
  urgent: string | null;
  stage: string;
  status: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  participants: string[];
}

/** Share of the projects that are central (the rest are spread over the regions by weight). */
const CENTRAL_SHARE = 0.2;
export const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026] as const;
const YEAR_WEIGHTS: Readonly<Record<number, number>> = { 2019: 8, 2020: 10, 2021: 12, 2022: 13, 2023: 14, 2024: 15, 2025: 15, 2026: 13 };
/** Share of the approval-track projects of a construction year whose lifecycle has ended (批复 or 不予批复). */
const FINISHED_SHARE: Readonly<Record<number, number>> = { 2019: 0.93, 2020: 0.88, 2021: 0.8, 2022: 0.7, 2023: 0.56, 2024: 0.4, 2025: 0.22, 2026: 0.08 };
/** Status of a stage still in progress (assessing only where 咨询评估 applies, see below). */
const OPEN_STATUSES: ReadonlyArray<readonly [ApprovalStatus, number]> = [
  ['draft', 24], ['returned', 8], ['awaiting_signature', 6], ['submitted', 10], ['assessing', 8], ['under_review', 22],
];
const KINDS: ReadonlyArray<readonly [ProjectKind, number]> = [['new', 55], ['rebuild', 15], ['expansion', 15], ['purchasedService', 15]];

/** Smallest and largest total investment, in 0.01 万元. */
export const MIN_INVESTMENT_CENTS = 50_00;
export const MAX_INVESTMENT_CENTS = 200_000_00;
/** 第三十四条 default of lifecycle-actions.ts: approval projects from 3000 万元 are assessed. */
const ASSESSMENT_THRESHOLD_CENTS = 3000_00;
const FEN_PER_CENT_OF_WAN = 10_000n;

const INDICATORS: ReadonlyArray<{ indicator: string; category: 'output' | 'effect' | 'satisfaction' | 'cost'; unit: string; baseline: [number, number]; step: number; direction: 'higher' | 'lower'; max?: number }> = [
  { indicator: '政务服务事项网上可办率', category: 'effect', unit: '%', baseline: [55, 85], step: 5, direction: 'higher', max: 100 },
  { indicator: '系统可用性', category: 'output', unit: '%', baseline: [98, 99], step: 0.3, direction: 'higher', max: 99.99 },
  { indicator: '平均业务办理时长', category: 'effect', unit: '工作日', baseline: [5, 20], step: -2, direction: 'lower' },
  { indicator: '用户满意度', category: 'satisfaction', unit: '%', baseline: [80, 90], step: 2, direction: 'higher', max: 100 },
  { indicator: '数据共享调用量', category: 'output', unit: '万次/年', baseline: [50, 500], step: 100, direction: 'higher' },
  { indicator: '接入部门数', category: 'output', unit: '个', baseline: [10, 40], step: 5, direction: 'higher' },
  { indicator: '单笔业务办理成本降低', category: 'cost', unit: '%', baseline: [0, 5], step: 5, direction: 'higher', max: 60 },
];

const URGENT_JUSTIFICATIONS = [
  '落实党中央、国务院关于重大突发事件应急处置的明确要求，情况紧急，项目已完成需求分析和技术方案论证，前期工作深度达到规定要求。',
  '涉及国家安全和重大国家战略实施，须在规定时限内建成，前期工作已达到可研和初设深度。',
] as const;

const shanghaiDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const DAY_MS = 86_400_000;
const dateText = (ms: number) => shanghaiDate.format(new Date(ms));

/** A decimal text with at most two places and no trailing zeros beyond them ("99.5", "12"). */
function decimal(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function indicatorsFor(rng: Rng, startYear: number, endYear: number) {
  const count = rng.int(1, 3);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.int(0, INDICATORS.length - 1));
  return [...chosen].map((i) => {
    const t = INDICATORS[i]!;
    const baseline = t.baseline[0] + rng.next() * (t.baseline[1] - t.baseline[0]);
    const years = Array.from({ length: Math.min(3, endYear - startYear + 1) }, (_, k) => startYear + k);
    const targets = years.map((year, k) => {
      let value = baseline + t.step * (k + 1);
      if (t.max !== undefined) value = Math.min(t.max, value);
      if (t.direction === 'lower') value = Math.max(0.5, value);
      return { year, value: decimal(value) };
    });
    return { indicator: t.indicator, category: t.category, unit: t.unit, baseline: decimal(baseline), targets, direction: t.direction };
  });
}

function nameFor(rng: Rng, unit: PortfolioUnit, kind: ProjectKind, year: number, topic: string): string {
  switch (kind) {
    case 'new':
      return `${unit.projectPrefix}${topic}${rng.pick(['建设项目', '建设工程', '项目'])}`;
    case 'rebuild':
      return `${unit.projectPrefix}${topic}${rng.pick(['升级改造项目', '国产化改造项目', '适配改造项目'])}`;
    case 'expansion':
      return `${unit.projectPrefix}${topic}${rng.pick(['（二期）', '（三期）', '扩容'])}建设项目`;
    case 'purchasedService':
      return `${unit.projectPrefix}${topic}${year}年度${rng.pick(['运维服务', '云资源服务', '安全服务'])}项目`;
  }
}

/** The lifecycle state of an approval-track project of construction year `year` on `path`. */
function approvalState(rng: Rng, year: number, path: readonly ApprovalStage[], investmentCents: number): LifecycleState {
  const last = path[path.length - 1]!;
  if (rng.chance(FINISHED_SHARE[year]!)) {
    // 不予批复 at some stage, or the whole path approved.
    if (rng.chance(0.04)) return { track: 'approval', stage: rng.pick(path), status: 'rejected' };
    return { track: 'approval', stage: last, status: 'approved' };
  }
  const stage = path[Math.min(path.length - 1, Math.floor(rng.next() * path.length))]!;
  // 咨询评估 (assessing) only happens where the rule settings require it.
  const statuses = investmentCents >= ASSESSMENT_THRESHOLD_CENTS ? OPEN_STATUSES : OPEN_STATUSES.filter(([s]) => s !== 'assessing');
  const status = rng.weighted(statuses, ([, w]) => w)[0];
  return { track: 'approval', stage, status };
}

function filingState(rng: Rng, year: number): LifecycleState {
  if (rng.chance(FINISHED_SHARE[year]! * 0.95 + 0.04)) return { track: 'filing', stage: 'filing', status: 'filed' };
  const status = rng.weighted<readonly [FilingStatus, number]>([['draft', 30], ['returned', 15], ['submitted', 55]], ([, w]) => w)[0];
  return { track: 'filing', stage: 'filing', status };
}

/**
 * Generates `count` projects. `codeTaken` says whether a 项目代码 is already in use (in the
 * database or earlier in this run); a code drawn twice is drawn again, so codes stay unique
 * however many runs add to the same database.
 */
export function* generatePortfolio(rng: Rng, input: PortfolioInput, count: number, codeTaken: (code: string) => boolean): Generator<SyntheticProject> {
  const byRegion = new Map<string, PortfolioUnit[]>();
  for (const u of input.units) {
    if (!input.approvalDepartments.has(u.region)) continue;
    byRegion.set(u.region, [...(byRegion.get(u.region) ?? []), u]);
  }
  const central = byRegion.get('central') ?? [];
  const provinces = PROVINCES.filter((p) => byRegion.has(p.code));
  if (central.length === 0 && provinces.length === 0) throw new Error('no construction units to give projects to');
  const asOf = input.asOf.getTime();
  for (let i = 0; i < count; i++) {
    const isCentral = central.length > 0 && (provinces.length === 0 || rng.chance(CENTRAL_SHARE));
    const region = isCentral ? 'central' : rng.weighted(provinces, (p) => p.weight).code;
    const units = byRegion.get(region)!;
    const unit = rng.weighted(units, (u) => u.weight);
    const year = rng.weighted(YEARS, (y) => YEAR_WEIGHTS[y]!);
    const track = rng.chance(0.85) ? 'approval' : 'filing';
    const kind = rng.weighted(KINDS, ([, w]) => w)[0];
    const topic = rng.pick(unit.topics);

    // Log-normal around 1,500 万元, redrawn outside 50 … 200,000 万元; filings (approved
    // elsewhere, 第九条) are smaller.
    let cents: number;
    do cents = Math.round(Math.exp(Math.log(track === 'approval' ? 1500 : 600) + 1.25 * rng.normal()) * 100);
    while (cents < MIN_INVESTMENT_CENTS || cents > MAX_INVESTMENT_CENTS);
    const total: Fen = BigInt(cents) * FEN_PER_CENT_OF_WAN;
    const omCents = kind === 'purchasedService' ? cents : Math.round(cents * (0.05 + rng.next() * 0.1));
    const om: Fen = BigInt(omCents) * FEN_PER_CENT_OF_WAN;

    // 第七条: urgent projects take the combined stage; projects in the national plan start at the
    // feasibility study; the others at the proposal.
    const urgent: UrgentDeclaration | null = track === 'approval' && rng.chance(0.03)
      ? { reasonCategory: rng.pick(['central_requirement', 'major_strategy_or_security'] as const), justification: rng.pick(URGENT_JUSTIFICATIONS), situationUrgent: true, preparationAdequate: true }
      : null;
    const inPlan = input.nationalPlanTaskIds.length > 0 && urgent === null && rng.chance(track === 'approval' ? 0.35 : 0.15);
    const path: ApprovalStage[] = urgent ? ['combinedStage'] : inPlan ? ['feasibilityStudy', 'preliminaryDesign'] : ['proposal', 'feasibilityStudy', 'preliminaryDesign'];
    const state = track === 'approval' ? approvalState(rng, year, path, cents) : filingState(rng, year);
    if (!isLifecycleState(state)) throw new Error(`generated an undeclared lifecycle state ${JSON.stringify(state)}`);
    const finished = state.status === 'approved' || state.status === 'filed';

    const startMs = Date.UTC(year, 0, 1) + rng.int(0, 364) * DAY_MS;
    const endMs = startMs + rng.int(6, 36) * 30 * DAY_MS;
    // Prepared some months before construction starts, and never after `asOf`.
    const createdMs = Math.min(asOf - rng.int(1, 30 * 24 * 60) * 60_000, startMs - rng.int(30, 540) * DAY_MS + rng.int(0, DAY_MS - 1));
    const updatedMs = Math.min(asOf, createdMs + rng.int(0, 400) * DAY_MS);

    const classified = rng.chance(0.03);
    const crossDepartment = units.length > 1 && rng.chance(0.08);
    const participants: string[] = [];
    if (crossDepartment) {
      const others = units.filter((u) => u.id !== unit.id);
      const n = Math.min(others.length, rng.int(1, 3));
      while (participants.length < n) {
        const o = rng.pick(others).id;
        if (!participants.includes(o)) participants.push(o);
      }
    }
    const fundingChannel = region === 'central'
      ? rng.weighted<readonly [string, number]>([['central_budget', 60], ['central_fiscal', 35], ['other', 5]], ([, w]) => w)[0]
      : rng.weighted<readonly [string, number]>([['local_fiscal', 70], ['central_budget', 15], ['self_raised', 10], ['other', 5]], ([, w]) => w)[0];

    let code: string;
    do {
      code = issueProjectCode({
        issuedAt: new Date(createdMs), divisionCode: unit.divisionCode, track, random5: String(rng.int(0, 99_999)).padStart(5, '0'),
      });
    } while (codeTaken(code));

    const startYear = new Date(startMs).getUTCFullYear();
    const endYear = Math.max(startYear, new Date(endMs).getUTCFullYear());
    yield {
      code,
      name: nameFor(rng, unit, kind, year, topic),
      construction_unit_id: unit.id,
      approval_department_id: input.approvalDepartments.get(region)!,
      track,
      kind,
      plan_task_id: inPlan ? rng.pick(input.nationalPlanTaskIds) : null,
      involves_secrets: classified,
      cross_department: crossDepartment,
      lead_organization_id: crossDepartment ? unit.id : null,
      construction_start: dateText(startMs),
      construction_end: dateText(endMs),
      total_investment: formatWan(total),
      o_and_m_funds: formatWan(om),
      funding_channel: fundingChannel,
      performance_indicators: JSON.stringify(indicatorsFor(rng, startYear, endYear)),
      systems: JSON.stringify(kind === 'purchasedService' ? [] : [{ name: topic.replace(/[（(].*$/, ''), action: kind === 'new' ? 'new' : 'upgrade' }]),
      protection_scheme: classified ? 'classified' : 'mlps',
      mlps_level: classified ? null : rng.weighted<readonly [number, number]>([[2, 40], [3, 55], [4, 5]], ([, w]) => w)[0],
      crypto_plan: finished ? 'approved' : rng.pick(['none', 'drafted', 'drafted', 'approved']),
      crypto_assessment: finished ? rng.pick(['passed', 'passed', 'planned']) : rng.pick(['not_started', 'planned']),
      new_civil_construction: rng.chance(0.03),
      high_energy_consumption: rng.chance(0.02),
      urgent: urgent === null ? null : JSON.stringify(urgent),
      stage: state.stage,
      status: state.status,
      created_by: input.createdBy,
      created_at: new Date(createdMs),
      updated_at: new Date(Math.max(createdMs, updatedMs)),
      participants,
    };
  }
}
