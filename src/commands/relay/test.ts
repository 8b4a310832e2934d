import { Args, Flags } from '@oclif/core';
import { ConsistentHashingRouter } from '../../lib/carbon/relay/consistent-hashing-router.js';
import { formatDestination, parseDestination } from '../../lib/carbon/relay/destination.js';
import { type HashType, carbonHash } from '../../lib/carbon/relay/hash-ring.js';
import { loadCRelayConfig } from '../../lib/carbon/relay/crelay/crelay-config.js';
import { type CRelayRoute, CRelayRouter } from '../../lib/carbon/relay/crelay/crelay-router.js';
import type { Destination } from '../../lib/carbon/relay/destination.js';
import { GphError } from '../../lib/errors.js';
import { GphCommand } from '../../cli/gph-command.js';
import { ringFlags } from '../../cli/ring-flags.js';
import { namesFromArgsOrStdin, readNames } from '../../cli/read-names.js';

export default class RelayTest extends GphCommand {
  static summary = 'Read metric names on stdin and print where consistent hashing sends each, exactly as carbon-relay (or, with -f, carbon-c-relay) would.';
  static description =
    'One line per metric: METRIC<TAB>DEST[,DEST...] with DEST as host:port:instance (the format of ../shared ring.py). Only the first field of each input line is used, so "metric value timestamp" lines work too. Check a ring change before deploying it.\n\nWith --crelay-config (-f), routes by a carbon-c-relay configuration as `carbon-c-relay -f FILE -t` does: one line per cluster a metric is sent to, METRIC<TAB>TYPE(CLUSTER)<TAB>host:port[,host:port...] (METRIC as forwarded, after rewrites; any_of and failover show the member used while all are up), or METRIC<TAB>blackholed, or METRIC<TAB>nothing matched. --json lists every step with the fall-back order.';
  static examples = [
    "echo servers.web01.cpu | <%= config.bin %> relay test 10.0.0.1:2004:a 10.0.0.2:2004:a",
    '<%= config.bin %> relay test --rf 2 --no-diverse 127.0.0.1:2004:a 127.0.0.1:2104:b < metrics.txt',
    'cut -d" " -f1 dump.txt | <%= config.bin %> relay test --json 127.0.0.1:2004:a 127.0.0.1:2104:b | jq ".[0]"',
    '<%= config.bin %> relay test -f /etc/carbon-c-relay.conf < metrics.txt',
  ];
  static strict = false;
  static args = { destination: Args.string({ description: 'host:port[:instance], in DESTINATIONS order (not with -f)', ignoreStdin: true }) };
  static flags = {
    ...ringFlags,
    positions: Flags.boolean({ summary: "Also print each metric's ring position." }),
    'crelay-config': Flags.string({ char: 'f', summary: 'Route by this carbon-c-relay configuration instead of carbon\'s ring.' }),
    format: Flags.string({ summary: 'carbon prints host:port:instance; crelay prints host:port (as carbon-c-relay -t).', options: ['carbon', 'crelay'], default: 'carbon' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(RelayTest);
    if (flags['crelay-config']) return this.crelay(flags['crelay-config'], await namesFromArgsOrStdin(argv as string[]));
    if (argv.length === 0) throw new GphError('USAGE', 'relay test needs the destinations (host:port[:instance] …) or --crelay-config FILE', { hint: 'e.g. gph relay test 10.0.0.1:2004:a 10.0.0.2:2004:b < names.txt' });
    const hashType = flags.hash as HashType;
    const router = new ConsistentHashingRouter((argv as string[]).map(parseDestination), { hashType, replicationFactor: flags.rf, diverseReplicas: flags.diverse });
    const names = await readNames();
    const routes = names.map((metric) => ({ metric, position: carbonHash(metric, hashType), destinations: router.getDestinations(metric) }));
    if (this.jsonEnabled()) return routes.map(({ metric, position, destinations }) => ({ metric, position, destinations: destinations.map(formatDestination) }));
    const format = (d: (typeof routes)[number]['destinations'][number]): string => (flags.format === 'crelay' ? `${d.server}:${d.port}` : formatDestination(d));
    this.print(routes.map((r) => `${r.metric}\t${flags.positions ? `${r.position}\t` : ''}${r.destinations.map(format).join(',')}\n`).join(''));
    return undefined;
  }

  private crelay(file: string, names: string[]): unknown {
    const router = new CRelayRouter(loadCRelayConfig(file));
    const routes = names.map((metric) => ({ metric, ...router.route(metric) }));
    if (this.jsonEnabled()) {
      return routes.map((r) => ({
        metric: r.metric,
        rewrites: r.rewrites,
        blackholed: r.blackholed,
        steps: r.steps.map((s) => ({ metric: s.metric, cluster: s.cluster.name, type: s.cluster.kind, pick: s.pick, destinations: s.destinations.map(crelayMember) })),
      }));
    }
    this.print(routes.map(crelayLines).join(''));
    return undefined;
  }
}

/** A member as carbon-c-relay -t prints it. */
function crelayMember(d: Destination): string {
  return `${d.server.includes(':') ? `[${d.server}]` : d.server}:${d.port}`;
}

function crelayLines(route: CRelayRoute & { metric: string }): string {
  const lines = route.steps.map((s) => `${s.metric}\t${s.cluster.kind}(${s.cluster.name})\t${(s.pick === 'all' ? s.destinations : s.destinations.slice(0, 1)).map(crelayMember).join(',')}\n`);
  const last = route.rewrites.at(-1)?.[1] ?? route.metric;
  if (route.blackholed) lines.push(`${last}\tblackholed\n`);
  if (lines.length === 0) lines.push(`${last}\tnothing matched\n`);
  return lines.join('');
}
