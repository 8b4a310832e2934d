/**
 * What the daemon commands (cache start, relay start) share: their logger, and waiting for
 * SIGTERM or SIGINT with handlers installed before anything is announced. A second signal during
 * shutdown is logged; a third forces the exit (the journal or spool keeps what was not written).
 */
import fs from 'node:fs';
import { systemClock } from '../lib/clock.js';
import { type Logger, createLogger } from '../lib/logger.js';

/** A logger to stderr, or appending to `logFile`. */
export function daemonLogger(logFile: string | undefined, debug: boolean): Logger {
  let write = (line: string): void => void process.stderr.write(line);
  if (logFile) {
    // One descriptor for the daemon's life: a write per line, no open and close per line.
    const fd = fs.openSync(logFile, 'a');
    write = (line) => void fs.writeSync(fd, line);
  }
  return createLogger(write, systemClock, debug ? 'debug' : 'info');
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
