/**
 * The write-ahead journal of received points (CACHE_JOURNAL), so a crash or SIGKILL loses
 * nothing that was read from a socket: every point goes to the journal before the read that
 * brought it is finished, and the journal is replayed into the cache at start-up.
 *
 * Segment file layout (big-endian):
 * ```
 * +-----------------------------+
 * | magic "GPHJ" | version u8=1 |  5 bytes
 * +-----------------------------+
 * | record: nameLength u16 | name UTF-8 | timestamp f64 | value f64 |  repeated
 * +-----------------------------+
 * ```
 * Segments are named NNNNNNNNNNNN.journal and numbered upwards. The writer rotates to a new
 * segment at the start of each pass; after a pass that left nothing behind, the older segments
 * are deleted. A torn record at the end of a segment (the crash came mid-write) is ignored.
 * Modes: "batch" fsyncs once a second (survives a process crash, may lose a second to power
 * loss); "always" fsyncs every commit.
 */
import fs from 'node:fs';
import path from 'node:path';

export const JOURNAL_MAGIC = Buffer.from('GPHJ', 'latin1');
export const JOURNAL_VERSION = 1;
export const JOURNAL_HEADER_SIZE = 5;
const NAME_LENGTH_SIZE = 2;
const TIMESTAMP_SIZE = 8;
const VALUE_SIZE = 8;
const MAX_NAME_BYTES = 0xffff;
const SEGMENT_SUFFIX = '.journal';
/** Bytes gathered in memory before they are written, within one commit. */
const BUFFER_SIZE = 256 * 1024;

export type JournalMode = 'batch' | 'always';

/** Bytes one point takes as a record. */
export function pointRecordSize(metric: string): number {
  return NAME_LENGTH_SIZE + Buffer.byteLength(metric) + TIMESTAMP_SIZE + VALUE_SIZE;
}

/** Writes one point record at `at` in `buffer` (which must have room); returns the end offset. */
export function writePointRecord(buffer: Buffer, at: number, metric: string, timestamp: number, value: number): number {
  let end = buffer.writeUInt16BE(Buffer.byteLength(metric), at);
  end += buffer.write(metric, end, 'utf8');
  end = buffer.writeDoubleBE(timestamp, end);
  return buffer.writeDoubleBE(value, end);
}

/** The header every segment file starts with. */
export const segmentHeader = (): Buffer => Buffer.concat([JOURNAL_MAGIC, Buffer.from([JOURNAL_VERSION])]);

/** Segment numbers present in `dir`, ascending. */
export function segmentNumbers(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d{12}\.journal$/.test(name))
    .map((name) => Number(name.slice(0, 12)))
    .sort((a, b) => a - b);
}

export const segmentPath = (dir: string, n: number): string => path.join(dir, `${String(n).padStart(12, '0')}${SEGMENT_SUFFIX}`);

/** Decodes a segment's records; stops quietly at a torn tail. Returns the count and whether the tail was torn. */
export function readJournalSegment(bytes: Buffer, onPoint: (metric: string, timestamp: number, value: number) => void): { points: number; torn: boolean } {
  if (bytes.length < JOURNAL_HEADER_SIZE || !bytes.subarray(0, 4).equals(JOURNAL_MAGIC) || bytes[4] !== JOURNAL_VERSION) return { points: 0, torn: bytes.length > 0 };
  let at = JOURNAL_HEADER_SIZE;
  let points = 0;
  while (at < bytes.length) {
    if (at + NAME_LENGTH_SIZE > bytes.length) return { points, torn: true };
    const nameLength = bytes.readUInt16BE(at);
    const end = at + NAME_LENGTH_SIZE + nameLength + TIMESTAMP_SIZE + VALUE_SIZE;
    if (end > bytes.length) return { points, torn: true };
    const name = bytes.toString('utf8', at + NAME_LENGTH_SIZE, at + NAME_LENGTH_SIZE + nameLength);
    const timestamp = bytes.readDoubleBE(at + NAME_LENGTH_SIZE + nameLength);
    const value = bytes.readDoubleBE(at + NAME_LENGTH_SIZE + nameLength + TIMESTAMP_SIZE);
    onPoint(name, timestamp, value);
    points++;
    at = end;
  }
  return { points, torn: false };
}

export class Journal {
  private fd = -1;
  private segment = 0;
  private buffer = Buffer.allocUnsafe(BUFFER_SIZE);
  private used = 0;
  private dirty = false;

  constructor(
    private readonly dir: string,
    private readonly mode: JournalMode,
  ) {}

  /**
   * Feeds every journaled point to `onPoint` (oldest segment first), then opens a new segment
   * for what comes next. Returns the number of points replayed and of torn segment tails.
   */
  open(onPoint: (metric: string, timestamp: number, value: number) => void): { points: number; tornSegments: number } {
    fs.mkdirSync(this.dir, { recursive: true });
    let points = 0;
    let tornSegments = 0;
    const existing = segmentNumbers(this.dir);
    for (const n of existing) {
      const result = readJournalSegment(fs.readFileSync(segmentPath(this.dir, n)), onPoint);
      points += result.points;
      if (result.torn) tornSegments++;
    }
    this.segment = (existing[existing.length - 1] ?? 0) + 1;
    this.openSegment();
    return { points, tornSegments };
  }

  private openSegment(): void {
    this.fd = fs.openSync(segmentPath(this.dir, this.segment), 'a');
    fs.writeSync(this.fd, segmentHeader());
  }

  /** Adds a point to the current commit. */
  append(metric: string, timestamp: number, value: number): void {
    if (Buffer.byteLength(metric) > MAX_NAME_BYTES) return; // names this long are refused before they get here
    const size = pointRecordSize(metric);
    if (this.used + size > this.buffer.length) {
      this.writeBuffer();
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(size);
    }
    this.used = writePointRecord(this.buffer, this.used, metric, timestamp, value);
  }

  private writeBuffer(): void {
    if (this.used === 0) return;
    for (let done = 0; done < this.used; ) done += fs.writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
    this.dirty = true;
  }

  /** Writes the points appended so far (and fsyncs them in "always" mode). */
  commit(): void {
    this.writeBuffer();
    if (this.mode === 'always') this.sync();
  }

  /** fsyncs what was written (the once-a-second call in "batch" mode). */
  sync(): void {
    if (this.dirty && this.fd >= 0) {
      fs.fsyncSync(this.fd);
      this.dirty = false;
    }
  }

  /** Starts a new segment; returns the number of the one just closed. */
  rotate(): number {
    this.commit();
    this.sync();
    fs.closeSync(this.fd);
    const closed = this.segment;
    this.segment++;
    this.openSegment();
    return closed;
  }

  /** Deletes the segments up to and including `segment` (their points are on disk). */
  discardThrough(segment: number): void {
    for (const n of segmentNumbers(this.dir)) if (n <= segment) fs.rmSync(segmentPath(this.dir, n), { force: true });
  }

  /** Closes the journal; with `empty` (everything written) all segments are deleted. */
  close(empty: boolean): void {
    this.commit();
    this.sync();
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    if (empty) this.discardThrough(this.segment);
  }
}
