// 框架方案 (第十条): one plan with everything 第十条 names — 参与部门 and their confirmations, 建设目标,
// 主要建设内容 with the suspected overlaps between departments (I-13), 业务流, 数据流和系统接口 (with
// a diagram), 初步数据目录 — the panel that says what still stands in the way of 联合报送 and
// holds the status actions (NDRC's 确定 / 退回 with a one-time code), the projects linked after
// confirmation, and the signed history. The tab is kept in ?tab= so a link can open it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { App, Badge, Button, Popconfirm, Result, Space, Spin, Tabs, Typography } from 'antd';
import { DeleteOutlined, ReloadOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import BusinessFlowsTab from './BusinessFlowsTab';
import CatalogTab from './CatalogTab';
import ContentsTab from './ContentsTab';
import DataFlowsTab from './DataFlowsTab';
import FrameworkHistory from './FrameworkHistory';
import { FrameworkProvider } from './FrameworkContext';
import OverviewTab from './OverviewTab';
import ParticipantsTab from './ParticipantsTab';
import ProjectsTab from './ProjectsTab';
import SubmissionPanel from './SubmissionPanel';
import { frameworksApi, type Framework } from './frameworksApi';
import { FrameworkStatusTag } from './frameworkUi';
import './frameworks.css';

const TABS = ['overview', 'participants', 'contents', 'businessFlows', 'dataFlows', 'catalog', 'projects', 'history'] as const;
type TabKey = (typeof TABS)[number];

export default function FrameworkDetail() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const { id = '' } = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams();
  const [framework, setFramework] = useState<Framework | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [deleting, setDeleting] = useState(false);
  const requested = search.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(requested ?? '') ? (requested as TabKey) : 'overview';

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setFramework(await frameworksApi.get(id));
      setLoadError(null);
    } catch (error) {
      if (error instanceof ApiError) setLoadError(error);
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [id, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const context = useMemo(() => (framework ? { framework, apply: setFramework, reload: load } : null), [framework, load]);

  if (!framework || !context) {
    return (
      <PageContainer>
        {loading ? (
          <div className="full-page-spin">
            <Spin size="large" />
          </div>
        ) : (
          <Result
            status={loadError?.status === 404 ? '404' : 'error'}
            title={loadError?.userMessage ?? t('error.unknown')}
            extra={
              <Space wrap>
                <Button onClick={() => navigate('/frameworks')}>{t('framework.backToList')}</Button>
                <Button type="primary" icon={<ReloadOutlined />} onClick={() => void load()}>
                  {t('common.refresh')}
                </Button>
              </Space>
            }
          />
        )}
      </PageContainer>
    );
  }

  const unhandled = framework.overlaps.filter((o) => o.justification === null).length;
  const confirmed = framework.participants.filter((p) => p.confirmation !== null).length;
  // 第十条: a draft never submitted may be deleted by the lead (the server refuses once it has history).
  const mayDelete = framework.caller.leads && framework.status === 'draft';

  const remove = async () => {
    setDeleting(true);
    try {
      await frameworksApi.remove(framework.id, framework.version);
      void message.success(t('framework.deleted', { name: framework.name }));
      navigate('/frameworks');
    } catch (error) {
      showError(error);
      setDeleting(false);
    }
  };

  const label = (text: string, count?: number, danger = false) =>
    count === undefined ? (
      text
    ) : (
      <span className="framework-tab-label">
        {text}
        <Badge count={count} showZero={!danger} size="small" color={danger ? undefined : '#8c8c8c'} />
      </span>
    );

  const items = [
    { key: 'overview', label: t('framework.tab.overview'), children: <OverviewTab /> },
    {
      key: 'participants',
      label: (
        <span className="framework-tab-label">
          {t('framework.tab.participants')}
          <Typography.Text type={confirmed === framework.participants.length ? 'success' : 'warning'} className="small">
            {confirmed}/{framework.participants.length}
          </Typography.Text>
        </span>
      ),
      children: <ParticipantsTab />,
    },
    { key: 'contents', label: label(t('framework.tab.contents'), unhandled, true), children: <ContentsTab /> },
    { key: 'businessFlows', label: label(t('framework.tab.businessFlows'), framework.businessFlows.length), children: <BusinessFlowsTab /> },
    { key: 'dataFlows', label: label(t('framework.tab.dataFlows'), framework.dataFlows.length), children: <DataFlowsTab /> },
    { key: 'catalog', label: label(t('framework.tab.catalog'), framework.catalogEntries.length), children: <CatalogTab /> },
    { key: 'projects', label: label(t('framework.tab.projects'), framework.projects.length), children: <ProjectsTab /> },
    { key: 'history', label: t('framework.tab.history'), children: <FrameworkHistory framework={framework} /> },
  ];

  return (
    <FrameworkProvider value={context}>
      <PageContainer
        title={<span className="framework-title">{framework.name}</span>}
        tags={<FrameworkStatusTag status={framework.status} name={framework.statusName} />}
        onBack={() => navigate('/frameworks')}
        className="framework-detail"
        content={
          <Space wrap size={[16, 4]} className="framework-header-meta">
            <span>
              {t('framework.field.lead')}
              {t('common.colon')}
              {framework.leadOrganizationName}
            </span>
            <span>
              {t('framework.field.participants')}
              {t('common.colon')}
              {t('framework.list.confirmed', { confirmed, total: framework.participants.length })}
            </span>
            <span>
              {t('framework.field.updatedAt')}
              {t('common.colon')}
              {formatDateTime(framework.updatedAt, 'YYYY-MM-DD HH:mm')}
            </span>
          </Space>
        }
        extra={[
          <Button key="reload" icon={<ReloadOutlined />} loading={loading} onClick={() => void load()} aria-label={t('common.refresh')} />,
          mayDelete ? (
            <Popconfirm
              key="delete"
              title={t('framework.delete.confirm', { name: framework.name })}
              description={t('framework.delete.help')}
              okText={t('common.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() => void remove()}
            >
              <Button danger icon={<DeleteOutlined />} loading={deleting}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          ) : null,
        ]}
      >
        <SubmissionPanel onOpenTab={(key) => setSearch({ tab: key }, { replace: true })} />
        <Tabs
          items={items}
          activeKey={tab}
          onChange={(key) => setSearch({ tab: key }, { replace: true })}
          className="framework-tabs"
          destroyOnHidden
        />
      </PageContainer>
    </FrameworkProvider>
  );
}
