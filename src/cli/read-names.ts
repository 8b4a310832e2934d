/** Metric names given to a command: one per line, the first field of each line (so "metric value timestamp" lines work too). */
import fs from 'node:fs';

export function splitNames(texts: readonly string[]): string[] {
  return texts
    .flatMap((text) => text.split('\n'))
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => name);
}

/** Metric names from stdin. (Commands that read stdin mark their arguments ignoreStdin: oclif's own stdin reading gives up after 10 ms and loses what it had read.) */
export function readNames(): string[] {
  return splitNames([fs.readFileSync(0, 'utf8')]);
}

/** The names in the arguments, or on stdin when there are none. */
export function namesFromArgsOrStdin(argv: readonly string[]): string[] {
  return argv.length ? splitNames(argv) : readNames();
}
