import { Tag } from 'antd';
import type { ProjectLifecycle } from '../api/types';
import { useLocale } from '../i18n';
import { statusColor } from '../utils/lifecycle';

/** The project's current stage and status (e.g. 可行性研究报告 · 草稿), coloured by status. */
export default function StageTag({ lifecycle, className }: { lifecycle: ProjectLifecycle; className?: string }) {
  const { locale } = useLocale();
  return (
    <Tag color={statusColor(lifecycle.status)} className={className ? `stage-tag ${className}` : 'stage-tag'}>
      {locale === 'zh-CN' ? lifecycle.name.zh : lifecycle.name.en}
    </Tag>
  );
}
