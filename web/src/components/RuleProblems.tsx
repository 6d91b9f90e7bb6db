import { Alert } from 'antd';
import type { RuleProblem } from '../api/types';
import { useT } from '../i18n';

/** The rules that stand in the way (422 lifecycle.blocked), each with its article, e.g. 第七条：…. */
export default function RuleProblems({ problems, onClose }: { problems: RuleProblem[]; onClose?: () => void }) {
  const t = useT();
  if (problems.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="rule-problems"
      message={t('project.problems.title', { count: problems.length })}
      description={
        <ol className="rule-problem-list">
          {problems.map((problem, index) => (
            <li key={`${problem.code}-${index}`}>
              {problem.article ? t('project.problems.item', { article: problem.article, message: problem.message }) : problem.message}
            </li>
          ))}
        </ol>
      }
      closable={Boolean(onClose)}
      onClose={onClose}
    />
  );
}
