// The approval and filing lifecycle of a project (第七条–第十一条) as a pure state machine.
//
// Everything that later code needs to know about the lifecycle is data in this file: the
// states, the transition table (who may do what, from where, to where, under which article,
// guarded by which rules), the starting rules and the material checklists. Use cases, the
// API's dry run, the UI's buttons and docs/lifecycle.md all read these; none re-encodes a rule.
// Pure: no I/O, no clock, no framework. Construction phases (下达投资计划 onwards) are not here.

import type { Permission, RoleCode } from './authz.ts';

/** Chinese text with its English counterpart (UI text is Chinese first). */
export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

/** The articles of the Measures that this machine implements. */
export type Article = '第七条' | '第八条' | '第九条' | '第十一条' | '第二十五条' | '第二十七条';

// ---------------------------------------------------------------------------------------------
// Tracks, stages, statuses, states

/** 管理方式: 审批类 projects go through the stages of 第七条, 备案类 ones are filed (第九条). */
export const TRACKS = ['approval', 'filing'] as const;
export type Track = (typeof TRACKS)[number];

/** 审批阶段 of the approval track (第七条); `combinedStage` is the urgent 可研+初设+概算 stage. */
export const APPROVAL_STAGES = ['proposal', 'feasibilityStudy', 'preliminaryDesign', 'combinedStage'] as const;
export type ApprovalStage = (typeof APPROVAL_STAGES)[number];

/** Every stage; the filing track has the single stage `filing` (第九条). */
export type Stage = ApprovalStage | 'filing';
export const STAGES: readonly Stage[] = [...APPROVAL_STAGES, 'filing'];

/** Display names of the stages. */
export const STAGE_NAMES: Readonly<Record<Stage, LocalizedText>> = {
  proposal: { zh: '项目建议书', en: 'Project proposal' },
  feasibilityStudy: { zh: '可行性研究报告', en: 'Feasibility study' },
  preliminaryDesign: { zh: '初步设计方案和投资概算', en: 'Preliminary design and budget estimate' },
  combinedStage: { zh: '可研、初设和概算合并编报', en: 'Combined feasibility study, preliminary design and budget estimate' },
  filing: { zh: '备案', en: 'Filing' },
};

/**
 * 阶段状态 of an approval stage. `returned` (退回修改) is editable like `draft` but shows the
 * preparer that a reviewer sent it back; `approved` exists only for the last stage of a path.
 */
export const APPROVAL_STATUSES = [
  'draft', 'returned', 'awaiting_signature', 'submitted', 'assessing', 'under_review', 'approved', 'rejected',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** 阶段状态 of a filing; `returned` is 退回补正. */
export const FILING_STATUSES = ['draft', 'returned', 'submitted', 'filed'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

export type StageStatus = ApprovalStatus | FilingStatus;

/** Display names of the statuses, per track (a returned filing is 退回补正, not 退回修改). */
export const STATUS_NAMES: {
  readonly approval: Readonly<Record<ApprovalStatus, LocalizedText>>;
  readonly filing: Readonly<Record<FilingStatus, LocalizedText>>;
} = {
  approval: {
    draft: { zh: '草稿', en: 'Draft' },
    returned: { zh: '退回修改', en: 'Returned for revision' },
    awaiting_signature: { zh: '待单位负责人签章', en: 'Awaiting the unit lead’s signature' },
    submitted: { zh: '已提交', en: 'Submitted' },
    assessing: { zh: '咨询评估中', en: 'Under assessment' },
    under_review: { zh: '审核中', en: 'Under review' },
    approved: { zh: '已批复', en: 'Approved' },
    rejected: { zh: '不予批复', en: 'Rejected' },
  },
  filing: {
    draft: { zh: '草稿', en: 'Draft' },
    returned: { zh: '退回补正', en: 'Returned for completion' },
    submitted: { zh: '已提交', en: 'Submitted' },
    filed: { zh: '已备案', en: 'Filed' },
  },
};

/** A project's place in the lifecycle, as stored data. */
export type LifecycleState =
  | { readonly track: 'approval'; readonly stage: ApprovalStage; readonly status: ApprovalStatus }
  | { readonly track: 'filing'; readonly stage: 'filing'; readonly status: FilingStatus };

const approvalState = (stage: ApprovalStage, status: ApprovalStatus): LifecycleState => ({ track: 'approval', stage, status });
const filingState = (status: FilingStatus): LifecycleState => ({ track: 'filing', stage: 'filing', status });

/** The stage that follows an approved one; null: approving it approves the project. */
const NEXT_STAGE: Readonly<Record<ApprovalStage, ApprovalStage | null>> = {
  proposal: 'feasibilityStudy',
  feasibilityStudy: 'preliminaryDesign',
  preliminaryDesign: null,
  combinedStage: null,
};

/** The stage a reviewer may return to (第七条 order); null: there is none. */
const PREVIOUS_STAGE: Readonly<Record<ApprovalStage, ApprovalStage | null>> = {
  proposal: null,
  feasibilityStudy: 'proposal',
  preliminaryDesign: 'feasibilityStudy',
  combinedStage: null,
};

function statusesOf(stage: ApprovalStage): readonly ApprovalStatus[] {
  // Only the last stage of a path can be `approved`: approving an earlier one opens the next.
  return APPROVAL_STATUSES.filter((s) => s !== 'approved' || NEXT_STAGE[stage] === null);
}

/** Every state a project can be in, in display order. Nothing outside this list is valid. */
export const LIFECYCLE_STATES: readonly LifecycleState[] = [
  ...APPROVAL_STAGES.flatMap((stage) => statusesOf(stage).map((status) => approvalState(stage, status))),
  ...FILING_STATUSES.map(filingState),
];

/** A stable string key of a state, e.g. `feasibilityStudy.under_review`. */
export function stateKey(state: LifecycleState): string {
  return `${state.stage}.${state.status}`;
}

const STATE_KEYS = new Set(LIFECYCLE_STATES.map(stateKey));

/** Whether a value is one of the declared states (e.g. a row read from the database). */
export function isLifecycleState(value: unknown): value is LifecycleState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.stage !== 'string' || typeof v.status !== 'string') return false;
  if (v.track !== (v.stage === 'filing' ? 'filing' : 'approval')) return false;
  return STATE_KEYS.has(`${v.stage}.${v.status}`);
}

/** Whether two states are the same state. */
export function sameState(a: LifecycleState, b: LifecycleState): boolean {
  return a.track === b.track && a.stage === b.stage && a.status === b.status;
}

/** Display name of a state, e.g. 可行性研究报告 · 审核中. */
export function stateName(state: LifecycleState): LocalizedText {
  const stage = STAGE_NAMES[state.stage];
  const status = state.track === 'approval' ? STATUS_NAMES.approval[state.status] : STATUS_NAMES.filing[state.status];
  return { zh: `${stage.zh} · ${status.zh}`, en: `${stage.en} · ${status.en}` };
}

/** Whether the preparer may edit the stage's materials: only in draft or after a return. */
export function isEditable(state: LifecycleState): boolean {
  return state.status === 'draft' || state.status === 'returned';
}

/** Whether the approval track is complete (初设/概算 or the combined stage approved): 下达投资计划 may follow. */
export function isProjectApproved(state: LifecycleState): boolean {
  return state.track === 'approval' && state.status === 'approved';
}

// ---------------------------------------------------------------------------------------------
// The context a rule is evaluated against

/** 建设性质 (projectKind). */
export const PROJECT_KINDS = ['new', 'rebuild', 'expansion', 'purchasedService'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

/**
 * 特殊原因类别 (urgentReason, 第七条第三款): 党中央、国务院有明确要求, or 涉及重大国家战略、国家安全
 * 等特殊原因.
 */
export const URGENT_REASON_CATEGORIES = ['central_requirement', 'major_strategy_or_security'] as const;
export type UrgentReasonCategory = (typeof URGENT_REASON_CATEGORIES)[number];

/** Display names of the urgent reason categories. */
export const URGENT_REASON_NAMES: Readonly<Record<UrgentReasonCategory, LocalizedText>> = {
  central_requirement: { zh: '党中央、国务院有明确要求', en: 'Explicitly required by the CPC Central Committee or the State Council' },
  major_strategy_or_security: { zh: '涉及重大国家战略、国家安全等特殊原因', en: 'Major national strategy, national security or a similar special reason' },
};

/**
 * The preparer's declaration for the urgent combined path (第七条第三款, I-8): the three
 * conditions are a conjunction and each must be affirmed; the written justification addresses
 * all three. The approval department confirms it when it accepts the submission.
 */
export interface UrgentDeclaration {
  /** 特殊原因类别; null while not chosen. */
  readonly reasonCategory: UrgentReasonCategory | null;
  /** 说明: the written justification of the category, the urgency and the preparatory depth. */
  readonly justification: string;
  /** 情况紧急: affirmed by the preparer. */
  readonly situationUrgent: boolean;
  /** 前期工作深度达到规定要求: affirmed by the preparer. */
  readonly preparationAdequate: boolean;
}

/** 前置审批 of 第八条 (prerequisiteApproval). */
export const PREREQUISITE_APPROVALS = ['energyReview', 'siteSelection', 'landPreReview', 'environmentalImpactAssessment'] as const;
export type PrerequisiteApproval = (typeof PREREQUISITE_APPROVALS)[number];

/** 第九条: the thirteen contents every filing must contain, in the article's order. */
export const FILING_CONTENTS = [
  'projectName', 'constructionUnit', 'approvalDepartment', 'performanceTargets', 'totalInvestment', 'omFunding',
  'fundingSource', 'informationResourceCatalog', 'sharingAndOpening', 'applicationSystems', 'protectionFiling',
  'cryptoApplicationPlan', 'cryptoAssessmentReport',
] as const;
export type FilingContent = (typeof FILING_CONTENTS)[number];

/** Every material code a stage can require. */
export const MATERIAL_CODES = [
  'proposal', 'feasibilityStudy', 'sharingAnalysis', 'preliminaryDesign', 'budgetEstimate',
  ...PREREQUISITE_APPROVALS, ...FILING_CONTENTS, 'thirdPartyPostEvaluation', 'assessmentReport', 'postEvaluationReport',
  // 第二十五条–第二十七条: acceptance and post-evaluation (src/domain/acceptance.ts).
  'constructionSummary', 'financialReport', 'auditReport', 'mlpsTestReport', 'classifiedSecurityTestReport', 'riskAssessmentReport',
  'acceptanceCryptoAssessment', 'acceptanceReport', 'selfEvaluationReport',
] as const;
export type MaterialCode = (typeof MATERIAL_CODES)[number];

/** The information-resource catalog as the lifecycle sees it (第十一条). */
export interface CatalogSummary {
  /** Resources registered in the catalog. */
  readonly resourceCount: number;
  /** Resources whose sharing type (共享类型) is not set (I-14). */
  readonly resourcesWithoutSharingType: number;
}

/** 退回修改 target chosen by the reviewer. */
export type ReturnTarget = 'sameStage' | 'previousStage';

/** What the acting user enters with a decision; each field matters to some actions only. */
export interface DecisionInput {
  /** Reasons: required to return (both tracks), to reject, and to decline a signature. */
  readonly reasons?: string;
  /** 第十一条: the approval decision's information-resource sharing opinions. */
  readonly sharingOpinions?: string;
  /** Where a return sends the project; the same stage unless the reviewer says otherwise. */
  readonly returnTo?: ReturnTarget;
}

/**
 * Everything the rules read, gathered by the caller from the project, its materials, its
 * catalog, the rule settings (第三十四条) and the acting user's input. Plain data.
 */
export interface LifecycleContext {
  /** 管理方式 of the project. */
  readonly track: Track;
  /** 建设性质. */
  readonly projectKind: ProjectKind;
  /** 列入规划: linked to a task of the current State-Council-approved national plan (I-7). */
  readonly inPlan: boolean;
  /** The urgent combined path's declaration (第七条第三款); null when not claimed. */
  readonly urgent: UrgentDeclaration | null;
  /** 新建土建工程 (第八条 exception). */
  readonly newCivilConstruction: boolean;
  /** 高耗能项目 (第八条 exception). */
  readonly highEnergyConsumption: boolean;
  /** 涉密: changes the name of the protection filing content (分级保护 instead of 等级保护). */
  readonly classified: boolean;
  /** Material codes present for the current stage (uploaded documents and filled contents). */
  readonly materials: readonly MaterialCode[];
  /** I-10: 第八条 approvals the reviewer marked 不适用, with the reason. */
  readonly prerequisiteWaivers?: Readonly<Partial<Record<PrerequisiteApproval, string>>>;
  /** 第十一条: the stage's documents contain the information-resource sharing analysis chapter. */
  readonly sharingAnalysisPresent: boolean;
  /** The project's information-resource catalog; null when there is none. */
  readonly catalog: CatalogSummary | null;
  /** Rule setting (第三十四条), resolved by the caller: whether 咨询评估 is required. */
  readonly assessmentRequired: boolean;
  /** The assessor's report for the stage; null when not uploaded. */
  readonly assessmentReport: { readonly sharingOpinions: string } | null;
  /** The acting user's input for this action. */
  readonly decision?: DecisionInput;
}

const isBlank = (text: string | undefined | null): boolean => text === undefined || text === null || text.trim() === '';

// ---------------------------------------------------------------------------------------------
// Conditions (named predicates, so the docs can show them)

/** A named predicate over the context; the text is what docs and UI show. */
export interface Condition {
  readonly id: string;
  readonly text: LocalizedText;
  readonly holds: (ctx: LifecycleContext) => boolean;
}

const condition = (id: string, zh: string, en: string, holds: (ctx: LifecycleContext) => boolean): Condition =>
  ({ id, text: { zh, en }, holds });

// 第八条: the four prerequisite approvals come back only for these two kinds of project.
const PREREQUISITES_REQUIRED = condition('prerequisitesRequired', '新建土建工程或高耗能项目', 'new civil construction or high energy consumption',
  (ctx) => ctx.newCivilConstruction || ctx.highEnergyConsumption);
// 第九条: 改建、扩建 also file the previous project's third-party post-evaluation.
const REBUILD_OR_EXPANSION = condition('rebuildOrExpansion', '改建或扩建项目', 'rebuild or expansion',
  (ctx) => ctx.projectKind === 'rebuild' || ctx.projectKind === 'expansion');
const ASSESSMENT_REQUIRED = condition('assessmentRequired', '规则设置要求咨询评估', 'assessment required by the rule settings',
  (ctx) => ctx.assessmentRequired);
const ASSESSMENT_NOT_REQUIRED = condition('assessmentNotRequired', '规则设置不要求咨询评估', 'assessment not required',
  (ctx) => !ctx.assessmentRequired);
const RETURN_TO_SAME = condition('returnToSameStage', '退回本阶段', 'returned to the same stage',
  (ctx) => ctx.decision?.returnTo !== 'previousStage');
const RETURN_TO_PREVIOUS = condition('returnToPreviousStage', '审核人选择退回上一阶段', 'the reviewer returns it to the previous stage',
  (ctx) => ctx.decision?.returnTo === 'previousStage');

// ---------------------------------------------------------------------------------------------
// Starting stage (第七条, 第九条)

/** One rule of where a new project starts; the first whose condition holds applies. */
export interface StartRule {
  readonly condition: Condition;
  readonly state: LifecycleState;
  readonly article: Article;
}

/** Where a project starts, in order of precedence. */
export const START_RULES: readonly StartRule[] = [
  // 第九条: projects approved by other departments are filed with NDRC.
  { condition: condition('filingTrack', '备案类项目', 'filing-track project', (ctx) => ctx.track === 'filing'), state: filingState('draft'), article: '第九条' },
  // 第七条第三款: urgent projects submit 可研, 初设 and 概算 together.
  { condition: condition('urgent', '申报紧急合并编报', 'urgent combined path claimed', (ctx) => ctx.urgent !== null), state: approvalState('combinedStage', 'draft'), article: '第七条' },
  // 第七条第二款: a project in the national plan starts at the feasibility study.
  { condition: condition('inPlan', '已列入国家政务信息化建设规划', 'in the national plan', (ctx) => ctx.inPlan), state: approvalState('feasibilityStudy', 'draft'), article: '第七条' },
  // 第七条第一款: otherwise 项目建议书 first (原则上, I-9: no other way to skip it).
  { condition: condition('default', '其他审批类项目', 'any other approval-track project', () => true), state: approvalState('proposal', 'draft'), article: '第七条' },
];

/** The state a new project starts in (第七条, 第九条). Validate the claim with `checkStart`. */
export function initialState(ctx: LifecycleContext): LifecycleState {
  const rule = START_RULES.find((r) => r.condition.holds(ctx));
  // The last rule always holds; this is unreachable.
  if (rule === undefined) throw new Error('no start rule applies');
  return rule.state;
}

/** The approval stages the project goes through, from its starting stage (empty for filings). */
export function stagePath(ctx: LifecycleContext): ApprovalStage[] {
  const start = initialState(ctx);
  if (start.track !== 'approval') return [];
  const path: ApprovalStage[] = [];
  for (let s: ApprovalStage | null = start.stage; s !== null; s = NEXT_STAGE[s]) path.push(s);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Problems

/** How a rule failure is reported: stable code, the article, parameters, and a message. */
export interface LifecycleProblem {
  readonly code: ProblemCode;
  /** The article the failed rule implements; null for structural problems (state, role). */
  readonly article: Article | null;
  readonly params: Readonly<Record<string, string>>;
  readonly message: LocalizedText;
}

type Params = Readonly<Record<string, string>>;

const stageText = (p: Params): LocalizedText => STAGE_NAMES[p.stage as Stage] ?? { zh: p.stage ?? '', en: p.stage ?? '' };
const actionText = (p: Params): LocalizedText => ACTION_NAMES[p.action as LifecycleAction] ?? { zh: p.action ?? '', en: p.action ?? '' };

/** Every problem code with its message (placeholders filled from the params). */
const PROBLEM_MESSAGES = {
  'state.unknown': (p: Params) => ({ zh: `未知的生命周期状态「${p.state}」`, en: `Unknown lifecycle state “${p.state}”` }),
  'state.track_mismatch': (p: Params) => ({
    zh: `状态属于${p.stateTrack === 'filing' ? '备案类' : '审批类'}流程，与项目的管理方式不符`,
    en: `The state belongs to the ${p.stateTrack} track, not the project’s ${p.projectTrack} track`,
  }),
  'state.terminal': (p: Params) => ({
    zh: `「${p.stateName}」为终态，不能再进行任何操作`, en: `“${p.stateNameEn}” is final; no further action is possible`,
  }),
  'transition.not_available': (p: Params) => ({
    zh: `在「${p.stateName}」状态下不能执行「${actionText(p).zh}」`, en: `“${actionText(p).en}” is not possible in “${p.stateNameEn}”`,
  }),
  'role.not_permitted': (p: Params) => ({
    zh: `角色 ${p.role} 不能执行「${actionText(p).zh}」（可执行角色：${p.roles}）`,
    en: `Role ${p.role} may not “${actionText(p).en}” (allowed: ${p.roles})`,
  }),
  'material.missing': (p: Params) => ({
    zh: `${stageText(p).zh}阶段缺少：${p.materialName}`, en: `The ${stageText(p).en} stage is missing: ${p.materialNameEn}`,
  }),
  'urgent.not_declared': () => ({
    zh: '合并编报可研、初设和概算须申报紧急情形（第七条第三款）',
    en: 'The combined stage requires the urgent-path declaration (第七条)',
  }),
  'urgent.reason_category_invalid': () => ({
    zh: '请选择特殊原因类别：党中央、国务院有明确要求，或涉及重大国家战略、国家安全等特殊原因',
    en: 'Choose the reason category: required by the Central Committee or State Council, or a major national strategy or security reason',
  }),
  'urgent.justification_missing': () => ({
    zh: '须填写紧急合并编报的书面说明', en: 'A written justification of the urgent combined path is required',
  }),
  'urgent.situation_not_urgent': () => ({
    zh: '须确认情况紧急', en: 'The situation must be affirmed as urgent',
  }),
  'urgent.preparation_inadequate': () => ({
    zh: '须确认前期工作深度达到规定要求', en: 'The preparatory work must be affirmed as meeting the required depth',
  }),
  'signature.reasons_missing': () => ({
    zh: '退回经办人须说明理由', en: 'Give the reasons for declining to sign',
  }),
  'return.reasons_missing': () => ({
    zh: '退回修改须填写审核意见（理由）', en: 'A return for revision needs the reviewer’s reasons',
  }),
  'return.no_previous_stage': (p: Params) => ({
    zh: `${stageText(p).zh}没有可退回的上一阶段`, en: `${stageText(p).en} has no previous stage to return to`,
  }),
  'reject.reasons_missing': () => ({
    zh: '不予批复须说明理由', en: 'A rejection needs its reasons',
  }),
  'catalog.missing': () => ({
    zh: '项目尚未编制信息资源目录，信息资源目录是审批的前提条件', en: 'The project has no information-resource catalog, a precondition of any approval',
  }),
  'catalog.empty': () => ({
    zh: '信息资源目录中至少须登记一项信息资源', en: 'The information-resource catalog must list at least one resource',
  }),
  'catalog.sharing_type_missing': (p: Params) => ({
    zh: `信息资源目录中有 ${p.count} 项资源未标明共享类型`, en: `${p.count} catalog resources have no sharing type`,
  }),
  'decision.sharing_opinions_missing': () => ({
    zh: '批复文件须包含信息资源共享分析意见', en: 'The approval decision must contain information-resource sharing opinions',
  }),
  'assessment.report_missing': () => ({
    zh: '尚未上传咨询评估报告', en: 'The assessment report has not been uploaded',
  }),
  'assessment.sharing_opinions_missing': () => ({
    zh: '咨询评估报告须包含信息资源共享分析评估意见', en: 'The assessment report must contain sharing-analysis opinions',
  }),
  'filing.reasons_missing': () => ({
    zh: '退回补正须说明需补正的内容', en: 'A return for completion needs the reasons',
  }),
} as const satisfies Record<string, (p: Params) => LocalizedText>;

/** A stable problem code; clients and tests match on it. */
export type ProblemCode = keyof typeof PROBLEM_MESSAGES;

/** Every problem code this module can report. */
export const PROBLEM_CODES = Object.keys(PROBLEM_MESSAGES) as ProblemCode[];

function problem(code: ProblemCode, article: Article | null, params: Params = {}): LifecycleProblem {
  return { code, article, params, message: PROBLEM_MESSAGES[code](params) };
}

// ---------------------------------------------------------------------------------------------
// Materials (第七条, 第八条, 第九条, 第十一条)

/** How the presence of a material is established. */
export type MaterialEvidence =
  /** listed in `ctx.materials` */
  | 'material'
  /** `ctx.sharingAnalysisPresent`: a chapter inside the stage's documents, not a file of its own */
  | 'sharingAnalysisChapter'
  /** `ctx.catalog` with at least one resource: the catalog is platform data (SPEC §5) */
  | 'catalog';

/** A material code's definition. */
export interface MaterialDefinition {
  readonly name: LocalizedText;
  /** The name for 涉密 projects, where it differs. */
  readonly classifiedName?: LocalizedText;
  readonly article: Article;
  readonly evidence: MaterialEvidence;
}

const material = (zh: string, en: string, article: Article, evidence: MaterialEvidence = 'material'): MaterialDefinition =>
  ({ name: { zh, en }, article, evidence });

/** Names, articles and evidence of every material code. */
export const MATERIALS: Readonly<Record<MaterialCode, MaterialDefinition>> = {
  proposal: material('项目建议书', 'Project proposal', '第七条'),
  feasibilityStudy: material('可行性研究报告', 'Feasibility study report', '第七条'),
  sharingAnalysis: material('信息资源共享分析篇（章）', 'Information-resource sharing analysis chapter', '第十一条', 'sharingAnalysisChapter'),
  preliminaryDesign: material('初步设计方案', 'Preliminary design', '第七条'),
  budgetEstimate: material('投资概算', 'Budget estimate', '第七条'),
  energyReview: material('节能审查意见', 'Energy-saving review opinion', '第八条'),
  siteSelection: material('规划选址意见', 'Site-selection opinion', '第八条'),
  landPreReview: material('用地预审意见', 'Land-use pre-review opinion', '第八条'),
  environmentalImpactAssessment: material('环境影响评价批复', 'Environmental impact assessment approval', '第八条'),
  projectName: material('项目名称', 'Project name', '第九条'),
  constructionUnit: material('建设单位', 'Construction unit', '第九条'),
  approvalDepartment: material('审批部门', 'Approval department', '第九条'),
  performanceTargets: material('绩效目标和绩效指标', 'Performance targets and indicators', '第九条'),
  totalInvestment: material('投资额', 'Investment amount', '第九条'),
  omFunding: material('运维经费', 'O&M funding', '第九条'),
  fundingSource: material('资金渠道', 'Funding source', '第九条'),
  informationResourceCatalog: material('信息资源目录', 'Information-resource catalog', '第九条', 'catalog'),
  sharingAndOpening: material('信息共享开放', 'Information sharing and opening', '第九条'),
  applicationSystems: material('应用系统', 'Application systems', '第九条'),
  // 第九条: 等级保护或者分级保护备案情况 — 分级保护 for 涉密 systems.
  protectionFiling: {
    ...material('等级保护备案情况', 'Graded protection (等级保护) filing', '第九条'),
    classifiedName: { zh: '分级保护备案情况', en: 'Classified protection (分级保护) filing' },
  },
  cryptoApplicationPlan: material('密码应用方案', 'Cryptography application plan', '第九条'),
  cryptoAssessmentReport: material('密码应用安全性评估报告', 'Cryptography application security assessment report', '第九条'),
  thirdPartyPostEvaluation: material('上一期项目的第三方后评价报告', 'Previous project’s third-party post-evaluation report', '第九条'),
  // 第七条: uploaded by the entrusted 咨询评估单位, not by the preparer; no stage checklist holds it.
  assessmentReport: material('咨询评估报告', 'Assessment report', '第七条'),
  // 第二十七条's report, kept on the finished project it evaluates; a later 改建/扩建 filing may
  // link that project instead of uploading the report again (第九条).
  postEvaluationReport: material('第三方后评价报告', 'Third-party post-evaluation report', '第九条'),
  // 第二十五条: the materials an acceptance application attaches (src/domain/acceptance.ts), the
  // acceptance report filed after it passed; 第二十七条: the unit's self-evaluation report.
  constructionSummary: material('建设总结', 'Construction summary', '第二十五条'),
  financialReport: material('财务报告', 'Financial report', '第二十五条'),
  auditReport: material('审计报告', 'Audit report', '第二十五条'),
  mlpsTestReport: material('网络安全等级保护测评报告', 'Cybersecurity graded-protection (等保) test report', '第二十五条'),
  classifiedSecurityTestReport: material('安全保密测评报告', 'Classified-system security and secrecy test report', '第二十五条'),
  riskAssessmentReport: material('风险评估报告', 'Risk assessment report', '第二十五条'),
  acceptanceCryptoAssessment: material('密码应用安全性评估报告（验收）', 'Cryptography application security assessment report (acceptance)', '第二十五条'),
  acceptanceReport: material('验收报告', 'Acceptance report', '第二十五条'),
  selfEvaluationReport: material('自评价报告', 'Self-evaluation report', '第二十七条'),
};

/** One line of a stage's checklist: required always, or when its condition holds. */
export interface MaterialRule {
  readonly code: MaterialCode;
  readonly condition: Condition | null;
}

const always = (...codes: MaterialCode[]): MaterialRule[] => codes.map((code) => ({ code, condition: null }));
const when = (c: Condition, ...codes: MaterialCode[]): MaterialRule[] => codes.map((code) => ({ code, condition: c }));

/** The checklist of each stage, in display order. */
export const STAGE_MATERIALS: Readonly<Record<Stage, readonly MaterialRule[]>> = {
  // 第七条
  proposal: always('proposal'),
  // 第七条 + 第十一条 sharing chapter + 第八条 exception
  feasibilityStudy: [...always('feasibilityStudy', 'sharingAnalysis'), ...when(PREREQUISITES_REQUIRED, ...PREREQUISITE_APPROVALS)],
  // 第七条 + 第十一条 sharing chapter; 第八条 approvals were due with the feasibility study
  preliminaryDesign: always('preliminaryDesign', 'budgetEstimate', 'sharingAnalysis'),
  // 第七条第三款: everything of the two stages it merges
  combinedStage: [
    ...always('feasibilityStudy', 'preliminaryDesign', 'budgetEstimate', 'sharingAnalysis'),
    ...when(PREREQUISITES_REQUIRED, ...PREREQUISITE_APPROVALS),
  ],
  // 第九条: the thirteen contents, plus the post-evaluation for 改建/扩建
  filing: [...always(...FILING_CONTENTS), ...when(REBUILD_OR_EXPANSION, 'thirdPartyPostEvaluation')],
};

/** A material the stage requires for this project, with its resolved name. */
export interface RequiredMaterial {
  readonly code: MaterialCode;
  readonly name: LocalizedText;
  readonly article: Article;
  readonly evidence: MaterialEvidence;
}

const isWaived = (code: MaterialCode, ctx: LifecycleContext): boolean =>
  // I-10: a reviewer may mark a 第八条 approval 不适用, but only with a reason.
  (PREREQUISITE_APPROVALS as readonly string[]).includes(code) && !isBlank(ctx.prerequisiteWaivers?.[code as PrerequisiteApproval]);

/** The materials `stage` requires of this project (第七条, 第八条, 第九条, 第十一条). */
export function requiredMaterials(stage: Stage, ctx: LifecycleContext): RequiredMaterial[] {
  return STAGE_MATERIALS[stage]
    .filter((rule) => (rule.condition === null || rule.condition.holds(ctx)) && !isWaived(rule.code, ctx))
    .map(({ code }) => {
      const def = MATERIALS[code];
      return { code, name: ctx.classified && def.classifiedName ? def.classifiedName : def.name, article: def.article, evidence: def.evidence };
    });
}

function isPresent(m: RequiredMaterial, ctx: LifecycleContext): boolean {
  switch (m.evidence) {
    case 'material': return ctx.materials.includes(m.code);
    case 'sharingAnalysisChapter': return ctx.sharingAnalysisPresent;
    case 'catalog': return ctx.catalog !== null && ctx.catalog.resourceCount >= 1;
  }
}

/** The stage's checklist: every required material with whether it is present (第七条–第九条, 第十一条). */
export function stageChecklist(stage: Stage, ctx: LifecycleContext): Array<RequiredMaterial & { present: boolean }> {
  return requiredMaterials(stage, ctx).map((m) => ({ ...m, present: isPresent(m, ctx) }));
}

/** The required materials of `stage` that are not present, all of them. */
export function missingMaterials(stage: Stage, ctx: LifecycleContext): RequiredMaterial[] {
  return requiredMaterials(stage, ctx).filter((m) => !isPresent(m, ctx));
}

// ---------------------------------------------------------------------------------------------
// Guards

/** A rule a transition must satisfy; it returns every problem it finds (none: passes). */
export interface Guard {
  readonly id: string;
  readonly articles: readonly Article[];
  readonly description: LocalizedText;
  /** The codes this guard can report. */
  readonly problemCodes: readonly ProblemCode[];
  readonly check: (ctx: LifecycleContext, from: LifecycleState) => LifecycleProblem[];
}

const reasonsGuard = (id: string, code: ProblemCode, article: Article, zh: string, en: string): Guard => ({
  id, articles: [article], description: { zh, en }, problemCodes: [code],
  check: (ctx) => (isBlank(ctx.decision?.reasons) ? [problem(code, article)] : []),
});

/** Urgent-path problems of a declaration (第七条第三款, I-8); also used by `checkStart`. */
function urgentProblems(urgent: UrgentDeclaration | null): LifecycleProblem[] {
  // 第七条: the combined stage exists only for a declared urgent project.
  if (urgent === null) return [problem('urgent.not_declared', '第七条')];
  const problems: LifecycleProblem[] = [];
  // 第七条: the reason must be one of the two named categories.
  if (urgent.reasonCategory === null || !(URGENT_REASON_CATEGORIES as readonly string[]).includes(urgent.reasonCategory)) {
    problems.push(problem('urgent.reason_category_invalid', '第七条'));
  }
  // 第七条, I-8: a written justification is mandatory.
  if (isBlank(urgent.justification)) problems.push(problem('urgent.justification_missing', '第七条'));
  // 第七条, I-8: 情况紧急 is a condition of its own, not implied by the category.
  if (!urgent.situationUrgent) problems.push(problem('urgent.situation_not_urgent', '第七条'));
  // 第七条, I-8: 前期工作深度达到规定要求 likewise.
  if (!urgent.preparationAdequate) problems.push(problem('urgent.preparation_inadequate', '第七条'));
  return problems;
}

/** Every guard, by id. */
export const GUARDS = {
  materialsComplete: {
    id: 'materialsComplete',
    articles: ['第七条', '第八条', '第九条', '第十一条'],
    description: { zh: '本阶段必备材料齐全（缺项逐一列出）', en: 'Every required material of the stage is present (each missing one is listed)' },
    problemCodes: ['material.missing'],
    // 第七条/第八条/第九条/第十一条: one problem per missing item, citing the item's own article.
    check: (ctx, from) => missingMaterials(from.stage, ctx).map((m) => problem('material.missing', m.article, {
      stage: from.stage, material: m.code, materialName: m.name.zh, materialNameEn: m.name.en,
    })),
  },
  urgentDeclaration: {
    id: 'urgentDeclaration',
    articles: ['第七条'],
    description: { zh: '紧急合并编报：原因类别、情况紧急、前期工作深度均已确认并有书面说明', en: 'Urgent path: category chosen, urgency and preparatory depth affirmed, written justification given' },
    problemCodes: ['urgent.not_declared', 'urgent.reason_category_invalid', 'urgent.justification_missing', 'urgent.situation_not_urgent', 'urgent.preparation_inadequate'],
    check: (ctx) => urgentProblems(ctx.urgent),
  },
  // 第七条: the unit lead sends a submission back only with reasons.
  signatureReasons: reasonsGuard('signatureReasons', 'signature.reasons_missing', '第七条', '退回经办人须说明理由', 'Declining to sign needs reasons'),
  // 第七条 (SPEC §3): a return carries the reviewer's reasons.
  returnReasons: reasonsGuard('returnReasons', 'return.reasons_missing', '第七条', '退回修改须有审核意见', 'A return needs the reviewer’s reasons'),
  previousStageOnPath: {
    id: 'previousStageOnPath',
    articles: ['第七条'],
    description: { zh: '退回上一阶段时，该阶段须在本项目的审批路径上', en: 'A return to the previous stage needs that stage on the project’s path' },
    problemCodes: ['return.no_previous_stage'],
    check: (ctx, from) => {
      if (ctx.decision?.returnTo !== 'previousStage' || from.track !== 'approval') return [];
      const previous = PREVIOUS_STAGE[from.stage];
      // 第七条: a project in the plan never had a 项目建议书 stage to go back to.
      if (previous !== null && stagePath(ctx).includes(previous)) return [];
      return [problem('return.no_previous_stage', '第七条', { stage: from.stage })];
    },
  },
  // 第七条 (SPEC §3): 不予批复 is a decision with reasons.
  rejectReasons: reasonsGuard('rejectReasons', 'reject.reasons_missing', '第七条', '不予批复须说明理由', 'A rejection needs reasons'),
  catalogPresent: {
    id: 'catalogPresent',
    articles: ['第十一条'],
    description: { zh: '已编制信息资源目录，至少一项资源且均标明共享类型（I-14）', en: 'An information-resource catalog exists with at least one resource, each with a sharing type (I-14)' },
    problemCodes: ['catalog.missing', 'catalog.empty', 'catalog.sharing_type_missing'],
    check: (ctx) => {
      // 第十一条: 信息资源目录是审批政务信息化项目的前提条件.
      if (ctx.catalog === null) return [problem('catalog.missing', '第十一条')];
      const problems: LifecycleProblem[] = [];
      // 第十一条, I-14: an empty catalog is no catalog.
      if (ctx.catalog.resourceCount < 1) problems.push(problem('catalog.empty', '第十一条'));
      // 第十一条, I-14: each resource states how it is shared.
      if (ctx.catalog.resourcesWithoutSharingType > 0) {
        problems.push(problem('catalog.sharing_type_missing', '第十一条', { count: String(ctx.catalog.resourcesWithoutSharingType) }));
      }
      return problems;
    },
  },
  decisionSharingOpinions: {
    id: 'decisionSharingOpinions',
    articles: ['第十一条'],
    description: { zh: '批复文件包含信息资源共享分析意见', en: 'The approval decision contains sharing opinions' },
    problemCodes: ['decision.sharing_opinions_missing'],
    // 第十一条: 审批部门的批复文件应当包括信息资源共享分析意见.
    check: (ctx) => (isBlank(ctx.decision?.sharingOpinions) ? [problem('decision.sharing_opinions_missing', '第十一条')] : []),
  },
  assessmentSharingOpinions: {
    id: 'assessmentSharingOpinions',
    articles: ['第十一条'],
    description: { zh: '咨询评估报告已上传且包含共享分析评估意见', en: 'The assessment report is present and contains sharing opinions' },
    problemCodes: ['assessment.report_missing', 'assessment.sharing_opinions_missing'],
    check: (ctx) => {
      if (ctx.assessmentReport === null) return [problem('assessment.report_missing', '第十一条')];
      // 第十一条: 评估报告应当包括信息资源共享分析的评估意见.
      return isBlank(ctx.assessmentReport.sharingOpinions) ? [problem('assessment.sharing_opinions_missing', '第十一条')] : [];
    },
  },
  // 第九条 (SPEC §3): NDRC returns a filing for completion, saying what to complete.
  filingReturnReasons: reasonsGuard('filingReturnReasons', 'filing.reasons_missing', '第九条', '退回补正须说明补正内容', 'A return for completion needs reasons'),
} as const satisfies Record<string, Guard>;

// ---------------------------------------------------------------------------------------------
// Actions and the transition table

/** Everything a user can do to a project's lifecycle state. */
export const LIFECYCLE_ACTIONS = [
  'submit', 'sign', 'declineSignature', 'withdraw', 'accept', 'reassignReviewer', 'completeAssessment',
  'returnForRevision', 'approve', 'reject', 'file', 'returnForCompletion',
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** Display names of the actions (button labels). */
export const ACTION_NAMES: Readonly<Record<LifecycleAction, LocalizedText>> = {
  submit: { zh: '提交', en: 'Submit' },
  sign: { zh: '单位负责人签章', en: 'Sign' },
  declineSignature: { zh: '退回经办人', en: 'Decline to sign' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  accept: { zh: '受理', en: 'Accept' },
  reassignReviewer: { zh: '改派审核人', en: 'Reassign reviewer' },
  completeAssessment: { zh: '提交评估报告', en: 'Complete assessment' },
  returnForRevision: { zh: '退回修改', en: 'Return for revision' },
  approve: { zh: '批复', en: 'Approve' },
  reject: { zh: '不予批复', en: 'Reject' },
  file: { zh: '予以备案', en: 'File' },
  returnForCompletion: { zh: '退回补正', en: 'Return for completion' },
};

/** One possible outcome of a transition; the first whose condition holds (null: always) applies. */
export interface TransitionTarget {
  readonly state: LifecycleState;
  readonly condition: Condition | null;
}

/** One row of the transition table. */
export interface Transition {
  readonly action: LifecycleAction;
  readonly from: LifecycleState;
  /** Usually one target; two when the outcome depends on the context. */
  readonly to: readonly TransitionTarget[];
  /** Roles that may take it; each holds `permission` in authz.ts. */
  readonly roles: readonly RoleCode[];
  /** The permission code the API route checks. */
  readonly permission: Permission;
  readonly article: Article;
  readonly guards: readonly Guard[];
}

const to = (state: LifecycleState, c: Condition | null = null): TransitionTarget => ({ state, condition: c });

function approvalTransitions(stage: ApprovalStage): Transition[] {
  const at = (status: ApprovalStatus) => approvalState(stage, status);
  const rows: Transition[] = [];
  const add = (action: LifecycleAction, from: ApprovalStatus[], targets: TransitionTarget[], roles: RoleCode[],
    permission: Permission, article: Article, guards: Guard[] = []) => {
    for (const status of from) rows.push({ action, from: at(status), to: targets, roles, permission, article, guards });
  };
  const { materialsComplete, urgentDeclaration } = GUARDS;
  // 第七条: 编制、报告 — the preparer submits the stage's documents, complete (第八条, 第十一条).
  add('submit', ['draft', 'returned'], [to(at('awaiting_signature'))], ['preparer'], 'project:submit', '第七条',
    stage === 'combinedStage' ? [materialsComplete, urgentDeclaration] : [materialsComplete]);
  // 第七条: the unit's submission carries its lead's signature (SPEC §1).
  add('sign', ['awaiting_signature'], [to(at('submitted'))], ['unit_lead'], 'project:sign', '第七条');
  add('declineSignature', ['awaiting_signature'], [to(at('draft'))], ['unit_lead'], 'project:sign', '第七条', [GUARDS.signatureReasons]);
  // 第七条: the preparer may withdraw until the department accepts it (受理).
  add('withdraw', ['awaiting_signature', 'submitted'], [to(at('draft'))], ['preparer'], 'project:submit', '第七条');
  // 第七条 (SPEC §3): 咨询评估 only when the rule settings (第三十四条) require it.
  add('accept', ['submitted'], [to(at('assessing'), ASSESSMENT_REQUIRED), to(at('under_review'), ASSESSMENT_NOT_REQUIRED)],
    ['reviewer'], 'project:review', '第七条');
  // The department may hand the file to another reviewer at any point of its handling; the state stays.
  for (const status of ['submitted', 'assessing', 'under_review'] as const) {
    add('reassignReviewer', [status], [to(at(status))], ['reviewer'], 'project:review', '第七条');
  }
  // 第十一条: the assessment report carries sharing opinions.
  add('completeAssessment', ['assessing'], [to(at('under_review'))], ['assessor'], 'project:assess', '第十一条', [GUARDS.assessmentSharingOpinions]);
  // 第七条: 退回修改, to this stage or (the reviewer's choice) the previous one.
  const previous = PREVIOUS_STAGE[stage];
  add('returnForRevision', ['submitted', 'under_review'],
    previous === null ? [to(at('returned'))] : [to(at('returned'), RETURN_TO_SAME), to(approvalState(previous, 'returned'), RETURN_TO_PREVIOUS)],
    ['reviewer'], 'project:review', '第七条', [GUARDS.returnReasons, GUARDS.previousStageOnPath]);
  // 第七条 + 第十一条: approval opens the next stage, or approves the project after the last one.
  const next = NEXT_STAGE[stage];
  add('approve', ['under_review'], [to(next === null ? at('approved') : approvalState(next, 'draft'))], ['approver'], 'project:decide', '第七条',
    [GUARDS.catalogPresent, GUARDS.decisionSharingOpinions]);
  add('reject', ['under_review'], [to(at('rejected'))], ['approver'], 'project:decide', '第七条', [GUARDS.rejectReasons]);
  return rows;
}

function filingTransitions(): Transition[] {
  const t = (action: LifecycleAction, from: FilingStatus, target: FilingStatus, roles: RoleCode[], permission: Permission, guards: Guard[] = []): Transition =>
    ({ action, from: filingState(from), to: [to(filingState(target))], roles, permission, article: '第九条', guards });
  return [
    // 第九条: a filing missing anything is refused with the list of what is missing.
    t('submit', 'draft', 'submitted', ['preparer'], 'project:submit', [GUARDS.materialsComplete]),
    t('submit', 'returned', 'submitted', ['preparer'], 'project:submit', [GUARDS.materialsComplete]),
    t('withdraw', 'submitted', 'draft', ['preparer'], 'project:submit'),
    // 第九条: NDRC files a complete filing…
    t('file', 'submitted', 'filed', ['ndrc'], 'filing:decide', [GUARDS.materialsComplete]),
    // …or returns it for completion.
    t('returnForCompletion', 'submitted', 'returned', ['ndrc'], 'filing:decide', [GUARDS.filingReturnReasons]),
  ];
}

/** The transition table: every allowed step, one row per (from state, action). */
export const TRANSITIONS: readonly Transition[] = [...APPROVAL_STAGES.flatMap(approvalTransitions), ...filingTransitions()];

/** The rows leaving `state`. */
export function transitionsFrom(state: LifecycleState): Transition[] {
  return TRANSITIONS.filter((t) => sameState(t.from, state));
}

/** The row for `action` from `state`, if there is one. */
export function findTransition(state: LifecycleState, action: LifecycleAction): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action && sameState(t.from, state));
}

/** Whether no action leaves `state` (不予批复, 已批复 at the end of the path, 已备案). */
export function isTerminal(state: LifecycleState): boolean {
  return transitionsFrom(state).length === 0;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Problems with a project's starting declaration (the urgent path, 第七条第三款); [] when fine. */
export function checkStart(ctx: LifecycleContext): LifecycleProblem[] {
  return ctx.track === 'approval' && ctx.urgent !== null ? urgentProblems(ctx.urgent) : [];
}

function structuralProblems(state: LifecycleState, action: LifecycleAction, ctx: LifecycleContext): LifecycleProblem[] | Transition {
  if (!isLifecycleState(state)) {
    const raw = state as { stage?: unknown; status?: unknown } | null;
    return [problem('state.unknown', null, { state: `${String(raw?.stage)}.${String(raw?.status)}` })];
  }
  if (state.track !== ctx.track) return [problem('state.track_mismatch', null, { stateTrack: state.track, projectTrack: ctx.track })];
  const name = stateName(state);
  if (isTerminal(state)) return [problem('state.terminal', null, { state: stateKey(state), stateName: name.zh, stateNameEn: name.en })];
  const transition = findTransition(state, action);
  if (transition === undefined) {
    return [problem('transition.not_available', null, { action, state: stateKey(state), stateName: name.zh, stateNameEn: name.en })];
  }
  return transition;
}

const guardProblems = (t: Transition, ctx: LifecycleContext): LifecycleProblem[] => t.guards.flatMap((g) => g.check(ctx, t.from));

/**
 * Every problem that stops `role` from taking `action` in `state` (the API's dry run shows
 * them all). A state or action problem comes alone; a role problem comes with the guards'.
 */
export function check(state: LifecycleState, action: LifecycleAction, ctx: LifecycleContext, role: RoleCode): LifecycleProblem[] {
  const found = structuralProblems(state, action, ctx);
  if (Array.isArray(found)) return found;
  const problems: LifecycleProblem[] = [];
  if (!found.roles.includes(role)) problems.push(problem('role.not_permitted', null, { action, role, roles: found.roles.join(', ') }));
  return [...problems, ...guardProblems(found, ctx)];
}

/** The outcome of `apply`. */
export type ApplyResult =
  | { readonly ok: true; readonly state: LifecycleState; readonly transition: Transition }
  | { readonly ok: false; readonly problems: readonly LifecycleProblem[] };

/** Takes `action`: the next state and the row that allowed it, or every problem. */
export function apply(state: LifecycleState, action: LifecycleAction, ctx: LifecycleContext, role: RoleCode): ApplyResult {
  const problems = check(state, action, ctx, role);
  if (problems.length > 0) return { ok: false, problems };
  const transition = findTransition(state, action)!;
  const target = transition.to.find((t) => t.condition === null || t.condition.holds(ctx));
  // The targets of each row are exhaustive (pairs of complementary conditions); unreachable.
  if (target === undefined) throw new Error(`no target of ${action} from ${stateKey(state)} applies`);
  return { ok: true, state: target.state, transition };
}

/** An action the role holds in this state; it can be taken now when `problems` is empty. */
export interface AvailableAction {
  readonly action: LifecycleAction;
  readonly transition: Transition;
  readonly problems: readonly LifecycleProblem[];
}

/**
 * The actions `role` may take from `state` (the UI's buttons), each with what still blocks it
 * (the guards' problems). Empty in a terminal state or for a role with no part here.
 */
export function availableActions(state: LifecycleState, role: RoleCode, ctx: LifecycleContext): AvailableAction[] {
  if (!isLifecycleState(state) || state.track !== ctx.track) return [];
  return transitionsFrom(state)
    .filter((t) => t.roles.includes(role))
    .map((t) => ({ action: t.action, transition: t, problems: guardProblems(t, ctx) }));
}
