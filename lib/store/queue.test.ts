/**
 * The queue's page query (narrow columns, covering indexes, status filtered in the index)
 * against a plain reference: every filter × sort × order × a few pages of a seeded store
 * must list the same alerts in the same order, with the same total, as filtering and
 * sorting all alerts in JavaScript.
 */
import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, openAppDb, setDb, useMemoryDb, type AppDb } from './db';
import { migrations } from './migrations';
import { oldAppDbFile } from '@/tests/support/old-app-db';
import { writeStep } from './checklist';
import {
  alertPageJson,
  alertPageQuery,
  alertQueueVersion,
  countAlertsMatching,
  getAlertRow,
  insertAlerts,
  listAlertPage,
  listAlerts,
  updateAlertRow,
  type AlertFilter,
  type AlertSortField,
  type NewAlert,
  QUEUE_COLUMNS,
} from './alerts';
import type { Alert, AlertStatus, Severity } from '../detection/types';

const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];
const STATUSES: AlertStatus[] = ['open', 'acknowledged', 'closed'];
const SORTS: AlertSortField[] = ['timestamp', 'severity', 'risk_score', 'rule_name', 'host_name', 'user_name', 'status', 'created_at'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Alerts with many ties (timestamps, severities, scores, names) and nulls, so every tie-breaker matters. */
function seedAlerts(n: number, seed = 7): NewAlert[] {
  const rand = rng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const ts = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 40) * 60_000).toISOString();
    const status = pick(STATUSES);
    return {
      id: `q${Math.floor(rand() * 1e6).toString(36)}-${i}`,
      dedupKey: `k${i}`,
      ruleId: pick(['r1', 'r2', 'r3']),
      ruleVersion: 1,
      ruleName: pick(['Alpha rule', 'beta rule', 'Gamma']),
      severity: pick(SEVERITIES),
      riskScore: pick([21, 47, 73, 99]),
      mitre: [],
      event: { _index: 'idx', _id: `e${i}`, _source: { big: 'x'.repeat(Math.floor(rand() * 3000)) } },
      sequenceEvents: null,
      timestamp: ts,
      createdAt: rand() < 0.5 ? ts : new Date(Date.parse(ts) + 60_000).toISOString(),
      runId: 'run',
      status,
      verdict: status === 'closed' ? 'false_positive' : null,
      assignee: pick(['ana', 'bob', null]),
      hostName: pick(['h1', 'H2', 'h3', null]),
      userName: pick(['u1', 'u2', null]),
      processName: 'p.exe',
      processEntityId: `pe${i}`,
      filePath: rand() < 0.3 ? 'C:\\x.exe' : null,
      version: 1,
    };
  });
}

const rank: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };

function sortKey(a: Alert, sort: AlertSortField): string | number | null {
  switch (sort) {
    case 'severity':
      return rank[a.severity];
    case 'risk_score':
      return a.riskScore;
    case 'rule_name':
      return a.ruleName;
    case 'host_name':
      return a.hostName;
    case 'user_name':
      return a.userName;
    case 'status':
      return a.status;
    case 'created_at':
      return a.createdAt;
    case 'timestamp':
      return a.timestamp;
  }
}

/** SQLite's order: NULL first, numbers by value, text by code unit (BINARY) */
function cmp(x: string | number | null, y: string | number | null): number {
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  return x < y ? -1 : 1;
}

function reference(all: Alert[], f: AlertFilter): { ids: string[]; total: number } {
  const list = <T,>(v: T | T[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const status = list(f.status);
  const host = list(f.hostName);
  const user = list(f.userName);
  const rule = list(f.ruleId);
  const matching = all.filter(
    (a) =>
      (!status || status.includes(a.status)) &&
      (!host || (a.hostName !== null && host.includes(a.hostName))) &&
      (!user || (a.userName !== null && user.includes(a.userName))) &&
      (!rule || rule.includes(a.ruleId)) &&
      (f.assignee === undefined || a.assignee === f.assignee),
  );
  const sort = f.sort ?? 'timestamp';
  const dir = f.order === 'asc' ? 1 : -1;
  matching.sort(
    (a, b) => dir * (cmp(sortKey(a, sort), sortKey(b, sort)) || cmp(a.timestamp, b.timestamp) || cmp(a.id, b.id)),
  );
  const offset = f.offset ?? 0;
  return { ids: matching.slice(offset, offset + (f.limit ?? 50)).map((a) => a.id), total: matching.length };
}

function filters(): AlertFilter[] {
  const out: AlertFilter[] = [];
  const statusSets: (AlertStatus[] | undefined)[] = [undefined, [], ['open'], ['open', 'acknowledged'], ['closed', 'open', 'acknowledged']];
  const others: AlertFilter[] = [{}, { hostName: 'h1' }, { userName: 'u2' }, { ruleId: 'r2' }, { assignee: 'ana' }, { assignee: null }, { hostName: 'H2', assignee: 'bob', ruleId: 'r1' }];
  for (const status of statusSets) for (const other of others) out.push({ ...other, ...(status ? { status } : {}) });
  return out;
}

let db: AppDb;
let all: Alert[];

beforeEach(() => {
  db = useMemoryDb();
  insertAlerts(db, seedAlerts(400));
  all = listAlerts(getDb(), { limit: 1000 }).items;
});

describe('queue page query', () => {
  it('lists what a plain filter-and-sort lists, for every filter, sort, order and page', () => {
    expect(all).toHaveLength(400);
    let compared = 0;
    for (const base of filters()) {
      for (const sort of SORTS) {
        for (const order of ['asc', 'desc'] as const) {
          for (const [limit, offset] of [
            [25, 0],
            [25, 25],
            [10, 95],
            [100, 300],
          ] as const) {
            const f: AlertFilter = { ...base, sort, order, limit, offset };
            const want = reference(all, f);
            expect(listAlertPage(db, f).map((a) => a.id), JSON.stringify(f)).toEqual(want.ids);
            expect(countAlertsMatching(db, f), JSON.stringify(f)).toBe(want.total);
            compared += want.ids.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('gives each row the queue columns of the stored alert, and the source event reference', () => {
    const [item] = listAlertPage(db, { status: ['open', 'acknowledged'], sort: 'risk_score', limit: 1 });
    const stored = getAlertRow(db, item!.id)!;
    expect(item).toEqual({
      id: stored.id,
      ruleId: stored.ruleId,
      ruleVersion: stored.ruleVersion,
      ruleName: stored.ruleName,
      severity: stored.severity,
      riskScore: stored.riskScore,
      timestamp: stored.timestamp,
      createdAt: stored.createdAt,
      status: stored.status,
      verdict: stored.verdict,
      assignee: stored.assignee,
      hostName: stored.hostName,
      userName: stored.userName,
      processName: stored.processName,
      processEntityId: stored.processEntityId,
      filePath: stored.filePath,
      version: stored.version,
      source: { _index: stored.event._index, _id: stored.event._id },
    });
  });

  it('sees a change at once (statements are reused, results are not)', () => {
    const f: AlertFilter = { status: ['open'], sort: 'severity', order: 'desc', limit: 5 };
    const [first] = listAlertPage(db, f);
    const before = countAlertsMatching(db, f);
    expect(updateAlertRow(db, first!.id, { status: 'closed' }, first!.version, '2026-02-01T00:00:00.000Z')).toBe(true);
    expect(listAlertPage(db, f).map((a) => a.id)).not.toContain(first!.id);
    expect(countAlertsMatching(db, f)).toBe(before - 1);
  });
});

describe('queue page JSON (built by SQLite)', () => {
  it('is the page of plain row objects, serialized: same items, keys, values and order, nulls and numbers kept', () => {
    const f: AlertFilter = { status: ['open', 'acknowledged'], sort: 'severity', order: 'desc', limit: 60, offset: 30 };
    const rows = db
      .prepare(
        `SELECT * FROM alerts WHERE status IN ('open','acknowledged')
         ORDER BY CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC, timestamp DESC, id DESC LIMIT 60 OFFSET 30`,
      )
      .all() as Record<string, string | number | null>[];
    const want = rows.map((r) => ({
      id: r.id, ruleId: r.rule_id, ruleVersion: r.rule_version, ruleName: r.rule_name, severity: r.severity, riskScore: r.risk_score,
      timestamp: r.timestamp, createdAt: r.created_at, status: r.status, verdict: r.verdict, assignee: r.assignee, hostName: r.host_name,
      userName: r.user_name, processName: r.process_name, processEntityId: r.process_entity_id, filePath: r.file_path, version: r.version,
      source: { _index: r.event_index, _id: r.event_id },
    }));
    expect(want.length).toBe(60);
    expect(alertPageJson(db, f)).toBe(JSON.stringify(want));
  });

  it('escapes text as JSON does (quotes, backslashes, control and non-ASCII characters)', () => {
    const [a] = seedAlerts(1, 99);
    const odd = 'C:\\Users\\"x"\n\t\u0001 é 漢字 😀 </script>';
    insertAlerts(db, [{ ...a!, id: 'odd', hostName: odd, userName: null, status: 'open' }]);
    const [item] = JSON.parse(alertPageJson(db, { hostName: odd, limit: 5 })) as { id: string; hostName: string; userName: null }[];
    expect(item).toMatchObject({ id: 'odd', hostName: odd, userName: null });
  });

  it('is an empty array when nothing matches', () => {
    expect(alertPageJson(db, { status: [], limit: 10 })).toBe('[]');
    expect(listAlertPage(db, { hostName: 'nowhere' })).toEqual([]);
  });
});

describe('alert queue version (migration 10)', () => {
  it('watches exactly the columns the queue reads', () => {
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'alerts_queue_update'").get() as { sql: string }).sql;
    const watched = /UPDATE OF ([\s\S]+?) ON alerts/.exec(sql)![1]!.split(',').map((c) => c.trim());
    expect([...watched].sort()).toEqual([...QUEUE_COLUMNS].sort());
  });

  it('moves when an alert is created, changes a listed column or is deleted; not on checklist ticks or notes', () => {
    const [stored] = listAlertPage(db, { status: ['open'], limit: 1 });
    const id = stored!.id;
    const moved = (fn: () => void) => {
      const before = alertQueueVersion(db);
      fn();
      return alertQueueVersion(db) !== before;
    };
    expect(moved(() => insertAlerts(db, seedAlerts(1, 5).map((a) => ({ ...a, id: 'fresh', dedupKey: 'fresh' }))))).toBe(true);
    expect(moved(() => updateAlertRow(db, id, { status: 'acknowledged' }, stored!.version, '2026-02-01T00:00:00.000Z'))).toBe(true);
    expect(moved(() => db.prepare("UPDATE alerts SET host_name = 'elsewhere' WHERE id = ?").run(id))).toBe(true);
    expect(
      moved(() =>
        writeStep(db, { alertId: id, stepId: 's1', section: 'guide', state: 'done', reason: null, note: 'seen', owner: null, actor: 'x', updatedAt: '2026-02-01T00:00:00.000Z' }),
      ),
    ).toBe(false);
    expect(moved(() => db.prepare("UPDATE alerts SET closing_note = 'x', steps_done = steps_done + 1 WHERE id = ?").run(id))).toBe(false);
    expect(moved(() => db.prepare('DELETE FROM alerts WHERE id = ?').run('fresh'))).toBe(true);
  });
});

describe('migration 5 (queue covering indexes)', () => {
  it('upgrades an existing version-4 app.db in place: the same rows, listed through the new indexes', () => {
    const { dir, file, db: v4 } = oldAppDbFile(4, 'guidepost-queue-');
    insertAlerts(v4, seedAlerts(300, 11));
    setDb(v4);
    const f: AlertFilter = { status: ['open', 'acknowledged'], sort: 'severity', order: 'desc', limit: 40, offset: 20 };
    const before = listAlerts(getDb(), f);
    expect(v4.prepare("SELECT name FROM sqlite_master WHERE name = 'alerts_severity_rank'").get()).toBeTruthy();
    v4.close();

    const upgraded = setDb(openAppDb(file));
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE name = 'alerts_severity_rank'").get()).toBeUndefined();
      const after = listAlerts(getDb(), f);
      expect(after.items.map((a) => a.id)).toEqual(before.items.map((a) => a.id));
      expect(after.total).toBe(before.total);
      const plan = (
        upgraded
          .prepare(
            `EXPLAIN QUERY PLAN SELECT id FROM alerts WHERE +status IN ('open','acknowledged') ORDER BY CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC, timestamp DESC, id DESC LIMIT 40`,
          )
          .all() as { detail: string }[]
      )
        .map((r) => r.detail)
        .join(' ');
      expect(plan).toContain('alerts_q_severity');
      expect(plan).not.toContain('TEMP B-TREE');
    } finally {
      upgraded.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"my alerts" sorted by severity, risk, rule or host reads in index order (no sort step)', () => {
    const db = useMemoryDb();
    for (const sort of ['severity', 'risk_score', 'rule_name', 'host_name', 'timestamp'] as const) {
      const { sql, params } = alertPageQuery({ assignee: 'ana', status: ['open', 'acknowledged'], sort, order: 'desc', limit: 100, offset: 400 });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan, sort).toMatch(/USING (COVERING )?INDEX alerts_q_assignee/);
      expect(plan, sort).not.toContain('TEMP B-TREE');
    }
  });
});
