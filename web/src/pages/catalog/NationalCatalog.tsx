// 国家政务信息系统总目录 (第十二条: 管理平台汇总并形成国家政务信息系统总目录): the departments' lists
// aggregated — a tree by organization that drills down level by level (summary?parentId), a table
// by province (行政区划代码), each with counts by status, network, protection and the 第二十八条
// flag — and every department's confirmation of its list (last confirmed, changed since, overdue
// in red). Each view exports to Excel; the counts link to the systems they count. A department
// user confirms their own list here (确认本单位目录).
import { useCallback, useEffect, useMemo, useRef, useState, type Key, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Card, Empty, Grid, Space, Spin, Statistic, Table, Tabs, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, HistoryOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import { useCan, useMe } from '../../auth/AuthContext';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { catalogApi, type CatalogCounts, type DepartmentStatus, type OrganizationSummary, type ProvinceSummary } from './catalogApi';
import { useLocalized } from './catalogUi';
import { ChangedTag, ConfirmationHistory, ConfirmationTag, OwnDepartmentCard, useConfirmCatalog } from './DepartmentConfirm';

/** A row of the organization tree: an organization (its subtree's counts) or a parent's 本级. */
interface TreeRow {
  key: string;
  organizationId: string;
  name: string;
  counts: CatalogCounts;
  /** The systems the parent owns itself. */
  own?: boolean;
  hasChildren?: boolean;
  /** Not loaded yet: one placeholder row, replaced when the row is expanded. */
  placeholder?: boolean;
  children?: TreeRow[];
}

type CountKey = keyof CatalogCounts;

/** The count columns, grouped as the export groups them. */
const COUNT_GROUPS: Array<{ title: MessageKey; keys: Array<{ key: CountKey; title: MessageKey; query?: Record<string, string> }> }> = [
  {
    title: 'catalog.count.group.status',
    keys: [
      { key: 'underConstruction', title: 'catalog.count.underConstruction', query: { status: 'under_construction' } },
      { key: 'operating', title: 'catalog.count.operating', query: { status: 'operating' } },
      { key: 'retired', title: 'catalog.count.retired', query: { status: 'retired' } },
    ],
  },
  {
    title: 'catalog.count.group.network',
    keys: [
      { key: 'extranet', title: 'catalog.count.extranet', query: { networkType: 'extranet' } },
      { key: 'intranet', title: 'catalog.count.intranet', query: { networkType: 'intranet' } },
      { key: 'internet', title: 'catalog.count.internet', query: { networkType: 'internet' } },
      { key: 'isolated', title: 'catalog.count.isolated', query: { networkType: 'isolated' } },
    ],
  },
  {
    title: 'catalog.count.group.protection',
    keys: [
      { key: 'classified', title: 'catalog.count.classified', query: { protection: 'classified' } },
      { key: 'mlpsLevel1', title: 'catalog.count.level1', query: { protection: 'mlps:1' } },
      { key: 'mlpsLevel2', title: 'catalog.count.level2', query: { protection: 'mlps:2' } },
      { key: 'mlpsLevel3', title: 'catalog.count.level3', query: { protection: 'mlps:3' } },
      { key: 'mlpsLevel4', title: 'catalog.count.level4', query: { protection: 'mlps:4' } },
      { key: 'mlpsLevel5', title: 'catalog.count.level5', query: { protection: 'mlps:5' } },
    ],
  },
];

/**
 * The width of a narrow count column: two Chinese characters, or a short English word. The
 * English headers are longer, so there the table may scroll within its card.
 */
function useCountUnit(): number {
  const { locale } = useLocale();
  return locale === 'zh-CN' ? 48 : 76;
}

/** The width of the count columns together (systems, the 13 grouped ones, the flag). */
function tableWidth(unit: number): number {
  return unit + 24 + 11 * unit + (unit + 12) + (unit + 24) + (unit + 44);
}

function listLink(base: Record<string, string>, extra?: Record<string, string>): string {
  return `/catalog/systems?${new URLSearchParams({ ...base, ...extra }).toString()}`;
}

/** A count that opens the systems it counts; zero stays plain. */
function CountLink({ value, to, flagged }: { value: number; to: string | null; flagged?: boolean }) {
  if (value === 0 || to === null) return <span className="count-zero">{value}</span>;
  return (
    <Link to={to} className={flagged ? 'count-link count-flagged' : 'count-link'}>
      {value}
    </Link>
  );
}

/** Count columns for a table of rows with counts; `linkOf` gives each row's list filter (null: no link). */
function countColumns<T extends { counts: CatalogCounts }>(
  t: (key: MessageKey) => string,
  linkOf: (row: T) => Record<string, string> | null,
  compact: boolean,
  unit: number,
): TableColumnsType<T> {
  const cell = (key: CountKey, query?: Record<string, string>, flagged?: boolean) => (_: unknown, row: T) => {
    const base = linkOf(row);
    return <CountLink value={row.counts[key]} to={base ? listLink(base, query) : null} flagged={flagged} />;
  };
  const systems = { title: t('catalog.count.systems'), key: 'systems', width: unit + 24, align: 'right' as const, render: cell('systems') };
  const flagged = {
    title: (
      <Tooltip title={t('catalog.flag.isolated.help')}>
        <span className="count-flag-title">{t('catalog.count.isolatedWithoutException')}</span>
      </Tooltip>
    ),
    key: 'isolatedWithoutException',
    width: compact ? 84 : unit + 44,
    align: 'right' as const,
    className: 'count-flag-column',
    render: cell('isolatedWithoutException', { isolatedWithoutException: 'true' }, true),
  };
  if (compact) return [systems, flagged];
  return [
    systems,
    ...COUNT_GROUPS.map((group) => ({
      title: t(group.title),
      key: group.title,
      children: group.keys.map((c) => ({ title: t(c.title), key: c.key, width: c.key === 'classified' ? unit + 24 : c.key === 'internet' ? unit + 12 : unit, align: 'right' as const, render: cell(c.key, c.query) })),
    })),
    flagged,
  ];
}

function Totals({ counts, loading }: { counts: CatalogCounts | null; loading: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const items: Array<{ key: CountKey; title: MessageKey; to?: string; danger?: boolean }> = [
    { key: 'systems', title: 'catalog.count.systems.total', to: '/catalog/systems' },
    { key: 'operating', title: 'catalog.status.operating', to: listLink({ status: 'operating' }) },
    { key: 'underConstruction', title: 'catalog.status.under_construction', to: listLink({ status: 'under_construction' }) },
    { key: 'retired', title: 'catalog.status.retired', to: listLink({ status: 'retired' }) },
    { key: 'isolated', title: 'catalog.network.isolated', to: listLink({ networkType: 'isolated' }) },
    { key: 'isolatedWithoutException', title: 'catalog.flag.isolated', to: listLink({ isolatedWithoutException: 'true' }), danger: true },
    { key: 'classified', title: 'catalog.count.classified', to: listLink({ protection: 'classified' }) },
  ];
  return (
    <div className="catalog-totals">
      {items.map((item) => (
        <Card
          key={item.key}
          size="small"
          hoverable={Boolean(item.to)}
          onClick={() => item.to && navigate(item.to)}
          className={item.danger && (counts?.[item.key] ?? 0) > 0 ? 'catalog-total catalog-total-danger' : 'catalog-total'}
          data-count={item.key}
        >
          <Statistic title={t(item.title)} value={counts?.[item.key] ?? 0} loading={loading && !counts} />
        </Card>
      ))}
    </div>
  );
}

function ExportButton({ onExport, label }: { onExport: () => Promise<void>; label?: ReactNode }) {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<DownloadOutlined />}
      loading={busy}
      className="catalog-export"
      onClick={async () => {
        setBusy(true);
        try {
          await onExport();
          void message.success(t('common.exported'));
        } catch (error) {
          showError(error);
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? t('common.exporting') : (label ?? t('common.export'))}
    </Button>
  );
}

const placeholderOf = (parent: string): TreeRow[] => [
  { key: `${parent}:loading`, organizationId: parent, name: '', counts: {} as CatalogCounts, placeholder: true },
];

function rowsOf(items: OrganizationSummary[]): TreeRow[] {
  return items.map((i) => ({
    key: i.organizationId,
    organizationId: i.organizationId,
    name: i.name,
    counts: i.counts,
    hasChildren: i.hasChildren,
    children: i.hasChildren ? placeholderOf(i.organizationId) : undefined,
  }));
}

/** Replaces the children of the row `id` anywhere in the tree. */
function withChildren(rows: TreeRow[], id: string, children: TreeRow[]): TreeRow[] {
  return rows.map((row) =>
    row.key === id ? { ...row, children } : row.children ? { ...row, children: withChildren(row.children, id, children) } : row,
  );
}

/** 按部门: the organization tree, one level at a time. */
function OrganizationTree({ compact }: { compact: boolean }) {
  const t = useT();
  const unit = useCountUnit();
  const { showError } = useApiFeedback();
  const [rows, setRows] = useState<TreeRow[] | null>(null);
  const [total, setTotal] = useState<CatalogCounts | null>(null);
  const [expanded, setExpanded] = useState<readonly Key[]>([]);

  useEffect(() => {
    let alive = true;
    catalogApi.national
      .summary()
      .then((summary) => {
        if (!alive) return;
        setRows(rowsOf(summary.items));
        setTotal(summary.total);
      })
      .catch((error: unknown) => {
        showError(error);
        if (alive) setRows([]);
      });
    return () => {
      alive = false;
    };
  }, [showError]);

  const expand = async (open: boolean, row: TreeRow) => {
    setExpanded((keys) => (open ? [...keys, row.key] : keys.filter((k) => k !== row.key)));
    if (!open || !row.children?.[0]?.placeholder) return;
    try {
      const summary = await catalogApi.national.summary(row.organizationId);
      const own: TreeRow[] =
        summary.own && summary.own.systems > 0
          ? [{ key: `${row.organizationId}:own`, organizationId: row.organizationId, name: t('catalog.national.own', { name: row.name }), counts: summary.own, own: true }]
          : [];
      setRows((current) => withChildren(current ?? [], row.key, [...own, ...rowsOf(summary.items)]));
    } catch (error) {
      showError(error);
      setExpanded((keys) => keys.filter((k) => k !== row.key));
    }
  };

  const columns: TableColumnsType<TreeRow> = [
    {
      title: t('catalog.national.organization'),
      key: 'name',
      fixed: compact ? undefined : 'left',
      width: compact ? undefined : 260,
      render: (_, row) =>
        row.placeholder ? (
          <Spin size="small" />
        ) : (
          <span className={row.own ? 'tree-own' : 'tree-org'}>
            {row.name}
            {row.hasChildren && !compact && (
              <Tooltip title={t('catalog.national.exportLevel')}>
                <span className="tree-export" onClick={(event) => event.stopPropagation()}>
                  <ExportLevel parentId={row.organizationId} />
                </span>
              </Tooltip>
            )}
          </span>
        ),
    },
    ...countColumns<TreeRow>(t, (row): Record<string, string> | null => (row.placeholder ? null : row.own ? { ownerOrganizationId: row.organizationId } : { organizationId: row.organizationId, organizationName: row.name }), compact, unit),
  ];
  return (
    <Card
      size="small"
      className="catalog-tree-card"
      title={t('catalog.national.tree.title')}
      extra={<ExportButton onExport={() => catalogApi.national.exportSummary()} />}
    >
      <Typography.Paragraph type="secondary" className="small">
        {t('catalog.national.tree.help')}
      </Typography.Paragraph>
      <Table<TreeRow>
        size="small"
        bordered
        rowKey="key"
        className="catalog-tree-table"
        loading={rows === null}
        dataSource={rows ?? []}
        columns={columns}
        pagination={false}
        scroll={compact ? undefined : { x: 260 + tableWidth(unit) }}
        expandable={{ expandedRowKeys: expanded, onExpand: (open, row) => void expand(open, row), indentSize: 16 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.list.empty')} /> }}
        summary={() =>
          total && rows && rows.length > 0 ? (
            <Table.Summary fixed={compact ? undefined : 'bottom'}>
              <Table.Summary.Row className="catalog-total-row">
                <Table.Summary.Cell index={0}>{t('catalog.national.totalRow')}</Table.Summary.Cell>
                {(compact ? (['systems', 'isolatedWithoutException'] as CountKey[]) : ALL_COUNT_KEYS).map((key, index) => (
                  <Table.Summary.Cell key={key} index={index + 1} align="right" className={key === 'isolatedWithoutException' ? 'count-flag-column' : undefined}>
                    {total[key]}
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Card>
  );
}

/** The count keys in column order (systems, the groups, the flag). */
const ALL_COUNT_KEYS: CountKey[] = ['systems', ...COUNT_GROUPS.flatMap((g) => g.keys.map((k) => k.key)), 'isolatedWithoutException'];

function ExportLevel({ parentId }: { parentId: string }) {
  const { showError } = useApiFeedback();
  const [busy, setBusy] = useState(false);
  return busy ? (
    <Spin size="small" />
  ) : (
    <DownloadOutlined
      className="tree-export-icon"
      onClick={async () => {
        setBusy(true);
        try {
          await catalogApi.national.exportSummary(parentId);
        } catch (error) {
          showError(error);
        } finally {
          setBusy(false);
        }
      }}
    />
  );
}

/** 按省份: the catalog by the first two digits of the owner's 行政区划代码. */
function ProvinceTable({ compact, data }: { compact: boolean; data: { items: ProvinceSummary[]; total: CatalogCounts } | null }) {
  const t = useT();
  const unit = useCountUnit();
  const local = useLocalized();
  const columns: TableColumnsType<ProvinceSummary> = [
    {
      title: t('catalog.national.province'),
      key: 'province',
      fixed: compact ? undefined : 'left',
      width: compact ? undefined : 180,
      render: (_, row) => (
        <span className="province-name">
          {local(row.name)}
          <Typography.Text type="secondary" className="mono small">
            {' '}
            {row.province}
          </Typography.Text>
        </span>
      ),
    },
    ...countColumns<ProvinceSummary>(t, (row) => ({ province: row.province }), compact, unit),
  ];
  return (
    <Card
      size="small"
      className="catalog-province-card"
      title={t('catalog.national.provinces.title')}
      extra={<ExportButton onExport={() => catalogApi.national.exportProvinces()} />}
    >
      <Table<ProvinceSummary>
        size="small"
        bordered
        rowKey="province"
        className="catalog-province-table"
        loading={data === null}
        dataSource={data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={compact ? undefined : { x: 180 + tableWidth(unit) }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.list.empty')} /> }}
        summary={() =>
          data && data.items.length > 0 ? (
            <Table.Summary>
              <Table.Summary.Row className="catalog-total-row">
                <Table.Summary.Cell index={0}>{t('catalog.national.totalRow')}</Table.Summary.Cell>
                {(compact ? (['systems', 'isolatedWithoutException'] as CountKey[]) : ALL_COUNT_KEYS).map((key, index) => (
                  <Table.Summary.Cell key={key} index={index + 1} align="right" className={key === 'isolatedWithoutException' ? 'count-flag-column' : undefined}>
                    {data.total[key]}
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Card>
  );
}

interface DepartmentSearch {
  q?: string;
  stale?: 'true' | 'false';
}

/** 目录确认情况: every department's last confirmation; the overdue in red. */
function DepartmentTable({ compact, canConfirm, refreshKey, onConfirmed }: { compact: boolean; canConfirm: boolean; refreshKey: number; onConfirmed: () => void }) {
  const t = useT();
  const local = useLocalized();
  const { showError } = useApiFeedback();
  const confirm = useConfirmCatalog();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(null);
  const lastQuery = useRef<{ q?: string; stale?: 'true' | 'false' }>({});
  const [history, setHistory] = useState<DepartmentStatus | null>(null);

  useEffect(() => {
    actionRef.current?.reload();
  }, [refreshKey]);

  const columns: ProColumns<DepartmentStatus>[] = [
    { title: t('catalog.dept.search'), dataIndex: 'q', hideInTable: true },
    {
      title: t('catalog.dept.filter.stale'),
      dataIndex: 'stale',
      hideInTable: true,
      valueType: 'select',
      fieldProps: {
        options: [
          { value: 'true', label: t('catalog.dept.filter.stale.true') },
          { value: 'false', label: t('catalog.dept.filter.stale.false') },
        ],
      },
    },
    {
      title: t('catalog.national.organization'),
      dataIndex: 'name',
      search: false,
      width: compact ? undefined : 220,
      render: (_, d) => (
        <div>
          <Link to={`/catalog/systems?ownerOrganizationId=${d.organizationId}`} className="department-name">
            {d.name}
          </Link>
          {compact && (
            <div className="department-compact">
              <ConfirmationTag department={d} />
              <ChangedTag department={d} />
              <Typography.Text type="secondary" className="small">
                {d.lastConfirmation ? formatDateTime(d.lastConfirmation.at, 'YYYY-MM-DD') : ''}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: t('catalog.national.province'), dataIndex: ['province', 'code'], search: false, width: 90, hideInTable: compact, render: (_, d) => local(d.province.name) },
    { title: t('catalog.dept.systemCount'), dataIndex: 'systemCount', search: false, width: 72, align: 'right' },
    {
      title: t('catalog.count.isolatedWithoutException'),
      dataIndex: 'isolatedWithoutException',
      search: false,
      width: 88,
      align: 'right',
      hideInTable: compact,
      render: (_, d) => (
        <CountLink value={d.isolatedWithoutException} to={listLink({ ownerOrganizationId: d.organizationId, isolatedWithoutException: 'true' })} flagged />
      ),
    },
    {
      title: t('catalog.dept.lastConfirmed'),
      dataIndex: 'lastConfirmation',
      search: false,
      width: 170,
      hideInTable: compact,
      render: (_, d) =>
        d.lastConfirmation ? (
          <span>
            {formatDateTime(d.lastConfirmation.at, 'YYYY-MM-DD HH:mm')}
            <Typography.Text type="secondary" className="small">
              {' '}
              {d.lastConfirmation.byName}
            </Typography.Text>
          </span>
        ) : (
          <Typography.Text type="danger">{t('catalog.dept.never')}</Typography.Text>
        ),
    },
    { title: t('catalog.dept.changedColumn'), dataIndex: 'changedSinceConfirmation', search: false, width: 100, hideInTable: compact, render: (_, d) => <ChangedTag department={d} /> },
    {
      title: t('catalog.dept.dueOn'),
      dataIndex: 'dueOn',
      search: false,
      width: 100,
      hideInTable: compact,
      render: (_, d) => <span className={d.stale ? 'due-stale' : undefined}>{d.dueOn ?? '—'}</span>,
    },
    { title: t('catalog.dept.state'), dataIndex: 'stale', search: false, width: 96, hideInTable: compact, render: (_, d) => <ConfirmationTag department={d} /> },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: compact ? 72 : canConfirm ? 180 : 100,
      fixed: compact ? undefined : 'right',
      render: (_, d) => [
        <a key="history" onClick={() => setHistory(d)} className="department-history">
          <HistoryOutlined /> {compact ? '' : t('catalog.dept.history')}
        </a>,
        ...(canConfirm
          ? [
              <a
                key="confirm"
                className="department-confirm"
                onClick={() =>
                  confirm(d, (_status, stale) => {
                    if (stale) void message.warning(t('catalog.confirm.stale'));
                    actionRef.current?.reload();
                    if (!stale) onConfirmed();
                  })
                }
              >
                <CheckCircleOutlined /> {compact ? '' : t('catalog.confirm.short')}
              </a>,
            ]
          : []),
      ],
    },
  ];

  return (
    <>
      <ProTable<DepartmentStatus, DepartmentSearch>
        rowKey="organizationId"
        actionRef={actionRef}
        columns={columns}
        className="catalog-department-table"
        headerTitle={compact ? undefined : t('catalog.national.departments.title')}
        search={{ labelWidth: 'auto', defaultCollapsed: false, span: compact ? 24 : 8 }}
        options={compact ? false : { reload: true, density: false, setting: false }}
        scroll={compact ? undefined : { x: 1108 }}
        rowClassName={(d) => (d.stale ? 'department-row-stale' : '')}
        pagination={{ defaultPageSize: 20, showSizeChanger: !compact, showTotal: (total) => t('common.total', { total }) }}
        request={async (search) => {
          const query = { q: search.q?.trim() || undefined, stale: search.stale || undefined };
          lastQuery.current = query;
          try {
            const result = await catalogApi.national.departments({ ...query, page: search.current ?? 1, pageSize: search.pageSize ?? 20 });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [<ExportButton key="export" onExport={() => catalogApi.national.exportDepartments(lastQuery.current)} />]}
      />
      <ConfirmationHistory department={history} onClose={() => setHistory(null)} />
    </>
  );
}

export default function NationalCatalog() {
  const t = useT();
  const me = useMe();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const { showError } = useApiFeedback();
  const [provinces, setProvinces] = useState<{ items: ProvinceSummary[]; total: CatalogCounts } | null>(null);
  const [tab, setTab] = useState('tree');
  const [refreshKey, setRefreshKey] = useState(0);
  const compact = screens.md === false;
  const canConfirm = can('catalog:manage');

  const loadProvinces = useCallback(async () => {
    try {
      setProvinces(await catalogApi.national.provinces());
    } catch (error) {
      showError(error);
    }
  }, [showError]);

  useEffect(() => {
    void loadProvinces();
  }, [loadProvinces]);

  const ownCards = useMemo(
    () =>
      canConfirm
        ? me.organizations.map((org) => (
            <OwnDepartmentCard
              key={org.id}
              organizationId={org.id}
              canConfirm={canConfirm}
              refreshKey={refreshKey}
              onConfirmed={() => setRefreshKey((k) => k + 1)}
            />
          ))
        : [],
    [canConfirm, me.organizations, refreshKey],
  );

  return (
    <PageContainer className="catalog-page catalog-national" title={t('catalog.national.title')} subTitle={compact ? undefined : t('catalog.national.subtitle')}>
      <Space direction="vertical" size={16} className="full-width">
        {ownCards.length > 0 && <div className="own-department-cards">{ownCards}</div>}
        <Totals counts={provinces?.total ?? null} loading={provinces === null} />
        <Tabs
          activeKey={tab}
          onChange={setTab}
          className="catalog-national-tabs"
          items={[
            { key: 'tree', label: t('catalog.national.tab.tree'), children: <OrganizationTree compact={compact} /> },
            { key: 'provinces', label: t('catalog.national.tab.provinces'), children: <ProvinceTable compact={compact} data={provinces} /> },
            {
              key: 'departments',
              label: t('catalog.national.tab.departments'),
              children: (
                <DepartmentTable
                  compact={compact}
                  canConfirm={canConfirm}
                  refreshKey={refreshKey}
                  onConfirmed={() => {
                    setRefreshKey((k) => k + 1);
                    void loadProvinces();
                  }}
                />
              ),
            },
          ]}
        />
      </Space>
    </PageContainer>
  );
}
