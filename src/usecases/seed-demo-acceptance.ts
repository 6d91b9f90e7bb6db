// The demo's acceptance (第二十五条, 第二十六条): one approved and completed project of the demo
// ministry's information centre whose acceptance application is under way, written inside the
// demo seed's transaction. Its approval is recorded as the demo approver's signed decision (the
// seed has nobody to type a TOTP code, as for the 孤网 exception); its completion date is set
// directly (issue 5: the completion use case is another's); four of the five acceptance
// materials are uploaded as real files (the 密码应用安全性评估报告 is still missing, so the
// checklist shows what is owed). `npm start` and test/e2e/acceptance.test.ts both use it.
import { Readable } from 'node:stream';
import { canonicalJson } from '../audit/chain.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import { samplePdf } from '../domain/test-files.ts';
import type { MaterialCode } from '../domain/lifecycle.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { fileStoreFor } from '../storage/file-store.ts';
import type { Actor } from './actor.ts';
import { createProject, type ProjectInput } from './projects.ts';
import { signAsUser } from './signed-decisions.ts';

/** The demo project put into the completed state. */
export const DEMO_ACCEPTANCE_PROJECT = '人社公共服务电子档案系统建设项目（演示）';
/** 第二十五条: completed 2026-08-31, so the application is due 2027-02-28 (I-38). */
export const DEMO_COMPLETED_ON = '2026-08-31';
const UPLOADED: ReadonlyArray<[MaterialCode, string]> = [
  ['constructionSummary', '项目建设总结.pdf'], ['financialReport', '项目财务报告.pdf'], ['auditReport', '项目审计报告.pdf'],
  ['mlpsTestReport', '网络安全等级保护测评报告.pdf'],
];

export async function seedDemoAcceptance(services: Services, trx: Tx, ids: ReadonlyMap<string, string>, base: ProjectInput): Promise<void> {
  const user = async (username: string) => trx.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
  const preparer = await user('preparer');
  const approver = await user('approver');
  const unit = ids.get('mohrss_ic')!;
  const actor: Actor = {
    userId: preparer.id, username: preparer.username, displayName: preparer.display_name, organizationIds: [unit],
    roles: [{ role: 'preparer', customOrganizationIds: [] }], sessionId: null, requestId: null, clientAddress: 'seed',
  };
  const project = await createProject(services, actor, {
    ...base, name: DEMO_ACCEPTANCE_PROJECT, constructionStart: '2025-03-01', constructionEnd: '2026-08-31', totalInvestment: '2380.00',
    oAndMFunds: '190.00', systems: [{ name: '人社公共服务电子档案系统', action: 'new' }],
    performanceIndicators: [{
      indicator: '社保业务档案电子化率', category: 'output', unit: '%', baseline: '30',
      targets: [{ year: 2025, value: '70' }, { year: 2026, value: '95' }], direction: 'higher',
    }],
  }, trx);
  const now = services.now();
  const approvedAt = new Date('2025-02-20T02:00:00Z');
  // The approval of its 初步设计方案和投资概算, signed as takeAction signs it (lifecycle-actions.ts).
  const payload = canonicalJson({
    type: 'govproj.lifecycle-action.v1', projectId: project.id, projectCode: project.code, projectName: project.name,
    action: 'approve', from: { stage: 'preliminaryDesign', status: 'under_review' }, to: { stage: 'preliminaryDesign', status: 'approved' },
    totalInvestment: project.totalInvestment, oAndMFunds: project.oAndMFunds, materials: [],
    reasons: null, sharingOpinions: '按信息资源目录向人社系统各单位共享档案目录信息。', returnTo: null,
    actorId: approver.id, actorUsername: approver.username, role: 'approver', at: approvedAt.toISOString(),
  });
  const signed = await signAsUser(services, trx, approver.id, payload);
  const action = await trx.insertInto('project_actions').values({
    project_id: project.id, action: 'approve', from_stage: 'preliminaryDesign', from_status: 'under_review',
    to_stage: 'preliminaryDesign', to_status: 'approved', actor_id: approver.id, role: 'approver',
    payload, signature: signed.signature, public_key: signed.publicKey, created_at: approvedAt,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.updateTable('projects').set({ stage: 'preliminaryDesign', status: 'approved', version: project.version + 1, updated_at: now })
    .where('id', '=', project.id).execute();
  await appendAuditEvent(trx, {
    actor: { id: approver.id, username: approver.username, organizationId: ids.get('ndrc_hitech')!, role: 'approver' },
    action: 'project.approve', objectType: 'project', objectId: project.id, outcome: 'success', requestId: null, clientAddress: 'seed',
    diff: { before: { stage: 'preliminaryDesign', status: 'draft' }, after: { stage: 'preliminaryDesign', status: 'approved', actionId: action.id, signed: true } },
  });
  // 第十九条: the 监理单位 on record (required before completion is declared).
  await trx.insertInto('construction_records').values({
    project_id: project.id, implementing_agency: '人力资源和社会保障部信息中心档案信息化处', project_lead: '孙立新（信息中心副主任）',
    supervisor_name: '北京国信安达信息工程监理有限公司', supervisor_contract_no: 'JL-2025-DA-007', supervisor_contract_amount: '35.60',
    supervisor_contract_signed_on: '2025-03-10', build_model: 'outsourced', om_model: 'self',
    delivery_note: '系统开发外包，运维由信息中心运维处承担（已有同类系统运维团队）。', updated_by: preparer.id, updated_at: now,
  }).execute();
  // 第二十二条: completed (建成) on DEMO_COMPLETED_ON with its final accounts, as declareCompletion records
  // it (no investment was released on the platform, so no surplus is owed); acceptance opens (第二十五条).
  const completion = { completedOn: DEMO_COMPLETED_ON, finalAccountsAmount: '2296.45', surplusAmount: '0.00', surplusReturnedOn: null };
  await trx.insertInto('project_construction').values({ project_id: project.id, completed_on: DEMO_COMPLETED_ON, created_at: now, updated_at: now }).execute();
  await trx.insertInto('construction_completions').values({
    project_id: project.id, completed_on: completion.completedOn, final_accounts_amount: completion.finalAccountsAmount,
    surplus_amount: completion.surplusAmount, surplus_returned_on: completion.surplusReturnedOn, declared_by: preparer.id, declared_at: now,
  }).execute();
  await appendAuditEvent(trx, {
    actor: { id: preparer.id, username: preparer.username, organizationId: unit, role: 'preparer' },
    action: 'construction.complete', objectType: 'project', objectId: project.id, outcome: 'success', requestId: null, clientAddress: 'seed',
    diff: { before: { completedOn: null }, after: completion },
  });
  // 第十六条: what the acceptance reviews — secure products and the data-centre PUE on record, the
  // 密码应用方案 too; the 密评 is the one thing missing, as its report is on the checklist.
  const records: Array<{ kind: 'product' | 'energy' | 'cryptoPlan'; occurredOn: string; reference: string | null; details: Record<string, unknown> }> = [
    { kind: 'cryptoPlan', occurredOn: '2025-04-15', reference: null, details: { reviewed: true } },
    { kind: 'product', occurredOn: '2025-09-20', reference: 'AQKK-2025-0412', details: { product: '国产服务器（鲲鹏）', vendor: '某国产服务器企业', category: 'hardware' } },
    { kind: 'product', occurredOn: '2025-09-20', reference: 'AQKK-2025-0877', details: { product: '国产关系型数据库', vendor: '某国产数据库企业', category: 'software' } },
    { kind: 'energy', occurredOn: '2026-08-20', reference: null, details: { dataCentre: '人社部信息中心机房（扩容部分）', pue: '1.38' } },
  ];
  for (const r of records) {
    const row = await trx.insertInto('security_records').values({
      kind: r.kind, project_id: project.id, system_id: null, occurred_on: r.occurredOn, passed: null, reference: r.reference,
      details: JSON.stringify(r.details), resolved_on: null, resolution: null, resolved_by: null, recorded_by: preparer.id, role: 'preparer', created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: { id: preparer.id, username: preparer.username, organizationId: unit, role: 'preparer' },
      action: 'security.record', objectType: 'security_record', objectId: row.id, outcome: 'success', requestId: null, clientAddress: 'seed',
      diff: { after: { ...r, projectId: project.id } },
    });
  }
  const store = fileStoreFor(services.config);
  for (const [code, fileName] of UPLOADED) {
    const staged = await store.stage(Readable.from([samplePdf(code.length * 7)]), { maxBytes: services.config.uploadLimitBytes });
    await staged.commit();
    const row = await trx.insertInto('project_materials').values({
      project_id: project.id, stage: 'preliminaryDesign', material_code: code, version_no: 1, file_name: fileName,
      media_type: 'application/pdf', size_bytes: staged.size, sm3: staged.sm3, storage_key: staged.sm3, uploaded_by: preparer.id, uploaded_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: { id: preparer.id, username: preparer.username, organizationId: unit, role: 'preparer' },
      action: 'material.upload', objectType: 'project', objectId: project.id, outcome: 'success', requestId: null, clientAddress: 'seed',
      diff: { after: { materialId: row.id, stage: 'preliminaryDesign', materialCode: code, versionNo: 1, fileName, mediaType: 'application/pdf', sizeBytes: staged.size, sm3: staged.sm3 } },
    });
  }
}
