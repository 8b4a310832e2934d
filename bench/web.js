#!/usr/bin/env node
// Benchmark: `gph web` (response cache off) against Debian's graphite-web (gunicorn, 2 workers) on
// the same whisper tree (../shared/render-oracle/make-fixture.py --bench), in the same run: the
// median latency of each request one at a time, then requests per second with 16 concurrent clients.
// Both servers are measured with the same light client (node:http, keep-alive where the server
// allows it), after a warm-up of 3 s per request and server (a serving process is warm: gph's JIT
// compiles its request path after some thousands of requests; graphite-web runs no JIT), so that
// the client's own cost does not hide the servers' difference.
// A third server, bench/_canned-server.js, answers gph's own recorded bytes without doing any work:
// its figures are the floor of this machine and client, and the best ratio any server could reach.
//   npm run bench:web            (builds first)
//   QUICK=1 npm run bench:web
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRoot, freePort, makeBenchFixture, median, sleep, startGraphiteWeb, stopGraphiteWeb } from './_lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = Boolean(process.env.QUICK);
const ANCHOR = 1704067200;
const REPS = quick ? 15 : 100;
/** Each server is warmed with the same request for this long (and 20 requests at least) before it is timed. */
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? (quick ? 1 : 3));
const WARMUP_MIN = 20;
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

/** GET `url`; resolves with the status, and the body and its type when `keep` is set. */
function get(port, url, keep = false) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, agent }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => keep && chunks.push(chunk));
        response.on('end', () => resolve(keep ? { status: response.statusCode, body: Buffer.concat(chunks), type: response.headers['content-type'] } : response.statusCode));
      })
      .on('error', reject);
  });
}

async function waitForVersion(port) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/version`)).ok) return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`nothing answered on port ${port}`);
}

/** Records gph's answer to each request (and /version) for the canned server. */
async function recordAnswers(port, dir) {
  const manifest = {};
  for (const [index, url] of [...REQUESTS.map(([, u]) => u), '/version'].entries()) {
    const { status, body, type } = await get(port, url, true);
    if (status !== 200) throw new Error(`${url} answered ${status} on port ${port}`);
    const file = path.join(dir, `answer-${index}`);
    fs.writeFileSync(file, body);
    manifest[url] = { file, type };
  }
  const manifestFile = path.join(dir, 'answers.json');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  return manifestFile;
}

/** GET `url`, which must answer 200. */
async function getOk(port, url) {
  const status = await get(port, url);
  if (status !== 200) throw new Error(`${url} answered ${status} on port ${port}`);
}

async function latency(port, url) {
  const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
  for (let i = 0; i < WARMUP_MIN || Date.now() < warmUntil; i++) await getOk(port, url);
  const samples = [];
  for (let i = 0; i < REPS; i++) {
    const start = process.hrtime.bigint();
    await getOk(port, url);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
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

const root = benchRoot('gph-bench-web-');
const whisperDir = path.join(root, 'whisper');
let webPid;
let gph;
let canned;
try {
  makeBenchFixture(whisperDir, ANCHOR);
  const webPort = await freePort();
  webPid = startGraphiteWeb(whisperDir, webPort);
  const gphPort = await freePort();
  gph = spawn(process.execPath, [path.join(here, '../bin/run.js'), 'web', 'start', '--port', String(gphPort), '--storage-dir', whisperDir, '--cache-duration', '0', '--log-file', '/dev/null'], { stdio: 'ignore' });
  await waitForVersion(gphPort);
  const cannedPort = await freePort();
  canned = spawn(process.execPath, [path.join(here, '_canned-server.js'), await recordAnswers(gphPort, root), String(cannedPort)], { stdio: 'ignore' });
  await waitForVersion(cannedPort);
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${quick ? 'QUICK' : 'full'} run; gph web without its response cache\n`);
  const floors = [];
  const cell = (value, digits, width) => value.toFixed(digits).padStart(width);
  console.log(`${'request'.padEnd(36)} ${'graphite-web ms'.padStart(15)} ${'gph ms'.padStart(8)} ${'ratio'.padStart(7)}   ${'graphite-web rps'.padStart(16)} ${'gph rps'.padStart(9)} ${'ratio'.padStart(7)}`);
  for (const [label, url] of REQUESTS) {
    const webMs = await latency(webPort, url);
    const gphMs = await latency(gphPort, url);
    const floorMs = await latency(cannedPort, url);
    const webRps = await throughput(webPort, url);
    const gphRps = await throughput(gphPort, url);
    const floorRps = await throughput(cannedPort, url);
    floors.push({ label, webMs, floorMs, webRps, floorRps });
    console.log(`${label.padEnd(36)} ${cell(webMs, 1, 15)} ${cell(gphMs, 1, 8)} ${cell(webMs / gphMs, 1, 6)}×   ${cell(webRps, 0, 16)} ${cell(gphRps, 0, 9)} ${cell(gphRps / webRps, 1, 6)}×`);
  }
  console.log('\nfloor: a node:http server with the same workers answering gph\'s recorded bytes, no work done;');
  console.log('the best ratio is graphite-web against that floor, the most any server could reach here\n');
  console.log(`${'request'.padEnd(36)} ${'floor ms'.padStart(15)} ${'best'.padStart(8)}   ${'floor rps'.padStart(16)} ${'best'.padStart(9)}`);
  for (const { label, webMs, floorMs, webRps, floorRps } of floors) {
    console.log(`${label.padEnd(36)} ${cell(floorMs, 2, 15)} ${cell(webMs / floorMs, 1, 7)}×   ${cell(floorRps, 0, 16)} ${cell(floorRps / webRps, 1, 8)}×`);
  }
} finally {
  gph?.kill('SIGTERM');
  canned?.kill('SIGTERM');
  if (webPid) stopGraphiteWeb(webPid);
  fs.rmSync(root, { recursive: true, force: true });
}
