/**
 * One relay destination: a bounded in-memory queue, a TCP connection that reconnects with
 * backoff, and a spool on disk. Points go to the spool when the destination is down, when the
 * queue is full, or while older points are still spooled (so they arrive in order). The sender
 * writes batches of at most MAX_DATAPOINTS_PER_MESSAGE in the line or pickle protocol, waits
 * for the socket to drain (no hidden unbounded buffer), and re-queues a batch whose connection
 * failed (at-least-once: a point may arrive twice, never zero times).
 */
import net from 'node:net';
import type { Clock } from '../../clock.js';
import { type Logger, rateLimited } from '../../logger.js';
import { encodePickle, pickleTuple } from '../protocol/pickle-encoder.js';
import { frame } from '../receiver/frame-reader.js';
import { type Destination, formatDestination } from './destination.js';
import { DiskQueue, type SpooledPoint } from './disk-queue.js';

export type DestinationProtocol = 'line' | 'pickle';

export interface LinkOptions {
  destination: Destination;
  protocol: DestinationProtocol;
  maxQueueSize: number;
  maxPerMessage: number;
  spoolDir: string;
  clock: Clock;
  logger: Logger;
}

export interface LinkCounters {
  sent: number;
  spooled: number;
  batchesSent: number;
  reconnects: number;
}

const INITIAL_BACKOFF_MS = 100;
/** A connection attempt or a write that takes longer than this is abandoned (the batch is re-queued). */
const IO_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** Batches (of at most MAX_DATAPOINTS_PER_MESSAGE) put into one socket write when the queue is deep. */
const BATCHES_PER_WRITE = 32;
const MAX_BACKOFF_MS = 10_000;

/** Encodes a batch for the wire. */
export function encodeBatch(points: readonly SpooledPoint[], protocol: DestinationProtocol): Buffer {
  if (protocol === 'pickle') return frame(encodePickle(points.map(([m, t, v]) => pickleTuple(m, pickleTuple(t, v)))));
  let text = '';
  for (const [m, t, v] of points) text += `${m} ${v} ${t}\n`;
  return Buffer.from(text);
}

export class DestinationLink {
  readonly name: string;
  readonly counters: LinkCounters = { sent: 0, spooled: 0, batchesSent: 0, reconnects: 0 };
  private readonly queue: SpooledPoint[] = [];
  private readonly spool: DiskQueue;
  private socket?: net.Socket;
  private wake?: () => void;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: LinkOptions) {
    this.name = formatDestination(options.destination);
    this.spool = new DiskQueue(options.spoolDir);
    this.warn = rateLimited((m) => options.logger.warn(m), options.clock, 5);
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  /** The last connection attempt failed and no connection is open (any_of and failover clusters pass it over). */
  get down(): boolean {
    return this.failing && this.socket === undefined;
  }

  private failing = false;

  /** Points held for this destination (memory and spool). */
  get backlog(): number {
    return this.queue.length + this.spool.points;
  }

  get spoolBytes(): number {
    return this.spool.bytes;
  }

  /** Takes a point for this destination. */
  enqueue(metric: string, timestamp: number, value: number): void {
    if (!this.connected || !this.spool.isEmpty || this.queue.length >= this.options.maxQueueSize) {
      this.spool.push(metric, timestamp, value);
      this.counters.spooled++;
    } else {
      this.queue.push([metric, timestamp, value]);
    }
    this.wake?.();
  }

  /** Writes spooled points to disk (after each read of the receivers); on a disk error they stay in memory and are retried. */
  flushSpool(): void {
    try {
      this.spool.flush();
    } catch (error) {
      this.warn(`destination ${this.name}: cannot write the spool (${(error as Error).message}); keeping the points in memory and retrying`);
    }
  }

  private connect(): Promise<void> {
    const { server, port } = this.options.destination;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: server, port, timeout: CONNECT_TIMEOUT_MS });
      socket.once('timeout', () => socket.destroy(Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' })));
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        socket.setNoDelay(true);
        socket.on('error', () => socket.destroy());
        socket.once('close', () => {
          if (this.socket === socket) this.socket = undefined;
          this.wake?.();
        });
        this.socket = socket;
        resolve();
      });
      socket.once('error', reject);
    });
  }

  /**
   * Writes batches and waits until the socket has taken them; false when the connection failed,
   * stalled for IO_TIMEOUT_MS or `signal` aborted (the socket is then closed).
   */
  private write(encoded: Buffer, signal: AbortSignal): Promise<boolean> {
    const socket = this.socket;
    if (!socket || signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (ok: boolean): void => {
        socket.off('close', onClose);
        socket.off('drain', onDrain);
        signal.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
        resolve(ok);
      };
      const onClose = (): void => done(false);
      const onDrain = (): void => done(true);
      const onAbort = (): void => {
        socket.destroy();
        done(false);
      };
      socket.once('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
      if (socket.write(encoded)) done(!socket.destroyed);
      else {
        socket.once('drain', onDrain);
        timer = setTimeout(() => {
          this.warn(`destination ${this.name} has not read for ${IO_TIMEOUT_MS / 1000} s; reconnecting`);
          onAbort();
        }, IO_TIMEOUT_MS);
      }
    });
  }

  private async sendAll(points: SpooledPoint[], signal: AbortSignal): Promise<boolean> {
    const perMessage = this.options.maxPerMessage;
    for (let at = 0; at < points.length; at += perMessage * BATCHES_PER_WRITE) {
      const chunk = points.slice(at, at + perMessage * BATCHES_PER_WRITE);
      const messages: Buffer[] = [];
      for (let m = 0; m < chunk.length; m += perMessage) messages.push(encodeBatch(chunk.slice(m, m + perMessage), this.options.protocol));
      if (!(await this.write(messages.length === 1 ? messages[0] : Buffer.concat(messages), signal))) return false;
      this.counters.sent += chunk.length;
      this.counters.batchesSent += messages.length;
    }
    return true;
  }

  /** Delivers until `signal` aborts: memory queue first (older), then the spool. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    const wakeOnAbort = (): void => this.wake?.();
    signal.addEventListener('abort', wakeOnAbort, { once: true });
    try {
      await this.deliver(signal);
    } catch (error) {
      this.options.logger.error(`destination ${this.name}: delivery stopped: ${(error as Error).stack}`);
    } finally {
      signal.removeEventListener('abort', wakeOnAbort);
    }
  }

  private async deliver(signal: AbortSignal): Promise<void> {
    let backoff = INITIAL_BACKOFF_MS;
    while (!signal.aborted) {
      if (!this.connected) {
        try {
          await this.connect();
          this.failing = false;
          if (backoff !== INITIAL_BACKOFF_MS) this.options.logger.info(`destination ${this.name} is back`);
          backoff = INITIAL_BACKOFF_MS;
        } catch (error) {
          this.counters.reconnects++;
          this.failing = true;
          this.warn(`destination ${this.name} unreachable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); spooling, retry in ${backoff} ms`);
          if (!(await this.pause(backoff, signal))) return;
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
      }
      if (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxPerMessage * BATCHES_PER_WRITE);
        if (!(await this.sendAll(batch, signal))) this.requeue(batch);
        continue;
      }
      let head: ReturnType<DiskQueue['takeHead']>;
      try {
        head = this.spool.takeHead();
      } catch (error) {
        this.warn(`destination ${this.name}: cannot read the spool (${(error as Error).message}); retrying in ${backoff} ms`);
        if (!(await this.pause(backoff, signal))) return;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      if (head) {
        if (await this.sendAll(head.points, signal)) head.done();
        continue;
      }
      if (signal.aborted) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  /** Waits `ms` (a back-off); false when `signal` aborted meanwhile. */
  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.options.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** Puts a batch that was not delivered back at the front of the queue (no spread: batches can be large). */
  private requeue(batch: SpooledPoint[]): void {
    const rest = this.queue.splice(0);
    for (const point of batch) this.queue.push(point);
    for (const point of rest) this.queue.push(point);
  }

  /** Moves what is still in memory to the front of the spool (it is older) and closes the connection. */
  close(): void {
    const left = this.queue.splice(0);
    this.spool.pushFront(left);
    this.counters.spooled += left.length;
    this.spool.close();
    this.socket?.end();
    this.socket = undefined;
  }
}
