#!/usr/bin/env node
// Benchmark: gph's render engine against the Debian graphite-web 1.1.8 on the same whisper tree
// (../shared/render-oracle/make-fixture.py --bench), measured in the same run. Prints graphite-web's
// request latency, gph's in-process engine time for the same work, and gph render's process
// start-up against a bare `node -e 0`.
//   npm run bench:render            (builds first; needs graphite-web, python3-whisper, gunicorn)
//   QUICK=1 npm run bench:render    (fewer repetitions)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FixedClock } from '../dist/lib/clock.js';
import { render } from '../dist/lib/render/render-request.js';
import { renderJson } from '../dist/lib/render/output/render-output.js';
import { renderChart } from '../dist/lib/render/chart/render-chart.js';
import { benchRoot, freePort, makeBenchFixture, median, startGraphiteWeb, stopGraphiteWeb } from './_lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = Boolean(process.env.QUICK);
const ANCHOR = 1704067200;
const REPS = quick ? 15 : 60;
const WORK = [
  ['one series over a day', 'bench.series.s000'],
  ['sumSeries over 100 series, a day', 'sumSeries(bench.series.*)'],
  ['integral(movingAverage()) over 10 series, a day', 'integral(movingAverage(bench.series.s00*,10))'],
];

const root = benchRoot('gph-bench-render-');
const whisperDir = path.join(root, 'whisper');
makeBenchFixture(whisperDir, ANCHOR);
const port = await freePort();
const pid = startGraphiteWeb(whisperDir, port);

const CHART = 'bench.series.s00*';
const CHART_SIZE = { width: '800', height: '600' };

async function graphiteWeb(target, extra = { format: 'json' }) {
  const query = new URLSearchParams({ target, from: '-1d', until: 'now', now: String(ANCHOR), ...extra });
  const samples = [];
  for (let i = 0; i < REPS + 3; i++) {
    const start = process.hrtime.bigint();
    const response = await fetch(`http://127.0.0.1:${port}/render?${query}`);
    await response.text();
    if (response.status !== 200) throw new Error(`graphite-web answered ${response.status} for ${target}`);
    if (i >= 3) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

/** Warm-up runs before timing: the engine serves long-running `gph web` processes, so its steady state (JIT-compiled) is what counts. */
const ENGINE_WARMUP = 30;

async function engine(target, chart = false) {
  const clock = new FixedClock(ANCHOR);
  const samples = [];
  for (let i = 0; i < REPS + ENGINE_WARMUP; i++) {
    const start = process.hrtime.bigint();
    const result = await render({ targets: [target], from: '-1d', until: 'now' }, { storageDir: whisperDir, clock });
    if (chart) await renderChart(result.series, { format: 'png', options: { width: 800, height: 600 }, tz: 'UTC' });
    else renderJson(result.series);
    if (i >= ENGINE_WARMUP) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

function processStart(runs) {
  const commands = [
    [process.execPath, ['-e', '0']],
    [process.execPath, [path.join(here, '../bin/run.js'), 'render', WORK[0][1], '--storage-dir', whisperDir, '--now', String(ANCHOR), '--format', 'json']],
  ];
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(([command, args], k) => {
      const start = process.hrtime.bigint();
      const child = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      samples[k].push(Number(process.hrtime.bigint() - start) / 1e6);
      if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
    });
  }
  return samples.map(median);
}

try {
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${quick ? 'QUICK' : 'full'} run; median of ${REPS}\n`);
  console.log(`${'work (from=-1d, format=json)'.padEnd(52)} ${'graphite-web ms'.padStart(16)} ${'gph engine ms'.padStart(14)}  ratio`);
  for (const [label, target] of WORK) {
    const web = await graphiteWeb(target);
    const gph = await engine(target);
    console.log(`${label.padEnd(52)} ${web.toFixed(1).padStart(16)} ${gph.toFixed(2).padStart(14)}  ${(web / gph).toFixed(1)}×`);
  }
  const webChart = await graphiteWeb(CHART, CHART_SIZE);
  const gphChart = await engine(CHART, true);
  console.log(`${'800x600 PNG of 10 series over a day'.padEnd(52)} ${webChart.toFixed(1).padStart(16)} ${gphChart.toFixed(2).padStart(14)}  ${(webChart / gphChart).toFixed(1)}×`);
  const [node, gph] = processStart(quick ? 11 : 31);
  console.log(`\nprocess start to exit, one series over a day; median of ${quick ? 11 : 31}`);
  console.log(`${'node -e 0'.padEnd(40)} ${node.toFixed(1).padStart(8)} ms`);
  console.log(`${'gph render ... --format json'.padEnd(40)} ${gph.toFixed(1).padStart(8)} ms   ${(gph / node).toFixed(2)}× node -e 0`);
} finally {
  stopGraphiteWeb(pid);
  fs.rmSync(root, { recursive: true, force: true });
}
