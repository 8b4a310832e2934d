import test from 'ava';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { sendAndClose, pickleFrame } from '../../_helpers/carbon-client.js';
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
