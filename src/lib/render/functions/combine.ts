/** Combine group: functions that merge several series into fewer (graphite-web "Combine"). */
import { GphError } from '../../errors.js';
import type { RequestContext } from '../request-context.js';
import { TimeSeries, type Value } from '../time-series.js';
import { getAggFunc, safeDiv, safeMul, safePow, safeSum } from './aggregators.js';
import { aggKey, formatPathExpressions, lcm, mapRows, nameText, normalize, pyG, xff, xffValues } from './helpers.js';
import { defineAlias, defineFunction, lookupFunction } from './registry.js';

type Lists = TimeSeries[][];

/** Series grouped by a key, groups in order of first appearance (graphite's metaSeries + keys). */
function groupBy(seriesList: readonly TimeSeries[], keyOf: (s: TimeSeries) => string): Map<string, TimeSeries[]> {
  const groups = new Map<string, TimeSeries[]>();
  for (const s of seriesList) {
    const key = keyOf(s);
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

function tryNormalize(lists: readonly (readonly TimeSeries[])[]): ReturnType<typeof normalize> | null {
  try {
    return normalize(lists);
  } catch {
    return null;
  }
}

const COLUMN_FUNCS = new Set(['sum', 'total', 'average', 'avg', 'min', 'max', 'count']);

/**
 * The common aggregations computed series by series into typed arrays instead of row by row:
 * each row's values are still combined in series order, so sums round exactly as Python's sum().
 * Returns undefined for the other functions.
 */
function columnAggregate(seriesList: readonly TimeSeries[], func: string, xFilesFactor: number): Value[] | undefined {
  if (!COLUMN_FUNCS.has(func)) return undefined;
  // Fetched series are read unboxed when they are not consolidated (no boxed copy is made).
  const columns = seriesList.map((s) => (s.raw && s.valuesPerPoint <= 1 ? s.raw : s.points()));
  const length = columns.reduce((n, c) => Math.max(n, Array.isArray(c) ? c.length : c.values.length), 0);
  const counts = new Int32Array(length);
  const acc = new Float64Array(length);
  const isMin = func === 'min';
  const isMax = func === 'max';
  const sum = !isMin && !isMax;
  for (const column of columns) {
    // One monomorphic loop per representation and case: this runs once per point of every input.
    if (Array.isArray(column)) {
      for (let i = 0; i < column.length; i++) {
        const v = column[i];
        if (v === null) continue;
        if (counts[i] === 0) acc[i] = sum ? 0 + v : v;
        else if (sum) acc[i] += v;
        else if (isMin ? v < acc[i] : v > acc[i]) acc[i] = v;
        counts[i]++;
      }
      continue;
    }
    const { values, known } = column;
    if (sum) {
      for (let i = 0; i < values.length; i++) {
        if (known[i] === 0) continue;
        acc[i] += values[i];
        counts[i]++;
      }
      continue;
    }
    for (let i = 0; i < values.length; i++) {
      if (known[i] === 0) continue;
      const v = values[i];
      if (counts[i] === 0 || (isMin ? v < acc[i] : v > acc[i])) acc[i] = v;
      counts[i]++;
    }
  }
  const out = new Array<Value>(length);
  for (let i = 0; i < length; i++) {
    const n = counts[i];
    if (!xff(n, columns.length, xFilesFactor)) out[i] = null;
    else if (func === 'count') out[i] = n;
    else if (func === 'average' || func === 'avg') out[i] = acc[i] / n;
    else out[i] = acc[i];
  }
  return out;
}

/** aggregate(): one series combining every input point by point. */
export function aggregateSeries(ctx: RequestContext, input: TimeSeries[] | Lists, func: string, xFilesFactor?: number): TimeSeries[] {
  const raw = func;
  if (func.endsWith('Series')) func = func.slice(0, -6);
  const fn = getAggFunc(func, raw);
  if (input.length === 0) return [];
  const lists: Lists = input[0] instanceof TimeSeries ? [input as TimeSeries[]] : (input as Lists);
  const normalized = tryNormalize(lists);
  if (!normalized) return [];
  const { seriesList, start, end, step } = normalized;
  const xffValue = xFilesFactor ?? ctx.xFilesFactor;
  const name = `${func}Series(${formatPathExpressions(seriesList)})`;
  const values = columnAggregate(seriesList, func, xffValue) ?? mapRows(seriesList, (row) => (xffValues(row, xffValue) ? fn(row) : null));
  let tags: Record<string, string> = { ...seriesList[0].tags };
  for (const s of seriesList) tags = Object.fromEntries(Object.entries(tags).filter(([k, v]) => s.tags[k] === v));
  if (!('name' in tags)) tags.name = name;
  tags.aggregatedBy = func;
  return [new TimeSeries(name, start, end, step, values, { xFilesFactor: xffValue, tags, integers: func === 'count' })];
}

function aggregateSeriesLists(ctx: RequestContext, first: TimeSeries[], second: TimeSeries[], func: string, xFilesFactor?: number): TimeSeries[] {
  if (first.length !== second.length) {
    throw new GphError('RENDER_BAD_ARGUMENT', 'seriesListFirstPos and seriesListSecondPos argument must have equal length', { hint: 'Give both lists the same number of series' });
  }
  const results: TimeSeries[] = [];
  first.forEach((a, i) => {
    const b = second[i];
    const aggregated = aggregateSeries(ctx, [a, b], func, xFilesFactor);
    if (aggregated.length === 0) return;
    const result = aggregated[0];
    const cut = result.name.indexOf('Series(');
    result.name = `${result.name.slice(0, cut === -1 ? result.name.length - 1 : cut)}Series(${a.name},${b.name})`;
    results.push(result);
  });
  return results;
}

function aggregateWithWildcards(ctx: RequestContext, seriesList: TimeSeries[], func: string, ...positions: number[]): TimeSeries[] {
  const groups = groupBy(seriesList, (s) =>
    s.name
      .split('.')
      .filter((_, i) => !positions.includes(i))
      .join('.'),
  );
  const out: TimeSeries[] = [];
  for (const [key, members] of groups) {
    const result = aggregateSeries(ctx, members, func)[0];
    result.name = key;
    out.push(result);
  }
  return out;
}

/** Consolidates two series to a common step (divideSeries & co). */
function alignPair(a: TimeSeries, b: TimeSeries): { start: number; end: number; step: number } {
  const step = lcm(a.step, b.step);
  for (const s of [a, b]) s.consolidate(Math.floor(step / s.step));
  const start = Math.min(a.start, b.start);
  let end = Math.max(a.end, b.end);
  end -= (end - start) % step;
  return { start, end, step };
}

function divide(ctx: RequestContext, a: TimeSeries, b: TimeSeries): TimeSeries {
  const { start, end, step } = alignPair(a, b);
  const values = mapRows([a, b], ([x, y]) => safeDiv(x, y));
  return new TimeSeries(`divideSeries(${a.name},${b.name})`, start, end, step, values, { xFilesFactor: ctx.xFilesFactor });
}

function sumOfGroup(ctx: RequestContext, members: TimeSeries[]): TimeSeries {
  if (members.length === 1) return members[0];
  const name = `sumSeries(${formatPathExpressions(members)})`;
  const { start, end, step } = normalize([members]);
  return new TimeSeries(name, start, end, step, mapRows(members, safeSum), { xFilesFactor: ctx.xFilesFactor });
}

function percentOf(a: TimeSeries, b: TimeSeries | null, ctx: RequestContext, name: string): TimeSeries {
  if (!b) return new TimeSeries(name, a.start, a.end, a.step, a.points().map(() => null), { xFilesFactor: ctx.xFilesFactor });
  const { start, end, step } = normalize([[a, b]]);
  const values = mapRows([a, b], ([x, y]) => safeMul(safeDiv(x, y), 100));
  return new TimeSeries(name, start, end, step, values, { xFilesFactor: ctx.xFilesFactor });
}

function asPercent(ctx: RequestContext, seriesList: TimeSeries[], total: unknown, ...nodes: Array<number | string>): TimeSeries[] {
  const { start, end, step } = normalize([seriesList]);
  const xFilesFactor = ctx.xFilesFactor;
  if (nodes.length > 0) {
    const groups = groupBy(seriesList, (s) => aggKey(s, nodes));
    const keys = [...groups.keys()];
    const totals = new Map<string, TimeSeries>();
    if (total === null || total === undefined) {
      for (const key of keys) totals.set(key, sumOfGroup(ctx, groups.get(key)!));
    } else if (Array.isArray(total)) {
      for (const [key, members] of groupBy(total as TimeSeries[], (s) => aggKey(s, nodes))) {
        if (!keys.includes(key)) keys.push(key);
        totals.set(key, sumOfGroup(ctx, members));
      }
    } else {
      throw new GphError('RENDER_BAD_ARGUMENT', 'asPercent(): total must be None or a seriesList when nodes are given', { hint: 'Pass a series list as total, or no total' });
    }
    const out: TimeSeries[] = [];
    for (const key of keys) {
      const members = groups.get(key);
      const totalSeries = totals.get(key);
      if (!members) {
        out.push(new TimeSeries(`asPercent(MISSING,${totalSeries!.name})`, start, end, step, totalSeries!.points().map(() => null), { xFilesFactor }));
        continue;
      }
      for (const s of members) out.push(percentOf(s, totalSeries ?? null, ctx, `asPercent(${s.name},${totalSeries ? totalSeries.name : 'MISSING'})`));
    }
    return out;
  }
  let totalValues: Value[];
  let totalText: string;
  if (total === null || total === undefined) {
    totalValues = mapRows(seriesList, safeSum);
    totalText = `sumSeries(${formatPathExpressions(seriesList)})`;
  } else if (Array.isArray(total)) {
    const list = total as TimeSeries[];
    if (list.length !== 1 && list.length !== seriesList.length) {
      throw new GphError('RENDER_BAD_ARGUMENT', 'asPercent second argument must be missing, a single digit, reference exactly 1 series or reference the same number of series as the first argument', {
        hint: 'Pass one total series or as many as the first list',
      });
    }
    if (list.length === seriesList.length) {
      const a = [...seriesList].sort(byName);
      const b = [...list].sort(byName);
      return a.map((s, i) => percentOf(s, b[i], ctx, `asPercent(${s.name},${b[i].name})`));
    }
    normalize([seriesList, list]);
    totalValues = list[0].points();
    totalText = list[0].name;
  } else if (typeof total === 'number') {
    // graphite sizes the constant total by len(series): the raw length, not the consolidated one.
    totalValues = seriesList[0] ? seriesList[0].values.map(() => total) : [];
    const rawTotal = ctx.args[1];
    totalText = nameText(total, rawTotal?.kind === 'number' && !rawTotal.integer);
  } else {
    throw new GphError('RENDER_BAD_ARGUMENT', `asPercent(): total must be a number or a series list, not ${JSON.stringify(total)}`, { hint: 'asPercent(seriesList, 100) or asPercent(seriesList, sumSeries(...))' });
  }
  return seriesList.map((s) => {
    const values = s.points();
    const length = Math.max(values.length, totalValues.length);
    const out: Value[] = [];
    for (let i = 0; i < length; i++) out.push(safeMul(safeDiv(values[i] ?? null, totalValues[i] ?? null), 100));
    return new TimeSeries(`asPercent(${s.name},${totalText || s.pathExpression})`, s.start, s.end, s.step, out, { xFilesFactor });
  });
}

const byName = (a: TimeSeries, b: TimeSeries): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** percentileOfSeries' and nPercentile's _getPercentile. */
export function getPercentile(points: readonly Value[], n: number, interpolate = false): Value {
  const sorted = points.filter((p): p is number => p !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const fractionalRank = (n / 100) * (sorted.length + 1);
  let rank = Math.trunc(fractionalRank);
  const rankFraction = fractionalRank - rank;
  if (!interpolate) rank += Math.ceil(rankFraction);
  let percentile: number;
  if (rank === 0) percentile = sorted[0];
  else if (rank - 1 === sorted.length) percentile = sorted[sorted.length - 1];
  else percentile = sorted[rank - 1];
  if (interpolate && rank !== sorted.length) percentile = percentile + rankFraction * (sorted[rank] - percentile);
  return percentile;
}

function groupByNodes(ctx: RequestContext, seriesList: TimeSeries[], callback: string, ...nodes: Array<number | string>): TimeSeries[] {
  const out: TimeSeries[] = [];
  for (const [key, members] of groupBy(seriesList, (s) => aggKey(s, nodes))) {
    const fn = lookupFunction(callback);
    const result = fn ? (fn.impl(ctx, members) as TimeSeries[])[0] : aggregateSeries(ctx, members, callback)[0];
    result.name = key;
    out.push(result);
  }
  return out;
}

const seriesArgs = '*seriesLists:seriesList';
const simple = (func: string) => (ctx: RequestContext, ...lists: Lists) => aggregateSeries(ctx, lists, func);

defineFunction('Combine', 'aggregate', 'seriesList:seriesList, func:aggFunc, [xFilesFactor:float]', 'Aggregates series point by point with the given function', (ctx, list, func, xf) =>
  aggregateSeries(ctx, list, func, xf),
);
defineFunction('Combine', 'aggregateSeriesLists', 'seriesListFirstPos:seriesList, seriesListSecondPos:seriesList, func:aggFunc, [xFilesFactor:float]', 'Pairwise aggregation of two lists', aggregateSeriesLists);
defineFunction('Combine', 'aggregateWithWildcards', 'seriesList:seriesList, func:aggFunc, [*position:node]', 'Aggregates series that agree outside the given node positions', aggregateWithWildcards);
for (const [name, func, desc] of [
  ['sumSeries', 'sum', 'Point-wise sum'],
  ['averageSeries', 'average', 'Point-wise average'],
  ['diffSeries', 'diff', 'Point-wise difference from the first series'],
  ['stddevSeries', 'stddev', 'Point-wise standard deviation'],
  ['minSeries', 'min', 'Point-wise minimum'],
  ['maxSeries', 'max', 'Point-wise maximum'],
  ['rangeOfSeries', 'rangeOf', 'Point-wise max minus min'],
] as const) {
  defineFunction('Combine', name, seriesArgs, desc, simple(func), { aggregator: true });
}
defineFunction('Combine', 'multiplySeries', seriesArgs, 'Point-wise product', (ctx, ...lists: Lists) => (lists.length === 1 && lists[0].length === 1 ? lists[0] : aggregateSeries(ctx, lists, 'multiply')), {
  aggregator: true,
});
for (const [name, func] of [
  ['sumSeriesLists', 'sum'],
  ['diffSeriesLists', 'diff'],
  ['multiplySeriesLists', 'multiply'],
] as const) {
  defineFunction('Combine', name, 'seriesListFirstPos:seriesList, seriesListSecondPos:seriesList', `Pairwise ${func} of two lists`, (ctx, a, b) => aggregateSeriesLists(ctx, a, b, func), { aggregator: true });
}
for (const [name, func] of [
  ['sumSeriesWithWildcards', 'sum'],
  ['averageSeriesWithWildcards', 'average'],
  ['multiplySeriesWithWildcards', 'multiply'],
] as const) {
  defineFunction('Combine', name, 'seriesList:seriesList, [*position:node]', `aggregateWithWildcards with ${func}`, (ctx, list, ...pos: number[]) => aggregateWithWildcards(ctx, list, func, ...pos), {
    aggregator: true,
  });
}
defineFunction('Combine', 'percentileOfSeries', 'seriesList:seriesList, n:float, interpolate:boolean=false', 'Point-wise n-th percentile across the series', (ctx, seriesList: TimeSeries[], n: number, interpolate: boolean) => {
  if (n <= 0) throw new GphError('RENDER_BAD_ARGUMENT', 'The requested percent is required to be greater than 0', { hint: 'Give n between 0 and 100' });
  if (seriesList.length === 0) return [];
  const name = `percentileOfSeries(${seriesList[0].pathExpression},${pyG(n)})`;
  const { start, end, step } = normalize([seriesList]);
  const values = mapRows(seriesList, (row) => getPercentile(row, n, interpolate));
  return [new TimeSeries(name, start, end, step, values, { xFilesFactor: ctx.xFilesFactor })];
});
defineFunction('Combine', 'asPercent', 'seriesList:seriesList, [total:any], [*nodes:nodeOrTag]', 'Each series as a percentage of a total', asPercent, { aggregator: true });
defineFunction('Combine', 'divideSeriesLists', 'dividendSeriesList:seriesList, divisorSeriesList:seriesList', 'Pairwise division', (ctx, a: TimeSeries[], b: TimeSeries[]) => {
  if (a.length !== b.length) throw new GphError('RENDER_BAD_ARGUMENT', 'dividendSeriesList and divisorSeriesList argument must have equal length', { hint: 'Give both lists the same number of series' });
  return a.map((s, i) => divide(ctx, s, b[i]));
});
defineFunction('Combine', 'divideSeries', 'dividendSeriesList:seriesList, divisorSeries:seriesList', 'Divides every series by one divisor series', (ctx, dividends: TimeSeries[], divisor: TimeSeries[]) => {
  if (divisor.length === 0) {
    for (const s of dividends) {
      s.rename(`divideSeries(${s.name},MISSING)`);
      s.values = s.values.map(() => null);
    }
    return dividends;
  }
  if (divisor.length > 1) {
    throw new GphError('RENDER_BAD_ARGUMENT', `divideSeries second argument must reference exactly 1 series (got ${divisor.length})`, { hint: 'Wrap the divisor in sumSeries() or pick one series' });
  }
  return dividends.map((s) => divide(ctx, s, divisor[0]));
});
defineFunction('Combine', 'weightedAverage', 'seriesListAvg:seriesList, seriesListWeight:seriesList, [*nodes:nodeOrTag]', 'Point-wise weighted average', (ctx, avgs: TimeSeries[], weights: TimeSeries[], ...nodes: Array<number | string>) => {
  if (avgs.length !== weights.length) {
    throw new GphError('RENDER_BAD_ARGUMENT', `weightedAverage must receive the same number of series for seriesListAvg and seriesListWeight but received respectively ${avgs.length} and ${weights.length}`, {
      hint: 'Give both lists the same number of series',
    });
  }
  const pairs = new Map<string, { avg?: TimeSeries; weight?: TimeSeries }>();
  avgs.forEach((a, i) => {
    const w = weights[i];
    const ka = aggKey(a, nodes);
    pairs.set(ka, { ...(pairs.get(ka) ?? {}), avg: a });
    const kw = aggKey(w, nodes);
    pairs.set(kw, { ...(pairs.get(kw) ?? {}), weight: w });
  });
  const products: TimeSeries[] = [];
  for (const { avg, weight } of pairs.values()) {
    if (!avg || !weight) continue;
    const values = mapRows([avg, weight], ([x, y]) => safeMul(x, y));
    products.push(new TimeSeries(`product(${weight.name},${avg.name})`, avg.start, avg.end, avg.step, values, { xFilesFactor: ctx.xFilesFactor }));
  }
  if (products.length === 0) return [];
  const sumProducts = aggregateSeries(ctx, [products], 'sum')[0];
  const sumWeights = aggregateSeries(ctx, [weights], 'sum')[0];
  const values = mapRows([sumProducts, sumWeights], ([x, y]) => safeDiv(x, y));
  const exprs = (list: TimeSeries[]): string => [...new Set(list.map((s) => s.pathExpression))].sort().join(',');
  const name = `weightedAverage(${exprs(avgs)}, ${exprs(weights)}, ${nodes.map((n) => String(n)).join(',')})`;
  return [new TimeSeries(name, sumProducts.start, sumProducts.end, sumProducts.step, values, { xFilesFactor: ctx.xFilesFactor })];
});
defineFunction('Combine', 'powSeries', '*seriesList:seriesList', 'Point-wise power, left to right', (ctx, ...lists: Lists) => {
  const normalized = tryNormalize(lists);
  if (!normalized) return [];
  const { seriesList, start, end, step } = normalized;
  const values = mapRows(seriesList, (row) => row.slice(1).reduce<Value>((acc, v) => safePow(acc, v), row[0]));
  return [new TimeSeries(`powSeries(${seriesList.map((s) => s.name).join(',')})`, start, end, step, values, { xFilesFactor: ctx.xFilesFactor })];
}, { aggregator: true });
defineFunction('Combine', 'countSeries', '[*seriesLists:seriesList]', 'Number of series, as a series', (ctx, ...lists: Lists) => {
  if (lists.length > 0) {
    const { seriesList, start, end, step } = normalize(lists);
    const name = `countSeries(${formatPathExpressions(seriesList)})`;
    return [new TimeSeries(name, start, end, step, mapRows(seriesList, (row) => row.length), { xFilesFactor: ctx.xFilesFactor, integers: true })];
  }
  const line = constantSeries(ctx, 0, true);
  line.pathExpression = 'countSeries()';
  return [line];
}, { aggregator: true });
defineFunction('Combine', 'group', '[*seriesLists:seriesList]', 'Concatenates series lists', (_ctx, ...lists: Lists) => lists.flat());
defineFunction('Combine', 'mapSeries', 'seriesList:seriesList, *mapNodes:nodeOrTag', 'Splits a list into lists keyed by nodes', (_ctx, seriesList: TimeSeries[], ...nodes: Array<number | string>) => [
  ...groupBy(seriesList, (s) => aggKey(s, nodes)).values(),
]);
defineFunction('Combine', 'reduceSeries', 'seriesLists:seriesLists, reduceFunction:string, reduceNode:node, *reduceMatchers:string', 'Applies a function to matched series of each mapSeries group', async (ctx, lists: Lists, reduceFunction: string, reduceNode: number, ...matchers: string[]) => {
  const groups = new Map<string, Array<TimeSeries | null>>();
  for (const list of lists) {
    for (const s of list) {
      const nodes = s.name.split('.');
      const node = nodes[reduceNode < 0 ? nodes.length + reduceNode : reduceNode];
      const key = `${nodes.slice(0, reduceNode).join('.')}.reduce.${reduceFunction}`;
      if (!matchers.includes(node)) continue;
      if (!groups.has(key)) groups.set(key, matchers.map(() => null));
      groups.get(key)![matchers.indexOf(node)] = s;
    }
  }
  const fn = lookupFunction(reduceFunction);
  if (!fn) throw new GphError('RENDER_UNKNOWN_FUNCTION', `Unknown render function "${reduceFunction}" in reduceSeries`, { hint: 'List the functions with `gph render --list-functions`' });
  const out: TimeSeries[] = [];
  for (const [key, members] of groups) {
    const result = ((await fn.impl(ctx, ...members.map((m) => (m ? [m] : [])))) as TimeSeries[])[0];
    result.name = key;
    out.push(result);
  }
  return out;
});
defineFunction('Combine', 'applyByNode', 'seriesList:seriesList, nodeNum:node, templateFunction:string, [newName:string]', 'Evaluates a template per distinct name prefix', async (ctx, seriesList: TimeSeries[], nodeNum: number, template: string, newName?: string) => {
  const prefixes = [...new Set(seriesList.map((s) => s.name.split('.').slice(0, nodeNum + 1).join('.')))].sort();
  const last = seriesList[seriesList.length - 1];
  const out: TimeSeries[] = [];
  for (const prefix of prefixes) {
    for (const result of await ctx.evaluate(template.split('%').join(prefix))) {
      if (newName) result.name = newName.split('%').join(prefix);
      result.pathExpression = prefix;
      result.start = last.start;
      result.end = last.end;
      out.push(result);
    }
  }
  return out;
});
defineFunction('Combine', 'groupByNode', 'seriesList:seriesList, nodeNum:nodeOrTag, callback:aggOrSeriesFunc="average"', 'Groups series by one node and combines each group', (ctx, list, node, callback) =>
  groupByNodes(ctx, list, callback, node),
);
defineFunction('Combine', 'groupByNodes', 'seriesList:seriesList, callback:aggOrSeriesFunc, [*nodes:nodeOrTag]', 'Groups series by several nodes and combines each group', groupByNodes);
defineFunction('Combine', 'groupByTags', 'seriesList:seriesList, callback:aggOrSeriesFunc, *tags:tag', 'Groups series by tag values (needs tags)', () => []);

defineAlias('avg', 'averageSeries');
defineAlias('sum', 'sumSeries');
defineAlias('pct', 'asPercent');
defineAlias('map', 'mapSeries');
defineAlias('reduce', 'reduceSeries');

/** constantLine(): a 3-point line over the request range. */
export function constantSeries(ctx: RequestContext, value: number, isInteger = false): TimeSeries {
  const start = Math.trunc(ctx.startTime);
  const end = Math.trunc(ctx.endTime);
  const step = Math.trunc((end - start) / 2);
  const series = new TimeSeries(nameText(value, !isInteger), start, end, step, [value, value, value], { xFilesFactor: ctx.xFilesFactor, integers: isInteger });
  series.pathExpression = `constantLine(${nameText(value, !isInteger)})`;
  return series;
}
