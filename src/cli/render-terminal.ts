/**
 * `gph render --format terminal`: the series as a text chart (asciichart), one colour per series
 * (chalk), with the time range, y-axis labels in SI units and a legend. Points are averaged down
 * to the terminal width; gaps are bridged for drawing and counted in the legend.
 */
import asciichart from 'asciichart';
import { Chalk } from 'chalk';
import { formatUnits } from '../lib/render/functions/units.js';
import { formatFixed } from '../lib/python/py-format.js';
import type { TimeSeries } from '../lib/render/time-series.js';
import { formatWall } from '../lib/render/zone-time.js';

const LINE_COLORS = [asciichart.blue, asciichart.green, asciichart.red, asciichart.magenta, asciichart.yellow, asciichart.cyan, asciichart.lightblue, asciichart.lightgreen, asciichart.lightred, asciichart.lightmagenta];
const LEGEND_COLORS = ['blue', 'green', 'red', 'magenta', 'yellow', 'cyan', 'blueBright', 'greenBright', 'redBright', 'magentaBright'] as const;
const LABEL_WIDTH = 9;

export interface TerminalChartOptions {
  width: number;
  height: number;
  color: boolean;
  tz: string;
  startTime: number;
  endTime: number;
}

/** Averages `values` into `columns` buckets (null where a bucket has no data). */
export function resample(values: ReadonlyArray<number | null>, columns: number): Array<number | null> {
  if (values.length <= columns) return values.slice();
  const out: Array<number | null> = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * values.length) / columns);
    const to = Math.floor(((c + 1) * values.length) / columns);
    let sum = 0;
    let n = 0;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v !== null && Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    out.push(n ? sum / n : null);
  }
  return out;
}

/** Linear bridges over gaps; leading/trailing gaps take the nearest value. */
function bridge(values: Array<number | null>): number[] {
  const known = values.map((v, i) => [i, v] as const).filter(([, v]) => v !== null) as Array<readonly [number, number]>;
  return values.map((v, i) => {
    if (v !== null) return v;
    const after = known.find(([k]) => k > i);
    const before = [...known].reverse().find(([k]) => k < i);
    if (before && after) return before[1] + ((after[1] - before[1]) * (i - before[0])) / (after[0] - before[0]);
    return (before ?? after)![1];
  });
}

export function unitLabel(value: number): string {
  const [scaled, prefix] = formatUnits(value, 'si');
  const text = `${Number(formatFixed(scaled, 2))}${prefix}`;
  return text.padStart(LABEL_WIDTH);
}

export function terminalChart(seriesList: readonly TimeSeries[], options: TerminalChartOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const range = `${formatWall(options.startTime, options.tz, false)} .. ${formatWall(options.endTime, options.tz, false)} ${options.tz}`;
  if (seriesList.length === 0) return `No data (${range})\n`;
  const columns = Math.max(10, options.width - LABEL_WIDTH - 3);
  const drawable: number[][] = [];
  const colors: string[] = [];
  const legend: string[] = [];
  seriesList.forEach((s, i) => {
    const points = s.points().map((v) => (v !== null && Number.isFinite(v) ? v : null));
    const nulls = points.filter((v) => v === null).length;
    const colorName = LEGEND_COLORS[i % LEGEND_COLORS.length];
    const sampled = resample(points, columns);
    let note = '';
    if (nulls === points.length) note = ' (no data)';
    else {
      drawable.push(bridge(sampled));
      colors.push(LINE_COLORS[i % LINE_COLORS.length]);
      if (nulls) note = ` (${nulls} of ${points.length} points null)`;
    }
    legend.push(`${chalk[colorName]('━━')} ${s.name}${note}`);
  });
  let chart = '';
  if (drawable.length) {
    chart = asciichart.plot(drawable, {
      height: options.height,
      colors: options.color ? colors : undefined,
      format: (x: number) => unitLabel(x),
    });
    chart += '\n';
  } else chart = 'No data points in range\n';
  return `${chalk.bold(range)}\n${chart}${legend.join('\n')}\n`;
}
