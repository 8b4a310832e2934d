/**
 * CACHE_WRITE_STRATEGY: the order in which the writer takes metrics out of the cache in one
 * pass (carbon lib/carbon/cache.py):
 * - sorted: snapshot at the start of the pass, most cached points first;
 * - max: every time, the metric with the most points now;
 * - naive: snapshot of the names, most recently added first;
 * - timesorted: snapshot, oldest cached point first.
 * Metrics that arrive during a snapshot pass wait for the next pass.
 */
import type { WriteStrategy } from '../config/cache-settings.js';
import type { MetricCache } from './metric-cache.js';

/**
 * The metrics to write in one pass, in the strategy's order. `skip` holds metrics the writer
 * cannot take now (a deferred create, or points still being written): `max` passes over them and
 * ends when only they are left.
 */
export function* drainOrder(cache: MetricCache, strategy: WriteStrategy, skip: { has(name: string): boolean } = new Set<string>()): Generator<string> {
  switch (strategy) {
    case 'sorted':
      yield* cache
        .counts()
        .sort((a, b) => b[1] - a[1])
        .map(([name]) => name);
      return;
    case 'max':
      for (;;) {
        let best: string | undefined;
        let most = -1;
        for (const [name, count] of cache.counts()) {
          if (count > most && !skip.has(name)) {
            most = count;
            best = name;
          }
        }
        if (best === undefined) return;
        yield best;
      }
    case 'naive':
      yield* cache.names().reverse();
      return;
    case 'timesorted':
      yield* cache
        .oldest()
        .sort((a, b) => a[1] - b[1])
        .map(([name]) => name);
      return;
  }
}
