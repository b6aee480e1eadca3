/**
 * The SQL pre-filter is conservative: over documents with case variants, arrays, numbers,
 * dotted keys and missing fields, the embedded source returns exactly what the EQL engine
 * returns over the same events in memory.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../eql/parser';
import { compileQuery } from '../../eql/search';
import type { StoredEvent } from '../types';
import { foldAscii, statementPrefilter } from './prefilter';
import { createEmbeddedSource } from './source';
import { openEventStore } from './store';

const names: unknown[] = ['lsass.exe', 'LSASS.EXE', 'LsAsS.exe', 'cmd.exe', ['cmd.exe', 'lsass.exe'], 5, null, undefined, 'lsass.exe ', 'İlsass.exe'];
const docs: StoredEvent[] = names.flatMap((name, i) =>
  ['file', 'process'].map((cat, j) => {
    const process: Record<string, unknown> = { entity_id: `e${i}` };
    if (name !== undefined) process.name = name;
    return {
      _index: 'logs-x',
      _id: `${i}-${j}`,
      _source: { '@timestamp': new Date(1e12 + i * 10 + j).toISOString(), event: { category: [cat] }, process },
    };
  }),
);
// a literal dotted key
docs.push({ _index: 'logs-x', _id: 'dotted', _source: { '@timestamp': new Date(1e12 + 500).toISOString(), event: { category: ['file'] }, 'process.name': 'LSASS.exe' } });

const queries = [
  'file where process.name : "lsass.exe"',
  'file where process.name == "lsass.exe"',
  'any where process.name in ("LSASS.EXE", "cmd.exe")',
  'any where process.name in~ ("lsass.exe")',
  'any where process.name like~ "LSASS.exe" or process.name : "cmd.exe"',
  'any where process.name : "ls*.exe"',
  'any where not process.name : "lsass.exe"',
  'any where process.name != "lsass.exe"',
  'any where process.name : ("lsass.exe", "x") and process.entity_id != "e1"',
  'sequence by process.entity_id [process where process.name : "lsass.exe"] [file where process.name == "cmd.exe"]',
];

describe('SQL pre-filter', () => {
  const store = openEventStore({ file: ':memory:' });
  store.insert(docs);
  const source = createEmbeddedSource(store);

  for (const q of queries) {
    it(q, async () => {
      const opts = { size: 1000, resultPosition: 'head' as const };
      const expected = compileQuery(parse(q), opts, q).run(docs);
      const got = await source.eqlSearch({ index: ['logs-*'], query: q, ...opts });
      const ids = (h: typeof expected) => JSON.stringify(h.events?.map((e) => e._id) ?? h.sequences?.map((s) => s.events.map((e) => e._id)));
      expect(ids(got.hits)).toBe(ids(expected));
      // the case and array variants of lsass.exe, and the dotted key
      if (q === queries[0]) expect(got.hits.events?.length).toBe(5);
    });
  }

  it('extracts a filter only where it is implied', () => {
    expect(statementPrefilter(parse('file where process.name : ("A.exe", "b.EXE")'))?.params).toEqual(['a.exe', 'b.exe', '*']);
    expect(statementPrefilter(parse('file where process.name : "a*"'))).toBeNull();
    expect(statementPrefilter(parse('file where not process.name == "a"'))).toBeNull();
    expect(statementPrefilter(parse('file where process.name == "a" or file.path == "b"'))).toBeNull();
    expect(foldAscii('LSASS.Exe İ')).toBe('lsass.exe İ');
  });
});
