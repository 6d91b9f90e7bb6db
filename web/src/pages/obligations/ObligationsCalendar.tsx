// 履约日历 (第十四条, 第十五条, 第二十条, 第二十五条, 第二十七条): the obligations of the caller's
// projects and systems — its own unit's, those routed to its department, or all for supervisory
// bodies (the API applies the data scope) — on a month calendar and as a filtered list with an
// Excel export. Due soon is amber, due today and overdue red, done green.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Badge, Button, Calendar, Card, Input, Popover, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { download, request } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Obligation, ObligationKind, ObligationPage, ObligationStatus } from '../../api/types';
import { useLocale, useT } from '../../i18n';
import { shanghaiDay } from '../../utils/format';

const KINDS: ObligationKind[] = ['acceptanceApplication', 'annualReport', 'selfEvaluation', 'securityTest', 'cryptoAssessment', 'rectification'];
const STATUSES: ObligationStatus[] = ['overdue', 'dueToday', 'dueSoon', 'notDue', 'done'];
const COLOR: Record<ObligationStatus, string> = { overdue: 'red', dueToday: 'volcano', dueSoon: 'gold', notDue: 'blue', done: 'green' };
const BADGE: Record<ObligationStatus, 'error' | 'warning' | 'processing' | 'success' | 'default'> = {
  overdue: 'error', dueToday: 'error', dueSoon: 'warning', notDue: 'processing', done: 'success',
};

interface Filters {
  status: ObligationStatus[];
  kind: ObligationKind[];
  subjectType?: 'project' | 'system';
  q?: string;
}

const obligationsApi = {
  list: (query: Record<string, string | number | undefined>) => request<ObligationPage>('GET', '/obligations', { query }),
  export: (query: Record<string, string | number | undefined>) => download('/obligations/export', query, '履约事项.xlsx'),
};

function queryOf(f: Filters, range: { from?: string; to?: string }) {
  return {
    status: f.status.length > 0 ? f.status.join(',') : undefined,
    kind: f.kind.length > 0 ? f.kind.join(',') : undefined,
    subjectType: f.subjectType,
    q: f.q?.trim() || undefined,
    from: range.from,
    to: range.to,
  };
}

export default function ObligationsCalendar() {
  const t = useT();
  const { locale } = useLocale();
  const { showError } = useApiFeedback();
  const [view, setView] = useState<'calendar' | 'list'>('calendar');
  // The month shown is in the address (?month=YYYY-MM), so a link or a reload opens the same month.
  const [params, setParams] = useSearchParams();
  const month = useMemo(() => {
    const m = params.get('month');
    const d = m && /^\d{4}-\d{2}$/.test(m) ? dayjs(`${m}-01`) : null;
    return d?.isValid() ? d : shanghaiDay().startOf('month');
  }, [params]);
  const [selected, setSelected] = useState<Dayjs>(shanghaiDay());
  const setMonth = useCallback((d: Dayjs) => {
    setParams((p) => { const next = new URLSearchParams(p); next.set('month', d.format('YYYY-MM')); return next; }, { replace: true });
  }, [setParams]);
  const [filters, setFilters] = useState<Filters>({ status: [], kind: [] });
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ObligationPage | null>(null);
  /** Counts by status over every date (the summary), whatever month or page is shown. */
  const [counts, setCounts] = useState<ObligationPage['byStatus'] | null>(null);
  const [loading, setLoading] = useState(false);

  const range = useMemo(() => (view === 'calendar'
    // The calendar grid shows six weeks around the month.
    ? { from: month.startOf('month').subtract(7, 'day').format('YYYY-MM-DD'), to: month.endOf('month').add(14, 'day').format('YYYY-MM-DD') }
    : {}), [view, month]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const query = { ...queryOf(filters, range), page: view === 'calendar' ? 1 : page, pageSize: view === 'calendar' ? 2000 : 20 };
      const [shown, all] = await Promise.all([obligationsApi.list(query), obligationsApi.list({ ...queryOf(filters, {}), page: 1, pageSize: 1 })]);
      setData(shown);
      setCounts(all.byStatus);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [filters, range, page, view, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const byDay = useMemo(() => {
    const map = new Map<string, Obligation[]>();
    for (const o of data?.items ?? []) map.set(o.dueOn, [...(map.get(o.dueOn) ?? []), o]);
    return map;
  }, [data]);

  const kindLabel = (o: Obligation) =>
    `${locale === 'zh-CN' ? o.kindName.zh : o.kindName.en}${o.kind === 'annualReport' ? `（${t('obligation.year', { year: o.period })}）` : ''}`;
  const statusTag = (s: ObligationStatus) => <Tag color={COLOR[s]} className="obligation-status-tag">{t(`obligation.status.${s}`)}</Tag>;
  const subjectLink = (o: Obligation) =>
    o.projectId ? <Link to={`/projects/${o.projectId}`}>{o.subjectName}</Link> : o.systemId ? <Link to={`/catalog/systems/${o.systemId}`}>{o.subjectName}</Link> : o.subjectName;
  const left = (o: Obligation) =>
    o.status === 'done' ? '—' : o.daysLeft < 0 ? t('obligation.daysLate.value', { days: -o.daysLeft }) : t('obligation.daysLeft.value', { days: o.daysLeft });

  const cell = (date: Dayjs) => {
    const items = byDay.get(date.format('YYYY-MM-DD')) ?? [];
    if (items.length === 0) return null;
    const shown = items.slice(0, 3);
    const list = (
      <Space direction="vertical" size={4} className="obligation-popover">
        {items.map((o) => (
          <div key={o.id}>
            {statusTag(o.status)} <strong>{kindLabel(o)}</strong>
            <div>{subjectLink(o)}</div>
            <Typography.Text type="secondary" className="small">{o.organizationName} · {left(o)}</Typography.Text>
          </div>
        ))}
      </Space>
    );
    return (
      <Popover content={list} title={date.format('YYYY-MM-DD')} trigger="click">
        <ul className="obligation-cell">
          {shown.map((o) => (
            <li key={o.id} className={`obligation-item obligation-${o.status}`}>
              <Badge status={BADGE[o.status]} text={<span className="small">{kindLabel(o)}·{o.subjectName}</span>} />
            </li>
          ))}
          {items.length > shown.length && <li className="small">{t('obligation.more', { count: items.length - shown.length })}</li>}
        </ul>
      </Popover>
    );
  };

  return (
    <PageContainer className="obligations-page">
      <Alert type="info" showIcon message={t('obligation.intro')} className="obligation-intro" />
      <Card size="small" className="obligation-summary">
        <Space size="large" wrap>
          {STATUSES.map((s) => (
            <Statistic key={s} title={statusTag(s)} value={counts?.[s] ?? 0} valueStyle={{ color: s === 'overdue' || s === 'dueToday' ? '#cf1322' : s === 'dueSoon' ? '#d48806' : undefined }} />
          ))}
        </Space>
      </Card>
      <Card size="small" className="obligation-filters">
        <Space wrap>
          <Segmented
            value={view}
            onChange={(v) => { setView(v as 'calendar' | 'list'); setPage(1); }}
            options={[{ value: 'calendar', label: t('obligation.view.calendar') }, { value: 'list', label: t('obligation.view.list') }]}
          />
          <Select
            mode="multiple" allowClear className="obligation-status-filter" style={{ minWidth: 200 }} placeholder={t('obligation.status')}
            value={filters.status} onChange={(status) => { setFilters({ ...filters, status }); setPage(1); }}
            options={STATUSES.map((s) => ({ value: s, label: t(`obligation.status.${s}`) }))}
          />
          <Select
            mode="multiple" allowClear className="obligation-kind-filter" style={{ minWidth: 220 }} placeholder={t('obligation.kind')}
            value={filters.kind} onChange={(kind) => { setFilters({ ...filters, kind }); setPage(1); }}
            options={KINDS.map((k) => ({ value: k, label: t(`obligation.kind.${k}`) }))}
          />
          <Select
            allowClear style={{ minWidth: 120 }} placeholder={t('obligation.subject')} value={filters.subjectType}
            onChange={(subjectType) => { setFilters({ ...filters, subjectType }); setPage(1); }}
            options={[{ value: 'project', label: t('obligation.subject.project') }, { value: 'system', label: t('obligation.subject.system') }]}
          />
          <Input.Search
            allowClear placeholder={t('obligation.search')} style={{ width: 240 }}
            onSearch={(q) => { setFilters({ ...filters, q }); setPage(1); }}
          />
          <Button icon={<DownloadOutlined />} className="obligation-export" onClick={() => void obligationsApi.export(queryOf(filters, range)).catch(showError)}>
            {t('obligation.export')}
          </Button>
        </Space>
      </Card>
      {view === 'calendar' ? (
        <Card size="small" loading={loading && !data}>
          <Calendar
            value={selected.isSame(month, 'month') ? selected : month}
            onPanelChange={(d) => setMonth(d)}
            onSelect={(d) => { setSelected(d); if (!d.isSame(month, 'month')) setMonth(d); }}
            cellRender={(d, info) => (info.type === 'date' ? cell(d) : null)}
          />
        </Card>
      ) : (
        <Table<Obligation>
          rowKey="id"
          className="obligation-table"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 1500 }}
          pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          rowClassName={(o) => `obligation-row-${o.status}`}
          columns={[
            { title: t('obligation.dueOn'), dataIndex: 'dueOn', width: 110 },
            { title: t('obligation.status'), dataIndex: 'status', width: 100, render: (s: ObligationStatus) => statusTag(s) },
            { title: t('obligation.daysLeft'), key: 'left', width: 110, render: (_, o) => left(o) },
            { title: t('obligation.kind'), key: 'kind', width: 220, render: (_, o) => <span>{kindLabel(o)} <Tag>{o.article}</Tag></span> },
            { title: t('obligation.subject'), key: 'subject', width: 300, render: (_, o) => <span>{subjectLink(o)}{o.projectCode && <div className="small mono">{o.projectCode}</div>}</span> },
            { title: t('obligation.organization'), dataIndex: 'organizationName', width: 200 },
            { title: t('obligation.opensOn'), dataIndex: 'opensOn', width: 110, render: (v: string | null) => v ?? '—' },
            {
              title: t('obligation.rules'), dataIndex: 'ruleValues', width: 220,
              render: (v: Record<string, unknown>) => <Typography.Text type="secondary" className="small mono">{Object.entries(v).map(([k, x]) => `${k}=${String(x)}`).join('; ')}</Typography.Text>,
            },
          ]}
        />
      )}
    </PageContainer>
  );
}
