import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GPH_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built gph binary (npm test builds it first) with `args` in `cwd`. */
export function runGph(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): RunResult {
  const child = spawnSync(process.execPath, [GPH_BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', GPH_COMPAT: '', ...options.env },
  });
  return { status: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}
