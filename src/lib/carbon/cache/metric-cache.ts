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

/**
 * One metric's cached points: parallel arrays (packed doubles, far smaller than a Map per
 * metric), with an index from timestamp to position built only once a metric holds many points.
 */
interface Series {
  timestamps: number[];
  values: number[];
  index?: Map<number, number>;
}

/** Below this many points a re-sent timestamp is found by a linear scan. */
const INDEX_THRESHOLD = 32;

function positionOf(series: Series, timestamp: number): number {
  if (series.index) return series.index.get(timestamp) ?? -1;
  return series.timestamps.lastIndexOf(timestamp);
}

function append(series: Series, timestamp: number, value: number): void {
  series.timestamps.push(timestamp);
  series.values.push(value);
  const count = series.timestamps.length;
  if (series.index) series.index.set(timestamp, count - 1);
  else if (count > INDEX_THRESHOLD) series.index = new Map(series.timestamps.map((t, i) => [t, i]));
}

const pairs = (series: Series): Array<[number, number]> => series.timestamps.map((t, i) => [t, series.values[i]]);

export class MetricCache {
  private readonly metrics = new Map<string, Series>();
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
    let series = this.metrics.get(metric);
    if (series) {
      const at = positionOf(series, timestamp);
      if (at >= 0) {
        series.values[at] = value; // a re-sent timestamp replaces its value without growing the cache
        return true;
      }
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
    if (!series) {
      series = { timestamps: [], values: [] };
      this.metrics.set(metric, series);
    }
    append(series, timestamp, value);
    this.points++;
    return true;
  }

  /**
   * Puts back a point the writer took but could not write: only when no newer value for that
   * timestamp arrived meanwhile, and regardless of maxSize (it was counted once already).
   */
  restore(metric: string, timestamp: number, value: number): void {
    let series = this.metrics.get(metric);
    if (!series) {
      series = { timestamps: [], values: [] };
      this.metrics.set(metric, series);
    }
    if (positionOf(series, timestamp) >= 0) return;
    append(series, timestamp, value);
    this.points++;
  }

  /** The points cached for `metric`, in arrival order (carbonlink's cache-query). */
  get(metric: string): Array<[number, number]> {
    const series = this.metrics.get(metric);
    return series ? pairs(series) : [];
  }

  /** Number of points cached for `metric`. */
  countOf(metric: string): number {
    return this.metrics.get(metric)?.timestamps.length ?? 0;
  }

  /** The metric names, in insertion order. */
  names(): string[] {
    return [...this.metrics.keys()];
  }

  /** (metric, point count) of every metric. */
  counts(): Array<[string, number]> {
    return [...this.metrics].map(([name, series]) => [name, series.timestamps.length]);
  }

  /** (metric, oldest timestamp) of every metric. */
  oldest(): Array<[string, number]> {
    return [...this.metrics].map(([name, series]) => {
      let min = Infinity;
      for (const t of series.timestamps) if (t < min) min = t;
      return [name, min];
    });
  }

  /** Removes and returns all points of `metric` (undefined when it is not cached). */
  pop(metric: string): Array<[number, number]> | undefined {
    const series = this.metrics.get(metric);
    if (!series) return undefined;
    this.metrics.delete(metric);
    this.points -= series.timestamps.length;
    if (this.full && this.points < this.limits.lowWatermark) {
      this.full = false;
      this.onSpaceAvailable();
    }
    return pairs(series);
  }
}
