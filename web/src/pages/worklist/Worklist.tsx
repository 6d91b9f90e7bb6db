// 我的待办: every project waiting for the signed-in user, earliest due date first. The due
// dates come from the deadline rule settings (第七条, 第三十四条); the server computes them on
// the Asia/Shanghai calendar, the page only shows them. A desktop gets a table; a phone
// (掌上办公) gets a card per item that opens the project when tapped.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Card, Empty, Grid, List, Segmented, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import type { WorkItem } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { setWorklistCount } from '../notifications/counts';
import { worklistApi } from './worklistApi';
import { compareDue, DaysLeft, dueSoon, StateTag, useLocal } from './worklistUi';

type Filter = 'all' | 'dueSoon' | 'overdue';

function ActionTags({ item }: { item: WorkItem }) {
  const t = useT();
  const local = useLocal();
  const me = useMe();
  const roleName = me.roles.find((role) => role.code === item.role)?.name ?? item.role;
  return (
    <Tooltip title={t('worklist.actsAs', { role: roleName })}>
      <span className="worklist-actions">
        {item.actions.map((action) => (
          <Tag key={action.action} color="blue">
            {local(action.name)}
          </Tag>
        ))}
      </span>
    </Tooltip>
  );
}

/** One item on a phone: the whole card opens the project; the due date stands out. */
function WorkCard({ item }: { item: WorkItem }) {
  const t = useT();
  const navigate = useNavigate();
  const open = () => navigate(`/projects/${item.projectId}`);
  return (
    <Card
      size="small"
      hoverable
      className={item.overdue ? 'worklist-card worklist-card-overdue' : 'worklist-card'}
      onClick={open}
      role="link"
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'Enter') open();
      }}
    >
      <div className="worklist-card-due">
        <span className="worklist-card-due-date">
          <Typography.Text type="secondary" className="small">
            {t('worklist.due')}
          </Typography.Text>{' '}
          <strong>{item.dueDate ?? '—'}</strong>
        </span>
        <DaysLeft item={item} prominent />
      </div>
      <div className="worklist-card-name">{item.projectName}</div>
      <div className="mono small worklist-card-code">{item.projectCode}</div>
      <div className="worklist-card-tags">
        <StateTag item={item} />
        <ActionTags item={item} />
      </div>
      <Typography.Text type="secondary" className="small worklist-card-orgs">
        {item.constructionUnitName} → {item.approvalDepartmentName}
      </Typography.Text>
    </Card>
  );
}

export default function Worklist() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [items, setItems] = useState<WorkItem[]>([]);
  const [loading, setLoading] = useState(true);
  const [exporting, setExporting] = useState(false);
  const [filter, setFilter] = useState<Filter>('all');
  // Grid.useBreakpoint answers {} on the first render; treat "unknown" as a desktop.
  const phone = screens.md === false;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const result = await worklistApi.list({ signal });
        setItems(result.items);
        setWorklistCount(result.items.length);
      } catch (error) {
        showError(error);
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [showError],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const shown = useMemo(() => {
    if (filter === 'overdue') return items.filter((item) => item.overdue);
    if (filter === 'dueSoon') return items.filter(dueSoon);
    return items;
  }, [filter, items]);

  const overdueCount = items.filter((item) => item.overdue).length;
  const dueSoonCount = items.filter(dueSoon).length;

  const exportWorklist = async () => {
    setExporting(true);
    try {
      await worklistApi.export();
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const filterControl = (
    <Segmented<Filter>
      value={filter}
      onChange={setFilter}
      options={[
        { value: 'all', label: `${t('worklist.filter.all')} ${items.length}` },
        { value: 'dueSoon', label: `${t('worklist.filter.dueSoon')} ${dueSoonCount}` },
        { value: 'overdue', label: `${t('worklist.filter.overdue')} ${overdueCount}` },
      ]}
    />
  );

  const exportButton = (
    <Tooltip key="export" title={t('worklist.export.help')}>
      <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportWorklist()}>
        {exporting ? t('common.exporting') : t('common.export')}
      </Button>
    </Tooltip>
  );

  const columns: ProColumns<WorkItem>[] = [
    {
      title: t('worklist.project'),
      dataIndex: 'projectName',
      render: (_, item) => (
        <Link to={`/projects/${item.projectId}`} className="project-name-link">
          {item.projectName}
        </Link>
      ),
    },
    {
      title: t('project.code'),
      dataIndex: 'projectCode',
      width: 190,
      render: (_, item) => <span className="mono nowrap project-code">{item.projectCode}</span>,
    },
    { title: t('worklist.state'), dataIndex: 'stateName', width: 170, render: (_, item) => <StateTag item={item} /> },
    { title: t('worklist.actions'), dataIndex: 'actions', width: 140, render: (_, item) => <ActionTags item={item} /> },
    {
      title: t('worklist.dueDate'),
      dataIndex: 'dueDate',
      width: 100,
      sorter: compareDue,
      render: (_, item) => (
        <Tooltip title={`${t('worklist.since')}${t('common.colon')}${formatDateTime(item.since, 'YYYY-MM-DD HH:mm')}`}>
          <span className="nowrap">{item.dueDate ?? '—'}</span>
        </Tooltip>
      ),
    },
    {
      title: t('worklist.daysLeft'),
      dataIndex: 'daysLeft',
      width: 100,
      sorter: compareDue,
      render: (_, item) => <DaysLeft item={item} />,
    },
    { title: t('project.constructionUnit'), dataIndex: 'constructionUnitName', width: 120, ellipsis: true },
    { title: t('project.approvalDepartment'), dataIndex: 'approvalDepartmentName', width: 120, ellipsis: true },
  ];

  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('worklist.empty')} />;

  if (phone) {
    return (
      <PageContainer
        className="worklist-page worklist-phone"
        title={t('worklist.title')}
        subTitle={t('worklist.count', { count: items.length })}
        extra={[
          <Button key="reload" icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={() => void load()} />,
          exportButton,
        ]}
      >
        <Space direction="vertical" size={12} className="worklist-phone-body">
          {filterControl}
          <Spin spinning={loading}>
            <List<WorkItem>
              dataSource={shown}
              locale={{ emptyText: empty }}
              split={false}
              renderItem={(item) => (
                <List.Item key={`${item.projectId}:${item.role}`} className="worklist-list-item">
                  <WorkCard item={item} />
                </List.Item>
              )}
            />
          </Spin>
        </Space>
      </PageContainer>
    );
  }

  return (
    <PageContainer className="worklist-page" subTitle={t('worklist.subtitle')}>
      <ProTable<WorkItem>
        rowKey={(item) => `${item.projectId}:${item.role}`}
        columns={columns}
        dataSource={shown}
        loading={loading}
        search={false}
        headerTitle={filterControl}
        options={{ reload: () => void load(), density: true, setting: true }}
        scroll={{ x: 1100 }}
        rowClassName={(item) => (item.overdue ? 'worklist-row-overdue' : '')}
        locale={{ emptyText: empty }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        toolBarRender={() => [exportButton]}
      />
    </PageContainer>
  );
}
