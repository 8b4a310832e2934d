// Helpers shared by the benchmark scripts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A loopback port that was free a moment ago. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A new directory for one benchmark's files, with a random name, in `gph-bench` under the
 * system's temporary directory. `gph-bench` is made the top of a directory tree for ext4's Orlov
 * allocator (`chattr +T`, where it can be), so each run's directory starts in an allocation group
 * found from its (random) name instead of beside /tmp's or the last run's: on ext4 without a
 * journal (this VM's disk), new files in a group where many were deleted in the last minutes (a
 * previous run's clean-up) cost ~10x as much, for whichever program creates them: measured
 * 137-185 us per file against 12-13 right after deleting 40,000 files. Elsewhere (no chattr,
 * another file system) it is a plain temporary directory.
 */
export function benchRoot(prefix) {
  const parent = path.join(os.tmpdir(), 'gph-bench');
  fs.mkdirSync(parent, { recursive: true });
  spawnSync('chattr', ['+T', parent], { stdio: 'ignore' });
  return fs.mkdtempSync(path.join(parent, prefix));
}

export const median = (list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)];

const ORACLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/render-oracle');

/** ../shared/render-oracle's fixture with its benchmark scale-up, written to `whisperDir`. */
export function makeBenchFixture(whisperDir, anchor) {
  const made = spawnSync('/usr/bin/python3', [path.join(ORACLE, 'make-fixture.py'), whisperDir, String(anchor), '--seed', '1', '--bench'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`make-fixture.py failed: ${made.stderr}`);
}

/** Starts the Debian graphite-web (gunicorn) on `whisperDir` and `port`; returns its pid for stopGraphiteWeb. */
export function startGraphiteWeb(whisperDir, port) {
  const started = spawnSync('bash', [path.join(ORACLE, 'start-graphite-web.sh'), whisperDir, String(port)], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`graphite-web did not start: ${started.stderr}`);
  return started.stdout.trim().split('\n').pop();
}

export function stopGraphiteWeb(pid) {
  spawnSync('bash', [path.join(ORACLE, 'stop-graphite-web.sh'), pid]);
}
