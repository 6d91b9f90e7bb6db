// The demo's construction phase (第十三条, 第十九条–第二十二条): one filing project taken through the
// real use cases — materials uploaded, submitted by the preparer, filed by NDRC with a TOTP code
// and an SM2 signature — and then given what a unit records while it builds: the implementing
// agency, lead and 监理单位, two procurements (one 涉密), their contracts, this year's annual
// performance report, a reported delay and the approval department's signed rectification order.
// Runs after the demo seed has committed (each use case opens its own transaction).
import { Readable } from 'node:stream';
import { base32Decode, totpAt } from '../crypto/index.ts';
import type { RoleCode } from '../domain/authz.ts';
import { DEMO_CATALOG } from '../domain/demo-catalog.ts';
import { FILING_CONTENTS, type MaterialCode } from '../domain/lifecycle.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { addDays } from '../domain/worklist.ts';
import { samplePdf } from '../domain/test-files.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import {
  addContract, addProcurement, orderOnProject, reportProblem, submitAnnualReport, updateRecord,
} from './construction-records.ts';
import { takeAction } from './lifecycle-actions.ts';
import { uploadMaterial } from './materials.ts';
import { createProject } from './projects.ts';
import { createResource } from './resource-catalog.ts';

export const DEMO_CONSTRUCTION_PROJECT = '社会保障卡居民服务“一卡通”平台建设项目（演示）';

async function actorOf(services: Services, username: string): Promise<Actor> {
  const db = services.database.db;
  const user = await db.selectFrom('users').select(['id', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
  const orgs = await db.selectFrom('user_organizations').select('organization_id').where('user_id', '=', user.id).execute();
  const roles = await db.selectFrom('user_roles').select(['role_code', 'custom_organization_ids']).where('user_id', '=', user.id).execute();
  return {
    userId: user.id, username, displayName: user.display_name, organizationIds: orgs.map((o) => o.organization_id),
    roles: roles.map((r) => ({ role: r.role_code as RoleCode, customOrganizationIds: r.custom_organization_ids })),
    sessionId: null, requestId: null, clientAddress: 'seed',
  };
}


export async function seedDemoConstruction(services: Services, totpSecret: string): Promise<void> {
  const db = services.database.db;
  const org = async (name: string) => (await db.selectFrom('organizations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const preparer = await actorOf(services, 'preparer');
  const ndrc = await actorOf(services, 'ndrc');
  const approver = await actorOf(services, 'approver');
  // The previous 30-second period's code (within the accepted drift): the seed then leaves each
  // signer's replay counter one period back, so the demo users can sign in with the current code
  // right after start-up.
  const totp = () => totpAt(base32Decode(totpSecret), Math.floor(services.now().getTime() / 1000) - 30);
  const today = shanghaiDate(services.now());
  const year = Number(today.slice(0, 4));

  const unit = await org('人力资源和社会保障部信息中心');
  const project = await createProject(services, preparer, {
    name: DEMO_CONSTRUCTION_PROJECT, constructionUnitId: unit, approvalDepartmentId: await org('国家发展和改革委员会创新和高技术发展司'),
    track: 'filing', kind: 'new', planTaskId: null, involvesSecrets: false, crossDepartment: null,
    constructionStart: `${year}-01-01`, constructionEnd: `${year + 1}-12-31`, totalInvestment: '1860.00', oAndMFunds: '120.00',
    fundingChannel: 'central_budget',
    performanceIndicators: [
      { indicator: '社保卡居民服务事项网上可办率', category: 'effect', unit: '%', baseline: '62', direction: 'higher',
        targets: [{ year, value: '75' }, { year: year + 1, value: '90' }] },
      { indicator: '跨省业务平均办理时长', category: 'effect', unit: '工作日', baseline: '12', direction: 'lower',
        targets: [{ year, value: '8' }, { year: year + 1, value: '5' }] },
      { indicator: '接入地市数', category: 'output', unit: '个', baseline: '40', direction: 'higher',
        targets: [{ year, value: '120' }, { year: year + 1, value: '333' }] },
    ],
    systems: [{ name: '社会保障卡居民服务平台', action: 'new' }],
    security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'approved', cryptoAssessment: 'planned' },
    newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
  });
  // 第九条: the filing's contents, and (第十一条) its information-resource catalog.
  for (const { providerKey, ...resource } of DEMO_CATALOG) {
    const provider = providerKey === 'mohrss_ic' ? unit : await org(providerKey === 'samr_ic' ? '国家市场监督管理总局信息中心' : '人力资源和社会保障部信息中心');
    await createResource(services, preparer, project.id, { ...resource, providerOrganizationId: provider });
  }
  for (const code of FILING_CONTENTS) {
    if (code === 'informationResourceCatalog') continue;
    await uploadMaterial(services, preparer, project.id, {
      stage: 'filing', materialCode: code as MaterialCode, fileName: `${code}.pdf`, contentType: 'application/pdf', content: Readable.from([samplePdf()]),
    });
  }
  const options = { dryRun: false, expectedVersion: null, idempotencyKey: null };
  await takeAction(services, preparer, project.id, 'submit', {}, options);
  await takeAction(services, ndrc, project.id, 'file', { totp: totp() }, options);

  // 第十三条, 第十八条, 第十九条: who carries it out, how it is built and run, and the 监理单位.
  await updateRecord(services, preparer, project.id, {
    implementingAgency: '人力资源和社会保障部信息中心应用开发处', projectLead: '王建国（信息中心副主任）',
    supervisorName: '北京国信安达信息工程监理有限公司', supervisorContractNo: 'GXAD-JL-2026-018', supervisorContractAmount: '27.90',
    supervisorContractSignedOn: addDays(today, -2),
    buildModel: 'professional', omModel: 'service',
    deliveryNote: '平台开发委托专业软件企业承担，建成后部署于国家政务云并购买运维服务，信息中心负责业务管理与验收。',
  });
  const platform = await addProcurement(services, preparer, project.id, {
    subject: '一卡通服务平台应用软件开发', method: 'public_tender', secretRelated: false, procuredOn: addDays(today, -1),
    winner: '中软国际科技服务有限公司', amount: '968.50',
  });
  const crypto = await addProcurement(services, preparer, project.id, {
    subject: '商用密码服务器及签名验签设备', method: 'single_source', secretRelated: true, procuredOn: addDays(today, -1),
    winner: '某密码设备研制单位', amount: '186.00',
  });
  await addContract(services, preparer, project.id, {
    procurementId: platform.id, title: '一卡通服务平台应用软件开发合同', counterparty: '中软国际科技服务有限公司', amount: '968.50', signedOn: today,
  });
  await addContract(services, preparer, project.id, {
    procurementId: crypto.id, title: '密码设备采购合同', counterparty: '某密码设备研制单位', amount: '186.00', signedOn: today,
  });
  // 第二十条: this year's report, filed early.
  await submitAnnualReport(services, preparer, project.id, {
    year, progress: '完成需求调研、总体设计和招标采购，应用软件开发已启动，完成 18 个地市试点接入。',
    investmentExecution: '年度投资计划 600.00 万元，已完成 412.30 万元，执行率 68.7%。', plannedInvestment: '600.00', completedInvestment: '412.30',
    indicatorActuals: [
      { indicator: '社保卡居民服务事项网上可办率', actual: '78.5' },
      { indicator: '跨省业务平均办理时长', actual: '9' },
      { indicator: '接入地市数', actual: '126' },
    ],
    trialOperation: true, trialEffects: '试点地市社保卡线上申领、挂失业务运行平稳，日均办件 3.2 万笔。',
    problems: '部分地市数据质量不高，跨省业务办理时长未达目标。',
  });
  // 第二十一条: a delay reported, rectification ordered with a deadline (signed by the approver).
  const reported = await reportProblem(services, preparer, project.id, {
    kind: 'serious_delay', description: '跨省通办模块因数据接口标准未统一，开发进度滞后计划约 95 天。', delayDays: 95, lossAmount: null,
  });
  await orderOnProject(services, approver, project.id, {
    kind: 'rectification', problemId: reported.problems[0]!.id, opinion: '请于期限内统一接口标准、调整开发计划，并报送整改报告。',
    dueOn: addDays(today, 30), totp: totp(),
  });
  // The demo shows this as history: what these steps told each user has been read.
  await db.updateTable('notifications').set({ read_at: services.now() }).where('project_id', '=', project.id).where('read_at', 'is', null).execute();
}
