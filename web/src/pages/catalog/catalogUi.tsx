// What the catalog pages share: the 第二十八条 flag shown wherever a flagged system appears, the
// labels of the enums, the province list of the 行政区划 filter and the organizations that keep
// a system list.
import { Tag, Tooltip } from 'antd';
import { SafetyCertificateOutlined, WarningFilled } from '@ant-design/icons';
import type { LocalizedText, Organization, OrgKind } from '../../api/types';
import { useCatalogLabels, type Label } from '../../api/departments';
import { useLocale, useT, type MessageKey } from '../../i18n';
import type { GovernmentSystem, SystemSecurity, SystemStatus } from './catalogApi';
import './catalog.css';

/**
 * 第二十八条 (联网为原则, 孤网为例外): the red mark of a system on an isolated network without a
 * standing exception decision. Every screen that shows such a system shows this tag.
 */
export function IsolationFlag({ system }: { system: Pick<GovernmentSystem, 'isolatedWithoutException'> }) {
  const t = useT();
  if (!system.isolatedWithoutException) return null;
  return (
    <Tooltip title={t('catalog.flag.isolated.help')}>
      <Tag color="red" icon={<WarningFilled />} className="isolation-flag">
        {t('catalog.flag.isolated')}
      </Tag>
    </Tooltip>
  );
}

/** The standing exception, where there is one: the State Council approval it rests on. */
export function ExceptionTag({ system }: { system: Pick<GovernmentSystem, 'isolationException'> }) {
  const t = useT();
  const exception = system.isolationException;
  if (!exception) return null;
  return (
    <Tooltip title={t('catalog.flag.exception.help', { number: exception.approvalDocumentNumber, date: exception.approvedOn })}>
      <Tag color="green" icon={<SafetyCertificateOutlined />} className="isolation-exception-tag">
        {t('catalog.flag.exception', { number: exception.approvalDocumentNumber })}
      </Tag>
    </Tooltip>
  );
}

const STATUS_COLORS: Record<SystemStatus, string> = { under_construction: 'blue', operating: 'green', retired: 'default' };

export function StatusTag({ status }: { status: SystemStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} className="system-status-tag">
      {t(`catalog.status.${status}`)}
    </Tag>
  );
}

/** 分级保护, or 等保 with its level in short (等保三级). */
export function protectionText(t: (key: MessageKey) => string, security: SystemSecurity): string {
  if (security.scheme === 'classified') return t('catalog.count.classified');
  return security.mlpsLevel === null ? t('catalog.scheme.mlps') : t(`catalog.level.short.${security.mlpsLevel}` as MessageKey);
}

/** The text of a server-given bilingual name in the current locale. */
export function useLocalized(): (text: LocalizedText) => string {
  const { locale } = useLocale();
  return (text) => (locale === 'zh-CN' ? text.zh : text.en);
}

/**
 * Province-level divisions (GB/T 2260, first two digits) for the 行政区划 filters, 00 being 中央本级:
 * served by the API (GET /api/v1/catalog/labels, from PROVINCE_NAMES of the domain), not copied here.
 */
export function useProvinces(): Label[] {
  return useCatalogLabels().provinces;
}

/** Organizations that keep a system list: every kind but the firms (咨询评估, 监理, 第三方评价). */
const FIRM_KINDS: ReadonlySet<OrgKind> = new Set<OrgKind>(['assessor', 'supervisor', 'evaluator']);

export function keepsSystemList(org: Pick<Organization, 'kind'>): boolean {
  return !FIRM_KINDS.has(org.kind);
}

/** Common 业务领域 to suggest; any text is accepted. */
export const BUSINESS_AREA_SUGGESTIONS = [
  '社会保障', '市场监管', '自然资源', '生态环境', '交通运输', '卫生健康', '教育', '公共安全', '应急管理', '财政税务',
  '政务服务', '机关办公', '基础设施', '农业农村', '住房城乡建设', '文化旅游', '统计', '审计',
];
