// The materials each stage takes, as listed by STAGE_MATERIALS in src/domain/lifecycle.ts
// (minus the information-resource catalog, which is platform data, not a file). The server
// checks every upload against the same list; this copy only fills the upload form's choices.
import type { ProjectStage } from '../api/types';

const PREREQUISITE_APPROVALS = ['energyReview', 'siteSelection', 'landPreReview', 'environmentalImpactAssessment'] as const;

const FILING_CONTENTS = [
  'projectName', 'constructionUnit', 'approvalDepartment', 'performanceTargets', 'totalInvestment', 'omFunding',
  'fundingSource', 'sharingAndOpening', 'applicationSystems', 'protectionFiling', 'cryptoApplicationPlan', 'cryptoAssessmentReport',
] as const;

export const STAGE_UPLOADS: Readonly<Record<ProjectStage, readonly string[]>> = {
  proposal: ['proposal'],
  feasibilityStudy: ['feasibilityStudy', 'sharingAnalysis', ...PREREQUISITE_APPROVALS],
  preliminaryDesign: ['preliminaryDesign', 'budgetEstimate', 'sharingAnalysis'],
  combinedStage: ['feasibilityStudy', 'preliminaryDesign', 'budgetEstimate', 'sharingAnalysis', ...PREREQUISITE_APPROVALS],
  filing: [...FILING_CONTENTS, 'thirdPartyPostEvaluation'],
};

/** Materials a stage takes only under a condition: the note (message key) that says which. */
export const CONDITIONAL_UPLOADS: Readonly<Record<string, 'material.condition.article8' | 'material.condition.rebuild'>> = {
  energyReview: 'material.condition.article8',
  siteSelection: 'material.condition.article8',
  landPreReview: 'material.condition.article8',
  environmentalImpactAssessment: 'material.condition.article8',
  thirdPartyPostEvaluation: 'material.condition.rebuild',
};

/** File types the server accepts (src/domain/file-type.ts). */
export const UPLOAD_ACCEPT = '.pdf,.ofd,.docx,.xlsx,.zip,.png,.jpg,.jpeg';

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
