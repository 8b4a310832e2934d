/**
 * graphite's at-time syntax (render/attime.py): `-1d`, `now-90min`, `23:00_20231231`, `20231231`,
 * `noon yesterday`, `teatime`, `jan1`, `monday`, epoch seconds. Absolute forms are read in a time
 * zone (IANA name); offsets are exact seconds added to the reference instant.
 */
import { GphError } from '../errors.js';
import { addDays, fromWall, toWall } from './zone-time.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function timeError(text: string, reason: string): GphError {
  return new GphError('RENDER_BAD_TIME', `Invalid time "${text}": ${reason}`, {
    hint: 'Use graphite at-time syntax: -2h, now-90min, 23:00_20231231, 20231231, midnight, yesterday or epoch seconds',
  });
}

function pyInt(text: string, whole: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(text)) throw timeError(whole, `"${text}" is not a number`);
  return Number.parseInt(text, 10);
}

function unitOf(unit: string, whole: string): number {
  // getUnitString checks s, min, h, d, w, mon, y in this order.
  if (unit.startsWith('s')) return 1;
  if (unit.startsWith('min')) return 60;
  if (unit.startsWith('h')) return 3600;
  if (unit.startsWith('d')) return 86400;
  if (unit.startsWith('w')) return 604800;
  if (unit.startsWith('mon')) return 30 * 86400;
  if (unit.startsWith('y')) return 365 * 86400;
  throw timeError(whole, `invalid offset unit '${unit}' (use s, min, h, d, w, mon or y)`);
}

/** parseTimeOffset: "-1h30min" -> -5400 seconds; "" -> 0. */
export function parseTimeOffset(offset: string, whole = offset): number {
  if (!offset) return 0;
  let sign = 1;
  let rest = offset;
  if (!/^\d/.test(rest)) {
    if (rest[0] === '+') sign = 1;
    else if (rest[0] === '-') sign = -1;
    else throw timeError(whole, `invalid offset "${offset}"`);
    rest = rest.slice(1);
  }
  let total = 0;
  while (rest) {
    const digits = /^\d*/.exec(rest)![0];
    if (!digits) throw timeError(whole, `expected a number in "${offset}"`);
    rest = rest.slice(digits.length);
    const unit = /^[a-zA-Z]*/.exec(rest)![0];
    rest = rest.slice(unit.length);
    total += sign * Number(digits) * unitOf(unit, whole);
  }
  return total;
}

/** An interval argument of a render function ("1h", "15min", "-1d") in seconds. */
export function parseInterval(text: string): number {
  return parseTimeOffset(text.trim().toLowerCase().replace(/[_, ]/g, ''), text);
}

function localDate(year: number, month: number, day: number, hour: number, minute: number, zone: string, whole: string): number {
  const epoch = fromWall(year, month, day, hour, minute, zone);
  if (epoch === undefined) throw timeError(whole, `no such date ${year}-${month}-${day}`);
  return epoch;
}

/** parseTimeReference: the instant named by `ref` (without offset). */
export function parseTimeReference(ref: string, zone: string, now: number, whole = ref): number {
  if (!ref || ref === 'now') return now;
  const nowDate = toWall(now, zone);
  let rest = ref;
  let hour = 0;
  let minute = 0;
  let i = rest.indexOf(':');
  if (i > 0 && i < 3) {
    hour = pyInt(rest.slice(0, i), whole);
    minute = pyInt(rest.slice(i + 1, i + 3), whole);
    rest = rest.slice(i + 3);
    if (rest.startsWith('am')) rest = rest.slice(2);
    else if (rest.startsWith('pm')) {
      hour = (hour + 12) % 24;
      rest = rest.slice(2);
    }
  }
  i = rest.indexOf('am');
  if (i > 0 && i < 3) {
    hour = pyInt(rest.slice(0, i), whole);
    rest = rest.slice(i + 2);
  }
  i = rest.indexOf('pm');
  if (i > 0 && i < 3) {
    hour = (pyInt(rest.slice(0, i), whole) + 12) % 24;
    rest = rest.slice(i + 2);
  }
  if (rest.startsWith('noon')) {
    [hour, minute, rest] = [12, 0, rest.slice(4)];
  } else if (rest.startsWith('midnight')) {
    [hour, minute, rest] = [0, 0, rest.slice(8)];
  } else if (rest.startsWith('teatime')) {
    [hour, minute, rest] = [16, 0, rest.slice(7)];
  }
  if (hour > 23 || minute > 59) throw timeError(whole, `hour ${hour} or minute ${minute} out of range`);
  let { year, month, day } = nowDate;
  const shiftDays = (days: number): void => {
    ({ year, month, day } = addDays(year, month, day, days));
  };
  if (rest === 'yesterday' || rest === 'today' || rest === 'tomorrow') {
    if (rest === 'yesterday') shiftDays(-1);
    if (rest === 'tomorrow') shiftDays(1);
  } else if (rest.split('/').length === 3) {
    const [m, d, yText] = rest.split('/');
    let y = pyInt(yText, whole);
    if (y < 1900) y += 1900;
    if (y < 1970) y += 100;
    return localDate(y, pyInt(m, whole), pyInt(d, whole), hour, minute, zone, whole);
  } else if (rest.length === 8 && /^\d+$/.test(rest)) {
    return localDate(Number(rest.slice(0, 4)), Number(rest.slice(4, 6)), Number(rest.slice(6, 8)), hour, minute, zone, whole);
  } else if (MONTHS.includes(rest.slice(0, 3))) {
    const d = /\d\d$/.test(rest) ? Number(rest.slice(-2)) : /\d$/.test(rest) ? Number(rest.slice(-1)) : undefined;
    if (d === undefined) throw timeError(whole, 'day of month required after month name');
    return localDate(year, MONTHS.indexOf(rest.slice(0, 3)) + 1, d, hour, minute, zone, whole);
  } else if (WEEKDAYS.includes(rest.slice(0, 3))) {
    const today = new Date(Date.UTC(year, month - 1, day)).getUTCDay(); // Sunday = 0, as graphite's list
    let offset = today - WEEKDAYS.indexOf(rest.slice(0, 3));
    if (offset < 0) offset += 7;
    shiftDays(-offset);
  } else if (rest) {
    throw timeError(whole, `unknown day reference "${ref}"`);
  }
  return localDate(year, month, day, hour, minute, zone, whole);
}

/** parseATTime(s, tz, now): epoch seconds. */
export function parseATTime(text: string, zone: string, now: number): number {
  const s = text.trim().toLowerCase().replace(/[_, ]/g, '');
  if (s === '') return now;
  if (/^\d+$/.test(s)) {
    const isDate = s.length === 8 && Number(s.slice(0, 4)) > 1900 && Number(s.slice(4, 6)) < 13 && Number(s.slice(6)) < 32;
    if (!isDate) return Number(s);
  }
  let ref = s;
  let offset = '';
  const plus = s.indexOf('+');
  const minus = s.indexOf('-');
  if (plus >= 0) [ref, offset] = [s.slice(0, plus), s.slice(plus)];
  else if (minus >= 0) [ref, offset] = [s.slice(0, minus), s.slice(minus)];
  return parseTimeReference(ref, zone, now, text) + parseTimeOffset(offset, text);
}
