/**
 * An open whisper file: positioned reads and writes on a descriptor, the decoded header, and the
 * slot arithmetic every operation shares. Reads may come back short at the end of a damaged
 * file; the point readers then throw the corrupt-file error instead of reading past it.
 */
import fs from 'node:fs';
import { GphError, fileSystemError } from '../errors.js';
import { type ArchiveInfo, type Header, MAX_UINT32, POINT_SIZE, POINT_TIMESTAMP_OFFSET, POINT_VALUE_OFFSET, headerSize } from './format.js';
import { archiveCountOf, decodeHeader } from './header.js';
import { type ByteStore, DirectStore, MemoryStore, type NewFileBytes, PagedStore } from './byte-store.js';
import { lockExclusive } from './file-lock.js';
import { nativeAddon } from '../native-addon.js';
import type { ResolvedOptions } from './options.js';

/** Bytes read at once for a header: enough for 340 archives, so one read nearly always suffices. */
const HEADER_READ_SIZE = 4096;

/** Python's floor modulo: the result has the sign of `n`. */
export function floorMod(x: number, n: number): number {
  return ((x % n) + n) % n;
}

/** `timestamp` aligned down to a multiple of `step` (whisper.py: t - (t % step)). */
export function alignDown(timestamp: number, step: number): number {
  return timestamp - floorMod(timestamp, step);
}

/** The struct.error whisper.py raises when it unpacks fewer bytes than it needs. */
export function truncatedDataError(path: string, needed: number, got: number): GphError {
  return new GphError('WHISPER_CORRUPT', `Cannot read "${path}": data ends early (needed ${needed} bytes, found ${got})`, {
    path,
    hint: 'The file is truncated; restore it from a replica or backup (`gph whisper find-corrupt` scans a tree)',
    reference: { type: 'struct.error', message: `unpack requires a buffer of ${needed} bytes` },
  });
}

/** The struct.error for a timestamp that does not fit the format's u32. */
export function timestampRangeError(path: string, timestamp: number): GphError {
  return new GphError('WHISPER_TIMESTAMP_RANGE', `Cannot store timestamp ${timestamp} in "${path}": whisper timestamps are 0..4294967295`, {
    path,
    hint: 'Give a timestamp in seconds since the epoch, after 1970 and before 2106',
    reference: { type: 'struct.error', message: `'L' format requires 0 <= number <= ${MAX_UINT32}` },
  });
}

export type OpenMode = 'read' | 'write';

export class WhisperFile {
  private cachedHeader?: Header;
  /** Base interval of each archive read during this operation, by archive offset. */
  private readonly bases = new Map<number, number>();
  private readonly pointScratch = Buffer.allocUnsafe(POINT_SIZE);

  private constructor(
    readonly path: string,
    private readonly store: ByteStore,
    private readonly options: ResolvedOptions,
    private readonly fd?: number,
    /** false: the descriptor is its maker's, who closes (and syncs) it. */
    private readonly ownsFd = true,
  ) {}

  /**
   * Opens `path` for reading (direct reads) or for in-place writing (taking the write lock when
   * options.lock is set, with writes buffered in a page cache until close).
   */
  static open(path: string, mode: OpenMode, options: ResolvedOptions): WhisperFile {
    let fd: number;
    try {
      fd = fs.openSync(path, mode === 'write' ? 'r+' : 'r');
    } catch (error) {
      throw fileSystemError(error, path, mode === 'write' ? 'open for writing' : 'open');
    }
    try {
      if (mode === 'write' && options.lock) lockExclusive(fd);
      return new WhisperFile(path, mode === 'write' ? new PagedStore(fd) : new DirectStore(fd), options, fd);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  /**
   * A whisper file just made on `fd`, not yet published (see create.ts createWithPoints): its
   * bytes are known (`made`), so nothing is read back. close() writes the changes and leaves the
   * descriptor to its maker.
   */
  static onNewFile(path: string, fd: number, made: NewFileBytes, options: ResolvedOptions): WhisperFile {
    return new WhisperFile(path, new PagedStore(fd, made), options, fd, false);
  }

  /** A whisper file held in memory (no descriptor); its bytes are `memoryContents()`. */
  static inMemory(path: string, bytes: Uint8Array, options: ResolvedOptions, borrow = false): WhisperFile {
    return new WhisperFile(path, new MemoryStore(bytes, borrow), options);
  }

  /**
   * Runs `action` on the opened file and closes it. Buffered writes reach the file when the
   * action succeeds; after a failure they are dropped, so a failed operation changes nothing
   * (in compatibility mode they are written, as whisper.py has written them by then).
   */
  static with<T>(path: string, mode: OpenMode, options: ResolvedOptions, action: (file: WhisperFile) => T): T {
    const file = WhisperFile.open(path, mode, options);
    let ok = false;
    try {
      const result = action(file);
      ok = true;
      return result;
    } finally {
      file.close(ok);
    }
  }

  /** Writes buffered changes (when `commit`, or always in compatibility mode), fsyncs with AUTOFLUSH, closes. */
  close(commit = true): void {
    if (this.fd === undefined) return;
    try {
      if (commit || this.options.compat) this.store.flush();
      if (commit && this.options.autoflush && this.ownsFd) fs.fsyncSync(this.fd);
    } finally {
      this.store.release();
      if (this.ownsFd) fs.closeSync(this.fd);
    }
  }

  /** The bytes of an in-memory file. */
  memoryContents(): Buffer {
    if (!(this.store instanceof MemoryStore)) throw new Error('not an in-memory whisper file');
    return this.store.contents();
  }

  /** Reads up to `length` bytes at `offset`; shorter only at the end of the file. */
  read(offset: number, length: number): Buffer {
    return this.store.read(offset, length);
  }

  /** Writes all of `bytes` at `offset`. */
  write(offset: number, bytes: Uint8Array): void {
    this.store.write(offset, bytes);
    if (this.bases.size > 0) {
      for (const at of this.bases.keys()) if (at >= offset - POINT_SIZE + 1 && at < offset + bytes.byteLength) this.bases.delete(at);
    }
  }

  size(): number {
    return this.store.size();
  }

  /** The decoded header (read once per open file, or from the header cache). */
  header(): Header {
    if (this.cachedHeader) return this.cachedHeader;
    const header = this.readHeader(false);
    return (this.cachedHeader = header);
  }

  /** Decodes the header from disk (or the header cache); `lax` as in decodeHeader. */
  readHeader(lax: boolean): Header {
    const cache = this.options.headerCache;
    let identity: string | undefined;
    if (cache) {
      if (!this.options.compat && this.fd !== undefined) {
        const stat = fs.fstatSync(this.fd);
        identity = `${stat.dev}:${stat.ino}:${stat.size}`;
      }
      const cached = cache.get(this.path, identity);
      if (cached) return cached;
    }
    let bytes = this.read(0, HEADER_READ_SIZE);
    if (bytes.byteLength >= HEADER_READ_SIZE) {
      const needed = headerSize(archiveCountOf(bytes));
      if (needed > bytes.byteLength) bytes = this.read(0, needed);
    }
    const header = decodeHeader(bytes, this.path, lax);
    if (!lax) cache?.set(this.path, header, identity);
    return header;
  }

  /** Timestamp of slot 0 of `archive`: 0 for an empty archive. */
  baseInterval(archive: ArchiveInfo): number {
    const known = this.bases.get(archive.offset);
    if (known !== undefined) return known;
    const bytes = this.store.read(archive.offset, POINT_SIZE);
    if (bytes.byteLength < POINT_SIZE) throw truncatedDataError(this.path, POINT_SIZE, bytes.byteLength);
    const base = bytes.readUInt32BE(POINT_TIMESTAMP_OFFSET);
    this.bases.set(archive.offset, base);
    return base;
  }

  /** Byte offset of `interval` in `archive` given its base interval (slot 0 when the base is 0). */
  static slotOffset(archive: ArchiveInfo, base: number, interval: number): number {
    return base === 0 ? archive.offset : WhisperFile.ringOffset(archive, base, interval);
  }

  /** Byte offset of `interval` in `archive` counted from `base` around the ring, whatever the base. */
  static ringOffset(archive: ArchiveInfo, base: number, interval: number): number {
    const slot = floorMod(Math.floor((interval - base) / archive.secondsPerPoint), archive.points);
    return archive.offset + slot * POINT_SIZE;
  }

  /** Writes one point at `offset`. */
  writePoint(offset: number, interval: number, value: number): void {
    if (!(interval >= 0 && interval <= MAX_UINT32)) throw timestampRangeError(this.path, interval);
    const point = this.pointScratch;
    point.writeUInt32BE(interval, POINT_TIMESTAMP_OFFSET);
    point.writeDoubleBE(value, POINT_VALUE_OFFSET);
    this.write(offset, point); // stores copy what they are given
  }

  /**
   * Reads `count` consecutive slots of `archive` from `startOffset`, wrapping at the archive end
   * (a count equal to the archive's points reads the whole ring starting there). Returns the raw
   * bytes, a multiple of POINT_SIZE long unless the file is truncated.
   */
  readRing(archive: ArchiveInfo, startOffset: number, endOffset: number): Buffer {
    const parts = this.readRingParts(archive, startOffset, endOffset);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** readRing's bytes as they lie in the file: one part, or two when the range wraps. */
  readRingParts(archive: ArchiveInfo, startOffset: number, endOffset: number): Buffer[] {
    if (startOffset < endOffset) return [this.read(startOffset, endOffset - startOffset)];
    const archiveEnd = archive.offset + archive.size;
    return [this.read(startOffset, archiveEnd - startOffset), this.read(archive.offset, endOffset - archive.offset)];
  }
}

/** Decoded slots without boxing: `values[i]` is meaningful where `known[i]` is 1. */
export interface UnboxedValues {
  values: Float64Array;
  known: Uint8Array;
}

/** Zeroed values and known-marks for `count` slots, in one allocation (a render makes them for every file it reads). */
export function unboxedValues(count: number): UnboxedValues {
  const bytes = new ArrayBuffer(count * (Float64Array.BYTES_PER_ELEMENT + 1));
  return { values: new Float64Array(bytes, 0, count), known: new Uint8Array(bytes, count * Float64Array.BYTES_PER_ELEMENT, count) };
}

/** decodeSlots into typed arrays (for readers of many files, such as render), from readRingParts' parts. */
export function decodeSlotsUnboxed(parts: readonly Buffer[], start: number, step: number, path: string): UnboxedValues {
  let byteLength = 0;
  for (const part of parts) byteLength += part.byteLength;
  const count = Math.floor(byteLength / POINT_SIZE);
  // A part that ends inside a point (a truncated file) cannot be decoded where it lies.
  if (parts.some((part) => part.byteLength % POINT_SIZE !== 0)) throw truncatedDataError(path, count * POINT_SIZE, byteLength);
  const { values, known } = unboxedValues(count);
  const native = nativeAddon();
  if (native && Number.isSafeInteger(start) && Number.isSafeInteger(step)) {
    for (let p = 0, at = 0; p < parts.length; at += parts[p].byteLength / POINT_SIZE, p++) native.decodeSlots(parts[p], start + at * step, step, values, known, at);
    return { values, known };
  }
  return decodeSlotsInto(parts, start, step, values, known);
}

/** decodeSlotsUnboxed in JavaScript (without gph's addon; the reference its decoder is tested against). */
export function decodeSlotsInto(parts: readonly Buffer[], start: number, step: number, values: Float64Array, known: Uint8Array): UnboxedValues {
  let expected = start;
  let i = 0;
  for (let p = 0; p < parts.length; p++) {
    // Each part is decoded where it lies: a wrapped range is never copied into one buffer.
    const part = parts[p];
    const points = part.byteLength / POINT_SIZE;
    const view = new DataView(part.buffer, part.byteOffset, part.byteLength);
    for (let k = 0, at = 0; k < points; k++, i++, at += POINT_SIZE, expected += step) {
      if (view.getUint32(at + POINT_TIMESTAMP_OFFSET) === expected) {
        values[i] = view.getFloat64(at + POINT_VALUE_OFFSET);
        known[i] = 1;
      }
    }
  }
  return { values, known };
}

/**
 * Matches raw slots against the expected intervals start, start+step, ...: the value of a slot
 * whose timestamp is not the expected one is stale (null). Throws struct.error on a partial point.
 */
export function decodeSlots(bytes: Buffer, start: number, step: number, path: string): Array<number | null> {
  const count = Math.floor(bytes.byteLength / POINT_SIZE);
  if (count * POINT_SIZE !== bytes.byteLength) throw truncatedDataError(path, count * POINT_SIZE, bytes.byteLength);
  const values = new Array<number | null>(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let expected = start;
  for (let i = 0, at = 0; i < count; i++, at += POINT_SIZE, expected += step) {
    values[i] = view.getUint32(at + POINT_TIMESTAMP_OFFSET) === expected ? view.getFloat64(at + POINT_VALUE_OFFSET) : null;
  }
  return values;
}
