// Acceptance and post-evaluation (第二十五条, 第二十六条, 第二十七条) as pure rules: the materials an
// acceptance application attaches and which of them are present, what stands in the way of
// applying and of a passing decision, and the conclusions of a third-party post-evaluation.
// The deadlines themselves are in deadlines.ts (acceptanceApplicationDue, selfEvaluationWindow).
// Pure: no I/O; the callers gather the facts.
import { problemOf, type ProblemTable, type RuleProblem } from './rule-problem.ts';
import { MATERIALS, type LocalizedText, type MaterialCode } from './lifecycle.ts';

// ---------------------------------------------------------------------------------------------
// 第二十五条: the application's materials

/** One line of the acceptance checklist: satisfied by any one of its material codes. */
export interface AcceptanceChecklistRule {
  readonly key: 'constructionSummary' | 'financialReport' | 'auditReport' | 'securityRiskAssessment' | 'cryptoAssessment';
  readonly name: LocalizedText;
  /** Any one of these uploaded satisfies the line. */
  readonly anyOf: readonly MaterialCode[];
}

export interface AcceptanceChecklistItem extends AcceptanceChecklistRule {
  readonly satisfied: boolean;
  /** The codes present among `anyOf`. */
  readonly presentCodes: readonly MaterialCode[];
}

/**
 * 第二十五条: 建设总结, 财务报告, 审计报告, 安全风险评估报告 (涉密: 安全保密测评报告 or 风险评估报告;
 * otherwise 网络安全等级保护测评报告) and 密码应用安全性评估报告. The 底稿 breaks the parenthesis of the
 * security report in two (compliance.md, 底稿文本问题); this is its recognizable reading.
 */
export function acceptanceChecklistRules(classified: boolean): AcceptanceChecklistRule[] {
  const one = (key: AcceptanceChecklistRule['key'], code: MaterialCode): AcceptanceChecklistRule => ({ key, name: MATERIALS[code].name, anyOf: [code] });
  return [
    one('constructionSummary', 'constructionSummary'),
    one('financialReport', 'financialReport'),
    one('auditReport', 'auditReport'),
    classified
      ? {
        key: 'securityRiskAssessment', anyOf: ['classifiedSecurityTestReport', 'riskAssessmentReport'],
        name: { zh: '安全风险评估报告（安全保密测评报告或风险评估报告）', en: 'Security risk assessment (security and secrecy test report or risk assessment report)' },
      }
      : {
        key: 'securityRiskAssessment', anyOf: ['mlpsTestReport'],
        name: { zh: '安全风险评估报告（网络安全等级保护测评报告）', en: 'Security risk assessment (graded-protection test report)' },
      },
    { key: 'cryptoAssessment', anyOf: ['acceptanceCryptoAssessment'], name: { zh: '密码应用安全性评估报告', en: 'Cryptography application security assessment report' } },
  ];
}

/** 第二十五条: the live checklist: every line with whether an uploaded material satisfies it. */
export function acceptanceChecklist(classified: boolean, present: readonly MaterialCode[]): AcceptanceChecklistItem[] {
  return acceptanceChecklistRules(classified).map((rule) => {
    const presentCodes = rule.anyOf.filter((c) => present.includes(c));
    return { ...rule, satisfied: presentCodes.length > 0, presentCodes };
  });
}

/** Every material code an acceptance application may carry (either branch of the security line). */
export const ACCEPTANCE_MATERIAL_CODES: readonly MaterialCode[] = [
  'constructionSummary', 'financialReport', 'auditReport', 'mlpsTestReport', 'classifiedSecurityTestReport', 'riskAssessmentReport',
  'acceptanceCryptoAssessment',
];

// ---------------------------------------------------------------------------------------------
// 第十六条: what the acceptance reviews besides the materials

/** The project's 第十六条 records (its own and those of the systems it built), as the caller read them. */
export interface AcceptanceReviewFacts {
  /** 安全可靠产品 recorded, by category. */
  readonly products: Readonly<Record<'hardware' | 'software' | 'crypto', number>>;
  /** 密码应用方案 recorded. */
  readonly cryptoPlan: boolean;
  /** The latest 密码应用安全性评估: its date and conclusion; null when none. */
  readonly cryptoAssessment: { readonly occurredOn: string; readonly passed: boolean } | null;
  /** 数据中心能效 records, latest first: the data centre, its PUE (decimal text) and the date measured. */
  readonly energy: ReadonlyArray<{ readonly dataCentre: string; readonly pue: string; readonly occurredOn: string }>;
}

export type AcceptanceReviewStatus = 'recorded' | 'missing' | 'failed';

export interface AcceptanceReviewItem {
  readonly key: 'secureProducts' | 'cryptography' | 'energy';
  readonly name: LocalizedText;
  readonly status: AcceptanceReviewStatus;
  /** What is on record, or what is not. */
  readonly summary: LocalizedText;
}

/**
 * 第十六条: 软硬件安全可靠、密码应用及安全性评估、硬件设备和新建数据中心能效是验收的重要内容. The three
 * lines the acceptance reviews, each with what the project has on record. I-93: they inform the
 * unit before it applies and the approval department when it decides; they do not block the
 * application, whose required materials 第二十五条 lists exhaustively (the 密评 report is one of
 * them). No limit for PUE is given (I-50), so a PUE is shown, not judged.
 */
export function acceptanceReviewItems(facts: AcceptanceReviewFacts): AcceptanceReviewItem[] {
  const { hardware, software, crypto } = facts.products;
  const productCount = hardware + software + crypto;
  const assessment = facts.cryptoAssessment;
  const latestEnergy = facts.energy[0];
  return [
    {
      key: 'secureProducts',
      name: { zh: '软硬件安全可靠情况', en: 'Secure and reliable hardware and software' },
      status: productCount > 0 ? 'recorded' : 'missing',
      summary: productCount > 0
        ? { zh: `已登记安全可靠产品 ${productCount} 项（硬件 ${hardware}、软件 ${software}、密码产品 ${crypto}）`, en: `${productCount} secure and reliable products on record (hardware ${hardware}, software ${software}, cryptographic ${crypto})` }
        : { zh: '未登记安全可靠产品', en: 'No secure and reliable product on record' },
    },
    {
      key: 'cryptography',
      name: { zh: '密码应用及安全性评估', en: 'Cryptography application and its assessment' },
      status: assessment?.passed === false ? 'failed' : facts.cryptoPlan && assessment?.passed === true ? 'recorded' : 'missing',
      summary: {
        zh: `${facts.cryptoPlan ? '已有密码应用方案' : '未登记密码应用方案'}；${assessment === null ? '未登记密评' : `最近一次密评 ${assessment.occurredOn}${assessment.passed ? '通过' : '未通过'}`}`,
        en: `${facts.cryptoPlan ? 'Cryptography plan on record' : 'No cryptography plan on record'}; ${assessment === null ? 'no assessment on record' : `latest assessment ${assessment.occurredOn} ${assessment.passed ? 'passed' : 'failed'}`}`,
      },
    },
    {
      key: 'energy',
      name: { zh: '硬件设备和新建数据中心能效', en: 'Energy efficiency of hardware and new data centres' },
      status: latestEnergy ? 'recorded' : 'missing',
      summary: latestEnergy
        ? { zh: `${latestEnergy.dataCentre} PUE ${latestEnergy.pue}（${latestEnergy.occurredOn}）${facts.energy.length > 1 ? `等 ${facts.energy.length} 条` : ''}`, en: `${latestEnergy.dataCentre} PUE ${latestEnergy.pue} (${latestEnergy.occurredOn})${facts.energy.length > 1 ? `, ${facts.energy.length} records` : ''}` }
        : { zh: '未登记能效（PUE）记录；新建数据中心的须登记', en: 'No energy-efficiency (PUE) record; required where a data centre is built' },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Problems

export type AcceptanceProblemCode =
  | 'acceptance.not_completed' | 'acceptance.material_missing' | 'acceptance.application_pending' | 'acceptance.already_accepted'
  | 'acceptance.no_application' | 'acceptance.archive_missing' | 'acceptance.archive_failed' | 'acceptance.opinion_missing'
  | 'acceptance.operation_before_completion' | 'acceptance.extension_pending'
  | 'postEvaluation.no_self_evaluation' | 'postEvaluation.open' | 'postEvaluation.report_missing' | 'postEvaluation.not_accepted'
  | 'postEvaluation.opinion_missing';

const PROBLEMS: ProblemTable<AcceptanceProblemCode> = {
  'acceptance.not_completed': {
    article: '第二十五条',
    message: () => ({ zh: '项目尚未建成，建成后方可申请验收', en: 'The project is not completed yet; acceptance is applied for after completion' }),
  },
  'acceptance.material_missing': {
    article: '第二十五条',
    message: (p) => ({ zh: `缺少验收申请材料：${p.nameZh}`, en: `Missing acceptance material: ${p.nameEn}` }),
  },
  'acceptance.application_pending': {
    article: '第二十五条',
    message: () => ({ zh: '已有待审批部门组织验收的申请', en: 'An acceptance application is already waiting for the approval department' }),
  },
  'acceptance.already_accepted': {
    article: '第二十五条',
    message: (p) => ({ zh: `项目已于 ${p.acceptedOn} 通过验收`, en: `The project passed acceptance on ${p.acceptedOn}` }),
  },
  'acceptance.no_application': {
    article: '第二十五条',
    message: () => ({ zh: '建设单位尚未提交验收申请', en: 'The construction unit has not applied for acceptance' }),
  },
  'acceptance.archive_missing': {
    article: '第二十六条',
    message: () => ({ zh: '档案尚未验收，不得通过项目验收', en: 'The archives have not been accepted; the project cannot pass acceptance' }),
  },
  'acceptance.archive_failed': {
    article: '第二十六条',
    message: (p) => ({ zh: `档案验收不合格（${p.acceptedOn}），不得通过项目验收`, en: `The archive acceptance of ${p.acceptedOn} failed; the project cannot pass acceptance` }),
  },
  'acceptance.opinion_missing': {
    article: '第二十五条',
    message: () => ({ zh: '须填写验收意见', en: 'Give the acceptance opinion' }),
  },
  'acceptance.operation_before_completion': {
    article: '第二十七条',
    message: (p) => ({ zh: `投入运行日期（${p.inOperationOn}）不能早于建成日期 ${p.completedOn}`, en: `The go-live date ${p.inOperationOn} cannot precede completion on ${p.completedOn}` }),
  },
  'acceptance.extension_pending': {
    article: '第二十五条',
    message: () => ({ zh: '已有待审批部门决定的延期验收申请', en: 'An extension request is already waiting for the approval department' }),
  },
  'postEvaluation.not_accepted': {
    article: '第二十七条',
    message: () => ({ zh: '项目尚未通过验收并投入运行', en: 'The project has not passed acceptance and gone into operation' }),
  },
  'postEvaluation.no_self_evaluation': {
    article: '第二十七条',
    message: () => ({ zh: '后评价根据建设单位的自评情况开展，须先有自评价报告', en: 'A post-evaluation builds on the unit’s self-evaluation; none has been submitted' }),
  },
  'postEvaluation.open': {
    article: '第二十七条',
    message: (p) => ({ zh: `已委托${p.organization}开展后评价，尚未完成`, en: `${p.organization} is already commissioned and has not concluded` }),
  },
  'postEvaluation.opinion_missing': {
    article: '第二十七条',
    message: () => ({ zh: '须填写后评价意见', en: 'Give the post-evaluation opinion' }),
  },
  'postEvaluation.report_missing': {
    article: '第二十七条',
    message: () => ({ zh: '请先上传第三方后评价报告', en: 'Upload the third-party post-evaluation report first' }),
  },
};

export type AcceptanceProblem = RuleProblem<AcceptanceProblemCode>;

const problem = (code: AcceptanceProblemCode, params: Record<string, string> = {}) => problemOf(PROBLEMS, code, params);

// ---------------------------------------------------------------------------------------------
// 第二十五条: applying

export interface AcceptanceFacts {
  readonly completedOn: string | null;
  readonly acceptedOn: string | null;
  /** An application submitted and not yet decided. */
  readonly applicationPending: boolean;
}

/**
 * 第二十五条: what stands in the way of applying for acceptance: the project must be completed,
 * not already accepted, with no application waiting, and every line of the checklist satisfied
 * (each missing line is its own problem, so the refusal lists them all).
 */
export function acceptanceApplicationProblems(facts: AcceptanceFacts, checklist: readonly AcceptanceChecklistItem[]): AcceptanceProblem[] {
  if (facts.completedOn === null) return [problem('acceptance.not_completed')];
  if (facts.acceptedOn !== null) return [problem('acceptance.already_accepted', { acceptedOn: facts.acceptedOn })];
  const problems: AcceptanceProblem[] = [];
  if (facts.applicationPending) problems.push(problem('acceptance.application_pending'));
  for (const item of checklist) {
    if (!item.satisfied) problems.push(problem('acceptance.material_missing', { key: item.key, nameZh: item.name.zh, nameEn: item.name.en }));
  }
  return problems;
}

/**
 * 第二十五条 (I-3): an extension may be requested while acceptance is neither applied for nor
 * passed, one request at a time; the date rules are extensionRequestProblems (deadlines.ts).
 */
export function extensionStateProblems(facts: AcceptanceFacts & { extensionPending: boolean }): AcceptanceProblem[] {
  if (facts.completedOn === null) return [problem('acceptance.not_completed')];
  if (facts.acceptedOn !== null) return [problem('acceptance.already_accepted', { acceptedOn: facts.acceptedOn })];
  const problems: AcceptanceProblem[] = [];
  if (facts.applicationPending) problems.push(problem('acceptance.application_pending'));
  if (facts.extensionPending) problems.push(problem('acceptance.extension_pending'));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// 第二十五条, 第二十六条: the decision

export type AcceptanceResult = 'pass' | 'fail';

/** The latest archive acceptance (档案验收): its date and result. */
export interface ArchiveAcceptance {
  readonly acceptedOn: string;
  readonly result: AcceptanceResult;
}

export interface AcceptanceDecisionInput {
  readonly result: AcceptanceResult;
  readonly opinion: string;
  readonly completedOn: string;
  readonly inOperationOn: string;
  readonly applicationPending: boolean;
  /** The latest archive acceptance; null when none is recorded. */
  readonly archive: ArchiveAcceptance | null;
}

/**
 * 第二十五条, 第二十六条 (I-19): the approval department decides on an application waiting for it,
 * with an opinion. A pass needs the latest archive acceptance to have passed: archives not
 * accepted, or failed, block it. A failed acceptance needs no archive acceptance. The go-live
 * date may precede the acceptance (trial operation) but not the completion (I-54).
 */
export function acceptanceDecisionProblems(input: AcceptanceDecisionInput): AcceptanceProblem[] {
  const problems: AcceptanceProblem[] = [];
  if (!input.applicationPending) problems.push(problem('acceptance.no_application'));
  if (input.opinion.replace(/[\s\u3000]/g, '') === '') problems.push(problem('acceptance.opinion_missing'));
  if (input.result === 'pass') {
    if (input.archive === null) problems.push(problem('acceptance.archive_missing'));
    else if (input.archive.result === 'fail') problems.push(problem('acceptance.archive_failed', { acceptedOn: input.archive.acceptedOn }));
    if (input.inOperationOn < input.completedOn) {
      problems.push(problem('acceptance.operation_before_completion', { inOperationOn: input.inOperationOn, completedOn: input.completedOn }));
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// 第二十七条: third-party post-evaluation

/** 后评价结论: 继续运行 / 整改 / 创新 / 退出. */
export const POST_EVALUATION_CONCLUSIONS = ['continue', 'remediate', 'innovate', 'retire'] as const;
export type PostEvaluationConclusion = (typeof POST_EVALUATION_CONCLUSIONS)[number];

export const CONCLUSION_NAMES: Readonly<Record<PostEvaluationConclusion, LocalizedText>> = {
  continue: { zh: '继续运行', en: 'Continue as is' },
  remediate: { zh: '整改', en: 'Remediate' },
  innovate: { zh: '创新', en: 'Innovate' },
  retire: { zh: '退出', en: 'Retire' },
};

/**
 * 第二十七条 (I-55): the approval department commissions a third-party post-evaluation "根据项目
 * 建设单位的自评情况": after acceptance, on a submitted self-evaluation, one commission open at a time.
 */
export function commissionProblems(facts: { acceptedOn: string | null; selfEvaluationSubmitted: boolean; openCommission: string | null }): AcceptanceProblem[] {
  if (facts.acceptedOn === null) return [problem('postEvaluation.not_accepted')];
  const problems: AcceptanceProblem[] = [];
  if (!facts.selfEvaluationSubmitted) problems.push(problem('postEvaluation.no_self_evaluation'));
  if (facts.openCommission !== null) problems.push(problem('postEvaluation.open', { organization: facts.openCommission }));
  return problems;
}

/** 第二十七条 (I-55): the evaluator concludes with its report uploaded and an opinion. */
export function conclusionProblems(facts: { reportUploaded: boolean; opinion: string }): AcceptanceProblem[] {
  const problems: AcceptanceProblem[] = [];
  if (!facts.reportUploaded) problems.push(problem('postEvaluation.report_missing'));
  if (facts.opinion.replace(/[\s\u3000]/g, '') === '') problems.push(problem('postEvaluation.opinion_missing'));
  return problems;
}
