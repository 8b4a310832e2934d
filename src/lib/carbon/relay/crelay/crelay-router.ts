/**
 * Routing by a carbon-c-relay configuration, as the relay's router does it: rules in file order;
 * a rewrite that matches changes the name for the rules after it; a match sends the name to each
 * of its clusters and ends the search when it says `stop`. forward sends to every member, the
 * hash clusters to their ring's members, any_of to one member chosen by FNV-1a of the name (the
 * others, in order, when it is down) and failover to the first member that is up.
 */
import type { Destination } from '../destination.js';
import { BLACKHOLE, type CRelayCluster, type CRelayConfig, type CRelayRewrite } from './crelay-config.js';
import { CRelayHashRing, type CRelayHashType, crelayFnv1a32 } from './crelay-hash-ring.js';

export interface CRelayStep {
  /** The name as it is forwarded (after rewrites). */
  metric: string;
  cluster: CRelayCluster;
  /** all: each one receives the point; first-up: the first reachable one does, in this order. */
  pick: 'all' | 'first-up';
  destinations: Destination[];
}

export interface CRelayRoute {
  steps: CRelayStep[];
  /** A matching rule sent the name to the blackhole. */
  blackholed: boolean;
  /** Rewrites applied, in order, as [before, after]. */
  rewrites: Array<[string, string]>;
}

/**
 * Expands a rewrite replacement as carbon-c-relay does: \1 … \99 are the groups (\0 and groups
 * that did not take part are empty); \_N lower-cases, \^N upper-cases and \.N turns dots into
 * underscores in group N, combined as \_.N and \^.N; a backslash before anything else is dropped.
 */
export function expandReplacement(replacement: string, groups: ReadonlyArray<string | undefined>): string {
  return replacement.replace(/\\([_^]?)(\.?)(\d{1,2})|\\(.?)/gs, (_, caseChange: string | undefined, dots: string | undefined, digits: string | undefined, other: string | undefined) => {
    if (digits === undefined) return other ?? '';
    let group = digits === '0' ? '' : (groups[Number(digits)] ?? '');
    if (caseChange === '_') group = group.toLowerCase();
    if (caseChange === '^') group = group.toUpperCase();
    if (dots) group = group.replace(/\./g, '_');
    return group;
  });
}

function applyRewrite(rule: CRelayRewrite, metric: string): string | undefined {
  const match = rule.pattern.exec(metric);
  if (!match) return undefined;
  return metric.slice(0, match.index) + expandReplacement(rule.replacement, match) + metric.slice(match.index + match[0].length);
}

/**
 * carbon-c-relay's clean-up of names read from the network: runs of dots become one, leading
 * and trailing dots go, and every byte outside [A-Za-z0-9-_:#.] becomes "_" (tags after ";"
 * are kept).
 */
export function cleanCRelayMetric(metric: string): string {
  const semicolon = metric.indexOf(';');
  const name = semicolon < 0 ? metric : metric.slice(0, semicolon);
  const tags = semicolon < 0 ? '' : metric.slice(semicolon);
  if (/^[A-Za-z0-9\-_:#]+(?:\.[A-Za-z0-9\-_:#]+)*$/.test(name)) return metric;
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_:#.]/.test(char) ? char : '_';
  }
  out = out.replace(/\.{2,}/g, '.').replace(/^\.+/, '');
  // A trailing dot goes only at the very end of the line: before tags it stays.
  return tags ? out + tags : out.replace(/\.+$/, '');
}

export class CRelayRouter {
  private readonly rings = new Map<string, CRelayHashRing>();

  constructor(readonly config: CRelayConfig) {
    for (const cluster of config.clusters.values()) {
      if (cluster.kind !== 'forward' && cluster.kind !== 'any_of' && cluster.kind !== 'failover') this.rings.set(cluster.name, new CRelayHashRing(cluster.kind as CRelayHashType, cluster.members));
    }
  }

  /** Every member of every cluster, each host:port:instance once, in file order. */
  destinations(): Destination[] {
    const seen = new Map<string, Destination>();
    for (const cluster of this.config.clusters.values()) for (const d of cluster.members) seen.set(`${d.server}:${d.port}:${d.instance ?? ''}`, d);
    return [...seen.values()];
  }

  route(input: string): CRelayRoute {
    const route: CRelayRoute = { steps: [], blackholed: false, rewrites: [] };
    let metric = input;
    for (const rule of this.config.rules) {
      if (rule.type === 'rewrite') {
        const rewritten = applyRewrite(rule, metric);
        if (rewritten !== undefined) {
          route.rewrites.push([metric, rewritten]);
          metric = rewritten;
        }
        continue;
      }
      if (rule.patterns.length > 0 && !rule.patterns.some((p) => p.test(metric))) continue;
      for (const name of rule.sendTo) {
        if (name === BLACKHOLE) route.blackholed = true;
        else route.steps.push(this.step(this.config.clusters.get(name)!, metric));
      }
      if (rule.stop) break;
    }
    return route;
  }

  private step(cluster: CRelayCluster, metric: string): CRelayStep {
    const { members } = cluster;
    switch (cluster.kind) {
      case 'forward':
        return { metric, cluster, pick: 'all', destinations: members };
      case 'failover':
        return { metric, cluster, pick: 'first-up', destinations: members };
      case 'any_of': {
        const first = crelayFnv1a32(metric) % members.length;
        return { metric, cluster, pick: 'first-up', destinations: members.map((_, i) => members[(first + i) % members.length]) };
      }
      default: {
        const ring = this.rings.get(cluster.name)!;
        return { metric, cluster, pick: 'all', destinations: ring.memberIndexes(metric, cluster.replication).map((i) => members[i]) };
      }
    }
  }
}
