// What the action screens of the project detail need to know about each lifecycle action: which
// fields its form has, which of them the rules require, whether it shows the stage's materials
// beside the form. The rules themselves are the server's (src/domain/lifecycle.ts): the stage
// checklist comes with GET …/actions and a dry run decides; these tables only lay out the forms.
import type { LifecycleAction, LifecycleProblem, LifecycleStateRef, Project, ProjectStage, RuleProblem } from '../../api/types';
import type { Locale, MessageKey } from '../../i18n';

export type ActionField = 'reasons' | 'sharingOpinions' | 'returnTo' | 'reviewerId';

export interface ActionForm {
  fields: readonly ActionField[];
  /** The rules refuse the action without reasons (第七条, 第九条). */
  reasonsRequired: boolean;
  /** 第十一条: an approval and an assessment report carry sharing opinions. */
  sharingRequired: boolean;
  /** The review screen: the stage's materials beside the form. */
  review: boolean;
  /** Sends the project back or ends it: a red button. */
  danger: boolean;
  article: '第七条' | '第九条' | '第十一条';
}

const form = (fields: ActionField[], options: Partial<Omit<ActionForm, 'fields'>> = {}): ActionForm => ({
  fields,
  reasonsRequired: false,
  sharingRequired: false,
  review: true,
  danger: false,
  article: '第七条',
  ...options,
});

/** The form of each action; `submit` has its own screen (the checklist). */
export const ACTION_FORMS: Readonly<Record<LifecycleAction, ActionForm>> = {
  submit: form([], { review: false }),
  // 第七条: the unit lead signs what the preparer submits, or sends it back with reasons.
  sign: form(['reasons']),
  declineSignature: form(['reasons'], { reasonsRequired: true, danger: true }),
  withdraw: form(['reasons'], { review: false }),
  accept: form(['reasons']),
  reassignReviewer: form(['reviewerId', 'reasons'], { review: false }),
  // 第十一条: 评估报告应当包括信息资源共享分析的评估意见.
  completeAssessment: form(['reasons', 'sharingOpinions'], { sharingRequired: true, article: '第十一条' }),
  returnForRevision: form(['returnTo', 'reasons'], { reasonsRequired: true, danger: true }),
  // 第十一条: 批复文件应当包括信息资源共享分析意见.
  approve: form(['sharingOpinions', 'reasons'], { sharingRequired: true }),
  reject: form(['reasons'], { reasonsRequired: true, danger: true }),
  // 第九条: NDRC files a complete filing or returns it for completion, saying what to complete.
  file: form(['reasons'], { article: '第九条' }),
  returnForCompletion: form(['reasons'], { reasonsRequired: true, danger: true, article: '第九条' }),
};

/** Actions whose 公文 (.docx) can be downloaded from the history. */
export const DOCUMENT_ACTIONS: ReadonlySet<LifecycleAction> = new Set(['approve', 'reject', 'file', 'returnForCompletion', 'returnForRevision']);

/**
 * Problems about what the user has not typed yet (reasons, opinions, the return target): not
 * shown before the user has had a chance to fill the form.
 */
export const INPUT_PROBLEM_CODES: ReadonlySet<string> = new Set([
  'signature.reasons_missing',
  'return.reasons_missing',
  'return.no_previous_stage',
  'reject.reasons_missing',
  'decision.sharing_opinions_missing',
  'assessment.sharing_opinions_missing',
  'filing.reasons_missing',
]);

/** A problem in the language of the UI (a 422 already comes localized). */
export function localizeProblem(problem: LifecycleProblem, locale: Locale): RuleProblem {
  return { code: problem.code, article: problem.article, message: locale === 'zh-CN' ? problem.message.zh : problem.message.en, params: problem.params };
}

/** The stage a reviewer may send a project back to (第七条); null: only the same stage. */
export function previousStageOf(project: Pick<Project, 'inPlan' | 'lifecycle'>): ProjectStage | null {
  switch (project.lifecycle.stage) {
    case 'feasibilityStudy':
      // 第七条第二款: a project in the plan never had a 项目建议书 stage.
      return project.inPlan ? null : 'proposal';
    case 'preliminaryDesign':
      return 'feasibilityStudy';
    default:
      return null;
  }
}

/** A fresh Idempotency-Key (UUID v4); crypto.randomUUID exists only in secure contexts. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The message key of a state's status, per track (a returned filing is 退回补正). */
export function statusKey(state: Pick<LifecycleStateRef, 'stage' | 'status'>): string {
  return `lifecycle.status.${state.stage === 'filing' ? 'filing' : 'approval'}.${state.status}`;
}

/** The message key of a material's name (分级保护 for 涉密 projects, 第九条). */
export function materialNameKey(code: string, classified: boolean): MessageKey {
  if (code === 'protectionFiling' && classified) return 'material.code.protectionFiling.classified';
  return `material.code.${code}` as MessageKey;
}
