/**
 * The whisper file format (whisper.py 1.1.4). All integers big-endian, no padding, no magic.
 *
 * ```
 * +---------------------------------------------------------------+ offset 0
 * | aggregationType u32 | maxRetention u32 | xFilesFactor f32 | archiveCount u32 |  16 bytes
 * +---------------------------------------------------------------+ 16
 * | archive 0 info: offset u32 | secondsPerPoint u32 | points u32 |  12 bytes each
 * | ... archiveCount entries                                       |
 * +---------------------------------------------------------------+ 16 + 12 * archiveCount
 * | archive 0 data: points x (timestamp u32 | value f64)          |  12 bytes per point
 * | archive 1 data ...                                             |
 * +---------------------------------------------------------------+
 * ```
 * A slot whose timestamp is 0 is empty. See docs/format/whisper.md.
 */

export const METADATA_SIZE = 16;
export const METADATA_AGGREGATION_OFFSET = 0;
export const METADATA_MAX_RETENTION_OFFSET = 4;
export const METADATA_XFF_OFFSET = 8;
export const METADATA_ARCHIVE_COUNT_OFFSET = 12;

export const ARCHIVE_INFO_SIZE = 12;
export const ARCHIVE_INFO_OFFSET_OFFSET = 0;
export const ARCHIVE_INFO_SPP_OFFSET = 4;
export const ARCHIVE_INFO_POINTS_OFFSET = 8;

export const POINT_SIZE = 12;
export const POINT_TIMESTAMP_OFFSET = 0;
export const POINT_VALUE_OFFSET = 4;

/** Largest value a u32 field (timestamp, offset, count) can hold. */
export const MAX_UINT32 = 0xffff_ffff;

/** The eight aggregation methods, by their on-disk type code. */
export const AGGREGATION_METHODS = ['average', 'sum', 'last', 'max', 'min', 'avg_zero', 'absmax', 'absmin'] as const;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];

/** On-disk code (1..8) of an aggregation method. */
export function aggregationTypeOf(method: AggregationMethod): number {
  return AGGREGATION_METHODS.indexOf(method) + 1;
}

/** Aggregation method for an on-disk code, or undefined for an unknown code. */
export function aggregationMethodOf(type: number): AggregationMethod | undefined {
  return AGGREGATION_METHODS[type - 1];
}

/** True when `name` is one of the eight aggregation methods. */
export function isAggregationMethod(name: unknown): name is AggregationMethod {
  return typeof name === 'string' && (AGGREGATION_METHODS as readonly string[]).includes(name);
}

/** One archive as configured: its precision and its number of slots. */
export interface ArchiveSpec {
  secondsPerPoint: number;
  points: number;
}

/** One archive as stored, with the fields whisper.py's __readHeader derives. */
export interface ArchiveInfo extends ArchiveSpec {
  offset: number;
  retention: number;
  size: number;
}

/** A decoded header. */
export interface Header {
  aggregationMethod: AggregationMethod;
  maxRetention: number;
  /** The stored float32 widened to a double (0.1 reads back as 0.10000000149011612). */
  xFilesFactor: number;
  archives: ArchiveInfo[];
}

/** Bytes taken by the header of a file with `archiveCount` archives. */
export function headerSize(archiveCount: number): number {
  return METADATA_SIZE + ARCHIVE_INFO_SIZE * archiveCount;
}

/** Total size of a file with these archives. */
export function fileSizeOf(archives: readonly ArchiveSpec[]): number {
  return headerSize(archives.length) + archives.reduce((sum, a) => sum + a.points * POINT_SIZE, 0);
}
