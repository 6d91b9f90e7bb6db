// 信息资源目录 (第十一条): the information-resource catalogs of the projects the user may see,
// read together. On the left a tree with counts — 按分类 (类 → 项 → 目 of the 信息资源代码) or
// 按提供部门 — whose node narrows the list; on the right the list with the filters of the API and
// the Excel export of the same filters. The tree counts what the form's filters leave. Each row
// opens its project's 信息资源 tab. On a phone the tree moves into a drawer and the rows become
// cards (no sideways scrolling).
import { useCallback, useEffect, useMemo, useRef, useState, type Key } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Badge, Button, Card, Drawer, Empty, Grid, List, Pagination, Segmented, Select, Spin, Tag, Tooltip, Tree, Typography } from 'antd';
import type { TablePaginationConfig, TableProps } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { ApartmentOutlined, DownloadOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import {
  BASE_CATEGORIES, CLASSIFICATION_KINDS, OPEN_TYPES, SHARING_TYPES, UPDATE_CYCLES, type BaseCategory, type ClassificationKind,
  type OpenType, type SharingType, type UpdateCycle,
} from '../../api/types';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { useProvinces, useLocalized } from '../catalog/catalogUi';
import {
  resourceCatalogApi, type CatalogEntry, type CatalogTree, type ClassificationNode, type DepartmentNode, type ResourceCatalogQuery,
} from './resourcesApi';
import './resources.css';

type TreeBy = CatalogTree['by'];

/** The search form's fields. */
interface Search {
  q?: string;
  province?: string;
  classification?: ClassificationKind;
  baseCategory?: BaseCategory;
  sharingType?: SharingType;
  openType?: OpenType;
  updateCycle?: UpdateCycle;
}

/** What the tree selected: a code prefix or a providing organization (with its name for the banner). */
type Selection = { by: 'classification'; codePrefix: string; label: string } | { by: 'department'; organizationId: string; label: string } | null;

function formQuery(search: Search): ResourceCatalogQuery {
  return {
    q: search.q?.trim() || undefined,
    province: search.province || undefined,
    classification: search.classification || undefined,
    baseCategory: search.baseCategory || undefined,
    sharingType: search.sharingType || undefined,
    openType: search.openType || undefined,
    updateCycle: search.updateCycle || undefined,
  };
}

function selectionQuery(selection: Selection): ResourceCatalogQuery {
  if (!selection) return {};
  return selection.by === 'classification' ? { codePrefix: selection.codePrefix } : { organizationId: selection.organizationId };
}

/** The 资源分类 of a resource: 类, and the 基础资源类别 when it has one. */
function ClassificationTag({ entry }: { entry: CatalogEntry }) {
  const t = useT();
  const { kind, baseCategory } = entry.classification;
  const color = kind === 'base' ? 'blue' : kind === 'theme' ? 'cyan' : 'default';
  return (
    <Tag color={color} className="resource-class-tag">
      {t(`resource.kind.${kind}`)}
      {baseCategory ? `·${t(`resource.baseCategory.${baseCategory}`)}` : ''}
    </Tag>
  );
}

const SHARING_COLORS: Record<SharingType, string> = { unconditional: 'green', conditional: 'gold', none: 'default' };

const resourceHref = (entry: CatalogEntry) => `/projects/${entry.projectId}?tab=resources`;

/** The tree's nodes (a root for everything, then the chosen dimension, each with its count) and each node's label. */
function treeData(
  tree: CatalogTree | null,
  t: ReturnType<typeof useT>,
  local: (text: { zh: string; en: string }) => string,
): { nodes: DataNode[]; labels: Map<string, string> } {
  const labels = new Map<string, string>();
  if (!tree) return { nodes: [], labels };
  const title = (text: string, count: number, code?: string) => (
    <span className="resource-tree-node">
      <span className="resource-tree-text">
        {text}
        {code && <span className="resource-tree-code mono">{code}</span>}
      </span>
      <Badge count={count} showZero overflowCount={99999} color={count > 0 ? '#1677ff' : '#d9d9d9'} className="resource-tree-count" />
    </span>
  );
  const classification = (node: ClassificationNode): DataNode => {
    const label =
      node.name !== null
        ? local(node.name)
        : t(node.level === 'item' ? 'resourceCatalog.tree.item' : 'resourceCatalog.tree.entry', { code: node.code });
    const key = `c:${node.code}`;
    labels.set(key, node.name !== null ? `${label}（${node.code}）` : label);
    return { key, title: title(label, node.count, node.name !== null ? node.code : undefined), children: node.children.map(classification), isLeaf: node.children.length === 0 };
  };
  const department = (node: DepartmentNode): DataNode => {
    const key = `d:${node.organizationId}`;
    labels.set(key, node.name);
    return { key, title: title(node.name, node.total), children: node.children.map(department), isLeaf: node.children.length === 0 };
  };
  const children = tree.by === 'classification' ? tree.nodes.map(classification) : tree.nodes.map(department);
  return { nodes: [{ key: 'all', title: title(t('resourceCatalog.tree.all'), tree.total), children }], labels };
}

function CatalogTreePanel({
  by,
  onByChange,
  tree,
  loading,
  selectedKey,
  onSelect,
}: {
  by: TreeBy;
  onByChange: (by: TreeBy) => void;
  tree: CatalogTree | null;
  loading: boolean;
  selectedKey: string;
  onSelect: (key: string, label: string) => void;
}) {
  const t = useT();
  const local = useLocalized();
  const { locale } = useLocale();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { nodes: data, labels } = useMemo(() => treeData(tree, t, local), [tree, locale]);
  const [expanded, setExpanded] = useState<Key[]>(['all']);
  // A new tree opens its first two levels.
  useEffect(() => {
    const keys: Key[] = ['all'];
    for (const node of data[0]?.children ?? []) keys.push(node.key);
    setExpanded(keys);
  }, [data]);
  return (
    <div className="resource-tree-panel">
      <Segmented<TreeBy>
        block
        value={by}
        onChange={onByChange}
        className="resource-tree-toggle"
        options={[
          { value: 'classification', label: t('resourceCatalog.tree.byClassification') },
          { value: 'department', label: t('resourceCatalog.tree.byDepartment') },
        ]}
      />
      {by === 'classification' && (
        <Typography.Paragraph type="secondary" className="small resource-tree-help">
          {t('resourceCatalog.tree.help')}
        </Typography.Paragraph>
      )}
      <Spin spinning={loading}>
        {tree && tree.total === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resourceCatalog.tree.empty')} />
        ) : (
          <Tree
            className="resource-tree"
            blockNode
            showLine={{ showLeafIcon: false }}
            treeData={data}
            expandedKeys={expanded}
            onExpand={setExpanded}
            selectedKeys={[selectedKey]}
            onSelect={(keys) => {
              const key = String(keys[0] ?? 'all');
              onSelect(key, labels.get(key) ?? key);
            }}
          />
        )}
      </Spin>
    </div>
  );
}

/** One resource on a phone: the whole card opens the project's catalog. */
function ResourceCard({ entry }: { entry: CatalogEntry }) {
  const t = useT();
  const local = useLocalized();
  const navigate = useNavigate();
  const open = () => navigate(resourceHref(entry));
  return (
    <Card
      size="small"
      hoverable
      className="resource-card"
      onClick={open}
      role="link"
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'Enter') open();
      }}
    >
      <div className="resource-card-name">{entry.name}</div>
      <div className="resource-card-code mono">{entry.code}</div>
      <div className="resource-card-tags">
        <ClassificationTag entry={entry} />
        <Tag color={SHARING_COLORS[entry.sharingType]}>{t(`resource.sharingType.${entry.sharingType}`)}</Tag>
        <Tag>{t(`resource.updateCycle.${entry.updateCycle}`)}</Tag>
      </div>
      <Typography.Text type="secondary" className="small resource-card-meta">
        {entry.providerOrganizationName} · {local(entry.providerProvince.name)}
      </Typography.Text>
      <Typography.Text type="secondary" className="small resource-card-meta">
        {t('resourceCatalog.field.project')}
        {t('common.colon')}
        {entry.project.name}
      </Typography.Text>
    </Card>
  );
}

function CardList({ props }: { props: TableProps<CatalogEntry> }) {
  const t = useT();
  const pagination = props.pagination as TablePaginationConfig | false | undefined;
  const loading = typeof props.loading === 'object' ? props.loading.spinning : props.loading;
  return (
    <Spin spinning={Boolean(loading)}>
      <List<CatalogEntry>
        className="resource-card-list"
        dataSource={[...(props.dataSource ?? [])]}
        split={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resourceCatalog.empty')} /> }}
        renderItem={(entry) => (
          <List.Item key={entry.id} className="resource-card-item">
            <ResourceCard entry={entry} />
          </List.Item>
        )}
      />
      {pagination && (pagination.total ?? 0) > 0 && (
        <div className="resource-card-pagination">
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

export default function ResourceCatalog() {
  const t = useT();
  const local = useLocalized();
  const provinces = useProvinces();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const [by, setBy] = useState<TreeBy>('classification');
  const [selection, setSelection] = useState<Selection>(null);
  const [filters, setFilters] = useState<ResourceCatalogQuery>({});
  const [tree, setTree] = useState<CatalogTree | null>(null);
  const [treeLoading, setTreeLoading] = useState(true);
  const [treeOpen, setTreeOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [searchCollapsed, setSearchCollapsed] = useState<boolean | undefined>(undefined);
  // Grid.useBreakpoint answers {} on the first render; treat "unknown" as a desktop.
  const phone = screens.md === false;
  const narrow = screens.lg === false;

  const loadTree = useCallback(async () => {
    setTreeLoading(true);
    try {
      setTree(await resourceCatalogApi.tree(by, filters));
    } catch (error) {
      showError(error);
    } finally {
      setTreeLoading(false);
    }
  }, [by, filters, showError]);

  useEffect(() => {
    void loadTree();
  }, [loadTree]);

  const selectedKey = !selection ? 'all' : selection.by === 'classification' ? `c:${selection.codePrefix}` : `d:${selection.organizationId}`;

  const select = (key: string, label: string) => {
    if (key === 'all') setSelection(null);
    else if (key.startsWith('c:')) setSelection({ by: 'classification', codePrefix: key.slice(2), label });
    else setSelection({ by: 'department', organizationId: key.slice(2), label });
    setTreeOpen(false);
  };

  const exportCatalog = async () => {
    setExporting(true);
    try {
      await resourceCatalogApi.export({ ...filters, ...selectionQuery(selection) });
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const options = <T extends string>(values: readonly T[], prefix: string) =>
    values.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) }));

  const columns: ProColumns<CatalogEntry>[] = [
    {
      title: t('resourceCatalog.filter.keyword'),
      dataIndex: 'q',
      hideInTable: true,
      fieldProps: { placeholder: t('resourceCatalog.filter.keyword.placeholder') },
    },
    {
      title: t('resourceCatalog.filter.province'),
      dataIndex: 'province',
      hideInTable: true,
      renderFormItem: () => (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          options={provinces.map((p) => ({ value: p.code, label: `${local(p.name)}（${p.code}）` }))}
          placeholder={t('common.pleaseSelect', { field: t('resourceCatalog.filter.province') })}
        />
      ),
    },
    {
      title: t('resource.classification'),
      dataIndex: 'classification',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: options(CLASSIFICATION_KINDS, 'resource.kind') },
    },
    {
      title: t('resource.baseCategory'),
      dataIndex: 'baseCategory',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: options(BASE_CATEGORIES, 'resource.baseCategory') },
    },
    {
      title: t('resource.sharingType'),
      dataIndex: 'sharingType',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: options(SHARING_TYPES, 'resource.sharingType') },
    },
    {
      title: t('resource.openType'),
      dataIndex: 'openType',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: options(OPEN_TYPES, 'resource.openType') },
    },
    {
      title: t('resource.updateCycle'),
      dataIndex: 'updateCycle',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: options(UPDATE_CYCLES, 'resource.updateCycle') },
    },
    { title: t('resource.code'), dataIndex: 'code', search: false, width: 150, render: (_, r) => <span className="mono nowrap">{r.code}</span> },
    {
      title: t('resource.name'),
      dataIndex: 'name',
      search: false,
      width: 200,
      render: (_, r) => (
        <Tooltip title={t('resourceCatalog.open')}>
          <Link to={resourceHref(r)} className="resource-name-link">
            {r.name}
          </Link>
        </Tooltip>
      ),
    },
    { title: t('resource.classification'), dataIndex: ['classification', 'kind'], search: false, width: 150, render: (_, r) => <ClassificationTag entry={r} /> },
    {
      title: t('resource.provider'),
      dataIndex: 'providerOrganizationName',
      search: false,
      width: 180,
      render: (_, r) => (
        <div className="resource-provider">
          <div>{r.providerOrganizationName}</div>
          <Typography.Text type="secondary" className="small">
            {local(r.providerProvince.name)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('resourceCatalog.field.project'),
      dataIndex: ['project', 'name'],
      search: false,
      width: 200,
      ellipsis: true,
      render: (_, r) => (
        <Link to={resourceHref(r)} title={`${r.project.name}（${r.project.code}）`}>
          {r.project.name}
        </Link>
      ),
    },
    {
      title: t('resource.sharingType'),
      dataIndex: 'sharingType',
      search: false,
      width: 104,
      render: (_, r) => <Tag color={SHARING_COLORS[r.sharingType]}>{t(`resource.sharingType.${r.sharingType}`)}</Tag>,
    },
    { title: t('resource.openType'), dataIndex: 'openType', search: false, width: 96, render: (_, r) => t(`resource.openType.${r.openType}`) },
    { title: t('resource.updateCycle'), dataIndex: 'updateCycle', search: false, width: 80, render: (_, r) => t(`resource.updateCycle.${r.updateCycle}`) },
    {
      title: t('resourceCatalog.field.dataItems'),
      dataIndex: 'dataItems',
      search: false,
      width: 80,
      align: 'right',
      render: (_, r) => (
        <Tooltip title={r.dataItems.map((d) => d.name).join('、')}>
          <span>{t('resourceCatalog.dataItems.count', { count: r.dataItems.length })}</span>
        </Tooltip>
      ),
    },
  ];

  const treePanel = (
    <CatalogTreePanel
      by={by}
      onByChange={(next) => {
        setBy(next);
        setSelection(null);
      }}
      tree={tree}
      loading={treeLoading}
      selectedKey={selectedKey}
      onSelect={select}
    />
  );

  const toolbar = [
    ...(narrow
      ? [
          <Button key="tree" icon={<ApartmentOutlined />} onClick={() => setTreeOpen(true)} className="resource-tree-open">
            {t('resourceCatalog.tree.title')}
          </Button>,
        ]
      : []),
    <Tooltip key="export" title={t('resourceCatalog.export.help')}>
      <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportCatalog()} className="resource-export">
        {exporting ? t('common.exporting') : t('common.export')}
      </Button>
    </Tooltip>,
  ];

  return (
    <PageContainer className="resource-catalog-page" subTitle={phone ? undefined : t('resourceCatalog.subtitle')}>
      <div className={narrow ? 'resource-layout resource-layout-narrow' : 'resource-layout'}>
        {!narrow && (
          <Card size="small" className="resource-tree-card" title={t('resourceCatalog.tree.title')}>
            {treePanel}
          </Card>
        )}
        <div className="resource-main">
          {selection && (
            <Alert
              type="info"
              showIcon
              closable
              icon={<FolderOpenOutlined />}
              className="resource-selection"
              message={t('resourceCatalog.selected', { name: selection.label })}
              onClose={() => setSelection(null)}
            />
          )}
          <ProTable<CatalogEntry, Search>
            rowKey="id"
            actionRef={actionRef}
            columns={columns}
            params={selectionQuery(selection)}
            headerTitle={phone ? undefined : t('resourceCatalog.title')}
            scroll={phone ? undefined : { x: 1240 }}
            search={{
              labelWidth: 'auto',
              collapsed: searchCollapsed ?? phone,
              onCollapse: setSearchCollapsed,
              span: phone ? 24 : { xs: 24, sm: 24, md: 12, lg: 12, xl: 8, xxl: 6 },
            }}
            options={phone ? false : { density: true, reload: true, setting: true }}
            pagination={{ defaultPageSize: 20, showSizeChanger: !phone, showTotal: (total) => t('common.total', { total }) }}
            tableViewRender={phone ? (props) => <CardList props={props} /> : undefined}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resourceCatalog.empty')} /> }}
            request={async (search) => {
              const query = formQuery(search as Search);
              // The tree counts what the form leaves (not what the tree itself selects).
              setFilters((previous) => (JSON.stringify(previous) === JSON.stringify(query) ? previous : query));
              try {
                const result = await resourceCatalogApi.list({
                  ...query,
                  ...selectionQuery(selection),
                  page: search.current ?? 1,
                  pageSize: search.pageSize ?? 20,
                });
                return { data: result.items, total: result.total, success: true };
              } catch (error) {
                showError(error);
                return { data: [], total: 0, success: false };
              }
            }}
            toolBarRender={() => toolbar}
            className="resource-table"
          />
        </div>
      </div>
      <Drawer
        open={narrow && treeOpen}
        onClose={() => setTreeOpen(false)}
        placement="left"
        width={phone ? '86%' : 360}
        title={t('resourceCatalog.tree.title')}
        className="resource-tree-drawer"
      >
        {treePanel}
      </Drawer>
    </PageContainer>
  );
}
