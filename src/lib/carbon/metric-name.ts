/**
 * Metric names and where their whisper files live (carbon's TaggedSeries.encode and
 * database.getFilesystemPath): dots become directories under the data directory, and tagged
 * series ("name;tag=value") live under _tagged/ by the sha256 of their normalised name.
 *
 * Unlike carbon, gph refuses names that would map two metrics to one file or leave the tree:
 * empty components ("a..b", leading or trailing dots), "/", NUL and other control characters,
 * components over 255 bytes, and names over MAX_METRIC_NAME_BYTES.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** Longest accepted metric name in bytes. */
export const MAX_METRIC_NAME_BYTES = 4096;
/** Longest file-name component (Linux NAME_MAX), before ".wsp". */
export const MAX_COMPONENT_BYTES = 251;

const CONTROL = /[\u0000-\u001f\u007f]/;
const TAG_KEY_FORBIDDEN = /[;!^=]/;

/**
 * True for the common name that checkMetricName accepts at a glance: printable ASCII other than
 * "/" and ";", no empty component, components and name within their limits; one pass, no
 * allocation. False means "check it properly", not "refused".
 */
export function isPlainMetricName(name: string): boolean {
  return plainNameEnd(name, 0, name.length) === name.length;
}

/**
 * Reads a name from text[start, end) up to its first space (the line protocol's separator): the
 * space's index (or `end`) when the name before it is plain (isPlainMetricName), else its bitwise
 * complement (negative). One pass for both, so the line parser needs no other search.
 */
export function plainNameEnd(text: string, start: number, end: number): number {
  let plain = true;
  let componentStart = start;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) break;
    if (c === 0x2e) {
      if (i === componentStart) plain = false;
      componentStart = i + 1;
    } else if (c < 0x20 || c >= 0x7f || c === 0x2f || c === 0x3b) plain = false;
    else if (i - componentStart >= MAX_COMPONENT_BYTES) plain = false;
  }
  const length = i - start;
  return plain && length > 0 && length <= MAX_METRIC_NAME_BYTES && componentStart < i ? i : ~i;
}

/** Why `name` is refused, or undefined when it is a usable metric name. */
export function checkMetricName(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (Buffer.byteLength(name) > MAX_METRIC_NAME_BYTES) return `name longer than ${MAX_METRIC_NAME_BYTES} bytes`;
  if (CONTROL.test(name)) return 'control character in name';
  if (name.includes('/')) return '"/" in name';
  const base = name.split(';')[0];
  const components = base.split('.');
  if (components.some((c) => c === '')) return 'empty path component (leading, trailing or double dot)';
  if (components.some((c) => Buffer.byteLength(c) > MAX_COMPONENT_BYTES)) return `path component longer than ${MAX_COMPONENT_BYTES} bytes`;
  if (name.includes(';')) return checkTags(name);
  return undefined;
}

function checkTags(name: string): string | undefined {
  for (const tag of name.split(';').slice(1)) {
    const eq = tag.indexOf('=');
    if (eq <= 0) return `tag "${tag}" is not key=value`;
    const key = tag.slice(0, eq);
    const value = tag.slice(eq + 1);
    if (TAG_KEY_FORBIDDEN.test(key)) return `tag key "${key}" contains one of ; ! ^ =`;
    if (value === '' || value.startsWith('~')) return `tag value of "${key}" is empty or starts with ~`;
  }
  return undefined;
}

/** carbon's normal form of a tagged series: the name, then the tags sorted by key. */
export function normalizeMetricName(name: string): string {
  if (!name.includes(';')) return name;
  const [base, ...tags] = name.split(';');
  const byKey = new Map(tags.map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)] as const));
  return [base, ...[...byKey.keys()].sort().map((key) => `${key}=${byKey.get(key)}`)].join(';');
}

/**
 * The whisper file of a checked metric name under `dataDir`. A tagged series lives under
 * _tagged/<sha256[0:3]>/<sha256[3:6]>/, named by the sha256 of its normal form, or, with carbon's
 * TAG_HASH_FILENAMES = False, by that normal form with every "." written as "_DOT_".
 */
export function metricFilePath(dataDir: string, name: string, hashFilenames = true): string {
  if (name.includes(';')) {
    const normal = normalizeMetricName(name);
    const digest = createHash('sha256').update(normal).digest('hex');
    const file = hashFilenames ? digest : normal.replaceAll('.', '_DOT_');
    return path.join(dataDir, '_tagged', digest.slice(0, 3), digest.slice(3, 6), `${file}.wsp`);
  }
  return `${path.join(dataDir, ...name.split('.'))}.wsp`;
}
