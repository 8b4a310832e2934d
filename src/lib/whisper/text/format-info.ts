/**
 * whisper-info's output: "key: value" text, the json.dumps document, and single fields.
 */
import { reprFloat } from '../../python/py-format.js';
import { pyJsonDumps } from '../../python/py-json.js';
import type { FileInfo } from '../info.js';

export const INFO_FIELDS = ['aggregationMethod', 'maxRetention', 'xFilesFactor', 'archives', 'fileSize'] as const;

function archiveEntries(info: FileInfo): Array<Record<string, number>> {
  return info.archives.map((a) => ({ offset: a.offset, secondsPerPoint: a.secondsPerPoint, points: a.points, retention: a.retention, size: a.size }));
}

/** The default text of whisper-info. */
export function formatInfoText(info: FileInfo): string {
  let out = `aggregationMethod: ${info.aggregationMethod}\nmaxRetention: ${info.maxRetention}\nxFilesFactor: ${reprFloat(info.xFilesFactor)}\nfileSize: ${info.fileSize}\n\n`;
  info.archives.forEach((archive, i) => {
    out += `Archive ${i}\noffset: ${archive.offset}\nsecondsPerPoint: ${archive.secondsPerPoint}\npoints: ${archive.points}\nretention: ${archive.retention}\nsize: ${archive.size}\n\n`;
  });
  return out;
}

/** whisper-info --json. xFilesFactor is a Python float, the rest are ints. */
export function formatInfoJson(info: FileInfo): string {
  const document = { aggregationMethod: info.aggregationMethod, maxRetention: info.maxRetention, xFilesFactor: info.xFilesFactor, archives: archiveEntries(info), fileSize: info.fileSize };
  return `${pyJsonDumps(document, { indent: 2, floatKeys: new Set(['xFilesFactor']) })}\n`;
}

/** whisper-info PATH FIELD: str() of one field, or undefined for an unknown field. */
export function formatInfoField(info: FileInfo, field: string): string | undefined {
  switch (field) {
    case 'aggregationMethod':
      return info.aggregationMethod;
    case 'maxRetention':
      return String(info.maxRetention);
    case 'xFilesFactor':
      return reprFloat(info.xFilesFactor);
    case 'fileSize':
      return String(info.fileSize);
    case 'archives':
      return `[${archiveEntries(info)
        .map((a) => `{${Object.entries(a).map(([k, v]) => `'${k}': ${v}`).join(', ')}}`)
        .join(', ')}]`;
    default:
      return undefined;
  }
}
