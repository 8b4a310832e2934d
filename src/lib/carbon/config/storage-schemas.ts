/**
 * storage-schemas.conf and storage-aggregation.conf (carbon lib/carbon/storage.py): sections in
 * file order, the first whose `pattern` regex matches the metric name (unanchored search) wins,
 * and an implicit last default. Retentions use carbon's stricter units (s, m, h, d, w, y).
 */
import fs from 'node:fs';
import { GphError, fileSystemError } from '../../errors.js';
import type { AggregationMethod, ArchiveSpec } from '../../whisper/format.js';
import { isAggregationMethod } from '../../whisper/format.js';
import { validateArchiveList } from '../../whisper/retention.js';
import { parseIni } from './parse-ini.js';

export interface StorageSchema {
  name: string;
  pattern: RegExp;
  archives: ArchiveSpec[];
  /** The retention text, for logs. */
  retentions: string;
}

export interface AggregationRule {
  name: string;
  pattern: RegExp;
  xFilesFactor?: number;
  aggregationMethod?: AggregationMethod;
}

/** carbon's implicit last schema: one minute for seven days. */
export const DEFAULT_SCHEMA: StorageSchema = { name: 'default', pattern: /(?:)/, archives: [{ secondsPerPoint: 60, points: 10080 }], retentions: '60:10080' };

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Parses one carbon retention "10s:6h" (carbon's util.parseRetentionDef: units s m h d w y only). */
export function parseCarbonRetention(text: string, source: string): ArchiveSpec {
  const bad = (): GphError =>
    new GphError('CONFIG_VALUE', `Cannot parse retention "${text}" in ${source}`, { path: source, hint: 'Write PRECISION:DURATION with units s, m, h, d, w or y, e.g. 10s:6h' });
  const [precisionText, durationText, extra] = text.trim().split(':');
  if (precisionText === undefined || durationText === undefined || extra !== undefined) throw bad();
  const amount = (part: string): number => {
    const match = /^(\d+)([smhdwy]?)$/.exec(part.trim());
    if (!match) throw bad();
    return Number(match[1]) * (match[2] ? UNIT_SECONDS[match[2]] : 1);
  };
  const secondsPerPoint = amount(precisionText);
  if (secondsPerPoint <= 0) throw bad();
  const points = /^\d+$/.test(durationText.trim()) ? Number(durationText) : Math.floor(amount(durationText) / secondsPerPoint);
  return { secondsPerPoint, points };
}

function compilePattern(pattern: string, section: string, source: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (cause) {
    throw new GphError('CONFIG_VALUE', `Cannot compile pattern "${pattern}" of [${section}] in ${source}`, { path: source, cause, hint: 'Write a regular expression, e.g. ^servers\\.' });
  }
}

function readText(filePath: string): string {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw fileSystemError(error, filePath, 'read');
  }
}

/**
 * Parses storage-schemas.conf text. Sections without pattern or retentions, or whose archives
 * break whisper's rules, are skipped and reported through `warn` (as carbon logs them).
 */
export function parseStorageSchemas(text: string, source: string, warn: (message: string) => void = () => {}): StorageSchema[] {
  const schemas: StorageSchema[] = [];
  for (const section of parseIni(text, source)) {
    const pattern = section.entries.get('pattern');
    const retentions = section.entries.get('retentions');
    if (pattern === undefined || retentions === undefined) {
      warn(`Schema [${section.name}] in ${source} has no ${pattern === undefined ? 'pattern' : 'retentions'}; skipping it`);
      continue;
    }
    const archives = retentions.split(',').map((r) => parseCarbonRetention(r, source));
    try {
      validateArchiveList(archives);
    } catch (error) {
      warn(`Schema [${section.name}] in ${source} is not a valid whisper layout (${(error as Error).message}); skipping it`);
      continue;
    }
    schemas.push({ name: section.name, pattern: compilePattern(pattern, section.name, source), archives, retentions });
  }
  return schemas;
}

/** Parses storage-aggregation.conf text. */
export function parseStorageAggregation(text: string, source: string, warn: (message: string) => void = () => {}): AggregationRule[] {
  const rules: AggregationRule[] = [];
  for (const section of parseIni(text, source)) {
    const pattern = section.entries.get('pattern');
    if (pattern === undefined) {
      warn(`Aggregation rule [${section.name}] in ${source} has no pattern; skipping it`);
      continue;
    }
    const rule: AggregationRule = { name: section.name, pattern: compilePattern(pattern, section.name, source) };
    const xff = section.entries.get('xfilesfactor');
    if (xff !== undefined) {
      const value = Number(xff);
      if (!(value >= 0 && value <= 1)) throw new GphError('CONFIG_VALUE', `Cannot use xFilesFactor = ${xff} in [${section.name}] of ${source}`, { path: source, hint: 'Give a number between 0 and 1' });
      rule.xFilesFactor = value;
    }
    const method = section.entries.get('aggregationmethod');
    if (method !== undefined) {
      if (!isAggregationMethod(method)) throw new GphError('CONFIG_VALUE', `Cannot use aggregationMethod = ${method} in [${section.name}] of ${source}`, { path: source, hint: 'Use average, sum, last, max, min, avg_zero, absmax or absmin' });
      rule.aggregationMethod = method;
    }
    rules.push(rule);
  }
  return rules;
}

/** Reads a schemas file from disk. */
export function loadStorageSchemas(filePath: string, warn?: (message: string) => void): StorageSchema[] {
  return parseStorageSchemas(readText(filePath), filePath, warn);
}

/** Reads an aggregation file from disk; a missing file means no rules, as in carbon. */
export function loadStorageAggregation(filePath: string, warn?: (message: string) => void): AggregationRule[] {
  if (!fs.existsSync(filePath)) return [];
  return parseStorageAggregation(readText(filePath), filePath, warn);
}

/** The schema for `metric`: the first match, else carbon's default. */
export function matchSchema(schemas: readonly StorageSchema[], metric: string): StorageSchema {
  return schemas.find((s) => s.pattern.test(metric)) ?? DEFAULT_SCHEMA;
}

/** The aggregation for `metric`: the first matching rule's settings, whisper's defaults otherwise. */
export function matchAggregation(rules: readonly AggregationRule[], metric: string): { xFilesFactor: number; aggregationMethod: AggregationMethod } {
  const rule = rules.find((r) => r.pattern.test(metric));
  return { xFilesFactor: rule?.xFilesFactor ?? 0.5, aggregationMethod: rule?.aggregationMethod ?? 'average' };
}

/** gph's embedded storage-schemas.conf (as Debian ships it). */
export const EMBEDDED_SCHEMAS_CONF = `[carbon]
pattern = ^carbon\\.
retentions = 60:90d

[default]
pattern = .*
retentions = 60s:1d,5m:30d,1h:3y
`;

/** gph's embedded storage-aggregation.conf (carbon's example). */
export const EMBEDDED_AGGREGATION_CONF = `[min]
pattern = \\.min$
xFilesFactor = 0.1
aggregationMethod = min

[max]
pattern = \\.max$
xFilesFactor = 0.1
aggregationMethod = max

[sum]
pattern = \\.count$
xFilesFactor = 0
aggregationMethod = sum

[default_average]
pattern = .*
xFilesFactor = 0.5
aggregationMethod = average
`;
