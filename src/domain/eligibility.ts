// 第二十八条: whether a government information system may be given O&M funding (运维经费), with
// every reason it may not, and whether it may be rebuilt or expanded. Pure: the facts about the
// system (findings, catalog listing, security records, network) are inputs; the dates are
// Asia/Shanghai calendar dates and the testing periods are rule settings (deadlines.ts).
//
//   (一) not sharing data as required, or collecting data already collected: no O&M funding, and
//        no new building, rebuilding or expansion — only on a finding recorded by a supervisory
//        body; a similarity hit is a lead, shown as a warning, never a reason (I-20);
//   (二) not in the national master catalog: no O&M funding, nothing more (I-21, I-40);
//   (三) failing the cryptography or cybersecurity requirements, or a major unresolved hazard:
//        no O&M funding, and no new building, rebuilding or expansion (I-21, I-41);
//   and 联网为原则, 孤网为例外: an isolated-network system without a standing exception decision of
//   the State Council may neither be kept (funded) nor rebuilt (I-22, I-42).
import { cryptoAssessmentMonths, obligationStatus, periodicDue, securityTestingMonths, type SecurityPeriods, type SecurityProfile } from './deadlines.ts';
import { problemOf, type ProblemTable, type RuleProblem } from './rule-problem.ts';
import type { NetworkType } from './system-catalog.ts';

/** A supervisory finding against a system under 第二十八条(一). */
export interface SharingFinding {
  readonly kind: 'notSharing' | 'duplicateCollection';
  /** Who recorded it as a finding (国务院办公厅, 国家发展改革委 …); null: reported but not confirmed (I-20). */
  readonly confirmedBy: string | null;
  /** Rectified and closed. */
  readonly resolved: boolean;
  /** The finding's document or case number, shown with the reason. */
  readonly reference: string;
}

/** The result of a test or assessment on a day. */
export interface TestRecord {
  readonly on: string;
  readonly passed: boolean;
}

/** What the platform knows about a system, as of `today`. */
export interface SystemFundingFacts {
  readonly findings: readonly SharingFinding[];
  /** Similarity hits for duplicate collection (duplicate-collection.ts): leads, not findings. */
  readonly duplicateCollectionHits: number;
  /** Listed in the national master catalog of government information systems (第十二条). */
  readonly inMasterCatalog: boolean;
  /** The owner's list is not confirmed within catalog.confirmationDays (I-37): a warning only. */
  readonly catalogConfirmationStale: boolean;
  readonly security: SecurityProfile;
  /** The day the system went into operation; null while it has not. */
  readonly inOperationOn: string | null;
  /** The latest 等级测评 (or 安全保密测评 for 分级保护). */
  readonly lastSecurityTest: TestRecord | null;
  /** The latest 密码应用安全性评估. */
  readonly lastCryptoAssessment: TestRecord | null;
  /** 重大安全隐患 found and not yet resolved. */
  readonly unresolvedMajorHazards: number;
  readonly networkType: NetworkType;
  /** A standing 孤网 exception decision (system-catalog.ts standingException). */
  readonly hasIsolationException: boolean;
}

export type EligibilityProblemCode =
  | 'eligibility.not_sharing' | 'eligibility.duplicate_collection' | 'eligibility.not_in_catalog'
  | 'eligibility.crypto_failed' | 'eligibility.crypto_missing' | 'eligibility.crypto_overdue'
  | 'eligibility.security_test_failed' | 'eligibility.security_test_overdue' | 'eligibility.major_hazard'
  | 'eligibility.isolated_without_exception'
  | 'eligibility.unconfirmed_finding' | 'eligibility.duplicate_collection_suspected' | 'eligibility.catalog_confirmation_stale';

export type EligibilityProblem = RuleProblem<EligibilityProblemCode>;

/** Which part of 第二十八条 a reason falls under: the numbered items, or the 孤网 rule of the first paragraph. */
export type EligibilityClause = '一' | '二' | '三' | '孤网';

const CLAUSE: Readonly<Partial<Record<EligibilityProblemCode, EligibilityClause>>> = {
  'eligibility.not_sharing': '一', 'eligibility.duplicate_collection': '一', 'eligibility.not_in_catalog': '二',
  'eligibility.crypto_failed': '三', 'eligibility.crypto_missing': '三', 'eligibility.crypto_overdue': '三',
  'eligibility.security_test_failed': '三', 'eligibility.security_test_overdue': '三', 'eligibility.major_hazard': '三',
  'eligibility.isolated_without_exception': '孤网',
};

/** The clause of a reason; null for warnings. */
export function clauseOf(code: EligibilityProblemCode): EligibilityClause | null {
  return CLAUSE[code] ?? null;
}

const A = '第二十八条';
const PROBLEMS: ProblemTable<EligibilityProblemCode> = {
  'eligibility.not_sharing': {
    article: A, message: (p) => ({ zh: `（一）经认定未按要求共享数据资源（${p.reference}）`, en: `(1) Found not to share data as required (${p.reference})` }),
  },
  'eligibility.duplicate_collection': {
    article: A, message: (p) => ({ zh: `（一）经认定重复采集数据（${p.reference}）`, en: `(1) Found to collect data already collected (${p.reference})` }),
  },
  'eligibility.not_in_catalog': {
    article: A, message: () => ({ zh: '（二）未纳入国家政务信息系统总目录', en: '(2) Not listed in the national master catalog of systems' }),
  },
  'eligibility.crypto_failed': {
    article: A, message: (p) => ({ zh: `（三）密码应用安全性评估未通过（${p.on}）`, en: `(3) The cryptography assessment of ${p.on} was failed` }),
  },
  'eligibility.crypto_missing': {
    article: A, message: () => ({ zh: '（三）未开展密码应用安全性评估', en: '(3) No cryptography assessment on record' }),
  },
  'eligibility.crypto_overdue': {
    article: A, message: (p) => ({ zh: `（三）密码应用安全性评估已逾期（应于 ${p.dueOn} 前开展）`, en: `(3) The cryptography assessment is overdue (due ${p.dueOn})` }),
  },
  'eligibility.security_test_failed': {
    article: A, message: (p) => ({ zh: `（三）网络安全测评不合格（${p.on}）`, en: `(3) The security test of ${p.on} was failed` }),
  },
  'eligibility.security_test_overdue': {
    article: A, message: (p) => ({ zh: `（三）网络安全测评已逾期（应于 ${p.dueOn} 前开展）`, en: `(3) The security test is overdue (due ${p.dueOn})` }),
  },
  'eligibility.major_hazard': {
    article: A, message: (p) => ({ zh: `（三）存在 ${p.count} 项未整改的重大安全隐患`, en: `(3) ${p.count} major security hazards unresolved` }),
  },
  'eligibility.isolated_without_exception': {
    article: A,
    message: () => ({ zh: '孤网运行且无国务院批准的例外决定（联网为原则、孤网为例外）', en: 'On an isolated network without a State Council exception decision' }),
  },
  'eligibility.unconfirmed_finding': {
    article: A,
    message: (p) => ({ zh: `有尚未经认定的问题线索（${p.reference}），认定前不影响运维经费`, en: `An unconfirmed report (${p.reference}) does not count until confirmed` }),
  },
  'eligibility.duplicate_collection_suspected': {
    article: A,
    message: (p) => ({ zh: `相似度检测发现 ${p.hits} 处疑似重复采集，仅为线索，须经认定`, en: `${p.hits} suspected duplicate collections by similarity: leads only, pending a finding` }),
  },
  'eligibility.catalog_confirmation_stale': {
    article: '第十二条',
    message: () => ({ zh: '所属部门未按期确认系统目录', en: 'The owner has not confirmed its system list within the period' }),
  },
};

export interface EligibilityResult {
  readonly eligible: boolean;
  /** Every reason, each under its clause (clauseOf). */
  readonly reasons: EligibilityProblem[];
  /** What is shown but decides nothing: unconfirmed leads, a stale list confirmation. */
  readonly warnings: EligibilityProblem[];
}

/**
 * 第二十八条: O&M funding eligibility of a system on `today`, with every reason it is not
 * eligible. `periods` are the testing periods in force (deadlines.ts securityPeriods).
 */
export function omEligibility(facts: SystemFundingFacts, today: string, periods: SecurityPeriods): EligibilityResult {
  const reasons: EligibilityProblem[] = [];
  const warnings: EligibilityProblem[] = [];

  // (一) only confirmed, unresolved findings count (I-20).
  for (const f of facts.findings) {
    if (f.resolved) continue;
    if (f.confirmedBy === null) {
      warnings.push(problemOf(PROBLEMS, 'eligibility.unconfirmed_finding', { reference: f.reference }));
      continue;
    }
    const code = f.kind === 'notSharing' ? 'eligibility.not_sharing' : 'eligibility.duplicate_collection';
    reasons.push(problemOf(PROBLEMS, code, { reference: f.reference, confirmedBy: f.confirmedBy }));
  }
  if (facts.duplicateCollectionHits > 0) {
    warnings.push(problemOf(PROBLEMS, 'eligibility.duplicate_collection_suspected', { hits: String(facts.duplicateCollectionHits) }));
  }

  // (二) listing is what counts; a stale confirmation of a listed system is a warning (I-40).
  if (!facts.inMasterCatalog) reasons.push(problemOf(PROBLEMS, 'eligibility.not_in_catalog'));
  else if (facts.catalogConfirmationStale) warnings.push(problemOf(PROBLEMS, 'eligibility.catalog_confirmation_stale'));

  // (三) cryptography: the latest 密评 must not have failed; periodic from 第三级 (I-41).
  const crypto = facts.lastCryptoAssessment;
  const cryptoMonths = cryptoAssessmentMonths(facts.security, periods);
  if (crypto !== null && !crypto.passed) {
    reasons.push(problemOf(PROBLEMS, 'eligibility.crypto_failed', { on: crypto.on }));
  } else if (cryptoMonths !== null && facts.inOperationOn !== null) {
    const dueOn = periodicDue(crypto?.on ?? null, facts.inOperationOn, cryptoMonths)!;
    if (obligationStatus(dueOn, today, 0).status === 'overdue') {
      reasons.push(crypto === null ? problemOf(PROBLEMS, 'eligibility.crypto_missing', { dueOn }) : problemOf(PROBLEMS, 'eligibility.crypto_overdue', { dueOn }));
    }
  }

  // (三) cybersecurity: the latest test must not have failed, nor the next one be overdue.
  const test = facts.lastSecurityTest;
  const testMonths = securityTestingMonths(facts.security, periods);
  if (test !== null && !test.passed) {
    reasons.push(problemOf(PROBLEMS, 'eligibility.security_test_failed', { on: test.on }));
  } else if (testMonths !== null && facts.inOperationOn !== null) {
    const dueOn = periodicDue(test?.on ?? null, facts.inOperationOn, testMonths)!;
    if (obligationStatus(dueOn, today, 0).status === 'overdue') reasons.push(problemOf(PROBLEMS, 'eligibility.security_test_overdue', { dueOn }));
  }

  if (facts.unresolvedMajorHazards > 0) {
    reasons.push(problemOf(PROBLEMS, 'eligibility.major_hazard', { count: String(facts.unresolvedMajorHazards) }));
  }

  // 联网为原则, 孤网为例外 (I-22).
  if (facts.networkType === 'isolated' && !facts.hasIsolationException) {
    reasons.push(problemOf(PROBLEMS, 'eligibility.isolated_without_exception'));
  }

  return { eligible: reasons.length === 0, reasons, warnings };
}

/**
 * 第二十八条 (I-21, I-42): whether the construction unit may rebuild or expand the system (or build
 * it anew): blocked by every reason under (一) and (三), and by 孤网 without an exception; (二)
 * alone does not block (listing the system restores it).
 */
export function mayRebuild(facts: SystemFundingFacts, today: string, periods: SecurityPeriods): { allowed: boolean; reasons: EligibilityProblem[] } {
  const reasons = omEligibility(facts, today, periods).reasons.filter((r) => clauseOf(r.code) !== '二');
  return { allowed: reasons.length === 0, reasons };
}
