/**
 * Splits a byte stream into lines for the plaintext protocol: "\n"-terminated, each line strict
 * UTF-8. A line longer than the limit is reported and skipped up to its newline (carbon closes
 * the connection instead); a line with invalid UTF-8 is reported and skipped (carbon drops the
 * connection). Given a NameTable and a `point` event, the common lines are read in C and
 * reported as points; the others as lines, in their order.
 */
import type { LinePointEvents, NameTable } from './name-table.js';

/** carbon's (Twisted LineOnlyReceiver's) MAX_LENGTH. */
export const MAX_LINE_BYTES = 16384;

export interface LineEvents {
  /** A line: text[start, end), without its newline (the text holds other lines too: slice it to keep it). */
  line(text: string, start: number, end: number): void;
  tooLong(): void;
  invalidUtf8(): void;
  /** A plain line's point, read by the NameTable (only with one). */
  point?: LinePointEvents['point'];
}

/** Strict UTF-8 that keeps a byte-order mark (as Python's utf-8 codec does, so a name is read the same wherever a chunk starts). */
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class LineSplitter {
  private pending: Buffer | undefined;
  private discarding = false;
  private readonly pointEvents?: LinePointEvents;

  constructor(
    private readonly events: LineEvents,
    private readonly maxLineBytes = MAX_LINE_BYTES,
    private readonly names?: NameTable,
  ) {
    if (events.point) this.pointEvents = { point: events.point, slowLine: (bytes, from, to) => this.emitLine(bytes.subarray(from, to)) };
  }

  /** Feeds a chunk; complete lines are reported in order. */
  push(chunk: Buffer): void {
    let data = chunk;
    if (this.pending) {
      // Only the line the last chunk left open is joined (copying the whole chunk cost as much as parsing a tenth of it).
      const nl = chunk.indexOf(10);
      const pending = this.pending;
      this.pending = undefined;
      if (nl < 0) {
        data = Buffer.concat([pending, chunk]);
      } else {
        this.push(Buffer.concat([pending, chunk.subarray(0, nl + 1)]));
        data = chunk.subarray(nl + 1);
      }
    }
    let start = 0;
    if (this.discarding) {
      const nl = data.indexOf(10);
      if (nl < 0) return;
      this.discarding = false;
      start = nl + 1;
    }
    const lastNewline = data.lastIndexOf(10);
    if (lastNewline >= start) {
      this.emitLines(data.subarray(start, lastNewline + 1));
      start = lastNewline + 1;
    }
    if (start < data.length) {
      data = data.subarray(start);
      if (data.length > this.maxLineBytes) {
        this.events.tooLong();
        this.discarding = true;
      } else this.pending = Buffer.from(data);
    }
  }

  /** A last line without its newline (the sender closed) is still taken; carbon drops it. */
  end(): void {
    if (this.pending && !this.discarding) this.emitLines(Buffer.concat([this.pending, Buffer.from('\n')]));
    this.pending = undefined;
  }

  /** Emits the lines of a region that ends with "\n". */
  private emitLines(region: Buffer): void {
    if (this.names && this.pointEvents) {
      this.names.read(region, 0, region.length, this.maxLineBytes, this.pointEvents);
      return;
    }
    let text: string | undefined;
    try {
      text = strict.decode(region);
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        if (nl - from > this.maxLineBytes) this.events.tooLong();
        else this.events.line(text, from, nl);
        from = nl + 1;
      }
      return;
    }
    // Some line is not UTF-8: find it line by line.
    let from = 0;
    for (let nl = region.indexOf(10); nl >= 0; nl = region.indexOf(10, from)) {
      this.emitLine(region.subarray(from, nl));
      from = nl + 1;
    }
  }

  /** Emits one line's bytes (without its newline). */
  private emitLine(bytes: Buffer): void {
    if (bytes.length > this.maxLineBytes) {
      this.events.tooLong();
      return;
    }
    let line: string;
    try {
      line = strict.decode(bytes);
    } catch {
      this.events.invalidUtf8();
      return;
    }
    this.events.line(line, 0, line.length);
  }
}
