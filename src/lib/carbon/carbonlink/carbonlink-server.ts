/**
 * The cache query port (carbonlink): graphite-web asks for points not yet on disk.
 * Requests and replies are length-prefixed pickles (see ../reference carbon.md section 13):
 * cache-query, cache-query-bulk, get-metadata and set-metadata (aggregationMethod only).
 * Replies are pickle protocol 2. A request gph cannot read gets an {'error': ...} reply and the
 * connection stays open (carbon drops the connection without a reply).
 */
import net from 'node:net';
import { channelOf, type Logger, rateLimited } from '../../logger.js';
import type { Clock } from '../../clock.js';
import { PickleError, type PickleValue, decodePickle } from '../protocol/pickle-decoder.js';
import { type PickleInput, encodePickle, pickleTuple } from '../protocol/pickle-encoder.js';
import type { CacheStats } from '../cache-stats.js';
import { FrameReader, frame } from '../receiver/frame-reader.js';

/** Largest carbonlink request (carbon allows 1 GiB; a bulk query for 1M metric names fits in 64 MiB). */
export const MAX_CARBONLINK_REQUEST_BYTES = 64 * 1024 ** 2;

/** Whisper metadata behind get-metadata / set-metadata. */
export interface MetadataStore {
  get(metric: string, key: string): string;
  set(metric: string, key: string, value: string): string;
}

export interface CarbonlinkContext {
  /** The points of a metric not yet on disk (cached or being written). */
  pointsOf(metric: string): Array<[number, number]>;
  stats: CacheStats;
  metadata: MetadataStore;
  logger: Logger;
  clock: Clock;
  logHits: boolean;
}

const points = (list: Array<[number, number]>): PickleInput[] => list.map(([t, v]) => pickleTuple(t, v));

function field(request: Map<PickleValue, PickleValue>, key: string): PickleValue {
  if (!request.has(key)) throw new Error(`request has no "${key}"`);
  return request.get(key)!;
}

function text(value: PickleValue, key: string): string {
  if (typeof value !== 'string') throw new Error(`"${key}" is not a string`);
  return value;
}

/** Answers one decoded request. */
export function answerCarbonlink(request: PickleValue, context: CarbonlinkContext): PickleInput {
  if (!(request instanceof Map)) return { error: 'Invalid request: expected a dict' };
  const type = request.get('type');
  try {
    switch (type) {
      case 'cache-query': {
        const metric = text(field(request, 'metric'), 'metric');
        context.stats.count('cache.queries');
        if (context.logHits) channelOf(context.logger, 'query').debug(`cache query for ${metric}`);
        return { datapoints: points(context.pointsOf(metric)) };
      }
      case 'cache-query-bulk': {
        const metrics = field(request, 'metrics');
        if (!Array.isArray(metrics)) throw new Error('"metrics" is not a list');
        context.stats.count('cache.bulk_queries');
        context.stats.count('cache.bulk_query_metrics', metrics.length);
        const byMetric = new Map<string, PickleInput>();
        for (const metric of metrics) byMetric.set(text(metric, 'metrics'), points(context.pointsOf(text(metric, 'metrics'))));
        return { datapointsByMetric: byMetric };
      }
      case 'get-metadata':
        return { value: context.metadata.get(text(field(request, 'metric'), 'metric'), text(field(request, 'key'), 'key')) };
      case 'set-metadata': {
        const value = text(field(request, 'value'), 'value');
        const old = context.metadata.set(text(field(request, 'metric'), 'metric'), text(field(request, 'key'), 'key'), value);
        return { old_value: old, new_value: value };
      }
      default:
        return { error: `Invalid request type "${String(type)}"` };
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A TCP server speaking carbonlink. */
export function createCarbonlinkServer(context: CarbonlinkContext): net.Server {
  const warn = rateLimited((m) => context.logger.warn(m), context.clock);
  return net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    const reader = new FrameReader(
      {
        frame: (body) => {
          let reply: PickleInput;
          try {
            reply = answerCarbonlink(decodePickle(body), context);
          } catch (error) {
            if (!(error instanceof PickleError)) throw error;
            warn(`invalid carbonlink request from ${from} (${error.message})`);
            reply = { error: `Invalid request: ${error.message}` };
          }
          socket.write(frame(encodePickle(reply)));
        },
        tooLarge: (length) => {
          warn(`carbonlink request of ${length} bytes from ${from} is over the limit; closing`);
          socket.destroy();
        },
      },
      MAX_CARBONLINK_REQUEST_BYTES,
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
  });
}
