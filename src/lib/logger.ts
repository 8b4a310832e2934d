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
  /** carbon's separate logs (LOG_DIR/creates.log …); a logger without channels logs everything itself. */
  channel?(name: LogChannel): Logger;
}

/** carbon's log files besides console.log. */
export type LogChannel = 'creates' | 'updates' | 'listener' | 'query';

/** Where connections are logged: listener.log when there is one, else the main log at debug level (they would flood it). */
export function connectionLogger(logger: Logger): Logger {
  return logger.channel ? logger.channel('listener') : { ...logger, info: logger.debug };
}

/** The logger for one of carbon's channels (the logger itself when it has no channels). */
export function channelOf(logger: Logger, name: LogChannel): Logger {
  return logger.channel ? logger.channel(name) : logger;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger writing lines to `write` (e.g. a file or stderr), dropping levels below `level`;
 * `channels` gives carbon's other logs their own writers (as LOG_DIR/creates.log …).
 */
export function createLogger(write: (line: string) => void, clock: Clock, level: LogLevel = 'info', channels?: (name: LogChannel) => (line: string) => void): Logger {
  const make = (to: (line: string) => void): Logger => {
    const log = (at: LogLevel) => (message: string) => {
      if (ORDER[at] < ORDER[level]) return;
      to(`${new Date(clock.now() * 1000).toISOString()} ${at.toUpperCase().padEnd(5)} ${message}\n`);
    };
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  };
  const logger = make(write);
  if (channels) {
    const byName = new Map<LogChannel, Logger>();
    logger.channel = (name) => {
      let channel = byName.get(name);
      if (!channel) byName.set(name, (channel = make(channels(name))));
      return channel;
    };
  }
  return logger;
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
