/**
 * The [relay] settings of carbon.conf that gph's relay honours (carbon 1.1.7's defaults for
 * missing keys), and gph's embedded default.
 */
import path from 'node:path';
import { GphError } from '../../errors.js';
import { convertSetting } from './cache-settings.js';
import { readConfigSection } from './parse-ini.js';

export interface RelaySettings {
  LINE_RECEIVER_INTERFACE: string;
  LINE_RECEIVER_PORT: number;
  PICKLE_RECEIVER_INTERFACE: string;
  PICKLE_RECEIVER_PORT: number;
  PICKLE_RECEIVER_MAX_LENGTH: number;
  ENABLE_UDP_LISTENER: boolean;
  UDP_RECEIVER_INTERFACE: string;
  UDP_RECEIVER_PORT: number;
  RELAY_METHOD: string;
  /** relay-rules.conf for RELAY_METHOD = rules (relative to CONF_DIR). */
  RELAY_RULES: string;
  CONF_DIR: string;
  DESTINATIONS: string[];
  REPLICATION_FACTOR: number;
  DIVERSE_REPLICAS: boolean;
  ROUTER_HASH_TYPE: string;
  DESTINATION_PROTOCOL: string;
  MAX_QUEUE_SIZE: number;
  MAX_DATAPOINTS_PER_MESSAGE: number;
  USE_FLOW_CONTROL: boolean;
  /** carbon's USE_WHITELIST: filter names through CONF_DIR/whitelist.conf and blacklist.conf. */
  USE_WHITELIST: boolean;
  CARBON_METRIC_PREFIX: string;
  CARBON_METRIC_INTERVAL: number;
  /** gph: serve Prometheus text on this port (-1: off), as the cache's PROMETHEUS_PORT. */
  PROMETHEUS_PORT: number;
  PROMETHEUS_INTERFACE: string;
  /** gph: route by this carbon-c-relay configuration (relative to CONF_DIR) instead of RELAY_METHOD. */
  CRELAY_CONFIG: string;
  /** gph: where destinations spool ('' = ./data/spool under the working directory). */
  SPOOL_DIR: string;
  /** gph: when all spools together reach this many bytes, the receivers stop reading. */
  MAX_SPOOL_BYTES: number;
}

export const CARBON_RELAY_DEFAULTS: RelaySettings = {
  LINE_RECEIVER_INTERFACE: '0.0.0.0',
  LINE_RECEIVER_PORT: 2013,
  PICKLE_RECEIVER_INTERFACE: '0.0.0.0',
  PICKLE_RECEIVER_PORT: 2014,
  PICKLE_RECEIVER_MAX_LENGTH: 2 ** 20,
  ENABLE_UDP_LISTENER: false,
  UDP_RECEIVER_INTERFACE: '0.0.0.0',
  UDP_RECEIVER_PORT: 2013,
  RELAY_METHOD: 'rules',
  RELAY_RULES: 'relay-rules.conf',
  CONF_DIR: '',
  DESTINATIONS: ['127.0.0.1:2004'],
  REPLICATION_FACTOR: 1,
  DIVERSE_REPLICAS: true,
  ROUTER_HASH_TYPE: 'carbon_ch',
  DESTINATION_PROTOCOL: 'pickle',
  MAX_QUEUE_SIZE: 1000,
  MAX_DATAPOINTS_PER_MESSAGE: 500,
  USE_FLOW_CONTROL: true,
  USE_WHITELIST: false,
  CARBON_METRIC_PREFIX: 'carbon',
  CARBON_METRIC_INTERVAL: 60,
  PROMETHEUS_PORT: -1,
  PROMETHEUS_INTERFACE: '127.0.0.1',
  CRELAY_CONFIG: '',
  SPOOL_DIR: '',
  MAX_SPOOL_BYTES: 1024 ** 3,
};

/** gph with no config file: loopback, consistent hashing to a local gph cache's pickle port. */
export function embeddedRelayDefaults(workDir: string): RelaySettings {
  return {
    ...CARBON_RELAY_DEFAULTS,
    LINE_RECEIVER_INTERFACE: '127.0.0.1',
    PICKLE_RECEIVER_INTERFACE: '127.0.0.1',
    UDP_RECEIVER_INTERFACE: '127.0.0.1',
    RELAY_METHOD: 'consistent-hashing',
    DESTINATIONS: ['127.0.0.1:2004:a'],
    MAX_QUEUE_SIZE: 1_000_000,
    SPOOL_DIR: path.join(workDir, 'data', 'spool'),
  };
}

/** Reads the [relay] section of a carbon.conf. */
export function loadRelaySettings(configPath: string): RelaySettings {
  const settings: RelaySettings = { ...CARBON_RELAY_DEFAULTS, CONF_DIR: path.dirname(configPath) };
  for (const [key, value] of readConfigSection(configPath, 'relay')) {
    const name = key.toUpperCase() as keyof RelaySettings;
    if (name in CARBON_RELAY_DEFAULTS) (settings as unknown as Record<string, unknown>)[name] = convertSetting(name, CARBON_RELAY_DEFAULTS[name], value, configPath, 'relay');
  }
  if (!settings.CRELAY_CONFIG && !['consistent-hashing', 'rules'].includes(settings.RELAY_METHOD)) {
    throw new GphError('CONFIG_UNSUPPORTED', `Cannot relay with RELAY_METHOD = ${settings.RELAY_METHOD} (${configPath}): gph's relay supports consistent-hashing and rules so far`, {
      path: configPath,
      hint: 'Set RELAY_METHOD = consistent-hashing or rules (or CRELAY_CONFIG = a carbon-c-relay configuration); aggregated hashing is not built yet',
    });
  }
  return settings;
}

/** The relay-rules.conf path of these settings. */
export function relayRulesPath(settings: RelaySettings): string {
  return path.resolve(settings.CONF_DIR || '.', settings.RELAY_RULES);
}

/** The carbon-c-relay configuration of these settings ('' when none). */
export function crelayConfigPath(settings: RelaySettings): string {
  return settings.CRELAY_CONFIG ? path.resolve(settings.CONF_DIR || '.', settings.CRELAY_CONFIG) : '';
}
