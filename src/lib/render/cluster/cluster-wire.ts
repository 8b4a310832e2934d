/**
 * graphite-web's cluster protocol bodies (graphite-web 1.1.8 finders/remote.py, readers/remote.py,
 * metrics/views.py): /metrics/find?local=1&format=pickle|msgpack answers a list of
 * {path, is_leaf, intervals} (graphite-web pickles its IntervalSet objects; gph sends tuples,
 * which graphite-web also accepts), and /render?local=1&format=pickle|msgpack answers a list of
 * {name, pathExpression, start, end, step, values}. The content type says which codec was used.
 */
import { decode as decodeMsgpack, encode as encodeMsgpack } from '@msgpack/msgpack';
import { type PickleInput, encodePickle, pickleTuple } from '../../carbon/protocol/pickle-encoder.js';
import { PickledObject, type PickleValue, decodePickle } from '../../carbon/protocol/pickle-decoder.js';

export const MSGPACK_CONTENT_TYPE = 'application/x-msgpack';
export const PICKLE_CONTENT_TYPE = 'application/pickle';

/** The only classes a cluster peer's pickle may contain (graphite-web's own unpickler allows the same). */
const GRAPHITE_CLASSES = new Set(['graphite.intervals.IntervalSet', 'graphite.intervals.Interval']);

export interface RemoteNodeInfo {
  path: string;
  isLeaf: boolean;
  intervals: Array<[number, number]>;
}

export interface RemoteSeries {
  name: string;
  pathExpression: string;
  start: number;
  end: number;
  step: number;
  values: Array<number | null>;
}

export class ClusterWireError extends Error {}

/**
 * Plain JavaScript from either codec: Maps become objects, pickled objects their state. Each
 * decoded object is converted once (`seen`): a pickle may refer to one object many times, and
 * copying every reference would let a small hostile pickle grow exponentially.
 */
function plain(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof PickledObject) {
    seen.set(value, null);
    const state = plain(value.state, seen);
    seen.set(value, state);
    return state;
  }
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of value) out[String(k)] = plain(v, seen);
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(plain(item, seen));
    return out;
  }
  return value;
}

function decodeBody(body: Uint8Array, contentType: string | null): unknown {
  try {
    if ((contentType ?? '').split(';')[0].trim() === MSGPACK_CONTENT_TYPE) return plain(decodeMsgpack(body));
    return plain(decodePickle(body, { allowClasses: GRAPHITE_CLASSES }) as PickleValue);
  } catch (error) {
    throw new ClusterWireError(`cannot decode the answer (${contentType ?? 'no content type'}): ${(error as Error).message}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Intervals as graphite-web sends them: an IntervalSet's state, or a list of (start, end). */
function intervalsOf(value: unknown): Array<[number, number]> {
  const list = isRecord(value) ? value.intervals : value;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): Array<[number, number]> => {
    if (Array.isArray(item) && typeof item[0] === 'number' && typeof item[1] === 'number') return [[item[0], item[1]]];
    if (isRecord(item) && typeof item.start === 'number' && typeof item.end === 'number') return [[item.start, item.end]];
    return [];
  });
}

export function decodeFindAnswer(body: Uint8Array, contentType: string | null): RemoteNodeInfo[] {
  const data = decodeBody(body, contentType);
  if (!Array.isArray(data)) throw new ClusterWireError('the find answer is not a list');
  return data.filter(isRecord).flatMap((node) => {
    const path = node.path ?? node.metric_path;
    if (typeof path !== 'string') return [];
    return [{ path, isLeaf: Boolean(node.is_leaf ?? node.isLeaf), intervals: intervalsOf(node.intervals) }];
  });
}

export function decodeRenderAnswer(body: Uint8Array, contentType: string | null): RemoteSeries[] {
  const data = decodeBody(body, contentType);
  if (!Array.isArray(data)) throw new ClusterWireError('the render answer is not a list');
  return data.map((series) => {
    if (!isRecord(series) || typeof series.name !== 'string' || !Array.isArray(series.values)) throw new ClusterWireError('a series without name or values');
    const [start, end, step] = [series.start, series.end, series.step].map(Number);
    if (![start, end, step].every(Number.isFinite) || !(step > 0)) throw new ClusterWireError(`series ${series.name} has no valid start, end and step`);
    const values = series.values.map((v) => (typeof v === 'number' ? v : null));
    return { name: series.name, pathExpression: typeof series.pathExpression === 'string' ? series.pathExpression : series.name, start, end, step, values };
  });
}

/** gph's answer to a peer's find: pickle (intervals as tuples) or msgpack. */
export function encodeFindAnswer(nodes: readonly RemoteNodeInfo[], format: 'pickle' | 'msgpack'): Buffer {
  if (format === 'msgpack') {
    return Buffer.from(encodeMsgpack(nodes.map((n) => (n.isLeaf ? { path: n.path, is_leaf: true, intervals: n.intervals } : { path: n.path, is_leaf: false }))));
  }
  const items = nodes.map((n): PickleInput => (n.isLeaf ? { path: n.path, is_leaf: true, intervals: n.intervals.map(([a, b]) => pickleTuple(a, b)) } : { path: n.path, is_leaf: false }));
  return encodePickle(items);
}

/** gph's /render?format=msgpack body (the fields of format=pickle). */
export function encodeRenderMsgpack(series: ReadonlyArray<Record<string, unknown>>): Buffer {
  return Buffer.from(encodeMsgpack(series));
}
