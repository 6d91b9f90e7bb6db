// The demo's 政务信息系统目录 (第十二条) and 孤网例外决定 (第二十八条): systems of the demo
// organizations (src/domain/demo-data.ts), linked to the demo projects and the demo project's
// 信息资源目录 (src/domain/demo-catalog.ts). Pure typed constants, no I/O.
//
// The system names follow the kind of systems those organs run, but the records are demo data,
// not their real entries. Every 等保备案编号 and the State Council document number below are
// FICTITIOUS (well-formed: the first six digits are a Beijing, Jiangsu or Sichuan 公安机关 code
// prefix); the user counts are round illustrative figures.
import type { GovernmentSystemInput, ProjectRelation, ResourceRelation } from './system-catalog.ts';

export interface DemoSystem extends Omit<GovernmentSystemInput, 'ownerOrganizationId' | 'projects' | 'resources'> {
  /** Key of the owning organization in DEMO_ORGS. */
  ownerKey: string;
  /** Demo projects by name (src/usecases/seed-demo.ts). */
  projects: Array<{ projectName: string; relation: ProjectRelation }>;
  /** Resources of the demo catalog project by 信息资源代码. */
  resources: Array<{ resourceCode: string; relation: ResourceRelation }>;
}

/** 第二十八条: the exception the demo records (by the demo NDRC user) for the one system that has one. */
export interface DemoIsolationException {
  systemName: string;
  reason: string;
  approvalDocumentNumber: string;
  approvedOn: string;
}

const SOCIAL_INSURANCE_PROJECT = '全国社会保险公共服务平台升级改造项目（演示）';
const E_CARD_PROJECT = '全国统一电子证照社保卡应用项目（演示）';
const DATA_CENTRE_PROJECT = '人社系统数据中心运维服务项目（演示）';

const mlps = (level: number, filingNumber: string | null) => ({ scheme: 'mlps' as const, mlpsLevel: level, filingNumber });

export const DEMO_SYSTEMS: readonly DemoSystem[] = [
  // ——— 人力资源和社会保障部信息中心 ———
  {
    ownerKey: 'mohrss_ic', name: '社会保险公共服务平台', businessArea: '社会保障',
    purpose: '面向参保人和用人单位提供社保查询、待遇资格认证、转移接续等全国性网上服务',
    networkType: 'internet', involvesSecrets: false, security: mlps(3, '11000013001-21001'), userCount: 120_000_000, status: 'operating',
    projects: [{ projectName: SOCIAL_INSURANCE_PROJECT, relation: 'upgrade' }],
    resources: [{ resourceCode: '2-03-001/000001', relation: 'holds' }, { resourceCode: '2-03-001/000001', relation: 'collects' }],
  },
  {
    ownerKey: 'mohrss_ic', name: '全国社会保障卡持卡人员基础信息库', businessArea: '社会保障',
    purpose: '汇聚全国社会保障卡持卡人员基础信息，支撑跨地区用卡和身份核验',
    networkType: 'extranet', involvesSecrets: false, security: mlps(3, '11000013001-21002'), userCount: 8_000, status: 'operating',
    projects: [], resources: [{ resourceCode: '3-03-027/000001', relation: 'holds' }],
  },
  {
    ownerKey: 'mohrss_ic', name: '电子社保卡服务系统', businessArea: '社会保障',
    purpose: '签发和核验电子社保卡，向各类政务服务平台提供电子证照服务',
    networkType: 'internet', involvesSecrets: false, security: mlps(3, null), userCount: 0, status: 'under_construction',
    projects: [{ projectName: E_CARD_PROJECT, relation: 'new' }],
    resources: [{ resourceCode: '1-05-001/000001', relation: 'collects' }, { resourceCode: '3-03-027/000001', relation: 'holds' }],
  },
  {
    ownerKey: 'mohrss_ic', name: '人社数据中心运行监控系统', businessArea: '基础设施',
    purpose: '监控人社数据中心机房、网络和主机运行状态，支撑运维服务考核',
    networkType: 'extranet', involvesSecrets: false, security: mlps(2, '11000013001-21003'), userCount: 120, status: 'operating',
    projects: [{ projectName: DATA_CENTRE_PROJECT, relation: 'upgrade' }], resources: [],
  },
  {
    ownerKey: 'mohrss_ic', name: '人社部机要文件管理系统', businessArea: '机关办公',
    purpose: '涉密公文的登记、流转和归档',
    networkType: 'intranet', involvesSecrets: true, security: { scheme: 'classified', mlpsLevel: null, filingNumber: null }, userCount: 300,
    status: 'operating', projects: [], resources: [],
  },
  // ——— 自然资源部信息中心 ———
  {
    ownerKey: 'mnr_ic', name: '国土空间基础信息平台', businessArea: '自然资源',
    purpose: '汇聚国土空间现状和规划数据，为国土空间规划编制和用途管制提供基础底图服务',
    networkType: 'extranet', involvesSecrets: false, security: mlps(3, '11000013002-20001'), userCount: 50_000, status: 'operating',
    projects: [], resources: [],
  },
  {
    ownerKey: 'mnr_ic', name: '卫星遥感影像原始数据处理系统', businessArea: '自然资源',
    purpose: '接收和处理高分辨率卫星遥感原始影像，生产正射影像等基础产品',
    networkType: 'isolated', involvesSecrets: false, security: mlps(3, '11000013002-20002'), userCount: 200, status: 'operating',
    projects: [], resources: [],
  },
  // ——— 国家市场监督管理总局信息中心 ———
  {
    ownerKey: 'samr_ic', name: '国家企业信用信息公示系统', businessArea: '市场监管',
    purpose: '依法公示市场主体登记、备案、行政许可、行政处罚和经营异常名录等信用信息',
    networkType: 'internet', involvesSecrets: false, security: mlps(3, '11000013003-19001'), userCount: 50_000_000, status: 'operating',
    projects: [], resources: [],
  },
  {
    ownerKey: 'samr_ic', name: '计量检测数据采集分析系统', businessArea: '市场监管',
    purpose: '采集计量检测设备的检测数据并进行离线统计分析',
    networkType: 'isolated', involvesSecrets: false, security: mlps(2, '11000013003-19002'), userCount: 60, status: 'operating',
    projects: [], resources: [],
  },
  {
    ownerKey: 'samr_ic', name: '原工商行政管理业务系统', businessArea: '市场监管',
    purpose: '机构改革前的工商登记业务系统，数据已迁移至市场监管一体化平台',
    networkType: 'extranet', involvesSecrets: false, security: mlps(2, '11000013003-15001'), userCount: 0, status: 'retired',
    projects: [], resources: [],
  },
  // ——— 地方 ———
  {
    ownerKey: 'js_data', name: '江苏政务服务网', businessArea: '政务服务',
    purpose: '江苏省一体化政务服务平台的统一入口，提供网上办事、好差评等服务',
    networkType: 'internet', involvesSecrets: false, security: mlps(3, '32000013001-20001'), userCount: 30_000_000, status: 'operating',
    // 重复采集 (第二十八条): collects the 电子社保卡 data items that 人社部's 电子社保卡服务系统 already
    // collects, as does 四川's platform — so the duplicate-collection report shows a demo group.
    projects: [], resources: [{ resourceCode: '1-05-001/000001', relation: 'collects' }],
  },
  {
    ownerKey: 'js_data', name: '江苏省公共数据平台', businessArea: '数据共享',
    purpose: '归集全省公共数据，支撑跨部门、跨层级数据共享交换',
    networkType: 'extranet', involvesSecrets: false, security: mlps(3, '32000013001-20002'), userCount: 5_000, status: 'operating',
    projects: [], resources: [],
  },
  {
    ownerKey: 'js_nj', name: '南京市城市运行管理服务平台', businessArea: '城市管理',
    purpose: '汇聚城市运行体征数据，支撑城市运行监测和协同处置',
    networkType: 'extranet', involvesSecrets: false, security: mlps(3, null), userCount: 2_000, status: 'under_construction',
    projects: [], resources: [],
  },
  {
    ownerKey: 'sc_data', name: '四川省一体化政务服务平台', businessArea: '政务服务',
    purpose: '全省政务服务事项网上办理和“天府通办”移动端服务',
    networkType: 'internet', involvesSecrets: false, security: mlps(3, '51000013001-21001'), userCount: 25_000_000, status: 'operating',
    projects: [], resources: [{ resourceCode: '1-05-001/000001', relation: 'collects' }],
  },
  {
    ownerKey: 'sc_cd_wh', name: '武侯区基层治理综合平台', businessArea: '社会治理',
    purpose: '网格化基层治理事件上报、分拨和办理',
    networkType: 'extranet', involvesSecrets: false, security: mlps(2, '51010713001-22001'), userCount: 1_500, status: 'operating',
    projects: [], resources: [],
  },
];

/** 第二十八条: the one 孤网 system with an exception; the other 孤网 system has none and is flagged. */
export const DEMO_ISOLATION_EXCEPTION: DemoIsolationException = {
  systemName: '卫星遥感影像原始数据处理系统',
  reason: '原始遥感影像接收处理涉及国家地理信息安全，处理环境须与外部网络物理隔离；处理后的成果数据通过国土空间基础信息平台共享',
  approvalDocumentNumber: '国函〔2025〕演示1号',
  approvedOn: '2025-06-30',
};

/** 第十二条: the demo department that has confirmed its list (by its unit lead), days before the seed. */
export const DEMO_CONFIRMATION = { orgKey: 'mohrss_ic', username: 'unitlead', daysAgo: 30, note: '已核对本单位全部政务信息系统' } as const;
