// The public portal at /open (SPEC §11 公开, §9 一公开): no sign-in, its own header and menu, apart
// from the signed-in ProLayout. Projects, systems, resources, spot checks (list, detail, re-draw).
import { Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Alert, Button, Layout, Menu, Spin, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LoginOutlined } from '@ant-design/icons';
import { useT, useLocale } from '../i18n';
import LocaleSwitch from '../components/LocaleSwitch';
import OpenTable from './OpenTable';
import SpotCheckDetail from './SpotCheckDetail';
import type { OpenProject, OpenResource, OpenSpotCheck, OpenSystem } from './api';

function Projects() {
  const t = useT();
  const { tx } = useLocale();
  const columns: ColumnsType<OpenProject> = [
    { title: t('open.project.code'), dataIndex: 'code', fixed: 'left' },
    { title: t('open.project.name'), dataIndex: 'name' },
    { title: t('open.project.unit'), dataIndex: 'constructionUnit' },
    { title: t('open.project.department'), dataIndex: 'approvalDepartment' },
    { title: t('open.project.track'), dataIndex: 'track', render: (v: string, r) => `${tx(`project.track.${v}`, v)} · ${tx(`project.kind.${r.kind}`, r.kind)}` },
    { title: t('open.project.stage'), dataIndex: 'stage', render: (v: string, r) => `${tx(`lifecycle.stage.${v}`, v)} · ${tx(`lifecycle.status.${r.track}.${r.status}`, r.status)}` },
    { title: t('open.project.period'), render: (_, r) => `${r.constructionStart} ~ ${r.constructionEnd}` },
    { title: t('open.project.investment'), dataIndex: 'totalInvestment', align: 'right' },
    { title: t('open.project.om'), dataIndex: 'oAndMFunds', align: 'right' },
    { title: t('open.project.funding'), dataIndex: 'fundingChannel', render: (v: string) => tx(`project.fundingChannel.${v}`, v) },
  ];
  return <OpenTable<OpenProject> resource="projects" columns={columns} />;
}

function Systems() {
  const t = useT();
  const { tx } = useLocale();
  const columns: ColumnsType<OpenSystem> = [
    { title: t('open.system.name'), dataIndex: 'name', fixed: 'left' },
    { title: t('open.system.owner'), dataIndex: 'ownerOrganization' },
    { title: t('open.system.area'), dataIndex: 'businessArea' },
    { title: t('open.system.status'), dataIndex: 'status', render: (v: string) => tx(`catalog.status.${v}`, v) },
    { title: t('open.system.purpose'), dataIndex: 'purpose', width: 360 },
    { title: t('open.system.projects'), dataIndex: 'projects', render: (v: OpenSystem['projects']) => v.map((p) => <div key={p.code}>{p.code} {p.name}</div>) },
  ];
  return <OpenTable<OpenSystem> resource="systems" columns={columns} />;
}

function Resources() {
  const t = useT();
  const { tx } = useLocale();
  const columns: ColumnsType<OpenResource> = [
    { title: t('open.resource.code'), dataIndex: 'code', fixed: 'left' },
    { title: t('open.resource.name'), dataIndex: 'name' },
    { title: t('open.resource.provider'), dataIndex: 'provider' },
    { title: t('open.resource.format'), dataIndex: 'format', render: (v: string) => tx(`resource.format.${v}`, v) },
    { title: t('open.resource.cycle'), dataIndex: 'updateCycle', render: (v: string) => tx(`resource.updateCycle.${v}`, v) },
    { title: t('open.resource.open'), dataIndex: 'openType', render: (v: string, r) => <>{tx(`resource.openType.${v}`, v)}{r.openBasis && <div><Typography.Text type="secondary">{r.openBasis}</Typography.Text></div>}</> },
    { title: t('open.resource.items'), dataIndex: 'dataItems', render: (v: OpenResource['dataItems']) => v.map((d) => d.name).join('、') },
    { title: t('open.resource.project'), dataIndex: 'projectCode' },
  ];
  return <OpenTable<OpenResource> resource="resources" columns={columns} />;
}

export function SpotStatusTag({ status }: { status: OpenSpotCheck['status'] }) {
  const t = useT();
  const color = status === 'concluded' ? 'green' : status === 'drawn' ? 'blue' : 'default';
  return <Tag color={color}>{t(`open.spot.status.${status}`)}</Tag>;
}

function SpotChecks() {
  const t = useT();
  const columns: ColumnsType<OpenSpotCheck> = [
    { title: t('open.spot.title'), dataIndex: 'title', render: (v: string, r) => <Link to={`/open/spot-checks/${r.id}`}>{v}</Link> },
    { title: t('open.spot.organizer'), dataIndex: 'organizationName' },
    { title: t('open.spot.status'), dataIndex: 'status', render: (v: OpenSpotCheck['status']) => <SpotStatusTag status={v} /> },
    { title: t('open.spot.rules'), render: (_, r) => t('open.spot.rulesText', { count: r.rules.targetCount, per: r.rules.inspectorsPerTarget }) },
    { title: t('open.spot.drawnAt'), dataIndex: 'drawnAt', render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—') },
    { title: t('common.actions'), render: (_, r) => <Link to={`/open/spot-checks/${r.id}`}>{t('open.spot.detail')}</Link> },
  ];
  return <OpenTable<OpenSpotCheck> resource="spot-checks" columns={columns} search={false} />;
}

const SECTIONS = [
  { key: 'projects', label: 'open.nav.projects', element: <Projects /> },
  { key: 'systems', label: 'open.nav.systems', element: <Systems /> },
  { key: 'resources', label: 'open.nav.resources', element: <Resources /> },
  { key: 'spot-checks', label: 'open.nav.spotChecks', element: <SpotChecks /> },
] as const;

export default function OpenPortal() {
  const t = useT();
  const location = useLocation();
  const section = location.pathname.split('/')[2] ?? 'projects';
  return (
    <Layout className="open-portal" style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#1351b4', paddingInline: 24 }}>
        <Link to="/open" style={{ color: '#fff', fontSize: 18, fontWeight: 600, whiteSpace: 'nowrap' }}>{t('open.title')}</Link>
        <Menu
          mode="horizontal" theme="dark" selectedKeys={[section]} style={{ flex: 1, minWidth: 0, background: 'transparent' }}
          items={SECTIONS.map((s) => ({ key: s.key, label: <Link to={`/open/${s.key}`}>{t(s.label)}</Link> }))}
        />
        <LocaleSwitch dark />
        <Button type="link" href="/login" icon={<LoginOutlined />} style={{ color: '#fff' }}>{t('open.signIn')}</Button>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Typography.Paragraph type="secondary">{t('open.subtitle')}</Typography.Paragraph>
        <Alert type="info" showIcon message={t('open.notice')} style={{ marginBottom: 16 }} />
        <div style={{ background: '#fff', padding: 24, borderRadius: 4 }}>
          <Suspense fallback={<Spin />}>
            <Routes>
              <Route index element={<Navigate to="projects" replace />} />
              {SECTIONS.map((s) => <Route key={s.key} path={s.key} element={s.element} />)}
              <Route path="spot-checks/:id" element={<SpotCheckDetail />} />
              <Route path="*" element={<Navigate to="projects" replace />} />
            </Routes>
          </Suspense>
        </div>
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center' }}>{t('app.copyright')}</Layout.Footer>
    </Layout>
  );
}
