/**
 * PagedStore against a plain model of a file (and both stores against reads far past the end): reads see the file's bytes and this operation's
 * writes, end where the data ends (a write past the end leaves a hole of zeros), size() is the
 * file's size or the end of the writes, and flush() leaves the file as the model. The store
 * learns the file's end from short reads, so files of every length, aligned or not, are tried.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { DirectStore, PagedStore } from '../../../src/lib/whisper/byte-store.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const PAGE = 4096;
const op = fc.oneof(
  fc.record({ kind: fc.constant('read' as const), offset: fc.integer({ min: 0, max: 5 * PAGE }), length: fc.integer({ min: 0, max: 2 * PAGE }) }),
  fc.record({ kind: fc.constant('write' as const), offset: fc.integer({ min: 0, max: 5 * PAGE }), bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) }),
  fc.record({ kind: fc.constant('size' as const) }),
);

test('PagedStore reads, writes and sizes as the file and its pending writes say (property)', (t) => {
  const dir = tempDir(t);
  let n = 0;
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 4 * PAGE }), fc.constantFrom(0, PAGE, 2 * PAGE, PAGE - 1, PAGE + 1)), fc.array(op, { maxLength: 12 }), (size, ops) => {
      const file = path.join(dir, `f${n++}`);
      const initial = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + 3) & 0xff));
      fs.writeFileSync(file, initial);
      let model = Buffer.from(initial);
      const fd = fs.openSync(file, 'r+');
      try {
        const store = new PagedStore(fd);
        for (const step of ops) {
          if (step.kind === 'read') {
            const got = store.read(step.offset, step.length);
            const want = model.subarray(Math.min(step.offset, model.length), Math.min(step.offset + step.length, model.length));
            if (!got.equals(want)) return false;
          } else if (step.kind === 'write') {
            store.write(step.offset, step.bytes);
            const end = step.offset + step.bytes.length;
            if (end > model.length) model = Buffer.concat([model, Buffer.alloc(end - model.length)]);
            model.set(step.bytes, step.offset);
          } else if (store.size() !== model.length) return false;
        }
        store.flush();
        store.release();
      } finally {
        fs.closeSync(fd);
      }
      return fs.readFileSync(file).equals(model);
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('a read far past the end (a corrupt header asking for gigabytes) returns what the file holds, allocating no more', (t) => {
  const file = path.join(tempDir(t), 'small');
  fs.writeFileSync(file, Buffer.alloc(5000, 7));
  const fd = fs.openSync(file, 'r+');
  t.teardown(() => fs.closeSync(fd));
  for (const length of [0x100000 * 12, 2 ** 31, 0xffffffff * 12]) {
    const paged = new PagedStore(fd);
    t.is(paged.read(0, length).length, 5000);
    t.is(paged.read(4000, length).length, 1000);
    t.is(paged.read(6000, length).length, 0);
    const direct = new DirectStore(fd);
    t.is(direct.read(0, length).length, 5000);
    t.is(direct.read(6000, length).length, 0);
  }
});

test('over a file just made whose head is not on disk yet, the first flush writes the head, in one write with the bytes that follow it', (t) => {
  const file = path.join(tempDir(t), 'new');
  const size = 3 * PAGE;
  fs.writeFileSync(file, Buffer.alloc(size)); // what create leaves before the header: allocated zeros
  const head = Buffer.from(Array.from({ length: 40 }, (_, i) => i + 1));
  const points = Buffer.alloc(360, 9);
  const fd = fs.openSync(file, 'r+');
  t.teardown(() => fs.closeSync(fd));
  const writes: number[] = [];
  const writeSync = fs.writeSync;
  fs.writeSync = ((descriptor: number, bytes: NodeJS.ArrayBufferView, offset?: number, length?: number, position?: number) => {
    writes.push(position ?? -1);
    return writeSync(descriptor, bytes, offset, length, position);
  }) as typeof fs.writeSync;
  try {
    const store = new PagedStore(fd, { head, size, headUnwritten: true });
    t.deepEqual(store.read(0, 40), head, 'the head reads as known, without a read');
    store.write(40, points);
    store.write(2 * PAGE + 100, Buffer.of(1, 2, 3));
    store.flush();
    store.release();
  } finally {
    fs.writeSync = writeSync;
  }
  t.deepEqual(writes, [0, 2 * PAGE + 100], 'the head and the points after it in one write, then the far bytes');
  const want = Buffer.alloc(size);
  head.copy(want, 0);
  points.copy(want, 40);
  want.set([1, 2, 3], 2 * PAGE + 100);
  t.deepEqual(fs.readFileSync(file), want);

  const untouched = new PagedStore(fd, { head: Buffer.alloc(40, 0xee), size });
  untouched.read(0, 100);
  untouched.flush();
  t.deepEqual(fs.readFileSync(file), want, 'a head said to be on disk is not written again');
});
