/** The parsed form of a render target (graphite-web's grammar tokens, as plain objects). */
export interface NumberLiteral {
  kind: 'number';
  value: number;
  /** Written as an integer (Python int), not a float. */
  integer: boolean;
}
export interface StringLiteral {
  kind: 'string';
  value: string;
}
export interface BooleanLiteral {
  kind: 'boolean';
  value: boolean;
}
export interface NoneLiteral {
  kind: 'none';
}
export interface InfLiteral {
  kind: 'inf';
}
export type Literal = NumberLiteral | StringLiteral | BooleanLiteral | NoneLiteral | InfLiteral;

export interface PathNode {
  kind: 'path';
  text: string;
}

export interface KeywordArg<T> {
  name: string;
  value: T;
}

export interface CallNode {
  kind: 'call';
  name: string;
  args: Arg[];
  kwargs: Array<KeywordArg<Arg>>;
  /** The call's source text (used for seriesByTag). */
  raw: string;
  /** Offset of the call in the target. */
  position: number;
}

export interface TemplateNode {
  kind: 'template';
  inner: CallNode | PathNode;
  args: Literal[];
  kwargs: Array<KeywordArg<Literal>>;
}

/** head | piped1 | piped2 ...: each piped call gets the left side as its first argument. */
export interface ExpressionNode {
  kind: 'expression';
  head: TemplateNode | CallNode | PathNode;
  piped: CallNode[];
}

export type Arg = Literal | ExpressionNode;
