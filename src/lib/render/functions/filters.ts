/** Filter Series and Filter Data groups: keep or drop whole series, or null out points. */
import { GphError } from '../../errors.js';
import type { RequestContext } from '../request-context.js';
import type { TimeSeries, Value } from '../time-series.js';
import { getAggFunc, safeAvg, safeDiv, safeLen } from './aggregators.js';
import { getPercentile } from './combine.js';
import { pyG, pyRegExp, tagText, xffValues } from './helpers.js';
import { defineFunction } from './registry.js';

const OPERATORS: Record<string, (v: Value, t: number) => boolean> = {
  '=': (v, t) => v !== null && v === t,
  '!=': (v, t) => v === null || v !== t,
  '>': (v, t) => v !== null && v > t,
  '>=': (v, t) => v !== null && v >= t,
  '<': (v, t) => v === null || v < t,
  '<=': (v, t) => v === null || v <= t,
};

function filterSeries(_ctx: RequestContext, list: TimeSeries[], func: string, operator: string, threshold: number): TimeSeries[] {
  const agg = getAggFunc(func);
  const op = OPERATORS[operator];
  if (!op) throw new GphError('RENDER_BAD_ARGUMENT', `Unsupported operator: ${operator}`, { hint: `Use one of ${Object.keys(OPERATORS).join(' ')}` });
  return list.filter((s) => op(agg(s.points()), threshold));
}

/** Python's sort key wrapper: a null aggregate sorts as -inf. Stable, like list.sort. */
function sortByAgg(list: TimeSeries[], key: (s: TimeSeries) => Value, reverse: boolean): TimeSeries[] {
  const keyed = list.map((s) => ({ s, k: key(s) ?? -Infinity }));
  // Python's reverse sort keeps equal elements in their original order.
  keyed.sort((a, b) => (reverse ? (b.k > a.k ? 1 : b.k < a.k ? -1 : 0) : a.k > b.k ? 1 : a.k < b.k ? -1 : 0));
  return keyed.map((e) => e.s);
}

export function highest(list: TimeSeries[], n: number, func: string): TimeSeries[] {
  const agg = getAggFunc(func);
  return sortByAgg(list, (s) => agg(s.points()), true).slice(0, Math.trunc(n));
}

function lowest(list: TimeSeries[], n: number, func: string): TimeSeries[] {
  const agg = getAggFunc(func);
  return sortByAgg(list, (s) => agg(s.points()), false).slice(0, Math.trunc(n));
}

const nFloat = 'seriesList:seriesList, n:float';
const nInt = 'seriesList:seriesList, n:integer';

defineFunction('Filter Series', 'filterSeries', 'seriesList:seriesList, func:aggFunc, operator:string, threshold:float', 'Keeps series whose aggregate passes a comparison', filterSeries, {
  options: { operator: ['!=', '<', '<=', '=', '>', '>='] },
});
for (const [name, func, op] of [
  ['maximumAbove', 'max', '>'],
  ['minimumAbove', 'min', '>'],
  ['maximumBelow', 'max', '<='],
  ['minimumBelow', 'min', '<='],
  ['currentAbove', 'last', '>'],
  ['currentBelow', 'last', '<='],
  ['averageAbove', 'average', '>'],
  ['averageBelow', 'average', '<='],
] as const) {
  defineFunction('Filter Series', name, nFloat, `Keeps series whose ${func} is ${op} n`, (ctx, list: TimeSeries[], n: number) => filterSeries(ctx, list, func, op, n));
}
defineFunction('Filter Series', 'highest', 'seriesList:seriesList, n:integer=1, func:aggFunc="average"', 'The n series with the highest aggregate', (_ctx, list, n, func) => highest(list, n, func));
defineFunction('Filter Series', 'lowest', 'seriesList:seriesList, n:integer=1, func:aggFunc="average"', 'The n series with the lowest aggregate', (_ctx, list, n, func) => lowest(list, n, func));
for (const [name, func, high] of [
  ['highestCurrent', 'current', true],
  ['highestMax', 'max', true],
  ['highestAverage', 'average', true],
  ['lowestCurrent', 'current', false],
  ['lowestAverage', 'average', false],
] as const) {
  defineFunction('Filter Series', name, nInt, `${high ? 'highest' : 'lowest'} by ${func}`, (_ctx, list: TimeSeries[], n: number) => (high ? highest(list, n, func) : lowest(list, n, func)));
}
defineFunction('Filter Series', 'averageOutsidePercentile', nFloat, 'Series whose average is outside the percentile band', (_ctx, list: TimeSeries[], n: number) => {
  const averages = list.map((s) => safeAvg(s.points()));
  if (n < 50) n = 100 - n;
  const low = getPercentile(averages, 100 - n);
  const high = getPercentile(averages, n);
  return list.filter((_s, i) => {
    const a = averages[i];
    return !(lt(low, a) && lt(a, high));
  });
});
/** Python 3 comparison with None raises; graphite never gets there with data, so null compares false. */
const lt = (a: Value, b: Value): boolean => a !== null && b !== null && a < b;
defineFunction('Filter Series', 'removeBetweenPercentile', nFloat, 'Series that leave the point-wise percentile band', (_ctx, list: TimeSeries[], n: number) => {
  if (n < 50) n = 100 - n;
  const columns = list.map((s) => s.points());
  const length = Math.min(...columns.map((c) => c.length));
  const lows: Value[] = [];
  const highs: Value[] = [];
  for (let i = 0; i < length; i++) {
    const col = columns.map((c) => c[i]);
    lows.push(getPercentile(col, 100 - n));
    highs.push(getPercentile(col, n));
  }
  return list.filter((_s, k) => columns[k].slice(0, length).some((v, i) => !(lt(lows[i], v) && lt(v, highs[i]))));
});
defineFunction('Filter Series', 'mostDeviant', nInt, 'The n series with the largest variance', (_ctx, list: TimeSeries[], n: number) => {
  const deviants: Array<{ sigma: number; s: TimeSeries }> = [];
  for (const s of list) {
    const points = s.points();
    const mean = safeAvg(points);
    if (mean === null) continue;
    let squares = 0;
    for (const v of points) if (v !== null) squares += (v - mean) ** 2;
    const sigma = safeDiv(squares, safeLen(points));
    if (sigma === null) continue;
    deviants.push({ sigma, s });
  }
  deviants.sort((a, b) => b.sigma - a.sigma);
  return deviants.slice(0, n).map((d) => d.s);
});
defineFunction('Filter Series', 'limit', nInt, 'The first n series', (_ctx, list: TimeSeries[], n: number) => list.slice(0, n));
defineFunction('Filter Series', 'exclude', 'seriesList:seriesList, pattern:string', 'Drops series whose name matches a regex', (_ctx, list: TimeSeries[], pattern: string) => {
  const re = pyRegExp(pattern);
  return list.filter((s) => !re.test(s.name));
});
defineFunction('Filter Series', 'grep', 'seriesList:seriesList, pattern:string', 'Keeps series whose name matches a regex', (_ctx, list: TimeSeries[], pattern: string) => {
  const re = pyRegExp(pattern);
  return list.filter((s) => re.test(s.name));
});
defineFunction('Filter Series', 'removeEmptySeries', 'seriesList:seriesList, [xFilesFactor:float]', 'Drops series without data', (_ctx, list: TimeSeries[], xf?: number) => list.filter((s) => xffValues(s.points(), xf ?? 0)));
defineFunction('Filter Series', 'unique', '*seriesLists:seriesList', 'Drops series whose name was already seen', (_ctx, ...lists: TimeSeries[][]) => {
  const seen = new Set<string>();
  return lists.flat().filter((s) => (seen.has(s.name) ? false : (seen.add(s.name), true)));
});
defineFunction('Filter Series', 'useSeriesAbove', 'seriesList:seriesList, value:float, search:string, replace:string', 'Fetches a rewritten name for series above a value', async (ctx, list: TimeSeries[], value: number, search: string, replace: string) => {
  const re = pyRegExp(search, 'g');
  const names: string[] = [];
  for (const s of list) {
    if (s.values.some((v) => v === null)) throw new Error("'>' not supported between instances of 'NoneType' and 'float' (a series has nulls)");
    const max = s.values.reduce<number>((m, v) => Math.max(m, v as number), -Infinity);
    if (max > value) names.push(s.name.replace(re, replace.replace(/\\(\d)/g, '$$$1')));
  }
  if (names.length === 0) return [];
  return (await ctx.evaluate(`group(${names.join(',')})`)).filter((s) => s.length > 0);
});

function removeByValue(list: TimeSeries[], label: string, n: number, drop: (v: Value, limit: number) => boolean, limitOf: (s: TimeSeries) => number | null): TimeSeries[] {
  for (const s of list) {
    s.rename(`${label}(${s.name}, ${pyG(n)})`);
    const limit = limitOf(s);
    if (limit === null) continue;
    s.values = s.values.map((v) => (drop(v, limit) ? null : v));
  }
  return list;
}
/** nPercentile(requestContext, [s], n)[0][0], including its side effect: the nPercentile tag on s. */
const percentileOf = (n: number) => (s: TimeSeries): number | null => {
  const value = getPercentile(s.points(), n);
  if (value !== null) s.tags.nPercentile = tagText(n, true);
  return value;
};
defineFunction('Filter Data', 'removeAbovePercentile', nFloat, 'Nulls points above the n-th percentile', (_ctx, list, n: number) =>
  removeByValue(list, 'removeAbovePercentile', n, (v, p) => v !== null && v > p, percentileOf(n)),
);
defineFunction('Filter Data', 'removeBelowPercentile', nFloat, 'Nulls points below the n-th percentile', (_ctx, list, n: number) =>
  removeByValue(list, 'removeBelowPercentile', n, (v, p) => v === null || v < p, percentileOf(n)),
);
defineFunction('Filter Data', 'removeAboveValue', nFloat, 'Nulls points above n', (_ctx, list, n: number) => removeByValue(list, 'removeAboveValue', n, (v) => v !== null && v > n, () => n));
defineFunction('Filter Data', 'removeBelowValue', nFloat, 'Nulls points below n', (_ctx, list, n: number) => removeByValue(list, 'removeBelowValue', n, (v) => v === null || v < n, () => n));

export { sortByAgg };
