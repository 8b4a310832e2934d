/**
 * Where a WhisperFile's bytes live during one operation:
 * - DirectStore: every read and write is a pread/pwrite (reads that touch a few slots);
 * - PagedStore: 4 KiB pages read once and written back, coalesced, when the operation ends, so
 *   an update that propagates through several archives costs a few syscalls instead of dozens;
 * - MemoryStore: a whole file in a Buffer (resize builds the new file in memory, then writes it once).
 * All three read short at the end of the data, like a file, so truncated files fail the same way.
 */
import fs from 'node:fs';

const PAGE_SIZE = 4096;
/** Reads longer than this ask the file's size first. */
const LONG_READ_BYTES = 2 * PAGE_SIZE;

export interface ByteStore {
  /** Up to `length` bytes at `offset`; shorter only at the end of the data. */
  read(offset: number, length: number): Buffer;
  write(offset: number, bytes: Uint8Array): void;
  size(): number;
  /** Writes buffered changes to the file (no-op for stores that write through). */
  flush(): void;
  /** Frees what the store holds; it is not used afterwards. */
  release(): void;
}

/** Reads and writes straight through to the descriptor. */
export class DirectStore implements ByteStore {
  constructor(private readonly fd: number) {}

  read(offset: number, length: number): Buffer {
    // Never more than the file holds (a corrupt header can ask for gigabytes).
    if (length > LONG_READ_BYTES) length = Math.max(0, Math.min(length, this.size() - offset));
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, buffer, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? buffer : buffer.subarray(0, done);
  }

  write(offset: number, bytes: Uint8Array): void {
    writeFully(this.fd, bytes, offset);
  }

  size(): number {
    return fs.fstatSync(this.fd).size;
  }

  flush(): void {}

  release(): void {}
}

function writeFully(fd: number, bytes: Uint8Array, offset: number): void {
  let done = 0;
  while (done < bytes.byteLength) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done, offset + done);
}

/** Single pages kept for reuse between operations (each op loads a handful), sparing the GC. */
const PAGE_POOL: Buffer[] = [];
const PAGE_POOL_LIMIT = 64;

interface Page {
  bytes: Buffer;
  dirtyFrom: number;
  dirtyTo: number;
}

/** A file just made, whose bytes are known without reading them: `head`, then zeros up to `size`. */
export interface NewFileBytes {
  head: Uint8Array;
  size: number;
  /** The head is not on disk yet: the store writes it with the first flush, with whatever follows it. */
  headUnwritten?: boolean;
}

/**
 * A write-back page cache over a descriptor, for the length of one operation. The file's size is
 * learnt from the reads (a page that reads short ends the file) and asked of the file system
 * only when needed, so an update costs no fstat. Over a file just made (`made`), pages are
 * made from what it is known to hold instead of read.
 */
export class PagedStore implements ByteStore {
  private readonly pages = new Map<number, Page>();
  /** The file's size on disk, once a read came back short or size() asked; until then every page read was whole. */
  private fileSize: number | undefined;
  /** The end of the furthest write of this operation. */
  private writtenEnd = 0;

  constructor(
    private readonly fd: number,
    private readonly made?: NewFileBytes,
  ) {
    if (made) this.fileSize = made.size;
    if (made?.headUnwritten) this.write(0, made.head);
  }

  /** Loads pages [first, last], reading each run of missing pages with one pread. */
  private load(first: number, last: number): void {
    let page = first;
    while (page <= last) {
      if (this.pages.has(page)) {
        page++;
        continue;
      }
      if (this.made) {
        this.pages.set(page, { bytes: this.madePage(page), dirtyFrom: PAGE_SIZE, dirtyTo: 0 });
        page++;
        continue;
      }
      let end = page;
      while (end + 1 <= last && !this.pages.has(end + 1)) end++;
      const count = end - page + 1;
      const buffer = count === 1 && PAGE_POOL.length > 0 ? PAGE_POOL.pop()! : Buffer.allocUnsafe(count * PAGE_SIZE);
      let done = 0;
      while (done < buffer.byteLength) {
        const n = fs.readSync(this.fd, buffer, done, buffer.byteLength - done, page * PAGE_SIZE + done);
        if (n === 0) break;
        done += n;
      }
      buffer.fill(0, done); // past the end of the file: what a later write-beyond-EOF leaves as a hole
      // A short read ends the file there; nothing read at all only says the end is at or before it.
      if (done < buffer.byteLength && this.fileSize === undefined) this.fileSize = done > 0 ? page * PAGE_SIZE + done : fs.fstatSync(this.fd).size;
      if (count === 1) this.pages.set(page, { bytes: buffer, dirtyFrom: PAGE_SIZE, dirtyTo: 0 });
      else for (let i = 0; i < count; i++) this.pages.set(page + i, { bytes: buffer.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE), dirtyFrom: PAGE_SIZE, dirtyTo: 0 });
      page = end + 1;
    }
  }

  /** Page `page` of a file just made: zeros, with the part of its head that falls there. */
  private madePage(page: number): Buffer {
    const bytes = PAGE_POOL.length > 0 ? PAGE_POOL.pop()!.fill(0) : Buffer.alloc(PAGE_SIZE);
    const { head } = this.made!;
    const from = page * PAGE_SIZE;
    if (from < head.byteLength) bytes.set(head.subarray(from, Math.min(head.byteLength, from + PAGE_SIZE)));
    return bytes;
  }

  /** How far the data goes for a read ending at `end`: the file (or what this operation wrote) when its size is known, else `end` (every page read was whole). */
  private dataEnd(end: number): number {
    return this.fileSize === undefined ? end : Math.max(this.fileSize, this.writtenEnd);
  }

  read(offset: number, length: number): Buffer {
    let end = offset + length;
    // A long read is clamped to the file before anything is loaded (a corrupt header can ask for
    // gigabytes); short ones, an update's, learn the end from what they read.
    if (length > LONG_READ_BYTES) end = Math.min(end, this.size());
    if (end <= offset) return Buffer.alloc(0);
    const first = Math.floor(offset / PAGE_SIZE);
    this.load(first, Math.floor((end - 1) / PAGE_SIZE));
    end = Math.min(end, this.dataEnd(end));
    if (end <= offset) return Buffer.alloc(0);
    const last = Math.floor((end - 1) / PAGE_SIZE);
    if (first === last) {
      // A view, not a copy: callers decode what they read before they write again.
      const at = offset - first * PAGE_SIZE;
      return this.pages.get(first)!.bytes.subarray(at, at + (end - offset));
    }
    const out = Buffer.allocUnsafe(end - offset);
    for (let page = first; page <= last; page++) {
      const from = Math.max(offset, page * PAGE_SIZE);
      const to = Math.min(end, (page + 1) * PAGE_SIZE);
      this.pages.get(page)!.bytes.copy(out, from - offset, from - page * PAGE_SIZE, to - page * PAGE_SIZE);
    }
    return out;
  }

  write(offset: number, bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    const end = offset + bytes.byteLength;
    const first = Math.floor(offset / PAGE_SIZE);
    const last = Math.floor((end - 1) / PAGE_SIZE);
    this.load(first, last);
    for (let page = first; page <= last; page++) {
      const entry = this.pages.get(page)!;
      const from = Math.max(offset, page * PAGE_SIZE) - page * PAGE_SIZE;
      const to = Math.min(end, (page + 1) * PAGE_SIZE) - page * PAGE_SIZE;
      entry.bytes.set(bytes.subarray(page * PAGE_SIZE + from - offset, page * PAGE_SIZE + to - offset), from);
      entry.dirtyFrom = Math.min(entry.dirtyFrom, from);
      entry.dirtyTo = Math.max(entry.dirtyTo, to);
    }
    this.writtenEnd = Math.max(this.writtenEnd, end);
  }

  size(): number {
    this.fileSize ??= fs.fstatSync(this.fd).size;
    return Math.max(this.fileSize, this.writtenEnd);
  }

  /** Gives single-page buffers back to the pool; the store must not be used afterwards. */
  release(): void {
    for (const { bytes } of this.pages.values()) {
      if (bytes.byteLength === PAGE_SIZE && bytes.byteOffset === 0 && bytes.buffer.byteLength === PAGE_SIZE && PAGE_POOL.length < PAGE_POOL_LIMIT) PAGE_POOL.push(bytes);
    }
    this.pages.clear();
  }

  /** Writes the dirty byte ranges, merging ranges that touch across page boundaries. */
  flush(): void {
    const dirty = [...this.pages].filter(([, p]) => p.dirtyTo > p.dirtyFrom).sort((a, b) => a[0] - b[0]);
    let runStart = -1;
    let runEnd = -1;
    const parts: Buffer[] = [];
    const emit = (): void => {
      if (parts.length > 0) writeFully(this.fd, parts.length === 1 ? parts[0] : Buffer.concat(parts), runStart);
      parts.length = 0;
    };
    for (const [index, page] of dirty) {
      const start = index * PAGE_SIZE + page.dirtyFrom;
      const end = index * PAGE_SIZE + page.dirtyTo;
      if (start !== runEnd) {
        emit();
        runStart = start;
      }
      parts.push(page.bytes.subarray(page.dirtyFrom, page.dirtyTo));
      runEnd = end;
      page.dirtyFrom = PAGE_SIZE;
      page.dirtyTo = 0;
    }
    emit();
  }
}

/** A whole file held in memory. */
export class MemoryStore implements ByteStore {
  private buffer: Buffer;
  private length: number;

  /** `borrow`: use `initial` itself instead of a copy (the caller keeps it unchanged while the store is used). */
  constructor(initial: Uint8Array, borrow = false) {
    this.buffer = borrow ? Buffer.from(initial.buffer, initial.byteOffset, initial.byteLength) : Buffer.from(initial);
    this.length = initial.byteLength;
  }

  read(offset: number, length: number): Buffer {
    return this.buffer.subarray(Math.min(offset, this.length), Math.min(offset + length, this.length));
  }

  write(offset: number, bytes: Uint8Array): void {
    const end = offset + bytes.byteLength;
    if (end > this.buffer.byteLength) {
      const grown = Buffer.alloc(Math.max(end, this.buffer.byteLength * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer.set(bytes, offset);
    this.length = Math.max(this.length, end);
  }

  size(): number {
    return this.length;
  }

  flush(): void {}

  release(): void {}

  /** The file's bytes. */
  contents(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
