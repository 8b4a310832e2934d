#!/usr/bin/env node
// Benchmark: Debian's carbon-cache (graphite-carbon 1.1.7) and `gph cache` in turn, on this
// machine, with the same schema (10s:1d,1m:7d), settings (no rate limits, sorted strategy) and
// load generator (one persistent TCP connection, pre-built payload), each daemon warmed up first with
// the same load for other metrics (line and pickle). For each scenario it prints
// accepted points/s (until the daemon has read everything) and persisted points/s (until its
// cache is empty, probed over carbonlink every 10 ms; the steady state's are the median of
// STEADY_ROUNDS intervals in a row), then resident memory per cached point, and the floor of
// the cold scenarios: the time it takes only to allocate their files (posix_fallocate from python
// and from gph's addon, and zeros). Everything is made under one benchRoot (see _lib.js: on ext4
// the run's directory starts in an allocation group of its own, so neither daemon makes its files
// among the inodes a previous run's clean-up freed, which costs ~10x per new file for minutes),
// and each scenario but the steady state's later intervals starts after a sync (no writeback
// left over from before it).
//   npm run bench:cache        (needs graphite-carbon and ../shared/carbon-peers)
//   QUICK=1 npm run bench:cache
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRoot, freePort, median, sleep } from './_lib.js';
import { encodePickle, pickleTuple } from '../dist/lib/carbon/protocol/pickle-encoder.js';
import { decodePickle } from '../dist/lib/carbon/protocol/pickle-decoder.js';
import { FrameReader, frame } from '../dist/lib/carbon/receiver/frame-reader.js';
import { fallocate } from '../dist/lib/whisper/native-fallocate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = Boolean(process.env.QUICK);
const PEERS = path.resolve(here, '../../shared/carbon-peers');
const SCHEMA = '10s:1d,1m:7d';
const METRICS = quick ? 2000 : 10_000;
const POINTS_PER_METRIC = 30;
const STEADY_METRICS = quick ? 4000 : 20_000;
/**
 * Intervals of the steady state measured (each takes either daemon a few ms to read): their
 * median, as one interval alone swings with whatever else the machine was doing then.
 */
const STEADY_ROUNDS = quick ? 3 : 5;
const MEMORY_POINTS = quick ? 100_000 : 300_000;
/** How often the cache is asked whether it still holds points, and how many metrics a probe asks for. */
const POLL_MS = 10;
const PROBE_METRICS = 50;



function rssBytes(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** Starts one implementation; resolves with its ports, data dir, pid and a stop function. */
async function startDaemon(kind, root, extra = {}) {
  const [line, pickle, cacheQuery] = [await freePort(), await freePort(), await freePort()];
  const dataDir = path.join(root, `${kind}-data`);
  let child;
  let pid;
  if (kind === 'carbon') {
    const carbonExtra = Object.entries({ CARBON_METRIC_INTERVAL: 0, ...extra }).map(([k, v]) => `${k} = ${v}`).join('\n');
    child = spawn('bash', [path.join(PEERS, 'start-carbon-cache.sh'), dataDir, String(line), String(pickle), String(cacheQuery), SCHEMA], { env: { ...process.env, CARBON_EXTRA: carbonExtra, MAX_LIFETIME: '1800' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    for (let waited = 0; !/^READY$/m.test(out); waited += 50) {
      if (/FAILED/.test(out) || waited > 60_000) throw new Error(`carbon-cache did not start:\n${out}`);
      await sleep(50);
    }
    pid = Number(/^PID=(\d+)$/m.exec(out)[1]);
  } else {
    const confDir = path.join(root, 'gph-conf');
    fs.mkdirSync(confDir, { recursive: true });
    fs.writeFileSync(path.join(confDir, 'storage-schemas.conf'), `[default]\npattern = .*\nretentions = ${SCHEMA}\n`);
    const settings = {
      LOCAL_DATA_DIR: dataDir, LINE_RECEIVER_INTERFACE: '127.0.0.1', LINE_RECEIVER_PORT: line, PICKLE_RECEIVER_INTERFACE: '127.0.0.1', PICKLE_RECEIVER_PORT: pickle,
      CACHE_QUERY_INTERFACE: '127.0.0.1', CACHE_QUERY_PORT: cacheQuery, MAX_UPDATES_PER_SECOND: 'inf', MAX_CREATES_PER_MINUTE: 'inf', CARBON_METRIC_INTERVAL: 0,
      LOG_UPDATES: 'False', LOG_CREATES: 'False', LOG_CACHE_HITS: 'False', CACHE_JOURNAL: 'off',
      // As ../shared/carbon-peers' carbon.conf for the reference: new files are fallocated, the
      // sorted strategy, no cache limit (flow control on), no UDP, and no tags (with ENABLE_TAGS
      // on, each new series would be sent to a graphite-web tag database that is not there).
      WHISPER_FALLOCATE_CREATE: 'True', CACHE_WRITE_STRATEGY: 'sorted', MAX_CACHE_SIZE: 'inf', USE_FLOW_CONTROL: 'True', ENABLE_UDP_LISTENER: 'False', ENABLE_TAGS: 'False', ...extra,
    };
    fs.writeFileSync(path.join(confDir, 'carbon.conf'), `[cache]\n${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);
    child = spawn(process.execPath, [path.join(here, '../bin/run.js'), 'cache', 'start', '--config', path.join(confDir, 'carbon.conf'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', () => {});
    for (let waited = 0; !out.includes('"ready"'); waited += 50) {
      if (child.exitCode !== null || waited > 60_000) throw new Error('gph cache did not start');
      await sleep(50);
    }
    pid = child.pid;
  }
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  };
  return { ports: { line, pickle, cacheQuery }, dataDir, pid, stop };
}

/** Sends `payload` on one connection; resolves when the daemon has read it all and closed. */
function send(port, payload) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    socket.on('close', resolve);
    socket.on('error', reject);
  });
}

/** How many points the daemon still holds for `metrics` (cache-query-bulk). */
function cachedPoints(port, metrics) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const reader = new FrameReader({
      frame: (body) => {
        const reply = decodePickle(body, { maxObjects: 1e8 });
        let total = 0;
        for (const points of reply.get('datapointsByMetric').values()) total += points.length;
        socket.destroy();
        resolve(total);
      },
      tooLarge: () => reject(new Error('reply too large')),
    }, 1 << 30);
    socket.on('data', (c) => reader.push(c));
    socket.on('error', reject);
    socket.write(frame(encodePickle({ type: 'cache-query-bulk', metrics })));
  });
}

function linePayload(names, pointsEach, now) {
  const lines = [];
  for (let k = 0; k < pointsEach; k++) for (const name of names) lines.push(`${name} ${k + 0.5} ${now - 10 * (pointsEach - k)}\n`);
  return Buffer.from(lines.join(''));
}

function picklePayload(names, pointsEach, now) {
  const frames = [];
  let batch = [];
  for (let k = 0; k < pointsEach; k++) {
    for (const name of names) {
      batch.push(pickleTuple(name, pickleTuple(now - 10 * (pointsEach - k), k + 0.5)));
      if (batch.length === 500) {
        frames.push(frame(encodePickle(batch)));
        batch = [];
      }
    }
  }
  if (batch.length) frames.push(frame(encodePickle(batch)));
  return Buffer.concat(frames);
}

async function scenario(daemon, port, names, payload, points, afterSync = true) {
  // Nothing left to write back from before (the other daemon's files, the scenario before): the
  // kernel's writeback of thousands of new files would otherwise share the two cores with
  // whichever daemon is timed then. (Not between the steady state's intervals, which follow
  // each other as a loaded daemon's do.)
  if (afterSync) spawnSync('sync');
  const started = process.hrtime.bigint();
  await send(port, payload);
  const accepted = Number(process.hrtime.bigint() - started) / 1e9;
  // Persisted: the cache holds none of these points any more. Asking for every metric costs the
  // daemon as much as a render of all of them (hundreds of ms while the cache is full), so it is
  // asked every POLL_MS for a random sample only; once a sample is empty, a query for all of them
  // confirms it, and the time is when the empty sample's answer came.
  let persisted;
  for (;;) {
    const sample = Array.from({ length: PROBE_METRICS }, () => names[Math.floor(Math.random() * names.length)]);
    // eslint-disable-next-line no-await-in-loop
    if ((await cachedPoints(daemon.ports.cacheQuery, sample)) === 0) {
      persisted = Number(process.hrtime.bigint() - started) / 1e9;
      if ((await cachedPoints(daemon.ports.cacheQuery, names)) === 0) break;
    }
    await sleep(POLL_MS);
  }
  return { acceptedPerSecond: points / accepted, persistedPerSecond: points / persisted };
}

async function runAll(kind, root) {
  const now = Math.floor(Date.now() / 1000);
  const daemon = await startDaemon(kind, root);
  const results = {};
  try {
    // Warm-up, the same for both daemons and not measured: other metrics by line and by pickle,
    // written out before the scenarios start. A carbon-cache serves for months; without it gph's
    // first scenario would time its JIT compiling the receive path (its first 300,000 points are
    // its slowest) and the pickle scenario the pickle path's.
    const warmup = Array.from({ length: METRICS }, (_, i) => `bench.warmup.m${i}`);
    await scenario(daemon, daemon.ports.line, warmup, linePayload(warmup, POINTS_PER_METRIC, now - 1200), METRICS * POINTS_PER_METRIC);
    await scenario(daemon, daemon.ports.pickle, warmup, picklePayload(warmup, POINTS_PER_METRIC, now - 900), METRICS * POINTS_PER_METRIC);
    const names = Array.from({ length: METRICS }, (_, i) => `bench.cold.m${i}`);
    results.cold = await scenario(daemon, daemon.ports.line, names, linePayload(names, POINTS_PER_METRIC, now), METRICS * POINTS_PER_METRIC);
    results.warm = await scenario(daemon, daemon.ports.line, names, linePayload(names, POINTS_PER_METRIC, now + 300), METRICS * POINTS_PER_METRIC);
    const steady = Array.from({ length: STEADY_METRICS }, (_, i) => `bench.steady.m${i}`);
    await scenario(daemon, daemon.ports.line, steady, linePayload(steady, 1, now - 600), STEADY_METRICS); // create the files first
    const rounds = [];
    for (let round = STEADY_ROUNDS - 1; round >= 0; round--) rounds.push(await scenario(daemon, daemon.ports.line, steady, linePayload(steady, 1, now - 10 * round), STEADY_METRICS, round === STEADY_ROUNDS - 1));
    const rates = (key) => rounds.map((r) => r[key]);
    results.steady = { acceptedPerSecond: median(rates('acceptedPerSecond')), persistedPerSecond: median(rates('persistedPerSecond')), rounds };
    const pickled = Array.from({ length: METRICS }, (_, i) => `bench.pickle.m${i}`);
    results.pickle = await scenario(daemon, daemon.ports.pickle, pickled, picklePayload(pickled, POINTS_PER_METRIC, now), METRICS * POINTS_PER_METRIC);
  } finally {
    await daemon.stop();
  }
  // Memory: hold points in the cache (writes slowed to a trickle) and compare resident memory.
  const holder = await startDaemon(kind, root, { MAX_UPDATES_PER_SECOND: 1 });
  try {
    const names = Array.from({ length: MEMORY_POINTS / POINTS_PER_METRIC }, (_, i) => `bench.mem.m${i}`);
    const before = rssBytes(holder.pid);
    await send(holder.ports.line, linePayload(names, POINTS_PER_METRIC, now));
    await sleep(1000);
    results.bytesPerCachedPoint = (rssBytes(holder.pid) - before) / MEMORY_POINTS;
  } finally {
    await holder.stop();
  }
  return results;
}

/** Bytes of a whisper file with SCHEMA (10s:1d,1m:7d): metadata, two archive headers, 12-byte points. */
const FILE_BYTES = 16 + 2 * 12 + (8640 + 10080) * 12;

/**
 * The floor of the cold scenarios: the seconds it takes only to make METRICS files of the
 * schema's size, with their blocks allocated, in one fresh directory as the daemons make them
 * (bench/cold/m<i>.wsp) — as carbon
 * does (os.posix_fallocate, through Debian's python), as gph does (posix_fallocate through its
 * N-API addon) and as gph falls back to where a file system cannot allocate ahead (writing zeros).
 * No whisper header, no points: whatever persists the cold scenarios cannot be faster than this.
 */
function allocationSeconds(dir) {
  const script = `
import os, sys, time
root, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
d = os.path.join(root, 'bench', 'cold')
os.makedirs(d, exist_ok=True)
for i in range(n):
    fd = os.open(os.path.join(d, 'm%d.wsp' % i), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    os.posix_fallocate(fd, 0, size)
    os.close(fd)
print(time.perf_counter() - start)
`;
  const python = spawnSync('/usr/bin/python3', ['-c', script, path.join(dir, 'python'), String(METRICS), String(FILE_BYTES)], { encoding: 'utf8' });
  if (python.status !== 0) throw new Error(`posix_fallocate floor failed: ${python.stderr}`);
  const zeros = Buffer.alloc(FILE_BYTES);
  const timed = (name, allocate) => {
    const started = process.hrtime.bigint();
    const d = path.join(dir, name, 'bench', 'cold');
    fs.mkdirSync(d, { recursive: true });
    for (let i = 0; i < METRICS; i++) {
      const fd = fs.openSync(path.join(d, `m${i}.wsp`), 'wx');
      allocate(fd);
      fs.closeSync(fd);
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  return {
    python: Number(python.stdout.trim()),
    addon: timed('addon', (fd) => {
      if (fallocate(fd, 0, FILE_BYTES) !== 0) throw new Error('posix_fallocate failed');
    }),
    zeros: timed('zeros', (fd) => fs.writeSync(fd, zeros, 0, zeros.length, 0)),
  };
}

const root = benchRoot('gph-bench-cache-');
try {
  const carbon = await runAll('carbon', root);
  const gph = await runAll('gph', root);
  const floor = allocationSeconds(path.join(root, 'floor'));
  const k = (n) => `${(n / 1000).toFixed(1)}k`.padStart(9);
  const ratio = (a, b) => `${(a / b).toFixed(1)}×`.padStart(7);
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${quick ? 'QUICK' : 'full'} run; schema ${SCHEMA}; points/s\n`);
  console.log(`${'scenario'.padEnd(38)} ${'accepted: carbon'.padStart(16)} ${'gph'.padStart(9)} ${'ratio'.padStart(7)}   ${'persisted: carbon'.padStart(17)} ${'gph'.padStart(9)} ${'ratio'.padStart(7)}`);
  const rows = [
    ['cold', `${METRICS} new metrics x ${POINTS_PER_METRIC} points, line`],
    ['warm', `the same metrics again, line`],
    ['steady', `${STEADY_METRICS} metrics x 1 point, line (median)`],
    ['pickle', `${METRICS} new metrics x ${POINTS_PER_METRIC} points, pickle`],
  ];
  for (const [key, label] of rows) {
    const c = carbon[key];
    const g = gph[key];
    console.log(`${label.padEnd(38)} ${k(c.acceptedPerSecond).padStart(16)} ${k(g.acceptedPerSecond)} ${ratio(g.acceptedPerSecond, c.acceptedPerSecond)}   ${k(c.persistedPerSecond).padStart(17)} ${k(g.persistedPerSecond)} ${ratio(g.persistedPerSecond, c.persistedPerSecond)}`);
  }
  const spread = (list, key) => `${k(Math.min(...list.map((r) => r[key]))).trim()}..${k(Math.max(...list.map((r) => r[key]))).trim()}`;
  const steadyOf = (key) => `carbon ${spread(carbon.steady.rounds, key)}, gph ${spread(gph.steady.rounds, key)}`;
  console.log(`\nsteady state: the median of ${STEADY_ROUNDS} intervals; per interval, accepted ${steadyOf('acceptedPerSecond')}; persisted ${steadyOf('persistedPerSecond')}`);
  console.log(`\nresident memory per cached point: carbon ${carbon.bytesPerCachedPoint.toFixed(0)} B, gph ${gph.bytesPerCachedPoint.toFixed(0)} B`);
  const coldPoints = METRICS * POINTS_PER_METRIC;
  const best = (seconds, key) => `${(coldPoints / seconds / 1000).toFixed(1)}k points/s at most, ${(coldPoints / seconds / carbon[key].persistedPerSecond).toFixed(1)}× carbon's ${key} rate`;
  console.log(`\nfloor of the cold scenarios: only allocating their ${METRICS} files of ${FILE_BYTES} bytes`);
  console.log(`  posix_fallocate, carbon's way (python)  ${floor.python.toFixed(2).padStart(6)} s -> ${best(floor.python, 'cold')}`);
  console.log(`  posix_fallocate, gph's way (addon)      ${floor.addon.toFixed(2).padStart(6)} s -> ${best(floor.addon, 'cold')}`);
  console.log(`  zeros (gph's fallback without one)      ${floor.zeros.toFixed(2).padStart(6)} s -> ${best(floor.zeros, 'cold')}`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
