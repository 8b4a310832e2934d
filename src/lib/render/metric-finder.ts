/**
 * Finds metrics in a whisper tree the way graphite-web's StandardFinder does: the pattern is split
 * on dots and each node is matched against one directory level (directories are branches, `.wsp`
 * files leaves); `**` as a whole node matches any depth; entries starting with "." are skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expandBraces, hasWildcard, matchEntries } from './glob.js';

export interface MetricNode {
  /** Dotted metric path. */
  path: string;
  /** File or directory on disk. */
  fsPath: string;
  isLeaf: boolean;
}

function listDir(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return { files, dirs };
  }
  for (const entry of entries) {
    // graphite skips only dot-named leaves; a dot-named directory would give a metric name with
    // an empty node (a..b), which no target can address, so gph skips those too.
    if (entry.name.startsWith('.')) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const stat = fs.statSync(path.join(dir, entry.name));
        isDir = stat.isDirectory();
        isFile = stat.isFile();
      } catch {
        continue;
      }
    }
    if (isFile) files.push(entry.name);
    if (isDir) dirs.push(entry.name);
  }
  return { files, dirs };
}

/** stat(2) of `p`, or undefined when there is nothing usable there (a missing path costs no exception: every exact target looks up paths that are not there). */
function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, EACCES, ELOOP ...
  }
}

function isDirectory(p: string): boolean {
  return statOf(p)?.isDirectory() ?? false;
}

function isFile(p: string): boolean {
  return statOf(p)?.isFile() ?? false;
}

/** Every directory under `dir` (itself included, as ""), relative to it (os.walk). */
function walkDirs(dir: string, prefix = '', out: string[] = []): string[] {
  out.push(prefix);
  for (const sub of listDir(dir).dirs) walkDirs(path.join(dir, sub), prefix ? path.join(prefix, sub) : sub, out);
  return out;
}

/**
 * Appends to `out` the paths under `dir` (relative to the search root, after `prefix`) that
 * match `patterns`, one directory level per pattern node: files for the last node, directories
 * for every node.
 */
function findPaths(dir: string, patterns: readonly string[], prefix: string, out: string[]): void {
  const [raw, ...restPatterns] = patterns;
  const alternatives = expandBraces(raw);
  for (const pattern of alternatives) {
    let rest = restPatterns;
    const wildcard = hasWildcard(pattern);
    let subdirs: string[] = [];
    let files: string[] = [];
    if (wildcard) {
      const listing = listDir(dir);
      files = listing.files;
      if (pattern === '**') {
        subdirs = walkDirs(dir);
        if (rest.length === 0) rest = ['*'];
      } else {
        subdirs = matchEntries(listing.dirs, pattern);
      }
    } else if ((rest.length > 0 && alternatives.length === 1) || isDirectory(path.join(dir, pattern))) {
      // A plain literal node with more to match is descended into without a stat: if it is not
      // a directory, the next level finds nothing there (its listing or stat fails). Brace
      // alternatives are stat'ed: descending into every one blindly multiplies the work level
      // by level ({a0..a9} at six levels was a million lookups).
      subdirs = [pattern];
    }
    if (rest.length > 0) {
      // Names from a directory listing join with "/" as they are; a literal pattern node may hold
      // a "/" of its own ("a/.c"), which path.join normalises as graphite-web's os.path.join does.
      for (const sub of subdirs) {
        if (!sub) findPaths(dir, rest, prefix, out);
        else if (!sub.includes('/')) findPaths(path.join(dir, sub), rest, `${prefix}${sub}/`, out);
        else findPaths(path.join(dir, sub), rest, `${path.join(prefix, sub).replace(/\/+$/, '')}/`, out);
      }
    } else {
      const matchingFiles = wildcard ? matchEntries(files, `${pattern}.*`) : isFile(path.join(dir, `${pattern}.wsp`)) ? [`${pattern}.wsp`] : [];
      for (const file of matchingFiles) out.push(prefix + file);
      for (const sub of subdirs) out.push(prefix + sub);
    }
  }
}

/** Nodes matching `pattern` under `root`, de-duplicated by path (branches and .wsp leaves). */
export function findMetrics(root: string, pattern: string): MetricNode[] {
  const clean = pattern.replace(/\\/g, '');
  const seen = new Map<string, MetricNode>();
  const base = path.join(root, '/');
  const found: string[] = [];
  findPaths(root, clean.split('.'), '', found);
  // fs_to_metric: "a/b/c.wsp" -> "a.b.c" (the file name up to its first dot); matches come
  // directory by directory, so the dotted form of the last directory is kept.
  let directory = '';
  let dotted = '';
  for (const relative of found) {
    const nameStart = relative.lastIndexOf('/') + 1;
    if (relative.startsWith('.', nameStart)) continue;
    if (nameStart !== directory.length || !relative.startsWith(directory)) {
      directory = relative.slice(0, nameStart);
      dotted = directory.replaceAll('/', '.');
    }
    const dot = relative.indexOf('.', nameStart);
    const metric = dotted + (dot < 0 ? relative.slice(nameStart) : relative.slice(nameStart, dot));
    const isLeaf = relative.endsWith('.wsp');
    const key = `${metric}\0${isLeaf ? 'leaf' : 'branch'}`;
    if (seen.has(key)) continue;
    const fsPath = base + relative;
    if (isLeaf) seen.set(key, { path: metric, fsPath, isLeaf: true });
    else if (isDirectory(fsPath)) seen.set(key, { path: metric, fsPath, isLeaf: false });
  }
  return [...seen.values()];
}
