import test from 'ava';
import { sendAndClose } from '../../_helpers/carbon-client.js';
import { startLineSink } from '../../_helpers/line-sink.js';
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
