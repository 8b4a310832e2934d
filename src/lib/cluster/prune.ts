/**
 * The last step of a pull-mode rebalance, run on one node: every metric it stores but no longer
 * owns is removed, but only after each of its owners (read from a directory or over HTTP) is
 * verified to hold every known point of the local copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { GphError } from '../errors.js';
import type { Cluster, ClusterNode } from './cluster.js';
import { listDirMetrics, metricFile, peerFile } from './node-store.js';
import { verify } from './rebalance.js';

export interface PruneReport {
  /** Metrics stored here that this node does not own. */
  misplaced: number;
  deleted: number;
  /** Misplaced metrics kept because an owner lacks them or lacks some of their points. */
  kept: Array<{ metric: string; reason: string }>;
  dryRun: boolean;
}

export async function pruneMisplaced(cluster: Cluster, local: ClusterNode, clock: Clock, dryRun = false): Promise<PruneReport> {
  if (local.data?.kind !== 'path') throw new GphError('CLUSTER_NODE', `Node ${local.name} has no local data directory`, { hint: 'Give the node a DATA path' });
  const dir = local.data.dir;
  const report: PruneReport = { misplaced: 0, deleted: 0, kept: [], dryRun };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-prune-'));
  try {
    for (const metric of listDirMetrics(dir)) {
      if (cluster.owns(local, metric)) continue;
      report.misplaced++;
      const mine = metricFile(dir, metric);
      let reason = '';
      for (const owner of cluster.owners(metric)) {
        if (!owner.data) {
          reason = `owner ${owner.name} has no data location to check`;
          break;
        }
        let theirs: string | null;
        try {
          theirs = await peerFile(owner.data, metric, scratch);
        } catch (error) {
          reason = `owner ${owner.name}: ${(error as Error).message}`;
          break;
        }
        if (!theirs) {
          reason = `owner ${owner.name} does not have it yet (run gph rebalance --node ${owner.name} first)`;
          break;
        }
        const ok = verify(mine, theirs, clock);
        if (owner.data.kind === 'http') fs.rmSync(theirs, { force: true });
        if (!ok) {
          reason = `owner ${owner.name} lacks some of its points`;
          break;
        }
      }
      if (reason) report.kept.push({ metric, reason });
      else {
        if (!dryRun) fs.rmSync(mine);
        report.deleted++;
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return report;
}
