/**
 * carbon's USE_WHITELIST (lib/carbon/regexlist.py): whitelist.conf and blacklist.conf in CONF_DIR,
 * one regular expression per line (blank lines and # comments skipped), matched with re.search.
 * A metric is taken when the whitelist is absent or empty or one of its patterns matches, and no
 * blacklist pattern matches. The files are read again when they change (checked at most once a
 * second); decisions per name are remembered until then.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';

export type FilterVerdict = 'ok' | 'blacklisted' | 'notWhitelisted';

const MAX_REMEMBERED = 1_000_000;

class RegexList {
  patterns: RegExp[] = [];
  private mtimeMs = -1;

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Reloads when the file's mtime changed; returns true when the list changed. */
  refresh(): boolean {
    let mtimeMs = 0;
    try {
      mtimeMs = fs.statSync(this.file).mtimeMs;
    } catch {
      mtimeMs = 0;
    }
    if (mtimeMs === this.mtimeMs) return false;
    this.mtimeMs = mtimeMs;
    const patterns: RegExp[] = [];
    if (mtimeMs) {
      for (const raw of fs.readFileSync(this.file, 'utf8').split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#')) continue;
        try {
          patterns.push(new RegExp(line.replace(/\(\?P<(\w+)>/g, '(?<$1>')));
        } catch (error) {
          this.logger.warn(`${this.file}: skipping invalid pattern ${JSON.stringify(line)}: ${(error as Error).message}`);
        }
      }
      this.logger.info(`read ${patterns.length} patterns from ${this.file}`);
    }
    this.patterns = patterns;
    return true;
  }

  matches(metric: string): boolean {
    return this.patterns.some((re) => re.test(metric));
  }
}

export class MetricFilter {
  private readonly whitelist: RegexList;
  private readonly blacklist: RegexList;
  private readonly verdicts = new Map<string, FilterVerdict>();
  private checkedAt = -Infinity;

  constructor(
    confDir: string,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    this.whitelist = new RegexList(path.join(confDir, 'whitelist.conf'), logger);
    this.blacklist = new RegexList(path.join(confDir, 'blacklist.conf'), logger);
    this.refresh();
  }

  private refresh(): void {
    const now = this.clock.now();
    if (now - this.checkedAt < 1) return;
    this.checkedAt = now;
    const changed = this.whitelist.refresh();
    if (this.blacklist.refresh() || changed) this.verdicts.clear();
  }

  verdict(metric: string): FilterVerdict {
    this.refresh();
    let verdict = this.verdicts.get(metric);
    if (verdict === undefined) {
      if (this.whitelist.patterns.length > 0 && !this.whitelist.matches(metric)) verdict = 'notWhitelisted';
      else if (this.blacklist.matches(metric)) verdict = 'blacklisted';
      else verdict = 'ok';
      if (this.verdicts.size >= MAX_REMEMBERED) this.verdicts.clear();
      this.verdicts.set(metric, verdict);
    }
    return verdict;
  }
}
