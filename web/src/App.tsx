import { Suspense, useMemo, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import { enUSIntl, ProConfigProvider, zhCNIntl } from '@ant-design/pro-components';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import { I18nProvider, useLocale } from './i18n';
import { AuthProvider, loginPath, useAuth } from './auth/AuthContext';
import BasicLayout from './layout/BasicLayout';
import LoginPage from './pages/Login';
import OpenPortal from './open/OpenPortal';
import { innerPages, pages } from './routes';
import { Forbidden, NotFound } from './components/Results';
import { ErrorBoundary } from './components/ErrorBoundary';

function FullPageSpin() {
  return (
    <div className="full-page-spin">
      <Spin size="large" />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'anonymous') return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  return <>{children}</>;
}

function RequirePermission({ permission, children }: { permission?: string; children: ReactNode }) {
  const { can } = useAuth();
  if (permission && !can(permission)) return <Forbidden />;
  return <>{children}</>;
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* 公开: the open-data portal, no sign-in, outside the signed-in layout */}
      <Route path="/open/*" element={<ErrorBoundary><Suspense fallback={<FullPageSpin />}><OpenPortal /></Suspense></ErrorBoundary>} />
      <Route
        element={
          <RequireAuth>
            <BasicLayout />
          </RequireAuth>
        }
      >
        {[...pages, ...innerPages].map(({ path, permission, component: Page }) => (
          <Route
            key={path}
            path={path}
            element={
              <RequirePermission permission={permission}>
                <ErrorBoundary key={path}>
                  <Suspense fallback={<FullPageSpin />}>
                    <Page />
                  </Suspense>
                </ErrorBoundary>
              </RequirePermission>
            }
          />
        ))}
        <Route path="/project-management" element={<Navigate to="/projects" replace />} />
        <Route path="/catalog" element={<Navigate to="/catalog/systems" replace />} />
        <Route path="/system" element={<Navigate to="/" replace />} />
        <Route path="/audit" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Providers({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  const antdLocale = locale === 'zh-CN' ? zhCN : enUS;
  const themeConfig = useMemo(
    () => ({
      algorithm: theme.defaultAlgorithm,
      token: {
        colorPrimary: '#1351b4',
        colorInfo: '#1351b4',
        borderRadius: 4,
        fontFamily:
          "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif",
      },
    }),
    [],
  );
  return (
    <ConfigProvider locale={antdLocale} theme={themeConfig}>
      {/* pro-components keep their own texts (search form, table toolbar): follow the locale too */}
      <ProConfigProvider intl={locale === 'zh-CN' ? zhCNIntl : enUSIntl} hashed>
        <AntApp>{children}</AntApp>
      </ProConfigProvider>
    </ConfigProvider>
  );
}

export function AppRoot() {
  return (
    <I18nProvider>
      <Providers>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </Providers>
    </I18nProvider>
  );
}
