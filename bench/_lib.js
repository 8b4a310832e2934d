// Helpers shared by the benchmark scripts.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
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
