#!/usr/bin/env node
// Benchmark: `gph resync` between two local nodes against Debian's whisper-fill run file by file
// (what carbonate's carbon-sync does after its rsync), measured in the same run. Each metric has
// schema 10s:1d,1m:7d and node b misses one hour that node a has.
//   npm run bench:resync            (10,000 metrics; the reference runs on a sample)
//   QUICK=1 npm run bench:resync    (1,000 metrics)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRoot } from './_lib.js';
import { FixedClock } from '../dist/lib/clock.js';
import { create } from '../dist/lib/whisper/create.js';
import { updateMany } from '../dist/lib/whisper/update.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = Boolean(process.env.QUICK);
const METRICS = quick ? 1000 : 10_000;
const SAMPLE = quick ? 50 : 200;
const now = Math.floor(Date.now() / 1000 / 60) * 60;
const clock = new FixedClock(now);
const SCHEMA = [{ secondsPerPoint: 10, points: 8640 }, { secondsPerPoint: 60, points: 10080 }];

const root = benchRoot('gph-bench-resync-');
const dirs = { a: path.join(root, 'a'), b: path.join(root, 'b') };
const name = (i) => `bench.host${String(i % 100).padStart(3, '0')}.metric${i}`;
const fileOf = (dir, metric) => `${path.join(dir, ...metric.split('.'))}.wsp`;
const points = Array.from({ length: 720 }, (_, k) => [now - 10 * k, k]);
const gap = ([t]) => !(t > now - 5400 && t <= now - 1800);

try {
  process.stderr.write(`creating ${METRICS} metrics on two nodes ...\n`);
  for (let i = 0; i < METRICS; i++) {
    for (const node of ['a', 'b']) {
      const file = fileOf(dirs[node], name(i));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      create(file, SCHEMA, { xFilesFactor: 0, sparse: true });
      updateMany(file, node === 'a' ? points : points.filter(gap), { clock });
    }
  }
  const conf = path.join(root, 'cluster.conf');
  fs.writeFileSync(conf, `[main]\nDESTINATIONS = 127.0.0.1:2004:a, 127.0.0.1:2104:b\nREPLICATION_FACTOR = 2\nDIVERSE_REPLICAS = false\n[node 127.0.0.1:a]\nDATA = ${dirs.a}\n[node 127.0.0.1:b]\nDATA = ${dirs.b}\n`);

  // The reference on a sample of copies (whisper-fill src dst, one process per metric).
  const refDir = path.join(root, 'ref');
  const sample = Array.from({ length: SAMPLE }, (_, k) => name(Math.floor((k * METRICS) / SAMPLE)));
  for (const metric of sample) {
    const target = fileOf(refDir, metric);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(fileOf(dirs.b, metric), target);
  }
  spawnSync('sync');
  let start = process.hrtime.bigint();
  for (const metric of sample) {
    const run = spawnSync('/usr/bin/python3', ['/usr/bin/whisper-fill', fileOf(dirs.a, metric), fileOf(refDir, metric)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`whisper-fill failed: ${run.stderr}`);
  }
  const refPerMetric = Number(process.hrtime.bigint() - start) / 1e9 / SAMPLE;

  spawnSync('sync');
  start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(here, '../bin/run.js'), 'resync', '--cluster', conf, '--node', '127.0.0.1:b', '--json', '--state', path.join(root, 'state')], { encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 });
  const gphSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`gph resync failed: ${run.stderr}`);
  const report = JSON.parse(run.stdout);
  if (report.filled !== METRICS || report.failures.length) throw new Error(`unexpected report: ${run.stdout.slice(0, 400)}`);
  const gphPerMetric = gphSeconds / METRICS;
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${quick ? 'QUICK' : 'full'} run: ${METRICS} metrics (10s:1d,1m:7d), a one-hour gap on node b\n`);
  console.log(`gph resync (all ${METRICS}, one process)      ${gphSeconds.toFixed(1).padStart(8)} s   ${(gphPerMetric * 1000).toFixed(2).padStart(8)} ms/metric, ${report.pointsAdded} points added`);
  console.log(`whisper-fill per file (sample of ${SAMPLE})        ${(refPerMetric * SAMPLE).toFixed(1).padStart(8)} s   ${(refPerMetric * 1000).toFixed(2).padStart(8)} ms/metric`);
  console.log(`\ngph resync / whisper-fill file by file: ${(refPerMetric / gphPerMetric).toFixed(1)}× faster`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
