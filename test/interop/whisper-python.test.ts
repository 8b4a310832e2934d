/**
 * gph against Debian's python3-whisper over seeded random operation sequences: the same
 * operations give byte-identical files and identical results, and each side reads the other's
 * files. Also CPython's set order, and the whisper-* scripts' text against gph's commands.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { FixedClock } from '../../src/lib/clock.js';
import { GphError } from '../../src/lib/errors.js';
import { pythonSetOrder } from '../../src/lib/python/py-set-order.js';
import { create } from '../../src/lib/whisper/create.js';
import { fetch } from '../../src/lib/whisper/fetch.js';
import { AGGREGATION_METHODS } from '../../src/lib/whisper/format.js';
import { info } from '../../src/lib/whisper/info.js';
import { update, updateMany } from '../../src/lib/whisper/update.js';
import { runGph } from '../_helpers/run-gph.js';
import { tempDir } from '../_helpers/temp-dir.js';
import { REFERENCE_PYTHON, hashFiles, requireReference, runReferenceOps, runReferenceScript } from './_helpers/reference.js';

const SEED = 20261122;
const BASE_NOW = 1_700_000_000;
const LAYOUTS: number[][][] = [
  [[60, 10]],
  [[10, 12], [60, 10]],
  [[1, 30], [5, 24], [60, 10]],
  [[60, 5], [300, 10]],
  [[10, 9], [60, 2]],
  [[10, 60], [60, 60], [600, 24]],
];
const XFFS = [0, 0.1, 0.3, 0.5, 0.7, 1];

type Op =
  | { op: 'create'; path: string; archives: number[][]; xff: number; agg: string }
  | { op: 'update'; path: string; value: number | string; ts: number }
  | { op: 'update_many'; path: string; points: Array<[number, number | string]> }
  | { op: 'fetch'; path: string; from: number; until: number }
  | { op: 'info'; path: string }
  | { op: 'set_now'; now: number };

const valueArbitrary = fc.oneof(
  { weight: 8, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e300, 5e-324, 0.1) },
);

const encodeValue = (v: number): number | string => (Object.is(v, -0) ? '-0' : v);

/** A random script over one file: ages relative to a moving "now", future points kept short (no whisper.py spill). */
const scriptArbitrary = fc
  .record({
    layout: fc.integer({ min: 0, max: LAYOUTS.length - 1 }),
    xff: fc.constantFrom(...XFFS),
    agg: fc.constantFrom(...AGGREGATION_METHODS),
    steps: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('update' as const), age: fc.integer({ min: -5, max: 40_000 }), value: valueArbitrary }),
        fc.record({ kind: fc.constant('many' as const), points: fc.array(fc.tuple(fc.integer({ min: -5, max: 40_000 }), valueArbitrary), { minLength: 1, maxLength: 40 }) }),
        fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 0, max: 900 }) }),
        fc.record({ kind: fc.constant('fetch' as const), fromAge: fc.integer({ min: 0, max: 40_000 }), length: fc.integer({ min: 0, max: 40_000 }) }),
      ),
      { minLength: 1, maxLength: 14 },
    ),
  })
  .map(({ layout, xff, agg, steps }) => {
    const archives = LAYOUTS[layout];
    const maxRetention = Math.max(...archives.map(([s, p]) => s * p));
    const scale = (age: number): number => Math.round((age / 40_000) * (maxRetention + 20)) - (age < 0 ? 0 : 0);
    let now = BASE_NOW;
    const ops: Op[] = [{ op: 'create', path: 'a.wsp', archives, xff, agg }];
    for (const step of steps) {
      if (step.kind === 'update') ops.push({ op: 'update', path: 'a.wsp', value: encodeValue(step.value), ts: now - (step.age < 0 ? -1 : scale(step.age)) });
      if (step.kind === 'many') ops.push({ op: 'update_many', path: 'a.wsp', points: step.points.map(([age, v]) => [now - (age < 0 ? -1 : scale(age)), encodeValue(v)]) });
      if (step.kind === 'tick') {
        now += step.seconds;
        ops.push({ op: 'set_now', now });
      }
      if (step.kind === 'fetch') {
        const from = now - scale(step.fromAge);
        ops.push({ op: 'fetch', path: 'a.wsp', from, until: Math.min(now, from + scale(step.length)) });
      }
    }
    ops.push({ op: 'info', path: 'a.wsp' }, { op: 'fetch', path: 'a.wsp', from: now - maxRetention, until: now });
    return { now: BASE_NOW, ops };
  });

function encodeResult(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    if (Object.is(value, -0)) return '-0';
    return value;
  }
  if (Array.isArray(value)) return value.map(encodeResult);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeResult(v)]));
  return value;
}

const decodeValue = (v: number | string): number => (v === '-0' ? -0 : Number(v));

/** The same script through gph's library (default mode, not compatibility mode). */
function runGphOps(dir: string, script: { now: number; ops: Op[] }): unknown[] {
  const clock = new FixedClock(script.now);
  const file = (p: string): string => path.join(dir, p);
  return script.ops.map((op) => {
    try {
      let out: unknown = null;
      if (op.op === 'set_now') clock.set(op.now);
      if (op.op === 'create') create(file(op.path), op.archives.map(([secondsPerPoint, points]) => ({ secondsPerPoint, points })), { xFilesFactor: op.xff, aggregationMethod: op.agg });
      if (op.op === 'update') update(file(op.path), decodeValue(op.value), op.ts, { clock });
      if (op.op === 'update_many') updateMany(file(op.path), op.points.map(([t, v]) => [t, decodeValue(v)] as const), { clock });
      if (op.op === 'fetch') out = fetch(file(op.path), op.from, op.until, {}, { clock });
      if (op.op === 'info') {
        const { fileSize: _size, ...header } = info(file(op.path));
        out = header;
      }
      return { op: op.op, ok: encodeResult(out) };
    } catch (error) {
      if (error instanceof GphError && error.reference) return { op: op.op, error: { type: error.reference.type, message: error.reference.message } };
      throw error;
    }
  });
}

test.before(() => requireReference());

test('random operation sequences give byte-identical files and identical results (seeded)', (t) => {
  let run = 0;
  fc.assert(
    fc.property(scriptArbitrary, (script) => {
      const gphDir = tempDir(t);
      const refDir = tempDir(t);
      const ours = runGphOps(gphDir, script);
      const reference = runReferenceOps(refDir, script);
      run++;
      t.deepEqual(ours, reference.results, `script ${run}: ${JSON.stringify(script)}`);
      t.deepEqual(hashFiles(gphDir), reference.files, `script ${run}: files differ`);
    }),
    { seed: SEED, numRuns: 120, endOnFailure: true },
  );
});

test('update_many next to the epoch places runs as whisper.py does (an interval-0 point, a first run from interval 0)', (t) => {
  // whisper.py joins the point after an interval 0 to its run whatever its interval, places each
  // run at its last interval minus its length, and counts from a first run's start even when it is 0.
  const scripts: Array<{ now: number; ops: Op[] }> = [
    {
      now: 9,
      ops: [
        { op: 'create', path: 'a.wsp', archives: [[1, 10]], xff: 0.5, agg: 'average' },
        { op: 'update_many', path: 'a.wsp', points: [[5, 1]] },
        { op: 'update_many', path: 'a.wsp', points: [[0, 100], [7, 700]] },
        { op: 'fetch', path: 'a.wsp', from: 0, until: 9 },
      ],
    },
    {
      now: 10,
      ops: [
        { op: 'create', path: 'b.wsp', archives: [[3, 3]], xff: 0.5, agg: 'sum' },
        { op: 'update_many', path: 'b.wsp', points: [[-7, 71], [6, 23], [2, -56], [9, 18], [0, 355], [5, 54], [3, 84], [8, 464], [10, 41], [44, 549], [0, 26], [4.9, -32], [30, 231], [2, 61]] },
      ],
    },
  ];
  for (const script of scripts) {
    const gphDir = tempDir(t);
    const refDir = tempDir(t);
    t.deepEqual(runGphOps(gphDir, script), runReferenceOps(refDir, script).results);
    t.deepEqual(hashFiles(gphDir), runReferenceOps(tempDir(t), script).files, JSON.stringify(script));
  }
});

test('python whisper reads files written by gph, and gph reads files written by python whisper', (t) => {
  const dir = tempDir(t);
  const now = BASE_NOW;
  const points = Array.from({ length: 500 }, (_, i) => [now - 7 * i, Math.sin(i) * 100] as const);
  create(path.join(dir, 'gph.wsp'), [{ secondsPerPoint: 10, points: 360 }, { secondsPerPoint: 60, points: 240 }], { xFilesFactor: 0.2, aggregationMethod: 'max' });
  updateMany(path.join(dir, 'gph.wsp'), points, { clock: new FixedClock(now) });
  runReferenceOps(dir, {
    now,
    ops: [
      { op: 'create', path: 'py.wsp', archives: [[10, 360], [60, 240]], xff: 0.2, agg: 'max' },
      { op: 'update_many', path: 'py.wsp', points },
    ],
  });
  t.is(fs.readFileSync(path.join(dir, 'gph.wsp')).compare(fs.readFileSync(path.join(dir, 'py.wsp'))), 0);
  for (const [from, until] of [[now - 3600, now], [now - 14_400, now - 3000], [now - 3000, now - 2000]]) {
    const readByPython = runReferenceOps(dir, { now, ops: [{ op: 'fetch', path: 'gph.wsp', from, until }] }).results[0];
    const readByGph = encodeResult(fetch(path.join(dir, 'py.wsp'), from, until, {}, { clock: new FixedClock(now) }));
    t.deepEqual(readByGph, (readByPython as { ok: unknown }).ok);
  }
});

test('pythonSetOrder() matches CPython on random integer lists', (t) => {
  const lists = fc.sample(fc.array(fc.integer({ min: 0, max: 2 ** 32 }), { maxLength: 400 }), { seed: SEED, numRuns: 300 });
  lists.push(Array.from({ length: 5000 }, (_, i) => 1_699_990_000 + 60 * i), Array.from({ length: 70 }, (_, i) => 1_700_000_000 + 10 * (i % 33)));
  const child = spawnSync(REFERENCE_PYTHON, ['-c', 'import json,sys\nfor line in sys.stdin: print(json.dumps(list(set(json.loads(line)))))'], { input: lists.map((l) => JSON.stringify(l)).join('\n'), encoding: 'utf8' });
  const expected = child.stdout.trim().split('\n').map((line) => JSON.parse(line));
  t.is(expected.length, lists.length);
  lists.forEach((list, i) => t.deepEqual(pythonSetOrder(list), expected[i]));
});

test('gph whisper fetch, info, dump and diff print what the whisper-* scripts print', (t) => {
  const dir = tempDir(t);
  const now = BASE_NOW + 40;
  runReferenceOps(dir, {
    now,
    ops: [
      { op: 'create', path: 'a.wsp', archives: [[60, 30], [300, 24]], xff: 0.3, agg: 'average' },
      { op: 'update_many', path: 'a.wsp', points: Array.from({ length: 40 }, (_, i) => [now - 45 * i, i % 7 === 0 ? 0 : i * 1.25]) },
      { op: 'create', path: 'b.wsp', archives: [[60, 30], [300, 24]], xff: 0.3, agg: 'average' },
      { op: 'update_many', path: 'b.wsp', points: Array.from({ length: 30 }, (_, i) => [now - 50 * i, i * 1.5]) },
    ],
  });
  const cases: Array<[string, string[]]> = [
    ['whisper-fetch', [`--from=${now - 1800}`, `--until=${now}`, 'a.wsp']],
    ['whisper-fetch', [`--from=${now - 80_000}`, '--pretty', 'a.wsp']],
    ['whisper-fetch', [`--from=${now - 1800}`, '--json', '--drop=zeroes', 'a.wsp']],
    ['whisper-info', ['a.wsp']],
    ['whisper-info', ['--json', 'a.wsp']],
    ['whisper-dump', ['a.wsp']],
    ['whisper-diff', ['a.wsp', 'b.wsp']],
    ['whisper-diff', ['--summary', 'a.wsp', 'b.wsp']],
  ];
  for (const [tool, args] of cases) {
    const reference = runReferenceScript(tool, args, dir, now);
    const ours = runGph(['whisper', tool.replace('whisper-', ''), ...args], { cwd: dir, env: { GPH_NOW: String(now), GPH_COMPAT: tool.endsWith('fetch') && args.includes('--json') ? 'whisper' : '' } });
    if (args.includes('--json') && tool === 'whisper-info') t.deepEqual(JSON.parse(ours.stdout), JSON.parse(reference.stdout));
    else t.is(ours.stdout, reference.stdout, `${tool} ${args.join(' ')}`);
    t.is(ours.status, reference.status);
  }
});
