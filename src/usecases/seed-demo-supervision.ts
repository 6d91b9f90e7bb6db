// The demo's 第三十条 supervision (and 第三十三条 accountability), written inside the demo seed's
// transaction through the same use cases as the API: a CAC finding with an open rectification
// order; an NDRC finding whose answer failed verification and was escalated to 通报批评 (a signed
// decision: the seed has no one to type a TOTP code, so it signs without the step-up); an
// accountability record against the unit; and a 第二十九条 资料调阅 by MoF for a performance
// evaluation, waiting for the unit's answer (its deadline from the rule setting).
import type { Tx } from '../db/database.ts';
import type { RoleCode } from '../domain/authz.ts';
import { addDays } from '../domain/worklist.ts';
import { shanghaiDate } from '../domain/plan.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import { createDocumentRequest } from './document-requests.ts';
import { answerRectification, decideEscalation, recordAccountability, recordFinding, verifyRectification } from './supervision.ts';

async function actorOf(trx: Tx, username: string): Promise<Actor> {
  const u = await trx.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
  const orgs = await trx.selectFrom('user_organizations').select('organization_id').where('user_id', '=', u.id).orderBy('organization_id').execute();
  const roles = await trx.selectFrom('user_roles').select(['role_code', 'custom_organization_ids']).where('user_id', '=', u.id).execute();
  return {
    userId: u.id, username: u.username, displayName: u.display_name, organizationIds: orgs.map((o) => o.organization_id),
    roles: roles.map((r) => ({ role: r.role_code as RoleCode, customOrganizationIds: r.custom_organization_ids })), sessionId: null, requestId: null, clientAddress: 'seed',
  };
}

/** The demo projects the findings are about (seeded by seed-demo-obligations.ts). */
export const DEMO_SUPERVISION_PROJECTS = {
  open: '人社部网上办事大厅适老化改造项目（演示，已备案）',
  criticised: '社会保障卡持卡人员基础信息库扩容项目（演示，已批复）',
} as const;

export async function seedDemoSupervision(services: Services, trx: Tx): Promise<void> {
  const today = shanghaiDate(services.now());
  const project = async (name: string) => (await trx.selectFrom('projects').select(['id', 'construction_unit_id']).where('name', '=', name).executeTakeFirstOrThrow());
  const cac = await actorOf(trx, 'cac');
  const ndrc = await actorOf(trx, 'ndrc');
  const preparer = await actorOf(trx, 'preparer');

  const open = await project(DEMO_SUPERVISION_PROJECTS.open);
  await recordFinding(services, cac, {
    projectId: open.id, category: 'cybersecurity', title: '未按期开展网络安全等级测评',
    description: '系统已上线运行，第三级系统本年度等级测评尚未开展，测评报告未报备。',
    requirements: '委托具备资质的测评机构开展等级测评。\n报送测评报告和问题整改情况。', dueOn: addDays(today, 30),
  }, trx);

  const criticised = await project(DEMO_SUPERVISION_PROJECTS.criticised);
  const order = await recordFinding(services, ndrc, {
    projectId: criticised.id, category: 'useOfFunds', title: '部分资金超概算用于办公设备购置',
    description: '抽查发现项目资金 35.60 万元用于概算外的办公设备购置，不符合批复的建设内容。',
    requirements: '退回违规使用的资金。\n报送整改报告和退款凭证。', dueOn: addDays(today, 15),
  }, trx);
  await answerRectification(services, preparer, order.id, { evidence: '已调整账务处理，相关设备转作项目运维使用。', materialIds: [] }, trx);
  await verifyRectification(services, ndrc, order.id, { result: 'failed', opinion: '违规资金未退回，调整账务不能代替整改。' }, trx);
  const criticism = await decideEscalation(services, ndrc, order.id, 'impose', {
    step: 'criticism', reason: '整改后仍不达标：违规使用的资金未退回。',
  }, { tx: trx });

  await recordAccountability(services, ndrc, {
    unitOrganizationId: criticised.construction_unit_id, projectId: criticised.id, findingId: criticism.findingId,
    subject: '项目财务负责人', violation: '管理不善，超出批复建设内容使用项目资金 35.60 万元。',
    basisArticle: '第三十三条', decision: '责令作出书面检查，予以批评教育。', decidedOn: today,
  }, trx);

  await createDocumentRequest(services, await actorOf(trx, 'mof'), {
    projectId: criticised.id, purpose: 'performanceEvaluation', title: '年度绩效评价资料调阅',
    items: ['项目年度投资计划执行情况及资金支付凭证', '绩效指标完成情况佐证材料', '试运行报告'],
  }, trx);
}
