// 统计分析 (SPEC §9; issue 6 item 7): the portfolio by stage, department, year and region;
// investment approved vs released vs spent; overdue obligations; the risk distribution. Every chart
// counts only what the caller may read (the server applies the data scope), every bar or slice opens
// the list of projects behind it, and every chart exports as an image (ECharts getDataURL) and its
// data as .xlsx (server export).
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Empty, Row, Space, Spin, Tooltip } from 'antd';
import { DownloadOutlined, FileImageOutlined } from '@ant-design/icons';
import * as echarts from 'echarts/core';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  AriaComponent, GridComponent, LegendComponent, TooltipComponent,
  type AriaComponentOption, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { CHARTS, oversightApi, type ChartData, type ChartName, type ChartPoint } from './oversightApi';
import './oversight.css';

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>;

export const BAND_COLORS: Record<string, string> = { green: '#389e0d', amber: '#d48806', red: '#cf1322' };
const BLUE = '#1351b4';

const TITLES: Record<ChartName, MessageKey> = {
  stage: 'oversight.chart.stage', department: 'oversight.chart.department', year: 'oversight.chart.year', region: 'oversight.chart.region',
  investment: 'oversight.chart.investment', overdue: 'oversight.chart.overdue', risk: 'oversight.chart.risk',
};

/** The drill-down URL of a point: the project list filtered by the chart's dimension. */
export function drillUrl(data: ChartData, point: ChartPoint): string {
  const params = new URLSearchParams({ [data.drill]: point.key });
  if (data.chart === 'investment') params.set('inConstruction', 'true');
  return `/oversight/projects?${params.toString()}`;
}

function optionOf(data: ChartData, label: (p: ChartPoint) => string, t: ReturnType<typeof useT>): Option {
  const points = data.points;
  if (data.chart === 'risk') {
    return {
      aria: { enabled: true },
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      series: [{
        type: 'pie', radius: ['40%', '68%'], center: ['50%', '45%'], label: { formatter: '{b}\n{c}' },
        data: points.map((p) => ({ name: label(p), value: p.count, itemStyle: { color: BAND_COLORS[p.key] } })),
      }],
    };
  }
  const horizontal = data.chart === 'department';
  const categories = points.map(label);
  const category = { type: 'category' as const, data: categories, axisLabel: { interval: 0, width: horizontal ? 140 : 80, overflow: 'truncate' as const, rotate: horizontal ? 0 : categories.length > 6 ? 30 : 0 } };
  const value = { type: 'value' as const, minInterval: 1 };
  const series: BarSeriesOption[] = data.chart === 'investment'
    ? ([['amount', 'oversight.investment.approved', '#1351b4'], ['released', 'oversight.investment.released', '#13a8a8'], ['spent', 'oversight.investment.spent', '#d46b08']] as const)
      .map(([field, name, color]) => ({ type: 'bar', name: t(name), itemStyle: { color }, data: points.map((p) => Number(p[field] ?? 0)) }))
    : [{ type: 'bar', name: t(data.chart === 'overdue' ? 'oversight.count.obligations' : 'oversight.count.projects'), itemStyle: { color: BLUE }, data: points.map((p) => p.count), barMaxWidth: 36 }];
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: data.chart === 'investment' ? { bottom: 0 } : { show: false },
    grid: { left: horizontal ? 150 : 48, right: 16, top: 16, bottom: data.chart === 'investment' ? 56 : categories.length > 6 && !horizontal ? 64 : 32, containLabel: false },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series,
  };
}

function ChartCard({ name }: { name: ChartName }) {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [data, setData] = useState<ChartData | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    oversightApi.chart(name, controller.signal).then(setData).catch((error: unknown) => {
      if (!controller.signal.aborted) showError(error);
    });
    return () => controller.abort();
  }, [name, showError]);

  const empty = data !== null && data.points.length === 0;
  useEffect(() => {
    if (!container.current || !data || empty) return undefined;
    const instance = echarts.init(container.current, undefined, { renderer: 'canvas', locale: locale === 'zh-CN' ? 'ZH' : 'EN' });
    chart.current = instance;
    const label = (p: ChartPoint) => (locale === 'zh-CN' ? p.label.zh : p.label.en);
    instance.setOption(optionOf(data, label, t), true);
    // Drill-down: a bar or slice opens the list of the projects behind it.
    instance.on('click', (params) => {
      const point = data.points[params.dataIndex];
      if (point) navigate(drillUrl(data, point));
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [data, empty, locale, navigate, t]);

  const title = t(TITLES[name]);
  const exportImage = () => {
    const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    if (!url) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = `${title}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  const exportData = async () => {
    setExporting(true);
    try {
      await oversightApi.exportChart(name);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card
      className="oversight-chart-card"
      data-chart={name}
      title={title}
      size="small"
      extra={
        <Space size={4}>
          <Tooltip title={t('oversight.exportImage')}>
            <Button size="small" type="text" icon={<FileImageOutlined />} aria-label={t('oversight.exportImage')} onClick={exportImage} disabled={!data || empty} />
          </Tooltip>
          <Tooltip title={t('oversight.exportData')}>
            <Button size="small" type="text" icon={<DownloadOutlined />} aria-label={t('oversight.exportData')} loading={exporting} onClick={() => void exportData()} disabled={!data} />
          </Tooltip>
        </Space>
      }
    >
      <Spin spinning={data === null}>
        {empty ? <Empty className="oversight-chart-empty" description={t('oversight.empty')} /> : <div ref={container} className={`oversight-chart oversight-chart-${name}`} />}
      </Spin>
      <div className="oversight-chart-hint">{t('oversight.drillHint')}</div>
    </Card>
  );
}

export default function OversightDashboard() {
  const t = useT();
  const wide: Record<ChartName, number> = { stage: 12, department: 12, year: 12, region: 12, investment: 24, overdue: 12, risk: 12 };
  return (
    <PageContainer title={t('menu.oversight.dashboard')} subTitle={t('oversight.dashboard.subtitle')}>
      <Row gutter={[16, 16]}>
        {CHARTS.map((name) => (
          <Col key={name} xs={24} xl={wide[name]}>
            <ChartCard name={name} />
          </Col>
        ))}
      </Row>
    </PageContainer>
  );
}
