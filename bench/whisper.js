#!/usr/bin/env node
// Benchmark: gph's whisper library and CLI against Debian's python3-whisper, measured in the same
// run on the same machine. Prints each figure and the ratio (reference time / gph time).
//   npm run bench:whisper            (builds first; needs /usr/bin/python3 with python3-whisper)
//   QUICK=1 npm run bench:whisper    (smaller counts)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRoot } from './_lib.js';
import { FixedClock } from '../dist/lib/clock.js';
import { create } from '../dist/lib/whisper/create.js';
import { fetch } from '../dist/lib/whisper/fetch.js';
import { resize } from '../dist/lib/whisper/resize.js';
import { updateMany, update } from '../dist/lib/whisper/update.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = Boolean(process.env.QUICK);
const NOW = 1_700_000_000;
const clock = new FixedClock(NOW);
const SCHEMA = [[10, 8640], [60, 10080], [600, 52560]]; // 10s:1d,1m:7d,10m:1y
// Update phases write into preallocated files (as carbon creates them) with a smaller schema, so
// 10,000 files fit on disk: 1m:1d,5m:7d,1h:1y (147 KB each).
const UPDATE_SCHEMA = [[60, 1440], [300, 2016], [3600, 8760]];
const WARMUP_CALLS = 500;
const RESIZE_SCHEMA = [[10, 60480], [60, 43200], [600, 262800]]; // 10s:7d,1m:30d,10m:5y
const config = {
  now: NOW,
  schema: SCHEMA,
  updateSchema: UPDATE_SCHEMA,
  warmupCalls: WARMUP_CALLS,
  resizeSchema: RESIZE_SCHEMA,
  createFiles: quick ? 200 : 1000,
  updateOneFiles: quick ? 2000 : 10000,
  updateManyFiles: quick ? 200 : 1000,
  fetches: [['1h', 3600, quick ? 500 : 3000], ['1d', 86400, quick ? 200 : 1000], ['7d', 604800, quick ? 50 : 300]],
  resizeReps: quick ? 1 : 3,
};
const spec = (list) => list.map(([secondsPerPoint, points]) => ({ secondsPerPoint, points }));

function time(fn) {
  spawnSync('sync'); // start each phase with no dirty pages left by the one before
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const root = benchRoot('gph-bench-');
const gphDir = path.join(root, 'gph');
const refDir = path.join(root, 'ref');
fs.mkdirSync(gphDir);
fs.mkdirSync(refDir);

// A full file: every slot of every archive holds a point.
const fullFile = path.join(root, 'full.wsp');
create(fullFile, spec(SCHEMA), { xFilesFactor: 0 });
for (const [step, points] of [...SCHEMA].reverse()) {
  const batch = [];
  for (let i = 0; i < points; i++) batch.push([NOW - step * i, Math.sin(i / 50) * 100]);
  updateMany(fullFile, batch, { clock });
}

const gph = {};
gph.create = time(() => {
  fs.mkdirSync(path.join(gphDir, 'create'));
  for (let i = 0; i < config.createFiles; i++) create(path.join(gphDir, 'create', `m${i}.wsp`), spec(SCHEMA));
});
const makeFiles = (dir, count) => {
  fs.mkdirSync(path.join(gphDir, dir));
  return Array.from({ length: count }, (_, i) => {
    const file = path.join(gphDir, dir, `m${i}.wsp`);
    create(file, spec(UPDATE_SCHEMA));
    return file;
  });
};
const batch = Array.from({ length: 60 }, (_, k) => [NOW - 60 * k, k]);
// Untimed warm-up on other files, so the JIT has compiled the hot paths (python runs the same warm-up).
for (const f of makeFiles('warmup', 10).flatMap((f) => Array(WARMUP_CALLS / 10).fill(f))) {
  update(f, 1, NOW - 5, { clock });
  updateMany(f, batch, { clock });
}
const oneFiles = makeFiles('one', config.updateOneFiles);
gph.update1 = time(() => oneFiles.forEach((f, i) => update(f, i, NOW - 5, { clock })));
// The least any update can cost on this machine: the system calls alone, no whisper logic and no
// propagation to lower archives (open, read the header, read the slot, write one point, close).
const floorFiles = makeFiles('floor', config.updateOneFiles);
const header = Buffer.alloc(16 + 12 * UPDATE_SCHEMA.length);
const point = Buffer.alloc(12);
gph.floor = time(() =>
  floorFiles.forEach((f) => {
    const fd = fs.openSync(f, 'r+');
    fs.readSync(fd, header, 0, header.length, 0);
    fs.readSync(fd, point, 0, 12, header.length);
    fs.writeSync(fd, point, 0, 12, header.length);
    fs.closeSync(fd);
  }),
);
const manyFiles = makeFiles('many', config.updateManyFiles);
gph.update60 = time(() => manyFiles.forEach((f) => updateMany(f, batch, { clock })));
for (const [label, seconds, reps] of config.fetches) {
  gph[`fetch_${label}`] = time(() => {
    for (let r = 0; r < reps; r++) fetch(fullFile, NOW - seconds, NOW, {}, { clock });
  });
}
gph.resize = time(() => {
  for (let r = 0; r < config.resizeReps; r++) {
    const src = path.join(gphDir, `resize${r}.wsp`);
    fs.copyFileSync(fullFile, src);
    resize(src, spec(RESIZE_SCHEMA), { nobackup: true }, { clock });
  }
});

const python = spawnSync('/usr/bin/python3', [path.join(here, '_reference/whisper_bench.py'), JSON.stringify({ ...config, workdir: refDir, fullFile })], { encoding: 'utf8', maxBuffer: 1 << 24 });
if (python.status !== 0) {
  console.error(python.stderr);
  process.exit(1);
}
const ref = JSON.parse(python.stdout);

// End to end: one fetch of a day as a process, against whisper-fetch and a bare `node -e 0`.
// whisper-fetch reads the real clock, so this file holds the day before the real now.
const realNow = Math.floor(Date.now() / 1000);
const cliFile = path.join(root, 'cli.wsp');
create(cliFile, spec(SCHEMA), { xFilesFactor: 0 });
updateMany(cliFile, Array.from({ length: 8640 }, (_, i) => [realNow - 10 * i, i % 100]), { clock: new FixedClock(realNow) });
/** Median wall time of each command, run interleaved so machine noise hits all of them alike. */
function medianProcessSeconds(commands, runs) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(([command, args], k) => {
      const start = process.hrtime.bigint();
      const child = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] }); // output to /dev/null, as a shell redirect
      samples[k].push(Number(process.hrtime.bigint() - start) / 1e9);
      if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${child.stderr}`);
    });
  }
  return samples.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}
const runs = quick ? 11 : 31;
spawnSync('sync'); // let the writeback of the phases above finish first
const [nodeSeconds, gphSeconds, refSeconds] = medianProcessSeconds(
  [
    [process.execPath, ['-e', '0']],
    [process.execPath, [path.join(here, '../bin/run.js'), 'whisper', 'fetch', cliFile]],
    ['/usr/bin/python3', ['/usr/bin/whisper-fetch', cliFile]],
  ],
  runs,
);
const cli = { node: nodeSeconds, gph: gphSeconds, ref: refSeconds };
fs.rmSync(root, { recursive: true, force: true });

const rows = [
  ['create 1 file (10s:1d,1m:7d,10m:1y)', 'create', config.createFiles],
  ['update 1 point into a file (1m:1d,5m:7d,1h:1y)', 'update1', config.updateOneFiles],
  ['update 60 points into a file (same schema)', 'update60', config.updateManyFiles],
  ['fetch 1 h', 'fetch_1h', config.fetches[0][2]],
  ['fetch 1 d', 'fetch_1d', config.fetches[1][2]],
  ['fetch 7 d', 'fetch_7d', config.fetches[2][2]],
  ['resize a full file to 10s:7d,1m:30d,10m:5y', 'resize', config.resizeReps],
];
const us = (seconds, count) => ((seconds / count) * 1e6).toFixed(1).padStart(10);
console.log(`node ${process.version}, ${os.cpus().length} cores, ${quick ? 'QUICK' : 'full'} run\n`);
console.log(`${'operation (per call)'.padEnd(48)} ${'gph µs'.padStart(10)} ${'python µs'.padStart(10)}  ratio`);
for (const [label, key, count] of rows) {
  console.log(`${label.padEnd(48)} ${us(gph[key], count)} ${us(ref[key], count)}  ${(ref[key] / gph[key]).toFixed(1)}×`);
  if (key === 'update1') console.log(`${'  system calls alone (open, 2 reads, write, close)'.padEnd(48)} ${us(gph.floor, count)} ${''.padStart(10)}  ${(ref.update1 / gph.floor).toFixed(1)}× at most`);
}
const ms = (s) => (s * 1000).toFixed(1).padStart(10);
console.log(`\nprocess start to exit, fetching one day (8,640 points); median of ${runs}`);
console.log(`${'node -e 0'.padEnd(44)} ${ms(cli.node)} ms`);
console.log(`${'gph whisper fetch'.padEnd(44)} ${ms(cli.gph)} ms   ${(cli.gph / cli.node).toFixed(2)}× node -e 0`);
console.log(`${'whisper-fetch'.padEnd(44)} ${ms(cli.ref)} ms   ${(cli.ref / cli.gph).toFixed(2)}× gph`);
