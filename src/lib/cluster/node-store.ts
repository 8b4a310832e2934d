/**
 * Reading and writing one node's whisper data: a local directory (metric a.b.c is a/b/c.wsp), or
 * a gph node over HTTP (its /gph/index and /gph/whisper endpoints serve the metric list and a
 * metric's raw file). Downloads are size-checked and header-checked before anything uses them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GphError } from '../errors.js';
import { decodeHeader } from '../whisper/header.js';
import type { NodeData } from './cluster.js';

export function metricFile(dir: string, metric: string): string {
  if (metric.split('.').some((part) => part === '' || part === '..' || part.includes('/') || part.includes('\0'))) {
    throw new GphError('CLUSTER_METRIC', `Invalid metric name "${metric}"`, { hint: 'Metric names are dot-separated nodes without "/" or empty nodes' });
  }
  return `${path.join(dir, ...metric.split('.'))}.wsp`;
}

/** Every metric stored under `dir`, sorted. */
export function listDirMetrics(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string, prefix: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(path.join(at, entry.name), `${prefix}${entry.name}.`);
      else if (entry.isFile() && entry.name.endsWith('.wsp')) out.push(prefix + entry.name.slice(0, -4));
    }
  };
  walk(dir, '');
  return out.sort();
}

export async function listMetrics(data: NodeData, timeoutMs = 30_000): Promise<string[]> {
  if (data.kind === 'path') return listDirMetrics(data.dir);
  const response = await globalThis.fetch(`${data.url}/metrics/index.json`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new GphError('CLUSTER_PEER', `${data.url}/metrics/index.json answered ${response.status}`, { hint: 'Is the peer a gph or graphite-web node?' });
  return ((await response.json()) as string[]).slice().sort();
}

function checkWhole(header: Buffer, size: number, source: string, metric: string): void {
  try {
    const decoded = decodeHeader(header, source);
    const last = decoded.archives[decoded.archives.length - 1];
    const expected = last.offset + last.size;
    if (size !== expected) throw new Error(`the file holds ${size} bytes, its header describes ${expected}`);
  } catch (error) {
    throw new GphError('CLUSTER_PEER_CORRUPT', `The peer's copy of ${metric} is not a whole whisper file: ${(error as Error).message}`, { hint: 'Repair it on the peer (gph whisper find-corrupt) and run again', cause: error });
  }
}

/**
 * A readable whole whisper file with the peer's copy of `metric`, or null when the peer lacks it:
 * a local peer's own file (header and size checked, nothing copied), or a download saved under
 * `scratch` (removed by the caller). A file that is not whole is CLUSTER_PEER_CORRUPT.
 */
export async function peerFile(data: NodeData, metric: string, scratch: string, timeoutMs = 30_000): Promise<string | null> {
  if (data.kind === 'http') {
    const bytes = await readPeerFile(data, metric, timeoutMs);
    if (!bytes) return null;
    const file = path.join(scratch, `${metric}.${Math.random().toString(36).slice(2)}.wsp`);
    fs.writeFileSync(file, bytes);
    return file;
  }
  const file = metricFile(data.dir, metric);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const header = Buffer.alloc(Math.min(size, 4096));
    fs.readSync(fd, header, 0, header.length, 0);
    checkWhole(header, size, file, metric);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/**
 * A peer's copy of `metric` as bytes, or null when the peer does not have it. The bytes are a
 * whole whisper file: the header decodes and the size matches it, or CLUSTER_PEER_CORRUPT.
 */
export async function readPeerFile(data: NodeData, metric: string, timeoutMs = 30_000): Promise<Buffer | null> {
  let bytes: Buffer;
  let source: string;
  if (data.kind === 'path') {
    source = metricFile(data.dir, metric);
    try {
      bytes = fs.readFileSync(source);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  } else {
    source = `${data.url}/gph/whisper?metric=${encodeURIComponent(metric)}`;
    const response = await globalThis.fetch(source, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status === 404) return null;
    if (!response.ok) throw new GphError('CLUSTER_PEER', `${source} answered ${response.status}`, { hint: 'Check that the peer runs gph web' });
    bytes = Buffer.from(await response.arrayBuffer());
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared !== bytes.length) throw new GphError('CLUSTER_PEER_CORRUPT', `${source}: got ${bytes.length} of ${declared} bytes`, { hint: 'The download was cut; run again' });
  }
  checkWhole(bytes, bytes.length, source, metric);
  return bytes;
}
