/**
 * Sequence parameters, pipe arguments, nesting and API robustness (lib/eql/SEMANTICS.md §10, §11).
 * Source: elastic/elasticsearch x-pack/plugin/eql/src/main/java/org/elasticsearch/xpack/eql/
 * parser/LogicalPlanBuilder.java: visitSequenceParams ("A positive maxspan value is
 * required"), pipeIntArgument (the argument is an expression that must fold to a
 * non-negative integer).
 */
import { describe, expect, it } from 'vitest';
import { isEqlError } from './errors';
import { format } from './format';
import { parse } from './parser';
import { compileQuery, search } from './search';
import type { EqlEvent } from './types';

const events: EqlEvent[] = Array.from({ length: 10 }, (_, i) => ({ _index: 'i', _id: String(i), _source: { '@timestamp': i, a: i } }));

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('pipes and sequence parameters', () => {
  it('pipe arguments are constant integer expressions', () => {
    expect(search(events, 'any where true | head 2 * 3').events?.length).toBe(6);
    expect(search(events, 'any where true | head (10 - 8) | tail 1').events?.map((e) => e._id)).toEqual(['1']);
    expect(format(parse('any where true | head 2 * 3'))).toBe('any where true | head 6');
    for (const q of ['any where true | head -1', 'any where true | head a', 'any where true | head 1.5', 'any where true | head 1 / 0']) {
      expect(isEqlError(thrown(() => parse(q))), q).toBe(true);
    }
  });
  it('maxspan must be positive', () => {
    expect(isEqlError(thrown(() => parse('sequence with maxspan=0s [any where true] [any where true]')))).toBe(true);
    expect(parse('sequence with maxspan=1ms [any where true] [any where true]').query).toMatchObject({ maxspan: { millis: 1 } });
  });
  it('accepts nesting well beyond 200 levels and refuses runaway depth with an EqlError', () => {
    const deep = `any where ${'('.repeat(400)}a == 1${')'.repeat(400)}`;
    expect(search(events, deep).events?.map((e) => e._id)).toEqual(['1']);
    const nots = `any where ${'not '.repeat(401)}a == 1`;
    expect(search(events, nots).events?.length).toBe(9);
    expect(isEqlError(thrown(() => parse(`any where ${'('.repeat(5000)}a${')'.repeat(5000)}`)))).toBe(true);
  });
});

describe('API robustness: only EqlError', () => {
  it('search(), compileQuery() and format() reject non-string, non-AST values with EqlError', () => {
    for (const bad of [null, undefined, 42, {}, [], { kind: 'filter' }, true]) {
      expect(isEqlError(thrown(() => search(events, bad as never))), String(bad)).toBe(true);
      expect(isEqlError(thrown(() => compileQuery(bad as never))), String(bad)).toBe(true);
      expect(isEqlError(thrown(() => format(bad as never))), String(bad)).toBe(true);
    }
  });
});
