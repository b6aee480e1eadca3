/**
 * toRow: the columns kept beside the document are the same whether the document nests its
 * fields or spells them as dotted keys (at any level), and lists give their first value.
 */
import { describe, expect, it } from 'vitest';
import { toRow } from './store';

const T = '2024-03-01T10:00:00.000Z';
const I = '2024-03-01T10:00:05.000Z';

function columns(src: Record<string, unknown>) {
  const { doc: _doc, ...rest } = toRow({ _index: 'i', _id: 'x', _source: src }, 1);
  return rest;
}

describe('toRow', () => {
  const expected = {
    idx: 'i', doc_id: 'x', ts: Date.parse(T), ingested: Date.parse(I), eff_ts: Date.parse(I), stored_at: 1,
    category: ',process,', host_name: 'ws1', entity_id: 'e1', parent_entity_id: 'e0',
    executable: 'C:\\cmd.exe', user_name: 'bob', pname: 'cmd.exe',
  };

  it('nested objects', () => {
    expect(columns({
      '@timestamp': T, event: { category: 'process', ingested: I }, host: { name: 'ws1' }, user: { name: 'bob' },
      process: { name: 'CMD.exe', entity_id: 'e1', executable: 'C:\\cmd.exe', parent: { entity_id: 'e0' } },
    })).toEqual(expected);
  });

  it('dotted keys at the top level', () => {
    expect(columns({
      '@timestamp': T, 'event.category': ['process'], 'event.ingested': I, 'host.name': 'ws1', 'user.name': ['bob', 'eve'],
      'process.name': 'CMD.exe', 'process.entity_id': 'e1', 'process.executable': 'C:\\cmd.exe', 'process.parent.entity_id': 'e0',
    })).toEqual(expected);
  });

  it('dotted keys inside nested objects, and missing fields', () => {
    expect(columns({
      '@timestamp': T, event: { category: 'process', ingested: I }, host: { name: 'ws1' }, user: { name: 'bob' },
      process: { name: 'CMD.exe', 'entity_id': 'e1', executable: 'C:\\cmd.exe', 'parent.entity_id': 'e0' },
    })).toEqual(expected);
    expect(columns({ '@timestamp': T })).toEqual({
      ...expected, ingested: null, eff_ts: Date.parse(T), category: null, host_name: null, entity_id: null,
      parent_entity_id: null, executable: null, user_name: null, pname: null,
    });
  });
});
