/**
 * Y-axis ticks as graphite-web chooses them (render/glyph.py _LinearAxisTics/_LogAxisTics): a
 * "nice" step (1, 2 or 5 × 10^n, or powers of two for binary units) that splits the range into
 * one of the preferred divisor counts with the least slop, and labels with unit prefixes.
 */
import { GphError } from '../../errors.js';
import { formatFixed, formatGeneral } from '../../python/py-format.js';
import { formatUnits } from '../functions/units.js';

const EPSILON = 0.0001;

function graphError(message: string): GphError {
  return new GphError('RENDER_BAD_OPTION', message, { hint: 'Check yMin, yMax, yStep, yLimit and logBase' });
}

function checkFinite(value: number, name: string): number {
  if (Number.isNaN(value)) throw graphError(`Encountered NaN ${name}`);
  if (!Number.isFinite(value)) throw graphError(`Encountered infinite ${name}`);
  return value;
}

export class AxisTics {
  minValue: number;
  maxValue: number;
  minSource = 'data';
  maxSource = 'data';
  axisLimit: number | null = null;
  step = 0;
  bottom = 0;
  top = 0;
  span = 0;
  private binary = false;

  constructor(
    minValue: number,
    maxValue: number,
    readonly unitSystem: string,
    readonly logBase: number | null = null,
  ) {
    this.minValue = checkFinite(minValue, 'data value');
    this.maxValue = checkFinite(maxValue, 'data value');
    if (logBase !== null && logBase <= 1) throw graphError('Logarithmic base must be greater than one');
  }

  private static delta(x: number): number {
    return Math.abs(x) < 1e-9 ? 1 : 0.1 * Math.abs(x);
  }

  private reconcile(): void {
    if (this.minValue < this.maxValue) return;
    const minFixed = this.minSource === 'min';
    const maxFixed = this.maxSource === 'max' || this.maxSource === 'limit';
    if (minFixed && maxFixed) throw graphError(`The ${this.minSource} must be less than the ${this.maxSource}`);
    if (minFixed) this.maxValue = this.minValue + AxisTics.delta(this.minValue);
    else if (maxFixed) this.minValue = this.maxValue - AxisTics.delta(this.maxValue);
    else {
      const delta = AxisTics.delta(Math.max(Math.abs(this.minValue), Math.abs(this.maxValue)));
      const average = (this.minValue + this.maxValue) / 2;
      this.minValue = average - delta;
      this.maxValue = average + delta;
    }
  }

  applySettings(axisMin?: number, axisMax?: number | 'max', axisLimit?: number): void {
    if (axisMin !== undefined && !Number.isNaN(axisMin)) {
      this.minSource = 'min';
      this.minValue = checkFinite(axisMin, 'axis min');
    }
    if (axisMax === 'max') this.maxSource = 'extremum';
    else if (axisMax !== undefined && !Number.isNaN(axisMax)) {
      this.maxSource = 'max';
      this.maxValue = checkFinite(axisMax, 'axis max');
    }
    if (axisLimit === undefined || Number.isNaN(axisLimit)) this.axisLimit = null;
    else if (axisLimit < this.maxValue) {
      this.maxValue = checkFinite(axisLimit, 'axis limit');
      this.maxSource = 'limit';
      this.axisLimit = null;
    } else this.axisLimit = Number.isFinite(axisLimit) ? axisLimit : null;
    this.reconcile();
  }

  setStep(step: number): void {
    if (this.logBase === null) this.step = checkFinite(step, 'axis step');
  }

  private *steps(minStep: number): Generator<number> {
    checkFinite(minStep, 'step');
    if (!(minStep > 0)) throw graphError('Cannot choose a y step for this range (it is empty or too small)');
    const base = this.binary ? 2 : 10;
    const mantissas = this.binary ? [1] : [1, 2, 5];
    let exponent = Math.floor((this.binary ? Math.log2(minStep) : Math.log10(minStep)) - EPSILON);
    for (;;) {
      const multiplier = base ** exponent;
      for (const mantissa of mantissas) {
        const value = mantissa * multiplier;
        if (value >= minStep * (1 - EPSILON)) yield value;
      }
      exponent++;
    }
  }

  private slop(step: number, divisor: number): number | null {
    const bottom = step * Math.floor(this.minValue / step + EPSILON);
    const top = bottom + step * divisor;
    return top >= this.maxValue - EPSILON * step ? Math.max(top - this.maxValue, this.minValue - bottom) : null;
  }

  chooseStep(divisors: number[] = [4, 5, 6], binary = false): void {
    if (this.logBase !== null) return;
    this.binary = binary;
    for (const d of divisors) if (!(d >= 1)) throw graphError('Divisors must be greater than or equal to one');
    if (this.minValue === this.maxValue) {
      if (this.minValue === 0) this.maxValue = 1;
      else if (this.minValue < 0) {
        this.minValue *= 1.1;
        this.maxValue *= 0.9;
      } else {
        this.minValue *= 0.9;
        this.maxValue *= 1.1;
      }
    }
    const variance = this.maxValue - this.minValue;
    let bestSlop: number | null = null;
    let bestStep = 0;
    let tried = 0;
    for (const step of this.steps(variance / Math.max(...divisors))) {
      if (++tried > 500 || !Number.isFinite(step)) break;
      if (bestSlop !== null && step * Math.min(...divisors) >= 2 * bestSlop + variance) break;
      for (const divisor of divisors) {
        const slop = this.slop(step, divisor);
        if (slop !== null && (bestSlop === null || slop < bestSlop)) {
          bestSlop = slop;
          bestStep = step;
        }
      }
    }
    if (bestSlop === null || !(bestStep > 0)) throw graphError(`Cannot choose a y step for values from ${this.minValue} to ${this.maxValue}`);
    this.step = bestStep;
  }

  chooseLimits(): void {
    if (this.logBase !== null) {
      if (this.minValue <= 0) throw graphError('Logarithmic scale specified with a dataset with a minimum value less than or equal to zero');
      const log = (v: number): number => Math.log(v) / Math.log(this.logBase!);
      this.bottom = this.logBase ** Math.floor(log(this.minValue));
      this.top = this.logBase ** Math.ceil(log(this.maxValue));
      this.span = this.top - this.bottom;
      if (this.span === 0) {
        this.top *= this.logBase;
        this.span = this.top - this.bottom;
      }
      return;
    }
    this.bottom = this.minSource === 'data' ? this.step * Math.floor(this.minValue / this.step + EPSILON) : this.minValue;
    if (this.maxSource === 'data') {
      this.top = this.step * Math.ceil(this.maxValue / this.step - EPSILON);
      if (this.axisLimit !== null && this.top > this.axisLimit + EPSILON * this.step) this.top = this.axisLimit;
    } else this.top = this.maxValue;
    this.span = this.top - this.bottom;
    if (this.span === 0) {
      this.top += 1;
      this.span += 1;
    }
    if (!Number.isFinite(this.bottom) || !Number.isFinite(this.top)) throw graphError('The y axis limits overflow: the values are too large to draw');
  }

  labelValues(): number[] {
    const values: number[] = [];
    if (this.logBase !== null) {
      let value = this.logBase ** Math.ceil(Math.log(this.bottom) / Math.log(this.logBase) - EPSILON);
      while (value < this.top * (1 + EPSILON)) {
        values.push(value);
        if (values.length > 200) throw graphError(`logBase ${this.logBase} is too close to 1 for values up to ${this.maxValue}: over 200 y labels`);
        value *= this.logBase;
      }
      return values;
    }
    if (this.step <= 0) throw graphError('The step size must be positive');
    if (this.span > 1000 * this.step) this.chooseStep();
    const start = this.step * Math.ceil(this.bottom / this.step - EPSILON);
    for (let i = 0; i < 10_000; i++) {
      const value = start + i * this.step;
      if (value > this.top + EPSILON * this.step) break;
      values.push(value);
    }
    return values;
  }

  makeLabel(raw: number): string {
    const step = this.logBase === null ? this.step : undefined;
    const [value, rawPrefix] = formatUnits(raw, this.unitSystem, undefined, step);
    const [span, spanPrefix] = formatUnits(this.span, this.unitSystem, undefined, step);
    const prefix = rawPrefix ? `${rawPrefix} ` : '';
    if (value < 0.1) return `${formatGeneral(value)} ${prefix}`;
    if (value < 1) return `${formatFixed(value, 2)} ${prefix}`;
    if (span > 10 || spanPrefix !== rawPrefix) return `${formatFixed(value, 1)} ${prefix}`;
    if (span > 3) return `${formatFixed(value, 1)} ${prefix}`;
    if (span > 0.1) return `${formatFixed(value, 2)} ${prefix}`;
    return `${formatGeneral(value)} ${prefix}`;
  }
}
