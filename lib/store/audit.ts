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

/** an audit row: before and after as JSON text, the other columns named as AuditEntry names them */
type AuditRow = Omit<AuditEntry, 'before' | 'after'> & { before: string | null; after: string | null };
const AUDIT_COLUMNS = 'id, at, actor, entity, entity_id AS entityId, action, before, after';

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
  return { ...r, before: parse(r.before), after: parse(r.after) };
}

/** The history of one entity (or of every entity of a kind; or every row after `afterId`), oldest first. */
export function listAudit(db: AppDb, filter: { entity?: string; entityId?: string; afterId?: number; limit?: number } = {}): AuditEntry[] {
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
  if (filter.afterId !== undefined) {
    where.push('id > ?');
    params.push(filter.afterId);
  }
  params.push(Math.min(Math.max(filter.limit ?? 1000, 1), 10000));
  const rows = db
    .prepare<unknown[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id ASC LIMIT ?`)
    .all(...params);
  return rows.map(toEntry);
}
