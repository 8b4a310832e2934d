/**
 * What the daemon commands (cache start, relay start) share: their logger, and waiting for
 * SIGTERM or SIGINT with handlers installed before anything is announced. A second signal during
 * shutdown is logged; a third forces the exit (the journal or spool keeps what was not written).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileSystemError } from '../lib/errors.js';
import { systemClock } from '../lib/clock.js';
import { type Logger, createLogger } from '../lib/logger.js';

/** Appends lines to `file`: one descriptor for the daemon's life, a write per line. */
function appender(file: string): (line: string) => void {
  const fd = fs.openSync(file, 'a');
  return (line) => void fs.writeSync(fd, line);
}

/**
 * A logger to stderr, or appending to `logFile`, or (`logDir`, carbon's --logdir) to carbon's
 * files in that directory: console.log, and creates.log, updates.log, listener.log and query.log
 * for what carbon writes there (each opened when first used).
 */
export function daemonLogger(logFile: string | undefined, debug: boolean, logDir?: string): Logger {
  const level = debug ? 'debug' : 'info';
  if (logDir) {
    try {
      fs.mkdirSync(logDir, { recursive: true });
    } catch (error) {
      throw fileSystemError(error, logDir, 'create the log directory');
    }
    return createLogger(appender(path.join(logDir, 'console.log')), systemClock, level, (name) => appender(path.join(logDir, `${name}.log`)));
  }
  const write = logFile ? appender(logFile) : (line: string): void => void process.stderr.write(line);
  return createLogger(write, systemClock, level);
}

/** Installs the handlers now; the promise resolves with the first signal's name. */
export function stopSignal(logger: Logger): Promise<string> {
  let signals = 0;
  return new Promise((resolve) => {
    const onSignal = (signal: string): void => {
      signals++;
      if (signals === 2) logger.warn(`received ${signal} again: still finishing, send it once more to exit at once`);
      if (signals >= 3) {
        logger.error(`received ${signal} a third time: exiting now; unwritten points stay in the journal or spool if enabled`);
        process.exit(1);
      }
      resolve(signal);
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
}
