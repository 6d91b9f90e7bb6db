// The demo installation (`govproj seed --demo`, `npm start`): the organizations and one
// account per role of src/domain/demo-data.ts. Seeded once; never without --demo.
import { seedDemoSupervision } from './seed-demo-supervision.ts';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { DEMO_ORGS, DEMO_USERS } from '../domain/demo-data.ts';
import { encryptField } from '../crypto/sm4.ts';
import { generateTotpSecret } from '../crypto/totp.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Services } from '../services.ts';
import { auditActorFor, systemActor, type Actor } from './actor.ts';
import { createUser } from './users.ts';
import { createProject, type ProjectInput } from './projects.ts';
import type { Tx } from '../db/database.ts';
import { seedDemoPlans } from './plans.ts';
import { DEMO_CATALOG, DEMO_CATALOG_PROJECT } from '../domain/demo-catalog.ts';
import { createResource } from './resource-catalog.ts';
import { seedDemoSystems } from './seed-demo-systems.ts';
import { seedDemoObligations } from './seed-demo-obligations.ts';
import { seedDemoFrameworks } from './seed-demo-frameworks.ts';
import { seedDemoInvestment } from './seed-demo-investment.ts';
import { seedDemoSecurity } from './seed-demo-security.ts';
import { seedDemoAcceptance } from './seed-demo-acceptance.ts';
import { seedDemoSpotChecks } from './seed-demo-spot-checks.ts';
import { seedDemoRisk } from './seed-demo-risk.ts';

export interface DemoCredentials {
  password: string;
  totpSecret: string;
  accounts: Array<{ username: string; displayName: string; roles: string[]; totp: boolean }>;
}

/** A password that meets the policy: upper, lower, digit and symbol, 17 characters. */
function generateDemoPassword(): string {
  return `Gp#${randomBytes(9).toString('base64url')}7a`;
}

const MARKER = 'demo_seeded';

/** A few projects of the demo ministry's information centre, one per way of starting (第七条, 第九条). */
async function seedDemoProjects(services: Services, trx: Tx, ids: Map<string, string>) {
  const preparer = await trx.selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow();
  const unit = ids.get('mohrss_ic')!;
  const actor: Actor = {
    userId: preparer.id, username: 'preparer', displayName: '刘洋', organizationIds: [unit],
    roles: [{ role: 'preparer', customOrganizationIds: [] }], sessionId: null, requestId: null, clientAddress: 'seed',
  };
  const nationalTask = await trx.selectFrom('plan_tasks as t').innerJoin('plans as p', 'p.id', 't.plan_id')
    .select('t.id').where('p.level', '=', 'national').where('t.code', '=', '2').executeTakeFirstOrThrow();
  const base: ProjectInput = {
    name: '', constructionUnitId: unit, approvalDepartmentId: ids.get('ndrc_hitech')!, track: 'approval', kind: 'new',
    planTaskId: null, involvesSecrets: false, crossDepartment: null, constructionStart: '2026-03-01', constructionEnd: '2027-12-31',
    totalInvestment: '4860.00', oAndMFunds: '320.00', fundingChannel: 'central_budget',
    performanceIndicators: [{
      indicator: '社保业务全程网办率', category: 'effect', unit: '%', baseline: '65',
      targets: [{ year: 2026, value: '80' }, { year: 2027, value: '90' }], direction: 'higher',
    }],
    systems: [{ name: '社会保险公共服务平台', action: 'upgrade' }],
    security: { scheme: 'mlps', mlpsLevel: 3, cryptoPlan: 'drafted', cryptoAssessment: 'planned' },
    newCivilConstruction: false, highEnergyConsumption: false, urgent: null,
  };
  const projects: ProjectInput[] = [
    { ...base, name: '全国社会保险公共服务平台升级改造项目（演示）' },
    { ...base, name: '全国统一电子证照社保卡应用项目（演示）', planTaskId: nationalTask.id, totalInvestment: '12580.50',
      crossDepartment: { leadOrganizationId: unit, participantIds: [ids.get('samr_ic')!] } },
    { ...base, name: '人社系统数据中心运维服务项目（演示）', track: 'filing', kind: 'purchasedService', totalInvestment: '860.00',
      oAndMFunds: '860.00', fundingChannel: 'central_fiscal', systems: [] },
  ];
  for (const input of projects) await createProject(services, actor, input, trx);
  // 第二十五条–第二十七条: an approved, completed project whose acceptance is under way.
  await seedDemoAcceptance(services, trx, ids, base);
  // 第十一条: the first project's 信息资源目录, registered as its preparer would.
  const catalogProject = await trx.selectFrom('projects').select('id').where('name', '=', DEMO_CATALOG_PROJECT).executeTakeFirstOrThrow();
  for (const { providerKey, ...resource } of DEMO_CATALOG) {
    await createResource(services, actor, catalogProject.id, { ...resource, providerOrganizationId: ids.get(providerKey)! }, trx);
  }
  // 第二十二条–第二十四条: an approved project under construction with its investment and an adjustment.
  await seedDemoInvestment(services, trx, ids, base, actor);
}

/** Seeds the demo unless it already was; returns null when it already was. */
export async function seedDemo(services: Services): Promise<DemoCredentials | null> {
  const password = services.config.demoPassword ?? generateDemoPassword();
  const totpSecret = services.config.demoTotpSecret ?? generateTotpSecret();
  const actor = systemActor();
  return services.database.db.transaction().execute(async (trx) => {
    // The marker row is inserted first, so two processes cannot both seed.
    const claimed = await sql`insert into system_state (key, value) values (${MARKER}, ${JSON.stringify({ at: new Date().toISOString() })}::jsonb)
      on conflict (key) do nothing returning key`.execute(trx);
    if (claimed.rows.length === 0) return null;
    const ids = new Map<string, string>();
    for (const org of DEMO_ORGS) {
      const row = await trx.insertInto('organizations').values({
        parent_id: org.parentKey ? ids.get(org.parentKey)! : null, name: org.name, name_en: org.nameEn, kind: org.kind,
        credit_code: org.creditCode, division_code: org.divisionCode,
      }).returning('id').executeTakeFirstOrThrow();
      ids.set(org.key, row.id);
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, 'system:org:create'), action: 'organization.create', objectType: 'organization',
        objectId: row.id, outcome: 'success', diff: { after: { name: org.name, creditCode: org.creditCode, demo: true } },
        requestId: null, clientAddress: 'seed',
      });
    }
    for (const u of DEMO_USERS) {
      const created = await createUser(services, actor, {
        username: u.username, displayName: u.displayName, password, phone: u.phone,
        organizationIds: u.orgKeys.map((k) => ids.get(k)!), roleCodes: [...u.roles],
      }, trx);
      // A department sees what is routed to it (SPEC §1): reviewers and approvers review the
      // projects whose approval department is their own bureau. An assessor sees what its
      // organization is entrusted with (project_assignments); supervisors and evaluators see
      // only what is assigned to them, so their custom scope starts empty.
      if (u.roles.some((r) => r === 'reviewer' || r === 'approver')) {
        await trx.updateTable('user_roles').set({ custom_organization_ids: u.orgKeys.map((k) => ids.get(k)!) })
          .where('user_id', '=', created.user.id).execute();
      }
      if (u.totp) {
        await trx.updateTable('users').set({ totp_secret_enc: encryptField(totpSecret, services.keys.field) }).where('id', '=', created.user.id).execute();
      }
    }
    // 第六条: the national plan (the 14th Five-Year priorities) and a department plan linked to it.
    await seedDemoPlans(trx, { ...auditActorFor(actor, null), role: null }, ids);
    await seedDemoProjects(services, trx, ids);
    // 第十二条, 第二十八条: the demo organizations' systems, one 孤网 exception, one confirmed list.
    await seedDemoSystems(services, trx, ids, { ...auditActorFor(actor, null), role: null });
    // 第十条: a cross-department framework plan, confirmed by both departments and submitted to NDRC.
    await seedDemoFrameworks(services, trx, ids, { ...auditActorFor(actor, null), role: null });
    // 第十四条–第十七条, 第二十八条: security records and findings, so the eligibility list has both sides.
    await seedDemoSecurity(services, trx, { ...auditActorFor(actor, null), role: null });
    // 第二十条, 第二十五条, 第二十七条: construction dates on four projects, and the 履约日历 swept.
    await seedDemoObligations(services, trx, ids);
    // SPEC §9 双随机、一公开: one spot check drawn with its outcomes published, one waiting for its draw.
    await seedDemoSpotChecks(services, trx, ids);
    // Dashboards, risk ratings and funding recommendations (issue 6): projects at every stage, ratings with history.
    await seedDemoRisk(services, trx, ids);
    // 第三十条, 第三十三条: an open rectification, one escalated to 通报批评, an accountability record.
    await seedDemoSupervision(services, trx);
    return {
      password, totpSecret,
      accounts: DEMO_USERS.map((u) => ({ username: u.username, displayName: u.displayName, roles: [...u.roles], totp: u.totp })),
    };
  });
}
