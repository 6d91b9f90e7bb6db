import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Descriptions, Empty, Grid, List, Result, Space, Spin, Steps, Table, Tabs, Tag, Typography } from 'antd';
import type { StepsProps } from 'antd';
import { CheckCircleOutlined, EditOutlined, LockOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import type { PerformanceIndicator, Plan, PlanTask, Project, ProjectSystem } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { isSkippedStage, stagesOfPath } from '../../utils/lifecycle';
import { groupThousands } from '../../utils/money';
import StageTag from '../../components/StageTag';
import { SimilarProjectsCard } from '../../components/DuplicateWarnings';
import CoordinationCard from '../frameworks/CoordinationCard';
import ActionPanel from './ActionPanel';
import HistoryTimeline from './HistoryTimeline';
import MaterialsTab from './MaterialsTab';
import ResourcesTab from './ResourcesTab';
import ConstructionTab, { SuspensionBanner } from './ConstructionTab';
import InvestmentTab from './InvestmentTab';
import { ProjectSecurityTab } from '../security/SecurityPanel';
import AcceptanceTab from '../acceptance/AcceptanceTab';

function Amount({ value }: { value: string }) {
  const t = useT();
  return (
    <span className="amount nowrap">
      {groupThousands(value)} {t('project.unit.wan')}
    </span>
  );
}

function YesNo({ value }: { value: boolean }) {
  const t = useT();
  return value ? <Tag color="orange">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>;
}

/** The project's path through the stages, with the current stage highlighted. */
function LifecyclePanel({ project }: { project: Project }) {
  const t = useT();
  const { tx } = useLocale();
  const screens = Grid.useBreakpoint();
  const { lifecycle } = project;
  const stages = stagesOfPath(project);
  const currentIndex = stages.indexOf(lifecycle.stage);
  const statusText = tx(`lifecycle.status.${lifecycle.track}.${lifecycle.status}`, lifecycle.status);

  const items: StepsProps['items'] = stages.map((stage, index) => {
    const title = t(`lifecycle.stage.${stage}`);
    if (isSkippedStage(project, stage)) {
      return { title, status: 'wait', description: t('project.lifecycle.skippedInPlan') };
    }
    if (index < currentIndex) return { title, status: 'finish', description: t('project.lifecycle.passed') };
    if (index > currentIndex) return { title, status: 'wait' };
    const done = lifecycle.status === 'approved' || lifecycle.status === 'filed';
    const failed = lifecycle.status === 'rejected';
    return {
      title,
      status: failed ? 'error' : done ? 'finish' : 'process',
      description: <Tag color={failed ? 'red' : done ? 'green' : lifecycle.status === 'returned' ? 'orange' : 'blue'}>{statusText}</Tag>,
    };
  });

  const pathNote: MessageKey =
    lifecycle.track === 'filing'
      ? 'project.lifecycle.path.filing'
      : lifecycle.stage === 'combinedStage'
        ? 'project.lifecycle.path.combined'
        : project.inPlan
          ? 'project.lifecycle.path.inPlan'
          : 'project.lifecycle.path.approval';

  return (
    <Card title={t('project.lifecycle')} className="detail-card" size="small">
      <Steps
        items={items}
        current={Math.max(currentIndex, 0)}
        size="small"
        direction={screens.md ? 'horizontal' : 'vertical'}
        className="lifecycle-steps"
      />
      <Typography.Paragraph type="secondary" className="lifecycle-note">
        {t(pathNote)}
        {lifecycle.editable ? ` ${t('project.lifecycle.editable')}` : ''}
      </Typography.Paragraph>
    </Card>
  );
}

export default function ProjectDetail() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const { id = '' } = useParams<{ id: string }>();
  const { showError } = useApiFeedback();
  const [project, setProject] = useState<Project | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [plans, setPlans] = useState<Plan[]>([]);
  // ?tab=resources opens a tab directly (the 信息资源目录 browser links there).
  const [tab, setTab] = useState(() => new URLSearchParams(location.search).get('tab') ?? 'overview');
  const organizations = useOrganizationList(can('system:org:read'));
  const created = (location.state as { created?: boolean } | null)?.created === true;

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setProject(await api.projects.get(id));
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

  // The plan task's code and title (列入规划) come from the plans.
  useEffect(() => {
    if (!can('plan:read')) return;
    let alive = true;
    api.plans
      .list({ level: 'national' })
      .then((result) => alive && setPlans(result.items))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [can]);

  const taskById = useMemo(() => {
    const map = new Map<string, { task: PlanTask; plan: Plan }>();
    for (const plan of plans) for (const task of plan.tasks) map.set(task.id, { task, plan });
    return map;
  }, [plans]);

  const orgName = useMemo(() => {
    const names = new Map(organizations.items.map((org) => [org.id, org.name]));
    if (project) {
      names.set(project.constructionUnitId, project.constructionUnitName);
      names.set(project.approvalDepartmentId, project.approvalDepartmentName);
    }
    return (orgId: string): ReactNode =>
      names.get(orgId) ?? (
        <Typography.Text type="secondary" className="mono small" title={orgId}>
          {t('project.org.outsideScope', { id: orgId.slice(0, 8) })}
        </Typography.Text>
      );
  }, [organizations.items, project, t]);

  if (loading && !project) {
    return (
      <PageContainer>
        <div className="full-page-spin">
          <Spin size="large" />
        </div>
      </PageContainer>
    );
  }
  if (!project) {
    return (
      <PageContainer>
        <Result
          status={loadError?.status === 404 ? '404' : 'error'}
          title={loadError?.userMessage ?? t('error.unknown')}
          extra={
            <Space wrap>
              <Button onClick={() => navigate('/projects')}>{t('project.backToList')}</Button>
              <Button type="primary" icon={<ReloadOutlined />} onClick={() => void load()}>
                {t('common.refresh')}
              </Button>
            </Space>
          }
        />
      </PageContainer>
    );
  }

  const descriptionColumns = { xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 };
  const descriptionLayout = screens.sm ? 'horizontal' : 'vertical';
  const planTask = project.planTaskId ? taskById.get(project.planTaskId) : undefined;
  const canEdit = can('project:update') && project.lifecycle.editable;

  const indicatorColumns = [
    { title: t('project.indicator.name'), dataIndex: 'indicator', key: 'indicator', width: 200 },
    {
      title: t('project.indicator.category'),
      dataIndex: 'category',
      key: 'category',
      width: 100,
      render: (value: PerformanceIndicator['category']) => t(`project.indicator.category.${value}`),
    },
    { title: t('project.indicator.unit'), dataIndex: 'unit', key: 'unit', width: 80 },
    { title: t('project.indicator.baseline'), dataIndex: 'baseline', key: 'baseline', width: 100, align: 'right' as const },
    {
      title: t('project.indicator.targets'),
      dataIndex: 'targets',
      key: 'targets',
      render: (targets: PerformanceIndicator['targets']) => (
        <div className="cell-tags">
          {targets.map((target) => (
            <Tag key={target.year}>{t('project.indicator.targetItem', { year: target.year, value: target.value })}</Tag>
          ))}
        </div>
      ),
    },
    {
      title: t('project.indicator.direction'),
      dataIndex: 'direction',
      key: 'direction',
      width: 110,
      render: (value: PerformanceIndicator['direction']) => t(`project.indicator.direction.${value}`),
    },
  ];

  const systemColumns = [
    { title: t('project.system.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('project.system.action'),
      dataIndex: 'action',
      key: 'action',
      width: 140,
      render: (value: ProjectSystem['action']) => <Tag color={value === 'new' ? 'blue' : 'purple'}>{t(`project.system.action.${value}`)}</Tag>,
    },
  ];

  const { security } = project;
  const prerequisitesRequired = project.newCivilConstruction || project.highEnergyConsumption;

  const overview = (
    <Space direction="vertical" size={16} className="full-width">
      <Card title={t('project.step.basic')} size="small" className="detail-card">
        <Descriptions bordered size="small" column={descriptionColumns} layout={descriptionLayout} className="project-descriptions">
          <Descriptions.Item label={t('project.name')} span={descriptionColumns.xl}>
            {project.name}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.code')}>
            <Typography.Text copyable className="mono nowrap">
              {project.code}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('project.track')}>{t(`project.track.${project.track}`)}</Descriptions.Item>
          <Descriptions.Item label={t('project.kind')}>{t(`project.kind.${project.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('project.constructionUnit')}>{project.constructionUnitName}</Descriptions.Item>
          <Descriptions.Item label={t('project.approvalDepartment')}>{project.approvalDepartmentName}</Descriptions.Item>
          <Descriptions.Item label={t('project.currentStage')}>
            <StageTag lifecycle={project.lifecycle} />
          </Descriptions.Item>
          <Descriptions.Item label={t('project.inPlan')} span={descriptionColumns.xl}>
            {project.planTaskId ? (
              <span>
                <Tag color="blue">{t('common.yes')}</Tag>
                {planTask ? t('project.planTask.display', { plan: planTask.plan.name, code: planTask.task.code, title: planTask.task.title }) : null}
              </span>
            ) : (
              <Tag>{t('project.planTask.none')}</Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.involvesSecrets')}>
            <YesNo value={project.involvesSecrets} />
          </Descriptions.Item>
          <Descriptions.Item label={t('project.crossDepartment')} span={2}>
            {project.crossDepartment ? (
              <span>
                {t('project.crossDepartment.lead')}{t('common.colon')}{orgName(project.crossDepartment.leadOrganizationId)}
                <br />
                {t('project.crossDepartment.participants')}{t('common.colon')}
                {project.crossDepartment.participantIds.map((participant, index) => (
                  <span key={participant}>
                    {index > 0 ? t('common.listSeparator') : ''}
                    {orgName(participant)}
                  </span>
                ))}
              </span>
            ) : (
              <Tag>{t('common.no')}</Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(project.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('project.updatedAt')}>{formatDateTime(project.updatedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('project.version')}>{project.version}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('project.step.investment')} size="small" className="detail-card">
        <Descriptions bordered size="small" column={descriptionColumns} layout={descriptionLayout} className="project-descriptions">
          <Descriptions.Item label={t('project.constructionPeriod')}>
            {t('project.period.range', { start: project.constructionStart, end: project.constructionEnd })}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.totalInvestment')}>
            <Amount value={project.totalInvestment} />
          </Descriptions.Item>
          <Descriptions.Item label={t('project.oAndMFunds')}>
            <Amount value={project.oAndMFunds} />
          </Descriptions.Item>
          <Descriptions.Item label={t('project.fundingChannel')}>{t(`project.fundingChannel.${project.fundingChannel}`)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {project.urgent && (
        <Card title={t('project.step.urgent')} size="small" className="detail-card">
          <Descriptions bordered size="small" column={1} layout={descriptionLayout} className="project-descriptions">
            <Descriptions.Item label={t('project.urgent.reasonCategory')}>
              {project.urgent.reasonCategory ? t(`project.urgent.reason.${project.urgent.reasonCategory}`) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('project.urgent.affirmations')}>
              <Space direction="vertical" size={2}>
                <span>
                  <CheckCircleOutlined className={project.urgent.situationUrgent ? 'affirmed' : 'not-affirmed'} /> {t('project.urgent.situationUrgent')}
                </span>
                <span>
                  <CheckCircleOutlined className={project.urgent.preparationAdequate ? 'affirmed' : 'not-affirmed'} />{' '}
                  {t('project.urgent.preparationAdequate')}
                </span>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('project.urgent.justification')}>
              <div className="pre-wrap">{project.urgent.justification}</div>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      {/* 第十条: the framework plan this project is a part of; 地方协同 with a national project. */}
      <CoordinationCard project={project} />
    </Space>
  );

  const performance = (
    <Card size="small" className="detail-card">
      {screens.md ? (
        <Table<PerformanceIndicator>
          rowKey={(row) => `${row.indicator}-${row.unit}`}
          columns={indicatorColumns}
          dataSource={project.performanceIndicators}
          pagination={false}
          size="small"
          scroll={{ x: 720 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('project.indicators.empty')} /> }}
        />
      ) : (
        // a phone: one block per indicator instead of a wide table
        <List<PerformanceIndicator>
          dataSource={project.performanceIndicators}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('project.indicators.empty')} /> }}
          renderItem={(item) => (
            <List.Item className="indicator-item">
              <Typography.Text strong>{item.indicator}</Typography.Text>
              <div className="indicator-meta">
                <Tag>{t(`project.indicator.category.${item.category}`)}</Tag>
                <span>
                  {t('project.indicator.unit')}{t('common.colon')}{item.unit}
                </span>
                <span>
                  {t('project.indicator.baseline')}{t('common.colon')}{item.baseline}
                </span>
                <span>{t(`project.indicator.direction.${item.direction}`)}</span>
              </div>
              <div className="cell-tags">
                {item.targets.map((target) => (
                  <Tag key={target.year} color="blue">
                    {t('project.indicator.targetItem', { year: target.year, value: target.value })}
                  </Tag>
                ))}
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );

  const systemsAndSecurity = (
    <Space direction="vertical" size={16} className="full-width">
      <Card title={t('project.systems')} size="small" className="detail-card">
        <Table<ProjectSystem>
          rowKey={(row) => `${row.name}-${row.action}`}
          columns={systemColumns}
          dataSource={project.systems}
          pagination={false}
          size="small"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('project.systems.none')} /> }}
        />
      </Card>
      <Card title={t('project.security')} size="small" className="detail-card">
        <Descriptions bordered size="small" column={descriptionColumns} layout={descriptionLayout} className="project-descriptions">
          <Descriptions.Item label={t('project.security.scheme')}>
            {security.scheme === 'classified' ? (
              <Tag icon={<LockOutlined />} color="red">
                {t('project.security.scheme.classified')}
              </Tag>
            ) : (
              <Tag icon={<SafetyCertificateOutlined />} color="blue">
                {t('project.security.scheme.mlps')}
              </Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.security.mlpsLevel')}>
            {security.mlpsLevel ? t(`project.security.mlpsLevel.${security.mlpsLevel}` as MessageKey) : t('project.security.mlpsLevel.notApplicable')}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.security.cryptoPlan')}>{t(`project.security.cryptoPlan.${security.cryptoPlan}`)}</Descriptions.Item>
          <Descriptions.Item label={t('project.security.cryptoAssessment')}>
            {t(`project.security.cryptoAssessment.${security.cryptoAssessment}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('project.newCivilConstruction')}>
            <YesNo value={project.newCivilConstruction} />
          </Descriptions.Item>
          <Descriptions.Item label={t('project.highEnergyConsumption')}>
            <YesNo value={project.highEnergyConsumption} />
          </Descriptions.Item>
        </Descriptions>
        <Alert
          type={prerequisitesRequired ? 'warning' : 'info'}
          showIcon
          className="detail-alert"
          message={prerequisitesRequired ? t('project.article8.required') : t('project.article8.notRequired')}
        />
      </Card>
    </Space>
  );

  const constructionOpen = project.lifecycle.status === 'filed' || (project.lifecycle.track === 'approval' && project.lifecycle.status === 'approved');
  const tabs = [
    { key: 'overview', label: t('project.tab.overview'), children: overview },
    { key: 'performance', label: t('project.tab.performance', { count: project.performanceIndicators.length }), children: performance },
    { key: 'security', label: t('project.tab.security'), children: systemsAndSecurity },
    // 第十四条–第十七条, 第二十八条: the records made, its systems' eligibility (the tab above shows what was declared).
    { key: 'securityRecords', label: t('project.tab.securityRecords'), children: <ProjectSecurityTab project={project} /> },
    { key: 'materials', label: t('project.tab.materials'), children: <MaterialsTab project={project} canEdit={canEdit} /> },
    { key: 'resources', label: t('project.tab.resources'), children: <ResourcesTab project={project} canEdit={canEdit} /> },
    // 第七条–第九条: what was decided, by whom, and the SM2 signatures of the decisions.
    { key: 'history', label: t('approval.history.tab'), children: <HistoryTimeline project={project} /> },
    // 第十三条, 第十九条–第二十二条: construction, once the project is approved or filed.
    ...(constructionOpen ? [{ key: 'construction', label: t('project.tab.construction'), children: <ConstructionTab project={project} /> }] : []),
    // 第二十二条–第二十四条: once approved or filed, or from the 初设 stage on (early investment after the 可研 approval).
    ...(project.lifecycle.status === 'approved' || project.lifecycle.status === 'filed' || project.lifecycle.stage === 'preliminaryDesign'
      ? [{ key: 'investment', label: t('project.tab.investment'), children: <InvestmentTab project={project} /> }] : []),
    // 第二十五条–第二十七条: acceptance and post-evaluation, once the project is approved or filed.
    ...(project.lifecycle.status === 'approved' || project.lifecycle.status === 'filed'
      ? [{ key: 'acceptance', label: t('project.tab.acceptance'), children: <AcceptanceTab project={project} /> }]
      : []),
  ];

  return (
    <PageContainer
      title={<span className="project-title">{project.name}</span>}
      tags={<StageTag lifecycle={project.lifecycle} />}
      onBack={() => navigate('/projects')}
      className="project-detail"
      content={
        <Space wrap size={[16, 4]} className="project-header-meta">
          <span>
            {t('project.code')}{t('common.colon')}
            <Typography.Text copyable className="mono">
              {project.code}
            </Typography.Text>
          </span>
          <span>
            {t('project.constructionUnit')}{t('common.colon')}{project.constructionUnitName}
          </span>
          <span>
            {t('project.totalInvestment')}{t('common.colon')}<Amount value={project.totalInvestment} />
          </span>
        </Space>
      }
      extra={[
        ...(canEdit
          ? [
              <Button key="edit" type="primary" icon={<EditOutlined />} onClick={() => navigate(`/projects/${project.id}/edit`)}>
                {t('common.edit')}
              </Button>,
            ]
          : []),
        // 第二十九条: the project's document requests (资料调阅), for whoever may read supervision.
        ...(can('rectification:read')
          ? [
              <Button key="docreq" onClick={() => navigate(`/document-requests?projectId=${project.id}`)} data-testid="project-docreq">
                {t('docreq.projectLink')}
              </Button>,
            ]
          : []),
      ]}
    >
      {created && (
        <Alert
          type="success"
          showIcon
          closable
          className="detail-alert created-alert"
          message={t('project.created.title')}
          description={t('project.created.desc', {
            code: project.code,
            stage: t(`lifecycle.stage.${project.lifecycle.stage}`),
          })}
          onClose={() => navigate(location.pathname, { replace: true, state: null })}
        />
      )}
      {constructionOpen && <SuspensionBanner projectId={project.id} />}
      <LifecyclePanel project={project} />
      <ActionPanel project={project} onChanged={() => void load()} onOpenCatalog={() => setTab('resources')} />
      {/* 第二十八条: similar projects and systems, a reminder only. */}
      <SimilarProjectsCard projectId={project.id} version={project.version} />
      <Tabs items={tabs} activeKey={tab} onChange={setTab} className="project-tabs" destroyOnHidden />
    </PageContainer>
  );
}
