/**
 * carbon-c-relay's hash clusters (3.7.3 consistent-hash.c), which differ from carbon's ring:
 * - carbon_ch: carbon's replica keys, but colliding positions are not shifted; entries are sorted
 *   by (position, host, instance) and a later entry at the same position takes the server of the
 *   first one, so the later node loses that slot.
 * - fnv1a_ch: keys "<i>-<instance>" when the member has one, else "<i>-<host>:<port>".
 * - jump_fnv1a_ch: Lamping and Veach's jump hash over the 64-bit FNV-1a of the metric; members
 *   with an instance first (numerically when both are numbers), then the others in file order;
 *   replicas by an xorshift of the hash and removing the chosen member.
 * FNV-1a here reads bytes as C's signed char, as the relay does on x86.
 */
import { createHash } from 'node:crypto';
import type { Destination } from '../destination.js';
import { bisectLeft } from '../hash-ring.js';

export const CRELAY_HASH_TYPES = ['carbon_ch', 'fnv1a_ch', 'jump_fnv1a_ch'] as const;
export type CRelayHashType = (typeof CRELAY_HASH_TYPES)[number];

const REPLICAS_PER_MEMBER = 100;
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
const FNV64_OFFSET = 14695981039346656037n;
const FNV64_PRIME = 1099511628211n;
const MASK64 = (1n << 64n) - 1n;
const JUMP_MULTIPLIER = 2862933555777941757n;
const XORSHIFT_MULTIPLIER = 2685821657736338717n;

/** A byte as C's `(unsigned int)(signed char)b`. */
const signedCharWord = (byte: number): number => (byte >= 0x80 ? (0xffffff00 | byte) >>> 0 : byte);

/** 32-bit FNV-1a as carbon-c-relay computes it (signed chars). */
export function crelayFnv1a32(text: string): number {
  let hash = FNV32_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul((hash ^ signedCharWord(byte)) >>> 0, FNV32_PRIME) >>> 0;
  return hash;
}

/** 64-bit FNV-1a as carbon-c-relay computes it (signed chars sign-extended to 64 bits; checked against the relay). */
export function crelayFnv1a64(text: string): bigint {
  let hash = FNV64_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) hash = ((hash ^ BigInt.asUintN(64, BigInt(byte >= 0x80 ? byte - 0x100 : byte))) * FNV64_PRIME) & MASK64;
  return hash;
}

function ringPosition(key: string, hashType: CRelayHashType): number {
  if (hashType === 'carbon_ch') {
    const digest = createHash('md5').update(key, 'utf8').digest();
    return (digest[0] << 8) | digest[1];
  }
  const hash = crelayFnv1a32(key);
  return ((hash >>> 16) ^ (hash & 0xffff)) >>> 0;
}

/** The jump consistent hash's bucket for `key` among `buckets`, with the relay's double arithmetic. */
export function jumpBucket(key: bigint, buckets: number): number {
  let b = -1;
  let j = 0;
  let k = key;
  while (j < buckets) {
    b = j;
    k = (k * JUMP_MULTIPLIER + 1n) & MASK64;
    j = Math.trunc((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

function xorshift(hash: bigint): bigint {
  let h = hash;
  h ^= h >> 12n;
  h = (h ^ (h << 25n)) & MASK64;
  h ^= h >> 27n;
  return (h * XORSHIFT_MULTIPLIER) & MASK64;
}

const compareStrings = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** C's strtol(text, &end, 10) when it reads the whole string (leading spaces, a sign, saturating); else undefined. */
function strtolWhole(text: string): bigint | undefined {
  const match = /^[\t\n\v\f\r ]*([+-]?)(\d*)$/.exec(text);
  if (!match || (match[2] === '' && text.trim() !== '')) return undefined;
  if (match[2] === '') return 0n; // no digits: strtol reads nothing and end stays at the start
  const value = BigInt(match[1] + match[2]);
  return value > LONG_MAX ? LONG_MAX : value < LONG_MIN ? LONG_MIN : value;
}

/** carbon-c-relay's jump order of two instances: as numbers when both are (its int difference), otherwise strcmp. */
function compareJumpInstances(a: string | null, b: string | null, indexA: number, indexB: number): number {
  if (a === null && b === null) return indexA - indexB;
  if (a === null) return 1;
  if (b === null) return -1;
  const numberA = strtolWhole(a);
  const numberB = numberA === undefined ? undefined : strtolWhole(b);
  if (numberA !== undefined && numberB !== undefined) return Number(BigInt.asIntN(32, BigInt.asIntN(64, numberA - numberB)));
  return compareStrings(a, b);
}

interface RingSlot {
  position: number;
  member: number;
}

/** One hash cluster of a carbon-c-relay configuration. */
export class CRelayHashRing {
  private readonly slots: RingSlot[] = [];
  /** jump_fnv1a_ch: member indexes in bucket order. */
  private readonly buckets: number[] = [];
  /** Members that still own a slot after collisions. */
  private readonly owners: number;

  constructor(
    readonly hashType: CRelayHashType,
    readonly members: readonly Destination[],
  ) {
    if (hashType === 'jump_fnv1a_ch') {
      this.buckets = members.map((_, i) => i).sort((a, b) => compareJumpInstances(members[a].instance, members[b].instance, a, b));
      this.owners = members.length;
      return;
    }
    members.forEach((member, index) => {
      for (let i = 0; i < REPLICAS_PER_MEMBER; i++) this.slots.push({ position: ringPosition(this.replicaKey(member, i), hashType), member: index });
    });
    this.slots.sort((l, r) => l.position - r.position || this.tieOrder(members[l.member], members[r.member]));
    for (let i = 0; i + 1 < this.slots.length; i++) {
      if (this.slots[i].position === this.slots[i + 1].position) this.slots[i + 1].member = this.slots[i].member;
    }
    this.owners = new Set(this.slots.map((slot) => slot.member)).size;
  }

  private replicaKey(member: Destination, index: number): string {
    if (this.hashType === 'carbon_ch') return `('${member.server}', ${member.instance === null ? 'None' : `'${member.instance}'`}):${index}`;
    return member.instance === null ? `${index}-${member.server}:${member.port}` : `${index}-${member.instance}`;
  }

  private tieOrder(l: Destination, r: Destination): number {
    const byHost = compareStrings(l.server, r.server);
    if (byHost !== 0) return byHost;
    if (this.hashType === 'fnv1a_ch') return l.port - r.port;
    if (l.instance === null || r.instance === null) return l.instance === r.instance ? 0 : l.instance === null ? 1 : -1;
    return compareStrings(l.instance, r.instance);
  }

  /** The metric's ring position (carbon_ch, fnv1a_ch) or first jump bucket. */
  position(metric: string): number {
    if (this.hashType === 'jump_fnv1a_ch') return jumpBucket(crelayFnv1a64(metric), this.buckets.length);
    return ringPosition(metric, this.hashType);
  }

  /** Indexes (into `members`) of the `replication` members that receive `metric`. */
  memberIndexes(metric: string, replication: number): number[] {
    const count = Math.min(replication, this.owners);
    const out: number[] = [];
    if (this.hashType === 'jump_fnv1a_ch') {
      const left = [...this.buckets];
      let hash = crelayFnv1a64(metric);
      while (out.length < count) {
        const bucket = jumpBucket(hash, left.length);
        out.push(left[bucket]);
        hash = xorshift(hash);
        left[bucket] = left[left.length - 1];
        left.pop();
      }
      return out;
    }
    for (let i = bisectLeft(this.slots, ringPosition(metric, this.hashType)); out.length < count; i++) {
      const { member } = this.slots[i % this.slots.length];
      if (!out.includes(member)) out.push(member);
    }
    return out;
  }
}
