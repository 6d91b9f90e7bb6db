// What the worklist page and the home page's 我的待办 card show the same way: the state tag, the
// days left (red when overdue, orange when due soon) and the order of due dates.
import { useCallback } from 'react';
import { Tag, Typography } from 'antd';
import type { LocalizedText, WorkItem } from '../../api/types';
import { useLocale, useT } from '../../i18n';
import { statusColor } from '../../utils/lifecycle';

/** Items due within this many days are shown in orange. */
export const DUE_SOON_DAYS = 3;

export function useLocal() {
  const { locale } = useLocale();
  return useCallback((text: LocalizedText) => (locale === 'zh-CN' ? text.zh : text.en), [locale]);
}

/** Whether an item falls due within DUE_SOON_DAYS (and is not overdue yet). */
export function dueSoon(item: WorkItem): boolean {
  return !item.overdue && item.daysLeft !== null && item.daysLeft <= DUE_SOON_DAYS;
}

/** Undated items (drafts nobody has submitted) sort after every dated one. */
export function compareDue(a: WorkItem, b: WorkItem): number {
  if (a.dueDate === null || b.dueDate === null) return a.dueDate === b.dueDate ? 0 : a.dueDate === null ? 1 : -1;
  return a.dueDate.localeCompare(b.dueDate);
}

/** 剩余天数: red when overdue, orange when due within three days. */
export function DaysLeft({ item, prominent = false }: { item: WorkItem; prominent?: boolean }) {
  const t = useT();
  const className = prominent ? 'days-left days-left-prominent' : 'days-left';
  if (item.daysLeft === null) {
    return <Typography.Text type="secondary">{t('worklist.noDeadline')}</Typography.Text>;
  }
  if (item.overdue || item.daysLeft < 0) {
    return (
      <Tag color="red" className={className}>
        {t('worklist.overdue', { days: Math.abs(item.daysLeft) })}
      </Tag>
    );
  }
  if (item.daysLeft === 0) {
    return (
      <Tag color="orange" className={className}>
        {t('worklist.dueToday')}
      </Tag>
    );
  }
  return (
    <Tag color={dueSoon(item) ? 'orange' : 'default'} className={className}>
      {t('worklist.left', { days: item.daysLeft })}
    </Tag>
  );
}

export function StateTag({ item }: { item: WorkItem }) {
  const local = useLocal();
  return (
    <Tag color={statusColor(item.status)} className="stage-tag">
      {local(item.stateName)}
    </Tag>
  );
}
