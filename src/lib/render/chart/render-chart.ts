/**
 * Charts from evaluated series: PNG, PDF or SVG (with graphite-web's embedded `metadata` script), in
 * graphite-web's look and with its graph options. Layout is LineGraph (or PieGraph for
 * graphType=pie); pixels come from the canvas surface.
 */
import { createSurface } from './canvas-surface.js';
import { parseColor } from './colors.js';
import { backgroundColor } from './graph-base.js';
import { type ChartTemplate, loadTemplate } from './chart-template.js';
import type { GraphOptions } from './graph-options.js';
import { validateGraphOptions } from './graph-options.js';
import { LineGraph } from './line-graph.js';
import { PieGraph } from './pie-graph.js';
import type { TimeSeries } from '../time-series.js';

export type ChartFormat = 'png' | 'svg' | 'pdf';

export interface ChartRequest {
  format: ChartFormat;
  options: GraphOptions;
  tz: string;
  /** graphTemplates.conf for template= (optional). */
  templatesPath?: string;
}

/** graphite-web's defaults when width/height are absent (render/views.py). */
export const DEFAULT_WIDTH = 330;
export const DEFAULT_HEIGHT = 250;

function svgWithMetadata(svg: string, metadata: unknown): string {
  const body = svg.replace(/<\/svg>\s*$/, '').replace(/<svg([^>]*)>/, '<svg$1><g class="graphite">');
  return `${body}</g><script>\n  <![CDATA[\n    metadata = ${JSON.stringify(metadata ?? {})}\n  ]]>\n</script>\n</svg>\n`;
}

export async function renderChart(series: readonly TimeSeries[], request: ChartRequest): Promise<Buffer> {
  validateGraphOptions(request.options);
  const width = Number(request.options.width ?? DEFAULT_WIDTH);
  const height = Number(request.options.height ?? DEFAULT_HEIGHT);
  const template: ChartTemplate = loadTemplate(request.options.template === undefined ? undefined : String(request.options.template), request.templatesPath);
  const opaque = parseColor(backgroundColor(request.options, template)).a >= 1;
  const surface = await createSurface(width, height, request.format, opaque);
  const pie = String(request.options.graphType ?? 'line').toLowerCase() === 'pie';
  const graph = pie ? new PieGraph(surface.ctx, width, height, request.options, template) : new LineGraph(surface.ctx, width, height, request.options, template, request.tz);
  let metadata: ReturnType<typeof graph.draw>;
  try {
    metadata = graph.draw(series.map((s) => s.clone()));
  } catch (error) {
    await surface.discard();
    throw error;
  }
  const image = await surface.finish();
  if (request.format !== 'svg') return image;
  const meta = metadata && {
    x: { start: metadata.startTime, end: metadata.endTime },
    options: { lineWidth: metadata.lineWidth },
    font: { name: String(request.options.fontName ?? template.fontName), size: Number(request.options.fontSize ?? template.fontSize), bold: Boolean(request.options.fontBold ?? template.fontBold), italic: Boolean(request.options.fontItalic ?? template.fontItalic) },
    area: metadata.area,
    ...(metadata.y ? { y: metadata.y } : {}),
    series: metadata.series,
  };
  return Buffer.from(svgWithMetadata(image.toString('utf8'), meta));
}
