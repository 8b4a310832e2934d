/**
 * The [cache] settings of carbon.conf that gph's cache honours, with carbon 1.1.7's defaults
 * where a key is missing, and gph's embedded default (no config file at all).
 */
import path from 'node:path';
import { GphError } from '../../errors.js';
import { readConfigSection } from './parse-ini.js';

export type WriteStrategy = 'sorted' | 'max' | 'naive' | 'timesorted';

export interface CacheSettings {
  LOCAL_DATA_DIR: string;
  CONF_DIR: string;
  LOG_DIR: string;
  LINE_RECEIVER_INTERFACE: string;
  LINE_RECEIVER_PORT: number;
  ENABLE_UDP_LISTENER: boolean;
  UDP_RECEIVER_INTERFACE: string;
  UDP_RECEIVER_PORT: number;
  PICKLE_RECEIVER_INTERFACE: string;
  PICKLE_RECEIVER_PORT: number;
  PICKLE_RECEIVER_MAX_LENGTH: number;
  CACHE_QUERY_INTERFACE: string;
  CACHE_QUERY_PORT: number;
  MAX_CACHE_SIZE: number;
  /** Always 0.95 x MAX_CACHE_SIZE in carbon; gph lets it be set. */
  CACHE_SIZE_LOW_WATERMARK: number;
  MAX_UPDATES_PER_SECOND: number;
  MAX_UPDATES_PER_SECOND_ON_SHUTDOWN: number;
  MAX_CREATES_PER_MINUTE: number;
  CACHE_WRITE_STRATEGY: WriteStrategy;
  USE_FLOW_CONTROL: boolean;
  /** carbon's USE_WHITELIST: filter names through CONF_DIR/whitelist.conf and blacklist.conf. */
  USE_WHITELIST: boolean;
  WHISPER_SPARSE_CREATE: boolean;
  WHISPER_FALLOCATE_CREATE: boolean;
  WHISPER_LOCK_WRITES: boolean;
  WHISPER_AUTOFLUSH: boolean;
  MIN_TIMESTAMP_RESOLUTION: number;
  CARBON_METRIC_PREFIX: string;
  CARBON_METRIC_INTERVAL: number;
  LOG_UPDATES: boolean;
  LOG_CREATES: boolean;
  LOG_CACHE_HITS: boolean;
  LOG_LISTENER_CONNECTIONS: boolean;
  /** gph: port of the Prometheus /metrics endpoint (0 = ephemeral, -1 = off). */
  PROMETHEUS_PORT: number;
  PROMETHEUS_INTERFACE: string;
  /** gph: write-ahead journal of received points: off, batch (fsync every interval) or always. */
  CACHE_JOURNAL: 'off' | 'batch' | 'always';
  /** gph: where the journal lives ('' = beside LOCAL_DATA_DIR: <parent>/journal/<instance>). */
  JOURNAL_DIR: string;
  /** gph: worker threads that write whisper files, each a batch of different metrics at a time (0: write on the main thread). */
  WRITER_THREADS: number;
  /** Register new series (and every TAG_UPDATE_INTERVAL-th write) with graphite-web's tag database. */
  ENABLE_TAGS: boolean;
  /** graphite-web's base URL, for /tags/tagMultiSeries. */
  GRAPHITE_URL: string;
  TAG_UPDATE_INTERVAL: number;
  TAG_BATCH_SIZE: number;
  /** Bound of each tag queue (0: unbounded). */
  TAG_QUEUE_SIZE: number;
  /** Tagged series' files named by their sha256 (True) or by the name with "." as "_DOT_". */
  TAG_HASH_FILENAMES: boolean;
}

/** carbon 1.1.7's code defaults (lib/carbon/conf.py), used for keys a carbon.conf leaves out. */
export const CARBON_DEFAULTS: CacheSettings = {
  LOCAL_DATA_DIR: '/opt/graphite/storage/whisper/',
  CONF_DIR: '/opt/graphite/conf/',
  LOG_DIR: '/opt/graphite/storage/log/',
  LINE_RECEIVER_INTERFACE: '0.0.0.0',
  LINE_RECEIVER_PORT: 2003,
  ENABLE_UDP_LISTENER: false,
  UDP_RECEIVER_INTERFACE: '0.0.0.0',
  UDP_RECEIVER_PORT: 2003,
  PICKLE_RECEIVER_INTERFACE: '0.0.0.0',
  PICKLE_RECEIVER_PORT: 2004,
  PICKLE_RECEIVER_MAX_LENGTH: 2 ** 20,
  CACHE_QUERY_INTERFACE: '0.0.0.0',
  CACHE_QUERY_PORT: 7002,
  MAX_CACHE_SIZE: Infinity,
  CACHE_SIZE_LOW_WATERMARK: Infinity,
  MAX_UPDATES_PER_SECOND: 500,
  MAX_UPDATES_PER_SECOND_ON_SHUTDOWN: Infinity,
  MAX_CREATES_PER_MINUTE: Infinity,
  CACHE_WRITE_STRATEGY: 'sorted',
  USE_FLOW_CONTROL: true,
  USE_WHITELIST: false,
  WHISPER_SPARSE_CREATE: false,
  WHISPER_FALLOCATE_CREATE: false,
  WHISPER_LOCK_WRITES: false,
  WHISPER_AUTOFLUSH: false,
  MIN_TIMESTAMP_RESOLUTION: 0,
  CARBON_METRIC_PREFIX: 'carbon',
  CARBON_METRIC_INTERVAL: 60,
  LOG_UPDATES: true,
  LOG_CREATES: true,
  LOG_CACHE_HITS: true,
  LOG_LISTENER_CONNECTIONS: true,
  PROMETHEUS_PORT: -1,
  PROMETHEUS_INTERFACE: '127.0.0.1',
  CACHE_JOURNAL: 'off',
  JOURNAL_DIR: '',
  WRITER_THREADS: 2,
  ENABLE_TAGS: true,
  GRAPHITE_URL: 'http://127.0.0.1:80',
  TAG_UPDATE_INTERVAL: 100,
  TAG_BATCH_SIZE: 100,
  TAG_QUEUE_SIZE: 10000,
  TAG_HASH_FILENAMES: true,
};

/**
 * gph with no config file: data under ./data, loopback listeners, no artificial write limits, and
 * no tag registration (there is no graphite-web to register with).
 */
export function embeddedDefaults(workDir: string): CacheSettings {
  return {
    ...CARBON_DEFAULTS,
    LOCAL_DATA_DIR: path.join(workDir, 'data', 'whisper'),
    CONF_DIR: '',
    LOG_DIR: path.join(workDir, 'data', 'log'),
    LINE_RECEIVER_INTERFACE: '127.0.0.1',
    UDP_RECEIVER_INTERFACE: '127.0.0.1',
    PICKLE_RECEIVER_INTERFACE: '127.0.0.1',
    CACHE_QUERY_INTERFACE: '127.0.0.1',
    MAX_UPDATES_PER_SECOND: Infinity,
    LOG_UPDATES: false,
    LOG_CACHE_HITS: false,
    CACHE_JOURNAL: 'batch',
    ENABLE_TAGS: false,
  };
}

const STRATEGIES: readonly WriteStrategy[] = ['sorted', 'max', 'naive', 'timesorted'];

/** Converts a setting's text to the type of its default (bool, number with inf, list, string). */
export function convertSetting(key: string, template: unknown, text: string, source: string, section: string): unknown {
  const bad = (expected: string): GphError =>
    new GphError('CONFIG_VALUE', `Cannot use ${key} = ${text} in ${source}: expected ${expected}`, { path: source, hint: `Fix ${key} in the [${section}] section` });
  if (Array.isArray(template)) return text.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (typeof template === 'boolean') {
    const lower = text.toLowerCase();
    if (['1', 'yes', 'true', 'on'].includes(lower)) return true;
    if (['0', 'no', 'false', 'off'].includes(lower)) return false;
    throw bad('True or False');
  }
  if (typeof template === 'number') {
    const value = /^[+-]?inf(inity)?$/i.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text);
    if (text === '' || Number.isNaN(value)) throw bad('a number or inf');
    return value;
  }
  return text;
}

function convert(key: keyof CacheSettings, text: string, source: string): CacheSettings[keyof CacheSettings] {
  const bad = (expected: string): GphError =>
    new GphError('CONFIG_VALUE', `Cannot use ${key} = ${text} in ${source}: expected ${expected}`, { path: source, hint: `Fix ${key} in the [cache] section` });
  if (key === 'CACHE_WRITE_STRATEGY' && !(STRATEGIES as readonly string[]).includes(text)) throw bad(STRATEGIES.join(', '));
  if (key === 'CACHE_JOURNAL' && !['off', 'batch', 'always'].includes(text)) throw bad('off, batch or always');
  return convertSetting(key, CARBON_DEFAULTS[key], text, source, 'cache') as CacheSettings[keyof CacheSettings];
}

/**
 * Reads the [cache] section of a carbon.conf (carbon's STORAGE_DIR/LOCAL_DATA_DIR rules apply:
 * LOCAL_DATA_DIR defaults to STORAGE_DIR/whisper). Unknown keys are ignored, as carbon does.
 */
export function loadCacheSettings(configPath: string): CacheSettings {
  const settings: CacheSettings = { ...CARBON_DEFAULTS, CONF_DIR: path.dirname(configPath) };
  const entries = new Map([...readConfigSection(configPath, 'cache')].map(([k, v]) => [k.toUpperCase(), v]));
  for (const [key, value] of entries) {
    if (key in CARBON_DEFAULTS) (settings as unknown as Record<string, unknown>)[key] = convert(key as keyof CacheSettings, value, configPath);
  }
  if (!entries.has('LOCAL_DATA_DIR') && entries.has('STORAGE_DIR')) settings.LOCAL_DATA_DIR = path.join(entries.get('STORAGE_DIR')!, 'whisper');
  if (!entries.has('CACHE_SIZE_LOW_WATERMARK')) settings.CACHE_SIZE_LOW_WATERMARK = settings.MAX_CACHE_SIZE * 0.95;
  if (!entries.has('CONF_DIR')) settings.CONF_DIR = path.dirname(configPath);
  return settings;
}
