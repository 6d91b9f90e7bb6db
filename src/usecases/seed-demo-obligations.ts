// Demo data for the deadline engine (第二十条, 第二十五条, 第二十七条): four projects of the demo unit
// approved or filed before the platform went live (their history is not on the platform, so they
// are registered and set to their final state directly), with construction dates relative to
// today — one completed five months and ten days ago (its acceptance application due soon), one
// completed eight months ago and not yet accepted (overdue), one accepted and in operation eleven
// and a half months ago (its self-evaluation window opens within a month), one accepted and in
// operation thirteen months ago (its window is open: the self-evaluation and the third-party
// post-evaluation can be walked through) — then the sweep fills the 履约日历 and raises today's
// reminders.
import { addMonths } from '../domain/deadlines.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { addDays } from '../domain/worklist.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import { sweepAllIn } from './obligations.ts';
import { createProject, type ProjectInput } from './projects.ts';

/** Accepted and in operation 13 months ago: its self-evaluation window (第二十七条) is open. */
export const DEMO_SELF_EVALUATION_PROJECT = '劳动保障监察信息系统升级项目（演示，已验收）';

export async function seedDemoObligations(services: Services, trx: Tx, ids: Map<string, string>): Promise<void> {
  const now = services.now();
  const today = shanghaiDate(now);
  const preparer = await trx.selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow();
  const unit = ids.get('mohrss_ic')!;
  const actor: Actor = {
    userId: preparer.id, username: 'preparer', displayName: '刘洋', organizationIds: [unit],
    roles: [{ role: 'preparer', customOrganizationIds: [] }], sessionId: null, requestId: null, clientAddress: 'seed',
  };
  const base: ProjectInput = {
    name: '', constructionUnitId: unit, approvalDepartmentId: ids.get('ndrc_hitech')!, track: 'approval', kind: 'new',
    planTaskId: null, involvesSecrets: false, crossDepartment: null, constructionStart: addMonths(today, -30), constructionEnd: addMonths(today, -5),
    totalInvestment: '2380.00', oAndMFunds: '150.00', fundingChannel: 'central_budget', performanceIndicators: [], systems: [],
    security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'approved', cryptoAssessment: 'passed' },
    newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
  };
  const plans = [
    { input: { ...base, name: '社会保障卡持卡人员基础信息库扩容项目（演示，已批复）' },
      completedOn: addDays(addMonths(today, -5), -10), acceptedOn: null, inOperationOn: null },
    { input: { ...base, name: '人社部网上办事大厅适老化改造项目（演示，已备案）', track: 'filing' as const, kind: 'rebuild' as const, totalInvestment: '460.00',
      constructionStart: addMonths(today, -20), constructionEnd: addMonths(today, -8) },
      completedOn: addMonths(today, -8), acceptedOn: null, inOperationOn: null },
    { input: { ...base, name: '金保工程业务专网安全加固项目（演示，已批复）', constructionStart: addMonths(today, -36), constructionEnd: addMonths(today, -13) },
      completedOn: addMonths(today, -13), acceptedOn: addDays(addMonths(today, -12), 15), inOperationOn: addDays(addMonths(today, -12), 15) },
    { input: { ...base, name: DEMO_SELF_EVALUATION_PROJECT, totalInvestment: '1260.00', constructionStart: addMonths(today, -40), constructionEnd: addMonths(today, -15) },
      completedOn: addMonths(today, -15), acceptedOn: addMonths(today, -13), inOperationOn: addMonths(today, -13) },
  ];
  for (const plan of plans) {
    const project = await createProject(services, actor, plan.input, trx);
    const final = plan.input.track === 'filing' ? { stage: 'filing', status: 'filed' } : { stage: 'preliminaryDesign', status: 'approved' };
    await trx.updateTable('projects').set(final).where('id', '=', project.id).execute();
    await trx.insertInto('project_construction').values({
      project_id: project.id, completed_on: plan.completedOn, accepted_on: plan.acceptedOn, in_operation_on: plan.inOperationOn, created_at: now, updated_at: now,
    }).execute();
  }
  await sweepAllIn(trx, services);
}
