/**
 * gph rebalance: after a ring change, every metric stored on a node that no longer owns it is
 * copied (or filled, when the owner already has a file) to each of its owners, verified there
 * (every known point of the source is known on the owner), and only then, with `delete`, removed
 * from the old node. Owners must have local or mounted data directories.
 */
import fs from 'node:fs';
import type { Clock } from '../clock.js';
import { fetch } from '../whisper/fetch.js';
import { fill } from '../whisper/fill.js';
import { info } from '../whisper/info.js';
import type { Cluster } from './cluster.js';
import { listDirMetrics, metricFile } from './node-store.js';
import { writeAtomically } from './resync.js';

export interface RebalanceOptions {
  cluster: Cluster;
  delete?: boolean;
  dryRun?: boolean;
  lock?: boolean;
  clock: Clock;
  onProgress?: (done: number, total: number, metric: string) => void;
}

export interface RebalanceReport {
  moved: number;
  copies: number;
  filled: number;
  deleted: number;
  failures: Array<{ metric: string; node: string; reason: string }>;
  dryRun: boolean;
}

/** Every known point of `source` (over its whole retention) is known in `target`. */
export function verify(source: string, target: string, clock: Clock): boolean {
  const now = clock.now();
  const retention = info(source).maxRetention;
  const from = Math.floor(now - retention);
  const a = fetch(source, from, Math.floor(now), {}, { clock });
  const b = fetch(target, from, Math.floor(now), {}, { clock });
  if (!a) return true;
  if (!b) return a.values.every((v) => v === null);
  const step = b.timeInfo[2];
  const known = new Set<number>();
  b.values.forEach((v, i) => v !== null && known.add(b.timeInfo[0] + i * step));
  return a.values.every((v, i) => v === null || known.has(a.timeInfo[0] + i * a.timeInfo[2] - ((a.timeInfo[0] + i * a.timeInfo[2]) % step)));
}

export function rebalance(options: RebalanceOptions): RebalanceReport {
  const { cluster, clock } = options;
  const report: RebalanceReport = { moved: 0, copies: 0, filled: 0, deleted: 0, failures: [], dryRun: Boolean(options.dryRun) };
  const work: Array<{ node: (typeof cluster.nodes)[number]; metric: string }> = [];
  for (const node of cluster.nodes) {
    if (node.data?.kind !== 'path') continue;
    for (const metric of listDirMetrics(node.data.dir)) if (!cluster.owns(node, metric)) work.push({ node, metric });
  }
  work.forEach(({ node, metric }, index) => {
    const source = metricFile((node.data as { dir: string }).dir, metric);
    let ok = true;
    for (const owner of cluster.owners(metric)) {
      if (owner.data?.kind !== 'path') {
        report.failures.push({ metric, node: owner.name, reason: 'rebalance writes to local or mounted directories only; give this node a DATA path' });
        ok = false;
        continue;
      }
      const target = metricFile(owner.data.dir, metric);
      try {
        if (!fs.existsSync(target)) {
          if (!options.dryRun) writeAtomically(target, fs.readFileSync(source));
          report.copies++;
        } else {
          if (!options.dryRun) fill(source, target, { clock, lock: options.lock });
          report.filled++;
        }
        if (!options.dryRun && !verify(source, target, clock)) {
          report.failures.push({ metric, node: owner.name, reason: 'after the copy the owner still lacks points of the source; the source is kept' });
          ok = false;
        }
      } catch (error) {
        report.failures.push({ metric, node: owner.name, reason: (error as Error).message });
        ok = false;
      }
    }
    if (ok) {
      report.moved++;
      if (options.delete && !options.dryRun) {
        fs.rmSync(source);
        report.deleted++;
      }
    }
    options.onProgress?.(index + 1, work.length, metric);
  });
  return report;
}
