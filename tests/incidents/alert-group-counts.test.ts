/**
 * The flat queue's groups read from alert_group_counts (migration 45, kept by triggers) must
 * be exactly what a GROUP BY over the alerts answers: checked after random inserts, deletes
 * and updates (status, severity, rule, rule name, host, user — NULL, empty and case-different
 * values among them) against a reference computed here in JavaScript from the alert rows, and
 * against the GROUP BY the route falls back to for other filters.
 */
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { changeAlertsStatusAs } from '@/lib/cases';
import { alertGroups, groupsByScan, groupsFromCounts, MAX_GROUPS, type AlertGroupsAnswer } from '@/lib/incidents/alert-groups';
import type { GroupBy } from '@/lib/incidents/queue-contracts';
import { insertAlerts } from '@/lib/store/alerts';
import { getDb, useMemoryDb, type AppDb } from '@/lib/store/db';
import { migrations } from '@/lib/store/migrations';
import { queueMigrations } from '@/lib/store/migrations/queue';
import { testAlert } from '@/tests/support/alerts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HOSTS = ['ws-1', 'WS-1', 'ws-1 ', '', null, 'ws-2', 'é-host', 'ws-%', '中文主机'];
const USERS = ['alice', 'Alice', '', null, 'bob', 'SYSTEM'];
const RULES: [string, string][] = [['r1', 'Rule one'], ['r1', 'Rule One (v2)'], ['R1', 'upper'], ['r2', 'Zeta'], ['', 'empty id']];
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const STATUSES = ['open', 'acknowledged', 'closed'] as const;

type Row = { rule_id: string; rule_name: string; host_name: string | null; user_name: string | null; status: string; severity: string };

/** what the queue's GROUP BY means, written out: exact values, NULL its own group, BINARY (UTF-8 byte) order */
function reference(db: AppDb, by: GroupBy, statuses: readonly string[] | undefined): AlertGroupsAnswer {
  const rows = db.prepare<[], Row>('SELECT rule_id, rule_name, host_name, user_name, status, severity FROM alerts').all();
  const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  const rank = (s: string) => ({ critical: 4, high: 3, medium: 2 })[s] ?? 1;
  const groups = new Map<string, { key: string | null; label: string | null; count: number; rank: number; open: number }>();
  let total = 0;
  for (const r of rows) {
    if (statuses && !statuses.includes(r.status)) continue;
    total++;
    const key = by === 'rule' ? r.rule_id : by === 'host' ? r.host_name : r.user_name;
    const id = key === null ? 'null' : `v:${key}`;
    const g = groups.get(id) ?? { key, label: by === 'rule' ? r.rule_name : key, count: 0, rank: 0, open: 0 };
    g.count++;
    g.rank = Math.max(g.rank, rank(r.severity));
    if (r.status !== 'closed') g.open++;
    if (by === 'rule' && bytes(r.rule_name, g.label!) > 0) g.label = r.rule_name;
    groups.set(id, g);
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || (a.key === null ? -1 : b.key === null ? 1 : bytes(a.key, b.key)));
  const severity = ['low', 'low', 'medium', 'high', 'critical'] as const;
  return {
    groups: sorted.slice(0, MAX_GROUPS).map((g) => ({ key: g.key, label: g.label, count: g.count, severity: severity[g.rank]!, open: g.open })),
    totalGroups: sorted.length,
    total,
  };
}

const pick = <T,>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function randomAlert(rand: () => number, n: number) {
  const [ruleId, ruleName] = pick(rand, RULES);
  return testAlert(`x${n}`, new Date(Date.UTC(2026, 0, 1, 0, n % 600)).toISOString(), {
    ruleId,
    ruleName,
    severity: pick(rand, SEVERITIES),
    status: pick(rand, STATUSES),
    hostName: pick(rand, HOSTS),
    userName: pick(rand, USERS),
  });
}

/** one random write of the kinds the product and the store make */
function randomWrite(db: AppDb, rand: () => number, n: number): void {
  const ids = db.prepare<[], string>('SELECT id FROM alerts').pluck().all();
  const id = ids.length ? pick(rand, ids) : null;
  const op = Math.floor(rand() * 9);
  if (op <= 1 || !id) insertAlerts(db, Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => randomAlert(rand, n * 10 + i)));
  else if (op === 2) db.prepare('DELETE FROM alerts WHERE id = ?').run(id);
  else if (op === 3) db.prepare('UPDATE alerts SET status = ?, version = version + 1 WHERE id = ?').run(pick(rand, STATUSES), id);
  else if (op === 4) db.prepare('UPDATE alerts SET host_name = ? WHERE id = ?').run(pick(rand, HOSTS), id);
  else if (op === 5) db.prepare('UPDATE alerts SET user_name = ?, status = ? WHERE id = ?').run(pick(rand, USERS), pick(rand, STATUSES), id);
  else if (op === 6) {
    const [ruleId, ruleName] = pick(rand, RULES);
    db.prepare('UPDATE alerts SET rule_id = ?, rule_name = ? WHERE id = ?').run(ruleId, ruleName, id);
  } else if (op === 7) db.prepare('UPDATE alerts SET severity = ? WHERE id = ?').run(pick(rand, [...SEVERITIES, 'unknown']), id);
  // several rows in one statement (a bulk close of one host), and a write that changes nothing counted
  else if (rand() < 0.5) db.prepare("UPDATE alerts SET status = 'closed' WHERE host_name IS ?").run(pick(rand, HOSTS));
  else db.prepare('UPDATE alerts SET assignee = ?, version = version + 1 WHERE id = ?').run('ana', id);
}

const FILTERS: (readonly string[] | undefined)[] = [undefined, ['open'], ['open', 'acknowledged'], ['closed'], ['acknowledged', 'closed', 'open'], []];

function expectSame(db: AppDb, label: string) {
  for (const by of ['rule', 'host', 'user'] as const) {
    for (const statuses of FILTERS) {
      const want = reference(db, by, statuses);
      const where = `${label}, by ${by}, status ${statuses?.join(',') ?? '(any)'}`;
      expect(groupsFromCounts(statuses, by, db), where).toEqual(want);
      expect(groupsByScan(statuses === undefined ? {} : { status: statuses as ('open' | 'acknowledged' | 'closed')[] }, by, db), where).toEqual(want);
    }
  }
}

describe('alert group counts', () => {
  beforeEach(() => {
    useMemoryDb();
  });

  it('answer as the GROUP BY over random inserts, deletes and updates (NULL, empty and other-case values)', () => {
    const db = getDb();
    for (const seed of [1, 2, 3]) {
      const rand = rng(seed);
      db.exec('DELETE FROM alerts');
      expect(db.prepare('SELECT COUNT(*) FROM alert_group_counts').pluck().get()).toBe(0);
      insertAlerts(db, Array.from({ length: 60 }, (_, i) => randomAlert(rand, seed * 100_000 + i)));
      for (let step = 0; step < 120; step++) {
        randomWrite(db, rand, seed * 100_000 + 1000 + step);
        if (step % 20 === 19) expectSame(db, `seed ${seed}, step ${step}`);
      }
      // every row stands for at least one alert (rows that reach zero are gone)
      expect(db.prepare('SELECT COUNT(*) FROM alert_group_counts WHERE n1 + n2 + n3 + n4 <= 0 OR MIN(n1, n2, n3, n4) < 0').pluck().get()).toBe(0);
    }
  });

  it('lists the largest 500 groups and counts them all when there are more', () => {
    const db = getDb();
    insertAlerts(db, Array.from({ length: 620 }, (_, i) => testAlert(`h${i}`, '2026-01-01T00:00:00.000Z', { hostName: i === 619 ? null : `host-${i % 610}`, status: i % 2 ? 'open' : 'acknowledged' })));
    const got = groupsFromCounts(['open', 'acknowledged'], 'host', db);
    expect(got.groups).toHaveLength(MAX_GROUPS);
    expect(got.totalGroups).toBe(611);
    expect(got.total).toBe(620);
    expect(got).toEqual(reference(db, 'host', ['open', 'acknowledged']));
    expect(groupsByScan({ status: ['open', 'acknowledged'] }, 'host', db)).toEqual(got);
  });

  it('the route path uses the counts for a status filter and the GROUP BY for any other, with the same answers', () => {
    const db = getDb();
    const rand = rng(9);
    insertAlerts(db, Array.from({ length: 80 }, (_, i) => randomAlert(rand, i)));
    expect(alertGroups({ status: ['open', 'acknowledged'], sort: 'timestamp', order: 'desc' }, 'host', db)).toEqual(reference(db, 'host', ['open', 'acknowledged']));
    // a write moves the queue version: the next answer is read again
    db.prepare("UPDATE alerts SET status = 'closed' WHERE host_name = 'ws-1'").run();
    expect(alertGroups({ status: ['open', 'acknowledged'], sort: 'timestamp', order: 'desc' }, 'host', db)).toEqual(reference(db, 'host', ['open', 'acknowledged']));
    const byScan = alertGroups({ status: ['open'], hostContains: 'ws', sort: 'timestamp', order: 'desc' }, 'user', db);
    expect(byScan).toEqual(groupsByScan({ status: ['open'], hostContains: 'ws' }, 'user', db));
    expect(byScan.total).toBeLessThan(reference(db, 'user', ['open']).total);
    // the status-only answer is read from the counts (not a scan of the alerts): a count
    // changed behind the triggers' back shows in it, once the queue version moves
    db.exec("UPDATE alert_group_counts SET n4 = n4 + 1000 WHERE kind = 'host' AND status = 'open'");
    db.prepare('UPDATE alert_queue_version SET version = version + 1').run();
    const tampered = alertGroups({ status: ['open'], sort: 'timestamp', order: 'desc' }, 'host', db);
    expect(tampered.total).toBe(reference(db, 'host', ['open']).total + 1000 * tampered.totalGroups);
  });

  it('the product’s own writes (a bulk close through the workflow) keep the counts', () => {
    const db = getDb();
    const rand = rng(11);
    insertAlerts(db, Array.from({ length: 40 }, (_, i) => randomAlert(rand, i)));
    const open = db.prepare<[], { id: string; version: number }>("SELECT id, version FROM alerts WHERE status != 'closed'").all();
    const out = changeAlertsStatusAs({ name: 'lee', role: 'lead' }, open.map((a) => ({ id: a.id, expectedVersion: a.version })), { status: 'closed', verdict: 'false_positive' });
    expect(out.done.length).toBe(open.length);
    expectSame(db, 'after a bulk close');
  });

  it('the migration fills the table from the alerts already stored', () => {
    const db = new Database(':memory:');
    for (const m of migrations.filter((x) => x.version < queueMigrations[0]!.version)) db.exec(m.sql);
    const rand = rng(4);
    insertAlerts(db, Array.from({ length: 150 }, (_, i) => randomAlert(rand, i)));
    db.exec(queueMigrations[0]!.sql);
    expectSame(db, 'after the migration');
    randomWrite(db, rand, 9999);
    expectSame(db, 'after a write');
    db.close();
  });
});
