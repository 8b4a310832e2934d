/**
 * graphite's per-node glob (finders/__init__.py): `{a,b}` alternatives expanded first (innermost
 * group first, several per node), then Python fnmatch: `*`, `?`, `[abc]`, `[a-z]`, `[!a]`,
 * case-sensitive, matching the whole name.
 */
const BRACES = /\{([^{}]*)\}/;

/** expand_braces("a{b,c}d{e,f}") -> the distinct expansions (order not significant). */
export function expandBraces(pattern: string): string[] {
  const m = BRACES.exec(pattern);
  if (!m) return [pattern];
  const out = new Set<string>();
  for (const alternative of m[1].split(',')) {
    for (const expanded of expandBraces(pattern.slice(0, m.index) + alternative + pattern.slice(m.index + m[0].length))) out.add(expanded);
  }
  return [...out];
}

export function hasWildcard(pattern: string): boolean {
  return /[[*?]/.test(pattern);
}

const cache = new Map<string, RegExp>();

/** fnmatch.translate: a glob as an anchored regular expression. */
export function fnmatchRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      out += '.*';
    } else if (ch === '?') {
      out += '.';
    } else if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
      } else {
        let body = pattern.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        else if (body.startsWith('^')) body = `\\${body}`;
        out += `[${body.replace(/]/g, '\\]').replace(/^\\\^/, '\\^')}]`;
        i = j;
      }
    } else {
      out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  re = new RegExp(`^(?:${out})$`, 's');
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** match_entries: names matching the pattern (with its brace alternatives). */
export function matchEntries(entries: readonly string[], pattern: string): string[] {
  const out = new Set<string>();
  for (const variant of expandBraces(pattern)) {
    const re = fnmatchRegExp(variant);
    for (const entry of entries) if (re.test(entry)) out.add(entry);
  }
  return [...out];
}
