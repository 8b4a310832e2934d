/**
 * PNG files from straight RGBA pixels, tuned for charts' speed: rows stored unfiltered (no pass
 * over the pixels in JavaScript) and zlib at level 1, which on flat-coloured charts is within a
 * few percent of the size of slower settings.
 */
import os from 'node:os';
import zlib from 'node:zlib'; // zlib.crc32 needs Node 20.15 (package.json engines)
import { deflateParallel } from './parallel-deflate.js';

/** Images at least this large (bytes of rows) are compressed in parts on several threads at once. */
const PARALLEL_BYTES = 256 * 1024;
/** At most this many parts (more measured no faster for an 800×600 chart). */
const MAX_PARTS = 4;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** IHDR colour type of 8-bit RGBA. */
const COLOR_RGBA = 6;
/** The per-row filter byte for rows stored as they are. */
const FILTER_NONE = 0;
/** IHDR field offsets. */
const IHDR_WIDTH = 0;
const IHDR_HEIGHT = 4;
const IHDR_BIT_DEPTH = 8;
const IHDR_COLOR_TYPE = 9;
const IHDR_BYTES = 13;

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes width × height straight-alpha RGBA pixels as an 8-bit RGBA PNG. The compression runs on
 * libuv's thread pool, so a server keeps answering other requests meanwhile, in parts on as many
 * threads as there are cores for a large image.
 */
export async function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Buffer> {
  const header = Buffer.alloc(IHDR_BYTES);
  header.writeUInt32BE(width, IHDR_WIDTH);
  header.writeUInt32BE(height, IHDR_HEIGHT);
  header[IHDR_BIT_DEPTH] = 8;
  header[IHDR_COLOR_TYPE] = COLOR_RGBA;
  const rowBytes = width * 4;
  const rows = Buffer.allocUnsafe((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (rowBytes + 1)] = FILTER_NONE;
    rows.set(rgba.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  const parts = rows.length >= PARALLEL_BYTES ? Math.min(MAX_PARTS, os.availableParallelism()) : 1;
  const data = await deflateParallel(rows, parts, 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))]);
}
