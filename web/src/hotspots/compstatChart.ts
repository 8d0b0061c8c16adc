// The CompStat chart: per district, this period's count next to the previous period's and the same period a year
// earlier (grouped bars), significant changes marked. ECharts with only the parts it needs (bar chart, grid, legend,
// tooltip, canvas renderer) through echarts/core; the panel loads this module on first use, so the dashboard's
// first load does not carry it.
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendPlainComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartSeries } from './compstat';

echarts.use([BarChart, GridComponent, LegendPlainComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface ChartLabels {
  current: string;
  previous: string;
  lastYear: string;
  district: (code: string) => string;
  number: (value: number) => string;
  /** The tooltip line of a district's change against the previous period. */
  change: (index: number) => string;
}

export const chartColors = { current: '#3fa7ff', previous: '#7489a8', lastYear: '#b37feb', significant: '#ffb020' };

const font = "'Noto Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', sans-serif";

export class CompStatChart {
  private readonly chart: echarts.ECharts;
  private readonly resize = new ResizeObserver(() => this.chart.resize());

  constructor(readonly element: HTMLElement) {
    this.chart = echarts.init(element, null, { renderer: 'canvas' });
    this.resize.observe(element);
  }

  update(series: ChartSeries, labels: ChartLabels): void {
    const bar = (name: string, data: number[], color: string, emphasise = false): BarSeriesOption => ({
      type: 'bar',
      name,
      data: data.map((value, i) => ({
        value,
        // a significant change is outlined on this period's bar
        itemStyle: emphasise && series.significant[i] ? { borderColor: chartColors.significant, borderWidth: 2 } : {},
      })),
      itemStyle: { color, borderRadius: [2, 2, 0, 0] },
      barMaxWidth: 18,
      animation: false,
    });
    const option: Option = {
      backgroundColor: 'transparent',
      textStyle: { fontFamily: font, color: '#a9bbd4' },
      grid: { left: 44, right: 12, top: 34, bottom: 26 },
      legend: { top: 4, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { color: '#a9bbd4', fontSize: 11 } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        backgroundColor: '#16243d',
        borderColor: '#2a3b5c',
        textStyle: { color: '#dbe5f3', fontSize: 12 },
        valueFormatter: (value) => labels.number(Number(value)),
        formatter: (params) => {
          const list = Array.isArray(params) ? params : [params];
          const index = list[0]?.dataIndex ?? 0;
          // the tooltip is HTML: every text from data or strings is escaped
          const text = echarts.format.encodeHTML;
          const marker = (p: (typeof list)[number]): string => (typeof p.marker === 'string' ? p.marker : '');
          const rows = list.map((p) => `${marker(p)} ${text(p.seriesName ?? '')}: <b>${text(labels.number(Number(p.value ?? 0)))}</b>`);
          return [`<b>${text(labels.district(series.districts[index] ?? ''))}</b>`, ...rows, text(labels.change(index))].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: series.districts.map((d) => labels.district(d)),
        axisLine: { lineStyle: { color: '#2a3b5c' } },
        axisLabel: { color: '#a9bbd4', fontSize: 11, interval: 0 },
      },
      yAxis: {
        type: 'value',
        splitLine: { lineStyle: { color: '#1f2d47' } },
        axisLabel: { color: '#7489a8', fontSize: 10, formatter: (v: number) => labels.number(v) },
      },
      series: [
        bar(labels.current, series.current, chartColors.current, true),
        bar(labels.previous, series.previous, chartColors.previous),
        bar(labels.lastYear, series.lastYear, chartColors.lastYear),
      ],
    };
    this.chart.setOption(option, { notMerge: true });
  }

  dispose(): void {
    this.resize.disconnect();
    this.chart.dispose();
  }
}
