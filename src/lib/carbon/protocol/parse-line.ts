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

function finish(metric: string, value: number, timestamp: number, timestampText: string, now: () => number): LineResult {
  if (!Number.isFinite(timestamp)) return { error: `timestamp "${timestampText}" is not finite` };
  return { metric, value, timestamp: Math.trunc(timestamp) === -1 ? now() : timestamp };
}

/** Parses one line (without its newline). A timestamp in (-2, -1] means "now", as in carbon. */
export function parseLine(line: string, now: () => number): LineResult {
  // Fast path: "metric value timestamp" with single spaces and plain numbers.
  const first = line.indexOf(' ');
  if (first > 0) {
    const second = line.indexOf(' ', first + 1);
    if (second > first + 1 && line.indexOf(' ', second + 1) < 0) {
      let end = line.length;
      if (line.charCodeAt(end - 1) === 13) end--; // "\r\n" line ends
      const metric = line.slice(0, first);
      const value = plainNumber(line.slice(first + 1, second));
      const timestampText = line.slice(second + 1, end);
      const timestamp = plainNumber(timestampText);
      if (value !== undefined && timestamp !== undefined && !WHITESPACE.test(metric) && line.charCodeAt(0) !== SPACE) return finish(metric, value, timestamp, timestampText, now);
    }
  }
  return parseLineGeneral(line, now);
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
  return finish(metric, value, timestamp, timestampText, now);
}
