/**
 * whisper-dump's output: the header, each archive's info, then every raw slot as
 * "%d: %s, %10.35g".
 */
import { formatGeneral } from '../../python/py-format.js';
import { ctime, strftime } from '../../python/py-time.js';
import type { Dump } from '../dump.js';

export interface DumpTextOptions {
  pretty?: boolean;
  timeFormat?: string;
}

/** The text of whisper-dump for `dump` (slots past the end of a truncated file are not printed). */
export function formatDumpText(dump: Dump, options: DumpTextOptions = {}): string {
  const { header } = dump;
  let out = `Meta data:\n  aggregation method: ${header.aggregationMethod}\n  max retention: ${header.maxRetention}\n  xFilesFactor: ${formatGeneral(header.xFilesFactor)}\n\n`;
  header.archives.forEach((a, i) => {
    out += `Archive ${i} info:\n  offset: ${a.offset}\n  seconds per point: ${a.secondsPerPoint}\n  points: ${a.points}\n  retention: ${a.retention}\n  size: ${a.size}\n\n`;
  });
  dump.archives.forEach((archive, i) => {
    out += `Archive ${i} data:\n`;
    archive.slots.forEach((slot, index) => {
      if (!slot) return;
      const [timestamp, value] = slot;
      const time = options.pretty ? (options.timeFormat ? strftime(options.timeFormat, timestamp) : ctime(timestamp)) : String(timestamp);
      out += `${index}: ${time}, ${formatGeneral(value, 35, 10)}\n`;
    });
  });
  return out;
}
