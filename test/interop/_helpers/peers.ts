/**
 * Starts the Debian reference daemons through ../shared's launchers for interop tests, on
 * 127.0.0.1, and stops them when the test ends.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared');
export const CARBON_PEERS = path.join(SHARED, 'carbon-peers');
export const RENDER_ORACLE = path.join(SHARED, 'render-oracle');

/** A port that was free a moment ago (bind 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a ../shared launcher until it prints READY; stops it (SIGTERM, then SIGKILL) at teardown. */
export async function startPeer(t: ExecutionContext, script: string, args: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn('bash', [path.join(CARBON_PEERS, script), ...args], { env: { ...process.env, MAX_LIFETIME: '600', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  t.teardown(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
  });
  for (let waited = 0; !/^READY$/m.test(output); waited += 50) {
    if (/^FAILED$/m.test(output) || child.exitCode !== null || waited > 60_000) throw new Error(`${script} did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** Starts graphite-web on `whisperDir` with CARBONLINK_HOSTS; stopped at teardown. Returns its port. */
export async function startGraphiteWeb(t: ExecutionContext, whisperDir: string, carbonlinkHosts: string): Promise<number> {
  const port = await freePort();
  const run = spawnSync('bash', [path.join(RENDER_ORACLE, 'start-graphite-web.sh'), whisperDir, String(port), carbonlinkHosts], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`graphite-web did not start: ${run.stderr}`);
  const pid = run.stdout.trim().split('\n').pop()!;
  t.teardown(() => {
    spawnSync('bash', [path.join(RENDER_ORACLE, 'stop-graphite-web.sh'), pid], { timeout: 60_000 });
  });
  return port;
}

/** True when ../shared and the Debian packages the peers need are there. */
export function peersAvailable(): string | undefined {
  if (!fs.existsSync(CARBON_PEERS)) return `${CARBON_PEERS} is missing`;
  for (const binary of ['/usr/bin/carbon-relay', '/usr/bin/carbon-c-relay', '/usr/bin/carbon-cache']) {
    if (!fs.existsSync(binary)) return `${binary} is missing: apt-get install -y graphite-carbon carbon-c-relay`;
  }
  return undefined;
}
