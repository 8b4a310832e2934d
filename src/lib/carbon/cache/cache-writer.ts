/**
 * The writer: takes metrics out of the cache in the write strategy's order and writes their
 * points with whisper's update_many, creating missing files with the schema and aggregation the
 * config files choose (carbon lib/carbon/writer.py). MAX_UPDATES_PER_SECOND makes it wait for a
 * token; MAX_CREATES_PER_MINUTE defers a new metric (its points stay in the cache) instead of
 * dropping them as carbon does. Popped metrics are written in batches by a WriteExecutor (a
 * worker thread in production); until a batch is done its points stay visible to carbonlink.
 */
import fs from 'node:fs';
import type { Clock } from '../../clock.js';
import { channelOf, rateLimited, type Logger } from '../../logger.js';
import type { CacheStats } from '../cache-stats.js';
import type { CacheSettings } from '../config/cache-settings.js';
import { type AggregationRule, type StorageSchema, matchAggregation, matchSchema } from '../config/storage-schemas.js';
import { metricFilePath } from '../metric-name.js';
import { drainOrder } from './drain-order.js';
import type { Journal } from './journal.js';
import { type MetricCache, pairs } from './metric-cache.js';
import type { TagQueue } from './tag-queue.js';
import { TokenBucket } from './token-bucket.js';
import { type WriteExecutor, inlineExecutor } from './write-executor.js';
import type { CreateSpec, WriteJob, WriteJobResult } from './write-jobs.js';

/** carbon's writer sleeps this long after emptying the cache. */
const IDLE_SLEEP_MS = 1000;
/** While idle, gph's writer looks at the cache this often, and starts early once points stop arriving. */
const IDLE_POLL_MS = 10;
/** A batch closes at this many metrics or points. */
const BATCH_METRICS = 512;
const BATCH_POINTS = 65_536;
/** A metric whose write fails is retried this many times (its points back in the cache) before they are dropped. */
const MAX_WRITE_ATTEMPTS = 3;

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
  /** Where batches run (default: inline). */
  executor?: WriteExecutor;
  /** Series to register with graphite-web's tag database (ENABLE_TAGS). */
  tags?: TagQueue;
  /** Called after a pass that wrote points and left the cache empty (the daemon collects its young generation then). */
  onIdle?: () => void;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Metrics remembered as having a file before the memory starts again (bounded for servers with millions of metrics). */
const MAX_KNOWN_FILES = 1_000_000;

export class CacheWriter {
  /** When the writer started (seconds): directories born since were made for new metrics (WriteOptions.newSince). */
  private readonly startedAt: number;
  private readonly updates: TokenBucket;
  private readonly creates: TokenBucket;
  private readonly logError: (message: string) => void;
  private readonly executor: WriteExecutor;
  /** Points taken from the cache and not yet written, interleaved (timestamp, value, ...). */
  private readonly inFlight = new Map<string, Float64Array>();
  private readonly failures = new Map<string, number>();
  /**
   * Metrics whose file a write has found or made: their next jobs skip the existence check (a
   * stat per metric per pass, on the receivers' thread). A file removed meanwhile comes back as
   * `missing` and is created again.
   */
  private readonly existing = new Set<string>();
  private shuttingDown = false;
  /** Create specs by schema (the rules' objects: new ones when the files are read again) and aggregation. */
  private readonly specs = new WeakMap<StorageSchema, Map<string, CreateSpec>>();

  constructor(private readonly config: WriterConfig) {
    const { settings, clock } = config;
    this.startedAt = clock.now();
    this.updates = new TokenBucket(clock, settings.MAX_UPDATES_PER_SECOND, settings.MAX_UPDATES_PER_SECOND);
    this.creates = new TokenBucket(clock, settings.MAX_CREATES_PER_MINUTE / 60, settings.MAX_CREATES_PER_MINUTE);
    this.logError = rateLimited((m) => config.logger.error(m), clock);
    this.executor = config.executor ?? inlineExecutor;
  }

  /** Points of `metric` taken from the cache but not yet on disk. */
  pointsInFlight(metric: string): Array<[number, number]> {
    const points = this.inFlight.get(metric);
    return points ? pairs(points) : [];
  }

  /** Writes the metrics of one pass; returns the number of points written. */
  async drainPass(signal?: AbortSignal): Promise<number> {
    const { cache, settings, journal, stats } = this.config;
    // Points journaled before this pass are all written by its end, unless a create is deferred.
    const segment = journal && cache.size > 0 ? journal.rotate() : undefined;
    const deferred = new Set<string>();
    const errorsBefore = stats.totalOf('errors');
    let written = 0;
    let batch: WriteJob[] = [];
    let batchPoints = 0;
    // Up to the executor's concurrency batches are written at once (each metric is in one batch).
    const writing = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const send = (jobs: WriteJob[]): void => {
      const sent: Promise<void> = this.dispatch(jobs, deferred).then(
        (n) => void (written += n),
        (error: unknown) => void (failure ??= { error }),
      ).finally(() => writing.delete(sent));
      writing.add(sent);
    };
    // A metric whose points are being written is not taken again until they are (with `max`, one
    // that got new points while its batch was in flight would come up again in the same pass).
    const skip = { has: (name: string) => deferred.has(name) || this.inFlight.has(name) };
    try {
      for (const metric of drainOrder(cache, settings.CACHE_WRITE_STRATEGY, skip)) {
        if (failure) break;
        if (cache.countOf(metric) === 0) continue;
        const wait = this.updates.waitMs();
        if (wait > 0) await this.config.clock.sleep(wait, this.shuttingDown ? undefined : signal);
        this.updates.tryTake();
        const job = this.takeJob(metric);
        if (!job) {
          deferred.add(metric);
          continue;
        }
        batch.push(job);
        batchPoints += job.points.length / 2;
        if (batch.length >= BATCH_METRICS || batchPoints >= BATCH_POINTS) {
          send(batch);
          batch = [];
          batchPoints = 0;
          while (writing.size >= this.executor.concurrency) await Promise.race(writing);
        }
      }
      if (batch.length > 0 && !failure) {
        send(batch);
        batch = [];
      }
    } finally {
      await Promise.all(writing);
      // Taken but not written (stopped while waiting for a token, or the executor failed): back to the cache.
      this.restore(batch);
    }
    if (failure) throw failure.error;
    // Points journaled before this pass are all written, unless a create was deferred or a write failed.
    if (segment !== undefined && deferred.size === 0 && stats.totalOf('errors') === errorsBefore) journal!.discardThrough(segment);
    if (written > 0 && cache.size === 0) this.config.onIdle?.();
    return written;
  }

  /** Puts the points of jobs that were not written back into the cache. */
  private restore(jobs: readonly WriteJob[]): void {
    for (const job of jobs) {
      for (let i = 0; i < job.points.length; i += 2) this.config.cache.restore(job.metric, job.points[i], job.points[i + 1]);
      this.inFlight.delete(job.metric);
    }
  }

  /** Pops `metric` into a write job, or leaves it cached when its create must wait. */
  private takeJob(metric: string): WriteJob | undefined {
    const { cache, stats } = this.config;
    let create: WriteJob['create'];
    // Without a create limit a metric not yet written carries its create and the writer thread
    // finds out whether the file exists (creating it only if not): a lookup here would wait on the
    // directory while that thread creates files in it (~15 µs each, on the receiving thread).
    if (!this.existing.has(metric) && (this.createsUnchecked(metric) || !this.fileExists(metric))) {
      if (!this.shuttingDown && !this.creates.tryTake()) {
        stats.count('deferredCreates');
        return undefined;
      }
      create = this.createSpec(metric);
    }
    const points = cache.popPacked(metric)!;
    this.inFlight.set(metric, points);
    // The file is found by the writer thread (from the metric's name and the write options).
    return { metric, create, points };
  }

  /** Whether the metric's file exists (a tagged series' readable-name file is renamed to its hashed name first). */
  private fileExists(metric: string): boolean {
    const file = metricFilePath(this.config.settings.LOCAL_DATA_DIR, metric, this.config.settings.TAG_HASH_FILENAMES);
    return fs.existsSync(file) || this.adoptUnhashedFile(metric, file);
  }

  /** The create spec of a new metric: one object per (schema, aggregation), so a batch sends each once. */
  private createSpec(metric: string): CreateSpec {
    const { settings } = this.config;
    const { schema, xFilesFactor, aggregationMethod } = this.matchConfig(metric);
    const key = `${xFilesFactor} ${aggregationMethod}`;
    let byAggregation = this.specs.get(schema);
    if (!byAggregation) this.specs.set(schema, (byAggregation = new Map()));
    let spec = byAggregation.get(key);
    if (!spec) byAggregation.set(key, (spec = { archives: schema.archives, xFilesFactor, aggregationMethod, sparse: settings.WHISPER_SPARSE_CREATE, fallocate: settings.WHISPER_FALLOCATE_CREATE }));
    return spec;
  }

  /**
   * Whether a metric not yet written gets its create without looking for its file here: when
   * creates are not limited (no token to spend on a file that exists), except a tagged series that
   * may have to be renamed to its hashed name.
   */
  private createsUnchecked(metric: string): boolean {
    return this.config.settings.MAX_CREATES_PER_MINUTE === Infinity && !(this.config.settings.TAG_HASH_FILENAMES && metric.includes(';'));
  }

  /**
   * carbon with TAG_HASH_FILENAMES: a tagged series stored under its readable name (written with
   * the setting off) is renamed to its hashed name instead of starting a new file.
   */
  private adoptUnhashedFile(metric: string, file: string): boolean {
    if (!metric.includes(';') || !this.config.settings.TAG_HASH_FILENAMES) return false;
    const readable = metricFilePath(this.config.settings.LOCAL_DATA_DIR, metric, false);
    try {
      fs.renameSync(readable, file);
    } catch {
      return false;
    }
    this.config.logger.info(`renamed ${readable} to ${file} (TAG_HASH_FILENAMES)`);
    return true;
  }

  /** The schema and aggregation storage-schemas.conf and storage-aggregation.conf give `metric`. */
  private matchConfig(metric: string): { schema: ReturnType<typeof matchSchema> } & ReturnType<typeof matchAggregation> {
    return { schema: matchSchema(this.config.schemas(), metric), ...matchAggregation(this.config.aggregation(), metric) };
  }

  private logCreate(metric: string): void {
    const { schema, xFilesFactor, aggregationMethod } = this.matchConfig(metric);
    channelOf(this.config.logger, 'creates').info(`new metric ${metric} matched schema [${schema.name}] ${schema.retentions}, ${aggregationMethod} xFilesFactor ${xFilesFactor}`);
  }

  /** Writes a batch; metrics whose write failed (and went back to the cache) join `retryLater`. */
  private async dispatch(batch: WriteJob[], retryLater: Set<string>): Promise<number> {
    const { settings, stats, logger, clock, tags } = this.config;
    let results: WriteJobResult[];
    try {
      results = await this.executor.run(batch, {
        lock: settings.WHISPER_LOCK_WRITES,
        autoflush: settings.WHISPER_AUTOFLUSH,
        now: clock.now(),
        dataDir: settings.LOCAL_DATA_DIR,
        tagHashFilenames: settings.TAG_HASH_FILENAMES,
        newSince: this.startedAt,
      });
    } catch (error) {
      this.restore(batch);
      throw error;
    }
    for (const job of batch) this.inFlight.delete(job.metric);
    let written = 0;
    results.forEach((result, index) => {
      if (result.created) {
        stats.count('creates');
        tags?.add(result.metric);
        if (settings.LOG_CREATES) this.logCreate(result.metric);
      }
      if (result.missing) {
        // Its file was removed since it was last written: made again, with a create, next pass.
        this.existing.delete(result.metric);
        this.restore([batch[index]]);
        retryLater.add(result.metric);
        return;
      }
      if (result.error !== undefined) {
        stats.count('errors');
        const attempts = (this.failures.get(result.metric) ?? 0) + 1;
        if (attempts < MAX_WRITE_ATTEMPTS) {
          this.failures.set(result.metric, attempts);
          this.restore([batch[index]]);
          retryLater.add(result.metric);
          this.logError(`Error writing ${result.metric} (attempt ${attempts} of ${MAX_WRITE_ATTEMPTS}, will retry): ${result.error}`);
        } else {
          this.failures.delete(result.metric);
          // A create made or failed, then no write: the new metric's points are dropped (not so for a file that existed).
          if (result.created || result.createFailed) stats.count('droppedCreates');
          this.logError(`Dropped ${batch[index].points.length / 2} points of ${result.metric} after ${attempts} failed writes: ${result.error}`);
        }
        return;
      }
      this.failures.delete(result.metric);
      if (this.existing.size >= MAX_KNOWN_FILES) this.existing.clear();
      this.existing.add(result.metric);
      tags?.update(result.metric);
      stats.count('updateOperations');
      stats.count('committedPoints', result.written);
      stats.count('updateMicroseconds', result.microseconds);
      if (settings.LOG_UPDATES) channelOf(logger, 'updates').debug(`wrote ${result.written} points of ${result.metric}`);
      written += result.written;
    });
    await yieldToEventLoop();
    return written;
  }

  /**
   * Drains passes until `signal` aborts. After emptying the cache it rests up to a second, as
   * carbon's writer does, but starts again as soon as points came and stopped coming for one
   * look (a burst is written when it ends instead of waiting in memory, and the writer does not
   * take the CPU from the receivers while the burst is read); when a pass could write nothing
   * (creates held back by MAX_CREATES_PER_MINUTE) it rests the whole second.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { cache, clock } = this.config;
    while (!signal.aborted) {
      try {
        const written = await this.drainPass(signal);
        if (written === 0 && cache.size > 0) await clock.sleep(IDLE_SLEEP_MS, signal);
        else if (cache.size === 0) {
          // Elapsed time, not a deadline: a wall clock stepped back must not stretch the rest.
          const started = clock.now();
          let seen = 0;
          for (let elapsedMs = 0; !signal.aborted && elapsedMs >= 0 && elapsedMs < IDLE_SLEEP_MS; ) {
            await clock.sleep(Math.min(IDLE_POLL_MS, IDLE_SLEEP_MS - elapsedMs), signal);
            elapsedMs = (clock.now() - started) * 1000;
            // Points came and then stopped coming: the burst is over, write it now.
            if (cache.size > 0 && cache.size === seen) break;
            seen = cache.size;
          }
        }
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
    let stalled = 0;
    while (this.config.cache.size > 0) {
      const before = this.config.cache.size;
      written += await this.drainPass();
      // A pass that wrote nothing is retried (failed writes get their attempts), but not forever.
      if (this.config.cache.size >= before) {
        if (++stalled >= MAX_WRITE_ATTEMPTS) break;
      } else stalled = 0;
    }
    return written;
  }

  /** Stops the executor (after flushAll). */
  close(): Promise<void> {
    return this.executor.close();
  }
}
