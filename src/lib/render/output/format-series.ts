/** Writes evaluated series in one of graphite-web's data formats. */
import type { TimeSeries } from '../time-series.js';
import { type DataFormat, renderCsv, renderJson, renderPickle, renderRaw } from './render-output.js';

export interface FormatOptions {
  tz: string;
  maxDataPoints?: number;
  noNullPoints?: boolean;
  pretty?: boolean;
  jsonp?: string;
}

export function formatSeries(series: readonly TimeSeries[], format: DataFormat, options: FormatOptions): string | Buffer {
  switch (format) {
    case 'json':
      return renderJson(series, options);
    case 'csv':
      return renderCsv(series, options.tz);
    case 'raw':
      return renderRaw(series);
    case 'pickle':
      return renderPickle(series);
  }
}
