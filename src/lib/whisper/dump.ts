/**
 * dump(): every raw slot of every archive, stale and empty ones included (whisper-dump).
 */
import type { Header } from './format.js';
import { POINT_SIZE, POINT_TIMESTAMP_OFFSET, POINT_VALUE_OFFSET } from './format.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { WhisperFile } from './whisper-file.js';

/** A raw slot: [stored timestamp, stored value], or null past the end of a truncated file. */
export type RawSlot = [number, number] | null;

export interface DumpedArchive {
  secondsPerPoint: number;
  points: number;
  offset: number;
  slots: RawSlot[];
}

export interface Dump {
  header: Header;
  fileSize: number;
  archives: DumpedArchive[];
}

export interface DumpOptions {
  /** Accept headers whisper-dump accepts but the library rejects (unknown aggregation type, xff out of range). */
  lax?: boolean;
}

/** Reads the header and every slot of `path`. */
export function dump(path: string, dumpOptions: DumpOptions = {}, options: WhisperOptions = {}): Dump {
  return WhisperFile.with(path, 'read', resolveOptions(options), (file) => {
    const header = file.readHeader(Boolean(dumpOptions.lax));
    const archives = header.archives.map((archive) => {
      const bytes = file.read(archive.offset, archive.size);
      const slots: RawSlot[] = [];
      for (let i = 0; i < archive.points; i++) {
        const at = i * POINT_SIZE;
        slots.push(at + POINT_SIZE <= bytes.byteLength ? [bytes.readUInt32BE(at + POINT_TIMESTAMP_OFFSET), bytes.readDoubleBE(at + POINT_VALUE_OFFSET)] : null);
      }
      return { secondsPerPoint: archive.secondsPerPoint, points: archive.points, offset: archive.offset, slots };
    });
    return { header, fileSize: file.size(), archives };
  });
}
