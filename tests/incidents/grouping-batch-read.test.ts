/**
 * A grouping pass selects each batch of ungrouped alerts (a scan of the alerts table: 150 ms and
 * more on 100k alerts, 500–600 ms under load) in a read transaction of its own, not inside a
 * write transaction: every other writer of app.db (an analyst, the web thread) would wait for it.
 * Checked on the statements SQLite ran, traced by better-sqlite3's `verbose` hook.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { alertOf } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guidepost-grouping-batch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('grouping batch selection', () => {
  it('reads the ungrouped alerts outside the write transactions, and groups them all', () => {
    const file = path.join(dir, 'app.db');
    const setup = openAppDb(file);
    setup.transaction(() => insertAlerts(setup, Array.from({ length: 300 }, (_, i) => alertOf({ id: `b${i}`, min: i, host: `ws-${i % 7}` }))))();
    setup.close();

    const trace: string[] = [];
    const db = new Database(file, { verbose: (sql) => trace.push(String(sql)) });
    db.pragma('busy_timeout = 5000');
    try {
      const report = groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] }, stepMs: 1 });
      expect(report.grouped).toBe(300);
      let inWrite = false;
      const selectsInWrite: string[] = [];
      let selects = 0;
      for (const sql of trace) {
        if (sql.startsWith('BEGIN IMMEDIATE')) inWrite = true;
        else if (sql === 'COMMIT' || sql === 'ROLLBACK') inWrite = false;
        else if (/NOT EXISTS \(SELECT 1 FROM incident_alerts m WHERE m\.alert_id = a\.id\)/.test(sql)) {
          selects++;
          if (inWrite) selectsInWrite.push(sql);
        }
      }
      expect(selects).toBeGreaterThan(0);
      expect(selectsInWrite).toEqual([]);
    } finally {
      db.close();
    }
  });
});
