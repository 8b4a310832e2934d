/**
 * Registers series with graphite-web's tag database, as carbon's writeTagsForever does with
 * ENABLE_TAGS: batches of TAG_BATCH_SIZE names from the TagQueue are POSTed as `path` fields to
 * GRAPHITE_URL/tags/tagMultiSeries (a 5 s timeout; anything but 200 is a failure).
 *
 * Unlike carbon, which logs a failed batch and forgets it, gph puts the batch back and retries
 * with a growing pause (1 s doubling to 30 s), so a series created while graphite-web was down is
 * still registered once it is back; and stop() tries once more to register what is queued.
 */
import type { Clock } from '../../clock.js';
import { fetchFailureReason } from '../../errors.js';
import { rateLimited, type Logger } from '../../logger.js';
import type { CacheStats } from '../cache-stats.js';
import type { TagQueue } from './tag-queue.js';

/** carbon's writer sleeps this long when the queue is empty. */
const IDLE_MS = 200;
/** carbon.http's request timeout. */
const REQUEST_TIMEOUT_SECONDS = 5;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export interface TagRegistrarConfig {
  queue: TagQueue;
  /** carbon's GRAPHITE_URL (no trailing path needed). */
  graphiteUrl: string;
  batchSize: number;
  clock: Clock;
  logger: Logger;
  stats: CacheStats;
}

export class TagRegistrar {
  private readonly endpoint: string;
  private readonly logError: (message: string) => void;
  private retryMs = FIRST_RETRY_MS;

  constructor(private readonly config: TagRegistrarConfig) {
    this.endpoint = `${config.graphiteUrl.replace(/\/+$/, '')}/tags/tagMultiSeries`;
    this.logError = rateLimited((m) => config.logger.error(m), config.clock);
  }

  /** Registers batches until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { queue, clock } = this.config;
    while (!signal.aborted) {
      const batch = queue.takeBatch(this.config.batchSize);
      let pauseMs = IDLE_MS;
      if (batch.length > 0) {
        if (await this.register(batch)) pauseMs = 0;
        else {
          queue.requeue(batch);
          pauseMs = this.retryMs;
          this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
        }
      }
      try {
        if (pauseMs > 0) await clock.sleep(pauseMs, signal);
      } catch {
        return;
      }
      // A clock whose sleeps resolve at once (tests) must not starve the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** At shutdown: registers what is still queued, stopping at the first failure. */
  async flush(): Promise<void> {
    const { queue, batchSize } = this.config;
    while (queue.size > 0) {
      const batch = queue.takeBatch(batchSize);
      if (!(await this.register(batch))) {
        this.config.logger.warn(`shutdown: ${batch.length + queue.size} series were not registered with ${this.endpoint}`);
        return;
      }
    }
  }

  /** POSTs one batch; true when graphite-web accepted it. */
  private async register(batch: readonly string[]): Promise<boolean> {
    const { stats, logger } = this.config;
    const body = new URLSearchParams(batch.map((name) => ['path', name]));
    let failure: string;
    try {
      const response = await globalThis.fetch(this.endpoint, { method: 'POST', body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000) });
      await response.arrayBuffer();
      if (response.status === 200) {
        stats.count('tagsRegistered', batch.length);
        this.retryMs = FIRST_RETRY_MS;
        logger.debug(`tagged ${batch.length} series at ${this.endpoint}`);
        return true;
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = fetchFailureReason(error, REQUEST_TIMEOUT_SECONDS);
    }
    stats.count('tagErrors');
    this.logError(`Error tagging ${batch.length} series (${batch[0]}${batch.length > 1 ? ', …' : ''}) at ${this.endpoint}: ${failure}; will retry. Check GRAPHITE_URL in carbon.conf, or set ENABLE_TAGS = False`);
    return false;
  }
}
