/** Metric names given to a command: one per line, the first field of each line (so "metric value timestamp" lines work too). */

export function splitNames(texts: readonly string[]): string[] {
  return texts
    .flatMap((text) => text.split('\n'))
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => name);
}

/**
 * Metric names from stdin, read as a stream (a pipe may be non-blocking or slow, where a single
 * synchronous read fails with EAGAIN). Commands that read stdin mark their arguments
 * ignoreStdin: oclif's own stdin reading gives up after 10 ms and loses what it had read.
 */
export async function readNames(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return splitNames([Buffer.concat(chunks).toString('utf8')]);
}

/** The names in the arguments, or on stdin when there are none. */
export async function namesFromArgsOrStdin(argv: readonly string[]): Promise<string[]> {
  return argv.length ? splitNames(argv) : readNames();
}
