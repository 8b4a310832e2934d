/** Graph group: drawing hints (colour, width, axes) and reference lines. */
import { GphError } from '../../errors.js';
import { parseATTime } from '../at-time.js';
import type { RequestContext } from '../request-context.js';
import { TimeSeries } from '../time-series.js';
import { areaBetweenPair } from './calculate.js';
import { constantSeries } from './combine.js';
import { pyG } from './helpers.js';
import { defineFunction } from './registry.js';

defineFunction('Graph', 'alpha', 'seriesList:seriesList, alpha:float', 'Sets the transparency of the series', (_ctx, list: TimeSeries[], alpha: number) => {
  for (const s of list) s.options.alpha = alpha;
  return list;
});
defineFunction('Graph', 'color', 'seriesList:seriesList, theColor:string', 'Sets the colour of the series', (_ctx, list: TimeSeries[], color: string) => {
  for (const s of list) s.color = color;
  return list;
});
defineFunction('Graph', 'lineWidth', 'seriesList:seriesList, width:float', 'Sets the line width', (_ctx, list: TimeSeries[], width: number) => {
  for (const s of list) s.options.lineWidth = width;
  return list;
});
defineFunction('Graph', 'dashed', 'seriesList:seriesList, dashLength:integer=5', 'Draws the series dashed', (_ctx, list: TimeSeries[], dash: number) => {
  for (const s of list) {
    s.tags.dashed = String(dash);
    s.name = `dashed(${s.name}, ${pyG(dash)})`;
    s.options.dashed = dash;
  }
  return list;
});
defineFunction('Graph', 'secondYAxis', 'seriesList:seriesList', 'Plots the series against a right-hand axis', (_ctx, list: TimeSeries[]) => {
  for (const s of list) {
    s.options.secondYAxis = true;
    s.tags.secondYAxis = '1';
    s.name = `secondYAxis(${s.name})`;
  }
  return list;
});
defineFunction('Graph', 'drawAsInfinite', 'seriesList:seriesList', 'Draws a vertical line at each positive value', (_ctx, list: TimeSeries[]) => {
  for (const s of list) {
    s.options.drawAsInfinite = true;
    s.tags.drawAsInfinite = '1';
    s.name = `drawAsInfinite(${s.name})`;
  }
  return list;
});
defineFunction('Graph', 'areaBetween', 'seriesList:seriesList', 'Fills the area between exactly two series', (_ctx, list: TimeSeries[]) => {
  if (list.length !== 2) {
    throw new GphError('RENDER_BAD_ARGUMENT', `areaBetween needs exactly 2 series, got ${list.length}`, { hint: 'Give it a list of two series, e.g. areaBetween(group(low, high))' });
  }
  return areaBetweenPair(list);
});
const stacks = new WeakMap<RequestContext['store'], Map<string, number[]>>();
defineFunction('Graph', 'stacked', 'seriesList:seriesList, [stack:string]', 'Running totals across the list, drawn stacked', (ctx, list: TimeSeries[], stack = '__DEFAULT__') => {
  let totals = stacks.get(ctx.store);
  if (!totals) stacks.set(ctx.store, (totals = new Map()));
  const total = totals.get(stack) ?? [];
  const out = list.map((s) => {
    const values = s.values.map((v, i) => {
      if (total.length <= i) total.push(0);
      if (v === null) return null;
      total[i] += v;
      return total[i];
    });
    let name = s.name;
    if (stack === '__DEFAULT__') {
      s.tags.stacked = stack;
      name = `stacked(${s.name})`;
    }
    const copy = s.copy({ name, values });
    copy.options.stacked = true;
    return copy;
  });
  totals.set(stack, total);
  return out;
});
defineFunction('Graph', 'threshold', 'value:float, [label:string], [color:string]', 'A horizontal line at a value', (ctx, value: number, label?: string, color?: string) => {
  const series = constantSeries(ctx, value);
  if (label) series.name = label;
  if (color) series.color = color;
  return [series];
});
defineFunction('Graph', 'verticalLine', 'ts:date, [label:string], [color:string]', 'A vertical line at a time', (ctx, ts: string | number, label?: string, color?: string) => {
  const at = Math.trunc(parseATTime(String(ts), ctx.tz, ctx.clock.now()));
  const start = Math.trunc(ctx.startTime);
  const end = Math.trunc(ctx.endTime);
  if (at < start) throw new GphError('RENDER_BAD_ARGUMENT', `verticalLine(): timestamp ${at} exists before start of range`, { hint: 'Pick a time inside --from/--until' });
  if (at > end) throw new GphError('RENDER_BAD_ARGUMENT', `verticalLine(): timestamp ${at} exists after end of range`, { hint: 'Pick a time inside --from/--until' });
  const series = new TimeSeries(label ?? 'None', at, at, 1, [1, 1], { xFilesFactor: ctx.xFilesFactor });
  series.options.drawAsInfinite = true;
  if (color) series.color = color;
  return [series];
});

