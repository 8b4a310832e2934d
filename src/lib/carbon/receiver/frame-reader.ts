/**
 * Length-prefixed frames (a 4-byte unsigned big-endian length, then the body), the framing of
 * carbon's pickle receiver and of carbonlink. A frame over the limit is reported and its bytes
 * skipped, so the connection survives (carbon closes it).
 */

/** Bytes of the length prefix. */
export const FRAME_HEADER_SIZE = 4;
const INITIAL_BUFFER_BYTES = 64 * 1024;
/** An emptied buffer larger than this is released. */
const RETAINED_BUFFER_BYTES = 1024 * 1024;

export interface FrameEvents {
  frame(body: Buffer): void;
  tooLarge(length: number): void;
}

export class FrameReader {
  /** Received bytes not yet consumed: buffer[start, end). Grows by doubling, compacts in place. */
  private buffer: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private skip = 0;

  constructor(
    private readonly events: FrameEvents,
    private readonly maxFrameBytes: number,
  ) {}

  private append(chunk: Buffer): void {
    const pending = this.end - this.start;
    if (this.end + chunk.length > this.buffer.length) {
      if (pending + chunk.length <= this.buffer.length) {
        this.buffer.copy(this.buffer, 0, this.start, this.end);
      } else {
        const grown = Buffer.allocUnsafe(Math.max(INITIAL_BUFFER_BYTES, 2 * (pending + chunk.length)));
        this.buffer.copy(grown, 0, this.start, this.end);
        this.buffer = grown;
      }
      this.start = 0;
      this.end = pending;
    }
    chunk.copy(this.buffer, this.end);
    this.end += chunk.length;
  }

  push(chunk: Buffer): void {
    if (this.skip > 0) {
      const skipped = Math.min(this.skip, chunk.length);
      this.skip -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return;
    }
    this.append(chunk);
    while (this.end - this.start >= FRAME_HEADER_SIZE) {
      const length = this.buffer.readUInt32BE(this.start);
      const available = this.end - this.start - FRAME_HEADER_SIZE;
      if (length > this.maxFrameBytes) {
        this.events.tooLarge(length);
        const skipped = Math.min(length, available);
        this.start += FRAME_HEADER_SIZE + skipped;
        this.skip = length - skipped;
        if (this.skip > 0) break;
        continue;
      }
      if (available < length) break;
      const body = Buffer.from(this.buffer.subarray(this.start + FRAME_HEADER_SIZE, this.start + FRAME_HEADER_SIZE + length));
      this.start += FRAME_HEADER_SIZE + length;
      this.events.frame(body);
    }
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      if (this.buffer.length > RETAINED_BUFFER_BYTES) this.buffer = Buffer.alloc(0); // do not keep a big frame's buffer
    }
  }
}

/** Prefixes `body` with its length. */
export function frame(body: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
  header.writeUInt32BE(body.byteLength, 0);
  return Buffer.concat([header, body]);
}
