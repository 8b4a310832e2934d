/**
 * Compares gph's render JSON with graphite-web's the way ../shared/render-oracle's compare tool
 * does: same series names, tags, timestamps and null positions, values within 1e-9 relative.
 */
export interface JsonSeries {
  target: string;
  tags: Record<string, string>;
  datapoints: Array<[number | null, number]>;
}

const close = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** The first difference, or undefined when the answers agree. */
export function firstDifference(got: JsonSeries[], want: JsonSeries[]): string | undefined {
  if (got.length !== want.length) return `${got.length} series vs ${want.length}: ${JSON.stringify(got.map((s) => s.target))} vs ${JSON.stringify(want.map((s) => s.target))}`;
  for (const [i, g] of got.entries()) {
    const w = want[i];
    if (g.target !== w.target) return `series ${i} named ${JSON.stringify(g.target)} vs ${JSON.stringify(w.target)}`;
    const tags = (t: Record<string, string>): string => JSON.stringify(Object.entries(t).sort());
    if (tags(g.tags) !== tags(w.tags)) return `${g.target}: tags ${JSON.stringify(g.tags)} vs ${JSON.stringify(w.tags)}`;
    if (g.datapoints.length !== w.datapoints.length) return `${g.target}: ${g.datapoints.length} points vs ${w.datapoints.length}`;
    for (const [j, [value, ts]] of g.datapoints.entries()) {
      if (ts !== w.datapoints[j][1]) return `${g.target}: timestamp ${j} is ${ts} vs ${w.datapoints[j][1]}`;
      if (!close(value, w.datapoints[j][0])) return `${g.target}: value at ${ts} is ${value} vs ${w.datapoints[j][0]}`;
    }
  }
  return undefined;
}

export interface TargetLine {
  expr: string;
  params: URLSearchParams;
}

/** Reads a targets file (@now, @params, EXPR[<TAB>params]) into full query parameters. */
export function readTargets(text: string): TargetLine[] {
  let now = '';
  let defaults = '';
  const out: TargetLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (line.startsWith('@now')) now = line.split(/\s+/)[1];
    else if (line.startsWith('@params')) defaults = line.split(/\s+/)[1];
    else {
      const [expr, extra] = line.split('\t');
      const params = new URLSearchParams(defaults);
      if (extra) for (const [k, v] of new URLSearchParams(extra)) params.set(k, v);
      params.set('now', now);
      out.push({ expr, params });
    }
  }
  return out;
}
