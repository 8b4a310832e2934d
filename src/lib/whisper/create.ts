/**
 * create(): a new whisper file with the given archives (whisper.py create). gph writes it without
 * a name (or under a temporary one) and links it into place, so a failed create never leaves a partial file and
 * never replaces a file that appeared meanwhile; in compatibility mode it behaves as whisper.py,
 * which validates the aggregation method and xFilesFactor only after creating the file.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { GphError, fileSystemError } from '../errors.js';
import { pyFloat } from '../python/py-convert.js';
import { reprFloat } from '../python/py-format.js';
import { type AggregationMethod, type ArchiveSpec, fileSizeOf, isAggregationMethod } from './format.js';
import { encodeHeader } from './header.js';
import { lockExclusive } from './file-lock.js';
import { canFallocate, fallocate } from './native-fallocate.js';
import { type ResolvedOptions, type WhisperOptions, resolveOptions } from './options.js';
import { validateArchiveList } from './retention.js';
import { linkUnnamedFile, openUnnamedFile } from './unnamed-file.js';
import { fileUpdateManyPacked, updateManyPacked } from './update.js';
import { WhisperFile } from './whisper-file.js';
import { nowSeconds } from '../clock.js';

/** Bytes of zeros written per call when pre-allocating a file. */
const ZERO_CHUNK_SIZE = 1 << 20;
let zeroChunk: Buffer | undefined;

export interface CreateOptions {
  /** Fraction of known points needed to propagate (default 0.5); a number or a numeric string. */
  xFilesFactor?: number | string;
  /** Aggregation method name (default average). */
  aggregationMethod?: string;
  /** Allocate no data blocks (a hole): the file reads as zeros. */
  sparse?: boolean;
  /**
   * Allocate the data blocks with posix_fallocate, without writing them (whisper.py's order:
   * fallocate before sparse). Zeros are written instead when the native addon is not built or
   * the file system cannot allocate ahead.
   */
  fallocate?: boolean;
}

/** Validates an aggregation method name as whisper.py's __writeHeaderMetadata does. */
export function checkAggregationMethod(method: unknown, filePath?: string): AggregationMethod {
  if (isAggregationMethod(method)) return method;
  const message = `Unrecognized aggregation method: ${String(method)}`;
  const what = `"${String(method)}" is not a whisper aggregation method`;
  throw new GphError('WHISPER_INVALID_AGGREGATION', filePath ? `Cannot use aggregation method for "${filePath}": ${what}` : `Cannot use aggregation method: ${what}`, {
    path: filePath,
    hint: 'Use one of average, sum, last, max, min, avg_zero, absmax, absmin',
    reference: { type: 'InvalidAggregationMethod', message },
  });
}

/**
 * Validates an xFilesFactor as __writeHeaderMetadata does: float() then 0 <= x <= 1. NaN passes
 * whisper.py's check and makes the file unreadable, so gph refuses it unless `allowNaN`.
 */
export function checkXFilesFactor(value: unknown, allowNaN = false, filePath?: string): number {
  const prefix = filePath ? `Cannot use xFilesFactor for "${filePath}"` : 'Cannot use xFilesFactor';
  const hint = 'Give a number between 0 and 1, e.g. 0.5';
  let xff: number;
  try {
    xff = pyFloat(value);
  } catch (cause) {
    if ((cause as GphError).reference?.type !== 'ValueError') throw cause;
    const message = `Invalid xFilesFactor ${String(value)}, not a float`;
    throw new GphError('WHISPER_INVALID_XFF', `${prefix}: "${String(value)}" is not a number`, { path: filePath, hint, cause, reference: { type: 'InvalidXFilesFactor', message } });
  }
  if (xff < 0 || xff > 1 || (Number.isNaN(xff) && !allowNaN)) {
    const message = `Invalid xFilesFactor ${reprFloat(xff)}, not between 0 and 1`;
    throw new GphError('WHISPER_INVALID_XFF', `${prefix}: ${reprFloat(xff)} is not between 0 and 1`, { path: filePath, hint, reference: { type: 'InvalidXFilesFactor', message } });
  }
  return xff;
}

function existsError(filePath: string): GphError {
  const message = `File ${filePath} already exists!`;
  return new GphError('WHISPER_EXISTS', message, {
    path: filePath,
    hint: 'Choose another path, remove the file, or pass --overwrite',
    reference: { type: 'InvalidConfiguration', message },
  });
}

/**
 * Writes the header (unless `headerLater`: the caller writes it, with the first points), then
 * allocates the data (fallocate), leaves it a hole (sparse) or writes zeros.
 */
function writeContent(fd: number, header: Uint8Array, totalSize: number, createOptions: CreateOptions, filePath: string, headerLater = false): void {
  if (!headerLater) fs.writeSync(fd, header, 0, header.byteLength, 0);
  if (createOptions.fallocate && canFallocate()) {
    const failed = fallocate(fd, header.byteLength, totalSize - header.byteLength);
    if (failed === 0) return;
    // Out of space is an error, as in whisper.py; a file system that cannot allocate ahead gets zeros.
    if (failed === os.constants.errno.ENOSPC) throw fileSystemError(Object.assign(new Error('No space left on device'), { code: 'ENOSPC', errno: -failed }), filePath, 'create');
  } else if (createOptions.sparse) {
    fs.ftruncateSync(fd, totalSize);
    return;
  }
  zeroChunk ??= Buffer.alloc(ZERO_CHUNK_SIZE); // shared, never written to
  const zeros = zeroChunk;
  for (let at = header.byteLength; at < totalSize; ) {
    at += fs.writeSync(fd, zeros, 0, Math.min(zeros.byteLength, totalSize - at), at);
  }
}

/**
 * Creates a whisper file. `archives` is sorted in place and validated (WHISPER_INVALID_CONFIG);
 * throws WHISPER_EXISTS when `filePath` exists, WHISPER_INVALID_AGGREGATION / WHISPER_INVALID_XFF
 * for bad settings. Returns the size of the new file in bytes.
 */
export function create(filePath: string, archives: ArchiveSpec[], createOptions: CreateOptions = {}, options: WhisperOptions = {}): number {
  const resolved = resolveOptions(options);
  validateArchiveList(archives);
  if (fs.existsSync(filePath)) throw existsError(filePath);
  if (resolved.compat) {
    // whisper.py: open('wb') first, then validate while writing the header (a bad method leaves a 0-byte file).
    const totalSize = fileSizeOf(archives);
    const fd = openOrThrow(filePath, 'w');
    try {
      if (resolved.lock) lockExclusive(fd);
      const method = checkAggregationMethod(createOptions.aggregationMethod ?? 'average', filePath);
      const xff = checkXFilesFactor(createOptions.xFilesFactor ?? 0.5, true, filePath);
      writeContent(fd, encodeHeader(archives, method, xff), totalSize, createOptions, filePath);
      if (resolved.autoflush) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return totalSize;
  }

  return publishNewFile(filePath, archives, createOptions, undefined, resolved);
}

/**
 * create() with the new file's first points (the cache writer's new metrics): they are written
 * into the file before it is published, so the path names either no file or the file with its
 * points, and the file is opened once and nothing is read back. Unlike create() it does not look
 * for `filePath` first (the caller decides whether to; an existing file still fails
 * WHISPER_EXISTS, at the link, and is left as it was). In
 * compatibility mode it is create() then updateManyPacked(), as whisper.py does it.
 */
export function createWithPoints(filePath: string, archives: ArchiveSpec[], createOptions: CreateOptions, packed: Float64Array, options: WhisperOptions = {}): number {
  const resolved = resolveOptions(options);
  if (!resolved.compat) {
    validateArchiveList(archives);
    return publishNewFile(filePath, archives, createOptions, packed, resolved);
  }
  const size = create(filePath, archives, createOptions, options);
  updateManyPacked(filePath, packed, options);
  return size;
}

/** Makes a new file (validated archives) with its header, its data allocated as asked, and `packed` points if any. */
function publishNewFile(filePath: string, archives: ArchiveSpec[], createOptions: CreateOptions, packed: Float64Array | undefined, resolved: ResolvedOptions): number {
  const method = checkAggregationMethod(createOptions.aggregationMethod ?? 'average', filePath);
  const xff = checkXFilesFactor(createOptions.xFilesFactor ?? 0.5, false, filePath);
  const header = encodeHeader(archives, method, xff);
  const size = fileSizeOf(archives);
  publishFile(
    filePath,
    (fd) => {
      const withPoints = packed !== undefined && packed.length > 0;
      // With points, the header goes out in one write with the points that follow it (a new
      // file's first points land at the start of its first archive, right after the header).
      writeContent(fd, header, size, createOptions, filePath, withPoints);
      if (withPoints) {
        const file = WhisperFile.onNewFile(filePath, fd, { head: header, size, headUnwritten: true }, resolved);
        let ok = false;
        try {
          fileUpdateManyPacked(file, packed, nowSeconds(resolved.clock), false);
          ok = true;
        } finally {
          file.close(ok);
        }
      }
    },
    resolved.lock,
    resolved.autoflush,
  );
  return size;
}

/** The bytes of a new, empty whisper file (header and zeroed archives). */
export function emptyFileBytes(archives: readonly ArchiveSpec[], method: AggregationMethod, xFilesFactor: number): Buffer {
  const bytes = Buffer.alloc(fileSizeOf(archives));
  bytes.set(encodeHeader(archives, method, xFilesFactor), 0);
  return bytes;
}

/**
 * Makes a new file at `filePath` all at once: `fill` writes a file without a name (O_TMPFILE,
 * see unnamed-file.ts) or else a temporary file beside it, which is (optionally) synced and then
 * linked into place, so the path never names a partial file and an existing file is never
 * replaced (WHISPER_EXISTS).
 */
export function publishFile(filePath: string, fill: (fd: number) => void, lock: boolean, sync: boolean): void {
  let unnamed: number | undefined;
  try {
    unnamed = openUnnamedFile(path.dirname(filePath));
  } catch (error) {
    throw fileSystemError(error, filePath, 'create');
  }
  if (unnamed !== undefined) {
    try {
      fillFile(unnamed, fill, lock, sync);
      linkOrThrow(() => linkUnnamedFile(unnamed, filePath), filePath);
    } finally {
      fs.closeSync(unnamed);
    }
    return;
  }
  const temp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${TEMP_PREFIX}${(tempCount++).toString(36)}.tmp`);
  const fd = openOrThrow(temp, 'wx');
  try {
    try {
      fillFile(fd, fill, lock, sync);
    } finally {
      fs.closeSync(fd);
    }
    linkOrThrow(() => fs.linkSync(temp, filePath), filePath);
  } finally {
    removeIfThere(temp);
  }
}

function fillFile(fd: number, fill: (fd: number) => void, lock: boolean, sync: boolean): void {
  if (lock) lockExclusive(fd);
  fill(fd);
  if (sync) fs.fsyncSync(fd);
}

/** Runs `link`, which names the new file `filePath`: WHISPER_EXISTS when that path exists. */
function linkOrThrow(link: () => void, filePath: string): void {
  try {
    link();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(filePath);
    throw fileSystemError(error, filePath, 'create');
  }
}

/**
 * Temp names: unique to this process and thread (a random prefix made once, then a counter: no
 * random bytes and no getpid(2) per file, which the cache's writer would pay on every create).
 */
const TEMP_PREFIX = `${randomBytes(6).toString('hex')}-${threadId.toString(36)}-`;
let tempCount = 0;

/** unlink(2) of a file that may be gone already (fs.rmSync would lstat it first). */
function removeIfThere(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function openOrThrow(filePath: string, flags: string): number {
  try {
    return fs.openSync(filePath, flags);
  } catch (error) {
    throw fileSystemError(error, filePath, 'create');
  }
}
