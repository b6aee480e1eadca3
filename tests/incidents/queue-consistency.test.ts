/**
 * The incident queue's kept answers against plain SQL over the tables, after every one of a
 * seeded run of random writes (acknowledge, close, reopen, assign, merge, split, move, a step
 * ticked, an alert closed or reopened alone, new alerts grouped): the totals (trigger-kept
 * counts, migration 42) equal a COUNT, the pages (rows kept per stamp, migration 43) list the
 * ids a plain ORDER BY lists with the values an uncached read gives, and every incident's
 * counts equal its alerts'.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { updateAlert } from '@/lib/cases/workflow';
import { CaseError } from '@/lib/cases/errors';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { mergeIncidents, moveAlert, setIncidentStep, splitAlerts, updateIncident } from '@/lib/incidents/manual';
import { listIncidents, listIncidentsBody } from '@/lib/incidents/service';
import { RESPONSE_STEPS } from '@/lib/incidents/steps';
import { countIncidents, getIncidentRow, type IncidentFilter } from '@/lib/store/incidents';
import type { AlertStatus } from '@/lib/domain/alert';
import { Rng } from '@/lib/demo/rng';
import { alertOf, type AlertSpec } from './helpers';

const CONFIG = { windowMinutes: 60, keys: ['process', 'host', 'user'] as ('process' | 'host' | 'user')[] };
let db: AppDb;
let rand: () => number;
let nextAlert = 0;
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function newAlerts(n: number): AlertSpec[] {
  return Array.from({ length: n }, () => {
    const i = nextAlert++;
    return {
      id: `a${String(i).padStart(4, '0')}`,
      // a day of alerts on a few hosts: many incidents, some of several alerts
      min: Math.floor(rand() * 1440),
      host: pick(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']),
      user: rand() < 0.3 ? pick(['ana', 'bo']) : null,
      rule: pick(['r1', 'r2', 'r3']),
      severity: pick(['low', 'medium', 'high', 'critical'] as const),
    };
  });
}

const ids = (where = '1') => db.prepare(`SELECT id FROM incidents WHERE ${where} ORDER BY id`).pluck().all() as string[];
const version = (id: string) => db.prepare('SELECT version FROM incidents WHERE id = ?').pluck().get(id) as number;
const alertIds = (incidentId: string) => db.prepare('SELECT alert_id FROM incident_alerts WHERE incident_id = ? ORDER BY alert_id').pluck().all(incidentId) as string[];

/** one random write, through the code people's changes go through; refusals (a closed incident, …) are part of the game */
function randomWrite(): string {
  const open = ids("status != 'closed'");
  const kind = pick(['ack', 'close', 'reopen', 'assign', 'merge', 'split', 'move', 'step', 'alert', 'group'] as const);
  const ctx = { actor: 'lee' };
  try {
    switch (kind) {
      case 'ack': {
        const id = pick(open);
        updateIncident(id, { status: pick(['acknowledged', 'open'] as const) }, { ...ctx, expectedVersion: version(id) });
        break;
      }
      case 'close': {
        const id = pick(open);
        updateIncident(id, { status: 'closed', verdict: 'false_positive' }, { ...ctx, expectedVersion: version(id) });
        break;
      }
      case 'reopen': {
        const closed = ids("status = 'closed'");
        const id = closed.length ? pick(closed) : null;
        if (id) updateIncident(id, { status: 'open' }, { ...ctx, expectedVersion: version(id) });
        break;
      }
      case 'assign': {
        const id = pick(ids());
        updateIncident(id, { assignee: pick(['ana', 'bo', null]) }, { ...ctx, expectedVersion: version(id) });
        break;
      }
      case 'merge':
        mergeIncidents(pick(open), [pick(open), pick(open)], ctx);
        break;
      case 'split': {
        const id = pick(open);
        const members = alertIds(id);
        if (members.length > 1) splitAlerts(id, members.slice(0, Math.max(1, Math.floor(members.length / 2))), ctx);
        break;
      }
      case 'move':
        moveAlert(pick(alertIds(pick(open))), pick(open), ctx);
        break;
      case 'step':
        setIncidentStep(pick(ids()), pick(RESPONSE_STEPS), { state: pick(['open', 'done', 'not_applicable'] as const) }, ctx);
        break;
      case 'alert': {
        const a = db.prepare('SELECT id, status, version FROM alerts ORDER BY random() LIMIT 1').get() as { id: string; status: AlertStatus; version: number };
        const to = a.status === 'closed' ? 'open' : pick(['closed', 'acknowledged'] as const);
        updateAlert(a.id, { status: to, ...(to === 'closed' ? { verdict: 'true_positive' as const } : {}) }, { expectedVersion: a.version, actor: 'lee' });
        break;
      }
      case 'group':
        insertAlerts(db, newAlerts(3).map(alertOf));
        groupUngroupedAlerts(db, { config: CONFIG });
        break;
    }
  } catch (e) {
    if (!(e instanceof CaseError)) throw e;
  }
  return kind;
}

const FILTERS: IncidentFilter[] = [
  {},
  { status: ['open'] },
  { status: ['open', 'acknowledged'] },
  { status: ['acknowledged', 'open', 'open'] },
  { status: ['closed'] },
  { status: [] },
  { assignee: null },
  { assignee: 'ana' },
  { status: ['open', 'acknowledged'], assignee: 'bo' },
  { status: ['open'], assignee: null },
  { text: 'h2' },
  { status: ['open'], text: 'Rule r1' },
];

/** the filter as plain SQL, written here apart from the code under test */
function plainWhere(f: IncidentFilter): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (f.status) {
    parts.push(f.status.length ? `status IN (${f.status.map(() => '?').join(',')})` : '0');
    params.push(...f.status);
  }
  if (f.assignee === null) parts.push('assignee IS NULL');
  else if (f.assignee !== undefined) {
    parts.push('assignee = ?');
    params.push(f.assignee);
  }
  if (f.text) {
    parts.push('(instr(lower(hosts), lower(?)) OR instr(lower(users), lower(?)) OR instr(lower(rules), lower(?)))');
    params.push(f.text, f.text, f.text);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const SORT_COLUMN = { last_seen: 'last_seen', first_seen: 'first_seen', severity: 'severity_rank', alert_count: 'alert_count', risk_score: 'risk_score' } as const;

function plainPage(f: IncidentFilter & Required<Pick<IncidentFilter, 'sort' | 'order' | 'limit' | 'offset'>>): string[] {
  const { sql, params } = plainWhere(f);
  const dir = f.order.toUpperCase();
  const keys = f.sort === 'last_seen' ? ['last_seen', 'id'] : [SORT_COLUMN[f.sort], 'last_seen', 'id'];
  return db
    .prepare(`SELECT id FROM incidents ${sql} ORDER BY ${keys.map((k) => `${k} ${dir}`).join(', ')} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, f.limit, f.offset) as string[];
}

function checkAgainstPlainSql(step: string): void {
  for (const f of FILTERS) {
    const { sql, params } = plainWhere(f);
    const expected = db.prepare(`SELECT COUNT(*) FROM incidents ${sql}`).pluck().get(...params);
    expect(countIncidents(db, f), `${step}: count ${JSON.stringify(f)}`).toBe(expected);
  }
  // the counts table holds exactly the incidents' (status, assignee) groups
  expect(db.prepare('SELECT status, is_null, assignee, n FROM incident_counts ORDER BY 1, 2, 3').all(), `${step}: counts table`).toEqual(
    db.prepare("SELECT status, assignee IS NULL AS is_null, IFNULL(assignee, '') AS assignee, COUNT(*) AS n FROM incidents GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").all(),
  );
  // every incident's summary counts agree with its alerts
  expect(
    db
      .prepare(
        `SELECT i.id FROM incidents i WHERE i.open_alerts != (SELECT COUNT(*) FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id WHERE m.incident_id = i.id AND a.status != 'closed')
            OR i.alert_count != (SELECT COUNT(*) FROM incident_alerts m WHERE m.incident_id = i.id)`,
      )
      .all(),
    `${step}: summaries`,
  ).toEqual([]);
  for (const sort of ['last_seen', 'first_seen', 'severity', 'alert_count', 'risk_score'] as const) {
    for (const [status, order, offset] of [
      [['open', 'acknowledged'], 'desc', 0],
      [['open', 'acknowledged'], 'asc', 3],
      [undefined, 'desc', 5],
      // past the shared read of the order's first 5000 (read on its own)
      [['open'], 'asc', 4996],
    ] as const) {
      const f = { status: status ? [...status] : undefined, sort, order, limit: 7, offset };
      const got = listIncidents(f, db);
      expect(got.items.map((i) => i.id), `${step}: page ${JSON.stringify(f)}`).toEqual(plainPage(f));
      // each row as an uncached read of it gives it now
      for (const item of got.items) expect(item, `${step}: row ${item.id}`).toEqual(getIncidentRow(db, item.id, RESPONSE_STEPS.length));
      const done = db.prepare("SELECT incident_id, COUNT(*) AS n FROM incident_steps WHERE state IN ('done','not_applicable') GROUP BY incident_id").all() as { incident_id: string; n: number }[];
      const doneOf = new Map(done.map((d) => [d.incident_id, d.n]));
      for (const item of got.items) expect(item.progress.done, `${step}: steps of ${item.id}`).toBe(doneOf.get(item.id) ?? 0);
      expect(JSON.parse(new TextDecoder().decode(listIncidentsBody(f, db).bytes)), `${step}: body ${JSON.stringify(f)}`).toEqual(got);
    }
  }
}

beforeEach(() => {
  db = useMemoryDb();
  rand = (() => {
    const g = new Rng(20261205);
    return () => g.next();
  })();
  nextAlert = 0;
  insertAlerts(db, newAlerts(80).map(alertOf));
  groupUngroupedAlerts(db, { config: CONFIG });
});

describe('incident queue answers after random writes', () => {
  it('totals, pages and rows equal plain SQL after each of 120 writes', () => {
    expect(ids().length).toBeGreaterThan(10);
    checkAgainstPlainSql('start');
    const kinds = new Set<string>();
    for (let i = 0; i < 120; i++) {
      const kind = randomWrite();
      kinds.add(kind);
      checkAgainstPlainSql(`write ${i} (${kind})`);
    }
    // the run went through every kind of write
    expect([...kinds].sort()).toEqual(['ack', 'alert', 'assign', 'close', 'group', 'merge', 'move', 'reopen', 'split', 'step']);
  });

  it('a change re-stamps only the incidents it touched; an id made again never gets a stamp it had', () => {
    const stamps = () => new Map((db.prepare('SELECT id, stamp FROM incidents').all() as { id: string; stamp: number }[]).map((r) => [r.id, r.stamp]));
    const [a, b] = ids();
    const before = stamps();
    // a step written by another process (no code of ours around it)
    db.prepare("INSERT INTO incident_steps (incident_id, step_id, state, actor, updated_at) VALUES (?, ?, 'done', 'x', 'x')").run(a, RESPONSE_STEPS[0]);
    const after = stamps();
    expect([...after].filter(([id, s]) => before.get(id) !== s).map(([id]) => id)).toEqual([a]);
    // merged away and made again under its id: a stamp above every one it had
    const seen = after.get(b!)!;
    mergeIncidents(a!, [b!], { actor: 'lee' });
    db.prepare("INSERT INTO incidents (id, created_at, updated_at) VALUES (?, 'x', 'x')").run(b);
    expect(stamps().get(b!)).toBeGreaterThan(Math.max(...after.values(), seen));
  });
});
