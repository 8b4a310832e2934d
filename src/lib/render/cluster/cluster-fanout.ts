/**
 * CLUSTER_SERVERS fan-out, as graphite-web's Store does it: every peer that is not disabled is
 * asked in parallel; a peer that fails is reported and left out (the local answer and the other
 * peers still count). Results are merged as graphite-web merges them: find nodes by path (a branch
 * once, a leaf once), fetched series by name with REMOTE_STORE_MERGE_RESULTS (graphite-web's
 * default): the null points of a series are filled from another store's series of the same length,
 * and a series of another length replaces one with more nulls.
 */
import type { Clock } from '../../clock.js';
import type { MetricNode } from '../metric-finder.js';
import type { Value } from '../time-series.js';
import type { ClusterPeer } from './cluster-peer.js';
import type { RemoteNodeInfo, RemoteSeries } from './cluster-wire.js';

/** A find result from this node (fsPath) or a peer (intervals). */
export interface FoundNode {
  path: string;
  isLeaf: boolean;
  fsPath?: string;
  intervals?: Array<[number, number]>;
}

/** Peer find answers remembered at most (the memory is cleared when full). */
const MAX_CACHED_FINDS = 10_000;

export interface FindCacheOptions {
  clock: Clock;
  /** FIND_CACHE_DURATION: seconds a peer's find answer is reused (0: not cached). */
  seconds: number;
}

export class ClusterFanout {
  private readonly finds = new Map<string, { expires: number; nodes: RemoteNodeInfo[] }>();

  constructor(
    readonly peers: readonly ClusterPeer[],
    private readonly findCache?: FindCacheOptions,
    /** REMOTE_STORE_MERGE_RESULTS (see mergeSeries). */
    readonly mergeResults = true,
  ) {}

  private async each<T>(ask: (peer: ClusterPeer) => Promise<T[]>, warn: (message: string) => void): Promise<T[]> {
    const answers = await Promise.all(
      this.peers
        .filter((peer) => !peer.disabled)
        .map(async (peer) => {
          try {
            return await ask(peer);
          } catch (error) {
            warn((error as Error).message);
            return [];
          }
        }),
    );
    return answers.flat();
  }

  /** Every peer's nodes for `pattern`; answers are reused for FIND_CACHE_DURATION, keyed as graphite-web keys them. */
  find(pattern: string, from: number | undefined, until: number | undefined, warn: (message: string) => void): Promise<RemoteNodeInfo[]> {
    const cache = this.findCache && this.findCache.seconds > 0 ? this.findCache : undefined;
    if (!cache) return this.each((peer) => peer.find(pattern, from, until), warn);
    const round = (t: number | undefined): string => (t ? String(t - (t % cache.seconds)) : '');
    return this.each(async (peer) => {
      const key = `${peer.host}\0${pattern}\0${round(from)}\0${round(until)}`;
      const now = cache.clock.now();
      const hit = this.finds.get(key);
      if (hit && hit.expires > now) return hit.nodes;
      const nodes = await peer.find(pattern, from, until);
      if (this.finds.size >= MAX_CACHED_FINDS) this.finds.clear();
      this.finds.set(key, { expires: now + cache.seconds, nodes });
      return nodes;
    }, warn);
  }

  fetch(patterns: readonly string[], start: number, end: number, now: number, warn: (message: string) => void): Promise<RemoteSeries[]> {
    return this.each((peer) => peer.fetch(patterns, start, end, now), warn);
  }

  index(warn: (message: string) => void): Promise<string[]> {
    return this.each((peer) => peer.index(), warn);
  }
}

/** Local and remote find results by path: each branch once, each leaf once (local first). */
export function mergeFoundNodes(local: readonly MetricNode[], remote: readonly RemoteNodeInfo[]): FoundNode[] {
  const out: FoundNode[] = [];
  const seen = new Set<string>();
  for (const node of [...local, ...remote]) {
    const key = `${node.isLeaf ? 'L' : 'B'}${node.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(node);
  }
  return out;
}

const nulls = (values: readonly Value[]): number => values.reduce<number>((n, v) => (v === null ? n + 1 : n), 0);

/** A fetched series, as the store holds it. */
export interface MergeableSeries {
  path: string;
  start: number;
  end: number;
  step: number;
  values: Value[];
}

/**
 * Merges a peer's series into `known` as graphite-web's _merge_results does; returns the series
 * to keep for that name. With REMOTE_STORE_MERGE_RESULTS (`mergeResults`, graphite-web's
 * default) a known series with nulls has them filled from a candidate of the same length, or is
 * replaced by a candidate of another length; without it, the candidate replaces it only when it
 * has fewer nulls.
 */
export function mergeSeries(known: MergeableSeries | undefined, candidate: MergeableSeries, mergeResults = true): MergeableSeries {
  if (!known) return candidate;
  const candidateNulls = mergeResults ? 0 : nulls(candidate.values);
  if (!(nulls(known.values) > candidateNulls && candidate.values.length > 0)) return known;
  if (mergeResults && candidate.values.length === known.values.length) {
    const values = known.values.slice();
    for (let i = 0; i < values.length; i++) if (values[i] === null && candidate.values[i] !== null) values[i] = candidate.values[i];
    return { ...known, values };
  }
  return candidate;
}
