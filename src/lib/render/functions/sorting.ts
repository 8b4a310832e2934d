/** Sorting group. */
import type { TimeSeries } from '../time-series.js';
import { getAggFunc, safeMax, safeMin } from './aggregators.js';
import { sortByAgg } from './filters.js';
import { defineFunction } from './registry.js';

defineFunction('Sorting', 'sortBy', 'seriesList:seriesList, func:aggFunc="average", reverse:boolean=false', 'Sorts by an aggregate', (_ctx, list: TimeSeries[], func: string, reverse: boolean) => {
  const agg = getAggFunc(func);
  return sortByAgg(list, (s) => agg(s.points()), reverse);
});
defineFunction('Sorting', 'sortByName', 'seriesList:seriesList, natural:boolean=false, reverse:boolean=false', 'Sorts by name', (_ctx, list: TimeSeries[], natural: boolean, reverse: boolean) => {
  const key = (s: TimeSeries): string => (natural ? s.name.replace(/\d+/g, (d) => String(Number(d)).padStart(10, '0')) : s.name);
  const sorted = [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return reverse ? (kb > ka ? 1 : kb < ka ? -1 : 0) : ka > kb ? 1 : ka < kb ? -1 : 0;
  });
  return sorted;
});
defineFunction('Sorting', 'sortByTotal', 'seriesList:seriesList', 'Sorts by sum, largest first', (_ctx, list: TimeSeries[]) => sortByAgg(list, (s) => getAggFunc('sum')(s.points()), true));
defineFunction('Sorting', 'sortByMaxima', 'seriesList:seriesList', 'Sorts by maximum, largest first', (_ctx, list: TimeSeries[]) => sortByAgg(list, (s) => safeMax(s.points()), true));
defineFunction('Sorting', 'sortByMinima', 'seriesList:seriesList', 'Sorts by minimum; drops series whose maximum is <= 0', (_ctx, list: TimeSeries[]) =>
  sortByAgg(
    list.filter((s) => (safeMax(s.points()) ?? 0) > 0),
    (s) => safeMin(s.points()),
    false,
  ),
);
