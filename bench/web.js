#!/usr/bin/env node
// Benchmark: `gph web` (response cache off) against Debian's graphite-web (gunicorn, 2 workers) on
// the same whisper tree (../shared/render-oracle/make-fixture.py --bench), in the same run: the
// median latency of each request one at a time, then requests per second with 16 concurrent clients.
// Both servers are measured with the same light client (node:http, keep-alive where the server
// allows it), after a warm-up, so that the client's own cost does not hide the servers' difference.
//   npm run bench:web            (builds first)
//   QUICK=1 npm run bench:web
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, makeBenchFixture, median, sleep, startGraphiteWeb, stopGraphiteWeb } from './_lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = Boolean(process.env.QUICK);
const ANCHOR = 1704067200;
const REPS = quick ? 15 : 60;
const WARMUP = 20;
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const CONCURRENT_SECONDS = quick ? 2 : 5;
const base = `from=-1d&until=now&now=${ANCHOR}`;
const REQUESTS = [
  ['single series, json', `/render?target=bench.series.s000&${base}&format=json`],
  ['sumSeries over 100 series', `/render?target=sumSeries(bench.series.*)&${base}&format=json`],
  ['integral(movingAverage()) over 10', `/render?target=integral(movingAverage(bench.series.s00*,10))&${base}&format=json`],
  ['800x600 png of 10 series', `/render?target=bench.series.s00*&${base}&width=800&height=600`],
  ['find 100 of 1,000 leaves', '/metrics/find?query=bench.find.g01.*'],
  ['find 1,000 of 1,000 leaves', '/metrics/find?query=bench.find.*.*'],
];

/** GET `url`, body read and dropped; resolves with the status. */
function get(port, url) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      })
      .on('error', reject);
  });
}

async function latency(port, url) {
  const samples = [];
  for (let i = 0; i < REPS + WARMUP; i++) {
    const start = process.hrtime.bigint();
    const status = await get(port, url);
    if (status !== 200) throw new Error(`${url} answered ${status} on port ${port}`);
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

async function throughput(port, url) {
  let done = 0;
  const until = Date.now() + CONCURRENT_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < until) {
        await get(port, url);
        done++;
      }
    }),
  );
  return done / CONCURRENT_SECONDS;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-bench-web-'));
const whisperDir = path.join(root, 'whisper');
let webPid;
let gph;
try {
  makeBenchFixture(whisperDir, ANCHOR);
  const webPort = await freePort();
  webPid = startGraphiteWeb(whisperDir, webPort);
  const gphPort = await freePort();
  gph = spawn(process.execPath, [path.join(here, '../bin/run.js'), 'web', 'start', '--port', String(gphPort), '--storage-dir', whisperDir, '--cache-duration', '0', '--log-file', '/dev/null'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${gphPort}/version`)).ok) break;
    } catch {
      await sleep(100);
    }
  }
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${quick ? 'QUICK' : 'full'} run; gph web without its response cache\n`);
  console.log(`${'request'.padEnd(36)} ${'graphite-web ms'.padStart(15)} ${'gph ms'.padStart(8)} ${'ratio'.padStart(7)}   ${'graphite-web rps'.padStart(16)} ${'gph rps'.padStart(9)} ${'ratio'.padStart(7)}`);
  for (const [label, url] of REQUESTS) {
    const webMs = await latency(webPort, url);
    const gphMs = await latency(gphPort, url);
    const webRps = await throughput(webPort, url);
    const gphRps = await throughput(gphPort, url);
    console.log(`${label.padEnd(36)} ${webMs.toFixed(1).padStart(15)} ${gphMs.toFixed(1).padStart(8)} ${(webMs / gphMs).toFixed(1).padStart(6)}×   ${webRps.toFixed(0).padStart(16)} ${gphRps.toFixed(0).padStart(9)} ${(gphRps / webRps).toFixed(1).padStart(6)}×`);
  }
} finally {
  gph?.kill('SIGTERM');
  if (webPid) stopGraphiteWeb(webPid);
  fs.rmSync(root, { recursive: true, force: true });
}
