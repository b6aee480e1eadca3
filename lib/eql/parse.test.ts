import { describe, expect, test } from 'vitest';
import type { Expr, Statement } from './ast';
import { EqlError, isEqlError, lineColumn } from './errors';
import { highlightTokens, tokenize } from './lexer';
import { parse, parseExpression, MAX_DEPTH } from './parser';

/** Compact, hand-checkable rendering of an expression tree (test helper, not product code). */
function sx(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? JSON.stringify(e.value) : `${String(e.value)}${e.numberKind === 'double' ? 'd' : ''}`;
    case 'field':
      return `${e.optional ? '?' : ''}${e.name}`;
    case 'paren':
      return `[${sx(e.expr)}]`;
    case 'and':
    case 'or':
      return `(${e.kind} ${e.operands.map(sx).join(' ')})`;
    case 'not':
      return `(not ${sx(e.operand)})`;
    case 'negate':
      return `(neg ${sx(e.operand)})`;
    case 'comparison':
    case 'arithmetic':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'in':
      return `(${e.negated ? 'not-' : ''}in${e.caseInsensitive ? '~' : ''} ${sx(e.value)} ${e.list.map(sx).join(' ')})`;
    case 'match':
      return `(${e.op}${e.list ? '*' : ''} ${sx(e.value)} ${e.patterns.map(sx).join(' ')})`;
    case 'function':
      return `(${e.name}${e.caseInsensitive ? '~' : ''}/${e.displayName} ${e.args.map(sx).join(' ')})`.replace(/ \)$/, ')');
  }
}

function failure(run: () => unknown): EqlError {
  try {
    run();
  } catch (e) {
    if (isEqlError(e)) return e;
    throw new Error(`expected an EqlError, got ${String(e)}`);
  }
  throw new Error('expected an EqlError, got none');
}

describe('lexer', () => {
  test.each([
    ['a // comment\n b', ['a', 'b']],
    ['a /* x /* nested */ still comment */ b', ['a', 'b']],
    ['startsWith~(x)', ['startsWith', '(', 'x', ')']],
    ['x in~ ("a")', ['x', 'in~', '(', 'a', ')']],
    ['`my``field`', ['my`field']],
    ['@timestamp', ['@timestamp']],
  ])('%s', (source, values) => {
    const tokens = tokenize(source);
    expect(tokens.map((t) => t.value)).toEqual([...values, '']);
  });

  test.each([
    ['"a\\nb\\t\\r\\\\\\""', 'a\nb\t\r\\"'],
    ['"\\u{41}\\u{1F600}\\u{00000041}"', 'A\u{1F600}A'],
    ['"""C:\\Windows\\"x"""', 'C:\\Windows\\"x'],
    ['"it\\\'s"', "it's"],
    ['""', ''],
    ['"""ends with quotes"""""', 'ends with quotes""'],
    ['"""a""""', 'a"'],
  ])('string %s', (source, value) => {
    const [t] = tokenize(source);
    expect(t.kind).toBe('string');
    expect(t.value).toBe(value);
  });

  test.each([
    ['12', 'integer'],
    ['4.5', 'decimal'],
    ['.5', 'decimal'],
    ['1e3', 'decimal'],
    ['2.5E-3', 'decimal'],
  ])('number %s is %s', (source, kind) => {
    const [t] = tokenize(source);
    expect(t.kind).toBe(kind);
    expect(t.text).toBe(source);
  });

  test.each([
    ["process where name == 'cmd'", 22, 'single-quoted'],
    ['process where name == ?"cmd"', 22, 'raw strings'],
    ['x == "abc', 5, 'unterminated string'],
    ['x == "a\nb"', 5, 'line break'],
    ['x == "\\q"', 6, 'invalid escape'],
    ['x == "\\u{1}"', 6, 'unicode escape'],
    ['x == "\\u{110000}"', 6, 'above 10FFFF'],
    ['a /* never closed', 2, 'unterminated comment'],
    ['a # b', 2, 'unexpected character'],
    ['x ! y', 2, 'unexpected "!"'],
    ['``', 0, 'empty quoted identifier'],
    ['x == """a\nb"""', 5, 'raw strings must fit on one line'],
    ['_f~(x)', 2, 'unexpected "~"'],
  ])('%s is a lex error at %i', (source, start, message) => {
    const err = failure(() => tokenize(source));
    expect(err.code).toBe('lex');
    expect(err.span.start).toBe(start);
    expect(err.message).toContain(message);
  });
});

describe('expressions and precedence', () => {
  test.each([
    ['a == 1', '(== a 1)'],
    ['a + b : "x"', '(+ a (: b "x"))'],
    ['a + b * c - d', '(- (+ a (* b c)) d)'],
    ['-a * b', '(* (neg a) b)'],
    ['- x in (1, 2)', '(neg (in x 1 2))'],
    ['+a', 'a'],
    ['not a and b', '(and (not a) b)'],
    ['not a == b', '(not (== a b))'],
    ['a or b and c or d', '(or a (and b c) d)'],
    ['a and b and c', '(and a b c)'],
    ['(a or b) and c', '(and [(or a b)] c)'],
    ['x not in ("a", "b")', '(not-in x "a" "b")'],
    ['x not in~ ("a")', '(not-in~ x "a")'],
    ['x in~ ("A", 1)', '(in~ x "A" 1)'],
    ['x : ("a*", "b?")', '(:* x "a*" "b?")'],
    ['x like~ "a*"', '(like~ x "a*")'],
    ['x regex "[a-z]+"', '(regex x "[a-z]+")'],
    ['x regex~ ("a", "b")', '(regex~* x "a" "b")'],
    ['STARTSWITH~(process.name, "cmd")', '(startswith~/STARTSWITH process.name "cmd")'],
    ['concat()', '(concat/concat)'],
    ['?user.id == null', '(== ?user.id null)'],
    ['`my-field`.`x y` == true', '(== my-field.x y true)'],
    ['a.`any` == 1', '(== a.any 1)'],
    ['x == 4.5 and y < 10', '(and (== x 4.5d) (< y 10))'],
    ['1e3 == x', '(== 1000d x)'],
    ['(x)', '[x]'],
    ['length(a) % 2 == 1', '(== (% (length/length a) 2) 1)'],
  ])('%s', (source, expected) => {
    expect(sx(parseExpression(source))).toBe(expected);
  });

  test('literal kinds', () => {
    const e = parseExpression('9007199254740993');
    expect(e).toMatchObject({ kind: 'literal', numberKind: 'long' });
    expect(parseExpression('2.0')).toMatchObject({ kind: 'literal', value: 2, numberKind: 'double' });
    expect(parseExpression('"a"')).toMatchObject({ kind: 'literal', value: 'a' });
  });

  test('spans are half-open source offsets', () => {
    const e = parseExpression('  abc == "x"');
    expect(e.span).toEqual({ start: 2, end: 12 });
    if (e.kind !== 'comparison') throw new Error('expected a comparison');
    expect(e.left.span).toEqual({ start: 2, end: 5 });
    expect(e.right.span).toEqual({ start: 9, end: 12 });
  });
});

describe('queries', () => {
  test('process where true | head 3 | tail 2', () => {
    const s = parse('process where true | head 3 | tail 2');
    expect(s.query).toMatchObject({ kind: 'event', filter: { category: 'process' } });
    expect(s.pipes.map((p) => [p.name, p.count])).toEqual([
      ['head', 3],
      ['tail', 2],
    ]);
    expect(s.span).toEqual({ start: 0, end: 36 });
  });

  test('any where true', () => {
    expect(parse('any where true').query).toMatchObject({ kind: 'event', filter: { category: null } });
  });

  test('"my-category" where true', () => {
    expect(parse('"my-category" where true').query).toMatchObject({ filter: { category: 'my-category' } });
  });

  test('sequence by a, b with maxspan=5s [process where x] by c [file where y] by d with runs=3 until [x where z] by e', () => {
    const s = parse('sequence by a, b with maxspan=5s [process where x] by c [file where y] by d with runs=3 until [x where z] by e');
    const q = s.query;
    if (q.kind !== 'sequence') throw new Error('expected a sequence');
    expect(q.by.map(sx)).toEqual(['a', 'b']);
    expect(q.maxspan).toMatchObject({ value: 5, unit: 's', millis: 5000 });
    expect(q.maxspanFirst).toBe(false);
    expect(q.terms.map((t) => [t.filter.category, t.by.map(sx), t.runs, t.missing])).toEqual([
      ['process', ['c'], 1, false],
      ['file', ['d'], 3, false],
    ]);
    expect(q.until).toMatchObject({ filter: { category: 'x' }, runs: 1 });
  });

  test('sequence with maxspan=2h by a [a where true] ![b where true]', () => {
    const q = parse('sequence with maxspan=2h by a [a where true] ![b where true]').query;
    expect(q).toMatchObject({ kind: 'sequence', maxspanFirst: true, maxspan: { unit: 'h', millis: 7_200_000 } });
    if (q.kind !== 'sequence') throw new Error('expected a sequence');
    expect(q.terms.map((t) => t.missing)).toEqual([false, true]);
  });

  test.each([
    ['100ms', 100],
    ['1m', 60_000],
    ['2d', 172_800_000],
    ['5 s', 5000],
  ])('maxspan=%s', (text, millis) => {
    expect(parse(`sequence with maxspan=${text} [a where true] [b where true]`).query).toMatchObject({ maxspan: { millis } });
  });

  test('sample by host [a where true] by x [b where true] by y', () => {
    const q = parse('sample by host [a where true] by x [b where true] by y').query;
    if (q.kind !== 'sample') throw new Error('expected a sample');
    expect(q.by.map(sx)).toEqual(['host']);
    expect(q.terms.map((t) => t.by.map(sx))).toEqual([['x'], ['y']]);
  });

  test('sequence by key followed by a term on the next line is not an array index', () => {
    const q = parse('sequence by user.name\n[a where true]\n[b where true]').query;
    expect(q).toMatchObject({ kind: 'sequence', terms: [{}, {}] });
  });
});

describe('errors: code, exact span, message', () => {
  test.each<[string, EqlError['code'], number, number, string]>([
    ['process where', 'syntax', 13, 13, 'expected an expression'],
    ['process x == 1', 'syntax', 8, 9, '"where"'],
    ['process where a == b == c', 'syntax', 21, 23, 'cannot be chained'],
    ['process where a = 1', 'syntax', 16, 17, '"=" is not an operator'],
    ['process where x : y', 'syntax', 18, 19, 'must be a literal string'],
    ['process where x like concat("a")', 'syntax', 21, 27, 'must be a literal string'],
    ['process where x in ()', 'syntax', 20, 21, 'at least one value'],
    ['process where true | count', 'unsupported', 21, 26, 'not supported'],
    ['process where true | unique a', 'unsupported', 21, 27, 'not supported'],
    ['process where true | frobnicate', 'unsupported', 21, 31, 'unknown pipe'],
    ['process where true | head', 'syntax', 25, 25, 'expected an expression'],
    // LogicalPlanBuilder.pipeIntArgument: the argument must fold to a non-negative integer
    ['process where true | head -1', 'invalid_value', 26, 28, 'non-negative integer'],
    ['join [a where true] [b where true]', 'unsupported', 0, 4, '"join"'],
    ['process where descendant of [file where true]', 'unsupported', 14, 27, 'lineage'],
    ['process where args[0] == "a"', 'unsupported', 18, 21, 'array indexes'],
    ['process WHERE true', 'syntax', 8, 13, 'keywords are lower case: write "where"'],
    ['process where a AND b', 'syntax', 16, 19, 'keywords are lower case: write "and"'],
    ['sequence [a where true] [b where true', 'syntax', 37, 37, '"]"'],
    ['sequence with maxspan=5 [a where true] [b where true]', 'invalid_value', 22, 23, 'time unit'],
    ['sequence with maxspan=5y [a where true] [b where true]', 'invalid_value', 23, 24, 'unknown time unit'],
    ['sequence with maxspan=1.5s [a where true] [b where true]', 'invalid_value', 22, 25, 'whole number'],
    ['sequence [a where true] with runs=1.5', 'syntax', 34, 37, 'whole number'],
    ['sequence [a where true] with foo=2', 'syntax', 29, 32, '"runs"'],
    ['sample by x [a where true] until [b where true]', 'unsupported', 27, 32, '"until"'],
    ['sample by x [a where true] with runs=2', 'unsupported', 27, 31, '"with runs"'],
    ['sample by x with maxspan=1s [a where true]', 'unsupported', 12, 16, 'maxspan'],
    ['sample by x ![a where true]', 'unsupported', 12, 14, 'missing-event'],
    ['sequence [a where true] until ![b where true]', 'syntax', 30, 32, 'until'],
    // beyond the long range an integer is a double (LiteralBuilder.visitIntegerLiteral); beyond the double range it is an error
    [`process where x == 1${'0'.repeat(400)}`, 'invalid_value', 19, 420, 'too large'],
    ['process where startsWith~ x', 'syntax', 26, 27, '"("'],
    ['process where x not like "a"', 'syntax', 16, 24, 'not like'],
    ['process where true [a where true]', 'syntax', 19, 20, 'sequence'],
    ['process where event.sequence == 1', 'syntax', 20, 28, 'back-quoted'],
  ])('%s', (source, code, start, end, message) => {
    const err = failure(() => parse(source));
    expect(err.code).toBe(code);
    expect(err.span).toEqual({ start, end });
    expect(err.detail).toContain(message);
  });

  test('message and format() show line, column and a caret under the span', () => {
    const source = 'process where\n  a == 1 and\n  b === 2';
    const err = failure(() => parse(source));
    expect(err.line).toBe(3);
    expect(err.column).toBe(7);
    expect(err.message).toBe('line 3, column 7: expected an expression (a field, a literal, a function call or "("), found "="');
    expect(err.format()).toBe(`${err.message}\n  b === 2\n      ^`);
  });

  test('a caret spans the whole offending token', () => {
    const err = failure(() => parse('process where true | sort x'));
    expect(err.format().split('\n').slice(1)).toEqual(['process where true | sort x', '                     ^^^^']);
  });

  test('lineColumn handles CRLF', () => {
    expect(lineColumn('ab\r\ncd', 4)).toEqual({ line: 2, column: 1 });
    expect(lineColumn('ab\ncd', 2)).toEqual({ line: 1, column: 3 });
  });

  test('deep nesting is an EqlError, not a stack overflow', () => {
    const deep = `process where ${'('.repeat(5000)}true${')'.repeat(5000)}`;
    const err = failure(() => parse(deep));
    expect(err.code).toBe('syntax');
    expect(err.detail).toContain('nested too deeply');
    const chain = `process where x == ${Array.from({ length: 5000 }, () => '1').join(' + ')}`;
    expect(failure(() => parse(chain)).detail).toContain(`more than ${MAX_DEPTH}`);
    const nots = `process where ${'not '.repeat(5000)}true`;
    expect(failure(() => parse(nots)).code).toBe('syntax');
  });

  test('a non-string query is an EqlError', () => {
    expect(failure(() => parse(undefined as unknown as string)).detail).toBe('the query must be a string, got undefined');
    expect(failure(() => parseExpression(42 as unknown as string)).code).toBe('syntax');
  });

  test('parse returns a statement for nesting within the limit', () => {
    const s: Statement = parse(`process where ${'('.repeat(50)}true${')'.repeat(50)}`);
    expect(s.query.kind).toBe('event');
  });
});

describe('highlightTokens', () => {
  const kinds = (source: string) => highlightTokens(source).map((t) => `${t.kind}:${source.slice(t.span.start, t.span.end)}`);

  test('classifies tokens and keeps comments', () => {
    expect(kinds('process where /* c */ startsWith~(x, "a") // end\n and y : 1')).toEqual([
      'identifier:process',
      'keyword:where',
      'comment:/* c */',
      'function:startsWith~',
      'operator:(',
      'identifier:x',
      'operator:,',
      'string:"a"',
      'operator:)',
      'comment:// end',
      'keyword:and',
      'identifier:y',
      'operator::',
      'number:1',
    ]);
  });

  test('the text from a lexical error on is one error token, and it never throws', () => {
    expect(kinds('x == "abc')).toEqual(['identifier:x', 'operator:==', 'error:"abc']);
    expect(kinds("a 'b' c")).toEqual(['identifier:a', "error:'b' c"]);
    expect(kinds('x == "\\q" and y')).toEqual(['identifier:x', 'operator:==', 'error:"\\q" and y']);
    expect(kinds('#')).toEqual(['error:#']);
    expect(kinds('')).toEqual([]);
  });
});
