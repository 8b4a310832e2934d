/**
 * A pickle protocol 2 encoder for carbonlink replies (carbon answers with
 * pickle.dumps(result, protocol=2)) and relay output: dicts, lists, tuples, str, float, bool, None.
 * Floats are always BINFLOAT, so cache timestamps keep Python's float type.
 */

/** A value to pickle; `PickleTuple` marks a tuple, plain arrays are lists, numbers are floats. */
export type PickleInput = null | boolean | number | string | PickleTuple | PickleInput[] | Map<string, PickleInput> | { [key: string]: PickleInput };

export class PickleTuple {
  constructor(readonly items: PickleInput[]) {}
}

/** Marks a tuple. */
export const pickleTuple = (...items: PickleInput[]): PickleTuple => new PickleTuple(items);

const APPENDS_BATCH = 1000;

/** Pickles `value` with protocol 2. */
export function encodePickle(value: PickleInput): Buffer {
  const chunks: Buffer[] = [Buffer.from([0x80, 0x02])];
  const write = (item: PickleInput): void => {
    if (item === null) chunks.push(Buffer.from([0x4e]));
    else if (item === true) chunks.push(Buffer.from([0x88]));
    else if (item === false) chunks.push(Buffer.from([0x89]));
    else if (typeof item === 'number') {
      const b = Buffer.allocUnsafe(9);
      b[0] = 0x47;
      b.writeDoubleBE(item, 1);
      chunks.push(b);
    } else if (typeof item === 'string') {
      const text = Buffer.from(item, 'utf8');
      const head = Buffer.allocUnsafe(5);
      head[0] = 0x58;
      head.writeUInt32LE(text.length, 1);
      chunks.push(head, text);
    } else if (item instanceof PickleTuple) {
      if (item.items.length <= 3) {
        if (item.items.length === 0) chunks.push(Buffer.from([0x29]));
        else {
          item.items.forEach(write);
          chunks.push(Buffer.from([0x84 + item.items.length]));
        }
      } else {
        chunks.push(Buffer.from([0x28]));
        item.items.forEach(write);
        chunks.push(Buffer.from([0x74]));
      }
    } else if (Array.isArray(item)) {
      chunks.push(Buffer.from([0x5d]));
      for (let i = 0; i < item.length; i += APPENDS_BATCH) {
        const batch = item.slice(i, i + APPENDS_BATCH);
        if (batch.length === 1) {
          write(batch[0]);
          chunks.push(Buffer.from([0x61]));
        } else {
          chunks.push(Buffer.from([0x28]));
          batch.forEach(write);
          chunks.push(Buffer.from([0x65]));
        }
      }
    } else {
      const entries = item instanceof Map ? [...item] : Object.entries(item);
      chunks.push(Buffer.from([0x7d]));
      if (entries.length === 1) {
        write(entries[0][0]);
        write(entries[0][1]);
        chunks.push(Buffer.from([0x73]));
      } else if (entries.length > 1) {
        chunks.push(Buffer.from([0x28]));
        for (const [k, v] of entries) {
          write(k);
          write(v);
        }
        chunks.push(Buffer.from([0x75]));
      }
    }
  };
  write(value);
  chunks.push(Buffer.from([0x2e]));
  return Buffer.concat(chunks);
}
