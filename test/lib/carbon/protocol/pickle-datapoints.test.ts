/**
 * The pickle receiver's fast path against the general decoder: on every frame it accepts it gives
 * exactly the points decodePickle's list gives, in order; anything else it leaves to the general
 * decoder, handing over nothing. Frames are built the way Python's pickler writes carbon's
 * payloads (memo puts after every string and tuple, ints as BININT*, floats as BINFLOAT, items in
 * MARK ... APPENDS batches, FRAME opcodes at protocol 4+), then also cut and corrupted at random.
 */
import test from 'ava';
import fc from 'fast-check';
import { readDatapointPickle } from '../../../../src/lib/carbon/protocol/pickle-datapoints.js';
import { PickleError, decodePickle } from '../../../../src/lib/carbon/protocol/pickle-decoder.js';
import { encodePickle, pickleTuple } from '../../../../src/lib/carbon/protocol/pickle-encoder.js';
import { isPlainMetricName } from '../../../../src/lib/carbon/metric-name.js';
import { NameTable } from '../../../../src/lib/carbon/receiver/name-table.js';

type Point = [string, number, number];

/** What the receiver takes from a frame through the general decoder, or 'refused'. */
function general(bytes: Uint8Array): Point[] | 'refused' | 'other' {
  let payload;
  try {
    payload = decodePickle(bytes);
  } catch (error) {
    if (error instanceof PickleError) return 'refused';
    throw error;
  }
  if (!Array.isArray(payload)) return 'other';
  const points: Point[] = [];
  for (const item of payload) {
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string') return 'other';
    const datapoint = item[1];
    if (!Array.isArray(datapoint) || datapoint.length !== 2 || typeof datapoint[0] !== 'number' || typeof datapoint[1] !== 'number') return 'other';
    points.push([item[0], datapoint[0], datapoint[1]]);
  }
  return points;
}

function fast(bytes: Uint8Array): Point[] | false {
  const points: Point[] = [];
  return readDatapointPickle(bytes, (metric, timestamp, value) => points.push([metric, timestamp, value])) && points;
}

const table = NameTable.create(() => {});
const withAddon = table ? test : test.skip;

/** The native reader's points (pickle-points.c), or false when it leaves the frame to the JavaScript readers. */
function native(bytes: Uint8Array): Point[] | false {
  const points: Point[] = [];
  return table!.readPickle(Buffer.from(bytes), (_id, name, value, timestamp) => points.push([name, timestamp, value])) && points;
}

/** Points the native reader takes: plain names, finite timestamps that are not "now", values that are not NaN. */
const plainPoints = (points: Point[]): boolean => points.every(([n, ts, v]) => isPlainMetricName(n) && Number.isFinite(ts) && Math.trunc(ts) !== -1 && !Number.isNaN(v));

const same = (a: Point[], b: Point[]): boolean => a.length === b.length && a.every((p, i) => p[0] === b[i][0] && Object.is(p[1], b[i][1]) && Object.is(p[2], b[i][2]));

interface Style {
  protocol: number;
  memo: 'none' | 'binput' | 'long' | 'memoize';
  batch: number;
  frames: boolean;
}

/** A frame as Python's pickler writes [(name, (timestamp, value)), ...]. */
function pythonStyle(points: Point[], style: Style): Buffer {
  const out: number[] = [];
  let memo = 0;
  const u32 = (n: number): void => {
    out.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  };
  const put = (): void => {
    if (style.memo === 'binput') out.push(0x71, memo++ & 0xff);
    else if (style.memo === 'long') {
      out.push(0x72);
      u32(memo++);
    } else if (style.memo === 'memoize') out.push(0x94);
  };
  const number = (n: number): void => {
    if (Number.isInteger(n) && n >= 0 && n < 256) out.push(0x4b, n);
    else if (Number.isInteger(n) && n >= 0 && n < 65536) out.push(0x4d, n & 0xff, n >> 8);
    else if (Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 && !Object.is(n, -0)) {
      out.push(0x4a);
      u32(n >>> 0);
    } else {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(n);
      out.push(0x47, ...b);
    }
  };
  if (style.protocol >= 2) out.push(0x80, style.protocol);
  if (style.frames) {
    out.push(0x95);
    u32(0);
    u32(0);
  }
  out.push(0x5d);
  put();
  for (let start = 0; start < points.length; start += style.batch) {
    const slice = points.slice(start, start + style.batch);
    if (style.batch > 1) out.push(0x28);
    for (const [name, timestamp, value] of slice) {
      const bytes = Buffer.from(name, 'utf8');
      if (bytes.length < 256 && style.protocol >= 4) out.push(0x8c, bytes.length);
      else {
        out.push(0x58);
        u32(bytes.length);
      }
      out.push(...bytes);
      put();
      number(timestamp);
      number(value);
      out.push(0x86);
      put();
      out.push(0x86);
      put();
      if (style.batch === 1) out.push(0x61);
    }
    if (style.batch > 1) out.push(0x65);
  }
  out.push(0x2e);
  return Buffer.from(out);
}

const name = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_.-]{0,30}$/), fc.constantFrom('', 'é.b', 'a b'));
const value = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 300 }), fc.double(), fc.constantFrom(1_700_000_000, 0.5, -0, Number.NaN, Infinity, -1, 255, 256, 40_000, 65_535, 65_536));
const points = fc.array(fc.tuple(name, value, value), { maxLength: 40 });
const style = fc.record({ protocol: fc.integer({ min: 2, max: 5 }), memo: fc.constantFrom('none', 'binput', 'long', 'memoize'), batch: fc.constantFrom(1, 3, 1000), frames: fc.boolean() }) as fc.Arbitrary<Style>;

/** A frame written as Python writes them, then cut, with a byte changed, or with a byte inserted. */
const damagedFrame = fc.tuple(points, style, fc.nat(), fc.nat(255), fc.constantFrom('cut', 'flip', 'insert')).map(([list, how, where, byte, damage]) => {
  const clean = pythonStyle(list as Point[], how);
  const at = where % clean.length;
  if (damage === 'cut') return clean.subarray(0, at);
  if (damage === 'flip') return Buffer.from(clean).fill(byte, at, at + 1);
  return Buffer.concat([clean.subarray(0, at), Buffer.from([byte]), clean.subarray(at)]);
});

test('frames written as Python writes carbon\'s payloads are read as the general decoder reads them', (t) => {
  fc.assert(
    fc.property(points, style, (list, how) => {
      const bytes = pythonStyle(list as Point[], how);
      const expected = general(bytes);
      const got = fast(bytes);
      if (got === false) return list.some(([n]) => /[^\x00-\x7f]/.test(n)); // only non-ASCII names go the slow way
      return Array.isArray(expected) && same(got, expected);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('cut or corrupted frames are either left to the general decoder or read exactly as it reads them', (t) => {
  fc.assert(
    fc.property(damagedFrame, (bytes) => {
      const got = fast(bytes);
      if (got === false) return true;
      const expected = general(bytes);
      return Array.isArray(expected) && same(got, expected);
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('gph\'s own encoder\'s frames take the fast path; memo gets, lists as items and trailing bytes do not', (t) => {
  t.deepEqual(fast(encodePickle([pickleTuple('a.b', pickleTuple(1_700_000_000, 1.5)), pickleTuple('c', pickleTuple(2, 3))])), [
    ['a.b', 1_700_000_000, 1.5],
    ['c', 2, 3],
  ]);
  t.deepEqual(fast(encodePickle([])), []);
  const memoGet = Buffer.from('80025d7100285803000000612e62710158030000006162637102', 'hex');
  t.false(fast(Buffer.concat([memoGet, Buffer.from([0x68, 0x01, 0x65, 0x2e])])));
  t.false(fast(encodePickle([['a.b', [1, 2]]])), 'items that are lists, not tuples');
  t.false(fast(Buffer.concat([pythonStyle([['a', 1, 2]], { protocol: 2, memo: 'binput', batch: 3, frames: false }), Buffer.from([0x2e])])), 'bytes after STOP');
  t.false(fast(pythonStyle([['é', 1, 2]], { protocol: 2, memo: 'binput', batch: 3, frames: false })), 'non-ASCII names are decoded by the general path');
});

test('what Python\'s pickle.dumps writes for carbon (recorded from /usr/bin/python3, protocols 2 and 4) takes the fast path', (t) => {
  // pickle.dumps([('carbon.agents.a.metricsReceived', (1700000000, 12.0)), ('a.b.c', (1700000000.0, 1.5)), ('x', (1700000001, 3))], protocol=N)
  const expected: Point[] = [
    ['carbon.agents.a.metricsReceived', 1_700_000_000, 12],
    ['a.b.c', 1_700_000_000, 1.5],
    ['x', 1_700_000_001, 3],
  ];
  for (const hex of ['80025d710028581f000000636172626f6e2e6167656e74732e612e6d657472696373526563656976656471014a00f153654740280000000000008671028671035805000000612e622e6371044741d954fc40000000473ff800000000000086710586710658010000007871074a01f153654b03867108867109652e', '80049566000000000000005d94288c1f636172626f6e2e6167656e74732e612e6d6574726963735265636569766564944a00f15365474028000000000000869486948c05612e622e63944741d954fc40000000473ff8000000000000869486948c0178944a01f153654b0386948694652e']) {
    const bytes = Buffer.from(hex, 'hex');
    t.deepEqual(fast(bytes), expected);
    t.deepEqual(general(bytes), expected);
  }
});

test('a frame of more memo puts than the general decoder allows is left to it (which refuses it)', (t) => {
  // protocol 4, an empty list, a million MEMOIZE, then ('a', (1, 2)) appended.
  const bytes = Buffer.concat([Buffer.from([0x80, 0x04, 0x5d]), Buffer.alloc(1_000_000, 0x94), Buffer.from([0x8c, 0x01, 0x61, 0x4b, 0x01, 0x4b, 0x02, 0x86, 0x86, 0x61, 0x2e])]);
  t.is(general(bytes), 'refused');
  t.false(fast(bytes));
});

withAddon('the native reader reads the frames of plain points the JavaScript one reads, the same points in order, and leaves the rest (property)', (t) => {
  fc.assert(
    fc.property(points, style, (list, how) => {
      const bytes = pythonStyle(list as Point[], how);
      const expected = fast(bytes);
      const got = native(bytes);
      if (got === false) return expected === false || !plainPoints(expected);
      return expected !== false && same(got, expected);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

withAddon('the native reader on cut or corrupted frames: left to the JavaScript readers, or read exactly as they read them (property)', (t) => {
  fc.assert(
    fc.property(damagedFrame, (bytes) => {
      const got = native(bytes);
      if (got === false) return true;
      const expected = fast(bytes);
      return expected !== false && same(got, expected);
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

withAddon('the native reader reads Python\'s recorded frames and gph\'s own, and leaves a frame of a million memo puts', (t) => {
  const python = Buffer.from('80049566000000000000005d94288c1f636172626f6e2e6167656e74732e612e6d6574726963735265636569766564944a00f15365474028000000000000869486948c05612e622e63944741d954fc40000000473ff8000000000000869486948c0178944a01f153654b0386948694652e', 'hex');
  t.deepEqual(native(python), fast(python));
  t.deepEqual(native(encodePickle([pickleTuple('a.b', pickleTuple(1_700_000_000, 1.5))])), [['a.b', 1_700_000_000, 1.5]]);
  t.deepEqual(native(encodePickle([])), []);
  t.false(native(encodePickle([pickleTuple('a/b', pickleTuple(1, 2))])), 'a name that is not plain');
  t.false(native(encodePickle([pickleTuple('a', pickleTuple(-1, 2))])), '"now"');
  const memo = Buffer.concat([Buffer.from([0x80, 0x04, 0x5d]), Buffer.alloc(1_000_000, 0x94), Buffer.from([0x8c, 0x01, 0x61, 0x4b, 0x01, 0x4b, 0x02, 0x86, 0x86, 0x61, 0x2e])]);
  t.false(native(memo));
});

withAddon('the native reader takes a frame of up to 100,000 points (as the JavaScript one) and leaves a larger one whole', (t) => {
  const frameOf = (count: number): Buffer => encodePickle(Array.from({ length: count }, (_, i) => pickleTuple(`m.${i % 7}`, pickleTuple(1_700_000_000 + i, i))));
  const most = native(frameOf(100_000));
  t.true(most !== false && most.length === 100_000 && most[99_999][2] === 99_999);
  t.false(native(frameOf(100_001)));
  t.false(fast(frameOf(100_001)));
});
