/**
 * Retention definitions ("60:1440", "1m:1d", "10s:6h,1m:7d") and the archive-list rules of
 * whisper.py's parseRetentionDef and validateArchiveList, with the same messages.
 */
import { GphError } from '../errors.js';
import type { ArchiveSpec } from './format.js';

const UNIT_SECONDS: ReadonlyArray<[string, number]> = [
  ['seconds', 1],
  ['minutes', 60],
  ['hours', 3600],
  ['days', 86_400],
  ['weeks', 604_800],
  ['years', 31_536_000],
];
const AMOUNT_WITH_UNIT = /^(\d+)([a-z]+)$/;
const DIGITS = /^\d+$/;
const RETENTION_HINT = 'Write SECONDS_PER_POINT:POINTS or with units, e.g. 60:1440, 1m:1d or 10s:6h';

function retentionError(message: string, text: string): GphError {
  return new GphError('WHISPER_INVALID_RETENTION', `Cannot parse retention "${text}": ${message}`, {
    hint: RETENTION_HINT,
    reference: { type: 'ValueError', message },
  });
}

function unitSeconds(unit: string, text: string): number {
  const found = UNIT_SECONDS.find(([name]) => name.startsWith(unit));
  if (!found) throw retentionError(`Invalid unit '${unit}'`, text);
  return found[1];
}

/** Python's str.isdigit() for ASCII input. */
const isDigits = (s: string): boolean => DIGITS.test(s);

/** Parses one "PRECISION:RETENTION" definition into an archive spec (parseRetentionDef). */
export function parseRetentionDef(definition: string): ArchiveSpec {
  const stripped = definition.trim();
  const colon = stripped.indexOf(':');
  if (colon < 0) throw retentionError(`Invalid retention definition '${definition}'`, definition);
  const precisionText = stripped.slice(0, colon);
  const pointsText = stripped.slice(colon + 1);
  let secondsPerPoint: number;
  if (isDigits(precisionText)) {
    secondsPerPoint = Number(precisionText);
  } else {
    const match = AMOUNT_WITH_UNIT.exec(precisionText);
    if (!match) throw retentionError(`Invalid precision specification '${precisionText}'`, definition);
    secondsPerPoint = Number(match[1]) * unitSeconds(match[2], definition);
  }
  let points: number;
  if (isDigits(pointsText)) {
    points = Number(pointsText);
  } else {
    const match = AMOUNT_WITH_UNIT.exec(pointsText);
    if (!match) throw retentionError(`Invalid retention specification '${pointsText}'`, definition);
    const seconds = Number(match[1]) * unitSeconds(match[2], definition);
    if (secondsPerPoint === 0) {
      throw new GphError('WHISPER_INVALID_RETENTION', `Cannot parse retention "${definition}": precision is 0 seconds`, {
        hint: RETENTION_HINT,
        reference: { type: 'ZeroDivisionError', message: 'integer division or modulo by zero' },
      });
    }
    points = Math.floor(seconds / secondsPerPoint);
  }
  return { secondsPerPoint, points };
}

/** Parses a comma-separated list of definitions, e.g. "10s:6h,1m:7d,10m:5y". */
export function parseRetentions(text: string): ArchiveSpec[] {
  return text.split(',').map((part) => parseRetentionDef(part));
}

function configError(message: string): GphError {
  return new GphError('WHISPER_INVALID_CONFIG', message, {
    hint: 'Each lower-precision archive needs a precision that is a multiple of the one before, a longer retention and enough points to consolidate into',
    reference: { type: 'InvalidConfiguration', message },
  });
}

const tuple = (a: ArchiveSpec): string => `(${a.secondsPerPoint}, ${a.points})`;

/**
 * Sorts `archives` by precision (in place, as whisper.py does) and checks the rules every
 * whisper file must follow. Returns the same array. Throws WHISPER_INVALID_CONFIG.
 */
export function validateArchiveList(archives: ArchiveSpec[]): ArchiveSpec[] {
  if (archives.length === 0) throw configError('You must specify at least one archive configuration!');
  archives.sort((a, b) => a.secondsPerPoint - b.secondsPerPoint);
  for (let i = 0; i + 1 < archives.length; i++) {
    const archive = archives[i];
    const next = archives[i + 1];
    if (!(archive.secondsPerPoint < next.secondsPerPoint)) {
      throw configError(
        `A Whisper database may not be configured having two archives with the same precision (archive${i}: ${tuple(archive)}, archive${i + 1}: ${tuple(next)})`,
      );
    }
    if (next.secondsPerPoint % archive.secondsPerPoint !== 0) {
      throw configError(
        `Higher precision archives' precision must evenly divide all lower precision archives' precision (archive${i}: ${archive.secondsPerPoint}, archive${i + 1}: ${next.secondsPerPoint})`,
      );
    }
    const retention = archive.secondsPerPoint * archive.points;
    const nextRetention = next.secondsPerPoint * next.points;
    if (!(nextRetention > retention)) {
      throw configError(
        `Lower precision archives must cover larger time intervals than higher precision archives (archive${i}: ${retention} seconds, archive${i + 1}: ${nextRetention} seconds)`,
      );
    }
    const pointsPerConsolidation = Math.floor(next.secondsPerPoint / archive.secondsPerPoint);
    if (!(archive.points >= pointsPerConsolidation)) {
      throw configError(
        `Each archive must have at least enough points to consolidate to the next archive (archive${i + 1} consolidates ${pointsPerConsolidation} of archive${i}'s points but it has only ${archive.points} total points)`,
      );
    }
  }
  return archives;
}
