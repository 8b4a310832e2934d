/**
 * Where render data comes from: the whisper tree (found with graphite's globs, read with gph's
 * whisper library) merged with points still held by carbon caches (carbonlink), as graphite-web's
 * StandardFinder + WhisperReader + merge_with_carbonlink do. Results are cached per request.
 */
import { FixedClock } from '../clock.js';
import fs from 'node:fs';
import { fileSystemError, isGphError } from '../errors.js';
import { fileFetchUnboxed } from '../whisper/fetch.js';
import { type ResolvedOptions, resolveOptions } from '../whisper/options.js';
import { WhisperFile } from '../whisper/whisper-file.js';
import type { CarbonlinkPool } from '../carbon/carbonlink/carbonlink-client.js';
import { type ClusterFanout, mergeSeries } from './cluster/cluster-fanout.js';
import { findMetrics, type MetricNode } from './metric-finder.js';
import { type RawValues, TimeSeries, type Value, materialize } from './time-series.js';
import { consolidateCached } from './merge-cached.js';

export interface MetricStoreOptions {
  /** The whisper directory (graphite's WHISPER_DIR). */
  storageDir: string;
  carbonlink?: CarbonlinkPool;
  /** CLUSTER_SERVERS: peers whose series for the same path expression are merged in. */
  cluster?: ClusterFanout;
  /** Told about files that cannot be read and caches that do not answer. */
  warn?: (message: string) => void;
}

interface FetchedFile {
  path: string;
  start: number;
  end: number;
  step: number;
  /** Unboxed as read; boxed once cached points were merged in. */
  values: Value[] | RawValues;
  aggregationMethod: string;
  rawStep: number;
  /** The values array was given to a series (which may change it); give copies from now on. */
  handedOut?: boolean;
}

/** Files smaller than this are read whole in one call (fewer system calls than header + ring reads). */
const WHOLE_FILE_BYTES = 256 * 1024;
/** Where small files are read: reused, since a read's bytes are decoded before the next read. */
const scratch = Buffer.allocUnsafe(WHOLE_FILE_BYTES);

/**
 * Runs `action` on a whisper file opened for reading: a small file from one read into memory
 * (open, read, close: a read of a regular file comes back short only at its end, so no fstat is
 * needed to know the size); a file that fills the buffer is read by ranges instead.
 */
function readFile<T>(fsPath: string, options: ResolvedOptions, action: (file: WhisperFile) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(fsPath, 'r');
  } catch (error) {
    throw fileSystemError(error, fsPath, 'open');
  }
  let size: number;
  try {
    size = fs.readSync(fd, scratch, 0, WHOLE_FILE_BYTES, 0);
  } catch (error) {
    throw fileSystemError(error, fsPath, 'read');
  } finally {
    fs.closeSync(fd);
  }
  // The action runs synchronously and copies what it keeps, so the scratch bytes can be lent.
  if (size < WHOLE_FILE_BYTES) return action(WhisperFile.inMemory(fsPath, scratch.subarray(0, size), options, true));
  return WhisperFile.with(fsPath, 'read', options, action);
}

export class MetricStore {
  private readonly cache = new Map<string, Promise<FetchedFile[]>>();
  private readonly warn: (message: string) => void;

  constructor(readonly options: MetricStoreOptions) {
    this.warn = options.warn ?? (() => {});
  }

  find(pattern: string): MetricNode[] {
    return findMetrics(this.options.storageDir, pattern);
  }

  /** Series for every leaf matching `pathExpr` over (start, end] as seen at `now`, sorted by name. */
  async fetch(pathExpr: string, start: number, end: number, now: number, xFilesFactor: number): Promise<TimeSeries[]> {
    const key = `${pathExpr}\0${start}\0${end}\0${now}`;
    let files = this.cache.get(key);
    if (!files) {
      files = this.fetchFiles(pathExpr, start, end, now);
      this.cache.set(key, files);
    }
    const out: TimeSeries[] = [];
    for (const f of (await files).slice().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      // Raw values are never changed (a series boxes them on first access). Boxed arrays may be
      // changed in place by functions: the first caller gets the fetched array, later ones a copy.
      let values = f.values;
      if (Array.isArray(values)) {
        if (f.handedOut) values = values.slice();
        f.handedOut = true;
      }
      out.push(new TimeSeries(f.path, f.start, f.end, f.step, values, { xFilesFactor, pathExpression: pathExpr }));
    }
    return out;
  }

  private async fetchFiles(pathExpr: string, start: number, end: number, now: number): Promise<FetchedFile[]> {
    const leaves = this.find(pathExpr).filter((n) => n.isLeaf);
    const options = resolveOptions({ clock: new FixedClock(now) });
    const files: FetchedFile[] = [];
    for (const leaf of leaves) {
      try {
        const fetched = readFile(leaf.fsPath, options, (file) => {
          const result = fileFetchUnboxed(file, start, end, now);
          const header = file.header();
          return result && { result, aggregationMethod: header.aggregationMethod, rawStep: header.archives[0].secondsPerPoint };
        });
        if (!fetched) continue;
        const [from, until, step] = fetched.result.timeInfo;
        files.push({ path: leaf.path, start: from, end: until, step, values: fetched.result.values, aggregationMethod: fetched.aggregationMethod, rawStep: fetched.rawStep });
      } catch (error) {
        if (!isGphError(error)) throw error;
        this.warn(`skipped ${leaf.fsPath}: ${error.message}`);
      }
    }
    const pool = this.options.carbonlink;
    if (pool && files.length > 0) {
      const cached = await pool.query(
        files.map((f) => f.path),
        (host, error) => this.warn(`carbonlink ${host.host}:${host.port} did not answer: ${error.message}`),
      );
      for (const f of files) {
        const points = cached.get(f.path);
        if (points && points.length > 0) {
          const boxed = Array.isArray(f.values) ? f.values : materialize(f.values);
          consolidateCached(points, f.start, f.step, boxed, f.aggregationMethod, f.rawStep);
          f.values = boxed;
        }
      }
    }
    if (this.options.cluster) await this.mergeRemote(files, pathExpr, start, end, now);
    return files;
  }

  /** Adds the peers' series for `pathExpr`, merged by name as graphite-web merges them. */
  private async mergeRemote(files: FetchedFile[], pathExpr: string, start: number, end: number, now: number): Promise<void> {
    const cluster = this.options.cluster!;
    const remote = await cluster.fetch([pathExpr], start, end, now, this.warn);
    const byPath = new Map(files.map((f, i) => [f.path, i]));
    for (const series of remote) {
      const candidate = { path: series.name, start: series.start, end: series.end, step: series.step, values: series.values };
      const at = byPath.get(series.name);
      if (at === undefined) {
        byPath.set(series.name, files.length);
        files.push({ ...candidate, aggregationMethod: 'average', rawStep: series.step });
        continue;
      }
      const local = files[at];
      const known = { path: local.path, start: local.start, end: local.end, step: local.step, values: Array.isArray(local.values) ? local.values : materialize(local.values) };
      const kept = mergeSeries(known, candidate, cluster.mergeResults);
      files[at] = { ...local, start: kept.start, end: kept.end, step: kept.step, values: kept.values };
    }
  }
}
