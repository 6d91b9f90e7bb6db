// The demo's 政务信息系统目录 (第十二条) and 孤网例外决定 (第二十八条), written inside the demo seed's
// transaction after the organizations, users, projects and the demo 信息资源目录: the systems of
// src/domain/demo-systems.ts (registered by the platform: no creator), the one exception (signed
// by the demo NDRC user with their own SM2 key; the seed has nobody to type a TOTP code) and one
// department's confirmation of its list.
import { DEMO_CATALOG_PROJECT } from '../domain/demo-catalog.ts';
import { DEMO_CONFIRMATION, DEMO_ISOLATION_EXCEPTION, DEMO_SYSTEMS } from '../domain/demo-systems.ts';
import { normalizeSystem, systemProblems, type GovernmentSystemInput } from '../domain/system-catalog.ts';
import type { AuditActor } from '../audit/writer.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { recordIsolationDecision } from './isolation-exceptions.ts';
import { writeConfirmation } from './national-catalog.ts';
import { insertSystem, loadSystem } from './system-catalog.ts';

const DAY_MS = 86_400_000;

export async function seedDemoSystems(services: Services, trx: Tx, ids: ReadonlyMap<string, string>, platform: AuditActor): Promise<void> {
  const projects = new Map((await trx.selectFrom('projects').select(['id', 'name']).execute()).map((p) => [p.name, p.id]));
  const resources = new Map((await trx.selectFrom('information_resources as r').innerJoin('projects as p', 'p.id', 'r.project_id')
    .select(['r.id', 'r.code']).where('p.name', '=', DEMO_CATALOG_PROJECT).execute()).map((r) => [r.code, r.id]));
  const systemIds = new Map<string, string>();
  for (const { ownerKey, projects: projectLinks, resources: resourceLinks, ...fields } of DEMO_SYSTEMS) {
    const input: GovernmentSystemInput = {
      ...fields, ownerOrganizationId: ids.get(ownerKey)!,
      projects: projectLinks.map((p) => ({ projectId: projects.get(p.projectName)!, relation: p.relation })),
      resources: resourceLinks.map((r) => ({ resourceId: resources.get(r.resourceCode)!, relation: r.relation })),
    };
    const problems = systemProblems(input);
    if (problems.length > 0) throw new Error(`demo system ${fields.name} is invalid: ${JSON.stringify(problems)}`);
    const created = await insertSystem(trx, normalizeSystem(input), null, { actor: platform, requestId: null, clientAddress: 'seed' });
    systemIds.set(created.name, created.id);
  }

  const user = async (username: string) => trx.selectFrom('users').select(['id', 'username']).where('username', '=', username).executeTakeFirstOrThrow();
  const ndrc = await user('ndrc');
  const system = (await loadSystem(trx, systemIds.get(DEMO_ISOLATION_EXCEPTION.systemName)!))!;
  await recordIsolationDecision(services, trx, {
    userId: ndrc.id, username: ndrc.username, role: 'ndrc', requestId: null, clientAddress: 'seed',
    audit: { id: ndrc.id, username: ndrc.username, organizationId: ids.get('ndrc')!, role: 'ndrc' },
  }, system, {
    decision: 'grant', reason: DEMO_ISOLATION_EXCEPTION.reason,
    approvalDocumentNumber: DEMO_ISOLATION_EXCEPTION.approvalDocumentNumber, approvedOn: DEMO_ISOLATION_EXCEPTION.approvedOn,
  });

  const lead = await user(DEMO_CONFIRMATION.username);
  await writeConfirmation(trx, {
    userId: lead.id, requestId: null, clientAddress: 'seed',
    audit: { id: lead.id, username: lead.username, organizationId: ids.get(DEMO_CONFIRMATION.orgKey)!, role: 'unit_lead' },
  }, ids.get(DEMO_CONFIRMATION.orgKey)!, {
    note: DEMO_CONFIRMATION.note, at: new Date(services.now().getTime() - DEMO_CONFIRMATION.daysAgo * DAY_MS),
  });
}
