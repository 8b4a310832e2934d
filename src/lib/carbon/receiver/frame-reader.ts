/**
 * Length-prefixed frames (a 4-byte unsigned big-endian length, then the body), the framing of
 * carbon's pickle receiver and of carbonlink. A frame over the limit is reported and its bytes
 * skipped, so the connection survives (carbon closes it).
 */

/** Bytes of the length prefix. */
export const FRAME_HEADER_SIZE = 4;

export interface FrameEvents {
  frame(body: Buffer): void;
  tooLarge(length: number): void;
}

export class FrameReader {
  /** Received bytes not yet consumed, as chunks (joined only when a frame is complete). */
  private chunks: Buffer[] = [];
  private buffered = 0;
  private skip = 0;

  constructor(
    private readonly events: FrameEvents,
    private readonly maxFrameBytes: number,
  ) {}

  /** Joins the first `n` buffered bytes into one Buffer (at most once per completed frame). */
  private head(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private consume(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const first = this.chunks[0];
      if (first.length <= n) {
        n -= first.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = first.subarray(n);
        n = 0;
      }
    }
  }

  push(chunk: Buffer): void {
    if (this.skip > 0) {
      const skipped = Math.min(this.skip, chunk.length);
      this.skip -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= FRAME_HEADER_SIZE) {
      const length = this.head(FRAME_HEADER_SIZE).readUInt32BE(0);
      if (length > this.maxFrameBytes) {
        this.events.tooLarge(length);
        const skipped = Math.min(length, this.buffered - FRAME_HEADER_SIZE);
        this.consume(FRAME_HEADER_SIZE + skipped);
        this.skip = length - skipped;
        if (this.skip > 0) return;
        continue;
      }
      if (this.buffered - FRAME_HEADER_SIZE < length) return;
      const body = Buffer.from(this.head(FRAME_HEADER_SIZE + length).subarray(FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + length));
      this.consume(FRAME_HEADER_SIZE + length);
      this.events.frame(body);
    }
  }
}

/** Prefixes `body` with its length. */
export function frame(body: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
  header.writeUInt32BE(body.byteLength, 0);
  return Buffer.concat([header, body]);
}
