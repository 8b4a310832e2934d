import { type Clock, FixedClock, systemClock } from '../lib/clock.js';
import { pyInt } from '../lib/python/py-convert.js';

/** The clock for a command: --now / GPH_NOW when given, else the system clock. */
export function clockFrom(now: string | undefined): Clock {
  if (now === undefined || now === '') return systemClock;
  return new FixedClock(pyInt(now));
}

/** True when gph should behave exactly as the whisper-* scripts, defects included. */
export function compatMode(): boolean {
  return process.env.GPH_COMPAT === 'whisper';
}
