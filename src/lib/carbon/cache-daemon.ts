/**
 * gph's carbon-cache: receivers (line over TCP and UDP, pickle), the metric cache, the writer,
 * the carbonlink query port, self-metrics and an optional Prometheus endpoint, wired together.
 * start() listens and returns the bound ports; stop() stops listening, reads what clients have
 * already sent, and writes every cached point to disk before it resolves.
 */
import fs from 'node:fs';
import net from 'node:net';
import { type PrometheusEndpoint, servePrometheus } from './prometheus-endpoint.js';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { type Logger, connectionLogger } from '../logger.js';
import { info } from '../whisper/info.js';
import { setAggregationMethod } from '../whisper/set-aggregation.js';
import { unnamedFilesWork } from '../whisper/unnamed-file.js';
import { youngGenerationCollector } from '../young-generation-collector.js';
import { CacheStats } from './cache-stats.js';
import { CacheWriter } from './cache/cache-writer.js';
import { Journal } from './cache/journal.js';
import { WorkerPool, inlineExecutor, workerAvailable } from './cache/write-executor.js';
import { MetricCache } from './cache/metric-cache.js';
import { TagQueue } from './cache/tag-queue.js';
import { TagRegistrar } from './cache/tag-registrar.js';
import { createCarbonlinkServer, type MetadataStore } from './carbonlink/carbonlink-server.js';
import type { CacheSettings } from './config/cache-settings.js';
import {
  type AggregationRule,
  EMBEDDED_AGGREGATION_CONF,
  EMBEDDED_SCHEMAS_CONF,
  type StorageSchema,
  loadStorageAggregation,
  loadStorageSchemas,
  parseStorageAggregation,
  parseStorageSchemas,
} from './config/storage-schemas.js';
import { metricFilePath } from './metric-name.js';
import { FlowControl } from './receiver/flow-control.js';
import { ListenerSet } from './receiver/listener-set.js';
import { createLineServer, createLineUdpSocket, createPickleServer, type ListenerContext } from './receiver/listeners.js';
import { NameTable } from './receiver/name-table.js';
import { PointIntake } from './receiver/point-intake.js';
import { MetricFilter } from './metric-filter.js';
import { CpuSampler, cacheSelfMetrics, prometheusText, selfMetricPrefix } from './self-metrics.js';

/** How often the schema files are checked for changes (carbon re-reads them every 60 s). */
const SCHEMA_RELOAD_SECONDS = 60;

export interface CacheDaemonOptions {
  settings: CacheSettings;
  clock: Clock;
  logger: Logger;
  /** carbon's --instance (default "a"). */
  instance?: string;
  /** Host name used in self-metric names (default: os.hostname()). */
  host?: string;
  /**
   * After stop() closes the listeners, how long to keep reading connections that are still
   * sending (until they stay quiet this long). 0 in tests with a manual clock.
   */
  drainQuietMs?: number;
  /** Names the receivers' NameTable holds before it starts again (default MAX_NAMES; small in tests). */
  maxNames?: number;
}

export interface CachePorts {
  line?: number;
  udp?: number;
  pickle?: number;
  cacheQuery?: number;
  prometheus?: number;
}

interface SchemaFiles {
  schemas?: string;
  aggregation?: string;
}

export class CacheDaemon {
  readonly stats = new CacheStats();
  readonly cache: MetricCache;
  readonly flow = new FlowControl();
  private readonly writer: CacheWriter;
  private readonly journal?: Journal;
  /** Series waiting to be registered with graphite-web (ENABLE_TAGS). */
  readonly tagQueue?: TagQueue;
  private readonly tagRegistrar?: TagRegistrar;
  private readonly abort = new AbortController();
  private readonly listeners: ListenerSet;
  private prometheus?: PrometheusEndpoint;
  private schemas: readonly StorageSchema[] = [];
  private aggregation: readonly AggregationRule[] = [];
  private schemaFiles: SchemaFiles = {};
  private schemaMtimes = '';
  private background: Array<Promise<void>> = [];
  private lastOverflow = 0;

  constructor(private readonly options: CacheDaemonOptions) {
    const { settings } = options;
    this.listeners = new ListenerSet(options.clock, options.logger);
    this.cache = new MetricCache(
      {
        maxSize: settings.MAX_CACHE_SIZE,
        lowWatermark: Math.min(settings.CACHE_SIZE_LOW_WATERMARK, settings.MAX_CACHE_SIZE * 0.95),
        flowControl: settings.USE_FLOW_CONTROL,
      },
      { arrivalOrder: settings.CACHE_WRITE_STRATEGY === 'naive' },
    );
    this.cache.onFull = () => {
      options.logger.warn(`MetricCache is full (${this.cache.size} points)${settings.USE_FLOW_CONTROL ? ': pausing the receivers' : ': dropping new points'}`);
      if (settings.USE_FLOW_CONTROL) this.flow.pause();
    };
    this.cache.onSpaceAvailable = () => {
      options.logger.info(`MetricCache has room again (${this.cache.size} points): resuming the receivers`);
      this.flow.resume();
    };
    if (settings.CACHE_JOURNAL !== 'off') {
      const dir = settings.JOURNAL_DIR || path.join(path.dirname(path.resolve(settings.LOCAL_DATA_DIR)), 'journal', options.instance ?? 'a');
      this.journal = new Journal(dir, settings.CACHE_JOURNAL);
    }
    if (settings.ENABLE_TAGS) {
      this.tagQueue = new TagQueue(settings.TAG_QUEUE_SIZE, settings.TAG_UPDATE_INTERVAL);
      this.tagRegistrar = new TagRegistrar({ queue: this.tagQueue, graphiteUrl: settings.GRAPHITE_URL, batchSize: settings.TAG_BATCH_SIZE, clock: options.clock, logger: options.logger, stats: this.stats });
    }
    const threaded = settings.WRITER_THREADS > 0 && workerAvailable();
    if (settings.WRITER_THREADS > 0 && !threaded) options.logger.debug('writer worker script not built (running from sources): writing on the main thread');
    this.writer = new CacheWriter({
      onIdle: youngGenerationCollector(),
      executor: threaded
        ? new WorkerPool(
            settings.WRITER_THREADS,
            (error, restarting) => options.logger.error(`writer worker died (${error.message}); its batch goes back to the cache; ${restarting ? 'starting a new worker' : 'not restarted again: the other writer threads take its batches (the main thread, when none is left)'}`),
            () => unnamedFilesWork(settings.LOCAL_DATA_DIR),
          )
        : inlineExecutor,
      journal: this.journal,
      tags: this.tagQueue,
      cache: this.cache,
      settings,
      schemas: () => this.schemas,
      aggregation: () => this.aggregation,
      clock: options.clock,
      logger: options.logger,
      stats: this.stats,
    });
  }

  private get instance(): string {
    return this.options.instance ?? 'a';
  }

  /** Loads the schema files: CONF_DIR's when present, else gph's embedded ones. */
  private loadSchemas(): void {
    const { settings, logger } = this.options;
    const warn = (m: string): void => logger.warn(m);
    const inConf = (name: string): string | undefined => {
      const file = settings.CONF_DIR ? path.join(settings.CONF_DIR, name) : '';
      return file && fs.existsSync(file) ? file : undefined;
    };
    this.schemaFiles = { schemas: inConf('storage-schemas.conf'), aggregation: inConf('storage-aggregation.conf') };
    this.schemas = this.schemaFiles.schemas ? loadStorageSchemas(this.schemaFiles.schemas, warn) : parseStorageSchemas(EMBEDDED_SCHEMAS_CONF, 'embedded storage-schemas.conf', warn);
    this.aggregation = this.schemaFiles.aggregation
      ? loadStorageAggregation(this.schemaFiles.aggregation, warn)
      : this.schemaFiles.schemas
        ? []
        : parseStorageAggregation(EMBEDDED_AGGREGATION_CONF, 'embedded storage-aggregation.conf', warn);
    this.schemaMtimes = this.currentMtimes();
    logger.info(`storage schemas: ${this.schemaFiles.schemas ?? 'embedded'} (${this.schemas.length} rules); aggregation: ${this.schemaFiles.aggregation ?? (this.schemaFiles.schemas ? 'none' : 'embedded')}`);
  }

  private currentMtimes(): string {
    return [this.schemaFiles.schemas, this.schemaFiles.aggregation].map((f) => (f && fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)).join(',');
  }

  /** Re-reads the schema files when they changed; a broken edit keeps the rules in force. */
  reloadSchemasIfChanged(): boolean {
    if (this.currentMtimes() === this.schemaMtimes) return false;
    try {
      this.loadSchemas();
      return true;
    } catch (error) {
      this.schemaMtimes = this.currentMtimes();
      this.options.logger.error(`Keeping the previous storage rules: ${(error as Error).message}`);
      return false;
    }
  }

  private metadataStore(): MetadataStore {
    const { LOCAL_DATA_DIR: dataDir, TAG_HASH_FILENAMES: hashFilenames } = this.options.settings;
    const check = (key: string): void => {
      if (key !== 'aggregationMethod') throw new Error(`Unsupported metadata key "${key}"`);
    };
    return {
      get: (metric, key) => {
        check(key);
        return info(metricFilePath(dataDir, metric, hashFilenames)).aggregationMethod;
      },
      set: (metric, key, value) => {
        check(key);
        return setAggregationMethod(metricFilePath(dataDir, metric, hashFilenames), value);
      },
    };
  }

  /** Starts listening and writing. Throws LISTEN_FAILED when a port cannot be bound. */
  async start(): Promise<CachePorts> {
    const { settings, clock, logger } = this.options;
    fs.mkdirSync(settings.LOCAL_DATA_DIR, { recursive: true });
    this.loadSchemas();
    const journal = this.journal;
    if (journal) {
      const replayed = journal.open((metric, ts, value) => this.cache.store(metric, ts, value));
      if (replayed.points > 0) logger.info(`journal: replayed ${replayed.points} points not yet written before the last stop`);
      if (replayed.tornSegments > 0) logger.warn(`journal: ${replayed.tornSegments} segment(s) ended in a partial record (a crash mid-write); the records before it were replayed`);
    }
    const sink = journal
      ? (metric: string, ts: number, value: number): void => {
          if (this.cache.store(metric, ts, value)) journal.append(metric, ts, value);
        }
      : (metric: string, ts: number, value: number): void => void this.cache.store(metric, ts, value);
    const filter = settings.USE_WHITELIST ? new MetricFilter(settings.CONF_DIR || process.cwd(), clock, logger) : undefined;
    const knownSink = journal
      ? (id: number, metric: string, ts: number, value: number): void => {
          if (this.cache.storeById(id, metric, ts, value)) journal.append(metric, ts, value);
        }
      : (id: number, metric: string, ts: number, value: number): void => void this.cache.storeById(id, metric, ts, value);
    const intake = new PointIntake(sink, this.stats, clock, logger, {
      timestampResolution: settings.MIN_TIMESTAMP_RESOLUTION,
      afterChunk: journal ? () => journal.commit() : undefined,
      filter,
      knownSink,
    });
    const names = NameTable.create(() => this.cache.forgetIds(), this.options.maxNames);
    const context: ListenerContext = {
      intake,
      stats: this.stats,
      flow: this.flow,
      now: () => clock.now(),
      connections: settings.LOG_LISTENER_CONNECTIONS ? connectionLogger(logger) : undefined,
      names,
    };
    const ports: CachePorts = {};
    try {
      if (settings.LINE_RECEIVER_PORT >= 0) ports.line = await this.listeners.listen(createLineServer(context), settings.LINE_RECEIVER_PORT, settings.LINE_RECEIVER_INTERFACE, 'lines');
      if (settings.PICKLE_RECEIVER_PORT >= 0) ports.pickle = await this.listeners.listen(createPickleServer(context, settings.PICKLE_RECEIVER_MAX_LENGTH), settings.PICKLE_RECEIVER_PORT, settings.PICKLE_RECEIVER_INTERFACE, 'pickles');
      if (settings.CACHE_QUERY_PORT >= 0) {
        const pointsOf = (metric: string): Array<[number, number]> => {
          const inFlight = this.writer.pointsInFlight(metric);
          const cached = this.cache.get(metric);
          return inFlight.length === 0 ? cached : [...inFlight, ...cached];
        };
        const carbonlink = createCarbonlinkServer({ pointsOf, stats: this.stats, metadata: this.metadataStore(), logger, clock, logHits: settings.LOG_CACHE_HITS });
        ports.cacheQuery = await this.listeners.listen(carbonlink, settings.CACHE_QUERY_PORT, settings.CACHE_QUERY_INTERFACE, 'cache queries');
      }
      if (settings.ENABLE_UDP_LISTENER) {
        const socket = createLineUdpSocket(context, net.isIPv6(settings.UDP_RECEIVER_INTERFACE) ? 'udp6' : 'udp4');
        ports.udp = await this.listeners.bindUdp(socket, settings.UDP_RECEIVER_PORT, settings.UDP_RECEIVER_INTERFACE, 'UDP lines');
      }
      if (settings.PROMETHEUS_PORT >= 0) ports.prometheus = await this.listenPrometheus();
    } catch (error) {
      await this.closeListeners(0);
      throw error;
    }
    const signal = this.abort.signal;
    this.background.push(
      this.runWriter(signal),
      this.everySeconds(settings.CARBON_METRIC_INTERVAL, () => this.recordSelfMetrics()),
      this.everySeconds(SCHEMA_RELOAD_SECONDS, () => void this.reloadSchemasIfChanged()),
    );
    if (journal && settings.CACHE_JOURNAL === 'batch') this.background.push(this.everySeconds(1, () => journal.sync()));
    if (this.tagRegistrar) {
      this.background.push(this.tagRegistrar.run(signal));
      logger.info(`registering series with graphite-web's tag database at ${settings.GRAPHITE_URL} (ENABLE_TAGS)`);
    }
    logger.info(`gph cache ${this.instance} writing to ${settings.LOCAL_DATA_DIR}`);
    return ports;
  }

  private async listenPrometheus(): Promise<number> {
    const { settings, logger } = this.options;
    this.prometheus = await servePrometheus(settings.PROMETHEUS_INTERFACE, settings.PROMETHEUS_PORT, () => prometheusText(this.stats, this.cache), logger);
    return this.prometheus.port;
  }

  /** Runs the writer; if a pass fails (its points are back in the cache), logs and starts again. */
  private async runWriter(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.writer.run(signal);
      } catch (error) {
        this.options.logger.error(`writer pass failed, retrying in 1 s: ${(error as Error).stack}`);
        try {
          await this.options.clock.sleep(1000, signal);
        } catch {
          return;
        }
      }
    }
  }

  private async everySeconds(seconds: number, action: () => void): Promise<void> {
    if (!(seconds > 0)) return;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await this.options.clock.sleep(seconds * 1000, signal);
      } catch {
        return;
      }
      try {
        action();
      } catch (error) {
        this.options.logger.error(`periodic task failed: ${(error as Error).message}`);
      }
    }
  }

  private readonly cpu = new CpuSampler();

  /** Records the self-metrics of the interval into the cache (they bypass the receivers). */
  recordSelfMetrics(): void {
    const { settings, clock } = this.options;
    const prefix = selfMetricPrefix(settings.CARBON_METRIC_PREFIX, 'agents', this.instance, this.options.host);
    const overflow = this.cache.overflow - this.lastOverflow;
    this.lastOverflow = this.cache.overflow;
    const now = clock.now();
    for (const [name, value] of cacheSelfMetrics(this.stats, this.cache, overflow, this.cpu.sample(settings.CARBON_METRIC_INTERVAL))) {
      this.cache.store(`${prefix}.${name}`, now, value);
    }
  }

  /** Writes what is cached now (for tests and tools); returns the points written. */
  flushNow(): Promise<number> {
    return this.writer.drainPass();
  }

  private async closeListeners(quietMs: number): Promise<void> {
    await this.listeners.close(quietMs, () => this.flow.resume());
    this.prometheus?.close();
  }

  /**
   * Stops: no new connections, reads what connected clients already sent, stops the writer and
   * writes every cached point. Resolves with the number of points written during the flush.
   */
  async stop(): Promise<number> {
    const { logger } = this.options;
    logger.info('shutting down: closing listeners');
    await this.closeListeners(this.options.drainQuietMs ?? 200);
    this.abort.abort();
    await Promise.all(this.background);
    const pending = this.cache.size;
    const written = await this.writer.flushAll();
    await this.writer.close();
    await this.tagRegistrar?.flush();
    this.journal?.close(this.cache.size === 0);
    logger.info(`shutdown: wrote ${written} of ${pending} cached points${this.cache.size > 0 ? `; ${this.cache.size} could not be written (see errors above)` : ''}`);
    return written;
  }
}
