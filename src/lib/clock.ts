/**
 * Injected time. Library code never reads the wall clock itself: it asks a Clock, so tests and
 * scripts can fix "now" (like whisper.py's `now=` argument and graphite-web's `now=`), and
 * daemons are tested without real sleeps.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Seconds since the epoch, possibly fractional. */
  now(): number;
  /** Resolves after `ms` milliseconds (rejects with an AbortError when `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real wall clock. */
export const systemClock: Clock = {
  now: () => Date.now() / 1000,
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/** A clock that always answers `epochSeconds` (until changed with `set`); sleeps return at once. */
export class FixedClock implements Clock {
  constructor(private epochSeconds: number) {}
  now(): number {
    return this.epochSeconds;
  }
  /** Moves the clock to `epochSeconds`. */
  set(epochSeconds: number): void {
    this.epochSeconds = epochSeconds;
  }
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return Promise.resolve();
  }
}

/**
 * A clock for tests of daemons: time stands still until `advance()` moves it, and sleepers wake
 * when their deadline is reached.
 */
export class ManualClock implements Clock {
  private sleepers: Array<{ until: number; resolve: () => void }> = [];
  constructor(private epochSeconds: number) {}

  now(): number {
    return this.epochSeconds;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const sleeper = { until: this.epochSeconds + ms / 1000, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      });
    });
  }

  /** Moves time forward by `seconds` and wakes every sleeper whose deadline has come. */
  advance(seconds: number): void {
    this.epochSeconds += seconds;
    const due = this.sleepers.filter((s) => s.until <= this.epochSeconds);
    this.sleepers = this.sleepers.filter((s) => s.until > this.epochSeconds);
    for (const sleeper of due) sleeper.resolve();
  }
}

/** Whole seconds since the epoch, as whisper.py's `int(time.time())`. */
export function nowSeconds(clock: Clock): number {
  return Math.trunc(clock.now());
}
