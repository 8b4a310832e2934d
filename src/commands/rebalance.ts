import { Flags } from '@oclif/core';
import { systemClock } from '../lib/clock.js';
import { pruneMisplaced } from '../lib/cluster/prune.js';
import { rebalance } from '../lib/cluster/rebalance.js';
import { resync } from '../lib/cluster/resync.js';
import { clusterFlags, clusterFrom } from '../cli/cluster-flags.js';
import { GphCommand } from '../cli/gph-command.js';
import { startProgress } from '../cli/progress.js';

export default class Rebalance extends GphCommand {
  static summary = 'After a ring change, move every metric to its new owners: copy or fill, verify, then (with --delete) remove the old copy.';
  static description = `The cluster file describes the new ring. Two ways to run it:

With --node NAME (pull, no ssh: run it on each node): the node fetches every metric it now owns from whichever node holds it (directories or gph nodes over HTTP) and fills or copies it; with --delete it then removes the metrics it no longer owns, each only after every owner is verified to hold all its points. Run it on every node without --delete first, then with --delete.

Without --node (push, directories only): every node with a data directory is scanned for metrics it no longer owns; each goes to all its owners' directories; with --delete the old copy is removed once every owner verified it.`;
  static examples = [
    '<%= config.bin %> rebalance --cluster new-ring.conf --node 10.0.0.3:a            # on the new node: pull what it owns',
    '<%= config.bin %> rebalance --cluster new-ring.conf --node 10.0.0.1:a --delete   # on an old node, afterwards',
    '<%= config.bin %> rebalance --cluster new-ring.conf --dry-run                     # push mode over mounted directories',
  ];
  static flags = {
    ...clusterFlags,
    node: Flags.string({ summary: 'Pull mode: the node this runs on (server:instance), with a local data directory.' }),
    delete: Flags.boolean({ summary: 'Remove copies no longer owned once every owner is verified.' }),
    'dry-run': Flags.boolean({ summary: 'Count what would move; change nothing.' }),
    lock: Flags.boolean({ summary: "Take whisper's flock while writing." }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Rebalance);
    const cluster = clusterFrom(flags);
    let progress: ReturnType<typeof startProgress> | undefined;
    const onProgress = (_done: number, total: number, metric: string): void => {
      progress ??= startProgress(total, 'rebalance', !this.jsonEnabled());
      progress.tick(metric);
    };
    if (flags.node) {
      const local = cluster.node(flags.node);
      const pulled = await resync({ cluster, local, fromAnyHolder: true, dryRun: flags['dry-run'], lock: flags.lock, clock: systemClock, onProgress });
      (progress as ReturnType<typeof startProgress> | undefined)?.stop();
      const pruned = flags.delete ? await pruneMisplaced(cluster, local, systemClock, flags['dry-run']) : undefined;
      if (pulled.failures.length || pruned?.kept.length) process.exitCode = 1;
      if (this.jsonEnabled()) return { pulled, pruned };
      this.print(`${pulled.dryRun ? 'dry run: would have ' : ''}pulled into ${local.name}: ${pulled.copied} copied, ${pulled.filled} filled (${pulled.pointsAdded} points), ${pulled.failures.length} failures\n`);
      for (const f of pulled.failures) this.print(`failed\t${f.metric}\t${f.peer ?? ''}\t${f.reason}\n`);
      if (pruned) {
        this.print(`${pruned.dryRun ? 'dry run: would have ' : ''}removed ${pruned.deleted} of ${pruned.misplaced} metrics ${local.name} no longer owns\n`);
        for (const k of pruned.kept) this.print(`kept\t${k.metric}\t${k.reason}\n`);
      }
      return undefined;
    }
    const report = rebalance({ cluster, delete: flags.delete, dryRun: flags['dry-run'], lock: flags.lock, clock: systemClock, onProgress });
    (progress as ReturnType<typeof startProgress> | undefined)?.stop();
    if (report.failures.length) process.exitCode = 1;
    if (this.jsonEnabled()) return report;
    this.print(`${report.dryRun ? 'dry run: would have ' : ''}moved ${report.moved} metrics (${report.copies} copies, ${report.filled} fills), deleted ${report.deleted} old copies, ${report.failures.length} failures\n`);
    for (const f of report.failures) this.print(`failed\t${f.metric}\t${f.node}\t${f.reason}\n`);
    return undefined;
  }
}
