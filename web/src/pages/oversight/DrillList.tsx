// The list behind a dashboard figure (SPEC §9 drill-down): the projects the caller may read that the
// clicked bar or slice counts, filtered by the URL (?stage=…, ?departmentId=…, ?year=…, ?region=…,
// ?band=…, ?overdueKind=…), with each one's risk band, overdue obligations and open rectifications;
// exportable to .xlsx.
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { DRILL_KEYS, oversightApi, type DrillFilter, type DrillRow } from './oversightApi';
import { BandTag } from './RiskUi';
import './oversight.css';

const FILTER_NAMES: Record<keyof DrillFilter, MessageKey> = {
  stage: 'oversight.filter.stage', departmentId: 'oversight.filter.department', year: 'oversight.filter.year', region: 'oversight.filter.region',
  band: 'oversight.filter.band', overdueKind: 'oversight.filter.overdueKind', inConstruction: 'oversight.filter.inConstruction',
};

export default function DrillList() {
  const t = useT();
  const { locale, tx } = useLocale();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [params] = useSearchParams();
  const filter = useMemo(() => {
    const f: DrillFilter = {};
    for (const k of DRILL_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [result, setResult] = useState<{ items: DrillRow[]; total: number } | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => setPage((p) => ({ ...p, page: 1 })), [filter]);
  useEffect(() => {
    let alive = true;
    setResult(null);
    oversightApi.drill(filter, page.page, page.pageSize).then((r) => alive && setResult(r)).catch((e: unknown) => {
      if (alive) {
        showError(e);
        setResult({ items: [], total: 0 });
      }
    });
    return () => {
      alive = false;
    };
  }, [filter, page, showError]);

  const first = result?.items[0];
  const valueOf = (k: keyof DrillFilter, v: string) => {
    if (k === 'band') return tx(`oversight.band.${v}`, v);
    if (k === 'stage') return tx(`oversight.stage.${v}`, v);
    if (k === 'overdueKind') return tx(`oversight.kind.${v}`, v);
    if (k === 'departmentId') return first?.departmentName ?? v.slice(0, 8);
    if (k === 'region') return first ? (locale === 'zh-CN' ? first.region.zh : first.region.en) : v;
    if (k === 'inConstruction') return v === 'true' ? t('oversight.yes') : t('oversight.no');
    return v;
  };

  const exportList = async () => {
    setExporting(true);
    try {
      await oversightApi.exportDrill(filter);
      void message.success(t('common.exported'));
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  return (
    <PageContainer title={t('oversight.drill.title')} onBack={() => window.history.back()}>
      <Card>
        <Space wrap className="oversight-drill-filters" style={{ marginBottom: 12 }}>
          {Object.entries(filter).map(([k, v]) => (
            <Tag key={k} color="blue" data-filter={k}>{t(FILTER_NAMES[k as keyof DrillFilter])}：{valueOf(k as keyof DrillFilter, v)}</Tag>
          ))}
          <Typography.Text type="secondary" className="oversight-drill-total">{result ? t('oversight.drill.total', { count: result.total }) : ''}</Typography.Text>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportList()}>{t('oversight.exportList')}</Button>
        </Space>
        <Table<DrillRow>
          rowKey="id"
          size="small"
          loading={result === null}
          dataSource={result?.items ?? []}
          scroll={{ x: 960 }}
          pagination={{
            current: page.page, pageSize: page.pageSize, total: result?.total ?? 0, showSizeChanger: true,
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          columns={[
            { title: t('oversight.col.project'), key: 'name', width: 300, render: (_, r) => <span><Link to={`/projects/${r.id}`}>{r.name}</Link><div className="small mono">{r.code}</div></span> },
            { title: t('oversight.col.unit'), dataIndex: 'unitName', width: 200 },
            { title: t('oversight.col.stage'), key: 'stage', width: 120, render: (_, r) => tx(`oversight.stage.${r.stage}`, r.stage) },
            { title: t('oversight.col.start'), dataIndex: 'constructionStart', width: 110 },
            { title: t('oversight.col.total'), dataIndex: 'totalInvestment', width: 120, align: 'right' },
            {
              title: t('oversight.col.band'), key: 'band', width: 100,
              render: (_, r) => (r.band ? <Link to={`/oversight/risk/${r.id}`}><BandTag band={r.band} /></Link> : <Typography.Text type="secondary">—</Typography.Text>),
            },
            { title: t('oversight.col.overdue'), dataIndex: 'overdueObligations', width: 90, align: 'right' },
            { title: t('oversight.col.rectifications'), dataIndex: 'openRectifications', width: 90, align: 'right' },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
