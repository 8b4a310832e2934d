import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { pickleTuple } from '../../../src/lib/carbon/protocol/pickle-encoder.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { CarbonlinkClient, pickleFrame, sendAndClose } from '../../_helpers/carbon-client.js';
import { spawnDaemon } from '../../_helpers/spawn-daemon.js';
import { tempDir } from '../../_helpers/temp-dir.js';

interface Ready {
  ports: { line: number; pickle: number; cacheQuery: number };
}

const CACHE_ARGS = ['cache', 'start', '--json', '--line-port', '0', '--pickle-port', '0', '--cache-query-port', '0'];

/** How many of metric `${prefix}${i}` (i < count) hold the value i at `now`. */
function pointsOnDisk(dir: string, prefix: string[], count: number, now: number): number {
  const clock = new FixedClock(now);
  let found = 0;
  for (let i = 0; i < count; i++) {
    const values = fetch(path.join(dir, ...prefix.slice(0, -1), `${prefix[prefix.length - 1]}${i}.wsp`), now - 120, now, {}, { clock })?.values ?? [];
    if (values.includes(i)) found++;
  }
  return found;
}

test('gph cache start writes every point sent just before SIGTERM, then exits 0', async (t) => {
  const dir = tempDir(t);
  const daemon = await spawnDaemon<Ready>(t, [...CACHE_ARGS, '--data-dir', 'whisper'], dir);
  const now = Math.floor(Date.now() / 1000);
  const count = 300;
  await sendAndClose(daemon.ready.ports.line, Array.from({ length: count }, (_, i) => `shutdown.line.m${i} ${i} ${now}\n`).join(''));
  await sendAndClose(daemon.ready.ports.pickle, pickleFrame(Array.from({ length: count }, (_, i) => pickleTuple(`shutdown.pickle.m${i}`, pickleTuple(now, i)))));
  t.is(await daemon.stop(), 0, daemon.stderr());
  t.regex(daemon.stdout(), /"stopped"/);
  const whisper = path.join(dir, 'whisper');
  t.is(pointsOnDisk(whisper, ['shutdown', 'line', 'm'], count, now) + pointsOnDisk(whisper, ['shutdown', 'pickle', 'm'], count, now), 2 * count);
});

test('with the journal, points the cache acknowledged before SIGKILL are on disk after a restart', async (t) => {
  const dir = tempDir(t);
  const args = [...CACHE_ARGS, '--data-dir', 'data/whisper', '--journal', 'batch', '--max-updates-per-second', '0.001'];
  const first = await spawnDaemon<Ready>(t, args, dir);
  const now = Math.floor(Date.now() / 1000);
  const count = 200;
  await sendAndClose(first.ready.ports.line, Array.from({ length: count }, (_, i) => `crash.m${i} ${i} ${now}\n`).join(''));
  // The points are acknowledged once the cache answers for them over carbonlink.
  const client = await CarbonlinkClient.open(first.ready.ports.cacheQuery);
  const metrics = Array.from({ length: count }, (_, i) => `crash.m${i}`);
  for (let tries = 0; ; tries++) {
    const reply = (await client.request({ type: 'cache-query-bulk', metrics })) as Map<string, Map<string, unknown[]>>;
    const cached = [...reply.get('datapointsByMetric')!.values()].filter((points) => points.length > 0).length;
    if (cached === count) break;
    if (tries > 500) throw new Error(`only ${cached} of ${count} points reached the cache`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  client.close();
  await first.stop('SIGKILL');
  t.false(fs.existsSync(path.join(dir, 'data', 'whisper', 'crash', 'm0.wsp')), 'nothing was written before the kill');

  const second = await spawnDaemon<Ready>(t, args, dir);
  t.is(await second.stop(), 0, second.stderr());
  t.is(pointsOnDisk(path.join(dir, 'data', 'whisper'), ['crash', 'm'], count, now), count);
  t.regex(second.stderr(), /journal: replayed 200 points/);
});

test("--log-dir writes carbon's log files: console.log, creates.log, listener.log", async (t) => {
  const dir = tempDir(t);
  const daemon = await spawnDaemon<Ready>(t, [...CACHE_ARGS, '--data-dir', 'whisper', '--log-dir', 'logs'], dir);
  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(daemon.ready.ports.line, `logs.test.metric 1 ${now}\n`);
  t.is(await daemon.stop(), 0, daemon.stderr());
  const read = (name: string): string => fs.readFileSync(path.join(dir, 'logs', name), 'utf8');
  t.regex(read('console.log'), /INFO  gph cache .* writing to/);
  t.regex(read('creates.log'), /new metric logs\.test\.metric matched schema/);
  t.regex(read('listener.log'), /MetricLineReceiver connection with 127\.0\.0\.1:\d+ established[\s\S]*closed cleanly/);
  t.notRegex(read('console.log'), /new metric/);
});
