/**
 * Options shared by every whisper operation: the injected clock and whisper.py's module
 * switches (LOCK, AUTOFLUSH, CACHE_HEADERS, FADVISE_RANDOM) plus gph's compatibility switch.
 */
import { type Clock, systemClock } from '../clock.js';
import type { HeaderCache } from './header-cache.js';

export interface WhisperOptions {
  /** Where "now" comes from (whisper.py's `now=`). Default: the system clock. */
  clock?: Clock;
  /** Take an exclusive flock(2) while writing, so carbon and gph can share files (whisper.py LOCK). */
  lock?: boolean;
  /** fsync after every write operation (whisper.py AUTOFLUSH). */
  autoflush?: boolean;
  /** Accepted for compatibility with whisper.py FADVISE_RANDOM; Node offers no posix_fadvise, so it has no effect. */
  fadviseRandom?: boolean;
  /** Reuse decoded headers between operations (whisper.py CACHE_HEADERS). */
  headerCache?: HeaderCache;
  /**
   * Reproduce whisper.py 1.1.4 exactly, including the defects gph otherwise fixes (see the README's
   * list of deliberate differences). Used by the golden tests and GPH_COMPAT=whisper.
   */
  compat?: boolean;
}

/** Options with defaults filled in. */
export interface ResolvedOptions {
  clock: Clock;
  lock: boolean;
  autoflush: boolean;
  headerCache?: HeaderCache;
  compat: boolean;
}

/** Fills in the defaults of `options`. */
export function resolveOptions(options: WhisperOptions = {}): ResolvedOptions {
  return {
    clock: options.clock ?? systemClock,
    lock: options.lock ?? false,
    autoflush: options.autoflush ?? false,
    headerCache: options.headerCache,
    compat: options.compat ?? false,
  };
}
