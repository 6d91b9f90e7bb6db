// A paginated public list with a search box and its CSV download (the same query, format=csv).
// Paging follows the API's keyset cursors: the page after one already shown is fetched with the
// cursor of its `next` link (cheap at any depth); a jump to a page not reached that way falls back
// to the deprecated page number.
import { useEffect, useState } from 'react';
import { Alert, Button, Input, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useLocale, useT } from '../i18n';
import { OPEN_API, cursorOf, openApi, type OpenPage } from './api';

export default function OpenTable<T extends { id: string }>({ resource, columns, search = true }: { resource: string; columns: ColumnsType<T>; search?: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<OpenPage<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // Page number → the cursor that fetches it (learned from the page before's next link), for this query.
  const [cursors, setCursors] = useState<{ key: string; byPage: Map<number, string> }>({ key: '', byPage: new Map() });
  const queryKey = `${resource}\n${pageSize}\n${search ? q : ''}`;
  const cursor = cursors.key === queryKey ? cursors.byPage.get(page) : undefined;
  const paging = cursor ? { cursor } : { page };

  useEffect(() => {
    let live = true;
    setLoading(true);
    openApi.list<T>(locale, resource, { ...paging, pageSize, q: search ? q : undefined })
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
        const next = cursorOf(d.next);
        if (next) setCursors((c) => ({ key: queryKey, byPage: new Map(c.key === queryKey ? c.byPage : []).set(page + 1, next) }));
      })
      .catch((e: Error) => { if (live) setError(e.message); })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- paging follows from page and the cursors learned for this query
  }, [locale, resource, page, pageSize, q, search]);

  const csv = `${OPEN_API}/${resource}?${new URLSearchParams({ format: 'csv', ...(cursor ? { cursor } : { page: String(page) }), pageSize: String(pageSize), ...(search && q ? { q } : {}) })}`;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        {search ? <Input.Search allowClear placeholder={t('open.searchPlaceholder')} onSearch={(v) => { setPage(1); setQ(v.trim()); }} style={{ width: 320 }} /> : <span />}
        <Space>
          <Typography.Text type="secondary" copyable={{ text: `${window.location.origin}${OPEN_API}/${resource}` }}>{t('open.api', { url: `${OPEN_API}/${resource}` })}</Typography.Text>
          <Button icon={<DownloadOutlined />} href={csv}>{t('open.csv')}</Button>
        </Space>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<T>
        rowKey="id" size="middle" loading={loading} columns={columns} dataSource={data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('open.empty') }}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => (data?.totalApproximate ? t('open.totalApproximate', { total }) : t('common.total', { total })),
          onChange: (p, s) => { setPage(p); setPageSize(s); } }}
      />
    </Space>
  );
}
