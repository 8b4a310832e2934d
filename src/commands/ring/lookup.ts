import { Args } from '@oclif/core';
import { formatDestination } from '../../lib/carbon/relay/destination.js';
import { clusterFlags, clusterFrom } from '../../cli/cluster-flags.js';
import { GphCommand } from '../../cli/gph-command.js';
import { namesFromArgsOrStdin } from '../../cli/read-names.js';

export default class RingLookup extends GphCommand {
  static summary = 'Print which nodes own each metric (carbonate carbon-lookup), exactly as the relay routes it.';
  static description = 'Metric names come from the arguments, or from stdin (one per line, first field) when none are given.';
  static examples = ['<%= config.bin %> ring lookup --cluster cluster.conf servers.web01.cpu', 'cut -d" " -f1 metrics.txt | <%= config.bin %> ring lookup --cluster cluster.conf --json'];
  static strict = false;
  static args = { metric: Args.string({ description: 'metric name(s)', ignoreStdin: true }) };
  static flags = { ...clusterFlags };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(RingLookup);
    const cluster = clusterFrom(flags);
    const names = await namesFromArgsOrStdin(argv as string[]);
    const rows = names.map((metric) => ({ metric, owners: cluster.owners(metric).map((o) => formatDestination(o.destination)) }));
    if (this.jsonEnabled()) return rows;
    this.print(rows.map((r) => `${r.metric}\t${r.owners.join(',')}\n`).join(''));
    return undefined;
  }
}
