import { Args } from '@oclif/core';
import { ConsistentHashingRouter } from '../../lib/carbon/relay/consistent-hashing-router.js';
import { parseDestination } from '../../lib/carbon/relay/destination.js';
import type { HashType } from '../../lib/carbon/relay/hash-ring.js';
import { GphCommand } from '../../cli/gph-command.js';
import { ringFlags } from '../../cli/ring-flags.js';

export default class RingShow extends GphCommand {
  static summary = "Print carbon's consistent-hash ring for a list of destinations: position, server, instance.";
  static description = 'Destinations are added in the order given, as carbon-relay adds DESTINATIONS; the ring depends on that order.';
  static examples = ['<%= config.bin %> ring show 10.0.0.1:2004:a 10.0.0.2:2004:a', '<%= config.bin %> ring show --hash fnv1a_ch --json 127.0.0.1:2004:a 127.0.0.1:2104:b'];
  static strict = false;
  static args = { destination: Args.string({ description: 'host:port[:instance], in DESTINATIONS order', required: true }) };
  static flags = { hash: ringFlags.hash };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(RingShow);
    const router = new ConsistentHashingRouter((argv as string[]).map(parseDestination), { hashType: flags.hash as HashType });
    const entries = router.ring.entries().map(({ position, node }) => ({ position, server: node.server, instance: node.instance }));
    if (this.jsonEnabled()) return entries;
    this.print(entries.map((e) => `${String(e.position).padStart(5)} ${e.server} ${e.instance ?? 'None'}\n`).join(''));
    return undefined;
  }
}
