/** At most N renders at once; the rest wait in line, and a full line refuses (HTTP 503). */
import { GphError } from '../errors.js';

export class RenderLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) {
        throw new GphError('WEB_BUSY', `Too many renders waiting (${this.waiting.length})`, { hint: 'Retry shortly, or raise MAX_CONCURRENT_RENDERS' });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
