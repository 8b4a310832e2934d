/**
 * carbon's ConsistentHashingRouter (lib/carbon/routers.py): destinations are added to the ring
 * in order; a metric goes to REPLICATION_FACTOR destinations along its walk, on distinct servers
 * when DIVERSE_REPLICAS (carbon's default) is on.
 */
import { GphError } from '../../errors.js';
import { type Destination, formatDestination } from './destination.js';
import { ConsistentHashRing, type HashType } from './hash-ring.js';

export interface RouterOptions {
  replicationFactor?: number;
  diverseReplicas?: boolean;
  hashType?: HashType;
}

export class ConsistentHashingRouter {
  readonly ring: ConsistentHashRing;
  private readonly ports = new Map<string, number>();
  private readonly replicationFactor: number;
  private readonly diverseReplicas: boolean;

  constructor(destinations: readonly Destination[], options: RouterOptions = {}) {
    this.replicationFactor = options.replicationFactor ?? 1;
    this.diverseReplicas = options.diverseReplicas ?? true;
    this.ring = new ConsistentHashRing([], options.hashType ?? 'carbon_ch');
    for (const destination of destinations) this.addDestination(destination);
  }

  private static key(server: string, instance: string | null): string {
    return JSON.stringify([server, instance]);
  }

  /** Adds a destination; two with the same server and instance are refused, as in carbon. */
  addDestination(destination: Destination): void {
    const key = ConsistentHashingRouter.key(destination.server, destination.instance);
    if (this.ports.has(key)) {
      throw new GphError('CONFIG_VALUE', `Cannot add destination ${formatDestination(destination)}: (${destination.server}, ${destination.instance}) is already configured`, {
        hint: 'Several caches on one host need distinct instance names (host:port:instance)',
      });
    }
    this.ports.set(key, destination.port);
    this.ring.addNode({ server: destination.server, instance: destination.instance });
  }

  /** The destinations of `metric`, in carbon's order. */
  getDestinations(metric: string): Destination[] {
    const out: Destination[] = [];
    const servers = new Set<string>();
    for (const node of this.ring.getNodes(metric)) {
      const destination = { ...node, port: this.ports.get(ConsistentHashingRouter.key(node.server, node.instance))! };
      if (this.diverseReplicas) {
        if (servers.has(node.server)) continue;
        servers.add(node.server);
        out.push(destination);
        if (servers.size >= this.replicationFactor) break;
      } else {
        if (out.length === this.replicationFactor) break;
        out.push(destination);
      }
    }
    return out;
  }
}
