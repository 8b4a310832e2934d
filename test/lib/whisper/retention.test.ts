import test from 'ava';
import { GphError } from '../../../src/lib/errors.js';
import { parseRetentionDef, parseRetentions, validateArchiveList } from '../../../src/lib/whisper/retention.js';

test('parseRetentionDef() reads plain and unit forms', (t) => {
  t.deepEqual(parseRetentionDef('60:1440'), { secondsPerPoint: 60, points: 1440 });
  t.deepEqual(parseRetentionDef('1m:1d'), { secondsPerPoint: 60, points: 1440 });
  t.deepEqual(parseRetentionDef('10s:6h'), { secondsPerPoint: 10, points: 2160 });
  t.deepEqual(parseRetentionDef('10m:5y'), { secondsPerPoint: 600, points: 262800 });
  t.deepEqual(parseRetentionDef(' 1min:2hours '), { secondsPerPoint: 60, points: 120 });
  t.deepEqual(parseRetentionDef('7s:10s'), { secondsPerPoint: 7, points: 1 });
  t.deepEqual(parseRetentions('10s:6h,1m:7d'), [{ secondsPerPoint: 10, points: 2160 }, { secondsPerPoint: 60, points: 10080 }]);
});

test('parseRetentionDef() rejects bad definitions with the reference messages', (t) => {
  const message = (text: string): string | undefined => (t.throws(() => parseRetentionDef(text), { instanceOf: GphError }) as GphError).reference?.message;
  t.is(message('60'), "Invalid retention definition '60'");
  t.is(message('60:xx'), "Invalid retention specification 'xx'");
  t.is(message('1M:10'), "Invalid precision specification '1M'");
  t.is(message('1q:10'), "Invalid unit 'q'");
  t.is(message('60:10:5'), "Invalid retention specification '10:5'");
});

test('validateArchiveList() sorts and enforces the four rules', (t) => {
  const sorted = validateArchiveList([{ secondsPerPoint: 3600, points: 24 }, { secondsPerPoint: 60, points: 60 }]);
  t.deepEqual(sorted.map((a) => a.secondsPerPoint), [60, 3600]);
  const code = (archives: Array<[number, number]>): string | undefined =>
    (t.throws(() => validateArchiveList(archives.map(([secondsPerPoint, points]) => ({ secondsPerPoint, points })))) as GphError).reference?.message;
  t.is(code([]), 'You must specify at least one archive configuration!');
  t.regex(code([[60, 10], [60, 20]]) ?? '', /same precision \(archive0: \(60, 10\), archive1: \(60, 20\)\)/);
  t.regex(code([[60, 30], [90, 60]]) ?? '', /evenly divide/);
  t.regex(code([[60, 100], [120, 10]]) ?? '', /larger time intervals/);
  t.regex(code([[60, 5], [600, 100]]) ?? '', /archive1 consolidates 10 of archive0's points but it has only 5 total points/);
});
