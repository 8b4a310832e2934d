/**
 * The series waiting to be registered with graphite-web's tag database (carbon's TagQueue in
 * lib/carbon/writer.py): every newly created series, and every TAG_UPDATE_INTERVAL-th write so
 * that graphite-web learns of series created before it was reachable. Both queues are bounded by
 * TAG_QUEUE_SIZE (0: unbounded, as Python's Queue); a series offered to a full queue is counted
 * and not queued, as in carbon, because a later write offers it again.
 */
export class TagQueue {
  private readonly added: string[] = [];
  private readonly updated: string[] = [];
  private updateCounter = 0;
  /** Series not queued because their queue was full. */
  dropped = 0;

  constructor(
    private readonly maxSize: number,
    private readonly updateInterval: number,
  ) {}

  /** A series was created. */
  add(metric: string): void {
    this.offer(this.added, metric);
  }

  /** A series was written: queued on every updateInterval-th call (the first, then every Nth). */
  update(metric: string): void {
    this.updateCounter = (this.updateCounter % Math.max(1, this.updateInterval)) + 1;
    if (this.updateCounter === 1) this.offer(this.updated, metric);
  }

  /** Puts back a batch that could not be registered, ahead of the rest (as far as room allows). */
  requeue(batch: readonly string[]): void {
    const room = this.maxSize > 0 ? Math.max(0, this.maxSize - this.added.length) : batch.length;
    this.added.unshift(...batch.slice(0, room));
    this.dropped += Math.max(0, batch.length - room);
  }

  /**
   * Up to `maxSize` series: created ones first, then updated ones; a series in both (a new
   * series' first write) is sent once.
   */
  takeBatch(maxSize: number): string[] {
    const batch = this.added.splice(0, maxSize);
    if (batch.length < maxSize) batch.push(...this.updated.splice(0, maxSize - batch.length));
    return [...new Set(batch)];
  }

  get size(): number {
    return this.added.length + this.updated.length;
  }

  private offer(queue: string[], metric: string): void {
    if (this.maxSize > 0 && queue.length >= this.maxSize) this.dropped++;
    else queue.push(metric);
  }
}
