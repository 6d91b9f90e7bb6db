// The demo's 双随机、一公开 spot checks (src/domain/demo-spot-checks.ts), written inside the demo
// seed's transaction by the demo NDRC and CAC users through the same use cases as the API.
import type { Tx } from '../db/database.ts';
import { DEMO_CATALOG_PROJECT } from '../domain/demo-catalog.ts';
import { DEMO_CHECKLIST, DEMO_INSPECTORS, DEMO_OPEN_RESOURCES, DEMO_SPOT_CHECKS } from '../domain/demo-spot-checks.ts';
import type { RoleCode } from '../domain/authz.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import { createResource } from './resource-catalog.ts';
import { concludeSpotCheck, createSpotCheck, drawSpotCheck, recordOutcomes } from './spot-checks.ts';

async function demoActor(trx: Tx, username: string): Promise<Actor> {
  const u = await trx.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
  const orgs = await trx.selectFrom('user_organizations').select('organization_id').where('user_id', '=', u.id).orderBy('organization_id').execute();
  const roles = await trx.selectFrom('user_roles').select('role_code').where('user_id', '=', u.id).execute();
  return {
    userId: u.id, username: u.username, displayName: u.display_name, organizationIds: orgs.map((o) => o.organization_id),
    roles: roles.map((r) => ({ role: r.role_code as RoleCode, customOrganizationIds: [] })), sessionId: null, requestId: null, clientAddress: 'seed',
  };
}

export async function seedDemoSpotChecks(services: Services, trx: Tx, ids: ReadonlyMap<string, string>): Promise<void> {
  // The open-data portal's resources (公开): two open entries in the demo project's catalog.
  const preparer = await demoActor(trx, 'preparer');
  const project = await trx.selectFrom('projects').select('id').where('name', '=', DEMO_CATALOG_PROJECT).executeTakeFirstOrThrow();
  for (const { providerKey, ...resource } of DEMO_OPEN_RESOURCES) {
    await createResource(services, preparer, project.id, { ...resource, providerOrganizationId: ids.get(providerKey)! }, trx);
  }
  const inspectors = await trx.selectFrom('users').select(['id', 'username']).where('username', 'in', [...DEMO_INSPECTORS]).execute();
  const inspectorUserIds = DEMO_INSPECTORS.map((name) => inspectors.find((u) => u.username === name)!.id);
  for (const demo of DEMO_SPOT_CHECKS) {
    const actor = await demoActor(trx, demo.organizerUsername);
    const created = await createSpotCheck(services, actor, {
      title: demo.title, checklist: DEMO_CHECKLIST, targetFilter: { kinds: ['project', 'system'] },
      targetCount: demo.targetCount, inspectorsPerTarget: demo.inspectorsPerTarget, inspectorUserIds,
    }, trx);
    if (demo.seed === null) continue;
    const drawn = await drawSpotCheck(services, actor, created.id, demo.seed, trx);
    const outcomes = drawn.result!.flatMap((a, i) => DEMO_CHECKLIST.map((item) => {
      const failure = demo.failures.find((f) => f.targetIndex === i && f.itemCode === item.code);
      return { targetRef: a.targetRef, itemCode: item.code, outcome: failure ? 'fail' as const : 'pass' as const, notes: failure?.notes ?? '' };
    }));
    await recordOutcomes(services, actor, created.id, outcomes, trx);
    await concludeSpotCheck(services, actor, created.id, trx);
  }
}
