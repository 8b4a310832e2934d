/**
 * Python's json.dumps(obj, indent=N, separators=..., sort_keys=...) for the documents the
 * whisper-* scripts print. Python writes floats with repr() ("2.0", "NaN", "Infinity") and ints
 * without a point; JavaScript has one number type, so the keys holding floats are named.
 */
import { reprFloat } from './py-format.js';

export interface PyJsonOptions {
  indent: number;
  itemSeparator?: string;
  keySeparator?: string;
  sortKeys?: boolean;
  /** Keys whose numeric values are Python floats. */
  floatKeys?: ReadonlySet<string>;
}

function floatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return reprFloat(value);
}

/** Serialises `value` as Python's json.dumps would with these options. */
export function pyJsonDumps(value: unknown, options: PyJsonOptions): string {
  const itemSeparator = options.itemSeparator ?? ',';
  const keySeparator = options.keySeparator ?? ': ';
  const write = (item: unknown, depth: number, isFloat: boolean): string => {
    if (item === null || item === undefined) return 'null';
    if (typeof item === 'number') return isFloat ? floatText(item) : String(item);
    if (typeof item === 'string') return JSON.stringify(item);
    if (typeof item === 'boolean') return item ? 'true' : 'false';
    const pad = ' '.repeat(options.indent * (depth + 1));
    const end = ' '.repeat(options.indent * depth);
    if (Array.isArray(item)) {
      if (item.length === 0) return '[]';
      return `[\n${item.map((v) => pad + write(v, depth + 1, isFloat)).join(`${itemSeparator}\n`)}\n${end}]`;
    }
    let entries = Object.entries(item as Record<string, unknown>);
    if (options.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}${keySeparator}${write(v, depth + 1, options.floatKeys?.has(k) ?? false)}`).join(`${itemSeparator}\n`)}\n${end}}`;
  };
  return write(value, 0, false);
}

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;

/** json.dumps' string escaping with ensure_ascii (\u escapes above 0x7e, surrogate pairs for astral characters). */
export function pyJsonString(text: string): string {
  // Printable ASCII without quote or backslash (nearly every metric name) needs no escaping.
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) {
    const c = text.charCodeAt(i);
    plain = c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c;
  }
  if (plain) return `"${text}"`;
  const json = JSON.stringify(text);
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** Object keys repeat in every element of a list: their spellings are kept, up to this many. */
const MAX_KEY_SPELLINGS = 256;
const keySpellings = new Map<string, string>();

/** json.dumps(value) with Python's default separators (", " and ": ") and ensure_ascii; numbers as given. */
export function pyJsonCompact(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return pyJsonString(value);
  // Appended piece by piece (find answers hold thousands of small objects).
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + pyJsonCompact(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(object)) {
    let spelled = keySpellings.get(key);
    if (spelled === undefined) {
      spelled = pyJsonString(key);
      if (keySpellings.size < MAX_KEY_SPELLINGS) keySpellings.set(key, spelled);
    }
    out += `${first ? '' : ', '}${spelled}: ${pyJsonCompact(object[key])}`;
    first = false;
  }
  return `${out}}`;
}
