/**
 * The in-memory cache of points not yet written: metric -> (timestamp -> value), as carbon's
 * MetricCache. Re-sending a timestamp replaces its value without growing the cache. Watchers
 * hear when the cache fills (size >= maxSize) and when it drains below the low watermark, so
 * receivers can pause reading (flow control) instead of dropping.
 */

export interface CacheLimits {
  /** Points the cache may hold (Infinity: no limit). */
  maxSize: number;
  /** Below this size after being full, `onSpaceAvailable` fires. */
  lowWatermark: number;
  /**
   * true: never drop; the receivers are paused while full (points already read are still
   * taken). false: a new point arriving while full is dropped and counted.
   */
  flowControl: boolean;
}

export class MetricCache {
  private readonly metrics = new Map<string, Map<number, number>>();
  private points = 0;
  private full = false;
  /** Points refused because the cache was full (carbon's cache.overflow). */
  overflow = 0;
  onFull: () => void = () => {};
  onSpaceAvailable: () => void = () => {};

  constructor(private readonly limits: CacheLimits) {}

  /** Number of points held. */
  get size(): number {
    return this.points;
  }

  /** Number of metrics held (carbon's cache.queues). */
  get metricCount(): number {
    return this.metrics.size;
  }

  get isFull(): boolean {
    return this.full;
  }

  /** Adds a point; false when it was dropped because the cache is full (without flow control). */
  store(metric: string, timestamp: number, value: number): boolean {
    let points = this.metrics.get(metric);
    if (this.points < this.limits.maxSize && points) {
      // One Map operation: a re-sent timestamp replaces its value without growing the size.
      const before = points.size;
      points.set(timestamp, value);
      this.points += points.size - before;
      return true;
    }
    if (points?.has(timestamp)) {
      points.set(timestamp, value);
      return true;
    }
    if (this.points >= this.limits.maxSize) {
      if (!this.full) {
        this.full = true;
        this.onFull();
      }
      if (!this.limits.flowControl) {
        this.overflow++;
        return false;
      }
    }
    if (!points) {
      points = new Map();
      this.metrics.set(metric, points);
    }
    points.set(timestamp, value);
    this.points++;
    return true;
  }

  /**
   * Puts back a point the writer took but could not write: only when no newer value for that
   * timestamp arrived meanwhile, and regardless of maxSize (it was counted once already).
   */
  restore(metric: string, timestamp: number, value: number): void {
    let points = this.metrics.get(metric);
    if (!points) {
      points = new Map();
      this.metrics.set(metric, points);
    }
    if (points.has(timestamp)) return;
    points.set(timestamp, value);
    this.points++;
  }

  /** The points cached for `metric`, in arrival order (carbonlink's cache-query). */
  get(metric: string): Array<[number, number]> {
    const points = this.metrics.get(metric);
    return points ? [...points] : [];
  }

  /** Number of points cached for `metric`. */
  countOf(metric: string): number {
    return this.metrics.get(metric)?.size ?? 0;
  }

  /** The metric names, in insertion order. */
  names(): string[] {
    return [...this.metrics.keys()];
  }

  /** (metric, point count) of every metric. */
  counts(): Array<[string, number]> {
    return [...this.metrics].map(([name, points]) => [name, points.size]);
  }

  /** (metric, oldest timestamp) of every metric. */
  oldest(): Array<[string, number]> {
    return [...this.metrics].map(([name, points]) => {
      let min = Infinity;
      for (const t of points.keys()) if (t < min) min = t;
      return [name, min];
    });
  }

  /** Removes and returns all points of `metric` (undefined when it is not cached). */
  pop(metric: string): Array<[number, number]> | undefined {
    const points = this.metrics.get(metric);
    if (!points) return undefined;
    this.metrics.delete(metric);
    this.points -= points.size;
    if (this.full && this.points < this.limits.lowWatermark) {
      this.full = false;
      this.onSpaceAvailable();
    }
    return [...points];
  }
}
