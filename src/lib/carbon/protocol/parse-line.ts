/**
 * The plaintext protocol: one "metric value timestamp" per line (carbon MetricLineReceiver).
 * Pure: text in, a datapoint or the reason it was refused out.
 *
 * carbon's rules: strip, split on whitespace, exactly three fields, value and timestamp through
 * Python float(). gph also refuses (instead of dropping the connection, as carbon does) a NaN or
 * infinite timestamp, and leaves metric-name checks to checkMetricName.
 */
import { pyFloat } from '../../python/py-convert.js';

export interface ParsedLine {
  metric: string;
  value: number;
  timestamp: number;
}

export type LineResult = ParsedLine | { error: string };

const WHITESPACE = /[\s\u001c-\u001f\u0085]+/u;

/** Parses one line (without its newline). A timestamp in (-2, -1] means "now", as in carbon. */
export function parseLine(line: string, now: () => number): LineResult {
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
  if (Math.trunc(timestamp) === -1) timestamp = now();
  return { metric, value, timestamp };
}
