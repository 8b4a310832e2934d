/**
 * Starts the Debian reference daemons through ../shared's launchers for interop tests, on
 * 127.0.0.1, and stops them when the test ends.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { freePort } from '../../_helpers/free-port.js';

export { freePort };

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared');
export const CARBON_PEERS = path.join(SHARED, 'carbon-peers');
export const RENDER_ORACLE = path.join(SHARED, 'render-oracle');

/** SIGTERM at teardown, SIGKILL 20 s later if it is still there. */
function stopAtTeardown(t: ExecutionContext, child: ChildProcess): void {
  t.teardown(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
  });
}

/** Runs a ../shared launcher until it prints READY; stops it (SIGTERM, then SIGKILL) at teardown. */
export async function startPeer(t: ExecutionContext, script: string, args: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn('bash', [path.join(CARBON_PEERS, script), ...args], { env: { ...process.env, MAX_LIFETIME: '600', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  stopAtTeardown(t, child);
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

/**
 * Starts graphite-web on `whisperDir` and `port` with extra local_settings lines (e.g.
 * CLUSTER_SERVERS), the way ../shared's start-graphite-web.sh does (its settings writer, django
 * migrate, gunicorn), since that script takes no extra settings. Stopped at teardown.
 */
export async function startGraphiteWebWith(t: ExecutionContext, whisperDir: string, port: number, extraSettings: string): Promise<void> {
  const python = '/usr/bin/python3';
  const lib = path.join(RENDER_ORACLE, 'lib');
  const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'gph-graphite-web-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = spawnSync(python, [path.join(lib, 'oracle_setup.py'), 'write', tmp, whisperDir, String(port), '2', ''], { encoding: 'utf8' });
  if (write.status !== 0) throw new Error(`oracle_setup.py write failed: ${write.stderr}`);
  fs.appendFileSync(path.join(tmp, 'conf', 'gph_oracle_local_settings.py'), `${extraSettings}\n`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PYTHONPATH: `${path.join(tmp, 'conf')}:${lib}`,
    PYTHONNOUSERSITE: '1',
    DJANGO_SETTINGS_MODULE: 'graphite.settings',
    GRAPHITE_SETTINGS_MODULE: 'gph_oracle_local_settings',
    GPH_ORACLE_TMP: tmp,
    GPH_ORACLE_NO_CARBONLINK: '1',
    TZ: 'UTC',
  };
  const migrate = spawnSync(python, ['-m', 'django', 'migrate', '--noinput', '-v', '0'], { cwd: tmp, env, encoding: 'utf8', timeout: 120_000 });
  if (migrate.status !== 0) throw new Error(`django migrate failed: ${migrate.stderr}`);
  const server = spawn(python, ['-m', 'gunicorn', '-c', path.join(tmp, 'conf', 'gunicorn_conf.py'), 'gph_oracle_wsgi:application'], { cwd: tmp, env, stdio: 'ignore' });
  stopAtTeardown(t, server);
  // Polled without blocking: an in-process gph node may have to answer graphite-web meanwhile.
  for (let waited = 0; ; waited += 200) {
    if (server.exitCode !== null) throw new Error(`graphite-web exited during start-up (status ${server.exitCode})`);
    const ok = await globalThis
      .fetch(`http://127.0.0.1:${port}/metrics/find?query=*&format=json&local=1`, { signal: AbortSignal.timeout(5000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    if (waited > 60_000) throw new Error(`graphite-web did not answer on ${port} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
