// Demo data for the dashboards, risk ratings and funding recommendations (issue 6 items 4, 6, 7):
// twelve more projects of the demo's central and provincial units at every stage, so the charts by
// stage, department, year and region have something to show; the eight in construction with
// investment released and spent, annual performance reports, and ratings — green, amber and red,
// each with an earlier rating three months ago for the history, and one re-baselined project whose
// original variance stays red on the record (I-73). Registered before the platform went live, so
// set to their state directly, as the obligations demo does.
import { addMonths } from '../domain/deadlines.ts';
import { shanghaiDate } from '../domain/plan.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import { createProject, type ProjectInput } from './projects.ts';
import { rebaselineProjectIn, recordRiskAssessmentIn } from './risk-ratings.ts';

interface DemoRiskProject {
  name: string;
  unit: string;
  track: 'approval' | 'filing';
  state: { stage: string; status: string };
  /** Months from today. */
  start: number;
  end: number;
  total: string;
  /** In construction: share released and spent (percent of total), and the projections (earlier, now). */
  money?: { released: number; spent: number };
  projections?: Array<{ monthsAgo: number; endMonths: number; cost: string; narrative: string }>;
  report?: { met: number; of: number };
  rebaseline?: { endMonths: number; cost: string; reason: string };
}

const APPROVED = { stage: 'preliminaryDesign', status: 'approved' };
const FILED = { stage: 'filing', status: 'filed' };

const PROJECTS: DemoRiskProject[] = [
  { name: '国土空间基础信息平台二期工程（演示）', unit: 'mnr_ic', track: 'approval', state: APPROVED, start: -14, end: 10, total: '5600.00',
    money: { released: 60, spent: 48 }, report: { met: 3, of: 4 },
    projections: [
      { monthsAgo: 3, endMonths: 10, cost: '5750.00', narrative: '按计划推进，采购价格略有上浮' },
      { monthsAgo: 0, endMonths: 12, cost: '6300.00', narrative: '三维数据生产量增加，预计投资超概算 12.5%，工期顺延两个月' },
    ] },
  { name: '不动产登记信息管理基础平台升级项目（演示）', unit: 'mnr_ic', track: 'approval', state: APPROVED, start: -20, end: 4, total: '3200.00',
    money: { released: 80, spent: 71 }, report: { met: 1, of: 3 },
    projections: [
      { monthsAgo: 3, endMonths: 7, cost: '3300.00', narrative: '数据迁移进度滞后三个月' },
      { monthsAgo: 0, endMonths: 12, cost: '3350.00', narrative: '历史数据质量问题严重，数据迁移预计再延期五个月' },
    ] },
  { name: '全国信用信息公示系统升级改造项目（演示）', unit: 'samr_ic', track: 'approval', state: APPROVED, start: -10, end: 14, total: '2750.00',
    money: { released: 45, spent: 30 }, report: { met: 4, of: 4 },
    projections: [{ monthsAgo: 0, endMonths: 14, cost: '2750.00', narrative: '各项工作按计划推进' }] },
  { name: '智慧市场监管移动执法系统（演示，已备案）', unit: 'samr_ic', track: 'filing', state: FILED, start: -6, end: 6, total: '480.00',
    money: { released: 50, spent: 35 },
    projections: [{ monthsAgo: 0, endMonths: 6, cost: '530.00', narrative: '新增执法终端适配，预计增加投资 50 万元' }] },
  { name: '江苏省一体化政务大数据平台（演示）', unit: 'js_data', track: 'approval', state: APPROVED, start: -18, end: 6, total: '8900.00',
    money: { released: 75, spent: 66 }, report: { met: 5, of: 6 },
    projections: [
      { monthsAgo: 3, endMonths: 9, cost: '10200.00', narrative: '省级节点扩容，投资预计增加' },
      { monthsAgo: 0, endMonths: 12, cost: '12000.00', narrative: '接入设区市节点增至十三个，投资和工期均超出原计划' },
    ],
    rebaseline: { endMonths: 12, cost: '12000.00', reason: '经省政府同意扩大建设范围，按调整后的概算和工期重新设定基线' } },
  { name: '四川省政务服务一网通办能力提升工程（演示）', unit: 'sc_data', track: 'approval', state: APPROVED, start: -12, end: 12, total: '4100.00',
    money: { released: 50, spent: 41 }, report: { met: 2, of: 2 },
    projections: [{ monthsAgo: 0, endMonths: 12, cost: '4050.00', narrative: '按计划推进，集中采购节约部分投资' }] },
  { name: '四川省公共数据开放平台（演示，已备案）', unit: 'sc_data', track: 'filing', state: FILED, start: -4, end: 8, total: '390.00',
    money: { released: 40, spent: 20 },
    projections: [{ monthsAgo: 0, endMonths: 8, cost: '395.00', narrative: '按计划推进' }] },
  { name: '就业信息监测分析平台（演示）', unit: 'mohrss_ic', track: 'approval', state: APPROVED, start: -8, end: 16, total: '1900.00',
    money: { released: 50, spent: 44 }, report: { met: 1, of: 4 },
    projections: [
      { monthsAgo: 3, endMonths: 16, cost: '2200.00', narrative: '模型算力需求增加' },
      { monthsAgo: 0, endMonths: 18, cost: '2700.00', narrative: '大模型算力租赁费用上涨，预计超概算 42%' },
    ] },
  { name: '实景三维中国数据服务系统（演示）', unit: 'mnr_ic', track: 'approval', state: { stage: 'proposal', status: 'under_review' }, start: 3, end: 27, total: '7600.00' },
  { name: '食品安全追溯协同平台（演示）', unit: 'samr_ic', track: 'approval', state: { stage: 'feasibilityStudy', status: 'under_review' }, start: 4, end: 22, total: '2300.00' },
  { name: '江苏省数字档案馆集约化建设项目（演示）', unit: 'js_data', track: 'approval', state: { stage: 'proposal', status: 'draft' }, start: 6, end: 30, total: '1650.00' },
  { name: '四川省应急指挥一张图项目（演示）', unit: 'sc_data', track: 'approval', state: { stage: 'preliminaryDesign', status: 'under_review' }, start: 2, end: 20, total: '3380.00' },
];

/** 万元 × percent / 100, to the fen (the demo's shares are whole percents of two-place amounts). */
function share(total: string, percent: number): string {
  const fen = BigInt(total.replace('.', '')) * BigInt(percent);
  const s = (fen / 100n).toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

export async function seedDemoRisk(services: Services, trx: Tx, ids: Map<string, string>): Promise<void> {
  const now = services.now();
  const today = shanghaiDate(now);
  const user = async (username: string) => (await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const preparerId = await user('preparer');
  const approverId = await user('approver');
  const department = ids.get('ndrc_hitech')!;
  const approver: Actor = {
    userId: approverId, username: 'approver', displayName: '赵敏', organizationIds: [department],
    roles: [{ role: 'approver', customOrganizationIds: [department] }], sessionId: null, requestId: null, clientAddress: 'seed',
  };
  for (const p of PROJECTS) {
    const unit = ids.get(p.unit)!;
    // The unit's preparer, as it registered the project before the platform went live.
    const actor: Actor = {
      userId: preparerId, username: 'preparer', displayName: '刘洋', organizationIds: [unit],
      roles: [{ role: 'preparer', customOrganizationIds: [] }], sessionId: null, requestId: null, clientAddress: 'seed',
    };
    const input: ProjectInput = {
      name: p.name, constructionUnitId: unit, approvalDepartmentId: department, track: p.track, kind: 'new', planTaskId: null,
      involvesSecrets: false, crossDepartment: null, constructionStart: addMonths(today, p.start), constructionEnd: addMonths(today, p.end),
      totalInvestment: p.total, oAndMFunds: '0.00', fundingChannel: p.unit.startsWith('js') || p.unit.startsWith('sc') ? 'local_fiscal' : 'central_budget',
      performanceIndicators: [], systems: [], security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'approved', cryptoAssessment: 'planned' },
      newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
    };
    const project = await createProject(services, actor, input, trx);
    await trx.updateTable('projects').set(p.state).where('id', '=', project.id).execute();
    if (!p.money) continue;
    const startYear = Number(input.constructionStart.slice(0, 4));
    const released = share(p.total, p.money.released);
    await trx.insertInto('investment_releases').values({
      project_id: project.id, plan_year: startYear, amount: released, source: input.fundingChannel, document_no: `发改投资〔${startYear}〕${100 + PROJECTS.indexOf(p)}号`,
      released_on: input.constructionStart, early_investment_id: null, note: null, released_by: approverId, role: 'approver', created_at: now,
    }).execute();
    await trx.insertInto('investment_spending').values({
      project_id: project.id, spent_on: addMonths(input.constructionStart, 2) < today ? addMonths(input.constructionStart, 2) : today,
      amount: share(p.total, p.money.spent), payee: '某信息技术有限公司', purpose: '系统开发与集成', recorded_by: preparerId, created_at: now,
    }).execute();
    if (p.report) {
      const year = Number(today.slice(0, 4)) - 1;
      const indicators = Array.from({ length: p.report.of }, (_, i) => ({
        indicator: ['业务办理时长压减率', '数据共享接口调用量', '系统可用率', '用户满意度', '数据更新及时率', '跨部门协同事项数'][i % 6],
        unit: '%', direction: 'atLeast', target: '90', actual: i < p.report!.met ? '95' : '70', met: i < p.report!.met,
      }));
      await trx.insertInto('annual_performance_reports').values({
        project_id: project.id, year, due_on: `${year}-12-31`, progress: '按年度计划推进建设', investment_execution: '投资按计划执行',
        planned_investment: share(p.total, 40), completed_investment: share(p.total, 35), indicator_actuals: JSON.stringify(indicators),
        trial_operation: false, trial_effects: null, problems: p.report.met < p.report.of ? '部分绩效指标未达成' : null,
        submitted_on: `${year}-12-20`, submitted_by: preparerId, submitted_at: new Date(`${year}-12-20T02:00:00Z`),
      }).execute();
    }
    const unitActor: Actor = { ...actor, roles: [{ role: 'preparer', customOrganizationIds: [] }] };
    for (const x of p.projections ?? []) {
      const at = x.monthsAgo === 0 ? now : new Date(`${addMonths(today, -x.monthsAgo)}T02:00:00Z`);
      await recordRiskAssessmentIn(trx, unitActor, project.id, { projectedEnd: addMonths(today, x.endMonths), projectedCost: x.cost, narrative: x.narrative }, at);
    }
    if (p.rebaseline) {
      await rebaselineProjectIn(trx, approver, project.id, {
        plannedStart: input.constructionStart, plannedEnd: addMonths(today, p.rebaseline.endMonths), plannedCost: p.rebaseline.cost, reason: p.rebaseline.reason,
      }, now);
    }
  }
}
