import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { systemClock } from '../../../../src/lib/clock.js';
import { CARBON_RELAY_DEFAULTS, type RelaySettings } from '../../../../src/lib/carbon/config/relay-settings.js';
import { ConsistentHashingRouter } from '../../../../src/lib/carbon/relay/consistent-hashing-router.js';
import { parseDestination } from '../../../../src/lib/carbon/relay/destination.js';
import { RelayDaemon } from '../../../../src/lib/carbon/relay/relay-daemon.js';
import { silentLogger } from '../../../../src/lib/logger.js';
import { freePort } from '../../../_helpers/free-port.js';
import { sendAndClose } from '../../../_helpers/carbon-client.js';
import { startLineSink } from '../../../_helpers/line-sink.js';
import { tempDir } from '../../../_helpers/temp-dir.js';
import { waitFor } from '../../../_helpers/wait-for.js';

function relaySettings(dir: string, destinations: string[], extra: Partial<RelaySettings> = {}): RelaySettings {
  return {
    ...CARBON_RELAY_DEFAULTS,
    LINE_RECEIVER_INTERFACE: '127.0.0.1',
    LINE_RECEIVER_PORT: 0,
    PICKLE_RECEIVER_INTERFACE: '127.0.0.1',
    PICKLE_RECEIVER_PORT: 0,
    RELAY_METHOD: 'consistent-hashing',
    DESTINATIONS: destinations,
    DESTINATION_PROTOCOL: 'line',
    CARBON_METRIC_INTERVAL: 0,
    SPOOL_DIR: path.join(dir, 'spool'),
    ...extra,
  };
}

async function startRelay(t: Parameters<typeof tempDir>[0], settings: RelaySettings) {
  const relay = new RelayDaemon({ settings, clock: systemClock, logger: silentLogger, deliverOnStopMs: 2000 });
  const ports = await relay.start();
  let stopped = false;
  t.teardown(async () => {
    if (!stopped) await relay.stop();
  });
  return { relay, ports, stop: () => ((stopped = true), relay.stop()) };
}

const lines = (count: number, now: number): string => Array.from({ length: count }, (_, i) => `relay.m${i % 50} ${i} ${now + i}\n`).join('');

test('every point goes to the destination carbon\'s ring chooses', async (t) => {
  const dir = tempDir(t);
  const [a, b] = [await startLineSink(t), await startLineSink(t)];
  const destinations = [`127.0.0.1:${a.port}:a`, `127.0.0.1:${b.port}:b`];
  const { ports } = await startRelay(t, relaySettings(dir, destinations));
  const now = 1_700_000_000;
  await sendAndClose(ports.line!, lines(2000, now));
  await waitFor(() => a.lines.length + b.lines.length === 2000, '2000 delivered points');
  const router = new ConsistentHashingRouter(destinations.map(parseDestination));
  for (const [sink, port] of [[a, a.port], [b, b.port]] as const) {
    for (const line of sink.lines) t.is(router.getDestinations(line.split(' ')[0])[0].port, port);
  }
  t.true(a.lines.length > 0 && b.lines.length > 0);
  t.deepEqual(a.lines.map((l) => Number(l.split(' ')[1])), [...a.lines.map((l) => Number(l.split(' ')[1]))].sort((x, y) => x - y));
});

test('a destination that is down gets its points spooled and delivered in order when it returns', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const { relay, ports } = await startRelay(t, relaySettings(dir, [`127.0.0.1:${port}:a`], { MAX_QUEUE_SIZE: 100 }));
  const now = 1_700_000_000;
  await sendAndClose(ports.line!, lines(1500, now));
  await waitFor(() => relay.stats.totalOf('metricsReceived') === 1500, 'the points to arrive');
  t.true(relay.links[0].counters.spooled > 0);
  const sink = await startLineSink(t, port);
  await waitFor(() => sink.lines.length === 1500, 'every spooled point', 30_000);
  t.deepEqual(sink.lines.map((l) => Number(l.split(' ')[1])), Array.from({ length: 1500 }, (_, i) => i));
  await waitFor(() => relay.links[0].backlog === 0, 'an empty spool');
});

test('points still spooled at stop are delivered after the next start', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const settings = relaySettings(dir, [`127.0.0.1:${port}:a`]);
  const first = await startRelay(t, settings);
  await sendAndClose(first.ports.line!, lines(300, 1_700_000_000));
  await waitFor(() => first.relay.stats.totalOf('metricsReceived') === 300, 'the points to arrive');
  const result = await first.stop();
  t.is(result.spooled, 300);
  const sink = await startLineSink(t, port);
  const second = await startRelay(t, settings);
  await waitFor(() => sink.lines.length === 300, 'the spooled points', 30_000);
  t.is(second.relay.links[0].backlog, 0);
});

test('full spools stop the receivers instead of dropping', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const { relay, ports } = await startRelay(t, relaySettings(dir, [`127.0.0.1:${port}:a`], { MAX_SPOOL_BYTES: 2000 }));
  await sendAndClose(ports.line!, lines(2000, 1_700_000_000));
  await waitFor(() => relay.flow.isPaused, 'the receivers to pause');
  const sink = await startLineSink(t, port);
  await waitFor(() => sink.lines.length === 2000, 'every point after the destination returns', 30_000);
  await waitFor(() => !relay.flow.isPaused, 'the receivers to resume');
  t.is(relay.links[0].backlog, 0);
});

test('relay rules route as carbon does: case-insensitive search, continue, default last, DESTINATIONS only', async (t) => {
  const dir = tempDir(t);
  const [a, b, c] = [await startLineSink(t), await startLineSink(t), await startLineSink(t)];
  const [A, B, C] = [a, b, c].map((s) => `127.0.0.1:${s.port}`);
  fs.writeFileSync(
    path.join(dir, 'relay-rules.conf'),
    `[default]\ndefault = true\ndestinations = ${C}\n[audit]\npattern = ^Audit\\.\ndestinations = ${A}\ncontinue = true\n[special]\npattern = special\ndestinations = ${B}, 127.0.0.1:1:unlisted\n`,
  );
  const { relay, ports } = await startRelay(t, relaySettings(dir, [A, B, C], { RELAY_METHOD: 'rules', CONF_DIR: dir }));
  await sendAndClose(ports.line!, ['audit.x', 'AUDIT.caps', 'audit.special', 'some.special.y', 'other.z'].map((m) => `${m} 1 1700000000\n`).join(''));
  await waitFor(() => a.lines.length + b.lines.length + c.lines.length === 8, 'eight deliveries');
  const names = (sink: { lines: string[] }): string[] => sink.lines.map((l) => l.split(' ')[0]).sort();
  t.deepEqual(names(a), ['AUDIT.caps', 'audit.special', 'audit.x']);
  t.deepEqual(names(b), ['audit.special', 'some.special.y']);
  t.deepEqual(names(c), ['AUDIT.caps', 'audit.x', 'other.z']);
  t.is(relay.unroutable, 0);
});

test('reload() (SIGHUP) adds a destination without losing points', async (t) => {
  const dir = tempDir(t);
  const [a, b] = [await startLineSink(t), await startLineSink(t)];
  const first = relaySettings(dir, [`127.0.0.1:${a.port}:a`]);
  const { relay, ports } = await startRelay(t, first);
  await sendAndClose(ports.line!, lines(500, 1_700_000_000));
  await waitFor(() => a.lines.length === 500, 'the first 500 points');
  const second = { ...first, DESTINATIONS: [`127.0.0.1:${a.port}:a`, `127.0.0.1:${b.port}:b`] };
  relay.reload(second);
  await sendAndClose(ports.line!, lines(500, 1_700_001_000));
  await waitFor(() => a.lines.length + b.lines.length === 1000, 'all 1000 points');
  t.true(b.lines.length > 0);
  t.throws(() => relay.reload({ ...second, DESTINATIONS: ['not a destination'] }));
  await sendAndClose(ports.line!, lines(10, 1_700_002_000));
  await waitFor(() => a.lines.length + b.lines.length === 1010, 'points after a failed reload');
});

test('a slow destination makes the relay spool and then push back on senders, and nothing is dropped', async (t) => {
  const dir = tempDir(t);
  const slow = await startLineSink(t, 0, { paused: true });
  const port = slow.port;
  const { relay, ports } = await startRelay(t, relaySettings(dir, [`127.0.0.1:${port}:a`], { MAX_QUEUE_SIZE: 1000, MAX_SPOOL_BYTES: 200_000 }));
  const total = 400_000;
  const client = net.connect(ports.line!, '127.0.0.1');
  t.teardown(() => client.destroy());
  const sent = new Promise<void>((resolve) => client.end(lines(total, 1_700_000_000), () => resolve()));
  await waitFor(() => relay.flow.isPaused, 'the receivers to pause while the destination does not read', 30_000);
  t.true(relay.links[0].counters.spooled > 0, 'points were spooled');
  t.true(relay.stats.totalOf('metricsReceived') < total, 'the sender was made to wait');
  slow.resume();
  await sent;
  await waitFor(() => slow.lines.length >= total, 'every point once the destination reads again', 60_000);
  t.is(slow.lines.length, total);
  t.is(relay.unroutable + relay.blackholed, 0);
});

test('a carbon-c-relay configuration routes like carbon-c-relay: forward, any_of passing over a member that is down, failover, rewrite, blackhole', async (t) => {
  const dir = tempDir(t);
  const [a, b, c] = [await startLineSink(t), await startLineSink(t), await startLineSink(t)];
  const downPort = await freePort();
  const config = path.join(dir, 'relay.conf');
  fs.writeFileSync(
    config,
    [
      `cluster mirror forward 127.0.0.1:${a.port} 127.0.0.1:${b.port} ;`,
      `cluster spread any_of 127.0.0.1:${downPort} 127.0.0.1:${c.port} ;`,
      `cluster backup failover 127.0.0.1:${downPort} 127.0.0.1:${b.port} ;`,
      'rewrite ^old\\.(.*) into new.\\1 ;',
      'match ^audit\\. send to mirror stop ;',
      'match ^junk\\. send to blackhole stop ;',
      'match ^important\\. send to backup stop ;',
      'match * send to spread ;',
    ].join('\n'),
  );
  const { relay, ports } = await startRelay(t, relaySettings(dir, [], { CRELAY_CONFIG: config }));
  // Let the relay find out that one member is down before the any_of and failover points arrive.
  await waitFor(() => relay.links.some((l) => l.down), 'the down member to be noticed', 10_000);
  const names = ['audit.x', 'junk.y', 'important.z', 'old.q', ...Array.from({ length: 40 }, (_, i) => `spread.m${i}`), 'odd.na%me'];
  await sendAndClose(ports.line!, names.map((m) => `${m} 1 1700000000\n`).join(''));
  await waitFor(() => a.lines.length === 1 && b.lines.length === 2 && c.lines.length === 42, 'every delivery', 10_000);
  const sent = (sink: { lines: string[] }): string[] => sink.lines.map((l) => l.split(' ')[0]).sort();
  t.deepEqual(sent(a), ['audit.x']);
  t.deepEqual(sent(b), ['audit.x', 'important.z']);
  t.true(sent(c).includes('new.q'), 'rewritten before routing');
  t.true(sent(c).includes('odd.na_me'), 'cleaned as carbon-c-relay cleans names');
  t.is(relay.blackholed, 1);
  t.is(relay.unroutable, 0);
  t.true(relay.links.every((l) => l.counters.spooled === 0 || l.down), 'only the down member spooled');
});

test('the Prometheus endpoint serves the relay counters, per destination', async (t) => {
  const dir = tempDir(t);
  const sink = await startLineSink(t);
  const downPort = await freePort();
  const { relay, ports } = await startRelay(t, relaySettings(dir, [`127.0.0.1:${sink.port}:a`, `127.0.0.1:${downPort}:b`], { PROMETHEUS_PORT: 0, REPLICATION_FACTOR: 2, DIVERSE_REPLICAS: false }));
  await sendAndClose(ports.line!, lines(100, 1_700_000_000));
  await waitFor(() => sink.lines.length === 100, 'the reachable destination to get every point');
  const text = await (await globalThis.fetch(`http://127.0.0.1:${ports.prometheus}/metrics`)).text();
  t.regex(text, /^gph_relay_metrics_received_total 100$/m);
  t.regex(text, new RegExp(`^gph_relay_destination_sent_total\\{destination="127.0.0.1:${sink.port}:a"\\} 100$`, 'm'));
  t.regex(text, new RegExp(`^gph_relay_destination_queued_points\\{destination="127.0.0.1:${downPort}:b"\\} 100$`, 'm'));
  t.regex(text, new RegExp(`^gph_relay_destination_up\\{destination="127.0.0.1:${downPort}:b"\\} 0$`, 'm'));
  t.regex(text, /^# TYPE gph_relay_blackholed_total counter$/m);
  t.is((await globalThis.fetch(`http://127.0.0.1:${ports.prometheus}/other`)).status, 404);
  t.is(relay.links.length, 2);
});
