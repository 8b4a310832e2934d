/**
 * A two-node cluster of one gph web and one Debian graphite-web 1.1.8, each with its own whisper
 * tree and the other in CLUSTER_SERVERS (graphite-web's cluster protocol: find and render with
 * local=1, pickle). Both nodes answer find and render for metrics held on either node, and a
 * metric held by both with different gaps is merged the same way by both.
 */
import test from 'ava';
import { FixedClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { WebServer } from '../../src/lib/web/web-server.js';
import { defaultWebSettings } from '../../src/lib/web/web-settings.js';
import { NOW, makeTree } from '../lib/render/_render-fixture.js';
import { freePort, startGraphiteWebWith } from './_helpers/peers.js';

const R = `from=-5min&now=${NOW}&format=json`;

interface Series {
  target: string;
  datapoints: Array<[number | null, number]>;
}

test('gph and graphite-web in one cluster answer find and render for metrics held on either node', async (t) => {
  const gphTree = makeTree(t, { 'cluster.gph.cpu': [1, 2, 3, 4], 'cluster.shared.load': [10, null, 30, null] });
  const gwTree = makeTree(t, { 'cluster.gw.cpu': [5, 6, 7, 8], 'cluster.shared.load': [null, 20, null, null] });
  const gwPort = await freePort();
  const gph = new WebServer({ settings: { ...defaultWebSettings(gphTree), WHISPER_DIR: gphTree, DEFAULT_CACHE_DURATION: 0, CLUSTER_SERVERS: [`127.0.0.1:${gwPort}`] }, clock: new FixedClock(NOW), logger: silentLogger });
  const gphPort = await gph.listen(0);
  t.teardown(() => gph.close());
  await startGraphiteWebWith(t, gwTree, gwPort, `CLUSTER_SERVERS = ['127.0.0.1:${gphPort}']\nDEFAULT_CACHE_DURATION = 0`);

  const get = async (port: number, query: string): Promise<unknown> => {
    const response = await globalThis.fetch(`http://127.0.0.1:${port}${query}`, { signal: AbortSignal.timeout(30_000) });
    t.is(response.status, 200, `${port}${query}`);
    return response.json();
  };
  for (const port of [gphPort, gwPort]) {
    const found = (await get(port, '/metrics/find?query=cluster.*&format=completer')) as { metrics: Array<{ path: string }> };
    t.deepEqual(found.metrics.map((m) => m.path).sort(), ['cluster.gph.', 'cluster.gw.', 'cluster.shared.'], `find on ${port === gphPort ? 'gph' : 'graphite-web'}`);
    const leaves = (await get(port, '/metrics/find?query=cluster.*.*&format=completer')) as { metrics: Array<{ path: string; is_leaf: string }> };
    t.deepEqual(leaves.metrics.map((n) => `${n.path}:${n.is_leaf}`).sort(), ['cluster.gph.cpu:1', 'cluster.gw.cpu:1', 'cluster.shared.load:1']);
  }
  const fromGph = (await get(gphPort, `/render?target=cluster.*.*&${R}`)) as Series[];
  const fromGw = (await get(gwPort, `/render?target=cluster.*.*&${R}`)) as Series[];
  t.deepEqual(fromGph, fromGw, 'both nodes render the same series from both trees');
  const byName = Object.fromEntries(fromGph.map((s) => [s.target, s.datapoints.map(([v]) => v)]));
  t.deepEqual(byName['cluster.gph.cpu'].slice(-4), [1, 2, 3, 4]);
  t.deepEqual(byName['cluster.gw.cpu'].slice(-4), [5, 6, 7, 8]);
  t.deepEqual(byName['cluster.shared.load'].slice(-4), [10, 20, 30, null], 'gaps filled from the other node');
  const summed = (await get(gphPort, `/render?target=sumSeries(cluster.*.cpu)&${R}`)) as Series[];
  t.deepEqual(summed[0].datapoints.map(([v]) => v).slice(-4), [6, 8, 10, 12]);
  t.deepEqual(await get(gphPort, `/render?target=sumSeries(cluster.*.cpu)&${R}`), await get(gwPort, `/render?target=sumSeries(cluster.*.cpu)&${R}`));
});
