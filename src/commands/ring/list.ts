import { Args } from '@oclif/core';
import { GphError } from '../../lib/errors.js';
import { listMetrics } from '../../lib/cluster/node-store.js';
import { clusterFlags, clusterFrom } from '../../cli/cluster-flags.js';
import { GphCommand } from '../../cli/gph-command.js';

export default class RingList extends GphCommand {
  static summary = "List the metrics stored on a node (carbonate carbon-list), from its data directory or its gph web API.";
  static examples = ['<%= config.bin %> ring list --cluster cluster.conf 10.0.0.1:a', '<%= config.bin %> ring list --cluster cluster.conf 10.0.0.2:a | wc -l'];
  static args = { node: Args.string({ description: 'node name (server:instance)', required: true }) };
  static flags = { ...clusterFlags };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(RingList);
    const node = clusterFrom(flags).node(args.node);
    if (!node.data) throw new GphError('CLUSTER_NODE', `No data location for ${node.name}`, { hint: `Add [node ${node.name}] DATA = ... to the cluster file, or --data ${node.name}=PATH` });
    const metrics = await listMetrics(node.data);
    if (this.jsonEnabled()) return metrics;
    this.print(metrics.map((m) => `${m}\n`).join(''));
    return undefined;
  }
}
