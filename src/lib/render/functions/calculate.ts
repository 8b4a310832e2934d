/** Calculate group: statistics over time (graphite-web "Calculate"). */
import { parseATTime, parseInterval } from '../at-time.js';
import type { ExpressionNode } from '../grammar/target-ast.js';
import type { RequestContext } from '../request-context.js';
import { type RawValues, TimeSeries, type Value } from '../time-series.js';
import { getAggFunc, safeAvg, safeLen } from './aggregators.js';
import { constantSeries, getPercentile } from './combine.js';
import { checkStep, pyG, pyRound, tagText, xff } from './helpers.js';
import { defineFunction } from './registry.js';

const firstArg = (ctx: RequestContext): ExpressionNode => ctx.args[0] as ExpressionNode;

async function movingWindow(ctx: RequestContext, list: TimeSeries[], windowSize: number | string, func: string, xFilesFactor?: number): Promise<TimeSeries[]> {
  if (list.length === 0) return [];
  const byInterval = typeof windowSize === 'string';
  const previewSeconds = byInterval ? Math.abs(parseInterval(windowSize)) : Math.max(...list.map((s) => s.step)) * Math.trunc(windowSize);
  const agg = getAggFunc(func);
  const preview = await ctx.evaluate(firstArg(ctx), { startTime: ctx.startTime - previewSeconds });
  const tagName = `moving${func[0].toUpperCase()}${func.slice(1).toLowerCase()}`;
  return preview.map((s) => {
    const name = byInterval ? `${tagName}(${s.name},"${windowSize}")` : `${tagName}(${s.name},${windowSize})`;
    const windowPoints = byInterval ? Math.floor(previewSeconds / s.step) : Math.trunc(windowSize as number);
    s.tags[tagName] = String(windowSize);
    const effectiveXff = xFilesFactor ?? s.xFilesFactor;
    // A fetched series is read unboxed (no boxed copy of its points is made).
    const raw = s.raw && s.valuesPerPoint <= 1 ? s.raw : undefined;
    const points = raw ? raw.values : s.points();
    const known = raw?.known;
    const summing = func === 'sum' || func === 'average' || func === 'avg';
    // Each window is summed afresh, in order, as Python's sum() does: a running sum would round
    // differently from graphite. Sums and averages of fetched series take the tight loop and stay unboxed.
    if (summing && known) {
      const numbers = raw!.values;
      const count = Math.max(0, numbers.length - windowPoints);
      const out: RawValues = { values: new Float64Array(count), known: new Uint8Array(count) };
      let missing = 0;
      for (let j = 0; j < windowPoints && j < numbers.length; j++) missing += 1 - known[j];
      for (let i = windowPoints; i < numbers.length; i++) {
        if (i > windowPoints) missing += known[i - windowPoints - 1] - known[i - 1];
        let present = 0;
        let sum = 0;
        if (missing === 0) {
          // A full window (the common case) needs no test per point.
          for (let j = i - windowPoints; j < i; j++) sum += numbers[j];
          present = windowPoints;
        } else {
          for (let j = i - windowPoints; j < i; j++) {
            if (known[j] === 0) continue;
            present++;
            sum += numbers[j];
          }
        }
        if (!present || !xff(present, windowPoints, effectiveXff)) continue;
        out.values[i - windowPoints] = func === 'sum' ? sum : sum / present;
        out.known[i - windowPoints] = 1;
      }
      return s.copy({ name, start: s.start + previewSeconds, values: out });
    }
    const values: Value[] = [];
    const window: number[] = [];
    for (let i = windowPoints; i < points.length; i++) {
      let count = 0;
      let sum = 0;
      if (!summing) window.length = 0;
      for (let j = i - windowPoints; j < i; j++) {
        if (known ? known[j] === 0 : points[j] === null) continue;
        const v = points[j] as number;
        count++;
        if (summing) sum += v;
        else window.push(v);
      }
      if (!count || !xff(count, windowPoints, effectiveXff)) values.push(null);
      else values.push(summing ? (func === 'sum' ? sum : sum / count) : agg(window));
    }
    return s.copy({ name, start: s.start + previewSeconds, values });
  });
}

defineFunction('Calculate', 'movingWindow', 'seriesList:seriesList, windowSize:intOrInterval, func:aggFunc="average", [xFilesFactor:float]', 'Aggregates the window preceding each point', movingWindow);
for (const [name, func] of [
  ['movingAverage', 'average'],
  ['movingMedian', 'median'],
  ['movingSum', 'sum'],
  ['movingMin', 'min'],
  ['movingMax', 'max'],
] as const) {
  defineFunction('Calculate', name, 'seriesList:seriesList, windowSize:intOrInterval, [xFilesFactor:float]', `movingWindow with ${func}`, (ctx, list, size, xf) => movingWindow(ctx, list, size, func, xf));
}

defineFunction('Calculate', 'exponentialMovingAverage', 'seriesList:seriesList, windowSize:intOrInterval', 'Exponential moving average', async (ctx, list: TimeSeries[], windowSize: number | string) => {
  if (list.length === 0) return [];
  const byInterval = typeof windowSize === 'string';
  const previewSeconds = byInterval ? Math.abs(parseInterval(windowSize)) : Math.max(...list.map((s) => s.step)) * Math.trunc(windowSize);
  const constant = 2 / ((byInterval ? Math.trunc(previewSeconds) : Math.trunc(windowSize as number)) + 1);
  const preview = await ctx.evaluate(firstArg(ctx), { startTime: ctx.startTime - previewSeconds });
  return preview.map((s) => {
    const name = byInterval ? `exponentialMovingAverage(${s.name},"${windowSize}")` : `exponentialMovingAverage(${s.name},${windowSize})`;
    const windowPoints = byInterval ? Math.floor(previewSeconds / s.step) : Math.trunc(windowSize as number);
    s.tags.exponentialMovingAverage = String(windowSize);
    const points = s.points();
    let ema = safeAvg(points.slice(0, windowPoints)) || 0;
    const values: Value[] = [pyRound(ema, 6)];
    for (let i = windowPoints; i < points.length; i++) {
      const v = points[i];
      if (v === null) values.push(null);
      else {
        ema = constant * v + (1 - constant) * ema;
        values.push(pyRound(ema, 6));
      }
    }
    return s.copy({ name, start: s.start + previewSeconds, values });
  });
});

interface HoltWinters {
  predictions: TimeSeries;
  deviations: TimeSeries;
}

function holtWintersAnalysis(series: TimeSeries, seasonality: string): HoltWinters {
  const alpha = 0.1;
  const gamma = 0.1;
  const beta = 0.0035;
  const seasonLength = Math.floor(parseInterval(seasonality) / series.step);
  const intercepts: Value[] = [];
  const slopes: number[] = [];
  const seasonals: number[] = [];
  const predictions: Value[] = [];
  const deviations: number[] = [];
  const lastSeasonal = (i: number): number => (i - seasonLength >= 0 ? seasonals[i - seasonLength] : 0);
  const lastDeviation = (i: number): number => (i - seasonLength >= 0 ? deviations[i - seasonLength] : 0);
  let nextPred: Value = null;
  series.points().forEach((actual, i) => {
    if (actual === null) {
      intercepts.push(null);
      slopes.push(0);
      seasonals.push(0);
      predictions.push(nextPred);
      deviations.push(0);
      nextPred = null;
      return;
    }
    let lastIntercept: number;
    let lastSlope: number;
    let prediction: Value;
    if (i === 0) {
      lastIntercept = actual;
      lastSlope = 0;
      prediction = actual;
    } else {
      lastIntercept = intercepts[intercepts.length - 1] ?? actual;
      lastSlope = slopes[slopes.length - 1];
      prediction = nextPred;
    }
    const season = lastSeasonal(i);
    const nextSeason = lastSeasonal(i + 1);
    const seasonDev = lastDeviation(i);
    const intercept = alpha * (actual - season) + (1 - alpha) * (lastIntercept + lastSlope);
    const slope = beta * (intercept - lastIntercept) + (1 - beta) * lastSlope;
    const seasonal = gamma * (actual - intercept) + (1 - gamma) * season;
    nextPred = intercept + slope + nextSeason;
    const deviation = gamma * Math.abs(actual - (prediction ?? 0)) + (1 - gamma) * seasonDev;
    intercepts.push(intercept);
    slopes.push(slope);
    seasonals.push(seasonal);
    predictions.push(prediction);
    deviations.push(deviation);
  });
  const tags = series.tags;
  tags.holtWintersForecast = '1';
  const forecast = new TimeSeries(`holtWintersForecast(${series.name})`, series.start, series.end, series.step, predictions, { xFilesFactor: series.xFilesFactor });
  forecast.tags = tags;
  tags.holtWintersDeviation = '1';
  const deviation = new TimeSeries(`holtWintersDeviation(${series.name})`, series.start, series.end, series.step, deviations, { xFilesFactor: series.xFilesFactor });
  deviation.tags = tags;
  return { predictions: forecast, deviations: deviation };
}

async function holtWintersPreview(ctx: RequestContext, bootstrapInterval: string): Promise<{ preview: TimeSeries[]; previewSeconds: number }> {
  const previewSeconds = parseInterval(bootstrapInterval);
  return { preview: await ctx.evaluate(firstArg(ctx), { startTime: ctx.startTime - previewSeconds }), previewSeconds };
}

async function confidenceBands(ctx: RequestContext, delta: number, bootstrapInterval: string, seasonality: string): Promise<TimeSeries[]> {
  const { preview, previewSeconds } = await holtWintersPreview(ctx, bootstrapInterval);
  const out: TimeSeries[] = [];
  for (const series of preview) {
    const analysis = holtWintersAnalysis(series, seasonality);
    const forecastData = analysis.predictions;
    const windowPoints = Math.floor(previewSeconds / forecastData.step);
    const forecast = forecastData.values.slice(windowPoints);
    const deviation = analysis.deviations.values.slice(windowPoints);
    const upper: Value[] = [];
    const lower: Value[] = [];
    forecast.forEach((f, i) => {
      const d = deviation[i];
      if (f === null || d === null || d === undefined) {
        upper.push(null);
        lower.push(null);
      } else {
        upper.push(f + delta * d);
        lower.push(f - delta * d);
      }
    });
    const start = forecastData.start + previewSeconds;
    const tags = series.tags;
    tags.holtWintersConfidenceUpper = '1';
    tags.holtWintersConfidenceLower = '1';
    const upperSeries = new TimeSeries(`holtWintersConfidenceUpper(${series.name})`, start, forecastData.end, forecastData.step, upper, { xFilesFactor: series.xFilesFactor, pathExpression: series.pathExpression });
    const lowerSeries = new TimeSeries(`holtWintersConfidenceLower(${series.name})`, start, forecastData.end, forecastData.step, lower, { xFilesFactor: series.xFilesFactor, pathExpression: series.pathExpression });
    upperSeries.tags = tags;
    lowerSeries.tags = tags;
    out.push(lowerSeries, upperSeries);
  }
  return out;
}

const hwParams = 'seriesList:seriesList, delta:integer=3, bootstrapInterval:interval="7d", seasonality:interval="1d"';
defineFunction('Calculate', 'holtWintersForecast', 'seriesList:seriesList, bootstrapInterval:interval="7d", seasonality:interval="1d"', 'Holt-Winters forecast', async (ctx, _list: TimeSeries[], bootstrapInterval: string, seasonality: string) => {
  const { preview, previewSeconds } = await holtWintersPreview(ctx, bootstrapInterval);
  return preview.map((series) => {
    const { predictions } = holtWintersAnalysis(series, seasonality);
    const windowPoints = Math.floor(previewSeconds / predictions.step);
    series.tags.holtWintersForecast = '1';
    const result = new TimeSeries(`holtWintersForecast(${series.name})`, predictions.start + previewSeconds, predictions.end, predictions.step, predictions.values.slice(windowPoints), {
      xFilesFactor: series.xFilesFactor,
    });
    result.tags = series.tags;
    return result;
  });
});
defineFunction('Calculate', 'holtWintersConfidenceBands', hwParams, 'Holt-Winters confidence bands', (ctx, _list, delta: number, bootstrap: string, seasonality: string) => confidenceBands(ctx, delta, bootstrap, seasonality));
defineFunction('Calculate', 'holtWintersAberration', hwParams, 'Distance outside the Holt-Winters band', async (ctx, list: TimeSeries[], delta: number, bootstrap: string, seasonality: string) => {
  const bands = new Map((await confidenceBands(ctx, delta, bootstrap, seasonality)).map((s) => [s.name, s]));
  return list.map((series) => {
    const lower = bands.get(`holtWintersConfidenceLower(${series.name})`);
    const upper = bands.get(`holtWintersConfidenceUpper(${series.name})`);
    if (!lower || !upper) throw new Error(`no confidence band for ${series.name}`);
    const values = series.values.map((v, i) => {
      if (i >= upper.values.length || i >= lower.values.length) throw new Error('list index out of range (the bootstrap data has a coarser step)');
      const u = upper.values[i];
      const l = lower.values[i];
      if (v === null) return 0;
      if (u !== null && v > u) return v - u;
      if (l !== null && v < l) return v - l;
      return 0;
    });
    series.tags.holtWintersAberration = '1';
    const result = new TimeSeries(`holtWintersAberration(${series.name})`, series.start, series.end, series.step, values, { xFilesFactor: series.xFilesFactor });
    result.tags = series.tags;
    return result;
  });
});
defineFunction('Calculate', 'holtWintersConfidenceArea', hwParams, 'The area between the Holt-Winters bands', async (ctx, _list, delta: number, bootstrap: string, seasonality: string) => {
  const bands = await confidenceBands(ctx, delta, bootstrap, seasonality);
  const results = areaBetweenPair(bands);
  for (const s of results) {
    delete s.tags.areaBetween;
    s.tags.holtWintersConfidenceArea = '1';
    s.rename(s.name.replace('areaBetween', 'holtWintersConfidenceArea'));
  }
  return results;
});

/** areaBetween(): exactly two series, drawn as the filled area between them. */
export function areaBetweenPair(list: TimeSeries[]): TimeSeries[] {
  if (list.length !== 2) throw new Error('areaBetween series argument must reference *exactly* 2 series');
  const [lower, upper] = list;
  lower.options.stacked = true;
  lower.options.invisible = true;
  upper.options.stacked = true;
  upper.tags.areaBetween = '1';
  lower.tags = upper.tags;
  lower.name = upper.name = `areaBetween(${upper.pathExpression})`;
  return list;
}

function linearRegressionAnalysis(series: TimeSeries): [number, number] | null {
  const points = series.points();
  const n = safeLen(points);
  let sumI = 0;
  let sumV = 0;
  let sumII = 0;
  let sumIV = 0;
  points.forEach((v, i) => {
    if (v === null) return;
    sumI += i;
    sumV += v;
    sumII += i * i;
    sumIV += i * v;
  });
  const denominator = n * sumII - sumI * sumI;
  if (denominator === 0) return null;
  const factor = (n * sumIV - sumI * sumV) / denominator / series.step;
  const offset = (sumII * sumV - sumIV * sumI) / denominator - factor * series.start;
  return [factor, offset];
}

defineFunction('Calculate', 'linearRegression', 'seriesList:seriesList, [startSourceAt:date], [endSourceAt:date]', 'Least-squares line over the source range', async (ctx, list: TimeSeries[], startAt?: string | number, endAt?: string | number) => {
  const realNow = ctx.clock.now();
  const startTime = startAt === undefined ? ctx.startTime : parseATTime(String(startAt), ctx.tz, realNow);
  const endTime = endAt === undefined ? ctx.endTime : parseATTime(String(endAt), ctx.tz, realNow);
  const sources = await ctx.evaluate(firstArg(ctx), { startTime, endTime });
  const out: TimeSeries[] = [];
  const bounds = `${Math.trunc(startTime)}, ${Math.trunc(endTime)}`;
  sources.slice(0, list.length).forEach((source, i) => {
    const series = list[i];
    series.tags.linearRegressions = bounds;
    const forecast = linearRegressionAnalysis(source);
    if (!forecast) return;
    const [factor, offset] = forecast;
    const values = series.values.map((_, j) => offset + (series.start + j * series.step) * factor);
    const result = new TimeSeries(`linearRegression(${series.name}, ${bounds})`, series.start, series.end, series.step, values, { xFilesFactor: series.xFilesFactor });
    result.tags = series.tags;
    out.push(result);
  });
  return out;
});

defineFunction('Calculate', 'nPercentile', 'seriesList:seriesList, n:float', 'A constant line at each series n-th percentile', (_ctx, list: TimeSeries[], n: number) => {
  if (!n) throw new Error('The requested percent is required to be greater than 0');
  const out: TimeSeries[] = [];
  for (const s of list) {
    const sorted = s.points().filter((v): v is number => v !== null).sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    const value = getPercentile(sorted, n);
    if (value === null) continue;
    s.tags.nPercentile = tagText(n, true);
    const count = Math.trunc((s.end - s.start) / s.step);
    out.push(s.copy({ name: `nPercentile(${s.name}, ${pyG(n)})`, values: new Array<Value>(count).fill(value) }));
  }
  return out;
});
defineFunction('Calculate', 'stdev', 'seriesList:seriesList, points:integer, windowTolerance:float=0.1', 'Rolling standard deviation', (_ctx, list: TimeSeries[], points: number, tolerance: number) =>
  list.map((s) => {
    s.tags.stdev = String(points);
    const values = s.points();
    const out: Value[] = [];
    let valid = 0;
    let sum = 0;
    let sumSq = 0;
    values.forEach((v, i) => {
      const dropped = i < points ? null : values[i - points];
      if (dropped !== null) {
        valid--;
        sum -= dropped;
        sumSq -= dropped ** 2;
      }
      if (v !== null) {
        valid++;
        sum += v;
        sumSq += v ** 2;
      }
      if (valid > 0 && valid / points >= tolerance) {
        const d = valid * sumSq - sum ** 2;
        out.push(d < 0 ? null : Math.sqrt(d) / valid);
      } else out.push(null);
    });
    return s.copy({ name: `stdev(${s.name},${Math.trunc(points)})`, values: out });
  }),
);
defineFunction('Calculate', 'aggregateLine', 'seriesList:seriesList, func:aggFunc="average", keepStep:boolean=false', 'A horizontal line at each series aggregate', (ctx, list: TimeSeries[], func: string, keepStep: boolean) => {
  const agg = getAggFunc(func);
  return list.map((s) => {
    const value = agg(s.points());
    const name = `aggregateLine(${s.name}, ${value === null ? 'None' : pyG(value)})`;
    if (keepStep) return s.copy({ name, values: s.values.map(() => value) });
    const line = constantSeries(ctx, value as number, func === 'count');
    if (value === null) line.values = [null, null, null];
    line.rename(name);
    line.tags = { name: value === null ? 'None' : tagText(value, func !== 'count') };
    return line;
  });
});
defineFunction('Calculate', 'identity', 'name:string', 'A series whose value is its timestamp', (ctx, name: string) => {
  const start = Math.trunc(ctx.startTime);
  const end = Math.trunc(ctx.endTime);
  checkStep('identity', 'step', 60, end - start);
  const values: Value[] = [];
  for (let t = start; t < end; t += 60) values.push(t);
  const series = new TimeSeries(name, start, end, 60, values, { xFilesFactor: ctx.xFilesFactor, integers: true });
  series.pathExpression = `identity("${name}")`;
  return [series];
});
