// 规则设置 (第三十四条, SPEC §12): read the settings in force, change one (central or an
// organization's own) with a reason, and read the history. A change is a new row and an audit
// event in one transaction; decisions record the values they used, so nothing past is rewritten.
import { sql } from 'kysely';
import { parseWan } from '../domain/money.ts';
import { isRuleKey, normalizeRuleValue, RULE_KEYS, RULES, ruleInForce, type RuleKey, type RuleRow, type RuleSource, type RuleValue } from '../domain/rules.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor } from '../db/database.ts';
import { ancestorIds } from '../db/org-tree.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

interface LatestRow {
  key: string;
  organization_id: string | null;
  value: unknown;
  reason: string;
  created_at: Date;
  changed_by: string;
  organization_name: string | null;
}

async function latestRows(db: Executor): Promise<LatestRow[]> {
  const r = await sql<LatestRow>`
    select distinct on (s.key, s.organization_id) s.key, s.organization_id, s.value, s.reason, s.created_at,
      u.display_name as changed_by, o.name as organization_name
    from rule_settings s join users u on u.id = s.changed_by left join organizations o on o.id = s.organization_id
    order by s.key, s.organization_id, s.seq desc`.execute(db);
  return r.rows;
}

function asRuleRows(rows: readonly LatestRow[]): RuleRow[] {
  return rows.filter((r) => isRuleKey(r.key)).map((r) => ({
    key: r.key as RuleKey, organizationId: r.organization_id, value: r.value === null ? null : normalizeRuleValue(r.key as RuleKey, r.value),
  }));
}

/** The settings in force for organizations, read once (a request resolves many projects). */
export interface RuleBook {
  /** The value in force for `organizationId` (its own, an ancestor's, central, default). */
  valueFor(key: RuleKey, organizationId: string): Promise<{ value: RuleValue; source: RuleSource }>;
}

export async function ruleBook(db: Executor): Promise<RuleBook> {
  const rows = asRuleRows(await latestRows(db));
  const overridden = new Set(rows.filter((r) => r.organizationId !== null).map((r) => r.organizationId!));
  const paths = new Map<string, string[]>();
  return {
    async valueFor(key, organizationId) {
      if (overridden.size === 0) return ruleInForce(key, rows, []);
      let path = paths.get(organizationId);
      if (!path) {
        path = [organizationId, ...await ancestorIds(db, organizationId)];
        paths.set(organizationId, path);
      }
      return ruleInForce(key, rows, path);
    },
  };
}

/**
 * Whether a project needs 咨询评估 (第七条, rule settings of its approval department), with the
 * values that decided it, which the accepting action records in its signed payload.
 */
export async function assessmentRule(db: Executor, project: { track: string; totalInvestment: string; approvalDepartmentId: string }) {
  const book = await ruleBook(db);
  const enabled = (await book.valueFor('assessment.enabled', project.approvalDepartmentId)).value === true;
  const threshold = String((await book.valueFor('assessment.thresholdWan', project.approvalDepartmentId)).value);
  const required = enabled && project.track === 'approval' && parseWan(project.totalInvestment)! >= parseWan(threshold)!;
  return { required, settings: { 'assessment.enabled': enabled, 'assessment.thresholdWan': threshold } };
}

export interface RuleSettingView {
  key: RuleKey;
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  article: string;
  unit: string;
  defaultValue: RuleValue;
  /** The central value in force (the default until NDRC sets one). */
  value: RuleValue;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
  overrides: Array<{ organizationId: string; organizationName: string; value: RuleValue; changedAt: string; changedBy: string; reason: string }>;
}

function present(key: RuleKey, rows: readonly LatestRow[]): RuleSettingView {
  const def = RULES[key];
  const central = rows.find((r) => r.key === key && r.organization_id === null);
  return {
    key, name: def.name, description: def.description, article: def.article, unit: def.unit, defaultValue: def.defaultValue,
    value: central ? normalizeRuleValue(key, central.value) ?? def.defaultValue : def.defaultValue,
    changedAt: central?.created_at.toISOString() ?? null, changedBy: central?.changed_by ?? null, reason: central?.reason ?? null,
    overrides: rows.filter((r) => r.key === key && r.organization_id !== null && r.value !== null).map((r) => ({
      organizationId: r.organization_id!, organizationName: r.organization_name ?? '', value: normalizeRuleValue(key, r.value)!,
      changedAt: r.created_at.toISOString(), changedBy: r.changed_by, reason: r.reason,
    })),
  };
}

/** Every setting with its central value and the organizations' own (any signed-in user). */
export async function listRuleSettings(services: Services): Promise<RuleSettingView[]> {
  const rows = await latestRows(services.database.db);
  return RULE_KEYS.map((key) => present(key, rows));
}

export interface RuleChange {
  /** null: the central value; otherwise that organization's own. */
  organizationId: string | null;
  /** null removes an organization's override. */
  value: unknown;
  reason: string;
}

/** Changes a setting (rule:update): central needs the all scope, an organization's needs it in scope. */
export async function updateRuleSetting(services: Services, actor: Actor, key: string, change: RuleChange): Promise<RuleSettingView> {
  const scope = requireAccess(actor, 'rule:update');
  if (!isRuleKey(key)) throw new AppError('resource.not_found');
  const inScope = scope.all || (change.organizationId !== null && scope.organizationIds.includes(change.organizationId));
  if (!inScope) throw new AppError('auth.forbidden');
  if (change.reason.trim().length === 0) throw new AppError('validation.failed', { fields: [{ path: 'reason', code: 'required' }] });
  const value = change.value === null ? null : normalizeRuleValue(key, change.value);
  if (value === null && (change.value !== null || change.organizationId === null)) {
    throw new AppError('validation.failed', { fields: [{ path: 'value', code: `rule.invalid_${RULES[key].unit}` }] });
  }
  return services.database.db.transaction().execute(async (trx) => {
    if (change.organizationId !== null) {
      const org = await trx.selectFrom('organizations').select('id').where('id', '=', change.organizationId).executeTakeFirst();
      if (!org) throw new AppError('validation.failed', { fields: [{ path: 'organizationId', code: 'invalid_value' }] });
    }
    const before = (await latestRows(trx)).find((r) => r.key === key && r.organization_id === change.organizationId);
    await trx.insertInto('rule_settings').values({
      key, organization_id: change.organizationId, value: value === null ? null : JSON.stringify(value),
      reason: change.reason.trim(), changed_by: actor.userId, created_at: services.now(),
    }).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'rule:update'), action: 'rule.update', objectType: 'rule_setting', objectId: key,
      outcome: 'success', ...requestFacts(actor),
      diff: {
        before: { organizationId: change.organizationId, value: before ? before.value : null },
        after: { organizationId: change.organizationId, value, reason: change.reason.trim() },
      },
    });
    return present(key, await latestRows(trx));
  });
}

/** Every change of the settings, newest first (any signed-in user may read the rules). */
export async function ruleHistory(services: Services, key: string | undefined) {
  let q = services.database.db.selectFrom('rule_settings as s').innerJoin('users as u', 'u.id', 's.changed_by')
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['s.key', 's.organization_id', 's.value', 's.reason', 's.created_at', 'u.display_name', 'o.name as organization_name'])
    .orderBy('s.seq', 'desc').limit(1000);
  if (key !== undefined) q = q.where('s.key', '=', key);
  const rows = await q.execute();
  return rows.map((r) => ({
    key: r.key, organizationId: r.organization_id, organizationName: r.organization_name, value: r.value,
    changedAt: r.created_at.toISOString(), changedBy: r.display_name, reason: r.reason,
  }));
}
