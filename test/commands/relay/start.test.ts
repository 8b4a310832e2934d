import test from 'ava';
import { spawn } from 'node:child_process';
import { sendAndClose } from '../../_helpers/carbon-client.js';
import { startLineSink } from '../../_helpers/line-sink.js';
import { GPH_BIN } from '../../_helpers/run-gph.js';
import { tempDir } from '../../_helpers/temp-dir.js';
import { waitFor } from '../../_helpers/wait-for.js';

test('gph relay start forwards to its destinations and exits 0 on SIGTERM', async (t) => {
  const dir = tempDir(t);
  const sink = await startLineSink(t);
  const child = spawn(process.execPath, [GPH_BIN, 'relay', 'start', '--json', '--line-port', '0', '--pickle-port', '-1', '--protocol', 'line', '--destinations', `127.0.0.1:${sink.port}:a`, '--spool-dir', 'spool'], {
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
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const ready = await new Promise<{ ready: { ports: { line: number } } }>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      const line = stdout.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`exited early (${code}): ${stderr}`)));
  });
  await sendAndClose(ready.ready.ports.line, Array.from({ length: 500 }, (_, i) => `cli.relay.m${i} ${i} 1700000000\n`).join(''));
  await waitFor(() => sink.lines.length === 500, '500 forwarded points');
  child.kill('SIGTERM');
  t.is(await new Promise<number | null>((resolve) => child.once('exit', resolve)), 0, stderr);
  t.regex(stdout, /"delivered": true/);
});
