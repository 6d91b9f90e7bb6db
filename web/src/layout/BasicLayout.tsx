import { useMemo } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ProLayout, type MenuDataItem } from '@ant-design/pro-components';
import { App, Dropdown, Tooltip, Watermark } from 'antd';
import { ApartmentOutlined, BankOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth, useMe } from '../auth/AuthContext';
import { useT } from '../i18n';
import { isGroup, menu } from '../routes';
import LocaleSwitch from '../components/LocaleSwitch';
import NotificationBell from '../components/NotificationBell';
import WorklistMenuLabel from '../pages/worklist/WorklistMenuLabel';
import { useFrameCountPolling } from '../pages/notifications/counts';

function LayoutFrame() {
  const t = useT();
  const me = useMe();
  const { can, logout } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  // The bell's unread count and the 我的待办 badge, polled while signed in.
  useFrameCountPolling();

  // The menu shows an item only with its read permission, and a group only when it has items.
  const route = useMemo(() => {
    const routes: MenuDataItem[] = [];
    for (const entry of menu) {
      if (isGroup(entry)) {
        const children = entry.children
          .filter((child) => !child.permission || can(child.permission))
          .map((child) => ({ path: child.path, name: t(child.title), icon: child.icon }));
        if (children.length > 0) routes.push({ path: entry.path, name: t(entry.title), icon: entry.icon, children });
      } else if (!entry.permission || can(entry.permission)) {
        routes.push({ path: entry.path, name: t(entry.title), icon: entry.icon });
      }
    }
    return { path: '/', routes };
  }, [can, t]);

  const orgNames = me.organizations.map((org) => org.name).join('、');
  const confirmLogout = () => {
    modal.confirm({
      title: t('header.logoutConfirm'),
      okText: t('header.logout'),
      cancelText: t('common.cancel'),
      onOk: () => logout(),
    });
  };

  return (
      <ProLayout
        layout="mix"
        splitMenus={false}
        fixedHeader
        fixSiderbar
        title={t('app.title')}
        logo={<BankOutlined className="app-logo-icon" />}
        location={{ pathname: location.pathname }}
        route={route}
        menu={{ locale: false, defaultOpenAll: true, ignoreFlatMenu: true }}
        siderWidth={220}
        onMenuHeaderClick={() => navigate('/')}
        menuItemRender={(item, dom) =>
          item.path ? <Link to={item.path}>{item.path === '/worklist' ? <WorklistMenuLabel>{dom}</WorklistMenuLabel> : dom}</Link> : dom
        }
        breadcrumbRender={(items) => items}
        token={{
          bgLayout: '#f0f2f5',
          header: {
            colorBgHeader: '#0f3f8c',
            colorHeaderTitle: '#ffffff',
            colorTextRightActionsItem: 'rgba(255,255,255,0.92)',
            colorBgRightActionsItemHover: 'rgba(255,255,255,0.12)',
            colorTextMenu: 'rgba(255,255,255,0.85)',
            heightLayoutHeader: 56,
          },
          sider: {
            colorMenuBackground: '#ffffff',
            colorBgMenuItemSelected: '#e8f0fc',
            colorTextMenuSelected: '#1351b4',
          },
          pageContainer: {
            paddingBlockPageContainerContent: 16,
            paddingInlinePageContainerContent: 24,
          },
        }}
        actionsRender={() => [
          <Tooltip key="org" title={t('header.organization')}>
            <span className="header-org">
              <ApartmentOutlined />
              <span className="header-org-text">{orgNames || t('header.noOrganization')}</span>
            </span>
          </Tooltip>,
          <NotificationBell key="notifications" />,
          <LocaleSwitch key="locale" dark />,
        ]}
        avatarProps={{
          icon: <UserOutlined />,
          size: 'small',
          className: 'header-avatar',
          title: <span className="header-user">{me.displayName}</span>,
          render: (_props, dom) => (
            <Dropdown
              menu={{
                items: [
                  { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), onClick: confirmLogout },
                ],
              }}
            >
              {dom}
            </Dropdown>
          ),
        }}
        footerRender={() => <div className="app-footer">{t('app.copyright')}</div>}
      >
        <Outlet />
      </ProLayout>
  );
}

/**
 * The signed-in frame. The watermark (display name + username) covers every page, and a
 * nested antd App inside it makes modals, drawers and confirm dialogs opened through
 * App.useApp() inherit the watermark too.
 */
export default function BasicLayout() {
  const me = useMe();
  return (
    <Watermark
      content={[me.displayName, me.username]}
      font={{ color: 'rgba(0, 0, 0, 0.09)', fontSize: 14 }}
      gap={[120, 120]}
      className="app-watermark"
    >
      <App component={false}>
        <LayoutFrame />
      </App>
    </Watermark>
  );
}
