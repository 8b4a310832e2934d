/**
 * merge_with_cache (graphite-web readers/utils.py): points from a carbon cache overwrite the
 * whisper values of their slots; the last point per raw step wins, and when the fetched step is
 * coarser they are aggregated with the file's aggregation method first.
 */
import type { Value } from './time-series.js';

function aggregate(method: string, values: Value[]): Value {
  const usable = values.filter((v): v is number => v !== null);
  if (usable.length === 0) return null;
  switch (method) {
    case 'avg_zero':
      return values.reduce<number>((s, v) => s + (v ?? 0), 0) / values.length;
    case 'sum':
      return usable.reduce((s, v) => s + v, 0);
    case 'max':
      return Math.max(...usable);
    case 'min':
      return Math.min(...usable);
    case 'last':
      return usable[usable.length - 1];
    default:
      return usable.reduce((s, v) => s + v, 0) / usable.length;
  }
}

/** Writes `points` into `values` (which start at `start` with `step`), in place. */
export function consolidateCached(points: ReadonlyArray<[number, number]>, start: number, step: number, values: Value[], method: string, rawStep: number): void {
  let merged: Array<[number, Value]> = points.slice();
  if (rawStep > 1) {
    const last = new Map<number, Value>();
    for (const [t, v] of merged) last.set(t - (t % rawStep), v);
    merged = [...last];
  }
  if (step !== rawStep) {
    const groups = new Map<number, Value[]>();
    for (const [t, v] of merged) {
      const slot = t - (t % step);
      const group = groups.get(slot);
      if (group) group.push(v);
      else groups.set(slot, [v]);
    }
    merged = [...groups].map(([slot, vs]) => [slot, aggregate(method, vs)]);
  }
  for (const [t, v] of merged) {
    const i = Math.floor((t - start) / step);
    if (i >= 0 && i < values.length) values[i] = v;
  }
}
