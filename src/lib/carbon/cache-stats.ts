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
  'oversizedLines',
  'oversizedFrames',
  'cache.queries',
  'cache.bulk_queries',
  'cache.bulk_query_metrics',
  'updateMicroseconds',
] as const;

export type CounterName = (typeof COUNTERS)[number];

export class CacheStats {
  private readonly interval = new Map<CounterName, number>();
  private readonly total = new Map<CounterName, number>();
  activeConnections = 0;

  /** Adds `by` to a counter. */
  count(name: CounterName, by = 1): void {
    this.interval.set(name, (this.interval.get(name) ?? 0) + by);
    this.total.set(name, (this.total.get(name) ?? 0) + by);
  }

  /** The counter since start. */
  totalOf(name: CounterName): number {
    return this.total.get(name) ?? 0;
  }

  /** Returns the counters of the interval and starts a new one. */
  takeInterval(): Map<CounterName, number> {
    const snapshot = new Map(this.interval);
    this.interval.clear();
    return snapshot;
  }

  /** All totals. */
  totals(): Map<CounterName, number> {
    return new Map(this.total);
  }
}
