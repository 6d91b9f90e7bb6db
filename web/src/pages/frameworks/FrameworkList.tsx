// 跨部门框架方案 (第十条): the plans the caller takes part in (supervisory bodies: all), with their
// lead, how many participants have confirmed their parts, and the status; 新建 for framework:manage.
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Grid, Progress, Select, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import { useCan, useMe } from '../../auth/AuthContext';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import CreateFrameworkModal from './CreateFrameworkModal';
import { FRAMEWORK_STATUSES, frameworksApi, type FrameworkStatus, type FrameworkSummary } from './frameworksApi';
import { FrameworkStatusTag } from './frameworkUi';
import './frameworks.css';

interface Search {
  q?: string;
  status?: FrameworkStatus;
  organizationId?: string;
}

export default function FrameworkList() {
  const t = useT();
  const { tx } = useLocale();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const navigate = useNavigate();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const [creating, setCreating] = useState(false);
  const me = useMe();
  const organizations = useOrganizationList(can('system:org:read'));
  // 参与部门 filter: the organizations the caller's scope shows (all of them for NDRC and the supervisors).
  const organizationOptions = useMemo(() => {
    const seen = new Map(me.organizations.map((o) => [o.id, o.name]));
    for (const o of organizations.items) if (!seen.has(o.id)) seen.set(o.id, o.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [me.organizations, organizations.items]);

  const columns: ProColumns<FrameworkSummary>[] = [
    {
      title: t('framework.filter.keyword'),
      dataIndex: 'q',
      hideInTable: true,
      fieldProps: { placeholder: t('framework.filter.keyword.placeholder') },
    },
    {
      title: t('framework.filter.organization'),
      dataIndex: 'organizationId',
      hideInTable: true,
      renderFormItem: () => (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          options={organizationOptions}
          loading={organizations.loading}
          placeholder={t('common.pleaseSelect', { field: t('framework.filter.organization') })}
        />
      ),
    },
    {
      title: t('framework.field.name'),
      dataIndex: 'name',
      search: false,
      render: (_, item) => (
        <Link to={`/frameworks/${item.id}`} className="framework-name-link">
          {item.name}
        </Link>
      ),
    },
    {
      title: t('framework.field.lead'),
      dataIndex: 'leadOrganizationName',
      search: false,
      width: 220,
      responsive: ['md'],
    },
    {
      title: t('framework.field.participants'),
      dataIndex: 'participantCount',
      search: false,
      width: 180,
      responsive: ['lg'],
      render: (_, item) => (
        <div className="framework-confirmed-cell">
          <Typography.Text className="small">
            {t('framework.list.confirmed', { confirmed: item.confirmedCount, total: item.participantCount })}
          </Typography.Text>
          <Progress
            percent={item.participantCount === 0 ? 0 : Math.round((item.confirmedCount / item.participantCount) * 100)}
            showInfo={false}
            size="small"
            status={item.confirmedCount === item.participantCount ? 'success' : 'normal'}
          />
        </div>
      ),
    },
    {
      title: t('framework.field.status'),
      dataIndex: 'status',
      width: 150,
      valueType: 'select',
      valueEnum: Object.fromEntries(FRAMEWORK_STATUSES.map((s) => [s, { text: tx(`framework.status.${s}`, s) }])),
      render: (_, item) => <FrameworkStatusTag status={item.status} name={item.statusName} />,
    },
    {
      title: t('framework.field.updatedAt'),
      dataIndex: 'updatedAt',
      search: false,
      width: 170,
      responsive: ['md'],
      render: (_, item) => <span className="nowrap">{formatDateTime(item.updatedAt, 'YYYY-MM-DD HH:mm')}</span>,
    },
  ];

  return (
    <PageContainer
      title={t('framework.list.title')}
      // (a phone has no room beside the title: the article is said on the plan's page)
      subTitle={screens.md ? t('framework.list.subtitle') : undefined}
      className="framework-list-page"
    >
      <ProTable<FrameworkSummary, Search>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        request={async (params) => {
          try {
            const result = await frameworksApi.list({
              q: params.q?.trim() || undefined,
              status: params.status || undefined,
              organizationId: params.organizationId || undefined,
              page: params.current ?? 1,
              pageSize: params.pageSize ?? 20,
            });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        locale={{ emptyText: t('framework.list.empty') }}
        toolBarRender={() =>
          can('framework:manage')
            ? [
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} className="framework-create">
                  {t('framework.create')}
                </Button>,
              ]
            : []
        }
      />
      {creating && (
        <CreateFrameworkModal
          onClose={() => setCreating(false)}
          onCreated={(framework) => {
            setCreating(false);
            navigate(`/frameworks/${framework.id}`);
          }}
        />
      )}
    </PageContainer>
  );
}
