// The demo's project under construction (第二十二条–第二十四条), written inside the demo seed's
// transaction: an approved project (its 初设/概算 approval signed by the demo approver), an early
// investment approved before it, three investment releases, three payments and one self-filed
// adjustment, so the 投资与调整 tab has something to show. Rows are written here rather than through the use cases, which open their
// own transaction; each carries the audit event the use case would write.
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent, type AuditActor } from '../audit/writer.ts';
import { evaluateAdjustment } from '../domain/adjustments.ts';
import { formatWan, parseWan } from '../domain/money.ts';
import { RULES } from '../domain/rules.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import { createProject, type ProjectInput } from './projects.ts';
import { signAsUser } from './signed-decisions.ts';

export const DEMO_CONSTRUCTION_PROJECT = '全国技能人才评价监管系统建设项目（演示）';

export async function seedDemoInvestment(services: Services, trx: Tx, ids: ReadonlyMap<string, string>, base: ProjectInput, preparer: Actor): Promise<void> {
  const now = services.now();
  const total = '3000.00';
  const project = await createProject(services, preparer, {
    ...base, name: DEMO_CONSTRUCTION_PROJECT, totalInvestment: total, oAndMFunds: '180.00', constructionStart: '2026-01-01', constructionEnd: '2027-06-30',
    systems: [{ name: '技能人才评价监管系统', action: 'new' }],
    performanceIndicators: [{ indicator: '职业技能等级证书联网核验率', category: 'output', unit: '%', baseline: '40', targets: [{ year: 2026, value: '85' }, { year: 2027, value: '100' }], direction: 'higher' }],
  }, trx);
  const approver = await trx.selectFrom('users').select(['id', 'username']).where('username', '=', 'approver').executeTakeFirstOrThrow();
  const approverAudit: AuditActor = { id: approver.id, username: approver.username, organizationId: ids.get('ndrc_hitech')!, role: 'approver' };
  const preparerAudit: AuditActor = { id: preparer.userId, username: preparer.username, organizationId: preparer.organizationIds[0]!, role: 'preparer' };
  // 第七条: the 初设/概算 approval, signed by the demo approver over the same payload shape as a real one.
  const payload = canonicalJson({
    type: 'govproj.lifecycle-action.v1', projectId: project.id, projectCode: project.code, projectName: project.name, action: 'approve',
    from: { stage: 'preliminaryDesign', status: 'under_review' }, to: { stage: 'preliminaryDesign', status: 'approved' },
    totalInvestment: total, oAndMFunds: '180.00', materials: [], reasons: null,
    sharingOpinions: '同意信息资源共享分析，评价结果数据按目录向人社、教育部门共享。', returnTo: null,
    actorId: approver.id, actorUsername: approver.username, role: 'approver', at: now.toISOString(),
  });
  const signed = await signAsUser(services, trx, approver.id, payload);
  await trx.insertInto('project_actions').values({
    project_id: project.id, action: 'approve', from_stage: 'preliminaryDesign', from_status: 'under_review', to_stage: 'preliminaryDesign',
    to_status: 'approved', actor_id: approver.id, role: 'approver', payload, signature: signed.signature, public_key: signed.publicKey, created_at: now,
  }).execute();
  await trx.updateTable('projects').set({ stage: 'preliminaryDesign', status: 'approved', version: project.version + 1, updated_at: now })
    .where('id', '=', project.id).execute();
  await appendAuditEvent(trx, {
    actor: approverAudit, action: 'project.approve', objectType: 'project', objectId: project.id, outcome: 'success',
    diff: { after: { stage: 'preliminaryDesign', status: 'approved', demo: true } }, requestId: null, clientAddress: 'seed',
  });
  await trx.insertInto('project_construction').values({ project_id: project.id, created_at: now, updated_at: now }).execute();

  // 第二十四条: before the 概算 approval, an early investment for needs analysis and the 可研/初设
  // preparation, approved by the department (signed) and released.
  const earlyLines = [{ purpose: 'requirementsAnalysis', amount: '30.00' }, { purpose: 'feasibilityAndDesignPreparation', amount: '50.00' }];
  const early = await trx.insertInto('early_investments').values({
    project_id: project.id, lines: JSON.stringify(earlyLines), total: '80.00', status: 'pending',
    justification: '为确保 2026 年开工，需提前开展业务需求调研和初步设计编制。', applied_by: preparer.userId, applied_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  const earlyOpinion = '同意提前安排投资 80.00 万元，用于需求分析和编制可研、初设。';
  const earlyPayload = canonicalJson({
    type: 'govproj.early-investment-decision.v1', projectId: project.id, projectCode: project.code, projectName: project.name,
    earlyInvestmentId: early.id, lines: earlyLines, total: '80.00', outcome: 'approved', opinion: earlyOpinion,
    actorId: approver.id, actorUsername: approver.username, role: 'approver', at: now.toISOString(),
  });
  const earlySigned = await signAsUser(services, trx, approver.id, earlyPayload);
  await trx.updateTable('early_investments').set({
    status: 'approved', decided_by: approver.id, decided_at: now, opinion: earlyOpinion, decision_payload: earlyPayload,
    signature: earlySigned.signature, public_key: earlySigned.publicKey,
  }).where('id', '=', early.id).execute();
  await appendAuditEvent(trx, {
    actor: preparerAudit, action: 'earlyInvestment.apply', objectType: 'project', objectId: project.id, outcome: 'success',
    diff: { after: { earlyInvestmentId: early.id, total: '80.00', demo: true } }, requestId: null, clientAddress: 'seed',
  });
  await appendAuditEvent(trx, {
    actor: approverAudit, action: 'earlyInvestment.approve', objectType: 'project', objectId: project.id, outcome: 'success',
    diff: { after: { earlyInvestmentId: early.id, status: 'approved', signed: true, demo: true } }, requestId: null, clientAddress: 'seed',
  });

  const releases = [
    { plan_year: 2025, amount: '80.00', source: 'central_budget' as const, document_no: '发改投资〔2025〕1630号', released_on: '2025-11-10', early_investment_id: early.id },
    { plan_year: 2026, amount: '1200.00', source: 'central_budget' as const, document_no: '发改投资〔2026〕218号', released_on: '2026-03-20', early_investment_id: null },
    { plan_year: 2026, amount: '600.00', source: 'central_fiscal' as const, document_no: '发改投资〔2026〕745号', released_on: '2026-08-15', early_investment_id: null },
  ];
  for (const r of releases) {
    await trx.insertInto('investment_releases').values({ ...r, project_id: project.id, note: null, released_by: approver.id, role: 'approver', created_at: now }).execute();
    await appendAuditEvent(trx, {
      actor: approverAudit, action: 'investment.release', objectType: 'project', objectId: project.id, outcome: 'success',
      diff: { after: { ...r, demo: true } }, requestId: null, clientAddress: 'seed',
    });
  }
  const spending = [
    { spent_on: '2026-04-28', amount: '420.00', payee: '北京中软国际信息技术有限公司', purpose: '应用系统开发（首期款）' },
    { spent_on: '2026-06-30', amount: '386.50', payee: '浪潮电子信息产业股份有限公司', purpose: '服务器及存储设备采购' },
    { spent_on: '2026-09-18', amount: '95.00', payee: '北京国信安达信息工程监理有限公司', purpose: '工程监理费' },
  ];
  for (const s of spending) {
    await trx.insertInto('investment_spending').values({ ...s, project_id: project.id, recorded_by: preparer.userId, created_at: now }).execute();
    await appendAuditEvent(trx, {
      actor: preparerAudit, action: 'investment.spend', objectType: 'project', objectId: project.id, outcome: 'success',
      diff: { after: { ...s, demo: true } }, requestId: null, clientAddress: 'seed',
    });
  }
  // 第二十三条: one self-filed adjustment (5%), judged by the same rule with the default threshold.
  const lines = [{ content: '移动端评价结果查询功能', change: '150.00' }, { content: '线下考点视频监控设备', change: '-150.00' }];
  const threshold = String(RULES['adjustment.thresholdPercent'].defaultValue);
  const d = evaluateAdjustment({ approvedTotalFen: parseWan(total)!, currentTotalFen: parseWan(total)!, priorAmountsFen: [] },
    { lines: lines.map((l) => ({ content: l.content, changeFen: parseWan(l.change)! })), reason: 'businessNeeds', goalsUnchanged: true }, threshold);
  const f = d.figures!;
  if (d.route !== 'selfFile') throw new Error('the demo adjustment should self-file');
  await trx.insertInto('project_adjustments').values({
    project_id: project.id, lines: JSON.stringify(lines), reason: 'businessNeeds', goals_unchanged: true,
    description: '按照业务发展需要，增加移动端评价结果查询，相应压减线下考点视频监控设备投资，总投资不变。',
    amount: formatWan(f.amountFen), approved_total: total, prior_cumulative: '0', cumulative: formatWan(f.cumulativeFen), total_before: total,
    total_after: formatWan(f.totalAfterFen), share_percent: f.sharePercent, threshold_percent: f.thresholdPercent,
    threshold_source: JSON.stringify({ kind: 'default' }), route: 'selfFile', reapproval_reasons: '[]', status: 'filed',
    created_by: preparer.userId, created_at: now,
  }).execute();
  await appendAuditEvent(trx, {
    actor: preparerAudit, action: 'adjustment.selfFile', objectType: 'project', objectId: project.id, outcome: 'success',
    diff: { after: { amount: formatWan(f.amountFen), sharePercent: f.sharePercent, thresholdPercent: f.thresholdPercent, demo: true } },
    requestId: null, clientAddress: 'seed',
  });
}
