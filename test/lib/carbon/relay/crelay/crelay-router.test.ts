import test from 'ava';
import fc from 'fast-check';
import { parseCRelayConfig } from '../../../../../src/lib/carbon/relay/crelay/crelay-config.js';
import { CRelayHashRing, crelayFnv1a32, crelayFnv1a64, jumpBucket } from '../../../../../src/lib/carbon/relay/crelay/crelay-hash-ring.js';
import { CRelayRouter, cleanCRelayMetric, expandReplacement } from '../../../../../src/lib/carbon/relay/crelay/crelay-router.js';

const members = (count: number, instance: (i: number) => string | null = () => null) =>
  Array.from({ length: count }, (_, i) => ({ server: `10.0.0.${i + 1}`, port: 2003, instance: instance(i) }));

test('FNV-1a reads bytes as signed chars, as carbon-c-relay does (values checked against the relay)', (t) => {
  t.is(crelayFnv1a32('a'), 0xe40c292c);
  t.not(crelayFnv1a32('é'), 0);
  // jump buckets carbon-c-relay 3.7.3 chose for these names among 7 members (from `carbon-c-relay -t`).
  t.is(jumpBucket(crelayFnv1a64('ab'), 7), 2);
  t.is(jumpBucket(crelayFnv1a64('é'), 7), 5);
  t.is(jumpBucket(crelayFnv1a64('sé'), 7), 4);
});

test('jump hash: buckets stay in range, and growing the cluster moves only keys to the new bucket', (t) => {
  const stays = fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (name, buckets) => {
    const hash = crelayFnv1a64(name);
    const before = jumpBucket(hash, buckets);
    const after = jumpBucket(hash, buckets + 1);
    return before >= 0 && before < buckets && (after === before || after === buckets);
  });
  t.notThrows(() => fc.assert(stays));
});

test('every hash cluster returns `replication` distinct members', (t) => {
  const kinds = fc.constantFrom('carbon_ch', 'fnv1a_ch', 'jump_fnv1a_ch' as const);
  const distinct = fc.property(kinds, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 4 }), fc.string({ minLength: 1 }), (kind, count, replication, name) => {
    const ring = new CRelayHashRing(kind, members(count, (i) => (i % 2 ? String(i) : null)));
    const chosen = ring.memberIndexes(name, replication);
    return chosen.length === Math.min(replication, count) && new Set(chosen).size === chosen.length;
  });
  t.notThrows(() => fc.assert(distinct));
});

test('carbon_ch: a member whose slots all collide keeps none of them (c-relay keeps the first entry)', (t) => {
  const ring = new CRelayHashRing('carbon_ch', [
    { server: '10.0.0.1', port: 2003, instance: 'a' },
    { server: '10.0.0.1', port: 2004, instance: 'a' },
  ]);
  for (const name of ['x', 'y', 'z', 'servers.a.b']) t.deepEqual(ring.memberIndexes(name, 2), [0]);
});

test('rewrite replacements: groups, case changes, dots to underscores, \\0 empty', (t) => {
  const groups = ['a.b', 'Ab', 'x.y'];
  t.is(expandReplacement('\\2-\\1', groups), 'x.y-Ab');
  t.is(expandReplacement('\\_1.\\^1.\\.2.\\0', groups), 'ab.AB.x_y.');
  t.is(expandReplacement('\\^.2|\\_.1', ['', 'A.b', 'c.D']), 'C_D|a_b');
  t.is(expandReplacement('\\11-\\1', ['', 'a', '', '', '', '', '', '', '', '', '', 'k']), 'k-a');
  t.is(expandReplacement('a\\nb\\x\\1', ['', 'lo']), 'anbxlo');
});

test('cleans names as carbon-c-relay does on the network path', (t) => {
  t.is(cleanCRelayMetric('a.b.c'), 'a.b.c');
  t.is(cleanCRelayMetric('.a..b...c.'), 'a.b.c');
  t.is(cleanCRelayMetric('a.b%c'), 'a.b_c');
  t.is(cleanCRelayMetric('é.x'), '__.x');
  t.is(cleanCRelayMetric('a:b#c-d_e'), 'a:b#c-d_e');
  t.is(cleanCRelayMetric('cpu.load;host=a b'), 'cpu.load;host=a b');
  t.is(cleanCRelayMetric('a.;b=c'), 'a.;b=c', 'a trailing dot before tags stays');
  t.is(cleanCRelayMetric('a..;b=c'), 'a.;b=c');
});

test('routing: rewrite first, matches in order, stop, blackhole, any_of fall-back order', (t) => {
  const config = parseCRelayConfig(
    [
      'cluster f forward 10.0.0.1 10.0.0.2 ;',
      'cluster any any_of 10.1.0.1 10.1.0.2 10.1.0.3 ;',
      'rewrite ^old\\.(.*) into new.\\1 ;',
      'match ^new\\. send to f ;',
      'match ^drop\\. send to blackhole ;',
      'match * send to any ;',
    ].join('\n'),
    'relay.conf',
  );
  const router = new CRelayRouter(config);
  const old = router.route('old.x');
  t.deepEqual(old.rewrites, [['old.x', 'new.x']]);
  t.deepEqual(old.steps.map((s) => [s.metric, s.cluster.name, s.pick]), [['new.x', 'f', 'all'], ['new.x', 'any', 'first-up']]);
  const dropped = router.route('drop.y');
  t.true(dropped.blackholed);
  t.is(dropped.steps.length, 0);
  const anyStep = router.route('z.z').steps[0];
  t.is(anyStep.destinations.length, 3);
  t.is(anyStep.destinations[0].server, `10.1.0.${(crelayFnv1a32('z.z') % 3) + 1}`);
  t.is(new Set(anyStep.destinations.map((d) => d.server)).size, 3);
  t.deepEqual(router.destinations().map((d) => d.server), ['10.0.0.1', '10.0.0.2', '10.1.0.1', '10.1.0.2', '10.1.0.3']);
});
