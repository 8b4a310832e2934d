/** Runs `gph <args>` (a daemon started with --json) and waits for its {"ready": ...} line; killed at teardown. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { ExecutionContext } from 'ava';
import { GPH_BIN } from './run-gph.js';

export interface SpawnedDaemon<Ready> {
  child: ChildProcess;
  ready: Ready;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnDaemon<Ready>(t: ExecutionContext, args: string[], cwd: string): Promise<SpawnedDaemon<Ready>> {
  const child = spawn(process.execPath, [GPH_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  t.teardown(() => {
    clearTimeout(killer);
    child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve((JSON.parse(line) as { ready: Ready }).ready);
    });
    void exited.then((code) => reject(new Error(`gph ${args.join(' ')} exited early (${code}): ${stderr}`)));
  });
  return {
    child,
    ready,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
