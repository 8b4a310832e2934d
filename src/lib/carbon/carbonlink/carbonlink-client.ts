/**
 * The client side of carbonlink (graphite-web's CarbonLinkPool): asks a carbon-cache (gph's or
 * carbon's) for points not yet written to disk. Hosts are "host:port[:instance]"; a metric's
 * cache is chosen with carbon's consistent-hash ring over the (host, instance) pairs, as the
 * relay routes it. One cache-query-bulk request per host.
 */
import net from 'node:net';
import { GphError } from '../../errors.js';
import { decodePickle, type PickleValue } from '../protocol/pickle-decoder.js';
import { encodePickle } from '../protocol/pickle-encoder.js';
import { ConsistentHashRing, type HashType, type RingNode } from '../relay/hash-ring.js';

export interface CarbonlinkHost {
  host: string;
  port: number;
  instance: string | null;
}

const FRAME_HEADER_BYTES = 4;
const MAX_REPLY_BYTES = 256 * 1024 ** 2;

/** Parses "127.0.0.1:7002[:a]" (graphite-web's CARBONLINK_HOSTS entries). */
export function parseCarbonlinkHost(text: string): CarbonlinkHost {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)(?::(.+))?$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new GphError('RENDER_BAD_CARBONLINK', `Invalid carbonlink host "${text}"`, { hint: 'Write host:port or host:port:instance, e.g. 127.0.0.1:7002:a' });
  }
  return { host: m[1].replace(/^\[|\]$/g, ''), port, instance: m[3] ?? null };
}

export type CachedPoints = Map<string, Array<[number, number]>>;

function toPoints(value: PickleValue | undefined): Array<[number, number]> {
  if (!Array.isArray(value)) return [];
  const out: Array<[number, number]> = [];
  for (const item of value) {
    if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'number' && typeof item[1] === 'number') out.push([item[0], item[1]]);
  }
  return out;
}

/** Sends one request frame and reads one reply frame. */
function exchange(host: CarbonlinkHost, request: Buffer, timeoutMs: number): Promise<PickleValue> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: host.host, port: host.port });
    let received = Buffer.alloc(0);
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('connect', () => {
      const header = Buffer.alloc(FRAME_HEADER_BYTES);
      header.writeUInt32BE(request.length);
      socket.write(Buffer.concat([header, request]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < FRAME_HEADER_BYTES) return;
      const length = received.readUInt32BE(0);
      if (length > MAX_REPLY_BYTES) return fail(new Error(`reply of ${length} bytes is too large`));
      if (received.length < FRAME_HEADER_BYTES + length) return;
      socket.end();
      try {
        resolve(decodePickle(received.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length)));
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.on('end', () => {
      if (received.length < FRAME_HEADER_BYTES || received.length < FRAME_HEADER_BYTES + received.readUInt32BE(0)) fail(new Error('connection closed before the reply'));
    });
  });
}

export interface CarbonlinkPoolOptions {
  hashType?: HashType;
  timeoutMs?: number;
}

export class CarbonlinkPool {
  private readonly ring: ConsistentHashRing;
  private readonly timeoutMs: number;

  constructor(
    readonly hosts: readonly CarbonlinkHost[],
    options: CarbonlinkPoolOptions = {},
  ) {
    this.ring = new ConsistentHashRing(
      hosts.map((h): RingNode => ({ server: h.host, instance: h.instance })),
      options.hashType ?? 'carbon_ch',
    );
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  /** The cache that holds `metric`. */
  hostFor(metric: string): CarbonlinkHost {
    const node = this.ring.getNode(metric);
    return this.hosts.find((h) => h.host === node.server && h.instance === node.instance)!;
  }

  /**
   * Cached points of every metric (missing ones have none). A cache that fails or times out is
   * reported through `onError` and contributes nothing, as graphite-web logs and carries on.
   */
  async query(metrics: readonly string[], onError: (host: CarbonlinkHost, error: Error) => void = () => {}): Promise<CachedPoints> {
    const byHost = new Map<CarbonlinkHost, string[]>();
    for (const metric of metrics) {
      const host = this.hostFor(metric);
      const list = byHost.get(host) ?? [];
      list.push(metric);
      byHost.set(host, list);
    }
    const out: CachedPoints = new Map();
    await Promise.all(
      [...byHost].map(async ([host, names]) => {
        try {
          const reply = await exchange(host, encodePickle({ type: 'cache-query-bulk', metrics: names }), this.timeoutMs);
          const byMetric = reply instanceof Map ? reply.get('datapointsByMetric') : undefined;
          if (!(byMetric instanceof Map)) throw new Error(reply instanceof Map && reply.has('error') ? String(reply.get('error')) : 'unexpected reply');
          for (const name of names) out.set(name, toPoints(byMetric.get(name)));
        } catch (error) {
          onError(host, error as Error);
        }
      }),
    );
    return out;
  }
}
