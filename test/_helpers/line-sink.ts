/** A TCP server that records every plaintext line it receives (a stand-in carbon-cache for relay tests). */
import net from 'node:net';
import type { ExecutionContext } from 'ava';

export interface LineSink {
  port: number;
  lines: string[];
  close(): Promise<void>;
  /** Starts reading connections that a `paused` sink holds unread. */
  resume(): void;
}

/** Listens on `port` (0: any) and collects lines; `paused`: a slow destination that reads nothing until resume(). Closed at teardown. */
export async function startLineSink(t: ExecutionContext, port = 0, options: { paused?: boolean } = {}): Promise<LineSink> {
  const lines: string[] = [];
  const sockets = new Set<net.Socket>();
  let paused = options.paused ?? false;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    if (paused) socket.pause();
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  t.teardown(close);
  const resume = (): void => {
    paused = false;
    for (const socket of sockets) socket.resume();
  };
  return { port: (server.address() as net.AddressInfo).port, lines, close, resume };
}
