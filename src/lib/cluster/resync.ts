/**
 * gph resync: for every metric the local node owns, fill the local file's gaps from each peer that
 * also owns it (fill semantics: known points are never overwritten unless `overwrite`), copying the
 * whole file when the local node lacks it. Peers are local or mounted directories, or gph nodes
 * over HTTP. Work is recorded in a state file so an interrupted run resumes; a corrupt or cut
 * download, or a schema mismatch with --overwrite, is reported and leaves the local file alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { GphError, isGphError } from '../errors.js';
import { fill } from '../whisper/fill.js';
import { merge } from '../whisper/merge.js';
import type { Cluster, ClusterNode } from './cluster.js';
import { listMetrics, metricFile, peerFile } from './node-store.js';

export interface ResyncOptions {
  cluster: Cluster;
  /** The node whose files are repaired (needs a local data directory). */
  local: ClusterNode;
  /** Metrics to consider (default: every metric the local node or its peers hold that the local node owns). */
  metrics?: string[];
  from?: number;
  until?: number;
  overwrite?: boolean;
  dryRun?: boolean;
  /** Metrics worked on at once (peer downloads overlap). */
  parallel?: number;
  /** At most this many metrics per second. */
  maxPerSecond?: number;
  /** Take whisper's flock while writing, to cooperate with a running cache. */
  lock?: boolean;
  /** Read from every node that holds the metric, not only its other owners (pull-mode rebalance after a ring change). */
  fromAnyHolder?: boolean;
  /** Where finished metrics are recorded (resume); none: no resume. */
  statePath?: string;
  /** "now" for the whisper files. */
  clock: Clock;
  /** The clock that paces --max-per-second (default `clock`; the CLI passes the real one even when --now fixes `clock`). */
  pace?: Clock;
  onProgress?: (done: number, total: number, metric: string) => void;
}

export interface ResyncFailure {
  metric: string;
  peer?: string;
  reason: string;
}

export interface ResyncReport {
  node: string;
  metrics: number;
  /** Metrics finished in an earlier, interrupted run. */
  resumed: number;
  /** Metrics whose local file gained points. */
  filled: number;
  /** Metrics copied whole because the local node lacked them. */
  copied: number;
  pointsAdded: number;
  failures: ResyncFailure[];
  dryRun: boolean;
}

function readState(file: string | undefined): Set<string> {
  if (!file || !fs.existsSync(file)) return new Set();
  return new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line),
  );
}

/** Copies bytes into place atomically: a temporary file beside the target, fsynced, renamed. */
export function writeAtomically(target: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.gph-tmp-${process.pid}`;
  const fd = fs.openSync(temp, 'wx');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

export async function resync(options: ResyncOptions): Promise<ResyncReport> {
  const { cluster, local, clock } = options;
  if (local.data?.kind !== 'path') {
    throw new GphError('CLUSTER_NODE', `Node ${local.name} has no local data directory to repair`, { hint: 'Give the node a DATA path (a local or mounted directory)' });
  }
  const localDir = local.data.dir;
  const peers = cluster.nodes.filter((n) => n.name !== local.name && n.data);
  let metrics = options.metrics;
  if (!metrics) {
    const all = new Set(await listMetrics(local.data));
    for (const peer of peers) for (const m of await listMetrics(peer.data!)) all.add(m);
    metrics = [...all].sort();
  }
  metrics = metrics.filter((m) => cluster.owns(local, m));
  const done = readState(options.statePath);
  const report: ResyncReport = { node: local.name, metrics: metrics.length, resumed: 0, filled: 0, copied: 0, pointsAdded: 0, failures: [], dryRun: Boolean(options.dryRun) };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-resync-'));
  const whisperOptions = { clock, lock: options.lock };
  let finished = 0;
  const queue = metrics.filter((m) => {
    if (done.has(m)) {
      report.resumed++;
      return false;
    }
    return true;
  });
  const total = queue.length;
  const pace = options.pace ?? clock;
  const started = pace.now();

  const one = async (metric: string): Promise<void> => {
    const target = metricFile(localDir, metric);
    const owners = (options.fromAnyHolder ? cluster.nodes : cluster.owners(metric)).filter((o) => o.name !== local.name && o.data);
    let gained = 0;
    let failed = false;
    for (const peer of owners) {
      let source: string | null;
      try {
        source = await peerFile(peer.data!, metric, scratch);
      } catch (error) {
        report.failures.push({ metric, peer: peer.name, reason: (error as Error).message });
        failed = true;
        continue;
      }
      if (!source) continue;
      const downloaded = peer.data!.kind === 'http';
      try {
        if (!fs.existsSync(target)) {
          if (!options.dryRun) writeAtomically(target, fs.readFileSync(source));
          report.copied++;
          gained = 0;
          break;
        }
        let into = target;
        if (options.dryRun) {
          into = path.join(scratch, `${metric}.dry-run.wsp`);
          fs.copyFileSync(target, into);
        }
        if (options.overwrite) gained += merge(source, into, { timeFrom: options.from, timeTo: options.until }, whisperOptions);
        else gained += fill(source, into, whisperOptions, { from: options.from, until: options.until }).pointsWritten;
        if (options.dryRun) fs.rmSync(into, { force: true });
      } catch (error) {
        report.failures.push({ metric, peer: peer.name, reason: isGphError(error) ? error.message : String(error) });
        failed = true;
      } finally {
        if (downloaded) fs.rmSync(source, { force: true });
      }
    }
    if (gained > 0) {
      report.filled++;
      report.pointsAdded += gained;
    }
    if (!failed && !options.dryRun && options.statePath) fs.appendFileSync(options.statePath, `${metric}\n`);
  };

  try {
    const parallel = Math.max(1, options.parallel ?? 4);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length) {
        const metric = queue[next++];
        if (options.maxPerSecond) {
          const due = started + finished / options.maxPerSecond;
          const wait = due - pace.now();
          if (wait > 0) await pace.sleep(wait * 1000);
        }
        try {
          await one(metric);
        } catch (error) {
          report.failures.push({ metric, reason: (error as Error).message });
        }
        finished++;
        options.onProgress?.(finished, total, metric);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, queue.length)) }, worker));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (options.statePath && !options.dryRun && report.failures.length === 0) fs.rmSync(options.statePath, { force: true });
  return report;
}
