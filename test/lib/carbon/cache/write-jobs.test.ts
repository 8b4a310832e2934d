/**
 * The writer thread's jobs: files made (with their directories) only where missing, then the
 * points written; a directory removed after the thread made it is made again.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { type CreateSpec, runWriteJobs } from '../../../../src/lib/carbon/cache/write-jobs.js';
import { create } from '../../../../src/lib/whisper/create.js';
import { fetch } from '../../../../src/lib/whisper/fetch.js';
import { parseRetentions } from '../../../../src/lib/whisper/retention.js';
import { tempDir } from '../../../_helpers/temp-dir.js';

const NOW = 1_700_000_000;
const spec: CreateSpec = { archives: parseRetentions('60:100'), xFilesFactor: 0.5, aggregationMethod: 'average', sparse: false, fallocate: false };
const options = { lock: false, autoflush: false, now: NOW };
const job = (file: string, value: number) => ({ metric: path.basename(file), file, create: spec, points: Float64Array.of(NOW - 60, value) });
const valueIn = (file: string): number | null => fetch(file, NOW - 600, NOW, {}, { clock: { now: () => NOW, sleep: async () => {} } })!.values.find((v) => v !== null) ?? null;

test('new files are made in new directories, and their points written', (t) => {
  const dir = path.join(tempDir(t), 'a', 'b');
  const results = runWriteJobs([job(path.join(dir, 'x.wsp'), 1), job(path.join(dir, 'y.wsp'), 2)], options);
  t.deepEqual(results.map((r) => [r.created, r.written, r.error]), [[true, 1, undefined], [true, 1, undefined]]);
  t.is(valueIn(path.join(dir, 'x.wsp')), 1);
  t.is(valueIn(path.join(dir, 'y.wsp')), 2);
});

test('a directory removed after this thread made it is made again, without an error', (t) => {
  const dir = path.join(tempDir(t), 'gone');
  t.true(runWriteJobs([job(path.join(dir, 'x.wsp'), 1)], options)[0].created);
  fs.rmSync(dir, { recursive: true });
  const [result] = runWriteJobs([job(path.join(dir, 'y.wsp'), 5)], options);
  t.is(result.error, undefined);
  t.true(result.created);
  t.is(valueIn(path.join(dir, 'y.wsp')), 5);
});

test('a job whose file exists writes into it and makes nothing', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'x.wsp');
  runWriteJobs([job(file, 1)], options);
  const [result] = runWriteJobs([{ ...job(file, 7), points: Float64Array.of(NOW - 120, 7) }], options);
  t.false(result.created);
  t.is(result.written, 1);
  t.deepEqual(fs.readdirSync(dir), ['x.wsp']);
});

test('in a directory born since the writer started a new file is not looked for before it is made, and one made there meanwhile by someone else is kept, its points written into it', (t) => {
  const looked: string[] = [];
  const existsSync = fs.existsSync;
  fs.existsSync = (file: fs.PathLike) => {
    looked.push(String(file));
    return existsSync(file);
  };
  t.teardown(() => (fs.existsSync = existsSync));
  const root = tempDir(t);
  const fresh = path.join(root, 'fresh');
  const since = { ...options, newSince: Date.now() / 1000 - 60 }; // the writer started a minute ago
  t.true(runWriteJobs([job(path.join(fresh, 'x.wsp'), 1)], since)[0].created);
  t.deepEqual(looked, []);
  create(path.join(fresh, 'y.wsp'), parseRetentions('60:100')); // someone else's, meanwhile
  looked.length = 0; // (create() looks for its file)
  const [kept] = runWriteJobs([job(path.join(fresh, 'y.wsp'), 3)], since);
  t.deepEqual([kept.created, kept.written, kept.error], [false, 1, undefined]);
  t.is(valueIn(path.join(fresh, 'y.wsp')), 3);
  t.deepEqual(fs.readdirSync(fresh).sort(), ['x.wsp', 'y.wsp']);
  t.deepEqual(looked.filter((file) => file.startsWith(fresh)), [], 'nothing looked for in the new directory');

  const older = path.join(root, 'older');
  fs.mkdirSync(older);
  const later = { ...options, newSince: Date.now() / 1000 + 60 }; // the directory is older than the writer
  t.true(runWriteJobs([job(path.join(older, 'z.wsp'), 4)], later)[0].created);
  t.deepEqual(looked.filter((file) => file.startsWith(older)), [path.join(older, 'z.wsp')], 'looked for where the directory was there before');
});
