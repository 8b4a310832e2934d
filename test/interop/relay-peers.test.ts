/**
 * gph relay among the Debian reference daemons: it feeds two real carbon-caches over pickle and
 * every metric lands in the cache carbon's ring chooses; a real carbon-c-relay feeds gph relay.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../src/lib/clock.js';
import { CARBON_RELAY_DEFAULTS } from '../../src/lib/carbon/config/relay-settings.js';
import { ConsistentHashingRouter } from '../../src/lib/carbon/relay/consistent-hashing-router.js';
import { parseDestination } from '../../src/lib/carbon/relay/destination.js';
import { RelayDaemon } from '../../src/lib/carbon/relay/relay-daemon.js';
import { silentLogger } from '../../src/lib/logger.js';
import { sendAndClose } from '../_helpers/carbon-client.js';
import { startLineSink } from '../_helpers/line-sink.js';
import { tempDir } from '../_helpers/temp-dir.js';
import { waitFor } from '../_helpers/wait-for.js';
import { freePort, peersAvailable, startPeer } from './_helpers/peers.js';

test.before(() => {
  const missing = peersAvailable();
  if (missing) throw new Error(missing);
});

async function startRelay(t: Parameters<typeof tempDir>[0], destinations: string[], protocol: 'pickle' | 'line') {
  const dir = tempDir(t);
  const relay = new RelayDaemon({
    settings: { ...CARBON_RELAY_DEFAULTS, LINE_RECEIVER_INTERFACE: '127.0.0.1', LINE_RECEIVER_PORT: 0, PICKLE_RECEIVER_PORT: -1, RELAY_METHOD: 'consistent-hashing', DESTINATIONS: destinations, DESTINATION_PROTOCOL: protocol, CARBON_METRIC_INTERVAL: 0, SPOOL_DIR: path.join(dir, 'spool') },
    clock: systemClock,
    logger: silentLogger,
  });
  const ports = await relay.start();
  t.teardown(() => relay.stop().then(() => undefined));
  return { relay, ports };
}

test('gph relay feeds two real carbon-caches over pickle; each metric lands where the ring says', async (t) => {
  const caches: Array<{ name: string; dataDir: string; destination: string }> = [];
  for (const name of ['c1', 'c2']) {
    const dataDir = path.join(tempDir(t), 'whisper');
    const [line, pickle, query] = [await freePort(), await freePort(), await freePort()];
    await startPeer(t, 'start-carbon-cache.sh', [dataDir, String(line), String(pickle), String(query), '10s:1d'], { CARBON_EXTRA: 'CARBON_METRIC_INTERVAL = 0' });
    caches.push({ name, dataDir, destination: `127.0.0.1:${pickle}:${name}` });
  }
  const destinations = caches.map((c) => c.destination);
  const { ports } = await startRelay(t, destinations, 'pickle');
  const now = Math.floor(Date.now() / 1000);
  const metrics = Array.from({ length: 200 }, (_, i) => `gph.relay.to.carbon.m${i}`);
  await sendAndClose(ports.line!, metrics.map((m, i) => `${m} ${i} ${now}\n`).join(''));
  const router = new ConsistentHashingRouter(destinations.map(parseDestination));
  const fileIn = (cache: (typeof caches)[number], metric: string): string => path.join(cache.dataDir, ...metric.split('.')) + '.wsp';
  await waitFor(() => metrics.every((m) => caches.some((c) => fs.existsSync(fileIn(c, m)))), 'every metric on disk in a carbon-cache', 60_000);
  for (const metric of metrics) {
    const owner = router.getDestinations(metric)[0];
    for (const cache of caches) t.is(fs.existsSync(fileIn(cache, metric)), cache.destination === `127.0.0.1:${owner.port}:${owner.instance}`, metric);
  }
});

test('a real carbon-c-relay feeds gph relay, which delivers every point', async (t) => {
  const sink = await startLineSink(t);
  const { relay, ports } = await startRelay(t, [`127.0.0.1:${sink.port}:a`], 'line');
  const dir = tempDir(t);
  const config = path.join(dir, 'c-relay.conf');
  fs.writeFileSync(config, `cluster gph\n    forward\n        127.0.0.1:${ports.line}\n    ;\nmatch *\n    send to gph\n    stop\n    ;\n`);
  const relayPort = await freePort();
  await startPeer(t, 'start-carbon-c-relay.sh', [config, String(relayPort), '-s']);
  const now = Math.floor(Date.now() / 1000);
  await sendAndClose(relayPort, Array.from({ length: 3000 }, (_, i) => `from.crelay.m${i % 30} ${i} ${now}\n`).join(''));
  await waitFor(() => sink.lines.length === 3000, '3000 points through both relays', 60_000);
  t.is(relay.stats.totalOf('metricsReceived'), 3000);
});
