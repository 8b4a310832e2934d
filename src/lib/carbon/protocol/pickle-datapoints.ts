/**
 * The pickle receiver's fast path: a frame shaped as carbon's senders shape it, a list of
 * (name, (timestamp, value)) tuples (carbon-relay's pickle.dumps at protocol 2, gph relay's, and
 * protocols 1-5 alike), read straight into points without building the list, its tuples or the
 * memo. It only reads: a name, a number, the list and tuple opcodes, memo puts and frame marks;
 * on any other opcode, a memo get, a non-ASCII name, a truncated or oversized frame it answers
 * false before handing over any point, and the receiver decodes the frame with the general
 * decoder (which also decides what is refused). A frame it accepts gives the same points, in
 * the same order, as decodePickle followed by the receiver's walk over the list.
 */
import { latin1Slice } from './pickle-decoder.js';

/** Points per frame read here; larger frames (carbon sends 500) go to the general decoder, which applies its object limits. */
export const MAX_POINTS = 100_000;
/**
 * Memo puts per frame read here (Python writes three per point): with MAX_POINTS' stack they stay
 * well under the general decoder's limit of a million memo entries and stack items, so a frame
 * of repeated puts that it would refuse is left to it.
 */
const MAX_MEMO_PUTS = 4 * MAX_POINTS;


/** Receives one point of a frame, in order. */
export type PicklePoint = (metric: string, timestamp: number, value: number) => void;

/**
 * Reads a datapoints frame and hands each point to `take`, or answers false (having handed none)
 * when the frame is not the plain shape this path reads.
 */
export function readDatapointPickle(bytes: Uint8Array, take: PicklePoint): boolean {
  const names: string[] = [];
  const numbers: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let pos = 0;
  /** What the general decoder's stack would hold: 0 nothing, 1 the list, 2 the list and a mark. */
  let depth = 0;
  /** The shape of the item under construction: 0 none, 1 name, 2 name ts, 3 name ts value, 4 name (ts, value). */
  let item = 0;
  /** Completed items waiting on the stack for APPEND(S). */
  let waiting = 0;
  let seenList = false;
  /** The last thing pushed is the mark (a memo put then refers to no value). */
  let markOnTop = false;
  let puts = 0;
  for (;;) {
    if (pos >= length) return false;
    const op = bytes[pos++];
    switch (op) {
      case 0x80: // PROTO
        if (pos >= length || bytes[pos++] > 5) return false;
        continue;
      case 0x95: // FRAME: a length (the general decoder refuses one beyond the pickle's end)
        if (pos + 8 > length || view.getBigUint64(pos, true) > BigInt(length)) return false;
        pos += 8;
        continue;
      case 0x71: // BINPUT
      case 0x72: // LONG_BINPUT
      case 0x94: {
        // MEMOIZE: all three remember the top of the stack, which must be a value
        const size = op === 0x71 ? 1 : op === 0x72 ? 4 : 0;
        if (pos + size > length || depth === 0 || markOnTop || ++puts > MAX_MEMO_PUTS) return false;
        pos += size;
        continue;
      }
      case 0x5d: // EMPTY_LIST
        if (seenList) return false;
        seenList = true;
        depth = 1;
        continue;
      case 0x28: // MARK
        if (depth !== 1 || item !== 0 || waiting !== 0) return false;
        depth = 2;
        markOnTop = true;
        continue;
      case 0x58: // BINUNICODE
      case 0x8c: {
        // SHORT_BINUNICODE
        if (depth === 0 || item !== 0) return false;
        let size: number;
        if (op === 0x58) {
          if (pos + 4 > length) return false;
          size = view.getUint32(pos, true);
          pos += 4;
        } else {
          if (pos + 1 > length) return false;
          size = bytes[pos++];
        }
        if (pos + size > length) return false;
        for (let i = pos; i < pos + size; i++) if (bytes[i] >= 0x80) return false;
        names.push(latin1Slice.call(bytes, pos, pos + size));
        pos += size;
        item = 1;
        markOnTop = false;
        continue;
      }
      case 0x4a: // BININT
      case 0x4b: // BININT1
      case 0x4d: // BININT2
      case 0x47: {
        // BINFLOAT
        if (item !== 1 && item !== 2) return false;
        const size = op === 0x4a ? 4 : op === 0x4b ? 1 : op === 0x4d ? 2 : 8;
        if (pos + size > length) return false;
        numbers.push(op === 0x4a ? view.getInt32(pos, true) : op === 0x4b ? bytes[pos] : op === 0x4d ? view.getUint16(pos, true) : view.getFloat64(pos, false));
        pos += size;
        item++;
        markOnTop = false;
        continue;
      }
      case 0x86: // TUPLE2: (timestamp, value), then (name, (timestamp, value))
        if (item === 3) item = 4;
        else if (item === 4) {
          item = 0;
          waiting++;
          if (names.length > MAX_POINTS) return false;
        } else return false;
        continue;
      case 0x61: // APPEND: one item onto the list
        if (depth !== 1 || item !== 0 || waiting !== 1) return false;
        waiting = 0;
        continue;
      case 0x65: // APPENDS: the items since the mark onto the list
        if (depth !== 2 || item !== 0) return false;
        depth = 1;
        waiting = 0;
        markOnTop = false;
        continue;
      case 0x2e: // STOP: the list must be all that is left, and the frame must end here
        if (depth !== 1 || item !== 0 || waiting !== 0 || pos !== length) return false;
        for (let i = 0; i < names.length; i++) take(names[i], numbers[2 * i], numbers[2 * i + 1]);
        return true;
      default:
        return false;
    }
  }
}
