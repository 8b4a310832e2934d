import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { CarbonlinkClient, pickleFrame, sendAndClose } from '../../_helpers/carbon-client.js';
import { GPH_BIN } from '../../_helpers/run-gph.js';
import { tempDir } from '../../_helpers/temp-dir.js';
import { pickleTuple } from '../../../src/lib/carbon/protocol/pickle-encoder.js';

interface Ready {
  ready: { ports: { line: number; pickle: number; cacheQuery: number } };
}

test('gph cache start writes every point sent just before SIGTERM, then exits 0', async (t) => {
  const dir = tempDir(t);
  const child = spawn(process.execPath, [GPH_BIN, 'cache', 'start', '--json', '--line-port', '0', '--pickle-port', '0', '--cache-query-port', '0', '--data-dir', 'whisper'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  t.teardown(() => {
    clearTimeout(killer);
    child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve(JSON.parse(line) as Ready);
    });
    child.once('exit', (code) => reject(new Error(`exited early (${code}): ${stderr}`)));
  });
  const now = Math.floor(Date.now() / 1000);
  const count = 300;
  const lines = Array.from({ length: count }, (_, i) => `shutdown.line.m${i} ${i} ${now}\n`).join('');
  await sendAndClose(ready.ready.ports.line, lines);
  await sendAndClose(ready.ready.ports.pickle, pickleFrame(Array.from({ length: count }, (_, i) => pickleTuple(`shutdown.pickle.m${i}`, pickleTuple(now, i)))));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.is(code, 0, stderr);
  t.regex(stdout, /"stopped"/);
  const clock = new FixedClock(now);
  let found = 0;
  for (const kind of ['line', 'pickle']) {
    for (let i = 0; i < count; i++) {
      const values = fetch(path.join(dir, 'whisper', 'shutdown', kind, `m${i}.wsp`), now - 120, now, {}, { clock })?.values ?? [];
      if (values.includes(i)) found++;
    }
  }
  t.is(found, 2 * count);
});

test('with the journal, points the cache acknowledged before SIGKILL are on disk after a restart', async (t) => {
  const dir = tempDir(t);
  const start = () => {
    const child = spawn(process.execPath, [GPH_BIN, 'cache', 'start', '--json', '--line-port', '0', '--pickle-port', '0', '--cache-query-port', '0', '--data-dir', 'data/whisper', '--journal', 'batch', '--max-updates-per-second', '0.001'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    t.teardown(() => {
      clearTimeout(killer);
      child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const ready = new Promise<Ready>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        const line = stdout.split('\n').find((l) => l.startsWith('{"ready"'));
        if (line) resolve(JSON.parse(line) as Ready);
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${stderr}`)));
    });
    return { child, ready, stderr: () => stderr };
  };
  const first = start();
  const { ready } = await first.ready;
  const now = Math.floor(Date.now() / 1000);
  const count = 200;
  await sendAndClose(ready.ports.line, Array.from({ length: count }, (_, i) => `crash.m${i} ${i} ${now}\n`).join(''));
  // The points are acknowledged once the cache answers for them over carbonlink.
  const client = await CarbonlinkClient.open(ready.ports.cacheQuery);
  const metrics = Array.from({ length: count }, (_, i) => `crash.m${i}`);
  for (let tries = 0; ; tries++) {
    const reply = (await client.request({ type: 'cache-query-bulk', metrics })) as Map<string, Map<string, unknown[]>>;
    const cached = [...reply.get('datapointsByMetric')!.values()].filter((points) => points.length > 0).length;
    if (cached === count) break;
    if (tries > 500) throw new Error(`only ${cached} of ${count} points reached the cache`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  client.close();
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  t.false(fs.existsSync(path.join(dir, 'data', 'whisper', 'crash', 'm0.wsp')), 'nothing was written before the kill');

  const second = start();
  await second.ready;
  second.child.kill('SIGTERM');
  t.is(await new Promise<number | null>((resolve) => second.child.once('exit', resolve)), 0, second.stderr());
  const clock = new FixedClock(now);
  let found = 0;
  for (let i = 0; i < count; i++) {
    if ((fetch(path.join(dir, 'data', 'whisper', 'crash', `m${i}.wsp`), now - 120, now, {}, { clock })?.values ?? []).includes(i)) found++;
  }
  t.is(found, count);
  t.regex(second.stderr(), /journal: replayed 200 points/);
});
