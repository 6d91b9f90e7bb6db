// 数据流图 (第十条: 各部门分项与整体之间的数据流、系统接口): the participants (and the systems named at
// the ends of the flows, each tied to its department) as nodes, each data flow as a directed edge
// labelled with its data items. The departments stand on a circle (two face each other), each
// one's systems between it and the centre, so the flows cross the middle roughly level and their
// labels stay readable; nodes can be dragged, the view zoomed and moved. The chart is ECharts'
// graph series, with only the pieces used here registered.
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef } from 'react';
import * as echarts from 'echarts/core';
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  LegendComponent,
  TooltipComponent,
  type AriaComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useLocale, useT } from '../../i18n';
import type { DataFlow, FrameworkParticipant } from './frameworksApi';

echarts.use([GraphChart, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<GraphSeriesOption | LegendComponentOption | TooltipComponentOption | AriaComponentOption>;

const DEPARTMENT_COLOR = '#1351b4';
const SYSTEM_COLOR = '#13a8a8';
const FLOW_COLOR = '#d46b08';

/** The PNG of the diagram as drawn now (for 导出图片). */
export interface DataFlowGraphHandle {
  toPng: () => string | null;
}

interface GraphNode {
  id: string;
  name: string;
  category: number;
  symbolSize: number | number[];
  symbol?: string;
  /** What the tooltip shows. */
  detail: string;
  x?: number;
  y?: number;
}

interface GraphLink {
  source: string;
  target: string;
  kind: 'flow' | 'owns';
  label?: string;
  detail?: string;
  curveness: number;
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The nodes and edges of the diagram. */
export function graphOf(
  participants: FrameworkParticipant[],
  flows: DataFlow[],
  names: { department: string; system: string; items: string; frequency: string; method: string; sep: string },
  vertical = false,
) {
  const nodes = new Map<string, GraphNode>();
  const links: GraphLink[] = [];
  for (const p of participants) {
    nodes.set(`org:${p.organizationId}`, { id: `org:${p.organizationId}`, name: p.organizationName, category: 0, symbolSize: 58, detail: p.organizationName });
  }
  const endpoint = (e: DataFlow['from']) => {
    const org = `org:${e.organizationId}`;
    if (!nodes.has(org)) nodes.set(org, { id: org, name: e.organizationName, category: 0, symbolSize: 58, detail: e.organizationName });
    if (!e.system) return org;
    const id = `sys:${e.organizationId}:${e.system}`;
    if (!nodes.has(id)) {
      nodes.set(id, { id, name: e.system, category: 1, symbol: 'roundRect', symbolSize: [30, 22], detail: `${e.system}（${e.organizationName}）` });
      links.push({ source: org, target: id, kind: 'owns', curveness: 0 });
    }
    return id;
  };
  // Flows between the same two ends in the same direction fan out; the opposite direction
  // curves to the other side by itself.
  const seen = new Map<string, number>();
  for (const f of flows) {
    const source = endpoint(f.from);
    const target = endpoint(f.to);
    const key = `${source}>${target}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const items = f.dataItems.join(names.sep);
    links.push({
      source,
      target,
      kind: 'flow',
      label: truncate(items, 16),
      detail: `${f.from.system ?? f.from.organizationName} → ${f.to.system ?? f.to.organizationName}<br/>${names.items}${escapeHtml(items)}<br/>${names.frequency}${escapeHtml(f.frequencyName.zh)} · ${names.method}${escapeHtml(f.interfaceMethodName.zh)}`,
      curveness: 0.2 + n * 0.15,
    });
  }
  place([...nodes.values()], vertical);
  return { nodes: [...nodes.values()], links };
}

/** The departments' distance from the centre; their systems stand at SYSTEM_RATIO of it, SYSTEM_GAP apart. */
const RADIUS = 400;
const SYSTEM_RATIO = 0.42;
const SYSTEM_GAP = 220;

/**
 * Positions: departments on a circle (the first on the left; on top when `vertical`, for a narrow
 * screen), each one's systems spread across its radius, nearer the centre.
 */
function place(nodes: GraphNode[], vertical: boolean) {
  const departments = nodes.filter((n) => n.category === 0);
  const n = departments.length;
  departments.forEach((dept, i) => {
    const angle = (vertical ? -Math.PI / 2 : Math.PI) + (2 * Math.PI * i) / Math.max(n, 1);
    const [cx, cy] = n === 1 ? [0, 0] : [RADIUS * Math.cos(angle), RADIUS * Math.sin(angle)];
    dept.x = cx;
    dept.y = cy;
    const orgId = dept.id.slice('org:'.length);
    const systems = nodes.filter((s) => s.category === 1 && s.id.startsWith(`sys:${orgId}:`));
    // Across the radius: perpendicular to the line from the centre to the department.
    const [px, py] = n === 1 ? [1, 0] : [-Math.sin(angle), Math.cos(angle)];
    const [bx, by] = n === 1 ? [0, 160] : [cx * SYSTEM_RATIO, cy * SYSTEM_RATIO];
    systems.forEach((system, k) => {
      const offset = (k - (systems.length - 1) / 2) * SYSTEM_GAP;
      system.x = bx + px * offset;
      system.y = by + py * offset;
    });
  });
}

const DataFlowGraph = forwardRef<
  DataFlowGraphHandle,
  { participants: FrameworkParticipant[]; flows: DataFlow[]; height: number; vertical?: boolean }
>(function DataFlowGraph({ participants, flows, height, vertical = false }, ref) {
  const t = useT();
  const { locale } = useLocale();
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useImperativeHandle(ref, () => ({
    toPng: () => chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? null,
  }));

  const graph = useMemo(
    () =>
      graphOf(participants, flows, {
        department: t('framework.graph.department'),
        system: t('framework.graph.system'),
        items: t('framework.graph.items'),
        frequency: t('framework.graph.frequency'),
        method: t('framework.graph.method'),
        sep: t('common.listSeparator'),
      }, vertical),
    [participants, flows, t, vertical],
  );

  useEffect(() => {
    if (!container.current) return;
    const instance = echarts.init(container.current, undefined, { renderer: 'canvas', locale: locale === 'zh-CN' ? 'ZH' : 'EN' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [locale]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const departments = graph.nodes.filter((n) => n.category === 0).length;
    const systems = graph.nodes.length - departments;
    const option: Option = {
      aria: {
        enabled: true,
        label: { description: t('framework.graph.aria', { departments, systems, flows: flows.length }) },
      },
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (params) => {
          const p = params as unknown as { dataType: 'node' | 'edge'; data: GraphNode | GraphLink };
          if (p.dataType === 'node') return escapeHtml((p.data as GraphNode).detail);
          const link = p.data as GraphLink;
          return link.kind === 'flow' ? (link.detail ?? '') : '';
        },
      },
      legend: {
        data: [t('framework.graph.department'), t('framework.graph.system')],
        top: 4,
        left: 8,
        selectedMode: false,
      },
      series: [
        {
          type: 'graph',
          layout: 'none',
          // the positions are geometry: scale both axes alike
          preserveAspect: true,
          roam: true,
          draggable: true,
          top: 60,
          bottom: vertical ? 70 : 48,
          left: vertical ? 60 : 90,
          right: vertical ? 60 : 90,
          categories: [
            { name: t('framework.graph.department'), itemStyle: { color: DEPARTMENT_COLOR } },
            { name: t('framework.graph.system'), itemStyle: { color: SYSTEM_COLOR } },
          ],
          label: {
            show: true,
            position: 'bottom',
            width: 120,
            overflow: 'break',
            fontSize: 12,
            color: '#262626',
          },
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: [0, 9],
          emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
          data: graph.nodes.map((n) => ({ ...n, label: n.category === 1 ? { fontSize: 11, color: '#595959' } : undefined })),
          links: graph.links.map((l) =>
            l.kind === 'owns'
              ? { ...l, symbol: ['none', 'none'], lineStyle: { type: 'dashed', color: '#bfbfbf', width: 1, curveness: 0 }, label: { show: false }, tooltip: { show: false } }
              : {
                  ...l,
                  lineStyle: { color: FLOW_COLOR, width: 2, curveness: l.curveness, opacity: 0.9 },
                  label: { show: true, formatter: l.label ?? '', fontSize: 11, color: '#ad4e00', backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3] },
                },
          ) as GraphSeriesOption['links'],
        },
      ],
    };
    instance.setOption(option, true);
  }, [graph, flows.length, t, locale]);

  return <div ref={container} className="data-flow-graph" style={{ height }} data-flows={flows.length} data-nodes={graph.nodes.length} />;
});

export default DataFlowGraph;
