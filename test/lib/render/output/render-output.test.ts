import test from 'ava';
import { consolidateForJson } from '../../../../src/lib/render/output/consolidate-for-json.js';
import { renderCsv, renderJson as renderJsonBytes, renderRaw } from '../../../../src/lib/render/output/render-output.js';
import { TimeSeries } from '../../../../src/lib/render/time-series.js';
import { prepareZone } from '../../../../src/lib/render/zone-time.js';

const renderJson = (...args: Parameters<typeof renderJsonBytes>): string => renderJsonBytes(...args).toString();

const series = (): TimeSeries => new TimeSeries('a.b', 60, 300, 60, [19, null, 0.1, 1e16, NaN, Infinity, -Infinity].slice(0, 4));

test('json spells numbers as Python does and keeps graphite key order', (t) => {
  t.is(renderJson([series()]), '[{"target": "a.b", "tags": {"name": "a.b"}, "datapoints": [[19.0, 60], [null, 120], [0.1, 180], [1e+16, 240]]}]');
  const special = new TimeSeries('x', 0, 180, 60, [NaN, Infinity, -Infinity]);
  t.is(renderJson([special]), '[{"target": "x", "tags": {"name": "x"}, "datapoints": [[null, 0], [1e9999, 60], [-1e9999, 120]]}]');
  const ints = new TimeSeries('countSeries(x)', 0, 60, 60, [3], { integers: true });
  t.is(renderJson([ints]), '[{"target": "countSeries(x)", "tags": {"name": "countSeries(x)"}, "datapoints": [[3, 0]]}]');
  t.is(renderJson([]), '[]');
  t.is(renderJson([new TimeSeries('é', 0, 60, 60, [1])], { jsonp: 'cb' }), 'cb([{"target": "\\u00e9", "tags": {"name": "\\u00e9"}, "datapoints": [[1.0, 0]]}])');
});

test('json pretty output indents by 2 like json.dumps(indent=2)', (t) => {
  const text = renderJson([new TimeSeries('x', 0, 60, 60, [1])], { pretty: true });
  t.is(text, '[\n  {\n    "target": "x",\n    "tags": {\n      "name": "x"\n    },\n    "datapoints": [\n      [\n        1.0,\n        0\n      ]\n    ]\n  }\n]');
  t.deepEqual(JSON.parse(text), [{ target: 'x', tags: { name: 'x' }, datapoints: [[1, 0]] }]);
});

test('noNullPoints drops null points and series left empty', (t) => {
  const empty = new TimeSeries('e', 0, 60, 60, [null]);
  t.is(renderJson([series(), empty], { noNullPoints: true }), '[{"target": "a.b", "tags": {"name": "a.b"}, "datapoints": [[19.0, 60], [0.1, 180], [1e+16, 240]]}]');
});

test('maxDataPoints consolidates with the nudge graphite-web applies', (t) => {
  // 2 hours of minutes from 1704060060, maxDataPoints=20 -> 6-minute buckets, 20 points
  const values = Array.from({ length: 120 }, (_, i) => i);
  const s = new TimeSeries('m', 1704060060, 1704067260, 60, values);
  consolidateForJson([s], 20);
  t.is(s.valuesPerPoint, 6);
  t.is(s.start, 1704060360);
  const points = s.datapoints();
  t.is(points.length, 20);
  t.deepEqual(points[0], [(4 + 5 + 6 + 7 + 8 + 9) / 6, 1704060360]);
  const one = new TimeSeries('m', 0, 600, 60, [1, 2, 3]);
  consolidateForJson([one], 1);
  t.deepEqual(one.datapoints(), [[2, 0]]);
});

test('csv rows are NAME,local time,VALUE with CRLF; raw is NAME,START,END,STEP|values', async (t) => {
  await prepareZone('Asia/Tokyo');
  t.is(renderCsv([series()], 'UTC'), 'a.b,1970-01-01 00:01:00,19.0\r\na.b,1970-01-01 00:02:00,\r\na.b,1970-01-01 00:03:00,0.1\r\na.b,1970-01-01 00:04:00,1e+16\r\n');
  t.is(renderCsv([new TimeSeries('a,"b"', 0, 60, 60, [1])], 'Asia/Tokyo'), '"a,""b""",1970-01-01 09:00:00,1.0\r\n');
  t.is(renderRaw([series()]), 'a.b,60,300,60|19.0,None,0.1,1e+16\n');
});
