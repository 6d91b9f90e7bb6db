// The demo's 安全与资源记录 and 共享问题认定 (src/domain/demo-security.ts), written inside the demo
// seed's transaction after the systems, each with its audit event, the systems' summaries
// refreshed as the use cases do.
import { addMonths } from '../domain/deadlines.ts';
import { DEMO_FINDINGS, DEMO_SECURITY_RECORDS } from '../domain/demo-security.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { normalizeDetails, recordProblems } from '../domain/security-records.ts';
import { appendAuditEvent, type AuditActor } from '../audit/writer.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import { refreshSystemStatus } from './security-records.ts';

export async function seedDemoSecurity(services: Services, trx: Tx, platform: AuditActor): Promise<void> {
  const now = services.now();
  const today = shanghaiDate(now);
  const systems = new Map((await trx.selectFrom('government_systems').select(['id', 'name']).execute()).map((s) => [s.name, s.id]));
  const preparer = await trx.selectFrom('users').select('id').where('username', '=', 'preparer').executeTakeFirstOrThrow();
  const touched = new Set<string>();
  for (const r of DEMO_SECURITY_RECORDS) {
    const systemId = systems.get(r.systemName)!;
    const input = {
      kind: r.kind, projectId: null, systemId, occurredOn: addMonths(today, -r.monthsAgo), passed: r.passed ?? null,
      reference: r.reference ?? null, details: r.details,
    };
    const problems = recordProblems(input, today);
    if (problems.length > 0) throw new Error(`demo record of ${r.systemName} is invalid: ${JSON.stringify(problems)}`);
    const resolvedOn = r.resolvedMonthsAgo === undefined ? null : addMonths(today, -r.resolvedMonthsAgo);
    const row = await trx.insertInto('security_records').values({
      kind: r.kind, system_id: systemId, occurred_on: input.occurredOn, passed: input.passed, reference: input.reference,
      details: JSON.stringify(normalizeDetails(r.kind, r.details)), resolved_on: resolvedOn,
      resolution: resolvedOn === null ? null : '已完成整改并复测', resolved_by: resolvedOn === null ? null : preparer.id,
      recorded_by: preparer.id, role: 'preparer', created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: platform, requestId: null, clientAddress: 'seed', action: 'security.record', objectType: 'security_record', objectId: row.id,
      outcome: 'success', diff: { after: { ...input, resolvedOn } },
    });
    touched.add(systemId);
  }
  for (const f of DEMO_FINDINGS) {
    const systemId = systems.get(f.systemName)!;
    const user = await trx.selectFrom('users as u').innerJoin('user_organizations as uo', 'uo.user_id', 'u.id')
      .select(['u.id', 'uo.organization_id']).where('u.username', '=', f.username).executeTakeFirstOrThrow();
    const resolvedOn = f.resolvedMonthsAgo === undefined ? null : addMonths(today, -f.resolvedMonthsAgo);
    const row = await trx.insertInto('sharing_findings').values({
      system_id: systemId, kind: f.kind, reference: f.reference, description: f.description, found_on: addMonths(today, -f.monthsAgo),
      organization_id: user.organization_id, recorded_by: user.id, role: f.username === 'gooffice' ? 'go' : 'ndrc', created_at: now,
      resolved_on: resolvedOn, resolution: resolvedOn === null ? null : '已整改，改为调用共享接口', resolved_by: resolvedOn === null ? null : user.id,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: platform, requestId: null, clientAddress: 'seed', action: 'sharing_finding.create', objectType: 'sharing_finding', objectId: row.id,
      outcome: 'success', diff: { after: { systemId, kind: f.kind, reference: f.reference, resolvedOn } },
    });
    touched.add(systemId);
  }
  for (const id of touched) await refreshSystemStatus(trx, id, now);
}
