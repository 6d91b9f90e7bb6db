// 跨部门项目框架方案 (第十条; SPEC §3; interpretation I-13) as pure rules: the parts of a plan,
// the rules a part must satisfy, the suspected overlaps between participants' contents, what
// stands in the way of submitting a plan, the status machine, and the rules for linking projects
// (a participant's project to the confirmed plan; a local sub-project to a national project).
//
// 第十条: 牵头部门与参与部门共同编制统一的框架方案 (participants, goals, main contents, business
// flows, data flows and system interfaces between each department's part and the whole, a
// preliminary data catalog), 确保各部门建设内容不重叠, 联合报国家发展改革委; 框架方案确定后各部门按程序
// 申报本部门分项. The platform cannot prove there is no overlap; it finds suspected overlaps with the
// similarity engine (src/domain/similarity) and asks for each to be resolved (a content changes
// until the pair falls below the threshold) or justified in writing (I-13). Similarity alone
// refuses nothing: a justified overlap may be submitted.
import { SIMILARITY_THRESHOLD, similarity, type OverlapTerm } from './similarity/index.ts';
import { SHARING_TYPES, UPDATE_CYCLES, type SharingType, type UpdateCycle } from './resource-catalog.ts';

export type LocalizedText = { readonly zh: string; readonly en: string };

/** 编制中 → 已报送 → 已确定 | 已退回 (→ 已报送 again). */
export const FRAMEWORK_STATUSES = ['draft', 'submitted', 'confirmed', 'returned'] as const;
export type FrameworkStatus = (typeof FRAMEWORK_STATUSES)[number];

export const STATUS_NAMES: Readonly<Record<FrameworkStatus, LocalizedText>> = {
  draft: { zh: '编制中', en: 'Draft' },
  submitted: { zh: '已报国家发展改革委', en: 'Submitted to NDRC' },
  confirmed: { zh: '已确定', en: 'Confirmed' },
  returned: { zh: '已退回', en: 'Returned' },
};

export const FRAMEWORK_ACTIONS = ['submit', 'withdraw', 'confirm', 'return'] as const;
export type FrameworkAction = (typeof FRAMEWORK_ACTIONS)[number];

export const ACTION_NAMES: Readonly<Record<FrameworkAction, LocalizedText>> = {
  submit: { zh: '联合报送', en: 'Submit' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  confirm: { zh: '确定', en: 'Confirm' },
  return: { zh: '退回', en: 'Return' },
};

export interface FrameworkTransition {
  readonly action: FrameworkAction;
  readonly from: readonly FrameworkStatus[];
  readonly to: FrameworkStatus;
  /** framework:manage within the lead organization, or framework:decide (NDRC). */
  readonly permission: 'framework:manage' | 'framework:decide';
  /** A decision: a fresh TOTP code and the decider's SM2 signature (SPEC §10). */
  readonly decision: boolean;
}

/** The status machine: the lead submits (again after a return) or withdraws; NDRC confirms or returns. */
export const FRAMEWORK_TRANSITIONS: readonly FrameworkTransition[] = [
  // 第十条: 联合报国家发展改革委 — once every participant has confirmed its part and every overlap is handled.
  { action: 'submit', from: ['draft', 'returned'], to: 'submitted', permission: 'framework:manage', decision: false },
  { action: 'withdraw', from: ['submitted'], to: 'draft', permission: 'framework:manage', decision: false },
  // 第十条: 框架方案确定 — NDRC's decision, after which each department's part goes through its own approval.
  { action: 'confirm', from: ['submitted'], to: 'confirmed', permission: 'framework:decide', decision: true },
  { action: 'return', from: ['submitted'], to: 'returned', permission: 'framework:decide', decision: true },
];

export function transitionOf(action: FrameworkAction): FrameworkTransition {
  return FRAMEWORK_TRANSITIONS.find((t) => t.action === action)!;
}

/** The status `action` leads to from `status`, or null when it is not available there. */
export function nextStatus(status: FrameworkStatus, action: FrameworkAction): FrameworkStatus | null {
  const t = transitionOf(action);
  return t.from.includes(status) ? t.to : null;
}

/** A plan is edited while it is being drawn up or after NDRC returned it; never while NDRC has it or after 确定. */
export function isEditable(status: FrameworkStatus): boolean {
  return status === 'draft' || status === 'returned';
}

/** 接口方式 of a data flow / system interface. */
export const INTERFACE_METHODS = ['api', 'file', 'database', 'message', 'exchange_platform', 'other'] as const;
export type InterfaceMethod = (typeof INTERFACE_METHODS)[number];
export const INTERFACE_METHOD_NAMES: Readonly<Record<InterfaceMethod, LocalizedText>> = {
  api: { zh: '接口调用', en: 'API call' },
  file: { zh: '文件交换', en: 'File exchange' },
  database: { zh: '数据库同步', en: 'Database replication' },
  message: { zh: '消息队列', en: 'Message queue' },
  exchange_platform: { zh: '数据共享交换平台', en: 'Data-sharing exchange platform' },
  other: { zh: '其他', en: 'Other' },
};

/** 交换频度: the update cycles of the 信息资源目录 (第十一条). */
export const FREQUENCIES = UPDATE_CYCLES;
export type Frequency = UpdateCycle;

export const LIMITS = {
  name: 200, goals: 5000, title: 200, description: 5000, system: 200, activity: 500, flowDescription: 2000,
  dataItems: 200, dataItem: 100, basis: 2000, reason: 2000, participants: 50, steps: 50,
} as const;

// ——— inputs ———

/** 框架方案 itself: name and 建设目标 (shared by every participant). */
export interface FrameworkHeaderInput {
  name: string;
  goals: string;
}

/** A new plan: the lead and the other participating departments. */
export interface FrameworkInput extends FrameworkHeaderInput {
  leadOrganizationId: string;
  /** 参与部门 other than the lead. */
  participantIds: string[];
}

/** 主要建设内容 of one participant. */
export interface ContentInput {
  title: string;
  description: string;
}

/** One step of a 业务流, taken by a participant. */
export interface BusinessFlowStep {
  organizationId: string;
  activity: string;
}

/** 业务流. */
export interface BusinessFlowInput {
  name: string;
  description: string;
  steps: BusinessFlowStep[];
}

/** One end of a data flow: a participant and, optionally, one of its systems (系统接口). */
export interface FlowEndpoint {
  organizationId: string;
  system: string | null;
}

/** 数据流 / 系统接口. */
export interface DataFlowInput {
  from: FlowEndpoint;
  to: FlowEndpoint;
  /** 数据项 names, at least one. */
  dataItems: string[];
  frequency: Frequency;
  interfaceMethod: InterfaceMethod;
  description: string | null;
}

/** An entry of the 初步数据目录. */
export interface CatalogEntryInput {
  name: string;
  providerOrganizationId: string;
  dataItems: string[];
  sharingType: SharingType;
  /** 共享条件或依据: required for 有条件共享 and 不予共享, absent for 无条件共享 (as in 第十一条's catalog). */
  sharingBasis: string | null;
}

/** A problem with one field; `path` is the field's dotted path in the input. */
export interface FieldProblem {
  path: string;
  code: string;
}

const isBlank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/** 参与部门 are government departments: the consulting, supervision and evaluation firms are not. */
export function isGovernmentKind(kind: string): boolean {
  return kind !== 'assessor' && kind !== 'supervisor' && kind !== 'evaluator';
}

// The rules below tolerate values of the wrong shape (a body that failed its schema), so the
// request schema can run them beside its own checks and one response lists every problem.
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? v as Record<string, unknown> : {});

/** A plan's participants: the lead is one already; a department is listed once. */
export function frameworkInputProblems(input: FrameworkInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<unknown>();
  for (const [i, id] of list(input.participantIds).entries()) {
    if (id === input.leadOrganizationId) problems.push({ path: `participantIds.${i}`, code: 'project.lead_in_participants' });
    else if (seen.has(id)) problems.push({ path: `participantIds.${i}`, code: 'framework.duplicate_participant' });
    seen.add(id);
  }
  return problems;
}

function dataItemProblems(problems: FieldProblem[], items: unknown) {
  const seen = new Set<string>();
  for (const [i, item] of list(items).entries()) {
    if (typeof item !== 'string') continue;
    const key = item.trim();
    if (seen.has(key)) problems.push({ path: `dataItems.${i}`, code: 'resource.duplicate_data_item' });
    seen.add(key);
  }
}

/**
 * `participants`: the plan's participant organizations, or null when they are not known yet
 * (the request schema runs the rules that need no database; the use case runs them all).
 */
const outside = (participants: ReadonlySet<string> | null, id: unknown) => participants !== null && !participants.has(id as string);

/** 业务流: every step is taken by a participant. */
export function businessFlowProblems(input: BusinessFlowInput, participants: ReadonlySet<string> | null): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [i, step] of list(input.steps).entries()) {
    if (outside(participants, record(step).organizationId)) problems.push({ path: `steps.${i}.organizationId`, code: 'framework.not_participant' });
  }
  return problems;
}

/** 数据流: between participants, not from an endpoint to itself, each data item named once. */
export function dataFlowProblems(input: DataFlowInput, participants: ReadonlySet<string> | null): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const [from, to] = [record(input.from), record(input.to)];
  if (outside(participants, from.organizationId)) problems.push({ path: 'from.organizationId', code: 'framework.not_participant' });
  if (outside(participants, to.organizationId)) problems.push({ path: 'to.organizationId', code: 'framework.not_participant' });
  const system = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  if (typeof from.organizationId === 'string' && from.organizationId === to.organizationId && system(from.system) === system(to.system)) {
    problems.push({ path: 'to', code: 'framework.same_endpoint' });
  }
  dataItemProblems(problems, input.dataItems);
  return problems;
}

/** 初步数据目录: a participant provides it; the sharing basis follows 第十一条's rule. */
export function catalogEntryProblems(input: CatalogEntryInput, participants: ReadonlySet<string> | null): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (outside(participants, input.providerOrganizationId)) problems.push({ path: 'providerOrganizationId', code: 'framework.not_participant' });
  dataItemProblems(problems, input.dataItems);
  if ((SHARING_TYPES as readonly string[]).includes(input.sharingType)) {
    if (input.sharingType === 'unconditional' && !isBlank(input.sharingBasis)) problems.push({ path: 'sharingBasis', code: 'resource.basis_not_applicable' });
    if (input.sharingType !== 'unconditional' && isBlank(input.sharingBasis)) problems.push({ path: 'sharingBasis', code: 'resource.sharing_basis_required' });
  }
  return problems;
}

/** Blank optional text as null, the rest trimmed: the form a valid record is stored in. */
export function optionalText(v: string | null | undefined): string | null {
  return v === null || v === undefined || v.trim() === '' ? null : v.trim();
}

// ——— overlaps (第十条, I-13) ———

/** A participant's content as the overlap check reads it. */
export interface ContentText {
  id: string;
  organizationId: string;
  title: string;
  description: string;
}

/** A suspected overlap: two contents of different participants at or above the threshold. */
export interface ContentOverlap {
  /** The pair in id order (`a < b`), as justifications are keyed. */
  a: { contentId: string; organizationId: string };
  b: { contentId: string; organizationId: string };
  similarity: number;
  /** The shared terms, largest contribution first: the evidence shown beside the pair. */
  terms: OverlapTerm[];
}

/** The key of a content pair, in id order. */
export function pairKey(x: string, y: string): string {
  return x < y ? `${x}:${y}` : `${y}:${x}`;
}

/**
 * Every pair of contents of different participants whose similarity (title as the name field,
 * description as the contents field) is at least `threshold`; most similar first. Contents of
 * the same participant are never compared: 第十条 is about 各部门 overlapping one another.
 */
export function findOverlaps(contents: readonly ContentText[], threshold: number = SIMILARITY_THRESHOLD): ContentOverlap[] {
  const overlaps: ContentOverlap[] = [];
  for (let i = 0; i < contents.length; i++) {
    for (let j = i + 1; j < contents.length; j++) {
      const [x, y] = [contents[i]!, contents[j]!];
      if (x.organizationId === y.organizationId) continue;
      const s = similarity({ name: x.title, description: x.description }, { name: y.title, description: y.description });
      if (s.similarity < threshold) continue;
      const [a, b] = x.id < y.id ? [x, y] : [y, x];
      overlaps.push({
        a: { contentId: a.id, organizationId: a.organizationId }, b: { contentId: b.id, organizationId: b.organizationId },
        similarity: s.similarity, terms: s.overlap,
      });
    }
  }
  return overlaps.sort((p, q) => q.similarity - p.similarity || (pairKey(p.a.contentId, p.b.contentId) < pairKey(q.a.contentId, q.b.contentId) ? -1 : 1));
}

// ——— problems (422 framework.blocked, and the detail's checklist) ———

export type FrameworkArticle = '第十条';

/** The shape of lifecycle.blocked's problems: stable code, article, facts, message. */
export interface FrameworkProblem {
  readonly code: FrameworkProblemCode;
  readonly article: FrameworkArticle | null;
  readonly params: Readonly<Record<string, string>>;
  readonly message: LocalizedText;
}

type Params = Readonly<Record<string, string>>;

const PROBLEM_MESSAGES = {
  'framework.action_not_available': (p: Params) => ({
    zh: `框架方案「${STATUS_NAMES[p.status as FrameworkStatus]?.zh ?? p.status}」时不能${ACTION_NAMES[p.action as FrameworkAction]?.zh ?? p.action}`,
    en: `“${ACTION_NAMES[p.action as FrameworkAction]?.en ?? p.action}” is not possible while the plan is “${STATUS_NAMES[p.status as FrameworkStatus]?.en ?? p.status}”`,
  }),
  'framework.too_few_participants': () => ({
    zh: '跨部门框架方案须有牵头部门和至少一个参与部门', en: 'A cross-department plan needs the lead and at least one participating department',
  }),
  'framework.contents_missing': (p: Params) => ({
    zh: `${p.organizationName}尚未填写本部门的主要建设内容`, en: `${p.organizationName} has not entered its main contents`,
  }),
  'framework.business_flows_missing': () => ({
    zh: '框架方案须描述各部门之间的业务流', en: 'The plan must describe the business flows between the departments',
  }),
  'framework.data_flows_missing': () => ({
    zh: '框架方案须列明数据流和系统接口', en: 'The plan must list its data flows and system interfaces',
  }),
  'framework.catalog_missing': () => ({
    zh: '框架方案须附初步数据目录', en: 'The plan must have a preliminary data catalog',
  }),
  'framework.participant_unconfirmed': (p: Params) => ({
    zh: `${p.organizationName}尚未确认本部门分项内容`, en: `${p.organizationName} has not confirmed its part`,
  }),
  'framework.overlap_unresolved': (p: Params) => ({
    zh: `疑似重叠未处理：${p.aOrganizationName}「${p.aTitle}」与${p.bOrganizationName}「${p.bTitle}」（相似度 ${p.similarity}，重叠词：${p.terms}），请调整内容或说明不重叠的理由`,
    en: `Unhandled suspected overlap: ${p.aOrganizationName} “${p.aTitle}” and ${p.bOrganizationName} “${p.bTitle}” (similarity ${p.similarity}; shared terms: ${p.terms}); change a content or justify it`,
  }),
  'framework.catalog_overlap_unresolved': (p: Params) => ({
    zh: `与总目录已有系统疑似重叠未处理：${p.organizationName}「${p.title}」与${p.systemOwnerName}的「${p.systemName}」（相似度 ${p.similarity}，重叠词：${p.terms}），请调整内容或说明不重复建设的理由`,
    en: `Unhandled suspected overlap with the master catalog: ${p.organizationName} “${p.title}” and ${p.systemOwnerName}'s system “${p.systemName}” (similarity ${p.similarity}; shared terms: ${p.terms}); change the content or justify it`,
  }),
  'framework.reasons_missing': () => ({
    zh: '退回框架方案须说明理由', en: 'A return needs its reasons',
  }),
} as const satisfies Record<string, (p: Params) => LocalizedText>;

export type FrameworkProblemCode = keyof typeof PROBLEM_MESSAGES;
export const FRAMEWORK_PROBLEM_CODES = Object.keys(PROBLEM_MESSAGES) as FrameworkProblemCode[];

function problem(code: FrameworkProblemCode, article: FrameworkArticle | null, params: Params = {}): FrameworkProblem {
  return { code, article, params, message: PROBLEM_MESSAGES[code](params) };
}

/** An overlap as the submission check sees it: with names, titles and whether it is justified. */
export interface OverlapFacts extends ContentOverlap {
  aTitle: string;
  bTitle: string;
  aOrganizationName: string;
  bOrganizationName: string;
  justified: boolean;
}

/** What the submission check reads of a plan. */
export interface SubmissionFacts {
  participants: ReadonlyArray<{ organizationId: string; organizationName: string; confirmed: boolean; contentCount: number }>;
  businessFlowCount: number;
  dataFlowCount: number;
  catalogEntryCount: number;
  overlaps: readonly OverlapFacts[];
  /** Suspected overlaps of a content with a system already in the master catalog (I-13); none when not checked. */
  catalogOverlaps?: readonly CatalogOverlapFacts[];
}

/** A content of the plan and a master-catalog system at or above the threshold (I-13). */
export interface CatalogOverlapFacts {
  contentId: string;
  organizationId: string;
  organizationName: string;
  title: string;
  systemId: string;
  systemName: string;
  systemOwnerName: string;
  similarity: number;
  terms: readonly OverlapTerm[];
  justified: boolean;
}

/** Similarity as the messages show it: two decimals. */
export const formatSimilarity = (s: number) => s.toFixed(2);

/**
 * Everything that stands in the way of 联合报送, all at once, each with its article: the parts
 * 第十条 names (participants, contents per participant, business flows, data flows, the
 * preliminary catalog), every participant's confirmation of its part, and every suspected
 * overlap neither resolved nor justified (I-13).
 */
export function submissionProblems(facts: SubmissionFacts): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  // 第十条: 牵头部门与参与部门 — cross-department means at least two departments.
  if (facts.participants.length < 2) problems.push(problem('framework.too_few_participants', '第十条'));
  // 第十条: 主要内容 of each department's part.
  for (const p of facts.participants) {
    if (p.contentCount === 0) problems.push(problem('framework.contents_missing', '第十条', { organizationId: p.organizationId, organizationName: p.organizationName }));
  }
  // 第十条: 业务流、数据流、系统接口、初步数据目录.
  if (facts.businessFlowCount === 0) problems.push(problem('framework.business_flows_missing', '第十条'));
  if (facts.dataFlowCount === 0) problems.push(problem('framework.data_flows_missing', '第十条'));
  if (facts.catalogEntryCount === 0) problems.push(problem('framework.catalog_missing', '第十条'));
  // 第十条: 共同编制…联合报 — every participant has confirmed its part as it stands.
  for (const p of facts.participants) {
    if (!p.confirmed) problems.push(problem('framework.participant_unconfirmed', '第十条', { organizationId: p.organizationId, organizationName: p.organizationName }));
  }
  // 第十条 确保各部门建设内容不重叠, I-13: each suspected overlap resolved or justified.
  for (const o of facts.overlaps) {
    if (o.justified) continue;
    problems.push(problem('framework.overlap_unresolved', '第十条', {
      aContentId: o.a.contentId, bContentId: o.b.contentId, aOrganizationId: o.a.organizationId, bOrganizationId: o.b.organizationId,
      aOrganizationName: o.aOrganizationName, bOrganizationName: o.bOrganizationName, aTitle: o.aTitle, bTitle: o.bTitle,
      similarity: formatSimilarity(o.similarity), terms: o.terms.slice(0, 5).map((t) => t.term).join('、'),
    }));
  }
  // I-13: 与总目录已有系统之间 — each suspected overlap with a catalog system changed away or justified.
  for (const o of facts.catalogOverlaps ?? []) {
    if (o.justified) continue;
    problems.push(problem('framework.catalog_overlap_unresolved', '第十条', {
      contentId: o.contentId, organizationId: o.organizationId, organizationName: o.organizationName, title: o.title,
      systemId: o.systemId, systemName: o.systemName, systemOwnerName: o.systemOwnerName,
      similarity: formatSimilarity(o.similarity), terms: o.terms.slice(0, 5).map((t) => t.term).join('、'),
    }));
  }
  return problems;
}

/**
 * What stands in the way of `action` on a plan in `status`: the transition itself, then its
 * guards (submission's checks; a return's reasons, unless `input` is left out because there is
 * no request yet, as when listing what a caller may do). Empty: the action may be taken.
 */
export function actionProblems(
  status: FrameworkStatus, action: FrameworkAction, facts: SubmissionFacts, input?: { reasons?: string | null | undefined },
): FrameworkProblem[] {
  if (nextStatus(status, action) === null) return [problem('framework.action_not_available', null, { status, action })];
  if (action === 'submit') return submissionProblems(facts);
  // 第十条: NDRC says why it returns the plan, so the departments know what to change.
  if (action === 'return' && input !== undefined && isBlank(input.reasons)) return [problem('framework.reasons_missing', '第十条')];
  return [];
}

// ——— linking projects (第十条) ———

/**
 * 第十条 框架方案确定后各部门按程序申报本部门分项: a participant's project links to the plan once it is
 * confirmed, and only a project built by that participant or a unit below it (`lineage`: the
 * construction unit and its ancestors).
 */
export function projectLinkProblems(participantOrganizationId: string, constructionUnitLineage: readonly string[]): FieldProblem[] {
  return constructionUnitLineage.includes(participantOrganizationId) ? [] : [{ path: 'projectId', code: 'framework.project_not_participant' }];
}

/**
 * 第十条 需地方协同建设的…地方建设单位按国家项目总体目标、框架…开展审批建设: a local sub-project (its
 * construction unit has a 行政区划代码 of a province or below, its own or an ancestor's) follows a
 * national project (built by a central organization: no such code, or the national 100000).
 */
export function coordinationProblems(input: {
  localProjectId: string; nationalProjectId: string; localDivisionCode: string | null; nationalDivisionCode: string | null;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const isLocal = (code: string | null) => code !== null && code !== '100000';
  if (input.localProjectId === input.nationalProjectId) return [{ path: 'nationalProjectCode', code: 'coordination.self' }];
  if (!isLocal(input.localDivisionCode)) problems.push({ path: 'projectId', code: 'coordination.not_local' });
  if (isLocal(input.nationalDivisionCode)) problems.push({ path: 'nationalProjectCode', code: 'coordination.not_national' });
  return problems;
}
