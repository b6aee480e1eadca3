/** Test support: a condition's answers on documents, asserted for both compilers. */
import { expect } from 'vitest';
import { compileCondition, type CompileContext } from '../compile';
import { parseExpression } from '../parser';
import type { Schema } from '../types';

/** Document → wanted answer. */
export type ConditionCases = Array<[Record<string, unknown>, boolean]>;

/**
 * Asserts that the condition `query` answers `want` on each document, compiled with the
 * generated code and with the closures (`codegen: false`), on @timestamp with `schema` (when given).
 */
export function expectCondition(schema: Schema | undefined, query: string, cases: ConditionCases): void {
  const base: CompileContext = { timestampField: '@timestamp', ...(schema ? { schema } : {}) };
  const expr = parseExpression(query);
  for (const f of [compileCondition(expr, base), compileCondition(expr, { ...base, codegen: false })]) {
    for (const [doc, want] of cases) expect({ query, doc, got: f(doc) }).toEqual({ query, doc, got: want });
  }
}
