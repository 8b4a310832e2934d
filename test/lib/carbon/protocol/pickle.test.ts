import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import { PickleError, decodePickle } from '../../../../src/lib/carbon/protocol/pickle-decoder.js';
import { encodePickle, pickleTuple } from '../../../../src/lib/carbon/protocol/pickle-encoder.js';

const cases = JSON.parse(fs.readFileSync('test/_fixtures/pickle/cpython-pickles.json', 'utf8')) as Record<string, string>;
const bytes = (name: string): Buffer => Buffer.from(cases[name], 'hex');

for (const protocol of [0, 1, 2, 3, 4, 5]) {
  test(`decodePickle() reads a carbon payload pickled by CPython with protocol ${protocol}`, (t) => {
    const value = decodePickle(bytes(`payload-proto${protocol}`)) as unknown[];
    t.deepEqual(value, [
      ['a.b.c', [1700000000, 1.5]],
      ['d.e', [1700000001.5, '2.5']],
      ['big', [2n ** 70n, -3]],
      ['u\u00e9', [1700000002, Infinity]],
    ]);
  });
}

test('decodePickle() reads carbonlink requests as Maps', (t) => {
  t.deepEqual(decodePickle(bytes('request-proto2')), new Map([['type', 'cache-query'], ['metric', 'a.b']]));
  t.deepEqual(decodePickle(bytes('request-proto5')), new Map<unknown, unknown>([['type', 'cache-query-bulk'], ['metrics', ['a', 'b']]]));
});

test('encodePickle() writes the carbonlink replies CPython writes (same data, protocol 2, no memo)', (t) => {
  const one = encodePickle({ datapoints: [pickleTuple(1700000000, 1.5)] });
  t.is(one.subarray(0, 2).toString('hex'), '8002');
  t.deepEqual(decodePickle(one), decodePickle(bytes('response-proto2')));
  const many = encodePickle({ datapoints: Array.from({ length: 1500 }, (_, i) => pickleTuple(1700000000 + i, i)) });
  t.deepEqual(decodePickle(many), decodePickle(bytes('response-many-proto2')));
});

test('decodePickle() refuses anything that would import or call', (t) => {
  for (const name of ['hostile-reduce', 'hostile-global-proto0']) {
    const error = t.throws(() => decodePickle(bytes(name)), { instanceOf: PickleError });
    t.regex(error?.message ?? '', /refused opcode (GLOBAL|STACK_GLOBAL|REDUCE)/);
  }
});

test('decodePickle() keeps sets and bytes as data', (t) => {
  t.deepEqual(decodePickle(bytes('set-proto4')), new Set([1, 2]));
  t.deepEqual(decodePickle(bytes('bytes-proto3')), [[Uint8Array.from(Buffer.from('raw')), [1, 2]]]);
});

test('decodePickle() throws only PickleError on random and truncated input (property)', (t) => {
  const samples = Object.values(cases).map((hex) => Buffer.from(hex, 'hex'));
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...samples).chain((s) => fc.integer({ min: 0, max: s.length - 1 }).map((n) => s.subarray(0, n)))), (input) => {
      try {
        decodePickle(input);
        return true;
      } catch (error) {
        return error instanceof PickleError;
      }
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('decodePickle() stops a pickle that builds too many objects', (t) => {
  const list = encodePickle(Array.from({ length: 50 }, (_, i) => i));
  t.throws(() => decodePickle(list, { maxObjects: 10 }), { instanceOf: PickleError, message: /more than 10 objects/ });
});

test('decodePickle() turns every failure into PickleError, and refuses giant integers quickly', (t) => {
  t.throws(() => decodePickle(Buffer.from('V\\UFFFFFFFF\n.', 'latin1')), { instanceOf: PickleError });
  const long4 = Buffer.alloc(1 + 4 + 200_000 + 1);
  long4[0] = 0x8b;
  long4.writeInt32LE(200_000, 1);
  long4[long4.length - 1] = 0x2e;
  t.throws(() => decodePickle(long4), { instanceOf: PickleError, message: /too long/ });
});

test('decodePickle() appends to lists only, never to a tuple', (t) => {
  // PROTO 2, EMPTY_LIST, BININT1 1, APPEND, STOP -> [1]
  t.deepEqual(decodePickle(Buffer.from([0x80, 2, 0x5d, 0x4b, 1, 0x61, 0x2e])), [1]);
  // MARK, BININT1 1, BININT1 2, LIST, MARK, BININT1 3, APPENDS, STOP -> [1, 2, 3]
  t.deepEqual(decodePickle(Buffer.from([0x28, 0x4b, 1, 0x4b, 2, 0x6c, 0x28, 0x4b, 3, 0x65, 0x2e])), [1, 2, 3]);
  // EMPTY_TUPLE, BININT1 1, APPEND: Python raises; so does gph.
  t.throws(() => decodePickle(Buffer.from([0x80, 2, 0x29, 0x4b, 1, 0x61, 0x2e])), { instanceOf: PickleError, message: /append to something that is not a list/ });
  // BININT1 1, BININT1 2, TUPLE2, MARK, BININT1 3, APPENDS
  t.throws(() => decodePickle(Buffer.from([0x4b, 1, 0x4b, 2, 0x86, 0x28, 0x4b, 3, 0x65, 0x2e])), { instanceOf: PickleError, message: /append to something that is not a list/ });
});
