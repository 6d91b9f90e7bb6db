// 运维经费资格 (第二十八条): every system of the master catalog, eligible for O&M funding or not, with
// each reason tagged by its clause (一 共享/重复采集, 二 总目录, 三 密码/网络安全/重大隐患, 孤网). For
// 财政部 (and NDRC, CAC, 国务院办公厅, auditors): filters by department, region, eligibility, clause,
// network and status; counts over the whole filtered set; the .xlsx export streams the same list.
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Empty, Grid, Select, Space, Statistic, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import { useCan } from '../../auth/AuthContext';
import { useT, type MessageKey } from '../../i18n';
import { orgTreeSelectData } from '../../utils/orgTree';
import { NETWORK_TYPES, SYSTEM_STATUSES } from '../catalog/catalogApi';
import { keepsSystemList, useProvinces, StatusTag, useLocalized } from '../catalog/catalogUi';
import { EligibleTag, ReasonList } from './SecurityPanel';
import { CLAUSES, securityApi, type EligibilityQuery, type SystemEligibility } from './securityApi';
import './security.css';

type Search = EligibilityQuery;

function queryOf(s: Search): EligibilityQuery {
  return {
    q: s.q?.trim() || undefined, organizationId: s.organizationId || undefined, province: s.province || undefined,
    eligible: s.eligible || undefined, clause: s.clause || undefined, networkType: s.networkType || undefined, status: s.status || undefined,
  };
}

export default function EligibilityList() {
  const t = useT();
  const can = useCan();
  const local = useLocalized();
  const provinces = useProvinces();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const lastQuery = useRef<EligibilityQuery>({});
  const [exporting, setExporting] = useState(false);
  const [counts, setCounts] = useState<{ eligible: number; ineligible: number; today: string } | null>(null);
  const organizations = useOrganizationList(can('system:org:read'));
  const orgTree = useMemo(() => orgTreeSelectData(organizations.items.filter(keepsSystemList)), [organizations.items]);
  const phone = screens.md === false;

  const exportList = async () => {
    setExporting(true);
    try {
      await securityApi.export(lastQuery.current);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const columns: ProColumns<SystemEligibility>[] = [
    { title: t('eligibility.filter.q'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('eligibility.filter.q') } },
    {
      title: t('eligibility.filter.eligible'), dataIndex: 'eligible', hideInTable: true,
      renderFormItem: () => (
        <Select allowClear className="filter-eligible" options={[{ value: 'true', label: t('eligibility.eligible') }, { value: 'false', label: t('eligibility.ineligible') }]}
          placeholder={t('common.pleaseSelect', { field: t('eligibility.filter.eligible') })} />
      ),
    },
    {
      title: t('eligibility.filter.clause'), dataIndex: 'clause', hideInTable: true,
      renderFormItem: () => (
        <Select allowClear className="filter-clause" options={CLAUSES.map((c) => ({ value: c, label: t(`eligibility.clause.${c}` as MessageKey) }))}
          placeholder={t('common.pleaseSelect', { field: t('eligibility.filter.clause') })} />
      ),
    },
    {
      title: t('catalog.filter.province'), dataIndex: 'province', hideInTable: true,
      renderFormItem: () => (
        <Select allowClear showSearch optionFilterProp="label" options={provinces.map((p) => ({ value: p.code, label: `${local(p.name)}（${p.code}）` }))}
          placeholder={t('common.pleaseSelect', { field: t('catalog.filter.province') })} />
      ),
    },
    {
      title: t('eligibility.filter.organization'), dataIndex: 'organizationId', hideInTable: true, hideInSearch: orgTree.length === 0,
      renderFormItem: () => (
        <TreeSelect treeData={orgTree} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll
          placeholder={t('common.pleaseSelect', { field: t('eligibility.filter.organization') })} />
      ),
    },
    {
      title: t('catalog.field.networkType'), dataIndex: 'networkType', hideInTable: true,
      renderFormItem: () => <Select allowClear options={NETWORK_TYPES.map((n) => ({ value: n, label: t(`catalog.network.${n}`) }))} />,
    },
    {
      title: t('catalog.field.status'), dataIndex: 'status', hideInTable: true,
      renderFormItem: () => <Select allowClear options={SYSTEM_STATUSES.map((s) => ({ value: s, label: t(`catalog.status.${s}` as MessageKey) }))} />,
    },
    {
      title: t('catalog.field.name'), dataIndex: 'name', search: false, width: 220,
      render: (_, e) => (
        <Space direction="vertical" size={0}>
          <Link to={`/catalog/systems/${e.systemId}`} className="eligibility-system-name">{e.name}</Link>
          <Typography.Text type="secondary" className="small">{e.ownerOrganizationName} · {local(e.province.name)}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('catalog.field.networkType'), dataIndex: 'networkType', search: false, width: 110,
      render: (_, e) => (e.networkType === 'isolated' ? <Tag color="purple">{t('catalog.network.isolated')}</Tag> : t(`catalog.network.${e.networkType}`)),
    },
    { title: t('catalog.field.status'), dataIndex: 'status', search: false, width: 80, render: (_, e) => <StatusTag status={e.status} /> },
    { title: t('eligibility.column.eligible'), dataIndex: 'eligible', search: false, width: 130, render: (_, e) => <EligibleTag eligible={e.eligible} /> },
    { title: t('eligibility.column.reasons'), dataIndex: 'reasons', search: false, render: (_, e) => (e.reasons.length + e.warnings.length === 0 ? '—' : <ReasonList e={e} compact />) },
    {
      title: t('eligibility.mayRebuild'), dataIndex: 'mayRebuild', search: false, width: 110,
      render: (_, e) => (e.mayRebuild ? <Tag color="green">{t('eligibility.mayRebuild.yes')}</Tag> : <Tag color="red">{t('eligibility.mayRebuild.no')}</Tag>),
    },
  ];

  return (
    <PageContainer className="catalog-page eligibility-page" subTitle={phone ? undefined : t('eligibility.subtitle')}>
      <ProTable<SystemEligibility, Search>
        rowKey="systemId"
        actionRef={actionRef}
        columns={columns}
        headerTitle={
          counts ? (
            <Space size={24} className="eligibility-counts">
              <Statistic title={t('eligibility.count.eligible')} value={counts.eligible} valueStyle={{ color: '#389e0d' }} />
              <Statistic title={t('eligibility.count.ineligible')} value={counts.ineligible} valueStyle={{ color: '#cf1322' }} />
              {!phone && <Typography.Text type="secondary" className="small">{t('eligibility.asOf', { date: counts.today })}</Typography.Text>}
            </Space>
          ) : undefined
        }
        scroll={phone ? undefined : { x: 1100 }}
        search={{ labelWidth: 'auto', defaultCollapsed: phone, span: phone ? 24 : { xs: 24, sm: 24, md: 12, lg: 8, xl: 8, xxl: 6 } }}
        options={phone ? false : { density: true, reload: true, setting: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: !phone, showTotal: (total) => t('common.total', { total }) }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('eligibility.empty')} /> }}
        request={async (search) => {
          const query = queryOf(search as Search);
          lastQuery.current = query;
          try {
            const result = await securityApi.list({ ...query, page: search.current ?? 1, pageSize: search.pageSize ?? 20 });
            setCounts({ ...result.counts, today: result.today });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Tooltip key="export" title={t('eligibility.export.help')}>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportList()} className="eligibility-export">
              {exporting ? t('common.exporting') : t('common.export')}
            </Button>
          </Tooltip>,
        ]}
        className="eligibility-table"
      />
    </PageContainer>
  );
}
