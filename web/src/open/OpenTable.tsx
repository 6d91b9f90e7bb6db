// A paginated public list with a search box and its CSV download (the same query, format=csv).
import { useEffect, useState } from 'react';
import { Alert, Button, Input, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useLocale, useT } from '../i18n';
import { OPEN_API, openApi, type OpenPage } from './api';

export default function OpenTable<T extends { id: string }>({ resource, columns, search = true }: { resource: string; columns: ColumnsType<T>; search?: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<OpenPage<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    openApi.list<T>(locale, resource, { page, pageSize, q: search ? q : undefined })
      .then((d) => { if (live) { setData(d); setError(null); } })
      .catch((e: Error) => { if (live) setError(e.message); })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [locale, resource, page, pageSize, q, search]);

  const csv = `${OPEN_API}/${resource}?${new URLSearchParams({ format: 'csv', page: String(page), pageSize: String(pageSize), ...(search && q ? { q } : {}) })}`;
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
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => t('common.total', { total }),
          onChange: (p, s) => { setPage(p); setPageSize(s); } }}
      />
    </Space>
  );
}
