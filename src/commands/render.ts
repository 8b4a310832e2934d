import { Args } from '@oclif/core';
import { renderAction } from '../cli/actions/render.js';
import { GphCommand } from '../cli/gph-command.js';
import { toOclifFlags } from '../cli/oclif-flags.js';

export default class Render extends GphCommand {
  static summary = "Evaluate graphite targets over whisper files (and live caches) and print graphite-web's json, csv, raw or pickle, or a terminal chart.";
  static description = `Targets use graphite's language: metric paths with globs, nested functions, keyword arguments, pipes and template(). Times use graphite's at-time syntax (-1d, now-90min, 23:00_20231231, midnight, epoch seconds). Data comes from --storage-dir (default ./data/whisper, where \`gph cache start\` writes), merged with unwritten points from the carbon caches given with --carbonlink (gph's or carbon's; several are chosen by carbon's hash ring).

The output is what graphite-web's /render?format=... answers, so scripts written for graphite-web parse it. On a terminal the default is a chart; when piped, json. --json is --format json.`;
  static examples = [
    "<%= config.bin %> render 'sumSeries(products.*.salesPerMinute)' --from -1d",
    "<%= config.bin %> render 'servers.*.cpuUsage|highestAverage(3)' --format csv -o cpu.csv",
    '<%= config.bin %> render \'movingAverage(app.login.hits,"15min")\' --storage-dir /var/lib/graphite/whisper --carbonlink 127.0.0.1:7002:a',
    "<%= config.bin %> render 'template(products.$p.salesPerMinute)' --template p=a --max-data-points 100 --json",
    '<%= config.bin %> render --list-functions',
  ];
  static referenceTool = renderAction.referenceTool;
  static strict = false;
  static args = { target: Args.string({ description: 'A graphite target (every argument is one target)' }) };
  static flags = toOclifFlags(renderAction.flags);

  async run(): Promise<unknown> {
    return this.runAction(renderAction, await this.parse(Render));
  }
}
