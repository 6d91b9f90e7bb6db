// 规则设置 (第三十四条, SPEC §12): read the settings in force, change one (central or an
// organization's own) with a reason and the date it takes effect, and read the history. A change is
// a new version (row) and an audit event in one transaction; earlier versions stay, the value in force
// on a day is the latest version effective on or before it, and decisions record the values they
// used, so nothing past is rewritten.
import { sql } from 'kysely';
import { parseWan } from '../domain/money.ts';
import { isCalendarDate } from '../domain/deadlines.ts';
import { shanghaiDate } from '../domain/plan.ts';
import { isRuleKey, normalizeRuleValue, RULE_KEYS, RULES, ruleInForce, versionInForce, type RuleKey, type RuleRow, type RuleSource, type RuleValue } from '../domain/rules.ts';
import { AppError } from '../errors.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Executor } from '../db/database.ts';
import { ancestorIds } from '../db/org-tree.ts';
import type { Services } from '../services.ts';
import { auditActorFor, requestFacts, requireAccess, type Actor } from './actor.ts';

interface VersionRow {
  seq: string;
  key: string;
  organization_id: string | null;
  value: unknown;
  reason: string;
  created_at: Date;
  effective_from: string;
  changed_by: string;
  organization_name: string | null;
}

/** Every version of every setting, in the order written (ruleInForce breaks same-day ties by it). */
async function versionRows(db: Executor): Promise<VersionRow[]> {
  const r = await sql<VersionRow>`
    select s.seq, s.key, s.organization_id, s.value, s.reason, s.created_at, s.effective_from::text as effective_from,
      u.display_name as changed_by, o.name as organization_name
    from rule_settings s join users u on u.id = s.changed_by left join organizations o on o.id = s.organization_id
    order by s.seq`.execute(db);
  return r.rows;
}

function asRuleRows(rows: readonly VersionRow[]): RuleRow[] {
  return rows.filter((r) => isRuleKey(r.key)).map((r) => ({
    key: r.key as RuleKey, organizationId: r.organization_id, effectiveFrom: r.effective_from,
    value: r.value === null ? null : normalizeRuleValue(r.key as RuleKey, r.value),
  }));
}

/** The settings in force on one day for organizations, read once (a request resolves many projects). */
export interface RuleBook {
  /** The day (Asia/Shanghai) whose versions are in force. */
  readonly on: string;
  /** The value in force for `organizationId` (its own, an ancestor's, central, default). */
  valueFor(key: RuleKey, organizationId: string): Promise<{ value: RuleValue; source: RuleSource }>;
}

/** 第三十四条: the rule book of the day `on` ('YYYY-MM-DD'; usually today in Shanghai). */
export async function ruleBook(db: Executor, on: string): Promise<RuleBook> {
  const rows = asRuleRows(await versionRows(db));
  const overridden = new Set(rows.filter((r) => r.organizationId !== null).map((r) => r.organizationId!));
  const paths = new Map<string, string[]>();
  return {
    on,
    async valueFor(key, organizationId) {
      if (overridden.size === 0) return ruleInForce(key, rows, [], on);
      let path = paths.get(organizationId);
      if (!path) {
        path = [organizationId, ...await ancestorIds(db, organizationId)];
        paths.set(organizationId, path);
      }
      return ruleInForce(key, rows, path, on);
    },
  };
}

/** Every stored version (for callers that resolve many organizations at once, e.g. the sweep). */
export async function ruleVersions(db: Executor): Promise<RuleRow[]> {
  return asRuleRows(await versionRows(db));
}

/**
 * Whether a project needs 咨询评估 (第七条, rule settings of its approval department), with the
 * values that decided it, which the accepting action records in its signed payload.
 */
export async function assessmentRule(db: Executor, project: { track: string; totalInvestment: string; approvalDepartmentId: string }, on: string) {
  const book = await ruleBook(db, on);
  const enabled = (await book.valueFor('assessment.enabled', project.approvalDepartmentId)).value === true;
  const threshold = String((await book.valueFor('assessment.thresholdWan', project.approvalDepartmentId)).value);
  const required = enabled && project.track === 'approval' && parseWan(project.totalInvestment)! >= parseWan(threshold)!;
  return { required, settings: { 'assessment.enabled': enabled, 'assessment.thresholdWan': threshold } };
}

/** One version of a setting as the API shows it. */
export interface RuleVersionView {
  organizationId: string | null;
  organizationName: string | null;
  /** null: an organization's override removed from effectiveFrom on. */
  value: RuleValue | null;
  /** '0001-01-01' for versions written before settings were versioned (in force from the beginning). */
  effectiveFrom: string;
  changedAt: string;
  changedBy: string;
  reason: string;
  /** Whether it is the version in force today for its jurisdiction, a scheduled one, or superseded. */
  state: 'inForce' | 'scheduled' | 'superseded';
}

export interface RuleSettingView {
  key: RuleKey;
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  article: string;
  unit: string;
  defaultValue: RuleValue;
  /** The central value in force today (the default until one is set). */
  value: RuleValue;
  /** The central version in force today (null: the default). */
  effectiveFrom: string | null;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
  /** Organizations' own values in force today. */
  overrides: Array<{ organizationId: string; organizationName: string; value: RuleValue; effectiveFrom: string; changedAt: string; changedBy: string; reason: string }>;
  /** Every version of the setting in every jurisdiction, newest effective date first. */
  versions: RuleVersionView[];
}

function present(key: RuleKey, rows: readonly VersionRow[], today: string): RuleSettingView {
  const def = RULES[key];
  const mine = rows.filter((r) => r.key === key);
  const ruleRows = asRuleRows(mine);
  const inForce = new Map<string | null, RuleRow | undefined>();
  const jurisdictions = [...new Set(mine.map((r) => r.organization_id))];
  for (const j of jurisdictions) inForce.set(j, versionInForce(key, ruleRows, j, today));
  const viewOf = (r: VersionRow, i: number): RuleVersionView => ({
    organizationId: r.organization_id, organizationName: r.organization_name,
    value: r.value === null ? null : normalizeRuleValue(key, r.value), effectiveFrom: r.effective_from,
    changedAt: r.created_at.toISOString(), changedBy: r.changed_by, reason: r.reason,
    state: r.effective_from > today ? 'scheduled' : inForce.get(r.organization_id) === ruleRows[i] ? 'inForce' : 'superseded',
  });
  const versions = mine.map(viewOf);
  const central = versions.find((v) => v.organizationId === null && v.state === 'inForce' && v.value !== null);
  return {
    key, name: def.name, description: def.description, article: def.article, unit: def.unit, defaultValue: def.defaultValue,
    value: central?.value ?? def.defaultValue, effectiveFrom: central?.effectiveFrom ?? null,
    changedAt: central?.changedAt ?? null, changedBy: central?.changedBy ?? null, reason: central?.reason ?? null,
    overrides: versions.filter((v) => v.organizationId !== null && v.state === 'inForce' && v.value !== null).map((v) => ({
      organizationId: v.organizationId!, organizationName: v.organizationName ?? '', value: v.value!, effectiveFrom: v.effectiveFrom,
      changedAt: v.changedAt, changedBy: v.changedBy, reason: v.reason,
    })),
    versions: versions.reverse().sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0)),
  };
}

/** Every setting with its central value, the organizations' own and every version (any signed-in user). */
export async function listRuleSettings(services: Services): Promise<RuleSettingView[]> {
  const rows = await versionRows(services.database.db);
  const today = shanghaiDate(services.now());
  return RULE_KEYS.map((key) => present(key, rows, today));
}

export interface RuleChange {
  /** null: the central value; otherwise that organization's own. */
  organizationId: string | null;
  /** null removes an organization's override. */
  value: unknown;
  reason: string;
  /** 'YYYY-MM-DD', today or later (Asia/Shanghai); absent: today. */
  effectiveFrom?: string | undefined;
}

/**
 * 第三十四条: adds a version of a setting (rule:update, held by the security administrator, I-56),
 * in force from `effectiveFrom` (today or later, never the past: a past day's values are what
 * decisions and obligations of that day were computed with). Central needs the all scope, an
 * organization's needs it in scope.
 */
export async function updateRuleSetting(services: Services, actor: Actor, key: string, change: RuleChange): Promise<RuleSettingView> {
  const scope = requireAccess(actor, 'rule:update');
  if (!isRuleKey(key)) throw new AppError('resource.not_found');
  const inScope = scope.all || (change.organizationId !== null && scope.organizationIds.includes(change.organizationId));
  if (!inScope) throw new AppError('auth.forbidden');
  const today = shanghaiDate(services.now());
  const effectiveFrom = change.effectiveFrom ?? today;
  if (!isCalendarDate(effectiveFrom)) throw new AppError('validation.failed', { fields: [{ path: 'effectiveFrom', code: 'invalid_format' }] });
  if (effectiveFrom < today) throw new AppError('validation.failed', { fields: [{ path: 'effectiveFrom', code: 'rule.effective_in_past' }] });
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
    const before = versionInForce(key, asRuleRows(await versionRows(trx)), change.organizationId, effectiveFrom);
    await trx.insertInto('rule_settings').values({
      key, organization_id: change.organizationId, value: value === null ? null : JSON.stringify(value),
      reason: change.reason.trim(), changed_by: actor.userId, created_at: services.now(), effective_from: effectiveFrom,
    }).execute();
    await appendAuditEvent(trx, {
      actor: auditActorFor(actor, 'rule:update'), action: 'rule.update', objectType: 'rule_setting', objectId: key,
      outcome: 'success', ...requestFacts(actor),
      diff: {
        before: { organizationId: change.organizationId, value: before ? before.value : null, effectiveFrom: before?.effectiveFrom ?? null },
        after: { organizationId: change.organizationId, value, reason: change.reason.trim(), effectiveFrom },
      },
    });
    return present(key, await versionRows(trx), today);
  });
}

/** Every change of the settings, newest first (any signed-in user may read the rules). */
export async function ruleHistory(services: Services, key: string | undefined) {
  let q = services.database.db.selectFrom('rule_settings as s').innerJoin('users as u', 'u.id', 's.changed_by')
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['s.key', 's.organization_id', 's.value', 's.reason', 's.created_at', sql<string>`s.effective_from::text`.as('effective_from'), 'u.display_name', 'o.name as organization_name'])
    .orderBy('s.seq', 'desc').limit(1000);
  if (key !== undefined) q = q.where('s.key', '=', key);
  const rows = await q.execute();
  return rows.map((r) => ({
    key: r.key, organizationId: r.organization_id, organizationName: r.organization_name, value: r.value,
    effectiveFrom: r.effective_from, changedAt: r.created_at.toISOString(), changedBy: r.display_name, reason: r.reason,
  }));
}
