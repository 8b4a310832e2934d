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

/** Below this many points an unordered metric's re-sent timestamp is found by a linear scan. */
const INDEX_THRESHOLD = 32;

/**
 * One metric's cached points: timestamp, value, timestamp, value, ... in one packed array of
 * doubles (one object and its elements to reach per point stored: the cache is the receivers'
 * hottest memory). Points nearly always arrive in time order, so a re-sent timestamp is found by
 * binary search while the timestamps are ascending; a metric whose points came out of order is
 * listed apart, and gets an index from timestamp to position once it holds many.
 */
type Points = number[];

/** Interleaved points as [timestamp, value] pairs. */
export const pairs = (points: ArrayLike<number>): Array<[number, number]> => {
  const out: Array<[number, number]> = new Array(points.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = [points[2 * i], points[2 * i + 1]];
  return out;
};

export class MetricCache {
  private readonly metrics = new Map<string, Points>();
  /** Metrics whose timestamps are not ascending, with their index once they hold INDEX_THRESHOLD points. */
  private readonly unordered = new Map<string, Map<number, number> | undefined>();
  /**
   * The points of metrics by the id a NameTable gave their name (the line receivers' fast path:
   * an array index instead of a Map lookup by a fresh string), and each such metric's id.
   */
  private byId: Array<Points | undefined> = [];
  private readonly idOf = new Map<string, number>();
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

  /** Where `timestamp` is among `metric`'s points (a point index), or -1. */
  private positionOf(metric: string, points: Points, timestamp: number): number {
    const count = points.length >> 1;
    if (this.unordered.size === 0 || !this.unordered.has(metric)) {
      // The common case, a point newer than every cached one, costs one comparison.
      if (count === 0 || timestamp > points[2 * (count - 1)]) return -1;
      let low = 0;
      let high = count - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const found = points[2 * middle];
        if (found === timestamp) return middle;
        if (found < timestamp) low = middle + 1;
        else high = middle - 1;
      }
      return -1;
    }
    const index = this.unordered.get(metric);
    if (index) return index.get(timestamp) ?? -1;
    for (let i = count - 1; i >= 0; i--) if (points[2 * i] === timestamp) return i;
    return -1;
  }

  /** Appends a timestamp not yet cached for the metric. */
  private append(metric: string, points: Points, timestamp: number, value: number): void {
    const count = points.length >> 1;
    let unordered = this.unordered.size > 0 && this.unordered.has(metric);
    if (!unordered && count > 0 && timestamp < points[2 * (count - 1)]) {
      this.unordered.set(metric, undefined);
      unordered = true;
    }
    points.push(timestamp, value);
    if (!unordered) return;
    const index = this.unordered.get(metric);
    if (index) index.set(timestamp, count);
    else if (count + 1 > INDEX_THRESHOLD) {
      const built = new Map<number, number>();
      for (let i = 0; i <= count; i++) built.set(points[2 * i], i);
      this.unordered.set(metric, built);
    }
  }

  /** Adds a point; false when it was dropped because the cache is full (without flow control). */
  store(metric: string, timestamp: number, value: number): boolean {
    let points = this.metrics.get(metric);
    if (points) {
      const at = this.positionOf(metric, points, timestamp);
      if (at >= 0) {
        points[2 * at + 1] = value; // a re-sent timestamp replaces its value without growing the cache
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
    if (!points) {
      // Made at its exact size: most new metrics get one point before they are written.
      this.metrics.set(metric, [timestamp, value]);
      this.points++;
      return true;
    }
    this.append(metric, points, timestamp, value);
    this.points++;
    return true;
  }

  /**
   * store() for a metric whose name has an id (a NameTable's): a point newer than the metric's
   * cached ones is appended through the id; any other goes through store().
   */
  storeById(id: number, metric: string, timestamp: number, value: number): boolean {
    const points = this.byId[id];
    if (
      points !== undefined &&
      timestamp > points[points.length - 2] &&
      this.points < this.limits.maxSize &&
      (this.unordered.size === 0 || !this.unordered.has(metric))
    ) {
      points.push(timestamp, value);
      this.points++;
      return true;
    }
    const stored = this.store(metric, timestamp, value);
    const held = this.metrics.get(metric);
    if (held !== undefined && points !== held) {
      this.byId[id] = held;
      this.idOf.set(metric, id);
    }
    return stored;
  }

  /** Forgets every id given to storeById (its NameTable starts again). */
  forgetIds(): void {
    this.byId = [];
    this.idOf.clear();
  }

  /**
   * Puts back a point the writer took but could not write: only when no newer value for that
   * timestamp arrived meanwhile, and regardless of maxSize (it was counted once already).
   */
  restore(metric: string, timestamp: number, value: number): void {
    let points = this.metrics.get(metric);
    if (!points) {
      points = [];
      this.metrics.set(metric, points);
    }
    if (this.positionOf(metric, points, timestamp) >= 0) return;
    this.append(metric, points, timestamp, value);
    this.points++;
  }

  /** The points cached for `metric`, in arrival order (carbonlink's cache-query). */
  get(metric: string): Array<[number, number]> {
    const points = this.metrics.get(metric);
    return points ? pairs(points) : [];
  }

  /** Number of points cached for `metric`. */
  countOf(metric: string): number {
    return (this.metrics.get(metric)?.length ?? 0) >> 1;
  }

  /** The metric names, in insertion order. */
  names(): string[] {
    return [...this.metrics.keys()];
  }

  /** (metric, point count) of every metric. */
  counts(): Array<[string, number]> {
    return [...this.metrics].map(([name, points]) => [name, points.length >> 1]);
  }

  /** (metric, oldest timestamp) of every metric. */
  oldest(): Array<[string, number]> {
    return [...this.metrics].map(([name, points]) => {
      let min = Infinity;
      for (let i = 0; i < points.length; i += 2) if (points[i] < min) min = points[i];
      return [name, min];
    });
  }

  /** Removes and returns all points of `metric` as timestamp, value, timestamp, value, ... (undefined when it is not cached). */
  popPacked(metric: string): Float64Array | undefined {
    const points = this.metrics.get(metric);
    if (!points) return undefined;
    this.metrics.delete(metric);
    if (this.unordered.size > 0) this.unordered.delete(metric);
    if (this.idOf.size > 0) {
      const id = this.idOf.get(metric);
      if (id !== undefined) {
        this.byId[id] = undefined;
        this.idOf.delete(metric);
      }
    }
    this.points -= points.length >> 1;
    if (this.full && this.points < this.limits.lowWatermark) {
      this.full = false;
      this.onSpaceAvailable();
    }
    return Float64Array.from(points);
  }

  /** Removes and returns all points of `metric` (undefined when it is not cached). */
  pop(metric: string): Array<[number, number]> | undefined {
    const packed = this.popPacked(metric);
    return packed && pairs(packed);
  }
}
