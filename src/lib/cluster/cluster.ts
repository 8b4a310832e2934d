/**
 * A cluster as the resync and ring tools see it: the relay's destinations, hash type, replication
 * factor and DIVERSE_REPLICAS (so metric ownership is exactly what the relay routes), plus where
 * each node's whisper data can be read: a local path (or mounted directory) or a gph node's HTTP
 * API. Read from gph's cluster file (carbonate's [main] keys plus [node NAME] sections), or from
 * carbon.conf's [relay] section with --data flags.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GphError, fileSystemError } from '../errors.js';
import { parseIni } from '../carbon/config/parse-ini.js';
import { loadRelaySettings } from '../carbon/config/relay-settings.js';
import { ConsistentHashingRouter } from '../carbon/relay/consistent-hashing-router.js';
import { type Destination, parseDestination } from '../carbon/relay/destination.js';
import { HASH_TYPES, type HashType } from '../carbon/relay/hash-ring.js';

export type NodeData = { kind: 'path'; dir: string } | { kind: 'http'; url: string };

export interface ClusterNode {
  /** "server:instance" (or "server" without an instance): how commands name a node. */
  name: string;
  destination: Destination;
  data?: NodeData;
}

export interface ClusterSpec {
  destinations: string[];
  hashType: HashType;
  replicationFactor: number;
  diverseReplicas: boolean;
  /** Node name -> where its data is. */
  data: Record<string, string>;
}

export const nodeName = (d: Destination): string => (d.instance === null ? d.server : `${d.server}:${d.instance}`);

export function parseNodeData(text: string, base = process.cwd()): NodeData {
  return /^https?:\/\//.test(text) ? { kind: 'http', url: text.replace(/\/+$/, '') } : { kind: 'path', dir: path.resolve(base, text) };
}

export class Cluster {
  readonly nodes: ClusterNode[];
  readonly router: ConsistentHashingRouter;

  constructor(readonly spec: ClusterSpec) {
    if (spec.destinations.length === 0) throw new GphError('CLUSTER_CONFIG', 'The cluster has no destinations', { hint: 'List DESTINATIONS = host:port:instance, ...' });
    if (!HASH_TYPES.includes(spec.hashType)) throw new GphError('CLUSTER_CONFIG', `Unknown hash type "${spec.hashType}"`, { hint: `Use ${HASH_TYPES.join(' or ')}` });
    const destinations = spec.destinations.map(parseDestination);
    this.router = new ConsistentHashingRouter(destinations, { hashType: spec.hashType, replicationFactor: spec.replicationFactor, diverseReplicas: spec.diverseReplicas });
    this.nodes = destinations.map((destination) => {
      const name = nodeName(destination);
      const data = spec.data[name];
      return { name, destination, data: data === undefined ? undefined : parseNodeData(data) };
    });
    for (const name of Object.keys(spec.data)) {
      if (!this.nodes.some((n) => n.name === name)) throw new GphError('CLUSTER_CONFIG', `Data given for "${name}", which is not a destination`, { hint: `Nodes are named server:instance: ${this.nodes.map((n) => n.name).join(', ')}` });
    }
  }

  node(name: string): ClusterNode {
    const found = this.nodes.find((n) => n.name === name || `${n.destination.server}:${n.destination.port}:${n.destination.instance ?? ''}` === name);
    if (!found) throw new GphError('CLUSTER_NODE', `No node "${name}" in the cluster`, { hint: `Nodes: ${this.nodes.map((n) => n.name).join(', ')}` });
    return found;
  }

  /** The nodes that own `metric`, in the relay's order. */
  owners(metric: string): ClusterNode[] {
    return this.router.getDestinations(metric).map((d) => this.nodes.find((n) => n.destination.server === d.server && n.destination.instance === d.instance)!);
  }

  owns(node: ClusterNode, metric: string): boolean {
    return this.owners(metric).some((o) => o.name === node.name);
  }
}

const truthy = (v: string): boolean => ['true', 'yes', '1', 'on'].includes(v.trim().toLowerCase());

/**
 * gph's cluster file:
 *   [main]                      (carbonate's keys)
 *   DESTINATIONS = 10.0.0.1:2004:a, 10.0.0.2:2004:a
 *   REPLICATION_FACTOR = 2
 *   HASHING_TYPE = carbon_ch     (or ROUTER_HASH_TYPE)
 *   DIVERSE_REPLICAS = true
 *   [node 10.0.0.1:a]
 *   DATA = /srv/whisper          (or http://10.0.0.1:8080)
 */
export function loadClusterFile(file: string): ClusterSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw fileSystemError(error, file, 'read');
  }
  const sections = parseIni(text, file);
  const main = sections.find((s) => s.name === 'main' || s.name === 'cluster');
  if (!main) throw new GphError('CLUSTER_CONFIG', `${file} has no [main] section`, { hint: 'Start the file with [main] and DESTINATIONS = ...' });
  const get = (key: string): string | undefined => main.entries.get(key.toLowerCase());
  const spec: ClusterSpec = {
    destinations: (get('DESTINATIONS') ?? '')
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d),
    hashType: (get('HASHING_TYPE') ?? get('ROUTER_HASH_TYPE') ?? 'carbon_ch') as HashType,
    replicationFactor: Number(get('REPLICATION_FACTOR') ?? 1),
    diverseReplicas: truthy(get('DIVERSE_REPLICAS') ?? 'true'),
    data: {},
  };
  if (!Number.isInteger(spec.replicationFactor) || spec.replicationFactor < 1) throw new GphError('CLUSTER_CONFIG', `${file}: REPLICATION_FACTOR must be a whole number of 1 or more`, { hint: 'e.g. REPLICATION_FACTOR = 2' });
  for (const section of sections) {
    const m = /^node\s+(.+)$/.exec(section.name);
    if (!m) continue;
    const data = section.entries.get('data') ?? section.entries.get('url');
    if (data) spec.data[m[1].trim()] = /^https?:/.test(data) ? data : path.resolve(path.dirname(file), data);
  }
  return spec;
}

/** A cluster from carbon.conf's [relay] section (data locations come from --data flags). */
export function clusterFromCarbonConf(file: string): ClusterSpec {
  const relay = loadRelaySettings(file);
  return { destinations: relay.DESTINATIONS, hashType: relay.ROUTER_HASH_TYPE as HashType, replicationFactor: relay.REPLICATION_FACTOR, diverseReplicas: relay.DIVERSE_REPLICAS, data: {} };
}
