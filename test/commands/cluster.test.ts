import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../src/lib/clock.js';
import { Cluster, loadClusterFile } from '../../src/lib/cluster/cluster.js';
import { metricFile } from '../../src/lib/cluster/node-store.js';
import { create } from '../../src/lib/whisper/create.js';
import { parseRetentions } from '../../src/lib/whisper/retention.js';
import { updateMany } from '../../src/lib/whisper/update.js';
import { runGph } from '../_helpers/run-gph.js';
import { tempDir } from '../_helpers/temp-dir.js';

const NOW = 1704067200;

function setup(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  const conf = path.join(dir, 'cluster.conf');
  fs.writeFileSync(conf, '[main]\nDESTINATIONS = 127.0.0.1:2004:a, 127.0.0.1:2104:b\nREPLICATION_FACTOR = 2\nDIVERSE_REPLICAS = false\n[node 127.0.0.1:a]\nDATA = a\n[node 127.0.0.1:b]\nDATA = b\n');
  const cluster = new Cluster(loadClusterFile(conf));
  const clock = new FixedClock(NOW);
  const metrics = ['web.one.cpu', 'web.two.cpu', 'db.one.disk'];
  for (const node of ['a', 'b']) {
    for (const metric of metrics) {
      if (node === 'b' && metric === 'db.one.disk') continue;
      const file = metricFile(path.join(dir, node), metric);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      create(file, parseRetentions('60:1440'), { xFilesFactor: 0 });
      const points = Array.from({ length: 60 }, (_, i) => [NOW - 60 * i, i] as [number, number]).filter(([ts]) => node === 'a' || ts < NOW - 600);
      updateMany(file, points, { clock });
    }
  }
  return { dir, conf, cluster, metrics };
}

test('ring lookup, list, sieve and check from the command line', (t) => {
  const { conf } = setup(t);
  const lookup = runGph(['ring', 'lookup', '--cluster', conf, 'web.one.cpu']);
  t.regex(lookup.stdout, /^web\.one\.cpu\t(127\.0\.0\.1:2004:a,127\.0\.0\.1:2104:b|127\.0\.0\.1:2104:b,127\.0\.0\.1:2004:a)\n$/);
  const piped = runGph(['ring', 'lookup', '--cluster', conf], { input: 'web.one.cpu 1 2\nweb.two.cpu\n' });
  t.is(piped.stdout.split('\n').filter((l) => l).length, 2);
  t.is(runGph(['ring', 'list', '--cluster', conf, '127.0.0.1:b']).stdout, 'web.one.cpu\nweb.two.cpu\n');
  t.is(runGph(['ring', 'sieve', '--cluster', conf, '127.0.0.1:a'], { input: 'x.y\nweb.one.cpu\n' }).stdout, 'x.y\nweb.one.cpu\n');
  const check = runGph(['ring', 'check', '--cluster', conf, '--json']);
  t.is(check.status, 1);
  t.deepEqual(JSON.parse(check.stdout).missing, { '127.0.0.1:b': ['db.one.disk'] });
});

test('gph resync repairs a node, reports JSON, and a second run finds nothing to do', (t) => {
  const { conf, dir } = setup(t);
  const first = runGph(['resync', '--cluster', conf, '--node', '127.0.0.1:b', '--now', String(NOW), '--json'], { cwd: dir });
  t.is(first.status, 0, first.stderr);
  const report = JSON.parse(first.stdout);
  t.is(report.copied, 1);
  t.is(report.filled, 2);
  t.is(report.pointsAdded, 22); // NOW-600 .. NOW on two metrics
  t.deepEqual(report.failures, []);
  const second = JSON.parse(runGph(['resync', '--cluster', conf, '--node', '127.0.0.1:b', '--now', String(NOW), '--json'], { cwd: dir }).stdout);
  t.is(second.pointsAdded + second.copied, 0);
  t.is(runGph(['ring', 'check', '--cluster', conf]).status, 0);
  const missingNode = runGph(['resync', '--cluster', conf, '--node', '10.9.9.9:z']);
  t.regex(missingNode.stderr, /No node "10\.9\.9\.9:z"/);
});

test('gph resync killed half way continues where it stopped when run again', async (t) => {
  const dir = tempDir(t);
  const conf = path.join(dir, 'cluster.conf');
  fs.writeFileSync(conf, '[main]\nDESTINATIONS = 127.0.0.1:2004:a, 127.0.0.1:2104:b\nREPLICATION_FACTOR = 2\nDIVERSE_REPLICAS = false\n[node 127.0.0.1:a]\nDATA = a\n[node 127.0.0.1:b]\nDATA = b\n');
  const clock = new FixedClock(NOW);
  const metrics = Array.from({ length: 24 }, (_, i) => `m.n${i}`);
  for (const node of ['a', 'b']) {
    for (const metric of metrics) {
      const file = metricFile(path.join(dir, node), metric);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      create(file, parseRetentions('60:1440'), { xFilesFactor: 0 });
      updateMany(file, Array.from({ length: 30 }, (_, i) => [NOW - 60 * i, i] as [number, number]).filter(([ts]) => node === 'a' || ts < NOW - 300), { clock });
    }
  }
  const state = path.join(dir, 'resync.state');
  const { spawn } = await import('node:child_process');
  const { GPH_BIN } = await import('../_helpers/run-gph.js');
  const child = spawn(process.execPath, [GPH_BIN, 'resync', '--cluster', conf, '--node', '127.0.0.1:b', '--now', String(NOW), '--state', state, '--parallel', '1', '--max-per-second', '4'], { cwd: dir, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Kill it once a few metrics are recorded (bounded poll), long before it could finish 24 at 4/s.
  for (let i = 0; i < 400 && !(fs.existsSync(state) && fs.readFileSync(state, 'utf8').split('\n').filter((l) => l).length >= 3); i++) await new Promise((r) => setTimeout(r, 25));
  child.kill('SIGKILL');
  await exited;
  const recorded = fs.readFileSync(state, 'utf8').split('\n').filter((l) => l).length;
  t.true(recorded >= 3 && recorded < metrics.length, `${recorded} recorded before the kill`);
  const rerun = runGph(['resync', '--cluster', conf, '--node', '127.0.0.1:b', '--now', String(NOW), '--state', state, '--json'], { cwd: dir });
  t.is(rerun.status, 0, rerun.stderr);
  const report = JSON.parse(rerun.stdout);
  t.is(report.resumed, recorded);
  t.is(report.filled, metrics.length - recorded);
  t.false(fs.existsSync(state));
  t.is(runGph(['ring', 'check', '--cluster', conf]).status, 0);
});
