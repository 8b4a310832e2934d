import { Args, Flags } from '@oclif/core';
import fs from 'node:fs';
import { ConsistentHashingRouter } from '../../lib/carbon/relay/consistent-hashing-router.js';
import { formatDestination, parseDestination } from '../../lib/carbon/relay/destination.js';
import { type HashType, carbonHash } from '../../lib/carbon/relay/hash-ring.js';
import { GphCommand } from '../../cli/gph-command.js';
import { ringFlags } from '../../cli/ring-flags.js';

export default class RelayTest extends GphCommand {
  static summary = 'Read metric names on stdin and print where consistent hashing sends each, exactly as carbon-relay would.';
  static description =
    'One line per metric: METRIC<TAB>DEST[,DEST...] with DEST as host:port:instance (the format of ../shared ring.py). Only the first field of each input line is used, so "metric value timestamp" lines work too. Check a ring change before deploying it.';
  static examples = [
    "echo servers.web01.cpu | <%= config.bin %> relay test 10.0.0.1:2004:a 10.0.0.2:2004:a",
    '<%= config.bin %> relay test --rf 2 --no-diverse 127.0.0.1:2004:a 127.0.0.1:2104:b < metrics.txt',
    'cut -d" " -f1 dump.txt | <%= config.bin %> relay test --json 127.0.0.1:2004:a 127.0.0.1:2104:b | jq ".[0]"',
  ];
  static strict = false;
  static args = { destination: Args.string({ description: 'host:port[:instance], in DESTINATIONS order', required: true }) };
  static flags = {
    ...ringFlags,
    positions: Flags.boolean({ summary: "Also print each metric's ring position." }),
    format: Flags.string({ summary: 'carbon prints host:port:instance; crelay prints host:port (as carbon-c-relay -t).', options: ['carbon', 'crelay'], default: 'carbon' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(RelayTest);
    const hashType = flags.hash as HashType;
    const router = new ConsistentHashingRouter((argv as string[]).map(parseDestination), { hashType, replicationFactor: flags.rf, diverseReplicas: flags.diverse });
    const names = fs
      .readFileSync(0, 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0])
      .filter((name) => name);
    const routes = names.map((metric) => ({ metric, position: carbonHash(metric, hashType), destinations: router.getDestinations(metric) }));
    if (this.jsonEnabled()) return routes.map(({ metric, position, destinations }) => ({ metric, position, destinations: destinations.map(formatDestination) }));
    const format = (d: (typeof routes)[number]['destinations'][number]): string => (flags.format === 'crelay' ? `${d.server}:${d.port}` : formatDestination(d));
    this.print(routes.map((r) => `${r.metric}\t${flags.positions ? `${r.position}\t` : ''}${r.destinations.map(format).join(',')}\n`).join(''));
    return undefined;
  }
}
