import test from 'ava';
import fs from 'node:fs';
import { pointRecordSize, segmentHeader, segmentPath, writePointRecord } from '../../../../src/lib/carbon/cache/journal.js';
import { DiskQueue } from '../../../../src/lib/carbon/relay/disk-queue.js';
import { tempDir } from '../../../_helpers/temp-dir.js';

test('DiskQueue keeps points in order across segments and restarts, pushFront goes first', (t) => {
  const dir = tempDir(t);
  const queue = new DiskQueue(dir);
  queue.push('b', 2, 2);
  queue.push('c', 3, 3);
  queue.flush();
  queue.pushFront([['a', 1, 1]]);
  queue.close();
  const reopened = new DiskQueue(dir);
  t.is(reopened.points, 3);
  const order: string[] = [];
  for (let head = reopened.takeHead(); head; head = reopened.takeHead()) {
    order.push(...head.points.map(([m]) => m));
    head.done();
  }
  t.deepEqual(order, ['a', 'b', 'c']);
  t.true(reopened.isEmpty);
});

test('DiskQueue.pushFront still goes first when the head segment is numbered 0', (t) => {
  const dir = tempDir(t);
  const record = Buffer.alloc(pointRecordSize('old'));
  writePointRecord(record, 0, 'old', 1, 1);
  fs.writeFileSync(segmentPath(dir, 0), Buffer.concat([segmentHeader(), record]));
  const queue = new DiskQueue(dir);
  queue.pushFront([['older', 0, 0]]);
  queue.close();
  const reopened = new DiskQueue(dir);
  const order: string[] = [];
  for (let head = reopened.takeHead(); head; head = reopened.takeHead()) {
    order.push(...head.points.map(([m]) => m));
    head.done();
  }
  t.deepEqual(order, ['older', 'old']);
});
