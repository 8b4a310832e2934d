import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { sendAndClose } from '../../_helpers/carbon-client.js';
import { startLineSink } from '../../_helpers/line-sink.js';
import { runGph } from '../../_helpers/run-gph.js';
import { spawnDaemon } from '../../_helpers/spawn-daemon.js';
import { tempDir } from '../../_helpers/temp-dir.js';
import { waitFor } from '../../_helpers/wait-for.js';

test('gph relay start forwards to its destinations and exits 0 on SIGTERM', async (t) => {
  const sink = await startLineSink(t);
  const args = ['relay', 'start', '--json', '--line-port', '0', '--pickle-port', '-1', '--protocol', 'line', '--destinations', `127.0.0.1:${sink.port}:a`, '--spool-dir', 'spool'];
  const relay = await spawnDaemon<{ ports: { line: number } }>(t, args, tempDir(t));
  await sendAndClose(relay.ready.ports.line, Array.from({ length: 500 }, (_, i) => `cli.relay.m${i} ${i} 1700000000\n`).join(''));
  await waitFor(() => sink.lines.length === 500, '500 forwarded points');
  t.is(await relay.stop(), 0, relay.stderr());
  t.regex(relay.stdout(), /"delivered": true/);
});

test('gph relay start -f routes by a carbon-c-relay configuration; a broken one is refused with the line', async (t) => {
  const dir = tempDir(t);
  const [a, b] = [await startLineSink(t), await startLineSink(t)];
  fs.writeFileSync(path.join(dir, 'relay.conf'), `listen type linemode 0 proto tcp ;\ncluster both forward 127.0.0.1:${a.port} 127.0.0.1:${b.port} ;\nmatch * send to both stop ;\n`);
  const relay = await spawnDaemon<{ ports: { line: number } }>(t, ['relay', 'start', '--json', '-f', 'relay.conf', '--pickle-port', '-1', '--spool-dir', 'spool'], dir);
  await sendAndClose(relay.ready.ports.line, Array.from({ length: 100 }, (_, i) => `cli.crelay.m${i} ${i} 1700000000\n`).join(''));
  await waitFor(() => a.lines.length === 100 && b.lines.length === 100, 'both mirrors to receive every point');
  t.is(await relay.stop(), 0, relay.stderr());

  fs.writeFileSync(path.join(dir, 'broken.conf'), 'cluster c forward 127.0.0.1:1 ;\nmatch * send to nowhere ;\n');
  const broken = runGph(['relay', 'test', '-f', 'broken.conf'], { cwd: dir, input: 'a.b\n' });
  t.is(broken.status, 1);
  t.regex(broken.stderr, /cluster "nowhere", which is not defined/);
  const usage = runGph(['relay', 'test'], { cwd: dir, input: '' });
  t.is(usage.status, 2);
  t.regex(usage.stderr, /needs the destinations/);
});
