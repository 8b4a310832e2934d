/**
 * Logging for the daemons: one line per event, "timestamp level message", with the time taken
 * from the injected clock. `rateLimited` keeps floods of bad input from flooding the log.
 */
import type { Clock } from './clock.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing lines to `write` (e.g. a file or stderr), dropping levels below `level`. */
export function createLogger(write: (line: string) => void, clock: Clock, level: LogLevel = 'info'): Logger {
  const log = (at: LogLevel) => (message: string) => {
    if (ORDER[at] < ORDER[level]) return;
    write(`${new Date(clock.now() * 1000).toISOString()} ${at.toUpperCase().padEnd(5)} ${message}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that discards everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Wraps `log` so that at most `perInterval` messages per `intervalSeconds` get through; the
 * next message after a quiet spell says how many were suppressed.
 */
export function rateLimited(log: (message: string) => void, clock: Clock, perInterval = 10, intervalSeconds = 60): (message: string) => void {
  let windowStart = -Infinity;
  let sent = 0;
  let suppressed = 0;
  return (message) => {
    const now = clock.now();
    if (now - windowStart >= intervalSeconds) {
      if (suppressed > 0) log(`(${suppressed} similar messages suppressed)`);
      windowStart = now;
      sent = 0;
      suppressed = 0;
    }
    if (sent < perInterval) {
      sent++;
      log(message);
    } else suppressed++;
  };
}
