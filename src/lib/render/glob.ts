/**
 * graphite's per-node glob (finders/__init__.py): `{a,b}` alternatives expanded first (innermost
 * group first, several per node), then Python fnmatch: `*`, `?`, `[abc]`, `[a-z]`, `[!a]`,
 * case-sensitive, matching the whole name. Matching is a linear-time wildcard match, not a regular
 * expression, so no pattern can make it backtrack exponentially; a reversed range such as [z-a]
 * matches nothing, as in Python 3.11.
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

type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; ch: string } | { kind: 'class'; negate: boolean; test: (ch: string) => boolean };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (ch === '?') tokens.push({ kind: 'any' });
    else if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        tokens.push({ kind: 'char', ch: '[' });
        continue;
      }
      let body = pattern.slice(i + 1, j);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      const singles = new Set<string>();
      const ranges: Array<[string, string]> = [];
      for (let k = 0; k < body.length; k++) {
        if (k + 2 < body.length && body[k + 1] === '-') {
          if (body[k] <= body[k + 2]) ranges.push([body[k], body[k + 2]]);
          k += 2;
        } else singles.add(body[k]);
      }
      const inSet = (c: string): boolean => singles.has(c) || ranges.some(([lo, hi]) => c >= lo && c <= hi);
      tokens.push({ kind: 'class', negate, test: (c) => inSet(c) !== negate });
      i = j;
    } else tokens.push({ kind: 'char', ch });
  }
  return tokens;
}

const cache = new Map<string, (name: string) => boolean>();

/** A matcher for one glob (fnmatch.fnmatchcase semantics). */
export function globMatcher(pattern: string): (name: string) => boolean {
  let matcher = cache.get(pattern);
  if (matcher) return matcher;
  const tokens = tokenize(pattern);
  matcher = (name: string): boolean => {
    // Classic two-pointer wildcard matching with one backtrack point per star: linear-ish time.
    let t = 0;
    let n = 0;
    let starToken = -1;
    let starName = 0;
    while (n < name.length) {
      const token = tokens[t];
      if (token && token.kind !== 'star' && (token.kind === 'any' || (token.kind === 'char' ? token.ch === name[n] : token.test(name[n])))) {
        t++;
        n++;
      } else if (token?.kind === 'star') {
        starToken = t++;
        starName = n;
      } else if (starToken >= 0) {
        t = starToken + 1;
        n = ++starName;
      } else return false;
    }
    while (tokens[t]?.kind === 'star') t++;
    return t === tokens.length;
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, matcher);
  return matcher;
}

/** match_entries: names matching the pattern (with its brace alternatives). */
export function matchEntries(entries: readonly string[], pattern: string): string[] {
  // The finder's most common patterns, answered without the matcher: every name, and every file name with an extension.
  if (pattern === '*') return [...new Set(entries)];
  if (pattern === '*.*') return [...new Set(entries.filter((entry) => entry.includes('.')))];
  const out = new Set<string>();
  for (const variant of expandBraces(pattern)) {
    const match = globMatcher(variant);
    for (const entry of entries) if (match(entry)) out.add(entry);
  }
  return [...out];
}
