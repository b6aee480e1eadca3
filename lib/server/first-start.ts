/**
 * Where the server's first start (demo data and its backfill, lib/server/bootstrap) stands, for
 * /api/health: kept on globalThis, because the start-up hook and the routes are bundled apart.
 */
import type { FirstStartProgress } from '../contracts/health';

export type { FirstStartProgress };

const KEY = Symbol.for('guidepost.server.firstStartProgress');
type G = typeof globalThis & { [KEY]?: FirstStartProgress | null };

/** The first start under way (null when none is, or it has ended). */
export function firstStartProgress(): FirstStartProgress | null {
  const p = (globalThis as G)[KEY];
  return p ? { ...p } : null;
}

export function setFirstStartProgress(p: FirstStartProgress | null): void {
  (globalThis as G)[KEY] = p ? { ...p } : null;
}
