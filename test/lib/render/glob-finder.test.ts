import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { expandBraces, globMatcher, matchEntries } from '../../../src/lib/render/glob.js';
import { findMetrics } from '../../../src/lib/render/metric-finder.js';
import { tempDir } from '../../_helpers/temp-dir.js';

test('braces expand innermost first and may hold wildcards', (t) => {
  t.deepEqual(expandBraces('a{b,c}d').sort(), ['abd', 'acd']);
  t.deepEqual(expandBraces('{x,y}{1,2}').sort(), ['x1', 'x2', 'y1', 'y2']);
  t.deepEqual(expandBraces('w{0[1-3],1*}').sort(), ['w0[1-3]', 'w1*']);
});

test('fnmatch: * ? [a-z] [!a] and literal brackets', (t) => {
  const match = (pattern: string, name: string): boolean => globMatcher(pattern)(name);
  t.true(match('www?[05]', 'www05'));
  t.true(match('www?[05]', 'www10'));
  t.false(match('www?[05]', 'www11'));
  t.true(match('www0[!1-8]', 'www09'));
  t.false(match('www0[!1-8]', 'www05'));
  t.true(match('a[', 'a['));
  t.true(match('*.wsp', 'x.y.wsp'));
  t.false(match('a*', 'ba'));
  t.false(match('www0[3-1]', 'www02'), 'a reversed range matches nothing, as in Python 3.11');
  t.true(match('a*b*c', 'aXbYbZc'));
  t.false(match('*?*?*?*?*?*?*?*?*?*?*?*?*?x', 'ip-10-20-30-40_us-west-2_compute_internal'), 'no exponential backtracking');
});

function tree(t: Parameters<typeof tempDir>[0], files: string[]): string {
  const dir = tempDir(t);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

test('the finder matches one directory level per node, leaves and branches', (t) => {
  const dir = tree(t, ['servers/www01/cpu.wsp', 'servers/www02/cpu.wsp', 'servers/www02/mem.wsp', 'servers/.hidden/cpu.wsp', 'app/login/hits.wsp']);
  const find = (pattern: string): string[] =>
    findMetrics(dir, pattern)
      .map((n) => `${n.path}${n.isLeaf ? '' : '/'}`)
      .sort();
  t.deepEqual(find('servers.*.cpu'), ['servers.www01.cpu', 'servers.www02.cpu']);
  t.deepEqual(find('servers.www02.*'), ['servers.www02.cpu', 'servers.www02.mem']);
  t.deepEqual(find('servers.*'), ['servers.www01/', 'servers.www02/']);
  t.deepEqual(find('servers.{www01,www02}.mem'), ['servers.www02.mem']);
  t.deepEqual(find('**.cpu'), ['servers.www01.cpu', 'servers.www02.cpu']);
  t.deepEqual(find('app.**'), ['app.login.hits', 'app.login/']);
  t.deepEqual(find('no.such.metric'), []);
  // A literal node holding a "/" is joined as graphite-web's os.path.join joins it.
  t.deepEqual(find('servers/.www01.cpu'), ['servers.www01.cpu']);
  t.deepEqual(find('servers/.www02.*'), ['servers.www02.cpu', 'servers.www02.mem']);
  t.deepEqual(findMetrics(`${dir}/`, 'app.login.hits').map((n) => n.fsPath), [path.join(dir, 'app/login/hits.wsp')]);
});

test('matchEntries() answers * and *.* as the general matcher does (property)', (t) => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z.]{0,6}$/), { maxLength: 20 }), (entries) =>
      ['*', '*.*'].every((pattern) => JSON.stringify(matchEntries(entries, pattern)) === JSON.stringify([...new Set(entries.filter(globMatcher(pattern)))])),
    ),
  );
  t.pass();
});

test('brace alternatives are looked up, not descended into blindly: many of them at many levels stay cheap', (t) => {
  const dir = tree(t, ['servers/web1/cpu.wsp']);
  // 20 alternatives at 6 levels: descending into every one without a lookup would be 64 million
  // paths (the test would time out); looked up, the missing ones end at the first level.
  const alternatives = `{${Array.from({ length: 20 }, (_, i) => `a${i}`).join(',')}}`;
  t.deepEqual(findMetrics(dir, `${Array(6).fill(alternatives).join('.')}.cpu`), []);
  t.deepEqual(findMetrics(dir, `{servers,${alternatives.slice(1)}.{web1,web2}.cpu`).map((n) => n.path), ['servers.web1.cpu']);
});
