// 第三十二条: next year's investment and O&M funding recommendations for every project in construction
// or built, and for every department from its projects (docs/scoring-model.md), with every reason.
// Read by NDRC and MoF (funding:read), within their data scope. The inputs are read in one
// set-based statement; the scoring is the pure model of src/domain/funding.ts.
import { sql } from 'kysely';
import {
  FUNDING_RECOMMENDATION_NAMES, scoreDepartment, scoreProject, type DepartmentResult, type FundingRecommendation, type FundingResult,
  type PostEvaluationConclusion,
} from '../domain/funding.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { bandOfLevel, type RiskLevel } from '../domain/risk.ts';
import type { Services } from '../services.ts';
import { requireAccess, type Actor } from './actor.ts';
import { visible } from './projects.ts';
import { openRectificationsByProject, overdueObligationsByProject } from './risk-ratings.ts';

export interface ProjectRecommendation extends FundingResult {
  projectId: string;
  code: string;
  name: string;
  unitName: string;
  departmentId: string;
  departmentName: string;
  phase: 'construction' | 'operation';
  riskBand: string;
}

export interface DepartmentRecommendation extends DepartmentResult {
  departmentId: string;
  departmentName: string;
}

export interface FundingFilter {
  recommendation?: FundingRecommendation | undefined;
  q?: string | undefined;
}

/** Every project recommendation in the caller's scope (funding:read), by department then code. */
async function allProjects(services: Services, actor: Actor): Promise<ProjectRecommendation[]> {
  const scope = requireAccess(actor, 'funding:read');
  const today = shanghaiDate(services.now());
  const r = await sql<{
    id: string; code: string; name: string; unit_name: string; department_id: string; department_name: string; completed: boolean;
    year: number | null; indicators: number | null; met: number | null; conclusion: PostEvaluationConclusion | null;
    open: number | null; overdue_rect: number | null; level: number;
  }>`
    select p.id, p.code, p.name, u.name as unit_name, d.id as department_id, d.name as department_name,
      (pc.completed_on is not null) as completed, rep.year, rep.indicators, rep.met, pe.conclusion,
      rr.open, rr.overdue as overdue_rect,
      least(2, coalesce(rc.variance_level, 0) + (case when ob.n > 0 then 1 else 0 end) + (case when rr.open > 0 then 1 else 0 end)) as level
    from projects p
    join organizations u on u.id = p.construction_unit_id
    join organizations d on d.id = coalesce(u.parent_id, u.id)
    left join project_construction pc on pc.project_id = p.id
    left join lateral (
      select a.year, jsonb_array_length(a.indicator_actuals)::int as indicators,
        (select count(*)::int from jsonb_array_elements(a.indicator_actuals) e where e->>'met' = 'true') as met
      from annual_performance_reports a where a.project_id = p.id order by a.year desc limit 1) rep on true
    left join lateral (
      select x.conclusion from post_evaluations x where x.project_id = p.id and x.conclusion is not null order by x.seq desc limit 1) pe on true
    left join risk_current rc on rc.project_id = p.id
    left join ${overdueObligationsByProject()} ob on ob.project_id = p.id
    left join ${openRectificationsByProject(today)} rr on rr.project_id = p.id
    where ((p.track = 'approval' and p.status = 'approved') or (p.track = 'filing' and p.status = 'filed')) and ${visible(scope)}
    order by d.name, p.code`.execute(services.database.db);
  return r.rows.map((x) => {
    const phase = x.completed ? 'operation' as const : 'construction' as const;
    const riskBand = bandOfLevel(Number(x.level) as RiskLevel);
    const result = scoreProject({
      phase, report: x.year === null ? null : { year: x.year, indicators: x.indicators ?? 0, met: x.met ?? 0 },
      postEvaluation: x.conclusion, openRectifications: x.open ?? 0, overdueRectifications: x.overdue_rect ?? 0, riskBand,
    });
    return {
      ...result, projectId: x.id, code: x.code, name: x.name, unitName: x.unit_name, departmentId: x.department_id,
      departmentName: x.department_name, phase, riskBand,
    };
  });
}

function matches(f: FundingFilter, rec: FundingRecommendation, ...texts: string[]) {
  if (f.recommendation && rec !== f.recommendation) return false;
  if (f.q && !texts.some((t) => t.includes(f.q!))) return false;
  return true;
}

/** The project recommendations (filtered), with counts by recommendation and the plan year they are for. */
export async function projectRecommendations(services: Services, actor: Actor, f: FundingFilter) {
  const all = await allProjects(services, actor);
  const counts: Record<FundingRecommendation, number> = { prioritize: 0, normal: 0, reduce: 0, defer: 0 };
  for (const p of all) counts[p.recommendation] += 1;
  return { forYear: Number(shanghaiDate(services.now()).slice(0, 4)) + 1, counts, items: all.filter((p) => matches(f, p.recommendation, p.name, p.code, p.unitName, p.departmentName)) };
}

/** The department recommendations, each from its projects in the caller's scope. */
export async function departmentRecommendations(services: Services, actor: Actor, f: FundingFilter) {
  const all = await allProjects(services, actor);
  const by = new Map<string, ProjectRecommendation[]>();
  for (const p of all) by.set(p.departmentId, [...(by.get(p.departmentId) ?? []), p]);
  const items: DepartmentRecommendation[] = [];
  for (const [departmentId, projects] of by) {
    const d = scoreDepartment(projects)!;
    items.push({ ...d, departmentId, departmentName: projects[0]!.departmentName });
  }
  items.sort((a, b) => a.departmentName.localeCompare(b.departmentName, 'zh-CN') || a.departmentId.localeCompare(b.departmentId));
  const counts: Record<FundingRecommendation, number> = { prioritize: 0, normal: 0, reduce: 0, defer: 0 };
  for (const d of items) counts[d.recommendation] += 1;
  return { forYear: Number(shanghaiDate(services.now()).slice(0, 4)) + 1, counts, items: items.filter((d) => matches(f, d.recommendation, d.departmentName)) };
}

export const recommendationName = (r: FundingRecommendation | 'notApplicable') => FUNDING_RECOMMENDATION_NAMES[r].zh;
