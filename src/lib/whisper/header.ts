/**
 * Pure encode/decode of the whisper header (see format.ts for the layout). Decoding checks
 * lengths before reading and throws only the corrupt-file error, as whisper.py's __readHeader.
 */
import { GphError } from '../errors.js';
import {
  ARCHIVE_INFO_OFFSET_OFFSET,
  ARCHIVE_INFO_POINTS_OFFSET,
  ARCHIVE_INFO_SIZE,
  ARCHIVE_INFO_SPP_OFFSET,
  type AggregationMethod,
  type ArchiveInfo,
  type ArchiveSpec,
  type Header,
  METADATA_AGGREGATION_OFFSET,
  METADATA_ARCHIVE_COUNT_OFFSET,
  METADATA_MAX_RETENTION_OFFSET,
  METADATA_SIZE,
  METADATA_XFF_OFFSET,
  POINT_SIZE,
  aggregationMethodOf,
  aggregationTypeOf,
  headerSize,
} from './format.js';

/** The CorruptWhisperFile error for `path`; `detail` is whisper.py's text ("Unable to read header"). */
export function corruptFileError(path: string, detail: string, why: string): GphError {
  return new GphError('WHISPER_CORRUPT', `Cannot read "${path}": ${why}`, {
    path,
    hint: 'The file is not a whisper file or is damaged; restore it from a replica or backup (`gph whisper find-corrupt` scans a tree)',
    reference: { type: 'CorruptWhisperFile', message: `${detail} (${path})` },
  });
}

/** Encodes the 16-byte metadata block. */
export function encodeMetadata(method: AggregationMethod, maxRetention: number, xFilesFactor: number, archiveCount: number): Uint8Array {
  const bytes = new Uint8Array(METADATA_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(METADATA_AGGREGATION_OFFSET, aggregationTypeOf(method));
  view.setUint32(METADATA_MAX_RETENTION_OFFSET, maxRetention);
  view.setFloat32(METADATA_XFF_OFFSET, xFilesFactor);
  view.setUint32(METADATA_ARCHIVE_COUNT_OFFSET, archiveCount);
  return bytes;
}

/** Encodes a whole header for `archives` (already validated and sorted), laying them out back to back. */
export function encodeHeader(archives: readonly ArchiveSpec[], method: AggregationMethod, xFilesFactor: number): Uint8Array {
  const size = headerSize(archives.length);
  const bytes = new Uint8Array(size);
  const maxRetention = Math.max(...archives.map((a) => a.secondsPerPoint * a.points));
  bytes.set(encodeMetadata(method, maxRetention, xFilesFactor, archives.length), 0);
  const view = new DataView(bytes.buffer);
  let dataOffset = size;
  archives.forEach((archive, i) => {
    const at = METADATA_SIZE + i * ARCHIVE_INFO_SIZE;
    view.setUint32(at + ARCHIVE_INFO_OFFSET_OFFSET, dataOffset);
    view.setUint32(at + ARCHIVE_INFO_SPP_OFFSET, archive.secondsPerPoint);
    view.setUint32(at + ARCHIVE_INFO_POINTS_OFFSET, archive.points);
    dataOffset += archive.points * POINT_SIZE;
  });
  return bytes;
}

/** The archive count stored in a metadata block of at least 16 bytes. */
export function archiveCountOf(metadata: Uint8Array): number {
  return new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength).getUint32(METADATA_ARCHIVE_COUNT_OFFSET);
}

/**
 * Decodes a header from the first bytes of a file. `bytes` may be shorter than the file; it must
 * hold the whole header for a success. Throws WHISPER_CORRUPT on a short or invalid header.
 * `lax` accepts an unknown aggregation type (as average) and any xFilesFactor, as whisper-dump does.
 */
export function decodeHeader(bytes: Uint8Array, path: string, lax = false): Header {
  if (bytes.byteLength < METADATA_SIZE) {
    throw corruptFileError(path, 'Unable to read header', `file has ${bytes.byteLength} bytes, a whisper header needs ${METADATA_SIZE}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint32(METADATA_AGGREGATION_OFFSET);
  const method = aggregationMethodOf(type) ?? (lax ? 'average' : undefined);
  if (method === undefined) {
    throw corruptFileError(path, 'Unable to read header', `aggregation type ${type} is not one of 1..8`);
  }
  const xFilesFactor = view.getFloat32(METADATA_XFF_OFFSET);
  if (!lax && !(xFilesFactor >= 0 && xFilesFactor <= 1)) {
    throw corruptFileError(path, 'Unable to read header', `xFilesFactor ${xFilesFactor} is not between 0 and 1`);
  }
  const archiveCount = view.getUint32(METADATA_ARCHIVE_COUNT_OFFSET);
  const archives: ArchiveInfo[] = [];
  for (let i = 0; i < archiveCount; i++) {
    const at = METADATA_SIZE + i * ARCHIVE_INFO_SIZE;
    if (at + ARCHIVE_INFO_SIZE > bytes.byteLength) {
      throw corruptFileError(path, `Unable to read archive${i} metadata`, `archive ${i} of ${archiveCount} is cut off at byte ${bytes.byteLength}`);
    }
    const secondsPerPoint = view.getUint32(at + ARCHIVE_INFO_SPP_OFFSET);
    const points = view.getUint32(at + ARCHIVE_INFO_POINTS_OFFSET);
    archives.push({
      offset: view.getUint32(at + ARCHIVE_INFO_OFFSET_OFFSET),
      secondsPerPoint,
      points,
      retention: secondsPerPoint * points,
      size: points * POINT_SIZE,
    });
  }
  return { aggregationMethod: method, maxRetention: view.getUint32(METADATA_MAX_RETENTION_OFFSET), xFilesFactor, archives };
}
