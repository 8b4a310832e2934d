import test from 'ava';
import path from 'node:path';
import { checkMetricName, metricFilePath, normalizeMetricName } from '../../../src/lib/carbon/metric-name.js';

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
