/**
 * The writer: takes metrics out of the cache in the write strategy's order and writes their
 * points with whisper's update_many, creating missing files with the schema and aggregation the
 * config files choose (carbon lib/carbon/writer.py). MAX_UPDATES_PER_SECOND makes it wait for a
 * token; MAX_CREATES_PER_MINUTE defers a new metric (its points go back into the cache) instead
 * of dropping them as carbon does. Writes are synchronous; the writer yields to the event loop
 * between metrics so receivers and carbonlink keep serving.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../clock.js';
import { rateLimited, type Logger } from '../../logger.js';
import { create } from '../../whisper/create.js';
import { updateMany } from '../../whisper/update.js';
import type { CacheStats } from '../cache-stats.js';
import type { CacheSettings } from '../config/cache-settings.js';
import { type AggregationRule, type StorageSchema, matchAggregation, matchSchema } from '../config/storage-schemas.js';
import { metricFilePath } from '../metric-name.js';
import { drainOrder } from './drain-order.js';
import type { MetricCache } from './metric-cache.js';
import type { Journal } from './journal.js';
import { TokenBucket } from './token-bucket.js';

/** Metrics written between two yields to the event loop. */
const METRICS_PER_SLICE = 64;
/** carbon's writer sleeps this long after emptying the cache. */
const IDLE_SLEEP_MS = 1000;

export interface WriterConfig {
  cache: MetricCache;
  settings: CacheSettings;
  schemas: () => readonly StorageSchema[];
  aggregation: () => readonly AggregationRule[];
  clock: Clock;
  logger: Logger;
  stats: CacheStats;
  /** The journal to rotate and trim as passes complete. */
  journal?: Journal;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class CacheWriter {
  private readonly updates: TokenBucket;
  private readonly creates: TokenBucket;
  private readonly logError: (message: string) => void;
  private shuttingDown = false;

  constructor(private readonly config: WriterConfig) {
    const { settings, clock } = config;
    this.updates = new TokenBucket(clock, settings.MAX_UPDATES_PER_SECOND, settings.MAX_UPDATES_PER_SECOND);
    this.creates = new TokenBucket(clock, settings.MAX_CREATES_PER_MINUTE / 60, settings.MAX_CREATES_PER_MINUTE);
    this.logError = rateLimited((m) => config.logger.error(m), clock);
  }

  /** Writes the metrics of one pass; returns the number of points written. */
  async drainPass(signal?: AbortSignal): Promise<number> {
    const { cache, settings, journal } = this.config;
    let written = 0;
    let sinceYield = 0;
    // Points journaled before this pass are all written by its end, unless a create is deferred.
    const segment = journal && cache.size > 0 ? journal.rotate() : undefined;
    const deferredBefore = this.config.stats.totalOf('deferredCreates');
    for (const metric of drainOrder(cache, settings.CACHE_WRITE_STRATEGY)) {
      if (cache.countOf(metric) === 0) continue;
      const wait = this.updates.waitMs();
      if (wait > 0) await this.config.clock.sleep(wait, this.shuttingDown ? undefined : signal);
      this.updates.tryTake();
      written += this.writeMetric(metric);
      if (++sinceYield >= METRICS_PER_SLICE) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
    if (segment !== undefined && this.config.stats.totalOf('deferredCreates') === deferredBefore) journal!.discardThrough(segment);
    return written;
  }

  /** Writes one metric's cached points; returns how many were written. */
  private writeMetric(metric: string): number {
    const { cache, settings, stats, logger } = this.config;
    const file = metricFilePath(settings.LOCAL_DATA_DIR, metric);
    if (!fs.existsSync(file)) {
      if (!this.shuttingDown && !this.creates.tryTake()) {
        stats.count('deferredCreates');
        return 0; // stays in the cache until a create token is free
      }
      if (!this.createFile(metric, file)) {
        const dropped = cache.pop(metric)?.length ?? 0;
        stats.count('droppedCreates');
        this.logError(`Dropped ${dropped} points of ${metric}: its file could not be created`);
        return 0;
      }
    }
    const points = cache.pop(metric);
    if (!points || points.length === 0) return 0;
    const started = process.hrtime.bigint();
    try {
      updateMany(file, points, { clock: this.config.clock, lock: settings.WHISPER_LOCK_WRITES, autoflush: settings.WHISPER_AUTOFLUSH });
    } catch (error) {
      stats.count('errors');
      this.logError(`Error writing ${points.length} points of ${metric} to ${file}: ${(error as Error).message}`);
      return 0;
    }
    stats.count('updateOperations');
    stats.count('committedPoints', points.length);
    stats.count('updateMicroseconds', Number(process.hrtime.bigint() - started) / 1000);
    if (settings.LOG_UPDATES) logger.debug(`wrote ${points.length} points of ${metric}`);
    return points.length;
  }

  private createFile(metric: string, file: string): boolean {
    const { settings, stats, logger } = this.config;
    const schema = matchSchema(this.config.schemas(), metric);
    const { xFilesFactor, aggregationMethod } = matchAggregation(this.config.aggregation(), metric);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      create(file, schema.archives.map((a) => ({ ...a })), { xFilesFactor, aggregationMethod, sparse: settings.WHISPER_SPARSE_CREATE, fallocate: settings.WHISPER_FALLOCATE_CREATE }, { lock: settings.WHISPER_LOCK_WRITES });
    } catch (error) {
      if ((error as { code?: string }).code === 'WHISPER_EXISTS') return true;
      stats.count('errors');
      this.logError(`Error creating ${file} for ${metric}: ${(error as Error).message}`);
      return false;
    }
    stats.count('creates');
    if (settings.LOG_CREATES) logger.info(`new metric ${metric} matched schema [${schema.name}] ${schema.retentions}, ${aggregationMethod} xFilesFactor ${xFilesFactor}`);
    return true;
  }

  /** Drains passes until `signal` aborts; sleeps a second whenever the cache is empty. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const written = await this.drainPass(signal);
        if (this.config.cache.size === 0 || written === 0) await this.config.clock.sleep(IDLE_SLEEP_MS, signal);
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
    }
  }

  /**
   * Writes everything left in the cache (shutdown): creates are no longer rate-limited, updates
   * use MAX_UPDATES_PER_SECOND_ON_SHUTDOWN.
   */
  async flushAll(): Promise<number> {
    this.shuttingDown = true;
    this.updates.setRate(this.config.settings.MAX_UPDATES_PER_SECOND_ON_SHUTDOWN);
    let written = 0;
    while (this.config.cache.size > 0) {
      const before = this.config.cache.size;
      written += await this.drainPass();
      if (this.config.cache.size >= before) break; // nothing could be written (errors counted)
    }
    return written;
  }
}
