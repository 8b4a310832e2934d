/**
 * merge(): copy every known point of one file into another with the same archives
 * (whisper.py merge): archive by archive, overwriting the destination where the source has data.
 */
import { GphError } from '../errors.js';
import { nowSeconds } from '../clock.js';
import { archiveFetch } from './fetch.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { assertSameLayout } from './same-layout.js';
import { writeArchiveBatch } from './update.js';
import { WhisperFile } from './whisper-file.js';

export interface MergeOptions {
  /** Start of the range to copy (default 0). */
  timeFrom?: number;
  /** End of the range to copy (default now). */
  timeTo?: number;
}

/** Returns the number of points written. Throws WHISPER_UNALIKE for files with different archives. */
export function merge(fromPath: string, toPath: string, mergeOptions: MergeOptions = {}, options: WhisperOptions = {}): number {
  const resolved = resolveOptions(options);
  return WhisperFile.with(fromPath, 'read', resolved, (source) =>
    WhisperFile.with(toPath, 'write', resolved, (target) => {
      const fromHeader = source.header();
      const toHeader = target.header();
      assertSameLayout(fromHeader, toHeader, fromPath, toPath, 'merging');
      const now = nowSeconds(resolved.clock);
      const until = mergeOptions.timeTo ?? now;
      const from = mergeOptions.timeFrom ?? 0;
      if (until < from) {
        const message = 'time_to must be >= time_from';
        throw new GphError('WHISPER_INVALID_INTERVAL', `Cannot merge "${fromPath}": the range ends (${until}) before it starts (${from})`, {
          hint: 'Give --from earlier than --until',
          reference: { type: 'ValueError', message },
        });
      }
      let written = 0;
      const archives = [...fromHeader.archives].sort((a, b) => a.retention - b.retention);
      for (const archive of archives) {
        const oldest = now - archive.retention;
        if (until < oldest) continue;
        const { timeInfo, values } = archiveFetch(source, archive, Math.max(from, oldest), until);
        const [start, end, step] = timeInfo;
        const points: Array<[number, number]> = [];
        for (let t = start, i = 0; t < end && i < values.length; t += step, i++) {
          const value = values[i];
          if (value !== null) points.push([t, value]);
        }
        if (points.length === 0) continue;
        writeArchiveBatch(target, toHeader, archive, points, resolved.compat);
        written += points.length;
      }
      return written;
    }),
  );
}
