import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { Journal, readJournalSegment } from '../../../../src/lib/carbon/cache/journal.js';
import { tempDir } from '../../../_helpers/temp-dir.js';

const replay = (dir: string): Array<[string, number, number]> => {
  const points: Array<[string, number, number]> = [];
  new Journal(dir, 'batch').open((m, t, v) => points.push([m, t, v]));
  return points;
};

test('Journal replays committed points after a crash, oldest segment first', (t) => {
  const dir = tempDir(t);
  const journal = new Journal(dir, 'batch');
  t.is(journal.open(() => {}).points, 0);
  journal.append('a.b', 1700000000.5, 1.5);
  journal.append('é.ü', 1700000001, -Infinity);
  journal.commit();
  journal.rotate();
  journal.append('c', 1700000002, 3);
  journal.commit();
  // no close(): the process "died" here
  t.deepEqual(replay(dir), [['a.b', 1700000000.5, 1.5], ['é.ü', 1700000001, -Infinity], ['c', 1700000002, 3]]);
});

test('Journal discards segments whose points were written, and all of them on a clean close', (t) => {
  const dir = tempDir(t);
  const journal = new Journal(dir, 'always');
  journal.open(() => {});
  journal.append('old', 1, 1);
  const closed = journal.rotate();
  journal.append('new', 2, 2);
  journal.commit();
  journal.discardThrough(closed);
  t.deepEqual(replay(dir).map(([m]) => m), ['new']);
  const again = new Journal(dir, 'batch');
  again.open(() => {});
  again.close(true);
  t.deepEqual(fs.readdirSync(dir), []);
});

test('readJournalSegment() stops at a torn record and keeps what came before', (t) => {
  const dir = tempDir(t);
  const journal = new Journal(dir, 'batch');
  journal.open(() => {});
  journal.append('whole', 1, 1);
  journal.append('torn', 2, 2);
  journal.commit();
  const file = path.join(dir, fs.readdirSync(dir)[0]);
  const bytes = fs.readFileSync(file);
  const points: string[] = [];
  const result = readJournalSegment(bytes.subarray(0, bytes.length - 3), (m) => points.push(m));
  t.deepEqual(points, ['whole']);
  t.true(result.torn);
});
