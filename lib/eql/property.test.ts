import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { EventFilter, Expr, LiteralNode, Pipe, Query, SampleTerm, SequenceTerm, Statement, TimeSpan } from './ast';
import { check, parseAndCheck } from './check';
import { isEqlError } from './errors';
import { highlightTokens } from './lexer';
import { format, stripSpans } from './format';
import { parse } from './parser';

const sharedDir = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const RUNS = 300;

/** ~200 real queries: every fifth rule of the corpus. */
const corpus: string[] = readFileSync(path.join(sharedDir, 'rules', 'eql-rules.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { query: string }).query)
  .filter((_, i) => i % 5 === 0);

/** parse() may only throw EqlError; parseAndCheck()/check()/highlightTokens() may not throw at all. */
function assertOnlyEqlErrors(source: string): void {
  let stmt: Statement | null = null;
  try {
    stmt = parse(source);
  } catch (e) {
    if (!isEqlError(e)) throw new Error(`parse threw a non-EqlError for ${JSON.stringify(source)}: ${String(e)}`);
    expect(e.span.start).toBeGreaterThanOrEqual(0);
    expect(e.span.end).toBeLessThanOrEqual(Math.max(source.length, e.span.start + 1));
    expect(e.line).toBeGreaterThanOrEqual(1);
  }
  let last = 0;
  for (const t of highlightTokens(source)) {
    expect(t.span.start).toBeGreaterThanOrEqual(last);
    expect(t.span.end).toBeGreaterThan(t.span.start);
    last = t.span.end;
  }
  expect(last).toBeLessThanOrEqual(source.length);
  const result = parseAndCheck(source);
  expect(result.statement === null).toBe(stmt === null);
  if (stmt) {
    expect(check(stmt, { source })).toEqual(result.diagnostics);
    // whatever parses must also round-trip through the formatter
    const again = parse(format(stmt));
    expect(stripSpans(again)).toEqual(stripSpans(stmt));
  }
}

const VOCAB = [
  'process', 'any', 'where', 'sequence', 'sample', 'by', 'with', 'maxspan', '=', 'runs', 'until', 'join', 'of',
  'and', 'or', 'not', 'in', 'in~', 'like', 'like~', 'regex', 'regex~', ':', '==', '!=', '<', '<=', '>', '>=',
  '+', '-', '*', '/', '%', '(', ')', '[', ']', '![', ',', '.', '|', 'head', 'tail', '?', '~', '!', '`x`', '``',
  'true', 'false', 'null', '1', '0', '4.5', '.5', '1e3', '5s', '10m', '"a"', '"*b?"', '"""r"""', '"\\u{41}"',
  '"\\', "'x'", '"', '"""', 'startsWith~', 'concat', 'length', 'number', 'x.y', '@timestamp', '/*', '*/', '//',
  '\n', '\t', 'é', '\u0000', '#', '$', '{', '}',
];

describe('robustness', () => {
  test('random token soup never throws anything but EqlError', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCAB), { maxLength: 30 }), fc.constantFrom(' ', ''), (tokens, sep) => {
        assertOnlyEqlErrors(tokens.join(sep));
      }),
      { numRuns: RUNS },
    );
  });

  test('random strings never throw anything but EqlError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        assertOnlyEqlErrors(s);
      }),
      { numRuns: RUNS },
    );
  });

  test('mutations of real rule queries never throw anything but EqlError', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...VOCAB) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 3 }), (query, mutations) => {
        let q = query;
        for (const m of mutations) {
          const at = m.at % (q.length + 1);
          if (m.kind === 'delete') q = q.slice(0, at) + q.slice(at + m.length);
          else if (m.kind === 'insert') q = `${q.slice(0, at)}${m.text}${q.slice(at)}`;
          else if (m.kind === 'truncate') q = q.slice(0, at);
          else q = q.slice(0, at) + q.slice(at, at + m.length) + q.slice(at);
        }
        assertOnlyEqlErrors(q);
      }),
      { numRuns: RUNS },
    );
  });

  test('the sampled corpus queries parse, check cleanly and round-trip', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const q of corpus) {
      assertOnlyEqlErrors(q);
      expect(parseAndCheck(q).diagnostics).toEqual([]);
    }
  });
});

// ------------------------------------------------------------------ generated ASTs

const SPAN = { start: 0, end: 0 };
const FIELD_PARTS = ['process', 'name', '@timestamp', 'my-field', 'a b', 'x`y', 'and', '6x', 'pid', 'where'];
const FUNCTIONS = ['startsWith', 'LENGTH', 'concat', 'cidrMatch', 'between', 'foo'];
const CATEGORIES = [null, 'process', 'my-cat', 'any', 'where', 'file'];

const literal: fc.Arbitrary<LiteralNode> = fc.oneof(
  fc.string({ maxLength: 8 }).map((value): LiteralNode => ({ kind: 'literal', value, span: SPAN })),
  fc.nat().map((value): LiteralNode => ({ kind: 'literal', value, numberKind: 'long', span: SPAN })),
  fc.double({ min: 0, max: 1e30, noNaN: true }).map((value): LiteralNode => ({ kind: 'literal', value, numberKind: 'double', span: SPAN })),
  fc.boolean().map((value): LiteralNode => ({ kind: 'literal', value, span: SPAN })),
  fc.constant<LiteralNode>({ kind: 'literal', value: null, span: SPAN }),
);

const field: fc.Arbitrary<Expr> = fc
  .record({ parts: fc.array(fc.constantFrom(...FIELD_PARTS), { minLength: 1, maxLength: 3 }), optional: fc.boolean() })
  .map(({ parts, optional }): Expr => ({ kind: 'field', name: parts.join('.'), optional, span: SPAN }));

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  const list = fc.array(sub, { minLength: 1, maxLength: 3 });
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      field,
      sub.map((e): Expr => ({ kind: 'paren', expr: e, span: SPAN })),
      sub.map((e): Expr => ({ kind: 'not', operand: e, span: SPAN })),
      sub.map((e): Expr => ({ kind: 'negate', operand: e, span: SPAN })),
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(sub, { minLength: 2, maxLength: 3 }) }).map((r): Expr => ({ ...r, span: SPAN })),
      fc
        .record({ op: fc.constantFrom('==' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const), left: sub, right: sub })
        .map((r): Expr => ({ kind: 'comparison', ...r, span: SPAN })),
      fc
        .record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const, '%' as const), left: sub, right: sub })
        .map((r): Expr => ({ kind: 'arithmetic', ...r, span: SPAN })),
      fc
        .record({ value: sub, list, caseInsensitive: fc.boolean(), negated: fc.boolean() })
        .map((r): Expr => ({ kind: 'in', ...r, span: SPAN })),
      fc
        .record({
          op: fc.constantFrom(':' as const, 'like' as const, 'like~' as const, 'regex' as const, 'regex~' as const),
          value: sub,
          patterns: fc.array(literal, { minLength: 1, maxLength: 3 }),
          list: fc.boolean(),
        })
        .map((r): Expr => ({ kind: 'match', ...r, list: r.list || r.patterns.length > 1, span: SPAN })),
      fc
        .record({ displayName: fc.constantFrom(...FUNCTIONS), caseInsensitive: fc.boolean(), args: fc.array(sub, { maxLength: 3 }) })
        .map((r): Expr => ({ kind: 'function', name: r.displayName.toLowerCase(), ...r, span: SPAN })),
    ),
  };
});

const filter: fc.Arbitrary<EventFilter> = fc
  .record({ category: fc.constantFrom(...CATEGORIES), condition: expr })
  .map((r): EventFilter => ({ kind: 'filter', ...r, span: SPAN }));
const keys = fc.array(field, { maxLength: 2 });
const timeSpan: fc.Arbitrary<TimeSpan> = fc
  .record({ value: fc.integer({ min: 1, max: 1000 }), unit: fc.constantFrom('ms' as const, 's' as const, 'm' as const, 'h' as const, 'd' as const) })
  .map(({ value, unit }): TimeSpan => ({ value, unit, millis: value * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit], span: SPAN }));
const seqTerm: fc.Arbitrary<SequenceTerm> = fc
  .record({ filter, by: keys, runs: fc.integer({ min: 1, max: 5 }), missing: fc.boolean() })
  .map((r): SequenceTerm => ({ kind: 'sequenceTerm', ...r, span: SPAN }));
const query: fc.Arbitrary<Query> = fc.oneof(
  filter.map((f): Query => ({ kind: 'event', filter: f, span: SPAN })),
  fc
    .record({
      by: keys,
      maxspan: fc.option(timeSpan, { nil: null }),
      first: fc.boolean(),
      terms: fc.array(seqTerm, { minLength: 1, maxLength: 3 }),
      until: fc.option(seqTerm.map((t) => ({ ...t, missing: false })), { nil: null }),
    })
    .map(({ first, ...r }): Query => ({
      kind: 'sequence',
      ...r,
      // what the parser records: true when `with maxspan` came first, which it must when there is no `by`
      maxspanFirst: r.maxspan !== null && (first || r.by.length === 0),
      span: SPAN,
    })),
  fc
    .record({
      by: keys,
      terms: fc.array(
        fc.record({ filter, by: keys }).map((t): SampleTerm => ({ kind: 'sampleTerm', ...t, span: SPAN })),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map((r): Query => ({ kind: 'sample', ...r, span: SPAN })),
);
const pipe: fc.Arbitrary<Pipe> = fc
  .record({ name: fc.constantFrom('head' as const, 'tail' as const), count: fc.nat(1000) })
  .map((r): Pipe => ({ kind: 'pipe', ...r, span: SPAN }));
const statement: fc.Arbitrary<Statement> = fc
  .record({ query, pipes: fc.array(pipe, { maxLength: 2 }) })
  .map((r): Statement => ({ kind: 'statement', ...r, span: SPAN }));

/** Drop spans and `paren` nodes: grouping the formatter had to add is not part of the tree's meaning. */
function normalize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalize);
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if (obj.kind === 'paren') return normalize(obj.expr);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'span') out[k] = normalize(v);
  return out;
}

describe('format/parse round trip on generated ASTs', () => {
  test('parse(format(ast)) is ast, up to parentheses the formatter adds', () => {
    fc.assert(
      fc.property(statement, (ast) => {
        const text = format(ast);
        const back = parse(text);
        expect(normalize(back)).toEqual(normalize(ast));
        expect(format(back)).toBe(format(parse(format(back))));
      }),
      { numRuns: RUNS },
    );
  });

  test('check never throws on generated ASTs', () => {
    fc.assert(
      fc.property(statement, (ast) => {
        const diagnostics = check(ast);
        expect(Array.isArray(diagnostics)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
