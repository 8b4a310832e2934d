import test from 'ava';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ManualClock } from '../../../../src/lib/clock.js';
import { CacheDaemon } from '../../../../src/lib/carbon/cache-daemon.js';
import { type CacheSettings, embeddedDefaults } from '../../../../src/lib/carbon/config/cache-settings.js';
import { metricFilePath } from '../../../../src/lib/carbon/metric-name.js';
import { type Logger, silentLogger } from '../../../../src/lib/logger.js';
import { create } from '../../../../src/lib/whisper/create.js';
import { sendAndClose } from '../../../_helpers/carbon-client.js';
import { tempDir } from '../../../_helpers/temp-dir.js';
import { waitFor } from '../../../_helpers/wait-for.js';

const NOW = 1_700_000_040;

/** A stand-in for graphite-web's /tags/tagMultiSeries on 127.0.0.1: records each POST's paths; answers `statuses` in turn, then 200. */
async function tagEndpoint(t: Parameters<typeof tempDir>[0], statuses: number[] = []) {
  const posts: Array<{ url: string; paths: string[] }> = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      posts.push({ url: `${request.method} ${request.url}`, paths: new URLSearchParams(body).getAll('path') });
      response.statusCode = statuses.shift() ?? 200;
      response.end('[]');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { posts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function startDaemon(t: Parameters<typeof tempDir>[0], overrides: Partial<CacheSettings>) {
  const dir = tempDir(t);
  const settings: CacheSettings = { ...embeddedDefaults(dir), LINE_RECEIVER_PORT: 0, PICKLE_RECEIVER_PORT: -1, CACHE_QUERY_PORT: -1, CARBON_METRIC_INTERVAL: 0, ENABLE_TAGS: true, ...overrides };
  const clock = new ManualClock(NOW);
  const errors: string[] = [];
  const logger: Logger = { ...silentLogger, error: (m: string) => void errors.push(m) };
  const daemon = new CacheDaemon({ settings, clock, logger, instance: 'a', host: 'testhost', drainQuietMs: 0 });
  const ports = await daemon.start();
  let stopped = false;
  t.teardown(async () => {
    if (!stopped) await daemon.stop();
  });
  const stop = async (): Promise<void> => {
    stopped = true;
    await daemon.stop();
  };
  return { daemon, ports, clock, settings, errors, stop };
}

test('new series are POSTed to GRAPHITE_URL/tags/tagMultiSeries in batches of TAG_BATCH_SIZE, normalised', async (t) => {
  const endpoint = await tagEndpoint(t);
  const { daemon, ports, clock } = await startDaemon(t, { GRAPHITE_URL: `${endpoint.url}/`, TAG_BATCH_SIZE: 2 });
  await sendAndClose(ports.line!, `disk.used;host=web01;env=prod 1 ${NOW}\nplain.metric 2 ${NOW}\ncpu;a=1 3 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 3, 'three points');
  await daemon.flushNow();
  // Three creates, plus the first write of the interval (carbon's counter queues it again).
  t.is(daemon.tagQueue!.size, 4);
  clock.advance(0.2);
  // The endpoint sees a POST before the registrar has read its answer (and counted the series).
  const registered = (): number => endpoint.posts.reduce((sum, p) => sum + p.paths.length, 0);
  await waitFor(() => daemon.tagQueue!.size === 0 && endpoint.posts.length === 2 && daemon.stats.totalOf('tagsRegistered') === registered(), 'two batches answered');
  t.deepEqual(endpoint.posts.map((p) => p.url), ['POST /tags/tagMultiSeries', 'POST /tags/tagMultiSeries']);
  t.deepEqual([...new Set(endpoint.posts.flatMap((p) => p.paths))].sort(), ['cpu;a=1', 'disk.used;env=prod;host=web01', 'plain.metric']);
  t.is(endpoint.posts[0].paths.length, 2);
  t.is(daemon.stats.totalOf('tagsRegistered'), endpoint.posts[0].paths.length + endpoint.posts[1].paths.length);
});

test('a failed batch is kept and retried after a pause; what is left is registered at stop', async (t) => {
  const endpoint = await tagEndpoint(t, [500]);
  const { daemon, ports, clock, errors, stop } = await startDaemon(t, { GRAPHITE_URL: endpoint.url });
  await sendAndClose(ports.line!, `a.one 1 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 1, 'a point');
  await daemon.flushNow();
  clock.advance(0.2);
  await waitFor(() => daemon.stats.totalOf('tagErrors') === 1, 'the failed request');
  t.regex(errors.join('\n'), /Error tagging 1 series \(a\.one\) at http:\/\/127\.0\.0\.1:\d+\/tags\/tagMultiSeries: HTTP 500; will retry/);
  t.is(daemon.tagQueue!.size, 1);
  clock.advance(1);
  await waitFor(() => endpoint.posts.length === 2, 'the retry');
  t.deepEqual(endpoint.posts[1].paths, ['a.one']);
  // Queued at shutdown: the flush registers it.
  await sendAndClose(ports.line!, `a.two 1 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 1, 'another point');
  await stop();
  t.deepEqual(endpoint.posts.at(-1)!.paths, ['a.two']);
  t.is(daemon.stats.totalOf('tagsRegistered'), 2);
});

test('graphite-web unreachable: errors are counted and logged, points are still written', async (t) => {
  const endpoint = await tagEndpoint(t);
  const closed = endpoint.url.replace(/:\d+$/, ':1');
  const { daemon, ports, clock, errors, settings } = await startDaemon(t, { GRAPHITE_URL: closed });
  await sendAndClose(ports.line!, `b.one 1 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 1, 'a point');
  await daemon.flushNow();
  t.true(fs.existsSync(path.join(settings.LOCAL_DATA_DIR, 'b', 'one.wsp')));
  clock.advance(0.2);
  await waitFor(() => daemon.stats.totalOf('tagErrors') === 1, 'the failed request');
  t.regex(errors[0], /Error tagging 1 series \(b\.one\) at http:\/\/127\.0\.0\.1:1\/tags\/tagMultiSeries: .+; will retry/);
  t.is(daemon.tagQueue!.size, 1);
});

test('ENABLE_TAGS off (the embedded default) registers nothing', async (t) => {
  const { daemon } = await startDaemon(t, { ENABLE_TAGS: embeddedDefaults('/x').ENABLE_TAGS });
  t.is(daemon.tagQueue, undefined);
});

test('TAG_HASH_FILENAMES: a tagged file under its readable name is renamed to the hashed name, as carbon does', async (t) => {
  const { daemon, ports, settings } = await startDaemon(t, { ENABLE_TAGS: false });
  const metric = 'net.rx;if=eth0';
  const readable = metricFilePath(settings.LOCAL_DATA_DIR, metric, false);
  fs.mkdirSync(path.dirname(readable), { recursive: true });
  create(readable, [{ secondsPerPoint: 60, points: 60 }], { xFilesFactor: 0.5, aggregationMethod: 'max' });
  await sendAndClose(ports.line!, `${metric} 5 ${NOW}\n`);
  await waitFor(() => daemon.cache.size === 1, 'a point');
  await daemon.flushNow();
  t.false(fs.existsSync(readable));
  const hashed = metricFilePath(settings.LOCAL_DATA_DIR, metric);
  t.is(fs.statSync(hashed).size, 16 + 12 + 60 * 12, 'the old file, not a new one with the default schema');
  t.is(daemon.stats.totalOf('creates'), 0);
});
