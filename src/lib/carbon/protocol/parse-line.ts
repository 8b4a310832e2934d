/**
 * The plaintext protocol: one "metric value timestamp" per line (carbon MetricLineReceiver).
 * Pure: text in, a datapoint or the reason it was refused out.
 *
 * carbon's rules: strip, split on whitespace, exactly three fields, value and timestamp through
 * Python float(). gph also refuses (instead of dropping the connection, as carbon does) a NaN or
 * infinite timestamp, and leaves metric-name checks to checkMetricName. The common case, single
 * spaces and plain decimal numbers, takes a fast path; anything else goes through the general one.
 */
import { pyFloat } from '../../python/py-convert.js';
import { plainNameEnd } from '../metric-name.js';

export interface ParsedLine {
  metric: string;
  value: number;
  timestamp: number;
}

export type LineResult = ParsedLine | { error: string };

const WHITESPACE = /[\s\u001c-\u001f\u0085]+/u;
const SPACE = 32;

/** A plain decimal number ("-12", "1.5", "1e-3") that Number() reads exactly as Python's float(); else undefined. */
function plainNumber(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length > 40) return undefined;
  let digits = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c !== 46 && c !== 45 && c !== 43 && c !== 101 && c !== 69) return undefined; // . - + e E
  }
  if (digits === 0) return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/** 10^k for k = 0..22: every one is exact, so m / 10^k is correctly rounded for an exact m. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * text[from, to) as a number when it is a plain decimal ("12", "-0.5", "3.", ".25") of at most 15
 * digits, read without making a string: m / 10^k with m and 10^k exact is the correctly rounded
 * value, the same double Python's float() gives. Anything else (exponents, long digit runs,
 * stray characters) goes to plainNumber.
 */
function decimalAt(text: string, from: number, to: number): number | undefined {
  let at = from;
  let negative = false;
  const first = text.charCodeAt(at);
  if (first === 45 || first === 43) {
    negative = first === 45;
    at++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; at < to; at++) {
    const c = text.charCodeAt(at);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (c === 46 && fractionDigits < 0) fractionDigits = 0;
    else return plainNumber(text.slice(from, to));
  }
  if (digits === 0 || digits > 15) return digits === 0 ? undefined : plainNumber(text.slice(from, to));
  const value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : mantissa;
  return negative ? -value : value;
}

/** Receives a parsed point; `plainName` says the metric name passed isPlainMetricName (so it need not be checked again). */
export type TakePoint = (metric: string, value: number, timestamp: number, plainName: boolean) => void;

/**
 * Parses the line text[start, end) (without its newline) and hands the point to `take`: undefined
 * when it was taken, else why not. The receivers parse every line where it lies in the chunk's
 * text, so a line costs no string but its metric name and no result object. A timestamp in
 * (-2, -1] means "now", as in carbon.
 */
export function parseLineAt(text: string, start: number, end: number, now: () => number, take: TakePoint): string | undefined {
  // Fast path: "metric value timestamp" with single spaces and plain numbers. The spaces are
  // looked for within the line only (a search past its end made a chunk of lines without spaces
  // quadratic); a third space makes the timestamp's decimalAt fail, as any other stray character
  // does, and the line goes to the general parser.
  const scanned = plainNameEnd(text, start, end);
  const plainName = scanned >= 0;
  const first = plainName ? scanned : ~scanned;
  if (first > start && first < end) {
    let second = first + 1;
    while (second < end && text.charCodeAt(second) !== SPACE) second++;
    if (second > first + 1 && second < end) {
      let stop = end;
      if (text.charCodeAt(stop - 1) === 13) stop--; // "\r\n" line ends
      const value = decimalAt(text, first + 1, second);
      const timestamp = value === undefined ? undefined : decimalAt(text, second + 1, stop);
      if (timestamp !== undefined) {
        const metric = text.slice(start, first);
        if (plainName || !WHITESPACE.test(metric)) {
          if (!Number.isFinite(timestamp)) return `timestamp "${text.slice(second + 1, stop)}" is not finite`;
          take(metric, value!, Math.trunc(timestamp) === -1 ? now() : timestamp, plainName);
          return undefined;
        }
      }
    }
  }
  const parsed = parseLineGeneral(start === 0 && end === text.length ? text : text.slice(start, end), now);
  if ('error' in parsed) return parsed.error;
  take(parsed.metric, parsed.value, parsed.timestamp, false);
  return undefined;
}

/** Parses one line (without its newline): the datapoint, or why not. */
export function parseLine(line: string, now: () => number): LineResult {
  let result: ParsedLine | undefined;
  const error = parseLineAt(line, 0, line.length, now, (metric, value, timestamp) => (result = { metric, value, timestamp }));
  return error === undefined ? result! : { error };
}

/** The general parser (every whitespace, every Python float form); parseLine() agrees with it on every line. */
export function parseLineGeneral(line: string, now: () => number): LineResult {
  const trimmed = line.trim();
  if (trimmed === '') return { error: 'empty line' };
  const fields = trimmed.split(WHITESPACE);
  if (fields.length !== 3) return { error: `expected 3 fields (metric value timestamp), got ${fields.length}` };
  const [metric, valueText, timestampText] = fields;
  let value: number;
  let timestamp: number;
  try {
    value = pyFloat(valueText);
  } catch {
    return { error: `value "${valueText}" is not a number` };
  }
  try {
    timestamp = pyFloat(timestampText);
  } catch {
    return { error: `timestamp "${timestampText}" is not a number` };
  }
  if (!Number.isFinite(timestamp)) return { error: `timestamp "${timestampText}" is not finite` };
  return { metric, value, timestamp: Math.trunc(timestamp) === -1 ? now() : timestamp };
}
