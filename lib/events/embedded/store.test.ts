/**
 * toRow: the columns kept beside the document are the same whether the document nests its
 * fields or spells them as dotted keys (at any level), and lists give their first value.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../ingest';
import Database from 'better-sqlite3';
import { NEW_STORE_PAGE_SIZE, SECONDARY_INDEXES } from './db';
import { openEventStore, toRow } from './store';

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

describe('bulk load into an empty store', () => {
  const indexNames = (s: ReturnType<typeof openEventStore>) =>
    (s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const all = [...SECONDARY_INDEXES.map((i) => i.name), 'events_idx_id'].sort();
  const ev = (id: string) => ({ _index: 'i', _id: id, _source: { '@timestamp': T, process: { entity_id: id } } });

  it('drops the deferred secondary indexes only when empty, and builds them back', () => {
    const s = openEventStore({ file: ':memory:' });
    expect(indexNames(s)).toEqual(all);
    expect(s.beginBulkLoad()).toBe(true);
    expect(indexNames(s)).toEqual(all.filter((n) => n !== 'events_entity' && n !== 'events_parent'));
    s.insert([ev('a'), ev('b')]);
    expect(s.insert([ev('a')])).toEqual({ stored: 0, replaced: 1 }); // still idempotent
    s.endBulkLoad();
    expect(indexNames(s)).toEqual(all);
    expect(s.beginBulkLoad()).toBe(false);
    expect(indexNames(s)).toEqual(all);
    s.close();
  });

  it('an ingest that fails half-way still leaves every index', async () => {
    const s = openEventStore({ file: ':memory:' });
    async function* broken(): AsyncGenerator<string> {
      yield `${JSON.stringify(ev('a')._source)}\n${JSON.stringify(ev('b')._source)}\n`;
      throw new Error('disk gone');
    }
    await expect(ingestFile(Readable.from(broken()), { store: s, batchSize: 1 })).rejects.toThrow('disk gone');
    expect(indexNames(s)).toEqual(all);
    expect(s.count()).toBe(2); // the batches before the failure are kept
    s.close();
  });

  it('opening a store whose load was interrupted builds the missing indexes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-store-test-'));
    try {
      const s = openEventStore({ dataDir: dir });
      s.beginBulkLoad();
      s.close();
      const again = openEventStore({ dataDir: dir });
      expect(indexNames(again)).toEqual(all);
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('page size', () => {
  it('a new store gets 16 KiB pages; a store created with 4 KiB pages keeps them and opens with its events', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-store-page-'));
    try {
      const fresh = openEventStore({ dataDir: path.join(dir, 'new') });
      expect(fresh.db.pragma('page_size', { simple: true })).toBe(NEW_STORE_PAGE_SIZE);
      fresh.close();

      // an events.db made by an earlier version: 4 KiB pages, WAL, migrated, one event
      const oldDir = path.join(dir, 'old');
      const first = openEventStore({ dataDir: oldDir });
      first.close();
      fs.rmSync(path.join(oldDir, 'events.db'));
      const raw = new Database(path.join(oldDir, 'events.db'));
      raw.pragma('page_size = 4096');
      raw.pragma('journal_mode = WAL');
      raw.close();
      const old = openEventStore({ dataDir: oldDir });
      old.insert([{ _index: 'i', _id: 'a', _source: { '@timestamp': T } }]);
      old.close();
      const again = openEventStore({ dataDir: oldDir });
      expect(again.db.pragma('page_size', { simple: true })).toBe(4096);
      expect(again.count()).toBe(1);
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
