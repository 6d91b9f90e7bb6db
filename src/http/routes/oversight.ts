// 监督与统计 (issue 6 items 4, 6, 7; SPEC §8, §9): the dashboard's charts and the list behind each
// figure, every chart's data and every list as .xlsx; a project's risk rating with its history and
// re-baselines; next year's funding recommendations (第三十二条), for NDRC and MoF.
import { z } from 'zod';
import { FUNDING_RECOMMENDATION_NAMES, FUNDING_RECOMMENDATIONS } from '../../domain/funding.ts';
import { RISK_BANDS } from '../../domain/risk.ts';
import { OBLIGATION_KINDS } from '../../domain/obligations.ts';
import {
  dashboardChart, DASHBOARD_CHARTS, drillProjects, exportDrillProjects, type ChartPoint, type DrillRow,
} from '../../usecases/dashboard.ts';
import {
  departmentRecommendations, projectRecommendations, type DepartmentRecommendation, type ProjectRecommendation,
} from '../../usecases/funding-recommendations.ts';
import { getProjectRisk, rebaselineProject, recordRiskAssessment } from '../../usecases/risk-ratings.ts';
import { defineRoute } from '../route.ts';
import { sendXlsx } from '../xlsx.ts';
import { calendarDate, text, uuid } from './schemas.ts';

const amount = z.string().trim().regex(/^\d{1,13}(\.\d{1,2})?$/, 'an amount in 万元, at most two decimals');
const params = z.strictObject({ id: uuid });
const once = <T>(rows: T[]) => (async function* () { yield rows; })();

const drill = {
  stage: z.enum(['proposal', 'feasibilityStudy', 'preliminaryDesign', 'combinedStage', 'filing']).optional(),
  departmentId: uuid.optional().describe('the construction unit’s parent organization'),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('construction starts in'),
  region: z.string().regex(/^(\d{2}0000|central)$/).optional().describe('province code (GB/T 2260) or central'),
  band: z.enum(RISK_BANDS).optional(),
  overdueKind: z.enum(OBLIGATION_KINDS).optional().describe('has an overdue obligation of this kind'),
  inConstruction: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
};

const BAND_ZH: Record<string, string> = { green: '绿色', amber: '黄色', red: '红色' };
const CHART_TITLES: Record<string, string> = {
  stage: '项目分阶段统计', department: '项目分部门统计', year: '项目分年度统计', region: '项目分地区统计',
  investment: '批复、下达与支出投资', overdue: '逾期未履行义务', risk: '风险评级分布',
};
const rec = (r: string) => FUNDING_RECOMMENDATION_NAMES[r as keyof typeof FUNDING_RECOMMENDATION_NAMES]?.zh ?? r;
const fundingFilter = {
  recommendation: z.enum(FUNDING_RECOMMENDATIONS).optional(),
  q: z.string().trim().max(100).optional(),
};

export const oversightRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/dashboard/charts/:chart', access: 'project:read', tags: ['dashboard'],
    summary: '统计图表 / One dashboard chart over the projects the caller may read (SPEC §9)',
    params: z.strictObject({ chart: z.enum(DASHBOARD_CHARTS) }),
    handler: async ({ services, actor, params: p }) => dashboardChart(services, actor, p.chart),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/dashboard/charts/:chart/export', access: 'project:read', tags: ['dashboard'],
    summary: '导出图表数据 / Export a chart’s data (.xlsx)',
    params: z.strictObject({ chart: z.enum(DASHBOARD_CHARTS) }),
    handler: async ({ services, actor, params: p, reply }) => {
      const data = await dashboardChart(services, actor, p.chart);
      const investment = p.chart === 'investment';
      return sendXlsx<ChartPoint>(reply, `${CHART_TITLES[p.chart]}.xlsx`, CHART_TITLES[p.chart]!, [
        { header: '项目', width: 36, value: (r) => r.label.zh },
        { header: '代码', width: 38, value: (r) => r.key },
        { header: p.chart === 'overdue' ? '逾期事项数' : '项目数', width: 12, value: (r) => r.count },
        { header: investment ? '批复投资（万元）' : '总投资（万元）', width: 20, value: (r) => r.amount ?? null },
        ...(investment ? [
          { header: '下达投资（万元）', width: 20, value: (r: ChartPoint) => r.released ?? null },
          { header: '支出（万元）', width: 20, value: (r: ChartPoint) => r.spent ?? null },
        ] : []),
      ], once(data.points));
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/dashboard/projects', access: 'project:read', tags: ['dashboard'],
    summary: '图表下钻项目清单 / The projects behind a figure (drill-down), by code',
    query: z.strictObject({ ...drill, page: z.coerce.number().int().min(1).max(100_000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) }),
    handler: async ({ services, actor, query: { page, pageSize, ...f } }) => drillProjects(services, actor, f, page, pageSize),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/dashboard/projects/export', access: 'project:read', tags: ['dashboard'],
    summary: '导出下钻项目清单 / Export the projects behind a figure (.xlsx)', query: z.strictObject(drill),
    handler: async ({ services, actor, query, reply }) => sendXlsx<DrillRow>(reply, '项目清单.xlsx', '项目清单', [
      { header: '项目代码', width: 26, value: (r) => r.code },
      { header: '项目名称', width: 40, value: (r) => r.name },
      { header: '建设单位', width: 30, value: (r) => r.unitName },
      { header: '部门', width: 30, value: (r) => r.departmentName },
      { header: '地区', width: 12, value: (r) => r.region.zh },
      { header: '阶段', width: 16, value: (r) => r.stage },
      { header: '状态', width: 16, value: (r) => r.status },
      { header: '开工日期', width: 12, value: (r) => r.constructionStart },
      { header: '总投资（万元）', width: 16, value: (r) => r.totalInvestment },
      { header: '风险评级', width: 10, value: (r) => (r.band ? BAND_ZH[r.band] ?? r.band : null) },
      { header: '逾期义务', width: 10, value: (r) => r.overdueObligations },
      { header: '未完成整改', width: 10, value: (r) => r.openRectifications },
    ], exportDrillProjects(services, actor, query)),
  }),

  // Risk ratings (SPEC §8).
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/risk', access: 'project:read', tags: ['risk'],
    summary: '风险评级 / A project’s planned, projected and actual dates and costs, its rating now, re-baselines and history',
    params, handler: async ({ services, actor, params: p }) => getProjectRisk(services, actor, p.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/risk/assessments', access: 'construction:record', tags: ['risk'],
    summary: '填报预测 / Record the projected end date and cost with a narrative; rated and kept in the history',
    params,
    body: z.strictObject({
      projectedEnd: calendarDate.describe('预计完成日期'), projectedCost: amount.describe('预计总投资（万元）'), narrative: text(4000).describe('情况说明'),
    }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return recordRiskAssessment(services, actor, p.id, body);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/projects/:id/risk/baselines', access: 'construction:order', tags: ['risk'],
    summary: '重新设定基线 / Re-baseline (the original baseline’s variance stays on every rating, I-73)',
    params,
    body: z.strictObject({
      plannedStart: calendarDate, plannedEnd: calendarDate, plannedCost: amount.refine((v) => Number(v) > 0, 'positive'), reason: text(2000).describe('理由'),
    }),
    handler: async ({ services, actor, params: p, body, reply }) => {
      reply.code(201);
      return rebaselineProject(services, actor, p.id, body);
    },
  }),

  // 第三十二条 funding recommendations.
  defineRoute({
    method: 'GET', url: '/api/v1/funding-recommendations/projects', access: 'funding:read', tags: ['funding'],
    summary: '项目经费安排建议 / Next year’s investment and O&M recommendation per project, with reasons (第三十二条)',
    query: z.strictObject(fundingFilter),
    handler: async ({ services, actor, query }) => projectRecommendations(services, actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/funding-recommendations/departments', access: 'funding:read', tags: ['funding'],
    summary: '部门经费安排建议 / Next year’s recommendation per department, from its projects (第三十二条)',
    query: z.strictObject(fundingFilter),
    handler: async ({ services, actor, query }) => departmentRecommendations(services, actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/funding-recommendations/projects/export', access: 'funding:read', tags: ['funding'],
    summary: '导出项目经费安排建议 / Export the project recommendations (.xlsx)', query: z.strictObject(fundingFilter),
    handler: async ({ services, actor, query, reply }) => {
      const r = await projectRecommendations(services, actor, query);
      return sendXlsx<ProjectRecommendation>(reply, `${r.forYear}年度项目经费安排建议.xlsx`, '项目经费安排建议', [
        { header: '项目代码', width: 26, value: (x) => x.code },
        { header: '项目名称', width: 40, value: (x) => x.name },
        { header: '建设单位', width: 30, value: (x) => x.unitName },
        { header: '部门', width: 30, value: (x) => x.departmentName },
        { header: '得分', width: 8, value: (x) => x.score },
        { header: '建议', width: 10, value: (x) => rec(x.recommendation) },
        { header: `${r.forYear}年投资`, width: 12, value: (x) => rec(x.investment) },
        { header: `${r.forYear}年运维经费`, width: 12, value: (x) => rec(x.operations) },
        { header: '风险评级', width: 10, value: (x) => BAND_ZH[x.riskBand] ?? x.riskBand },
        { header: '理由', width: 80, value: (x) => x.reasons.map((y) => `${y.zh}（${y.points >= 0 ? '+' : ''}${y.points}）`).join('；') },
      ], once(r.items));
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/funding-recommendations/departments/export', access: 'funding:read', tags: ['funding'],
    summary: '导出部门经费安排建议 / Export the department recommendations (.xlsx)', query: z.strictObject(fundingFilter),
    handler: async ({ services, actor, query, reply }) => {
      const r = await departmentRecommendations(services, actor, query);
      return sendXlsx<DepartmentRecommendation>(reply, `${r.forYear}年度部门经费安排建议.xlsx`, '部门经费安排建议', [
        { header: '部门', width: 36, value: (x) => x.departmentName },
        { header: '项目数', width: 8, value: (x) => x.projects },
        { header: '平均得分', width: 10, value: (x) => x.meanScore },
        { header: '建议', width: 10, value: (x) => rec(x.recommendation) },
        { header: '理由', width: 80, value: (x) => x.reasons.map((y) => y.zh).join('；') },
      ], once(r.items));
    },
  }),
];
