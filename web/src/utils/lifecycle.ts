// Display helpers for a project's lifecycle state as the server reports it (`lifecycle`).
// The state machine itself lives on the server (src/domain/lifecycle.ts); these helpers
// only choose colours and lay out the stages of the path for display.
import type { Project, ProjectStage, ProjectStatus } from '../api/types';

/** Tag colour of a status. */
export function statusColor(status: ProjectStatus): string {
  switch (status) {
    case 'draft':
      return 'default';
    case 'returned':
      return 'orange';
    case 'awaiting_signature':
      return 'gold';
    case 'submitted':
      return 'blue';
    case 'assessing':
      return 'cyan';
    case 'under_review':
      return 'geekblue';
    case 'approved':
    case 'filed':
      return 'green';
    case 'rejected':
      return 'red';
    default:
      return 'default';
  }
}

/** The stages a project's path consists of, given where it stands now. */
export function stagesOfPath(project: Pick<Project, 'lifecycle'>): ProjectStage[] {
  const { stage } = project.lifecycle;
  if (stage === 'filing') return ['filing'];
  if (stage === 'combinedStage') return ['combinedStage'];
  return ['proposal', 'feasibilityStudy', 'preliminaryDesign'];
}

/** Whether the stage was skipped: 列入规划 projects start at the feasibility study (第七条第二款). */
export function isSkippedStage(project: Pick<Project, 'lifecycle' | 'inPlan'>, stage: ProjectStage): boolean {
  return stage === 'proposal' && project.inPlan && project.lifecycle.stage !== 'proposal';
}
