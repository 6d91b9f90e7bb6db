// The demo's 跨部门项目框架方案 (第十条): 人力资源和社会保障部信息中心 leads, 国家市场监督管理总局信息中心
// takes part — electronic certificates recognized across the two departments, and social insurance
// registration at business start-up fed by the market-entity registration. Both parts are
// confirmed, the one suspected overlap (the two certificate-verification services) is justified,
// and the lead has submitted the plan: NDRC's demo account can confirm or return it. Pure data.
import type { InterfaceMethod, Frequency } from './frameworks.ts';
import type { SharingType } from './resource-catalog.ts';

export interface DemoFramework {
  name: string;
  /** DEMO_ORGS keys. */
  leadKey: string;
  participantKeys: string[];
  goals: string;
  contents: Array<{ orgKey: string; title: string; description: string }>;
  businessFlows: Array<{ name: string; description: string; steps: Array<{ orgKey: string; activity: string }> }>;
  dataFlows: Array<{
    from: { orgKey: string; system: string | null }; to: { orgKey: string; system: string | null };
    dataItems: string[]; frequency: Frequency; interfaceMethod: InterfaceMethod; description: string | null;
  }>;
  catalogEntries: Array<{ name: string; providerKey: string; dataItems: string[]; sharingType: SharingType; sharingBasis: string | null }>;
  /** Suspected overlaps handled by a written reason (I-13), by the two contents' titles. */
  justifications: Array<{ titles: [string, string]; reason: string }>;
  /** The demo user of the lead who confirms its part and submits the plan. */
  submittedBy: string;
}

export const DEMO_FRAMEWORK: DemoFramework = {
  name: '电子证照互通互认与企业开办参保协同框架方案（演示）',
  leadKey: 'mohrss_ic',
  participantKeys: ['samr_ic'],
  goals: '打通电子社保卡与电子营业执照的互通互认，企业开办时由市场监管部门推送登记信息、人社部门自动完成单位参保登记，'
    + '企业年报中的社保事项由人社部门共享数据，实现“开办即参保”“年报多报合一”。',
  contents: [
    { orgKey: 'mohrss_ic', title: '电子社保卡签发与亮证核验服务', description: '建设电子社保卡签发、亮证核验和跨地区互认服务，支撑参保人员线上身份核验。' },
    { orgKey: 'mohrss_ic', title: '企业参保登记服务改造', description: '改造社会保险登记业务，接收市场监管部门推送的企业登记信息，实现企业开办即参保。' },
    { orgKey: 'samr_ic', title: '电子营业执照签发与亮证核验服务', description: '建设电子营业执照签发、下载和亮证核验服务，面向企业开办和涉企审批提供在线身份核验。' },
    { orgKey: 'samr_ic', title: '企业年报社保事项共享', description: '企业年度报告中的社保事项改由人社部门共享参保数据，企业免于重复填报。' },
  ],
  businessFlows: [{
    name: '企业开办即参保',
    description: '企业设立登记完成后，单位参保登记自动办结，结果回传企业开办“一网通办”。',
    steps: [
      { orgKey: 'samr_ic', activity: '办理企业设立登记，签发电子营业执照' },
      { orgKey: 'samr_ic', activity: '通过数据共享交换平台推送企业登记信息' },
      { orgKey: 'mohrss_ic', activity: '自动完成单位参保登记' },
      { orgKey: 'mohrss_ic', activity: '回传参保登记结果' },
    ],
  }],
  dataFlows: [
    {
      from: { orgKey: 'samr_ic', system: '全国市场主体登记注册系统' }, to: { orgKey: 'mohrss_ic', system: '社会保险经办管理信息系统' },
      dataItems: ['统一社会信用代码', '企业名称', '法定代表人', '住所', '成立日期', '登记状态'],
      frequency: 'realtime', interfaceMethod: 'exchange_platform', description: '企业设立、变更、注销登记后实时推送',
    },
    {
      from: { orgKey: 'mohrss_ic', system: '社会保险经办管理信息系统' }, to: { orgKey: 'samr_ic', system: '国家企业信用信息公示系统' },
      dataItems: ['统一社会信用代码', '参保险种', '参保人数', '缴费状态'],
      frequency: 'daily', interfaceMethod: 'api', description: '企业年报社保事项按日共享',
    },
  ],
  catalogEntries: [
    {
      name: '企业登记基本信息', providerKey: 'samr_ic', dataItems: ['统一社会信用代码', '企业名称', '法定代表人', '住所', '成立日期', '登记状态'],
      sharingType: 'unconditional', sharingBasis: null,
    },
    {
      name: '单位参保信息', providerKey: 'mohrss_ic', dataItems: ['统一社会信用代码', '参保险种', '参保人数', '缴费状态'],
      sharingType: 'conditional', sharingBasis: '依据《社会保险法》，向依法履职需要的政务部门共享，用于企业年报和涉企审批',
    },
  ],
  justifications: [{
    titles: ['电子社保卡签发与亮证核验服务', '电子营业执照签发与亮证核验服务'],
    reason: '两项服务分别签发和核验电子社保卡（自然人）与电子营业执照（市场主体），证照类型、数据来源和服务对象不同，'
      + '共用国家政务服务平台的亮证核验接口规范，不属于重复建设。',
  }],
  submittedBy: 'preparer',
};
