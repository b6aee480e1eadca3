/**
 * The checklist progress the dashboard reads (alerts.steps_done, kept by triggers, migration
 * 6) against the checklist table itself: after any sequence of writes, and through the
 * dashboard's per-analyst and per-investigation figures.
 */
import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAppDb, useMemoryDb, type AppDb } from '../store/db';
import { migrations } from '../store/migrations';
import { oldAppDbFile } from '@/tests/support/old-app-db';
import { writeStep } from '../store/checklist';
import { alertLifecycleVersion } from '../store/alerts';
import { computeDashboard } from './metrics';
import { defaultSla } from './sla';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const STATES = ['open', 'done', 'not_applicable'] as const;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function insertAlerts(db: AppDb, n: number, rand: () => number): string[] {
  const stmt = db.prepare(
    `INSERT INTO alerts (id, rule_id, dedup_key, rule_version, rule_name, severity, risk_score, mitre, event_index, event_id, event,
       timestamp, created_at, run_id, status, assignee, updated_at)
     VALUES (?, ?, ?, 1, 'Rule', 'high', 50, '[]', 'i', ?, '{}', ?, ?, 'run', ?, ?, ?)`,
  );
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `p${i}`;
    const at = new Date(NOW.getTime() - Math.floor(rand() * 5000) * 60_000).toISOString();
    const status = (['open', 'acknowledged', 'closed'] as const)[Math.floor(rand() * 3)]!;
    const assignee = [null, 'ana', 'bob', 'cy'][Math.floor(rand() * 4)] ?? null;
    stmt.run(id, rand() < 0.5 ? 'r1' : 'r2', id, id, at, at, status, assignee, at);
    ids.push(id);
  }
  return ids;
}

/** A random sequence of checklist writes: new steps, state changes (upserts), deletions. */
function churn(db: AppDb, ids: string[], rand: () => number, writes: number): void {
  for (let i = 0; i < writes; i++) {
    const alertId = ids[Math.floor(rand() * ids.length)]!;
    const stepId = `s${Math.floor(rand() * 6)}`;
    if (rand() < 0.1) db.prepare('DELETE FROM checklist_steps WHERE alert_id = ? AND step_id = ?').run(alertId, stepId);
    else
      writeStep(db, { alertId, stepId, section: rand() < 0.8 ? 'guide' : 'response', state: STATES[Math.floor(rand() * 3)]!, reason: null, note: null, owner: null, actor: 'x', updatedAt: NOW.toISOString() });
  }
}

function mismatches(db: AppDb): unknown[] {
  return db
    .prepare(
      `SELECT a.id, a.steps_done, (SELECT COUNT(*) FROM checklist_steps c WHERE c.alert_id = a.id AND c.state IN ('done','not_applicable')) AS counted
       FROM alerts a WHERE a.steps_done != counted`,
    )
    .all();
}

let db: AppDb;
beforeEach(() => {
  db = useMemoryDb();
});

describe('steps_done (checklist triggers)', () => {
  it('equals the count of done and not-applicable steps after any sequence of writes', () => {
    const rand = rng(3);
    const ids = insertAlerts(db, 60, rand);
    churn(db, ids, rand, 1500);
    expect(db.prepare("SELECT COUNT(*) AS n FROM checklist_steps WHERE state != 'open'").get()).not.toEqual({ n: 0 });
    expect(mismatches(db)).toEqual([]);
    // an alert deleted with its steps (cascade) leaves the others right
    db.prepare('DELETE FROM alerts WHERE id = ?').run(ids[0]);
    expect(mismatches(db)).toEqual([]);
  });

  it('gives the dashboard the same progress as counting the checklist', () => {
    const rand = rng(9);
    const ids = insertAlerts(db, 120, rand);
    churn(db, ids, rand, 800);
    const stepsTotal = (rule: string) => (rule === 'r1' ? 4 : 6);
    const d = computeDashboard({ period: { from: '2026-01-01T00:00:00.000Z', to: NOW.toISOString() }, now: NOW, stepsTotal, sla: defaultSla, db, investigationsLimit: 500 });

    // reference: per alert from the checklist table, per analyst the plain median
    const rows = db
      .prepare(
        `SELECT a.id, a.rule_id, a.status, a.assignee,
           (SELECT COUNT(*) FROM checklist_steps c WHERE c.alert_id = a.id AND c.state IN ('done','not_applicable')) AS done
         FROM alerts a WHERE a.status IN ('open','acknowledged')`,
      )
      .all() as { id: string; rule_id: string; status: string; assignee: string | null; done: number }[];
    const byAnalyst = new Map<string, { assigned: number; inProgress: number; completion: number[] }>();
    for (const r of rows) {
      if (!r.assignee) continue;
      const a = byAnalyst.get(r.assignee) ?? { assigned: 0, inProgress: 0, completion: [] };
      byAnalyst.set(r.assignee, a);
      if (r.status === 'open') a.assigned++;
      else a.inProgress++;
      a.completion.push(Math.min(1, r.done / stepsTotal(r.rule_id)));
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((x, y) => x - y);
      const mid = s.length >> 1;
      return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
    };
    for (const row of d.analysts) {
      const want = byAnalyst.get(row.analyst);
      if (!want) {
        expect(row.assigned + row.inProgress).toBe(0);
        continue;
      }
      expect({ assigned: row.assigned, inProgress: row.inProgress, medianCompletion: row.medianCompletion }).toEqual({
        assigned: want.assigned,
        inProgress: want.inProgress,
        medianCompletion: median(want.completion),
      });
    }
    expect([...byAnalyst.keys()].every((name) => d.analysts.some((a) => a.analyst === name))).toBe(true);
    const done = new Map(rows.map((r) => [r.id, r.done]));
    expect(d.investigations.items).toHaveLength(rows.length);
    for (const item of d.investigations.items) expect(item.stepsDone).toBe(done.get(item.id));
  });
});

describe('migration 6', () => {
  it('counts the steps already in an existing app.db', () => {
    const { dir, file, db: v5 } = oldAppDbFile(5, 'guidepost-progress-');
    const rand = rng(5);
    const ids = insertAlerts(v5, 40, rand);
    const step = v5.prepare("INSERT INTO checklist_steps (alert_id, step_id, state, actor, updated_at) VALUES (?, ?, ?, 'x', 'now')");
    for (const [i, id] of ids.entries()) for (let k = 0; k < i % 5; k++) step.run(id, `s${k}`, STATES[(i + k) % 3]);
    v5.close();
    const upgraded = openAppDb(file);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      expect(mismatches(upgraded)).toEqual([]);
      expect((upgraded.prepare('SELECT SUM(steps_done) AS n FROM alerts').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      upgraded.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('alert lifecycle version (migrations 7 and 48)', () => {
  it('moves when an alert is created acknowledged or closed, acknowledged, closed, reopened, reassigned or deleted, and on nothing else', () => {
    const rand = rng(1);
    const [id] = insertAlerts(db, 1, rand);
    const v = () => alertLifecycleVersion(db);
    const moved = (fn: () => void) => {
      const before = v();
      fn();
      return v() !== before;
    };
    const insert = (newId: string, acknowledgedAt: string | null, closedAt: string | null) =>
      db
        .prepare(
          `INSERT INTO alerts (id, rule_id, dedup_key, rule_version, rule_name, severity, risk_score, mitre, event_index, event_id, event, timestamp, created_at, run_id, updated_at, acknowledged_at, closed_at)
           VALUES (?, 'r1', ?, 1, 'Rule', 'low', 1, '[]', 'i', ?, '{}', 't', 't', 'run', 't', ?, ?)`,
        )
        .run(newId, newId, newId, acknowledgedAt, closedAt);
    // an alert raised open changes no period figure (they count acknowledged and closed alerts)
    expect(moved(() => insert('new', null, null))).toBe(false);
    expect(moved(() => insert('new-ack', '2026-11-20T00:00:00.000Z', null))).toBe(true);
    expect(moved(() => insert('new-closed', null, '2026-11-20T00:00:00.000Z'))).toBe(true);
    expect(moved(() => db.prepare("UPDATE alerts SET acknowledged_at = '2026-11-20T00:00:00.000Z', status = 'acknowledged' WHERE id = ?").run(id))).toBe(true);
    expect(moved(() => db.prepare("UPDATE alerts SET closed_at = '2026-11-20T01:00:00.000Z', status = 'closed' WHERE id = ?").run(id))).toBe(true);
    expect(moved(() => db.prepare('UPDATE alerts SET closed_at = NULL WHERE id = ?').run(id))).toBe(true);
    expect(moved(() => db.prepare("UPDATE alerts SET assignee = 'zed' WHERE id = ?").run(id))).toBe(true);
    expect(moved(() => db.prepare("UPDATE alerts SET assignee = 'zed' WHERE id = ?").run(id))).toBe(false);
    expect(moved(() => db.prepare("UPDATE alerts SET verdict = 'true_positive', closing_note = 'x', version = version + 1 WHERE id = ?").run(id))).toBe(false);
    expect(
      moved(() =>
        writeStep(db, { alertId: id!, stepId: 's1', section: 'guide', state: 'done', reason: null, note: null, owner: null, actor: 'x', updatedAt: NOW.toISOString() }),
      ),
    ).toBe(false);
    expect(moved(() => db.prepare('DELETE FROM alerts WHERE id = ?').run(id))).toBe(true);
  });
});
