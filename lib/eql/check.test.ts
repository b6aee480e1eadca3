import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, test } from 'vitest';
import { check, parseAndCheck, validateLuceneRegex } from './check';
import { FUNCTION_SIGNATURES, getFunctionSignature } from './function-signatures';
import { parse } from './parser';
import type { Statement } from './ast';
import type { ErrorCode, FieldSchema, Schema } from './types';

const codes = (source: string, schema?: Schema): ErrorCode[] => parseAndCheck(source, { schema }).diagnostics.map((d) => d.code);

describe('valid without a schema (fields are free)', () => {
  test.each([
    'process where process.name == "cmd.exe"',
    'process where ?x == ?y',
    'process where 1 == 1',
    'process where startsWith~(process.name, process.parent.name)',
    'process where stringContains(process.command_line, process.name)',
    'process where length(process.args) > 2 and process.pid % 2 == 0',
    'process where x in ("a", 1 + 2, null)',
    'process where "a" in (x, y)',
    'process where number("0x1f", 16) == 31',
    'process where number(x, null) == 31',
    'process where number(x, -2) == 31',
    'process where cidrMatch(source.ip, "10.0.0.0/8", "192.168.0.0/16")',
    'process where concat(a, b, c, 1, true) == "x"',
    'process where between~(x, "a", "b", true) == ""',
    'process where indexOf~(x, "a", 2) == 3',
    'process where substring(x, -4, -1) : "ab*"',
    'process where x regex """[a-z]+\\.exe"""',
    'process where x regex~ ("(a|b)*c", ".*?", "a{2,3}", "[^ab]", "<1-20>", "@&~(x)", "\\"q\\"")',
    'process where ?inexistent',
    'sequence with maxspan=1m [a where true] with runs=2',
    'sequence by a with maxspan=1m ![a where true] [b where true] ![c where true] with runs=3',
    'sequence by a [x where true] by b [y where true] by c until [z where true] by d',
    'sample by host [a where true] [b where true] [c where true]',
    'sample [a where true] by x [b where true] by y',
    'process where true | head 5 | tail 2',
  ])('%s', (source) => {
    expect(parseAndCheck(source).diagnostics).toEqual([]);
  });
});

describe('rejected (no schema)', () => {
  test.each<[string, ErrorCode[]]>([
    ['process where process_name == parent_process_name', ['field_comparison']],
    ['process where length(a) == length(b)', ['field_comparison']],
    ['process where a in ("x", b)', ['field_comparison']],
    // without a schema an optional field may be unmapped (a null constant), so this is allowed
    ['process where ?a == b', []],
    ['process where a < b + 1', ['field_comparison']],
    ['process where wildcard(x, "a*")', ['unknown_function']],
    ['process where arrayContains(x, "a")', ['unknown_function']],
    ['process where concat~(x, "a") == "b"', ['unknown_function']],
    ['process where length~(x) == 1', ['unknown_function']],
    ['process where startsWith(x)', ['arity']],
    ['process where add(1, 2, 3) == 6', ['arity']],
    ['process where concat() == ""', ['arity']],
    ['process where between(x, "a", "b", true, 1) == ""', ['arity']],
    ['process where number(x, y) == 1', ['invalid_value']],
    ['process where cidrMatch(ip, "10.0.0.0/8", x)', ['invalid_value']],
    ['process where cidrMatch("10.0.0.1", "10.0.0.0/8")', ['type']],
    ['process where between(x, "a", "b", y) == ""', ['invalid_value']],
    ['process where x : 1', ['type']],
    ['process where x like (null, "a")', ['type']],
    ['process where x regex "(abc"', ['invalid_value']],
    ['process where x regex "[abc"', ['invalid_value']],
    ['process where x regex~ "a{x}"', ['invalid_value']],
    ['process where x regex "a\\\\"', ['invalid_value']],
    ['process where x regex "a|"', ['invalid_value']],
    ['process where "a" + 1 == 2', ['type']],
    ['process where -"a" == 1', ['type']],
    ['process where "a"', ['type']],
    ['process where 1 and true', ['type']],
    ['process where not 1', ['type']],
    // comparisons have no type rule in ES (its suite accepts `?keyword_field == 123`)
    ['process where "a" == 1', []],
    ['process where true == 1', []],
    ['process where startsWith(1, "a")', ['type']],
    ['process where substring(x, 1.5) == "a"', ['type']],
    ['process where 1 : "a"', ['type']],
    ['process where true in~ ("a")', ['type']],
    ['sequence [a where true] with runs=0', ['invalid_value', 'syntax']],
    ['sequence [a where true] with runs=101', ['invalid_value']],
    ['sequence [a where true]', ['syntax']],
    ['sequence [a where true] ![b where true]', ['invalid_value']],
    ['sequence with maxspan=1m ![a where true] ![b where true]', ['syntax']],
    ['sequence by a [x where true] by b [y where true] by c', []],
    ['sequence [x where true] by b [y where true]', ['syntax']],
    ['sequence [x where true] by b [y where true] by c until [z where true]', ['syntax']],
    ['sequence by a * 2 [x where true] [y where true]', ['unsupported']],
    ['sample by x [a where true] [b where true] | head 1', ['unsupported']],
    ['sample [a where true] [b where true]', ['syntax']],
    ['sample [a where true] by x [b where true]', ['syntax']],
    ['sample by h [a where true] [b where true] [c where true] [d where true] [e where true] [f where true]', ['invalid_value']],
    ['process where x ==', ['syntax']],
  ])('%s', (source, expected) => {
    expect(codes(source)).toEqual(expected);
  });

  test('all problems are reported, each with its own span', () => {
    const source = 'process where a == b and foo(x) and startsWith(y)';
    const { statement, diagnostics } = parseAndCheck(source);
    expect(statement).not.toBeNull();
    expect(diagnostics.map((d) => [d.code, d.span.start, d.span.end, d.column])).toEqual([
      ['field_comparison', 14, 20, 15],
      ['unknown_function', 25, 28, 26],
      ['arity', 36, 49, 37],
    ]);
  });

  test('diagnostic line and column come from the source', () => {
    const source = 'process where\n  true and\n  lenght(x) == 1';
    const [d] = parseAndCheck(source).diagnostics;
    expect(d).toEqual({
      code: 'unknown_function',
      message: 'unknown function "lenght" (did you mean "length"?)',
      span: { start: 27, end: 33 },
      line: 3,
      column: 3,
    });
  });

  test('a syntax error comes back as one diagnostic and no statement', () => {
    const r = parseAndCheck('process where (');
    expect(r.statement).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'syntax', line: 1, column: 16 });
  });

  test('hand-built trees without terms get diagnostics, not exceptions', () => {
    const span = { start: 0, end: 0 };
    const seq: Statement = {
      kind: 'statement',
      query: { kind: 'sequence', by: [], maxspan: null, maxspanFirst: false, terms: [], until: null, span },
      pipes: [],
      span,
    };
    expect(check(seq).map((d) => d.code)).toEqual(['syntax', 'syntax']);
    const sample: Statement = { kind: 'statement', query: { kind: 'sample', by: [], terms: [], span }, pipes: [], span };
    expect(check(sample).map((d) => d.message)).toEqual(['a sample query needs at least one filter "[…]"']);
  });

  test('check without source still returns positions', () => {
    const [d] = check(parse('process where a == b'));
    expect(d).toMatchObject({ code: 'field_comparison', line: 1, column: 15 });
  });
});

describe('with a schema', () => {
  const schema: Schema = new Map<string, FieldSchema>([
    ['process_name', { type: 'keyword' }],
    ['parent_name', { type: 'wildcard' }],
    ['pid', { type: 'long' }],
    ['ratio', { type: 'float' }],
    ['@timestamp', { type: 'date' }],
    ['source_ip', { type: 'ip' }],
    ['ver', { type: 'version' }],
    ['ok', { type: 'boolean' }],
    ['file_name', { type: 'text', keywordSubfield: true }],
    ['body', { type: 'text' }],
    ['proc', { type: 'object' }],
    ['event.category', { type: 'alias', path: 'event_type' }],
    ['event_type', { type: 'keyword' }],
    ['opt', { type: 'keyword' }],
    ['items', { type: 'nested' }],
    ['items.name', { type: 'keyword' }],
  ]);

  test.each<[string, ErrorCode[]]>([
    ['process where process_name == "cmd.exe" and pid > 4 and ratio < 0.5', []],
    ['process where file_name : "*.exe"', []],
    ['process where event.category == "process"', []],
    ['process where @timestamp > "2020-01-01" and @timestamp < 1600000000000', []],
    ['process where cidrMatch(source_ip, "10.0.0.0/8") and source_ip == "10.0.0.1"', []],
    ['process where cidrMatch(process_name, "10.0.0.0/8")', ['type']],
    ['process where ver > "1.2.3"', []],
    ['process where ok and ?missing == null', []],
    ['process where ?missing == ?other', []],
    ['process where unknown_field == 1', ['unknown_field']],
    ['process where procss_name == "a"', ['unknown_field']],
    ['sequence by unknown_key [a where true] [b where true]', ['unknown_field']],
    ['process where body : "x"', ['type']],
    ['process where proc == 1', ['type']],
    ['process where items.name == "a"', ['type']],
    ['process where items == "a"', ['type']],
    ['process where process_name == 1', []],
    ['process where pid == "a"', []],
    ['process where pid : "1*"', ['type']],
    ['process where process_name + 1 == 2', ['type']],
    ['process where length(pid) == 1', ['type']],
    ['process where startsWith(ok, "t")', ['type']],
    ['process where process_name', ['type']],
    ['process where pid in (1, "a")', []],
    ['process where body == "a"', ['type']],
    ['process where ?opt == process_name', ['field_comparison']],
    ['process where ?missing == process_name', []],
  ])('%s', (source, expected) => {
    expect(codes(source, schema)).toEqual(expected);
  });
});

test('unknown names get a close suggestion, or none', () => {
  const schema: Schema = new Map<string, FieldSchema>([['process.name', { type: 'keyword' }]]);
  expect(parseAndCheck('process where process.nmae == "a"', { schema }).diagnostics[0].message).toContain('did you mean "process.name"?');
  expect(parseAndCheck('process where zzz == "a"', { schema }).diagnostics[0].message).not.toContain('did you mean');
  expect(parseAndCheck('process where startwith(x, "a")').diagnostics[0].message).toContain('did you mean "startsWith"?');
  expect(parseAndCheck('process where frobnicate(x)').diagnostics[0].message).toBe('unknown function "frobnicate"');
});

describe('function table', () => {
  test('has exactly the ES functions, keyed in lower case', () => {
    expect([...FUNCTION_SIGNATURES.keys()].sort()).toEqual([
      'add',
      'between',
      'cidrmatch',
      'concat',
      'divide',
      'endswith',
      'indexof',
      'length',
      'modulo',
      'multiply',
      'number',
      'startswith',
      'string',
      'stringcontains',
      'substring',
      'subtract',
    ]);
  });

  test('case-insensitive variants exist for between, endsWith, indexOf, startsWith, stringContains only', () => {
    const withTilde = [...FUNCTION_SIGNATURES.entries()].filter(([, s]) => s.caseInsensitiveVariant).map(([k]) => k);
    expect(withTilde.sort()).toEqual(['between', 'endswith', 'indexof', 'startswith', 'stringcontains']);
  });

  test('lookup ignores case', () => {
    expect(getFunctionSignature('CIDRMATCH')?.displayName).toBe('cidrMatch');
    expect(getFunctionSignature('nope')).toBeUndefined();
  });
});

describe('Lucene regex syntax', () => {
  test.each(['abc', '.*', 'a+b?c*', '(a|b)', 'a{3}', 'a{1,}', 'a{1,2}', '[a-z0-9_]', '[^x]', '"lit"', '<1-10>', '~a', 'a&b', '#', '@', '()', '\\*', '.*?'])(
    'valid: %s',
    (p) => {
      expect(validateLuceneRegex(p)).toBeNull();
    },
  );
  test.each(['(', '[a', 'a{', 'a{,3}', 'a|', '\\', '"open', '<1->', 'a)b'])('invalid: %s', (p) => {
    expect(validateLuceneRegex(p)).toMatch(/position \d+/);
  });
});

describe('queries Elasticsearch dropped from its suite', () => {
  // test_queries.toml keeps Endgame queries ES does not support as commented-out blocks; those
  // using syntax or functions ES rejects must be rejected here too (README §5)
  const sharedDir = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
  const REJECTED_SYNTAX =
    /\bjoin\b|\bof\s*\[|\|\s*(count|unique|unique_count|filter|sort|window)\b|\b(arrayContains|arraySearch|arrayCount|match|matchLite|safe|wildcard)\s*\(|\w\[\d+\]|\bfork\b/i;

  test('every commented-out query with unsupported syntax is rejected', () => {
    const text = readFileSync(path.join(sharedDir, 'eql-conformance', 'elasticsearch', 'test_queries.toml'), 'utf8');
    const blocks = text.split(/^#\[\[queries\]\]\s*$/m).slice(1);
    const queries: string[] = [];
    for (const block of blocks) {
      const lines: string[] = [];
      for (const line of block.split('\n').slice(1)) {
        if (!line.startsWith('#')) break;
        lines.push(line.slice(1));
      }
      const doc = parseToml(`[[queries]]\n${lines.join('\n')}`) as { queries: { query?: string }[] };
      const q = doc.queries[0]?.query;
      if (q !== undefined && REJECTED_SYNTAX.test(q)) queries.push(q);
    }
    expect(queries.length).toBeGreaterThanOrEqual(80);
    const accepted = queries.filter((q) => parseAndCheck(q).diagnostics.length === 0);
    expect(accepted).toEqual([]);
  });
});
