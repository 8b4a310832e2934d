/**
 * Runs the Debian reference tools (python3-whisper under /usr/bin/python3) for interop tests.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REFERENCE_PYTHON = '/usr/bin/python3';
const ORACLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../_oracle/whisper_ops.py');

export type FileHashes = Record<string, { size: number; sha256: string }>;

/** Throws a clear error when the reference packages are not installed. */
export function requireReference(): void {
  const probe = spawnSync(REFERENCE_PYTHON, ['-c', 'import whisper'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error('python3-whisper is not installed: run `apt-get install -y python3-whisper` (CI does this in .ci/run)');
  }
}

/** Applies an op script with whisper.py in `workdir`; returns its results and file hashes. */
export function runReferenceOps(workdir: string, script: unknown): { results: unknown[]; files: FileHashes } {
  const child = spawnSync(REFERENCE_PYTHON, [ORACLE, workdir], { input: JSON.stringify(script), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`reference oracle failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

/** Runs a whisper-* script with time.time() fixed at `now` and TZ=UTC, as the golden vectors were recorded. */
export function runReferenceScript(tool: string, args: string[], cwd: string, now: number): { status: number; stdout: string; stderr: string } {
  const bootstrap = `import sys, time, runpy\ntime.time = lambda: ${now}\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')`;
  const child = spawnSync(REFERENCE_PYTHON, ['-I', '-c', bootstrap, `/usr/bin/${tool}`, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
  });
  return { status: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

/** Size and sha256 of every file directly in `dir`. */
export function hashFiles(dir: string): FileHashes {
  const out: FileHashes = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const bytes = fs.readFileSync(path.join(dir, name));
    out[name] = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return out;
}
