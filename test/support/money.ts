// Projects in the states the money tests need (第二十二条–第二十四条), written straight into the
// database: the lifecycle that gets them there is tested in lifecycle-actions.test.ts.
import { sql } from 'kysely';
import { canonicalJson } from '../../src/audit/chain.ts';
import type { DemoApp } from './fixtures.ts';

type Auth = Record<string, string>;

/** A new project of the demo unit, routed to the demo department (or `approvalDepartment`). */
export async function newMoneyProject(demo: DemoApp, auth: Auth, name: string, totalInvestment: string, approvalDepartment = '国家发展和改革委员会创新和高技术发展司'): Promise<string> {
  const res = await demo.app.inject({
    method: 'POST', url: '/api/v1/projects', headers: auth,
    payload: {
      name, constructionUnitId: demo.org.get('人力资源和社会保障部信息中心'), approvalDepartmentId: demo.org.get(approvalDepartment),
      track: 'approval', kind: 'new', constructionStart: '2026-01-01', constructionEnd: '2027-12-31',
      totalInvestment, fundingChannel: 'central_budget', security: { scheme: 'mlps', mlpsLevel: 2 },
    },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id as string;
}

/** Moves a project to `stage.status`; for an approval, records the decision with its total (第七条). */
export async function setState(demo: DemoApp, projectId: string, stage: string, status: string): Promise<void> {
  const db = demo.t.database.db;
  await sql`update projects set stage = ${stage}, status = ${status} where id = ${projectId}`.execute(db);
  if (status === 'approved') {
    const p = await db.selectFrom('projects').select(['total_investment', 'code']).where('id', '=', projectId).executeTakeFirstOrThrow();
    const approver = await db.selectFrom('users').select('id').where('username', '=', 'approver').executeTakeFirstOrThrow();
    const totalInvestment = p.total_investment.replace(/0{4}$/, '');
    await db.insertInto('project_actions').values({
      project_id: projectId, action: 'approve', from_stage: stage, from_status: 'under_review', to_stage: stage, to_status: 'approved',
      actor_id: approver.id, role: 'approver', created_at: new Date(),
      payload: canonicalJson({ type: 'govproj.lifecycle-action.v1', projectId, action: 'approve', totalInvestment }),
    }).execute();
  }
}

/** How many rows the money tables and the audit log hold (nothing written means nothing changed). */
export async function moneyCounts(demo: DemoApp) {
  const r = await sql<Record<string, string>>`select
    (select count(*) from investment_releases) as releases, (select count(*) from investment_spending) as spending,
    (select count(*) from early_investments) as early, (select count(*) from project_adjustments) as adjustments,
    (select count(*) from audit_events where action like 'investment.%' or action like 'adjustment.%' or action like 'earlyInvestment.%') as events`
    .execute(demo.t.database.db);
  return r.rows[0]!;
}
