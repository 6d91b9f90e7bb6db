// 政务信息系统详情 (第十二条, 第二十八条): the system's fields, the projects that built or upgraded it
// (links to the projects), the information resources it holds and collects, and the timeline of
// its 孤网 exception decisions, each with the server's verdict on its SM2 signature and the
// signed text. NDRC (catalog:exception) records or revokes the exception from here; catalog:manage
// users edit or remove the system.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import {
  App, Button, Card, Col, Collapse, Descriptions, Empty, Grid, List, Popconfirm, Result, Row, Space, Spin, Table, Tag, Timeline, Tooltip,
  Typography,
} from 'antd';
import {
  CheckCircleOutlined, CloseCircleOutlined, DeleteOutlined, EditOutlined, LockOutlined, ReloadOutlined, SafetyCertificateOutlined,
  StopOutlined, WarningOutlined,
} from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { catalogApi, type GovernmentSystem, type IsolationDecision } from './catalogApi';
import { ExceptionTag, IsolationFlag, protectionText, StatusTag, useLocalized } from './catalogUi';
import IsolationDecisionDrawer, { type DecisionKind } from './IsolationDecisionDrawer';
import SystemFormDrawer from './SystemFormDrawer';
import { SystemSecuritySection } from '../security/SecurityPanel';

function SignedText({ decision }: { decision: IsolationDecision }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const pretty = useMemo(() => {
    try {
      return JSON.stringify(JSON.parse(decision.payload), null, 2);
    } catch {
      return decision.payload;
    }
  }, [decision.payload]);
  return (
    <Descriptions size="small" bordered column={1} layout={screens.md ? 'horizontal' : 'vertical'} className="signature-descriptions">
      <Descriptions.Item label={t('approval.history.payload')}>
        <Typography.Paragraph className="signature-payload" copyable={{ text: decision.payload }}>
          <pre className="signature-pre">{pretty}</pre>
        </Typography.Paragraph>
      </Descriptions.Item>
      <Descriptions.Item label={t('approval.history.publicKey')}>
        <Typography.Text className="mono small break-all" copyable>
          {decision.publicKey}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('approval.history.signature')}>
        <Typography.Text className="mono small break-all" copyable>
          {decision.signature}
        </Typography.Text>
      </Descriptions.Item>
    </Descriptions>
  );
}

function DecisionItem({ decision }: { decision: IsolationDecision }) {
  const t = useT();
  const { tx } = useLocale();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [recheck, setRecheck] = useState<{ valid: boolean; at: Date } | null>(null);
  const [checking, setChecking] = useState(false);
  const grant = decision.decision === 'grant';

  const verify = async () => {
    setChecking(true);
    try {
      const { valid } = await api.lifecycle.verifySignature({ payload: decision.payload, signature: decision.signature, publicKey: decision.publicKey });
      setRecheck({ valid, at: new Date() });
      if (valid) void message.success(t('approval.signature.recheck.ok'));
      else void message.error(t('approval.signature.recheck.failed'));
    } catch (error) {
      showError(error);
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="history-item isolation-decision" data-decision={decision.decision}>
      <div className="history-head">
        <Tag color={grant ? 'green' : 'orange'} className="history-action">
          {t(grant ? 'catalog.decision.grant' : 'catalog.decision.revoke')}
        </Tag>
        {grant && decision.approvalDocumentNumber && (
          <span className="history-states">
            {decision.approvalDocumentNumber} · {decision.approvedOn}
          </span>
        )}
      </div>
      <Typography.Text type="secondary" className="small history-meta">
        {decision.actorName} · {tx(`approval.role.${decision.role}`, decision.role)} · {formatDateTime(decision.createdAt)}
      </Typography.Text>
      <div className="history-opinion">
        <Typography.Text type="secondary">
          {t('catalog.decision.reason')}
          {t('common.colon')}
        </Typography.Text>
        <span className="pre-wrap">{decision.reason}</span>
      </div>
      <Space wrap size={[8, 4]} className="history-signature">
        {decision.signatureValid ? (
          <Tag icon={<SafetyCertificateOutlined />} color="success" className="signature-tag">
            {t('approval.signature.valid')}
          </Tag>
        ) : (
          <Tag icon={<WarningOutlined />} color="error" className="signature-tag">
            {t('approval.signature.invalid')}
          </Tag>
        )}
        <Tooltip title={t('approval.signature.recheck.help')}>
          <Button size="small" loading={checking} onClick={() => void verify()}>
            {t('approval.signature.recheck')}
          </Button>
        </Tooltip>
        {recheck && (
          <Typography.Text type={recheck.valid ? 'success' : 'danger'} className="small signature-recheck">
            {recheck.valid ? <CheckCircleOutlined /> : <CloseCircleOutlined />}{' '}
            {t(recheck.valid ? 'approval.signature.recheck.valid' : 'approval.signature.recheck.invalid', {
              time: formatDateTime(recheck.at.toISOString()),
            })}
          </Typography.Text>
        )}
      </Space>
      <Collapse
        ghost
        size="small"
        className="signature-collapse"
        items={[{ key: 'details', label: t('approval.history.details'), children: <SignedText decision={decision} /> }]}
      />
    </div>
  );
}

export default function SystemDetail() {
  const t = useT();
  const can = useCan();
  const local = useLocalized();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const { id = '' } = useParams<{ id: string }>();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [system, setSystem] = useState<GovernmentSystem | null>(null);
  const [decisions, setDecisions] = useState<IsolationDecision[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState(false);
  const [deciding, setDeciding] = useState<DecisionKind | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [loaded, history] = await Promise.all([catalogApi.systems.get(id), catalogApi.isolation.decisions(id)]);
      setSystem(loaded);
      setDecisions(history.items);
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

  if (loading && !system) {
    return (
      <PageContainer>
        <div className="full-page-spin">
          <Spin size="large" />
        </div>
      </PageContainer>
    );
  }
  if (!system) {
    return (
      <PageContainer>
        <Result
          status={loadError?.status === 404 ? '404' : 'error'}
          title={loadError?.userMessage ?? t('error.unknown')}
          extra={
            <Space wrap>
              <Button onClick={() => navigate('/catalog/systems')}>{t('catalog.detail.back')}</Button>
              <Button type="primary" icon={<ReloadOutlined />} onClick={() => void load()}>
                {t('common.refresh')}
              </Button>
            </Space>
          }
        />
      </PageContainer>
    );
  }

  const remove = async () => {
    try {
      await catalogApi.systems.remove(system.id, system.version);
      void message.success(t('catalog.deleted', { name: system.name }));
      navigate('/catalog/systems', { replace: true });
    } catch (error) {
      showError(error);
      if (error instanceof ApiError && error.isStale) void load();
    }
  };

  const canManage = can('catalog:manage');
  const canDecide = can('catalog:exception');
  const mayGrant = canDecide && system.networkType === 'isolated' && system.isolationException === null;
  const mayRevoke = canDecide && system.isolationException !== null;
  const columns = { xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 };
  const held = system.resources.filter((r) => r.relation === 'holds').length;
  const collected = system.resources.length - held;

  const actions = [
    ...(mayGrant
      ? [
          <Button key="grant" type="primary" icon={<LockOutlined />} onClick={() => setDeciding('grant')} className="isolation-grant">
            {t('catalog.decision.grant.action')}
          </Button>,
        ]
      : []),
    ...(mayRevoke
      ? [
          <Button key="revoke" danger icon={<StopOutlined />} onClick={() => setDeciding('revoke')} className="isolation-revoke">
            {t('catalog.decision.revoke.action')}
          </Button>,
        ]
      : []),
    ...(canManage
      ? [
          <Button key="edit" icon={<EditOutlined />} onClick={() => setEditing(true)} className="system-edit">
            {t('common.edit')}
          </Button>,
          <Popconfirm
            key="delete"
            title={t('catalog.delete.confirm', { name: system.name })}
            description={t('catalog.delete.help')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => remove()}
          >
            <Button danger icon={<DeleteOutlined />} className="system-delete">
              {t('common.delete')}
            </Button>
          </Popconfirm>,
        ]
      : []),
  ];

  return (
    <PageContainer
      className="catalog-page catalog-detail"
      title={system.name}
      onBack={() => navigate('/catalog/systems')}
      tags={[
        <StatusTag key="status" status={system.status} />,
        <IsolationFlag key="flag" system={system} />,
        <ExceptionTag key="exception" system={system} />,
      ]}
      extra={screens.md ? actions : undefined}
    >
      {!screens.md && actions.length > 0 && (
        <Space wrap className="catalog-detail-actions">
          {actions}
        </Space>
      )}
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card title={t('catalog.detail.summary')} size="small" className="detail-card">
            <Descriptions bordered size="small" column={columns} layout={screens.sm ? 'horizontal' : 'vertical'} className="system-descriptions">
              <Descriptions.Item label={t('catalog.field.name')} span={columns.xl}>
                {system.name}
              </Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.ownerOrganizationId')}>{system.ownerOrganizationName}</Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.province')}>
                {local(system.province.name)}
                {system.divisionCode && (
                  <Typography.Text type="secondary" className="mono small">
                    {' '}
                    {system.divisionCode}
                  </Typography.Text>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.businessArea')}>{system.businessArea}</Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.purpose')} span={columns.xl}>
                <span className="pre-wrap">{system.purpose}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.networkType')}>
                <Space wrap size={[4, 4]}>
                  <span>{t(`catalog.network.${system.networkType}`)}</span>
                  <IsolationFlag system={system} />
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.involvesSecrets')}>
                {system.involvesSecrets ? <Tag color="orange">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.protection')}>{protectionText(t, system.security)}</Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.security.filingNumber')}>
                {system.security.filingNumber ? <span className="mono">{system.security.filingNumber}</span> : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.userCount')}>
                <span className="amount">{system.userCount.toLocaleString('zh-CN')}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.status')}>
                <StatusTag status={system.status} />
              </Descriptions.Item>
              {system.isolationException && (
                <Descriptions.Item label={t('catalog.detail.exception')} span={columns.xl}>
                  {t('catalog.detail.exception.text', {
                    number: system.isolationException.approvalDocumentNumber,
                    date: system.isolationException.approvedOn,
                    name: system.isolationException.decidedByName,
                    at: formatDateTime(system.isolationException.decidedAt, 'YYYY-MM-DD HH:mm'),
                  })}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('catalog.field.updatedAt')}>{formatDateTime(system.updatedAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
              <Descriptions.Item label={t('catalog.field.createdAt')}>{formatDateTime(system.createdAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('catalog.detail.projects', { count: system.projects.length })} size="small" className="detail-card system-projects">
            <List
              size="small"
              dataSource={system.projects}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.detail.projects.empty')} /> }}
              renderItem={(p) => (
                <List.Item key={p.projectId} extra={<Tag color={p.relation === 'new' ? 'blue' : 'purple'}>{t(`catalog.projectRelation.${p.relation}`)}</Tag>}>
                  <List.Item.Meta
                    title={
                      can('project:read') ? (
                        <Link to={`/projects/${p.projectId}`} className="project-name-link">
                          {p.projectName}
                        </Link>
                      ) : (
                        p.projectName
                      )
                    }
                    description={<span className="mono small">{p.projectCode}</span>}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title={t('catalog.detail.resources', { held, collected })}
            size="small"
            className="detail-card system-resources"
          >
            {screens.md ? (
              <Table
                size="small"
                rowKey={(r) => `${r.resourceId}:${r.relation}`}
                dataSource={system.resources}
                pagination={false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.detail.resources.empty')} /> }}
                columns={[
                  { title: t('catalog.resource.code'), dataIndex: 'resourceCode', width: 150, render: (v: string) => <span className="mono small nowrap">{v}</span> },
                  {
                    title: t('catalog.resource.name'),
                    dataIndex: 'resourceName',
                    render: (v: string, r) => (can('project:read') ? <Link to={`/projects/${r.projectId}`}>{v}</Link> : v),
                  },
                  {
                    title: t('catalog.resource.relation'),
                    dataIndex: 'relation',
                    width: 80,
                    render: (v: 'holds' | 'collects') => <Tag color={v === 'holds' ? 'cyan' : 'geekblue'}>{t(`catalog.resourceRelation.${v}`)}</Tag>,
                  },
                ]}
              />
            ) : (
              <List
                size="small"
                dataSource={system.resources}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.detail.resources.empty')} /> }}
                renderItem={(r) => (
                  <List.Item key={`${r.resourceId}:${r.relation}`} extra={<Tag>{t(`catalog.resourceRelation.${r.relation}`)}</Tag>}>
                    <List.Item.Meta title={r.resourceName} description={<span className="mono small break-all">{r.resourceCode}</span>} />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card
            size="small"
            className="detail-card history-card isolation-decisions"
            title={t('catalog.detail.decisions')}
            extra={
              <Tooltip title={t('common.refresh')}>
                <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('common.refresh')} />
              </Tooltip>
            }
          >
            <Typography.Paragraph type="secondary" className="small history-summary">
              {t('catalog.detail.decisions.help')}
            </Typography.Paragraph>
            {decisions.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.detail.decisions.empty')} />
            ) : (
              <Timeline
                className="history-timeline"
                items={decisions.map((decision) => ({
                  key: decision.id,
                  color: decision.decision === 'grant' ? 'green' : 'orange',
                  children: <DecisionItem decision={decision} />,
                }))}
              />
            )}
          </Card>
        </Col>
        <Col span={24}>
          {/* 第十四条–第十七条, 第二十八条: records, findings and the O&M funding eligibility. */}
          <SystemSecuritySection system={system} />
        </Col>
      </Row>
      {canManage && (
        <SystemFormDrawer
          open={editing}
          system={system}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setSystem(saved);
          }}
        />
      )}
      {canDecide && deciding && (
        <IsolationDecisionDrawer
          system={system}
          kind={deciding}
          open
          onClose={() => setDeciding(null)}
          onDone={(result) => {
            setDeciding(null);
            setSystem(result.system);
            setDecisions((items) => [...items, result.decision]);
          }}
          onStale={() => void load()}
        />
      )}
    </PageContainer>
  );
}
