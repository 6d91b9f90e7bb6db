// 消息通知: every notification of the signed-in user, newest first, unread or all.
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Badge, Button, Segmented, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import type { AppNotification } from '../../api/types';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { relativeTimeOf } from '../../components/NotificationBell';
import { refreshUnreadCount, setUnreadCount, useFrameCounts } from './counts';
import { notificationPath, notificationSubject, notificationsApi } from './notificationsApi';

type Filter = 'unread' | 'all';

export default function Notifications() {
  const t = useT();
  const { locale, tx } = useLocale();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const { unread } = useFrameCounts();
  const actionRef = useRef<ActionType>(null);
  const [filter, setFilter] = useState<Filter>('unread');
  const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);

  const markRead = async (item: AppNotification) => {
    try {
      await notificationsApi.markRead(item.id);
      void refreshUnreadCount();
      void actionRef.current?.reload();
    } catch (error) {
      showError(error);
    }
  };

  const markAllRead = async () => {
    try {
      await notificationsApi.markAllRead();
      setUnreadCount(0);
      void message.success(t('notification.allRead'));
      void actionRef.current?.reload();
    } catch (error) {
      showError(error);
    }
  };

  const columns: ProColumns<AppNotification>[] = [
    {
      title: t('notification.status'),
      dataIndex: 'readAt',
      width: 80,
      render: (_, item) =>
        item.readAt ? <Badge status="default" text={t('notification.read')} /> : <Badge status="error" text={t('notification.unread')} />,
    },
    {
      title: t('notification.kind'),
      dataIndex: 'kind',
      width: 120,
      render: (_, item) => <Tag>{tx(`notification.kind.${item.kind}`, item.kind)}</Tag>,
    },
    {
      title: t('notification.content'),
      dataIndex: 'title',
      render: (_, item) => (
        <div className={item.readAt ? 'notification-cell' : 'notification-cell notification-cell-unread'}>
          <div>{local(item.title)}</div>
          <Typography.Text type="secondary" className="small">
            {local(item.body)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('notification.project'),
      dataIndex: 'projectName',
      width: 240,
      render: (_, item) => (
        <Link
          to={notificationPath(item)}
          onClick={() => {
            if (!item.readAt) void markRead(item);
          }}
        >
          {notificationSubject(item)}
        </Link>
      ),
    },
    {
      title: t('notification.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (_, item) => (
        <span className="nowrap" title={formatDateTime(item.createdAt)}>
          {formatDateTime(item.createdAt, 'YYYY-MM-DD HH:mm')}
          <Typography.Text type="secondary" className="small">
            {' '}
            ({relativeTimeOf(item.createdAt)})
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 100,
      render: (_, item) =>
        item.readAt
          ? []
          : [
              <Button key="read" type="link" size="small" icon={<CheckOutlined />} onClick={() => void markRead(item)}>
                {t('notification.markRead')}
              </Button>,
            ],
    },
  ];

  return (
    <PageContainer title={t('notification.title')}>
      <ProTable<AppNotification>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        params={{ filter }}
        search={false}
        scroll={{ x: 900 }}
        headerTitle={
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'unread', label: t('notification.filter.unread') },
              { value: 'all', label: t('notification.filter.all') },
            ]}
          />
        }
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        request={async (params) => {
          try {
            const result = await notificationsApi.list({
              unreadOnly: params.filter === 'unread',
              page: params.current ?? 1,
              pageSize: params.pageSize ?? 20,
            });
            setUnreadCount(result.unread);
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Button key="all-read" icon={<CheckOutlined />} disabled={!unread} onClick={() => void markAllRead()}>
            {t('notification.markAllRead')}
          </Button>,
        ]}
      />
    </PageContainer>
  );
}
