import test from 'ava';
import { encode } from '@msgpack/msgpack';
import { mergeSeries } from '../../../../src/lib/render/cluster/cluster-fanout.js';
import { parseClusterServer } from '../../../../src/lib/render/cluster/cluster-peer.js';
import { MSGPACK_CONTENT_TYPE, decodeFindAnswer, decodeRenderAnswer, encodeFindAnswer } from '../../../../src/lib/render/cluster/cluster-wire.js';
import { decodePickle } from '../../../../src/lib/carbon/protocol/pickle-decoder.js';
import { encodePickle } from '../../../../src/lib/carbon/protocol/pickle-encoder.js';

// pickle.dumps([{'path': 'a.b', 'is_leaf': True, 'intervals': IntervalSet([Interval(1, 5), Interval(10, 20)])},
//               {'path': 'a.c', 'is_leaf': False}], protocol=-1) as graphite-web 1.1.8's find view sends it.
const GRAPHITE_FIND_PICKLE = Buffer.from(
  'gAWV0QAAAAAAAABdlCh9lCiMBHBhdGiUjANhLmKUjAdpc19sZWFmlIiMCWludGVydmFsc5SMEmdyYXBoaXRlLmludGVydmFsc5SMC0ludGVydmFsU2V0lJOUKYGUfZQoaAVdlChoBowISW50ZXJ2YWyUk5QpgZR9lCiMBXN0YXJ0lEsBjANlbmSUSwWMBXR1cGxllEsBSwWGlIwEc2l6ZZRLBHViaA0pgZR9lChoEEsKaBFLFGgSSwpLFIaUaBRLCnViZWgUSw51YnV9lChoAowDYS5jlGgEiXVlLg==',
  'base64',
);

test("decodes graphite-web's find pickle, IntervalSet objects included, without running anything", (t) => {
  t.deepEqual(decodeFindAnswer(GRAPHITE_FIND_PICKLE, 'application/pickle'), [
    { path: 'a.b', isLeaf: true, intervals: [[1, 5], [10, 20]] },
    { path: 'a.c', isLeaf: false, intervals: [] },
  ]);
  t.throws(() => decodePickle(GRAPHITE_FIND_PICKLE), { message: /refused opcode STACK_GLOBAL/ });
});

test('a peer pickle naming any other class is refused', (t) => {
  // pickle.dumps(os.system) style: GLOBAL 'os system'
  const hostile = Buffer.from('cos\nsystem\n(S\'echo hi\'\ntR.', 'latin1');
  t.throws(() => decodeFindAnswer(hostile, 'application/pickle'), { message: /refused class os\.system/ });
});

test('find answers round-trip through pickle and msgpack', (t) => {
  const nodes = [
    { path: 'x.y', isLeaf: true, intervals: [[100, 200]] as Array<[number, number]> },
    { path: 'x.z', isLeaf: false, intervals: [] },
  ];
  t.deepEqual(decodeFindAnswer(encodeFindAnswer(nodes, 'pickle'), 'application/pickle'), nodes);
  t.deepEqual(decodeFindAnswer(encodeFindAnswer(nodes, 'msgpack'), MSGPACK_CONTENT_TYPE), nodes);
});

test('render answers: pickle and msgpack series; malformed ones are a clear error', (t) => {
  const series = [{ name: 'a.b', pathExpression: 'a.*', start: 60, end: 240, step: 60, values: [1, null, 3] }];
  t.deepEqual(decodeRenderAnswer(encodePickle(series), 'application/pickle'), series);
  t.deepEqual(decodeRenderAnswer(Buffer.from(encode(series)), MSGPACK_CONTENT_TYPE), series);
  t.throws(() => decodeRenderAnswer(encodePickle([{ name: 'a', values: [1], start: 0, end: 60, step: 0 }]), 'application/pickle'), { message: /no valid start, end and step/ });
  t.throws(() => decodeRenderAnswer(Buffer.from('not a pickle'), 'application/pickle'), { message: /cannot decode the answer/ });
});

test("merging follows graphite-web's _merge_results, with and without REMOTE_STORE_MERGE_RESULTS", (t) => {
  const base = { path: 'm', start: 0, end: 180, step: 60 };
  t.deepEqual(mergeSeries({ ...base, values: [1, null, null] }, { ...base, values: [9, 2, null] }).values, [1, 2, null]);
  t.deepEqual(mergeSeries({ ...base, values: [1, 2, 3] }, { ...base, values: [9, 9, 9] }).values, [1, 2, 3]);
  t.deepEqual(mergeSeries({ ...base, values: [1, null, 3] }, { ...base, values: [5, null, null, null, null, 6] }).values, [5, null, null, null, null, 6], 'another length replaces a series with nulls');
  t.deepEqual(mergeSeries(undefined, { ...base, values: [1] }).values, [1]);
  t.deepEqual(mergeSeries({ ...base, values: [1, null, null] }, { ...base, values: [9, 2, null] }, false).values, [9, 2, null], 'without merging: fewer nulls win');
  t.deepEqual(mergeSeries({ ...base, values: [1, null, 3] }, { ...base, values: [null, null, 3] }, false).values, [1, null, 3]);
});

test('CLUSTER_SERVERS entries are read as graphite-web reads them', (t) => {
  t.deepEqual(parseClusterServer('10.0.0.2:8080'), { url: 'http://10.0.0.2:8080', host: '10.0.0.2:8080', params: new Map() });
  const msgpack = parseClusterServer('https://graphite.example/prefix/?format=msgpack');
  t.is(msgpack.url, 'https://graphite.example/prefix');
  t.is(msgpack.params.get('format'), 'msgpack');
  t.throws(() => parseClusterServer('http://[bad'), { message: /Cannot read the cluster server/ });
});

test('a small pickle that refers to one object many times decodes in linear time (no exponential copy)', (t) => {
  const bytes: number[] = [0x80, 0x02, 0x5d]; // PROTO 2, EMPTY_LIST (the answer)
  const unicode = (text: string): void => {
    const b = Buffer.from(text);
    bytes.push(0x58, b.length, 0, 0, 0, ...b); // BINUNICODE
  };
  bytes.push(0x7d, 0x28); // EMPTY_DICT, MARK
  unicode('path');
  unicode('x.yz');
  unicode('is_leaf');
  bytes.push(0x88); // NEWTRUE
  unicode('junk');
  bytes.push(0x5d, 0x71, 0, 0x30); // EMPTY_LIST, BINPUT 0, POP
  for (let level = 1; level <= 40; level++) {
    bytes.push(0x5d, 0x28); // EMPTY_LIST, MARK
    for (let k = 0; k < 8; k++) bytes.push(0x68, level - 1); // BINGET: 8 references to the level below
    bytes.push(0x65, 0x71, level); // APPENDS, BINPUT
    if (level < 40) bytes.push(0x30); // POP (the top level stays, as the value of "junk")
  }
  bytes.push(0x75, 0x61, 0x2e); // SETITEMS, APPEND, STOP
  t.deepEqual(decodeFindAnswer(Buffer.from(bytes), 'application/pickle'), [{ path: 'x.yz', isLeaf: true, intervals: [] }]);
});
