/**
 * gph web's settings, named as graphite-web's local_settings.py names them. They come from an
 * embedded default, a local_settings.py (the simple `NAME = value` assignments graphite users
 * write), and flags, in that order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GphError, fileSystemError } from '../errors.js';

export interface WebSettings {
  WHISPER_DIR: string;
  CARBONLINK_HOSTS: string[];
  CARBONLINK_HASHING_TYPE: 'carbon_ch' | 'fnv1a_ch';
  /** Seconds to wait for a cache. */
  CARBONLINK_TIMEOUT: number;
  /** Seconds a rendered response is reused (0: no response cache). */
  DEFAULT_CACHE_DURATION: number;
  /** Seconds a find result is reused. */
  FIND_CACHE_DURATION: number;
  TIME_ZONE: string;
  /** Renders computed at once; more wait in line (at most MAX_QUEUED_RENDERS, then 503). */
  MAX_CONCURRENT_RENDERS: number;
  MAX_QUEUED_RENDERS: number;
  GRAPHTEMPLATES_CONF?: string;
  /** memcached servers shared by several nodes for rendered responses ("host:port"). */
  MEMCACHE_HOSTS: string[];
  /** Other graphite-web or gph nodes asked for find and render with local=1 ("host:port[?format=msgpack]"). */
  CLUSTER_SERVERS: string[];
  /** Seconds to wait for a peer's find / render answer. */
  FIND_TIMEOUT: number;
  FETCH_TIMEOUT: number;
  /** Seconds a peer that failed is left out. */
  REMOTE_RETRY_DELAY: number;
  /** Attempts at a peer's render answer. */
  MAX_FETCH_RETRIES: number;
  /** Merge series of the same name from several nodes point by point (graphite-web's default). */
  REMOTE_STORE_MERGE_RESULTS: boolean;
  /** https for CLUSTER_SERVERS given as host:port. */
  INTRACLUSTER_HTTPS: boolean;
}

export function defaultWebSettings(workDir: string): WebSettings {
  return {
    WHISPER_DIR: path.join(workDir, 'data', 'whisper'),
    CARBONLINK_HOSTS: [],
    CARBONLINK_HASHING_TYPE: 'carbon_ch',
    CARBONLINK_TIMEOUT: 1,
    DEFAULT_CACHE_DURATION: 60,
    FIND_CACHE_DURATION: 300,
    TIME_ZONE: 'UTC',
    MAX_CONCURRENT_RENDERS: 4,
    MAX_QUEUED_RENDERS: 200,
    MEMCACHE_HOSTS: [],
    CLUSTER_SERVERS: [],
    FIND_TIMEOUT: 3,
    FETCH_TIMEOUT: 6,
    REMOTE_RETRY_DELAY: 60,
    MAX_FETCH_RETRIES: 2,
    REMOTE_STORE_MERGE_RESULTS: true,
    INTRACLUSTER_HTTPS: false,
  };
}

/** Drops "# comments" outside quotes. */
function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let quote: string | null = null;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quote) {
          if (ch === '\\') i++;
          else if (ch === quote) quote = null;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '#') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

const unquote = (t: string): string => t.trim().replace(/^['"]|['"]$/g, '');

function pyValue(text: string, name: string, file: string, known: Record<string, unknown>): unknown {
  const t = text.trim();
  if (/^['"].*['"]$/s.test(t)) return t.slice(1, -1);
  if (/^-?(\d+(\.\d*)?|\.\d+)$/.test(t)) return Number(t);
  if (t === 'True' || t === 'False') return t === 'True';
  const join = /^(?:os\.path\.)?join\((.*)\)$/s.exec(t);
  if (join) {
    const parts = join[1].split(',').map((part) => {
      const p = part.trim();
      if (/^['"]/.test(p)) return unquote(p);
      if (typeof known[p] === 'string') return known[p] as string;
      throw new GphError('WEB_SETTINGS', `${file}: cannot read ${name} = ${t}: ${p} is not set before it`, { hint: 'Set the variables a join() uses above it' });
    });
    return path.join(...parts);
  }
  if (/^[[(].*[\])]$/s.test(t)) {
    return t
      .slice(1, -1)
      .split(',')
      .map((item) => unquote(item))
      .filter((item) => item);
  }
  throw new GphError('WEB_SETTINGS', `${file}: cannot read ${name} = ${t}`, { hint: 'gph reads plain strings, numbers, booleans, lists and join(...) of those; compute other values before writing them there' });
}

const KNOWN = ['WHISPER_DIR', 'STORAGE_DIR', 'CARBONLINK_HOSTS', 'CARBONLINK_HASHING_TYPE', 'CARBONLINK_TIMEOUT', 'DEFAULT_CACHE_DURATION', 'FIND_CACHE_DURATION', 'TIME_ZONE', 'GRAPHTEMPLATES_CONF', 'MEMCACHE_HOSTS', 'CLUSTER_SERVERS', 'FIND_TIMEOUT', 'FETCH_TIMEOUT', 'REMOTE_RETRY_DELAY', 'MAX_FETCH_RETRIES', 'REMOTE_STORE_MERGE_RESULTS', 'INTRACLUSTER_HTTPS'];

export function loadLocalSettings(file: string, base: WebSettings): WebSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw fileSystemError(error, file, 'read');
  }
  const settings = { ...base } as WebSettings & Record<string, unknown>;
  const seen: Record<string, unknown> = {};
  const joined = stripComments(text).replace(/\\\n/g, ' ');
  const re = /^([A-Z_][A-Z0-9_]*)\s*=\s*(\[[^\]]*\]|\([^)]*\)|(?:os\.path\.)?join\([^)]*\)|[^\n]+)/gm;
  for (const m of joined.matchAll(re)) {
    const [, name, value] = m;
    if (!KNOWN.includes(name)) {
      if (/^\s*['"][^'"]*['"]\s*$/.test(value)) seen[name] = unquote(value);
      continue;
    }
    seen[name] = pyValue(value, name, file, seen);
  }
  for (const [name, value] of Object.entries(seen)) if (KNOWN.includes(name) && name !== 'STORAGE_DIR') settings[name] = value;
  // graphite-web derives WHISPER_DIR from STORAGE_DIR only when WHISPER_DIR is not set itself.
  if (seen.STORAGE_DIR !== undefined && seen.WHISPER_DIR === undefined) settings.WHISPER_DIR = path.join(String(seen.STORAGE_DIR), 'whisper');
  if (!['carbon_ch', 'fnv1a_ch'].includes(settings.CARBONLINK_HASHING_TYPE)) {
    throw new GphError('WEB_SETTINGS', `${file}: CARBONLINK_HASHING_TYPE "${settings.CARBONLINK_HASHING_TYPE}" is not supported`, { hint: 'Use carbon_ch or fnv1a_ch' });
  }
  return settings;
}
