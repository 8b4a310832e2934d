/**
 * The render target grammar, parsed the way graphite-web's pyparsing grammar does
 * (render/grammar_unsafe.py): ordered choices without backtracking into a chosen alternative,
 * whitespace skipped between tokens, numbers only when followed by `,` `)` or the end, keyword
 * arguments after positional ones, `template(...)` with literal arguments, and pipes.
 * Like graphite the parse is not anchored at the end; `parseTarget` reports where it stopped so
 * callers can reject (CLI) or ignore (graphite-compatible HTTP API) trailing text.
 */
import { GphError } from '../../errors.js';
import type { Arg, CallNode, ExpressionNode, KeywordArg, Literal, PathNode, TemplateNode } from './target-ast.js';

const SYMBOLS = `(){},.'"\\|`;
const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;
const KEYWORD_CHAR = /[A-Za-z0-9_$]/;
const STRING_RE = /"(?:[^"\n\r\\]|""|\\(?:[^x]|x[0-9a-fA-F]+))*"|'(?:[^'\n\r\\]|''|\\(?:[^x]|x[0-9a-fA-F]+))*'/y;
const SCI_RE = /-?\d+(?:\.\d+)?[eE]-?\d+/y;
const FLOAT_RE = /-?\d+\.\d+/y;
const INT_RE = /-?\d+/y;

function isMetricChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code > 32 && code < 127 && !SYMBOLS.includes(ch);
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  /** Runs `rule`; on failure (null) restores the position. */
  attempt<T>(rule: () => T | null): T | null {
    const saved = this.pos;
    const result = rule();
    if (result === null) this.pos = saved;
    return result;
  }

  literal(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  regex(re: RegExp): string | null {
    this.skipSpace();
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  identifier(): string | null {
    this.skipSpace();
    if (this.pos >= this.text.length || !IDENT_START.test(this.text[this.pos])) return null;
    let end = this.pos + 1;
    while (end < this.text.length && IDENT_CHAR.test(this.text[end])) end++;
    const word = this.text.slice(this.pos, end);
    this.pos = end;
    return word;
  }

  keyword(word: string): boolean {
    this.skipSpace();
    const candidate = this.text.slice(this.pos, this.pos + word.length);
    if (candidate.toLowerCase() !== word) return false;
    const next = this.text[this.pos + word.length];
    if (next !== undefined && KEYWORD_CHAR.test(next)) return false;
    this.pos += word.length;
    return true;
  }

  /** FollowedBy(",") ^ FollowedBy(")") ^ FollowedBy(LineEnd()) */
  afterNumber(): boolean {
    const saved = this.pos;
    this.skipSpace();
    const ch = this.text[this.pos];
    this.pos = saved;
    return ch === undefined || ch === ',' || ch === ')' || ch === '\n';
  }

  number(): Literal | null {
    for (const [re, integer] of [
      [SCI_RE, false],
      [FLOAT_RE, false],
      [INT_RE, true],
    ] as const) {
      const saved = this.pos;
      const text = this.regex(re);
      if (text !== null && this.afterNumber()) return { kind: 'number', value: Number(text), integer };
      this.pos = saved;
    }
    return null;
  }

  string(): Literal | null {
    const text = this.regex(STRING_RE);
    return text === null ? null : { kind: 'string', value: text.slice(1, -1) };
  }

  /** boolean | number | none | string | inf | expression */
  arg(): Arg | null {
    if (this.keyword('true')) return { kind: 'boolean', value: true };
    if (this.keyword('false')) return { kind: 'boolean', value: false };
    const num = this.attempt(() => this.number());
    if (num) return num;
    if (this.keyword('none')) return { kind: 'none' };
    const str = this.string();
    if (str) return str;
    if (this.keyword('inf')) return { kind: 'inf' };
    return this.attempt(() => this.expression());
  }

  kwarg<T>(value: () => T | null): KeywordArg<T> | null {
    return this.attempt(() => {
      const name = this.identifier();
      if (name === null || !this.literal('=')) return null;
      const parsed = value();
      return parsed === null ? null : { name, value: parsed };
    });
  }

  /** delimitedList(~kwarg + item) then Optional(comma + delimitedList(kwarg)) */
  argumentList<T>(item: () => T | null, allowBoth: boolean): { args: T[]; kwargs: Array<KeywordArg<T>> } | null {
    const args: T[] = [];
    const kwargs: Array<KeywordArg<T>> = [];
    const positional = (): T | null => {
      const saved = this.pos;
      if (this.kwarg(item) !== null) {
        this.pos = saved;
        return null;
      }
      this.pos = saved;
      return this.attempt(item);
    };
    const first = positional();
    if (first !== null) {
      args.push(first);
      for (;;) {
        const saved = this.pos;
        if (!this.literal(',')) break;
        const next = positional();
        if (next === null) {
          this.pos = saved;
          break;
        }
        args.push(next);
      }
      if (!allowBoth) return { args, kwargs };
      const saved = this.pos;
      if (this.literal(',')) {
        const first = this.kwarg(item);
        if (first === null) this.pos = saved;
        else this.kwargList(item, kwargs, first);
      }
      return { args, kwargs };
    }
    // A call's keyword arguments need a positional one before them (graphite's grammar); a
    // template's literal arguments may be all keywords.
    if (allowBoth) return { args, kwargs };
    const kw = this.kwarg(item);
    if (kw === null) return null;
    this.kwargList(item, kwargs, kw);
    return { args, kwargs };
  }

  kwargList<T>(item: () => T | null, into: Array<KeywordArg<T>>, first: KeywordArg<T>): void {
    into.push(first);
    for (;;) {
      const saved = this.pos;
      if (!this.literal(',')) break;
      const next = this.kwarg(item);
      if (next === null) {
        this.pos = saved;
        break;
      }
      into.push(next);
    }
  }

  call(): CallNode | null {
    return this.attempt(() => {
      this.skipSpace();
      const position = this.pos;
      const name = this.identifier();
      if (name === null || !this.literal('(')) return null;
      const list = this.argumentList(() => this.arg(), true) ?? { args: [], kwargs: [] };
      if (!this.literal(')')) return null;
      return { kind: 'call', name, args: list.args, kwargs: list.kwargs, raw: this.text.slice(position, this.pos), position } satisfies CallNode;
    });
  }

  /** One or more of: `\` + symbol, or a run of metric characters. */
  partialPathElem(): string | null {
    let out = '';
    let p = this.pos;
    for (;;) {
      const ch = this.text[p];
      if (ch === '\\' && p + 1 < this.text.length && (SYMBOLS + '=').includes(this.text[p + 1])) {
        out += this.text[p + 1];
        p += 2;
      } else if (ch !== undefined && isMetricChar(ch)) {
        out += ch;
        p++;
      } else break;
    }
    if (p === this.pos) return null;
    this.pos = p;
    return out;
  }

  matchEnum(): string | null {
    return this.attempt(() => {
      if (this.text[this.pos] !== '{') return null;
      this.pos++;
      const parts: string[] = [];
      for (;;) {
        const part = this.partialPathElem();
        if (part === null) return null;
        parts.push(part);
        if (this.text[this.pos] === ',') {
          this.pos++;
          continue;
        }
        break;
      }
      if (this.text[this.pos] !== '}') return null;
      this.pos++;
      return `{${parts.join(',')}}`;
    });
  }

  pathElement(): string | null {
    let out = this.partialPathElem() ?? this.matchEnum();
    if (out === null) return null;
    for (;;) {
      const more = this.matchEnum() ?? this.partialPathElem();
      if (more === null) return out;
      out += more;
    }
  }

  path(): PathNode | null {
    this.skipSpace();
    const saved = this.pos;
    let text = this.pathElement();
    if (text === null) {
      this.pos = saved;
      return null;
    }
    while (this.text[this.pos] === '.') {
      const dot = this.pos;
      this.pos++;
      const next = this.pathElement();
      if (next === null) {
        this.pos = dot;
        break;
      }
      text += `.${next}`;
    }
    return { kind: 'path', text };
  }

  template(): TemplateNode | null {
    return this.attempt(() => {
      if (!this.literal('template') || !this.literal('(')) return null;
      const inner = this.call() ?? this.path();
      if (inner === null) return null;
      let args: Literal[] = [];
      let kwargs: Array<KeywordArg<Literal>> = [];
      const saved = this.pos;
      if (this.literal(',')) {
        const litarg = (): Literal | null => this.attempt(() => this.number()) ?? this.string();
        const list = this.argumentList(litarg, false);
        if (list === null) this.pos = saved;
        else ({ args, kwargs } = list);
      }
      if (!this.literal(')')) return null;
      return { kind: 'template', inner, args, kwargs } satisfies TemplateNode;
    });
  }

  expression(): ExpressionNode | null {
    const head = this.template() ?? this.call() ?? this.path();
    if (head === null) return null;
    const piped: CallNode[] = [];
    for (;;) {
      const saved = this.pos;
      if (!this.literal('|')) break;
      const call = this.call();
      if (call === null) {
        this.pos = saved;
        break;
      }
      piped.push(call);
    }
    return { kind: 'expression', head, piped };
  }
}

export interface ParsedTarget {
  expression: ExpressionNode | null;
  /** Offset where parsing stopped; text after it was ignored. */
  end: number;
}

/** Parses like graphite-web: the longest valid prefix (trailing text is ignored, not an error). */
export function parseTarget(text: string): ParsedTarget {
  const parser = new Parser(text);
  const expression = parser.expression();
  return { expression, end: expression ? parser.pos : 0 };
}

/** Parses a whole target; anything graphite would silently ignore is an error naming the column. */
export function parseTargetStrict(text: string): ExpressionNode {
  const { expression, end } = parseTarget(text);
  const rest = text.slice(end);
  if (expression && rest.trim() === '') return expression;
  const column = expression ? end + (rest.length - rest.trimStart().length) + 1 : 1;
  const near = text.slice(column - 1, column + 19);
  throw new GphError('RENDER_PARSE_ERROR', `Cannot parse target "${text}" at column ${column} (near "${near}")`, {
    hint: 'Check brackets, quotes and commas; keyword arguments must come after positional ones',
  });
}
