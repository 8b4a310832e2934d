import test from 'ava';
import fc from 'fast-check';
import { isGphError } from '../../../../src/lib/errors.js';
import { parseTarget, parseTargetStrict } from '../../../../src/lib/render/grammar/parse-target.js';
import type { Arg, CallNode, ExpressionNode } from '../../../../src/lib/render/grammar/target-ast.js';

const call = (text: string): CallNode => parseTargetStrict(text).head as CallNode;

test('paths keep globs, braces, escapes and graphite symbols', (t) => {
  for (const path of ['a.b.c', 'servers.www?[05].cpu', 'a.{b,c}d.e', 'x-y:z;t=v.$n', 'a.**', 'a.b\\(c\\)']) {
    const parsed = parseTargetStrict(path);
    t.is(parsed.head.kind, 'path', path);
  }
  t.is((parseTargetStrict('a.b\\(c\\)').head as { text: string }).text, 'a.b(c)');
});

test('arguments: numbers only before , ) or the end; strings, booleans, None and inf', (t) => {
  const c = call('f(1, -2.5, 1e3, "s,t", \'q\', true, False, None, inf, 5min, a.b)');
  t.deepEqual(
    c.args.map((a) => (a.kind === 'expression' ? (a.head as { text: string }).text : a)),
    [
      { kind: 'number', value: 1, integer: true },
      { kind: 'number', value: -2.5, integer: false },
      { kind: 'number', value: 1000, integer: false },
      { kind: 'string', value: 's,t' },
      { kind: 'string', value: 'q' },
      { kind: 'boolean', value: true },
      { kind: 'boolean', value: false },
      { kind: 'none' },
      { kind: 'inf' },
      '5min',
      'a.b',
    ],
  );
});

test('keyword arguments follow positional ones; the other order does not parse', (t) => {
  const c = call('movingAverage(a.b, windowSize=5, xFilesFactor=0.5)');
  t.deepEqual(
    c.kwargs.map((k) => [k.name, (k.value as { value: number }).value]),
    [
      ['windowSize', 5],
      ['xFilesFactor', 0.5],
    ],
  );
  const partial = parseTarget('movingAverage(windowSize=5,a.b)');
  t.is(partial.expression?.head.kind, 'path');
});

test('pipes nest left to right and templates take literal arguments', (t) => {
  const parsed = parseTargetStrict('a.b | scale(2) |offset(1)');
  t.deepEqual(
    parsed.piped.map((p) => p.name),
    ['scale', 'offset'],
  );
  const template = parseTargetStrict('template(sum(a.$x.c), x="b")');
  t.is(template.head.kind, 'template');
});

test('graphite ignores trailing text; the strict parse names the column', (t) => {
  const { expression, end } = parseTarget('sumSeries(a.b');
  t.is((expression?.head as { text: string }).text, 'sumSeries');
  t.is(end, 9);
  const error = t.throws(() => parseTargetStrict('sumSeries(a.b'));
  t.true(isGphError(error, 'RENDER_PARSE_ERROR'));
  t.regex(error!.message, /column 10/);
  t.throws(() => parseTargetStrict('scale(a.b,2)extra'), { message: /column 13/ });
});

/** Random call trees printed as target text parse back to the same tree. */
const name = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/).filter((n) => !['true', 'false', 'none', 'inf', 'template'].includes(n.toLowerCase()));
const path = fc.array(fc.stringMatching(/^[a-z][a-z0-9*?]{0,4}$/), { minLength: 1, maxLength: 4 }).filter((nodes) => !['true', 'false', 'none', 'inf'].includes(nodes[0])).map((nodes) => nodes.join('.'));
type Tree = { path: string } | { num: number } | { str: string } | { call: string; args: Tree[] };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    path.map((p) => ({ path: p })),
    fc.integer({ min: -1000, max: 1000 }).map((n) => ({ num: n })),
    fc.stringMatching(/^[a-z ,()]{0,6}$/).map((s) => ({ str: s })),
    fc.record({ call: name, args: fc.array(tie('t'), { maxLength: 3 }) }),
  ),
})).t;

function print(node: Tree): string {
  if ('path' in node) return node.path;
  if ('num' in node) return String(node.num);
  if ('str' in node) return `"${node.str}"`;
  return `${node.call}(${node.args.map(print).join(', ')})`;
}

function back(arg: Arg | ExpressionNode['head']): Tree {
  if (arg.kind === 'expression') return back(arg.head);
  if (arg.kind === 'path') return { path: arg.text };
  if (arg.kind === 'number') return { num: arg.value };
  if (arg.kind === 'string') return { str: arg.value };
  if (arg.kind === 'call') return { call: arg.name, args: arg.args.map(back) };
  throw new Error(`unexpected ${arg.kind}`);
}

test('printing and parsing call trees round-trips (property)', (t) => {
  fc.assert(
    fc.property(
      tree.filter((n) => 'call' in n || 'path' in n),
      (node) => {
        t.deepEqual(back(parseTargetStrict(print(node)).head), node);
      },
    ),
    { numRuns: 300 },
  );
});
