import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, test } from 'vitest';
import type { Expr, Statement } from './ast';
import { format, formatExpr, formatFieldName, formatString, stripSpans } from './format';
import { parse, parseExpression } from './parser';

const sharedDir = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');

const roundTrips = (source: string) => {
  const first = parse(source);
  const text = format(first);
  expect(stripSpans(parse(text))).toEqual(stripSpans(first));
  expect(format(parse(text))).toBe(text);
};

describe('canonical form', () => {
  test.each([
    ['process where   process.name=="cmd.exe"', 'process where process.name == "cmd.exe"'],
    ['PROCESS where x:"a*"', 'PROCESS where x : "a*"'],
    ['any where not(x) and ?y != null', 'any where not (x) and ?y != null'],
    ['"my-cat" where true', '"my-cat" where true'],
    ['"any" where true', '"any" where true'],
    ['"sequence" where true', '"sequence" where true'],
    ['process where x in ( "a" ,"b" )', 'process where x in ("a", "b")'],
    ['process where x not in~ ("a")', 'process where x not in~ ("a")'],
    ['process where x : ("a", "b") or x like~ "c"', 'process where x : ("a", "b") or x like~ "c"'],
    ['process where startsWith~(x, "a") and CONCAT(a,b) == "ab"', 'process where startsWith~(x, "a") and CONCAT(a, b) == "ab"'],
    ['process where -x + +y * 2 == 1.50', 'process where -x + y * 2 == 1.5'],
    ['process where x == 2.0', 'process where x == 2.0'],
    ['process where x == 1e3', 'process where x == 1000.0'],
    ['process where `my field`.`a``b` == `sequence`', 'process where `my field`.`a``b` == `sequence`'],
    ['process where x == """C:\\a "b" """', 'process where x == "C:\\\\a \\"b\\" "'],
    ['process where x == "\\u{00}\\t"', 'process where x == "\\u{00}\\t"'],
    ['process where true|head 5|tail 1', 'process where true | head 5 | tail 1'],
    [
      'sequence by a with maxspan=30s [process where true] by b [file where true] by c with runs=2 until [x where true] by d',
      'sequence by a with maxspan=30s\n  [process where true] by b\n  [file where true] by c with runs=2\nuntil [x where true] by d',
    ],
    ['sequence with maxspan=1h by a [a where true] ![b where true]', 'sequence with maxspan=1h by a\n  [a where true]\n  ![b where true]'],
    ['sequence [a where true] with runs=1 [b where true]', 'sequence\n  [a where true]\n  [b where true]'],
    ['sample by h [a where true] by x [b where true] by y', 'sample by h\n  [a where true] by x\n  [b where true] by y'],
  ])('%s', (source, expected) => {
    expect(format(parse(source))).toBe(expected);
    roundTrips(source);
  });
});

describe('parentheses for hand-built trees', () => {
  const span = { start: 0, end: 0 };
  const f = (name: string): Expr => ({ kind: 'field', name, optional: false, span });
  const n = (value: number): Expr => ({ kind: 'literal', value, numberKind: 'long', span });

  test.each<[Expr, string]>([
    [{ kind: 'arithmetic', op: '*', left: { kind: 'arithmetic', op: '+', left: f('a'), right: f('b'), span }, right: n(2), span }, '(a + b) * 2'],
    [{ kind: 'arithmetic', op: '-', left: f('a'), right: { kind: 'arithmetic', op: '-', left: f('b'), right: f('c'), span }, span }, 'a - (b - c)'],
    [{ kind: 'and', operands: [{ kind: 'or', operands: [f('a'), f('b')], span }, f('c')], span }, '(a or b) and c'],
    [{ kind: 'and', operands: [{ kind: 'and', operands: [f('a'), f('b')], span }, f('c')], span }, '(a and b) and c'],
    [{ kind: 'not', operand: { kind: 'and', operands: [f('a'), f('b')], span }, span }, 'not (a and b)'],
    [{ kind: 'comparison', op: '==', left: { kind: 'comparison', op: '<', left: f('a'), right: n(1), span }, right: { kind: 'literal', value: true, span }, span }, '(a < 1) == true'],
    [{ kind: 'match', op: ':', value: { kind: 'arithmetic', op: '+', left: f('a'), right: f('b'), span }, patterns: [{ kind: 'literal', value: 'x', span }], list: false, span }, '(a + b) : "x"'],
    [{ kind: 'negate', operand: { kind: 'arithmetic', op: '+', left: f('a'), right: n(1), span }, span }, '-(a + 1)'],
    [{ kind: 'in', value: { kind: 'negate', operand: f('a'), span }, list: [n(1)], caseInsensitive: false, negated: true, span }, '(-a) not in (1)'],
  ])('%s', (expr, text) => {
    expect(formatExpr(expr)).toBe(text);
  });

  test('field names and strings', () => {
    expect(formatFieldName('a.b')).toBe('a.b');
    expect(formatFieldName('and.or')).toBe('`and`.`or`');
    expect(formatFieldName('event.sequence')).toBe('event.`sequence`');
    expect(formatFieldName('6field.x-y')).toBe('`6field`.`x-y`');
    expect(formatFieldName('a.')).toBe('`a.`');
    expect(formatString('a"b\\c\nd\u0001')).toBe('"a\\"b\\\\c\\nd\\u{01}"');
    expect(parseExpression(formatString('x\u{1F600}\r\t"'))).toMatchObject({ value: 'x\u{1F600}\r\t"' });
  });
});

describe('round trip on real queries', () => {
  test('every Elasticsearch conformance query', () => {
    const dir = path.join(sharedDir, 'eql-conformance', 'elasticsearch');
    const files = readdirSync(dir).filter((f) => f.endsWith('.toml'));
    let count = 0;
    for (const file of files) {
      // test_extra.toml has bare nulls in arrays (not TOML 1.0); they do not matter here
      const text = readFileSync(path.join(dir, file), 'utf8').replace(/([[,]\s*)null(?=\s*[,\]])/g, '$1"null"');
      const doc = parseToml(text) as { queries?: { query: string }[] };
      for (const q of doc.queries ?? []) {
        roundTrips(q.query);
        count++;
      }
    }
    expect(count).toBe(320);
  });

  test('every prebuilt rule query', () => {
    const lines = readFileSync(path.join(sharedDir, 'rules', 'eql-rules.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const failures: string[] = [];
    for (const line of lines) {
      const rule = JSON.parse(line) as { rule_id: string; query: string };
      const first: Statement = parse(rule.query);
      const again = parse(format(first));
      if (JSON.stringify(stripSpans(again)) !== JSON.stringify(stripSpans(first))) failures.push(rule.rule_id);
    }
    expect(failures).toEqual([]);
    expect(lines).toHaveLength(1081);
  });
});
