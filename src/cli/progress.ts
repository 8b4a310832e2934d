/**
 * A progress bar on stderr for long work over many files; silent when stderr is not a terminal
 * (pipes, CI) or when output is JSON.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

const SILENT: Progress = { tick() {}, stop() {} };

/** Starts a bar for `total` steps when it is worth showing. */
export function startProgress(total: number, what: string, enabled = true): Progress {
  if (!enabled || total < 2 || !process.stderr.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${what} [{bar}] {value}/{total} {rate}/s ETA {eta_formatted} {label}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let done = 0;
  bar.start(total, 0, { label: '', rate: '0' });
  return {
    tick(label = '') {
      done++;
      const seconds = (Date.now() - started) / 1000;
      bar.increment(1, { label, rate: seconds > 0 ? (done / seconds).toFixed(1) : '0' });
    },
    stop() {
      bar.stop();
    },
  };
}
