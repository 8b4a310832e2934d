import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../../src/lib/clock.js';
import { isGphError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { Cluster, loadClusterFile } from '../../../src/lib/cluster/cluster.js';
import { metricFile } from '../../../src/lib/cluster/node-store.js';
import { rebalance } from '../../../src/lib/cluster/rebalance.js';
import { resync } from '../../../src/lib/cluster/resync.js';
import { ringCheck } from '../../../src/lib/cluster/ring-check.js';
import { create } from '../../../src/lib/whisper/create.js';
import { fetch } from '../../../src/lib/whisper/fetch.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { updateMany } from '../../../src/lib/whisper/update.js';
import { WebServer } from '../../../src/lib/web/web-server.js';
import { defaultWebSettings } from '../../../src/lib/web/web-settings.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const NOW = 1704067200;
const clock = new FixedClock(NOW);
const DESTS = ['127.0.0.1:2004:a', '127.0.0.1:2104:b', '127.0.0.1:2204:c'];
const METRICS = Array.from({ length: 30 }, (_, i) => `app.host${i % 6}.metric${i}`);
/** 2 hours of minutes, value = metric index * 1000 + minute. */
const pointsOf = (metric: string, skip?: (t: number) => boolean): Array<[number, number]> => {
  const k = Number(/metric(\d+)$/.exec(metric)![1]);
  return Array.from({ length: 120 }, (_, i) => [NOW - 60 * i, k * 1000 + i] as [number, number]).filter(([t]) => !skip?.(t));
};

function write(dir: string, metric: string, skip?: (t: number) => boolean): void {
  const file = metricFile(dir, metric);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  create(file, parseRetentions('60:1440,300:2016'), { xFilesFactor: 0 });
  updateMany(file, pointsOf(metric, skip), { clock });
}

function knownPoints(file: string): number {
  return fetch(file, NOW - 7200, NOW, {}, { clock })!.values.filter((v) => v !== null).length;
}

function makeCluster(t: Parameters<typeof tempDir>[0], destinations = DESTS, rf = 2): { cluster: Cluster; dirs: Record<string, string> } {
  const root = tempDir(t);
  const dirs: Record<string, string> = {};
  for (const d of destinations) {
    const name = `127.0.0.1:${d.split(':')[2]}`;
    dirs[name] = path.join(root, d.split(':')[2]);
    fs.mkdirSync(dirs[name], { recursive: true });
  }
  return { cluster: new Cluster({ destinations, hashType: 'carbon_ch', replicationFactor: rf, diverseReplicas: false, data: dirs }), dirs };
}

test('the cluster file reads carbonate keys and per-node data; names are checked', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'cluster.conf');
  fs.writeFileSync(file, '[main]\nDESTINATIONS = 127.0.0.1:2004:a, 127.0.0.1:2104:b\nREPLICATION_FACTOR = 2\nHASHING_TYPE = fnv1a_ch\nDIVERSE_REPLICAS = false\n\n[node 127.0.0.1:a]\nDATA = a/whisper\n[node 127.0.0.1:b]\nDATA = http://127.0.0.1:8081\n');
  const cluster = new Cluster(loadClusterFile(file));
  t.deepEqual(cluster.node('127.0.0.1:a').data, { kind: 'path', dir: path.join(dir, 'a', 'whisper') });
  t.deepEqual(cluster.node('127.0.0.1:b').data, { kind: 'http', url: 'http://127.0.0.1:8081' });
  t.is(cluster.owners('any.metric').length, 2);
  const error = t.throws(() => cluster.node('10.0.0.9:z'));
  t.true(isGphError(error, 'CLUSTER_NODE'));
});

test('resync fills a window a node missed and copies metrics it lacks; every point is back', async (t) => {
  const { cluster, dirs } = makeCluster(t);
  const b = cluster.node('127.0.0.1:b');
  const outage = (ts: number): boolean => ts > NOW - 3600 && ts <= NOW - 1800;
  for (const metric of METRICS) {
    for (const owner of cluster.owners(metric)) {
      if (owner.name === b.name && metric.endsWith('metric7')) continue; // b lost this file entirely
      write(dirs[owner.name], metric, owner.name === b.name ? outage : undefined);
    }
  }
  const owned = METRICS.filter((m) => cluster.owns(b, m));
  t.true(owned.length > 5);
  const report = await resync({ cluster, local: b, clock });
  t.deepEqual(report.failures, []);
  t.is(report.metrics, owned.length);
  for (const metric of owned) t.is(knownPoints(metricFile(dirs[b.name], metric)), 120, metric);
  t.is(report.filled + report.copied, owned.length);
  t.is(report.pointsAdded, (owned.length - report.copied) * 30);
  const check = await ringCheck(cluster);
  t.deepEqual([check.misplaced, check.missing], [{}, {}]);
});

test('dry run changes nothing; --overwrite style merge replaces known points; a window bounds the fill', async (t) => {
  const { cluster, dirs } = makeCluster(t);
  const b = cluster.node('127.0.0.1:b');
  const metric = METRICS.find((m) => cluster.owns(b, m))!;
  for (const owner of cluster.owners(metric)) write(dirs[owner.name], metric, owner.name === b.name ? (ts) => ts > NOW - 600 : undefined);
  const dry = await resync({ cluster, local: b, metrics: [metric], dryRun: true, clock });
  t.is(dry.pointsAdded, 10);
  t.is(knownPoints(metricFile(dirs[b.name], metric)), 110);
  const windowed = await resync({ cluster, local: b, metrics: [metric], from: NOW - 300, until: NOW, clock });
  t.is(windowed.pointsAdded, 5);
  t.is(knownPoints(metricFile(dirs[b.name], metric)), 115);
});

test('a corrupt peer file is reported and the local file is untouched', async (t) => {
  const { cluster, dirs } = makeCluster(t);
  const b = cluster.node('127.0.0.1:b');
  const metric = METRICS.find((m) => cluster.owns(b, m))!;
  const [peer] = cluster.owners(metric).filter((o) => o.name !== b.name);
  write(dirs[b.name], metric, (ts) => ts > NOW - 600);
  fs.mkdirSync(path.dirname(metricFile(dirs[peer.name], metric)), { recursive: true });
  fs.writeFileSync(metricFile(dirs[peer.name], metric), Buffer.alloc(100, 1));
  const before = fs.readFileSync(metricFile(dirs[b.name], metric));
  const report = await resync({ cluster, local: b, metrics: [metric], clock });
  t.is(report.failures.length, 1);
  t.regex(report.failures[0].reason, /not a whole whisper file/);
  t.deepEqual(fs.readFileSync(metricFile(dirs[b.name], metric)), before);
});

test('an interrupted resync resumes: metrics recorded as done are skipped', async (t) => {
  const { cluster, dirs } = makeCluster(t);
  const b = cluster.node('127.0.0.1:b');
  const owned = METRICS.filter((m) => cluster.owns(b, m));
  for (const metric of owned) for (const owner of cluster.owners(metric)) write(dirs[owner.name], metric, owner.name === b.name ? (ts) => ts > NOW - 600 : undefined);
  const state = path.join(tempDir(t), 'resync.state');
  fs.writeFileSync(state, `${owned.slice(0, 3).join('\n')}\n`);
  const report = await resync({ cluster, local: b, statePath: state, clock });
  t.is(report.resumed, 3);
  t.is(report.filled, owned.length - 3);
  t.is(knownPoints(metricFile(dirs[b.name], owned[0])), 110, 'a metric done earlier is not touched again');
  t.is(knownPoints(metricFile(dirs[b.name], owned[3])), 120);
  t.false(fs.existsSync(state), 'a run without failures removes its state file');
});

test('peers can be gph nodes over HTTP (gph web serves /gph/whisper)', async (t) => {
  const { cluster: local, dirs } = makeCluster(t);
  const b = local.node('127.0.0.1:b');
  const metric = METRICS.find((m) => local.owns(b, m))!;
  const [peer] = local.owners(metric).filter((o) => o.name !== b.name);
  write(dirs[peer.name], metric);
  write(dirs[b.name], metric, (ts) => ts > NOW - 900);
  const web = new WebServer({ settings: { ...defaultWebSettings(dirs[peer.name]), WHISPER_DIR: dirs[peer.name] }, clock, logger: silentLogger });
  const port = await web.listen(0);
  t.teardown(() => web.close());
  const cluster = new Cluster({ ...local.spec, data: { ...local.spec.data, [peer.name]: `http://127.0.0.1:${port}` } });
  const report = await resync({ cluster, local: cluster.node(b.name), metrics: [metric], clock });
  t.deepEqual(report.failures, []);
  t.is(report.pointsAdded, 15);
  t.is(knownPoints(metricFile(dirs[b.name], metric)), 120);
});

test('rebalance after adding a node moves every metric to its owners with no point lost', (t) => {
  const two = makeCluster(t, DESTS.slice(0, 2), 1);
  for (const metric of METRICS) for (const owner of two.cluster.owners(metric)) write(two.dirs[owner.name], metric);
  const dirs: Record<string, string> = { ...two.dirs, '127.0.0.1:c': path.join(path.dirname(two.dirs['127.0.0.1:a']), 'c') };
  fs.mkdirSync(dirs['127.0.0.1:c'], { recursive: true });
  const three = new Cluster({ destinations: DESTS, hashType: 'carbon_ch', replicationFactor: 1, diverseReplicas: false, data: dirs });
  const report = rebalance({ cluster: three, delete: true, clock });
  t.deepEqual(report.failures, []);
  t.true(report.moved > 0);
  t.is(report.deleted, report.moved);
  for (const metric of METRICS) {
    const [owner] = three.owners(metric);
    t.is(knownPoints(metricFile(dirs[owner.name], metric)), 120, metric);
  }
  return ringCheck(three).then((check) => t.deepEqual([check.misplaced, check.missing], [{}, {}]));
});

test('pull-mode rebalance over HTTP: the new node pulls what it owns, old nodes prune only what owners verifiably hold', async (t) => {
  const two = makeCluster(t, DESTS.slice(0, 2), 1);
  for (const metric of METRICS) for (const owner of two.cluster.owners(metric)) write(two.dirs[owner.name], metric);
  const cDir = path.join(path.dirname(two.dirs['127.0.0.1:a']), 'c');
  fs.mkdirSync(cDir, { recursive: true });
  // Node a is reached over HTTP only; b and c are directories.
  const web = new WebServer({ settings: { ...defaultWebSettings(two.dirs['127.0.0.1:a']), WHISPER_DIR: two.dirs['127.0.0.1:a'] }, clock, logger: silentLogger });
  const port = await web.listen(0);
  t.teardown(() => web.close());
  const three = new Cluster({ destinations: DESTS, hashType: 'carbon_ch', replicationFactor: 1, diverseReplicas: false, data: { '127.0.0.1:a': `http://127.0.0.1:${port}`, '127.0.0.1:b': two.dirs['127.0.0.1:b'], '127.0.0.1:c': cDir } });
  const { pruneMisplaced } = await import('../../../src/lib/cluster/prune.js');
  const early = await pruneMisplaced(three, three.node('127.0.0.1:b'), clock);
  t.is(early.deleted, 0, 'nothing is deleted before the new owner has it');
  const pulled = await resync({ cluster: three, local: three.node('127.0.0.1:c'), fromAnyHolder: true, clock });
  t.deepEqual(pulled.failures, []);
  const ownedByC = METRICS.filter((m) => three.owns(three.node('127.0.0.1:c'), m));
  t.is(pulled.copied, ownedByC.length);
  for (const metric of ownedByC) t.is(knownPoints(metricFile(cDir, metric)), 120, metric);
  const pruned = await pruneMisplaced(three, three.node('127.0.0.1:b'), clock);
  t.deepEqual(pruned.kept, []);
  t.true(pruned.deleted > 0);
});
