/**
 * whisper-diff's output: aligned tables, plain columns, summaries and its JSON documents.
 */
import { pyStrValue } from '../../python/py-format.js';
import { pyJsonDumps } from '../../python/py-json.js';
import type { ArchiveDiff } from '../diff.js';

export interface DiffTextOptions {
  summary?: boolean;
  /** Plain space-separated columns instead of aligned ones. */
  columns?: boolean;
  /** Leave out the first header line. */
  noHeaders?: boolean;
}

const right = (text: string | number, width: number): string => String(text).padStart(width, ' ');

/** The text whisper-diff prints for `diffs` (without --json). */
export function formatDiffText(diffs: readonly ArchiveDiff[], options: DiffTextOptions = {}): string {
  const pretty = !options.columns;
  let out = '';
  if (options.summary) {
    const row = (a: string | number, b: string | number, c: string | number): string => (pretty ? `${right(a, 7)} ${right(b, 9)} ${right(c, 9)}\n` : `${a} ${b} ${c}\n`);
    if (!options.noHeaders) out += row('archive', 'total', 'differing');
    for (const d of diffs) out += row(d.archive, d.total, d.diffs.length);
    return out;
  }
  const header = (first: string): string => (pretty ? `${right(first, 7)} ${right('timestamp', 11)} ${right('value_a', 13)} ${right('value_b', 13)}\n` : `${first} timestamp value_a value_b\n`);
  if (!options.noHeaders) out += header('archive');
  for (const d of diffs) {
    if (pretty) out += `Archive ${d.archive} (${d.diffs.length} of ${d.total} datapoints differ)\n${header('')}`;
    for (const [t, a, b] of d.diffs) {
      out += pretty ? `${right('', 7)} ${right(t, 11)} ${right(pyStrValue(a), 13)} ${right(pyStrValue(b), 13)}\n` : `${d.archive} ${t} ${pyStrValue(a)} ${pyStrValue(b)}\n`;
    }
  }
  return out;
}

/** whisper-diff --json (with --summary: without the datapoints). */
export function formatDiffJson(diffs: readonly ArchiveDiff[], pathA: string, pathB: string, summary = false): string {
  const archives = diffs.map((d) => ({
    archive: d.archive,
    total: d.total,
    points: d.diffs.length,
    ...(summary ? {} : { datapoint: d.diffs.map(([timestamp, a, b]) => ({ timestamp, value_a: a, value_b: b })) }),
  }));
  return `${pyJsonDumps({ path_a: pathA, path_b: pathB, archives }, { indent: 2, keySeparator: ' : ', sortKeys: true, floatKeys: new Set(['value_a', 'value_b']) })}\n`;
}
