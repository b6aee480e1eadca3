/**
 * Saved queue views: each user's named views (view, filters, grouping, sort as the queue's
 * query string) and one shared default a lead or admin sets for everyone. Changes to the
 * shared default are audited; a user's own views are theirs alone.
 */
import { AppError } from '../errors';
import { appendAudit } from '../store/audit';
import { getDb, type AppDb } from '../store/db';
import { countSavedViews, deleteSavedView, getSharedDefault, listSavedViews, setSharedDefaultRow, upsertSavedView } from '../store/incidents';
import type { SaveViewBody } from './queue-contracts';

/** The most views one user keeps (a bound on what one account can store). */
export const MAX_VIEWS_PER_USER = 50;

export function savedViews(owner: string, db: AppDb = getDb()) {
  return { items: listSavedViews(db, owner), shared: getSharedDefault(db) };
}

export function saveView(owner: string, body: SaveViewBody, now = new Date(), db: AppDb = getDb()) {
  return db
    .transaction(() => {
      const exists = listSavedViews(db, owner).some((v) => v.name === body.name);
      if (!exists && countSavedViews(db, owner) >= MAX_VIEWS_PER_USER) {
        throw new AppError('invalid_request', `name: you keep ${MAX_VIEWS_PER_USER} views already; delete one first`);
      }
      return upsertSavedView(db, owner, body.name, body.search, now.toISOString());
    })
    .immediate();
}

export function deleteView(owner: string, id: number, db: AppDb = getDb()) {
  const row = deleteSavedView(db, owner, id);
  if (!row) throw new AppError('not_found', `view ${id}: you have no such saved view`);
  return { deleted: row };
}

/** Set (or clear, with null) the shared default view; audited. */
export function setSharedDefault(actor: string, view: SaveViewBody | null, now = new Date(), db: AppDb = getDb()) {
  return db
    .transaction(() => {
      const before = getSharedDefault(db);
      setSharedDefaultRow(db, view, actor, now.toISOString());
      const after = getSharedDefault(db);
      appendAudit(db, { actor, entity: 'queue', entityId: 'shared-default', action: view ? 'set-default-view' : 'clear-default-view', before, after, at: now.toISOString() });
      return { shared: after };
    })
    .immediate();
}
