/**
 * carbon's consistent-hash ring, bit for bit (lib/carbon/hashing.py ConsistentHashRing): 100
 * entries per (server, instance) node; carbon_ch positions are the first two bytes of md5 and
 * fnv1a_ch positions are FNV-1a folded to 16 bits. A position already taken moves up by one
 * (no wrap), so the ring depends on the order nodes are added, as in carbon-relay. Used by the
 * relay, by render to find a metric's cache, and by the resync tools.
 */
import { createHash } from 'node:crypto';
import { pyQuote } from '../../errors.js';

export const HASH_TYPES = ['carbon_ch', 'fnv1a_ch'] as const;
export type HashType = (typeof HASH_TYPES)[number];

/** A ring node: carbon's (server, instance) pair; the port is not part of it. */
export interface RingNode {
  server: string;
  /** null when the destination has no ":instance" (carbon's None). */
  instance: string | null;
}

export interface RingEntry {
  position: number;
  node: RingNode;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export const DEFAULT_REPLICA_COUNT = 100;

/** 32-bit FNV-1a of `bytes`. */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  return hash;
}

/** carbon's carbonHash(): a key's position on the ring (0..65535). */
export function carbonHash(key: string, hashType: HashType): number {
  const bytes = Buffer.from(key, 'utf8');
  if (hashType === 'fnv1a_ch') {
    const big = fnv1a32(bytes);
    return ((big >>> 16) ^ (big & 0xffff)) >>> 0;
  }
  const digest = createHash('md5').update(bytes).digest();
  return (digest[0] << 8) | digest[1];
}

/** Python's str() of the node tuple, e.g. "('127.0.0.1', 'a')" or "('127.0.0.1', None)". */
export function nodeRepr(node: RingNode): string {
  return `(${pyQuote(node.server)}, ${node.instance === null ? 'None' : pyQuote(node.instance)})`;
}

/** The key of a node's i-th ring entry (carbon's add_node). */
export function replicaKey(node: RingNode, index: number, hashType: HashType): string {
  return hashType === 'fnv1a_ch' ? `${index}-${node.instance ?? 'None'}` : `${nodeRepr(node)}:${index}`;
}

/** Python's bisect_left over entries sorted by position: the first index whose position is >= `position`. */
export function bisectLeft(entries: ReadonlyArray<{ position: number }>, position: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].position < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const sameNode = (a: RingNode, b: RingNode): boolean => a.server === b.server && a.instance === b.instance;

export class ConsistentHashRing {
  private ring: RingEntry[] = [];
  private readonly taken = new Set<number>();
  private nodes: RingNode[] = [];

  constructor(
    nodes: readonly RingNode[] = [],
    readonly hashType: HashType = 'carbon_ch',
    readonly replicaCount = DEFAULT_REPLICA_COUNT,
  ) {
    for (const node of nodes) this.addNode(node);
  }

  /** The entries in ring order. */
  entries(): readonly RingEntry[] {
    return this.ring;
  }

  /** The nodes, in the order they were added. */
  nodeList(): readonly RingNode[] {
    return this.nodes;
  }

  addNode(node: RingNode): void {
    if (!this.nodes.some((n) => sameNode(n, node))) this.nodes.push(node);
    for (let i = 0; i < this.replicaCount; i++) {
      let position = carbonHash(replicaKey(node, i, this.hashType), this.hashType);
      while (this.taken.has(position)) position++;
      this.taken.add(position);
      // Positions are unique, so ordering by position alone is carbon's (position, node) order.
      let at = this.ring.length;
      while (at > 0 && this.ring[at - 1].position > position) at--;
      this.ring.splice(at, 0, { position, node });
    }
  }

  removeNode(node: RingNode): void {
    this.nodes = this.nodes.filter((n) => !sameNode(n, node));
    this.ring = this.ring.filter((entry) => !sameNode(entry.node, node));
    this.taken.clear();
    for (const entry of this.ring) this.taken.add(entry.position);
  }

  /** Index of the first entry at or after `position`, wrapping to 0 (bisect_left). */
  private startIndex(position: number): number {
    return bisectLeft(this.ring, position) % this.ring.length;
  }

  /** The node owning `key`. */
  getNode(key: string): RingNode {
    if (this.ring.length === 0) throw new Error('the ring is empty');
    return this.ring[this.startIndex(carbonHash(key, this.hashType))].node;
  }

  /**
   * Every node in walk order from `key`'s position, each once (carbon's get_nodes, with its
   * quirks: one node alone is yielded twice; the walk stops before the entry preceding the start).
   */
  *getNodes(key: string): Generator<RingNode> {
    if (this.ring.length === 0) return;
    if (this.nodes.length === 1) yield this.nodes[0];
    let index = this.startIndex(carbonHash(key, this.hashType));
    const last = (index - 1 + this.ring.length) % this.ring.length;
    const seen: RingNode[] = [];
    while (seen.length < this.nodes.length && index !== last) {
      const { node } = this.ring[index];
      if (!seen.some((n) => sameNode(n, node))) {
        seen.push(node);
        yield node;
      }
      index = (index + 1) % this.ring.length;
    }
  }
}
