// The dashboard, risk-rating and funding-recommendation endpoints (src/http/routes/oversight.ts),
// with the types of their bodies. Through the shared client, so cookies, CSRF and problem+json
// errors behave as everywhere else.
import { download, request } from '../../api/client';

export interface Label {
  zh: string;
  en: string;
}

export const CHARTS = ['stage', 'department', 'year', 'region', 'investment', 'overdue', 'risk'] as const;
export type ChartName = (typeof CHARTS)[number];

export interface ChartPoint {
  key: string;
  label: Label;
  count: number;
  amount?: string;
  released?: string;
  spent?: string;
}

export interface ChartData {
  chart: ChartName;
  drill: keyof DrillFilter;
  points: ChartPoint[];
}

export interface DrillFilter {
  stage?: string;
  departmentId?: string;
  year?: string;
  region?: string;
  band?: string;
  overdueKind?: string;
  inConstruction?: string;
}

export const DRILL_KEYS: ReadonlyArray<keyof DrillFilter> = ['stage', 'departmentId', 'year', 'region', 'band', 'overdueKind', 'inConstruction'];

export interface DrillRow {
  id: string;
  code: string;
  name: string;
  unitName: string;
  departmentName: string;
  region: Label;
  stage: string;
  status: string;
  track: string;
  constructionStart: string;
  totalInvestment: string;
  inConstruction: boolean;
  band: 'green' | 'amber' | 'red' | null;
  overdueObligations: number;
  openRectifications: number;
}

export interface RiskReason {
  code: string;
  zh: string;
  en: string;
}

export interface RiskRating {
  scheduleVariance: string;
  costVariance: string;
  originalScheduleVariance: string;
  originalCostVariance: string;
  endMeasured: string;
  costMeasured: string;
  varianceLevel: number;
  band: 'green' | 'amber' | 'red';
  rebaselined: boolean;
  reasons: RiskReason[];
}

export interface RiskAssessment {
  id: string;
  assessedOn: string;
  projectedEnd: string;
  projectedCost: string;
  actualEnd: string | null;
  actualCost: string;
  plannedStart: string;
  plannedEnd: string;
  plannedCost: string;
  rebaselined: boolean;
  scheduleVariance: string;
  costVariance: string;
  originalScheduleVariance: string;
  originalCostVariance: string;
  overdueObligations: number;
  openRectifications: number;
  band: 'green' | 'amber' | 'red';
  reasons: RiskReason[];
  narrative: string;
  recordedByName: string;
  recordedAt: string;
}

export interface ProjectRisk {
  projectId: string;
  projectCode: string;
  projectName: string;
  today: string;
  rated: boolean;
  thresholds: Record<string, string>;
  planned: { plannedStart: string; plannedEnd: string; plannedCost: string; rebaselined: boolean };
  original: { plannedStart: string; plannedEnd: string; plannedCost: string };
  projected: { end: string; cost: string; assessedOn: string } | null;
  actual: { end: string | null; cost: string; finalAccounts: boolean };
  overdueObligations: number;
  openRectifications: number;
  rating: RiskRating;
  baselines: Array<{ id: string; plannedStart: string; plannedEnd: string; plannedCost: string; reason: string; recordedByName: string; recordedAt: string }>;
  history: RiskAssessment[];
}

export type Recommendation = 'prioritize' | 'normal' | 'reduce' | 'defer';

export interface FundingReason {
  code: string;
  points: number;
  zh: string;
  en: string;
}

export interface ProjectRecommendation {
  projectId: string;
  code: string;
  name: string;
  unitName: string;
  departmentId: string;
  departmentName: string;
  phase: 'construction' | 'operation';
  riskBand: string;
  score: number;
  recommendation: Recommendation;
  investment: Recommendation | 'notApplicable';
  operations: Recommendation | 'notApplicable';
  reasons: FundingReason[];
}

export interface DepartmentRecommendation {
  departmentId: string;
  departmentName: string;
  projects: number;
  meanScore: string;
  recommendation: Recommendation;
  counts: Record<Recommendation, number>;
  reasons: FundingReason[];
}

export interface FundingList<T> {
  forYear: number;
  counts: Record<Recommendation, number>;
  items: T[];
}

export interface FundingQuery {
  recommendation?: Recommendation;
  q?: string;
}

const id = encodeURIComponent;

export const oversightApi = {
  chart: (name: ChartName, signal?: AbortSignal) => request<ChartData>('GET', `/dashboard/charts/${name}`, signal ? { signal } : {}),
  exportChart: (name: ChartName) => download(`/dashboard/charts/${name}/export`, {}, `${name}.xlsx`),
  drill: (filter: DrillFilter, page: number, pageSize: number) =>
    request<{ items: DrillRow[]; total: number }>('GET', '/dashboard/projects', { query: { ...filter, page, pageSize } }),
  exportDrill: (filter: DrillFilter) => download('/dashboard/projects/export', { ...filter }, '项目清单.xlsx'),
  risk: (projectId: string) => request<ProjectRisk>('GET', `/projects/${id(projectId)}/risk`),
  assess: (projectId: string, body: { projectedEnd: string; projectedCost: string; narrative: string }) =>
    request<{ id: string; rating: RiskRating }>('POST', `/projects/${id(projectId)}/risk/assessments`, { body }),
  rebaseline: (projectId: string, body: { plannedStart: string; plannedEnd: string; plannedCost: string; reason: string }) =>
    request<{ id: string; rating: RiskRating }>('POST', `/projects/${id(projectId)}/risk/baselines`, { body }),
  fundingProjects: (query: FundingQuery) => request<FundingList<ProjectRecommendation>>('GET', '/funding-recommendations/projects', { query: { ...query } }),
  fundingDepartments: (query: FundingQuery) => request<FundingList<DepartmentRecommendation>>('GET', '/funding-recommendations/departments', { query: { ...query } }),
  exportFundingProjects: (query: FundingQuery) => download('/funding-recommendations/projects/export', { ...query }, 'funding-projects.xlsx'),
  exportFundingDepartments: (query: FundingQuery) => download('/funding-recommendations/departments/export', { ...query }, 'funding-departments.xlsx'),
};
