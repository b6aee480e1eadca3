/**
 * EQL text written from event values (issue 13, Low): a control character must still parse
 * (the lexer wants 2–8 hex digits in `\u{…}`), and a `*` or `?` in a value must not widen an
 * evidence search (`:` patterns have no escape; exact `in~` is used instead).
 */
import { describe, expect, it } from 'vitest';
import { parseExpression, search } from '@/lib/eql';
import type { Expr } from '@/lib/eql';
import { eqlString } from '@/lib/investigation/eql-text';
import { fileEvidence } from '@/lib/investigation/file-evidence';
import { alertEvent, at } from '@/lib/investigation/testing/fixture';
import { MemorySource } from '@/lib/investigation/testing/memory-source';
import type { StoredEvent } from '@/lib/events/types';

describe('eqlString', () => {
  it('writes every control character so that the parser reads back the same value', () => {
    for (let c = 0; c < 0x20; c++) {
      const value = `a${String.fromCharCode(c)}b`;
      const e = parseExpression(`x == ${eqlString(value)}`) as Expr & { right?: { value?: unknown } };
      expect(e.kind).toBe('comparison');
      expect((e as unknown as { right: { value: string } }).right.value, `char ${c}`).toBe(value);
    }
    const del = parseExpression(`x == ${eqlString('\u007f"\\')}`) as unknown as { right: { value: string } };
    expect(del.right.value).toBe('\u007f"\\');
  });

  it('finds an event whose value holds a NUL (the query parses and matches it)', () => {
    const ev = { _index: 'i', _id: '1', _source: { '@timestamp': at(0), event: { category: 'file' }, file: { path: 'C:\\x\u0000y' } } };
    const hits = search([ev], `file where file.path == ${eqlString('C:\\x\u0000y')}`);
    expect(hits.total.value).toBe(1);
  });
});

describe('file evidence with wildcard characters in the path', () => {
  const path = 'C:\\Temp\\a?b*.dll';
  const alert: StoredEvent = { ...alertEvent, _source: { ...alertEvent._source, file: { path, extension: 'dll' } } };
  const other = (id: string, p: string, sha: string): StoredEvent => ({
    _index: 'logs-endpoint.events.file-default',
    _id: id,
    _source: {
      '@timestamp': at(1),
      event: { category: ['file'], type: ['change'] },
      host: (alertEvent._source as { host: unknown }).host,
      process: { entity_id: 'OTHER', name: 'x.exe' },
      file: { path: p, hash: { sha256: sha.repeat(64) } },
    },
  });

  it('matches the same path (in any letter case), not paths the `?` and `*` would match as a pattern', async () => {
    const events = [alert, other('same', 'c:\\temp\\A?B*.DLL', 'a'), other('wider', 'C:\\Temp\\aXbanything.dll', 'b')];
    const f = await fileEvidence(new MemorySource(events), alert, at(0), { windowMinutes: 15 });
    expect(f.hashes.map((h) => h.source._id)).toEqual(['same']);
  });

  it('a path with a control character still finds its events (the query parses)', async () => {
    const p = 'C:\\Temp\\bad\u0001name.dll';
    const a2: StoredEvent = { ...alertEvent, _source: { ...alertEvent._source, file: { path: p, extension: 'dll' } } };
    const f = await fileEvidence(new MemorySource([a2, other('ctl', p, 'c')]), a2, at(0), { windowMinutes: 15 });
    expect(f.hashes.map((h) => h.source._id)).toEqual(['ctl']);
  });
});
