import test from 'ava';
import fc from 'fast-check';
import { ConsistentHashingRouter } from '../../../../src/lib/carbon/relay/consistent-hashing-router.js';
import { formatDestination, parseDestination } from '../../../../src/lib/carbon/relay/destination.js';
import { ConsistentHashRing, type RingNode, carbonHash, fnv1a32, replicaKey } from '../../../../src/lib/carbon/relay/hash-ring.js';
import { GphError } from '../../../../src/lib/errors.js';

test('carbonHash() and fnv1a32() match carbon and the FNV reference values', (t) => {
  t.is(carbonHash('a.b.c', 'carbon_ch'), 21823);
  t.is(carbonHash('servers.web01.cpu', 'carbon_ch'), 51783);
  t.is(fnv1a32(Buffer.from('')), 0x811c9dc5);
  t.is(fnv1a32(Buffer.from('a')), 0xe40c292c);
  t.is(fnv1a32(Buffer.from('foobar')), 0xbf9cf968);
  const big = fnv1a32(Buffer.from('0-a'));
  t.is(carbonHash('0-a', 'fnv1a_ch'), (big >>> 16) ^ (big & 0xffff));
});

test("replicaKey() formats the node as Python's str() of the tuple", (t) => {
  t.is(replicaKey({ server: '127.0.0.1', instance: 'a' }, 0, 'carbon_ch'), "('127.0.0.1', 'a'):0");
  t.is(replicaKey({ server: '127.0.0.1', instance: null }, 7, 'carbon_ch'), "('127.0.0.1', None):7");
  t.is(replicaKey({ server: 'h', instance: "it's" }, 1, 'carbon_ch'), `('h', "it's"):1`);
  t.is(replicaKey({ server: 'h', instance: 'a' }, 3, 'fnv1a_ch'), '3-a');
  t.is(replicaKey({ server: 'h', instance: null }, 3, 'fnv1a_ch'), '3-None');
});

test('the ring has 100 unique positions per node in carbon order, colliding ones moved up', (t) => {
  const ring = new ConsistentHashRing([{ server: '127.0.0.1', instance: 'a' }]);
  t.deepEqual(ring.entries().slice(0, 3).map((e) => e.position), [398, 474, 2153]);
  const nodes: RingNode[] = Array.from({ length: 60 }, (_, i) => ({ server: `10.0.0.${i % 4}`, instance: `i${i}` }));
  const big = new ConsistentHashRing(nodes);
  const positions = big.entries().map((e) => e.position);
  t.is(positions.length, 6000);
  t.is(new Set(positions).size, 6000);
  t.deepEqual([...positions].sort((a, b) => a - b), positions);
});

test("getNodes() keeps carbon's quirk: a single node is yielded twice", (t) => {
  const ring = new ConsistentHashRing([{ server: 'h', instance: 'a' }]);
  t.is([...ring.getNodes('x')].length, 2);
  const router = new ConsistentHashingRouter([parseDestination('h:2004:a')], { replicationFactor: 2, diverseReplicas: false });
  t.deepEqual(router.getDestinations('x').map(formatDestination), ['h:2004:a', 'h:2004:a']);
});

test('diverse replicas give one copy per server; duplicate (server, instance) is refused', (t) => {
  const destinations = ['127.0.0.1:2004:a', '127.0.0.1:2104:b', '127.0.0.2:2004:a'].map(parseDestination);
  t.is(new ConsistentHashingRouter(destinations, { replicationFactor: 3 }).getDestinations('m').length, 2);
  t.is(new ConsistentHashingRouter(destinations, { replicationFactor: 3, diverseReplicas: false }).getDestinations('m').length, 3);
  t.is((t.throws(() => new ConsistentHashingRouter(['h:1:a', 'h:2:a'].map(parseDestination))) as GphError).code, 'CONFIG_VALUE');
});

test('parseDestination() reads host:port[:instance] and [v6]:port[:instance]', (t) => {
  t.deepEqual(parseDestination('127.0.0.1:2004:a'), { server: '127.0.0.1', port: 2004, instance: 'a' });
  t.deepEqual(parseDestination('cache1:2004'), { server: 'cache1', port: 2004, instance: null });
  t.deepEqual(parseDestination('[::1]:2004:b'), { server: '::1', port: 2004, instance: 'b' });
  for (const bad of ['nohost', 'h:0', 'h:70000', ':2004', 'h:port']) t.throws(() => parseDestination(bad), undefined, bad);
});

test('removing a node moves only the keys it owned (property)', (t) => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('a', 'b', 'c', 'd')), { minLength: 2, maxLength: 6, selector: ([h, i]) => `${h}:${i}` }), fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 50 }), fc.constantFrom('carbon_ch' as const, 'fnv1a_ch' as const), (pairs, names, hashType) => {
      const nodes = pairs.map(([h, i]) => ({ server: `10.0.0.${h}`, instance: i }));
      if (hashType === 'fnv1a_ch' && new Set(nodes.map((n) => n.instance)).size < nodes.length) return true; // fnv1a ignores the host
      const ring = new ConsistentHashRing(nodes, hashType);
      const before = names.map((n) => ring.getNode(n));
      const gone = nodes[0];
      ring.removeNode(gone);
      return names.every((n, k) => (before[k] === gone ? ring.getNode(n) !== gone : ring.getNode(n) === before[k]));
    }),
  );
  t.pass();
});
