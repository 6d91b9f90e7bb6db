import { useRef } from 'react';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { ApiOutlined, ChromeOutlined, DisconnectOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Session } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';

export default function Sessions() {
  const t = useT();
  const can = useCan();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);

  const revoke = async (session: Session) => {
    try {
      await api.sessions.revoke(session.id);
      void message.success(t('session.revoked'));
      actionRef.current?.reload();
    } catch (error) {
      showError(error);
    }
  };

  const columns: ProColumns<Session>[] = [
    {
      title: t('session.user'),
      dataIndex: 'username',
      width: 260,
      render: (_, session) => (
        <Space className="nowrap">
          <Typography.Text strong>{session.displayName}</Typography.Text>
          <Typography.Text type="secondary">{session.username}</Typography.Text>
          {session.current && <Tag color="green">{t('session.current')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('session.kind'),
      dataIndex: 'kind',
      width: 130,
      render: (_, session) =>
        session.kind === 'cookie' ? (
          <Tag icon={<ChromeOutlined />} color="blue">
            {t('session.kind.cookie')}
          </Tag>
        ) : (
          <Tag icon={<ApiOutlined />} color="purple">
            {t('session.kind.bearer')}
          </Tag>
        ),
    },
    {
      title: t('session.clientAddress'),
      dataIndex: 'clientAddress',
      width: 140,
      render: (_, session) => <span className="mono">{session.clientAddress || '—'}</span>,
    },
    {
      title: t('session.userAgent'),
      dataIndex: 'userAgent',
      width: 260,
      ellipsis: true,
      render: (_, session) => (session.userAgent ? <Tooltip title={session.userAgent}>{session.userAgent}</Tooltip> : '—'),
    },
    { title: t('session.createdAt'), dataIndex: 'createdAt', width: 170, render: (_, s) => formatDateTime(s.createdAt) },
    { title: t('session.lastSeenAt'), dataIndex: 'lastSeenAt', width: 170, render: (_, s) => formatDateTime(s.lastSeenAt) },
    { title: t('session.expiresAt'), dataIndex: 'expiresAt', width: 170, render: (_, s) => formatDateTime(s.expiresAt) },
  ];

  if (can('system:session:revoke')) {
    columns.push({
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 120,
      render: (_, session) =>
        session.current ? (
          <Tooltip title={t('session.cannotRevokeCurrent')}>
            <Typography.Text type="secondary">
              <DisconnectOutlined /> {t('session.revoke')}
            </Typography.Text>
          </Tooltip>
        ) : (
          <Popconfirm
            title={t('session.revoke.confirm', { name: session.displayName })}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke(session)}
          >
            <a className="danger-link">
              <DisconnectOutlined /> {t('session.revoke')}
            </a>
          </Popconfirm>
        ),
    });
  }

  return (
    <PageContainer>
      <ProTable<Session>
        rowKey="id"
        actionRef={actionRef}
        headerTitle={t('session.title')}
        columns={columns}
        search={false}
        scroll={{ x: 1450 }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        request={async () => {
          try {
            const { items } = await api.sessions.list();
            return { data: items, total: items.length, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
      />
    </PageContainer>
  );
}
