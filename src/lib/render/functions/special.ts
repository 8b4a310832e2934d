/** Special group: consolidation control, constants, fallbacks and naming helpers. */
import { formatFixed } from '../../python/py-format.js';
import type { TimeSeries, Value } from '../time-series.js';
import { safeLast, safeMax, safeMin } from './aggregators.js';
import { substr } from './alias.js';
import { constantSeries } from './combine.js';
import { checkStep, tagText } from './helpers.js';
import { defineAlias, defineFunction } from './registry.js';
import { formatUnits } from './units.js';

const CONSOLIDATION = ['sum', 'average', 'avg', 'avg_zero', 'min', 'max', 'first', 'last'];

function consolidateBy(list: TimeSeries[], func: string): TimeSeries[] {
  for (const s of list) {
    s.consolidationFunc = func;
    s.tags.consolidateBy = func;
    s.rename(`consolidateBy(${s.name},"${func}")`);
  }
  return list;
}

defineFunction('Special', 'consolidateBy', 'seriesList:seriesList, consolidationFunc:string', 'How points merge when consolidated', (_ctx, list: TimeSeries[], func: string) => consolidateBy(list, func), {
  options: { consolidationFunc: CONSOLIDATION },
});
defineFunction('Special', 'cumulative', 'seriesList:seriesList', 'consolidateBy(series, "sum")', (_ctx, list: TimeSeries[]) => consolidateBy(list, 'sum'));
defineFunction('Special', 'setXFilesFactor', 'seriesList:seriesList, xFilesFactor:float', 'Sets the xFilesFactor used by later consolidation', (ctx, list: TimeSeries[], xf: number) => {
  ctx.xFilesFactor = xf;
  for (const s of list) {
    s.xFilesFactor = xf;
    s.tags.xFilesFactor = tagText(xf, true);
  }
  return list;
});
defineAlias('xFilesFactor', 'setXFilesFactor');
defineFunction('Special', 'changed', 'seriesList:seriesList', '1 where the value changed, else 0', (_ctx, list: TimeSeries[]) => {
  for (const s of list) {
    s.rename(`changed(${s.name})`);
    let previous: Value = null;
    s.values = s.values.map((v) => {
      if (previous === null) {
        previous = v;
        return 0;
      }
      if (v !== null && previous !== v) {
        previous = v;
        return 1;
      }
      return 0;
    });
    s.integers = true;
  }
  return list;
});
defineFunction('Special', 'constantLine', 'value:float', 'A horizontal line over the range', (ctx, value: number) => [constantSeries(ctx, value)]);
defineFunction('Special', 'fallbackSeries', 'seriesList:seriesList, fallback:seriesList', 'The fallback when the list is empty', (_ctx, list: TimeSeries[], fallback: TimeSeries[]) => (list.length > 0 ? list : fallback));
defineFunction('Special', 'substr', 'seriesList:seriesList, start:node=0, stop:node=0', 'Names each series by a slice of its nodes', (_ctx, list: TimeSeries[], start: number, stop: number) => substr(list, start, stop));
defineFunction('Special', 'randomWalkFunction', 'name:string, step:integer=60', 'A random walk (not reproducible)', (ctx, name: string, step: number) => {
  checkStep('randomWalk', 'step', step, ctx.endTime - ctx.startTime);
  const values: Value[] = [];
  let current = 0;
  for (let t = ctx.startTime; t < ctx.endTime; t += step) {
    values.push(current);
    current += Math.random() - 0.5;
  }
  const line = constantSeries(ctx, 0);
  return [line.copy({ name, start: Math.trunc(ctx.startTime), end: Math.trunc(ctx.endTime), step, values, tags: { name } })];
});
defineAlias('randomWalk', 'randomWalkFunction');
defineFunction('Special', 'cactiStyle', 'seriesList:seriesList, [system:string], [units:string]', 'Aligned "Current Max Min" legends', (_ctx, list: TimeSeries[], system?: string, units?: string) => {
  if (list.length === 0) return list;
  const fmt = (x: number): string => {
    if (system) {
      const [v, prefix] = formatUnits(x, system, units);
      return units ? `${formatFixed(v, 2)} ${prefix}` : `${formatFixed(v, 2)}${prefix}`;
    }
    return units ? `${formatFixed(x, 2)} ${units}` : formatFixed(x, 2);
  };
  const width = (pick: (values: readonly Value[]) => Value): number => Math.max(0, ...list.map((s) => fmt(Math.trunc(pick(s.points()) || 3)).length)) + 3;
  const nameLen = Math.max(0, ...list.map((s) => s.name.length));
  const lastLen = width(safeLast);
  const maxLen = width(safeMax);
  const minLen = width(safeMin);
  for (const s of list) {
    const show = (v: Value): string => (v === null ? 'nan' : fmt(v));
    const points = s.points();
    s.name = `${s.name.padEnd(nameLen)} Current:${show(safeLast(points)).padEnd(lastLen)} Max:${show(safeMax(points)).padEnd(maxLen)} Min:${show(safeMin(points)).padEnd(minLen)} `;
  }
  return list;
}, { options: { system: ['binary', 'si'] } });
defineFunction('Special', 'seriesByTag', '*tagExpressions:string', 'Tagged series matching tag expressions (needs tags)', () => []);
defineFunction('Special', 'events', '*tags:string', 'Events per second (needs the events database)', () => []);
