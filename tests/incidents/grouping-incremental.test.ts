/**
 * The incremental placement (`placeIncrementally`, the default) against the whole-component
 * walk it replaced (`regroupFrom`, kept as the reference): seeded random alerts on a few hosts,
 * users and process trees, arriving in random orders and batches, with hand-made merges, moves,
 * splits and closes in between, give the same memberships, incident ids and reasons.
 */
import { describe, expect, it } from 'vitest';
import { openAppDb, setDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import type { GroupingConfig } from '@/lib/incidents/config';
import { mergeIncidents, moveAlert, splitAlerts, updateIncident } from '@/lib/incidents/manual';
import { alertOf, type AlertSpec } from './helpers';
import { Rng } from '@/lib/demo/rng';

const CONFIG: GroupingConfig = { windowMinutes: 60, keys: ['process', 'host', 'user'] };
const NOW = new Date('2026-11-03T00:00:00Z');

/** seeded numbers in [0, 1): the demo data's mulberry32 */
function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

function randomAlerts(r: () => number, n: number): AlertSpec[] {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const specs: AlertSpec[] = [];
  for (let i = 0; i < n; i++) {
    const procs = r() < 0.6;
    specs.push({
      id: `a${String(i).padStart(3, '0')}`,
      // whole minutes over 8 hours: ties in time, and gaps longer than the window
      min: Math.floor(r() * 480),
      host: r() < 0.9 ? pick(['ws-1', 'WS-1', 'ws-2', 'srv-3']) : null,
      user: r() < 0.6 ? pick(['ana', 'lee', 'bo', 'SYSTEM']) : null,
      rule: pick(['r1', 'r2', 'r3']),
      entity: procs ? pick(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']) : undefined,
      parent: procs && r() < 0.7 ? pick(['p1', 'p2', 'p3']) : undefined,
      ancestry: procs && r() < 0.2 ? [pick(['p1', 'p7']), 'p8'] : undefined,
    });
  }
  return specs;
}

function shuffled<T>(r: () => number, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function group(db: AppDb, reference: boolean) {
  return groupUngroupedAlerts(db, { config: CONFIG, now: () => NOW, reference });
}

/** every membership with its reason, and every incident with its alert count and summary */
function state(db: AppDb) {
  return {
    members: (db.prepare('SELECT alert_id, incident_id, pinned, reason FROM incident_alerts ORDER BY alert_id').all() as { reason: string | null }[]).map((m) => ({
      ...m,
      reason: m.reason ? (JSON.parse(m.reason) as unknown) : null,
    })),
    incidents: db.prepare('SELECT id, status, alert_count, first_seen, last_seen, hosts, users, rules FROM incidents ORDER BY id').all(),
  };
}

/** a hand-made change, chosen from the state of `db`, applied the same way to each database */
function manualChange(r: () => number, dbs: AppDb[]): void {
  const incidents = dbs[0]!.prepare("SELECT id FROM incidents WHERE status != 'closed' ORDER BY id").pluck().all() as string[];
  if (incidents.length < 2) return;
  const a = incidents[Math.floor(r() * incidents.length)]!;
  const b = incidents.filter((x) => x !== a)[Math.floor(r() * (incidents.length - 1))]!;
  const members = dbs[0]!.prepare('SELECT alert_id FROM incident_alerts WHERE incident_id = ? ORDER BY alert_id').pluck().all(b) as string[];
  const kind = Math.floor(r() * 4);
  const ctx = { actor: 'ana', now: NOW };
  for (const db of dbs) {
    setDb(db);
    if (kind === 0) mergeIncidents(a, [b], ctx);
    else if (kind === 1) moveAlert(members[0]!, a, ctx);
    else if (kind === 2 && members.length > 1) splitAlerts(b, [members[members.length - 1]!], ctx);
    else if (kind === 3) {
      const version = db.prepare('SELECT version FROM incidents WHERE id = ?').pluck().get(a) as number;
      updateIncident(a, { status: 'closed', verdict: 'false_positive', note: 'test' }, { ...ctx, expectedVersion: version });
    }
  }
}

/** the same alerts in the same batches (and the same hand-made changes) into two databases: reference and incremental */
function run(seed: number, withChanges: boolean) {
  const r = rng(seed);
  const specs = randomAlerts(r, 40 + Math.floor(r() * 80));
  const order = shuffled(r, specs);
  const ref = openAppDb(':memory:');
  const inc = openAppDb(':memory:');
  for (let i = 0; i < order.length; ) {
    const size = 1 + Math.floor(r() * (r() < 0.3 ? 30 : 6));
    const batch = order.slice(i, i + size).map(alertOf);
    i += size;
    insertAlerts(ref, batch);
    insertAlerts(inc, batch);
    group(ref, true);
    group(inc, false);
    expect(state(inc), `seed ${seed}, after ${i} alerts`).toEqual(state(ref));
    if (withChanges && r() < 0.15) manualChange(r, [ref, inc]);
  }
  return { specs, ref, inc };
}

describe('incremental grouping = the whole-component walk', () => {
  it('alerts in random orders and batches give the same incidents and reasons as one batch from scratch', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { specs, inc } = run(seed, false);
      const scratch = openAppDb(':memory:');
      insertAlerts(scratch, specs.map(alertOf));
      group(scratch, true);
      expect(state(inc).members, `seed ${seed}`).toEqual(state(scratch).members);
    }
  });

  it('with hand-made merges, moves, splits and closes in between, each step matches the reference', () => {
    for (let seed = 101; seed <= 140; seed++) run(seed, true);
  });
});
