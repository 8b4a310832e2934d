import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { GphError } from '../../../../src/lib/errors.js';
import { CARBON_DEFAULTS, loadCacheSettings } from '../../../../src/lib/carbon/config/cache-settings.js';
import { parseIni } from '../../../../src/lib/carbon/config/parse-ini.js';
import {
  DEFAULT_SCHEMA,
  EMBEDDED_AGGREGATION_CONF,
  EMBEDDED_SCHEMAS_CONF,
  matchAggregation,
  matchSchema,
  parseCarbonRetention,
  parseStorageAggregation,
  parseStorageSchemas,
} from '../../../../src/lib/carbon/config/storage-schemas.js';
import { tempDir } from '../../../_helpers/temp-dir.js';

test('parseIni() keeps sections in order and lower-cases keys', (t) => {
  const sections = parseIni('# comment\n[cache]\nMAX_CACHE_SIZE = inf\nLINE_RECEIVER_PORT: 2003\n  \n[relay]\nDESTINATIONS = a:1,\n  b:2\n', 'x.conf');
  t.deepEqual(sections.map((s) => s.name), ['cache', 'relay']);
  t.is(sections[0].entries.get('max_cache_size'), 'inf');
  t.is(sections[0].entries.get('line_receiver_port'), '2003');
  t.is(sections[1].entries.get('destinations'), 'a:1,\nb:2');
  t.is((t.throws(() => parseIni('KEY = 1\n', 'x.conf')) as GphError).code, 'CONFIG_SYNTAX');
});

test("loadCacheSettings() reads a Debian carbon.conf's [cache] section with carbon's defaults for the rest", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'carbon.conf');
  fs.writeFileSync(file, '[cache]\nSTORAGE_DIR = /var/lib/graphite/\nMAX_UPDATES_PER_SECOND = 500\nMAX_CACHE_SIZE = 100000\nENABLE_UDP_LISTENER = True\nCACHE_WRITE_STRATEGY = max\nUNKNOWN_KEY = 1\n[relay]\nLINE_RECEIVER_PORT = 2013\n');
  const settings = loadCacheSettings(file);
  t.is(settings.LOCAL_DATA_DIR, '/var/lib/graphite/whisper');
  t.is(settings.MAX_UPDATES_PER_SECOND, 500);
  t.is(settings.MAX_CACHE_SIZE, 100000);
  t.is(settings.CACHE_SIZE_LOW_WATERMARK, 95000);
  t.true(settings.ENABLE_UDP_LISTENER);
  t.is(settings.CACHE_WRITE_STRATEGY, 'max');
  t.is(settings.LINE_RECEIVER_PORT, CARBON_DEFAULTS.LINE_RECEIVER_PORT);
  t.is(settings.CONF_DIR, dir);
  fs.writeFileSync(file, '[cache]\nCACHE_WRITE_STRATEGY = fastest\n');
  t.is((t.throws(() => loadCacheSettings(file)) as GphError).code, 'CONFIG_VALUE');
  t.is((t.throws(() => loadCacheSettings(path.join(dir, 'missing.conf'))) as GphError).code, 'FILE_NOT_FOUND');
});

test('parseCarbonRetention() accepts carbon units only', (t) => {
  t.deepEqual(parseCarbonRetention('10s:6h', 'x'), { secondsPerPoint: 10, points: 2160 });
  t.deepEqual(parseCarbonRetention('60:1440', 'x'), { secondsPerPoint: 60, points: 1440 });
  t.deepEqual(parseCarbonRetention('1h:1y', 'x'), { secondsPerPoint: 3600, points: 8760 });
  t.throws(() => parseCarbonRetention('1min:1d', 'x'));
});

test('storage schemas: first matching section wins, invalid ones are skipped, carbon default last', (t) => {
  const warnings: string[] = [];
  const schemas = parseStorageSchemas(
    '[bad]\npattern = ^bad\\.\nretentions = 60:10,90:60\n[carbon]\npattern = ^carbon\\.\nretentions = 60:90d\n[nopattern]\nretentions = 1:1\n[web]\npattern = web\nretentions = 10s:1d,1m:7d\n',
    'schemas.conf',
    (m) => warnings.push(m),
  );
  t.deepEqual(schemas.map((s) => s.name), ['carbon', 'web']);
  t.is(warnings.length, 2);
  t.is(matchSchema(schemas, 'carbon.agents.x').name, 'carbon');
  t.is(matchSchema(schemas, 'servers.web01.cpu').name, 'web');
  t.is(matchSchema(schemas, 'other'), DEFAULT_SCHEMA);
  t.is(parseStorageSchemas(EMBEDDED_SCHEMAS_CONF, 'embedded').length, 2);
});

test('storage aggregation: first match wins, missing keys fall back to whisper defaults', (t) => {
  const rules = parseStorageAggregation(EMBEDDED_AGGREGATION_CONF, 'embedded');
  t.deepEqual(matchAggregation(rules, 'requests.count'), { xFilesFactor: 0, aggregationMethod: 'sum' });
  t.deepEqual(matchAggregation(rules, 'latency.max'), { xFilesFactor: 0.1, aggregationMethod: 'max' });
  t.deepEqual(matchAggregation(parseStorageAggregation('[a]\npattern = ^a\nxFilesFactor = 0\n', 'x'), 'abc'), { xFilesFactor: 0, aggregationMethod: 'average' });
  t.deepEqual(matchAggregation([], 'x'), { xFilesFactor: 0.5, aggregationMethod: 'average' });
  t.throws(() => parseStorageAggregation('[a]\npattern = x\naggregationMethod = median\n', 'x'));
});
