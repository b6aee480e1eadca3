/**
 * The grouping's short write transactions and the WAL: each step rewrites many pages the
 * previous steps wrote, so with SQLite's default auto-checkpoint (1000 pages) nearly every few
 * commits ran a checkpoint and its fsyncs (the 100k-alert backfill went from 315 to 539 µs per
 * alert). A step's commit now checkpoints only past a larger WAL, and the connection's own
 * setting is back after each step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { alertOf } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guidepost-grouping-wal-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('grouping steps and the WAL checkpoint', () => {
  it('does not checkpoint at every 1000 WAL pages during a pass, and gives the connection its setting back', () => {
    const db = openAppDb(path.join(dir, 'app.db'));
    try {
      const alerts = Array.from({ length: 3000 }, (_, i) =>
        alertOf({ id: `c${i}`, min: (i * 7919) % 20_000, host: `ws-${(i * 31) % 400}`, user: `u${(i * 17) % 250}`, domain: 'CORP', entity: `p-${i}`, parent: `r-${i % 90}`, ancestry: [`r-${i % 90}`] }),
      );
      db.transaction(() => insertAlerts(db, alerts))();
      db.pragma('wal_checkpoint(TRUNCATE)');
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      const settings: unknown[] = [];
      let steps = 0;
      const report = groupUngroupedAlerts(db, {
        stepMs: 2,
        onTransaction: () => {
          steps++;
          settings.push(db.pragma('wal_autocheckpoint', { simple: true }));
        },
      });
      expect(report.grouped).toBe(3000);
      expect(steps).toBeGreaterThan(20);
      // the connection's setting after every step
      expect(new Set(settings)).toEqual(new Set([1000]));
      // frames written since the WAL last restarted: with a checkpoint past 1000 pages this stays
      // under 1000 + one small step's pages; the pass wrote more than that without one
      const [log] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      expect(log!.log).toBeGreaterThan(1500);
    } finally {
      db.close();
    }
  });
});
