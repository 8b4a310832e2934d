import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { sendAndClose } from '../_helpers/carbon-client.js';
import { spawnDaemon } from '../_helpers/spawn-daemon.js';
import { tempDir } from '../_helpers/temp-dir.js';

interface UpReady {
  dataDir: string;
  line: number;
  web: string;
}

test('gph up: a point sent over the line protocol is in /render before it is on disk, and on disk after Ctrl-C', async (t) => {
  const dir = tempDir(t);
  const up = await spawnDaemon<UpReady>(t, ['up', '--line-port', '0', '--pickle-port', '0', '--cache-query-port', '0', '--web-port', '0', '--json'], dir);
  t.is(up.ready.dataDir, path.join(dir, 'data', 'whisper'));
  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(up.ready.line, `up.test.metric 42 ${now}\n`);
  // The file is created on the first flush; until then find and render see nothing, so poll (bounded).
  let values: Array<number | null> = [];
  for (let attempt = 0; attempt < 200 && !values.includes(42); attempt++) {
    const response = await globalThis.fetch(`${up.ready.web}/render?target=up.test.metric&from=-5min&format=json`);
    const body = (await response.json()) as Array<{ datapoints: Array<[number | null, number]> }>;
    values = body[0]?.datapoints.map(([v]) => v) ?? [];
    if (!values.includes(42)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.true(values.includes(42), 'the point shows in /render');
  const find = (await (await globalThis.fetch(`${up.ready.web}/metrics/find?query=up.test.*`)).json()) as Array<{ text: string }>;
  t.deepEqual(
    find.map((n) => n.text),
    ['metric'],
  );
  t.is(await up.stop('SIGINT'), 0);
  t.true(fs.existsSync(path.join(dir, 'data', 'whisper', 'up', 'test', 'metric.wsp')));
  t.regex(up.stdout(), /"stopped"/);
});

test('gph up --relay: a point sent to the relay reaches the cache and /render', async (t) => {
  const dir = tempDir(t);
  const up = await spawnDaemon<UpReady & { relayLine: number }>(t, ['up', '--relay', '--relay-line-port', '0', '--relay-pickle-port', '0', '--line-port', '0', '--pickle-port', '0', '--cache-query-port', '0', '--web-port', '0', '--json'], dir);
  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(up.ready.relayLine, `via.relay 7 ${now}\n`);
  let values: Array<number | null> = [];
  for (let attempt = 0; attempt < 200 && !values.includes(7); attempt++) {
    const body = (await (await globalThis.fetch(`${up.ready.web}/render?target=via.relay&from=-5min&format=json`)).json()) as Array<{ datapoints: Array<[number | null, number]> }>;
    values = body[0]?.datapoints.map(([v]) => v) ?? [];
    if (!values.includes(7)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.true(values.includes(7));
  t.is(await up.stop('SIGTERM'), 0);
});

test('gph web start serves a whisper directory and stops on SIGTERM', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'whisper'));
  const web = await spawnDaemon<{ url: string }>(t, ['web', 'start', '--port', '0', '--storage-dir', path.join(dir, 'whisper'), '--json'], dir);
  const version = await (await globalThis.fetch(`${web.ready.url}/version`)).text();
  t.is(version, '1.1.8');
  t.is(await web.stop(), 0);
  t.regex(web.stderr(), /"GET \/version" 200/);
});
