/**
 * The iteration order of a CPython 3.11 `set` built from a list of non-negative integers.
 * whisper.py propagates a batch's intervals to lower archives in that order, and the first
 * successful propagation into an empty archive fixes its base slot, so byte-compatible files
 * need the same order. The emulation follows Objects/setobject.c: open addressing from
 * hash & mask, a linear run of up to LINEAR_PROBES slots, then perturbed jumps; the table
 * starts at 8 slots and is rebuilt (old slot order, into a fresh table) when fill*5 >= mask*3.
 */

const MIN_TABLE_SIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;
const HASH_MODULUS = 2 ** 61 - 1;

type Table = Array<number | undefined>;

/** Finds a free slot for `hash` in `table` (no key equal to it is present). */
function freeSlot(table: Table, hash: number): number {
  const size = table.length;
  const mask = size - 1;
  let perturb = hash;
  let i = hash % size;
  for (;;) {
    if (table[i] === undefined) return i;
    if (i + LINEAR_PROBES <= mask) {
      for (let j = 1; j <= LINEAR_PROBES; j++) if (table[i + j] === undefined) return i + j;
    }
    perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
    i = (i * 5 + 1 + perturb) % size;
  }
}

function contains(table: Table, hash: number, key: number): boolean {
  const size = table.length;
  const mask = size - 1;
  let perturb = hash;
  let i = hash % size;
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = 0; j <= probes; j++) {
      const entry = table[i + j];
      if (entry === undefined) return false;
      if (entry === key) return true;
    }
    perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
    i = (i * 5 + 1 + perturb) % size;
  }
}

/** The distinct values of `keys` in the order `for x in set(keys)` visits them. */
export function pythonSetOrder(keys: readonly number[]): number[] {
  let table: Table = new Array(MIN_TABLE_SIZE);
  let used = 0;
  for (const key of keys) {
    const hash = key % HASH_MODULUS;
    if (contains(table, hash, key)) continue;
    table[freeSlot(table, hash)] = key;
    used++;
    if (used * 5 >= (table.length - 1) * 3) {
      const minUsed = used > 50_000 ? used * 2 : used * 4;
      let size = MIN_TABLE_SIZE;
      while (size <= minUsed) size *= 2;
      const grown: Table = new Array(size);
      for (const old of table) if (old !== undefined) grown[freeSlot(grown, old % HASH_MODULUS)] = old;
      table = grown;
    }
  }
  return table.filter((k): k is number => k !== undefined);
}
