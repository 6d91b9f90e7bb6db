// Small pieces the framework-plan screens share: the status tag, problems in the UI language,
// the shared terms of a suspected overlap highlighted in a text, what the caller may edit.
import { Fragment, type ReactNode } from 'react';
import { Tag } from 'antd';
import type { RuleProblem } from '../../api/types';
import type { Locale } from '../../i18n';
import { useLocale } from '../../i18n';
import type { Framework, FrameworkProblem, FrameworkStatus, Overlap } from './frameworksApi';

const STATUS_COLORS: Record<FrameworkStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  confirmed: 'success',
  returned: 'warning',
};

export function FrameworkStatusTag({ status, name }: { status: FrameworkStatus; name: { zh: string; en: string } }) {
  const { locale } = useLocale();
  return (
    <Tag color={STATUS_COLORS[status]} className="framework-status-tag" data-status={status}>
      {locale === 'zh-CN' ? name.zh : name.en}
    </Tag>
  );
}

/** A problem as RuleProblems shows it (a 422 already comes localized; the plan's own list has both languages). */
export function localizeFrameworkProblem(problem: FrameworkProblem, locale: Locale): RuleProblem {
  return { code: problem.code, article: problem.article, message: locale === 'zh-CN' ? problem.message.zh : problem.message.en, params: problem.params };
}

/** A plan is edited while it is drawn up or after NDRC returned it (isEditable of the domain). */
export function isEditable(framework: Pick<Framework, 'status'>): boolean {
  return framework.status === 'draft' || framework.status === 'returned';
}

/** Whether the caller may edit a participant's part: the lead's people edit every part. */
export function mayEditPart(framework: Framework, organizationId: string): boolean {
  return isEditable(framework) && (framework.caller.leads || framework.caller.ownOrganizationIds.includes(organizationId));
}

/** The terms shown and highlighted: the ones that make up most of the similarity. */
export function leadingTerms(overlap: Overlap, count = 6): string[] {
  return overlap.terms.slice(0, count).map((t) => t.term).filter((t) => t.trim() !== '');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with every occurrence of `terms` wrapped in <mark> (longest term first). */
export function Highlighted({ text, terms }: { text: string; terms: string[] }): ReactNode {
  if (terms.length === 0 || text === '') return text;
  const pattern = new RegExp(`(${[...terms].sort((a, b) => b.length - a.length).map(escape).join('|')})`, 'g');
  const set = new Set(terms);
  return (
    <>
      {text.split(pattern).map((part, index) =>
        set.has(part) ? (
          <mark key={index} className="overlap-term">
            {part}
          </mark>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** The key of a content pair, as the server keys justifications. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
