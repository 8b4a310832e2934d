/**
 * POSIX extended regular expressions (glibc's regcomp with REG_EXTENDED, which carbon-c-relay
 * uses for match and rewrite) translated to JavaScript: bracket expressions with [:classes:], a
 * backslash inside brackets taken literally, \d and other unknown escapes as the plain letter,
 * GNU's \< \> \w \W \s \S \b \B, {,n}, stacked repetitions (a**), a stray ")" or trailing "\" as
 * literals. JavaScript-only syntax ((?…), back-references) is refused, as regcomp refuses it.
 * Not emulated: POSIX's leftmost-longest choice between alternatives (JavaScript takes the first
 * alternative that matches).
 */

export class PosixRegexError extends Error {}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

/** Characters with a meaning in JavaScript patterns, escaped when they stand for themselves. */
const escapeLiteral = (char: string): string => (/[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char);

/** A bracket expression starting at `pattern[start]` ("["): its JavaScript form and where it ends. */
function bracket(pattern: string, start: number): { js: string; end: number } {
  let i = start + 1;
  let js = '[';
  if (pattern[i] === '^') {
    js += '^';
    i++;
  }
  let first = true;
  for (; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === ']' && !first) return { js: `${js}]`, end: i + 1 };
    first = false;
    if (char === '[' && (pattern[i + 1] === ':' || pattern[i + 1] === '.' || pattern[i + 1] === '=')) {
      const kind = pattern[i + 1];
      const close = pattern.indexOf(`${kind}]`, i + 2);
      if (close < 0) throw new PosixRegexError(`unterminated [${kind} in "${pattern}"`);
      const name = pattern.slice(i + 2, close);
      if (kind === ':') {
        const range = CLASSES[name];
        if (range === undefined) throw new PosixRegexError(`unknown character class [:${name}:] in "${pattern}"`);
        js += range;
      } else js += escapeLiteral(name);
      i = close + 1;
      continue;
    }
    js += char === '-' ? '-' : escapeLiteral(char);
  }
  throw new PosixRegexError(`unmatched [ in "${pattern}"`);
}

/** The JavaScript RegExp source of a POSIX extended regular expression. */
export function posixToJavaScript(pattern: string): string {
  let js = '';
  let depth = 0;
  /** Where the last atom begins in `js` (for stacked repetitions), -1 when none. */
  let atomStart = -1;
  let afterRepeat = false;
  const atom = (text: string): void => {
    atomStart = js.length;
    js += text;
    afterRepeat = false;
  };
  const repeat = (text: string): void => {
    if (atomStart < 0) throw new PosixRegexError(`"${text}" repeats nothing in "${pattern}"`);
    if (afterRepeat) js = `${js.slice(0, atomStart)}(?:${js.slice(atomStart)})`;
    js += text;
    afterRepeat = true;
  };
  const groupStarts: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    switch (char) {
      case '\\': {
        const next = pattern[++i];
        if (next === undefined) atom('\\\\');
        else if (next === '<') atom('\\b(?=\\w)');
        else if (next === '>') atom('\\b(?<=\\w)');
        else if (next === '`') atom('^');
        else if (next === "'") atom('$');
        else if ('wWsS'.includes(next)) atom(`\\${next}`);
        else if ('bB'.includes(next)) atom(`\\${next}`);
        else if (/[1-9]/.test(next)) throw new PosixRegexError(`back-reference \\${next} in "${pattern}" (extended expressions have none)`);
        else atom(escapeLiteral(next));
        break;
      }
      case '[': {
        const { js: part, end } = bracket(pattern, i);
        atom(part);
        i = end - 1;
        break;
      }
      case '(':
        if (pattern[i + 1] === '?') throw new PosixRegexError(`"(?" in "${pattern}" is not POSIX`);
        groupStarts.push(js.length);
        depth++;
        js += '(';
        afterRepeat = false;
        atomStart = -1;
        break;
      case ')':
        if (depth === 0) {
          atom('\\)');
          break;
        }
        depth--;
        js += ')';
        atomStart = groupStarts.pop()!;
        afterRepeat = false;
        break;
      case '*':
      case '+':
      case '?':
        repeat(char);
        break;
      case '{': {
        const interval = /^\{(\d*)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!interval || (interval[1] === '' && interval[2] === undefined)) throw new PosixRegexError(`invalid repetition "{" in "${pattern}"`);
        const [, low, comma, high] = interval;
        if (Number(low || 0) > 32767 || Number(high || 0) > 32767) throw new PosixRegexError(`repetition too large in "${pattern}"`);
        repeat(`{${low || '0'}${comma === undefined ? '' : `,${high}`}}`);
        i += interval[0].length - 1;
        break;
      }
      case '|':
        js += '|';
        atomStart = -1;
        afterRepeat = false;
        break;
      case '^':
      case '$':
        js += char;
        atomStart = -1;
        afterRepeat = false;
        break;
      case '.':
        atom('.');
        break;
      default:
        atom(escapeLiteral(char));
    }
  }
  if (depth > 0) throw new PosixRegexError(`unmatched ( in "${pattern}"`);
  return js;
}

/** A RegExp behaving as regcomp(REG_EXTENDED) would (see above); throws PosixRegexError. */
export function posixRegExp(pattern: string): RegExp {
  const source = posixToJavaScript(pattern);
  try {
    return new RegExp(source, 's');
  } catch (error) {
    throw new PosixRegexError(`"${pattern}" is not a regular expression (${(error as Error).message})`);
  }
}
