import { Flags } from '@oclif/core';
import { systemClock } from '../lib/clock.js';
import { rebalance } from '../lib/cluster/rebalance.js';
import { clusterFlags, clusterFrom } from '../cli/cluster-flags.js';
import { GphCommand } from '../cli/gph-command.js';
import { startProgress } from '../cli/progress.js';

export default class Rebalance extends GphCommand {
  static summary = 'After a ring change, move every metric to its new owners: copy or fill, verify, then (with --delete) remove the old copy.';
  static description = 'The cluster file describes the new ring. Every node with a data directory is scanned for metrics it no longer owns; each goes to all its owners (which need local or mounted directories). The old copy is removed only with --delete and only when every owner verified it holds every known point.';
  static examples = ['<%= config.bin %> rebalance --cluster new-cluster.conf --dry-run', '<%= config.bin %> rebalance --cluster new-cluster.conf --delete --lock'];
  static flags = {
    ...clusterFlags,
    delete: Flags.boolean({ summary: 'Remove the old copy once every owner is verified.' }),
    'dry-run': Flags.boolean({ summary: 'Count what would move; change nothing.' }),
    lock: Flags.boolean({ summary: "Take whisper's flock while writing." }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Rebalance);
    let progress: ReturnType<typeof startProgress> | undefined;
    const report = rebalance({
      cluster: clusterFrom(flags),
      delete: flags.delete,
      dryRun: flags['dry-run'],
      lock: flags.lock,
      clock: systemClock,
      onProgress: (_done, total, metric) => {
        progress ??= startProgress(total, 'rebalance', !this.jsonEnabled());
        progress.tick(metric);
      },
    });
    (progress as ReturnType<typeof startProgress> | undefined)?.stop();
    if (report.failures.length) process.exitCode = 1;
    if (this.jsonEnabled()) return report;
    this.print(`${report.dryRun ? 'dry run: would have ' : ''}moved ${report.moved} metrics (${report.copies} copies, ${report.filled} fills), deleted ${report.deleted} old copies, ${report.failures.length} failures\n`);
    for (const f of report.failures) this.print(`failed\t${f.metric}\t${f.node}\t${f.reason}\n`);
    return undefined;
  }
}
