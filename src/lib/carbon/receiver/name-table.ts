/**
 * The receivers' fast path (native/name-table.c, line-points.c, pickle-points.c): the common
 * line ("plain.name 1.5 1700000000") and the common pickle frame are read in C and their names
 * interned there, so JavaScript gets (id, value, timestamp) with the name made into a string
 * once, when it is first seen. Lines the C reader leaves (anything not plain) come back as byte
 * ranges for the general parser, in order; a frame it leaves is left whole. One table serves
 * every connection of a daemon; it is cleared when it holds MAX_NAMES names (`onClear` tells
 * whoever keeps ids: the cache).
 */
import { type NativeNameTable, nativeAddon } from '../../native-addon.js';
import { MAX_POINTS as MAX_PICKLE_POINTS } from '../protocol/pickle-datapoints.js';

/** Names remembered before the table starts again (bounds its memory: ~100 bytes a name). */
export const MAX_NAMES = 1 << 20;

/** readLinePoints's record kinds (native/line-points.c); a kind >= 0 is a point of that name id. */
const NEW_NAME = -1;
const SLOW_LINE = -2;
const RESUME_AT = -3;
const RECORD_DOUBLES = 3;
/** Records per call (each call reads as many lines as fit). */
const OUT_RECORDS = 4096;
/**
 * The fewest bytes a pickled point of a plain name takes (name opcode, length and a byte; two
 * one-byte integers with their opcodes; two TUPLE2): a frame's records fit in 2 * 3 doubles per
 * this many bytes.
 */
const MIN_PICKLED_POINT_BYTES = 9;

/** A point of a plain name (`id` is its index in the table's names). */
export type KnownPoint = (id: number, name: string, value: number, timestamp: number) => void;

export interface LinePointEvents {
  point: KnownPoint;
  /** A line the general parser must read: bytes[from, to), without its newline. */
  slowLine(bytes: Buffer, from: number, to: number): void;
}

export class NameTable {
  /** The names by id. */
  private names: string[] = [];
  private out = new Float64Array(OUT_RECORDS * RECORD_DOUBLES);

  private constructor(
    private readonly native: NonNullable<ReturnType<typeof nativeAddon>>,
    private readonly table: NativeNameTable,
    /** Called when the table forgets its names (ids start again from 0): whoever keeps ids drops them. */
    private readonly onClear: () => void,
    private readonly maxNames: number,
  ) {}

  /** A table, or undefined without the native addon (the receivers parse every line in JavaScript). */
  static create(onClear: () => void, maxNames = MAX_NAMES): NameTable | undefined {
    const native = nativeAddon();
    return native ? new NameTable(native, native.createNameTable(), onClear, maxNames) : undefined;
  }

  /** Number of names held. */
  get size(): number {
    return this.names.length;
  }

  /** Reads the lines of bytes[start, end), where end is just past a newline. */
  read(bytes: Buffer, start: number, end: number, maxLineBytes: number, events: LinePointEvents): void {
    if (this.names.length >= this.maxNames) this.clear();
    for (let from = start; from >= 0; ) {
      const used = this.call(() => this.native.readLinePoints(this.table, bytes, from, end, maxLineBytes, this.out));
      from = this.deliver(bytes, used, events.point, events.slowLine);
    }
  }

  /** Reads a pickle frame's points when it is the common shape (see pickle-points.c); false, having read nothing, when not. */
  readPickle(frame: Buffer, point: KnownPoint): boolean {
    if (this.names.length >= this.maxNames) this.clear();
    // (A frame of more points than the fast readers take is left to the general decoder: no room for it.)
    const room = Math.min(Math.ceil(frame.length / MIN_PICKLED_POINT_BYTES), MAX_PICKLE_POINTS) * 2 * RECORD_DOUBLES;
    if (this.out.length < room) this.out = new Float64Array(room);
    const used = this.call(() => this.native.readPicklePoints(this.table, frame, this.out));
    if (used < 0) return false;
    this.deliver(frame, used, point, undefined);
    return true;
  }

  /** Hands out the records of a native call; returns where to resume (-1: done). */
  private deliver(bytes: Buffer, used: number, point: KnownPoint, slowLine: LinePointEvents['slowLine'] | undefined): number {
    const out = this.out;
    const names = this.names;
    let resume = -1;
    for (let i = 0; i < used; i += RECORD_DOUBLES) {
      const kind = out[i];
      if (kind >= 0) point(kind, names[kind], out[i + 1], out[i + 2]);
      else if (kind === NEW_NAME) names.push(bytes.toString('latin1', out[i + 1], out[i + 2]));
      else if (kind === SLOW_LINE) slowLine!(bytes, out[i + 1], out[i + 2]);
      else if (kind === RESUME_AT) resume = out[i + 1];
    }
    return resume;
  }

  /** A native call; when it fails (out of memory) the table may hold names JavaScript was not told of, so it starts again. */
  private call(read: () => number): number {
    try {
      return read();
    } catch (error) {
      this.clear();
      throw error;
    }
  }

  /** Forgets every name. */
  clear(): void {
    this.native.clearNameTable(this.table);
    this.names = [];
    this.onClear();
  }
}
