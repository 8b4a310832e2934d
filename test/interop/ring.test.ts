/**
 * gph's ring against carbon's own ConsistentHashingRouter (../shared/carbon-peers/ring.py under
 * /usr/bin/python3) on thousands of names, for carbon_ch and fnv1a_ch, with replication.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConsistentHashingRouter } from '../../src/lib/carbon/relay/consistent-hashing-router.js';
import { formatDestination, parseDestination } from '../../src/lib/carbon/relay/destination.js';
import type { HashType } from '../../src/lib/carbon/relay/hash-ring.js';
import { runGph } from '../_helpers/run-gph.js';
import { CARBON_PEERS, peersAvailable } from './_helpers/peers.js';

test.before(() => {
  const missing = peersAvailable();
  if (missing) throw new Error(missing);
});

interface Scenario {
  destinations: string[];
  hashType: HashType;
  rf: number;
  diverse: boolean;
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    count: fc.integer({ min: 1, max: 12 }),
    hosts: fc.integer({ min: 1, max: 4 }),
    withInstances: fc.boolean(),
    hashType: fc.constantFrom<HashType>('carbon_ch', 'fnv1a_ch'),
    rf: fc.integer({ min: 1, max: 3 }),
    diverse: fc.boolean(),
  })
  .map(({ count, hosts, withInstances, hashType, rf, diverse }) => ({
    destinations: Array.from({ length: count }, (_, i) => `10.1.0.${(i % hosts) + 1}:${2004 + i}${withInstances || hashType === 'fnv1a_ch' || count > hosts ? `:i${i}` : ''}`),
    hashType,
    rf,
    diverse,
  }));

const names = [
  ...Array.from({ length: 1500 }, (_, i) => `servers.host${i % 97}.cpu.core${i % 8}.${['user', 'system', 'idle'][i % 3]}`),
  'a.b.c',
  'é.ü.名前',
  'tagged;env=prod;dc=x',
  'x'.repeat(300),
];

test("gph's router picks the destinations carbon's own router picks (seeded scenarios)", (t) => {
  const scenarios = fc.sample(scenarioArbitrary, { seed: 4242, numRuns: 40 });
  scenarios.push({ destinations: ['127.0.0.1:2004:a', '127.0.0.1:2104:b', '127.0.0.1:2204:c'], hashType: 'carbon_ch', rf: 1, diverse: true });
  scenarios.push({ destinations: Array.from({ length: 60 }, (_, i) => `127.0.0.1:${3000 + i}:c${i}`), hashType: 'carbon_ch', rf: 3, diverse: false });
  for (const scenario of scenarios) {
    const args = [path.join(CARBON_PEERS, 'ring.py'), '--hash', scenario.hashType, '--rf', String(scenario.rf), scenario.diverse ? '--diverse' : '--no-diverse', ...scenario.destinations];
    const reference = spawnSync('/usr/bin/python3', args, { input: names.join('\n'), encoding: 'utf8' });
    t.is(reference.status, 0, reference.stderr);
    const router = new ConsistentHashingRouter(scenario.destinations.map(parseDestination), { hashType: scenario.hashType, replicationFactor: scenario.rf, diverseReplicas: scenario.diverse });
    const ours = names.map((name) => `${name}\t${router.getDestinations(name).map(formatDestination).join(',')}`);
    const theirs = reference.stdout.trimEnd().split('\n');
    const disagreements = ours.filter((line, i) => line !== theirs[i]);
    t.deepEqual(disagreements.slice(0, 3), [], JSON.stringify(scenario));
  }
});

test('gph relay test prints what ring.py prints, positions and c-relay format included', (t) => {
  const destinations = ['127.0.0.1:2004:a', '127.0.0.1:2104:b', '127.0.0.2:2004:a'];
  for (const extra of [['--positions'], ['--format', 'crelay'], ['--hash', 'fnv1a_ch', '--rf', '2', '--no-diverse']]) {
    const input = names.slice(0, 300).map((n) => `${n} 1 1700000000`).join('\n');
    const reference = spawnSync('/usr/bin/python3', [path.join(CARBON_PEERS, 'ring.py'), ...extra, ...destinations], { input, encoding: 'utf8' });
    const ours = runGph(['relay', 'test', ...extra, ...destinations], { input });
    t.is(ours.status, 0, ours.stderr);
    t.is(ours.stdout, reference.stdout, extra.join(' '));
  }
});

test('gph ring lookup --cluster names the owners carbon names (carbon_ch and fnv1a_ch, replication 2)', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-lookup-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const destinations = ['10.0.0.1:2004:a', '10.0.0.2:2004:b', '10.0.0.3:2004:c', '10.0.0.1:2104:d'];
  const sample = names.slice(0, 400);
  for (const hashType of ['carbon_ch', 'fnv1a_ch'] as const) {
    const file = path.join(dir, `${hashType}.conf`);
    fs.writeFileSync(file, `[main]\nDESTINATIONS = ${destinations.join(', ')}\nREPLICATION_FACTOR = 2\nHASHING_TYPE = ${hashType}\n`);
    const reference = spawnSync('/usr/bin/python3', [path.join(CARBON_PEERS, 'ring.py'), '--hash', hashType, '--rf', '2', '--diverse', ...destinations], { input: sample.join('\n'), encoding: 'utf8' });
    t.is(reference.status, 0, reference.stderr);
    const ours = runGph(['ring', 'lookup', '--cluster', file], { input: sample.join('\n') });
    t.is(ours.status, 0, ours.stderr);
    t.is(ours.stdout, reference.stdout, hashType);
  }
});
