import { Args, Flags } from '@oclif/core';
import { clusterFlags, clusterFrom } from '../../cli/cluster-flags.js';
import { GphCommand } from '../../cli/gph-command.js';
import { readNames } from '../../cli/read-names.js';

export default class RingSieve extends GphCommand {
  static summary = 'Filter metric names on stdin to those a node owns (carbonate carbon-sieve); --invert for those it does not.';
  static examples = ['<%= config.bin %> ring list --cluster c.conf 10.0.0.1:a | <%= config.bin %> ring sieve --cluster c.conf --invert 10.0.0.1:a   # misplaced metrics'];
  static args = { node: Args.string({ description: 'node name (server:instance)', required: true, ignoreStdin: true }) };
  static flags = { ...clusterFlags, invert: Flags.boolean({ summary: 'Keep the metrics the node does NOT own.' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(RingSieve);
    const cluster = clusterFrom(flags);
    const node = cluster.node(args.node);
    const kept = (await readNames()).filter((m) => cluster.owns(node, m) !== flags.invert);
    if (this.jsonEnabled()) return kept;
    this.print(kept.map((m) => `${m}\n`).join(''));
    return undefined;
  }
}
