import { expect, test } from 'vitest';
import { exceptionCreateSchema as apiSchema } from '@/lib/contracts/rules';
import { createExceptionSchema as libSchema } from '@/lib/detection/exceptions';

// The API contract and lib/detection had drifted (comment 5,000 vs 20,000 characters, field 300
// vs 256, 500 vs 1,000 values); a request always passed both, so the tighter limits held. Both
// now read one schema: the same input gets the same answer from each.
const entry = { field: 'host.name', operator: 'is' as const, values: ['h1'] };
const cases: [string, Record<string, unknown>, boolean][] = [
  ['a 5,000-character comment', { entries: [entry], comment: 'c'.repeat(5000) }, true],
  ['a 5,001-character comment', { entries: [entry], comment: 'c'.repeat(5001) }, false],
  ['a 256-character field', { entries: [{ ...entry, field: 'f'.repeat(256) }] }, true],
  ['a 257-character field', { entries: [{ ...entry, field: 'f'.repeat(257) }] }, false],
  ['500 values', { entries: [{ field: 'host.name', operator: 'is_one_of', values: Array.from({ length: 500 }, (_, i) => `h${i}`) }] }, true],
  ['501 values', { entries: [{ field: 'host.name', operator: 'is_one_of', values: Array.from({ length: 501 }, (_, i) => `h${i}`) }] }, false],
  ['a 1,024-character pattern', { entries: [{ field: 'file.path', operator: 'matches', values: ['*'.repeat(1024)] }] }, true],
  ['a 1,025-character pattern', { entries: [{ field: 'file.path', operator: 'matches', values: ['*'.repeat(1025)] }] }, false],
  ['"is" with only an empty value', { entries: [{ ...entry, values: [''] }] }, false],
  ['an unknown key', { entries: [entry], extra: 1 }, false],
];

for (const [what, body, ok] of cases) {
  test(`${what}: ${ok ? 'taken' : 'refused'} by the API contract and by lib/detection alike`, () => {
    expect(apiSchema.safeParse(body).success).toBe(ok);
    expect(libSchema.safeParse({ ...body, ruleId: 'r1' }).success).toBe(ok);
  });
}
