/**
 * A destination's spool: a first-in first-out queue of points on disk, so a relay never drops
 * what a destination cannot take now. Points are appended to the tail segment (the journal's
 * record format, cache/journal.ts); the sender takes the head segment, sends it and only then
 * deletes it, so a crash between the two re-sends rather than loses.
 */
import fs from 'node:fs';
import { pointRecordSize, readJournalSegment, segmentHeader, segmentNumbers, segmentPath, writePointRecord } from '../cache/journal.js';

/** A spooled point: [metric, timestamp, value]. */
export type SpooledPoint = [string, number, number];

/** A tail segment is closed at this size. */
const SEGMENT_BYTES = 4 * 1024 * 1024;
/** The first segment's number: numbers below it are free for points that must go first (pushFront). */
const FIRST_SEGMENT = 1_000_000_000;

export class DiskQueue {
  private segments: number[] = [];
  private tailFd = -1;
  private tailBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private onDiskBytes = 0;
  private onDiskPoints = 0;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.segments = segmentNumbers(dir);
    for (const n of this.segments) {
      const bytes = fs.readFileSync(segmentPath(dir, n));
      this.onDiskBytes += bytes.length;
      this.onDiskPoints += readJournalSegment(bytes, () => {}).points;
    }
  }

  /** Points waiting (on disk or about to be written). */
  get points(): number {
    return this.onDiskPoints;
  }

  /** Bytes the spool takes on disk, including what is about to be written. */
  get bytes(): number {
    return this.onDiskBytes + this.pendingBytes;
  }

  get isEmpty(): boolean {
    return this.onDiskPoints === 0;
  }

  /** Adds points at the tail (buffered until flush()). */
  push(metric: string, timestamp: number, value: number): void {
    const record = Buffer.allocUnsafe(pointRecordSize(metric));
    writePointRecord(record, 0, metric, timestamp, value);
    this.pending.push(record);
    this.pendingBytes += record.length;
    this.onDiskPoints++;
  }

  /** Writes the buffered points to the tail segment. */
  flush(): void {
    if (this.pending.length === 0) return;
    if (this.tailFd < 0 || this.tailBytes >= SEGMENT_BYTES) this.openTail();
    const bytes = Buffer.concat(this.pending);
    let done = 0;
    try {
      while (done < bytes.length) done += fs.writeSync(this.tailFd, bytes, done, bytes.length - done);
    } catch (error) {
      // Cut the segment back to its last whole record, so the points stay pending, not half-written.
      fs.ftruncateSync(this.tailFd, this.tailBytes);
      throw error;
    }
    this.tailBytes += bytes.length;
    this.onDiskBytes += bytes.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private openTail(): void {
    if (this.tailFd >= 0) fs.closeSync(this.tailFd);
    const n = (this.segments[this.segments.length - 1] ?? FIRST_SEGMENT - 1) + 1;
    this.segments.push(n);
    this.tailFd = fs.openSync(segmentPath(this.dir, n), 'a');
    const header = segmentHeader();
    fs.writeSync(this.tailFd, header);
    this.tailBytes = header.length;
    this.onDiskBytes += header.length;
  }

  /**
   * The oldest segment's points and a function that deletes the segment once they are sent.
   * Undefined when the spool is empty.
   */
  takeHead(): { points: SpooledPoint[]; done: () => void } | undefined {
    this.flush();
    const n = this.segments[0];
    if (n === undefined) return undefined;
    if (this.segments.length === 1 && this.tailFd >= 0) {
      fs.closeSync(this.tailFd); // the head is the tail: close it, later points start a new one
      this.tailFd = -1;
    }
    const file = segmentPath(this.dir, n);
    const bytes = fs.readFileSync(file);
    const points: SpooledPoint[] = [];
    readJournalSegment(bytes, (m, t, v) => points.push([m, t, v]));
    return {
      points,
      done: () => {
        fs.rmSync(file, { force: true });
        this.segments = this.segments.filter((s) => s !== n);
        this.onDiskBytes -= bytes.length;
        this.onDiskPoints -= points.length;
      },
    };
  }

  /** Writes `points` as a segment before every other one: they are older than what is spooled. */
  pushFront(points: readonly SpooledPoint[]): void {
    if (points.length === 0) return;
    this.flush();
    if ((this.segments[0] ?? FIRST_SEGMENT) <= 0) this.renumberUp();
    const n = (this.segments[0] ?? FIRST_SEGMENT) - 1;
    const records = points.map(([m, t, v]) => {
      const record = Buffer.allocUnsafe(pointRecordSize(m));
      writePointRecord(record, 0, m, t, v);
      return record;
    });
    const bytes = Buffer.concat([segmentHeader(), ...records]);
    fs.writeFileSync(segmentPath(this.dir, n), bytes);
    this.segments.unshift(n);
    this.onDiskBytes += bytes.length;
    this.onDiskPoints += points.length;
  }

  /** Moves every segment FIRST_SEGMENT numbers up (same order), making room in front. */
  private renumberUp(): void {
    if (this.tailFd >= 0) fs.closeSync(this.tailFd);
    this.tailFd = -1;
    for (const n of [...this.segments].reverse()) fs.renameSync(segmentPath(this.dir, n), segmentPath(this.dir, n + FIRST_SEGMENT));
    this.segments = this.segments.map((n) => n + FIRST_SEGMENT);
  }

  close(): void {
    this.flush();
    if (this.tailFd >= 0) fs.closeSync(this.tailFd);
    this.tailFd = -1;
  }
}
