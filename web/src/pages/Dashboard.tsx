import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { Avatar, Badge, Card, Col, Descriptions, Empty, Row, Space, Spin, Tag, Typography } from 'antd';
import { SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Health } from '../api/types';
import { useAuth, useMe } from '../auth/AuthContext';
import { useLocale, useT } from '../i18n';
import { pages } from '../routes';
import { shanghaiToday } from '../utils/format';

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

export default function Dashboard() {
  const t = useT();
  const { tx } = useLocale();
  const me = useMe();
  const { can } = useAuth();
  const now = shanghaiToday();
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
