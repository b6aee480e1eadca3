import { expect, test } from 'vitest';
import { caretExcerpt, EqlError, EqlRuntimeError, EqlSemanticError, EqlSyntaxError, isEqlError, makeDiagnostic, withSpan } from './errors';

test('EqlError carries code, span, line, column and the bare detail', () => {
  const source = 'process where\n\tx == ';
  const err = new EqlSyntaxError('syntax', 'expected an expression', { start: 20, end: 20 }, source);
  expect(err).toBeInstanceOf(EqlError);
  expect(err).toBeInstanceOf(Error);
  expect([err.code, err.line, err.column, err.detail]).toEqual(['syntax', 2, 7, 'expected an expression']);
  expect(err.message).toBe('line 2, column 7: expected an expression');
  // the caret line keeps the tab so it lines up under the source
  expect(err.format()).toBe('line 2, column 7: expected an expression\n\tx == \n\t     ^');
  expect(err.toDiagnostic()).toEqual({ code: 'syntax', message: 'expected an expression', span: { start: 20, end: 20 }, line: 2, column: 7 });
});

test('without source, the position is the offset on line 1 and format() is the message', () => {
  const err = new EqlSemanticError('arity', 'length takes 1 argument', { start: 4, end: 9 });
  expect([err.line, err.column]).toEqual([1, 5]);
  expect(err.format()).toBe('line 1, column 5: length takes 1 argument');
  expect(err.source).toBeUndefined();
});

test('isEqlError tells EqlErrors from everything else', () => {
  expect(isEqlError(new EqlRuntimeError('boom', { start: 0, end: 1 }))).toBe(true);
  expect(isEqlError(new Error('x'))).toBe(false);
  expect(isEqlError({ code: 'syntax', span: { start: 0, end: 0 } })).toBe(false);
  expect(isEqlError(null)).toBe(false);
});

test('caretExcerpt clips a multi-line span to its first line', () => {
  expect(caretExcerpt('ab\ncd', { start: 1, end: 5 })).toBe('ab\n ^');
  expect(caretExcerpt('abc', { start: 3, end: 3 })).toBe('abc\n   ^');
});

test('makeDiagnostic computes line and column', () => {
  expect(makeDiagnostic('type', 'bad', { start: 4, end: 5 }, 'a\r\nbcd')).toMatchObject({ line: 2, column: 2 });
});

test('withSpan turns a helper failure into an EqlRuntimeError at the node', () => {
  const node = { span: { start: 2, end: 4 } };
  expect(withSpan(node, 'abcdef', () => 7)).toBe(7);
  let caught: unknown;
  try {
    withSpan(node, 'abcdef', () => {
      throw new TypeError('not a number');
    });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(EqlRuntimeError);
  expect(caught).toMatchObject({ code: 'runtime', span: { start: 2, end: 4 }, detail: 'not a number', column: 3 });
  const original = new EqlSyntaxError('syntax', 'x', { start: 0, end: 1 });
  expect(() =>
    withSpan(node, undefined, () => {
      throw original;
    }),
  ).toThrow(original);
});
