/**
 * Chart cases shared by the golden-image test and the README gallery: deterministic series (no
 * randomness, no clock) drawn with different graph options.
 */
import { TimeSeries } from '../../../../src/lib/render/time-series.js';
import type { GraphOptions } from '../../../../src/lib/render/chart/graph-options.js';

export const START = 1704060000; // 2023-12-31 22:00 UTC
const STEP = 60;
const POINTS = 120;

function wave(name: string, base: number, amplitude: number, period: number, phase: number, gaps: number[] = []): TimeSeries {
  const values = Array.from({ length: POINTS }, (_, i) => (gaps.includes(i) ? null : Math.round((base + amplitude * Math.sin((i + phase) / period)) * 100) / 100));
  return new TimeSeries(name, START + STEP, START + STEP * (POINTS + 1), STEP, values);
}

export const SERIES = (): TimeSeries[] => [
  wave('web01.cpu', 40, 15, 9, 0, [30, 31, 32]),
  wave('web02.cpu', 55, 10, 13, 3),
  wave('web03.cpu', 25, 8, 7, 5, [80]),
];

export interface ChartCase {
  name: string;
  options: GraphOptions;
  series?: () => TimeSeries[];
}

export const CHART_CASES: ChartCase[] = [
  { name: 'default', options: { width: 500, height: 300 } },
  { name: 'stacked', options: { width: 500, height: 300, areaMode: 'stacked', areaAlpha: 0.5, title: 'Stacked CPU' } },
  {
    name: 'light-staircase',
    options: { width: 500, height: 300, bgcolor: 'white', fgcolor: 'black', majorGridLineColor: 'rose', lineMode: 'staircase', yMin: 0, vtitle: 'percent' },
  },
  {
    name: 'second-axis',
    options: { width: 500, height: 300, vtitleRight: 'scaled', lineWidth: 2 },
    series: () => {
      const [a, b, c] = SERIES();
      c.options.secondYAxis = true;
      c.name = 'secondYAxis(web03.cpu)';
      c.values = c.values.map((v) => (v === null ? null : v * 1000));
      return [a, b, c];
    },
  },
  {
    name: 'styled',
    options: { width: 500, height: 300, hideGrid: true, yUnitSystem: 'none' },
    series: () => {
      const [a, b] = SERIES();
      a.color = 'ff8800';
      b.options.dashed = 5;
      const limit = new TimeSeries('limit', START + 60, START + 60 * 121, 3600, [60, 60, 60]);
      limit.color = 'red';
      return [a, b, limit];
    },
  },
  {
    name: 'pie',
    options: { width: 400, height: 300, graphType: 'pie', title: 'CPU share' },
  },
  { name: 'graph-only', options: { width: 300, height: 80, graphOnly: true } },
  { name: 'no-data', options: { width: 300, height: 150 }, series: () => [] },
];
