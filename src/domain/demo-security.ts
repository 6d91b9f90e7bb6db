// The demo's 安全与资源记录 (第十四条–第十七条) and 共享问题认定 (第二十八条(一)), chosen so the
// 运维经费资格 list shows systems eligible and not, for different reasons: a failed 密评, an open
// major hazard, an overdue 等级测评, a confirmed non-sharing finding, an isolated network without
// an exception. Dates are months before the day the demo is seeded (monthsAgo).
import type { SecurityRecordDetails, SecurityRecordKind } from './security-records.ts';

export interface DemoSecurityRecord {
  systemName: string;
  kind: SecurityRecordKind;
  monthsAgo: number;
  passed?: boolean;
  reference?: string;
  details: SecurityRecordDetails;
  /** hazard: rectified this many months ago. */
  resolvedMonthsAgo?: number;
}

export interface DemoFinding {
  systemName: string;
  kind: 'notSharing' | 'duplicateCollection';
  reference: string;
  description: string;
  monthsAgo: number;
  /** The recording body's demo user. */
  username: 'gooffice' | 'ndrc';
  resolvedMonthsAgo?: number;
}

const SI = '社会保险公共服务平台';
const CARD = '全国社会保障卡持卡人员基础信息库';
const DC = '人社数据中心运行监控系统';
const SECRET = '人社部机要文件管理系统';
const MNR = '国土空间基础信息平台';
const SAT = '卫星遥感影像原始数据处理系统';
const METER = '计量检测数据采集分析系统';
const CREDIT = '国家企业信用信息公示系统';
const JS = '江苏政务服务网';
const JSDATA = '江苏省公共数据平台';
const SC = '四川省一体化政务服务平台';
const WH = '武侯区基层治理综合平台';

const test = (systemName: string, monthsAgo: number, passed: boolean, agency = '国家信息技术安全研究中心', findings?: string): DemoSecurityRecord =>
  ({ systemName, kind: 'securityTest', monthsAgo, passed, reference: `CP-${monthsAgo}-${systemName.length}`, details: { agency, ...(findings ? { findings } : {}) } });
const crypto = (systemName: string, monthsAgo: number, passed: boolean, score: string): DemoSecurityRecord =>
  ({ systemName, kind: 'cryptoAssessment', monthsAgo, passed, reference: `MP-${monthsAgo}-${systemName.length}`, details: { agency: '商用密码检测中心', score } });

export const DEMO_SECURITY_RECORDS: readonly DemoSecurityRecord[] = [
  // Eligible: tested, 密评 passed, with the whole record set of 第十四条–第十七条.
  { systemName: SI, kind: 'filing', monthsAgo: 30, reference: '11000013001-21001', details: { scheme: 'mlps', level: 3 } },
  { systemName: SI, kind: 'cryptoPlan', monthsAgo: 30, details: { reviewed: true } },
  test(SI, 3, true),
  { systemName: SI, kind: 'riskAssessment', monthsAgo: 3, passed: true, details: { agency: '中国信息安全测评中心', findings: '中低风险 6 项，已制定处置计划' } },
  crypto(SI, 2, true, '86.5'),
  { systemName: SI, kind: 'product', monthsAgo: 24, reference: 'CCRC-2024-0815', details: { product: '服务器操作系统 V10', vendor: '麒麟软件有限公司', category: 'software' } },
  { systemName: SI, kind: 'product', monthsAgo: 24, reference: 'SJK-2024-1102', details: { product: 'SM2/SM3/SM4 服务器密码机', vendor: '某商用密码企业', category: 'crypto' } },
  { systemName: SI, kind: 'energy', monthsAgo: 1, details: { dataCentre: '人社部北京数据中心', pue: '1.32' } },
  { systemName: SI, kind: 'cloud', monthsAgo: 20, details: { provider: '国家政务云', vcpu: 2048, storageTb: '480' } },
  // (三) 密评 failed.
  test(CARD, 5, true),
  crypto(CARD, 1, false, '58.0'),
  // (三) a major hazard found and not yet rectified; another one rectified.
  test(DC, 6, true),
  { systemName: DC, kind: 'hazard', monthsAgo: 1, details: { findings: '核心交换机存在高危远程代码执行漏洞，尚未完成补丁升级' } },
  { systemName: DC, kind: 'hazard', monthsAgo: 8, resolvedMonthsAgo: 7, details: { findings: '运维账号弱口令' } },
  // 分级保护: 安全保密测评 passed.
  { systemName: SECRET, kind: 'filing', monthsAgo: 26, reference: '分保备字〔2024〕演示08号', details: { scheme: 'classified' } },
  test(SECRET, 12, true, '国家保密科技测评中心'),
  // (一) finding below; its tests are in order.
  test(MNR, 4, true), crypto(MNR, 4, true, '81.0'),
  test(SAT, 5, true), crypto(SAT, 5, true, '79.5'),
  // 孤网 without exception; its test is in order (第二级: no periodic 密评).
  test(METER, 10, true),
  // Eligible, with a resolved duplicate-collection finding below.
  test(CREDIT, 7, true), crypto(CREDIT, 6, true, '88.0'),
  // (三) 等级测评 overdue: 14 months since the last one, 第三级 every 12.
  test(JS, 14, true), crypto(JS, 3, true, '83.0'),
  { systemName: JS, kind: 'cloud', monthsAgo: 30, details: { provider: '江苏省政务云', vcpu: 1024, storageTb: '200' } },
  test(JSDATA, 2, true), crypto(JSDATA, 2, true, '90.0'),
  test(SC, 8, true), crypto(SC, 9, true, '80.0'),
  test(WH, 11, true),
];

export const DEMO_FINDINGS: readonly DemoFinding[] = [
  {
    systemName: MNR, kind: 'notSharing', reference: '国办电政函〔2026〕演示12号', monthsAgo: 2, username: 'gooffice',
    description: '不动产登记数据未按共享目录向政务数据共享平台提供接口，经督查认定未按要求共享',
  },
  {
    systemName: CREDIT, kind: 'duplicateCollection', reference: '发改办高技〔2025〕演示3号', monthsAgo: 10, username: 'ndrc', resolvedMonthsAgo: 6,
    description: '重复采集企业法定代表人身份信息，已改为调用共享接口',
  },
];
