// 双随机、一公开 spot checks (SPEC §9). 第三十条: 国务院办公厅、国家发展改革委、财政部、中央网信办 supervise
// information sharing, tendering and procurement, use of funds, cryptography and cybersecurity;
// 第二十九条: the construction unit must accept that supervision and provide what is asked. The
// organizing body (spotcheck:manage) freezes and publishes the pools, draws once from a seed
// (src/domain/spot-check-draw.ts), records each checklist item's outcome for each drawn target
// and publishes them (I-62). Every step writes its audit event in its own transaction.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor, Tx } from '../db/database.ts';
import {
  DRAW_ALGORITHM, draw, drawDigests, drawProblems, type DrawAssignment, type DrawInput, type DrawInspector, type DrawProblem, type DrawTarget,
} from '../domain/spot-check-draw.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { publishedProject, publishedSystem, type ProjectEb, type SystemEb } from './publication.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

/** One inspection item (检查事项) of the checklist. */
export interface ChecklistItem {
  code: string;
  title: string;
  /** The article or rule it checks against, e.g. 第三十条 资金使用. */
  basis: string;
}

/** How the target pool is chosen; published with it. 涉密 projects and systems are never in it (I-62). */
export interface TargetFilter {
  kinds: Array<'project' | 'system'>;
  /** Only targets of this organization or one below it. */
  organizationId?: string | undefined;
  /** Projects at these stages (any when absent). */
  projectStages?: string[] | undefined;
  /** Systems with these statuses (any when absent). */
  systemStatuses?: string[] | undefined;
}

export interface CreateSpotCheckInput {
  title: string;
  checklist: ChecklistItem[];
  targetFilter: TargetFilter;
  targetCount: number;
  inspectorsPerTarget: number;
  inspectorUserIds: string[];
}

export interface OutcomeInput {
  targetRef: string;
  itemCode: string;
  outcome: 'pass' | 'fail';
  notes: string;
}

export interface SpotCheckOutcome extends OutcomeInput {
  recordedAt: string;
}

/** A spot check as its organizers see it: the public view (src/usecases/open-data.ts) drops `inspectorUsers`. */
export interface SpotCheck {
  id: string;
  title: string;
  organizationId: string;
  organizationName: string;
  checklist: ChecklistItem[];
  targetFilter: TargetFilter;
  rules: { targetCount: number; inspectorsPerTarget: number };
  algorithm: string;
  targets: DrawTarget[];
  inspectors: DrawInspector[];
  /** ref → the user (organizers only). */
  inspectorUsers: Record<string, { userId: string; displayName: string }>;
  digests: { seed: string | null; rules: string; targets: string; inspectors: string; input: string | null };
  status: 'pooled' | 'drawn' | 'concluded';
  seed: string | null;
  result: DrawAssignment[] | null;
  resultDigest: string | null;
  drawnAt: string | null;
  concludedAt: string | null;
  outcomes: SpotCheckOutcome[];
  createdAt: string;
}

function baseQuery(db: Executor) {
  return db.selectFrom('spot_checks as s').innerJoin('organizations as o', 'o.id', 's.organization_id')
    .selectAll('s').select('o.name as organization_name');
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

async function present(db: Executor, r: Row, withOutcomes: boolean): Promise<SpotCheck> {
  const users = r.inspector_users as Record<string, string>;
  const names = new Map<string, string>();
  const ids = Object.values(users);
  if (ids.length > 0) {
    for (const u of await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute()) names.set(u.id, u.display_name);
  }
  const outcomes = withOutcomes
    ? (await db.selectFrom('spot_check_outcomes').selectAll().where('spot_check_id', '=', r.id).orderBy('target_ref').orderBy('item_code').execute())
      .map((o) => ({ targetRef: o.target_ref, itemCode: o.item_code, outcome: o.outcome, notes: o.notes, recordedAt: o.recorded_at.toISOString() }))
    : [];
  return {
    id: r.id, title: r.title, organizationId: r.organization_id, organizationName: r.organization_name,
    checklist: r.checklist as ChecklistItem[], targetFilter: r.target_filter as TargetFilter,
    rules: { targetCount: r.target_count, inspectorsPerTarget: r.inspectors_per_target }, algorithm: r.algorithm,
    targets: r.targets as DrawTarget[], inspectors: r.inspectors as DrawInspector[],
    inspectorUsers: Object.fromEntries(Object.entries(users).map(([ref, userId]) => [ref, { userId, displayName: names.get(userId) ?? '' }])),
    digests: { seed: r.seed_digest, rules: r.rules_digest, targets: r.targets_digest, inspectors: r.inspectors_digest, input: r.input_digest },
    status: r.status, seed: r.seed, result: (r.result as DrawAssignment[] | null) ?? null, resultDigest: r.result_digest,
    drawnAt: r.drawn_at?.toISOString() ?? null, concludedAt: r.concluded_at?.toISOString() ?? null, outcomes, createdAt: r.created_at.toISOString(),
  };
}

/** Loads a spot check without an access check (callers check; the public view filters itself). */
export async function loadSpotCheck(db: Executor, id: string, withOutcomes = true): Promise<SpotCheck | null> {
  const r = await baseQuery(db).where('s.id', '=', id).executeTakeFirst();
  return r ? present(db, r, withOutcomes) : null;
}

/** Spot checks, newest first (spotcheck:read: the supervisory bodies and auditors, scope all). */
export async function listSpotChecks(services: Services, actor: Actor, page = 1, pageSize = 20): Promise<{ items: SpotCheck[]; total: number }> {
  requireAccess(actor, 'spotcheck:read');
  const db = services.database.db;
  const rows = await baseQuery(db).orderBy('s.created_at', 'desc').orderBy('s.id').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = await db.selectFrom('spot_checks').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { items: await Promise.all(rows.map((r) => present(db, r, false))), total: Number(total.n) };
}

export async function getSpotCheck(services: Services, actor: Actor, id: string): Promise<SpotCheck> {
  requireAccess(actor, 'spotcheck:read');
  const s = await loadSpotCheck(services.database.db, id);
  if (!s) throw new AppError('resource.not_found');
  return s;
}

/** Organization id → its path from the root down to itself. */
async function organizationPaths(db: Executor): Promise<(id: string) => string[]> {
  const parents = new Map((await db.selectFrom('organizations').select(['id', 'parent_id']).execute()).map((o) => [o.id, o.parent_id]));
  return (id) => {
    const path: string[] = [];
    for (let at: string | null | undefined = id; at && path.length < 100; at = parents.get(at)) path.unshift(at);
    return path;
  };
}

const ref = (prefix: string, i: number) => `${prefix}${String(i + 1).padStart(3, '0')}`;

/** The frozen target pool: published projects (by 项目代码) then published systems (I-62, I-63): never a 涉密 one. */
export async function buildTargetPool(db: Executor, filter: TargetFilter): Promise<DrawTarget[]> {
  const pathOf = await organizationPaths(db);
  const under = filter.organizationId
    ? new Set((await sql<{ id: string }>`with recursive t(id) as (select ${filter.organizationId}::uuid union select o.id from organizations o join t on o.parent_id = t.id) select id from t`.execute(db)).rows.map((r) => r.id))
    : null;
  const pool: Omit<DrawTarget, 'ref'>[] = [];
  if (filter.kinds.includes('project')) {
    let q = db.selectFrom('projects as p').innerJoin('organizations as o', 'o.id', 'p.construction_unit_id')
      .select(['p.id', 'p.code', 'p.name', 'p.construction_unit_id', 'o.name as org_name', 'p.stage'])
      .where((eb) => publishedProject(eb as unknown as ProjectEb)).orderBy('p.code');
    if (filter.projectStages?.length) q = q.where('p.stage', 'in', filter.projectStages);
    for (const p of await q.execute()) {
      if (under && !under.has(p.construction_unit_id)) continue;
      pool.push({ kind: 'project', id: p.id, code: p.code, name: p.name, organizationId: p.construction_unit_id, organizationName: p.org_name, organizationPath: pathOf(p.construction_unit_id) });
    }
  }
  if (filter.kinds.includes('system')) {
    let q = db.selectFrom('government_systems as s').innerJoin('organizations as o', 'o.id', 's.owner_organization_id')
      .select(['s.id', 's.name', 's.owner_organization_id', 'o.name as org_name'])
      .where((eb) => publishedSystem(eb as unknown as SystemEb))
      .orderBy('o.name').orderBy('s.name').orderBy('s.id');
    if (filter.systemStatuses?.length) q = q.where('s.status', 'in', filter.systemStatuses as never);
    for (const s of await q.execute()) {
      if (under && !under.has(s.owner_organization_id)) continue;
      pool.push({ kind: 'system', id: s.id, code: s.id, name: s.name, organizationId: s.owner_organization_id, organizationName: s.org_name, organizationPath: pathOf(s.owner_organization_id) });
    }
  }
  return pool.map((t, i) => ({ ref: ref('T', i), ...t }));
}

function problemText(p: DrawProblem): string {
  switch (p.code) {
    case 'target_short_of_inspectors': return `${p.ref} 无利益冲突的检查人员不足`;
    case 'target_count': return '抽取数量应在 1 至抽查对象库数量之间';
    case 'too_few_inspectors_per_target': return '每个对象至少 2 名检查人员';
    case 'duplicate_ref': return `${p.ref} 重复`;
    case 'organization_path': return `${p.ref} 机构路径有误`;
    case 'seed_format': return '种子应为 64 位十六进制数';
  }
}

/** Freezes and publishes the pools (spotcheck:manage). Refuses (422) pools that cannot give every target its inspectors. */
export async function createSpotCheck(services: Services, actor: Actor, input: CreateSpotCheckInput, outer?: Tx): Promise<SpotCheck> {
  requireAccess(actor, 'spotcheck:manage');
  const organizationId = actor.organizationIds[0];
  if (!organizationId) throw new AppError('auth.forbidden');
  return inTransaction(services, outer, (trx) => insertSpotCheck(services, actor, organizationId, input, trx));
}

async function insertSpotCheck(services: Services, actor: Actor, organizationId: string, input: CreateSpotCheckInput, trx: Tx): Promise<SpotCheck> {
  const seen = new Set<string>();
  const fields: Array<{ path: string; code: string }> = [];
  input.inspectorUserIds.forEach((id, i) => { if (seen.has(id)) fields.push({ path: `inspectorUserIds.${i}`, code: 'spotcheck.duplicate' }); seen.add(id); });
  input.checklist.forEach((c, i) => { if (input.checklist.findIndex((x) => x.code === c.code) !== i) fields.push({ path: `checklist.${i}.code`, code: 'spotcheck.duplicate' }); });
  // The inspector's organization is the first of the user's organizations by id (deterministic).
  const users = await trx.selectFrom('users as u').innerJoin('user_organizations as uo', 'uo.user_id', 'u.id').innerJoin('organizations as o', 'o.id', 'uo.organization_id')
    .select(['u.id', 'uo.organization_id', 'o.name as org_name']).where('u.id', 'in', input.inspectorUserIds.length ? input.inspectorUserIds : ['00000000-0000-0000-0000-000000000000'])
    .where('u.status', '=', 'active').orderBy('u.id').orderBy('uo.organization_id').execute();
  const orgOf = new Map<string, { organizationId: string; organizationName: string }>();
  for (const u of users) if (!orgOf.has(u.id)) orgOf.set(u.id, { organizationId: u.organization_id, organizationName: u.org_name });
  input.inspectorUserIds.forEach((id, i) => { if (!orgOf.has(id)) fields.push({ path: `inspectorUserIds.${i}`, code: 'spotcheck.inspector_unknown' }); });
  if (fields.length > 0) throw new AppError('validation.failed', { fields });

  const pathOf = await organizationPaths(trx);
  const targets = await buildTargetPool(trx, input.targetFilter);
  const inspectors: DrawInspector[] = input.inspectorUserIds.map((id, i) => {
    const o = orgOf.get(id)!;
    return { ref: ref('J', i), organizationId: o.organizationId, organizationName: o.organizationName, organizationPath: pathOf(o.organizationId) };
  });
  const probe: DrawInput = { algorithm: DRAW_ALGORITHM, seed: '0'.repeat(64), rules: { targetCount: input.targetCount, inspectorsPerTarget: input.inspectorsPerTarget }, targets, inspectors };
  const problems = drawProblems(probe);
  if (problems.length > 0) {
    throw new AppError('spotcheck.pools_insufficient', { params: { detail: problems.slice(0, 10).map(problemText).join('；') + (problems.length > 10 ? ` 等 ${problems.length} 项` : '') } });
  }
  const digests = drawDigests(probe);
  const users_ = Object.fromEntries(inspectors.map((j, i) => [j.ref, input.inspectorUserIds[i]!]));
  const row = await trx.insertInto('spot_checks').values({
    title: input.title, organization_id: organizationId, checklist: JSON.stringify(input.checklist), target_filter: JSON.stringify(input.targetFilter),
    target_count: input.targetCount, inspectors_per_target: input.inspectorsPerTarget, algorithm: DRAW_ALGORITHM,
    targets: JSON.stringify(targets), inspectors: JSON.stringify(inspectors), inspector_users: JSON.stringify(users_),
    targets_digest: digests.targets, inspectors_digest: digests.inspectors, rules_digest: digests.rules, status: 'pooled', created_by: actor.userId,
    created_at: services.now(), updated_at: services.now(),
  }).returning('id').executeTakeFirstOrThrow();
  await appendAuditEvent(trx, {
    actor: auditActorFor(actor, 'spotcheck:manage'), action: 'spotcheck.create', objectType: 'spot_check', objectId: row.id, outcome: 'success',
    diff: { after: { title: input.title, targetCount: input.targetCount, inspectorsPerTarget: input.inspectorsPerTarget, targets: targets.length, inspectors: inspectors.length,
      targetsDigest: digests.targets, inspectorsDigest: digests.inspectors, rulesDigest: digests.rules } },
    ...requestFacts(actor), occurredAt: services.now(),
  });
  return (await loadSpotCheck(trx, row.id))!;
}

/** Runs `fn` in the caller's transaction (the demo seed), or in one of its own. */
function inTransaction<T>(services: Services, outer: Tx | undefined, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return outer ? fn(outer) : services.database.db.transaction().execute(fn);
}

/**
 * Draws once (spotcheck:manage). The seed is the caller's (e.g. announced in advance) or 32 fresh
 * random bytes; either way it is published with the result (I-62).
 */
export async function drawSpotCheck(services: Services, actor: Actor, id: string, seed?: string, outer?: Tx): Promise<SpotCheck> {
  requireAccess(actor, 'spotcheck:manage');
  const chosen = seed ?? randomBytes(32).toString('hex');
  return inTransaction(services, outer, async (trx) => {
    const row = await trx.selectFrom('spot_checks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('resource.not_found');
    if (row.status !== 'pooled') throw new AppError('spotcheck.already_drawn', { params: { drawnAt: row.drawn_at?.toISOString() ?? '' } });
    const input: DrawInput = {
      algorithm: DRAW_ALGORITHM, seed: chosen, rules: { targetCount: row.target_count, inspectorsPerTarget: row.inspectors_per_target },
      targets: row.targets as DrawTarget[], inspectors: row.inspectors as DrawInspector[],
    };
    const problems = drawProblems(input);
    if (problems.length > 0) throw new AppError('spotcheck.pools_insufficient', { params: { detail: problems.map(problemText).join('；') } });
    const outcome = draw(input);
    const now = services.now();
    await trx.updateTable('spot_checks').set({
      status: 'drawn', seed: chosen, seed_digest: outcome.digests.seed, input_digest: outcome.digests.input,
      result: JSON.stringify(outcome.assignments), result_digest: outcome.resultDigest, drawn_at: now, drawn_by: actor.userId, updated_at: now,
    }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'spotcheck:manage'), action: 'spotcheck.draw', objectType: 'spot_check', objectId: id, outcome: 'success',
      diff: { before: { status: 'pooled' }, after: { status: 'drawn', seed: chosen, inputDigest: outcome.digests.input, resultDigest: outcome.resultDigest, assignments: outcome.assignments } },
      ...requestFacts(actor), occurredAt: now,
    });
    return (await loadSpotCheck(trx, id))!;
  });
}

/** Records (or corrects, until published) outcomes of checklist items for drawn targets (spotcheck:manage). */
export async function recordOutcomes(services: Services, actor: Actor, id: string, outcomes: OutcomeInput[], outer?: Tx): Promise<SpotCheck> {
  requireAccess(actor, 'spotcheck:manage');
  return inTransaction(services, outer, async (trx) => {
    const row = await trx.selectFrom('spot_checks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('resource.not_found');
    if (row.status === 'pooled') throw new AppError('spotcheck.not_drawn');
    if (row.status === 'concluded') throw new AppError('spotcheck.concluded');
    const drawn = new Set((row.result as DrawAssignment[]).map((a) => a.targetRef));
    const items = new Set((row.checklist as ChecklistItem[]).map((c) => c.code));
    const fields: Array<{ path: string; code: string }> = [];
    outcomes.forEach((o, i) => {
      if (!drawn.has(o.targetRef)) fields.push({ path: `outcomes.${i}.targetRef`, code: 'spotcheck.target_unknown' });
      if (!items.has(o.itemCode)) fields.push({ path: `outcomes.${i}.itemCode`, code: 'spotcheck.item_unknown' });
      if (outcomes.findIndex((x) => x.targetRef === o.targetRef && x.itemCode === o.itemCode) !== i) fields.push({ path: `outcomes.${i}`, code: 'spotcheck.duplicate' });
    });
    if (fields.length > 0) throw new AppError('validation.failed', { fields });
    const now = services.now();
    for (const o of outcomes) {
      await trx.insertInto('spot_check_outcomes').values({
        spot_check_id: id, target_ref: o.targetRef, item_code: o.itemCode, outcome: o.outcome, notes: o.notes, recorded_by: actor.userId, recorded_at: now,
      }).onConflict((oc) => oc.columns(['spot_check_id', 'target_ref', 'item_code']).doUpdateSet({ outcome: o.outcome, notes: o.notes, recorded_by: actor.userId, recorded_at: now })).execute();
    }
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'spotcheck:manage'), action: 'spotcheck.outcomes', objectType: 'spot_check', objectId: id, outcome: 'success',
      diff: { after: { outcomes } }, ...requestFacts(actor), occurredAt: now,
    });
    return (await loadSpotCheck(trx, id))!;
  });
}

/** 一公开: publishes the outcomes once every checklist item of every drawn target has one (spotcheck:manage). */
export async function concludeSpotCheck(services: Services, actor: Actor, id: string, outer?: Tx): Promise<SpotCheck> {
  requireAccess(actor, 'spotcheck:manage');
  return inTransaction(services, outer, async (trx) => {
    const row = await trx.selectFrom('spot_checks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('resource.not_found');
    if (row.status === 'pooled') throw new AppError('spotcheck.not_drawn');
    if (row.status === 'concluded') throw new AppError('spotcheck.concluded');
    const expected = (row.result as DrawAssignment[]).length * (row.checklist as ChecklistItem[]).length;
    const have = await trx.selectFrom('spot_check_outcomes').select((eb) => eb.fn.countAll<string>().as('n')).where('spot_check_id', '=', id).executeTakeFirstOrThrow();
    if (Number(have.n) < expected) throw new AppError('spotcheck.outcomes_incomplete', { params: { missing: expected - Number(have.n) } });
    const now = services.now();
    await trx.updateTable('spot_checks').set({ status: 'concluded', concluded_at: now, updated_at: now }).where('id', '=', id).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'spotcheck:manage'), action: 'spotcheck.conclude', objectType: 'spot_check', objectId: id, outcome: 'success',
      diff: { before: { status: 'drawn' }, after: { status: 'concluded' } }, ...requestFacts(actor), occurredAt: now,
    });
    return (await loadSpotCheck(trx, id))!;
  });
}

/**
 * Users who may be put in an inspector pool (spotcheck:manage): active users with an organization,
 * the organization being the one conflicts are decided by (the first by id, as createSpotCheck
 * takes it). `q` matches the name, username or organization.
 */
export async function listInspectorCandidates(services: Services, actor: Actor, q: string | undefined, limit = 50) {
  requireAccess(actor, 'spotcheck:manage');
  let query = services.database.db.selectFrom('users as u')
    .innerJoin('user_organizations as uo', 'uo.user_id', 'u.id').innerJoin('organizations as o', 'o.id', 'uo.organization_id')
    .select(['u.id', 'u.username', 'u.display_name', 'uo.organization_id', 'o.name as organization_name'])
    .distinctOn('u.id').where('u.status', '=', 'active').orderBy('u.id').orderBy('uo.organization_id');
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('u.display_name', 'ilike', pattern), eb('u.username', 'ilike', pattern), eb('o.name', 'ilike', pattern)]));
  }
  const rows = await query.limit(limit).execute();
  return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, organizationId: r.organization_id, organizationName: r.organization_name }))
    .sort((a, b) => a.organizationName.localeCompare(b.organizationName, 'zh-CN') || a.displayName.localeCompare(b.displayName, 'zh-CN'));
}

/** Every spot check, newest first, in batches for the streamed export (spotcheck:read). */
export async function* iterateSpotChecks(services: Services, actor: Actor, batch = 200): AsyncGenerator<SpotCheck[]> {
  requireAccess(actor, 'spotcheck:read');
  const db = services.database.db;
  for (let offset = 0; ; offset += batch) {
    const rows = await baseQuery(db).orderBy('s.created_at', 'desc').orderBy('s.id').limit(batch).offset(offset).execute();
    if (rows.length === 0) return;
    yield await Promise.all(rows.map((r) => present(db, r, true)));
    if (rows.length < batch) return;
  }
}
