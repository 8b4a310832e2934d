/**
 * gph's carbon-c-relay routing against the real carbon-c-relay (Debian 3.7.3) in test mode
 * (`carbon-c-relay -f CONFIG -t`): seeded configurations with every cluster type gph carries out
 * (forward, any_of, failover, carbon_ch with colliding instances, fnv1a_ch with and without
 * instances, jump_fnv1a_ch with numeric and named instances, replication), rewrites, multi-
 * expression matches, blackhole and stop, over thousands of names (non-ASCII included).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGph } from '../_helpers/run-gph.js';

const SENTINEL = 'zzsentinel';

test.before((t) => {
  const probe = spawnSync('carbon-c-relay', ['-v'], { encoding: 'utf8' });
  if (probe.error) throw new Error('carbon-c-relay is missing: apt-get install -y carbon-c-relay');
  t.pass();
});

const names = [
  ...Array.from({ length: 1200 }, (_, i) => `${['servers', 'apps', 'old', 'audit', 'junk', 'db'][i % 6]}.host${i % 89}.${['cpu', 'mem', 'disk'][i % 3]}.m${i}`),
  ...Array.from({ length: 60 }, (_, i) => `${['apps', 'servers', 'audit'][i % 3]}.ünïcødé${i}.名前`),
  'a.b.c',
  'x'.repeat(200),
  'with-dash_and:colon#hash',
];

interface ConfigShape {
  clusters: string[];
  rules: string[];
}

const memberArbitrary = (kind: string, count: number, hosts: number, instances: 'none' | 'named' | 'numeric' | 'mixed') =>
  Array.from({ length: count }, (_, i) => {
    const host = `10.2.0.${(i % hosts) + 1}`;
    const port = 2003 + i;
    const distinct = (i * 7919) % 100_003;
    const instance = instances === 'none' ? '' : instances === 'named' ? `=n${distinct}` : instances === 'numeric' ? `=${distinct}` : i % 2 ? `=${distinct}` : '';
    return `${host}:${port}${kind === 'carbon_ch' && instances === 'none' && count > hosts ? `=i${i}` : instance}`;
  });

const configArbitrary: fc.Arbitrary<ConfigShape> = fc
  .record({
    hashKind: fc.constantFrom('carbon_ch', 'fnv1a_ch', 'jump_fnv1a_ch'),
    hashCount: fc.integer({ min: 1, max: 60 }),
    hashHosts: fc.integer({ min: 1, max: 4 }),
    instances: fc.constantFrom<'none' | 'named' | 'numeric' | 'mixed'>('none', 'named', 'numeric', 'mixed'),
    replication: fc.integer({ min: 1, max: 3 }),
    anyCount: fc.integer({ min: 1, max: 7 }),
    withRewrite: fc.boolean(),
    stopAudit: fc.boolean(),
  })
  .map(({ hashKind, hashCount, hashHosts, instances, replication, anyCount, withRewrite, stopAudit }) => ({
    clusters: [
      `cluster ring\n    ${hashKind} replication ${Math.min(replication, hashCount)}\n${memberArbitrary(hashKind, hashCount, hashHosts, instances).map((m) => `        ${m}\n`).join('')}    ;`,
      `cluster spread\n    any_of\n${Array.from({ length: anyCount }, (_, i) => `        10.3.0.${i + 1}:2003\n`).join('')}    ;`,
      'cluster backup\n    failover\n        10.4.0.1:2003\n        10.4.0.2\n    ;',
      'cluster mirror\n    forward\n        10.5.0.1:2103\n        10.5.0.2:2103\n    ;',
    ],
    rules: [
      ...(withRewrite ? ['rewrite ^old\\.host([0-9]+)\\.(cpu|mem)\n    into new.h\\1.\\^2\n    ;'] : []),
      `match ^audit\\.\n    send to mirror backup\n    ${stopAudit ? 'stop\n    ' : ''};`,
      'match ^junk\\.\n    send to blackhole\n    stop\n    ;',
      'match ^apps\\. ^new\\.\n    send to spread\n    ;',
      'match ^(servers|apps|audit|new|a)\\.\n    send to ring\n    stop\n    ;',
    ],
  }));

/** carbon-c-relay -t output, split per input by the sentinel, as gph relay test prints it. */
function parseTestMode(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.lastIndexOf('') >= 0 ? lines.lastIndexOf('', lines.length - 2) + 1 : 0;
  const chunks: string[][] = [[]];
  let skipping = true;
  for (const line of lines.slice(start)) {
    if (line.includes(`-> ${SENTINEL}`)) {
      chunks.push([]);
      skipping = true;
    } else if (line === 'match' || line === 'rewrite' || line.startsWith('nothing matched ')) skipping = false;
    if (!skipping) chunks.at(-1)!.push(line);
  }
  const out: string[] = [];
  for (const chunk of chunks) {
    let metric = '';
    let matched = false;
    let step: string | undefined;
    let members: string[] = [];
    const flush = (): void => {
      if (step) out.push(`${metric}\t${step}\t${members.join(',')}`);
      step = undefined;
      members = [];
    };
    for (const line of chunk) {
      const arrow = / -> (.*)$/.exec(line);
      if (line.startsWith('nothing matched ')) out.push(`${line.slice('nothing matched '.length)}\tnothing matched`);
      else if (line === 'match' || line === 'rewrite') flush();
      else if (arrow) metric = arrow[1];
      else if (/^ {4}\w+\([^)]*\)$/.test(line)) {
        flush();
        matched = true;
        step = line.trim();
      } else if (/^ {8}\S/.test(line)) members.push(line.trim());
      else if (line.trim() === 'blackholed') {
        flush();
        matched = true;
        out.push(`${metric}\tblackholed`);
      }
    }
    flush();
    if (!matched && metric && !chunk.some((l) => l.startsWith('nothing matched '))) out.push(`${metric}\tnothing matched`);
  }
  return out;
}

test('gph relay test -f routes every name where carbon-c-relay -t does (seeded configurations)', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-crelay-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const shapes = fc.sample(configArbitrary, { seed: 3737, numRuns: 24 });
  const input = names.flatMap((name, i) => [`${SENTINEL}.${i}`, name]).join('\n');
  let compared = 0;
  for (const [index, shape] of shapes.entries()) {
    const file = path.join(dir, `relay-${index}.conf`);
    fs.writeFileSync(file, [`match ^${SENTINEL}\\.\n    send to blackhole\n    stop\n    ;`, ...shape.clusters, ...shape.rules].join('\n') + '\n');
    const reference = spawnSync('carbon-c-relay', ['-f', file, '-t'], { input, encoding: 'utf8' });
    t.is(reference.status, 0, reference.stderr);
    const ours = runGph(['relay', 'test', '-f', file], { input: names.join('\n') });
    t.is(ours.status, 0, ours.stderr);
    const theirs = parseTestMode(reference.stdout).filter((line) => !line.startsWith(SENTINEL));
    const mine = ours.stdout.trimEnd().split('\n');
    t.true(theirs.length >= names.length, `${index}: parsed ${theirs.length} lines`);
    const disagreements = mine.filter((line, i) => line !== theirs[i]);
    t.deepEqual(disagreements.slice(0, 3), [], `${index}: ${shape.clusters[0].split('\n')[1]}`);
    compared += mine.length;
  }
  t.true(compared > 24 * names.length);
});

test("gph relay test -f agrees with carbon-c-relay on ../shared's example configurations", (t) => {
  const examples = path.resolve('../shared/carbon-peers/c-relay-examples');
  for (const name of fs.readdirSync(examples).filter((f) => f.endsWith('.conf'))) {
    const text = fs.readFileSync(path.join(examples, name), 'utf8');
    const file = path.join(os.tmpdir(), `gph-crelay-example-${process.pid}-${name}`);
    fs.writeFileSync(file, `match ^${SENTINEL}\\. send to blackhole stop ;\n${text}`);
    t.teardown(() => fs.rmSync(file, { force: true }));
    const input = names.flatMap((n, i) => [`${SENTINEL}.${i}`, n]).join('\n');
    const reference = spawnSync('carbon-c-relay', ['-f', file, '-t'], { input, encoding: 'utf8' });
    const ours = runGph(['relay', 'test', '-f', file], { input: names.join('\n') });
    t.is(ours.status, 0, ours.stderr);
    t.deepEqual(ours.stdout.trimEnd().split('\n'), parseTestMode(reference.stdout).filter((line) => !line.startsWith(SENTINEL)), name);
  }
});

test('gph relay test -f agrees with carbon-c-relay on blackhole, quoting, replacement and jump-order corner cases', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-crelay-corner-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const configs = [
    // send to blackhole stops by itself
    'cluster def forward 10.0.0.1:2003 ;\nmatch ^junk\\. send to blackhole ;\nmatch * send to def ;',
    // inside double quotes a backslash escapes the next character
    'cluster def forward 10.0.0.1:2003 ;\nmatch "^a\\.b" send to def stop ;\nmatch "^c\\\\.d" send to def stop ;\nmatch * send to blackhole ;',
    // replacements: combined modifiers, two-digit groups, a backslash before other characters
    'cluster def forward 10.0.0.1:2003 ;\nrewrite ^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)\\.(.*) into \\11-\\10-\\12 ;\nrewrite ^up\\.(.*) into u.\\^.1 ;\nrewrite ^lo\\.(.*) into l.\\_.1 ;\nrewrite ^bs\\.(.*) into b\\n\\x\\1 ;\nmatch * send to def ;',
    // jump_fnv1a_ch orders numeric instances with C's int difference
    'cluster j jump_fnv1a_ch 10.0.0.1:2003=3000000000 10.0.0.2:2003=1 10.0.0.3:2003=2 ;\ncluster k jump_fnv1a_ch 10.0.1.1:2003=2000000000 10.0.1.2:2003=-2000000000 10.0.1.3:2003=0 ;\nmatch * send to j k ;',
  ];
  // POSIX extended expressions, not JavaScript ones: [:classes:], \d as a plain d, a backslash in brackets, {,n}, GNU word edges, a** and a stray ).
  const posix = ['^[[:alpha:]]+\\.x$', '[[:digit:]]{3}', '^\\d$', '^[\\w]+$', '[]x]y', '^a{,3}b$', '\\<foo\\>', '^q**$', 'r)s', '^[[:upper:][:punct:]]+$'];
  configs.push([...posix.map((_, i) => `cluster c${i} forward 10.0.2.${i + 1}:2003 ;`), ...posix.map((expr, i) => `match ${expr} send to c${i} stop ;`), 'match * send to blackhole ;'].join('\n'));
  const sample = ['junk.x', 'junk', 'a.b', 'axb', 'c.d', 'cxd', 'abcdefghijk.rest', 'up.ab.cd', 'lo.AB.CD', 'bs.val', 'abc.x', 'x123', 'd', '9', 'w', '\\', 'ww', ']y', 'xy', 'aab', 'aaaab', 'b', 'a.foo.b', 'xfoo.b', 'q', 'qqq', 'r)s', 'AB!', 'Ab', ...names.slice(0, 300)];
  for (const [index, text] of configs.entries()) {
    const file = path.join(dir, `corner-${index}.conf`);
    fs.writeFileSync(file, `match ^${SENTINEL}\\. send to blackhole stop ;\n${text}\n`);
    const reference = spawnSync('carbon-c-relay', ['-f', file, '-t'], { input: sample.flatMap((n, i) => [`${SENTINEL}.${i}`, n]).join('\n'), encoding: 'utf8' });
    t.is(reference.status, 0, reference.stderr);
    const ours = runGph(['relay', 'test', '-f', file], { input: sample.join('\n') });
    t.is(ours.status, 0, ours.stderr);
    t.deepEqual(ours.stdout.trimEnd().split('\n'), parseTestMode(reference.stdout).filter((line) => !line.startsWith(SENTINEL)), text);
  }
});
