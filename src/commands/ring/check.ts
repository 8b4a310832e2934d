import { ringCheck } from '../../lib/cluster/ring-check.js';
import { clusterFlags, clusterFrom } from '../../cli/cluster-flags.js';
import { GphCommand } from '../../cli/gph-command.js';

export default class RingCheck extends GphCommand {
  static summary = 'Name every metric stored on a node that does not own it, and every owner that lacks a replica.';
  static description = 'Exits with status 1 when anything is misplaced or missing, so scripts can alert on it. `gph resync` fills missing replicas; `gph rebalance` moves misplaced metrics.';
  static examples = ['<%= config.bin %> ring check --cluster cluster.conf', '<%= config.bin %> ring check --cluster cluster.conf --json | jq ".missing"'];
  static flags = { ...clusterFlags };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RingCheck);
    const report = await ringCheck(clusterFrom(flags));
    const problems = Object.values(report.misplaced).flat().length + Object.values(report.missing).flat().length;
    if (problems > 0) process.exitCode = 1;
    if (this.jsonEnabled()) return report;
    for (const [node, list] of Object.entries(report.misplaced)) for (const m of list) this.print(`misplaced\t${node}\t${m}\n`);
    for (const [node, list] of Object.entries(report.missing)) for (const m of list) this.print(`missing\t${node}\t${m}\n`);
    for (const node of report.unchecked) this.print(`unchecked\t${node}\t(no data location)\n`);
    process.stderr.write(`${report.metrics} metrics checked: ${problems === 0 ? 'every metric is exactly on its owners' : `${problems} problems`}\n`);
    return undefined;
  }
}
