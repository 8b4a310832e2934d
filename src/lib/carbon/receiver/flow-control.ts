/**
 * Pauses reading on every receiving socket while the cache is full and resumes when it has
 * room again (USE_FLOW_CONTROL). Senders then wait in TCP back-pressure; nothing is dropped.
 */
import type { Socket } from 'node:net';

export class FlowControl {
  private readonly sockets = new Set<Socket>();
  private paused = false;
  /** How many times reading was paused. */
  pauses = 0;

  /** The open receiving connections. */
  connections(): Socket[] {
    return [...this.sockets];
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Tracks `socket` until it closes, pausing it at once if reading is paused. */
  register(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.paused) socket.pause();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.pauses++;
    for (const socket of this.sockets) socket.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const socket of this.sockets) socket.resume();
  }
}
