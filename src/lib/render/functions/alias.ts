/** Alias group: renaming series. */
import { GphError } from '../../errors.js';
import { formatFixed } from '../../python/py-format.js';
import type { TimeSeries, Value } from '../time-series.js';
import { getAggFunc, safeLast } from './aggregators.js';
import { aggKey, pyRegExp, pyReplacement, tagText } from './helpers.js';
import { defineFunction } from './registry.js';
import { formatUnits, pyPercent } from './units.js';

defineFunction('Alias', 'alias', 'seriesList:seriesList, newName:string', 'Renames every series', (_ctx, list: TimeSeries[], newName: string) => {
  for (const s of list) s.name = String(newName);
  return list;
});
defineFunction('Alias', 'aliasByNode', 'seriesList:seriesList, *nodes:nodeOrTag', 'Renames each series to some of its nodes', (_ctx, list: TimeSeries[], ...nodes: Array<number | string>) => {
  for (const s of list) s.name = aggKey(s, nodes);
  return list;
});
defineFunction('Alias', 'aliasByTags', 'seriesList:seriesList, *tags:nodeOrTag', 'Renames each series to some of its tag values (needs tags)', () => []);
defineFunction('Alias', 'aliasByMetric', 'seriesList:seriesList', 'Renames each series to its last node', (_ctx, list: TimeSeries[]) => substr(list, -1, 0));
defineFunction('Alias', 'aliasSub', 'seriesList:seriesList, search:string, replace:string', 'Regex search and replace on names', (_ctx, list: TimeSeries[], search: string, replace: string) => {
  const re = pyRegExp(search, 'g');
  for (const s of list) s.name = s.name.replace(re, pyReplacement(replace));
  return list;
});
defineFunction('Alias', 'aliasQuery', 'seriesList:seriesList, search:string, replace:string, newName:string', 'Names series from the last value of another query', async (ctx, list: TimeSeries[], search: string, replace: string, newName: string) => {
  const re = pyRegExp(search, 'g');
  for (const s of list) {
    const query = s.name.replace(re, pyReplacement(replace));
    const found = await ctx.evaluate(query);
    if (found.length === 0) throw new GphError('RENDER_BAD_ARGUMENT', `No series found with query: ${query}`, { hint: 'Check the search/replace of aliasQuery' });
    const current = safeLast(found[0].points());
    if (current === null) throw new GphError('RENDER_BAD_ARGUMENT', `Cannot get last value of series: ${found[0].name}`, { hint: 'The query has no data in the range' });
    s.name = pyPercent(newName, current);
  }
  return list;
});
defineFunction('Alias', 'legendValue', 'seriesList:seriesList, [*valuesTypes:string]', 'Appends aggregate values to names', (_ctx, list: TimeSeries[], ...types: string[]) => {
  let system: string | null = null;
  if (types.length > 0 && ['si', 'binary'].includes(types[types.length - 1])) {
    system = types[types.length - 1];
    types = types.slice(0, -1);
  }
  for (const type of types) {
    let fn: ((values: readonly Value[]) => Value) | null = null;
    try {
      fn = getAggFunc(type);
    } catch {
      fn = null;
    }
    for (const s of list) {
      const value = fn ? fn(s.points()) : '(?)';
      if (system === null) s.name += ` (${type}: ${typeof value === 'string' ? value : tagText(value, type !== 'count' && !s.integers)})`;
      else {
        let formatted = 'None';
        if (typeof value === 'string') formatted = value;
        else if (value !== null) {
          const [v, prefix] = formatUnits(value, system);
          formatted = `${formatFixed(v, 2)}${prefix}`;
        }
        s.name = `${s.name.padEnd(20)}${type.padEnd(5)}${formatted.padEnd(10)}`;
      }
    }
  }
  return list;
});

/** substr(): a slice of the dot-nodes of the innermost name. */
export function substr(list: TimeSeries[], start: number, stop: number): TimeSeries[] {
  for (const s of list) {
    const left = s.name.lastIndexOf('(') + 1;
    let right = s.name.indexOf(')');
    if (right < 0) right = s.name.length + 1;
    const nodes = s.name.slice(left, right).split('.');
    s.name = nodes.slice(start, stop === 0 ? undefined : stop).join('.').replace(/,.*$/, '');
  }
  return list;
}
