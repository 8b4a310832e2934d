import test from 'ava';
import { isGphError } from '../../../src/lib/errors.js';
import { parseATTime, parseInterval } from '../../../src/lib/render/at-time.js';
import { prepareZone } from '../../../src/lib/render/zone-time.js';

const NOW = 1704067200; // 2024-01-01 00:00:00 UTC, a Monday

test('relative and absolute forms resolve as graphite resolves them', (t) => {
  const cases: Array<[string, number]> = [
    ['-2h', NOW - 7200],
    ['now-90min', NOW - 5400],
    ['-1h30min', NOW - 5400],
    ['+1d', NOW + 86400],
    ['-1w', NOW - 7 * 86400],
    ['-1mon', NOW - 30 * 86400],
    ['-1y', NOW - 365 * 86400],
    ['1704063600', 1704063600],
    ['23:00_20231231', NOW - 3600],
    ['00:00_20240101', NOW],
    ['20231231', NOW - 86400],
    ['midnight', NOW],
    ['noon', NOW + 12 * 3600],
    ['teatime', NOW + 16 * 3600],
    ['yesterday', NOW - 86400],
    ['today', NOW],
    ['tomorrow', NOW + 86400],
    ['noon yesterday', NOW - 12 * 3600],
    ['teatime_yesterday', NOW - 8 * 3600],
    ['6pm', NOW + 18 * 3600],
    ['6:30pm', NOW + 18 * 3600 + 1800],
    ['12/31/23', NOW - 86400],
    ['12/31/2023', NOW - 86400],
    ['jan1', NOW],
    ['dec25', 1735084800], // month names use now's year
    ['monday', NOW],
    ['sunday', NOW - 86400],
    ['midnight-1d', NOW - 86400],
    ['NOW', NOW],
  ];
  for (const [text, expected] of cases) t.is(parseATTime(text, 'UTC', NOW), expected, text);
});

test('absolute times are read in the request time zone', async (t) => {
  await prepareZone('America/New_York');
  await prepareZone('Europe/Berlin');
  t.is(parseATTime('18:00_20231231', 'America/New_York', NOW), NOW - 3600);
  t.is(parseATTime('midnight', 'Europe/Berlin', NOW), NOW - 3600);
});

test('bad units and unknown words are clear errors', (t) => {
  for (const bad of ['-5m', '-5', 'nowish', 'feb', '25:00_20240101', '02/30/2024']) {
    const error = t.throws(() => parseATTime(bad, 'UTC', NOW), undefined, bad);
    t.true(isGphError(error, 'RENDER_BAD_TIME'), bad);
  }
});

test('function intervals use the offset parser without a sign', (t) => {
  t.is(parseInterval('1h'), 3600);
  t.is(parseInterval('15min'), 900);
  t.is(parseInterval('-1d'), -86400);
  t.throws(() => parseInterval('5m'), { message: /unit/ });
});
