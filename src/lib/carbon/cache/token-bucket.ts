/**
 * A token bucket on the injected clock (carbon's TokenBucket): `capacity` tokens, refilled at
 * `ratePerSecond`. An infinite rate never limits.
 */
import type { Clock } from '../../clock.js';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private ratePerSecond: number,
    private capacity: number,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Changes the rate (and capacity), e.g. to MAX_UPDATES_PER_SECOND_ON_SHUTDOWN. */
  setRate(ratePerSecond: number, capacity = ratePerSecond): void {
    this.refill();
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last); // a clock stepped backwards adds nothing, takes nothing
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerSecond);
    this.last = now;
  }

  /** Takes a token if one is there. */
  tryTake(): boolean {
    if (this.ratePerSecond === Infinity) return true;
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until a token will be there (0 when one is). */
  waitMs(): number {
    if (this.ratePerSecond === Infinity) return 0;
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }
}
