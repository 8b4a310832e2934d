import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { CARBON_RELAY_DEFAULTS } from '../../../../../src/lib/carbon/config/relay-settings.js';
import { applyCRelayListeners, loadCRelayConfig, parseCRelayConfig } from '../../../../../src/lib/carbon/relay/crelay/crelay-config.js';
import { GphError } from '../../../../../src/lib/errors.js';
import { tempDir } from '../../../../_helpers/temp-dir.js';

const example = `# a commented configuration
listen
    type linemode
        2103 proto tcp
        127.0.0.1:2104 proto udp
    ;
statistics submit every 60 seconds ;
cluster ring
    carbon_ch replication 2
        10.0.0.1:2004=a
        10.0.0.2=b proto tcp type linemode
        [::1]:2005
    ;
cluster mirror forward useall 10.1.0.1 10.1.0.2:2103 ; # inline comment
rewrite "^old\\.(.*)" into new.\\1 ;
match ^a\\. ^b\\.
    send to ring mirror
    stop
    ;
match * send to blackhole ;
`;

test('parses clusters, members with defaults, rules in order, listeners and ignored statistics', (t) => {
  const config = parseCRelayConfig(example, 'relay.conf');
  const ring = config.clusters.get('ring')!;
  t.is(ring.kind, 'carbon_ch');
  t.is(ring.replication, 2);
  t.deepEqual(ring.members, [
    { server: '10.0.0.1', port: 2004, instance: 'a' },
    { server: '10.0.0.2', port: 2003, instance: 'b' },
    { server: '::1', port: 2005, instance: null },
  ]);
  t.deepEqual(config.clusters.get('mirror')!.members.map((m) => m.port), [2003, 2103]);
  t.deepEqual(config.rules.map((r) => r.type), ['rewrite', 'match', 'match']);
  const [rewrite, first, last] = config.rules;
  t.is(rewrite.type === 'rewrite' && rewrite.replacement, 'new.\\1');
  t.true(first.type === 'match' && first.stop && first.patterns.length === 2 && first.sendTo.join() === 'ring,mirror');
  t.true(last.type === 'match' && last.patterns.length === 0 && last.stop, 'send to blackhole stops by itself');
  t.deepEqual(config.listeners, [
    { interface: undefined, port: 2103, proto: 'tcp' },
    { interface: '127.0.0.1', port: 2104, proto: 'udp' },
  ]);
  t.is(config.ignored.length, 1);
  const settings = applyCRelayListeners(CARBON_RELAY_DEFAULTS, config.listeners);
  t.is(settings.LINE_RECEIVER_PORT, 2103);
  t.true(settings.ENABLE_UDP_LISTENER);
  t.is(settings.UDP_RECEIVER_INTERFACE, '127.0.0.1');
});

test('include reads other files, globs included (relative paths are from the working directory, as in carbon-c-relay)', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'conf.d', '10-cluster.conf'), 'cluster c forward 127.0.0.1:1 ;\n');
  fs.writeFileSync(path.join(dir, 'conf.d', '20-match.conf'), 'match * send to c ;\n');
  fs.writeFileSync(path.join(dir, 'conf.d', 'skip.txt'), 'not a config');
  fs.writeFileSync(path.join(dir, 'relay.conf'), `include ${path.join(dir, 'conf.d')}/*.conf ;\n`);
  const config = loadCRelayConfig(path.join(dir, 'relay.conf'));
  t.true(config.clusters.has('c'));
  t.is(config.rules.length, 1);
});

const bad: Array<[string, string, RegExp]> = [
  ['cluster c forward 127.0.0.1:1', 'CONFIG_SYNTAX', /relay\.conf:1: .*no closing ";"/],
  ['cluster c roundrobin 127.0.0.1:1 ;', 'CONFIG_SYNTAX', /unknown cluster type "roundrobin"/],
  ['cluster c carbon_ch replication 3 127.0.0.1:1 127.0.0.1:2 ;', 'CONFIG_SYNTAX', /replication 3 but has 2 members/],
  ['cluster c forward replication 2 127.0.0.1:1 ;', 'CONFIG_SYNTAX', /replication applies to hash clusters/],
  ['cluster c forward 127.0.0.1:99999 ;', 'CONFIG_SYNTAX', /cannot read the member "127.0.0.1:99999"/],
  ['cluster c forward ;', 'CONFIG_SYNTAX', /has no members/],
  ['cluster c forward 127.0.0.1:1 proto udp ;', 'CONFIG_UNSUPPORTED', /sending with proto udp/],
  ['cluster c file /tmp/x ;', 'CONFIG_UNSUPPORTED', /"file" cluster/],
  ['cluster c forward 127.0.0.1:1 ;\nmatch * send to nowhere ;', 'CONFIG_VALUE', /cluster "nowhere", which is not defined/],
  ['cluster c forward 127.0.0.1:1 ;\nmatch * validate ^[0-9]+ else drop send to c ;', 'CONFIG_UNSUPPORTED', /validate/],
  ['match ^a( send to blackhole ;', 'CONFIG_SYNTAX', /not a POSIX extended regular expression: unmatched \(/],
  ['match a(?=b) send to blackhole ;', 'CONFIG_SYNTAX', /"\(\?" in "a\(\?=b\)" is not POSIX/],
  ['match send to blackhole ;', 'CONFIG_SYNTAX', /match needs \* or at least one expression/],
  ['match * send to blackhole stop now ;', 'CONFIG_SYNTAX', /unexpected "now"/],
  ['cluster c forward 127.0.0.1:1 ;\nmatch * send to c blackhole ;', 'CONFIG_SYNTAX', /blackhole cannot be combined/],
  ['aggregate ^a every 10 seconds expire after 30 seconds compute sum write to b ;', 'CONFIG_UNSUPPORTED', /aggregate is not supported/],
  ['\n\nfrobnicate ;', 'CONFIG_SYNTAX', /relay\.conf:3: unknown statement "frobnicate"/],
  ['cluster c forward 127.0.0.1:1 ;\ncluster c forward 127.0.0.1:2 ;', 'CONFIG_SYNTAX', /defined twice/],
];

for (const [text, code, message] of bad) {
  test(`refuses with ${code}: ${text.trim().split('\n').at(-1)}`, (t) => {
    const error = t.throws(() => parseCRelayConfig(text, 'relay.conf'), { instanceOf: GphError });
    t.is(error?.code, code);
    t.regex(error!.message, message);
    t.truthy(error?.hint);
  });
}

test('a missing file is a clear file-system error', (t) => {
  const error = t.throws(() => loadCRelayConfig('/nonexistent/relay.conf'), { instanceOf: GphError });
  t.regex(error!.message, /relay\.conf/);
});
