// 规则设置 (第三十四条, SPEC §12): thresholds and deadlines are settings with central defaults;
// a province or ministry may run its own. Pure: the definitions, validation of a new value and
// the resolution of the value in force for an organization. The history lives in the database
// (rule_settings); a decision records the values it used in its signed payload, so a later
// change never rewrites it.
import { formatWan, parseWan, wanDecimals } from './money.ts';

export type RuleUnit = 'wan' | 'days' | 'boolean';
export type RuleValue = string | number | boolean;

export interface RuleDefinition {
  readonly key: RuleKey;
  readonly name: { readonly zh: string; readonly en: string };
  readonly description: { readonly zh: string; readonly en: string };
  /** The article the setting implements or the SPEC section that asks for it. */
  readonly article: string;
  readonly unit: RuleUnit;
  readonly defaultValue: RuleValue;
}

export const RULE_KEYS = [
  'assessment.enabled', 'assessment.thresholdWan',
  'deadline.signatureDays', 'deadline.acceptDays', 'deadline.assessmentDays', 'deadline.reviewDays',
  'deadline.filingDays', 'deadline.revisionDays', 'catalog.confirmationDays',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

const days = (key: RuleKey, zh: string, en: string, value: number, descZh: string, descEn: string): RuleDefinition => ({
  key, name: { zh, en }, description: { zh: descZh, en: descEn }, article: 'SPEC §11', unit: 'days', defaultValue: value,
});

/**
 * The settings and their central defaults. 第七条 lets the approval department entrust a
 * 咨询评估单位 without fixing when; the default requires it for approval-track projects of at
 * least 3000万元 (interpretation I-35 in docs/compliance.md). The handling periods are not set by
 * the 办法 at all: they are the platform's service levels for the worklist (interpretation I-36).
 */
export const RULES: Readonly<Record<RuleKey, RuleDefinition>> = {
  'assessment.enabled': {
    key: 'assessment.enabled', article: '第七条', unit: 'boolean', defaultValue: true,
    name: { zh: '审批类项目须咨询评估', en: 'Assessment of approval-track projects' },
    description: {
      zh: '开启后，达到金额门槛的审批类项目受理后须经咨询评估单位评估',
      en: 'When on, approval-track projects at or above the threshold are assessed by a consulting assessor after acceptance',
    },
  },
  'assessment.thresholdWan': {
    key: 'assessment.thresholdWan', article: '第七条', unit: 'wan', defaultValue: '3000.00',
    name: { zh: '咨询评估金额门槛（万元）', en: 'Assessment threshold (10k yuan)' },
    description: {
      zh: '项目总投资不低于该金额时须咨询评估',
      en: 'Projects whose total investment is at least this amount are assessed',
    },
  },
  'deadline.signatureDays': days('deadline.signatureDays', '单位负责人签章时限（日）', 'Days to sign', 5,
    '经办人提交后，单位负责人签章的期限', 'Days the unit lead has to sign a submission'),
  'deadline.acceptDays': days('deadline.acceptDays', '受理时限（日）', 'Days to accept', 5,
    '申报材料提交后，审批部门受理的期限', 'Days the approval department has to accept a submission'),
  'deadline.assessmentDays': days('deadline.assessmentDays', '咨询评估时限（日）', 'Days to assess', 30,
    '委托咨询评估后，评估单位提交评估报告的期限', 'Days the assessor has to deliver the report'),
  'deadline.reviewDays': days('deadline.reviewDays', '审核批复时限（日）', 'Days to decide', 20,
    '进入审核后，审批部门作出批复决定的期限', 'Days the approval department has to decide once under review'),
  'deadline.filingDays': days('deadline.filingDays', '备案办理时限（日）', 'Days to file', 20,
    '备案材料提交后，国家发展改革委办理备案的期限', 'Days NDRC has to file or return a filing'),
  'deadline.revisionDays': days('deadline.revisionDays', '退回修改时限（日）', 'Days to revise', 30,
    '退回修改或补正后，建设单位重新提交的期限', 'Days the construction unit has to resubmit after a return'),
  // 第十二条 asks departments to keep their system lists current (及时更新) without a period; the
  // platform flags a list not confirmed for a year (interpretation in docs/compliance.md).
  'catalog.confirmationDays': {
    key: 'catalog.confirmationDays', article: '第十二条', unit: 'days', defaultValue: 365,
    name: { zh: '系统目录确认周期（日）', en: 'System list confirmation period (days)' },
    description: {
      zh: '各部门应在该期限内重新确认本单位政务信息系统目录，逾期未确认的部门在总目录中标出',
      en: 'Departments confirm their system list again within this period; those that do not are flagged in the national catalog',
    },
  },
};

/** A stored value as the setting's type, or null when it is not valid for the setting. */
export function normalizeRuleValue(key: RuleKey, value: unknown): RuleValue | null {
  switch (RULES[key].unit) {
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'days':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 365 ? value : null;
    case 'wan': {
      // Project amounts are 万元 with two places (SPEC §2); so is the threshold they meet.
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
      const fen = wanDecimals(text) <= 2 ? parseWan(text) : null;
      return fen === null || fen < 0n ? null : formatWan(fen);
    }
  }
}

export function isRuleKey(value: string): value is RuleKey {
  return (RULE_KEYS as readonly string[]).includes(value);
}

/** One stored row: the latest value of a key for an organization (null: central). */
export interface RuleRow {
  readonly key: RuleKey;
  readonly organizationId: string | null;
  /** null on an organization's row: its override was removed. */
  readonly value: RuleValue | null;
}

/** Where a value in force comes from. */
export type RuleSource = { kind: 'default' } | { kind: 'central' } | { kind: 'organization'; organizationId: string };

/**
 * The value in force for an organization: the override of the nearest organization on its
 * path to the root (`path`: the organization first, then its ancestors), else the central
 * value, else the default.
 */
export function ruleInForce(key: RuleKey, rows: readonly RuleRow[], path: readonly string[]): { value: RuleValue; source: RuleSource } {
  for (const organizationId of path) {
    const row = rows.find((r) => r.key === key && r.organizationId === organizationId);
    if (row && row.value !== null) return { value: row.value, source: { kind: 'organization', organizationId } };
  }
  const central = rows.find((r) => r.key === key && r.organizationId === null);
  if (central && central.value !== null) return { value: central.value, source: { kind: 'central' } };
  return { value: RULES[key].defaultValue, source: { kind: 'default' } };
}
