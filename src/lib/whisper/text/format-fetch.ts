/**
 * whisper-fetch's output: text lines, --pretty times and the Python-literal "--json" document,
 * plus the --drop filter. Byte-identical to the reference script.
 */
import { formatFixed6, pyListRepr } from '../../python/py-format.js';
import { ctime, strftime } from '../../python/py-time.js';
import type { FetchResult } from '../fetch.js';

export type DropMode = 'nulls' | 'zeroes' | 'empty';
export const DROP_MODES: readonly DropMode[] = ['zeroes', 'nulls', 'empty'];

/**
 * Applies --drop to the values. Like whisper-fetch, the timestamps are not kept with the values:
 * the remaining values are printed at start, start+step, ...
 */
export function dropValues(values: ReadonlyArray<number | null>, mode?: DropMode): Array<number | null> {
  if (mode === 'nulls') return values.filter((v) => v !== null);
  if (mode === 'zeroes') return values.filter((v) => v !== 0);
  if (mode === 'empty') return values.filter((v) => v !== null && v !== 0);
  return [...values];
}

export interface FetchTextOptions {
  pretty?: boolean;
  /** strftime format for --pretty. */
  timeFormat?: string;
}

/** The default text: "TIMESTAMP\tVALUE" per line, values as "%f" or None. */
export function formatFetchText(result: FetchResult, values: ReadonlyArray<number | null>, options: FetchTextOptions = {}): string {
  const [start, , step] = result.timeInfo;
  let out = '';
  values.forEach((value, i) => {
    const t = start + i * step;
    const time = options.pretty ? (options.timeFormat ? strftime(options.timeFormat, t) : ctime(t)) : String(t);
    out += `${time}\t${value === null ? 'None' : formatFixed6(value)}\n`;
  });
  return out;
}

/** whisper-fetch --json: a Python-formatted object (nan/inf are not valid JSON, as in the reference). */
export function formatFetchPythonJson(result: FetchResult, values: ReadonlyArray<number | null>): string {
  const [start, end, step] = result.timeInfo;
  return `{\n    "start" : ${start},\n    "end" : ${end},\n    "step" : ${step},\n    "values" : ${pyListRepr(values, 'null')}\n  }\n`;
}
