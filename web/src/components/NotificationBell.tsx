// The bell in the header: the unread count, and on click the latest notifications. Opening
// one marks it read and goes to its project, or to its framework plan (第十条); 全部已读 marks
// them all. A phone gets a full-width drawer instead of the popover, which would not fit beside
// the header's other items.
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Drawer, Empty, Grid, List, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useApiFeedback } from '../api/feedback';
import type { AppNotification } from '../api/types';
import { useLocale, useT } from '../i18n';
import { formatDateTime } from '../utils/format';
import { notificationPath, notificationSubject, notificationsApi } from '../pages/notifications/notificationsApi';
import { refreshUnreadCount, setUnreadCount, useFrameCounts } from '../pages/notifications/counts';

dayjs.extend(relativeTime);

const RECENT = 8;

/** "3 分钟前", in the interface language (dayjs follows the locale the i18n module sets). */
export function relativeTimeOf(iso: string): string {
  return dayjs(iso).fromNow();
}

export default function NotificationBell() {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { showError } = useApiFeedback();
  const { unread } = useFrameCounts();
  const screens = Grid.useBreakpoint();
  const phone = screens.sm === false;
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<AppNotification[]>([]);
  const [loading, setLoading] = useState(false);
  const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const page = await notificationsApi.list({ unreadOnly: false, page: 1, pageSize: RECENT });
      setItems(page.items);
      setUnreadCount(page.unread);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [showError]);

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) void load();
  };

  const openItem = async (item: AppNotification) => {
    setOpen(false);
    if (!item.readAt) {
      try {
        await notificationsApi.markRead(item.id);
      } catch (error) {
        showError(error);
      }
      void refreshUnreadCount();
    }
    navigate(notificationPath(item));
  };

  const markAllRead = async () => {
    try {
      await notificationsApi.markAllRead();
      const now = new Date().toISOString();
      setItems((current) => current.map((item) => (item.readAt ? item : { ...item, readAt: now })));
      setUnreadCount(0);
    } catch (error) {
      showError(error);
    }
  };

  const markAllButton = (
    <Button type="link" size="small" disabled={!unread} onClick={() => void markAllRead()}>
      {t('notification.markAllRead')}
    </Button>
  );

  const list = (
    <Spin spinning={loading}>
      <List<AppNotification>
        className="notification-list"
        dataSource={items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notification.empty')} /> }}
        renderItem={(item) => (
          <List.Item
            className={item.readAt ? 'notification-item' : 'notification-item notification-item-unread'}
            onClick={() => void openItem(item)}
            role="link"
            tabIndex={0}
            onKeyDown={(event) => {
              if (event.key === 'Enter') void openItem(item);
            }}
          >
            <div className="notification-item-body">
              <div className="notification-item-title">
                {!item.readAt && <Badge status="error" className="notification-dot" />}
                {local(item.title)}
              </div>
              <Typography.Text type="secondary" className="small notification-item-project">
                {notificationSubject(item)}
              </Typography.Text>
              <Typography.Text type="secondary" className="small" title={formatDateTime(item.createdAt)}>
                {relativeTimeOf(item.createdAt)}
              </Typography.Text>
            </div>
          </List.Item>
        )}
      />
    </Spin>
  );

  const foot = (
    <div className="notification-panel-foot">
      <Button
        type="link"
        size="small"
        onClick={() => {
          setOpen(false);
          navigate('/notifications');
        }}
      >
        {t('notification.viewAll')}
      </Button>
    </div>
  );

  const bell = (
    <span
      className="header-bell"
      role="button"
      tabIndex={0}
      aria-label={t('notification.bell', { count: unread ?? 0 })}
      onClick={phone ? () => onOpenChange(!open) : undefined}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onOpenChange(!open);
      }}
    >
      <Badge count={unread ?? 0} size="small" overflowCount={99} offset={[2, -2]}>
        <BellOutlined className="header-bell-icon" />
      </Badge>
    </span>
  );

  if (phone) {
    return (
      <>
        {bell}
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="right"
          width="100%"
          title={t('notification.title')}
          extra={markAllButton}
          className="notification-drawer"
          styles={{ body: { padding: 0 } }}
        >
          {list}
          {foot}
        </Drawer>
      </>
    );
  }

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={onOpenChange}
      content={
        <div className="notification-panel">
          <div className="notification-panel-head">
            <strong>{t('notification.title')}</strong>
            {markAllButton}
          </div>
          {list}
          {foot}
        </div>
      }
      arrow={false}
      classNames={{ root: 'notification-popover' }}
      destroyOnHidden
    >
      {bell}
    </Popover>
  );
}
