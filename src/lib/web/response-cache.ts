/**
 * graphite-web's response cache, in process: answers kept for their cache duration, the oldest
 * dropped beyond a byte budget, and identical requests arriving together computed once.
 */
import type { Clock } from '../clock.js';

/** A cache shared between processes or nodes (memcached), consulted after the in-process one. */
export interface SharedStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, ttlSeconds: number): Promise<void>;
}

interface Entry<T> {
  value: T;
  expires: number;
  bytes: number;
}

export class ResponseCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly pending = new Map<string, Promise<T>>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  /** Answers found in the shared store. */
  sharedHits = 0;
  /** Set to share answers with other nodes (MEMCACHE_HOSTS). */
  shared: SharedStore<T> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly maxBytes = 256 * 1024 ** 2,
    private readonly sizeOf: (value: T) => number = () => 1,
    private readonly maxEntries = 10_000,
  ) {}

  /** Drops expired entries (oldest first, stopping at the first live one: entries expire in order of insertion per duration). */
  private sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.delete(key);
  }

  /** Whether a computed value may be kept (graphite caches successful answers only). */
  cacheable: (value: T) => boolean = () => true;

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.clock.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }

  set(key: string, value: T, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.delete(key);
    const bytes = this.sizeOf(value) + key.length * 2;
    if (bytes > this.maxBytes) return;
    if (this.entries.size >= this.maxEntries) this.sweep();
    this.entries.set(key, { value, expires: this.clock.now() + ttlSeconds, bytes });
    this.bytes += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.delete(oldest);
    }
  }

  /**
   * The cached value for `key`, or `compute()`'s (stored for `ttlSeconds`). Concurrent calls for a
   * key that is being computed share that computation, cached or not.
   */
  async getOrCompute(key: string, ttlSeconds: number, useCache: boolean, compute: () => Promise<T>): Promise<T> {
    if (useCache) {
      const cached = this.get(key);
      if (cached !== undefined) {
        this.hits++;
        return cached;
      }
    }
    const running = this.pending.get(key);
    if (running) {
      this.hits++;
      return running;
    }
    const shared = useCache ? this.shared : undefined;
    const work = async (): Promise<T> => {
      const found = shared ? await shared.get(key) : undefined;
      if (found !== undefined) {
        this.sharedHits++;
        return found;
      }
      this.misses++;
      const value = await compute();
      if (shared && this.cacheable(value)) await shared.set(key, value, ttlSeconds);
      return value;
    };
    const promise = work().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    const value = await promise;
    if (useCache && this.cacheable(value)) this.set(key, value, ttlSeconds);
    return value;
  }
}
