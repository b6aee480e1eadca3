import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { getDb, openAppDb, useMemoryDb } from '@/lib/store/db';
import { migrate, migrations } from '@/lib/store/migrations';
import { alertCounts, insertAlerts, listAlerts, type NewAlert } from '@/lib/store/alerts';
import type { Severity } from '@/lib/detection/types';
import { testAlert } from '@/tests/support/alerts';

function alert(i: number, over: Partial<NewAlert> = {}): NewAlert {
  return testAlert(`a${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), {
    dedupKey: `k${i}`,
    event: { _index: 'idx', _id: `e${i}`, _source: {} },
    hostName: 'h1',
    userName: 'u1',
    processName: 'p.exe',
    ...over,
  });
}

beforeEach(() => {
  useMemoryDb();
});

describe('app store', () => {
  it('applies numbered migrations once, in WAL mode on a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guidepost-store-'));
    const file = path.join(dir, 'nested', 'app.db');
    const db = openAppDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(migrate(db)).toBe(0);
    db.close();
    const raw = new Database(file);
    const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['alerts', 'alert_notes', 'audit', 'checklist_steps', 'exceptions', 'rule_runs', 'rule_state', 'rules']));
    raw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one alert per (rule, event) whatever is inserted twice', () => {
    expect(insertAlerts(getDb(), [alert(1), alert(2)])).toHaveLength(2);
    expect(insertAlerts(getDb(), [alert(2), alert(3)]).map((a) => a.id)).toEqual(['a3']);
    // same event, another id: still refused by (rule_id, dedup_key)
    expect(insertAlerts(getDb(), [alert(1, { id: 'other' })])).toHaveLength(0);
    // same event, another rule: its own alert
    expect(insertAlerts(getDb(), [alert(1, { id: 'r2a1', ruleId: 'r2' })])).toHaveLength(1);
    expect(listAlerts(getDb(), { limit: 100 }).total).toBe(4);
  });

  it('filters, sorts and pages the queue', () => {
    const sev: Severity[] = ['low', 'critical', 'medium', 'high'];
    insertAlerts(getDb(), Array.from({ length: 12 }, (_, i) =>
        alert(i, { severity: sev[i % 4], status: i % 3 === 0 ? 'closed' : 'open', hostName: i < 6 ? 'h1' : 'h2', ruleName: i % 2 ? 'B rule' : 'A rule' }),
      ));
    const page = listAlerts(getDb(), { status: ['open'], limit: 3 });
    expect(page.total).toBe(8);
    expect(page.items.map((a) => a.id)).toEqual(['a11', 'a10', 'a8']);
    expect(listAlerts(getDb(), { status: ['open', 'closed'], limit: 2, offset: 1 }).items.map((a) => a.id)).toEqual(['a10', 'a9']);
    expect(listAlerts(getDb(), { hostName: 'h2', status: 'closed' }).items.map((a) => a.id)).toEqual(['a9', 'a6']);
    expect(listAlerts(getDb(), { sort: 'severity', order: 'desc', limit: 3 }).items.map((a) => a.severity)).toEqual(['critical', 'critical', 'critical']);
    expect(listAlerts(getDb(), { sort: 'severity', order: 'asc', limit: 1 }).items[0].severity).toBe('low');
    expect(listAlerts(getDb(), { sort: 'rule_name', order: 'asc', limit: 1 }).items[0].ruleName).toBe('A rule');
    expect(listAlerts(getDb(), { text: '100%' }).total).toBe(0);
    expect(listAlerts(getDb(), { from: '2026-01-01T00:10:00.000Z' }).items.map((a) => a.id)).toEqual(['a11', 'a10']);
    expect(alertCounts(getDb()).byStatus).toEqual({ open: 8, closed: 4 });
  });
});
