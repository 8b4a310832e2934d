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
  private buffer: Buffer = Buffer.alloc(0);
  private skip = 0;

  constructor(
    private readonly events: FrameEvents,
    private readonly maxFrameBytes: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.skip > 0) {
      const skipped = Math.min(this.skip, chunk.length);
      this.skip -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return;
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let at = 0;
    while (this.buffer.length - at >= FRAME_HEADER_SIZE) {
      const length = this.buffer.readUInt32BE(at);
      if (length > this.maxFrameBytes) {
        this.events.tooLarge(length);
        const available = this.buffer.length - at - FRAME_HEADER_SIZE;
        const skipped = Math.min(length, available);
        this.skip = length - skipped;
        at += FRAME_HEADER_SIZE + skipped;
        continue;
      }
      if (this.buffer.length - at - FRAME_HEADER_SIZE < length) break;
      const body = this.buffer.subarray(at + FRAME_HEADER_SIZE, at + FRAME_HEADER_SIZE + length);
      at += FRAME_HEADER_SIZE + length;
      this.events.frame(body);
    }
    this.buffer = at >= this.buffer.length ? Buffer.alloc(0) : Buffer.from(this.buffer.subarray(at));
  }
}

/** Prefixes `body` with its length. */
export function frame(body: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
  header.writeUInt32BE(body.byteLength, 0);
  return Buffer.concat([header, body]);
}
