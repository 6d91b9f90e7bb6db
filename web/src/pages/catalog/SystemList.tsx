// 政务信息系统目录 (第十二条): the systems the user may see, filtered by keyword, owner, province
// (行政区划), network, status, protection, business area and the 第二十八条 flag, with the Excel
// export of the same filters. Users with catalog:manage register, edit and remove systems here.
// A system on an isolated network without an exception decision carries the red flag. The
// filters can come in the address (the national catalog's counts link here). On a phone the
// rows become cards.
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, AutoComplete, Button, Card, Empty, Grid, List, Pagination, Popconfirm, Select, Spin, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import type { TablePaginationConfig, TableProps } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, EyeOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { orgTreeSelectData } from '../../utils/orgTree';
import {
  catalogApi, MLPS_LEVELS, NETWORK_TYPES, SYSTEM_STATUSES, type GovernmentSystem, type NetworkType, type SystemQuery, type SystemStatus,
} from './catalogApi';
import { BUSINESS_AREA_SUGGESTIONS, ExceptionTag, IsolationFlag, keepsSystemList, protectionText, useProvinces, StatusTag, useLocalized } from './catalogUi';
import ImportWizard from './ImportWizard';
import SystemFormDrawer from './SystemFormDrawer';

/** The search form's fields; `protection` is 'classified', 'mlps' or 'mlps:<level>'. */
interface Search {
  q?: string;
  ownerOrganizationId?: string;
  province?: string;
  networkType?: NetworkType;
  status?: SystemStatus;
  protection?: string;
  businessArea?: string;
  isolatedWithoutException?: 'true' | 'false';
  /** Not a form field: the drill-down organization, passed as a request parameter. */
  scope?: string;
}

function queryOf(search: Search, organizationId: string | undefined): SystemQuery {
  const [scheme, level] = (search.protection ?? '').split(':');
  return {
    q: search.q?.trim() || undefined,
    ownerOrganizationId: search.ownerOrganizationId || undefined,
    organizationId,
    province: search.province || undefined,
    networkType: search.networkType || undefined,
    status: search.status || undefined,
    protectionScheme: scheme === 'mlps' || scheme === 'classified' ? scheme : undefined,
    mlpsLevel: level ? Number(level) : undefined,
    businessArea: search.businessArea?.trim() || undefined,
    isolatedWithoutException: search.isolatedWithoutException || undefined,
  };
}

/** The filters given in the address (?province=32&isolatedWithoutException=true …). */
function searchFromParams(params: URLSearchParams): Search {
  const pick = <T extends string>(key: string, allowed?: readonly T[]): T | undefined => {
    const value = params.get(key) ?? undefined;
    return value && (!allowed || (allowed as readonly string[]).includes(value)) ? (value as T) : undefined;
  };
  return {
    q: pick('q'),
    ownerOrganizationId: pick('ownerOrganizationId'),
    province: pick('province'),
    networkType: pick('networkType', NETWORK_TYPES),
    status: pick('status', SYSTEM_STATUSES),
    protection: pick('protection'),
    businessArea: pick('businessArea'),
    isolatedWithoutException: pick('isolatedWithoutException', ['true', 'false'] as const),
  };
}

/** One system on a phone: the whole card opens it; the flag comes first. */
function SystemCard({ system }: { system: GovernmentSystem }) {
  const t = useT();
  const local = useLocalized();
  const navigate = useNavigate();
  const open = () => navigate(`/catalog/systems/${system.id}`);
  return (
    <Card
      size="small"
      hoverable
      className={system.isolatedWithoutException ? 'system-card system-card-flagged' : 'system-card'}
      onClick={open}
      role="link"
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'Enter') open();
      }}
    >
      <div className="system-card-name">{system.name}</div>
      <div className="system-card-tags">
        <IsolationFlag system={system} />
        <ExceptionTag system={system} />
        <StatusTag status={system.status} />
        <Tag>{t(`catalog.network.${system.networkType}`)}</Tag>
        <Tag>{protectionText(t, system.security)}</Tag>
      </div>
      <Typography.Text type="secondary" className="small system-card-owner">
        {system.ownerOrganizationName} · {local(system.province.name)} · {system.businessArea}
      </Typography.Text>
    </Card>
  );
}

function CardList({ props }: { props: TableProps<GovernmentSystem> }) {
  const t = useT();
  const pagination = props.pagination as TablePaginationConfig | false | undefined;
  const loading = typeof props.loading === 'object' ? props.loading.spinning : props.loading;
  return (
    <Spin spinning={Boolean(loading)}>
      <List<GovernmentSystem>
        className="system-card-list"
        dataSource={[...(props.dataSource ?? [])]}
        split={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.list.empty')} /> }}
        renderItem={(system) => (
          <List.Item key={system.id} className="system-card-item">
            <SystemCard system={system} />
          </List.Item>
        )}
      />
      {pagination && (pagination.total ?? 0) > 0 && (
        <div className="system-card-pagination">
          <Pagination
            simple
            current={pagination.current}
            pageSize={pagination.pageSize}
            total={pagination.total}
            onChange={(page, size) => pagination.onChange?.(page, size)}
          />
          <Typography.Text type="secondary" className="small">
            {t('common.total', { total: pagination.total ?? 0 })}
          </Typography.Text>
        </div>
      )}
    </Spin>
  );
}

export default function SystemList() {
  const t = useT();
  const can = useCan();
  const local = useLocalized();
  const provinces = useProvinces();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const lastQuery = useRef<SystemQuery>({});
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  // The search form starts folded on a phone (the breakpoint is only known after the first render).
  const [searchCollapsed, setSearchCollapsed] = useState<boolean | undefined>(undefined);
  const [editing, setEditing] = useState<{ system?: GovernmentSystem } | null>(null);
  const organizations = useOrganizationList(can('system:org:read'));
  const orgTree = useMemo(() => orgTreeSelectData(organizations.items.filter(keepsSystemList)), [organizations.items]);
  const initialSearch = useMemo(() => searchFromParams(params), []); // eslint-disable-line react-hooks/exhaustive-deps
  // Drill-down from the national catalog: an organization and everything below it.
  const scope = params.get('organizationId') ?? undefined;
  const scopeName = params.get('organizationName') ?? scope;
  const canManage = can('catalog:manage');
  // Grid.useBreakpoint answers {} on the first render; treat "unknown" as a desktop.
  const phone = screens.md === false;

  const exportSystems = async () => {
    setExporting(true);
    try {
      await catalogApi.systems.export(lastQuery.current);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const remove = async (system: GovernmentSystem) => {
    try {
      await catalogApi.systems.remove(system.id, system.version);
      void message.success(t('catalog.deleted', { name: system.name }));
    } catch (error) {
      if (error instanceof ApiError && error.isStale) void message.warning(t('error.stale'));
      else showError(error);
    }
    actionRef.current?.reload();
  };

  const columns: ProColumns<GovernmentSystem>[] = [
    { title: t('catalog.filter.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('catalog.filter.keyword.placeholder') } },
    {
      title: t('catalog.field.ownerOrganizationId'),
      dataIndex: 'ownerOrganizationId',
      hideInTable: true,
      hideInSearch: orgTree.length === 0,
      renderFormItem: () => (
        <TreeSelect
          treeData={orgTree}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          placeholder={t('common.pleaseSelect', { field: t('catalog.field.ownerOrganizationId') })}
        />
      ),
    },
    {
      title: t('catalog.filter.province'),
      dataIndex: 'province',
      hideInTable: true,
      renderFormItem: () => (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          options={provinces.map((p) => ({ value: p.code, label: `${local(p.name)}（${p.code}）` }))}
          placeholder={t('common.pleaseSelect', { field: t('catalog.filter.province') })}
        />
      ),
    },
    {
      title: t('catalog.field.networkType'),
      dataIndex: 'networkType',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: NETWORK_TYPES.map((n) => ({ value: n, label: t(`catalog.network.${n}`) })) },
    },
    {
      title: t('catalog.field.status'),
      dataIndex: 'status',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: SYSTEM_STATUSES.map((s) => ({ value: s, label: t(`catalog.status.${s}`) })) },
    },
    {
      title: t('catalog.filter.protection'),
      dataIndex: 'protection',
      hideInTable: true,
      valueType: 'select',
      fieldProps: {
        options: [
          { value: 'mlps', label: t('catalog.scheme.mlps') },
          ...MLPS_LEVELS.map((l) => ({ value: `mlps:${l}`, label: t(`catalog.level.${l}`) })),
          { value: 'classified', label: t('catalog.scheme.classified') },
        ],
      },
    },
    {
      title: t('catalog.field.businessArea'),
      dataIndex: 'businessArea',
      hideInTable: true,
      renderFormItem: () => (
        <AutoComplete
          allowClear
          options={BUSINESS_AREA_SUGGESTIONS.map((value) => ({ value }))}
          filterOption={(input, option) => String(option?.value ?? '').includes(input.trim())}
          placeholder={t('catalog.filter.businessArea.placeholder')}
        />
      ),
    },
    {
      title: t('catalog.filter.flag'),
      dataIndex: 'isolatedWithoutException',
      hideInTable: true,
      valueType: 'select',
      tooltip: t('catalog.flag.isolated.help'),
      fieldProps: {
        options: [
          { value: 'true', label: t('catalog.filter.flag.true') },
          { value: 'false', label: t('catalog.filter.flag.false') },
        ],
      },
    },
    {
      title: t('catalog.field.name'),
      dataIndex: 'name',
      search: false,
      width: 220,
      render: (_, system) => (
        <div className="system-name-cell">
          <Link to={`/catalog/systems/${system.id}`} className="system-name-link">
            {system.name}
          </Link>
          {(system.isolatedWithoutException || system.isolationException) && (
            <div className="system-name-tags">
              <IsolationFlag system={system} />
              <ExceptionTag system={system} />
            </div>
          )}
        </div>
      ),
    },
    { title: t('catalog.field.ownerOrganizationId'), dataIndex: 'ownerOrganizationName', search: false, width: 160, ellipsis: true },
    { title: t('catalog.field.province'), dataIndex: ['province', 'code'], search: false, width: 84, render: (_, s) => local(s.province.name) },
    { title: t('catalog.field.businessArea'), dataIndex: 'businessArea', search: false, width: 88, ellipsis: true },
    {
      title: t('catalog.field.networkType'),
      dataIndex: 'networkType',
      search: false,
      width: 108,
      render: (_, s) => <span className={s.networkType === 'isolated' ? 'network-isolated' : undefined}>{t(`catalog.network.${s.networkType}`)}</span>,
    },
    { title: t('catalog.field.protection'), dataIndex: 'security', search: false, width: 96, render: (_, s) => protectionText(t, s.security) },
    {
      title: t('catalog.field.userCount'),
      dataIndex: 'userCount',
      search: false,
      width: 104,
      align: 'right',
      render: (_, s) => <span className="amount">{s.userCount.toLocaleString('zh-CN')}</span>,
    },
    { title: t('catalog.field.status'), dataIndex: 'status', search: false, width: 72, render: (_, s) => <StatusTag status={s.status} /> },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: canManage ? 96 : 60,
      render: (_, system) => [
        <Tooltip key="view" title={t('common.view')}>
          <Link to={`/catalog/systems/${system.id}`} aria-label={t('common.view')}>
            <EyeOutlined />
          </Link>
        </Tooltip>,
        ...(canManage
          ? [
              <Tooltip key="edit" title={t('common.edit')}>
                <a onClick={() => setEditing({ system })} aria-label={t('common.edit')} className="system-edit">
                  <EditOutlined />
                </a>
              </Tooltip>,
              <Popconfirm
                key="delete"
                title={t('catalog.delete.confirm', { name: system.name })}
                description={t('catalog.delete.help')}
                okText={t('common.delete')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => remove(system)}
              >
                <Tooltip title={t('common.delete')}>
                  <a aria-label={t('common.delete')} className="system-delete danger-link">
                    <DeleteOutlined />
                  </a>
                </Tooltip>
              </Popconfirm>,
            ]
          : []),
      ],
    },
  ];

  const exportButton = (
    <Tooltip key="export" title={t('catalog.export.help')}>
      <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportSystems()} className="catalog-export">
        {exporting ? t('common.exporting') : t('common.export')}
      </Button>
    </Tooltip>
  );

  return (
    <PageContainer className="catalog-page" subTitle={phone ? undefined : t('catalog.list.subtitle')}>
      {scope && (
        <Alert
          type="info"
          showIcon
          closable
          className="catalog-scope"
          message={t('catalog.list.scope', { name: scopeName ?? '' })}
          onClose={() => {
            const next = new URLSearchParams(params);
            next.delete('organizationId');
            next.delete('organizationName');
            setParams(next, { replace: true });
          }}
        />
      )}
      <ProTable<GovernmentSystem, Search>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        params={{ scope }}
        headerTitle={phone ? undefined : t('catalog.list.title')}
        form={{ initialValues: initialSearch }}
        scroll={phone ? undefined : { x: 1040 }}
        search={{
          labelWidth: 'auto',
          collapsed: searchCollapsed ?? phone,
          onCollapse: setSearchCollapsed,
          span: phone ? 24 : { xs: 24, sm: 24, md: 12, lg: 8, xl: 8, xxl: 6 },
        }}
        options={phone ? false : { density: true, reload: true, setting: true }}
        rowClassName={(system) => (system.isolatedWithoutException ? 'system-row-flagged' : '')}
        pagination={{ defaultPageSize: 20, showSizeChanger: !phone, showTotal: (total) => t('common.total', { total }) }}
        tableViewRender={phone ? (props) => <CardList props={props} /> : undefined}
        request={async (search) => {
          const query = queryOf(search, scope);
          lastQuery.current = query;
          try {
            const result = await catalogApi.systems.list({ ...query, page: search.current ?? 1, pageSize: search.pageSize ?? 20 });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          exportButton,
          canManage ? (
            <Button key="import" icon={<UploadOutlined />} onClick={() => setImporting(true)} className="catalog-import">
              {t('import.open')}
            </Button>
          ) : null,
          canManage ? (
            <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} className="catalog-create">
              {t('catalog.create')}
            </Button>
          ) : null,
        ]}
      />
      {canManage && (
        <ImportWizard kind="systems" open={importing} onClose={() => setImporting(false)} onImported={() => actionRef.current?.reload()} />
      )}
      {canManage && (
        <SystemFormDrawer
          open={editing !== null}
          system={editing?.system}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            actionRef.current?.reload();
          }}
        />
      )}
    </PageContainer>
  );
}
