/**
 * setAggregationMethod() and setXFilesFactor(): rewrite the 16-byte metadata block in place
 * (whisper.py __setAggregation).
 */
import type { AggregationMethod } from './format.js';
import { encodeMetadata } from './header.js';
import { checkAggregationMethod, checkXFilesFactor } from './create.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { WhisperFile } from './whisper-file.js';

/** The settings before the change. */
export interface AggregationSettings {
  aggregationMethod: AggregationMethod;
  xFilesFactor: number;
}

/**
 * Changes the aggregation method and/or xFilesFactor of `path`; undefined keeps the current one.
 * Returns the old settings (xFilesFactor as stored, i.e. float32 widened).
 */
export function setAggregation(path: string, method?: string, xFilesFactor?: number | string, options: WhisperOptions = {}): AggregationSettings {
  const resolved = resolveOptions(options);
  return WhisperFile.with(path, 'write', resolved, (file) => {
    const header = file.header();
    const newMethod = checkAggregationMethod(method ?? header.aggregationMethod, path);
    const newXff = checkXFilesFactor(xFilesFactor ?? header.xFilesFactor, resolved.compat, path);
    file.write(0, encodeMetadata(newMethod, header.maxRetention, newXff, header.archives.length));
    resolved.headerCache?.delete(path);
    return { aggregationMethod: header.aggregationMethod, xFilesFactor: header.xFilesFactor };
  });
}

/** Changes the aggregation method (and optionally xFilesFactor); returns the old method. */
export function setAggregationMethod(path: string, method: string, xFilesFactor?: number | string, options: WhisperOptions = {}): AggregationMethod {
  return setAggregation(path, method, xFilesFactor, options).aggregationMethod;
}

/** Changes xFilesFactor; returns the old value. */
export function setXFilesFactor(path: string, xFilesFactor: number | string, options: WhisperOptions = {}): number {
  return setAggregation(path, undefined, xFilesFactor, options).xFilesFactor;
}
