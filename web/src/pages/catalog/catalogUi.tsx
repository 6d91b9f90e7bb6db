// What the catalog pages share: the 第二十八条 flag shown wherever a flagged system appears, the
// labels of the enums, the province list of the 行政区划 filter and the organizations that keep
// a system list.
import { Tag, Tooltip } from 'antd';
import { SafetyCertificateOutlined, WarningFilled } from '@ant-design/icons';
import type { LocalizedText, Organization, OrgKind } from '../../api/types';
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

/** Province-level divisions (GB/T 2260, first two digits) for the 行政区划 filter; 00 is 中央本级. */
export const PROVINCES: ReadonlyArray<{ code: string; name: LocalizedText }> = [
  { code: '00', name: { zh: '中央本级', en: 'Central' } },
  { code: '11', name: { zh: '北京市', en: 'Beijing' } }, { code: '12', name: { zh: '天津市', en: 'Tianjin' } },
  { code: '13', name: { zh: '河北省', en: 'Hebei' } }, { code: '14', name: { zh: '山西省', en: 'Shanxi' } },
  { code: '15', name: { zh: '内蒙古自治区', en: 'Inner Mongolia' } }, { code: '21', name: { zh: '辽宁省', en: 'Liaoning' } },
  { code: '22', name: { zh: '吉林省', en: 'Jilin' } }, { code: '23', name: { zh: '黑龙江省', en: 'Heilongjiang' } },
  { code: '31', name: { zh: '上海市', en: 'Shanghai' } }, { code: '32', name: { zh: '江苏省', en: 'Jiangsu' } },
  { code: '33', name: { zh: '浙江省', en: 'Zhejiang' } }, { code: '34', name: { zh: '安徽省', en: 'Anhui' } },
  { code: '35', name: { zh: '福建省', en: 'Fujian' } }, { code: '36', name: { zh: '江西省', en: 'Jiangxi' } },
  { code: '37', name: { zh: '山东省', en: 'Shandong' } }, { code: '41', name: { zh: '河南省', en: 'Henan' } },
  { code: '42', name: { zh: '湖北省', en: 'Hubei' } }, { code: '43', name: { zh: '湖南省', en: 'Hunan' } },
  { code: '44', name: { zh: '广东省', en: 'Guangdong' } }, { code: '45', name: { zh: '广西壮族自治区', en: 'Guangxi' } },
  { code: '46', name: { zh: '海南省', en: 'Hainan' } }, { code: '50', name: { zh: '重庆市', en: 'Chongqing' } },
  { code: '51', name: { zh: '四川省', en: 'Sichuan' } }, { code: '52', name: { zh: '贵州省', en: 'Guizhou' } },
  { code: '53', name: { zh: '云南省', en: 'Yunnan' } }, { code: '54', name: { zh: '西藏自治区', en: 'Tibet' } },
  { code: '61', name: { zh: '陕西省', en: 'Shaanxi' } }, { code: '62', name: { zh: '甘肃省', en: 'Gansu' } },
  { code: '63', name: { zh: '青海省', en: 'Qinghai' } }, { code: '64', name: { zh: '宁夏回族自治区', en: 'Ningxia' } },
  { code: '65', name: { zh: '新疆维吾尔自治区', en: 'Xinjiang' } }, { code: '71', name: { zh: '台湾省', en: 'Taiwan' } },
  { code: '81', name: { zh: '香港特别行政区', en: 'Hong Kong' } }, { code: '82', name: { zh: '澳门特别行政区', en: 'Macao' } },
];

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
