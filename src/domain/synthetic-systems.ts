// A synthetic national catalog of 政务信息系统 (第十二条) with the information resources they
// collect (第十一条), for load tests at catalog scale (`govproj seed --synthetic-systems N`,
// `npm run bench -- --postgres`, bench/catalog.ts). Pure and deterministic: the same seed and the
// same units give the same systems, drawn from src/domain/synthetic-portfolio.ts's PRNG. No I/O,
// no clock (the caller passes `asOf`).
//
// What it looks like. Each construction unit of the synthetic organization tree (a provincial
// department's information centre, a 数据局, a ministry's information centre) builds systems in
// its business areas: names are 〈业务对象〉〈业务功能〉〈系统类型〉 (养老保险待遇发放管理系统), sometimes
// with a place or a phase; purposes say whom the system serves, which functions it offers and
// to what end. The same function is built in many regions (every province has a 社会保险登记
// system), so the similarity search has real hits; on top of that NEAR_DUPLICATE_SHARE of the
// systems restate another department's system with light edits (another type word, another
// place, one function swapped) — the duplicate construction 第二十八条 asks to find. Networks,
// levels, 备案编号 and statuses obey src/domain/system-catalog.ts (`systemProblems` is empty for
// every generated system; the seed checks). Each system collects one information resource of a
// project of its own unit, with 2–5 data items drawn from its business area: ~3.5 data items
// per system, ~1,050,000 for 300,000 systems. Everything is FICTITIOUS.
import type { GovernmentSystemInput, NetworkType, SystemStatus } from './system-catalog.ts';
import type { DataItemType } from './resource-catalog.ts';
import { Rng } from './synthetic-portfolio.ts';

/** A business area: what its systems handle, for whom, and the data items they collect. */
interface Area {
  area: string;
  code: string;
  objects: readonly string[];
  audience: string;
  items: ReadonlyArray<readonly [string, DataItemType, string]>;
}

const COMMON_ITEMS: ReadonlyArray<readonly [string, DataItemType, string]> = [
  ['统一社会信用代码', 'string', '法人和其他组织的统一社会信用代码'], ['公民身份号码', 'string', '居民身份证号码'],
  ['姓名', 'string', '自然人姓名'], ['联系电话', 'string', '联系人手机号码'], ['办理日期', 'date', '业务办结日期'],
  ['行政区划代码', 'string', 'GB/T 2260 行政区划代码'], ['经办机构', 'string', '受理业务的机构名称'], ['备注', 'text', '其他说明'],
];

export const AREAS: readonly Area[] = [
  { area: '社会保障', code: '01', objects: ['养老保险', '失业保险', '工伤保险', '社会保障卡', '社会保险基金', '就业失业登记', '职业技能培训'], audience: '参保单位和参保人员',
    items: [['参保人员编号', 'string', '社会保险个人编号'], ['缴费基数', 'currency', '月缴费基数'], ['参保日期', 'date', '首次参保日期'], ['待遇发放金额', 'currency', '月度待遇金额'], ['社会保障卡号', 'string', '社会保障卡卡号'], ['参保状态', 'string', '正常参保、暂停缴费或终止']] },
  { area: '公共安全', code: '02', objects: ['人口信息', '户籍', '出入境证件', '道路交通违法', '视频监控', '警情'], audience: '公安民警和办事群众',
    items: [['户籍地址', 'string', '常住户口登记地址'], ['证件有效期', 'date', '证件有效期截止日期'], ['案件编号', 'string', '警情或案件编号'], ['车辆号牌', 'string', '机动车号牌号码'], ['违法时间', 'datetime', '交通违法发生时间']] },
  { area: '教育', code: '03', objects: ['学籍', '学生资助', '教师资格', '招生考试', '校舍安全'], audience: '学校、学生和家长',
    items: [['学籍号', 'string', '全国统一学籍号'], ['学校代码', 'string', '学校标识码'], ['入学年份', 'integer', '入学年度'], ['资助金额', 'currency', '年度资助金额'], ['考生号', 'string', '招生考试考生号']] },
  { area: '自然资源', code: '04', objects: ['不动产登记', '国土空间规划', '耕地保护', '矿产资源', '地籍调查'], audience: '不动产权利人和用地单位',
    items: [['不动产单元号', 'string', '不动产单元代码'], ['宗地面积', 'decimal', '平方米'], ['权利类型', 'string', '所有权、使用权等'], ['坐落', 'string', '不动产坐落'], ['规划用途', 'string', '国土空间规划用途']] },
  { area: '生态环境', code: '05', objects: ['排污许可', '环境监测', '污染源', '环评审批', '固体废物'], audience: '排污单位和环境执法人员',
    items: [['排污许可证编号', 'string', '排污许可证号'], ['监测点位', 'string', '监测点位编码'], ['污染物浓度', 'decimal', '毫克每立方米'], ['监测时间', 'datetime', '采样时间'], ['排放口编号', 'string', '排放口编码']] },
  { area: '交通运输', code: '06', objects: ['道路运输', '公路养护', '客运班线', '网约车', '港口航道'], audience: '运输企业和从业人员',
    items: [['道路运输证号', 'string', '道路运输证编号'], ['从业资格证号', 'string', '从业人员资格证号'], ['线路编号', 'string', '客运班线编号'], ['里程', 'decimal', '公里'], ['车辆类型', 'string', '营运车辆类型']] },
  { area: '卫生健康', code: '07', objects: ['电子健康档案', '传染病报告', '预防接种', '医疗机构', '妇幼保健'], audience: '医疗卫生机构和居民',
    items: [['健康档案编号', 'string', '居民电子健康档案编号'], ['诊断名称', 'string', 'ICD-10 诊断'], ['接种日期', 'date', '疫苗接种日期'], ['医疗机构代码', 'string', '医疗机构执业许可证登记号'], ['报告时间', 'datetime', '传染病报告时间']] },
  { area: '市场监管', code: '08', objects: ['市场主体登记', '食品安全抽检', '特种设备', '产品质量', '消费投诉'], audience: '市场主体和消费者',
    items: [['企业名称', 'string', '市场主体名称'], ['注册资本', 'currency', '万元'], ['成立日期', 'date', '营业执照成立日期'], ['抽检结论', 'string', '合格或不合格'], ['设备注册代码', 'string', '特种设备注册代码']] },
  { area: '民政', code: '09', objects: ['社会救助', '婚姻登记', '养老服务', '社会组织', '殡葬服务'], audience: '困难群众、老年人和社会组织',
    items: [['救助类型', 'string', '低保、特困或临时救助'], ['救助金额', 'currency', '月救助金额'], ['登记日期', 'date', '婚姻登记日期'], ['家庭人口数', 'integer', '共同生活家庭成员人数'], ['社会组织名称', 'string', '登记名称']] },
  { area: '住房城乡建设', code: '10', objects: ['住房公积金', '工程建设项目审批', '建筑市场', '保障性住房', '城市燃气'], audience: '缴存职工、建设单位和施工企业',
    items: [['公积金账号', 'string', '个人住房公积金账号'], ['缴存余额', 'currency', '账户余额'], ['项目代码', 'string', '工程建设项目代码'], ['施工许可证号', 'string', '建筑工程施工许可证编号'], ['建筑面积', 'decimal', '平方米']] },
  { area: '水利', code: '11', objects: ['水资源', '河湖长制', '水旱灾害防御', '取水许可', '农村供水'], audience: '取用水户和各级河湖长',
    items: [['取水许可证号', 'string', '取水许可证编号'], ['取水量', 'decimal', '万立方米'], ['河湖名称', 'string', '河流或湖泊名称'], ['水位', 'decimal', '米'], ['测站编码', 'string', '水文测站编码']] },
  { area: '应急管理', code: '12', objects: ['安全生产', '危险化学品', '自然灾害', '应急物资', '森林防火'], audience: '生产经营单位和应急救援力量',
    items: [['风险等级', 'string', '重大、较大、一般或低风险'], ['隐患编号', 'string', '事故隐患编号'], ['物资数量', 'integer', '储备物资数量'], ['灾害发生时间', 'datetime', '灾害发生时间'], ['危险化学品名称', 'string', '化学品名称']] },
  { area: '医疗保障', code: '13', objects: ['医保结算', '医保基金监管', '药品招采', '医保电子凭证', '异地就医'], audience: '参保人员和定点医药机构',
    items: [['医保编码', 'string', '国家医保信息业务编码'], ['结算金额', 'currency', '医保统筹支付金额'], ['就诊日期', 'date', '就诊日期'], ['定点机构编码', 'string', '定点医药机构编码'], ['药品通用名', 'string', '药品通用名称']] },
  { area: '财政', code: '14', objects: ['预算管理', '国库集中支付', '政府采购', '非税收入', '资产管理'], audience: '预算单位和财政部门',
    items: [['预算项目编码', 'string', '预算项目编码'], ['支付金额', 'currency', '元'], ['采购合同编号', 'string', '政府采购合同编号'], ['资产编号', 'string', '行政事业性国有资产编号'], ['收款单位', 'string', '收款单位名称']] },
  { area: '政务服务', code: '15', objects: ['政务服务事项', '电子证照', '统一身份认证', '好差评', '12345热线'], audience: '企业和群众',
    items: [['事项编码', 'string', '政务服务事项编码'], ['证照编号', 'string', '电子证照标识'], ['办件编号', 'string', '办件流水号'], ['评价等级', 'string', '非常满意至非常不满意'], ['工单编号', 'string', '热线工单编号']] },
  { area: '数据资源', code: '16', objects: ['数据共享交换', '公共数据开放', '数据目录', '数据质量', '数据资产'], audience: '各部门和数据使用方',
    items: [['资源代码', 'string', '信息资源代码'], ['接口编码', 'string', '共享接口编码'], ['调用次数', 'integer', '接口调用次数'], ['数据量', 'integer', '记录条数'], ['更新时间', 'datetime', '数据最近更新时间']] },
  { area: '农业农村', code: '17', objects: ['农产品质量安全', '高标准农田', '农村集体资产', '动物防疫', '农业补贴'], audience: '农业经营主体和农户',
    items: [['经营主体名称', 'string', '农业经营主体名称'], ['补贴金额', 'currency', '元'], ['地块编码', 'string', '承包地块编码'], ['检测结果', 'string', '农产品检测结论'], ['养殖数量', 'integer', '存栏数量']] },
];

const FUNCTIONS = ['登记', '审核', '审批', '业务经办', '监测预警', '统计分析', '综合管理', '信息查询', '监管', '档案管理', '在线服务', '数据采集', '调度指挥', '信用评价', '协同办理'];
const TYPES = ['系统', '管理系统', '信息系统', '服务平台', '管理平台', '子系统', '监管平台', '综合平台', '信息管理系统', '服务系统', '应用系统'];
const GOALS = [
  '实现业务全流程网上办理', '支撑跨部门数据共享和业务协同', '提升监管效能和决策水平', '实现数据统一汇聚和动态更新',
  '为领导决策提供数据支撑', '减少群众跑腿和重复提交材料', '实现全省（区、市）业务一网通办', '提高基层工作人员办事效率',
];
const VERBS = ['提供', '支撑', '实现', '承担'];
const PHASES = ['（一期）', '（二期）', '（三期）'];

/** Department keys of the synthetic organization tree (synthetic-portfolio.ts) → business areas. */
const AREAS_OF_KEY: Readonly<Record<string, readonly string[]>> = {
  police: ['公共安全'], edu: ['教育'], hrss: ['社会保障'], nr: ['自然资源'], env: ['生态环境'], transport: ['交通运输'],
  health: ['卫生健康'], market: ['市场监管'], civil: ['民政'], housing: ['住房城乡建设'], water: ['水利'], emergency: ['应急管理'],
  medical: ['医疗保障'], finance: ['财政'],
  mps: ['公共安全'], moe: ['教育'], mca: ['民政'], moj: ['政务服务'], mee: ['生态环境'], mohurd: ['住房城乡建设'], mot: ['交通运输'],
  mwr: ['水利'], moa: ['农业农村'], mofcom: ['市场监管'], nhc: ['卫生健康'], mem: ['应急管理'], gacc: ['市场监管', '财政'], sta: ['财政'],
  nbs: ['数据资源'], nhsa: ['医疗保障'], nfga: ['自然资源'], cnipa: ['市场监管'], nda: ['数据资源', '政务服务'],
  data: ['政务服务', '数据资源'],
};

/** The business areas of a synthetic unit, from its key (`p320000.hrss.ic`, `m.mps.ic`, `c320100.data`). */
export function areasOfUnit(key: string): readonly string[] {
  const parts = key.split('.');
  const dk = parts[parts.length - 1] === 'ic' ? parts[parts.length - 2]! : parts[parts.length - 1]!;
  return AREAS_OF_KEY[dk] ?? ['政务服务'];
}

/** A unit that owns systems, as the generator sees it (resolved by the caller). */
export interface SystemsUnit {
  id: string;
  /** Key of the synthetic organization (areasOfUnit). */
  key: string;
  /** Short name used as a place prefix (江苏省, 南京市, 公安部). */
  place: string;
  /** The 公安机关 code the unit's systems are filed with (six digits). */
  filingDivision: string;
  weight: number;
  /** Projects of the unit, for the resources' catalog (at least one). */
  projectIds: readonly string[];
}

export interface SystemsInput {
  units: readonly SystemsUnit[];
  /** Names already registered per owner (`${ownerId}|${name}`), so reruns stay unique. */
  nameTaken: (ownerId: string, name: string) => boolean;
  /** First 顺序码 of the resources' codes (unique across runs). */
  firstSerial: number;
  /** No system is created after this instant. */
  asOf: Date;
}

export interface SyntheticResource {
  project_id: string;
  code: string;
  name: string;
  classification_kind: 'department';
  base_category: null;
  provider_organization_id: string;
  format: 'database' | 'api' | 'file';
  update_cycle: 'realtime' | 'daily' | 'monthly' | 'irregular';
  sharing_type: 'unconditional' | 'conditional';
  sharing_basis: string | null;
  open_type: 'conditional' | 'none';
  open_basis: string | null;
  involves_secrets: boolean;
  data_items: Array<{ name: string; type: DataItemType; description: string }>;
}

/** One generated system, valid per systemProblems, with the resource it collects and the project link. */
export interface SyntheticSystem {
  input: GovernmentSystemInput;
  /** Index of the unit in `input.units`. */
  unit: number;
  createdAt: Date;
  updatedAt: Date;
  resource: SyntheticResource;
  /** The project of the resource, linked as the one that built the system (新建) or upgraded it. */
  project: { id: string; relation: 'new' | 'upgrade' };
  /** Whether this system restates another department's (a planted near-duplicate). */
  nearDuplicateOf: number | null;
}

/** Share of systems that restate another department's system with light edits. */
export const NEAR_DUPLICATE_SHARE = 0.05;
const DAY_MS = 86_400_000;
const FIRST_MS = Date.UTC(2012, 0, 1);

interface Core { areaIndex: number; object: string; functions: string[]; type: string; unit: number }

const areaIndexOf = new Map(AREAS.map((a, i) => [a.area, i]));

function purposeOf(rng: Rng, core: Core): string {
  const a = AREAS[core.areaIndex]!;
  const [f1, f2, f3] = core.functions;
  return `面向${a.audience}，${rng.pick(VERBS)}${core.object}${f1}、${f2}和${f3}等业务，${rng.pick(GOALS)}。`;
}

function pickFunctions(rng: Rng, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const f = rng.pick(FUNCTIONS);
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * Generates `count` systems. A name already taken in its owner's list is drawn again (then
 * given a phase, then a year), so names stay unique per owner however many runs add to one
 * database.
 */
export function* generateSystems(rng: Rng, input: SystemsInput, count: number): Generator<SyntheticSystem> {
  const units = input.units.filter((u) => u.projectIds.length > 0);
  if (units.length === 0) throw new Error('no units with projects to give systems to');
  const unitIndex = new Map(input.units.map((u, i) => [u.id, i]));
  const recent: Core[] = [];
  const asOf = input.asOf.getTime();
  for (let i = 0; i < count; i++) {
    const unit = rng.weighted(units, (u) => u.weight);
    const ui = unitIndex.get(unit.id)!;
    let core: Core;
    let nearDuplicateOf: number | null = null;
    const other = recent.length > 50 && rng.chance(NEAR_DUPLICATE_SHARE) ? recent[rng.int(0, recent.length - 1)]! : null;
    if (other && other.unit !== ui) {
      // Another department's system, restated: another type word, one function swapped, order changed.
      const functions = [...other.functions];
      functions[rng.int(0, 2)] = pickFunctions(rng, 1).find((f) => !functions.includes(f)) ?? functions[0]!;
      core = { areaIndex: other.areaIndex, object: other.object, functions: [functions[1]!, functions[0]!, functions[2]!], type: rng.pick(TYPES), unit: ui };
      nearDuplicateOf = other.unit;
    } else {
      const areas = areasOfUnit(unit.key);
      const areaName = rng.chance(0.15) ? rng.pick(AREAS).area : rng.pick(areas);
      const areaIndex = areaIndexOf.get(areaName)!;
      core = { areaIndex, object: rng.pick(AREAS[areaIndex]!.objects), functions: pickFunctions(rng, 3), type: rng.pick(TYPES), unit: ui };
    }
    if (recent.length < 2000) recent.push(core);
    else recent[rng.int(0, recent.length - 1)] = core;

    const area = AREAS[core.areaIndex]!;
    let name = '';
    for (let attempt = 0; ; attempt++) {
      const place = rng.chance(0.3) ? unit.place : '';
      const fn = core.functions[0]!;
      const base = `${place}${core.object}${fn}${fn.endsWith('管理') && core.type.startsWith('管理') ? core.type.slice(2) : core.type}`;
      name = attempt < 6 ? base : attempt < 9 ? `${base}${PHASES[attempt - 6]}` : `${base}（${attempt - 7}.0版）`;
      if (!input.nameTaken(unit.id, name)) break;
      if (attempt < 6) core = { ...core, functions: pickFunctions(rng, 3), type: rng.pick(TYPES) };
      if (attempt > 60) throw new Error(`no free system name for unit ${unit.id}`);
    }

    // 涉密 systems: 分级保护, on the 电子政务内网 or isolated; the others 等级保护 with a level.
    const secret = rng.chance(0.02);
    const networkType: NetworkType = secret
      ? (rng.chance(0.85) ? 'intranet' : 'isolated')
      : rng.weighted<readonly [NetworkType, number]>([['extranet', 70], ['internet', 15], ['intranet', 13], ['isolated', 2]], ([, w]) => w)[0];
    const status: SystemStatus = rng.weighted<readonly [SystemStatus, number]>([['operating', 74], ['under_construction', 13], ['retired', 13]], ([, w]) => w)[0];
    const level = secret ? null : rng.weighted<readonly [number, number]>([[1, 6], [2, 46], [3, 44], [4, 4]], ([, w]) => w)[0];
    const filed = level !== null && level >= 2 && (status !== 'under_construction' || rng.chance(0.4));
    const filingNumber = filed ? `${unit.filingDivision}${String(rng.int(0, 99_999)).padStart(5, '0')}${rng.chance(0.7) ? `-${String(rng.int(0, 99_999)).padStart(5, '0')}` : ''}` : null;
    const userCount = Math.round(Math.exp(Math.log(800) + 2 * rng.normal()));

    const createdMs = FIRST_MS + Math.floor(rng.next() * (asOf - FIRST_MS - DAY_MS));
    // Last edited at some instant between registration and `asOf`, not piled up at one instant:
    // the similarity index re-reads every row within OVERLAP_MS of the newest on each search.
    const updatedMs = createdMs + Math.floor(rng.next() * (asOf - 60_000 - createdMs));
    const projectId = rng.pick(unit.projectIds);
    const itemCount = rng.int(2, 5);
    const pool = [...area.items, ...COMMON_ITEMS];
    const items: SyntheticResource['data_items'] = [];
    while (items.length < itemCount) {
      const [n, type, description] = rng.pick(pool);
      if (!items.some((x) => x.name === n)) items.push({ name: n, type, description });
    }
    const conditional = rng.chance(0.6);
    const open = !secret && rng.chance(0.2);
    yield {
      input: {
        name, ownerOrganizationId: unit.id, purpose: purposeOf(rng, core), businessArea: area.area, networkType, involvesSecrets: secret,
        security: { scheme: secret ? 'classified' : 'mlps', mlpsLevel: level, filingNumber }, userCount: Math.min(userCount, 200_000_000),
        status, projects: [], resources: [],
      },
      unit: ui,
      createdAt: new Date(createdMs),
      updatedAt: new Date(Math.max(createdMs, updatedMs)),
      resource: {
        project_id: projectId,
        code: `3-${area.code}-${String(rng.int(1, 20)).padStart(3, '0')}/${input.firstSerial + i}`,
        name: `${core.object}${rng.pick(['信息', '业务数据', '登记信息', '基础数据'])}`,
        classification_kind: 'department', base_category: null, provider_organization_id: unit.id,
        format: rng.pick(['database', 'database', 'api', 'file'] as const),
        update_cycle: rng.pick(['realtime', 'daily', 'daily', 'monthly', 'irregular'] as const),
        sharing_type: conditional ? 'conditional' : 'unconditional',
        sharing_basis: conditional ? '依申请共享，仅用于履行法定职责' : null,
        open_type: open ? 'conditional' : 'none',
        open_basis: open ? '脱敏后依申请开放' : '涉及个人信息或商业秘密，不予开放',
        involves_secrets: secret,
        data_items: items,
      },
      project: { id: projectId, relation: rng.chance(0.6) ? 'new' : 'upgrade' },
      nearDuplicateOf,
    };
  }
}

/**
 * Descriptions of new projects as the wizard sends them to POST /api/v1/similarity/check (a
 * name, and the names of the systems it builds and of its indicators as contents), drawn from
 * the same vocabulary: the queries of bench/catalog.ts.
 */
export function syntheticProjectQueries(rng: Rng, places: readonly string[], count: number): Array<{ name: string; description: string }> {
  const out: Array<{ name: string; description: string }> = [];
  for (let i = 0; i < count; i++) {
    const area = rng.pick(AREAS);
    const object = rng.pick(area.objects);
    const [f1, f2] = pickFunctions(rng, 2);
    const place = rng.pick(places);
    const kind = rng.pick(['建设项目', '升级改造项目', '（二期）建设项目', '一体化平台建设项目']);
    out.push({
      name: `${place}${object}${f1}${rng.pick(['系统', '平台', '信息系统'])}${kind}`,
      description: [`${object}${f1}${rng.pick(TYPES)}`, `${object}${f2}${rng.pick(TYPES)}`, rng.pick(['业务网上办理率', '系统可用性', '数据共享调用量', '用户满意度'])].join('、'),
    });
  }
  return out;
}
