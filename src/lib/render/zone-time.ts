/**
 * Wall-clock time in a time zone, for at-time parsing, bucket alignment and CSV timestamps.
 * UTC is computed directly; other IANA zones go through luxon, which is loaded the first time a
 * request names one (prepareZone), so the common UTC render does not pay for loading it.
 */
import { GphError, InternalError } from '../errors.js';

type Luxon = typeof import('luxon');
let luxon: Luxon | undefined;

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
}

export type Unit = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

const isUtc = (zone: string): boolean => zone === 'UTC';

function zoneLibrary(zone: string): Luxon {
  if (!luxon) throw new InternalError(`time zone support for ${zone} was not loaded (call prepareZone first)`);
  return luxon;
}

/** Loads zone support for `zone` and checks the name; throws RENDER_BAD_TIMEZONE for an unknown zone. */
export async function prepareZone(zone: string): Promise<string> {
  if (isUtc(zone)) return zone;
  luxon ??= await import('luxon');
  if (!luxon.IANAZone.isValidZone(zone)) {
    throw new GphError('RENDER_BAD_TIMEZONE', `Unknown time zone "${zone}"`, { hint: 'Give an IANA zone name such as UTC or America/New_York' });
  }
  return zone;
}

export function toWall(epochSeconds: number, zone: string): Wall {
  if (isUtc(zone)) {
    const d = new Date(epochSeconds * 1000);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() || 7 };
  }
  const { year, month, day, hour, minute, second, weekday } = zoneLibrary(zone).DateTime.fromSeconds(epochSeconds, { zone });
  return { year, month, day, hour, minute, second, weekday };
}

/** The instant of a wall-clock time in `zone`, or undefined when no such date exists (Feb 30). */
export function fromWall(year: number, month: number, day: number, hour: number, minute: number, zone: string, second = 0): number | undefined {
  if (isUtc(zone)) {
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    const d = new Date(ms);
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
    return ms / 1000;
  }
  const date = zoneLibrary(zone).DateTime.fromObject({ year, month, day, hour, minute, second }, { zone });
  return date.isValid ? date.toSeconds() : undefined;
}

/** Calendar arithmetic on a date: the date `days` later. */
export function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * graphite's `datetime(s.year, s.month, ..., tzinfo=s.tzinfo)` truncation: the wall time of
 * `epochSeconds` cut to `unit` (and `daysBack` days earlier), read with the UTC offset in force at
 * `epochSeconds` (pytz's fixed offset), even when the truncated time has another offset.
 */
export function truncateWithOffset(epochSeconds: number, zone: string, unit: Unit, daysBack = 0): number {
  const w = toWall(epochSeconds, zone);
  const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - Math.floor(epochSeconds);
  const month = unit === 'year' ? 0 : w.month - 1;
  const day = unit === 'year' || unit === 'month' ? 1 : w.day - daysBack;
  const hour = ['hour', 'minute', 'second'].includes(unit) ? w.hour : 0;
  const minute = ['minute', 'second'].includes(unit) ? w.minute : 0;
  const second = unit === 'second' ? w.second : 0;
  return Date.UTC(w.year, month, day, hour, minute, second) / 1000 - offset;
}

/** True when daylight saving time is in effect at `epochSeconds` in `zone`. */
export function isDst(epochSeconds: number, zone: string): boolean {
  return isUtc(zone) ? false : zoneLibrary(zone).DateTime.fromSeconds(epochSeconds, { zone }).isInDST;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "YYYY-MM-DD HH:MM:SS" (or without seconds) in `zone`. */
export function formatWall(epochSeconds: number, zone: string, withSeconds = true): string {
  const w = toWall(epochSeconds, zone);
  const time = `${pad(w.hour)}:${pad(w.minute)}${withSeconds ? `:${pad(w.second)}` : ''}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${time}`;
}
