/**
 * Injected time. Library code never reads the wall clock itself: it asks a Clock, so tests and
 * scripts can fix "now" (like whisper.py's `now=` argument and graphite-web's `now=`).
 */
export interface Clock {
  /** Seconds since the epoch, possibly fractional. */
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() / 1000 };

/** A clock that always answers `epochSeconds` (until changed with `set`). */
export class FixedClock implements Clock {
  constructor(private epochSeconds: number) {}
  now(): number {
    return this.epochSeconds;
  }
  /** Moves the clock to `epochSeconds`. */
  set(epochSeconds: number): void {
    this.epochSeconds = epochSeconds;
  }
}

/** Whole seconds since the epoch, as whisper.py's `int(time.time())`. */
export function nowSeconds(clock: Clock): number {
  return Math.trunc(clock.now());
}
