import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { Avatar, Badge, Card, Col, Descriptions, Empty, List, Row, Space, Spin, Statistic, Tag, Typography } from 'antd';
import { CarryOutOutlined, RightOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import { useApiFeedback } from '../api/feedback';
import type { Health, WorkItem } from '../api/types';
import { useAuth, useMe } from '../auth/AuthContext';
import { useLocale, useT } from '../i18n';
import { pages } from '../routes';
import { shanghaiToday } from '../utils/format';
import { setWorklistCount } from './notifications/counts';
import { worklistApi } from './worklist/worklistApi';
import { compareDue, DaysLeft, StateTag } from './worklist/worklistUi';

/** 三员 (系统管理员, 安全管理员, 安全审计员): they hold no project work, so no 我的待办 card. */
const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin', 'security_admin', 'audit_admin']);

/** How many of the soonest-due items the card lists. */
const SOONEST = 5;

function greetingKey(hour: number) {
  if (hour < 5) return 'dashboard.greeting.evening' as const;
  if (hour < 12) return 'dashboard.greeting.morning' as const;
  if (hour < 18) return 'dashboard.greeting.afternoon' as const;
  return 'dashboard.greeting.evening' as const;
}

function HealthCard() {
  const t = useT();
  const [health, setHealth] = useState<Health | null>(null);
  const [failed, setFailed] = useState(false);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let alive = true;
    api
      .health()
      .then((result) => alive && setHealth(result))
      .catch(() => alive && setFailed(true))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, []);

  const ok = health && ['ok', 'healthy', 'up', 'pass'].includes(health.status.toLowerCase());
  return (
    <Card title={t('dashboard.health')} className="dashboard-card">
      <Spin spinning={loading}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('dashboard.health.status')}>
            {failed ? (
              <Badge status="error" text={t('dashboard.health.unreachable')} />
            ) : health ? (
              <Badge status={ok ? 'success' : 'warning'} text={ok ? t('dashboard.health.ok') : `${t('dashboard.health.degraded')} (${health.status})`} />
            ) : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('dashboard.health.database')}>
            {health ? (health.database === 'pglite' ? t('dashboard.health.pglite') : t('dashboard.health.postgresql')) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('dashboard.health.version')}>{health?.version ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Spin>
    </Card>
  );
}

/**
 * 我的待办 at the top of a business user's home page (第七条): how many items wait, how many are
 * overdue, and the soonest due with their days left, coloured as on the worklist page.
 */
function WorklistCard() {
  const t = useT();
  const { showError } = useApiFeedback();
  const [items, setItems] = useState<WorkItem[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    worklistApi
      .list({ signal: controller.signal })
      .then((result) => {
        setItems(result.items);
        setWorklistCount(result.items.length);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        showError(error);
        setItems([]);
      });
    return () => controller.abort();
  }, [showError]);

  const all = items ?? [];
  const overdue = all.filter((item) => item.overdue).length;
  const soonest = [...all].sort(compareDue).slice(0, SOONEST);

  return (
    <Card
      className="dashboard-card dashboard-worklist"
      title={
        <span className="dashboard-worklist-title">
          <CarryOutOutlined /> {t('dashboard.worklist.title')}
        </span>
      }
      extra={
        <Link to="/worklist" className="dashboard-worklist-all">
          {t('dashboard.worklist.viewAll')} <RightOutlined />
        </Link>
      }
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} md={6} className="dashboard-worklist-stats">
          <Statistic
            title={t('dashboard.worklist.total')}
            value={items === null ? '—' : all.length}
            suffix={items === null ? undefined : t('dashboard.worklist.unit')}
            className="dashboard-worklist-total"
          />
          <Statistic
            title={t('dashboard.worklist.overdue')}
            value={items === null ? '—' : overdue}
            suffix={items === null ? undefined : t('dashboard.worklist.unit')}
            valueStyle={overdue > 0 ? { color: '#cf1322' } : undefined}
            className="dashboard-worklist-overdue"
          />
        </Col>
        <Col xs={24} md={18} className="dashboard-worklist-list">
          <Typography.Text type="secondary" className="small dashboard-worklist-caption">
            {all.length > SOONEST ? t('dashboard.worklist.showing', { count: all.length, shown: SOONEST }) : t('dashboard.worklist.soonest')}
          </Typography.Text>
          <List<WorkItem>
            size="small"
            loading={items === null}
            dataSource={soonest}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('worklist.empty')} /> }}
            renderItem={(item) => (
              <List.Item
                key={`${item.projectId}:${item.role}`}
                className={item.overdue ? 'dashboard-worklist-item dashboard-worklist-item-overdue' : 'dashboard-worklist-item'}
              >
                <div className="dashboard-worklist-main">
                  <Link to={`/projects/${item.projectId}`} className="project-name-link dashboard-worklist-name">
                    {item.projectName}
                  </Link>
                  <StateTag item={item} />
                </div>
                <div className="dashboard-worklist-due">
                  <Typography.Text type="secondary" className="small nowrap">
                    {t('dashboard.worklist.dueDate')} <span className="dashboard-worklist-date">{item.dueDate ?? '—'}</span>
                  </Typography.Text>
                  <DaysLeft item={item} />
                </div>
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}

export default function Dashboard() {
  const t = useT();
  const { tx } = useLocale();
  const me = useMe();
  const { can } = useAuth();
  const now = shanghaiToday();
  // Business users (any role but the 三员) have project work waiting for them.
  const business = me.roles.some((role) => !ADMIN_ROLES.has(role.code));
  const shortcuts = pages.filter((page) => page.path !== '/' && (!page.permission || can(page.permission)));
  const permissionGroups = new Map<string, string[]>();
  for (const code of [...me.permissions].sort()) {
    const group = code.split(':')[0] ?? code;
    permissionGroups.set(group, [...(permissionGroups.get(group) ?? []), code]);
  }

  return (
    <PageContainer title={false}>
      <Card className="dashboard-welcome">
        <div className="dashboard-welcome-inner">
          <Avatar size={64} icon={<UserOutlined />} className="dashboard-avatar" />
          <div className="dashboard-welcome-text">
            <Typography.Title level={4} className="dashboard-welcome-title">
              {t('dashboard.welcome', { greeting: t(greetingKey(now.hour())), name: me.displayName })}
            </Typography.Title>
            <Typography.Text type="secondary">{t('dashboard.today', { date: now.format('LL dddd') })}</Typography.Text>
          </div>
        </div>
      </Card>

      {business && (
        <div className="dashboard-row">
          <WorklistCard />
        </div>
      )}

      <Row gutter={[16, 16]} className="dashboard-row">
        <Col xs={24} lg={16}>
          <Space direction="vertical" size={16} className="full-width">
            <Card title={t('dashboard.profile')} className="dashboard-card">
              <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} bordered size="middle">
                <Descriptions.Item label={t('dashboard.displayName')}>{me.displayName}</Descriptions.Item>
                <Descriptions.Item label={t('dashboard.username')}>{me.username}</Descriptions.Item>
                <Descriptions.Item label={t('dashboard.organizations')} span={2}>
                  {me.organizations.length > 0
                    ? me.organizations.map((org) => (
                        <Tag key={org.id} color="blue">
                          {org.name}
                        </Tag>
                      ))
                    : t('common.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('dashboard.roles')} span={2}>
                  {me.roles.length > 0
                    ? me.roles.map((role) => (
                        <Tag key={role.code} color="geekblue">
                          {role.name}
                        </Tag>
                      ))
                    : t('common.none')}
                </Descriptions.Item>
              </Descriptions>
            </Card>

            <Card
              title={t('dashboard.permissions')}
              extra={<Typography.Text type="secondary">{t('dashboard.permissionsCount', { count: me.permissions.length })}</Typography.Text>}
              className="dashboard-card"
            >
              {me.permissions.length === 0 ? (
                <Empty description={t('dashboard.noPermissions')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <div className="permission-groups">
                  {[...permissionGroups.entries()].map(([group, codes]) => (
                    <div key={group} className="permission-group">
                      {codes.map((code) => (
                        <Tag key={code} icon={<SafetyOutlined />} className="permission-tag">
                          {tx(`perm.${code}`, code)}
                          <span className="permission-code">{code}</span>
                        </Tag>
                      ))}
                    </div>
                  ))}
                </div>
              )}
            </Card>
          </Space>
        </Col>

        <Col xs={24} lg={8}>
          <Space direction="vertical" size={16} className="full-width">
            <HealthCard />
            <Card title={t('dashboard.shortcuts')} className="dashboard-card">
              {shortcuts.length === 0 ? (
                <Empty description={t('dashboard.noShortcuts')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <div className="shortcut-grid">
                  {shortcuts.map((page) => (
                    <Link key={page.path} to={page.path} className="shortcut">
                      <span className="shortcut-icon">{page.icon}</span>
                      <span className="shortcut-label">{t(page.title)}</span>
                    </Link>
                  ))}
                </div>
              )}
            </Card>
            <Card title={t('dashboard.notice')} className="dashboard-card">
              <Typography.Paragraph type="secondary" className="dashboard-notice">
                {t('dashboard.notice.text')}
              </Typography.Paragraph>
            </Card>
          </Space>
        </Col>
      </Row>
    </PageContainer>
  );
}
