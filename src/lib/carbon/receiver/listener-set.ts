/**
 * The TCP listeners of a daemon and their connections: listen with a clear error when a port
 * cannot be bound, and on shutdown stop accepting, keep reading until clients have been quiet
 * for a moment (what they sent before the stop is taken), then close every connection.
 */
import type dgram from 'node:dgram';
import net from 'node:net';
import type { Clock } from '../../clock.js';
import { GphError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** However busy the clients are, draining at shutdown ends after this long. */
export const MAX_DRAIN_MS = 2000;

/**
 * Runs `start` (listen or bind) and resolves once `emitter` is listening; an 'error' on the way
 * becomes LISTEN_FAILED naming what, where and what to do.
 */
export async function bindOrFail(emitter: { once(event: 'error', f: (e: Error) => void): unknown; off(event: 'error', f: (e: Error) => void): unknown }, start: (done: () => void) => void, what: string, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    emitter.once('error', reject);
    start(() => {
      emitter.off('error', reject);
      resolve();
    });
  }).catch((cause: NodeJS.ErrnoException) => {
    throw new GphError('LISTEN_FAILED', `Cannot listen for ${what} on ${host}:${port}: ${cause.code ?? cause.message}`, {
      cause,
      hint: cause.code === 'EADDRINUSE' ? `Another process uses port ${port}; stop it or choose another port in carbon.conf` : 'Check the interface address and your permissions',
    });
  });
}

export class ListenerSet {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly udpSockets: dgram.Socket[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Listens on host:port (0 = any free port); returns the bound port. Throws LISTEN_FAILED. */
  async listen(server: net.Server, port: number, host: string, what: string): Promise<number> {
    this.servers.push(server);
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await bindOrFail(server, (done) => server.listen(port, host, done), what, host, port);
    const bound = (server.address() as net.AddressInfo).port;
    this.logger.info(`listening for ${what} on ${host}:${bound}`);
    return bound;
  }

  /** Binds a UDP socket (closed by close()); returns the bound port. Throws LISTEN_FAILED. */
  async bindUdp(socket: dgram.Socket, port: number, host: string, what: string): Promise<number> {
    this.udpSockets.push(socket);
    await bindOrFail(socket, (done) => socket.bind(port, host, done), what, host, port);
    const bound = socket.address().port;
    this.logger.info(`listening for ${what} on ${host}:${bound}`);
    return bound;
  }

  /**
   * Stops accepting, reads until the connections have been quiet for `quietMs` (0: not at all; at
   * most MAX_DRAIN_MS in all, so a client that never stops sending cannot hold up a shutdown),
   * then closes them all (idle carbonlink clients included) and waits for the servers to close.
   * `beforeDrain` runs first (e.g. resuming paused receivers so they can be read).
   */
  async close(quietMs: number, beforeDrain: () => void = () => {}): Promise<void> {
    const closing = Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    beforeDrain();
    const sockets = [...this.sockets];
    if (quietMs > 0 && sockets.length > 0) {
      const started = this.clock.now();
      let lastData = started;
      const onData = (): void => {
        lastData = this.clock.now();
      };
      for (const socket of sockets) socket.on('data', onData);
      const now = (): number => this.clock.now();
      while (sockets.some((s) => !s.destroyed) && (now() - lastData) * 1000 < quietMs && (now() - started) * 1000 < MAX_DRAIN_MS) await this.clock.sleep(Math.min(quietMs, 50));
    }
    for (const socket of this.sockets) socket.destroy();
    for (const socket of this.udpSockets.splice(0)) socket.close();
    await closing;
  }
}
