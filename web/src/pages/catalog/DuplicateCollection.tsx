// 重复采集 (第二十八条): the data items that systems of several owners collect, one group per
// normalized item (身份证号 ≡ 公民身份号码) — the spelling most systems use, every spelling, and
// the collecting systems with their owners. A system of another department the user may not
// read is shown only as 其他部门 with its spelling. Filters and the Excel export are the API's
// (GET /system-catalog/duplicate-collection). On a phone the groups become cards.
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Card, Empty, Grid, List, Pagination, Select, Spin, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import type { TablePaginationConfig, TableProps } from 'antd';
import { DownloadOutlined, EyeInvisibleOutlined } from '@ant-design/icons';
import { download, request, type PageQuery } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import type { LocalizedText, Page } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { orgTreeSelectData } from '../../utils/orgTree';
import { keepsSystemList, useProvinces, useLocalized } from './catalogUi';
import '../resources/resources.css';

/** A system collecting the group's item (src/http/routes/duplicate-collection.ts). */
export interface CollectingSystem {
  /** False: another department's system the user may not read — only the spelling is shown. */
  visible: boolean;
  systemId: string | null;
  systemName: string | null;
  ownerOrganizationId: string | null;
  /** 其他部门 when not visible. */
  ownerOrganizationName: string;
  province: { code: string; name: LocalizedText } | null;
  items: Array<{ dataItemName: string; resource: { id: string; code: string; name: string; projectId: string } | null }>;
}

export interface DuplicateCollectionGroup {
  /** The normalized item (its canonical terms). */
  key: string;
  /** The spelling most systems use. */
  dataItem: string;
  names: Array<{ name: string; similarity: number }>;
  ownerCount: number;
  systemCount: number;
  systems: CollectingSystem[];
}

export interface DuplicateCollectionQuery {
  q?: string;
  province?: string;
  organizationId?: string;
}

export const duplicateCollectionApi = {
  list: (query: DuplicateCollectionQuery & PageQuery) =>
    request<Page<DuplicateCollectionGroup>>('GET', '/system-catalog/duplicate-collection', { query: { ...query } }),
  export: (query: DuplicateCollectionQuery) => download('/system-catalog/duplicate-collection/export', { ...query }, '重复采集数据项.xlsx'),
};

interface Search {
  q?: string;
  province?: string;
  organizationId?: string;
}

function queryOf(search: Search): DuplicateCollectionQuery {
  return { q: search.q?.trim() || undefined, province: search.province || undefined, organizationId: search.organizationId || undefined };
}

/** The other spellings than the canonical one. */
function Spellings({ group }: { group: DuplicateCollectionGroup }) {
  const others = group.names.filter((n) => n.name !== group.dataItem);
  if (others.length === 0) return null;
  return (
    <div className="dup-names">
      {others.map((n) => (
        <Tag key={n.name} className="dup-name">
          {n.name}
        </Tag>
      ))}
    </div>
  );
}

function SystemsList({ group }: { group: DuplicateCollectionGroup }) {
  const t = useT();
  const local = useLocalized();
  return (
    <ul className="dup-systems">
      {group.systems.map((system, index) => {
        const spellings = [...new Set(system.items.map((i) => i.dataItemName))].join('、');
        const resources = system.items.flatMap((i) => (i.resource ? [i.resource] : []));
        if (!system.visible) {
          return (
            <li key={`hidden-${index}`} className="dup-system dup-system-hidden" data-visible="false">
              <Tooltip title={t('dupCollection.hidden.help')}>
                <span className="dup-system-name">
                  <EyeInvisibleOutlined /> {t('dupCollection.hidden')}
                </span>
              </Tooltip>
              <Typography.Text type="secondary" className="small dup-system-meta">
                {t('dupCollection.spelling')}
                {t('common.colon')}
                {spellings}
              </Typography.Text>
            </li>
          );
        }
        return (
          <li key={system.systemId ?? index} className="dup-system" data-visible="true">
            <Link to={`/catalog/systems/${system.systemId}`} className="dup-system-name">
              {system.systemName}
            </Link>
            <Typography.Text type="secondary" className="small dup-system-meta">
              {[system.ownerOrganizationName, system.province ? local(system.province.name) : null].filter(Boolean).join(' · ')}
            </Typography.Text>
            <Typography.Text type="secondary" className="small dup-system-meta">
              {t('dupCollection.spelling')}
              {t('common.colon')}
              {spellings}
              {resources.length > 0 && ' · '}
              {resources.map((r, i) => (
                <span key={r.id}>
                  {i > 0 && '、'}
                  <Link to={`/projects/${r.projectId}?tab=resources`} title={r.code}>
                    {r.name}
                  </Link>
                </span>
              ))}
            </Typography.Text>
          </li>
        );
      })}
    </ul>
  );
}

function Counts({ group }: { group: DuplicateCollectionGroup }) {
  const t = useT();
  return (
    <div className="dup-counts">
      <Tag color="volcano">{t('dupCollection.ownerCount', { count: group.ownerCount })}</Tag>
      <Tag>{t('dupCollection.systemCount', { count: group.systemCount })}</Tag>
    </div>
  );
}

function GroupCard({ group }: { group: DuplicateCollectionGroup }) {
  return (
    <Card size="small" className="dup-card" data-key={group.key}>
      <div className="dup-item">{group.dataItem}</div>
      <Spellings group={group} />
      <Counts group={group} />
      <SystemsList group={group} />
    </Card>
  );
}

function CardList({ props }: { props: TableProps<DuplicateCollectionGroup> }) {
  const t = useT();
  const pagination = props.pagination as TablePaginationConfig | false | undefined;
  const loading = typeof props.loading === 'object' ? props.loading.spinning : props.loading;
  return (
    <Spin spinning={Boolean(loading)}>
      <List<DuplicateCollectionGroup>
        className="dup-card-list resource-card-list"
        dataSource={[...(props.dataSource ?? [])]}
        split={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dupCollection.empty')} /> }}
        renderItem={(group) => (
          <List.Item key={group.key}>
            <GroupCard group={group} />
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

export default function DuplicateCollection() {
  const t = useT();
  const can = useCan();
  const local = useLocalized();
  const provinces = useProvinces();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const lastQuery = useRef<DuplicateCollectionQuery>({});
  const [exporting, setExporting] = useState(false);
  const [searchCollapsed, setSearchCollapsed] = useState<boolean | undefined>(undefined);
  const organizations = useOrganizationList(can('system:org:read'));
  const orgTree = useMemo(() => orgTreeSelectData(organizations.items.filter(keepsSystemList)), [organizations.items]);
  const phone = screens.md === false;

  const exportGroups = async () => {
    setExporting(true);
    try {
      await duplicateCollectionApi.export(lastQuery.current);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const columns: ProColumns<DuplicateCollectionGroup>[] = [
    {
      title: t('dupCollection.field.dataItem'),
      dataIndex: 'q',
      hideInTable: true,
      fieldProps: { placeholder: t('dupCollection.filter.keyword.placeholder') },
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
      title: t('dupCollection.filter.organization'),
      dataIndex: 'organizationId',
      hideInTable: true,
      hideInSearch: orgTree.length === 0,
      renderFormItem: () => (
        <TreeSelect
          treeData={orgTree}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          placeholder={t('common.pleaseSelect', { field: t('dupCollection.filter.organization') })}
        />
      ),
    },
    {
      title: t('dupCollection.field.dataItem'),
      dataIndex: 'dataItem',
      search: false,
      width: 220,
      render: (_, group) => (
        <div className="dup-item-cell" data-key={group.key}>
          <div className="dup-item">{group.dataItem}</div>
          <Spellings group={group} />
        </div>
      ),
    },
    { title: t('dupCollection.field.owners'), dataIndex: 'ownerCount', search: false, width: 150, render: (_, group) => <Counts group={group} /> },
    { title: t('dupCollection.field.systems'), dataIndex: 'systems', search: false, render: (_, group) => <SystemsList group={group} /> },
  ];

  return (
    <PageContainer className="catalog-page dup-collection-page" subTitle={phone ? undefined : t('dupCollection.subtitle')}>
      <ProTable<DuplicateCollectionGroup, Search>
        rowKey="key"
        actionRef={actionRef}
        columns={columns}
        headerTitle={phone ? undefined : t('dupCollection.title')}
        scroll={phone ? undefined : { x: 900 }}
        search={{
          labelWidth: 'auto',
          collapsed: searchCollapsed ?? phone,
          onCollapse: setSearchCollapsed,
          span: phone ? 24 : { xs: 24, sm: 24, md: 12, lg: 8, xl: 8, xxl: 6 },
        }}
        options={phone ? false : { density: true, reload: true, setting: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: !phone, showTotal: (total) => t('common.total', { total }) }}
        tableViewRender={phone ? (props) => <CardList props={props} /> : undefined}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dupCollection.empty')} /> }}
        request={async (search) => {
          const query = queryOf(search as Search);
          lastQuery.current = query;
          try {
            const result = await duplicateCollectionApi.list({ ...query, page: search.current ?? 1, pageSize: search.pageSize ?? 20 });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Tooltip key="export" title={t('dupCollection.export.help')}>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportGroups()} className="dup-export">
              {exporting ? t('common.exporting') : t('common.export')}
            </Button>
          </Tooltip>,
        ]}
        className="dup-table"
      />
    </PageContainer>
  );
}
