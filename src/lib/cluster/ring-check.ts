/**
 * What the ring says against what the nodes hold: metrics stored on a node that does not own
 * them, and owners that lack a replica (gph ring check; carbonate's carbon-list + carbon-sieve).
 */
import type { Cluster } from './cluster.js';
import { listMetrics } from './node-store.js';

export interface RingCheckReport {
  /** Node name -> metrics it stores but does not own. */
  misplaced: Record<string, string[]>;
  /** Node name -> metrics it owns (and some node stores) but lacks. */
  missing: Record<string, string[]>;
  /** Nodes without data that could not be checked. */
  unchecked: string[];
  metrics: number;
}

export async function ringCheck(cluster: Cluster): Promise<RingCheckReport> {
  const stored = new Map<string, Set<string>>();
  const unchecked: string[] = [];
  for (const node of cluster.nodes) {
    if (!node.data) {
      unchecked.push(node.name);
      continue;
    }
    stored.set(node.name, new Set(await listMetrics(node.data)));
  }
  const all = new Set<string>();
  for (const set of stored.values()) for (const m of set) all.add(m);
  const report: RingCheckReport = { misplaced: {}, missing: {}, unchecked, metrics: all.size };
  for (const metric of [...all].sort()) {
    const owners = cluster.owners(metric).map((o) => o.name);
    for (const [node, set] of stored) {
      if (set.has(metric) && !owners.includes(node)) (report.misplaced[node] ??= []).push(metric);
      if (!set.has(metric) && owners.includes(node)) (report.missing[node] ??= []).push(metric);
    }
  }
  return report;
}
