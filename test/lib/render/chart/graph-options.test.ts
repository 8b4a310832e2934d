import test from 'ava';
import { isGphError } from '../../../../src/lib/errors.js';
import { AxisTics } from '../../../../src/lib/render/chart/axis-tics.js';
import { parseColor } from '../../../../src/lib/render/chart/colors.js';
import { coerceOption, parseGraphOptions } from '../../../../src/lib/render/chart/graph-options.js';
import { chooseXAxis, xTimes } from '../../../../src/lib/render/chart/x-axis.js';

test('query values are coerced as graphite-web does', (t) => {
  t.is(coerceOption('width', '800'), 800);
  t.is(coerceOption('bgcolor', '000000'), '000000');
  t.is(coerceOption('areaAlpha', '0.5'), 0.5);
  t.is(coerceOption('hideLegend', 'True'), true);
  t.is(coerceOption('title', 'default'), undefined);
  t.deepEqual(parseGraphOptions([['width', '800'], ['areaMode', 'stacked'], ['bgcolor', '#102030']]), { width: 800, areaMode: 'stacked', bgcolor: '#102030' });
});

test('bad options are clear errors, never a crash or a huge allocation', (t) => {
  const bad: Array<[string, string, RegExp]> = [
    ['bgcolor', 'chartreuse', /Unknown colour "chartreuse"/],
    ['width', '-5', /Invalid width/],
    ['width', '100000', /too large/],
    ['height', '12.5', /Invalid height/],
    ['areaMode', 'sideways', /Invalid areaMode/],
    ['logBase', '1', /Invalid logBase/],
    ['fontSize', '900', /out of range/],
    ['colorList', 'red,nocolor', /Unknown colour "nocolor"/],
    ['nosuch', '1', /Unknown graph option/],
  ];
  for (const [name, value, message] of bad) {
    const error = t.throws(() => parseGraphOptions([[name, value]]), undefined, name);
    t.true(isGphError(error, 'RENDER_BAD_OPTION'), name);
    t.regex(error!.message, message);
  }
  t.throws(() => parseGraphOptions([['yMin', '10'], ['yMax', '5']]), { message: /yMin \(10\) must be less than yMax \(5\)/ });
});

test('colours: graphite names and hex with alpha', (t) => {
  t.deepEqual(parseColor('blue'), { r: 100, g: 100, b: 255, a: 1 });
  t.deepEqual(parseColor('%23ff000080'), { r: 255, g: 0, b: 0, a: 128 / 255 });
});

test('y ticks: a nice step splitting the range in 4 to 6, labels with unit prefixes', (t) => {
  const tics = new AxisTics(12, 93, 'si');
  tics.applySettings();
  tics.chooseStep();
  tics.chooseLimits();
  t.is(tics.step, 20);
  t.deepEqual(tics.labelValues(), [0, 20, 40, 60, 80, 100]);
  t.is(tics.makeLabel(20), '20.0 ');
  const big = new AxisTics(0, 3_650_000, 'si');
  big.applySettings();
  big.chooseStep();
  big.chooseLimits();
  t.is(big.makeLabel(big.labelValues()[1]), '1.0 M '); // graphite's labels end with the prefix's space
  const log = new AxisTics(3, 900, 'si', 10);
  log.applySettings();
  log.chooseLimits();
  t.deepEqual(log.labelValues(), [1, 10, 100, 1000]);
  t.throws(() => {
    const fixed = new AxisTics(0, 10, 'si');
    fixed.applySettings(5, 5);
  }, { message: /min must be less than the max/ });
});

test('x axis: graphite\'s configuration table and aligned tick times', (t) => {
  const conf = chooseXAxis(7200, 450);
  t.is(conf.format, '%H:%M');
  t.is(conf.labelStep * conf.labelUnit, 20 * 60);
  t.deepEqual(xTimes(1704060030, 1704063700, 3600, 1, 'UTC'), [1704063600]);
  t.is(chooseXAxis(7 * 86400, 400).format, '%m/%d');
});

test('graphTemplates.conf sections override the defaults; an unknown section is an error', async (t) => {
  const { loadTemplate, DEFAULT_TEMPLATE } = await import('../../../../src/lib/render/chart/chart-template.js');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gph-templates-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const conf = path.join(dir, 'graphTemplates.conf');
  fs.writeFileSync(conf, '[default]\nbackground = white\nforeground = black\n\n[solarized-dark]\nbackground = 002b36\nlineColors = 268bd2, 859900\nfontSize = 12\n');
  t.is(loadTemplate(undefined, conf).background, 'white');
  const dark = loadTemplate('solarized-dark', conf);
  t.deepEqual([dark.background, dark.foreground, dark.lineColors, dark.fontSize], ['002b36', 'black', ['268bd2', '859900'], 12]);
  t.is(loadTemplate(undefined, undefined), DEFAULT_TEMPLATE);
  t.throws(() => loadTemplate('nosuch', conf), { message: /No graph template "nosuch"/ });
});
