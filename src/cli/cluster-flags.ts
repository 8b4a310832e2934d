/** Flags shared by the cluster commands (ring lookup/list/sieve/check, resync, rebalance). */
import { Flags } from '@oclif/core';
import { Cluster, type ClusterSpec, clusterFromCarbonConf, loadClusterFile } from '../lib/cluster/cluster.js';
import { GphError } from '../lib/errors.js';

export const clusterFlags = {
  cluster: Flags.string({ summary: "gph's cluster file: carbonate's [main] keys (DESTINATIONS, REPLICATION_FACTOR, HASHING_TYPE, DIVERSE_REPLICAS) and [node NAME] DATA = path or URL.", env: 'GPH_CLUSTER' }),
  'carbon-conf': Flags.string({ summary: "Read the ring from carbon.conf's [relay] section instead (data locations from --data)." }),
  data: Flags.string({ summary: 'Where a node\'s whisper data is: NODE=PATH or NODE=http://host:port (repeatable; NODE is server:instance).', multiple: true }),
};

export function clusterFrom(flags: { cluster?: string; 'carbon-conf'?: string; data?: string[] }): Cluster {
  let spec: ClusterSpec;
  if (flags.cluster) spec = loadClusterFile(flags.cluster);
  else if (flags['carbon-conf']) spec = clusterFromCarbonConf(flags['carbon-conf']);
  else throw new GphError('USAGE', 'No cluster given', { hint: 'Give --cluster cluster.conf (or --carbon-conf carbon.conf with --data NODE=PATH)' });
  for (const entry of flags.data ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new GphError('USAGE', `Invalid --data "${entry}"`, { hint: 'Write --data server:instance=/path/to/whisper or =http://host:8080' });
    spec.data[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return new Cluster(spec);
}
