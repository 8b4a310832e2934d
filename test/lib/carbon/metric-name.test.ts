import test from 'ava';
import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { checkMetricName, isPlainMetricName, metricFilePath, normalizeMetricName, plainNameEnd } from '../../../src/lib/carbon/metric-name.js';

test('checkMetricName() accepts ordinary and tagged names', (t) => {
  for (const name of ['a', 'servers.web-01.cpu_user', 'a.b;tag=1;other=x', 'é.ü']) t.is(checkMetricName(name), undefined, name);
});

test('checkMetricName() refuses names that would escape or collide in the tree', (t) => {
  for (const name of ['', 'a..b', '.a', 'a.', 'a/b', '../x', 'a\u0000b', 'a\nb', 'x'.repeat(300), 'a;novalue', 'a;k=~v', 'a;k!=v']) {
    t.not(checkMetricName(name), undefined, JSON.stringify(name));
  }
});

test('metricFilePath() maps dots to directories and tagged series by sha256', (t) => {
  t.is(metricFilePath('/d', 'a.b.c'), path.join('/d', 'a', 'b', 'c.wsp'));
  t.is(normalizeMetricName('m;b=2;a=1'), 'm;a=1;b=2');
  const tagged = metricFilePath('/d', 'm;b=2;a=1');
  t.is(tagged, metricFilePath('/d', 'm;a=1;b=2'));
  t.regex(tagged, /^\/d\/_tagged\/[0-9a-f]{3}\/[0-9a-f]{3}\/[0-9a-f]{64}\.wsp$/);
});

test('metricFilePath() with TAG_HASH_FILENAMES off names a tagged file by its normal form, dots as _DOT_', (t) => {
  const digest = createHash('sha256').update('disk.used;env=prod.eu;host=a').digest('hex');
  t.is(metricFilePath('/d', 'disk.used;host=a;env=prod.eu', false), path.join('/d', '_tagged', digest.slice(0, 3), digest.slice(3, 6), 'disk_DOT_used;env=prod_DOT_eu;host=a.wsp'));
  t.is(metricFilePath('/d', 'disk.used;host=a;env=prod.eu'), path.join('/d', '_tagged', digest.slice(0, 3), digest.slice(3, 6), `${digest}.wsp`));
  t.is(metricFilePath('/d', 'a.b', false), path.join('/d', 'a', 'b.wsp'));
});

test('isPlainMetricName() only vouches for names checkMetricName() accepts, and knows the usual ones (property)', (t) => {
  const piece = fc.oneof(fc.stringMatching(/^[a-z0-9_.-]{0,12}$/), fc.constantFrom('.', '..', ';a=b', '/', ' ', '\t', '\u0000', '\u007f', 'é', 'x'.repeat(252), 'y'.repeat(251)));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
      const name = pieces.join('');
      return !isPlainMetricName(name) || checkMetricName(name) === undefined;
    }),
    { numRuns: 5000 },
  );
  for (const name of ['servers.web01.cpu.user', 'a', 'collectd.host_1.load-avg.shortterm', `${'y'.repeat(251)}.z`]) t.true(isPlainMetricName(name), name);
  for (const name of ['', 'a..b', '.a', 'a.', 'a/b', 'a;b=c', 'a b', 'é.x', `${'x'.repeat(252)}.z`]) t.false(isPlainMetricName(name), name);
});

test('plainNameEnd() finds the first space of a line and says whether the name before it is plain (property)', (t) => {
  const char = fc.constantFrom('a', 'Z', '0', '.', '_', '-', ' ', '/', ';', '\t', 'é', '\u0000', '\u007f');
  fc.assert(
    fc.property(fc.array(char, { maxLength: 30 }).map((cs) => cs.join('')), fc.nat(5), fc.nat(5), (line, before, after) => {
      const text = `${'x'.repeat(before)}${line}${'y '.repeat(after)}`;
      const end = before + line.length;
      const scanned = plainNameEnd(text, before, end);
      const space = line.indexOf(' ');
      const firstSpace = space < 0 ? end : before + space;
      const name = text.slice(before, firstSpace);
      return (scanned >= 0 ? scanned : ~scanned) === firstSpace && scanned >= 0 === isPlainMetricName(name);
    }),
    { numRuns: 3000 },
  );
  const long = `${'a.'.repeat(2500)}a`; // short components, but a name over MAX_METRIC_NAME_BYTES
  t.is(plainNameEnd(long, 0, long.length), ~long.length);
  t.is(plainNameEnd(long, 0, 4095), 4095, 'within the limit');
});
