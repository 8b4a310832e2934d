/**
 * graphite-web's /metrics/find, /metrics/expand and /metrics/index.json over the whisper tree,
 * with its formats (treejson, completer, nodelist, json) and quirks (treejson keeps the query's
 * wildcards in ids and de-duplicates by name, branches first).
 */
import fs from 'node:fs';
import { findMetrics, type MetricNode } from '../render/metric-finder.js';
import { info } from '../whisper/info.js';
import { listDirMetrics } from '../cluster/node-store.js';
import { type ClusterFanout, type FoundNode, mergeFoundNodes } from '../render/cluster/cluster-fanout.js';
import { MSGPACK_CONTENT_TYPE, PICKLE_CONTENT_TYPE, encodeFindAnswer } from '../render/cluster/cluster-wire.js';
import { type WebResponse, badRequest, jsonResponse } from './web-response.js';

const NO_CACHE = { Pragma: 'no-cache', 'Cache-Control': 'no-cache' };

/** Python's unquote_plus, which never fails (a bad escape stays as it is). */
function unquotePlus(text: string): string {
  if (!text.includes('+') && !text.includes('%')) return text;
  return text.replace(/\+/g, ' ').replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
const nodeName = (node: FoundNode): string => node.path.slice(node.path.lastIndexOf('.') + 1);

function intParam(params: URLSearchParams, name: string, dflt: number): number {
  const raw = params.get(name);
  if (raw === null) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`Invalid int value '${raw}' for param ${name}`);
  return n;
}

/** By name, then path; a branch before a leaf of the same path (graphite-web's Store lists the branch first, so treejson keeps it). */
function sortedByName(nodes: FoundNode[]): FoundNode[] {
  const keyed = nodes.map((node) => ({ node, name: nodeName(node) }));
  keyed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : Number(a.node.isLeaf) - Number(b.node.isLeaf)));
  return keyed.map((k) => k.node);
}

const BRANCH = { allowChildren: 1, expandable: 1, leaf: 0 };
const LEAF = { allowChildren: 0, expandable: 0, leaf: 1 };

/** A leaf's data interval: a local file's retention up to its last change (graphite's WhisperReader), or what a peer said. */
function intervalsOf(node: FoundNode, now: number): Array<[number, number]> {
  if (node.intervals) return node.intervals;
  if (!node.fsPath) return [];
  try {
    const start = now - info(node.fsPath).maxRetention;
    return [[start, Math.max(fs.statSync(node.fsPath).mtimeMs / 1000, start)]];
  } catch {
    return [[0, 0]]; // an unreadable file has no interval to report
  }
}

/** CLUSTER_SERVERS and how to report peers that fail. */
export interface FindCluster {
  fanout: ClusterFanout;
  warn: (message: string) => void;
}

/** Local matches, and the peers' unless the request says local=1. */
async function findAll(query: string, params: URLSearchParams, whisperDir: string, cluster?: FindCluster): Promise<FoundNode[]> {
  const local: MetricNode[] = findMetrics(whisperDir, query);
  if (!cluster || params.get('local') === '1') return local;
  const time = (name: string): number | undefined => (params.get(name) && Number.isFinite(Number(params.get(name))) ? Number(params.get(name)) : undefined);
  return mergeFoundNodes(local, await cluster.fanout.find(query, time('from'), time('until'), cluster.warn));
}

export async function findView(request: URLSearchParams, whisperDir: string, now: number, cluster?: FindCluster): Promise<WebResponse> {
  const params = new URLSearchParams();
  for (const key of new Set(request.keys())) params.set(key, request.getAll(key).pop()!);
  const format = params.get('format') ?? 'treejson';
  let wildcards: number;
  let leavesOnly: number;
  let position: number;
  let automaticVariants: number;
  try {
    wildcards = intParam(params, 'wildcards', 0);
    leavesOnly = intParam(params, 'leavesOnly', 0);
    position = intParam(params, 'position', -1);
    automaticVariants = intParam(params, 'automatic_variants', 0);
  } catch (error) {
    return badRequest(`Invalid parameters (${(error as Error).message})`);
  }
  let query = params.get('query');
  if (query === null) return badRequest("Invalid parameters (Missing required parameter 'query')");
  if (query === '') return badRequest("Invalid parameters (Required parameter 'query' is empty)");
  const basePath = query.includes('.') ? `${query.slice(0, query.lastIndexOf('.'))}.` : '';
  if (format === 'completer') {
    query = query.replace(/\.\./g, '*.');
    if (!query.endsWith('*')) query += '*';
    if (automaticVariants) query = query.split('.').map((part) => (part.includes(',') && !part.includes('{') ? `{${part}}` : part)).join('.');
  }
  let nodes = await findAll(query, params, whisperDir, cluster);
  if (leavesOnly) nodes = nodes.filter((n) => n.isLeaf);
  nodes = sortedByName(nodes);
  switch (format) {
    case 'treejson': {
      const results: Array<Record<string, unknown>> = [];
      if (nodes.length > 1 && wildcards) results.push({ text: '*', id: `${basePath}*`, ...(nodes.some((n) => !n.isLeaf) ? BRANCH : LEAF) });
      const seen = new Set<string>();
      const branches: Array<Record<string, unknown>> = [];
      const leaves: Array<Record<string, unknown>> = [];
      for (const node of nodes) {
        const name = nodeName(node);
        if (seen.has(name)) continue;
        seen.add(name);
        const text = unquotePlus(name);
        const id = basePath + name;
        const entry = node.isLeaf ? { text, id, allowChildren: 0, expandable: 0, leaf: 1 } : { text, id, allowChildren: 1, expandable: 1, leaf: 0 };
        (node.isLeaf ? leaves : branches).push(entry);
      }
      return jsonResponse([...results, ...branches, ...leaves], params, NO_CACHE);
    }
    case 'nodelist': {
      const found = new Set<string>();
      for (const node of nodes) {
        const parts = node.path.split('.');
        const index = position < 0 ? parts.length + position : position;
        if (index >= 0 && index < parts.length) found.add(parts[index]);
      }
      return jsonResponse({ nodes: [...found].sort() }, params, NO_CACHE);
    }
    case 'completer': {
      const metrics: Array<Record<string, string>> = nodes.map((node) => ({ path: node.isLeaf ? node.path : `${node.path}.`, name: nodeName(node), is_leaf: node.isLeaf ? '1' : '0' }));
      if (metrics.length > 1 && wildcards) metrics.push({ name: '*' });
      return jsonResponse({ metrics }, params, NO_CACHE);
    }
    case 'json': {
      const described = nodes
        .map((node) => (node.isLeaf ? { path: node.path, is_leaf: true, intervals: intervalsOf(node, now).map(([start, end]) => ({ start, end })) } : { path: node.path, is_leaf: false }))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      return jsonResponse(described, params, NO_CACHE);
    }
    case 'pickle':
    case 'msgpack': {
      const body = encodeFindAnswer(
        nodes.map((node) => ({ path: node.path, isLeaf: node.isLeaf, intervals: node.isLeaf ? intervalsOf(node, now) : [] })),
        format,
      );
      return { status: 200, contentType: format === 'pickle' ? PICKLE_CONTENT_TYPE : MSGPACK_CONTENT_TYPE, body, headers: NO_CACHE };
    }
    default:
      return badRequest("Invalid value for 'format' parameter", 'text/plain');
  }
}

export async function expandView(params: URLSearchParams, whisperDir: string, cluster?: FindCluster): Promise<WebResponse> {
  const leavesOnly = params.get('leavesOnly') === '1';
  const byQuery: Record<string, string[]> = {};
  for (const query of params.getAll('query')) {
    byQuery[query] = [...new Set((await findAll(query, params, whisperDir, cluster)).filter((n) => n.isLeaf || !leavesOnly).map((n) => n.path))].sort();
  }
  const results = params.get('groupByExpr') === '1' ? byQuery : [...new Set(Object.values(byQuery).flat())].sort();
  return jsonResponse({ results }, params, NO_CACHE);
}

/** Every leaf metric under the whisper directory, sorted (/metrics/index.json). */
export async function indexView(params: URLSearchParams, whisperDir: string, cluster?: FindCluster): Promise<WebResponse> {
  const local = listDirMetrics(whisperDir);
  if (!cluster || params.get('local') === '1') return jsonResponse(local, params);
  return jsonResponse([...new Set([...local, ...(await cluster.fanout.index(cluster.warn))])].sort(), params);
}
