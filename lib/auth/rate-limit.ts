/**
 * Sign-in throttling: after a few failures for one (name, client) key, each further
 * attempt must wait, doubling up to a ceiling. Persisted, so a restart does not reset it.
 */
import { authDb } from './users';

export const FREE_FAILURES = 5;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15 * 60_000;
const WINDOW_MS = 15 * 60_000;

interface AttemptRow {
  failures: number;
  first_at: number;
  locked_until: number;
}

/** 0 when an attempt may go ahead; otherwise how long to wait (ms). */
export function signInDelay(key: string, now = Date.now()): number {
  const row = authDb().prepare('SELECT * FROM signin_attempts WHERE key = ?').get(key) as AttemptRow | undefined;
  if (!row) return 0;
  return Math.max(0, row.locked_until - now);
}

export function recordSignInFailure(key: string, now = Date.now()): number {
  const db = authDb();
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM signin_attempts WHERE key = ?').get(key) as AttemptRow | undefined;
    const fresh = !row || now - row.first_at > WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const firstAt = fresh ? now : row.first_at;
    const over = failures - FREE_FAILURES;
    const delay = over > 0 ? Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (over - 1)) : 0;
    db.prepare(
      'INSERT INTO signin_attempts (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until',
    ).run(key, failures, firstAt, now + delay);
    return delay;
  }).immediate();
}

export function clearSignInFailures(key: string): void {
  authDb().prepare('DELETE FROM signin_attempts WHERE key = ?').run(key);
}
