/** Repository of the `audit` table (append-only: who, when, entity, action, before, after). */
import type { AppDb } from './db';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  entity: string;
  entity_id: string;
  action: string;
  before: string | null;
  after: string | null;
}

export interface NewAuditEntry {
  actor: string;
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  at?: string;
}

/** Append one audit row. Call it inside the transaction that makes the change. */
export function appendAudit(db: AppDb, entry: NewAuditEntry): number {
  const res = db
    .prepare(
      'INSERT INTO audit (at, actor, entity, entity_id, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      entry.at ?? new Date().toISOString(),
      entry.actor,
      entry.entity,
      entry.entityId,
      entry.action,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    );
  return Number(res.lastInsertRowid);
}

function parse(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    before: parse(r.before),
    after: parse(r.after),
  };
}

/** The history of one entity (or of every entity of a kind), oldest first. */
export function listAudit(db: AppDb, filter: { entity?: string; entityId?: string; limit?: number } = {}): AuditEntry[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.entity) {
    where.push('entity = ?');
    params.push(filter.entity);
  }
  if (filter.entityId) {
    where.push('entity_id = ?');
    params.push(filter.entityId);
  }
  params.push(Math.min(Math.max(filter.limit ?? 1000, 1), 10000));
  const rows = db
    .prepare<unknown[], AuditRow>(`SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id ASC LIMIT ?`)
    .all(...params);
  return rows.map(toEntry);
}
