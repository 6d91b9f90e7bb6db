// The demo's 信息资源目录 (第十一条): a small catalog for the first demo project, one resource of
// each classification kind, so the approve guard has something to read and the catalog screens
// something to show. Codes follow src/domain/resource-catalog.ts; the 项/目 numbers below 类 are
// demo values, not taken from a published catalog.
import type { InformationResourceInput } from './resource-catalog.ts';

/** The demo project whose catalog this is (seeded by src/usecases/seed-demo.ts). */
export const DEMO_CATALOG_PROJECT = '全国社会保险公共服务平台升级改造项目（演示）';

export interface DemoResource extends Omit<InformationResourceInput, 'providerOrganizationId'> {
  /** Key of the providing organization in DEMO_ORGS. */
  providerKey: string;
}

const PERSONAL_DATA_NOT_OPEN = '含公民个人信息，依据《中华人民共和国个人信息保护法》不予开放';

export const DEMO_CATALOG: readonly DemoResource[] = [
  {
    name: '社会保险参保信息',
    code: '2-03-001/000001',
    classification: { kind: 'theme', baseCategory: null },
    providerKey: 'mohrss',
    format: 'database',
    updateCycle: 'daily',
    sharingType: 'conditional',
    sharingBasis: '依据《中华人民共和国社会保险法》，仅向因依法履职需核验参保状态的政务部门共享，使用部门不得向第三方提供',
    openType: 'none',
    openBasis: PERSONAL_DATA_NOT_OPEN,
    involvesSecrets: false,
    dataItems: [
      { name: '社会保障号码', type: 'string', description: '公民身份号码' },
      { name: '姓名', type: 'string' },
      { name: '险种类型', type: 'string', description: '养老、医疗、工伤、失业、生育' },
      { name: '参保状态', type: 'string' },
      { name: '参保日期', type: 'date' },
      { name: '参保地行政区划代码', type: 'string', description: 'GB/T 2260' },
    ],
  },
  {
    name: '社会保障卡持卡信息',
    code: '3-03-027/000001',
    classification: { kind: 'department', baseCategory: null },
    providerKey: 'mohrss',
    format: 'api',
    updateCycle: 'realtime',
    sharingType: 'conditional',
    sharingBasis: '经共享申请审核后，通过国家数据共享交换平台接口核验，仅返回核验结果',
    openType: 'none',
    openBasis: PERSONAL_DATA_NOT_OPEN,
    involvesSecrets: false,
    dataItems: [
      { name: '社会保障卡卡号', type: 'string' },
      { name: '社会保障号码', type: 'string' },
      { name: '发卡地区', type: 'string' },
      { name: '发卡日期', type: 'date' },
      { name: '卡状态', type: 'string', description: '正常、挂失、注销' },
    ],
  },
  {
    name: '电子证照：社会保障卡',
    code: '1-05-001/000001',
    classification: { kind: 'base', baseCategory: 'e_certificate' },
    providerKey: 'mohrss',
    format: 'api',
    updateCycle: 'realtime',
    sharingType: 'unconditional',
    sharingBasis: null,
    openType: 'none',
    openBasis: PERSONAL_DATA_NOT_OPEN,
    involvesSecrets: false,
    dataItems: [
      { name: '证照编号', type: 'string' },
      { name: '持证人姓名', type: 'string' },
      { name: '持证人身份号码', type: 'string' },
      { name: '签发机构', type: 'string' },
      { name: '有效期起始日期', type: 'date' },
      { name: '证照文件', type: 'binary', description: 'OFD 版式文件' },
    ],
  },
];
