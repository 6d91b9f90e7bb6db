// The demo's 跨部门项目框架方案 (第十条), written inside the demo seed's transaction after the
// organizations and users: the plan of src/domain/demo-frameworks.ts with its parts (written by
// the platform: no creator), both parts confirmed (the lead's by its demo preparer; the other
// department has no demo account), the suspected overlap justified, and then submitted by the
// lead's preparer through the same action NDRC's confirmation will follow. Nobody is notified:
// the demo starts with empty inboxes.
import { DEMO_FRAMEWORK } from '../domain/demo-frameworks.ts';
import {
  businessFlowProblems, catalogEntryProblems, dataFlowProblems, optionalText, type BusinessFlowInput, type CatalogEntryInput, type DataFlowInput,
} from '../domain/frameworks.ts';
import { similarity } from '../domain/similarity/index.ts';
import type { AuditActor } from '../audit/writer.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';
import { applyFrameworkAction } from './framework-actions.ts';

export async function seedDemoFrameworks(services: Services, trx: Tx, ids: ReadonlyMap<string, string>, platform: AuditActor): Promise<void> {
  const f = DEMO_FRAMEWORK;
  const org = (key: string) => ids.get(key)!;
  const participants = new Set([f.leadKey, ...f.participantKeys].map(org));
  const businessFlows: BusinessFlowInput[] = f.businessFlows.map((b) => ({ ...b, steps: b.steps.map((s) => ({ organizationId: org(s.orgKey), activity: s.activity })) }));
  const dataFlows: DataFlowInput[] = f.dataFlows.map((d) => ({
    ...d, from: { organizationId: org(d.from.orgKey), system: d.from.system }, to: { organizationId: org(d.to.orgKey), system: d.to.system },
  }));
  const catalog: CatalogEntryInput[] = f.catalogEntries.map(({ providerKey, ...e }) => ({ ...e, providerOrganizationId: org(providerKey) }));
  const problems = [
    ...businessFlows.flatMap((b) => businessFlowProblems(b, participants)), ...dataFlows.flatMap((d) => dataFlowProblems(d, participants)),
    ...catalog.flatMap((e) => catalogEntryProblems(e, participants)),
  ];
  if (problems.length > 0) throw new Error(`the demo framework plan is invalid: ${JSON.stringify(problems)}`);

  const now = services.now();
  const preparer = await trx.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', f.submittedBy).executeTakeFirstOrThrow();
  const plan = await trx.insertInto('framework_plans').values({
    name: f.name, goals: f.goals, lead_organization_id: org(f.leadKey), created_by: null, created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('framework_participants').values([f.leadKey, ...f.participantKeys].map((key, i) => ({
    framework_id: plan.id, organization_id: org(key), created_at: new Date(now.getTime() + i),
    confirmed_at: now, confirmed_by: key === f.leadKey ? preparer.id : null,
  }))).execute();
  const contentIds = new Map<string, string>();
  for (const [i, c] of f.contents.entries()) {
    const row = await trx.insertInto('framework_contents').values({
      framework_id: plan.id, organization_id: org(c.orgKey), title: c.title, description: c.description,
      created_at: new Date(now.getTime() + i), updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    contentIds.set(c.title, row.id);
  }
  for (const [i, b] of businessFlows.entries()) {
    await trx.insertInto('framework_business_flows').values({
      framework_id: plan.id, name: b.name, description: b.description, steps: JSON.stringify(b.steps), created_at: new Date(now.getTime() + i), updated_at: now,
    }).execute();
  }
  for (const [i, d] of dataFlows.entries()) {
    await trx.insertInto('framework_data_flows').values({
      framework_id: plan.id, from_organization_id: d.from.organizationId, from_system: d.from.system, to_organization_id: d.to.organizationId,
      to_system: d.to.system, data_items: JSON.stringify(d.dataItems), frequency: d.frequency, interface_method: d.interfaceMethod,
      description: optionalText(d.description), created_at: new Date(now.getTime() + i), updated_at: now,
    }).execute();
  }
  for (const [i, e] of catalog.entries()) {
    await trx.insertInto('framework_catalog_entries').values({
      framework_id: plan.id, name: e.name, provider_organization_id: e.providerOrganizationId, data_items: JSON.stringify(e.dataItems),
      sharing_type: e.sharingType, sharing_basis: optionalText(e.sharingBasis), created_at: new Date(now.getTime() + i), updated_at: now,
    }).execute();
  }
  for (const j of f.justifications) {
    const [x, y] = j.titles.map((t) => f.contents.find((c) => c.title === t)!);
    const [a, b] = [contentIds.get(x!.title)!, contentIds.get(y!.title)!].sort();
    const s = similarity({ name: x!.title, description: x!.description }, { name: y!.title, description: y!.description }).similarity;
    await trx.insertInto('framework_overlap_justifications').values({
      framework_id: plan.id, content_a_id: a!, content_b_id: b!, reason: j.reason, similarity: s.toFixed(4), justified_by: preparer.id, created_at: now,
    }).execute();
  }
  await appendAuditEvent(trx, {
    actor: platform, action: 'framework.create', objectType: 'framework', objectId: plan.id, outcome: 'success',
    diff: { after: { name: f.name, leadOrganizationId: org(f.leadKey), participantIds: f.participantKeys.map(org), demo: true } },
    requestId: null, clientAddress: 'seed',
  });

  const actor: Actor = {
    userId: preparer.id, username: preparer.username, displayName: preparer.display_name, organizationIds: [org(f.leadKey)],
    roles: [{ role: 'preparer', customOrganizationIds: [] }], sessionId: null, requestId: null, clientAddress: 'seed',
  };
  await applyFrameworkAction(services, trx, actor, plan.id, 'submit', {}, { expectedVersion: null, notify: false });
}
