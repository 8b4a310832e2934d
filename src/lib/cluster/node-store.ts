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
  try {
    const header = decodeHeader(bytes, source);
    const last = header.archives[header.archives.length - 1];
    const size = last.offset + last.size;
    if (bytes.length !== size) throw new Error(`the file holds ${bytes.length} bytes, its header describes ${size}`);
  } catch (error) {
    throw new GphError('CLUSTER_PEER_CORRUPT', `The peer's copy of ${metric} is not a whole whisper file: ${(error as Error).message}`, { hint: 'Repair it on the peer (gph whisper find-corrupt) and run again', cause: error });
  }
  return bytes;
}
