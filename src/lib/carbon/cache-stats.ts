/**
 * The cache daemon's counters, under carbon's self-metric names. Counters count since the last
 * report (carbon resets them every CARBON_METRIC_INTERVAL); totals never reset (for /metrics).
 */
export const COUNTERS = [
  'metricsReceived',
  'committedPoints',
  'updateOperations',
  'creates',
  'droppedCreates',
  'deferredCreates',
  'errors',
  'invalidLines',
  'invalidPickles',
  'invalidPoints',
  'invalidNames',
  'droppedNaN',
  'blacklistMatches',
  'whitelistRejects',
  'oversizedLines',
  'oversizedFrames',
  'cache.queries',
  'cache.bulk_queries',
  'cache.bulk_query_metrics',
  'updateMicroseconds',
  'tagsRegistered',
  'tagErrors',
] as const;

export type CounterName = (typeof COUNTERS)[number];

type Counters = Record<CounterName, number>;

const zeroCounters = (): Counters => Object.fromEntries(COUNTERS.map((name) => [name, 0])) as Counters;

export class CacheStats {
  // Plain objects with fixed keys: counting is on the per-point hot path.
  private interval: Counters = zeroCounters();
  private readonly total: Counters = zeroCounters();
  activeConnections = 0;

  /** Adds `by` to a counter. */
  count(name: CounterName, by = 1): void {
    this.interval[name] += by;
    this.total[name] += by;
  }

  /** The counter since start. */
  totalOf(name: CounterName): number {
    return this.total[name];
  }

  /** Returns the counters of the interval and starts a new one. */
  takeInterval(): Map<CounterName, number> {
    const snapshot = new Map(Object.entries(this.interval) as Array<[CounterName, number]>);
    this.interval = zeroCounters();
    return snapshot;
  }

  /** All totals. */
  totals(): Map<CounterName, number> {
    return new Map(Object.entries(this.total) as Array<[CounterName, number]>);
  }
}
