/**
 * json.dumps' spelling (ensure_ascii, ", " and ": " separators), checked against Python itself.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { pyJsonCompact, pyJsonString } from '../../../src/lib/python/py-json.js';

const python = (script: string, input: string): string => {
  const run = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
};

test('pyJsonString() escapes as json.dumps does, for any string (Python as the oracle)', (t) => {
  const strings = fc.sample(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('a.b.c', 'quo"te', 'back\\slash', 'tab\there', 'del\u007f', 'é', '😀', '')), { numRuns: 400, seed: 42 });
  // Lone surrogates cannot travel through UTF-8 to Python; json.dumps would write them as \\udXXX too.
  const sendable = strings.filter((s) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));
  const expected = python('import json, sys\nfor s in json.load(sys.stdin): print(json.dumps(s))', JSON.stringify(sendable)).split('\n').slice(0, -1);
  t.deepEqual(sendable.map(pyJsonString), expected);
});

test('pyJsonCompact() writes nested lists and objects as json.dumps does', (t) => {
  const value = [{ text: 'h01', id: 'bench.find.g01.h01', allowChildren: 0, expandable: 0, leaf: 1 }, [], {}, [1, 2.5, null, true, 'x']];
  const expected = python('import json, sys\nprint(json.dumps(json.load(sys.stdin)), end="")', JSON.stringify(value));
  t.is(pyJsonCompact(value), expected);
});
