// 第三十二条 经费安排建议: next year's investment and O&M recommendation for every project in
// construction or built, and for every department, with every reason and its points
// (docs/scoring-model.md). For 国家发展改革委 and 财政部 (funding:read). Both lists export to .xlsx.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Input, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';
import {
  oversightApi, type DepartmentRecommendation, type FundingList, type FundingQuery, type FundingReason, type ProjectRecommendation, type Recommendation,
} from './oversightApi';
import { BandTag } from './RiskUi';
import './oversight.css';

const REC_COLOR: Record<string, string> = { prioritize: 'green', normal: 'blue', reduce: 'orange', defer: 'red', notApplicable: 'default' };
const RECS: Recommendation[] = ['prioritize', 'normal', 'reduce', 'defer'];

function RecTag({ value }: { value: string }) {
  const { tx } = useLocale();
  return <Tag color={REC_COLOR[value]} className={`funding-rec funding-rec-${value}`}>{tx(`oversight.rec.${value}`, value)}</Tag>;
}

function Reasons({ reasons, points }: { reasons: FundingReason[]; points: boolean }) {
  const { locale } = useLocale();
  return (
    <ul className="oversight-reasons">
      {reasons.map((r, i) => <li key={i}>{locale === 'zh-CN' ? r.zh : r.en}{points && r.points !== 0 ? `（${r.points > 0 ? '+' : ''}${r.points}）` : ''}</li>)}
    </ul>
  );
}

export default function FundingRecommendations() {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [level, setLevel] = useState<'projects' | 'departments'>('departments');
  const [query, setQuery] = useState<FundingQuery>({});
  const [projects, setProjects] = useState<FundingList<ProjectRecommendation> | null>(null);
  const [departments, setDepartments] = useState<FundingList<DepartmentRecommendation> | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    let alive = true;
    const load = level === 'projects'
      ? oversightApi.fundingProjects(query).then((r) => alive && setProjects(r))
      : oversightApi.fundingDepartments(query).then((r) => alive && setDepartments(r));
    load.catch(showError);
    return () => {
      alive = false;
    };
  }, [level, query, showError]);

  const list = level === 'projects' ? projects : departments;
  const exportList = async () => {
    setExporting(true);
    try {
      await (level === 'projects' ? oversightApi.exportFundingProjects(query) : oversightApi.exportFundingDepartments(query));
      void message.success(t('common.exported'));
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  return (
    <PageContainer title={t('menu.oversight.funding')} subTitle={list ? t('oversight.funding.forYear', { year: list.forYear }) : undefined}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small">
          <Space wrap size={24}>
            {RECS.map((r) => <Statistic key={r} title={<RecTag value={r} />} value={list ? list.counts[r] : '—'} />)}
          </Space>
        </Card>
        <Card>
          <Space wrap style={{ marginBottom: 12 }}>
            <Segmented<'projects' | 'departments'> value={level} onChange={setLevel}
              options={[{ value: 'departments', label: t('oversight.funding.departments') }, { value: 'projects', label: t('oversight.funding.projects') }]} />
            <Select<Recommendation | undefined> allowClear placeholder={t('oversight.funding.recommendation')} style={{ width: 150 }} value={query.recommendation}
              onChange={(v) => setQuery((q) => ({ ...q, recommendation: v }))} options={RECS.map((r) => ({ value: r, label: <RecTag value={r} /> }))} />
            <Input.Search allowClear placeholder={t('oversight.funding.search')} style={{ width: 220 }} onSearch={(v) => setQuery((q) => ({ ...q, q: v || undefined }))} />
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportList()}>{t('oversight.exportList')}</Button>
            <Typography.Text type="secondary">{t('oversight.funding.model')}</Typography.Text>
          </Space>
          {level === 'departments' ? (
            <Table<DepartmentRecommendation> rowKey="departmentId" size="small" loading={departments === null} dataSource={departments?.items ?? []} scroll={{ x: 800 }}
              columns={[
                { title: t('oversight.funding.department'), dataIndex: 'departmentName', width: 240 },
                { title: t('oversight.funding.projectCount'), dataIndex: 'projects', width: 80, align: 'right' },
                { title: t('oversight.funding.meanScore'), dataIndex: 'meanScore', width: 90, align: 'right' },
                { title: t('oversight.funding.recommendation'), key: 'r', width: 100, render: (_, d) => <RecTag value={d.recommendation} /> },
                { title: t('oversight.funding.reasons'), key: 'reasons', render: (_, d) => <Reasons reasons={d.reasons} points={false} /> },
              ]} />
          ) : (
            <Table<ProjectRecommendation> rowKey="projectId" size="small" loading={projects === null} dataSource={projects?.items ?? []} scroll={{ x: 1100 }}
              columns={[
                { title: t('oversight.col.project'), key: 'name', width: 260, render: (_, p) => <span><Link to={`/oversight/risk/${p.projectId}`}>{p.name}</Link><div className="small">{p.departmentName}</div></span> },
                { title: t('oversight.funding.score'), dataIndex: 'score', width: 70, align: 'right' },
                { title: t('oversight.funding.investment'), key: 'i', width: 100, render: (_, p) => <RecTag value={p.investment} /> },
                { title: t('oversight.funding.operations'), key: 'o', width: 100, render: (_, p) => <RecTag value={p.operations} /> },
                { title: t('oversight.col.band'), key: 'band', width: 80, render: (_, p) => <BandTag band={p.riskBand} /> },
                { title: t('oversight.funding.reasons'), key: 'reasons', render: (_, p) => <Reasons reasons={p.reasons} points /> },
              ]} />
          )}
        </Card>
      </Space>
    </PageContainer>
  );
}
