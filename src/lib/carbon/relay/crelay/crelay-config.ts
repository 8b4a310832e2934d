/**
 * carbon-c-relay's configuration language (3.7.3 man page, conffile.y), the part a gph relay can
 * carry out: `cluster` (forward, any_of, failover, carbon_ch, fnv1a_ch, jump_fnv1a_ch with
 * `replication`; members host[:port][=instance] with `proto tcp` and `type linemode`), `match`
 * (one or more regular expressions or `*`, `send to` clusters or `blackhole`, `stop`), `rewrite
 * … into …`, `listen` (line-mode TCP/UDP ports) and `include`. Statements end with `;`, `#`
 * starts a comment. Statistics statements are accepted and ignored (gph reports its own
 * self-metrics); anything else (aggregate, validate, file clusters, TLS, compression, UDP or
 * unix destinations) is refused with the line that uses it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GphError, fileSystemError } from '../../../errors.js';
import type { RelaySettings } from '../../config/relay-settings.js';
import type { Destination } from '../destination.js';
import { CRELAY_HASH_TYPES } from './crelay-hash-ring.js';
import { posixRegExp } from './posix-regex.js';

export const CLUSTER_KINDS = ['forward', 'any_of', 'failover', ...CRELAY_HASH_TYPES] as const;
export type ClusterKind = (typeof CLUSTER_KINDS)[number];

export const DEFAULT_CRELAY_PORT = 2003;
export const BLACKHOLE = 'blackhole';

export interface CRelayCluster {
  name: string;
  kind: ClusterKind;
  replication: number;
  members: Destination[];
}

export interface CRelayMatch {
  type: 'match';
  /** Empty for `match *`. */
  patterns: RegExp[];
  /** Cluster names in `send to` order (BLACKHOLE for the built-in one). */
  sendTo: string[];
  stop: boolean;
}

export interface CRelayRewrite {
  type: 'rewrite';
  pattern: RegExp;
  replacement: string;
}

export interface CRelayListener {
  interface?: string;
  port: number;
  proto: 'tcp' | 'udp';
}

export interface CRelayConfig {
  clusters: Map<string, CRelayCluster>;
  /** match and rewrite statements in file order. */
  rules: Array<CRelayMatch | CRelayRewrite>;
  listeners: CRelayListener[];
  /** Statements accepted but without effect in gph, one line each. */
  ignored: string[];
}

interface Token {
  text: string;
  line: number;
}

interface Statement {
  words: Token[];
  source: string;
}

function tokenize(text: string, source: string): Statement[] {
  const statements: Statement[] = [];
  let words: Token[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const pattern = /"((?:[^"\\]|\\.)*)"|;|[^\s;#"]+|#.*$/g;
    for (const match of lines[n].matchAll(pattern)) {
      if (match[0].startsWith('#')) break;
      if (match[0] === ';') {
        if (words.length > 0) statements.push({ words, source });
        words = [];
        continue;
      }
      // Inside double quotes a backslash takes the next character literally, as carbon-c-relay's lexer does.
      words.push({ text: match[1] === undefined ? match[0] : match[1].replace(/\\(.)/g, '$1'), line: n + 1 });
    }
  }
  if (words.length > 0) throw new GphError('CONFIG_SYNTAX', `${source}:${words[0].line}: the statement "${words[0].text} …" has no closing ";"`, { path: source, hint: 'End every cluster, match, rewrite, listen and include statement with ";"' });
  return statements;
}

class StatementReader {
  private index = 0;
  constructor(private readonly statement: Statement) {}

  get done(): boolean {
    return this.index >= this.statement.words.length;
  }

  peek(): string | undefined {
    return this.statement.words[this.index]?.text;
  }

  next(what: string): string {
    const word = this.statement.words[this.index++];
    if (!word) throw this.error(`expected ${what} before ";"`);
    return word.text;
  }

  accept(word: string): boolean {
    if (this.peek() !== word) return false;
    this.index++;
    return true;
  }

  error(message: string, hint = 'See the carbon-c-relay(1) man page for the statement syntax'): GphError {
    const word = this.statement.words[Math.min(this.index, this.statement.words.length - 1)];
    return new GphError('CONFIG_SYNTAX', `${this.statement.source}:${word.line}: ${message}`, { path: this.statement.source, hint });
  }

  unsupported(what: string): GphError {
    return new GphError('CONFIG_UNSUPPORTED', `${this.statement.source}:${this.statement.words[Math.max(0, this.index - 1)].line}: ${what} is not supported by gph relay`, {
      path: this.statement.source,
      hint: 'Keep that part on carbon-c-relay, or remove it: gph relay forwards plain line-mode TCP with forward, any_of, failover and the three hash clusters',
    });
  }
}

/** host[:port][=instance], [v6]:port[=instance]. */
function parseMember(text: string, reader: StatementReader): Destination {
  const match = /^(?:\[([^\]]+)\]|([^:=[\]]+))(?::(\d+))?(?:=(.+))?$/.exec(text);
  const port = match?.[3] === undefined ? DEFAULT_CRELAY_PORT : Number(match[3]);
  if (!match || !(port > 0 && port < 65536)) throw reader.error(`cannot read the member "${text}"`, 'Write host[:port][=instance], e.g. 10.0.0.1:2003=a or [::1]:2003');
  return { server: match[1] ?? match[2], port, instance: match[4] ?? null };
}

/** A match or rewrite expression: POSIX extended, as carbon-c-relay compiles it. */
function regex(text: string, reader: StatementReader): RegExp {
  try {
    return posixRegExp(text);
  } catch (cause) {
    throw reader.error(`"${text}" is not a POSIX extended regular expression: ${(cause as Error).message}`, 'carbon-c-relay reads regcomp(3) extended expressions: no (?…) groups, lazy repeats or back-references');
  }
}

function parseCluster(reader: StatementReader): CRelayCluster {
  const name = reader.next('a cluster name');
  const kind = reader.next('a cluster type');
  if (kind === 'file' || kind === 'lb') throw reader.unsupported(`a "${kind}" cluster`);
  if (!(CLUSTER_KINDS as readonly string[]).includes(kind)) throw reader.error(`unknown cluster type "${kind}"`, `Use one of ${CLUSTER_KINDS.join(', ')}`);
  let replication = 1;
  for (;;) {
    if (reader.accept('useall') || reader.accept('dynamic')) continue;
    if (reader.accept('replication')) {
      const count = reader.next('a replication count');
      replication = Number(count);
      if (!Number.isInteger(replication) || replication < 1) throw reader.error(`replication "${count}" is not a positive whole number`);
      if (!(CRELAY_HASH_TYPES as readonly string[]).includes(kind)) throw reader.error(`replication applies to hash clusters, not to ${kind}`);
      continue;
    }
    break;
  }
  const members: Destination[] = [];
  while (!reader.done) {
    const member = parseMember(reader.next('a member'), reader);
    for (;;) {
      if (reader.accept('proto')) {
        const proto = reader.next('tcp or udp');
        if (proto !== 'tcp') throw reader.unsupported(`sending with proto ${proto}`);
      } else if (reader.accept('type')) {
        const type = reader.next('linemode');
        if (type !== 'linemode') throw reader.unsupported(`member type ${type}`);
      } else if (reader.accept('transport')) {
        const transport = reader.next('a transport');
        if (transport !== 'plain') throw reader.unsupported(`transport ${transport}`);
        if (reader.peek() === 'ssl' || reader.peek() === 'mtls') throw reader.unsupported('TLS to a member');
      } else break;
    }
    members.push(member);
  }
  if (members.length === 0) throw reader.error(`cluster ${name} has no members`);
  if (replication > members.length) throw reader.error(`cluster ${name} asks for replication ${replication} but has ${members.length} members`, 'Lower the replication or add members');
  return { name, kind: kind as ClusterKind, replication, members };
}

function parseMatch(reader: StatementReader): CRelayMatch {
  const patterns: RegExp[] = [];
  let all = false;
  while (!reader.done && !['send', 'route', 'validate'].includes(reader.peek()!)) {
    const text = reader.next('an expression');
    if (text === '*') all = true;
    else patterns.push(regex(text, reader));
  }
  if (!all && patterns.length === 0) throw reader.error('match needs * or at least one expression');
  if (reader.accept('validate')) throw reader.unsupported('validate');
  if (reader.accept('route')) throw reader.unsupported('route using');
  if (!reader.accept('send') || !reader.accept('to')) throw reader.error('expected "send to CLUSTER"');
  const sendTo: string[] = [];
  while (!reader.done && reader.peek() !== 'stop') sendTo.push(reader.next('a cluster name'));
  if (sendTo.length === 0) throw reader.error('"send to" names no cluster');
  if (sendTo.length > 1 && sendTo.includes(BLACKHOLE)) throw reader.error('blackhole cannot be combined with other clusters in one "send to"', 'Send to blackhole in a match of its own');
  // Sending to the blackhole implies stop (carbon-c-relay(1)).
  const stop = reader.accept('stop') || sendTo[0] === BLACKHOLE;
  if (!reader.done) throw reader.error(`unexpected "${reader.peek()}" after ${stop ? 'stop' : 'send to'}`);
  return { type: 'match', patterns: all ? [] : patterns, sendTo, stop };
}

function parseRewrite(reader: StatementReader): CRelayRewrite {
  const pattern = regex(reader.next('an expression'), reader);
  if (!reader.accept('into')) throw reader.error('expected "into REPLACEMENT"');
  const replacement = reader.next('a replacement');
  if (!reader.done) throw reader.error(`unexpected "${reader.peek()}" after the replacement`);
  return { type: 'rewrite', pattern, replacement };
}

function parseListen(reader: StatementReader): CRelayListener[] {
  if (!reader.accept('type') || reader.next('linemode') !== 'linemode') throw reader.unsupported('a listener that is not "type linemode"');
  if (reader.accept('transport') && reader.next('a transport') !== 'plain') throw reader.unsupported('a compressed or TLS listener');
  const listeners: CRelayListener[] = [];
  while (!reader.done) {
    const address = reader.next('a port');
    let proto = 'tcp';
    if (reader.accept('proto')) proto = reader.next('tcp, udp or unix');
    if (proto === 'unix') throw reader.unsupported('a unix socket listener');
    if (proto !== 'tcp' && proto !== 'udp') throw reader.error(`unknown proto "${proto}"`);
    const match = /^(?:(?:\[([^\]]+)\]|([^:]+)):)?(\d+)$/.exec(address);
    if (!match) throw reader.error(`cannot read the listener "${address}"`, 'Write PORT or INTERFACE:PORT');
    listeners.push({ interface: match[1] ?? match[2], port: Number(match[3]), proto });
  }
  return listeners;
}

/** Files an include names: relative paths from the working directory, as carbon-c-relay reads them; wildcards in the last part. */
function resolveIncludes(pattern: string): string[] {
  const full = path.resolve(pattern);
  const base = path.basename(full);
  if (!/[*?[]/.test(base)) return [full];
  const dir = path.dirname(full);
  const matcher = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    throw fileSystemError(error, dir, 'list the included files');
  }
  return names.filter((name) => matcher.test(name)).sort().map((name) => path.join(dir, name));
}

function parseInto(config: CRelayConfig, text: string, source: string, depth: number): void {
  for (const statement of tokenize(text, source)) {
    const reader = new StatementReader(statement);
    const keyword = reader.next('a statement');
    switch (keyword) {
      case 'cluster': {
        const cluster = parseCluster(reader);
        if (config.clusters.has(cluster.name) || cluster.name === BLACKHOLE) throw reader.error(`cluster ${cluster.name} is defined twice`);
        config.clusters.set(cluster.name, cluster);
        break;
      }
      case 'match':
        config.rules.push(parseMatch(reader));
        break;
      case 'rewrite':
        config.rules.push(parseRewrite(reader));
        break;
      case 'listen':
        config.listeners.push(...parseListen(reader));
        break;
      case 'include': {
        if (depth > 8) throw reader.error('includes are nested too deep (loop?)');
        for (const file of resolveIncludes(reader.next('a file'))) parseInto(config, readConfigText(file), file, depth + 1);
        break;
      }
      case 'statistics':
      case 'send':
        config.ignored.push(`${source}:${statement.words[0].line}: ${statement.words.map((w) => w.text).join(' ')} (gph reports its own self-metrics)`);
        break;
      case 'aggregate':
        throw reader.unsupported('aggregate');
      default:
        throw reader.error(`unknown statement "${keyword}"`, 'Statements are cluster, match, rewrite, listen, include, statistics');
    }
  }
}

function readConfigText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw fileSystemError(error, file, 'read the carbon-c-relay configuration');
  }
}

/** Parses configuration text; `source` names it in errors. */
export function parseCRelayConfig(text: string, source: string): CRelayConfig {
  const config: CRelayConfig = { clusters: new Map(), rules: [], listeners: [], ignored: [] };
  parseInto(config, text, source, 0);
  for (const rule of config.rules) {
    if (rule.type !== 'match') continue;
    for (const name of rule.sendTo) {
      if (name !== BLACKHOLE && !config.clusters.has(name)) {
        throw new GphError('CONFIG_VALUE', `${source}: match sends to cluster "${name}", which is not defined`, { path: source, hint: `Define "cluster ${name} …;" or send to one of ${[...config.clusters.keys(), BLACKHOLE].join(', ')}` });
      }
    }
  }
  return config;
}

/** Reads a carbon-c-relay configuration file. */
export function loadCRelayConfig(file: string): CRelayConfig {
  return parseCRelayConfig(readConfigText(file), path.resolve(file));
}

/** The receivers a configuration's `listen` statements ask for: the first TCP and the first UDP port. */
export function applyCRelayListeners(settings: RelaySettings, listeners: readonly CRelayListener[]): RelaySettings {
  const out = { ...settings };
  const tcp = listeners.find((l) => l.proto === 'tcp');
  const udp = listeners.find((l) => l.proto === 'udp');
  if (tcp) {
    out.LINE_RECEIVER_PORT = tcp.port;
    if (tcp.interface) out.LINE_RECEIVER_INTERFACE = tcp.interface;
  }
  if (udp) {
    out.ENABLE_UDP_LISTENER = true;
    out.UDP_RECEIVER_PORT = udp.port;
    if (udp.interface) out.UDP_RECEIVER_INTERFACE = udp.interface;
  }
  return out;
}
