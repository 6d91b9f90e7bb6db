// The demo's 双随机、一公开 spot checks (SPEC §9): one drawn with its outcomes published, one with its
// pools published and waiting for its draw. Seeded by src/usecases/seed-demo-spot-checks.ts.
import { sm3Hex } from '../crypto/sm3.ts';
import type { ChecklistItem } from '../usecases/spot-checks.ts';
import type { DemoResource } from './demo-catalog.ts';

/** 第三十条's five subjects, and 第二十九条's duty to provide what is asked. */
export const DEMO_CHECKLIST: ChecklistItem[] = [
  { code: 'C1', title: '政务信息共享落实情况', basis: '第三十条 信息共享' },
  { code: 'C2', title: '招标采购程序合规性', basis: '第三十条 招标采购' },
  { code: 'C3', title: '资金使用与批复概算一致性', basis: '第三十条 资金使用' },
  { code: 'C4', title: '密码应用与密评', basis: '第三十条 密码应用' },
  { code: 'C5', title: '网络安全等级保护落实', basis: '第三十条 网络安全' },
  { code: 'C6', title: '如实提供项目资料和情况', basis: '第二十九条' },
];

/** The inspector pool: one person from each supervisory, audit and professional body. */
export const DEMO_INSPECTORS = ['ndrc', 'mof', 'cac', 'gooffice', 'auditor', 'assessor', 'supervisor', 'evaluator'] as const;

export const DEMO_SPOT_CHECKS = [
  {
    title: '2026年第一批国家政务信息化项目“双随机、一公开”抽查',
    organizerUsername: 'ndrc',
    targetCount: 3,
    inspectorsPerTarget: 2,
    // A seed announced before the draw: the SM3 of the announcement's text (anyone can recompute it).
    seed: sm3Hex('国家发展改革委 2026年第一批双随机抽查 随机种子公告'),
    /** Outcomes: every item passes except these. */
    failures: [{ targetIndex: 1, itemCode: 'C4', notes: '未提供密码应用安全性评估报告，已责成限期整改' }],
  },
  {
    title: '2026年第二批政务信息系统“双随机、一公开”抽查',
    organizerUsername: 'cac',
    targetCount: 2,
    inspectorsPerTarget: 2,
    seed: null,
    failures: [],
  },
] as const;

/**
 * Two resources of the demo catalog that are open to the public (第十一条 开放类型), so the portal's
 * resource list shows something: statistics without personal data.
 */
export const DEMO_OPEN_RESOURCES: readonly DemoResource[] = [
  {
    name: '社会保险经办机构名录',
    code: '3-03-027/000101',
    classification: { kind: 'department', baseCategory: null },
    providerKey: 'mohrss',
    format: 'spreadsheet',
    updateCycle: 'quarterly',
    sharingType: 'unconditional',
    sharingBasis: null,
    openType: 'unconditional',
    openBasis: null,
    involvesSecrets: false,
    dataItems: [
      { name: '机构名称', type: 'string' },
      { name: '机构地址', type: 'string' },
      { name: '咨询电话', type: 'string', description: '机构的对外服务电话' },
      { name: '行政区划代码', type: 'string', description: 'GB/T 2260' },
    ],
  },
  {
    name: '社会保险参保人数统计',
    code: '3-03-027/000102',
    classification: { kind: 'department', baseCategory: null },
    providerKey: 'mohrss',
    format: 'spreadsheet',
    updateCycle: 'monthly',
    sharingType: 'unconditional',
    sharingBasis: null,
    openType: 'conditional',
    openBasis: '按省级行政区汇总开放，不含个人明细；用于研究的细分数据依申请开放',
    involvesSecrets: false,
    dataItems: [
      { name: '统计月份', type: 'date' },
      { name: '行政区划代码', type: 'string' },
      { name: '险种类型', type: 'string' },
      { name: '参保人数', type: 'integer' },
    ],
  },
];
