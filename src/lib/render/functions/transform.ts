/** Transform group: functions that change the values of each series (graphite-web "Transform"). */
import { parseATTime, parseInterval } from '../at-time.js';
import type { RequestContext } from '../request-context.js';
import { type RawValues, TimeSeries, type Value } from '../time-series.js';
import { type Unit, isDst, toWall, truncateWithOffset } from '../zone-time.js';
import { getAggFunc, safeMax, safeMin, safePow } from './aggregators.js';
import { checkStep, pyD, pyG, pyRound, tagText, xff } from './helpers.js';
import { defineAlias, defineFunction } from './registry.js';

type Mapper = (value: number, series: TimeSeries) => Value;

/** The common shape: rename to `name(series)`, set a tag, map every non-null value in place. */
function mapInPlace(seriesList: TimeSeries[], rename: (s: TimeSeries) => string, tag: [string, string] | null, fn: Mapper, mapNull = false): TimeSeries[] {
  for (const s of seriesList) {
    if (tag) s.tags[tag[0]] = tag[1];
    s.rename(rename(s));
    s.values = s.values.map((v) => (v === null && !mapNull ? null : fn(v as number, s)));
  }
  return seriesList;
}

/** The other common shape: a copy named `name(series)` with new values (derivative, integral, ...). */
function mapToCopy(seriesList: TimeSeries[], tag: [string, string], rename: (s: TimeSeries) => string, values: (s: TimeSeries) => Value[] | RawValues): TimeSeries[] {
  return seriesList.map((s) => {
    const newValues = values(s);
    s.tags[tag[0]] = tag[1];
    return s.copy({ name: rename(s), values: newValues });
  });
}

function nonNegativeDelta(val: Value, prev: Value, maxValue: number | undefined, minValue: number | undefined): [Value, Value] {
  if (maxValue !== undefined && val !== null && val > maxValue) return [null, null];
  if (minValue !== undefined && val !== null && val < minValue) return [null, null];
  if (prev === null || val === null) return [null, val];
  if (val >= prev) return [val - prev, val];
  if (maxValue !== undefined) return [maxValue + 1 + val - prev - (minValue ?? 0), val];
  if (minValue !== undefined) return [val - minValue, val];
  return [null, val];
}

/** summarize/smartSummarize bucketing (_summarizeValues). */
export function summarizeValues(series: TimeSeries, func: string, interval: number, newStart = series.start, newEnd = series.end): [Value[], number] {
  const agg = getAggFunc(func);
  const timestamps: number[] = [];
  for (let t = Math.trunc(series.start); t < Math.trunc(series.end); t += Math.trunc(series.step)) timestamps.push(t);
  const points = series.points();
  const intervalPoints = interval / series.step;
  const count = Math.min(timestamps.length, points.length);
  const values: Value[] = [];
  let i = 0;
  let t = newStart;
  while (t < newEnd) {
    let s = i;
    let nonNull = 0;
    while (i < count && timestamps[i] < t + interval) {
      if (timestamps[i] <= t) s = i;
      if (timestamps[i] >= t && points[i] !== null) nonNull++;
      i++;
    }
    values.push(xff(nonNull, intervalPoints, series.xFilesFactor) ? agg(points.slice(s, i)) : null);
    t += interval;
  }
  return [values, t];
}


const seriesOnly = 'seriesList:seriesList';

defineFunction('Transform', 'scale', 'seriesList:seriesList, factor:float', 'Multiplies each point by a constant', (_ctx, list: TimeSeries[], factor: number) =>
  mapInPlace(list, (s) => `scale(${s.name},${pyG(factor)})`, ['scale', tagText(factor, true)], (v) => v * factor),
);
defineFunction('Transform', 'scaleToSeconds', 'seriesList:seriesList, seconds:float', 'Scales per-step values to per-N-seconds', (_ctx, list: TimeSeries[], seconds: number) =>
  mapInPlace(list, (s) => `scaleToSeconds(${s.name},${pyD(seconds)})`, ['scaleToSeconds', tagText(seconds, true)], (v, s) => pyRound(v * (seconds / s.step), 6)),
);
defineFunction('Transform', 'exp', seriesOnly, 'e raised to each point', (_ctx, list: TimeSeries[]) => mapInPlace(list, (s) => `exp(${s.name})`, ['exp', 'e'], (v) => Math.exp(v)));
defineFunction('Transform', 'add', 'seriesList:seriesList, constant:float', 'Adds a constant to each point', (_ctx, list: TimeSeries[], constant: number) =>
  mapInPlace(list, (s) => `add(${s.name},${pyD(constant)})`, ['add', tagText(constant, true)], (v) => v + constant),
);
defineFunction('Transform', 'sigmoid', seriesOnly, '1/(1+e^-x) per point', (_ctx, list: TimeSeries[]) => mapInPlace(list, (s) => `sigmoid(${s.name})`, ['sigmoid', 'sigmoid'], (v) => 1 / (1 + Math.exp(-v))));
defineFunction('Transform', 'logit', seriesOnly, 'log(x/(1-x)) per point', (_ctx, list: TimeSeries[]) =>
  mapInPlace(list, (s) => `logit(${s.name})`, ['logit', 'logit'], (v) => {
    if (v === 1) return null;
    const r = v / (1 - v);
    return r > 0 ? Math.log(r) : null;
  }),
);
defineFunction('Transform', 'pow', 'seriesList:seriesList, factor:float', 'Raises each point to a power', (_ctx, list: TimeSeries[], factor: number) =>
  mapInPlace(list, (s) => `pow(${s.name},${pyG(factor)})`, ['pow', tagText(factor, true)], (v) => safePow(v, factor)),
);
defineFunction('Transform', 'squareRoot', seriesOnly, 'Square root of each point', (_ctx, list: TimeSeries[]) => mapInPlace(list, (s) => `squareRoot(${s.name})`, ['squareRoot', '1'], (v) => safePow(v, 0.5)));
defineFunction('Transform', 'invert', seriesOnly, '1/x for each point', (_ctx, list: TimeSeries[]) => mapInPlace(list, (s) => `invert(${s.name})`, ['invert', '1'], (v) => (v === 0 ? null : safePow(v, -1))));
defineFunction('Transform', 'absolute', seriesOnly, 'Absolute value of each point', (_ctx, list: TimeSeries[]) => mapInPlace(list, (s) => `absolute(${s.name})`, ['absolute', '1'], (v) => Math.abs(v)));
defineFunction('Transform', 'offset', 'seriesList:seriesList, factor:float', 'Adds a constant to each point', (_ctx, list: TimeSeries[], factor: number) =>
  mapInPlace(list, (s) => `offset(${s.name},${pyG(factor)})`, ['offset', tagText(factor, true)], (v) => v + factor),
);
defineFunction('Transform', 'offsetToZero', seriesOnly, 'Subtracts the series minimum', (_ctx, list: TimeSeries[]) => {
  for (const s of list) {
    const minimum = safeMin(s.values);
    s.tags.offsetToZero = tagText(minimum, !s.integers);
    s.rename(`offsetToZero(${s.name})`);
    s.values = s.values.map((v) => (v === null ? null : v - (minimum as number)));
  }
  return list;
});
defineFunction('Transform', 'round', 'seriesList:seriesList, precision:integer=0', 'Rounds each point', (ctx, list: TimeSeries[], precision: number) => {
  const given = ctx.provided.has('precision');
  for (const s of list) {
    s.tags.round = String(precision || 0);
    s.rename(given ? `round(${s.name},${pyG(precision)})` : `round(${s.name})`);
    s.values = s.values.map((v) => (v === null ? null : pyRound(v, precision || 0)));
  }
  return list;
});
defineFunction('Transform', 'derivative', seriesOnly, 'Difference from the previous point', (_ctx, list: TimeSeries[]) =>
  mapToCopy(list, ['derivative', '1'], (s) => `derivative(${s.name})`, (s) => {
    let prev: Value = null;
    return s.points().map((v) => {
      const out = prev === null || v === null ? null : v - prev;
      prev = v;
      return out;
    });
  }),
);
defineFunction('Transform', 'perSecond', 'seriesList:seriesList, [maxValue:float], [minValue:float]', 'Per-second rate of a counter', (_ctx, list: TimeSeries[], maxValue?: number, minValue?: number) =>
  mapToCopy(list, ['perSecond', '1'], (s) => `perSecond(${s.name})`, (s) => {
    let prev: Value = null;
    return s.points().map((v) => {
      const [delta, next] = nonNegativeDelta(v, prev, maxValue, minValue);
      prev = next;
      return delta === null ? null : pyRound(delta / s.step, 6);
    });
  }),
);
defineFunction('Transform', 'nonNegativeDerivative', 'seriesList:seriesList, [maxValue:float], [minValue:float]', 'Increase since the previous point', (_ctx, list: TimeSeries[], maxValue?: number, minValue?: number) =>
  mapToCopy(list, ['nonNegativeDerivative', '1'], (s) => `nonNegativeDerivative(${s.name})`, (s) => {
    let prev: Value = null;
    return s.points().map((v) => {
      const [delta, next] = nonNegativeDelta(v, prev, maxValue, minValue);
      prev = next;
      return delta;
    });
  }),
);
defineFunction('Transform', 'delay', 'seriesList:seriesList, steps:integer', 'Shifts values by N steps', (_ctx, list: TimeSeries[], steps: number) =>
  mapToCopy(list, ['delay', String(steps)], (s) => `delay(${s.name},${pyD(steps)})`, (s) => {
    const values = s.values;
    if (steps < 0) return [...values.slice(-steps), ...new Array<Value>(Math.min(-steps, values.length)).fill(null)];
    return [...new Array<Value>(Math.min(steps, values.length)).fill(null), ...values.slice(0, steps === 0 ? 0 : -steps)];
  }),
);
defineFunction('Transform', 'integral', seriesOnly, 'Running sum', (_ctx, list: TimeSeries[]) =>
  mapToCopy(list, ['integral', '1'], (s) => `integral(${s.name})`, (s) => {
    let current = 0;
    const raw = s.valuesPerPoint <= 1 ? s.raw : undefined;
    if (!raw) return s.points().map((v) => (v === null ? null : (current += v)));
    // Unboxed in, unboxed out: the same sums, with the same nulls.
    const sums = new Float64Array(raw.values.length);
    for (let i = 0; i < sums.length; i++) if (raw.known[i] !== 0) sums[i] = current += raw.values[i];
    return { values: sums, known: raw.known };
  }),
);
defineFunction('Transform', 'integralByInterval', 'seriesList:seriesList, intervalUnit:string', 'Running sum restarting every interval', (ctx, list: TimeSeries[], unit: string) => {
  const duration = Math.abs(parseInterval(unit));
  const startTime = Math.trunc(ctx.startTime);
  return mapToCopy(list, ['integralByInterval', unit], (s) => `integralByInterval(${s.name},'${unit}')`, (s) => {
    let t = s.start;
    let current = 0;
    return s.points().map((v) => {
      if (Math.floor((t - startTime) / duration) !== Math.floor((t - startTime - s.step) / duration)) current = 0;
      if (v !== null) current += v;
      t += s.step;
      return current;
    });
  });
});
defineFunction('Transform', 'interpolate', 'seriesList:seriesList, limit:intOrInf=inf', 'Linear interpolation across gaps', (_ctx, list: TimeSeries[], limit: number) => {
  for (const s of list) {
    s.rename(`interpolate(${s.name})`);
    const v = (s.values = s.values.slice()); // a copy: the store may share the fetched array
    let nones = 0;
    for (let i = 1; i < v.length; i++) {
      const value = v[i];
      if (value === null) {
        nones++;
        continue;
      }
      if (nones === 0) continue;
      const before = v[i - nones - 1];
      if (before === null) {
        nones = 0;
        continue;
      }
      if (nones <= limit) for (let j = i - nones; j < i; j++) v[j] = before + ((j - (i - nones - 1)) * (value - before)) / (nones + 1);
      nones = 0;
    }
  }
  return list;
});
defineFunction('Transform', 'keepLastValue', 'seriesList:seriesList, limit:intOrInf=inf', 'Fills gaps with the last value seen', (_ctx, list: TimeSeries[], limit: number) => {
  for (const s of list) {
    s.rename(`keepLastValue(${s.name})`);
    const v = (s.values = s.values.slice()); // a copy: the store may share the fetched array
    let nones = 0;
    let last: Value = null;
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null) {
        nones++;
        continue;
      }
      if (nones > 0 && nones <= limit && last !== null) for (let j = i - nones; j < i; j++) v[j] = last;
      nones = 0;
      last = v[i];
    }
    if (nones > 0 && nones <= limit && last !== null) for (let j = v.length - nones; j < v.length; j++) v[j] = last;
  }
  return list;
});
defineFunction('Transform', 'log', 'seriesList:seriesList, base:integer=10', 'Logarithm in the given base', (_ctx, list: TimeSeries[], base: number) =>
  mapToCopy(list, ['log', String(base)], (s) => `log(${s.name}, ${base})`, (s) => s.points().map((v) => (v === null || v <= 0 ? null : Math.log(v) / Math.log(base)))),
);
defineFunction('Transform', 'minMax', seriesOnly, 'Rescales each series to 0..1', (_ctx, list: TimeSeries[]) => {
  for (const s of list) {
    s.rename(`minMax(${s.name})`);
    const min = safeMin(s.values) ?? 0;
    const max = safeMax(s.values) ?? 0;
    s.values = s.values.map((v) => (v === null ? null : max - min === 0 ? 0 : (v - min) / (max - min)));
  }
  return list;
});
defineFunction('Transform', 'transformNull', 'seriesList:seriesList, default:float=0, [referenceSeries:seriesList]', 'Replaces nulls with a default', (ctx, list: TimeSeries[], dflt: number, reference?: TimeSeries[]) => {
  let defaults: Value[] | null = null;
  if (reference && reference.length > 0) {
    const columns = reference.map((r) => r.points());
    const length = Math.max(...columns.map((c) => c.length));
    defaults = [];
    for (let i = 0; i < length; i++) defaults.push(columns.some((c) => c[i] !== null && c[i] !== undefined) ? dflt : null);
  }
  for (const s of list) {
    s.tags.transformNull = tagText(dflt, ctx.provided.has('default'));
    if (reference && reference.length > 0) s.tags.referenceSeries = '1';
    s.rename(reference && reference.length > 0 ? `transformNull(${s.name},${pyG(dflt)},referenceSeries)` : `transformNull(${s.name},${pyG(dflt)})`);
    const d = defaults;
    s.values = d ? s.values.map((v, i) => (v === null ? (d[i] ?? null) : v)) : s.values.map((v) => v ?? dflt);
  }
  return list;
});
defineFunction('Transform', 'isNonNull', seriesOnly, '1 where the point is non-null, 0 otherwise', (_ctx, list: TimeSeries[]) => {
  for (const s of list) {
    s.tags.isNonNull = '1';
    s.rename(`isNonNull(${s.name})`);
    s.values = s.values.map((v) => (v === null ? 0 : 1));
    s.integers = true;
  }
  return list;
});
defineFunction('Transform', 'summarize', 'seriesList:seriesList, intervalString:interval, func:aggFunc="sum", alignToFrom:boolean=false', 'Buckets of an interval aggregated with func', (_ctx, list: TimeSeries[], intervalString: string, func: string, alignToFrom: boolean) => {
  const interval = parseInterval(intervalString);
  for (const s of list) checkStep('summarize', 'interval', interval, s.end - s.start + interval);
  return list.map((s) => {
    let newStart = s.start;
    let newEnd = s.end;
    if (!alignToFrom) {
      newStart = s.start - (s.start % interval);
      newEnd = s.end - (s.end % interval) + interval;
    }
    const [values, alignedEnd] = summarizeValues(s, func, interval, newStart, newEnd);
    if (alignToFrom) newEnd = alignedEnd;
    s.tags.summarize = intervalString;
    s.tags.summarizeFunction = func;
    const name = `summarize(${s.name}, "${intervalString}", "${func}"${alignToFrom ? ', true' : ''})`;
    return s.copy({ name, start: newStart, end: newEnd, step: interval, values });
  });
});
const ALIGN_UNITS: Array<[string, Unit | 'week']> = [
  ['s', 'second'],
  ['min', 'minute'],
  ['h', 'hour'],
  ['d', 'day'],
  ['w', 'week'],
  ['mon', 'month'],
  ['y', 'year'],
];
defineFunction('Transform', 'smartSummarize', 'seriesList:seriesList, intervalString:interval, func:aggFunc="sum", [alignTo:string]', 'Buckets of an interval from the range start', async (ctx, list: TimeSeries[], intervalString: string, func: string, alignTo?: string | boolean) => {
  let seriesList = list;
  if (typeof alignTo === 'string') {
    const unit = ALIGN_UNITS.find(([prefix]) => alignTo.startsWith(prefix))?.[1];
    if (!unit) throw new Error(`Invalid offset unit '${alignTo}'`);
    let start: number;
    if (unit === 'week') {
      const day = toWall(ctx.startTime, ctx.tz);
      const target = /[a-z]$/i.test(alignTo) ? 1 : Number(alignTo[alignTo.length - 1]);
      let back = day.weekday - target;
      if (back < 0) back += 7;
      start = truncateWithOffset(ctx.startTime, ctx.tz, 'day', back);
    } else start = truncateWithOffset(ctx.startTime, ctx.tz, unit);
    seriesList = await ctx.evaluate(ctx.args[0] as never, { startTime: start });
  }
  const interval = parseInterval(intervalString);
  for (const s of seriesList) checkStep('smartSummarize', 'interval', interval, s.end - s.start + interval);
  return seriesList.map((s) => {
    const [values, alignedEnd] = summarizeValues(s, func, interval);
    s.tags.smartSummarize = intervalString;
    s.tags.smartSummarizeFunction = func;
    return s.copy({ name: `smartSummarize(${s.name}, "${intervalString}", "${func}")`, end: alignedEnd, step: interval, values });
  });
});
defineFunction('Transform', 'hitcount', 'seriesList:seriesList, intervalString:interval, alignToInterval:boolean=false', 'Sums rate x time into interval buckets', async (ctx, list: TimeSeries[], intervalString: string, alignToInterval: boolean) => {
  const interval = Math.trunc(parseInterval(intervalString));
  for (const s of list) checkStep('hitcount', 'interval', interval, s.end - s.start + interval);
  let seriesList = list;
  if (alignToInterval) {
    const unit = interval >= 86400 ? 'day' : interval >= 3600 ? 'hour' : interval >= 60 ? 'minute' : null;
    const start = unit ? truncateWithOffset(ctx.startTime, ctx.tz, unit) : ctx.startTime;
    seriesList = await ctx.evaluate(ctx.args[0] as never, { startTime: start });
    for (const s of seriesList) {
      const intervals = Math.floor((s.end - s.start) / interval);
      s.end = s.start + intervals * interval + interval;
    }
  }
  return seriesList.map((s) => {
    const step = Math.trunc(s.step);
    const bucketCount = Math.ceil((s.end - s.start) / interval);
    const buckets: number[][] = Array.from({ length: bucketCount }, () => []);
    const newStart = Math.trunc(s.end - bucketCount * interval);
    s.points().forEach((value, i) => {
      if (value === null) return;
      const startTime = Math.trunc(s.start + i * step);
      const startBucket = Math.floor((startTime - newStart) / interval);
      const startMod = startTime - newStart - startBucket * interval;
      const endTime = startTime + step;
      let endBucket = Math.floor((endTime - newStart) / interval);
      let endMod = endTime - newStart - endBucket * interval;
      if (endBucket >= bucketCount) {
        endBucket = bucketCount - 1;
        endMod = interval;
      }
      if (startBucket === endBucket) {
        if (startBucket >= 0) buckets[startBucket].push(value * (endMod - startMod));
      } else {
        if (startBucket >= 0) buckets[startBucket].push(value * (interval - startMod));
        for (let j = startBucket + 1; j < endBucket; j++) if (j >= 0) buckets[j].push(value * interval);
        if (endMod > 0) buckets[endBucket].push(value * endMod);
      }
    });
    s.tags.hitcount = intervalString;
    const values = buckets.map((b) => (b.length ? b.reduce((x, y) => x + y, 0) : null));
    return s.copy({ name: `hitcount(${s.name}, "${intervalString}"${alignToInterval ? ', true' : ''})`, start: newStart, step: interval, values });
  });
});

/** Shared by timeShift and timeStack: "1d" means one day back. */
function shiftText(text: string): string {
  return /^\d/.test(text) ? `-${text}` : text;
}

defineFunction('Transform', 'timeShift', 'seriesList:seriesList, timeShift:interval, resetEnd:boolean=true, alignDst:boolean=false', 'Draws the series shifted in time', async (ctx, list: TimeSeries[], timeShift: string, resetEnd: boolean, alignDst: boolean) => {
  const shift = shiftText(timeShift);
  const delta = parseInterval(shift);
  let startTime = ctx.startTime + delta;
  let endTime = ctx.endTime + delta;
  if (alignDst) {
    const reqStart = isDst(ctx.startTime, ctx.tz);
    const reqEnd = isDst(ctx.endTime, ctx.tz);
    const myStart = isDst(startTime, ctx.tz);
    const myEnd = isDst(endTime, ctx.tz);
    let offset = 0;
    if (reqStart && reqEnd && !myStart && !myEnd) offset = 3600;
    else if (!reqStart && !reqEnd && myStart && myEnd) offset = -3600;
    startTime += offset;
    endTime += offset;
  }
  if (list.length < 1) return [];
  const first = list[0];
  const shifted = await ctx.evaluate(ctx.args[0] as never, { startTime, endTime });
  for (const s of shifted) {
    s.tags.timeShift = shift;
    s.name = `timeShift(${s.name}, "${shift}")`;
    s.end = resetEnd ? first.end : s.end - s.start + first.start;
    s.start = first.start;
  }
  return shifted;
});
defineFunction('Transform', 'timeStack', 'seriesList:seriesList, timeShiftUnit:interval="1d", timeShiftStart:integer=0, timeShiftEnd:integer=7', 'One timeShift copy per multiple of a unit', async (ctx, list: TimeSeries[], unit: string, from: number, to: number) => {
  const shift = shiftText(unit);
  const delta = parseInterval(shift);
  if (list.length < 1) return [];
  const first = list[0];
  const out: TimeSeries[] = [];
  for (let n = Math.trunc(from); n < Math.trunc(to); n++) {
    for (const s of await ctx.evaluate(ctx.args[0] as never, { startTime: ctx.startTime + delta * n, endTime: ctx.endTime + delta * n })) {
      s.tags.timeShiftUnit = shift;
      s.tags.timeShift = String(n);
      s.rename(`timeShift(${s.name}, ${shift}, ${n})`);
      s.start = first.start;
      s.end = first.end;
      out.push(s);
    }
  }
  return out;
});
defineFunction('Transform', 'timeSlice', 'seriesList:seriesList, startSliceAt:date, endSliceAt:date="now"', 'Nulls points outside a time window', (ctx, list: TimeSeries[], startAt: string | number, endAt: string | number) => {
  const realNow = ctx.clock.now();
  const start = Math.trunc(parseATTime(String(startAt), ctx.tz, realNow));
  const end = Math.trunc(parseATTime(String(endAt), ctx.tz, realNow));
  for (const s of list) {
    s.tags.timeSliceStart = String(start);
    s.tags.timeSliceEnd = String(end);
    s.name = `timeSlice(${s.name}, ${start}, ${end})`;
    let t = Math.trunc(ctx.startTime);
    s.values = s.values.map((v) => {
      const out = v === null || t < start || t > end ? null : v;
      t += s.step;
      return out;
    });
  }
  return list;
});

function timeSeriesOver(ctx: RequestContext, name: string, step: number, value: (t: number) => number, func = 'timeFunction'): TimeSeries {
  checkStep(func, 'step', step, ctx.endTime - ctx.startTime);
  const values: Value[] = [];
  for (let t = ctx.startTime; t < ctx.endTime; t += step) values.push(value(t));
  return new TimeSeries(name, Math.trunc(ctx.startTime), Math.trunc(ctx.endTime), step, values, { xFilesFactor: ctx.xFilesFactor });
}

defineFunction('Transform', 'timeFunction', 'name:string, step:integer=60', 'Value = timestamp at each step', (ctx, name: string, step: number) => [
  timeSeriesOver(ctx, name, step, (t) => Math.trunc(t)),
]);
defineFunction('Transform', 'sinFunction', 'name:string, amplitude:integer=1, step:integer=60', 'amplitude * sin(timestamp)', (ctx, name: string, amplitude: number, step: number) => [
  timeSeriesOver(ctx, name, step, (t) => Math.sin(Math.trunc(t)) * amplitude, 'sinFunction'),
]);
defineAlias('time', 'timeFunction');
defineAlias('sin', 'sinFunction');

