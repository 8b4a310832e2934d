/**
 * The golden-test driver: executes a whisper operation script (the JSON protocol of
 * ../shared/whisper-golden/README.md) against gph in compatibility mode and prints the results.
 * Library ops call src/lib/whisper directly; `cli`, `resize` and `fill` run the real `gph`
 * binary with GPH_COMPAT=whisper and GPH_NOW set, exactly as a user would.
 *
 *   node --import tsx test/interop/whisper-ops.ts WORKDIR < ops.json
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FixedClock } from '../../src/lib/clock.js';
import { GphError } from '../../src/lib/errors.js';
import { pyFloat, pyInt } from '../../src/lib/python/py-convert.js';
import { aggregate } from '../../src/lib/whisper/aggregate.js';
import { create } from '../../src/lib/whisper/create.js';
import { diff } from '../../src/lib/whisper/diff.js';
import { dump } from '../../src/lib/whisper/dump.js';
import { fetch } from '../../src/lib/whisper/fetch.js';
import type { ArchiveSpec } from '../../src/lib/whisper/format.js';
import { HeaderCache } from '../../src/lib/whisper/header-cache.js';
import { info } from '../../src/lib/whisper/info.js';
import { merge } from '../../src/lib/whisper/merge.js';
import type { WhisperOptions } from '../../src/lib/whisper/options.js';
import { parseRetentionDef, validateArchiveList } from '../../src/lib/whisper/retention.js';
import { setAggregationMethod, setXFilesFactor } from '../../src/lib/whisper/set-aggregation.js';
import { update, updateMany } from '../../src/lib/whisper/update.js';

const GPH_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js');
const DEFAULT_NOW = 1_700_000_000;
const CLI_SUBCOMMANDS: Record<string, string> = {
  'whisper-fetch': 'fetch',
  'whisper-info': 'info',
  'whisper-dump': 'dump',
  'whisper-diff': 'diff',
  'whisper-create': 'create',
  'whisper-update': 'update',
  'whisper-merge': 'merge',
  'whisper-resize': 'resize',
  'whisper-fill': 'fill',
  'whisper-set-aggregation-method': 'set-aggregation',
  'whisper-set-xfilesfactor': 'set-xff',
  'find-corrupt-whisper-files': 'find-corrupt',
};

type Op = Record<string, unknown> & { op: string };
type Result = { op: string; ok?: unknown; error?: { type: string; message: string }; id?: unknown };

const bitsView = new DataView(new ArrayBuffer(8));

/** Protocol value decoding: "NaN:<hex>" and "-0" become numbers; the rest goes to whisper's float(). */
function decodeValue(value: unknown): unknown {
  if (value === '-0') return -0;
  if (typeof value === 'string' && value.startsWith('NaN:')) {
    bitsView.setBigUint64(0, BigInt(`0x${value.slice(4)}`));
    return bitsView.getFloat64(0);
  }
  return value;
}

/** Protocol value encoding of a result number. */
function encodeNumber(value: number): number | string {
  if (Object.is(value, -0)) return '-0';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Number.isNaN(value)) {
    bitsView.setFloat64(0, value);
    const hex = bitsView.getBigUint64(0).toString(16).padStart(16, '0');
    return hex === '7ff8000000000000' ? 'NaN' : `NaN:${hex}`;
  }
  return value;
}

function encode(value: unknown): unknown {
  if (typeof value === 'number') return encodeNumber(value);
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

function parseArchives(spec: unknown): ArchiveSpec[] {
  if (typeof spec === 'string') return spec.split(',').map((d) => parseRetentionDef(d));
  return (spec as unknown[]).map((item) =>
    typeof item === 'string' ? parseRetentionDef(item) : { secondsPerPoint: Number((item as number[])[0]), points: Number((item as number[])[1]) },
  );
}

function archiveArgs(spec: unknown): string[] {
  if (typeof spec === 'string') return spec.split(',');
  return (spec as unknown[]).map((item) => (typeof item === 'string' ? item : `${(item as number[])[0]}:${(item as number[])[1]}`));
}

function headerDict(header: { aggregationMethod: string; maxRetention: number; xFilesFactor: number; archives: Array<Record<string, number>> }): unknown {
  return {
    aggregationMethod: header.aggregationMethod,
    maxRetention: header.maxRetention,
    xFilesFactor: header.xFilesFactor,
    archives: header.archives.map((a) => ({ offset: a.offset, secondsPerPoint: a.secondsPerPoint, points: a.points, retention: a.retention, size: a.size })),
  };
}

function safePath(relative: unknown): string {
  const text = String(relative);
  if (path.isAbsolute(text) || text.split(/[\\/]/).includes('..')) throw new Error(`refused path ${text}`);
  return text;
}

function runCli(workdir: string, now: number, subcommand: string, args: string[], stdin?: string): unknown {
  const child = spawnSync(process.execPath, [GPH_BIN, 'whisper', subcommand, ...args], {
    cwd: workdir,
    input: stdin ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GPH_COMPAT: 'whisper', GPH_NOW: String(now), TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
  });
  const normalise = (text: string): string => text.replace(/ at 0x[0-9a-f]+/g, ' at 0xADDR');
  const stdout = normalise(child.stdout ?? '');
  const stderr = normalise(child.stderr ?? '');
  const traceback = stderr.includes('Traceback (most recent call last):');
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  return { exit: child.status ?? 1, stdout, stderr, traceback, exception: traceback ? (lines[lines.length - 1] ?? null) : null };
}

function listFiles(root: string, relative = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out.sort();
}

function main(): void {
  const workdir = path.resolve(process.argv[2] ?? '.');
  fs.mkdirSync(workdir, { recursive: true });
  process.chdir(workdir);
  const script = JSON.parse(fs.readFileSync(0, 'utf8')) as { now?: number; ops: Op[] } | Op[];
  const ops = Array.isArray(script) ? script : script.ops;
  const startNow = Array.isArray(script) ? DEFAULT_NOW : (script.now ?? DEFAULT_NOW);
  const clock = new FixedClock(startNow);
  const flags = { LOCK: false, CACHE_HEADERS: false, AUTOFLUSH: false, FADVISE_RANDOM: false };
  const headerCache = new HeaderCache();
  const options = (): WhisperOptions => ({ clock, compat: true, lock: flags.LOCK, autoflush: flags.AUTOFLUSH, headerCache: flags.CACHE_HEADERS ? headerCache : undefined });
  const now = (): number => clock.now();
  const p = (op: Op, key = 'path'): string => safePath(op[key]);

  const handlers: Record<string, (op: Op) => unknown> = {
    set_now: (op) => void clock.set(Number(op.now)),
    config: (op) => {
      const previous: Record<string, boolean> = {};
      for (const key of Object.keys(flags) as Array<keyof typeof flags>) {
        if (key in op) {
          previous[key] = flags[key];
          flags[key] = Boolean(op[key]);
        }
      }
      return previous;
    },
    create: (op) =>
      void create(p(op), parseArchives(op.archives), {
        xFilesFactor: op.xff === undefined || op.xff === null ? undefined : (decodeValue(op.xff) as number),
        aggregationMethod: op.agg === undefined || op.agg === null ? undefined : String(op.agg),
        sparse: Boolean(op.sparse),
        fallocate: Boolean(op.fallocate),
      }, options()),
    update: (op) => {
      const value = pyFloat(decodeValue(op.value));
      update(p(op), value, op.ts === undefined || op.ts === null ? undefined : pyInt(decodeValue(op.ts)), options());
    },
    update_many: (op) => {
      const points = (op.points as unknown[][]).map(([t, v]) => {
        const ts = pyInt(decodeValue(t));
        return [ts, pyFloat(decodeValue(v))] as const;
      });
      updateMany(p(op), points, options());
    },
    fetch: (op) => {
      const result = fetch(p(op), pyInt(decodeValue(op.from)), op.until === undefined || op.until === null ? undefined : pyInt(decodeValue(op.until)), { archive: op.archive as string | number | undefined }, options());
      return result && { timeInfo: result.timeInfo, values: result.values };
    },
    info: (op) => {
      try {
        return headerDict(info(p(op), options()) as never);
      } catch (error) {
        if (error instanceof GphError && (error.code === 'FILE_NOT_FOUND' || error.code === 'FILE_ACCESS')) return null;
        throw error;
      }
    },
    set_aggregation: (op) => setAggregationMethod(p(op), String(op.agg), op.xff === undefined || op.xff === null ? undefined : (decodeValue(op.xff) as number), options()),
    set_xff: (op) => setXFilesFactor(p(op), decodeValue(op.xff) as number, options()),
    merge: (op) =>
      void merge(p(op, 'from'), p(op, 'to'), { timeFrom: op.time_from as number | undefined ?? undefined, timeTo: (op.time_to as number | undefined) ?? undefined }, options()),
    diff: (op) => diff(p(op, 'a'), p(op, 'b'), { ignoreEmpty: Boolean(op.ignore_empty), until: (op.until as number | undefined) ?? undefined }, options()),
    resize: (op) => {
      const args = [p(op), ...archiveArgs(op.archives)];
      if (op.xff !== undefined && op.xff !== null) args.push(`--xFilesFactor=${op.xff}`);
      if (op.agg !== undefined && op.agg !== null) args.push(`--aggregationMethod=${op.agg}`);
      if (op.aggregate) args.push('--aggregate');
      if (op.newfile) args.push(`--newfile=${op.newfile}`);
      if (op.nobackup) args.push('--nobackup');
      if (op.force) args.push('--force');
      return runCli(workdir, now(), 'resize', args);
    },
    fill: (op) => runCli(workdir, now(), 'fill', [...(op.lock ? ['--lock'] : []), p(op, 'src'), p(op, 'dst')]),
    cli: (op) => {
      const subcommand = CLI_SUBCOMMANDS[String(op.tool)];
      if (!subcommand) throw Object.assign(new Error(`unknown tool ${String(op.tool)}`), { oracle: true });
      return runCli(workdir, now(), subcommand, (op.args as string[]) ?? [], op.stdin as string | undefined);
    },
    parse_retention: (op) => {
      const spec = parseRetentionDef(String(op.def));
      return [spec.secondsPerPoint, spec.points];
    },
    validate: (op) => validateArchiveList(parseArchives(op.archives)).map((a) => [a.secondsPerPoint, a.points]),
    aggregate: (op) => {
      const known = (op.known as unknown[]).map((v) => pyFloat(decodeValue(v)));
      const neighbors = op.neighbors === undefined || op.neighbors === null ? undefined : (op.neighbors as unknown[]).map((v) => (v === null ? null : pyFloat(decodeValue(v))));
      return aggregate(String(op.method), known, neighbors);
    },
    dump: (op) => {
      if (!fs.existsSync(p(op))) return null;
      const result = dump(p(op), {}, options());
      return { header: headerDict(result.header as never), fileSize: result.fileSize, archives: result.archives };
    },
    read_hex: (op) => {
      const bytes = fs.readFileSync(p(op));
      const offset = Number(op.offset ?? 0);
      return bytes.subarray(offset, op.length === undefined ? undefined : offset + Number(op.length)).toString('hex');
    },
    write_bytes: (op) => {
      const fd = fs.openSync(p(op), 'r+');
      const bytes = Buffer.from(String(op.hex), 'hex');
      fs.writeSync(fd, bytes, 0, bytes.length, Number(op.offset));
      fs.closeSync(fd);
    },
    write_file: (op) => void fs.writeFileSync(p(op), Buffer.from(String(op.hex), 'hex')),
    truncate: (op) => void fs.truncateSync(p(op), Number(op.size)),
    remove: (op) => void fs.unlinkSync(p(op)),
    copy: (op) => void fs.copyFileSync(p(op, 'from'), p(op, 'to')),
  };

  const results: Result[] = ops.map((op) => {
    const result: Result = { op: op.op };
    if ('id' in op) result.id = op.id;
    const handler = handlers[op.op];
    try {
      if (!handler) throw Object.assign(new Error(`unknown op ${op.op}`), { oracle: true });
      const value = handler(op);
      result.ok = value === undefined ? null : encode(value);
    } catch (error) {
      if (error instanceof GphError && error.reference) result.error = { type: error.reference.type, message: error.reference.message };
      else if ((error as { oracle?: boolean }).oracle) result.error = { type: 'OracleError', message: (error as Error).message };
      else result.error = { type: 'InternalError', message: String((error as Error).stack ?? error) };
    }
    return result;
  });

  const files: Record<string, { size: number; sha256: string }> = {};
  for (const rel of listFiles(workdir)) {
    const bytes = fs.readFileSync(path.join(workdir, rel));
    files[rel] = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  process.stdout.write(`${JSON.stringify({ now: startNow, results, files, meta: { implementation: 'gph', mode: 'compat' } })}\n`);
}

main();
