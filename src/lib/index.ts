/**
 * gph's core library: everything the commands do, usable from TypeScript without the CLI.
 */
export * from './clock.js';
export * from './errors.js';
export { aggregate } from './whisper/aggregate.js';
export { checkFile, listWhisperFiles, type FileCheck } from './whisper/check-file.js';
export { create, type CreateOptions } from './whisper/create.js';
export { diff, type ArchiveDiff, type DiffOptions } from './whisper/diff.js';
export { dump, type Dump } from './whisper/dump.js';
export { fetch, type FetchOptions, type FetchResult } from './whisper/fetch.js';
export { fill, type FillReport } from './whisper/fill.js';
export * from './whisper/format.js';
export { decodeHeader, encodeHeader } from './whisper/header.js';
export { HeaderCache } from './whisper/header-cache.js';
export { info, type FileInfo } from './whisper/info.js';
export { merge, type MergeOptions } from './whisper/merge.js';
export type { WhisperOptions } from './whisper/options.js';
export { resize, type ResizeOptions, type ResizeReport } from './whisper/resize.js';
export { parseRetentionDef, parseRetentions, validateArchiveList } from './whisper/retention.js';
export { setAggregation, setAggregationMethod, setXFilesFactor } from './whisper/set-aggregation.js';
export { update, updateMany, type Point } from './whisper/update.js';
