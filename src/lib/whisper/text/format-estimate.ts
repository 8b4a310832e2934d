/**
 * whisper-create --estimate: the size of one file and of many, as the reference prints it.
 */
import { formatFixed } from '../../python/py-format.js';
import type { ArchiveSpec } from '../format.js';
import { fileSizeOf } from '../format.js';

/** Bytes of a 4 KiB filesystem block. */
const BLOCK_SIZE = 4096;
const METRIC_COUNTS = [1, 5, 10, 50, 100, 500];
const UNITS = ['bytes', 'KB', 'MB', 'GB'];

/** "%.3f" + unit, dividing by 1024 while the value is at least 1024. */
export function formatByteSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatFixed(value, 3)}${UNITS[unit]}`;
}

export interface SizeEstimate {
  archives: ArchiveSpec[];
  bytes: number;
  bytesOnDisk: number;
}

/** The size of a file with `archives` and its size rounded up to whole 4 KiB blocks. */
export function estimateSize(archives: ArchiveSpec[]): SizeEstimate {
  const bytes = fileSizeOf(archives);
  return { archives, bytes, bytesOnDisk: Math.ceil(bytes / BLOCK_SIZE) * BLOCK_SIZE };
}

/** The text of whisper-create --estimate. */
export function formatEstimateText(estimate: SizeEstimate): string {
  let out = '';
  estimate.archives.forEach((a, i) => {
    out += `Archive ${i}: ${a.points} points of ${a.secondsPerPoint}s precision\n`;
  });
  out += `\nEstimated Whisper DB Size: ${formatByteSize(estimate.bytes)} (${estimate.bytesOnDisk} bytes on disk with 4k blocks)\n\n`;
  for (const count of METRIC_COUNTS) {
    out += `Estimated storage requirement for ${count}k metrics: ${formatByteSize(estimate.bytesOnDisk * count * 1000)}\n`;
  }
  return out;
}
