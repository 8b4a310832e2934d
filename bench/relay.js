#!/usr/bin/env node
// Benchmark: Debian's carbon-relay, carbon-c-relay (-q 2000000) and `gph relay` in turn, on this
// machine, forwarding the same pre-built load (one TCP connection) by consistent hashing to two
// counting line-protocol sinks. Prints points/s forwarded (until both sinks have everything or
// nothing arrives for 5 s) and points lost.
//   npm run bench:relay        (needs graphite-carbon, carbon-c-relay and ../shared/carbon-peers)
//   QUICK=1 npm run bench:relay
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRoot, freePort, sleep } from './_lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = Boolean(process.env.QUICK);
const PEERS = path.resolve(here, '../../shared/carbon-peers');
const POINTS = quick ? 200_000 : 1_000_000;
const METRICS = 10_000;
const STALL_MS = 5000;


/** A sink that counts newline-terminated lines. */
async function startSink() {
  const sink = { count: 0, sockets: new Set() };
  sink.server = net.createServer((socket) => {
    sink.sockets.add(socket);
    socket.on('data', (chunk) => {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) sink.count++;
    });
    socket.on('close', () => sink.sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
  sink.port = sink.server.address().port;
  sink.close = () => {
    for (const s of sink.sockets) s.destroy();
    return new Promise((resolve) => sink.server.close(resolve));
  };
  return sink;
}

async function waitForReady(child, pattern, what) {
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  for (let waited = 0; !pattern.test(out); waited += 50) {
    if (child.exitCode !== null || /FAILED/.test(out) || waited > 60_000) throw new Error(`${what} did not start:\n${out}`);
    await sleep(50);
  }
}

async function startRelay(kind, sinks, root) {
  const port = await freePort();
  const destinations = sinks.map((s, i) => `127.0.0.1:${s.port}:d${i}`);
  let child;
  if (kind === 'carbon-relay') {
    child = spawn('bash', [path.join(PEERS, 'start-carbon-relay.sh'), 'consistent-hashing', String(port), '0', '1', ...destinations], {
      env: { ...process.env, DESTINATION_PROTOCOL: 'line', MAX_QUEUE_SIZE: '10000', CARBON_EXTRA: 'CARBON_METRIC_INTERVAL = 0', MAX_LIFETIME: '1800' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForReady(child, /^READY$/m, kind);
  } else if (kind === 'carbon-c-relay') {
    const config = path.join(root, 'c-relay.conf');
    fs.writeFileSync(config, `cluster sinks\n    carbon_ch\n${sinks.map((s, i) => `        127.0.0.1:${s.port}=d${i}\n`).join('')}    ;\nmatch *\n    send to sinks\n    stop\n    ;\n`);
    child = spawn('bash', [path.join(PEERS, 'start-carbon-c-relay.sh'), config, String(port), '-q', '2000000', '-s'], { env: { ...process.env, MAX_LIFETIME: '1800' }, stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForReady(child, /^READY$/m, kind);
  } else {
    child = spawn(process.execPath, [path.join(here, '../bin/run.js'), 'relay', 'start', '--line-port', String(port), '--pickle-port', '-1', '--protocol', 'line', '--destinations', destinations.join(','), '--spool-dir', path.join(root, 'spool')], { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForReady(child, /ready/, kind);
  }
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

const now = Math.floor(Date.now() / 1000);
const lines = [];
for (let i = 0; i < POINTS; i++) lines.push(`bench.relay.m${i % METRICS} ${i % 1000} ${now - Math.floor(i / METRICS)}\n`);
const payload = Buffer.from(lines.join(''));

async function measure(kind) {
  const root = benchRoot('gph-bench-relay-');
  const sinks = [await startSink(), await startSink()];
  const relay = await startRelay(kind, sinks, root);
  try {
    const started = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const socket = net.connect(relay.port, '127.0.0.1', () => socket.end(payload));
      socket.on('close', resolve);
      socket.on('error', reject);
    });
    let last = -1;
    let lastChange = Date.now();
    let finished = started;
    for (;;) {
      const total = sinks[0].count + sinks[1].count;
      if (total !== last) {
        last = total;
        lastChange = Date.now();
        finished = process.hrtime.bigint();
      }
      if (total >= POINTS || Date.now() - lastChange > STALL_MS) break;
      await sleep(20);
    }
    const seconds = Number(finished - started) / 1e9;
    return { forwarded: last, perSecond: last / seconds, lost: POINTS - last };
  } finally {
    await relay.stop();
    await Promise.all(sinks.map((s) => s.close()));
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const results = {};
for (const kind of ['carbon-relay', 'carbon-c-relay', 'gph relay']) results[kind] = await measure(kind);
console.log(`node ${process.version}, ${os.cpus().length} cores, ${quick ? 'QUICK' : 'full'} run: ${POINTS} points over ${METRICS} metrics, consistent hashing to 2 line sinks\n`);
console.log(`${'relay'.padEnd(34)} ${'forwarded/s'.padStart(12)} ${'lost'.padStart(10)}`);
for (const [kind, r] of Object.entries(results)) {
  const label = kind === 'carbon-relay' ? 'carbon-relay (MAX_QUEUE_SIZE 10000)' : kind === 'carbon-c-relay' ? 'carbon-c-relay -q 2000000' : kind;
  console.log(`${label.padEnd(34)} ${`${(r.perSecond / 1000).toFixed(1)}k`.padStart(12)} ${String(r.lost).padStart(10)}`);
}
console.log(`\ngph relay / carbon-c-relay: ${(results['gph relay'].perSecond / results['carbon-c-relay'].perSecond).toFixed(2)}×`);
