/**
 * Property: the embedded store's SQL pre-filter (the `pname` column written by toRowValues and
 * the filter statementPrefilter builds) never drops a document the document reader says
 * matches. Random documents mix nested objects, literal dotted keys, both at once, arrays (of
 * objects too), nulls, numbers, missing fields and non-ASCII text.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldValues, parse } from '@/lib/eql';
import { MULTI_MARKER } from '@/lib/events/embedded/db';
import { foldAscii, statementPrefilter } from '@/lib/events/embedded/prefilter';
import { toRow } from '@/lib/events/embedded/store';

const NAMES = ['lsass.exe', 'LSASS.EXE', 'cmd.exe', 'İlsass.exe', 'straße.exe', 'Σ.exe', 'σ.exe', '😀.exe', ''];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ unit: 'grapheme', maxLength: 6 }));
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: name },
  { weight: 1, arbitrary: fc.constantFrom(null, 5, true) },
  { weight: 1, arbitrary: fc.array(fc.oneof(name, fc.constant(null)), { maxLength: 3 }) },
);

/** process.name written in one of the ways a document can hold it (or not at all). */
const placement = fc.constantFrom('nested', 'dotted', 'both', 'array-of-objects', 'process-dotted-inside', 'missing', 'process-null');
const doc = fc.tuple(placement, value, value).map(([how, a, b]) => {
  const src: Record<string, unknown> = { '@timestamp': '2024-05-21T10:00:00Z', event: { category: ['process'] } };
  switch (how) {
    case 'nested':
      src.process = { name: a, entity_id: 'e' };
      break;
    case 'dotted':
      src['process.name'] = a;
      break;
    case 'both':
      src.process = { name: a };
      src['process.name'] = b;
      break;
    case 'array-of-objects':
      src.process = [{ name: a }, { name: b }];
      break;
    case 'process-dotted-inside':
      src.process = { entity_id: 'e', parent: { name: b } };
      src['process.name'] = a;
      break;
    case 'process-null':
      src.process = null;
      break;
  }
  return src;
});

const queries = fc.oneof(
  fc.constantFrom(...NAMES).map((n) => ({ eql: `process where process.name : ${JSON.stringify(n)}`, literals: [n], fold: true })),
  fc.constantFrom(...NAMES).map((n) => ({ eql: `process where process.name == ${JSON.stringify(n)}`, literals: [n], fold: false })),
  fc.subarray(NAMES, { minLength: 1, maxLength: 3 }).map((ns) => ({ eql: `process where process.name in~ (${ns.map((n) => JSON.stringify(n)).join(', ')})`, literals: ns, fold: true })),
);

const sqlite = new Database(':memory:');
function passes(where: { sql: string; params: string[] }, pname: string | null): boolean {
  return sqlite.prepare(`SELECT 1 AS ok FROM (SELECT ? AS pname) WHERE ${where.sql}`).get(pname, ...where.params) !== undefined;
}

describe('embedded store pre-filter vs the document reader', () => {
  it('the pname column is the reader\'s one string value, folded; anything else is the marker or null', () => {
    fc.assert(
      fc.property(doc, (src) => {
        const { pname } = toRow({ _index: 'i', _id: '1', _source: src }, 0);
        const vs = fieldValues(src, 'process.name');
        if (vs.length === 1 && typeof vs[0] === 'string') expect([foldAscii(vs[0]), MULTI_MARKER]).toContain(pname);
        else if (vs.length === 0) expect([null, MULTI_MARKER]).toContain(pname);
        else expect(pname).toBe(MULTI_MARKER);
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });

  it('never drops a document whose process.name the reader says matches', () => {
    fc.assert(
      fc.property(doc, queries, (src, q) => {
        const where = statementPrefilter(parse(q.eql));
        expect(where).not.toBeNull();
        const { pname } = toRow({ _index: 'i', _id: '1', _source: src }, 0);
        const wanted = new Set(q.literals.map((l) => (q.fold ? foldAscii(l) : l)));
        const readerMatches = fieldValues(src, 'process.name').some((v) => typeof v === 'string' && wanted.has(q.fold ? foldAscii(v) : v));
        if (readerMatches) expect(passes(where!, pname)).toBe(true);
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });
});
